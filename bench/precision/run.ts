/**
 * Precision on real repositories: lint every Python file and every notebook of each repository in
 * repos.json, at its pinned commit, with every rule enabled, and count warnings per 10,000 non-blank
 * lines (for notebooks: lines of code cells), files and notebooks apart.
 *
 *   npx tsx bench/precision/run.ts --mirrors DIR            # DIR/owner+name/ as the fetch tool makes it
 *   AGL_PRECISION_MIRRORS=DIR npx tsx bench/precision/run.ts
 *   npx tsx bench/precision/run.ts --repo owner/name=PATH   # one repository's git directory (repeatable)
 *
 * Options:
 *   --only a/b,c/d     lint only these repositories (results.json is then not rewritten unless --out)
 *   --out FILE         where to write the results (default bench/precision/results.json)
 *   --no-write         do not write results
 *   --compare          list new, reworded and gone warnings against verdicts.json; exit 1 when a warning
 *                      has no verdict or a changed message (review it, then add or update its verdict)
 *   --verdicts FILE    another verdict file (default bench/precision/verdicts.json)
 *   --stub FILE        write a verdict stub for every unreviewed warning (to fill in and merge)
 *   --markdown FILE    write the baseline and review tables for docs/precision.md
 *   --keep DIR         export into DIR (kept) instead of a temporary folder
 *   --progress         print each file as it is linted, with its time (to find a file the engine is slow on)
 *   --file-timeout S   stop linting a file after S seconds (default 300) and list it as not linted
 *   --from FILE        do not lint: read a results.json written earlier (to compare it with the verdicts
 *                      or render its tables again)
 *
 * Each repository is exported from its git directory at the pinned commit (blobs the snapshot lacks are
 * listed, never fatal), then linted through the engine's public API in a worker thread (so that a file
 * the engine is stuck on can be stopped; see --file-timeout). Files that are not
 * UTF-8, that have syntax errors (as the engine's parser sees them), or on which a rule throws are
 * counted and listed; they never stop the run. Notebooks (`.ipynb`) are linted as `autograd-lens lint`
 * reads them (src/core/notebook: the code cells as one program, findings by cell); a notebook the CLI
 * would not lint (not nbformat 4, not a Python kernel, not valid JSON) is counted and listed. See
 * docs/precision.md.
 */
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLinter, type Engine } from '../../src/core/lint/index';
import { buildProgram } from '../../src/core/notebook/index';
import { isNotebookFile, lintOne, type LintReply, type LintRequest } from './lint-worker';
import { loadPythonParser } from '../../src/core/lint/parser';
import {
  compare,
  countLines,
  exportCommit,
  eachFlag,
  HarnessError,
  positiveSeconds,
  hasCommit,
  headCommit,
  HERE,
  loadRepos,
  loadVerdictFile,
  locate,
  mirrorName,
  notebookCodeLines,
  parseWarningLine,
  parseSourceArgs,
  placeOf,
  per10k,
  projectCommit,
  readNotebook,
  selectRepos,
  VERDICTS_FILE,
  warningKey,
  warningLine,
  type Comparison,
  type RepoEntry,
  type Sources,
  type VerdictEntry,
  type Warning,
  runMain,
} from './lib';

export interface RepoResult {
  repo: string;
  commit: string;
  framework: string[];
  domain: string;
  status: 'ok' | 'unavailable';
  reason?: string;
  /** Python files linted, and their non-blank lines (the rate's denominator). */
  files: number;
  lines: number;
  /** Python files the engine did not finish within the time limit, and their non-blank lines. */
  filesNotLinted: number;
  linesNotLinted: number;
  /** Notebooks found; those linted and their code-cell lines (the notebooks' rate's denominator). */
  notebooks: number;
  notebooksLinted: number;
  notebookLines: number;
  /** Notebooks the CLI would not lint (not nbformat 4, not Python, not JSON) or the engine did not finish, and their code lines. */
  notebooksNotLinted: number;
  notebookLinesNotLinted: number;
  /** Python files: warnings, by code, per 10,000 lines. */
  warningsTotal: number;
  byCode: Record<string, number>;
  per10k: number;
  /** `file:line:col CODE message`, in file order. */
  warnings: string[];
  /** Notebooks: warnings, by code, per 10,000 code-cell lines. */
  notebookWarningsTotal: number;
  notebookByCode: Record<string, number>;
  notebookPer10k: number;
  /** `nb.ipynb:cell N:line:col CODE message` (cell 1-based among all cells, line within the cell). */
  notebookWarnings: string[];
  details: Warning[];
  /** Files that could not be read or parsed, or on which a rule threw. */
  failures: { file: string; reason: string }[];
  /** Blobs the snapshot lacks (any file type); only .py/.ipynb ones matter here. */
  missingBlobs: string[];
  lintMs: number;
  /** The files that took longest to lint (wall time, milliseconds), slowest first. */
  slowest: { file: string; ms: number }[];
}

