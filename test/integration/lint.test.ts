/**
 * Lint in the real editor: diagnostics on the seed scenarios of demo/, quick fixes through
 * `vscode.executeCodeActionProvider` + `workspace.applyEdit`, "ignore on this line", fix-all, the rule
 * docs, configuration from settings and pyproject.toml, and a file that does not parse.
 * Edits happen in scratch copies (`.integration-scratch/`), never in the demo files themselves.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  cleanupScratch,
  codeActionsAt,
  codeOf,
  describeDiagnostics,
  openScratch,
  ourDiagnostics,
  screenshot,
  sleep,
  waitFor,
  waitForDiagnostics,
  workspaceRoot,
} from './helpers';
import { EXPECT } from './expectations';

async function openDemo(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function demoText(name: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceRoot(), name)));
}

/** 0-based line of the first line containing `needle`. */
function lineOf(doc: vscode.TextDocument, needle: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(needle)) return i;
  throw new Error(`"${needle}" not found in ${doc.uri.path}`);
}

function at(ds: vscode.Diagnostic[], code: string, line: number): vscode.Diagnostic | undefined {
  return ds.find((d) => codeOf(d) === code && d.range.start.line === line);
}

async function expectFindings(doc: vscode.TextDocument, expected: Array<{ line: string; code: string }>): Promise<vscode.Diagnostic[]> {
  const want = expected.map((e) => ({ code: e.code, line: lineOf(doc, e.line) }));
  try {
    return await waitForDiagnostics(doc.uri, `${want.map((w) => `${w.code}@${w.line + 1}`).join(', ')}`, (ds) => want.every((w) => at(ds, w.code, w.line)));
  } catch (err) {
    throw new Error(`${(err as Error).message}; got ${describeDiagnostics(ourDiagnostics(doc.uri)).join(', ') || 'nothing'}`);
  }
}

