/**
 * Python parsing with web-tree-sitter 0.25 and the tree-sitter-python grammar (both WebAssembly).
 *
 * Where the wasm files come from, in order:
 *   1. an explicit `wasmDir` option;
 *   2. `<directory of the running bundle>/wasm` when it exists (the build copies `tree-sitter.wasm`
 *      and `tree-sitter-python.wasm` to `dist/wasm/`, and the CLI and extension bundles live in `dist/`);
 *   3. `require.resolve` into node_modules (tests and scripts running from source).
 * The runtime and the grammar are loaded once per process and cached.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as WebTreeSitter from 'web-tree-sitter';
import type { TreeCursor, Parser as ParserT, Tree as WasmTree, Edit, Range } from 'web-tree-sitter';
import { computeLineStarts, nodeKind, NO_CHILDREN, positionAt, TreeNode, type PyNode, type PyTree } from './tree';
import type { Position } from './types';

export interface WasmPaths {
  runtime: string;
  python: string;
}

declare const __dirname: string | undefined;
declare const require: NodeJS.Require | undefined;

/** Resolve the two wasm files, or throw an error naming every place that was tried. */
export function locateWasm(wasmDir?: string): WasmPaths {
  const tried: string[] = [];
  const inDir = (dir: string): WasmPaths | null => {
    const runtime = join(dir, 'tree-sitter.wasm');
    const python = join(dir, 'tree-sitter-python.wasm');
    tried.push(dir);
    return existsSync(runtime) && existsSync(python) ? { runtime, python } : null;
  };
  if (wasmDir !== undefined) {
    const found = inDir(wasmDir);
    if (found) return found;
    throw new Error(`tree-sitter wasm files not found in ${wasmDir} (need tree-sitter.wasm and tree-sitter-python.wasm)`);
  }
  if (typeof __dirname === 'string') {
    const found = inDir(join(__dirname, 'wasm'));
    if (found) return found;
  }
  if (typeof require === 'function') {
    try {
      return {
        runtime: require.resolve('web-tree-sitter/tree-sitter.wasm'),
        python: require.resolve('tree-sitter-python/tree-sitter-python.wasm'),
      };
    } catch {
      tried.push('node_modules (web-tree-sitter, tree-sitter-python)');
    }
  }
  throw new Error(`tree-sitter wasm files not found; looked in: ${tried.join(', ')}`);
}

/**
 * web-tree-sitter is loaded with `require` on purpose: bundlers resolve its CommonJS build
 * (`tree-sitter.cjs`) that way. Its ESM build reads `import.meta.url`, which is empty in our CommonJS
 * bundles (dist/cli.js, dist/extension.js) and makes `Parser.init` fail.
 */
function webTreeSitter(): typeof WebTreeSitter {
  if (typeof require !== 'function') throw new Error('web-tree-sitter needs a CommonJS require()');
  return require('web-tree-sitter') as typeof WebTreeSitter;
}

interface Loaded {
  parser: ParserT;
  /** Direct access to the runtime's cursor functions, when this web-tree-sitter build exposes them. */
  raw: RawCursorApi | null;
  types: string[];
  /** Per node type id: whether the type is named (saves a wasm call per node). */
  namedTypes: boolean[];
  fieldNames: (string | null)[];
  /** Per node type id: whether it is `comment`. */
  commentTypes: boolean[];
  /** Per field id × type count + type id: its node kind (`nodeKind`), or -1 until first met. */
  kinds: Int32Array;
}

let runtimeInit: Promise<void> | null = null;
/** The options object given to `Parser.init`: Emscripten fills it in and it becomes the wasm module. */
let runtimeModule: Record<string, unknown> | null = null;

/**
 * The tree copy is the engine's largest cost after tree-sitter's own parse (docs/benchmarks.md, ## Lint).
 * web-tree-sitter's `TreeCursor` getters each copy the cursor into the runtime's transfer buffer and,
 * for moves, back out again (`marshalTreeCursor`/`unmarshalTreeCursor`, 4 `setValue`/`getValue` calls
 * each): about half of the copy's time. The wasm functions behind them (`_ts_tree_cursor_*_wasm`,
 * lib/tree-sitter.c in web-tree-sitter) read the cursor from the transfer buffer and the moves write it
 * back there, so a walk that only calls them can leave the cursor in the buffer from the first call to
 * the last. This is the Emscripten module's public export table (`Module._name`), not private state,
 * but web-tree-sitter does not document it: it is detected at load time and the copy falls back to
 * the `TreeCursor` API when it is missing. test/unit/lint/parser-fast-copy.test.ts checks both copies
 * give the same tree.
 */
interface RawCursorApi {
  module: { HEAP32: Int32Array };
  /** Word index (address / 4) of the runtime's transfer buffer. */
  transfer: number;
  gotoFirstChild: (tree: number) => number;
  gotoNextSibling: (tree: number) => number;
  gotoParent: (tree: number) => number;
  typeId: (tree: number) => number;
  fieldId: (tree: number) => number;
  startIndex: (tree: number) => number;
  endIndex: (tree: number) => number;
}

