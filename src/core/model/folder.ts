/**
 * The output folder of a training (`--out`): checked before training, locked while a training owns
 * it, replaced so that a crash at any instant leaves a model that the next run finds or restores.
 *
 * Layout, all siblings of the folder NAME in its parent:
 *   .NAME.lock        held while a training writes NAME: {pid, threadId, host, started, token}
 *   .NAME.tmp-TAG     the new model being written (complete only once renamed to NAME)
 *   .NAME.old-TAG     the previous model, set aside for the instant between the two renames
 *
 * Replacement (`writeFolderAtomically`, under the lock): write every file into .NAME.tmp-TAG and flush
 * it; rename NAME to .NAME.old-TAG; rename .NAME.tmp-TAG to NAME; remove .NAME.old-TAG; flush the
 * parent folder. Whoever holds the lock next (`recoverOutputFolder`) removes any .NAME.tmp-* (a save
 * that did not finish) and, if NAME is missing, renames the newest .NAME.old-* back (a crash between the
 * two renames), so the previous model is never lost; with NAME present, leftover .old-* are removed.
 *
 * The lock file is created atomically with its content (a draft .NAME.lock-TOKEN written, flushed and
 * hard-linked to .NAME.lock, which fails if it exists, as O_EXCL does; O_EXCL and a write where the file
 * system has no hard links), so a kill never leaves an empty lock. It is stale when its process is gone (same host, checked with
 * `kill(pid, 0)`), and is then taken over. Time-based staleness (as in proper-lockfile) is not used:
 * a training's synchronous steps can keep the event loop from refreshing a lock for longer than any
 * sensible timeout. Within one process, a lock left by a worker thread that was terminated is removed
 * by whoever terminated it (`releaseLockOfThread`).
 */
