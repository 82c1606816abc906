/**
 * JAX knowledge shared by AGL015 and AGL016: which calls are function transforms, how a function
 * argument resolves to a definition in this file, what an expression visibly is (an array with a
 * known number of dimensions, a scalar reduction, a function). JAX is not run anywhere in this
 * project; the facts come from its documentation (https://docs.jax.dev/en/latest/_autosummary/jax.grad.html,
 * https://docs.jax.dev/en/latest/_autosummary/jax.vmap.html).
 */
import { rootCalleeName, type Binding, type CallInfo, type FunctionInfo, type SemanticModel } from './semantic';
import { contains, field, namedChildren, unparen, walk, type PyNode } from './tree';

/** Transforms that take a function and return a function. */
export const JAX_TRANSFORMS = new Set([
  'jax.vmap', 'jax.pmap', 'jax.grad', 'jax.value_and_grad', 'jax.jacfwd', 'jax.jacrev', 'jax.jacobian', 'jax.hessian', 'jax.jit',
  'jax.checkpoint', 'jax.remat',
]);

/** An argument of a gradient consumer: its position (null: keyword only) and keyword. */
export interface ConsumerArg { position: number | null; keyword: string | null }

/**
 * A call that takes a JAX gradient tree (an array pytree, never a function). One table for every rule that asks
 * where a gradient goes (AGL016: a function given where a tree is taken; AGL023: what a gradient is applied to;
 * AGL110: a part of a gradient applied to all of the parameters).
 */
export interface GradientConsumer {
  /**
   * `descent`: updates the parameter tree at `params` with the gradient trees after it (`optax.apply_updates(P, g)`,
   * `tree_map(lambda p, g: p - lr * g, P, g)`); `transform`: optax's `GradientTransformation.update(updates, state,
   * params)`; `apply`: Flax's `TrainState.apply_gradients(grads=...)`, applied to the receiver's `.params`;
   * `inspect`: reads the tree (`tree_leaves`, `optax.global_norm`).
   */
  kind: 'descent' | 'transform' | 'apply' | 'inspect';
  /** Positional arguments that are array trees: from `first`; `rest`: every later one too. `first` -1: every one. */
  trees: { first: number; rest: boolean };
  /** The gradient tree it transforms or applies (for `transform` and `apply`). */
  grads: ConsumerArg | null;
  /** The parameter tree: updated (descent, position only) or given along (optax update). */
  params: ConsumerArg | null;
  /** The optimizer state (optax update). */
  state: ConsumerArg | null;
}

const descent = (params: number): GradientConsumer => ({ kind: 'descent', trees: { first: params === 0 ? -1 : params, rest: true }, grads: null, params: { position: params, keyword: null }, state: null });
const inspect: GradientConsumer = { kind: 'inspect', trees: { first: 0, rest: false }, grads: null, params: null, state: null };

/** Gradient consumers called as functions, by qualified name. */
export const GRADIENT_CONSUMER_FUNCTIONS: ReadonlyMap<string, GradientConsumer> = new Map([
  ['optax.apply_updates', descent(0)], ['jax.tree_util.tree_map', descent(1)], ['jax.tree_map', descent(1)], ['jax.tree.map', descent(1)],
  ['jax.tree_util.tree_leaves', inspect], ['jax.tree.leaves', inspect], ['optax.global_norm', inspect], ['optax.clip_by_global_norm', inspect],
]);

/** Gradient consumers called as methods, by method name. */
export const GRADIENT_CONSUMER_METHODS: ReadonlyMap<string, GradientConsumer> = new Map([
  ['update', {
    kind: 'transform', trees: { first: 0, rest: false }, grads: { position: 0, keyword: 'updates' },
    params: { position: 2, keyword: 'params' }, state: { position: 1, keyword: 'state' },
  }],
  ['apply_gradients', { kind: 'apply', trees: { first: -1, rest: true }, grads: { position: null, keyword: 'grads' }, params: null, state: null }],
]);

/** The gradient consumer a call is, if any: a function by its qualified name, else a method by its name. */
export function gradientConsumer(c: CallInfo): GradientConsumer | undefined {
  return (c.qname ? GRADIENT_CONSUMER_FUNCTIONS.get(c.qname) : undefined) ?? (c.method ? GRADIENT_CONSUMER_METHODS.get(c.method) : undefined);
}

/** The argument `a` of a call (`keyword` first, then `position`), or undefined. */
export function consumerArg(c: CallInfo, a: ConsumerArg | null): PyNode | undefined {
  if (!a) return undefined;
  return (a.keyword ? c.keywords.get(a.keyword) : undefined) ?? (a.position !== null ? c.positional[a.position] : undefined);
}

