/**
 * Do the default training settings stay good when a user changes one of them?
 *
 * Functions with analytic gradients (1, 2, 4 and 8 inputs; one problem also with inputs and outputs
 * scaled by 1e-3 / 1e3), trained on values with the engine's defaults and with one setting changed
 * (a wider, narrower or deeper network, another activation). Scored by the relative L2 error of the
 * input gradient (raw units, all inputs, 2,000 test points in the training box) against the analytic
 * gradient. Compared, at the same budget (epochs, batch size, data, initial weights, schedule), with
 * PyTorch trained the same way at several learning rates: its best rate says what the budget allows,
 * and the engine should get close to it without the user choosing a rate. Each is run at the old
 * fixed batch (64) and at the batch the engine now picks for the data (defaultBatchSize).
 *
 *   node --import tsx bench/defaults/defaults-bench.ts [--phase torch|ours|all] [--only P2] [--epochs N]
 *   [--seed N] [--rates 1e-3,3e-3,...]
 * Finished runs are kept in test-results/bench-defaults-cache.json and not run again.
 *
 * Prints a Markdown table and writes every number to test-results/bench-defaults.json.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, trainMlp } from '../../src/core/model/index';
import { DEFAULT_TRAIN_SETTINGS, defaultBatchSize } from '../../src/core/model/defaults';
import { DEFAULT_INIT, initWeights } from '../../src/core/model/train';
import { Prng } from '../../src/core/model/prng';
import type { Activation, TrainSpec } from '../../src/core/model/types';

const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const PHASE = opt('--phase') ?? 'all';
const ONLY = opt('--only');
const EPOCHS = Number(opt('--epochs') ?? DEFAULT_TRAIN_SETTINGS.epochs);
const TORCH_RATES = (opt('--rates') ?? '1e-3,3e-3,1e-2,3e-2,1e-1').split(',').map(Number);
const SEED = Number(opt('--seed') ?? 0);
const RESULTS = 'test-results/bench-defaults.json';
/** Every finished run, so an interrupted benchmark resumes where it stopped (delete it to start over). */
const CACHE = 'test-results/bench-defaults-cache.json';
const cache: Record<string, number> = existsSync(CACHE) ? (JSON.parse(readFileSync(CACHE, 'utf8')) as Record<string, number>) : {};
const remember = (key: string, v: number): void => {
  cache[key] = v;
  mkdirSync('test-results', { recursive: true });
  writeFileSync(CACHE, JSON.stringify(cache, null, 1));
};
/** Cache key of a run: engine, problem, change, rate, seed and epochs (seed 0 and the default epochs keep the short form). */
const runKey = (engine: string, p: string, v: string, lr: number | string, batch: number): string =>
  `${engine}|${p}|${v}|${lr}${SEED !== 0 ? `|seed${SEED}` : ''}${EPOCHS !== DEFAULT_TRAIN_SETTINGS.epochs ? `|e${EPOCHS}` : ''}${batch !== DEFAULT_TRAIN_SETTINGS.batchSize ? `|b${batch}` : ''}`;


interface Problem {
  id: string;
  what: string;
  d: number;
  n: number;
  lo: number;
  hi: number;
  /** Input and output scale factors applied to a base problem (raw = scale * base). */
  xScale?: number;
  yScale?: number;
  f(x: number[]): number;
  grad(x: number[]): number[];
}

const problems: Problem[] = [
  {
    id: 'P1', what: '1 input: x·sin(2x), 60 points on [0, 5]', d: 1, n: 60, lo: 0, hi: 5,
    f: ([x]) => x! * Math.sin(2 * x!), grad: ([x]) => [Math.sin(2 * x!) + 2 * x! * Math.cos(2 * x!)],
  },
  {
    id: 'P1s', what: 'P1 with x ×1e-3 and y ×1e3', d: 1, n: 60, lo: 0, hi: 5, xScale: 1e-3, yScale: 1e3,
    f: ([x]) => x! * Math.sin(2 * x!), grad: ([x]) => [Math.sin(2 * x!) + 2 * x! * Math.cos(2 * x!)],
  },
  {
    id: 'P2', what: '2 inputs: x³ + 5x + y², 400 points on [-5, 5]²', d: 2, n: 400, lo: -5, hi: 5,
    f: ([x, y]) => x! ** 3 + 5 * x! + y! ** 2, grad: ([x, y]) => [3 * x! ** 2 + 5, 2 * y!],
  },
  {
    id: 'P4', what: '4 inputs: sin(x1)·x2 + exp(−x3²)·x4, 600 points on [-2, 2]⁴', d: 4, n: 600, lo: -2, hi: 2,
    f: ([a, b, c, e]) => Math.sin(a!) * b! + Math.exp(-c! * c!) * e!,
    grad: ([a, b, c, e]) => [Math.cos(a!) * b!, Math.sin(a!), -2 * c! * Math.exp(-c! * c!) * e!, Math.exp(-c! * c!)],
  },
  {
    id: 'P8', what: '8 inputs: Σ sin(xi) + 0.3 Σ xi·xi+1, 1500 points on [-1.5, 1.5]⁸', d: 8, n: 1500, lo: -1.5, hi: 1.5,
    f: (x) => x.reduce((s, v, i) => s + Math.sin(v) + (i + 1 < x.length ? 0.3 * v * x[i + 1]! : 0), 0),
    grad: (x) => x.map((v, i) => Math.cos(v) + (i + 1 < x.length ? 0.3 * x[i + 1]! : 0) + (i > 0 ? 0.3 * x[i - 1]! : 0)),
  },
];

