/**
 * dist/cli.js holds `lint`; `train`/`analyze` and `export` are bundled apart (dist/cliTrain.js, dist/cliExport.js,
 * scripts/cli-bundles.mjs) and loaded only when their command runs. Checks the built files: `lint` does not carry
 * TensorFlow.js or mathjs, the other commands still run from their bundles, and a usage error thrown in one of
 * them (its own copy of CliError) is still reported as a usage error, not as an internal error.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, ensureCli, ROOT } from './helpers';

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('dist/cli.js bundles lint without the training and export code', () => {
  ensureCli();
  const cli = readFileSync(CLI, 'utf8');
  assert.ok(!cli.includes('node_modules/@tensorflow/'), 'TensorFlow.js is bundled into dist/cli.js');
  assert.ok(!cli.includes('node_modules/mathjs/'), 'mathjs is bundled into dist/cli.js');
  for (const b of ['cliTrain.js', 'cliExport.js']) {
    assert.ok(cli.includes(`import("./${b}")`), `dist/cli.js does not load ${b}`);
    assert.ok(statSync(join(ROOT, 'dist', b)).size > 0);
  }
  assert.ok(readFileSync(join(ROOT, 'dist', 'cliTrain.js'), 'utf8').includes('node_modules/@tensorflow/tfjs-core/'));
  const lint = run('lint', '--format', 'json', join(ROOT, 'test/fixtures/lint/AGL001/bad.py'));
  assert.equal(lint.code, 1, lint.err);
  assert.ok(JSON.parse(lint.out).length > 0);
});

test('train, analyze and export run from their own bundles; their usage errors stay usage errors', () => {
  ensureCli();
  for (const [args, message] of [
    [['train', 'data.csv', '--bogus'], /^autograd-lens: train: unknown option '--bogus'/],
    [['train'], /^autograd-lens: train needs exactly one data file/],
    [['analyze', join(ROOT, 'no-such-model-folder'), '--data', 'x.csv'], /no such model folder or file/],
    [['export'], /^autograd-lens: export needs one model folder/],
  ] as const) {
    const r = run(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
    assert.doesNotMatch(r.err, /internal error/);
  }
  assert.match(run('train', '--help').out, /autograd-lens train DATA/);
});
