/** Seeded random edits of the kinds an editor makes, for the re-lint differential test. */

const SNIPPETS = [
  'x = torch.zeros(3, requires_grad=True)',
  'y.backward()',
  'loss = loss + 1',
  'g = torch.autograd.grad(y, x)',
  'g = torch.autograd.grad(y, x, create_graph=True)[0]',
  'x.requires_grad_()',
  'x += 1',
  'opt.step()',
  'with torch.no_grad():',
  'def helper(a):',
  '    return a.detach()',
  'model = Net()',
  'self.net = nn.Sequential(nn.Linear(2, 8), nn.ReLU())',
  'global x',
  'tf.gradients(y, x)',
  'print(eval("x"))',
  'trainer = Trainer(inference_mode=False)',
  '# noqa',
  '# autograd-lens: noqa: AGL001',
  '',
];

const IMPORTS = [
  'import torch',
  'import numpy as np',
  'import tensorflow as tf',
  'from torch import nn',
  'import torch.nn.functional as F',
  'from torch.autograd import grad',
  'import jax.numpy as jnp',
  'from jax import grad',
  // Imports few statements read (a group's file keeps an import only when it can see it: incremental.ts).
  'import math',
  'from jax import numpy as np',
  'import jax as J',
  'from torch.autograd import Variable',
  'from typing import Optional',
];

const IDENT = /\b[A-Za-z_]\w*\b/g;

/** One random edit. */
export function editOnce(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const i = Math.floor(rand() * lines.length);
  const line = lines[i] ?? '';
  const indent = /^[ \t]*/.exec(line)![0];
  switch (Math.floor(rand() * 10)) {
    case 0:
      lines.splice(i, 1);
      break;
    case 1:
      lines.splice(i, 0, line);
      break;
    case 2:
      lines.splice(i, 0, indent + pick(SNIPPETS));
      break;
    case 3: {
      // Rename: one occurrence of a name becomes another name of the file.
      const names = [...new Set(text.match(IDENT) ?? [])];
      const here = [...line.matchAll(IDENT)];
      if (here.length === 0 || names.length === 0) break;
      const m = pick(here);
      lines[i] = line.slice(0, m.index) + pick(names) + line.slice(m.index! + m[0].length);
      break;
    }
    case 4: {
      // A call of another top-level function, inside a function body.
      const defs = [...text.matchAll(/^def (\w+)\(/gm)].map((m) => m[1]);
      const bodies = lines.map((l, k) => (/^ {4}\S/.test(l) ? k : -1)).filter((k) => k >= 0);
      if (defs.length === 0 || bodies.length === 0) break;
      const k = pick(bodies);
      lines.splice(k, 0, `    ${pick(defs)}(x)`);
      break;
    }
    case 5: {
      // Imports: add one at the top or below, drop or change one.
      const imports = lines.map((l, k) => (/^(?:import|from) /.test(l) ? k : -1)).filter((k) => k >= 0);
      const r = rand();
      if (r < 0.4 || imports.length === 0) lines.splice(r < 0.2 ? 0 : i, 0, pick(IMPORTS));
      else if (r < 0.7) lines.splice(pick(imports), 1);
      else lines[pick(imports)] = pick(IMPORTS);
      break;
    }
    case 6: {
      const c = Math.floor(rand() * (line.length + 1));
      lines[i] = line.slice(0, c) + ' abxy0.(),:=_\t'[Math.floor(rand() * 14)] + line.slice(c);
      break;
    }
    case 7: {
      const c = Math.floor(rand() * line.length);
      lines[i] = line.slice(0, c) + line.slice(c + 1);
      break;
    }
    case 8:
      lines[i] = `    ${line}`;
      break;
    default:
      lines[i] = line.replace(/^ {1,4}/, '');
  }
  return lines.join('\n');
}


/**
 * An edit of module-level code whose effect reaches far below: a line near the top (the model's layers, the
 * optimizer, the grad mode, a rebinding of a variable many statements read, an optimizer step or
 * `zero_grad`) inserted, changed or deleted in the first fifth of the file.
 */
export function farEdit(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const i = Math.floor((rand() * lines.length) / 5);
  const names = [...new Set([...text.matchAll(/^([A-Za-z_]\w*) = /gm)].map((m) => m[1]))];
  const name = names.length > 0 ? pick(names) : 'x';
  const FAR = [
    'model = nn.Sequential(nn.Linear(1, 32), nn.ReLU(), nn.Linear(32, 1))',
    'model = nn.Sequential(nn.Linear(1, 32), nn.BatchNorm1d(32), nn.Linear(32, 1))',
    'model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1))',
    'opt = torch.optim.SGD(model.parameters(), lr=0.1)',
    'torch.set_grad_enabled(False)',
    'model.eval()',
    'opt.zero_grad()',
    'opt.step()',
    `${name} = ${name}.detach()`,
    `${name} = torch.rand(64, 1, requires_grad=True)`,
    `${name}.requires_grad_()`,
    `${name} = None`,
  ];
  const r = rand();
  if (r < 0.5) lines.splice(i, 0, pick(FAR));
  else if (r < 0.8 && /^\S/.test(lines[i] ?? '')) lines[i] = pick(FAR);
  else if (/^[A-Za-z_]\w* = [^\n]*[^:([{,\\]$/.test(lines[i] ?? '')) lines.splice(i, 1);
  else lines.splice(i, 0, pick(FAR));
  return lines.join('\n');
}
