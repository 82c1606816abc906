/**
 * AGL085 optimizer-step-out-of-order: the calls of a PyTorch training step are each valid but their order is wrong,
 * so the step does not use the gradients it was written for. Two orders are asked about, in the statements of one
 * block (a loop body, a function body):
 * - `optimizer.step()` after `zero_grad()` with no backward pass between them: the step sees zeroed (or None)
 *   gradients and changes nothing (or only applies weight decay / momentum left from before);
 * - gradient clipping (`clip_grad_norm_`, `clip_grad_value_`) after the `step()` that used the gradients of the
 *   block's backward, with no step after it: the update used the unclipped gradients, and the clipped ones are
 *   cleared or overwritten by the next backward.
 * The questions are about the order of optimizer events (zero_grad, backward, step, clip) in a block; a call that may
 * run a backward pass out of sight (a helper of the file that does, an unknown method) keeps the rule silent.
 */
import { optimizerConstructor } from '../knowledge/torch';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { isLossCall } from '../torch';
import { field, unparen, walk, type PyNode } from '../tree';

const CLIP_FUNCTIONS = /^torch\.nn\.utils\.(?:clip_grad\.)?clip_grad_(?:norm|value)_?$/;
const CLIP_METHODS = new Set(['clip_grad_norm_', 'clip_grad_value_']);
/** In-place clips of a `.grad` (a rescaling after the step may be meant: a running average of gradients). */
const GRAD_INPLACE = new Set(['clamp_', 'clip_']);
/** Methods that cannot run a backward pass (tensor/module bookkeeping) and may sit between zero_grad and step. */
const INERT_METHODS = new Set([
  'to', 'cuda', 'cpu', 'item', 'detach', 'float', 'double', 'half', 'long', 'int', 'view', 'reshape', 'size', 'numel',
  'append', 'train', 'eval', 'mean', 'sum', 'numpy', 'tolist', 'format', 'squeeze', 'unsqueeze', 'permute', 'transpose',
  'contiguous', 'clone', 'flatten', 'argmax', 'max', 'min', 'softmax', 'log_softmax', 'type', 'get', 'keys', 'values',
  'items', 'copy', 'join', 'info', 'debug', 'print', 'write', 'set_description', 'set_postfix', 'requires_grad_',
  'parameters', 'named_parameters', 'modules', 'named_modules', 'children', 'state_dict',
]);
/** Unresolved functions whose name says they may differentiate or train. */
const MAY_TRAIN_NAME = /backward|backprop|grad|step|update|train|optimi[sz]|closure|fit|minimi[sz]e/i;

function isBackwardCall(c: CallInfo): boolean {
  return c.method === 'backward' || c.method === 'manual_backward' || (c.qname !== null && /^torch\.autograd\.(?:backward|grad)$/.test(c.qname));
}

function fnNodeOf(m: SemanticModel, n: PyNode): PyNode | null {
  return m.enclosingFunction(n)?.node ?? null;
}

/** The child of `block` that contains `n`, or null. */
function statementIn(block: PyNode, n: PyNode): PyNode | null {
  let cur: PyNode | null = n;
  while (cur && cur.parent !== block) cur = cur.parent;
  return cur;
}

/** `x.step()` with no argument (a closure runs its own backward), written as a statement of its own. */
function isPlainStep(c: CallInfo): boolean {
  return c.method === 'step' && c.receiver !== null && c.positional.length === 0 && c.keywords.size === 0 && !c.hasStarArgs && !c.hasKwargs;
}

/** Whether the receiver of `step()` is an optimizer: a `torch.optim` construction reaches it, or the function zeroes it too. */
function isOptimizer(ctx: RuleContext, step: CallInfo, fn: PyNode | null): boolean {
  const m = ctx.model;
  const r = unparen(step.receiver!);
  const text = ctx.text(r);
  if (ctx.analysis.events.steps.some((s) => s.node === step.node)) return true;
  if (r.type === 'identifier' && m.isUse(r)) {
    for (const b of m.reachingBindings(r)) {
      const v = b.value ? unparen(b.value) : null;
      const q = v && v.type === 'call' ? m.qualifiedName(field(v, 'function') ?? v) : null;
      if (optimizerConstructor(q) === 'torch') return true;
    }
  }
  return m.calls.some((k) => k.method === 'zero_grad' && k.receiver && ctx.text(k.receiver) === text && fnNodeOf(m, k.node) === fn);
}

