/** Save/load: bit-identical round trip, the tfjs layers format, metadata, atomic replacement. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { promises as fsp, mkdtempSync, existsSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMlp, registerAutogradLensLayers, METADATA_FILE } from '../../../src/core/model/index';
import { writeFolderAtomically } from '../../../src/core/model/folder';
import { ACTIVATIONS, backendReady, randomModel, randomPoints } from './helpers';

const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'agl-model-'));
process.on('exit', () => {
  void fsp.rm(tmpRoot, { recursive: true, force: true });
});

const RANGES: [number, number][] = [
  [-3, 5],
  [100, 140],
];

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

/** Reads a saved folder the way any tfjs user would, with a plain tf.loadLayersModel. */
async function plainLoad(dir: string): Promise<tf.LayersModel> {
  registerAutogradLensLayers(); // needed for sin networks (custom layer class); harmless otherwise
  const json = JSON.parse(await fsp.readFile(path.join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const weights = await fsp.readFile(path.join(dir, json.weightsManifest[0].paths[0]));
  const handler: tf.io.IOHandler = {
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  };
  return tf.loadLayersModel(handler);
}

for (const act of ACTIVATIONS) {
  test(`save → load gives bit-identical predictions and derivatives; plain tf.loadLayersModel reads it (${act})`, async () => {
    await backendReady();
    const x = randomPoints(200, RANGES, 3);
    const model = randomModel(act, 'standard', x);
    const dir = path.join(tmpRoot, `m-${act}`);
    await model.save(dir, { note: 'from test', metrics: { a: 1 } });
    assert.deepEqual(readdirSync(dir).sort(), ['autograd-lens.json', 'model.json', 'weights.bin']);
    const { model: loaded, metadata } = await loadMlp(dir);
    assert.equal(metadata.note, 'from test');
    assert.deepEqual(metadata.metrics, { a: 1 });
    assert.equal(metadata.format, 'autograd-lens-mlp');
    assert.deepEqual(metadata.inputs, ['x1', 'x2']);
    assert.equal(loaded.activation, act);
    assert.deepEqual(loaded.hidden, [8, 6]);
    assert.deepEqual(loaded.normalization, model.normalization);
    const p0 = model.predict(x);
    const p1 = loaded.predict(x);
    const j0 = model.jacobian(x);
    const j1 = loaded.jacobian(x);
    for (let k = 0; k < 2; k++) {
      sameBits(p0[k], p1[k], `y${k}`);
      for (let i = 0; i < 2; i++) sameBits(j0[k][i], j1[k][i], `J${k}${i}`);
    }
    if (act !== 'relu') {
      const h0 = model.hessian(x);
      const h1 = loaded.hessian(x);
      for (let k = 0; k < 2; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) sameBits(h0[k][i][j], h1[k][i][j], 'H');
    }
    // A plain tfjs user gets the same network in normalized units.
    const lm = await plainLoad(dir);
    const { inputs: ni, outputs: no } = model.normalization;
    const xn = tf.tensor2d(Array.from({ length: 20 }, (_, r) => [0, 1].map((i) => (x[i][r] - ni.offset[i]) / ni.scale[i])));
    const yn = (lm.predict(xn) as tf.Tensor).arraySync() as number[][];
    for (let r = 0; r < 20; r++) {
      for (let k = 0; k < 2; k++) {
        const raw = yn[r][k] * no.scale[k] + no.offset[k];
        assert.ok(Math.abs(raw - p0[k][r]) <= 1e-5 * no.scale[k], `tf.loadLayersModel output ${raw} vs ${p0[k][r]}`);
      }
    }
    tf.dispose([xn]);
    lm.dispose();
    model.dispose();
    loaded.dispose();
  });
}

test('saving over an existing model replaces it and keeps other files; leaves no temp folders', async () => {
  await backendReady();
  const x = randomPoints(20, RANGES, 4);
  const a = randomModel('tanh', 'minmax', x, 2, [4], 1);
  const b = randomModel('tanh', 'minmax', x, 2, [5], 2);
  const dir = path.join(tmpRoot, 'replace');
  await a.save(dir, { which: 'a' });
  await fsp.writeFile(path.join(dir, 'report.json'), '{"keep":true}');
  await b.save(dir, { which: 'b' });
  const { model, metadata } = await loadMlp(dir);
  assert.equal(metadata.which, 'b');
  assert.deepEqual(model.hidden, [5]);
  assert.equal(await fsp.readFile(path.join(dir, 'report.json'), 'utf8'), '{"keep":true}');
  assert.deepEqual(readdirSync(tmpRoot).filter((f) => f.startsWith('.replace')), []);
  [a, b, model].forEach((m) => m.dispose());
});

test('a failure while writing leaves the old model untouched and no temp folder', async () => {
  await backendReady();
  const x = randomPoints(20, RANGES, 5);
  const a = randomModel('tanh', 'minmax', x, 2, [4], 1);
  const dir = path.join(tmpRoot, 'crash');
  await a.save(dir, { which: 'a' });
  const before = await fsp.readFile(path.join(dir, 'weights.bin'));
  // the second file's data is not writable: the write fails half way through the new folder
  await assert.rejects(
    writeFolderAtomically(
      dir,
      [
        { name: 'model.json', data: '{}' },
        { name: 'weights.bin', data: 42 as unknown as string },
      ],
      { markerFile: METADATA_FILE, ownFiles: ['model.json', 'weights.bin', METADATA_FILE] },
    ),
  );
  assert.deepEqual(await fsp.readFile(path.join(dir, 'weights.bin')), before);
  const { metadata, model } = await loadMlp(dir);
  assert.equal(metadata.which, 'a');
  assert.deepEqual(readdirSync(tmpRoot).filter((f) => f.startsWith('.crash')), []);
  a.dispose();
  model.dispose();
});

test('refuses to save into a non-empty folder that is not a model folder', async () => {
  await backendReady();
  const x = randomPoints(20, RANGES, 6);
  const a = randomModel('tanh', 'minmax', x, 2, [4], 1);
  const dir = path.join(tmpRoot, 'userstuff');
  await fsp.mkdir(dir);
  await fsp.writeFile(path.join(dir, 'thesis.tex'), 'precious');
  await assert.rejects(a.save(dir, {}), /not empty .* not a model folder/);
  assert.equal(await fsp.readFile(path.join(dir, 'thesis.tex'), 'utf8'), 'precious');
  assert.equal(existsSync(path.join(dir, METADATA_FILE)), false);
  a.dispose();
});

test('loading bad folders gives clear errors', async () => {
  await backendReady();
  await assert.rejects(loadMlp(path.join(tmpRoot, 'nope')), /does not exist/);
  const empty = path.join(tmpRoot, 'empty');
  await fsp.mkdir(empty);
  await assert.rejects(loadMlp(empty), /autograd-lens.json is missing/);
  const x = randomPoints(20, RANGES, 7);
  const a = randomModel('silu', 'minmax', x, 2, [4], 1);
  const dir = path.join(tmpRoot, 'broken');
  await a.save(dir, {});
  await fsp.rm(path.join(dir, 'weights.bin'));
  await assert.rejects(loadMlp(dir), /weights file .* is missing/);
  const dir2 = path.join(tmpRoot, 'badnorm');
  await a.save(dir2, {});
  const meta = JSON.parse(await fsp.readFile(path.join(dir2, METADATA_FILE), 'utf8')) as Record<string, unknown>;
  (meta.normalization as { inputs: { scale: number[] } }).inputs.scale = [1];
  await fsp.writeFile(path.join(dir2, METADATA_FILE), JSON.stringify(meta));
  await assert.rejects(loadMlp(dir2), /invalid normalization state: inputs has 2 offsets and 1 scales/);
  a.dispose();
});

