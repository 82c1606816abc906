/**
 * The semantic model of one Python file, built in a single walk over the syntax tree.
 *
 * It answers the questions rules ask, so rules never walk the tree themselves for name resolution:
 *   - qualified names of callees through imports and aliases (`T.autograd.grad` → `torch.autograd.grad`),
 *     method calls on values (`y.backward()`) kept apart from module functions;
 *   - arguments by keyword or position (`argument(call, 'create_graph')`), `**kwargs` → unknown;
 *   - bindings (assignment, tuple unpacking, augmented assignment, `for`, `with ... as`, parameters,
 *     imports, walrus, except-as), mutations (`t[i] = v`, `lst.append(v)`), and which bindings reach a
 *     use (straight-line kill, `if` branches kept, loop back-edges kept);
 *   - data flow: forward (`flow(...)`: where does this value go) and backward (`traceBack(...)`: what does
 *     this value derive from), both following small helper functions defined in the same file
 *     (arguments → parameters, returns → call site).
 * Limits (documented in docs/lint-engine.md): no types, no aliasing through containers other than
 * append/extend/insert/subscript stores, attributes of objects (`self.x`) are not tracked as variables.
 */
import { FACT_NAMES, factHolds, type FileFact } from './facts';
import { MODULE_SELF_METHODS, REDUCTIONS_WITH_INDICES, UNIMPORTED_LIBRARY_CLASSES, VALUES_AND_INDICES } from './knowledge/torch';
import { JAX_NUMPY_STAR_NAMES } from './knowledge/jax';
import { ALIASES, SIGNATURES } from './signatures';
import { field, fields, namedChildren, textOf, unparen, type PyNode, type PyTree } from './tree';

export type ScopeKind = 'module' | 'function' | 'lambda' | 'class';

export interface Scope {
  kind: ScopeKind;
  node: PyNode;
  parent: Scope | null;
  bindings: Map<string, Binding[]>;
  fn: FunctionInfo | null;
}

export type BindingKind = 'assign' | 'augassign' | 'for' | 'with' | 'param' | 'import' | 'def' | 'class' | 'walrus' | 'except';

export interface Binding {
  name: string;
  kind: BindingKind;
  scope: Scope;
  /** The identifier being bound. */
  target: PyNode;
  /** The expression whose value is bound (whole right-hand side; see `path`), or null. */
  value: PyNode | null;
  /** Index path inside a tuple/list target: `a, (b, c) = ...` gives c the path [1, 1]. */
  path: number[];
  /** The statement (assignment, for, with, def, import, ...). */
  stmt: PyNode;
  /** Offset at which the binding takes effect. */
  at: number;
  /** For imports: the qualified name bound (`torch.nn.functional`). */
  qname: string | null;
  /** Innermost enclosing loop within the same scope. */
  loop: PyNode | null;
  /** For parameters: the function. */
  param?: { fn: FunctionInfo; index: number; star: 'none' | 'args' | 'kwargs' };
}

/** `t[i] = v`, `t.attr = v`, `t[i] += v`, `lst.append(v)`, `lst.extend(v)`, `lst.insert(i, v)`. */
export interface Mutation {
  /** Base variable name (`t`, `lst`). */
  name: string;
  /** The base identifier node. */
  base: PyNode;
  /** The store target (`t[i]`, `t.attr`) or the call (`lst.append(v)`). */
  target: PyNode;
  /** The value stored / appended (for augmented stores, the whole statement). */
  value: PyNode;
  stmt: PyNode;
  kind: 'subscript' | 'attribute' | 'append';
  /** For attribute stores, the attribute name (`requires_grad`, `grad`). */
  attr: string | null;
  scope: Scope;
  loop: PyNode | null;
}

export interface FunctionInfo {
  node: PyNode;
  /** Name, or `<lambda>`. */
  name: string;
  scope: Scope;
  params: Binding[];
  /** Returned expressions (a lambda's body counts). */
  returns: PyNode[];
  /** Qualified names (or text) of decorators. */
  decorators: string[];
  /** Calls of this function found in the file. */
  callSites: CallInfo[];
  /** Defined as a method (directly inside a class body). */
  isMethod: boolean;
}

export interface CallInfo {
  node: PyNode;
  /**
   * Resolved qualified name of the callee when it is a module-level name (`torch.autograd.grad`).
   * Null for a call of a call (`jax.grad(f)(x)`, `nn.MSELoss()(a, b)`): that callee is a value made by
   * the inner call (see `calleeCall`), not the function the inner call names.
   */
  qname: string | null;
  /**
   * When the callee is itself a call (`jax.grad(f)(x)`, `nn.Linear(2, 1)(x)`): that inner call, whose
   * `qname` says what made the callable (`jax.grad`, `torch.nn.Linear`). `qname`, `method` and `receiver`
   * of this call are then null. See `rootCalleeName`.
   */
  calleeCall: CallInfo | null;
  /** Method name when the callee is `<value>.<name>` on a value (`backward` for `y.backward()`). */
  method: string | null;
  /** The value a method is called on. */
  receiver: PyNode | null;
  /** A function defined in this file that the call targets (by name). */
  local: FunctionInfo | null;
  /** Positional arguments before any `*args` (never mutated: calls without any share one empty array). */
  positional: readonly PyNode[];
  /** Keyword arguments by name (never mutated: calls without any share one empty map). */
  keywords: ReadonlyMap<string, PyNode>;
  hasStarArgs: boolean;
  hasKwargs: boolean;
  scope: Scope;
}

export type ArgLookup = { kind: 'found'; node: PyNode } | { kind: 'absent' } | { kind: 'unknown' };

export interface WithContext {
  node: PyNode;
  /** The context-manager expressions (`torch.no_grad()`), one per item. */
  items: PyNode[];
  body: PyNode;
}

const LOOP_TYPES = new Set(['for_statement', 'while_statement']);
/** The arguments of a call without any (`CallInfo.positional`, `CallInfo.keywords`): shared; the array is frozen, the map read-only by its type. */
const NO_ARGS: PyNode[] = Object.freeze([]) as unknown as PyNode[];
const NO_KEYWORDS: ReadonlyMap<string, PyNode> = new Map();
const NO_METHODS: ReadonlyMap<string, FunctionInfo> = new Map();
const PATTERN_TYPES = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'expression_list']);

/**
 * Module aliases so conventional that code quoted without its imports (forum snippets, notebook cells
 * that rely on an earlier cell) still means them. Used only for names bound nowhere in the file.
 */
export const CONVENTIONAL_ALIASES: Readonly<Record<string, string>> = {
  torch: 'torch',
  nn: 'torch.nn',
  F: 'torch.nn.functional',
  optim: 'torch.optim',
  autograd: 'torch.autograd',
  np: 'numpy',
  numpy: 'numpy',
  math: 'math',
  tf: 'tensorflow',
  keras: 'tensorflow.keras',
  K: 'tensorflow.keras.backend',
  jax: 'jax',
  jnp: 'jax.numpy',
  // `lax.cond`/`lax.while_loop` quoted without `from jax import lax`: no other library of Python code is named `lax`.
  lax: 'jax.lax',
  flax: 'flax',
  // Equinox's own spelling in its documentation and in quoted snippets.
  eqx: 'equinox',
  // optax's own spelling (`optax.adam`, `optax.apply_updates`) in training steps quoted without their imports.
  optax: 'optax',
  dde: 'deepxde',
  functorch: 'torch.func',
  Variable: 'torch.autograd.Variable',
  // `copy.deepcopy(model)` and torchdiffeq's adjoint solver in snippets quoted without their imports.
  copy: 'copy',
  odeint_adjoint: 'torchdiffeq.odeint_adjoint',
  // A training loop's progress bar (`for x, y in tqdm(loader)`) quoted without its import: it yields what it wraps.
  tqdm: 'tqdm.tqdm',
};

/** Unbound names in a JAX-style snippet (`np` and `grad` without imports): see `snippetAlias`. */
const JAX_SNIPPET_ALIASES: Readonly<Record<string, string>> = {
  np: 'jax.numpy',
  grad: 'jax.grad',
  value_and_grad: 'jax.value_and_grad',
  jacfwd: 'jax.jacfwd',
  jacrev: 'jax.jacrev',
  hessian: 'jax.hessian',
  vmap: 'jax.vmap',
  jit: 'jax.jit',
};

/**
 * Names whose binding anywhere in the file changes how other unbound names resolve (`snippetAlias` asks
 * that every one of them is unbound): the re-lint by groups keeps the imports binding them in every group.
 */
export const SNIPPET_SENTINELS: ReadonlySet<string> = new Set([...Object.keys(JAX_SNIPPET_ALIASES), 'api']);

/**
 * Keras layer and model classes a Keras snippet calls without importing them (`Dense(...)`, `Lambda(K.argmax)`,
 * `Model(inputs, outputs)`): see `snippetAlias`.
 */
const KERAS_SNIPPET_NAMES = new Set([
  'Input', 'Dense', 'Lambda', 'Embedding', 'LSTM', 'GRU', 'SimpleRNN', 'Bidirectional', 'TimeDistributed', 'Dropout',
  'Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose', 'MaxPooling1D', 'MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D',
  'GlobalMaxPooling2D', 'Flatten', 'Reshape', 'Activation', 'LeakyReLU', 'BatchNormalization', 'LayerNormalization',
  'Concatenate', 'Add', 'Multiply', 'RepeatVector', 'UpSampling2D', 'ZeroPadding2D',
]);
const KERAS_SNIPPET_MODELS: Readonly<Record<string, string>> = { Model: 'tensorflow.keras.Model', Sequential: 'tensorflow.keras.Sequential' };

