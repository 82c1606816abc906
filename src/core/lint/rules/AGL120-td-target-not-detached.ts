/**
 * AGL120 td-target-not-detached: a bootstrapped regression target (`r + gamma * Q(s').max(1)[0]`,
 * `reward + gamma * critic(next_state) * (1 - done)`) is made by the same network whose prediction it is regressed
 * onto (`mse_loss(Q(s).gather(1, a), target)`, `(target - critic(s)).pow(2)`), with no cut on the way: the backward
 * pass of the TD loss also differentiates the target, so the update is the residual gradient, not Q-learning's or
 * TD(0)'s semi-gradient.
 *
 * Asked of the analysis: the regressions of a function or of the module (a two-argument regression loss, or the square
 * of a difference); for each side, the network calls it is computed from (traced back through names, indexing,
 * reductions and reshaping); whether the other side is a sum one of whose terms is made (through products) by a call
 * of the same network (the network's callee text, or another name bound to the same object), while the other term is
 * not; whether that call records a graph (not under `no_grad`) and its value reaches the loss without a stop
 * (`.detach()`, `.data`, `.item()`, `.numpy()`); and whether the loss is differentiated. A separate target network (a
 * different object) is never matched: its gradient is wasted but no optimizer applies it.
 */
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, SemanticModel } from '../semantic';
import { findLossSink, isGraphDroppingOp } from '../torch';
import { field, unparen, type PyNode } from '../tree';

/** Regression losses of two arguments (prediction and target, in either order). */
const PAIR_LOSS = /^torch\.nn\.functional\.(?:mse_loss|smooth_l1_loss|l1_loss|huber_loss)$/;
const PAIR_LOSS_CLASS = /^torch\.nn\.(?:MSELoss|SmoothL1Loss|L1Loss|HuberLoss)$/;
/** Attribute or variable names a regression loss is commonly kept under (`self.loss_fn`, `criterion`). */
const LOSS_NAME = /(?:^|[._])(?:loss|loss_fn|lossfn|criterion|critic_criterion|value_criterion|loss_func|mse|huber)$/i;
/** Methods that keep a network output's graph and its dependence on the network (selection, reduction, reshape). */
const KEEP_METHODS = new Set([
  'max', 'min', 'amax', 'amin', 'gather', 'squeeze', 'unsqueeze', 'view', 'reshape', 'flatten', 'float', 'double',
  'to', 'cuda', 'cpu', 'mean', 'sum', 'view_as', 'reshape_as', 'contiguous', 'index_select', 'logsumexp', 'clone',
]);
const KEEP_FUNCTIONS = /^torch\.(?:max|min|amax|amin|gather|squeeze|unsqueeze|reshape|flatten|logsumexp|index_select)$/;
/** Calls that are library code, not a network: never the bootstrapping model. */
const LIBRARY_PREFIX = /^(?:torch|numpy|math|jax|tensorflow|random|builtins|np)\b/;
const BUILTINS = new Set(['float', 'int', 'len', 'range', 'abs', 'min', 'max', 'sum', 'list', 'tuple', 'zip', 'print', 'str', 'dict']);

function opText(m: SemanticModel, n: PyNode): string | null {
  if (n.type !== 'binary_operator') return null;
  const op = field(n, 'operator');
  return op ? m.textOf(op) : null;
}

/** The key of a network call (`self.critic(s)`, `critic(s, a)`, `self.q_eval.forward(s)`): its callee's text, or null. */
function networkKey(m: SemanticModel, c: CallInfo): string | null {
  let fn = field(c.node, 'function');
  if (!fn || c.calleeCall) return null;
  if (fn.type !== 'identifier' && fn.type !== 'attribute') return null;
  if (c.local) return null;
  const q = c.qname ?? '';
  if (q && (LIBRARY_PREFIX.test(q) || BUILTINS.has(q))) return null;
  if (fn.type === 'attribute' && m.textOf(field(fn, 'attribute') ?? fn) === 'forward') fn = field(fn, 'object') ?? fn;
  const text = m.textOf(fn).replace(/\s+/g, '');
  if (fn.type === 'attribute') {
    const recv = field(fn, 'object');
    // A method of a tensor or of a library object (`x.max`, `dist.log_prob`): only `self.<net>` / `<obj>.<net>` of
    // a name that is not a value computed in the same code.
    const attr = m.textOf(field(fn, 'attribute') ?? fn);
    if (KEEP_METHODS.has(attr) || /^(?:detach|item|numpy|tolist|sample|log_prob|backward|step|zero_grad|append|pow|exp|log)$/.test(attr)) return null;
    if (!recv || (recv.type !== 'identifier' && recv.type !== 'attribute')) return null;
  }
  if (LOSS_NAME.test(text)) return null;
  return text;
}

