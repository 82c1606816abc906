/**
 * Syntax-error recovery in the parse step (parser.ts, `recoverSyntaxErrors`): when tree-sitter's own
 * recovery swallows the rest of the file into one top-level ERROR node, the broken lines are left out
 * with included ranges and the statements below them are linted again.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadPythonParser, nextStatementLine, parserTuning } from '../../../src/core/lint/parser';
import { computeLineStarts, type PyTree } from '../../../src/core/lint/tree';
import { allFixtures, getLinter, ROOT } from './helpers';

const SYNTAX = join(ROOT, 'test/fixtures/lint-engine/syntax');
const read = (name: string): string => readFileSync(join(SYNTAX, name), 'utf8');

function shape(t: PyTree): string {
  const parts: string[] = [];
  for (const n of t.nodes) parts.push(`${n.id}:${n.type}:${n.field}:${n.named}:${n.start}-${n.end}:${n.parent?.id ?? -1}:${n.children.map((c) => c.id).join(',')}`);
  return `${t.hasError} ${t.comments.map((c) => c.id).join(',')}\n${parts.join('\n')}`;
}

/** Run `f` with recovery switched on or off, restoring the switch afterwards. */
function withRecovery<T>(on: boolean, f: () => T): T {
  const before = parserTuning.recoverSyntax;
  parserTuning.recoverSyntax = on;
  try {
    return f();
  } finally {
    parserTuning.recoverSyntax = before;
  }
}

/** 0-based line of every AGL012 diagnostic. */
async function agl012Lines(source: string): Promise<number[]> {
  const linter = await getLinter();
  return linter
    .lint(source)
    .filter((d) => d.code === 'AGL012')
    .map((d) => d.range.start.line);
}

const LINE_OF_X = (src: string): number => src.split('\n').findIndex((l) => l.startsWith('x = torch.ones'));