/** Normalise another spelling of a qualified name (`keras.layers.X` → `tensorflow.keras.layers.X`). */
export function canonicalName(q: string): string {
  const exact = ALIASES[q];
  if (exact) return exact;
  if (q.startsWith('keras.')) return `tensorflow.${q}`;
  if (q.startsWith('tf_keras.')) return `tensorflow.keras.${q.slice(9)}`;
  if (q.startsWith('functorch.')) return `torch.func.${q.slice(10)}`;
  // JAX's old spellings: `from jax import api` (removed in 0.2.x; `api.grad` is `jax.grad`), and the example libraries
  // that moved out of `jax.experimental` (`stax`, `optimizers` → `jax.example_libraries`).
  if (q.startsWith('jax.api.')) return `jax.${q.slice(8)}`;
  if (q.startsWith('jax.experimental.stax') || q.startsWith('jax.experimental.optimizers')) return `jax.example_libraries.${q.slice(17)}`;
  // DeepXDE's TensorFlow backends (`from deepxde.backend import tf`, as its examples and users write): the module is
  // TensorFlow itself (`tensorflow.compat.v1` for the graph-mode backend, `tensorflow` for the TF2 one).
  if (q === 'deepxde.backend.tf') return 'tensorflow';
  if (q.startsWith('deepxde.backend.tf.')) return `tensorflow.${q.slice(19)}`;
  return q;
}

export class SemanticModel {
  readonly tree: PyTree;
  readonly source: string;
  readonly moduleScope: Scope;
  readonly scopes: Scope[] = [];
  readonly bindings: Binding[] = [];
  readonly mutations: Mutation[] = [];
  readonly functions: FunctionInfo[] = [];
  readonly calls: CallInfo[] = [];
  readonly withs: WithContext[] = [];
  /**
   * Identifier uses (load context): the scope of each, indexed by node id (ids are pre-order indices, so
   * an array is dense; a Map's insertion was a visible part of the walk), and their ids in the order the
   * walk first met them (`usesOf` orders by it).
   */
  private readonly useScope: (Scope | undefined)[];
  private readonly useIds: number[] = [];
  /** The innermost loop around each identifier use that is in a loop (no entry: in none). */
  private readonly useLoop = new Map<number, PyNode>();
  private readonly callByNode = new Map<number, CallInfo>();
  private readonly qnameCache = new Map<number, string | null>();
  /** Whether this is a JAX-style snippet (`np` and `grad` used without imports): see `snippetAlias`. */
  private jaxSnippet: boolean | null = null;
  /** Whether this is a Keras snippet (layers called without imports next to `K.`/`keras.`/`tf.`): see `snippetAlias`. */
  private kerasSnippet: boolean | null = null;
  /** Modules the file imports everything from at module level (`from tensorflow.keras.layers import *`), canonical names. */
  private readonly starModules: string[] = [];
  private readonly reachCache = new Map<number, Binding[]>();
  private readonly functionByNode = new Map<number, FunctionInfo>();
  private readonly scopeByNode = new Map<number, Scope>();
  private readonly text = (n: PyNode): string => textOf(this.tree, n);

  /**
   * Characters of `source` that are the linted file (the rest: definitions of other workspace files appended for
   * the analysis, workspace.ts). Whole-file facts are facts of the linted file.
   */
  private readonly lintedLength: number;

  /** Offset where the linted file ends (the text's length unless workspace definitions were appended). */
  get lintedEnd(): number {
    return this.lintedLength;
  }

  constructor(tree: PyTree, opts: { lintedLength?: number } = {}) {
    this.tree = tree;
    this.source = tree.source;
    this.lintedLength = opts.lintedLength ?? tree.source.length;
    this.useScope = new Array<Scope | undefined>(tree.nodes.length);
    this.moduleScope = this.newScope('module', tree.root, null, null);
    this.visitBlock(tree.root, this.moduleScope, null);
    // Reads resolved while the walk was still binding names (qualified names of callees) saw only the
    // bindings made so far; resolve them again against the whole file.
    this.reachCache.clear();
    this.linkCalls();
  }

  // ---------------------------------------------------------------- public queries

  /** Source text of a node. */
  textOf(node: PyNode): string {
    return this.text(node);
  }

  /** The call info for a `call` node. */
  call(node: PyNode): CallInfo | undefined {
    return this.callByNode.get(node.id);
  }

  /** The function info for a `function_definition` or `lambda` node. */
  functionOf(node: PyNode): FunctionInfo | undefined {
    return this.functionByNode.get(node.id);
  }

  /** The innermost function enclosing a node (null at module level). */
  enclosingFunction(node: PyNode): FunctionInfo | null {
    for (let n = node.parent; n; n = n.parent) {
      const f = this.functionByNode.get(n.id);
      if (f) return f;
    }
    return null;
  }

  /** The scope a function, lambda, class or comprehension node opens (not the one it runs in), if any. */
  scopeOpenedBy(node: PyNode): Scope | undefined {
    return this.scopeByNode.get(node.id);
  }

  /** The scope a node's code runs in. */
  scopeAt(node: PyNode): Scope {
    for (let n: PyNode | null = node; n; n = n.parent) {
      const s = this.scopeByNode.get(n.id);
      if (s && n !== node) return s;
      if (s && node.type !== 'function_definition' && node.type !== 'lambda' && node.type !== 'class_definition') return s;
    }
    return this.moduleScope;
  }

  /**
   * Qualified name of an expression that names a module-level thing: `T.autograd.grad` with
   * `import torch as T` gives `torch.autograd.grad`; a call gives its callee's name (none for a call of a call, `jax.grad(f)(x)`). Unbound names
   * (builtins such as `float`) give themselves. Values (`y`, `model`) give null.
   */
  qualifiedName(node: PyNode): string | null {
    const cached = this.qnameCache.get(node.id);
    if (cached !== undefined) return cached;
    let result: string | null = null;
    const n = unparen(node);
    if (n.type === 'call') {
      // A call of a call (`jax.grad(f)(x)`) calls a value, not a module-level function: no name.
      const fn = field(n, 'function');
      result = fn && unparen(fn).type !== 'call' ? this.qualifiedName(fn) : null;
    } else if (n.type === 'identifier') {
      const name = this.text(n);
      const reach = this.reachingBindings(n);
      if (reach.length > 0) {
        const q = reach[0].qname;
        result = q !== null && reach.every((b) => b.qname === q) ? q : null;
      } else if (!this.isBoundAnywhere(name, this.useScope[n.id] ?? this.moduleScope)) {
        // Unbound: a builtin (`float`), or a snippet that leaves out its imports (`torch.autograd.grad`,
        // `nn.Linear`, `F.relu`): conventional module aliases resolve as if imported.
        result = this.starImported(name) ?? this.snippetAlias(name) ?? this.libraryClassAlias(name) ?? CONVENTIONAL_ALIASES[name] ?? name;
      }
    } else if (n.type === 'attribute') {
      const obj = field(n, 'object');
      const attr = field(n, 'attribute');
      // Only names bound by an import (or chains of them) qualify an attribute: `y.backward` with an
      // unbound `y` is a method call on a value, not a module function.
      const o = obj ? unparen(obj) : null;
      const base =
        o && (o.type === 'attribute' || (o.type === 'identifier' && (this.reachingBindings(o).length > 0 || this.isConventionalAlias(o))))
          ? this.qualifiedName(o)
          : null;
      if (base !== null && attr) result = canonicalName(`${base}.${this.text(attr)}`);
    }
    this.qnameCache.set(node.id, result);
    return result;
  }

  /**
   * In a snippet that imports neither `np` nor `grad` but calls `grad(...)` (or `value_and_grad`,
   * `jacfwd`, `jacrev`, `hessian`; or `jax.grad(...)` and never `jnp.`) and never names PyTorch or TensorFlow, `np` is the differentiable
   * NumPy the early JAX documentation imported as `import jax.numpy as np` (HIPS autograd, JAX's
   * ancestor, spells it the same and has the same derivatives) and `grad` is `jax.grad`: plain NumPy has
   * no `grad`. The meanings for such unbound names, or null.
   */
  snippetAlias(name: string): string | null {
    // JAX's old module `api` (`from jax import api`; `api.grad(f)`), quoted without its import in a file that names no other framework.
    if (name === 'api') {
      return !this.isBoundAnywhere('api', this.moduleScope) && this.fileFact('snippet-jax-api') && !this.fileFact('snippet-framework') ? 'jax.api' : null;
    }
    if (KERAS_SNIPPET_NAMES.has(name) || Object.prototype.hasOwnProperty.call(KERAS_SNIPPET_MODELS, name)) return this.kerasAlias(name);
    if (!Object.prototype.hasOwnProperty.call(JAX_SNIPPET_ALIASES, name)) return null;
    if (this.jaxSnippet === null) {
      const unbound = (n: string): boolean => !this.isBoundAnywhere(n, this.moduleScope);
      this.jaxSnippet =
        unbound('np') &&
        Object.keys(JAX_SNIPPET_ALIASES).every((n) => n === 'np' || unbound(n)) &&
        // `grad(...)` called bare, or `jax.grad(...)` in a snippet that never writes `jnp.` (so its `np` is the only array module).
        (this.fileFact('snippet-grad-call') || (this.fileFact('snippet-jax-transform') && !this.fileFact('snippet-jnp'))) &&
        !this.fileFact('snippet-framework');
    }
    return this.jaxSnippet ? JAX_SNIPPET_ALIASES[name] : null;
  }

