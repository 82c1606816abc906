/**
 * Time per line of the lint engine from 1,000 to 100,000 lines (not a test: timings depend on the
 * machine; the unit test test/unit/lint/scaling.test.ts checks the ratio on small sizes).
 *
 *   node --import tsx bench/lint/scaling.ts [--sizes 1000,10000,100000] [--kind notebook,fixtures]
 *
 * Two kinds of generated file:
 *   notebook  a notebook exported as a script: module-level cells of five lines (a tensor that
 *             requires grad, a model call, autograd.grad, a loss, backward), every cell on the same model;
 *   fixtures  the lint fixtures (test/fixtures/lint/<code>/*.py) repeated, as a dense worst case.
 * Prints CPU ms per 1,000 lines and the analysis' completeness for each size; the budget makes very large
 * files incomplete (an AGL000 note says so), never slow.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createLinter, type Engine } from '../../src/core/lint/index';

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

export function fixtureDense(lines: number): string {
  const dir = join(ROOT, 'test', 'fixtures', 'lint');
  const texts: string[] = [];
  for (const code of readdirSync(dir).sort()) for (const f of readdirSync(join(dir, code)).sort()) if (f.endsWith('.py')) texts.push(readFileSync(join(dir, code, f), 'utf8'));
  const all = texts.join('\n');
  const base = all.split('\n');
  const out: string[] = [];
  while (out.length < lines) out.push(...base);
  return out.slice(0, lines).join('\n') + '\n';
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string): string => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
  };
  const sizes = opt('--sizes', '1000,2000,5000,10000,20000,50000,100000').split(',').map(Number);
  const kinds = opt('--kind', 'notebook,fixtures').split(',');
  const linter = (await createLinter()) as Engine;
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log('| kind | lines | CPU ms | CPU ms / 1k lines | findings | analysis |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const kind of kinds) {
    for (const n of sizes) {
      const text = kind === 'notebook' ? notebookStyle(n) : fixtureDense(n);
      const t0 = cpuMs();
      const diags = linter.lint(text, { path: `${kind}-${n}.py` });
      const ms = cpuMs() - t0;
      const incomplete = diags.some((d) => d.code === 'AGL000' && /budget/.test(d.message));
      console.log(`| ${kind} | ${n.toLocaleString('en-US')} | ${ms.toFixed(0)} | ${((ms / n) * 1000).toFixed(1)} | ${diags.length} | ${incomplete ? 'incomplete (budget)' : 'complete'} |`);
    }
  }
  console.log(`load average at end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

if (require.main === module) void main();
