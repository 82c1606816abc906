/**
 * A long file is parsed in pieces that start at top-level statements (parser.ts, `parseSplitPoints`), so
 * the wasm memory holds one piece's tree at a time. The copy must be exactly the tree of one parse of the
 * whole text, and a split the scan cannot trust (inside a string, a bracket, after a decorator or a
 * backslash, before a comment that may belong to a block) must not be made.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { loadPythonParser, parserTuning, parseSplitPoints } from '../../../src/core/lint/parser';
import type { PyTree } from '../../../src/core/lint/tree';
import { fixtureDense, notebookLoops } from '../../../bench/lint/scaling';
import { allFixtures } from './helpers';

function shape(t: PyTree): string {
  const parts: string[] = [];
  for (const n of t.nodes) parts.push(`${n.id}:${n.type}:${n.field}:${n.named}:${n.start}-${n.end}:${n.parent?.id ?? -1}:${n.children.map((c) => c.id).join(',')}`);
  return `${t.hasError} ${t.comments.map((c) => c.id).join(',')} ${t.lineStarts.join(',')}\n${parts.join('\n')}`;
}

const saved = parserTuning.chunkLines;
after(() => {
  parserTuning.chunkLines = saved;
});

async function both(text: string, every: number): Promise<{ whole: PyTree; pieces: PyTree; count: number }> {
  const parser = await loadPythonParser();
  parserTuning.chunkLines = 0;
  const whole = parser.parse(text);
  parserTuning.chunkLines = every;
  const pieces = parser.parse(text);
  return { whole, pieces, count: parser.lastPieces };
}

describe('parsing a long file in pieces', () => {
  it('gives the tree of one parse on generated files (fixtures repeated, notebook loops)', async () => {
    for (const text of [fixtureDense(6000), notebookLoops(3000)]) {
      const { whole, pieces, count } = await both(text, 200);
      assert.ok(count > 5, `parsed in ${count} pieces`);
      assert.equal(whole.hasError, false);
      assert.equal(shape(pieces), shape(whole));
    }
  });

  it('gives the tree of one parse on every lint fixture, cut every few lines', async () => {
    let cut = 0;
    for (const path of allFixtures()) {
      const { whole, pieces, count } = await both(readFileSync(path, 'utf8').replace(/\r(?!\n)/g, '\n'), 3);
      if (count > 1) cut++;
      assert.equal(shape(pieces), shape(whole), path);
    }
    assert.ok(cut > 50, `${cut} fixtures were cut`);
  });

  it('does not cut inside a string, a bracket, after a decorator or a backslash, or after a comment', () => {
    const lines = [
      'import torch',
      'x = 1',
      '"""',
      'text at column zero',
      'more text',
      '"""',
      'y = f(',
      'a,',
      'b)',
      '@decorator',
      'def g():',
      '    return 1',
      '# a comment',
      'z = 1 + \\',
      'w',
      "s = 'one # line'",
      'ok = 2',
      'done = 3',
    ];
    const text = lines.join('\n') + '\n';
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
    const lineOf = (offset: number): number => starts.indexOf(offset);
    const cuts = parseSplitPoints(text, 1).map(lineOf);
    // Allowed: after a complete top-level statement, before one. Line numbers are 0-based.
    assert.deepEqual(cuts, [1, 16, 17]);
  });

  it('falls back to one parse, with syntax-error recovery, when a piece has a syntax error', async () => {
    const body = Array.from({ length: 40 }, (_, i) => `v${i} = torch.ones(${i})`);
    const text = ['import torch', ...body.slice(0, 20), 'def broken(:', '    pass', ...body.slice(20)].join('\n') + '\n';
    const { whole, pieces, count } = await both(text, 5);
    assert.equal(count, 1);
    assert.equal(pieces.hasError, true);
    assert.equal(shape(pieces), shape(whole));
  });
});
