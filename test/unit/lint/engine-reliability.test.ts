/**
 * The engine never loses findings silently: lines are counted as Python counts them (a lone CR is a
 * line break), fix edits keep the file's line breaks, and failures come back as AGL000 diagnostics.
 * Line numbers are checked against CPython's own (`ast`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { applyFixes, Engine, INTERNAL_ERROR_CODE, type Diagnostic } from '../../../src/core/lint/index';
import { loadPythonParser } from '../../../src/core/lint/parser';
import type { Rule } from '../../../src/core/lint/rule';
import { ALL_RULES } from '../../../src/core/lint/rules';
import { getLinter, ROOT } from './helpers';

const SEED003 = readFileSync(join(ROOT, 'test/fixtures/lint-engine/AGL001/seed003_jacobian_requires_grad.py'), 'utf8');

/** 1-based lines of every call to `name` (an attribute's last part), as CPython's parser numbers them. */
function pythonCallLines(source: string, name: string): number[] {
  const script = `
import ast, sys
src = sys.stdin.buffer.read()
print(' '.join(str(n.lineno) for n in ast.walk(ast.parse(src)) if isinstance(n, ast.Call) and getattr(n.func, 'attr', getattr(n.func, 'id', None)) == sys.argv[1]))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script, name], { input: Buffer.from(source, 'utf8'), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split(/\s+/).filter(Boolean).map(Number).sort((a, b) => a - b);
}

const summary = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.column}-${d.range.end.line}:${d.range.end.column}`);

test('LF, CRLF and old-Mac CR files get the same findings at the same positions', async () => {
  const linter = await getLinter();
  const lf = linter.lint(SEED003);
  assert.ok(lf.filter((d) => d.code === 'AGL001').length >= 2, 'the fixture has its two AGL001');
  assert.deepEqual(summary(linter.lint(SEED003.replace(/\n/g, '\r\n'))), summary(lf));
  const cr = SEED003.replace(/\n/g, '\r');
  assert.deepEqual(summary(linter.lint(cr)), summary(lf));
  const jac = lf.find((d) => d.code === 'AGL001')!;
  assert.deepEqual(pythonCallLines(cr, 'jacobian'), [jac.range.start.line + 1], 'CPython puts the call on the same line');
});

test('a stray CR inside the file shifts later lines exactly as CPython counts them', async () => {
  const linter = await getLinter();
  const lines = SEED003.split('\n');
  lines[9] = `${lines[9]}\r# a comment after a stray carriage return`;
  const src = lines.join('\n');
  const jac = linter.lint(src).find((d) => d.code === 'AGL001' && /jacobian/.test(d.message))!;
  assert.ok(jac);
  assert.deepEqual(pythonCallLines(src, 'jacobian'), [jac.range.start.line + 1]);
  const lfJac = linter.lint(SEED003).find((d) => d.code === 'AGL001' && /jacobian/.test(d.message))!;
  assert.equal(jac.range.start.line, lfJac.range.start.line + 1);
});

test('fixes applied to an old-Mac file keep its CR line breaks and every byte around them', async () => {
  const linter = await getLinter();
  const cr = SEED003.replace(/\n/g, '\r');
  const { output, applied, edits } = applyFixes(cr, linter.lint(cr));
  assert.ok(applied >= 1);
  assert.ok(!output.includes('\n'), 'no LF written into a CR file');
  let rebuilt = '';
  let at = 0;
  for (const e of edits) {
    rebuilt += cr.slice(at, e.start) + e.text;
    at = e.end;
  }
  assert.equal(rebuilt + cr.slice(at), output, 'the output is the input plus the listed edits');
  const before = linter.lint(cr).filter((d) => d.code === 'AGL001').length;
  assert.ok(linter.lint(output).filter((d) => d.code === 'AGL001').length < before, 'the fix removed a finding');
  assert.equal(spawnSync('/usr/bin/python3', ['-c', 'import sys; compile(sys.stdin.buffer.read(), "f", "exec")'], { input: Buffer.from(output) }).status, 0, 'the fixed file compiles');
});

