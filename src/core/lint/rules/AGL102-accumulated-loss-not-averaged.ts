/**
 * AGL102 accumulated-loss-not-averaged: gradient accumulation whose micro-batch losses are backpropagated undivided.
 * The code declares an accumulation (a count named like one: `gradient_accumulate_every`, `accumulation_steps`,
 * `grad_accum`) and either backpropagates once per round of `for _ in range(K)` and steps the optimizer after that
 * loop, or backpropagates every batch and steps only when `(i + 1) % K == 0`. With mean-reduced losses the gradient
 * the step applies is then the sum of K mean gradients: K times the gradient of the mean over the K micro-batches, so
 * the effective learning rate depends on K (lucidrains/denoising-diffusion-pytorch 698227a, "fix small bug with
 * gradient accumulation": `(loss / self.gradient_accumulate_every).backward()`).
 *
 * Syntax and bindings, in one function: the loop (or the step's `%` test) names the count; the loss's backward is in
 * that loop; the loss, followed back through its bindings and the file's helpers, is never divided (or multiplied) by
 * something that names the count. Library backward calls that scale for the user (`accelerator.backward(loss)`,
 * DeepSpeed's `engine.backward(loss)`: a backward with the loss as argument) are not asked about.
 */
import { isSchedulerName } from '../knowledge/torch';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo } from '../semantic';
import { field, unparen, walk, type PyNode } from '../tree';

/** A name that declares a gradient-accumulation count. */
const ACCUM_NAME = /accum/i;

function isLoop(n: PyNode): boolean {
  return n.type === 'for_statement' || n.type === 'while_statement';
}

function isBoundary(n: PyNode): boolean {
  return n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition';
}

/** `for _ in range(K)` with K naming an accumulation count: K's node. */
function accumulationRange(ctx: RuleContext, loop: PyNode): PyNode | null {
  if (loop.type !== 'for_statement') return null;
  const right = field(loop, 'right');
  const c = right && unparen(right).type === 'call' ? ctx.model.call(unparen(right)) : undefined;
  if (!c || c.qname !== 'range' || c.positional.length !== 1) return null;
  const k = c.positional[0];
  return ACCUM_NAME.test(ctx.text(k)) ? k : null;
}

/** `x.step()` of an optimizer-like receiver with no argument (a closure would run its own backward). */
function isPlainStep(ctx: RuleContext, c: CallInfo): boolean {
  if (c.method !== 'step' || c.receiver === null || c.positional.length > 0 || c.keywords.size > 0) return false;
  return !isSchedulerName(ctx.text(c.receiver));
}

/** The optimizer steps of `scope` (a block, a loop), not inside nested functions. */
function stepsIn(ctx: RuleContext, scope: PyNode): PyNode[] {
  const out: PyNode[] = [];
  walk(scope, (n) => {
    if (n !== scope && isBoundary(n)) return false;
    if (n.type === 'call') {
      const c = ctx.model.call(n);
      if (c && isPlainStep(ctx, c)) out.push(n);
    }
    return true;
  });
  return out;
}

/** An `if` inside `loop` whose test is `... % K ...` with K naming an accumulation count, and that holds a step: K's node. */
function accumulationTest(ctx: RuleContext, loop: PyNode, backward: PyNode): { count: PyNode; test: PyNode } | null {
  let found: { count: PyNode; test: PyNode } | null = null;
  walk(loop, (n) => {
    if (found) return false;
    if (n !== loop && isBoundary(n)) return false;
    if (n.type !== 'if_statement') return true;
    const cond = field(n, 'condition');
    const body = field(n, 'consequence');
    if (!cond || !body || (n.start <= backward.start && backward.end <= n.end)) return true;
    let count: PyNode | null = null;
    walk(cond, (k) => {
      if (count) return false;
      if (k.type === 'binary_operator' && ctx.text(field(k, 'operator') ?? k) === '%') {
        const r = field(k, 'right');
        if (r && ACCUM_NAME.test(ctx.text(r))) count = r;
      }
      return true;
    });
    // The test's own loop (the innermost around it) must hold the backward too: an accumulation in another inner loop
    // (a second training phase) is not this backward's.
    let own: PyNode | null = n.parent;
    while (own && !isLoop(own) && !isBoundary(own)) own = own.parent;
    const sameLoop = !!own && isLoop(own) && own.start <= backward.start && backward.end <= own.end;
    if (count && sameLoop && stepsIn(ctx, body).length > 0) found = { count, test: n };
    return true;
  });
  return found;
}

