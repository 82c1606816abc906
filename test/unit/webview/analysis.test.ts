import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mergeOnX, occupancy,
  argsort, binToGrid, derivativeError, derivativePairs, extent, fmt, gather, histogram, outsideTrainingRange, pct, positiveOrNull, sliceThroughMeans, toCsv,
} from '../../../webview-ui/src/analysis';
import { linspace, oneInputRun, twoInputRun } from '../../webview/fixtures';

test('argsort orders ascending with NaN last; gather turns non-finite into gaps', () => {
  const x = new Float64Array([3, NaN, 1, 2]);
  const o = argsort(x);
  assert.deepEqual([...o], [2, 3, 0, 1]);
  assert.deepEqual(gather(new Float64Array([10, Infinity, 30, 40]), o), [30, 40, 10, null]);
  assert.deepEqual(positiveOrNull([1, 0, -2, null, 5]), [1, null, null, null, 5]);
});

test('derivative error is model minus reference, or minus finite differences without a reference', () => {
  const run = oneInputRun();
  const s = run.series!;
  const e = derivativeError(s, 'y/x');
  const d = s.derivatives['y/x']!;
  for (const i of [0, 100, 300]) assert.equal(e[i], d.model[i]! - d.reference![i]!);
  // The fixture network is f + 0.6 sin 2x + 0.02 (x−4)³, so its derivative error is analytic:
  for (const i of [0, 150, 300]) {
    const x = s.inputs.x![i]!;
    assert.ok(Math.abs(e[i]! - (1.2 * Math.cos(2 * x) + 0.06 * (x - 4) ** 2)) < 1e-4, `at x=${x}`);
  }
  d.reference = null;
  const e2 = derivativeError(s, 'y/x');
  assert.equal(e2[5], d.model[5]! - d.finiteDifference[5]!);
  assert.deepEqual(derivativePairs(twoInputRun().series!).map((p) => [p.output, p.input]), [['z', 'x'], ['z', 'y']]);
});

test('histogram counts every finite value once and reports the skipped ones', () => {
  const v = new Float64Array(1001).map((_, i) => Math.sin(i) * 3);
  v[7] = NaN;
  const h = histogram(v);
  assert.equal(h.counts.reduce((a, b) => a + b, 0), 1000);
  assert.equal(h.skipped, 1);
  assert.equal(h.edges.length, h.counts.length + 1);
  assert.ok(h.counts.length >= 5 && h.counts.length <= 60);
  assert.ok(Math.abs(h.edges[0]! - extent(v)!.min) < 1e-12);
  assert.deepEqual(histogram([2, 2, 2]).counts, [3]);
  assert.deepEqual(histogram([NaN]).counts, []);
});

test('binToGrid maps a regular k×k grid one point per cell, and leaves empty cells NaN', () => {
  const side = 20;
  const g = linspace(-1, 1, side);
  const xs = new Float64Array(side * side);
  const ys = new Float64Array(side * side);
  const vs = new Float64Array(side * side);
  for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) {
    xs[r * side + c] = g[c]!;
    ys[r * side + c] = g[r]!;
    vs[r * side + c] = r * 100 + c;
  }
  const grid = binToGrid(xs, ys, vs)!;
  assert.equal(grid.nx, side);
  for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) assert.equal(grid.cells[r * side + c], r * 100 + c);
  const sparse = binToGrid(new Float64Array([0, 1, 0.5, 0.5]), new Float64Array([0, 1, 0.5, 0.5]), new Float64Array([1, 3, 2, 4]))!;
  assert.equal(sparse.nx, 2);
  assert.equal(sparse.cells[0], 1);
  assert.equal(sparse.cells[3], (3 + 2 + 4) / 3); // mean of the points in the top-right cell
  assert.ok(Number.isNaN(sparse.cells[1]!));
});

test('sliceThroughMeans keeps points near the other inputs’ means and says which band it used', () => {
  const s = twoInputRun().series!;
  const sl = sliceThroughMeans(s, 'x');
  assert.ok(sl.indices.length >= 20);
  const held = sl.held.y!;
  assert.ok(Math.abs(held.mean) < 1e-12);
  for (const i of sl.indices) assert.ok(Math.abs(s.inputs.y![i]! - held.mean) <= held.halfWidth + 1e-12);
  for (let k = 1; k < sl.indices.length; k++) assert.ok(s.inputs.x![sl.indices[k]!]! >= s.inputs.x![sl.indices[k - 1]!]!);
  assert.equal(outsideTrainingRange(s, 0), true); // (−3, −3)
  const centre = s.inputs.x!.findIndex((x, i) => Math.abs(x) < 0.1 && Math.abs(s.inputs.y![i]!) < 0.1);
  assert.equal(outsideTrainingRange(s, centre), false);
});