function isScheduler(m: SemanticModel, receiver: PyNode): boolean {
  const r = unparen(receiver);
  if (r.type !== 'identifier' || !m.isUse(r)) return false;
  const bs = m.reachingBindings(r);
  return bs.length > 0 && bs.every((b) => {
    const v = b.value ? unparen(b.value) : null;
    const q = v && v.type === 'call' ? m.qualifiedName(field(v, 'function') ?? v) : null;
    return q !== null && q.startsWith('torch.optim.lr_scheduler.');
  });
}

/** Whether a function of the file may run a backward pass (itself or through the file's functions it calls). */
function localMayBackward(m: SemanticModel, f: FunctionInfo, seen: Set<FunctionInfo>): boolean {
  if (seen.has(f)) return false;
  seen.add(f);
  for (const c of m.calls) {
    if (c.node.start < f.node.start || c.node.end > f.node.end) continue;
    if (isBackwardCall(c) || c.method === 'step') return true;
    if (c.local && c.local !== f && localMayBackward(m, c.local, seen)) return true;
  }
  let grad = false;
  walk(f.node, (n) => {
    if (n.type === 'attribute' && m.textOf(field(n, 'attribute') ?? n) === 'grad') grad = true;
    return !grad;
  });
  return grad;
}

const callableCache = new WeakMap<SemanticModel, boolean>();
function callableMayBackward(m: SemanticModel): boolean {
  let r = callableCache.get(m);
  if (r === undefined) {
    r = m.functions.some((f) => f.isMethod && (f.name === '__call__' || f.name === 'forward') && localMayBackward(m, f, new Set()));
    callableCache.set(m, r);
  }
  return r;
}

/** Whether the file stores `self.<attr> = SomeClass(...)` (and defines no method of that name): an object called, not a method. */
function storedObject(m: SemanticModel, attr: string): boolean {
  if (m.functions.some((f) => f.isMethod && f.name === attr)) return false;
  const stores = m.mutations.filter((mu) => mu.kind === 'attribute' && mu.name === 'self' && mu.attr === attr);
  return stores.length > 0 && stores.every((mu) => {
    const v = unparen(mu.value);
    return v.type === 'call' && mu.stmt.type !== 'augmented_assignment';
  });
}

/** Whether a call between zero_grad and step may fill the gradients out of sight. */
function mayFillGradients(ctx: RuleContext, c: CallInfo): boolean {
  const m = ctx.model;
  if (isBackwardCall(c)) return true;
  if (c.qname && c.qname.startsWith('torch.autograd.')) return true;
  if (c.local) return localMayBackward(m, c.local, new Set());
  // A class of the file whose instances run a backward when called (the Annotated Transformer's `SimpleLossCompute`):
  // any call of an object may be one of them.
  if (callableMayBackward(m) && !(c.qname && /^(?:torch|numpy|math|tensorflow|jax)\./.test(c.qname))) return true;
  if (isLossCall(m, c)) return false;
  const fnNode = field(c.node, 'function');
  const callee = fnNode ? unparen(fnNode) : null;
  const name = callee ? (callee.type === 'attribute' ? m.textOf(field(callee, 'attribute') ?? callee) : m.textOf(callee)) : '';
  if (MAY_TRAIN_NAME.test(name)) return true;
  if (c.method !== null) {
    if (INERT_METHODS.has(c.method)) return false;
    // `self.model(x)`, `self.criterion(out, y)`: an object the class stores from a constructor call, called (its forward).
    const recv = c.receiver ? unparen(c.receiver) : null;
    if (recv && recv.type === 'identifier' && m.textOf(recv) === 'self' && storedObject(m, c.method)) return false;
    const q = c.qname ?? (callee ? m.qualifiedName(callee) : null);
    if (q && /^(?:torch|numpy|math|tensorflow|jax)\./.test(q)) return false;
    return true;
  }
  return false;
}

/** Whether `[from, to)` of the function's text holds a `.grad` read or store. */
function touchesGrad(ctx: RuleContext, block: PyNode, from: number, to: number): boolean {
  let found = false;
  walk(block, (n) => {
    if (found || n.end <= from || n.start >= to) return false;
    if (n.type === 'attribute' && n.start >= from && n.end <= to && ctx.text(field(n, 'attribute') ?? n) === 'grad') found = true;
    return !found;
  });
  return found;
}

