/**
 * AGL049 jax-has-aux-not-pair: `jax.grad(f, has_aux=True)` (or `value_and_grad`, `jacrev`, `vjp`, ...,
 * called or as `@partial(jax.grad, has_aux=True)`) where `f` visibly returns something that is not an
 * `(output, aux)` pair on every path: one array (an arithmetic expression, a reduction, a loss), or a tuple
 * or list of another length. JAX raises a TypeError when the transformed function is called. The opposite
 * mistake, a pair returned without `has_aux`, is AGL015's. Checked against JAX's documentation, not run.
 */
import { JAX_HAS_AUX_TRANSFORMS, SINGLE_ARRAY_FUNCTIONS, SINGLE_ARRAY_METHODS, SINGLE_ARRAY_MODULES } from '../knowledge/jax';
import { resolveFunction } from '../jax';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';

/** Operators a tuple or list does not support: their result is never a sequence. */
const NON_SEQUENCE_OPERATORS = new Set(['-', '/', '//', '**', '@']);

function operatorText(m: SemanticModel, n: PyNode): string {
  const op = field(n, 'operator');
  return op ? m.textOf(op) : '';
}

/**
 * Whether `expr`, returned by `fn`, is visibly one array or number (never a tuple or list): a number, an
 * arithmetic expression a sequence does not support, a call of a single-array function or method, or a
 * local name every binding of which is one of these.
 */
function singleValue(m: SemanticModel, fn: FunctionInfo, expr: PyNode, depth = 0): boolean {
  if (depth > 4) return false;
  const n = unparen(expr);
  switch (n.type) {
    case 'float':
    case 'integer':
    case 'comparison_operator':
    case 'unary_operator':
      return true;
    case 'binary_operator': {
      const op = operatorText(m, n);
      if (NON_SEQUENCE_OPERATORS.has(op)) return true;
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (!left || !right) return false;
      // `+`: a sequence plus an array or number raises, so one visibly single operand decides. `*`: an integer
      // times a tuple repeats it, so the single operand must not be an integer literal.
      // A parameter of the differentiated function is an input array (a pytree of one leaf repeated into a
      // pair is not a way anyone writes an output), so `2 * x` counts as one value.
      const decides = (side: PyNode, other: PyNode): boolean =>
        op === '*' && unparen(side).type === 'integer' ? isParam(m, fn, other) : singleValue(m, fn, side, depth + 1);
      if (op === '+' || op === '*') return decides(left, right) || decides(right, left);
      return false;
    }
    case 'conditional_expression': {
      const items = namedChildren(n);
      return items.length === 3 && singleValue(m, fn, items[0], depth + 1) && singleValue(m, fn, items[2], depth + 1);
    }
    case 'call': {
      const c = m.call(n);
      if (!c) return false;
      if (c.qname && !c.calleeCall) {
        const mod = SINGLE_ARRAY_MODULES.find((p) => c.qname!.startsWith(p));
        const last = c.qname.slice(c.qname.lastIndexOf('.') + 1);
        return mod !== undefined && SINGLE_ARRAY_FUNCTIONS.has(last);
      }
      const callee = field(n, 'function');
      if (callee?.type === 'attribute' && !c.qname) {
        const attr = field(callee, 'attribute');
        return attr !== null && SINGLE_ARRAY_METHODS.has(m.textOf(attr));
      }
      return false;
    }
    case 'identifier': {
      if (!m.isUse(n)) return false;
      const reach = m.reachingBindings(n);
      if (reach.length === 0) return false;
      for (const b of reach) {
        if (b.scope !== fn.scope || b.path.length > 0 || !b.value) return false;
        if (b.kind === 'augassign') continue; // `loss += ...` keeps the kind of the value it starts from
        if (b.kind !== 'assign' && b.kind !== 'walrus') return false;
        if (!singleValue(m, fn, b.value, depth + 1)) return false;
      }
      return reach.some((b) => b.kind !== 'augassign');
    }
    default:
      return false;
  }
}

/** A plain use of one of `fn`'s own parameters, not rebound in its body. */
function isParam(m: SemanticModel, fn: FunctionInfo, expr: PyNode): boolean {
  const n = unparen(expr);
  if (n.type !== 'identifier' || !m.isUse(n)) return false;
  const reach = m.reachingBindings(n);
  return reach.length > 0 && reach.every((b) => fn.params.includes(b));
}

/** Why a returned expression is not an `(output, aux)` pair, or null when it may be one. */
function notAPair(m: SemanticModel, fn: FunctionInfo, expr: PyNode): string | null {
  const n = unparen(expr);
  if (n.type === 'tuple' || n.type === 'list' || n.type === 'expression_list') {
    const items = namedChildren(n);
    if (items.some((i) => i.type === 'list_splat' || i.type === 'parenthesized_list_splat')) return null;
    return items.length === 2 ? null : `a ${n.type === 'list' ? 'list' : 'tuple'} of ${items.length} value${items.length === 1 ? '' : 's'}`;
  }
  return singleValue(m, fn, n) ? 'one value' : null;
}

/** `has_aux=True` given to the transform call, or null when absent, false or not a literal. */
function hasAuxTrue(m: SemanticModel, c: CallInfo): PyNode | null {
  if (c.hasKwargs) return null;
  const aux = c.keywords.get('has_aux');
  return aux && m.literalBool(aux) === true ? aux : null;
}

