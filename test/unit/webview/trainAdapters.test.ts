import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDerivativeColumn, suggestColumns } from '../../../src/vscode/train/columns';
import { derivativesCsv, fmtReport } from '../../../src/vscode/train/report';
import { oneInputRun, twoInputRun } from '../../webview/fixtures';

test('derivative column names in the common spellings are recognised', () => {
  const inputs = ['x', 'x1', 'temp'];
  assert.deepEqual(parseDerivativeColumn('dy_dx', inputs), { output: 'y', input: 'x', column: 'dy_dx' });
  assert.deepEqual(parseDerivativeColumn('dY_dX1', inputs), { output: 'Y', input: 'x1', column: 'dY_dX1' });
  assert.deepEqual(parseDerivativeColumn('dy/dtemp', inputs), { output: 'y', input: 'temp', column: 'dy/dtemp' });
  assert.deepEqual(parseDerivativeColumn('d_u_d_x', inputs), { output: 'u', input: 'x', column: 'd_u_d_x' });
  assert.deepEqual(parseDerivativeColumn('dydx1', inputs), { output: 'y', input: 'x1', column: 'dydx1' });
  assert.deepEqual(parseDerivativeColumn('dfdx', inputs), { output: 'f', input: 'x', column: 'dfdx' });
  assert.equal(parseDerivativeColumn('density', inputs), null);
  assert.equal(parseDerivativeColumn('dy_dz', inputs), null);
  assert.equal(parseDerivativeColumn('dy_dx', inputs, ['u']), null); // output must be one of the chosen outputs
});

test('suggestColumns separates outputs from derivative columns and finds derivative-only outputs', () => {
  const s = suggestColumns(['x1', 'x2', 'y', 'dy_dx1', 'dy_dx2', 'du_dx1', 'noise'], ['x1', 'x2']);
  assert.deepEqual(s.grads.map((g) => `${g.output}:${g.input}=${g.column}`), ['y:x1=dy_dx1', 'y:x2=dy_dx2', 'u:x1=du_dx1']);
  assert.deepEqual(s.outputs, [{ name: 'y', hasValues: true }, { name: 'noise', hasValues: true }, { name: 'u', hasValues: false }]);
});

test('derivatives CSV holds inputs, predictions and d<output>_d<input> at full precision', () => {
  const run = twoInputRun();
  const csv = derivativesCsv(run.series!, ['x', 'y'], ['z']).trim().split('\n');
  assert.equal(csv[0], 'x,y,z,dz_dx,dz_dy');
  assert.equal(csv.length, 1 + run.series!.inputs.x!.length);
  const row = csv[17]!.split(',').map(Number);
  const i = 16;
  assert.deepEqual(row, [run.series!.inputs.x![i], run.series!.inputs.y![i], run.series!.predicted.z![i], run.series!.derivatives['z/x']!.model[i], run.series!.derivatives['z/y']!.model[i]]);
});

test('the output-channel report names every metric', () => {
  const text = fmtReport(oneInputRun().report!);
  assert.match(text, /dy\/dx vs reference formula: relative L2 0\.9694 %, RMSE 0\.8395, max \|error\| 1\.521 at x=6\.35, median ratio 0\.999/);
  assert.doesNotMatch(text, /self-consistency/, 'scored against a formula: no self-consistency note');
  assert.match(text, /warning \(extrapolation\)/);
  assert.match(text, /model: models\/cubic/);
});

test('the output-channel report says when value metrics are after a constant offset', () => {
  const report = oneInputRun().report!;
  const plain = fmtReport(report);
  assert.doesNotMatch(plain, /not fitted to values/);
  report.value.y = { ...report.value.y!, offset: -2.5 };
  assert.match(fmtReport(report), /value y: relative L2 .* \(not fitted to values: after adding the best constant -2\.5\)/);
});
