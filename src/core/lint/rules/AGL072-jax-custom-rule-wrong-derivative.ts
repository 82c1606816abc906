/**
 * AGL072 jax-custom-rule-wrong-derivative: a JAX custom derivative rule that does not compute the derivative of the
 * function it belongs to. A JVP rule of a `@jax.custom_jvp` function `f` must return the tangent of `f`'s output
 * (the directional derivative along the input tangents); the backward rule of a `@jax.custom_vjp` function must
 * return, for each argument, the cotangent `g · ∂f/∂x`. When `f`, the rule (and the forward function of a
 * `custom_vjp`) are small elementwise expressions, the rule is evaluated at a few points and compared with central
 * differences of `f` itself (`scalar-eval.ts`): the sign error of the `jax.custom_jvp` docstring (jax-ml/jax#3213),
 * a second-order rule that drops its residuals' cotangent (jax-ml/jax#21220). Also the shape: a JVP tangent whose rank
 * relative to the inputs differs from the primal output's (`q[0]` against `expit(q) * q_dot`). JAX is not installed here: the
 * contract is the one JAX's documentation states, the values are computed by the linter.
 */
import { JAX_FORWARD_RULE_DECORATORS } from '../knowledge/jax';
import type { Rule, RuleContext } from '../rule';
import { evaluateFunction, evaluateIn, leaves, mapLeaves, RANKS, type GVal, type Rank, type Val } from '../scalar-eval';
import type { FunctionInfo, SemanticModel } from '../semantic';
import { bindingValue } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';
import { arity, customVjpOf, decoratorsOf, functionAt, jvpRules } from '../custom-rules';
import { close, fmt, isIdentity, numericColumn, pointsFor, unit } from '../numeric-derivative';

/**
 * The tuple structure of each parameter of `f`, from how the file unpacks it (`x, = saved` makes `saved` a one-item
 * tuple; `(a, b), c = p` a nested one); a scalar otherwise. Null when a starred target makes it unknown.
 */
function paramStructures(m: SemanticModel, f: FunctionInfo): Val[] | null {
  const out: Val[] = [];
  for (const p of f.params) {
    const paths: number[][] = [];
    for (const b of m.bindings) {
      if (b.path.length === 0 || !b.value) continue;
      const v = unparen(b.value);
      if (v.type !== 'identifier' || !m.isUse(v)) continue;
      const r = m.reachingBindings(v);
      if (r.length !== 1 || r[0] !== p) continue;
      if (m.textOf(b.stmt).split('=')[0].includes('*')) return null;
      paths.push(b.path);
    }
    out.push(paths.length === 0 ? 0 : build(paths));
  }
  return out;
}

function build(paths: number[][]): Val {
  if (paths.some((p) => p.length === 0)) return 0;
  const n = Math.max(...paths.map((p) => p[0])) + 1;
  return [...Array(n).keys()].map((i) => {
    const sub = paths.filter((p) => p[0] === i).map((p) => p.slice(1));
    return sub.length === 0 ? 0 : build(sub);
  });
}

/** Whether an expression deliberately gives a zero (co)tangent: `None`, `0.`, `jnp.zeros_like(x)`, a tuple of them. */
function deliberateZero(m: SemanticModel, n: PyNode): boolean {
  const u = unparen(n);
  if (u.type === 'none') return true;
  if ((u.type === 'integer' || u.type === 'float') && Number(m.textOf(u)) === 0) return true;
  if (u.type === 'tuple' || u.type === 'list') return namedChildren(u).every((c) => deliberateZero(m, c));
  if (u.type === 'call') return /(?:^|\.)zeros(?:_like)?$/.test(m.qualifiedName(field(u, 'function') ?? u) ?? '');
  return false;
}