/** Whether the loss, followed back through bindings and helpers, is divided or multiplied by something naming the count. */
function scaledByCount(ctx: RuleContext, loss: PyNode, count: PyNode): boolean {
  const countText = ctx.text(count);
  const names = (n: PyNode | null): boolean => !!n && (ACCUM_NAME.test(ctx.text(n)) || ctx.text(n).includes(countText));
  let scaled = false;
  ctx.model.traceBack(loss, (n) => {
    if (scaled) return false;
    if (n.type === 'binary_operator') {
      const op = ctx.text(field(n, 'operator') ?? n);
      if ((op === '/' || op === '*') && (names(field(n, 'right')) || (op === '*' && names(field(n, 'left'))))) scaled = true;
    }
    if (n.type === 'call') {
      // `torch.div(loss, K)`, `loss.div(K)`, `loss.mul(1 / K)`.
      const c = ctx.model.call(n);
      if (c && /^(?:div|divide|true_divide|mul|multiply)$/.test(c.method ?? c.qname?.split('.').pop() ?? '') && c.positional.some((a) => names(a))) scaled = true;
    }
    return !scaled;
  });
  if (scaled) return true;
  // `loss /= K` (or `loss = loss / K` written over several statements) between the loss's binding and its backward.
  const base = unparen(loss);
  if (base.type !== 'identifier') return false;
  const name = ctx.text(base);
  const fn = ctx.model.enclosingFunction(loss)?.node ?? ctx.tree.root;
  walk(fn, (n) => {
    if (scaled) return false;
    if (n !== fn && isBoundary(n)) return false;
    if (n.type === 'augmented_assignment' && n.end <= loss.start) {
      const left = field(n, 'left');
      const op = ctx.text(field(n, 'operator') ?? n);
      if (left && ctx.text(left) === name && (op === '/=' || op === '*=') && names(field(n, 'right'))) scaled = true;
    }
    return true;
  });
  return scaled;
}