function checkStepWithoutBackward(ctx: RuleContext, steps: CallInfo[]): void {
  const m = ctx.model;
  for (const s of steps) {
    const stS = m.statementOf(s.node);
    const block = stS.parent;
    if (!block || stS.type !== 'expression_statement' || unparen(stS.children[0] ?? stS) !== s.node) continue;
    const fn = fnNodeOf(m, s.node);
    // The last zero_grad() before the step, a statement of the same block.
    let zero: CallInfo | null = null;
    for (const z of m.calls) {
      if (z.method !== 'zero_grad' || !z.receiver || z.node.start >= s.node.start || fnNodeOf(m, z.node) !== fn) continue;
      const stZ = m.statementOf(z.node);
      if (stZ.parent !== block || stZ.type !== 'expression_statement') continue;
      if (!zero || z.node.start > zero.node.start) zero = z;
    }
    if (!zero) continue;
    const from = zero.node.end;
    const to = s.node.start;
    const between = m.calls.filter((c) => c.node.start >= from && c.node.end <= to);
    if (between.some((c) => mayFillGradients(ctx, c))) continue;
    if (touchesGrad(ctx, block, from, to)) continue;
    // A forward pass or a loss between them: this is a training step whose backward is missing.
    const loss = between.find((c) => isLossCall(m, c));
    if (!loss) continue;
    const opt = ctx.text(s.receiver!);
    ctx.report({
      node: s.node,
      message:
        `\`${opt}.step()\` runs with no backward pass since \`${ctx.text(zero.node)}\` (line ${ctx.lineOf(zero.node)}): the ` +
        `gradients it applies are zero (or None), so the weights do not move for \`${ctx.text(loss.node)}\`. Call ` +
        '`.backward()` on the loss before the step.',
      related: [
        { node: zero.node, message: 'the gradients are cleared here' },
        { node: loss.node, message: 'the loss computed here is never differentiated before the step' },
      ],
    });
  }
}

function checkClipAfterStep(ctx: RuleContext, steps: CallInfo[]): void {
  const m = ctx.model;
  for (const c of m.calls) {
    // `p.grad.data.clamp_(-1, 1)` over the parameters (DQN's gradient clipping) clips in place too.
    const gradInPlace = c.method !== null && GRAD_INPLACE.has(c.method) && c.receiver !== null && /\.grad(?:\.data)?$/.test(ctx.text(c.receiver));
    const isClip = (c.qname !== null && CLIP_FUNCTIONS.test(c.qname)) || (c.method !== null && CLIP_METHODS.has(c.method)) || gradInPlace;
    if (!isClip) continue;
    // A clip with an infinite bound only measures the norm.
    const bound = c.positional[1] ?? c.keywords.get('max_norm') ?? c.keywords.get('clip_value');
    if (c.method !== null && c.qname === null) {
      const b2 = c.positional[1] ?? c.keywords.get('max_norm');
      if (b2 && /inf/.test(ctx.text(b2))) continue;
    }
    if (bound && /inf/.test(ctx.text(bound))) continue;
    const fn = fnNodeOf(m, c.node);
    // The last optimizer step before the clip whose block holds the clip.
    let step: CallInfo | null = null;
    for (const s of steps) {
      if (s.node.start >= c.node.start || fnNodeOf(m, s.node) !== fn) continue;
      const stS = m.statementOf(s.node);
      const block = stS.parent;
      if (!block) continue;
      const stC = statementIn(block, c.node);
      if (!stC || stC.start <= stS.end) continue;
      if (!step || s.node.start > step.node.start) step = s;
    }
    if (!step) continue;
    const stS = m.statementOf(step.node);
    const block = stS.parent!;
    const inFn = (k: CallInfo): boolean => fnNodeOf(m, k.node) === fn;
    // Between the step and the clip: no new gradients (backward, zero_grad, a helper that may train).
    const between = m.calls.filter((k) => k.node.start >= step!.node.end && k.node.end <= c.node.start && inFn(k));
    if (between.some((k) => k.method === 'zero_grad' || mayFillGradients(ctx, k))) continue;
    // The stepped gradients come from a backward of the block, before the step.
    const backward = m.calls.find((k) => isBackwardCall(k) && inFn(k) && k.node.start >= block.start && k.node.end <= stS.start && statementIn(block, k.node) !== null);
    if (!backward) continue;
    // No step after the clip in the block (a scheduler's step does not read gradients).
    const later = m.calls.some((k) => k.method === 'step' && inFn(k) && k.node.start >= c.node.end && k.node.end <= block.end && !(k.receiver && isScheduler(m, k.receiver)));
    if (later) continue;
    const opt = ctx.text(step.receiver!);
    ctx.report({
      node: c.node,
      message:
        `The gradients are clipped after \`${opt}.step()\` (line ${ctx.lineOf(step.node)}) already applied them: the update used ` +
        `the unclipped gradients of the backward on line ${ctx.lineOf(backward.node)}, and nothing steps with the clipped ones ` +
        'before they are cleared or overwritten. Clip between the backward and the step.',
      related: [
        { node: step.node, message: 'the step applies the unclipped gradients' },
        { node: backward.node, message: 'the gradients come from this backward' },
      ],
    });
  }
}

