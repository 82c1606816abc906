/** Training: repeatability, cancellation, early stopping, derivative-only and mixed data, sanity on seed problems. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainMlp, computeNormalization, DEFAULT_TRAIN_SETTINGS, type TrainData } from '../../../src/core/model/index';
import { backendReady, relL2, spec } from './helpers';

function grid(n: number, lo: number, hi: number): [Float64Array, Float64Array] {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    a.push(lo + ((hi - lo) * i) / (n - 1));
    b.push(lo + ((hi - lo) * j) / (n - 1));
  }
  return [Float64Array.from(a), Float64Array.from(b)];
}

/** f = x^3 + 5x + y^2 (seed 002) with values and df/dx samples. */
function smallProblem(): TrainData {
  const [x, y] = grid(8, -5, 5);
  return { x: [x, y], y: [x.map((v, i) => v ** 3 + 5 * v + y[i] ** 2)], dy: [[x.map((v) => 3 * v * v + 5), null]] };
}

const P = [
  [20.1892, -26.6218],
  [-26.6218, 38.0375],
];

test('same seed ⇒ same losses and weights; another seed ⇒ different', async () => {
  await backendReady();
  const s = spec(['x', 'y'], ['f'], { hidden: [16, 16], epochs: 15, batchSize: 16, validationSplit: 0.2, seed: 42 });
  const a = await trainMlp(smallProblem(), s);
  const b = await trainMlp(smallProblem(), s);
  const c = await trainMlp(smallProblem(), { ...s, seed: 43 });
  assert.deepEqual(a.history.map(({ elapsedMs, ...p }) => (void elapsedMs, p)), b.history.map(({ elapsedMs, ...p }) => (void elapsedMs, p)));
  const wa = a.model.weights();
  const wb = b.model.weights();
  wa.forEach((l, i) => {
    assert.deepEqual(l.W, wb[i].W);
    assert.deepEqual(l.b, wb[i].b);
  });
  assert.notDeepEqual(c.history.map((p) => p.loss), a.history.map((p) => p.loss));
  for (const p of a.history) {
    assert.ok(p.valueLoss !== null && p.gradLoss !== null && p.valLoss !== null, 'value, derivative and validation losses are reported');
    assert.ok(Math.abs(p.loss - (p.valueLoss + s.gradWeight * p.gradLoss)) <= 1e-5 * p.loss, 'loss = value + gradWeight * derivative');
  }
  assert.equal(a.status, 'completed');
  assert.equal(a.history.length, 15);
  assert.ok(a.history[14].loss < a.history[0].loss, 'the loss goes down');
  [a, b, c].forEach((r) => r.model.dispose());
});

test('cancellation: an abort during epoch k stops before epoch k+1 ends; a pre-aborted run trains nothing', async () => {
  await backendReady();
  const ac = new AbortController();
  const r = await trainMlp(smallProblem(), spec(['x', 'y'], ['f'], { hidden: [8], epochs: 1000, batchSize: 4 }), {
    signal: ac.signal,
    onProgress: (p) => {
      if (p.epoch === 3) ac.abort();
    },
  });
  assert.equal(r.status, 'cancelled');
  assert.equal(r.history.length, 3);
  assert.equal(r.model.predict([Float64Array.of(1), Float64Array.of(2)])[0].length, 1, 'the model of a cancelled run is usable');
  r.model.dispose();

  const pre = new AbortController();
  pre.abort();
  const r2 = await trainMlp(smallProblem(), spec(['x', 'y'], ['f'], { hidden: [8], epochs: 5 }), { signal: pre.signal });
  assert.equal(r2.status, 'cancelled');
  assert.equal(r2.history.length, 0);
  r2.model.dispose();
});

