/**
 * Ground truth of the real-world corpus: every PyTorch entry's gt.py runs with real PyTorch and must
 * report `misbehaves: true` for a bug entry and `false` for a correct look-alike (test/corpus/README.md).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadEntries } from '../../corpus/corpus';
import { CONCURRENCY, parseGroundTruth, pickPython, pool, runScript } from '../ground-truth/helpers';

const { python, problem } = pickPython();
const unavailable = problem !== undefined;
const entries = loadEntries().filter((e) => e.framework === 'pytorch' && e.hasGroundTruth);

test('corpus ground truth with real PyTorch', { skip: unavailable && !process.env.CI }, async (t) => {
  assert.ok(!unavailable, `no usable Python interpreter for the ground truth: ${problem}`);
  const results = await pool(entries, CONCURRENCY, async (e) => ({ e, r: await runScript(python, path.join(e.dir, 'gt.py')) }));
  for (const { e, r } of results) {
    await t.test(e.id, () => {
      const records = parseGroundTruth(r.stdout);
      assert.ok(records.length > 0, `no GROUND_TRUTH line (exit ${r.exitCode}): ${r.stderr.slice(-800)}`);
      for (const rec of records) {
        assert.equal(rec.error, undefined, `${rec.case} raised: ${rec.error}`);
        assert.equal(rec.misbehaves, e.label === 'bug', `${rec.case}: label ${e.label} but misbehaves=${rec.misbehaves} (${rec.detail})`);
      }
    });
  }
});
