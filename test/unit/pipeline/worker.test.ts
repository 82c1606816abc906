/**
 * The worker thread and its promise client, on the bundled worker (built like dist/trainWorker.js,
 * into out/test-worker/): progress and warnings stream in, results come back, cancel stops training
 * within an epoch and leaves no model folder, data errors keep their file/row/column.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleForNode, root } from './bundle';
import { exportDerivativesInWorker, startTrainingWorker, startWorker } from '../../../src/core/pipeline/client';
import { DataError } from '../../../src/core/data/errors';
import { PROGRESS_INTERVAL_MS } from '../../../src/core/pipeline/messages';
import type { DataWarning, EpochProgress } from '../../../src/core/model/types';
import { writeSeeds } from '../../fixtures/data/seeds';

const workerJs = join(root, 'out', 'test-worker', 'trainWorker.js');
const dir = mkdtempSync(join(tmpdir(), 'agl-worker-'));
let files: Record<string, string>;

before(async () => {
  await bundleForNode('src/core/pipeline/worker.ts', workerJs);
  files = writeSeeds(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('train in a worker: progress, warnings, report and series', async () => {
  const progress: EpochProgress[] = [];
  const warnings: DataWarning[] = [];
  const run = startTrainingWorker(
    workerJs,
    { data: files.seed000, inputs: ['x'], outputs: ['y'], references: [{ output: 'y', expression: 'x^3 + 7 - 3*x' }], epochs: 7, outDir: join(dir, 'w0') },
    { onProgress: (p) => progress.push(p), onWarning: (w) => warnings.push(w) },
  );
  const r = await run.done;
  assert.equal(r.status, 'completed');
  // Progress is thinned to one event per PROGRESS_INTERVAL_MS, always with the first and the last epoch;
  // the full history comes with the result.
  const epochs = progress.map((p) => p.epoch);
  assert.equal(epochs[0], 1);
  assert.equal(epochs[epochs.length - 1], 7);
  assert.ok(epochs.every((e, i) => i === 0 || e > epochs[i - 1]), `increasing: ${epochs}`);
  assert.deepEqual(r.history.map((p) => p.epoch), [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(warnings.map((w) => w.code), ['few-rows']);
  assert.equal(r.report.derivatives['y/x'].reference, 'expression');
  assert.ok(r.series?.derivatives['y/x'].model instanceof Float64Array, 'typed arrays survive the thread boundary');
  assert.ok(existsSync(join(dir, 'w0', 'autograd-lens.json')));

  // Export from the saved model, in a worker: the derivative column matches the report's series.
  const csv = await exportDerivativesInWorker(workerJs, join(dir, 'w0'), files.seed000);
  const rows = csv.trim().split('\n');
  assert.equal(rows[0], 'x,y,dy_dx');
  assert.equal(rows.length, 11);
  const d = rows.slice(1).map((l) => Number(l.split(',')[2]));
  const model = r.series?.derivatives['y/x'].model;
  assert.ok(model);
  d.forEach((v, i) => assert.ok(Math.abs(v - model[i]) <= 1e-9 * Math.max(1, Math.abs(v)), `row ${i}`));
  await assert.rejects(exportDerivativesInWorker(workerJs, join(dir, 'nothing-here'), files.seed000), /does not exist|not a model folder/);
});

test('progress from a fast run is thinned, so the host is not flooded', async () => {
  const progress: EpochProgress[] = [];
  const run = startTrainingWorker(
    workerJs,
    { data: files.seed000, inputs: ['x'], outputs: ['y'], epochs: 3000, outDir: join(dir, 'fast') },
    { onProgress: (p) => progress.push(p) },
  );
  const r = await run.done;
  assert.equal(r.history.length, 3000);
  assert.equal(progress[progress.length - 1].epoch, 3000);
  // At most one event per interval (plus first and last): far fewer than epochs, however fast the run.
  const elapsed = r.history[r.history.length - 1].elapsedMs;
  assert.ok(progress.length <= Math.ceil(elapsed / PROGRESS_INTERVAL_MS) + 2, `${progress.length} events in ${elapsed} ms`);
});

test('cancel stops within an epoch and writes nothing', async () => {
  const out = join(dir, 'cancelled');
  let seen = 0;
  let cancelAt = 0; // the epoch of the progress event on which we cancel (events are thinned, see messages.ts)
  const run = startTrainingWorker(workerJs, { data: files.seed002, inputs: ['x', 'y'], outputs: ['f'], epochs: 100000, outDir: out }, {
    onProgress: (p) => {
      seen++;
      if (seen === 2) {
        cancelAt = p.epoch;
        run.cancel();
      }
    },
  });
  const r = await run.done;
  assert.equal(r.status, 'cancelled');
  assert.equal(r.report.modelDir, null);
  // Progress events are thinned and cross a thread, so a fast run is some epochs past the event when the
  // cancel arrives; that the engine stops inside the epoch it is in is checked in test/unit/model/train.test.ts.
  assert.ok(r.history.length >= cancelAt && r.history.length <= cancelAt + 200, `cancelled at epoch ${cancelAt}, stopped after ${r.history.length} epochs`);
  assert.equal(existsSync(out), false, 'no model folder');
});

test('a DataError in the worker arrives as a DataError with its location', async () => {
  const run = startWorker(workerJs, { type: 'train', spec: { data: files.seed002, inputs: ['x', 'nope'], outputs: ['f'], epochs: 1, outDir: join(dir, 'x') } });
  await assert.rejects(run.done, (err: unknown) => err instanceof DataError && err.column === 'nope' && err.row === 1 && /missing column 'nope'/.test(err.message));
});

test('bring-your-own-model analysis in a worker', async () => {
  const run = startWorker(workerJs, {
    type: 'analyzeCsv',
    data: files.seed002,
    inputs: ['x', 'y'],
    outputs: ['f'],
    predictionColumns: { f: 'f' },
    derivativeColumns: [{ output: 'f', input: 'x', column: 'df_dx' }],
    references: ['f = x^3 + 5*x + y^2'],
  });
  const r = await run.done;
  assert.ok(r.report.derivatives['f/x'].relL2 < 1e-12);
  assert.equal(r.report.derivatives['f/y'], undefined);
});
