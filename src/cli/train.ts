/**
 * `autograd-lens train` and `autograd-lens analyze`: thin adapters over src/core/pipeline.
 * With --json, stdout carries exactly one JSON object (the Report); progress and warnings go to stderr
 * (progress only without --json). Usage errors and bad data exit with 2 (CliError); a training run
 * that failed (diverged) exits with 1.
 */
import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Activation, DataWarning, EpochProgress, FitTarget, GradColumn, InitScheme, Normalization, ReferenceExpr, Report, TrainSpec } from '../core/model/types';
import { parseGradColumn } from '../core/pipeline/spec';
import type { BackendPref } from '../core/pipeline/messages';
import { CliError, parseCommandArgs as parse } from './common';
import { comparisonLabel, pct, selfConsistencyNote } from '../shared/format';
import { DEFAULT_PYTHON, ENGINES, MODULE_SCRIPT, TRAIN_SCRIPT, torchScriptDir, type EnginePref } from '../core/torch/python';

const BACKENDS: BackendPref[] = ['auto', 'wasm', 'node', 'cpu'];

/** Errors about the user's input (by name, so their modules load lazily). */
const USER_ERRORS = new Set(['DataError', 'SpecError', 'ExpressionError', 'ModelFileError', 'TorchUnavailableError']);

/** Known user-facing errors become CliErrors (exit 2); anything else stays an internal error. */
function asCliError(err: unknown): unknown {
  if (err instanceof Error && USER_ERRORS.has(err.name)) return new CliError(err.message);
  return err;
}

function list(v: unknown): string[] {
  return typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

function num(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new CliError(`${flag} needs a number (got '${String(v)}')`);
  return n;
}

function grads(v: unknown): GradColumn[] {
  const items = (Array.isArray(v) ? v : v === undefined ? [] : [v]) as string[];
  try {
    return items.flatMap((s) => s.split(',')).filter((s) => s.trim()).map(parseGradColumn);
  } catch (err) {
    throw asCliError(err);
  }
}

function many(v: unknown): string[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]) as string[];
}

function refs(v: unknown, split: (s: string) => ReferenceExpr) {
  try {
    return many(v).map(split);
  } catch (err) {
    throw asCliError(err);
  }
}

function engineOf(v: unknown): EnginePref {
  const e = (v ?? 'auto') as EnginePref;
  if (!ENGINES.includes(e)) throw new CliError(`--engine must be one of ${ENGINES.join(', ')} (got '${String(v)}')`);
  return e;
}

/**
 * `--save-script DIR`: the PyTorch engine's two Python files and the spec, to run the same training
 * elsewhere (`python3 autograd_lens_train.py spec.json`). The data path in spec.json is relative to DIR.
 */
function saveScript(dir: string, spec: TrainSpec): string[] {
  mkdirSync(dir, { recursive: true });
  const src = torchScriptDir();
  const files = [TRAIN_SCRIPT, MODULE_SCRIPT].map((f) => {
    copyFileSync(join(src, f), join(dir, f));
    return join(dir, f);
  });
  const data = relative(resolve(dir), resolve(spec.data));
  const outDir = spec.outDir ? relative(resolve(dir), resolve(spec.outDir)) : '';
  const specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify({ ...spec, data, outDir }, null, 2) + '\n');
  return [...files, specFile];
}

function backendOf(v: unknown): BackendPref {
  const b = (v ?? 'auto') as BackendPref;
  if (!BACKENDS.includes(b)) throw new CliError(`--backend must be one of ${BACKENDS.join(', ')} (got '${String(v)}')`);
  return b;
}

const fmt = (x: number | null | undefined): string => {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x !== 0 && (Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3)) return x.toExponential(3);
  return x.toPrecision(4);
};

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

