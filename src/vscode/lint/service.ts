/**
 * The lint service: one DiagnosticCollection kept in step with the open Python documents.
 *
 * - The linter (tree-sitter in WebAssembly) runs in a worker thread (dist/lintWorker.js, through
 *   `LintWorkerClient`), never on the extension host's thread; it is started once, asynchronously, and
 *   until it is ready lint requests wait for it. If it cannot start, the error is logged and shown once;
 *   nothing else breaks. A worker that dies is replaced and said once in the output channel.
 * - Lint runs on open, on change (debounced by `autogradLens.lint.debounceMs`), on save, when settings
 *   or a `pyproject.toml` change, and is cleared on close (files linted by "Lint workspace" keep their
 *   on-disk results).
 * - Each run is tagged with a generation per document; a run whose document changed (or was closed)
 *   while its configuration was read or while it was linted is dropped, so stale results never overwrite
 *   fresh ones; a request still waiting for the worker is replaced by the newer one (never linted).
 * - The last core diagnostics (with their fixes) are kept per document version for the code actions.
 * - Notebooks (VS Code's notebook editor, any notebook type whose cells are Python, e.g. the built-in
 *   ipynb support): the Python code cells are linted together, in cell order, as one program
 *   (`src/core/notebook`), on open, on every cell edit (debounced), on cell added/removed/moved and on
 *   save. Findings are set on the cell documents (`vscode-notebook-cell:` URIs); related locations may
 *   point at other cells. Cell documents are never linted as files of their own.
 */
import * as vscode from 'vscode';
import type { Diagnostic as CoreDiagnostic, LintConfig } from '../../core/lint/types';
import type { RevealedDiagnostic } from '../../core/lint/index';
import { isEnabled } from '../../core/lint/config';
import { LintWorkerClient } from '../../core/lintWorker/client';
import { INTERNAL_ERROR_CODE } from '../../core/lint/internal';
import { decodePythonSource, SourceDecodeError } from '../../core/lint/pysource';
import type { CellDiagnostic, CellInput } from '../../core/notebook';
import { PyprojectConfigCache, readEditorLintSettings, resolveLintConfig, unknownCodesInSettings } from '../config';
import { toVsCellDiagnostic, toVsDiagnostic } from './convert';

/** Documents larger than this are not linted as you type (they still are by the CLI). */
const MAX_DOCUMENT_CHARS = 2_000_000;
const WORKSPACE_EXCLUDE = '{**/node_modules/**,**/.venv/**,**/venv/**,**/.git/**,**/__pycache__/**,**/site-packages/**,**/.tox/**,**/.ipynb_checkpoints/**}';
export const NOTEBOOK_CELL_SCHEME = 'vscode-notebook-cell';

interface LintResult {
  version: number;
  diagnostics: CoreDiagnostic[];
}

/** The last lint of a notebook: valid while its cells (and their versions) are the same. */
interface NotebookResult {
  signature: string;
  diagnostics: CellDiagnostic[];
  /** The cell document URIs diagnostics were set on (to clear them when cells go). */
  cellUris: string[];
}

/** What identifies one state of a notebook's cells: their documents, versions, kinds and languages. */
function notebookSignature(nb: vscode.NotebookDocument): string {
  return nb
    .getCells()
    .map((c) => `${c.document.uri.toString()}@${c.document.version}:${c.kind}:${c.document.languageId}`)
    .join('|');
}

/** The notebook's cells as the core sees them: Python code cells are code, other code cells (raw, R, SQL) are skipped. */
export function notebookCells(nb: vscode.NotebookDocument): CellInput[] {
  return nb.getCells().map((c) => ({
    index: c.index,
    kind: c.kind === vscode.NotebookCellKind.Code ? (c.document.languageId === 'python' ? 'code' : 'raw') : 'markdown',
    source: c.document.getText(),
  }));
}

