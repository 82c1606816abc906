/**
 * The re-lint by groups of statements (`lintDocument`, src/core/lint/incremental.ts) must give exactly what
 * a from-scratch `lint()` gives. Seeded random edits of the kinds an editor makes — insert or delete a
 * line, rename a name, add a call of another function of the file inside a function, add, change or drop
 * an import, plus the character-level edits of incremental.test.ts — are applied in a chain to real files
 * (the fixtures, the corpus snippets, long files made of them, and PyTorch's own sources when
 * /usr/bin/python3 has PyTorch), and every version is linted both ways and compared as JSON. The test
 * also checks that the groups were used (not the whole-file fallback) and that groups were reused.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createLinter, Engine } from '../../../src/core/lint/index';
import { loadPythonParser } from '../../../src/core/lint/parser';
import type { Rule } from '../../../src/core/lint/rule';
import { ALL_RULES } from '../../../src/core/lint/rules';
import { allFixtures, rel } from './helpers';
import { editOnce, farEdit } from './relint-edits';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corpusSnippets(): string[] {
  const dir = join(__dirname, '../../corpus/entries');
  return readdirSync(dir)
    .sort()
    .map((e) => join(dir, e, 'snippet.py'))
    .filter((p) => existsSync(p));
}

function torchSources(): string[] {
  try {
    const dir = execFileSync('/usr/bin/python3', ['-c', 'import torch, os; print(os.path.dirname(torch.__file__))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return ['nn/functional.py', 'optim/lr_scheduler.py', 'autograd/gradcheck.py', 'nn/modules/module.py', 'autograd/functional.py', 'nn/utils/spectral_norm.py']
      .map((p) => join(dir, p))
      .filter((p) => existsSync(p));
  } catch {
    return [];
  }
}

const json = (x: unknown): string => JSON.stringify(x);

interface Tally {
  versions: number;
  grouped: number;
  reused: number;
  nonEmpty: number;
  /** Why the whole file was linted, how often. */
  whole?: Record<string, number>;
}

async function check(files: { name: string; text: string }[], steps: number, seed0: number, t: Tally, edit = editOnce): Promise<void> {
  const incremental = (await createLinter()) as Engine;
  const scratch = await createLinter();
  for (const [k, f] of files.entries()) {
    const seed = seed0 + k;
    const rand = rng(seed);
    let text = f.text;
    for (let step = 0; step < steps; step++) {
      const got = incremental.lintDocument(f.name, text, { path: f.name });
      const want = scratch.lint(text, { path: f.name });
      assert.equal(json(got), json(want), `${f.name} (seed ${seed}) after ${step} edits (${json(incremental.lastRelint)}):\n${text}`);
      t.versions++;
      const why = incremental.lastRelint.whole;
      if (why === null) t.grouped++;
      else (t.whole ??= {})[why] = (t.whole[why] ?? 0) + 1;
      if (incremental.lastRelint.reused > 0) t.reused++;
      if (want.length > 0) t.nonEmpty++;
      text = edit(text, rand);
    }
    incremental.forget(f.name);
  }
}

