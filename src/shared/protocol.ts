/**
 * The one message protocol between the extension host (panel host) and the webview app.
 * Imported by both sides; every incoming message is checked with the validators below before use
 * (`isHostMessage` in the webview, `isWebviewMessage` in the host). A message of the wrong shape is
 * logged and ignored, never trusted.
 *
 * Large arrays travel as `Float64Array`: VS Code's `postMessage` and the browser's structured clone
 * both keep typed arrays, and the validators accept exactly that (a plain `number[]` in a series is a
 * protocol error, so a host that accidentally JSON-serialised a series is caught at the border).
 */
import type { AnalysisSeries, DataWarning, DerivativeMetrics, EpochProgress, Report, RunStatus, SliceSeries, TrainSpec, ValueMetrics } from '../core/model/types';

export const PROTOCOL_VERSION = 1;

/** One training or analysis run as the panel knows it. */
export interface RunRecord {
  id: string;
  label: string;
  createdAt: string;
  /** A training run, or an analysis of a saved model or another model's derivatives (absent: training). */
  kind?: 'train' | 'analysis';
  status: RunStatus;
  statusDetail?: string;
  spec: Partial<TrainSpec>;
  history: EpochProgress[];
  report: Report | null;
  series: AnalysisSeries | null;
  warnings: DataWarning[];
}

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

// Host → webview
export type HostMessage =
  | { type: 'init'; version: number; runs: RunRecord[]; selected: string[] }
  | { type: 'runStarted'; run: RunRecord }
  | { type: 'progress'; runId: string; progress: EpochProgress }
  | { type: 'warning'; runId: string; warning: DataWarning }
  | { type: 'runFinished'; runId: string; status: RunStatus; statusDetail?: string; report: Report | null; series: AnalysisSeries | null }
  | { type: 'runRemoved'; runId: string }
  | { type: 'select'; runIds: string[] }
  | { type: 'theme'; kind: ThemeKind }
  /** Outcome of an export the webview asked for (shown as a transient note). */
  | { type: 'notice'; level: 'info' | 'error'; message: string };

// Webview → host
export type WebviewMessage =
  | { type: 'ready'; version: number }
  | { type: 'cancel'; runId: string }
  | { type: 'select'; runIds: string[] }
  | { type: 'removeRun'; runId: string }
  /** Remove every finished run from the history (running ones stay). */
  | { type: 'clearRuns' }
  /** `runId`: the run the plot belongs to (the host picks the default folder from it). */
  | { type: 'exportCsv'; fileName: string; csv: string; runId?: string }
  | { type: 'exportPng'; fileName: string; dataUrl: string; runId?: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export const RUN_STATUSES: readonly RunStatus[] = ['running', 'completed', 'stopped-early', 'cancelled', 'failed'];
const THEME_KINDS: readonly ThemeKind[] = ['light', 'dark', 'high-contrast', 'high-contrast-light'];
const REFERENCE_KINDS = ['expression', 'column', 'finite-difference'] as const;

// ---------------------------------------------------------------------------------------------
// Runtime validators. Hand-written (no schema library in the webview bundle): each checks exactly
// the fields the receiving side reads, with the types the TypeScript declarations promise.
// ---------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}
function isStr(x: unknown): x is string {
  return typeof x === 'string';
}
/** Any IEEE number, NaN and ±Infinity included (metrics may legitimately be NaN). */
function isNum(x: unknown): x is number {
  return typeof x === 'number';
}
function isNumOrNull(x: unknown): x is number | null {
  return x === null || typeof x === 'number';
}
function isStrArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every(isStr);
}
function isF64(x: unknown): x is Float64Array {
  return x instanceof Float64Array;
}
function isOptStr(x: unknown): boolean {
  return x === undefined || typeof x === 'string';
}
function isRecordOf<T>(x: unknown, item: (v: unknown) => v is T): x is Record<string, T> {
  return isObj(x) && Object.values(x).every(item);
}

export function isRunStatus(x: unknown): x is RunStatus {
  return isStr(x) && (RUN_STATUSES as readonly string[]).includes(x);
}