function rawCursorApi(m: Record<string, unknown> | null): RawCursorApi | null {
  if (!m || !(m.HEAP32 instanceof Int32Array) || typeof m._ts_init !== 'function') return null;
  const names = {
    gotoFirstChild: '_ts_tree_cursor_goto_first_child_wasm',
    gotoNextSibling: '_ts_tree_cursor_goto_next_sibling_wasm',
    gotoParent: '_ts_tree_cursor_goto_parent_wasm',
    typeId: '_ts_tree_cursor_current_node_type_id_wasm',
    fieldId: '_ts_tree_cursor_current_field_id_wasm',
    startIndex: '_ts_tree_cursor_start_index_wasm',
    endIndex: '_ts_tree_cursor_end_index_wasm',
  } as const;
  const fns: Partial<Record<keyof typeof names, (tree: number) => number>> = {};
  for (const [k, n] of Object.entries(names) as [keyof typeof names, string][]) {
    const f = m[n];
    if (typeof f !== 'function') return null;
    fns[k] = f as (tree: number) => number;
  }
  // `_ts_init` returns the transfer buffer's address (and writes the ABI versions into it, harmlessly).
  const transfer = (m._ts_init as () => number)();
  if (!Number.isInteger(transfer) || transfer <= 0 || transfer % 4 !== 0) return null;
  return { module: m as unknown as { HEAP32: Int32Array }, transfer: transfer >> 2, ...(fns as Required<typeof fns>) };
}

/**
 * Switches for tests and benchmarks. `rawCursor: false` copies through web-tree-sitter's TreeCursor API;
 * `recoverSyntax: false` keeps tree-sitter's own tree when a syntax error swallows several lines
 * (see `recoverSyntaxErrors`); `chunkLines` is the size of the pieces a long file is parsed in (see
 * `parseSplitPoints`; 0: always in one piece).
 */
export const parserTuning = { rawCursor: true, recoverSyntax: true, chunkLines: 10_000 };
const languages = new Map<string, Promise<Loaded>>();

/** Load (once) the runtime and the Python grammar and return a ready parser. */
export function loadPythonParser(wasmDir?: string): Promise<PythonParser> {
  const paths = locateWasm(wasmDir);
  const { Parser, Language } = webTreeSitter();
  if (!runtimeInit) {
    const moduleOptions: Record<string, unknown> = { locateFile: () => paths.runtime };
    runtimeModule = moduleOptions;
    runtimeInit = Parser.init(moduleOptions as unknown as Parameters<typeof Parser.init>[0]);
  }
  let loaded = languages.get(paths.python);
  if (!loaded) {
    loaded = runtimeInit.then(async () => {
      const lang = await Language.load(paths.python);
      const parser = new Parser();
      parser.setLanguage(lang);
      const types: string[] = [];
      const namedTypes: boolean[] = [];
      for (let i = 0; i < lang.nodeTypeCount; i++) {
        types.push(lang.nodeTypeForId(i) ?? '');
        namedTypes.push(lang.nodeTypeIsNamed(i));
      }
      const fieldNames: (string | null)[] = [null];
      for (let i = 1; i <= lang.fieldCount; i++) fieldNames.push(lang.fieldNameForId(i));
      const kinds = new Int32Array(types.length * fieldNames.length).fill(-1);
      return { parser, types, namedTypes, fieldNames, commentTypes: types.map((t) => t === 'comment'), kinds, raw: rawCursorApi(runtimeModule) };
    });
    languages.set(paths.python, loaded);
    loaded.catch(() => languages.delete(paths.python));
  }
  return loaded.then((l) => new PythonParser(l));
}

export class PythonParser {
  /** How many pieces the last `parse` was parsed in (1: the whole text at once). */
  lastPieces = 0;

  constructor(private readonly loaded: Loaded) {}

  /** Parse and copy the tree into plain objects. Never throws on syntax errors (they become ERROR nodes). */
  parse(source: string): PyTree {
    const pieces = parserTuning.chunkLines > 0 ? parseSplitPoints(source, parserTuning.chunkLines) : [];
    if (pieces.length > 0) {
      const tree = this.parsePieces(source, [0, ...pieces]);
      if (tree) {
        this.lastPieces = pieces.length + 1;
        return tree;
      }
    }
    this.lastPieces = 1;
    const tree = this.fullParse(source);
    try {
      const cursor = tree.walk();
      try {
        // A recovered tree may have no ERROR left, but the text still has a syntax error.
        return this.copy(source, tree, cursor, tree.rootNode.hasError || recoveredTrees.has(tree));
      } finally {
        cursor.delete();
      }
    } finally {
      tree.delete();
    }
  }

