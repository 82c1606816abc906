/**
 * Training the MLP on values and/or derivative samples (Sobolev training) with Adam.
 *
 * Loss (normalized units, see normalization.ts and docs/model-engine.md):
 *   loss = valueWeight * mean_{rows, outputs with values} (y_n - t_n)^2
 *        + gradWeight  * mean_{rows, (k,i) pairs with samples} (J_n[k,i] - g_n[k,i])^2
 * with g_n[k,i] = dy_k/dx_i * scale_x[i] / scale_y[k]. valueWeight is 1; gradWeight comes from the spec.
 * The loss and its weight gradient are written out in step.ts (J_n by forward or reverse mode, chosen
 * by shape), Adam in adam.ts.
 *
 * Memory and time are linear in the rows: the data set is held as normalized float32 arrays (no
 * per-row objects, no copy in TensorFlow.js), each epoch's order is one Int32Array permutation, and a
 * batch is copied out of the arrays by its slice of that permutation. The validation loss is evaluated
 * in chunks of EVAL_CHUNK_ROWS rows.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation, EpochProgress, InitScheme, RunStatus, TrainSpec } from './types';
import type { TrainSettings } from './defaults';
import type { DenseWeights } from './reference';
import { computeNormalization, type NormalizationState } from './normalization';
import { SobolevStep, jacobianModeFor, layerOffsets, parameterCount, type Batch, type NetParams } from './step';
import { MatrixOps, transpose } from './matrix';
import { Adam } from './adam';
import { Prng } from './prng';
import { ensureBackend } from './backend';
import { MlpModel, type Mlp, type TrainingInfo } from './mlp';

/** Training data in RAW units. x[i] is input column i; y[k] output k's values or null when only its
 *  derivatives are known; dy[k][i] samples of d y_k / d x_i or null. All arrays length n. */
export interface TrainData {
  x: Float64Array[];
  y: (Float64Array | null)[];
  dy: (Float64Array | null)[][];
}

export interface TrainCallbacks {
  onProgress?(p: EpochProgress): void;
  signal?: AbortSignal;
}

export interface TrainResult {
  model: Mlp;
  status: RunStatus;
  history: EpochProgress[];
  backend: string;
}

export { DEFAULT_TRAIN_SETTINGS, type TrainSettings } from './defaults';

/** Floor of the cosine schedule, as a fraction of the initial learning rate. */
export const LR_FLOOR = 0.01;

/** Learning rate at 0-based epoch e of E: cosine decay from lr to LR_FLOOR*lr. */
export function scheduledLearningRate(lr: number, e: number, E: number): number {
  const t = E <= 1 ? 0 : e / (E - 1);
  return lr * (LR_FLOOR + (1 - LR_FLOOR) * 0.5 * (1 + Math.cos(Math.PI * t)));
}

function fail(msg: string): never {
  throw new Error(msg);
}

function checkSpec(spec: TrainSettings & Pick<TrainSpec, 'inputs' | 'outputs' | 'init'>): void {
  const int = (v: number, name: string, min: number): void => {
    if (!Number.isInteger(v) || v < min) fail(`${name} must be an integer >= ${min}, got ${v}`);
  };
  if (!Array.isArray(spec.hidden)) fail('hidden must be a list of layer sizes');
  spec.hidden.forEach((h, l) => int(h, `hidden[${l}]`, 1));
  if (!['tanh', 'softplus', 'silu', 'sin', 'relu'].includes(spec.activation)) fail(`activation must be one of tanh, softplus, silu, sin, relu; got '${String(spec.activation)}'`);
  if (spec.init !== undefined && !['glorot', 'fan-in', 'siren'].includes(spec.init)) fail(`init must be glorot, fan-in or siren; got '${String(spec.init)}'`);
  if (!['minmax', 'standard', 'none'].includes(spec.normalize)) fail(`normalize must be minmax, standard or none; got '${String(spec.normalize)}'`);
  int(spec.epochs, 'epochs', 1);
  int(spec.batchSize, 'batchSize', 1);
  int(spec.patience, 'patience', 0);
  if (!(spec.learningRate > 0) || !Number.isFinite(spec.learningRate)) fail(`learningRate must be a positive number, got ${spec.learningRate}`);
  if (!(spec.gradWeight >= 0) || !Number.isFinite(spec.gradWeight)) fail(`gradWeight must be >= 0, got ${spec.gradWeight}`);
  if (!(spec.validationSplit >= 0 && spec.validationSplit < 1)) fail(`validationSplit must be in [0, 1), got ${spec.validationSplit}`);
  if (!Number.isFinite(spec.seed)) fail(`seed must be a number, got ${spec.seed}`);
}

