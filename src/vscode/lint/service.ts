/**
 * The lint service: one DiagnosticCollection kept in step with the open Python documents.
 *
 * - The linter (tree-sitter in WebAssembly) is created once, asynchronously; until it is ready, lint
 *   requests wait for it. If it cannot start, the error is logged and shown once; nothing else breaks.
 * - Lint runs on open, on change (debounced by `autogradLens.lint.debounceMs`), on save, when settings
 *   or a `pyproject.toml` change, and is cleared on close (files linted by "Lint workspace" keep their
 *   on-disk results).
 * - Each run is tagged with a generation per document; a run whose document changed (or was closed)
 *   while its configuration was being read is dropped, so stale results never overwrite fresh ones.
 * - The last core diagnostics (with their fixes) are kept per document version for the code actions.
 */
import * as vscode from 'vscode';
import type { Diagnostic as CoreDiagnostic, LintConfig } from '../../core/lint/types';
import { createLinter, type Linter } from '../../core/lint';
import { PyprojectConfigCache, readEditorLintSettings, resolveLintConfig, unknownCodesInSettings } from '../config';
import { toVsDiagnostic } from './convert';

/** Documents larger than this are not linted as you type (they still are by the CLI). */
const MAX_DOCUMENT_CHARS = 2_000_000;
const WORKSPACE_EXCLUDE = '{**/node_modules/**,**/.venv/**,**/venv/**,**/.git/**,**/__pycache__/**,**/site-packages/**,**/.tox/**}';

interface LintResult {
  version: number;
  diagnostics: CoreDiagnostic[];
}

export interface LintServiceOptions {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

export class LintService implements vscode.Disposable {
  readonly collection: vscode.DiagnosticCollection;
  readonly pyproject: PyprojectConfigCache;
  /** Resolves to the linter, or to undefined when it could not be created (the error is logged). */
  readonly linterReady: Promise<Linter | undefined>;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly generations = new Map<string, number>();
  private readonly results = new Map<string, LintResult>();
  /** Files whose diagnostics came from "Lint workspace": kept (from disk) when their editor closes. */
  private readonly workspaceLinted = new Set<string>();
  private readonly didLint = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics were replaced. */
  readonly onDidLint = this.didLint.event;
  private disposed = false;

  constructor(private readonly opts: LintServiceOptions) {
    this.collection = vscode.languages.createDiagnosticCollection('autograd-lens');
    this.pyproject = new PyprojectConfigCache(opts.log);
    const wasmDir = vscode.Uri.joinPath(opts.extensionUri, 'dist', 'wasm').fsPath;
    const started = Date.now();
    this.linterReady = createLinter({ wasmDir }).then(
      (linter) => {
        opts.log.info(`Linter ready in ${Date.now() - started} ms (wasm from ${wasmDir})`);
        return linter;
      },
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        opts.log.error(`The linter could not start: ${message}`);
        void vscode.window.showErrorMessage(`Autograd Lens: the Python linter could not start (${message}). See the "Autograd Lens" output.`);
        return undefined;
      },
    );
  }

