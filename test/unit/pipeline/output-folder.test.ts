/**
 * The training's output folder under concurrent runs, kills and bad places, and the CLI's messages for
 * bad model files and references. Unit tests of src/core/model/folder.ts, then the bundled CLI spawned
 * as processes (built like scripts/build.mjs builds dist/cli.js, into out/test-cli-output/).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { acquireOutputLock, lockPathOf, ModelFileError, recoverOutputFolder, releaseLockOfThread, writeFolderAtomically } from '../../../src/core/model/folder';
import { bundleForNode, root } from './bundle';
import { writeSeeds } from '../../fixtures/data/seeds';

const cli = join(root, 'out', 'test-cli-output', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'agl-out-'));
const isRoot = process.getuid?.() === 0;
let files: Record<string, string>;

before(async () => {
  chmodSync(dir, 0o755);
  await bundleForNode('src/cli/main.ts', cli);
  files = writeSeeds(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], opts: { uid?: number; gid?: number } = {}) {
  // As another user (nobody), run a copy of the bundle: the checkout may be private (a temporary clone).
  let bin = cli;
  if (opts.uid !== undefined) {
    const pub = mkdtempSync(join(tmpdir(), 'agl-cli-copy-'));
    chmodSync(pub, 0o755);
    bin = join(pub, 'cli.js');
    copyFileSync(cli, bin);
    chmodSync(bin, 0o644);
  }
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000, ...opts });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const MARKER = 'autograd-lens.json';
const OWN = ['model.json', 'weights.bin', MARKER];
const siblings = (target: string): string[] => readdirSync(join(target, '..')).filter((n) => n.startsWith(`.${target.split('/').pop()}.`));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A Node child running TypeScript from the repository (tsx), with stdin kept open. */
function tsChild(code: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', '-e', code], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
}

test('the lock: another process is refused with its pid; a dead holder is taken over; re-entrant here', async () => {
  const target = join(dir, 'locked');
  const child = tsChild(`
    const { acquireOutputLock } = require('./src/core/model/folder');
    acquireOutputLock(${JSON.stringify(target)});
    process.stdout.write('locked\\n');
    process.stdin.resume();
  `);
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  await waitFor(() => out.includes('locked'), 60_000, 'the child to take the lock');
  assert.throws(
    () => acquireOutputLock(target),
    (e: unknown) => e instanceof ModelFileError && new RegExp(`another training is writing to '${target}' \\(process ${child.pid},`).test(e.message) && e.message.includes(lockPathOf(target)),
  );
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  assert.ok(existsSync(lockPathOf(target)), 'a killed holder leaves its lock file');
  const lock = acquireOutputLock(target);
  const again = acquireOutputLock(target); // the same thread may take it again (a training that saves)
  again.release();
  assert.ok(existsSync(lockPathOf(target)), 'still held by the outer holder');
  lock.release();
  assert.ok(!existsSync(lockPathOf(target)), 'released');
});

