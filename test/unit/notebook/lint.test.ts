/**
 * A notebook linted as one program with the real engine: findings across cells, located by cell;
 * nothing on magics or markdown; noqa in cells; a broken cell does not stop the others; fixes applied
 * to cells; line references in messages rewritten to cells; the real PINN notebook bug.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { applyCellFixes, fixCells, lintCells, type CellDiagnostic } from '../../../src/core/notebook/lint';
import { parseNotebook } from '../../../src/core/notebook/nbformat';
import { buildProgram, rewriteLineReferences, type CellInput } from '../../../src/core/notebook/program';
import { getLinter, ROOT } from '../lint/helpers';

function cells(...specs: Array<[CellInput['kind'], string]>): CellInput[] {
  return specs.map(([kind, source], index) => ({ index, kind, source }));
}

const MODEL = 'import torch\nmodel = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))\nopt = torch.optim.Adam(model.parameters())';
const DERIVATIVE = '%matplotlib inline\nx = torch.linspace(0, 1, 20).reshape(-1, 1)\nx.requires_grad_(True)\ns = 3 * x ** 2\ng = torch.autograd.grad(model(x).sum(), x)[0]';
const LOSS = '!nvidia-smi\nloss = ((g - s) ** 2).mean()\nloss.backward()\nopt.step()\n';

/** The seed-003 mistake split over three code cells, with markdown, magics and a shell escape in between. */
const SPLIT = cells(['code', MODEL], ['markdown', '## Fit the derivative\n`g = torch.autograd.grad(model(x).sum(), x)[0]`'], ['code', DERIVATIVE], ['code', LOSS]);

function brief(ds: CellDiagnostic[]): string[] {
  return ds.map((d) => `${d.code}@cell${d.cell + 1}:${d.range.start.line + 1}:${d.range.start.column + 1}`);
}

test('a derivative made in one cell and used in a loss in another is found, located by cell', async () => {
  const linter = await getLinter();
  const ds = lintCells(linter, SPLIT, { path: 'split.ipynb' });
  assert.deepEqual(brief(ds), ['AGL001@cell3:5:5']);
  const d = ds[0];
  assert.equal(SPLIT[2].source.split('\n')[d.range.start.line].slice(d.range.start.column, d.range.end.column), 'torch.autograd.grad(model(x).sum(), x)');
  // The related location is in the loss cell.
  const rel = d.related.find((r) => r.cell === 3);
  assert.ok(rel, JSON.stringify(d.related));
  assert.equal(LOSS.split('\n')[rel.range.start.line].slice(rel.range.start.column, rel.range.end.column), 'loss');
  // The same cell alone has no loss: the finding needs the program view.
  assert.deepEqual(lintCells(linter, cells(['code', MODEL], ['code', DERIVATIVE]), {}), []);
});

test('magics, shell escapes, help and markdown give nothing (a notebook with only those and correct code is clean)', async () => {
  const linter = await getLinter();
  const nb = cells(
    ['markdown', '# torch.autograd.grad(y, x) without create_graph\n```python\ng = torch.autograd.grad(model(x).sum(), x)[0]\nloss = (g ** 2).mean()\nloss.backward()\n```'],
    ['code', '%load_ext autoreload\n%autoreload 2\n!pip install torch\nimport torch\ntorch.autograd.grad?'],
    ['code', '%%bash\nls -la\npython train.py'],
    ['raw', 'g = torch.autograd.grad(model(x).sum(), x)[0]'],
    ['code', MODEL],
    ['code', DERIVATIVE.replace('x)[0]', 'x, create_graph=True)[0]')],
    ['code', '%%time\n' + LOSS],
  );
  assert.deepEqual(brief(lintCells(linter, nb, {})), []);
});