export const AGL085: Rule = {
  meta: {
    code: 'AGL085',
    name: 'optimizer-step-out-of-order',
    summary: 'The training step\'s calls are in the wrong order: `step()` with no backward since `zero_grad()`, or gradients clipped after the step.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Looks at the order of the optimizer events in one block (a loop body or a function body): `zero_grad()`, the ' +
        'backward pass, `optimizer.step()` and gradient clipping (`torch.nn.utils.clip_grad_norm_` / `clip_grad_value_`, ' +
        'or the `clip_grad_norm_` method of Accelerate/FSDP, or `p.grad.data.clamp_(...)` / `clip_` of a gradient). It reports `optimizer.step()` reached from `zero_grad()` with ' +
        'a loss computed between them but no backward pass, and a gradient clipping placed after the `step()` that used ' +
        'the block\'s backward, with no step after it.',
      whyIsThisBad:
        'Each call is valid, so nothing fails. `optimizer.step()` after `zero_grad()` without `loss.backward()` applies ' +
        'zero (or no) gradients: the weights do not move (or move only by weight decay and momentum left from an ' +
        'earlier step), and the loss never decreases. Clipping after the step clips gradients that were already ' +
        'applied unclipped; the next iteration\'s `zero_grad()` or backward discards the clipped values, so the clipping ' +
        '(and any guarantee that rests on it, such as the sensitivity bound of differentially private training) does ' +
        'nothing.',
      example:
        '```python\nfor x, y in loader:\n    optimizer.zero_grad()\n    loss = criterion(model(x), y)\n    loss.backward()\n' +
        '    optimizer.step()\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n```',
      useInstead:
        '```python\nfor x, y in loader:\n    optimizer.zero_grad()\n    loss = criterion(model(x), y)\n    loss.backward()\n' +
        '    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n    optimizer.step()\n```',
      knownProblems:
        'Only the statements of one block are ordered (a step in one function and the clip in another are not compared). ' +
        'A call between `zero_grad()` and `step()` that may run a backward pass out of sight — a function of the file that ' +
        'does, a method that is not plain tensor bookkeeping, a function named for training (`train_step`, `backprop`) — ' +
        'or any `.grad` access keeps the rule silent, as does `step(closure)`; so does any object call when a class of the ' +
        'file runs a backward in its `__call__` or `forward` (a loss object that trains). Objects the class stores from a ' +
        'constructor (`self.model(x)`) are taken to be forward passes. A clip with an infinite bound (used to ' +
        'measure the norm) is not reported.',
      fixSafety: 'No fix is offered: where the missing backward or the clip belongs depends on the code around it.',
      references: [
        '[torch.optim: how to use an optimizer](https://pytorch.org/docs/stable/optim.html#how-to-use-an-optimizer)',
        '[torch.nn.utils.clip_grad_norm_](https://pytorch.org/docs/stable/generated/torch.nn.utils.clip_grad_norm_.html)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    const candidates = m.calls.filter(isPlainStep);
    if (candidates.length === 0) return;
    const steps = candidates.filter((s) => isOptimizer(ctx, s, fnNodeOf(m, s.node)));
    if (steps.length === 0) return;
    checkStepWithoutBackward(ctx, steps);
    checkClipAfterStep(ctx, steps);
  },
};
