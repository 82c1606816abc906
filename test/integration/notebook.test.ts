/**
 * Notebooks in the real editor (VS Code's built-in ipynb support, no Jupyter extension): the demo's
 * seed-003 notebook shows a finding whose story crosses cells, a quick fix applied in a cell makes it go,
 * "ignore on this line" and fix all work in cells, and "Lint workspace" includes notebooks.
 * Edits happen in scratch copies of the notebook.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, codeActionsAt, codeOf, describeDiagnostics, ourDiagnostics, screenshot, waitFor, waitForDiagnostics, workspaceRoot } from './helpers';
import { EXPECT } from './expectations';

const scratch: vscode.Uri[] = [];

async function openNotebook(uri: vscode.Uri): Promise<vscode.NotebookDocument> {
  const nb = await vscode.workspace.openNotebookDocument(uri);
  await vscode.window.showNotebookDocument(nb);
  return nb;
}

async function scratchNotebook(name: string): Promise<vscode.NotebookDocument> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), '.integration-scratch', name);
  await vscode.workspace.fs.copy(vscode.Uri.joinPath(workspaceRoot(), EXPECT.notebook.file), uri, { overwrite: true });
  scratch.push(uri);
  return openNotebook(uri);
}

/** The code cell whose text contains `needle`, and the 0-based line of it in that cell. */
function cellWith(nb: vscode.NotebookDocument, needle: string): { cell: vscode.NotebookCell; line: number } {
  for (const cell of nb.getCells()) {
    const lines = cell.document.getText().split('\n');
    const line = lines.findIndex((l) => l.includes(needle));
    if (line >= 0) return { cell, line };
  }
  throw new Error(`"${needle}" is in no cell of ${nb.uri.path}`);
}

function allCellDiagnostics(nb: vscode.NotebookDocument): string[] {
  return nb.getCells().flatMap((c) => describeDiagnostics(ourDiagnostics(c.document.uri)).map((d) => `cell ${c.index + 1}: ${d}`));
}

/**
 * Code actions in a cell. The workbench answers `vscode.executeCodeActionProvider` only for cells whose
 * editor has been rendered ("Illegal argument" otherwise), as when a user puts the cursor there: the cell
 * is revealed and selected first, and the request retried until its text model exists.
 */
