/**
 * Seed 003 end to end with real PyTorch: the demo's script does not train (the loss stays where it
 * started); after `applyFixes` with safe fixes only (what `lint --fix` and "Fix all" apply) it trains.
 * The epochs are cut to 150 for time; the loss is read from the script's own prints.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { applyFixes, createLinter } from '../../../src/core/lint/index';
import { pickPython, ROOT, runScript } from './helpers';

const { python, problem } = pickPython();
const unavailable = problem !== undefined;

function losses(stdout: string): number[] {
  return [...stdout.matchAll(/^epoch \d+ loss (?:tensor\()?([-\d.e+]+)/gm)].map((m) => Number(m[1]));
}

test('seed 003: the safe fix makes the loss fall (PyTorch)', { skip: unavailable && !process.env.CI }, async () => {
  assert.ok(!unavailable, `no usable Python interpreter: ${problem}`);
  const source = readFileSync(path.join(ROOT, 'demo', 'seed003_gradient_loss.py'), 'utf8').replace('while epoch < 1000:', 'while epoch < 150:');
  const linter = await createLinter();
  const fixed = applyFixes(source, linter.lint(source)).output;
  assert.notEqual(fixed, source, 'a safe fix applies');
  assert.deepEqual(linter.lint(fixed).filter((d) => d.code === 'AGL001'), []);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autograd-lens-seed003-'));
  try {
    writeFileSync(path.join(dir, 'before.py'), source);
    writeFileSync(path.join(dir, 'after.py'), fixed);
    const before = losses((await runScript(python, path.join(dir, 'before.py'))).stdout);
    const after = losses((await runScript(python, path.join(dir, 'after.py'))).stdout);
    assert.ok(before.length > 100 && after.length > 100, `losses printed: ${before.length}, ${after.length}`);
    assert.equal(before.at(-1), before[0], `unfixed: the loss does not move (${before[0]} -> ${before.at(-1)})`);
    assert.ok(after.at(-1)! < after[0] / 2, `fixed: the loss falls (${after[0]} -> ${after.at(-1)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
