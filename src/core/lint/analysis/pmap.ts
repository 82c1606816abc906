/**
 * A persistent hash map (a hash array mapped trie) for the analysis' environments: `copy()` is O(1) and
 * shares every entry, a `set` copies the path to its entry only (and none once the copy owns the nodes),
 * and `diff` visits only the parts of two maps that differ — a branch joined back into the state it was
 * copied from costs what the branch changed, not the number of variables. A notebook exported as a
 * script holds thousands of module-level names, and the analysis copies and joins its environment at
 * every branch and loop: with `Map` each of those was O(names), the whole file quadratic.
 *
 * Hand-written rather than a library's: the joins need the structural difference of two maps that share
 * nodes, which general-purpose persistent maps (immutable.js and the like) do not expose.
 *
 * Iteration is in insertion order (as `Map`'s), through a sequence number kept with each key.
 */

type Key = string | number;

interface Leaf<K extends Key, V> {
  readonly key: K;
  readonly hash: number;
  readonly value: V;
  /** Insertion order. */
  readonly seq: number;
}

/** Nodes belong to the map whose `edit` token they carry: only that map changes them in place. */
interface Branch<K extends Key, V> {
  edit: object | null;
  bitmap: number;
  slots: Slot<K, V>[];
}

/** Keys with the same full hash. */
interface Bucket<K extends Key, V> {
  edit: object | null;
  readonly hash: number;
  leaves: Leaf<K, V>[];
}

type Slot<K extends Key, V> = Leaf<K, V> | Branch<K, V> | Bucket<K, V>;

const isBranch = <K extends Key, V>(s: Slot<K, V>): s is Branch<K, V> => 'slots' in s;
const isBucket = <K extends Key, V>(s: Slot<K, V>): s is Bucket<K, V> => 'leaves' in s;

/** The last level uses bits 30 and 31; keys whose hashes are equal share a bucket there. */
const MAX_SHIFT = 30;

