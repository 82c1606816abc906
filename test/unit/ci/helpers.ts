/** Shared by the pre-commit and CI tests: the built CLI, a PATH with `autograd-lens` on it, scratch git repositories. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const CLI = join(ROOT, 'dist', 'cli.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}

/** Builds dist/cli.js when it is missing or older than the sources it bundles. */
export function ensureCli(): void {
  const sources = Math.max(newest(join(ROOT, 'src/core')), newest(join(ROOT, 'src/cli')));
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < sources) {
    const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, `npm run build failed:\n${b.stderr}`);
  }
}

/** A folder with an `autograd-lens` executable that runs this checkout's CLI (what `npm link` gives). */
export function cliOnPath(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const shim = join(bin, 'autograd-lens');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(shim, 0o755);
  return bin;
}

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

export const BUGGY_PY = 'import torch\nx = torch.ones(3, dtype=torch.long, requires_grad=True)\n';

/**
 * A git repository with the demo notebook (two AGL001 findings, in cells 6 and 8), a Python file with a
 * mistake, a correct Python file, and a text file with the same mistake (not Python: never linted).
 */
export function scratchRepo(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'notebooks'), { recursive: true });
  git(repo, 'init', '-q');
  git(repo, 'config', 'user.email', 'test@example.invalid');
  git(repo, 'config', 'user.name', 'test');
  copyFileSync(join(ROOT, 'demo/seed003_gradient_loss.ipynb'), join(repo, 'notebooks/seed003.ipynb'));
  writeFileSync(join(repo, 'buggy.py'), BUGGY_PY);
  writeFileSync(join(repo, 'clean.py'), 'import torch\nx = torch.ones(3, requires_grad=True)\n(x ** 2).sum().backward()\n');
  writeFileSync(join(repo, 'notes.txt'), BUGGY_PY);
  git(repo, 'add', '.');
  return repo;
}
