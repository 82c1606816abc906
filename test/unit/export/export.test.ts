/**
 * Export to PyTorch (model.py + model_weights.bin) and ONNX, checked with Debian's PyTorch and
 * python3-onnx and with ONNX Runtime (onnxruntime-node):
 * - for every activation and normalization, the exported module's predictions and torch.autograd
 *   Jacobians equal the extension's own (`analyze --export`, i.e. exportDerivativesCsv of the loaded
 *   model) to 1e-4 relative in float32, and the float64 module equals the extension's float64
 *   evaluation of the same weights (reference.ts) to 1e-6;
 * - onnx.checker accepts every ONNX file and ONNX Runtime gives the same predictions (1e-4);
 * - a derivative-only model says it is known up to a constant (docstring, warning, metadata);
 * - seed 000 end to end: train on the post's ten points, export, dy/dx in Python has the right scale.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { runTrain, exportDerivativesCsv } from '../../../src/core/pipeline/index';
import { loadMlp, evalPoint64 } from '../../../src/core/model/index';
import { exportOnnx, exportPytorch, readModelFolder } from '../../../src/core/export/index';
import type { Activation, Normalization } from '../../../src/core/model/types';
import { writeSeeds } from '../../fixtures/data/seeds';
import { bundleForNode, root } from '../pipeline/bundle';
import { TEST_PYTHON, pyJson } from '../torch/python';

const dir = mkdtempSync(join(tmpdir(), 'agl-export-'));
const files = writeSeeds(dir);
const cli = join(root, 'out', 'test-cli-export', 'cli.js');
after(() => rmSync(dir, { recursive: true, force: true }));
before(async () => bundleForNode('src/cli/main.ts', cli));

/** Inputs off 0 and of very different scales, two outputs with offsets: the normalization matters. */
const DATA = join(dir, 'shifted.csv');
{
  const rows = ['p,q,u,v'];
  for (let i = 0; i < 150; i++) {
    const p = 2 + 2 * ((i * 37) % 150) / 150;
    const q = -0.02 + 0.05 * ((i * 91) % 150) / 150;
    rows.push(`${p},${q},${Math.sin(3 * p) + 400 * q},${1000 + p * q * 200}`);
  }
  writeFileSync(DATA, rows.join('\n') + '\n');
}

const ACTIVATIONS: Activation[] = ['tanh', 'softplus', 'silu', 'sin', 'relu'];
const NORMALIZATIONS: Normalization[] = ['minmax', 'standard', 'none'];

interface Ext {
  x: number[][];
  y: number[][];
  J: number[][][];
}

/** The extension's own answer: `analyze --export` (the loaded model's predictions and Jacobians). */
async function extensionCsv(modelDir: string): Promise<Ext> {
  const { model } = await loadMlp(modelDir);
  try {
    const csv = await exportDerivativesCsv(model, DATA);
    const [head, ...lines] = csv.trim().split('\n');
    const cols = head.split(',');
    const rows = lines.map((l) => l.split(',').map(Number));
    const col = (name: string) => rows.map((r) => r[cols.indexOf(name)]);
    return {
      x: [col('p'), col('q')],
      y: [col('u'), col('v')],
      J: ['u', 'v'].map((o) => ['p', 'q'].map((i) => col(`d${o}_d${i}`))),
    };
  } finally {
    model.dispose();
  }
}

function close(a: number[], b: number[], tol: number, what: string): void {
  const scale = Math.max(...b.map(Math.abs), 1e-30);
  a.forEach((v, r) => assert.ok(Math.abs(v - b[r]) <= tol * scale, `${what}[${r}]: ${v} vs ${b[r]} (tolerance ${tol} of ${scale})`));
}

const PY_EVAL = [
  'import importlib.util, json, sys, warnings',
  'import torch',
  'spec = importlib.util.spec_from_file_location("exported_model", sys.argv[1])',
  'model = importlib.util.module_from_spec(spec)',
  'spec.loader.exec_module(model)',
  'x = json.loads(sys.argv[2])',
  'out = {}',
  'for name, dtype in (("f32", torch.float32), ("f64", torch.float64)):',
  '    with warnings.catch_warnings(record=True) as caught:',
  '        warnings.simplefilter("always")',
  '        net = model.load(dtype)',
  '    xt = torch.tensor(x, dtype=dtype).t().contiguous().requires_grad_(True)',
  '    y = net(xt)',
  '    J = []',
  '    for k in range(y.shape[1]):',
  '        (g,) = torch.autograd.grad(y[:, k].sum(), xt, retain_graph=True)',
  '        J.append(g.t().tolist())',
  '    out[name] = {"y": y.t().tolist(), "J": J, "dtype": str(y.dtype), "warnings": [str(w.message) for w in caught]}',
  '    assert isinstance(net, torch.nn.Module) and not net.training',
  'print(json.dumps(out))',
].join('\n');

