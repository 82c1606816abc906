/**
 * A/B of the model engine against the engine at an earlier git commit, in ONE process, interleaved
 * (so that load from other processes hits both alike): training steps through `trainMlp` and the
 * Jacobian through `MlpModel.jacobian` — the public API, which is the same in both versions whatever
 * changed inside. This is how the engine changes in docs/benchmarks.md ("Levers") were measured; the
 * end-to-end ratios against PyTorch move too much with machine load to show a 5-20 % change.
 *
 * Run: node --import tsx bench/train/step-ab.ts COMMIT_A [COMMIT_B] [--rounds 5] [--cases small,medium,jacobian]
 * B is the working tree unless COMMIT_B is given. It copies src/core/model/*.ts at each commit into a
 * temporary folder inside bench/train (so that @tensorflow/* resolve from node_modules), imports both
 * versions, and removes the folders afterwards.
 *
 * Cases (tanh, fixed data, seed 7; CPU ms per training step = trainMlp's CPU time / steps, so it
 * includes batching, the optimizer and the per-epoch bookkeeping):
 *   small   2-64-64-1, 2,000 rows, batch 32, 1 epoch (63 steps): values; values + derivatives
 *   medium  8-128-128-128-1, 25,600 rows, batch 256, 1 epoch (100 steps): values; values + derivatives
 *   jacobian  8-128-128-128-1, Jacobian of 20,000 raw points
 * Also prints how far the two versions' results are apart (the trained weights after one epoch of the
 * small derivative case, and the Jacobians).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/core/model/index';
import type { TrainSpec } from '../../src/core/model/types';

interface EngineApi {
  trainMlp(data: unknown, spec: TrainSpec): Promise<{ model: ModelApi }>;
}
type MlpCtor = new (inputs: string[], outputs: string[], act: string, layers: unknown[], norm: unknown, training: null) => ModelApi;
interface ModelApi {
  jacobian(x: Float64Array[]): Float64Array[][];
  weights(): { W: Float32Array; b: Float32Array }[];
  dispose(): void;
}

const argv = process.argv.slice(2);
const commit = argv[0];
if (!commit || commit.startsWith('--')) throw new Error('usage: step-ab.ts COMMIT_A [COMMIT_B] [--rounds N] [--cases small,medium,jacobian]');
const commitB = argv[1] && !argv[1].startsWith('--') ? argv[1] : null;
const ROUNDS = argv.includes('--rounds') ? Number(argv[argv.indexOf('--rounds') + 1]) : 5;
const CASES = (argv.includes('--cases') ? argv[argv.indexOf('--cases') + 1] : 'small,medium,jacobian').split(',');
const root = path.resolve(__dirname, '..', '..');

function checkout(rev: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const files = execFileSync('git', ['ls-tree', '--name-only', rev, 'src/core/model/'], { cwd: root, encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.ts'));
  if (files.length === 0) throw new Error(`no src/core/model/*.ts at ${rev}`);
  for (const f of files) writeFileSync(path.join(dir, path.basename(f)), execFileSync('git', ['show', `${rev}:${f}`], { cwd: root }));
}

function median(a: number[]): number {
  const s = [...a].sort((p, q) => p - q);
  return s[s.length >> 1];
}

function uniform(seed: number, n: number, lo: number, hi: number): Float64Array {
  let s = seed >>> 0;
  const a = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[r] = lo + ((hi - lo) * s) / 4294967296;
  }
  return a;
}

/** y = sum_i sin((i+1) x_i) + x_0 x_1 on [-1, 1]^d, with its partials. */
function problem(n: number, d: number): { x: Float64Array[]; y: Float64Array; dy: Float64Array[] } {
  const x = Array.from({ length: d }, (_, i) => uniform(11 + i, n, -1, 1));
  const y = new Float64Array(n);
  const dy = x.map(() => new Float64Array(n));
  for (let r = 0; r < n; r++) {
    let v = x[0][r] * x[1][r];
    for (let i = 0; i < d; i++) {
      v += Math.sin((i + 1) * x[i][r]);
      dy[i][r] = (i + 1) * Math.cos((i + 1) * x[i][r]);
    }
    dy[0][r] += x[1][r];
    dy[1][r] += x[0][r];
    y[r] = v;
  }
  return { x, y, dy };
}

function spec(d: number, hidden: number[], batch: number): TrainSpec {
  return {
    data: '', inputs: Array.from({ length: d }, (_, i) => `x${i + 1}`), outputs: ['y'], grads: [], references: [], normalize: 'minmax', hidden, activation: 'tanh',
    epochs: 1, batchSize: batch, learningRate: 3e-3, gradWeight: 1, validationSplit: 0, patience: 0, seed: 7, outDir: '',
  };
}

