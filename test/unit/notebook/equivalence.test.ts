/**
 * A notebook is linted as the file it would be: every lint fixture and precision sample (flagged and
 * correct code), cut into cells at its top-level statements, with markdown cells, line magics and a
 * shell escape put in between, must give the same findings (code, start and end) as the .py file, mapped
 * back through the cells. Correct code stays clean as a notebook ("precision as for .py files"); flagged
 * code is found at the same places.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { lintCells } from '../../../src/core/notebook/lint';
import type { CellInput } from '../../../src/core/notebook/program';
import { allFixtures, findPy, getLinter, readText, rel, ROOT } from '../lint/helpers';

/**
 * Cuts a file at column-0 statements that follow a blank line (outside triple-quoted strings); returns
 * the cells and the file line each starts at.
 */
function toCells(source: string): { cells: CellInput[]; startLine: Map<number, number> } {
  const lines = source.split('\n');
  const chunks: Array<{ start: number; lines: string[] }> = [{ start: 0, lines: [] }];
  let quotes = 0; // triple quotes seen so far: odd inside a docstring
  lines.forEach((l, i) => {
    const cut = quotes % 2 === 0 && i > 0 && lines[i - 1].trim() === '' && /^[A-Za-z_@]/.test(l) && chunks[chunks.length - 1].lines.some((x) => x.trim() !== '');
    quotes += (l.match(/"""|'''/g) ?? []).length;
    if (cut) chunks.push({ start: i, lines: [] });
    chunks[chunks.length - 1].lines.push(l);
  });
  const cells: CellInput[] = [];
  const startLine = new Map<number, number>();
  chunks.forEach((c, k) => {
    if (k % 3 === 1) cells.push({ index: cells.length, kind: 'markdown', source: `## Part ${k}\nUses \`torch.autograd.grad(y, x)\` and friends.` });
    if (k % 3 === 2) cells.push({ index: cells.length, kind: 'code', source: '%matplotlib inline\n!nvidia-smi -L\n%time 0' });
    const text = c.lines.join('\n');
    // Jupyter cells usually have no final line break: the program adds one back between cells.
    const source = k < chunks.length - 1 && text.endsWith('\n') ? text.slice(0, -1) : text;
    startLine.set(cells.length, c.start);
    cells.push({ index: cells.length, kind: 'code', source });
  });
  return { cells, startLine };
}

const files = [...allFixtures(), ...findPy(join(ROOT, 'test/fixtures/precision'))];

test('the fixtures are cut into several cells (the test would prove nothing otherwise)', () => {
  const multi = files.filter((f) => toCells(readText(f)).cells.filter((c) => c.kind === 'code').length >= 3);
  assert.ok(files.length > 50 && multi.length > files.length / 2, `${multi.length} of ${files.length} fixtures have 3 or more code cells`);
});

test('every fixture linted as a notebook gives the findings of the .py file, at the same places', async () => {
  const linter = await getLinter();
  let findings = 0;
  for (const file of files) {
    const source = readText(file);
    const asFile = linter.lint(source, { path: file }).map((d) => `${d.code}@${d.range.start.line}:${d.range.start.column}-${d.range.end.line}:${d.range.end.column}`);
    const { cells, startLine } = toCells(source);
    const asNotebook = lintCells(linter, cells, { path: file }).map((d) => {
      const base = startLine.get(d.cell);
      assert.ok(base !== undefined, `${rel(file)}: a finding in an inserted cell ${d.cell + 1}: ${d.code} ${d.message}`);
      return `${d.code}@${base + d.range.start.line}:${d.range.start.column}-${base + d.range.end.line}:${d.range.end.column}`;
    });
    assert.deepEqual(asNotebook.sort(), asFile.sort(), rel(file));
    findings += asFile.length;
  }
  assert.ok(findings > 50, `the fixtures have findings to compare (${findings})`);
});