function checkData(data: TrainData, inputs: string[], outputs: string[]): number {
  const d = inputs.length;
  const m = outputs.length;
  if (d === 0) fail('at least one input is needed');
  if (m === 0) fail('at least one output is needed');
  if (!data || !Array.isArray(data.x) || data.x.length !== d) fail(`expected ${d} input columns (${inputs.join(', ')}), got ${data?.x?.length}`);
  if (!Array.isArray(data.y) || data.y.length !== m) fail(`expected ${m} output entries in y (values or null), got ${data.y?.length}`);
  if (!Array.isArray(data.dy) || data.dy.length !== m) fail(`expected ${m} output entries in dy, got ${data.dy?.length}`);
  const n = data.x[0].length;
  if (n === 0) fail('the training data has no rows');
  const col = (v: Float64Array, what: string): void => {
    if (v.length !== n) fail(`${what} has ${v.length} values, the inputs have ${n}`);
    for (let r = 0; r < n; r++) if (!Number.isFinite(v[r])) fail(`${what} is not a finite number at row ${r} (${v[r]})`);
  };
  data.x.forEach((v, i) => col(v, `input '${inputs[i]}'`));
  for (let k = 0; k < m; k++) {
    const yk = data.y[k];
    if (yk) col(yk, `output '${outputs[k]}'`);
    const dk = data.dy[k];
    if (!Array.isArray(dk) || dk.length !== d) fail(`dy[${k}] must have one entry per input (${d}), values or null`);
    let any = !!yk;
    dk.forEach((v, i) => {
      if (v) {
        col(v, `d${outputs[k]}/d${inputs[i]}`);
        any = true;
      }
    });
    if (!any) fail(`output '${outputs[k]}' has neither values nor derivative samples`);
  }
  return n;
}

/** The engine's initialisation when the spec names none (measurements: docs/model-engine.md). */
export const DEFAULT_INIT: InitScheme = 'fan-in';
/** SIREN's ω₀: the first sin layer's weights are U(±SIREN_OMEGA0/fan_in). */
export const SIREN_OMEGA0 = 30;

/**
 * Initial weights and biases from the seeded generator (see InitScheme): `glorot` U(±√(6/(fan_in +
 * fan_out))) weights, zero biases; `fan-in` weights and biases U(±1/√fan_in); `siren` (sin only,
 * else `fan-in`) first-layer weights U(±ω₀/fan_in), later weights U(±√(6/fan_in)), biases
 * U(±1/√fan_in). Weights are drawn before biases, layer by layer.
 */
export function initWeights(sizes: number[], prng: Prng, scheme: InitScheme = DEFAULT_INIT, activation?: Activation): DenseWeights[] {
  const layers: DenseWeights[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const siren = scheme === 'siren' && activation === 'sin';
    const lim = scheme === 'glorot' ? Math.sqrt(6 / (nIn + nOut)) : siren ? (l === 0 ? SIREN_OMEGA0 / nIn : Math.sqrt(6 / nIn)) : 1 / Math.sqrt(nIn);
    const W = new Float32Array(nIn * nOut);
    for (let i = 0; i < W.length; i++) W[i] = (2 * prng.next() - 1) * lim;
    const b = new Float32Array(nOut);
    if (scheme !== 'glorot') for (let i = 0; i < nOut; i++) b[i] = (2 * prng.next() - 1) / Math.sqrt(nIn);
    layers.push({ nIn, nOut, W, b });
  }
  return layers;
}