/** Collapses names bound to the same object (`self.policy_net = models['Qnet'].to(d)`; `self.target_net = models['Qnet'].to(d)`). */
function aliasTable(m: SemanticModel): Map<string, string> {
  const byValue = new Map<string, string>();
  const out = new Map<string, string>();
  for (const n of m.tree.nodes) {
    if (n.type !== 'assignment') continue;
    const l = field(n, 'left');
    const r = field(n, 'right');
    if (!l || !r || (l.type !== 'attribute' && l.type !== 'identifier')) continue;
    // The object itself (a name, attribute or subscript), moved to a device at most: no construction, no copy.
    let u = unparen(r);
    while (u.type === 'call') {
      const c = m.call(u);
      if (!c?.method || !/^(?:to|cuda|cpu|train|eval|float|double)$/.test(c.method) || !c.receiver) break;
      u = unparen(c.receiver);
    }
    if (u.type !== 'identifier' && u.type !== 'attribute' && u.type !== 'subscript') continue;
    const v = m.textOf(u).replace(/\s+/g, '');
    const lt = m.textOf(l).replace(/\s+/g, '');
    const first = byValue.get(v);
    if (first === undefined) byValue.set(v, lt);
    else if (first !== lt) out.set(lt, first);
  }
  return out;
}

/**
 * The network calls `n` is computed from through names, products, indexing, selections and reshaping (not through
 * sums, other calls or cuts): the networks whose output `n` is a value of.
 */
function networkCalls(ctx: RuleContext, n: PyNode, throughSums: boolean): CallInfo[] {
  const m = ctx.model;
  const out: CallInfo[] = [];
  const seen = new Set<number>();
  const go = (x: PyNode, depth: number): void => {
    if (depth > 8 || seen.has(x.id)) return;
    seen.add(x.id);
    const u = unparen(x);
    if (u.type === 'identifier') {
      if (!m.isUse(u)) return;
      for (const b of m.reachingBindings(u)) {
        // Only plain assignments (`v = critic(s)`): not loop targets, unpacked samples or parameters.
        if (b.kind !== 'assign' || !b.value || b.path.length > 0) continue;
        go(b.value, depth + 1);
      }
      return;
    }
    if (u.type === 'unary_operator') {
      const a = field(u, 'argument');
      if (a) go(a, depth + 1);
      return;
    }
    // `Q(s)[i, a]`, `Q(s').max(1)[0]`: the indexed value, never the index.
    if (u.type === 'subscript') {
      const v = field(u, 'value');
      if (v) go(v, depth + 1);
      return;
    }
    if (u.type === 'binary_operator') {
      const op = opText(m, u);
      if (op === '*' || op === '/' || (throughSums && (op === '+' || op === '-'))) {
        const l = field(u, 'left');
        const r = field(u, 'right');
        if (l) go(l, depth + 1);
        if (r) go(r, depth + 1);
      }
      return;
    }
    if (u.type !== 'call' || isGraphDroppingOp(m, u)) return;
    const c = m.call(u);
    if (!c) return;
    if (networkKey(m, c)) {
      out.push(c);
      return;
    }
    if (c.method && KEEP_METHODS.has(c.method) && c.receiver) go(c.receiver, depth + 1);
    else if (c.qname && KEEP_FUNCTIONS.test(c.qname) && c.positional[0]) go(c.positional[0], depth + 1);
  };
  go(n, 0);
  return out;
}

/** The sums `n` is (or is bound to), through names and parentheses. */
function sumsOf(ctx: RuleContext, n: PyNode): PyNode[] {
  const m = ctx.model;
  const out: PyNode[] = [];
  m.traceBack(n, (x, path) => {
    if (path.length > 4) return false;
    if (x.type === 'identifier' || x.type === 'parenthesized_expression') return true;
    if (x.type === 'binary_operator') {
      const op = opText(m, x);
      if (op === '+') out.push(x);
      return false;
    }
    if (x.type === 'call') {
      const c = m.call(x);
      return !!c?.method && /^(?:squeeze|unsqueeze|view|reshape|float|to|cuda)$/.test(c.method);
    }
    return false;
  });
  return out;
}

