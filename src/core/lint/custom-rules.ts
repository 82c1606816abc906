/**
 * Custom derivative rules as the code registers them, read from the syntax: the decorators of a `def`, the JVP
 * rules of a `jax.custom_jvp` function (`@f.defjvp`, `f.defjvp(rule)`), the `jax.custom_vjp` function a
 * `defvjp` is called on with its `nondiff_argnums`, and the functions names and lambdas refer to. Several rules
 * (AGL053, AGL057, AGL062, AGL072, AGL075, AGL017) ask these questions; PyTorch's `autograd.Function`s are modelled
 * in `derivative-rules.ts`.
 */
import { literalInts } from './jax';
import { JAX_FORWARD_RULE_DECORATORS, JAX_REVERSE_ONLY_DECORATORS } from './knowledge/jax';
import { bindingValue, type FunctionInfo, type SemanticModel } from './semantic';
import { field, namedChildren, unparen, walk, type PyNode } from './tree';

/** The decorator nodes of a `def`, outermost first. */
export function decoratorsOf(fn: FunctionInfo): PyNode[] {
  const decorated = fn.node.parent?.type === 'decorated_definition' ? fn.node.parent : null;
  return decorated ? decorated.children.filter((d) => d.type === 'decorator') : [];
}

export function decoratedWith(m: SemanticModel, fn: FunctionInfo, names: ReadonlySet<string>): boolean {
  return decoratorsOf(fn).some((d) => {
    const e = namedChildren(d)[0];
    return e !== undefined && names.has(m.qualifiedName(e) ?? '');
  });
}

/**
 * Decorators that give a function its own derivative rule: autodiff never goes through its body, so a guard or a root
 * in it cannot put NaN into a gradient (numpyro's `log1mexp` is a `jax.custom_jvp` whose `where` the rule replaces).
 */
const CUSTOM_DERIVATIVE_DECORATORS = new Set([...JAX_FORWARD_RULE_DECORATORS, ...JAX_REVERSE_ONLY_DECORATORS, 'tensorflow.custom_gradient']);

/** Whether `node` is inside a function (or a function nested in one) that a custom derivative rule decorates. */
export function insideCustomDerivative(m: SemanticModel, node: PyNode): boolean {
  for (let fn = m.enclosingFunction(node); fn; fn = fn.node.parent ? m.enclosingFunction(fn.node.parent) : null) {
    if (decoratedWith(m, fn, CUSTOM_DERIVATIVE_DECORATORS)) return true;
  }
  return false;
}

/** The JVP rules given to a `custom_jvp` function: `@f.defjvp def rule(...)` or `f.defjvp(rule)`. */
export function jvpRules(m: SemanticModel, f: FunctionInfo): { rule: FunctionInfo; site: PyNode }[] {
  const out: { rule: FunctionInfo; site: PyNode }[] = [];
  for (const fn of m.functions) {
    for (const d of decoratorsOf(fn)) {
      const e = namedChildren(d)[0];
      if (e?.type === 'attribute' && isDefjvpOf(m, e, f)) out.push({ rule: fn, site: e });
    }
  }
  for (const c of m.calls) {
    if (c.method !== 'defjvp' || !c.receiver || !refersTo(m, c.receiver, f)) continue;
    const arg = c.positional[0];
    const a = arg ? unparen(arg) : null;
    const rule = a?.type === 'lambda' ? m.functionOf(a) : a?.type === 'identifier' ? localDef(m, a) : undefined;
    if (rule) out.push({ rule, site: c.node });
  }
  return out;
}

function isDefjvpOf(m: SemanticModel, attr: PyNode, f: FunctionInfo): boolean {
  const obj = field(attr, 'object');
  const name = field(attr, 'attribute');
  return obj !== null && name !== null && m.textOf(name) === 'defjvp' && refersTo(m, obj, f);
}

/** The `def` of this file a name refers to (its only binding), if any. */
export function localDef(m: SemanticModel, id: PyNode): FunctionInfo | undefined {
  if (!m.isUse(id)) return undefined;
  const reach = m.reachingBindings(id);
  if (reach.length !== 1 || reach[0].kind !== 'def') return undefined;
  const stmt = reach[0].stmt;
  const def = stmt.type === 'decorated_definition' ? field(stmt, 'definition') : stmt;
  return def ? m.functionOf(def) : undefined;
}