/** An item of a rule's returned tuple, through a name bound once in the rule (`tangent_out = ...`). */
function itemNode(m: SemanticModel, rule: FunctionInfo, ret: PyNode, i: number | null): PyNode {
  let n = unparen(ret);
  if (i !== null) {
    if (n.type === 'identifier' && m.isUse(n)) {
      const b = m.reachingBindings(n);
      const v = b.length === 1 && b[0].scope === rule.scope && b[0].path.length === 0 ? bindingValue(b[0]) : null;
      if (v) n = unparen(v);
    }
    const items = n.type === 'tuple' || n.type === 'expression_list' || n.type === 'list' ? namedChildren(n) : null;
    if (!items || i >= items.length) return ret;
    n = unparen(items[i]);
  }
  if (n.type === 'identifier' && m.isUse(n)) {
    const b = m.reachingBindings(n);
    const v = b.length === 1 && b[0].scope === rule.scope ? bindingValue(b[0]) : null;
    if (v && b[0].path.length === 0) return v;
  }
  return n;
}

function argName(f: FunctionInfo, structure: Val[], j: number): string {
  let k = 0;
  for (let i = 0; i < f.params.length; i++) {
    const c = leaves(structure[i]).length;
    if (j < k + c) return c === 1 && typeof structure[i] === 'number' ? `\`${f.params[i].name}\`` : `an entry of \`${f.params[i].name}\``;
    k += c;
  }
  return 'an input';
}

function argOfLeaf(structure: Val[], j: number): number {
  let k = 0;
  for (let i = 0; i < structure.length; i++) {
    k += leaves(structure[i]).length;
    if (j < k) return i;
  }
  return -1;
}

function pointText(f: FunctionInfo, p: Val[]): string {
  return f.params.map((q, i) => `${q.name}=${JSON.stringify(p[i], (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(3)) : v))}`).join(', ');
}

interface Mismatch {
  j: number;
  o: number;
  rule: number;
  true: number;
  point: Val[];
}

/** The first (input leaf, output leaf) whose rule value differs from the numeric derivative at every point. */
function compare(
  m: SemanticModel,
  f: FunctionInfo,
  points: Val[][],
  nIn: number,
  ruleColumn: (p: Val[], j: number, fOut: Val) => number[] | null,
): Mismatch | null | 'skip' {
  const outs: number[][] = [];
  const fOuts: Val[] = [];
  for (const p of points) {
    const v = evaluateFunction(m, f, p);
    if (v === undefined) return 'skip';
    const l = leaves(v);
    if (!l.every(Number.isFinite)) return 'skip';
    outs.push(l);
    fOuts.push(v);
  }
  if (isIdentity(outs, points)) return 'skip';
  let first: Mismatch | null = null;
  for (let j = 0; j < nIn && !first; j++) {
    const cols: { rule: number[]; num: number[] }[] = [];
    for (let k = 0; k < points.length; k++) {
      const num = numericColumn(m, f, points[k], j);
      const rule = ruleColumn(points[k], j, fOuts[k]);
      if (!num || !rule || rule.length !== num.length || !rule.every(Number.isFinite)) return 'skip';
      cols.push({ rule, num });
    }
    for (let o = 0; o < cols[0].num.length; o++) {
      if (cols.every((c) => !close(c.rule[o], c.num[o]))) {
        first = { j, o, rule: cols[0].rule[o], true: cols[0].num[o], point: points[0] };
        break;
      }
    }
  }
  return first;
}

/** Whether `fn` is given as the backward rule of another `custom_vjp` function (a rule made differentiable itself). */
function isBackwardOfOther(m: SemanticModel, fn: FunctionInfo): boolean {
  return m.calls.some((c) => c.method === 'defvjp' && functionAt(m, c.positional[1] ?? c.keywords.get('bwd')) === fn);
}

/** `structure` with leaf j replaced by the rank of input j. */
function inputRanks(structure: Val, counter = { k: 0 }): GVal<Rank> {
  if (structure === null || typeof structure === 'number') return { v: counter.k++, k: 0 };
  return structure.map((s) => inputRanks(s, counter));
}

function rankLeaves(v: GVal<Rank> | undefined): (Rank | null)[] | null {
  if (v === undefined) return null;
  if (v === null) return [null];
  if (!Array.isArray(v)) return [v];
  const out: (Rank | null)[] = [];
  for (const x of v) {
    const l = rankLeaves(x);
    if (!l) return null;
    out.push(...l);
  }
  return out;
}

