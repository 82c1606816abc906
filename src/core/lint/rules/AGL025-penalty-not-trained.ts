/**
 * AGL025 penalty-not-trained: a derivative taken with `create_graph=True` — kept differentiable so that
 * a loss can be trained through it (a gradient penalty, a PDE residual, a Jacobian regulariser) — whose
 * result reaches no loss, no further derivative, no return and no stored place, in a function that
 * trains (`.backward()`). The penalty is computed and dropped: training runs as if it did not exist.
 *
 * Asked of the analysis: the values derived from each derivative (their `dGraph` holds its site), the
 * sinks, backward targets and derivative outputs, and where those values go in the syntax.
 */
import type { AV } from '../analysis';
import type { Rule, RuleContext } from '../rule';
import { field, type PyNode } from '../tree';

/** Calls that only show a value. */
const DISPLAY = /^(?:print|repr|str|format|float|int|len)$|\.(?:item|tolist|numpy|cpu|detach|size|shape|dim)$/;

function carries(v: AV | undefined, id: number): boolean {
  if (!v) return false;
  if (v.t && v.t.dGraph.includes(id)) return true;
  if (v.items) return v.items.some((x) => carries(x, id));
  if (v.elem) return carries(v.elem, id);
  return false;
}

/** Whether the expression `n`, holding a value derived from the derivative, hands it somewhere it can matter. */
function escapes(ctx: RuleContext, n: PyNode): boolean {
  for (let cur = n, p = n.parent; p; cur = p, p = p.parent) {
    switch (p.type) {
      case 'return_statement':
      case 'yield':
        return true;
      case 'assignment':
      case 'augmented_assignment': {
        const left = field(p, 'left');
        // `self.gp = ...`, `out["gp"] = ...`: stored where other code reads it.
        return !!left && left !== cur && left.type !== 'identifier' && left.type !== 'pattern_list' && left.type !== 'tuple_pattern';
      }
      case 'argument_list': {
        const call = p.parent;
        const fn = call ? field(call, 'function') : null;
        if (!fn) return true;
        // Torch operations carry the value on in their result (checked through that result); an
        // unknown function (a loss helper, `losses.append`, a logger) may use it: count it as used.
        const text = ctx.text(fn);
        if (DISPLAY.test(text)) return false;
        // A function of torch, NumPy or math (under any import name: `import torch as th`) only computes with it.
        const qname = (call && ctx.model.call(call)?.qname) ?? '';
        if (/^(?:torch|numpy|math)\./.test(qname)) return false;
        return !/^(?:torch|F|np|math)\.|^(?:abs|sum|max|min)$/.test(text);
      }
      case 'expression_statement':
      case 'block':
      case 'module':
      case 'function_definition':
        return false;
      default:
        continue;
    }
  }
  return false;
}

/** Every derivative site `carries` answers true for, at once. */
function carried(v: AV | undefined, into: Set<number>): void {
  if (!v) return;
  if (v.t) for (const id of v.t.dGraph) into.add(id);
  // As `carries`: the items of a sequence, else its element.
  if (v.items) for (const x of v.items) carried(x, into);
  else if (v.elem) carried(v.elem, into);
}

/** The functions (null: the module) that call `.step()` (an optimizer step). */
function steppers(ctx: RuleContext): Set<PyNode | null> {
  return new Set(ctx.model.calls.filter((c) => c.method === 'step').map((c) => enclosingFunction(c.node)));
}

function enclosingFunction(n: PyNode): PyNode | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return null;
}

