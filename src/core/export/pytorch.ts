/**
 * `autograd-lens export MODEL_DIR --format pytorch --out DIR`: DIR/model.py and DIR/model_weights.bin.
 *
 * model.py holds the module definition of python/autograd_lens_mlp.py (the same text the PyTorch
 * training engine imports), this model's names, sizes, normalization and training record, and
 * `load(dtype=torch.float32, device=None)`, which returns an `AutogradLensMLP` mapping RAW inputs
 * [N, n_in] to RAW outputs [N, n_out] with the normalization inside as buffers, so
 * `torch.autograd.grad(net(x)[:, k].sum(), x)` is d y_k / d x in raw units. model_weights.bin is the
 * model folder's weights.bin byte for byte (float32 little-endian, kernels [n_in, n_out] and biases
 * in the order of WEIGHT_SPECS). Only PyTorch is needed to use it.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { MODULE_SCRIPT, torchScriptDir } from '../torch/python';
import { outputsUpToConstant, readModelFolder, trainingRanges, type ModelFolder } from './folder';

export const PYTORCH_MODEL_FILE = 'model.py';
export const PYTORCH_WEIGHTS_FILE = 'model_weights.bin';

/** A Python string literal for any text (JSON text included): json.dumps output is valid Python. */
function pyStr(s: string): string {
  return JSON.stringify(s);
}

/** A value as a Python expression: JSON parsed at import (true/false/null are not Python literals). */
function pyJson(v: unknown): string {
  return `json.loads(${pyStr(JSON.stringify(v))})`;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x);
}

/** The docstring of model.py: what goes in and out, the training ranges, how it was trained. */
export function describeModel(m: ModelFolder, title: string): string[] {
  const ranges = trainingRanges(m);
  const training = (m.metadata.training ?? null) as { settings?: Record<string, unknown>; status?: string; epochsRun?: number; backend?: string } | null;
  const data = m.metadata.data as { path?: string; sha256?: string; rows?: number } | undefined;
  const spec = m.metadata.spec as { fit?: string; grads?: { output: string; input: string; column: string }[] } | undefined;
  const upToConstant = outputsUpToConstant(m);
  const lines = [title, ''];
  lines.push(`Inputs (raw units, the columns of the input tensor in this order): ${m.inputs.join(', ')}`);
  if (ranges) for (const i of m.inputs) if (ranges[i]) lines.push(`    ${i}: trained on ${fmt(ranges[i][0])} .. ${fmt(ranges[i][1])}`);
  lines.push(`Outputs (raw units, the columns of the output tensor in this order): ${m.outputs.join(', ')}`);
  lines.push(`Network: ${[m.inputs.length, ...m.hidden, m.outputs.length].join('-')} dense layers, ${m.activation} activation, linear output;`);
  const sx = m.normalization.inputs;
  const sy = m.normalization.outputs;
  lines.push(`normalization '${m.normalization.kind}' inside the module: x_n = (x - offset) / scale, y = y_n * scale + offset`);
  lines.push(`    input offsets ${sx.offset.map(fmt).join(', ')}; scales ${sx.scale.map(fmt).join(', ')}`);
  lines.push(`    output offsets ${sy.offset.map(fmt).join(', ')}; scales ${sy.scale.map(fmt).join(', ')}`);
  if (training) {
    const s = training.settings ?? {};
    lines.push(
      `Trained by ${training.backend ?? 'Autograd Lens'}: ${training.epochsRun ?? '?'} epochs (${training.status ?? '?'}), batch ${String(s.batchSize)}, Adam lr ${String(s.learningRate)} with ${String(s.schedule ?? 'a schedule')}, seed ${String(s.seed)}, fit ${spec?.fit ?? 'both'}${spec?.grads?.length ? ` with derivative columns ${spec.grads.map((g) => `${g.output}/${g.input}=${g.column}`).join(', ')} (weight ${String(s.gradWeight)})` : ''}.`,
    );
  }
  if (data?.path) lines.push(`Data: ${data.path} (relative to the model folder)${data.rows !== undefined ? `, ${data.rows} rows` : ''}${data.sha256 ? `, SHA-256 ${data.sha256}` : ''}.`);
  if (upToConstant.length) {
    lines.push('');
    lines.push(`WARNING: ${upToConstant.join(', ')} ${upToConstant.length > 1 ? 'were' : 'was'} trained on derivatives only, so ${upToConstant.length > 1 ? 'their values are' : 'its value is'} known only up to an`);
    lines.push('additive constant: derivatives are meaningful, predicted values carry an arbitrary offset.');
  }
  return lines;
}