/** The parameter position of a plain descent call (the gradient trees follow it), or undefined. */
export function descentParams(c: CallInfo): number | undefined {
  const g = c.qname ? GRADIENT_CONSUMER_FUNCTIONS.get(c.qname) : undefined;
  return g && g.kind === 'descent' ? g.params!.position! : undefined;
}

/** Library prefixes whose calls return arrays (never functions). */
const ARRAY_LIBRARIES = ['jax.numpy.', 'numpy.', 'jax.nn.', 'jax.lax.', 'jax.random.', 'jax.scipy.'];

/** `jax.numpy`/`numpy` functions whose result is always at least one-dimensional. */
const ALWAYS_ND = new Set(['stack', 'concatenate', 'hstack', 'vstack', 'column_stack', 'dstack', 'outer', 'linspace', 'arange', 'meshgrid', 'diag']);

/** Elementwise functions: shape in = shape out. */
export const ELEMENTWISE = new Set([
  'sin', 'cos', 'tan', 'tanh', 'sinh', 'cosh', 'arcsin', 'arccos', 'arctan', 'exp', 'expm1', 'log', 'log1p', 'sqrt',
  'abs', 'square', 'negative', 'sign', 'relu', 'sigmoid', 'softplus', 'silu', 'swish', 'gelu', 'elu', 'celu', 'selu',
  'leaky_relu', 'erf', 'cbrt', 'reciprocal', 'exp2', 'log2', 'log10',
]);

/** Array methods whose result is an array (or scalar), never a function. */
const ARRAY_METHODS = new Set([
  'sum', 'mean', 'max', 'min', 'prod', 'std', 'var', 'reshape', 'squeeze', 'ravel', 'flatten', 'transpose', 'dot',
  'astype', 'clip', 'cumsum', 'argmax', 'argmin', 'round', 'conj', 'real', 'imag', 'item', 'T', 'at', 'set', 'add',
]);

/**
 * Whether the callee of a call is itself a call (`jax.grad(f)(x)`): `c.calleeCall` is set and `c.qname`
 * is null (the inner call, `jax.grad(f)`, carries the name). Kept for readability of transform checks.
 */
export function isCallOfCall(c: CallInfo): boolean {
  return c.calleeCall !== null;
}

export function isArrayLibraryName(q: string | null): boolean {
  return q !== null && ARRAY_LIBRARIES.some((p) => q.startsWith(p)) && !RETURNS_FUNCTION.has(q.slice(q.lastIndexOf('.') + 1));
}

/** Functions of the array libraries that return functions, not arrays: `jnp.vectorize(f)`, `np.frompyfunc(f, 1, 1)`. */
const RETURNS_FUNCTION = new Set(['vectorize', 'frompyfunc']);

/** The last component of a `jax.numpy.sin` / `numpy.sin` / `jax.nn.relu` name, or null for other names. */
function arrayLibFunction(c: CallInfo): string | null {
  const q = c.qname;
  if (!isArrayLibraryName(q) || isCallOfCall(c)) return null;
  return q!.slice(q!.lastIndexOf('.') + 1);
}

/** The function a callable expression names: a lambda, a `def` of this file, or `f = lambda ...`. */
export function resolveFunction(m: SemanticModel, expr: PyNode): FunctionInfo | null {
  const n = unparen(expr);
  if (n.type === 'lambda') return m.functionOf(n) ?? null;
  if (n.type !== 'identifier' || !m.isUse(n)) return null;
  const reach = m.reachingBindings(n);
  if (reach.length === 0) return null;
  if (reach.every((b) => b.kind === 'def')) {
    const last = reach[reach.length - 1].stmt;
    const def = last.type === 'decorated_definition' ? field(last, 'definition') : last;
    return def ? (m.functionOf(def) ?? null) : null;
  }
  if (reach.length === 1 && reach[0].kind === 'assign' && reach[0].path.length === 0 && reach[0].value && unparen(reach[0].value).type === 'lambda') {
    return m.functionOf(unparen(reach[0].value)) ?? null;
  }
  return null;
}

/** A value expression behind a local variable: single plain assignment, followed up to `depth` times. */
export function valueOf(m: SemanticModel, expr: PyNode, depth = 3): PyNode {
  let n = unparen(expr);
  for (let i = 0; i < depth && n.type === 'identifier' && m.isUse(n); i++) {
    const reach = m.reachingBindings(n);
    if (reach.length !== 1) break;
    const b = reach[0];
    if ((b.kind !== 'assign' && b.kind !== 'walrus') || b.path.length > 0 || !b.value) break;
    n = unparen(b.value);
  }
  return n;
}

