/**
 * Shared code of the precision harnesses (`run.ts`, `fix-check.ts`): the repository list, finding each
 * repository's git directory, exporting a commit's files without a work tree, counting lines, keys and
 * verdicts. No `vscode`; the lint engine is used only through its public API.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { applyFixes, type Diagnostic, type LintConfig, type Linter } from '../../src/core/lint/index';
import { fixCells, isPythonNotebook, lintCells, maskIPython, NotebookError, parseNotebook, replaceCellSources, type CellDiagnostic, type ParsedNotebook } from '../../src/core/notebook/index';

export const HERE = resolve(__dirname);
export const ROOT = resolve(HERE, '../..');
export const REPOS_FILE = join(HERE, 'repos.json');
export const VERDICTS_FILE = join(HERE, 'verdicts.json');
/** Environment variable naming the folder of fetched repositories (used when `--mirrors` is not given). */
export const MIRRORS_ENV = 'AGL_PRECISION_MIRRORS';

export class HarnessError extends Error {}

/**
 * Run a harness script's `main` when the file is run (not imported): its result is the exit code; a HarnessError
 * prints its message alone (a usage mistake), any other error its stack, and exits 2.
 */
export function runMain(module: NodeModule, main: () => Promise<number>): void {
  if (require.main !== module) return;
  main().then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof HarnessError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}

/**
 * Walks command-line arguments as the harnesses take them, `--flag value` or `--flag=value`: calls
 * `on(flag, value, arg)` for each; `value()` takes the flag's value (after `=`, or the next argument) and
 * throws when there is none.
 */
export function eachFlag(args: readonly string[], on: (flag: string, value: () => string, arg: string) => void): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const inline = a.startsWith('--') && eq > 0;
    const flag = inline ? a.slice(0, eq) : a;
    on(
      flag,
      () => {
        if (inline) return a.slice(eq + 1);
        const v = args[++i];
        if (v === undefined) throw new HarnessError(`${flag} needs a value`);
        return v;
      },
      a,
    );
  }
}

/** A flag's value as a positive number of seconds, or a HarnessError naming the flag. */
export function positiveSeconds(flag: string, text: string): number {
  const s = Number(text);
  if (!Number.isFinite(s) || s <= 0) throw new HarnessError(`${flag} takes a positive number of seconds`);
  return s;
}

// ---------------------------------------------------------------------------------------------------
// The repository list

export interface RepoEntry {
  repo: string;
  commit: string;
  framework: string[];
  domain: string;
  why: string;
  /** Behaviour script under bench/precision/behaviour/ run by fix-check.ts (optional). */
  behaviour?: string;
}

const FRAMEWORKS = new Set(['pytorch', 'tensorflow', 'jax']);

/** Read and validate the repository list; every problem is reported with the entry it is in. */
export function loadRepos(file = REPOS_FILE): RepoEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new HarnessError(`cannot read the repository list ${file}: ${(err as Error).message}`);
  }
  return validateRepos(raw);
}

export function validateRepos(raw: unknown): RepoEntry[] {
  if (!Array.isArray(raw)) throw new HarnessError('the repository list must be a JSON array');
  const seen = new Set<string>();
  return raw.map((e: unknown, i) => {
    const where = `entry ${i}`;
    if (typeof e !== 'object' || e === null) throw new HarnessError(`${where}: not an object`);
    const o = e as Record<string, unknown>;
    const str = (k: string): string => {
      const v = o[k];
      if (typeof v !== 'string' || v.trim() === '') throw new HarnessError(`${where} (${String(o.repo)}): "${k}" must be a non-empty string`);
      return v;
    };
    const repo = str('repo');
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(repo)) throw new HarnessError(`${where}: "${repo}" is not owner/name`);
    if (seen.has(repo.toLowerCase())) throw new HarnessError(`${where}: ${repo} is listed twice`);
    seen.add(repo.toLowerCase());
    const commit = str('commit');
    if (!/^[0-9a-f]{40}$/.test(commit)) throw new HarnessError(`${where} (${repo}): commit must be 40 lower-case hex digits`);
    const framework = o.framework;
    if (!Array.isArray(framework) || framework.length === 0 || !framework.every((f) => typeof f === 'string' && FRAMEWORKS.has(f))) {
      throw new HarnessError(`${where} (${repo}): framework must be a non-empty list of ${[...FRAMEWORKS].join(', ')}`);
    }
    const entry: RepoEntry = { repo, commit, framework: framework as string[], domain: str('domain'), why: str('why') };
    if (o.behaviour !== undefined) {
      const b = str('behaviour');
      if (!/^[A-Za-z0-9_-]+\.py$/.test(b)) throw new HarnessError(`${where} (${repo}): behaviour must be a file name under bench/precision/behaviour/`);
      entry.behaviour = b;
    }
    return entry;
  });
}

