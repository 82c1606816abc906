/**
 * The analysis' expression values are joined when read (`NodeValues`), and `join` returns its first operand
 * without building a value when the second adds nothing. Both must give exactly what joining at once gave:
 * compared here on random sequences of values and on the whole analysis of real files (every node's value
 * and every event), against an eager map.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join as joinPath, resolve } from 'node:path';
import { test } from 'node:test';
import { Interpreter, NodeValues } from '../../../src/core/lint/analysis/interpreter';
import { av, combineTensors, cutTensor, join, Kind, requiresGrad, sameValue, seq, tensor, type AV } from '../../../src/core/lint/analysis/values';
import { loadPythonParser } from '../../../src/core/lint/parser';
import { SemanticModel } from '../../../src/core/lint/semantic';

/** A stable text of anything the analysis produces: nodes and classes by id, maps and sets as lists. */
function show(x: unknown): string {
  return JSON.stringify(x, function (this: unknown, _k: string, v: unknown) {
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ('children' in o && 'type' in o && typeof o.id === 'number') return `#node${o.id as number}`;
      if ('methods' in o && o.node && typeof o.node === 'object') return `#class${(o.node as { id: number }).id}`;
      if (v instanceof Map) return { map: [...v.entries()] };
      if (v instanceof Set) return { set: [...v] };
    }
    return v;
  });
}

/** A small deterministic random generator (the test must not depend on Math.random). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pool(): AV[] {
  const base: AV[] = [
    tensor({ leaves: [1] }),
    tensor({ leaves: [2], params: [7] }),
    tensor({ dims: [3, 4], order: 1 }),
    tensor({ dims: [3, 5], pwl: [9] }),
    av({ kind: Kind.NUMBER, lit: 1 }),
    av({ kind: Kind.NUMBER, lit: 2 }),
    av({ kind: Kind.UNKNOWN }),
    av({ kind: Kind.LIB, lib: ['torch.nn.Linear'] }),
    av({ kind: Kind.LIB, lib: ['torch.relu'] }),
  ];
  const out = [...base];
  for (let i = 0; i + 1 < base.length; i++) out.push(seq([base[i], base[i + 1]]));
  out.push(av({ kind: Kind.DICT, keys: new Map([['a', base[0]]]), elem: base[0] }));
  out.push(av({ kind: Kind.DICT, keys: new Map([['a', base[1]]]), elem: base[1] }));
  return out;
}

test('NodeValues: random notes and reads give what an eager join gives', () => {
  const r = rng(20261203);
  const vals = pool();
  for (let round = 0; round < 200; round++) {
    const lazy = new NodeValues();
    const eager = new Map<number, AV>();
    for (let step = 0; step < 60; step++) {
      const id = Math.floor(r() * 5);
      if (r() < 0.7) {
        const v = vals[Math.floor(r() * vals.length)];
        lazy.add(id, v);
        const old = eager.get(id);
        eager.set(id, old ? join(old, v) : v);
      } else {
        const a = lazy.get(id);
        const b = eager.get(id);
        assert.equal(a === undefined, b === undefined);
        if (a && b) {
          assert.ok(sameValue(a, b));
          assert.equal(show(a), show(b));
        }
      }
    }
    assert.deepEqual([...lazy.keys()].sort(), [...eager.keys()].sort());
    for (const [id, v] of lazy) assert.equal(show(v), show(eager.get(id)));
  }
});

test('join(a, b) is a itself when b adds nothing, and otherwise joins', () => {
  const vals = pool();
  for (const a of vals) {
    for (const b of vals) {
      const j = join(a, b);
      assert.equal(join(j, b), j, 'b is already in the join');
      assert.equal(join(j, a), j, 'a is already in the join');
      assert.ok(sameValue(join(j, j), j));
    }
  }
  const t = tensor({ leaves: [1] });
  const u = tensor({ leaves: [2] });
  assert.notEqual(join(t, u), t);
  assert.deepEqual(join(t, u).t?.leaves, [1, 2]);
});

test('the analysis of real files: every node value and every event as with eager joins', async () => {
  const parser = await loadPythonParser();
  const root = resolve(__dirname, '../../fixtures');
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = joinPath(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.py')) files.push(p);
    }
  };
  walk(root);
  assert.ok(files.length > 50, `fixtures found: ${files.length}`);
  const add = NodeValues.prototype.add;
  let compared = 0;
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    const run = (): { values: string; events: string } => {
      const a = new Interpreter(new SemanticModel(parser.parse(src))).run();
      const ids = [...a.values.keys()].sort((x, y) => x - y);
      return { values: show(ids.map((id) => [id, a.values.get(id)])), events: show(a.events) };
    };
    const lazy = run();
    NodeValues.prototype.add = function (this: NodeValues, id: number, v: AV): void {
      const old = Map.prototype.get.call(this, id) as AV | undefined;
      Map.prototype.set.call(this, id, old ? join(old, v) : v);
    };
    let eager;
    try {
      eager = run();
    } finally {
      NodeValues.prototype.add = add;
    }
    assert.equal(lazy.events, eager.events, `events of ${f}`);
    assert.equal(lazy.values, eager.values, `node values of ${f}`);
    compared++;
  }
  assert.equal(compared, files.length);
});

test('a join of a leaf with another value keeps it as "may be this leaf"; what is computed from it depends on it', () => {
  const leaf = tensor({ leafOf: 7 }, 7);
  const plain = tensor({}, 9);
  const j = join(leaf, plain);
  assert.equal(j.t?.leafOf, null);
  assert.deepEqual(j.t?.mayLeaf, [7]);
  assert.deepEqual(j.t?.leaves, []);
  assert.ok(requiresGrad(j.t));
  // Two different leaves: both may be it.
  assert.deepEqual(join(leaf, tensor({ leafOf: 3 }, 3)).t?.mayLeaf, [3, 7]);
  // The same leaf on both paths stays that leaf.
  assert.equal(join(leaf, tensor({ leafOf: 7 }, 11)).t?.leafOf, 7);
  // An operation on the joined value depends on the leaf (and is no leaf itself).
  const c = combineTensors([j.t]);
  assert.deepEqual(c.leaves, [7]);
  assert.deepEqual(c.mayLeaf, []);
  // Detaching it records the cut of that leaf.
  assert.deepEqual(cutTensor(j.t, 20).cuts, [{ origin: 7, site: 20 }]);
});
