/**
 * Re-lint of a document after an edit by independent groups of top-level statements (docs/lint-engine.md,
 * "Re-lint by groups of statements").
 *
 * The module's top-level statements are cut into *units* (statements that share a line are one unit).
 * Import units are part of the groups that can see them (`neededImport`), comment-only units and pure
 * aliases of the groups that need them (`keptUnits`); code units are linked when one binds at
 * module level (or declares `global`, or stores an attribute of something other than `self`) a name that
 * the other's text contains as a word, when a whole-file fact a rule or the analysis reads differs
 * between the group and the file (facts.ts) for a group that read it (that group's units join a unit with
 * the fact; other groups do not), when a rule's answer depended on every occurrence of a word (a
 * probe, `SemanticModel.probedWords`), and (the analysis' guess of what a `model`/`critic` parameter
 * holds) every unit with such a parameter with every unit that defines a class. Each connected component
 * (a group) is linted as a file of its units and the shared ones at their own lines, every other line
 * blank; a group whose units' texts did not change reuses its findings, moved with its units.
 *
 * Whatever this cannot show to be exact falls back to linting the whole file: a syntax error anywhere,
 * a rule that throws, an analysis that ran out of budget (or groups whose steps together come near the
 * whole file's budget).
 */
import { calledNamesOf, setAnalysisOptions, analysisIfComputed } from './analysis';
import type { Suppressions } from './noqa';
import { parseSuppressions } from './noqa';
import type { OutlineState, PythonParser } from './parser';
import type { RawDiagnostic } from './rule';
import { FACT_NAMES, factBits, type FileFact } from './facts';
import { CRITIC_PARAM, MODEL_PARAM } from './knowledge/torch';
import { SemanticModel, SNIPPET_SENTINELS, withoutCommentsAndStrings } from './semantic';
import { field, nodesOfType, type PyNode } from './tree';
import type { Position, Range } from './types';

/** A parameter name the analysis maps to a class of the file (interpreter.ts, `likelyInstance`). */
const mapsToClass = (name: string): boolean => CRITIC_PARAM.test(name) || MODEL_PARAM.test(name);

/** What a unit's text says, computed once per distinct text. */
export interface UnitFacts {
  readonly kind: 'import' | 'comment' | 'code';
  /** Names bound at module level or declared `global`. */
  readonly defs: readonly string[];
  /** Names read that resolve to the module (or to nothing: builtins, names other statements bind). */
  readonly reads: readonly string[];
  /** Attribute names stored on something other than `self` (also `setattr(x, 'name', ...)`). */
  readonly attrDefs: readonly string[];
  /** Attribute names read anywhere (also the names in `getattr`/`hasattr`/`delattr` strings). */
  readonly attrReads: readonly string[];
  /**
   * Only assignments of names to expressions without calls or mutable literals (`Tensor = torch.Tensor`,
   * `EPS = 1e-8`) and docstrings: such a unit can be part of every group (see `groupUnits`).
   */
  readonly pureAlias: boolean;
  /**
   * Module-level code that can end the module's execution for the analysis (`return` or `raise` outside a
   * function, `break`/`continue` outside a loop, `while True:`): everything after it may be dead, so the
   * file is linted whole.
   */
  readonly mayEndModule: boolean;
  /**
   * It runs code at module level (beyond defining functions and classes): rules treat the module's code
   * as one function (AGL001 asks whether "the function" has a backward), so all such units are one group.
   */
  readonly moduleCode: boolean;
  /** Every identifier-like word of the text (comments and strings included: a superset of its names). */
  readonly words: ReadonlySet<string>;
  /** Names of the functions it defines (any depth). */
  readonly functionNames: readonly string[];
  /** Names its calls use (`f` of `f(...)` and `x.f(...)`). */
  readonly called: readonly string[];
  readonly modelParam: boolean;
  readonly hasClass: boolean;
  /** Nodes of its tree (without the module node). */
  readonly nodes: number;
  /** Bit i: `FACT_NAMES[i]` holds in this text (facts.ts). */
  readonly facts: number;
  /** `# noqa` comments, lines relative to the unit's first line. */
  readonly suppressions: Suppressions;
  /** The qualified names its module-level imports bind (what `SemanticModel.moduleAlias` looks up). */
  readonly modules: readonly string[];
  readonly hasError: boolean;
}

