/**
 * `autograd-lens lint [--format text|json|sarif] [--select CODES] [--ignore CODES] [--fix]
 *                     [--follow-symlinks] [--config PYPROJECT] [--jobs N|auto] [--single-file] PATH...`
 *
 * Which files: see walk.ts (Ruff's and git's rules: symlinked folders not followed by default, regular
 * files only, each real path once); `*.py` and `*.ipynb`. A notebook's code cells are linted as one
 * program (src/core/notebook) and its findings are located by cell. Each Python file is decoded as
 * CPython decodes it (pysource.ts); a notebook is UTF-8 JSON. A path that cannot be read, decoded or
 * is not Python is reported on stderr and the others are still linted; stdout stays one valid
 * JSON/SARIF document. Configuration: the nearest pyproject.toml above each file (or `--config`), then
 * --select/--ignore.
 *
 * A file's imports of other Python files under the current directory or the given paths (`from models import
 * Net`) are analysed with it (core/lint/workspace.ts; `--single-file` turns this off); findings stay in the
 * file linted.
 *
 * Files are linted by `--jobs N` worker threads (default: one per core for runs of some size; lintPool.ts),
 * with the same output as one thread gives.
 *
 * Exit status: 0 nothing at warning or above; 1 findings or syntax errors; 2 bad usage, or a path that
 * could not be linted; 3 the linter failed on a file (AGL000 internal-error). The highest applies.
 */
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import {
  applyFixes,
  isEnabled,
  createLinter,
  INTERNAL_ERROR_CODE,
  mergeConfig,
  sameFinding,
  parsePyprojectConfig,
  RULES,
  type Diagnostic,
  type LintConfig,
  type Linter,
  type Position,
  type WorkspaceFiles,
} from '../core/lint/index';
import { ConfigError, describeUnknownCode, locateCodeInPyproject, unknownRuleCodes } from '../core/lint/config';
import { applyEditsToBytes, decodePythonSource, SourceDecodeError, SourceEncodeError, type DecodedSource } from '../core/lint/pysource';
import {
  filePosition,
  fixCells,
  isPythonNotebook,
  lintCells,
  NotebookError,
  parseNotebook,
  replaceCellSources,
  type CellDiagnostic,
  type ParsedNotebook,
} from '../core/notebook/index';
import { plainText } from '../shared/format';
import { CliError, unknownOption } from './common';
import { defaultJobs, lintInPool, parseJobs } from './lintPool';
import { collectFiles, readRegularFile, ReadProblem, type PathProblem } from './walk';
import { diskWorkspace } from '../shared/diskWorkspace';

const LINT_OPTIONS = ['--format', '--select', '--ignore', '--fix', '--follow-symlinks', '--config', '--jobs', '--single-file', '--help'];

type Format = 'text' | 'json' | 'sarif';

export interface Options {
  format: Format;
  select: string[];
  ignore: string[];
  fix: boolean;
  followSymlinks: boolean;
  config: string | null;
  /** Worker threads (`--jobs`); null: one per available core (lintPool.ts). */
  jobs: number | null;
  /** `--single-file`: lint each file by itself, without the definitions it imports from the workspace. */
  singleFile: boolean;
  paths: string[];
}

const KNOWN_CODES = RULES.map((r) => r.code);

export const EXIT = { clean: 0, findings: 1, usageOrIo: 2, internal: 3 } as const;

function codes(v: string, flag: string): string[] {
  const list = v.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  for (const c of list) if (!/^[A-Z]+[0-9]*$/.test(c)) throw new CliError(`${flag}: '${c}' is not a rule code or prefix (like AGL001 or AGL)`);
  return list;
}

