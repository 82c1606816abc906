/**
 * Shared by the ground-truth tests: interpreter discovery, running fixture scripts, parsing their
 * `GROUND_TRUTH {...}` lines. See docs/ground-truth.md.
 */
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'lint');
export const GT_DIR = path.join(ROOT, 'test', 'ground-truth');

/** Rules whose fixtures carry a ground-truth measurement (TensorFlow/JAX ones are lint-only; so are their `*_jax_tf.py` fixtures). */
export const PYTORCH_CODES = [
  'AGL001', 'AGL002', 'AGL003', 'AGL004', 'AGL005',
  'AGL009', 'AGL010', 'AGL011', 'AGL012', 'AGL013', 'AGL014', 'AGL017', 'AGL018', 'AGL019', 'AGL020', 'AGL023', 'AGL024', 'AGL025', 'AGL026', 'AGL027', 'AGL041', 'AGL042', 'AGL043', 'AGL044', 'AGL046', 'AGL047', 'AGL048', 'AGL055', 'AGL075', 'AGL076', 'AGL080', 'AGL081', 'AGL082', 'AGL085', 'AGL089', 'AGL093', 'AGL097', 'AGL102', 'AGL103', 'AGL104',
];

/** Rules whose JAX/TensorFlow fixtures are lint-only but which also have PyTorch fixtures that run. */
export const PYTORCH_FIXTURES_OF_MIXED_RULES: Record<string, string[]> = {
  AGL022: ['bad_torch.py', 'good_torch.py', 'good_torch_penalty.py', 'good_torch_first_order.py'],
  AGL045: ['bad.py', 'good.py'],
  AGL070: ['bad_zero_grad_clears_backward.py', 'good_zero_grad_placement.py'],
  AGL056: ['bad.py', 'good.py'],
  AGL077: ['bad.py', 'good.py'],
  AGL078: ['bad.py', 'good.py'],
  AGL079: ['bad.py', 'good.py'],
  AGL083: ['bad.py', 'good.py'],
  AGL087: ['bad.py', 'good.py'],
  AGL088: ['bad.py', 'good.py'],
  AGL091: ['bad_torch.py', 'good_torch.py'],
  AGL092: ['bad.py', 'good.py'],
  AGL108: ['bad_torch.py', 'good_torch.py'],
  AGL109: ['bad_torch.py', 'good_torch.py'],
  AGL111: ['bad.py', 'good.py'],
  AGL112: ['bad.py', 'good.py'],
  AGL099: ['bad_torch.py', 'bad_probability.py', 'good_torch.py', 'good_probability.py'],
  AGL095: ['bad_torch.py', 'good_torch.py', 'bad_accumulator.py', 'good_accumulator.py'],
  AGL106: ['bad.py', 'good.py', 'bad_residual.py', 'good_residual.py'],
  AGL107: ['bad.py', 'good.py'],
  AGL113: ['bad_torch.py', 'good_torch.py'],
  AGL114: ['bad_torch.py', 'good_torch.py'],
};

export const CONCURRENCY = 2;
export const SCRIPT_TIMEOUT_MS = 120_000;

export interface GroundTruthRecord {
  case: string;
  misbehaves: boolean | null;
  detail: string;
  error?: string;
}

/** Parse the `GROUND_TRUTH {...}` lines of a fixture's stdout; other lines are ignored. */
export function parseGroundTruth(stdout: string): GroundTruthRecord[] {
  const out: GroundTruthRecord[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (!line.startsWith('GROUND_TRUTH ')) continue;
    const raw: unknown = JSON.parse(line.slice('GROUND_TRUTH '.length));
    if (typeof raw !== 'object' || raw === null) throw new Error(`not an object: ${line}`);
    const r = raw as Record<string, unknown>;
    if (typeof r.case !== 'string' || r.case === '') throw new Error(`missing case name: ${line}`);
    if (typeof r.misbehaves !== 'boolean' && r.misbehaves !== null) throw new Error(`bad verdict: ${line}`);
    out.push({
      case: r.case,
      misbehaves: r.misbehaves as boolean | null,
      detail: typeof r.detail === 'string' ? r.detail : String(r.detail),
      ...(typeof r.error === 'string' ? { error: r.error } : {}),
    });
  }
  return out;
}

export function pickPython(): { python: string; problem?: string } {
  const candidates = process.env.AUTOGRAD_LENS_PYTHON
    ? [process.env.AUTOGRAD_LENS_PYTHON]
    : ['/usr/bin/python3', 'python3'];
  let problem = '';
  for (const python of candidates) {
    try {
      execFileSync(python, ['-c', 'import torch, numpy, sklearn'], { stdio: 'pipe', timeout: 60_000 });
      return { python };
    } catch (e) {
      problem += `${python}: ${(e as Error).message.split('\n')[0]}; `;
    }
  }
  return { python: candidates[0] ?? 'python3', problem };
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  spawnError?: string;
}

export function runScript(python: string, file: string, extraEnv: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      python,
      [file],
      { cwd: ROOT, timeout: SCRIPT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, OMP_NUM_THREADS: '1', ...extraEnv } },
      (err, stdout, stderr) => {
        const code = err && typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number'
          ? ((err as unknown as { code: number }).code)
          : err ? null : 0;
        resolve({
          stdout,
          stderr,
          exitCode: code,
          ...(err && code === null ? { spawnError: err.message } : {}),
        });
      },
    );
  });
}

/** Run `tasks` with at most `limit` in flight; results in input order. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

