/**
 * AGL062 jax-custom-vjp-rule-structure: the rules given to a `jax.custom_vjp` function `f` by `f.defvjp(fwd, bwd)`
 * return something of the wrong structure. JAX checks it when `f` is differentiated and raises:
 * - `bwd` must return a tuple (or list) with one cotangent per differentiable argument of `f` (its arguments minus
 *   `nondiff_argnums`), even for one argument: `return g * x` instead of `return (g * x,)`, or a tuple of another length;
 * - each cotangent must have its argument's shape: `jnp.ones((10,))` for a scalar argument (jax-ml/jax#28757);
 * - `fwd` must return a pair `(primal_out, residuals)`, whose `primal_out` is all of `f`'s output (not an item unpacked
 *   from a call of `f`: lucidrains/flash-attention-jax#7).
 * Read from the syntax only: what a rule visibly returns (a tuple literal, an array expression, a name bound once to
 * one), the shapes the code writes (`jnp.ones((10,))`, a Python float) and `f`'s visible calls. Checked against JAX's
 * source and documentation, not run (JAX is not installed here).
 */
import { arity, customVjpOf, functionAt } from '../custom-rules';
import { visibleShape } from '../jax';
import type { Rule, RuleContext } from '../rule';
import { bindingValue, type FunctionInfo, type SemanticModel } from '../semantic';
import { field, namedChildren, rangeOf, unparen, type PyNode } from '../tree';

/** Transforms whose result calls the function on the arguments it is given, unbatched. */
const SAME_ARGUMENT_TRANSFORMS = new Set(['jax.grad', 'jax.value_and_grad', 'jax.jacrev', 'jax.jacobian', 'jax.jit', 'jax.checkpoint', 'jax.remat']);

/** Binary operators whose result on arrays is an array (`+` is left out: it concatenates tuples). */
const ARRAY_OPERATORS = /^(?:\*|\/|-|@|\*\*|\/\/)$/;

function lineOf(m: SemanticModel, n: PyNode): number {
  return rangeOf(m.tree, n).start.line + 1;
}

/** A returned expression, through one binding of a name inside the function (`ct = (g * x,)`; `return ct`). */
function resolveReturn(m: SemanticModel, fn: FunctionInfo, r: PyNode): PyNode {
  const n = unparen(r);
  if (n.type !== 'identifier' || !m.isUse(n)) return n;
  const bs = m.reachingBindings(n);
  if (bs.length !== 1 || bs[0].scope !== fn.scope || bs[0].kind !== 'assign') return n;
  const v = bindingValue(bs[0]);
  return v && v.parent?.type !== 'pattern_list' ? unparen(v) : n;
}

/** Whether a call is a call of `f` itself, by name. */
function callsF(m: SemanticModel, n: PyNode, f: FunctionInfo): boolean {
  const u = unparen(n);
  const callee = u.type === 'call' ? field(u, 'function') : null;
  return !!callee && unparen(callee).type === 'identifier' && functionAt(m, callee) === f;
}

/**
 * A forward rule's primal output that is only a part of `f`'s output: a name the rule binds by unpacking a call of `f`
 * (`out, aux = f(x)`), or an item of such a call (`f(x)[0]`). What it is and the node where `f`'s output is taken apart.
 */
function partOfOutput(m: SemanticModel, fwd: FunctionInfo, f: FunctionInfo, primal: PyNode): { what: string; node: PyNode } | null {
  const u = unparen(primal);
  if (u.type === 'subscript') {
    const base = field(u, 'value');
    const subs = u.children.filter((c) => c.field === 'subscript');
    if (base && callsF(m, base, f) && subs.length === 1 && unparen(subs[0]).type === 'integer') return { what: `item ${m.textOf(unparen(subs[0]))}`, node: u };
    return null;
  }
  if (u.type !== 'identifier' || !m.isUse(u)) return null;
  const bs = m.reachingBindings(u);
  if (bs.length !== 1 || bs[0].scope !== fwd.scope || bs[0].kind !== 'assign' || bs[0].path.length === 0 || !bs[0].value) return null;
  if (!callsF(m, bs[0].value, f)) return null;
  return { what: `item ${[...bs[0].path].reverse().join(' of item ')}`, node: bs[0].stmt };
}

/** The items of a tuple or list literal (`a, b`, `(a,)`, `[a, b]`), or null. */
function literalItems(n: PyNode): PyNode[] | null {
  return n.type === 'tuple' || n.type === 'expression_list' || n.type === 'list' ? namedChildren(n) : null;
}

