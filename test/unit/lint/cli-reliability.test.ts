/**
 * `autograd-lens lint` on hostile trees and files, end to end through dist/cli.js (built by cli.test.ts's
 * rule when stale): symlink loops, FIFOs, devices, unreadable files and folders, undecodable and
 * non-Python files, encodings and line endings under --fix. Every run has a timeout: a hang fails.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runLintCommand } from '../../../src/cli/lint';
import { applyFixes, Engine, INTERNAL_ERROR_CODE } from '../../../src/core/lint/index';
import { loadPythonParser } from '../../../src/core/lint/parser';
import type { Rule } from '../../../src/core/lint/rule';
import { ALL_RULES } from '../../../src/core/lint/rules';
import { getLinter, ROOT } from './helpers';

const CLI = join(ROOT, 'dist', 'cli.js');
const SEED003 = readFileSync(join(ROOT, 'test/fixtures/lint-engine/AGL001/seed003_jacobian_requires_grad.py'), 'utf8');
const CLEAN = 'import torch\nx = torch.ones(3)\n';
const isRoot = process.getuid?.() === 0;

let dir: string;

function run(args: string[], opts: SpawnSyncOptions = {}): { code: number | null; out: string; err: string; signal: NodeJS.Signals | null } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, ...opts });
  return { code: r.status, out: String(r.stdout), err: String(r.stderr), signal: r.signal };
}

function json(out: string): Array<{ file: string; line: number; code: string | null; rule: string; message: string }> {
  return JSON.parse(out) as Array<{ file: string; line: number; code: string | null; rule: string; message: string }>;
}

before(() => {
  const newest = ['src/cli/lint.ts', 'src/cli/walk.ts', 'src/core/lint/index.ts', 'src/core/lint/pysource.ts'].map((f) => statSync(join(ROOT, f)).mtimeMs);
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < Math.max(...newest)) {
    const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, `npm run build failed:\n${b.stderr}`);
  }
  dir = mkdtempSync(join(tmpdir(), 'agl-cli-rel-'));
  chmodSync(dir, 0o755);
});

after(() => rmSync(dir, { recursive: true, force: true }));

function fresh(name: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  chmodSync(d, 0o755);
  return d;
}

test('symlink loops: each file once, by default no symlinked folder is entered', () => {
  const d = fresh('loops');
  mkdirSync(join(d, 'pkg/sub'), { recursive: true });
  writeFileSync(join(d, 'pkg/a.py'), SEED003);
  writeFileSync(join(d, 'pkg/sub/b.py'), SEED003);
  symlinkSync('..', join(d, 'pkg/sub/up')); // loop 1
  symlinkSync(join(d, 'pkg'), join(d, 'pkg/sub/again')); // loop 2
  symlinkSync('a.py', join(d, 'pkg/link_to_a.py')); // a second name for a.py
  const r = run(['lint', '--format', 'json', 'loops/pkg']);
  assert.equal(r.signal, null, 'finished');
  assert.equal(r.code, 1, r.err);
  const files = [...new Set(json(r.out).map((x) => x.file))].sort();
  assert.deepEqual(files, ['loops/pkg/a.py', 'loops/pkg/sub/b.py'], 'a.py once (not again as link_to_a.py), nothing through up/ or again/');

  const f = run(['lint', '--format', 'json', '--follow-symlinks', 'loops/pkg']);
  assert.equal(f.signal, null, 'finished with --follow-symlinks');
  assert.equal(f.code, 1, f.err);
  const followed = json(f.out);
  assert.deepEqual([...new Set(followed.map((x) => x.file))].sort(), ['loops/pkg/a.py', 'loops/pkg/sub/b.py'], 'each real file once even when loops are followed');
  assert.equal(followed.length, json(r.out).length);
});

test('a symlinked folder outside the tree is followed only with --follow-symlinks; explicit ones always', () => {
  const d = fresh('outside');
  const lib = fresh('outside-lib');
  writeFileSync(join(lib, 'm.py'), SEED003);
  mkdirSync(join(d, 'proj'));
  writeFileSync(join(d, 'proj/main.py'), CLEAN);
  symlinkSync(lib, join(d, 'proj/vendored'));
  assert.equal(run(['lint', 'outside/proj']).code, 0, 'the link is not followed');
  assert.equal(run(['lint', '--follow-symlinks', 'outside/proj']).code, 1);
  assert.equal(run(['lint', 'outside/proj/vendored']).code, 1, 'a symlinked folder named on the command line is searched');
});

test('FIFOs and devices are never read (no hang); named explicitly they are reported', () => {
  const d = fresh('special');
  writeFileSync(join(d, 'ok.py'), SEED003);
  assert.equal(spawnSync('mkfifo', [join(d, 'pipe.py')]).status, 0);
  symlinkSync('/dev/zero', join(d, 'zero.py'));
  symlinkSync('/dev/null', join(d, 'null.py'));
  symlinkSync(join(d, 'pipe.py'), join(d, 'pipe_link.py'));
  const r = run(['lint', '--format', 'json', 'special'], { timeout: 30_000 });
  assert.equal(r.signal, null, 'no hang');
  assert.equal(r.code, 1, r.err);
  assert.deepEqual([...new Set(json(r.out).map((x) => x.file))], ['special/ok.py']);
  const e = run(['lint', 'special/pipe.py', 'special/zero.py', 'special/ok.py'], { timeout: 30_000 });
  assert.equal(e.signal, null, 'no hang on explicit FIFO');
  assert.equal(e.code, 2);
  assert.match(e.err, /special\/pipe\.py is a named pipe \(FIFO\), not a regular file; skipped/);
  assert.match(e.err, /special\/zero\.py is a device, not a regular file; skipped/);
  assert.match(e.out, /special\/ok\.py:21:16: AGL001/, 'the others are still linted');
});

test('an unreadable file or folder is reported, the rest is linted, stdout stays JSON and SARIF', () => {
  const d = fresh('unreadable');
  mkdirSync(join(d, 'closed'));
  writeFileSync(join(d, 'closed/hidden.py'), SEED003);
  writeFileSync(join(d, 'secret.py'), SEED003);
  writeFileSync(join(d, 'zz_ok.py'), SEED003);
  chmodSync(join(d, 'closed'), 0o000);
  chmodSync(join(d, 'secret.py'), 0o000);
  // Permissions do not stop root: run as nobody then (the files it must read stay readable).
  const as = isRoot ? { uid: 65534, gid: 65534 } : {};
  try {
    const r = run(['lint', '--format', 'json', 'unreadable'], as);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /cannot read directory unreadable\/closed: permission denied/);
    assert.match(r.err, /cannot read unreadable\/secret\.py: permission denied/);
    assert.deepEqual([...new Set(json(r.out).map((x) => x.file))], ['unreadable/zz_ok.py']);
    const s = run(['lint', '--format', 'sarif', 'unreadable'], as);
    const sarif = JSON.parse(s.out) as { runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[]; results: unknown[] }[] };
    assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
    assert.equal(sarif.runs[0].invocations[0].toolExecutionNotifications.length, 2);
    assert.ok(sarif.runs[0].results.length >= 2);
  } finally {
    chmodSync(join(d, 'closed'), 0o755);
    chmodSync(join(d, 'secret.py'), 0o644);
  }
});

test('a regular file that fails while being read is reported and the run goes on', () => {
  const d = fresh('eio');
  // Reading /proc/self/mem at offset 0 fails with EIO: a "regular" file that cannot be read, even by root.
  symlinkSync('/proc/self/mem', join(d, 'broken.py'));
  writeFileSync(join(d, 'ok.py'), SEED003);
  const r = run(['lint', '--format', 'json', 'eio/broken.py', 'eio/ok.py']);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /cannot read eio\/broken\.py/);
  assert.deepEqual([...new Set(json(r.out).map((x) => x.file))], ['eio/ok.py']);
});

test('undecodable files, notebooks and other files named explicitly get a clear message', () => {
  const d = fresh('kinds');
  writeFileSync(join(d, 'latin_no_cookie.py'), Buffer.from('import torch\nx = "caf\xe9"\n', 'latin1'));
  writeFileSync(join(d, 'nb.ipynb'), '{"cells": [');
  writeFileSync(join(d, 'data.csv'), 'x,y\n1,2\n');
  writeFileSync(join(d, 'script'), `#!/usr/bin/env python3\n${SEED003}`);
  writeFileSync(join(d, 'ok.py'), SEED003);
  const r = run(['lint', 'kinds/latin_no_cookie.py', 'kinds/nb.ipynb', 'kinds/data.csv', 'kinds/script', 'kinds/ok.py']);
  assert.equal(r.code, 2);
  assert.match(r.err, /kinds\/latin_no_cookie\.py: cannot decode: byte \\xe9 on line 2 is not UTF-8.*coding: latin-1/);
  assert.match(r.err, /error: kinds\/nb\.ipynb: not a notebook/);
  assert.match(r.err, /kinds\/data\.csv is not a Python file/);
  assert.match(r.out, /kinds\/script:22:16: AGL001/, 'a python script without extension is linted');
  assert.match(r.out, /kinds\/ok\.py:21:16: AGL001/);
});

test('UTF-16 and old-Mac files are linted; a syntax error is reported, never "0 problems"', () => {
  const d = fresh('enc');
  writeFileSync(join(d, 'u16.py'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SEED003, 'utf16le')]));
  writeFileSync(join(d, 'mac.py'), SEED003.replace(/\n/g, '\r'));
  writeFileSync(join(d, 'broken.py'), 'import torch\nx = torch.ones(3)\ny = (x,\n');
  const r = run(['lint', '--format', 'json', 'enc']);
  assert.equal(r.code, 1, r.err);
  const ds = json(r.out);
  assert.ok(ds.some((x) => x.file === 'enc/u16.py' && x.line === 21 && x.code === 'AGL001'));
  assert.ok(ds.some((x) => x.file === 'enc/mac.py' && x.line === 21 && x.code === 'AGL001'));
  const se = ds.find((x) => x.file === 'enc/broken.py');
  assert.ok(se && se.code === null && se.rule === 'syntax-error' && se.line === 3, JSON.stringify(se));
  assert.match(r.err, /note: enc\/u16\.py: the file is UTF-16-LE/);
  const t = run(['lint', 'enc/broken.py']);
  assert.equal(t.code, 1);
  assert.match(t.out, /^enc\/broken\.py:3:\d+: SyntaxError: /m);
  assert.match(t.out, /Found 1 problem in 1 file\./);
});

/** What `lint --fix` should make of a text: safe fixes applied and re-linted, as the CLI does (5 rounds). */
async function fixedText(text: string): Promise<{ text: string; applied: number }> {
  const linter = await getLinter();
  let current = text;
  let total = 0;
  for (let round = 0; round < 5; round++) {
    const { output, applied } = applyFixes(current, linter.lint(current));
    if (applied === 0 || output === current) break;
    total += applied;
    current = output;
  }
  return { text: current, applied: total };
}