/** The folder name `fetch` gives a repository: `owner/name` becomes `owner+name`. */
export function mirrorName(repo: string): string {
  return repo.replace('/', '+');
}

// ---------------------------------------------------------------------------------------------------
// Finding git directories

function isGitDir(p: string): boolean {
  return existsSync(join(p, 'HEAD')) && existsSync(join(p, 'objects')) && statSync(join(p, 'objects')).isDirectory();
}

/**
 * The git directory for a path: a bare git directory, a folder with `.git`, or a folder as `fetch` makes
 * it (`owner+name/repo`, itself bare or with `.git`). Null when none is found.
 */
export function findGitDir(p: string): string | null {
  for (const c of [p, join(p, '.git'), join(p, 'repo'), join(p, 'repo', '.git')]) {
    if (existsSync(c) && statSync(c).isDirectory() && isGitDir(c)) return c;
  }
  return null;
}

export interface Sources {
  /** Folder with one fetched repository per sub-folder, named `owner+name`. */
  mirrors: string | null;
  /** Explicit `owner/name=PATH` overrides. */
  paths: Map<string, string>;
}

/** Where each repository's git directory is, or why it is not available. */
export function locate(repo: string, src: Sources): { gitDir: string } | { missing: string } {
  const explicit = src.paths.get(repo.toLowerCase());
  const candidates = explicit ? [explicit] : src.mirrors ? [join(src.mirrors, mirrorName(repo))] : [];
  if (candidates.length === 0) return { missing: `no --mirrors folder or --repo path given (set ${MIRRORS_ENV})` };
  for (const c of candidates) {
    if (!existsSync(c)) return { missing: `not fetched: ${mirrorName(repo)} is not in the mirrors folder` };
    const g = findGitDir(c);
    if (g) return { gitDir: g };
  }
  return { missing: `no git directory under ${mirrorName(repo)}` };
}

/** Parse the options both harnesses share; returns the rest. */
export function parseSourceArgs(args: string[]): { sources: Sources; rest: string[]; only: Set<string> | null } {
  const sources: Sources = { mirrors: null, paths: new Map() };
  const rest: string[] = [];
  let only: Set<string> | null = null;
  eachFlag(args, (flag, value, a) => {
    if (flag === '--mirrors') sources.mirrors = resolve(value());
    else if (flag === '--repo') {
      const v = value();
      const eq = v.indexOf('=');
      if (eq <= 0) throw new HarnessError(`--repo takes owner/name=PATH (got '${v}')`);
      sources.paths.set(v.slice(0, eq).toLowerCase(), resolve(v.slice(eq + 1)));
    } else if (flag === '--only') {
      only = new Set(value().split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
    } else rest.push(a);
  });
  if (!sources.mirrors && process.env[MIRRORS_ENV]) sources.mirrors = resolve(process.env[MIRRORS_ENV] as string);
  if (sources.mirrors && !existsSync(sources.mirrors)) throw new HarnessError(`--mirrors: no such folder: ${sources.mirrors}`);
  return { sources, rest, only };
}

export function selectRepos(repos: RepoEntry[], only: Set<string> | null): RepoEntry[] {
  if (!only) return repos;
  const known = new Set(repos.map((r) => r.repo.toLowerCase()));
  for (const o of only) if (!known.has(o)) throw new HarnessError(`--only: ${o} is not in the repository list`);
  return repos.filter((r) => only.has(r.repo.toLowerCase()));
}

// ---------------------------------------------------------------------------------------------------
// git

function git(gitDir: string, args: string[]): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const p = spawn('git', ['--git-dir', gitDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (c: Buffer) => out.push(c));
    p.stderr.on('data', (c: Buffer) => err.push(c));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code === 0) resolvePromise(Buffer.concat(out));
      else reject(new HarnessError(`git ${args[0]} failed (exit ${code}): ${Buffer.concat(err).toString('utf8').trim().split('\n')[0]}`));
    });
  });
}

