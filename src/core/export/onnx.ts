/**
 * `autograd-lens export MODEL_DIR --format onnx --out FILE.onnx`: the model as an ONNX graph with the
 * raw-units contract of the PyTorch export: one input per model input column and one output per model
 * output column, each [N, 1] float32 with a dynamic batch dimension N, named like the columns; the
 * normalization is inside (in float64, as the extension computes it), so the graph maps raw inputs to
 * raw outputs:
 *
 *   Concat(inputs) -> Cast(double) -> Sub(x_offset) -> Div(x_scale) -> Cast(float)
 *   -> [MatMul(W) -> Add(b) -> activation] per hidden layer -> MatMul(W) -> Add(b)
 *   -> Cast(double) -> Mul(y_scale) -> Add(y_offset) -> Cast(float) -> Split -> outputs
 *
 * Activations: Tanh, Softplus, Relu, Sin, and silu as x * Sigmoid(x). Opset 13, IR version 7. The
 * model's names, training ranges, normalization, training record and the derivative-only caveat are in
 * `metadata_props`. Encoded with onnx-proto (the ONNX schema compiled for protobufjs).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import type { Activation } from '../model/types';
import { describeModel } from './pytorch';
import { outputsUpToConstant, readModelFolder, trainingRanges, type ModelFolder } from './folder';

export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 7;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const DOUBLE = onnx.TensorProto.DataType.DOUBLE;
const INT = onnx.AttributeProto.AttributeType.INT;

function valueInfo(name: string, elemType: number, doc: string): onnx.IValueInfoProto {
  return { name, docString: doc, type: { tensorType: { elemType, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }] } } } };
}

function node(opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []): onnx.INodeProto {
  return { opType, input, output, name: output[0], attribute };
}

const intAttr = (name: string, i: number): onnx.IAttributeProto => ({ name, type: INT, i });

/** The ONNX ModelProto of a model folder (not yet encoded). */
export function onnxModel(m: ModelFolder, producerVersion = 'dev'): onnx.IModelProto {
  const d = m.inputs.length;
  const k = m.outputs.length;
  const init: onnx.ITensorProto[] = [];
  const nodes: onnx.INodeProto[] = [];
  const f64 = (name: string, values: number[]) => init.push({ name, dims: [values.length], dataType: DOUBLE, doubleData: values });
  f64('agl/x_offset', m.normalization.inputs.offset);
  f64('agl/x_scale', m.normalization.inputs.scale);
  f64('agl/y_offset', m.normalization.outputs.offset);
  f64('agl/y_scale', m.normalization.outputs.scale);
  let x: string;
  if (d === 1) {
    x = m.inputs[0];
  } else {
    nodes.push(node('Concat', [...m.inputs], ['agl/x'], [intAttr('axis', 1)]));
    x = 'agl/x';
  }
  nodes.push(node('Cast', [x], ['agl/x64'], [intAttr('to', DOUBLE)]));
  nodes.push(node('Sub', ['agl/x64', 'agl/x_offset'], ['agl/x64_centred']));
  nodes.push(node('Div', ['agl/x64_centred', 'agl/x_scale'], ['agl/xn64']));
  nodes.push(node('Cast', ['agl/xn64'], ['agl/h0'], [intAttr('to', FLOAT)]));
  let h = 'agl/h0';
  m.layers.forEach((w, l) => {
    const W = `agl/dense_${l + 1}/kernel`;
    const b = `agl/dense_${l + 1}/bias`;
    init.push({ name: W, dims: [w.nIn, w.nOut], dataType: FLOAT, floatData: Array.from(w.W) });
    init.push({ name: b, dims: [w.nOut], dataType: FLOAT, floatData: Array.from(w.b) });
    nodes.push(node('MatMul', [h, W], [`agl/dense_${l + 1}/matmul`]));
    nodes.push(node('Add', [`agl/dense_${l + 1}/matmul`, b], [`agl/dense_${l + 1}/z`]));
    h = `agl/dense_${l + 1}/z`;
    if (l < m.layers.length - 1) {
      const a = `agl/dense_${l + 1}/a`;
      nodes.push(...activationNodes(m.activation, h, a));
      h = a;
    }
  });
  nodes.push(node('Cast', [h], ['agl/yn64'], [intAttr('to', DOUBLE)]));
  nodes.push(node('Mul', ['agl/yn64', 'agl/y_scale'], ['agl/y64_scaled']));
  nodes.push(node('Add', ['agl/y64_scaled', 'agl/y_offset'], ['agl/y64']));
  if (k === 1) {
    nodes.push(node('Cast', ['agl/y64'], [m.outputs[0]], [intAttr('to', FLOAT)]));
  } else {
    nodes.push(node('Cast', ['agl/y64'], ['agl/y'], [intAttr('to', FLOAT)]));
    nodes.push(node('Split', ['agl/y'], [...m.outputs], [intAttr('axis', 1)]));
  }
  const ranges = trainingRanges(m);
  const upToConstant = outputsUpToConstant(m);
  const doc = describeModel(m, `${m.outputs.join(', ')} from ${m.inputs.join(', ')}: an Autograd Lens surrogate (raw units in and out, normalization inside).`).join('\n');
  const props: Record<string, string> = {
    'autograd-lens.format': 'autograd-lens-mlp',
    inputs: JSON.stringify(m.inputs),
    outputs: JSON.stringify(m.outputs),
    activation: m.activation,
    hidden: JSON.stringify(m.hidden),
    normalization: JSON.stringify(m.normalization),
    trainingRange: JSON.stringify(ranges),
    training: JSON.stringify(m.metadata.training ?? null),
    data: JSON.stringify(m.metadata.data ?? null),
    knownUpToAConstant: JSON.stringify(upToConstant),
  };
  if (upToConstant.length) props.warning = `${upToConstant.join(', ')}: trained on derivatives only; the values are known only up to an additive constant`;
  return {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'autograd-lens',
    producerVersion,
    docString: doc,
    graph: {
      name: 'autograd_lens_mlp',
      docString: doc,
      node: nodes,
      initializer: init,
      input: m.inputs.map((n) => valueInfo(n, FLOAT, `input '${n}', raw units${ranges?.[n] ? `; trained on ${ranges[n][0]} .. ${ranges[n][1]}` : ''}`)),
      output: m.outputs.map((n) => valueInfo(n, FLOAT, `output '${n}', raw units${upToConstant.includes(n) ? ' (known up to an additive constant)' : ''}`)),
    },
    metadataProps: Object.entries(props).map(([key, value]) => ({ key, value })),
  };
}

