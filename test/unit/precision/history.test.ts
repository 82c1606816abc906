/**
 * The history run's pieces (bench/history/run.ts): which commit messages it reads, how a `git diff -U0`
 * maps old lines to new ones, and which warnings count as fixed by a commit or brought by it. The run itself
 * needs git histories (docs/history.md); here its logic is checked on a real diff of a real file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { commitKey, compareVersions, historyHalf, loadLabels, mapOldLine, parseHunks, scoreHistory, selectsMessage, touchedOld, type HistoryResult } from '../../../bench/history/run';
import { createLinter } from '../../../src/core/lint/index';

test('commit messages: a fix that speaks of derivatives is read, others are not', () => {
  assert.ok(selectsMessage('Fix gradient penalty interpolation', ''));
  assert.ok(selectsMessage('detach the target network output', 'fixes #12'));
  assert.ok(selectsMessage('Correct NaN in norm backward', ''));
  assert.ok(!selectsMessage('Upgrade CI to Python 3.11', 'fix the build'), '"upgrade" is not "grad"');
  assert.ok(!selectsMessage('Add Jacobian example', ''), 'no fix word');
  assert.ok(!selectsMessage('Fix typo in README', ''), 'no derivative word');
});

test('hunks of a -U0 diff: changed, inserted and shifted lines', () => {
  const diff = ['@@ -3 +3 @@', '-a', '+b', '@@ -10,0 +11,2 @@', '+x', '+y', '@@ -20,2 +23 @@', '-p', '-q', '+r'].join('\n');
  const h = parseHunks(diff);
  assert.deepEqual(h, [
    { oldStart: 3, oldLines: 1, newStart: 3, newLines: 1 },
    { oldStart: 10, oldLines: 0, newStart: 11, newLines: 2 },
    { oldStart: 20, oldLines: 2, newStart: 23, newLines: 1 },
  ]);
  assert.deepEqual(mapOldLine(h, 3), [3, 3]);
  assert.deepEqual(mapOldLine(h, 5), [5, 5]);
  assert.deepEqual(mapOldLine(h, 15), [17, 17], 'two lines inserted after line 10');
  assert.deepEqual(mapOldLine(h, 21), [23, 23], 'a changed line maps to its hunk');
  assert.deepEqual(mapOldLine(h, 30), [31, 31], 'two inserted, one removed');
  assert.ok(touchedOld(h, 3) && touchedOld(h, 11) && touchedOld(h, 21));
  assert.ok(!touchedOld(h, 7) && !touchedOld(h, 25));
});

test('a real fix: the warning on the changed line is gone after the commit, nothing is introduced', async () => {
  const before = [
    'import torch',
    '',
    '',
    'def penalty(critic, real, fake):',
    '    alpha = torch.rand(real.size(0), 1)',
    '    mixed = alpha * real + (1 - alpha) * fake',
    '    mixed.requires_grad_(True)',
    '    out = critic(mixed)',
    '    g, = torch.autograd.grad(out.sum(), mixed)',
    '    return ((g.norm(2, dim=1) - 1) ** 2).mean()',
    '',
  ].join('\n');
  const after = before.replace('torch.autograd.grad(out.sum(), mixed)', 'torch.autograd.grad(out.sum(), mixed, create_graph=True)');
  const dir = mkdtempSync(join(tmpdir(), 'agl-history-'));
  try {
    writeFileSync(join(dir, 'a.py'), before);
    writeFileSync(join(dir, 'b.py'), after);
    const diff = spawnSync('git', ['diff', '--no-index', '-U0', join(dir, 'a.py'), join(dir, 'b.py')], { encoding: 'utf8' }).stdout;
    const hunks = parseHunks(diff);
    const linter = await createLinter();
    const lint = (src: string) => linter.lint(src, { path: 'gp.py' }).map((d) => ({ line: d.range.start.line + 1, code: d.code, message: d.message }));
    const b = lint(before);
    const a = lint(after);
    assert.ok(b.some((d) => d.code === 'AGL001' && d.line === 9), `the penalty without create_graph is flagged: ${JSON.stringify(b)}`);
    const { fixed, introduced } = compareVersions(hunks, b, a);
    assert.deepEqual(fixed.map((d) => [d.code, d.line]), [['AGL001', 9]]);
    assert.deepEqual(introduced, []);
    // The reverse commit brings the warning back: it is "introduced", and nothing is "fixed".
    const back = compareVersions(parseHunks(spawnSync('git', ['diff', '--no-index', '-U0', join(dir, 'b.py'), join(dir, 'a.py')], { encoding: 'utf8' }).stdout), a, b);
    assert.deepEqual(back.fixed, []);
    assert.deepEqual(back.introduced.map((d) => [d.code, d.line]), [['AGL001', 9]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('scoring: a fixed warning inside a labelled place is a catch; elsewhere, or in a corpus commit, it is not', () => {
  const base = { subject: 's', message: 'm', inCorpus: false };
  const result: HistoryResult = {
    engine: null,
    maxFiles: 6,
    repos: [],
    commits: [
      { repo: 'a/b', commit: '1'.repeat(40), subject: 's', files: ['x.py'], inCorpus: false },
      { repo: 'a/b', commit: '2'.repeat(40), subject: 's', files: ['x.py'], inCorpus: false },
      { repo: 'a/b', commit: '3'.repeat(40), subject: 's', files: ['x.py'], inCorpus: true },
      { repo: 'a/b', commit: '4'.repeat(40), subject: 's', files: ['x.py'], inCorpus: false },
      { repo: 'a/b', commit: '5'.repeat(40), subject: 's', files: ['k.cc'], inCorpus: false },
      { repo: 'a/b', commit: '6'.repeat(40), subject: 's', files: ['x.py'], inCorpus: false },
    ],
    findings: [
      { ...base, repo: 'a/b', commit: '1'.repeat(40), file: 'x.py', line: 12, code: 'AGL001', kind: 'fixed' },
      { ...base, repo: 'a/b', commit: '2'.repeat(40), file: 'x.py', line: 40, code: 'AGL002', kind: 'fixed', related: [30] },
      { ...base, repo: 'a/b', commit: '6'.repeat(40), file: 'x.py', line: 40, code: 'AGL017', kind: 'fixed', related: [11] },
      { ...base, repo: 'a/b', commit: '3'.repeat(40), file: 'x.py', line: 5, code: 'AGL003', kind: 'fixed' },
      { ...base, repo: 'a/b', commit: '4'.repeat(40), file: 'x.py', line: 5, code: 'AGL004', kind: 'fixed' },
    ],
  };
  const place = (a: number, b: number) => [{ file: 'x.py', lines: [a, b] as [number, number] }];
  const labels = {
    [commitKey('a/b', '1'.repeat(40))]: { label: 'autograd' as const, framework: 'pytorch', places: place(10, 11), why: '' },
    [commitKey('a/b', '2'.repeat(40))]: { label: 'numerics' as const, framework: 'pytorch', places: place(10, 11), why: '' },
    [commitKey('a/b', '3'.repeat(40))]: { label: 'autograd' as const, framework: 'pytorch', places: place(5, 5), why: '' },
    [commitKey('a/b', '4'.repeat(40))]: { label: 'not-derivative' as const, why: '' },
    [commitKey('a/b', '6'.repeat(40))]: { label: 'numerics' as const, framework: 'pytorch', places: place(10, 11), why: '' },
    [commitKey('a/b', '5'.repeat(40))]: { label: 'formula' as const, framework: 'pytorch', places: [{ file: 'k.cc', lines: [1, 2] as [number, number] }], why: '' },
  };
  const s = scoreHistory(result, labels);
  // Commit 6's warning sits at line 40 but names the operation at line 11 (a related location): caught.
  assert.deepEqual(s.mistakes.map((m) => [m.key, m.caught.length]), [
    [commitKey('a/b', '1'.repeat(40)), 1],
    [commitKey('a/b', '2'.repeat(40)), 0],
    [commitKey('a/b', '6'.repeat(40)), 1],
  ]);
  assert.equal(s.inCorpus, 1);
  assert.deepEqual(s.fixedElsewhere.map((f) => f.code), ['AGL004']);
});

test('the committed labels cover the committed run, each in its half, with places in the parent version', () => {
  const file = join(__dirname, '../../../bench/history/results.json');
  if (!existsSync(file)) return;
  const result = JSON.parse(readFileSync(file, 'utf8')) as HistoryResult;
  const labels = loadLabels();
  const keys = new Set(result.commits.map((c) => commitKey(c.repo, c.commit)));
  assert.deepEqual([...keys].filter((k) => !labels[k]), [], 'every selected commit is labelled');
  assert.deepEqual(Object.keys(labels).filter((k) => !keys.has(k)), [], 'no label of a commit the run did not select');
  for (const half of ['dev', 'test'] as const) {
    const own = JSON.parse(readFileSync(join(__dirname, `../../../bench/history/labels-${half}.json`), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(own).filter((k) => historyHalf(k.split('@')[0]!) !== half), [], `labels-${half}.json holds only its half`);
  }
  for (const [k, l] of Object.entries(labels)) {
    assert.ok(['autograd', 'numerics', 'formula', 'not-derivative', 'unclear'].includes(l.label), `${k}: label ${l.label}`);
    for (const p of l.places ?? []) assert.ok(p.lines[0] >= 1 && p.lines[1] >= p.lines[0], `${k}: lines ${p.lines}`);
  }
});