  /**
   * In a snippet that calls Keras's layer classes (`Dense`, `LSTM`, `Lambda`, `Model`...) without importing
   * them, uses the Keras backend or TensorFlow (`K.`, `keras.`, `tf.`) and never names PyTorch, JAX or
   * another framework, those unbound names are the Keras classes of the same name: the import lines a
   * forum post leaves out. The qualified name for such an unbound name, or null.
   */
  private kerasAlias(name: string): string | null {
    if (this.isBoundAnywhere(name, this.moduleScope)) return null;
    if (this.kerasSnippet === null) {
      this.kerasSnippet = this.fileFact('snippet-keras') && !this.fileFact('snippet-other-framework');
    }
    if (!this.kerasSnippet) return null;
    return KERAS_SNIPPET_MODELS[name] ?? `tensorflow.keras.layers.${name}`;
  }

  /**
   * The qualified name of an unbound name that a module-level `from M import *` of Keras binds: its layer classes
   * (`Dense`, `Lambda`, ...) from `keras.layers`, `Model`/`Sequential` from `keras.models` or `keras`; the functions of
   * `jax.numpy` the analysis knows (`JAX_NUMPY_STAR_NAMES`) when `from jax.numpy import *` is the last star import; null
   * otherwise (what another module exports is not known, so its names stay unbound).
   */
  starImported(name: string): string | null {
    for (const m of this.starModules) {
      if (m === 'tensorflow.keras.layers' && KERAS_SNIPPET_NAMES.has(name)) return `tensorflow.keras.layers.${name}`;
      if ((m === 'tensorflow.keras.models' || m === 'tensorflow.keras') && Object.prototype.hasOwnProperty.call(KERAS_SNIPPET_MODELS, name)) return KERAS_SNIPPET_MODELS[name]!;
    }
    // `from jax.numpy import *` as the file's last star import (a later one of another module could rebind the name).
    if (this.starModules[this.starModules.length - 1] === 'jax.numpy' && JAX_NUMPY_STAR_NAMES.has(name)) return `jax.numpy.${name}`;
    return null;
  }

  /**
   * An unbound class name that only one known library defines (`SmoothGradCAMpp`: torchcam; `LinfPGDAttack`:
   * advertorch; `IntegratedGradients`: Captum; UNIMPORTED_LIBRARY_CLASSES), in a file without star imports (which
   * could bind it to anything): the qualified name of that library's class, as if the snippet had imported it.
   * Callers ask only for names bound nowhere in the file.
   */
  libraryClassAlias(name: string): string | null {
    if (this.starModules.length > 0) return null;
    return UNIMPORTED_LIBRARY_CLASSES.get(name) ?? null;
  }

  /** An unbound identifier that is a conventional module alias (`torch`, `nn`, `F`, `np`, `tf`, `jnp`). */
  private isConventionalAlias(node: PyNode): boolean {
    const name = this.text(node);
    if (name === 'api') return this.snippetAlias(name) !== null;
    return Object.prototype.hasOwnProperty.call(CONVENTIONAL_ALIASES, name) && !this.isBoundAnywhere(name, this.useScope[node.id] ?? this.moduleScope);
  }

  /**
   * Look an argument up by keyword, else by position in the signature `qnameOrSig` (a key of
   * SIGNATURES, or an explicit parameter list). `**kwargs` or an earlier `*args` make it unknown.
   */
  argument(call: CallInfo, param: string, signature?: readonly string[] | string): ArgLookup {
    const kw = call.keywords.get(param);
    if (kw) return { kind: 'found', node: kw };
    const sig = typeof signature === 'string' ? SIGNATURES[signature] : signature ?? (call.qname ? SIGNATURES[call.qname] : undefined);
    const index = sig ? sig.indexOf(param) : -1;
    if (index >= 0 && index < call.positional.length) return { kind: 'found', node: call.positional[index] };
    if (call.hasKwargs) return { kind: 'unknown' };
    if (call.hasStarArgs && index >= 0) return { kind: 'unknown' };
    return { kind: 'absent' };
  }

  /** `True` → true, `False`/`None` → false, anything else (a variable) → null (unknown). */
  literalBool(node: PyNode): boolean | null {
    const n = unparen(node);
    if (n.type === 'true') return true;
    if (n.type === 'false' || n.type === 'none') return false;
    if (n.type === 'integer') return this.text(n) !== '0';
    return null;
  }

  /** Every binding of `name` visible from `scope` (Python's LEGB without builtins). */
  bindingsOf(name: string, scope: Scope): Binding[] {
    for (let s: Scope | null = scope; s; s = s.parent) {
      if (s.kind === 'class' && s !== scope) continue;
      const b = s.bindings.get(name);
      if (b && b.length > 0) return b;
    }
    return [];
  }

  /**
   * The bindings whose value may be the one read by identifier use `use`: in the same scope those
   * before it, after the last one that certainly ran (its statement's block encloses the use),
   * plus any in a loop enclosing both (back edge); in an outer scope, all of them.
   */
  reachingBindings(use: PyNode): Binding[] {
    const cached = this.reachCache.get(use.id);
    if (cached) return cached;
    const scope = this.useScope[use.id] ?? this.scopeAt(use);
    const name = this.text(use);
    let result: Binding[] = [];
    const own = scope.bindings.get(name);
    if (own && own.length === 1) {
      result = own; // the common case: one binding reaches every use (or none does, and it is the best guess)
    } else if (own && own.length > 0) {
      const loop = this.useLoop.get(use.id) ?? null;
      const before: Binding[] = [];
      const after: Binding[] = [];
      for (const b of own) {
        const containsUse = b.stmt.start <= use.start && use.end <= b.stmt.end && b.kind !== 'for' && b.kind !== 'with' && b.kind !== 'def' && b.kind !== 'param';
        if (b.at <= use.start && !containsUse) before.push(b);
        else if (loop && b.loop && sharesLoop(b.target, use, loop)) after.push(b);
      }
      let dom = -1;
      for (let i = before.length - 1; i >= 0; i--) {
        const blk = before[i].stmt.parent;
        if (before[i].kind !== 'augassign' && blk && blk.start <= use.start && use.end <= blk.end && this.sameFlowBlock(before[i], use)) {
          dom = i;
          break;
        }
      }
      // A binding that certainly runs earlier in the same loop iteration kills the back edge:
      // `for ...: ret = f(); use(ret); ret = g()` — g()'s value never reaches the use.
      const killsBackEdge = dom >= 0 && loop !== null && loop.start <= before[dom].stmt.start && before[dom].stmt.end <= loop.end;
      result = (dom >= 0 ? before.slice(dom) : before).concat(killsBackEdge ? [] : after);
      if (result.length === 0) result = own.slice(); // use before any binding (e.g. a global read in a function called later)
    } else {
      result = this.bindingsOf(name, scope.parent ?? scope);
      if (scope.kind === 'class') result = this.bindingsOf(name, scope);
    }
    this.reachCache.set(use.id, result);
    return result;
  }

  /** Innermost loop (for/while) around a node within its own scope. */
  loopOf(node: PyNode): PyNode | null {
    for (let n = node.parent; n; n = n.parent) {
      if (LOOP_TYPES.has(n.type)) return n;
      if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return null;
    }
    return null;
  }

  /**
   * The values an expression is bound to: a name's reaching bindings, or the file's plain `self.x = ...` stores (not
   * `+=`). A binding with no value in view is null; so is a parameter when `paramsUnknown` (its default is only one of
   * the values it may take). Other expressions have none.
   */
  valuesBoundTo(expr: PyNode, paramsUnknown: boolean): (PyNode | null)[] {
    const r = unparen(expr);
    if (r.type === 'identifier') {
      if (!this.isUse(r)) return [];
      return this.reachingBindings(r).map((b) => ((paramsUnknown && b.kind === 'param') || !b.value ? null : unparen(b.value)));
    }
    const obj = r.type === 'attribute' ? field(r, 'object') : null;
    const attr = r.type === 'attribute' ? field(r, 'attribute') : null;
    if (!obj || !attr || this.textOf(obj) !== 'self') return [];
    const name = this.textOf(attr);
    // Every `self.<name> = ...` of the file, in any class: the answer depends on each occurrence of the word (the
    // re-lint by groups must link the units that store it; a class whose base an edit broke is linked by nothing else).
    this.probeWord(name);
    return this.mutations.filter((mu) => mu.kind === 'attribute' && mu.name === 'self' && mu.attr === name && mu.stmt.type !== 'augmented_assignment').map((mu) => unparen(mu.value));
  }

  /** Outermost loop (for/while) around a node within its own scope: the loop a training script's passes run in. */
  outermostLoopOf(node: PyNode): PyNode | null {
    let loop = this.loopOf(node);
    for (let next = loop ? this.loopOf(loop) : null; next; next = this.loopOf(next)) loop = next;
    return loop;
  }

  /** Enclosing `with` statements (innermost first) within the node's function. */
  withContextsAt(node: PyNode): WithContext[] {
    const out: WithContext[] = [];
    for (let n = node.parent; n; n = n.parent) {
      if (n.type === 'function_definition' || n.type === 'lambda') break;
      if (n.type === 'with_statement') {
        const w = this.withs.find((x) => x.node === n);
        if (w && w.body.start <= node.start && node.end <= w.body.end) out.push(w);
      }
    }
    return out;
  }

