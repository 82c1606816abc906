/**
 * Gradient coefficients of linear expressions: for an expression built from `+`, `-`, unary minus, scaling by a
 * numeric literal and stop-gradients (`t.detach()`, `tf.stop_gradient(t)`, `jax.lax.stop_gradient(t)`, `t.data`),
 * through single-binding local names and the file's helpers that return such an expression, the coefficient of every
 * "atom" (anything else: a call, a subscript, a parameter) in the expression's *value* and in its *gradient*.
 *
 * `x + (q - x)` has value {q: 1} and gradient {q: 1} (x cancels: d/dx = 1 - 1 = 0); `x + (q - x).detach()` has value
 * {q: 1} and gradient {x: 1} (the straight-through estimator); `x + (q - x).detach() - x.detach()` has value
 * {q: 1, x: -1} and gradient {x: 1}. Rules ask which atoms a term trains and whether a sum cancels a gradient.
 */
import type { RuleContext } from './rule';
import type { Binding, SemanticModel } from './semantic';
import { bindingValue } from './semantic';
import { field, namedChildren, unparen, type PyNode } from './tree';
import { isKind, Kind } from './analysis/values';

export interface Linear {
  /** Coefficient of each atom in the expression's value (zeros dropped). */
  value: Map<string, number>;
  /** Coefficient of each atom in the expression's gradient (zeros dropped). */
  live: Map<string, number>;
  /** Every atom met, cancelled or not, with the node it was first met at. */
  atoms: Map<string, PyNode>;
  /** Whether a stop-gradient was met. */
  stops: boolean;
}

const STOP_FUNCTIONS = new Set(['tensorflow.stop_gradient', 'jax.lax.stop_gradient', 'torch.detach']);
const EPS = 1e-9;
/** Methods that return the receiver's value (dtype, memory layout, device). */
const IDENTITY_METHODS = new Set(['contiguous', 'float', 'double', 'clone', 'cpu', 'cuda']);
/** Methods that rearrange the receiver's elements (linear, atom by atom). */
const LAYOUT_METHODS = new Set(['view', 'reshape', 'permute', 'transpose', 'squeeze', 'unsqueeze', 'flatten', 'view_as', 'reshape_as', 'expand', 'expand_as', 't']);

function combine(a: Map<string, number>, b: Map<string, number>, k: number): Map<string, number> {
  const out = new Map(a);
  for (const [key, c] of b) {
    const v = (out.get(key) ?? 0) + k * c;
    if (Math.abs(v) < EPS) out.delete(key);
    else out.set(key, v);
  }
  return out;
}

function scale(a: Linear, k: number): Linear {
  const s = (m: Map<string, number>) => new Map([...m].map(([key, c]) => [key, c * k] as [string, number]).filter(([, c]) => Math.abs(c) >= EPS));
  return { value: s(a.value), live: s(a.live), atoms: a.atoms, stops: a.stops };
}

function sum(a: Linear, b: Linear, k: number): Linear {
  return {
    value: combine(a.value, b.value, k),
    live: combine(a.live, b.live, k),
    atoms: new Map([...a.atoms, ...b.atoms]),
    stops: a.stops || b.stops,
  };
}

function atom(key: string, node: PyNode): Linear {
  return { value: new Map([[key, 1]]), live: new Map([[key, 1]]), atoms: new Map([[key, node]]), stops: false };
}

/** The stopped expression of a stop-gradient (`t.detach()`, `tf.stop_gradient(t)`, `t.data`), or null. */
export function stoppedExpr(m: SemanticModel, n: PyNode): PyNode | null {
  if (n.type === 'call') {
    const c = m.call(n);
    if (!c) return null;
    if (c.method === 'detach' && c.receiver && c.positional.length === 0 && c.keywords.size === 0) return c.receiver;
    if (c.qname && STOP_FUNCTIONS.has(c.qname) && c.positional.length >= 1) return c.positional[0];
    return null;
  }
  if (n.type === 'attribute' && field(n, 'attribute') && m.textOf(field(n, 'attribute')!) === 'data') return field(n, 'object');
  return null;
}