  /**
   * A long file parsed piece by piece, each piece's tree copied and freed before the next is parsed, so the
   * wasm memory holds one piece's tree (tree-sitter's tree of a whole 200,000-line file is about 250 MB, and
   * wasm memory never shrinks). The pieces start at top-level statements (`parseSplitPoints`) and their
   * statements become the children of one module node: the same tree as one parse. A piece with a syntax
   * error (a real one, or a split the scan misjudged) makes this return null, and the caller parses the
   * whole text in one piece (with syntax-error recovery).
   */
  private parsePieces(source: string, starts: number[]): PyTree | null {
    const acc: CopyTarget = { nodes: [], comments: [], root: null, base: 0 };
    let end = 0;
    for (let k = 0; k < starts.length; k++) {
      const from = starts[k];
      const tree = this.loaded.parser.parse(source.slice(from, k + 1 < starts.length ? starts[k + 1] : source.length));
      if (!tree) throw new Error('tree-sitter returned no tree');
      try {
        if (tree.rootNode.hasError || tree.rootNode.type !== 'module') return null;
        end = from + tree.rootNode.endIndex;
        const cursor = tree.walk();
        try {
          acc.base = from;
          this.copyInto(tree, cursor, acc);
        } finally {
          cursor.delete();
        }
      } finally {
        tree.delete();
      }
    }
    const root = acc.root!;
    (root as { end: number }).end = end;
    return { source, root, lineStarts: computeLineStarts(source), comments: acc.comments, hasError: false, nodes: acc.nodes };
  }

  /**
   * Where tree-sitter's own parse of `source` (no recovery) has its first syntax error: the first ERROR
   * or MISSING node in text order, or null when there is none. One extra parse; callers ask only for
   * text that has an error (`PyTree.hasError`).
   */
  locateSyntaxError(source: string): Position | null {
    const tree = this.loaded.parser.parse(source);
    if (!tree) return null;
    try {
      let node = tree.rootNode;
      if (!node.hasError) return null;
      while (!node.isError && !node.isMissing) {
        let next: typeof node | null = null;
        for (let i = 0; i < node.childCount && !next; i++) {
          const c = node.child(i);
          if (c && (c.hasError || c.isError || c.isMissing)) next = c;
        }
        if (!next) break;
        node = next;
      }
      return positionAt(computeLineStarts(source), node.startIndex);
    } finally {
      tree.delete();
    }
  }

  /**
   * Incremental parse for a document that changes: `previous` is what an earlier call returned for the
   * same document. The edit between the two texts is found by diffing (longest common prefix and suffix,
   * never splitting a surrogate pair), given to tree-sitter with `tree.edit`, and the new text is parsed
   * with the edited old tree, so tree-sitter reuses every subtree the edit did not touch.
   *
   * The copy into `PyTree` is complete (the same as `parse`), so everything downstream is unchanged.
   * When the incremental result contains a syntax error, the text is parsed again from scratch:
   * tree-sitter's error recovery may settle differently with and without an old tree, and the result
   * must equal `parse(source)` exactly (test/unit/lint/incremental.test.ts checks this on random edits).
   *
   * Ownership: the returned `wasm` tree must be passed back as `previous` (which this call then
   * deletes) or deleted by the caller. `previous.wasm` is deleted in every case, even on throw.
   */
  parseIncremental(source: string, previous?: IncrementalState): IncrementalState {
    const parser = this.loaded.parser;
    let tree: WasmTree | null = null;
    try {
      if (previous && previous.source === source) {
        tree = previous.wasm.copy();
        if (previous.recovered) recoveredTrees.add(tree);
      } else if (previous && !previous.recovered) {
        // (A recovered tree was parsed with included ranges; it is never reused for another text.)
        const edit = diffEdit(previous.source, previous.lineStarts, source);
        previous.wasm.edit(edit);
        tree = parser.parse(source, previous.wasm);
        if (tree && tree.rootNode.hasError) {
          tree.delete();
          tree = null;
        }
      }
      tree ??= this.fullParse(source);
      const recovered = recoveredTrees.has(tree);
      const cursor = tree.walk();
      let py: PyTree;
      try {
        py = this.copy(source, tree, cursor, tree.rootNode.hasError || recovered);
      } finally {
        cursor.delete();
      }
      const state: IncrementalState = { source, lineStarts: py.lineStarts, wasm: tree, tree: py, recovered };
      tree = null; // owned by the caller now
      return state;
    } finally {
      tree?.delete();
      previous?.wasm.delete();
    }
  }

