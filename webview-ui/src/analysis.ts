/**
 * Pure numeric helpers behind the panel's plots: no DOM, no uPlot. Unit-tested in Node
 * (test/unit/webview/analysis.test.ts).
 */
import type { AnalysisSeries } from '../../src/core/model/types';

/** Indices that sort `x` ascending (NaN last). Cached per array: a run's charts share their x. */
export function argsort(x: ArrayLike<number>): Uint32Array {
  const cached = x instanceof Float64Array ? argsortCache.get(x) : undefined;
  if (cached && cached.length === x.length) return cached;
  const n = x.length;
  const idx = new Uint32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    idx[i] = i;
    if (i > 0 && !(x[i - 1]! <= x[i]!)) sorted = false;
  }
  if (!sorted) {
    // For large inputs: sort a copy of the values with the native numeric sort of a typed array (an
    // order of magnitude faster than a comparator over indices for 100,000 points), then place each
    // index at its value's next free position (stable: equal values keep their order).
    const vals = new Float64Array(n);
    let nan = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      vals[i] = v;
      if (Number.isNaN(v)) nan++;
    }
    const order = Array.from(idx);
    if (nan > 0 || n < 2048) {
      order.sort((a, b) => {
        const xa = x[a]!;
        const xb = x[b]!;
        if (Number.isNaN(xa)) return Number.isNaN(xb) ? a - b : 1;
        if (Number.isNaN(xb)) return -1;
        return xa - xb || a - b;
      });
      idx.set(order);
    } else {
      const sortedVals = Float64Array.from(vals).sort();
      const next = new Map<number, number>();
      for (let i = n - 1; i >= 0; i--) next.set(sortedVals[i]!, i);
      for (let i = 0; i < n; i++) {
        const v = vals[i]!;
        const at = next.get(v)!;
        idx[at] = i;
        next.set(v, at + 1);
      }
    }
  }
  if (x instanceof Float64Array) argsortCache.set(x, idx);
  return idx;
}
const argsortCache = new WeakMap<Float64Array, Uint32Array>();

/**
 * Representative points of scattered data for drawing: the indices (ascending) of the first point in
 * each cell of an `xBins` × `yBins` grid over the data, per series (each over its own y extent), and
 * their union. A plot is smaller than the grid, so drawing these looks like drawing all of them.
 */
export function occupancy(xs: ArrayLike<number>, ys: ArrayLike<number>[], xBins = 1024, yBins = 256): Uint32Array {
  const n = xs.length;
  const keep = new Uint8Array(n);
  let x0 = Infinity;
  let x1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = xs[i]!;
    if (v < x0) x0 = v;
    if (v > x1) x1 = v;
  }
  const kx = xBins / (x1 - x0 || 1);
  const seen = new Uint8Array(xBins * yBins);
  for (const y of ys) {
    let y0 = Infinity;
    let y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = y[i]!;
      if (v < y0) y0 = v;
      if (v > y1) y1 = v;
    }
    if (!(y1 >= y0)) continue;
    const ky = yBins / (y1 - y0 || 1);
    seen.fill(0);
    for (let i = 0; i < n; i++) {
      const v = y[i]!;
      const u = xs[i]!;
      if (!(v >= y0 && v <= y1 && u >= x0 && u <= x1)) continue; // NaN and ±Infinity
      let cx = ((u - x0) * kx) | 0;
      let cy = ((v - y0) * ky) | 0;
      if (cx >= xBins) cx = xBins - 1;
      if (cy >= yBins) cy = yBins - 1;
      const c = cx * yBins + cy;
      if (seen[c] === 0) {
        seen[c] = 1;
        keep[i] = 1;
      }
    }
  }
  let m = 0;
  for (let i = 0; i < n; i++) m += keep[i]!;
  const out = new Uint32Array(m);
  for (let i = 0, k = 0; i < n; i++) if (keep[i] === 1) out[k++] = i;
  return out;
}

/**
 * Scattered points (`x` with `ys`, in any order) and dense lines (`lineX` ascending, with `lineYs`) on
 * one ascending x axis for uPlot: the union of both x sets, each series `null` where it has no value
 * (point series are drawn where they have values; line series span those gaps).
 */
