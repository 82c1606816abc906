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
import { allFixtures, rel } from './helpers';
import { editOnce } from './relint-edits';

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

async function check(files: { name: string; text: string }[], steps: number, seed0: number, t: Tally): Promise<void> {
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
      text = editOnce(text, rand);
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
    for (let n = 0; n < 3; n++) {
      const pick: string[] = [];
      for (let k = 0; k < 12; k++) pick.push(parts[Math.floor(rand() * parts.length)]);
      files.push({ name: `long-${n}.py`, text: pick.join('\n') });
    }
    const t: Tally = { versions: 0, grouped: 0, reused: 0, nonEmpty: 0 };
    await check(files, 12, 6000, t);
    assert.ok(t.grouped > 0 && t.reused > 0, json(t));
  });

  it("over random edits of PyTorch's own sources (when installed)", async (tc) => {
    const files = torchSources().map((f) => ({ name: f.replace(/^.*torch[\\/]/, 'torch/'), text: readFileSync(f, 'utf8') }));
    if (files.length === 0) return tc.skip('PyTorch is not installed for /usr/bin/python3');
    const t: Tally = { versions: 0, grouped: 0, reused: 0, nonEmpty: 0 };
    await check(files, 8, 7000, t);
    assert.ok(t.grouped > t.versions / 3 && t.reused > t.versions / 8, json(t));
  });
});