export function parseLintArgs(args: string[]): Options {
  const o: Options = { format: 'text', select: [], ignore: [], fix: false, followSymlinks: false, config: null, jobs: null, singleFile: false, paths: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw new CliError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new CliError(`--format must be text, json or sarif (got '${f}')`);
        o.format = f;
        break;
      }
      case '--select':
        o.select.push(...codes(value(), '--select'));
        break;
      case '--ignore':
        o.ignore.push(...codes(value(), '--ignore'));
        break;
      case '--fix':
        o.fix = true;
        break;
      case '--follow-symlinks':
        o.followSymlinks = true;
        break;
      case '--config':
        o.config = value();
        break;
      case '--jobs':
        o.jobs = parseJobs(value());
        break;
      case '--single-file':
        o.singleFile = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw unknownOption('lint', a, LINT_OPTIONS);
        o.paths.push(a);
    }
  }
  if (o.paths.length === 0) throw new CliError('lint: no PATH given (a .py file or a directory)');
  const unknown = unknownRuleCodes({ select: o.select, ignore: o.ignore }, KNOWN_CODES, { select: '--select', ignore: '--ignore', severity: '' });
  if (unknown.length) throw new CliError(unknown.map((u) => describeUnknownCode(u, KNOWN_CODES)).join('\n'));
  return o;
}

const configCache = new Map<string, Partial<LintConfig> | undefined>();

