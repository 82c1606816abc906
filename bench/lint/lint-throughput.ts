/**
 * Lint engine budgets (not a test: timings vary by machine).
 *   npx tsx bench/lint/lint-throughput.ts [DIR]
 * 1. Cold throughput over a Python tree (default: the installed PyTorch package's own sources, found
 *    through `python3 -c "import torch"`; pass a directory otherwise). Goal: 100,000 lines/s.
 * 2. Re-lint of a 5,000-line file built from the fixtures after a one-line edit, through lint() and
 *    lintDocument(). Goal: < 20 ms (median of 20 runs, wall and CPU).
 * Also reports rule crashes (must be 0) and diagnostics per rule, to eyeball false positives.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createLinter, type Engine } from '../../src/core/lint/index';
import { sourceFiles } from './source-files.mjs';

function torchDir(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    try {
      return execFileSync(py, ['-c', 'import torch, os; print(os.path.dirname(torch.__file__))'], { encoding: 'utf8' }).trim();
    } catch {
      // try the next interpreter
    }
  }
  return null;
}

async function main(): Promise<void> {
  const dir = process.argv[2] ? resolve(process.argv[2]) : torchDir();
  const linter = (await createLinter()) as Engine;
  if (dir) {
    const files = sourceFiles(dir).map((f) => ({ f, src: readFileSync(f, 'utf8') }));
    const lines = files.reduce((n, x) => n + x.src.split('\n').length, 0);
    const perRule = new Map<string, number>();
    const crashes: string[] = [];
    const t0 = performance.now();
    for (const { f, src } of files) {
      for (const d of linter.lint(src, { path: f })) perRule.set(d.code, (perRule.get(d.code) ?? 0) + 1);
      for (const e of linter.lastRuleErrors) crashes.push(`${f}: ${e.code}: ${e.error.split('\n')[0]}`);
    }
    const ms = performance.now() - t0;
    console.log(`cold: ${files.length} files, ${lines} lines in ${ms.toFixed(0)} ms = ${Math.round(lines / (ms / 1000))} lines/s (goal 100000)`);
    console.log(`diagnostics per rule: ${JSON.stringify(Object.fromEntries([...perRule].sort()))}`);
    console.log(`rule crashes: ${crashes.length}`);
    for (const c of crashes.slice(0, 10)) console.log(`  ${c}`);
  } else console.log('no PyTorch sources found; pass a directory');

  const fixtureDir = resolve(__dirname, '../../test/fixtures');
  // Fixtures that parse (the syntax-error fixtures would make the file a broken one; see lint-bench.mjs).
  const chunks = sourceFiles(fixtureDir)
    .filter((f) => !f.split(/[\\/]/).includes('syntax'))
    .map((f) => readFileSync(f, 'utf8'));
  let big = '';
  for (let i = 0; big.split('\n').length < 5000; i++) big += `${chunks[i % chunks.length].replace(/^(import|from) .*$/gm, '')}\n`;
  big = `import torch\nimport numpy as np\nfrom torch.autograd import grad\n${big}`;
  const n = big.split('\n').length;
  // One edited line per run (no cache can answer); wall and CPU time (process.cpuUsage) per run.
  const mid = big.indexOf('\ndef ', Math.floor(big.length / 2)) + 1;
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (const [label, call] of [
    ['lint()', (text: string) => linter.lint(text)],
    ['lintDocument()', (text: string) => linter.lintDocument('big.py', text)],
  ] as const) {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 25; i++) {
      const text = `${big.slice(0, mid)}edited_${i} = ${i}\n${big.slice(mid)}`;
      const c0 = process.cpuUsage();
      const t = performance.now();
      call(text);
      const w = performance.now() - t;
      const c = process.cpuUsage(c0);
      if (i >= 5) {
        wall.push(w);
        cpu.push((c.user + c.system) / 1000);
      }
    }
    console.log(`re-lint of a ${n}-line file after one edit, ${label}: median ${median(wall).toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU (goal < 20 ms)`);
  }
}

void main();
