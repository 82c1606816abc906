/**
 * `createLinter({ cacheModels: false })` (the command line's engine) keeps no model of the sources it linted,
 * and gives the same findings as the default engine, which keeps the last few: on every fixture, each linted
 * twice (the second lint is where a kept model would be reused).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createLinter, type Engine } from '../../../src/core/lint/index';
import { allFixtures } from './helpers';

test('an engine without the model cache keeps nothing and finds the same', async () => {
  const cached = await createLinter();
  const uncached = await createLinter({ cacheModels: false });
  const kept = (l: unknown): number => (l as { cache: Map<string, unknown> }).cache.size;
  let findings = 0;
  for (const f of allFixtures()) {
    const text = readFileSync(f, 'utf8');
    for (let round = 0; round < 2; round++) {
      const want = cached.lint(text, { path: f });
      const got = uncached.lint(text, { path: f });
      assert.deepEqual(got, want, `${f}, round ${round}`);
      findings += got.length;
    }
  }
  assert.equal(kept(uncached), 0);
  assert.ok(kept(cached) > 0, 'the default engine keeps models (else this test compares nothing)');
  assert.ok(findings > 0);
});

test('the per-rule timing mode times every rule, the analysis and the parse apart, and finds the same', async () => {
  const plain = await createLinter({ cacheModels: false });
  const timed = (await createLinter({ cacheModels: false })) as Engine;
  timed.ruleTimes = new Map();
  let findings = 0;
  for (const f of allFixtures().slice(0, 40)) {
    const text = readFileSync(f, 'utf8');
    const want = plain.lint(text, { path: f });
    assert.deepEqual(timed.lint(text, { path: f }), want, f);
    findings += want.length;
  }
  assert.ok(findings > 0);
  const times = timed.ruleTimes;
  assert.ok(times.has('(analysis)') && times.has('(parse and model)') && times.has('AGL001'));
  for (const [k, ms] of times) assert.ok(ms > -1e-6 && Number.isFinite(ms), `${k}: ${ms}`);
});