interface Variant {
  id: string;
  hidden: number[];
  activation: Activation;
}
const D = DEFAULT_TRAIN_SETTINGS;
const variants: Variant[] = [
  { id: 'defaults', hidden: [...D.hidden], activation: D.activation },
  { id: 'width 256', hidden: [256, 256], activation: D.activation },
  { id: 'width 16', hidden: [16, 16], activation: D.activation },
  { id: '3 layers', hidden: [64, 64, 64], activation: D.activation },
  { id: 'tanh', hidden: [...D.hidden], activation: 'tanh' },
  { id: 'sin', hidden: [...D.hidden], activation: 'sin' },
  { id: 'softplus', hidden: [...D.hidden], activation: 'softplus' },
];

interface Data {
  x: Float64Array[];
  y: Float64Array;
  xt: Float64Array[];
  yt: Float64Array;
  gt: Float64Array[];
}

function makeData(p: Problem): Data {
  const rng = new Prng(1234 + p.d);
  const xs = p.xScale ?? 1;
  const ys = p.yScale ?? 1;
  const sample = (n: number, grid: boolean): number[][] => {
    if (grid && p.d === 2) {
      const k = Math.round(Math.sqrt(n));
      const pts: number[][] = [];
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) pts.push([p.lo + ((p.hi - p.lo) * i) / (k - 1), p.lo + ((p.hi - p.lo) * j) / (k - 1)]);
      return pts;
    }
    return Array.from({ length: n }, () => Array.from({ length: p.d }, () => p.lo + (p.hi - p.lo) * rng.next()));
  };
  const cols = (pts: number[][]) => Array.from({ length: p.d }, (_, i) => Float64Array.from(pts, (q) => q[i]! * xs));
  const train = sample(p.n, true);
  const test = sample(2000, false);
  return {
    x: cols(train),
    y: Float64Array.from(train, (q) => ys * p.f(q)),
    xt: cols(test),
    yt: Float64Array.from(test, (q) => ys * p.f(q)),
    // d(ys f(x/xs... )): raw input u = xs·x, so dy/du = ys/xs · df/dx.
    gt: Array.from({ length: p.d }, (_, i) => Float64Array.from(test, (q) => (ys / xs) * p.grad(q)[i]!)),
  };
}

function relL2(a: Float64Array[], b: Float64Array[]): number {
  let n = 0;
  let d = 0;
  a.forEach((col, i) => col.forEach((v, r) => {
    n += (v - b[i]![r]!) ** 2;
    d += b[i]![r]! ** 2;
  }));
  return Math.sqrt(n / d);
}

function initFlat(d: number, hidden: number[], activation: Activation): number[] {
  const layers = initWeights([d, ...hidden, 1], new Prng(SEED * 3 + 2), DEFAULT_INIT, activation);
  return layers.flatMap((l) => [...l.W, ...l.b]);
}

interface Row {
  problem: string;
  variant: string;
  rows: number;
  /** The batch the engine now chooses for this problem when none is given. */
  autoBatch: number;
  /** PyTorch's gradient error by `batch|rate`. */
  torch: Record<string, number>;
  /** Ours at the default rate, by batch. */
  ours: Record<string, number>;
}

/** The batch sizes a row is run at: the old fixed default and the one the engine now picks. */
const batchesOf = (r: Row): number[] => [...new Set([D.batchSize, r.autoBatch])];

/** PyTorch's runs: from the cache, and (unless `cacheOnly`) trained for what the cache lacks. */
async function torchPhase(rows: Map<string, Row>, datasets: Map<string, Data>, cacheOnly = false): Promise<void> {
  const jobs: unknown[] = [];
  for (const p of problems) for (const v of variants) {
    const key = `${p.id}|${v.id}`;
    const row = rows.get(key);
    if (!row) continue;
    for (const batch of batchesOf(row)) for (const lr of TORCH_RATES) {
      const cached = cache[runKey('torch', p.id, v.id, lr, batch)];
      if (cached !== undefined) {
        row.torch[`${batch}|${lr}`] = cached;
        continue;
      }
      const data = datasets.get(p.id)!;
      jobs.push({
        id: `${key}|${lr}|${batch}`, seed: SEED, lr, epochs: EPOCHS, batch, hidden: v.hidden, activation: v.activation,
        init: initFlat(p.d, v.hidden, v.activation),
        x: data.x.map((c) => Array.from(c)), y: Array.from(data.y), xt: data.xt.map((c) => Array.from(c)), yt: Array.from(data.yt), gt: data.gt.map((c) => Array.from(c)),
      });
    }
  }
  if (!jobs.length || cacheOnly) return;
  const child = spawn(PYTHON, [join(__dirname, 'torch_train.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(JSON.stringify({ jobs }));
  let buf = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const r = JSON.parse(buf.slice(0, nl)) as { id: string; gradRelL2: number };
      buf = buf.slice(nl + 1);
      const [pid, vid, lr, batch] = r.id.split('|');
      rows.get(`${pid}|${vid}`)!.torch[`${batch}|${lr}`] = r.gradRelL2;
      remember(runKey('torch', pid!, vid!, lr!, Number(batch)), r.gradRelL2);
      process.stderr.write(`torch ${r.id}: ${r.gradRelL2.toFixed(4)}\n`);
    }
  });
  await new Promise<void>((ok, fail) => child.on('close', (code) => (code === 0 ? ok() : fail(new Error(`torch_train.py exited with ${code}`)))));
}

