/**
 * AGL075 custom-function-backward: the `backward` of a custom `torch.autograd.Function` does not return the
 * gradients PyTorch needs. Three questions to the model of the Function (`derivative-rules.ts`):
 * - how many gradients a `return` visibly gives against the number of `forward` inputs (PyTorch raises "function
 *   XBackward returned an incorrect number of gradients (expected 2, got 1)");
 * - whether a returned gradient is computed from the incoming gradient at all (the chain rule: every gradient is
 *   `grad_output` times the local derivative; one that never reads it ignores the loss);
 * - for elementwise straight-line code, whether each gradient equals `grad_output · ∂forward/∂input`, compared with
 *   central differences of `forward` at a few points (`scalar-eval.ts`, as AGL072 does for JAX rules).
 */
import { deliberatelyZero, gradientDerivedNames, readsAny, returnedGradients, torchCustomFunctions, type TorchCustomFunction } from '../derivative-rules';
import type { Rule, RuleContext } from '../rule';
import { evaluateExpression, leaves, type Hooks, type Val } from '../scalar-eval';
import type { FunctionInfo, SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';
import { close, fmt, isIdentity, numericColumn, pointsFor } from './AGL072-jax-custom-rule-wrong-derivative';

function plural(n: number, w: string): string {
  return `${n} ${w}${n === 1 ? '' : 's'}`;
}

function checkCount(ctx: RuleContext, fn: TorchCustomFunction): boolean {
  const m = ctx.model;
  if (!fn.inputs) return false;
  const total = fn.inputs.length;
  for (const r of fn.backward.returns) {
    const items = returnedGradients(m, fn.backward, fn.gradParams, r);
    if (!items) continue;
    const n = items.length;
    const extra = items.slice(total).filter((i) => unparen(i).type !== 'none');
    if (n >= fn.required && extra.length === 0) continue;
    const expected = fn.required === total ? String(total) : `${fn.required} to ${total}`;
    const names = fn.inputs.map((p) => `\`${p.name}\``).join(', ');
    ctx.report({
      node: r,
      message:
        `The backward of the custom autograd Function \`${fn.name}\` returns ${plural(n, 'gradient')}, but its forward takes ` +
        `${plural(total, 'input')} (${names}): PyTorch needs one gradient per forward input, \`None\` for an input that needs none ` +
        `(a non-tensor argument, a tensor that does not require grad), and raises "function ${fn.name}Backward returned an incorrect ` +
        `number of gradients (expected ${expected}, got ${n})" when the Function's output is differentiated. ` +
        (n < fn.required ? `Return ${fn.required === 1 ? 'one gradient' : `a tuple of ${fn.required}`}, with \`None\` where there is no gradient.` : 'Drop the extra gradients (or make them `None`).'),
      related: [{ node: fn.forward.node, message: 'the forward inputs are declared here' }],
    });
    return true;
  }
  return false;
}

function containsNone(n: PyNode): boolean {
  return n.type === 'none' || n.children.some(containsNone);
}

function checkIgnoresIncoming(ctx: RuleContext, fn: TorchCustomFunction): boolean {
  const m = ctx.model;
  if (fn.gradParams.length === 0) return false;
  // A backward that back-propagates through a graph of its own (`torch.autograd.backward(out, grad_output)`) hands the
  // gradient over in the `.grad` of leaves: not followed.
  if (m.calls.some((c) => m.enclosingFunction(c.node) === fn.backward && (c.qname === 'torch.autograd.backward' || c.method === 'backward'))) return false;
  const derived = gradientDerivedNames(m, fn.backward, fn.gradParams);
  for (const r of fn.backward.returns) {
    // A return that is not visibly a tuple or one tensor is one value for this question: a tuple that reads no incoming
    // gradient holds none computed from it either.
    const items = returnedGradients(m, fn.backward, fn.gradParams, r) ?? (containsNone(r) ? [] : [r]);
    for (const [i, item] of items.entries()) {
      if (deliberatelyZero(m, item) || readsAny(m, item, derived)) continue;
      const input = fn.inputs?.[i];
      const gname = fn.gradParams.map((p) => `\`${p.name}\``).join(', ');
      ctx.report({
        node: item,
        message:
          `The backward of the custom autograd Function \`${fn.name}\` returns \`${ctx.text(item).replace(/\s+/g, ' ')}\` as the gradient of ` +
          `${input ? `\`${input.name}\`` : `input ${i}`}, which is not computed from the incoming gradient ${gname} at all: by the chain rule ` +
          `each gradient is the incoming gradient times the local derivative, so this one ignores the loss (its size and sign do not ` +
          `follow what is being minimized) and every parameter upstream is trained on it. Multiply the local derivative by the ` +
          `incoming gradient (\`grad_output * ...\`), or return \`None\` for an input that has no gradient.`,
        related: [{ node: fn.gradParams[0].target, message: 'the incoming gradient' }],
      });
      return true;
    }
  }
  return false;
}

/** The statements of a body are straight-line: assignments, `ctx` calls, a docstring, and the final `return`. */
function straightLine(m: SemanticModel, f: FunctionInfo, ctxName: string | null): boolean {
  const body = f.node.type === 'lambda' ? null : field(f.node, 'body');
  if (!body) return false;
  const stmts = namedChildren(body).filter((s) => s.type !== 'comment');
  for (const [k, s] of stmts.entries()) {
    if (s.type === 'return_statement') return k === stmts.length - 1;
    if (s.type !== 'expression_statement') return false;
    const e = namedChildren(s)[0];
    if (!e) return false;
    if (e.type === 'string' && k === 0) continue;
    if (e.type === 'assignment') {
      if (e.children.some((c) => c.type === ':')) return false;
      continue;
    }
    if (e.type === 'call' && ctxName) {
      const c = m.call(e);
      const recv = c?.receiver ? unparen(c.receiver) : null;
      if (recv?.type === 'identifier' && m.textOf(recv) === ctxName && /^(?:save_for_backward|mark_non_differentiable|mark_dirty|set_materialize_grads)$/.test(c?.method ?? '')) continue;
    }
    return false;
  }
  return false;
}

/**
 * For elementwise straight-line Functions: each returned gradient against `∂forward/∂input` by central differences,
 * with an incoming gradient of 1. The first input whose gradient differs at every point.
 */
function checkNumeric(ctx: RuleContext, fn: TorchCustomFunction): boolean {
  const m = ctx.model;
  const { forward, backward } = fn;
  if (fn.setupContext || !fn.inputs || fn.inputs.length === 0 || fn.required !== fn.inputs.length || fn.gradParams.length !== 1 || !fn.ctxParam) return false;
  if (forward.returns.length !== 1 || backward.returns.length !== 1) return false;
  const fPrefix: Val[] = forward.decorators.includes('classmethod') ? [null, null] : [null];
  const bPrefix: Val[] = backward.decorators.includes('classmethod') ? [null, null] : [null];
  const fctx = forward.params[fPrefix.length - 1]?.name ?? null;
  const bctx = fn.ctxParam.name;
  if (!fctx || !straightLine(m, forward, fctx) || !straightLine(m, backward, bctx)) return false;
  const items = returnedGradients(m, backward, fn.gradParams, backward.returns[0]);
  if (!items || items.length < fn.inputs.length) return false;
  const fbody = field(forward.node, 'body');
  const saves: PyNode[] = [];
  const attrs = new Map<string, PyNode>();
  for (const s of namedChildren(fbody ?? forward.node)) {
    const e = s.type === 'expression_statement' ? namedChildren(s)[0] : null;
    if (!e) continue;
    if (e.type === 'call' && m.call(e)?.method === 'save_for_backward') saves.push(...(m.call(e)?.positional ?? []));
    if (e.type === 'assignment') {
      const left = field(e, 'left');
      const obj = left?.type === 'attribute' ? field(left, 'object') : null;
      const attr = left?.type === 'attribute' ? field(left, 'attribute') : null;
      const right = field(e, 'right');
      if (obj && attr && right && m.textOf(obj) === fctx) {
        const key = m.textOf(attr);
        if (attrs.has(key)) return false;
        attrs.set(key, right);
      }
    }
  }
  const evalForward = (p: Val[]): Val | undefined => evaluateExpression(m, forward, [...fPrefix, ...p], forward.returns[0]);
  const hooksAt = (p: Val[]): Hooks<number> => ({
    attribute: (n) => {
      const obj = field(n, 'object');
      const attr = field(n, 'attribute');
      if (!obj || !attr || unparen(obj).type !== 'identifier' || m.textOf(obj) !== bctx) return undefined;
      const key = m.textOf(attr);
      if (key === 'saved_tensors' || key === 'saved_variables') {
        const vals = saves.map((s) => evaluateExpression(m, forward, [...fPrefix, ...p], s));
        return vals.some((v) => v === undefined) ? undefined : (vals as Val[]);
      }
      const store = attrs.get(key);
      return store ? evaluateExpression(m, forward, [...fPrefix, ...p], store) : undefined;
    },
  });
  const structure: Val[] = fn.inputs.map(() => 0);
  const points = pointsFor(structure);
  const outs: number[][] = [];
  for (const p of points) {
    const v = evalForward(p);
    if (v === undefined || typeof v !== 'number' || !Number.isFinite(v)) return false;
    outs.push([v]);
  }
  if (isIdentity(outs, points)) return false;
  // An input the forward does not read but hands to backward shapes the gradient on purpose (a running average in place
  // of the input, a temperature): the backward is a chosen surrogate, not the forward's derivative.
  for (let j = 0; j < fn.inputs.length; j++) {
    const cols = points.map((p) => numericColumn(m, forward, p, j, evalForward));
    if (cols.some((c) => !c || c.length !== 1) || cols.every((c) => Math.abs(c![0]) < 1e-9)) return false;
  }
  for (let j = 0; j < fn.inputs.length; j++) {
    const item = items[j];
    if (deliberatelyZero(m, item)) continue;
    const rows: { rule: number; num: number; p: Val[] }[] = [];
    for (const p of points) {
      const num = numericColumn(m, forward, p, j, evalForward);
      const rule = evaluateExpression(m, backward, [...bPrefix, 1], item, hooksAt(p));
      if (!num || num.length !== 1 || typeof rule !== 'number' || !Number.isFinite(rule) || !Number.isFinite(num[0])) break;
      rows.push({ rule, num: num[0], p });
    }
    if (rows.length !== points.length || rows.some((r) => close(r.rule, r.num))) continue;
    const at = fn.inputs.map((q, i) => `${q.name}=${fmt(leaves(rows[0].p[i])[0])}`).join(', ');
    ctx.report({
      node: item,
      message:
        `The backward of the custom autograd Function \`${fn.name}\` returns ${fmt(rows[0].rule)} as the gradient of \`${fn.inputs[j].name}\` at ${at} ` +
        `for an incoming gradient of 1, but the derivative of its forward with respect to \`${fn.inputs[j].name}\` there is ${fmt(rows[0].num)}: ` +
        'PyTorch uses the backward in place of differentiating the forward, so every gradient through the Function is wrong (silently, ' +
        'or with a shape error where the gradient is also reduced). Return `grad_output * ∂forward/∂input` for each input ' +
        '(`torch.autograd.gradcheck` compares them).',
      related: [{ node: forward.returns[0], message: 'the forward computes this' }],
    });
    return true;
  }
  return false;
}

export const AGL075: Rule = {
  meta: {
    code: 'AGL075',
    name: 'custom-function-backward',
    summary: "A custom autograd.Function's backward returns the wrong number of gradients, a gradient that ignores the incoming gradient, or (on elementwise code) not the forward's derivative.",
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Reads each `torch.autograd.Function` subclass of the file (its `forward` inputs, less `ctx` unless the Function has a ' +
        '`setup_context`; its `backward`\'s incoming gradients, the parameters after `ctx`; and what each `return` of `backward` ' +
        'visibly gives: a tuple literal, one tensor expression such as `grad_output * mask`, or a name bound once to one) and ' +
        'reports: a `backward` that returns fewer gradients than the forward has inputs without a default, or more than it has ' +
        'inputs with an extra one that is not `None`; a returned gradient that is not computed from the incoming gradient at all ' +
        '(`return mask * w` instead of `mask * grad_output`; `None` and zeros are deliberate and not reported); and, where the ' +
        'forward and backward are straight-line elementwise code (arithmetic, `torch.exp`, `x.sigmoid()`... on the inputs and ' +
        'what `ctx` saves), a gradient that differs from the forward\'s derivative, compared with central differences at three ' +
        'points for an incoming gradient of 1.',
      whyIsThisBad:
        'PyTorch calls `backward` with the gradient of the loss with respect to the Function\'s output and uses what it returns ' +
        'as the gradients of the inputs, in place of differentiating `forward`. A wrong count raises "function XBackward returned ' +
        'an incorrect number of gradients (expected 2, got 1)" at `loss.backward()`. A gradient that never reads the incoming ' +
        'gradient breaks the chain rule: the inputs are trained on a quantity that does not depend on the loss (vinsis/ternary-' +
        'quantization#1: "the original gradient not used"; the fixed version trains "much more stable"). A gradient that is not ' +
        'the derivative of the forward makes every gradient through the Function silently wrong, or fails when it also has the ' +
        'wrong shape ("returned an invalid gradient at index 1 - got [] but expected shape compatible with [3]").',
      example:
        '```python\nclass Mul(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x, y):\n' +
        '        ctx.save_for_backward(x, y)\n        return x * y\n\n    @staticmethod\n    def backward(ctx, grad_output):\n' +
        '        x, y = ctx.saved_tensors\n        return grad_output  # one gradient for two inputs, and not d(x*y)/dx\n```',
      useInstead: '```python\n    @staticmethod\n    def backward(ctx, grad_output):\n        x, y = ctx.saved_tensors\n        return grad_output * y, grad_output * x\n```',
      knownProblems:
        'Only what `backward` visibly returns is counted: a tuple built by code, a name bound to a call of another function or ' +
        '`*args` in `forward` leave the count unchecked, and the count is against the forward\'s signature, not the calls of ' +
        '`apply` (an input with a default that a call leaves out is not required). The incoming-gradient check follows names ' +
        'through the statements of `backward` (a statement that reads the gradient makes every name in it derived) but not ' +
        'through `ctx` or globals: a gradient stored by a hook and returned is reported. The numeric check evaluates only ' +
        'elementwise straight-line code with one output; a branch, a reduction, `abs`, `clamp`, `round` or a call it does not ' +
        'know leaves the Function unchecked, and a forward that returns an input unchanged (gradient reversal, a straight-' +
        'through estimator) is not compared. Surrogate gradients written with evaluable functions (a `tanh` forward with a ' +
        'different backward) would be reported: suppress them with `# noqa: AGL075`.',
      fixSafety: 'No automatic fix: the right gradient has to be written by hand.',
      references: [
        '[PyTorch: Extending torch.autograd](https://pytorch.org/docs/stable/notes/extending.html)',
        '[torch.autograd.Function.backward](https://pytorch.org/docs/stable/generated/torch.autograd.Function.backward.html)',
        '[torch.autograd.gradcheck](https://pytorch.org/docs/stable/generated/torch.autograd.gradcheck.gradcheck.html)',
        '[vinsis/ternary-quantization#1: the hand-written gradient ignores the incoming gradient](https://github.com/vinsis/ternary-quantization/issues/1)',
      ],
    },
  },

  check(ctx: RuleContext) {
    for (const fn of torchCustomFunctions(ctx.model)) {
      if (checkCount(ctx, fn)) continue;
      if (checkIgnoresIncoming(ctx, fn)) continue;
      checkNumeric(ctx, fn);
    }
  },
};