function numberLiteral(m: SemanticModel, n: PyNode): number | null {
  const u = unparen(n);
  if (u.type === 'integer' || u.type === 'float') {
    const v = Number(m.textOf(u).replace(/_/g, ''));
    return Number.isFinite(v) ? v : null;
  }
  if (u.type === 'unary_operator' && m.textOf(u).startsWith('-')) {
    const inner = field(u, 'argument');
    const v = inner ? numberLiteral(m, inner) : null;
    return v === null ? null : -v;
  }
  return null;
}

function bindingKey(bs: readonly Binding[]): string {
  return 'b:' + bs.map((b) => b.target.id).sort((a, b) => a - b).join(',');
}

/** Substitutions of a helper's parameters (by binding target id) while its return is read. */
type Env = ReadonlyMap<number, Linear>;

/**
 * The linear form of `expr`, expanding single-binding local names (depth-limited) and calls of the file's helpers
 * whose one return is linear in their parameters. Never null: anything not linear is an atom.
 */
export function linearForm(m: SemanticModel, expr: PyNode, env: Env = new Map(), depth = 0): Linear {
  if (env.size > 0) return linearUncached(m, expr, env, depth);
  let cache = CACHE.get(m);
  if (!cache) CACHE.set(m, (cache = new Map()));
  const hit = cache.get(expr.id);
  if (hit) return hit;
  const out = linearUncached(m, expr, env, depth);
  cache.set(expr.id, out);
  return out;
}

const CACHE = new WeakMap<SemanticModel, Map<number, Linear>>();

function linearUncached(m: SemanticModel, expr: PyNode, env: Env, depth: number): Linear {
  const n = unparen(expr);
  if (depth > 24) return atom('n:' + n.id, n);
  if (n.type === 'unary_operator') {
    const arg = field(n, 'argument');
    const op = m.textOf(n).trim()[0];
    if (arg && op === '-') return scale(linearForm(m, arg, env, depth + 1), -1);
    if (arg && op === '+') return linearForm(m, arg, env, depth + 1);
  }
  if (n.type === 'binary_operator') {
    const op = field(n, 'operator');
    const l = field(n, 'left');
    const r = field(n, 'right');
    const o = op ? m.textOf(op) : '';
    if (l && r && (o === '+' || o === '-')) {
      return sum(linearForm(m, l, env, depth + 1), linearForm(m, r, env, depth + 1), o === '+' ? 1 : -1);
    }
    if (l && r && o === '*') {
      const kl = numberLiteral(m, l);
      const kr = numberLiteral(m, r);
      if (kl !== null) return scale(linearForm(m, r, env, depth + 1), kl);
      if (kr !== null) return scale(linearForm(m, l, env, depth + 1), kr);
    }
    if (l && r && o === '/') {
      const kr = numberLiteral(m, r);
      if (kr !== null && kr !== 0) return scale(linearForm(m, l, env, depth + 1), 1 / kr);
    }
    return atom('n:' + n.id, n);
  }
  // Value-preserving methods (`x.contiguous()`, `x.float()`) are the receiver; layout methods with the same arguments
  // (`x.view(b, -1)`) map each atom to the same rearranged atom (`view(b, -1)` of `x`), so sums keep cancelling only
  // between values rearranged alike.
  if (n.type === 'call') {
    const c = m.call(n);
    if (c?.method && c.receiver && !c.hasStarArgs && !c.hasKwargs) {
      if (IDENTITY_METHODS.has(c.method) && c.positional.length === 0 && c.keywords.size === 0) return linearForm(m, c.receiver, env, depth + 1);
      if (LAYOUT_METHODS.has(c.method)) {
        const inner = linearForm(m, c.receiver, env, depth + 1);
        const args = m.textOf(field(n, 'arguments') ?? n).replace(/\s+/g, '');
        const key = (k: string): string => `${c.method}${args}:${k}`;
        const rekey = (mp: Map<string, number>): Map<string, number> => new Map([...mp].map(([k, v]) => [key(k), v] as [string, number]));
        return { value: rekey(inner.value), live: rekey(inner.live), atoms: new Map([...inner.atoms].map(([k, v]) => [key(k), v] as [string, PyNode])), stops: inner.stops };
      }
    }
  }
  const stopped = stoppedExpr(m, n);
  if (stopped) {
    const inner = linearForm(m, stopped, env, depth + 1);
    return { value: inner.value, live: new Map(), atoms: inner.atoms, stops: true };
  }
  if (n.type === 'identifier') {
    if (!m.isUse(n)) return atom('t:' + m.textOf(n), n);
    const reach = m.reachingBindings(n);
    if (reach.length === 1) {
      const b = reach[0];
      const sub = env.get(b.target.id);
      if (sub) return sub;
      const v = b.kind === 'assign' ? bindingValue(b) : null;
      // The value of a name bound in the statement that reads it (`x = x + 1` in a loop) is not expanded.
      if (v && !(b.stmt.start <= n.start && n.end <= b.stmt.end)) {
        // `q = expr`, or `q, idx = a, b` narrowed to its item.
        if (b.path.length === 0 || v !== b.value) return linearForm(m, v, env, depth + 1);
        // `q, idx, loss = quantize(x)`: the item of a helper's returned tuple; else the name is its own atom.
        if (b.path.length === 1 && unparen(v).type === 'call' && env.size === 0) {
          const r = inlineCall(m, unparen(v), b.path[0], depth);
          if (r) return r;
        }
      }
    }
    if (reach.length === 0) return atom('t:' + m.textOf(n), n);
    return atom(bindingKey(reach), n);
  }
  if (n.type === 'attribute') {
    // `self.x`, `a.b.c`: the same text is the same atom.
    let base: PyNode | null = n;
    while (base && base.type === 'attribute') base = field(base, 'object');
    if (base && base.type === 'identifier') return atom('t:' + m.textOf(n).replace(/\s+/g, ''), n);
  }
  if (n.type === 'call' && env.size === 0) {
    const r = inlineCall(m, n, null, depth);
    if (r) return r;
  }
  return atom('n:' + n.id, n);
}

