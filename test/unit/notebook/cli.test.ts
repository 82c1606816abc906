/**
 * `autograd-lens lint` on notebooks, end to end through dist/cli.js (built when missing or older than
 * the sources): text, JSON and SARIF locations by cell, --fix that changes only edited sources, bad
 * notebooks, directory recursion.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseNotebook } from '../../../src/core/notebook/nbformat';
import { ROOT } from '../lint/helpers';
import { notebookJson, type CellSpec } from './helpers';

const CLI = join(ROOT, 'dist', 'cli.js');
const PINN = 'test/fixtures/notebooks/pinn-uxx-whole-gradient.ipynb';

function run(args: string[], cwd = ROOT): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function newestSource(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newestSource(p) : st.mtimeMs);
  }
  return t;
}

let work = '';
before(() => {
  const newest = Math.max(newestSource(join(ROOT, 'src/core')), newestSource(join(ROOT, 'src/cli')));
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < newest) {
    const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, `npm run build failed:\n${b.stderr}`);
  }
  work = mkdtempSync(join(tmpdir(), 'agl-nb-cli-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

const SPLIT: CellSpec[] = [
  ['code', 'import torch\nmodel = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))\nopt = torch.optim.Adam(model.parameters())'],
  ['markdown', '## Fit the derivative\n`g = torch.autograd.grad(model(x).sum(), x)[0]` is the *slope*.'],
  ['code', '%matplotlib inline\nx = torch.linspace(0, 1, 20).reshape(-1, 1)\nx.requires_grad_(True)\ns = 3 * x ** 2\ng = torch.autograd.grad(model(x).sum(), x)[0]'],
  ['code', '!nvidia-smi\nloss = ((g - s) ** 2).mean()\nloss.backward()\nopt.step()\n'],
];

function write(name: string, text: string): string {
  const p = join(work, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

test('json: a mistake split across cells is reported with its cell and the line within it; nothing on magics or markdown', () => {
  const file = write('split.ipynb', notebookJson(SPLIT));
  const r = run(['lint', '--format', 'json', file]);
  assert.equal(r.code, 1, r.err);
  const ds = JSON.parse(r.out) as Array<Record<string, unknown>>;
  assert.deepEqual(
    ds.map((d) => [d.code, d.cell, d.line, d.column]),
    [['AGL001', 3, 5, 5]],
  );
  assert.deepEqual(Object.keys(ds[0]), ['file', 'cell', 'line', 'column', 'endLine', 'endColumn', 'code', 'severity', 'message', 'rule', 'fixable']);
});

test('json and text on the real PINN notebook: the second derivative of the whole gradient matrix', () => {
  const r = run(['lint', '--format', 'json', PINN]);
  assert.equal(r.code, 1, r.err);
  const [d, ...rest] = JSON.parse(r.out) as Array<Record<string, unknown>>;
  assert.equal(rest.length, 0);
  assert.equal(d.file, PINN);
  assert.equal(d.code, 'AGL023');
  assert.equal(d.cell, 4);
  const nb = parseNotebook(readFileSync(join(ROOT, PINN), 'utf8'), PINN);
  assert.match(nb.cells[3].source.split('\n')[(d.line as number) - 1], /du_dxx = torch\.autograd\.grad\(inputs=self\.X, outputs=du_dX/);
  const text = run(['lint', PINN]);
  assert.match(text.out, new RegExp(`^${PINN.replace(/[.()]/g, '\\$&')}:cell 4:${d.line}:${d.column}: AGL023 `, 'm'));
  assert.match(text.out, /Found 1 problem in 1 file\./);
});

test('sarif: the region is the line of the notebook file that holds the finding; the cell is in the message and properties', () => {
  const text = notebookJson(SPLIT);
  const file = write('sarif.ipynb', text);
  const r = run(['lint', '--format', 'sarif', file]);
  assert.equal(r.code, 1, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.runs[0].invocations[0].executionSuccessful, true);
  const [res] = s.runs[0].results;
  // Plain text (code in quotes) with the Markdown alongside, as for .py files.
  assert.match(res.message.text, /^cell 3, line 5: 'torch\.autograd\.grad' /);
  assert.match(res.message.markdown, /^cell 3, line 5: `torch\.autograd\.grad` /);
  assert.deepEqual(res.properties.notebook, { cell: 3, startLine: 5, startColumn: 5, endLine: 5, endColumn: 43 });
  const region = res.locations[0].physicalLocation.region;
  const fileLine = text.split('\n')[region.startLine - 1];
  assert.equal(fileLine.slice(region.startColumn - 1, region.endColumn - 1), 'torch.autograd.grad(model(x).sum(), x)');
  const rel = res.relatedLocations.find((x: { properties?: { notebook?: { cell: number } } }) => x.properties?.notebook?.cell === 4);
  assert.ok(rel);
  assert.equal(text.split('\n')[rel.physicalLocation.region.startLine - 1].slice(rel.physicalLocation.region.startColumn - 1, rel.physicalLocation.region.endColumn - 1), 'loss');
});

test('text: a notebook finding is located by cell, in plain text, with the [*] mark of a safe fix', () => {
  const file = write('text.ipynb', notebookJson(SPLIT));
  const r = run(['lint', file]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /text\.ipynb:cell 3:5:5: AGL001 'torch\.autograd\.grad' .* \[\*\]$/m);
  assert.doesNotMatch(r.out, /`/);
  assert.match(r.out, /\[\*\] 1 fixable with --fix\./);
});

test('--fix edits the cell source only: outputs, metadata, ids and formatting stay byte for byte', () => {
  for (const indent of [1, 2]) {
    const before = notebookJson(SPLIT, { indent });
    const file = write(`fix-${indent}.ipynb`, before);
    const r = run(['lint', '--fix', file]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /Fixed 1\./);
    const after = readFileSync(file, 'utf8');
    const expected = notebookJson(
      SPLIT.map(([k, s], i) => [k, i === 2 ? s.replace('x)[0]', 'x, create_graph=True)[0]') : s] as CellSpec),
      { indent },
    );
    assert.equal(after, expected);
    // Nothing left, and a second run changes nothing.
    assert.equal(run(['lint', '--fix', file]).code, 0);
    assert.equal(readFileSync(file, 'utf8'), after);
  }
});

test('bad notebooks: a clear error naming the file, exit 2, and the other files are still linted', () => {
  const good = write('bad/good.ipynb', notebookJson(SPLIT));
  write('bad/broken.ipynb', '{"cells": [');
  write('bad/old.ipynb', notebookJson(SPLIT, { nbformat: 3 }));
  write('bad/nocells.ipynb', '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}');
  const r = run(['lint', join(work, 'bad')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /error: .*broken\.ipynb: not a notebook: the file is not valid JSON/);
  assert.match(r.err, /error: .*old\.ipynb: nbformat 3 is not supported/);
  assert.match(r.err, /error: .*nocells\.ipynb: not a notebook: no "cells" list/);
  assert.match(r.out, /good\.ipynb:cell 3:5:5: AGL001 /);
  assert.match(r.out, /3 paths could not be linted/);
  const sarif = JSON.parse(run(['lint', '--format', 'sarif', join(work, 'bad')]).out);
  assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
  assert.equal(sarif.runs[0].invocations[0].toolExecutionNotifications.length, 3);
  assert.equal(sarif.runs[0].results.length, 1);
  // The good file was not touched by a --fix run that met bad ones.
  const before = readFileSync(good, 'utf8');
  run(['lint', '--select', 'AGL999', '--fix', join(work, 'bad')]);
  assert.equal(readFileSync(good, 'utf8'), before);
});

test('directories: .ipynb files are found, .ipynb_checkpoints skipped, non-Python notebooks skipped with a note', () => {
  write('tree/a/nb.ipynb', notebookJson(SPLIT));
  write('tree/a/.ipynb_checkpoints/nb-checkpoint.ipynb', notebookJson(SPLIT));
  write('tree/b/script.py', 'import torch\nx = torch.ones(3, dtype=torch.long, requires_grad=True)\n');
  write('tree/c/julia.ipynb', notebookJson(SPLIT, { language: 'julia' }));
  const r = run(['lint', '--format', 'json', join(work, 'tree')]);
  assert.equal(r.code, 1, r.err);
  const ds = JSON.parse(r.out) as Array<{ file: string; cell?: number; code: string }>;
  assert.deepEqual(ds.map((d) => [d.file.split('/tree/')[1], d.cell ?? null, d.code]), [
    ['a/nb.ipynb', 3, 'AGL001'],
    ['b/script.py', null, 'AGL012'],
  ]);
  assert.match(r.err, /note: .*julia\.ipynb: the kernel language is julia, not Python: skipped/);
});