/** One split of the data in normalized float32 units, row-major (no per-row objects). */
interface Arrays {
  n: number;
  /** [n, d] */
  X: Float32Array;
  /** [n, m] (zeros for outputs without values) */
  Y: Float32Array | null;
  /** [n, m, d] (zeros for pairs without samples) */
  G: Float32Array | null;
}

/** Reusable batch buffers of `capacity` rows. */
class BatchBuffers {
  readonly x: Float32Array;
  readonly y: Float32Array | null;
  readonly g: Float32Array | null;
  constructor(
    readonly capacity: number,
    private readonly d: number,
    private readonly m: number,
    values: boolean,
    grads: boolean,
  ) {
    this.x = new Float32Array(capacity * d);
    this.y = values ? new Float32Array(capacity * m) : null;
    this.g = grads ? new Float32Array(capacity * m * d) : null;
  }

  /** The rows `idx[start .. start+size)` (or `start ..` when `idx` is null) of `a`, as a batch. */
  fill(a: Arrays, idx: Int32Array | null, start: number, size: number): Batch {
    const { d, m } = this;
    const md = m * d;
    for (let j = 0; j < size; j++) {
      const r = idx ? idx[start + j] : start + j;
      for (let i = 0; i < d; i++) this.x[j * d + i] = a.X[r * d + i];
      if (this.y && a.Y) for (let k = 0; k < m; k++) this.y[j * m + k] = a.Y[r * m + k];
      if (this.g && a.G) for (let q = 0; q < md; q++) this.g[j * md + q] = a.G[r * md + q];
    }
    return { rows: size, x: this.x, y: this.y, g: this.g };
  }
}

/** Rows per chunk when a whole split's loss is evaluated (validation). */
const EVAL_CHUNK_ROWS = 4096;

