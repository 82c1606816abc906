/**
 * AGL050 jax-forward-mode-of-custom-vjp: a forward-mode derivative (`jax.jvp`, `jax.jacfwd`, `jax.hessian` =
 * `jacfwd(jacrev(f))`, `jax.linearize`) of a function whose derivative is a reverse-mode-only custom rule: a
 * `@jax.custom_vjp` function (decorated, through `functools.partial`, or wrapped `f = jax.custom_vjp(f)`), a jaxopt
 * `custom_root` solver, `jax.experimental.ode.odeint`, or `diffrax.diffeqsolve` with its default adjoint. The function
 * is followed through the file's own functions that call it and through the transforms wrapped around it
 * (`jacfwd(grad(f))`, `vmap`, `jit`, `partial`). JAX raises "can't apply forward-mode autodiff (jvp) to a custom_vjp
 * function". Checked against JAX's and the libraries' documentation, not run.
 */
import {
  DIFFRAX_FORWARD_ADJOINTS, DIFFRAX_REVERSE_ONLY_ADJOINTS, DIFFRAX_SOLVE, JAX_FORWARD_MODE_TRANSFORMS, JAX_FORWARD_RULE_DECORATORS,
  JAX_FUNCTION_WRAPPERS, JAX_REVERSE_ONLY_DECORATOR_FACTORIES, JAX_REVERSE_ONLY_DECORATORS, JAX_REVERSE_ONLY_FUNCTIONS,
  REVERSE_ONLY_LIBRARY_ALIASES,
} from '../knowledge/jax';
import { functionArgument, searchReached, type ReachVisitor } from '../jax';
import type { Rule } from '../rule';
import type { CallInfo, SemanticModel } from '../semantic';
import { field, namedChildren, rangeOf, unparen, type PyNode } from '../tree';

/** What makes a function reverse-mode only, and where it is written. */
interface ReverseOnly {
  /** The decorator, wrapper call or library call. */
  site: PyNode;
  /** How the message names it. */
  what: string;
  /** What to do instead. */
  instead: string;
  /** The function the custom rule belongs to, when it is a `def` of the file, and how the message names its rule. */
  fnName?: string;
  rule?: string;
}

/** 1-based line of a node. */
function lineOf(m: SemanticModel, n: PyNode): number {
  return rangeOf(m.tree, n).start.line + 1;
}

/**
 * The qualified name of a library function called through an alias a snippet leaves unbound (`dfx.diffeqsolve`,
 * `ode.odeint`), or the model's own name for it.
 */
function libraryName(m: SemanticModel, c: CallInfo): string | null {
  if (c.qname && !c.calleeCall) {
    if (JAX_REVERSE_ONLY_FUNCTIONS.has(c.qname) || c.qname === DIFFRAX_SOLVE) return c.qname;
  }
  const callee = field(c.node, 'function');
  if (callee?.type !== 'attribute') return null;
  const obj = field(callee, 'object');
  const attr = field(callee, 'attribute');
  if (!obj || !attr || obj.type !== 'identifier' || !m.isUse(obj) || m.reachingBindings(obj).length > 0) return null;
  const base = REVERSE_ONLY_LIBRARY_ALIASES[m.textOf(obj)];
  return base ? `${base}.${m.textOf(attr)}` : null;
}

/** Whether a library call is reverse-mode only, with the message parts. */
function reverseOnlyLibraryCall(m: SemanticModel, c: CallInfo): ReverseOnly | null {
  const q = libraryName(m, c);
  if (!q) return null;
  if (JAX_REVERSE_ONLY_FUNCTIONS.has(q)) {
    return {
      site: c.node,
      what: `\`${m.textOf(field(c.node, 'function') ?? c.node)}\` (line ${lineOf(m, c.node)}), whose derivative is a reverse-mode-only \`custom_vjp\` rule`,
      instead: 'Use reverse mode only (`jax.jacrev`, `jax.grad`, `jax.jacrev(jax.jacrev(f))` for a Hessian), or an ODE solver that supports forward mode (`diffrax.diffeqsolve` with `adjoint=diffrax.ForwardMode()` or `DirectAdjoint()`).',
    };
  }
  if (q !== DIFFRAX_SOLVE || c.hasKwargs) return null;
  const adjoint = c.keywords.get('adjoint');
  let name = 'RecursiveCheckpointAdjoint';
  if (adjoint) {
    const a = unparen(adjoint);
    if (a.type !== 'call') return null;
    const callee = field(a, 'function');
    const text = callee ? m.textOf(callee) : '';
    name = text.slice(text.lastIndexOf('.') + 1);
    if (DIFFRAX_FORWARD_ADJOINTS.has(name) || !DIFFRAX_REVERSE_ONLY_ADJOINTS.has(name)) return null;
  }
  return {
    site: adjoint ?? c.node,
    what:
      `\`${m.textOf(field(c.node, 'function') ?? c.node)}\` (line ${lineOf(m, c.node)}) with ` +
      (adjoint ? `\`adjoint=${m.textOf(adjoint)}\`` : 'its default adjoint, `RecursiveCheckpointAdjoint`') +
      ', which supports reverse mode only',
    instead: 'Pass `adjoint=diffrax.ForwardMode()` for forward mode only, or `adjoint=diffrax.DirectAdjoint()` for both modes (slower); or use reverse mode (`jax.jacrev`) for a first derivative (a second one in reverse mode fails with this adjoint as well).',
  };
}