test('a rule that throws becomes an AGL000 diagnostic; the other rules still report', async () => {
  const parser = await loadPythonParser();
  const thrower: Rule = {
    meta: { ...ALL_RULES[0].meta, code: 'AGL099', name: 'thrower' },
    check() {
      throw new TypeError("Cannot read properties of undefined (reading 'node')");
    },
  };
  const engine = new Engine(parser, [...ALL_RULES, thrower]);
  const src = `# noqa\n${SEED003}`;
  const ds = engine.lint(src, { config: { select: [], ignore: ['AGL000'], severity: { AGL000: 'off' } } });
  const internal = ds.filter((d) => d.code === INTERNAL_ERROR_CODE);
  assert.equal(internal.length, 1, 'not hidden by ignore, severity or noqa');
  assert.equal(internal[0].severity, 'error');
  assert.match(internal[0].message, /Internal error in AGL099: TypeError: Cannot read properties/);
  assert.equal(internal[0].range.start.line, 0);
  assert.ok(ds.some((d) => d.code === 'AGL001'), 'AGL001 still reports');
  assert.equal(engine.lastRun.internalErrors.length, 1);
  assert.match(engine.lastRun.internalErrors[0].error, /at Object\.check/, 'the stack is kept for the logs');
  // Not active, not run: no error.
  assert.deepEqual(engine.lint(src, { config: { select: ['AGL001'], ignore: [], severity: {} } }).filter((d) => d.code === INTERNAL_ERROR_CODE), []);
});

test('a parse or model failure is an AGL000 on the file, never an empty result', async () => {
  const real = await loadPythonParser();
  const broken = Object.create(real) as typeof real;
  broken.parse = () => {
    throw new RangeError('Maximum call stack size exceeded');
  };
  const engine = new Engine(broken, ALL_RULES);
  const ds = engine.lint(SEED003);
  assert.equal(ds.length, 1);
  assert.equal(ds[0].code, INTERNAL_ERROR_CODE);
  assert.match(ds[0].message, /could not analyse this file \(RangeError: Maximum call stack size exceeded\)/);
  assert.equal(engine.lastRun.parsed, false);
});

test('a very long expression never costs the file its findings silently', async () => {
  const linter = await getLinter();
  const long = `total = ${Array.from({ length: 1100 }, (_, i) => `a${i}`).join(' + ')}\n`;
  for (const src of [`${SEED003}\n${long}`, `${long}${SEED003}`]) {
    const ds = linter.lint(src);
    assert.ok(
      ds.some((d) => d.code === 'AGL001') || ds.some((d) => d.code === INTERNAL_ERROR_CODE),
      'either the findings or an AGL000 saying they are missing',
    );
  }
});

test('syntax errors are flagged and located at tree-sitter\'s first error', async () => {
  const linter = await getLinter();
  const src = `import torch\nx = 1\ny = (2,\nz = 3\n`;
  linter.lint(src);
  assert.equal(linter.lastRun.syntaxError, true);
  assert.equal(linter.lastRun.parsed, true);
  const at = linter.locateSyntaxError(src);
  assert.ok(at && at.line === 2, JSON.stringify(at));
  linter.lint(SEED003);
  assert.equal(linter.lastRun.syntaxError, false);
  assert.equal(linter.locateSyntaxError(SEED003), null);
  linter.lint('x = (\n'); // mentions no framework: not parsed
  assert.equal(linter.lastRun.parsed, false);
});

test('the model cache of lint() keeps a bounded amount of source: a long text is not kept, older ones leave first', async () => {
  const linter = new Engine(await loadPythonParser(), ALL_RULES);
  const cache = (linter as unknown as { cache: Map<string, unknown> }).cache;
  const saved = Engine.CACHE_CHARS;
  Engine.CACHE_CHARS = 1000;
  try {
    const text = (i: number): string => `import torch\nx${i} = torch.ones(3, requires_grad=True)\n${'#'.repeat(400)}\n`;
    linter.lint(text(1));
    linter.lint(text(2));
    assert.deepEqual([...cache.keys()], [text(1), text(2)]);
    linter.lint(text(3)); // over 1,000 characters with the other two: the oldest leaves
    assert.deepEqual([...cache.keys()], [text(2), text(3)]);
    const long = text(4) + '#'.repeat(1200) + '\n';
    const diags = linter.lint(long);
    assert.deepEqual([...cache.keys()], [text(2), text(3)], 'a text over the limit is linted but not kept');
    assert.deepEqual(linter.lint(long), diags);
  } finally {
    Engine.CACHE_CHARS = saved;
  }
});
