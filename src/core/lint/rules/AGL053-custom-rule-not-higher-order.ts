/**
 * AGL053 custom-rule-not-higher-order: a custom derivative rule that a second derivative does not use the way it
 * was meant. Two forms, both stated in the frameworks' documentation:
 *   - TensorFlow: a `@tf.custom_gradient` function whose gradient function is itself a nested `@tf.custom_gradient`
 *     function of the upstream gradient only (`def grad_fn(dy)`), where a derivative of a derivative is taken (in the function that calls it, or at module level).
 *     "The function grad_grad_fn will be calculating the first order gradient of grad_fn with respect to dy ... but is
 *     not the same as the second order gradient of op with respect to x" (tf.custom_gradient); tensorflow issue 34503:
 *     the second derivative is None.
 *   - JAX: a `@jax.custom_jvp` function whose JVP rule never calls the function for its primal output, differentiated
 *     twice (`jax.hessian`, `jacfwd(jacrev(f))`, `grad(grad(f))`, a derivative inside a derivative's function): "each
 *     application of a differentiation transform will use the custom JVP rule if and only if the rule calls the original
 *     f to compute the primal outputs" (JAX's custom derivatives tutorial); jax issue 28805: a wrong Hessian.
 *   - JAX: a reverse-mode derivative of a reverse-mode derivative through `diffrax.diffeqsolve` with its default adjoint,
 *     whose checkpointed loop is a reverse-mode rule for the first derivative only (diffrax's second-order example;
 *     diffrax issues 332 and 419: "Reverse-mode differentiation does not work for lax.while_loop").
 */
import type { DerivativeEvent } from '../analysis';
import { tensorOfValue } from '../analysis/library';
import { JAX_DERIVATIVES, JAX_FORWARD_MODE_TRANSFORMS, JAX_FORWARD_RULE_DECORATORS, JAX_FUNCTION_WRAPPERS, JAX_REVERSE_ONLY_DECORATORS } from '../knowledge/jax';
import { TF_CUSTOM_GRADIENT } from '../knowledge/tensorflow';
import { searchReached, type ReachVisitor } from '../jax';
import { callsFunction, decoratedWith, decoratorsOf, jvpRules, primalOutput } from '../custom-rules';
import { valueAndGrad } from '../tf-custom-gradient';
import { diffraxCheckpointAdjoint } from './AGL050-jax-forward-mode-of-custom-vjp';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';

/** The names a function returns as the second item of `return value, grad_fn`. */
function returnedGradientNames(fn: FunctionInfo): PyNode[] {
  return valueAndGrad(fn).map((p) => unparen(p.grad)).filter((g) => g.type === 'identifier');
}

/** TensorFlow: nested `@tf.custom_gradient` gradient functions of the upstream gradient only. */
function checkTensorFlow(ctx: RuleContext): void {
  const m = ctx.model;
  let secondOrder: DerivativeEvent | undefined;
  for (const outer of m.functions) {
    if (outer.name === '<lambda>' || !decoratedWith(m, outer, TF_CUSTOM_GRADIENT)) continue;
    for (const g of returnedGradientNames(outer)) {
      if (!m.isUse(g)) continue;
      const reach = m.reachingBindings(g);
      if (reach.length !== 1 || reach[0].kind !== 'def' || reach[0].scope !== outer.scope) continue;
      const stmt = reach[0].stmt;
      const def = stmt.type === 'decorated_definition' ? field(stmt, 'definition') : stmt;
      const inner = def ? m.functionOf(def) : undefined;
      if (!inner || !decoratedWith(m, inner, TF_CUSTOM_GRADIENT)) continue;
      // `def grad_fn(dy)`: its inputs are upstream gradients, not the outer function's inputs.
      const outerParams = new Set(outer.params.map((p) => p.name));
      if (inner.params.some((p) => outerParams.has(p.name))) continue;
      // Asked of the analysis only once the structure is there: a second derivative taken where `outer` is called (the
      // same function, or module level), so that the two are read together (also by the re-lint of statement groups).
      const callers = new Set(outer.callSites.map((c) => m.enclosingFunction(c.node)?.node.id ?? -1));
      if (callers.size === 0) continue;
      secondOrder = ctx.analysis.events.derivatives.find(
        (d) => d.spec.framework === 'tensorflow' && tensorOfValue(d.output).order >= 1 && callers.has(m.enclosingFunction(d.node)?.node.id ?? -1),
      );
      if (!secondOrder) continue;
      // The decorator's expression: a `decorator` node ends after its line break (`\r\n` or `\n`).
      const dec = decoratorsOf(inner).map((d) => namedChildren(d)[0]).find((e) => e !== undefined && TF_CUSTOM_GRADIENT.has(m.qualifiedName(e) ?? ''));
      ctx.report({
        node: dec ?? inner.node,
        message:
          `\`${inner.name}\`, the gradient function of the \`@tf.custom_gradient\` function \`${outer.name}\`, is itself a ` +
          `\`@tf.custom_gradient\` function of the upstream gradient only (\`${inner.name}(${inner.params.map((p) => p.name).join(', ')})\`): ` +
          `its own gradient function is the derivative with respect to that upstream gradient, not the second derivative of ` +
          `\`${outer.name}\` with respect to its input, so the second derivative taken here (line ${ctx.lineOf(secondOrder.node)}) ` +
          `does not use it (it is None or wrong). Return a plain function that calls a \`@tf.custom_gradient\` function of the ` +
          `input and the upstream gradient (\`lambda dy: grad(x, dy)\`), as the tf.custom_gradient documentation shows.`,
        related: [
          { node: outer.node, message: `\`${outer.name}\`` },
          { node: secondOrder.node, message: 'the second derivative' },
        ],
      });
    }
  }
}