  /** The innermost statement containing a node (the node itself when it is one). */
  statementOf(node: PyNode): PyNode {
    let n: PyNode = node;
    while (n.parent && n.parent.type !== 'block' && n.parent.type !== 'module' && n.parent.type !== 'ERROR') n = n.parent;
    return n;
  }

  /** Whether a call looks like a call of a model/network/user callable (not a known tensor op). */
  isOpaqueCallable(call: CallInfo): boolean {
    if (call.local) return true;
    if (call.qname !== null) return false;
    if (call.method !== null) return !TENSOR_METHODS.has(call.method);
    return true;
  }

  /**
   * Forward data flow from seeds (nodes whose value is the source, and/or bindings holding it).
   * `barrier(node)` stops the flow through a node (e.g. `.detach()`); sub-expressions inside a barrier
   * are not followed. Flows into helpers defined in this file through arguments, and out through returns.
   */
  flow(seeds: { nodes?: PyNode[]; bindings?: Binding[] }, opts: FlowOptions = {}): Flow {
    return new Flow(this, seeds.nodes ?? [], seeds.bindings ?? [], opts.barrier ?? (() => false));
  }

  /** The def-use graph flows run on (built on first use). */
  flowGraph(): FlowGraph {
    this.graph ??= new FlowGraph(this);
    return this.graph;
  }
  private graph: FlowGraph | null = null;

  /**
   * Backward data flow: visit every expression `expr` derives from, through bindings, mutations
   * (`t[i] = v`, `lst.append(v)`), helper returns and helper parameters (mapped to the call's
   * arguments). `visit` returns false to stop descending below a node. `path` is the chain of
   * expressions followed (for related locations).
   */
  traceBack(expr: PyNode, visit: (node: PyNode, path: readonly PyNode[]) => boolean | void): void {
    const seenBindings = new Set<Binding>();
    const seenNodes = new Set<number>();
    const mutationsByName = this.mutationsByName();
    const go = (node: PyNode, path: PyNode[], callStack: CallInfo[]): void => {
      if (seenNodes.has(node.id) && callStack.length === 0) return;
      seenNodes.add(node.id);
      if (visit(node, path) === false) return;
      if (node.type === 'lambda' || node.type === 'function_definition') return;
      if (node.type === 'identifier' && this.useScope[node.id] !== undefined) {
        for (const b of this.reachingBindings(node)) {
          if (seenBindings.has(b)) continue;
          seenBindings.add(b);
          const p = [...path, b.target];
          if (b.kind === 'param' && b.param) {
            const sites = callStack.length > 0 && callStack[callStack.length - 1].local === b.param.fn ? [callStack[callStack.length - 1]] : b.param.fn.callSites;
            for (const site of sites) {
              const arg = argumentForParam(site, b);
              if (arg) go(arg, p, callStack.slice(0, -1));
            }
            seenBindings.delete(b);
            continue;
          }
          const v = bindingValue(b);
          if (v) go(v, p, callStack);
          for (const m of mutationsByName.get(b.name) ?? []) {
            if (m.scope === b.scope && m.stmt.start >= b.at && m.stmt.start < node.start) go(m.value, [...p, m.target], callStack);
          }
        }
        return;
      }
      if (node.type === 'call') {
        const c = this.callByNode.get(node.id);
        if (c?.local && !callStack.includes(c) && callStack.length < 4) {
          for (const r of c.local.returns) go(r, [...path, r], [...callStack, c]);
        }
      }
      for (const child of node.children) if (child.named && child.field !== 'attribute' && child.field !== 'name') go(child, path, callStack);
    };
    go(expr, [expr], []);
  }

  /** Mutations indexed by base name. */
  mutationsByName(): Map<string, Mutation[]> {
    if (!this.mutIndex) {
      this.mutIndex = new Map();
      for (const m of this.mutations) {
        const list = this.mutIndex.get(m.name) ?? [];
        list.push(m);
        this.mutIndex.set(m.name, list);
      }
    }
    return this.mutIndex;
  }
  private mutIndex: Map<string, Mutation[]> | null = null;

  /**
   * Whether `reach`, a result of `reachingBindings`, is a scope's own list of every binding of a name (with
   * more than one): what a use in a function reads of a name bound in an enclosing scope. In a file that
   * rebinds the same module names many times (`import torch` at the top of every pasted snippet), each such
   * use reaches all of them; indexes keyed by this one list stay proportional to the uses instead of uses
   * times bindings.
   */
  isScopeList(reach: readonly Binding[]): boolean {
    return reach.length > 1 && reach[0].scope.bindings.get(reach[0].name) === reach;
  }

  /** Identifier uses of a binding (uses whose reaching bindings include it), in the order they were recorded. */
  usesOf(b: Binding): readonly PyNode[] {
    if (!this.usesIndex) {
      const own = new Map<Binding, PyNode[]>();
      const shared = new Map<readonly Binding[], PyNode[]>();
      const order = new Int32Array(this.tree.nodes.length);
      let i = 0;
      for (const id of this.useIds) {
        const node = this.tree.nodes[id];
        order[id] = i++;
        const reach = this.reachingBindings(node);
        if (this.isScopeList(reach)) pushTo(shared, reach, node);
        else for (const rb of reach) pushTo(own, rb, node);
      }
      this.usesIndex = { own, shared, order };
    }
    const { own, shared, order } = this.usesIndex;
    return mergeInOrder(own.get(b), shared.get(b.scope.bindings.get(b.name) ?? []), (n) => order[n.id]);
  }
  private usesIndex: { own: Map<Binding, PyNode[]>; shared: Map<readonly Binding[], PyNode[]>; order: Int32Array } | null = null;

  /** Whether an identifier node is a read of a variable. */
  isUse(node: PyNode): boolean {
    return this.useScope[node.id] !== undefined;
  }

  /** The local name under which a module (e.g. `torch`) is imported, or null. */
  moduleAlias(qname: string): string | null {
    this.probedModules.add(qname);
    for (const b of this.bindings) if (b.kind === 'import' && b.qname === qname && b.scope === this.moduleScope) return b.name;
    return null;
  }

  /** Whether any binding in the file uses this name (for picking fresh names in fixes). */
  isNameUsed(name: string): boolean {
    const word = name.replace(/[^\w]/g, '');
    this.probeWord(word);
    for (const s of this.scopes) if (s.bindings.has(name)) return true;
    return new RegExp(`\\b${word}\\b`).test(this.source);
  }

  /**
   * Words whose every occurrence in the file a rule's answer depended on (a fresh name for a fix, the
   * subscripts of a name anywhere in the file), beyond bindings and flow. The per-group re-lint
   * (`incremental.ts`) links the statements that contain them.
   */
  readonly probedWords = new Set<string>();

  /** The modules whose local alias was asked for (`moduleAlias`): the answer depends on every import of the file. */
  readonly probedModules = new Set<string>();

  /** The whole-file facts read so far (facts.ts). */
  readonly probedFacts = new Set<FileFact>();
  /** Bit i: `FACT_NAMES[i]` was tested; `factValues` bit i: it holds. */
  private factsTested = 0;
  private factValues = 0;
  private codeText: string | null = null;

  /**
   * Whether a whole-file fact holds (facts.ts); notes that it was read. Each fact is tested when first
   * asked (the same test as `factBits`, bit by bit): most files are asked about one or two of them, and
   * testing all of them at once cost about 3 % of linting PyTorch's sources.
   */
  fileFact(name: FileFact): boolean {
    this.probedFacts.add(name);
    const bit = 1 << FACT_NAMES.indexOf(name);
    if ((this.factsTested & bit) === 0) {
      this.factsTested |= bit;
      const linted = this.lintedLength < this.source.length;
      const code = (): string => (this.codeText ??= linted ? withoutCommentsAndStrings(this.tree).slice(0, this.lintedLength) : withoutCommentsAndStrings(this.tree));
      if (factHolds(name, linted ? this.source.slice(0, this.lintedLength) : this.source, code)) this.factValues |= bit;
    }
    return (this.factValues & bit) !== 0;
  }

  /** Note that an answer depends on every occurrence of `word` in the file (see `probedWords`). */
  probeWord(word: string): void {
    this.probedWords.add(word);
  }

  // ---------------------------------------------------------------- construction

  private newScope(kind: ScopeKind, node: PyNode, parent: Scope | null, fn: FunctionInfo | null): Scope {
    const s: Scope = { kind, node, parent, bindings: new Map(), fn };
    this.scopes.push(s);
    this.scopeByNode.set(node.id, s);
    return s;
  }

  private bind(scope: Scope, b: Omit<Binding, 'scope' | 'name'> & { name?: string }): Binding {
    const name = b.name ?? this.text(b.target);
    // Written out rather than `{ ...b, name, scope }` (same fields in the same order): the spread of these
    // differently shaped literals was most of the semantic model's binding time.
    const full: Binding =
      'param' in b
        ? { kind: b.kind, target: b.target, value: b.value, path: b.path, stmt: b.stmt, at: b.at, qname: b.qname, loop: b.loop, param: b.param, name, scope }
        : { kind: b.kind, target: b.target, value: b.value, path: b.path, stmt: b.stmt, at: b.at, qname: b.qname, loop: b.loop, name, scope };
    const list = scope.bindings.get(name);
    if (list) list.push(full);
    else scope.bindings.set(name, [full]);
    this.bindings.push(full);
    return full;
  }

  private isBoundAnywhere(name: string, scope: Scope): boolean {
    return this.bindingsOf(name, scope).length > 0;
  }