export function isEpochProgress(x: unknown): x is EpochProgress {
  return (
    isObj(x) &&
    isNum(x.epoch) &&
    isNum(x.epochs) &&
    isNum(x.loss) &&
    isNumOrNull(x.valueLoss) &&
    isNumOrNull(x.gradLoss) &&
    isNumOrNull(x.valLoss) &&
    isNum(x.learningRate) &&
    isNum(x.elapsedMs)
  );
}

export function isDataWarning(x: unknown): x is DataWarning {
  return isObj(x) && isStr(x.code) && isStr(x.message);
}

function isValueMetrics(x: unknown): x is ValueMetrics {
  return isObj(x) && isNum(x.rmse) && isNum(x.relL2) && (x.offset === undefined || isNum(x.offset));
}

/**
 * A model slice: `at` maps names to numbers, `x` is a Float64Array and every other array (per
 * output) is a Float64Array of the same length.
 */
export function isSliceSeries(x: unknown): x is SliceSeries {
  if (!isObj(x) || !isRecordOf(x.at, isNum) || !isF64(x.x) || x.x.length < 1) return false;
  if (!isRecordOf(x.predicted, isF64) || !isRecordOf(x.derivative, isF64)) return false;
  const arrays: Float64Array[] = [...Object.values(x.predicted), ...Object.values(x.derivative)];
  for (const opt of [x.referenceValue, x.referenceDerivative]) {
    if (opt === undefined) continue;
    if (!isRecordOf(opt, isF64)) return false;
    arrays.push(...Object.values(opt));
  }
  const n = x.x.length;
  return arrays.every((a) => a.length === n);
}

function isDerivativeMetrics(x: unknown): x is DerivativeMetrics {
  return (
    isObj(x) &&
    isNum(x.relL2) &&
    isNum(x.rmse) &&
    isNum(x.maxAbs) &&
    isRecordOf(x.maxAbsAt, isNum) &&
    isNum(x.medianRatio) &&
    isStr(x.reference) &&
    (REFERENCE_KINDS as readonly string[]).includes(x.reference)
  );
}

export function isReport(x: unknown): x is Report {
  return (
    isObj(x) &&
    isStrArray(x.inputs) &&
    isStrArray(x.outputs) &&
    isRecordOf(x.value, isValueMetrics) &&
    isRecordOf(x.derivatives, isDerivativeMetrics) &&
    Array.isArray(x.warnings) &&
    x.warnings.every(isDataWarning) &&
    (x.modelDir === null || isStr(x.modelDir)) &&
    (x.status === undefined || isRunStatus(x.status)) &&
    (x.epochs === undefined || isNum(x.epochs)) &&
    isOptStr(x.backend)
  );
}

/**
 * A series is valid when every array is a Float64Array and all point-wise arrays have one length
 * (the number of evaluated points). Ranges are `[lo, hi]` pairs of numbers.
 */
export function isAnalysisSeries(x: unknown): x is AnalysisSeries {
  if (!isObj(x)) return false;
  if (!isRecordOf(x.inputs, isF64) || !isRecordOf(x.observed, isF64) || !isRecordOf(x.predicted, isF64)) return false;
  if (!isObj(x.derivatives) || !isObj(x.trainingRange)) return false;
  const arrays: Float64Array[] = [...Object.values(x.inputs), ...Object.values(x.observed), ...Object.values(x.predicted)];
  for (const d of Object.values(x.derivatives)) {
    if (!isObj(d) || !isF64(d.model) || !isF64(d.finiteDifference) || !(d.reference === null || isF64(d.reference))) return false;
    arrays.push(d.model, d.finiteDifference);
    if (d.reference) arrays.push(d.reference);
  }
  for (const opt of [x.referenceValue, x.trainingInputs]) {
    if (opt !== undefined && !isRecordOf(opt, isF64)) return false;
  }
  if (x.referenceValue) arrays.push(...Object.values(x.referenceValue as Record<string, Float64Array>));
  // Slices have their own length (points along a line), checked per slice.
  if (x.slices !== undefined && !isRecordOf(x.slices, isSliceSeries)) return false;
  if (Object.keys(x.inputs).length === 0) return false;
  const n = arrays[0]!.length;
  if (!arrays.every((a) => a.length === n)) return false;
  for (const r of Object.values(x.trainingRange)) {
    if (!Array.isArray(r) || r.length !== 2 || !isNum(r[0]) || !isNum(r[1])) return false;
  }
  return true;
}

