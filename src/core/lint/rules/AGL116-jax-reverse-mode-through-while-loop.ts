/**
 * AGL116 jax-reverse-mode-through-while-loop: reverse-mode differentiation (`jax.grad`, `value_and_grad`, `vjp`,
 * `jacrev`, `hessian`, Equinox's `filter_grad`...) of a function that runs `jax.lax.while_loop` (itself or in a helper
 * of this file it calls) on values that depend on the differentiated arguments, or of a function a factory built from
 * `jax.lax.while_loop` itself. JAX raises `ValueError: Reverse-mode differentiation does not work for lax.while_loop or
 * lax.fori_loop with dynamic start/stop values`. Checked against JAX's documentation, not run.
 */
import { callsIn, literalInts, positionalParams, resolveFunction, tracedBindings, tracedIn, WHILE_LOOP } from '../jax';
import type { Rule, RuleContext } from '../rule';
import type { Binding, CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { field, unparen, type PyNode } from '../tree';

/** Transforms that differentiate in reverse mode (a VJP), and whether their `argnums` default is every primal (`vjp`). */
const REVERSE_MODE: ReadonlyMap<string, { allPrimals: boolean }> = new Map([
  ['jax.grad', { allPrimals: false }], ['jax.value_and_grad', { allPrimals: false }], ['jax.jacrev', { allPrimals: false }],
  ['jax.jacobian', { allPrimals: false }], ['jax.hessian', { allPrimals: false }], ['jax.vjp', { allPrimals: true }],
  ['equinox.filter_grad', { allPrimals: false }], ['equinox.filter_value_and_grad', { allPrimals: false }], ['equinox.filter_vjp', { allPrimals: true }],
]);


interface Hit {
  loop: PyNode;
  /** The chain of helper calls from the differentiated function to the loop, for the message. */
  via: string[];
}

/** A function with its own differentiation rule: reverse mode uses that rule, not the loop. */
function hasCustomRule(m: SemanticModel, fn: FunctionInfo): boolean {
  if (fn.decorators.some((d) => /custom_(vjp|jvp)/.test(d))) return true;
  if (fn.name === '<lambda>') return false;
  return m.calls.some((c) => (c.method === 'defvjp' || c.method === 'defjvp') && c.receiver !== null && m.textOf(unparen(c.receiver)) === fn.name);
}

/** Whether the body of the function `f` (given to the loop) reads a traced value of the enclosing function (a closure). */
function closesOverTraced(m: SemanticModel, arg: PyNode | undefined, traced: Set<Binding>): boolean {
  const fn = arg ? resolveFunction(m, arg) : null;
  const body = fn ? field(fn.node, 'body') : null;
  return !!body && tracedIn(m, body, traced) !== null;
}

/**
 * A `jax.lax.while_loop` in `fn` (or a helper of this file it calls with traced values, three calls deep) whose carry
 * starts from, or whose functions close over, a value computed from the parameters `params` of `fn`.
 */
function loopOnTraced(m: SemanticModel, fn: FunctionInfo, params: ReadonlySet<number>, depth: number, seen: Set<FunctionInfo>): Hit | null {
  if (depth > 3 || seen.has(fn) || hasCustomRule(m, fn)) return null;
  seen.add(fn);
  const traced = tracedBindings(m, fn, params);
  for (const c of callsIn(m, fn)) {
    if (c.qname === WHILE_LOOP && !c.calleeCall) {
      const init = c.keywords.get('init_val') ?? c.positional[2];
      const carried = init ? tracedIn(m, init, traced) !== null : false;
      if (carried || closesOverTraced(m, c.keywords.get('cond_fun') ?? c.positional[0], traced) || closesOverTraced(m, c.keywords.get('body_fun') ?? c.positional[1], traced)) {
        return { loop: c.node, via: [] };
      }
      continue;
    }
    const callee = c.local;
    if (!callee || callee === fn || callee.isMethod || c.hasKwargs || c.hasStarArgs || c.calleeCall) continue;
    const pos = positionalParams(callee);
    const next = new Set<number>();
    // Arguments past the named parameters go to `*args`, which then holds a traced value.
    const rest = callee.params.findIndex((p) => p.param?.star === 'args');
    c.positional.forEach((a, k) => {
      const i = pos[k] ?? (rest >= 0 ? rest : undefined);
      if (i !== undefined && tracedIn(m, a, traced)) next.add(i);
    });
    for (const [name, a] of c.keywords) {
      const i = callee.params.findIndex((p) => p.name === name && p.param?.star === 'none');
      if (i >= 0 && tracedIn(m, a, traced)) next.add(i);
    }
    if (next.size === 0) continue;
    const hit = loopOnTraced(m, callee, next, depth + 1, seen);
    if (hit) return { loop: hit.loop, via: [callee.name, ...hit.via] };
  }
  return null;
}

/** The parameters a reverse-mode transform differentiates (`argnums`, default the first; `vjp`: every primal given). */
function differentiated(m: SemanticModel, c: CallInfo, fn: FunctionInfo, allPrimals: boolean, extra: readonly PyNode[]): Set<number> | null {
  const pos = positionalParams(fn);
  if (allPrimals) return new Set(pos.slice(0, Math.max(extra.length, 1)));
  const a = c.keywords.get('argnums') ?? extra[0];
  const nums = a ? literalInts(m, a) : [0];
  if (nums === null) return null;
  return new Set(nums.map((k) => pos[k]).filter((i): i is number => i !== undefined));
}

/**
 * A function made by a call that is given `jax.lax.while_loop` itself (`solve = make_solver(jax.lax.while_loop)`,
 * `solve, x = routine(while_loop=jax.lax.while_loop)`): the argument through which the loop primitive reaches it.
 */
function builtWithWhileLoop(m: SemanticModel, arg: PyNode): PyNode | null {
  const n = unparen(arg);
  if (n.type !== 'identifier' || !m.isUse(n)) return null;
  const reach = m.reachingBindings(n);
  if (reach.length !== 1 || reach[0].kind !== 'assign' || !reach[0].value) return null;
  const v = unparen(reach[0].value);
  const c = v.type === 'call' ? m.call(v) : undefined;
  if (!c) return null;
  for (const a of [...c.positional, ...c.keywords.values()]) {
    const u = unparen(a);
    if ((u.type === 'attribute' || u.type === 'identifier') && m.qualifiedName(u) === WHILE_LOOP) return u;
  }
  return null;
}

export const AGL116: Rule = {
  meta: {
    code: 'AGL116',
    name: 'jax-reverse-mode-through-while-loop',
    summary:
      '`jax.grad` (or `value_and_grad`, `vjp`, `jacrev`, `hessian`) of a function that runs `jax.lax.while_loop` on the ' +
      'differentiated values: reverse-mode differentiation of `while_loop` is not supported and JAX raises a ValueError.',
    framework: 'jax',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds reverse-mode transforms - `jax.grad`, `jax.value_and_grad`, `jax.vjp`, `jax.jacrev`/`jax.jacobian`, ' +
        '`jax.hessian`, Equinox\'s `filter_grad`/`filter_value_and_grad`/`filter_vjp` - of a `def` or lambda of this file ' +
        'that calls `jax.lax.while_loop`, directly or in a helper of this file it calls with the differentiated values ' +
        '(three calls deep), when the loop\'s initial carry is computed from the differentiated arguments (per `argnums`) ' +
        'or its `cond_fun`/`body_fun` read such a value from the enclosing function. It also reports the transform of a ' +
        'function made by a call that is given `jax.lax.while_loop` itself (`solve = make_solver(jax.lax.while_loop)`).',
      whyIsThisBad:
        '`lax.while_loop` runs a number of iterations known only at run time, so JAX cannot store what reverse mode needs ' +
        'to replay it backwards: `jax.grad` through it raises `ValueError: Reverse-mode differentiation does not work for ' +
        'lax.while_loop or lax.fori_loop with dynamic start/stop values. Try using lax.scan, or using fori_loop with ' +
        'static start/stop.` Forward mode (`jax.jvp`, `jax.jacfwd`) does work. Adaptive ODE solvers, fixed-point and ' +
        'Newton iterations written with `while_loop` hit this as soon as someone takes a gradient of a loss through them.',
      example: [
        '```python',
        'def newton_sqrt(a):',
        '    def body(x):',
        '        return 0.5 * (x + a / x)',
        '    return jax.lax.while_loop(lambda x: jnp.abs(x * x - a) > 1e-6, body, a)',
        '',
        'jax.grad(newton_sqrt)(2.0)  # ValueError: Reverse-mode differentiation does not work for lax.while_loop',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'def newton_sqrt(a, steps=20):',
        '    def body(x, _):',
        '        return 0.5 * (x + a / x), None',
        '    x, _ = jax.lax.scan(body, a, None, length=steps)  # a static number of steps',
        '    return x',
        '',
        'jax.grad(newton_sqrt)(2.0)',
        '# or forward mode: jax.jacfwd(newton_sqrt)(2.0); or a custom_vjp (implicit function theorem) for the solve',
        '```',
      ].join('\n'),
      knownProblems:
        'Checked against the JAX documentation and the error it documents, not run (JAX is not installed where this ' +
        'linter is tested). Only functions of this file are followed; a loop inside a library call (an ODE solver of ' +
        'another package) is not seen, except when the code hands `jax.lax.while_loop` itself to the call that builds the ' +
        'differentiated function. A function with its own rule (`jax.custom_vjp`/`custom_jvp`, `defvjp`) is left alone, ' +
        'and so is a loop whose carry and functions do not read the differentiated values (its tangents are zero). ' +
        '`lax.fori_loop` with bounds traced under `jit` is the same error and is not reported.',
      fixSafety: 'No fix: a bounded loop (`lax.scan`, `fori_loop` with static bounds), forward mode or a custom rule changes the computation.',
      references: [
        '[jax.lax.while_loop (reverse-mode differentiation is not supported)](https://docs.jax.dev/en/latest/_autosummary/jax.lax.while_loop.html)',
        '[JAX: Control flow - summary of differentiability](https://docs.jax.dev/en/latest/control-flow.html)',
        '[probdiffeq: Enable reverse-mode derivatives](https://pnkraemer.github.io/probdiffeq/Examples/D0_enable_reverse_mode_derivatives/)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    for (const c of m.calls) {
      const spec = c.qname && !c.calleeCall && !c.hasKwargs ? REVERSE_MODE.get(c.qname) : undefined;
      if (!spec) continue;
      const arg = c.keywords.get('fun') ?? c.keywords.get('f') ?? c.positional[0];
      if (!arg) continue;
      const extra = c.keywords.has('fun') || c.keywords.has('f') ? c.positional : c.positional.slice(1);
      const transform = ctx.text(field(c.node, 'function') ?? c.node);
      const fn = resolveFunction(m, arg);
      if (!fn) {
        const prim = builtWithWhileLoop(m, arg);
        if (!prim) continue;
        ctx.report({
          node: c.node,
          message:
            `\`${transform}\` differentiates \`${ctx.text(arg)}\` in reverse mode, and \`${ctx.text(arg)}\` is built from \`${ctx.text(prim)}\`: ` +
            'reverse-mode differentiation of `lax.while_loop` is not supported and JAX raises a ValueError. Use a bounded loop ' +
            '(`lax.scan`, `fori_loop` with static bounds), forward mode (`jax.jacfwd`/`jvp`) or a custom VJP.',
          related: [{ node: prim, message: 'the while loop handed to the function' }],
        });
        continue;
      }
      if (fn.isMethod) continue;
      const params = differentiated(m, c, fn, spec.allPrimals, extra);
      if (!params || params.size === 0) continue;
      const hit = loopOnTraced(m, fn, params, 0, new Set());
      if (!hit) continue;
      const name = fn.name === '<lambda>' ? 'the lambda' : `\`${fn.name}\``;
      const via = hit.via.length > 0 ? ` (through ${hit.via.map((v) => `\`${v}\``).join(', ')})` : '';
      ctx.report({
        node: c.node,
        message:
          `\`${transform}\` differentiates ${name} in reverse mode, and it runs \`jax.lax.while_loop\`${via} on values computed from ` +
          'the differentiated arguments: reverse-mode differentiation of `while_loop` is not supported and JAX raises ' +
          '`ValueError: Reverse-mode differentiation does not work for lax.while_loop`. Use a bounded loop (`lax.scan`, ' +
          '`fori_loop` with static bounds), forward mode (`jax.jacfwd`/`jvp`) or a custom VJP.',
        related: [{ node: hit.loop, message: 'the while loop' }],
      });
    }
  },
};
