/**
 * A trained (or loaded) MLP: raw-unit predictions, Jacobians and Hessians through the normalization,
 * atomic save and load.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fsp, existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Activation, EpochProgress, Normalization, RunStatus } from './types';
import type { DenseWeights } from './reference';
import { validateNormalization, type NormalizationState } from './normalization';
import { forwardHessian, forwardJacobian, forwardValues, reverseJacobian, type TfLayer } from './network';
import { jacobianModeFor } from './step';
import { artifactsFromFiles, decodeLayersModel, encodeLayersModel, WEIGHTS_FILE } from './serialize';
import { ensureBackend } from './backend';
import { interruptedSaveOf, ModelFileError, writeFolderAtomically } from './folder';

export { ModelFileError } from './folder';

export const METADATA_FILE = 'autograd-lens.json';
export const MODEL_FILE = 'model.json';
export const MODEL_FORMAT = 'autograd-lens-mlp';
export const MODEL_FORMAT_VERSION = 1;

/** How the model was trained; stored in autograd-lens.json under `training`. */
export interface TrainingInfo {
  settings: {
    normalize: Normalization;
    hidden: number[];
    activation: Activation;
    epochs: number;
    batchSize: number;
    learningRate: number;
    /** Learning-rate schedule, see docs/model-engine.md. */
    schedule: string;
    valueWeight: number;
    gradWeight: number;
    validationSplit: number;
    patience: number;
    seed: number;
  };
  status: RunStatus;
  epochsRun: number;
  /** Epoch whose weights were kept (1-based), or null when the last weights were kept. */
  bestEpoch: number | null;
  backend: string;
  trainRows: number;
  validationRows: number;
  last: EpochProgress | null;
}

export interface Mlp {
  readonly inputs: string[];
  readonly outputs: string[];
  readonly activation: Activation;
  readonly hidden: number[];
  readonly normalization: NormalizationState;
  readonly training: TrainingInfo | null;
  /** raw inputs (one array per input, all length n) → raw outputs, one array per output */
  predict(x: Float64Array[]): Float64Array[];
  /** [k][i] = d y_k / d x_i at each point, raw units */
  jacobian(x: Float64Array[]): Float64Array[][];
  /** [k][i][j] = d2 y_k / (d x_i d x_j), raw units; throws a clear error for relu */
  hessian(x: Float64Array[]): Float64Array[][][];
  /** Weights (float32, normalized units), e.g. for the float64 reference evaluation. */
  weights(): DenseWeights[];
  /** Writes model.json + weights.bin + autograd-lens.json atomically into `dir`. */
  save(dir: string, metadata: Record<string, unknown>): Promise<void>;
  dispose(): void;
}

/** Memory budget per chunk of points, in float32 elements of the largest intermediate. */
const CHUNK_ELEMENTS = 1 << 23;
const MAX_CHUNK_ROWS = 100_000;

export class MlpModel implements Mlp {
  private tfLayers: TfLayer[] | null = null;
  private disposed = false;

  constructor(
    readonly inputs: string[],
    readonly outputs: string[],
    readonly activation: Activation,
    private readonly layers: DenseWeights[],
    readonly normalization: NormalizationState,
    readonly training: TrainingInfo | null = null,
  ) {
    if (layers.length === 0) throw new Error('an MLP needs at least its output layer');
    if (layers[0].nIn !== inputs.length) throw new Error(`network takes ${layers[0].nIn} inputs, ${inputs.length} input names given`);
    const last = layers[layers.length - 1];
    if (last.nOut !== outputs.length) throw new Error(`network has ${last.nOut} outputs, ${outputs.length} output names given`);
    for (let l = 1; l < layers.length; l++) {
      if (layers[l].nIn !== layers[l - 1].nOut) throw new Error(`layer ${l + 1} takes ${layers[l].nIn} inputs but layer ${l} gives ${layers[l - 1].nOut}`);
    }
    for (const w of layers) {
      if (w.W.length !== w.nIn * w.nOut || w.b.length !== w.nOut) throw new Error('weight array sizes do not match the layer sizes');
    }
    validateNormalization(normalization, inputs.length, outputs.length);
  }

  get hidden(): number[] {
    return this.layers.slice(0, -1).map((l) => l.nOut);
  }

