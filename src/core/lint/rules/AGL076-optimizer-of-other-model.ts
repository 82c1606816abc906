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
import { optimizerConstructor } from '../knowledge/torch';
import { moduleName, wrongOptimizerStep } from '../analysis/queries';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { parametersCall } from '../torch';
import { field, unparen, walk, type PyNode } from '../tree';

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

const CLIP_FUNCTIONS = /^torch\.nn\.utils\.(?:clip_grad\.)?clip_grad_(?:norm|value)_?$/;

function squash(m: SemanticModel, n: PyNode): string {
  return m.textOf(unparen(n)).replace(/\s+/g, '');
}

/** One module is the other or contains it as an attribute (`self` and `self.actor`, `model` and `model.head`). */
function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/**
 * The modules (the receivers of `.parameters()`) whose parameters an optimizer's construction holds
 * (`Adam(self.model.parameters())`, `Adam(list(a.parameters()) + list(b.parameters()))`, `Adam([{'params':
 * net.parameters()}])`), or null when anything else may hold parameters (a variable `params`, a generator of the file).
 */
function modulesHeld(m: SemanticModel, ctor: PyNode): PyNode[] | null {
  const c = m.call(ctor);
  const arg = c ? (c.positional[0] ?? c.keywords.get('params')) : undefined;
  if (!arg) return null;
  const out: PyNode[] = [];
  let unknown = false;
  walk(arg, (n) => {
    if (unknown) return false;
    const pc = parametersCall(m, n);
    if (pc?.receiver) {
      out.push(pc.receiver);
      return false;
    }
    // The callee of a wrapper (`list`, `itertools.chain`) and a dict's keys are not parameters.
    if (n.field === 'function' && n.parent?.type === 'call') return false;
    if (n.field === 'key' && n.parent?.type === 'pair') return false;
    if (n.type === 'identifier' || n.type === 'attribute' || n.type === 'subscript' || n.type === 'list_comprehension' || n.type === 'generator_expression') {
      unknown = true;
      return false;
    }
    return true;
  });
  return unknown ? null : out;
}

/** The values an expression is bound to that are in view (a name's reaching bindings, the file's `self.x = ...` stores). */
function valuesOf(m: SemanticModel, recv: PyNode): PyNode[] {
  return m.valuesBoundTo(recv, false).filter((v): v is PyNode => v !== null);
}

/** The texts a module goes by: its own, and those of the names or attributes it is bound to (`self.net = net`). */
function aliases(m: SemanticModel, n: PyNode): string[] {
  const out = [squash(m, n)];
  for (const v of valuesOf(m, n)) if (v.type === 'identifier' || v.type === 'attribute') out.push(squash(m, v));
  return out;
}

/** Whether a construction's arguments name one of `names` (a wrapper made over the module: `TensorDictModule(net, ...)`). */
function madeOver(m: SemanticModel, n: PyNode, names: readonly string[]): boolean {
  return valuesOf(m, n).some((v) => {
    if (v.type !== 'call') return false;
    const q = m.qualifiedName(field(v, 'function') ?? v);
    if (q === 'copy.deepcopy' || q === 'copy.copy') return false;
    const args = field(v, 'arguments');
    if (!args) return false;
    let hit = false;
    walk(args, (x) => {
      if (hit) return false;
      // A whole name or attribute chain (not its `self` alone).
      if (x.type === 'identifier' || x.type === 'attribute') {
        if (names.some((a) => related(squash(m, x), a))) hit = true;
        return false;
      }
      return true;
    });
    return hit;
  });
}

/** Whether the clipped module and a stepped one may share parameters. */
function mayShare(m: SemanticModel, clipped: PyNode, stepped: PyNode): boolean {
  const ca = aliases(m, clipped);
  const sa = aliases(m, stepped);
  if (ca.some((a) => sa.some((b) => related(a, b)))) return true;
  return madeOver(m, stepped, ca) || madeOver(m, clipped, sa);
}

function isTorchOptimizerCall(m: SemanticModel, n: PyNode): boolean {
  if (n.type !== 'call') return false;
  return optimizerConstructor(m.qualifiedName(field(n, 'function') ?? n)) === 'torch';
}

/**
 * `clip_grad_norm_(other.parameters(), ...)` before the optimizer steps of its function, when every one of them holds
 * only the parameters of other modules and no optimizer of the file holds `other`'s: PPO's behaviour copy
 * (`model_old`), a target network. That module's gradients are not what any step applies (usually it has none: no
 * backward reaches it), so the clip does nothing and the step applies the trained model's unclipped gradients
 * (DarylRodrigo/rl_lib ecdf5c8). The clipped module must be made in view (a construction or a copy), not passed in.
 */
