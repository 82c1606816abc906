/**
 * AGL071 autograd-api-under-functorch-transform: `torch.func.vmap` / `grad` / `vjp` / `jacrev` (or functorch's) applied to
 * `torch.autograd.functional.*` (`vmap(torch.autograd.functional.vjp)`), or to a function of the file that calls those
 * APIs, `.requires_grad_()` or `.backward()`. The transforms cannot see through the `torch.autograd` machinery: PyTorch
 * raises "You are attempting to call Tensor.requires_grad_() (or perhaps using torch.autograd.functional.* APIs) inside
 * of a function being transformed by a functorch transform" or "backward() called inside a functorch transform"
 * (pytorch/functorch#922: earlier versions returned zero gradients). `functorch.vjp` / `torch.func.vjp` are meant.
 */
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { resolveFunction } from '../jax';
import { unparen } from '../tree';

/** The torch.func transforms (functorch's names resolve to the same functions). */
const TRANSFORMS = new Set(['vmap', 'grad', 'grad_and_value', 'vjp', 'jvp', 'jacrev', 'jacfwd', 'hessian']);

function transformName(q: string | null): string | null {
  if (!q) return null;
  const m = /^(?:torch\.func|functorch|torch)\.(\w+)$/.exec(q);
  if (!m || !TRANSFORMS.has(m[1])) return null;
  // `torch.vmap` exists; `torch.grad`, `torch.jvp` ... do not (they are not transforms).
  if (q.startsWith('torch.') && !q.startsWith('torch.func.') && m[1] !== 'vmap') return null;
  return m[1];
}

/** Why a call inside the transformed function is unsupported there, or null. */
function unsupported(c: CallInfo): string | null {
  if (c.qname && /^torch\.autograd\.functional\.\w+$/.test(c.qname)) return `\`${c.qname.replace(/^torch\.autograd\.functional\./, 'torch.autograd.functional.')}\``;
  if (c.qname === null && c.receiver && c.calleeCall === null) {
    if (c.method === 'backward' && c.positional.length <= 1) return '`.backward()`';
    if (c.method === 'requires_grad_') return '`.requires_grad_()`';
  }
  return null;
}

/** The first call inside `fn` (or a function of the file it calls, two levels deep) that the transforms do not support. */
function findUnsupported(m: SemanticModel, fn: FunctionInfo, depth = 0, seen = new Set<FunctionInfo>()): { call: CallInfo; what: string } | null {
  if (seen.has(fn) || depth > 2) return null;
  seen.add(fn);
  for (const c of m.calls) {
    if (m.enclosingFunction(c.node) !== fn) continue;
    const what = unsupported(c);
    if (what) return { call: c, what };
  }
  for (const c of m.calls) {
    if (m.enclosingFunction(c.node) !== fn || !c.local || c.local.isMethod) continue;
    const hit = findUnsupported(m, c.local, depth + 1, seen);
    if (hit) return hit;
  }
  return null;
}

/**
 * The parameters of `fn` that `vmap` (the call `c`) maps over: every one for the default `in_dims` or an integer, those
 * whose entry is an integer for a tuple or list; null when that is not visible.
 */
function mappedParams(c: CallInfo, fn: FunctionInfo): Set<number> | null {
  if (c.hasKwargs || c.hasStarArgs) return null;
  const spec = c.keywords.get('in_dims') ?? c.positional[1];
  const all = new Set(fn.params.map((_, i) => i));
  if (!spec) return all;
  const u = unparen(spec);
  if (u.type === 'integer') return all;
  if (u.type !== 'tuple' && u.type !== 'list') return null;
  const items = u.children.filter((x) => x.named);
  if (items.length !== fn.params.length) return null;
  return new Set(items.flatMap((x, i) => (x.type === 'integer' ? [i] : [])));
}

