/**
 * AGL114 optimizer-never-stepped: an optimizer is made over a network's parameters, a loss is backpropagated into
 * that network, but the optimizer is never stepped (its only uses are `zero_grad()`, `param_groups`, `state_dict()`)
 * while another optimizer of the file is. The question to the analysis: which parameters does each optimizer hold,
 * which does each backward reach, and which optimizers does any step, helper or container ever see?
 */
import { isKind, Kind } from '../analysis';
import { tensorOfValue } from '../analysis/library';
import { optimizerConstructor } from '../knowledge/torch';
import type { Rule, RuleContext } from '../rule';
import { field, unparen, walk, type PyNode } from '../tree';

/** Uses of an optimizer that do not step it and do not hand it to anything that could. */
const INERT_USES = new Set(['zero_grad', 'param_groups', 'state_dict', 'load_state_dict', 'defaults']);

function enclosing(n: PyNode, type: string): PyNode | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === type) return p;
  return null;
}

/** Every occurrence of the optimizer's name (an identifier, or `self.x`) in `scope`, but its binding. */
function uses(ctx: RuleContext, scope: PyNode, target: PyNode): PyNode[] {
  const text = ctx.text(target);
  const out: PyNode[] = [];
  walk(scope, (n) => {
    if (n === target) return false;
    if (n.type === target.type && ctx.text(n) === text) {
      const p = n.parent;
      // `foo.opt` (an attribute named like it) and `f(opt=...)` are not the name.
      const isAttrName = target.type === 'identifier' && p?.type === 'attribute' && field(p, 'attribute') === n;
      const isKeyword = p?.type === 'keyword_argument' && field(p, 'name') === n;
      if (!isAttrName && !isKeyword) out.push(n);
      return false;
    }
    return true;
  });
  return out;
}

/**
 * Whether a use is `opt.zero_grad()`, `opt.param_groups`, `opt.state_dict()`: it neither steps nor hands on the
 * optimizer. Passed to a function of the file whose parameter is only used so (`adjust_learning_rate(lr, opt, epoch)`
 * setting `param_groups`), it is inert too.
 */
function inert(ctx: RuleContext, use: PyNode, depth = 0): boolean {
  const p = use.parent;
  if (p?.type === 'argument_list' && depth < 2) {
    const call = p.parent ? ctx.model.call(p.parent) : undefined;
    const f = call?.local;
    const i = call ? call.positional.indexOf(use) : -1;
    if (!call || !f || i < 0 || call.hasStarArgs || call.hasKwargs) return false;
    const params = f.params.filter((b) => ctx.text(b.target) !== 'self' && ctx.text(b.target) !== 'cls');
    const param = (f.isMethod ? params : f.params)[i];
    const body = field(f.node, 'body');
    if (!param || !body) return false;
    return uses(ctx, body, param.target).every((u) => inert(ctx, u, depth + 1));
  }
  if (!p || p.type !== 'attribute' || field(p, 'object') !== use) return false;
  const name = field(p, 'attribute');
  return !!name && INERT_USES.has(ctx.text(name));
}

