/**
 * The analysis panel host: one webview panel (`autogradLens.analysis`) showing the run store.
 * - `AnalysisPanel.createOrShow(services)` opens or reveals it; the serializer restores it after a
 *   reload with the runs from the store (the history lives on disk, not in the webview).
 * - Strict CSP (see html.ts), files only from dist/webview and media, ready handshake: nothing is
 *   posted before the webview says `ready`, then it gets `init` and every later store event.
 * - Messages from the webview are validated (`isWebviewMessage`); wrong shapes are logged and dropped.
 */
import * as vscode from 'vscode';
import { type HostMessage, type ThemeKind, type WebviewMessage, PROTOCOL_VERSION, describeMessage, isWebviewMessage } from '../../shared/protocol';
import { makeNonce, renderPanelHtml } from './html';
import type { RunStore } from './runStore';

export const PANEL_VIEW_TYPE = 'autogradLens.analysis';

export interface PanelServices {
  extensionUri: vscode.Uri;
  store: RunStore;
  log: vscode.LogOutputChannel;
  /** Called when the user presses Cancel on a running run. */
  cancelRun(runId: string): void;
  /** Resolves once the store has read the history from disk (the panel waits for it before `init`). */
  whenLoaded?: Promise<void>;
  /** Where the panel remembers the folder of the last export (workspace state). */
  memento?: vscode.Memento;
}

const LAST_EXPORT_FOLDER = 'autogradLens.panel.lastExportFolder';

function themeKind(kind: vscode.ColorThemeKind): ThemeKind {
  switch (kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.HighContrast:
      return 'high-contrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'high-contrast-light';
    default:
      return 'dark';
  }
}

export class AnalysisPanel implements vscode.Disposable {
  private static current: AnalysisPanel | undefined;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  /** Open the panel, or bring it to the front. */
  static createOrShow(services: PanelServices, preserveFocus = false): AnalysisPanel {
    if (AnalysisPanel.current) {
      AnalysisPanel.current.panel.reveal(undefined, preserveFocus);
      return AnalysisPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      'Autograd Lens Analysis',
      // Beside the editor being worked in; in the active group when no editor is open.
      { viewColumn: vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active, preserveFocus },
      AnalysisPanel.webviewOptions(services.extensionUri),
    );
    AnalysisPanel.current = new AnalysisPanel(panel, services);
    return AnalysisPanel.current;
  }

  /** Restore after a reload (the serializer's `deserializeWebviewPanel`). */
  static revive(panel: vscode.WebviewPanel, services: PanelServices): AnalysisPanel {
    AnalysisPanel.current?.dispose();
    AnalysisPanel.current = new AnalysisPanel(panel, services);
    return AnalysisPanel.current;
  }

