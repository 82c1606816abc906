/**
 * AGL108 python-math-on-tensor: Python's `math` module applied to a tensor on a differentiated path
 * (`math.pow(x, 2)`, `math.exp(t)`, `math.sqrt(v)`). `math` converts its argument to a Python float: the
 * result is a constant to PyTorch's autograd and to a TensorFlow tape, and under a JAX transform the conversion
 * of a tracer raises. The question to the analysis: does a derivative's output (or a backward's target) carry a
 * cut made by a `math.*` call whose origin is something the derivative is taken with respect to, while that
 * origin still reaches the output by another path (the derivative is then silently wrong, not None)? A value
 * that reaches the output *only* through the cut is AGL002's (None gradient), except in JAX, where AGL002 does
 * not name `math` and the conversion raises either way.
 */
import { type AV, type TensorFacts } from '../analysis';
import { tensorOfValue } from '../analysis/library';
import type { Rule, RuleContext } from '../rule';
import { field, type PyNode } from '../tree';

/** The differentiated sources of a derivative: leaves it is taken against, and Variables (their site). */
function originsOf(v: AV): number[] {
  const out: number[] = [];
  const go = (x: AV): void => {
    if (x.items) x.items.forEach(go);
    else if (x.elem && !x.t) go(x.elem);
    else if (x.t) {
      if (x.t.leafOf !== null) out.push(x.t.leafOf);
      else if (x.t.variable) out.push(...x.t.params);
    }
  };
  go(v);
  return out;
}

function liveOf(t: TensorFacts): Set<number> {
  return new Set([...t.leaves, ...t.params, ...t.mayLeaf, ...(t.leafOf !== null ? [t.leafOf] : [])]);
}

/** `math.f(...)` at `node`: the function's name (`pow`), else null. */
function mathFunction(ctx: RuleContext, node: PyNode | undefined): string | null {
  if (!node || node.type !== 'call') return null;
  const q = ctx.model.call(node)?.qname ?? '';
  return q.startsWith('math.') ? q.slice(5) : null;
}

const REPLACEMENT: Record<'pytorch' | 'tensorflow' | 'jax', string> = {
  pytorch: '`torch.*` (`torch.exp(t)`, `t ** 2`, `torch.sqrt(t)`)',
  tensorflow: '`tf.math.*` (`tf.pow(x, 2)`, `tf.exp(t)`, `tf.sqrt(v)`)',
  jax: '`jnp.*` (`jnp.exp(t)`, `jnp.sin(t)`)',
};

