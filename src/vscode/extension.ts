/**
 * Extension entry point. `activate()` builds the long-lived services, each pushed into
 * `context.subscriptions`, and registers the command table (`commands.ts`):
 *  - the "Autograd Lens" log output channel
 *  - the lint service (diagnostics for Python files) and its code-action provider
 *  - the rule documentation provider (`autograd-lens-docs:` virtual Markdown documents)
 *  - the training service (worker runs, run store) and the analysis panel's serializer
 */
import * as vscode from 'vscode';
import { registerCommands, type Ctx } from './commands';
import { LintCodeActionProvider } from './lint/codeActions';
import { DOCS_SCHEME, RuleDocsProvider, renderDocsLinks } from './lint/docs';
import { LintService } from './lint/service';
import { trainingService } from './train/commands';

/** What `activate()` returns (`vscode.extensions.getExtension(id).exports`); used by the integration tests. */
export interface AutogradLensApi {
  /** The folder the extension runs from (the installed one when installed from the .vsix). */
  readonly extensionPath: string;
  /** Resolves true once the Python linter is ready, false if it could not start. */
  whenLinterReady(): Promise<boolean>;
  /** The command ids the command table registered. */
  readonly commands: readonly string[];
}

export function activate(context: vscode.ExtensionContext): AutogradLensApi {
  const log = vscode.window.createOutputChannel('Autograd Lens', { log: true });
  context.subscriptions.push(log);
  log.info(`Activating Autograd Lens ${String(context.extension.packageJSON.version)} from ${context.extensionUri.toString()}`);

  const lint = new LintService({ extensionUri: context.extensionUri, log });
  context.subscriptions.push(lint);
  const ctx: Ctx = { extensionContext: context, log, lint };

  // Training runs and the analysis panel: created now so a panel left open is restored after a reload.
  trainingService(context, log);

  const commands = registerCommands(ctx);
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider({ language: 'python' }, new LintCodeActionProvider(lint), LintCodeActionProvider.metadata),
    vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, new RuleDocsProvider()),
    renderDocsLinks(log),
    ...commands.disposables,
  );
  lint.start();

  return {
    extensionPath: context.extensionPath,
    whenLinterReady: () => lint.linterReady.then((l) => l !== undefined),
    commands: commands.ids,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
