/**
 * Reads a model folder (model.json + weights files + autograd-lens.json) without TensorFlow.js, for
 * the exports: they run in the extension host, which never loads TensorFlow.js. The layout is the one
 * src/core/model/serialize.ts writes (and python/autograd_lens_train.py writes the same): a Sequential
 * of Dense layers, `AutogradLensSin` layers after the hidden Dense layers of a sin network, one weights
 * manifest of float32 kernel/bias pairs. A test checks this reader against `loadMlp` bit for bit.
 */
import { promises as fsp, existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Activation } from '../model/types';
import type { DenseWeights } from '../model/reference';
import { validateNormalization, type NormalizationState } from '../model/normalization';

export const METADATA_FILE = 'autograd-lens.json';
export const MODEL_FILE = 'model.json';
export const MODEL_FORMAT = 'autograd-lens-mlp';
export const MODEL_FORMAT_VERSION = 1;
const SIN_LAYER_CLASS = 'AutogradLensSin';
const FROM_KERAS: Record<string, Activation> = { tanh: 'tanh', softplus: 'softplus', swish: 'silu', relu: 'relu' };

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

export interface ModelFolder {
  dir: string;
  inputs: string[];
  outputs: string[];
  activation: Activation;
  hidden: number[];
  normalization: NormalizationState;
  layers: DenseWeights[];
  /** The weights exactly as stored (float32 little-endian, manifest order) and their specs. */
  weightBytes: Uint8Array;
  weightSpecs: WeightSpec[];
  /** The whole autograd-lens.json. */
  metadata: Record<string, unknown>;
}

function bad(dir: string, why: string): never {
  throw new Error(`'${dir}' is not a usable model folder: ${why}`);
}