function intLiteral(m: SemanticModel, node: PyNode | undefined): number | null {
  if (!node) return null;
  const n = unparen(node);
  if (n.type === 'integer') return Number(m.textOf(n).replace(/_/g, ''));
  if (n.type === 'unary_operator' && m.textOf(n).replace(/\s+/g, '') === '-1') return -1;
  return null;
}

/** Dimensions of a shape argument: `3` → [3], `(100, 2)` → [100, 2]; unknown entries are -1. */
function shapeArg(m: SemanticModel, node: PyNode | undefined): number[] | null {
  if (!node) return null;
  const n = unparen(node);
  const k = intLiteral(m, n);
  if (k !== null) return [k];
  if (n.type === 'tuple' || n.type === 'list') return namedChildren(n).map((c) => intLiteral(m, c) ?? -1);
  return null;
}

/**
 * The visible shape of an array expression (entries -1 when unknown), or null when the expression is
 * not visibly an array: `jnp.ones((100, 2))`, `jnp.linspace(0, 1, 50)`, `jnp.array([1., 2.])`,
 * `jax.random.normal(key, (64, 3))`, `a[:, None]`, `a.reshape(-1, 1)`, and variables bound to them.
 */
export function visibleShape(m: SemanticModel, expr: PyNode, depth = 0): number[] | null {
  if (depth > 4) return null;
  const n = valueOf(m, expr);
  if (n.type === 'subscript') {
    const base = field(n, 'value');
    const inner = base ? visibleShape(m, base, depth + 1) : null;
    const subs = n.children.filter((c) => c.field === 'subscript');
    // `a[:, None]` on a 1-D array → (n, 1)
    if (inner && inner.length === 1 && subs.length === 2 && m.textOf(subs[0]).trim() === ':' && subs[1].type === 'none') return [inner[0], 1];
    return null;
  }
  if (n.type !== 'call') return null;
  const c = m.call(n);
  if (!c) return null;
  if (c.method === 'reshape' && c.receiver) {
    const dims = c.positional.length === 1 ? shapeArg(m, c.positional[0]) : c.positional.map((a) => intLiteral(m, a) ?? -1);
    return dims && dims.length > 0 && visibleShape(m, c.receiver, depth + 1) ? dims : null;
  }
  const f = arrayLibFunction(c);
  if (!f) return null;
  switch (f) {
    case 'ones':
    case 'zeros':
    case 'empty':
    case 'full':
      return shapeArg(m, c.keywords.get('shape') ?? c.positional[0]);
    case 'linspace': {
      const num = c.keywords.get('num') ?? c.positional[2];
      return [num ? (intLiteral(m, num) ?? -1) : 50];
    }
    case 'arange':
      return [-1];
    case 'expand_dims': {
      // `jnp.expand_dims(a, axis)`: a's shape with a 1 inserted at a literal axis (negative counts from the end).
      const inner = c.positional[0] ? visibleShape(m, c.positional[0], depth + 1) : null;
      const axis = intLiteral(m, c.keywords.get('axis') ?? c.positional[1]);
      if (!inner || axis === null) return null;
      const at = axis < 0 ? inner.length + 1 + axis : axis;
      if (at < 0 || at > inner.length) return null;
      return [...inner.slice(0, at), 1, ...inner.slice(at)];
    }
    case 'array':
    case 'asarray': {
      const a = c.positional[0] ? unparen(c.positional[0]) : null;
      if (!a || (a.type !== 'list' && a.type !== 'tuple')) return null;
      const items = namedChildren(a);
      const first = items[0] ? unparen(items[0]) : null;
      if (first && (first.type === 'list' || first.type === 'tuple')) return [items.length, namedChildren(first).length];
      return [items.length];
    }
    case 'normal':
    case 'uniform':
    case 'truncated_normal':
      if (c.qname?.startsWith('jax.random.')) return shapeArg(m, c.keywords.get('shape') ?? c.positional[1]);
      return shapeArg(m, c.keywords.get('size') ?? c.positional[2]);
    case 'rand':
      return c.positional.map((a) => intLiteral(m, a) ?? -1);
    default:
      return null;
  }
}

export interface NonScalar {
  /** The expression that is visibly not a scalar. */
  node: PyNode;
  why: string;
}

/**
 * Whether a returned expression is intrinsically not a scalar, whatever the arguments:
 * `jnp.array([...])`, `jnp.stack(...)`, a tuple or list (unless `hasAux`, then its first item is judged).
 */