suite('Lint', function () {
  suiteSetup(async () => {
    const { api } = await activateExtension();
    assert.equal(await api.whenLinterReady(), true);
    // Room for the editor in the screenshots: no secondary side bar (chat).
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar').then(undefined, () => undefined);
  });
  teardown(cleanupScratch);

  for (const scenario of EXPECT.flagged) {
    test(`${scenario.file}: ${scenario.what}`, async () => {
      const doc = await openDemo(scenario.file);
      const ds = await expectFindings(doc, scenario.findings);
      for (const d of ds) {
        assert.equal(d.source, 'autograd-lens');
        assert.match(codeOf(d), /^AGL\d{3}$/);
        assert.ok(d.message.length > 10, `message too short: ${d.message}`);
        const code = d.code as { value: string; target: vscode.Uri };
        assert.equal(code.target.toString(), `autograd-lens-docs:/${codeOf(d)}.md`);
      }
      // Show the first finding in the inline problem widget (message, code link) for the screenshot.
      const editor = vscode.window.activeTextEditor;
      const firstLine = lineOf(doc, scenario.findings[0].line);
      if (editor) {
        const start = new vscode.Position(firstLine, 0);
        editor.selection = new vscode.Selection(start, start);
        await vscode.commands.executeCommand('editor.action.marker.next');
      }
      await screenshot(`lint-${scenario.file.replace(/\.py$/, '')}`, 500);
    });
  }

  for (const file of EXPECT.clean) {
    test(`${file}: the corrected code gets no findings`, async () => {
      const doc = await openDemo(file);
      // A clean file has no diagnostics to wait for: wait until it was linted (a known finding appears
      // when a flagged line is appended to a scratch copy), which proves the absence is a result.
      await sleep(300);
      assert.deepEqual(describeDiagnostics(ourDiagnostics(doc.uri)), []);
      const { doc: copy } = await openScratch(`clean-${file}`, `${doc.getText()}\n${EXPECT.probe.source}`);
      await expectFindings(copy, [{ line: EXPECT.probe.line, code: EXPECT.probe.code }]);
      const others = ourDiagnostics(copy.uri).filter((d) => d.range.start.line < doc.lineCount);
      assert.deepEqual(describeDiagnostics(others), [], 'findings in the corrected part of the file');
    });
  }

  test('a quick fix removes its diagnostic', async () => {
    const { file, line: needle, code } = EXPECT.quickFix;
    const { doc } = await openScratch(`quickfix-${file}`, await demoText(file));
    const ds = await expectFindings(doc, [{ line: needle, code }]);
    const target = at(ds, code, lineOf(doc, needle)) as vscode.Diagnostic;
    const actions = await codeActionsAt(doc.uri, target.range, vscode.CodeActionKind.QuickFix);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.isPreferred && a.edit) ?? actions.find((a) => a.edit && !/^Ignore|^Fix all/.test(a.title));
    assert.ok(fix, `no fix offered for ${code}; actions: ${titles.join(' | ')}`);
    assert.ok(titles.includes(`Ignore ${code} on this line`), `no ignore action: ${titles.join(' | ')}`);
    assert.ok(titles.includes(`Show documentation for ${code}`), `no docs action: ${titles.join(' | ')}`);
    assert.equal(await vscode.workspace.applyEdit(fix.edit as vscode.WorkspaceEdit), true);
    await waitForDiagnostics(doc.uri, `${code} to go after "${fix.title}"`, (now) => !now.some((d) => codeOf(d) === code));
    await screenshot('quick-fix-applied');
  });

  test('an unsafe fix is marked, not preferred, left out of fix all, and works when chosen', async () => {
    const { source, line: needle, code } = EXPECT.unsafe;
    const { doc } = await openScratch('unsafe.py', source);
    const line = lineOf(doc, needle);
    const target = at(await expectFindings(doc, [{ line: needle, code }]), code, line) as vscode.Diagnostic;
    const actions = await codeActionsAt(doc.uri, target.range, vscode.CodeActionKind.QuickFix);
    const unsafe = actions.filter((a) => a.title.endsWith('(unsafe)'));
    assert.ok(unsafe.length > 0, `no unsafe fix offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(unsafe.every((a) => !a.isPreferred), 'an unsafe fix is preferred');
    assert.ok(!actions.some((a) => a.title.startsWith('Fix all')), 'fix all offered where only an unsafe fix exists');
    const kind = vscode.CodeActionKind.SourceFixAll.append('autogradLens');
    assert.deepEqual(await codeActionsAt(doc.uri, new vscode.Range(0, 0, 0, 0), kind), []);
    assert.equal(await vscode.commands.executeCommand<number>('autogradLens.lint.fixAll'), 0);
    assert.equal(doc.getText(), source, 'fix all changed the file');
    assert.equal(await vscode.workspace.applyEdit(unsafe[0].edit as vscode.WorkspaceEdit), true);
    await waitForDiagnostics(doc.uri, `${code} gone after the unsafe fix`, (ds) => !at(ds, code, line));
  });

  test('"Ignore on this line" adds a noqa comment and the diagnostic goes', async () => {
    const { file, line: needle, code } = EXPECT.quickFix;
    const source = await demoText(file);
    const { doc } = await openScratch(`noqa-${file}`, source);
    const ds = await expectFindings(doc, [{ line: needle, code }]);
    const line = lineOf(doc, needle);
    const target = at(ds, code, line) as vscode.Diagnostic;
    const ignore = (await codeActionsAt(doc.uri, target.range, vscode.CodeActionKind.QuickFix)).find((a) => a.title === `Ignore ${code} on this line`);
    assert.ok(ignore?.edit);
    assert.equal(await vscode.workspace.applyEdit(ignore.edit), true);
    assert.match(doc.lineAt(line).text, new RegExp(`  # noqa: ${code}$`));
    await waitForDiagnostics(doc.uri, `${code} to be suppressed on line ${line + 1}`, (now) => !at(now, code, line));
  });

  test('"Ignore on this line" keeps an existing comment and extends an existing noqa', async () => {
    const { file, line: needle, code } = EXPECT.quickFix;
    const original = await demoText(file);
    const lines = original.split('\n');
    const idx = lines.findIndex((l) => l.includes(needle));
    lines[idx] = `${lines[idx]}  # keep this note`;
    const { doc } = await openScratch(`noqa-comment-${file}`, lines.join('\n'));
    const target = at(await expectFindings(doc, [{ line: needle, code }]), code, idx) as vscode.Diagnostic;
    const ignore = (await codeActionsAt(doc.uri, target.range, vscode.CodeActionKind.QuickFix)).find((a) => a.title === `Ignore ${code} on this line`);
    assert.ok(ignore?.edit);
    await vscode.workspace.applyEdit(ignore.edit);
    assert.ok(doc.lineAt(idx).text.endsWith(`  # keep this note  # noqa: ${code}`), doc.lineAt(idx).text);
    await waitForDiagnostics(doc.uri, `${code} suppressed`, (now) => !at(now, code, idx));

    // A noqa that lists another code is extended, not duplicated.
    const lines2 = original.split('\n');
    lines2[idx] = `${lines2[idx]}  # noqa: AGL999`;
    const { doc: doc2 } = await openScratch(`noqa-extend-${file}`, lines2.join('\n'));
    const target2 = at(await expectFindings(doc2, [{ line: needle, code }]), code, idx) as vscode.Diagnostic;
    const ignore2 = (await codeActionsAt(doc2.uri, target2.range, vscode.CodeActionKind.QuickFix)).find((a) => a.title === `Ignore ${code} on this line`);
    assert.ok(ignore2?.edit);
    await vscode.workspace.applyEdit(ignore2.edit);
    assert.ok(doc2.lineAt(idx).text.endsWith(`# noqa: AGL999, ${code}`), doc2.lineAt(idx).text);
    await waitForDiagnostics(doc2.uri, `${code} suppressed`, (now) => !at(now, code, idx));
  });

  test('fix all (command and source.fixAll.autogradLens) applies every safe fix', async () => {
    const { file, codes } = EXPECT.fixAll;
    const source = await demoText(file);
    const { doc } = await openScratch(`fixall-src-${file}`, source);
    await waitForDiagnostics(doc.uri, `safe-fixable findings ${codes.join(', ')}`, (ds) => codes.every((c) => ds.some((d) => codeOf(d) === c)));
    const kind = vscode.CodeActionKind.SourceFixAll.append('autogradLens');
    const [fixAll] = await codeActionsAt(doc.uri, new vscode.Range(0, 0, 0, 0), kind);
    assert.ok(fixAll?.edit, 'no source.fixAll.autogradLens action');
    assert.equal(fixAll.kind?.value, kind.value);
    await vscode.workspace.applyEdit(fixAll.edit);
    await waitForDiagnostics(doc.uri, `${codes.join(', ')} fixed`, (ds) => !ds.some((d) => codes.includes(codeOf(d))));

    const { doc: doc2 } = await openScratch(`fixall-cmd-${file}`, source);
    await waitForDiagnostics(doc2.uri, 'findings', (ds) => codes.every((c) => ds.some((d) => codeOf(d) === c)));
    const applied = await vscode.commands.executeCommand<number>('autogradLens.lint.fixAll');
    assert.ok(typeof applied === 'number' && applied >= codes.length, `fixAll applied ${String(applied)}`);
    await waitForDiagnostics(doc2.uri, `${codes.join(', ')} fixed by the command`, (ds) => !ds.some((d) => codes.includes(codeOf(d))));
    assert.equal(doc2.getText(), doc.getText(), 'the command and the code action disagree');

    // seed 000's accumulating-gradient loop: the safe fix resets .grad after reading it.
    const other = EXPECT.fixAllAccumulate;
    const { doc: doc3 } = await openScratch(`fixall-acc-${other.file}`, await demoText(other.file));
    await waitForDiagnostics(doc3.uri, `${other.codes.join(', ')}`, (ds) => other.codes.every((c) => ds.some((d) => codeOf(d) === c)));
    assert.ok(((await vscode.commands.executeCommand<number>('autogradLens.lint.fixAll')) ?? 0) >= 1);
    await waitForDiagnostics(doc3.uri, `${other.codes.join(', ')} fixed`, (ds) => !ds.some((d) => other.codes.includes(codeOf(d))));
  });

  test('the docs command opens the rule documentation', async () => {
    const code = EXPECT.quickFix.code;
    await vscode.commands.executeCommand('autogradLens.lint.showRuleDocs', code);
    const doc = await waitFor('the rule docs document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'autograd-lens-docs' && d.uri.path === `/${code}.md`),
    );
    assert.match(doc.getText(), new RegExp(code));
    assert.match(doc.getText(), /What it does/i);
    await screenshot('rule-docs', 4000);
  });

  test("a diagnostic's code link opens the rule documentation rendered, as the light bulb does", async () => {
    const { file, line: needle, code } = EXPECT.quickFix;
    const doc = await openDemo(file);
    const d = at(await expectFindings(doc, [{ line: needle, code }]), code, lineOf(doc, needle)) as vscode.Diagnostic;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // What the problem hover and the Problems panel do with the link: the opener service opens it.
    await vscode.commands.executeCommand('vscode.open', (d.code as { target: vscode.Uri }).target);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const preview = await waitFor('the Markdown preview of the rule docs', () =>
      tabs().find((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && t.label.includes(code)),
    );
    assert.ok(preview);
    await waitFor('no raw Markdown tab left', () => !tabs().some((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'autograd-lens-docs'));
    const text = vscode.workspace.textDocuments.find((x) => x.uri.scheme === 'autograd-lens-docs' && x.uri.path === `/${code}.md`);
    assert.match(text?.getText() ?? '', new RegExp(code));
    await screenshot('rule-docs-from-code-link', 3000);
  });

  test('a file that does not parse gives no crash, and linting goes on', async () => {
    const { doc, editor } = await openScratch('broken.py', 'import torch\ndef f(:\n    x = torch.autograd.grad(y, x\n  )))\n"""unterminated\n');
    await sleep(500);
    const { api } = await activateExtension();
    assert.equal(await api.whenLinterReady(), true);
    for (const d of ourDiagnostics(doc.uri)) assert.ok(d.range.start.line < doc.lineCount);
    // Replace the text with a flagged snippet: the service still lints this document.
    await editor.edit((b) => b.replace(new vscode.Range(0, 0, doc.lineCount, 0), EXPECT.probe.source));
    await expectFindings(doc, [{ line: EXPECT.probe.line, code: EXPECT.probe.code }]);
  });

  test('settings and pyproject.toml select what is reported; settings win', async () => {
    const { doc } = await openScratch('config.py', EXPECT.probe.source);
    const code = EXPECT.probe.code;
    await expectFindings(doc, [{ line: EXPECT.probe.line, code }]);
    const lint = vscode.workspace.getConfiguration('autogradLens.lint');
    await lint.update('ignore', [code], vscode.ConfigurationTarget.Workspace);
    try {
      await waitForDiagnostics(doc.uri, `${code} ignored by settings`, (ds) => !ds.some((d) => codeOf(d) === code));
    } finally {
      await lint.update('ignore', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await expectFindings(doc, [{ line: EXPECT.probe.line, code }]);

    // A pyproject.toml next to the file (nearer than the workspace's) changes the severity.
    const pyproject = vscode.Uri.joinPath(workspaceRoot(), '.integration-scratch', 'pyproject.toml');
    await vscode.workspace.fs.writeFile(pyproject, new TextEncoder().encode(`[tool.autograd-lens]\nselect = []\nignore = []\n\n[tool.autograd-lens.severity]\n${code} = "info"\n`));
    try {
      await waitForDiagnostics(doc.uri, `${code} at info from pyproject.toml`, (ds) => ds.some((d) => codeOf(d) === code && d.severity === vscode.DiagnosticSeverity.Information));
      await lint.update('severity', { [code]: 'warning' }, vscode.ConfigurationTarget.Workspace);
      await waitForDiagnostics(doc.uri, `${code} at warning: settings win`, (ds) => ds.some((d) => codeOf(d) === code && d.severity === vscode.DiagnosticSeverity.Warning));
    } finally {
      await lint.update('severity', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.fs.delete(pyproject);
    }
  });

  test('a broken [tool.autograd-lens] table is reported and linting goes on with the defaults', async () => {
    const pyproject = vscode.Uri.joinPath(workspaceRoot(), '.integration-scratch', 'pyproject.toml');
    await vscode.workspace.fs.writeFile(pyproject, new TextEncoder().encode('[tool.autograd-lens]\nignore = ["AGL001"\n'));
    try {
      const { doc } = await openScratch('broken-config.py', EXPECT.probe.source);
      await expectFindings(doc, [{ line: EXPECT.probe.line, code: EXPECT.probe.code }]);
    } finally {
      await vscode.workspace.fs.delete(pyproject);
    }
  });

  test("a NaN-prone guard in another file's helper is shown in that file while a file that differentiates through it is open", async () => {
    // The helper alone is never differentiated (clean); train_rev.py's backward goes through it: AGL017 at its where,
    // in train_rev.py at the call and in rev_conversions.py at the guard (where the double-where fix goes). Its other
    // branch is 0, not the limit 0.5: a guard that gives the limit is reported by its own file without a derivative in
    // view (test/unit/lint/workspace.test.ts), and this test is about the one a user's derivative reveals.
    const helperText = [
      'import torch',
      '',
      '',
      'def rotvec_to_quaternion(v):',
      '    theta2 = (v * v).sum(-1, keepdim=True)',
      '    theta = torch.sqrt(theta2)',
      '    nonzero = theta2 > 0.0',
      '    k = torch.where(nonzero, torch.sin(0.5 * theta) / theta, torch.zeros_like(theta))',
      '    return torch.cat([torch.cos(0.5 * theta), v * k], dim=-1)',
      '',
    ].join('\n');
    const { doc: helper } = await openScratch('rev_conversions.py', helperText);
    await sleep(500);
    assert.deepEqual(describeDiagnostics(ourDiagnostics(helper.uri)), [], 'the helper by itself is clean');
    const trainText = ['import torch', 'from rev_conversions import rotvec_to_quaternion', '', 'v = torch.zeros(8, 3, requires_grad=True)', 'rotvec_to_quaternion(v).pow(2).mean().backward()', ''].join('\n');
    const { doc: train } = await openScratch('train_rev.py', trainText);
    await expectFindings(train, [{ line: 'rotvec_to_quaternion(v).pow', code: 'AGL017' }]);
    const shown = await expectFindings(helper, [{ line: 'k = torch.where', code: 'AGL017' }]);
    assert.match(shown.find((d) => codeOf(d) === 'AGL017')!.message, /^Used by 'rotvec_to_quaternion\(v\)' \(line 5 of train_rev\.py\): /);
    await vscode.window.showTextDocument(train);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor("the helper's revealed finding to go with the file that revealed it", () => ourDiagnostics(helper.uri).length === 0, 10_000);
  });

  test('closing a document clears its diagnostics', async () => {
    // An untitled document is disposed as soon as its editor is reverted and closed (a file's model may
    // live on for minutes after its editor closes), so closing is observable here.
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: EXPECT.probe.source });
    await vscode.window.showTextDocument(doc);
    await expectFindings(doc, [{ line: EXPECT.probe.line, code: EXPECT.probe.code }]);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor('the untitled document to close', () => doc.isClosed, 15_000);
    await waitFor('its diagnostics to be cleared', () => ourDiagnostics(doc.uri).length === 0, 5_000);
  });

  test("closing a file's last tab clears its findings, and deleting a file drops them", async () => {
    const { doc } = await openScratch('tab-close.py', EXPECT.probe.source);
    await expectFindings(doc, [{ line: EXPECT.probe.line, code: EXPECT.probe.code }]);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('findings cleared when the tab closed', () => ourDiagnostics(doc.uri).length === 0, 5_000);

    const { doc: doc2 } = await openScratch('deleted.py', EXPECT.probe.source);
    await expectFindings(doc2, [{ line: EXPECT.probe.line, code: EXPECT.probe.code }]);
    await vscode.workspace.fs.delete(doc2.uri);
    await waitFor('findings dropped when the file was deleted', () => ourDiagnostics(doc2.uri).length === 0, 10_000);
  });

  test('"Lint workspace" decodes files from disk as CPython does: a latin-1 cookie, old-Mac line breaks', async () => {
    const dir = vscode.Uri.joinPath(workspaceRoot(), '.integration-scratch', 'encodings');
    const probe = EXPECT.probe;
    const probeLine = probe.source.split('\n').findIndex((l) => l.includes(probe.line));
    const latin = vscode.Uri.joinPath(dir, 'latin1.py');
    const mac = vscode.Uri.joinPath(dir, 'mac.py');
    const latinBytes = new Uint8Array([...new TextEncoder().encode('# -*- coding: latin-1 -*-\n# caf'), 0xe9, 0x0a, ...new TextEncoder().encode(probe.source)]);
    await vscode.workspace.fs.writeFile(latin, latinBytes);
    await vscode.workspace.fs.writeFile(mac, new TextEncoder().encode(probe.source.replace(/\n/g, '\r')));
    try {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('autogradLens.lint.lintWorkspace');
      assert.ok(at(ourDiagnostics(latin), probe.code, probeLine + 2), `latin1.py: ${describeDiagnostics(ourDiagnostics(latin)).join(', ') || 'nothing'}`);
      assert.ok(at(ourDiagnostics(mac), probe.code, probeLine), `mac.py: ${describeDiagnostics(ourDiagnostics(mac)).join(', ') || 'nothing'}`);
    } finally {
      await vscode.workspace.fs.delete(dir, { recursive: true });
    }
  });

  test('an expression long enough to exhaust the parser never leaves a file silently clean', async () => {
    const long = `total = ${Array.from({ length: 3000 }, (_, i) => `a${i}`).join(' + ')}\n`;
    const { doc } = await openScratch('long_expression.py', `${EXPECT.probe.source}${long}`);
    const line = lineOf(doc, EXPECT.probe.line);
    // Either the finding (the engine copes) or AGL000 saying it is missing; never nothing.
    const ds = await waitForDiagnostics(doc.uri, `${EXPECT.probe.code} or AGL000`, (d) => Boolean(at(d, EXPECT.probe.code, line)) || d.some((x) => codeOf(x) === 'AGL000'));
    const internal = ds.find((x) => codeOf(x) === 'AGL000');
    if (internal) assert.match(internal.message, /Internal error/);
  });

  test('"Lint workspace" reports the demo files', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const result = await vscode.commands.executeCommand<{ files: number; findings: number }>('autogradLens.lint.lintWorkspace');
    assert.ok(result && result.files >= EXPECT.flagged.length + EXPECT.clean.length, `files: ${JSON.stringify(result)}`);
    assert.ok(result.findings >= EXPECT.flagged.reduce((n, s) => n + s.findings.length, 0), `findings: ${JSON.stringify(result)}`);
    for (const scenario of EXPECT.flagged) {
      const uri = vscode.Uri.joinPath(workspaceRoot(), scenario.file);
      assert.ok(ourDiagnostics(uri).length >= scenario.findings.length, `${scenario.file}: ${describeDiagnostics(ourDiagnostics(uri)).join(', ')}`);
    }
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('problems-after-lint-workspace');
  });
});
