/** The run card's "trained on" says what the loss saw; the run list's time is short. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainedOn, whenText } from '../../../webview-ui/src/views';
import { oneInputRun, twoInputRun } from '../../webview/fixtures';

test('trained on: values only, values and derivative columns, derivative columns only (from the report)', () => {
  const grads = [{ output: 'V', input: 'x1', column: 'dV_dx1' }, { output: 'V', input: 'x2', column: 'dV_dx2' }];
  assert.equal(trainedOn({ inputs: ['x'], outputs: ['y'], grads: [] }), 'trained on values only');
  assert.equal(trainedOn({ inputs: ['x'], outputs: ['y'], grads, fit: 'values' }), 'trained on values; 2 derivative columns used only to check');
  assert.equal(trainedOn({ inputs: ['x'], outputs: ['y'], grads, fit: 'derivatives' }), 'trained on 2 derivative columns only');
  // seed 003: no value column, so no value metrics: derivatives only, whatever `fit` says.
  const noValues = { ...twoInputRun().report!, value: {} };
  assert.equal(trainedOn({ inputs: ['x1', 'x2'], outputs: ['V'], grads }, noValues), 'trained on 2 derivative columns only');
  assert.equal(trainedOn({ inputs: ['x', 'y'], outputs: ['z'], grads }, twoInputRun().report), 'trained on values and 2 derivative columns');
  // While running (no report yet) nothing is claimed about values.
  assert.equal(trainedOn({ inputs: ['x1', 'x2'], outputs: ['V'], grads, gradWeight: 10 }), 'trained on 2 derivative columns (weight 10)');
  assert.equal(trainedOn({}), null);
  void oneInputRun;
});

test('when a run ran: the time today, the date and time otherwise', () => {
  const now = new Date('2026-03-05T15:00:00');
  assert.match(whenText('2026-03-05T09:07:00', now), /^0?9:07/);
  assert.match(whenText('2026-02-01T09:07:00', now), /Feb.*0?9:07|1.*0?9:07/);
  assert.equal(whenText('not a date', now), '');
});
