/**
 * Loading, validating and scoring the real-world corpus (see README.md beside this file).
 * Shared by scripts/corpus.ts (the command) and test/unit/corpus/*.test.ts (the ratchet).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { sameFinding, type Diagnostic, type Linter } from '../../src/core/lint/index';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CORPUS_DIR = path.join(ROOT, 'test', 'corpus');
export const ENTRIES_DIR = path.join(CORPUS_DIR, 'entries');
/** The held-out set: entries collected apart from the development corpus, never used to tune the engine. */
export const HOLDOUT_DIR = path.join(CORPUS_DIR, 'holdout');
const DOCS = path.join(ROOT, 'docs', 'corpus.md');

export const FRAMEWORKS = ['pytorch', 'tensorflow', 'jax'] as const;
export type CorpusFramework = (typeof FRAMEWORKS)[number];

export const CLASSES = [
  'derivative-without-graph', 'graph-cut', 'normalized-input-derivative', 'accumulating-gradients',
  'non-scalar-derivative', 'wrong-derivative-target', 'input-not-requiring-grad', 'unused-input',
  'recording-off', 'relu-higher-derivative', 'batch-coupling', 'integer-requires-grad', 'inplace-on-leaf',
  'inplace-version-error', 'grad-of-non-leaf', 'backward-twice', 'stale-graph-after-step',
  'nan-gradient-where', 'no-double-backward', 'frozen-critic-penalty', 'functional-model-mismatch',
  'tape-unwatched', 'tape-reused', 'tape-cut', 'tape-vector-target', 'tape-outside-scope',
  'jax-grad-non-scalar', 'jax-vmap-of-call', 'jax-tracer-leak', 'other',
] as const;

const CONTEXTS = new Set([
  'pinn', 'sobolev', 'penalty', 'sensitivity', 'adversarial', 'attribution', 'meta-learning', 'force-field',
  'ode', 'hessian', 'training', 'other',
]);

