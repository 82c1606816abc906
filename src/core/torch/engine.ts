/**
 * The PyTorch training engine: runs `python/autograd_lens_train.py` (the same file a user can run
 * alone) on data the pipeline has already read and checked, and returns the trained model as the
 * TensorFlow.js engine's `trainMlp` does.
 *
 * Protocol (see the script's docstring): the spec goes in as a JSON file, the columns as float64
 * files named in `columns.json` (`--data-bin`); the script prints JSON lines on stdout (`progress`,
 * `done`, `error`) and stops at the next batch when `cancel` arrives on stdin. Everything lives in a
 * temporary folder that is removed whatever happens, so a cancelled run leaves nothing behind. The
 * script writes the model folder (tfjs layers format + autograd-lens.json) into that temporary folder;
 * it is read back with `loadMlp`, so analysis, the panel and the final save go through the same code
 * whichever engine trained.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EpochProgress, RunStatus, TrainSpec } from '../model/types';
import type { TrainData } from '../model/train';
import { DEFAULT_INIT } from '../model/train';
import { loadMlp, type Mlp } from '../model/mlp';
import { DEFAULT_PYTHON, TRAIN_SCRIPT, pythonEnv, torchScriptDir } from './python';

export interface TorchOptions {
  python?: string;
  /** Folder of the engine's Python files (default: torchScriptDir()). */
  scriptDir?: string;
  /** `auto` (CUDA, else MPS, else CPU), `cpu`, `cuda`, `mps`. */
  device?: string;
  /** CPU threads for PyTorch (0 or absent: PyTorch's default). */
  threads?: number;
  /** How long a cancelled run may take to stop by itself before it is killed (default 15 s). */
  cancelGraceMs?: number;
}

/** What the script says once PyTorch is imported and the device chosen. */
export interface TorchReady {
  torch: string;
  device: string;
  executable: string;
}

/**
 * The interpreter cannot run the engine: it was not found, or it lacks torch or numpy. The message
 * names what to install. (`auto` falls back to TensorFlow.js on this error only.)
 */
export class TorchUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TorchUnavailableError';
  }
}

export interface TorchTrainResult {
  /** Null when the run was cancelled (nothing was kept). */
  model: Mlp | null;
  status: RunStatus;
  history: EpochProgress[];
  backend: string;
  /** CPU and wall seconds of the script's training (from the data in memory to trained weights). */
  seconds?: { cpu: number; wall: number };
  /** CPU seconds of the whole Python process (start, import torch, data, training, saving). */
  processCpu?: number;
}

type ScriptEvent =
  | { type: 'ready'; torch: string; device: string; executable: string }
  | { type: 'unavailable'; message: string }
  | { type: 'progress'; progress: EpochProgress }
  | { type: 'done'; status: RunStatus; modelDir: string | null; backend?: string; seconds?: { cpu: number; wall: number }; processCpu?: number }
  | { type: 'error'; name: string; message: string };