  private sameFlowBlock(b: Binding, use: PyNode): boolean {
    // A binding inside a loop body does not certainly run before a use after the loop.
    if (b.loop && !(b.loop.start <= use.start && use.end <= b.loop.end)) return false;
    return true;
  }

  private visitBlock(node: PyNode, scope: Scope, loop: PyNode | null): void {
    for (const c of node.children) this.visit(c, scope, loop);
  }

  private visit(node: PyNode, scope: Scope, loop: PyNode | null): void {
    switch (node.type) {
      case 'comment':
        return;
      case 'identifier':
        if (this.useScope[node.id] === undefined) this.useIds.push(node.id);
        this.useScope[node.id] = scope;
        // Only uses inside a loop are entered (a use without an entry is outside any loop): most of a
        // long file's names are not in a loop, and a map entry costs about 30 bytes.
        if (loop !== null) this.useLoop.set(node.id, loop);
        return;
      case 'attribute': {
        const obj = field(node, 'object');
        if (obj) this.visit(obj, scope, loop);
        return;
      }
      case 'keyword_argument': {
        const v = field(node, 'value');
        if (v) this.visit(v, scope, loop);
        return;
      }
      case 'import_statement':
      case 'future_import_statement':
        this.visitImport(node, scope, loop);
        return;
      case 'import_from_statement':
        this.visitImportFrom(node, scope, loop);
        return;
      case 'function_definition':
        this.visitFunction(node, scope, loop);
        return;
      case 'lambda':
        this.visitLambda(node, scope, loop);
        return;
      case 'class_definition': {
        const name = field(node, 'name');
        for (const c of node.children) if (c.field === 'superclasses') this.visit(c, scope, loop);
        const cls = this.newScope('class', node, scope, null);
        const body = field(node, 'body');
        if (body) this.visitBlock(body, cls, null);
        if (name) this.bind(scope, { kind: 'class', target: name, value: null, path: [], stmt: node, at: node.end, qname: null, loop });
        return;
      }
      case 'decorated_definition': {
        for (const c of node.children) if (c.type === 'decorator') this.visit(c, scope, loop);
        const def = field(node, 'definition');
        if (def) this.visit(def, scope, loop);
        return;
      }
      case 'assignment': {
        // `a = b = value` nests assignments on the right; bind every target to the final value.
        const targets: PyNode[] = [];
        let cur: PyNode | null = node;
        let value: PyNode | null = null;
        while (cur && cur.type === 'assignment') {
          const l = field(cur, 'left');
          if (l) targets.push(l);
          const t = field(cur, 'type');
          if (t) this.visit(t, scope, loop);
          const r: PyNode | null = field(cur, 'right');
          if (r && r.type === 'assignment') cur = r;
          else {
            value = r;
            cur = null;
          }
        }
        if (value) this.visit(value, scope, loop);
        const stmt = this.statementOf(node);
        for (const t of targets) if (value) this.bindTarget(t, value, [], 'assign', stmt, node.end, scope, loop);
        return;
      }
      case 'augmented_assignment': {
        const left = field(node, 'left');
        const right = field(node, 'right');
        if (right) this.visit(right, scope, loop);
        if (left) {
          this.visit(left, scope, loop); // the old value is read
          const stmt = this.statementOf(node);
          if (left.type === 'identifier') {
            this.bind(scope, { kind: 'augassign', target: left, value: node, path: [], stmt, at: node.end, qname: null, loop });
          } else this.mutation(left, node, stmt, scope, loop);
        }
        return;
      }
      case 'named_expression': {
        const name = field(node, 'name');
        const value = field(node, 'value');
        if (value) this.visit(value, scope, loop);
        if (name) this.bind(scope, { kind: 'walrus', target: name, value, path: [], stmt: this.statementOf(node), at: node.end, qname: null, loop });
        return;
      }
      case 'for_statement': {
        const left = field(node, 'left');
        const right = field(node, 'right');
        if (right) this.visit(right, scope, loop);
        if (left && right) this.bindTarget(left, right, [], 'for', node, right.end, scope, node);
        const body = field(node, 'body');
        if (body) this.visit(body, scope, node);
        const alt = field(node, 'alternative');
        if (alt) this.visit(alt, scope, loop);
        return;
      }
      case 'while_statement': {
        for (const c of node.children) this.visit(c, scope, c.field === 'body' ? node : loop);
        return;
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression': {
        // Python runs the `for` clauses before the element: bind the loop variables first, so that
        // reads in the element (and qualified names cached while visiting it) see them.
        for (const c of node.children) if (c.field !== 'body') this.visit(c, scope, loop);
        for (const c of node.children) if (c.field === 'body') this.visit(c, scope, loop);
        return;
      }
      case 'for_in_clause': {
        const left = field(node, 'left');
        for (const c of node.children) if (c !== left) this.visit(c, scope, loop);
        const right = field(node, 'right');
        if (left && right) this.bindTarget(left, right, [], 'for', node, right.end, scope, loop);
        return;
      }
      case 'with_statement': {
        const items: PyNode[] = [];
        const body = field(node, 'body');
        for (const clause of node.children) {
          if (clause.type !== 'with_clause') continue;
          for (const item of clause.children) {
            if (item.type !== 'with_item') continue;
            const v = field(item, 'value');
            if (!v) continue;
            if (v.type === 'as_pattern') {
              const expr = namedChildren(v)[0];
              const alias = field(v, 'alias');
              if (expr) {
                this.visit(expr, scope, loop);
                items.push(expr);
              }
              const target = alias ? namedChildren(alias)[0] ?? alias : null;
              if (target && expr) this.bindTarget(target, expr, [], 'with', node, item.end, scope, loop);
            } else {
              this.visit(v, scope, loop);
              items.push(v);
            }
          }
        }
        if (body) {
          this.withs.push({ node, items, body });
          this.visit(body, scope, loop);
        }
        return;
      }
      case 'except_clause': {
        for (const c of node.children) {
          if (c.type === 'as_pattern') {
            const expr = namedChildren(c)[0];
            if (expr) this.visit(expr, scope, loop);
            const alias = field(c, 'alias');
            const target = alias ? namedChildren(alias)[0] ?? alias : null;
            if (target && target.type === 'identifier') this.bind(scope, { kind: 'except', target, value: null, path: [], stmt: node, at: c.end, qname: null, loop });
          } else this.visit(c, scope, loop);
        }
        return;
      }
      case 'return_statement': {
        const v = namedChildren(node)[0];
        if (v) {
          this.visit(v, scope, loop);
          if (scope.fn) scope.fn.returns.push(v);
        }
        return;
      }
      case 'global_statement':
      case 'nonlocal_statement':
        return;
      case 'call': {
        this.visitBlock(node, scope, loop);
        const info = this.makeCall(node, scope);
        this.calls.push(info);
        this.callByNode.set(node.id, info);
        // lst.append(v) / lst.extend(v) / lst.insert(i, v): the list now holds v.
        if (info.method && info.receiver && (info.method === 'append' || info.method === 'extend' || info.method === 'insert' || info.method === 'add')) {
          const base = baseIdentifier(info.receiver);
          const v = info.method === 'insert' ? info.positional[1] : info.positional[0];
          if (base && v) {
            this.mutations.push({ name: this.text(base), base, target: node, value: v, stmt: this.statementOf(node), kind: 'append', attr: null, scope, loop });
          }
        }
        return;
      }
      default:
        this.visitBlock(node, scope, loop);
    }
  }

  private bindTarget(target: PyNode, value: PyNode, path: number[], kind: BindingKind, stmt: PyNode, at: number, scope: Scope, loop: PyNode | null): void {
    const t = unparen(target);
    if (t.type === 'identifier') {
      this.bind(scope, { kind, target: t, value, path, stmt, at, qname: null, loop });
    } else if (PATTERN_TYPES.has(t.type)) {
      namedChildren(t).forEach((c, i) => this.bindTarget(c, value, [...path, i], kind, stmt, at, scope, loop));
    } else if (t.type === 'list_splat_pattern' || t.type === 'list_splat') {
      const inner = namedChildren(t)[0];
      if (inner) this.bindTarget(inner, value, [...path, -1], kind, stmt, at, scope, loop);
    } else if (t.type === 'subscript' || t.type === 'attribute') {
      // A store into an object: the object is read, and it now holds `value`.
      this.visit(t, scope, loop);
      if (t.type === 'subscript') for (const s of fields(t, 'subscript')) this.visit(s, scope, loop);
      this.mutation(t, value, stmt, scope, loop);
    }
  }

  private mutation(target: PyNode, value: PyNode, stmt: PyNode, scope: Scope, loop: PyNode | null): void {
    const base = baseIdentifier(target);
    if (!base) return;
    const attrNode = target.type === 'attribute' ? field(target, 'attribute') : null;
    this.mutations.push({
      name: this.text(base),
      base,
      target,
      value,
      stmt,
      kind: target.type === 'attribute' ? 'attribute' : 'subscript',
      attr: attrNode ? this.text(attrNode) : null,
      scope,
      loop,
    });
  }

  private visitImport(node: PyNode, scope: Scope, loop: PyNode | null): void {
    for (const c of node.children) {
      if (c.field !== 'name') continue;
      if (c.type === 'dotted_name') {
        // `import torch.nn` binds `torch`.
        const first = namedChildren(c)[0];
        if (first) this.bind(scope, { kind: 'import', target: first, value: null, path: [], stmt: node, at: node.end, qname: this.text(first), loop });
      } else if (c.type === 'aliased_import') {
        const name = field(c, 'name');
        const alias = field(c, 'alias');
        if (name && alias) {
          this.bind(scope, { kind: 'import', target: alias, value: null, path: [], stmt: node, at: node.end, qname: canonicalName(this.text(name).replace(/\s+/g, '')), loop });
        }
      }
    }
  }