async function oursPhase(rows: Map<string, Row>, datasets: Map<string, Data>): Promise<void> {
  await initBackend('auto');
  for (const p of problems) for (const v of variants) {
    const row = rows.get(`${p.id}|${v.id}`);
    if (!row) continue;
    const data = datasets.get(p.id)!;
    const inputs = Array.from({ length: p.d }, (_, i) => `x${i + 1}`);
    for (const batch of batchesOf(row)) {
      const lr = D.learningRate;
      const cached = cache[runKey('ours', p.id, v.id, lr, batch)];
      if (cached !== undefined) {
        row.ours[String(batch)] = cached;
        continue;
      }
      const spec: TrainSpec = {
        data: '', grads: [], references: [], outDir: '', ...D, inputs, outputs: ['y'],
        hidden: v.hidden, activation: v.activation, epochs: EPOCHS, batchSize: batch, learningRate: lr, seed: SEED, init: DEFAULT_INIT,
      };
      const c0 = process.cpuUsage();
      const r = await trainMlp({ x: data.x, y: [data.y], dy: [data.x.map(() => null)] }, spec);
      const c = process.cpuUsage(c0);
      const J = r.model.jacobian(data.xt)[0]!;
      r.model.dispose();
      row.ours[String(batch)] = relL2(J, data.gt);
      remember(runKey('ours', p.id, v.id, lr, batch), row.ours[String(batch)]!);
      process.stderr.write(`ours ${p.id} ${v.id} batch ${batch} lr ${lr}: ${row.ours[String(batch)]!.toFixed(4)} (${((c.user + c.system) / 1e6).toFixed(1)} cpu-s)\n`);
    }
  }
}

const f3 = (v: number | undefined): string => (v === undefined ? '—' : Number.isFinite(v) ? v.toPrecision(2) : String(v));

async function main(): Promise<void> {
  const rows = new Map<string, Row>();
  const datasets = new Map<string, Data>();
  for (const p of problems) {
    if (ONLY && !ONLY.split(',').includes(p.id)) continue;
    datasets.set(p.id, makeData(p));
    for (const v of variants) rows.set(`${p.id}|${v.id}`, { problem: p.id, variant: v.id, rows: p.n, autoBatch: defaultBatchSize(p.n), torch: {}, ours: {} });
  }
  const t0 = Date.now();
  await torchPhase(rows, datasets, PHASE === 'ours');
  if (PHASE === 'ours' || PHASE === 'all') await oursPhase(rows, datasets);
  mkdirSync('test-results', { recursive: true });
  writeFileSync(RESULTS, JSON.stringify({ epochs: EPOCHS, seed: SEED, rates: TORCH_RATES, rows: [...rows.values()] }, null, 2));
  const lr = D.learningRate;
  console.log(`epochs ${EPOCHS}, seed ${SEED}; relative L2 of the input gradient on 2,000 test points (lower is better); ${((Date.now() - t0) / 1000).toFixed(0)} s wall`);
  console.log(`| problem | change | PyTorch, batch ${D.batchSize}: ${TORCH_RATES.map((r) => `lr ${r}`).join(' / ')} | best PyTorch | ours, lr ${lr}, batch ${D.batchSize} | ours / best | batch now | ours now | best PyTorch at that batch | ours now / best |`);
  console.log(`|${'---|'.repeat(10)}`);
  const best = (r: Row, batch: number) => Math.min(...TORCH_RATES.map((x) => r.torch[`${batch}|${x}`]).filter((v): v is number => v !== undefined && Number.isFinite(v)));
  const ratio = (a: number | undefined, b: number) => (a !== undefined && Number.isFinite(b) ? (a / b).toFixed(2) : '—');
  for (const r of rows.values()) {
    const b64 = best(r, D.batchSize);
    const bNow = best(r, r.autoBatch);
    const o64 = r.ours[String(D.batchSize)];
    const oNow = r.ours[String(r.autoBatch)];
    console.log(`| ${r.problem} | ${r.variant} | ${TORCH_RATES.map((x) => f3(r.torch[`${D.batchSize}|${x}`])).join(' / ')} | ${f3(b64)} | ${f3(o64)} | ${ratio(o64, b64)} | ${r.autoBatch} | ${f3(oNow)} | ${f3(bNow)} | ${ratio(oNow, bNow)} |`);
  }
}

void main();