/** Whether an expression is visibly one array, not a tuple: a `jnp`/`jax.numpy`/`lax` call of one array, or arithmetic on one. */
function visiblyArray(m: SemanticModel, n: PyNode, depth = 0): boolean {
  if (depth > 3) return false;
  const u = unparen(n);
  if (u.type === 'call') {
    const c = m.call(u);
    if (!c) return false;
    const q = c.qname ?? '';
    if (/^jax\.(?:numpy|nn|lax|scipy\.special)\./.test(q)) {
      const name = q.slice(q.lastIndexOf('.') + 1);
      return !/^(?:split|array_split|hsplit|vsplit|dsplit|meshgrid|unique|nonzero|where|histogram|divmod|frexp|modf|gradient|linalg|eigh|svd|qr|slogdet|scan|cond|switch|while_loop|fori_loop|map|broadcast_arrays|unravel_index|indices|tril_indices|triu_indices|diag_indices)$/.test(name) || (name === 'where' && c.positional.length === 3);
    }
    // A function of this file whose every return is one array (`return f(x)` for `def f(x): return jnp.sin(x)`).
    const callee = field(u, 'function');
    const local = callee && unparen(callee).type === 'identifier' ? functionAt(m, callee) : undefined;
    return !!local && local.returns.length > 0 && local.returns.every((r) => visiblyArray(m, resolveReturn(m, local, r), depth + 1));
  }
  if (u.type === 'binary_operator') {
    const op = u.children.find((c) => c.field === 'operator');
    const l = field(u, 'left');
    const r = field(u, 'right');
    if (!op || !l || !r || !ARRAY_OPERATORS.test(m.textOf(op))) return false;
    // `g * x` on names: both operands are values, not tuples, unless a tuple is repeated (`(None,) * n`).
    return ![l, r].some((s) => literalItems(unparen(s)) !== null);
  }
  if (u.type === 'unary_operator') {
    const a = field(u, 'argument');
    return !!a && (visiblyArray(m, a, depth + 1) || unparen(a).type === 'identifier');
  }
  return false;
}

/** The visible shape of a cotangent or primal value: a Python float literal is a scalar (shape `()`). */
function shapeOf(m: SemanticModel, n: PyNode): number[] | null {
  const u = unparen(n);
  if (u.type === 'float' || (u.type === 'unary_operator' && unparen(field(u, 'argument') ?? u).type === 'float')) return [];
  const s = visibleShape(m, u);
  return s && s.every((d) => d >= 0) ? s : null;
}

/** Arguments `f` is visibly evaluated at: `f(a, b)`, `jax.grad(f)(a, b)`, `jax.jit(f)(a)`, `jax.vjp(f, a, b)`. */
function primalCalls(m: SemanticModel, f: FunctionInfo): { args: readonly PyNode[]; node: PyNode }[] {
  const out: { args: readonly PyNode[]; node: PyNode }[] = [];
  for (const c of m.calls) {
    if (c.hasStarArgs) continue;
    const callee = field(c.node, 'function');
    if (callee && unparen(callee).type === 'identifier' && functionAt(m, callee) === f) out.push({ args: c.positional, node: c.node });
    else if (c.calleeCall && SAME_ARGUMENT_TRANSFORMS.has(c.calleeCall.qname ?? '') && functionAt(m, c.calleeCall.positional[0]) === f) out.push({ args: c.positional, node: c.node });
    else if (c.qname === 'jax.vjp' && functionAt(m, c.positional[0]) === f) out.push({ args: c.positional.slice(1), node: c.node });
  }
  return out;
}