const WORD_UNICODE = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]+/gu;
const WORD_ASCII = /\w+/g;

/** The facts of one unit, parsed on its own (a top-level statement parses alone as in its file). */
export function unitFacts(parser: PythonParser, text: string): UnitFacts {
  const tree = parser.parse(text);
  const model = new SemanticModel(tree);
  const top = tree.root.children.filter((c) => c.named);
  const kind = top.every((c) => c.type === 'comment')
    ? 'comment'
    : top.every((c) => c.type === 'comment' || c.type === 'import_statement' || c.type === 'import_from_statement' || c.type === 'future_import_statement')
      ? 'import'
      : 'code';
  const defs = new Set<string>(model.moduleScope.bindings.keys());
  const reads = new Set<string>();
  const attrDefs = new Set<string>();
  const attrReads = new Set<string>();
  const functionNames: string[] = [];
  let modelParam = false;
  let hasClass = false;
  for (const n of tree.nodes) {
    if (!n) continue;
    if (n.type === 'global_statement') {
      for (const c of n.children) if (c.type === 'identifier') defs.add(model.textOf(c));
    } else if (n.type === 'class_definition') hasClass = true;
    else if (n.type === 'function_definition') {
      const name = field(n, 'name');
      if (name) functionNames.push(model.textOf(name));
    } else if (n.type === 'parameters' || n.type === 'lambda_parameters') {
      for (const p of n.children) {
        const id = p.type === 'identifier' ? p : p.children.find((c) => c.type === 'identifier');
        if (id && mapsToClass(model.textOf(id))) modelParam = true;
      }
    } else if (n.type === 'attribute') {
      const obj = field(n, 'object');
      const attr = field(n, 'attribute');
      if (!attr) continue;
      attrReads.add(model.textOf(attr));
      if (isStoreTarget(n) && !(obj && obj.type === 'identifier' && model.textOf(obj) === 'self')) attrDefs.add(model.textOf(attr));
    } else if (n.type === 'identifier' && n.field !== 'attribute' && !(n.field === 'name' && n.parent?.type === 'keyword_argument')) {
      const name = model.textOf(n);
      const b = model.bindingsOf(name, model.scopeAt(n));
      // A read inside the statement that binds it locally (`torch = torch.tensor(...)`) is resolved with the
      // module's bindings of the name as well: it reads them.
      if (b.length === 0 || b[0].scope === model.moduleScope || b.some((x) => x.stmt.start <= n.start && n.end <= x.stmt.end)) reads.add(name);
    } else if (n.type === 'call') {
      const fn = field(n, 'function');
      const callee = fn?.type === 'identifier' ? model.textOf(fn) : null;
      if (callee === 'getattr' || callee === 'hasattr' || callee === 'delattr' || callee === 'setattr') {
        for (const w of model.textOf(n).match(WORD_ASCII) ?? []) (callee === 'setattr' ? attrDefs : attrReads).add(w);
      }
    }
  }
  const pureAlias = top.every((c) => c.type === 'comment' || isPureAlias(c));
  const mayEndModule = tree.nodes.some((n) => n && mayEnd(n, model));
  const moduleCode = top.some((c) => c.type !== 'comment' && !isDefinitionOnly(c));
  const words = new Set<string>(text.match(WORD_UNICODE) ?? []);
  for (const w of text.match(WORD_ASCII) ?? []) words.add(w);
  const facts = factBits(text, () => withoutCommentsAndStrings(tree));
  return {
    kind,
    defs: [...defs],
    reads: [...reads],
    attrDefs: [...attrDefs],
    attrReads: [...attrReads],
    pureAlias,
    mayEndModule,
    moduleCode,
    words,
    functionNames,
    called: [...calledNamesOf(model)],
    modelParam,
    hasClass,
    nodes: tree.nodes.length - 1,
    facts,
    suppressions: parseSuppressions(tree),
    modules: [...new Set(model.bindings.filter((b) => b.kind === 'import' && b.scope === model.moduleScope).map((b) => b.qname ?? ''))],
    // tree-sitter takes `else:` followed by a line at the same indentation for an empty block, without an error; Python
    // raises IndentationError. Such a unit may parse otherwise in a group's file (blank lines around it) than in the
    // whole file, so the document is linted whole.
    hasError: tree.hasError || nodesOfType(tree, 'block').some((b) => b.start === b.end),
  };
}

