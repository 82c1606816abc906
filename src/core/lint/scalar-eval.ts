/**
 * Numeric evaluation of small elementwise Python functions, to check a custom derivative rule against the function
 * it is the rule of. A function qualifies when its body is straight-line code (one `return` at its top level, every
 * name bound once before it, no branch or loop) built from number literals, `+ - * / **`, tuples, unpacking,
 * `None`, calls of the file's functions of the same kind, and the elementwise functions of `jax.numpy`, `numpy`,
 * `math`, `jax.nn`, `jax.lax` and `jax.scipy.special` listed below. Arrays are not modelled: elementwise code computes
 * the same thing entry by entry, so scalars stand for them. Anything else (a reduction, an index into an array, a
 * `where`, a piecewise function such as `abs`, `clip` or `round`, an attribute of an argument) makes the evaluation
 * fail, and the caller then says nothing.
 */
import type { FunctionInfo, SemanticModel } from './semantic';
import { field, namedChildren, unparen, type PyNode } from './tree';

/** A scalar, `None` (a zero cotangent), or a tuple of values. */
export type Val = number | null | Val[];
/** The same over another domain of leaves (a rank, for shapes). */
export type GVal<T> = T | null | GVal<T>[];

export class Unsupported extends Error {}

/** What leaves are: numbers (the values), or ranks. Each operation throws `Unsupported` for what it cannot say. */
export interface Domain<T> {
  literal(v: number): T;
  constant(v: number): T;
  unary(name: string, f: (x: number) => number, a: T): T;
  binary(op: string, f: (a: number, b: number) => number, a: T, b: T): T;
  /** `a[i]` of a leaf (not of a tuple). */
  item(a: T, i: number): T;
}

const NUMBERS: Domain<number> = {
  literal: (v) => v,
  constant: (v) => v,
  unary: (_n, f, a) => f(a),
  binary: (_o, f, a, b) => f(a, b),
  item: () => {
    throw new Unsupported();
  },
};

const UNARY: Record<string, (x: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  exp: Math.exp,
  exp2: (x) => 2 ** x,
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  cbrt: Math.cbrt,
  tanh: Math.tanh,
  sinh: Math.sinh,
  cosh: Math.cosh,
  arcsin: Math.asin,
  arccos: Math.acos,
  arctan: Math.atan,
  arcsinh: Math.asinh,
  arccosh: Math.acosh,
  arctanh: Math.atanh,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  negative: (x) => -x,
  positive: (x) => x,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  expit: (x) => 1 / (1 + Math.exp(-x)),
  logistic: (x) => 1 / (1 + Math.exp(-x)),
  softplus: (x) => Math.log1p(Math.exp(x)),
  log_sigmoid: (x) => -Math.log1p(Math.exp(-x)),
  silu: (x) => x / (1 + Math.exp(-x)),
  swish: (x) => x / (1 + Math.exp(-x)),
  logsigmoid: (x) => -Math.log1p(Math.exp(-x)),
  neg: (x) => -x,
  zeros_like: () => 0,
  ones_like: () => 1,
  asarray: (x) => x,
};

const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  mul: (a, b) => a * b,
  sub: (a, b) => a - b,
  div: (a, b) => a / b,
  divide: (a, b) => a / b,
  true_divide: (a, b) => a / b,
  power: (a, b) => a ** b,
  pow: (a, b) => a ** b,
  logaddexp: (a, b) => Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b))),
  arctan2: Math.atan2,
  atan2: Math.atan2,
  hypot: Math.hypot,
};

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

/** Modules whose functions above compute the same elementwise values. */
const MODULES = /^(?:jax\.numpy|numpy|math|jax\.nn|jax\.lax|jax\.scipy\.special|scipy\.special|torch|torch\.special|torch\.nn\.functional)\.([a-z0-9_]+)$/;

/** Tensor methods computing the same elementwise values as the functions above (`x.exp()`, `x.mul(y)`: PyTorch's spelling). */
const METHOD_UNARY = /^(?:exp|log|log1p|expm1|sin|cos|tan|tanh|sinh|cosh|sigmoid|sqrt|rsqrt|reciprocal|neg|square)$/;
const METHOD_BINARY = /^(?:mul|add|sub|div|pow|multiply|divide|true_divide)$/;