function fmt(s: number[]): string {
  return `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;
}

export const AGL062: Rule = {
  meta: {
    code: 'AGL062',
    name: 'jax-custom-vjp-rule-structure',
    summary: 'The rules of a jax.custom_vjp function return the wrong structure: bwd a bare array or a tuple of the wrong length or shape, fwd no (output, residuals) pair.',
    framework: 'jax',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Reads the rules given to a `jax.custom_vjp` function `f` (decorated with `@jax.custom_vjp` or ' +
        '`@partial(jax.custom_vjp, nondiff_argnums=...)`, or wrapped `f = jax.custom_vjp(g)`) by `f.defvjp(fwd, bwd)`, and ' +
        'reports: a `bwd` that returns one array (a `jnp` call or arithmetic such as `g * x`, also through a name bound to ' +
        'it) instead of a tuple; a `bwd` that returns a tuple or list literal whose length is not the number of `f`\'s ' +
        'arguments less its `nondiff_argnums`; a cotangent whose shape the code writes (`jnp.ones((10,))`) while `f` is ' +
        'visibly evaluated at an argument of another shape (a Python float, `jnp.zeros((3, 2))`) there; a `fwd` that returns ' +
        'a tuple literal of other than two items or one array, not the pair `(primal_out, residuals)`; and a `fwd` whose primal ' +
        'output is only a part of `f`\'s output: a name it unpacks from a call of `f` (`out, aux = f(x)`; `return out, res`) or ' +
        'an item of one (`f(x)[0]`).',
      whyIsThisBad:
        'JAX checks the rules when `f` is differentiated and raises: "Custom VJP bwd rule must produce an output with the ' +
        'same container (pytree) structure as the args tuple of the primal function, and in particular must produce a ' +
        'tuple of length equal to the number of arguments to the primal function" (a single cotangent must still be a ' +
        'one-item tuple: jax-ml/jax#5571, "a common mistake"), "... must produce an output with the same shape/dtypes as ' +
        'the args tuple of the primal function ... so the shapes do not match" (jax-ml/jax#28757), and "Custom VJP fwd rule ' +
        '... must produce a pair (list or tuple of length two)" whose first element is the primal output and second the residuals. ' +
        'That primal output must have the type and structure of `f`\'s output: a part of it fails under differentiation with an ' +
        'internal "length mismatch" (lucidrains/flash-attention-jax#7, where mattjj: "the flash_attention_forward output needs ' +
        'to be a pair where the first element has the same type as the output of flash_attention").',
      example:
        '```python\n@jax.custom_vjp\ndef f(x):\n    return jnp.sin(x)\n\ndef f_fwd(x):\n    return f(x), jnp.cos(x)\n\n' +
        'def f_bwd(cos_x, g):\n    return cos_x * g  # one array, not a tuple\n\nf.defvjp(f_fwd, f_bwd)\n```',
      useInstead: '```python\ndef f_bwd(cos_x, g):\n    return (cos_x * g,)\n```',
      knownProblems:
        'Only what the rules visibly return is read: a name bound to a call of another function, a tuple built by code, a ' +
        'rule of another file, or a `nondiff_argnums` computed at run time are not checked. Shapes are compared only where ' +
        'both are written (a factory with literal sizes, a float literal); a call through `vmap` is not used. Flax\'s ' +
        '`nn.custom_vjp`, Equinox\'s `filter_custom_vjp` and `jax.custom_gradient` (which accepts a single cotangent) have ' +
        'other conventions and are not read. Methods are not checked.',
      fixSafety: 'No automatic fix.',
      references: [
        '[jax.custom_vjp](https://docs.jax.dev/en/latest/_autosummary/jax.custom_vjp.html)',
        '[JAX: Custom derivative rules](https://docs.jax.dev/en/latest/notebooks/Custom_derivative_rules_for_Python_code.html)',
        '[jax-ml/jax#5571: error when the bwd function does not return a tuple](https://github.com/jax-ml/jax/pull/5571)',
        '[jax-ml/jax#28757: bwd rule output of the wrong shape](https://github.com/jax-ml/jax/pull/28757)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    const seen = new Set<number>();
    for (const c of m.calls) {
      if (c.method !== 'defvjp' || !c.receiver || c.hasStarArgs || c.hasKwargs) continue;
      const cv = customVjpOf(m, c.receiver);
      if (!cv) continue;
      const { f } = cv;
      // How messages name the custom function: as the code calls it (`softplus = jax.custom_vjp(_softplus)`).
      const fName = ctx.text(c.receiver);
      const ruleName = (r: FunctionInfo, what: string): string => (r.name === '<lambda>' ? `The ${what} (a lambda)` : `The ${what} \`${r.name}\``);
      const fwd = functionAt(m, c.positional[0] ?? c.keywords.get('fwd'));
      const bwd = functionAt(m, c.positional[1] ?? c.keywords.get('bwd'));
      if (fwd && !seen.has(fwd.node.id)) {
        seen.add(fwd.node.id);
        for (const r of fwd.returns) {
          const v = resolveReturn(m, fwd, r);
          const items = literalItems(v);
          const bad = items ? items.length !== 2 : visiblyArray(m, v);
          if (!bad) {
            const part = items ? partOfOutput(m, fwd, f, items[0]) : null;
            if (!part) continue;
            ctx.report({
              node: items![0],
              message:
                `${ruleName(fwd, 'forward rule')} of the custom_vjp function \`${fName}\` returns \`${ctx.text(items![0])}\` as its primal output, ` +
                `but that is only ${part.what} of \`${fName}\`'s output (line ${lineOf(m, part.node)}): JAX requires the first item of the pair ` +
                `\`(primal_out, residuals)\` to be all of \`${fName}\`'s output, with the same structure, and fails when \`${fName}\` is ` +
                `differentiated (an internal "length mismatch" or a pytree structure error). Return the whole output: ` +
                `\`out = ${fName}(...)\`, then \`return out, residuals\`.`,
              related: [
                { node: part.node, message: `\`${fName}\`'s output is taken apart here` },
                { node: c.node, message: 'the rules are given here' },
              ],
            });
            break;
          }
          ctx.report({
            node: r,
            message:
              `${ruleName(fwd, 'forward rule')} of the custom_vjp function \`${fName}\` returns \`${ctx.text(r).replace(/\s+/g, ' ')}\`, ` +
              `${items ? `a tuple of ${items.length}` : 'one array'}, but JAX requires the pair \`(primal_out, residuals)\`: it raises ` +
              '"Custom VJP fwd rule ... must produce a pair (list or tuple of length two)" (primal output, residuals) ' +
              `when \`${fName}\` is differentiated. Return \`${fName}(...)\` together with what the backward rule needs.`,
            related: [{ node: c.node, message: 'the rules are given here' }],
          });
          break;
        }
      }
      if (!bwd || seen.has(bwd.node.id) || cv.diffArgs === null) continue;
      seen.add(bwd.node.id);
      const n = cv.diffArgs;
      const argText = `${n} differentiable argument${n === 1 ? '' : 's'}${cv.nondiff.length > 0 ? ` (its arguments less \`nondiff_argnums\`)` : ''}`;
      for (const r of bwd.returns) {
        const v = resolveReturn(m, bwd, r);
        const items = literalItems(v);
        if (!items) {
          if (!visiblyArray(m, v)) continue;
          ctx.report({
            node: r,
            message:
              `${ruleName(bwd, 'backward rule')} of the custom_vjp function \`${fName}\` returns \`${ctx.text(r).replace(/\s+/g, ' ')}\`, one ` +
              `array, but JAX requires a tuple with one cotangent for each of \`${fName}\`'s ${argText}, even for one: it raises ` +
              '"Custom VJP bwd rule must produce an output with the same container (pytree) structure as the args tuple of the ' +
              `primal function" when \`${fName}\` is differentiated. Return \`(${ctx.text(r).replace(/\s+/g, ' ')}${n === 1 ? ',' : ', ...'})\`.`,
            related: [{ node: f.node, message: `\`${fName}\` is defined here` }],
          });
          break;
        }
        if (items.length !== n) {
          ctx.report({
            node: r,
            message:
              `${ruleName(bwd, 'backward rule')} of the custom_vjp function \`${fName}\` returns ${items.length} cotangent${items.length === 1 ? '' : 's'}, ` +
              `but \`${fName}\` has ${argText}: JAX requires one per argument (\`None\` for a zero one) and raises "Custom VJP bwd rule ` +
              'must produce an output with the same container (pytree) structure as the args tuple of the primal function" when ' +
              `\`${fName}\` is differentiated.`,
            related: [{ node: f.node, message: `\`${fName}\` is defined here` }],
          });
          break;
        }
        // Shapes: a cotangent the code writes with a literal shape against the argument `f` is visibly evaluated at.
        const diffIndex = [...Array(arity(f) ?? 0).keys()].filter((i) => !cv.nondiff.includes(i));
        let reportedShape = false;
        items.forEach((item, k) => {
          if (reportedShape) return;
          const ct = shapeOf(m, item);
          if (!ct) return;
          for (const call of primalCalls(m, f)) {
            const arg = call.args[diffIndex[k]];
            const primal = arg ? shapeOf(m, arg) : null;
            if (!primal || (primal.length === ct.length && primal.every((d, i) => d === ct[i]))) continue;
            reportedShape = true;
            ctx.report({
              node: item,
              message:
                `${ruleName(bwd, 'backward rule')} returns a cotangent of shape ${fmt(ct)} for \`${fName}\`'s argument ` +
                `\`${f.params[diffIndex[k]] ? ctx.text(f.params[diffIndex[k]].target) : String(diffIndex[k])}\`, which the call on line ${lineOf(m, call.node)} ` +
                `gives shape ${fmt(primal)}: JAX requires each cotangent to have its argument's shape and dtype and raises "Custom VJP ` +
                'bwd rule must produce an output with the same shape/dtypes as the args tuple of the primal function ... so the ' +
                'shapes do not match". Build the cotangent from the residuals of that argument (`jnp.ones_like(x)`, `g * ...`).',
              related: [{ node: call.node, message: `\`${fName}\` is evaluated here` }],
            });
            return;
          }
        });
        if (reportedShape) break;
      }
    }
  },
};