export function mergeOnX(
  x: Float64Array,
  ys: ArrayLike<number>[],
  lineX: ArrayLike<number>,
  lineYs: ArrayLike<number>[],
): { x: number[]; points: (number | null)[][]; lines: (number | null)[][] } {
  const order = argsort(x);
  let m = 0;
  while (m < order.length && Number.isFinite(x[order[m]!]!)) m++;
  const total = m + lineX.length;
  const outX = new Array<number>(total);
  const points = ys.map(() => new Array<number | null>(total));
  const lines = lineYs.map(() => new Array<number | null>(total));
  let i = 0;
  let j = 0;
  const np = ys.length;
  const nl = lineYs.length;
  for (let k = 0; k < total; k++) {
    const takePoint = j >= lineX.length || (i < m && x[order[i]!]! <= lineX[j]!);
    if (takePoint) {
      const r = order[i++]!;
      outX[k] = x[r]!;
      for (let s = 0; s < np; s++) {
        const v = ys[s]![r]!;
        points[s]![k] = Number.isFinite(v) ? v : null;
      }
      for (let s = 0; s < nl; s++) lines[s]![k] = null;
    } else {
      outX[k] = lineX[j]!;
      for (let s = 0; s < np; s++) points[s]![k] = null;
      for (let s = 0; s < nl; s++) {
        const v = lineYs[s]![j]!;
        lines[s]![k] = Number.isFinite(v) ? v : null;
      }
      j++;
    }
  }
  return { x: outX, points, lines };
}

/** `values` reordered by `order`, NaN/±Infinity turned into `null` (uPlot's gap marker). */
export function gather(values: ArrayLike<number>, order: ArrayLike<number>): (number | null)[] {
  const out = new Array<number | null>(order.length);
  for (let i = 0; i < order.length; i++) {
    const v = values[order[i]!]!;
    out[i] = Number.isFinite(v) ? v : null;
  }
  return out;
}

/** Same as `gather` but for a log-scale axis: non-positive values become gaps too. */
export function positiveOrNull(values: ArrayLike<number | null>): (number | null)[] {
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v !== null && v !== undefined && Number.isFinite(v) && v > 0 ? v : null;
  }
  return out;
}

export interface PairRef {
  /** `OUTPUT/INPUT` key of `series.derivatives`. */
  key: string;
  output: string;
  input: string;
}

/** The derivative pairs of a series, in the series' own key order. */
export function derivativePairs(series: AnalysisSeries): PairRef[] {
  return Object.keys(series.derivatives).map((key) => {
    const slash = key.lastIndexOf('/');
    return { key, output: slash >= 0 ? key.slice(0, slash) : key, input: slash >= 0 ? key.slice(slash + 1) : '' };
  });
}

/**
 * What the model's derivative is compared with: the reference (expression or data column) when
 * there is one, else finite differences of the network itself.
 */
export function comparisonOf(series: AnalysisSeries, key: string): { values: Float64Array; kind: 'reference' | 'finite-difference' } {
  const d = series.derivatives[key]!;
  return d.reference ? { values: d.reference, kind: 'reference' } : { values: d.finiteDifference, kind: 'finite-difference' };
}

/** Point-wise error `model − comparison`. */
export function derivativeError(series: AnalysisSeries, key: string): Float64Array {
  const d = series.derivatives[key]!;
  const ref = comparisonOf(series, key).values;
  const e = new Float64Array(d.model.length);
  for (let i = 0; i < e.length; i++) e[i] = d.model[i]! - ref[i]!;
  return e;
}

export interface Extent {
  min: number;
  max: number;
}

/** Finite min and max; `null` when no value is finite. */
export function extent(values: ArrayLike<number>): Extent | null {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : null;
}

export interface Histogram {
  /** Left edges of the bins, plus the right edge of the last bin (length `counts.length + 1`). */
  edges: number[];
  counts: number[];
  /** Values that were not finite and were left out. */
  skipped: number;
}

/**
 * Histogram with Freedman–Diaconis bin width (robust to outliers), clamped to [5, maxBins] bins.
 * All-equal data gives one bin.
 */
export function histogram(values: ArrayLike<number>, maxBins = 60): Histogram {
  let k = 0;
  let lo = Infinity;
  let hi = -Infinity;
  const buf = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    buf[k++] = v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const skipped = values.length - k;
  if (k === 0) return { edges: [], counts: [], skipped };
  if (hi === lo) return { edges: [lo - 0.5, lo + 0.5], counts: [k], skipped };
  // The bin width needs only the quartiles: from every value up to 20,000, else from an evenly
  // strided sample of 20,000 (the quartiles of 100,000 errors move by far less than a bin).
  const stride = Math.max(1, Math.floor(k / 20_000));
  const sample = stride === 1 ? buf.slice(0, k) : Float64Array.from({ length: Math.floor(k / stride) }, (_, j) => buf[j * stride]!);
  sample.sort(); // numeric sort of a typed array
  const q = (p: number): number => {
    const pos = (sample.length - 1) * p;
    const i = Math.floor(pos);
    const f = pos - i;
    return sample[i]! + (i + 1 < sample.length ? (sample[i + 1]! - sample[i]!) * f : 0);
  };
  const iqr = q(0.75) - q(0.25);
  const fd = iqr > 0 ? 2 * iqr * Math.cbrt(1 / k) : (hi - lo) / 10;
  const bins = Math.max(5, Math.min(maxBins, Math.ceil((hi - lo) / fd)));
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < k; i++) counts[Math.min(bins - 1, Math.floor((buf[i]! - lo) / width))]!++;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  return { edges, counts, skipped };
}

