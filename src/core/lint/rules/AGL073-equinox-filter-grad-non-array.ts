/**
 * AGL073 equinox-filter-grad-non-array: `eqx.filter_grad(f)(1.0)` (or `filter_value_and_grad`, or a function decorated
 * with one) applied to a first argument that is not a floating-point JAX array: a Python float or int, a list of
 * them, an integer array. Equinox differentiates only floating-point JAX arrays and treats everything else as static,
 * so the gradient is silently None (patrick-kidger/equinox#189). (`jax.grad` of an integer, which raises, is AGL012.)
 * Checked against Equinox's documentation and the maintainer's answer, not run (Equinox is not installed here).
 */
import { EQUINOX_ARRAY_ONLY_TRANSFORMS } from '../knowledge/jax';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';

type Literal = 'int' | 'float' | 'int-list' | 'float-list' | 'int-array';

/** What a number literal (or a list/tuple of them, or `jnp.array` of integer literals) is; null otherwise. */
function literalKind(m: SemanticModel, n: PyNode, depth = 0): Literal | null {
  let u = unparen(n);
  if (u.type === 'unary_operator' && field(u, 'argument')) u = unparen(field(u, 'argument')!);
  if (u.type === 'integer' || u.type === 'true' || u.type === 'false') return 'int';
  if (u.type === 'float') return 'float';
  if ((u.type === 'list' || u.type === 'tuple') && depth === 0) {
    const items = namedChildren(u).map((c) => literalKind(m, c, depth + 1));
    if (items.length === 0 || items.some((k) => k !== 'int' && k !== 'float')) return null;
    return items.every((k) => k === 'int') ? 'int-list' : 'float-list';
  }
  if (u.type === 'call' && depth === 0) {
    const c = m.call(u);
    if (!c || (c.qname !== 'jax.numpy.array' && c.qname !== 'jax.numpy.asarray') || c.positional.length !== 1 || c.keywords.size > 0 || c.hasKwargs) return null;
    const inner = unparen(c.positional[0]);
    if (inner.type !== 'list' && inner.type !== 'tuple' && inner.type !== 'integer') return null;
    return literalKind(m, inner, 0) === 'int-list' || inner.type === 'integer' ? 'int-array' : null;
  }
  if (u.type === 'identifier' && depth === 0 && m.isUse(u)) {
    const reach = m.reachingBindings(u);
    if (reach.length !== 1 || reach[0].kind !== 'assign' || reach[0].path.length > 0 || !reach[0].value || reach[0].loop) return null;
    if (reach[0].value.type === 'identifier') return null;
    return literalKind(m, reach[0].value, depth);
  }
  return null;
}

interface Transform {
  qname: string;
  /** The transform call (or the decorator expression). */
  node: PyNode;
  call: CallInfo | null;
}

/** The derivative transform a call applies: `jax.grad(f)(x)`, `g(x)` with `g = jax.grad(f)`, or a function decorated with one. */
function transformOf(m: SemanticModel, c: CallInfo): Transform | null {
  const known = (q: string | null): boolean => !!q && EQUINOX_ARRAY_ONLY_TRANSFORMS.has(q);
  if (c.calleeCall) return known(c.calleeCall.qname) ? { qname: c.calleeCall.qname!, node: c.calleeCall.node, call: c.calleeCall } : null;
  const callee = field(c.node, 'function');
  const id = callee ? unparen(callee) : null;
  if (!id || id.type !== 'identifier' || !m.isUse(id)) return null;
  const reach = m.reachingBindings(id);
  if (reach.length !== 1) return null;
  const b = reach[0];
  if (b.kind === 'assign' && b.path.length === 0 && b.value && unparen(b.value).type === 'call') {
    const t = m.call(unparen(b.value));
    return t && known(t.qname) ? { qname: t.qname!, node: t.node, call: t } : null;
  }
  if (b.kind === 'def' && b.stmt.type === 'decorated_definition') {
    const decs = b.stmt.children.filter((d) => d.type === 'decorator');
    // Only a function whose one decorator is the transform: another decorator could change its arguments.
    if (decs.length !== 1) return null;
    const e = namedChildren(decs[0])[0];
    const q = e && unparen(e).type !== 'call' ? m.qualifiedName(e) : null;
    return known(q) ? { qname: q!, node: e!, call: null } : null;
  }
  return null;
}

export const AGL073: Rule = {
  meta: {
    code: 'AGL073',
    name: 'equinox-filter-grad-non-array',
    summary: 'eqx.filter_grad applied to a Python float, int or list, which Equinox treats as static: the gradient is None.',
    framework: 'jax',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds applications of `eqx.filter_grad` / `eqx.filter_value_and_grad` (`eqx.filter_grad(f)(x)`, `g(x)` with ' +
        '`g = eqx.filter_grad(f)`, a function decorated with `@eqx.filter_grad`) whose first argument is written as a Python ' +
        'number, a list or tuple of Python numbers, or `jnp.array` of integer literals (also through a name bound once to one).',
      whyIsThisBad:
        'Equinox\'s `filter_grad` differentiates only the floating-point JAX arrays of its first argument and treats ' +
        'everything else as static, so `eqx.filter_grad(f)(1.0)` returns None instead of the derivative, silently, where ' +
        '`jax.grad(f)(1.0)` returns 2.0 ("By default, eqx.filter_grad will compute gradients with respect to ' +
        'floating-point JAX arrays. (And in particular not int arrays, Python floats or anything else.)", ' +
        'patrick-kidger/equinox#189).',
      example: '```python\n@eqx.filter_grad\ndef df(x):\n    return x ** 2\n\ndf(1.0)  # None\n```',
      useInstead: '```python\ndf(jnp.asarray(1.0))  # Array(2.)\n```',
      knownProblems:
        'Checked against Equinox\'s documentation and the maintainer\'s answer, not run (Equinox is not installed here). ' +
        'Only literals in view are judged (a number computed at run time is not). A function with other decorators ' +
        'besides the transform is not read. `jax.grad` of an integer, which raises, is AGL012.',
      fixSafety: 'No automatic fix.',
      references: [
        '[equinox.filter_grad](https://docs.kidger.site/equinox/api/transformations/#equinox.filter_grad)',
        '[patrick-kidger/equinox#189: filter_grad returns None for a Python float](https://github.com/patrick-kidger/equinox/issues/189)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    for (const c of m.calls) {
      if (c.hasStarArgs || c.positional.length === 0) continue;
      const t = transformOf(m, c);
      if (!t) continue;
      const tname = ctx.text(t.call ? (field(t.call.node, 'function') ?? t.node) : t.node);
      const arg = c.positional[0];
      const kind = literalKind(m, arg);
      if (!kind) continue;
      const what = kind === 'int' || kind === 'float' ? `a Python ${kind}` : kind === 'int-array' ? 'an integer array' : 'a list of Python numbers';
      const instead = kind === 'int-array' ? 'a floating-point array (`dtype=jnp.float32`)' : `a JAX array (\`jnp.asarray(${ctx.text(unparen(arg))})\`)`;
      ctx.report({
        node: c.node,
        message:
          `\`${tname}\` differentiates only the floating-point JAX arrays of its first argument, but \`${ctx.text(arg)}\` is ${what}, ` +
          `which Equinox treats as static: the gradient comes back as None, not the derivative. Pass ${instead}, or use \`jax.grad\`.`,
        related: [{ node: t.node, message: 'the transform' }],
      });
    }
  },
};
