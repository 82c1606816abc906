/**
 * History recall: would the linter have flagged the derivative mistakes real projects later fixed?
 *
 * For every repository of the precision set (bench/precision/repos.json) whose git history is at hand, this
 * walks the commits whose message speaks of fixing something about derivatives (a gradient, `detach`,
 * `backward`, a tape, a Jacobian, NaN, ...), lints each changed Python file as it was before the commit and
 * as it was after, and sorts the warnings:
 *
 * - **fixed**: a warning on the lines the commit changed that is gone after it (same rule, near the mapped
 *   line): the linter points at what the project fixed. Each is reviewed (verdicts.json beside this file):
 *   the commit may fix that very mistake (`caught`) or something else on the same lines (`coincidence`).
 * - **introduced**: a warning on the changed lines of the new version that the old one did not have (a fix
 *   the linter dislikes: a false warning, or a mistake the fix brought).
 *
 * Code the project itself wrote is the measure: no snippet was cut or chosen for a rule. The commit filter
 * is a text pattern, so most selected commits fix something a linter cannot see (a formula, a shape, a
 * device); the count of commits is a denominator of opportunities, not of mistakes. Commits whose address is
 * a development-corpus source are marked, so that a finding learnt from the corpus can be told apart.
 *
 *   npx tsx bench/history/run.ts --mirrors DIR [--only a/b,c/d] [--max-files 6] [--file-timeout 120]
 *                                [--out bench/history/results.json] [--markdown docs/history-table.md]
 *
 * Files are linted one by one, without the rest of the repository (imports of other files are not
 * followed): the old and new versions of a file are compared under the same conditions.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eachFlag, HarnessError, loadRepos, locate, parseSourceArgs, positiveSeconds, runMain, selectRepos } from '../precision/lib';
import { LintPool } from '../precision/run';
import { loadEntries } from '../../test/corpus/corpus';

const HERE = resolve(__dirname);
const ROOT = resolve(HERE, '../..');

/** A commit message that speaks of derivatives... */
const DERIVATIVE_WORDS =
  /\b(grads?|gradients?|autograd|backward|backprop\w*|detach\w*|requires_grad|no_grad|jacobians?|hessians?|jvp|vjp|tapes?|gradienttape|stop_gradient|derivatives?|custom_vjp|custom_gradient|nan|nans|inf|second[- ]order|double backward|create_graph|retain_graph|in-?place|logdet|log[_ ]det)\b/i;
/** ... and of fixing something. */
const FIX_WORDS = /\b(fix\w*|bug\w*|wrong\w*|correct\w*|incorrect\w*|mistake\w*|broken|error\w*|issue|repair\w*|resolve\w*)\b/i;

export interface CommitInfo {
  hash: string;
  subject: string;
  body: string;
}

/** Whether a commit message is one the history run looks at. */
export function selectsMessage(subject: string, body: string): boolean {
  const text = `${subject}\n${body}`;
  return DERIVATIVE_WORDS.test(text) && FIX_WORDS.test(text);
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
}

/** The hunks of a `git diff -U0` of one file. */
export function parseHunks(diff: string): Hunk[] {
  const out: Hunk[] = [];
  for (const m of diff.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)) {
    out.push({ oldStart: Number(m[1]), oldLines: m[2] === undefined ? 1 : Number(m[2]), newStart: Number(m[3]), newLines: m[4] === undefined ? 1 : Number(m[4]) });
  }
  return out;
}

/** Whether 1-based line `line` of the old file is changed by a hunk (a pure insertion touches the lines around it). */
export function touchedOld(hunks: readonly Hunk[], line: number, slack = 1): boolean {
  return hunks.some((h) => (h.oldLines === 0 ? line >= h.oldStart - slack && line <= h.oldStart + 1 + slack : line >= h.oldStart - slack && line < h.oldStart + h.oldLines + slack));
}

/** Whether 1-based line `line` of the new file is changed by a hunk. */
export function touchedNew(hunks: readonly Hunk[], line: number, slack = 1): boolean {
  return hunks.some((h) => (h.newLines === 0 ? line >= h.newStart - slack && line <= h.newStart + 1 + slack : line >= h.newStart - slack && line < h.newStart + h.newLines + slack));
}