import { closeSync, constants, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';

/** A model folder (or `--out`) problem the user can act on: names the folder or file and what to do. */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

interface LockInfo {
  pid: number;
  threadId: number;
  host: string;
  started: string;
  token: string;
}

export interface OutputLock {
  /** The folder (absolute). */
  readonly target: string;
  /** The lock file. */
  readonly path: string;
  release(): void;
}

const held = new Map<string, { token: string; count: number }>();
let exitHookInstalled = false;

export function lockPathOf(target: string): string {
  const t = path.resolve(target);
  return path.join(path.dirname(t), `.${path.basename(t)}.lock`);
}

function errnoText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'EROFS') return 'read-only file system';
  if (e.code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  if (e.code === 'ENOSPC') return 'no space left on the device';
  return e.message;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function readLock(p: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(p, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' && typeof info.token === 'string' ? info : null;
  } catch {
    return null;
  }
}

/** The draft of a lock, `.NAME.lock-PID-...`: written in full, then hard-linked to `.NAME.lock`. */
function lockDraftPath(lockFile: string, token: string): string {
  return `${lockFile}-${token}`;
}

/**
 * Creates the lock file holding `bytes`, atomically: the content is written and flushed into a draft,
 * which is then hard-linked to the lock's name (link fails if the name exists, as O_EXCL does). So a
 * process killed at any instant leaves either no lock or a complete one naming it, never an empty lock
 * that would look held. Where the file system has no hard links, falls back to O_EXCL and a write.
 * Returns false when the lock exists.
 */
function createLockFile(lockFile: string, token: string, bytes: Buffer): boolean {
  const draft = lockDraftPath(lockFile, token);
  let linked = false;
  try {
    writeFlushClose(openSync(draft, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644), bytes);
    try {
      linkSync(draft, lockFile);
      linked = true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EMLINK') throw err;
    }
  } finally {
    try {
      unlinkSync(draft);
    } catch {
      /* not created */
    }
  }
  if (linked) return true;
  let fd: number;
  try {
    fd = openSync(lockFile, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  writeFlushClose(fd, bytes);
  return true;
}

/** Writes `bytes` to the open file `fd`, flushes it to the disk, and closes it (also when writing fails). */
function writeFlushClose(fd: number, bytes: Buffer): void {
  try {
    writeSync(fd, bytes, 0, bytes.length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Removes drafts of this lock left by processes of this host that were killed while making one. */
function removeDeadLockDrafts(lockFile: string): void {
  const prefix = `${path.basename(lockFile)}-`;
  let names: string[];
  try {
    names = readdirSync(path.dirname(lockFile)).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  for (const n of names) {
    const p = path.join(path.dirname(lockFile), n);
    const info = readLock(p);
    const pid = info ? info.pid : Number(n.slice(prefix.length).split('-')[0]);
    const host = info ? info.host : hostname();
    if (host === hostname() && Number.isInteger(pid) && pid > 0 && !processAlive(pid)) {
      try {
        unlinkSync(p);
      } catch {
        /* gone already */
      }
    }
  }
}

/**
 * Take the lock of `dir`'s output folder, or throw a ModelFileError naming who holds it. Re-entrant in
 * the same thread (a training that holds it can save). Creates the parent folder if needed.
 */
export function acquireOutputLock(dir: string): OutputLock {
  const target = path.resolve(dir);
  const lockFile = lockPathOf(target);
  const mine = held.get(lockFile);
  if (mine) {
    mine.count++;
    return makeHandle(target, lockFile, mine.token);
  }
  try {
    mkdirSync(path.dirname(target), { recursive: true });
  } catch (err) {
    throw new ModelFileError(`cannot create the folder for the model '${dir}': ${errnoText(err)}; choose another --out`);
  }
  const token = `${process.pid}-${threadId}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  const info: LockInfo = { pid: process.pid, threadId, host: hostname(), started: new Date().toISOString(), token };
  const bytes = Buffer.from(JSON.stringify(info));
  removeDeadLockDrafts(lockFile);
  for (let attempt = 0; attempt < 3; attempt++) {
    let created: boolean;
    try {
      created = createLockFile(lockFile, token, bytes);
    } catch (err) {
      throw new ModelFileError(`cannot write the model to '${dir}': ${errnoText(err)} (creating ${lockFile}); choose another --out`);
    }
    if (!created) {
      const other = readLock(lockFile);
      let stale = false;
      if (other) stale = other.host === hostname() && !processAlive(other.pid);
      else {
        // Empty or unreadable: only the fallback without hard links can leave one (a writer that died
        // between creating and writing it), or a lock being written right now by that fallback.
        try {
          stale = Date.now() - statSync(lockFile).mtimeMs > 10_000;
        } catch {
          stale = true; // vanished: try again
        }
      }
      if (stale) {
        try {
          unlinkSync(lockFile);
        } catch {
          /* someone else took it over first; try again */
        }
        continue;
      }
      const who = other ? `process ${other.pid}${other.host !== hostname() ? ` on ${other.host}` : ''}, since ${other.started}` : 'another process';
      throw new ModelFileError(
        `another training is writing to '${dir}' (${who}); wait for it to finish or choose another --out. If no training is running, delete ${lockFile}`,
      );
    }
    held.set(lockFile, { token, count: 1 });
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', releaseAllLocksSync);
    }
    return makeHandle(target, lockFile, token);
  }
  throw new ModelFileError(`cannot lock '${dir}' (${lockFile} keeps changing); try again`);
}

function makeHandle(target: string, lockFile: string, token: string): OutputLock {
  let released = false;
  return {
    target,
    path: lockFile,
    release() {
      if (released) return;
      released = true;
      const h = held.get(lockFile);
      if (!h || h.token !== token) return;
      if (--h.count > 0) return;
      held.delete(lockFile);
      removeLockIfOurs(lockFile, token);
    },
  };
}

function removeLockIfOurs(lockFile: string, token: string): void {
  const info = readLock(lockFile);
  if (info && info.token === token) {
    try {
      unlinkSync(lockFile);
    } catch {
      /* already gone */
    }
  }
}

/** Every lock this thread holds, removed (process exit, a second Ctrl-C). */
export function releaseAllLocksSync(): void {
  for (const [lockFile, h] of held) removeLockIfOurs(lockFile, h.token);
  held.clear();
}

/**
 * Remove the lock of `dir` if a thread of this process that is now gone (`threadId`) held it: called by
 * whoever terminated a training worker, which had no chance to release it.
 */
export function releaseLockOfThread(dir: string, deadThreadId: number): void {
  const lockFile = lockPathOf(dir);
  const info = readLock(lockFile);
  if (info && info.pid === process.pid && info.threadId === deadThreadId && info.host === hostname()) {
    try {
      unlinkSync(lockFile);
    } catch {
      /* gone */
    }
  }
}

/**
 * Check, before training, that `dir` can receive a model: not a file, not a folder of other things,
 * and in a place we can write. Throws ModelFileError saying what to change. (Writing is proved by
 * taking the lock, which creates a file next to the folder.)
 */
export function checkOutputFolder(dir: string, markerFile: string): void {
  const target = path.resolve(dir);
  let st;
  try {
    st = statSync(target);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return;
    throw new ModelFileError(`cannot use '${dir}' for the model: ${errnoText(err)}; choose another --out`);
  }
  if (!st.isDirectory()) throw new ModelFileError(`cannot save the model to '${dir}': it exists and is not a folder; choose another --out`);
  let entries: string[];
  try {
    entries = readdirSync(target);
  } catch (err) {
    throw new ModelFileError(`cannot use '${dir}' for the model: ${errnoText(err)}; choose another --out`);
  }
  if (entries.length > 0 && !entries.includes(markerFile)) {
    throw new ModelFileError(
      `refusing to save the model into '${dir}': the folder is not empty and holds no ${markerFile}, so it is not a model folder this tool wrote; choose another --out`,
    );
  }
}

/** The newest `.NAME.old-*` left beside a missing folder by an interrupted save, or null. */
export function interruptedSaveOf(dir: string): string | null {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  const prefix = `.${path.basename(target)}.old-`;
  let names: string[];
  try {
    names = readdirSync(parent).filter((n) => n.startsWith(prefix));
  } catch {
    return null;
  }
  let best: { p: string; t: number } | null = null;
  for (const n of names) {
    const p = path.join(parent, n);
    try {
      const t = statSync(p).mtimeMs;
      if (!best || t > best.t) best = { p, t };
    } catch {
      /* gone */
    }
  }
  return best?.p ?? null;
}

/**
 * Clean up after saves that did not finish; call with the lock held. Returns what was done, for the log.
 */
export async function recoverOutputFolder(dir: string): Promise<string[]> {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  const base = path.basename(target);
  const notes: string[] = [];
  let names: string[];
  try {
    names = await fsp.readdir(parent);
  } catch {
    return notes;
  }
  const tmps = names.filter((n) => n.startsWith(`.${base}.tmp-`));
  for (const n of tmps) {
    await fsp.rm(path.join(parent, n), { recursive: true, force: true });
    notes.push(`removed ${n}, left by a save that did not finish`);
  }
  if (!existsSync(target)) {
    const restore = interruptedSaveOf(target);
    if (restore) {
      await fsp.rename(restore, target);
      notes.push(`restored the previous model from ${path.basename(restore)} (a save was interrupted between its two renames)`);
    }
  }
  for (const n of (await fsp.readdir(parent)).filter((x) => x.startsWith(`.${base}.old-`))) {
    await fsp.rm(path.join(parent, n), { recursive: true, force: true });
    notes.push(`removed ${n}, the previous model of a save that had finished`);
  }
  return notes;
}

function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    /* some file systems cannot flush a folder; the renames are still atomic */
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Writes `files` into `dir` so that, whatever happens, `dir` holds either its old content or the
 * complete new one, or (crash between the renames) the old content waits beside it as .NAME.old-* and
 * the next `recoverOutputFolder` puts it back. Takes the folder's lock unless this thread holds it.
 * Files in an existing model folder that are not in `ownFiles` (reports, exports) are carried over. A
 * non-empty folder without `markerFile` is refused, so nothing is lost.
 */
export async function writeFolderAtomically(
  dir: string,
  files: { name: string; data: string | Uint8Array }[],
  opts: { markerFile: string; ownFiles: readonly string[] },
): Promise<void> {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  const base = path.basename(target);
  const lock = acquireOutputLock(target);
  try {
    await recoverOutputFolder(target);
    checkOutputFolder(target, opts.markerFile);
    const existing = existsSync(target) ? await fsp.readdir(target) : null;
    const tag = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const tmp = path.join(parent, `.${base}.tmp-${tag}`);
    await fsp.mkdir(tmp);
    try {
      for (const f of files) {
        const fh = await fsp.open(path.join(tmp, f.name), 'w');
        try {
          await fh.writeFile(f.data);
          await fh.sync();
        } finally {
          await fh.close();
        }
      }
      if (existing) {
        for (const name of existing) {
          if (opts.ownFiles.includes(name)) continue;
          await fsp.cp(path.join(target, name), path.join(tmp, name), { recursive: true, preserveTimestamps: true });
        }
      }
      fsyncDir(tmp);
    } catch (err) {
      await fsp.rm(tmp, { recursive: true, force: true });
      throw err;
    }
    if (existing) {
      const old = path.join(parent, `.${base}.old-${tag}`);
      await fsp.rename(target, old);
      try {
        await fsp.rename(tmp, target);
      } catch (err) {
        await fsp.rename(old, target).catch(() => undefined);
        await fsp.rm(tmp, { recursive: true, force: true });
        throw err;
      }
      fsyncDir(parent);
      await fsp.rm(old, { recursive: true, force: true });
    } else {
      await fsp.rename(tmp, target);
    }
    fsyncDir(parent);
  } finally {
    lock.release();
  }
}