describe('syntax-error recovery', () => {
  // [fixture, whether tree-sitter alone loses the `x = ...` statement below the error]
  const FIXTURES: [string, boolean][] = [
    ['broken-def-header.py', true],
    ['unclosed-paren.py', true],
    ['broken-method-header.py', true],
    ['broken-class-header.py', false],
  ];
  for (const [name, lostWithout] of FIXTURES) {
    it(`lints the statement below the error in ${name}`, async () => {
      const src = read(name);
      const line = LINE_OF_X(src);
      assert.ok(line > 0);
      const xStart = computeLineStarts(src)[line];
      const parser = await loadPythonParser();
      const hasX = (t: PyTree): boolean => t.root.children.some((c) => c.start === xStart && c.type === 'expression_statement');
      assert.equal(hasX(withRecovery(false, () => parser.parse(src))), !lostWithout, 'tree-sitter alone');
      assert.equal(hasX(withRecovery(true, () => parser.parse(src))), true, 'with recovery');
      assert.deepEqual(await agl012Lines(src), [line]);
    });
  }

  it('the broken def header loses the rest of the file without recovery, not with it', async () => {
    const src = 'import torch\ndef f(:\n    x = )\nx = torch.ones(3, dtype=torch.long, requires_grad=True)\n';
    const parser = await loadPythonParser();
    const off = withRecovery(false, () => parser.parse(src));
    const on = withRecovery(true, () => parser.parse(src));
    const xStart = src.indexOf('x = torch');
    const top = (t: PyTree): string[] => t.root.children.map((c) => `${c.type}@${c.start}-${c.end}`);
    assert.ok(!top(off).some((s) => s.startsWith(`expression_statement@${xStart}`)), `without recovery: ${top(off).join(' ')}`);
    assert.ok(top(on).includes(`expression_statement@${xStart}-${src.length - 1}`), `with recovery: ${top(on).join(' ')}`);
    assert.equal(on.hasError, true, 'the text still has a syntax error');
    // Positions are absolute: every node's offsets index the original text.
    const call = on.nodes.find((n) => n.type === 'call');
    assert.ok(call);
    assert.equal(src.slice(call.start, call.end), 'torch.ones(3, dtype=torch.long, requires_grad=True)');
    // The linter sees it on line 4 (0-based 3).
    assert.deepEqual(await agl012Lines(src), [3]);
  });

  it('keeps the statements above and between errors', async () => {
    const src = [
      'import torch',
      'a = torch.zeros(3)',
      'y = torch.sin(a,',
      'b = 2',
      'class C(:',
      '    pass',
      'x = torch.ones(3, dtype=torch.long, requires_grad=True)',
      '',
    ].join('\n');
    const parser = await loadPythonParser();
    const t = parser.parse(src);
    const texts = t.root.children.map((c) => src.slice(c.start, c.end));
    assert.ok(texts.includes('a = torch.zeros(3)'), texts.join(' | '));
    assert.ok(texts.includes('b = 2'), texts.join(' | '));
    assert.ok(texts.includes('x = torch.ones(3, dtype=torch.long, requires_grad=True)'), texts.join(' | '));
    assert.deepEqual(await agl012Lines(src), [6]);
  });

  it('recovers the same statements with LF and CRLF line breaks', async () => {
    // A mutant of the AGL040 fixture (fuzz seed 20250214, mutant 38): two candidate regions whose costs differ by less
    // than the number of lines they leave out; counting the `\r` of `\r\n` made the CRLF text keep another candidate.
    const src = [
      "an output index, a missing `i`, and a column that the other derivatives give to another variable.\"\"\"",
      "\"\"\"AGL040 bad (lint-only: DeepXDE with a TensorFlow backend is not installed here): Hessian indices read as",
      "import deepxde as dde",
      "",
      "",
      "de/f heat_2d(x, u):",
      "    u_xx = dde.grad.hessian(u, x, i=0, j=0)",
      "    u_yy = dde.grad.hessian(u, x, i=0, j=1)  #\u0019 expect: AGL040",
      "    u_t = dde.grad.jacobian(u, x, i=0, j=2)",
      "    return u_t - 0.1 * (u_xx + u_yy)",
      "",
      "",
      "def wave_1d(x, y):",
      "    dy_xx = dde.grad.hessian(y, x, i=0, j=0)",
      "    dy_tt = dde.grad.hessian(y, x, j=1)  # expect: AGL040",
      "    return dy_tt - 4.0 * dy_xx",
      "",
      "",
      "def mixed(x, y):",
      "    dy_xtn = dde.grad.hessian(y, x, i=1, j=1)  # expect: AGL040",
      "    return dy_x[t",
      "",
      "",
      "def transport_2d(x, y):",
      "    dy_x = dde.grad.jacobian(y, x, i=0, j=0)",
      "    dy_y = dde.grad.jacobian(y, x, i=0, j=1)",
      "    dy_t = dde.grad.jacobian(y, x, i=0, j=2)",
      "    dy_tt = dde.grad.hessian(y, x, i=1, j=1)  # expect: AGL040",
      "    return dy_t + dy_x + dy_y - dy_tt",
      "",
      "",
      "def beam(X, U):",
      "    x, t = X[:, 0:1], X[:, 1:2]",
      "    u = U[:, 0:1]",
      "    u_x = dde.grad.jacobian(u, x)  # expect: AGL040",
      "    u_tt = dde.grad.hessian(U, X[:, 1:2])  # expect: AGL040",
      "    return u_x + u_tt + t",
      "z",
    ].join('\n');
    const parser = await loadPythonParser();
    const top = (text: string): string[] => {
      const t = parser.parse(text);
      return t.root.children.map((c) => `${c.type}@${text.slice(0, c.start).split('\n').length}`);
    };
    assert.deepEqual(top(src.replace(/\n/g, '\r\n')), top(src));
  });

  it('does not throw when nothing can be recovered', async () => {
    const parser = await loadPythonParser();
    const linter = await getLinter();
    for (const src of ['def f(', ')))\n(((\n', '((\n]]\n', 'def f(:\n', '"""\n', 'class (\n  x\n  y\n', 'if x:\nelse\nelif:\n']) {
      const t = parser.parse(src);
      assert.equal(t.hasError, true, JSON.stringify(src));
      for (const n of t.nodes) assert.ok(n.start >= 0 && n.end <= src.length && n.start <= n.end);
      assert.ok(Array.isArray(linter.lint(src)));
      assert.ok(Array.isArray(linter.lintDocument('file:///syntax-recovery-unrecoverable.py', src)));
    }
  });

  it('never runs on a valid file: the tree is the same with recovery on and off', async () => {
    const parser = await loadPythonParser();
    let valid = 0;
    for (const f of allFixtures()) {
      const src = readFileSync(f, 'utf8');
      const on = withRecovery(true, () => parser.parse(src));
      if (on.hasError) continue;
      valid++;
      assert.equal(shape(on), shape(withRecovery(false, () => parser.parse(src))), f);
      const state = parser.parseIncremental(src);
      try {
        assert.equal(state.recovered, false, f);
      } finally {
        state.wasm.delete();
      }
    }
    assert.ok(valid > 10, `only ${valid} valid fixtures`);
  });

  it('incremental parsing gives the same recovered tree, and a recovered tree is not reused', async () => {
    const parser = await loadPythonParser();
    const versions = [
      'import torch\nx = torch.ones(3, dtype=torch.long, requires_grad=True)\n',
      'import torch\ndef f(\nx = torch.ones(3, dtype=torch.long, requires_grad=True)\n',
      'import torch\ndef f(:\n    y = )\nx = torch.ones(3, dtype=torch.long, requires_grad=True)\n',
      'import torch\ndef f(:\n    y = )\nx = torch.ones(3, dtype=torch.long, requires_grad=True)\n',
      'import torch\ndef f():\n    y = 1\nx = torch.ones(3, dtype=torch.long, requires_grad=True)\n',
      'import torch\ndef f():\n    y = 1\nx = torch.ones(3, requires_grad=True)\n',
    ];
    let state = parser.parseIncremental(versions[0]);
    try {
      for (const v of versions.slice(1)) {
        state = parser.parseIncremental(v, state);
        assert.equal(shape(state.tree), shape(parser.parse(v)), JSON.stringify(v));
        assert.equal(state.recovered, v.includes('f(:') || v.includes('f(\n'), JSON.stringify(v));
      }
    } finally {
      state.wasm.delete();
    }
    // The linter's document path agrees with lint() on the broken version.
    const linter = await getLinter();
    const uri = 'file:///syntax-recovery-incremental.py';
    for (const v of versions) assert.deepEqual(linter.lintDocument(uri, v), linter.lint(v), JSON.stringify(v));
  });

  it('a parse after a recovered one covers the whole text again', async () => {
    const parser = await loadPythonParser();
    parser.parse(read('broken-def-header.py'));
    const src = 'a = 1\nb = 2\n';
    const t = parser.parse(src);
    assert.equal(t.hasError, false);
    assert.deepEqual(t.root.children.map((c) => src.slice(c.start, c.end)), ['a = 1', 'b = 2']);
  });
});

