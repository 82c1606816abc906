/**
 * AGL016 jax-vmap-of-call: `jax.vmap(f(x))` (or `jax.grad(f(x))`, `jacfwd`, `jit`, ...) passes the
 * result of calling `f` — an array — where a function is expected; `jax.vmap(f)(x)` was meant.
 * Checked against JAX's documentation, not run.
 */
import type { Rule, RuleContext } from '../rule';
import type { CallInfo } from '../semantic';
import { appliesTransform, gradientConsumer, isArrayLibraryName, isCallOfCall, isArrayValue, JAX_TRANSFORMS, resolveFunction } from '../jax';
import type { FunctionInfo, SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';
import type { Fix } from '../types';

/** Why the inner call's value is visibly not a function, or null when it may be one (a factory, `partial`). */
function notAFunction(ctx: RuleContext, inner: CallInfo): string | null {
  const m = ctx.model;
  if (appliesTransform(m, inner)) return `\`${ctx.text(field(inner.node, 'function')!)}\` applied to arguments returns its value (an array)`;
  if (isArrayLibraryName(inner.qname) && !isCallOfCall(inner)) return `\`${ctx.text(field(inner.node, 'function')!)}(...)\` returns an array`;
  const fn = inner.local;
  if (fn && fn.returns.length > 0 && fn.returns.every((r) => isArrayValue(m, fn, r))) {
    return `\`${fn.name}\` returns an array (\`${ctx.text(fn.returns[0])}\`), not a function`;
  }
  return null;
}

/** Library modules whose calls may return functions (`functools.partial`, a transform, a Flax/Equinox constructor). */
const FUNCTION_LIBRARIES = /^(?:functools|jax|flax|optax|equinox|haiku|objax|chex|diffrax|numpyro|tensorflow|torch)\./;

/**
 * Why a call of a function defined elsewhere (it may be a factory) visibly was meant as the function: the
 * transform's result is never called but used as a value (see `resultUsedAsValue`). Null otherwise.
 */
function calledForItsValue(ctx: RuleContext, outer: CallInfo, inner: CallInfo): { why: string; at: PyNode } | null {
  const fn = inner.local;
  if ((fn && returnsFunction(ctx.model, fn)) || (!fn && inner.qname !== null && FUNCTION_LIBRARIES.test(inner.qname)) || isCallOfCall(inner)) return null;
  const use = resultUsedAsValue(ctx.model, outer);
  if (!use) return null;
  return { why: `${use.how}, as if the transform had computed a value`, at: use.node };
}

/**
 * Whether a function of this file visibly returns a function (it is a factory): some return is a lambda, a function
 * defined in this file, or a call of a JAX transform or `functools.partial`.
 */
function returnsFunction(m: SemanticModel, fn: FunctionInfo): boolean {
  return fn.returns.some((r) => {
    const v = unparen(r);
    if (v.type === 'lambda' || resolveFunction(m, v)) return true;
    const c = v.type === 'call' ? m.call(v) : undefined;
    return !!c && c.qname !== null && (JAX_TRANSFORMS.has(c.qname) || c.qname === 'functools.partial');
  });
}

const UNPACK_TARGETS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern']);

/** `node` with the parentheses around it: the outermost `( ... )` that is only this expression. */
function outerParens(node: PyNode): PyNode {
  let n = node;
  while (n.parent && n.parent.type === 'parenthesized_expression') n = n.parent;
  return n;
}

/**
 * How an expression is used as a value that no function can be: unpacked, indexed, iterated, an arithmetic operand,
 * or given where a gradient tree is taken (`optimizer.update(grads, state)`, `optax.apply_updates`, a tree of
 * `jax.tree_util.tree_map(f, params, grads)`, `state.apply_gradients(grads=...)`). Null for any other use.
 */
function valueUse(m: SemanticModel, expr: PyNode): string | null {
  const n = outerParens(expr);
  const p = n.parent;
  if (!p) return null;
  if (p.type === 'assignment' && field(p, 'right') === n && UNPACK_TARGETS.has(field(p, 'left')?.type ?? '')) return 'unpacked';
  if (p.type === 'for_statement' && field(p, 'right') === n) return 'iterated over';
  if (p.type === 'subscript' && field(p, 'value') === n) return 'indexed';
  if (p.type === 'binary_operator' || p.type === 'unary_operator') return 'used in arithmetic';
  const kw = p.type === 'keyword_argument' ? p : null;
  const list = kw ? kw.parent : p;
  if (!list || list.type !== 'argument_list' || !list.parent || list.parent.type !== 'call') return null;
  const c = m.call(list.parent);
  if (!c) return null;
  const callee = m.textOf(field(c.node, 'function') ?? c.node);
  const g = gradientConsumer(c);
  if (!g) return null;
  if (kw) {
    const name = m.textOf(field(kw, 'name') ?? kw);
    return g.grads && g.grads.keyword === name ? `given to \`${callee}(${name}=...)\` as a gradient tree` : null;
  }
  const i = c.positional.indexOf(n);
  if (i < 0) return null;
  const t = g.trees;
  if (t.first === -1 || (t.rest ? i >= t.first : i === t.first)) return `given to \`${callee}\` as a gradient tree`;
  return null;
}

/**
 * Where the transform's result (a function) is visibly used as a value and never called: the statement discards it,
 * it is unpacked (`loss, grads = jax.value_and_grad(loss_fn(params))`), or the name it is bound to is only used as
 * values (every use: see `valueUse`). Null when it is called, passed on, returned, or used in any other way.
 */
function resultUsedAsValue(m: SemanticModel, outer: CallInfo): { node: PyNode; how: string } | null {
  const n = outerParens(outer.node);
  const p = n.parent;
  if (!p) return null;
  if (p.type === 'expression_statement' && namedChildren(p).length === 1) return { node: n, how: 'its result is discarded, never called' };
  const direct = valueUse(m, n);
  if (direct) return { node: n, how: `its result is ${direct}` };
  if (p.type !== 'assignment' || field(p, 'right') !== n || field(p, 'type')) return null;
  const left = field(p, 'left');
  if (!left || left.type !== 'identifier') return null;
  const b = m.bindingsOf(m.textOf(left), m.scopeAt(left)).find((x) => x.target === left);
  if (!b) return null;
  const uses = m.usesOf(b);
  if (uses.length === 0) return null;
  let first: { node: PyNode; how: string } | null = null;
  for (const u of uses) {
    // Another binding also reaches this use (a branch or loop rebinds the name): what it holds there is not only this.
    if (m.reachingBindings(u).length !== 1) return null;
    const how = valueUse(m, u);
    if (!how) return null;
    first ??= { node: u, how: `\`${b.name}\`, its result, is ${how}` };
  }
  return first;
}

function fixFor(ctx: RuleContext, outer: CallInfo, inner: CallInfo): Fix | null {
  if (inner.hasStarArgs || inner.hasKwargs || inner.keywords.size > 0 || inner.positional.length === 0) return null;
  // `vmap(f(a, b))(c)`: already applied to something; which arguments were meant is not visible.
  const p = outer.node.parent;
  if (p && p.type === 'call' && field(p, 'function') === outer.node) return null;
  const fnNode = field(inner.node, 'function');
  const args = field(inner.node, 'arguments');
  if (!fnNode || !args || args.type !== 'argument_list') return null;
  const argText = namedChildren(args).map((a) => ctx.text(a)).join(', ');
  const fnText = ctx.text(fnNode);
  const outerFn = ctx.text(field(outer.node, 'function') ?? outer.node);
  const one = inner.positional.length === 1;
  return {
    title: one
      ? `Apply the transform to the function: \`${outerFn}(${fnText})(${argText})\``
      : `Apply the transform to the function: \`${outerFn}(${fnText})(${argText})\` (unsafe: ${outerFn} now maps/differentiates over every argument; set in_axes/argnums)`,
    safe: one,
    edits: [ctx.replace(inner.node, fnText), ctx.insertAt(outer.node.end, `(${argText})`)],
  };
}

export const AGL016: Rule = {
  meta: {
    code: 'AGL016',
    name: 'jax-vmap-of-call',
    summary: '`jax.vmap(f(x))` transforms the result of a call instead of the function: write `jax.vmap(f)(x)`.',
    framework: 'jax',
    defaultSeverity: 'error',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds `jax.vmap`, `jax.pmap`, `jax.grad`, `jax.value_and_grad`, `jax.jacfwd`, `jax.jacrev`, `jax.hessian`, `jax.jit` ' +
        'and `jax.checkpoint` whose function argument is a call that visibly returns an array: a `jnp.*`/`jax.nn.*`/`jax.lax.*` ' +
        'call, an already applied transform (`jax.grad(u)(params, x)`), or a function of this file whose every return is ' +
        'an array expression. A call of a function defined elsewhere (it may be a factory that returns the function) is ' +
        'flagged only when the transform\'s result is then used as a value and never called: unpacked (`loss, grads = ' +
        'jax.value_and_grad(loss_fn(params))`), discarded, indexed, or handed where a gradient tree is taken ' +
        '(`optimizer.update(grads, ...)`, `optax.apply_updates`, the trees of `jax.tree_util.tree_map`, ' +
        '`state.apply_gradients(grads=...)`): a function is wrong there whatever the call returns.',
      whyIsThisBad:
        'JAX transforms take a function and return a function. `jax.vmap(f(x))` first evaluates `f(x)` on the whole batch ' +
        'and hands the array to `vmap`, which raises `TypeError: Expected a callable value` (or, for `jax.grad`, ' +
        '"Expected a callable value, got Array"). The intended code maps the function: `jax.vmap(f)(x)`.',
      example: [
        '```python',
        'values = jax.vmap(u(params, xs))(xs)',
        'slopes = jax.vmap(jax.grad(u)(x))',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'values = jax.vmap(u, in_axes=(None, 0))(params, xs)',
        'slopes = jax.vmap(jax.grad(u))(x)',
        '```',
      ].join('\n'),
      knownProblems:
        'Checked against the JAX documentation, not run (JAX is not installed where this linter is tested). Calls that ' +
        'return functions are fine and not flagged: `jax.vmap(jax.grad(f))`, `functools.partial(f, a)`, a local factory that ' +
        'returns a nested function or a lambda. A call of a function defined elsewhere (or of one whose returns are not ' +
        'visible arrays) is judged only by what is done with the transform\'s result: when it is called, passed on or ' +
        'returned (`grad_fn = jax.grad(make_loss(cfg)); grad_fn(params)`), nothing is said. When it is used as a value, ' +
        'the code is wrong either way, but the diagnosis (a value given instead of the function) is the likely reading, ' +
        'not a proof: a factory whose result was meant to be called is the other one.',
      fixSafety:
        '`vmap(f(x))` → `vmap(f)(x)` is safe when the inner call has exactly one positional argument and no keywords: the ' +
        'transform is applied to `f` over that argument, which is what the code meant. With several arguments the rewrite ' +
        '`vmap(f)(a, b)` maps (or differentiates) over every argument, which is often not what is wanted (`in_axes`, ' +
        '`argnums`): that fix is unsafe. The fix is also unsafe when the callee is defined elsewhere (it may be a factory).',
      references: [
        '[jax.vmap](https://docs.jax.dev/en/latest/_autosummary/jax.vmap.html)',
        '[jax.grad](https://docs.jax.dev/en/latest/_autosummary/jax.grad.html)',
        '[Automatic vectorization](https://docs.jax.dev/en/latest/automatic-vectorization.html)',
        '[optax: GradientTransformation.update](https://optax.readthedocs.io/en/latest/api/transformations.html)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    for (const outer of m.calls) {
      if (!outer.qname || !JAX_TRANSFORMS.has(outer.qname) || isCallOfCall(outer)) continue;
      const arg = outer.keywords.get('fun') ?? outer.positional[0];
      if (!arg) continue;
      const a: PyNode = unparen(arg);
      if (a.type !== 'call') continue;
      const inner = m.call(a);
      if (!inner) continue;
      const used = notAFunction(ctx, inner) === null ? calledForItsValue(ctx, outer, inner) : null;
      const why = notAFunction(ctx, inner) ?? used?.why;
      if (!why) continue;
      const outerName = ctx.text(field(outer.node, 'function') ?? outer.node);
      const fnText = ctx.text(field(a, 'function') ?? a);
      const fix0 = fixFor(ctx, outer, inner);
      // The callee is defined elsewhere: that it computes the value (and is not a factory) is the likely reading, not a proof.
      const fix = fix0 && used ? { ...fix0, safe: false, title: fix0.title.replace(/^Apply/, 'Apply (unsafe: check that the callee is not a factory)') } : fix0;
      ctx.report({
        node: outer.node,
        message: used
          ? `\`${outerName}\` expects a function, but it is given \`${ctx.text(a)}\`, the value of a call: ${why}. ` +
            `If \`${fnText}\` computes the value to differentiate/map, JAX raises "Expected a callable value"; transform the function ` +
            `and then call it: \`${outerName}(${fnText})(...)\`.`
          : `\`${outerName}\` expects a function, but it is given \`${ctx.text(a)}\`: ${why}, and JAX raises "Expected a callable value". ` +
            `Transform the function and then call it: \`${outerName}(${fnText})(...)\`.`,
        related: used
          ? [{ node: a, message: 'this call is evaluated first and its value is given to the transform' }, { node: used.at, message: 'the transform builds a function, but here it is used as a value' }]
          : [{ node: a, message: 'this call is evaluated first; its result is not a function' }],
        fixes: fix ? [fix] : [],
      });
    }
  },
};