export function intrinsicNonScalar(m: SemanticModel, fn: FunctionInfo, expr: PyNode, hasAux: boolean, depth = 0): NonScalar | null {
  if (depth > 3) return null;
  const n = unparen(expr);
  if (n.type === 'identifier') {
    if (!m.isUse(n)) return null;
    const reach = m.reachingBindings(n);
    if (reach.length === 0 || reach.some((b) => b.scope !== fn.scope || b.kind !== 'assign' || b.path.length > 0 || !b.value)) return null;
    let found: NonScalar | null = null;
    for (const b of reach) {
      const r = intrinsicNonScalar(m, fn, b.value!, hasAux, depth + 1);
      if (!r) return null;
      found ??= r;
    }
    return found;
  }
  if (n.type === 'tuple' || n.type === 'list' || n.type === 'expression_list') {
    const items = namedChildren(n);
    if (hasAux) return items.length === 2 ? intrinsicNonScalar(m, fn, items[0], false, depth + 1) : null;
    return { node: n, why: `a ${n.type === 'list' ? 'list' : 'tuple'} of ${items.length} values` };
  }
  if (hasAux) return null;
  if (n.type !== 'call') return null;
  const c = m.call(n);
  const f = c ? arrayLibFunction(c) : null;
  if (!c || !f) return null;
  if (ALWAYS_ND.has(f)) return { node: n, why: `\`${m.textOf(field(n, 'function')!)}(...)\`, an array` };
  if ((f === 'array' || f === 'asarray') && c.positional[0]) {
    const a = unparen(c.positional[0]);
    if (a.type === 'list' || a.type === 'tuple') return { node: n, why: `\`${m.textOf(field(n, 'function')!)}([...])\`, an array of shape (${namedChildren(a).length},)` };
  }
  return null;
}

export type ParamUse = 'elementwise' | 'model';

/**
 * Names of functions that return one scalar by convention, whatever the shape of their input: a system's energy or
 * potential (JAX MD's `energy_fn(R)` of an atoms-by-3 array), a loss, an objective, a log-density, a Hamiltonian or
 * Lagrangian. Differentiating them with `jax.grad` is the intended use, so the input's leading axis is not a batch.
 */
const SCALAR_QUANTITY = /(?:^|_)(?:energy|potential|loss|objective|log_?prob|log_?density|log_?likelihood|nll|hamiltonian|lagrangian)(?:_|$)/i;

/**
 * How the value of `expr` depends on the function's parameters when it is built only from elementwise
 * operations (arithmetic without `@`, `jnp.sin`, ...): parameter name → 'elementwise', or 'model' when a
 * parameter is passed straight to an opaque callable (`model(x)`, `net.apply(params, x)`).
 * Null when anything could reduce (a subscript, `@`, `.sum()`, an unknown call).
 */
export function elementwiseParams(m: SemanticModel, fn: FunctionInfo, expr: PyNode, depth = 0): Map<string, ParamUse> | null {
  if (depth > 6) return null;
  const n = unparen(expr);
  const out = new Map<string, ParamUse>();
  const merge = (o: Map<string, ParamUse> | null): boolean => {
    if (!o) return false;
    for (const [k, v] of o) if (out.get(k) !== 'elementwise') out.set(k, v);
    return true;
  };
  switch (n.type) {
    case 'integer':
    case 'float':
      return out;
    case 'attribute':
      // A module's constant (`jnp.pi`, `math.e`) is neutral.
      return /^(?:jax\.numpy|numpy|math)\.(?:pi|e|euler_gamma)$/.test(m.qualifiedName(n) ?? '') ? out : null;
    case 'identifier': {
      if (!m.isUse(n)) return null;
      const reach = m.reachingBindings(n);
      if (reach.length === 0) return out; // a global or builtin: neutral
      if (reach.every((b) => b.kind === 'param' && b.param?.fn === fn && b.param.star === 'none')) {
        out.set(m.textOf(n), 'elementwise');
        return out;
      }
      if (reach.every((b) => b.scope === fn.scope && b.kind === 'assign' && b.path.length === 0 && b.value)) {
        for (const b of reach) if (!merge(elementwiseParams(m, fn, b.value!, depth + 1))) return null;
        return out;
      }
      return reach.every((b) => b.scope !== fn.scope) ? out : null; // closure constants are neutral
    }
    case 'binary_operator': {
      const op = n.children.find((c) => c.field === 'operator');
      if (!op || !['+', '-', '*', '/', '**', '//', '%'].includes(op.type)) return null;
      const l = field(n, 'left');
      const r = field(n, 'right');
      if (!l || !r) return null;
      return merge(elementwiseParams(m, fn, l, depth + 1)) && merge(elementwiseParams(m, fn, r, depth + 1)) ? out : null;
    }
    case 'unary_operator': {
      const a = field(n, 'argument');
      return a ? elementwiseParams(m, fn, a, depth + 1) : null;
    }
    case 'call': {
      const c = m.call(n);
      if (!c || c.hasStarArgs || c.hasKwargs) return null;
      const f = arrayLibFunction(c);
      if (f && ELEMENTWISE.has(f) && c.positional.length === 1) return elementwiseParams(m, fn, c.positional[0], depth + 1);
      // An opaque callable (a model) called on a parameter directly; not one whose name says it returns a scalar
      // quantity (`energy_fn(R)`, `potential(x)`, `loss_fn(p)`: a system's total energy, not one row per atom).
      const callee = field(n, 'function');
      if (callee && SCALAR_QUANTITY.test(m.textOf(callee).split('.').pop()!)) return null;
      if (rootCalleeName(c) === null && !c.local && (c.method === null || c.method === 'apply')) {
        for (const a of c.positional) {
          const u = unparen(a);
          if (u.type === 'identifier' && m.isUse(u) && m.reachingBindings(u).every((b) => b.kind === 'param' && b.param?.fn === fn && b.param.star === 'none')) {
            out.set(m.textOf(u), 'model');
          }
        }
        return out.size > 0 ? out : null;
      }
      return null;
    }
    default:
      return null;
  }
}

