/**
 * A light, plain-JavaScript copy of the tree-sitter syntax tree.
 *
 * web-tree-sitter nodes are views into WebAssembly memory: every property read crosses the JS/wasm
 * boundary and allocates. The lint engine reads each node many times (semantic model, several rules),
 * so the parser copies the tree once, with one TreeCursor walk, into these objects and frees the
 * wasm tree. Anonymous tokens are kept only where they carry a field name (the `operator` of a binary
 * operation, ...), which is all the rules need.
 *
 * Offsets are UTF-16 code-unit indices into the source string (web-tree-sitter parses JS strings as
 * UTF-16, so its indices and columns are already UTF-16 — see test/unit/lint/parser.test.ts).
 */
import type { Position, Range } from './types';

export interface PyNode {
  /** tree-sitter node type: `call`, `identifier`, `attribute`, `ERROR`, an operator token like `+` ... */
  readonly type: string;
  /** Field name under the parent (`function`, `arguments`, `left`, ...), or null. */
  readonly field: string | null;
  readonly named: boolean;
  /** UTF-16 offsets into the source. */
  readonly start: number;
  readonly end: number;
  parent: PyNode | null;
  readonly children: PyNode[];
  /** Index in a pre-order walk: a cheap total order and a stable id. */
  readonly id: number;
}

/**
 * The node kinds met so far, a kind being a type, a field name and whether the type is named: a node
 * keeps the index of its kind (one small integer) instead of its field name and namedness, which makes
 * each node 8 bytes smaller (80 instead of 88; a long file has about 14 nodes a line, docs/benchmarks.md
 * "Memory of a long file"). `type` stays a property of its own: read as a getter it made the rules 20 %
 * slower on fixture-dense files (the reads at sites that see objects of many shapes cannot inline a
 * getter). A few hundred kinds occur; the table is shared by all trees of the process and only grows.
 */
const kindType: string[] = [];
const kindField: (string | null)[] = [];
const kindNamed: boolean[] = [];
const kindIndex = new Map<string, number>();

/** The index of the kind (type, field name, named), added to the table when new. */
export function nodeKind(type: string, fieldName: string | null, named: boolean): number {
  const key = `${named ? 1 : 0}${fieldName ?? ''}\u0000${type}`; // field names are never empty
  let k = kindIndex.get(key);
  if (k === undefined) {
    k = kindType.length;
    kindType.push(type);
    kindField.push(fieldName);
    kindNamed.push(named);
    kindIndex.set(key, k);
  }
  return k;
}

/** The children of every leaf: one shared, frozen empty array (saves an allocation per leaf). */
export const NO_CHILDREN: PyNode[] = Object.freeze([]) as unknown as PyNode[];

/** The parser's node: one class (one hidden class for every node); field and named read from its kind. */
export class TreeNode implements PyNode {
  /** Replaced by a real array at the first child: most nodes are leaves. */
  children: PyNode[] = NO_CHILDREN;
  readonly type: string;
  constructor(
    /** The index of the node's kind in the kind table (read directly by `field` and `namedChildren`). */
    readonly kind: number,
    readonly start: number,
    readonly end: number,
    public parent: PyNode | null,
    readonly id: number,
  ) {
    this.type = kindType[kind];
  }
  get field(): string | null {
    return kindField[this.kind];
  }
  get named(): boolean {
    return kindNamed[this.kind];
  }
}

/** The parsed file: the tree plus what rules need to turn offsets into positions. */
export interface PyTree {
  readonly source: string;
  readonly root: PyNode;
  /** Offsets at which each line starts. */
  readonly lineStarts: number[];
  /** Every `comment` node, in order. */
  readonly comments: PyNode[];
  /** True when tree-sitter had to recover from syntax errors somewhere. */
  readonly hasError: boolean;
  /** Nodes in pre-order (index = node.id). */
  readonly nodes: PyNode[];
}

export function computeLineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Offset → 0-based line and UTF-16 column. */
export function positionAt(lineStarts: number[], offset: number): Position {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: offset - lineStarts[lo] };
}

/** Position → offset (clamped to the source). */
export function offsetAt(lineStarts: number[], sourceLength: number, pos: Position): number {
  if (pos.line < 0) return 0;
  if (pos.line >= lineStarts.length) return sourceLength;
  const lineEnd = pos.line + 1 < lineStarts.length ? lineStarts[pos.line + 1] : sourceLength;
  return Math.min(lineStarts[pos.line] + Math.max(0, pos.column), lineEnd);
}

export function rangeOf(tree: PyTree, node: PyNode): Range {
  return { start: positionAt(tree.lineStarts, node.start), end: positionAt(tree.lineStarts, node.end) };
}