/** Derivatives a transform adds: 2 for `hessian`, 1 for the others that differentiate, 0 for `vmap`, `jit`, `partial`. */
function derivativeOrder(c: CallInfo): number | null {
  if (!c.qname) return null;
  if (c.qname === 'jax.hessian' || c.qname === 'equinox.filter_hessian') return 2;
  if (JAX_DERIVATIVES[c.qname] || JAX_FORWARD_MODE_TRANSFORMS.has(c.qname) || c.qname.startsWith('equinox.filter_') && /grad|jac|jvp/.test(c.qname)) return 1;
  return JAX_FUNCTION_WRAPPERS.has(c.qname) ? 0 : null;
}

/** JAX: `custom_jvp` functions whose rule does not call them, differentiated twice. */
function checkJax(ctx: RuleContext): void {
  const m = ctx.model;
  const targets = new Map<number, { f: FunctionInfo; rule: FunctionInfo; site: PyNode }>();
  for (const f of m.functions) {
    if (f.name === '<lambda>' || !decoratedWith(m, f, JAX_FORWARD_RULE_DECORATORS)) continue;
    for (const r of jvpRules(m, f)) if (!callsFunction(m, r.rule, f)) targets.set(f.node.id, { f, rule: r.rule, site: r.site });
  }
  if (targets.size === 0) return;
  const visitor: ReachVisitor<{ f: FunctionInfo; rule: FunctionInfo; site: PyNode }> = {
    def(fn, order) {
      const t = targets.get(fn.node.id);
      if (t) return order >= 2 ? { found: t } : 'stop';
      // Another custom rule: its body is not what JAX differentiates.
      return decoratedWith(m, fn, JAX_FORWARD_RULE_DECORATORS) || decoratedWith(m, fn, JAX_REVERSE_ONLY_DECORATORS) ? 'stop' : null;
    },
    call: () => null,
    wrapperOrder: derivativeOrder,
  };
  const reported = new Set<number>();
  for (const c of m.calls) {
    const add = derivativeOrder(c);
    if (!add || c.calleeCall) continue;
    // Only outermost derivatives start a search (an inner one is met on the way with its order counted).
    if (insideDerivativeArgument(m, c)) continue;
    const t = searchReached(m, c.node, visitor, 0);
    if (!t || reported.has(t.f.node.id)) continue;
    reported.add(t.f.node.id);
    ctx.report({
      node: primalOutput(t.rule) ?? t.site,
      message:
        `The JVP rule \`${t.rule.name === '<lambda>' ? 'lambda' : t.rule.name}\` of the \`custom_jvp\` function \`${t.f.name}\` never calls ` +
        `\`${t.f.name}\` to compute its primal output, and \`${ctx.text(field(c.node, 'function') ?? c.node)}\` (line ${ctx.lineOf(c.node)}) ` +
        `differentiates \`${t.f.name}\` twice: JAX uses a custom JVP rule at a given order only if the rule calls the function for ` +
        `the primal output, so the second derivative differentiates the rule's own code instead of applying the rule, and ` +
        `differs from it. Compute the primal output as \`${t.f.name}(...)\` inside the rule.`,
      related: [
        { node: t.site, message: 'the rule' },
        { node: t.f.node, message: `\`${t.f.name}\` is defined here` },
        { node: c.node, message: 'differentiated twice' },
      ],
    });
  }
}

/**
 * Reverse-mode transforms and the wrappers between them, with the derivatives each adds; a forward-mode transform
 * (`jacfwd`, `hessian`, `jvp`) ends the search: AGL050 reports those through `diffeqsolve`'s default adjoint.
 */
