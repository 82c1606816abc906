/**
 * Notebooks checked with PyTorch: the quoted cells of the real PINN notebook compute `du_dxx` as
 * u_xx + u_tx (test/fixtures/notebooks/pinn_uxx_ground_truth.py runs the notebook's own code), and the
 * demo notebook does not train until the fix the linter applies to its cell.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixCells } from '../../../src/core/notebook/lint';
import { parseNotebook } from '../../../src/core/notebook/nbformat';
import { parseGroundTruth, pickPython, runScript, ROOT } from '../ground-truth/helpers';
import { getLinter } from '../lint/helpers';

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

/** The code cells of a notebook as a script: cells in order, line magics left out, fewer epochs for time. */
function script(cells: Array<{ kind: string; source: string }>): string {
  return cells
    .filter((c) => c.kind === 'code')
    .map((c) => c.source.split('\n').filter((l) => !l.startsWith('%')).join('\n'))
    .join('\n')
    .replace('range(1, 1000)', 'range(1, 301)');
}

function losses(stdout: string): number[] {
  return [...stdout.matchAll(/^epoch \d+ loss ([-\d.e+]+)/gm)].map((m) => Number(m[1]));
}

test('the demo notebook: it does not train, and trains after the safe fixes fixCells applies (PyTorch)', async (t) => {
  const { python, problem } = pickPython();
  if (problem) {
    t.skip(`no Python with PyTorch: ${problem}`);
    return;
  }
  const file = join(ROOT, 'demo/seed003_gradient_loss.ipynb');
  const nb = parseNotebook(readFileSync(file, 'utf8'), file);
  const fixed = fixCells(await getLinter(), nb.cells, { path: file });
  assert.equal(fixed.applied, 1);
  assert.deepEqual(fixed.diagnostics, []);
  const dir = mkdtempSync(join(tmpdir(), 'agl-nb-gt-'));
  try {
    writeFileSync(join(dir, 'before.py'), script(nb.cells));
    writeFileSync(join(dir, 'after.py'), script(fixed.cells));
    const before = losses((await runScript(python, join(dir, 'before.py'))).stdout);
    const after = losses((await runScript(python, join(dir, 'after.py'))).stdout);
    assert.equal(before.length, 3);
    assert.equal(after.length, 3);
    assert.equal(before.at(-1), before[0], `unfixed: the loss does not move (${before.join(', ')})`);
    assert.ok((after.at(-1) as number) < 0.95 * after[0], `fixed: the loss falls (${after.join(', ')})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
