/**
 * One code-action provider for every Autograd Lens diagnostic (the four kinds vscode-eslint offers):
 *  - each fix the rule attached (safe fixes are `isPreferred`; unsafe ones say "(unsafe)")
 *  - "Fix all safe Autograd Lens issues in file" (also as `source.fixAll.autogradLens`, so
 *    `editor.codeActionsOnSave` can run it)
 *  - "Ignore AGLxxx on this line" (adds or extends a `# noqa: AGLxxx` comment)
 *  - "Show documentation for AGLxxx"
 */
import * as vscode from 'vscode';
import type { Diagnostic as CoreDiagnostic, Fix } from '../../core/lint/types';
import { applyFixes } from '../../core/lint';
import { codeOf, sameDiagnostic, SHOW_RULE_DOCS_COMMAND, toVsRange } from './convert';
import { minimalEdit } from './minimalEdit';
import { plainText } from '../../shared/format';
import { noqaEdit } from './noqa';
import type { LintService } from './service';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('autogradLens');

/** A fix's title in the light-bulb menu (plain text: the rules' `code` spans become 'code'). */
export function fixTitle(fix: Fix): string {
  return fix.safe ? plainText(fix.title) : `${plainText(fix.title)} (unsafe)`;
}

/** The edit that applies every safe fix of the document, or undefined when there is none. */
export function fixAllEdit(document: vscode.TextDocument, diagnostics: CoreDiagnostic[]): { edit: vscode.WorkspaceEdit; applied: number } | undefined {
  if (!diagnostics.some((d) => d.fixes.some((f) => f.safe))) return undefined;
  const source = document.getText();
  const { output, applied } = applyFixes(source, diagnostics, { unsafe: false });
  const change = minimalEdit(source, output);
  if (!change || applied === 0) return undefined;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.newText);
  return { edit, applied };
}

export function fixEdit(document: vscode.TextDocument, fix: Fix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) edit.replace(document.uri, toVsRange(e.range), e.newText);
  return edit;
}

/** The "ignore on this line" edit for a diagnostic starting on `line`, or undefined when none applies. */
export function ignoreEdit(document: vscode.TextDocument, line: number, code: string): vscode.WorkspaceEdit | undefined {
  const text = document.lineAt(line).text;
  const result = noqaEdit(text, code);
  if (result.kind !== 'edit') return undefined;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(line, result.edit.start, line, result.edit.end), result.edit.newText);
  return edit;
}

export class LintCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly lint: LintService) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    const only = context.only;
    const wantsFixAll = !!only && (FIX_ALL_KIND.contains(only) || only.contains(FIX_ALL_KIND));
    const wantsQuickFix = !only || only.contains(vscode.CodeActionKind.QuickFix) || vscode.CodeActionKind.QuickFix.contains(only);
    const ours = context.diagnostics.filter((d) => codeOf(d) !== undefined);
    if (!wantsFixAll && (ours.length === 0 || !wantsQuickFix)) return [];

    const core = await this.lint.ensureLinted(document);
    if (token.isCancellationRequested) return [];
    const actions: vscode.CodeAction[] = [];

    if (wantsFixAll) {
      const all = fixAllEdit(document, core);
      if (all) {
        const action = new vscode.CodeAction('Fix all safe Autograd Lens issues', FIX_ALL_KIND);
        action.edit = all.edit;
        actions.push(action);
      }
      if (!wantsQuickFix) return actions;
    }

    const seenCodes = new Set<string>();
    const seenIgnores = new Set<string>();
    for (const vsDiag of ours) {
      const code = codeOf(vsDiag) as string;
      const match = core.find((d) => sameDiagnostic(vsDiag, d));
      for (const fix of match?.fixes ?? []) {
        const action = new vscode.CodeAction(fixTitle(fix), vscode.CodeActionKind.QuickFix);
        action.edit = fixEdit(document, fix);
        action.diagnostics = [vsDiag];
        action.isPreferred = fix.safe;
        actions.push(action);
      }
      const ignoreKey = `${vsDiag.range.start.line}:${code}`;
      const ignore = seenIgnores.has(ignoreKey) ? undefined : ignoreEdit(document, vsDiag.range.start.line, code);
      seenIgnores.add(ignoreKey);
      if (ignore) {
        const action = new vscode.CodeAction(`Ignore ${code} on this line`, vscode.CodeActionKind.QuickFix);
        action.edit = ignore;
        action.diagnostics = [vsDiag];
        actions.push(action);
      }
      if (!seenCodes.has(code)) {
        seenCodes.add(code);
        const docs = new vscode.CodeAction(`Show documentation for ${code}`, vscode.CodeActionKind.QuickFix);
        docs.command = { title: `Show documentation for ${code}`, command: SHOW_RULE_DOCS_COMMAND, arguments: [code] };
        docs.diagnostics = [vsDiag];
        actions.push(docs);
      }
    }

    const all = fixAllEdit(document, core);
    if (all && all.applied > 0 && ours.length > 0) {
      const action = new vscode.CodeAction('Fix all safe Autograd Lens issues in file', vscode.CodeActionKind.QuickFix);
      action.edit = all.edit;
      actions.push(action);
    }
    return actions;
  }
}