export function rangeOfOffsets(tree: PyTree, start: number, end: number): Range {
  return { start: positionAt(tree.lineStarts, start), end: positionAt(tree.lineStarts, end) };
}

export function textOf(tree: PyTree, node: PyNode): string {
  return tree.source.slice(node.start, node.end);
}

/**
 * First child with the given field name. The most called helper of the engine: it reads the kind table
 * directly (every node is a `TreeNode`) rather than through the `field` getter, in an indexed loop.
 */
export function field(node: PyNode, name: string): PyNode | null {
  const cs = node.children;
  for (let i = 0; i < cs.length; i++) if (kindField[(cs[i] as TreeNode).kind] === name) return cs[i];
  return null;
}

/** All children with the given field name. */
export function fields(node: PyNode, name: string): PyNode[] {
  return node.children.filter((c) => kindField[(c as TreeNode).kind] === name);
}

/** Named children only (skips operator tokens). */
export function namedChildren(node: PyNode): PyNode[] {
  return node.children.filter((c) => kindNamed[(c as TreeNode).kind] && c.type !== 'comment');
}

/** Strip redundant parentheses: `((x))` → `x`. */
export function unparen(node: PyNode): PyNode {
  let n = node;
  while (n.type === 'parenthesized_expression') {
    const inner = namedChildren(n);
    if (inner.length !== 1) break;
    n = inner[0];
  }
  return n;
}

/**
 * The file's nodes by type, each list in pre-order (the order of `tree.nodes`). Built in one pass over
 * `tree.nodes` the first time a rule asks, then kept with the tree (trees are never changed after the
 * parse): a rule that looks at a few node types loops over their lists instead of over every node.
 */
const nodesByType = new WeakMap<PyTree, Map<string, readonly PyNode[]>>();
const NO_NODES: readonly PyNode[] = Object.freeze([]);

function typeIndex(tree: PyTree): Map<string, readonly PyNode[]> {
  let index = nodesByType.get(tree);
  if (index) return index;
  const lists = new Map<string, PyNode[]>();
  for (const n of tree.nodes) {
    if (!n) continue;
    const list = lists.get(n.type);
    if (list) list.push(n);
    else lists.set(n.type, [n]);
  }
  index = lists;
  nodesByType.set(tree, index);
  return index;
}

/**
 * Forget a tree's index (rebuilt on the next ask). The engine drops it once a file's rules have run: a cached model
 * keeps its tree for re-lints, and the index would add a pointer per node (and the merged lists) to what it retains.
 */
export function dropNodeIndex(tree: PyTree): void {
  nodesByType.delete(tree);
}

/** The tree's nodes of one type, in pre-order: `tree.nodes.filter((n) => n.type === type)`, computed once per tree. */
export function nodesOfType(tree: PyTree, type: string): readonly PyNode[] {
  return typeIndex(tree).get(type) ?? NO_NODES;
}

/** The tree's nodes of any of the given types, in pre-order (the lists merged by id; the merge is kept too). */
export function nodesOfTypes(tree: PyTree, ...types: string[]): readonly PyNode[] {
  const index = typeIndex(tree);
  const key = `\u0000${types.join('\u0000')}`; // no node type holds a NUL
  const kept = index.get(key);
  if (kept) return kept;
  let merged: readonly PyNode[] = NO_NODES;
  for (const t of types) {
    const list = index.get(t);
    if (!list) continue;
    if (merged.length === 0) {
      merged = list;
      continue;
    }
    const out: PyNode[] = [];
    let i = 0;
    let j = 0;
    while (i < merged.length && j < list.length) out.push(merged[i].id < list[j].id ? merged[i++] : list[j++]);
    while (i < merged.length) out.push(merged[i++]);
    while (j < list.length) out.push(list[j++]);
    merged = out;
  }
  index.set(key, merged);
  return merged;
}

/** Pre-order walk of a subtree; return false from `visit` to skip a node's children. */
export function walk(node: PyNode, visit: (n: PyNode) => boolean | void): void {
  const stack: PyNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}

/** Whether `inner` lies inside `outer` (or is it). */
export function contains(outer: PyNode, inner: PyNode): boolean {
  return inner.start >= outer.start && inner.end <= outer.end && (inner.start !== outer.start || inner.end !== outer.end || isAncestorOrSelf(outer, inner));
}

function isAncestorOrSelf(a: PyNode, b: PyNode): boolean {
  for (let n: PyNode | null = b; n; n = n.parent) if (n === a) return true;
  return false;
}

/** Nearest ancestor (not self) satisfying the predicate. */
export function ancestor(node: PyNode, pred: (n: PyNode) => boolean): PyNode | null {
  for (let n = node.parent; n; n = n.parent) if (pred(n)) return n;
  return null;
}