  /**
   * The top-level statements of `source` (the module's children: offsets and 0-based first and last rows),
   * without copying the tree: what the per-group re-lint (`incremental.ts`) needs to cut a document into
   * statements. Parsed incrementally from `previous` (same diffing as `parseIncremental`, no syntax-error
   * recovery: a text with an error has `hasError` and the caller lints it whole). Ownership of `wasm` as in
   * `parseIncremental`: `previous.wasm` is deleted in every case.
   */
  parseOutline(source: string, previous?: OutlineState): OutlineState {
    const parser = this.loaded.parser;
    let tree: WasmTree | null = null;
    try {
      if (previous) {
        const edit = diffEdit(previous.source, previous.lineStarts, source);
        previous.wasm.edit(edit);
        tree = parser.parse(source, previous.wasm);
      } else tree = parser.parse(source);
      if (!tree) throw new Error('tree-sitter returned no tree');
      const root = tree.rootNode;
      const statements: OutlineStatement[] = [];
      const hasError = root.hasError;
      if (!hasError) {
        for (let i = 0, n = root.childCount; i < n; i++) {
          const c = root.child(i)!;
          statements.push({ type: c.type, start: c.startIndex, end: c.endIndex, startRow: c.startPosition.row, endRow: c.endPosition.row });
        }
      }
      const state: OutlineState = { source, lineStarts: computeLineStarts(source), wasm: tree, statements, hasError };
      tree = null;
      return state;
    } finally {
      tree?.delete();
      previous?.wasm.delete();
    }
  }

  /** Parse from scratch, then try to win back what a syntax error swallowed (`recoverSyntaxErrors`). */
  private fullParse(source: string): WasmTree {
    const tree = this.loaded.parser.parse(source);
    if (!tree) throw new Error('tree-sitter returned no tree');
    if (!parserTuning.recoverSyntax || !tree.rootNode.hasError) return tree;
    return recoverSyntaxErrors(this.loaded.parser, source, tree);
  }

  /**
   * Copy with as few wasm calls per node as possible: type id and field id for every node, offsets only
   * for the nodes kept. Through the raw cursor functions when available (see `RawCursorApi`), else
   * through the `TreeCursor` API.
   */
  private copy(source: string, tree: WasmTree, cursor: TreeCursor, hasError: boolean): PyTree {
    const acc: CopyTarget = { nodes: [], comments: [], root: null, base: 0 };
    this.copyInto(tree, cursor, acc);
    return { source, root: acc.root!, lineStarts: computeLineStarts(source), comments: acc.comments, hasError, nodes: acc.nodes };
  }

  /** The copy of one tree into `acc` (see `CopyTarget`). */
  private copyInto(tree: WasmTree, cursor: TreeCursor, acc: CopyTarget): void {
    const raw = parserTuning.rawCursor ? this.loaded.raw : null;
    if (!raw) {
      this.walkCopy(acc, {
        gotoFirstChild: () => cursor.gotoFirstChild(),
        gotoNextSibling: () => cursor.gotoNextSibling(),
        gotoParent: () => cursor.gotoParent(),
        typeId: () => cursor.nodeTypeId,
        fieldId: () => cursor.currentFieldId,
        startIndex: () => cursor.startIndex,
        endIndex: () => cursor.endIndex,
      });
      return;
    }
    // The cursor's state is 4 words (web-tree-sitter keeps them as cursor[0..3]); the tree's address is
    // tree[0]. Put the state into the transfer buffer once, walk, and copy the final state back so
    // that `cursor.delete()` frees the right stack (a move may reallocate it).
    const state = cursor as unknown as Record<0 | 1 | 2 | 3, number>;
    const t = (tree as unknown as Record<0, number>)[0];
    const b = raw.transfer;
    let heap = raw.module.HEAP32;
    heap[b] = state[0];
    heap[b + 1] = state[1];
    heap[b + 2] = state[2];
    heap[b + 3] = state[3];
    try {
      this.rawWalkCopy(acc, raw, t);
    } finally {
      heap = raw.module.HEAP32; // a fresh view if the memory grew
      state[0] = heap[b];
      state[1] = heap[b + 1];
      state[2] = heap[b + 2];
      state[3] = heap[b + 3];
    }
  }

  /** The node kind (`nodeKind`) of a grammar type id and field id, looked up once per pair. */
  private kindOf(typeId: number, fid: number): number {
    const { types, namedTypes, fieldNames, kinds } = this.loaded;
    const key = fid * types.length + typeId;
    // Ids outside the grammar's table are error nodes (web-tree-sitter's `nodeType` says the same).
    if (typeId >= types.length || fid >= fieldNames.length) return nodeKind(types[typeId] ?? 'ERROR', fid ? fieldNames[fid] ?? null : null, namedTypes[typeId] ?? true);
    let k = kinds[key];
    if (k === -1) kinds[key] = k = nodeKind(types[typeId], fid ? fieldNames[fid] ?? null : null, namedTypes[typeId]);
    return k;
  }