export async function readModelFolder(dir: string): Promise<ModelFolder> {
  if (!existsSync(dir)) throw new Error(`model folder '${dir}' does not exist`);
  const metaPath = path.join(dir, METADATA_FILE);
  if (!existsSync(metaPath)) bad(dir, `${METADATA_FILE} is missing (train a model first, or pick the folder that holds it)`);
  let metadata: Record<string, unknown>;
  let model: { modelTopology?: { config?: { layers?: { class_name: string; config: Record<string, unknown> }[] } }; weightsManifest?: { paths: string[]; weights: WeightSpec[] }[] };
  try {
    metadata = JSON.parse(await fsp.readFile(metaPath, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    return bad(dir, `${METADATA_FILE} is not valid JSON (${(err as Error).message})`);
  }
  if (metadata.format !== MODEL_FORMAT) bad(dir, `${METADATA_FILE} has format '${String(metadata.format)}', expected '${MODEL_FORMAT}'`);
  if (typeof metadata.formatVersion !== 'number' || metadata.formatVersion > MODEL_FORMAT_VERSION) bad(dir, `format version ${String(metadata.formatVersion)} is newer than this tool reads`);
  try {
    model = JSON.parse(await fsp.readFile(path.join(dir, MODEL_FILE), 'utf8')) as typeof model;
  } catch (err) {
    return bad(dir, `${MODEL_FILE} is missing or not valid JSON (${(err as Error).message})`);
  }
  const inputs = metadata.inputs;
  const outputs = metadata.outputs;
  if (!Array.isArray(inputs) || !inputs.every((s) => typeof s === 'string')) bad(dir, "'inputs' must be a list of names");
  if (!Array.isArray(outputs) || !outputs.every((s) => typeof s === 'string')) bad(dir, "'outputs' must be a list of names");
  const topo = model.modelTopology?.config?.layers;
  if (!Array.isArray(topo)) bad(dir, `${MODEL_FILE} has no layer list`);
  const dense = topo.filter((l) => l.class_name === 'Dense');
  const sin = topo.some((l) => l.class_name === SIN_LAYER_CLASS);
  const other = topo.find((l) => l.class_name !== 'Dense' && l.class_name !== SIN_LAYER_CLASS);
  if (other) bad(dir, `layer class '${other.class_name}' is not one this tool writes`);
  let activation: Activation | null = null;
  dense.slice(0, -1).forEach((l) => {
    const keras = String(l.config.activation ?? 'linear');
    const act = sin && keras === 'linear' ? 'sin' : FROM_KERAS[keras];
    if (!act) bad(dir, `activation '${keras}' is not one this tool offers`);
    if (activation && act !== activation) bad(dir, 'hidden layers with different activations');
    activation = act;
  });
  if (dense.length && String(dense[dense.length - 1].config.activation ?? 'linear') !== 'linear') bad(dir, 'the output layer is not linear');
  const act = (activation ?? (metadata.activation as Activation | undefined) ?? 'tanh') as Activation;
  if (metadata.activation !== undefined && dense.length > 1 && metadata.activation !== act) bad(dir, `${METADATA_FILE} says activation '${String(metadata.activation)}' but ${MODEL_FILE} has '${act}'`);

  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  for (const group of model.weightsManifest ?? []) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const file = path.resolve(dir, p);
      if (path.dirname(file) !== path.resolve(dir)) bad(dir, `weights path '${p}' points outside the model folder`);
      try {
        chunks.push(new Uint8Array(await fsp.readFile(file)));
      } catch {
        bad(dir, `weights file '${p}' is missing`);
      }
    }
  }
  const total = chunks.reduce((s, c) => s + c.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  if (specs.length !== 2 * dense.length) bad(dir, `${specs.length} weight tensors for ${dense.length} dense layers`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 0;
  const read = (spec: WeightSpec): Float32Array => {
    if (spec.dtype !== 'float32') bad(dir, `weight ${spec.name} is ${spec.dtype}, not float32`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (off + 4 * count > bytes.byteLength) bad(dir, 'the weights file is shorter than its manifest');
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(off + 4 * i, true);
    off += 4 * count;
    return out;
  };
  const layers: DenseWeights[] = dense.map((_, l) => {
    const ks = specs[2 * l];
    const bs = specs[2 * l + 1];
    if (ks.shape.length !== 2 || bs.shape.length !== 1 || bs.shape[0] !== ks.shape[1]) bad(dir, `layer ${l + 1}: kernel ${JSON.stringify(ks.shape)} and bias ${JSON.stringify(bs.shape)} do not fit`);
    const W = read(ks);
    const b = read(bs);
    return { nIn: ks.shape[0], nOut: ks.shape[1], W, b };
  });
  if (off !== bytes.byteLength) bad(dir, `the weights files hold ${bytes.byteLength} bytes, the manifest describes ${off}`);
  if (!layers.length) bad(dir, `${MODEL_FILE} has no Dense layers`);
  if (layers[0].nIn !== inputs.length) bad(dir, `the network takes ${layers[0].nIn} inputs, ${inputs.length} are named`);
  if (layers[layers.length - 1].nOut !== outputs.length) bad(dir, `the network gives ${layers[layers.length - 1].nOut} outputs, ${outputs.length} are named`);
  for (let l = 1; l < layers.length; l++) if (layers[l].nIn !== layers[l - 1].nOut) bad(dir, `layer ${l + 1} does not fit layer ${l}`);
  let normalization: NormalizationState;
  try {
    normalization = validateNormalization(metadata.normalization, inputs.length, outputs.length);
  } catch (err) {
    return bad(dir, (err as Error).message);
  }
  return {
    dir: path.resolve(dir),
    inputs: inputs as string[],
    outputs: outputs as string[],
    activation: act,
    hidden: layers.slice(0, -1).map((l) => l.nOut),
    normalization,
    layers,
    weightBytes: bytes,
    weightSpecs: specs,
    metadata,
  };
}

/**
 * Outputs known only up to an additive constant: trained on derivative samples only (no value column,
 * or `--fit derivatives`). Their predicted values carry an arbitrary offset.
 */
export function outputsUpToConstant(m: ModelFolder): string[] {
  const spec = m.metadata.spec as { fit?: string } | undefined;
  if (spec?.fit === 'derivatives') return [...m.outputs];
  return m.outputs.filter((_, k) => m.normalization.outputScaleSource[k] === 'derivatives');
}

/** Training range per input as recorded with the model (null when the folder predates it). */
export function trainingRanges(m: ModelFolder): Record<string, [number, number]> | null {
  const r = m.metadata.trainingRange as Record<string, [number, number]> | undefined;
  return r && typeof r === 'object' ? r : null;
}