export async function hasCommit(gitDir: string, commit: string): Promise<boolean> {
  try {
    const t = (await git(gitDir, ['cat-file', '-t', commit])).toString('utf8').trim();
    return t === 'commit';
  } catch {
    return false;
  }
}

export async function headCommit(gitDir: string): Promise<string | null> {
  try {
    return (await git(gitDir, ['rev-parse', 'HEAD'])).toString('utf8').trim();
  } catch {
    return null;
  }
}

export interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  path: string;
}

export async function listTree(gitDir: string, commit: string): Promise<TreeEntry[]> {
  const out = (await git(gitDir, ['ls-tree', '-r', '-z', '--full-tree', commit])).toString('utf8');
  const entries: TreeEntry[] = [];
  for (const rec of out.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, oid] = rec.slice(0, tab).split(' ');
    entries.push({ mode, type, oid, path: rec.slice(tab + 1) });
  }
  return entries;
}

export interface ExportResult {
  /** Paths written (relative, `/`-separated). */
  written: string[];
  /** Blobs the snapshot lacks (fetch leaves out files of 4 MiB and more). */
  missing: string[];
  /** Symbolic links and submodules, not exported. */
  skipped: string[];
}

/**
 * Write the files of `commit` that `want(path)` accepts into `dest`, streaming `git cat-file --batch`.
 * Unlike `git archive`, a blob the snapshot lacks does not abort the export: it is listed in `missing`.
 */
export async function exportCommit(gitDir: string, commit: string, dest: string, want: (path: string) => boolean = () => true): Promise<ExportResult> {
  const entries = await listTree(gitDir, commit);
  const result: ExportResult = { written: [], missing: [], skipped: [] };
  const blobs: TreeEntry[] = [];
  for (const e of entries) {
    if (!want(e.path)) continue;
    if (e.type !== 'blob' || e.mode === '120000') result.skipped.push(e.path);
    else blobs.push(e);
  }
  if (blobs.length === 0) return result;
  await new Promise<void>((resolvePromise, reject) => {
    const p = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let next = 0; // index into blobs of the object whose answer comes next
    let pending: Buffer = Buffer.alloc(0);
    let need = -1; // bytes of content (plus the trailing newline) still expected, or -1 for a header
    const parts: Buffer[] = [];
    let got = 0;
    const err: Buffer[] = [];
    const write = (e: TreeEntry, content: Buffer): void => {
      const target = join(dest, ...e.path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content, { mode: e.mode === '100755' ? 0o755 : 0o644 });
      result.written.push(e.path);
    };
    p.stdout.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        if (need < 0) {
          const nl = pending.indexOf(10);
          if (nl < 0) return;
          const header = pending.subarray(0, nl).toString('utf8');
          pending = pending.subarray(nl + 1);
          const entry = blobs[next];
          if (header.endsWith(' missing')) {
            result.missing.push(entry.path);
            next++;
            continue;
          }
          const size = Number(header.split(' ')[2]);
          if (!Number.isFinite(size)) {
            reject(new HarnessError(`git cat-file: unexpected answer '${header}' for ${entry.path}`));
            p.kill();
            return;
          }
          need = size + 1;
          got = 0;
          parts.length = 0;
        }
        if (pending.length === 0) return;
        const take = Math.min(need - got, pending.length);
        parts.push(pending.subarray(0, take));
        pending = pending.subarray(take);
        got += take;
        if (got < need) return;
        const content = Buffer.concat(parts);
        write(blobs[next], content.subarray(0, content.length - 1));
        next++;
        need = -1;
      }
    });
    p.stderr.on('data', (c: Buffer) => err.push(c));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) reject(new HarnessError(`git cat-file failed (exit ${code}): ${Buffer.concat(err).toString('utf8').trim()}`));
      else if (next !== blobs.length) reject(new HarnessError(`git cat-file answered ${next} of ${blobs.length} objects`));
      else resolvePromise();
    });
    p.stdin.on('error', () => undefined); // reported through the exit status
    p.stdin.end(blobs.map((b) => b.oid).join('\n') + '\n');
  });
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Counting, keys

