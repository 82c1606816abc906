/**
 * AGL058 jax-python-control-flow-on-tracer: Python control flow (`if`, `while`, a conditional expression)
 * on a comparison of a value JAX traces abstractly (an argument of a function transformed by `jax.jit`,
 * `jax.vmap`, `jax.pmap`, `jax.checkpoint`/`jax.remat`, not marked static, or given to `lax.cond`/`switch`/
 * `while_loop`/`fori_loop`/`scan`/`map`; a chained comparison `a < x < b` is such a test), or `float()`/`int()`/
 * `complex()`/`bool()` of such a value; under `jax.grad` and the other derivatives alone (concrete
 * tracers), `float()`/`complex()`. Python needs a concrete value there and JAX raises
 * `TracerBoolConversionError` / `ConcretizationTypeError` (or `TypeError` for `float`). Checked against
 * JAX's documentation and maintainers' examples, not run.
 */
import { CONTROL_FLOW_FUNCTIONS, controlFlowFunctionArgs, JAX_TRANSFORMS, literalInts, literalStrings, positionalParams, resolveFunction, tracedBindings, tracedIn } from '../jax';
import type { Rule, RuleContext } from '../rule';
import type { Binding, CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { contains, field, namedChildren, unparen, walk, type PyNode } from '../tree';

/** Transforms that trace with abstract values: no Python value is known while the function runs. */
const ABSTRACT = new Set(['jax.jit', 'jax.vmap', 'jax.pmap', 'jax.checkpoint', 'jax.remat']);
const DERIVATIVES = new Set(['jax.grad', 'jax.value_and_grad', 'jax.jacfwd', 'jax.jacrev', 'jax.jacobian', 'jax.hessian']);
/** Options a transform call may carry without changing which arguments are traced. */
const NEUTRAL_OPTIONS = new Set(['donate_argnums', 'donate_argnames', 'device', 'backend', 'inline', 'keep_unused', 'prevent_cse', 'policy', 'in_shardings', 'out_shardings', 'out_axes', 'axis_name', 'axis_size', 'has_aux', 'holomorphic', 'allow_int', 'reduce_axes', 'spmd_axis_name']);
const COMPARISONS = new Set(['<', '>', '<=', '>=', '==', '!=']);

interface Traced {
  fn: FunctionInfo;
  params: Set<number>;
  /** `abstract`: jit/vmap/pmap/remat; `derivative`: grad and friends (concrete primal values). */
  kind: 'abstract' | 'derivative';
  why: string;
  site: PyNode;
  /** 0 for a function transformed directly; 1, 2 for helpers it calls with traced arguments. */
  depth: number;
}

/** Parameters without a default value: those a caller must pass, so the transform traces them. */
function required(fn: FunctionInfo, params: Iterable<number>): Set<number> {
  return new Set(
    [...params].filter((i) => {
      const t = fn.params[i]?.target.parent?.type;
      return t !== 'default_parameter' && t !== 'typed_default_parameter';
    }),
  );
}

/**
 * Which parameters a transform traces, given its name and its options (keywords of the transform call, or
 * of `functools.partial(transform, ...)`); null when an option is not literal or not understood.
 */
function tracedParams(m: SemanticModel, q: string, fn: FunctionInfo, keywords: ReadonlyMap<string, PyNode>, extraPositional: readonly PyNode[]): Set<number> | null {
  const pos = positionalParams(fn);
  for (const k of keywords.keys()) {
    if (NEUTRAL_OPTIONS.has(k) || k === 'fun' || k === 'f') continue;
    if ((k === 'static_argnums' || k === 'static_argnames') && (q === 'jax.jit' || q === 'jax.checkpoint' || q === 'jax.remat')) continue;
    if (k === 'argnums' && DERIVATIVES.has(q)) continue;
    if (k === 'in_axes' && (q === 'jax.vmap' || q === 'jax.pmap')) continue;
    return null;
  }
  if (q === 'jax.jit' || q === 'jax.checkpoint' || q === 'jax.remat') {
    if (extraPositional.length > 0) return null;
    const nums = keywords.has('static_argnums') ? literalInts(m, keywords.get('static_argnums')) : [];
    const names = keywords.has('static_argnames') ? literalStrings(m, keywords.get('static_argnames')) : [];
    if (nums === null || names === null) return null;
    return new Set(pos.filter((i, k) => !nums.includes(k) && !names.includes(fn.params[i].name)));
  }
  if (DERIVATIVES.has(q)) {
    const nums = keywords.has('argnums') ? literalInts(m, keywords.get('argnums')) : extraPositional.length > 0 ? literalInts(m, extraPositional[0]) : [0];
    if (nums === null) return null;
    return new Set(nums.map((k) => pos[k]).filter((i) => i !== undefined));
  }
  const axes = keywords.get('in_axes') ?? extraPositional[0];
  if (!axes) return new Set(pos);
  const u = unparen(axes);
  if (u.type === 'integer') return new Set(pos);
  if (u.type !== 'tuple' && u.type !== 'list') return null;
  const items = namedChildren(u).map(unparen);
  return new Set(pos.filter((_, k) => items[k] !== undefined && items[k].type !== 'none'));
}

function transformed(m: SemanticModel): Traced[] {
  const out: Traced[] = [];
  const add = (fn: FunctionInfo, q: string, params: Set<number> | null, why: string, site: PyNode): void => {
    if (!params) return;
    const req = required(fn, params);
    if (req.size > 0) out.push({ fn, params: req, kind: ABSTRACT.has(q) ? 'abstract' : 'derivative', why, site, depth: 0 });
  };
  const named = (fn: FunctionInfo): string => (fn.name === '<lambda>' ? 'the lambda' : `\`${fn.name}\``);
  for (const c of m.calls) {
    if (!c.qname || !JAX_TRANSFORMS.has(c.qname) || c.calleeCall || c.hasKwargs) continue;
    const arg = c.keywords.get('fun') ?? c.keywords.get('f') ?? c.positional[0];
    if (!arg) continue;
    const fn = resolveFunction(m, arg);
    if (!fn || fn.isMethod) continue;
    const extra = c.keywords.has('fun') || c.keywords.has('f') ? c.positional : c.positional.slice(1);
    add(fn, c.qname, tracedParams(m, c.qname, fn, c.keywords, extra), `${named(fn)} is transformed by \`${m.textOf(field(c.node, 'function')!)}\``, c.node);
  }
  for (const fn of m.functions) {
    if (fn.name === '<lambda>' || fn.isMethod) continue;
    const def = fn.node.parent?.type === 'decorated_definition' ? fn.node.parent : null;
    if (!def) continue;
    for (const d of def.children) {
      if (d.type !== 'decorator') continue;
      const expr = namedChildren(d)[0];
      if (!expr) continue;
      const u = unparen(expr);
      if (u.type === 'call') {
        // `@partial(jax.jit, static_argnums=(1,))`
        const c: CallInfo | undefined = m.call(u);
        if (!c || c.qname !== 'functools.partial' || c.hasKwargs || c.positional.length !== 1) continue;
        const q = m.qualifiedName(c.positional[0]);
        if (!q || !JAX_TRANSFORMS.has(q)) continue;
        add(fn, q, tracedParams(m, q, fn, c.keywords, []), `\`${fn.name}\` is transformed by \`@${m.textOf(expr)}\``, expr);
        continue;
      }
      const q = m.qualifiedName(expr);
      if (!q || !JAX_TRANSFORMS.has(q)) continue;
      add(fn, q, tracedParams(m, q, fn, new Map(), []), `\`${fn.name}\` is transformed by \`@${m.textOf(expr)}\``, expr);
    }
  }
  // Functions JAX's structured control flow traces to a jaxpr whatever the caller (`lax.cond`/`lax.switch` branches,
  // `while_loop`'s `cond_fun`/`body_fun`, `fori_loop`'s body, `scan`'s and `lax.map`'s function): every argument is abstract.
  for (const c of m.calls) {
    const where = c.qname && !c.calleeCall ? CONTROL_FLOW_FUNCTIONS.get(c.qname) : undefined;
    if (!where) continue;
    const callee = m.textOf(field(c.node, 'function')!);
    for (const arg of controlFlowFunctionArgs(m, c, where)) {
      const fn = resolveFunction(m, arg);
      if (!fn || fn.isMethod || out.some((o) => o.fn === fn && o.kind === 'abstract')) continue;
      const params = new Set(positionalParams(fn));
      add(fn, 'jax.jit', params, `${named(fn)} is traced by \`${callee}\``, c.node);
    }
  }
  // Helpers of this file called from a traced function with traced arguments (`loss = compute(params, batch)`
  // inside a jitted step): those parameters are traced too, two calls deep. An attribute of a traced object given on
  // (`helper(grid.max_distance)`) is not counted: a pytree's fields may be static Python values (see `tracedArrayIn`).
  for (let i = 0; i < out.length && i < 64; i++) {
    const t = out[i];
    if (t.depth >= 2) continue;
    const body = field(t.fn.node, 'body');
    if (!body) continue;
    const traced = tracedBindings(m, t.fn, t.params);
    for (const c of m.calls) {
      const callee = c.local;
      if (!callee || callee === t.fn || callee.isMethod || callee.name === '<lambda>' || c.hasKwargs || c.calleeCall) continue;
      if (!contains(body, c.node) || m.enclosingFunction(c.node) !== t.fn) continue;
      if (c.positional.some((a) => unparen(a).type === 'list_splat')) continue;
      const pos = positionalParams(callee);
      const params = new Set<number>();
      const uses: PyNode[] = [];
      c.positional.forEach((a, k) => {
        const use = pos[k] !== undefined ? tracedArrayIn(m, a, traced) : null;
        if (use) {
          params.add(pos[k]);
          uses.push(use);
        }
      });
      for (const [name, a] of c.keywords) {
        const i2 = callee.params.findIndex((p) => p.name === name && p.param?.star === 'none');
        const use = i2 >= 0 ? tracedArrayIn(m, a, traced) : null;
        if (use) {
          params.add(i2);
          uses.push(use);
        }
      }
      if (params.size === 0 || out.some((o) => o.fn === callee && o.kind === t.kind)) continue;
      out.push({
        fn: callee, params, kind: t.kind, depth: t.depth + 1, site: c.node,
        why: `\`${callee.name}\` is called with \`${m.textOf(uses[0])}\` from \`${t.fn.name}\`, where ${t.why.replace(/^`[^`]*` is/, 'it is')}`,
      });
    }
  }
  return out;
}

/**
 * A traced array read in `expr` (see `tracedIn`), not counting attribute reads of a traced object
 * (`model.dim`, `state.config`): an argument may be a pytree (a Flax or Equinox module) whose fields are
 * static Python values. A method call (`x.sum()`) still counts.
 */
function tracedArrayIn(m: SemanticModel, expr: PyNode, traced: Set<Binding>): PyNode | null {
  let found: PyNode | null = null;
  walk(expr, (n) => {
    if (found) return false;
    if (n.type === 'lambda' || n.type === 'function_definition') return false;
    if (n.type !== 'identifier' || !m.isUse(n)) return;
    const p = n.parent;
    if (p?.type === 'attribute' && field(p, 'object') === n && !(p.parent?.type === 'call' && field(p.parent, 'function') === p)) return;
    if (tracedIn(m, n, traced)) found = n;
  });
  return found;
}

/**
 * What makes a truth-tested expression need a concrete value: a comparison whose operands include a
 * traced array (not `is`/`in`, not against None or a string), or a `jax.numpy` call on one
 * (`if jnp.isnan(loss):`); through `not`, `and`, `or`, and through a variable holding such a comparison
 * (`flag = x > 0` ... `if flag:`).
 */
/**
 * Parameters of `fn` that every visible call (at least one) gives a Python number or bool literal: traced, such a value is
 * an array tracer of shape (), never a pytree or None, so even a bare truth test of it needs a concrete value.
 */
function scalarLiteralParams(t: Traced): Set<Binding> {
  const fn = t.fn;
  const out = new Set<Binding>();
  // Only a function transformed by its decorator: every call of it is traced (`jax.jit(f)` leaves the plain `f(...)` calls).
  const dd = fn.node.parent;
  const byDecorator = dd?.type === 'decorated_definition' && contains(dd, t.site) && !contains(fn.node, t.site);
  if (fn.callSites.length === 0 || fn.isMethod || !byDecorator) return out;
  fn.params.forEach((p, i) => {
    if (p.param?.star !== 'none') return;
    const ok = fn.callSites.every((c) => {
      if (c.hasStarArgs || c.hasKwargs) return false;
      const a = c.keywords.get(p.name) ?? c.positional[i];
      const u = a ? unparen(a) : null;
      return !!u && ['true', 'false', 'integer', 'float'].includes(u.type);
    });
    if (ok) out.add(p);
  });
  return out;
}

function truthOfTraced(m: SemanticModel, cond: PyNode, traced: Set<Binding>, depth = 0, scalars: ReadonlySet<Binding> = new Set()): { cmp: PyNode; use: PyNode } | null {
  const n = unparen(cond);
  if (n.type === 'not_operator') {
    const a = field(n, 'argument');
    return a ? truthOfTraced(m, a, traced, depth, scalars) : null;
  }
  if (n.type === 'boolean_operator') {
    for (const side of ['left', 'right']) {
      const s = field(n, side);
      const r = s ? truthOfTraced(m, s, traced, depth, scalars) : null;
      if (r) return r;
    }
    return null;
  }
  if (n.type === 'identifier') {
    if (depth > 0 || !m.isUse(n)) return null;
    const reach = m.reachingBindings(n);
    if (reach.length === 0 || !reach.every((b) => traced.has(b))) return null;
    // A parameter every call gives a Python number or bool: traced, it is a scalar array, whose truth JAX cannot give.
    if (depth === 0 && reach.length === 1 && scalars.has(reach[0])) return { cmp: n, use: n };
    // `flag = x > 0` ... `if flag:`. A traced variable tested bare is left alone: an argument may be a pytree
    // object or None (`if dynamic_scale:`), whose truth value JAX does not need.
    if (reach.length !== 1 || reach[0].kind !== 'assign' || reach[0].path.length > 0 || !reach[0].value) return null;
    const r = truthOfTraced(m, reach[0].value, traced, depth + 1);
    return r ? { cmp: n, use: r.use } : null;
  }
  if (n.type === 'call') {
    const c = m.call(n);
    if (!c || !c.qname || !c.qname.startsWith('jax.numpy.') || c.calleeCall) return null;
    for (const a of [...c.positional, ...c.keywords.values()]) {
      const use = tracedArrayIn(m, a, traced);
      if (use) return { cmp: n, use };
    }
    return null;
  }
  if (n.type !== 'comparison_operator') return null;
  const ops = n.children.filter((c) => c.field === 'operators').map((c) => m.textOf(c).trim());
  const operands = namedChildren(n).filter((c) => c.field !== 'operators');
  if (ops.length === 0 || !ops.every((o) => COMPARISONS.has(o))) return null;
  if (operands.some((o) => ['none', 'string', 'concatenated_string'].includes(unparen(o).type))) return null;
  for (const o of operands) {
    const use = tracedArrayIn(m, o, traced);
    if (use) return { cmp: n, use };
  }
  return null;
}

/**
 * The truth-tested expressions directly in `fn`'s body: `if`/`elif`/`while` conditions, conditions of
 * conditional expressions, and the operands of `not`, `and`, `or` elsewhere (outermost ones only).
 */
function conditions(m: SemanticModel, fn: FunctionInfo): PyNode[] {
  const out: PyNode[] = [];
  const body = field(fn.node, 'body');
  if (!body) return out;
  walk(body, (n) => {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type === 'if_statement' || n.type === 'elif_clause' || n.type === 'while_statement') {
      const c = field(n, 'condition');
      if (c) out.push(c);
    } else if (n.type === 'conditional_expression') {
      const parts = namedChildren(n);
      if (parts.length === 3) out.push(parts[1]);
    } else if ((n.type === 'not_operator' || n.type === 'boolean_operator') && !out.some((c) => contains(c, n))) {
      out.push(n);
    }
  });
  return out.filter((c) => m.enclosingFunction(c) === fn);
}

/** Chained comparisons (`a < x < b`) directly in `fn`'s body that no truth-tested condition already holds. */
function chainedComparisons(m: SemanticModel, fn: FunctionInfo, conds: readonly PyNode[]): PyNode[] {
  const out: PyNode[] = [];
  const body = field(fn.node, 'body');
  if (!body) return out;
  walk(body, (n) => {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type === 'comparison_operator' && n.children.filter((c) => c.field === 'operators').length >= 2 && !conds.some((c) => contains(c, n))) out.push(n);
  });
  // A lambda's body is an expression, not a block: walk it too (its own comparisons only).
  if (fn.node.type === 'lambda' && body.type === 'comparison_operator' && !out.includes(body) && body.children.filter((c) => c.field === 'operators').length >= 2) out.push(body);
  return out.filter((c) => m.enclosingFunction(c) === fn);
}

/**
 * `a < b < c` is `(a < b) and (b < c)`: Python takes the truth value of every pair but the last. The first such pair
 * with a traced array operand (comparisons only, not `is`/`in`, not against None or a string).
 */
function chainedTruthOfTraced(m: SemanticModel, n: PyNode, traced: Set<Binding>): { pair: string; use: PyNode } | null {
  const ops = n.children.filter((c) => c.field === 'operators');
  const operands = namedChildren(n).filter((c) => c.field !== 'operators');
  if (ops.length < 2 || operands.length !== ops.length + 1 || !ops.every((o) => COMPARISONS.has(m.textOf(o).trim()))) return null;
  if (operands.some((o) => ['none', 'string', 'concatenated_string'].includes(unparen(o).type))) return null;
  for (let k = 0; k < ops.length - 1; k++) {
    const use = tracedArrayIn(m, operands[k], traced) ?? tracedArrayIn(m, operands[k + 1], traced);
    if (use) return { pair: `${m.textOf(operands[k])} ${m.textOf(ops[k]).trim()} ${m.textOf(operands[k + 1])}`, use };
  }
  return null;
}

export const AGL058: Rule = {
  meta: {
    code: 'AGL058',
    name: 'jax-python-control-flow-on-tracer',
    summary:
      'Python control flow (`if`, `while`, `a if c else b`) on a comparison of a value traced by `jax.jit`/`vmap`/`remat`, or ' +
      '`float()` of a value traced by any transform (`jax.grad` included): Python needs a concrete value and JAX raises ' +
      'TracerBoolConversionError / ConcretizationTypeError. Use `jnp.where`/`jax.lax.cond`, or mark the argument static.',
    framework: 'jax',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds functions JAX traces with abstract values: those passed to (or decorated with) `jax.jit`, `jax.vmap`, ' +
        '`jax.pmap`, `jax.checkpoint`/`jax.remat`, including `functools.partial(jax.jit, static_argnums=...)` decorators, ' +
        'with the arguments each traces (arguments in `static_argnums`/`static_argnames`, `in_axes=None` and parameters ' +
        'with a default value are left out), and the helpers of this file they call with such values (two calls deep, the ' +
        'parameters that receive them), and the functions given to JAX\'s structured control flow, which traces them with ' +
        'abstract values whatever the caller (`lax.cond` and `lax.switch` branches, `lax.while_loop`\'s `cond_fun` and ' +
        '`body_fun`, `lax.fori_loop`\'s body, `lax.scan`\'s and `lax.map`\'s function: every argument). In their bodies it reports a truth test - an `if`/`elif`/`while` condition, ' +
        'the condition of a conditional expression, an operand of `not`, `and`, `or` - of such a traced argument or a ' +
        'value computed from it: a comparison (`<`, `>`, `<=`, `>=`, `==`, `!=`), directly or through a variable holding ' +
        'it, or a `jax.numpy` call on it (`if jnp.isnan(loss):`); a chained comparison anywhere (`jnp.where(0. < x < 1., x, 0.)`: ' +
        'Python evaluates `a < x < b` as `(a < x) and (x < b)`, a truth test of `a < x`); and ' +
        '`float()`, `int()`, `complex()` or ' +
        '`bool()` of such a value. For functions given to `jax.grad`, `jax.value_and_grad`, `jax.jacfwd`, `jax.jacrev`, ' +
        '`jax.jacobian` or `jax.hessian` alone (the differentiated arguments per `argnums`) it reports `float()` and ' +
        '`complex()` only. Comparisons that read only a shape or dtype (`x.shape[0] > 1`, `len(x)`, `x.ndim == 2`), ' +
        '`is`/`is not`/`in` tests and comparisons with `None` or a string are not reported.',
      whyIsThisBad:
        'Under `jit`, `vmap`, `pmap` and `checkpoint` JAX runs the Python function once with tracers that stand for any ' +
        'array of the given shape and dtype. A Python `if` on `x > 0` needs a single `True` or `False`, which the tracer does ' +
        'not have: JAX raises `TracerBoolConversionError: Attempted boolean conversion of traced array` (a ' +
        '`ConcretizationTypeError`). Under `jax.grad` alone the primal values are concrete and such an `if` works, but ' +
        '`float(x)` still raises `TypeError: JAX Tracer object cannot be interpreted as a float`: JAX refuses it because it ' +
        'would cut the derivative like a silent `stop_gradient` (the JAX maintainers in jax issue 2783).',
      example: [
        '```python',
        '@jax.remat',
        'def f(x):',
        '    if x > 0:',
        '        return x',
        '    else:',
        '        return jnp.sin(x)',
        '',
        'def g(x):',
        '    return x if float(x) >= 0. else -x',
        'jax.grad(g)(3.)',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        '@jax.remat',
        'def f(x):',
        '    return jnp.where(x > 0, x, jnp.sin(x))   # or jax.lax.cond(x > 0, lambda v: v, jnp.sin, x)',
        '',
        'def g(x):',
        '    return jnp.where(x >= 0., x, -x)',
        'jax.grad(g)(3.)',
        '```',
        '',
        'When the branch depends on a configuration value, not data, pass it as a static argument: ',
        '`@partial(jax.jit, static_argnums=(1,))` with the `if` testing argument 1.',
      ].join('\n'),
      knownProblems:
        'Checked against the JAX documentation and maintainers\' examples, not run (JAX is not installed where this linter ' +
        'is tested). Only functions of this file are checked, transformed directly or called (two calls deep) with traced ' +
        'values; a function differentiated inside a jitted one (`jax.jit(jax.grad(f))`) is not followed, nor is a traced value passed on ' +
        'to a Flax module (`deterministic=not training` in `__call__`). A traced argument tested bare (`if training:`, ' +
        '`not flag`) and attribute reads of a traced argument (`model.dim == 4`) are not reported: arguments may be ' +
        'pytrees (modules, optimizer states) or None, whose truth value and static fields JAX does not trace; except a ' +
        'bare test of an argument of a function transformed by its decorator (`@jax.jit`) that every call in the file gives ' +
        'a Python bool or number (`step(x, True)`): traced, that is an array of shape () (jax-ml/jax#22098: `if True and flag:` in a jitted function called with `True`). Methods ' +
        '(`self`) and Flax modules are not checked.',
      fixSafety: 'No automatic fix: the rewrite (`jnp.where`, `lax.cond`, `lax.while_loop`, a static argument) depends on the intent.',
      references: [
        '[JAX errors: TracerBoolConversionError](https://docs.jax.dev/en/latest/errors.html#jax.errors.TracerBoolConversionError)',
        '[JAX: Control flow and logical operators with JIT](https://docs.jax.dev/en/latest/control-flow.html)',
        '[jax pull request 24511: the remat concreteness error](https://github.com/jax-ml/jax/pull/24511)',
        '[jax issue 2783: float() of a tracer under grad](https://github.com/jax-ml/jax/issues/2783)',
        '[JAX: jax.lax.switch (branches are traced)](https://docs.jax.dev/en/latest/_autosummary/jax.lax.switch.html)',
        '[Python: chained comparisons](https://docs.python.org/3/reference/expressions.html#comparisons)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    const reported = new Set<number>();
    for (const t of transformed(m)) {
      const body = field(t.fn.node, 'body');
      if (!body) continue;
      const traced = tracedBindings(m, t.fn, t.params);
      if (t.kind === 'abstract') {
        const scalars = t.depth === 0 ? scalarLiteralParams(t) : new Set<Binding>();
        const conds = conditions(m, t.fn);
        for (const chain of chainedComparisons(m, t.fn, conds)) {
          const hit = chainedTruthOfTraced(m, chain, traced);
          if (!hit || reported.has(chain.id)) continue;
          reported.add(chain.id);
          ctx.report({
            node: chain,
            message:
              `\`${ctx.text(chain)}\` is a chained comparison, which Python evaluates as \`(${hit.pair}) and ...\`: it takes the truth ` +
              `value of \`${hit.pair}\`, which depends on \`${ctx.text(hit.use)}\`, a value JAX traces here (${t.why}), and JAX raises ` +
              'TracerBoolConversionError. Combine the comparisons elementwise: `(a < x) & (x < b)`.',
            related: [{ node: t.site, message: 'the transform that traces the argument' }],
          });
        }
        for (const cond of conds) {
          const hit = truthOfTraced(m, cond, traced, 0, scalars);
          if (!hit || reported.has(hit.cmp.id)) continue;
          reported.add(hit.cmp.id);
          ctx.report({
            node: hit.cmp,
            message:
              `Python takes the truth value of \`${ctx.text(hit.cmp)}\`, which depends on \`${ctx.text(hit.use)}\`, a value JAX traces ` +
              `here (${t.why}): it has no concrete True/False there and JAX raises TracerBoolConversionError. Use ` +
              '`jnp.where` or `jax.lax.cond`, or make the argument static (`static_argnums`).',
            related: [{ node: t.site, message: 'the transform that traces the argument' }],
          });
        }
      }
      const conversions = t.kind === 'abstract' ? ['float', 'int', 'complex', 'bool'] : ['float', 'complex'];
      for (const c of m.calls) {
        if (!c.qname || !conversions.includes(c.qname) || c.calleeCall || c.positional.length !== 1 || reported.has(c.node.id)) continue;
        if (!contains(body, c.node) || m.enclosingFunction(c.node) !== t.fn) continue;
        const use = tracedArrayIn(m, c.positional[0], traced);
        if (!use) continue;
        reported.add(c.node.id);
        ctx.report({
          node: c.node,
          message:
            `\`${ctx.text(c.node)}\` converts \`${ctx.text(use)}\`, a value JAX traces here (${t.why}), to a Python ` +
            `${c.qname}: JAX cannot give a tracer a concrete value${t.kind === 'derivative' ? ' (it would cut the derivative)' : ''} and raises an error. ` +
            'Keep it an array (`x.astype(...)`, `jnp.where`) or compute the Python value outside the transform.',
          related: [{ node: t.site, message: 'the transform that traces the argument' }],
        });
      }
    }
  },
};