export interface CorpusEntry {
  id: string;
  dir: string;
  snippet: string;
  source: string;
  label: 'bug' | 'ok';
  framework: CorpusFramework;
  class: string;
  subclass?: string;
  mistakeLines: number[];
  confirmed: 'run' | 'thread' | 'docs';
  evidence: string;
  summary: string;
  context: string;
  hasGroundTruth: boolean;
  /**
   * The snippet's path inside its repository (meta `path`), for entries that carry other files of the same
   * repository in `workspace/` (at their repository paths): imports of the snippet resolve among them.
   */
  repoPath?: string;
  /** Other files of the repository the mistake needs (`workspace/<repository path>`), trimmed like the snippet. */
  workspace: { path: string; text: string }[];
  /** Problems found while reading meta.toml (reported by `check`). */
  problems: string[];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function loadEntries(dir = ENTRIES_DIR): CorpusEntry[] {
  if (!existsSync(dir)) return [];
  const out: CorpusEntry[] = [];
  for (const id of readdirSync(dir).sort()) {
    const d = path.join(dir, id);
    const snippetPath = path.join(d, 'snippet.py');
    const metaPath = path.join(d, 'meta.toml');
    const problems: string[] = [];
    let meta: Record<string, unknown> = {};
    if (!existsSync(metaPath)) problems.push('no meta.toml');
    else {
      try {
        meta = parseToml(readFileSync(metaPath, 'utf8')) as Record<string, unknown>;
      } catch (e) {
        problems.push(`meta.toml: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    const snippet = existsSync(snippetPath) ? readFileSync(snippetPath, 'utf8') : '';
    if (!existsSync(snippetPath)) problems.push('no snippet.py');
    const workspace = existsSync(path.join(d, 'workspace')) ? workspaceFiles(path.join(d, 'workspace')) : [];
    const lines = Array.isArray(meta.mistake_lines) ? meta.mistake_lines.filter((x): x is number => typeof x === 'number') : [];
    out.push({
      id,
      dir: d,
      snippet,
      source: str(meta.source),
      label: meta.label === 'ok' ? 'ok' : 'bug',
      framework: (FRAMEWORKS as readonly string[]).includes(str(meta.framework)) ? (str(meta.framework) as CorpusFramework) : 'pytorch',
      class: str(meta.class),
      subclass: typeof meta.subclass === 'string' ? meta.subclass : undefined,
      mistakeLines: lines,
      confirmed: meta.confirmed === 'thread' || meta.confirmed === 'docs' ? meta.confirmed : 'run',
      evidence: str(meta.evidence),
      summary: str(meta.summary),
      context: str(meta.context),
      hasGroundTruth: existsSync(path.join(d, 'gt.py')),
      repoPath: typeof meta.path === 'string' ? meta.path : undefined,
      workspace,
      problems: [
        ...problems,
        ...(workspace.length > 0 && typeof meta.path !== 'string' ? ['an entry with workspace/ files needs `path` (the snippet\'s path in its repository)'] : []),
        ...(typeof meta.path === 'string' && !/^(?!\/)(?!.*\.\.)[\w./-]+\.py$/.test(meta.path) ? ['`path` must be a relative path ending in .py'] : []),
        ...(meta.label !== 'bug' && meta.label !== 'ok' ? [`label must be "bug" or "ok" (got ${JSON.stringify(meta.label)})`] : []),
        ...(!(FRAMEWORKS as readonly string[]).includes(str(meta.framework)) ? [`framework must be one of ${FRAMEWORKS.join(', ')}`] : []),
        ...(meta.confirmed !== 'run' && meta.confirmed !== 'thread' && meta.confirmed !== 'docs' ? ['confirmed must be run, thread or docs'] : []),
      ],
    });
  }
  return out;
}

/** The `.py` files under `root`, with their paths relative to it (`/`-separated), sorted. */
function workspaceFiles(root: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${name.name}` : name.name;
      if (name.isDirectory()) walk(path.join(dir, name.name), r);
      else if (name.name.endsWith('.py')) out.push({ path: r, text: readFileSync(path.join(dir, name.name), 'utf8') });
    }
  };
  walk(root, '');
  return out;
}

export interface EntryProblem {
  id: string;
  problem: string;
}

/** Every problem of every entry: metadata, mistake lines, parse, ground truth present, unique sources. */
export function checkEntries(entries: CorpusEntry[], parses?: (source: string) => boolean): EntryProblem[] {
  const out: EntryProblem[] = [];
  const bySource = new Map<string, string[]>();
  for (const e of entries) {
    const add = (problem: string): void => void out.push({ id: e.id, problem });
    for (const p of e.problems) add(p);
    if (!/^(pt|tf|jax)-(forum|so|gh|repo|git|blog)-[a-z0-9-]+$/.test(e.id)) add('id must be <pt|tf|jax>-<forum|so|gh|repo|git|blog>-<slug>');
    const prefix = e.id.split('-')[0];
    const want = { pytorch: 'pt', tensorflow: 'tf', jax: 'jax' }[e.framework];
    if (prefix !== want) add(`id prefix '${prefix}' does not match framework ${e.framework}`);
    if (!/^https?:\/\/\S+$/.test(e.source)) add('source must be a URL');
    if (!(CLASSES as readonly string[]).includes(e.class)) add(`unknown class '${e.class}'`);
    if (e.class === 'other' && !e.subclass) add('class "other" needs a subclass');
    if (!CONTEXTS.has(e.context)) add(`unknown context '${e.context}'`);
    if (!e.summary) add('no summary');
    if (!e.evidence) add('no evidence');
    const lines = e.snippet.split(/\r?\n/);
    if (e.label === 'bug') {
      if (e.mistakeLines.length === 0) add('a bug entry needs mistake_lines');
      for (const l of e.mistakeLines) {
        if (!Number.isInteger(l) || l < 1 || l > lines.length) add(`mistake line ${l} is outside the snippet (${lines.length} lines)`);
        else if (lines[l - 1].trim() === '' || lines[l - 1].trim().startsWith('#')) add(`mistake line ${l} is blank or a comment`);
      }
    } else if (e.mistakeLines.length > 0) add('an ok entry has no mistake_lines');
    if (e.framework === 'pytorch') {
      if (e.confirmed !== 'run') add('PyTorch entries are confirmed by a run (confirmed = "run")');
      if (!e.hasGroundTruth) add('PyTorch entries need gt.py');
    } else if (e.hasGroundTruth) add('gt.py only for PyTorch entries (TensorFlow/JAX are not installable here)');
    if (parses && e.snippet && !parses(e.snippet)) add('snippet.py has a syntax error (tree-sitter)');
    for (const f of e.workspace) if (parses && !parses(f.text)) add(`workspace/${f.path} has a syntax error (tree-sitter)`);
    if (e.repoPath && e.workspace.some((f) => f.path === e.repoPath)) add(`workspace/${e.repoPath} is the snippet itself: keep it in snippet.py only`);
    const key = `${e.source}#${e.label}`;
    bySource.set(key, [...(bySource.get(key) ?? []), e.id]);
  }
  for (const [key, ids] of bySource) if (ids.length > 1) out.push({ id: ids.join(', '), problem: `same source and label twice: ${key}` });
  return out;
}

export interface EntryOutcome {
  id: string;
  label: 'bug' | 'ok';
  framework: CorpusFramework;
  class: string;
  detected: boolean;
  clean: boolean;
  /** Diagnostics of a bug entry that touch none of its mistake lines. */
  offTarget: number;
  codes: string[];
  diagnostics: string[];
}

export interface Tally {
  bugs: number;
  detected: number;
  ok: number;
  clean: number;
}

export interface ScoreSummary {
  total: Tally;
  byFramework: Record<string, Tally>;
  byClass: Record<string, Tally>;
  /** Ids of detected bug entries and of ok entries with a warning (for the ratchet's messages). */
  detected: string[];
  falsePositives: string[];
}

export interface Score {
  entries: EntryOutcome[];
  summary: ScoreSummary;
}

/** Whether a finding's lines include one of the 1-based lines of a mistake. */
export function touches(d: Diagnostic, lines1: number[]): boolean {
  return lines1.some((l) => d.range.start.line + 1 <= l && l <= d.range.end.line + 1);
}

/** Lint an entry's snippet (or `text` in its place): with other files of its repository, as its file of that workspace (README.md). */
export function lintEntry(e: CorpusEntry, linter: Linter, text = e.snippet): Diagnostic[] {
  const files = e.repoPath && e.workspace.length > 0 ? new Map(e.workspace.map((f) => [f.path, f.text])) : null;
  return files
    ? linter.lint(text, { path: e.repoPath, workspace: { read: (p) => files.get(p) ?? null } })
    : linter.lint(text, { path: path.join(e.dir, 'snippet.py') });
}

export function scoreEntry(e: CorpusEntry, linter: Linter): EntryOutcome {
  const diags = lintEntry(e, linter);
  const files = e.repoPath && e.workspace.length > 0 ? new Map(e.workspace.map((f) => [f.path, f.text])) : null;
  if (files && e.repoPath) {
    // As the command line does: what the other files' use of the snippet's helpers reveals is the snippet's too
    // (a NaN-prone guard that only another file differentiates through; `LintRun.revealed`).
    const all = new Map([...files, [e.repoPath, e.snippet]]);
    for (const f of e.workspace) {
      linter.lint(f.text, { path: f.path, workspace: { read: (p) => all.get(p) ?? null } });
      for (const r of linter.lastRun.revealed ?? []) {
        if (r.path === e.repoPath && !diags.some((d) => sameFinding(d, r.diagnostic))) diags.push(r.diagnostic);
      }
    }
  }
  const hit = diags.filter((d) => touches(d, e.mistakeLines));
  return {
    id: e.id,
    label: e.label,
    framework: e.framework,
    class: e.class,
    detected: e.label === 'bug' && hit.length > 0,
    clean: diags.length === 0,
    offTarget: e.label === 'bug' ? diags.length - hit.length : diags.length,
    codes: [...new Set(diags.map((d) => d.code))].sort(),
    diagnostics: diags.map((d) => `${d.range.start.line + 1}:${d.range.start.column + 1} ${d.code} ${d.message}`),
  };
}

const emptyTally = (): Tally => ({ bugs: 0, detected: 0, ok: 0, clean: 0 });

export function scoreCorpus(entries: CorpusEntry[], linter: Linter): Score {
  const outcomes = entries.map((e) => scoreEntry(e, linter));
  const total = emptyTally();
  const byFramework: Record<string, Tally> = {};
  const byClass: Record<string, Tally> = {};
  for (const o of outcomes) {
    for (const t of [total, (byFramework[o.framework] ??= emptyTally()), (byClass[o.class] ??= emptyTally())]) {
      if (o.label === 'bug') {
        t.bugs++;
        if (o.detected) t.detected++;
      } else {
        t.ok++;
        if (o.clean) t.clean++;
      }
    }
  }
  const sortKeys = <T>(r: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
  return {
    entries: outcomes,
    summary: {
      total,
      byFramework: sortKeys(byFramework),
      byClass: sortKeys(byClass),
      detected: outcomes.filter((o) => o.detected).map((o) => o.id),
      falsePositives: outcomes.filter((o) => o.label === 'ok' && !o.clean).map((o) => o.id),
    },
  };
}

const pct = (a: number, b: number): string => (b === 0 ? '–' : `${((100 * a) / b).toFixed(0)}%`);

function table(title: string, rows: Record<string, Tally>): string {
  const lines = [
    `| ${title} | bugs | detected | recall | correct look-alikes | clean | clean rate |`,
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [k, t] of Object.entries(rows)) {
    lines.push(`| ${k} | ${t.bugs} | ${t.detected} | ${pct(t.detected, t.bugs)} | ${t.ok} | ${t.clean} | ${pct(t.clean, t.ok)} |`);
  }
  return lines.join('\n');
}

export function renderTables(score: Score): string {
  const s = score.summary;
  return [
    table('framework', { ...s.byFramework, '**all**': s.total }),
    '',
    table('class', s.byClass),
  ].join('\n');
}

const START = '<!-- corpus:start -->';
const END = '<!-- corpus:end -->';

/** Rewrite the generated part of docs/corpus.md (between the markers). */
export function writeDocsTables(score: Score): void {
  const body = `${START}\n${renderTables(score)}\n${END}`;
  const old = existsSync(DOCS) ? readFileSync(DOCS, 'utf8') : `# The real-world corpus\n\n${START}\n${END}\n`;
  const i = old.indexOf(START);
  const j = old.indexOf(END);
  const next = i >= 0 && j > i ? old.slice(0, i) + body + old.slice(j + END.length) : `${old.trimEnd()}\n\n${body}\n`;
  writeFileSync(DOCS, next);
}