  weights(): DenseWeights[] {
    return this.layers.map((l) => ({ nIn: l.nIn, nOut: l.nOut, W: Float32Array.from(l.W), b: Float32Array.from(l.b) }));
  }

  private tensors(): TfLayer[] {
    if (this.disposed) throw new Error('this model has been disposed');
    if (!this.tfLayers) {
      this.tfLayers = this.layers.map((l) => ({
        W: tf.keep(tf.tensor2d(l.W, [l.nIn, l.nOut], 'float32')),
        b: tf.keep(tf.tensor1d(l.b, 'float32')),
      }));
    }
    return this.tfLayers;
  }

  /** Checks the raw input columns; returns n. */
  private checkInputs(x: Float64Array[]): number {
    const d = this.inputs.length;
    if (!Array.isArray(x) || x.length !== d) throw new Error(`expected ${d} input arrays (${this.inputs.join(', ')}), got ${Array.isArray(x) ? x.length : typeof x}`);
    const n = x[0].length;
    for (let i = 0; i < d; i++) {
      if (x[i].length !== n) throw new Error(`input '${this.inputs[i]}' has ${x[i].length} values, '${this.inputs[0]}' has ${n}`);
      for (let r = 0; r < n; r++) {
        if (!Number.isFinite(x[i][r])) throw new Error(`input '${this.inputs[i]}' is not a finite number at point ${r} (${x[i][r]})`);
      }
    }
    return n;
  }

  /** Normalized float32 rows [rows, d] for points [start, end). */
  private normalizedChunk(x: Float64Array[], start: number, end: number): tf.Tensor2D {
    const d = this.inputs.length;
    const rows = end - start;
    const buf = new Float32Array(rows * d);
    const { offset, scale } = this.normalization.inputs;
    for (let i = 0; i < d; i++) {
      const col = x[i];
      const o = offset[i];
      const s = scale[i];
      for (let r = 0; r < rows; r++) buf[r * d + i] = (col[start + r] - o) / s;
    }
    return tf.tensor2d(buf, [rows, d], 'float32');
  }

  private chunkRows(order: 0 | 1 | 2): number {
    const d = this.inputs.length;
    // first derivatives need min(d, m) passes (forward or reverse mode, see jacobian)
    const passes = Math.min(d, this.outputs.length);
    const width = Math.max(this.outputs.length, d, ...this.layers.map((l) => l.nOut));
    const per = width * (order === 0 ? 2 : order === 1 ? 2 + 2 * passes : 3 + 3 * d + 3 * d * d);
    return Math.max(64, Math.min(MAX_CHUNK_ROWS, Math.floor(CHUNK_ELEMENTS / per)));
  }

  predict(x: Float64Array[]): Float64Array[] {
    const n = this.checkInputs(x);
    const m = this.outputs.length;
    const out = Array.from({ length: m }, () => new Float64Array(n));
    const layers = this.tensors();
    const step = this.chunkRows(0);
    const { offset, scale } = this.normalization.outputs;
    for (let start = 0; start < n; start += step) {
      const end = Math.min(n, start + step);
      const y = tf.tidy(() => forwardValues(layers, this.activation, this.normalizedChunk(x, start, end)));
      const v = y.dataSync();
      y.dispose();
      for (let r = 0; r < end - start; r++) for (let k = 0; k < m; k++) out[k][start + r] = v[r * m + k] * scale[k] + offset[k];
    }
    return out;
  }

  /**
   * By forward-mode tangents when the outputs are at least as many as the inputs, by reverse mode
   * (one backward pass per output) when they are fewer: min(d, m) passes either way.
   */
  jacobian(x: Float64Array[]): Float64Array[][] {
    const n = this.checkInputs(x);
    const m = this.outputs.length;
    const d = this.inputs.length;
    const out = Array.from({ length: m }, () => Array.from({ length: d }, () => new Float64Array(n)));
    const layers = this.tensors();
    const step = this.chunkRows(1);
    const sx = this.normalization.inputs.scale;
    const sy = this.normalization.outputs.scale;
    const reverse = jacobianModeFor(d, m) === 'reverse';
    for (let start = 0; start < n; start += step) {
      const end = Math.min(n, start + step);
      const rows = end - start;
      const J = tf.tidy(() => (reverse ? reverseJacobian : forwardJacobian)(layers, this.activation, this.normalizedChunk(x, start, end)).J);
      const v = J.dataSync(); // forward: [d, rows, m]; reverse: [m, rows, d]
      J.dispose();
      for (let i = 0; i < d; i++) {
        for (let k = 0; k < m; k++) {
          const f = sy[k] / sx[i];
          const dst = out[k][i];
          if (reverse) for (let r = 0; r < rows; r++) dst[start + r] = v[(k * rows + r) * d + i] * f;
          else for (let r = 0; r < rows; r++) dst[start + r] = v[(i * rows + r) * m + k] * f;
        }
      }
    }
    return out;
  }