export function refersTo(m: SemanticModel, expr: PyNode, f: FunctionInfo): boolean {
  const n = unparen(expr);
  return n.type === 'identifier' && localDef(m, n) === f;
}

/** Whether a rule's body (nested functions included) calls `f`. */
export function callsFunction(m: SemanticModel, rule: FunctionInfo, f: FunctionInfo): boolean {
  let found = false;
  walk(rule.node, (n) => {
    if (found) return false;
    if (n.type === 'call') {
      const callee = field(n, 'function');
      if (callee && refersTo(m, callee, f)) found = true;
    }
    return !found;
  });
  return found;
}

/** The primal output a JVP rule returns (`return primal_out, tangent_out`): the first item of its first pair. */
export function primalOutput(rule: FunctionInfo): PyNode | null {
  for (const r of rule.returns) {
    const n = unparen(r);
    if (n.type !== 'tuple' && n.type !== 'expression_list') continue;
    const items = namedChildren(n);
    if (items.length === 2) return items[0];
  }
  return null;
}

export interface CustomVjp {
  f: FunctionInfo;
  /** How many arguments the bwd rule gives cotangents for, or null when not known (`*args`, a computed `nondiff_argnums`). */
  diffArgs: number | null;
  nondiff: number[];
}

/** The function a name or lambda refers to, when it is a `def` (bound once) or a lambda of this file. */
export function functionAt(m: SemanticModel, n: PyNode | undefined): FunctionInfo | undefined {
  if (!n) return undefined;
  const u = unparen(n);
  return u.type === 'lambda' ? m.functionOf(u) : u.type === 'identifier' ? localDef(m, u) : undefined;
}

/** Number of arguments a function takes, or null with `*args`/`**kwargs` or as a method. */
export function arity(f: FunctionInfo): number | null {
  if (f.isMethod) return null;
  if (f.params.some((p) => p.param?.star !== 'none')) return null;
  return f.params.length;
}

function make(f: FunctionInfo, nondiff: number[] | null): CustomVjp {
  const n = arity(f);
  return { f, nondiff: nondiff ?? [], diffArgs: n === null || nondiff === null ? null : n - new Set(nondiff.filter((i) => i >= 0 && i < n)).size };
}

/**
 * The `jax.custom_vjp` function `f.defvjp(...)` is called on: decorated (`@jax.custom_vjp`,
 * `@partial(jax.custom_vjp, nondiff_argnums=(0,))`) or wrapped (`f = jax.custom_vjp(g, nondiff_argnums=...)`).
 * Flax's `nn.custom_vjp` and Equinox's `filter_custom_vjp` have other conventions and are not read.
 */
export function customVjpOf(m: SemanticModel, receiver: PyNode): CustomVjp | null {
  const r = unparen(receiver);
  if (r.type !== 'identifier' || !m.isUse(r)) return null;
  const reach = m.reachingBindings(r);
  if (reach.length !== 1) return null;
  const b = reach[0];
  if (b.kind === 'def') {
    const f = functionAt(m, r);
    if (!f) return null;
    const stmt = b.stmt;
    if (stmt.type !== 'decorated_definition') return null;
    for (const d of stmt.children.filter((c) => c.type === 'decorator')) {
      const e = namedChildren(d)[0];
      if (!e) continue;
      if (m.qualifiedName(e) === 'jax.custom_vjp' && unparen(e).type !== 'call') return make(f, []);
      const c = unparen(e).type === 'call' ? m.call(unparen(e)) : undefined;
      if (c?.qname === 'functools.partial' && c.positional[0] && m.qualifiedName(c.positional[0]) === 'jax.custom_vjp') {
        if (c.positional.length > 1 || c.hasKwargs) return make(f, null);
        const nd = c.keywords.get('nondiff_argnums');
        return make(f, nd ? literalInts(m, nd) : []);
      }
    }
    return null;
  }
  const v = bindingValue(b);
  const c = v && unparen(v).type === 'call' ? m.call(unparen(v)) : undefined;
  if (!c || c.qname !== 'jax.custom_vjp') return null;
  const f = functionAt(m, c.positional[0] ?? c.keywords.get('fun'));
  if (!f || c.hasKwargs) return null;
  const nd = c.keywords.get('nondiff_argnums') ?? c.positional[1];
  return make(f, nd ? literalInts(m, nd) : []);
}