  private walkCopy(acc: CopyTarget, cur: CursorOps): void {
    const { namedTypes, fieldNames, commentTypes } = this.loaded;
    const { nodes, comments, base } = acc;
    const make = (parent: PyNode | null, fid: number, typeId: number): TreeNode => {
      const node = new TreeNode(this.kindOf(typeId, fid), base + cur.startIndex(), base + cur.endIndex(), parent, nodes.length);
      nodes.push(node);
      if (commentTypes[typeId] === true) comments.push(node);
      return node;
    };
    // A later piece's module node is not copied: its children join the first piece's.
    const root = (acc.root as TreeNode | null) ?? make(null, 0, cur.typeId());
    acc.root = root;
    // Iterative pre-order walk with an explicit stack of parents.
    const stack: TreeNode[] = [root];
    if (cur.gotoFirstChild()) {
      for (;;) {
        const parent = stack[stack.length - 1];
        const typeId = cur.typeId();
        // (Skipping the field-id call for punctuation that never carries a field was tried: no
        // measurable gain, the call is cheap once the cursor stays in the transfer buffer.)
        const fid = cur.fieldId();
        const fname = fid ? fieldNames[fid] ?? null : null;
        let node: TreeNode | null = null;
        if (namedTypes[typeId] || fname !== null) {
          node = make(parent, fid, typeId);
          if (parent.children === NO_CHILDREN) parent.children = [node];
          else parent.children.push(node);
        }
        if (node && cur.gotoFirstChild()) {
          stack.push(node);
          continue;
        }
        // Unnamed tokens without a field are skipped together with their (token) children.
        while (!cur.gotoNextSibling()) {
          if (!cur.gotoParent() || stack.length === 1) {
            for (let i = stack.length - 1; i >= 1; i--) exactChildren(stack[i]);
            return;
          }
          exactChildren(stack.pop()!);
        }
      }
    }
  }
  /**
   * `walkCopy` through the raw cursor functions, written out: the same walk, with each cursor operation one
   * direct call of the runtime's function instead of a closure around it (the command line runs without
   * TurboFan's inlining, so each closure was a call of its own, 7 per node) and the kind looked up in place.
   * test/unit/lint/parser-fast-copy.test.ts checks it gives the tree `walkCopy` gives through `TreeCursor`.
   */
  private rawWalkCopy(acc: CopyTarget, raw: RawCursorApi, t: number): void {
    const { types, namedTypes, fieldNames, commentTypes, kinds } = this.loaded;
    const nTypes = types.length;
    const nFields = fieldNames.length;
    const { nodes, comments, base } = acc;
    const gotoFirstChild = raw.gotoFirstChild;
    const gotoNextSibling = raw.gotoNextSibling;
    const gotoParent = raw.gotoParent;
    const typeIdOf = raw.typeId;
    const fieldIdOf = raw.fieldId;
    const startIndexOf = raw.startIndex;
    const endIndexOf = raw.endIndex;
    let root = acc.root as TreeNode | null;
    if (root === null) {
      // A later piece's module node is not copied: its children join the first piece's.
      const typeId = typeIdOf(t);
      root = new TreeNode(this.kindOf(typeId, 0), base + startIndexOf(t), base + endIndexOf(t), null, nodes.length);
      nodes.push(root);
      if (commentTypes[typeId] === true) comments.push(root);
      acc.root = root;
    }
    const stack: TreeNode[] = [root];
    if (gotoFirstChild(t) === 0) return;
    for (;;) {
      const parent = stack[stack.length - 1];
      const typeId = typeIdOf(t);
      const fid = fieldIdOf(t);
      const fname = fid ? (fieldNames[fid] ?? null) : null;
      let node: TreeNode | null = null;
      if (namedTypes[typeId] || fname !== null) {
        let kind: number;
        if (typeId < nTypes && fid < nFields) {
          kind = kinds[fid * nTypes + typeId];
          if (kind === -1) kind = this.kindOf(typeId, fid);
        } else kind = this.kindOf(typeId, fid);
        node = new TreeNode(kind, base + startIndexOf(t), base + endIndexOf(t), parent, nodes.length);
        nodes.push(node);
        if (commentTypes[typeId] === true) comments.push(node);
        if (parent.children === NO_CHILDREN) parent.children = [node];
        else parent.children.push(node);
      }
      if (node && gotoFirstChild(t) !== 0) {
        stack.push(node);
        continue;
      }
      // Unnamed tokens without a field are skipped together with their (token) children.
      while (gotoNextSibling(t) === 0) {
        if (gotoParent(t) === 0 || stack.length === 1) {
          for (let i = stack.length - 1; i >= 1; i--) exactChildren(stack[i]);
          return;
        }
        exactChildren(stack.pop()!);
      }
    }
  }
}

/** Where a copy goes: nodes in pre-order (ids continue from `nodes.length`), offsets shifted by `base`. */
interface CopyTarget {
  nodes: PyNode[];
  comments: PyNode[];
  /** The module node: null until the first tree is copied. */
  root: PyNode | null;
  base: number;
}