test('--fix on a latin-1 file changes only the fixed bytes: an untouched é stays E9', async () => {
  const d = fresh('fixenc');
  const source = `# -*- coding: latin-1 -*-\n# caf\xe9 cr\xe8me\n${SEED003}`;
  const original = Buffer.from(source, 'latin1');
  writeFileSync(join(d, 'm.py'), original);
  chmodSync(join(d, 'm.py'), 0o640);
  const want = await fixedText(source);
  assert.ok(want.applied > 0, 'the fixture has a safe fix');
  const r = run(['lint', '--fix', 'fixenc/m.py']);
  assert.match(r.out, new RegExp(`Fixed ${want.applied}\\.`), r.out + r.err);
  const fixed = readFileSync(join(d, 'm.py'));
  assert.deepEqual(fixed, Buffer.from(want.text, 'latin1'), 'exactly the fixed text, in latin-1');
  assert.equal(fixed[original.indexOf(0xe9)], 0xe9);
  assert.equal(fixed.indexOf(Buffer.from([0xef, 0xbf, 0xbd])), -1, 'no U+FFFD written');
  assert.equal(statSync(join(d, 'm.py')).mode & 0o777, 0o640, 'permissions kept');
});

test('--fix keeps CRLF and CR line endings and a UTF-16 encoding', async () => {
  const d = fresh('fixeol');
  const variants: Record<string, { text: string; encode: (t: string) => Buffer }> = {
    'crlf.py': { text: SEED003.replace(/\n/g, '\r\n'), encode: (t) => Buffer.from(t, 'utf8') },
    'cr.py': { text: SEED003.replace(/\n/g, '\r'), encode: (t) => Buffer.from(t, 'utf8') },
    'u16.py': { text: SEED003.replace(/\n/g, '\r\n'), encode: (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]) },
  };
  let applied = 0;
  const wants: Record<string, string> = {};
  for (const [name, v] of Object.entries(variants)) {
    writeFileSync(join(d, name), v.encode(v.text));
    const w = await fixedText(v.text);
    wants[name] = w.text;
    applied += w.applied;
  }
  const r = run(['lint', '--fix', 'fixeol']);
  assert.match(r.out, new RegExp(`Fixed ${applied}\\.`), r.out + r.err);
  for (const [name, v] of Object.entries(variants)) {
    const fixed = readFileSync(join(d, name));
    assert.notDeepEqual(fixed, v.encode(v.text), `${name} was fixed`);
    assert.deepEqual(fixed, v.encode(wants[name]), name);
  }
  const cr = readFileSync(join(d, 'cr.py'), 'utf8');
  assert.ok(!cr.includes('\n'), 'no LF written into the CR file');
  const crlf = readFileSync(join(d, 'crlf.py'), 'utf8');
  assert.ok(!/[^\r]\n/.test(crlf), 'no bare LF written into the CRLF file');
});