export const AGL102: Rule = {
  meta: {
    code: 'AGL102',
    name: 'accumulated-loss-not-averaged',
    summary: 'Gradient accumulation backpropagates each micro-batch\'s loss undivided: the step applies K times the mean gradient.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds gradient accumulation — a count named like one (`gradient_accumulate_every`, `accumulation_steps`, ' +
        '`grad_accum`) that either bounds a loop `for _ in range(K)` whose body backpropagates a loss while the optimizer ' +
        'steps after the loop, or appears in the step\'s test `if (i + 1) % K == 0: optimizer.step()` of a loop that ' +
        'backpropagates every batch — where the loss given to `.backward()` is never divided (or multiplied) by the count: ' +
        'not where it is made, not in a helper that returns it, not by `loss /= K` before the backward.',
      whyIsThisBad:
        'Backward calls add into `.grad`. With a mean-reduced loss, K micro-batches leave the sum of K mean gradients, K ' +
        'times the gradient of the mean loss over the K micro-batches that the accumulation stands in for. With SGD the step ' +
        'is then as if the learning rate were K times larger: a learning rate tuned with one accumulation setting diverges or ' +
        'under-trains with another. Adam\'s normalisation hides most of the factor, but gradient clipping by norm (set for ' +
        'one batch\'s gradient) and the balance against weight decay and `eps` still see it. Nothing raises. ' +
        'lucidrains/denoising-diffusion-pytorch fixed exactly this (commit 698227a, "fix small bug with gradient ' +
        'accumulation": `(loss / self.gradient_accumulate_every).backward()`); the PyTorch forums and the Hugging Face ' +
        'documentation give the same division.',
      example: [
        '```python',
        'for step in range(num_steps):',
        '    for _ in range(gradient_accumulate_every):',
        '        loss = model(next(loader))',
        '        loss.backward()                 # K mean gradients summed',
        '    opt.step()',
        '    opt.zero_grad()',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'for step in range(num_steps):',
        '    for _ in range(gradient_accumulate_every):',
        '        loss = model(next(loader))',
        '        (loss / gradient_accumulate_every).backward()',
        '    opt.step()',
        '    opt.zero_grad()',
        '```',
        '',
        'or let a library scale it (`with accelerator.accumulate(model): accelerator.backward(loss)`).',
      ].join('\n'),
      knownProblems:
        'The accumulation is recognised by the count\'s name (`accum` in it): a count named otherwise (`n_micro`, ' +
        '`update_every`) is not asked about. A loss divided inside a library function or a helper of another file (so ' +
        'not in view) is taken as undivided. A loss reduced with `reduction="sum"` on purpose, with a learning rate scaled ' +
        'to match, is reported too: divide the learning rate instead, or silence the line (`# noqa: AGL102`).',
      fixSafety: 'No automatic fix: dividing the loss changes the step size of a run whose learning rate was tuned without it.',
      references: [
        '[denoising-diffusion-pytorch commit 698227a: fix small bug with gradient accumulation](https://github.com/lucidrains/denoising-diffusion-pytorch/commit/698227ae13c196b465506fdc8f84a5711459e800)',
        '[Hugging Face Accelerate: gradient accumulation (the loss divided by the number of steps)](https://huggingface.co/docs/accelerate/usage_guides/gradient_accumulation)',
        '[torch.Tensor.backward: gradients are accumulated in the leaves](https://pytorch.org/docs/stable/generated/torch.Tensor.backward.html)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    if (!/accum/i.test(ctx.text(ctx.tree.root))) return;
    for (const c of m.calls) {
      if (c.method !== 'backward' || c.receiver === null || c.positional.length > 0) continue;
      // The loops around the backward, innermost first, in its function.
      const loops: PyNode[] = [];
      for (let p: PyNode | null = c.node.parent; p && !isBoundary(p); p = p.parent) if (isLoop(p)) loops.push(p);
      if (loops.length === 0) continue;
      let count: PyNode | null = null;
      let where: PyNode | null = null;
      // `for _ in range(K): ... loss.backward()` and a step after the loop, in the loop around it or the function.
      const inner = loops[0];
      const k = accumulationRange(ctx, inner);
      if (k && stepsIn(ctx, inner).length === 0) {
        const outer = loops[1] ?? m.enclosingFunction(c.node)?.node ?? ctx.tree.root;
        if (stepsIn(ctx, outer).some((s) => s.start > inner.end)) {
          count = k;
          where = inner;
        }
      }
      // `loss.backward()` every batch and `if (i + 1) % K == 0: opt.step()` in the same loop.
      if (!count) {
        for (const loop of loops) {
          const t = accumulationTest(ctx, loop, c.node);
          // A step of the loop outside the test (every batch) is no accumulation.
          const body = t ? field(t.test, 'consequence') : null;
          if (t && body && stepsIn(ctx, loops[0]).every((s) => body.start <= s.start && s.end <= body.end)) {
            count = t.count;
            where = t.test;
            break;
          }
        }
      }
      if (!count || !where) continue;
      if (scaledByCount(ctx, c.receiver, count)) continue;
      const kText = ctx.text(count);
      ctx.report({
        node: c.node,
        message:
          `\`${ctx.text(c.receiver).replace(/\s+/g, ' ')}\` is backpropagated once per micro-batch of a gradient accumulation over \`${kText}\` ` +
          `(line ${ctx.lineOf(where)}) and the optimizer steps once for all of them, but the loss is not divided by \`${kText}\`: ` +
          `\`.grad\` holds the sum of the micro-batches' mean gradients, \`${kText}\` times the gradient of their mean: the ` +
          `SGD step is as if the learning rate were \`${kText}\` times larger (and a norm clip sees the larger gradient). ` +
          `Backpropagate \`loss / ${kText}\`.`,
        related: [{ node: where, message: 'the accumulation' }],
      });
    }
  },
};
