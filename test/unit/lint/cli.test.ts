/**
 * `autograd-lens lint` end to end: builds dist/cli.js (npm run build) when it is missing or older than
 * the lint sources, then spawns it on the seed fixtures.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { ROOT } from './helpers';
import { RULES } from '../../../src/core/lint/index';

const CLI = join(ROOT, 'dist', 'cli.js');
const SEED003 = 'test/fixtures/lint-engine/AGL001/seed003_jacobian_requires_grad.py';
const SEED000 = 'test/fixtures/lint-engine/seed000/seed000_scaler_jacobi.py';

function run(args: string[], cwd = ROOT): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(() => {
  const newest = ['src/cli/lint.ts', 'src/cli/main.ts', 'src/cli/common.ts', 'src/cli/train.ts', 'src/cli/export.ts', 'src/cli/walk.ts', 'src/core/lint/index.ts', 'src/core/lint/config.ts', 'src/core/lint/semantic.ts', 'src/shared/format.ts', 'scripts/build.mjs', 'package.json'].map((f) => statSync(join(ROOT, f)).mtimeMs);
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < Math.max(...newest)) {
    const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', shell: process.platform === 'win32' });
    assert.equal(b.status, 0, `npm run build failed:\n${b.stderr}`);
  }
});

test('json: seed 003 and seed 000 report each mistake with its code, 1-based positions', () => {
  const r = run(['lint', '--format', 'json', SEED003, SEED000]);
  assert.equal(r.code, 1, r.err);
  const diags = JSON.parse(r.out) as Array<Record<string, unknown>>;
  const keys = ['file', 'line', 'column', 'endLine', 'endColumn', 'code', 'severity', 'message', 'rule', 'fixable'];
  for (const d of diags) assert.deepEqual(Object.keys(d).sort(), [...keys].sort());
  const at = (file: string, line: number, code: string) => diags.find((d) => d.file === file && d.line === line && d.code === code);
  assert.ok(at(SEED003, 21, 'AGL001'), 'jacobian without create_graph');
  assert.equal(at(SEED003, 21, 'AGL001')!.column, 16);
  assert.equal(at(SEED003, 21, 'AGL001')!.fixable, true);
  assert.ok(at(SEED003, 22, 'AGL001'), 'requires_grad_ on the derivative');
  assert.ok(at(SEED000, 24, 'AGL003'), 'normalized leaf');
  assert.match(String(at(SEED000, 24, 'AGL003')!.message), /scale_/);
  assert.ok(at(SEED000, 37, 'AGL004'), 'accumulating .grad');
});

test('text format, select/ignore, exit codes', () => {
  const r = run(['lint', SEED003]);
  assert.equal(r.code, 1);
  assert.match(r.out, new RegExp(`^${SEED003.replace(/[.]/g, '\\.')}:21:16: AGL001 `, 'm'));
  assert.match(r.out, /Found 2 problems in 1 file\./);
  assert.equal(run(['lint', '--ignore', 'AGL001', SEED003]).code, 0);
  assert.equal(run(['lint', '--select', 'AGL004', SEED003]).code, 0);
  const missing = run(['lint', 'no/such/file.py']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such file or directory: no\/such\/file\.py/);
  assert.equal(run(['lint', '--format', 'xml', SEED003]).code, 2);
  assert.equal(run(['lint']).code, 2);
  assert.equal(run(['lint', '--select', 'AG-1', SEED003]).code, 2);
});

test('sarif 2.1.0 shape', () => {
  const r = run(['lint', '--format', 'sarif', SEED003]);
  assert.equal(r.code, 1);
  const s = JSON.parse(r.out);
  assert.equal(s.version, '2.1.0');
  assert.match(s.$schema, /sarif/);
  const driver = s.runs[0].tool.driver;
  assert.equal(driver.name, 'autograd-lens');
  assert.ok(driver.informationUri);
  for (const rule of driver.rules) {
    assert.match(rule.id, /^AGL\d{3}$/);
    for (const k of ['name', 'shortDescription', 'fullDescription', 'help', 'defaultConfiguration']) assert.ok(rule[k], `${rule.id}.${k}`);
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
  }
  assert.ok(s.runs[0].results.length >= 2);
  for (const res of s.runs[0].results) {
    assert.match(res.ruleId, /^AGL\d{3}$/);
    assert.ok(['error', 'warning', 'note'].includes(res.level));
    assert.ok(res.message.text);
    const loc = res.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uri, SEED003);
    assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
  }
});

test('--fix applies safe fixes, reports the count; pyproject config is found by walking up; skipped dirs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agl-cli-'));
  try {
    mkdirSync(join(dir, 'pkg', 'sub'), { recursive: true });
    mkdirSync(join(dir, 'pkg', '.venv'), { recursive: true });
    copyFileSync(join(ROOT, SEED003), join(dir, 'pkg', 'sub', 'train.py'));
    copyFileSync(join(ROOT, SEED003), join(dir, 'pkg', '.venv', 'lib.py'));
    const fixed = run(['lint', '--fix', 'pkg'], dir);
    assert.equal(fixed.code, 0, fixed.out + fixed.err);
    assert.match(fixed.out, /Fixed 1\./);
    assert.match(readFileSync(join(dir, 'pkg', 'sub', 'train.py'), 'utf8'), /create_graph=True/);
    assert.doesNotMatch(readFileSync(join(dir, 'pkg', '.venv', 'lib.py'), 'utf8'), /create_graph=True/, '.venv skipped');
    assert.equal(run(['lint', 'pkg/.venv/lib.py'], dir).code, 1, 'named explicitly: linted');
    writeFileSync(join(dir, 'pyproject.toml'), '[tool.autograd-lens]\nignore = ["AGL001"]\n');
    assert.equal(run(['lint', 'pkg/.venv/lib.py'], dir).code, 0, 'pyproject ignore applies');
    writeFileSync(join(dir, 'pyproject.toml'), '[tool.autograd-lens\n');
    const bad = run(['lint', 'pkg/.venv/lib.py'], dir);
    assert.equal(bad.code, 2);
    // The position and the cause, not the parser's "expected comma or end of structure".
    assert.match(bad.err, /pyproject\.toml:1:1: invalid TOML: the table header \[tool\.autograd-lens is not closed with '\]'/);
    writeFileSync(join(dir, 'pyproject.toml'), '[tool.autograd-lens]\nselect = [AGL001]\n');
    assert.match(run(['lint', 'pkg/.venv/lib.py'], dir).err, /pyproject\.toml:2:11: invalid TOML: AGL001 needs quotes \("AGL001"\)/);
    writeFileSync(join(dir, 'pyproject.toml'), '[tool.autograd-lens]\nignore = ["AGL001"\n\n[project]\nname = "x"\n');
    assert.match(run(['lint', 'pkg/.venv/lib.py'], dir).err, /pyproject\.toml:2:10: invalid TOML: the list opened here is not closed with '\]'/);
    // A code that names no rule: exit 2, where it is and the closest real code.
    writeFileSync(join(dir, 'pyproject.toml'), '[tool.autograd-lens]\nignore = ["AGL001", "AGL9001"]\n');
    const unknown = run(['lint', 'pkg/.venv/lib.py'], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /pyproject\.toml:2:22: AGL9001 in \[tool\.autograd-lens\] ignore matches no rule \(did you mean AGL001\?\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function pkgVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

test('--help of each command prints its usage and exits 0; --version prints the package version', () => {
  for (const [cmd, want] of [['lint', /Usage: autograd-lens lint \[options\] PATH/], ['train', /Usage: autograd-lens train DATA --inputs/], ['analyze', /Usage: autograd-lens analyze MODEL_DIR/], ['export', /Usage: autograd-lens export MODEL_DIR --format pytorch/]] as const) {
    for (const flag of ['--help', '-h']) {
      const r = run([cmd, flag]);
      assert.equal(r.code, 0, `${cmd} ${flag}: ${r.err}`);
      assert.match(r.out, want);
      assert.equal(r.err, '');
    }
  }
  // --help wins over other arguments, even wrong ones.
  assert.equal(run(['train', 'x.csv', '--epoch', '3', '--help']).code, 0);
  assert.equal(run(['help', 'lint']).code, 0);
  assert.match(run(['help', 'export']).out, /--format pytorch\|onnx/);
  // The usage texts name what the commands took on: notebooks, the engines, export.
  assert.match(run(['lint', '--help']).out, /Jupyter notebooks/);
  assert.match(run(['lint', '--help']).out, /--follow-symlinks/);
  for (const option of ['--engine auto|tfjs|torch', '--python PATH', '--device auto|cpu|cuda|mps', '--save-script DIR']) assert.ok(run(['train', '--help']).out.includes(option), option);
  assert.match(run(['--help']).out, /^ {2}export MODEL_DIR/m);
  const v = run(['--version']);
  assert.equal(v.code, 0);
  assert.equal(v.out.trim(), pkgVersion());
  assert.notEqual(v.out.trim(), 'dev');
});

test('a misspelled option, command or rule code says what was meant (exit 2)', () => {
  const epoch = run(['train', 'data.csv', '--inputs', 'x', '--outputs', 'y', '--epoch', '3']);
  assert.equal(epoch.code, 2);
  assert.match(epoch.err, /train: unknown option '--epoch' \(did you mean --epochs\?\)/);
  const lr = run(['analyze', 'model', '--refrence', 'y = x']);
  assert.equal(lr.code, 2);
  assert.match(lr.err, /analyze: unknown option '--refrence' \(did you mean --reference\?\)/);
  const selct = run(['lint', '--selct', 'AGL001', SEED003]);
  assert.equal(selct.code, 2);
  assert.match(selct.err, /lint: unknown option '--selct' \(did you mean --select\?\)/);
  assert.match(run(['lnit', SEED003]).err, /unknown command 'lnit' \(did you mean lint\?\)/);
  assert.match(run(['exprot', 'model']).err, /unknown command 'exprot' \(did you mean export\?\)/);
  const fmt = run(['export', 'model', '--fromat', 'onnx']);
  assert.equal(fmt.code, 2);
  assert.match(fmt.err, /export: unknown option '--fromat' \(did you mean --format\?\)/);
  const eng = run(['train', 'data.csv', '--inputs', 'x', '--outputs', 'y', '--engin', 'torch']);
  assert.equal(eng.code, 2);
  assert.match(eng.err, /train: unknown option '--engin' \(did you mean --engine\?\)/);
  const follow = run(['lint', '--follow-symlink', SEED003]);
  assert.equal(follow.code, 2);
  assert.match(follow.err, /lint: unknown option '--follow-symlink' \(did you mean --follow-symlinks\?\)/);
  const codes = RULES.map((r) => r.code);
  const last = codes[codes.length - 1]!;
  // The last code with an extra digit: one edit from it and two or more from every other code.
  const next = `AGL9${last.slice(3)}`;
  const code = run(['lint', '--select', next, SEED003]);
  assert.equal(code.code, 2);
  assert.ok(code.err.includes(`${next} in --select matches no rule (did you mean ${last}?)`), code.err);
  const far = run(['lint', '--ignore', 'E501', SEED003]);
  assert.equal(far.code, 2);
  assert.ok(far.err.includes(`E501 in --ignore matches no rule (the rule codes run from AGL001 to ${last})`), far.err);
  // Prefixes that match rules are fine.
  assert.equal(run(['lint', '--select', 'AGL00', SEED003]).code, 1);
});

test('text and SARIF output show messages without Markdown backticks (JSON keeps the rule text)', () => {
  const text = run(['lint', SEED003]);
  assert.match(text.out, /AGL001 /);
  assert.doesNotMatch(text.out, /`/);
  assert.match(text.out, /'create_graph=True'/);
  const sarif = JSON.parse(run(['lint', '--format', 'sarif', SEED003]).out);
  for (const res of sarif.runs[0].results) {
    assert.doesNotMatch(res.message.text, /`/);
    assert.ok(res.message.markdown);
  }
});
