/**
 * AGL026 no-double-backward: a second derivative (a loss on a `create_graph=True` gradient, a
 * Hessian-vector product, `grad` of a gradient) through an operation whose backward PyTorch cannot
 * differentiate — `F.grid_sample`, `torch.cdist` (p ≠ 2, or few points), `torch.pdist`, `F.ctc_loss`,
 * a custom `autograd.Function` whose backward is `@once_differentiable`. The second backward raises (or,
 * for `@once_differentiable`, usually drops the Function's terms silently).
 *
 * Asked of the autograd analysis: a backward or derivative of a value holding a derivative taken with a
 * graph (`dGraph`), where that derivative's graph went through such an operation (`noDouble`).
 *
 * Also, from the syntax: a custom Function whose `backward` differentiates with `create_graph` a graph that
 * `forward` built on a detached copy of its input (kept on `ctx`): the second derivative it asks for is disconnected.
 * And (asked of the analysis, which marks the `Fn.apply` site `noDouble`) a custom Function whose `backward` is built
 * from intermediates `forward` kept on `ctx` (`graphlessIntermediate` in torch.ts), differentiated with `create_graph`.
 */
import { tensorOfValue } from '../analysis/library';
import type { AV, BackwardEvent, DerivativeEvent } from '../analysis';
import { noDoubleBackwardError, noDoubleBackwardOf, TORCH_CHECKPOINT, TORCH_CHECKPOINT_ERROR, TORCH_COMPILE, TORCH_COMPILE_ERROR, TORCH_DERIVATIVES, torchvisionBuilder } from '../knowledge/torch';
import { autogradFunctionClasses, methodsOf } from '../derivative-rules';
import { graphlessIntermediate } from '../torch';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo } from '../semantic';
import { field, nodesOfType, unparen, type PyNode } from '../tree';