/** The text of model.py for this model. `moduleSource` is python/autograd_lens_mlp.py. */
export function pytorchModelPy(m: ModelFolder, moduleSource: string): string {
  const upToConstant = outputsUpToConstant(m);
  const doc = describeModel(m, `${m.outputs.join(', ')} from ${m.inputs.join(', ')}: an Autograd Lens surrogate for PyTorch.`);
  const firstOut = m.outputs[0];
  const usage = [
    'Use (needs only PyTorch):',
    '',
    '    import sys, torch',
    '    sys.path.insert(0, "<the folder of this file>")',
    '    import model',
    `    net = model.load()                      # raw [N, ${m.inputs.length}] -> raw [N, ${m.outputs.length}]; model.load(torch.float64) for float64`,
    `    x = torch.tensor([[${m.inputs.map(() => '0.0').join(', ')}]], requires_grad=True)`,
    '    y = net(x)',
    `    (dy_dx,) = torch.autograd.grad(y[:, 0].sum(), x)   # d ${firstOut} / d (${m.inputs.join(', ')}), raw units`,
  ];
  const body = moduleSource.replace(/\s+$/, '');
  return [
    '"""' + [...doc, '', ...usage].join('\n').replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"'),
    '',
    'Written by `autograd-lens export --format pytorch`; the weights are in model_weights.bin beside this file.',
    '"""',
    'import json',
    'import os',
    'import warnings',
    '',
    '# ---- the module definition (autograd_lens_mlp.py, shared with the Autograd Lens PyTorch engine) ----',
    body,
    '',
    '# ---- this model ----',
    `INPUTS = ${pyJson(m.inputs)}`,
    `OUTPUTS = ${pyJson(m.outputs)}`,
    `HIDDEN = ${pyJson(m.hidden)}`,
    `ACTIVATION = ${pyStr(m.activation)}`,
    `NORMALIZATION = ${pyJson(m.normalization)}`,
    `TRAINING_RANGE = ${pyJson(trainingRanges(m))}`,
    `TRAINING = ${pyJson(m.metadata.training ?? null)}`,
    `DATA = ${pyJson(m.metadata.data ?? null)}`,
    `# outputs trained on derivatives only: their values are known up to an additive constant`,
    `KNOWN_UP_TO_A_CONSTANT = ${pyJson(upToConstant)}`,
    `WEIGHTS_FILE = ${pyStr(PYTORCH_WEIGHTS_FILE)}`,
    `WEIGHT_SPECS = ${pyJson(m.weightSpecs)}`,
    '',
    '',
    'def load(dtype=torch.float32, device=None):',
    '    """The model as a torch.nn.Module (eval mode): raw inputs [N, len(INPUTS)] -> raw outputs [N, len(OUTPUTS)].',
    '',
    '    dtype: torch.float32 (the trained weights; normalization in float64) or torch.float64 (everything).',
    '    """',
    '    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), WEIGHTS_FILE), "rb") as fh:',
    '        data = fh.read()',
    '    net = AutogradLensMLP(INPUTS, OUTPUTS, HIDDEN, ACTIVATION, NORMALIZATION)',
    '    net.set_dense_weights(dense_weights_from_bytes(WEIGHT_SPECS, data))',
    '    if dtype == torch.float64:',
    '        net = net.double()',
    '    elif dtype != torch.float32:',
    '        raise ValueError(f"dtype must be torch.float32 or torch.float64, got {dtype}")',
    '    if KNOWN_UP_TO_A_CONSTANT:',
    '        warnings.warn(f"{\', \'.join(KNOWN_UP_TO_A_CONSTANT)}: trained on derivatives only, so the predicted values are known only up to an additive constant (derivatives are meaningful)", stacklevel=2)',
    '    net.eval()',
    '    return net if device is None else net.to(device)',
    '',
  ].join('\n');
}

/** Writes DIR/model.py and DIR/model_weights.bin; returns the two paths. */
export async function exportPytorch(modelDir: string, outDir: string, moduleSource?: string): Promise<{ files: string[]; upToConstant: string[] }> {
  const m = await readModelFolder(modelDir);
  const src = moduleSource ?? (await fsp.readFile(path.join(torchScriptDir(), MODULE_SCRIPT), 'utf8'));
  await fsp.mkdir(outDir, { recursive: true });
  const py = path.join(outDir, PYTORCH_MODEL_FILE);
  const bin = path.join(outDir, PYTORCH_WEIGHTS_FILE);
  await fsp.writeFile(bin, m.weightBytes);
  await fsp.writeFile(py, pytorchModelPy(m, src));
  return { files: [py, bin], upToConstant: outputsUpToConstant(m) };
}
