/**
 * Does `lint --fix` keep correct code working? For each repository in repos.json: export its pinned
 * commit twice (an original and a copy to fix), apply the linter's safe fixes to every Python file and
 * every notebook of the copy exactly as `autograd-lens lint --fix` does (apply, re-lint, repeat; in a
 * notebook only the changed cells' `source` is rewritten), then
 *   1. compile every changed file, before and after, with `python3 -m py_compile` (a notebook: the
 *      program of its code cells with IPython syntax masked, as the linter reads it, with `compile()`);
 *   2. when the repository has a behaviour script (`"behaviour"` in repos.json, a file in
 *      bench/precision/behaviour/), run it against the original twice (to prove it is deterministic) and
 *      against the fixed copy once, with PYTHONPATH pointing at the copy, and compare case by case.
 *
 *   npx tsx bench/precision/fix-check.ts --mirrors DIR [--only a/b,c/d] [--out FILE] [--keep DIR]
 *                                         [--python PATH] [--timeout SECONDS] [--behaviour-always] [--diff]
 *                                         [--markdown FILE] [--file-timeout SECONDS]
 *
 * Fixing runs in a worker thread; a file the engine does not finish within --file-timeout (default 300 s)
 * is listed as not checked. Per repository it reports: files changed by safe fixes, compile (ok / broken / n/a), and behaviour:
 *   same       every case gives identical results (tensors compared bit for bit, with shapes, dtypes
 *              and requires_grad), and no case raises that did not raise before;
 *   different  some case returns something else (the differing cases are listed with the largest change);
 *   broken     some case raises after the fix that did not before;
 *   n/a        no behaviour script, or no file changed (unless --behaviour-always).
 * The results go to bench/precision/fix-check.json: per changed file the fixes, the compile results and
 * the hunk headers of the change. `--diff` also prints (and records) the unified diffs; they quote the
 * repositories' code, so the committed record keeps only the hunk headers.
 * Exit status: 0 when no fix broke or changed anything, 1 otherwise, 2 on bad usage.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildProgram } from '../../src/core/notebook/index';
import { isNotebookFile } from './lint-worker';
import {
  exportCommit,
  eachFlag,
  HarnessError,
  positiveSeconds,
  hasCommit,
  HERE,
  loadRepos,
  locate,
  mirrorName,
  parseSourceArgs,
  projectCommit,
  readNotebook,
  selectRepos,
  type RepoEntry,
  runMain,
} from './lib';
import { LintPool } from './run';

const USAGE =
  'usage: npx tsx bench/precision/fix-check.ts [--mirrors DIR | --repo owner/name=PATH ...] [--only a/b,c/d] [--out FILE] [--keep DIR] [--python PATH] [--timeout SECONDS] [--behaviour-always]';

interface Options {
  out: string | null;
  keep: string | null;
  python: string;
  timeoutS: number;
  behaviourAlways: boolean;
  diff: boolean;
  markdown: string | null;
  fileTimeoutS: number;
}

function parseOwnArgs(rest: string[], onlyGiven: boolean): Options {
  const o: Options = {
    out: onlyGiven ? null : join(HERE, 'fix-check.json'),
    keep: null,
    python: process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'),
    timeoutS: 1800,
    behaviourAlways: false,
    diff: false,
    markdown: null,
    fileTimeoutS: 300,
  };
  eachFlag(rest, (flag, value, a) => {
    if (flag === '--out') o.out = resolve(value());
    else if (flag === '--no-write') o.out = null;
    else if (flag === '--keep') o.keep = resolve(value());
    else if (flag === '--python') o.python = value();
    else if (flag === '--timeout') o.timeoutS = positiveSeconds(flag, value());
    else if (flag === '--behaviour-always') o.behaviourAlways = true;
    else if (flag === '--diff') o.diff = true;
    else if (flag === '--markdown') o.markdown = resolve(value());
    else if (flag === '--file-timeout') o.fileTimeoutS = positiveSeconds(flag, value());
    else if (flag === '-h' || flag === '--help') throw new HarnessError(USAGE);
    else throw new HarnessError(`unknown argument '${a}'\n${USAGE}`);
  });
  return o;
}

// ---------------------------------------------------------------------------------------------------
// Comparing behaviour outputs

/** What a behaviour script writes: one record per case (see behaviour/common.py). */
export interface CaseRecord {
  status: 'ok' | 'error';
  value?: unknown;
  error?: string;
}
export type CaseOutcome = 'same' | 'different' | 'broken' | 'repaired' | 'nondeterministic' | 'missing';

