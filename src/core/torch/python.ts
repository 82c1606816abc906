/**
 * Finding and probing the Python interpreter of the PyTorch engine. No TensorFlow.js and no `vscode`
 * here, so the extension host and the CLI's argument checks can use it.
 *
 * Security: the engine runs a program (the interpreter, with our own script file) on the user's
 * machine. The interpreter path comes from the user (CLI flag, a machine-scoped setting, or the Python
 * extension's choice), never from a workspace file; the training spec reaches Python as JSON data.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type EnginePref = 'auto' | 'tfjs' | 'torch';
export const ENGINES: readonly EnginePref[] = ['auto', 'tfjs', 'torch'];
/** The interpreter used when nobody named one. */
export const DEFAULT_PYTHON = 'python3';
export const TRAIN_SCRIPT = 'autograd_lens_train.py';
export const MODULE_SCRIPT = 'autograd_lens_mlp.py';

export interface TorchProbe {
  ok: boolean;
  python: string;
  /** The interpreter's own path (sys.executable) when it ran. */
  executable?: string;
  torch?: string;
  numpy?: string;
  /** `cuda`, `mps` or `cpu`: what `--device auto` picks there. */
  device?: string;
  /** When !ok: what is missing and what to install, in a sentence. */
  error?: string;
}

/**
 * The folder holding the engine's Python files: `dist/python` beside the bundles, or `python/` of the
 * repository when running from source (tests, benchmarks).
 */
export function torchScriptDir(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [join(here, 'python'), join(here, '..', 'python'), join(here, '..', '..', 'python'), join(here, '..', '..', '..', 'python')];
  for (const c of candidates) if (existsSync(join(c, TRAIN_SCRIPT))) return resolve(c);
  throw new Error(`the PyTorch engine's script ${TRAIN_SCRIPT} was not found (looked in ${candidates.join(', ')})`);
}

/** Environment for the interpreter: unbuffered output, no __pycache__ written into the extension. */
export function pythonEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...extra };
}

const PROBE = [
  'import json, sys',
  'info = {"executable": sys.executable}',
  'try:',
  '    import numpy',
  '    info["numpy"] = numpy.__version__',
  'except Exception as err:',
  '    info["numpyError"] = str(err)',
  'try:',
  '    import torch',
  '    info["torch"] = torch.__version__',
  '    mps = getattr(torch.backends, "mps", None)',
  '    info["device"] = "cuda" if torch.cuda.is_available() else "mps" if mps is not None and mps.is_available() else "cpu"',
  'except Exception as err:',
  '    info["torchError"] = str(err)',
  'print(json.dumps(info))',
].join('\n');

/**
 * Whether `python` runs and can import torch and numpy. Never throws: a failure comes back as
 * `{ ok: false, error }` naming what to install.
 */
export function probeTorch(python: string = DEFAULT_PYTHON, timeoutMs = 60_000): Promise<TorchProbe> {
  return new Promise((resolvePromise) => {
    let out = '';
    let err = '';
    let done = false;
    const finish = (p: TorchProbe) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolvePromise(p);
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(python, ['-c', PROBE], { env: pythonEnv(), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (e) {
      finish({ ok: false, python, error: `could not start Python '${python}': ${(e as Error).message}` });
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ ok: false, python, error: `Python '${python}' did not answer within ${Math.round(timeoutMs / 1000)} s when importing torch` });
    }, timeoutMs);
    child.stdout?.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr?.on('data', (b: Buffer) => (err += b.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) => {
      const what = e.code === 'ENOENT' ? `Python was not found ('${python}')` : `could not start Python '${python}': ${e.message}`;
      finish({ ok: false, python, error: `${what}; install Python 3 with PyTorch and NumPy (e.g. pip install torch numpy), or name the interpreter (autogradLens.train.pythonPath, or --python on the command line)` });
    });
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      let info: Record<string, string> = {};
      try {
        info = JSON.parse(line) as Record<string, string>;
      } catch {
        finish({ ok: false, python, error: `Python '${python}' exited with code ${code} before reporting: ${err.trim().split('\n').pop() ?? ''}` });
        return;
      }
      const missing: string[] = [];
      if (!info.torch) missing.push('torch');
      if (!info.numpy) missing.push('numpy');
      if (missing.length) {
        const why = [info.torchError, info.numpyError].filter(Boolean).join('; ');
        finish({
          ok: false,
          python,
          executable: info.executable,
          torch: info.torch,
          numpy: info.numpy,
          error: `PyTorch training needs ${missing.join(' and ')} in ${info.executable ?? python} (${why}); install ${missing.length > 1 ? 'them' : 'it'} there (e.g. ${info.executable ?? python} -m pip install ${missing.join(' ')}) or choose another interpreter`,
        });
        return;
      }
      finish({ ok: true, python, executable: info.executable, torch: info.torch, numpy: info.numpy, device: info.device });
    });
  });
}

export interface EngineChoice {
  engine: 'tfjs' | 'torch';
  /** One line for the output channel and the report: which engine, and why. */
  note: string;
  probe?: TorchProbe;
}