export function isRunRecord(x: unknown): x is RunRecord {
  return (
    isObj(x) &&
    isStr(x.id) &&
    x.id.length > 0 &&
    isStr(x.label) &&
    isStr(x.createdAt) &&
    (x.kind === undefined || x.kind === 'train' || x.kind === 'analysis') &&
    isRunStatus(x.status) &&
    isOptStr(x.statusDetail) &&
    isObj(x.spec) &&
    Array.isArray(x.history) &&
    x.history.every(isEpochProgress) &&
    (x.report === null || isReport(x.report)) &&
    (x.series === null || isAnalysisSeries(x.series)) &&
    Array.isArray(x.warnings) &&
    x.warnings.every(isDataWarning)
  );
}

export function isHostMessage(x: unknown): x is HostMessage {
  if (!isObj(x) || !isStr(x.type)) return false;
  switch (x.type) {
    case 'init':
      return isNum(x.version) && Array.isArray(x.runs) && x.runs.every(isRunRecord) && isStrArray(x.selected);
    case 'runStarted':
      return isRunRecord(x.run);
    case 'progress':
      return isStr(x.runId) && isEpochProgress(x.progress);
    case 'warning':
      return isStr(x.runId) && isDataWarning(x.warning);
    case 'runFinished':
      return (
        isStr(x.runId) &&
        isRunStatus(x.status) &&
        isOptStr(x.statusDetail) &&
        (x.report === null || isReport(x.report)) &&
        (x.series === null || isAnalysisSeries(x.series))
      );
    case 'runRemoved':
      return isStr(x.runId);
    case 'select':
      return isStrArray(x.runIds);
    case 'theme':
      return isStr(x.kind) && (THEME_KINDS as readonly string[]).includes(x.kind);
    case 'notice':
      return (x.level === 'info' || x.level === 'error') && isStr(x.message);
    default:
      return false;
  }
}

/** Largest PNG data URL / CSV text the host accepts from the webview (64 MiB). */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

/** Export file names are bare names, never paths: the host puts them in a save dialog. */
export function isSafeFileName(x: unknown): x is string {
  return isStr(x) && x.length > 0 && x.length <= 200 && !/[\\/:*?"<>|]/.test(x) && ![...x].some((c) => c.charCodeAt(0) < 32) && x !== '.' && x !== '..';
}

export function isWebviewMessage(x: unknown): x is WebviewMessage {
  if (!isObj(x) || !isStr(x.type)) return false;
  switch (x.type) {
    case 'ready':
      return isNum(x.version);
    case 'cancel':
    case 'removeRun':
      return isStr(x.runId);
    case 'select':
      return isStrArray(x.runIds);
    case 'clearRuns':
      return true;
    case 'exportCsv':
      return isSafeFileName(x.fileName) && isStr(x.csv) && x.csv.length <= MAX_EXPORT_CHARS && isOptStr(x.runId);
    case 'exportPng':
      return (
        isOptStr(x.runId) &&
        isSafeFileName(x.fileName) &&
        isStr(x.dataUrl) &&
        x.dataUrl.startsWith('data:image/png;base64,') &&
        x.dataUrl.length <= MAX_EXPORT_CHARS
      );
    case 'log':
      return (x.level === 'info' || x.level === 'warn' || x.level === 'error') && isStr(x.message);
    default:
      return false;
  }
}

/** A short description of why a message was rejected, for the log (never echoes large payloads). */
export function describeMessage(x: unknown): string {
  if (!isObj(x)) return `a ${x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x}`;
  const t = isStr(x.type) ? `type '${x.type.slice(0, 40)}'` : 'no string type';
  return `an object with ${t} and keys [${Object.keys(x).slice(0, 10).join(', ')}]`;
}