test('cancellation from a timer: training yields to the event loop between batches', async () => {
  await backendReady();
  const ac = new AbortController();
  let epochsAtAbort = -1;
  let seen = 0;
  const timer = setTimeout(() => {
    epochsAtAbort = seen;
    ac.abort();
  }, 100);
  // One epoch with 200,000 batches (the typed-array step runs 20,000 in well under 300 ms): the abort can
  // only land inside it if the loop yields between batches.
  const [x] = grid(2, 0, 1);
  const n = 200_000;
  const xs = Float64Array.from({ length: n }, (_, i) => i / n);
  const r = await trainMlp({ x: [xs], y: [xs.map((v) => v * v)], dy: [[null]] }, spec(['x'], ['y'], { hidden: [4], epochs: 100, batchSize: 1 }), {
    signal: ac.signal,
    onProgress: (p) => {
      seen = p.epoch;
    },
  });
  clearTimeout(timer);
  assert.ok(x.length > 0);
  assert.equal(r.status, 'cancelled');
  assert.equal(epochsAtAbort, 0, 'aborted inside the first epoch');
  assert.equal(r.history.length, 0, 'stopped within the epoch, before it finished');
  r.model.dispose();
});

test('early stopping restores the best weights and reports stopped-early', async () => {
  await backendReady();
  // Noisy values and a large learning rate: validation loss stops improving quickly.
  const [x, y] = grid(10, -1, 1);
  let s = 1;
  const noise = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 0.8;
  const f = x.map((v, i) => Math.sin(3 * v) + y[i] + noise());
  const r = await trainMlp({ x: [x, y], y: [f], dy: [[null, null]] }, spec(['x', 'y'], ['f'], { hidden: [64, 64], epochs: 400, batchSize: 8, learningRate: 0.02, validationSplit: 0.3, patience: 5, seed: 3 }));
  assert.equal(r.status, 'stopped-early');
  const vals = r.history.map((p) => p.valLoss as number);
  const bestEpoch = vals.indexOf(Math.min(...vals)) + 1;
  assert.equal(r.history.length, bestEpoch + 5, 'stopped patience epochs after the best');
  assert.equal(r.model.training?.bestEpoch, bestEpoch, 'best weights restored');
  assert.equal(r.model.training?.validationRows, 30);
  r.model.dispose();
});

test('seed 000: ten points of x^3 + 7 - 3x, values only, default settings learn dy/dx (median ratio 0.8-1.25)', async () => {
  await backendReady();
  const x = Float64Array.of(1.872678462764552, 2.4448616490329247, 4.4445634270474565, 6.139904037163629, 2.571250050248884, 2.817382806029692, 3.332011539496338, 7.201266008061427, 2.04220977299413, 5.550606341194321);
  const r = await trainMlp({ x: [x], y: [x.map((v) => v ** 3 + 7 - 3 * v)], dy: [[null]] }, spec(['x'], ['y']));
  const J = r.model.jacobian([x])[0][0];
  const ratios = Array.from(J, (v, i) => v / (3 * x[i] ** 2 - 3)).sort((a, b) => a - b);
  const median = (ratios[4] + ratios[5]) / 2;
  assert.ok(median >= 0.8 && median <= 1.25, `median ratio ${median} (${ratios.map((v) => v.toFixed(2)).join(' ')})`);
  r.model.dispose();
});

test('seed 003: derivative samples only (grad of x^T P x on a 10x10 grid), default settings, relL2 < 0.02', async () => {
  await backendReady();
  const [x1, x2] = grid(10, -3, 3);
  const g1 = x1.map((v, i) => 2 * (P[0][0] * v + P[0][1] * x2[i]));
  const g2 = x1.map((v, i) => 2 * (P[1][0] * v + P[1][1] * x2[i]));
  const r = await trainMlp({ x: [x1, x2], y: [null], dy: [[g1, g2]] }, spec(['x1', 'x2'], ['V']));
  assert.equal(r.history[0].valueLoss, null);
  assert.ok(r.history[0].gradLoss !== null);
  assert.equal(r.model.normalization.outputScaleSource[0], 'derivatives');
  const J = r.model.jacobian([x1, x2]);
  assert.ok(relL2(J[0][0], g1) < 0.02, `dV/dx1 relL2 ${relL2(J[0][0], g1)}`);
  assert.ok(relL2(J[0][1], g2) < 0.02, `dV/dx2 relL2 ${relL2(J[0][1], g2)}`);
  r.model.dispose();
});

