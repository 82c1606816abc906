/**
 * Worker-thread entry (bundled to dist/trainWorker.js): runs one training or analysis request off the
 * extension host's thread. Protocol in messages.ts. A `cancel` aborts the training signal; the engine
 * stops within one epoch and nothing is saved (the run ends with status `cancelled`).
 */
import { parentPort } from 'node:worker_threads';
import { DataError } from '../data/errors';
import { PROGRESS_INTERVAL_MS, type WorkerEvent, type WorkerRequest } from './messages';
import type { EpochProgress } from '../model/types';
import { analyzeDerivativesCsv, exportDerivativesCsv, runAnalyze, runTrain } from './run';
import { initBackend, loadMlp } from '../model/index';

const port = parentPort;
const abort = new AbortController();
let busy = false;

function throttledProgress(): (p: EpochProgress) => void {
  let last = -Infinity;
  return (progress) => {
    const now = Date.now();
    if (progress.epoch <= 1 || progress.epoch >= progress.epochs || now - last >= PROGRESS_INTERVAL_MS) {
      last = now;
      post({ type: 'progress', progress });
    }
  };
}

function post(ev: WorkerEvent): void {
  port?.postMessage(ev);
}

function errorEvent(err: unknown): WorkerEvent {
  if (err instanceof DataError) {
    return { type: 'error', name: err.name, message: err.message, file: err.file, row: err.row, column: err.column };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { type: 'error', name: e.name, message: e.message };
}

async function handle(req: WorkerRequest): Promise<void> {
  switch (req.type) {
    case 'cancel':
      abort.abort();
      return;
    case 'train': {
      await initBackend(req.backend ?? 'auto', req.wasmDir);
      const r = await runTrain(
        req.spec,
        {
          signal: abort.signal,
          onProgress: throttledProgress(),
          onWarning: (warning) => post({ type: 'warning', warning }),
          onEngine: (c) => post({ type: 'engine', engine: c.engine, note: c.note }),
        },
        { engine: req.engine ?? 'tfjs', python: req.python },
      );
      post({ type: 'done', report: r.report, series: r.series, status: r.status, history: r.history });
      return;
    }
    case 'analyze': {
      await initBackend(req.backend ?? 'auto', req.wasmDir);
      const r = await runAnalyze(req.modelDir, req.data, req.references, { onWarning: (warning) => post({ type: 'warning', warning }) });
      post({ type: 'done', report: r.report, series: r.series, status: 'completed', history: [] });
      return;
    }
    case 'export': {
      await initBackend(req.backend ?? 'auto', req.wasmDir);
      const { model } = await loadMlp(req.modelDir);
      try {
        post({ type: 'exported', csv: await exportDerivativesCsv(model, req.data) });
      } finally {
        model.dispose();
      }
      return;
    }
    case 'analyzeCsv': {
      const r = await analyzeDerivativesCsv(req.data, { ...req, onWarning: (warning) => post({ type: 'warning', warning }) });
      post({ type: 'done', report: r.report, series: r.series, status: 'completed', history: [] });
      return;
    }
  }
}

port?.on('message', (req: WorkerRequest) => {
  if (req.type === 'cancel') {
    void handle(req);
    return;
  }
  if (busy) {
    post({ type: 'error', name: 'Error', message: 'this worker is already running a request' });
    return;
  }
  busy = true;
  handle(req).then(
    () => {
      busy = false;
    },
    (err: unknown) => {
      busy = false;
      post(errorEvent(err));
    },
  );
});