/** Whether an expression is visibly an array value (never a function): arithmetic, `jnp.*(...)`, `.sum()`. */
export function isArrayValue(m: SemanticModel, fn: FunctionInfo, expr: PyNode, depth = 0): boolean {
  if (depth > 4) return false;
  const n = unparen(expr);
  switch (n.type) {
    case 'integer':
    case 'float':
    case 'binary_operator':
    case 'unary_operator':
    case 'comparison_operator':
      return true;
    case 'tuple':
    case 'list':
      return namedChildren(n).length > 0 && namedChildren(n).every((c) => isArrayValue(m, fn, c, depth + 1));
    case 'identifier': {
      if (!m.isUse(n)) return false;
      const reach = m.reachingBindings(n);
      return reach.length > 0 && reach.every((b) => b.scope === fn.scope && b.kind === 'assign' && b.path.length === 0 && b.value !== null && isArrayValue(m, fn, b.value, depth + 1));
    }
    case 'call': {
      const c = m.call(n);
      if (!c) return false;
      if (isArrayLibraryName(c.qname) && !isCallOfCall(c)) return true;
      if (c.method !== null && ARRAY_METHODS.has(c.method)) return true;
      return appliesTransform(m, c);
    }
    default:
      return false;
  }
}

/** `jax.grad(f)(x)`, `jax.vmap(f)(xs)`: a call of a transformed function, whose value is an array. */
export function appliesTransform(m: SemanticModel, c: CallInfo): boolean {
  const fn = field(c.node, 'function');
  if (!fn) return false;
  const f = unparen(fn);
  if (f.type !== 'call') return false;
  const inner = m.call(f);
  return inner !== undefined && inner.qname !== null && JAX_TRANSFORMS.has(inner.qname) && !isCallOfCall(inner);
}

/** What a `searchReached` visitor says of a function or call: a finding, "stop this branch", or null (go on). */
export type ReachAnswer<R> = { found: R } | 'stop' | null;

export interface ReachVisitor<R> {
  /** A `def` of this file the differentiated function reaches (its decorators are the visitor's to read). */
  def(fn: FunctionInfo, order: number): ReachAnswer<R>;
  /** A call met on the way: in a reached body, or a wrapper/constructor in the chain (`jax.custom_vjp(f)`). */
  call(c: CallInfo, order: number): ReachAnswer<R>;
  /** How many derivatives a wrapper call adds (0 for `vmap`, `jit`, `partial`); null when it is not a wrapper. */
  wrapperOrder(c: CallInfo): number | null;
}

/** The function argument of a transform or wrapper call (`fun=`/`f=` or the first positional one). */
export function functionArgument(c: CallInfo): PyNode | null {
  return c.keywords.get('fun') ?? c.keywords.get('f') ?? c.positional[0] ?? null;
}

/** The calls made directly in each function's body (not in functions nested in it), per model. */
const callsByFunction = new WeakMap<SemanticModel, Map<number, CallInfo[]>>();

export function callsIn(m: SemanticModel, fn: FunctionInfo): readonly CallInfo[] {
  let map = callsByFunction.get(m);
  if (!map) {
    map = new Map();
    for (const c of m.calls) {
      const f = m.enclosingFunction(c.node);
      if (!f) continue;
      const list = map.get(f.node.id);
      if (list) list.push(c);
      else map.set(f.node.id, [c]);
    }
    callsByFunction.set(m, map);
  }
  return map.get(fn.node.id) ?? [];
}

