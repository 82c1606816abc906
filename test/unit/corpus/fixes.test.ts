/**
 * `lint --fix` over the real-world development corpus (test/corpus/fixes.ts): the safe fixes must leave every fixed
 * snippet compiling, leave correct look-alikes untouched, remove the warnings they fix, and — for PyTorch entries whose
 * gt.py runs the snippet itself — keep every ground-truth case running (a look-alike's cases keep their verdicts).
 * Whether the fixed mistake's symptom is gone is reported by `npx tsx scripts/corpus-fixes.ts` (docs/corpus.md).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLinter } from '../../../src/core/lint/index';
import { loadEntries } from '../../corpus/corpus';
import { fixCorpus, groundTruthChange } from '../../corpus/fixes';
import { pickPython } from '../ground-truth/helpers';

const { python, problem } = pickPython();

test('safe fixes on the real-world corpus keep code compiling and running, and touch no look-alike', async () => {
  const linter = await createLinter();
  const groundTruth = problem === undefined;
  assert.ok(groundTruth || !process.env.CI, `no usable Python interpreter for the ground truth: ${problem}`);
  const results = await fixCorpus(loadEntries(), linter, groundTruth ? python : 'python3', { groundTruth });
  assert.ok(results.length > 0, 'no safe fix applies to any corpus entry: the check measures nothing');
  const problems: string[] = [];
  for (const f of results) {
    if (f.compileError) problems.push(`${f.id}: does not compile after the fixes: ${f.compileError}`);
    if (f.label === 'ok') problems.push(`${f.id}: a correct look-alike was changed by ${f.fixedCodes.join(', ')}`);
    if (f.remaining.length > 0) problems.push(`${f.id}: the fixed warnings remain: ${f.remaining.join(', ')}`);
    const gt = groundTruthChange(f);
    for (const c of gt.broken) problems.push(`${f.id}: a ground-truth case raises after the fixes: ${c}`);
    for (const c of gt.changedOk) problems.push(`${f.id}: a look-alike's case changed its verdict: ${c}`);
  }
  assert.deepEqual(problems, []);
  if (groundTruth) assert.ok(results.some((f) => f.groundTruth && groundTruthChange(f).cured.length > 0), 'no fixed entry was measured cured');
});