  /** Subscribes to editor events and lints the documents already open. */
  start(): void {
    const ws = vscode.workspace;
    this.disposables.push(
      this.collection,
      this.pyproject,
      this.didLint,
      ws.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      ws.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && LintService.isLintable(e.document)) this.schedule(e.document, readEditorLintSettings(e.document.uri).debounceMs);
      }),
      ws.onDidSaveTextDocument((doc) => this.schedule(doc, 0)),
      ws.onDidCloseTextDocument((doc) => this.onClose(doc)),
      ws.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('autogradLens.lint')) {
          this.opts.log.info('Lint settings changed: linting open files again');
          this.checkSettingsCodes();
          this.relintAll();
        }
      }),
    );
    const watcher = ws.createFileSystemWatcher('**/pyproject.toml');
    const onPyproject = (uri: vscode.Uri) => {
      this.opts.log.info(`${vscode.workspace.asRelativePath(uri)} changed: linting open files again`);
      this.pyproject.invalidate(uri);
      this.relintAll();
    };
    this.disposables.push(watcher, watcher.onDidCreate(onPyproject), watcher.onDidChange(onPyproject), watcher.onDidDelete(onPyproject));
    // Closing the last tab of a file clears its findings at once (its TextDocument may stay open, unseen,
    // for minutes), and deleted files lose theirs.
    this.disposables.push(
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          if (tab.input instanceof vscode.TabInputText && !this.hasTab(tab.input.uri)) this.forget(tab.input.uri, 'closed');
        }
        // A document reopened in a tab while its TextDocument stayed open gets no open event: lint it.
        for (const tab of e.opened) {
          if (!(tab.input instanceof vscode.TabInputText)) continue;
          const key = tab.input.uri.toString();
          const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
          if (doc && !this.results.has(key)) this.schedule(doc, 0);
        }
      }),
      ws.onDidDeleteFiles((e) => e.files.forEach((uri) => this.forgetTree(uri))),
    );
    const pyWatcher = ws.createFileSystemWatcher('**/*.py', true, true, false);
    this.disposables.push(pyWatcher, pyWatcher.onDidDelete((uri) => this.forgetTree(uri)));
    // Saving a pyproject.toml inside the editor is seen even where file watching is unavailable.
    this.disposables.push(
      ws.onDidSaveTextDocument((doc) => {
        if (doc.uri.path.endsWith('/pyproject.toml')) onPyproject(doc.uri);
      }),
    );
    this.checkSettingsCodes();
    this.relintAll();
  }

  private lastSettingsWarning = '';

  /** Warns (once per distinct problem) about rule codes in the settings that match no rule. */
  private checkSettingsCodes(): void {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const problems = [...new Set((folders.length ? folders.map((f) => f.uri) : [undefined]).flatMap((u) => unknownCodesInSettings(readEditorLintSettings(u))))];
    const text = problems.join('; ');
    if (text === this.lastSettingsWarning) return;
    this.lastSettingsWarning = text;
    if (!problems.length) return;
    for (const p of problems) this.opts.log.warn(p);
    void vscode.window.showWarningMessage(`Autograd Lens: ${text}.`);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  static isLintable(doc: vscode.TextDocument): boolean {
    return doc.languageId === 'python' && doc.uri.scheme !== 'git' && doc.uri.scheme !== 'output' && doc.uri.scheme !== 'vscode-scm';
  }

  /** The core diagnostics (with fixes) of the document's current version, if it has been linted. */
  diagnosticsFor(doc: vscode.TextDocument): CoreDiagnostic[] | undefined {
    const r = this.results.get(doc.uri.toString());
    return r && r.version === doc.version ? r.diagnostics : undefined;
  }

  /** Lints now (no debounce) and returns the core diagnostics; undefined when the run went stale. */
  async lintNow(doc: vscode.TextDocument): Promise<CoreDiagnostic[] | undefined> {
    const key = doc.uri.toString();
    const pending = this.timers.get(key);
    if (pending) {
      clearTimeout(pending);
      this.timers.delete(key);
    }
    return this.run(doc);
  }

  /** Current diagnostics for a document, linting first when they are missing or stale. */
  async ensureLinted(doc: vscode.TextDocument): Promise<CoreDiagnostic[]> {
    return this.diagnosticsFor(doc) ?? (await this.lintNow(doc)) ?? [];
  }

  schedule(doc: vscode.TextDocument, delayMs: number): void {
    if (this.disposed || !LintService.isLintable(doc)) return;
    const key = doc.uri.toString();
    const gen = this.bump(key); // any run already in flight for this document is now stale
    const previous = this.timers.get(key);
    if (previous) clearTimeout(previous);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (this.generations.get(key) === gen) void this.run(doc);
      }, delayMs),
    );
  }

  relintAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  private bump(key: string): number {
    const gen = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, gen);
    return gen;
  }

  private hasTab(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key));
  }

  /** Drops a file's findings: on tab close (unless "Lint workspace" owns it) or deletion. */
  private forget(uri: vscode.Uri, why: 'closed' | 'deleted'): void {
    const key = uri.toString();
    if (why === 'closed' && this.workspaceLinted.has(key)) return;
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.bump(key);
    this.results.delete(key);
    if (why === 'deleted') this.workspaceLinted.delete(key);
    this.collection.delete(uri);
  }

  /** A deleted file or folder: forget every file at or under it. */
  private forgetTree(uri: vscode.Uri): void {
    const prefix = uri.toString();
    const under: vscode.Uri[] = [];
    this.collection.forEach((u) => {
      const k = u.toString();
      if (k === prefix || k.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) under.push(u);
    });
    for (const u of under) this.forget(u, 'deleted');
  }

  private onClose(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.bump(key);
    this.results.delete(key);
    void this.linterReady.then((linter) => linter?.forget(key)); // frees the document's incremental parse state
    if (this.workspaceLinted.has(key) && doc.uri.scheme !== 'untitled') {
      void this.lintFromDisk(doc.uri); // the Problems panel keeps the workspace view of the file
    } else {
      this.collection.delete(doc.uri);
    }
  }

  private async run(doc: vscode.TextDocument): Promise<CoreDiagnostic[] | undefined> {
    if (this.disposed || !LintService.isLintable(doc)) return undefined;
    const key = doc.uri.toString();
    const gen = this.bump(key);
    const version = doc.version;
    const linter = await this.linterReady;
    if (!linter) return undefined;
    let resolved: Awaited<ReturnType<typeof resolveLintConfig>>;
    try {
      resolved = await resolveLintConfig(doc.uri, this.pyproject);
    } catch (err) {
      this.opts.log.error(`Reading the lint configuration for ${doc.uri.toString()} failed: ${String(err)}`);
      return undefined;
    }
    if (this.disposed || doc.isClosed || doc.version !== version || this.generations.get(key) !== gen) return undefined; // stale
    if (!resolved.settings.enable) {
      this.results.delete(key);
      this.collection.delete(doc.uri);
      this.didLint.fire(doc.uri);
      return [];
    }
    const text = doc.getText();
    if (text.length > MAX_DOCUMENT_CHARS) {
      this.opts.log.warn(`${vscode.workspace.asRelativePath(doc.uri)} is larger than ${MAX_DOCUMENT_CHARS} characters: not linted as you type`);
      this.collection.delete(doc.uri);
      return [];
    }
    const diagnostics = this.lintText(linter, text, doc.uri, resolved.config, key);
    this.results.set(key, { version, diagnostics });
    this.collection.set(doc.uri, diagnostics.map((d) => toVsDiagnostic(d, doc.uri)));
    this.didLint.fire(doc.uri);
    return diagnostics;
  }

  /** With `documentKey` (an open editor document), the engine parses each new version incrementally. */
  private lintText(linter: Linter, text: string, uri: vscode.Uri, config: LintConfig, documentKey?: string): CoreDiagnostic[] {
    const started = performance.now();
    try {
      const opts = { path: uri.fsPath || uri.path, config };
      const diagnostics = documentKey !== undefined ? linter.lintDocument(documentKey, text, opts) : linter.lint(text, opts);
      const ms = performance.now() - started;
      this.opts.log.trace(`Linted ${vscode.workspace.asRelativePath(uri)}: ${diagnostics.length} finding(s) in ${ms.toFixed(1)} ms`);
      return diagnostics;
    } catch (err) {
      // A linter bug must not take the editor down: report it and show nothing for this file.
      this.opts.log.error(`Linting ${uri.toString()} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return [];
    }
  }

  private async lintFromDisk(uri: vscode.Uri): Promise<number> {
    const linter = await this.linterReady;
    if (!linter) return 0;
    let text: string;
    try {
      text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
    } catch (err) {
      this.opts.log.warn(`Cannot read ${uri.toString()}: ${String(err)}`);
      this.collection.delete(uri);
      return 0;
    }
    const { settings, config } = await resolveLintConfig(uri, this.pyproject);
    if (!settings.enable || text.length > MAX_DOCUMENT_CHARS) {
      this.collection.delete(uri);
      return 0;
    }
    const diagnostics = this.lintText(linter, text, uri, config);
    this.collection.set(uri, diagnostics.map((d) => toVsDiagnostic(d, uri)));
    this.didLint.fire(uri);
    return diagnostics.length;
  }

  /** Lints every Python file of the workspace into the Problems panel. */
  async lintWorkspace(token?: vscode.CancellationToken, progress?: vscode.Progress<{ message?: string; increment?: number }>): Promise<{ files: number; findings: number; cancelled: boolean }> {
    const files = await vscode.workspace.findFiles('**/*.py', WORKSPACE_EXCLUDE, undefined, token);
    let findings = 0;
    let done = 0;
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    for (const uri of files) {
      if (token?.isCancellationRequested) return { files: done, findings, cancelled: true };
      const key = uri.toString();
      const doc = open.get(key);
      if (doc) {
        findings += (await this.lintNow(doc))?.length ?? 0;
      } else {
        this.workspaceLinted.add(key);
        findings += await this.lintFromDisk(uri);
      }
      done++;
      progress?.report({ message: `${done}/${files.length} ${vscode.workspace.asRelativePath(uri)}`, increment: 100 / Math.max(1, files.length) });
      if (done % 20 === 0) await new Promise((r) => setTimeout(r, 0)); // keep the extension host responsive
    }
    return { files: done, findings, cancelled: false };
  }
}