/**
 * Searches what differentiating the function `expr` runs: names followed to their `def` or single plain assignment
 * (`f = jax.custom_vjp(g)`, `h = jax.grad(f)`), lambdas, wrapper calls to the function they wrap (counting the
 * derivatives they add in `order`), and the file's functions to the calls in their bodies, at most `maxDepth` steps
 * deep (a step is a name, a wrapper, a body or a call: six helpers deep). The visitor decides what is found.
 */
/** The method of the enclosing class that `self.name` names, if the class defines it. */
function selfMethod(m: SemanticModel, n: PyNode): FunctionInfo | null {
  const obj = field(n, 'object');
  const attr = field(n, 'attribute');
  if (!obj || !attr || obj.type !== 'identifier' || m.textOf(obj) !== 'self') return null;
  const caller = m.enclosingFunction(n);
  const cls = caller ? m.classOfMethod(caller) : null;
  return cls ? (m.methodsOf(cls).get(m.textOf(attr)) ?? null) : null;
}

export function searchReached<R>(m: SemanticModel, expr: PyNode, visitor: ReachVisitor<R>, order: number, maxDepth = 12): R | null {
  const seen = new Set<number>();
  const inExpr = (e: PyNode, ord: number, depth: number): R | null => {
    if (depth > maxDepth) return null;
    const n = unparen(e);
    if (n.type === 'lambda') {
      const fn = m.functionOf(n);
      return fn ? inBody(fn, ord, depth + 1) : null;
    }
    if (n.type === 'call') {
      const c = m.call(n);
      if (!c || c.calleeCall) return null;
      const a = visitor.call(c, ord);
      if (a === 'stop') return null;
      if (a) return a.found;
      const add = visitor.wrapperOrder(c);
      const inner = add !== null ? functionArgument(c) : null;
      return inner ? inExpr(inner, ord + add!, depth + 1) : null;
    }
    if (n.type === 'attribute') {
      // `self.method` of the enclosing class, passed to a transform (`jax.grad(self.loss)`).
      const fn = selfMethod(m, n);
      if (!fn) return null;
      const a = visitor.def(fn, ord);
      if (a === 'stop') return null;
      return a ? a.found : inBody(fn, ord, depth + 1);
    }
    if (n.type !== 'identifier' || !m.isUse(n)) return null;
    const reach = m.reachingBindings(n);
    if (reach.length === 0) return null;
    if (reach.every((b) => b.kind === 'def')) {
      const stmt = reach[reach.length - 1].stmt;
      const def = stmt.type === 'decorated_definition' ? field(stmt, 'definition') : stmt;
      const fn = def ? m.functionOf(def) : undefined;
      if (!fn) return null;
      const a = visitor.def(fn, ord);
      if (a === 'stop') return null;
      return a ? a.found : inBody(fn, ord, depth + 1);
    }
    const b = reach[0];
    if (reach.length === 1 && (b.kind === 'assign' || b.kind === 'walrus') && b.path.length === 0 && b.value) return inExpr(b.value, ord, depth + 1);
    return null;
  };
  const inBody = (fn: FunctionInfo, ord: number, depth: number): R | null => {
    if (seen.has(fn.node.id)) return null;
    seen.add(fn.node.id);
    for (const c of callsIn(m, fn)) {
      const a = visitor.call(c, ord);
      if (a === 'stop') continue;
      if (a) return a.found;
      const callee = field(c.node, 'function');
      const inner = callee ? unparen(callee) : null;
      // A call of a local name (a helper `def`, a name bound to a wrapped function) or of a transform's result (`jax.grad(f)(x)`).
      if (inner && (inner.type === 'identifier' || inner.type === 'call')) {
        const r = inExpr(inner, ord, depth + 1);
        if (r !== null) return r;
      }
      // A method of this file the call runs (`self.solve(...)`, `model(x)` with `model = Model()` running `__call__`).
      if (c.local && depth < maxDepth) {
        const r = inBody(c.local, ord, depth + 1);
        if (r !== null) return r;
      }
    }
    return null;
  };
  return inExpr(expr, order, 0);
}

// Traced arguments of transformed functions (shared by AGL052 and AGL058).

/** Attributes and calls that read only static information of a traced array. */
const STATIC_ATTRS = new Set(['shape', 'ndim', 'dtype', 'size', 'aval', 'sharding', 'weak_type']);
const STATIC_CALLS = new Set(['len', 'isinstance', 'type', 'id', 'hasattr', 'getattr', 'callable', 'jax.numpy.shape', 'jax.numpy.ndim', 'jax.numpy.size']);