/** Metadata fields (shape, dtype, requires_grad) that differ anywhere between two described values. */
export function metadataDiff(a: unknown, b: unknown, out: Set<string> = new Set()): Set<string> {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    if (ra.tensor === true && rb.tensor === true) {
      for (const k of ['shape', 'dtype', 'requires_grad']) if (JSON.stringify(ra[k]) !== JSON.stringify(rb[k])) out.add(k);
      return out;
    }
    for (const k of new Set([...Object.keys(ra), ...Object.keys(rb)])) metadataDiff(ra[k], rb[k], out);
  }
  return out;
}

/** Largest absolute difference between two described values, when both carry tensor values of one shape. */
export function maxAbsDiff(a: unknown, b: unknown): number | null {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ta = a as { values?: unknown; shape?: unknown };
    const tb = b as { values?: unknown; shape?: unknown };
    if (Array.isArray(ta.values) && Array.isArray(tb.values)) {
      if (JSON.stringify(ta.shape) !== JSON.stringify(tb.shape) || ta.values.length !== tb.values.length) return null;
      let m = 0;
      for (let i = 0; i < ta.values.length; i++) {
        const x = ta.values[i];
        const y = tb.values[i];
        if (typeof x !== 'number' || typeof y !== 'number') return null;
        const d = Math.abs(x - y);
        if (Number.isNaN(d)) {
          if (!(Number.isNaN(x) && Number.isNaN(y))) return Infinity;
        } else if (d > m) m = d;
      }
      return m;
    }
    let m: number | null = null;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = maxAbsDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
      if (d !== null) m = Math.max(m ?? 0, d);
    }
    return m;
  }
  return null;
}

export function sameRecord(a: CaseRecord, b: CaseRecord): boolean {
  if (a.status !== b.status) return false;
  if (a.status === 'error') return a.error === b.error;
  return JSON.stringify(a.value) === JSON.stringify(b.value);
}

export interface CaseComparison {
  name: string;
  outcome: CaseOutcome;
  detail?: string;
}

/**
 * Compare the original's two runs (`a1`, `a2`) with the fixed copy's run (`b`), case by case.
 * A case whose two original runs differ is `nondeterministic` and says nothing either way.
 */
export function compareRuns(a1: Record<string, CaseRecord>, a2: Record<string, CaseRecord>, b: Record<string, CaseRecord>): CaseComparison[] {
  const out: CaseComparison[] = [];
  for (const name of Object.keys(a1)) {
    const x = a1[name];
    const y = b[name];
    if (!a2[name] || !sameRecord(x, a2[name])) {
      out.push({ name, outcome: 'nondeterministic' });
      continue;
    }
    if (!y) {
      out.push({ name, outcome: 'missing', detail: 'the fixed run did not report this case' });
      continue;
    }
    if (sameRecord(x, y)) out.push({ name, outcome: 'same' });
    else if (x.status === 'ok' && y.status === 'error') out.push({ name, outcome: 'broken', detail: y.error });
    else if (x.status === 'error' && y.status === 'ok') out.push({ name, outcome: 'repaired', detail: `raised before the fix (${x.error}), not after` });
    else if (x.status === 'error') out.push({ name, outcome: 'different', detail: `raised ${x.error} before, ${y.error} after` });
    else {
      const d = maxAbsDiff(x.value, y.value);
      const meta = [...metadataDiff(x.value, y.value)];
      const metaText = meta.length ? `; ${meta.join(', ')} differ` : '';
      out.push({ name, outcome: 'different', detail: d === null ? `values differ (not numerically comparable)${metaText}` : d === 0 ? `same numbers${metaText}` : `largest absolute difference ${d}${metaText}` });
    }
  }
  for (const name of Object.keys(b)) if (!(name in a1)) out.push({ name, outcome: 'different', detail: 'only the fixed run reports this case' });
  return out;
}

export function behaviourVerdict(cases: CaseComparison[]): 'same' | 'different' | 'broken' {
  if (cases.some((c) => c.outcome === 'broken' || c.outcome === 'missing')) return 'broken';
  if (cases.some((c) => c.outcome === 'different' || c.outcome === 'repaired')) return 'different';
  return 'same';
}

// ---------------------------------------------------------------------------------------------------

interface ChangedFile {
  file: string;
  fixesApplied: number;
  codes: string[];
  compileBefore: 'ok' | string;
  compileAfter: 'ok' | string;
  /** `@@ -a,b +c,d @@` of each hunk. */
  hunks: string[];
  /** The unified diff (only with --diff). */
  diff?: string;
}