  private visitImportFrom(node: PyNode, scope: Scope, loop: PyNode | null): void {
    const mod = field(node, 'module_name');
    const modName = mod ? this.text(mod).replace(/\s+/g, '') : '';
    if (scope === this.moduleScope && node.children.some((c) => c.type === 'wildcard_import')) this.starModules.push(canonicalName(modName));
    for (const c of node.children) {
      if (c.field !== 'name') continue;
      if (c.type === 'dotted_name') {
        const last = namedChildren(c).at(-1);
        if (last) this.bind(scope, { kind: 'import', target: last, value: null, path: [], stmt: node, at: node.end, qname: canonicalName(`${modName}.${this.text(c)}`), loop });
      } else if (c.type === 'aliased_import') {
        const name = field(c, 'name');
        const alias = field(c, 'alias');
        if (name && alias) this.bind(scope, { kind: 'import', target: alias, value: null, path: [], stmt: node, at: node.end, qname: canonicalName(`${modName}.${this.text(name)}`), loop });
      }
    }
  }

  private visitFunction(node: PyNode, scope: Scope, loop: PyNode | null): void {
    const nameNode = field(node, 'name');
    const name = nameNode ? this.text(nameNode) : '<anonymous>';
    const decorated = node.parent?.type === 'decorated_definition' ? node.parent : null;
    const decorators: string[] = [];
    if (decorated) {
      for (const d of decorated.children) {
        if (d.type !== 'decorator') continue;
        const expr = namedChildren(d)[0];
        if (expr) decorators.push(this.qualifiedName(expr) ?? this.text(expr));
      }
    }
    const params = field(node, 'parameters');
    const outer = scope.kind === 'class' ? (scope.parent ?? this.moduleScope) : scope;
    const fn: FunctionInfo = { node, name, scope: undefined as unknown as Scope, params: [], returns: [], decorators, callSites: [], isMethod: scope.kind === 'class' };
    const fscope = this.newScope('function', node, outer, fn);
    fn.scope = fscope;
    this.functions.push(fn);
    this.functionByNode.set(node.id, fn);
    if (params) this.visitParams(params, scope, fscope, fn, loop);
    const rt = field(node, 'return_type');
    if (rt) this.visit(rt, scope, loop);
    if (nameNode) this.bind(scope, { kind: 'def', target: nameNode, value: null, path: [], stmt: decorated ?? node, at: (decorated ?? node).end, qname: null, loop });
    const body = field(node, 'body');
    if (body) this.visitBlock(body, fscope, null);
  }

  private visitLambda(node: PyNode, scope: Scope, loop: PyNode | null): void {
    const fn: FunctionInfo = { node, name: '<lambda>', scope: undefined as unknown as Scope, params: [], returns: [], decorators: [], callSites: [], isMethod: false };
    const lscope = this.newScope('lambda', node, scope, fn);
    fn.scope = lscope;
    this.functions.push(fn);
    this.functionByNode.set(node.id, fn);
    const params = field(node, 'parameters');
    if (params) this.visitParams(params, scope, lscope, fn, loop);
    const body = field(node, 'body');
    if (body) {
      this.visit(body, lscope, null);
      fn.returns.push(body);
    }
  }

  private visitParams(params: PyNode, outer: Scope, inner: Scope, fn: FunctionInfo, loop: PyNode | null): void {
    let index = 0;
    for (const p of params.children) {
      if (!p.named) continue;
      let nameNode: PyNode | null = null;
      let star: 'none' | 'args' | 'kwargs' = 'none';
      switch (p.type) {
        case 'identifier':
          nameNode = p;
          break;
        case 'default_parameter':
        case 'typed_default_parameter': {
          nameNode = field(p, 'name');
          const v = field(p, 'value');
          if (v) this.visit(v, outer, loop);
          break;
        }
        case 'typed_parameter':
          nameNode = namedChildren(p).find((c) => c.type === 'identifier' || c.type === 'list_splat_pattern' || c.type === 'dictionary_splat_pattern') ?? null;
          if (nameNode && nameNode.type !== 'identifier') {
            star = nameNode.type === 'list_splat_pattern' ? 'args' : 'kwargs';
            nameNode = namedChildren(nameNode)[0] ?? null;
          }
          break;
        case 'list_splat_pattern':
          star = 'args';
          nameNode = namedChildren(p)[0] ?? null;
          break;
        case 'dictionary_splat_pattern':
          star = 'kwargs';
          nameNode = namedChildren(p)[0] ?? null;
          break;
        default:
          continue;
      }
      if (!nameNode || nameNode.type !== 'identifier') continue;
      const b = this.bind(inner, { kind: 'param', target: nameNode, value: null, path: [], stmt: fn.node, at: fn.node.start, qname: null, loop: null, param: { fn, index, star } });
      fn.params.push(b);
      index++;
    }
  }

  private makeCall(node: PyNode, scope: Scope): CallInfo {
    const fnNode = field(node, 'function');
    const args = field(node, 'arguments');
    let positional: PyNode[] = [];
    let keywords: Map<string, PyNode> | null = null;
    let hasStarArgs = false;
    let hasKwargs = false;
    if (args) {
      for (const a of args.children) {
        if (!a.named || a.type === 'comment') continue;
        if (a.type === 'keyword_argument') {
          const n = field(a, 'name');
          const v = field(a, 'value');
          if (n && v) (keywords ??= new Map()).set(this.text(n), v);
        } else if (a.type === 'list_splat') hasStarArgs = true;
        else if (a.type === 'dictionary_splat') hasKwargs = true;
        else if (!hasStarArgs) positional.push(a);
      }
    }
    let method: string | null = null;
    let receiver: PyNode | null = null;
    let qname: string | null = null;
    let calleeCall: CallInfo | null = null;
    if (fnNode && unparen(fnNode).type === 'call') {
      // `jax.grad(f)(x)`: the inner call was visited (and recorded) before this one.
      calleeCall = this.callByNode.get(unparen(fnNode).id) ?? null;
    } else if (fnNode) {
      qname = this.qualifiedName(fnNode);
      if (qname === null && fnNode.type === 'attribute') {
        const attr = field(fnNode, 'attribute');
        method = attr ? this.text(attr) : null;
        receiver = field(fnNode, 'object');
      }
      if (qname !== null && fnNode.type === 'identifier') {
        // Unbound names resolve to themselves (builtins); a name bound to a local function is local.
        const reach = this.reachingBindings(fnNode);
        if (reach.length > 0 && reach.some((b) => b.kind !== 'import')) qname = null;
      }
    }
    // Exact-size or shared: one CallInfo per call of the file, and most calls have no keyword and one or two
    // positional arguments (an empty Map costs about 0.5 KB, `push` leaves 16 slots).
    positional = positional.length === 0 ? NO_ARGS : positional.slice();
    return { node, qname, calleeCall, method, receiver, local: null, positional, keywords: keywords ?? NO_KEYWORDS, hasStarArgs, hasKwargs, scope };
  }

  /** The class_definition node a name refers to when it is a class defined in this file. */
  localClassOf(node: PyNode | null): PyNode | null {
    if (!node || node.type !== 'identifier' || !this.isUse(node)) return null;
    const reach = this.reachingBindings(node);
    if (reach.length === 0 || !reach.every((b) => b.kind === 'class')) return null;
    const stmt = reach[reach.length - 1].stmt;
    return stmt.type === 'class_definition' ? stmt : null;
  }

  /**
   * The constructor call under a chain of `nn.Module` methods that return the module itself (`Net().cuda()`,
   * `Net(cfg).to(device).eval()`), with the names of those methods; the call itself when there is no chain.
   */
  private moduleMadeBy(value: PyNode): { ctor: PyNode; methods: string[] } | null {
    const methods: string[] = [];
    let v = value;
    for (;;) {
      const fn = field(v, 'function');
      if (!fn) return null;
      if (fn.type !== 'attribute') return { ctor: v, methods };
      const name = field(fn, 'attribute');
      const obj = field(fn, 'object');
      if (!name || !obj || !MODULE_SELF_METHODS.has(this.text(name))) return { ctor: v, methods };
      const inner = unparen(obj);
      if (inner.type !== 'call') return { ctor: v, methods };
      methods.push(this.text(name));
      v = inner;
    }
  }

  /**
   * The class whose body defines method `fn` (also when it is decorated: `@torch.no_grad()`, `@staticmethod`); null for
   * a function that is not a method.
   */
  classOfMethod(fn: FunctionInfo): PyNode | null {
    if (!fn.isMethod) return null;
    let p = fn.node.parent;
    if (p?.type === 'decorated_definition') p = p.parent;
    const cls = p?.type === 'block' ? p.parent : null;
    return cls?.type === 'class_definition' ? cls : null;
  }

  /**
   * The methods a class body defines, by name (the last definition of a name wins, as in Python). Properties are left
   * out: `self.name(...)` of a property calls what the property returns, not the property's function.
   */
  methodsOf(cls: PyNode): ReadonlyMap<string, FunctionInfo> {
    if (!this.methodIndex) {
      this.methodIndex = new Map();
      for (const f of this.functions) {
        const c = this.classOfMethod(f);
        if (!c || f.decorators.some((d) => d === 'property' || d.endsWith('.setter') || d.endsWith('.getter') || d.endsWith('cached_property'))) continue;
        let byName = this.methodIndex.get(c);
        if (!byName) this.methodIndex.set(c, (byName = new Map()));
        byName.set(f.name, f);
      }
    }
    return this.methodIndex.get(cls) ?? NO_METHODS;
  }
  private methodIndex: Map<PyNode, Map<string, FunctionInfo>> | null = null;