function underNoGrad(m: SemanticModel, n: PyNode): boolean {
  return m.withContextsAt(n).some((w) => w.items.some((i) => /no_grad|inference_mode|set_grad_enabled\(\s*False/.test(m.textOf(i))));
}

interface Fit {
  node: PyNode;
  sides: [PyNode, PyNode];
}

/** Regressions of one value onto another: two-argument regression losses, squares of differences. */
function regressions(ctx: RuleContext): Fit[] {
  const m = ctx.model;
  const out: Fit[] = [];
  const residual = (e: PyNode, at: PyNode): void => {
    let u = unparen(e);
    // `td_error = r + g * V(s') - V(s)`; `td_error.pow(2)`.
    if (u.type === 'identifier' && m.isUse(u)) {
      const bs = m.reachingBindings(u);
      if (bs.length === 1 && bs[0].value) u = unparen(bs[0].value);
    }
    if (opText(m, u) !== '-') return;
    const l = field(u, 'left');
    const r = field(u, 'right');
    if (l && r) out.push({ node: at, sides: [l, r] });
  };
  for (const c of m.calls) {
    const q = c.qname ?? '';
    const fn = field(c.node, 'function');
    const root = c.calleeCall ? (m.qualifiedName(field(c.calleeCall.node, 'function') ?? c.calleeCall.node) ?? '') : '';
    const named = !c.qname && !c.calleeCall && !!fn && (fn.type === 'attribute' || fn.type === 'identifier') && LOSS_NAME.test(m.textOf(fn));
    if (PAIR_LOSS.test(q) || PAIR_LOSS_CLASS.test(root) || named) {
      const [a, b] = c.positional;
      if (a && b) out.push({ node: c.node, sides: [a, b] });
    } else if (c.method === 'pow' && c.receiver && c.positional[0] && /^2(?:\.0*)?$/.test(m.textOf(c.positional[0]))) {
      residual(c.receiver, c.node);
    } else if ((c.method === 'square' || q === 'torch.square') && (c.receiver ?? c.positional[0])) {
      residual((c.method === 'square' ? c.receiver : c.positional[0])!, c.node);
    }
  }
  for (const n of m.tree.nodes) {
    if (opText(m, n) !== '**') continue;
    const r = field(n, 'right');
    const l = field(n, 'left');
    if (r && l && /^2(?:\.0*)?$/.test(m.textOf(r))) residual(l, n);
  }
  return out;
}

export const AGL120: Rule = {
  meta: {
    code: 'AGL120',
    name: 'td-target-not-detached',
    summary: 'A bootstrapped TD target (`r + gamma * Q(s\')`) is made by the network it trains, without a cut: the loss also differentiates the target.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a regression (`mse_loss`, `smooth_l1_loss`, `nn.MSELoss()(a, b)`, a loss module kept under a name such as ' +
        '`self.loss_fn`, or the square of a difference `(target - V(s)).pow(2)`) whose one side is computed from a ' +
        'network call (`self.critic(s)`, `self.model(s).gather(1, a)`) and whose other side is a sum `r + ...` one term ' +
        'of which is made, through products, indexing, `.max(1)[0]`, `.gather` and reshaping, by a call of the same ' +
        'network (`gamma * self.critic(next_state) * (1 - done)`): a bootstrapped TD target. It reports when that call ' +
        'records a graph (not under `torch.no_grad()`) and reaches the loss without `.detach()`, `.data`, `.item()` or ' +
        '`.numpy()`, and the loss is differentiated. Two names bound to the same object (`self.policy_net = ' +
        'models[\'Qnet\']`, `self.target_net = models[\'Qnet\']`) are the same network.',
      whyIsThisBad:
        'Q-learning, SARSA, TD(0) critics and DQN treat the bootstrapped target as a constant: the update is the ' +
        'semi-gradient `(y - Q(s)) * grad Q(s)`. Without a cut the backward pass also differentiates `y` through ' +
        '`Q(s\')`, giving the residual-gradient update, which pulls the next state\'s value towards the current one, ' +
        'learns slowly and converges to a different (and usually worse) fixed point; the target network of DQN is there ' +
        'precisely to keep the target fixed (easy-rl PR 117: "TD target does not have detach(), which is equivalent to ' +
        'not using semi-gradient method"; Sutton & Barto 9.3, 11.5).',
      example: [
        '```python',
        'q = self.model(states).gather(1, actions)',
        'target = rewards + self.gamma * self.model(next_states).max(1)[0] * (1 - dones)',
        'loss = F.mse_loss(q.squeeze(1), target)   # also differentiates the target',
        'loss.backward()',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'with torch.no_grad():',
        '    target = rewards + self.gamma * self.target_model(next_states).max(1)[0] * (1 - dones)',
        'loss = F.mse_loss(q.squeeze(1), target)',
        '```',
      ].join('\n'),
      knownProblems:
        'The network is recognised by the text of its callee (`self.critic`), so a network reached under two names ' +
        'that are not bound to the same expression in the file is not matched, and a separate target network is never ' +
        'reported (its gradient is wasted, not applied). A target made in another function and passed in is not seen. ' +
        'Residual-gradient methods that differentiate the target on purpose are reported too.',
      fixSafety: 'No fix: compute the target under `torch.no_grad()` (or from a target network), or detach it in the loss.',
      references: [
        '[easy-rl PR 117: set detach() on the TD target](https://github.com/datawhalechina/easy-rl/pull/117)',
        '[Sutton & Barto, semi-gradient TD (9.3) and residual gradients (11.5)](http://incompleteideas.net/book/RLbook2020.pdf)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    const fits = regressions(ctx);
    if (fits.length === 0) return;
    const alias = aliasTable(m);
    const keyOf = (c: CallInfo): string => {
      const k = networkKey(m, c)!;
      return alias.get(k) ?? k;
    };
    const reported = new Set<number>();
    for (const fit of fits) {
      for (const [pi, ti] of [[0, 1], [1, 0]] as const) {
        const pred = fit.sides[pi];
        const target = fit.sides[ti];
        const predNets = new Set(networkCalls(ctx, pred, false).map(keyOf));
        if (predNets.size === 0) continue;
        for (const sum of sumsOf(ctx, target)) {
          const l = field(sum, 'left');
          const r = field(sum, 'right');
          if (!l || !r) continue;
          const lc = networkCalls(ctx, l, false);
          const rc = networkCalls(ctx, r, false);
          // One term is the bootstrap (a call of the predicting network), the other is not (the reward).
          for (const [boot, other] of [[rc, lc], [lc, rc]] as const) {
            const hit = boot.find((c) => predNets.has(keyOf(c)));
            if (!hit || other.some((c) => predNets.has(keyOf(c)))) continue;
            if (reported.has(hit.node.id)) continue;
            if (underNoGrad(m, hit.node)) continue;
            const stop = (n: PyNode): boolean => isGraphDroppingOp(m, n);
            const flow = m.flow({ nodes: [hit.node] }, { barrier: stop });
            if (!flow.reaches(fit.node)) continue;
            const sink = findLossSink(m, m.flow({ nodes: [fit.node] }, { barrier: stop }));
            if (!sink && !/backward\s*\(/.test(m.textOf(m.statementOf(fit.node)))) continue;
            reported.add(hit.node.id);
            const net = m.textOf(field(hit.node, 'function') ?? hit.node);
            const same = alias.get(networkKey(m, hit)!);
            ctx.report({
              node: sum,
              message:
                `The target \`${ctx.text(target).slice(0, 80)}\` bootstraps from \`${ctx.text(hit.node).slice(0, 60)}\`, an output of \`${net}\`${same ? ` (bound to the same object as \`${same}\`)` : ''}, the network ` +
                `this regression trains (line ${ctx.lineOf(fit.node)}), with no cut: the backward pass also differentiates the target, so the update is ` +
                'not the semi-gradient TD/Q-learning step. Compute the target under `torch.no_grad()` (or from a target network) or `.detach()` it.',
              related: [
                { node: hit.node, message: 'the bootstrap value, with the gradient of the trained network' },
                { node: fit.node, message: 'the regression of the prediction onto the target' },
                ...(sink ? [{ node: sink.node, message: `the regression reaches ${sink.what}` }] : []),
              ],
            });
          }
        }
      }
    }
  },
};