describe('re-lint by groups of statements equals lint() from scratch', () => {
  it('is on by default; a file of one group is linted whole', async () => {
    assert.equal(Engine.relintByGroups, true);
    assert.equal(Engine.relintSingleGroup, false);
    const linter = (await createLinter()) as Engine;
    const one = 'import torch\nx = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n';
    linter.lintDocument('one', one);
    assert.equal(linter.lastRelint.whole, 'one group');
    const two = `${one}\n\ndef f(a):\n    return a * 2\n`;
    linter.lintDocument('two', two);
    assert.equal(linter.lastRelint.whole, null);
    assert.equal(linter.lastRelint.groups, 2);
    linter.lintDocument('two', two.replace('a * 2', 'a * 3'));
    assert.deepEqual([linter.lastRelint.linted, linter.lastRelint.reused], [1, 1]);
    // From here on, files of one group go through the groups too, so that small files test them.
    Engine.relintSingleGroup = true;
  });

  it("keeps an import in the files of the groups that can see it, and a module's imports everywhere once a rule asks its alias", async () => {
    const parser = await loadPythonParser();
    const aliasRule: Rule = {
      meta: { ...ALL_RULES[0].meta, code: 'AGL098', name: 'alias-probe' },
      check(ctx) {
        for (const c of ctx.model.calls) if (c.qname === 'probe') ctx.report({ node: c.node, message: `numpy is ${ctx.model.moduleAlias('numpy') ?? 'not imported'}` });
      },
    };
    const engine = new Engine(parser, [...ALL_RULES, aliasRule]);
    const scratch = new Engine(parser, [...ALL_RULES, aliasRule]);
    const base = 'import torch\n\n\ndef f(a):\n    probe()\n    return (a * 2).sum().backward()\n\n\ndef g(b):\n    return math.sqrt(b)\n';
    const lintBoth = (text: string): string => {
      const got = engine.lintDocument('doc', text);
      assert.equal(json(got), json(scratch.lint(text)), text);
      return json(got);
    };
    assert.match(lintBoth(base), /numpy is not imported/);
    assert.deepEqual([engine.lastRelint.groups, engine.lastRelint.linted], [2, 2]);
    // An import nothing reads: no group's file changes (the findings move down a line).
    lintBoth(`import os\n${base}`);
    assert.deepEqual([engine.lastRelint.whole, engine.lastRelint.linted, engine.lastRelint.reused], [null, 0, 2]);
    // One g reads: g's group only.
    lintBoth(`import math\n${base}`);
    assert.deepEqual([engine.lastRelint.linted, engine.lastRelint.reused], [1, 1]);
    // f reads no name of it, but its lint asked for numpy's alias.
    assert.match(lintBoth(`import numpy as onp\n${base}`), /numpy is onp/);
    assert.equal(engine.lastRelint.whole, null);
    // An import of `value_and_grad` makes f's unbound `np` NumPy instead of a JAX snippet's `jax.numpy`,
    // although f never names it.
    const snippet = 'from jax import value_and_grad\n\n\ndef f(x):\n    probe()\n    return grad(lambda v: np.sum(v))(x)\n\n\ndef h(z):\n    return value_and_grad(z)\n';
    const sums: Rule = {
      meta: { ...ALL_RULES[0].meta, code: 'AGL097', name: 'sum-probe' },
      check(ctx) {
        for (const c of ctx.model.calls) if (c.qname?.endsWith('.sum')) ctx.report({ node: c.node, message: `sum is ${c.qname}` });
      },
    };
    const e2 = new Engine(parser, [sums]);
    const got = e2.lintDocument('snippet', snippet);
    assert.equal(e2.lastRelint.whole, null);
    assert.equal(json(got), json(new Engine(parser, [sums]).lint(snippet)));
    assert.match(json(got), /sum is numpy\.sum/);
    // The same with `value_and_grad` bound by a statement, and by a pure alias (the statement joins f's group:
    // through the groups even as one group).
    Engine.relintSingleGroup = true;
    for (const binder of ['value_and_grad = make()', 'value_and_grad = jax.value_and_grad']) {
      const text = snippet.replace('from jax import value_and_grad', binder);
      const out = e2.lintDocument('snippet', text);
      assert.equal(e2.lastRelint.whole, null);
      assert.equal(json(out), json(new Engine(parser, [sums]).lint(text)), text);
    }
  });

  it("sees a derivative anywhere in the file where a rule's answer depends on one (AGL022)", async () => {
    // The squared norm's helper is never called and never passed to a transform; whether it is flagged depends
    // on the tape in another function: its group must be linted with every statement that names a derivative.
    const text =
      'import tensorflow as tf\n\n\ndef dist(a, b):\n    return tf.square(tf.norm(a - b))\n\n\n' +
      'def step(x):\n    with tf.GradientTape() as tape:\n        tape.watch(x)\n        y = x * x\n    return tape.gradient(y, x)\n';
    const engine = (await createLinter()) as Engine;
    const want = (await createLinter()).lint(text);
    assert.match(json(want), /AGL022/);
    assert.equal(json(engine.lintDocument('d', text)), json(want));
    const edited = text.replace('y = x * x', 'y = x * x * x');
    assert.equal(json(engine.lintDocument('d', edited)), json((await createLinter()).lint(edited)));
  });

  it('joins to a whole-file fact only the groups that read it', async () => {
    const parser = await loadPythonParser();
    const factRule: Rule = {
      meta: { ...ALL_RULES[0].meta, code: 'AGL096', name: 'fact-probe' },
      check(ctx) {
        for (const c of ctx.model.calls) if (c.qname === 'probe') ctx.report({ node: c.node, message: `dynamic names: ${ctx.model.fileFact('dynamic-names')}` });
      },
    };
    const engine = new Engine(parser, [factRule]);
    const text = 'import torch\n\n\ndef a(x):\n    probe()\n    return x\n\n\ndef b(y):\n    return eval("y")\n\n\ndef c(z):\n    return z * 2\n';
    const lintBoth = (t: string): string => {
      const got = json(engine.lintDocument('f', t));
      assert.equal(got, json(new Engine(parser, [factRule]).lint(t)), t);
      return got;
    };
    // a read the fact, which only b has: a joins b; c read nothing and stays apart.
    assert.match(lintBoth(text), /dynamic names: true/);
    assert.deepEqual([engine.lastRelint.whole, engine.lastRelint.groups], [null, 2]);
    lintBoth(text.replace('z * 2', 'z * 3'));
    assert.deepEqual([engine.lastRelint.linted, engine.lastRelint.reused], [1, 1]);
    // Without the fact anywhere, a's group reads false; with it back in c, a joins c.
    assert.match(lintBoth(text.replace('eval("y")', 'y')), /dynamic names: false/);
    assert.match(lintBoth(text.replace('eval("y")', 'y').replace('z * 2', 'eval("z")')), /dynamic names: true/);
  });

  it('does not join every group to a second derivative elsewhere in the file (AGL022 reads the fact only at a squared norm)', async () => {
    // A rule's read of a whole-file fact joins each group that lacks the fact to a statement that has it; AGL022
    // read "the file takes a second derivative" in every group, so one create_graph=True made the file one group.
    const text =
      'import torch\n\n\ndef penalty(x):\n    g = torch.autograd.grad(x.sum(), x, create_graph=True)[0]\n    return g.sum()\n\n\n' +
      'def f(a):\n    return a.detach() * 2\n';
    const engine = (await createLinter()) as Engine;
    assert.equal(json(engine.lintDocument('s', text)), json((await createLinter()).lint(text)));
    assert.deepEqual([engine.lastRelint.whole, engine.lastRelint.groups], [null, 2]);
    const edited = text.replace('a.detach() * 2', 'a.detach() * 3');
    assert.equal(json(engine.lintDocument('s', edited)), json((await createLinter()).lint(edited)));
    assert.deepEqual([engine.lastRelint.linted, engine.lastRelint.reused], [1, 1]);
    // With a squared norm in f, f's group reads the fact and joins the derivative: the finding stays that of lint().
    const squared = edited.replace('return a.detach() * 3', 'return torch.norm(a - 1) ** 2');
    const want = (await createLinter()).lint(squared);
    assert.match(json(want), /AGL022/);
    assert.equal(json(engine.lintDocument('s', squared)), json(want));
  });

  it('links a read inside its own local binding to the module-level bindings of the name', async () => {
    // `torch = torch.tensor(...)` in g: whether `torch.tensor` is PyTorch's depends on the module-level `def torch`.
    const text = 'import torch\n\n\ndef torch():\n    return 1\n\n\ndef g():\n    torch = torch.tensor([[0, 1], [2, 3]])\n    return torch.requires_grad_()\n';
    const engine = (await createLinter()) as Engine;
    assert.equal(json(engine.lintDocument('t', text)), json((await createLinter()).lint(text)));
    const renamed = text.replace('def torch():', 'def torch_():');
    assert.equal(json(engine.lintDocument('t', renamed)), json((await createLinter()).lint(renamed)));
  });

  it('lints whole a file whose top-level statements tree-sitter found indented', async () => {
    // Python rejects the indented lines after `import jax as J`; tree-sitter takes them as top-level statements.
    // Blanking the import (no group reads J) would put them back into the loop's body.
    const text =
      'import torch\ndelta = torch.zeros(3)\nfor _ in range(5):\n    delta.requires_grad = True\n    loss = model(delta).sum()\n' +
      'import jax as J\n    loss.backward()\n    g = delta.grad.detach()\n    delta.data = delta.data + g\n';
    const engine = (await createLinter()) as Engine;
    assert.equal(json(engine.lintDocument('i', text)), json((await createLinter()).lint(text)));
    assert.equal(engine.lastRelint.whole, 'indented top-level statement');
  });

  it('replays the edit sequences of real files that once disagreed', async () => {
    // A Captum snippet whose `lig = LayerIntegratedGradients(...)` an edit indented into the forward function: AGL002
    // took the module-level `lig.attribute(...)` (an unbound name) for that object's call, which a group cannot see.
    const t: Tally = { versions: 0, grouped: 0, reused: 0, nonEmpty: 0 };
    for (const [file, seed] of [['test/corpus/entries/pt-gh-captum-lig-forward-func-detach-numpy/snippet.py', 5909]] as const) {
      await check([{ name: file, text: readFileSync(join(__dirname, '../../..', file), 'utf8') }], 6, seed, t);
    }
    assert.ok(t.versions === 6);
  });

  it('links the classes that store and read a `self` attribute when an edit breaks the base that linked them (AGL076)', async () => {
    // Found by the random edits on a corpus snippet: `class PPOPixel(PPOBase)` edited into `class PPOPixel(PPOBas=e)`.
    // AGL076 reads every `self.model_old = ...` of the file (`valuesBoundTo`), so both classes must be one group.
    const base =
      'import torch.optim as optim\nimport torch.nn as nn\n\nclass PPOBase:\n    def __init__(self, config):\n' +
      '        self.model = config.model(config)\n        self.model_old = config.model(config)\n' +
      '        self.optimiser = optim.Adam(self.model.parameters(), lr=config.lr)\n\nclass PPOPixel(PPOBase):\n' +
      '    def learn(self, n):\n        for i in range(n):\n            loss = self.model.act(i).mean()\n' +
      '            self.optimiser.zero_grad()\n            loss.backward()\n            nn.utils.clip_grad_norm_(self.model_old.parameters(), 0.5)\n' +
      '            self.optimiser.step()\n';
    const edited = base.replace('PPOPixel(PPOBase)', 'PPOPixel(PPOBas=e)');
    const want = (await createLinter()).lint(edited);
    assert.ok(want.some((d) => d.code === 'AGL076'), json(want));
    const engine = (await createLinter()) as Engine;
    engine.lintDocument('p', base);
    assert.equal(json(engine.lintDocument('p', edited)), json(want));
  });

  it('lints whole a file where an edit left a block without an indented body (tree-sitter accepts it silently)', async () => {
    // Found by the random edits on AGL083/good.py: `else:` followed by a line at its own indentation.
    const base =
      'import torch\nimport torch.nn as nn\n\n\ndef other():\n    return torch.zeros(1)\n\n\ndef branches(use_adam):\n' +
      '    model = nn.Linear(3, 1)\n    params = model.parameters()\n    if use_adam:\n        opt = torch.optim.Adam(params, lr=0.1)\n' +
      '    else:\n        opt = torch.optim.SGD(params, lr=0.1)\n    return opt\n';
    const edited = base.replace('        opt = torch.optim.SGD', '    opt = torch.optim.SGD');
    const engine = (await createLinter()) as Engine;
    engine.lintDocument('b', base);
    assert.equal(json(engine.lintDocument('b', edited)), json((await createLinter()).lint(edited)));
    assert.equal(engine.lastRelint.whole, 'syntax error in a statement alone');
  });

  it("re-lints a `.grad` read whose answer depends on a mark of the same name in another function (AGL014)", async () => {
    // Found by the fuzz test: a mutant deleted the copy marked in `compare`; the whole file leaves `x.grad` alone because
    // `attack` marks an `x` of its own, which the group of `compare` and `run` did not hold.
    const base =
      'import torch\n\n\ndef attack(model, x):\n    x.requires_grad_(True)\n    model(x).sum().backward()\n    return x.grad\n\n\n' +
      'def compare(f, x):\n    x_log = x.clone().requires_grad_()\n    f(x).sum().backward()\n    return x.grad, x_log.grad\n\n\n' +
      'def run():\n    x = torch.rand(4)\n    return compare(torch.sigmoid, x)\n';
    const edited = base.replace('    x_log = x.clone().requires_grad_()\n', '').replace('x.grad, x_log.grad', 'x.grad');
    const engine = (await createLinter()) as Engine;
    engine.lintDocument('m', base);
    assert.equal(json(engine.lintDocument('m', edited)), json((await createLinter()).lint(edited)));
  });

  it('over random edits of every fixture file and corpus snippet', async () => {
    const files = [...allFixtures(), ...corpusSnippets()].map((f) => ({ name: rel(f), text: readFileSync(f, 'utf8') }));
    assert.ok(files.length >= 200, `expected the fixtures and the corpus, found ${files.length}`);
    const t: Tally = { versions: 0, grouped: 0, reused: 0, nonEmpty: 0 };
    await check(files, 6, 5000, t);
    assert.ok(t.nonEmpty > t.versions / 4, `only ${t.nonEmpty} of ${t.versions} versions had findings`);
    assert.ok(t.grouped > t.versions / 2, `groups used in only ${t.grouped} of ${t.versions} versions: ${json(t)}`);
    assert.ok(t.reused > t.versions / 10, `groups reused in only ${t.reused} of ${t.versions} versions: ${json(t)}`);
  });

  it('over long files made of fixtures and snippets, edited in many places', async () => {
    const parts = [...allFixtures().filter((f) => !f.split(/[\\/]/).includes('syntax')), ...corpusSnippets()].map((f) => readFileSync(f, 'utf8'));
    const rand = rng(11);
    const files: { name: string; text: string }[] = [];
    // Three long files that lint in several groups before any edit: a draw whose module-level code joins everything
    // into one group (several notebook-style snippets) says nothing about reuse (with single groups re-linted through
    // the groups, as from the first test on, it is not linted whole either), and which draws those are changes
    // whenever a fixture or an entry is added.
    const probe = (await createLinter()) as Engine;
    for (let draw = 0; files.length < 3 && draw < 40; draw++) {
      const pick: string[] = [];
      for (let k = 0; k < 12; k++) pick.push(parts[Math.floor(rand() * parts.length)]);
      const text = pick.join('\n');
      probe.lintDocument(`probe-${draw}`, text);
      probe.forget(`probe-${draw}`);
      if (probe.lastRelint.whole === null && probe.lastRelint.groups > 1) files.push({ name: `long-${files.length}.py`, text });
    }
    assert.equal(files.length, 3, 'no three draws of long files lint in several groups');
    const t: Tally = { versions: 0, grouped: 0, reused: 0, nonEmpty: 0 };
    await check(files, 12, 6000, t);
    assert.ok(t.grouped > 0 && t.reused > 0, json(t));
  });

  it('over module-level files (notebook-style, fixture-dense), with edits whose effect reaches far below', async () => {
    // A notebook exported as a script: module-level cells on one model and optimizer (bench/lint/scaling.ts).
    const head = ['import torch', 'import torch.nn as nn', 'model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1))', 'opt = torch.optim.Adam(model.parameters())', ''];
    const cells: string[] = [];
    for (let i = 0; cells.length < 400; i++) {
      cells.push(
        `x${i % 7} = torch.rand(64, 1, requires_grad=True)`,
        `y${i} = model(x${i % 7})`,
        `dy${i} = torch.autograd.grad(y${i}.sum(), x${i % 7}, create_graph=${i % 3 === 0 ? 'True' : 'False'})[0]`,
        `loss${i} = ((dy${i} - torch.cos(x${i % 7})) ** 2).mean()`,
        i % 4 === 0 ? `loss${i}.backward(); opt.step()` : `loss${i}.backward()`,
      );
    }
    const notebook = [...head, ...cells].join('\n') + '\n';
    // Fixtures one after another: module-level code dense with findings, names rebound again and again.
    const parts = allFixtures()
      .filter((f) => !f.split(/[\\/]/).includes('syntax'))
      .sort()
      .map((f) => readFileSync(f, 'utf8'));
    const dense = parts.slice(0, 40).join('\n');
    const files = [
      { name: 'notebook.py', text: notebook },
      { name: 'dense.py', text: dense },
    ];
    const t: Tally = { versions: 0, grouped: 0, reused: 0, nonEmpty: 0 };
    await check(files, 10, 8000, t, (text, rand) => (rand() < 0.6 ? farEdit(text, rand) : editOnce(text, rand)));
    assert.ok(t.grouped > t.versions / 2 && t.nonEmpty === t.versions, json(t));
  });

  it("over random edits of PyTorch's own sources (when installed)", async (tc) => {
    const files = torchSources().map((f) => ({ name: f.replace(/^.*torch[\\/]/, 'torch/'), text: readFileSync(f, 'utf8') }));
    if (files.length === 0) return tc.skip('PyTorch is not installed for /usr/bin/python3');
    const t: Tally = { versions: 0, grouped: 0, reused: 0, nonEmpty: 0 };
    await check(files, 8, 7000, t);
    assert.ok(t.grouped > t.versions / 3 && t.reused > t.versions / 8, json(t));
  });
});
