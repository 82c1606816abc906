/**
 * The PyTorch training engine (python/autograd_lens_train.py driven by src/core/torch/engine.ts),
 * with Debian's PyTorch: the same seeded streams, normalization and initial weights as the
 * TensorFlow.js engine; the two engines' losses over the first epochs from the same data; a model
 * trained by one and evaluated by the other; cancel mid-epoch; what a missing Python or PyTorch says.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Prng } from '../../../src/core/model/prng';
import { computeNormalization } from '../../../src/core/model/normalization';
import { DEFAULT_INIT, initWeights } from '../../../src/core/model/train';
import { loadMlp } from '../../../src/core/model/index';
import { runTrain } from '../../../src/core/pipeline/run';
import { probeTorch } from '../../../src/core/torch/python';
import { writeSeeds } from '../../fixtures/data/seeds';
import { TEST_PYTHON, pyJson } from './python';

const dir = mkdtempSync(join(tmpdir(), 'agl-torch-'));
const files = writeSeeds(dir);
after(() => rmSync(dir, { recursive: true, force: true }));

const TORCH = { engine: 'torch' as const, python: TEST_PYTHON, device: 'cpu', threads: 1 };

test('the test interpreter has PyTorch (the tests below need it; .ci/run installs python3-torch)', async () => {
  const p = await probeTorch(TEST_PYTHON);
  assert.ok(p.ok, p.error);
  assert.match(p.torch ?? '', /^\d+\.\d+/);
});

test('the Python generator gives the TypeScript Prng stream bit for bit (split, init and batch order)', () => {
  const seeds = [0, 1, 7, -3, 2 ** 31 + 5, 123456789];
  const py = pyJson<number[][]>(
    `import json, sys\nfrom autograd_lens_train import Prng\nout = []\nfor s in json.loads(sys.argv[1]):\n    p = Prng(s)\n    out.append([p.next_uint32() for _ in range(200)] + p.permutation(50) + p.uint32_block(30).tolist() + [p.next_uint32()] + p.permutation(20000))\nprint(json.dumps(out))`,
    [JSON.stringify(seeds)],
  );
  seeds.forEach((s, i) => {
    const p = new Prng(s);
    const ts = [...Array.from({ length: 200 }, () => p.nextUint32()), ...Array.from(p.permutation(50)), ...Array.from({ length: 31 }, () => p.nextUint32()), ...Array.from(p.permutation(20000))];
    assert.deepEqual(py[i], ts, `seed ${s}`);
  });
});

test('normalization and initial weights: Python equals TypeScript (every kind and scheme)', () => {
  assert.equal(pyJson<string>('import json\nfrom autograd_lens_train import DEFAULT_INIT\nprint(json.dumps(DEFAULT_INIT))'), DEFAULT_INIT, 'the default init of a spec without one');
  const n = 37;
  const rng = new Prng(11);
  const col = (scale: number, off: number) => Float64Array.from({ length: n }, () => off + scale * (rng.next() - 0.3));
  const x = [col(10, 3), col(0.01, -2), new Float64Array(n).fill(4)]; // the last one constant
  const y = [col(100, 50), null];
  const dy = [[null, null, null], [col(2, 1), null, col(5, 0)]];
  const rows = Int32Array.from({ length: 30 }, (_, i) => (i * 7) % n);
  const payload = JSON.stringify({ x: x.map((c) => Array.from(c)), y: y.map((c) => (c ? Array.from(c) : null)), dy: dy.map((r) => r.map((c) => (c ? Array.from(c) : null))), rows: Array.from(rows) });
  const py = pyJson<{ norm: Record<string, unknown>; init: Record<string, [number[][], number[]][]> }>(
    [
      'import json, sys',
      'import numpy as np',
      'from autograd_lens_train import Prng, compute_normalization, init_weights',
      'd = json.loads(sys.argv[1])',
      'a = lambda c: None if c is None else np.array(c, dtype=np.float64)',
      'x = [a(c) for c in d["x"]]; y = [a(c) for c in d["y"]]; dy = [[a(c) for c in r] for r in d["dy"]]',
      'rows = np.array(d["rows"], dtype=np.int64)',
      'norm = {k: compute_normalization(k, x, y, dy, rows) for k in ("minmax", "standard", "none")}',
      'init = {}',
      'for scheme, act in (("fan-in", "silu"), ("glorot", "tanh"), ("siren", "sin")):',
      '    init[scheme] = [(w.tolist(), b.tolist()) for w, b in init_weights([3, 5, 4, 2], Prng(3 * 4 + 2), scheme, act)]',
      'print(json.dumps({"norm": norm, "init": init}))',
    ].join('\n'),
    [payload],
  );
  for (const kind of ['minmax', 'standard', 'none'] as const) {
    const ts = computeNormalization(kind, x, y, dy, rows);
    assert.deepEqual(py.norm[kind], JSON.parse(JSON.stringify(ts)), kind);
  }
  for (const [scheme, act] of [['fan-in', 'silu'], ['glorot', 'tanh'], ['siren', 'sin']] as const) {
    const ts = initWeights([3, 5, 4, 2], new Prng(3 * 4 + 2), scheme, act);
    py.init[scheme].forEach(([w, b], l) => {
      assert.deepEqual(w.flat(), Array.from(ts[l].W), `${scheme} layer ${l} W`);
      assert.deepEqual(b, Array.from(ts[l].b), `${scheme} layer ${l} b`);
    });
  }
});

/**
 * Same seed, so the same split, initial weights and batches: the engines differ only in float32
 * round-off (summation order in the kernels, tanh/sigmoid implementations) and the derivative method
 * (forward-mode tangents vs double backward). Measured: |relative difference| of the epoch losses
 * stays below 1e-5 over 8 epochs; the tolerance is 1e-3, far below what a real difference gives
 * (another batch order alone moves the first epoch's loss by ~10 %).
 */