/**
 * A call of the file's helper whose one return is linear in its parameters (item `index` of a returned tuple), with
 * the call's arguments substituted; null otherwise.
 */
function inlineCall(m: SemanticModel, n: PyNode, index: number | null, depth: number): Linear | null {
  const c = m.call(n);
  const fn = c?.local;
  if (!c || !fn || fn.returns.length !== 1 || c.hasStarArgs || c.hasKwargs || c.keywords.size > 0) return null;
  const params = fn.params.filter((p) => p.name !== 'self' && p.name !== 'cls');
  if (params.length !== c.positional.length || params.length === 0) return null;
  let ret: PyNode | null = unparen(fn.returns[0]);
  if (index !== null) {
    const items = ret.type === 'tuple' || ret.type === 'expression_list' ? namedChildren(ret) : [];
    ret = items.length > index && items.every((x) => x.type !== 'list_splat') ? items[index] : null;
  }
  if (!ret) return null;
  const sub = new Map<number, Linear>();
  params.forEach((p, i) => sub.set(p.target.id, linearForm(m, c.positional[i], new Map(), depth + 1)));
  const out = linearForm(m, ret, sub, depth + 1);
  // The helper's own atoms (`q = codebook[idx]` in its body) are this call's: two calls do not share them.
  const paramKeys = new Set<string>();
  for (const s of sub.values()) for (const k of s.atoms.keys()) paramKeys.add(k);
  const key = (k: string): string => (paramKeys.has(k) ? k : `c${n.id}:${k}`);
  const rekey = (mp: Map<string, number>): Map<string, number> => new Map([...mp].map(([k, v]) => [key(k), v] as [string, number]));
  return { value: rekey(out.value), live: rekey(out.live), atoms: new Map([...out.atoms].map(([k, v]) => [key(k), v] as [string, PyNode])), stops: out.stops };
}

/** Whether an atom may be a tensor (not a Python number, string or flag by the analysis). */
export function mayBeTensor(ctx: RuleContext, n: PyNode): boolean {
  const v = ctx.analysis.values.get(n.id);
  if (!v) return true;
  if (isKind(v, Kind.TENSOR) || isKind(v, Kind.UNKNOWN)) return true;
  return false;
}
