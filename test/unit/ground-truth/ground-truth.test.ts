/**
 * Ground truth for the PyTorch lint rules: every fixture under test/fixtures/lint/<CODE>/ of a
 * PyTorch rule is also a Python script that measures the symptom its rule claims. This test runs
 * each one with real PyTorch and checks, case by case, that `bad*.py` cases misbehave and every
 * other fixture's cases behave. See docs/ground-truth.md.
 *
 * Interpreter: `AUTOGRAD_LENS_PYTHON`, else `/usr/bin/python3` (Debian's, which has torch), else
 * `python3`. Without an interpreter that imports torch the suite fails when `CI` is set and is
 * skipped, loudly, otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CONCURRENCY, FIXTURES, PYTORCH_CODES, PYTORCH_FIXTURES_OF_MIXED_RULES, ROOT, parseGroundTruth, pickPython, pool, runScript, type RunResult } from './helpers';

function fixtureFiles(): { code: string; file: string }[] {
  const files: { code: string; file: string }[] = [];
  for (const code of PYTORCH_CODES) {
    const dir = path.join(FIXTURES, code);
    assert.ok(existsSync(dir), `fixture folder ${dir} is missing`);
    // `*_jax_tf.py`: the rule's JAX/TensorFlow forms, lint-only.
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.py') && !f.endsWith('_jax_tf.py')) files.push({ code, file: path.join(dir, f) });
  }
  // Rules of several frameworks: only their PyTorch fixtures run.
  for (const [code, names] of Object.entries(PYTORCH_FIXTURES_OF_MIXED_RULES)) {
    for (const n of names) files.push({ code, file: path.join(FIXTURES, code, n) });
  }
  return files;
}

const { python, problem } = pickPython();
const unavailable = problem !== undefined;
if (unavailable && !process.env.CI) {
  console.warn(
    `\n!!! ground truth SKIPPED: no Python with torch, numpy and scikit-learn (${problem}).\n` +
      '!!! Set AUTOGRAD_LENS_PYTHON to an interpreter that has them. With CI set this is a failure.\n',
  );
}

test('PyTorch ground truth of the lint fixtures', { skip: unavailable && !process.env.CI }, async (t) => {
  assert.ok(!unavailable, `no usable Python interpreter for the ground truth: ${problem}`);
  const files = fixtureFiles();
  const runs = await pool(files, CONCURRENCY, (f) => runScript(python, f.file));
  for (const [i, f] of files.entries()) {
    const run = runs[i] as RunResult;
    const rel = path.relative(ROOT, f.file);
    const expectBad = path.basename(f.file).startsWith('bad');
    await t.test(rel, async (ft) => {
      assert.equal(run.spawnError, undefined, `could not run ${rel}: ${run.spawnError}`);
      const records = parseGroundTruth(run.stdout);
      assert.ok(records.length > 0, `${rel} printed no GROUND_TRUTH line; stderr:\n${run.stderr}`);
      const names = new Set<string>();
      for (const r of records) {
        await ft.test(r.case, () => {
          assert.ok(!names.has(r.case), `duplicate case ${r.case}`);
          names.add(r.case);
          assert.equal(r.error, undefined, `case raised unexpectedly: ${r.error}`);
          assert.equal(
            r.misbehaves,
            expectBad,
            `${rel} case ${r.case}: expected ${expectBad ? 'the symptom' : 'correct behaviour'}, measured: ${r.detail}`,
          );
        });
      }
      assert.equal(run.exitCode, 0, `${rel} exited with ${run.exitCode}; stderr:\n${run.stderr}`);
    });
  }
});

test('parseGroundTruth reads verdicts and rejects malformed lines', () => {
  const recs = parseGroundTruth(
    'noise\nGROUND_TRUTH {"case": "a", "misbehaves": true, "detail": "x"}\n' +
      'GROUND_TRUTH {"case": "b", "misbehaves": null, "detail": "", "error": "boom"}\n',
  );
  assert.deepEqual(recs, [
    { case: 'a', misbehaves: true, detail: 'x' },
    { case: 'b', misbehaves: null, detail: '', error: 'boom' },
  ]);
  assert.throws(() => parseGroundTruth('GROUND_TRUTH {"case": "c", "misbehaves": "yes"}'), /bad verdict/);
  assert.throws(() => parseGroundTruth('GROUND_TRUTH {"misbehaves": true}'), /missing case/);
});