/**
 * A node's children in an array of exactly their number, once the node is complete. `push` grows an
 * array's backing store to 17 slots at the second element, and most nodes have two or three children:
 * the slack was the tree copy's largest part (about 0.7 KB per line of a notebook-style file; see
 * docs/benchmarks.md "Memory of a long file"). The root's array is left as it is (the pieces of a long
 * file append to it).
 */
function exactChildren(node: TreeNode): void {
  if (node.children.length > 1) node.children = node.children.slice();
}

interface CursorOps {
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  typeId(): number;
  fieldId(): number;
  startIndex(): number;
  endIndex(): number;
}

/** A top-level statement (or comment) of a module, as `PythonParser.parseOutline` lists it. */
export interface OutlineStatement {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly startRow: number;
  readonly endRow: number;
}

/** What `PythonParser.parseOutline` keeps for a document between two versions. */
export interface OutlineState {
  readonly source: string;
  readonly lineStarts: number[];
  readonly wasm: WasmTree;
  /** The module's children in order; empty when `hasError`. */
  readonly statements: OutlineStatement[];
  readonly hasError: boolean;
}

/** What `PythonParser.parseIncremental` keeps for a document between two versions. */
export interface IncrementalState {
  readonly source: string;
  readonly lineStarts: number[];
  /** The live tree-sitter tree (wasm memory: delete it, or pass it back as `previous`). */
  readonly wasm: WasmTree;
  /** The plain copy, identical to `parse(source)`. */
  readonly tree: PyTree;
  /** `wasm` came from syntax-error recovery (parsed with included ranges): never reused incrementally. */
  readonly recovered?: boolean;
}

/**
 * The single edit that turns `oldText` into `newText`: longest common prefix, then longest common suffix
 * of the rest. Offsets and columns are UTF-16 code units (what web-tree-sitter expects for JS strings);
 * rows are 0-based lines. Never splits a surrogate pair.
 */