/** The range of new lines an old line corresponds to (a changed old line maps to its hunk's new lines). */
export function mapOldLine(hunks: readonly Hunk[], line: number): [number, number] {
  let shift = 0;
  for (const h of hunks) {
    const end = h.oldLines === 0 ? h.oldStart : h.oldStart + h.oldLines - 1;
    if (h.oldLines > 0 && line >= h.oldStart && line <= end) return [h.newStart, h.newStart + Math.max(h.newLines, 1) - 1];
    if ((h.oldLines === 0 ? h.oldStart : end) < line) shift += h.newLines - h.oldLines;
  }
  return [line + shift, line + shift];
}

export interface Finding {
  repo: string;
  commit: string;
  subject: string;
  file: string;
  /** 1-based line in the old (before) version, or in the new version for `introduced`. */
  line: number;
  code: string;
  message: string;
  kind: 'fixed' | 'introduced';
  /** Lines of the warning's related locations in the same version. */
  related?: number[];
  /** The commit is the source of a development-corpus entry. */
  inCorpus: boolean;
}

interface Diagnostic {
  line: number;
  code: string;
  message: string;
  /** Lines of the related locations (the operation a warning names may sit there). */
  related?: number[];
}

/** Old warnings on the changed lines that are gone after the commit, and new ones the commit brought. */
export function compareVersions(hunks: readonly Hunk[], before: readonly Diagnostic[], after: readonly Diagnostic[]): { fixed: Diagnostic[]; introduced: Diagnostic[] } {
  const fixed: Diagnostic[] = [];
  for (const d of before) {
    if (!touchedOld(hunks, d.line)) continue;
    const [lo, hi] = mapOldLine(hunks, d.line);
    if (after.some((a) => a.code === d.code && a.line >= lo - 2 && a.line <= hi + 2)) continue;
    fixed.push(d);
  }
  const introduced: Diagnostic[] = [];
  for (const a of after) {
    if (!touchedNew(hunks, a.line)) continue;
    // The same rule on the old file anywhere near (the commit moved the line): not new.
    const olds = before.filter((d) => d.code === a.code);
    if (olds.some((d) => {
      const [lo, hi] = mapOldLine(hunks, d.line);
      return a.line >= lo - 2 && a.line <= hi + 2;
    })) continue;
    introduced.push(a);
  }
  return { fixed, introduced };
}

function git(gitDir: string, args: string[], maxBuffer = 64 * 1024 * 1024): string | null {
  const r = spawnSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer });
  return r.status === 0 ? r.stdout : null;
}

function commitsOf(gitDir: string): CommitInfo[] {
  const out = git(gitDir, ['log', '--no-merges', '--format=%H%x1f%s%x1f%b%x1e', 'HEAD'], 512 * 1024 * 1024);
  if (out === null) return [];
  const list: CommitInfo[] = [];
  for (const rec of out.split('\x1e')) {
    const [hash, subject, body] = rec.replace(/^\n/, '').split('\x1f');
    if (hash && /^[0-9a-f]{40}$/.test(hash)) list.push({ hash, subject: subject ?? '', body: body ?? '' });
  }
  return list;
}

interface Options {
  maxFiles: number;
  fileTimeoutS: number;
  out: string;
  markdown: string | null;
  verbose: boolean;
}

function parseOwn(rest: string[]): Options {
  const o: Options = { maxFiles: 6, fileTimeoutS: 120, out: join(HERE, 'results.json'), markdown: null, verbose: false };
  eachFlag(rest, (flag, value) => {
    if (flag === '--max-files') o.maxFiles = Number(value());
    else if (flag === '--file-timeout') o.fileTimeoutS = positiveSeconds(flag, value());
    else if (flag === '--out') o.out = resolve(value());
    else if (flag === '--markdown') o.markdown = resolve(value());
    else if (flag === '--verbose') o.verbose = true;
    else throw new HarnessError(`unknown option ${flag}`);
  });
  return o;
}

