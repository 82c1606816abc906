/**
 * The noisy-duplicates check needs no per-row objects: 1,000,000 rows are checked by a child process
 * whose V8 heap is capped at HEAP_MB. The control — grouping rows by a string key and an array per
 * row, as the check did before (about 0.75 KB a row) — must die of heap exhaustion in the same
 * setting, so the cap really is too small for per-row objects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROWS = 1_000_000;
const HEAP_MB = 48;
const child = resolve(__dirname, '../../fixtures/data/duplicates-large.ts');

function run(mode: string) {
  return spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', child, mode, String(ROWS)], { encoding: 'utf8', timeout: 300_000 });
}

test(`noisy-duplicates on ${ROWS} rows fits a ${HEAP_MB} MB heap that per-row objects cannot`, () => {
  const control = run('control');
  assert.notEqual(control.status, 0, 'grouping by string keys should exhaust the capped heap');
  assert.match(control.stderr, /heap out of memory|Allocation failed/i);

  const r = run('check');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { message: string | null; peakHeapMB: number };
  // every 10th point of the 500,000 is duplicated with a different output: 50,000 noisy points, spread 0.25
  assert.match(out.message ?? '', /^50000 input points appear more than once with different output values \(largest spread: 0\.25 in 'y'\)/);
  assert.ok(out.peakHeapMB < HEAP_MB, `peak heap ${out.peakHeapMB} MB`);
});
