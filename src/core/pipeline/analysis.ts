/**
 * Analysis of a model (anything with `predict` and `jacobian` in raw units) on a set of points:
 * value metrics against observed values, derivative metrics per OUTPUT/INPUT against the best
 * reference available — an analytic expression, else a derivative column of the data, else central
 * finite differences of the model itself (a consistency check of the derivative code) — and the
 * point-wise series behind the plots. Pure: no TensorFlow.js, no file system.
 */
import type { AnalysisSeries, DerivativeMetrics, SliceSeries, ValueMetrics } from '../model/types';
import type { CompiledReference } from '../reference/expression';
import { derivativeMetrics, finiteDifferenceJacobian, valueMetrics } from '../metrics/index';

/** The part of the engine's `Mlp` the analysis needs; test doubles implement just this. */
export interface ModelLike {
  inputs: string[];
  outputs: string[];
  predict(x: Float64Array[]): Float64Array[];
  /** jacobian(x)[k][i] = d output k / d input i at every point, raw units. */
  jacobian(x: Float64Array[]): Float64Array[][];
}

export interface AnalyzeOptions {
  /** Raw input values by input name (all the model's inputs). */
  points: Record<string, Float64Array>;
  /** Observed output values by output name (only outputs that have a value column). */
  observed: Record<string, Float64Array>;
  /** Derivative columns of the data, keyed `OUTPUT/INPUT`. */
  gradColumns: Record<string, Float64Array>;
  /** Analytic references by output name. */
  references: Map<string, CompiledReference>;
  /** Range of each input in the training data (sets the finite-difference step and marks extrapolation). */
  trainingRange: Record<string, [number, number]>;
  /** The training points' inputs, when known (copied to the series for the panel's heat map). */
  trainingInputs?: Record<string, Float64Array>;
  /** Evaluate in blocks of this many points (bounds the engine's tensor sizes); default 8192. */
  blockSize?: number;
  /**
   * Outputs the model was not fitted to the values of (a derivative-only fit): their value metrics
   * are computed after adding the best constant offset (reported as `offset`).
   */
  offsetOutputs?: string[];
  /**
   * When given, the series gets `slices`: per input a line of `points` (default SLICE_POINTS) evenly
   * spaced over its training range widened by `margin` (a fraction of the range on each side; default
   * ONE_INPUT_MARGIN for a one-input model, whose plots show the model beyond the data, else 0), the
   * other inputs at `means` (their training means).
   */
  slices?: { means: Record<string, number>; points?: number; margin?: number };
}

export interface AnalysisResult {
  value: Record<string, ValueMetrics>;
  derivatives: Record<string, DerivativeMetrics>;
  series: AnalysisSeries;
}

export function pairKey(output: string, input: string): string {
  return `${output}/${input}`;
}

/** Run `f` over blocks of points and concatenate, so huge datasets never become one huge tensor. */
function blocked<T extends Float64Array[] | Float64Array[][]>(x: Float64Array[], block: number, f: (xb: Float64Array[]) => T): T {
  const n = x.length ? x[0].length : 0;
  if (n <= block) return f(x);
  const parts: T[] = [];
  for (let s = 0; s < n; s += block) parts.push(f(x.map((c) => c.subarray(s, Math.min(n, s + block)))));
  const concat = (arrs: Float64Array[]) => {
    const out = new Float64Array(n);
    let o = 0;
    for (const a of arrs) {
      out.set(a, o);
      o += a.length;
    }
    return out;
  };
  const first = parts[0];
  if (first.length && first[0] instanceof Float64Array) {
    return (first as Float64Array[]).map((_, k) => concat(parts.map((p) => (p as Float64Array[])[k]))) as T;
  }
  return (first as Float64Array[][]).map((row, k) => row.map((_, i) => concat(parts.map((p) => (p as Float64Array[][])[k][i])))) as T;
}

