/**
 * `autograd-lens lint --jobs N` (src/cli/lintPool.ts): worker threads give exactly the output of one thread —
 * stdout in every format, stderr line for line, the exit status, and with --fix the same files written — on
 * a folder of the lint fixtures plus the awkward cases (a broken pyproject.toml under several files, one
 * that selects rules, encodings, notebooks good and bad, a file that does not parse, one that cannot be
 * decoded). A worker that dies loses only the file it was on (AGL000), and a new one takes over.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { parseLintArgs, type Totals } from '../../../src/cli/lint';
import { freeCores, lintInPool, parseJobs } from '../../../src/cli/lintPool';
import { collectFiles } from '../../../src/cli/walk';
import { bundleForNode } from '../pipeline/bundle';
import { ROOT } from './helpers';

const CLI = join(ROOT, 'dist', 'cli.js');
const POOL_WORKER = join(ROOT, 'out', 'test-lint-pool', 'lintPoolWorker.js');
const SEED003 = readFileSync(join(ROOT, 'test/fixtures/lint-engine/AGL001/seed003_jacobian_requires_grad.py'), 'utf8');

let dir: string;

function run(args: string[], cwd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 300_000, maxBuffer: 1 << 28 });
  return { code: r.status, out: String(r.stdout), err: String(r.stderr) };
}

/** Every file under `d` (relative path → bytes), to compare trees after --fix. */
function tree(d: string, base = d, out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(d).sort()) {
    const p = join(d, e);
    if (statSync(p).isDirectory()) tree(p, base, out);
    else out.set(relative(base, p), readFileSync(p).toString('base64'));
  }
  return out;
}

/** The lint fixtures and notebooks, plus the cases where one thread's bookkeeping matters. */
function makeTree(at: string): void {
  mkdirSync(at, { recursive: true });
  cpSync(join(ROOT, 'test/fixtures/lint'), join(at, 'lint'), { recursive: true });
  cpSync(join(ROOT, 'test/fixtures/lint-engine'), join(at, 'lint-engine'), { recursive: true });
  cpSync(join(ROOT, 'test/fixtures/notebooks'), join(at, 'notebooks'), { recursive: true });
  // A broken pyproject.toml above several files: reported once, by the first of them in walk order.
  mkdirSync(join(at, 'broken/sub'), { recursive: true });
  writeFileSync(join(at, 'broken/pyproject.toml'), '[tool.autograd-lens\n');
  for (const n of ['a.py', 'b.py', 'sub/c.py', 'sub/d.py']) writeFileSync(join(at, 'broken', n), SEED003);
  // A pyproject.toml that selects one rule.
  mkdirSync(join(at, 'only001'));
  writeFileSync(join(at, 'only001/pyproject.toml'), '[tool.autograd-lens]\nselect = ["AGL001"]\n');
  writeFileSync(join(at, 'only001/x.py'), SEED003);
  // Encodings: a latin-1 cookie, a UTF-16 file (a note), bytes that are not UTF-8 (not linted).
  writeFileSync(join(at, 'latin1.py'), Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\n# caf'), Buffer.from([0xe9]), Buffer.from(`\n${SEED003}`)]));
  writeFileSync(join(at, 'utf16.py'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SEED003, 'utf16le')]));
  writeFileSync(join(at, 'not-utf8.py'), Buffer.from([0x69, 0x6d, 0x70, 0x6f, 0x72, 0x74, 0x20, 0x74, 0x6f, 0x72, 0x63, 0x68, 0x0a, 0xff, 0xfe, 0x0a]));
  // A helper whose finding another file's use reveals (reported in the helper too, whichever thread linted which).
  mkdirSync(join(at, 'reveal'));
  writeFileSync(join(at, 'reveal/conversions.py'), ['import torch', '', '', 'def safe_dir(v):', '    n = torch.sqrt((v * v).sum(-1, keepdim=True))', '    return torch.where(n > 0, v / n, torch.zeros_like(v))', ''].join('\n'));
  writeFileSync(join(at, 'reveal/train.py'), ['import torch', 'from conversions import safe_dir', '', 'v = torch.zeros(4, 3, requires_grad=True)', 'safe_dir(v).sum().backward()', ''].join('\n'));
  // Notebooks: not JSON, and an R kernel (skipped with a note).
  writeFileSync(join(at, 'broken.ipynb'), '{"cells": [');
  writeFileSync(join(at, 'r-kernel.ipynb'), JSON.stringify({ cells: [{ cell_type: 'code', source: ['x <- 1\n'], metadata: {}, outputs: [], execution_count: null }], metadata: { kernelspec: { language: 'R', name: 'ir' } }, nbformat: 4, nbformat_minor: 5 }));
}