/** Node types of an expression that makes nothing and calls nothing (names, attributes, literals, operators). */
const PURE = new Set([
  'identifier', 'attribute', 'subscript', 'integer', 'float', 'string', 'string_start', 'string_content', 'string_end', 'escape_sequence',
  'concatenated_string', 'true', 'false', 'none', 'ellipsis', 'binary_operator', 'unary_operator', 'boolean_operator', 'comparison_operator',
  'not_operator', 'parenthesized_expression', 'tuple', 'slice', 'conditional_expression', 'type', 'comment',
]);

/** A docstring or `name = <pure expression>` (chained assignments too), nothing else. */
function isPureAlias(stmt: PyNode): boolean {
  if (stmt.type !== 'expression_statement' || stmt.children.length !== 1) return false;
  let e = stmt.children[0];
  if (e.type === 'string' || e.type === 'concatenated_string') return isPure(e);
  while (e.type === 'assignment') {
    const left = field(e, 'left');
    const right = field(e, 'right');
    if (!left || left.type !== 'identifier' || !right || field(e, 'type')) return false;
    e = right;
  }
  return e !== stmt.children[0] && isPure(e);
}

function isPure(n: PyNode): boolean {
  if (!n.named) return true;
  if (!PURE.has(n.type)) return false;
  return n.children.every(isPure);
}

/** Decorator expressions that run nothing worth analysing: names, attributes, calls with literal arguments. */
const PLAIN_DECORATOR = new Set([...PURE, 'call', 'argument_list', 'keyword_argument', 'decorator', 'list', 'dictionary', 'pair']);

function plain(n: PyNode): boolean {
  if (!n.named) return true;
  return PLAIN_DECORATOR.has(n.type) && n.children.every(plain);
}

/**
 * A function or class definition whose evaluation at module level runs nothing but plain decorators
 * (`@torch.no_grad()`, `@pytest.mark.parametrize("n", [1, 2])`) and, in a class body, methods,
 * docstrings, `pass` and pure assignments (see `UnitFacts.moduleCode`).
 */
function isDefinitionOnly(n: PyNode): boolean {
  if (n.type === 'function_definition') return true;
  if (n.type === 'decorated_definition') {
    const def = field(n, 'definition');
    return !!def && n.children.every((c) => c === def || c.type !== 'decorator' || plain(c)) && isDefinitionOnly(def);
  }
  if (n.type === 'class_definition') {
    const body = field(n, 'body');
    if (!body) return false;
    return body.children.every(
      (c) => !c.named || c.type === 'comment' || c.type === 'pass_statement' || c.type === 'function_definition' || (c.type === 'decorated_definition' && isDefinitionOnly(c)) || isPureAlias(c),
    ) && (field(n, 'superclasses')?.children ?? []).every(plain);
  }
  return false;
}