async function cellCodeActions(nb: vscode.NotebookDocument, cell: vscode.NotebookCell, range: vscode.Range, kind?: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  const editor = vscode.window.visibleNotebookEditors.find((e) => e.notebook === nb);
  if (editor) {
    const r = new vscode.NotebookRange(cell.index, cell.index + 1);
    editor.selections = [r];
    editor.revealRange(r, vscode.NotebookEditorRevealType.InCenter);
  }
  let lastError: unknown;
  return waitFor(`code actions in cell ${cell.index + 1}`, async () => {
    try {
      return await codeActionsAt(cell.document.uri, range, kind);
    } catch (err) {
      lastError = err;
      return undefined;
    }
  }).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}: ${String(lastError)}`);
  });
}

async function expectCellFindings(nb: vscode.NotebookDocument): Promise<Map<string, vscode.Diagnostic>> {
  const found = new Map<string, vscode.Diagnostic>();
  for (const f of EXPECT.notebook.findings) {
    const { cell, line } = cellWith(nb, f.line);
    try {
      const ds = await waitForDiagnostics(cell.document.uri, `${f.code} in cell ${cell.index + 1} line ${line + 1}`, (ds) => ds.some((d) => codeOf(d) === f.code && d.range.start.line === line));
      found.set(f.line, ds.find((d) => codeOf(d) === f.code && d.range.start.line === line) as vscode.Diagnostic);
    } catch (err) {
      throw new Error(`${(err as Error).message}; got ${allCellDiagnostics(nb).join(', ') || 'nothing'}`);
    }
  }
  return found;
}

suite('Notebooks', function () {
  suiteSetup(async () => {
    const { api } = await activateExtension();
    assert.equal(await api.whenLinterReady(), true);
  });
  teardown(async () => {
    await vscode.workspace.saveAll(false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of scratch.splice(0)) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  test('the demo notebook: a derivative made in one cell and trained on in another is flagged in its cell', async () => {
    const nb = await openNotebook(vscode.Uri.joinPath(workspaceRoot(), EXPECT.notebook.file));
    assert.equal(nb.notebookType, 'jupyter-notebook');
    const found = await expectCellFindings(nb);
    const made = cellWith(nb, EXPECT.notebook.findings[0].line);
    const used = cellWith(nb, EXPECT.notebook.loss);
    assert.notEqual(made.cell.index, used.cell.index, 'the fixture must split the mistake across cells');
    // The finding in the helper's cell has a related location in the training cell.
    const first = found.get(EXPECT.notebook.findings[0].line) as vscode.Diagnostic;
    const rel = (first.relatedInformation ?? []).find((r) => r.location.uri.toString() === used.cell.document.uri.toString());
    assert.ok(rel, `related: ${JSON.stringify((first.relatedInformation ?? []).map((r) => r.location.uri.toString()))}`);
    assert.equal(rel.location.range.start.line, used.line);
    // The message of the second finding names the first by its cell and line, not a line of the program.
    const second = found.get(EXPECT.notebook.findings[1].line) as vscode.Diagnostic;
    assert.match(second.message, new RegExp(`line ${made.line + 1} of cell ${made.cell.index + 1}`));
    // Markdown cells and the cell with the %matplotlib magic have nothing.
    for (const c of nb.getCells()) {
      if (c.index !== made.cell.index && c.index !== used.cell.index) assert.deepEqual(describeDiagnostics(ourDiagnostics(c.document.uri)), [], `cell ${c.index + 1}`);
    }
    const editor = vscode.window.activeNotebookEditor;
    if (editor) editor.revealRange(new vscode.NotebookRange(made.cell.index, made.cell.index + 1), vscode.NotebookEditorRevealType.AtTop);
    await screenshot('notebook-cross-cell-finding', 1500);
  });

  test('a quick fix applied in a cell removes the finding', async () => {
    const nb = await scratchNotebook('quickfix-seed003.ipynb');
    const found = await expectCellFindings(nb);
    const { cell } = cellWith(nb, EXPECT.notebook.findings[0].line);
    const target = found.get(EXPECT.notebook.findings[0].line) as vscode.Diagnostic;
    const actions = await cellCodeActions(nb, cell, target.range, vscode.CodeActionKind.QuickFix);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.isPreferred && a.edit);
    assert.ok(fix, `no preferred fix; actions: ${titles.join(' | ')}`);
    assert.ok(titles.includes('Ignore AGL001 on this line'), titles.join(' | '));
    assert.ok(titles.includes('Show documentation for AGL001'), titles.join(' | '));
    assert.ok(titles.includes('Fix all safe Autograd Lens issues in notebook'), titles.join(' | '));
    assert.equal(await vscode.workspace.applyEdit(fix.edit as vscode.WorkspaceEdit), true);
    assert.match(cell.document.getText(), /create_graph=True/);
    await waitFor('both AGL001 findings to go after the fix', () => nb.getCells().every((c) => ourDiagnostics(c.document.uri).length === 0) || undefined);
    await screenshot('notebook-quick-fix-applied', 300);
  });

  test('"Ignore on this line" in a cell adds # noqa and the finding goes', async () => {
    const nb = await scratchNotebook('noqa-seed003.ipynb');
    const found = await expectCellFindings(nb);
    const { cell, line } = cellWith(nb, EXPECT.notebook.findings[1].line);
    const target = found.get(EXPECT.notebook.findings[1].line) as vscode.Diagnostic;
    const ignore = (await cellCodeActions(nb, cell, target.range, vscode.CodeActionKind.QuickFix)).find((a) => a.title === 'Ignore AGL001 on this line');
    assert.ok(ignore?.edit);
    assert.equal(await vscode.workspace.applyEdit(ignore.edit), true);
    assert.match(cell.document.lineAt(line).text, / {2}# noqa: AGL001$/);
    await waitForDiagnostics(cell.document.uri, 'the AGL001 in the training cell to be suppressed', (ds) => !ds.some((d) => d.range.start.line === line));
    // The other finding, in the other cell, stays.
    const other = cellWith(nb, EXPECT.notebook.findings[0].line);
    assert.ok(ourDiagnostics(other.cell.document.uri).some((d) => codeOf(d) === 'AGL001'));
  });

  test('fix all (command, and the notebook.source.fixAll kind) fixes the notebook; saving writes only the cell source', async () => {
    const nb = await scratchNotebook('fixall-seed003.ipynb');
    await expectCellFindings(nb);
    const kind = vscode.CodeActionKind.Notebook.append('source.fixAll.autogradLens');
    const first = nb.getCells().find((c) => c.kind === vscode.NotebookCellKind.Code) as vscode.NotebookCell;
    const viaKind = await cellCodeActions(nb, first, new vscode.Range(0, 0, 0, 0), kind);
    assert.equal(viaKind.length, 1, `notebook fix-all actions: ${viaKind.map((a) => a.title).join(' | ')}`);
    const applied = await vscode.commands.executeCommand<number>('autogradLens.lint.fixAll', nb.uri);
    assert.equal(applied, 1);
    await waitFor('no findings after fix all', () => nb.getCells().every((c) => ourDiagnostics(c.document.uri).length === 0) || undefined);
    assert.equal(await nb.save(), true);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(nb.uri));
    const before = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceRoot(), EXPECT.notebook.file)));
    const json = JSON.parse(text) as { cells: Array<{ source: string[] | string; id?: string }> };
    const original = JSON.parse(before) as { cells: Array<{ source: string[] | string; id?: string }> };
    assert.deepEqual(json.cells.map((c) => c.id), original.cells.map((c) => c.id), 'cell ids kept');
    const changed = json.cells.map((c, i) => [].concat(c.source as never).join('') !== [].concat(original.cells[i].source as never).join('')).flatMap((x, i) => (x ? [i] : []));
    assert.equal(changed.length, 1, `changed cells: ${changed.join(', ')}`);
  });

  test('"Lint workspace" includes notebooks', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const result = await vscode.commands.executeCommand<{ files: number; findings: number }>('autogradLens.lint.lintWorkspace');
    assert.ok(result, 'no result');
    const nb = vscode.workspace.notebookDocuments.find((n) => n.uri.path.endsWith(`/${EXPECT.notebook.file}`));
    assert.ok(nb, 'the demo notebook was not loaded by Lint workspace');
    const { cell, line } = cellWith(nb, EXPECT.notebook.findings[0].line);
    assert.ok(
      ourDiagnostics(cell.document.uri).some((d) => codeOf(d) === 'AGL001' && d.range.start.line === line),
      `cell ${cell.index + 1}: ${describeDiagnostics(ourDiagnostics(cell.document.uri)).join(', ')}`,
    );
  });
});