/**
 * A `diffrax.diffeqsolve` call (also through an unbound `dfx.`/`diffrax.` alias) with its default adjoint,
 * `RecursiveCheckpointAdjoint`, or that adjoint written out: what the message names, and where. Null for another
 * adjoint, an adjoint the file does not show as a constructor call, or `**kwargs`.
 */
export function diffraxCheckpointAdjoint(m: SemanticModel, c: CallInfo): { site: PyNode; what: string } | null {
  if (libraryName(m, c) !== DIFFRAX_SOLVE || c.hasKwargs) return null;
  const adjoint = c.keywords.get('adjoint');
  if (adjoint) {
    const a = unparen(adjoint);
    const callee = a.type === 'call' ? field(a, 'function') : null;
    const text = callee ? m.textOf(callee) : '';
    if (text.slice(text.lastIndexOf('.') + 1) !== 'RecursiveCheckpointAdjoint') return null;
  }
  return {
    site: adjoint ?? c.node,
    what: `\`${m.textOf(field(c.node, 'function') ?? c.node)}\` (line ${lineOf(m, c.node)}) with ${adjoint ? `\`adjoint=${m.textOf(adjoint)}\`` : 'its default adjoint, `RecursiveCheckpointAdjoint`'}`,
  };
}

/** The kind of custom rule a decorator expression gives: reverse-only, forward (a `custom_jvp`), or none. */
function decoratorKind(m: SemanticModel, expr: PyNode): 'reverse' | 'forward' | null {
  const e = unparen(expr);
  const q = m.qualifiedName(e);
  if (e.type === 'call') {
    const c = m.call(e);
    if (!c) return null;
    if (c.qname && JAX_REVERSE_ONLY_DECORATOR_FACTORIES.has(c.qname)) return 'reverse';
    // `@partial(jax.custom_vjp, nondiff_argnums=(0,))`
    if (c.qname === 'functools.partial' && c.positional[0]) return decoratorKind(m, c.positional[0]);
    return null;
  }
  if (q && JAX_REVERSE_ONLY_DECORATORS.has(q)) return 'reverse';
  if (q && JAX_FORWARD_RULE_DECORATORS.has(q)) return 'forward';
  return null;
}

const REVERSE_ONLY_INSTEAD =
  'Use reverse mode only (`jax.jacrev(jax.jacrev(f))` for a Hessian, `jax.vjp` instead of `jax.jvp`), or define the rule with ' +
  '`jax.custom_jvp`, which JAX transposes for reverse mode as well.';

/** What a forward-mode derivative of a function runs into: a reverse-mode-only rule, a `custom_jvp` rule (which stops the search), or a wrapper. */
function visitor(m: SemanticModel): ReachVisitor<ReverseOnly> {
  return {
    def(fn) {
      const decorated = fn.node.parent?.type === 'decorated_definition' ? fn.node.parent : null;
      // The outermost custom-rule decorator decides.
      for (const d of decorated ? decorated.children : []) {
        if (d.type !== 'decorator') continue;
        const expr = namedChildren(d)[0];
        const kind = expr ? decoratorKind(m, expr) : null;
        if (kind === 'forward') return 'stop';
        if (kind === 'reverse') {
          return {
            found: {
              site: expr!,
              what: `\`${fn.name}\`, whose derivative is the reverse-mode-only rule of \`@${m.textOf(expr!)}\` (line ${lineOf(m, expr!)})`,
              instead: REVERSE_ONLY_INSTEAD,
              fnName: fn.name,
              rule: `the reverse-mode-only rule of \`@${m.textOf(expr!)}\` (line ${lineOf(m, expr!)})`,
            },
          };
        }
      }
      return null;
    },
    call(c) {
      const lib = reverseOnlyLibraryCall(m, c);
      if (lib) return { found: lib };
      if (c.qname && JAX_REVERSE_ONLY_DECORATORS.has(c.qname)) {
        return { found: { site: c.node, what: `the \`${m.textOf(field(c.node, 'function') ?? c.node)}\` function made on line ${lineOf(m, c.node)}`, instead: REVERSE_ONLY_INSTEAD } };
      }
      if (c.qname && JAX_FORWARD_RULE_DECORATORS.has(c.qname)) return 'stop';
      return null;
    },
    wrapperOrder: (c) => (c.qname && JAX_FUNCTION_WRAPPERS.has(c.qname) ? 0 : null),
  };
}