/** See `UnitFacts.mayEndModule`. */
function mayEnd(n: PyNode, model: SemanticModel): boolean {
  const t = n.type;
  if (t !== 'return_statement' && t !== 'raise_statement' && t !== 'break_statement' && t !== 'continue_statement' && t !== 'while_statement') return false;
  let inLoop = false;
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'lambda') return false;
    if (p.type === 'for_statement' || p.type === 'while_statement') inLoop = true;
  }
  if (t === 'while_statement') {
    const cond = field(n, 'condition');
    return !cond || cond.type === 'true' || (cond.type === 'integer' && model.textOf(cond) !== '0') || cond.type === 'string';
  }
  return t === 'return_statement' || t === 'raise_statement' || !inLoop;
}

/** Whether an attribute node is (part of) the target of an assignment, `for`, `with ... as` or `del`. */
function isStoreTarget(n: PyNode): boolean {
  let c = n;
  for (let p = n.parent; p; c = p, p = p.parent) {
    if (p.type === 'assignment' || p.type === 'augmented_assignment' || p.type === 'for_statement' || p.type === 'for_in_clause') return c.field === 'left';
    if (p.type === 'as_pattern') return c.field === 'alias';
    if (p.type === 'delete_statement') return true;
    if (p.type === 'subscript' || p.type === 'attribute') {
      if (c.field !== 'value' && c.field !== 'object') return false;
      continue;
    }
    if (p.type !== 'pattern_list' && p.type !== 'tuple_pattern' && p.type !== 'list_pattern' && p.type !== 'tuple' && p.type !== 'list' && p.type !== 'parenthesized_expression' && p.type !== 'list_splat_pattern' && p.type !== 'expression_list' && p.type !== 'as_pattern_target') return false;
  }
  return false;
}

/** One unit of a version of the document: lines `first..last` (0-based) and their text. */
export interface Unit {
  readonly first: number;
  readonly last: number;
  readonly text: string;
  readonly facts: UnitFacts;
}

/** Cut a parsed outline into units (statements sharing a line are one unit). */
export function unitsOf(outline: OutlineState, factsOf: (text: string) => UnitFacts): Unit[] {
  const { source, lineStarts, statements } = outline;
  const units: Unit[] = [];
  let first = -1;
  let last = -1;
  const flush = (): void => {
    if (first < 0) return;
    const text = source.slice(lineStarts[first], last + 1 < lineStarts.length ? lineStarts[last + 1] : source.length);
    units.push({ first, last, text, facts: factsOf(text) });
  };
  for (const s of statements) {
    // A statement that ends at column 0 of a line (a block's trailing newline) does not occupy that line.
    const endRow = s.endRow > s.startRow && lineStarts[s.endRow] === s.end ? s.endRow - 1 : s.endRow;
    if (first >= 0 && s.startRow <= last) last = Math.max(last, endRow);
    else {
      flush();
      first = s.startRow;
      last = endRow;
    }
  }
  flush();
  return units;
}

/** A group: indices of its code units, ascending. */
export type Group = number[];

/**
 * Words whose every occurrence a rule read, each with the texts of the units of the group whose lint read
 * it: those units and every unit containing the word are one group.
 */
export type LinkWords = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Whole-file facts a group read while its file lacked them, each with the texts of that group's units: those
 * units join a unit that has the fact (a group that never read it stays apart).
 */
export type LinkFacts = ReadonlyMap<FileFact, ReadonlySet<string>>;

/**
 * Connected components of the code units. `linkWords`: see `LinkWords`; `linkFacts`: see `LinkFacts`
 * (both from earlier lints of this document). Returns the groups in order of their first unit.
 */
