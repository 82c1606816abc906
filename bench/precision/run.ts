/**
 * Precision on real repositories: lint every Python file of each repository in repos.json, at its
 * pinned commit, with every rule enabled, and count warnings per 10,000 non-blank lines.
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
 * counted and listed; they never stop the run. Notebooks are counted but not linted (the CLI does not
 * read them yet). See docs/precision.md.
 */
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLinter, DEFAULT_CONFIG, type Engine } from '../../src/core/lint/index';
import type { LintReply, LintRequest } from './lint-worker';
import { loadPythonParser } from '../../src/core/lint/parser';
import {
  compare,
  countLines,
  exportCommit,
  HarnessError,
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
  per10k,
  projectCommit,
  selectRepos,
  VERDICTS_FILE,
  warningKey,
  type Comparison,
  type RepoEntry,
  type Sources,
  type VerdictEntry,
  type Warning,
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
  notebooks: number;
  notebookLines: number;
  warningsTotal: number;
  byCode: Record<string, number>;
  per10k: number;
  /** `file:line:col CODE message`, in file order. */
  warnings: string[];
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
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      const v = rest[++i];
      if (v === undefined) throw new HarnessError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--out') o.out = resolve(value());
    else if (flag === '--no-write') o.out = null;
    else if (flag === '--compare') o.compare = true;
    else if (flag === '--verdicts') o.verdicts = resolve(value());
    else if (flag === '--stub') o.stub = resolve(value());
    else if (flag === '--markdown') o.markdown = resolve(value());
    else if (flag === '--keep') o.keep = resolve(value());
    else if (flag === '--from') o.from = resolve(value());
    else if (flag === '--progress') o.progress = true;
    else if (flag === '--file-timeout') {
      o.fileTimeoutS = Number(value());
      if (!Number.isFinite(o.fileTimeoutS) || o.fileTimeoutS <= 0) throw new HarnessError('--file-timeout takes a positive number of seconds');
    }
    else if (flag === '-h' || flag === '--help') throw new HarnessError(USAGE);
    else throw new HarnessError(`unknown argument '${a}'\n${USAGE}`);
  }
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
    notebookLines: 0,
    warningsTotal: 0,
    byCode: {},
    per10k: 0,
    warnings: [],
    details: [],
    failures: [],
    missingBlobs: [],
    lintMs: 0,
    slowest: [],
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