export const AGL108: Rule = {
  meta: {
    code: 'AGL108',
    name: 'python-math-on-tensor',
    summary: 'Python\'s `math` function applied to a tensor on a differentiated path: the result is a Python float, a constant to autograd or the tape (the derivative silently misses that term), and an error under a JAX transform.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a call of Python\'s `math` module (`math.pow`, `math.exp`, `math.sqrt`, `math.sin`, ...) whose argument depends on ' +
        'a value being differentiated (a tensor that requires grad, a watched `tf.Variable`, a model\'s weights, the argument of ' +
        'a `jax.grad`), when the result reaches what is differentiated: the output of `torch.autograd.grad`, the target of ' +
        '`.backward()`, of `tape.gradient` or of `tfe.gradients_function`, the function given to a JAX transform.',
      whyIsThisBad:
        '`math` functions work on Python floats: they call `float()` on a one-element tensor and return a float, which carries ' +
        'no history. In PyTorch and in TensorFlow\'s eager mode the factor it computes enters the derivative as a constant, so ' +
        'when the differentiated value also reaches the output by another path the derivative is silently wrong: only the ' +
        'terms that do not go through `math` are differentiated (tensorflow issue 20116: `64*x*(1-x)*math.pow(1-2*x, 2)` gave ' +
        '-19208000 instead of -75290405, "If I change math.pow function ... TensorFlow eager execution will give the right ' +
        'answer"). Inside `tf.function` or Keras graph mode the conversion of a symbolic tensor raises a TypeError, and under ' +
        '`jax.grad`/`jit` the conversion of a tracer raises (JAX makes `float` of a tracer an error rather than a silent ' +
        'stop-gradient: jax-ml/jax#2602). When the differentiated value reaches the output only through `math`, AGL002 reports ' +
        'the cut (PyTorch, TensorFlow).',
      example: [
        '```python',
        'import math',
        'import tensorflow as tf',
        '',
        'x = tf.Variable(3.0)',
        'with tf.GradientTape() as tape:',
        '    y = 64 * x * (1 - x) * math.pow(1 - 2 * x, 2)   # the squared factor is a constant',
        'dy_dx = tape.gradient(y, x)                          # silently wrong',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'x = tf.Variable(3.0)',
        'with tf.GradientTape() as tape:',
        '    y = 64 * x * (1 - x) * tf.pow(1 - 2 * x, 2)',
        'dy_dx = tape.gradient(y, x)',
        '```',
        '',
        'In PyTorch use `torch.exp(t)`, `t ** 2`, `torch.sqrt(t)`; in JAX `jnp.exp`, `jnp.sin`.',
      ].join('\n'),
      knownProblems:
        'The argument must be seen to depend on the differentiated value, and the result seen to reach the differentiated ' +
        'output: a fragment that differentiates nothing in view (a loss function whose `tape.gradient` or `backward()` is in ' +
        'another file) is not reported. A `math` call on a differentiated value that reaches the output only through it, where ' +
        'the coefficient is meant as a constant (`math.exp(log_alpha)` as an entropy weight in another network\'s loss), is not ' +
        'reported, nor anything that reaches the output only through the cut in PyTorch and TensorFlow (AGL002\'s). A fragment ' +
        'whose differentiated value is defined out of view (`tape.gradient(loss, [w])` with `w` bound nowhere in the file) is ' +
        'not reported: nothing shows that `w` is a tensor the tape records.',
      fixSafety: 'No fix is offered: the replacement (`torch`, `tf.math` or `jnp`) depends on the framework and on whether the value was meant as a constant.',
      references: [
        'https://github.com/tensorflow/tensorflow/issues/20116',
        'https://github.com/jax-ml/jax/issues/2602',
        'https://docs.python.org/3/library/math.html',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    if (!m.calls.some((c) => c.qname?.startsWith('math.'))) return;
    const a = ctx.analysis;
    const reported = new Set<number>();
    const report = (site: number, fn: string, at: PyNode, label: string, framework: 'pytorch' | 'tensorflow' | 'jax'): void => {
      const node = ctx.tree.nodes[site];
      if (!node || reported.has(site)) return;
      reported.add(site);
      const line = ctx.lineOf(at);
      const callee = field(node, 'function');
      const name = `\`${callee ? ctx.text(callee) : `math.${fn}`}\``;
      const message =
        framework === 'jax'
          ? `${name} converts the traced value to a Python float on the way to the output of ${label} (line ${line}): under the ` +
            'transform the value is a tracer, and JAX raises (a TypeError or ConcretizationTypeError) rather than drop the ' +
            `derivative. Use ${REPLACEMENT.jax}.`
          : `${name} turns the tensor into a Python float, a constant to ${framework === 'tensorflow' ? 'the tape' : 'autograd'}: ` +
            `${label} (line ${line}) differentiates only the terms that do not go through it, so the derivative is silently wrong ` +
            `(no error)${framework === 'tensorflow' ? ', and inside `tf.function` the conversion raises' : ''}. Use ${REPLACEMENT[framework]}.`;
      ctx.report({ node, message, related: [{ node: at, message: 'the derivative is taken here' }] });
    };
    for (const d of a.events.derivatives) {
      const fw = d.spec.framework;
      if (fw !== 'jax' && !d.spec.outputs && fw !== 'tensorflow') continue;
      const out = tensorOfValue(d.output);
      if (out.cuts.length === 0) continue;
      const live = liveOf(out);
      const sources = originsOf(d.inputs);
      // A functional derivative (`jax.grad(f)(x)`, `tfe.gradients_function(f)(x)`) makes its argument a leaf of its own: the call.
      if (d.func) sources.push(d.node.id);
      // `tape.gradient(loss, model.trainable_variables)` with the weights not visible one by one: the weights the loss uses.
      const against = new Set(sources.length > 0 ? sources : fw === 'tensorflow' ? out.params : []);
      const label = fw === 'pytorch' ? `\`${d.api.replace(/^torch\./, 'torch.')}\`` : `\`${ctx.text(field(d.node, 'function') ?? d.node)}\``;
      for (const c of [...out.cuts].sort((x, y) => x.site - y.site)) {
        if (!against.has(c.origin)) continue;
        // Reaching the output only through the cut: AGL002's None gradient (PyTorch, TensorFlow).
        if (fw !== 'jax' && !live.has(c.origin)) continue;
        const fn = mathFunction(ctx, ctx.tree.nodes[c.site]);
        if (fn) report(c.site, fn, d.node, label, fw);
      }
    }
    for (const b of a.events.backwards) {
      const t = tensorOfValue(b.target);
      if (t.cuts.length === 0) continue;
      const live = liveOf(t);
      for (const c of [...t.cuts].sort((x, y) => x.site - y.site)) {
        if (!live.has(c.origin)) continue;
        const fn = mathFunction(ctx, ctx.tree.nodes[c.site]);
        if (fn) report(c.site, fn, b.node, '`.backward()`', 'pytorch');
      }
    }
  },
};