/**
 * `vmap(f)` where `f` calls `torch.autograd.grad(p, ...)` on one of its own parameters that `vmap` maps (a slice of a
 * per-sample loss computed outside): the slice is a batched wrapper that is not in the graph, and PyTorch raises
 * "element 0 of tensors does not require grad and does not have a grad_fn".
 */
function checkGradOfMappedArgument(ctx: RuleContext, c: CallInfo, fn: FunctionInfo, callee: string): void {
  const m = ctx.model;
  const mapped = mappedParams(c, fn);
  if (!mapped || mapped.size === 0) return;
  for (const g of m.calls) {
    if (g.qname !== 'torch.autograd.grad' || m.enclosingFunction(g.node) !== fn || g.hasStarArgs || g.hasKwargs) continue;
    const out = g.keywords.get('outputs') ?? g.positional[0];
    if (!out) continue;
    const o = unparen(out);
    if (o.type !== 'identifier' || !m.isUse(o)) continue;
    const bs = m.reachingBindings(o);
    if (bs.length !== 1 || bs[0].kind !== 'param') continue;
    const idx = fn.params.indexOf(bs[0]);
    if (idx < 0 || !mapped.has(idx)) continue;
    ctx.report({
      node: g.node,
      message:
        `\`torch.autograd.grad\` of \`${ctx.text(o)}\`, the argument \`${callee}\` (line ${ctx.lineOf(c.node)}) maps over: under \`vmap\` it is a ` +
        'batched wrapper of one slice, which is not in the autograd graph of the tensor it was sliced from, and PyTorch raises ' +
        '"element 0 of tensors does not require grad and does not have a grad_fn". Compute per-sample gradients with ' +
        '`vmap(torch.func.grad(loss_of_one_sample))`, or with `torch.autograd.grad(losses, params, torch.eye(n), is_grads_batched=True)`.',
      related: [{ node: c.node, message: 'the vmap' }],
    });
  }
}

function check(ctx: RuleContext): void {
  const m = ctx.model;
  for (const c of m.calls) {
    const name = transformName(c.qname);
    if (!name) continue;
    const arg = c.keywords.get('func') ?? c.positional[0];
    if (!arg) continue;
    const target = unparen(arg);
    const tq = m.qualifiedName(target);
    const callee = ctx.text(c.node).split('(')[0];
    if (tq && /^torch\.autograd\.functional\.\w+$/.test(tq)) {
      const api = tq.slice(tq.lastIndexOf('.') + 1);
      const alt = ['vjp', 'jvp', 'hessian'].includes(api) ? `torch.func.${api}` : api === 'jacobian' ? 'torch.func.jacrev' : null;
      ctx.report({
        node: target,
        message:
          `\`${callee}\` transforms \`${ctx.text(target)}\`, which computes with \`torch.autograd\` (it marks its inputs with ` +
          '`requires_grad_()` and calls `autograd.grad`): the transforms cannot see through that, and PyTorch raises "You are ' +
          'attempting to call Tensor.requires_grad_() (or perhaps using torch.autograd.functional.* APIs) inside of a function ' +
          `being transformed by a functorch transform" (earlier versions returned zeros). Use ${alt ? `\`${alt}\`` : 'the `torch.func` transform that computes it'} instead.`,
      });
      continue;
    }
    const fn = resolveFunction(m, target);
    if (!fn) continue;
    if (name === 'vmap') checkGradOfMappedArgument(ctx, c, fn, callee);
    const hit = findUnsupported(m, fn);
    if (!hit) continue;
    const backward = hit.what === '`.backward()`';
    ctx.report({
      node: hit.call.node,
      message:
        `${hit.what} inside \`${fn.name === '<lambda>' ? 'the lambda' : fn.name}\`, which \`${callee}\` transforms (line ${ctx.lineOf(c.node)}): ` +
        (backward
          ? 'PyTorch raises "backward() called inside a functorch transform". '
          : 'PyTorch raises "You are attempting to call Tensor.requires_grad_() (or perhaps using torch.autograd.functional.* APIs) ' +
            'inside of a function being transformed by a functorch transform". ') +
        'Compute the derivative with the `torch.func` transforms themselves (`grad`, `vjp`, `jacrev`) instead of `torch.autograd`.',
      related: [{ node: c.node, message: 'the transform' }],
    });
  }
}

