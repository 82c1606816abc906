/**
 * AGL076 optimizer-of-other-model: the optimizer stepped after a backward holds the parameters of another network
 * than the one the loss trains — `opt_D = Adam(G.parameters())`, or the generator's optimizer passed for the
 * discriminator's (`train(..., g_optimizer, g_optimizer)` to `def train(..., g_optimizer, d_optimizer)`). The step
 * moves a network the backward gave no gradient to (with whatever its `.grad` holds), and the network the loss trains
 * is moved by no step: it never learns. Two questions: to the analysis, whether the parameters an optimizer holds
 * (`StepEvent.params`) meet those of any loss differentiated before its step, while the loss's own parameters are moved
 * by no step after it; to the file, whether a call passes one object for two parameters its callee steps apart.
 */
import { isKind, Kind } from '../analysis';
import type { BackwardEvent, StepEvent } from '../analysis/events';
import { tensorOfValue } from '../analysis/library';
import { moduleName, wrongOptimizerStep } from '../analysis/queries';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, FunctionInfo } from '../semantic';
import { unparen, type PyNode } from '../tree';

/** The backwards of the same function and loop as the step, before it. */
function backwardsBefore(ctx: RuleContext, s: StepEvent): BackwardEvent[] {
  return ctx.analysis.events.backwards.filter((b) => b.fn === s.fn && b.loop === s.loop && b.node.start < s.node.start);
}

function checkSteps(ctx: RuleContext): void {
  const a = ctx.analysis;
  const leafSites = new Set(a.events.leaves.map((l) => l.node.id));
  const reported = new Set<number>();
  for (const s of a.events.steps) {
    if (s.params.length === 0 || s.params.some((p) => leafSites.has(p))) continue;
    const before = backwardsBefore(ctx, s);
    if (before.length === 0) continue;
    // Every loss differentiated before the step must be visible: a live tensor whose parameters are known.
    const facts = before.map((b) => (isKind(b.target, Kind.TENSOR) && !isKind(b.target, Kind.UNKNOWN) ? tensorOfValue(b.target) : null));
    if (facts.some((t) => !t || t.opaque || t.params.length === 0 || t.recOff !== null || t.inference || t.dGraph.length > 0)) continue;
    if (before.some((b) => b.hasInputs)) continue;
    if (facts.some((t) => t!.params.some((p) => s.params.includes(p)))) continue;
    // The last backward's parameters: moved by no step after it (in this function and loop, before the next backward).
    const last = before[before.length - 1];
    const lastT = facts[facts.length - 1]!;
    if (!wrongOptimizerStep(a, s.params, last, lastT) || reported.has(s.node.id)) continue;
    reported.add(s.node.id);
    const held = ctx.tree.nodes[s.params[0]];
    const owner = ctx.tree.nodes[lastT.params[0]];
    if (!held || !owner) continue;
    const opt = ctx.model.call(s.node)?.receiver;
    const optName = opt ? `\`${ctx.text(opt)}\`` : 'the optimizer';
    const lossNode = ctx.model.call(last.node)?.receiver;
    const loss = lossNode ? `\`${ctx.text(lossNode)}\`` : 'the loss';
    const heldName = moduleName(ctx.model, held);
    const ownerName = moduleName(ctx.model, owner);
    ctx.report({
      node: s.node,
      message:
        `${optName} holds the parameters of ${heldName}, but ${loss} (backward on line ${ctx.lineOf(last.node)}) does not depend on them: it ` +
        `trains ${ownerName}, whose parameters no step after that backward moves. \`${opt ? ctx.text(opt) : 'optimizer'}.step()\` updates ` +
        `${heldName} with whatever its \`.grad\` holds, and ${ownerName} never learns. Step the optimizer built over ` +
        `${ownerName}'s parameters here (or build ${optName} over them).`,
      related: [
        { node: s.optimizer, message: `${optName} is built here` },
        { node: last.node, message: `the backward of ${loss}, which reaches ${ownerName}` },
      ],
    });
  }
}

/** A parameter's uses as an optimizer in its function: `p.step()`, or `scaler.step(p)` (a `GradScaler`). */
function stepsParam(ctx: RuleContext, fn: FunctionInfo, name: string): PyNode | null {
  const m = ctx.model;
  for (const c of m.calls) {
    if (c.method !== 'step' || !c.receiver) continue;
    if (m.enclosingFunction(c.node)?.node !== fn.node) continue;
    const r = unparen(c.receiver);
    if (r.type === 'identifier' && m.textOf(r) === name && c.positional.length === 0) return c.node;
    const arg = c.positional[0] ? unparen(c.positional[0]) : null;
    if (arg && arg.type === 'identifier' && m.textOf(arg) === name && c.positional.length === 1) return c.node;
  }
  return null;
}

