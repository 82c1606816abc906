/**
 * The held-out set (test/corpus/holdout/, docs/corpus.md "Held-out set"): real derivative mistakes and
 * correct look-alikes collected apart from the development corpus, so that recall can be measured on
 * code the engine was never tuned on. This test checks the entries' format, that no source is shared
 * with the development corpus, and runs every PyTorch entry's gt.py with real PyTorch. It does not
 * score the linter: the held-out score is reported (`npx tsx scripts/corpus.ts score --dir
 * test/corpus/holdout`), not a ratchet.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadPythonParser } from '../../../src/core/lint/parser';
import { checkEntries, HOLDOUT_DIR, loadEntries } from '../../corpus/corpus';
import { CONCURRENCY, parseGroundTruth, pickPython, pool, runScript } from '../ground-truth/helpers';

const entries = loadEntries(HOLDOUT_DIR);

test('the held-out set has entries of every framework, bugs and look-alikes', () => {
  for (const fw of ['pytorch', 'tensorflow', 'jax'] as const) {
    assert.ok(entries.some((e) => e.framework === fw && e.label === 'bug'), `no ${fw} bug entry`);
  }
  assert.ok(entries.some((e) => e.label === 'ok'), 'no correct look-alike');
});

test('every held-out entry is well formed', async () => {
  const parser = await loadPythonParser();
  const problems = checkEntries(entries, (src) => !parser.parse(src).hasError);
  assert.deepEqual(problems, [], problems.map((p) => `${p.id}: ${p.problem}`).join('\n'));
});

test('no held-out source or id is in the development corpus', () => {
  const dev = loadEntries();
  const devSources = new Set(dev.map((e) => e.source.replace(/[#?].*$/, '').replace(/\/$/, '')));
  const devIds = new Set(dev.map((e) => e.id));
  const shared = entries.filter((e) => devSources.has(e.source.replace(/[#?].*$/, '').replace(/\/$/, '')) || devIds.has(e.id));
  assert.deepEqual(shared.map((e) => `${e.id} (${e.source})`), []);
});

const { python, problem } = pickPython();
const unavailable = problem !== undefined;

test('held-out ground truth with real PyTorch', { skip: unavailable && !process.env.CI }, async (t) => {
  assert.ok(!unavailable, `no usable Python interpreter for the ground truth: ${problem}`);
  const runnable = entries.filter((e) => e.framework === 'pytorch' && e.hasGroundTruth);
  const results = await pool(runnable, CONCURRENCY, async (e) => ({ e, r: await runScript(python, path.join(e.dir, 'gt.py')) }));
  for (const { e, r } of results) {
    await t.test(e.id, () => {
      const records = parseGroundTruth(r.stdout);
      assert.ok(records.length > 0, `no GROUND_TRUTH line (exit ${r.exitCode}): ${r.stderr.slice(-800)}`);
      for (const rec of records) {
        assert.equal(rec.error, undefined, `${rec.case} raised: ${rec.error}`);
        assert.equal(rec.case, e.id, `gt.py registers '${rec.case}', expected the entry id`);
        assert.equal(rec.misbehaves, e.label === 'bug', `${rec.case}: label ${e.label} but misbehaves=${rec.misbehaves} (${rec.detail})`);
      }
    });
  }
});
