/**
 * AGL022 squared-norm-at-zero: `jnp.linalg.norm(x) ** 2` (or `tf.norm(x) ** 2`) in code that JAX or
 * TensorFlow differentiates. The norm's derivative `x / ‖x‖` is 0/0 at `x = 0`, so the gradient of the
 * squared norm is NaN there, although the squared norm itself is smooth: `sum(x ** 2)` has gradient `2x`.
 */
import type { Rule } from '../rule';
import { field, unparen, type PyNode } from '../tree';

const NORMS = new Set(['jax.numpy.linalg.norm', 'tensorflow.norm', 'tensorflow.linalg.norm', 'tensorflow.math.l2_normalize']);
const SQUARES = new Set(['jax.numpy.square', 'tensorflow.square', 'tensorflow.math.square']);

export const AGL022: Rule = {
  meta: {
    code: 'AGL022',
    name: 'squared-norm-at-zero',
    summary: '`norm(x) ** 2` differentiated in JAX or TensorFlow: the gradient is NaN at x = 0; `sum(x ** 2)` is not.',
    framework: 'jax',
    defaultSeverity: 'warning',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds `jnp.linalg.norm(x) ** 2`, `tf.norm(x) ** 2` and `jnp.square(jnp.linalg.norm(x))` in a file where JAX or ' +
        'TensorFlow differentiates (`jax.grad`, `jacfwd`, `tape.gradient`, ...).',
      whyIsThisBad:
        'The squared norm is smooth, but computed through the norm its derivative is `2‖x‖ · x/‖x‖`, and at `x = 0` that is ' +
        '`0 · 0/0 = NaN` in JAX and TensorFlow (PyTorch defines the norm\'s subgradient at 0 as 0, these two do not). One ' +
        'zero vector in a batch — a particle on top of another, a zero residual, a padded row — turns the whole gradient into ' +
        'NaN.',
      example: ['```python', 'loss = lambda x: jnp.linalg.norm(x) ** 2', 'jax.grad(loss)(jnp.zeros(3))   # [nan nan nan]', '```'].join('\n'),
      useInstead: ['```python', 'loss = lambda x: jnp.sum(x ** 2)', 'jax.grad(loss)(jnp.zeros(3))   # [0. 0. 0.]', '```'].join('\n'),
      knownProblems:
        'A norm that is then squared is flagged whenever the file differentiates, even if its argument can never be zero; ' +
        'use `# noqa: AGL022` then. A plain `norm(x)` (not squared) also has a NaN gradient at 0 in JAX but is not flagged: ' +
        'it has no smooth replacement, and whether zero can occur is not visible.',
      fixSafety:
        'The fix writes `jnp.sum(x ** 2)` (`tf.reduce_sum(x ** 2)`), the same value for the default (2 or Frobenius) norm, ' +
        'with a gradient defined at zero. It is marked unsafe because it is not run here (JAX and TensorFlow cannot be ' +
        'installed where this project is tested) and rounding differs in the last bits.',
      references: ['[jax.numpy.linalg.norm](https://docs.jax.dev/en/latest/_autosummary/jax.numpy.linalg.norm.html)'],
    },
  },

  check(ctx) {
    const m = ctx.model;
    if (!ctx.analysis.events.derivatives.some((d) => d.spec.framework === 'jax' || d.spec.framework === 'tensorflow')) return;
    for (const c of m.calls) {
      if (!c.qname || !NORMS.has(c.qname)) continue;
      const p = c.node.parent;
      let squared: PyNode | null = null;
      if (p && p.type === 'binary_operator' && field(p, 'left') === c.node && /^\s*2(?:\.0*)?\s*$/.test(ctx.text(field(p, 'right') ?? p))) {
        const op = p.children.find((x) => x.field === 'operator');
        if (op && ctx.text(op) === '**') squared = p;
      }
      const args = p?.type === 'argument_list' ? p : null;
      const outer = args?.parent?.type === 'call' ? m.call(args.parent) : undefined;
      if (outer?.qname && SQUARES.has(outer.qname) && outer.positional[0] === c.node) squared = outer.node;
      if (!squared) continue;
      const arg = c.positional[0];
      const plain = arg && c.positional.length === 1 && c.keywords.size === 0;
      const jax = c.qname.startsWith('jax.');
      const alias = jax ? (m.moduleAlias('jax.numpy') ?? 'jnp') : (m.moduleAlias('tensorflow') ?? 'tf');
      const sum = jax ? `${alias}.sum` : `${alias}.reduce_sum`;
      const argText = arg ? ctx.text(unparen(arg)) : 'x';
      const wrapped = arg && ['identifier', 'attribute', 'subscript', 'call', 'parenthesized_expression'].includes(unparen(arg).type) ? argText : `(${argText})`;
      ctx.report({
        node: squared,
        message:
          `\`${ctx.text(squared).replace(/\s+/g, ' ')}\` squares a norm: its ${jax ? 'JAX' : 'TensorFlow'} gradient is NaN where the vector is zero ` +
          `(the norm's derivative is 0/0 there). Write \`${sum}(${wrapped} ** 2)\`, which has the same value and gradient 2x.`,
        fixes: plain ? [{ title: `Write ${sum}(${wrapped} ** 2)`, safe: false, edits: [ctx.replace(squared, `${sum}(${wrapped} ** 2)`)] }] : [],
      });
    }
  },
};
