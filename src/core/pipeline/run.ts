/**
 * The training/analysis pipeline shared by the CLI, the worker thread and (through the worker) VS Code:
 *   runTrain             CSV → checks and diagnostics → trainMlp → analysis → saved model → Report
 *   runAnalyze           saved model + CSV (+ references) → Report
 *   analyzeDerivativesCsv  "bring your own model": a CSV of another model's predictions and
 *                        derivatives, checked against references without training
 *   exportDerivativesCsv  a model's predictions and every dY/dX at given points, as CSV text
 */
import { basename, relative, resolve } from 'node:path';
import Papa from 'papaparse';
import type { AnalysisSeries, DataWarning, EpochProgress, GradColumn, ReferenceExpr, Report, RunStatus, TrainSpec } from '../model/types';
import type { Dataset } from '../data/types';
import { readCsv, readCsvHeader } from '../data/csv';
import { DataError, closeNames } from '../data/errors';
import { checkFloat32Range } from '../data/ranges';
import { diagnoseData, extrapolationWarning, validateTrainingData } from '../data/diagnostics';
import { compileReferences, type CompiledReference } from '../reference/expression';
import { derivativeMetrics, valueMetrics } from '../metrics/index';
import { analyzeModel, columnMeans, columnRanges, pairKey, type ModelLike } from './analysis';
import { applyDataScaledDefaults, defaultOutDir, defaultTrainSpec } from './defaults';
import { SpecError, validateSpec } from './spec';
import { trainMlp, loadMlp, METADATA_FILE, type Mlp, type TrainData } from '../model/index';
import { acquireOutputLock, checkOutputFolder, recoverOutputFolder } from '../model/folder';
import type { EngineChoice, EnginePref } from '../torch/python';
import { TorchUnavailableError, trainTorch } from '../torch/engine';
import { Prng } from '../model/prng';

/** Metrics and plots of a file with more rows than this use a seeded random sample of this many. */
export const ANALYSIS_SAMPLE_ROWS = 100_000;

/**
 * Sorted row numbers of a uniform random sample of `k` of `n` rows without replacement (selection
 * sampling, Knuth's Algorithm S: one pass, no array of n), from a generator seeded by `seed`; null
 * when k >= n (use every row).
 */
export function sampleRows(n: number, k: number, seed: number): Int32Array | null {
  if (k >= n) return null;
  const rng = new Prng(seed * 7 + 5);
  const out = new Int32Array(k);
  let chosen = 0;
  for (let r = 0; r < n && chosen < k; r++) {
    if ((n - r) * rng.next() < k - chosen) out[chosen++] = r;
  }
  return out;
}

