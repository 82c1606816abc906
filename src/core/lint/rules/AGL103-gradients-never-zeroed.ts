/**
 * AGL103 gradients-never-zeroed: a training loop that backpropagates and steps the optimizer on every pass but never
 * clears the gradients. `backward()` adds into `.grad`, so from the second pass on every step applies the sum of all
 * earlier batches' gradients, not the current one (silero-vad's tuning loop before PR #699; the commonest form of
 * accumulating gradients in beginners' loops).
 *
 * The question is about the loop's events: in one loop of one function, a `backward()` and an optimizer's `step()` run
 * on every pass (neither under a condition the other is not under), and nothing in the loop clears a gradient
 * (`zero_grad()` of anything, `p.grad = None`, `p.grad.zero_()`, a helper of the file that does, a called function
 * whose name says it clears gradients). Intended accumulation steps under a condition (`if (i + 1) % k == 0:`), and
 * loops that hand the step a closure, a fresh optimizer each pass, or an optimizer of the loop's own variable are left
 * alone.
 */
import { isOptimizerName, optimizerConstructor } from '../knowledge/torch';
import type { Rule } from '../rule';
import type { CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { field, unparen, walk, type PyNode } from '../tree';

/** A name that says the callee clears gradients (`zero_grad`, `zero_grads`, `clear_grad`, `cleargrads`, `reset_grad`). */
const CLEARS_NAME = /zero_?grad|clear_?grad|reset_?grad|zerograd|^zero$/i;

function isBackward(c: CallInfo): boolean {
  return (c.method === 'backward' && c.receiver !== null) || c.qname === 'torch.autograd.backward';
}

/** The last name of an expression (`optimizer` of `self.optimizer`), or null for subscripts and calls. */
function lastName(m: SemanticModel, n: PyNode): string | null {
  const u = unparen(n);
  if (u.type === 'identifier') return m.textOf(u);
  if (u.type === 'attribute') return m.textOf(field(u, 'attribute') ?? u);
  return null;
}

/**
 * Whether `step`'s receiver is an optimizer whose `step()` leaves the gradients in place: a `torch.optim` construction
 * reaches it, or nothing visible makes it and its name says it is an optimizer (a fragment's `optimizer`, a function's
 * parameter `opt`). A class of the file, a scheduler, an environment or another library's object is not asked about.
 */
function isTorchOptimizer(m: SemanticModel, recv: PyNode): boolean {
  const values = m.valuesBoundTo(recv, true);
  const made = values.filter((v): v is PyNode => v !== null && v.type === 'call');
  if (made.length > 0) {
    return made.every((v) => {
      const callee = field(v, 'function') ?? v;
      const q = m.qualifiedName(callee) ?? (m.localClassOf(callee) ? m.textOf(callee) : null);
      const kind = optimizerConstructor(q);
      if (kind === 'torch') return true;
      // Another library's subclass of `torch.optim.Optimizer` (`AnalogSGD`, `FusedAdam`, `Lamb`, transformers' `AdamW`):
      // named as one, and its `step()` leaves the gradients as PyTorch's does. A class of the file is asked whether its
      // `step` clears them.
      if (kind === null) return false;
      const cls = m.localClassOf(field(v, 'function') ?? v);
      if (!cls) return true;
      const step = m.localMethod(cls, 'step');
      return step !== null && !clearsIn(m, step.node.start, step.node.end, new Set());
    });
  }
  // Bound to something other than a construction (a parameter, `opt = opts[0]`, a with-target), or not bound at all
  // (a fragment): the name decides.
  const name = lastName(m, recv);
  return name !== null && isOptimizerName(name);
}

/** `scaler.step(optimizer)` of a `GradScaler` (made in view, or named as one when not): the optimizer it steps. */
function scalerStep(m: SemanticModel, c: CallInfo): PyNode | null {
  if (c.method !== 'step' || !c.receiver || c.positional.length !== 1 || c.keywords.size > 0 || c.hasStarArgs || c.hasKwargs) return null;
  const made = m.valuesBoundTo(c.receiver, true).filter((v): v is PyNode => v !== null && v.type === 'call');
  const isScaler = made.length > 0
    ? made.every((v) => /(?:^|\.)GradScaler$/.test(m.qualifiedName(field(v, 'function') ?? v) ?? ''))
    : /scaler$/i.test(lastName(m, c.receiver) ?? '');
  return isScaler ? c.positional[0] : null;
}

/** The `if`/`elif`/`else`/`try`-handler ancestors of `n` strictly inside `loop`'s body (the conditions it runs under). */
function conditionsIn(n: PyNode, loop: PyNode): PyNode[] {
  const out: PyNode[] = [];
  for (let p = n.parent; p && p !== loop; p = p.parent) {
    if (p.type === 'if_statement' || p.type === 'elif_clause' || p.type === 'else_clause' || p.type === 'except_clause' || p.type === 'conditional_expression' || p.type === 'boolean_operator') out.push(p);
  }
  return out;
}

function sameSet(a: PyNode[], b: PyNode[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** `optimizer.step(closure)` with a function of the file or a lambda (not a parameter handed on: `super().step(closure)`). */
function passesClosure(m: SemanticModel, c: CallInfo): boolean {
  const a = c.positional[0] ?? c.keywords.get('closure');
  if (!a) return false;
  const u = unparen(a);
  if (u.type === 'lambda') return true;
  return u.type === 'identifier' && m.isUse(u) && m.reachingBindings(u).some((b) => b.kind === 'def');
}

/** Whether the code in `[start, end)` clears a gradient, itself or through the file's functions it calls. */
function clearsIn(m: SemanticModel, start: number, end: number, seen: Set<FunctionInfo>): boolean {
  for (const mu of m.mutations) {
    if (mu.kind === 'attribute' && mu.attr === 'grad' && mu.stmt.start >= start && mu.stmt.end <= end) return true;
  }
  for (const c of m.calls) {
    if (c.node.start < start || c.node.end > end) continue;
    const fn = field(c.node, 'function');
    const callee = fn ? unparen(fn) : null;
    const name = callee ? lastName(m, callee) : null;
    if (name && CLEARS_NAME.test(name)) return true;
    // `p.grad.zero_()`, `p.grad.data.fill_(0)`, `p.grad.detach_()`, `p.grad.mul_(0)`.
    if (c.receiver && c.method && /^(?:zero_|fill_|mul_|detach_|requires_grad_)$/.test(c.method) && /\.grad(?:\.data)?$/.test(m.textOf(unparen(c.receiver)).replace(/\s+/g, ''))) return true;
    // `optimizer.step(closure)`: the closure usually zeroes (and runs its own backward).
    if (c.method === 'step' && passesClosure(m, c)) return true;
    if (c.local && !seen.has(c.local)) {
      seen.add(c.local);
      if (clearsIn(m, c.local.node.start, c.local.node.end, seen)) return true;
    }
  }
  // `del p.grad`
  let deleted = false;
  walk(m.tree.root, (n) => {
    if (deleted || n.end < start || n.start > end) return false;
    if (n.type === 'delete_statement' && /\.grad\b/.test(m.textOf(n))) deleted = true;
    return !deleted;
  });
  return deleted;
}

/** Whether the optimizer is made inside the loop (a fresh one per pass: a new model per trial) or is the loop's own variable. */
function optimizerOfPass(m: SemanticModel, recv: PyNode, loop: PyNode): boolean {
  const r = unparen(recv);
  const root = r.type === 'attribute' ? unparen(field(r, 'object') ?? r) : r;
  if (root.type !== 'identifier' || !m.isUse(root)) return false;
  return m.reachingBindings(root).some((b) => b.stmt.start >= loop.start && b.stmt.end <= loop.end);
}

/** The file imports a framework whose `backward()` does not accumulate by default (MXNet's `grad_req='write'`). */
function otherFramework(m: SemanticModel): boolean {
  return m.bindings.some((b) => b.kind === 'import' && b.qname !== null && /^(?:mxnet|chainer|paddle|oneflow|mindspore|warp)\b/.test(b.qname));
}

export const AGL103: Rule = {
  meta: {
    code: 'AGL103',
    name: 'gradients-never-zeroed',
    summary: 'A training loop calls `backward()` and `optimizer.step()` on every pass but never zeroes the gradients: each step applies the sum of all earlier gradients.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds a loop (of a function, a method or a script) that runs `backward()` and an optimizer\'s `step()` on every ' +
        'pass (AMP\'s `scaler.step(optimizer)` counts as the optimizer\'s step), neither under a condition the other is not under, while nothing in the loop clears the gradients: no ' +
        '`zero_grad()` (of the optimizer, the model or anything else), no `p.grad = None` or `del p.grad`, no ' +
        '`p.grad.zero_()`, no helper of the file that does one of these, no call of a function named for it ' +
        '(`zero_grads(model)`). Zeroing once before the loop does not count: it clears the first pass only.',
      whyIsThisBad:
        '`backward()` adds the new gradient into each parameter\'s `.grad`; it never overwrites it. Without zeroing, the ' +
        'gradient the optimizer applies at pass k is the sum of the gradients of passes 1..k, so the steps grow, point ' +
        'in the direction of old batches, and training becomes unstable or diverges. The loss often still falls for a ' +
        'while, which hides the mistake.',
      example: [
        '```python',
        'for x, y in loader:',
        '    loss = criterion(model(x), y)',
        '    loss.backward()',
        '    optimizer.step()',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'for x, y in loader:',
        '    optimizer.zero_grad()',
        '    loss = criterion(model(x), y)',
        '    loss.backward()',
        '    optimizer.step()',
        '```',
      ].join('\n'),
      knownProblems:
        'Gradient accumulation on purpose steps under a condition (`if (i + 1) % k == 0:`) and is not reported; a loop ' +
        'that really wants the running sum with a step on every pass is reported (suppress with `# noqa: AGL103`). The ' +
        'optimizer is recognised by a `torch.optim` construction in view, by a construction of a class named as an ' +
        'optimizer (another library\'s `AnalogSGD`, `FusedAdam`, `Lamb`; a class of the file only when its `step` does not ' +
        'clear the gradients), or, when no construction is in view (a fragment, a function\'s parameter), by its name ' +
        '(`optimizer`, `opt`, `self.optim`, `g_optimizer`); other objects, a step with an argument (a closure, MXNet\'s `trainer.step(batch_size)`), a ' +
        'fresh optimizer made in the loop and the loop\'s own variable (`for opt in optimizers:`) are not asked about, ' +
        'and a file importing MXNet, Chainer, Paddle or Warp is skipped. Zeroing done out of sight (a library callback, a hook ' +
        'registered elsewhere, a method of another file called in the loop without a name that says so) is not seen: ' +
        'the loop is then reported.',
      fixSafety:
        'The fix inserts `<optimizer>.zero_grad()` before the statement that calls `backward()`; it is offered as unsafe ' +
        'because a loop may compute gradients it means to keep before that point (several losses backpropagated one ' +
        'after another in the same pass), which the inserted call would clear.',
    },
  },

  check(ctx) {
    const m = ctx.model;
    const backwards = m.calls.filter(isBackward);
    if (backwards.length === 0) return;
    const plain = (c: CallInfo): boolean => c.positional.length === 0 && c.keywords.size === 0 && !c.hasStarArgs && !c.hasKwargs;
    // `optimizer.step()`, or AMP's `scaler.step(optimizer)` (a `GradScaler` steps the optimizer it is given).
    const steps = m.calls.filter((c) => c.method === 'step' && c.receiver !== null && (plain(c) || scalerStep(m, c) !== null));
    const optimizerOf = (c: CallInfo): PyNode => scalerStep(m, c) ?? c.receiver!;
    if (steps.length === 0 || otherFramework(m)) return;
    const cleared = new Map<number, boolean>();
    const reported = new Set<number>();
    for (const b of backwards) {
      const loop = m.loopOf(b.node);
      if (!loop || reported.has(loop.id)) continue;
      const fn = m.enclosingFunction(b.node);
      const bConds = conditionsIn(b.node, loop);
      const step = steps.find(
        (s) => s.node.start >= loop.start && s.node.end <= loop.end && m.loopOf(s.node) === loop && m.enclosingFunction(s.node) === fn && sameSet(conditionsIn(s.node, loop), bConds),
      );
      if (!step || !isTorchOptimizer(m, optimizerOf(step))) continue;
      const outer = m.outermostLoopOf(b.node) ?? loop;
      if (optimizerOfPass(m, optimizerOf(step), outer)) continue;
      let c = cleared.get(outer.id);
      if (c === undefined) {
        c = clearsIn(m, outer.start, outer.end, new Set());
        cleared.set(outer.id, c);
      }
      if (c) continue;
      reported.add(loop.id);
      const opt = m.textOf(unparen(optimizerOf(step)));
      const stmt = m.statementOf(b.node);
      ctx.report({
        node: b.node,
        message:
          `\`${ctx.text(b.node)}\` and \`${ctx.text(step.node)}\` (line ${ctx.lineOf(step.node)}) run on every pass of this loop, but nothing in ` +
          'it zeroes the gradients: backward() adds into .grad, so from the second pass on each step applies the sum of all ' +
          `earlier batches' gradients. Call \`${opt}.zero_grad()\` at the start of each pass (or before \`backward()\`).`,
        related: [{ node: step.node, message: 'the optimizer steps on the accumulated gradients here' }],
        fixes: [
          {
            title: `Insert ${opt}.zero_grad() before the backward (unsafe: clears gradients the pass may have computed before it)`,
            safe: false,
            edits: [ctx.insertAt(ctx.lineStartOf(stmt), `${ctx.indentOf(stmt)}${opt}.zero_grad()${ctx.eol}`)],
          },
        ],
      });
    }
  },
};