export interface HeatGrid {
  nx: number;
  ny: number;
  x: Extent;
  y: Extent;
  /** Row-major, `ny` rows of `nx` cells, row 0 at the bottom (smallest y); NaN where no point fell. */
  cells: Float64Array;
  /** Finite extent of the cell values. */
  range: Extent | null;
}

/**
 * Mean of `values` per cell of a regular grid over the plane of `xs` × `ys`. Empty cells stay NaN:
 * the heat map shows only where the model was evaluated, it does not invent values in between.
 * The resolution follows the point count (≈ √n per side) up to `maxSide`, so points sampled on a
 * regular k×k grid map one-to-one onto cells.
 */
export function binToGrid(xs: ArrayLike<number>, ys: ArrayLike<number>, values: ArrayLike<number>, maxSide = 200, bounds?: { x: Extent; y: Extent }): HeatGrid | null {
  const x = bounds?.x ?? extent(xs);
  const y = bounds?.y ?? extent(ys);
  if (!x || !y) return null;
  const n = Math.min(xs.length, ys.length, values.length);
  const side = Math.max(2, Math.min(maxSide, Math.round(Math.sqrt(n))));
  const nx = side;
  const ny = side;
  const sum = new Float64Array(nx * ny);
  const cnt = new Uint32Array(nx * ny);
  const wx = x.max - x.min || 1;
  const wy = y.max - y.min || 1;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const px = xs[i]!;
    const py = ys[i]!;
    if (!Number.isFinite(v) || !Number.isFinite(px) || !Number.isFinite(py)) continue;
    if (px < x.min || px > x.max || py < y.min || py > y.max) continue;
    const cx = Math.min(nx - 1, Math.floor(((px - x.min) / wx) * nx));
    const cy = Math.min(ny - 1, Math.floor(((py - y.min) / wy) * ny));
    sum[cy * nx + cx]! += v;
    cnt[cy * nx + cx]!++;
  }
  const cells = new Float64Array(nx * ny);
  for (let c = 0; c < cells.length; c++) cells[c] = cnt[c]! > 0 ? sum[c]! / cnt[c]! : NaN;
  return { nx, ny, x, y, cells, range: extent(cells) };
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      s += v;
      k++;
    }
  }
  return k > 0 ? s / k : NaN;
}

export interface Slice {
  input: string;
  /** Indices of the points in the slice. */
  indices: number[];
  /** Mean of each other input, and the half-width of the band kept around it. */
  held: Record<string, { mean: number; halfWidth: number }>;
}

/**
 * Points near the slice through the other inputs' means: every other input within ±`fraction`
 * of its range around its mean. The band widens (10 %, 20 %, 30 %) until at least `minPoints`
 * points are in it, so sparse data still gives a slice, and the band used is reported.
 */
export function sliceThroughMeans(series: AnalysisSeries, input: string, minPoints = 20): Slice {
  const names = Object.keys(series.inputs);
  const others = names.filter((n) => n !== input);
  const stats = others.map((n) => {
    const e = extent(series.inputs[n]!);
    return { name: n, mean: mean(series.inputs[n]!), range: e ? e.max - e.min : 0 };
  });
  const total = series.inputs[input]!.length;
  let indices: number[] = [];
  let fraction = 0.1;
  for (const f of [0.1, 0.2, 0.3]) {
    fraction = f;
    indices = [];
    for (let i = 0; i < total; i++) {
      let ok = true;
      for (const s of stats) {
        if (Math.abs(series.inputs[s.name]![i]! - s.mean) > f * s.range) {
          ok = false;
          break;
        }
      }
      if (ok) indices.push(i);
    }
    if (indices.length >= minPoints) break;
  }
  const held: Slice['held'] = {};
  for (const s of stats) held[s.name] = { mean: s.mean, halfWidth: fraction * s.range };
  const x = series.inputs[input]!;
  indices.sort((a, b) => x[a]! - x[b]!);
  return { input, indices, held };
}

/** Whether a point lies outside the training range of any input (extrapolation). */
export function outsideTrainingRange(series: AnalysisSeries, i: number): boolean {
  for (const [name, r] of Object.entries(series.trainingRange)) {
    const v = series.inputs[name]?.[i];
    if (v !== undefined && (v < r[0] || v > r[1])) return true;
  }
  return false;
}

// Shared with the CLI and the output channel (one unit for relative errors: percent).
export { fmt, pct } from '../../src/shared/format';

/** RFC 4180 CSV of named columns (values written with full precision; NaN as empty). */
export function toCsv(columns: { name: string; values: ArrayLike<number | null> }[]): string {
  const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const n = columns.reduce((m, c) => Math.max(m, c.values.length), 0);
  const lines = [columns.map((c) => quote(c.name)).join(',')];
  for (let i = 0; i < n; i++) {
    lines.push(
      columns
        .map((c) => {
          const v = c.values[i];
          return v === null || v === undefined || !Number.isFinite(v) ? '' : String(v);
        })
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}
