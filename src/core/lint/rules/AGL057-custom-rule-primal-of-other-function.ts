/**
 * AGL057 custom-rule-primal-of-other-function: a JAX custom derivative rule computes the primal output by
 * calling another custom-derivative function of the file — a JVP rule of `f` (`@f.defjvp`) or the forward
 * function of a `custom_vjp` `f` (`f.defvjp(fwd, bwd)`) returns `g(x)` for a sibling `g` and never calls `f`
 * (the rule of `safe_arccos` copied for `safe_arcsin`, google/brax#484). Under differentiation JAX takes the
 * rule's primal output as `f`'s value, so `f` evaluates to `g` exactly when it is differentiated.
 *
 * Syntax and the semantic model only: which functions have custom rules, what each rule returns.
 */
import { JAX_FORWARD_RULE_DECORATORS, JAX_REVERSE_ONLY_DECORATORS } from '../knowledge/jax';
import type { Rule, RuleContext } from '../rule';
import { bindingValue, type FunctionInfo, type SemanticModel } from '../semantic';
import { unparen, field, type PyNode } from '../tree';
import { callsFunction, decoratedWith, jvpRules, localDef, primalOutput, refersTo } from '../custom-rules';

/** The forward functions given to a `custom_vjp` function: `f.defvjp(fwd, bwd)`. */
function vjpForwards(m: SemanticModel, f: FunctionInfo): { rule: FunctionInfo; site: PyNode }[] {
  const out: { rule: FunctionInfo; site: PyNode }[] = [];
  for (const c of m.calls) {
    if (c.method !== 'defvjp' || !c.receiver || !refersTo(m, c.receiver, f)) continue;
    const a = c.positional[0] ? unparen(c.positional[0]) : null;
    const rule = a?.type === 'identifier' ? localDef(m, a) : undefined;
    if (rule) out.push({ rule, site: c.node });
  }
  return out;
}

/** The call that computes a rule's primal output, through one binding inside the rule. */
function primalCall(m: SemanticModel, rule: FunctionInfo, out: PyNode): PyNode | null {
  const n = unparen(out);
  if (n.type === 'call') return n;
  if (n.type !== 'identifier' || !m.isUse(n)) return null;
  const bs = m.reachingBindings(n);
  if (bs.length !== 1 || bs[0].scope !== rule.scope) return null;
  const v = bindingValue(bs[0]);
  return v && unparen(v).type === 'call' ? unparen(v) : null;
}

function isCustom(m: SemanticModel, fn: FunctionInfo): boolean {
  return decoratedWith(m, fn, JAX_FORWARD_RULE_DECORATORS) || decoratedWith(m, fn, JAX_REVERSE_ONLY_DECORATORS);
}

export const AGL057: Rule = {
  meta: {
    code: 'AGL057',
    name: 'custom-rule-primal-of-other-function',
    summary: 'A JAX custom derivative rule computes its primal output with another custom function of the file, not its own.',
    framework: 'jax',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a JVP rule of a `@jax.custom_jvp` function `f` (`@f.defjvp`, `f.defjvp(rule)`), or the forward function of a ' +
        '`@jax.custom_vjp` function `f` (`f.defvjp(fwd, bwd)`), whose primal output (the first item it returns, or the ' +
        'name bound to it) is a call of another function of the file that has a custom rule of its own, while the rule ' +
        'never calls `f`: typically a rule copied from a sibling (`safe_arccos` → `safe_arcsin`) whose primal line was ' +
        'not changed.',
      whyIsThisBad:
        'JAX uses the rule\'s primal output as the value of `f` whenever `f` is differentiated (`jax.grad`, ' +
        '`jax.value_and_grad`, `jax.jvp`, `jax.jacfwd`; JAX\'s custom derivatives tutorial: the rule returns ' +
        '`(primal_out, tangent_out)`, the forward function `(primal_out, residuals)`). With the other function\'s value, ' +
        '`f` is right when called and wrong under differentiation: the loss `value_and_grad` reports, and every ' +
        'derivative of what is computed from `f`, are taken at the wrong value. Nothing fails.',
      example: [
        '```python',
        '@safe_arcsin.defjvp',
        'def _safe_arcsin_jvp(primal, tangent):',
        '  (x,), (x_dot,) = primal, tangent',
        '  primal_out = safe_arccos(x)      # copied from the arccos rule',
        '  return primal_out, x_dot / jnp.sqrt(1.0 - jnp.clip(x, -1 + 1e-7, 1 - 1e-7) ** 2)',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        '  primal_out = safe_arcsin(x)',
        '```',
      ].join('\n'),
      knownProblems:
        'Only calls of functions of the same file that have a custom rule themselves are taken as another function\'s ' +
        'value; a rule that computes the primal output with a shared helper (or inline) is not flagged. A rule that ' +
        'means to return another custom function\'s value (the two agree by construction) would be flagged; mark it ' +
        '`# noqa: AGL057`.',
      fixSafety: 'No automatic fix: the rule\'s own function may take other arguments.',
      references: [
        '[JAX: Custom derivative rules for JAX-transformable Python functions](https://jax.readthedocs.io/en/latest/notebooks/Custom_derivative_rules_for_Python_code.html)',
        '[google/brax#484: fix the custom jvp for safe_arcsin](https://github.com/google/brax/pull/484)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    const reported = new Set<number>();
    for (const f of m.functions) {
      if (f.name === '<lambda>') continue;
      const forward = decoratedWith(m, f, JAX_FORWARD_RULE_DECORATORS);
      const reverse = !forward && decoratedWith(m, f, JAX_REVERSE_ONLY_DECORATORS);
      if (!forward && !reverse) continue;
      const rules = forward ? jvpRules(m, f) : vjpForwards(m, f);
      for (const r of rules) {
        if (r.rule === f || callsFunction(m, r.rule, f)) continue;
        const out = primalOutput(r.rule);
        const call = out ? primalCall(m, r.rule, out) : null;
        const callee = call ? field(call, 'function') : null;
        const g = callee && unparen(callee).type === 'identifier' ? localDef(m, unparen(callee)) : undefined;
        if (!call || !g || g === f || !isCustom(m, g) || reported.has(call.id)) continue;
        reported.add(call.id);
        const kind = forward ? 'JVP rule' : 'forward function';
        ctx.report({
          node: call,
          message:
            `The ${kind} \`${r.rule.name}\` of \`${f.name}\` computes its primal output as \`${ctx.text(call).replace(/\s+/g, ' ')}\`, ` +
            `the value of another custom function, \`${g.name}\`, and never calls \`${f.name}\`: JAX takes the rule's primal ` +
            `output as \`${f.name}\`'s value whenever it is differentiated, so under \`jax.grad\`/\`value_and_grad\`/\`jvp\` ` +
            `\`${f.name}\` evaluates to \`${g.name}\` and everything computed from it (and its derivatives) is wrong. ` +
            `Compute the primal output as \`${f.name}(...)\`.`,
          related: [
            { node: f.node, message: `\`${f.name}\` is defined here` },
            { node: g.node, message: `\`${g.name}\`, whose value the rule returns` },
          ],
        });
      }
    }
  },
};
