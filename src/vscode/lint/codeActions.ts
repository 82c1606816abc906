/**
 * One code-action provider for every Autograd Lens diagnostic (the four kinds vscode-eslint offers):
 *  - each fix the rule attached (safe fixes are `isPreferred`; unsafe ones say "(unsafe)")
 *  - "Fix all safe Autograd Lens issues in file" (also as `source.fixAll.autogradLens`, so
 *    `editor.codeActionsOnSave` can run it)
 *  - "Ignore AGLxxx on this line" (adds or extends a `# noqa: AGLxxx` comment)
 *  - "Show documentation for AGLxxx"
 * In a notebook cell the same actions come from the notebook's findings (`LintService.notebookOf`):
 * a fix's edits may be in other cells (one WorkspaceEdit over the cell documents); "fix all" in the quick
 * fix menu and `notebook.source.fixAll.autogradLens` fix the whole notebook, `source.fixAll.autogradLens`
 * (run per cell by `notebook.codeActionsOnSave`) fixes what lies in that cell.
 */
import * as vscode from 'vscode';
import type { Diagnostic as CoreDiagnostic, Fix } from '../../core/lint/types';
import { applyFixes } from '../../core/lint';
import { INTERNAL_ERROR_CODE } from '../../core/lint/internal';
import { applyCellFixes, type CellDiagnostic, type CellFix } from '../../core/notebook';
import { codeOf, sameDiagnostic, SHOW_RULE_DOCS_COMMAND, toVsRange } from './convert';
import { minimalEdit } from './minimalEdit';
import { plainText } from '../../shared/format';
import { noqaEdit } from './noqa';
import { notebookCells, type LintService } from './service';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('autogradLens');
/** `notebook.source.fixAll.autogradLens`: fix all safe issues of the whole notebook (for `notebook.codeActionsOnSave`). */
export const NOTEBOOK_FIX_ALL_KIND = vscode.CodeActionKind.Notebook.append(FIX_ALL_KIND.value);