function reverseOrder(c: CallInfo): number | null {
  if (!c.qname || JAX_FORWARD_MODE_TRANSFORMS.has(c.qname)) return null;
  if (c.qname === 'jax.grad' || c.qname === 'jax.value_and_grad' || c.qname === 'jax.jacrev' || c.qname === 'jax.jacobian') return 1;
  if (c.qname === 'equinox.filter_grad' || c.qname === 'equinox.filter_value_and_grad' || c.qname === 'equinox.filter_jacrev') return 1;
  return JAX_FUNCTION_WRAPPERS.has(c.qname) ? 0 : null;
}

/**
 * JAX: a reverse-mode derivative of a reverse-mode derivative (`grad(grad(f))`, `jacrev(grad(f))`, a gradient penalty
 * `grad` of a function that takes `grad` inside) of a function that solves with `diffrax.diffeqsolve` and its default
 * adjoint. diffrax's documentation ("Computing second-order sensitivities"): "By default, Diffrax internally uses
 * constructs that are optimised specifically for first-order reverse-mode autodifferentiation"; diffrax issue 332
 * ("Taking more than one gradient fails with default RecursiveCheckpointAdjoint": "ValueError: Reverse-mode
 * differentiation does not work for lax.while_loop", `adjoint=DirectAdjoint()` works) and issue 419 (a WGAN-GP
 * penalty through a neural CDE, the same error).
 */
function checkDiffraxTwice(ctx: RuleContext): void {
  const m = ctx.model;
  let any = false;
  for (const c of m.calls) if (diffraxCheckpointAdjoint(m, c)) any = true;
  if (!any) return;
  const visitor: ReachVisitor<{ site: PyNode; what: string; call: CallInfo }> = {
    def: (fn) => (decoratedWith(m, fn, JAX_FORWARD_RULE_DECORATORS) || decoratedWith(m, fn, JAX_REVERSE_ONLY_DECORATORS) ? 'stop' : null),
    call(c, order) {
      if (order < 2) return null;
      const d = diffraxCheckpointAdjoint(m, c);
      return d ? { found: { ...d, call: c } } : null;
    },
    wrapperOrder: reverseOrder,
  };
  for (const c of m.calls) {
    if (!reverseOrder(c) || c.calleeCall || insideReverseArgument(m, c)) continue;
    const r = searchReached(m, c.node, visitor, 0);
    if (!r) continue;
    ctx.report({
      node: c.node,
      message:
        `\`${ctx.text(field(c.node, 'function') ?? c.node)}\` takes a reverse-mode derivative of a reverse-mode derivative through ${r.what}, ` +
        'whose checkpointed loop is differentiable in reverse mode only once: the second derivative raises "Reverse-mode ' +
        'differentiation does not work for lax.while_loop" (diffrax issue 332). Pass `adjoint=diffrax.DirectAdjoint()` ' +
        '(and `scan_kind="bounded"` to a Runge-Kutta solver, as diffrax\'s second-order example does) where the solve is ' +
        'differentiated twice.',
      related: [{ node: r.site, message: 'differentiable once in reverse mode' }],
    });
  }
}

/** Whether a call sits inside the function argument of a reverse-mode transform or wrapper call. */
function insideReverseArgument(m: SemanticModel, c: CallInfo): boolean {
  for (let n = c.node.parent; n; n = n.parent) {
    if (n.type === 'argument_list' && n.parent?.type === 'call') {
      const outer = m.call(n.parent);
      if (outer && reverseOrder(outer)) return true;
    }
  }
  return false;
}

/** Whether a call sits inside the function argument of a derivative transform call (it is then part of its search). */
function insideDerivativeArgument(m: SemanticModel, c: CallInfo): boolean {
  for (let n = c.node.parent; n; n = n.parent) {
    if (n.type === 'argument_list' && n.parent?.type === 'call') {
      const outer = m.call(n.parent);
      if (outer && derivativeOrder(outer)) return true;
    }
  }
  return false;
}

