/**
 * Time per line of the lint engine from 1,000 to 100,000 lines (not a test: timings depend on the
 * machine; the unit test test/unit/lint/scaling.test.ts checks the ratio on small sizes).
 *
 *   node --import tsx bench/lint/scaling.ts [--sizes 1000,10000,100000] [--kind notebook,loops,fixtures]
 *
 * Three kinds of generated file:
 *   notebook  a notebook exported as a script: module-level cells of five lines (a tensor that
 *             requires grad, a model call, autograd.grad, a loss, backward), every cell on the same model;
 *   loops     a notebook whose cells each train in a loop (`for`, `if`, backward, `opt.step()`), ten lines;
 *   fixtures  the lint fixtures (test/fixtures/lint/<code>/*.py) repeated, as a dense worst case.
 * Prints CPU ms per 1,000 lines and the analysis' completeness for each size; the budget makes very large
 * files incomplete (an AGL000 note says so), never slow.
 *
 *   node --import tsx bench/lint/scaling.ts --cli-rss [--sizes 1000,20000,200000] [--kind notebook,fixtures]
 *
 * instead runs the built command line (`dist/cli.js lint --jobs 1`, after `npm run build`) on each file
 * and prints its peak resident memory (GNU time's %M) and wall time.
 *
 *   node --import tsx bench/lint/scaling.ts --stages [--sizes 50000,200000] [--kind fixtures]
 *
 * instead runs the stages one by one in this process (parse and copy, semantic model, analysis, rules) and
 * prints the heap each leaves alive (after a full garbage collection), the wasm memory (`external`) and the
 * peak RSS so far: where the memory of a long file goes. Run one size per process for clean peaks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createLinter, type Engine } from '../../src/core/lint/index';
import { analyse } from '../../src/core/lint/analysis/index';
import { loadPythonParser } from '../../src/core/lint/parser';
import { RuleContext } from '../../src/core/lint/rule';
import { ALL_RULES } from '../../src/core/lint/rules';
import { SemanticModel } from '../../src/core/lint/semantic';

/** The load averages (1, 5, 15 minutes), to quote with any time. */
function loadAverage(): string {
  return loadavg().map((x) => x.toFixed(1)).join(' ');
}

const ROOT = resolve(__dirname, '..', '..');

export function notebookStyle(lines: number): string {
  const head = ['import torch', 'import torch.nn as nn', 'model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1))', 'opt = torch.optim.Adam(model.parameters())', ''];
  const out = [...head];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `x${i} = torch.rand(64, 1, requires_grad=True)`,
      `y${i} = model(x${i})`,
      `dy${i} = torch.autograd.grad(y${i}.sum(), x${i}, create_graph=True)[0]`,
      `loss${i} = ((dy${i} - torch.cos(x${i})) ** 2).mean()`,
      `loss${i}.backward()`,
    );
  }
  return out.slice(0, lines).join('\n') + '\n';
}

/**
 * A notebook exported as a script whose cells each train in a loop (ten lines: a leaf, a `for` loop with an
 * `if`, a backward and an optimizer step), every cell on the same model and optimizer.
 */
export function notebookLoops(lines: number): string {
  const head = ['import torch', 'import torch.nn as nn', 'model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1))', 'opt = torch.optim.Adam(model.parameters())', ''];
  const out = [...head];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `x${i} = torch.rand(64, 1, requires_grad=True)`,
      `for step${i} in range(10):`,
      '    opt.zero_grad()',
      `    y${i} = model(x${i})`,
      `    if step${i} % 2:`,
      `        loss${i} = ((y${i} - torch.cos(x${i})) ** 2).mean()`,
      '    else:',
      `        loss${i} = (y${i} ** 2).mean()`,
      `    loss${i}.backward()`,
      '    opt.step()',
    );
  }
  return out.slice(0, lines).join('\n') + '\n';
}