function activationNodes(act: Activation, z: string, out: string): onnx.INodeProto[] {
  switch (act) {
    case 'tanh':
      return [node('Tanh', [z], [out])];
    case 'softplus':
      return [node('Softplus', [z], [out])];
    case 'relu':
      return [node('Relu', [z], [out])];
    case 'sin':
      return [node('Sin', [z], [out])];
    case 'silu':
      return [node('Sigmoid', [z], [`${z}_sigmoid`]), node('Mul', [z, `${z}_sigmoid`], [out])];
    default:
      throw new Error(`activation '${String(act)}' has no ONNX form here`);
  }
}

/** The encoded bytes of the ONNX model of a model folder. */
export function encodeOnnx(m: ModelFolder, producerVersion?: string): Uint8Array {
  const proto = onnx.ModelProto.create(onnxModel(m, producerVersion));
  const err = onnx.ModelProto.verify(proto);
  if (err) throw new Error(`internal: the ONNX model does not fit the schema: ${err}`);
  return onnx.ModelProto.encode(proto).finish();
}

/** Writes FILE.onnx for the model in `modelDir`. */
export async function exportOnnx(modelDir: string, outFile: string, producerVersion?: string): Promise<{ files: string[]; upToConstant: string[] }> {
  const m = await readModelFolder(modelDir);
  const bytes = encodeOnnx(m, producerVersion);
  await fsp.mkdir(path.dirname(path.resolve(outFile)), { recursive: true });
  await fsp.writeFile(outFile, bytes);
  return { files: [path.resolve(outFile)], upToConstant: outputsUpToConstant(m) };
}
