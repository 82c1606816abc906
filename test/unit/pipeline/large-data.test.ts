/**
 * Large files through the pipeline: defaults that scale with the rows when the user left them open,
 * and analysis and plots on a seeded random sample of the rows.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANALYSIS_SAMPLE_ROWS, runAnalyze, runTrain, sampleRows } from '../../../src/core/pipeline/run';
import { dataScaledSettings, DEFAULT_TRAIN_SETTINGS, LARGE_DATA_ROWS } from '../../../src/core/model/defaults';
import type { DataWarning } from '../../../src/core/model/types';

const dir = mkdtempSync(join(tmpdir(), 'agl-large-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('defaults scale with the rows only above LARGE_DATA_ROWS: batch doubles per doubling of the rows, epochs shrink in proportion', () => {
  const base = { batchSize: DEFAULT_TRAIN_SETTINGS.batchSize, epochs: DEFAULT_TRAIN_SETTINGS.epochs };
  assert.deepEqual(dataScaledSettings(400), base);
  assert.deepEqual(dataScaledSettings(256), base);
  assert.deepEqual(dataScaledSettings(LARGE_DATA_ROWS), base);
  assert.deepEqual(dataScaledSettings(LARGE_DATA_ROWS + 1), { batchSize: 128, epochs: 1000 });
  assert.deepEqual(dataScaledSettings(1_000_000), { batchSize: 1024, epochs: 100 });
  assert.deepEqual(dataScaledSettings(2_000_000), { batchSize: 2048, epochs: 50 });
  assert.deepEqual(dataScaledSettings(5_000_000), { batchSize: 4096, epochs: 20 });
  assert.deepEqual(dataScaledSettings(1e9), { batchSize: 16_384, epochs: 20 });
  // an epoch is never more than ~1,600 steps, whatever the rows
  for (const rows of [150_000, 999_999, 3_300_000, 12_000_000]) {
    const s = dataScaledSettings(rows);
    assert.ok(rows / s.batchSize <= (LARGE_DATA_ROWS / DEFAULT_TRAIN_SETTINGS.batchSize) * 1.0001 || s.batchSize === 16_384, `${rows} rows: ${rows / s.batchSize} steps`);
  }
});

test('the same function holds the small-file rule: up to LARGE_DATA_ROWS a quarter of the rows, 8..64, and the default epochs', () => {
  const epochs = DEFAULT_TRAIN_SETTINGS.epochs;
  assert.deepEqual(dataScaledSettings(10), { batchSize: 8, epochs });
  assert.deepEqual(dataScaledSettings(60), { batchSize: 15, epochs });
  assert.deepEqual(dataScaledSettings(255), { batchSize: 64, epochs });
  assert.deepEqual(dataScaledSettings(3), { batchSize: 8, epochs });
  // the two rules meet without a jump in steps per epoch: 64 rows per batch on both sides of the edge
  assert.equal(dataScaledSettings(LARGE_DATA_ROWS).batchSize, 64);
  assert.equal(dataScaledSettings(LARGE_DATA_ROWS + 1).batchSize, 128);
});

test('sampleRows: k distinct sorted rows of n, the same for the same seed, spread over the whole range', () => {
  assert.equal(sampleRows(10, 10, 0), null);
  assert.equal(sampleRows(10, 20, 0), null);
  const s = sampleRows(1_000_000, 10_000, 3) as Int32Array;
  assert.equal(s.length, 10_000);
  for (let j = 1; j < s.length; j++) assert.ok(s[j] > s[j - 1], 'sorted and distinct');
  assert.ok(s[0] >= 0 && s[s.length - 1] < 1_000_000);
  assert.deepEqual(sampleRows(1_000_000, 10_000, 3), s);
  assert.notDeepEqual(sampleRows(1_000_000, 10_000, 4), s);
  // uniform: each tenth of the rows gets about a tenth of the sample (binomial sd ~ 30)
  const counts = new Array(10).fill(0);
  for (const r of s) counts[Math.floor(r / 100_000)]++;
  for (const c of counts) assert.ok(Math.abs(c - 1000) < 150, `decile counts ${counts.join(' ')}`);
});

test(`a file of ${(ANALYSIS_SAMPLE_ROWS * 1.5).toLocaleString('en-US')} rows: batch size scaled when left open, kept when given; metrics and plots on a ${ANALYSIS_SAMPLE_ROWS.toLocaleString('en-US')}-row sample`, async () => {
  const n = ANALYSIS_SAMPLE_ROWS * 1.5;
  const file = join(dir, 'big.csv');
  const fd = openSync(file, 'w');
  writeSync(fd, 'a,b,y\n');
  let buf = '';
  for (let i = 0; i < n; i++) {
    const a = ((i * 7919) % 10007) / 10007;
    const b = ((i * 104729) % 9973) / 9973;
    buf += `${a},${b},${a * a + 0.5 * b}\n`;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);

  const warnings: DataWarning[] = [];
  const out = join(dir, 'model');
  const r = await runTrain({ data: file, inputs: ['a', 'b'], outputs: ['y'], hidden: [4], epochs: 1, outDir: out }, { onWarning: (w) => warnings.push(w) });
  assert.equal(r.status, 'completed');
  const scaled = warnings.find((w) => w.code === 'large-data-defaults');
  assert.ok(scaled, 'the scaled batch size is announced');
  assert.match(scaled.message, /^150,000 training rows: batch size 128 \(instead of 64\), so that an epoch takes minutes rather than hours; set --batch-size to choose\.$/);
  assert.ok(r.report.warnings.some((w) => w.code === 'analysis-sample'), 'the sample is announced in the report');
  assert.match(warnings.find((w) => w.code === 'analysis-sample')!.message, /random sample of 100,000 of the 150,000 rows/);
  assert.equal(r.series!.inputs.a.length, ANALYSIS_SAMPLE_ROWS);
  assert.equal(r.series!.derivatives['y/a'].model.length, ANALYSIS_SAMPLE_ROWS);
  assert.equal(r.series!.trainingInputs!.b.length, ANALYSIS_SAMPLE_ROWS);
  const meta = JSON.parse(readFileSync(join(out, 'autograd-lens.json'), 'utf8')) as { spec: { batchSize: number; epochs: number }; data: { rows: number }; training: { trainRows: number; settings: { batchSize: number } } };
  assert.equal(meta.spec.batchSize, 128, 'the effective batch size is what is saved');
  assert.equal(meta.training.settings.batchSize, 128);
  assert.equal(meta.data.rows, n);
  assert.equal(meta.training.trainRows, n, 'training used every row');
  // the sampled rows are rows of the file
  const ai = Array.from(r.series!.inputs.a);
  assert.ok(ai.every((v) => v >= 0 && v < 1));

  // analysing the saved model on the same file samples the same way
  const a = await runAnalyze(out, null, []);
  assert.equal(a.series.inputs.a.length, ANALYSIS_SAMPLE_ROWS);
  assert.ok(a.report.warnings.some((w) => w.code === 'analysis-sample'));

  // a batch size the user gave is kept, and nothing is announced
  const w2: DataWarning[] = [];
  await runTrain({ data: file, inputs: ['a', 'b'], outputs: ['y'], hidden: [4], epochs: 1, batchSize: 64, outDir: join(dir, 'model2') }, { onWarning: (w) => w2.push(w) });
  assert.equal(w2.find((w) => w.code === 'large-data-defaults'), undefined);
  const meta2 = JSON.parse(readFileSync(join(dir, 'model2', 'autograd-lens.json'), 'utf8')) as { spec: { batchSize: number } };
  assert.equal(meta2.spec.batchSize, 64);
});
