/** Helpers shared by the integration tests (they run in the extension host, with the real `vscode`). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'autograd-lens.autograd-lens';

export interface AutogradLensApi {
  readonly extensionPath: string;
  whenLinterReady(): Promise<boolean>;
  readonly commands: readonly string[];
}

export async function activateExtension(): Promise<{ ext: vscode.Extension<AutogradLensApi>; api: AutogradLensApi }> {
  const ext = vscode.extensions.getExtension<AutogradLensApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  const api = await ext.activate();
  assert.ok(api && typeof api.whenLinterReady === 'function', 'activate() returned no API');
  return { ext, api };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined | false;
  while (Date.now() < deadline) {
    last = await probe();
    if (last !== undefined && last !== false) return last;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'autograd-lens');
}

export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c);
}

/** "CODE@line" (1-based line) for readable assertion messages. */
export function describeDiagnostics(ds: readonly vscode.Diagnostic[]): string[] {
  return ds.map((d) => `${codeOf(d)}@${d.range.start.line + 1}`).sort();
}

/** Asks the offline harness for a screenshot of the workbench (ignored by other runners). */
export async function screenshot(name: string, settleMs = 0): Promise<void> {
  if (settleMs > 0) await sleep(settleMs); // let webviews (previews, panels) render first
  console.log(`[screenshot] ${name}`);
  await sleep(1200);
}

/** The workspace folder the tests run in (a scratch copy of `demo/` under the offline harness). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder (the demo/ folder or a copy of it)');
  return folder.uri;
}

const scratchFiles: vscode.Uri[] = [];

/** Writes a Python file into `<workspace>/.integration-scratch/` and opens it in an editor. */
export async function openScratch(name: string, content: string): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), '.integration-scratch', name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
  scratchFiles.push(uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  return { doc, editor };
}

/** Saves and closes every editor, then deletes the scratch files. */
export async function cleanupScratch(): Promise<void> {
  await vscode.workspace.saveAll(false);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  for (const uri of scratchFiles.splice(0)) {
    try {
      await vscode.workspace.fs.delete(uri);
    } catch {
      // already gone
    }
  }
}

/** Waits until the diagnostics of `uri` satisfy `pred` (they are produced asynchronously). */
export function waitForDiagnostics(uri: vscode.Uri, what: string, pred: (ds: vscode.Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  return waitFor(what, () => {
    const ds = ourDiagnostics(uri);
    return pred(ds) ? ds : undefined;
  }, timeoutMs);
}

/** The code actions VS Code's providers offer for a range, as `vscode.executeCodeActionProvider` returns them. */
export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, kind?: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    kind?.value,
  );
  return (actions ?? []).filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
}

// ---------------------------------------------------------------------------------------------
// The analysis panel as a user sees it. The offline harness (scripts/run-integration.mjs) answers a
// `[webview-probe] ID {options}` console line by reading the panel's webview DOM in the browser and
// writing the answer to `<workspace>/.integration-scratch/webview-probe/ID.json`.

export interface ProbedCanvas {
  cls: string;
  width: number;
  height: number;
  /** Pixels with any paint (axes and grid included). */
  painted: number;
  /** Pixels with colour (max − min channel > 40): series, bars, heat map; the grey axes are not counted. */
  coloured: number;
}

export interface ProbedRun {
  id: string;
  title: string | null;
  status: string | null;
  chartTitles: string[];
  uplots: number;
  canvases: ProbedCanvas[];
  metrics: { key: string; cells: Record<string, string>; text: string }[];
  diagnostics: string[];
  alerts: string[];
}

export interface WebviewProbe {
  id: string;
  /** False when no frame of the workbench holds the panel (closed, hidden, or not yet loaded). */
  found: boolean;
  frames: number;
  errors: string[];
  screenshot?: string;
  /** The whole panel (an element screenshot of the webview's content, below the fold included). */
  screenshotFull?: string;
  bodyClass?: string;
  runList?: { id: string | null; checked: boolean; text: string | null }[];
  runs?: ProbedRun[];
  comparison?: string | null;
  emptyState?: string | null;
}

/** True when the tests run under the offline harness, which answers webview probes. */
export function canProbeWebview(): boolean {
  return process.env.AUTOGRAD_LENS_INTEGRATION === '1';
}

let probeCount = 0;

/**
 * One look at the panel's webview, and when asked a screenshot `test-results/<screenshot>.png` (plus
 * `<screenshot>-full.png` of the whole panel), after scrolling the chart titled `scrollToChart` to the top.
 */
export async function probeWebview(options: { screenshot?: string; scrollToChart?: string } = {}, timeoutMs = 30_000): Promise<WebviewProbe> {
  assert.ok(canProbeWebview(), 'webview probes need the offline harness (scripts/run-integration.mjs)');
  const id = `p${process.pid}-${++probeCount}`;
  const uri = vscode.Uri.joinPath(workspaceRoot(), '.integration-scratch', 'webview-probe', `${id}.json`);
  console.log(`[webview-probe] ${id}${options.screenshot ? ` ${JSON.stringify(options)}` : ''}`);
  const bytes = await waitFor(`the harness's answer to webview probe ${id}`, async () => {
    try {
      return await vscode.workspace.fs.readFile(uri);
    } catch {
      return undefined;
    }
  }, timeoutMs);
  await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  return JSON.parse(new TextDecoder().decode(bytes)) as WebviewProbe;
}