export function analyzeModel(model: ModelLike, opts: AnalyzeOptions): AnalysisResult {
  const block = opts.blockSize ?? 8192;
  const x = model.inputs.map((name) => {
    const c = opts.points[name];
    if (!c) throw new Error(`no values for input '${name}'`);
    return c;
  });
  const predict = (xb: Float64Array[]) => model.predict(xb);
  const pred = blocked(x, block, predict);
  const jac = blocked(x, block, (xb) => model.jacobian(xb));
  const scale = model.inputs.map((name) => {
    const r = opts.trainingRange[name];
    return r ? r[1] - r[0] : 0;
  });
  const fd = blocked(x, block, (xb) => finiteDifferenceJacobian(predict, xb, scale));

  const value: Record<string, ValueMetrics> = {};
  const derivatives: Record<string, DerivativeMetrics> = {};
  const series: AnalysisSeries = {
    inputs: Object.fromEntries(model.inputs.map((n, i) => [n, x[i]])),
    observed: {},
    predicted: {},
    derivatives: {},
    trainingRange: { ...opts.trainingRange },
  };
  if (opts.trainingInputs) series.trainingInputs = opts.trainingInputs;
  model.outputs.forEach((out, k) => {
    series.predicted[out] = pred[k];
    const obs = opts.observed[out];
    if (obs) {
      series.observed[out] = obs;
      value[out] = opts.offsetOutputs?.includes(out) ? offsetValueMetrics(pred[k], obs) : valueMetrics(pred[k], obs);
    }
    const ref = opts.references.get(out);
    if (ref) (series.referenceValue ??= {})[out] = ref.value(x);
    model.inputs.forEach((inp, i) => {
      const key = pairKey(out, inp);
      let reference: Float64Array | null = null;
      let kind: DerivativeMetrics['reference'] = 'finite-difference';
      if (ref) {
        reference = ref.derivative(inp, x);
        kind = 'expression';
      } else if (opts.gradColumns[key]) {
        reference = opts.gradColumns[key];
        kind = 'column';
      }
      series.derivatives[key] = { model: jac[k][i], reference, finiteDifference: fd[k][i] };
      derivatives[key] = derivativeMetrics(jac[k][i], reference ?? fd[k][i], series.inputs, kind);
    });
  });
  if (opts.slices) {
    const margin = opts.slices.margin ?? (model.inputs.length === 1 ? ONE_INPUT_MARGIN : 0);
    series.slices = modelSlices(model, opts.trainingRange, opts.slices.means, opts.references, opts.slices.points, margin);
  }
  return { value, derivatives, series };
}

/**
 * Value metrics of `predicted + c` with the least-squares constant c = mean(observed - predicted):
 * how good a model fitted only to derivatives is, up to the constant the derivatives cannot fix.
 */
export function offsetValueMetrics(predicted: Float64Array, observed: Float64Array): ValueMetrics {
  let c = 0;
  for (let i = 0; i < predicted.length; i++) c += observed[i] - predicted[i];
  c = predicted.length ? c / predicted.length : 0;
  const shifted = predicted.map((v) => v + c);
  return { ...valueMetrics(shifted, observed), offset: c };
}

/** Points per model slice in the panel: smooth at plot width, cheap to evaluate. */
export const SLICE_POINTS = 200;
/**
 * How far a one-input model is drawn beyond its training range, as a fraction of the range on each
 * side: enough to see how it behaves just outside the data (the panel marks it as extrapolation).
 */
export const ONE_INPUT_MARGIN = 0.15;

/**
 * The model along each input, across its training range (widened by `margin` × the range on each
 * side), with the other inputs at `means`: predictions, d output / d input along the line, and the
 * analytic reference where there is one. Inputs without a usable range (missing, or not finite) get
 * no slice; a zero-width range gives a line of identical points.
 */
export function modelSlices(
  model: ModelLike,
  trainingRange: Record<string, [number, number]>,
  means: Record<string, number>,
  references: Map<string, CompiledReference>,
  points = SLICE_POINTS,
  margin = 0,
): Record<string, SliceSeries> {
  if (!Number.isInteger(points) || points < 2) throw new Error(`a slice needs at least 2 points (got ${points})`);
  if (!(margin >= 0 && Number.isFinite(margin))) throw new Error(`a slice margin must be a fraction ≥ 0 (got ${margin})`);
  const out: Record<string, SliceSeries> = {};
  model.inputs.forEach((input, i) => {
    const r = trainingRange[input];
    if (!r || !Number.isFinite(r[0]) || !Number.isFinite(r[1])) return;
    const at: Record<string, number> = {};
    for (const other of model.inputs) {
      if (other === input) continue;
      const m = means[other];
      if (m === undefined || !Number.isFinite(m)) return;
      at[other] = m;
    }
    const pad = (r[1] - r[0]) * margin;
    const [a, b] = [r[0] - pad, r[1] + pad];
    const line = new Float64Array(points);
    for (let j = 0; j < points; j++) line[j] = a + ((b - a) * j) / (points - 1);
    line[points - 1] = b;
    const x = model.inputs.map((n, c) => (c === i ? line : new Float64Array(points).fill(at[n])));
    const pred = model.predict(x);
    const jac = model.jacobian(x);
    const slice: SliceSeries = { at, x: line, predicted: {}, derivative: {} };
    model.outputs.forEach((o, k) => {
      slice.predicted[o] = pred[k];
      slice.derivative[o] = jac[k][i];
      const ref = references.get(o);
      if (ref) {
        (slice.referenceValue ??= {})[o] = ref.value(x);
        (slice.referenceDerivative ??= {})[o] = ref.derivative(input, x);
      }
    });
    out[input] = slice;
  });
  return out;
}

/** Mean of each column. */
export function columnMeans(cols: Record<string, Float64Array>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, c] of Object.entries(cols)) {
    let s = 0;
    for (const v of c) s += v;
    out[name] = c.length ? s / c.length : NaN;
  }
  return out;
}

/** Min and max of each column. */
export function columnRanges(cols: Record<string, Float64Array>): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const [name, c] of Object.entries(cols)) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of c) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    out[name] = [lo, hi];
  }
  return out;
}
