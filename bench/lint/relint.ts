// Re-lint after one edit, by groups of statements against the whole file, in one run (not a test: timings
// depend on the machine). Results: docs/benchmarks.md (## Lint).
//
//   node --import tsx bench/lint/relint.ts [--runs N] [--base DIR] [FILE...]
//
// Files: the 5,000-line file lint-bench.mjs builds from the fixtures, a 5,000-line notebook-style script
// (scaling.ts: module-level cells on one model), and PyTorch's torch/nn/functional.py (5,186 lines, found
// through /usr/bin/python3) plus any FILE given. An import edit is measured too: an import line added at
// the top of the file. For each file, two edits: a line inserted
// inside a function near the middle (the indentation of the line it goes before), and a top-level statement
// inserted before a top-level definition near the middle (above its decorators; lint-bench.mjs measures the same). Each edit is different in
// every run. `lintDocument` with `Engine.relintByGroups` on and off, alternated run by run in one process;
// CPU (user + system) medians after 5 warm-up runs, and how the last run went (groups, linted, reused, or why
// the whole file was linted). Every result is compared with `lint()` once per configuration.
// `--stages`: instead, per file, where a whole-file re-lint's CPU goes after an incremental parse (parse and
// copy, semantic model, analysis, rules), means of N runs after 5 warm-up runs, a line inserted at the top.
// `--base DIR`: a copy of another version's `src/` (with `node_modules` beside it) whose engine runs the same
// versions by groups in the same process, alternated with this one: an A/B of two versions in one run.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { analyse } from '../../src/core/lint/analysis/index';
import { createLinter, Engine } from '../../src/core/lint/index';
import { loadPythonParser } from '../../src/core/lint/parser';
import { RuleContext } from '../../src/core/lint/rule';
import { ALL_RULES } from '../../src/core/lint/rules';
import { SemanticModel } from '../../src/core/lint/semantic';
import { notebookStyle } from './scaling';
import { sourceFiles } from './source-files.mjs';

const root = resolve(__dirname, '../..');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 30;
const baseAt = args.indexOf('--base');
const baseDir = baseAt >= 0 ? resolve(args[baseAt + 1]) : null;
const extra = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs' && args[i - 1] !== '--base');

function fixtureFile(): string {
  // As lint-bench.mjs: fixtures that parse, repeated to 5,000 lines.
  const chunks = sourceFiles(join(root, 'test/fixtures'))
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
function editor(base: string, kind: Edit): (i: number) => string {
  if (kind === 'import') return (i) => `import edited_${i}\n${base}`;
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

type Edit = 'function' | 'top' | 'import';
const EDITS: Record<Edit, string> = { function: 'a line inside a function', top: 'a top-level statement', import: 'an import added at the top' };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Where a whole-file re-lint's time goes, stage by stage (see `--stages`). */
async function stages(files: [string, string][]): Promise<void> {
  const parser = await loadPythonParser();
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')}; means of ${runs} runs`);
  console.log('| file | parse and copy | semantic model | analysis | rules |');
  console.log('|---|---|---|---|---|');
  for (const [name, base] of files) {
    const sum = [0, 0, 0, 0];
    let state = parser.parseIncremental(base);
    for (let i = 0; i < runs + 5; i++) {
      const t = [cpuMs()];
      state = parser.parseIncremental(`edited_${i} = ${i}\n${base}`, state);
      t.push(cpuMs());
      const model = new SemanticModel(state.tree);
      t.push(cpuMs());
      analyse(model);
      t.push(cpuMs());
      const ctx = new RuleContext(model.tree, model, name);
      for (const r of ALL_RULES) {
        ctx.meta = r.meta;
        r.check(ctx);
      }
      t.push(cpuMs());
      if (i >= 5) for (let k = 0; k < 4; k++) sum[k] += t[k + 1] - t[k];
    }
    state.wasm.delete();
    console.log(`| ${name} | ${sum.map((x) => `${(x / runs).toFixed(1)} ms`).join(' | ')} |`);
  }
  console.log(`load average at end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

async function main(): Promise<void> {
  const files: [string, string][] = [['5,000 lines of fixtures', fixtureFile()], ['5,000-line notebook-style script', notebookStyle(5000)]];
  const functional = torchFile('nn/functional.py');
  if (functional) files.push(['torch/nn/functional.py', functional]);
  for (const f of extra) files.push([f, readFileSync(f, 'utf8')]);
  if (args.includes('--stages')) return stages(files);
  const linter = (await createLinter()) as Engine;
  const scratch = await createLinter();
  type BaseModule = { createLinter: typeof createLinter; Engine: typeof Engine };
  const baseMod = baseDir ? ((await import(join(baseDir, 'src/core/lint/index.ts'))) as BaseModule) : null;
  const baseLinter = baseMod ? ((await baseMod.createLinter()) as Engine) : null;
  const modes = baseLinter ? (['groups', 'whole', 'base'] as const) : (['groups', 'whole'] as const);
  type Mode = (typeof modes)[number];
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')}; ${runs} runs per configuration${baseDir ? `; base: ${baseDir}` : ''}`);
  console.log(`| file | lines | edit | by groups: CPU (median) | whole file: CPU (median) | ratio |${baseLinter ? ' base by groups: CPU (median) |' : ''} last run by groups |`);
  console.log(`|---|---|---|---|---|---|${baseLinter ? '---|' : ''}---|`);
  for (const [name, base] of files) {
    for (const kind of ['function', 'top', 'import'] as const) {
      const version = editor(base, kind);
      const cpu: Record<Mode, number[]> = { groups: [], whole: [], base: [] };
      let last = '';
      for (let i = 0; i < runs + 5; i++) {
        const order = i % 2 === 0 ? modes : [...modes].reverse();
        for (const mode of order) {
          Engine.relintByGroups = mode !== 'whole';
          const engine = mode === 'base' ? baseLinter! : linter;
          const uri = `${name}#${mode}`;
          const text = version(i);
          const c0 = process.cpuUsage();
          const got = engine.lintDocument(uri, text);
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
      const b = baseLinter ? ` ${median(cpu.base).toFixed(1)} ms |` : '';
      console.log(`| ${name} | ${base.split('\n').length} | ${EDITS[kind]} | ${g.toFixed(1)} ms | ${w.toFixed(1)} ms | ${(w / g).toFixed(1)}× |${b} ${last} |`);
    }
  }
  Engine.relintByGroups = true;
  console.log(`load average at end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

void main();
