/**
 * Training and Jacobian benchmark: the model engine (TensorFlow.js) against PyTorch, in one run.
 *
 * Run:  node bench/train/train-bench.mjs [options]      (or: node --import tsx bench/train/train-bench.ts)
 * Options:
 *   --cases 1,2,3,4,5        which cases (default all; see CASES below)
 *   --repeats N              timed runs per side for the small cases and the Jacobian (default 3)
 *   --medium-repeats N       timed runs per side for the medium training cases (default 1)
 *   --small-epochs N         (default 20)   --small-batch N   (default 32, the engine's default)
 *   --medium-epochs N        (default 2)    --medium-batch N  (default 256)
 *   --backend wasm|cpu|auto  (default wasm)
 *   --json FILE              also write every measurement as JSON
 *   --seed N                 the engine's seed (initial weights, batch order), default 7
 *   --shuffle-seed N         PyTorch's batch-order seed (default 7), to see how much the final losses
 *                            move with the batch order alone
 *   PYTHON=/path/to/python3  interpreter with PyTorch (default /usr/bin/python3)
 *
 * Fairness: both sides train the same MLP from the SAME initial weights (the engine's seeded
 * init, exported to PyTorch), on the same normalized data (the engine's minmax normalization), with the
 * same epochs, batch size, Adam (beta1 0.9, beta2 0.999, epsilon 1e-7 = tfjs's default), the engine's
 * cosine learning-rate schedule, the same loss (value MSE + gradWeight * derivative MSE) and the same
 * number of threads. Only the batch order differs (each side shuffles with its own seeded generator).
 * The two sides run interleaved (ours, PyTorch, PyTorch, ours, ...) so that load from other processes
 * hits both alike. Times are CPU seconds of the process (less sensitive than wall time to other load on
 * a shared machine) and wall seconds; the ratio is ours / PyTorch on CPU seconds, median of the repeats.
 * Final losses are printed so that nobody "wins" by not training: the last-epoch mean batch loss and
 * the loss over the full data set after training, computed the same way on both sides.
 *
 * What is timed on our side: `trainMlp` end to end (including its data preparation: normalizing the
 * columns into float32 tensors, a few ms at 100k rows), and `Mlp.jacobian` (raw units in and out,
 * float64 arrays, chunked). On PyTorch's side: the training loop on tensors already in memory, and the
 * input Jacobian of the whole batch at once.
 *
 * Correctness inside the benchmark: the engine's trained weights and normalization are exported to
 * PyTorch; the Jacobians of 100,000 raw points from both frameworks (float32) are compared with a
 * float64 PyTorch evaluation of the same weights; the run fails (exit code 1) when ours is off by more
 * than JACOBIAN_REL_TOL (see there for why that bound).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { initBackend, trainMlp, computeNormalization, LR_FLOOR, type BackendPreference, type Mlp, type NormalizationState } from '../../src/core/model/index';
import { initWeights } from '../../src/core/model/train';
import { Prng } from '../../src/core/model/prng';
import type { TrainSpec } from '../../src/core/model/types';
import { TorchWorker } from './torch-worker';
import { mediumProblem, smallProblem, type Problem } from './problems';

// ---------------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
function opt(name: string, def: string): string {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
  return v;
}
function intOpt(name: string, def: number): number {
  const v = Number(opt(name, String(def)));
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
}
const CASE_IDS = opt('cases', '1,2,3,4,5')
  .split(',')
  .map((s) => Number(s.trim()));
if (CASE_IDS.some((c) => !Number.isInteger(c) || c < 1 || c > 5)) throw new Error('--cases takes numbers 1..5');
const REPEATS = intOpt('repeats', 3);
const MEDIUM_REPEATS = intOpt('medium-repeats', 1);
const SMALL_EPOCHS = intOpt('small-epochs', 20);
const SMALL_BATCH = intOpt('small-batch', 32);
const MEDIUM_EPOCHS = intOpt('medium-epochs', 2);
const MEDIUM_BATCH = intOpt('medium-batch', 256);
const BACKEND = opt('backend', 'wasm') as BackendPreference;
const JSON_OUT = argv.includes('--json') ? opt('json', '') : null;
const LEARNING_RATE = 3e-3;
const SEED = Number(opt('seed', '7'));
if (!Number.isInteger(SEED)) throw new Error('--seed must be an integer');
const TORCH_SHUFFLE_SEED = Number(opt('shuffle-seed', String(SEED)));

/**
 * Tolerance of the Jacobian check, relative to the largest |dy/dx_i| of each input over the points.
 * Both sides compute in float32 (unit roundoff u = 6e-8). A tangent through three 128-wide layers
 * accumulates rounding of the order of sqrt(128) u per layer on values of the size of the column's
 * largest entry, i.e. ~1e-6 relative; the two frameworks also sum in different orders (XNNPACK vs
 * OpenBLAS/oneDNN) and our side normalizes inputs in float64 before rounding to float32 while
 * PyTorch's float32 model normalizes in float32. 1e-4 is ~100x that estimate (and ~1,700 u): a real
 * mistake (wrong scale factor, transposed weights, a missing activation derivative) gives errors of
 * order 1e-1 to 1, far above it. The run also prints PyTorch's own float32 error as a yardstick.
 */