interface RepoFixResult {
  repo: string;
  commit: string;
  status: 'ok' | 'unavailable';
  reason?: string;
  pythonFiles: number;
  /** Notebooks fixed and checked (those the CLI reads: nbformat 4, Python). */
  notebooks?: number;
  /** Files the engine did not finish within --file-timeout (not fixed, not checked). */
  notChecked: string[];
  changed: ChangedFile[];
  compile: 'ok' | 'broken' | 'n/a';
  behaviour: 'same' | 'different' | 'broken' | 'n/a' | 'error';
  behaviourNote?: string;
  cases: CaseComparison[];
  seconds: number;
}

function compileCheck(python: string, file: string): 'ok' | string {
  const r = isNotebookFile(file)
    ? spawnSync(python, ['-c', 'import sys; compile(sys.stdin.read(), sys.argv[1], "exec")', file], { encoding: 'utf8', input: notebookProgram(file) })
    : spawnSync(python, ['-m', 'py_compile', file], { encoding: 'utf8' });
  if (r.error) throw new HarnessError(`cannot run ${python}: ${r.error.message}`);
  if (r.status === 0) return 'ok';
  const lines = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n');
  return lines.slice(-2).join(' ').trim() || `exit ${r.status}`;
}

/** The text the linter reads of a notebook: its code cells, IPython syntax masked, as one program. */
function notebookProgram(file: string): string {
  const read = readNotebook(readFileSync(file, 'utf8'), file);
  if ('notLinted' in read) throw new HarnessError(`${file}: ${read.notLinted}`);
  return buildProgram(read.notebook.cells).units.map((u) => u.text).join('\n');
}

function unifiedDiff(a: string, b: string, label: string): string {
  const r = spawnSync('git', ['diff', '--no-index', '--no-color', '--unified=2', '--', a, b], { encoding: 'utf8' });
  // Replace the temporary paths with the file's path in the repository.
  return (r.stdout ?? '').replace(/^(---|\+\+\+) .*$/gm, (_m, sign: string) => `${sign} ${sign === '---' ? 'a' : 'b'}/${label}`).replace(/^diff --git .*\n(index .*\n)?/m, '');
}