export const AGL026: Rule = {
  meta: {
    code: 'AGL026',
    name: 'no-double-backward',
    summary: 'Second derivative through an operation PyTorch can differentiate only once (grid_sample, cdist, pdist, ctc_loss, @once_differentiable, a reentrant checkpoint): the second backward raises or silently drops terms.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a derivative of a derivative — `.backward()` or `torch.autograd.grad` of a value computed from a gradient taken ' +
        'with `create_graph=True` (a gradient penalty, Sobolev or PINN loss, a Jacobian regularizer, a Hessian-vector product), ' +
        'or `torch.autograd.functional.hessian/hvp` — whose first derivative went through an operation that has no double ' +
        'backward in PyTorch: `F.grid_sample` (and `torch.grid_sampler*`), `torch.cdist` when it does not use the matmul ' +
        'path (any `p` other than 2, `compute_mode="donot_use_mm_for_euclid_dist"`, or the default mode when neither point ' +
        'set is visibly larger than 25 rows), `torch.pdist`, `F.ctc_loss`, `F.multi_margin_loss`, `F.multilabel_margin_loss`, ' +
        '`F.embedding_bag`, `torch.segment_reduce`, `F.hardsigmoid` / `nn.Hardsigmoid` (and torchvision\'s MobileNetV3, ' +
        'whose squeeze-excitation gates use it), torchvision\'s `ops.roi_align`/`roi_pool`/`ps_roi_align`/`ps_roi_pool`/' +
        '`deform_conv2d` and their modules (`RoIAlign`, `MultiScaleRoIAlign`, `DeformConv2d`, ...: "double backwards on ' +
        'deform_conv2d not supported"), tiny-cuda-nn\'s fused networks (`tcnn.Network`, `tcnn.NetworkWithInputEncoding`: ' +
        '"second derivatives are not supported by the tiny-cuda-nn\'s neural networks. Only by the hash encoding", its ' +
        'maintainer in NVlabs/tiny-cuda-nn issue 156; not run here), a model or function compiled with `torch.compile` (its default backend ' +
        'compiles the backward with AOTAutograd, which cannot be differentiated again; `backend="eager"` can), and `Fn.apply(...)` of a custom `torch.autograd.Function` defined in the ' +
        'file whose `backward` is decorated with `@once_differentiable`. Also a reentrant `torch.utils.checkpoint` (its ' +
        'default, or `use_reentrant=True`) that a `torch.autograd.grad` (or a `torch.autograd.functional` API) goes through, ' +
        'first-order or not, or that a second derivative goes through (its result is followed as the checkpointed ' +
        'function\'s). Also a custom Function whose `forward` recomputes on a ' +
        'detached copy of an input kept on `ctx` (`x = x.detach().requires_grad_(); ctx.x = x`, or saved with ' +
        '`ctx.save_for_backward`) and whose `backward` calls `torch.autograd.grad(..., ctx.x, create_graph=...)` on it. ' +
        'And a custom Function whose `backward` builds its result from an intermediate `forward` computed from its inputs and ' +
        'kept on `ctx` (`ctx.e = torch.exp(x)`, or `ctx.save_for_backward(s)` of a value that is neither an input nor the output), ' +
        'when a derivative through `Fn.apply(...)` is taken with `create_graph=True` or differentiated again (reported at the ' +
        'store in `forward`).',
      whyIsThisBad:
        'These operations implement their backward as one kernel without a derivative formula of its own. The first ' +
        'derivative is fine, so the code runs until the loss on it is back-propagated: then PyTorch raises "the derivative ' +
        'for \'_cdist_backward\' is not implemented" (`grid_sampler_2d_backward`, `_pdist_backward`, ...). A ' +
        '`@once_differentiable` backward runs without recording: PyTorch raises "trying to differentiate twice a function ' +
        'that was marked with @once_differentiable" only when the incoming gradient requires grad; in the usual ' +
        '`grad(y.sum(), x, create_graph=True)` it does not, and the second derivative silently misses every term through ' +
        'the Function (a gradient penalty trains the wrong thing). A reentrant checkpoint\'s backward re-runs the function and ' +
        'calls `torch.autograd.backward` itself: `torch.autograd.grad` through it raises "Checkpointing is not compatible with ' +
        '.grad() or when an `inputs` parameter is passed to .backward()", so a gradient penalty, a PINN residual or a force ' +
        'through a checkpointed block fails at its first derivative, and a gradient taken by `.backward(create_graph=True)` ' +
        'has no graph through it (both run with PyTorch 1.13); the non-reentrant checkpoint differentiates twice. A backward built from intermediates that `forward` kept on ' +
        '`ctx` computes the right first derivative, but `forward` runs with grad mode off, so those tensors have no graph to ' +
        'the input: the gradient, taken with `create_graph=True`, misses every term through them (PyTorch\'s tutorial "Double ' +
        'Backward with Custom Functions", "Saving Intermediate Results": "grad_x would not even have a backward graph"). A ' +
        'backward that differentiates an inner graph built on a ' +
        'detached copy of the input computes the right first derivative, but the graph `create_graph` gives it leads to the ' +
        'copy, not to the input: a second derivative through the Function is 0 where it should not be, and gradgradcheck ' +
        'fails (pytorch/pytorch#99523, run with PyTorch 1.13). `torch.cdist` is worse: by default it ' +
        'takes the matmul path only when a point set has more than 25 rows, so a model that trains on large batches fails ' +
        'on a small one. Each case was run with PyTorch 1.13; grid_sample\'s is pytorch/pytorch#34704 and cdist\'s #83510, ' +
        'both open.',
      example: [
        '```python',
        'd = torch.cdist(x, centers)                 # x requires grad; 4 points, 5 centers',
        'y = head(d)',
        'dy_dx = torch.autograd.grad(y.sum(), x, create_graph=True)[0]',
        'loss = ((dy_dx - target) ** 2).mean()',
        'loss.backward()                             # NotImplementedError: _cdist_backward',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'd = torch.cdist(x, centers, compute_mode="use_mm_for_euclid_dist")   # differentiable twice',
        '# or write the distance with differentiable operations:',
        'd = ((x[:, None, :] - centers[None, :, :]) ** 2).sum(-1).clamp_min(1e-12).sqrt()',
        '```',
        '',
        'For `grid_sample`, write the bilinear interpolation with `gather` and arithmetic (or use a double-backward-capable ',
        'reimplementation such as StyleGAN2-ADA\'s `grid_sample_gradfix`); for a custom Function, write a backward made of ',
        'differentiable torch operations and drop `@once_differentiable`; one that recomputes in backward should save the input ',
        'itself (`ctx.save_for_backward(x)`) and recompute from it under `torch.enable_grad()`, not from a detached copy.',
      ].join('\n'),
      knownProblems:
        'Only calls the analysis sees are checked. A model or helper imported from another file of the workspace is ' +
        'followed: when the operation is there, the finding is reported at this file\'s derivative (or at its call of ' +
        'the helper that differentiates), naming the operation\'s line in that file. An operation inside an installed ' +
        'library (kornia, a model built by a configuration string) is not seen. A checkpoint is followed only when its ' +
        'function and arguments are visible (not `*args`) and `use_reentrant` is absent or a literal; ' +
        '`checkpoint_sequential` and wrappers of other libraries are not known. A gradient read from `.grad` after ' +
        '`.backward(create_graph=True)` is followed as a first derivative when the leaf it belongs to is visible (an input ' +
        'made or marked in the file); parameters\' `.grad` read in a loop over `model.parameters()` is not. The modules `nn.CTCLoss`, `nn.MultiMarginLoss` and ' +
        '`nn.EmbeddingBag` are not followed yet, only the functions. `torch.cdist` with the default mode is flagged when the ' +
        'sizes of the point sets are not visible: it fails only for 25 rows or fewer on both sides. An operation applied only ' +
        'to values that do not depend on what the first derivative is taken with respect to is still flagged. Newer PyTorch ' +
        'versions may add a double backward for some of these operations. The detached-copy form is recognised within one ' +
        'class: the copy made in `forward` by `.detach()` or `.data` of an input, stored as a `ctx` attribute or saved, and ' +
        'passed as `inputs` of `torch.autograd.grad` in `backward` (directly, or unpacked from `ctx.saved_tensors`); a ' +
        'backward without `create_graph` is first-order by design (as `torch.utils.checkpoint`) and is not flagged. The ' +
        'intermediate form is recognised within one class too: a value stored on `ctx` or saved in `forward` is an intermediate ' +
        'when it is computed from the inputs and is not the returned output; comparisons, masks and integer or shape results ' +
        '(whose derivative is zero anyway) are not counted; it is reported only when the file takes a derivative with ' +
        '`create_graph=True` through an application of the Function the analysis follows, or differentiates it twice (a ' +
        'Hessian API, `torch.autograd.gradgradcheck(Fn.apply, inputs)`, the Function given as `Fn.apply` or a name bound ' +
        'to it). Values of the input\'s shape only (`torch.full_like(x, 3.0)`, `x.new_zeros(n)`) are not intermediates.',
      fixSafety: 'No fix: the replacement changes numerics (and for grid_sample needs a reimplementation).',
      references: [
        '[Double backward with custom functions](https://pytorch.org/tutorials/intermediate/custom_function_double_backward_tutorial.html)',
        '[pytorch/pytorch#34704: derivative for grid_sampler_2d_backward is not implemented](https://github.com/pytorch/pytorch/issues/34704)',
        '[pytorch/pytorch#83510: cdist backward dependent on compute_mode](https://github.com/pytorch/pytorch/issues/83510)',
        '[pytorch/pytorch#99523: second derivative of a custom Function that differentiates a detached inner graph](https://github.com/pytorch/pytorch/issues/99523)',
        '[torch.utils.checkpoint: the reentrant variant does not support torch.autograd.grad](https://pytorch.org/docs/stable/checkpoint.html)',
      ],
    },
  },

  check(ctx) {
    const a = ctx.analysis;
    const bySite = new Map<number, DerivativeEvent>();
    for (const d of a.events.derivatives) bySite.set(d.node.id, d);
    const reported = new Set<number | string>();
    // `x.grad` filled by `loss.backward(create_graph=True)`: the first derivative is that backward.
    const backwardsOfRead = new Map<number, BackwardEvent[]>();
    for (const r of a.events.gradReads) {
      const fills = a.events.backwards.filter((b) => b.createGraph === true && r.fills.includes(b.node.id));
      if (fills.length > 0) backwardsOfRead.set(r.node.id, fills);
    }
    const second = (value: AV, at: PyNode, what: string): void => {
      const t = tensorOfValue(value);
      for (const site of t.dGraph) {
        const first = bySite.get(site);
        if (first && first.spec.framework === 'pytorch') {
          for (const op of tensorOfValue(first.result).noDouble) report(ctx, op, first.node, at, what, reported, first.api);
          continue;
        }
        for (const b of backwardsOfRead.get(site) ?? []) {
          if (b.node === at) continue;
          for (const op of tensorOfValue(b.target).noDouble) report(ctx, op, b.node, at, what, reported);
        }
      }
    };
    // A reentrant checkpoint cannot be differentiated by `torch.autograd.grad` at all (nor by the functional APIs
    // built on it): the first derivative through it raises, whatever follows.
    for (const d of a.events.derivatives) {
      if (d.spec.framework !== 'pytorch' || !usesAutogradGrad(d.api)) continue;
      for (const op of tensorOfValue(d.output).noDouble) if (isCheckpoint(ctx, op)) report(ctx, op, d.node, d.node, 'this derivative', reported, d.api);
    }
    for (const b of a.events.backwards) second(b.target, b.node, '`.backward()`');
    for (const d of a.events.derivatives) {
      if (d.spec.framework !== 'pytorch') continue;
      second(d.output, d.node, 'this derivative');
      // A derivative asked to be differentiable (`create_graph=True`) through a Function whose backward is built
      // from forward's graphless intermediates: the graph it asks for is missing, with or without a second derivative.
      if (d.createGraph === true && d.spec.order < 2) {
        for (const op of tensorOfValue(d.output).noDouble) if (graphlessStore(ctx, op)) report(ctx, op, d.node, d.node, 'this derivative, taken with `create_graph=True`,', reported);
      }
      // A Hessian-type API differentiates its function twice itself.
      if (d.spec.order >= 2) for (const op of tensorOfValue(d.output).noDouble) report(ctx, op, d.node, d.node, 'this second-order derivative', reported);
    }
    detachedInnerGraphs(ctx);
  },
};

