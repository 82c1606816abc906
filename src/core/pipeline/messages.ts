/** Messages between the training worker (worker.ts) and its client (client.ts). Structured-clone safe. */
import type { AnalysisSeries, DataWarning, EpochProgress, GradColumn, ReferenceExpr, Report, RunStatus, TrainSpec } from '../model/types';
import type { EnginePref } from '../torch/python';

export type BackendPref = 'auto' | 'wasm' | 'node' | 'cpu';

export type WorkerRequest =
  | {
      type: 'train';
      spec: Partial<TrainSpec> & Pick<TrainSpec, 'data' | 'inputs' | 'outputs'>;
      backend?: BackendPref;
      wasmDir?: string;
      /** Training engine (default tfjs); torch runs `python` (default python3 on the PATH). */
      engine?: EnginePref;
      python?: string;
    }
  | { type: 'analyze'; modelDir: string; data: string | null; references: (string | ReferenceExpr)[]; backend?: BackendPref; wasmDir?: string }
  | {
      type: 'analyzeCsv';
      data: string;
      inputs: string[];
      outputs: string[];
      predictionColumns: Record<string, string>;
      derivativeColumns: GradColumn[];
      references: (string | ReferenceExpr)[];
    }
  | { type: 'export'; modelDir: string; data: string; backend?: BackendPref; wasmDir?: string }
  | { type: 'cancel' };

export type WorkerEvent =
  | { type: 'progress'; progress: EpochProgress }
  | { type: 'warning'; warning: DataWarning }
  | { type: 'engine'; engine: 'tfjs' | 'torch'; note: string }
  | { type: 'done'; report: Report; series: AnalysisSeries | null; status: RunStatus; history: EpochProgress[] }
  | { type: 'exported'; csv: string }
  | { type: 'error'; message: string; name: string; file?: string; row?: number; column?: string };

/**
 * Least time between two progress events from the worker. A small model can run thousands of epochs
 * a second; posting each one floods the extension host's event loop (every event updates the run store
 * and the panel), and a flooded host is slow to deliver the user's Cancel. The first and the last epoch
 * always go out; the full history arrives with `done`.
 */
export const PROGRESS_INTERVAL_MS = 50;
