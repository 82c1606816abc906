/** Reading nbformat 4 JSON, clear errors for bad files, and writing back only the edited `source` values. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { filePosition, NotebookError, parseNotebook, replaceCellSources } from '../../../src/core/notebook/nbformat';
import { ROOT } from '../lint/helpers';
import { notebookJson, type CellSpec } from './helpers';

const CELLS: CellSpec[] = [
  ['markdown', '# Title\n\nSome *text*.'],
  ['code', 'import torch\nx = torch.ones(3, requires_grad=True)'],
  ['raw', 'raw text'],
  ['code', 'y = (x ** 2).sum()\ny.backward()\n'],
];

test('cells are read in order with their kind, index and joined source', () => {
  const nb = parseNotebook(notebookJson(CELLS), 'nb.ipynb');
  assert.deepEqual(
    nb.cells.map((c) => [c.index, c.kind, c.source]),
    CELLS.map(([k, s], i) => [i, k, s]),
  );
  assert.equal(nb.language, 'python');
  assert.equal(nb.nbformat, 4);
  assert.equal(nb.cells[1].id, 'cell-1-code');
  const asString = parseNotebook(notebookJson(CELLS, { sourceAsString: true }), 'nb.ipynb');
  assert.deepEqual(asString.cells.map((c) => c.source), nb.cells.map((c) => c.source));
});

test('bad notebooks get an error that names the file and says what is wrong', () => {
  const cases: Array<[string, RegExp]> = [
    ['{"cells": [', /^bad\.ipynb: not a notebook: the file is not valid JSON \(.* at line 1, column \d+\)$/],
    ['', /^bad\.ipynb: not a notebook: the file is not valid JSON/],
    ['[1, 2]', /^bad\.ipynb: not a notebook: the JSON is not an object$/],
    ['{"cells": []}', /^bad\.ipynb: not a notebook: no "nbformat" number$/],
    [notebookJson(CELLS, { nbformat: 3 }), /^bad\.ipynb: nbformat 3 is not supported \(only nbformat 4/],
    ['{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}', /^bad\.ipynb: not a notebook: no "cells" list$/],
    ['{"nbformat": 4, "cells": {}}', /^bad\.ipynb: not a notebook: "cells" is not a list$/],
    ['{"nbformat": 4, "cells": [{"source": "x"}]}', /^bad\.ipynb: cell 1 has no "cell_type"$/],
    ['{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}', /^bad\.ipynb: cell 1: "source" is neither a string nor a list of strings$/],
    ['{"nbformat": 4, "cells": [] // comment\n}', /not valid JSON/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseNotebook(text, 'bad.ipynb'), (err: unknown) => err instanceof NotebookError && message.test(err.message), text);
  }
});

test('an empty cells list is a valid, empty notebook; a byte-order mark is accepted', () => {
  assert.deepEqual(parseNotebook('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}', 'e.ipynb').cells, []);
  const text = `\ufeff${notebookJson(CELLS)}`;
  const nb = parseNotebook(text, 'bom.ipynb');
  assert.equal(nb.cells[1].source, CELLS[1][1]);
  assert.equal(replaceCellSources(nb, new Map([[1, 'z = 1\n']])).charCodeAt(0), 0xfeff);
});

/** Everything but the source value of `cell` must be byte-identical. */
function assertOnlySourceChanged(before: string, after: string, cell: number): void {
  const a = parseNotebook(before, 'a');
  const b = parseNotebook(after, 'b');
  const na = a.cells[cell].sourceNode;
  const nb = b.cells[cell].sourceNode;
  assert.equal(after.slice(0, nb.offset), before.slice(0, na.offset), 'text before the source value');
  assert.equal(after.slice(nb.offset + nb.length), before.slice(na.offset + na.length), 'text after the source value');
}

test('no change writes the file back byte for byte', () => {
  for (const text of [notebookJson(CELLS), notebookJson(CELLS, { indent: 2 }), notebookJson(CELLS, { sourceAsString: true })]) {
    const nb = parseNotebook(text, 'nb.ipynb');
    assert.equal(replaceCellSources(nb, new Map()), text);
    assert.equal(replaceCellSources(nb, new Map(nb.cells.map((c) => [c.index, c.source]))), text);
  }
});