export const AGL025: Rule = {
  meta: {
    code: 'AGL025',
    name: 'penalty-not-trained',
    summary: 'A derivative kept differentiable with create_graph=True reaches no loss: the penalty is computed and dropped.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `torch.autograd.grad(..., create_graph=True)` in a function that trains (it calls `.backward()` and an ' +
        'optimizer\'s `.step()`) whose ' +
        'result, and everything computed from it, reaches no loss or `.backward()`, no further derivative, no `return`, ' +
        'no attribute or item store and no call of a function outside torch that could use it.',
      whyIsThisBad:
        '`create_graph=True` says the derivative is meant to be trained through: a gradient penalty, a physics residual, ' +
        'a Jacobian regulariser. If its value never reaches the loss that is back-propagated, the model trains exactly ' +
        'as without it (a WGAN-GP critic whose penalty was computed but never added to `loss_D` stayed bit-identical ' +
        'with and without the penalty), and nothing fails to tell you.',
      example: [
        '```python',
        'grad = autograd.grad(netD(x_p).mean(), x_p, create_graph=True)[0]',
        'grad_penalty = p_coeff * (grad.norm(2, dim=1) - 1) ** 2',
        'loss_D = torch.mean(netD(fake) - netD(real))',
        'loss_D.backward()                     # the penalty is not in the loss',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'loss_D = torch.mean(netD(fake) - netD(real)) + grad_penalty.mean()',
        'loss_D.backward()',
        '```',
      ].join('\n'),
      knownProblems:
        'A value handed to any function that is not a torch operation (a loss helper, a list, a logger) counts as used, ' +
        'and so does a value stored in an attribute or returned; code that uses it in another function is therefore ' +
        'trusted. Values shown with `print`/`.item()` only count as unused.',
      fixSafety: 'No fix: where the penalty belongs (which loss, which weight) is for the author to decide.',
      references: ['[torch.autograd.grad](https://pytorch.org/docs/stable/generated/torch.autograd.grad.html)'],
    },
  },

  check(ctx: RuleContext) {
    const a = ctx.analysis;
    if (a.incomplete) return;
    // Computed once per file, not per derivative (a notebook exported as a script has thousands).
    let training: { backwardFns: Set<PyNode | null>; stepFns: Set<PyNode | null> } | null = null;
    let reached: { trained: Set<number>; byDerivatives: Map<number, number> } | null = null;
    for (const d of a.events.derivatives) {
      if (d.spec.framework !== 'pytorch' || d.createGraph !== true) continue;
      // Only in a function that trains (a backward and an optimizer step): elsewhere the derivative may be
      // for the caller, or shown (a demo printing derivatives).
      training ??= { backwardFns: new Set(a.events.backwards.map((b) => b.fn)), stepFns: steppers(ctx) };
      if (!training.backwardFns.has(d.fn) || !training.stepFns.has(d.fn)) continue;
      const id = d.node.id;
      if (!reached) {
        // Sinks that train (a variable named like a loss is not trained by its name), backward targets.
        const trained = new Set<number>();
        for (const s of a.events.sinks) if (s.kind !== 'loss-variable' && s.kind !== 'loss-call' && s.kind !== 'loss-return') carried(s.value, trained);
        for (const b of a.events.backwards) carried(b.target, trained);
        // Derivative outputs: how many derivatives carry each site (one of them may be the derivative itself).
        const byDerivatives = new Map<number, number>();
        for (const o of a.events.derivatives) {
          const ids = new Set<number>();
          carried(o.output, ids);
          for (const x of ids) byDerivatives.set(x, (byDerivatives.get(x) ?? 0) + 1);
        }
        reached = { trained, byDerivatives };
      }
      const n = reached.byDerivatives.get(id) ?? 0;
      const used = reached.trained.has(id) || n > (carries(d.output, id) ? 1 : 0);
      if (used) continue;
      let escaped = false;
      let holder: PyNode | null = null;
      for (const [nodeId, v] of a.values) {
        if (!carries(v, id)) continue;
        const n = ctx.tree.nodes[nodeId];
        if (!n) continue;
        if (n.parent?.type === 'assignment' && field(n.parent, 'right') === n && field(n.parent, 'left')?.type === 'identifier') holder = field(n.parent, 'left');
        if (escapes(ctx, n)) {
          escaped = true;
          break;
        }
      }
      if (escaped) continue;
      const name = holder ? ctx.text(holder) : null;
      ctx.report({
        node: holder ?? d.node,
        message:
          `${name ? `\`${name}\` is computed from a derivative` : 'This derivative is'} kept differentiable (\`create_graph=True\`, line ${ctx.lineOf(d.node)}) ` +
          'to be trained through, but it reaches no loss, `.backward()` or return: the penalty is computed and dropped, and ' +
          'training runs as if it did not exist. Add it to the loss that is back-propagated.',
        related: holder ? [{ node: d.node, message: 'the derivative, with create_graph=True' }] : [],
      });
    }
  },
};