  static get instance(): AnalysisPanel | undefined {
    return AnalysisPanel.current;
  }

  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: PanelServices,
  ) {
    const { webview } = panel;
    webview.options = AnalysisPanel.webviewOptions(services.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'media', 'panel-icon.svg');
    const dist = vscode.Uri.joinPath(services.extensionUri, 'dist', 'webview');
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'main.css')).toString(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down (retainContextWhenHidden is off); it says `ready` again when shown.
        if (!panel.visible) this.ready = false;
      }),
      vscode.window.onDidChangeActiveColorTheme((t) => this.post({ type: 'theme', kind: themeKind(t.kind) })),
      { dispose: services.store.onEvent((e) => this.post(e)) },
    );
  }

  /** Post to the webview once it is ready; earlier events are covered by the `init` it will get. */
  post(message: HostMessage): void {
    if (!this.ready) return;
    void this.panel.webview.postMessage(message).then(undefined, (err: unknown) => this.services.log.warn(`panel: could not post ${message.type}: ${String(err)}`));
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isWebviewMessage(raw)) {
      this.services.log.warn(`panel: ignored a message of the wrong shape from the webview: ${describeMessage(raw)}`);
      return;
    }
    const m: WebviewMessage = raw;
    const { store, log } = this.services;
    switch (m.type) {
      case 'ready':
        await this.services.whenLoaded;
        if (m.version !== PROTOCOL_VERSION) log.warn(`panel: webview speaks protocol ${m.version}, host ${PROTOCOL_VERSION}`);
        this.ready = true;
        this.post({ type: 'init', version: PROTOCOL_VERSION, runs: store.list(), selected: store.getSelected() });
        break;
      case 'cancel':
        this.services.cancelRun(m.runId);
        break;
      case 'select':
        await store.setSelected(m.runIds);
        break;
      case 'removeRun':
        if (store.get(m.runId)?.status === 'running') break; // cancel it first
        await store.remove(m.runId);
        break;
      case 'clearRuns': {
        const n = await store.clearFinished();
        log.info(`Cleared ${n} run(s) from the analysis history`);
        this.post({ type: 'notice', level: 'info', message: `Removed ${n} run${n === 1 ? '' : 's'} from the history` });
        break;
      }
      case 'exportCsv':
        await this.save(m.fileName, 'CSV files', 'csv', Buffer.from(m.csv, 'utf8'), m.runId);
        break;
      case 'exportPng': {
        const bytes = Buffer.from(m.dataUrl.slice('data:image/png;base64,'.length), 'base64');
        await this.save(m.fileName, 'PNG images', 'png', bytes, m.runId);
        break;
      }
      case 'log':
        log[m.level === 'error' ? 'error' : m.level === 'warn' ? 'warn' : 'info'](`webview: ${m.message}`);
        break;
    }
  }

  /**
   * Asks where to save an export, starting in the folder last exported to, else next to the run's
   * model (its folder), else next to its data file, else the workspace folder; then writes it and
   * confirms (a notification with "Open" and "Reveal", and a note in the panel).
   */
  private async save(fileName: string, filterName: string, ext: string, bytes: Uint8Array, runId?: string): Promise<void> {
    const folder = await this.exportFolder(runId);
    const target = await vscode.window.showSaveDialog({
      title: `Export ${ext === 'png' ? 'the plot as a PNG image' : 'the plot data as CSV'}`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
      filters: { [filterName]: [ext] },
      saveLabel: 'Export',
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, bytes);
    } catch (err) {
      const msg = `Could not save ${target.fsPath}: ${err instanceof Error ? err.message : String(err)}`;
      this.services.log.error(msg);
      this.post({ type: 'notice', level: 'error', message: msg });
      void vscode.window.showErrorMessage(`Autograd Lens: ${msg}`);
      return;
    }
    await this.services.memento?.update(LAST_EXPORT_FOLDER, vscode.Uri.joinPath(target, '..').toString());
    const where = vscode.workspace.asRelativePath(target);
    this.services.log.info(`Exported ${where}`);
    this.post({ type: 'notice', level: 'info', message: `Saved ${where}` });
    void vscode.window.showInformationMessage(`Autograd Lens: saved ${where}`, 'Open', 'Reveal').then((choice) => {
      if (choice === 'Open') void vscode.commands.executeCommand('vscode.open', target);
      if (choice === 'Reveal') void vscode.commands.executeCommand('revealInExplorer', target);
    });
  }

  /** The folder an export dialog starts in (see `save`). */
  private async exportFolder(runId?: string): Promise<vscode.Uri | undefined> {
    const exists = async (u: vscode.Uri): Promise<boolean> => {
      try {
        return ((await vscode.workspace.fs.stat(u)).type & vscode.FileType.Directory) !== 0;
      } catch {
        return false;
      }
    };
    const last = this.services.memento?.get<string>(LAST_EXPORT_FOLDER);
    if (last && (await exists(vscode.Uri.parse(last)))) return vscode.Uri.parse(last);
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    const run = runId ? this.services.store.get(runId) : undefined;
    const modelDir = run?.report?.modelDir;
    if (modelDir && (await exists(vscode.Uri.file(modelDir)))) return vscode.Uri.file(modelDir);
    if (run?.spec.data) {
      const data = /^(\/|[A-Za-z]:[\\/])/.test(run.spec.data) || !root ? vscode.Uri.file(run.spec.data) : vscode.Uri.joinPath(root, run.spec.data);
      const dir = vscode.Uri.joinPath(data, '..');
      if (await exists(dir)) return dir;
    }
    return root;
  }

  dispose(): void {
    if (AnalysisPanel.current === this) AnalysisPanel.current = undefined;
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}

/** Register the serializer that brings the panel back after a window reload or restart. */
export function registerPanelSerializer(services: PanelServices): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
      AnalysisPanel.revive(panel, services);
    },
  });
}
