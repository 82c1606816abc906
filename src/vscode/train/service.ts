/**
 * The VS Code side of training and analysis: quick picks, the worker, progress notifications, the
 * output channel and the run store the panel shows. All numerical work happens in the core pipeline
 * (in a worker thread, dist/trainWorker.js); this file only asks, starts, streams and reports.
 */
import * as vscode from 'vscode';
import { basename, isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { readCsvHeader } from '../../core/data/csv';
import { closeNames } from '../../core/data/errors';
// The client only (not the pipeline index): the extension bundle must not pull in TensorFlow.js; all
// training and model loading happen in the worker, which applies the engine's defaults to the spec.
import { startTrainingWorker, startWorker, type WorkerResult, type WorkerRun } from '../../core/pipeline/client';
import type { GradColumn, Report, TrainSpec } from '../../core/model/types';
import type { RunRecord } from '../../shared/protocol';
import { AnalysisPanel, type PanelServices, registerPanelSerializer } from '../panel/analysisPanel';
import { RunStore, newRunId } from '../panel/runStore';
import { parseDerivativeColumn, suggestColumns } from './columns';
import { type PresetId, describePreset, presetsFor, runLabel } from './presets';
import { derivativesCsv, fmtReport, statusMessage } from './report';
import { engineSetting } from './python';

/** What the command passes to the worker: the data fields plus the preset's overrides. */
type SpecRequest = Partial<TrainSpec> & Pick<TrainSpec, 'data' | 'inputs' | 'outputs' | 'grads'>;

interface Remembered {
  inputs: string[];
  outputs: string[];
  gradColumns: string[];
  preset: PresetId;
  /** Reference expression per output (right-hand sides), as last typed. */
  references?: Record<string, string>;
}

type ReferenceModule = typeof import('../../core/reference/expression');

/** Errors about the user's input or data: reported by their message, without a stack trace. */
const USER_ERRORS = new Set(['DataError', 'SpecError', 'ExpressionError', 'ConfigError']);
export function isUserError(err: unknown): boolean {
  return err instanceof Error && USER_ERRORS.has(err.name);
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !(x instanceof vscode.Uri) && !Array.isArray(x);
}

function isSpecArg(x: unknown): x is Partial<TrainSpec> & Pick<TrainSpec, 'data' | 'inputs' | 'outputs'> {
  if (typeof x !== 'object' || x === null || x instanceof vscode.Uri) return false;
  const o = x as Record<string, unknown>;
  const strs = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string');
  return typeof o.data === 'string' && strs(o.inputs) && strs(o.outputs);
}

/** The parts of a saved model's `autograd-lens.json` the commands need, read without loading the model. */
async function readModelMetadata(dir: vscode.Uri): Promise<{ inputs: string[]; outputs: string[]; fit?: string }> {
  const file = vscode.Uri.joinPath(dir, 'autograd-lens.json');
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  } catch {
    throw specError(`${vscode.workspace.asRelativePath(dir)} is not a saved model (it has no autograd-lens.json); train one first`);
  }
  let meta: { inputs?: unknown; outputs?: unknown; spec?: { fit?: unknown } };
  try {
    meta = JSON.parse(text) as typeof meta;
  } catch (err) {
    throw specError(`${vscode.workspace.asRelativePath(file)} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  if (!strs(meta.inputs).length) throw specError(`${vscode.workspace.asRelativePath(file)} names no inputs`);
  return { inputs: strs(meta.inputs), outputs: strs(meta.outputs), fit: typeof meta.spec?.fit === 'string' ? meta.spec.fit : undefined };
}

/** An error about the user's input (logged without a stack trace). */
function specError(message: string): Error {
  const e = new Error(message);
  e.name = 'SpecError';
  return e;
}

export class TrainingService implements vscode.Disposable {
  readonly store: RunStore;
  private readonly active = new Map<string, WorkerRun>();
  private lastSpec: SpecRequest | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly panelServices: PanelServices;
  readonly loaded: Promise<void>;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store = new RunStore(vscode.Uri.joinPath(context.globalStorageUri, 'runs').fsPath, { log: (m) => log.warn(m) });
    this.loaded = this.store.load().catch((err: unknown) => log.error(`could not load the run history: ${String(err)}`));
    this.panelServices = { extensionUri: context.extensionUri, store: this.store, log, cancelRun: (id) => this.cancel(id), whenLoaded: this.loaded, memento: context.workspaceState };
    this.disposables.push(registerPanelSerializer(this.panelServices), { dispose: () => this.store.dispose() });
  }

  private get workerPath(): string {
    return vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'trainWorker.js').fsPath;
  }
  private get wasmDir(): string {
    return vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'wasm').fsPath + '/';
  }
  private get backend(): 'auto' | 'wasm' | 'node' | 'cpu' {
    return vscode.workspace.getConfiguration('autogradLens').get('train.backend', 'auto');
  }

  async openPanel(): Promise<void> {
    await this.loaded;
    AnalysisPanel.createOrShow(this.panelServices);
  }

  private async pickCsv(arg: unknown, title: string): Promise<vscode.Uri | undefined> {
    if (arg instanceof vscode.Uri) return arg;
    const files = await vscode.workspace.findFiles('**/*.{csv,tsv,CSV,TSV}', '**/{node_modules,.git,.venv}/**', 500);
    if (!files.length) {
      void vscode.window.showWarningMessage('Autograd Lens: no CSV or TSV files in this workspace.');
      return undefined;
    }
    // Sorted by path (findFiles returns them in no useful order), folders before their subfolders' files.
    const items = files
      .map((f) => ({ label: basename(f.fsPath), description: vscode.workspace.asRelativePath(f), uri: f }))
      .sort((a, b) => a.description.localeCompare(b.description, undefined, { numeric: true }));
    const pick = await vscode.window.showQuickPick(
      items,
      { title, placeHolder: 'Data file', matchOnDescription: true },
    );
    return pick?.uri;
  }

  /**
   * `autogradLens.train`: ask for file, columns and preset, then train in the worker. Given a spec
   * object instead (`{ data, inputs, outputs, grads?, ...TrainSpec fields }`, e.g. from
   * `executeCommand` in tests or other extensions) it trains that without asking, and resolves with
   * the finished RunRecord.
   */
  async train(arg?: unknown): Promise<RunRecord | undefined> {
    if (isSpecArg(arg)) return this.runTraining({ ...arg, grads: arg.grads ?? [] });
    const uri = await this.pickCsv(arg, 'Train: choose the data');
    if (!uri) return;
    const header = await readCsvHeader(uri.fsPath);
    const key = `autogradLens.train.last:${vscode.workspace.asRelativePath(uri)}`;
    const last = this.context.workspaceState.get<Remembered>(key);

    const inputs = await vscode.window.showQuickPick(
      header.map((c) => ({ label: c, picked: last ? last.inputs.includes(c) : false })),
      { title: `Train on ${basename(uri.fsPath)}: inputs (the x of the network)`, canPickMany: true, placeHolder: 'Tick the input columns' },
    );
    if (!inputs?.length) return;
    const inputNames = inputs.map((i) => i.label);
    const sug = suggestColumns(header, inputNames);
    const outputs = await vscode.window.showQuickPick(
      sug.outputs.map((o) => ({
        label: o.name,
        description: o.hasValues ? '' : 'no value column: trained on its derivative columns only',
        picked: last ? last.outputs.includes(o.name) : sug.outputs.length === 1,
      })),
      { title: 'Outputs (what the network predicts)', canPickMany: true },
    );
    if (!outputs?.length) return;
    const outputNames = outputs.map((o) => o.label);
    let grads: GradColumn[] = [];
    const candidates = header
      .map((c) => parseDerivativeColumn(c, inputNames, outputNames))
      .filter((g): g is GradColumn => g !== null);
    const others = header.filter((c) => !inputNames.includes(c) && !outputNames.includes(c) && !candidates.some((g) => g.column === c));
    if (candidates.length || others.length) {
      const picks = await vscode.window.showQuickPick(
        [
          ...candidates.map((g) => ({ label: g.column, description: `∂${g.output}/∂${g.input}`, picked: last ? last.gradColumns.includes(g.column) : true, g })),
          ...others.flatMap((c) =>
            outputNames.flatMap((o) => inputNames.map((i) => ({ label: c, description: `as ∂${o}/∂${i}?`, picked: false, g: { output: o, input: i, column: c } }))),
          ),
        ],
        { title: 'Derivative columns to train on (none: values only)', canPickMany: true },
      );
      if (!picks) return;
      grads = picks.map((p) => p.g);
    }
    for (const o of outputNames) {
      if (!header.includes(o) && !grads.some((g) => g.output === o)) {
        void vscode.window.showErrorMessage(`Autograd Lens: output '${o}' has no value column and no derivative column was chosen for it.`);
        return;
      }
    }
    const references = await this.askReferences(inputNames, outputNames, last?.references ?? {}, basename(uri.fsPath));
    if (!references) return;
    const ctx = { outputs: outputNames, grads };
    const offered = presetsFor(ctx);
    const preset = await vscode.window.showQuickPick(
      offered
        .map((p) => ({ label: p.label, description: p.purpose, detail: describePreset(p, ctx), id: p.id, preset: p, picked: p.id === last?.preset }))
        .sort((a, b) => Number(b.id === last?.preset) - Number(a.id === last?.preset)),
      { title: 'Training settings', matchOnDescription: true },
    );
    if (!preset) return;
    const refText = Object.fromEntries(references.map((r) => [r.output, r.expression]));
    await this.context.workspaceState.update(key, { inputs: inputNames, outputs: outputNames, gradColumns: grads.map((g) => g.column), preset: preset.id, references: refText } satisfies Remembered);
    const spec: SpecRequest = { data: uri.fsPath, inputs: inputNames, outputs: outputNames, grads, references, ...preset.preset.spec };
    return this.runTraining(spec);
  }

  /**
   * The optional reference step: per output an analytic expression of the inputs, checked as it is
   * typed with the same parser and whitelist as the CLI's `--reference`. Empty skips the output (its
   * derivatives are then compared with the data's derivative columns or, failing those, only with the
   * network's own finite differences). Undefined when the user cancelled.
   */
  private async askReferences(inputs: string[], outputs: string[], remembered: Record<string, string>, file: string): Promise<{ output: string; expression: string }[] | undefined> {
    const { parseExpression } = this.referenceChecker();
    const out: { output: string; expression: string }[] = [];
    for (const [k, o] of outputs.entries()) {
      const strip = (t: string) => t.trim().replace(new RegExp(`^${o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*=(?!=)`), '').trim();
      const text = await vscode.window.showInputBox({
        title: `Train on ${file}: reference for ${o} (optional${outputs.length > 1 ? `, ${k + 1} of ${outputs.length}` : ''})`,
        prompt: `${o} = an expression of ${inputs.join(', ')} (e.g. x^3 + 7 - 3*x; functions such as sin, exp, log, sqrt). Leave empty to skip: the derivative error is then measured against derivative columns, or only against the network's own finite differences.`,
        placeHolder: `${o} = …   (empty: no reference)`,
        value: remembered[o] ?? '',
        ignoreFocusOut: true,
        validateInput: (t) => {
          const e = strip(t);
          if (!e) return undefined;
          try {
            parseExpression(e, inputs);
            return undefined;
          } catch (err) {
            return { message: err instanceof Error ? err.message : String(err), severity: vscode.InputBoxValidationSeverity.Error };
          }
        },
      });
      if (text === undefined) return undefined;
      const e = strip(text);
      if (e) out.push({ output: o, expression: e });
    }
    return out;
  }

  /**
   * The reference parser (the CLI's, with its whitelist), from its own bundle dist/reference.js: loaded
   * the first time a formula is asked for, so activating the extension does not load mathjs.
   */
  private referenceChecker(): ReferenceModule {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle of ours, loaded on demand
    return require(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'reference.js').fsPath) as ReferenceModule;
  }

  /** `autogradLens.retrain`: the last training again (same file, columns and settings). */
  async retrain(): Promise<void> {
    if (!this.lastSpec) {
      const last = this.store.list().find((r) => r.kind !== 'analysis' && r.spec.data && r.spec.inputs?.length && r.spec.outputs?.length);
      if (!last) {
        void vscode.window.showInformationMessage('Autograd Lens: nothing to re-run yet. Use “Train a Model on a Dataset…” first.');
        return;
      }
      // Stored paths are workspace-relative; runTraining resolves them against the first folder.
      this.lastSpec = { ...last.spec, data: last.spec.data!, inputs: last.spec.inputs!, outputs: last.spec.outputs!, grads: last.spec.grads ?? [] };
    }
    await this.runTraining(this.lastSpec);
  }

  /** `autogradLens.cancelTraining`, and the panel's Cancel button. */
  cancel(runId?: unknown): void {
    const id = typeof runId === 'string' ? runId : [...this.active.keys()].pop();
    if (!id) return;
    this.active.get(id)?.cancel();
  }

  private async setTraining(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'autogradLens.training', this.active.size > 0);
  }

  async runTraining(spec: SpecRequest): Promise<RunRecord | undefined> {
    await this.loaded;
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!isAbsolute(spec.data) && root) spec = { ...spec, data: resolvePath(root, spec.data) };
    this.lastSpec = spec;
    const rel = vscode.workspace.asRelativePath(spec.data);
    // Which outputs have a value column decides whether the run is "+ derivatives" or "derivatives only".
    const header = await readCsvHeader(spec.data).catch(() => undefined);
    const label = runLabel(basename(spec.data), spec, header);
    const run: RunRecord = {
      id: newRunId(), label, createdAt: new Date().toISOString(), kind: 'train', status: 'running',
      spec: { ...spec, data: rel }, history: [], report: null, series: null, warnings: [],
    };
    await this.store.start(run);
    AnalysisPanel.createOrShow(this.panelServices, true);
    const eng = await engineSetting(vscode.Uri.file(spec.data), this.log);
    this.log.info(`Training ${label} (${JSON.stringify({ ...spec, data: rel })}, engine ${eng.engine}${eng.python ? ` with ${eng.python} from ${eng.pythonFrom}` : ''}, backend ${this.backend})`);
    if (eng.note) this.log.warn(eng.note);
    const started = startTrainingWorker(
      this.workerPath,
      spec,
      {
        onProgress: (p) => this.store.progress(run.id, p),
        onWarning: (w) => { this.store.warning(run.id, w); this.log.warn(w.message); },
        onEngine: (_engine, note) => this.log.info(note),
      },
      { backend: this.backend, wasmDir: this.wasmDir, engine: eng.engine, python: eng.python },
    );
    // An engine overridden here (untrusted workspace) says so in the report too.
    const worker: WorkerRun = eng.note ? { cancel: () => started.cancel(), done: started.done.then((r) => ({ ...r, report: { ...r.report, engineNote: eng.note } })) } : started;
    return this.follow(run, worker, `Training ${basename(spec.data)}`, 'train');
  }

  /** Progress notification with Cancel, then the result into the store (panel) and the output channel. */
  private async follow(run: RunRecord, worker: WorkerRun, title: string, kind: 'train' | 'analysis'): Promise<RunRecord> {
    const epochs = kind === 'train';
    this.active.set(run.id, worker);
    await this.setTraining();
    let result: WorkerResult | undefined;
    let failure: string | undefined;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Autograd Lens: ${title}`, cancellable: true }, async (progress, token) => {
      token.onCancellationRequested(() => worker.cancel());
      let lastPct = 0;
      const off = this.store.onEvent((e) => {
        if (!epochs || e.type !== 'progress' || e.runId !== run.id) return;
        const pct = (100 * e.progress.epoch) / e.progress.epochs;
        progress.report({ increment: pct - lastPct, message: `epoch ${e.progress.epoch}/${e.progress.epochs}, loss ${e.progress.loss.toPrecision(3)}` });
        lastPct = pct;
      });
      try {
        result = await worker.done;
      } catch (err) {
        failure = err instanceof Error ? err.message : String(err);
      } finally {
        off();
      }
    });
    this.active.delete(run.id);
    await this.setTraining();
    if (failure !== undefined || !result) {
      const detail = failure ?? 'no result';
      await this.store.finish(run.id, 'failed', detail, null, null);
      this.log.error(`${run.label}: failed: ${detail}`);
      void vscode.window.showErrorMessage(`Autograd Lens: ${kind === 'train' ? 'training' : 'analysis'} failed: ${detail}`);
      return this.store.get(run.id)!;
    }
    const last = result.history[result.history.length - 1];
    const detail =
      result.status === 'cancelled' ? `Cancelled${last ? ` at epoch ${last.epoch} of ${last.epochs}` : ''}; nothing was saved.`
      : result.status === 'stopped-early' ? `Stopped early at epoch ${last?.epoch ?? '?'}: the validation loss stopped improving.`
      : result.status === 'failed' ? (result.report.warnings.find((w) => w.code === 'training-failed')?.message ?? 'the training did not produce a usable network')
      : undefined;
    const report: Report | null = result.status === 'cancelled' ? null : result.report;
    await this.store.finish(run.id, result.status, detail, report, result.status === 'cancelled' ? null : result.series, result.history);
    this.log.info(`${run.label}: ${result.status}${detail ? ` (${detail})` : ''}`);
    if (report) this.log.info(fmtReport(report));
    const message = statusMessage(kind, run.label, result.status, report, detail, (p) => this.rel(p));
    if (result.status === 'failed') void vscode.window.showErrorMessage(`Autograd Lens: ${message}`);
    else void vscode.window.setStatusBarMessage(`Autograd Lens: ${message}`, 10_000);
    return this.store.get(run.id)!;
  }

  /** A path as the user sees it: relative to the workspace when inside it. */
  private rel(p: string): string {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const r = root ? relative(root, p) : '';
    return r && !r.startsWith('..') ? r : p;
  }

  /** A path from a programmatic argument: absolute, or relative to the first workspace folder. */
  private abs(p: string): string {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return isAbsolute(p) || !root ? p : resolvePath(root, p);
  }

  /** Record an analysis run, show the panel, run the worker request, report. */
  private async analysisRun(label: string, spec: RunRecord['spec'], request: Parameters<typeof startWorker>[1]): Promise<RunRecord> {
    await this.loaded;
    const run: RunRecord = { id: newRunId(), label, createdAt: new Date().toISOString(), kind: 'analysis', status: 'running', spec, history: [], report: null, series: null, warnings: [] };
    await this.store.start(run);
    AnalysisPanel.createOrShow(this.panelServices, true);
    const worker = startWorker(this.workerPath, request, { onWarning: (w) => this.store.warning(run.id, w) });
    return this.follow(run, worker, `Analysing ${label}`, 'analysis');
  }

  /**
   * `autogradLens.analyzeModel`: a saved model folder (explorer context or folder pick) on its data,
   * against optional formulas. Programmatic form: `{ modelDir, data?, references? }` (no questions).
   */
  async analyzeModel(arg?: unknown): Promise<RunRecord | undefined> {
    if (isObj(arg) && typeof arg.modelDir === 'string') {
      const refs = Array.isArray(arg.references) ? arg.references.filter((r): r is string => typeof r === 'string') : [];
      const modelDir = this.abs(arg.modelDir);
      const data = typeof arg.data === 'string' ? this.abs(arg.data) : null;
      return this.analysisRun(`analysis of ${vscode.workspace.asRelativePath(modelDir)}`, {}, { type: 'analyze', modelDir, data, references: refs, backend: this.backend, wasmDir: this.wasmDir });
    }
    let dir: vscode.Uri | undefined = arg instanceof vscode.Uri ? arg : undefined;
    if (dir && basename(dir.fsPath) === 'autograd-lens.json') dir = vscode.Uri.joinPath(dir, '..');
    if (!dir) {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Analyse model', title: 'Folder of a saved model' });
      dir = picked?.[0];
    }
    if (!dir) return undefined;
    const refText = await vscode.window.showInputBox({ title: 'Reference formulas (optional)', prompt: 'e.g. y = x**3 + 7 - 3*x; several separated by ";" — leave empty to use the data', placeHolder: 'y = sin(x1) * x2' });
    if (refText === undefined) return undefined;
    const references = refText.split(';').map((t) => t.trim()).filter(Boolean);
    return this.analysisRun(`analysis of ${vscode.workspace.asRelativePath(dir)}`, {}, { type: 'analyze', modelDir: dir.fsPath, data: null, references, backend: this.backend, wasmDir: this.wasmDir });
  }

  /**
   * `autogradLens.analyzeCsv`: another model's predictions and derivatives in a CSV, against formulas.
   * Programmatic form: `{ data, inputs, derivativeColumns: GradColumn[], references: string[] }`.
   */
  async analyzeCsv(arg?: unknown): Promise<RunRecord | undefined> {
    let path: string;
    let inputNames: string[];
    let grads: GradColumn[];
    let references: string[];
    let header: string[];
    if (isObj(arg) && typeof arg.data === 'string' && Array.isArray(arg.inputs) && Array.isArray(arg.derivativeColumns)) {
      path = this.abs(arg.data);
      header = await readCsvHeader(path);
      inputNames = arg.inputs.filter((i): i is string => typeof i === 'string');
      grads = arg.derivativeColumns as GradColumn[];
      references = Array.isArray(arg.references) ? arg.references.filter((r): r is string => typeof r === 'string') : [];
    } else {
      const uri = await this.pickCsv(arg, 'Analyse a derivatives CSV');
      if (!uri) return undefined;
      path = uri.fsPath;
      header = await readCsvHeader(path);
      const inputs = await vscode.window.showQuickPick(header.map((c) => ({ label: c })), { title: 'Input columns', canPickMany: true });
      if (!inputs?.length) return undefined;
      inputNames = inputs.map((i) => i.label);
      const found = header.map((c) => parseDerivativeColumn(c, inputNames)).filter((g): g is GradColumn => g !== null);
      const derivs = await vscode.window.showQuickPick(
        found.map((g) => ({ label: g.column, description: `∂${g.output}/∂${g.input}`, picked: true, g })),
        { title: "The model's derivative columns", canPickMany: true },
      );
      if (!derivs?.length) return undefined;
      grads = derivs.map((d) => d.g);
      const outs = [...new Set(grads.map((g) => g.output))];
      const refText = await vscode.window.showInputBox({ title: 'Reference formulas', prompt: 'One per output, separated by ";", e.g. y = x**3 + 7 - 3*x', value: outs.map((o) => `${o} = `).join('; ') });
      if (refText === undefined) return undefined;
      references = refText.split(';').map((t) => t.trim()).filter((t) => t && !/=\s*$/.test(t));
    }
    const outputs = [...new Set(grads.map((g) => g.output))];
    const predictionColumns: Record<string, string> = {};
    for (const o of outputs) if (header.includes(o)) predictionColumns[o] = o;
    return this.analysisRun(
      `${basename(path)} (bring your own model)`,
      { data: vscode.workspace.asRelativePath(path), inputs: inputNames, outputs, grads },
      { type: 'analyzeCsv', data: path, inputs: inputNames, outputs, predictionColumns, derivativeColumns: grads, references },
    );
  }

  /**
   * `autogradLens.exportDerivatives`: a saved model's predictions and d<output>_d<input> at the rows
   * of a CSV (any file with the model's input columns), written to a CSV the user chooses. The
   * model is evaluated in the worker (the same analysis path as "Analyse a Saved Model").
   * Programmatic form: `{ modelDir, data, target }`; resolves with the target path.
   */
  async exportDerivatives(arg?: unknown): Promise<string | undefined> {
    let dir: vscode.Uri | undefined;
    let points: vscode.Uri | undefined;
    let target: vscode.Uri | undefined;
    const programmatic = isObj(arg) && typeof arg.modelDir === 'string' && typeof arg.data === 'string' && typeof arg.target === 'string';
    if (programmatic) {
      dir = vscode.Uri.file(this.abs(arg.modelDir as string));
      points = vscode.Uri.file(this.abs(arg.data as string));
      target = vscode.Uri.file(this.abs(arg.target as string));
    } else {
      dir = arg instanceof vscode.Uri ? arg : undefined;
      if (dir && basename(dir.fsPath) === 'autograd-lens.json') dir = vscode.Uri.joinPath(dir, '..');
      if (!dir) dir = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use this model', title: 'Export derivatives: the folder of a saved model' }))?.[0];
      if (!dir) return undefined;
      points = await this.pickCsv(undefined, `Export derivatives of ${basename(dir.fsPath)}: points to evaluate it at (a CSV with its input columns)`);
      if (!points) return undefined;
    }
    // Check the model and the points file before asking where to save.
    const meta = await readModelMetadata(dir);
    const header = await readCsvHeader(points.fsPath);
    const missing = meta.inputs.filter((i) => !header.includes(i));
    if (missing.length) {
      const hints = missing.map((m) => {
        const close = closeNames(m, header);
        return close.length ? `'${m}' (the file has '${close[0]}')` : `'${m}'`;
      });
      const message = `${vscode.workspace.asRelativePath(points)} lacks the model's input column${missing.length > 1 ? 's' : ''} ${hints.join(', ')}; it has ${header.map((h) => `'${h}'`).join(', ')}.`;
      this.log.warn(`Export derivatives: ${message}`);
      void vscode.window.showErrorMessage(`Autograd Lens: ${message}`);
      return undefined;
    }
    if (!target) {
      target = await vscode.window.showSaveDialog({
        title: `Export derivatives of ${basename(dir.fsPath)} at the rows of ${basename(points.fsPath)}`,
        defaultUri: vscode.Uri.joinPath(points, '..', `${basename(points.fsPath).replace(/\.[^.]+$/, '')}-derivatives.csv`),
        filters: { 'CSV files': ['csv'] },
        saveLabel: 'Export',
      });
      if (!target) return undefined;
    }
    const worker = startWorker(this.workerPath, { type: 'analyze', modelDir: dir.fsPath, data: points.fsPath, references: [], backend: this.backend, wasmDir: this.wasmDir });
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Autograd Lens: exporting derivatives', cancellable: true }, (_p, token) => {
      token.onCancellationRequested(() => worker.cancel());
      return worker.done;
    });
    if (result.status === 'cancelled' || !result.series) {
      void vscode.window.setStatusBarMessage('Autograd Lens: export cancelled; nothing was written', 5000);
      return undefined;
    }
    await vscode.workspace.fs.writeFile(target, Buffer.from(derivativesCsv(result.series, result.report.inputs, result.report.outputs), 'utf8'));
    const where = vscode.workspace.asRelativePath(target);
    this.log.info(`Exported derivatives of ${dir.fsPath} at ${points.fsPath} to ${target.fsPath}`);
    const constant = meta.fit === 'derivatives' ? ` The model was fitted to derivatives only: its values (${result.report.outputs.join(', ')}) are known only up to a constant; the derivatives are not affected.` : '';
    if (constant) this.log.info(constant.trim());
    void vscode.window.showInformationMessage(`Autograd Lens: derivatives of ${basename(dir.fsPath)} at ${result.series.inputs[result.report.inputs[0]!]?.length ?? 0} points written to ${where}.${constant}`);
    return target.fsPath;
  }

  dispose(): void {
    for (const w of this.active.values()) w.cancel();
    this.active.clear();
    while (this.disposables.length) this.disposables.pop()?.dispose();
    void this.store.flush();
  }
}
