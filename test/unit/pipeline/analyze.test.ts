import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDerivativesCsv, runAnalyze, runTrain } from '../../../src/core/pipeline/run';
import { SpecError } from '../../../src/core/pipeline/spec';
import { DataError } from '../../../src/core/data/errors';
import { writeSeeds } from '../../fixtures/data/seeds';

const dir = mkdtempSync(join(tmpdir(), 'agl-analyze-'));
const files = writeSeeds(dir);
after(() => rmSync(dir, { recursive: true, force: true }));

test('runAnalyze reuses stored references, finds its data by relative path and notices a changed file', async () => {
  const data = join(dir, 'own.csv');
  copyFileSync(files.seed000, data);
  const modelDir = join(dir, 'sub', 'model');
  const trained = await runTrain({ data, inputs: ['x'], outputs: ['y'], references: [{ output: 'y', expression: 'x^3 + 7 - 3*x' }], epochs: 5, outDir: modelDir });
  const same = await runAnalyze(modelDir, null, []);
  assert.equal(same.report.derivatives['y/x'].reference, 'expression');
  assert.ok(Math.abs(same.report.derivatives['y/x'].relL2 - trained.report.derivatives['y/x'].relL2) < 1e-9, 'same model, same data, same metrics');
  assert.deepEqual(same.report.warnings, []);
  assert.ok(same.series.trainingInputs?.x, 'training points known when analysing the training file');

  appendFileSync(data, '3,25\n');
  const changed = await runAnalyze(modelDir, null, []);
  assert.deepEqual(changed.report.warnings.map((w) => w.code), ['data-changed']);

  const other = await runAnalyze(modelDir, files.seed000, ['y = 3*x']);
  assert.equal(other.report.derivatives['y/x'].reference, 'expression');
  assert.equal(other.series.trainingInputs, undefined);
  const meta = JSON.parse(readFileSync(join(modelDir, 'autograd-lens.json'), 'utf8')) as { data: { path: string } };
  assert.equal(meta.data.path, '../../own.csv');
});

test('bring your own model: no reference means no metrics for that pair, and a warning', async () => {
  const r = await analyzeDerivativesCsv(files.seed002, {
    inputs: ['x', 'y'],
    outputs: ['f'],
    predictionColumns: {},
    derivativeColumns: [{ output: 'f', input: 'y', column: 'df_dy' }],
    references: [],
  });
  assert.deepEqual(r.report.derivatives, {});
  assert.deepEqual(r.report.warnings.map((w) => w.code), ['no-reference']);
  assert.ok(Number.isNaN(r.series.derivatives['f/y'].finiteDifference[0]));
  await assert.rejects(
    analyzeDerivativesCsv(files.seed002, { inputs: ['x'], outputs: ['f'], predictionColumns: {}, derivativeColumns: [], references: [] }),
    SpecError,
  );
  await assert.rejects(
    analyzeDerivativesCsv(files.seed002, { inputs: ['x', 'y'], outputs: ['f'], predictionColumns: { f: 'pred_f' }, derivativeColumns: [], references: [] }),
    (err: unknown) => err instanceof DataError && err.column === 'pred_f',
  );
  // A wrong derivative column is caught: df/dx judged against the df/dy formula's partner.
  const wrong = await analyzeDerivativesCsv(files.seed002, {
    inputs: ['x', 'y'],
    outputs: ['f'],
    predictionColumns: { f: 'f' },
    derivativeColumns: [{ output: 'f', input: 'x', column: 'df_dy' }],
    references: ['f = x^3 + 5*x + y^2'],
  });
  assert.ok(wrong.report.derivatives['f/x'].relL2 > 0.5);
});

test('spec errors are SpecErrors before any file is read', async () => {
  await assert.rejects(runTrain({ data: join(dir, 'absent.csv'), inputs: ['x'], outputs: ['x'] }), /'x' is both an input and an output/);
  await assert.rejects(runTrain({ data: files.seed000, inputs: ['x'], outputs: ['y'], epochs: 0 }), /--epochs must be a positive whole number/);
  await assert.rejects(runTrain({ data: files.seed000, inputs: ['x'], outputs: ['y'], activation: 'gelu' as never }), /--activation must be one of/);
  await assert.rejects(
    runTrain({ data: files.seed000, inputs: ['x'], outputs: ['y'], grads: [{ output: 'y', input: 'q', column: 'c' }] }),
    /'q' is not an input/,
  );
});

test('without a batch size, a small file gets batches of a quarter of its rows (at least 8); a given size is kept', async () => {
  const { defaultBatchSize } = await import('../../../src/core/model/defaults');
  assert.equal(defaultBatchSize(10), 8);
  assert.equal(defaultBatchSize(60), 15);
  assert.equal(defaultBatchSize(256), 64);
  assert.equal(defaultBatchSize(100_000), 64);
  assert.equal(defaultBatchSize(3), 8);
  const auto = await runTrain({ data: files.seed000, inputs: ['x'], outputs: ['y'], epochs: 2, outDir: join(dir, 'auto-batch') });
  const meta = JSON.parse(readFileSync(join(dir, 'auto-batch', 'autograd-lens.json'), 'utf8')) as { spec: { batchSize: number } };
  assert.equal(meta.spec.batchSize, 8, 'seed 000 has ten rows');
  assert.equal(auto.status, 'completed');
  // A smaller batch for a small file is what the default means: no large-data warning for it.
  assert.ok(!auto.report.warnings.some((w) => w.code === 'large-data-defaults'), JSON.stringify(auto.report.warnings));
  await runTrain({ data: files.seed000, inputs: ['x'], outputs: ['y'], epochs: 2, batchSize: 64, outDir: join(dir, 'given-batch') });
  const given = JSON.parse(readFileSync(join(dir, 'given-batch', 'autograd-lens.json'), 'utf8')) as { spec: { batchSize: number } };
  assert.equal(given.spec.batchSize, 64);
});
