/**
 * What a newcomer meets in the commands, as the workbench shows it: the command palette's order, the
 * data-file picker, the training command's steps (reference formula checked as typed and remembered,
 * presets that describe what runs), status messages that say what happened, export dialogs that
 * check first, and configuration problems pointed at where they are. The quick picks, input boxes,
 * status bar and notifications are read and driven through the offline harness (`probeUi`).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../src/shared/protocol';
import { activateExtension, canProbeWebview, ourDiagnostics, probeUi, sleep, waitFor, waitForNotification, waitForUi, workspaceRoot, openScratch, cleanupScratch } from './helpers';
import { EXPECT } from './expectations';

suite('What a newcomer meets: commands and messages', function () {
  this.timeout(240_000);
  let root: string;
  let models: string;
  let trainedDir: string | undefined;

  suiteSetup(async function () {
    if (!canProbeWebview()) this.skip(); // reading quick picks and notifications needs the harness
    await activateExtension();
    root = workspaceRoot().fsPath;
    models = path.join(root, '.integration-scratch', 'newcomer-models');
    fs.rmSync(models, { recursive: true, force: true });
    fs.mkdirSync(models, { recursive: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll').then(undefined, () => undefined);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen').then(undefined, () => undefined);
    await cleanupScratch();
  });

  test('typing "Autograd Lens: Train" in the command palette offers "Train a Model on a Dataset…" first', async () => {
    await vscode.commands.executeCommand('workbench.action.quickOpen', '>Autograd Lens: Train');
    const p = await waitForUi('the command palette', (q) => (q.quickInput?.rows.length ?? 0) > 0);
    const labels = p.quickInput!.rows.map((r) => r.label ?? '');
    assert.match(labels[0] ?? '', /Autograd Lens: Train a Model on a Dataset…/, labels.join(' | '));
    assert.ok(labels.some((l) => /Train Again with the Last Settings/.test(l)), labels.join(' | '));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  test('the data-file picker lists the CSV files in order', async () => {
    const done = vscode.commands.executeCommand('autogradLens.train');
    const p = await waitForUi('the data-file picker', (q) => /choose the data/.test(q.quickInput?.title ?? '') && (q.quickInput?.rows.length ?? 0) > 1);
    const paths = p.quickInput!.rows.map((r) => r.description ?? '');
    assert.deepEqual(paths, [...paths].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })), paths.join(' | '));
    assert.ok(paths.includes('data/seed000.csv'), paths.join(' | '));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await done, undefined);
  });

  test('training from the editor: a reference formula checked as it is typed, presets that match, remembered for the file', async () => {
    const data = vscode.Uri.file(path.join(root, 'data', 'seed000.csv'));
    const done = vscode.commands.executeCommand<RunRecord | undefined>('autogradLens.train', data);
    await waitForUi('the inputs step', (q) => /inputs/.test(q.quickInput?.title ?? ''));
    await probeUi({ check: ['x'], keys: ['Enter'] });
    await waitForUi('the outputs step', (q) => /Outputs/.test(q.quickInput?.title ?? ''));
    await probeUi({ keys: ['Enter'] }); // y is the only candidate and is ticked
    // The reference step: each keystroke is checked with the CLI's parser and whitelist.
    await waitForUi('the reference step', (q) => /reference for y/.test(q.quickInput?.title ?? ''));
    const bad = await probeUi({ type: 'x^3 + 7 - 3*z', settleMs: 600 });
    assert.match(bad.quickInput?.message ?? '', /unknown symbol 'z'/, JSON.stringify(bad.quickInput));
    const badFn = await probeUi({ type: 'x^3 + evil(x)', settleMs: 600 });
    assert.match(badFn.quickInput?.message ?? '', /unknown function 'evil'/, JSON.stringify(badFn.quickInput));
    const good = await probeUi({ type: 'x^3 + 7 - 3*x', settleMs: 600 });
    assert.doesNotMatch(good.quickInput?.message ?? '', /unknown symbol|unknown function|syntax error|not allowed/i, JSON.stringify(good.quickInput));
    await probeUi({ keys: ['Enter'] });
    // Presets: no derivative presets without derivative columns; each described by what it runs.
    const presets = await waitForUi('the presets', (q) => /Training settings/.test(q.quickInput?.title ?? '') && (q.quickInput?.rows.length ?? 0) > 0);
    const rows = presets.quickInput!.rows;
    assert.deepEqual(rows.map((r) => r.label), ['Defaults', 'Quick look'], JSON.stringify(rows));
    assert.match(rows[1]!.detail ?? '', /^2×32 \w+, 150 epochs, batch up to \d+, learning rate/, JSON.stringify(rows));
    await probeUi({ type: 'Quick', keys: ['Enter'] });
    const run = await done;
    assert.ok(run?.report, 'the training finished with a report');
    assert.equal(run.status, 'completed');
    assert.deepEqual(run.spec.references, [{ output: 'y', expression: 'x^3 + 7 - 3*x' }]);
    assert.equal(run.report.derivatives['y/x']?.reference, 'expression', 'the derivative error is against the formula');
    assert.equal(run.label, 'seed000.csv: x → y');
    trainedDir = run.report.modelDir ?? undefined;
    // The status bar says what happened: a model saved.
    const status = await waitForUi('the training status message', (q) => q.statusBar.some((t) => /trained seed000\.csv.*model saved to/.test(t)));
    assert.ok(status);

    // Again on the same file: the choices and the formula come back.
    const again = vscode.commands.executeCommand('autogradLens.train', data);
    const inputs = await waitForUi('the inputs step again', (q) => /inputs/.test(q.quickInput?.title ?? ''));
    assert.equal(inputs.quickInput!.rows.find((r) => r.label === 'x')?.checked, true, JSON.stringify(inputs.quickInput));
    await probeUi({ keys: ['Enter'] });
    await waitForUi('the outputs step again', (q) => /Outputs/.test(q.quickInput?.title ?? ''));
    await probeUi({ keys: ['Enter'] });
    const ref = await waitForUi('the reference step again', (q) => /reference for y/.test(q.quickInput?.title ?? ''));
    assert.equal(ref.quickInput!.value, 'x^3 + 7 - 3*x');
    await probeUi({ keys: ['Escape'] });
    assert.equal(await again, undefined, 'Escape cancels the whole command');
  });

  test('"Analyse a Saved Model" says it analysed, never "model saved"', async () => {
    assert.ok(trainedDir, 'the training test above saved a model');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('notifications.clearAll').then(undefined, () => undefined);
    const run = await vscode.commands.executeCommand<RunRecord>('autogradLens.analyzeModel', { modelDir: trainedDir });
    assert.equal(run?.status, 'completed');
    const p = await waitForUi('the analysis status message', (q) => q.statusBar.some((t) => /analysis of .*1 derivative checked; results in the analysis panel/.test(t)));
    assert.ok(!p.statusBar.some((t) => /analysis of .*saved/.test(t)), p.statusBar.join(' | '));
  });

  test('export: the points file is checked before the save dialog; a derivative-only model says its values are known up to a constant', async () => {
    assert.ok(trainedDir, 'the training test above saved a model');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('notifications.clearAll').then(undefined, () => undefined);
    const scratch = path.join(root, '.integration-scratch');
    const wrong = path.join(scratch, 'points-without-x.csv');
    fs.writeFileSync(wrong, 'u,v\n1,2\n3,4\n');
    const target = path.join(scratch, 'never-written.csv');
    const out = await vscode.commands.executeCommand('autogradLens.exportDerivatives', { modelDir: trainedDir, data: wrong, target });
    assert.equal(out, undefined);
    assert.ok(!fs.existsSync(target), 'nothing written');
    await waitForNotification(/points-without-x\.csv lacks the model's input column 'x'; it has 'u', 'v'/);

    // A model fitted to derivatives only (seed 003: gradient samples, no values).
    const run = await vscode.commands.executeCommand<RunRecord>('autogradLens.train', {
      data: 'data/seed003.csv', inputs: ['x1', 'x2'], outputs: ['V'],
      grads: [{ output: 'V', input: 'x1', column: 'dV_dx1' }, { output: 'V', input: 'x2', column: 'dV_dx2' }],
      fit: 'derivatives', epochs: 40, outDir: path.join(models, 'seed003-derivatives-only'),
    });
    assert.equal(run?.status, 'completed');
    const csv = path.join(scratch, 'seed003-derivatives.csv');
    await vscode.commands.executeCommand('autogradLens.exportDerivatives', { modelDir: run.report!.modelDir, data: 'data/seed003.csv', target: csv });
    assert.ok(fs.existsSync(csv));
    await waitForNotification(/fitted to derivatives only: its values \(V\) are known only up to a constant/);
  });

  test('unknown rule codes and TOML mistakes are pointed at in pyproject.toml; unknown codes in settings get a warning', async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const pyproject = vscode.Uri.joinPath(workspaceRoot(), '.integration-scratch', 'pyproject.toml');
    const write = (text: string) => vscode.workspace.fs.writeFile(pyproject, new TextEncoder().encode(text));
    const problems = () => vscode.languages.getDiagnostics(pyproject).filter((d) => d.source === 'autograd-lens');
    try {
      await write('[tool.autograd-lens]\nignore = ["AGL001", "AGL9001"]\n');
      await openScratch('config-codes.py', EXPECT.probe.source);
      const unknown = await waitFor('a problem on AGL9001', () => problems().find((d) => /AGL9001/.test(d.message)), 20_000);
      assert.match(unknown.message, /AGL9001 in \[tool\.autograd-lens\] ignore matches no rule \(did you mean AGL001\?\)/);
      assert.deepEqual([unknown.range.start.line, unknown.range.start.character], [1, 21]);
      assert.equal(unknown.severity, vscode.DiagnosticSeverity.Warning);
      // The rest of the table still applies: AGL001 is ignored.
      await write('[tool.autograd-lens]\nselect = [AGL001]\n');
      const toml = await waitFor('a problem on the unquoted code', () => problems().find((d) => /needs quotes/.test(d.message)), 20_000);
      assert.match(toml.message, /invalid TOML: AGL001 needs quotes \("AGL001"\)/);
      assert.deepEqual([toml.range.start.line, toml.range.start.character], [1, 10]);
    } finally {
      await vscode.workspace.fs.delete(pyproject).then(undefined, () => undefined);
    }
    await waitFor('the problems to go with the file', () => problems().length === 0, 20_000);

    const lint = vscode.workspace.getConfiguration('autogradLens.lint');
    await vscode.commands.executeCommand('notifications.clearAll').then(undefined, () => undefined);
    await lint.update('select', ['AGL9009'], vscode.ConfigurationTarget.Workspace);
    try {
      await waitForNotification(/AGL9009 in the setting autogradLens\.lint\.select matches no rule \(did you mean AGL009\?\)/);
    } finally {
      await lint.update('select', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('problem messages are plain text, without Markdown backticks', async () => {
    const { doc } = await openScratch('plain-text.py', EXPECT.probe.source);
    const ds = await waitFor('findings', () => {
      const d = ourDiagnostics(doc.uri);
      return d.length ? d : undefined;
    });
    for (const d of ds) {
      assert.doesNotMatch(d.message, /`/, d.message);
      for (const r of d.relatedInformation ?? []) assert.doesNotMatch(r.message, /`/, r.message);
    }
    await sleep(100);
  });
});