/** The callee's parameter an argument of the call lands in, by keyword or position. */
function paramNames(c: CallInfo, fn: FunctionInfo): Map<PyNode, string> | null {
  if (c.hasStarArgs || fn.params.some((p) => p.param?.star !== 'none')) return null;
  const names = fn.params.map((p) => p.name);
  // `self.train(...)` / `obj.train(...)`: the receiver is the first parameter of a method.
  const offset = fn.isMethod && c.receiver ? 1 : 0;
  const out = new Map<PyNode, string>();
  c.positional.forEach((arg, k) => {
    const n = names[k + offset];
    if (n) out.set(arg, n);
  });
  for (const [k, arg] of c.keywords) if (names.includes(k)) out.set(arg, k);
  return out;
}

function checkSameOptimizerTwice(ctx: RuleContext): void {
  const m = ctx.model;
  for (const c of m.calls) {
    const fn = c.local;
    if (!fn) continue;
    const params = paramNames(c, fn);
    if (!params || params.size < 2) continue;
    const byBinding = new Map<string, { arg: PyNode; param: string; step: PyNode }[]>();
    for (const [arg, param] of params) {
      const u = unparen(arg);
      if (u.type !== 'identifier' || !m.isUse(u)) continue;
      const reach = m.reachingBindings(u);
      if (reach.length === 0) continue;
      const step = stepsParam(ctx, fn, param);
      if (!step) continue;
      const key = `${m.textOf(u)}@${reach.map((b) => b.target.id).sort().join(',')}`;
      const list = byBinding.get(key) ?? [];
      list.push({ arg, param, step });
      byBinding.set(key, list);
    }
    for (const list of byBinding.values()) {
      if (list.length < 2) continue;
      const [first, second] = list.sort((x, y) => x.arg.start - y.arg.start);
      const x = ctx.text(second.arg);
      ctx.report({
        node: second.arg,
        message:
          `\`${x}\` is passed to \`${fn.name}\` both as \`${first.param}\` and as \`${second.param}\`, which it steps apart (lines ` +
          `${ctx.lineOf(first.step)} and ${ctx.lineOf(second.step)}): both steps move the same parameters, so the network \`${second.param}\` ` +
          `is meant to update never trains, and \`${x}\`'s network is stepped again with the other loss's gradients. Pass the other ` +
          'optimizer here.',
        related: [
          { node: first.arg, message: `\`${x}\` passed as \`${first.param}\`` },
          { node: second.step, message: `\`${second.param}\` is stepped here` },
        ],
      });
    }
  }
}

export const AGL076: Rule = {
  meta: {
    code: 'AGL076',
    name: 'optimizer-of-other-model',
    summary: 'The optimizer stepped after a backward holds another network\'s parameters than the loss trains (`opt_D = Adam(G.parameters())`).',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds an `optimizer.step()` whose optimizer holds parameters that none of the losses differentiated before it (in the same ' +
        'function and loop) depends on, while the parameters the last of those losses does depend on are moved by no step after ' +
        'its backward: `opt_D = torch.optim.Adam(G.parameters())` followed by the discriminator\'s `d_loss.backward(); opt_D.step()`. ' +
        'Also finds a call of a function of the file that passes the same optimizer for two of its parameters which the function ' +
        'steps apart (`train(..., g_optimizer, g_optimizer)` for `def train(..., g_optimizer, d_optimizer)`).',
      whyIsThisBad:
        'Nothing raises. The step moves a network the backward gave no gradient to, with whatever its `.grad` still holds (an ' +
        'earlier step\'s gradients, applied twice), and the network the loss was computed for keeps its weights: in ' +
        'Lornatang/ESRGAN-PyTorch#39 the generator\'s optimizer was passed for the discriminator\'s, so the discriminator never ' +
        'trained while the generator took a second step per iteration.',
      example:
        '```python\nopt_G = torch.optim.Adam(G.parameters())\nopt_D = torch.optim.Adam(G.parameters())\n...\nd_loss.backward()\nopt_D.step()\n```',
      useInstead:
        '```python\nopt_G = torch.optim.Adam(G.parameters())\nopt_D = torch.optim.Adam(D.parameters())\n...\nd_loss.backward()\nopt_D.step()\n```',
      knownProblems:
        'The parameters an optimizer holds must be visible (`Adam(model.parameters())` of a model of the file); an optimizer made ' +
        'elsewhere is read only through the second check, which needs the same name passed twice.',
      fixSafety: 'No fix: which optimizer was meant is for the author to say.',
      references: ['[Lornatang/ESRGAN-PyTorch#39](https://github.com/Lornatang/ESRGAN-PyTorch/issues/39)', '[torch.optim](https://pytorch.org/docs/stable/optim.html)'],
    },
  },

  check(ctx: RuleContext) {
    checkSameOptimizerTwice(ctx);
    if (ctx.analysis.events.steps.length > 0) checkSteps(ctx);
  },
};