for (const act of ACTIVATIONS) {
  for (const norm of NORMALIZATIONS) {
    test(`export ${act} / ${norm}: PyTorch module and ONNX equal the extension (1e-4 float32, 1e-6 float64)`, async () => {
      const modelDir = join(dir, `m-${act}-${norm}`);
      await runTrain({ data: DATA, inputs: ['p', 'q'], outputs: ['u', 'v'], activation: act, normalize: norm, hidden: [12, 10], epochs: 4, outDir: modelDir }, {}, { engine: 'tfjs' });
      const ext = await extensionCsv(modelDir);
      const pyDir = join(dir, `py-${act}-${norm}`);
      await exportPytorch(modelDir, pyDir);
      const py = pyJson<Record<'f32' | 'f64', { y: number[][]; J: number[][][]; dtype: string; warnings: string[] }>>(PY_EVAL, [join(pyDir, 'model.py'), JSON.stringify(ext.x)]);
      assert.equal(py.f32.dtype, 'torch.float32');
      assert.equal(py.f64.dtype, 'torch.float64');
      assert.deepEqual(py.f32.warnings, []);
      // float32: against the extension's analyze --export
      for (let k = 0; k < 2; k++) {
        close(py.f32.y[k], ext.y[k], 1e-4, `f32 y${k}`);
        for (let i = 0; i < 2; i++) close(py.f32.J[k][i], ext.J[k][i], 1e-4, `f32 J${k}${i}`);
      }
      // float64: against the extension's float64 evaluation of the same weights (reference.ts)
      const m = await readModelFolder(modelDir);
      const { inputs: sxo, outputs: syo } = m.normalization;
      const n64 = ext.x[0].length;
      const ref = { y: [0, 1].map(() => new Array<number>(n64)), J: [0, 1].map(() => [0, 1].map(() => new Array<number>(n64))) };
      for (let r = 0; r < n64; r++) {
        const p = evalPoint64(m.layers, act, [0, 1].map((i) => (ext.x[i][r] - sxo.offset[i]) / sxo.scale[i]));
        for (let k = 0; k < 2; k++) {
          ref.y[k][r] = p.y[k] * syo.scale[k] + syo.offset[k];
          for (let i = 0; i < 2; i++) ref.J[k][i][r] = (p.J[k * 2 + i] * syo.scale[k]) / sxo.scale[i];
        }
      }
      for (let k = 0; k < 2; k++) {
        close(py.f64.y[k], ref.y[k], 1e-6, `f64 y${k}`);
        for (let i = 0; i < 2; i++) close(py.f64.J[k][i], ref.J[k][i], 1e-6, `f64 J${k}${i}`);
      }
      // ONNX: the checker accepts it, ONNX Runtime gives the same predictions
      const onnxFile = join(dir, `m-${act}-${norm}.onnx`);
      await exportOnnx(modelDir, onnxFile);
      const chk = pyJson<{ inputs: string[]; outputs: string[]; props: Record<string, string>; dims: string[] }>(
        [
          'import json, sys, onnx',
          'm = onnx.load(sys.argv[1])',
          'onnx.checker.check_model(m, full_check=True)',
          'print(json.dumps({"inputs": [i.name for i in m.graph.input], "outputs": [o.name for o in m.graph.output],',
          '                  "props": {p.key: p.value for p in m.metadata_props}, "dims": [i.type.tensor_type.shape.dim[0].dim_param for i in m.graph.input]}))',
        ].join('\n'),
        [onnxFile],
      );
      assert.deepEqual(chk.inputs, ['p', 'q']);
      assert.deepEqual(chk.outputs, ['u', 'v']);
      assert.deepEqual(chk.dims, ['N', 'N'], 'dynamic batch dimension');
      assert.equal(chk.props.activation, act);
      assert.deepEqual(JSON.parse(chk.props.inputs), ['p', 'q']);
      assert.deepEqual(JSON.parse(chk.props.normalization), JSON.parse(JSON.stringify(m.normalization)));
      const session = await ort.InferenceSession.create(onnxFile);
      const n = ext.x[0].length;
      const res = await session.run({ p: new ort.Tensor('float32', Float32Array.from(ext.x[0]), [n, 1]), q: new ort.Tensor('float32', Float32Array.from(ext.x[1]), [n, 1]) });
      close(Array.from(res.u.data as Float32Array), ext.y[0], 1e-4, 'onnx u');
      close(Array.from(res.v.data as Float32Array), ext.y[1], 1e-4, 'onnx v');
      await session.release();
    });
  }
}

test('the tfjs-free folder reader gives loadMlp\'s weights bit for bit (tfjs- and torch-written sin folders)', async () => {
  for (const engine of ['tfjs', 'torch'] as const) {
    const modelDir = join(dir, `reader-${engine}`);
    await runTrain({ data: files.seed002, inputs: ['x', 'y'], outputs: ['f'], activation: 'sin', hidden: [6, 5], epochs: 2, outDir: modelDir }, {}, engine === 'torch' ? { engine, python: TEST_PYTHON, device: 'cpu' } : { engine });
    const a = await readModelFolder(modelDir);
    const { model } = await loadMlp(modelDir);
    const b = model.weights();
    model.dispose();
    assert.equal(a.activation, 'sin');
    assert.deepEqual(a.hidden, [6, 5]);
    a.layers.forEach((l, i) => {
      assert.deepEqual(Array.from(l.W), Array.from(b[i].W), `${engine} W${i}`);
      assert.deepEqual(Array.from(l.b), Array.from(b[i].b), `${engine} b${i}`);
    });
  }
  await assert.rejects(readModelFolder(dir), /not a usable model folder: autograd-lens.json is missing/);
  await assert.rejects(readModelFolder(join(dir, 'nope')), /does not exist/);
});