export const AGL053: Rule = {
  meta: {
    code: 'AGL053',
    name: 'custom-rule-not-higher-order',
    summary: 'A custom derivative rule that a second derivative does not use: a nested `@tf.custom_gradient` of `dy`, a JAX `custom_jvp` rule that never calls its function, diffrax\'s default adjoint under a second reverse-mode derivative.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'TensorFlow: finds a `@tf.custom_gradient` function whose returned gradient function is a nested ' +
        '`@tf.custom_gradient` function of the upstream gradient only (`def grad_fn(dy)`), called where a derivative of a ' +
        'derivative is taken (nested tapes, `tf.gradients` of a gradient, in the same function or at module level). JAX: finds a `@jax.custom_jvp` function whose JVP ' +
        'rule (`@f.defjvp` or `f.defjvp(rule)`) never calls the function, when the file differentiates it twice ' +
        '(`jax.hessian`, `jacfwd(jacrev(f))`, `grad(grad(f))`, or a derivative taken inside the function another derivative ' +
        'differentiates), followed through the file\'s functions, lambdas and wrapping transforms. JAX and diffrax: finds a ' +
        'reverse-mode derivative of a reverse-mode derivative (`grad(grad(f))`, `jacrev(grad(f))`, `eqx.filter_grad` of a ' +
        'gradient penalty that takes `jax.grad` inside) of a function that solves with `diffrax.diffeqsolve` and its default ' +
        'adjoint (`RecursiveCheckpointAdjoint`, also written out), followed through the file\'s functions, methods ' +
        '(`self.solve`, a module instance\'s `__call__`) and wrapping transforms.',
      whyIsThisBad:
        'A custom rule written for the second order is not where the second derivative comes from. In TensorFlow the ' +
        'nested function\'s own gradient is the derivative with respect to `dy` (used to build forward-mode graphs), not ' +
        'the second derivative with respect to the input: the documentation of `tf.custom_gradient` says so, and ' +
        'tensorflow issue 34503 gets None. In JAX a `custom_jvp` rule applies at an order only when it calls the function ' +
        'for its primal output; otherwise the next derivative differentiates the rule\'s code (jax issue 28805: a Hessian of ' +
        '2.0 instead of 2.5). diffrax\'s default adjoint differentiates the solve in reverse mode through a checkpointed ' +
        'loop with a reverse-mode rule of its own, written for the first derivative: "By default, Diffrax internally uses ' +
        'constructs that are optimised specifically for first-order reverse-mode autodifferentiation" (diffrax\'s example ' +
        '"Computing second-order sensitivities"), and a second `jax.grad` raises "Reverse-mode differentiation does not work ' +
        'for lax.while_loop" (diffrax issue 332, where `adjoint=DirectAdjoint()` works; issue 419, a WGAN-GP penalty through ' +
        'a neural CDE).',
      example: [
        '```python',
        '@jax.custom_jvp',
        'def foo(x):',
        '    return jnp.ones_like(x)',
        '',
        '@foo.defjvp',
        'def foo_jvp(primals, tangents):',
        '    x, = primals',
        '    x_dot, = tangents',
        '    return jnp.ones_like(x), x * x_dot      # primal not computed by foo',
        '',
        'jax.hessian(lambda x: foo(x) ** 2)(0.5)      # 2.0, not 2.5',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        '@foo.defjvp',
        'def foo_jvp(primals, tangents):',
        '    x, = primals',
        '    x_dot, = tangents',
        '    return foo(x), x * x_dot                 # the rule applies at every order',
        '',
        '# TensorFlow: a plain gradient function that calls a custom_gradient function of (x, dy)',
        '@tf.custom_gradient',
        'def grad(x, dy):',
        '    def grad2(ddx):',
        '        return ..., ...',
        '    return 5 * dy, grad2',
        '',
        '@tf.custom_gradient',
        'def op(x):',
        '    return x * 5, lambda dy: grad(x, dy)',
        '```',
      ].join('\n'),
      knownProblems:
        'Checked against the TensorFlow and JAX documentation, not run (neither is installed where this linter is tested). ' +
        'TensorFlow: the second derivative must be taken in the function (or module level) that calls the custom function, ' +
        'but it is not checked that it differentiates that call. JAX: a rule that calls the function anywhere in its body counts as calling it; a rule whose own code ' +
        'differentiates to the intended second derivative is reported all the same; only functions and transforms of ' +
        'this file are followed. diffrax: the adjoint is read only where the call writes it (an adjoint passed in by a ' +
        'caller, or `**kwargs`, is not reported); a model called through a parameter (`model(ts, ys)` in a loss that receives ' +
        'the model) is not followed; forward-over-reverse (`jax.hessian`) through the default adjoint is AGL050\'s.',
      fixSafety: 'No fix: the rule must be rewritten.',
      references: [
        '[tf.custom_gradient: nesting custom gradients](https://www.tensorflow.org/api_docs/python/tf/custom_gradient)',
        '[JAX: Custom derivative rules (custom_jvp and higher-order differentiation)](https://docs.jax.dev/en/latest/notebooks/Custom_derivative_rules_for_Python_code.html)',
        '[tensorflow/tensorflow#34503](https://github.com/tensorflow/tensorflow/issues/34503)',
        '[jax-ml/jax#28805](https://github.com/jax-ml/jax/issues/28805)',
        '[diffrax: computing second-order sensitivities](https://docs.kidger.site/diffrax/examples/hessian/)',
        '[patrick-kidger/diffrax#332: taking more than one gradient fails with default RecursiveCheckpointAdjoint](https://github.com/patrick-kidger/diffrax/issues/332)',
      ],
    },
  },

  check(ctx) {
    checkJax(ctx);
    checkDiffraxTwice(ctx);
    checkTensorFlow(ctx);
  },
};