test('# noqa works in a cell', async () => {
  const linter = await getLinter();
  const quiet = SPLIT.map((c) => (c.index === 2 ? { ...c, source: c.source.replace('[0]', '[0]  # noqa: AGL001') } : c));
  assert.deepEqual(brief(lintCells(linter, quiet, {})), []);
  const other = SPLIT.map((c) => (c.index === 2 ? { ...c, source: c.source.replace('[0]', '[0]  # noqa: AGL005') } : c));
  assert.deepEqual(brief(lintCells(linter, other, {})), ['AGL001@cell3:5:5']);
});

test('a cell that does not parse does not stop the others', async () => {
  const linter = await getLinter();
  for (const broken of ['x = f(1,\n  2', 's = """never closed\n', 'def broken(:\n    pass', 'x = 1 +* 2', 'y = 1 + \\\n']) {
    const nb = cells(['code', MODEL], ['code', broken], ['code', DERIVATIVE], ['code', LOSS]);
    assert.deepEqual(brief(lintCells(linter, nb, {})), ['AGL001@cell3:5:5'], `broken cell: ${JSON.stringify(broken)}`);
  }
  // An open cell stays in the program (closed after its end): its own findings and imports still count.
  const open = cells(['code', 'import torch\nx = torch.ones(3, dtype=torch.long, requires_grad=True)\nz = f(1,\n'], ['code', 'y = torch.ones(2, dtype=torch.int64, requires_grad=True)']);
  assert.deepEqual(buildProgram(open).repaired, [0]);
  assert.deepEqual(brief(lintCells(linter, open, {})), ['AGL012@cell1:2:5', 'AGL012@cell2:1:5']);
});

test('a fix is applied to the cell it belongs to and the finding goes', async () => {
  const linter = await getLinter();
  const ds = lintCells(linter, SPLIT, {});
  const fix = ds[0].fixes.find((f) => f.safe);
  assert.ok(fix, 'AGL001 offers a safe fix');
  assert.ok(fix.edits.every((e) => e.cell === 2));
  const { sources, applied } = applyCellFixes(SPLIT, ds);
  assert.equal(applied, 1);
  assert.deepEqual([...sources.keys()], [2]);
  assert.match(sources.get(2) as string, /create_graph=True/);
  assert.ok((sources.get(2) as string).startsWith('%matplotlib inline\n'), 'the magic is kept as written');
  const fixed = fixCells(linter, SPLIT, {});
  assert.equal(fixed.applied, 1);
  assert.deepEqual(fixed.diagnostics, []);
  assert.equal(fixed.cells[3].source, LOSS);
});

test('line references in messages name the cell and its line, not the program line', () => {
  const unit = buildProgram(SPLIT).units[0];
  // The program: cell 1 (3 lines), cell 3 (5 lines), cell 4 (4 lines): program line 8 is cell 3, line 5.
  assert.equal(rewriteLineReferences('made here (line 8), used on line 10', unit), 'made here (line 5 of cell 3), used on line 2 of cell 4');
  assert.equal(rewriteLineReferences('`see line 8` stays', unit), '`see line 8` stays');
});

test('the real PINN notebook: u_xx taken from the whole gradient matrix is found in its cell', async () => {
  // test/fixtures/notebooks/pinn-uxx-whole-gradient.ipynb quotes cells of
  // https://github.com/jayroxis/PINNs/blob/master/Burgers%20Equation/Burgers.ipynb (see the fixtures' README).
  const file = join(ROOT, 'test/fixtures/notebooks/pinn-uxx-whole-gradient.ipynb');
  const nb = parseNotebook(readFileSync(file, 'utf8'), file);
  const ds = lintCells(await getLinter(), nb.cells, { path: file });
  assert.equal(ds.length, 1, JSON.stringify(brief(ds)));
  const d = ds[0];
  assert.equal(d.code, 'AGL023');
  assert.equal(d.cell, 3, 'the fourth cell (after a markdown cell and two code cells)');
  const line = nb.cells[3].source.split('\n')[d.range.start.line];
  assert.match(line, /^\s*du_dxx = torch\.autograd\.grad\(inputs=self\.X, outputs=du_dX, grad_outputs=torch\.ones_like\(du_dX\)/);
  assert.match(d.message, /du_dX/);
});
