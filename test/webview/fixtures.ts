/**
 * Fixture runs for the panel tests and for developing the webview in a plain browser. The "network"
 * here is an analytic stand-in (the true function plus a known smooth error), so every derivative and
 * every metric is computed from formulas, not typed in.
 */
import type { AnalysisSeries, DerivativeMetrics, EpochProgress, Report } from '../../src/core/model/types';
import type { HostMessage, RunRecord } from '../../src/shared/protocol';

export function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a + ((b - a) * i) / (n - 1);
  return out;
}

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Metrics of `model` against `reference`, as the analysis reports them. */
export function derivativeMetrics(model: Float64Array, reference: Float64Array, inputs: Record<string, Float64Array>, kind: DerivativeMetrics['reference']): DerivativeMetrics {
  let se = 0;
  let sr = 0;
  let maxAbs = -1;
  let at = 0;
  const ratios: number[] = [];
  for (let i = 0; i < model.length; i++) {
    const e = model[i]! - reference[i]!;
    se += e * e;
    sr += reference[i]! * reference[i]!;
    if (Math.abs(e) > maxAbs) {
      maxAbs = Math.abs(e);
      at = i;
    }
    if (reference[i] !== 0) ratios.push(model[i]! / reference[i]!);
  }
  ratios.sort((a, b) => a - b);
  const mid = ratios.length >> 1;
  const medianRatio = ratios.length % 2 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
  const maxAbsAt: Record<string, number> = {};
  for (const [k, v] of Object.entries(inputs)) maxAbsAt[k] = v[at]!;
  return { relL2: Math.sqrt(se / sr), rmse: Math.sqrt(se / model.length), maxAbs, maxAbsAt, medianRatio, reference: kind };
}

function valueMetrics(pred: Float64Array, obs: Float64Array): { rmse: number; relL2: number } {
  let se = 0;
  let so = 0;
  for (let i = 0; i < pred.length; i++) {
    se += (pred[i]! - obs[i]!) ** 2;
    so += obs[i]! ** 2;
  }
  return { rmse: Math.sqrt(se / pred.length), relL2: Math.sqrt(se / so) };
}

/** Central finite differences of a function of one variable at the points `x`. */
function centralFd(f: (x: number) => number, x: Float64Array, h = 1e-5): Float64Array {
  return x.map((v) => (f(v + h) - f(v - h)) / (2 * h));
}

/** Loss history; `withVal`: a validation split was held out (else valLoss is null, as the engine reports). */
export function history(n: number, epochs: number, withGrad: boolean, withVal = false): EpochProgress[] {
  return Array.from({ length: n }, (_, i) => {
    const e = i + 1;
    const valueLoss = 2 * Math.exp(-e / 40) + 1e-3;
    const gradLoss = withGrad ? 5 * Math.exp(-e / 55) + 3e-3 : null;
    return {
      epoch: e, epochs, loss: valueLoss + (gradLoss ?? 0), valueLoss, gradLoss, valLoss: withVal ? 1.1 * valueLoss + 2e-3 : null, learningRate: 1e-3, elapsedMs: e * 12,
    };
  });
}

/**
 * One input, like the first user post: f(x) = x³ + 7 − 3x sampled on [1, 7.5]; the "network" is
 * f plus a smooth error that grows outside the training range, evaluated on [0.5, 8].
 */
export const cubic = {
  f: (x: number): number => x ** 3 + 7 - 3 * x,
  df: (x: number): number => 3 * x * x - 3,
  net: (x: number): number => x ** 3 + 7 - 3 * x + 0.6 * Math.sin(2 * x) + 0.02 * (x - 4) ** 3,
  dnet: (x: number): number => 3 * x * x - 3 + 1.2 * Math.cos(2 * x) + 0.06 * (x - 4) ** 2,
};

/**
 * The one-input run as the pipeline delivers it: plus the model evaluated on 200 points across the
 * training range [1, 7.5] widened by 15 % on each side (`slices`, as analyzeModel adds them).
 */
export function withSlice(run: RunRecord, points = 200, margin = 0.15): RunRecord {
  const [a, b] = run.series!.trainingRange.x!;
  const pad = (b - a) * margin;
  const x = linspace(a - pad, b + pad, points);
  run.series!.slices = {
    x: {
      at: {}, x,
      predicted: { y: x.map(cubic.net) },
      derivative: { y: x.map(cubic.dnet) },
      referenceValue: { y: x.map(cubic.f) },
      referenceDerivative: { y: x.map(cubic.df) },
    },
  };
  return run;
}

export function oneInputRun(id = 'run-1d', label = 'x³ + 7 − 3x (values only)', n = 301): RunRecord {
  const { f, df, net } = cubic;
  const x = linspace(0.5, 8, n);
  const predicted = x.map(net);
  const observed = x.map((v, i) => f(v) + 0.4 * Math.sin(37 * i));
  const model = centralFd(net, x, 1e-6).map((v, i) => v + 1e-7 * i); // the "autograd" derivative
  const reference = x.map(df);
  const finiteDifference = centralFd(net, x);
  const series: AnalysisSeries = {
    inputs: { x },
    observed: { y: observed },
    predicted: { y: predicted },
    referenceValue: { y: x.map(f) },
    derivatives: { 'y/x': { model, reference, finiteDifference } },
    trainingRange: { x: [1, 7.5] },
  };
  const report: Report = {
    inputs: ['x'], outputs: ['y'],
    value: { y: valueMetrics(predicted, observed) },
    derivatives: { 'y/x': derivativeMetrics(model, reference, { x }, 'expression') },
    warnings: [{ code: 'extrapolation', message: `${x.filter((v) => v < 1 || v > 7.5).length} of ${n} evaluated points lie outside the training range of x.` }],
    modelDir: 'models/cubic', status: 'completed', epochs: 300, backend: 'wasm',
  };
  return {
    id, label, createdAt: '2026-01-05T10:00:00.000Z', status: 'completed',
    spec: { data: 'data/cubic.csv', inputs: ['x'], outputs: ['y'], grads: [], hidden: [64, 64], activation: 'tanh', epochs: 300 },
    history: history(300, 300, false), report, series, warnings: [],
  };
}

