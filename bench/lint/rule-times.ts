/**
 * Where the lint's time goes, rule by rule (Engine.ruleTimes):
 *   npx tsx bench/lint/rule-times.ts [DIR] [--top N]
 * Lints every Python file under DIR (default: the installed PyTorch package's sources) in process and prints
 * the milliseconds of the parse and semantic model, of the autograd analysis, and of each rule (outside the
 * analysis), largest first. Wall times of one run: on a shared machine compare runs made one after the other.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createLinter, type Engine } from '../../src/core/lint/index';
import { sourceFiles } from './source-files.mjs';

function torchDir(): string {
  return execFileSync('/usr/bin/python3', ['-c', 'import torch, os; print(os.path.dirname(torch.__file__))'], { encoding: 'utf8' }).trim();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 30;
  const dir = args[0] ? resolve(args[0]) : torchDir();
  const linter = (await createLinter({ cacheModels: false })) as Engine;
  const files = sourceFiles(dir).map((f) => ({ f, src: readFileSync(f, 'utf8') }));
  linter.ruleTimes = new Map();
  const t0 = performance.now();
  for (const { f, src } of files) linter.lint(src, { path: f });
  const total = performance.now() - t0;
  const rows = [...linter.ruleTimes].sort((a, b) => b[1] - a[1]);
  const rules = rows.filter(([k]) => !k.startsWith('(')).reduce((n, [, v]) => n + v, 0);
  console.log(`${files.length} files in ${(total / 1000).toFixed(2)} s; all rules outside the analysis ${(rules / 1000).toFixed(2)} s`);
  for (const [k, v] of rows.slice(0, top)) console.log(`${(v / 1000).toFixed(3).padStart(8)} s ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
}

void main();