export const AGL114: Rule = {
  meta: {
    code: 'AGL114',
    name: 'optimizer-never-stepped',
    summary: 'A loss is backpropagated into a network whose optimizer is never stepped, while another optimizer is.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds an optimizer made over a network\'s parameters (`opt_D = torch.optim.Adam(D.parameters())`, also ' +
        '`self.opt_D = ...`) whose only uses are `zero_grad()`, `param_groups` or `state_dict()` — it is never stepped, ' +
        'never passed to a helper, a `GradScaler`, a list or a return — in a file where another optimizer is stepped, and ' +
        'reports the `backward()` of a loss that reaches that network\'s parameters.',
      whyIsThisBad:
        'The backward computes the gradients of the network the optimizer holds, and nothing applies them: the ' +
        'network (a GAN\'s discriminator, an actor-critic\'s critic, a second head) stays at its initial weights for the ' +
        'whole run. The other networks train against a frozen random critic, and the losses look plausible. Nothing ' +
        'raises.',
      example: [
        '```python',
        'opt_G = torch.optim.Adam(G.parameters())',
        'opt_D = torch.optim.Adam(D.parameters())',
        'for x in loader:',
        '    opt_D.zero_grad()',
        '    loss_D = D(G(z).detach()).mean() - D(x).mean()',
        '    loss_D.backward()          # opt_D.step() missing',
        '    opt_G.zero_grad()',
        '    loss_G = -D(G(z)).mean()',
        '    loss_G.backward()',
        '    opt_G.step()',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        '    loss_D.backward()',
        '    opt_D.step()',
        '```',
      ].join('\n'),
      knownProblems:
        'Only optimizers made in view (a `torch.optim` class or a class named as an optimizer) and bound to a name or ' +
        'to `self.<attr>` are followed; any use other than `zero_grad()`, `param_groups`, `state_dict()` and ' +
        '`load_state_dict()` (a step, an element of a list, a return, an argument of a function that does more with it than ' +
        'set `param_groups`, as a learning-rate helper does) counts as a possible step. The loss must ' +
        'reach the optimizer\'s parameters as far as the analysis sees, and some other optimizer of the file must be ' +
        'stepped; a fragment whose optimizers are made elsewhere is not read.',
      fixSafety: 'No automatic fix: where the step belongs (after which backward, under which condition) is the author\'s choice.',
      references: [
        '[torch.optim: taking an optimization step](https://pytorch.org/docs/stable/optim.html#taking-an-optimization-step)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    const a = ctx.analysis;
    if (a.events.steps.length === 0 || a.events.backwards.length === 0) return;
    const reported = new Set<PyNode>();
    for (const c of m.calls) {
      const kind = optimizerConstructor(c.qname);
      if (kind === null || (kind === 'library' && m.localClassOf(field(c.node, 'function') ?? c.node))) continue;
      const asg = c.node.parent;
      if (!asg || asg.type !== 'assignment' || field(asg, 'right') !== c.node) continue;
      const target = unparen(field(asg, 'left') ?? asg);
      let scope: PyNode | null;
      if (target.type === 'identifier') scope = enclosing(c.node, 'function_definition') ?? ctx.tree.root;
      else if (target.type === 'attribute' && /^self\.\w+$/.test(ctx.text(target))) scope = enclosing(c.node, 'class_definition');
      else continue;
      if (!scope) continue;
      // A module-level name may be used in any function of the file.
      const us = uses(ctx, scope.type === 'module' ? ctx.tree.root : scope, target);
      if (!us.every((u) => inert(ctx, u))) continue;
      // Stepped elsewhere: this optimizer is not among the steps, but another one is.
      if (a.events.steps.some((s) => s.optimizer === c.node)) continue;
      // ... in the same code: a step, or the stepped optimizer's construction, inside this optimizer's function or
      // class (independent functions of one file, each with its own optimizer, say nothing of each other).
      const inScope = (n: PyNode): boolean => scope!.type === 'module' || (n.start >= scope!.start && n.end <= scope!.end);
      if (!a.events.steps.some((s) => inScope(s.node) || inScope(s.optimizer))) continue;
      const v = a.valueOf(c.node);
      // The parameters it holds: the tensors of its first argument, and the calls of the modules it takes
      // `.parameters()` of (a module the analysis does not see into stands for its parameters at each call).
      const models = new Set<string>();
      const first = c.positional[0] ?? c.keywords.get('params');
      if (first) {
        walk(first, (n) => {
          const k = n.type === 'call' ? m.call(n) : undefined;
          if (k?.receiver && (k.method === 'parameters' || k.method === 'named_parameters')) models.add(ctx.text(unparen(k.receiver)));
          return true;
        });
      }
      const held = (p: number): boolean => {
        if (v?.elem && tensorOfValue(v.elem).params.includes(p)) return true;
        const n = ctx.tree.nodes[p];
        return n?.type === 'call' && models.has(ctx.text(field(n, 'function') ?? n));
      };
      const otherParams = new Set(a.events.steps.flatMap((s) => s.params));
      for (const b of a.events.backwards) {
        if (reported.has(b.node) || b.hasInputs) continue;
        if (!isKind(b.target, Kind.TENSOR) || !b.target.t) continue;
        if (!b.target.t.params.some((p) => held(p) && !otherParams.has(p))) continue;
        // A loss that also trains a stepped optimizer's parameters (a GAN's generator loss through the discriminator)
        // is that optimizer's backward.
        if (b.target.t.params.some((p) => otherParams.has(p))) continue;
        // The backward belongs to the optimizer's code: the same function, or a method of the same class.
        if (scope.type !== 'module' && (b.node.start < scope.start || b.node.end > scope.end)) continue;
        reported.add(b.node);
        const name = ctx.text(target);
        ctx.report({
          node: b.node,
          message:
            `This backward computes gradients for the parameters \`${name}\` holds (made at line ${ctx.lineOf(c.node)}), but ` +
            `\`${name}\` is never stepped (${us.length === 0 ? 'never used' : `only ${[...new Set(us.map((u) => (u.parent?.type === 'attribute' ? `\`${ctx.text(field(u.parent, 'attribute')!)}\`` : `passed to \`${ctx.text(field(u.parent!.parent!, 'function') ?? u)}\``)))].join(', ')}`}), ` +
            `while another optimizer is: those parameters stay at their initial values. Call \`${name}.step()\` after this backward.`,
          related: [{ node: c.node, message: `\`${name}\` is made here and never stepped` }],
        });
      }
    }
  },
};