function runBehaviour(python: string, script: string, srcRoot: string, out: string, timeoutS: number): { records: Record<string, CaseRecord> } | { error: string } {
  rmSync(out, { force: true });
  const r = spawnSync(python, [script, '--out', out], {
    encoding: 'utf8',
    cwd: srcRoot,
    timeout: timeoutS * 1000,
    env: { ...process.env, PYTHONPATH: srcRoot, AGL_BEHAVIOUR_SRC: srcRoot, PYTHONDONTWRITEBYTECODE: '1', PYTHONHASHSEED: '0', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  if (r.error) return { error: `could not run: ${r.error.message}` };
  if (r.status !== 0 || !existsSync(out)) {
    const tail = `${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ');
    return { error: `exit ${r.status ?? r.signal}: ${tail}` };
  }
  try {
    const parsed = JSON.parse(readFileSync(out, 'utf8')) as { cases?: Record<string, CaseRecord> };
    if (!parsed.cases || typeof parsed.cases !== 'object') return { error: 'no "cases" in its output' };
    return { records: parsed.cases };
  } catch (err) {
    return { error: `unreadable output: ${(err as Error).message}` };
  }
}

async function checkRepo(entry: RepoEntry, gitDir: string, base: string, opts: Options, pool: LintPool): Promise<RepoFixResult> {
  const started = Date.now();
  const res: RepoFixResult = { repo: entry.repo, commit: entry.commit, status: 'ok', pythonFiles: 0, notChecked: [], changed: [], compile: 'n/a', behaviour: 'n/a', cases: [], seconds: 0 };
  if (!(await hasCommit(gitDir, entry.commit))) {
    res.status = 'unavailable';
    res.reason = `commit ${entry.commit.slice(0, 12)} is not in the snapshot`;
    return res;
  }
  const orig = join(base, 'orig');
  const fixed = join(base, 'fixed');
  rmSync(base, { recursive: true, force: true });
  mkdirSync(orig, { recursive: true });
  const exp = await exportCommit(gitDir, entry.commit, orig);
  cpSync(orig, fixed, { recursive: true });
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  for (const file of exp.written.filter((f) => f.endsWith('.py') || isNotebookFile(f)).sort()) {
    if (!isNotebookFile(file)) res.pythonFiles++;
    const path = join(fixed, ...file.split('/'));
    let source: string;
    try {
      source = utf8.decode(readFileSync(path));
    } catch {
      continue; // not UTF-8: the CLI would refuse it too (run.ts lists it)
    }
    const reply = await pool.lint(file, source, { fix: true, root: orig }); // imports read from the unfixed files, as the CLI reads them before it writes
    if (!('timeout' in reply) && reply.notebook && 'notLinted' in reply.notebook) continue; // the CLI does not read it: nothing to fix
    if (!('timeout' in reply) && reply.notebook) res.notebooks = (res.notebooks ?? 0) + 1;
    if ('timeout' in reply || !reply.fixed) {
      res.notChecked.push(file);
      continue;
    }
    const r = reply.fixed;
    if (r.output === source) continue;
    writeFileSync(path, r.output);
    const before = join(orig, ...file.split('/'));
    const diff = unifiedDiff(before, path, file);
    res.changed.push({
      file,
      fixesApplied: r.applied,
      codes: r.codes,
      compileBefore: compileCheck(opts.python, before),
      compileAfter: compileCheck(opts.python, path),
      hunks: diff.split('\n').filter((l) => l.startsWith('@@')).map((l) => l.replace(/^(@@ [^@]+ @@).*$/, '$1')),
      ...(opts.diff ? { diff } : {}),
    });
  }
  if (res.changed.length > 0) {
    res.compile = res.changed.some((c) => c.compileAfter !== 'ok' && c.compileBefore === 'ok') ? 'broken' : 'ok';
  }
  if (entry.behaviour && (res.changed.length > 0 || opts.behaviourAlways)) {
    const script = join(HERE, 'behaviour', entry.behaviour);
    if (!existsSync(script)) {
      res.behaviour = 'error';
      res.behaviourNote = `behaviour script ${entry.behaviour} not found`;
    } else {
      const outDir = join(base, 'behaviour-out');
      mkdirSync(outDir, { recursive: true });
      const a1 = runBehaviour(opts.python, script, orig, join(outDir, 'orig-1.json'), opts.timeoutS);
      const a2 = runBehaviour(opts.python, script, orig, join(outDir, 'orig-2.json'), opts.timeoutS);
      const b = runBehaviour(opts.python, script, fixed, join(outDir, 'fixed.json'), opts.timeoutS);
      if ('error' in a1 || 'error' in a2) {
        res.behaviour = 'error';
        res.behaviourNote = `the script fails on the original: ${'error' in a1 ? a1.error : (a2 as { error: string }).error}`;
      } else if ('error' in b) {
        res.behaviour = 'broken';
        res.behaviourNote = `the script fails as a whole on the fixed copy: ${b.error}`;
      } else {
        res.cases = compareRuns(a1.records, a2.records, b.records);
        res.behaviour = behaviourVerdict(res.cases);
        const nd = res.cases.filter((c) => c.outcome === 'nondeterministic').length;
        res.behaviourNote = `${res.cases.length} cases${nd ? `, ${nd} nondeterministic (ignored)` : ''}`;
      }
    }
  }
  res.seconds = Math.round((Date.now() - started) / 100) / 10;
  return res;
}

function render(results: RepoFixResult[]): string {
  const rows = [['repository', 'py files', 'notebooks', 'changed', 'fixes', 'compile', 'behaviour', 'cases same/different/broken', 'seconds']];
  for (const r of results) {
    if (r.status !== 'ok') {
      rows.push([r.repo, '-', '-', '-', '-', '-', '-', `unavailable: ${r.reason ?? ''}`, '-']);
      continue;
    }
    const n = (o: CaseOutcome): number => r.cases.filter((c) => c.outcome === o).length;
    rows.push([
      r.repo,
      String(r.pythonFiles),
      String(r.notebooks ?? 0),
      String(r.changed.length),
      String(r.changed.reduce((s, c) => s + c.fixesApplied, 0)),
      r.compile,
      r.behaviour,
      r.cases.length ? `${n('same')}/${n('different') + n('repaired')}/${n('broken') + n('missing')}` : '',
      String(r.seconds),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  for (const r of results) {
    for (const c of r.changed) if (c.diff) lines.push(c.diff.trimEnd());
    for (const f of r.notChecked) lines.push(`  ${r.repo} ${f}: not checked (the engine did not finish within the time limit)`);
    for (const c of r.changed) {
      const comp = c.compileAfter === 'ok' ? 'compiles' : c.compileBefore === 'ok' ? `DOES NOT COMPILE: ${c.compileAfter}` : 'did not compile before either';
      lines.push(`  ${r.repo} ${c.file}: ${c.fixesApplied} fix(es) [${[...new Set(c.codes)].join(', ')}], ${comp}`);
    }
    for (const c of r.cases.filter((x) => x.outcome !== 'same')) lines.push(`  ${r.repo} case ${c.name}: ${c.outcome}${c.detail ? ` (${c.detail})` : ''}`);
    if (r.behaviourNote) lines.push(`  ${r.repo} behaviour: ${r.behaviour}, ${r.behaviourNote}`);
  }
  return lines.join('\n');
}

/** The table of docs/precision.md: one row per repository, then the cases that are not the same. */
export function renderMarkdown(results: RepoFixResult[]): string {
  const out = ['| repository | Python files | notebooks | changed by safe fixes | fixes | compile | behaviour | cases same / different / broken |', '|---|---:|---:|---:|---:|---|---|---|'];
  for (const r of results) {
    if (r.status !== 'ok') {
      out.push(`| ${r.repo} | unavailable: ${r.reason ?? ''} | | | | | | |`);
      continue;
    }
    const n = (o: CaseOutcome): number => r.cases.filter((c) => c.outcome === o).length;
    const cases = r.cases.length ? `${n('same')} / ${n('different') + n('repaired')} / ${n('broken') + n('missing')}` : '';
    const fixes = r.changed.reduce((s, c) => s + c.fixesApplied, 0);
    out.push(`| ${r.repo} | ${r.pythonFiles} | ${r.notebooks ?? 0} | ${r.changed.length} | ${fixes} | ${r.compile} | ${r.behaviour === 'n/a' ? 'n/a' : `**${r.behaviour}**`} | ${cases} |`);
  }
  return `${out.join('\n')}\n`;
}

async function main(): Promise<number> {
  const { sources, rest, only } = parseSourceArgs(process.argv.slice(2));
  const opts = parseOwnArgs(rest, only !== null);
  const repos = selectRepos(loadRepos(), only);
  if (!sources.mirrors && sources.paths.size === 0) throw new HarnessError(`no repositories: give --mirrors DIR, --repo owner/name=PATH, or set AGL_PRECISION_MIRRORS\n${USAGE}`);
  const pool = new LintPool(opts.fileTimeoutS * 1000);
  const base = opts.keep ?? mkdtempSync(join(tmpdir(), 'agl-fixcheck-'));
  const results: RepoFixResult[] = [];
  try {
    for (const entry of repos) {
      const where = locate(entry.repo, sources);
      if ('missing' in where) {
        results.push({ repo: entry.repo, commit: entry.commit, status: 'unavailable', reason: where.missing, pythonFiles: 0, notChecked: [], changed: [], compile: 'n/a', behaviour: 'n/a', cases: [], seconds: 0 });
        continue;
      }
      const dir = join(base, mirrorName(entry.repo));
      try {
        const r = await checkRepo(entry, where.gitDir, dir, opts, pool);
        results.push(r);
        process.stderr.write(`${entry.repo}: ${r.changed.length} file(s) changed, compile ${r.compile}, behaviour ${r.behaviour} (${r.seconds} s)\n`);
      } catch (err) {
        if (err instanceof HarnessError && /cannot run/.test(err.message)) throw err;
        results.push({ repo: entry.repo, commit: entry.commit, status: 'unavailable', reason: (err as Error).message, pythonFiles: 0, notChecked: [], changed: [], compile: 'n/a', behaviour: 'n/a', cases: [], seconds: 0 });
      }
      if (!opts.keep) rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await pool.close();
    if (!opts.keep) rmSync(base, { recursive: true, force: true });
  }
  console.log(render(results));
  if (opts.out) {
    writeFileSync(opts.out, `${JSON.stringify({ linterCommit: await projectCommit(), python: opts.python, repos: results }, null, 2)}\n`);
    process.stderr.write(`results written to ${opts.out}\n`);
  }
  if (opts.markdown) writeFileSync(opts.markdown, renderMarkdown(results));
  if (opts.keep) process.stderr.write(`original and fixed copies kept in ${base}\n`);
  const bad = results.some((r) => r.compile === 'broken' || r.behaviour === 'broken' || r.behaviour === 'different' || r.behaviour === 'error');
  return bad ? 1 : 0;
}

runMain(module, main);
