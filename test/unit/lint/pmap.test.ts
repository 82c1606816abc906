/**
 * The analysis' persistent map against `Map` on random operations: gets, sets, O(1) copies changed
 * independently afterwards, insertion order, and the structural difference used by joins.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PMap } from '../../../src/core/lint/analysis/pmap';

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
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

test('PMap behaves as Map under sets and copies, and copies do not see each other\'s changes', () => {
  const r = rng(20261203);
  const pairs: { p: PMap<string, number>; m: Map<string, number> }[] = [{ p: new PMap(), m: new Map() }];
  for (let step = 0; step < 20_000; step++) {
    const i = Math.floor(r() * pairs.length);
    const { p, m } = pairs[i];
    const x = r();
    if (x < 0.05 && pairs.length < 40) pairs.push({ p: p.copy(), m: new Map(m) });
    else {
      const key = `v${Math.floor(r() * 3000)}`;
      const value = Math.floor(r() * 5);
      p.set(key, value);
      m.set(key, value);
    }
  }
  for (const { p, m } of pairs) {
    assert.equal(p.size, m.size);
    assert.deepEqual([...p], [...m], 'same entries in the same (insertion) order');
    for (const k of m.keys()) assert.equal(p.get(k), m.get(k));
    assert.equal(p.get('absent'), undefined);
    assert.equal(p.has('absent'), false);
  }
});

test('PMap diff reports exactly the keys whose values differ, and joinFrom matches a Map join', () => {
  const r = rng(7);
  const base = new PMap<number, string>();
  for (let k = 0; k < 5000; k++) base.set(k * 7919, `b${k}`);
  for (let trial = 0; trial < 30; trial++) {
    const a = base.copy();
    const b = base.copy();
    const ma = new Map(base);
    const mb = new Map(base);
    for (let j = 0; j < 50; j++) {
      const k = Math.floor(r() * 6000) * 7919;
      const v = `x${Math.floor(r() * 3)}`;
      if (r() < 0.5) {
        a.set(k, v);
        ma.set(k, v);
      } else {
        b.set(k, v);
        mb.set(k, v);
      }
    }
    const seen = new Map<number, [string | undefined, string | undefined]>();
    a.diff(b, (k, x, y) => seen.set(k, [x, y]));
    const expected = new Map<number, [string | undefined, string | undefined]>();
    for (const k of new Set([...ma.keys(), ...mb.keys()])) if (ma.get(k) !== mb.get(k)) expected.set(k, [ma.get(k), mb.get(k)]);
    assert.deepEqual(new Map([...seen].sort((x, y) => x[0] - y[0])), new Map([...expected].sort((x, y) => x[0] - y[0])));
    // A join: theirs wins where different, new keys appended in their order.
    const changed = a.joinFrom(b, (mine, theirs) => (mine === undefined ? theirs : mine < theirs ? theirs : undefined));
    let mapChanged = false;
    for (const [k, v] of mb) {
      const mine = ma.get(k);
      if (mine === v) continue;
      if (mine === undefined || mine < v) {
        ma.set(k, v);
        mapChanged = true;
      }
    }
    assert.equal(changed, mapChanged);
    assert.deepEqual([...a], [...ma]);
  }
});

test('PMap keys with equal hashes share a bucket and stay apart', () => {
  // Numbers congruent modulo 2^32 hash alike.
  const p = new PMap<number, number>();
  const keys = [1, 1 + 2 ** 32, 1 + 2 ** 33, 2, 3];
  keys.forEach((k, i) => p.set(k, i));
  const q = p.copy();
  q.set(1 + 2 ** 32, 99);
  assert.deepEqual([...p].map(([, v]) => v), [0, 1, 2, 3, 4]);
  assert.equal(q.get(1 + 2 ** 32), 99);
  assert.equal(q.get(1), 0);
  const d: number[] = [];
  p.diff(q, (k) => d.push(k));
  assert.deepEqual(d, [1 + 2 ** 32]);
});