const USAGE =
  'usage: npx tsx bench/precision/run.ts [--mirrors DIR | --repo owner/name=PATH ...] [--only a/b,c/d] [--out FILE] [--no-write] [--compare] [--verdicts FILE] [--stub FILE] [--markdown FILE] [--keep DIR] [--from RESULTS] [--progress] [--file-timeout SECONDS]';

interface RunOptions {
  out: string | null;
  compare: boolean;
  verdicts: string;
  stub: string | null;
  markdown: string | null;
  keep: string | null;
  from: string | null;
  progress: boolean;
  fileTimeoutS: number;
}

function parseOwnArgs(rest: string[], onlyGiven: boolean): RunOptions {
  const o: RunOptions = { out: onlyGiven ? null : join(HERE, 'results.json'), compare: false, verdicts: VERDICTS_FILE, stub: null, markdown: null, keep: null, from: null, progress: false, fileTimeoutS: 300 };
  eachFlag(rest, (flag, value, a) => {
    if (flag === '--out') o.out = resolve(value());
    else if (flag === '--no-write') o.out = null;
    else if (flag === '--compare') o.compare = true;
    else if (flag === '--verdicts') o.verdicts = resolve(value());
    else if (flag === '--stub') o.stub = resolve(value());
    else if (flag === '--markdown') o.markdown = resolve(value());
    else if (flag === '--keep') o.keep = resolve(value());
    else if (flag === '--from') o.from = resolve(value());
    else if (flag === '--progress') o.progress = true;
    else if (flag === '--file-timeout') o.fileTimeoutS = positiveSeconds(flag, value());
    else if (flag === '-h' || flag === '--help') throw new HarnessError(USAGE);
    else throw new HarnessError(`unknown argument '${a}'\n${USAGE}`);
  });
  return o;
}