test('an edited cell changes only its source; its layout and unchanged lines are kept', () => {
  for (const indent of [1, 2, 4]) {
    const text = notebookJson(CELLS, { indent });
    const nb = parseNotebook(text, 'nb.ipynb');
    const edited = 'y = (x ** 2).sum()\ny.backward(create_graph=True)\nprint("é → ok")\n';
    const out = replaceCellSources(nb, new Map([[3, edited]]));
    assertOnlySourceChanged(text, out, 3);
    assert.equal(parseNotebook(out, 'nb').cells[3].source, edited);
    // Laid out as Jupyter lays it out: the same text as writing the whole notebook afresh.
    const fresh = notebookJson(CELLS.map(([k, s], i) => [k, i === 3 ? edited : s] as CellSpec), { indent });
    assert.equal(out, fresh, `indent ${indent}`);
  }
});

test('a source written as one string stays one string', () => {
  const text = notebookJson(CELLS, { sourceAsString: true });
  const out = replaceCellSources(parseNotebook(text, 'nb'), new Map([[1, 'import torch\n']]));
  assertOnlySourceChanged(text, out, 1);
  assert.match(out, /"source": "import torch\\n"/);
});

test('a file that escapes non-ASCII characters keeps escaping them; unchanged lines keep their exact text', () => {
  const text = notebookJson([['code', 'a = "é"\nb = 1\n']]).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  assert.ok(!/[\u0080-\uffff]/.test(text));
  const nb = parseNotebook(text, 'nb');
  assert.equal(nb.cells[0].source, 'a = "é"\nb = 1\n');
  const out = replaceCellSources(nb, new Map([[0, 'a = "é"\nb = "ü"\n']]));
  assert.ok(!/[\u0080-\uffff]/.test(out), 'no raw non-ASCII written');
  assert.match(out, /"a = \\"\\u00e9\\"\\n"/);
  assert.match(out, /"b = \\"\\u00fc\\"\\n"/);
  assertOnlySourceChanged(text, out, 0);
});

test('CRLF files, empty sources and a source emptied by an edit', () => {
  const crlf = notebookJson(CELLS).replace(/\n/g, '\r\n');
  const out = replaceCellSources(parseNotebook(crlf, 'nb'), new Map([[1, 'a = 1\nb = 2']]));
  assert.ok(!/[^\r]\n/.test(out), 'only CRLF line breaks');
  assertOnlySourceChanged(crlf, out, 1);
  const empty = notebookJson([['code', ''], ['code', 'x = 1\n']]);
  const filled = replaceCellSources(parseNotebook(empty, 'nb'), new Map([[0, 'import torch\nx = 2\n']]));
  assert.equal(filled, notebookJson([['code', 'import torch\nx = 2\n'], ['code', 'x = 1\n']]));
  const emptied = replaceCellSources(parseNotebook(filled, 'nb'), new Map([[0, '']]));
  assert.equal(emptied, empty);
});

test('filePosition: a cell position is found on the line of the JSON text that holds it', () => {
  const text = notebookJson(CELLS);
  const nb = parseNotebook(text, 'nb');
  const lines = text.split('\n');
  // cell 2 (index 1), line 2, column 5: `torch.ones` in `x = torch.ones(...)`
  const p = filePosition(nb, 1, 1, 4);
  assert.equal(lines[p.line].slice(p.column, p.column + 10), 'torch.ones');
  // With escapes before the column: the column counts the JSON text.
  const esc = notebookJson([['code', 'print("a\\tb", "q\\"") ; torch.x\n']]);
  const nb2 = parseNotebook(esc, 'nb');
  const col = nb2.cells[0].source.indexOf('torch');
  const p2 = filePosition(nb2, 0, 0, col);
  assert.equal(esc.split('\n')[p2.line].slice(p2.column, p2.column + 7), 'torch.x');
});

test('the real PINN notebook fixture reads as nbformat 4 with its markdown and code cells', () => {
  const file = join(ROOT, 'test/fixtures/notebooks/pinn-uxx-whole-gradient.ipynb');
  const nb = parseNotebook(readFileSync(file, 'utf8'), file);
  assert.deepEqual(nb.cells.map((c) => c.kind), ['markdown', 'code', 'code', 'code', 'markdown', 'code']);
});
