/**
 * The tree copy through the runtime's raw cursor functions (parser.ts, `RawCursorApi`) must give the
 * same `PyTree` as the copy through web-tree-sitter's `TreeCursor` API, including on syntax errors and
 * non-ASCII text, and must leave the cursor in a state that `delete()` frees (many parses in a row).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { loadPythonParser, parserTuning } from '../../../src/core/lint/parser';
import type { PyTree } from '../../../src/core/lint/tree';
import type { Tree as WasmTree } from 'web-tree-sitter';
import { allFixtures } from './helpers';

/** A sample of PyTorch's own sources when installed (more field-carrying syntax than the fixtures). */
function torchSample(max: number): string[] {
  let dir: string;
  try {
    dir = execFileSync('python3', ['-c', 'import torch, os; print(os.path.dirname(torch.__file__))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return []; // no PyTorch: the fixtures alone
  }
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (out.length >= max) return;
      if (e.isDirectory() && e.name !== '__pycache__') visit(join(d, e.name));
      else if (e.isFile() && e.name.endsWith('.py')) out.push(readFileSync(join(d, e.name), 'utf8'));
    }
  };
  visit(dir);
  return out;
}

function shape(t: PyTree): string {
  const parts: string[] = [];
  for (const n of t.nodes) parts.push(`${n.id}:${n.type}:${n.field}:${n.named}:${n.start}-${n.end}:${n.parent?.id ?? -1}:${n.children.map((c) => c.id).join(',')}`);
  return `${t.hasError} ${t.comments.map((c) => c.id).join(',')} ${t.lineStarts.join(',')}\n${parts.join('\n')}`;
}

describe('tree copy through raw cursor functions', () => {
  it('is available with the installed web-tree-sitter', async () => {
    const parser = await loadPythonParser();
    assert.ok((parser as unknown as { loaded: { raw: unknown } }).loaded.raw, 'raw cursor functions not detected: the copy would fall back to the slower TreeCursor API');
  });

  it('equals the TreeCursor copy on every fixture, on broken code and on non-ASCII text', async () => {
    const parser = await loadPythonParser();
    const texts = allFixtures().map((f) => readFileSync(f, 'utf8'));
    texts.push('é😀 = torch.ones(3)\n# ünïcödé 😀\ndef f(x):\n    return x ** 2  # 😀\n');
    texts.push('import torch\ndef f(x:\n    y = (x +\n  z = ]\nclass C(:\n');
    texts.push('', '\n', 'x', '"""unterminated\n');
    texts.push(...torchSample(150));
    const before = parserTuning.rawCursor;
    try {
      for (const [i, text] of texts.entries()) {
        parserTuning.rawCursor = true;
        const fast = shape(parser.parse(text));
        parserTuning.rawCursor = false;
        const slow = shape(parser.parse(text));
        assert.equal(fast, slow, `text ${i}`);
      }
      // Many parses with the raw copy: a cursor freed from a stale state would corrupt the heap.
      parserTuning.rawCursor = true;
      const big = texts.join('\n');
      const want = shape(parser.parse(big));
      for (let i = 0; i < 30; i++) assert.equal(shape(parser.parse(big)), want);
    } finally {
      parserTuning.rawCursor = before;
    }
  });
});

describe('node kinds (type, field, named kept as one index per node)', () => {
  it("give every node tree-sitter's own type, field name and namedness", async () => {
    const parser = await loadPythonParser();
    const ts = (parser as unknown as { loaded: { parser: { parse(text: string): WasmTree | null } } }).loaded.parser;
    // The same type under different fields and none (`identifier`, `type`), operator tokens kept for
    // their field, keywords dropped, and the fixtures for the rest.
    const texts = ['type X = int\ndef f(a: int, *b: "str") -> X:\n    return -a ** 2 if a is not None else a @ a\n', ...allFixtures().slice(0, 40).map((f) => readFileSync(f, 'utf8'))];
    for (const [i, text] of texts.entries()) {
      const copy = parser.parse(text);
      const wasm = ts.parse(text);
      assert.ok(wasm);
      const want: string[] = [];
      const cursor = wasm.walk();
      try {
        // Pre-order over tree-sitter's nodes, keeping what the copy keeps: named nodes and field-carrying tokens.
        const visit = (): void => {
          const keep = cursor.currentNode.isNamed || cursor.currentFieldName !== null;
          if (!keep) return;
          want.push(`${cursor.nodeType}:${cursor.currentFieldName}:${cursor.currentNode.isNamed}:${cursor.startIndex}-${cursor.endIndex}`);
          if (cursor.gotoFirstChild()) {
            do visit();
            while (cursor.gotoNextSibling());
            cursor.gotoParent();
          }
        };
        visit();
      } finally {
        cursor.delete();
        wasm.delete();
      }
      const got = copy.nodes.map((n) => `${n.type}:${n.field}:${n.named}:${n.start}-${n.end}`);
      assert.deepEqual(got, want, `text ${i}`);
    }
  });
});