function axes(n: number): string {
  return `${n} ${n === 1 ? 'axis' : 'axes'}`;
}

/**
 * Shapes: a JVP rule's tangent output must have the primal output's shape. Ranks are followed relative to the inputs'
 * (`q[0]` has one axis fewer than `q`, `expit(x) * x_dot` the axes of `x`), so a difference holds whatever the inputs are.
 */
function checkJvpRanks(ctx: RuleContext, f: FunctionInfo, rule: FunctionInfo, structure: Val[]): boolean {
  const m = ctx.model;
  const args = inputRanks(structure) as GVal<Rank>[];
  const primal = rankLeaves(evaluateIn(RANKS, m, f, args));
  const out = evaluateIn(RANKS, m, rule, [args, args]);
  if (!primal || !Array.isArray(out) || out.length !== 2) return false;
  const tangent = rankLeaves(out[1]);
  if (!tangent || tangent.length !== primal.length) return false;
  for (let o = 0; o < primal.length; o++) {
    const p = primal[o];
    const t = tangent[o];
    if (!p || !t || p.v === null || p.v !== t.v || p.k === t.k) continue;
    const node = itemNode(m, rule, rule.returns[0], 1);
    const input = argName(f, structure, p.v);
    const ruleName = rule.name === '<lambda>' ? 'The JVP rule (a lambda)' : `The JVP rule \`${rule.name}\``;
    ctx.report({
      node,
      message:
        `${ruleName} of the custom_jvp function \`${f.name}\` returns a tangent with ${axes(Math.abs(t.k - p.k))} ${t.k > p.k ? 'more' : 'fewer'} than ` +
        `\`${f.name}\`'s output: the output has ${p.k === 0 ? 'the axes' : `${axes(Math.abs(p.k))} ${p.k < 0 ? 'fewer than' : 'more than'}`} ${p.k === 0 ? 'of ' : ''}${input}, ` +
        `the tangent ${t.k === 0 ? 'the axes of' : `${axes(Math.abs(t.k))} ${t.k < 0 ? 'fewer than' : 'more than'}`} ${input}, whatever its shape. JAX requires the ` +
        'tangent output to have the primal output\'s shape and dtype, and fails (with a confusing error) when the rule is used. ' +
        'Give the tangent the shape of the primal output (index or reduce it as the function does).',
      related: [{ node: f.returns[0], message: `\`${f.name}\` computes its output here` }],
    });
    return true;
  }
  return false;
}

function checkJvp(ctx: RuleContext, f: FunctionInfo): void {
  const m = ctx.model;
  const plain = decoratorsOf(f).some((d) => {
    const e = namedChildren(d)[0];
    return e !== undefined && unparen(e).type !== 'call' && JAX_FORWARD_RULE_DECORATORS.has(m.qualifiedName(e) ?? '') && m.qualifiedName(e) === 'jax.custom_jvp';
  });
  if (!plain || arity(f) === null || f.params.length === 0) return;
  const structure = paramStructures(m, f);
  if (!structure) return;
  const nIn = leaves(structure).length;
  const points = pointsFor(structure);
  for (const { rule } of jvpRules(m, f)) {
    if (rule.params.length !== 2 || rule.returns.length !== 1) continue;
    if (checkJvpRanks(ctx, f, rule, structure)) continue;
    let primalOk = true;
    const res = compare(m, f, points, nIn, (p, j, fOut) => {
      const out = evaluateFunction(m, rule, [p, unit(p, j)]);
      if (!Array.isArray(out) || out.length !== 2) return null;
      const pl = leaves(out[0]);
      const fl = leaves(fOut);
      if (pl.length !== fl.length || !pl.every((x, i) => close(x, fl[i]))) primalOk = false;
      const t = out[1] === null ? fl.map(() => 0) : leaves(out[1]);
      return t;
    });
    if (res === 'skip' || !res || !primalOk) continue;
    const node = itemNode(m, rule, rule.returns[0], 1);
    // A tangent given as a deliberate zero (`jnp.zeros_like(x)`) is a choice, not a slip.
    if (deliberateZero(m, node)) continue;
    const arg = argName(f, structure, res.j);
    const ruleName = rule.name === '<lambda>' ? 'The JVP rule (a lambda)' : `The JVP rule \`${rule.name}\``;
    ctx.report({
      node,
      message:
        `${ruleName} of the custom_jvp function \`${f.name}\` gives the tangent output ${fmt(res.rule)} for a unit tangent of ${arg} ` +
        `at ${pointText(f, res.point)}, but the derivative of \`${f.name}\` with respect to it there is ${fmt(res.true)}: JAX uses the rule in place of \`${f.name}\`'s ` +
        `body whenever \`${f.name}\` is differentiated (\`jax.grad\`, \`jax.jvp\`, \`jax.jacfwd\`...), so every such derivative is wrong. ` +
        `Make the tangent the derivative of the primal output (\`∂${f.name}/∂x · x_dot\` summed over the inputs).`,
      related: [{ node: f.returns[0], message: `\`${f.name}\` computes this` }],
    });
  }
}

