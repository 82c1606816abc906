/**
 * AGL088 stopped-loss-term: a loss term wrapped whole in a stop-gradient (`tf.stop_gradient(q)`,
 * `jax.lax.stop_gradient(q)`, `q.detach()`) that enters the loss only linearly (added or subtracted, scaled by
 * constants, summed or averaged), although the stopped value is a network's output on a value that the trained part
 * of the same loss gets its gradient from (SAC's `alpha * log_pi - stop_gradient(Q(s, a))` with `a, log_pi` from one
 * policy call): the term only shifts the loss, and the gradient the loss was written to carry through that network
 * (dQ/da into the policy) is lost.
 *
 * Asked of the analysis: the data flow backwards (`traceBack`) from the stopped value and from the live part of the
 * loss to the calls they are computed from, whether those carry a gradient, and where the sum goes (a loss).
 */
import type { Rule, RuleContext } from '../rule';
import { isGraphDroppingOp } from '../torch';
import { gradModeAt } from '../grad-mode';
import type { CallInfo, SemanticModel } from '../semantic';
import { field, unparen, type PyNode } from '../tree';
import { isKind, Kind, requiresGrad } from '../analysis/values';
import { tensorOfValue } from '../analysis/library';

const STOP_FUNCTIONS = new Set(['tensorflow.stop_gradient', 'jax.lax.stop_gradient']);
/** Reductions and sums that keep a term additive. */
const LINEAR_FUNCTIONS = /^(?:torch\.(?:sum|mean)|tensorflow\.(?:reduce_sum|reduce_mean|math\.reduce_sum|math\.reduce_mean|add_n)|jax\.numpy\.(?:sum|mean)|numpy\.(?:sum|mean)|sum)$/;
const LINEAR_METHODS = new Set(['sum', 'mean']);
/** Names a loss is bound to or returned from (as `findLossSink` reads them). */
const LOSS_NAME = /loss|objective/i;

function carriesGrad(ctx: RuleContext, n: PyNode): boolean {
  const v = ctx.analysis.values.get(n.id);
  if (!v) return false;
  // A call's tuple of outputs (`actions, log_pi = policy(obs)`): any of them.
  const t = tensorOfValue(v);
  return (requiresGrad(t) || t.opaque) && t.recOff === null;
}

/** The stopped expression of a stop-gradient call, or null. */
function stoppedOf(c: CallInfo): PyNode | null {
  if (STOP_FUNCTIONS.has(c.qname ?? '')) return c.positional[0] ?? null;
  if (c.method === 'detach' && c.receiver && c.positional.length === 0) return c.receiver;
  return null;
}

/**
 * The calls of the program (models, helpers, unknown callables) a value is computed from. With `stopAtOpaque`, the
 * first such calls only (where its gradient comes from); else every one, below others too, with those met below
 * another opaque call in `deep`.
 */
function sourceCalls(ctx: RuleContext, expr: PyNode, stopAtOpaque: boolean): { first: Set<number>; deep: Set<number> } {
  const m = ctx.model;
  // A program's call, not a method of a library object (`dist.log_prob(a)` of a `torch.distributions.Normal`).
  const isSource = (c: CallInfo | undefined | null): boolean => {
    if (!c || !m.isOpaqueCallable(c)) return false;
    if (c.method && c.receiver) {
      const r = ctx.analysis.values.get(c.receiver.id);
      if (r && (isKind(r, Kind.LIBINST) || isKind(r, Kind.TENSOR)) && !isKind(r, Kind.UNKNOWN)) return false;
    }
    return true;
  };
  const first = new Set<number>();
  const deep = new Set<number>();
  m.traceBack(expr, (node) => {
    // The live part's gradient does not come through a cut.
    if (stopAtOpaque && isGraphDroppingOp(m, node)) return false;
    // Nor through a field of some object (`args.weight`, `batch.rewards`): configuration and data, not the output
    // it is trained through.
    if (stopAtOpaque && node.type === 'attribute' && node.field !== 'function') return false;
    if (node.type !== 'call') return;
    const c = m.call(node);
    if (stopAtOpaque && c && stoppedOf(c)) return false;
    if (!c || !isSource(c)) return;
    first.add(node.id);
    if (stopAtOpaque) return false;
    for (const arg of [...c.positional, ...c.keywords.values()]) {
      m.traceBack(arg, (inner) => {
        if (inner.type !== 'call') return;
        if (isSource(m.call(inner))) deep.add(inner.id);
      });
    }
    return false;
  });
  return { first, deep };
}