export interface LintServiceOptions {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

export class LintService implements vscode.Disposable {
  readonly collection: vscode.DiagnosticCollection;
  /**
   * Findings in a workspace file's helpers that another file's use reveals (a NaN-prone guard in a helper only an
   * open training script differentiates through; `LintRun.revealed`), shown in the helper's file where the fix goes.
   * A collection of their own: the helper's own lint does not replace them, and they go when the file that revealed
   * them is closed or no longer reveals them.
   */
  readonly revealedCollection: vscode.DiagnosticCollection;
  /** The file that revealed them (uri string) → the helper file (uri string) → the findings there. */
  private readonly revealedBy = new Map<string, Map<string, CoreDiagnostic[]>>();
  readonly pyproject: PyprojectConfigCache;
  /** Resolves to the linter, or to undefined when it could not be created (the error is logged). */
  readonly linterReady: Promise<LintWorkerClient | undefined>;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly generations = new Map<string, number>();
  private readonly results = new Map<string, LintResult>();
  private readonly notebookResults = new Map<string, NotebookResult>();
  /** Files whose diagnostics came from "Lint workspace": kept (from disk) when their editor closes. */
  private readonly workspaceLinted = new Set<string>();
  /** Per file, the internal errors already written to the output channel. */
  private readonly loggedInternal = new Map<string, Set<string>>();
  private readonly didLint = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics were replaced. */
  readonly onDidLint = this.didLint.event;
  private disposed = false;