/** A fix's title in the light-bulb menu (plain text: the rules' `code` spans become 'code'). */
export function fixTitle(fix: Pick<Fix, 'title' | 'safe'>): string {
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

/** A notebook fix: its edits go to the documents of the cells they are in. */
export function cellFixEdit(nb: vscode.NotebookDocument, fix: CellFix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const cells = nb.getCells();
  for (const e of fix.edits) edit.replace(cells[e.cell].document.uri, toVsRange(e.range), e.newText);
  return edit;
}

/**
 * The edit that applies every safe fix of a notebook (or, with `onlyCell`, the fixes whose edits all lie
 * in that cell): one minimal replacement per changed cell. Undefined when there is nothing to fix.
 */
export function notebookFixAllEdit(nb: vscode.NotebookDocument, diagnostics: CellDiagnostic[], onlyCell?: number): { edit: vscode.WorkspaceEdit; applied: number } | undefined {
  const chosen = onlyCell === undefined ? diagnostics : diagnostics.filter((d) => d.fixes.find((f) => f.safe)?.edits.every((e) => e.cell === onlyCell));
  if (!chosen.some((d) => d.fixes.some((f) => f.safe))) return undefined;
  const inputs = notebookCells(nb);
  const { sources, applied } = applyCellFixes(inputs, chosen);
  if (applied === 0 || sources.size === 0) return undefined;
  const edit = new vscode.WorkspaceEdit();
  const cells = nb.getCells();
  for (const [index, after] of sources) {
    const doc = cells[index].document;
    const change = minimalEdit(inputs[index].source, after);
    if (change) edit.replace(doc.uri, new vscode.Range(doc.positionAt(change.start), doc.positionAt(change.end)), change.newText);
  }
  return { edit, applied };
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

/**
 * The quick fixes of each of our diagnostics in `document` (a file or a notebook cell): its fixes (the safe one
 * preferred), "Ignore CODE on this line" once per line and code (not for AGL000, internal-error: `# noqa` does not hide
 * it, so offering to ignore it would do nothing), and "Show documentation" once per code.
 */
function diagnosticActions<F extends Pick<Fix, 'title' | 'safe'>>(
  document: vscode.TextDocument,
  ours: readonly vscode.Diagnostic[],
  fixesOf: (d: vscode.Diagnostic) => readonly F[],
  editOf: (fix: F) => vscode.WorkspaceEdit,
): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  const seenCodes = new Set<string>();
  const seenIgnores = new Set<string>();
  for (const vsDiag of ours) {
    const code = codeOf(vsDiag) as string;
    for (const fix of fixesOf(vsDiag)) {
      const action = new vscode.CodeAction(fixTitle(fix), vscode.CodeActionKind.QuickFix);
      action.edit = editOf(fix);
      action.diagnostics = [vsDiag];
      action.isPreferred = fix.safe;
      actions.push(action);
    }
    const ignoreKey = `${vsDiag.range.start.line}:${code}`;
    const ignore = seenIgnores.has(ignoreKey) || code === INTERNAL_ERROR_CODE ? undefined : ignoreEdit(document, vsDiag.range.start.line, code);
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
  return actions;
}

export class LintCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND, NOTEBOOK_FIX_ALL_KIND],
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
    const notebook = this.lint.notebookOf(document);
    if (notebook) {
      const wantsNotebookFixAll = !!only && (NOTEBOOK_FIX_ALL_KIND.contains(only) || only.contains(NOTEBOOK_FIX_ALL_KIND));
      if (!wantsFixAll && !wantsNotebookFixAll && (ours.length === 0 || !wantsQuickFix)) return [];
      return this.cellActions(notebook, document, ours, { wantsFixAll, wantsNotebookFixAll, wantsQuickFix }, token);
    }
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

    actions.push(...diagnosticActions(document, ours, (d) => core.find((c) => sameDiagnostic(d, c))?.fixes ?? [], (fix) => fixEdit(document, fix)));

    const all = fixAllEdit(document, core);
    if (all && all.applied > 0 && ours.length > 0) {
      const action = new vscode.CodeAction('Fix all safe Autograd Lens issues in file', vscode.CodeActionKind.QuickFix);
      action.edit = all.edit;
      actions.push(action);
    }
    return actions;
  }

  /** The same actions for a notebook cell, from the notebook's findings. */
  private async cellActions(
    notebook: vscode.NotebookDocument,
    document: vscode.TextDocument,
    ours: vscode.Diagnostic[],
    want: { wantsFixAll: boolean; wantsNotebookFixAll: boolean; wantsQuickFix: boolean },
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    const all = await this.lint.ensureNotebookLinted(notebook);
    if (token.isCancellationRequested) return [];
    const cell = notebook.getCells().find((c) => c.document.uri.toString() === document.uri.toString());
    if (!cell) return [];
    const actions: vscode.CodeAction[] = [];
    if (want.wantsNotebookFixAll) {
      const fixAll = notebookFixAllEdit(notebook, all);
      if (fixAll) {
        const action = new vscode.CodeAction('Fix all safe Autograd Lens issues in notebook', NOTEBOOK_FIX_ALL_KIND);
        action.edit = fixAll.edit;
        actions.push(action);
      }
    }
    if (want.wantsFixAll) {
      const inCell = notebookFixAllEdit(notebook, all, cell.index);
      if (inCell) {
        const action = new vscode.CodeAction('Fix all safe Autograd Lens issues', FIX_ALL_KIND);
        action.edit = inCell.edit;
        actions.push(action);
      }
    }
    if (!want.wantsQuickFix || ours.length === 0) return actions;
    const mine = all.filter((d) => d.cell === cell.index);
    actions.push(...diagnosticActions(document, ours, (d) => mine.find((c) => sameDiagnostic(d, c))?.fixes ?? [], (fix) => cellFixEdit(notebook, fix)));
    const fixAll = notebookFixAllEdit(notebook, all);
    if (fixAll && fixAll.applied > 0) {
      const action = new vscode.CodeAction('Fix all safe Autograd Lens issues in notebook', vscode.CodeActionKind.QuickFix);
      action.edit = fixAll.edit;
      actions.push(action);
    }
    return actions;
  }
}
