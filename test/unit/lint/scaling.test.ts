/**
 * The lint engine is near-linear in the file's size, and a file too large for the analysis' work budget
 * says so (an AGL000 note) instead of silently losing findings or taking minutes.
 * Timings are compared as ratios in one process (budgets live in bench/lint/scaling.ts, not here).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createLinter, type Engine } from '../../../src/core/lint/index';
import { analysisTuning } from '../../../src/core/lint/analysis/index';
import { fixtureDense, notebookLoops, notebookStyle } from '../../../bench/lint/scaling';

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

test('notebook-style module code: 4x the lines cost well under 16x the time (not quadratic)', async () => {
  const linter = (await createLinter()) as Engine;
  linter.lint(notebookStyle(200), { path: 'warm.py' });
  const time = (n: number): number => {
    const text = notebookStyle(n);
    let best = Infinity;
    for (let i = 0; i < 2; i++) {
      const t0 = cpuMs();
      linter.lint(text + `\n# ${i}\n`, { path: `nb-${n}-${i}.py` });
      best = Math.min(best, cpuMs() - t0);
    }
    return best;
  };
  const small = time(500);
  const large = time(2000);
  assert.ok(large / small < 9, `500 lines ${small.toFixed(0)} ms, 2,000 lines ${large.toFixed(0)} ms: ratio ${(large / small).toFixed(1)} (linear is 4)`);
});

test('a file beyond the analysis budget gets an AGL000 note (info) naming where it stopped, and is not an internal error', async () => {
  const linter = (await createLinter()) as Engine;
  const text = notebookStyle(400);
  analysisTuning.budget = 2_000;
  try {
    const diags = linter.lint(text, { path: 'budget.py' });
    const note = diags.find((d) => d.code === 'AGL000');
    assert.ok(note, 'the note is there');
    assert.equal(note.severity, 'info');
    assert.match(note.message, /stopped at its work budget near line (\d+) of \d+/);
    const line = Number(/near line (\d+)/.exec(note.message)![1]);
    assert.ok(line > 1 && line < 400, `stopped inside the file (line ${line})`);
    assert.deepEqual(linter.lastRun.internalErrors, []);
  } finally {
    analysisTuning.budget = undefined;
  }
  const full = linter.lint(text + '\n', { path: 'full.py' });
  assert.equal(full.filter((d) => d.code === 'AGL000').length, 0, 'with the default budget the same file is analysed to the end');
});

test('a notebook whose cells each train in a loop (backward, optimizer step): 4x the lines cost well under 16x the time', async () => {
  // Every optimizer step used to update every earlier cell's tensors (their graphs are stale), and every
  // loop copied and joined all module-level variables: quadratic in the number of cells.
  const linter = (await createLinter()) as Engine;
  linter.lint(notebookLoops(200), { path: 'warm-loops.py' });
  const time = (n: number): number => {
    const text = notebookLoops(n);
    let best = Infinity;
    for (let i = 0; i < 2; i++) {
      const t0 = cpuMs();
      linter.lint(text + `\n# ${i}\n`, { path: `loops-${n}-${i}.py` });
      best = Math.min(best, cpuMs() - t0);
    }
    return best;
  };
  const small = time(1000);
  const large = time(4000);
  assert.ok(large / small < 8, `1,000 lines ${small.toFixed(0)} ms, 4,000 lines ${large.toFixed(0)} ms: ratio ${(large / small).toFixed(1)} (linear is 4)`);
});

test('a fixture-dense file (the lint fixtures repeated): 4x the lines keep about 4x the memory, under 3.2 KB a line, and cost well under 16x the time', async () => {
  // A use inside a function of a module name bound N times (`import torch` in every pasted snippet) was an
  // edge to each of the N bindings in the def-use graph and the use index: memory quadratic in the file.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const linter = (await createLinter()) as Engine;
  linter.lint(fixtureDense(500), { path: 'warm-fixtures.py' });
  // The engine keeps the last models (and their analyses) in its cache: what a lint retains is measured.
  const retained = (n: number): { ms: number; mb: number } => {
    gc();
    const h0 = process.memoryUsage().heapUsed;
    const t0 = cpuMs();
    linter.lint(fixtureDense(n), { path: `fixtures-${n}.py` });
    const ms = cpuMs() - t0;
    gc();
    return { ms, mb: (process.memoryUsage().heapUsed - h0) / 2 ** 20 };
  };
  const small = retained(4000);
  const large = retained(16000);
  const mem = large.mb / small.mb;
  const time = large.ms / small.ms;
  assert.ok(mem < 4.4, `retained 4,000 lines ${small.mb.toFixed(1)} MB, 16,000 lines ${large.mb.toFixed(1)} MB: ratio ${mem.toFixed(1)} (linear is 4)`);
  // What a line keeps (Node 20's object sizes): 3.5 KB before the tree copy's exact-size children arrays and
  // the leaner call, value and id-set objects, 2.8 KB after (docs/benchmarks.md "Memory of a long file").
  const perLine = (large.mb * 1024) / 16000;
  assert.ok(perLine < 3.2, `retained ${perLine.toFixed(2)} KB per line at 16,000 fixture-dense lines (2.8 expected)`);
  assert.ok(time < 9, `4,000 lines ${small.ms.toFixed(0)} ms, 16,000 lines ${large.ms.toFixed(0)} ms: ratio ${time.toFixed(1)} (linear is 4)`);
});