test('a model trained on derivatives only: the export says its values are known up to a constant', async () => {
  const modelDir = join(dir, 'm003');
  await runTrain({ data: files.seed003, inputs: ['x1', 'x2'], outputs: ['V'], grads: [{ output: 'V', input: 'x1', column: 'dV_dx1' }, { output: 'V', input: 'x2', column: 'dV_dx2' }], epochs: 3, outDir: modelDir }, {}, { engine: 'tfjs' });
  const pyDir = join(dir, 'py003');
  const r = spawnSync(process.execPath, [cli, 'export', modelDir, '--format', 'pytorch', '--out', pyDir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning \[known-up-to-a-constant\]: V was trained on derivatives only/);
  const text = readFileSync(join(pyDir, 'model.py'), 'utf8');
  assert.match(text, /WARNING: V was trained on derivatives only/);
  const py = pyJson<{ warnings: string[]; known: string[] }>(
    'import json, sys, warnings\nsys.path.insert(0, sys.argv[1])\nimport model\nwith warnings.catch_warnings(record=True) as w:\n    warnings.simplefilter("always")\n    model.load()\nprint(json.dumps({"warnings": [str(x.message) for x in w], "known": model.KNOWN_UP_TO_A_CONSTANT}))',
    [pyDir],
  );
  assert.deepEqual(py.known, ['V']);
  assert.match(py.warnings.join('\n'), /V: trained on derivatives only/);
  const onnxFile = join(dir, 'm003.onnx');
  const o = spawnSync(process.execPath, [cli, 'export', modelDir, '--format', 'onnx', '--out', onnxFile, '--json'], { encoding: 'utf8' });
  assert.equal(o.status, 0, o.stderr);
  assert.deepEqual(JSON.parse(o.stdout).knownUpToAConstant, ['V']);
  const props = pyJson<Record<string, string>>('import json, sys, onnx\nm = onnx.load(sys.argv[1])\nprint(json.dumps({p.key: p.value for p in m.metadata_props}))', [onnxFile]);
  assert.deepEqual(JSON.parse(props.knownUpToAConstant), ['V']);
  assert.match(props.warning, /known only up to an additive constant/);
});

test('export on the command line: usage errors exit 2 with a message', () => {
  const run = (...a: string[]) => spawnSync(process.execPath, [cli, 'export', ...a], { encoding: 'utf8' });
  const noFormat = run(join(dir, 'm003'), '--out', join(dir, 'x'));
  assert.equal(noFormat.status, 2);
  assert.match(noFormat.stderr, /--format must be one of pytorch, onnx/);
  const notModel = run(dir, '--format', 'onnx', '--out', join(dir, 'x.onnx'));
  assert.equal(notModel.status, 2);
  assert.match(notModel.stderr, /not a usable model folder/);
  const noOut = run(join(dir, 'm003'), '--format', 'pytorch');
  assert.equal(noOut.status, 2);
  assert.match(noOut.stderr, /--out DIR is required/);
});

test('seed 000 end to end: trained on the post\'s ten points, exported, dy/dx in Python has the right scale', async () => {
  const modelDir = join(dir, 'm000');
  await runTrain({ data: files.seed000, inputs: ['x'], outputs: ['y'], normalize: 'minmax', epochs: 3000, outDir: modelDir }, {}, { engine: 'tfjs' });
  const pyDir = join(dir, 'py000');
  const r = spawnSync(process.execPath, [cli, 'export', modelDir, '--format', 'pytorch', '--out', pyDir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // The short script a user writes: the post's points, dy/dx by autograd, nothing about scalers.
  const xs = readFileSync(files.seed000, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
  const py = pyJson<{ dydx: number[] }>(
    [
      'import json, sys, torch',
      'sys.path.insert(0, sys.argv[1])',
      'import model',
      'net = model.load()',
      'x = torch.tensor(json.loads(sys.argv[2]), dtype=torch.float32).reshape(-1, 1).requires_grad_(True)',
      '(dydx,) = torch.autograd.grad(net(x).sum(), x)',
      'print(json.dumps({"dydx": dydx.reshape(-1).tolist()}))',
    ].join('\n'),
    [pyDir, JSON.stringify(xs)],
  );
  const ratios = xs.map((x, i) => py.dydx[i] / (3 * x * x - 3)).filter((q) => Number.isFinite(q)).sort((a, b) => a - b);
  const median = ratios[Math.floor(ratios.length / 2)];
  assert.ok(median > 0.8 && median < 1.25, `median ratio of dy/dx to 3x²-3: ${median} (the seed-000 bug gives about 10)`);
});