export function literalInts(m: SemanticModel, n: PyNode | undefined): number[] | null {
  if (!n) return null;
  const u = unparen(n);
  if (u.type === 'integer') return [Number(m.textOf(u))];
  if (u.type === 'tuple' || u.type === 'list') {
    const out: number[] = [];
    for (const e of namedChildren(u)) {
      const x = unparen(e);
      if (x.type !== 'integer') return null;
      out.push(Number(m.textOf(x)));
    }
    return out;
  }
  return null;
}

export function literalStrings(m: SemanticModel, n: PyNode | undefined): string[] | null {
  if (!n) return null;
  const u = unparen(n);
  const items = u.type === 'tuple' || u.type === 'list' ? namedChildren(u).map(unparen) : [u];
  if (!items.every((x) => x.type === 'string')) return null;
  return items.map((x) => m.textOf(x).replace(/^[a-zA-Z]*['"]+|['"]+$/g, ''));
}

/** Positional parameters of `fn` (without `self` of a method), as indices into `fn.params`. */
export function positionalParams(fn: FunctionInfo): number[] {
  const out: number[] = [];
  fn.params.forEach((p, i) => {
    if (i === 0 && fn.isMethod) return;
    if (p.param?.star !== 'none') return;
    out.push(i);
  });
  return out;
}

/** Whether an identifier use only reads static information (`x.shape`, `len(x)`). */
export function staticUse(m: SemanticModel, use: PyNode): boolean {
  const p = use.parent;
  if (!p) return false;
  if (p.type === 'attribute' && field(p, 'object') === use) {
    const a = field(p, 'attribute');
    return a !== null && STATIC_ATTRS.has(m.textOf(a));
  }
  if (p.type === 'argument_list' && p.parent?.type === 'call') {
    const q = m.qualifiedName(p.parent);
    return q !== null && STATIC_CALLS.has(q);
  }
  return false;
}

/**
 * Whether a loop variable bound at `path` of a target iterating `iter` is a mapping's key: `for k in d.keys()`,
 * `for k, v in d.items()`'s `k`. JAX traces the leaves of a pytree, never a dict's keys, so a key stays a
 * Python value (a site name, a layer name) under any transform.
 */
export function mappingKeyTarget(m: SemanticModel, iter: PyNode, path: readonly number[]): boolean {
  const it = unparen(iter);
  if (it.type !== 'call') return false;
  const fn = field(it, 'function');
  const attr = fn?.type === 'attribute' ? field(fn, 'attribute') : null;
  if (!attr) return false;
  const name = m.textOf(attr);
  return name === 'keys' || (name === 'items' && path[0] === 0);
}

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/** The names a `for` target binds, with their index paths (`k, (a, b)` gives k [0], a [1, 0], b [1, 1]). */
function targetNames(m: SemanticModel, target: PyNode, path: number[] = []): { name: string; path: number[] }[] {
  const t = unparen(target);
  if (t.type === 'identifier') return [{ name: m.textOf(t), path }];
  if (t.type === 'pattern_list' || t.type === 'tuple_pattern' || t.type === 'list_pattern' || t.type === 'tuple' || t.type === 'list') {
    return namedChildren(t).flatMap((c, i) => targetNames(m, c, [...path, i]));
  }
  return [];
}

/** Whether `expr` holds a traced value: a traced binding read other than for its shape or dtype. */
export function tracedIn(m: SemanticModel, expr: PyNode, traced: Set<Binding>, tracedNames: ReadonlySet<string> = new Set()): PyNode | null {
  let found: PyNode | null = null;
  walk(expr, (n) => {
    if (found) return false;
    if (n.type === 'lambda' || n.type === 'function_definition') return false;
    if (COMPREHENSIONS.has(n.type)) {
      // A comprehension's value is made of its element; the iterables reach it only through the loop variables,
      // and a mapping's keys are never traced (`[name for name, site in trace.items() if ...]` is a list of names).
      const names = new Set(tracedNames);
      for (const c of n.children) {
        if (c.type !== 'for_in_clause') continue;
        const left = field(c, 'left');
        const right = field(c, 'right');
        if (!left || !right) continue;
        const fromTraced = tracedIn(m, right, traced, names) !== null;
        for (const t of targetNames(m, left)) {
          if (fromTraced && !mappingKeyTarget(m, right, t.path)) names.add(t.name);
          else names.delete(t.name);
        }
      }
      const outer = new Set([...traced].filter((b) => !(b.kind === 'for' && contains(n, b.target))));
      for (const c of n.children) {
        if (c.type === 'for_in_clause' || c.type === 'if_clause' || !c.named) continue;
        const hit = tracedIn(m, c, outer, names);
        if (hit) {
          found = hit;
          break;
        }
      }
      return false;
    }
    if (n.type !== 'identifier' || !m.isUse(n) || staticUse(m, n)) return;
    if (tracedNames.has(m.textOf(n))) {
      found = n;
      return;
    }
    const reach = m.reachingBindings(n);
    if (reach.length > 0 && reach.some((b) => traced.has(b))) found = n;
  });
  return found;
}


/**
 * The bindings of `fn` that hold traced values: the parameters at `params`, then the assignments in `fn`
 * computed from them (reading only their shape or dtype does not count).
 */
export function tracedBindings(m: SemanticModel, fn: FunctionInfo, params: ReadonlySet<number>): Set<Binding> {
  const traced = new Set<Binding>(fn.params.filter((_, i) => params.has(i)));
  const own = [...fn.scope.bindings.values()].flat().filter((b) => b.kind === 'assign' || b.kind === 'augassign' || b.kind === 'for');
  for (let changed = true, round = 0; changed && round < 8; round++) {
    changed = false;
    for (const b of own) {
      if (traced.has(b) || !b.value) continue;
      if (b.kind === 'for' && mappingKeyTarget(m, b.value, b.path)) continue;
      const value = b.kind === 'augassign' ? b.stmt : b.value;
      if (tracedIn(m, value, traced)) {
        traced.add(b);
        changed = true;
      }
    }
  }
  return traced;
}

/**
 * JAX's structured control flow, which traces the functions it is given with abstract values: the positional indexes of
 * those functions (`-1`: every positional after the first; `'branches'`: a list or tuple of functions at index 1).
 * Documented at https://docs.jax.dev/en/latest/control-flow.html ("structured control flow primitives").
 */
export const CONTROL_FLOW_FUNCTIONS: ReadonlyMap<string, { positions: number[] | 'branches' | 'after-first'; keywords: string[] }> = new Map([
  // `cond(pred, true_fun, false_fun, *operands)`; the old five-argument form `cond(pred, t_op, t_fun, f_op, f_fun)`.
  ['jax.lax.cond', { positions: 'after-first', keywords: ['true_fun', 'false_fun'] }],
  ['jax.lax.switch', { positions: 'branches', keywords: [] }],
  ['jax.lax.while_loop', { positions: [0, 1], keywords: ['cond_fun', 'body_fun'] }],
  ['jax.lax.fori_loop', { positions: [2], keywords: ['body_fun'] }],
  ['jax.lax.scan', { positions: [0], keywords: ['f'] }],
  ['jax.lax.map', { positions: [0], keywords: ['f'] }],
]);

/** The function arguments of a structured control-flow call (see `CONTROL_FLOW_FUNCTIONS`); AGL058 traces them. */
export function controlFlowFunctionArgs(m: SemanticModel, c: CallInfo, where: { positions: number[] | 'branches' | 'after-first'; keywords: string[] }): PyNode[] {
  const out: PyNode[] = where.keywords.map((k) => c.keywords.get(k)).filter((x): x is PyNode => !!x);
  if (where.positions === 'after-first') out.push(...c.positional.slice(1));
  else if (where.positions === 'branches') {
    const b = c.keywords.get('branches') ?? c.positional[1];
    let list = b ? unparen(b) : null;
    if (list && list.type === 'identifier' && m.isUse(list)) {
      const reach = m.reachingBindings(list);
      list = reach.length === 1 && reach[0].kind === 'assign' && reach[0].path.length === 0 && reach[0].value ? unparen(reach[0].value) : null;
    }
    if (list && (list.type === 'list' || list.type === 'tuple')) out.push(...namedChildren(list));
  } else for (const i of where.positions) if (c.positional[i]) out.push(c.positional[i]);
  return out;
}

/** `jax.lax.while_loop`, which reverse mode cannot differentiate (AGL116). */
export const WHILE_LOOP = 'jax.lax.while_loop';

/**
 * JAX's loops and where their initial carry is: the loop returns the final carry and never changes the carried arrays
 * (AGL095: a loop whose result is dropped). https://docs.jax.dev/en/latest/_autosummary/jax.lax.fori_loop.html
 */
export const LOOP_CARRY: ReadonlyMap<string, { index: number; keyword: string }> = new Map([
  ['jax.lax.fori_loop', { index: 3, keyword: 'init_val' }],
  ['jax.lax.while_loop', { index: 2, keyword: 'init_val' }],
  ['jax.lax.scan', { index: 1, keyword: 'init' }],
]);
