// Re-lint after one edit, by groups of statements against the whole file, in one run (not a test: timings
// depend on the machine). Results: docs/benchmarks.md (## Lint).
//
//   node --import tsx bench/lint/relint.ts [--runs N] [FILE...]
//
// Files: the 5,000-line file lint-bench.mjs builds from the fixtures, and PyTorch's torch/nn/functional.py
// (5,186 lines, found through /usr/bin/python3) plus any FILE given. For each file, two edits: a line inserted
// inside a function near the middle (the indentation of the line it goes before), and a top-level statement
// inserted before a top-level definition near the middle (above its decorators; lint-bench.mjs measures the same). Each edit is different in
// every run. `lintDocument` with `Engine.relintByGroups` on and off, alternated run by run in one process;
// CPU (user + system) medians after 5 warm-up runs, and how the last run went (groups, linted, reused, or why
// the whole file was linted). Every result is compared with `lint()` once per configuration.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createLinter, Engine } from '../../src/core/lint/index';

const root = resolve(__dirname, '../..');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 30;
const extra = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');

function pyFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) pyFiles(p, out);
    else if (e.endsWith('.py')) out.push(p);
  }
  return out;
}

function fixtureFile(): string {
  // As lint-bench.mjs: fixtures that parse, repeated to 5,000 lines.
  const chunks = pyFiles(join(root, 'test/fixtures'))
    .filter((f) => !f.split(/[\\/]/).includes('syntax'))
    .map((f) => readFileSync(f, 'utf8'));
  let body = '';
  for (let i = 0; body.split('\n').length < 5000; i++) body += `${chunks[i % chunks.length]}\n`;
  return body.split('\n').slice(0, 4999).join('\n');
}

function torchFile(rel: string): string | null {
  try {
    const dir = execFileSync('/usr/bin/python3', ['-c', 'import torch, os; print(os.path.dirname(torch.__file__))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const p = join(dir, rel);
    return existsSync(p) ? readFileSync(p, 'utf8') : null;
  } catch {
    return null;
  }
}

/** Versions of `base` with edit number i: inside a function, or a top-level statement. */
function editor(base: string, kind: 'function' | 'top'): (i: number) => string {
  if (kind === 'top') {
    // Before a top-level definition near the middle, above its decorators (between a decorator and its
    // `def` the insertion would be a syntax error).
    const mid = base.slice(Math.floor(base.length / 2)).search(/\n\n(?:@|def |class )/) + Math.floor(base.length / 2) + 2;
    return (i) => `${base.slice(0, mid)}edited_${i} = ${i}\n${base.slice(mid)}`;
  }
  // The first line past the middle that is a plain statement in a function body (indented, not a comment,
  // the line before it not ending in a bracket or backslash).
  const lines = base.split('\n');
  let k = Math.floor(lines.length / 2);
  while (k < lines.length && !(/^ {4,}[a-z_]\w* = /.test(lines[k]) && /^\s*\S.*[^\s([{,\\:]\s*$/.test(lines[k - 1]))) k++;
  const at = lines.slice(0, k).join('\n').length + 1;
  const indent = /^ */.exec(lines[k])![0];
  return (i) => `${base.slice(0, at)}${indent}edited_${i} = ${i}\n${base.slice(at)}`;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main(): Promise<void> {
  const files: [string, string][] = [['5,000 lines of fixtures', fixtureFile()]];
  const functional = torchFile('nn/functional.py');
  if (functional) files.push(['torch/nn/functional.py', functional]);
  for (const f of extra) files.push([f, readFileSync(f, 'utf8')]);
  const linter = (await createLinter()) as Engine;
  const scratch = await createLinter();
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')}; ${runs} runs per configuration`);
  console.log('| file | lines | edit | by groups: CPU (median) | whole file: CPU (median) | ratio | last run by groups |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [name, base] of files) {
    for (const kind of ['function', 'top'] as const) {
      const version = editor(base, kind);
      const cpu = { groups: [] as number[], whole: [] as number[] };
      let last = '';
      for (let i = 0; i < runs + 5; i++) {
        for (const mode of i % 2 === 0 ? (['groups', 'whole'] as const) : (['whole', 'groups'] as const)) {
          Engine.relintByGroups = mode === 'groups';
          const uri = `${name}#${mode}`;
          const text = version(i);
          const c0 = process.cpuUsage();
          const got = linter.lintDocument(uri, text);
          const c = process.cpuUsage(c0);
          if (i >= 5) cpu[mode].push((c.user + c.system) / 1000);
          if (mode === 'groups') {
            const r = linter.lastRelint;
            last = r.whole === null ? `${r.groups} groups, ${r.linted} linted, ${r.reused} reused` : `whole file: ${r.whole}`;
          }
          if (i === runs + 4 && JSON.stringify(got) !== JSON.stringify(scratch.lint(text))) throw new Error(`${name}: ${mode} differs from lint()`);
        }
      }
      const g = median(cpu.groups);
      const w = median(cpu.whole);
      console.log(`| ${name} | ${base.split('\n').length} | ${kind === 'function' ? 'a line inside a function' : 'a top-level statement'} | ${g.toFixed(1)} ms | ${w.toFixed(1)} ms | ${(w / g).toFixed(1)}× | ${last} |`);
    }
  }
  Engine.relintByGroups = true;
  console.log(`load average at end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

void main();
