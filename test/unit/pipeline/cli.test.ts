/**
 * End-to-end: the bundled CLI (`src/cli/main.ts` built with esbuild like scripts/build.mjs builds
 * dist/cli.js, into out/test-cli/ so a developer's dist/ is left alone) spawned as a process.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleForNode, root } from './bundle';
import { writeSeeds } from '../../fixtures/data/seeds';

const cli = join(root, 'out', 'test-cli', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'agl-cli-'));
let files: Record<string, string>;

before(async () => {
  await bundleForNode('src/cli/main.ts', cli);
  files = writeSeeds(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  // These tests are about the CLI and the TensorFlow.js engine; the torch engine has its own
  // (test/unit/torch/). Without this, `auto` would pick whatever python3 on the PATH offers.
  if (args[0] === 'train' && !args.includes('--engine')) args = [...args, '--engine', 'tfjs'];
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const REF002 = 'f = x^3 + 5*x + y^2';

test('train --json: exit 0, stdout is exactly one Report object', () => {
  const out = join(dir, 'model002');
  const r = run('train', files.seed002, '--inputs', 'x,y', '--outputs', 'f', '--reference', REF002, '--epochs', '20', '--json', '--out', out, '--seed', '3');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'one line of JSON on stdout');
  const rep = JSON.parse(lines[0]) as Record<string, unknown>;
  assert.deepEqual(rep.inputs, ['x', 'y']);
  assert.deepEqual(rep.outputs, ['f']);
  const value = rep.value as Record<string, Record<string, number>>;
  assert.deepEqual(Object.keys(value.f).sort(), ['relL2', 'rmse']);
  const ders = rep.derivatives as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(ders).sort(), ['f/x', 'f/y']);
  for (const k of ['relL2', 'rmse', 'maxAbs', 'medianRatio', 'reference', 'maxAbsAt']) assert.ok(k in ders['f/x'], k);
  assert.equal(ders['f/x'].reference, 'expression');
  assert.ok(Array.isArray(rep.warnings));
  assert.equal(rep.modelDir, out);
  assert.equal(rep.status, 'completed');
  assert.equal(rep.epochs, 20);
  assert.ok(existsSync(join(out, 'autograd-lens.json')));
  assert.doesNotMatch(r.stderr, /epoch \d/, 'no progress lines with --json');

  // analyze the saved model on its data (default) and with an explicit file.
  const a = run('analyze', out, '--json');
  assert.equal(a.code, 0, a.stderr);
  const ra = JSON.parse(a.stdout) as { derivatives: Record<string, { reference: string; relL2: number }>; modelDir: string };
  assert.equal(ra.derivatives['f/x'].reference, 'expression', 'references stored with the model are reused');
  assert.ok(Math.abs(ra.derivatives['f/x'].relL2 - (ders['f/x'].relL2 as number)) < 1e-6);
  const a2 = run('analyze', out, '--data', files.seed002, '--reference', 'f = x^3 + 5*x', '--json');
  assert.equal(a2.code, 0, a2.stderr);

  // --export writes the model's predictions and derivatives at the data points.
  const csvOut = join(dir, 'exported.csv');
  const ex = run('analyze', out, '--export', csvOut, '--json');
  assert.equal(ex.code, 0, ex.stderr);
  const lines2 = readFileSync(csvOut, 'utf8').trim().split('\n');
  assert.equal(lines2[0], 'x,y,f,df_dx,df_dy');
  assert.equal(lines2.length, 401);

  // A different data file outside the training range gets an extrapolation warning.
  const wide = join(dir, 'wide.csv');
  writeFileSync(wide, 'x,y,f\n-10,0,0\n0,0,0\n10,9,0\n');
  const a3 = run('analyze', out, '--data', wide, '--json');
  assert.equal(a3.code, 0, a3.stderr);
  assert.ok((JSON.parse(a3.stdout) as { warnings: { code: string }[] }).warnings.some((w) => w.code === 'extrapolation'));
});

test('train without --json prints progress to stderr and a table to stdout', () => {
  const r = run('train', files.seed000, '--inputs', 'x', '--outputs', 'y', '--reference', 'y = x^3 + 7 - 3*x', '--epochs', '5', '--out', join(dir, 'm0'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /epoch 5\/5/);
  assert.match(r.stderr, /warning \[few-rows\]/);
  assert.match(r.stdout, /derivatives w.r.t. raw inputs:/);
  assert.match(r.stdout, /y\/x\s/);
});

test('derivative-only training with --grad', () => {
  const r = run('train', files.seed003, '--inputs', 'x1,x2', '--outputs', 'V', '--grad', 'V:x1=dV_dx1,V:x2=dV_dx2', '--epochs', '3', '--json', '--out', join(dir, 'm3'));
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(r.stdout) as { value: Record<string, unknown>; derivatives: Record<string, { reference: string }> };
  assert.deepEqual(rep.value, {}, 'no value column: value left out');
  assert.equal(rep.derivatives['V/x1'].reference, 'column');
});

test('--fit derivatives ignores the value column in training and reports values after the best offset', () => {
  const out = join(dir, 'm2d');
  const r = run('train', files.seed002, '--inputs', 'x,y', '--outputs', 'f', '--grad', 'f:x=df_dx,f:y=df_dy', '--fit', 'derivatives', '--epochs', '3', '--json', '--out', out);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(r.stdout) as { value: Record<string, { offset?: number }> };
  assert.equal(typeof rep.value.f.offset, 'number');
  const meta = JSON.parse(readFileSync(join(out, 'autograd-lens.json'), 'utf8')) as { spec: { fit: string } };
  assert.equal(meta.spec.fit, 'derivatives');
  const text = run('analyze', out);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /not fitted to values: f after adding the best constant/);

  const bad = run('train', files.seed002, '--inputs', 'x,y', '--outputs', 'f', '--fit', 'gradients', '--json');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--fit must be one of values, derivatives, both \(got 'gradients'\)/);
  const noGrad = run('train', files.seed002, '--inputs', 'x,y', '--outputs', 'f', '--fit', 'derivatives', '--json');
  assert.equal(noGrad.code, 2);
  assert.match(noGrad.stderr, /'f' has no derivative columns/);
});

test('analyze a derivatives CSV from another model (bring your own model)', () => {
  const r = run('analyze', files.seed002, '--inputs', 'x,y', '--outputs', 'f', '--pred', 'f=f', '--grad', 'f:x=df_dx,f:y=df_dy', '--reference', REF002, '--json');
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(r.stdout) as { derivatives: Record<string, { relL2: number }>; modelDir: null };
  assert.ok(rep.derivatives['f/x'].relL2 < 1e-12, 'exact derivative columns match the reference');
  assert.equal(rep.modelDir, null);
});

test('a diverging run exits with 1, reports status failed and saves nothing', () => {
  const out = join(dir, 'diverged');
  const r = run('train', files.seed002, '--inputs', 'x,y', '--outputs', 'f', '--lr', '1e30', '--epochs', '3', '--json', '--out', out);
  assert.equal(r.code, 1, r.stderr);
  const rep = JSON.parse(r.stdout) as { status: string; warnings: { code: string }[]; modelDir: null };
  assert.equal(rep.status, 'failed');
  assert.ok(rep.warnings.some((w) => w.code === 'training-failed'));
  assert.equal(rep.modelDir, null);
  assert.equal(existsSync(out), false);
});

test('errors exit with 2 and name the problem', () => {
  const missing = run('train', files.seed002, '--inputs', 'x,z', '--outputs', 'f', '--json');
  assert.equal(missing.code, 2);
  assert.equal(missing.stdout, '');
  assert.match(missing.stderr, /missing column 'z'/);
  assert.match(missing.stderr, /row 1, column 'z'/);

  const noOut = run('train', files.seed002, '--inputs', 'x,y', '--outputs', 'g', '--json');
  assert.equal(noOut.code, 2);
  assert.match(noOut.stderr, /output 'g' has no value column/);

  const badRef = run('train', files.seed002, '--inputs', 'x,y', '--outputs', 'f', '--reference', 'f = x + zz', '--json');
  assert.equal(badRef.code, 2);
  assert.match(badRef.stderr, /unknown symbol 'zz'/);

  const badNum = run('train', files.seed002, '--inputs', 'x,y', '--outputs', 'f', '--epochs', 'many');
  assert.equal(badNum.code, 2);
  assert.match(badNum.stderr, /--epochs needs a number/);

  const badFlag = run('train', files.seed002, '--inputs', 'x,y', '--outputs', 'f', '--colour');
  assert.equal(badFlag.code, 2);

  const notModel = run('analyze', dir, '--json');
  assert.equal(notModel.code, 2);
  assert.match(notModel.stderr, /not a model folder/);

  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'x,y,f\n1,2,3\n4,five,6\n7,8,9\n1,1,1\n2,2,2\n3,3,3\n');
  const cell = run('train', bad, '--inputs', 'x,y', '--outputs', 'f');
  assert.equal(cell.code, 2);
  assert.match(cell.stderr, /bad\.csv \(row 3, column 'y'\): 'five' is not a number/);
});

test('train --engine torch (Debian PyTorch), --engine errors, and --save-script', async () => {
  const { TEST_PYTHON } = await import('../torch/python');
  const out = join(dir, 'cli-torch');
  const r = run('train', files.seed002, '--inputs', 'x,y', '--outputs', 'f', '--epochs', '3', '--engine', 'torch', '--python', TEST_PYTHON, '--device', 'cpu', '--json', '--out', out);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { engine: string; engineNote: string; backend: string; status: string };
  assert.equal(report.engine, 'torch');
  assert.match(report.engineNote, /^engine torch: PyTorch \S+ in /);
  assert.match(report.backend, /^torch .* \(cpu\)$/);
  assert.ok(existsSync(join(out, 'autograd-lens.json')));
  const human = run('train', files.seed000, '--inputs', 'x', '--outputs', 'y', '--epochs', '2', '--engine', 'torch', '--python', join(dir, 'no-python-here'), '--out', join(dir, 'cli-none'));
  assert.equal(human.code, 2);
  assert.match(human.stderr, /the PyTorch engine cannot run: Python was not found/);
  const bad = run('train', files.seed000, '--inputs', 'x', '--outputs', 'y', '--engine', 'jax');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--engine must be one of auto, tfjs, torch/);
  const scriptDir = join(dir, 'script');
  const s = run('train', files.seed003, '--inputs', 'x1,x2', '--outputs', 'V', '--grad', 'V:x1=dV_dx1,V:x2=dV_dx2', '--epochs', '40', '--save-script', scriptDir, '--json');
  assert.equal(s.code, 0, s.stderr);
  assert.deepEqual(JSON.parse(s.stdout).files.map((f: string) => f.slice(scriptDir.length + 1)), ['autograd_lens_train.py', 'autograd_lens_mlp.py', 'spec.json']);
  const spec = JSON.parse(readFileSync(join(scriptDir, 'spec.json'), 'utf8')) as { data: string; epochs: number; grads: unknown[]; init: string };
  assert.equal(spec.data, '../seed003.csv');
  assert.equal(spec.epochs, 40);
  assert.equal(spec.grads.length, 2);
  assert.equal(existsSync(join(dir, 'models', 'seed003')), false, '--save-script trains nothing');
  // The batch size left open follows the data, as a run here would set it (a small file: smaller batches).
  const { dataScaledSettings, DEFAULT_TRAIN_SETTINGS } = await import('../../../src/core/model/defaults');
  const rows = readFileSync(files.seed003, 'utf8').trim().split('\n').length - 1;
  const trainRows = rows - Math.round(rows * DEFAULT_TRAIN_SETTINGS.validationSplit);
  assert.equal((spec as unknown as { batchSize: number }).batchSize, dataScaledSettings(trainRows).batchSize);
  // A large file: larger batches and fewer epochs, said on stderr; options given are kept.
  const big = join(dir, 'big-for-script.csv');
  const lines = ['a,b'];
  for (let i = 0; i < 250_000; i++) lines.push(`${i / 250_000},${Math.sin(i)}`);
  writeFileSync(big, lines.join('\n') + '\n');
  const bigDir = join(dir, 'script-big');
  const sb = run('train', big, '--inputs', 'a', '--outputs', 'b', '--save-script', bigDir);
  assert.equal(sb.code, 0, sb.stderr);
  assert.match(sb.stderr, /warning \[large-data-defaults\]: .* training rows: batch size/);
  const bigSpec = JSON.parse(readFileSync(join(bigDir, 'spec.json'), 'utf8')) as { batchSize: number; epochs: number };
  const bigTrain = 250_000 - Math.round(250_000 * DEFAULT_TRAIN_SETTINGS.validationSplit);
  assert.deepEqual({ batchSize: bigSpec.batchSize, epochs: bigSpec.epochs }, dataScaledSettings(bigTrain));
  assert.ok(bigSpec.batchSize > DEFAULT_TRAIN_SETTINGS.batchSize);
  const chosenDir = join(dir, 'script-chosen');
  assert.equal(run('train', big, '--inputs', 'a', '--outputs', 'b', '--batch-size', '32', '--save-script', chosenDir).code, 0);
  assert.equal((JSON.parse(readFileSync(join(chosenDir, 'spec.json'), 'utf8')) as { batchSize: number }).batchSize, 32);
});