export function groupUnits(units: readonly Unit[], linkWords: LinkWords, linkFacts: LinkFacts, linkModules: ReadonlySet<string> = new Set()): Grouping {
  const parent = units.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  // Names bound by code units (how many units bind each), and the pure aliases a group holds when it reads
  // them (`keptUnits`) instead of joining them: one that reads only names no other code binds (imports,
  // builtins, other such aliases) and binds names nothing else binds, as an import does.
  const boundBy = new Map<string, number>();
  for (const u of units) if (u.facts.kind === 'code') for (const d of u.facts.defs) boundBy.set(d, (boundBy.get(d) ?? 0) + 1);
  const shared = new Set<number>();
  const sharedNames = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < units.length; i++) {
      const f = units[i].facts;
      if (f.kind !== 'code' || !f.pureAlias || shared.has(i)) continue;
      if (f.defs.some((d) => boundBy.get(d) !== 1)) continue;
      if (!f.reads.every((r) => !boundBy.has(r) || sharedNames.has(r) || f.defs.includes(r))) continue;
      shared.add(i);
      for (const d of f.defs) sharedNames.add(d);
      changed = true;
    }
  }
  const code: number[] = [];
  const definer = new Map<string, number>();
  const attrDefiner = new Map<string, number>();
  for (let i = 0; i < units.length; i++) {
    if (units[i].facts.kind !== 'code' || shared.has(i)) continue;
    code.push(i);
    for (const d of units[i].facts.defs) {
      const j = definer.get(d);
      if (j === undefined) definer.set(d, i);
      else union(i, j);
    }
    for (const d of units[i].facts.attrDefs) {
      const j = attrDefiner.get(d);
      if (j === undefined) attrDefiner.set(d, i);
      else union(i, j);
    }
  }
  const linkFirst = new Map<string, number>();
  for (const i of code) {
    const f = units[i].facts;
    for (const r of f.reads) {
      const j = definer.get(r);
      if (j !== undefined) union(i, j);
    }
    for (const r of f.attrReads) {
      const j = attrDefiner.get(r);
      if (j !== undefined) union(i, j);
    }
    for (const [w, probers] of linkWords) {
      if (!f.words.has(w) && !probers.has(units[i].text)) continue;
      const k = linkFirst.get(w);
      if (k === undefined) linkFirst.set(w, i);
      else union(i, k);
    }
  }
  // `snippetAlias` resolves unbound `np`, `grad`... only while none of them is bound anywhere: a unit binding
  // one joins every unit that mentions one.
  const sentinels = code.filter((i) => units[i].facts.defs.some((d) => SNIPPET_SENTINELS.has(d)));
  if (sentinels.length > 0) for (const i of code) if (mentionsSentinel(units[i].facts)) union(i, sentinels[0]);
  for (const i of sentinels) union(i, sentinels[0]);
  // Rules take the module's code for one function.
  let moduleUnit = -1;
  for (const i of code) {
    if (!units[i].facts.moduleCode) continue;
    if (moduleUnit < 0) moduleUnit = i;
    else union(i, moduleUnit);
  }
  // The analysis' guess of the instance a `model`/`critic` parameter holds looks at every class.
  if (code.some((i) => units[i].facts.modelParam)) {
    let first = -1;
    for (const i of code) {
      if (!units[i].facts.modelParam && !units[i].facts.hasClass) continue;
      if (first < 0) first = i;
      else union(i, first);
    }
  }
  // Whole-file facts a group read and lacked: the units of such groups (`readers`, by text) join a unit that
  // has it; a group none of whose units read it stays apart (its lint does not depend on the fact). (When only
  // a pure alias has it, every group keeps that alias.)
  let sharedFacts = 0;
  const factAliases = new Set<number>();
  for (let i = 0; i < units.length; i++) if (units[i].facts.kind === 'import') sharedFacts |= units[i].facts.facts;
  for (const [fact, readers] of linkFacts) {
    const bit = 1 << FACT_NAMES.indexOf(fact);
    if (sharedFacts & bit) continue;
    const having = code.filter((i) => units[i].facts.facts & bit);
    if (having.length === 0) {
      const alias = units.findIndex((u, i) => (shared.has(i) || u.facts.kind === 'comment') && u.facts.facts & bit);
      if (alias >= 0) factAliases.add(alias);
      continue;
    }
    const roots = new Set(having.map(find));
    for (const i of code) if (readers.has(units[i].text) && !roots.has(find(i))) union(i, having[0]);
  }
  const byRoot = new Map<number, Group>();
  for (const i of code) {
    const r = find(i);
    const g = byRoot.get(r);
    if (g) g.push(i);
    else byRoot.set(r, [i]);
  }
  const comments = new Set<number>();
  for (let i = 0; i < units.length; i++) if (units[i].facts.kind === 'comment') comments.add(i);
  return { groups: [...byRoot.values()], aliases: shared, comments, factAliases, linkWords, linkModules };
}