/**
 * Shapes: each cotangent a backward rule returns must have its argument's shape. With ranks relative to the inputs
 * (`g * x[0]` has one axis fewer than `x`), a cotangent of another rank than its (array) argument is reported.
 */
function checkVjpRanks(ctx: RuleContext, f: FunctionInfo, fwd: FunctionInfo, bwd: FunctionInfo, structure: Val[], defvjp: PyNode): boolean {
  const m = ctx.model;
  const args = inputRanks(structure) as GVal<Rank>[];
  const fw = evaluateIn(RANKS, m, fwd, args);
  const out = evaluateIn(RANKS, m, f, args);
  if (!Array.isArray(fw) || fw.length !== 2 || out === undefined) return false;
  const ct = evaluateIn(RANKS, m, bwd, [fw[1], out]);
  if (!Array.isArray(ct) || ct.length !== args.length) return false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const c = ct[i];
    if (Array.isArray(a) || a === null || c === null || c === undefined || Array.isArray(c)) continue;
    if (c.v !== a.v || c.k === 0) continue;
    const node = itemNode(m, bwd, bwd.returns[0], i);
    const ruleName = bwd.name === '<lambda>' ? 'The backward rule (a lambda)' : `The backward rule \`${bwd.name}\``;
    ctx.report({
      node,
      message:
        `${ruleName} of the custom_vjp function \`${f.name}\` returns a cotangent for \`${f.params[i].name}\` with ${axes(Math.abs(c.k))} ` +
        `${c.k > 0 ? 'more' : 'fewer'} than \`${f.params[i].name}\` itself, whatever its shape: JAX requires each cotangent to have its ` +
        'argument\'s shape and dtype and raises "Custom VJP bwd rule must produce an output with the same shape/dtypes as the ' +
        'args tuple of the primal function" when the function is differentiated. Give the cotangent the argument\'s shape ' +
        '(`jnp.zeros_like(x).at[0].set(...)` for an entry of it).',
      related: [{ node: defvjp, message: 'the rules are given here' }],
    });
    return true;
  }
  return false;
}

