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
import { diagnoseData, extrapolationWarning, validateTrainingData } from '../data/diagnostics';
import { compileReferences, type CompiledReference } from '../reference/expression';
import { derivativeMetrics, valueMetrics } from '../metrics/index';
import { analyzeModel, columnMeans, columnRanges, pairKey, type ModelLike } from './analysis';
import { defaultOutDir, defaultTrainSpec } from './defaults';
import { defaultBatchSize } from '../model/defaults';
import { SpecError, validateSpec } from './spec';
import { trainMlp, loadMlp, type TrainData } from '../model/index';

export interface RunCallbacks {
  onProgress?(p: EpochProgress): void;
  onWarning?(w: DataWarning): void;
  signal?: AbortSignal;
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
  report: Pick<Report, 'value' | 'derivatives' | 'warnings' | 'status' | 'epochs' | 'backend'>;
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
export async function runTrain(specIn: Partial<TrainSpec> & Pick<TrainSpec, 'data' | 'inputs' | 'outputs'>, cb: RunCallbacks = {}): Promise<TrainRunResult> {
  const spec = defaultTrainSpec(specIn);
  validateSpec(spec);
  const outDir = resolve(spec.outDir || defaultOutDir(spec.data));
  const references = compileReferences(spec.references, spec.inputs, spec.outputs);

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
  validateTrainingData(ds, spec.inputs);
  // No batch size given: small data sets get smaller batches, so an epoch has several steps.
  if (specIn.batchSize === undefined) spec.batchSize = defaultBatchSize(ds.rowCount - Math.round(ds.rowCount * spec.validationSplit));

  const warnings: DataWarning[] = [];
  for (const w of diagnoseData(ds, {
    inputs: spec.inputs,
    outputs: useValues ? spec.outputs.filter((o) => ds.data[o]) : [],
    activation: spec.activation,
    derivativeTraining: useGrads && spec.grads.length > 0 && spec.gradWeight > 0,
  })) {
    pushWarning(warnings, w, cb);
  }

  const data: TrainData = {
    x: spec.inputs.map((n) => ds.data[n]),
    y: spec.outputs.map((o) => (useValues ? ds.data[o] ?? null : null)),
    dy: spec.outputs.map((o) =>
      spec.inputs.map((i) => {
        const g = useGrads ? spec.grads.find((gc) => gc.output === o && gc.input === i) : undefined;
        return g ? ds.data[g.column] : null;
      }),
    ),
  };
  const history: EpochProgress[] = [];
  let trained: Awaited<ReturnType<typeof trainMlp>>;
  try {
    trained = await trainMlp(data, spec, {
      onProgress: (p) => {
        history.push(p);
        cb.onProgress?.(p);
      },
      signal: cb.signal,
    });
  } catch (err) {
    // A run that diverged is a result (status `failed`), not a crash; anything else propagates.
    const msg = err instanceof Error ? err.message : String(err);
    if (!/diverged/i.test(msg)) throw err;
    pushWarning(warnings, { code: 'training-failed', message: msg }, cb);
    const report: Report = { inputs: spec.inputs, outputs: spec.outputs, value: {}, derivatives: {}, warnings, modelDir: null, status: 'failed', epochs: history.length };
    return { report, series: null, history, status: 'failed' };
  }
  const model = trained.model;
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
    };
    if (trained.status === 'cancelled' || trained.status === 'failed') {
      return { report: base, series: null, history: trained.history, status: trained.status };
    }
    const trainingRange = columnRanges(Object.fromEntries(spec.inputs.map((n) => [n, ds.data[n]])));
    const trainingMean = columnMeans(Object.fromEntries(spec.inputs.map((n) => [n, ds.data[n]])));
    const analysis = analyzeModel(model, {
      points: Object.fromEntries(spec.inputs.map((n) => [n, ds.data[n]])),
      observed: Object.fromEntries(spec.outputs.filter((o) => ds.data[o]).map((o) => [o, ds.data[o]])),
      gradColumns: Object.fromEntries(spec.grads.map((g) => [pairKey(g.output, g.input), ds.data[g.column]])),
      references,
      trainingRange,
      trainingInputs: Object.fromEntries(spec.inputs.map((n) => [n, ds.data[n]])),
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
      data: { path: relative(outDir, resolve(spec.data)), sha256: ds.sha256, rows: ds.rowCount },
      trainingRange,
      trainingMean,
      report: { value: report.value, derivatives: report.derivatives, warnings, status: report.status, epochs: report.epochs, backend: report.backend },
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
    const points = Object.fromEntries(model.inputs.map((n) => [n, ds.data[n]]));
    const trainingRange = meta.trainingRange ?? columnRanges(points);
    // Models saved before trainingMean was recorded: the training file's means when that is the file
    // analysed, else the analysed points' means.
    const trainingMean = meta.trainingMean ?? columnMeans(points);
    pushWarning(warnings, extrapolationWarning(points, trainingRange), opts);
    const analysis = analyzeModel(model, {
      points,
      observed: Object.fromEntries(model.outputs.filter((o) => ds.data[o]).map((o) => [o, ds.data[o]])),
      gradColumns: Object.fromEntries(grads.filter((g) => ds.data[g.column]).map((g) => [pairKey(g.output, g.input), ds.data[g.column]])),
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
  const x = opts.inputs.map((n) => ds.data[n]);
  const points = Object.fromEntries(opts.inputs.map((n, i) => [n, x[i]]));
  const n = ds.rowCount;
  const warnings: DataWarning[] = [];
  const series: AnalysisSeries = { inputs: points, observed: {}, predicted: {}, derivatives: {}, trainingRange: columnRanges(points) };
  const report: Report = { inputs: opts.inputs, outputs: opts.outputs, value: {}, derivatives: {}, warnings, modelDir: null };
  for (const o of opts.outputs) {
    const predCol = opts.predictionColumns[o];
    const obs = ds.data[o] && predCol !== o ? ds.data[o] : undefined;
    if (predCol) series.predicted[o] = ds.data[predCol];
    if (obs) series.observed[o] = obs;
    if (predCol && obs) report.value[o] = valueMetrics(ds.data[predCol], obs);
  }
  for (const [o, ref] of refs) (series.referenceValue ??= {})[o] = ref.value(x);
  const unjudged: string[] = [];
  for (const g of opts.derivativeColumns) {
    const key = pairKey(g.output, g.input);
    const ref: CompiledReference | undefined = refs.get(g.output);
    const modelD = ds.data[g.column];
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