test('a lock left by a terminated worker thread of this process is removed by whoever terminated it', async () => {
  const { Worker } = await import('node:worker_threads');
  const target = join(dir, 'worker-lock');
  // A worker thread of this process that takes the lock (TypeScript loaded through tsx's require hook).
  const w = new Worker(
    `require(${JSON.stringify(join(root, 'node_modules/tsx/dist/cjs/api/index.cjs'))}).register();
     const { acquireOutputLock } = require(${JSON.stringify(join(root, 'src/core/model/folder.ts'))});
     acquireOutputLock(${JSON.stringify(target)});
     require('node:worker_threads').parentPort.postMessage('locked');
     setInterval(() => {}, 1000);`,
    { eval: true },
  );
  const tid = w.threadId;
  await new Promise((r) => w.once('message', r));
  assert.throws(() => acquireOutputLock(target), /another training is writing to .* \(process \d+,/, 'held by a live thread of this very process');
  releaseLockOfThread(target, tid + 1000); // not that thread: kept
  assert.ok(existsSync(lockPathOf(target)));
  await w.terminate();
  releaseLockOfThread(target, tid);
  assert.ok(!existsSync(lockPathOf(target)));
  acquireOutputLock(target).release();
});

test('the lock is never empty: it appears complete (a draft linked in place); drafts of dead processes are removed', async () => {
  const target = join(dir, 'drafts');
  // What a process killed between writing its draft and linking it leaves: a complete draft, no lock.
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout);
  const draft = `${lockPathOf(target)}-${deadPid}-0-x-y`;
  writeFileSync(draft, JSON.stringify({ pid: deadPid, threadId: 0, host: hostname(), started: new Date().toISOString(), token: `${deadPid}-0-x-y` }));
  const lock = acquireOutputLock(target);
  try {
    assert.equal(existsSync(draft), false, 'the dead process\'s draft is removed');
    const info = JSON.parse(readFileSync(lockPathOf(target), 'utf8'));
    assert.equal(info.pid, process.pid, 'the lock file is complete from the moment it exists');
    assert.deepEqual(siblings(target), [`.drafts.lock`], 'no draft of its own left beside the lock');
  } finally {
    lock.release();
  }
  assert.deepEqual(siblings(target), []);
});

test('recovery: stale temporaries removed; a previous model set aside by a crash is restored', async () => {
  const target = join(dir, 'crashed');
  await writeFolderAtomically(target, [{ name: MARKER, data: '{"v":1}' }, { name: 'weights.bin', data: 'AAAA' }], { markerFile: MARKER, ownFiles: OWN });
  // The state a crash between the two renames leaves: the old folder aside, a complete new one in tmp.
  const { renameSync } = await import('node:fs');
  renameSync(target, join(dir, '.crashed.old-1-a'));
  mkdirSync(join(dir, '.crashed.tmp-1-a'));
  writeFileSync(join(dir, '.crashed.tmp-1-a', MARKER), '{"v":2}');
  mkdirSync(join(dir, '.crashed.tmp-999-b')); // and a save killed while writing
  const lock = acquireOutputLock(target);
  try {
    const notes = await recoverOutputFolder(target);
    assert.equal(notes.length, 3, notes.join('\n'));
  } finally {
    lock.release();
  }
  assert.equal(readFileSync(join(target, MARKER), 'utf8'), '{"v":1}', 'the previous model is back');
  assert.deepEqual(siblings(target), []);
});

test('killed at random instants while saving, the folder always recovers to one complete version', async () => {
  const target = join(dir, 'killed');
  let seed = 7;
  const versions = new Set<number>();
  for (let round = 0; round < 5; round++) {
    const child = tsChild(`
      const { writeFolderAtomically } = require('./src/core/model/folder');
      (async () => {
        for (let v = ${round * 1000 + 1}; ; v++) {
          const big = Buffer.alloc(2 * 1024 * 1024, v % 251);
          await writeFolderAtomically(${JSON.stringify(target)}, [
            { name: 'model.json', data: JSON.stringify({ v }) },
            { name: 'weights.bin', data: big },
            { name: '${MARKER}', data: JSON.stringify({ v }) },
          ], { markerFile: '${MARKER}', ownFiles: ${JSON.stringify(OWN)} });
          if (v === ${round * 1000 + 2}) process.stdout.write('saving\\n');
        }
      })();
    `);
    let out = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    await waitFor(() => out.includes('saving'), 120_000, 'the child to save twice');
    seed = (seed * 1103515245 + 12345) >>> 0;
    await sleep(seed % 300);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // What the next run does: take over the dead holder's lock, recover, then read.
    const lock = acquireOutputLock(target);
    try {
      await recoverOutputFolder(target);
    } finally {
      lock.release();
    }
    const meta = JSON.parse(readFileSync(join(target, MARKER), 'utf8')).v as number;
    const model = JSON.parse(readFileSync(join(target, 'model.json'), 'utf8')).v as number;
    const weights = readFileSync(join(target, 'weights.bin'));
    assert.equal(model, meta, 'model.json and the metadata are of one version');
    assert.equal(weights.length, 2 * 1024 * 1024, 'weights complete');
    assert.ok(weights.every((b) => b === meta % 251), 'weights of the same version');
    assert.ok(meta > round * 1000, 'a version written in this round');
    assert.deepEqual(siblings(target), [], 'no lock, temporary or set-aside folder left');
    versions.add(meta);
  }
  assert.equal(versions.size, 5);
});