export function diffEdit(oldText: string, oldLineStarts: number[], newText: string): Edit {
  const max = Math.min(oldText.length, newText.length);
  let p = 0;
  while (p < max && oldText.charCodeAt(p) === newText.charCodeAt(p)) p++;
  if (p > 0 && p < max && isHighSurrogate(oldText.charCodeAt(p - 1))) p--;
  let s = 0;
  const maxS = max - p;
  while (s < maxS && oldText.charCodeAt(oldText.length - 1 - s) === newText.charCodeAt(newText.length - 1 - s)) s++;
  if (s > 0 && s < maxS && isLowSurrogate(oldText.charCodeAt(oldText.length - s))) s--;
  const oldEnd = oldText.length - s;
  const newEnd = newText.length - s;
  const startPosition = pointAt(oldLineStarts, p);
  const oldEndPosition = pointAt(oldLineStarts, oldEnd);
  // The new end: start position plus the inserted text's lines.
  let row = startPosition.row;
  let lineStart = p - startPosition.column;
  for (let i = newText.indexOf('\n', p); i !== -1 && i < newEnd; i = newText.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  const newEndPosition = { row, column: newEnd - lineStart };
  return { startIndex: p, oldEndIndex: oldEnd, newEndIndex: newEnd, startPosition, oldEndPosition, newEndPosition };
}

function pointAt(lineStarts: number[], offset: number): { row: number; column: number } {
  const p = positionAt(lineStarts, offset);
  return { row: p.line, column: p.column };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

// ---------------------------------------------------------------------------------------------------
// Syntax-error recovery
// ---------------------------------------------------------------------------------------------------

/** Trees that `recoverSyntaxErrors` produced (the text has a syntax error even if the tree shows none). */
const recoveredTrees = new WeakSet<WasmTree>();

/** How many times the broken lines are widened and the text parsed again, at most. */
const MAX_RECOVERY_ROUNDS = 4;
/** Extra parses allowed per text in all rounds together (each costs about one full parse). */
const MAX_RECOVERY_PARSES = 8;

/**
 * tree-sitter's error recovery can swallow everything after an unclosed bracket or a broken `def`
 * header into one `ERROR` node (top-level, or inside the enclosing class), so every finding below the
 * typo disappears until the line is finished. For each `ERROR` that spans more than one line, the text is
 * parsed again with tree-sitter's *included ranges* leaving out the broken lines: from the start of the
 * line where the `ERROR` begins up to the next line that can begin a top-level statement
 * (`nextStatementLine`). Included ranges keep positions absolute, so nothing downstream changes; the
 * left-out lines are simply absent from the tree (no node covers them).
 *
 * This repeats while it helps (at most `MAX_RECOVERY_ROUNDS` rounds and `MAX_RECOVERY_PARSES` parses),
 * and a candidate is kept only if the text it loses — code units under `ERROR` nodes plus the lines
 * left out — is less than the best tree so far loses. Otherwise the original tree is returned untouched. The losing trees are deleted; the
 * caller owns the returned one (which is `tree` itself when nothing was better).
 *
 * Hand-written rather than a library: this is specific to tree-sitter's recovery and Python's line
 * structure, and tree-sitter has no "resynchronize at the next statement" switch.
 */
export function recoverSyntaxErrors(parser: ParserT, source: string, tree: WasmTree): WasmTree {
  const lineStarts = computeLineStarts(source);
  let best = tree;
  let excluded: Span[] = [];
  let bestErrors = errorSpans(best);
  let bestLost = lostText(source, bestErrors, excluded);
  let parses = 0;
  for (let round = 0; round < MAX_RECOVERY_ROUNDS && bestLost > 0; round++) {
    let improved = false;
    // One candidate region per multi-line ERROR, tried one at a time so that a region that does not
    // help cannot sink one that does.
    for (const err of bestErrors.filter((e) => e.multiLine)) {
      if (parses >= MAX_RECOVERY_PARSES) break;
      const line = positionAt(lineStarts, err.start).line;
      const from = lineStarts[line];
      const next = nextStatementLine(source, lineStarts, line);
      const to = next === -1 ? source.length : lineStarts[next];
      if (excluded.some((s) => s.start <= from && to <= s.end)) continue;
      const candidateExcluded = mergeSpans([...excluded, { start: from, end: to }]);
      const ranges = includedRanges(source, lineStarts, candidateExcluded);
      if (ranges.length === 0) continue; // nothing left to parse
      parses++;
      const candidate = parser.parse(source, null, { includedRanges: ranges });
      if (!candidate) continue;
      const errors = errorSpans(candidate);
      const lost = lostText(source, errors, candidateExcluded);
      if (lost >= bestLost) {
        candidate.delete();
        continue;
      }
      if (best !== tree) best.delete();
      best = candidate;
      bestErrors = errors;
      excluded = candidateExcluded;
      bestLost = lost;
      improved = true;
      break; // the ERROR nodes changed: look at the new tree's
    }
    if (!improved) break;
  }
  if (best !== tree) {
    tree.delete();
    recoveredTrees.add(best);
  }
  return best;
}

interface Span {
  start: number;
  end: number;
}

/** The text under ERROR nodes at any depth (merged where they nest or touch), in text order. */
function errorSpans(tree: WasmTree): (Span & { multiLine: boolean })[] {
  const root = tree.rootNode;
  const nodes = root.isError ? [root] : root.descendantsOfType('ERROR');
  const spans: (Span & { multiLine: boolean })[] = [];
  for (const n of nodes) {
    if (n) spans.push({ start: n.startIndex, end: n.endIndex, multiLine: n.endPosition.row > n.startPosition.row });
  }
  spans.sort((a, b) => a.start - b.start);
  const out: (Span & { multiLine: boolean })[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) {
      last.end = Math.max(last.end, s.end);
      last.multiLine ||= s.multiLine;
    } else out.push({ ...s });
  }
  return out;
}

/**
 * UTF-16 code units under ERROR nodes, plus those of the lines left out of the parse. A `\r` is not counted (in
 * `\r\n` it belongs to the line break), so the same text with LF or CRLF line breaks keeps the same candidate:
 * counting it made a candidate that leaves out more lines cost more with CRLF (fuzz seed 20250214, mutant 38).
 */
function lostText(source: string, errors: Span[], excluded: Span[]): number {
  let n = 0;
  const add = (s: Span): void => {
    n += s.end - s.start;
    for (let i = source.indexOf('\r', s.start); i !== -1 && i < s.end; i = source.indexOf('\r', i + 1)) n--;
  };
  for (const s of excluded) add(s);
  for (const s of errors) add(s);
  return n;
}

/** Sort and merge overlapping or touching spans. */
function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** The complement of `excluded` (sorted, disjoint, line-aligned) as tree-sitter ranges. */
function includedRanges(source: string, lineStarts: number[], excluded: Span[]): Range[] {
  const out: Range[] = [];
  let at = 0;
  const push = (start: number, end: number): void => {
    if (end > start) {
      out.push({
        startIndex: start,
        endIndex: end,
        startPosition: pointAt(lineStarts, start),
        endPosition: pointAt(lineStarts, end),
      });
    }
  };
  for (const s of excluded) {
    push(at, s.start);
    at = s.end;
  }
  push(at, source.length);
  return out;
}

/**
 * Offsets at which to cut a long file into pieces of about `every` lines that parse on their own exactly as
 * in the whole text: each is the start of a line, at or after a multiple of `every`, that begins a top-level
 * statement (`startsStatement`: an identifier or keyword, not a decorator, not `else`/`except`/...), outside
 * any bracket, string or backslash continuation, and whose previous non-blank line also starts at column 0
 * and is neither a comment nor a decorator (so no indented block and no comment placement depends on what
 * follows). Empty when the file has fewer than 1.5 `every` lines. One linear scan of the text.
 */
export function parseSplitPoints(source: string, every: number): number[] {
  const out: number[] = [];
  let line = 0;
  let next = every;
  let lines = 0;
  for (let k = source.indexOf('\n'); k !== -1 && lines < every * 1.5; k = source.indexOf('\n', k + 1)) lines++;
  if (lines < every * 1.5) return out;
  let depth = 0;
  let triple: string | null = null;
  let continued = false;
  let prevTopLevel = false; // the previous non-blank line starts at column 0 with code (not `#`, not `@`)
  const n = source.length;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    if (lineStart) {
      lineStart = false;
      if (line >= next && depth === 0 && triple === null && !continued && prevTopLevel && startsStatement(source, i) && source[i] !== '@') {
        out.push(i);
        next = line + every;
      }
      // Blank lines keep the previous line's verdict.
      let j = i;
      while (j < n && (source[j] === ' ' || source[j] === '\t' || source[j] === '\f')) j++;
      const blank = j >= n || source[j] === '\n' || (source[j] === '\r' && source[j + 1] === '\n');
      if (!blank && triple === null) prevTopLevel = depth === 0 && !continued && j === i && source[i] !== '#' && source[i] !== '@';
      else if (!blank) prevTopLevel = false;
    }
    const c = source[i];
    if (triple !== null) {
      if (c === '\\') i += 2;
      else if (source.startsWith(triple, i)) {
        i += 3;
        triple = null;
      } else {
        if (c === '\n') {
          line++;
          lineStart = true;
          prevTopLevel = false;
        }
        i++;
      }
      continue;
    }
    if (c === '\n') {
      line++;
      i++;
      lineStart = true;
      // `continued` stays set for the line after a backslash; otherwise a line break ends it.
      if (source[i - 2] !== '\\' && !(source[i - 2] === '\r' && source[i - 3] === '\\')) continued = false;
      else continued = true;
      continue;
    }
    if (c === '#') {
      const e = source.indexOf('\n', i);
      i = e === -1 ? n : e;
    } else if (c === '"' || c === "'") {
      if (source.startsWith(c + c + c, i)) {
        triple = c + c + c;
        i += 3;
      } else i = afterOneLineString(source, i);
    } else {
      if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
      i++;
    }
  }
  return out;
}