/** The readable (non-JSON) form of a report. */
export function formatReport(report: Report, saved = true): string {
  const out: string[] = [];
  if (report.status) out.push(`status: ${report.status}${report.epochs !== undefined ? ` after ${report.epochs} epochs` : ''}${report.backend ? ` (backend ${report.backend})` : ''}`);
  if (report.engineNote) out.push(report.engineNote);
  if (report.modelDir) out.push(saved ? `model saved to ${report.modelDir}` : `model: ${report.modelDir}`);
  const values = Object.entries(report.value);
  if (values.length) {
    out.push('', 'values (on the given data):', table([['output', 'rmse', 'relative L2'], ...values.map(([k, v]) => [k, fmt(v.rmse), pct(v.relL2)])]));
    const shifted = values.filter(([, v]) => v.offset !== undefined);
    if (shifted.length) {
      out.push(`(not fitted to values: ${shifted.map(([k, v]) => `${k} after adding the best constant ${fmt(v.offset)}`).join(', ')})`);
    }
  }
  const ders = Object.entries(report.derivatives);
  if (ders.length) {
    out.push(
      '',
      'derivatives w.r.t. raw inputs:',
      table([
        ['d output / d input', 'relative L2', 'rmse', 'max |err|', 'at', 'median ratio', 'compared with'],
        ...ders.map(([k, d]) => [
          k,
          pct(d.relL2),
          fmt(d.rmse),
          fmt(d.maxAbs),
          Object.entries(d.maxAbsAt).map(([n, v]) => `${n}=${fmt(v)}`).join(' '),
          fmt(d.medianRatio),
          comparisonLabel(d.reference),
        ]),
      ]),
    );
    if (ders.some(([, d]) => d.reference === 'finite-difference')) out.push('', selfConsistencyNote('cli'));
  }
  for (const w of report.warnings) out.push('', `warning [${w.code}]: ${w.message}`);
  return out.join('\n') + '\n';
}

function progressPrinter(json: boolean): (p: EpochProgress) => void {
  let last = 0;
  return (p) => {
    if (json) return;
    const now = Date.now();
    if (p.epoch !== p.epochs && now - last < 1000 && p.epoch !== 1) return;
    last = now;
    const parts = [`epoch ${p.epoch}/${p.epochs}`, `loss ${fmt(p.loss)}`];
    if (p.valueLoss !== null) parts.push(`value ${fmt(p.valueLoss)}`);
    if (p.gradLoss !== null) parts.push(`grad ${fmt(p.gradLoss)}`);
    if (p.valLoss !== null) parts.push(`val ${fmt(p.valLoss)}`);
    process.stderr.write(parts.join('  ') + '\n');
  };
}

function warningPrinter(json: boolean): (w: DataWarning) => void {
  return (w) => {
    if (!json) process.stderr.write(`warning [${w.code}]: ${w.message}\n`);
  };
}

function emit(report: Report, json: boolean, saved: boolean): void {
  process.stdout.write(json ? JSON.stringify(report) + '\n' : formatReport(report, saved));
}

/** Engine, pipeline and mathjs are loaded lazily so `lint` never pays for them. */
async function pipeline() {
  const [run, model, defaults, expression] = await Promise.all([
    import('../core/pipeline/run'),
    import('../core/model/index'),
    import('../core/pipeline/defaults'),
    import('../core/reference/expression'),
  ]);
  return { ...run, initBackend: model.initBackend, loadMlp: model.loadMlp, defaultTrainSpec: defaults.defaultTrainSpec, validateSpec: defaults.validateSpec, splitReference: expression.splitReference };
}