/** Probes the panel until `pred` holds; on timeout fails with what the panel last showed. */
export async function waitForWebview(what: string, pred: (p: WebviewProbe) => boolean, timeoutMs = 30_000): Promise<WebviewProbe> {
  const deadline = Date.now() + timeoutMs;
  let last: WebviewProbe | undefined;
  while (Date.now() < deadline) {
    last = await probeWebview();
    if (pred(last)) return last;
    await sleep(400);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for the panel to show ${what}; it last showed: ${summarizeProbe(last)}`);
}

/** A readable one-paragraph account of a probe, for assertion messages. */
export function summarizeProbe(p: WebviewProbe | undefined): string {
  if (!p) return 'nothing (no probe answered)';
  if (!p.found) return `no panel in any of ${p.frames} frames${p.errors.length ? ` (${p.errors.slice(0, 3).join('; ')})` : ''}`;
  const runs = (p.runs ?? []).map(
    (r) => `[${r.id} "${r.title}" ${r.status}; charts: ${r.chartTitles.join(' | ')}; canvases painted/coloured: ${r.canvases.map((c) => `${c.painted}/${c.coloured}`).join(' ')}; metrics: ${r.metrics.map((m) => m.text).join(' / ')}${r.alerts.length ? `; alerts: ${r.alerts.join(' / ')}` : ''}]`,
  );
  return `run list: ${(p.runList ?? []).map((r) => `${r.checked ? '☑' : '☐'} ${r.text}`).join(' ; ')}; shown: ${runs.join(' ') || 'none'}${p.emptyState ? `; empty state: ${p.emptyState}` : ''}`;
}

/** The analysis panel's tab, if one is open (its webview view type ends with `autogradLens.analysis`). */
export function analysisPanelTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('autogradLens.analysis'));
}

/** Where phase 1 records the runs it trained, for the restore phase (a file in the scratch workspace). */
export function phaseRecordUri(): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), '.integration-scratch', 'phase1-runs.json');
}

// ---------------------------------------------------------------------------------------------
// The workbench outside the editors (quick picks, input boxes, status bar, notifications), through
// the offline harness: `[ui-probe] ID {options}` (scripts/run-integration.mjs probeUi).

export interface UiProbe {
  id: string;
  errors: string[];
  quickInput: {
    title: string | null;
    value: string | null;
    placeholder: string | null;
    message: string | null;
    rows: { label: string | null; description: string | null; detail: string | null; checked: boolean | null }[];
  } | null;
  statusBar: string[];
  notifications: string[];
}

/**
 * Optionally ticks the quick-pick rows labelled `check`, types `type` into the focused quick input
 * (replacing its text) and presses `keys`; then reads the quick input, the status bar and the
 * notifications.
 */
export async function probeUi(options: { check?: string[]; type?: string; keys?: string[]; settleMs?: number } = {}, timeoutMs = 30_000): Promise<UiProbe> {
  assert.ok(canProbeWebview(), 'UI probes need the offline harness (scripts/run-integration.mjs)');
  const id = `u${process.pid}-${++probeCount}`;
  const uri = vscode.Uri.joinPath(workspaceRoot(), '.integration-scratch', 'webview-probe', `${id}.json`);
  console.log(`[ui-probe] ${id} ${JSON.stringify(options)}`);
  const bytes = await waitFor(`the harness's answer to UI probe ${id}`, async () => {
    try {
      return await vscode.workspace.fs.readFile(uri);
    } catch {
      return undefined;
    }
  }, timeoutMs);
  await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  return JSON.parse(new TextDecoder().decode(bytes)) as UiProbe;
}

/** Probes until `pred` holds (the quick input or a message may take a moment to appear). */
export async function waitForUi(what: string, pred: (p: UiProbe) => boolean, timeoutMs = 20_000): Promise<UiProbe> {
  const deadline = Date.now() + timeoutMs;
  let last: UiProbe | undefined;
  while (Date.now() < deadline) {
    last = await probeUi({ settleMs: 200 });
    if (pred(last)) return last;
    await sleep(300);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the workbench last showed: ${JSON.stringify(last)}`);
}

/**
 * Waits for a notification whose message matches `re`, reading the notification center (a toast
 * may be gone, or never shown to a window without focus; the center keeps every notification).
 */
export async function waitForNotification(re: RegExp, timeoutMs = 20_000): Promise<string> {
  await vscode.commands.executeCommand('notifications.showList');
  try {
    const p = await waitForUi(`a notification matching ${re}`, (q) => q.notifications.some((t) => re.test(t)), timeoutMs);
    return p.notifications.find((t) => re.test(t))!;
  } finally {
    await vscode.commands.executeCommand('notifications.hideList');
  }
}
