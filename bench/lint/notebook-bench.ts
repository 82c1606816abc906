/**
 * What notebooks cost (not a test: timings depend on the machine). Results: docs/benchmarks.md.
 *
 *   node --import tsx bench/lint/notebook-bench.ts DIR... [--rounds N]
 *
 * Reads every `.ipynb` under the folders into memory, then, in one process and N rounds (default 5,
 * the first one a warm-up that is not counted), times:
 *   notebook:  parseNotebook (JSON with positions) + lintCells (mask, concatenate, lint, map back)
 *   as .py:    linter.lint of the same program text (the code cells as one Python file)
 *   JSON only: parseNotebook alone (part of "notebook")
 * in CPU time (process.cpuUsage) and wall time, and prints the ratio notebook / .py: the price of the
 * notebook layer over linting the same code as a file. At step i the notebook path lints notebook i and
 * the .py path notebook i + 10, so the same text is never linted within 20 lints of itself: the
 * engine's model cache (the last 8 texts) cannot serve one path with the other's parse.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createLinter } from '../../src/core/lint/index';
import { buildProgram, isPythonNotebook, lintCells, parseNotebook } from '../../src/core/notebook/index';
import { sourceFiles } from './source-files.mjs';

/** The notebooks under `dir`, walked as the other lint benchmarks walk a tree (source-files.mjs). */
function notebooks(dir: string): string[] {
  return sourceFiles(dir, '.ipynb');
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const ri = args.indexOf('--rounds');
  const rounds = ri >= 0 ? Number(args[ri + 1]) : 5;
  const dirs = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds');
  const inputs = dirs.flatMap(notebooks).map((f) => ({ file: f, text: readFileSync(f, 'utf8') }));
  const items = inputs
    .map((x) => ({ ...x, nb: parseNotebook(x.text, x.file) }))
    .filter((x) => isPythonNotebook(x.nb))
    .map((x) => ({ ...x, program: buildProgram(x.nb.cells).units[0].text }));
  const lines = items.reduce((n, x) => n + x.program.split('\n').length, 0);
  const bytes = items.reduce((n, x) => n + x.text.length, 0);
  const linter = await createLinter();
  const t = { nbCpu: 0, nbWall: 0, pyCpu: 0, pyWall: 0, jsonCpu: 0 };
  let findings = 0;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < items.length; i++) {
      const x = items[i];
      const y = items[(i + 10) % items.length];
      let c = cpuMs();
      let w = performance.now();
      findings += lintCells(linter, parseNotebook(x.text, x.file).cells, { path: x.file }).length;
      const nbCpu = cpuMs() - c;
      const nbWall = performance.now() - w;
      c = cpuMs();
      w = performance.now();
      findings += linter.lint(y.program, { path: y.file }).length;
      const pyCpu = cpuMs() - c;
      const pyWall = performance.now() - w;
      c = cpuMs();
      parseNotebook(x.text, x.file);
      const jsonCpu = cpuMs() - c;
      if (r === 0) continue; // warm-up
      t.nbCpu += nbCpu;
      t.nbWall += nbWall;
      t.pyCpu += pyCpu;
      t.pyWall += pyWall;
      t.jsonCpu += jsonCpu;
    }
  }
  const n = rounds - 1;
  const per = (ms: number) => `${(ms / n).toFixed(0)} ms`;
  console.log(`${items.length} notebooks, ${lines} lines of code cells, ${(bytes / 1e6).toFixed(1)} MB of JSON; ${n} timed rounds; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`notebook (JSON + cells): CPU ${per(t.nbCpu)}, wall ${per(t.nbWall)} per round = ${Math.round((lines * n) / (t.nbCpu / 1000)).toLocaleString('en')} lines/s of CPU`);
  console.log(`as .py (same code):      CPU ${per(t.pyCpu)}, wall ${per(t.pyWall)} per round = ${Math.round((lines * n) / (t.pyCpu / 1000)).toLocaleString('en')} lines/s of CPU`);
  console.log(`JSON only (parseNotebook):  CPU ${per(t.jsonCpu)} per round (${((t.jsonCpu / t.nbCpu) * 100).toFixed(0)} % of the notebook path)`);
  console.log(`ratio notebook / .py: CPU ${(t.nbCpu / t.pyCpu).toFixed(2)}x, wall ${(t.nbWall / t.pyWall).toFixed(2)}x (findings counted: ${findings})`);
}

void main();