export function fixtureDense(lines: number): string {
  const dir = join(ROOT, 'test', 'fixtures', 'lint');
  const texts: string[] = [];
  for (const code of readdirSync(dir).sort()) for (const f of readdirSync(join(dir, code)).sort()) if (f.endsWith('.py')) texts.push(readFileSync(join(dir, code, f), 'utf8'));
  const all = texts.join('\n');
  const base = all.split('\n');
  const out: string[] = [];
  while (out.length < lines) out.push(...base);
  const kept = out.slice(0, lines);
  // A cut right after a decorator leaves it without its `def`, and one inside a fixture's docstring leaves the string
  // open: syntax errors the generated file must not have.
  const openString = (): boolean => (kept.join('\n').match(/"""/g)?.length ?? 0) % 2 === 1;
  while (kept.length > 0 && (/^\s*@/.test(kept[kept.length - 1]) || openString())) kept.pop();
  return kept.join('\n') + '\n';
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function generate(kind: string, lines: number): string {
  if (kind === 'notebook') return notebookStyle(lines);
  if (kind === 'loops') return notebookLoops(lines);
  if (kind === 'fixtures') return fixtureDense(lines);
  throw new Error(`unknown kind '${kind}' (notebook, loops, fixtures)`);
}

/** Peak RSS of the command line linting generated files of each size (GNU time, Linux). */
function cliRss(sizes: number[], kinds: string[]): void {
  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  if (!existsSync('/usr/bin/time')) throw new Error('--cli-rss needs GNU time (/usr/bin/time)');
  const dir = mkdtempSync(join(tmpdir(), 'agl-scaling-'));
  try {
    console.log(`load average at start: ${loadAverage()}`);
    console.log('| kind | lines | peak RSS MB | wall s | exit | AGL000 notes |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const kind of kinds) {
      for (const n of sizes) {
        const file = join(dir, `${kind}-${n}.py`);
        writeFileSync(file, generate(kind, n));
        const r = spawnSync('/usr/bin/time', ['-f', '%M %e', process.execPath, cli, 'lint', '--jobs', '1', '--format', 'json', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
        const m = /(\d+) ([\d.]+)\s*$/.exec(r.stderr);
        if (!m) throw new Error(`no GNU time figures in: ${r.stderr.slice(-500)}`);
        let notes = 0;
        try {
          notes = (JSON.parse(r.stdout) as { code: string }[]).filter((d) => d.code === 'AGL000').length;
        } catch {
          notes = -1;
        }
        console.log(`| ${kind} | ${n.toLocaleString('en-US')} | ${(Number(m[1]) / 1024).toFixed(0)} | ${m[2]} | ${r.status} | ${notes < 0 ? '?' : notes} |`);
      }
    }
    console.log(`load average at end: ${loadAverage()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Heap left alive by each stage (after a full GC), wasm memory and peak RSS, for one generated file per size. */
async function stages(sizes: number[], kinds: string[]): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const parser = await loadPythonParser();
  const mb = (x: number): string => (x / 2 ** 20).toFixed(0);
  console.log(`load average at start: ${loadAverage()}`);
  console.log('| kind | lines | stage | CPU ms | heap alive MB | heap per line | wasm+external MB | peak RSS MB |');
  console.log('|---|---:|---|---:|---:|---:|---:|---:|');
  for (const kind of kinds) {
    for (const n of sizes) {
      const text = generate(kind, n);
      gc();
      const base = process.memoryUsage().heapUsed;
      const row = (stage: string, ms: number): void => {
        gc();
        const m = process.memoryUsage();
        const alive = m.heapUsed - base;
        console.log(`| ${kind} | ${n.toLocaleString('en-US')} | ${stage} | ${ms.toFixed(0)} | ${mb(alive)} | ${((alive / n) / 1024).toFixed(1)} KB | ${mb(m.external)} | ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} |`);
      };
      let t0 = cpuMs();
      const tree = parser.parse(text);
      row(`parse and copy (${parser.lastPieces} pieces)`, cpuMs() - t0);
      t0 = cpuMs();
      const model = new SemanticModel(tree);
      row('semantic model', cpuMs() - t0);
      t0 = cpuMs();
      analyse(model);
      row('analysis', cpuMs() - t0);
      t0 = cpuMs();
      const ctx = new RuleContext(model.tree, model, `${kind}-${n}.py`);
      for (const rule of ALL_RULES) {
        ctx.meta = rule.meta;
        rule.check(ctx);
      }
      row(`rules (${ctx.diagnostics.length} findings)`, cpuMs() - t0);
    }
  }
  console.log(`load average at end: ${loadAverage()}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string): string => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
  };
  if (args.includes('--stages')) return stages(opt('--sizes', '50000,200000').split(',').map(Number), opt('--kind', 'fixtures').split(','));
  if (args.includes('--cli-rss')) return cliRss(opt('--sizes', '1000,20000,200000').split(',').map(Number), opt('--kind', 'notebook,fixtures').split(','));
  const sizes = opt('--sizes', '1000,2000,5000,10000,20000,50000,100000').split(',').map(Number);
  const kinds = opt('--kind', 'notebook,loops,fixtures').split(',');
  const linter = (await createLinter()) as Engine;
  console.log(`load average at start: ${loadAverage()}`);
  console.log('| kind | lines | CPU ms | CPU ms / 1k lines | findings | analysis |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const kind of kinds) {
    for (const n of sizes) {
      const text = generate(kind, n);
      const t0 = cpuMs();
      const diags = linter.lint(text, { path: `${kind}-${n}.py` });
      const ms = cpuMs() - t0;
      const incomplete = diags.some((d) => d.code === 'AGL000' && /budget/.test(d.message));
      console.log(`| ${kind} | ${n.toLocaleString('en-US')} | ${ms.toFixed(0)} | ${((ms / n) * 1000).toFixed(1)} | ${diags.length} | ${incomplete ? 'incomplete (budget)' : 'complete'} |`);
    }
  }
  console.log(`load average at end: ${loadAverage()}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

if (require.main === module) void main();