  hessian(x: Float64Array[]): Float64Array[][][] {
    if (this.activation === 'relu') {
      throw new Error('the Hessian of a relu network is zero almost everywhere and undefined at the kinks; train with a smooth activation (tanh, softplus, silu, sin) to get second derivatives');
    }
    const n = this.checkInputs(x);
    const m = this.outputs.length;
    const d = this.inputs.length;
    const out = Array.from({ length: m }, () => Array.from({ length: d }, () => Array.from({ length: d }, () => new Float64Array(n))));
    const layers = this.tensors();
    const step = this.chunkRows(2);
    const sx = this.normalization.inputs.scale;
    const sy = this.normalization.outputs.scale;
    for (let start = 0; start < n; start += step) {
      const end = Math.min(n, start + step);
      const rows = end - start;
      const Hs = tf.tidy(() => forwardHessian(layers, this.activation, this.normalizedChunk(x, start, end)).Hs);
      const v = Hs.dataSync(); // [d, d, rows, m]
      Hs.dispose();
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          for (let k = 0; k < m; k++) {
            const f = sy[k] / (sx[i] * sx[j]);
            const dst = out[k][i][j];
            for (let r = 0; r < rows; r++) dst[start + r] = v[((i * d + j) * rows + r) * m + k] * f;
          }
        }
      }
    }
    return out;
  }

  /** The content of autograd-lens.json: the caller's metadata plus the engine's own keys. */
  metadataJson(metadata: Record<string, unknown>): Record<string, unknown> {
    return {
      ...metadata,
      format: MODEL_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      inputs: this.inputs,
      outputs: this.outputs,
      activation: this.activation,
      hidden: this.hidden,
      normalization: this.normalization,
      network: { file: MODEL_FILE, units: 'normalized', note: 'raw = normalized * scale + offset per column; see normalization' },
      training: this.training,
    };
  }

  async save(dir: string, metadata: Record<string, unknown>): Promise<void> {
    if (this.disposed) throw new Error('this model has been disposed');
    const { modelJson, weights } = await encodeLayersModel(this.layers, this.activation);
    const meta = JSON.stringify(this.metadataJson(metadata ?? {}), null, 2) + '\n';
    await writeFolderAtomically(
      dir,
      [
        { name: MODEL_FILE, data: modelJson },
        { name: WEIGHTS_FILE, data: weights },
        { name: METADATA_FILE, data: meta },
      ],
      { markerFile: METADATA_FILE, ownFiles: [MODEL_FILE, WEIGHTS_FILE, METADATA_FILE] },
    );
  }

  dispose(): void {
    if (this.tfLayers) {
      for (const l of this.tfLayers) tf.dispose([l.W, l.b]);
      this.tfLayers = null;
    }
    this.disposed = true;
  }
}

