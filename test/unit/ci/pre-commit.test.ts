/**
 * The pre-commit hook (`.pre-commit-hooks.yaml`) through Debian's `pre-commit`, offline: the manifest is
 * valid, `pre-commit try-repo` runs the hook of this checkout, and a `.pre-commit-config.yaml` that names
 * a clone of this repository at a commit (what users write with `rev:`) runs it too, with `--fix`.
 * CI installs pre-commit (.ci/run); elsewhere the tests are skipped when it is missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { cliOnPath, ensureCli, git, ROOT, scratchRepo } from './helpers';

const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
const skip = hasPreCommit ? false : 'pre-commit is not installed (apt-get install pre-commit)';
if (!hasPreCommit && process.env.CI) throw new Error('CI must have pre-commit: .ci/run installs it');

before(() => {
  if (hasPreCommit) ensureCli();
});

function preCommit(repo: string, args: string[]): { code: number | null; out: string } {
  const bin = cliOnPath(join(repo, '..'));
  const r = spawnSync('pre-commit', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, PRE_COMMIT_HOME: join(repo, '..', 'cache'), PRE_COMMIT_COLOR: 'never' },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('the hook manifest is valid', { skip }, () => {
  const r = spawnSync('pre-commit', ['validate-manifest', join(ROOT, '.pre-commit-hooks.yaml')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('pre-commit try-repo: the hook fails on the findings in a notebook and a Python file, and reads nothing else', { skip }, () => {
  const repo = scratchRepo('agl-precommit-try-');
  const r = preCommit(repo, ['try-repo', ROOT, 'autograd-lens', '--all-files']);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /autograd-lens\.+Failed/);
  assert.match(r.out, /^notebooks\/seed003\.ipynb:cell 6:3:12: AGL001 /m);
  assert.match(r.out, /^notebooks\/seed003\.ipynb:cell 8:3:5: AGL001 /m);
  assert.match(r.out, /^buggy\.py:2:5: AGL012 /m);
  assert.doesNotMatch(r.out, /notes\.txt|clean\.py:/);
  assert.match(r.out, /Found 3 problems in 3 files\./);
});

test('a .pre-commit-config.yaml naming this repository at a commit runs the hook; with --fix the notebook cell is fixed', { skip }, () => {
  const repo = scratchRepo('agl-precommit-rev-');
  const rev = git(ROOT, 'rev-parse', 'HEAD');
  const config = (args: string) => `repos:\n  - repo: ${ROOT}\n    rev: ${rev}\n    hooks:\n      - id: autograd-lens\n${args}`;
  writeFileSync(join(repo, '.pre-commit-config.yaml'), config(''));
  git(repo, 'add', '.pre-commit-config.yaml');
  const check = preCommit(repo, ['run', '--all-files']);
  assert.equal(check.code, 1, check.out);
  assert.match(check.out, /notebooks\/seed003\.ipynb:cell 6:3:12: AGL001 /);

  const before = readFileSync(join(repo, 'notebooks/seed003.ipynb'), 'utf8');
  writeFileSync(join(repo, '.pre-commit-config.yaml'), config('        args: [--fix]\n'));
  git(repo, 'add', '.pre-commit-config.yaml');
  const fix = preCommit(repo, ['run', '--all-files']);
  assert.equal(fix.code, 1, fix.out); // pre-commit fails a run that modified files
  assert.match(fix.out, /files were modified by this hook/);
  const after = readFileSync(join(repo, 'notebooks/seed003.ipynb'), 'utf8');
  assert.equal(after, before.replace('torch.autograd.grad(model(x).sum(), x)[0]', 'torch.autograd.grad(model(x).sum(), x, create_graph=True)[0]'));
  // The fixed notebook passes now.
  git(repo, 'add', '.');
  const again = preCommit(repo, ['run', '--files', 'notebooks/seed003.ipynb']);
  assert.equal(again.code, 0, again.out);
  assert.match(again.out, /autograd-lens\.+Passed/);
});
