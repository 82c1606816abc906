/**
 * The PyTorch training engine against a plain PyTorch script of the same training, in one run.
 *
 *   node --import tsx bench/train/torch-engine-bench.ts [--repeats 2] [--epochs 2] [--batch 256]
 *                                                      [--threads 1] [--rows 100000] [--json FILE]
 *
 * Cases: the medium cases of train-bench (100,000 rows, 8 inputs of very different ranges,
 * 8-128-128-128-1 tanh, minmax, Adam with the cosine schedule), values only and values + derivatives.
 * Both sides start from the engine's initial weights, use the same number of threads (1 by default,
 * also through OMP_NUM_THREADS) and the same data; runs are interleaved (engine, plain, plain,
 * engine, ...) so that load from other processes hits both alike.
 *
 * Two measures, both CPU seconds (user + system) and wall seconds:
 *  - training: inside each Python process, from the data in memory to trained weights (the engine's
 *    own set-up included: spec checks, seeded split, normalization, initial weights, progress lines,
 *    cancel checks, early-stopping bookkeeping);
 *  - end to end: `trainTorch` as the pipeline calls it (columns written for the script, interpreter
 *    start, import torch, training, model folder written, read back by loadMlp) against running the
 *    plain script as a process (interpreter start, import torch, data read, training, weights saved).
 *    CPU here is the Python process's own CPU (reported at its end) plus, for the engine, the Node
 *    side's.
 * Overhead = engine / plain - 1, median over the repeats. The target is <= 10 % on the medium cases.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/core/model/index';
import { initWeights } from '../../src/core/model/train';
import { Prng } from '../../src/core/model/prng';
import { defaultTrainSpec } from '../../src/core/pipeline/defaults';
import { trainTorch } from '../../src/core/torch/engine';
import { mediumProblem, type Problem } from './problems';

function opt(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}
const REPEATS = Number(opt('repeats', '2'));
const EPOCHS = Number(opt('epochs', '2'));
const BATCH = Number(opt('batch', '256'));
const THREADS = Number(opt('threads', '1'));
const ROWS = Number(opt('rows', '100000'));
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const JSON_OUT = opt('json', '');
const LR = 1e-3;
const SEED = 7;
const HIDDEN = [128, 128, 128];

const work = mkdtempSync(path.join(tmpdir(), 'agl-torch-engine-bench-'));
let fileNo = 0;
function writeArray(a: Float32Array | Float64Array): string {
  const f = path.join(work, `a${fileNo++}.bin`);
  writeFileSync(f, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return f;
}

const median = (a: number[]): number => {
  const s = [...a].sort((p, q) => p - q);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

interface Sample {
  trainCpu: number;
  trainWall: number;
  e2eCpu: number;
  e2eWall: number;
  loss: number;
}

function runPlain(req: Record<string, unknown>): Promise<Sample> {
  const f = path.join(work, `req${fileNo++}.json`);
  writeFileSync(f, JSON.stringify(req));
  const w0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [path.join(__dirname, 'torch_plain.py'), f], { env: { ...process.env, OMP_NUM_THREADS: String(THREADS), PYTHONDONTWRITEBYTECODE: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`plain script failed: ${err}`));
      const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { trainCpu: number; trainWall: number; processCpu: number; lastEpochLoss: number };
      resolve({ trainCpu: r.trainCpu, trainWall: r.trainWall, e2eCpu: r.processCpu, e2eWall: (performance.now() - w0) / 1000, loss: r.lastEpochLoss });
    });
  });
}

async function runEngine(p: Problem, derivatives: boolean): Promise<Sample> {
  const spec = defaultTrainSpec({
    data: 'bench', inputs: p.inputs, outputs: ['y'], grads: derivatives ? p.inputs.map((i) => ({ output: 'y', input: i, column: `dy_d${i}` })) : [],
    normalize: 'minmax', hidden: HIDDEN, activation: 'tanh', epochs: EPOCHS, batchSize: BATCH, learningRate: LR, gradWeight: 1, seed: SEED, init: 'fan-in',
  });
  const data = { x: p.x, y: [p.y], dy: [p.x.map((_, i) => (derivatives ? p.dy[i] : null))] };
  const prev = process.env.OMP_NUM_THREADS;
  process.env.OMP_NUM_THREADS = String(THREADS);
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const r = await trainTorch(data, spec, { python: PYTHON, device: 'cpu', threads: THREADS });
  const c = process.cpuUsage(c0);
  const wall = (performance.now() - w0) / 1000;
  if (prev === undefined) delete process.env.OMP_NUM_THREADS;
  else process.env.OMP_NUM_THREADS = prev;
  r.model?.dispose();
  if (!r.seconds || r.processCpu === undefined) throw new Error('the engine did not report its timings');
  return { trainCpu: r.seconds.cpu, trainWall: r.seconds.wall, e2eCpu: r.processCpu + (c.user + c.system) / 1e6, e2eWall: wall, loss: r.history[r.history.length - 1].loss };
}

async function main(): Promise<void> {
  await initBackend('wasm'); // loadMlp reads the engine's folder back, as the pipeline does
  const p = mediumProblem(ROWS);
  const xFiles = p.x.map(writeArray);
  const yFile = writeArray(p.y);
  const dyFiles = p.dy.map(writeArray);
  const sizes = [p.inputs.length, ...HIDDEN, 1];
  const layers = initWeights(sizes, new Prng(SEED * 3 + 2), 'fan-in', 'tanh');
  const flat = new Float32Array(layers.reduce((s, l) => s + l.W.length + l.b.length, 0));
  let off = 0;
  for (const l of layers) {
    flat.set(l.W, off);
    off += l.W.length;
    flat.set(l.b, off);
    off += l.b.length;
  }
  const initFile = writeArray(flat);
  const load0 = loadavg();
  console.log(`torch engine vs plain PyTorch: ${ROWS} rows, ${sizes.join('-')} tanh, ${EPOCHS} epochs x batch ${BATCH}, ${THREADS} thread(s), ${REPEATS} repeats; ${cpus().length} cores, load ${load0.map((l) => l.toFixed(2)).join(' ')}`);
  const rows: Record<string, unknown>[] = [];
  for (const derivatives of [false, true]) {
    const name = derivatives ? 'medium, values + derivatives' : 'medium, values';
    const req = { n: ROWS, d: p.inputs.length, x: xFiles, y: yFile, dy: dyFiles, derivatives, sizes, init: initFile, lr: LR, epochs: EPOCHS, batch: BATCH, threads: THREADS, out: path.join(work, 'plain.pt') };
    const eng: Sample[] = [];
    const plain: Sample[] = [];
    await runPlain(req); // warm the page cache and the interpreter's files for both sides
    for (let i = 0; i < REPEATS; i++) {
      if (i % 2 === 0) {
        eng.push(await runEngine(p, derivatives));
        plain.push(await runPlain(req));
      } else {
        plain.push(await runPlain(req));
        eng.push(await runEngine(p, derivatives));
      }
    }
    const m = (a: Sample[], k: keyof Sample) => median(a.map((s) => s[k]));
    const row = {
      case: name,
      engine: { trainCpu: m(eng, 'trainCpu'), trainWall: m(eng, 'trainWall'), e2eCpu: m(eng, 'e2eCpu'), e2eWall: m(eng, 'e2eWall'), loss: m(eng, 'loss') },
      plain: { trainCpu: m(plain, 'trainCpu'), trainWall: m(plain, 'trainWall'), e2eCpu: m(plain, 'e2eCpu'), e2eWall: m(plain, 'e2eWall'), loss: m(plain, 'loss') },
      samples: { engine: eng, plain },
    };
    const pct = (a: number, b: number) => `${((a / b - 1) * 100).toFixed(1)} %`;
    console.log(`\n${name}`);
    console.log(`  training CPU   engine ${row.engine.trainCpu.toFixed(2)} s  plain ${row.plain.trainCpu.toFixed(2)} s  overhead ${pct(row.engine.trainCpu, row.plain.trainCpu)}`);
    console.log(`  training wall  engine ${row.engine.trainWall.toFixed(2)} s  plain ${row.plain.trainWall.toFixed(2)} s  overhead ${pct(row.engine.trainWall, row.plain.trainWall)}`);
    console.log(`  end-to-end CPU  engine ${row.engine.e2eCpu.toFixed(2)} s  plain ${row.plain.e2eCpu.toFixed(2)} s  overhead ${pct(row.engine.e2eCpu, row.plain.e2eCpu)}`);
    console.log(`  end-to-end wall engine ${row.engine.e2eWall.toFixed(2)} s  plain ${row.plain.e2eWall.toFixed(2)} s  overhead ${pct(row.engine.e2eWall, row.plain.e2eWall)}`);
    console.log(`  last epoch loss engine ${row.engine.loss.toExponential(3)}  plain ${row.plain.loss.toExponential(3)}`);
    rows.push(row);
  }
  const load1 = loadavg();
  console.log(`\nload at the end ${load1.map((l) => l.toFixed(2)).join(' ')}`);
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ loadStart: load0, loadEnd: load1, rows }, null, 2));
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