/**
 * Two inputs: f(x, y) = sin(x)·cos(y) on a 40×40 grid over [−3, 3]², trained on [−2, 2]²; the
 * model's ∂f/∂x error grows away from the origin.
 */
export function twoInputRun(id = 'run-2d', label = 'sin(x)·cos(y) (with derivatives)', side = 40): RunRecord {
  const n = side * side;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const g = linspace(-3, 3, side);
  for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) {
    xs[r * side + c] = g[c]!;
    ys[r * side + c] = g[r]!;
  }
  const f = (x: number, y: number): number => Math.sin(x) * Math.cos(y);
  const bump = (x: number, y: number): number => 0.01 * (x * x + y * y) ** 1.5 / 10;
  const predicted = xs.map((x, i) => f(x, ys[i]!) + bump(x, ys[i]!));
  const observed = xs.map((x, i) => f(x, ys[i]!));
  const derivatives: AnalysisSeries['derivatives'] = {};
  const refX = xs.map((x, i) => Math.cos(x) * Math.cos(ys[i]!));
  const refY = xs.map((x, i) => -Math.sin(x) * Math.sin(ys[i]!));
  const modelX = xs.map((x, i) => refX[i]! + 0.003 * x * Math.sqrt(x * x + ys[i]! ** 2));
  const modelY = xs.map((x, i) => refY[i]! + 0.003 * ys[i]! * Math.sqrt(x * x + ys[i]! ** 2));
  derivatives['z/x'] = { model: modelX, reference: refX, finiteDifference: modelX.map((v) => v + 1e-9) };
  derivatives['z/y'] = { model: modelY, reference: refY, finiteDifference: modelY.map((v) => v - 1e-9) };
  const rand = rng(7);
  const tx = new Float64Array(150).map(() => -2 + 4 * rand());
  const ty = new Float64Array(150).map(() => -2 + 4 * rand());
  const series: AnalysisSeries = {
    inputs: { x: xs, y: ys }, observed: { z: observed }, predicted: { z: predicted }, derivatives,
    trainingRange: { x: [-2, 2], y: [-2, 2] }, trainingInputs: { x: tx, y: ty },
  };
  const report: Report = {
    inputs: ['x', 'y'], outputs: ['z'], value: { z: valueMetrics(predicted, observed) },
    derivatives: {
      'z/x': derivativeMetrics(modelX, refX, { x: xs, y: ys }, 'column'),
      'z/y': derivativeMetrics(modelY, refY, { x: xs, y: ys }, 'column'),
    },
    warnings: [
      { code: 'inputs-collinear', message: 'Inputs x and y are strongly correlated (r = 0.97).' },
      { code: 'extrapolation', message: `${n - 729} of ${n} evaluated points lie outside the training range.` },
    ],
    modelDir: 'models/sincos', status: 'stopped-early', epochs: 180,
  };
  return {
    id, label, createdAt: '2026-01-05T11:00:00.000Z', status: 'stopped-early', statusDetail: 'Validation loss stopped improving at epoch 160.',
    spec: { data: 'data/sincos.csv', inputs: ['x', 'y'], outputs: ['z'], grads: [{ output: 'z', input: 'x', column: 'dz_dx' }, { output: 'z', input: 'y', column: 'dz_dy' }], hidden: [64, 64], activation: 'softplus', gradWeight: 1, epochs: 500 },
    history: history(180, 500, true, true), report, series, warnings: [],
  };
}

export function runningRun(id = 'run-live', label = 'live training'): RunRecord {
  return {
    id, label, createdAt: '2026-01-05T12:00:00.000Z', status: 'running',
    spec: { data: 'data/live.csv', inputs: ['x'], outputs: ['y'], grads: [{ output: 'y', input: 'x', column: 'dy_dx' }], hidden: [32, 32], activation: 'tanh', epochs: 200 },
    history: [], report: null, series: null, warnings: [],
  };
}

export function emptyRun(id = 'run-empty'): RunRecord {
  return { id, label: 'empty run', createdAt: '2026-01-05T09:00:00.000Z', status: 'completed', spec: {}, history: [], report: null, series: null, warnings: [] };
}

export function failedRun(id = 'run-failed'): RunRecord {
  return {
    id, label: 'failed run', createdAt: '2026-01-05T08:00:00.000Z', status: 'failed',
    statusDetail: "Column 'dy_dz' was not found in data/broken.csv (columns: x, y, dy_dx).",
    spec: { data: 'data/broken.csv', inputs: ['x'], outputs: ['y'] }, history: history(3, 100, true), report: null, series: null, warnings: [],
  };
}

export function initMessage(runs: RunRecord[], selected: string[]): HostMessage {
  return { type: 'init', version: 1, runs, selected };
}