/** What `groupUnits` found. */
export interface Grouping {
  groups: Group[];
  /** Pure aliases: kept by the groups that read them. */
  aliases: ReadonlySet<number>;
  /** Comment-only units: kept only for a fact or a probed word (rules and the analysis skip comments). */
  comments: ReadonlySet<number>;
  /** Pure aliases and comment units every group keeps (the only units with a whole-file fact a group read). */
  factAliases: ReadonlySet<number>;
  linkWords: LinkWords;
  /** Modules a rule asked the local alias of (`SemanticModel.moduleAlias`): their imports are in every group's file. */
  linkModules: ReadonlySet<string>;
}

/** A finding of a group, with every position relative to one of the group's kept units. */
interface StoredPos {
  k: number;
  dl: number;
  column: number;
}
interface StoredRange {
  start: StoredPos;
  end: StoredPos;
}
interface StoredDiag {
  rule: number;
  raw: RawDiagnostic;
  range: StoredRange;
  related: StoredRange[];
  fixes: StoredRange[][];
}

/** What linting one group gave: reusable while its key is the same. */
export interface GroupResult {
  diags: StoredDiag[];
  steps: number;
  probes: readonly string[];
  /** The whole-file facts its lint read. */
  facts: readonly FileFact[];
  /** The modules whose alias its lint asked for (`SemanticModel.probedModules`). */
  modules: readonly string[];
  /** First lines of the kept units when the findings name line numbers or a fix inserts at a unit boundary (then only reused in place). */
  pinned: number[] | null;
}

/**
 * The units a group's file keeps, in order: its code units, the pure aliases and comment-only units it
 * needs (those binding a name it, or a kept alias, reads; those containing a probed word one of its units
 * contains; those carrying a whole-file fact no other unit has) and the import units it needs (see
 * `neededImport`). (`# noqa` comments are read from every unit, outside the groups.)
 */