test('--out is checked before training: a file, a folder of other things, a read-only place', () => {
  const missingData = join(dir, 'no-such-data.csv'); // were the data read first, this would be the error
  writeFileSync(join(dir, 'a-file'), 'x');
  mkdirSync(join(dir, 'thesis'));
  writeFileSync(join(dir, 'thesis', 'thesis.tex'), 'precious');
  const cases: [string, RegExp][] = [
    [join(dir, 'a-file'), /it exists and is not a folder; choose another --out/],
    [join(dir, 'thesis'), /not empty and holds no autograd-lens\.json.*choose another --out/],
  ];
  for (const [out, pattern] of cases) {
    const r = run(['train', missingData, '--inputs', 'x', '--outputs', 'y', '--out', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  }
  assert.equal(readFileSync(join(dir, 'thesis', 'thesis.tex'), 'utf8'), 'precious');
  const ro = join(dir, 'read-only');
  mkdirSync(ro);
  chmodSync(ro, 0o555);
  const r = run(['train', missingData, '--inputs', 'x', '--outputs', 'y', '--out', join(ro, 'model')], isRoot ? { uid: 65534, gid: 65534 } : {});
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /cannot (write the model to|create the folder for the model) .*permission denied.*choose another --out/);
  assert.doesNotMatch(r.stderr, /internal error|file not found/);
});

test('two trainings into one --out: the second fails at once, naming the first; Ctrl-C stops the first cleanly', async () => {
  const out = join(dir, 'shared');
  const first = spawn(process.execPath, [cli, 'train', files.seed000, '--inputs', 'x', '--outputs', 'y', '--epochs', '100000', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  first.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  await waitFor(() => /epoch \d+\/100000/.test(err), 120_000, 'the first training to start');
  const t0 = Date.now();
  const second = run(['train', files.seed000, '--inputs', 'x', '--outputs', 'y', '--epochs', '5', '--out', out]);
  assert.equal(second.code, 2, second.stderr);
  assert.match(second.stderr, new RegExp(`another training is writing to '${out}' \\(process ${first.pid},`));
  const refusedIn = Date.now() - t0;
  const exited = new Promise<number | null>((r) => first.once('exit', (code) => r(code)));
  const tInt = Date.now();
  first.kill('SIGINT');
  const code = await exited;
  const stopIn = Date.now() - tInt;
  assert.equal(code, 130, err);
  assert.match(err, /cancelling: stopping within an epoch/);
  assert.ok(!existsSync(out), 'nothing saved');
  assert.deepEqual(siblings(out), [], 'no lock, no temporary folder');
  // Ratios rather than absolute times: refusing is about one process start, stopping within an epoch.
  process.stderr.write(`# refused in ${refusedIn} ms; Ctrl-C honoured in ${stopIn} ms\n`);
  assert.ok(stopIn < 30_000, `Ctrl-C took ${stopIn} ms`);
});

test('Ctrl-C while replacing an existing model leaves it byte-identical', async () => {
  const out = join(dir, 'keep');
  assert.equal(run(['train', files.seed000, '--inputs', 'x', '--outputs', 'y', '--epochs', '5', '--out', out]).code, 0);
  const before = Object.fromEntries(readdirSync(out).map((n) => [n, readFileSync(join(out, n))]));
  const p = spawn(process.execPath, [cli, 'train', files.seed000, '--inputs', 'x', '--outputs', 'y', '--epochs', '100000', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  await waitFor(() => /epoch \d+\/100000/.test(err), 120_000, 'training to start');
  const exited = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
  p.kill('SIGINT');
  assert.equal(await exited, 130);
  for (const [n, bytes] of Object.entries(before)) assert.deepEqual(readFileSync(join(out, n)), bytes, n);
  assert.deepEqual(siblings(out), []);
});

test('three trainings at once: each succeeds or is refused clearly; one model, nothing left over', async () => {
  const out = join(dir, 'three');
  const runs = [0, 1, 2].map(
    (i) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, [cli, 'train', files.seed000, '--inputs', 'x', '--outputs', 'y', '--epochs', '30', '--seed', String(i), '--out', out, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        p.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
        p.once('exit', (code) => resolve({ code, stderr }));
      }),
  );
  const results = await Promise.all(runs);
  for (const r of results) {
    assert.ok(r.code === 0 || (r.code === 2 && /another training is writing to/.test(r.stderr)), `exit ${r.code}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /internal error|ENOTEMPTY/);
  }
  assert.ok(results.some((r) => r.code === 0));
  assert.equal(run(['analyze', out, '--json']).code, 0, 'the model folder loads');
  assert.deepEqual(siblings(out), []);
});

test('a training killed with SIGKILL: the next one takes over its lock and removes its temporaries', async () => {
  const out = join(dir, 'victim');
  const p = spawn(process.execPath, [cli, 'train', files.seed000, '--inputs', 'x', '--outputs', 'y', '--epochs', '100000', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  await waitFor(() => /epoch \d+\//.test(err), 120_000, 'training to start');
  p.kill('SIGKILL');
  await new Promise((r) => p.once('exit', r));
  mkdirSync(join(dir, '.victim.tmp-12345-x')); // what a kill during a save leaves
  writeFileSync(join(dir, '.victim.tmp-12345-x', 'weights.bin'), Buffer.alloc(1024));
  const r = run(['train', files.seed000, '--inputs', 'x', '--outputs', 'y', '--epochs', '5', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(r.stdout) as { warnings: { code: string; message: string }[] };
  assert.ok(rep.warnings.some((w) => w.code === 'output-recovered' && /removed \.victim\.tmp-12345-x/.test(w.message)));
  assert.deepEqual(siblings(out), []);
});

test('truncated or damaged model files: exit 2, the file named, no stack trace', () => {
  const out = join(dir, 'damaged');
  assert.equal(run(['train', files.seed000, '--inputs', 'x', '--outputs', 'y', '--epochs', '5', '--out', out]).code, 0);
  const weights = join(out, 'weights.bin');
  const size = statSync(weights).size;
  truncateSync(weights, size - 7);
  let r = run(['analyze', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`${weights.replace(/[.]/g, '\\.')} is truncated: ${(size - 7).toLocaleString('en-US')} bytes where model\\.json describes ${size.toLocaleString('en-US')}; the model folder is damaged`));
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  writeFileSync(weights, Buffer.alloc(size));
  const modelJson = join(out, 'model.json');
  const text = readFileSync(modelJson, 'utf8');
  writeFileSync(modelJson, text.slice(0, text.length / 2));
  r = run(['analyze', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /model\.json is not valid JSON .*train the model again/);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  writeFileSync(join(out, MARKER), '{"format": ');
  r = run(['analyze', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /autograd-lens\.json is not valid JSON/);
  // A folder whose save was interrupted between its renames: the message says where the model is.
  const gone = join(dir, 'gone');
  mkdirSync(join(dir, '.gone.old-1-x'));
  r = run(['analyze', gone]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /interrupted save left the previous model in '.*\.gone\.old-1-x'/);
});

test('a reference with a wrong argument count: exit 2, quoted with a caret, no internal error', () => {
  const r = run(['train', files.seed000, '--inputs', 'x', '--outputs', 'y', '--epochs', '5', '--out', join(dir, 'ref'), '--reference', 'y = x + sin(x, 2)']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /sin\(\) takes 1 argument, not 2 at character 5 in "x \+ sin\(x, 2\)"\n {4}x \+ sin\(x, 2\)\n {8}\^\^\^/);
  assert.doesNotMatch(r.stderr, /internal error|TypeError/);
  assert.ok(!existsSync(join(dir, 'ref')), 'nothing trained');
});