/** Non-blank lines. */
export function countLines(text: string): number {
  let n = 0;
  for (const line of text.split(/\r\n|\r|\n/)) if (/\S/.test(line)) n++;
  return n;
}

/** Non-blank lines of a notebook's code cells, or null when the file is not a readable notebook. */
export function notebookCodeLines(text: string): number | null {
  try {
    const nb = JSON.parse(text) as { cells?: { cell_type?: string; source?: string | string[] }[] };
    if (!Array.isArray(nb.cells)) return null;
    let n = 0;
    for (const c of nb.cells) {
      if (c.cell_type !== 'code') continue;
      n += countLines(Array.isArray(c.source) ? c.source.join('') : (c.source ?? ''));
    }
    return n;
  } catch {
    return null;
  }
}

/**
 * Non-blank lines of a parsed notebook's code cells, as they are linted: a cell under a cell magic whose
 * body is not Python (`%%bash`, `%%writefile`, ...) is blank to the linter and is not counted.
 */
export function notebookLintedLines(nb: ParsedNotebook): number {
  let n = 0;
  for (const c of nb.cells) if (c.kind === 'code' && maskIPython(c.source).cellMagic === null) n += countLines(c.source);
  return n;
}

/** A notebook as the CLI reads it: parsed, or why it is not linted (not a notebook, not Python). */
export function readNotebook(text: string, name: string): { notebook: ParsedNotebook } | { notLinted: string } {
  let nb: ParsedNotebook;
  try {
    nb = parseNotebook(text, name);
  } catch (err) {
    if (err instanceof NotebookError) return { notLinted: err.message };
    throw err;
  }
  if (!isPythonNotebook(nb)) return { notLinted: `${name}: the kernel language is ${nb.language}, not Python (the CLI skips it)` };
  return { notebook: nb };
}

/** Lint a notebook's cells as `autograd-lens lint` does (one program, findings located by cell). */
export function lintNotebook(linter: Linter, nb: ParsedNotebook, opts: { path: string; config: LintConfig }): CellDiagnostic[] {
  return lintCells(linter, nb.cells, opts);
}

/**
 * Apply safe fixes to a notebook exactly as `autograd-lens lint --fix` does (`fixCells`, then only the
 * changed cells' `source` rewritten in the JSON). Returns the new file text and the codes of the fixes
 * offered in the first round.
 */
export function fixNotebook(linter: Linter, nb: ParsedNotebook, opts: { path: string; config: LintConfig }): { output: string; applied: number; codes: string[] } {
  const first = lintCells(linter, nb.cells, opts);
  const codes = first.filter((d) => d.fixes.some((f) => f.safe)).map((d) => d.code);
  if (codes.length === 0) return { output: nb.text, applied: 0, codes: [] };
  const r = fixCells(linter, nb.cells, opts);
  if (r.applied === 0) return { output: nb.text, applied: 0, codes: [] };
  const changed = new Map(r.cells.filter((c, i) => c.source !== nb.cells[i].source).map((c) => [c.index, c.source]));
  return { output: replaceCellSources(nb, changed), applied: r.applied, codes };
}

export function messageHash(message: string): string {
  return createHash('sha1').update(message, 'utf8').digest('hex').slice(0, 12);
}

/** Where a warning is: the file, and for a notebook the cell (`nb.ipynb:cell 4`, 1-based as the CLI prints it). */
export function placeOf(w: { file: string; cell?: number }): string {
  return w.cell === undefined ? w.file : `${w.file}:cell ${w.cell}`;
}

/**
 * The key a verdict is stored under: repository, file (with the cell, in a notebook), 1-based line (in
 * the cell, in a notebook), code and a hash of the message.
 */