test('number formatting and CSV', () => {
  assert.equal(fmt(0), '0');
  assert.equal(fmt(1234.5678), '1235');
  assert.equal(fmt(0.012345), '0.01235');
  assert.equal(fmt(1.5e-7), '1.5e-7');
  assert.equal(fmt(NaN), 'NaN');
  assert.equal(fmt(null), '—');
  assert.equal(pct(0.00969), '0.969 %');
  assert.equal(toCsv([{ name: 'a,b', values: [1, NaN] }, { name: 'c', values: [0.1, 2] }]), '"a,b",c\n1,0.1\n,2\n');
});

test('withAlpha scales the alpha of the colour syntaxes VS Code themes use', async () => {
  const { withAlpha } = await import('../../../webview-ui/src/theme');
  assert.equal(withAlpha('#ff0000', 0.5), 'rgba(255,0,0,0.5)');
  assert.equal(withAlpha('#61616180', 0.5), 'rgba(97,97,97,0.251)');
  assert.equal(withAlpha('#abc', 1), 'rgba(170,187,204,1)');
  assert.equal(withAlpha('rgba(10, 20, 30, 0.6)', 0.5), 'rgba(10,20,30,0.3)');
  assert.equal(withAlpha('rgb(10 20 30 / 50%)', 0.5), 'rgba(10,20,30,0.25)');
  assert.equal(withAlpha('red', 0.5), 'red');
});

test('argsort: ascending and stable for large arrays too (native typed-array sort path)', () => {
  const n = 5000;
  const x = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 101) / 7); // many ties
  const idx = argsort(x);
  for (let k = 1; k < n; k++) {
    const a = idx[k - 1]!;
    const b = idx[k]!;
    assert.ok(x[a]! < x[b]! || (x[a] === x[b] && a < b), `order broken at ${k}`);
  }
  assert.equal(new Set(idx).size, n);
});

test('mergeOnX: scattered points and a dense line on one ascending axis, null where a series has no value', () => {
  const m = mergeOnX(Float64Array.of(3, 1, NaN, 2), [Float64Array.of(30, 10, 99, 20)], [0.5, 2, 2.5], [[5, 20.5, 25]]);
  assert.deepEqual(m.x, [0.5, 1, 2, 2, 2.5, 3]);
  assert.deepEqual(m.points[0], [null, 10, 20, null, null, 30]);
  assert.deepEqual(m.lines[0], [5, null, null, 20.5, 25, null]);
});

test('occupancy: one point per grid cell, every cell that has points keeps one', () => {
  const n = 100_000;
  const xs = Float64Array.from({ length: n }, (_, i) => i / n);
  const ys = xs.map((x) => Math.sin(6 * x));
  const idx = occupancy(xs, [ys], 256, 64);
  assert.ok(idx.length < 256 * 64 && idx.length > 256, `${idx.length}`);
  // The grid spans the data's x and y extents.
  const e = (v: Float64Array) => v.reduce((a, b) => [Math.min(a[0]!, b), Math.max(a[1]!, b)], [Infinity, -Infinity]);
  const [x0, x1] = e(xs);
  const [y0, y1] = e(ys);
  const cells = (xx: number, yy: number) => Math.min(255, Math.floor(((xx - x0!) / (x1! - x0!)) * 256)) * 64 + Math.min(63, Math.floor(((yy - y0!) / (y1! - y0!)) * 64));
  const all = new Set(Array.from(xs, (x, i) => cells(x, ys[i]!)));
  const kept = Array.from(idx, (i) => cells(xs[i]!, ys[i]!));
  assert.equal(new Set(kept).size, kept.length, 'one point per cell');
  assert.deepEqual(new Set(kept), all, 'every occupied cell keeps a point');
  assert.ok(idx.every((v, k) => k === 0 || v > idx[k - 1]!), 'ascending');
});