function loadPyproject(file: string): Partial<LintConfig> | undefined {
  if (configCache.has(file)) return configCache.get(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let cfg: Partial<LintConfig>;
  try {
    cfg = parsePyprojectConfig(text);
  } catch (err) {
    if (err instanceof ConfigError && err.line !== undefined) throw new CliError(`${file}:${err.line}:${err.column ?? 1}: ${err.detail}`);
    throw new CliError(`${file}: ${(err as Error).message}`);
  }
  const unknown = unknownRuleCodes(cfg, KNOWN_CODES, { select: '[tool.autograd-lens] select', ignore: '[tool.autograd-lens] ignore', severity: '[tool.autograd-lens.severity]' });
  if (unknown.length) {
    throw new CliError(
      unknown
        .map((u) => {
          const at = locateCodeInPyproject(text, u.code);
          return `${file}${at ? `:${at.line}:${at.column}` : ''}: ${describeUnknownCode(u, KNOWN_CODES)}`;
        })
        .join('\n'),
    );
  }
  configCache.set(file, cfg);
  return cfg;
}

/** The nearest pyproject.toml at or above the file's folder, or null. */
export function findPyproject(file: string): string | null {
  let dir = dirname(resolve(file));
  for (;;) {
    const candidate = join(dir, 'pyproject.toml');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Whether a path names a notebook (by its extension). */
export function isNotebookPath(file: string): boolean {
  return /\.ipynb$/i.test(file);
}

/** A syntax error: Python cannot compile the file, and what tree-sitter could not read is not linted. */
export interface SyntaxProblem {
  position: Position;
  message: string;
}

/** One finding as the output formats print it: in a file, or in a notebook's cell. */
export interface Finding {
  code: string;
  rule: string;
  severity: string;
  message: string;
  /** 0-based index of the notebook cell, or null in a .py file. */
  cell: number | null;
  range: Diagnostic['range'];
  related: Array<{ cell: number | null; range: Diagnostic['range']; message: string }>;
  fixable: boolean;
}

export interface FileResult {
  file: string;
  findings: Finding[];
  /** The notebook as read, for positions in its JSON text (SARIF). */
  notebook?: ParsedNotebook;
  syntaxError?: SyntaxProblem | null;
  /**
   * Findings in other files' helpers that this file's use reveals (`LintRun.revealed`), to be reported in those
   * files (`addRevealed`); removed before output.
   */
  revealed?: { path: string; finding: Finding }[];
}

function fromDiagnostic(d: Diagnostic): Finding {
  return {
    code: d.code,
    rule: d.rule,
    severity: d.severity,
    message: d.message,
    cell: null,
    range: d.range,
    related: d.related.map((r) => ({ cell: null, range: r.range, message: r.message })),
    fixable: d.fixes.some((f) => f.safe),
  };
}

function fromCellDiagnostic(d: CellDiagnostic): Finding {
  return {
    code: d.code,
    rule: d.rule,
    severity: d.severity,
    message: d.message,
    cell: d.cell,
    range: d.range,
    related: d.related.map((r) => ({ cell: r.cell, range: r.range, message: r.message })),
    fixable: d.fixes.some((f) => f.safe),
  };
}

function displayPath(file: string): string {
  const r = relative(process.cwd(), resolve(file));
  return (r.startsWith('..') ? resolve(file) : r).split(sep).join('/');
}

const SYNTAX_MESSAGE = 'the file does not parse here (Python cannot compile it); code the parser could not read is not linted';

/**
 * Replace a file's content by writing a sibling temporary file and renaming it over the file (its real
 * path, so a symlink stays a symlink), keeping its permission bits: a crash leaves the old or the new
 * content, never half of one. Refuses when the file changed since it was read.
 */
function replaceFile(real: string, expectedOld: Uint8Array, bytes: Uint8Array): void {
  const now = readRegularFile(real);
  if (Buffer.compare(now, Buffer.from(expectedOld.buffer, expectedOld.byteOffset, expectedOld.byteLength)) !== 0) {
    throw new ReadProblem(`${real} changed while it was being linted; not fixed (run again)`);
  }
  const mode = statSync(real).mode & 0o7777;
  const tmp = join(dirname(real), `.${basename(real)}.autograd-lens-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', mode);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    chmodSync(tmp, mode);
    renameSync(tmp, real);
  } catch (err) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new ReadProblem(`cannot write ${real}: ${(err as Error).message}`);
  }
}

export interface Totals {
  brokenConfigs: Set<string>;
  fixed: number;
  problems: PathProblem[];
  internal: number;
  notes: string[];
}

/**
 * The configuration of one file: `--config`, else the nearest pyproject.toml, then --select/--ignore. A
 * broken pyproject.toml found next to some files is said once, and those files are linted with the
 * defaults (as the editor does), so nothing goes unlinted; the exit status says something was wrong.
 */
function configFor(path: string, o: Options, cliConfig: Partial<LintConfig>, totals: Totals): LintConfig {
  const py = o.config ? null : findPyproject(path);
  let fileConfig: Partial<LintConfig> | undefined;
  try {
    fileConfig = o.config ? loadPyproject(o.config) : py ? loadPyproject(py) : undefined;
  } catch (err) {
    if (!(err instanceof CliError) || !py) throw err;
    if (!totals.brokenConfigs.has(py)) {
      totals.brokenConfigs.add(py);
      totals.problems.push({ path: py, message: `${err.message}; files under it are linted with the default configuration` });
    }
    fileConfig = undefined;
  }
  return mergeConfig(fileConfig, cliConfig);
}

/** The run's workspace reader (one per thread: it caches what it read), or undefined with `--single-file`. */
let workspaceCache: { key: string; files: WorkspaceFiles } | null = null;
function workspaceOf(o: Options): WorkspaceFiles | undefined {
  if (o.singleFile) return undefined;
  const key = JSON.stringify(o.paths);
  if (workspaceCache?.key !== key) workspaceCache = { key, files: diskWorkspace(['.', ...o.paths.map((p) => (isDirectoryPath(p) ? p : dirname(p)))], process.cwd(), { stable: true }) };
  return workspaceCache.files;
}

function isDirectoryPath(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Lint (and with --fix, fix) one Python file; problems with the file itself go to `totals.problems`. */
function lintOneFile(linter: Linter, file: { path: string; real: string }, o: Options, cliConfig: Partial<LintConfig>, totals: Totals, say: (line: string) => void): FileResult | null {
  let bytes: Uint8Array;
  let decoded: DecodedSource;
  try {
    bytes = readRegularFile(file.path);
    decoded = decodePythonSource(bytes);
  } catch (err) {
    if (err instanceof ReadProblem) totals.problems.push({ path: file.path, message: err.message });
    else if (err instanceof SourceDecodeError) totals.problems.push({ path: file.path, message: `${file.path}: cannot decode: ${err.message}; not linted` });
    else throw err;
    return null;
  }
  for (const n of decoded.notes) totals.notes.push(`note: ${file.path}: ${n}`);
  const config = configFor(file.path, o, cliConfig, totals);
  const workspace = workspaceOf(o);
  let diagnostics = linter.lint(decoded.text, { path: file.path, config, workspace });
  let hasSyntaxError = linter.lastRun.syntaxError;
  let finalText = decoded.text;
  if (o.fix && diagnostics.some((d) => d.fixes.some((f) => f.safe))) {
    // Apply, re-lint, repeat while fixes still apply (overlapping fixes wait for the next round). Each
    // round's edits are written into the bytes themselves: nothing outside an edit changes.
    let curBytes = bytes;
    let cur = decoded;
    let fixed = 0;
    try {
      for (let round = 0; round < 5; round++) {
        const { applied, edits } = applyFixes(cur.text, diagnostics);
        if (applied === 0 || edits.length === 0) break;
        curBytes = applyEditsToBytes(curBytes, cur, edits);
        cur = decodePythonSource(curBytes);
        finalText = cur.text;
        fixed += applied;
        diagnostics = linter.lint(cur.text, { path: file.path, config, workspace });
        hasSyntaxError = linter.lastRun.syntaxError;
      }
      if (curBytes !== bytes) {
        replaceFile(file.real, bytes, curBytes);
        totals.fixed += fixed;
      }
    } catch (err) {
      if (!(err instanceof SourceEncodeError || err instanceof ReadProblem || err instanceof SourceDecodeError)) throw err;
      totals.problems.push({ path: file.path, message: `${file.path}: ${err.message}` });
      finalText = decoded.text;
      diagnostics = linter.lint(decoded.text, { path: file.path, config, workspace });
      hasSyntaxError = linter.lastRun.syntaxError;
    }
  }
  for (const e of linter.lastRun.internalErrors) {
    const detail = process.env.AUTOGRAD_LENS_DEBUG ? e.error : e.error.split('\n')[0];
    say(`autograd-lens: internal error in ${e.code === 'parse' ? 'the parser' : e.code} on ${displayPath(file.path)}: ${detail}\n`);
  }
  let syntaxError: SyntaxProblem | null = null;
  if (hasSyntaxError) {
    const position = linter.locateSyntaxError(finalText) ?? { line: 0, column: 0 };
    syntaxError = { position, message: SYNTAX_MESSAGE };
  }
  const revealed = (linter.lastRun.revealed ?? []).map((r) => ({ path: r.path, finding: fromDiagnostic(r.diagnostic) }));
  return { file: file.path, findings: diagnostics.map(fromDiagnostic), syntaxError, ...(revealed.length > 0 ? { revealed } : {}) };
}

/**
 * Adds to each linted file the findings other files' use of its helpers revealed (a NaN-prone guard in a helper that
 * only another file differentiates through): reported where the mistake and its fix are, once, after the file's
 * own findings at the same place, under that file's configuration. A helper file not linted in this run is not
 * reported (the caller's finding at its call already shows it).
 */
export function addRevealed(results: FileResult[], enabled: (file: string, code: string) => boolean): void {
  const byPath = new Map(results.map((r) => [resolve(r.file), r]));
  const added = new Set<FileResult>();
  for (const r of results) {
    for (const rv of r.revealed ?? []) {
      const target = byPath.get(resolve(rv.path));
      if (!target || target.notebook || target.syntaxError || !enabled(target.file, rv.finding.code)) continue;
      if (target.findings.some((f) => sameFinding(f, rv.finding))) continue;
      target.findings.push(rv.finding);
      added.add(target);
    }
  }
  for (const r of results) delete r.revealed;
  for (const t of added) t.findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column || a.code.localeCompare(b.code));
}

/**
 * A notebook: its code cells as one program. With `fix`, only the `source` of the cells that changed is
 * rewritten; everything else in the file stays byte for byte. A bad notebook is a path problem.
 */
function lintNotebookFile(linter: Linter, file: { path: string; real: string }, config: LintConfig, fix: boolean, totals: Totals, workspace: WorkspaceFiles | undefined): { result: FileResult | null; fixed: number } {
  let bytes: Uint8Array;
  let text: string;
  try {
    bytes = readRegularFile(file.path);
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    if (err instanceof ReadProblem) totals.problems.push({ path: file.path, message: err.message });
    else if (err instanceof TypeError) totals.problems.push({ path: file.path, message: `${file.path}: cannot decode: a notebook is JSON in UTF-8 and this file is not valid UTF-8; not linted` });
    else throw err;
    return { result: null, fixed: 0 };
  }
  try {
    const nb = parseNotebook(text, displayPath(file.path));
    if (!isPythonNotebook(nb)) {
      totals.notes.push(`note: ${displayPath(file.path)}: the kernel language is ${nb.language}, not Python: skipped`);
      return { result: null, fixed: 0 };
    }
    if (!fix) return { result: { file: file.path, notebook: nb, findings: lintCells(linter, nb.cells, { path: file.path, config, workspace }).map(fromCellDiagnostic) }, fixed: 0 };
    const r = fixCells(linter, nb.cells, { path: file.path, config, workspace });
    let notebook = nb;
    let applied = 0;
    if (r.applied > 0) {
      const changed = new Map(r.cells.filter((c, i) => c.source !== nb.cells[i].source).map((c) => [c.index, c.source]));
      const output = replaceCellSources(nb, changed);
      if (output !== text) {
        try {
          replaceFile(file.real, bytes, Buffer.from(output, 'utf8'));
          notebook = parseNotebook(output, displayPath(file.path));
          applied = r.applied;
        } catch (err) {
          if (!(err instanceof ReadProblem)) throw err;
          totals.problems.push({ path: file.path, message: err.message });
          return { result: { file: file.path, notebook: nb, findings: lintCells(linter, nb.cells, { path: file.path, config, workspace }).map(fromCellDiagnostic) }, fixed: 0 };
        }
      }
    }
    return { result: { file: file.path, notebook, findings: r.diagnostics.map(fromCellDiagnostic) }, fixed: applied };
  } catch (err) {
    if (!(err instanceof NotebookError)) throw err;
    // A bad notebook is reported and the run goes on: the other files' findings are not lost.
    totals.problems.push({ path: file.path, message: `error: ${err.message}` });
    return { result: null, fixed: 0 };
  }
}

/**
 * Lint (and with --fix, fix) one path of the run, a Python file or a notebook. Problems with the path go to
 * `totals.problems` (the caller prints them); the lines about engine failures go to `say`.
 */
export function lintPath(
  linter: Linter,
  file: { path: string; real: string },
  o: Options,
  cliConfig: Partial<LintConfig>,
  totals: Totals,
  say: (line: string) => void = (line) => process.stderr.write(line),
): FileResult | null {
  if (!isNotebookPath(file.path)) return lintOneFile(linter, file, o, cliConfig, totals, say);
  const { result, fixed } = lintNotebookFile(linter, file, configFor(file.path, o, cliConfig, totals), o.fix, totals, workspaceOf(o));
  totals.fixed += fixed;
  for (const f of result?.findings.filter((x) => x.code === INTERNAL_ERROR_CODE && x.severity === 'error') ?? []) {
    say(`autograd-lens: internal error on ${displayPath(file.path)} (cell ${(f.cell ?? 0) + 1}): ${f.message}\n`);
  }
  return result;
}

/**
 * V8 settings for the `autograd-lens lint` process (set by the command line's entry before anything is linted;
 * V8's flags are the process's, so the pool's worker threads have them too). A command-line lint is short and
 * cold: every thread compiles the engine afresh, and the warm-up is a large part of the run (docs/benchmarks.md,
 * "Lint": the first pass over PyTorch's sources costs about 1.6 times the CPU of a second pass in the same
 * process). Without inlining, TurboFan compiles each function once for itself: smaller, cheaper compilations,
 * and a function that meets a new kind of value no longer throws away the code of every caller it was inlined
 * into. Measured on the cold command line over PyTorch's sources: 13-16 % less CPU with one thread and with two
 * (findings the same). A warm pass costs 4-5 % more, which a long-lived process would pay: not set for the
 * other commands (training is long and warm) nor in the editor's lint worker.
 */
export function setLintProcessFlags(): void {
  setFlagsFromString('--no-turbo-inlining');
}

/**
 * `deps.linter`: the engine to use (tests pass one with extra rules; it lints in this thread); by default
 * new ones, in `--jobs` worker threads.
 */
export async function runLintCommand(args: string[], deps: { linter?: Linter } = {}): Promise<number> {
  const o = parseLintArgs(args);
  if (o.config && !existsSync(o.config)) throw new CliError(`no such file: ${o.config}`);
  if (o.config) loadPyproject(o.config);
  const walk = collectFiles(o.paths, { followSymlinks: o.followSymlinks });
  for (const p of walk.problems) process.stderr.write(`autograd-lens: ${p.message}\n`);
  const cliConfig: Partial<LintConfig> = { select: o.select, ignore: o.ignore };
  const results: FileResult[] = [];
  const totals: Totals = { brokenConfigs: new Set(), fixed: 0, problems: [], internal: 0, notes: [] };
  const jobs = deps.linter ? 1 : (o.jobs ?? defaultJobs(walk.files));
  if (jobs > 1) {
    // A pool of worker threads; results, stderr and totals exactly as one thread gives them (lintPool.ts).
    results.push(...(await lintInPool(walk.files, o, cliConfig, totals, jobs)));
  } else {
    // Each file is linted once: the engine keeps no models of earlier files (createLinter).
    const linter = deps.linter ?? (await createLinter({ cacheModels: false }));
    for (const file of walk.files) {
      const before = totals.problems.length;
      const r = lintPath(linter, file, o, cliConfig, totals);
      if (r) results.push(r);
      for (const p of totals.problems.slice(before)) process.stderr.write(`autograd-lens: ${p.message}\n`);
    }
  }
  addRevealed(results, (file, code) => isEnabled(code, configFor(file, o, cliConfig, totals)));
  totals.internal = results.reduce((n, r) => n + r.findings.filter((f) => f.code === INTERNAL_ERROR_CODE && f.severity === 'error').length, 0);
  for (const n of totals.notes) process.stderr.write(`autograd-lens: ${n}\n`);
  const problems = [...walk.problems, ...totals.problems];
  if (o.format === 'json') process.stdout.write(`${JSON.stringify(toJson(results), null, 2)}\n`);
  else if (o.format === 'sarif') process.stdout.write(`${JSON.stringify(toSarif(results, problems), null, 2)}\n`);
  else process.stdout.write(toText(results, results.length, o.fix ? totals.fixed : null, problems.length));
  if (o.fix && o.format !== 'text') process.stderr.write(`fixed ${totals.fixed} problem${totals.fixed === 1 ? '' : 's'}\n`);
  if (totals.internal > 0) return EXIT.internal;
  if (problems.length > 0) return EXIT.usageOrIo;
  const found = results.some((r) => r.syntaxError || r.findings.some((d) => d.severity === 'error' || d.severity === 'warning'));
  return found ? EXIT.findings : EXIT.clean;
}

/** `path:line:col` for a file, `path:cell N:line:col` for a notebook cell (1-based, as Ruff prints cells). */
function location(file: string, cell: number | null, pos: Position): string {
  return `${displayPath(file)}:${cell === null ? '' : `cell ${cell + 1}:`}${pos.line + 1}:${pos.column + 1}`;
}

export function toText(results: FileResult[], fileCount: number, fixed: number | null, pathProblems = 0): string {
  const lines: string[] = [];
  let count = 0;
  let internal = 0;
  for (const r of results) {
    const entries: { pos: Position; cell: number | null; text: string }[] = r.findings.map((d) => ({
      pos: d.range.start,
      cell: d.cell,
      text: `${d.code} ${plainText(d.message)}${d.fixable ? ' [*]' : ''}`,
    }));
    if (r.syntaxError) entries.push({ pos: r.syntaxError.position, cell: null, text: `SyntaxError: ${r.syntaxError.message}` });
    entries.sort((a, b) => (a.cell ?? -1) - (b.cell ?? -1) || a.pos.line - b.pos.line || a.pos.column - b.pos.column);
    for (const e of entries) {
      count++;
      lines.push(`${location(r.file, e.cell, e.pos)}: ${e.text}`);
    }
    internal += r.findings.filter((d) => d.code === INTERNAL_ERROR_CODE && d.severity === 'error').length;
  }
  const fixable = results.reduce((n, r) => n + r.findings.filter((d) => d.fixable).length, 0);
  const parts = [`Found ${count} problem${count === 1 ? '' : 's'} in ${fileCount} file${fileCount === 1 ? '' : 's'}.`];
  if (fixed !== null) parts.push(`Fixed ${fixed}.`);
  if (fixable > 0) parts.push(`[*] ${fixable} fixable with --fix.`);
  if (internal > 0) parts.push(`${internal} internal error${internal === 1 ? '' : 's'} (AGL000): findings are missing.`);
  if (pathProblems > 0) parts.push(`${pathProblems} path${pathProblems === 1 ? '' : 's'} could not be linted (see the messages above).`);
  lines.push(parts.join(' '));
  return `${lines.join('\n')}\n`;
}

export interface JsonDiagnostic {
  file: string;
  /** Notebooks only: 1-based index of the cell among all cells; `line`/`column` are within the cell. */
  cell?: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Null for a syntax error (not a rule), as Ruff reports them. */
  code: string | null;
  severity: string;
  message: string;
  rule: string;
  fixable: boolean;
}

export function toJson(results: FileResult[]): JsonDiagnostic[] {
  return results.flatMap((r) => {
    const out: JsonDiagnostic[] = r.findings.map((d) => ({
      file: displayPath(r.file),
      ...(d.cell === null ? {} : { cell: d.cell + 1 }),
      line: d.range.start.line + 1,
      column: d.range.start.column + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.column + 1,
      code: d.code,
      severity: d.severity,
      message: d.message,
      rule: d.rule,
      fixable: d.fixable,
    }));
    if (r.syntaxError) {
      const p = r.syntaxError.position;
      const entry: JsonDiagnostic = {
        file: displayPath(r.file),
        line: p.line + 1,
        column: p.column + 1,
        endLine: p.line + 1,
        endColumn: p.column + 1,
        code: null,
        severity: 'error',
        message: `SyntaxError: ${r.syntaxError.message}`,
        rule: 'syntax-error',
        fixable: false,
      };
      const at = out.findIndex((d) => d.line > entry.line || (d.line === entry.line && d.column > entry.column));
      out.splice(at === -1 ? out.length : at, 0, entry);
    }
    return out;
  });
}

const INFO_URI = 'https://github.com/autograd-lens/autograd-lens';

function sarifLevel(s: string): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

/**
 * SARIF 2.1.0. Findings (AGL000 included) are results. A finding in a notebook is located where code
 * scanning can show it: `region` is the position in the notebook file's JSON text (the line of the
 * cell's `source` that holds it), the message starts with `cell N, line L:`, and `properties.notebook`
 * carries the cell (1-based among all cells) and the line/column range within the cell. Syntax errors,
 * paths that could not be linted and internal errors are also tool execution notifications, and
 * `executionSuccessful` is false when a path could not be linted or the linter failed on a file.
 */
export function toSarif(results: FileResult[], problems: PathProblem[] = []): object {
  const rules = RULES.map((r) => ({
    id: r.code,
    name: r.name,
    shortDescription: { text: r.summary },
    fullDescription: { text: r.docs.whatItDoes },
    help: { text: r.docs.whyIsThisBad, markdown: `${r.docs.whatItDoes}\n\n${r.docs.whyIsThisBad}` },
    helpUri: `${INFO_URI}/blob/main/docs/rules/${r.code}.md`,
    defaultConfiguration: { level: sarifLevel(r.defaultSeverity) },
  }));
  const index = new Map(RULES.map((r, i) => [r.code, i]));
  const region = (r: FileResult, cell: number | null, range: Diagnostic['range']) => {
    if (cell === null || !r.notebook) {
      return { startLine: range.start.line + 1, startColumn: range.start.column + 1, endLine: range.end.line + 1, endColumn: range.end.column + 1 };
    }
    const s = filePosition(r.notebook, cell, range.start.line, range.start.column);
    const e = filePosition(r.notebook, cell, range.end.line, range.end.column);
    return { startLine: s.line + 1, startColumn: s.column + 1, endLine: e.line + 1, endColumn: e.column + 1 };
  };
  const text = (cell: number | null, range: Diagnostic['range'], message: string): string =>
    cell === null ? message : `cell ${cell + 1}, line ${range.start.line + 1}: ${message}`;
  // The rules write code in Markdown backticks: plain text quotes it, and the Markdown is kept alongside.
  const message = (cell: number | null, range: Diagnostic['range'], md: string) => ({ text: text(cell, range, plainText(md)), markdown: text(cell, range, md) });
  const cellRange = (cell: number, range: Diagnostic['range']) => ({
    cell: cell + 1,
    startLine: range.start.line + 1,
    startColumn: range.start.column + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.column + 1,
  });
  const location = (r: FileResult, cell: number | null, range: Diagnostic['range']) => ({
    physicalLocation: { artifactLocation: { uri: displayPath(r.file) }, region: region(r, cell, range) },
  });
  const notifications: object[] = [];
  for (const r of results) {
    if (r.syntaxError) {
      const p = r.syntaxError.position;
      notifications.push({ level: 'error', descriptor: { id: 'syntax-error' }, message: { text: `SyntaxError: ${r.syntaxError.message}` }, locations: [location(r, null, { start: p, end: p })] });
    }
    for (const d of r.findings.filter((x) => x.code === INTERNAL_ERROR_CODE && x.severity === 'error')) {
      notifications.push({ level: 'error', descriptor: { id: INTERNAL_ERROR_CODE }, message: { text: text(d.cell, d.range, d.message) }, locations: [location(r, d.cell, d.range)] });
    }
  }
  for (const p of problems) {
    notifications.push({ level: 'error', descriptor: { id: 'not-linted' }, message: { text: p.message }, locations: [{ physicalLocation: { artifactLocation: { uri: displayPath(p.path) } } }] });
  }
  const failed = problems.length > 0 || results.some((r) => r.findings.some((d) => d.code === INTERNAL_ERROR_CODE && d.severity === 'error'));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'autograd-lens', informationUri: INFO_URI, rules } },
        invocations: [{ executionSuccessful: !failed, toolExecutionNotifications: notifications }],
        columnKind: 'utf16CodeUnits',
        results: results.flatMap((r) =>
          r.findings.map((d) => ({
            ruleId: d.code,
            ruleIndex: index.get(d.code) ?? -1,
            level: sarifLevel(d.severity),
            message: message(d.cell, d.range, d.message),
            locations: [location(r, d.cell, d.range)],
            relatedLocations: d.related.map((rl, i) => ({
              id: i,
              message: message(rl.cell, rl.range, rl.message),
              physicalLocation: { artifactLocation: { uri: displayPath(r.file) }, region: region(r, rl.cell, rl.range) },
              ...(rl.cell === null ? {} : { properties: { notebook: cellRange(rl.cell, rl.range) } }),
            })),
            ...(d.cell === null ? {} : { properties: { notebook: cellRange(d.cell, d.range) } }),
          })),
        ),
      },
    ],
  };
}