before(async () => {
  const newest = ['src/cli/lint.ts', 'src/cli/lintPool.ts', 'src/cli/lintPoolWorker.ts', 'src/core/lint/index.ts', 'src/core/lint/analysis/values.ts'].map((f) => statSync(join(ROOT, f)).mtimeMs);
  if (!existsSync(CLI) || !existsSync(join(ROOT, 'dist/lintPoolWorker.js')) || statSync(CLI).mtimeMs < Math.max(...newest)) {
    const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, `npm run build failed:\n${b.stderr}`);
  }
  await bundleForNode('src/cli/lintPoolWorker.ts', POOL_WORKER);
  dir = mkdtempSync(join(tmpdir(), 'agl-cli-pool-'));
  makeTree(join(dir, 'tree'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('--jobs: stdout, stderr and exit status are those of one thread (sarif and text)', () => {
  const one = run(['lint', '--format', 'sarif', '--jobs', '1', 'tree'], dir);
  const three = run(['lint', '--format', 'sarif', '--jobs', '3', 'tree'], dir);
  // The run has everything: findings, a syntax error, notes, problems (so status 2), a broken config once.
  assert.equal(one.code, 2, one.err);
  assert.match(one.err, /broken\/pyproject\.toml(?::\d+:\d+)?: invalid TOML/);
  assert.equal(one.err.match(/pyproject\.toml(?::\d+:\d+)?: invalid TOML/g)?.length, 1);
  assert.match(one.err, /note: tree\/utf16\.py/);
  assert.match(one.err, /not-utf8\.py: cannot decode/);
  assert.match(one.err, /broken\.ipynb/);
  assert.match(one.err, /r-kernel\.ipynb: the kernel language is r/);
  const sarif = JSON.parse(one.out);
  assert.ok(sarif.runs[0].results.length > 50, 'the fixtures have findings');
  assert.ok(sarif.runs[0].results.some((r: { properties?: object }) => r.properties && 'notebook' in r.properties), 'a notebook finding');
  const inHelper = sarif.runs[0].results.filter((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('reveal/conversions.py'));
  assert.equal(inHelper.length, 1, 'the finding train.py reveals in conversions.py');
  assert.equal(three.code, one.code);
  assert.equal(three.err, one.err);
  assert.equal(three.out, one.out);

  const text1 = run(['lint', '--jobs', '1', 'tree'], dir);
  const text2 = run(['lint', '--jobs', '2', 'tree'], dir);
  assert.match(text1.out, /SyntaxError/);
  assert.match(text1.out, /Found \d+ problems in \d+ files\./);
  assert.deepEqual(text2, text1);
});

test('--jobs with --fix: the same files are written, the same output', () => {
  makeTree(join(dir, 'fix1'));
  makeTree(join(dir, 'fix3'));
  const before = tree(join(dir, 'fix1'));
  const one = run(['lint', '--format', 'json', '--fix', '--jobs', '1', '.'], join(dir, 'fix1'));
  const three = run(['lint', '--format', 'json', '--fix', '--jobs', '3', '.'], join(dir, 'fix3'));
  assert.match(one.err, /fixed [1-9]\d* problems/);
  // Messages about the pyproject.toml name it by its absolute path, in its own copy of the tree.
  assert.deepEqual({ ...three, err: three.err.replaceAll(join(dir, 'fix3'), join(dir, 'fix1')) }, one);
  const after1 = tree(join(dir, 'fix1'));
  const after3 = tree(join(dir, 'fix3'));
  assert.notDeepEqual(after1, before, 'fixes were written');
  assert.deepEqual([...after3.keys()], [...after1.keys()], 'no temporary file left behind');
  for (const [k, v] of after1) assert.equal(after3.get(k), v, k);
  // Files that cannot be decoded, or are no Python notebooks, are byte for byte what they were.
  for (const k of ['not-utf8.py', 'broken.ipynb', 'r-kernel.ipynb']) assert.equal(after3.get(k), before.get(k), k);
});

test('a worker that dies loses only its file: AGL000 on it, the others as one thread gives them', async () => {
  const err: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  try {
    const o = parseLintArgs(['--format', 'json', join(dir, 'tree/lint')]);
    const files = collectFiles(o.paths, { followSymlinks: false }).files;
    assert.ok(files.length > 10);
    // The largest file whose base name no other file has (the hook matches base names): the pool hands
    // out the largest first, so files are still waiting when its worker dies.
    const base = (f: { path: string }) => f.path.split(/[\\/]/).pop() as string;
    const unique = files.filter((f) => files.filter((g) => base(g) === base(f)).length === 1);
    const victimName = base(unique.reduce((a, b) => (statSync(b.real).size > statSync(a.real).size ? b : a)));
    const totals = (): Totals => ({ brokenConfigs: new Set(), fixed: 0, problems: [], internal: 0, notes: [] });
    process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
    const reference = await lintInPool(files, o, {}, totals(), 2, { script: POOL_WORKER });
    err.length = 0;
    const started: number[] = [];
    const crashed = await lintInPool(files, o, {}, totals(), 2, { script: POOL_WORKER, crashOn: victimName, onWorkerStart: (id) => started.push(id) });
    process.stderr.write = write;
    assert.equal(crashed.length, reference.length);
    for (let i = 0; i < reference.length; i++) {
      if (base({ path: reference[i].file }) === victimName) {
        assert.deepEqual(crashed[i].findings.map((f) => f.code), ['AGL000']);
        assert.match(crashed[i].findings[0].message, /lint worker thread stopped while linting this file \(exit code 70\)/);
      } else assert.deepEqual(crashed[i], reference[i], reference[i].file);
    }
    assert.equal(err.filter((l) => l.includes('lint worker thread stopped')).length, 1);
    assert.ok(started.length >= 3, `a worker was started in place of the one that died (${started.length} started)`);
  } finally {
    process.stderr.write = write;
  }
});

test('--jobs takes a positive whole number or auto', () => {
  assert.equal(parseJobs('auto'), null);
  assert.equal(parseJobs('4'), 4);
  for (const bad of ['0', '-1', '1.5', 'two', '1000']) assert.throws(() => parseJobs(bad), /--jobs must be/);
  const r = run(['lint', '--jobs', '0', 'tree'], dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /--jobs must be a whole number/);
});

test('auto --jobs counts free cores: the cores less the load average, at least one', () => {
  assert.equal(freeCores(2, 0), 2);
  assert.equal(freeCores(2, 0.4), 2);
  assert.equal(freeCores(2, 0.6), 1);
  assert.equal(freeCores(2, 9.5), 1, 'a busy machine lints in one thread');
  assert.equal(freeCores(8, 3.2), 5);
  assert.equal(freeCores(4, -1), 4, 'never more than the cores');
});
