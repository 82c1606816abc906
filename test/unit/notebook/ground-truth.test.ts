/**
 * The real notebook bug, checked with PyTorch: the quoted cells of the PINN notebook compute `du_dxx` as
 * u_xx + u_tx (test/fixtures/notebooks/pinn_uxx_ground_truth.py runs the notebook's own code).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseGroundTruth, pickPython, runScript, ROOT } from '../ground-truth/helpers';

test('pinn-uxx-whole-gradient.ipynb: the notebook\'s du_dxx is u_xx + u_tx, not u_xx', async (t) => {
  const { python, problem } = pickPython();
  if (problem) {
    t.skip(`no Python with PyTorch: ${problem}`);
    return;
  }
  const dir = join(ROOT, 'test/fixtures/notebooks');
  const r = await runScript(python, join(dir, 'pinn_uxx_ground_truth.py'));
  const [rec] = parseGroundTruth(r.stdout);
  assert.ok(rec, `no GROUND_TRUTH line:\n${r.stdout}\n${r.stderr}`);
  assert.equal(rec.misbehaves, true, rec.detail);
});