const LOSS_TOL = 1e-3;
for (const c of [
  { name: 'values, validation split, silu', spec: { activation: 'silu', validationSplit: 0.2 } },
  { name: 'values + derivatives, tanh, batch 32', spec: { activation: 'tanh', batchSize: 32, grads: [{ output: 'f', input: 'x', column: 'df_dx' }, { output: 'f', input: 'y', column: 'df_dy' }] } },
  { name: 'one derivative pair only, sin, standard', spec: { activation: 'sin', normalize: 'standard', grads: [{ output: 'f', input: 'y', column: 'df_dy' }] } },
] as const) {
  test(`the two engines give the same losses over the first epochs: ${c.name}`, async () => {
    const base = { data: files.seed002, inputs: ['x', 'y'], outputs: ['f'], epochs: 6, hidden: [32, 32], ...c.spec };
    const a = await runTrain({ ...base, outDir: join(dir, `same-tfjs-${c.name.length}`) } as never, {}, { engine: 'tfjs' });
    const b = await runTrain({ ...base, outDir: join(dir, `same-torch-${c.name.length}`) } as never, {}, TORCH);
    assert.equal(b.report.engine, 'torch');
    assert.match(b.report.backend ?? '', /^torch /);
    assert.equal(a.history.length, 6);
    assert.equal(b.history.length, 6);
    a.history.forEach((h, i) => {
      const o = b.history[i];
      for (const key of ['loss', 'valueLoss', 'gradLoss', 'valLoss'] as const) {
        const u = h[key];
        const v = o[key];
        if (u === null || v === null) {
          assert.equal(u, v, `${key} present in both, epoch ${i + 1}`);
          continue;
        }
        assert.ok(Math.abs(v / u - 1) < LOSS_TOL, `epoch ${i + 1} ${key}: tfjs ${u}, torch ${v}`);
      }
      assert.equal(o.learningRate, h.learningRate);
    });
  });
}

test('early stopping: both engines stop at the same epoch and keep the same best epoch', async () => {
  const base = { data: files.seed002, inputs: ['x', 'y'], outputs: ['f'], epochs: 60, hidden: [8], learningRate: 0.05, validationSplit: 0.3, patience: 3, batchSize: 16 };
  const a = await runTrain({ ...base, outDir: join(dir, 'stop-tfjs') }, {}, { engine: 'tfjs' });
  const b = await runTrain({ ...base, outDir: join(dir, 'stop-torch') }, {}, TORCH);
  assert.equal(a.status, 'stopped-early', 'the case must stop early to test anything');
  assert.equal(b.status, a.status);
  assert.equal(b.history.length, a.history.length);
  const info = async (d: string) => {
    const r = await loadMlp(d);
    r.model.dispose();
    return r.metadata.training as { bestEpoch: number | null; epochsRun: number };
  };
  const [ia, ib] = [await info(join(dir, 'stop-tfjs')), await info(join(dir, 'stop-torch'))];
  assert.ok(ia.bestEpoch !== null && ia.bestEpoch < ia.epochsRun, `best epoch ${ia.bestEpoch} of ${ia.epochsRun}`);
  assert.equal(ib.bestEpoch, ia.bestEpoch);
});

