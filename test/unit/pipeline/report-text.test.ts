/**
 * The readable reports (CLI text and the editor's output channel) give relative errors in percent, as
 * the panel does, and call a comparison with the network's own finite differences what it is.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatReport } from '../../../src/cli/train';
import { fmtReport } from '../../../src/vscode/train/report';
import { pct } from '../../../src/shared/format';
import { oneInputRun } from '../../webview/fixtures';

test('CLI text: relative L2 in percent, the comparison named, JSON-free', () => {
  const report = oneInputRun().report!;
  const text = formatReport(report);
  const d = report.derivatives['y/x']!;
  assert.ok(text.includes(pct(d.relL2)), text);
  assert.ok(text.includes(pct(report.value.y!.relL2)), text);
  assert.match(text, /relative L2/);
  assert.match(text, /reference formula/);
  assert.doesNotMatch(text, /self-consistency/);
});

test('without a reference: labelled self-consistency, with how to add one (CLI and output channel)', () => {
  const report = oneInputRun().report!;
  report.derivatives['y/x'] = { ...report.derivatives['y/x']!, reference: 'finite-difference' };
  const cli = formatReport(report);
  assert.match(cli, /self-consistency only \(finite differences of the network\)/);
  assert.match(cli, /not accuracy\. To measure accuracy, add --reference "Y = EXPR"/);
  const channel = fmtReport(report);
  assert.match(channel, /dy\/dx vs self-consistency only/);
  assert.match(channel, /give a reference formula in the training or analysis steps/);
});