  constructor(private readonly opts: LintServiceOptions) {
    this.collection = vscode.languages.createDiagnosticCollection('autograd-lens');
    this.revealedCollection = vscode.languages.createDiagnosticCollection('autograd-lens-revealed');
    this.pyproject = new PyprojectConfigCache(opts.log);
    const wasmDir = vscode.Uri.joinPath(opts.extensionUri, 'dist', 'wasm').fsPath;
    const started = Date.now();
    const linter = new LintWorkerClient(vscode.Uri.joinPath(opts.extensionUri, 'dist', 'lintWorker.js').fsPath, {
      wasmDir,
      onCrash: (why) => opts.log.error(`The lint worker thread stopped (${why}); the file it was linting shows an AGL000 internal error, and a new worker lints from now on.`),
    });
    this.disposables.push({ dispose: () => linter.dispose() });
    this.linterReady = linter.ready().then(
      () => {
        opts.log.info(`Linter ready in a worker thread in ${Date.now() - started} ms (wasm from ${wasmDir})`);
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
      this.revealedCollection,
      this.pyproject,
      this.didLint,
      ws.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      ws.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        if (LintService.isLintable(e.document)) this.schedule(e.document, readEditorLintSettings(e.document.uri).debounceMs);
        else if (e.document.uri.scheme === NOTEBOOK_CELL_SCHEME) {
          const nb = this.notebookOf(e.document);
          if (nb) this.scheduleNotebook(nb, readEditorLintSettings(nb.uri).debounceMs);
        }
      }),
      ws.onDidSaveTextDocument((doc) => this.schedule(doc, 0)),
      ws.onDidCloseTextDocument((doc) => this.onClose(doc)),
      ws.onDidOpenNotebookDocument((nb) => this.scheduleNotebook(nb, 0)),
      ws.onDidChangeNotebookDocument((e) => {
        // Cells added, removed or moved, or a cell's language changed: the program is another one.
        if (e.contentChanges.length > 0 || e.cellChanges.some((c) => c.document !== undefined)) {
          this.scheduleNotebook(e.notebook, readEditorLintSettings(e.notebook.uri).debounceMs);
        }
      }),
      ws.onDidSaveNotebookDocument((nb) => this.scheduleNotebook(nb, 0)),
      ws.onDidCloseNotebookDocument((nb) => this.onCloseNotebook(nb)),
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
          if (tab.input instanceof vscode.TabInputNotebook && !this.hasTab(tab.input.uri)) this.forgetNotebook(tab.input.uri, 'closed');
        }
        // A document reopened in a tab while its TextDocument stayed open gets no open event: lint it.
        for (const tab of e.opened) {
          if (tab.input instanceof vscode.TabInputNotebook) {
            const key = tab.input.uri.toString();
            const nb = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === key);
            if (nb && !this.notebookResults.has(key)) this.scheduleNotebook(nb, 0);
            continue;
          }
          if (!(tab.input instanceof vscode.TabInputText)) continue;
          const key = tab.input.uri.toString();
          const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
          if (doc && !this.results.has(key)) this.schedule(doc, 0);
        }
      }),
      ws.onDidDeleteFiles((e) => e.files.forEach((uri) => this.forgetTree(uri))),
    );
    const pyWatcher = ws.createFileSystemWatcher('**/*.{py,ipynb}', true, true, false);
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

  /** A Python document linted as a file of its own (notebook cells are linted with their notebook). */
  static isLintable(doc: vscode.TextDocument): boolean {
    return (
      doc.languageId === 'python' &&
      doc.uri.scheme !== 'git' &&
      doc.uri.scheme !== 'output' &&
      doc.uri.scheme !== 'vscode-scm' &&
      doc.uri.scheme !== NOTEBOOK_CELL_SCHEME
    );
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
    this.debounce(doc.uri.toString(), delayMs, () => void this.run(doc));
  }

  /**
   * Runs `run` after `delayMs` unless `key` is scheduled again first: any run already in flight for the key is stale
   * from now on (its generation is bumped), and an earlier timer for it is dropped.
   */
  private debounce(key: string, delayMs: number, run: () => void): void {
    const gen = this.bump(key);
    const previous = this.timers.get(key);
    if (previous) clearTimeout(previous);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (this.generations.get(key) === gen) run();
      }, delayMs),
    );
  }

  relintAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
    for (const nb of vscode.workspace.notebookDocuments) this.scheduleNotebook(nb, 0);
  }

  private bump(key: string): number {
    const gen = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, gen);
    return gen;
  }

  private hasTab(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return vscode.window.tabGroups.all.some((g) =>
      g.tabs.some((t) => (t.input instanceof vscode.TabInputText || t.input instanceof vscode.TabInputNotebook) && t.input.uri.toString() === key),
    );
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
    this.loggedInternal.delete(key);
    if (why === 'deleted') this.workspaceLinted.delete(key);
    this.collection.delete(uri);
    this.setRevealed(key, []);
  }

  /** A deleted file or folder: forget every file (and notebook) at or under it. */
  private forgetTree(uri: vscode.Uri): void {
    const prefix = uri.toString();
    const isUnder = (k: string) => k === prefix || k.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
    const under: vscode.Uri[] = [];
    this.collection.forEach((u) => {
      if (u.scheme !== NOTEBOOK_CELL_SCHEME && isUnder(u.toString())) under.push(u);
    });
    for (const u of under) this.forget(u, 'deleted');
    for (const key of [...this.notebookResults.keys()]) if (isUnder(key)) this.forgetNotebook(vscode.Uri.parse(key), 'deleted');
  }

  private onClose(doc: vscode.TextDocument): void {
    // A notebook cell's findings belong to its notebook (onCloseNotebook / forgetNotebook).
    if (doc.uri.scheme === NOTEBOOK_CELL_SCHEME) return;
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
      this.setRevealed(key, []);
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
    const reply = await this.lintText(linter, text, doc.uri, resolved.config, key);
    if (!reply || this.disposed || doc.isClosed || doc.version !== version || this.generations.get(key) !== gen) return undefined; // stale
    const diagnostics = reply.diagnostics;
    this.setRevealed(key, reply.revealed);
    this.results.set(key, { version, diagnostics });
    this.collection.set(doc.uri, diagnostics.map((d) => toVsDiagnostic(d, doc.uri)));
    this.didLint.fire(doc.uri);
    return diagnostics;
  }

  /**
   * With `documentKey` (an open editor document), the engine parses each new version incrementally, and
   * the result is undefined when a newer version replaced the request before the worker ran it.
   */
  private async lintText(linter: LintWorkerClient, text: string, uri: vscode.Uri, config: LintConfig, documentKey?: string): Promise<{ diagnostics: CoreDiagnostic[]; revealed: RevealedDiagnostic[] } | undefined> {
    const started = performance.now();
    try {
      // Imports of the workspace's own Python files are analysed with the file (files on disk, not unsaved buffers).
      const workspaceRoots = workspaceRootsFor(uri);
      const opts = { path: uri.fsPath || uri.path, config, workspaceRoots };
      const reply = documentKey !== undefined ? await linter.lintDocument(documentKey, text, opts) : await linter.lint(text, opts);
      if (!reply) return undefined;
      this.logInternalErrors(uri, reply.internalErrors);
      const ms = performance.now() - started;
      this.opts.log.trace(`Linted ${vscode.workspace.asRelativePath(uri)}: ${reply.diagnostics.length} finding(s) in ${reply.ms.toFixed(1)} ms (${ms.toFixed(1)} ms with the wait for the worker)`);
      return { diagnostics: reply.diagnostics, revealed: reply.revealed ?? [] };
    } catch (err) {
      // A linter bug must not take the editor down: report it and show nothing for this file.
      this.opts.log.error(`Linting ${uri.toString()} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return { diagnostics: [], revealed: [] };
    }
  }

  /** Replaces what the file `importer` (uri string) revealed in other files, and shows the helpers' new union. */
  private setRevealed(importer: string, revealed: readonly RevealedDiagnostic[]): void {
    const next = new Map<string, CoreDiagnostic[]>();
    for (const r of revealed) {
      const helper = vscode.Uri.file(r.path).toString();
      if (helper === importer) continue;
      const list = next.get(helper) ?? [];
      list.push(r.diagnostic);
      next.set(helper, list);
    }
    const before = this.revealedBy.get(importer);
    if (!before && next.size === 0) return;
    if (next.size === 0) this.revealedBy.delete(importer);
    else this.revealedBy.set(importer, next);
    for (const helper of new Set([...(before?.keys() ?? []), ...next.keys()])) void this.publishRevealed(helper);
  }

  /** Shows in `helper` (uri string) what the files that import it revealed there, under the helper's own configuration. */
  private async publishRevealed(helper: string): Promise<void> {
    const uri = vscode.Uri.parse(helper);
    let config: LintConfig | null = null;
    if ([...this.revealedBy.values()].some((m) => m.has(helper))) {
      try {
        const resolved = await resolveLintConfig(uri, this.pyproject);
        config = resolved.settings.enable ? resolved.config : null;
      } catch {
        config = null;
      }
    }
    if (this.disposed) return;
    // Read after the wait: a later reply may have changed what is revealed.
    const seen = new Set<string>();
    const shown: CoreDiagnostic[] = [];
    for (const m of this.revealedBy.values()) {
      for (const d of m.get(helper) ?? []) {
        const k = `${d.code}:${d.range.start.line}:${d.range.start.column}`;
        if (!config || !isEnabled(d.code, config) || seen.has(k)) continue;
        seen.add(k);
        shown.push(d);
      }
    }
    if (shown.length > 0) this.revealedCollection.set(uri, shown.map((d) => toVsDiagnostic(d, uri)));
    else this.revealedCollection.delete(uri);
  }

  /**
   * Engine failures (also AGL000 diagnostics in the Problems panel) go to the output channel with their
   * stack, once per file and error: re-linting the same broken file on every keystroke logs nothing new.
   */
  private logInternalErrors(uri: vscode.Uri, errors: readonly { code: string; error: string }[]): void {
    const key = uri.toString();
    if (errors.length === 0) {
      this.loggedInternal.delete(key);
      return;
    }
    const seen = this.loggedInternal.get(key) ?? new Set<string>();
    this.loggedInternal.set(key, seen);
    for (const e of errors) {
      const id = `${e.code}:${e.error.split('\n')[0]}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const where = e.code === 'parse' ? 'the parser' : /^AGL\d+$/.test(e.code) ? `rule ${e.code}` : e.code;
      this.opts.log.error(`Internal error in ${where} while linting ${vscode.workspace.asRelativePath(uri)} (its findings are missing; reported as AGL000): ${e.error}`);
    }
  }

  private async lintFromDisk(uri: vscode.Uri): Promise<number> {
    const linter = await this.linterReady;
    if (!linter) return 0;
    let text: string;
    try {
      const decoded = decodePythonSource(await vscode.workspace.fs.readFile(uri));
      text = decoded.text;
      for (const n of decoded.notes) this.opts.log.info(`${vscode.workspace.asRelativePath(uri)}: ${n}`);
    } catch (err) {
      const why = err instanceof SourceDecodeError ? `cannot decode it as Python does: ${err.message}` : `cannot read it: ${String(err)}`;
      this.opts.log.warn(`${vscode.workspace.asRelativePath(uri)} not linted: ${why}`);
      this.collection.delete(uri);
      return 0;
    }
    const { settings, config } = await resolveLintConfig(uri, this.pyproject);
    if (!settings.enable || text.length > MAX_DOCUMENT_CHARS) {
      this.collection.delete(uri);
      return 0;
    }
    const reply = await this.lintText(linter, text, uri, config);
    const diagnostics = reply?.diagnostics ?? [];
    this.setRevealed(uri.toString(), reply?.revealed ?? []);
    this.collection.set(uri, diagnostics.map((d) => toVsDiagnostic(d, uri)));
    this.didLint.fire(uri);
    return diagnostics.length;
  }

  // --- notebooks -------------------------------------------------------------------------------

  /** The open notebook a cell document belongs to. */
  notebookOf(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
    if (doc.uri.scheme !== NOTEBOOK_CELL_SCHEME) return undefined;
    const key = doc.uri.toString();
    return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document.uri.toString() === key));
  }

  /** The findings of a notebook's current state, if it has been linted since its cells last changed. */
  notebookDiagnosticsFor(nb: vscode.NotebookDocument): CellDiagnostic[] | undefined {
    const r = this.notebookResults.get(nb.uri.toString());
    return r && r.signature === notebookSignature(nb) ? r.diagnostics : undefined;
  }

  /** Current findings of a notebook, linting first when they are missing or stale. */
  async ensureNotebookLinted(nb: vscode.NotebookDocument): Promise<CellDiagnostic[]> {
    return this.notebookDiagnosticsFor(nb) ?? (await this.lintNotebookNow(nb)) ?? [];
  }

  async lintNotebookNow(nb: vscode.NotebookDocument): Promise<CellDiagnostic[] | undefined> {
    const key = `nb:${nb.uri.toString()}`;
    const pending = this.timers.get(key);
    if (pending) {
      clearTimeout(pending);
      this.timers.delete(key);
    }
    return this.runNotebook(nb);
  }

  private static hasPythonCells(nb: vscode.NotebookDocument): boolean {
    return nb.getCells().some((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python');
  }

  scheduleNotebook(nb: vscode.NotebookDocument, delayMs: number): void {
    if (this.disposed) return;
    this.debounce(`nb:${nb.uri.toString()}`, delayMs, () => void this.runNotebook(nb));
  }

  private async runNotebook(nb: vscode.NotebookDocument): Promise<CellDiagnostic[] | undefined> {
    if (this.disposed || nb.isClosed) return undefined;
    const uriKey = nb.uri.toString();
    const key = `nb:${uriKey}`;
    const gen = this.bump(key);
    const signature = notebookSignature(nb);
    const linter = await this.linterReady;
    if (!linter) return undefined;
    let resolved: Awaited<ReturnType<typeof resolveLintConfig>>;
    try {
      resolved = await resolveLintConfig(nb.uri, this.pyproject);
    } catch (err) {
      this.opts.log.error(`Reading the lint configuration for ${uriKey} failed: ${String(err)}`);
      return undefined;
    }
    if (this.disposed || nb.isClosed || notebookSignature(nb) !== signature || this.generations.get(key) !== gen) return undefined; // stale
    const cells = nb.getCells();
    let diagnostics: CellDiagnostic[] = [];
    if (resolved.settings.enable && LintService.hasPythonCells(nb)) {
      const inputs = notebookCells(nb);
      const size = inputs.reduce((n, c) => n + c.source.length, 0);
      if (size > MAX_DOCUMENT_CHARS) {
        this.opts.log.warn(`${vscode.workspace.asRelativePath(nb.uri)} is larger than ${MAX_DOCUMENT_CHARS} characters: not linted as you type`);
      } else {
        const started = performance.now();
        try {
          // The notebook's imports of the workspace's own files are followed, as a Python file's are.
          const reply = await linter.lintCells(inputs, { path: nb.uri.fsPath || nb.uri.path, config: resolved.config, documentKey: key, workspaceRoots: workspaceRootsFor(nb.uri) });
          if (!reply || this.disposed || nb.isClosed || notebookSignature(nb) !== signature || this.generations.get(key) !== gen) return undefined; // stale
          diagnostics = reply.diagnostics;
          this.logInternalErrors(nb.uri, diagnostics.filter((d) => d.code === INTERNAL_ERROR_CODE).map((d) => ({ code: `cell ${d.cell + 1}`, error: d.message })));
        } catch (err) {
          this.opts.log.error(`Linting ${uriKey} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        }
        this.opts.log.trace(`Linted ${vscode.workspace.asRelativePath(nb.uri)}: ${diagnostics.length} finding(s) in ${(performance.now() - started).toFixed(1)} ms`);
      }
    }
    this.setNotebookDiagnostics(nb, cells, signature, diagnostics);
    return diagnostics;
  }

  private setNotebookDiagnostics(nb: vscode.NotebookDocument, cells: readonly vscode.NotebookCell[], signature: string, diagnostics: CellDiagnostic[]): void {
    const uriKey = nb.uri.toString();
    const uris = cells.map((c) => c.document.uri);
    const previous = this.notebookResults.get(uriKey);
    const current = new Set(uris.map((u) => u.toString()));
    for (const old of previous?.cellUris ?? []) if (!current.has(old)) this.collection.delete(vscode.Uri.parse(old));
    const byCell = new Map<number, vscode.Diagnostic[]>();
    for (const d of diagnostics) {
      const list = byCell.get(d.cell) ?? [];
      list.push(toVsCellDiagnostic(d, uris));
      byCell.set(d.cell, list);
    }
    cells.forEach((c, i) => {
      const list = byCell.get(i);
      if (list) this.collection.set(c.document.uri, list);
      else this.collection.delete(c.document.uri);
    });
    this.notebookResults.set(uriKey, { signature, diagnostics, cellUris: [...current] });
    for (const c of cells) this.didLint.fire(c.document.uri);
    this.didLint.fire(nb.uri);
  }

  private onCloseNotebook(nb: vscode.NotebookDocument): void {
    const key = `nb:${nb.uri.toString()}`;
    void this.linterReady.then((linter) => linter?.forget(key));
    // Findings of "Lint workspace" stay in the Problems panel; others go with the notebook.
    this.forgetNotebook(nb.uri, this.workspaceLinted.has(nb.uri.toString()) ? 'closed' : 'deleted');
  }

  /** Drops a notebook's findings: when its last tab closes (unless "Lint workspace" owns it), or when it is deleted. */
  private forgetNotebook(uri: vscode.Uri, why: 'closed' | 'deleted'): void {
    const uriKey = uri.toString();
    if (why === 'closed' && this.workspaceLinted.has(uriKey)) return;
    const key = `nb:${uriKey}`;
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.bump(key);
    const r = this.notebookResults.get(uriKey);
    this.notebookResults.delete(uriKey);
    if (why === 'deleted') this.workspaceLinted.delete(uriKey);
    for (const c of r?.cellUris ?? []) this.collection.delete(vscode.Uri.parse(c));
  }

  /**
   * Lints every Python file and notebook of the workspace into the Problems panel. A notebook that is not
   * open is loaded as a notebook document (no editor is shown), so its findings are on its cells.
   */
  async lintWorkspace(token?: vscode.CancellationToken, progress?: vscode.Progress<{ message?: string; increment?: number }>): Promise<{ files: number; findings: number; cancelled: boolean }> {
    const files = await vscode.workspace.findFiles('**/*.{py,ipynb}', WORKSPACE_EXCLUDE, undefined, token);
    let findings = 0;
    let done = 0;
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    for (const uri of files) {
      if (token?.isCancellationRequested) return { files: done, findings, cancelled: true };
      const key = uri.toString();
      const doc = open.get(key);
      if (uri.path.toLowerCase().endsWith('.ipynb')) {
        try {
          const nb = await vscode.workspace.openNotebookDocument(uri);
          this.workspaceLinted.add(key);
          findings += (await this.lintNotebookNow(nb))?.length ?? 0;
        } catch (err) {
          this.opts.log.warn(`Cannot open ${vscode.workspace.asRelativePath(uri)} as a notebook: ${err instanceof Error ? err.message : String(err)}`);
        }
      } else if (doc) {
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

/** The local workspace folders whose files a document's imports may name (none for a document not on disk). */
function workspaceRootsFor(uri: vscode.Uri): string[] {
  return uri.scheme === 'file' ? (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath) : [];
}