function pickRows(col: Float64Array, rows: Int32Array | null): Float64Array {
  if (!rows) return col;
  const out = new Float64Array(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = col[rows[j]];
  return out;
}

function sampleWarning(rows: number, of: number): DataWarning {
  return {
    code: 'analysis-sample',
    message: `The metrics and plots use a random sample of ${rows.toLocaleString('en-US')} of the ${of.toLocaleString('en-US')} rows (the same sample every time for the same seed); training used every row.`,
  };
}

export interface RunCallbacks {
  onProgress?(p: EpochProgress): void;
  onWarning?(w: DataWarning): void;
  /** Which engine trains, and why (before the first epoch). */
  onEngine?(choice: EngineChoice): void;
  signal?: AbortSignal;
}

/**
 * The training engine: `tfjs` (TensorFlow.js in this process), `torch` (PyTorch through `python`),
 * or `auto` (torch when `python` can import it, else tfjs). Default `tfjs`.
 */
export interface EngineOptions {
  engine?: EnginePref;
  /** The interpreter of the torch engine (default `python3` on the PATH). */
  python?: string;
  /** torch: `auto` (CUDA, else MPS, else CPU), `cpu`, `cuda`, `mps`. */
  device?: string;
  /** torch: CPU threads (default: PyTorch's). */
  threads?: number;
}

export interface TrainRunResult {
  report: Report;
  /** Null when the run was cancelled (nothing is analysed or saved then). */
  series: AnalysisSeries | null;
  history: EpochProgress[];
  status: RunStatus;
}

/**
 * What `runTrain` stores in `autograd-lens.json` next to the weights (the engine adds its own keys:
 * format, activation, hidden, network, training; `inputs`, `outputs`, `normalization` are its too).
 */
export interface ModelMetadata {
  createdAt: string;
  inputs: string[];
  outputs: string[];
  normalization: unknown;
  spec: TrainSpec;
  /** The training data: path relative to the model folder, SHA-256 of its bytes, row count. */
  data: { path: string; sha256: string; rows: number };
  trainingRange: Record<string, [number, number]>;
  /** Mean of each input over the training data (where the panel's model slices hold the others). */
  trainingMean?: Record<string, number>;
  report: Pick<Report, 'value' | 'derivatives' | 'warnings' | 'status' | 'epochs' | 'backend' | 'engine'>;
}

function pushWarning(list: DataWarning[], w: DataWarning | null, cb?: RunCallbacks): void {
  if (!w) return;
  list.push(w);
  cb?.onWarning?.(w);
}

/** DataError for an output that has neither a value column nor derivative columns. */
function outputWithoutData(ds: Dataset, output: string): DataError {
  const close = closeNames(output, ds.columns);
  return new DataError(
    ds.source,
    `output '${output}' has no value column '${output}'${close.length ? ` (did you mean ${close.map((c) => `'${c}'`).join(' or ')}?)` : ''} and no derivative columns (--grad ${output}:INPUT=COLUMN); the file has: ${ds.columns.map((c) => `'${c}'`).join(', ')}`,
    { row: 1, column: output },
  );
}

/** Train a network as `spec` says, analyse it on its data, save it. */
export async function runTrain(
  specIn: Partial<TrainSpec> & Pick<TrainSpec, 'data' | 'inputs' | 'outputs'>,
  cb: RunCallbacks = {},
  engineOpts: EngineOptions = {},
): Promise<TrainRunResult> {
  const spec = defaultTrainSpec(specIn);
  validateSpec(spec);
  const outDir = resolve(spec.outDir || defaultOutDir(spec.data));
  const references = compileReferences(spec.references, spec.inputs, spec.outputs);
  // The output folder is checked and locked before any data is read or any epoch is run: a file, a
  // folder of other things, a read-only place or a folder another training is writing fails now,
  // not after the training. The lock is held until the model is saved (folder.ts).
  checkOutputFolder(outDir, METADATA_FILE);
  const lock = acquireOutputLock(outDir);
  try {
    const warnings: DataWarning[] = [];
    for (const note of await recoverOutputFolder(outDir)) pushWarning(warnings, { code: 'output-recovered', message: `${outDir}: ${note}` }, cb);
    return await trainLocked(spec, specIn, outDir, references, warnings, cb, engineOpts);
  } finally {
    lock.release();
  }
}

/** A cancelled run before training started: nothing read further, nothing saved. */
function cancelledBeforeTraining(spec: TrainSpec, warnings: DataWarning[]): TrainRunResult {
  const report: Report = { inputs: spec.inputs, outputs: spec.outputs, value: {}, derivatives: {}, warnings, modelDir: null, status: 'cancelled', epochs: 0 };
  return { report, series: null, history: [], status: 'cancelled' };
}

async function trainLocked(
  spec: TrainSpec,
  chosen: Partial<TrainSpec>,
  outDir: string,
  references: Map<string, CompiledReference>,
  warnings: DataWarning[],
  cb: RunCallbacks,
  engineOpts: EngineOptions,
): Promise<TrainRunResult> {
  const ds = await readCsv(spec.data, {
    columns: [...spec.inputs, ...spec.grads.map((g) => g.column)],
    optional: spec.outputs,
  });
  const fit = spec.fit ?? 'both';
  for (const o of spec.outputs) {
    if (!ds.data[o] && !spec.grads.some((g) => g.output === o)) throw outputWithoutData(ds, o);
    if (fit === 'values' && !ds.data[o]) {
      throw new DataError(ds.source, `--fit values: output '${o}' has no value column '${o}'; fit 'both' or 'derivatives' to train it on its derivative columns`, { row: 1, column: o });
    }
  }
  // What the loss sees: a derivative-only fit never gets the values, a value-only fit never the
  // derivative columns (those are still used below to check the model's derivatives).
  const useValues = fit !== 'derivatives';
  const useGrads = fit !== 'values';
  if (cb.signal?.aborted) return cancelledBeforeTraining(spec, warnings);
  validateTrainingData(ds, spec.inputs);
  if (spec.normalize === 'none') checkFloat32Range(ds, [...spec.inputs, ...(useValues ? spec.outputs : []), ...(useGrads ? spec.grads.map((g) => g.column) : [])]);

  // Settings the user left open scale with the data (dataScaledSettings): small files get smaller
  // batches, so that an epoch has several steps (quietly: that is what the default means); large
  // files get larger batches and fewer epochs, so that an epoch takes minutes, and a warning says so.
  const large = applyDataScaledDefaults(spec, chosen, ds.rowCount);
  if (large) pushWarning(warnings, large, cb);

  for (const w of diagnoseData(ds, {
    inputs: spec.inputs,
    outputs: useValues ? spec.outputs.filter((o) => ds.data[o]) : [],
    activation: spec.activation,
    derivativeTraining: useGrads && spec.grads.length > 0 && spec.gradWeight > 0,
  })) {
    pushWarning(warnings, w, cb);
  }
  if (cb.signal?.aborted) return cancelledBeforeTraining(spec, warnings);

  // What the analysis needs of the file is taken now — ranges, means and a seeded sample of the rows
  // when there are many — so that the float64 columns can be let go while the engine trains on its
  // float32 copy (memory stays near the data's size; docs/benchmarks.md, "Large data").
  const trainingRange = columnRanges(Object.fromEntries(spec.inputs.map((n) => [n, ds.data[n]])));
  const trainingMean = columnMeans(Object.fromEntries(spec.inputs.map((n) => [n, ds.data[n]])));
  const sample = sampleRows(ds.rowCount, ANALYSIS_SAMPLE_ROWS, spec.seed);
  const col = (name: string): Float64Array => pickRows(ds.data[name], sample);
  const points = Object.fromEntries(spec.inputs.map((n) => [n, col(n)]));
  const observed = Object.fromEntries(spec.outputs.filter((o) => ds.data[o]).map((o) => [o, col(o)]));
  const gradColumns = Object.fromEntries(spec.grads.map((g) => [pairKey(g.output, g.input), col(g.column)]));
  const rowCount = ds.rowCount;
  const sha256 = ds.sha256;
  let handOver: TrainData | null = {
    x: spec.inputs.map((n) => ds.data[n]),
    y: spec.outputs.map((o) => (useValues ? ds.data[o] ?? null : null)),
    dy: spec.outputs.map((o) =>
      spec.inputs.map((i) => {
        const g = useGrads ? spec.grads.find((gc) => gc.output === o && gc.input === i) : undefined;
        return g ? ds.data[g.column] : null;
      }),
    ),
  };
  ds.data = {};
  // tfjs: the engine gets the only reference to the float64 columns and drops its own after
  // converting them to float32, so they can be collected while it trains; the torch engine gets them
  // as they are (and tfjs after it, when auto falls back)
  const takeData = (): TrainData => {
    const d = handOver as TrainData;
    handOver = null;
    return d;
  };
  const pref = engineOpts.engine ?? 'tfjs';
  const history: EpochProgress[] = [];
  const onProgress = (p: EpochProgress) => {
    history.push(p);
    cb.onProgress?.(p);
  };
  let choice: EngineChoice = { engine: 'tfjs', note: 'engine tfjs (TensorFlow.js), as chosen' };
  const tfjs = async (note: string) => {
    choice = { engine: 'tfjs', note };
    cb.onEngine?.(choice);
    return trainMlp(takeData(), spec, { onProgress, signal: cb.signal });
  };
  let trained: { model: Mlp | null; status: RunStatus; history: EpochProgress[]; backend: string };
  try {
    if (pref === 'tfjs') {
      trained = await tfjs(choice.note);
    } else {
      try {
        trained = await trainTorch(
          handOver as TrainData,
          spec,
          { python: engineOpts.python, device: engineOpts.device, threads: engineOpts.threads },
          {
            onProgress,
            signal: cb.signal,
            onReady: (r) => {
              choice = { engine: 'torch', note: `engine torch: PyTorch ${r.torch} in ${r.executable} (${r.device})${pref === 'auto' ? ', found by auto' : ''}` };
              cb.onEngine?.(choice);
            },
          },
        );
      } catch (err) {
        if (!(err instanceof TorchUnavailableError)) throw err;
        if (pref === 'torch') throw new TorchUnavailableError(`the PyTorch engine cannot run: ${err.message}`);
        trained = await tfjs(`engine tfjs (TensorFlow.js): auto found no usable PyTorch: ${err.message}`);
      }
    }
  } catch (err) {
    // A run that diverged is a result (status `failed`), not a crash; anything else propagates.
    const msg = err instanceof Error ? err.message : String(err);
    if (!/diverged/i.test(msg)) throw err;
    pushWarning(warnings, { code: 'training-failed', message: msg }, cb);
    const report: Report = { inputs: spec.inputs, outputs: spec.outputs, value: {}, derivatives: {}, warnings, modelDir: null, status: 'failed', epochs: history.length, engine: choice.engine, engineNote: choice.note };
    return { report, series: null, history, status: 'failed' };
  }
  const engineFields = { engine: choice.engine, engineNote: choice.note };
  const model = trained.model;
  if (!model) {
    // the torch engine keeps nothing of a cancelled run
    const report: Report = { inputs: spec.inputs, outputs: spec.outputs, value: {}, derivatives: {}, warnings, modelDir: null, status: 'cancelled', epochs: trained.history.length, backend: trained.backend, ...engineFields };
    return { report, series: null, history: trained.history, status: 'cancelled' };
  }
  try {
    const base: Report = {
      inputs: spec.inputs,
      outputs: spec.outputs,
      value: {},
      derivatives: {},
      warnings,
      modelDir: null,
      status: trained.status,
      epochs: trained.history.length,
      backend: trained.backend,
      ...engineFields,
    };
    if (trained.status === 'cancelled' || trained.status === 'failed') {
      return { report: base, series: null, history: trained.history, status: trained.status };
    }
    // A large file is analysed and plotted on a seeded random sample of its rows.
    if (sample) pushWarning(warnings, sampleWarning(sample.length, rowCount), cb);
    const analysis = analyzeModel(model, {
      points,
      observed,
      gradColumns,
      references,
      trainingRange,
      trainingInputs: points,
      offsetOutputs: useValues ? [] : spec.outputs,
      slices: { means: trainingMean },
    });
    const report: Report = { ...base, value: analysis.value, derivatives: analysis.derivatives, modelDir: outDir };
    const metadata: ModelMetadata = {
      createdAt: new Date().toISOString(),
      inputs: spec.inputs,
      outputs: spec.outputs,
      normalization: model.normalization,
      spec: { ...spec, data: relative(outDir, resolve(spec.data)), outDir: '.' },
      data: { path: relative(outDir, resolve(spec.data)), sha256, rows: rowCount },
      trainingRange,
      trainingMean,
      report: { value: report.value, derivatives: report.derivatives, warnings, status: report.status, epochs: report.epochs, backend: report.backend, engine: report.engine },
    };
    if (cb.signal?.aborted) {
      return { report: { ...report, modelDir: null, status: 'cancelled' }, series: analysis.series, history: trained.history, status: 'cancelled' };
    }
    // The engine writes the folder atomically (temp folder + rename): a failed save leaves the old model.
    await model.save(outDir, metadata as unknown as Record<string, unknown>);
    return { report, series: analysis.series, history: trained.history, status: trained.status };
  } finally {
    model.dispose();
  }
}

export interface AnalyzeModelOptions {
  onWarning?(w: DataWarning): void;
}

/** Analyse a saved model on a CSV (default: the data it was trained on) against references. */
export async function runAnalyze(
  modelDir: string,
  dataPath: string | null,
  references: (string | ReferenceExpr)[],
  opts: AnalyzeModelOptions = {},
): Promise<{ report: Report; series: AnalysisSeries }> {
  const { model, metadata } = await loadMlp(modelDir);
  try {
    const meta = metadata as Partial<ModelMetadata>;
    const trainedOn = meta.data?.path ? resolve(modelDir, meta.data.path) : null;
    const path = dataPath ?? trainedOn;
    if (!path) throw new SpecError(`the model in ${modelDir} does not record its data file; give one with --data`);
    const refs = compileReferences(references.length ? references : meta.spec?.references ?? [], model.inputs, model.outputs);
    const grads: GradColumn[] = (meta.spec?.grads ?? []).filter((g) => model.outputs.includes(g.output) && model.inputs.includes(g.input));
    const header = await readCsvHeader(path);
    const ds = await readCsv(path, {
      columns: model.inputs,
      optional: [...model.outputs, ...grads.map((g) => g.column).filter((c) => header.includes(c))],
    });
    const warnings: DataWarning[] = [];
    if (trainedOn && resolve(path) === trainedOn && meta.data?.sha256 && meta.data.sha256 !== ds.sha256) {
      pushWarning(warnings, { code: 'data-changed', message: `${basename(path)} has changed since the model was trained on it (SHA-256 differs); the metrics describe the file as it is now.` }, opts);
    }
    const allPoints = Object.fromEntries(model.inputs.map((n) => [n, ds.data[n]]));
    const trainingRange = meta.trainingRange ?? columnRanges(allPoints);
    // Models saved before trainingMean was recorded: the training file's means when that is the file
    // analysed, else the analysed points' means.
    const trainingMean = meta.trainingMean ?? columnMeans(allPoints);
    pushWarning(warnings, extrapolationWarning(allPoints, trainingRange), opts);
    // A large file is analysed and plotted on a seeded random sample of its rows.
    const sample = sampleRows(ds.rowCount, ANALYSIS_SAMPLE_ROWS, meta.spec?.seed ?? 0);
    if (sample) pushWarning(warnings, sampleWarning(sample.length, ds.rowCount), opts);
    const col = (name: string): Float64Array => pickRows(ds.data[name], sample);
    const points = Object.fromEntries(model.inputs.map((n) => [n, col(n)]));
    const analysis = analyzeModel(model, {
      points,
      observed: Object.fromEntries(model.outputs.filter((o) => ds.data[o]).map((o) => [o, col(o)])),
      gradColumns: Object.fromEntries(grads.filter((g) => ds.data[g.column]).map((g) => [pairKey(g.output, g.input), col(g.column)])),
      references: refs,
      trainingRange,
      trainingInputs: trainedOn && resolve(path) === trainedOn ? points : undefined,
      offsetOutputs: meta.spec?.fit === 'derivatives' ? model.outputs : [],
      slices: { means: trainingMean },
    });
    return {
      report: { inputs: model.inputs, outputs: model.outputs, value: analysis.value, derivatives: analysis.derivatives, warnings, modelDir: resolve(modelDir) },
      series: analysis.series,
    };
  } finally {
    model.dispose();
  }
}

export interface DerivativesCsvOptions {
  inputs: string[];
  outputs: string[];
  /** Output → column holding the other model's prediction. */
  predictionColumns: Record<string, string>;
  /** The other model's derivative columns (`output`, `input`, `column`). */
  derivativeColumns: GradColumn[];
  references: (string | ReferenceExpr)[];
  onWarning?(w: DataWarning): void;
}

/**
 * "Bring your own model": analyse another model's predictions and derivatives (e.g. exported from
 * PyTorch) against the same references, without training. Derivative pairs with no analytic
 * reference cannot be judged from scattered points and are listed in a `no-reference` warning.
 * Observed values are taken from columns named like the outputs when present.
 */
export async function analyzeDerivativesCsv(dataPath: string, opts: DerivativesCsvOptions): Promise<{ report: Report; series: AnalysisSeries }> {
  if (!opts.inputs.length) throw new SpecError('no inputs given');
  if (!opts.outputs.length) throw new SpecError('no outputs given');
  for (const o of Object.keys(opts.predictionColumns)) if (!opts.outputs.includes(o)) throw new SpecError(`prediction column for '${o}', which is not an output`);
  for (const g of opts.derivativeColumns) {
    if (!opts.outputs.includes(g.output)) throw new SpecError(`derivative column ${g.output}:${g.input}=${g.column}: '${g.output}' is not an output`);
    if (!opts.inputs.includes(g.input)) throw new SpecError(`derivative column ${g.output}:${g.input}=${g.column}: '${g.input}' is not an input`);
  }
  if (!opts.derivativeColumns.length && !Object.keys(opts.predictionColumns).length) {
    throw new SpecError('nothing to analyse: give prediction columns (--pred Y=COL) and/or derivative columns (--grad Y:X=COL)');
  }
  const refs = compileReferences(opts.references, opts.inputs, opts.outputs);
  const ds = await readCsv(dataPath, {
    columns: [...opts.inputs, ...Object.values(opts.predictionColumns), ...opts.derivativeColumns.map((g) => g.column)],
    optional: opts.outputs,
  });
  const warnings: DataWarning[] = [];
  // A large file is analysed and plotted on a seeded random sample of its rows.
  const sample = sampleRows(ds.rowCount, ANALYSIS_SAMPLE_ROWS, 0);
  if (sample) pushWarning(warnings, sampleWarning(sample.length, ds.rowCount), opts);
  const col = (name: string): Float64Array => pickRows(ds.data[name], sample);
  const x = opts.inputs.map((n) => col(n));
  const points = Object.fromEntries(opts.inputs.map((n, i) => [n, x[i]]));
  const n = x[0].length;
  const series: AnalysisSeries = { inputs: points, observed: {}, predicted: {}, derivatives: {}, trainingRange: columnRanges(points) };
  const report: Report = { inputs: opts.inputs, outputs: opts.outputs, value: {}, derivatives: {}, warnings, modelDir: null };
  for (const o of opts.outputs) {
    const predCol = opts.predictionColumns[o];
    const obs = ds.data[o] && predCol !== o ? col(o) : undefined;
    const pred = predCol ? col(predCol) : undefined;
    if (pred) series.predicted[o] = pred;
    if (obs) series.observed[o] = obs;
    if (pred && obs) report.value[o] = valueMetrics(pred, obs);
  }
  for (const [o, ref] of refs) (series.referenceValue ??= {})[o] = ref.value(x);
  const unjudged: string[] = [];
  for (const g of opts.derivativeColumns) {
    const key = pairKey(g.output, g.input);
    const ref: CompiledReference | undefined = refs.get(g.output);
    const modelD = col(g.column);
    const reference = ref ? ref.derivative(g.input, x) : null;
    series.derivatives[key] = { model: modelD, reference, finiteDifference: new Float64Array(n).fill(Number.NaN) };
    if (reference) report.derivatives[key] = derivativeMetrics(modelD, reference, points, 'expression');
    else unjudged.push(key);
  }
  if (unjudged.length) {
    pushWarning(
      warnings,
      {
        code: 'no-reference',
        message: `No reference for ${unjudged.join(', ')}: derivatives from a CSV can only be checked against an analytic reference (--reference "${unjudged[0].split('/')[0]} = …").`,
      },
      opts,
    );
  }
  return { report, series };
}

/** Column name of d output / d input in exported CSVs: `d<output>_d<input>`. */
export function derivativeColumnName(output: string, input: string): string {
  return `d${output}_d${input}`;
}

/**
 * CSV text with the inputs, the model's predictions and every d output / d input (raw units) at the
 * points of `source` (a CSV path with the model's input columns, or the columns themselves).
 */
export async function exportDerivativesCsv(model: ModelLike, source: string | Record<string, Float64Array>): Promise<string> {
  let points: Record<string, Float64Array>;
  if (typeof source === 'string') {
    points = (await readCsv(source, { columns: model.inputs })).data;
  } else {
    points = source;
    const missing = model.inputs.filter((n) => !points[n]);
    if (missing.length) throw new SpecError(`no values for input${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }
  const x = model.inputs.map((n) => points[n]);
  const pred = model.predict(x);
  const jac = model.jacobian(x);
  const fields = [...model.inputs, ...model.outputs];
  for (const o of model.outputs) for (const i of model.inputs) fields.push(derivativeColumnName(o, i));
  const n = x.length ? x[0].length : 0;
  const rows: string[][] = [];
  for (let r = 0; r < n; r++) {
    const row: string[] = [];
    for (const c of x) row.push(String(c[r]));
    for (const p of pred) row.push(String(p[r]));
    for (let k = 0; k < model.outputs.length; k++) for (let i = 0; i < model.inputs.length; i++) row.push(String(jac[k][i][r]));
    rows.push(row);
  }
  return Papa.unparse({ fields, data: rows }, { newline: '\n' }) + '\n';
}