function checkVjp(ctx: RuleContext, defvjp: PyNode, receiver: PyNode, fwdArg: PyNode | undefined, bwdArg: PyNode | undefined): void {
  const m = ctx.model;
  const cv = customVjpOf(m, receiver);
  if (!cv || cv.diffArgs === null || cv.nondiff.length > 0) return;
  const f = cv.f;
  const fwd = functionAt(m, fwdArg);
  const bwd = functionAt(m, bwdArg);
  if (!fwd || !bwd || bwd.params.length !== 2 || bwd.returns.length !== 1 || f.params.length === 0) return;
  const structure = paramStructures(m, f);
  if (!structure) return;
  if (checkVjpRanks(ctx, f, fwd, bwd, structure, defvjp)) return;
  const nIn = leaves(structure).length;
  const points = pointsFor(structure);
  let primalOk = true;
  const dropped = new Set<number>();
  // The rule's column for input leaf j: output leaf o gets g = e_o, the cotangent's entry for leaf j.
  const res = compare(m, f, points, nIn, (p, j, fOut) => {
    const fw = evaluateFunction(m, fwd, p);
    if (!Array.isArray(fw) || fw.length !== 2) return null;
    const fl = leaves(fOut);
    const pl = leaves(fw[0]);
    if (pl.length !== fl.length || !pl.every((x, i) => close(x, fl[i]))) primalOk = false;
    const col: number[] = [];
    for (let o = 0; o < fl.length; o++) {
      const g = mapLeaves(fOut, (i) => (i === o ? 1 : 0));
      const ct = evaluateFunction(m, bwd, [fw[1], g]);
      if (!Array.isArray(ct) || ct.length !== p.length) return null;
      const i = argOfLeaf(structure, j);
      const before = leaves(structure.slice(0, i)).length;
      const item = ct[i];
      if (item === null) dropped.add(i);
      const entries = item === null ? leaves(structure[i]).map(() => 0) : leaves(item);
      if (entries.length !== leaves(structure[i]).length) return null;
      col.push(entries[j - before]);
    }
    return col;
  });
  if (res === 'skip' || !res || !primalOk) return;
  const i = argOfLeaf(structure, res.j);
  const node = itemNode(m, bwd, bwd.returns[0], i);
  const zero = dropped.has(i) || deliberateZero(m, node);
  // A `None` (zero) cotangent is a common choice for an argument nobody differentiates (labels, a step size); it is
  // reported only for a backward rule that is itself a `custom_vjp` function's backward rule, differentiated for a
  // second derivative, where its residual arguments carry the primal inputs.
  if (zero && !isBackwardOfOther(m, f)) return;
  const arg = argName(f, structure, res.j);
  const ruleName = bwd.name === '<lambda>' ? 'The backward rule (a lambda)' : `The backward rule \`${bwd.name}\``;
  ctx.report({
    node,
    message:
      `${ruleName} of the custom_vjp function \`${f.name}\` returns ${zero ? 'a zero cotangent (`None`)' : `a cotangent of ${fmt(res.rule)}`} for ${arg} ` +
      `at ${pointText(f, res.point)} with an output cotangent of 1, but \`${f.name}\`'s derivative with respect to it there is ${fmt(res.true)}: ` +
      `JAX uses the rule in place of \`${f.name}\`'s body whenever \`${f.name}\` is differentiated, so every gradient through it is wrong` +
      `${zero ? ` (\`${f.name}\` is itself a backward rule here: a second derivative flows through this argument)` : ''}. ` +
      `Return \`g * ∂${f.name}/∂x\` for each argument, computed from the residuals.`,
    related: [
      { node: f.returns[0], message: `\`${f.name}\` computes this` },
      { node: defvjp, message: 'the rules are given here' },
    ],
  });
}

