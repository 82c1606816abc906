/**
 * AGL005 non-scalar-derivative (PyTorch): a derivative of a visibly non-scalar value taken as if it
 * were scalar — an error, or silently summed / mixed values.
 */
import { isKind, Kind, type AV } from '../analysis';
import type { Rule, RuleContext } from '../rule';
import { bindingValue, type CallInfo, type FunctionInfo, type SemanticModel } from '../semantic';
import { field, namedChildren, nodesOfType, unparen, type PyNode } from '../tree';
import { DERIVATIVE_FUNCTIONS, elements, isLossCall, isModelCall, stripSubscripts } from '../torch';

const FACTORIES = new Set(['torch.rand', 'torch.randn', 'torch.zeros', 'torch.ones', 'torch.empty', 'torch.full', 'torch.randint']);
const PASS_THROUGH = new Set(['requires_grad_', 'detach', 'clone', 'float', 'double', 'to', 'cuda', 'cpu', 'unsqueeze', 'view', 'reshape', 'contiguous']);
const ELEMENTWISE = /^torch\.(sin|cos|tanh|exp|log|sigmoid|relu|abs|sqrt|square|pow)$/;

function intLiteral(m: SemanticModel, n: PyNode | undefined): number | null {
  if (!n) return null;
  const u = unparen(n);
  return u.type === 'integer' ? Number(m.textOf(u).replace(/_/g, '')) : null;
}

/**
 * A seed of ones: `torch.ones_like(y)`, `torch.ones(y.size())`, `torch.ones(y.shape)`, `torch.ones(n, k)`,
 * possibly moved (`.cuda()`, `.to(device)`) or wrapped in `Variable(...)`.
 */
function isOnesSeed(m: SemanticModel, g: PyNode, depth = 0): boolean {
  if (depth > 4 || g.type !== 'call') return false;
  const c = m.call(g);
  if (!c) return false;
  if (c.qname === 'torch.ones_like' || c.qname === 'torch.ones') return true;
  if (c.method && c.receiver && (c.method === 'cuda' || c.method === 'to' || c.method === 'float' || c.method === 'double' || c.method === 'type_as')) return isOnesSeed(m, unparen(c.receiver), depth + 1);
  if (c.qname === 'torch.autograd.Variable' && c.positional[0]) return isOnesSeed(m, unparen(c.positional[0]), depth + 1);
  return false;
}

/** Whether a value went through a model: it depends on parameters, or on a model of unknown class. */
function modelOutput(ctx: RuleContext, n: PyNode): boolean {
  const t = ctx.analysis.valueOf(n)?.t;
  return !!t && (t.params.length > 0 || t.opaque);
}

/** The number of output columns of a value of at least two axes (its last axis), when the analysis knows it. */
function outputColumns(dims: readonly (number | null)[] | null): number | null {
  return dims && dims.length >= 2 ? dims[dims.length - 1] : null;
}

/** Whether an expression visibly holds more than one sample (first dimension a literal > 1). */
export function visiblyBatch(m: SemanticModel, expr: PyNode, depth = 0): boolean {
  if (depth > 8) return false;
  const e = unparen(expr);
  if (e.type === 'identifier') {
    if (!m.isUse(e)) return false;
    const reach = m.reachingBindings(e);
    return reach.length > 0 && reach.every((b) => b.value !== null && b.path.length === 0 && b.kind === 'assign' && visiblyBatch(m, b.value, depth + 1));
  }
  if (e.type !== 'call') return false;
  const c = m.call(e);
  if (!c) return false;
  if (c.method && c.receiver && PASS_THROUGH.has(c.method)) return visiblyBatch(m, c.receiver, depth + 1);
  if (c.qname && FACTORIES.has(c.qname)) {
    const first = c.positional[0];
    if (!first) return false;
    const f = unparen(first);
    const n = f.type === 'tuple' || f.type === 'list' ? intLiteral(m, namedChildren(f)[0]) : intLiteral(m, f);
    return n !== null && n > 1;
  }
  if (c.qname === 'torch.linspace' || c.qname === 'torch.logspace') {
    const n = intLiteral(m, c.positional[2] ?? c.keywords.get('steps'));
    return n !== null && n > 1;
  }
  return false;
}

/** Whether an output value is visibly non-scalar: a model (or elementwise op) applied to a visible batch, not reduced. */
const FUNC_GRADS = new Set(['torch.func.grad', 'torch.func.grad_and_value']);
const MAKE_FUNCTIONAL = /^torch\.func\.make_functional(?:_with_buffers)?$|^functorch\.make_functional(?:_with_buffers)?$/;

/**
 * `grad(grad(f))(p, ...)` with torch.func/functorch: the inner `grad` returns the gradient with the structure of
 * the argument it differentiates (argnums 0 unless given), and the outer `grad` needs a scalar tensor from it.
 * Reported when that argument is visibly not a 0-dim tensor: the parameters or buffers of `make_functional*`
 * (a tuple of tensors), a tuple/list/dict, or a tensor whose shape the analysis sees.
 */
function gradOfGrad(ctx: RuleContext, c: CallInfo): boolean {
  const m = ctx.model;
  const outer = c.calleeCall!;
  if (!outer.qname || !FUNC_GRADS.has(outer.qname) || outer.hasKwargs || outer.hasStarArgs) return false;
  const innerNode = outer.keywords.get('func') ?? outer.positional[0];
  const inner = innerNode ? m.call(unparen(innerNode)) : undefined;
  if (!inner?.qname || !FUNC_GRADS.has(inner.qname) || inner.hasKwargs || inner.hasStarArgs) return false;
  // The argument the inner grad differentiates: argnums 0 unless a literal integer says otherwise.
  const argnums = inner.keywords.get('argnums') ?? inner.positional[1];
  const at = argnums ? (unparen(argnums).type === 'integer' ? Number(m.textOf(argnums)) : NaN) : 0;
  if (!Number.isInteger(at) || c.hasStarArgs || c.hasKwargs) return false;
  const arg = c.positional[at];
  if (!arg) return false;
  const a = unparen(arg);
  let why: string | null = null;
  let related: PyNode | null = null;
  if (a.type === 'tuple' || a.type === 'list' || a.type === 'dictionary') why = 'a container of tensors';
  else if (a.type === 'identifier' && m.isUse(a)) {
    const reach = m.reachingBindings(a);
    const fromFunctional = reach.length > 0 && reach.every((b) => {
      const v = b.value ? unparen(b.value) : null;
      const call = v && v.type === 'call' ? m.call(v) : undefined;
      return !!call?.qname && MAKE_FUNCTIONAL.test(call.qname) && b.path.length === 1 && b.path[0] >= 1;
    });
    if (fromFunctional) {
      why = 'the tuple of tensors `make_functional` returns';
      related = reach[0].value;
    }
  }
  if (!why) {
    const v = ctx.analysis.valueOf(a);
    const dims = v?.t?.dims ?? null;
    if (dims && dims.length > 0) why = `a tensor of shape (${dims.map((d) => d ?? '?').join(', ')}${dims.length === 1 ? ',' : ''})`;
  }
  if (!why) return false;
  const name = m.textOf(field(outer.node, 'function') ?? outer.node);
  ctx.report({
    node: c.node,
    message:
      `\`${m.textOf(outer.node)}\` differentiates the output of \`${m.textOf(inner.node)}\`, which has the structure of the argument it ` +
      `differentiates: here \`${m.textOf(arg)}\`, ${why}, not a 0-dim tensor, so \`${name}\` has no scalar to differentiate and raises. ` +
      'For second derivatives use `torch.func.hessian(f)` or `jacrev(grad(f))` (a block per pair of tensors), or reduce the inner ' +
      'gradient to a scalar first.',
    related: related ? [{ node: related, message: 'made here' }] : [],
  });
  return true;
}

