/**
 * Which files `autograd-lens lint PATH...` reads, walked the way Ruff and git walk a tree:
 *
 * - a path named on the command line is always taken: a directory (or a symlink to one) is searched,
 *   a file is linted when it is Python (`.py`, `.pyi`, `.pyw`, a `#!...python` script) or a notebook
 *   (`.ipynb`); any other file gets a message and is skipped;
 * - inside a directory: `*.py` and `*.ipynb` regular files, and symlinks to them; folders in `SKIP_DIRS`
 *   are skipped (unless named explicitly), and so are symlinked directories unless `followSymlinks`
 *   (Ruff does the same: https://github.com/astral-sh/ruff/pull/280); with it, a directory already
 *   walked (same device and inode) is not walked again, so link loops end;
 * - FIFOs, sockets and devices are never read (a FIFO would block forever, `/dev/zero` never ends);
 * - each real path is linted once, however many names or links lead to it;
 * - a folder that cannot be read is reported and the walk goes on.
 * The walk is iterative (no recursion), sorted by name at every level.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { extname, join } from 'node:path';

export const SKIP_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', 'site-packages', '.mypy_cache', '.tox', '.nox',
  '.ruff_cache', '.pytest_cache', '.ipynb_checkpoints',
]);

const PYTHON_EXTENSIONS = new Set(['.py', '.pyi', '.pyw', '.ipynb']);

/** What a folder walk picks up: Python files and Jupyter notebooks. */
function walked(name: string): boolean {
  return name.endsWith('.py') || /\.ipynb$/i.test(name);
}

export interface WalkOptions {
  followSymlinks: boolean;
}

export interface Candidate {
  /** The path as the walk reached it (for messages). */
  path: string;
  /** Its real path (symlinks resolved): each is linted once. */
  real: string;
}

export interface PathProblem {
  path: string;
  message: string;
}

export interface WalkResult {
  files: Candidate[];
  /** Paths that could not be searched or are not Python: each is reported, the others are linted. */
  problems: PathProblem[];
  /** Symlinked directories left out (not followed). */
  skippedLinks: string[];
}

function errText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENOTDIR':
      return 'not a directory';
    default:
      return e.message ?? String(err);
  }
}

/** What kind of non-regular file this is, for messages. */
export function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** Why an explicitly named regular file is not linted as Python, or null when it is Python. */
function notPython(path: string): string | null {
  const ext = extname(path).toLowerCase();
  if (PYTHON_EXTENSIONS.has(ext)) return null;
  if (ext === '' && startsWithPythonShebang(path)) return null;
  return `is not a Python file (the command line lints .py, .pyi and .pyw files, #!python scripts and .ipynb notebooks)`;
}

function startsWithPythonShebang(path: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) return false;
    const buf = Buffer.alloc(128);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const first = buf.subarray(0, n).toString('latin1').split('\n')[0];
    return /^#!.*\bpython[0-9.]*\b/.test(first);
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

export function collectFiles(paths: string[], opts: WalkOptions): WalkResult {
  const files: Candidate[] = [];
  const problems: PathProblem[] = [];
  const skippedLinks: string[] = [];
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  const addFile = (path: string, real: string): void => {
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push({ path, real });
  };
  const dirKey = (st: Stats): string => `${st.dev}:${st.ino}`;

  const walkDir = (root: string, rootStat: Stats): void => {
    const stack: { dir: string; real: string }[] = [];
    let rootReal: string;
    try {
      rootReal = realpathSync(root);
    } catch (err) {
      problems.push({ path: root, message: `cannot read directory ${root}: ${errText(err)}` });
      return;
    }
    if (seenDirs.has(dirKey(rootStat))) return;
    seenDirs.add(dirKey(rootStat));
    stack.push({ dir: root, real: rootReal });
    while (stack.length > 0) {
      const { dir, real } = stack.pop()!;
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        problems.push({ path: dir, message: `cannot read directory ${dir}: ${errText(err)}` });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: { dir: string; real: string }[] = [];
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          if (SKIP_DIRS.has(e.name)) continue;
          let st: Stats;
          try {
            st = statSync(p);
          } catch (err) {
            problems.push({ path: p, message: `cannot read directory ${p}: ${errText(err)}` });
            continue;
          }
          if (seenDirs.has(dirKey(st))) continue; // a bind mount seen before
          seenDirs.add(dirKey(st));
          subdirs.push({ dir: p, real: join(real, e.name) });
        } else if (e.isSymbolicLink()) {
          let st: Stats;
          try {
            st = statSync(p);
          } catch {
            continue; // a dangling link, or a loop of links: nothing to read
          }
          if (st.isDirectory()) {
            if (SKIP_DIRS.has(e.name)) continue;
            if (!opts.followSymlinks) {
              skippedLinks.push(p);
              continue;
            }
            if (seenDirs.has(dirKey(st))) continue; // a loop, or a folder reached another way
            seenDirs.add(dirKey(st));
            try {
              subdirs.push({ dir: p, real: realpathSync(p) });
            } catch (err) {
              problems.push({ path: p, message: `cannot read directory ${p}: ${errText(err)}` });
            }
          } else if (st.isFile() && walked(e.name)) {
            try {
              addFile(p, realpathSync(p));
            } catch {
              /* vanished meanwhile */
            }
          }
          // A link to a FIFO, socket or device is never read.
        } else if (e.isFile() && walked(e.name)) {
          addFile(p, join(real, e.name));
        }
        // FIFOs, sockets and devices are skipped.
      }
      // Depth first, in name order: push in reverse so the first subfolder is walked next.
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
    }
  };

  for (const p of paths) {
    let st: Stats;
    try {
      st = statSync(p);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      problems.push({ path: p, message: e.code === 'ENOENT' ? `no such file or directory: ${p}` : `cannot read ${p}: ${errText(err)}` });
      continue;
    }
    if (st.isDirectory()) {
      walkDir(p, st);
    } else if (st.isFile()) {
      const why = notPython(p);
      if (why) {
        problems.push({ path: p, message: `${p} ${why}; skipped` });
        continue;
      }
      let real: string;
      try {
        real = realpathSync(p);
      } catch (err) {
        problems.push({ path: p, message: `cannot read ${p}: ${errText(err)}` });
        continue;
      }
      addFile(p, real);
    } else {
      problems.push({ path: p, message: `${p} is ${kindOf(st)}, not a regular file; skipped` });
    }
  }
  return { files, problems, skippedLinks };
}

/** Largest source file read (bigger ones are reported, not linted). */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

export class ReadProblem extends Error {}

/**
 * The bytes of a regular file. Opened without blocking and checked after opening, so a file replaced
 * by a FIFO or a device after the walk is refused rather than read forever.
 */
export function readRegularFile(path: string, maxBytes = MAX_SOURCE_BYTES): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new ReadProblem(`cannot read ${path}: ${errText(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ReadProblem(`${path} is ${kindOf(st)}, not a regular file; skipped`);
    if (st.size > maxBytes) {
      throw new ReadProblem(`${path} is ${(st.size / 1024 / 1024).toFixed(0)} MB, more than the ${maxBytes / 1024 / 1024} MB the linter reads; skipped`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.max(64 * 1024, Math.min(st.size - total + 1, 8 * 1024 * 1024)));
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        throw new ReadProblem(`cannot read ${path}: ${errText(err)}`);
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new ReadProblem(`${path} grew past ${maxBytes / 1024 / 1024} MB while being read; skipped`);
      chunks.push(buf.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