export function warningKey(w: { repo: string; file: string; cell?: number; line: number; code: string; message: string }): string {
  return `${w.repo}|${placeOf(w)}|${w.line}|${w.code}|${messageHash(w.message)}`;
}

/** A warning as results.json keeps it: `file:line:col CODE message`, or `nb.ipynb:cell N:line:col CODE message`. */
export function warningLine(w: { file: string; cell?: number; line: number; column: number; code: string; message: string }): string {
  return `${placeOf(w)}:${w.line}:${w.column} ${w.code} ${w.message}`;
}

/** Parse a stored warning line (see `warningLine`) back into a Warning. */
export function parseWarningLine(repo: string, text: string): Warning {
  const m = /^(.+?)(?::cell (\d+))?:(\d+):(\d+) (AGL\d+) ([\s\S]*)$/.exec(text);
  if (!m) throw new HarnessError(`${repo}: not a warning line: ${text.slice(0, 80)}`);
  const w: Warning = { repo, file: m[1], line: Number(m[3]), column: Number(m[4]), code: m[5], severity: '', message: m[6], key: '', fixable: false };
  if (m[2] !== undefined) w.cell = Number(m[2]);
  w.key = warningKey(w);
  return w;
}

/** Per 10,000 lines, two decimals. */
export function per10k(count: number, lines: number): number {
  return lines > 0 ? Math.round((count / lines) * 1e6) / 100 : 0;
}

// ---------------------------------------------------------------------------------------------------
// Verdicts

export type Verdict = 'false-positive' | 'true-positive' | 'debatable';
export const VERDICTS: readonly Verdict[] = ['false-positive', 'true-positive', 'debatable'];

export interface VerdictEntry {
  repo: string;
  file: string;
  /** The cell (1-based), for a warning in a notebook. */
  cell?: number;
  line: number;
  code: string;
  messageHash: string;
  verdict: Verdict;
  /** One sentence: what the rule misread (false positive) or what is really wrong (true positive). */
  cause: string;
  /** A short label grouping entries with the same cause (for the summary by cause). */
  group: string;
}

export interface VerdictFile {
  /** Group label → what the rule misread, in a few words (the summary by cause). */
  groups: Record<string, string>;
  verdicts: VerdictEntry[];
}

/** Read and validate a verdict file; a missing file is an empty one. */
export function loadVerdictFile(file = VERDICTS_FILE): VerdictFile {
  if (!existsSync(file)) return { groups: {}, verdicts: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new HarnessError(`cannot read the verdict file ${file}: ${(err as Error).message}`);
  }
  const o = (raw ?? {}) as { groups?: unknown; verdicts?: unknown };
  const list = o.verdicts;
  if (!Array.isArray(list)) throw new HarnessError(`${file}: expected { "groups": {...}, "verdicts": [...] }`);
  const groups = o.groups === undefined ? {} : o.groups;
  if (typeof groups !== 'object' || groups === null || Array.isArray(groups) || !Object.values(groups).every((g) => typeof g === 'string')) {
    throw new HarnessError(`${file}: "groups" must map a label to a description`);
  }
  const verdicts = list.map((v: Record<string, unknown>, i) => {
    const where = `${file}: verdict ${i} (${String(v.repo)} ${String(v.file)}:${String(v.line)})`;
    for (const k of ['repo', 'file', 'code', 'messageHash', 'cause', 'group']) {
      if (typeof v[k] !== 'string' || (v[k] as string) === '') throw new HarnessError(`${where}: "${k}" must be a non-empty string`);
    }
    if (typeof v.line !== 'number' || !Number.isInteger(v.line) || v.line < 1) throw new HarnessError(`${where}: "line" must be a positive integer`);
    if (v.cell !== undefined && (typeof v.cell !== 'number' || !Number.isInteger(v.cell) || v.cell < 1)) throw new HarnessError(`${where}: "cell" must be a positive integer`);
    if (!VERDICTS.includes(v.verdict as Verdict)) throw new HarnessError(`${where}: "verdict" must be one of ${VERDICTS.join(', ')}`);
    if (!((v.group as string) in groups)) throw new HarnessError(`${where}: group "${String(v.group)}" is not described in "groups"`);
    return v as unknown as VerdictEntry;
  });
  return { groups: groups as Record<string, string>, verdicts };
}

