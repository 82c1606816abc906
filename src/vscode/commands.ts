/**
 * Every command of the extension, in one table keyed by command id (the rust-analyzer / Error Lens
 * pattern). An entry is a factory: it receives the extension's services once at activation and returns
 * the handler. To add a command: add its id to `package.json` `contributes.commands` (with
 * `category: "Autograd Lens"`), add an entry to `COMMANDS` below (or pass extra entries to
 * `registerCommands`), and put the logic in the module of its area; keep the entry a one-liner.
 * An integration test checks that every command the manifest contributes is registered.
 */
import * as vscode from 'vscode';
import { fixAllEdit, notebookFixAllEdit } from './lint/codeActions';
import { showRuleDocs } from './lint/docs';
import { LintService } from './lint/service';
import { TRAINING_COMMANDS } from './train/commands';
import { isUserError } from './train/service';

/** The long-lived services built in `activate()`. Areas add their own fields here (additively). */
export interface Ctx {
  readonly extensionContext: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly lint: LintService;
}

export type CommandFactory = (ctx: Ctx) => (...args: unknown[]) => unknown;

export const COMMANDS: Record<string, CommandFactory> = {
  'autogradLens.lint.fixAll': (ctx) => (uriArg?: unknown) => fixAllInDocument(ctx, uriArg),
  'autogradLens.lint.showRuleDocs': (ctx) => (code?: unknown) => showRuleDocs(ctx.log, code),
  'autogradLens.lint.lintWorkspace': (ctx) => () => lintWorkspace(ctx),
  // train, retrain, cancelTraining, analyzeModel, analyzeCsv, exportDerivatives, openPanel, exportModel
  ...TRAINING_COMMANDS,
};

/** Registers the table's commands (plus `extra` entries); returns their ids and disposables. */
export function registerCommands(ctx: Ctx, extra: Record<string, CommandFactory> = {}): { ids: string[]; disposables: vscode.Disposable[] } {
  const table = { ...COMMANDS, ...extra };
  const disposables = Object.entries(table).map(([id, factory]) => {
    const handler = factory(ctx);
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        // A problem with the user's data or input is reported by its message; a stack trace only
        // helps with our own bugs.
        if (isUserError(err)) ctx.log.warn(`${id}: ${message}`);
        else ctx.log.error(`Command ${id} failed: ${err instanceof Error ? (err.stack ?? message) : message}`);
        void vscode.window.showErrorMessage(`Autograd Lens: ${message}`);
        return undefined;
      }
    });
  });
  return { ids: Object.keys(table), disposables };
}

/** Applies every safe fix of a notebook (all its cells). Returns the count. */
async function fixAllInNotebook(ctx: Ctx, notebook: vscode.NotebookDocument): Promise<number> {
  const diagnostics = await ctx.lint.ensureNotebookLinted(notebook);
  const result = notebookFixAllEdit(notebook, diagnostics);
  if (!result) {
    void vscode.window.setStatusBarMessage('Autograd Lens: no safe fixes in this notebook', 3000);
    return 0;
  }
  const ok = await vscode.workspace.applyEdit(result.edit);
  if (!ok) throw new Error('the editor refused the fix-all edit (the notebook changed meanwhile?)');
  await ctx.lint.lintNotebookNow(notebook);
  ctx.log.info(`Fixed ${result.applied} issue(s) in ${vscode.workspace.asRelativePath(notebook.uri)}`);
  return result.applied;
}

/**
 * Applies every safe fix in a Python document or notebook (the active editor's by default; a notebook
 * cell stands for its whole notebook). Returns the count.
 */
async function fixAllInDocument(ctx: Ctx, uriArg?: unknown): Promise<number> {
  let document: vscode.TextDocument | undefined;
  if (uriArg instanceof vscode.Uri) {
    const key = uriArg.toString();
    const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === key);
    if (notebook) return fixAllInNotebook(ctx, notebook);
    if (uriArg.path.toLowerCase().endsWith('.ipynb') && uriArg.scheme !== 'vscode-notebook-cell') {
      return fixAllInNotebook(ctx, await vscode.workspace.openNotebookDocument(uriArg));
    }
    document = await vscode.workspace.openTextDocument(uriArg);
  } else {
    document = vscode.window.activeTextEditor?.document;
    if (!document && vscode.window.activeNotebookEditor) return fixAllInNotebook(ctx, vscode.window.activeNotebookEditor.notebook);
  }
  const notebook = document ? ctx.lint.notebookOf(document) : undefined;
  if (notebook) return fixAllInNotebook(ctx, notebook);
  if (!document || !LintService.isLintable(document)) {
    void vscode.window.showInformationMessage('Autograd Lens: open a Python file or notebook to fix.');
    return 0;
  }
  const diagnostics = await ctx.lint.ensureLinted(document);
  const result = fixAllEdit(document, diagnostics);
  if (!result) {
    void vscode.window.setStatusBarMessage('Autograd Lens: no safe fixes in this file', 3000);
    return 0;
  }
  const ok = await vscode.workspace.applyEdit(result.edit);
  if (!ok) throw new Error('the editor refused the fix-all edit (the file changed meanwhile?)');
  await ctx.lint.lintNow(document);
  ctx.log.info(`Fixed ${result.applied} issue(s) in ${vscode.workspace.asRelativePath(document.uri)}`);
  return result.applied;
}

async function lintWorkspace(ctx: Ctx): Promise<{ files: number; findings: number; cancelled: boolean }> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Autograd Lens: linting Python files and notebooks', cancellable: true },
    (progress, token) => ctx.lint.lintWorkspace(token, progress),
  );
  const summary = `${result.findings} finding(s) in ${result.files} Python file(s) and notebook(s)${result.cancelled ? ' (cancelled)' : ''}`;
  ctx.log.info(`Lint workspace: ${summary}`);
  void vscode.window.setStatusBarMessage(`Autograd Lens: ${summary}`, 5000);
  return result;
}
