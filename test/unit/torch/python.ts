/**
 * Test helper: the interpreter with PyTorch the torch-engine and export tests use (Debian's
 * python3-torch at /usr/bin/python3, which .ci/run installs; AUTOGRAD_LENS_TEST_PYTHON to override),
 * and a way to run a Python snippet that prints JSON.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const TEST_PYTHON = process.env.AUTOGRAD_LENS_TEST_PYTHON ?? '/usr/bin/python3';
export const PYTHON_DIR = join(__dirname, '..', '..', '..', 'python');

/** Runs `code` with TEST_PYTHON (python/ on sys.path) and parses the last line of stdout as JSON. */
export function pyJson<T = unknown>(code: string, args: string[] = [], timeoutMs = 600_000): T {
  const r = spawnSync(TEST_PYTHON, ['-c', code, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, PYTHONPATH: PYTHON_DIR, PYTHONDONTWRITEBYTECODE: '1', OMP_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(`python failed (${r.status ?? r.signal}): ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}
