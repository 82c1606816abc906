/**
 * The derivative loss's Jacobian in forward mode (one tangent pass per input) against reverse mode
 * (one backward pass per output), same engine, one process, interleaved: CPU ms per training step
 * (SobolevStep.run with the gradient) for tanh networks of one output, and the value-only step for
 * scale. The engine picks reverse mode when outputs < inputs (jacobianModeFor in step.ts).
 *
 * Run: node --import tsx bench/train/mode-ab.ts [--rounds 7]
 */
import { cpus, loadavg } from 'node:os';
import { initBackend } from '../../src/core/model/index';
import { initWeights } from '../../src/core/model/train';
import { Prng } from '../../src/core/model/prng';
import { SobolevStep, layerOffsets, parameterCount, type JacobianMode, type StepConfig } from '../../src/core/model/step';
import { transpose } from '../../src/core/model/matrix';

const argv = process.argv.slice(2);
const ROUNDS = argv.includes('--rounds') ? Number(argv[argv.indexOf('--rounds') + 1]) : 7;

function median(a: number[]): number {
  const s = [...a].sort((p, q) => p - q);
  return s[s.length >> 1];
}

function setup(sizes: number[], B: number, mode: JacobianMode, grads: boolean) {
  const d = sizes[0];
  const m = sizes[sizes.length - 1];
  const w = initWeights(sizes, new Prng(3));
  const theta = new Float32Array(parameterCount(sizes));
  const offs = layerOffsets(sizes);
  w.forEach((l, i) => {
    theta.set(l.W, offs[i].W);
    theta.set(l.b, offs[i].b);
  });
  const wT = w.map((l) => transpose(l.W, l.nIn, l.nOut));
  const rng = new Prng(4);
  const u = (): number => 2 * rng.next() - 1;
  const cfg: StepConfig = { sizes, activation: 'tanh', mode, valueMask: null, valueScale: 1, pairMask: null, gradScale: 1, valueWeight: 1, gradWeight: 1, hasValues: true, hasGrads: grads };
  const step = new SobolevStep(cfg);
  const batch = { rows: B, x: Float32Array.from({ length: B * d }, u), y: Float32Array.from({ length: B * m }, u), g: grads ? Float32Array.from({ length: B * m * d }, u) : null };
  const grad = new Float32Array(theta.length);
  return (): void => void step.run({ theta, wT }, batch, grad);
}

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  console.log(`${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' / ')}; backend ${backend}; CPU ms per step, median of ${ROUNDS} rounds`);
  const cases: [string, () => void, number][] = [];
  for (const [label, sizes, B, reps] of [
    ['small 2-64-64-1, batch 32', [2, 64, 64, 1], 32, 200],
    ['medium 8-128-128-128-1, batch 256', [8, 128, 128, 128, 1], 256, 20],
  ] as const) {
    cases.push([`${label}: values only`, setup([...sizes], B, 'forward', false), reps]);
    cases.push([`${label}: values + derivatives, forward mode`, setup([...sizes], B, 'forward', true), reps]);
    cases.push([`${label}: values + derivatives, reverse mode`, setup([...sizes], B, 'reverse', true), reps]);
  }
  for (const [, f, n] of cases) for (let i = 0; i < n; i++) f(); // warm-up
  const times = new Map<string, number[]>();
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? cases : [...cases].reverse();
    for (const [name, f, n] of order) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < n; i++) f();
      const c = process.cpuUsage(c0);
      times.set(name, [...(times.get(name) ?? []), (c.user + c.system) / 1000 / n]);
    }
  }
  for (const [name] of cases) console.log(`${name.padEnd(72)} ${median(times.get(name) ?? []).toFixed(2)} ms`);
  console.log(`load at end ${loadavg()[0].toFixed(1)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});