export const AGL072: Rule = {
  meta: {
    code: 'AGL072',
    name: 'jax-custom-rule-wrong-derivative',
    summary: 'A JAX custom_jvp/custom_vjp rule whose (co)tangent is not the derivative of its function (checked numerically on elementwise code), or a JVP tangent of another rank than the output.',
    framework: 'jax',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'For a `@jax.custom_jvp` function `f` with a JVP rule (`@f.defjvp`), and a `@jax.custom_vjp` function `f` with rules ' +
        '`f.defvjp(fwd, bwd)`, where `f`, the rules and the functions they call are straight-line elementwise code (arithmetic, ' +
        '`jnp.sin`, `jnp.exp`, `jnp.log`, `jax.nn.sigmoid`, ... on the arguments, tuples and their unpacking), evaluates them ' +
        'at three points inside (0, 1) and compares the rule with central differences of `f`: the JVP rule\'s tangent output ' +
        'for a unit input tangent, the backward rule\'s cotangent for a unit output cotangent. Reports the rule\'s expression ' +
        'for the first input whose derivative differs at every point. Shapes too: the JVP rule\'s tangent output must have ' +
        'the primal output\'s shape, and ranks are followed relative to the inputs\' (`q[0]` has one axis fewer than `q`; ' +
        '`expit(x) * x_dot` the axes of `x`), so a tangent with more or fewer axes than the output is reported whatever the ' +
        'inputs\' shapes are (jax-ml/jax#2502: a scalar output with a `(1,)` tangent fails with a misleading error); likewise ' +
        'a backward rule\'s cotangent with more or fewer axes than its argument (`g * x[0]` for `x`).',
      whyIsThisBad:
        'JAX uses the rule instead of `f`\'s body whenever `f` is differentiated (JAX\'s "Custom derivative rules" tutorial): ' +
        'a rule that is not `f`\'s derivative makes every gradient, Jacobian and JVP through `f` wrong, silently. The ' +
        'example of the `jax.custom_jvp` docstring itself had a sign error in the tangent with respect to `y` (jax-ml/jax#3213); ' +
        'a backward rule made differentiable with a nested `custom_vjp` that returns `None` for its residuals drops the ' +
        'second derivative (jax-ml/jax#21220).',
      example:
        '```python\n@jax.custom_jvp\ndef f(x, y):\n    return jnp.sin(x) * y\n\n@f.defjvp\ndef f_jvp(primals, tangents):\n' +
        '    x, y = primals\n    x_dot, y_dot = tangents\n    primal_out = f(x, y)\n' +
        '    tangent_out = jnp.cos(x) * x_dot * y - jnp.sin(x) * y_dot  # the y term has the wrong sign\n' +
        '    return primal_out, tangent_out\n```',
      useInstead: '```python\n    tangent_out = jnp.cos(x) * x_dot * y + jnp.sin(x) * y_dot\n```',
      knownProblems:
        'Checked against JAX\'s documentation, not run (JAX is not installed here); the values are computed by the linter in ' +
        'double precision. Only elementwise straight-line code is evaluated: a reduction, an index into an array, a `where`, a ' +
        'branch, `abs`/`clip`/`round` or a call the linter does not know leaves the rule unchecked. A function that returns one ' +
        'of its arguments unchanged (a gradient-reversal or gradient-clipping identity) is taken to change its gradient on ' +
        'purpose and is not checked, and so is a deliberate zero (`None`, `jnp.zeros_like(x)`) for an argument, except in a ' +
        'backward rule that is itself made differentiable by a `custom_vjp` (the second-order case). Surrogate gradients ' +
        'written with evaluable functions (a `tanh` forward with an identity backward) would be reported: suppress them with ' +
        '`# noqa: AGL072`. `nondiff_argnums`, `jax.custom_jvp(f)` without a decorator and methods are not read.',
      fixSafety: 'No automatic fix: the right derivative has to be written by hand.',
      references: [
        '[JAX: Custom derivative rules for JAX-transformable Python functions](https://docs.jax.dev/en/latest/notebooks/Custom_derivative_rules_for_Python_code.html)',
        '[jax.custom_jvp](https://docs.jax.dev/en/latest/_autosummary/jax.custom_jvp.html)',
        '[jax-ml/jax#3213: sign error in the jax.custom_jvp docs](https://github.com/jax-ml/jax/issues/3213)',
        '[jax-ml/jax#21220: nested custom_vjp gives a zero second derivative](https://github.com/jax-ml/jax/issues/21220)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    for (const f of m.functions) {
      if (f.returns.length === 1 && f.node.type !== 'lambda' && f.decorators.length > 0) checkJvp(ctx, f);
    }
    const seen = new Set<PyNode>();
    for (const c of m.calls) {
      if (c.method !== 'defvjp' || !c.receiver || c.hasStarArgs || c.hasKwargs) continue;
      const fwd = c.positional[0] ?? c.keywords.get('fwd');
      const bwd = c.positional[1] ?? c.keywords.get('bwd');
      if (!bwd || seen.has(bwd)) continue;
      seen.add(bwd);
      checkVjp(ctx, c.node, c.receiver, fwd, bwd);
    }
  },
};