function checkClipOfOtherModule(ctx: RuleContext): void {
  const m = ctx.model;
  let optimizers: PyNode[] | null = null;
  for (const c of m.calls) {
    if (!c.qname || !CLIP_FUNCTIONS.test(c.qname)) continue;
    const first = c.positional[0] ?? c.keywords.get('parameters');
    const pc = first ? parametersCall(m, unparen(first)) : undefined;
    if (!pc?.receiver) continue;
    const clipped = pc.receiver;
    const made = valuesOf(m, clipped);
    if (made.length === 0 || made.some((v) => v.type !== 'call')) continue;
    const fn = m.enclosingFunction(c.node);
    const steps = m.calls
      .filter((k) => k.method === 'step' && k.receiver !== null && k.positional.length === 0 && k.node.start > c.node.end && m.enclosingFunction(k.node) === fn)
      .sort((x, y) => x.node.start - y.node.start);
    if (steps.length === 0) continue;
    const stepped: PyNode[] = [];
    let unknown = false;
    for (const step of steps) {
      const ctors = valuesOf(m, step.receiver!);
      if (ctors.length === 0 || !ctors.every((n) => isTorchOptimizerCall(m, n))) {
        unknown = true;
        break;
      }
      for (const n of ctors) {
        const h = modulesHeld(m, n);
        if (!h || h.length === 0) unknown = true;
        else stepped.push(...h);
      }
    }
    if (unknown || stepped.some((s) => mayShare(m, clipped, s))) continue;
    // Another clip of the function names a stepped module (`clip(main_net)` then a useless `clip(target_net)`): the
    // step's gradients are clipped.
    const clipsStepped = m.calls.some((k) => {
      if (k === c || !k.qname || !CLIP_FUNCTIONS.test(k.qname) || m.enclosingFunction(k.node) !== fn) return false;
      const a0 = k.positional[0] ?? k.keywords.get('parameters');
      const kp = a0 ? parametersCall(m, unparen(a0)) : undefined;
      return !kp?.receiver || stepped.some((s) => mayShare(m, kp.receiver!, s));
    });
    if (clipsStepped) continue;
    // Some optimizer of the file holds the clipped module (or may: its parameters are not visible): another step uses it.
    optimizers ??= m.calls.filter((k) => isTorchOptimizerCall(m, k.node)).map((k) => k.node);
    if (optimizers.some((o) => { const h = modulesHeld(m, o); return h === null || h.some((x) => mayShare(m, clipped, x)); })) continue;
    const names = [...new Set(stepped.map((s) => squash(m, s)))];
    const cl = squash(m, clipped);
    ctx.report({
      node: c.node,
      message:
        `\`${ctx.text(c.node)}\` clips the gradients of \`${cl}\`, but the optimizer stepped next (\`${ctx.text(steps[0].node)}\`, line ` +
        `${ctx.lineOf(steps[0].node)}) holds the parameters of \`${names.join('`, `')}\`, and no optimizer of the file holds \`${cl}\`'s: ` +
        'the clip changes nothing the step uses (that module usually has no gradients at all), and the step applies unclipped ' +
        `gradients. Clip \`${names[0]}.parameters()\`.`,
      related: [{ node: steps[0].node, message: 'this step applies the unclipped gradients' }],
    });
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
        'steps apart (`train(..., g_optimizer, g_optimizer)` for `def train(..., g_optimizer, d_optimizer)`). And a gradient ' +
        'clip (`clip_grad_norm_`, `clip_grad_value_`) of the parameters of a module that the optimizer stepped next does not ' +
        'hold and no optimizer of the file holds (PPO\'s old policy copy, a target network) instead of the trained one\'s.',
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
        'elsewhere is read only through the second check, which needs the same name passed twice. The clip check needs every ' +
        'optimizer of the file built over visible `.parameters()` calls (a variable `params` keeps it silent) and matches ' +
        'modules by their text (`self.model`, `target_net`); a module that is an attribute of the stepped one (`model.head` ' +
        'of `model`) counts as stepped.',
      fixSafety: 'No fix: which optimizer was meant is for the author to say.',
      references: ['[Lornatang/ESRGAN-PyTorch#39](https://github.com/Lornatang/ESRGAN-PyTorch/issues/39)', '[torch.optim](https://pytorch.org/docs/stable/optim.html)'],
    },
  },

  check(ctx: RuleContext) {
    checkSameOptimizerTwice(ctx);
    checkClipOfOtherModule(ctx);
    if (ctx.analysis.events.steps.length > 0) checkSteps(ctx);
  },
};