export const AGL050: Rule = {
  meta: {
    code: 'AGL050',
    name: 'jax-forward-mode-of-custom-vjp',
    summary: 'Forward-mode derivative (`jax.jvp`, `jacfwd`, `hessian`) of a function with a reverse-mode-only rule (`jax.custom_vjp`, `odeint`, diffrax\'s default adjoint).',
    framework: 'jax',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `jax.jvp`, `jax.jacfwd`, `jax.hessian` (which is `jacfwd(jacrev(f))`), `jax.linearize` and Equinox\'s ' +
        '`filter_jvp`/`filter_jacfwd`/`filter_hessian` applied to a function whose derivative is a reverse-mode-only custom ' +
        'rule: a function decorated with `@jax.custom_vjp` (also as `@partial(jax.custom_vjp, nondiff_argnums=...)`, ' +
        '`@eqx.filter_custom_vjp`, or wrapped as `f = jax.custom_vjp(f)`), a `@jax.custom_gradient` function or Flax\'s ' +
        '`nn.custom_vjp`, a solver decorated with jaxopt\'s ' +
        '`implicit_diff.custom_root`/`custom_fixed_point`, or a function that calls `jax.experimental.ode.odeint` or ' +
        '`diffrax.diffeqsolve` with its default adjoint (`RecursiveCheckpointAdjoint`) or `BacksolveAdjoint`. The ' +
        'differentiated function is followed through the file\'s functions and lambdas that call it (a loss that calls a ' +
        'solver that calls the custom function) and through the transforms wrapped around it (`jacfwd(grad(f))`, `vmap`, ' +
        '`jit`, `partial`).',
      whyIsThisBad:
        'A `custom_vjp` rule tells JAX how to run the backward pass only; JAX cannot derive a JVP from it, so any forward-mode ' +
        'transform raises `TypeError: can\'t apply forward-mode autodiff (jvp) to a custom_vjp function`. `jax.hessian` is ' +
        'forward-over-reverse, so a Hessian fails even though `jax.grad` works (jax issue 16049, jaxopt issue 474: Hessians of ' +
        'implicitly differentiated solvers; jax issue 7401 and diffrax issue 314: Jacobians through ODE solves).',
      example: [
        '```python',
        '@jax.custom_vjp',
        'def f(x, y):',
        '    return jnp.sin(x) * y',
        '',
        'f.defvjp(f_fwd, f_bwd)',
        'jax.hessian(f)(1.0, 2.0)   # TypeError: can\'t apply forward-mode autodiff (jvp) to a custom_vjp function',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'jax.jacrev(jax.jacrev(f))(1.0, 2.0)   # reverse over reverse works with custom_vjp',
        '',
        '# or define the rule with custom_jvp, which supports both modes',
        '@jax.custom_jvp',
        'def f(x, y):',
        '    return jnp.sin(x) * y',
        '```',
      ].join('\n'),
      knownProblems:
        'Checked against the documentation of JAX, Equinox, jaxopt and diffrax, not run (JAX is not installed where this ' +
        'linter is tested). Only functions of this file are followed (a library function that uses `custom_vjp` inside is ' +
        'known only if listed: `odeint`, `diffeqsolve`, jaxopt\'s decorators), through at most six calls; a call made only on ' +
        'a branch that forward mode never takes is still reported. An adjoint given as a variable is not judged. A second ' +
        'reverse-mode derivative through `diffeqsolve`\'s default adjoint, which fails too, is AGL053\'s.',
      fixSafety: 'No fix: the choice between reverse-over-reverse, a `custom_jvp` rule and another adjoint depends on the code.',
      references: [
        '[JAX: Custom derivative rules — custom_vjp is reverse-mode only](https://docs.jax.dev/en/latest/notebooks/Custom_derivative_rules_for_Python_code.html)',
        '[jax.hessian](https://docs.jax.dev/en/latest/_autosummary/jax.hessian.html)',
        '[jax-ml/jax#16049: Cannot compute Hessian of custom_vjp](https://github.com/jax-ml/jax/issues/16049)',
        '[diffrax adjoints](https://docs.kidger.site/diffrax/api/adjoints/)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    for (const call of m.calls) {
      if (!call.qname || call.calleeCall || !JAX_FORWARD_MODE_TRANSFORMS.has(call.qname)) continue;
      const funArg = functionArgument(call);
      if (!funArg) continue;
      const r = searchReached(m, funArg, visitor(m), 0);
      if (!r) continue;
      const name = ctx.text(field(call.node, 'function') ?? call.node);
      const mode = call.qname === 'jax.hessian' || call.qname === 'equinox.filter_hessian' ? ' (its outer derivative is `jacfwd`, forward mode)' : '';
      ctx.report({
        node: call.node,
        message:
          `\`${name}\` differentiates \`${ctx.text(funArg)}\` in forward mode${mode}, but ` +
          (r.fnName === ctx.text(funArg) && r.rule ? `its derivative is ${r.rule}` : `it reaches ${r.what}`) +
          ': JAX raises ' +
          '"can\'t apply forward-mode autodiff (jvp) to a custom_vjp function". ' + r.instead,
        related: [{ node: r.site, message: 'reverse-mode only' }],
      });
    }
  },
};
