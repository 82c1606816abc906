/**
 * AGL015 jax-grad-non-scalar: `jax.grad(f)` (or `jax.value_and_grad(f)`) where `f` visibly returns a
 * non-scalar: `jnp.stack`/`jnp.array([...])`/a tuple, or an elementwise expression of an argument that
 * is visibly an array at the call (`grad(lambda x: x ** 2)(xs)`), or a model applied to a visible batch, or
 * a model object with a visible output width differentiated itself (`jax.grad(eqx.nn.MLP(..., out_size=1))`).
 * JAX raises "Gradient only defined for scalar-output functions". Checked against JAX's documentation, not run.
 */
import { JAX_MODEL_OUTPUT_ARG, MODEL_OUTPUT_KEYWORDS } from '../knowledge/jax';
import type { Rule, RuleContext } from '../rule';
import type { Binding, CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { elementwiseParams, intrinsicNonScalar, isCallOfCall, resolveFunction, visibleShape, type NonScalar } from '../jax';
import { field, namedChildren, unparen, type PyNode } from '../tree';
import { isKind, Kind, type AV } from '../analysis/values';
import type { Fix } from '../types';

const GRADS = new Set(['jax.grad', 'jax.value_and_grad']);

function shapeText(dims: number[]): string {
  return `(${dims.map((d) => (d < 0 ? '?' : String(d))).join(', ')}${dims.length === 1 ? ',' : ''})`;
}

/**
 * Per file, once: the plain bindings of each value node, and the calls of a plain name by the bindings that
 * reach that name. Looked up per transformed function instead of scanning every binding and call for each
 * (quadratic in a large file).
 */
interface ApplicationIndex {
  bindingsOfValue: Map<PyNode, Binding[]>;
  callsOfBinding: Map<Binding, CallInfo[]>;
}
const indexes = new WeakMap<SemanticModel, ApplicationIndex>();

function applicationIndex(m: SemanticModel): ApplicationIndex {
  let ix = indexes.get(m);
  if (ix) return ix;
  ix = { bindingsOfValue: new Map(), callsOfBinding: new Map() };
  for (const b of m.bindings) {
    if (!b.value || b.path.length !== 0) continue;
    const list = ix.bindingsOfValue.get(b.value);
    if (list) list.push(b);
    else ix.bindingsOfValue.set(b.value, [b]);
  }
  for (const c of m.calls) {
    const fn = field(c.node, 'function');
    if (!fn || fn.type !== 'identifier' || !m.isUse(fn)) continue;
    for (const b of new Set(m.reachingBindings(fn))) {
      const list = ix.callsOfBinding.get(b);
      if (list) list.push(c);
      else ix.callsOfBinding.set(b, [c]);
    }
  }
  indexes.set(m, ix);
  return ix;
}

/** Calls that apply the transformed function: `grad(f)(args)` or `g = grad(f)` ... `g(args)`. */
function applications(ctx: RuleContext, grad: CallInfo): CallInfo[] {
  const m = ctx.model;
  const out: CallInfo[] = [];
  const p = grad.node.parent;
  if (p && p.type === 'call' && field(p, 'function') === grad.node) {
    const c = m.call(p);
    if (c) out.push(c);
  }
  const stmtParent = grad.node.parent;
  if (stmtParent && stmtParent.type === 'assignment' && field(stmtParent, 'right') === grad.node) {
    const ix = applicationIndex(m);
    const bound = ix.bindingsOfValue.get(grad.node) ?? [];
    if (bound.length > 0) {
      // In the order of m.calls, each call once, as the scan over every call gave them.
      const found = new Set<CallInfo>();
      for (const b of bound) for (const c of ix.callsOfBinding.get(b) ?? []) found.add(c);
      if (found.size > 0) for (const c of m.calls) if (found.has(c)) out.push(c);
    }
  }
  return out;
}

interface Finding {
  node: PyNode;
  why: string;
  app: CallInfo | null;
  /** Found through `vmap(grad(f))`: each mapped slice still has an axis. */
  mapped?: boolean;
}

/** Non-scalar because an elementwise return meets an array argument at a call site. */
function byArguments(
  ctx: RuleContext,
  fn: FunctionInfo,
  app: CallInfo,
  shapeOf: ((arg: PyNode) => number[] | null) | null = null,
  describe: (arg: PyNode, shape: number[]) => string = (arg, shape) => `\`${ctx.text(arg)}\` of shape ${shapeText(shape)} here`,
): Finding | null {
  const m = ctx.model;
  if (app.hasStarArgs || app.hasKwargs || fn.isMethod) return null;
  let first: Finding | null = null;
  for (const r of fn.returns) {
    const deps = elementwiseParams(m, fn, r);
    if (!deps || deps.size === 0) return null;
    let hit: Finding | null = null;
    for (const [name, how] of deps) {
      const param = fn.params.find((p) => p.name === name);
      if (!param?.param || param.param.star !== 'none') continue;
      const arg = app.keywords.get(name) ?? app.positional[param.param.index];
      if (!arg) continue;
      // Shapes from the analysis (`shapeOf`) judge elementwise returns only: a model's batch needs a visible size.
      const shape = shapeOf ? shapeOf(arg) : visibleShape(m, arg);
      if (!shape || shape.length === 0) continue;
      if (how === 'elementwise') {
        hit = { node: r, app, why: `\`${ctx.text(r)}\` is elementwise in \`${name}\`, which is ${describe(arg, shape)}, so the output has that shape` };
      } else if (!shapeOf && shape.length >= 2 && shape[0] !== 1 && shape[0] !== 0) {
        hit = { node: r, app, why: `\`${ctx.text(r)}\` applies a model to \`${name}\`, which is the batch \`${ctx.text(arg)}\` of shape ${shapeText(shape)} here, so the output has one row per sample` };
      }
      if (hit) break;
    }
    if (!hit) return null;
    first ??= hit;
  }
  return first;
}

/** The axis `jax.vmap`'s `in_axes` maps for positional argument `k`: a number, 'none' (not mapped), or null (unknown). */
function mappedAxis(m: SemanticModel, inAxes: PyNode | undefined, k: number): number | 'none' | null {
  if (!inAxes) return 0;
  let n = unparen(inAxes);
  if (n.type === 'tuple' || n.type === 'list') {
    const items = namedChildren(n);
    if (k >= items.length) return null;
    n = unparen(items[k]);
  }
  if (n.type === 'none') return 'none';
  return n.type === 'integer' ? Number(m.textOf(n)) : null;
}

/**
 * `jax.vmap(jax.grad(f))(xs)` (also `vmap` of `vmap` of it, and through a name): `vmap` removes the mapped axis of each
 * argument and calls the gradient on the rest. When `f` is elementwise in an argument whose visible shape keeps an axis
 * after that (a column of points of shape (n, 1) gives each call shape (1,)), the gradient is taken of a non-scalar.
 */
function byMappedArguments(ctx: RuleContext, fn: FunctionInfo, grad: CallInfo): Finding | null {
  const m = ctx.model;
  let node: PyNode = grad.node;
  const axes: (PyNode | undefined)[] = [];
  let outer: CallInfo | null = null;
  for (let i = 0; i < 3; i++) {
    const list = node.parent;
    const parent = list?.parent;
    if (!list || list.type !== 'argument_list' || !parent || parent.type !== 'call') break;
    const c = m.call(parent);
    if (!c || c.qname !== 'jax.vmap' || !c.positional[0] || unparen(c.positional[0]) !== node || c.hasStarArgs || c.hasKwargs) break;
    if (c.keywords.has('axis_size') || c.keywords.has('spmd_axis_name')) break;
    axes.push(c.keywords.get('in_axes') ?? c.positional[1]);
    outer = c;
    node = parent;
  }
  if (!outer) return null;
  for (const app of applications(ctx, outer)) {
    const shapeOf = (arg: PyNode): number[] | null => {
      const k = app.positional.indexOf(arg);
      let s = k >= 0 ? visibleShape(m, arg) : null;
      if (!s) return null;
      // The outermost map takes its axis first.
      for (const ax of [...axes].reverse()) {
        const a = mappedAxis(m, ax, k);
        if (a === null || (a !== 'none' && (a < 0 || a >= s.length))) return null;
        if (a !== 'none') s = [...s.slice(0, a), ...s.slice(a + 1)];
      }
      return s;
    };
    const hit = byArguments(ctx, fn, app, shapeOf, (arg, shape) => `each slice of \`${ctx.text(arg)}\` that \`vmap\` passes, of shape ${shapeText(shape)} (\`${ctx.text(arg)}\` has shape ${shapeText(visibleShape(m, arg) ?? [])})`);
    if (hit) return { ...hit, mapped: true };
  }
  return null;
}

/**
 * `jax.grad(mlp)` of a model object (not a function of this file) whose constructor gives an integer
 * output width: every binding of the name is such a construction. The width and where it is given.
 */
function modelOutputWidth(m: SemanticModel, funArg: PyNode): { width: number; arg: PyNode; ctor: PyNode; name: string } | null {
  if (funArg.type !== 'identifier' || !m.isUse(funArg)) return null;
  const bindings = m.reachingBindings(funArg);
  if (bindings.length === 0) return null;
  let found: { width: number; arg: PyNode; ctor: PyNode; name: string } | null = null;
  for (const b of bindings) {
    if (b.kind !== 'assign' || b.path.length > 0 || !b.value || b.value.type !== 'call') return null;
    const c = m.call(b.value);
    if (!c || c.hasKwargs) return null;
    const known = c.qname ? JAX_MODEL_OUTPUT_ARG[c.qname] : undefined;
    let arg: PyNode | null = null;
    for (const k of MODEL_OUTPUT_KEYWORDS) arg ??= c.keywords.get(k) ?? null;
    if (!arg && known && !c.hasStarArgs) arg = c.keywords.get(known.name) ?? c.positional[known.index] ?? null;
    const width = arg && arg.type === 'integer' ? Number(m.textOf(arg)) : NaN;
    if (!arg || !Number.isInteger(width) || width < 1) return null;
    found = { width, arg, ctor: b.value, name: known?.name ?? 'output width' };
  }
  return found;
}

/**
 * `f` made by `jax.vmap(g, ...)` (or `jax.pmap`), possibly through `jax.jit`, without `out_axes=None`: every
 * output of the mapped function has the mapped axis (https://docs.jax.dev/en/latest/_autosummary/jax.vmap.html),
 * so it is never scalar. The `vmap` call, or null.
 */
function vmappedFunction(m: SemanticModel, funArg: PyNode, depth = 0): PyNode | null {
  if (depth > 3) return null;
  const n = unparen(funArg);
  let call: PyNode | null = n.type === 'call' ? n : null;
  if (!call && n.type === 'identifier' && m.isUse(n)) {
    const reach = m.reachingBindings(n);
    if (reach.length !== 1 || reach[0].kind !== 'assign' || reach[0].path.length > 0 || !reach[0].value) return null;
    call = unparen(reach[0].value).type === 'call' ? unparen(reach[0].value) : null;
  }
  const c = call ? m.call(call) : undefined;
  if (!c || !c.qname || c.hasKwargs || c.hasStarArgs) return null;
  if (c.qname === 'jax.jit' && c.positional[0]) return vmappedFunction(m, c.positional[0], depth + 1);
  if (c.qname !== 'jax.vmap' && c.qname !== 'jax.pmap') return null;
  const outAxes = c.keywords.get('out_axes') ?? c.positional[2];
  if (outAxes && ctxText(m, outAxes) !== '0') return null;
  return call;
}

function ctxText(m: SemanticModel, n: PyNode): string {
  return m.textOf(n).replace(/\s+/g, '');
}

function jacrevFix(ctx: RuleContext, grad: CallInfo): Fix | null {
  if (grad.qname !== 'jax.grad') return null;
  const jax = ctx.model.moduleAlias('jax');
  const callee = field(grad.node, 'function');
  if (!jax || !callee) return null;
  return {
    title: `Use \`${jax}.jacrev\` (the full Jacobian; unsafe: the result gains the output's axes)`,
    safe: false,
    edits: [ctx.replace(callee, `${jax}.jacrev`)],
  };
}

export const AGL015: Rule = {
  meta: {
    code: 'AGL015',
    name: 'jax-grad-non-scalar',
    summary: '`jax.grad` of a function that visibly returns an array, which raises "Gradient only defined for scalar-output functions".',
    framework: 'jax',
    defaultSeverity: 'error',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds `jax.grad(f)` and `jax.value_and_grad(f)` where `f` (a `def` or lambda of this file) visibly returns something ' +
        'that is not a scalar: on every return path `jnp.stack(...)`, `jnp.concatenate(...)`, `jnp.array([...])`, a tuple ' +
        'or list (the first item when `has_aux=True`); or an elementwise expression of an argument (`x ** 2`, `jnp.sin(x)`) ' +
        'where the call `grad(f)(xs)` passes a visibly array-valued `xs` (`jnp.linspace`, `jnp.ones((n, d))`, ' +
        '`jax.random.normal(key, (n, d))`, ...); or a model applied to a visible batch of several rows. Also `jax.grad(mlp)` of ' +
        'a model object itself (an Equinox or Flax NNX module) whose constructor gives an integer output width ' +
        '(`out_size=1`, `out_features`, `output_size`; positionally for `eqx.nn.MLP`, `eqx.nn.Linear`, `nnx.Linear`). And ' +
        '`jax.grad(jax.vmap(f, ...))` (directly, through a name or through `jax.jit`): every output of a mapped function has the ' +
        'mapped axis unless `out_axes=None`, so it is never scalar (jax issue 2990: `grad(batched_predict)` of a vmapped ' +
        'network, answered with `jacfwd`/`jacrev`). And `jax.vmap(jax.grad(f))(xs)` (also `vmap` of `vmap` of it, with literal ' +
        '`in_axes`) where `f` is elementwise in an argument whose visible shape keeps an axis after the mapped ones are removed: ' +
        'a column of points of shape `(n, 1)` gives each call of `f` an array of shape `(1,)` (Stack Overflow 76791575, answered ' +
        'with `jax.vmap(jax.vmap(jax.grad(u)))`). The analysis also follows a transform made ' +
        'where the syntax cannot connect it to its application: returned by a helper (`def derivative(f): return jax.grad(f)`), ' +
        'built in a loop (`for _ in range(order): f = jax.grad(f)`), kept in an attribute; the application is reported when the ' +
        'argument is an array whose shape the analysis sees and every function the transform may differentiate is elementwise in ' +
        'it (or is itself `jax.grad` of that one argument). `from jax.numpy import *` (the file\'s last star import) binds `sin`, ' +
        '`array`, ... to `jax.numpy`.',
      whyIsThisBad:
        '`jax.grad` differentiates scalar-output functions only: anything else, including an array of shape `(1,)`, raises ' +
        '`TypeError: Gradient only defined for scalar-output functions`. For the derivatives of a vector-valued function ' +
        'you want its Jacobian, or the gradient of each output / each sample separately.',
      example: [
        '```python',
        'def velocity(x):',
        '    return jnp.array([x[0] ** 2, x[0] * x[1]])',
        '',
        'dv = jax.grad(velocity)(jnp.ones(2))  # TypeError',
        'slopes = jax.grad(lambda x: jnp.sin(x))(jnp.linspace(0, 1, 100))  # TypeError',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'J = jax.jacrev(velocity)(jnp.ones(2))            # (2, 2) Jacobian (jacfwd for few inputs)',
        'slopes = jax.vmap(jax.grad(jnp.sin))(jnp.linspace(0, 1, 100))  # one derivative per sample',
        'g = jax.grad(lambda x: jnp.sum(velocity(x)))(jnp.ones(2))       # gradient of an explicit reduction',
        '```',
      ].join('\n'),
      knownProblems:
        'Checked against the JAX documentation, not run (JAX is not installed where this linter is tested). Only functions ' +
        'defined in the file are judged, and only when every return is visibly non-scalar. An elementwise function is ' +
        'judged only at a call whose argument has a visible shape; `vmap(grad(f))(xs)` is correct and is not flagged. ' +
        'Through helpers, an application inside a `vmap` is left alone (its shapes are per sample), and so is one whose function ' +
        'may also be something the analysis does not know (an argument nobody passes visibly). ' +
        'Model calls are judged only on a visible batch of several rows, since a model applied to one sample may ' +
        'return a scalar; a callable whose name says it returns a scalar quantity (`energy_fn`, `potential`, `loss_fn`, ' +
        '`log_prob`) is not taken for a model: JAX MD\'s `energy_fn(R)` of an atoms-by-3 array is one system\'s energy. ' +
        'A model object counts only when every binding of its name is a construction with an integer output ' +
        'width in view; Equinox\'s `out_size="scalar"` (shape ()) is not flagged.',
      fixSafety:
        'No safe fix. Replacing `jax.grad` with `jax.jacrev` is offered as unsafe: it runs, but its result has the output\'s ' +
        'axes in front of the input\'s, and code that uses the result may need to change; `vmap(grad(f))` is the better ' +
        'choice for per-sample derivatives and needs `f` written for one sample.',
      references: [
        '[jax.grad](https://docs.jax.dev/en/latest/_autosummary/jax.grad.html)',
        '[The Autodiff Cookbook: Jacobians and Hessians](https://docs.jax.dev/en/latest/notebooks/autodiff_cookbook.html)',
        '[jax.jacrev](https://docs.jax.dev/en/latest/_autosummary/jax.jacrev.html)',
        '[patrick-kidger/equinox#213: Gradient of nn.MLP (output had shape (1,))](https://github.com/patrick-kidger/equinox/issues/213)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    const reported = new Set<PyNode>();
    for (const call of m.calls) {
      if (!call.qname || !GRADS.has(call.qname) || isCallOfCall(call)) continue;
      const funArg = call.keywords.get('fun') ?? call.positional[0];
      if (!funArg) continue;
      const auxNode = call.keywords.get('has_aux');
      const hasAux = auxNode ? m.literalBool(auxNode) : false;
      if (hasAux === null || call.hasKwargs) continue;
      const fn = resolveFunction(m, funArg);
      const mapped = fn || hasAux ? null : vmappedFunction(m, funArg);
      if (mapped) {
        reported.add(call.node);
        const fname = ctx.text(field(call.node, 'function') ?? call.node);
        ctx.report({
          node: call.node,
          message:
            `\`${fname}\` needs a scalar-output function, but \`${ctx.text(funArg)}\` is \`${ctx.text(field(mapped, 'function') ?? mapped)}(...)\` of a function: ` +
            'its output has the batch axis the map adds, so it is not scalar (JAX raises "Gradient only defined for scalar-output functions"). ' +
            'For per-sample derivatives map the gradient instead (`jax.vmap(jax.grad(f))(xs)`); for the gradient of a batch loss reduce it ' +
            '(`jax.grad(lambda p, xs: jnp.sum(jax.vmap(f, in_axes=(None, 0))(p, xs)))`). Note also that `jax.grad` differentiates with respect to the first argument only (`argnums`).',
          related: [{ node: mapped, message: 'the mapped function' }],
        });
        continue;
      }
      if (!fn) {
        // A model object differentiated directly: its output has the width its constructor gives.
        const w = hasAux ? null : modelOutputWidth(m, funArg);
        if (!w) continue;
        reported.add(call.node);
        const fname = ctx.text(field(call.node, 'function') ?? call.node);
        const fix = jacrevFix(ctx, call);
        ctx.report({
          node: call.node,
          message:
            `\`${fname}\` needs a scalar-output function, but \`${ctx.text(funArg)}\` is a model whose output has ` +
            `${w.arg.parent?.type === 'keyword_argument' ? `\`${ctx.text(w.arg.parent)}\`` : `${w.width} (its \`${w.name}\`)`} entries (shape (${w.width},) for one input), not shape (). ` +
            'JAX raises "Gradient only defined for scalar-output functions". Differentiate a scalar made from it ' +
            `(\`lambda x: ${ctx.text(funArg)}(x)[0]\` or \`jnp.sum(...)\`; Equinox's \`out_size="scalar"\` returns shape ()), or use \`jax.jacrev\` for the Jacobian.`,
          related: [{ node: w.ctor, message: 'the model and its output width' }],
          fixes: fix ? [fix] : [],
        });
        continue;
      }
      if (fn.returns.length === 0) continue;

      let finding: Finding | null = null;
      const intrinsic: NonScalar[] = [];
      for (const r of fn.returns) {
        const ns = intrinsicNonScalar(m, fn, r, hasAux);
        if (!ns) break;
        intrinsic.push(ns);
      }
      if (intrinsic.length === fn.returns.length) {
        const n0 = unparen(intrinsic[0].node);
        const pair = !hasAux && (n0.type === 'tuple' || n0.type === 'expression_list') && namedChildren(n0).length === 2;
        finding = {
          node: intrinsic[0].node,
          why: `it returns ${intrinsic[0].why}${pair ? ' (if the second item is auxiliary data, such as metrics or a model state, pass `has_aux=True`)' : ''}`,
          app: null,
        };
      }
      else if (!hasAux) {
        for (const app of applications(ctx, call)) {
          finding = byArguments(ctx, fn, app);
          if (finding) break;
        }
        finding ??= byMappedArguments(ctx, fn, call);
      }
      if (!finding) continue;
      reported.add(call.node);
      const name = fn.name === '<lambda>' ? 'the lambda' : `\`${fn.name}\``;
      const fname = ctx.text(field(call.node, 'function') ?? call.node);
      const fix = jacrevFix(ctx, call);
      ctx.report({
        node: call.node,
        message:
          `\`${fname}\` needs a scalar-output function, but ${name} is not scalar-valued here: ${finding.why}. ` +
          'JAX raises "Gradient only defined for scalar-output functions". ' +
          (finding.mapped
            ? 'Map the remaining axis as well (`jax.vmap(jax.vmap(jax.grad(f)))` for a column of points), pass a 1-D array, or reduce explicitly (`jnp.sum`).'
            : 'Use `jax.jacfwd`/`jax.jacrev` for the Jacobian, `jax.vmap(jax.grad(f))(xs)` for per-sample derivatives of a one-sample function, or reduce explicitly (`jnp.sum`).'),
        related: [
          { node: finding.node, message: 'the non-scalar result' },
          ...(finding.app ? [{ node: finding.app.node, message: 'called with an array here' }] : []),
        ],
        fixes: fix ? [fix] : [],
      });
    }
    appliedNonScalar(ctx, reported);
  },
};

/** Whether `v` is an abstract value made only of functions and derivative transforms (no unknown, no data). */
function onlyCallables(v: AV): boolean {
  return v.kind !== 0 && (v.kind & ~(Kind.FUNC | Kind.LIBINST)) === 0 && v.lib.every((q) => q.startsWith('transform:'));
}

/** The visible rank of an argument at an application, from the analysis: at least one axis, or null. */
function arrayArg(ctx: RuleContext, arg: PyNode): number[] | null {
  const v = ctx.analysis.valueOf(unparen(arg));
  const dims = v?.t?.dims ?? null;
  if (!v || !v.t || v.items || !isKind(v, Kind.TENSOR) || isKind(v, Kind.UNKNOWN) || !dims || dims.length === 0) return null;
  return dims.map((d) => d ?? -1);
}

/**
 * Applications of a `jax.grad`/`jax.value_and_grad` the syntax does not connect to a function and an argument,
 * followed by the analysis: a transform made by a helper (`def diff(f, order=1): for _ in range(order): f =
 * jax.grad(f); return f`), passed as an argument or kept in an attribute, then applied to an array whose shape the
 * analysis sees (`df(jnp.array([1., 2., 3.]))`). Reported when every function the transform may differentiate is
 * non-scalar at those arguments: a function of this file whose returns are elementwise in a parameter given an
 * array of at least one axis, or another first-derivative transform of a one-argument call (its gradient has the
 * argument's shape). Applications inside a `vmap` (shapes per sample there) and transforms already reported are left.
 */
function appliedNonScalar(ctx: RuleContext, reported: ReadonlySet<PyNode>): void {
  const m = ctx.model;
  // Applications the syntactic checks connected to a transform they reported: one diagnostic per mistake.
  const done = new Set<PyNode>();
  for (const call of m.calls) if (reported.has(call.node)) for (const a of applications(ctx, call)) done.add(a.node);
  for (const d of ctx.analysis.events.derivatives) {
    if (!GRADS.has(d.api) || d.mapped || d.perSample || done.has(d.node)) continue;
    const tNode = d.transform !== undefined && d.transform !== null ? m.tree.nodes[d.transform] : undefined;
    if (tNode && reported.has(tNode)) continue;
    const app = d.node.type === 'call' ? m.call(d.node) : undefined;
    if (!app || app.hasStarArgs || app.hasKwargs || (app.qname && GRADS.has(app.qname)) || app.positional.length === 0) continue;
    if (!d.func || !onlyCallables(d.func)) continue;
    let why: string | null = null;
    let ok = true;
    for (const f of d.func.fns) {
      const info = m.functionOf(f.node);
      const hit = info && !info.isMethod && info.returns.length > 0 ? byArguments(ctx, info, app, (a) => arrayArg(ctx, a)) : null;
      if (!hit) {
        ok = false;
        break;
      }
      why ??= hit.why;
    }
    for (const q of d.func.lib) {
      // Another first derivative of the one argument: its output has that argument's shape.
      const shape = q === 'transform:jax.grad' && app.positional.length === 1 ? arrayArg(ctx, app.positional[0]) : null;
      if (!shape) {
        ok = false;
        break;
      }
      why ??= `it is itself a gradient with respect to \`${ctx.text(app.positional[0])}\` of shape ${shapeText(shape)}, so it has that shape`;
    }
    if (!ok || !why) continue;
    done.add(d.node);
    const api = d.api.slice(4);
    ctx.report({
      node: app.node,
      message:
        `\`${ctx.text(app.node)}\` applies a \`${d.api}\` transform, which needs a scalar-output function, but the function it differentiates is not ` +
        `scalar-valued here: ${why}. JAX raises "Gradient only defined for scalar-output functions". Use \`jax.vmap(jax.${api}(f))(xs)\` for ` +
        'one derivative per element, `jax.jacfwd`/`jax.jacrev` for the Jacobian, or reduce explicitly (`jnp.sum`).',
      related: tNode ? [{ node: tNode, message: 'the derivative transform' }] : [],
    });
  }
}