test('mixed outputs: one with values only, one with a single derivative column', async () => {
  await backendReady();
  const [x, y] = grid(8, -1, 1);
  const data: TrainData = {
    x: [x, y],
    y: [x.map((v, i) => v * y[i]), null],
    dy: [
      [null, null],
      [x.map((v) => 4 * v), null], // g = 2x^2 + anything(y): only dg/dx known
    ],
  };
  const r = await trainMlp(data, spec(['x', 'y'], ['f', 'g'], { hidden: [32, 32], epochs: 300, batchSize: 16, activation: 'silu', learningRate: 0.01 }));
  const J = r.model.jacobian([x, y]);
  assert.ok(relL2(J[1][0], x.map((v) => 4 * v)) < 0.1, `dg/dx relL2 ${relL2(J[1][0], x.map((v) => 4 * v))}`);
  assert.ok(relL2(J[0][0], y) < 0.1, `df/dx relL2 ${relL2(J[0][0], y)}`);
  r.model.dispose();
});

test('relu networks train on values (their derivatives are piecewise constant)', async () => {
  await backendReady();
  const r = await trainMlp(smallProblem(), spec(['x', 'y'], ['f'], { hidden: [16], epochs: 5, activation: 'relu' }));
  assert.equal(r.status, 'completed');
  assert.ok(Number.isFinite(r.history[4].loss));
  r.model.dispose();
});

test('bad data and settings give clear errors', async () => {
  await backendReady();
  const good = smallProblem();
  const s = spec(['x', 'y'], ['f'], { epochs: 1 });
  await assert.rejects(trainMlp({ ...good, x: [good.x[0]] }, s), /expected 2 input columns/);
  await assert.rejects(trainMlp({ ...good, y: [good.y[0]!.map((v, i) => (i === 5 ? NaN : v))] }, s), /output 'f' is not a finite number at row 5/);
  await assert.rejects(trainMlp({ ...good, x: [good.x[0], good.x[1].subarray(1)] }, s), /has 63 values, the inputs have 64/);
  await assert.rejects(trainMlp({ ...good, y: [null], dy: [[null, null]] }, s), /neither values nor derivative samples/);
  await assert.rejects(trainMlp(good, { ...s, hidden: [0] }), /hidden\[0\] must be an integer >= 1/);
  await assert.rejects(trainMlp(good, { ...s, activation: 'gelu' as never }), /activation must be one of/);
  await assert.rejects(trainMlp(good, { ...s, learningRate: -1 }), /learningRate must be a positive number/);
  await assert.rejects(trainMlp(good, { ...s, validationSplit: 1 }), /validationSplit must be in \[0, 1\)/);
  await assert.rejects(trainMlp({ ...good, y: [null], dy: [[good.x[0], null]] }, { ...s, gradWeight: 0 }), /gradWeight is 0, but 'f' has only derivative samples/);
  // the backend is chosen once per process; asking for another one afterwards is an error, not a silent switch
  const { initBackend } = await import('../../../src/core/model/index');
  const current = await initBackend();
  await assert.rejects(initBackend(current === 'cpu' ? 'wasm' : 'cpu'), /already '.*' in this process; cannot switch/);
  assert.equal(await initBackend('auto'), current);
});

test('normalization: minmax to [-1, 1], standard, none; derivative-only scale; validation rows excluded', () => {
  const x = Float64Array.of(2, 4, 6, 100);
  const y = Float64Array.of(10, 20, 30, 1000);
  const rows = Int32Array.of(0, 1, 2); // row 3 held out
  const mm = computeNormalization('minmax', [x], [y], [[null]], rows);
  assert.deepEqual(mm.inputs, { offset: [4], scale: [2] });
  assert.deepEqual(mm.outputs, { offset: [20], scale: [10] });
  assert.deepEqual(mm.range, [-1, 1]);
  const st = computeNormalization('standard', [x], [y], [[null]], rows);
  assert.equal(st.inputs.offset[0], 4);
  assert.ok(Math.abs(st.inputs.scale[0] - Math.sqrt(8 / 3)) < 1e-12);
  const none = computeNormalization('none', [x], [y], [[null]]);
  assert.deepEqual(none.inputs, { offset: [0], scale: [1] });
  // derivative-only: scale = sqrt(sum_i mean((dy/dx_i * scale_x_i)^2)), offset 0
  const x2 = Float64Array.of(0, 10, 20, 30);
  const d1 = Float64Array.of(3, 3, 3, 3);
  const d2 = Float64Array.of(-1, 1, -1, 1);
  const dn = computeNormalization('minmax', [x, x2], [null], [[d1, d2]]);
  const sx = dn.inputs.scale;
  assert.ok(Math.abs(dn.outputs.scale[0] - Math.sqrt((3 * sx[0]) ** 2 + (1 * sx[1]) ** 2)) < 1e-12);
  assert.equal(dn.outputs.offset[0], 0);
  assert.equal(dn.outputScaleSource[0], 'derivatives');
  // a constant column gets scale 1 (no division by zero)
  const c = computeNormalization('standard', [Float64Array.of(5, 5, 5)], [Float64Array.of(1, 2, 3)], [[null]]);
  assert.deepEqual(c.inputs, { offset: [5], scale: [1] });
});

