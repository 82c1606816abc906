/**
 * Safe fixes over the real-world corpus (docs/corpus.md "Safe fixes on the corpus"): apply every safe fix to
 * each entry's snippet exactly as `autograd-lens lint --fix` does (apply, re-lint, repeat, at most five rounds),
 * then check what the fixed snippet is:
 *   - it still compiles (Python's own `compile()`),
 *   - a correct look-alike is left unchanged (a safe fix has no business rewriting correct code),
 *   - the fixed diagnostics are gone after the re-lint (a fix that leaves its own warning is not a fix),
 *   - for a PyTorch entry whose gt.py runs the snippet itself (`gt.exec_snippet`), the entry's ground-truth
 *     cases run on the fixed snippet too (gt.py reads `AGL_GT_SNIPPET`): a look-alike's cases must keep their
 *     verdicts, and a mistake's cases must not start to raise; whether the symptom is gone is reported.
 * Used by scripts/corpus-fixes.ts (the report) and test/unit/corpus/fixes.test.ts (the checks).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyFixes, type Linter } from '../../src/core/lint/index';
import { parseGroundTruth, pool, runScript, type GroundTruthRecord } from '../unit/ground-truth/helpers';
import { lintEntry, touches, type CorpusEntry } from './corpus';

export interface FixedEntry {
  id: string;
  label: 'bug' | 'ok';
  framework: string;
  /** Codes of the diagnostics whose safe fixes were applied, in order of application. */
  fixedCodes: string[];
  /** Whether a fixed diagnostic is on the entry's mistake lines (else the fix repairs something else in it). */
  onMistake: boolean;
  /** The snippet after the fixes. */
  output: string;
  /** Diagnostics of the fixed codes still reported on the fixed snippet (by code). */
  remaining: string[];
  /** Python's compile() error on the fixed snippet, or null. */
  compileError: string | null;
  /** Ground truth before and after, for entries whose gt.py executes the snippet. */
  groundTruth?: { before: GroundTruthRecord[]; after: GroundTruthRecord[] };
}

/** `lint --fix` on one entry's snippet: null when no safe fix applies. */
export function fixEntry(e: CorpusEntry, linter: Linter): Omit<FixedEntry, 'compileError'> | null {
  let text = e.snippet;
  let diags = lintEntry(e, linter, text);
  const fixedCodes: string[] = [];
  let onMistake = false;
  for (let round = 0; round < 5; round++) {
    const withFix = diags.filter((d) => d.fixes.some((f) => f.safe));
    if (withFix.length === 0) break;
    const { output, applied } = applyFixes(text, diags);
    if (applied === 0 || output === text) break;
    fixedCodes.push(...withFix.map((d) => d.code));
    if (round === 0) onMistake = withFix.some((d) => touches(d, e.mistakeLines));
    text = output;
    diags = lintEntry(e, linter, text);
  }
  if (text === e.snippet) return null;
  const codes = new Set(fixedCodes);
  return {
    id: e.id,
    label: e.label,
    framework: e.framework,
    fixedCodes,
    onMistake,
    output: text,
    remaining: diags.filter((d) => codes.has(d.code)).map((d) => `${d.range.start.line + 1}:${d.range.start.column + 1} ${d.code}`),
  };
}

/** Compile each text with `python3`'s `compile()`; one process for all. */
export function compileAll(python: string, texts: string[]): (string | null)[] {
  if (texts.length === 0) return [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agl-corpus-fixes-'));
  try {
    const input = path.join(dir, 'texts.json');
    writeFileSync(input, JSON.stringify(texts));
    const script = [
      'import json, sys',
      'out = []',
      'for t in json.load(open(sys.argv[1], encoding="utf-8")):',
      '    try:',
      '        compile(t, "snippet.py", "exec")',
      '        out.append(None)',
      '    except SyntaxError as e:',
      '        out.append(f"{type(e).__name__}: {e}")',
      'print(json.dumps(out))',
    ].join('\n');
    return JSON.parse(execFileSync(python, ['-c', script, input], { encoding: 'utf8', maxBuffer: 64 << 20 })) as (string | null)[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether an entry's gt.py runs the snippet's own text (so a fixed snippet can be measured). */
export function runsSnippet(e: CorpusEntry): string | null {
  const gt = path.join(e.dir, 'gt.py');
  if (!existsSync(gt)) return null;
  return /exec_snippet\(__file__\s*[,)]/.test(readFileSync(gt, 'utf8')) ? gt : null;
}

/** Every entry's safe fixes, compiled, and (with `python` given and torch available) measured. */
export async function fixCorpus(entries: CorpusEntry[], linter: Linter, python: string, opts: { groundTruth: boolean }): Promise<FixedEntry[]> {
  const fixed = entries.map((e) => ({ e, f: fixEntry(e, linter) })).filter((x): x is { e: CorpusEntry; f: NonNullable<ReturnType<typeof fixEntry>> } => x.f !== null);
  const errors = compileAll(python, fixed.map((x) => x.f.output));
  const out: FixedEntry[] = fixed.map((x, i) => ({ ...x.f, compileError: errors[i] }));
  if (!opts.groundTruth) return out;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agl-corpus-fixes-gt-'));
  try {
    const measured = fixed.map((x, i) => ({ x, i, gt: runsSnippet(x.e) })).filter((m) => m.gt !== null && m.x.e.framework === 'pytorch');
    await pool(measured, 2, async ({ x, i, gt }) => {
      const file = path.join(dir, `${x.e.id}.py`);
      writeFileSync(file, x.f.output);
      const before = parseGroundTruth((await runScript(python, gt!)).stdout);
      const after = parseGroundTruth((await runScript(python, gt!, { AGL_GT_SNIPPET: file })).stdout);
      out[i].groundTruth = { before, after };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** How a fixed entry's ground truth moved: per case, before -> after. */
export function groundTruthChange(f: FixedEntry): { broken: string[]; changedOk: string[]; cured: string[]; stillBad: string[] } {
  const r = { broken: [] as string[], changedOk: [] as string[], cured: [] as string[], stillBad: [] as string[] };
  if (!f.groundTruth) return r;
  for (const b of f.groundTruth.before) {
    const a = f.groundTruth.after.find((x) => x.case === b.case);
    if (!a || (a.misbehaves === null && b.misbehaves !== null)) r.broken.push(`${b.case}: ${a?.error?.split('\n')[0] ?? 'no result'}`);
    else if (f.label === 'ok' && a.misbehaves !== b.misbehaves) r.changedOk.push(b.case);
    else if (f.label === 'bug' && b.misbehaves === true && a.misbehaves === false) r.cured.push(b.case);
    else if (f.label === 'bug' && b.misbehaves === true) r.stillBad.push(b.case);
  }
  return r;
}
