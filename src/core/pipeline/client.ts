/**
 * Promise API over the training worker, for the VS Code commands (and anything else that must keep
 * its thread free): start a worker, stream progress and warnings, get the result, cancel.
 * Each call starts its own worker and terminates it when the request is over.
 */
import { Worker } from 'node:worker_threads';
import type { AnalysisSeries, DataWarning, EpochProgress, Report, RunStatus, TrainSpec } from '../model/types';
import { resolve } from 'node:path';
import { DataError } from '../data/errors';
import { releaseLockOfThread } from '../model/folder';
import { defaultOutDir } from './defaults';
import type { BackendPref, WorkerEvent, WorkerRequest } from './messages';
import type { EnginePref } from '../torch/python';

export interface WorkerHandlers {
  onProgress?(p: EpochProgress): void;
  onWarning?(w: DataWarning): void;
  /** Which training engine runs, and why (train requests, before the first epoch). */
  onEngine?(engine: 'tfjs' | 'torch', note: string): void;
}

export interface WorkerResult {
  report: Report;
  series: AnalysisSeries | null;
  status: RunStatus;
  history: EpochProgress[];
}

export interface WorkerRun {
  done: Promise<WorkerResult>;
  /** Ask the worker to stop; `done` then resolves with status `cancelled` (nothing saved). */
  cancel(): void;
}

/** How long a cancelled worker gets to stop by itself before it is terminated. */
export const CANCEL_GRACE_MS = 15000;

/** Errors from the worker keep their kind: a DataError arrives as a DataError with file/row/column. */
function toError(ev: Extract<WorkerEvent, { type: 'error' }>): Error {
  if (ev.name === 'DataError' && ev.file !== undefined) {
    const e = new DataError(ev.file, '', { row: ev.row, column: ev.column });
    e.message = ev.message;
    return e;
  }
  const e = new Error(ev.message);
  e.name = ev.name;
  return e;
}

type RunRequest = Exclude<WorkerRequest, { type: 'cancel' } | { type: 'export' }>;

/** Start a worker for one train / analyze / analyzeCsv request. */
export function startWorker(workerPath: string, request: RunRequest, handlers: WorkerHandlers = {}): WorkerRun {
  const worker = new Worker(workerPath);
  const tid = worker.threadId; // -1 once the thread has stopped
  // A training worker holds its output folder's lock; one that is terminated cannot release it.
  const outDir = request.type === 'train' ? resolve(request.spec.outDir || defaultOutDir(request.spec.data)) : null;
  worker.once('exit', () => {
    if (outDir) releaseLockOfThread(outDir, tid);
  });
  let settled = false;
  let cancelled = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const done = new Promise<WorkerResult>((resolve, reject) => {
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      if (graceTimer) clearTimeout(graceTimer);
      f();
      void worker.terminate();
    };
    worker.on('message', (ev: WorkerEvent) => {
      switch (ev.type) {
        case 'progress':
          handlers.onProgress?.(ev.progress);
          break;
        case 'warning':
          handlers.onWarning?.(ev.warning);
          break;
        case 'engine':
          handlers.onEngine?.(ev.engine, ev.note);
          break;
        case 'done':
          finish(() => resolve({ report: ev.report, series: ev.series, status: ev.status, history: ev.history }));
          break;
        case 'error':
          finish(() => reject(toError(ev)));
          break;
        case 'exported':
          finish(() => reject(new Error('unexpected export result')));
          break;
      }
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => {
      if (settled) return;
      if (cancelled) {
        finish(() =>
          resolve({
            report: { inputs: [], outputs: [], value: {}, derivatives: {}, warnings: [], modelDir: null, status: 'cancelled' },
            series: null,
            status: 'cancelled',
            history: [],
          }),
        );
      } else {
        finish(() => reject(new Error(`the training worker stopped unexpectedly (exit code ${code})`)));
      }
    });
  });
  worker.postMessage(request);
  return {
    done,
    cancel() {
      if (settled || cancelled) return;
      cancelled = true;
      worker.postMessage({ type: 'cancel' } satisfies WorkerRequest);
      graceTimer = setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS);
    },
  };
}

/** Train in a worker thread. `workerPath` is dist/trainWorker.js. */
export function startTrainingWorker(
  workerPath: string,
  spec: Partial<TrainSpec> & Pick<TrainSpec, 'data' | 'inputs' | 'outputs'>,
  handlers: WorkerHandlers = {},
  opts: { backend?: BackendPref; wasmDir?: string; engine?: EnginePref; python?: string } = {},
): WorkerRun {
  return startWorker(workerPath, { type: 'train', spec, ...opts }, handlers);
}

/**
 * A saved model's predictions and every dY/dX at the points of a CSV, as CSV text, computed in a
 * worker (the extension host never loads TensorFlow.js).
 */
export function exportDerivativesInWorker(
  workerPath: string,
  modelDir: string,
  dataPath: string,
  opts: { backend?: BackendPref; wasmDir?: string } = {},
): Promise<string> {
  const worker = new Worker(workerPath);
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (ev: WorkerEvent) => {
      if (ev.type === 'exported') finish(() => resolve(ev.csv));
      else if (ev.type === 'error') finish(() => reject(toError(ev)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the worker stopped unexpectedly (exit code ${code})`))));
    worker.postMessage({ type: 'export', modelDir, data: dataPath, ...opts } satisfies WorkerRequest);
  });
}