/**
 * A custom `torch.autograd.Function` whose `forward` recomputes on a detached copy of an input
 * (`x = x.detach().requires_grad_()`, kept on `ctx`) and whose `backward` differentiates that inner graph with
 * `create_graph`: the graph it creates leads to the detached copy, never to the Function's input, so the second
 * derivative it asks for misses these terms (gradgradcheck fails: pytorch/pytorch#99523).
 */
function detachedInnerGraphs(ctx: RuleContext): void {
  for (const { cls, methods } of autogradFunctionClasses(ctx.model)) {
    const fwd = methods.get('forward')?.node;
    const bwd = methods.get('backward')?.node;
    if (!fwd || !bwd) continue;
    const fwdParams = paramNames(ctx, fwd);
    const bwdParams = paramNames(ctx, bwd);
    if (fwdParams.length < 2 || bwdParams.length < 1) continue;
    const fctx = fwdParams[0];
    const inputs = new Set(fwdParams.slice(1));
    // Names bound to a detached copy of an input (or something computed from one), in the order forward binds them.
    const detached = new Set<string>();
    const attrs = new Set<string>();
    const saved: boolean[] = [];
    for (const n of inOrder(field(fwd, 'body'))) {
      if (n.type === 'assignment') {
        const left = field(n, 'left');
        const right = field(n, 'right');
        if (!left || !right) continue;
        // `ctx.x, ctx.y = x, y`: pair the targets with the values.
        const targets = left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.children : [left];
        const values = targets.length > 1 && right.type === 'expression_list' && right.children.length === targets.length ? right.children : targets.map(() => right);
        targets.forEach((target, i) => {
          const value = values[i];
          const names = identifiers(ctx, value);
          const fromDetached = [...names].some((x) => detached.has(x));
          const detaches = /\.detach\s*\(|\.data\b/.test(ctx.text(value)) && [...names].some((x) => inputs.has(x) || detached.has(x));
          if (target.type === 'identifier') {
            if (detaches || fromDetached) detached.add(ctx.text(target));
            else detached.delete(ctx.text(target));
          } else if (target.type === 'attribute' && ctx.text(field(target, 'object') ?? target) === fctx && (detaches || fromDetached)) {
            const a = field(target, 'attribute');
            if (a) attrs.add(ctx.text(a));
          }
        });
      } else if (n.type === 'call' && ctx.text(field(n, 'function') ?? n) === `${fctx}.save_for_backward`) {
        const args = field(n, 'arguments');
        for (const a of args?.children ?? []) saved.push([...identifiers(ctx, a)].some((x) => detached.has(x)));
      }
    }
    if (attrs.size === 0 && !saved.some(Boolean)) continue;
    const bctx = bwdParams[0];
    // In backward: names unpacked from ctx.saved_tensors, or bound to a detached ctx attribute.
    const aliases = new Set<string>();
    const isDetachedAttr = (e: PyNode): boolean =>
      e.type === 'attribute' && ctx.text(field(e, 'object') ?? e) === bctx && attrs.has(ctx.text(field(e, 'attribute') ?? e));
    for (const n of inOrder(field(bwd, 'body'))) {
      if (n.type === 'assignment') {
        const left = field(n, 'left');
        const right = field(n, 'right');
        if (!left || !right) continue;
        if (left.type === 'identifier' && isDetachedAttr(right)) aliases.add(ctx.text(left));
        if (ctx.text(right) === `${bctx}.saved_tensors` && (left.type === 'pattern_list' || left.type === 'tuple_pattern')) {
          left.children.forEach((c, i) => {
            if (c.type === 'identifier' && saved[i]) aliases.add(ctx.text(c));
          });
        }
        continue;
      }
      if (n.type !== 'call') continue;
      const call = ctx.model.call(n);
      if (call?.qname !== 'torch.autograd.grad') continue;
      const cg = ctx.model.argument(call, 'create_graph', 'torch.autograd.grad');
      if (cg.kind !== 'found' || /^(?:False|None|0)$/.test(ctx.text(cg.node))) continue;
      const inp = ctx.model.argument(call, 'inputs', 'torch.autograd.grad');
      if (inp.kind !== 'found') continue;
      const wrt = [...inOrder(inp.node), inp.node].filter((e) => isDetachedAttr(e) || (e.type === 'identifier' && aliases.has(ctx.text(e))));
      if (wrt.length === 0) continue;
      const fnName = ctx.text(field(cls, 'name') ?? cls);
      ctx.report({
        node: n,
        message:
          `\`${fnName}.backward\` differentiates with \`create_graph\` with respect to \`${ctx.text(wrt[0])}\`, a copy that \`forward\` ` +
          'detached from its input: the graph this creates leads to that copy, not to the input of the Function, so a second ' +
          'derivative through it misses these terms (it is 0 where it should not be; gradgradcheck fails). Save the input ' +
          'itself with `ctx.save_for_backward` and, in backward, recompute under `torch.enable_grad()` from it, or write the ' +
          'derivative with differentiable torch operations of the saved input.',
        related: [{ node: wrt[0], message: 'detached in forward' }],
      });
    }
  }
}

/**
 * For an `Fn.apply(...)` site: the store in `Fn.forward` of an intermediate its backward is built from
 * (`graphlessIntermediate`), or null (also for an `@once_differentiable` Function, reported as such).
 */
function graphlessStore(ctx: RuleContext, op: number): PyNode | null {
  const node = ctx.tree.nodes[op];
  const call = node ? ctx.model.call(node) : null;
  const receiver = appliedFunction(ctx, call);
  if (!receiver) return null;
  const cls = localClass(ctx, receiver);
  if (!cls) return null;
  const methods = methodsOf(ctx.model, cls);
  const fwd = methods.get('forward');
  const bwd = methods.get('backward');
  if (bwd && bwd.node.parent?.type === 'decorated_definition' && /once_differentiable/.test(ctx.text(bwd.node.parent))) return null;
  return fwd && bwd ? graphlessIntermediate(ctx.model, fwd.node, bwd.node) : null;
}

/** The class definition of this file a name refers to (`SinhBad` in `SinhBad.apply`), or null. */
function localClass(ctx: RuleContext, receiver: PyNode): PyNode | null {
  if (receiver.type !== 'identifier') return null;
  const name = ctx.text(receiver);
  for (const n of nodesOfType(ctx.tree, 'class_definition')) {
    const id = field(n, 'name');
    if (id && ctx.text(id) === name) return n;
  }
  return null;
}

function paramNames(ctx: RuleContext, def: PyNode): string[] {
  const out: string[] = [];
  for (const p of field(def, 'parameters')?.children ?? []) {
    const id = p.type === 'identifier' ? p : p.children.find((c) => c.type === 'identifier');
    if (id) out.push(ctx.text(id));
  }
  return out;
}

/** The nodes under `n` in source order, not entering nested functions, classes or lambdas. */
function inOrder(n: PyNode | null): PyNode[] {
  const out: PyNode[] = [];
  const visit = (x: PyNode): void => {
    for (const c of x.children) {
      if (c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'lambda') continue;
      out.push(c);
      visit(c);
    }
  };
  if (n) visit(n);
  return out;
}

function identifiers(ctx: RuleContext, n: PyNode): Set<string> {
  const out = new Set<string>();
  if (n.type === 'identifier') out.add(ctx.text(n));
  for (const c of inOrder(n)) if (c.type === 'identifier' && c.field !== 'attribute') out.add(ctx.text(c));
  return out;
}

/**
 * The custom Function a call applies, as the message names it: `Fn` of `Fn.apply(...)`, or of `f(...)` where
 * `f = Fn.apply` (the usual spelling of CUDA extensions' Functions).
 */
function functionName(ctx: RuleContext, call: CallInfo | null | undefined): string {
  const fn = appliedFunction(ctx, call);
  return fn ? `\`${ctx.text(fn)}\`` : 'this custom autograd Function';
}

/** The expression naming the Function a call applies: `Fn` of `Fn.apply(...)` or of `f(...)` with `f = Fn.apply`. */
function appliedFunction(ctx: RuleContext, call: CallInfo | null | undefined): PyNode | null {
  if (call?.method === 'apply' && call.receiver) return call.receiver;
  // A derivative API given the Function itself (`gradgradcheck(Fn.apply, x)`, `hessian(Fn.apply, x)`).
  const spec = call?.qname ? TORCH_DERIVATIVES[call.qname] : undefined;
  if (call && spec?.func) {
    const f = ctx.model.argument(call, spec.func, spec.params);
    const fn = f.kind === 'found' ? unparen(f.node) : null;
    if (fn?.type === 'attribute' && ctx.text(field(fn, 'attribute') ?? fn) === 'apply') return field(fn, 'object');
    return fn?.type === 'identifier' ? appliedName(ctx, fn) : null;
  }
  const callee = call ? field(call.node, 'function') : null;
  return callee?.type === 'identifier' ? appliedName(ctx, callee) : null;
}

/** `Fn` of a name bound to `Fn.apply`. */
function appliedName(ctx: RuleContext, callee: PyNode): PyNode | null {
  if (!ctx.model.isUse(callee)) return null;
  const reach = ctx.model.reachingBindings(callee);
  const v = reach.length === 1 && reach[0].kind === 'assign' && reach[0].path.length === 0 ? reach[0].value : null;
  return v?.type === 'attribute' && ctx.text(field(v, 'attribute') ?? v) === 'apply' ? field(v, 'object') : null;
}

/** Whether a derivative API runs `torch.autograd.grad` (which a reentrant checkpoint refuses). */
function usesAutogradGrad(api: string): boolean {
  return api === 'torch.autograd.grad' || api.startsWith('torch.autograd.functional.');
}

/** Whether a `noDouble` site is a call of `torch.utils.checkpoint.checkpoint` (reentrant: the analysis marks only those). */
function isCheckpoint(ctx: RuleContext, op: number): boolean {
  const node = ctx.tree.nodes[op];
  return !!node && ctx.model.call(node)?.qname === TORCH_CHECKPOINT;
}

function report(ctx: RuleContext, op: number, first: PyNode, at: PyNode, what: string, reported: Set<number | string>, firstApi?: string): void {
  const node = ctx.tree.nodes[op];
  if (!node) return;
  const end = ctx.model.lintedEnd;
  const host = at.start < end ? at : first.start < end ? first : at;
  // Once per operation in this file; once per operation and derivative when the operation is in another file.
  const key = node.start < end ? op : `${host.id}:${op}`;
  if (reported.has(key)) return;
  reported.add(key);
  // The operation in another file of the workspace (a model's `forward` in models.py, appended for the analysis):
  // that file never differentiates twice and cannot see the mistake, so the finding goes where this file's
  // derivative is, naming the operation's line (the engine maps it to that file); a derivative itself in another
  // file's helper is then shown at this file's calls of the helper (`SHOWN_AT_CALLS`).
  const place = (target: PyNode): { node: PyNode; prefix: string } => {
    if (target.start < end) return { node: target, prefix: '' };
    const code = ctx.text(target).replace(/\s+/g, ' ');
    return { node: host, prefix: `Through \`${code.length > 50 ? `${code.slice(0, 47)}...` : code}\` (line ${ctx.lineOf(target)}): ` };
  };
  const call = ctx.model.call(node);
  const q = call?.qname ?? (node.type === 'attribute' || node.type === 'identifier' ? ctx.model.qualifiedName(node) : null);
  const backward = q ? noDoubleBackwardOf(q) : undefined;
  const same = first === at;
  const where = same
    ? `${what} (line ${ctx.lineOf(at)}) differentiates twice through it`
    : `${what} (line ${ctx.lineOf(at)}) differentiates the derivative taken with a graph at line ${ctx.lineOf(first)}, whose graph goes through it`;
  let message: string;
  if (q === TORCH_CHECKPOINT) {
    const code = ctx.text(node).replace(/\s+/g, ' ');
    message =
      `\`${code.length > 50 ? `${code.slice(0, 47)}...` : code}\` is a reentrant checkpoint (the default of \`torch.utils.checkpoint\`), ` +
      'whose backward re-runs the function and cannot itself be differentiated, and ' +
      (firstApi && usesAutogradGrad(firstApi)
        ? `the derivative at line ${ctx.lineOf(first)} goes through it with \`${firstApi}\`: PyTorch raises "${TORCH_CHECKPOINT_ERROR}".`
        : `${where}: the derivative taken with a graph has none through the checkpoint, so the second derivative misses every term through it (or raises "element 0 of tensors does not require grad").`) +
      ' Pass `use_reentrant=False` (the non-reentrant checkpoint differentiates twice), or do not checkpoint this part where it is differentiated with `torch.autograd.grad` or twice.';
  } else if (q && TORCH_COMPILE.has(q)) {
    message =
      `\`${ctx.text(node).replace(/\s+/g, ' ').slice(0, 50)}\` compiles this code with AOTAutograd, whose backward cannot be differentiated ` +
      `again, and ${where}: PyTorch raises "${TORCH_COMPILE_ERROR}" (older versions silently gave a wrong second derivative, ` +
      'pytorch issue 91469). Leave the model uncompiled for losses on derivatives (forces, PDE residuals, gradient penalties), ' +
      'or compile with `backend="eager"`.';
  } else if (backward) {
    const vision = torchvisionBuilder(q);
    const subject = vision
      ? `torchvision's \`${vision}\` gates its blocks with \`nn.Hardsigmoid\`, which has no double backward in PyTorch`
      : q!.startsWith('torchvision.ops.')
      ? `\`${q!.replace(/^torchvision\.ops\.(?:\w+\.)?/, 'torchvision.ops.')}\` has no double backward in torchvision`
      : q!.startsWith('tinycudann.')
      ? `tiny-cuda-nn's \`${q!.replace(/^tinycudann\.(?:modules\.)?/, 'tcnn.')}\` has no double backward (only its encodings differentiate twice)`
      : `\`${q!.replace(/^torch\.nn\.functional\./, 'F.').replace(/^torch\.nn\./, 'nn.')}\` has no double backward in PyTorch`;
    const cdist = q === 'torch.cdist'
      ? ' (`torch.cdist` takes that path for p other than 2, and by default whenever neither point set has more than 25 rows; `compute_mode="use_mm_for_euclid_dist"` avoids it)'
      : '';
    message =
      `${subject}${cdist}, and ${where}: PyTorch raises "${noDoubleBackwardError(backward)}". Compute this part with ` +
      'operations that differentiate twice, or keep it out of the ' +
      'differentiated path.';
  } else if (graphlessStore(ctx, op)) {
    const fnName = functionName(ctx, call);
    const store = graphlessStore(ctx, op)!;
    const stored = field(store, 'left') ?? store;
    // Reported where the fix goes: the store in forward (once, however many applications reach a derivative).
    if (reported.has(store.id)) return;
    reported.add(store.id);
    const where2 = place(store);
    ctx.report({
      node: where2.node,
      message:
        where2.prefix +
        `${fnName}'s backward builds its result from \`${ctx.text(stored).slice(0, 40)}\`, which \`forward\` computed from its input ` +
        `and kept on ctx; \`forward\` runs without recording, so that tensor has no graph to the input, and ${where}: the ` +
        'derivative of the gradient misses every term through it (the gradient may not even require grad). Save the inputs ' +
        '(or outputs) with `ctx.save_for_backward` and recompute the intermediates from them in `backward`, or return them ' +
        'as outputs of the Function.',
      related: [
        { node, message: 'the Function is applied here' },
        ...(same ? [] : [{ node: first, message: 'the first derivative, taken with a graph' }]),
        { node: at, message: same ? 'the derivative asked to be differentiable' : 'the second differentiation' },
      ],
    });
    return;
  } else {
    const fnName = functionName(ctx, call);
    message =
      `${fnName}'s backward is decorated \`@once_differentiable\`, and ${where}: that backward runs without recording, ` +
      'so the second derivative either raises "trying to differentiate twice a function that was marked with ' +
      '@once_differentiable" (when the incoming gradient requires grad) or, usually, silently treats its result as a ' +
      'constant and misses every term through this Function. Write the backward with differentiable torch operations ' +
      '(and drop the decorator), or keep this Function out of the second derivative.';
  }
  const where3 = place(node);
  ctx.report({
    node: where3.node,
    message: where3.prefix + message,
    related: [
      ...(where3.node === node ? [] : [{ node, message: 'the operation' }]),
      ...(same ? [] : [{ node: first, message: 'the first derivative, taken with a graph' }]),
      { node: at, message: 'the second differentiation' },
    ].filter((r) => r.node !== where3.node),
  });
}