function emptyResult(r: RepoEntry): RepoResult {
  return {
    repo: r.repo,
    commit: r.commit,
    framework: r.framework,
    domain: r.domain,
    status: 'ok',
    files: 0,
    lines: 0,
    filesNotLinted: 0,
    linesNotLinted: 0,
    notebooks: 0,
    notebooksLinted: 0,
    notebookLines: 0,
    notebooksNotLinted: 0,
    notebookLinesNotLinted: 0,
    warningsTotal: 0,
    byCode: {},
    per10k: 0,
    warnings: [],
    notebookWarningsTotal: 0,
    notebookByCode: {},
    notebookPer10k: 0,
    notebookWarnings: [],
    details: [],
    failures: [],
    missingBlobs: [],
    lintMs: 0,
    slowest: [],
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

const PYTHON = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/**
 * Whether CPython accepts a file the engine's parser finds a syntax error in (tells a parser limit from a
 * real error). For a notebook, `program` is the text the engine lints (its code cells with IPython syntax
 * masked), compiled from standard input.
 */
function pythonVerdict(path: string, program?: string): string {
  const code = program === undefined ? 'import sys; compile(open(sys.argv[1], "rb").read(), sys.argv[1], "exec")' : 'import sys; compile(sys.stdin.read(), sys.argv[1], "exec")';
  const r = spawnSync(PYTHON, ['-c', code, path], { encoding: 'utf8', input: program });
  if (r.error) return `${PYTHON} not available to cross-check`;
  if (r.status === 0) return `${PYTHON} compiles it (a limit of the engine's parser)`;
  const last = (r.stderr ?? '').trim().split('\n').pop() ?? '';
  return `${PYTHON} rejects it too (${last})`;
}

/** Lints one file: a reply, or `timeout` when the engine did not finish within the budget. */
export type LintFile = (file: string, text: string, opts?: { fix?: boolean; root?: string }) => Promise<Omit<LintReply, 'id'> | { timeout: true; ms: number }>;

/** Lint in this thread (no time limit): for tests and small runs. */
export async function inProcessLinter(): Promise<LintFile> {
  const engine = (await createLinter()) as Engine;
  const parser = await loadPythonParser();
  return async (file, text, opts = {}) => {
    const t0 = performance.now();
    const r = lintOne(engine, parser, { file, text, fix: opts.fix === true, root: opts.root });
    return { ms: Math.round(performance.now() - t0), ...r };
  };
}

/**
 * Lint in a worker thread with a time limit per file. A file that takes longer is reported as a
 * timeout; the worker is terminated and a fresh one takes the next file. `close()` ends the worker.
 */
export class LintPool {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;
  private pending: { id: number; resolve: (r: LintReply) => void; reject: (e: Error) => void } | null = null;

  /** The budget per file, in milliseconds (may be changed between files). */
  constructor(public timeoutMs: number) {}

  private start(): Promise<void> {
    const api = require.resolve('tsx/cjs/api');
    const script = join(HERE, 'lint-worker.ts');
    const w = new Worker(`require(${JSON.stringify(api)}).register(); require(${JSON.stringify(script)});`, { eval: true });
    this.worker = w;
    this.ready = new Promise<void>((resolveReady, rejectReady) => {
      w.on('message', (m: LintReply | { ready: true }) => {
        if ('ready' in m) return resolveReady();
        if (this.pending && m.id === this.pending.id) {
          const p = this.pending;
          this.pending = null;
          p.resolve(m);
        }
      });
      w.on('error', (err) => {
        rejectReady(err);
        this.pending?.reject(err);
        this.pending = null;
        this.worker = null;
      });
      w.on('exit', () => {
        if (this.worker === w) this.worker = null;
      });
    });
    return this.ready;
  }

  readonly lint: LintFile = async (file, text, opts = {}) => {
    if (!this.worker) await this.start();
    else await this.ready;
    const w = this.worker as Worker;
    const id = this.nextId++;
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const reply = new Promise<LintReply>((resolveReply, rejectReply) => {
      this.pending = { id, resolve: resolveReply, reject: rejectReply };
    });
    const timeout = new Promise<null>((resolveTimeout) => {
      timer = setTimeout(() => resolveTimeout(null), this.timeoutMs);
    });
    w.postMessage({ id, file, text, fix: opts.fix === true, root: opts.root } satisfies LintRequest);
    try {
      const r = await Promise.race([reply, timeout]);
      if (r === null) {
        this.pending = null;
        this.worker = null;
        await w.terminate();
        return { timeout: true, ms: Math.round(performance.now() - t0) };
      }
      return r;
    } finally {
      clearTimeout(timer);
    }
  };

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

export async function lintRepo(
  entry: RepoEntry,
  gitDir: string,
  dest: string,
  tools: { lintFile: LintFile; progress?: boolean },
): Promise<RepoResult> {
  const res = emptyResult(entry);
  if (!(await hasCommit(gitDir, entry.commit))) {
    res.status = 'unavailable';
    res.reason = `commit ${entry.commit.slice(0, 12)} is not in the snapshot (its HEAD is ${(await headCommit(gitDir))?.slice(0, 12) ?? 'unknown'}); fetch it again or update repos.json`;
    return res;
  }
  const exp = await exportCommit(gitDir, entry.commit, dest, (p) => p.endsWith('.py') || p.endsWith('.ipynb'));
  res.missingBlobs = exp.missing;
  for (const m of exp.missing) res.failures.push({ file: m, reason: 'not in the snapshot (file of 4 MiB or more)' });
  const started = performance.now();
  // What files' use of other files' helpers revealed there (the CLI's `addRevealed`), added after all are linted.
  const revealed: { from: string; d: NonNullable<LintReply['revealed']>[number] }[] = [];
  const linted = new Set<string>();
  for (const file of exp.written.sort()) {
    let text: string;
    try {
      text = utf8.decode(readFileSync(join(dest, ...file.split('/'))));
    } catch (err) {
      if (isNotebookFile(file)) {
        res.notebooks++;
        res.notebooksNotLinted++;
      }
      res.failures.push({ file, reason: `cannot read as UTF-8: ${(err as Error).message}` });
      continue;
    }
    const notebook = isNotebookFile(file);
    if (notebook) res.notebooks++;
    if (tools.progress) process.stderr.write(`  ${entry.repo} ${file} ...`);
    // As the CLI lints a repository: imports of its other files are followed (`root`).
    const r = await tools.lintFile(file, text, { root: dest });
    if (tools.progress) process.stderr.write(` ${r.ms} ms${'timeout' in r ? ' (stopped)' : ''}\n`);
    res.slowest.push({ file, ms: r.ms });
    res.slowest.sort((a, b) => b.ms - a.ms);
    res.slowest.length = Math.min(res.slowest.length, 5);
    if ('timeout' in r) {
      // Not linted: its lines stay out of the rate's denominator (and are counted on their own).
      res.failures.push({ file, reason: `not linted: the engine took more than ${r.ms} ms and was stopped` });
      if (notebook) {
        res.notebooksNotLinted++;
        res.notebookLinesNotLinted += notebookCodeLines(text) ?? 0;
      } else {
        res.filesNotLinted++;
        res.linesNotLinted += countLines(text);
      }
      continue;
    }
    if (notebook) {
      const nb = r.notebook;
      if (!nb || 'notLinted' in nb) {
        res.notebooksNotLinted++;
        res.notebookLinesNotLinted += notebookCodeLines(text) ?? 0;
        res.failures.push({ file, reason: `notebook not linted: ${nb && 'notLinted' in nb ? nb.notLinted : 'no answer'}` });
        continue;
      }
      res.notebooksLinted++;
      res.notebookLines += nb.lines;
      if (r.syntaxError) {
        const read = readNotebook(text, file);
        const program = 'notebook' in read ? buildProgram(read.notebook.cells).units.map((u) => u.text).join('\n') : '';
        res.failures.push({ file, reason: `syntax error in the code cells as the engine parses them (linted anyway, as the editor would); ${pythonVerdict(file, program)}` });
      }
    } else {
      res.files++;
      res.lines += countLines(text);
      if (r.syntaxError) res.failures.push({ file, reason: `syntax error as the engine parses it (linted anyway, as the editor would); ${pythonVerdict(join(dest, ...file.split('/')))}` });
    }
    for (const e of r.ruleErrors) res.failures.push({ file, reason: `${e.code} threw: ${e.error.split('\n')[0]}` });
    if (!notebook) linted.add(file);
    for (const d of r.revealed ?? []) revealed.push({ from: file, d });
    for (const d of r.diagnostics) {
      const w: Warning = { repo: entry.repo, file, line: d.line, column: d.column, code: d.code, severity: d.severity, message: d.message, key: '', fixable: d.fixable };
      if (d.cell !== undefined) w.cell = d.cell;
      w.key = warningKey(w);
      res.details.push(w);
      if (notebook) {
        res.notebookWarnings.push(warningLine(w));
        res.notebookByCode[d.code] = (res.notebookByCode[d.code] ?? 0) + 1;
      } else {
        res.warnings.push(warningLine(w));
        res.byCode[d.code] = (res.byCode[d.code] ?? 0) + 1;
      }
    }
  }
  for (const { d } of revealed) {
    const file = d.path.replace(/\\/g, '/').replace(/^\.\//, '');
    if (!linted.has(file) || res.details.some((w) => w.file === file && w.line === d.line && w.column === d.column && w.code === d.code)) continue;
    const w: Warning = { repo: entry.repo, file, line: d.line, column: d.column, code: d.code, severity: d.severity, message: d.message, key: '', fixable: false };
    w.key = warningKey(w);
    res.details.push(w);
    res.warnings.push(warningLine(w));
    res.byCode[d.code] = (res.byCode[d.code] ?? 0) + 1;
  }
  res.lintMs = Math.round(performance.now() - started);
  res.warningsTotal = res.warnings.length;
  res.per10k = per10k(res.warningsTotal, res.lines);
  res.byCode = Object.fromEntries(Object.entries(res.byCode).sort());
  res.notebookWarningsTotal = res.notebookWarnings.length;
  res.notebookPer10k = per10k(res.notebookWarningsTotal, res.notebookLines);
  res.notebookByCode = Object.fromEntries(Object.entries(res.notebookByCode).sort());
  return res;
}

// ---------------------------------------------------------------------------------------------------
// Reporting

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** Python files or notebooks: the two are counted and rated apart. */
export type Kind = 'py' | 'notebook';

function kindOf(w: { file: string }): Kind {
  return isNotebookFile(w.file) ? 'notebook' : 'py';
}

/** What a repository's row shows for one kind: files (or notebooks), lines, warnings and codes. */
function kindFigures(r: RepoResult, kind: Kind): { files: number; lines: number; warnings: number; per10k: number; byCode: Record<string, number>; notLinted: number; linesNotLinted: number } {
  return kind === 'py'
    ? { files: r.files, lines: r.lines, warnings: r.warningsTotal, per10k: r.per10k, byCode: r.byCode, notLinted: r.filesNotLinted, linesNotLinted: r.linesNotLinted }
    : {
        files: r.notebooksLinted ?? 0,
        lines: r.notebookLines ?? 0,
        warnings: r.notebookWarningsTotal ?? 0,
        per10k: r.notebookPer10k ?? 0,
        byCode: r.notebookByCode ?? {},
        notLinted: r.notebooksNotLinted ?? 0,
        linesNotLinted: r.notebookLinesNotLinted ?? 0,
      };
}

interface VerdictCounts {
  fp: number;
  tp: number;
  debatable: number;
  unreviewed: number;
}

function fpCounts(results: RepoResult[], cmp: Comparison | null, kind: Kind): Map<string, VerdictCounts> {
  const m = new Map<string, VerdictCounts>();
  for (const r of results) m.set(r.repo, { fp: 0, tp: 0, debatable: 0, unreviewed: 0 });
  if (!cmp) {
    for (const r of results) m.get(r.repo)!.unreviewed = kindFigures(r, kind).warnings;
    return m;
  }
  for (const { warning, verdict } of [...cmp.reviewed, ...cmp.reworded]) {
    if (kindOf(warning) !== kind) continue;
    const c = m.get(warning.repo)!;
    if (verdict.verdict === 'false-positive') c.fp++;
    else if (verdict.verdict === 'true-positive') c.tp++;
    else c.debatable++;
  }
  for (const w of cmp.unreviewed) if (kindOf(w) === kind) m.get(w.repo)!.unreviewed++;
  return m;
}

/** The console table of one kind (repositories without notebooks are left out of the notebooks' table). */
export function renderTable(results: RepoResult[], cmp: Comparison | null, kind: Kind = 'py'): string {
  const counts = fpCounts(results, cmp, kind);
  const rows: string[][] = [['repository', kind === 'py' ? 'files' : 'notebooks', 'lines', 'warnings', '/10k', 'false', 'false/10k', 'debatable', 'true', 'unreviewed', 'by code']];
  const t = { files: 0, lines: 0, warnings: 0, fp: 0, debatable: 0, tp: 0, unreviewed: 0 };
  for (const r of results) {
    if (r.status !== 'ok') {
      rows.push([r.repo, '-', '-', '-', '-', '-', '-', '-', '-', '-', `unavailable: ${r.reason ?? ''}`]);
      continue;
    }
    const f = kindFigures(r, kind);
    if (kind === 'notebook' && f.files === 0 && f.notLinted === 0) continue;
    const c = counts.get(r.repo)!;
    t.files += f.files;
    t.lines += f.lines;
    t.warnings += f.warnings;
    t.fp += c.fp;
    t.debatable += c.debatable;
    t.unreviewed += c.unreviewed;
    t.tp += c.tp;
    const what = kind === 'py' ? 'file(s)' : 'notebook(s)';
    const why = kind === 'py' ? 'too slow' : 'not read by the CLI or too slow';
    rows.push([
      r.repo,
      String(f.files),
      String(f.lines),
      String(f.warnings),
      f.per10k.toFixed(2),
      String(c.fp),
      per10k(c.fp, f.lines).toFixed(2),
      String(c.debatable),
      String(c.tp),
      String(c.unreviewed),
      [Object.entries(f.byCode).map(([k, v]) => `${k} ${v}`).join(', '), f.notLinted ? `(${f.notLinted} ${what}, ${f.linesNotLinted} lines not linted: ${why})` : ''].filter(Boolean).join(' '),
    ]);
  }
  rows.push(['all', String(t.files), String(t.lines), String(t.warnings), per10k(t.warnings, t.lines).toFixed(2), String(t.fp), per10k(t.fp, t.lines).toFixed(2), String(t.debatable), String(t.tp), String(t.unreviewed), '']);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => pad(c, widths[i], i > 0 && i < 10)).join('  ').trimEnd()).join('\n');
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The markdown table of one kind: one row per repository (with notebooks, for notebooks), and the total. */
export function renderKindTable(results: RepoResult[], cmp: Comparison | null, kind: Kind): string[] {
  const counts = fpCounts(results, cmp, kind);
  const out: string[] = [];
  out.push(`| repository | framework | ${kind === 'py' ? 'files' : 'notebooks'} | lines | warnings | per 10k | false | false per 10k | debatable | true |`);
  out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const t = { files: 0, lines: 0, warnings: 0, fp: 0, debatable: 0, tp: 0, notLinted: 0 };
  for (const r of results) {
    if (r.status !== 'ok') {
      out.push(`| ${r.repo} | ${r.framework.join(', ')} | unavailable: ${mdEscape(r.reason ?? '')} | | | | | | | |`);
      continue;
    }
    const f = kindFigures(r, kind);
    if (kind === 'notebook' && f.files === 0 && f.notLinted === 0) continue;
    const c = counts.get(r.repo)!;
    t.files += f.files;
    t.lines += f.lines;
    t.warnings += f.warnings;
    t.fp += c.fp;
    t.debatable += c.debatable;
    t.tp += c.tp;
    t.notLinted += f.notLinted;
    const note = f.notLinted
      ? kind === 'py'
        ? ` (${f.notLinted} file, ${f.linesNotLinted.toLocaleString('en-US')} lines not linted: too slow)`
        : ` (${f.notLinted} more not linted, ${f.linesNotLinted.toLocaleString('en-US')} lines)`
      : '';
    out.push(
      `| ${r.repo} @ \`${r.commit.slice(0, 7)}\`${note} | ${r.framework.join(', ')} | ${f.files} | ${f.lines.toLocaleString('en-US')} | ${f.warnings} | ${f.per10k.toFixed(2)} | ${c.fp} | ${per10k(c.fp, f.lines).toFixed(2)} | ${c.debatable} | ${c.tp} |`,
    );
  }
  out.push(
    `| **all** | | **${t.files}** | **${t.lines.toLocaleString('en-US')}** | **${t.warnings}** | **${per10k(t.warnings, t.lines).toFixed(2)}** | **${t.fp}** | **${per10k(t.fp, t.lines).toFixed(2)}** | **${t.debatable}** | **${t.tp}** |`,
  );
  return out;
}

/**
 * The tables of docs/precision.md: Python files, notebooks, the summary by cause, and every warning with
 * its verdict (a file's line links to it at the pinned commit; a notebook links to the notebook).
 */
export function renderMarkdown(results: RepoResult[], cmp: Comparison | null, groups: Record<string, string> = {}): string {
  const out: string[] = [];
  out.push(...renderKindTable(results, cmp, 'py'));
  if (results.some((r) => (r.notebooks ?? 0) > 0)) {
    out.push('');
    out.push(...renderKindTable(results, cmp, 'notebook'));
  }
  if (cmp) {
    out.push('');
    out.push(...renderCauses(cmp, groups));
    out.push('');
    out.push('| repository | file:line | rule | verdict | cause |');
    out.push('|---|---|---|---|---|');
    const all = [...cmp.reviewed, ...cmp.reworded].sort(
      (a, b) =>
        a.warning.repo.localeCompare(b.warning.repo) ||
        a.warning.file.localeCompare(b.warning.file) ||
        (a.warning.cell ?? 0) - (b.warning.cell ?? 0) ||
        a.warning.line - b.warning.line ||
        a.warning.code.localeCompare(b.warning.code),
    );
    const commitOf = new Map(results.map((r) => [r.repo, r.commit]));
    // Each location links to the line at the pinned commit: the source of every snippet the causes quote.
    const where = (w: Warning): string => {
      const url = `https://github.com/${w.repo}/blob/${commitOf.get(w.repo) ?? 'HEAD'}/${w.file.split('/').map(encodeURIComponent).join('/')}`;
      return w.cell === undefined ? `[\`${w.file}:${w.line}\`](${url}#L${w.line})` : `[\`${placeOf(w)}:${w.line}\`](${url})`;
    };
    for (const { warning: w, verdict: v } of all) {
      out.push(`| ${w.repo} | ${where(w)} | ${w.code} | ${v.verdict} | ${mdEscape(v.cause)} |`);
    }
    for (const w of cmp.unreviewed) out.push(`| ${w.repo} | ${where(w)} | ${w.code} | **unreviewed** | ${mdEscape(w.message)} |`);
  }
  return `${out.join('\n')}\n`;
}

/** The summary by cause: one row per verdict group, with its verdict, count, rules and repositories. */
export function renderCauses(cmp: Comparison, groups: Record<string, string>): string[] {
  const rows = new Map<string, { verdict: string; count: number; codes: Set<string>; repos: Set<string> }>();
  for (const { warning, verdict } of [...cmp.reviewed, ...cmp.reworded]) {
    const key = `${verdict.group}|${verdict.verdict}`;
    const r = rows.get(key) ?? { verdict: verdict.verdict, count: 0, codes: new Set<string>(), repos: new Set<string>() };
    r.count++;
    r.codes.add(warning.code);
    r.repos.add(warning.repo);
    rows.set(key, r);
  }
  const out = ['| cause | verdict | warnings | rules | repositories |', '|---|---|---:|---|---|'];
  for (const [key, r] of [...rows.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))) {
    const group = key.split('|')[0];
    out.push(`| ${mdEscape(groups[group] ?? group)} | ${r.verdict} | ${r.count} | ${[...r.codes].sort().join(', ')} | ${[...r.repos].sort().join(', ')} |`);
  }
  if (cmp.unreviewed.length > 0) out.push(`| not reviewed yet | | ${cmp.unreviewed.length} | ${[...new Set(cmp.unreviewed.map((w) => w.code))].sort().join(', ')} | |`);
  return out;
}

function renderComparison(cmp: Comparison): string {
  const lines: string[] = [];
  lines.push(`reviewed: ${cmp.reviewed.length}, reworded: ${cmp.reworded.length}, new (no verdict): ${cmp.unreviewed.length}, gone: ${cmp.gone.length}`);
  for (const w of cmp.unreviewed) lines.push(`  new       ${w.repo} ${placeOf(w)}:${w.line}:${w.column} ${w.code} ${w.message}`);
  for (const { warning: w, verdict: v } of cmp.reworded) lines.push(`  reworded  ${w.repo} ${placeOf(w)}:${w.line}:${w.column} ${w.code} (was ${v.verdict}: ${v.group}) ${w.message}`);
  for (const v of cmp.gone) lines.push(`  gone      ${v.repo} ${placeOf(v)}:${v.line} ${v.code} (${v.verdict}: ${v.group})`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------

/** Results stored by an earlier run, with each warning's details rebuilt from its line. */
function readStoredResults(file: string, repos: RepoEntry[]): RepoResult[] {
  let raw: { repos?: RepoResult[] };
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as { repos?: RepoResult[] };
  } catch (err) {
    throw new HarnessError(`cannot read ${file}: ${(err as Error).message}`);
  }
  if (!Array.isArray(raw.repos)) throw new HarnessError(`${file}: expected { "repos": [...] }`);
  const wanted = new Set(repos.map((r) => r.repo));
  return raw.repos
    .filter((r) => wanted.has(r.repo))
    .map((r) => ({ ...r, details: [...(r.warnings ?? []), ...(r.notebookWarnings ?? [])].map((w) => parseWarningLine(r.repo, w)) }));
}

async function lintAll(repos: RepoEntry[], sources: Sources, keep: string | null, progress: boolean, fileTimeoutS: number): Promise<RepoResult[]> {
  const pool = new LintPool(fileTimeoutS * 1000);
  const tools = { lintFile: pool.lint, progress };
  const base = keep ?? mkdtempSync(join(tmpdir(), 'agl-precision-'));
  const results: RepoResult[] = [];
  try {
    for (const entry of repos) {
      const where = locate(entry.repo, sources);
      if ('missing' in where) {
        const r = emptyResult(entry);
        r.status = 'unavailable';
        r.reason = where.missing;
        results.push(r);
        process.stderr.write(`${entry.repo}: unavailable (${where.missing})\n`);
        continue;
      }
      const dest = join(base, mirrorName(entry.repo));
      rmSync(dest, { recursive: true, force: true });
      mkdirSync(dest, { recursive: true });
      try {
        const r = await lintRepo(entry, where.gitDir, dest, tools);
        results.push(r);
        process.stderr.write(`${entry.repo}: ${r.status === 'ok' ? `${r.files} files, ${r.lines} lines, ${r.warningsTotal} warnings, ${r.failures.length} failures` : r.reason}\n`);
      } catch (err) {
        const r = emptyResult(entry);
        r.status = 'unavailable';
        r.reason = `export failed: ${(err as Error).message}`;
        results.push(r);
        process.stderr.write(`${entry.repo}: ${r.reason}\n`);
      }
      if (!keep) rmSync(dest, { recursive: true, force: true });
    }
  } finally {
    await pool.close();
    if (!keep) rmSync(base, { recursive: true, force: true });
  }
  if (keep) process.stderr.write(`exported files kept in ${base}\n`);
  return results;
}

async function main(): Promise<number> {
  const { sources, rest, only } = parseSourceArgs(process.argv.slice(2));
  const opts = parseOwnArgs(rest, only !== null);
  const repos = selectRepos(loadRepos(), only);
  let results: RepoResult[];
  if (opts.from) {
    results = readStoredResults(opts.from, repos);
    if (opts.out === join(HERE, 'results.json')) opts.out = null; // rendering stored results rewrites nothing by default
  } else {
    if (!sources.mirrors && sources.paths.size === 0) throw new HarnessError(`no repositories: give --mirrors DIR, --repo owner/name=PATH, or set AGL_PRECISION_MIRRORS\n${USAGE}`);
    results = await lintAll(repos, sources, opts.keep, opts.progress, opts.fileTimeoutS);
  }

  const verdictFile = loadVerdictFile(opts.verdicts);
  const verdicts: VerdictEntry[] = verdictFile.verdicts;
  const linted = new Set(results.filter((r) => r.status === 'ok').map((r) => r.repo));
  const warnings = results.flatMap((r) => r.details);
  const cmp = verdicts.length > 0 || opts.compare ? compare(warnings, verdicts, linted) : null;

  console.log(renderTable(results, cmp, 'py'));
  if (results.some((r) => (r.notebooks ?? 0) > 0)) console.log(`\nNotebooks (lines of code cells):\n${renderTable(results, cmp, 'notebook')}`);
  const failures = results.flatMap((r) => r.failures.map((f) => `${r.repo} ${f.file}: ${f.reason}`));
  if (failures.length > 0) console.log(`\n${failures.length} file(s) not read, not parsed cleanly, or with a rule error:\n  ${failures.join('\n  ')}`);
  if (opts.compare && cmp) console.log(`\n${renderComparison(cmp)}`);

  if (opts.out) {
    const record = {
      linterCommit: await projectCommit(),
      config: 'every rule enabled (DEFAULT_CONFIG); repositories\' own pyproject.toml files are not read',
      repos: results.map((r) => ({ ...r, details: undefined })),
    };
    writeFileSync(opts.out, `${JSON.stringify(record, null, 2)}\n`);
    process.stderr.write(`results written to ${opts.out}\n`);
  }
  if (opts.stub && cmp) {
    const stubs = cmp.unreviewed.map((w) => ({ repo: w.repo, file: w.file, ...(w.cell === undefined ? {} : { cell: w.cell }), line: w.line, code: w.code, messageHash: w.key.split('|')[4], verdict: 'REVIEW', cause: '', group: '', message: w.message }));
    writeFileSync(opts.stub, `${JSON.stringify({ verdicts: stubs }, null, 2)}\n`);
    process.stderr.write(`${stubs.length} verdict stub(s) written to ${opts.stub}\n`);
  }
  if (opts.markdown) {
    writeFileSync(opts.markdown, renderMarkdown(results, cmp, verdictFile.groups));
    process.stderr.write(`markdown tables written to ${opts.markdown}\n`);
  }
  if (opts.compare && cmp && (cmp.unreviewed.length > 0 || cmp.reworded.length > 0)) return 1;
  return 0;
}

runMain(module, main);