export async function runTrainCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse('train', args, {
    inputs: { type: 'string' },
    outputs: { type: 'string' },
    grad: { type: 'string', multiple: true },
    reference: { type: 'string', multiple: true },
    normalize: { type: 'string' },
    hidden: { type: 'string' },
    activation: { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    lr: { type: 'string' },
    'grad-weight': { type: 'string' },
    'validation-split': { type: 'string' },
    patience: { type: 'string' },
    seed: { type: 'string' },
    fit: { type: 'string' },
    init: { type: 'string' },
    out: { type: 'string' },
    backend: { type: 'string' },
    engine: { type: 'string' },
    python: { type: 'string' },
    device: { type: 'string' },
    'save-script': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new CliError('train needs exactly one data file: autograd-lens train DATA --inputs A,B --outputs Y');
  const engine = engineOf(values.engine);
  const json = Boolean(values.json);
  const hidden = values.hidden === undefined ? undefined : list(values.hidden).map((h) => num(h, '--hidden') as number);
  // What the spec needs is light (no TensorFlow.js): the output folder is checked and locked before the
  // engine loads, so a second training into the same folder is refused at once.
  const [{ applyDataScaledDefaults, defaultTrainSpec, defaultOutDir, validateSpec }, { splitReference }, folder] = await Promise.all([
    import('../core/pipeline/defaults'),
    import('../core/reference/expression'),
    import('../core/model/folder'),
  ]);
  // Left partial for runTrain: it fills in the defaults, and the batch size and epochs, when not
  // chosen, scale with the rows of the file.
  const specIn = {
    data: positionals[0],
    inputs: list(values.inputs),
    outputs: list(values.outputs),
    grads: grads(values.grad),
    references: refs(values.reference, splitReference),
    normalize: values.normalize as Normalization | undefined,
    hidden,
    activation: values.activation as Activation | undefined,
    epochs: num(values.epochs, '--epochs'),
    batchSize: num(values['batch-size'], '--batch-size'),
    learningRate: num(values.lr, '--lr'),
    gradWeight: num(values['grad-weight'], '--grad-weight'),
    validationSplit: num(values['validation-split'], '--validation-split'),
    patience: num(values.patience, '--patience'),
    seed: num(values.seed, '--seed'),
    fit: values.fit as FitTarget | undefined,
    init: values.init as InitScheme | undefined,
    outDir: values.out as string | undefined,
  } as Partial<TrainSpec> & Pick<TrainSpec, 'data' | 'inputs' | 'outputs'>;
  const backend = backendOf(values.backend);
  // The fixed defaults (the file is not read yet): enough for the output folder and --save-script.
  const spec = defaultTrainSpec(specIn);
  if (typeof values['save-script'] === 'string') {
    let large: DataWarning | null;
    try {
      validateSpec(spec);
      // The batch size and epochs left open follow the data's size, as a run here would set them; the
      // script gets them fixed in spec.json. The rows are counted the way training reads them.
      const { readCsv } = await import('../core/data/csv');
      const ds = await readCsv(spec.data, { columns: [...spec.inputs, ...spec.grads.map((g) => g.column)], optional: spec.outputs });
      large = applyDataScaledDefaults(spec, specIn, ds.rowCount);
    } catch (err) {
      throw asCliError(err);
    }
    if (large) warningPrinter(json)(large);
    const written = saveScript(values['save-script'], spec);
    process.stdout.write(json ? JSON.stringify({ files: written }) + '\n' : `${written.join('\n')}\nrun: python3 ${join(values['save-script'], TRAIN_SCRIPT)} ${join(values['save-script'], 'spec.json')}\n`);
    return 0;
  }
  // Ctrl-C cancels like the editor's Cancel: the run stops within an epoch, saves nothing and releases
  // the output folder. A second Ctrl-C stops at once: the output lock is released on exit, and a
  // half-written temporary folder is removed by the next run (the model folder itself is never
  // half-written, see src/core/model/folder.ts).
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      abort.abort();
      process.stderr.write('autograd-lens: cancelling: stopping within an epoch, nothing will be saved (Ctrl-C again to stop at once)\n');
    } else {
      process.stderr.write('autograd-lens: stopped\n');
      process.exit(EXIT_INTERRUPTED);
    }
  };
  process.on('SIGINT', onSigint);
  let lock: { release(): void } | null = null;
  try {
    if (spec.data && spec.inputs.length && spec.outputs.length) {
      const outDir = resolve(spec.outDir || defaultOutDir(spec.data));
      folder.checkOutputFolder(outDir, 'autograd-lens.json');
      lock = folder.acquireOutputLock(outDir);
    }
    const p = await pipeline();
    await p.initBackend(backend);
    const r = await p.runTrain(
      specIn,
      {
        onProgress: progressPrinter(json),
        onWarning: warningPrinter(json),
        onEngine: (c) => {
          if (!json) process.stderr.write(`${c.note}\n`);
        },
        signal: abort.signal,
      },
      { engine, python: (values.python as string | undefined) ?? DEFAULT_PYTHON, device: values.device as string | undefined },
    );
    emit(r.report, json, true);
    if (r.status === 'cancelled') return interrupts > 0 ? EXIT_INTERRUPTED : 2;
    return r.status === 'failed' ? 1 : 0;
  } catch (err) {
    throw asCliError(err);
  } finally {
    lock?.release();
    process.removeListener('SIGINT', onSigint);
  }
}

