/** What a large chart draws at first: enough points to look the same, the envelope of long lines, every point of sparse lines. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DECIMATE_ABOVE, decimate } from '../../../webview-ui/src/plots';

test('small charts are drawn whole', () => {
  assert.equal(decimate(Array.from({ length: DECIMATE_ABOVE }, (_, i) => i), [{ kind: 'points', values: [] }]), null);
});

test('a long line keeps its extremes per x bin; a sparse line keeps every point; the axis ends stay', () => {
  const n = 200_000;
  const x = Array.from({ length: n }, (_, i) => i);
  const noisy = x.map((i) => Math.sin(i / 500) + (i === 123_457 ? 5 : 0)); // one spike
  const sparse = x.map((i) => (i % 1000 === 0 ? i : null));
  const idx = decimate(x, [{ kind: 'line', values: noisy }, { kind: 'dashed', values: sparse }], 1024)!;
  assert.ok(idx.length < 1024 * 4 + 200 + 2, `${idx.length}`);
  assert.ok(idx.includes(123_457), 'the spike survives');
  for (let i = 0; i < n; i += 1000) assert.ok(idx.includes(i), `sparse point ${i}`);
  assert.equal(idx[0], 0);
  assert.equal(idx[idx.length - 1], n - 1);
  // The kept values span the same range as all of them.
  const range = (v: number[]) => v.reduce((a, b) => [Math.min(a[0]!, b), Math.max(a[1]!, b)], [Infinity, -Infinity]);
  assert.deepEqual(range(Array.from(idx, (i) => noisy[i]!)), range(noisy));
});

test('scatter keeps one point per occupied cell and skips gaps', () => {
  const n = 50_000;
  const x = Array.from({ length: n }, (_, i) => i / n);
  const y = x.map((v, i) => (i % 7 === 0 ? null : Math.round(v * 10))); // 11 levels
  const idx = decimate(x, [{ kind: 'points', values: y }], 100, 50)!;
  for (const i of idx) if (i !== 0 && i !== n - 1) assert.notEqual(y[i], null);
  assert.ok(idx.length <= 100 * 11 + 2, `${idx.length}`);
  assert.ok(idx.length >= 100, `${idx.length}`);
});