export function loadVerdicts(file = VERDICTS_FILE): VerdictEntry[] {
  return loadVerdictFile(file).verdicts;
}

export function verdictKey(v: VerdictEntry): string {
  return `${v.repo}|${placeOf(v)}|${v.line}|${v.code}|${v.messageHash}`;
}

export interface Warning {
  repo: string;
  file: string;
  /** The cell (1-based) of a warning in a notebook; `line` and `column` are then within the cell. */
  cell?: number;
  line: number;
  column: number;
  code: string;
  severity: string;
  message: string;
  key: string;
  fixable: boolean;
}

export interface Comparison {
  /** Warnings with a verdict under the same key. */
  reviewed: { warning: Warning; verdict: VerdictEntry }[];
  /** Same repository, file, line and code, but the message changed: the old verdict is carried over, to be checked. */
  reworded: { warning: Warning; verdict: VerdictEntry }[];
  /** Warnings with no verdict. */
  unreviewed: Warning[];
  /** Verdicts whose warning is no longer reported (only for repositories that were linted). */
  gone: VerdictEntry[];
}

export function compare(warnings: Warning[], verdicts: VerdictEntry[], lintedRepos: Set<string>): Comparison {
  const byKey = new Map(verdicts.map((v) => [verdictKey(v), v]));
  const byPlace = new Map<string, VerdictEntry[]>();
  for (const v of verdicts) {
    const k = `${v.repo}|${placeOf(v)}|${v.line}|${v.code}`;
    const list = byPlace.get(k) ?? [];
    list.push(v);
    byPlace.set(k, list);
  }
  const used = new Set<VerdictEntry>();
  const out: Comparison = { reviewed: [], reworded: [], unreviewed: [], gone: [] };
  const rest: Warning[] = [];
  for (const w of warnings) {
    const v = byKey.get(w.key);
    if (v && !used.has(v)) {
      used.add(v);
      out.reviewed.push({ warning: w, verdict: v });
    } else rest.push(w);
  }
  for (const w of rest) {
    const v = (byPlace.get(`${w.repo}|${placeOf(w)}|${w.line}|${w.code}`) ?? []).find((c) => !used.has(c));
    if (v) {
      used.add(v);
      out.reworded.push({ warning: w, verdict: v });
    } else out.unreviewed.push(w);
  }
  out.gone = verdicts.filter((v) => !used.has(v) && lintedRepos.has(v.repo));
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Fixing, as `autograd-lens lint --fix` does it

/**
 * Apply safe fixes, re-lint, and repeat while fixes still apply (at most 5 rounds), exactly as the
 * CLI's `--fix`. Returns the final text and the codes of the fixes applied.
 */
export function fixSource(linter: Linter, source: string, opts: { path: string; config: LintConfig }): { output: string; applied: number; codes: string[] } {
  let diagnostics: Diagnostic[] = linter.lint(source, opts);
  let current = source;
  let applied = 0;
  const codes: string[] = [];
  if (!diagnostics.some((d) => d.fixes.some((f) => f.safe))) return { output: source, applied, codes };
  for (let round = 0; round < 5; round++) {
    const r = applyFixes(current, diagnostics);
    if (r.applied === 0 || r.output === current) break;
    applied += r.applied;
    codes.push(...diagnostics.filter((d) => d.fixes.some((f) => f.safe)).map((d) => d.code)); // offered; overlapping ones wait a round
    current = r.output;
    diagnostics = linter.lint(current, opts);
  }
  return { output: current, applied, codes };
}

/** The project's own commit, for the record (null outside a git checkout). */
export function projectCommit(): Promise<string | null> {
  return new Promise((resolvePromise) => {
    const p = spawn('git', ['-C', ROOT, 'rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    p.on('error', () => resolvePromise(null));
    p.on('close', (code) => resolvePromise(code === 0 ? out.trim() : null));
  });
}