/**
 * The offset after the one-line string whose opening quote is at `i`: after its closing quote or, unterminated,
 * at the end of the line (a backslash escapes the next character, but not a line break).
 */
function afterOneLineString(source: string, i: number): number {
  const q = source[i];
  const n = source.length;
  i++;
  while (i < n && source[i] !== q && source[i] !== '\n') i += source[i] === '\\' && source[i + 1] !== '\n' ? 2 : 1;
  return source[i] === q ? i + 1 : i;
}

/** Keywords that continue a compound statement: a line starting with one cannot start a new one. */
const CONTINUATION_KEYWORDS = new Set(['else', 'elif', 'except', 'finally']);

/**
 * The first line after `line` that starts, at column 0, with something that can begin a top-level
 * statement: an identifier or keyword (not `else`/`elif`/`except`/`finally`) or a decorator `@`. Lines
 * inside a triple-quoted string or after a backslash continuation do not count, and nor do comments,
 * blank or indented lines, or lines starting with a bracket, quote, number or operator (conservative:
 * such a line may be the rest of the broken expression). Strings and comments are tracked from the
 * start of `line`; brackets are not (the broken line is usually the one that leaves one open).
 * Returns -1 when there is none.
 */
export function nextStatementLine(source: string, lineStarts: number[], line: number): number {
  let i = lineStarts[line];
  let triple: string | null = null; // the closing delimiter while inside a triple-quoted string
  let continued = false;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    if (triple !== null) {
      if (c === '\\') i += 2;
      else if (source.startsWith(triple, i)) {
        i += 3;
        triple = null;
      } else i++;
      continue;
    }
    if (c === '\n') {
      const next = i + 1;
      if (!continued && next < n) {
        const l = positionAt(lineStarts, next).line;
        if (l > line && startsStatement(source, next)) return l;
      }
      continued = false;
      i = next;
      continue;
    }
    continued = false;
    if (c === '#') {
      const e = source.indexOf('\n', i);
      i = e === -1 ? n : e;
    } else if (c === '\\') {
      if (source[i + 1] === '\n' || (source[i + 1] === '\r' && source[i + 2] === '\n')) {
        continued = true;
        i += source[i + 1] === '\r' ? 2 : 1; // lands on the '\n', which sees `continued`
        continue;
      }
      i++;
    } else if (c === '"' || c === "'") {
      if (source.startsWith(c + c + c, i)) {
        triple = c + c + c;
        i += 3;
      } else i = afterOneLineString(source, i);
    } else i++;
  }
  return -1;
}

function startsStatement(source: string, at: number): boolean {
  const c = source[at];
  if (c === '@') return true;
  const m = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/u.exec(source.slice(at, at + 64));
  return m !== null && !CONTINUATION_KEYWORDS.has(m[0]);
}