function isOp(m: SemanticModel, n: PyNode, ops: readonly string[]): boolean {
  if (n.type !== 'binary_operator') return false;
  const op = field(n, 'operator');
  return !!op && ops.includes(m.textOf(op));
}

interface Climb {
  /** The other operands of the sums met on the way (the live part of the loss). */
  live: PyNode[];
  /** Where the term reaches a loss, or null when it goes through anything not linear first. */
  sink: PyNode | null;
}

/** From the stopped term up, through linear operations and name bindings, to a loss. */
function climb(ctx: RuleContext, start: PyNode): Climb {
  const m = ctx.model;
  const live: PyNode[] = [];
  const seen = new Set<number>();
  const go = (n: PyNode, depth: number): PyNode | null => {
    if (depth > 12 || seen.has(n.id)) return null;
    seen.add(n.id);
    const p = n.parent;
    if (!p) return null;
    if (p.type === 'parenthesized_expression' || (p.type === 'unary_operator' && /^-/.test(m.textOf(p)))) return go(p, depth + 1);
    if (isOp(m, p, ['+', '-'])) {
      const other = field(p, 'left') === n ? field(p, 'right') : field(p, 'left');
      // Every other operand: whether it is differentiable is asked of the call it comes from (below).
      if (other) live.push(other);
      return go(p, depth + 1);
    }
    if (isOp(m, p, ['*', '/'])) {
      const other = field(p, 'left') === n ? field(p, 'right') : field(p, 'left');
      if (!other || carriesGrad(ctx, other) || (m.textOf(field(p, 'operator')!) === '/' && field(p, 'right') === n)) return null;
      return go(p, depth + 1);
    }
    if (p.type === 'argument_list' && p.parent?.type === 'call') {
      const c = m.call(p.parent);
      if (!c || c.positional[0] !== n) return null;
      if (LINEAR_FUNCTIONS.test(c.qname ?? '')) return go(p.parent, depth + 1);
      return null;
    }
    if (p.type === 'attribute' && p.parent?.type === 'call' && field(p, 'object') === n) {
      const c = m.call(p.parent);
      if (c && c.method && LINEAR_METHODS.has(c.method)) return go(p.parent, depth + 1);
      if (c && c.method === 'backward') return p.parent;
      return null;
    }
    if (p.type === 'return_statement') {
      const fn = m.enclosingFunction(p);
      return fn && LOSS_NAME.test(fn.name) ? p : null;
    }
    if (p.type === 'augmented_assignment' && field(p, 'right') === n) {
      // `loss -= q.detach()`: the running loss is the live part.
      const left = field(p, 'left');
      const op = field(p, 'operator');
      if (!left || !op || !['+=', '-='].includes(m.textOf(op))) return null;
      live.push(left);
      return LOSS_NAME.test(m.textOf(left)) ? left : null;
    }
    if (p.type === 'assignment' && field(p, 'right') === n) {
      const left = field(p, 'left');
      if (!left || left.type !== 'identifier') return null;
      if (LOSS_NAME.test(m.textOf(left))) return left;
      const b = m.bindings.find((x) => x.target === left);
      if (!b) return null;
      for (const u of m.usesOf(b)) {
        const r = go(u, depth + 1);
        if (r) return r;
      }
      return null;
    }
    return null;
  };
  const sink = go(start, 0);
  return { live, sink };
}