const PYTHON = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** Whether CPython accepts a file the engine's parser finds a syntax error in (tells a parser limit from a real error). */
function pythonVerdict(path: string): string {
  const r = spawnSync(PYTHON, ['-c', 'import sys; compile(open(sys.argv[1], "rb").read(), sys.argv[1], "exec")', path], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not available to cross-check`;
  if (r.status === 0) return `${PYTHON} compiles it (a limit of the engine's parser)`;
  const last = (r.stderr ?? '').trim().split('\n').pop() ?? '';
  return `${PYTHON} rejects it too (${last})`;
}

/** Lints one file: a reply, or `timeout` when the engine did not finish within the budget. */
export type LintFile = (file: string, text: string, opts?: { fix?: boolean }) => Promise<Omit<LintReply, 'id'> | { timeout: true; ms: number }>;

/** Lint in this thread (no time limit): for tests and small runs. */
export async function inProcessLinter(): Promise<LintFile> {
  const engine = (await createLinter()) as Engine;
  const parser = await loadPythonParser();
  return async (file, text) => {
    const t0 = performance.now();
    const syntaxError = parser.parse(text).hasError;
    const diags = engine.lint(text, { path: file, config: DEFAULT_CONFIG });
    return {
      ms: Math.round(performance.now() - t0),
      syntaxError,
      ruleErrors: [...(engine.lastRuleErrors ?? [])],
      diagnostics: diags.map((d) => ({ line: d.range.start.line + 1, column: d.range.start.column + 1, code: d.code, severity: d.severity, message: d.message, fixable: d.fixes.some((f) => f.safe) })),
    };
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
    w.postMessage({ id, file, text, fix: opts.fix === true } satisfies LintRequest);
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
  for (const file of exp.written.sort()) {
    let text: string;
    try {
      text = utf8.decode(readFileSync(join(dest, ...file.split('/'))));
    } catch (err) {
      res.failures.push({ file, reason: `cannot read as UTF-8: ${(err as Error).message}` });
      continue;
    }
    if (file.endsWith('.ipynb')) {
      const n = notebookCodeLines(text);
      res.notebooks++;
      if (n === null) res.failures.push({ file, reason: 'notebook is not valid JSON with cells (not linted anyway)' });
      else res.notebookLines += n;
      continue;
    }
    if (tools.progress) process.stderr.write(`  ${entry.repo} ${file} ...`);
    const r = await tools.lintFile(file, text);
    if (tools.progress) process.stderr.write(` ${r.ms} ms${'timeout' in r ? ' (stopped)' : ''}\n`);
    res.slowest.push({ file, ms: r.ms });
    res.slowest.sort((a, b) => b.ms - a.ms);
    res.slowest.length = Math.min(res.slowest.length, 5);
    if ('timeout' in r) {
      // Not linted: its lines stay out of the rate's denominator (and are counted on their own).
      res.failures.push({ file, reason: `not linted: the engine took more than ${r.ms} ms and was stopped` });
      res.filesNotLinted++;
      res.linesNotLinted += countLines(text);
      continue;
    }
    res.files++;
    res.lines += countLines(text);
    if (r.syntaxError) res.failures.push({ file, reason: `syntax error as the engine parses it (linted anyway, as the editor would); ${pythonVerdict(join(dest, ...file.split('/')))}` });
    for (const e of r.ruleErrors) res.failures.push({ file, reason: `${e.code} threw: ${e.error.split('\n')[0]}` });
    const diags = r.diagnostics;
    for (const d of diags) {
      const w: Warning = { repo: entry.repo, file, line: d.line, column: d.column, code: d.code, severity: d.severity, message: d.message, key: '', fixable: d.fixable };
      w.key = warningKey(w);
      res.details.push(w);
      res.warnings.push(`${file}:${w.line}:${w.column} ${w.code} ${w.message}`);
      res.byCode[d.code] = (res.byCode[d.code] ?? 0) + 1;
    }
  }
  res.lintMs = Math.round(performance.now() - started);
  res.warningsTotal = res.details.length;
  res.per10k = per10k(res.warningsTotal, res.lines);
  res.byCode = Object.fromEntries(Object.entries(res.byCode).sort());
  return res;
}

// ---------------------------------------------------------------------------------------------------
// Reporting

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

interface Totals {
  files: number;
  lines: number;
  warnings: number;
  fp: number;
  debatable: number;
  unreviewed: number;
}

function fpCounts(results: RepoResult[], cmp: Comparison | null): Map<string, { fp: number; tp: number; debatable: number; unreviewed: number }> {
  const m = new Map<string, { fp: number; tp: number; debatable: number; unreviewed: number }>();
  for (const r of results) m.set(r.repo, { fp: 0, tp: 0, debatable: 0, unreviewed: 0 });
  if (!cmp) {
    for (const r of results) m.get(r.repo)!.unreviewed = r.warningsTotal;
    return m;
  }
  for (const { warning, verdict } of [...cmp.reviewed, ...cmp.reworded]) {
    const c = m.get(warning.repo)!;
    if (verdict.verdict === 'false-positive') c.fp++;
    else if (verdict.verdict === 'true-positive') c.tp++;
    else c.debatable++;
  }
  for (const w of cmp.unreviewed) m.get(w.repo)!.unreviewed++;
  return m;
}

export function renderTable(results: RepoResult[], cmp: Comparison | null): string {
  const counts = fpCounts(results, cmp);
  const rows: string[][] = [['repository', 'files', 'lines', 'warnings', '/10k', 'false', 'false/10k', 'debatable', 'true', 'unreviewed', 'by code']];
  const t: Totals = { files: 0, lines: 0, warnings: 0, fp: 0, debatable: 0, unreviewed: 0 };
  let tp = 0;
  for (const r of results) {
    if (r.status !== 'ok') {
      rows.push([r.repo, '-', '-', '-', '-', '-', '-', '-', '-', '-', `unavailable: ${r.reason ?? ''}`]);
      continue;
    }
    const c = counts.get(r.repo)!;
    t.files += r.files;
    t.lines += r.lines;
    t.warnings += r.warningsTotal;
    t.fp += c.fp;
    t.debatable += c.debatable;
    t.unreviewed += c.unreviewed;
    tp += c.tp;
    rows.push([
      r.repo,
      String(r.files),
      String(r.lines),
      String(r.warningsTotal),
      r.per10k.toFixed(2),
      String(c.fp),
      per10k(c.fp, r.lines).toFixed(2),
      String(c.debatable),
      String(c.tp),
      String(c.unreviewed),
      [Object.entries(r.byCode).map(([k, v]) => `${k} ${v}`).join(', '), r.filesNotLinted ? `(${r.filesNotLinted} file(s), ${r.linesNotLinted} lines not linted: too slow)` : '']
        .filter(Boolean)
        .join(' '),
    ]);
  }
  rows.push([
    'all',
    String(t.files),
    String(t.lines),
    String(t.warnings),
    per10k(t.warnings, t.lines).toFixed(2),
    String(t.fp),
    per10k(t.fp, t.lines).toFixed(2),
    String(t.debatable),
    String(tp),
    String(t.unreviewed),
    '',
  ]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => pad(c, widths[i], i > 0 && i < 10)).join('  ').trimEnd()).join('\n');
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdown(results: RepoResult[], cmp: Comparison | null, groups: Record<string, string> = {}): string {
  const counts = fpCounts(results, cmp);
  const out: string[] = [];
  out.push('| repository | framework | files | lines | warnings | per 10k | false | false per 10k | debatable | true |');
  out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  let lines = 0;
  let files = 0;
  let warnings = 0;
  let fp = 0;
  let deb = 0;
  let tp = 0;
  for (const r of results) {
    if (r.status !== 'ok') {
      out.push(`| ${r.repo} | ${r.framework.join(', ')} | unavailable: ${mdEscape(r.reason ?? '')} | | | | | | | |`);
      continue;
    }
    const c = counts.get(r.repo)!;
    lines += r.lines;
    files += r.files;
    warnings += r.warningsTotal;
    fp += c.fp;
    deb += c.debatable;
    tp += c.tp;
    out.push(
      `| ${r.repo} @ \`${r.commit.slice(0, 7)}\`${r.filesNotLinted ? ` (${r.filesNotLinted} file, ${r.linesNotLinted.toLocaleString('en-US')} lines not linted: too slow)` : ''} | ${r.framework.join(', ')} | ${r.files} | ${r.lines.toLocaleString('en-US')} | ${r.warningsTotal} | ${r.per10k.toFixed(2)} | ${c.fp} | ${per10k(c.fp, r.lines).toFixed(2)} | ${c.debatable} | ${c.tp} |`,
    );
  }
  out.push(
    `| **all** | | **${files}** | **${lines.toLocaleString('en-US')}** | **${warnings}** | **${per10k(warnings, lines).toFixed(2)}** | **${fp}** | **${per10k(fp, lines).toFixed(2)}** | **${deb}** | **${tp}** |`,
  );
  if (cmp) {
    out.push('');
    out.push(...renderCauses(cmp, groups));
    out.push('');
    out.push('| repository | file:line | rule | verdict | cause |');
    out.push('|---|---|---|---|---|');
    const all = [...cmp.reviewed, ...cmp.reworded].sort(
      (a, b) => a.warning.repo.localeCompare(b.warning.repo) || a.warning.file.localeCompare(b.warning.file) || a.warning.line - b.warning.line || a.warning.code.localeCompare(b.warning.code),
    );
    const commitOf = new Map(results.map((r) => [r.repo, r.commit]));
    // Each location links to the line at the pinned commit: the source of every snippet the causes quote.
    const where = (w: Warning): string => `[\`${w.file}:${w.line}\`](https://github.com/${w.repo}/blob/${commitOf.get(w.repo) ?? 'HEAD'}/${w.file}#L${w.line})`;
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
  for (const w of cmp.unreviewed) lines.push(`  new       ${w.repo} ${w.file}:${w.line}:${w.column} ${w.code} ${w.message}`);
  for (const { warning: w, verdict: v } of cmp.reworded) lines.push(`  reworded  ${w.repo} ${w.file}:${w.line}:${w.column} ${w.code} (was ${v.verdict}: ${v.group}) ${w.message}`);
  for (const v of cmp.gone) lines.push(`  gone      ${v.repo} ${v.file}:${v.line} ${v.code} (${v.verdict}: ${v.group})`);
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
    .map((r) => ({ ...r, details: (r.warnings ?? []).map((w) => parseWarningLine(r.repo, w)) }));
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

  console.log(renderTable(results, cmp));
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
    const stubs = cmp.unreviewed.map((w) => ({ repo: w.repo, file: w.file, line: w.line, code: w.code, messageHash: w.key.split('|')[4], verdict: 'REVIEW', cause: '', group: '', message: w.message }));
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

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof HarnessError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