export function keptUnits(units: readonly Unit[], group: Group, grouping: Grouping): number[] {
  const keep = new Set(group);
  const names = new Set<string>();
  const words = new Set<string>();
  for (const i of group) {
    for (const r of units[i].facts.reads) names.add(r);
    for (const [w, probers] of grouping.linkWords) if (units[i].facts.words.has(w) || probers.has(units[i].text)) words.add(w);
  }
  for (const i of grouping.factAliases) keep.add(i);
  // (See `groupUnits`: a pure alias binding `np`, `grad`... changes how the group's unbound ones resolve.)
  if (group.some((i) => mentionsSentinel(units[i].facts))) for (const i of grouping.aliases) if (units[i].facts.defs.some((d) => SNIPPET_SENTINELS.has(d))) keep.add(i);
  for (let changed = true; changed; ) {
    changed = false;
    for (const i of [...grouping.aliases, ...grouping.comments]) {
      if (keep.has(i)) continue;
      const f = units[i].facts;
      if (!f.defs.some((d) => names.has(d)) && ![...words].some((w) => f.words.has(w))) continue;
      keep.add(i);
      for (const r of f.reads) names.add(r);
      changed = true;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < units.length; i++) if (keep.has(i) || (units[i].facts.kind === 'import' && neededImport(units[i].facts, units, keep, words, grouping.linkModules))) out.push(i);
  return out;
}

/** Whether a unit's text contains a name whose binding changes how other unbound names resolve (`SNIPPET_SENTINELS`). */
function mentionsSentinel(f: UnitFacts): boolean {
  for (const w of SNIPPET_SENTINELS) if (f.words.has(w)) return true;
  return false;
}

/**
 * Whether a group's file keeps an import unit: when a word of the kept units is a name the import binds
 * (every name the group's code, its aliases or its comments could read through it: a superset), when
 * it carries a whole-file fact (every group's file then has the facts of every import, as `groupUnits`
 * assumes), when it contains a word a rule probed in the group, when it binds a module a rule asked the
 * alias of (`linkModules`), or binds a name whose binding changes how other names resolve (`np`, `grad`:
 * `SNIPPET_SENTINELS`), and always when it binds no name (a `__future__` or `*` import). Otherwise
 * the import cannot change what the group's lint sees: the file's other imports bind other names.
 */
function neededImport(f: UnitFacts, units: readonly Unit[], keep: ReadonlySet<number>, probed: ReadonlySet<string>, linkModules: ReadonlySet<string>): boolean {
  if (f.defs.length === 0 || f.facts !== 0 || f.modules.some((m) => linkModules.has(m)) || f.defs.some((d) => SNIPPET_SENTINELS.has(d))) return true;
  for (const w of probed) if (f.words.has(w)) return true;
  for (const i of keep) if (f.defs.some((d) => units[i].facts.words.has(d))) return true;
  return false;
}

/** The cache key of a group: the kept units' kinds and texts, and the whole-file calls of its functions. */
export function groupKey(units: readonly Unit[], kept: readonly number[], group: Group, called: ReadonlySet<string>): string {
  const parts: string[] = [];
  const inGroup = new Set(group);
  for (const i of kept) parts.push(`${inGroup.has(i) ? 'g' : 's'}${units[i].text.length}:${units[i].text}`);
  const names = new Set<string>();
  for (const i of group) for (const n of units[i].facts.functionNames) if (called.has(n)) names.add(n);
  parts.push([...names].sort().join(','));
  return parts.join('\u0000');
}

/** The text of a group's file: the kept units at their lines, every other line empty (line breaks kept). */
export function groupText(source: string, lineStarts: readonly number[], units: readonly Unit[], kept: readonly number[]): string {
  const parts: string[] = [];
  let line = 0;
  const breaks = (from: number, to: number): void => {
    // The line breaks of lines from..to-1, without their content.
    for (let l = from; l < to; l++) {
      const end = l + 1 < lineStarts.length ? lineStarts[l + 1] : source.length;
      let b = end;
      if (b > lineStarts[l] && source[b - 1] === '\n') b--;
      if (b > lineStarts[l] && source[b - 1] === '\r') b--;
      parts.push(source.slice(b, end));
    }
  };
  for (const i of kept) {
    const u = units[i];
    breaks(line, u.first);
    parts.push(u.text);
    line = u.last + 1;
  }
  breaks(line, lineStarts.length);
  return parts.join('');
}

/** Store a group's raw findings relative to its kept units; null when a position is outside them. */
export function storeResult(
  raw: readonly { rule: number; d: RawDiagnostic }[],
  units: readonly Unit[],
  kept: readonly number[],
  steps: number,
  probes: readonly string[],
  facts: readonly FileFact[],
  modules: readonly string[],
): GroupResult | null {
  const rel = (p: Position): StoredPos | null => {
    // Binary search for the kept unit holding line p.line.
    let lo = 0;
    let hi = kept.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = units[kept[mid]];
      if (p.line < u.first) hi = mid - 1;
      else if (p.line > u.last) lo = mid + 1;
      else return { k: mid, dl: p.line - u.first, column: p.column };
    }
    return null;
  };
  const relRange = (r: Range): StoredRange | null => {
    const start = rel(r.start);
    const end = rel(r.end);
    return start && end ? { start, end } : null;
  };
  const diags: StoredDiag[] = [];
  let pinned = false;
  for (const { rule, d } of raw) {
    const range = relRange(d.range);
    if (!range) return null;
    const related: StoredRange[] = [];
    for (const r of d.related) {
      const s = relRange(r.range);
      if (!s) return null;
      related.push(s);
    }
    const fixes: StoredRange[][] = [];
    for (const f of d.fixes) {
      const edits: StoredRange[] = [];
      for (const e of f.edits) {
        const s = relRange(e.range);
        if (!s) return null;
        edits.push(s);
      }
      fixes.push(edits);
    }
    // A zero-width edit at the start of a unit's first line inserts between two units: whether it belongs after
    // the unit above or before this one depends on the rule, so once a unit is inserted or removed above, only a
    // fresh lint knows where it goes (pinned: reused only in place).
    if (fixes.some((f) => f.some((e) => e.start.dl === 0 && e.start.column === 0 && e.end.dl === 0 && e.end.column === 0 && e.start.k === e.end.k))) pinned = true;
    if (/\blines? \d/.test(d.message) || d.related.some((r) => /\blines? \d/.test(r.message)) || d.fixes.some((f) => /\blines? \d/.test(f.title) || f.edits.some((e) => /\blines? \d/.test(e.newText)))) pinned = true;
    diags.push({ rule, raw: d, range, related, fixes });
  }
  return { diags, steps, probes, facts, modules, pinned: pinned ? kept.map((i) => units[i].first) : null };
}

