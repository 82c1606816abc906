/**
 * `createLinter({ cacheModels: false })` (the command line's engine) keeps no model of the sources it linted,
 * and gives the same findings as the default engine, which keeps the last few: on every fixture, each linted
 * twice (the second lint is where a kept model would be reused).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createLinter } from '../../../src/core/lint/index';
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