test('a model trained by one engine, evaluated by the other: same predictions and derivatives to float32 round-off', async () => {
  const grads = [{ output: 'f', input: 'x', column: 'df_dx' }, { output: 'f', input: 'y', column: 'df_dy' }];
  const base = { data: files.seed002, inputs: ['x', 'y'], outputs: ['f'], grads, epochs: 20, hidden: [16, 16], activation: 'softplus' as const };
  await runTrain({ ...base, outDir: join(dir, 'by-torch') }, {}, TORCH);
  await runTrain({ ...base, outDir: join(dir, 'by-tfjs') }, {}, { engine: 'tfjs' });
  const pts = [Float64Array.from([-5, -1.3, 0, 2.2, 4.9, 3.3]), Float64Array.from([4.8, -2.5, 0.1, 1, -4.4, 0])];
  for (const which of ['by-torch', 'by-tfjs']) {
    const { model } = await loadMlp(join(dir, which));
    const y = model.predict(pts)[0];
    const J = model.jacobian(pts)[0];
    model.dispose();
    const py = pyJson<{ y: number[]; J: number[][] }>(
      [
        'import json, sys, torch',
        'from autograd_lens_mlp import load_model_folder',
        'net = load_model_folder(sys.argv[1])',
        'x = torch.tensor(json.loads(sys.argv[2]), dtype=torch.float64).t().contiguous().requires_grad_(True)',
        'y = net(x)',
        '(g,) = torch.autograd.grad(y[:, 0].sum(), x)',
        'print(json.dumps({"y": y[:, 0].tolist(), "J": g.t().tolist()}))',
      ].join('\n'),
      [join(dir, which), JSON.stringify(pts.map((c) => Array.from(c)))],
    );
    const yMax = Math.max(...py.y.map(Math.abs));
    py.y.forEach((v, r) => assert.ok(Math.abs(v - y[r]) <= 1e-5 * yMax, `${which} y[${r}]: torch ${v}, tfjs ${y[r]}`));
    for (let i = 0; i < 2; i++) {
      const jMax = Math.max(...py.J[i].map(Math.abs));
      py.J[i].forEach((v, r) => assert.ok(Math.abs(v - J[i][r]) <= 1e-5 * jMax, `${which} dF/dx${i}[${r}]: torch ${v}, tfjs ${J[i][r]}`));
    }
  }
});

test('the torch engine saves the same model folder: loadMlp reads it, the report has its metrics', async () => {
  const out = join(dir, 'torch-folder');
  const r = await runTrain({ data: files.seed003, inputs: ['x1', 'x2'], outputs: ['V'], grads: [{ output: 'V', input: 'x1', column: 'dV_dx1' }, { output: 'V', input: 'x2', column: 'dV_dx2' }], epochs: 5, outDir: out }, {}, TORCH);
  assert.equal(r.status, 'completed');
  assert.equal(r.report.modelDir, out);
  const { model, metadata } = await loadMlp(out);
  assert.deepEqual(model.inputs, ['x1', 'x2']);
  assert.equal((metadata.training as { backend: string }).backend.startsWith('torch '), true);
  assert.equal((metadata.report as { engine?: string }).engine, 'torch');
  assert.equal(model.normalization.outputScaleSource[0], 'derivatives');
  model.dispose();
});

test('cancel mid-epoch: status cancelled, no model folder, no temporary files, the Python process gone', async () => {
  // 200,000 rows in batches of 4: an epoch is 50,000 steps (many seconds even for the fastest step
  // seen, ~0.3 ms on a loaded 2-core machine), so the cancel 3 s in lands inside the first one.
  const n = 200000;
  const lines = ['a,b'];
  for (let i = 0; i < n; i++) lines.push(`${(i % 997) / 99},${Math.sin(i)}`);
  const data = join(dir, 'big.csv');
  writeFileSync(data, lines.join('\n'));
  const before = readdirSync(tmpdir()).filter((f) => f.startsWith('autograd-lens-torch-')).length;
  const ac = new AbortController();
  const out = join(dir, 'cancelled');
  const t0 = Date.now();
  const r = await runTrain({ data, inputs: ['a'], outputs: ['b'], epochs: 1000, batchSize: 4, outDir: out }, { signal: ac.signal, onEngine: () => setTimeout(() => ac.abort(), 3000) }, TORCH);
  assert.equal(r.status, 'cancelled');
  assert.equal(r.report.modelDir, null);
  assert.ok(r.history.length <= 1, `cancelled inside the first epochs, got ${r.history.length} epochs`);
  assert.ok(Date.now() - t0 < 60_000);
  assert.equal(existsSync(out), false, 'no model folder');
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.cancelled')), [], 'no temp siblings');
  const afterCount = readdirSync(tmpdir()).filter((f) => f.startsWith('autograd-lens-torch-')).length;
  assert.ok(afterCount <= before, 'the engine removed its temporary folder');
});