describe('nextStatementLine', () => {
  const next = (src: string, line = 0): number => nextStatementLine(src, computeLineStarts(src), line);

  it('skips indented, blank, comment and bracket lines', () => {
    assert.equal(next('def f(:\n    x = )\n\n# c\n)\n(a)\n"s"\n1\ny = 2\n'), 8);
    assert.equal(next('x = (\n@dec\ndef g(): pass\n'), 1);
  });

  it('skips lines continuing a compound statement', () => {
    assert.equal(next('try(:\nexcept E:\nfinally:\nelse:\nelif x:\nz = 1\n'), 5);
  });

  it('skips lines inside a triple-quoted string and after a backslash continuation', () => {
    assert.equal(next('s = f("""\nx = 1\n"""\ny = 2\n'), 3);
    assert.equal(next("s = f('''\\'''\nx = 1\n'''\ny = 2\n"), 3);
    assert.equal(next('x = (1 + \\\ny\nz = 3\n'), 2);
    assert.equal(next('x = "a # not a comment \\"\ny = 1\n'), 1);
    assert.equal(next('x = (  # """ in a comment\ny = 1\n'), 1);
  });

  it('returns -1 when there is none', () => {
    assert.equal(next('def f(:\n    x\n'), -1);
    assert.equal(next('x = """\ny = 1\n'), -1);
    assert.equal(next('x'), -1);
  });

  it('accepts non-ASCII identifiers', () => {
    assert.equal(next('f(\né = 1\n'), 1);
  });
});