function visiblyNonScalar(m: SemanticModel, expr: PyNode): boolean {
  const e = unparen(expr);
  if (e.type === 'identifier') {
    if (!m.isUse(e)) return false;
    const reach = m.reachingBindings(e);
    return reach.length > 0 && reach.every((b) => b.kind === 'assign' && b.path.length === 0 && b.value !== null && visiblyNonScalar(m, b.value));
  }
  if (e.type !== 'call') return false;
  const c = m.call(e);
  if (!c) return false;
  // A function of this file may reduce (`return (x ** 3).sum()`): its shape is not visible here.
  if (c.local) return false;
  // A loss (`loss_fn = nn.MSELoss()`, `F.mse_loss`) reduces to a scalar unless `reduction='none'` is visible.
  if (isLossCall(m, c)) {
    const fnNode = field(c.node, 'function');
    const f = fnNode ? unparen(fnNode) : null;
    const ctor = f && f.type === 'identifier' && m.isUse(f) ? m.reachingBindings(f).map((b) => (b.value ? m.textOf(b.value) : '')).join(' ') : '';
    if (!/reduction\s*=\s*['"]none['"]/.test(`${m.textOf(c.node)} ${ctor}`)) return false;
  }
  const args = [...c.positional, ...c.keywords.values()];
  if ((isModelCall(m, c) && c.method === null) || (c.qname && ELEMENTWISE.test(c.qname))) return args.some((a) => visiblyBatch(m, a));
  return false;
}

/**
 * `y[:, 1]` style column subscripts of a variable anywhere in the file, proving several columns: an index
 * of 1 or more (`y[:, 0]` alone is also how a single-column output is read as a vector).
 */
const subscriptsByName = new WeakMap<SemanticModel, Map<string, PyNode[]>>();

/** Per file, once: the subscripts of a plain name (`u[...]`), by the name, in the tree's order. */
function subscriptsOf(m: SemanticModel, name: string): readonly PyNode[] {
  m.probeWord(name);
  let ix = subscriptsByName.get(m);
  if (!ix) {
    ix = new Map();
    for (const n of nodesOfType(m.tree, 'subscript')) {
      const v = field(n, 'value');
      if (!v || v.type !== 'identifier') continue;
      const key = m.textOf(v);
      const list = ix.get(key);
      if (list) list.push(n);
      else ix.set(key, [n]);
    }
    subscriptsByName.set(m, ix);
  }
  return ix.get(name) ?? [];
}

function isColumnSliced(m: SemanticModel, name: string, fn: FunctionInfo | null): PyNode | null {
  for (const n of subscriptsOf(m, name)) {
    if (m.enclosingFunction(n) !== fn) continue;
    const subs = n.children.filter((c) => c.field === 'subscript');
    if (subs.length >= 2 && subs[0].type === 'slice' && m.textOf(subs[0]).trim() === ':' && columnFromSecond(m, subs[1])) return n;
  }
  return null;
}

/** `1`, `1:2`, `2:` (not `:1`, `0:1`): an index or slice that starts at the second column or later. */
function columnFromSecond(m: SemanticModel, sub: PyNode): boolean {
  if (sub.type === 'integer') return Number(m.textOf(sub)) >= 1;
  if (sub.type !== 'slice') return false;
  const start = /^\s*(\d+)\s*:/.exec(m.textOf(sub));
  return !!start && Number(start[1]) >= 1;
}

/**
 * The output width of the model whose call made `y` (its last layer's `out_features`), when `y` is a model call's
 * result taken as is (`out = net(xy)`, a `forward` returning `self.net(...)`): known from the layers even where the
 * input's shape is not.
 */
function modelWidth(ctx: RuleContext, y: PyNode): number | null {
  const v = ctx.analysis.valueOf(y);
  if (!v?.t || v.t.order !== 0 || v.t.params.length === 0 || v.site < 0) return null;
  const site = ctx.tree.nodes[v.site];
  const out = site && site.type === 'call' ? callWidth(ctx, site, 0) : null;
  return out !== null && out > 1 ? out : null;
}

/** The value called: a name's, or `self.attr` read from the attributes of the enclosing class of the file. */
function calleeValue(ctx: RuleContext, fn: PyNode): AV | undefined {
  const v = ctx.analysis.valueOf(fn);
  if (v) return v;
  const f = unparen(fn);
  const obj = f.type === 'attribute' ? field(f, 'object') : null;
  const attr = f.type === 'attribute' ? field(f, 'attribute') : null;
  if (!obj || !attr || obj.type !== 'identifier' || ctx.text(obj) !== 'self') return undefined;
  let cls: PyNode | null = f.parent;
  while (cls && cls.type !== 'class_definition') cls = cls.parent;
  const ref = cls ? ctx.analysis.classes.get(cls.id) : undefined;
  return ref?.attrs.get(ctx.text(attr));
}

/**
 * The last-axis width of a model call's result: a PyTorch layer or `nn.Sequential` with a known last `out_features`,
 * or an instance of a module class of the file whose `forward` returns only such calls (`return self.fc2(h)`).
 */
function callWidth(ctx: RuleContext, call: PyNode, depth: number): number | null {
  if (depth > 3) return null;
  const fn = field(call, 'function');
  const callee = fn ? calleeValue(ctx, fn) : undefined;
  if (!callee) return null;
  if (callee.lib.length > 0) return callee.lib.every((q) => q.startsWith('torch.nn.')) ? (callee.mod?.outFeatures ?? null) : null;
  if (callee.classes.length !== 1) return null;
  const forward = callee.classes[0].methods.get('forward');
  if (!forward) return null;
  const returns: PyNode[] = [];
  const walk = (n: PyNode): void => {
    for (const c of n.children) {
      if (c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'lambda') continue;
      if (c.type === 'return_statement') returns.push(c);
      else walk(c);
    }
  };
  walk(forward);
  let width: number | null = null;
  for (const r of returns) {
    const e = namedChildren(r)[0];
    const u = e ? unparen(e) : null;
    const w = u && u.type === 'call' ? callWidth(ctx, u, depth + 1) : null;
    if (w === null || (width !== null && w !== width)) return null;
    width = w;
  }
  return width;
}

/** A column subscript `[..., k]` applied directly to a call's result: `grad(...)[0][:, 0]`. */
export function columnSliceOf(_m: SemanticModel, call: PyNode): PyNode | null {
  for (let n: PyNode | null = call.parent; n && n.type === 'subscript'; n = n.parent) {
    const subs = n.children.filter((c) => c.field === 'subscript');
    if (subs.length >= 2 && subs[0].type === 'slice') return n;
  }
  return null;
}

/** Whether `expr` is (a sum of) a whole first derivative `grad(...)[0]`, not one column of it. */
export function wholeDerivative(m: SemanticModel, expr: PyNode): CallInfo | null {
  let e = unparen(expr);
  if (e.type === 'call') {
    const c = m.call(e);
    if (c?.method === 'sum' && c.receiver && c.positional.length === 0) e = unparen(c.receiver);
  }
  if (e.type === 'identifier' && m.isUse(e)) {
    const reach = m.reachingBindings(e);
    if (reach.length !== 1 || reach[0].kind !== 'assign' || !reach[0].value) return null;
    const v = unparen(reach[0].value);
    const base = stripSubscripts(v);
    if (base.type !== 'call') return null;
    const c = m.call(base);
    if (!c?.qname || !DERIVATIVE_FUNCTIONS.has(c.qname)) return null;
    // Only `grad(...)[0]`: a further column subscript means one partial was taken.
    let depth = 0;
    for (let n: PyNode = v; n.type === 'subscript'; n = field(n, 'value')!) depth++;
    return depth <= 1 ? c : null;
  }
  return null;
}

export const AGL005: Rule = {
  meta: {
    code: 'AGL005',
    name: 'non-scalar-derivative',
    summary: 'A derivative of a visibly non-scalar output taken as if it were scalar: an error, or silently summed or mixed values.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Flags, when shapes are visible in the file: `grad(y, x)` / `y.backward()` of a non-scalar `y` (a model applied to ' +
        'a batch made with `torch.rand(N, d)`, `torch.linspace(a, b, N)`, ...) without `grad_outputs`/`gradient`; ' +
        '`grad(Y, x, grad_outputs=ones_like(Y))` (or `torch.ones(Y.size())`) of an output `Y` that the code elsewhere slices ' +
        'by column (`Y[:, 1]`) or whose model\'s last layer has several outputs, so it has several columns; ' +
        '`Y.backward(torch.ones_like(Y))` of such an output, whose `x.grad` is then the gradient of the sum of the columns, ' +
        'not a Jacobian (unless the `.grad` read after it are only parameters\', where the gradient of the sum is a training ' +
        'step\'s); a seed of ones for a vector of several outputs of one input point (`x` of shape `(1, d)`, or `(d,)` ' +
        'with a different length), which gives the sum of the outputs\' gradients (1ᵀJ) rather than the Jacobian; a second derivative taken of a whole gradient matrix and then sliced ' +
        '(`grad(g.sum(), x)[0][:, 0]`); the same input listed twice in `inputs`; `jacobian(model, batch)` used unindexed, and `jacrev(model)(batch)` / `jacfwd` ' +
        '(torch.func, functorch) of a batch of two axes or more outside `vmap`, not indexed right away (shape (N, out, N, in)); ' +
        '`torch.func.grad(torch.func.grad(f))(p, ...)` (or functorch\'s) where the argument the inner `grad` differentiates is ' +
        'visibly not a 0-dim tensor: the parameters or buffers returned by `make_functional*` (a tuple of tensors), a tuple, list ' +
        'or dict, or a tensor of known shape; `torch.autograd.functional.hessian`/`hvp`/`vhp` (and `vjp` without `v`) of a ' +
        'function whose result has visibly more than one element (its shape known from the code: `model(x)` of a model with ' +
        'two outputs on a `(1, 3)` input, `x ** 3` of a 4-vector), which raises "The Tensor returned by the function given to ' +
        'hessian should contain a single element"; a gradient given to `y.backward(g)`, `torch.autograd.backward(y, g)` or ' +
        '`grad(y, x, grad_outputs=g)` whose shape and the output\'s are both known and differ (each pair of written lists ' +
        'of outputs and gradients, `torch.autograd.backward([loss0, loss1], [torch.ones(1), torch.ones(1)])` of 0-dimensional ' +
        'losses; the WGAN idiom `one = ' +
        'torch.FloatTensor([1])` for a 0-dimensional `D(x).mean()`), which raises "Mismatch in shape: grad_output[0] has a ' +
        'shape of torch.Size([1]) and output[0] has a shape of torch.Size([])"; `grad(y, x, grad_outputs=g, is_grads_batched=True)` ' +
        'whose seed `g` has the shape of `y` itself (`torch.ones_like(y)`, `torch.ones(y.shape)`, `y.new_ones(y.size())`, through a ' +
        'name bound to it) or a known shape that is not `(k, *y.shape)`: PyTorch reads the first axis of `g` as the batch of seeds ' +
        'and raises "If `is_grads_batched=True`, we interpret the first dimension of each grad_output as the batch dimension"; a class axis indexed with one class per ' +
        'sample, `logit[:, logit.argmax(1)]` (`.max(1)[1]`, `torch.max(out, 1).indices` of the same tensor) or `p[:, labels]` where ' +
        '`labels` are the targets of a classification loss (`F.cross_entropy`, `nn.CrossEntropyLoss`, `nn.NLLLoss`) in the same ' +
        'function or at the call sites of the function or module whose parameter it is, that reaches `.backward()` (or `grad`, ' +
        '`torch.autograd.backward`) without a gradient unreduced: through names, elementwise operations, `.squeeze()` and the ' +
        'returns of functions and module classes of the file (a rank loss module returning `torch.clamp(p1 - p2 + margin, min=0)`); ' +
        'and `.backward()` / `grad` / `torch.autograd.backward` without a gradient of any tensor that requires grad whose every ' +
        'axis the analysis knows and that has more than one element (`(model(x) - t) ** 2` of an `x = torch.rand(8, 3)`, ' +
        '`model(xs).sum(dim=1)`, a first derivative of a 5-vector), when that shape rests only on literal-size factories, ' +
        'arithmetic, elementwise operations, reductions along a literal axis, `torch.cat`/`torch.stack` of a written list of such ' +
        'tensors (`torch.cat([x, y])` of two 3-element leaves is a 6-vector), `grad(...)[0]` and linear layers (or an ' +
        '`nn.Sequential` of linear layers and activations).',
      whyIsThisBad:
        '`grad` of a non-scalar needs `grad_outputs` and raises otherwise. `ones_like` over several output columns returns ' +
        'the sum of the columns\' gradients, not du/dx. Differentiating the whole gradient matrix sums over its columns, so ' +
        'column 0 of the result is d²u/dx0² + d²u/dx0dx1 (mixed partials leak in). Listing `x` twice returns d/dx twice, not ' +
        'd/dx and d/dt. `jacobian(model, batch)` has shape `(N, out, N, in)` with all cross-sample entries (seed 001 asks ' +
        '"partial or total derivative?"). `torch.func.grad` returns the gradient with the structure of its argument, and the ' +
        'outer `grad` raises unless that is a 0-dim tensor ("Expected f(*args) to return a scalar Tensor"; pytorch/functorch#673, ' +
        'run with functorch on PyTorch 1.13): a Hessian is `torch.func.hessian(f)` or `jacrev(grad(f))`. The gradient given ' +
        'to `backward`/`grad` must have exactly the output\'s shape (`torch.autograd._make_grads`); a `(1,)` seed was accepted ' +
        'for a mean only while means had shape `(1,)` (PyTorch 0.3), and code of that time raises now (WaveGAN-pytorch#9, ' +
        'Wasserstein-AutoEncoders#11). `y[:, idx]` with a vector `idx` of one class per sample keeps every sample and selects ' +
        'every sample\'s class for each of them: a B x B matrix, whose backward raises as soon as B > 1 (gradcam_plus_plus-pytorch, ' +
        'RA-CNN); one entry per sample is `y.gather(1, idx[:, None])` or `y[torch.arange(B), idx]`.',
      example: [
        '```python',
        'grads = grad(u.sum(), xy, create_graph=True)[0]',
        'u_xx = grad(grads.sum(), xy)[0][:, 0]      # includes u_xy',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'grads = grad(u.sum(), xy, create_graph=True)[0]',
        'u_x = grads[:, 0]',
        'u_xx = grad(u_x.sum(), xy, create_graph=True)[0][:, 0]',
        '```',
      ].join('\n'),
      knownProblems:
        'Shape knowledge is partial: only batches made in the same function with a literal first size are recognised, and ' +
        'several output columns are recognised by a column slice of the same variable (`y[:, 1]`, `y[:, 1:2]`) or by the model\'s ' +
        'last layer: a PyTorch layer or `nn.Sequential` whose last `out_features` is a literal, or a module class of the file ' +
        'whose `forward` returns only such a layer\'s call (`return self.fc2(h)`), whatever the input\'s shape. `grad(u.sum(), x)` and ' +
        '`grad(u, x, torch.ones_like(u))` are correct for row-independent models (no BatchNorm in training mode) and are ' +
        'never flagged. For `grad(grad(f))` only the first argument (or a literal `argnums` integer) of the inner `grad` is ' +
        'checked. A class axis indexed with one class per sample is reported even though a batch of one runs (the B x B matrix ' +
        'then has one element): the per-sample index shows the code is written for batches. The arg-max must be of the indexed ' +
        'tensor itself (by its root name: `F.softmax(logit)[:, logit.argmax(1)]`), since the arg-max of another matrix may ' +
        'permute columns; labels are recognised only as the targets of a classification loss call.',
      fixSafety: 'No automatic fix: the right rewrite depends on which derivative was meant.',
    },
  },

  check(ctx) {
    const m = ctx.model;
    for (const c of m.calls) {
      if (c.calleeCall && gradOfGrad(ctx, c)) continue;
      if (c.qname === 'torch.autograd.grad') {
        const y = m.argument(c, 'outputs', 'torch.autograd.grad');
        const x = m.argument(c, 'inputs', 'torch.autograd.grad');
        const go = m.argument(c, 'grad_outputs', 'torch.autograd.grad');
        if (y.kind !== 'found' || x.kind !== 'found') continue;
        // Same input twice.
        const items = elements(x.node);
        const names = items.map((i) => (unparen(i).type === 'identifier' ? m.textOf(i) : null));
        const dup = names.findIndex((n, i) => n !== null && names.indexOf(n) !== i);
        if (dup >= 0) {
          ctx.report({ node: items[dup], message: `\`${names[dup]}\` is listed twice in the inputs of \`grad\`: both results are d/d${names[dup]}. List each input once (did you mean another variable?).`, related: [{ node: items[names.indexOf(names[dup])], message: 'first listed here' }] });
          continue;
        }
        if (go.kind === 'absent' && visiblyNonScalar(m, y.node)) {
          ctx.report({ node: c.node, message: `\`${m.textOf(y.node)}\` has one value per sample, but \`grad\` gets no \`grad_outputs\`: it raises "grad can be implicitly created only for scalar outputs". Use \`grad(${m.textOf(y.node)}.sum(), ...)\` (per-sample gradients for row-independent models) or pass \`grad_outputs=torch.ones_like(${m.textOf(y.node)})\`.` });
          continue;
        }
        // ones_like over several columns.
        if (go.kind === 'found') {
          const yn = unparen(y.node);
          const g = unparen(go.node);
          // A first derivative differentiated whole is AGL023's (wrong-derivative-target): one diagnostic per mistake.
          const isDerivative = (ctx.analysis.valueOf(yn)?.t?.order ?? 0) >= 1;
          // With `is_grads_batched=True` the seed's first axis is a batch of seeds: its shape is checked in gradientShapeMismatch.
          const batchedSeeds = (() => {
            const b = m.argument(c, 'is_grads_batched', 'torch.autograd.grad');
            return b.kind === 'found' && m.literalBool(b.node) === true;
          })();
          if (isOnesSeed(m, g) && !isDerivative && !batchedSeeds) {
            const seed = m.qualifiedName(g) === 'torch.ones_like' ? '`grad_outputs=ones_like`' : 'a `grad_outputs` of ones';
            const slice = yn.type === 'identifier' ? isColumnSliced(m, m.textOf(yn), m.enclosingFunction(c.node)) : null;
            if (slice) {
              ctx.report({ node: c.node, message: `\`${m.textOf(yn)}\` has several output columns (it is sliced as \`${m.textOf(slice)}\`), and ${seed} sums their gradients: the result is not the derivative of one column. Differentiate one column at a time: \`grad(${m.textOf(yn)}[:, k].sum(), ...)\`.`, related: [{ node: slice, message: 'sliced by column here' }] });
              continue;
            }
            // The analysis sees the width: the model's last layer has several outputs.
            const dims = ctx.analysis.valueOf(yn)?.t?.dims ?? null;
            // Columns are a model's outputs: a product of the inputs themselves (`torch.outer(x, x)`) has rows and
            // columns too, and a seed of ones over it is a plain vector-Jacobian product.
            const cols = modelOutput(ctx, yn) ? (outputColumns(dims) ?? (dims === null ? modelWidth(ctx, yn) : null)) : null;
            if (cols !== null && cols > 1) {
              ctx.report({ node: c.node, message: `\`${m.textOf(yn)}\` has ${cols} output columns, and ${seed} sums their gradients: the result is not the derivative of one column. Differentiate one column at a time: \`grad(${m.textOf(yn)}[:, k].sum(), ...)\`.` });
              continue;
            }
            // A vector of n outputs of one sample (`x` of shape (1, d), or (d,) with d != n): the seed of ones
            // gives the sum of the n gradients (1ᵀJ), not the Jacobian.
            const xDims = ctx.analysis.valueOf(unparen(x.node))?.t?.dims ?? null;
            const n = dims && dims.length === 1 ? dims[0] : null;
            const oneSample = xDims !== null && xDims.length >= 1 && xDims[0] !== null && n !== null && n > 1 &&
              (xDims[0] === 1 || (xDims.length === 1 && xDims[0] !== n));
            if (oneSample) {
              ctx.report({ node: c.node, message: `\`${m.textOf(yn)}\` holds ${n} outputs of a single input \`${m.textOf(x.node)}\` (shape (${xDims!.map((v) => v ?? '?').join(', ')})), and ${seed} returns the sum of their gradients (1ᵀJ), not the Jacobian. For the Jacobian use \`torch.autograd.functional.jacobian\` or \`grad(..., is_grads_batched=True)\` with the identity as \`grad_outputs\`.` });
              continue;
            }
          }
        }
        // A second derivative of the whole gradient matrix, then sliced, is AGL023's (wrong-derivative-target).
      } else if (c.method === 'backward' && c.receiver && (c.positional[0] ?? c.keywords.get('gradient')) && isOnesSeed(m, unparen(c.positional[0] ?? c.keywords.get('gradient')!))) {
        // `y.backward(torch.ones_like(y))` of several output columns: `x.grad` is the gradient of their sum.
        const dims = ctx.analysis.valueOf(unparen(c.receiver))?.t?.dims ?? null;
        const cols = modelOutput(ctx, unparen(c.receiver)) ? outputColumns(dims) : null;
        const order = ctx.analysis.valueOf(unparen(c.receiver))?.t?.order ?? 0;
        // The buffers this backward fills that are read: only parameters' (a module's weights) is the gradient of the sum
        // of the outputs, as a training step takes it, not a Jacobian wanted per column.
        const bw = ctx.analysis.events.backwards.find((b) => b.node === c.node);
        const reads = bw ? ctx.analysis.events.gradReads.filter((g) => g.fn === bw.fn && g.node.start > c.node.start) : [];
        const paramsOnly = reads.length > 0 && reads.every((g) => g.owner.t !== null && g.owner.t.leafOf === null && g.owner.t.params.length > 0);
        if (cols !== null && cols > 1 && order === 0 && !paramsOnly) {
          ctx.report({ node: c.node, message: `\`${m.textOf(c.receiver)}\` has ${cols} output columns, and \`backward(ones)\` sums their gradients: the \`.grad\` it fills is the gradient of the sum, not a Jacobian and not the derivative of one column. Differentiate one column at a time (\`${m.textOf(c.receiver)}[:, k].sum().backward()\`) or use \`torch.func.vmap(torch.func.jacrev(model))(x)\` for the Jacobian.` });
        }
      } else if (c.method === 'backward' && c.receiver && c.positional.length === 0 && !c.keywords.has('gradient') && !c.hasKwargs) {
        if (visiblyNonScalar(m, c.receiver)) {
          ctx.report({ node: c.node, message: `\`${m.textOf(c.receiver)}\` has one value per sample, and \`backward()\` without \`gradient\` raises "grad can be implicitly created only for scalar outputs". Use \`${m.textOf(c.receiver)}.sum().backward()\` or pass \`gradient=torch.ones_like(...)\`.` });
        }
      } else if (c.calleeCall && batchJacrev(ctx, c)) {
        continue;
      } else if (c.qname === 'torch.autograd.functional.jacobian') {
        const f = m.argument(c, 'func', c.qname);
        const x = m.argument(c, 'inputs', c.qname);
        if (f.kind !== 'found' || x.kind !== 'found') continue;
        const fn = unparen(f.node);
        if (fn.type === 'lambda' || !visiblyBatch(m, x.node)) continue;
        if (c.node.parent?.type === 'subscript' && c.node.field === 'value') continue; // indexed right away: shape handled
        if (fn.type === 'identifier' && m.isUse(fn) && m.reachingBindings(fn).some((b) => b.kind === 'def')) continue;
        ctx.report({ node: c.node, message: `\`jacobian(${m.textOf(fn)}, ${m.textOf(x.node)})\` of a batch has shape (N, out, N, in): every output against every sample, mostly zeros for a row-independent model. For per-sample gradients use \`torch.autograd.grad(${m.textOf(fn)}(x).sum(), x)\` or \`torch.func.vmap(torch.func.jacrev(${m.textOf(fn)}))(x)\`.` });
      }
    }
    singleElementFunctions(ctx);
    gradientShapeMismatch(ctx);
    crossSampleDerivatives(ctx);
  },
};

const JAC_TRANSFORMS = /^(?:torch\.func|functorch)\.(?:jacrev|jacfwd)$/;

/**
 * `jacrev(model)(x)` (or `jacfwd`, from `torch.func` or functorch) of a visible batch, not under `vmap` and not indexed
 * right away: the transform differentiates the whole batched call, so the result has shape (N, out, N, in), every
 * output against every sample, as `torch.autograd.functional.jacobian(model, x)` does. Per-sample Jacobians are
 * `vmap(jacrev(model))(x)`.
 */
function batchJacrev(ctx: RuleContext, c: CallInfo): boolean {
  const m = ctx.model;
  const t = c.calleeCall!;
  if (!t.qname || !JAC_TRANSFORMS.test(t.qname) || t.positional.length !== 1 || t.keywords.size > 0 || t.hasStarArgs || t.hasKwargs) return false;
  if (c.positional.length !== 1 || c.keywords.size > 0 || c.hasStarArgs || c.hasKwargs) return false;
  const f = unparen(t.positional[0]);
  // A model (not a function of the file, which may handle one sample, nor a lambda).
  if (f.type === 'lambda' || (f.type === 'identifier' && m.isUse(f) && m.reachingBindings(f).some((b) => b.kind === 'def'))) return false;
  const fc = f.type === 'identifier' || f.type === 'attribute' ? m.textOf(f) : null;
  if (!fc) return false;
  const fv = ctx.analysis.valueOf(f);
  if (!fv?.mod && !(fv && fv.lib.some((q) => q.startsWith('torch.nn.')))) return false;
  // A batch: a first size above 1 on an input of two axes or more (`torch.rand(2)` is one point of two coordinates).
  const xd = ctx.analysis.valueOf(unparen(c.positional[0]))?.t?.dims ?? null;
  if (!visiblyBatch(m, c.positional[0]) || !xd || xd.length < 2) return false;
  if (c.node.parent?.type === 'subscript' && c.node.field === 'value') return false;
  ctx.report({
    node: c.node,
    message:
      `\`${m.textOf(t.node)}\` differentiates the whole batched call \`${fc}(${m.textOf(c.positional[0])})\`: the result has shape ` +
      '(N, out, N, in), every output against every sample (mostly zeros for a row-independent model), not one Jacobian per sample. ' +
      `Use \`vmap(${m.textOf(field(t.node, 'function') ?? t.node)}(${fc}))(${m.textOf(c.positional[0])})\` for per-sample Jacobians of shape (N, out, in).`,
  });
  return true;
}

/** Fully known dimensions of a value (every axis a number), or null. */
function knownDims(ctx: RuleContext, node: PyNode): number[] | null {
  const v = ctx.analysis.valueOf(unparen(node));
  const dims = v?.t?.dims ?? null;
  if (!v || !v.t || v.items || !dims || dims.some((d) => d === null)) return null;
  return dims as number[];
}

const shapeText = (d: readonly number[]): string => `torch.Size([${d.join(', ')}])`;

/**
 * A seed made with the output's own shape (`torch.ones_like(y)`, `torch.zeros_like(y)`, `torch.ones(y.shape)`,
 * `torch.ones(y.size())`, `y.new_ones(y.shape)`), written in the call or bound once to a name.
 */
function seedShapedLike(m: SemanticModel, g0: PyNode, out: PyNode, depth = 0): boolean {
  const g = unparen(g0);
  if (g.type === 'identifier' && m.isUse(g) && depth < 2) {
    const bs = m.reachingBindings(g);
    if (bs.length !== 1 || bs[0].kind === 'param') return false;
    const v = bindingValue(bs[0]);
    if (!v) return false;
    return seedShapedLike(m, v, out, depth + 1);
  }
  if (g.type !== 'call') return false;
  const c = m.call(g);
  if (!c || c.hasStarArgs || c.hasKwargs) return false;
  const o = m.textOf(unparen(out));
  const same = (n: PyNode | undefined): boolean => !!n && m.textOf(unparen(n)) === o;
  const shapeOfOut = (n: PyNode | undefined): boolean => !!n && new RegExp(`^${o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(?:shape|size\\(\\))$`).test(m.textOf(unparen(n)).replace(/\s+/g, ''));
  if (c.qname && /^torch\.(?:ones|zeros|rand|randn|full|empty)_like$/.test(c.qname)) return same(c.positional[0]);
  if (c.qname && /^torch\.(?:ones|zeros|rand|randn|empty)$/.test(c.qname)) return c.positional.length === 1 && shapeOfOut(c.positional[0]);
  if (c.method && /^new_(?:ones|zeros|empty)$/.test(c.method)) return c.positional.length === 1 && shapeOfOut(c.positional[0]);
  return false;
}

/**
 * `y.backward(g)`, `torch.autograd.backward(y, g)`, `torch.autograd.grad(y, x, grad_outputs=g)` where the shapes
 * of `y` and `g` are both visible and differ: PyTorch's `_make_grads` requires the same size and raises "Mismatch in
 * shape: grad_output[0] has a shape of ... and output[0] has a shape of ...". The recurring form is the WGAN idiom
 * `one = torch.FloatTensor([1]); D_real.mean().backward(one)`, written when a mean had shape (1,) (PyTorch 0.3)
 * and raising since a mean is 0-dimensional.
 */
function gradientShapeMismatch(ctx: RuleContext): void {
  const m = ctx.model;
  for (const c of m.calls) {
    // Each output with the gradient given for it: one pair, or the pairs of two lists (PyTorch pairs them in order).
    let pairs: { out: PyNode; grad: PyNode }[];
    let what: string;
    if (c.method === 'backward' && c.receiver && !c.qname) {
      const g = m.argument(c, 'gradient', 'Tensor.backward');
      if (g.kind !== 'found') continue;
      pairs = [{ out: c.receiver, grad: g.node }];
      what = `\`${m.textOf(c.receiver)}.backward(${m.textOf(g.node)})\``;
    } else if (c.qname === 'torch.autograd.backward' || c.qname === 'torch.autograd.grad') {
      const api = c.qname;
      const o = m.argument(c, api === 'torch.autograd.grad' ? 'outputs' : 'tensors', api);
      const g = m.argument(c, api === 'torch.autograd.grad' ? 'grad_outputs' : 'grad_tensors', api);
      if (o.kind !== 'found' || g.kind !== 'found') continue;
      const os = elements(o.node);
      const gs = elements(g.node);
      if (os.length === 0 || gs.length === 0 || (os.length > 1) !== (gs.length > 1)) continue;
      // Written lists (not a name holding one): their items are the outputs and gradients, in order.
      if (os.length > 1 && (unparen(o.node).type === 'identifier' || unparen(g.node).type === 'identifier')) continue;
      pairs = os.slice(0, gs.length).map((out, i) => ({ out, grad: gs[i] }));
      what = `the \`${api === 'torch.autograd.grad' ? 'grad_outputs' : 'grad_tensors'}\` of \`${api.slice(6)}\``;
    } else continue;
    // `is_grads_batched=True`: the first axis of each `grad_outputs` is a batch of seeds, each of the output's shape.
    const batched = c.qname === 'torch.autograd.grad' && (() => {
      const b = m.argument(c, 'is_grads_batched', 'torch.autograd.grad');
      return b.kind === 'found' && m.literalBool(b.node) === true;
    })();
    if (batched) {
      for (const [i, { out, grad }] of pairs.entries()) {
        const like = seedShapedLike(m, grad, out);
        const od = knownDims(ctx, out);
        const gd = knownDims(ctx, grad);
        if (!like && !(od && gd && (od.length !== gd.length - 1 || od.some((n, k) => n !== gd[k + 1])))) continue;
        ctx.report({
          node: grad,
          message:
            `With \`is_grads_batched=True\`, PyTorch reads the first axis of \`${m.textOf(grad)}\` as a batch of seeds, each of which must have ` +
            `the shape of \`${m.textOf(out)}\`; ${like ? `\`${m.textOf(grad)}\` has the shape of \`${m.textOf(out)}\` itself` : `its shape ${shapeText(gd!)} is not (k, ${od!.join(', ')})`}, ` +
            `so the call raises "If \`is_grads_batched=True\`, we interpret the first dimension of each grad_output as the batch dimension ... a mismatch was detected". ` +
            `For per-sample Jacobians pass the basis vectors as the batch (\`torch.eye(k)\` expanded to (k, *${m.textOf(out)}.shape)), or use \`torch.func.vmap(torch.func.jacrev(f))\`; ` +
            `without \`is_grads_batched\` a seed of ones gives the gradient of the sum.`,
          related: [{ node: out, message: `the output, output[${i}]` }],
        });
        break;
      }
      continue;
    }
    for (const [i, { out, grad }] of pairs.entries()) {
      const od = knownDims(ctx, out);
      const gd = knownDims(ctx, grad);
      if (!od || !gd) continue;
      if (od.length === gd.length && od.every((n, k) => n === gd[k])) continue;
      const scalar = od.length === 0;
      ctx.report({
        node: grad,
        message:
          `${what}: \`${m.textOf(grad)}\` has shape ${shapeText(gd)} but \`${m.textOf(out)}\` has shape ${shapeText(od)}; PyTorch ` +
          `raises "Mismatch in shape: grad_output[${i}] has a shape of ${shapeText(gd)} and output[${i}] has a shape of ${shapeText(od)}". ` +
          (!scalar
            ? `Give it the output's shape (\`torch.ones_like(${m.textOf(out)})\`).`
            : c.method === 'backward'
              ? `Pass a 0-dimensional tensor (\`torch.tensor(1.0)\`, \`torch.tensor(-1.0)\`), or none for a gradient of 1 (\`(-${m.textOf(out)}).backward()\` for -1).`
              : 'Pass a 0-dimensional tensor (`torch.tensor(1.0)`), or leave it out for a gradient of 1.'),
        related: [{ node: out, message: `the output, shape ${shapeText(od)}` }],
      });
      break; // PyTorch stops at the first mismatch
    }
  }
}

/**
 * `torch.autograd.functional.hessian/hvp/vhp(f, x)` (and `vjp(f, x)` without `v`) of a function whose result the
 * analysis sees has several elements (its shape is visible: `model(x)` of a Linear(2, 2) on a (1, 2) input): these
 * APIs differentiate a single-element function and raise "The Tensor returned by the function given to hessian
 * should contain a single element".
 */
const SINGLE_ELEMENT_APIS: Readonly<Record<string, string>> = {
  'torch.autograd.functional.hessian': 'hessian',
  'torch.autograd.functional.hvp': 'hvp',
  'torch.autograd.functional.vhp': 'vhp',
  'torch.autograd.functional.vjp': 'vjp',
};

function singleElementFunctions(ctx: RuleContext): void {
  for (const d of ctx.analysis.events.derivatives) {
    const api = SINGLE_ELEMENT_APIS[d.api];
    if (!api || !d.spec.scalarOutput) continue;
    if (api === 'vjp' && d.gradOutputs !== 'absent') continue;
    const dims = d.output.t?.dims ?? null;
    if (!dims || dims.length === 0 || dims.some((n) => n === null)) continue;
    const n = (dims as number[]).reduce((a, b) => a * b, 1);
    if (n <= 1) continue;
    const call = ctx.model.call(d.node);
    const f = call ? ctx.model.argument(call, 'func', d.api) : null;
    const fn = f?.kind === 'found' ? ctx.model.textOf(f.node).replace(/\s+/g, ' ').slice(0, 40) : 'the function';
    ctx.report({
      node: d.node,
      message:
        `\`${api}\`${api === 'vjp' ? ' without `v`' : ''} differentiates a function that returns a single element, but ` +
        `\`${fn}\` returns shape (${dims.join(', ')}${dims.length === 1 ? ',' : ''}): it raises "${api === 'vjp' ? 'The vector v can only be None if the ' +
        'user-provided function returns a single Tensor with a single element' : `The Tensor returned by the function given ` +
        `to ${api} should contain a single element`}". Reduce the output inside the function (\`.sum()\`, or select the ` +
        `element you mean)${api === 'vjp' ? ', pass `v`,' : ''} or use \`torch.autograd.functional.jacobian\` for a vector-valued function.`,
    });
  }
}

/**
 * A class axis indexed with one class per sample: `logit[:, logit.argmax(1)]`, `F.softmax(s)[:, labels]`. The `:`
 * keeps every sample and the index vector selects, for each of them, the classes of all samples: a B x B matrix (each
 * sample's score for every sample's class), not one value per sample (`gather(1, idx[:, None])`). Its `.backward()`
 * (or `grad` without `grad_outputs`) raises "grad can be implicitly created only for scalar outputs" as soon as the
 * batch has more than one sample; with one it runs. Reported where that matrix reaches the derivative unreduced:
 * through names, elementwise operations, `.squeeze()`, and the returns of functions and module classes of the file.
 */
const KEEP_METHODS = new Set(['squeeze', 'unsqueeze', 'clone', 'contiguous', 'cuda', 'cpu', 'to', 'float', 'double', 'half',
  'abs', 'exp', 'log', 'sigmoid', 'relu', 'clamp', 'clamp_min', 'clamp_max', 'pow', 'neg', 'sqrt', 'square', 'tanh', 'view', 'reshape', 'flatten']);
const KEEP_FUNCTIONS = new Set(['torch.clamp', 'torch.clip', 'torch.abs', 'torch.exp', 'torch.log', 'torch.sigmoid', 'torch.relu', 'torch.tanh',
  'torch.pow', 'torch.sqrt', 'torch.square', 'torch.neg', 'torch.squeeze', 'torch.nn.functional.relu', 'torch.nn.functional.softplus',
  'torch.nn.functional.softmax', 'torch.nn.functional.log_softmax', 'torch.softmax', 'torch.log_softmax']);
const INDEX_METHODS = new Set(['long', 'int', 'detach', 'cpu', 'cuda', 'to', 'view', 'reshape', 'squeeze', 'flatten', 'clone', 'type']);
/** Losses whose target is one class index per sample. */
const CLASS_TARGET_LOSSES = new Set(['torch.nn.functional.cross_entropy', 'torch.nn.functional.nll_loss', 'torch.nn.functional.multi_margin_loss',
  'torch.nn.CrossEntropyLoss', 'torch.nn.NLLLoss', 'torch.nn.MultiMarginLoss']);

export interface CrossSample { sub: PyNode; why: string }

/** The integer of a literal `1`, `-1` (or null). */
function signedInt(m: SemanticModel, n: PyNode | undefined): number | null {
  if (!n) return null;
  const t = m.textOf(unparen(n)).replace(/\s+/g, '');
  return /^-?\d+$/.test(t) ? Number(t) : null;
}

/** The first identifier under a chain of receivers, first arguments and subscripts: `logit` for `F.softmax(logit, 1)`. */
function rootName(m: SemanticModel, e: PyNode, depth = 0): string | null {
  const u = unparen(e);
  if (depth > 6) return null;
  if (u.type === 'identifier') return m.textOf(u);
  if (u.type === 'attribute') return m.textOf(u);
  if (u.type === 'subscript') return rootName(m, field(u, 'value')!, depth + 1);
  if (u.type === 'call') {
    const c = m.call(u);
    if (!c) return null;
    if (c.method && c.receiver) return rootName(m, c.receiver, depth + 1);
    if (c.positional[0]) return rootName(m, c.positional[0], depth + 1);
  }
  return null;
}

/**
 * An index of one class per sample for the rows of `indexed`: the arg-max along axis 1 or later (`.max(1)[1]`,
 * `.argmax(dim=1)`, `torch.max(y, 1).indices`) of the same tensor (or one computed from it), or the class targets of a
 * classification loss (`F.cross_entropy(out, label)`), also through a parameter whose call sites pass them.
 */
function perSampleIndex(ctx: RuleContext, idx: PyNode, indexed: PyNode, depth: number): string | null {
  const m = ctx.model;
  if (depth > 6) return null;
  const e = unparen(idx);
  if (e.type === 'attribute' && field(e, 'attribute') && m.textOf(field(e, 'attribute')!) === 'data') return perSampleIndex(ctx, field(e, 'object')!, indexed, depth + 1);
  const argmaxOf = (c: CallInfo | undefined): boolean => {
    if (!c) return false;
    let src: PyNode | undefined;
    let dim: PyNode | undefined;
    if (c.method && c.receiver && (c.method === 'max' || c.method === 'argmax')) {
      src = c.receiver;
      dim = c.positional[0] ?? c.keywords.get('dim');
    } else if (c.qname === 'torch.max' || c.qname === 'torch.argmax') {
      src = c.positional[0];
      dim = c.positional[1] ?? c.keywords.get('dim');
    } else return false;
    const d = signedInt(m, dim);
    if (!src || d === null || d < 1) return false;
    const a = rootName(m, src);
    return a !== null && a === rootName(m, indexed);
  };
  if (e.type === 'call') {
    const c = m.call(e);
    if (!c) return null;
    if (c.method && c.receiver && INDEX_METHODS.has(c.method)) return perSampleIndex(ctx, c.receiver, indexed, depth + 1);
    if ((c.method === 'argmax' || c.qname === 'torch.argmax') && argmaxOf(c)) return `\`${m.textOf(e)}\`, one class per sample`;
    return null;
  }
  if (e.type === 'subscript' || e.type === 'attribute') {
    const base = unparen(field(e, e.type === 'subscript' ? 'value' : 'object')!);
    const which = e.type === 'subscript' ? e.children.filter((k) => k.field === 'subscript') : [];
    const indices = e.type === 'subscript' ? which.length === 1 && [1, -1].includes(signedInt(m, which[0]) ?? 0) : m.textOf(field(e, 'attribute')!) === 'indices';
    if (indices && base.type === 'call') {
      const c = m.call(base);
      if (c && (c.method === 'max' || c.qname === 'torch.max') && argmaxOf(c)) return `\`${m.textOf(e)}\`, one class per sample`;
    }
    return null;
  }
  if (e.type !== 'identifier' || !m.isUse(e)) return null;
  if (classTargetIn(ctx, e)) return `\`${m.textOf(e)}\`, the class targets of a classification loss`;
  const reach = m.reachingBindings(e);
  if (reach.length === 0) return null;
  let why: string | null = null;
  for (const b of reach) {
    if (b.kind === 'param' && b.param) {
      // Every call site of the function (or of the module whose `forward` it is) passes a per-sample index.
      const sites = callSitesOf(ctx, b.param.fn);
      if (sites.length === 0) return null;
      for (const site of sites) {
        const arg = argumentFor(site, b);
        const w = arg ? perSampleIndex(ctx, arg, indexed, depth + 1) ?? (unparen(arg).type === 'identifier' && classTargetIn(ctx, unparen(arg)) ? `\`${m.textOf(arg)}\`, the class targets of a classification loss` : null) : null;
        if (!w) return null;
        why ??= `\`${b.name}\` (given ${w})`;
      }
      continue;
    }
    if (b.kind !== 'assign' || b.path.length !== 0 || !b.value) return null;
    const w = perSampleIndex(ctx, b.value, indexed, depth + 1);
    if (!w) return null;
    why ??= w;
  }
  return why;
}

/** Whether the function enclosing `name` passes it as the target of a classification loss (`F.cross_entropy(out, name)`). */
function classTargetIn(ctx: RuleContext, name: PyNode): boolean {
  const m = ctx.model;
  const fn = m.enclosingFunction(name);
  const text = m.textOf(name);
  for (const c of m.calls) {
    if (m.enclosingFunction(c.node) !== fn || c.hasStarArgs || c.hasKwargs) continue;
    const target = c.keywords.get('target') ?? c.positional[1];
    if (!target || unparen(target).type !== 'identifier' || m.textOf(unparen(target)) !== text) continue;
    let q: string[] = c.qname ? [c.qname] : [];
    if (c.calleeCall?.qname) q = [c.calleeCall.qname];
    else if (!c.qname) {
      const f = field(c.node, 'function');
      q = f ? [...(calleeValue(ctx, f)?.lib ?? [])] : [];
    }
    if (q.length > 0 && q.every((n) => CLASS_TARGET_LOSSES.has(n))) return true;
  }
  return false;
}

/** Calls of a function of the file: its linked call sites, and for a module class's `forward`, the calls of its instances. */
function callSitesOf(ctx: RuleContext, fn: FunctionInfo): CallInfo[] {
  if (!(fn.isMethod && fn.name === 'forward')) return fn.callSites;
  const out = [...fn.callSites];
  for (const c of ctx.model.calls) {
    if (c.local || c.qname || (c.method && !(c.receiver && ctx.model.textOf(c.receiver) === 'self'))) continue;
    const f = field(c.node, 'function');
    const v = f ? calleeValue(ctx, f) : undefined;
    if (v && isKind(v, Kind.INST) && v.classes.length === 1 && v.classes[0].methods.get('forward') === fn.node) out.push(c);
  }
  return out;
}

/** The argument a call passes for a parameter (by position after `self` for methods, or by keyword). */
function argumentFor(site: CallInfo, param: import('../semantic').Binding): PyNode | null {
  if (site.hasStarArgs || site.hasKwargs) return null;
  const fn = param.param!.fn;
  const named = site.keywords.get(param.name);
  if (named) return named;
  const i = fn.params.indexOf(param) - (fn.isMethod ? 1 : 0);
  return i >= 0 ? site.positional[i] ?? null : null;
}

export function crossSample(ctx: RuleContext, expr: PyNode, depth: number, seen: Set<number> = new Set()): CrossSample | null {
  const m = ctx.model;
  if (depth > 8 || seen.has(expr.id)) return null;
  seen.add(expr.id);
  const e = unparen(expr);
  if (e.type === 'identifier') {
    if (!m.isUse(e)) return null;
    for (const b of m.reachingBindings(e)) {
      if (b.kind !== 'assign' || b.path.length !== 0 || !b.value) continue;
      const r = crossSample(ctx, b.value, depth + 1, seen);
      if (r) return r;
    }
    return null;
  }
  if (e.type === 'subscript') {
    const subs = e.children.filter((k) => k.field === 'subscript');
    if (subs.length !== 2 || subs[0].type !== 'slice' || m.textOf(subs[0]).trim() !== ':') return null;
    const why = perSampleIndex(ctx, subs[1], field(e, 'value')!, 0);
    return why ? { sub: e, why } : null;
  }
  if (e.type === 'binary_operator') {
    if (!['+', '-', '*', '/'].includes(m.textOf(field(e, 'operator') ?? e))) return null;
    return crossSample(ctx, field(e, 'left')!, depth + 1, seen) ?? crossSample(ctx, field(e, 'right')!, depth + 1, seen);
  }
  if (e.type === 'unary_operator') return crossSample(ctx, namedChildren(e)[0], depth + 1, seen);
  if (e.type !== 'call') return null;
  const c = m.call(e);
  if (!c) return null;
  if (c.method && c.receiver && KEEP_METHODS.has(c.method)) {
    // `.view(-1)` / `.reshape(-1)` keep every element; `.view(1)` would not run on a B x B matrix anyway.
    return crossSample(ctx, c.receiver, depth + 1, seen);
  }
  if (c.qname && KEEP_FUNCTIONS.has(c.qname) && c.positional[0]) return crossSample(ctx, c.positional[0], depth + 1, seen);
  let fn: FunctionInfo | undefined | null = c.local;
  if (!fn && !c.qname && (!c.method || (c.receiver && m.textOf(c.receiver) === 'self'))) {
    const f = field(c.node, 'function');
    const v = f ? calleeValue(ctx, f) : undefined;
    const fwd = v && isKind(v, Kind.INST) && v.classes.length === 1 ? v.classes[0].methods.get('forward') : undefined;
    fn = fwd ? m.functionOf(fwd) : null;
  }
  if (!fn || fn.returns.length === 0) return null;
  for (const r of fn.returns) {
    const x = crossSample(ctx, r, depth + 1, seen);
    if (x) return x;
  }
  return null;
}

function crossSampleDerivatives(ctx: RuleContext): void {
  const m = ctx.model;
  for (const c of m.calls) {
    let y: PyNode | null = null;
    if (c.method === 'backward' && c.receiver && !c.qname && c.positional.length === 0 && !c.keywords.has('gradient') && !c.hasKwargs && !c.hasStarArgs) y = c.receiver;
    else if (c.qname === 'torch.autograd.grad') {
      const o = m.argument(c, 'outputs', c.qname);
      const g = m.argument(c, 'grad_outputs', c.qname);
      if (o.kind === 'found' && g.kind === 'absent' && elements(o.node).length === 1) y = elements(o.node)[0];
    } else if (c.qname === 'torch.autograd.backward') {
      const o = m.argument(c, 'tensors', c.qname);
      const g = m.argument(c, 'grad_tensors', c.qname);
      if (o.kind === 'found' && g.kind === 'absent' && elements(o.node).length === 1) y = elements(o.node)[0];
    }
    if (!y) continue;
    const found = crossSample(ctx, y, 0);
    if (!found) {
      knownShapeNonScalar(ctx, c, y);
      continue;
    }
    const what = c.method === 'backward' ? `\`${m.textOf(y)}.backward()\` without \`gradient\`` : `\`${c.qname!.slice(6)}\` without \`grad_outputs\``;
    const base = m.textOf(field(found.sub, 'value')!);
    ctx.report({
      node: c.node,
      message:
        `\`${m.textOf(found.sub)}\` indexes the class axis with ${found.why}: the \`:\` keeps every sample, so the result is a ` +
        `B x B matrix (each sample's value for every sample's class), not one value per sample, and ${what} raises "grad can be ` +
        'implicitly created only for scalar outputs" as soon as the batch has more than one sample (with one it runs). Take one ' +
        `entry per sample (\`${base}.gather(1, idx.unsqueeze(1))\` or \`${base}[torch.arange(len(idx)), idx]\`) and reduce it ` +
        '(`.sum()`, `.mean()`).',
      related: [{ node: found.sub, message: 'B x B, not one value per sample' }],
    });
  }
}


/**
 * `y.backward()` / `grad(y, x)` / `torch.autograd.backward(y)` without a gradient, where the analysis knows every axis of
 * `y` and they hold more than one element (`loss = (model(x) - t) ** 2` of an `x = torch.rand(8, 3)`, shape (8, 1);
 * `model(xs).sum(dim=1)`, shape (5,)): PyTorch creates the implicit gradient only for a single element and raises.
 * Forms that the syntactic test (`visiblyNonScalar`) already reports are left to it.
 */
function knownShapeNonScalar(ctx: RuleContext, c: CallInfo, y: PyNode): void {
  const m = ctx.model;
  if (visiblyNonScalar(m, y)) return;
  const v = ctx.analysis.valueOf(unparen(y));
  if (!v || !v.t || !isKind(v, Kind.TENSOR) || v.kind !== Kind.TENSOR) return;
  // PyTorch checks the element count only for outputs that require grad; a graph-less one raises another error (AGL046's
  // constant derivative, AGL001's missing graph).
  const t = v.t;
  if (t.leaves.length === 0 && t.params.length === 0 && t.leafOf === null && t.mayLeaf.length === 0) return;
  if (!trustedShape(ctx, y, 0)) return;
  const dims = knownDims(ctx, y);
  if (!dims || dims.length === 0) return;
  const n = dims.reduce((a, b) => a * b, 1);
  if (n <= 1) return;
  const shape = `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
  const what = c.method === 'backward' ? `\`backward()\` without \`gradient\`` : `\`${c.qname!.slice(6)}\` without \`${c.qname === 'torch.autograd.grad' ? 'grad_outputs' : 'grad_tensors'}\``;
  ctx.report({
    node: c.node,
    message:
      `\`${m.textOf(y)}\` has shape ${shape} (${n} values), and ${what} raises "grad can be implicitly created only for scalar ` +
      `outputs". Reduce it to a scalar first (\`.sum()\`, or \`.mean()\` for a loss), or pass a gradient of its shape ` +
      `(\`torch.ones_like(${m.textOf(y)})\`) for a vector-Jacobian product.`,
  });
}

const SHAPE_FACTORIES = new Set([...FACTORIES, 'torch.linspace', 'torch.logspace', 'torch.arange', 'torch.tensor']);
const SHAPE_ELEMENTWISE_METHODS = new Set(['exp', 'log', 'sin', 'cos', 'tanh', 'sigmoid', 'abs', 'sqrt', 'square', 'pow', 'neg',
  'requires_grad_', 'float', 'double', 'to', 'cuda', 'cpu', 'clone']);

/**
 * Whether the analysis' shape of `expr` rests only on operations whose shapes it models exactly: literal-size factories,
 * arithmetic, elementwise functions and methods, reductions along a literal axis, `torch.cat`/`torch.stack` of a literal list of such tensors, `grad(...)[0]`, and PyTorch layers
 * (or an `nn.Sequential` of them) applied to such values. Other library functions keep their first argument's shape in
 * the analysis (a loss without `reduction`, `dot`), which is not the shape of their result.
 */
function trustedShape(ctx: RuleContext, expr: PyNode, depth: number, seen: Set<number> = new Set()): boolean {
  const m = ctx.model;
  if (depth > 12) return false;
  const e = unparen(expr);
  switch (e.type) {
    case 'integer':
    case 'float':
      return true;
    case 'identifier': {
      if (!m.isUse(e)) return false;
      const reach = m.reachingBindings(e);
      // A binding already being checked (a loop's `x = x + d`) adds nothing new: its other operands are checked there.
      return reach.length > 0 && reach.every((b) => {
        if (b.kind !== 'assign' || b.path.length !== 0 || b.value === null) return false;
        if (seen.has(b.value.id)) return true;
        seen.add(b.value.id);
        return trustedShape(ctx, b.value, depth + 1, seen);
      });
    }
    case 'binary_operator':
      return ['+', '-', '*', '/', '**'].includes(m.textOf(field(e, 'operator') ?? e)) && trustedShape(ctx, field(e, 'left')!, depth + 1, seen) && trustedShape(ctx, field(e, 'right')!, depth + 1, seen);
    case 'unary_operator':
      return trustedShape(ctx, namedChildren(e)[0], depth + 1, seen);
    case 'subscript': {
      const subs = e.children.filter((k) => k.field === 'subscript');
      const base = unparen(field(e, 'value')!);
      if (subs.length !== 1 || m.textOf(subs[0]).trim() !== '0' || base.type !== 'call') return false;
      return m.call(base)?.qname === 'torch.autograd.grad';
    }
    case 'call': {
      const c = m.call(e);
      if (!c || c.hasKwargs || c.hasStarArgs) return false;
      if (c.qname && SHAPE_FACTORIES.has(c.qname)) return true;
      // `torch.cat([a, b])`, `torch.stack((a, b), dim=1)` of a literal list of trusted tensors: the analysis joins their shapes.
      if ((c.qname === 'torch.cat' || c.qname === 'torch.concat' || c.qname === 'torch.stack') && c.positional.length >= 1) {
        const items = unparen(c.positional[0]);
        return (items.type === 'list' || items.type === 'tuple') && namedChildren(items).every((x) => trustedShape(ctx, x, depth + 1, seen));
      }
      if (c.qname && ELEMENTWISE.test(c.qname)) return c.positional.length === 1 && trustedShape(ctx, c.positional[0], depth + 1, seen);
      if (c.method && c.receiver) {
        if (SHAPE_ELEMENTWISE_METHODS.has(c.method)) return trustedShape(ctx, c.receiver, depth + 1, seen);
        if ((c.method === 'sum' || c.method === 'mean') && c.positional.length + c.keywords.size >= 1) {
          const dim = c.keywords.get('dim') ?? c.positional[0];
          return !!dim && signedInt(m, dim) !== null && trustedShape(ctx, c.receiver, depth + 1, seen);
        }
        return false;
      }
      if (c.qname || c.local || c.calleeCall) return false;
      const f = field(c.node, 'function');
      const v = f ? calleeValue(ctx, f) : undefined;
      if (!v || v.lib.length === 0 || !v.lib.every((q) => /^torch\.nn\.(?:Linear|Sequential|Tanh|ReLU|Sigmoid|Softplus|SiLU|GELU|LeakyReLU|ELU|Identity)$/.test(q))) return false;
      return c.positional.length === 1 && trustedShape(ctx, c.positional[0], depth + 1, seen);
    }
    default:
      return false;
  }
}