  /**
   * Method `name` of a class of this file, or of the first of its bases (depth first, as written) that is a class of
   * this file and defines it; null when none does (a library base's method is not a function of the file).
   */
  localMethod(cls: PyNode, name: string, seen = new Set<PyNode>()): FunctionInfo | null {
    if (seen.has(cls)) return null;
    seen.add(cls);
    const own = this.methodsOf(cls).get(name);
    if (own) return own;
    const bases = field(cls, 'superclasses');
    for (const b of bases ? bases.children : []) {
      const base = b.named && b.type === 'identifier' ? this.localClassOf(b) : null;
      const m = base ? this.localMethod(base, name, seen) : null;
      if (m) return m;
    }
    return null;
  }

  /**
   * What calling the module that `value` makes runs: the `forward` (or `__call__`) of the class of this file whose
   * constructor is under `value`'s chain of self-returning module methods (`Net()`, `Net(cfg).to(device)`). Null when
   * the class is not of this file, or defines (itself or through a base of this file) one of the chained methods,
   * which may then return something else.
   */
  private forwardOfMade(value: PyNode): FunctionInfo | null {
    const made = this.moduleMadeBy(value);
    const cls = made ? this.localClassOf(field(made.ctor, 'function')) : null;
    if (!cls || made!.methods.some((name) => this.localMethod(cls, name))) return null;
    return this.localMethod(cls, 'forward') ?? this.localMethod(cls, '__call__');
  }

  /** Resolve calls of functions defined in this file (by name, or `self.name` for methods). */
  private linkCalls(): void {
    for (const c of this.calls) {
      const fnNode = field(c.node, 'function');
      if (!fnNode) continue;
      let target: FunctionInfo | null = null;
      if (fnNode.type === 'identifier') {
        const reach = this.reachingBindings(fnNode);
        const defs = reach.filter((b) => b.kind === 'def');
        if (defs.length > 0 && defs.length === reach.length) target = this.functionByNode.get((defs[defs.length - 1].stmt.type === 'decorated_definition' ? field(defs[defs.length - 1].stmt, 'definition') : defs[defs.length - 1].stmt)!.id) ?? null;
        else if (reach.length === 1 && reach[0].kind === 'assign' && reach[0].value?.type === 'lambda' && reach[0].path.length === 0) target = this.functionByNode.get(reach[0].value.id) ?? null;
        else if (reach.length > 0 && reach.every((b) => b.kind === 'assign' && b.path.length === 0 && b.value?.type === 'call')) {
          // `net = Net(); net(x)` with `class Net` in this file: the call runs Net.forward (or __call__). Also
          // `net = Net().cuda()`, `.to(device)`, `.eval()`: a module's methods that return the module itself.
          target = this.forwardOfMade(reach[0].value!);
        }
      } else if (fnNode.type === 'call') {
        // `Net()(x)`, `Net(cfg).to(device)(x)`: an instance of a class of this file made and called at once.
        target = this.forwardOfMade(fnNode);
      } else if (fnNode.type === 'attribute') {
        const obj = field(fnNode, 'object');
        const attr = field(fnNode, 'attribute');
        if (obj && attr && this.text(obj) === 'self') {
          const caller = this.enclosingFunction(c.node);
          const name = this.text(attr);
          const cls = caller ? this.classOfMethod(caller) : null;
          if (cls) target = this.localMethod(cls, name);
        } else if (obj && attr && obj.type === 'identifier') {
          // `Explainer.helper(x)`: a `@staticmethod` of a class of this file called through the class takes its
          // arguments as written (a classmethod's or an instance method's would be shifted by one).
          const cls = this.localClassOf(obj);
          const name = this.text(attr);
          const fn = cls ? this.functions.find((f) => f.isMethod && f.name === name && f.node.parent?.type === 'decorated_definition' && f.node.parent.parent?.parent === cls) : undefined;
          if (fn?.decorators.includes('staticmethod')) target = fn;
        }
      }
      if (target) {
        c.local = target;
        c.qname = null;
        target.callSites.push(c);
      }
    }
  }
}

/** Method names of tensors/arrays (a call of one of these is not a model call). */
export const TENSOR_METHODS = new Set([
  'sum', 'mean', 'pow', 'exp', 'log', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'abs', 'sqrt', 'square', 'norm',
  'reshape', 'view', 'view_as', 'flatten', 'squeeze', 'unsqueeze', 'expand', 'expand_as', 'repeat', 'permute',
  'transpose', 't', 'contiguous', 'clone', 'detach', 'detach_', 'to', 'cuda', 'cpu', 'float', 'double', 'half',
  'type', 'numpy', 'item', 'tolist', 'requires_grad_', 'backward', 'retain_grad', 'zero_', 'fill_', 'add', 'sub',
  'mul', 'div', 'matmul', 'mm', 'bmm', 'dot', 'max', 'min', 'argmax', 'argmin', 'std', 'var', 'prod', 'cumsum',
  'split', 'chunk', 'narrow', 'select', 'index_select', 'gather', 'masked_fill', 'clamp', 'clamp_', 'neg',
  'reciprocal', 'softmax', 'log_softmax', 'size', 'dim', 'numel', 'append', 'extend', 'insert', 'pop', 'items',
  'keys', 'values', 'get', 'update', 'format', 'join', 'copy', 'astype', 'any', 'all', 'parameters',
  'named_parameters', 'zero_grad', 'step', 'train', 'eval', 'state_dict', 'load_state_dict', 'fit', 'transform',
  'fit_transform', 'inverse_transform', 'predict', 'gradient', 'jacobian', 'batch_jacobian', 'watch', 'add_',
  'sub_', 'mul_', 'div_', 'copy_', 'new_ones', 'new_zeros', 'new_tensor', 'ones_like', 'zeros_like', 'where',
]);

/**
 * The qualified name at the root of a call-of-call chain: `nn.MSELoss()(a, b)` → `torch.nn.MSELoss`,
 * `jax.grad(f)(x)` → `jax.grad`; for an ordinary call its own `qname`. It names what *made* the
 * callable, so use it to ask "a call of a layer / of a transformed function?", never to match the call
 * itself as if it were the inner function.
 */
export function rootCalleeName(call: CallInfo): string | null {
  let c = call;
  for (let i = 0; c.calleeCall && i < 16; i++) c = c.calleeCall;
  return c.calleeCall ? null : c.qname;
}

/** `a.b[c].d` → `a`. */
export function baseIdentifier(node: PyNode): PyNode | null {
  let n: PyNode | null = unparen(node);
  while (n) {
    if (n.type === 'identifier') return n;
    if (n.type === 'attribute') n = field(n, 'object');
    else if (n.type === 'subscript') n = field(n, 'value');
    else if (n.type === 'call') {
      const f = field(n, 'function');
      n = f && f.type === 'attribute' ? field(f, 'object') : null;
    } else return null;
  }
  return null;
}

/** The value expression of a binding, narrowed through tuple unpacking when the right side is a literal tuple. */
export function bindingValue(b: Binding): PyNode | null {
  let v = b.value;
  if (!v) return null;
  for (const i of b.path) {
    const u = unparen(v);
    if ((u.type === 'tuple' || u.type === 'list' || u.type === 'expression_list') && i >= 0) {
      const items = namedChildren(u);
      if (i < items.length && items.every((x) => x.type !== 'list_splat')) {
        v = items[i];
        continue;
      }
    }
    break;
  }
  return v;
}

/** The argument expression a call passes for a parameter binding (by position or keyword). */
export function argumentForParam(call: CallInfo, param: Binding): PyNode | null {
  if (!param.param || param.param.star !== 'none') return null;
  const kw = call.keywords.get(param.name);
  if (kw) return kw;
  let index = param.param.index;
  // Methods are called bound (`self.f(x)`, `net(x)` → forward): the first parameter is `self`.
  if (param.param.fn.isMethod && !param.param.fn.decorators.includes('staticmethod')) index -= 1;
  return index >= 0 && index < call.positional.length ? call.positional[index] : null;
}

/** `for i, v in enumerate(xs)`: `i` is an int counter and carries nothing of `xs`. */
function isEnumerateIndex(m: SemanticModel, b: Binding): boolean {
  if (b.kind !== 'for' || b.path.length === 0 || b.path[0] !== 0 || !b.value) return false;
  const v = unparen(b.value);
  return v.type === 'call' && m.call(v)?.qname === 'enumerate';
}

/**
 * `values, idx = torch.topk(x, k)` (also `sort`, `kthvalue`, `max(x, dim)`, as functions or methods): `idx` holds integer
 * positions, which carry no graph of `x` (the neighbour list a force field builds from distances).
 */
function isIndicesOutput(m: SemanticModel, b: Binding): boolean {
  if (b.kind !== 'assign' || b.path.length !== 1 || b.path[0] !== 1 || !b.value) return false;
  const v = unparen(b.value);
  const c = v.type === 'call' ? m.call(v) : undefined;
  if (!c) return false;
  const name = c.method ?? (c.qname?.startsWith('torch.') ? c.qname.slice(6) : null);
  if (name === null) return false;
  if (VALUES_AND_INDICES.has(name)) return true;
  // `max`/`min`/`median`/`mode` give (values, indices) only with a dimension.
  const withDim = c.keywords.has('dim') || c.positional.length >= (c.method ? 1 : 2);
  return REDUCTIONS_WITH_INDICES.has(name) && withDim;
}