/**
 * How an evaluation reads what plain code cannot: the attributes of an object the caller models (a PyTorch `ctx`'s
 * saved tensors and attributes). Undefined for an attribute it does not know.
 */
export interface Hooks<T> {
  attribute?(n: PyNode): GVal<T> | undefined;
}

const MAX_DEPTH = 6;

/** The body statements of a function, or null for a lambda (whose body is its one return). */
function bodyOf(fn: FunctionInfo): PyNode | null {
  return fn.node.type === 'lambda' ? null : field(fn.node, 'body');
}

/** Evaluate `fn` at `args` (one value per parameter), or undefined when it is not plain elementwise code. */
export function evaluateFunction(m: SemanticModel, fn: FunctionInfo, args: readonly Val[], depth = 0): Val | undefined {
  return evaluateIn(NUMBERS, m, fn, args, depth);
}

/** The same over another domain. */
export function evaluateIn<T>(d: Domain<T>, m: SemanticModel, fn: FunctionInfo, args: readonly GVal<T>[], depth = 0, hooks: Hooks<T> = {}): GVal<T> | undefined {
  try {
    return new Evaluator(d, m, hooks).callFunction(fn, args, depth);
  } catch (e) {
    if (e instanceof Unsupported || e instanceof RangeError) return undefined;
    throw e;
  }
}

/** Evaluate `fn` at `args` with hooks (numbers). */
export function evaluateWith(m: SemanticModel, fn: FunctionInfo, args: readonly Val[], hooks: Hooks<number>): Val | undefined {
  return evaluateIn(NUMBERS, m, fn, args, 0, hooks);
}

/** Evaluate the expression `node` of `fn`'s body (statements before it bound as in a call of `fn` at `args`), or undefined. */
export function evaluateExpression(m: SemanticModel, fn: FunctionInfo, args: readonly Val[], node: PyNode, hooks: Hooks<number> = {}): Val | undefined {
  try {
    return new Evaluator(NUMBERS, m, hooks).exprAt(fn, args, node);
  } catch (e) {
    if (e instanceof Unsupported || e instanceof RangeError) return undefined;
    throw e;
  }
}

class Evaluator<T> {
  constructor(
    private readonly d: Domain<T>,
    private readonly m: SemanticModel,
    private readonly hooks: Hooks<T> = {},
  ) {}

  exprAt(fn: FunctionInfo, args: readonly GVal<T>[], node: PyNode): GVal<T> {
    if (fn.params.length !== args.length || fn.params.some((p) => p.param?.star !== 'none')) throw new Unsupported();
    const env = new Map<string, GVal<T>>();
    fn.params.forEach((p, i) => env.set(p.name, args[i]));
    return this.expr(fn, env, node, 0);
  }

  callFunction(fn: FunctionInfo, args: readonly GVal<T>[], depth: number): GVal<T> {
    if (depth > MAX_DEPTH || fn.isMethod || fn.returns.length !== 1) throw new Unsupported();
    if (fn.params.length !== args.length || fn.params.some((p) => p.param?.star !== 'none')) throw new Unsupported();
    const ret = fn.returns[0];
    const body = bodyOf(fn);
    if (body) {
      // The one return is a statement of the body itself, not inside a branch or loop.
      const stmt = ret.parent;
      if (!stmt || stmt.type !== 'return_statement' || stmt.parent !== body) throw new Unsupported();
    }
    const env = new Map<string, GVal<T>>();
    fn.params.forEach((p, i) => env.set(p.name, args[i]));
    return this.expr(fn, env, ret, depth);
  }

  private leaf(v: GVal<T>): T {
    if (v === null || Array.isArray(v)) throw new Unsupported();
    return v as T;
  }