export const AGL071: Rule = {
  meta: {
    code: 'AGL071',
    name: 'autograd-api-under-functorch-transform',
    summary: '`vmap`/`grad`/`jacrev` of `torch.autograd.functional.*`, or of a function calling it, `.requires_grad_()` or `.backward()`, raises.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a `torch.func` (or functorch) transform — `vmap`, `grad`, `grad_and_value`, `vjp`, `jvp`, `jacrev`, `jacfwd`, ' +
        '`hessian`, also `torch.vmap` — applied to a `torch.autograd.functional` function (`vmap(torch.autograd.functional.vjp, ' +
        'in_dims=...)`), or to a function of the file (a `def` or a lambda, and the plain functions it calls, two levels deep) ' +
        'that calls `torch.autograd.functional.*`, `.requires_grad_()` or `.backward()`. Also `vmap(f)` where `f` calls ' +
        '`torch.autograd.grad` of one of its own parameters that the `vmap` maps (per-sample losses computed outside, sliced ' +
        'by `vmap`).',
      whyIsThisBad:
        'The transforms replace tensors by wrappers that `torch.autograd` does not understand: marking one with ' +
        '`requires_grad_()` (which every `torch.autograd.functional` API does with its inputs) raises "You are attempting to ' +
        'call Tensor.requires_grad_() (or perhaps using torch.autograd.functional.* APIs) inside of a function being ' +
        'transformed by a functorch transform", and `.backward()` raises "backward() called inside a functorch transform" ' +
        '(run with functorch on PyTorch 1.13). Before that error was added, `vmap` over `torch.autograd.functional.vjp` ' +
        'silently returned zero gradients (pytorch/functorch#922; the maintainer: "torch.autograd.functional has a design ' +
        'limitation that makes it so that we are unable to vmap over it ... The workaround is to use functorch.vjp"). A slice ' +
        'that `vmap` passes in is a batched wrapper outside the graph it was cut from: `torch.autograd.grad` of it raises ' +
        '"element 0 of tensors does not require grad" (a PyTorch forum thread, "Can\'t vmap autograd.grad over outputs").',
      example: [
        '```python',
        'batched_vjp = vmap(torch.autograd.functional.vjp, in_dims=(None, 0, None))',
        'out, vjp = batched_vjp(f, inputs, v)    # RuntimeError',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'def one_vjp(x):',
        '    _, pullback = torch.func.vjp(f, x)   # functorch.vjp on PyTorch 1.13',
        '    return pullback(v)[0]',
        'vjps = vmap(one_vjp)(inputs)',
        '```',
      ].join('\n'),
      knownProblems:
        'Only functions the file defines are looked into (a method, or a model\'s `forward` run through `functional_call`, is ' +
        'not). `torch.autograd.grad` inside a transformed function is reported only when it differentiates an argument the ' +
        '`vmap` maps; otherwise whether it works depends on where the differentiated tensors come from.',
      fixSafety: 'No fix: the replacement is a restructuring (a `torch.func.vjp` pullback, a `grad` of a scalar function).',
      references: [
        '[pytorch/functorch#922: vmap over torch.autograd.functional.vjp returns zeros](https://github.com/pytorch/functorch/issues/922)',
        '[torch.func UX limitations: torch.autograd APIs](https://pytorch.org/docs/stable/func.ux_limitations.html)',
        '[PyTorch forum: Can\'t vmap autograd.grad over outputs](https://discuss.pytorch.org/t/cant-vmap-autograd-grad-over-outputs/220878)',
      ],
    },
  },
  check,
};