function hashOf(key: Key): number {
  if (typeof key === 'number') return Math.imul(key | 0, 0x9e3779b1) >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

let nextSeq = 0;

export class PMap<K extends Key, V> implements Iterable<[K, V]> {
  private root: Branch<K, V> | null = null;
  private edit: object = {};
  private count = 0;

  static from<K extends Key, V>(entries: Iterable<[K, V]>): PMap<K, V> {
    const m = new PMap<K, V>();
    for (const [k, v] of entries) m.set(k, v);
    return m;
  }

  get size(): number {
    return this.count;
  }

  /** An independent map with the same entries, in O(1): both stop changing the shared nodes in place. */
  copy(): PMap<K, V> {
    const c = new PMap<K, V>();
    c.root = this.root;
    c.count = this.count;
    this.edit = {};
    return c;
  }

  get(key: K): V | undefined {
    const leaf = this.leaf(key);
    return leaf ? leaf.value : undefined;
  }

  has(key: K): boolean {
    return this.leaf(key) !== undefined;
  }

  private leaf(key: K): Leaf<K, V> | undefined {
    const hash = hashOf(key);
    let n: Slot<K, V> | null = this.root;
    let shift = 0;
    while (n) {
      if (isBranch(n)) {
        const bit = 1 << ((hash >>> shift) & 31);
        if ((n.bitmap & bit) === 0) return undefined;
        n = n.slots[popcount(n.bitmap & (bit - 1))];
        shift += 5;
      } else if (isBucket(n)) {
        return n.leaves.find((l) => l.key === key);
      } else return n.key === key ? n : undefined;
    }
    return undefined;
  }

  set(key: K, value: V): this {
    this.put(key, value, -1);
    return this;
  }

  /** Set with a given insertion order; -1: the key's own, or the next for a new key. */
  private put(key: K, value: V, seq: number): void {
    const hash = hashOf(key);
    if (!this.root) this.root = { edit: this.edit, bitmap: 0, slots: [] };
    else if (this.root.edit !== this.edit) this.root = { edit: this.edit, bitmap: this.root.bitmap, slots: this.root.slots.slice() };
    let n = this.root;
    let shift = 0;
    for (;;) {
      const bit = 1 << ((hash >>> shift) & 31);
      const i = popcount(n.bitmap & (bit - 1));
      if ((n.bitmap & bit) === 0) {
        n.slots.splice(i, 0, { key, hash, value, seq: seq >= 0 ? seq : nextSeq++ });
        n.bitmap |= bit;
        this.count++;
        return;
      }
      const s = n.slots[i];
      if (isBranch(s)) {
        const own = s.edit === this.edit ? s : { edit: this.edit, bitmap: s.bitmap, slots: s.slots.slice() };
        n.slots[i] = own;
        n = own;
        shift += 5;
        continue;
      }
      if (isBucket(s)) {
        if (s.hash === hash) {
          const own = s.edit === this.edit ? s : { edit: this.edit, hash, leaves: s.leaves.slice() };
          n.slots[i] = own;
          const j = own.leaves.findIndex((l) => l.key === key);
          if (j >= 0) own.leaves[j] = { key, hash, value, seq: seq >= 0 ? seq : own.leaves[j].seq };
          else {
            own.leaves.push({ key, hash, value, seq: seq >= 0 ? seq : nextSeq++ });
            this.count++;
          }
          return;
        }
        // Another hash in a bucket's slot: push both one level down.
        n.slots[i] = this.split(s, { key, hash, value, seq: seq >= 0 ? seq : nextSeq++ }, shift + 5);
        this.count++;
        return;
      }
      if (s.key === key) {
        if (s.value !== value || (seq >= 0 && seq !== s.seq)) n.slots[i] = { key, hash, value, seq: seq >= 0 ? seq : s.seq };
        return;
      }
      // Another key in this slot: push both one level down.
      const leaf: Leaf<K, V> = { key, hash, value, seq: seq >= 0 ? seq : nextSeq++ };
      n.slots[i] = this.split(s, leaf, shift + 5);
      this.count++;
      return;
    }
  }

  /** A node holding `a` (a leaf or a bucket) and the leaf `b` of another key, at `shift`. */
  private split(a: Leaf<K, V> | Bucket<K, V>, b: Leaf<K, V>, shift: number): Slot<K, V> {
    if (a.hash === b.hash || shift > MAX_SHIFT) return { edit: this.edit, hash: a.hash, leaves: isBucket(a) ? [...a.leaves, b] : [a, b] };
    const ba = 1 << ((a.hash >>> shift) & 31);
    const bb = 1 << ((b.hash >>> shift) & 31);
    if (ba === bb) return { edit: this.edit, bitmap: ba, slots: [this.split(a, b, shift + 5)] };
    return { edit: this.edit, bitmap: ba | bb, slots: ba >>> 0 < bb >>> 0 ? [a, b] : [b, a] };
  }

  /** The entries in insertion order. */
  *[Symbol.iterator](): IterableIterator<[K, V]> {
    const leaves: Leaf<K, V>[] = [];
    if (this.root) collect(this.root, leaves);
    leaves.sort((x, y) => x.seq - y.seq);
    for (const l of leaves) yield [l.key, l.value];
  }

  /**
   * The keys whose values differ between `this` and `other` (present in one only, or different values),
   * visiting only the nodes the two maps do not share. `mine`/`theirs` are undefined where absent.
   */
  diff(other: PMap<K, V>, visit: (key: K, mine: V | undefined, theirs: V | undefined) => void): void {
    diffSlots(this.root, other.root, visit);
  }

  /**
   * Join `other` into this map: for each key of `other` whose value differs, `merge(mine, theirs)` (mine
   * undefined when absent here) gives the new value, or undefined for no change. Keys only here are left.
   * Returns whether anything changed.
   */
  joinFrom(other: PMap<K, V>, merge: (mine: V | undefined, theirs: V, key: K) => V | undefined, onlyMine?: (mine: V, key: K) => V | undefined): boolean {
    const changes: [K, V, number][] = [];
    diffLeaves(this.root, other.root, (a, b) => {
      if (b) {
        const v = merge(a?.value, b.value, b.key);
        if (v !== undefined) changes.push([b.key, v, a ? -1 : b.seq]);
      } else if (a && onlyMine) {
        const v = onlyMine(a.value, a.key);
        if (v !== undefined) changes.push([a.key, v, -1]);
      }
    });
    // Keys new here come last, in the other map's order (as a `Map` join inserts them).
    for (const [k, v, seq] of changes) if (seq < 0) this.put(k, v, -1);
    const added = changes.filter((c) => c[2] >= 0).sort((x, y) => x[2] - y[2]);
    for (const [k, v] of added) this.put(k, v, -1);
    return changes.length > 0;
  }
}

function collect<K extends Key, V>(s: Slot<K, V>, out: Leaf<K, V>[]): void {
  if (isBranch(s)) for (const c of s.slots) collect(c, out);
  else if (isBucket(s)) out.push(...s.leaves);
  else out.push(s);
}

function diffSlots<K extends Key, V>(a: Slot<K, V> | null, b: Slot<K, V> | null, visit: (key: K, mine: V | undefined, theirs: V | undefined) => void): void {
  diffLeaves(a, b, (x, y) => visit((x ?? y)!.key, x?.value, y?.value));
}

/** Pairs of leaves (by key) that differ; identical subtrees are skipped. */
function diffLeaves<K extends Key, V>(a: Slot<K, V> | null, b: Slot<K, V> | null, visit: (mine: Leaf<K, V> | undefined, theirs: Leaf<K, V> | undefined) => void): void {
  if (a === b) return;
  if (a && b && isBranch(a) && isBranch(b)) {
    let bits = a.bitmap | b.bitmap;
    while (bits !== 0) {
      const bit = bits & -bits;
      bits &= bits - 1;
      const ca = a.bitmap & bit ? a.slots[popcount(a.bitmap & (bit - 1))] : null;
      const cb = b.bitmap & bit ? b.slots[popcount(b.bitmap & (bit - 1))] : null;
      diffLeaves(ca, cb, visit);
    }
    return;
  }
  // Leaves, buckets or one side missing: compare the (small, differing) subtrees entry by entry.
  const la: Leaf<K, V>[] = [];
  const lb: Leaf<K, V>[] = [];
  if (a) collect(a, la);
  if (b) collect(b, lb);
  const byKey = new Map<K, Leaf<K, V>>();
  for (const l of la) byKey.set(l.key, l);
  for (const l of lb) {
    const m = byKey.get(l.key);
    if (m) {
      byKey.delete(l.key);
      if (m.value !== l.value) visit(m, l);
    } else visit(undefined, l);
  }
  for (const m of byKey.values()) visit(m, undefined);
}