test('an internal error: AGL000 in the output, a line on stderr, exit status 3, other files still linted', async () => {
  const d = fresh('internal');
  writeFileSync(join(d, 'a.py'), SEED003);
  writeFileSync(join(d, 'b.py'), SEED003);
  const thrower: Rule = {
    meta: { ...ALL_RULES[0].meta, code: 'AGL099', name: 'thrower' },
    check(ctx) {
      if (ctx.path?.endsWith('a.py')) throw new RangeError('Maximum call stack size exceeded');
    },
  };
  const engine = new Engine(await loadPythonParser(), [...ALL_RULES, thrower]);
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
  const cwd = process.cwd();
  let code: number;
  try {
    process.chdir(dir);
    code = await runLintCommand(['--format', 'json', 'internal'], { linter: engine });
  } finally {
    process.chdir(cwd);
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
  assert.equal(code, 3);
  assert.match(err.join(''), /internal error in AGL099 on internal\/a\.py: RangeError: Maximum call stack size exceeded/);
  const ds = json(out.join(''));
  assert.ok(ds.some((x) => x.file === 'internal/a.py' && x.code === INTERNAL_ERROR_CODE));
  assert.ok(ds.some((x) => x.file === 'internal/a.py' && x.code === 'AGL001'), 'the other rules still report on a.py');
  assert.ok(ds.some((x) => x.file === 'internal/b.py' && x.code === 'AGL001'));
  assert.ok(!ds.some((x) => x.file === 'internal/b.py' && x.code === INTERNAL_ERROR_CODE));
});

test('a broken pyproject.toml next to some files is reported once; they are still linted (defaults)', () => {
  const d = fresh('badconfig');
  mkdirSync(join(d, 'proj'));
  writeFileSync(join(d, 'proj/pyproject.toml'), '[tool.autograd-lens\n');
  writeFileSync(join(d, 'proj/a.py'), SEED003);
  writeFileSync(join(d, 'proj/b.py'), SEED003);
  const r = run(['lint', '--format', 'json', 'badconfig/proj']);
  assert.equal(r.code, 2);
  assert.equal(r.err.match(/pyproject\.toml:1:1: invalid TOML/g)?.length, 1, r.err);
  assert.match(r.err, /linted with the default configuration/);
  assert.deepEqual([...new Set(json(r.out).map((x) => x.file))], ['badconfig/proj/a.py', 'badconfig/proj/b.py']);
});