function sharesLoop(a: PyNode, b: PyNode, loop: PyNode): boolean {
  return loop.start <= a.start && a.end <= loop.end && loop.start <= b.start && b.end <= loop.end;
}

export interface FlowOptions {
  barrier?: (node: PyNode) => boolean;
}

/** A source of value in the def-use graph: a binding, or a helper function's return value. */
export type FlowNode = Binding | FunctionInfo;

interface FlowEdge {
  to: FlowNode;
  /** The identifier use (or local call) inside `root` through which the value enters. */
  via: PyNode;
  /** The expression whose value becomes `to` (a binding's value, a call argument, a return). */
  root: PyNode;
  /** Order of creation (edges of a node and of its scope list are visited in this order). */
  seq: number;
}

/**
 * The static def-use graph of a file, built once per model (lazily, on the first flow): for every
 * expression whose value is stored (binding values, arguments passed to helper parameters, values
 * stored by mutations, returned values) the uses inside it, as edges from the used binding to the
 * stored one. Flows are then breadth-first searches over it; barriers are checked on the path from
 * the use to the expression root.
 */
export class FlowGraph {
  /** Edges out of one flow node (`edgesFrom` adds those out of a whole scope list). */
  private readonly out = new Map<FlowNode, FlowEdge[]>();
  /**
   * Edges out of every binding of a scope list (`SemanticModel.isScopeList`): a use in a function of a module
   * name bound N times is one edge here, not N.
   */
  private readonly shared = new Map<readonly Binding[], FlowEdge[]>();
  private seq = 0;
  /** Expression root node id → the flow nodes its value is stored into. */
  readonly roots = new Map<number, FlowNode[]>();

  constructor(private readonly model: SemanticModel) {
    const m = model;
    for (const b of m.bindings) {
      if (b.kind === 'param' && b.param) {
        for (const site of b.param.fn.callSites) {
          const arg = argumentForParam(site, b);
          if (arg) this.addExpr(arg, b);
        }
      } else if (!isEnumerateIndex(m, b) && !isIndicesOutput(m, b)) {
        const v = bindingValue(b);
        if (v) this.addExpr(v, b);
      }
    }
    for (const mu of m.mutations) {
      if (mu.kind === 'attribute') continue; // `x.requires_grad = True` does not change x's value
      if (!m.isUse(mu.base)) continue;
      for (const b of m.reachingBindings(mu.base)) this.addExpr(mu.value, b);
    }
    for (const f of m.functions) for (const r of f.returns) this.addExpr(r, f);
  }

  private addExpr(root: PyNode, target: FlowNode): void {
    const list = this.roots.get(root.id);
    if (list) {
      if (list.includes(target)) return;
      list.push(target);
    } else this.roots.set(root.id, [target]);
    const m = this.model;
    const stack: PyNode[] = [root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === 'lambda' || n.type === 'function_definition') continue;
      // A comprehension's value comes from its element; the iterable flows in through the loop variable.
      if (n.type === 'for_in_clause' || n.type === 'if_clause') continue;
      if (n.type === 'identifier') {
        if (m.isUse(n)) {
          const reach = m.reachingBindings(n);
          if (m.isScopeList(reach)) pushTo(this.shared, reach, { to: target, via: n, root, seq: this.seq++ });
          else for (const b of reach) pushTo(this.out, b, { to: target, via: n, root, seq: this.seq++ });
        }
        continue;
      }
      if (n.type === 'call') {
        const c = m.call(n);
        if (c?.local) {
          // A helper's result carries a value only through its returns (arguments flow in via parameters).
          pushTo(this.out, c.local, { to: target, via: n, root, seq: this.seq++ });
          continue;
        }
      }
      for (const c of n.children) if (c.named && c.field !== 'attribute' && c.field !== 'name') stack.push(c);
    }
  }

  /** Every edge out of a flow node, in the order they were added. */
  edgesFrom(from: FlowNode): readonly FlowEdge[] {
    return mergeInOrder(this.out.get(from), 'kind' in from ? this.shared.get(from.scope.bindings.get(from.name) ?? []) : undefined, (e) => e.seq);
  }
}

/**
 * The result of a forward flow: which bindings (and helper returns) carry the seeded value.
 * `reaches(expr)` asks whether an expression's value may carry it; `cause` gives the chain.
 */
export class Flow {
  readonly tainted = new Set<Binding>();
  /** Helper functions whose return value carries the seed. */
  readonly taintedReturns = new Set<FunctionInfo>();
  private readonly seedNodes: Set<number>;
  /** For each tainted binding, the node that tainted it (a seed, a use, or a call). */
  readonly cause = new Map<Binding, PyNode>();

  constructor(
    private readonly model: SemanticModel,
    private readonly seeds: PyNode[],
    private readonly seedBindings: Binding[],
    private readonly barrier: (node: PyNode) => boolean,
  ) {
    this.seedNodes = new Set(seeds.map((n) => n.id));
    this.run();
  }

  /** Whether a node is one of the seed nodes. */
  isSeed(node: PyNode): boolean {
    return this.seedNodes.has(node.id);
  }

  /** Whether the value of `expr` may carry the seed; returns the node through which it does, or null. */
  reaches(expr: PyNode): PyNode | null {
    const stack: PyNode[] = [expr];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (this.seedNodes.has(n.id)) return n;
      if (this.barrier(n)) continue;
      if (n.type === 'lambda' || n.type === 'function_definition') continue;
      if (n.type === 'for_in_clause' || n.type === 'if_clause') continue;
      if (n.type === 'identifier') {
        if (this.model.isUse(n) && this.model.reachingBindings(n).some((b) => this.tainted.has(b))) return n;
        continue;
      }
      if (n.type === 'call') {
        const c = this.model.call(n);
        if (c?.local) {
          if (this.taintedReturns.has(c.local)) return n;
          continue;
        }
      }
      for (const c of n.children) if (c.named && c.field !== 'attribute' && c.field !== 'name') stack.push(c);
    }
    return null;
  }

  /**
   * Calls whose arguments or receiver may see the value: calls around the seeds and around every use
   * of a tainted binding or call of a tainted helper (up to the statement). Sinks are searched here.
   */
  touchedCalls(): CallInfo[] {
    const m = this.model;
    const out = new Set<CallInfo>();
    const around = (n: PyNode): void => {
      for (let p: PyNode | null = n; p; p = p.parent) {
        if (p.type === 'call') {
          const c = m.call(p);
          if (c) out.add(c);
        }
        if (p.type === 'block' || p.type === 'module' || p.type === 'function_definition' || p.type === 'lambda') break;
      }
    };
    for (const s of this.seeds) around(s);
    for (const b of this.tainted) for (const u of m.usesOf(b)) around(u);
    for (const f of this.taintedReturns) for (const site of f.callSites) around(site.node);
    return [...out].sort((a, b) => a.node.start - b.node.start);
  }

  /** No barrier between `from` and `root` (both inclusive). */
  private open(from: PyNode, root: PyNode): boolean {
    for (let n: PyNode | null = from; n; n = n.parent) {
      if (this.barrier(n)) return false;
      if (n === root) return true;
    }
    return true;
  }

  private run(): void {
    const g = this.model.flowGraph();
    const queue: FlowNode[] = [];
    const taint = (t: FlowNode, via: PyNode): void => {
      if ('kind' in t) {
        if (this.tainted.has(t)) return;
        this.tainted.add(t);
        this.cause.set(t, via);
      } else {
        if (this.taintedReturns.has(t)) return;
        this.taintedReturns.add(t);
      }
      queue.push(t);
    };
    for (const b of this.seedBindings) taint(b, b.target);
    for (const s of this.seeds) {
      for (let n: PyNode | null = s; n; n = n.parent) {
        const targets = g.roots.get(n.id);
        if (targets && this.open(s, n)) for (const t of targets) taint(t, s);
        if (n.type === 'block' || n.type === 'module') break;
      }
    }
    while (queue.length > 0) {
      const from = queue.shift()!;
      for (const e of g.edgesFrom(from)) {
        if (this.open(e.via, e.root)) taint(e.to, e.via);
      }
    }
  }
}

/** Append `v` to the list `map` keeps under `k`. */
function pushTo<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

/**
 * Two lists, each in increasing `rank`, as one in that order (either may be missing): what one flow node keeps
 * and what the scope list of all its name's bindings keeps (`SemanticModel.isScopeList`).
 */
function mergeInOrder<T>(a: readonly T[] | undefined, b: readonly T[] | undefined, rank: (x: T) => number): readonly T[] {
  if (!b) return a ?? [];
  if (!a) return b;
  const out: T[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && rank(b[j]) < rank(x)) out.push(b[j++]);
    out.push(x);
  }
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** The file's text with comments and string literals blanked out (offsets kept). */
export function withoutCommentsAndStrings(tree: PyTree): string {
  const src = tree.source;
  const parts: string[] = [];
  let at = 0;
  for (const n of tree.nodes) {
    if (!n || (n.type !== 'comment' && n.type !== 'string') || n.start < at) continue;
    parts.push(src.slice(at, n.start), ' '.repeat(n.end - n.start));
    at = n.end;
  }
  parts.push(src.slice(at));
  return parts.join('');
}