test('missing Python or PyTorch: a clear message naming what to install; auto falls back to TensorFlow.js', async () => {
  const seed = { data: files.seed000, inputs: ['x'], outputs: ['y'], epochs: 2 };
  const none = await runTrain({ ...seed, outDir: join(dir, 'fallback0') }, {}, { engine: 'auto', python: join(dir, 'no-such-python') });
  assert.equal(none.report.engine, 'tfjs');
  assert.match(none.report.engineNote ?? '', /auto found no usable PyTorch: Python was not found.*install Python 3 with PyTorch/);
  await assert.rejects(runTrain({ ...seed, outDir: join(dir, 'no0') }, {}, { engine: 'torch', python: join(dir, 'no-such-python') }), /PyTorch engine cannot run: Python was not found/);
  // An interpreter without torch: the system Python with site-packages off (-S).
  const noTorch = join(dir, 'python-without-site');
  writeFileSync(noTorch, `#!/bin/sh\nexec ${TEST_PYTHON} -S "$@"\n`);
  chmodSync(noTorch, 0o755);
  const p = await probeTorch(noTorch);
  assert.equal(p.ok, false);
  assert.match(p.error ?? '', /needs torch.*pip install torch/);
  const r = await runTrain({ data: files.seed000, inputs: ['x'], outputs: ['y'], epochs: 2, outDir: join(dir, 'fallback') }, {}, { engine: 'auto', python: noTorch });
  assert.equal(r.report.engine, 'tfjs');
  assert.match(r.report.engineNote ?? '', /auto found no usable PyTorch: PyTorch training needs torch/);
  await assert.rejects(runTrain({ data: files.seed000, inputs: ['x'], outputs: ['y'], epochs: 2, outDir: join(dir, 'no') }, {}, { engine: 'torch', python: noTorch }), /needs torch/);
});

test('a diverging torch run is a failed result with the same message as the tfjs engine', async () => {
  const r = await runTrain({ data: files.seed002, inputs: ['x', 'y'], outputs: ['f'], learningRate: 1e30, epochs: 3, outDir: join(dir, 'diverged') }, {}, TORCH);
  assert.equal(r.status, 'failed');
  assert.match(r.report.warnings.find((w) => w.code === 'training-failed')?.message ?? '', /training diverged: the loss is (NaN|Infinity) in epoch 1; lower the learning rate/);
  assert.equal(existsSync(join(dir, 'diverged')), false);
});

test('the script runs alone on a spec file (as on a GPU server) and its folder analyses like any other', async () => {
  const work = join(dir, 'alone');
  rmSync(work, { recursive: true, force: true });
  const spec = { data: '../seed000.csv', inputs: ['x'], outputs: ['y'], grads: [], references: [{ output: 'y', expression: 'x^3 + 7 - 3*x' }], normalize: 'minmax', hidden: [64, 64], activation: 'silu', epochs: 3000, batchSize: 64, learningRate: 0.01, gradWeight: 1, validationSplit: 0, patience: 0, seed: 0, outDir: 'model', fit: 'both', init: 'fan-in' };
  const { mkdirSync } = await import('node:fs');
  mkdirSync(work);
  writeFileSync(join(work, 'spec.json'), JSON.stringify(spec));
  const { spawnSync } = await import('node:child_process');
  const { torchScriptDir } = await import('../../../src/core/torch/python');
  const r = spawnSync(TEST_PYTHON, [join(torchScriptDir(), 'autograd_lens_train.py'), join(work, 'spec.json'), '--device', 'cpu'], { encoding: 'utf8', timeout: 600_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /completed after 3000 epochs \(torch /);
  const { runAnalyze } = await import('../../../src/core/pipeline/run');
  const a = await runAnalyze(join(work, 'model'), null, []);
  const d = a.report.derivatives['y/x'];
  assert.equal(d.reference, 'expression', 'the spec in the folder carries the reference');
  assert.ok(d.medianRatio > 0.8 && d.medianRatio < 1.25, `median ratio ${d.medianRatio}`);
});