/** Loads a model folder written by `Mlp.save`. `metadata` is the whole autograd-lens.json. */
export async function loadMlp(dir: string): Promise<{ model: Mlp; metadata: Record<string, unknown> }> {
  await ensureBackend();
  const metaPath = path.join(dir, METADATA_FILE);
  const modelPath = path.join(dir, MODEL_FILE);
  const damaged = 'the model folder is damaged (an interrupted copy or save?): train the model again';
  if (!existsSync(dir)) {
    const interrupted = interruptedSaveOf(dir);
    throw new ModelFileError(
      `model folder '${dir}' does not exist${interrupted ? `; an interrupted save left the previous model in '${interrupted}': the next training into this folder restores it, or rename it back yourself` : ''}`,
    );
  }
  if (!existsSync(metaPath)) throw new ModelFileError(`'${dir}' is not a model folder: ${METADATA_FILE} is missing`);
  if (!existsSync(modelPath)) throw new ModelFileError(`'${dir}' is incomplete: ${MODEL_FILE} is missing; ${damaged}`);
  let metadata: Record<string, unknown>;
  try {
    metadata = JSON.parse(await fsp.readFile(metaPath, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new ModelFileError(`${metaPath} is not valid JSON (${(err as Error).message}); ${damaged}`);
  }
  if (!metadata || typeof metadata !== 'object') throw new ModelFileError(`${metaPath} does not hold a JSON object; ${damaged}`);
  if (metadata.format !== MODEL_FORMAT) throw new ModelFileError(`${metaPath}: format is '${String(metadata.format)}', expected '${MODEL_FORMAT}'`);
  if (typeof metadata.formatVersion !== 'number' || metadata.formatVersion > MODEL_FORMAT_VERSION) {
    throw new ModelFileError(`${metaPath}: format version ${String(metadata.formatVersion)} is newer than this tool reads (${MODEL_FORMAT_VERSION})`);
  }
  const inputs = metadata.inputs;
  const outputs = metadata.outputs;
  if (!Array.isArray(inputs) || !inputs.every((s) => typeof s === 'string')) throw new ModelFileError(`${metaPath}: 'inputs' must be a list of names`);
  if (!Array.isArray(outputs) || !outputs.every((s) => typeof s === 'string')) throw new ModelFileError(`${metaPath}: 'outputs' must be a list of names`);
  const modelText = await fsp.readFile(modelPath, 'utf8');
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(modelText) as tf.io.ModelJSON;
  } catch (err) {
    throw new ModelFileError(`${modelPath} is not valid JSON (${(err as Error).message}); ${damaged}`);
  }
  if (!json || typeof json !== 'object' || !Array.isArray(json.weightsManifest) || !json.modelTopology) {
    throw new ModelFileError(`${modelPath} is not a TensorFlow.js layers model (modelTopology or weightsManifest missing); ${damaged}`);
  }
  const weightBytes = new Map<string, Uint8Array>();
  for (const g of json.weightsManifest) {
    const expected = (g.weights ?? []).reduce((sum, w) => sum + (w.shape ?? []).reduce((a, b) => a * b, 1) * (DTYPE_BYTES[w.dtype ?? 'float32'] ?? 4), 0);
    let got = 0;
    for (const p of g.paths ?? []) {
      const file = path.resolve(dir, p);
      if (path.dirname(file) !== path.resolve(dir)) throw new ModelFileError(`${modelPath}: weights path '${p}' points outside the model folder`);
      try {
        const bytes = new Uint8Array(await fsp.readFile(file));
        weightBytes.set(p, bytes);
        got += bytes.byteLength;
      } catch {
        throw new ModelFileError(`'${dir}' is incomplete: weights file '${p}' is missing; ${damaged}`);
      }
    }
    if (got !== expected) {
      const names = (g.paths ?? []).map((p) => path.join(dir, p)).join(', ');
      throw new ModelFileError(
        `${names} ${got < expected ? 'is truncated' : 'is too long'}: ${got.toLocaleString('en-US')} bytes where ${MODEL_FILE} describes ${expected.toLocaleString('en-US')}; ${damaged}`,
      );
    }
  }
  let layers: DenseWeights[];
  let activation: Activation;
  try {
    const artifacts = artifactsFromFiles(modelText, (p) => weightBytes.get(p) as Uint8Array);
    ({ layers, activation } = await decodeLayersModel(artifacts));
  } catch (err) {
    throw new ModelFileError(`${modelPath} cannot be loaded (${(err as Error).message}); ${damaged}`);
  }
  if (metadata.activation !== undefined && metadata.activation !== activation && !(layers.length === 1)) {
    throw new ModelFileError(`${metaPath} says activation '${String(metadata.activation)}' but ${MODEL_FILE} has '${activation}'`);
  }
  let normalization: NormalizationState;
  try {
    normalization = validateNormalization(metadata.normalization, inputs.length, outputs.length);
  } catch (err) {
    throw new ModelFileError(`${metaPath}: ${(err as Error).message}; ${damaged}`);
  }
  const training = (metadata.training ?? null) as TrainingInfo | null;
  const model = new MlpModel(inputs as string[], outputs as string[], (metadata.activation as Activation) ?? activation, layers, normalization, training);
  return { model, metadata };
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, string: 1, uint8: 1, float16: 2 };