/** A stored group's findings at the kept units' current lines (fresh objects: callers may change them). */
export function restoreResult(r: GroupResult, units: readonly Unit[], kept: readonly number[]): { rule: number; d: RawDiagnostic }[] {
  const pos = (p: StoredPos): Position => ({ line: units[kept[p.k]].first + p.dl, column: p.column });
  const range = (r: StoredRange): Range => ({ start: pos(r.start), end: pos(r.end) });
  return r.diags.map((s) => ({
    rule: s.rule,
    d: {
      meta: s.raw.meta,
      range: range(s.range),
      message: s.raw.message,
      related: s.raw.related.map((x, i) => ({ range: range(s.related[i]), message: x.message })),
      fixes: s.raw.fixes.map((f, i) => ({ title: f.title, safe: f.safe, edits: f.edits.map((e, j) => ({ range: range(s.fixes[i][j]), newText: e.newText })) })),
    },
  }));
}

/** Lint one group's file: the raw findings with their rule's index, the analysis' steps, and what it probed. */
export function lintGroupModel(
  parser: PythonParser,
  text: string,
  called: ReadonlySet<string>,
  check: (model: SemanticModel) => { rule: number; d: RawDiagnostic }[],
): { raw: { rule: number; d: RawDiagnostic }[]; steps: number; incomplete: boolean; probes: string[]; facts: FileFact[]; modules: string[]; hasError: boolean } {
  const model = new SemanticModel(parser.parse(text));
  setAnalysisOptions(model, { calledNames: called });
  const raw = check(model);
  const a = analysisIfComputed(model);
  return { raw, steps: a?.steps ?? 0, incomplete: a?.incomplete ?? false, probes: [...model.probedWords], facts: [...model.probedFacts], modules: [...model.probedModules], hasError: model.tree.hasError };
}

/** Shift a unit's suppressions to its lines and merge them into `into`. */
export function addSuppressions(into: Suppressions, s: Suppressions, first: number): Suppressions {
  let file = into.file;
  if (s.file === 'all' || file === 'all') file = 'all';
  else if (s.file) file = new Set([...(file ?? []), ...s.file]);
  for (const [line, codes] of s.lines) into.lines.set(line + first, codes);
  return { lines: into.lines, file };
}