async function main(): Promise<void> {
  const dir = path.join(__dirname, `.ab-${process.pid}`);
  const dirB = path.join(__dirname, `.ab-${process.pid}-b`);
  try {
    checkout(commit, dir);
    if (commitB) checkout(commitB, dirB);
    const backend = await initBackend('wasm');
    /* eslint-disable @typescript-eslint/no-require-imports */
    const bDir = commitB ? dirB : path.join(root, 'src', 'core', 'model');
    const cur = require(path.join(bDir, 'train')) as EngineApi;
    const old = require(path.join(dir, 'train')) as EngineApi;
    const curMlp = (require(path.join(bDir, 'mlp')) as { MlpModel: MlpCtor }).MlpModel;
    const oldMlp = (require(path.join(dir, 'mlp')) as { MlpModel: MlpCtor }).MlpModel;
    /* eslint-enable @typescript-eslint/no-require-imports */
    console.log(`${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' / ')}; backend ${backend}; A = ${commit}, B = ${commitB ?? 'working tree'}; ${ROUNDS} rounds`);
    const small = problem(2000, 2);
    const medium = problem(25_600, 8);
    const jx = problem(20_000, 8).x;
    const fns: [string, () => Promise<number>][] = [];
    const trainCase = (label: string, api: EngineApi, p: typeof small, d: number, hidden: number[], batch: number, sobolev: boolean): [string, () => Promise<number>] => [
      label,
      async () => {
        const data = { x: p.x, y: [p.y], dy: [sobolev ? p.dy : p.x.map(() => null)] };
        const c0 = process.cpuUsage();
        const r = await api.trainMlp(data, spec(d, hidden, batch));
        const c = process.cpuUsage(c0);
        r.model.dispose();
        return (c.user + c.system) / 1000 / Math.ceil(p.y.length / batch);
      },
    ];
    const models = new Map<EngineApi, ModelApi>();
    let jacWeights: unknown[] | null = null;
    const norm = { kind: 'minmax', range: [-1, 1], inputs: { offset: new Array(8).fill(0), scale: new Array(8).fill(1) }, outputs: { offset: [0], scale: [1] }, outputScaleSource: ['values'] };
    if (CASES.includes('jacobian')) {
      const trained = (await cur.trainMlp({ x: medium.x, y: [medium.y], dy: [medium.x.map(() => null)] }, spec(8, [128, 128, 128], 256))).model;
      jacWeights = trained.weights().map((l, i) => ({ nIn: [8, 128, 128, 128][i], nOut: [128, 128, 128, 1][i], W: l.W, b: l.b }));
      trained.dispose();
    }
    for (const [tag, api, Mlp] of [['A', old, oldMlp], ['B', cur, curMlp]] as const) {
      if (CASES.includes('small')) {
        fns.push(trainCase(`${tag}: small, values (ms/step)`, api, small, 2, [64, 64], 32, false));
        fns.push(trainCase(`${tag}: small, values + derivatives (ms/step)`, api, small, 2, [64, 64], 32, true));
      }
      if (CASES.includes('medium')) {
        fns.push(trainCase(`${tag}: medium, values (ms/step)`, api, medium, 8, [128, 128, 128], 256, false));
        fns.push(trainCase(`${tag}: medium, values + derivatives (ms/step)`, api, medium, 8, [128, 128, 128], 256, true));
      }
      if (jacWeights) {
        const model = new Mlp(Array.from({ length: 8 }, (_, i) => `x${i + 1}`), ['y'], 'tanh', jacWeights, norm, null);
        models.set(api, model);
        fns.push([
          `${tag}: Jacobian of 20,000 points (ms)`,
          async () => {
            const c0 = process.cpuUsage();
            model.jacobian(jx);
            const c = process.cpuUsage(c0);
            return (c.user + c.system) / 1000;
          },
        ]);
      }
    }
    // how far apart the two versions are
    const wa = (await old.trainMlp({ x: small.x, y: [small.y], dy: [small.dy] }, spec(2, [64, 64], 32))).model;
    const wb = (await cur.trainMlp({ x: small.x, y: [small.y], dy: [small.dy] }, spec(2, [64, 64], 32))).model;
    let diff = 0;
    let scale = 0;
    wa.weights().forEach((l, i) => l.W.forEach((v, j) => ((diff = Math.max(diff, Math.abs(v - wb.weights()[i].W[j]))), (scale = Math.max(scale, Math.abs(v))))));
    console.log(`weights after one epoch of small values + derivatives: max |A - B| / max |A| = ${(diff / scale).toExponential(2)}`);
    wa.dispose();
    wb.dispose();
    if (models.size === 2) {
      // same weights in both versions' MlpModel
      const ja = models.get(old)!.jacobian(jx);
      const jb = models.get(cur)!.jacobian(jx);
      let jd = 0;
      let js = 0;
      ja[0].forEach((col, i) => col.forEach((v, r) => ((jd = Math.max(jd, Math.abs(v - jb[0][i][r]))), (js = Math.max(js, Math.abs(v))))));
      console.log(`Jacobians of the same weights by the two versions: max |A - B| / max |A| = ${(jd / js).toExponential(2)}`);
    }
    for (const [, f] of fns) await f(); // warm-up
    // Each case runs A and B back to back, in the order A B in even rounds and B A in odd ones (the
    // one that runs second pays for the garbage the first one left, so a fixed order biases).
    const half = fns.length / 2;
    const times = new Map<string, number[]>();
    for (let r = 0; r < ROUNDS; r++) {
      for (let c = 0; c < half; c++) {
        const pair = r % 2 === 0 ? [fns[c], fns[half + c]] : [fns[half + c], fns[c]];
        for (const [name, f] of pair) times.set(name, [...(times.get(name) ?? []), await f()]);
      }
    }
    const order = [...fns.map(([name]) => name)];
    const sorted = new Map(order.map((n) => [n, times.get(n) ?? []]));
    times.clear();
    for (const [k, v] of sorted) times.set(k, v);
    for (const [name, t] of times) console.log(`${name.padEnd(52)} ${median(t).toFixed(2)} ms CPU (median of ${ROUNDS}; ${t.map((v) => v.toFixed(2)).join(' ')})`);
    console.log(`load at end ${loadavg()[0].toFixed(1)}`);
    for (const m of models.values()) m.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(dirB, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});