test('training, prediction and disposal leave no tensors behind', async () => {
  await backendReady();
  const tf = await import('@tensorflow/tfjs');
  const before = tf.memory().numTensors;
  const ac = new AbortController();
  const r = await trainMlp(smallProblem(), spec(['x', 'y'], ['f'], { hidden: [8, 8], epochs: 6, validationSplit: 0.25, patience: 2, learningRate: 0.5 }), {
    signal: ac.signal,
    onProgress: (p) => {
      if (p.epoch === 5) ac.abort();
    },
  });
  const [x, y] = grid(3, 0, 1);
  r.model.predict([x, y]);
  r.model.jacobian([x, y]);
  r.model.hessian([x, y]);
  r.model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('the learning-rate schedule reaches the optimizer (cosine: epoch 2 of 2 runs at 1 % of the rate)', async () => {
  await backendReady();
  const lr = 0.01;
  const base = spec(['x', 'y'], ['f'], { hidden: [8], batchSize: 64, learningRate: lr, seed: 9 });
  // one full-batch step per epoch; the first step is the same in both runs (same seed, lr_0 = lr)
  const one = await trainMlp(smallProblem(), { ...base, epochs: 1 });
  const two = await trainMlp(smallProblem(), { ...base, epochs: 2 });
  assert.equal(two.history[1].learningRate, lr * 0.01);
  const w1 = one.model.weights();
  const w2 = two.model.weights();
  let maxStep = 0;
  w1.forEach((l, i) => l.W.forEach((v, j) => (maxStep = Math.max(maxStep, Math.abs(w2[i].W[j] - v)))));
  // Adam moves each weight by at most ~1.5 x its rate per step: with the scheduled 1e-4 that is far
  // below what an ignored schedule (1e-2) would give.
  assert.ok(maxStep > 0 && maxStep < 0.05 * lr, `second step moved weights by up to ${maxStep}`);
  one.model.dispose();
  two.model.dispose();
});

test('defaults are the documented ones', () => {
  assert.equal(DEFAULT_TRAIN_SETTINGS.normalize, 'minmax');
  assert.ok(DEFAULT_TRAIN_SETTINGS.hidden.length >= 1);
});

test('an epoch costs time linear in the rows (4x the rows: well under 8x the time; quadratic would be 16x)', async () => {
  await backendReady();
  // Default batch size, a tiny network, one epoch: the per-batch bookkeeping is what is measured. The
  // engine once sliced the whole shuffled index for every batch, so 4x the rows took ~10x the time
  // here (1M rows 60 s, 2M 168 s, 5M no epoch in 20 minutes).
  const data = (n: number): TrainData => {
    const a = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000);
    const b = Float64Array.from({ length: n }, (_, i) => ((i * 104729) % 997) / 997);
    return { x: [a, b], y: [a.map((v, i) => v * v + b[i])], dy: [[null, null]] };
  };
  const s = spec(['a', 'b'], ['y'], { hidden: [4], epochs: 1, batchSize: 64 });
  const cpu = async (n: number): Promise<number> => {
    const d = data(n);
    let best = Infinity;
    for (let rep = 0; rep < 2; rep++) {
      const c0 = process.cpuUsage();
      const r = await trainMlp(d, s);
      const c = process.cpuUsage(c0);
      r.model.dispose();
      best = Math.min(best, c.user + c.system);
    }
    return best;
  };
  await cpu(5_000); // warm-up
  const small = await cpu(100_000);
  const large = await cpu(400_000);
  assert.ok(large / small < 8, `100,000 rows: ${(small / 1e6).toFixed(3)} s CPU, 400,000 rows: ${(large / 1e6).toFixed(3)} s CPU (ratio ${(large / small).toFixed(2)})`);
});