const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Trains an MLP on `data` (raw units) with the settings in `spec`. */
export async function trainMlp(data: TrainData, spec: TrainSpec, cb: TrainCallbacks = {}): Promise<TrainResult> {
  checkSpec(spec);
  const inputs = [...spec.inputs];
  const outputs = [...spec.outputs];
  const n = checkData(data, inputs, outputs);
  const backend = await ensureBackend();
  const d = inputs.length;
  const m = outputs.length;

  // Seeded streams: validation split, weight init, batch order.
  const seed = Math.trunc(spec.seed);
  const splitRng = new Prng(seed * 3 + 1);
  const initRng = new Prng(seed * 3 + 2);
  const shuffleRng = new Prng(seed * 3 + 3);

  let nVal = spec.validationSplit > 0 ? Math.round(n * spec.validationSplit) : 0;
  if (nVal >= n) nVal = n - 1;
  // Without a validation split every row trains, in file order: no index arrays, no copies.
  let valRows: Int32Array | null = null;
  let trainRows: Int32Array | null = null;
  if (nVal > 0) {
    const order = splitRng.permutation(n);
    valRows = order.slice(0, nVal).sort();
    trainRows = order.slice(nVal).sort();
  }
  const nTrain = n - nVal;

  const norm: NormalizationState = computeNormalization(spec.normalize, data.x, data.y, data.dy, trainRows ?? undefined);
  const valueIdx = outputs.map((_, k) => k).filter((k) => data.y[k] !== null);
  const pairs: [number, number][] = [];
  for (let k = 0; k < m; k++) for (let i = 0; i < d; i++) if (data.dy[k][i]) pairs.push([k, i]);
  const hasValues = valueIdx.length > 0;
  const hasGrads = pairs.length > 0 && spec.gradWeight > 0;
  if (spec.gradWeight === 0) {
    const onlyGrads = outputs.filter((_, k) => data.y[k] === null);
    if (onlyGrads.length > 0) fail(`gradWeight is 0, but ${onlyGrads.map((o) => `'${o}'`).join(', ')} ${onlyGrads.length > 1 ? 'have' : 'has'} only derivative samples, so nothing would train ${onlyGrads.length > 1 ? 'them' : 'it'}; use a gradWeight > 0`);
  }
  const valueWeight = 1;

  const sizes = [d, ...spec.hidden, m];
  const init = initWeights(sizes, initRng, spec.init ?? DEFAULT_INIT, spec.activation);

  /** Normalized float32 arrays of the given rows (null: all rows, in order). */
  const makeArrays = (src: TrainData, rows: Int32Array | null): Arrays => {
    const r = rows ? rows.length : n;
    const at = (j: number): number => (rows ? rows[j] : j);
    const X = new Float32Array(r * d);
    for (let i = 0; i < d; i++) {
      const col = src.x[i];
      const o = norm.inputs.offset[i];
      const s = norm.inputs.scale[i];
      for (let j = 0; j < r; j++) X[j * d + i] = (col[at(j)] - o) / s;
    }
    let Y: Float32Array | null = null;
    if (hasValues) {
      Y = new Float32Array(r * m);
      for (const k of valueIdx) {
        const col = src.y[k] as Float64Array;
        const o = norm.outputs.offset[k];
        const s = norm.outputs.scale[k];
        for (let j = 0; j < r; j++) Y[j * m + k] = (col[at(j)] - o) / s;
      }
    }
    let G: Float32Array | null = null;
    if (hasGrads) {
      G = new Float32Array(r * m * d);
      for (const [k, i] of pairs) {
        const col = src.dy[k][i] as Float64Array;
        const f = norm.inputs.scale[i] / norm.outputs.scale[k];
        for (let j = 0; j < r; j++) G[(j * m + k) * d + i] = col[at(j)] * f;
      }
    }
    return { n: r, X, Y, G };
  };
  const train = makeArrays(data, trainRows);
  const val = valRows ? makeArrays(data, valRows) : null;
  // From here on the engine works on its float32 copy only: drop the reference to the caller's
  // float64 columns, so that a caller which drops its own can have them collected during training.
  data = { x: [], y: [], dy: [] };
  trainRows = null;

  const valueMask = hasValues && valueIdx.length < m ? Float32Array.from({ length: m }, (_, k) => (valueIdx.includes(k) ? 1 : 0)) : null;
  const pairMask = hasGrads && pairs.length < d * m ? new Float32Array(m * d) : null;
  if (pairMask) for (const [k, i] of pairs) pairMask[k * d + i] = 1;
  const mode = jacobianModeFor(d, m);
  const step = new SobolevStep(
    {
      sizes,
      activation: spec.activation,
      mode,
      valueMask,
      valueScale: m / Math.max(1, valueIdx.length),
      pairMask,
      gradScale: (d * m) / Math.max(1, pairs.length),
      valueWeight,
      gradWeight: spec.gradWeight,
      hasValues,
      hasGrads,
    },
    new MatrixOps(),
  );

  // All weights in one flat vector (layout of layerOffsets), the transposed weight matrices beside it.
  const theta = new Float32Array(parameterCount(sizes));
  const offs = layerOffsets(sizes);
  init.forEach((w, l) => {
    theta.set(w.W, offs[l].W);
    theta.set(w.b, offs[l].b);
  });
  const wT = init.map((w) => transpose(w.W, w.nIn, w.nOut));
  const params: NetParams = { theta, wT };
  const grad = new Float32Array(theta.length);
  const optimizer = new Adam(sizes, tf.backend().epsilon());

  const history: EpochProgress[] = [];
  const monitorVal = val !== null;
  let best = Infinity;
  let bestEpoch: number | null = null;
  let bestWeights: Float32Array | null = null;
  let sinceBest = 0;
  let status: RunStatus = 'completed';
  const t0 = Date.now();
  let lastYield = Date.now();
  const batchSize = Math.min(spec.batchSize, nTrain);
  const buffers = new BatchBuffers(Math.max(batchSize, Math.min(EVAL_CHUNK_ROWS, Math.max(nVal, 1))), d, m, hasValues, hasGrads);
  const signal = cb.signal;

  /** Mean loss over a whole split, in chunks (a validation set can be millions of rows). */
  const splitLoss = (a: Arrays): number => {
    let total = 0;
    for (let start = 0; start < a.n; start += buffers.capacity) {
      const size = Math.min(buffers.capacity, a.n - start);
      total += step.run(params, buffers.fill(a, null, start, size), null).total * size;
    }
    return total / a.n;
  };

  try {
    for (let epoch = 0; epoch < spec.epochs; epoch++) {
      if (signal?.aborted) {
        status = 'cancelled';
        break;
      }
      const lr = scheduledLearningRate(spec.learningRate, epoch, spec.epochs);
      const perm = shuffleRng.permutation(nTrain);
      // Sums over the epoch's batches of the total, value and derivative batch losses.
      let sumTotal = 0;
      let sumValue = 0;
      let sumGrad = 0;
      let batches = 0;
      let cancelled = false;
      for (let start = 0; start < nTrain; start += batchSize) {
        if (Date.now() - lastYield > 20) {
          await yieldToEventLoop();
          lastYield = Date.now();
        }
        if (signal?.aborted) {
          cancelled = true;
          break;
        }
        const size = Math.min(batchSize, nTrain - start);
        const r = step.run(params, buffers.fill(train, perm, start, size), grad);
        optimizer.update(theta, wT, grad, lr);
        sumTotal += r.total;
        sumValue += r.value ?? 0;
        sumGrad += r.grad ?? 0;
        batches++;
      }
      if (cancelled) {
        status = 'cancelled';
        break;
      }
      const loss = sumTotal / batches;
      const vall = val ? splitLoss(val) : NaN;
      if (!Number.isFinite(loss)) {
        throw new Error(`training diverged: the loss is ${loss} in epoch ${epoch + 1}; lower the learning rate (now ${spec.learningRate}) or check the data scale`);
      }
      const p: EpochProgress = {
        epoch: epoch + 1,
        epochs: spec.epochs,
        loss,
        valueLoss: hasValues ? sumValue / batches : null,
        gradLoss: hasGrads ? sumGrad / batches : null,
        valLoss: val ? vall : null,
        learningRate: lr,
        elapsedMs: Date.now() - t0,
      };
      history.push(p);
      cb.onProgress?.(p);
      const monitored = monitorVal ? vall : loss;
      if (spec.patience > 0) {
        if (monitored < best) {
          best = monitored;
          bestEpoch = epoch + 1;
          sinceBest = 0;
          bestWeights = theta.slice();
        } else if (++sinceBest >= spec.patience) {
          status = 'stopped-early';
          break;
        }
      }
    }
    let keptEpoch: number | null = null;
    if (bestWeights && bestEpoch !== null && bestEpoch !== history.length) {
      theta.set(bestWeights);
      keptEpoch = bestEpoch;
    }
    const weights: DenseWeights[] = init.map((w, l) => ({
      nIn: w.nIn,
      nOut: w.nOut,
      W: theta.slice(offs[l].W, offs[l].W + w.W.length),
      b: theta.slice(offs[l].b, offs[l].b + w.b.length),
    }));
    const info: TrainingInfo = {
      settings: {
        normalize: spec.normalize,
        hidden: [...spec.hidden],
        activation: spec.activation,
        epochs: spec.epochs,
        batchSize: spec.batchSize,
        learningRate: spec.learningRate,
        schedule: `cosine decay to ${LR_FLOOR} x learningRate over the epochs`,
        valueWeight,
        gradWeight: spec.gradWeight,
        validationSplit: spec.validationSplit,
        patience: spec.patience,
        seed: spec.seed,
      },
      status,
      epochsRun: history.length,
      bestEpoch: keptEpoch,
      backend,
      trainRows: nTrain,
      validationRows: nVal,
      last: history.length > 0 ? history[history.length - 1] : null,
    };
    const model = new MlpModel(inputs, outputs, spec.activation, weights, norm, info);
    return { model, status, history, backend };
  } finally {
    step.ops.release();
  }
}
