/**
 * The precision harnesses (bench/precision/): repository list, export from a git directory without a
 * work tree (including blobs the snapshot lacks), line counting, verdict comparison, the fix loop (same
 * result as `autograd-lens lint --fix`), behaviour comparison, and the consistency of the committed
 * repos.json / results.json / verdicts.json.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLinter, DEFAULT_CONFIG } from '../../../src/core/lint/index';
import { behaviourVerdict, compareRuns, maxAbsDiff, type CaseRecord } from '../../../bench/precision/fix-check';
import {
  compare,
  countLines,
  exportCommit,
  findGitDir,
  fixSource,
  HarnessError,
  hasCommit,
  loadRepos,
  loadVerdictFile,
  locate,
  messageHash,
  notebookCodeLines,
  parseSourceArgs,
  parseWarningLine,
  validateRepos,
  warningKey,
  warningLine,
  type VerdictEntry,
  type Warning,
} from '../../../bench/precision/lib';
import { inProcessLinter, LintPool, lintRepo } from '../../../bench/precision/run';

const ROOT = resolve(__dirname, '../../..');
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' }).trim();

// A small correct-looking repository with one real finding (a Jacobian built with backward() in a loop
// without resetting .grad), a file with a syntax error, a file that is not UTF-8, a symlink, a file whose
// blob is then deleted from the object store (as fetch leaves out files of 4 MiB+), and three notebooks:
// one with the same finding in its third cell (after a magic and a markdown cell), one in nbformat 3 and
// one with an R kernel (neither read by the CLI).
const SENSITIVITY = [
  'import torch',
  '',
  '',
  'def sensitivities(model, x):',
  '    x = x.clone().requires_grad_()',
  '    y = model(x)',
  '    rows = []',
  '    for k in range(y.shape[1]):',
  '        y[:, k].sum().backward(retain_graph=True)',
  '        rows.append(x.grad.clone())',
  '    return torch.stack(rows)',
  '',
].join('\n');

const SENSITIVITY_NOTEBOOK = JSON.stringify(
  {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { language: 'python', name: 'python3' } },
    cells: [
      { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['%matplotlib inline\n', 'import torch\n', '\n'] },
      { cell_type: 'markdown', metadata: {}, source: '# Sensitivities' },
      { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: SENSITIVITY.split('\n').slice(3).map((l) => `${l}\n`) },
    ],
  },
  null,
  1,
);
const SENSITIVITY_CELL_LINES = countLines(SENSITIVITY) - 1;

describe('git export and repository lint', () => {
  let work: string;
  let repoDir: string;
  let commit: string;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'agl-harness-test-'));
    repoDir = join(work, 'owner+name', 'repo');
    mkdirSync(join(repoDir, 'pkg', 'sub'), { recursive: true });
    git(repoDir, 'init', '-q');
    writeFileSync(join(repoDir, 'pkg', 'sens.py'), SENSITIVITY);
    writeFileSync(join(repoDir, 'pkg', 'sub', 'broken.py'), 'import torch\ndef f(:\n    return 1\n');
    writeFileSync(join(repoDir, 'pkg', 'latin1.py'), Buffer.from([0x23, 0x20, 0xe9, 0x0a, 0x78, 0x3d, 0x31, 0x0a]));
    writeFileSync(join(repoDir, 'tool.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    writeFileSync(join(repoDir, 'big.py'), 'import torch\nprint(1)\n');
    writeFileSync(join(repoDir, 'demo.ipynb'), SENSITIVITY_NOTEBOOK);
    writeFileSync(join(repoDir, 'old.ipynb'), JSON.stringify({ nbformat: 3, worksheets: [{ cells: [{ cell_type: 'code', input: 'x = 1\n' }] }] }));
    writeFileSync(
      join(repoDir, 'r.ipynb'),
      JSON.stringify({ nbformat: 4, metadata: { kernelspec: { language: 'R' } }, cells: [{ cell_type: 'code', source: ['x <- 1\n', 'y <- 2\n'] }] }),
    );
    symlinkSync('pkg/sens.py', join(repoDir, 'link.py'));
    git(repoDir, 'add', '-A');
    git(repoDir, 'commit', '-q', '-m', 'fixture');
    commit = git(repoDir, 'rev-parse', 'HEAD');
    const big = git(repoDir, 'rev-parse', 'HEAD:big.py');
    unlinkSync(join(repoDir, '.git', 'objects', big.slice(0, 2), big.slice(2)));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('findGitDir and locate accept the layout fetch makes', () => {
    assert.equal(findGitDir(join(work, 'owner+name')), join(repoDir, '.git'));
    assert.equal(findGitDir(work), null);
    const found = locate('owner/name', { mirrors: work, paths: new Map() });
    assert.deepEqual(found, { gitDir: join(repoDir, '.git') });
    assert.match((locate('other/repo', { mirrors: work, paths: new Map() }) as { missing: string }).missing, /not fetched/);
    assert.match((locate('owner/name', { mirrors: null, paths: new Map() }) as { missing: string }).missing, /AGL_PRECISION_MIRRORS/);
  });

  test('exportCommit writes every blob it has, lists the missing one, skips the symlink', async () => {
    const dest = join(work, 'export-all');
    const r = await exportCommit(join(repoDir, '.git'), commit, dest);
    assert.deepEqual(r.missing, ['big.py']);
    assert.deepEqual(r.skipped, ['link.py']);
    assert.deepEqual([...r.written].sort(), ['demo.ipynb', 'old.ipynb', 'pkg/latin1.py', 'pkg/sens.py', 'pkg/sub/broken.py', 'r.ipynb', 'tool.sh']);
    assert.equal(readFileSync(join(dest, 'pkg', 'sens.py'), 'utf8'), SENSITIVITY);
    assert.deepEqual(readFileSync(join(dest, 'pkg', 'latin1.py')), Buffer.from([0x23, 0x20, 0xe9, 0x0a, 0x78, 0x3d, 0x31, 0x0a]));
    assert.ok(existsSync(join(dest, 'tool.sh')));
    assert.equal(existsSync(join(dest, 'big.py')), false);
  });

  test('hasCommit tells a pinned commit the snapshot lacks', async () => {
    assert.equal(await hasCommit(join(repoDir, '.git'), commit), true);
    assert.equal(await hasCommit(join(repoDir, '.git'), '0123456789abcdef0123456789abcdef01234567'), false);
  });

  test('lintRepo (through the worker pool) counts lines, reports the finding, and lists every file it could not take cleanly', async () => {
    const entry = { repo: 'owner/name', commit, framework: ['pytorch'], domain: 'test', why: 'test' };
    const pool = new LintPool(120_000);
    let res;
    try {
      res = await lintRepo(entry, join(repoDir, '.git'), join(work, 'lint'), { lintFile: pool.lint });
    } finally {
      await pool.close();
    }
    assert.equal(res.status, 'ok');
    assert.equal(res.files, 2, 'sens.py and broken.py (latin1.py is not UTF-8, big.py is missing)');
    assert.equal(res.lines, countLines(SENSITIVITY) + 3);
    assert.deepEqual(Object.keys(res.byCode), ['AGL004']);
    const py = res.details.filter((d) => d.cell === undefined);
    assert.equal(py.length, 1);
    assert.equal(py[0].file, 'pkg/sens.py');
    assert.equal(py[0].line, 10);
    assert.deepEqual(res.warnings.length, 1);
    assert.match(res.warnings[0], /^pkg\/sens\.py:10:\d+ AGL004 /);
    assert.equal(res.per10k, Math.round((1 / res.lines) * 1e6) / 100);
    // Notebooks: linted as the CLI reads them, located by cell, counted and rated apart from .py files.
    assert.equal(res.notebooks, 3);
    assert.equal(res.notebooksLinted, 1);
    assert.equal(res.notebookLines, 2 + SENSITIVITY_CELL_LINES, 'code-cell lines, the magic included');
    assert.equal(res.notebooksNotLinted, 2);
    assert.equal(res.notebookLinesNotLinted, 2, 'the R notebook; the nbformat 3 one has no "cells" to count');
    assert.deepEqual(res.notebookByCode, { AGL004: 1 });
    assert.deepEqual(res.notebookWarnings.length, 1);
    assert.match(res.notebookWarnings[0], /^demo\.ipynb:cell 3:7:\d+ AGL004 /);
    const nbw = res.details.find((d) => d.cell !== undefined);
    assert.deepEqual([nbw?.file, nbw?.cell, nbw?.line], ['demo.ipynb', 3, 7]);
    assert.deepEqual(parseWarningLine('owner/name', res.notebookWarnings[0]), { ...nbw, severity: '', fixable: false }, 'the stored line gives the warning back');
    assert.equal(res.notebookPer10k, Math.round((1 / res.notebookLines) * 1e6) / 100);
    const reasons = Object.fromEntries(res.failures.map((f) => [f.file, f.reason]));
    assert.match(reasons['big.py'], /not in the snapshot/);
    assert.match(reasons['pkg/latin1.py'], /UTF-8/);
    assert.match(reasons['pkg/sub/broken.py'], /syntax error/);
    assert.match(reasons['old.ipynb'], /nbformat 3 is not supported/);
    assert.match(reasons['r.ipynb'], /kernel language is r, not Python/);
    assert.equal(reasons['demo.ipynb'], undefined);
  });

  test('lintRepo reports a pinned commit that is not in the snapshot instead of failing', async () => {
    const entry = { repo: 'owner/name', commit: 'f'.repeat(40), framework: ['pytorch'], domain: 'test', why: 'test' };
    const res = await lintRepo(entry, join(repoDir, '.git'), join(work, 'lint2'), { lintFile: await inProcessLinter() });
    assert.equal(res.status, 'unavailable');
    assert.match(res.reason ?? '', /not in the snapshot/);
  });

  test('the in-process linter and the worker pool give the same diagnostics, for files and notebooks', async () => {
    const pool = new LintPool(120_000);
    try {
      const inProcess = await inProcessLinter();
      for (const [file, text] of [['sens.py', SENSITIVITY], ['demo.ipynb', SENSITIVITY_NOTEBOOK]]) {
        const a = await pool.lint(file, text);
        const b = await inProcess(file, text);
        assert.ok(!('timeout' in a) && !('timeout' in b));
        assert.deepEqual(a.diagnostics, b.diagnostics, file);
        assert.equal(a.diagnostics.length, 1, file);
      }
    } finally {
      await pool.close();
    }
  });

  test('LintPool stops a file that takes longer than its budget and goes on with a fresh worker', async () => {
    // 40,000 lines take the engine far longer than 1 ms; the next file then gets a new worker.
    const big = `import torch\n${'y = torch.ones(3) * 2.0 + 1.0\n'.repeat(40_000)}`;
    const pool = new LintPool(1);
    try {
      const r = await pool.lint('big.py', big);
      assert.ok('timeout' in r, 'the big file is stopped');
      pool.timeoutMs = 120_000;
      const again = await pool.lint('sens.py', SENSITIVITY);
      assert.ok(!('timeout' in again) && again.diagnostics.length === 1, 'a fresh worker lints the next file');
    } finally {
      await pool.close();
    }
  });
});

describe('repository list', () => {
  const good = { repo: 'a/b', commit: 'a'.repeat(40), framework: ['pytorch'], domain: 'PINN', why: 'because' };
  test('validateRepos rejects bad entries with the entry named', () => {
    assert.throws(() => validateRepos({}), HarnessError);
    assert.throws(() => validateRepos([{ ...good, commit: 'abc' }]), /a\/b.*40/);
    assert.throws(() => validateRepos([{ ...good, framework: ['mxnet'] }]), /framework/);
    assert.throws(() => validateRepos([good, { ...good, repo: 'A/B' }]), /twice/);
    assert.throws(() => validateRepos([{ ...good, repo: 'nope' }]), /owner\/name/);
    assert.throws(() => validateRepos([{ ...good, behaviour: '../x.py' }]), /behaviour/);
    assert.deepEqual(validateRepos([good]), [good]);
  });

  test('repos.json lists at least 18 repositories over every domain and framework the issue names', () => {
    const repos = loadRepos();
    assert.ok(repos.length >= 18, `${repos.length} repositories`);
    const domains = new Set(repos.map((r) => r.domain));
    for (const d of ['PINN', 'force field', 'GAN gradient penalty', 'attribution', 'adversarial', 'meta-learning', 'neural ODE']) assert.ok(domains.has(d), d);
    const frameworks = new Set(repos.flatMap((r) => r.framework));
    for (const f of ['pytorch', 'tensorflow', 'jax']) assert.ok(frameworks.has(f), f);
    for (const r of repos.filter((x) => x.behaviour)) assert.ok(existsSync(join(ROOT, 'bench/precision/behaviour', r.behaviour as string)), r.behaviour);
    for (const name of ['Harry24k/adversarial-attacks-pytorch', 'facebookresearch/higher']) assert.ok(repos.find((r) => r.repo === name)?.behaviour, `${name} has a behaviour check`);
  });

  test('parseSourceArgs: --repo needs owner/name=PATH, --mirrors must exist, --only is kept', () => {
    assert.throws(() => parseSourceArgs(['--repo', 'a/b']), /owner\/name=PATH/);
    assert.throws(() => parseSourceArgs(['--mirrors', join(tmpdir(), 'no-such-dir-agl')]), /no such folder/);
    const r = parseSourceArgs(['--only', 'A/b,c/d', '--repo=a/b=/x', '--out', 'o.json']);
    assert.deepEqual([...(r.only ?? [])], ['a/b', 'c/d']);
    assert.equal(r.sources.paths.get('a/b'), resolve('/x'));
    assert.deepEqual(r.rest, ['--out', 'o.json']);
  });
});

describe('counting and keys', () => {
  test('countLines counts non-blank lines with any line ending', () => {
    assert.equal(countLines(''), 0);
    assert.equal(countLines('a\n\n  \n\tb\r\nc\rd'), 4);
  });
  test('notebookCodeLines counts code cells only, null for a non-notebook', () => {
    assert.equal(notebookCodeLines(JSON.stringify({ cells: [{ cell_type: 'code', source: 'a\n\nb' }, { cell_type: 'markdown', source: 'x' }] })), 2);
    assert.equal(notebookCodeLines('not json'), null);
    assert.equal(notebookCodeLines('{"nbformat": 4}'), null);
  });
  test('warningKey uses repo, file, line, code and a hash of the message', () => {
    const w = { repo: 'a/b', file: 'x.py', line: 3, code: 'AGL001', message: 'm' };
    assert.equal(warningKey(w), `a/b|x.py|3|AGL001|${messageHash('m')}`);
    assert.notEqual(warningKey({ ...w, message: 'n' }), warningKey(w));
  });
  test('a notebook warning is keyed and stored with its cell', () => {
    const w = { repo: 'a/b', file: 'nb dir/x(1).ipynb', cell: 4, line: 3, column: 7, code: 'AGL001', message: 'm: at line 2 of cell 3' };
    assert.equal(warningKey(w), `a/b|nb dir/x(1).ipynb:cell 4|3|AGL001|${messageHash(w.message)}`);
    assert.notEqual(warningKey({ ...w, cell: 5 }), warningKey(w));
    assert.equal(warningLine(w), 'nb dir/x(1).ipynb:cell 4:3:7 AGL001 m: at line 2 of cell 3');
    const back = parseWarningLine('a/b', warningLine(w));
    assert.deepEqual([back.file, back.cell, back.line, back.column, back.code, back.message, back.key], [w.file, 4, 3, 7, 'AGL001', w.message, warningKey(w)]);
    const py = parseWarningLine('a/b', 'dir/a b.py:12:5 AGL004 msg');
    assert.deepEqual([py.file, py.cell, py.line, py.column], ['dir/a b.py', undefined, 12, 5]);
  });
});

describe('verdict comparison', () => {
  const w = (file: string, line: number, message: string, code = 'AGL001'): Warning => {
    const x = { repo: 'a/b', file, line, column: 1, code, severity: 'warning', message, key: '', fixable: false };
    x.key = warningKey(x);
    return x;
  };
  const v = (file: string, line: number, message: string, verdict: VerdictEntry['verdict'] = 'false-positive'): VerdictEntry => ({
    repo: 'a/b',
    file,
    line,
    code: 'AGL001',
    messageHash: messageHash(message),
    verdict,
    cause: 'c',
    group: 'g',
  });
  test('reviewed, reworded, new and gone', () => {
    const cmp = compare([w('x.py', 1, 'same'), w('x.py', 2, 'new wording'), w('y.py', 9, 'fresh')], [v('x.py', 1, 'same'), v('x.py', 2, 'old wording', 'debatable'), v('z.py', 4, 'fixed')], new Set(['a/b']));
    assert.deepEqual(cmp.reviewed.map((r) => r.warning.file), ['x.py']);
    assert.deepEqual(cmp.reworded.map((r) => [r.warning.line, r.verdict.verdict]), [[2, 'debatable']]);
    assert.deepEqual(cmp.unreviewed.map((u) => u.file), ['y.py']);
    assert.deepEqual(cmp.gone.map((g) => g.file), ['z.py']);
  });
  test('a notebook verdict matches its cell only', () => {
    const nw = (cell: number): Warning => {
      const x: Warning = { repo: 'a/b', file: 'n.ipynb', cell, line: 2, column: 1, code: 'AGL001', severity: 'warning', message: 'm', key: '', fixable: false };
      x.key = warningKey(x);
      return x;
    };
    const cmp = compare([nw(3), nw(4)], [{ ...v('n.ipynb', 2, 'm'), cell: 3 }], new Set(['a/b']));
    assert.deepEqual(cmp.reviewed.map((r) => r.warning.cell), [3]);
    assert.deepEqual(cmp.unreviewed.map((u) => u.cell), [4]);
  });
  test('verdicts of repositories that were not linted are not "gone"', () => {
    assert.deepEqual(compare([], [v('z.py', 4, 'x')], new Set()).gone, []);
  });
});

describe('the committed results', () => {
  // results-baseline.json: the engine before its rewrite; results.json: the latest run. Every warning in
  // either has exactly one verdict, and every verdict belongs to a warning of one of them.
  const files = ['bench/precision/results-baseline.json', 'bench/precision/results.json'];
  const { verdicts, groups } = loadVerdictFile();
  const used = new Set<VerdictEntry>();
  for (const f of files) {
    test(`every warning in ${f} has a verdict`, () => {
      const results = JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as { repos: { repo: string; status: string; warnings: string[]; notebookWarnings?: string[] }[] };
      const warnings = results.repos.flatMap((r) => [...r.warnings, ...(r.notebookWarnings ?? [])].map((line) => parseWarningLine(r.repo, line)));
      const cmp = compare(warnings, verdicts, new Set(results.repos.filter((r) => r.status === 'ok').map((r) => r.repo)));
      assert.deepEqual(cmp.unreviewed, []);
      assert.deepEqual(cmp.reworded, []);
      assert.equal(cmp.reviewed.length, warnings.length);
      for (const r of cmp.reviewed) used.add(r.verdict);
    });
  }
  test('every verdict belongs to a stored warning and names a described group', () => {
    assert.deepEqual(verdicts.filter((v) => !used.has(v)).map((v) => `${v.repo} ${v.file}:${v.line} ${v.code}`), []);
    for (const g of new Set(verdicts.map((x) => x.group))) assert.ok(groups[g], g);
  });
});

describe('fixes as the CLI applies them', () => {
  test('fixSource gives the same text as `autograd-lens lint --fix`', async () => {
    const linter = await createLinter();
    const dir = mkdtempSync(join(tmpdir(), 'agl-fixsource-'));
    try {
      for (const fixture of ['test/fixtures/lint/AGL001/bad.py', 'test/fixtures/lint/AGL004/bad.py']) {
        const target = join(dir, fixture.split('/').slice(-2).join('_'));
        copyFileSync(join(ROOT, fixture), target);
        const source = readFileSync(target, 'utf8');
        const mine = fixSource(linter, source, { path: target, config: DEFAULT_CONFIG });
        assert.ok(mine.applied > 0, `${fixture} has safe fixes`);
        const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'lint', '--fix', target], { cwd: ROOT, encoding: 'utf8' });
        assert.ok(r.status === 0 || r.status === 1, r.stderr);
        assert.equal(readFileSync(target, 'utf8'), mine.output, fixture);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('the worker pool fixes as fixSource does (fix-check.ts uses it)', async () => {
    const linter = await createLinter();
    const source = readFileSync(join(ROOT, 'test/fixtures/lint/AGL004/bad.py'), 'utf8');
    const pool = new LintPool(120_000);
    try {
      const r = await pool.lint('bad.py', source, { fix: true });
      assert.ok(!('timeout' in r) && r.fixed);
      assert.deepEqual(r.fixed, fixSource(linter, source, { path: 'bad.py', config: DEFAULT_CONFIG }));
      assert.notEqual(r.fixed.output, source);
    } finally {
      await pool.close();
    }
  });
  test('fixing a notebook in the worker pool gives the same file as `autograd-lens lint --fix`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agl-fixnb-'));
    const pool = new LintPool(120_000);
    try {
      const target = join(dir, 'demo.ipynb');
      writeFileSync(target, SENSITIVITY_NOTEBOOK);
      const r = await pool.lint('demo.ipynb', SENSITIVITY_NOTEBOOK, { fix: true });
      assert.ok(!('timeout' in r) && r.fixed);
      assert.equal(r.fixed.applied, 1);
      assert.deepEqual(r.fixed.codes, ['AGL004']);
      const cli = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'lint', '--fix', target], { cwd: ROOT, encoding: 'utf8' });
      assert.ok(cli.status === 0 || cli.status === 1, cli.stderr);
      assert.equal(readFileSync(target, 'utf8'), r.fixed.output);
      assert.notEqual(r.fixed.output, SENSITIVITY_NOTEBOOK);
    } finally {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('fixSource leaves a file without safe fixes alone', async () => {
    const linter = await createLinter();
    const r = fixSource(linter, 'import torch\nx = torch.ones(2)\n', { path: 'x.py', config: DEFAULT_CONFIG });
    assert.deepEqual(r, { output: 'import torch\nx = torch.ones(2)\n', applied: 0, codes: [] });
  });
});

describe('behaviour comparison', () => {
  const t = (values: number[], extra: Record<string, unknown> = {}) => ({ status: 'ok' as const, value: { tensor: true, shape: [values.length], dtype: 'torch.float32', requires_grad: false, values, ...extra } });
  test('same, broken, different, repaired, nondeterministic', () => {
    const a: Record<string, CaseRecord> = {
      same: t([1, 2]),
      broken: t([1]),
      changed: t([1, 2]),
      meta: t([1, 2]),
      repaired: { status: 'error', error: 'RuntimeError: x' },
      flaky: t([1]),
    };
    const a2 = { ...a, flaky: t([2]) };
    const b: Record<string, CaseRecord> = {
      same: t([1, 2]),
      broken: { status: 'error', error: 'RuntimeError: One of the differentiated Tensors does not require grad' },
      changed: t([1, 2.5]),
      meta: t([1, 2], { requires_grad: true }),
      repaired: t([0]),
      flaky: t([3]),
    };
    const out = Object.fromEntries(compareRuns(a, a2, b).map((c) => [c.name, c]));
    assert.equal(out.same.outcome, 'same');
    assert.equal(out.broken.outcome, 'broken');
    assert.equal(out.changed.outcome, 'different');
    assert.match(out.changed.detail ?? '', /0\.5/);
    assert.equal(out.meta.outcome, 'different');
    assert.equal(out.meta.detail, 'same numbers; requires_grad differ');
    assert.equal(out.repaired.outcome, 'repaired');
    assert.equal(out.flaky.outcome, 'nondeterministic');
    assert.equal(behaviourVerdict(compareRuns(a, a2, b)), 'broken');
    assert.equal(behaviourVerdict(compareRuns({ s: t([1]) }, { s: t([1]) }, { s: t([1]) })), 'same');
    assert.equal(behaviourVerdict(compareRuns({ s: t([1]) }, { s: t([1]) }, {})), 'broken');
  });
  test('maxAbsDiff walks nested results and treats a new NaN as infinite', () => {
    assert.equal(maxAbsDiff({ a: { shape: [2], values: [1, 2] }, b: [{ shape: [1], values: [0] }] }, { a: { shape: [2], values: [1, 2.25] }, b: [{ shape: [1], values: [-1] }] }), 1);
    assert.equal(maxAbsDiff({ shape: [1], values: [1] }, { shape: [1], values: [Number.NaN] }), Infinity);
    assert.equal(maxAbsDiff({ shape: [1], values: [1] }, { shape: [2], values: [1, 2] }), null);
  });
});