/** Exit status of a training stopped by Ctrl-C (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130;

export async function runAnalyzeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse('analyze', args, {
    data: { type: 'string' },
    reference: { type: 'string', multiple: true },
    inputs: { type: 'string' },
    outputs: { type: 'string' },
    pred: { type: 'string', multiple: true },
    grad: { type: 'string', multiple: true },
    backend: { type: 'string' },
    export: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new CliError('analyze needs one model folder or derivatives CSV: autograd-lens analyze MODEL_DIR --data DATA');
  const json = Boolean(values.json);
  const target = positionals[0];
  let isDir: boolean;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    const { interruptedSaveOf } = await import('../core/model/folder');
    const old = interruptedSaveOf(target);
    throw new CliError(
      `${target}: no such model folder or file${old ? `; an interrupted save left the previous model in '${old}': the next training into this folder restores it, or rename it back yourself` : ''}`,
    );
  }
  const p = await pipeline();
  const references = refs(values.reference, p.splitReference);
  try {
    let report: Report;
    if (isDir) {
      try {
        statSync(`${target}/autograd-lens.json`);
      } catch {
        throw new CliError(`${target} is not a model folder (it has no autograd-lens.json); train one with 'autograd-lens train'`);
      }
      await p.initBackend(backendOf(values.backend));
      report = (await p.runAnalyze(target, (values.data as string | undefined) ?? null, references, { onWarning: warningPrinter(json) })).report;
      if (typeof values.export === 'string') {
        const { model, metadata } = await p.loadMlp(target);
        try {
          const meta = metadata as { data?: { path?: string } };
          const dataPath = (values.data as string | undefined) ?? (meta.data?.path ? resolve(target, meta.data.path) : null);
          if (!dataPath) throw new CliError('--export needs --data: the model does not record its data file');
          writeFileSync(values.export, await p.exportDerivativesCsv(model, dataPath));
        } finally {
          model.dispose();
        }
        if (!json) process.stderr.write(`derivatives written to ${values.export}\n`);
      }
    } else {
      if (values.export !== undefined) throw new CliError('--export needs a model folder, not a CSV');
      const predictionColumns: Record<string, string> = {};
      for (const item of many(values.pred).flatMap((s) => s.split(','))) {
        const m = /^\s*([^=]+?)\s*=\s*(.+?)\s*$/.exec(item);
        if (!m) throw new CliError(`--pred must look like OUTPUT=COLUMN (got '${item}')`);
        predictionColumns[m[1]] = m[2];
      }
      report = (
        await p.analyzeDerivativesCsv((values.data as string | undefined) ?? target, {
          inputs: list(values.inputs),
          outputs: list(values.outputs),
          predictionColumns,
          derivativeColumns: grads(values.grad),
          references,
          onWarning: warningPrinter(json),
        })
      ).report;
    }
    emit(report, json, false);
    return 0;
  } catch (err) {
    throw asCliError(err);
  }
}