const JACOBIAN_REL_TOL = 1e-4;

// ---------------------------------------------------------------------------------------------------
// Data: smooth functions with analytic partials, raw units of different scales

// (in problems.ts, shared with torch-engine-bench.ts)

// ---------------------------------------------------------------------------------------------------
// Helpers

const work = mkdtempSync(path.join(tmpdir(), 'agl-train-bench-'));
let fileNo = 0;
function writeArray(a: Float32Array | Float64Array): string {
  const f = path.join(work, `a${fileNo++}.bin`);
  writeFileSync(f, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  return f;
}
function readF64(f: string): Float64Array {
  const b = readFileSync(f);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function median(a: number[]): number {
  const s = [...a].sort((p, q) => p - q);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

async function timed<T>(f: () => Promise<T> | T): Promise<{ value: T; cpu: number; wall: number }> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { value, cpu: (c.user + c.system) / 1e6, wall: (performance.now() - w0) / 1e3 };
}

/** Row-major float32 [n, d] of normalized inputs, [n, 1] normalized values, [n, d] normalized partials. */
function normalizedArrays(p: Problem, norm: NormalizationState): { X: Float32Array; Y: Float32Array; G: Float32Array } {
  const n = p.y.length;
  const d = p.x.length;
  const X = new Float32Array(n * d);
  const Y = new Float32Array(n);
  const G = new Float32Array(n * d);
  const oy = norm.outputs.offset[0];
  const sy = norm.outputs.scale[0];
  for (let i = 0; i < d; i++) {
    const o = norm.inputs.offset[i];
    const s = norm.inputs.scale[i];
    for (let r = 0; r < n; r++) {
      X[r * d + i] = (p.x[i][r] - o) / s;
      G[r * d + i] = (p.dy[i][r] * s) / sy;
    }
  }
  for (let r = 0; r < n; r++) Y[r] = (p.y[r] - oy) / sy;
  return { X, Y, G };
}

function flatWeights(layers: { W: ArrayLike<number>; b: ArrayLike<number> }[]): Float32Array {
  const out: number[] = [];
  for (const l of layers) {
    for (let i = 0; i < l.W.length; i++) out.push(l.W[i]);
    for (let i = 0; i < l.b.length; i++) out.push(l.b[i]);
  }
  return Float32Array.from(out);
}

interface Loss {
  total: number;
  value: number;
  grad: number | null;
}

/** The training loss over all rows, from the trained model's raw-unit predictions (float64 sums). */
function ourFullLoss(model: Mlp, p: Problem, norm: NormalizationState, sobolev: boolean): Loss {
  const n = p.y.length;
  const sy = norm.outputs.scale[0];
  const pred = model.predict(p.x)[0];
  let sv = 0;
  for (let r = 0; r < n; r++) sv += ((pred[r] - p.y[r]) / sy) ** 2;
  const value = sv / n;
  if (!sobolev) return { total: value, value, grad: null };
  const J = model.jacobian(p.x)[0];
  let sg = 0;
  for (let i = 0; i < p.x.length; i++) {
    const f = norm.inputs.scale[i] / sy;
    for (let r = 0; r < n; r++) sg += ((J[i][r] - p.dy[i][r]) * f) ** 2;
  }
  const grad = sg / (n * p.x.length);
  return { total: value + grad, value, grad };
}

const loads: number[] = [];
const load = (): number => {
  const l = loadavg()[0];
  loads.push(l);
  return l;
};

// ---------------------------------------------------------------------------------------------------
// Cases

interface TrainCase {
  id: number;
  label: string;
  problem: Problem;
  hidden: number[];
  sobolev: boolean;
  epochs: number;
  batch: number;
  repeats: number;
}

interface SideResult {
  cpu: number[];
  wall: number[];
  lastEpochLoss: number;
  fullLoss: Loss;
}

interface TrainRow {
  case: TrainCase;
  ours: SideResult;
  torch: SideResult;
  loadBefore: number;
  loadAfter: number;
}

async function runTrainCase(c: TrainCase, torch: TorchWorker): Promise<{ row: TrainRow; model: Mlp }> {
  const p = c.problem;
  const d = p.x.length;
  const n = p.y.length;
  const spec: TrainSpec = {
    data: '',
    inputs: p.inputs,
    outputs: ['y'],
    grads: [],
    references: [],
    normalize: 'minmax',
    hidden: c.hidden,
    activation: 'tanh',
    epochs: c.epochs,
    batchSize: c.batch,
    learningRate: LEARNING_RATE,
    gradWeight: 1,
    validationSplit: 0,
    patience: 0,
    seed: SEED,
    outDir: '',
  };
  const dyOurs = c.sobolev ? p.dy : p.dy.map(() => null);
  const data = { x: p.x, y: [p.y], dy: [dyOurs] };
  const norm = computeNormalization('minmax', p.x, [p.y], [dyOurs]);
  const arr = normalizedArrays(p, norm);
  const sizes = [d, ...c.hidden, 1];
  // The engine draws its initial weights with initWeights(sizes, new Prng(seed * 3 + 2)) (train.ts);
  // PyTorch starts from the same numbers.
  const init = flatWeights(initWeights(sizes, new Prng(SEED * 3 + 2)));
  const torchReq = {
    cmd: 'train',
    n,
    d,
    m: 1,
    sizes,
    activation: 'tanh',
    x: writeArray(arr.X),
    y: writeArray(arr.Y),
    g: c.sobolev ? writeArray(arr.G) : null,
    init: writeArray(init),
    epochs: c.epochs,
    batch: c.batch,
    lr: LEARNING_RATE,
    lrFloor: LR_FLOOR,
    gradWeight: 1,
    seed: TORCH_SHUFFLE_SEED,
  };
  interface TorchReply {
    cpu: number;
    wall: number;
    lastEpochLoss: number;
    fullLoss: Loss;
  }
  // Warm-up: one epoch each (wasm kernels, PyTorch's allocator and autograd paths).
  (await trainMlp(data, { ...spec, epochs: 1 })).model.dispose();
  await torch.request<TorchReply>({ ...torchReq, epochs: 1 });

  const loadBefore = load();
  const ours: SideResult = { cpu: [], wall: [], lastEpochLoss: NaN, fullLoss: { total: NaN, value: NaN, grad: null } };
  const th: SideResult = { cpu: [], wall: [], lastEpochLoss: NaN, fullLoss: { total: NaN, value: NaN, grad: null } };
  let model: Mlp | null = null;
  const runOurs = async (): Promise<void> => {
    const t = await timed(() => trainMlp(data, spec));
    ours.cpu.push(t.cpu);
    ours.wall.push(t.wall);
    const h = t.value.history;
    ours.lastEpochLoss = h[h.length - 1].loss;
    model?.dispose();
    model = t.value.model;
  };
  const runTorch = async (): Promise<void> => {
    const r = await torch.request<TorchReply>(torchReq);
    th.cpu.push(r.cpu);
    th.wall.push(r.wall);
    th.lastEpochLoss = r.lastEpochLoss;
    th.fullLoss = r.fullLoss;
  };
  for (let rep = 0; rep < c.repeats; rep++) {
    // alternate who goes first, so that a burst of outside load does not always hit the same side
    if (rep % 2 === 0) {
      await runOurs();
      await runTorch();
    } else {
      await runTorch();
      await runOurs();
    }
    process.stderr.write(`  case ${c.id} run ${rep + 1}/${c.repeats}: ours ${ours.cpu[ours.cpu.length - 1].toFixed(2)} s CPU, PyTorch ${th.cpu[th.cpu.length - 1].toFixed(2)} s CPU (load ${loadavg()[0].toFixed(1)})\n`);
  }
  const loadAfter = load();
  const trained = model as unknown as Mlp;
  ours.fullLoss = ourFullLoss(trained, p, norm, c.sobolev);
  return { row: { case: c, ours, torch: th, loadBefore, loadAfter }, model: trained };
}

interface JacobianResult {
  n: number;
  ours: { cpu: number[]; wall: number[] };
  torch: Record<string, { cpu: number; wall: number; maxAbsDiffToGradOfSum?: number }>;
  /** max over inputs of max |J - J64| / max |J64| for that input */
  oursRelErr: number;
  torch32RelErr: number;
  oursValueRelErr: number;
  loadBefore: number;
  loadAfter: number;
}

async function runJacobianCase(model: Mlp, p: Problem, torch: TorchWorker, repeats: number): Promise<JacobianResult> {
  const n = p.y.length;
  const d = p.x.length;
  const layers = model.weights();
  const sizes = [layers[0].nIn, ...layers.map((l) => l.nOut)];
  const xRows = new Float64Array(n * d);
  for (let i = 0; i < d; i++) for (let r = 0; r < n; r++) xRows[r * d + i] = p.x[i][r];
  const out32 = path.join(work, 'j32.bin');
  const out64 = path.join(work, 'j64.bin');
  const outValues64 = path.join(work, 'v64.bin');
  const req = {
    cmd: 'jacobian',
    n,
    d,
    sizes,
    activation: model.activation,
    weights: writeArray(flatWeights(layers)),
    norm: model.normalization,
    x: writeArray(xRows),
    out32,
    out64,
    outValues64,
    repeats,
  };
  model.jacobian(p.x.map((c) => c.subarray(0, 1000))); // warm-up
  const loadBefore = load();
  const ours = { cpu: [] as number[], wall: [] as number[] };
  let J: Float64Array[] = [];
  let torchTimes: JacobianResult['torch'] = {};
  // ours, then PyTorch (both of its methods, best of `repeats` each), then ours again
  for (let rep = 0; rep < repeats; rep++) {
    const t = await timed(() => model.jacobian(p.x));
    ours.cpu.push(t.cpu);
    ours.wall.push(t.wall);
    J = t.value[0];
    if (rep === 0) torchTimes = (await torch.request<{ times: JacobianResult['torch'] }>(req)).times;
  }
  const loadAfter = load();
  const J32 = readF64(out32);
  const J64 = readF64(out64);
  const V64 = readF64(outValues64);
  let oursRelErr = 0;
  let torch32RelErr = 0;
  for (let i = 0; i < d; i++) {
    let scale = 0;
    for (let r = 0; r < n; r++) scale = Math.max(scale, Math.abs(J64[r * d + i]));
    if (!(scale > 0)) throw new Error(`the float64 Jacobian column ${i} is all zero; the check would be empty`);
    for (let r = 0; r < n; r++) {
      oursRelErr = Math.max(oursRelErr, Math.abs(J[i][r] - J64[r * d + i]) / scale);
      torch32RelErr = Math.max(torch32RelErr, Math.abs(J32[r * d + i] - J64[r * d + i]) / scale);
    }
  }
  const pred = model.predict(p.x)[0];
  let vScale = 0;
  let vErr = 0;
  for (let r = 0; r < n; r++) vScale = Math.max(vScale, Math.abs(V64[r]));
  for (let r = 0; r < n; r++) vErr = Math.max(vErr, Math.abs(pred[r] - V64[r]) / vScale);
  return { n, ours, torch: torchTimes, oursRelErr, torch32RelErr, oursValueRelErr: vErr, loadBefore, loadAfter };
}

// ---------------------------------------------------------------------------------------------------
// Main

const fmt = (v: number, digits = 2): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
const sci = (v: number | null): string => (v === null ? '–' : v.toExponential(2));

async function main(): Promise<void> {
  const backend = await initBackend(BACKEND);
  const oursThreads = backend === 'wasm' ? getThreadsCount() : 1;
  const mtFlag = backend === 'wasm' ? await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') : false;
  const simdFlag = backend === 'wasm' ? await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : false;
  const torch = new TorchWorker(oursThreads);
  try {
    await runAll(backend, oursThreads, simdFlag, mtFlag, torch);
  } finally {
    torch.close();
  }
}

async function runAll(backend: string, oursThreads: number, simdFlag: unknown, mtFlag: unknown, torch: TorchWorker): Promise<void> {
  const info = await torch.request<Record<string, unknown>>({ cmd: 'info' });
  const header = [
    `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.versions.node}, load average at start ${loadavg().map((l) => l.toFixed(1)).join(' / ')}`,
    `ours: @tensorflow/tfjs ${tf.version.tfjs}, backend ${backend}${backend === 'wasm' ? ` (SIMD ${String(simdFlag)}, multithread support ${String(mtFlag)}, XNNPACK threads ${oursThreads})` : ''}`,
    `PyTorch: ${String(info.torch)} (Python ${String(info.python)}, NumPy ${String(info.numpy)}), torch.get_num_threads() = ${String(info.threads)}, interop threads ${String(info.interopThreads)}, ${String(info.parallel)}`,
  ];
  for (const h of header) console.log(h);

  const small = CASE_IDS.some((c) => c <= 2) ? smallProblem(2000) : null;
  const medium = CASE_IDS.some((c) => c >= 3) ? mediumProblem(100_000) : null;
  const cases: TrainCase[] = [];
  const add = (id: number, label: string, problem: Problem | null, hidden: number[], sobolev: boolean, epochs: number, batch: number, repeats: number): void => {
    if (problem && CASE_IDS.includes(id)) cases.push({ id, label, problem, hidden, sobolev, epochs, batch, repeats });
  };
  add(1, 'small, values', small, [64, 64], false, SMALL_EPOCHS, SMALL_BATCH, REPEATS);
  add(2, 'small, values + derivatives', small, [64, 64], true, SMALL_EPOCHS, SMALL_BATCH, REPEATS);
  add(3, 'medium, values', medium, [128, 128, 128], false, MEDIUM_EPOCHS, MEDIUM_BATCH, MEDIUM_REPEATS);
  add(4, 'medium, values + derivatives', medium, [128, 128, 128], true, MEDIUM_EPOCHS, MEDIUM_BATCH, MEDIUM_REPEATS);

  const rows: TrainRow[] = [];
  let mediumModel: Mlp | null = null;
  for (const c of cases) {
    process.stderr.write(`case ${c.id}: ${c.label}\n`);
    const { row, model } = await runTrainCase(c, torch);
    rows.push(row);
    if (c.id === 3) mediumModel = model;
    else model.dispose();
  }
  let jac: JacobianResult | null = null;
  if (CASE_IDS.includes(5) && medium) {
    process.stderr.write('case 5: Jacobian of 100,000 points\n');
    if (!mediumModel) {
      // case 3 not selected: any trained medium model will do for timing and the interop check
      mediumModel = (await trainMlp({ x: medium.x, y: [medium.y], dy: [medium.x.map(() => null)] }, {
        data: '', inputs: medium.inputs, outputs: ['y'], grads: [], references: [], normalize: 'minmax', hidden: [128, 128, 128], activation: 'tanh',
        epochs: 1, batchSize: MEDIUM_BATCH, learningRate: LEARNING_RATE, gradWeight: 1, validationSplit: 0, patience: 0, seed: SEED, outDir: '',
      })).model;
    }
    jac = await runJacobianCase(mediumModel, medium, torch, REPEATS);
  }
  mediumModel?.dispose();

  console.log('');
  console.log(`Training: tanh MLP, Adam lr ${LEARNING_RATE} with cosine decay, same initial weights; ${oursThreads} thread(s) each; times: median of the runs`);
  console.log('| case | rows | MLP | epochs x batch | runs | ours CPU s | PyTorch CPU s | ours / PyTorch | ours wall s | PyTorch wall s | final loss ours | final loss PyTorch | last-epoch loss ours | last-epoch loss PyTorch | load (1 min) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const c = r.case;
    const mo = median(r.ours.cpu);
    const mt = median(r.torch.cpu);
    console.log(
      `| ${c.id}. ${c.label} | ${c.problem.y.length.toLocaleString('en-US')} | ${[c.problem.x.length, ...c.hidden, 1].join('-')} | ${c.epochs} x ${c.batch} | ${c.repeats} | ${fmt(mo)} | ${fmt(mt)} | **${fmt(mo / mt, 1)}x** | ${fmt(median(r.ours.wall))} | ${fmt(median(r.torch.wall))} | ${sci(r.ours.fullLoss.total)} | ${sci(r.torch.fullLoss.total)} | ${sci(r.ours.lastEpochLoss)} | ${sci(r.torch.lastEpochLoss)} | ${fmt(r.loadBefore, 1)} → ${fmt(r.loadAfter, 1)} |`,
    );
  }
  let failed = false;
  if (jac) {
    const mo = median(jac.ours.cpu);
    console.log('');
    console.log(`Jacobian of ${jac.n.toLocaleString('en-US')} raw points, 8 inputs, the case-3 model (8-128-128-128-1 tanh) with its normalization, float32; ours: Mlp.jacobian (median of ${jac.ours.cpu.length}); PyTorch: best of ${REPEATS}`);
    console.log('| method | CPU s | wall s | ours / this (CPU) |');
    console.log('|---|---|---|---|');
    console.log(`| ours: Mlp.jacobian (reverse mode for 1 output and 8 inputs, chunked) | ${fmt(mo, 3)} | ${fmt(median(jac.ours.wall), 3)} | 1.0x |`);
    const names: Record<string, string> = { gradOfSum: 'PyTorch: autograd.grad of the sum over rows', functionalVectorized: 'PyTorch: autograd.functional.jacobian(vectorize=True) of the row sum' };
    for (const [k, t] of Object.entries(jac.torch)) console.log(`| ${names[k] ?? k} | ${fmt(t.cpu, 3)} | ${fmt(t.wall, 3)} | **${fmt(mo / t.cpu, 1)}x** |`);
    console.log('');
    console.log(`Correctness (same weights exported to PyTorch; error = max over inputs of max|J - J_float64| / max|J_float64| of that input):`);
    console.log(`  ours (float32)    ${sci(jac.oursRelErr)}   (tolerance ${sci(JACOBIAN_REL_TOL)})`);
    console.log(`  PyTorch (float32) ${sci(jac.torch32RelErr)}`);
    console.log(`  values, ours vs PyTorch float64: ${sci(jac.oursValueRelErr)} (relative to max |y|)`);
    const diff = jac.torch.functionalVectorized?.maxAbsDiffToGradOfSum;
    if (diff !== undefined) console.log(`  PyTorch's two methods differ by at most ${sci(diff)}`);
    if (!(jac.oursRelErr <= JACOBIAN_REL_TOL) || !(jac.oursValueRelErr <= JACOBIAN_REL_TOL)) {
      console.log('  FAIL: our Jacobian or values do not match PyTorch on the same weights');
      failed = true;
    } else console.log('  OK');
  }
  console.log('');
  console.log(`load average (1 min) seen during the run: ${fmt(Math.min(...loads), 1)} – ${fmt(Math.max(...loads), 1)} on ${cpus().length} cores`);
  if (JSON_OUT) {
    writeFileSync(
      JSON_OUT,
      JSON.stringify(
        {
          header,
          settings: { repeats: REPEATS, mediumRepeats: MEDIUM_REPEATS, smallEpochs: SMALL_EPOCHS, smallBatch: SMALL_BATCH, mediumEpochs: MEDIUM_EPOCHS, mediumBatch: MEDIUM_BATCH, learningRate: LEARNING_RATE, seed: SEED, threads: oursThreads },
          training: rows.map((r) => ({ ...r, case: { ...r.case, problem: r.case.problem.name } })),
          jacobian: jac,
          loads,
        },
        null,
        2,
      ) + '\n',
    );
  }
  if (failed) process.exitCode = 1;
}

main()
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