export const AGL088: Rule = {
  meta: {
    code: 'AGL088',
    name: 'stopped-loss-term',
    summary: 'A loss term is stopped whole (stop_gradient / detach) and only added: it shifts the loss, and the gradient it was meant to carry into the trained network is lost.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `tf.stop_gradient(q)`, `jax.lax.stop_gradient(q)`, `q.detach()`, or a `q` computed under `torch.no_grad()`, ' +
        'whose value enters a loss only ' +
        'linearly (added or subtracted, scaled by constants, summed or averaged, bound to a `*loss*` name, returned from ' +
        'a `*loss*` function or back-propagated), where `q` is the output of a network called on a value that comes from ' +
        'the same call as the live, differentiable part of the loss — SAC\'s `alpha * log_pi - stop_gradient(Q(s, a))` ' +
        'with `a, log_pi = policy(s)`, a DDPG-style `bc - mean(stop_gradient(critic(s, actor(s))))`.',
      whyIsThisBad:
        'A term that is stopped whole and enters the loss linearly contributes a constant: its gradient is zero ' +
        'everywhere. When the stopped value is a critic\'s Q of the action the policy just produced, that constant is ' +
        'exactly the term that was to train the policy (the reparameterised gradient dQ/da * da/dtheta, Haarnoja et al. ' +
        '2018, eq. 13): the actor then only follows the rest of the loss (its entropy term). TF-Agents shipped this ' +
        'change to SacAgent.actor_loss and rolled it back three days later.',
      example: [
        '```python',
        'actions, log_pi = self.actor.sample(obs)',
        'q = torch.min(self.q1(obs, actions), self.q2(obs, actions))',
        'actor_loss = (self.alpha * log_pi - q.detach()).mean()   # the actor ignores Q',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'actor_loss = (self.alpha * log_pi - q).mean()   # step only the actor\'s optimizer with this loss',
        '```',
      ].join('\n'),
      knownProblems:
        'Only a term whose stopped value is computed by a call (a network) from something that the live part of the ' +
        'loss also comes from, through the same call, is reported; a value stopped for another reason (a frozen ' +
        'reference model, a target network on other inputs, a straight-through estimator that is not the loss) is not. ' +
        'The term must reach the loss through additions, constant scalings, sums and means only.',
      fixSafety: 'No fix: removing the stop changes what is trained; keep the critic out of this loss\'s optimizer instead.',
      references: [
        '[TF-Agents 655d320 (stop_gradient on the actor loss\'s Q) and its rollback 4537fd3](https://github.com/tensorflow/agents/commit/4537fd39e98edccfd62e9f6c86dee19940697d65)',
        '[Haarnoja et al. 2018, Soft Actor-Critic](https://arxiv.org/abs/1801.01290)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    // Stopped terms: stop-gradient calls, and values computed where PyTorch did not record (`with torch.no_grad():
    // q = critic(obs, actions)`), from their reads.
    const sites: { at: PyNode; stopped: PyNode; report: PyNode }[] = [];
    for (const c of m.calls) {
      const stopped = stoppedOf(c);
      if (stopped) sites.push({ at: c.node, stopped, report: c.node });
    }
    for (const b of m.bindings) {
      if (b.kind !== 'assign' || !b.value || b.path.length > 0) continue;
      // Written inside the `with torch.no_grad():` itself (a value merely joined with one computed there is not).
      const mode = gradModeAt(m, b.value);
      if ((mode.state !== 'no_grad' && mode.state !== 'inference') || mode.via !== 'with') continue;
      const uses = m.usesOf(b);
      if (uses.some((u) => m.reachingBindings(u).length !== 1)) continue;
      for (const u of uses) {
        const here = gradModeAt(m, u).state;
        if (here !== 'no_grad' && here !== 'inference') sites.push({ at: u, stopped: b.value, report: u });
      }
    }
    for (const { at, stopped, report } of sites) {
      // The stopped value: a name bound once to a stop (`q = tf.stop_gradient(q)`) is followed by `climb`.
      const { live, sink } = climb(ctx, at);
      if (!sink || live.length === 0) continue;
      const stoppedSources = sourceCalls(ctx, stopped, false);
      // The stopped value must be a network's output (an opaque call met first), on inputs from a shared call.
      if (stoppedSources.first.size === 0 || stoppedSources.deep.size === 0) continue;
      let shared: PyNode | null = null;
      let liveNode: PyNode | null = null;
      for (const l of live) {
        const ls = sourceCalls(ctx, l, true);
        for (const id of ls.first) {
          if (!stoppedSources.deep.has(id) || stoppedSources.first.has(id)) continue;
          const n = ctx.tree.nodes[id];
          if (n && carriesGrad(ctx, n)) {
            shared = n;
            liveNode = l;
            break;
          }
        }
        if (shared) break;
      }
      if (!shared || !liveNode) continue;
      const what = unparen(stopped);
      ctx.report({
        node: report,
        message:
          `\`${ctx.text(what)}\` is ${report.type === 'call' ? 'stopped whole' : `computed without a graph (\`no_grad\`, line ${ctx.lineOf(stopped)})`} and only added to the loss, so it contributes nothing to its gradient; but it is ` +
          `computed from the output of \`${ctx.text(field(shared, 'function') ?? shared)}(...)\` (line ${ctx.lineOf(shared)}), which ` +
          `\`${ctx.text(liveNode)}\` is trained through: the gradient through this term into that call (a critic's dQ/da into the ` +
          'policy) is lost. Keep the term differentiable and leave its network out of this loss\'s optimizer instead.',
        related: [
          { node: shared, message: 'the call both parts come from' },
          { node: sink, message: 'the loss' },
        ],
      });
    }
  },
};
