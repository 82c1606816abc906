/**
 * AGL098 requires-grad-on-saved-input: the `backward` of a custom `torch.autograd.Function` turns on `requires_grad`
 * in place (`x.requires_grad_()`, `x.requires_grad = True`) on a tensor it unpacks from `ctx.saved_tensors` that the
 * `forward` saved as one of its inputs. Unpacking gives back the caller's own tensor object, so the flag changes on the
 * caller's tensor: after `backward` a data tensor or buffer requires grad (a later in-place update of it raises "a leaf
 * Variable that requires grad is being used in an in-place operation", computations from it build graphs). The
 * question to the model of the Function (`derivative-rules.ts`): which forward inputs `save_for_backward` saves as
 * they are, at which position, and which names of `backward` come only from that position of `ctx.saved_tensors`.
 */
import { savedByForward, torchCustomFunctions } from '../derivative-rules';
import type { Rule, RuleContext } from '../rule';
import type { Binding, SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';

/** The positions in `save_for_backward(...)` of the forward inputs it saves as they are. */
function savedInputPositions(m: SemanticModel, fwd: PyNode, inputNames: readonly string[], ctxName: string): Set<number> {
  const out = new Set<number>();
  const f = m.functionOf(fwd);
  for (const c of m.calls) {
    if (c.method !== 'save_for_backward' || !c.receiver || c.hasStarArgs || m.enclosingFunction(c.node) !== f || m.textOf(unparen(c.receiver)) !== ctxName) continue;
    c.positional.forEach((a, i) => {
      const u = unparen(a);
      if (u.type === 'identifier' && inputNames.includes(m.textOf(u))) out.add(i);
    });
  }
  return out;
}

/** `ctx.saved_tensors` (or the older `ctx.saved_variables`) of the backward's `ctx`. */
function isSavedTensors(m: SemanticModel, n: PyNode, ctxName: string): boolean {
  const u = unparen(n);
  if (u.type !== 'attribute') return false;
  const o = field(u, 'object');
  const a = field(u, 'attribute');
  return !!o && !!a && m.textOf(unparen(o)) === ctxName && /^saved_(?:tensors|variables)$/.test(m.textOf(a));
}

/** The position in `ctx.saved_tensors` a binding takes (`a, b = ctx.saved_tensors`, `b = ctx.saved_tensors[1]`), or null. */
function savedPosition(m: SemanticModel, b: Binding, ctxName: string): number | null {
  if (b.kind !== 'assign' || !b.value) return null;
  const v = unparen(b.value);
  if (b.path.length === 1 && isSavedTensors(m, v, ctxName)) return b.path[0];
  if (b.path.length === 0 && v.type === 'subscript') {
    const o = field(v, 'value');
    const idx = namedChildren(v).filter((c) => c !== o);
    if (o && isSavedTensors(m, o, ctxName) && idx.length === 1 && idx[0].type === 'integer') return Number(m.textOf(idx[0]));
  }
  return null;
}

function check(ctx: RuleContext): void {
  const m = ctx.model;
  if (!m.fileFact('torch-word')) return;
  for (const fn of torchCustomFunctions(m)) {
    if (fn.setupContext || !fn.inputs || !fn.ctxParam) continue;
    const fwdCtx = (fn.forward.decorators.includes('classmethod') ? fn.forward.params[1] : fn.forward.params[0])?.name;
    if (!fwdCtx || !savedByForward(m, fn.forward.node)) continue;
    const positions = savedInputPositions(m, fn.forward.node, fn.inputs.map((p) => p.name), fwdCtx);
    if (positions.size === 0) continue;
    const ctxName = fn.ctxParam.name;
    const fromSavedInput = (n: PyNode): number | null => {
      const u = unparen(n);
      if (u.type !== 'identifier' || !m.isUse(u)) return null;
      const bs = m.reachingBindings(u);
      const ps = bs.map((b) => savedPosition(m, b, ctxName));
      return ps.length > 0 && ps.every((p) => p !== null && p === ps[0] && positions.has(p)) ? ps[0] : null;
    };
    const hits: { node: PyNode; target: PyNode }[] = [];
    for (const c of m.calls) {
      if (c.method !== 'requires_grad_' || !c.receiver || m.enclosingFunction(c.node) !== fn.backward) continue;
      const arg = c.positional[0] ?? c.keywords.get('requires_grad');
      if (arg && m.literalBool(arg) !== true) continue;
      if (fromSavedInput(c.receiver) !== null) hits.push({ node: c.node, target: unparen(c.receiver) });
    }
    // `x.requires_grad = True`
    for (const stmt of assignmentsIn(fn.backward.node)) {
      const left = field(stmt, 'left');
      const right = field(stmt, 'right');
      if (!left || !right || left.type !== 'attribute' || m.literalBool(right) !== true) continue;
      const a = field(left, 'attribute');
      const o = field(left, 'object');
      if (a && o && m.textOf(a) === 'requires_grad' && fromSavedInput(o) !== null) hits.push({ node: stmt, target: unparen(o) });
    }
    for (const h of hits) {
      const name = ctx.text(h.target);
      ctx.report({
        node: h.node,
        message:
          `The backward of the custom autograd Function \`${fn.name}\` turns on \`requires_grad\` of \`${name}\`, which it unpacks from ` +
          '`ctx.saved_tensors` and which `forward` saved as one of its inputs: unpacking gives back the caller\'s own tensor, so the ' +
          'flag changes on the caller\'s tensor (after `backward` a data tensor or buffer requires grad: a later in-place update ' +
          'of it raises "a leaf Variable that requires grad is being used in an in-place operation", and computations from it ' +
          `build graphs). Differentiate a copy: \`${name} = ${name}.detach().requires_grad_(True)\`.`,
      });
    }
  }
}

/** The assignment statements of a function body (not of nested functions). */
function assignmentsIn(fnNode: PyNode): PyNode[] {
  const out: PyNode[] = [];
  const visit = (n: PyNode): void => {
    for (const c of n.children) {
      if (c.type === 'function_definition' || c.type === 'lambda' || c.type === 'class_definition') continue;
      if (c.type === 'assignment') out.push(c);
      visit(c);
    }
  };
  const body = field(fnNode, 'body');
  if (body) visit(body);
  return out;
}

export const AGL098: Rule = {
  meta: {
    code: 'AGL098',
    name: 'requires-grad-on-saved-input',
    summary:
      'A custom Function\'s backward calls `requires_grad_()` on a tensor from `ctx.saved_tensors` that forward saved as an input: it changes the caller\'s own tensor.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Reads each `torch.autograd.Function` subclass of the file: the inputs its `forward` saves as they are with ' +
        '`ctx.save_for_backward(...)` (and at which position), and in `backward` the names bound only from that position of ' +
        '`ctx.saved_tensors` (`x, y = ctx.saved_tensors`, `x = ctx.saved_tensors[0]`). Reports `x.requires_grad_()` ' +
        '(`requires_grad_(True)`) and `x.requires_grad = True` on such a name: typically to differentiate the forward again ' +
        'inside `backward` with `torch.enable_grad()`.',
      whyIsThisBad:
        'For a saved input, `ctx.saved_tensors` returns the very tensor object the caller passed to `apply`. Setting ' +
        '`requires_grad` on it changes the caller\'s tensor: when it did not require grad (data, a buffer, a time grid), it ' +
        'does after `backward`, so a later in-place update of it raises "a leaf Variable that requires grad is being used in ' +
        'an in-place operation", computations from it record graphs and keep memory, and code that checks `requires_grad` ' +
        'takes another branch. The backward also differentiates through a tensor other code shares (torchdiffeq\'s event ' +
        'gradient fixed this by detaching and cloning the saved tensors first: "fix odeint_event gradient").',
      example:
        '```python\n    @staticmethod\n    def backward(ctx, grad_out):\n        t, y = ctx.saved_tensors\n' +
        '        with torch.enable_grad():\n            y.requires_grad_(True)      # the caller\'s y\n' +
        '            c = event_fn(t, y)\n            (dy,) = torch.autograd.grad(c, y)\n        return None, grad_out * dy\n```',
      useInstead:
        '```python\n        t, y = ctx.saved_tensors\n        y = y.detach().requires_grad_(True)   # a copy of its own\n' +
        '        with torch.enable_grad():\n            c = event_fn(t, y)\n            (dy,) = torch.autograd.grad(c, y)\n```',
      knownProblems:
        'Only inputs saved by name in a `forward` with `ctx` (not `setup_context`) are followed; tensors kept as attributes of ' +
        '`ctx` (`ctx.y = y`) and saved forward outputs or intermediates (which the caller does not hold) are not reported. A ' +
        'caller whose tensor already requires grad sees no change (the call is then a no-op); it is reported anyway, since ' +
        'the file does not show every caller.',
      fixSafety: 'No automatic fix: whether the backward needs the gradient through a copy is for the author to say.',
      references: [
        '[PyTorch: Extending torch.autograd (saved tensors)](https://pytorch.org/docs/stable/notes/extending.html)',
        '[rtqichen/torchdiffeq e286d8f: detach and clone the saved tensors before requires_grad_](https://github.com/rtqichen/torchdiffeq/commit/e286d8f9b3e1e6a29d99108c1d96b3ed9e0f6672)',
      ],
    },
  },
  check,
};