  private expr(fn: FunctionInfo, env: Map<string, GVal<T>>, expr: PyNode, depth: number): GVal<T> {
    const m = this.m;
    const d = this.d;
    const n = unparen(expr);
    switch (n.type) {
      case 'integer':
      case 'float': {
        const v = Number(m.textOf(n).replace(/_/g, ''));
        if (!Number.isFinite(v)) throw new Unsupported();
        return d.literal(v);
      }
      case 'none':
        return null;
      case 'tuple':
      case 'expression_list':
      case 'list':
        return namedChildren(n).map((c) => {
          if (c.type === 'list_splat') throw new Unsupported();
          return this.expr(fn, env, c, depth);
        });
      case 'unary_operator': {
        const a = field(n, 'argument');
        const op = n.children.find((c) => c.field === 'operator');
        if (!a || !op) throw new Unsupported();
        const x = this.leaf(this.expr(fn, env, a, depth));
        if (op.type === '-') return d.unary('negative', (v) => -v, x);
        if (op.type === '+') return x;
        throw new Unsupported();
      }
      case 'binary_operator': {
        const op = n.children.find((c) => c.field === 'operator');
        const l = field(n, 'left');
        const r = field(n, 'right');
        if (!op || !l || !r) throw new Unsupported();
        const f = ARITHMETIC[op.type];
        if (!f) throw new Unsupported();
        return d.binary(op.type, f, this.leaf(this.expr(fn, env, l, depth)), this.leaf(this.expr(fn, env, r, depth)));
      }
      case 'attribute': {
        const hooked = this.hooks.attribute?.(n);
        if (hooked !== undefined) return hooked;
        const q = m.qualifiedName(n);
        const hit = q ? MODULES.exec(q) : null;
        if (hit && hit[1] in CONSTANTS) return d.constant(CONSTANTS[hit[1]]);
        throw new Unsupported();
      }
      case 'subscript': {
        // An item of a tuple (`res[0]`), or of an array (in a domain that can say what that is).
        const base = field(n, 'value');
        const subs = n.children.filter((c) => c.field === 'subscript');
        if (!base || subs.length !== 1 || unparen(subs[0]).type !== 'integer') throw new Unsupported();
        const v = this.expr(fn, env, base, depth);
        const i = Number(m.textOf(unparen(subs[0])));
        if (!Array.isArray(v)) return d.item(this.leaf(v), i);
        return index(v, [i]);
      }
      case 'identifier':
        return this.name(fn, env, n, depth);
      case 'call':
        return this.call(fn, env, n, depth);
      default:
        throw new Unsupported();
    }
  }

  private name(fn: FunctionInfo, env: Map<string, GVal<T>>, n: PyNode, depth: number): GVal<T> {
    const m = this.m;
    if (!m.isUse(n)) throw new Unsupported();
    const reach = m.reachingBindings(n);
    if (reach.length !== 1) throw new Unsupported();
    const b = reach[0];
    if (b.kind === 'param' && b.param?.fn === fn) {
      if (!env.has(b.name)) throw new Unsupported();
      return env.get(b.name)!;
    }
    if (b.kind !== 'assign' || !b.value || b.loop) throw new Unsupported();
    if (b.scope === fn.scope) {
      // A statement of the function's own body (not inside a branch), evaluated in the same environment.
      const body = bodyOf(fn);
      if (!body || b.stmt.parent !== body) throw new Unsupported();
      return index(this.expr(fn, env, b.value, depth), b.path);
    }
    // A module-level constant: `EPS = 1e-3`.
    const v = unparen(b.value);
    if (b.path.length === 0 && (v.type === 'float' || v.type === 'integer')) return this.expr(fn, env, v, depth);
    throw new Unsupported();
  }