/** Writes the columns as float64 files and `columns.json` naming them (null where a column is absent). */
function writeColumns(dir: string, data: TrainData): void {
  mkdirSync(dir);
  const n = data.x[0]?.length ?? 0;
  let count = 0;
  const put = (a: Float64Array | null): string | null => {
    if (!a) return null;
    const name = `c${count++}.f64`;
    // float64 little-endian, as the script reads it (np.fromfile '<f8'); Node's typed arrays use the
    // host's byte order, little-endian on every platform Node supports for this extension
    writeFileSync(join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return name;
  };
  const desc = { n, x: data.x.map(put), y: data.y.map(put), dy: data.dy.map((row) => row.map(put)) };
  writeFileSync(join(dir, 'columns.json'), JSON.stringify(desc));
}

/** Trains `spec` on `data` (raw units, already validated by the pipeline) with PyTorch. */
export async function trainTorch(
  data: TrainData,
  spec: TrainSpec,
  opts: TorchOptions = {},
  cb: { onProgress?(p: EpochProgress): void; onReady?(r: TorchReady): void; signal?: AbortSignal } = {},
): Promise<TorchTrainResult> {
  const python = opts.python ?? DEFAULT_PYTHON;
  const scriptDir = opts.scriptDir ?? torchScriptDir();
  const work = mkdtempSync(join(tmpdir(), 'autograd-lens-torch-'));
  try {
    const dataDir = join(work, 'data');
    const resultDir = join(work, 'result');
    const specFile = join(work, 'spec.json');
    writeFileSync(specFile, JSON.stringify({ ...spec, init: spec.init ?? DEFAULT_INIT }));
    writeColumns(dataDir, data);
    const args = [join(scriptDir, TRAIN_SCRIPT), specFile, '--protocol', '--data-bin', dataDir, '--out', resultDir, '--device', opts.device ?? 'auto'];
    if (opts.threads && opts.threads > 0) args.push('--threads', String(opts.threads));
    const ev = await runScript(python, args, cb, opts.cancelGraceMs ?? 15_000);
    if (ev.done.status === 'cancelled' || !ev.done.modelDir) {
      return { model: null, status: 'cancelled', history: ev.history, backend: ev.done.backend ?? 'torch', seconds: ev.done.seconds };
    }
    const { model } = await loadMlp(ev.done.modelDir);
    return { model, status: ev.done.status, history: ev.history, backend: ev.done.backend ?? 'torch', seconds: ev.done.seconds, processCpu: ev.done.processCpu };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function runScript(
  python: string,
  args: string[],
  cb: { onProgress?(p: EpochProgress): void; onReady?(r: TorchReady): void; signal?: AbortSignal },
  graceMs: number,
): Promise<{ done: Extract<ScriptEvent, { type: 'done' }>; history: EpochProgress[] }> {
  return new Promise((resolvePromise, reject) => {
    const history: EpochProgress[] = [];
    let done: Extract<ScriptEvent, { type: 'done' }> | null = null;
    let failure: Error | null = null;
    let stderr = '';
    let buf = '';
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const child = spawn(python, args, { env: pythonEnv(), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const onAbort = () => {
      if (child.exitCode !== null) return;
      child.stdin?.write('cancel\n');
      killTimer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    };
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      cb.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      f();
    };
    if (cb.signal?.aborted) onAbort();
    else cb.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdin?.on('error', () => undefined); // the script may have exited already
    child.stdout?.on('data', (b: Buffer) => {
      buf += b.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        let ev: ScriptEvent;
        try {
          ev = JSON.parse(line) as ScriptEvent;
        } catch {
          stderr += `${line}\n`; // a stray print from a user's sitecustomize or similar
          continue;
        }
        if (ev.type === 'ready') {
          cb.onReady?.({ torch: ev.torch, device: ev.device, executable: ev.executable });
        } else if (ev.type === 'unavailable') {
          failure = new TorchUnavailableError(ev.message);
        } else if (ev.type === 'progress') {
          history.push(ev.progress);
          cb.onProgress?.(ev.progress);
        } else if (ev.type === 'done') {
          done = ev;
        } else if (ev.type === 'error') {
          const e = new Error(ev.message);
          e.name = ev.name === 'DataError' || ev.name === 'SpecError' ? 'SpecError' : 'Error';
          failure = e;
        }
      }
    });
    child.stderr?.on('data', (b: Buffer) => {
      stderr += b.toString('utf8');
      if (stderr.length > 20000) stderr = stderr.slice(-20000);
    });
    child.on('error', (e: NodeJS.ErrnoException) =>
      settle(() =>
        reject(
          new TorchUnavailableError(
            e.code === 'ENOENT'
              ? `Python was not found ('${python}'); install Python 3 with PyTorch and NumPy (e.g. pip install torch numpy), or name the interpreter (autogradLens.train.pythonPath, or --python on the command line)`
              : `could not start Python '${python}': ${e.message}`,
          ),
        ),
      ),
    );
    child.on('close', (code, sig) => {
      child.stdin?.destroy();
      settle(() => {
        if (failure) return reject(failure);
        if (done) return resolvePromise({ done, history });
        if (cb.signal?.aborted) return resolvePromise({ done: { type: 'done', status: 'cancelled', modelDir: null }, history });
        const tail = stderr.trim().split('\n').slice(-5).join('\n');
        reject(new Error(`the PyTorch engine stopped unexpectedly (${sig ? `signal ${sig}` : `exit code ${code}`})${tail ? `:\n${tail}` : ''}`));
      });
    });
  });
}
