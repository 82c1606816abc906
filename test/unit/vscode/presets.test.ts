/**
 * The training command's presets describe the settings that will run (derived from
 * defaultTrainSpec, so a change of the engine's defaults changes the words), derivative presets are
 * offered only with derivative columns, run labels say what the run was trained on, and the status
 * message of a finished run says what happened.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRESETS, describePreset, layersText, presetSettings, presetsFor, runLabel, trainsOnDerivatives } from '../../../src/vscode/train/presets';
import { statusMessage } from '../../../src/vscode/train/report';
import { defaultTrainSpec } from '../../../src/core/pipeline/defaults';
import { DEFAULT_TRAIN_SETTINGS } from '../../../src/core/model/defaults';
import { oneInputRun } from '../../webview/fixtures';

const byId = (id: string) => PRESETS.find((p) => p.id === id)!;
const values = { outputs: ['y'], grads: [] };
const withGrads = { outputs: ['y'], grads: [{ output: 'y', input: 'x' }] };

test('each description is made of the settings the preset trains with', () => {
  for (const p of PRESETS) {
    const s = defaultTrainSpec(p.spec);
    const d = describePreset(p, withGrads);
    const layers = s.hidden.every((w) => w === s.hidden[0]) ? `${s.hidden.length}×${s.hidden[0]}` : s.hidden.join('-');
    assert.ok(d.startsWith(`${layers} ${s.activation}, `), d);
    assert.ok(d.includes(`${s.epochs} epochs`), d);
    assert.ok(d.includes(p.spec.batchSize === undefined ? `batch up to ${s.batchSize}` : `batch ${s.batchSize}`), d);
    assert.ok(d.includes(`learning rate ${Number(s.learningRate.toPrecision(4))}`), d);
  }
  // The defaults preset is the engine's defaults: what DEFAULT_TRAIN_SETTINGS says, not a copy of it.
  const d = describePreset(byId('defaults'), values);
  assert.ok(d.startsWith(`${layersText(DEFAULT_TRAIN_SETTINGS.hidden)} ${DEFAULT_TRAIN_SETTINGS.activation}, ${DEFAULT_TRAIN_SETTINGS.epochs} epochs`), d);
  assert.equal(layersText([64, 64]), '2×64');
  assert.equal(layersText([64, 32]), '64-32');
  assert.doesNotMatch(d, /derivative/, 'no derivative weight without derivative columns');
  assert.match(describePreset(byId('derivatives'), withGrads), /derivative weight 10/);
  assert.match(describePreset(byId('derivatives-only'), withGrads), /derivative columns only/);
  assert.deepEqual(presetSettings(byId('quick')).hidden, [32, 32]);
  // Settings a preset leaves open scale with large files, and the description says so.
  assert.match(d, /; above 100,000 rows larger batches and fewer epochs$/);
  assert.match(describePreset(byId('quick'), values), /; above 100,000 rows larger batches$/);
});

test('"Emphasise derivatives" only with derivative columns; "Derivatives only" when every output has them', () => {
  assert.deepEqual(presetsFor(values).map((p) => p.id), ['defaults', 'quick']);
  assert.deepEqual(presetsFor(withGrads).map((p) => p.id), ['defaults', 'derivatives', 'derivatives-only', 'quick']);
  assert.deepEqual(presetsFor({ outputs: ['y', 'z'], grads: [{ output: 'y', input: 'x' }] }).map((p) => p.id), ['defaults', 'derivatives', 'quick']);
});

test('run labels say "+ derivatives" only when the derivative columns are in the loss', () => {
  const base = { inputs: ['x'], outputs: ['y'] };
  const grads = [{ output: 'y', input: 'x', column: 'dy_dx' }];
  assert.equal(runLabel('d.csv', { ...base, grads: [] }), 'd.csv: x → y');
  assert.equal(runLabel('d.csv', { ...base, grads }), 'd.csv: x → y + derivatives');
  assert.equal(runLabel('d.csv', { ...base, grads, fit: 'values' }), 'd.csv: x → y', 'columns only checked');
  assert.equal(runLabel('d.csv', { ...base, grads, gradWeight: 0 }), 'd.csv: x → y', 'weight 0');
  assert.equal(runLabel('d.csv', { ...base, grads, fit: 'derivatives' }), 'd.csv: x → y, derivatives only');
  assert.equal(runLabel('seed003.csv', { inputs: ['x1', 'x2'], outputs: ['V'], grads }, ['x1', 'x2', 'dV_dx1', 'dV_dx2']), 'seed003.csv: x1,x2 → V, derivatives only', 'no value column');
  assert.equal(runLabel('d.csv', { ...base, grads }, ['x', 'y', 'dy_dx']), 'd.csv: x → y + derivatives');
  assert.equal(trainsOnDerivatives({ ...base, grads }), true);
});

test('status messages say what happened: a model saved by training, nothing saved by an analysis', () => {
  const report = oneInputRun().report!;
  const rel = (p: string) => `rel(${p})`;
  assert.equal(statusMessage('train', 'seed000.csv: x → y', 'completed', report, undefined, rel), 'trained seed000.csv: x → y: model saved to rel(models/cubic); 1 derivative checked in the analysis panel');
  const analysed = statusMessage('analysis', 'analysis of models/cubic', 'completed', report, undefined, rel);
  assert.equal(analysed, 'analysis of models/cubic: 1 derivative checked; results in the analysis panel');
  assert.doesNotMatch(analysed, /saved/);
  assert.match(statusMessage('train', 'L', 'cancelled', null, 'x', rel), /cancelled; no model was saved/);
  assert.match(statusMessage('analysis', 'L', 'failed', null, 'bad column', rel), /analysis of L failed: bad column/);
});