interface RepoSummary {
  repo: string;
  commitsInHistory: number;
  commitsSelected: number;
  filesCompared: number;
  linesBefore: number;
  timeouts: number;
}

async function lintHistory(argv: string[]): Promise<HistoryResult> {
  const { sources, rest, only } = parseSourceArgs(argv);
  const opts = parseOwn(rest);
  const repos = selectRepos(loadRepos(), only);
  const corpusCommits = new Set<string>();
  for (const e of loadEntries()) for (const m of e.source.matchAll(/\b([0-9a-f]{7,40})\b/g)) corpusCommits.add(m[1]!);
  const inCorpus = (hash: string): boolean => [...corpusCommits].some((c) => hash.startsWith(c));
  const pool = new LintPool(opts.fileTimeoutS * 1000);
  const findings: Finding[] = [];
  const summaries: RepoSummary[] = [];
  const selected: { repo: string; commit: string; subject: string; files: string[]; inCorpus: boolean }[] = [];
  try {
    for (const entry of repos) {
      const where = locate(entry.repo, sources);
      if ('missing' in where) {
        process.stderr.write(`${entry.repo}: unavailable (${where.missing})\n`);
        continue;
      }
      const all = commitsOf(where.gitDir);
      const picked = all.filter((c) => selectsMessage(c.subject, c.body));
      const s: RepoSummary = { repo: entry.repo, commitsInHistory: all.length, commitsSelected: 0, filesCompared: 0, linesBefore: 0, timeouts: 0 };
      for (const c of picked) {
        const names = git(where.gitDir, ['diff-tree', '-r', '--no-commit-id', '--name-status', '--diff-filter=M', `${c.hash}^`, c.hash]);
        if (names === null) continue; // a root commit
        const files = names.split('\n').map((l) => l.split('\t')).filter((p) => p.length === 2 && p[1]!.endsWith('.py')).map((p) => p[1]!);
        if (files.length === 0 || files.length > opts.maxFiles) continue;
        s.commitsSelected++;
        selected.push({ repo: entry.repo, commit: c.hash, subject: c.subject, files, inCorpus: inCorpus(c.hash) });
        for (const file of files) {
          const before = git(where.gitDir, ['show', `${c.hash}^:${file}`]);
          const after = git(where.gitDir, ['show', `${c.hash}:${file}`]);
          const diff = git(where.gitDir, ['diff', '-U0', `${c.hash}^`, c.hash, '--', file]);
          if (before === null || after === null || diff === null) continue;
          const hunks = parseHunks(diff);
          const rb = await pool.lint(file, before);
          const ra = await pool.lint(file, after);
          if ('timeout' in rb || 'timeout' in ra) {
            s.timeouts++;
            continue;
          }
          s.filesCompared++;
          s.linesBefore += before.split('\n').length;
          const { fixed, introduced } = compareVersions(hunks, rb.diagnostics, ra.diagnostics);
          const base = { repo: entry.repo, commit: c.hash, subject: c.subject, file, inCorpus: inCorpus(c.hash) };
          for (const d of fixed) findings.push({ ...base, line: d.line, code: d.code, message: d.message, kind: 'fixed', related: d.related ?? [] });
          for (const d of introduced) findings.push({ ...base, line: d.line, code: d.code, message: d.message, kind: 'introduced' });
        }
      }
      summaries.push(s);
      const mine = findings.filter((f) => f.repo === entry.repo);
      process.stderr.write(
        `${entry.repo}: ${s.commitsSelected}/${s.commitsInHistory} commits, ${s.filesCompared} files, ` +
          `${mine.filter((f) => f.kind === 'fixed').length} fixed, ${mine.filter((f) => f.kind === 'introduced').length} introduced\n`,
      );
    }
  } finally {
    await pool.close();
  }
  const result: HistoryResult = {
    engine: git(join(ROOT, '.git'), ['rev-parse', 'HEAD'])?.trim() ?? null,
    maxFiles: opts.maxFiles,
    repos: summaries,
    commits: selected,
    findings,
  };
  writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

export interface HistoryResult {
  engine: string | null;
  maxFiles: number;
  repos: RepoSummary[];
  commits: { repo: string; commit: string; subject: string; files: string[]; inCorpus: boolean }[];
  findings: Finding[];
}

/** A labelled commit (labels.json, keyed by `owner/name@<12 hex>`), labelled blind to the linter. */
export interface CommitLabel {
  label: 'autograd' | 'numerics' | 'formula' | 'not-derivative' | 'unclear';
  framework?: string;
  places?: { file: string; lines: [number, number] }[];
  why: string;
}

/**
 * The half a repository's commits belong to: `dev` (its labels may be read to develop the engine) or `test`
 * (measured only: its labels and misses are not read while developing). Fixed by the repository's name.
 */
export function historyHalf(repo: string): 'dev' | 'test' {
  return createHash('sha1').update(repo).digest()[0]! % 2 === 0 ? 'dev' : 'test';
}

/** The labels of both halves (labels-dev.json, labels-test.json beside this file). */
export function loadLabels(dir = HERE): Record<string, CommitLabel> {
  const out: Record<string, CommitLabel> = {};
  for (const half of ['dev', 'test']) {
    const f = join(dir, `labels-${half}.json`);
    if (existsSync(f)) Object.assign(out, JSON.parse(readFileSync(f, 'utf8')) as Record<string, CommitLabel>);
  }
  return out;
}

export const MISTAKE_LABELS = ['autograd', 'numerics', 'formula'] as const;

export interface HistoryScore {
  /** Commits labelled as fixing a derivative mistake with a place in a Python file, the corpus' own commits left out. */
  mistakes: { key: string; half: 'dev' | 'test'; label: string; framework: string; caught: Finding[] }[];
  /** `fixed` warnings of commits labelled `not-derivative`. */
  fixedElsewhere: Finding[];
  /** Labelled mistakes whose commit is a development-corpus source (left out of the figures). */
  inCorpus: number;
  unlabelled: number;
}

export function commitKey(repo: string, commit: string): string {
  return `${repo}@${commit.slice(0, 12)}`;
}

/**
 * Recall on the labelled history: a mistake is caught when a warning the commit's parent has inside one of
 * the labelled places (two lines of slack) is gone after the commit (a `fixed` finding there).
 */
export function scoreHistory(result: HistoryResult, labels: Readonly<Record<string, CommitLabel>>): HistoryScore {
  const out: HistoryScore = { mistakes: [], fixedElsewhere: [], inCorpus: 0, unlabelled: 0 };
  for (const c of result.commits) {
    const key = commitKey(c.repo, c.commit);
    const l = labels[key];
    const fixed = result.findings.filter((f) => f.kind === 'fixed' && f.commit === c.commit && f.repo === c.repo);
    if (!l) {
      out.unlabelled++;
      continue;
    }
    if (l.label === 'not-derivative') {
      out.fixedElsewhere.push(...fixed);
      continue;
    }
    if (!(MISTAKE_LABELS as readonly string[]).includes(l.label)) continue;
    const places = (l.places ?? []).filter((p) => p.file.endsWith('.py'));
    if (places.length === 0) continue; // a mistake in C++/CUDA: out of a Python linter's reach
    if (c.inCorpus) {
      out.inCorpus++;
      continue;
    }
    // The warning's line, or a line it relates (the operation it names), inside a labelled place.
    const near = (p: { lines: [number, number] }, line: number): boolean => line >= p.lines[0] - 2 && line <= p.lines[1] + 2;
    const caught = fixed.filter((f) => places.some((p) => p.file === f.file && [f.line, ...(f.related ?? [])].some((l) => near(p, l))));
    out.mistakes.push({ key, half: historyHalf(c.repo), label: l.label, framework: l.framework ?? 'unknown', caught });
  }
  return out;
}

function report(result: HistoryResult, opts: Options): void {
  const labels = loadLabels();
  const verdictsFile = join(HERE, 'verdicts.json');
  const verdicts: Record<string, { verdict: string; why: string }> = existsSync(verdictsFile) ? JSON.parse(readFileSync(verdictsFile, 'utf8')) : {};
  const score = scoreHistory(result, labels);
  const summaries = result.repos;
  const intro = result.findings.filter((f) => f.kind === 'introduced');
  const verdictOf = (f: Finding): string | null => verdicts[findingKey(f)]?.verdict ?? null;
  const tot = (k: keyof RepoSummary): number => summaries.reduce((a, s) => a + (s[k] as number), 0);
  const caught = score.mistakes.filter((x) => x.caught.length > 0);
  const rate = (xs: readonly { caught: Finding[] }[]): string => `${xs.filter((x) => x.caught.length > 0).length}/${xs.length}`;
  const by = (k: 'label' | 'framework'): string =>
    [...new Set(score.mistakes.map((x) => x[k]))]
      .sort()
      .map((v) => `${v} ${caught.filter((x) => x[k] === v).length}/${score.mistakes.filter((x) => x[k] === v).length}`)
      .join(', ');
  const lines = [
    `repositories: ${summaries.length}; commits in their histories: ${tot('commitsInHistory')}; selected (the message speaks of fixing a derivative matter; 1-${result.maxFiles ?? 6} modified .py files): ${tot('commitsSelected')}`,
    `files compared: ${tot('filesCompared')} (${tot('linesBefore')} lines before the commits); stopped by the time limit: ${tot('timeouts')}`,
    `labelled derivative mistakes in Python (corpus commits left out: ${score.inCorpus}; unlabelled commits: ${score.unlabelled}): ${score.mistakes.length}; ` +
      `caught (a warning inside the labelled place, gone after the fix): ${caught.length} (${score.mistakes.length ? Math.round((100 * caught.length) / score.mistakes.length) : 0} %)`,
    `by half: dev ${rate(score.mistakes.filter((x) => x.half === 'dev'))}, test ${rate(score.mistakes.filter((x) => x.half === 'test'))}; by label: ${by('label')}; by framework: ${by('framework')}`,
    `warnings gone with commits labelled not-derivative: ${score.fixedElsewhere.length}`,
    `warnings a commit brought on its changed lines: ${intro.length} (false ${intro.filter((f) => verdictOf(f) === 'false-positive').length}, ` +
      `true ${intro.filter((f) => verdictOf(f) === 'true-positive').length}, debatable ${intro.filter((f) => verdictOf(f) === 'debatable').length}, unreviewed ${intro.filter((f) => !verdictOf(f)).length})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const m of caught) for (const f of m.caught) process.stdout.write(`caught     ${m.key} ${f.file}:${f.line} ${f.code} | ${f.subject.slice(0, 80)}\n`);
  for (const f of score.fixedElsewhere) process.stdout.write(`elsewhere  ${commitKey(f.repo, f.commit)} ${f.file}:${f.line} ${f.code} | ${f.subject.slice(0, 80)}\n`);
  for (const f of intro) process.stdout.write(`introduced ${verdictOf(f) ?? '-'} ${commitKey(f.repo, f.commit)} ${f.file}:${f.line} ${f.code} | ${f.subject.slice(0, 80)}\n`);
  // Misses of the dev half only: the test half's are measured, not read.
  if (opts.verbose) for (const m of score.mistakes.filter((x) => x.caught.length === 0 && x.half === 'dev')) process.stdout.write(`missed     ${m.key} ${m.label} ${m.framework} | ${labels[m.key]?.why.slice(0, 100)}\n`);
  if (opts.markdown) writeFileSync(opts.markdown, `${lines.map((l) => `- ${l}`).join('\n')}\n`);
}

/** The key of a warning a commit brought, for verdicts.json. */
export function findingKey(f: Finding): string {
  return `${commitKey(f.repo, f.commit)}:${f.file}:${f.line}:${f.code}`;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const fromAt = argv.indexOf('--from');
  if (fromAt >= 0) {
    const file = argv[fromAt + 1];
    if (!file) throw new HarnessError('--from needs a results file');
    const rest = [...argv.slice(0, fromAt), ...argv.slice(fromAt + 2)];
    report(JSON.parse(readFileSync(file, 'utf8')) as HistoryResult, parseOwn(rest));
    return 0;
  }
  const opts = parseOwn(parseSourceArgs(argv).rest);
  report(await lintHistory(argv), opts);
  return 0;
}

runMain(module, main);