/** `@partial(jax.grad, has_aux=True)` on a `def`: the transform call's name and the keyword. */
function decoratorSites(m: SemanticModel): { site: PyNode; name: string; aux: PyNode; fn: FunctionInfo }[] {
  const out: { site: PyNode; name: string; aux: PyNode; fn: FunctionInfo }[] = [];
  for (const c of m.calls) {
    if (c.qname !== 'functools.partial' || c.calleeCall) continue;
    const target = c.positional[0];
    const dec = c.node.parent;
    if (!target || !dec || dec.type !== 'decorator') continue;
    const tq = m.call(c.node)?.qname === 'functools.partial' ? qnameOf(m, target) : null;
    if (!tq || !JAX_HAS_AUX_TRANSFORMS.has(tq)) continue;
    const aux = hasAuxTrue(m, c);
    const decorated = dec.parent;
    const def = decorated?.type === 'decorated_definition' ? field(decorated, 'definition') : null;
    const fn = def ? m.functionOf(def) : undefined;
    if (!aux || !fn) continue;
    out.push({ site: c.node, name: m.textOf(target), aux, fn });
  }
  return out;
}

/** The qualified name an expression such as `jax.grad` refers to, through the file's imports. */
function qnameOf(m: SemanticModel, expr: PyNode): string | null {
  return m.qualifiedName(unparen(expr));
}

function report(ctx: RuleContext, site: PyNode, name: string, aux: PyNode, fn: FunctionInfo): void {
  const m = ctx.model;
  if (fn.returns.length === 0) return;
  const whys: string[] = [];
  for (const r of fn.returns) {
    const why = notAPair(m, fn, r);
    if (!why) return;
    whys.push(why);
  }
  const fname = fn.name === '<lambda>' ? 'the lambda' : `\`${fn.name}\``;
  ctx.report({
    node: site,
    message:
      `\`${name}(..., has_aux=True)\` needs a function that returns an \`(output, aux)\` pair, but ${fname} returns ${whys[0]} ` +
      `(\`${ctx.text(fn.returns[0])}\`). JAX raises a TypeError ("expected function with aux output to return a two-element tuple") ` +
      'when the transformed function is called. Drop `has_aux=True`, or return `(loss, aux)` with the auxiliary data you want back.',
    related: [
      { node: fn.returns[0], message: 'what it returns' },
      { node: aux, message: 'has_aux=True' },
    ],
  });
}

export const AGL049: Rule = {
  meta: {
    code: 'AGL049',
    name: 'jax-has-aux-not-pair',
    summary: '`jax.grad(f, has_aux=True)` (or `value_and_grad`, `jacrev`, `vjp`, ...) of a function that visibly does not return an `(output, aux)` pair.',
    framework: 'jax',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `jax.grad`, `jax.value_and_grad`, `jax.jacfwd`/`jacrev`/`jacobian`/`hessian`, `jax.vjp`/`jvp` (and Equinox\'s ' +
        '`filter_grad`/`filter_value_and_grad`/..., Flax NNX\'s `grad`/`value_and_grad`) called with `has_aux=True`, directly ' +
        'or as a decorator `@partial(jax.value_and_grad, has_aux=True)`, on a `def` or lambda of this file that on every ' +
        'return path visibly returns something other than a pair: one value (an arithmetic expression such as `2 * x` or ' +
        '`(y - t) ** 2`, a number, a reduction or loss such as `jnp.mean(...)`, `optax.l2_loss(...)`, `x.sum()`, or a local ' +
        'name bound only to such values), or a tuple or list of another length (`return loss, logits, state`).',
      whyIsThisBad:
        'With `has_aux=True`, JAX unpacks the function\'s result as `(output, aux)`: it differentiates the first item and ' +
        'hands the second back untouched. A result that is not a two-element tuple or list raises a TypeError when the ' +
        'transformed function is called (jax issue 1105: `grad(f, has_aux=True)` of `2 * x`). Often `has_aux=True` was ' +
        'copied from another loss function that returned metrics, or the function was changed to return more than one ' +
        'auxiliary value.',
      example: [
        '```python',
        'def loss_fn(params, x, y):',
        '    return jnp.mean((predict(params, x) - y) ** 2)',
        '',
        '(loss, aux), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, x, y)  # TypeError',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'loss, grads = jax.value_and_grad(loss_fn)(params, x, y)',
        '',
        '# or, to get auxiliary data back, return it as the second item of a pair',
        'def loss_fn(params, x, y):',
        '    pred = predict(params, x)',
        '    return jnp.mean((pred - y) ** 2), pred',
        '```',
      ].join('\n'),
      knownProblems:
        'Checked against the JAX documentation, not run (JAX is not installed where this linter is tested). Only functions ' +
        'of this file are judged, and only when every return is visibly not a pair; a return of a name bound elsewhere, of a ' +
        'call of another function, or of a subscript is taken as possibly a pair. `has_aux` given as a variable is not read.',
      fixSafety: 'No fix: whether to drop `has_aux=True` or to return auxiliary data depends on how the result is used.',
      references: [
        '[jax.grad](https://docs.jax.dev/en/latest/_autosummary/jax.grad.html)',
        '[jax.value_and_grad](https://docs.jax.dev/en/latest/_autosummary/jax.value_and_grad.html)',
        '[jax-ml/jax#1105: Improve error message when use has_aux=True](https://github.com/jax-ml/jax/issues/1105)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    for (const call of m.calls) {
      if (!call.qname || call.calleeCall || !JAX_HAS_AUX_TRANSFORMS.has(call.qname)) continue;
      const aux = hasAuxTrue(m, call);
      const funArg = call.keywords.get('fun') ?? call.keywords.get('f') ?? call.positional[0];
      if (!aux || !funArg) continue;
      const fn = resolveFunction(m, funArg);
      if (!fn) continue;
      report(ctx, call.node, ctx.text(field(call.node, 'function') ?? call.node), aux, fn);
    }
    for (const d of decoratorSites(m)) report(ctx, d.site, d.name, d.aux, d.fn);
  },
};