  private call(fn: FunctionInfo, env: Map<string, GVal<T>>, n: PyNode, depth: number): GVal<T> {
    const m = this.m;
    const c = m.call(n);
    if (!c || c.hasKwargs || c.hasStarArgs || c.keywords.size > 0 || c.calleeCall) throw new Unsupported();
    const args = () => c.positional.map((a) => this.expr(fn, env, a, depth));
    if (!c.qname && c.method && c.receiver) {
      // A tensor method of an elementwise function (`x.exp()`, `g.mul(y)`).
      if (METHOD_UNARY.test(c.method) && c.positional.length === 0) return this.d.unary(c.method, UNARY[c.method], this.leaf(this.expr(fn, env, c.receiver, depth)));
      if (METHOD_BINARY.test(c.method) && c.positional.length === 1) {
        const a = this.leaf(this.expr(fn, env, c.receiver, depth));
        return this.d.binary(c.method, BINARY[c.method], a, this.leaf(args()[0]));
      }
      throw new Unsupported();
    }
    const hit = c.qname ? MODULES.exec(c.qname) : null;
    if (hit) {
      const name = hit[1];
      if (name in UNARY && c.positional.length === 1) return this.d.unary(name, UNARY[name], this.leaf(args()[0]));
      if (name in BINARY && c.positional.length === 2) {
        const [a, b] = args().map((v) => this.leaf(v));
        return this.d.binary(name, BINARY[name], a, b);
      }
      throw new Unsupported();
    }
    // A function of this file, called by name.
    const callee = field(n, 'function');
    if (!callee || unparen(callee).type !== 'identifier' || !m.isUse(unparen(callee))) throw new Unsupported();
    const reach = m.reachingBindings(unparen(callee));
    if (reach.length !== 1 || reach[0].kind !== 'def') throw new Unsupported();
    const stmt = reach[0].stmt;
    const def = stmt.type === 'decorated_definition' ? field(stmt, 'definition') : stmt;
    const local = def ? m.functionOf(def) : undefined;
    if (!local) throw new Unsupported();
    return this.callFunction(local, args(), depth + 1);
  }
}

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '**': (a, b) => a ** b,
};

function index<T>(v: GVal<T>, path: readonly number[]): GVal<T> {
  let cur = v;
  for (const i of path) {
    if (!Array.isArray(cur) || i < 0 || i >= cur.length) throw new Unsupported();
    cur = cur[i];
  }
  return cur;
}

/**
 * Ranks relative to the inputs: a leaf is `{ v, k }`, "the rank of input v plus k" (`v` null: an absolute rank k).
 * Elementwise functions keep a rank, broadcasting takes the larger of two ranks of the same input, `a[0]` removes one
 * axis. What depends on two different inputs' ranks is not known.
 */
export interface Rank {
  v: number | null;
  k: number;
}

export const RANKS: Domain<Rank> = {
  literal: () => ({ v: null, k: 0 }),
  constant: () => ({ v: null, k: 0 }),
  unary: (name, _f, a) => (name === 'zeros_like' || name === 'ones_like' || name === 'asarray' || name in UNARY ? a : unsupported()),
  binary: (_o, _f, a, b) => {
    if (a.v === null && a.k === 0) return b;
    if (b.v === null && b.k === 0) return a;
    if (a.v === b.v) return { v: a.v, k: Math.max(a.k, b.k) };
    return unsupported();
  },
  item: (a) => (a.v === null && a.k <= 0 ? unsupported() : { v: a.v, k: a.k - 1 }),
};

function unsupported(): never {
  throw new Unsupported();
}

/** The scalars of a value in order (`None` counts as a zero), or null when it holds something else. */
export function leaves(v: Val): number[] {
  if (v === null) return [0];
  if (typeof v === 'number') return [v];
  return v.flatMap(leaves);
}

/** Whether two values have the same tuple structure (`None` matches any structure: a zero of it). */
export function sameStructure(a: Val, b: Val): boolean {
  if (a === null || b === null) return true;
  if (typeof a === 'number' || typeof b === 'number') return typeof a === typeof b;
  return a.length === b.length && a.every((x, i) => sameStructure(x, b[i]));
}

/** A value of `like`'s structure with every scalar replaced by `f(k)`, k counting the scalars in order. */
export function mapLeaves(like: Val, f: (k: number) => number, counter = { k: 0 }): Val {
  if (like === null || typeof like === 'number') return f(counter.k++);
  return like.map((x) => mapLeaves(x, f, counter));
}
