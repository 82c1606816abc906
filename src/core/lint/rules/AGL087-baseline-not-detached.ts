/**
 * AGL087 baseline-not-detached: a learned baseline's residual `R - V` (a critic's value `V` that the same code fits
 * to `R` with a regression loss: `mse_loss(V, R)`, `(R - V) ** 2`, `adv.pow(2)`) weights another differentiable term
 * (the log-probabilities of a policy-gradient loss) without a cut, and the product reaches a loss: the policy loss
 * back-propagates into the critic through `V`.
 *
 * Asked of the analysis: whether `V` carries a gradient (parameters, leaves, or an argument of an unknown caller) and
 * so does the other factor, a log-probability (made by `log_prob`/`log_softmax`/`log`, or so named); the data flow from the residual (stopped by `.detach()`, `.data`, `tf.stop_gradient`,
 * `jax.lax.stop_gradient`) to the product and from the product to a loss. The critic is recognised by structure
 * (it is regressed onto the value it is subtracted from), never by a name.
 */
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { findLossSink, isGraphDroppingOp } from '../torch';
import { field, nodesOfType, nodesOfTypes, unparen, type PyNode } from '../tree';
import { isKind, Kind, requiresGrad } from '../analysis/values';

/** Stop-gradient calls of the three frameworks, beside PyTorch's graph-dropping operations. */
const STOP_FUNCTIONS = new Set(['tensorflow.stop_gradient', 'jax.lax.stop_gradient', 'torch.Tensor.detach', 'torch.detach']);

/** Regression losses of two arguments (prediction and target, in either order). */
const PAIR_LOSS = /^(?:torch\.nn\.functional\.(?:mse_loss|smooth_l1_loss|l1_loss|huber_loss)|tensorflow\.(?:keras\.)?(?:losses|metrics)\.(?:mse|MSE|mean_squared_error|mae|MAE|mean_absolute_error|huber|Huber|MeanSquaredError)|optax\.(?:squared_error|huber_loss|l2_loss))$/;
const PAIR_LOSS_CLASS = /^(?:torch\.nn\.(?:MSELoss|SmoothL1Loss|L1Loss|HuberLoss)|tensorflow\.keras\.losses\.(?:MeanSquaredError|Huber|MeanAbsoluteError))$/;
/** Elementwise squares and magnitudes of one argument. */
const SQUARE_FUNCTIONS = /^(?:torch\.(?:square|abs)|tensorflow\.(?:square|abs|math\.square|math\.abs)|jax\.numpy\.(?:square|abs)|numpy\.(?:square|abs)|abs|optax\.(?:l2_loss|squared_error|huber_loss))$/;
const SQUARE_METHODS = new Set(['pow', 'square', 'abs']);

function isSub(n: PyNode | null, m: SemanticModel): boolean {
  if (!n || n.type !== 'binary_operator') return false;
  const op = field(n, 'operator');
  return !!op && m.textOf(op) === '-';
}

/** The two factors of a product: `a * b`, `torch.mul(a, b)`, `tf.multiply(a, b)`, `jnp.multiply(a, b)`. */
function factors(n: PyNode, m: SemanticModel): [PyNode, PyNode] | null {
  if (isMul(n, m)) {
    const a = field(n, 'left');
    const b = field(n, 'right');
    return a && b ? [a, b] : null;
  }
  if (n.type === 'call') {
    const c = m.call(n);
    if (c && /^(?:torch\.mul|tensorflow\.(?:math\.)?multiply|jax\.numpy\.multiply)$/.test(c.qname ?? '') && c.positional.length === 2) return [c.positional[0], c.positional[1]];
  }
  return null;
}

function isMul(n: PyNode, m: SemanticModel): boolean {
  if (n.type !== 'binary_operator') return false;
  const op = field(n, 'operator');
  return !!op && m.textOf(op) === '*';
}

/** Methods that change only a value's shape or type (`values.squeeze(-1)` is the critic's `values`). */
const SHAPE_METHODS = new Set(['squeeze', 'unsqueeze', 'view', 'reshape', 'flatten', 'float', 'double', 'view_as', 'reshape_as', 'to', 'type', 'type_as', 'contiguous', 'cuda', 'cpu']);
const SHAPE_FUNCTIONS = /^(?:torch\.(?:squeeze|flatten|reshape)|tensorflow\.(?:squeeze|reshape|cast)|jax\.numpy\.(?:squeeze|ravel|reshape))$/;

/** A key that is equal for two reads of the same value: the reaching bindings of a name, else the text. */
function keyOf(m: SemanticModel, n: PyNode): string {
  let u = unparen(n);
  for (let i = 0; i < 4 && u.type === 'call'; i++) {
    const c = m.call(u);
    if (c?.method && c.receiver && SHAPE_METHODS.has(c.method)) u = unparen(c.receiver);
    else if (c?.qname && SHAPE_FUNCTIONS.test(c.qname) && c.positional[0]) u = unparen(c.positional[0]);
    else break;
  }
  if (u.type === 'identifier' && m.isUse(u)) {
    const bs = m.reachingBindings(u);
    if (bs.length > 0) return 'b:' + bs.map((b) => b.target.id).sort((x, y) => x - y).join(',');
  }
  return 't:' + m.textOf(u).replace(/\s+/g, '');
}

/** The subtraction a residual expression is: the node itself, or the single binding of a name to one. */
function subtractionOf(m: SemanticModel, n: PyNode): PyNode | null {
  const u = unparen(n);
  if (isSub(u, m)) return u;
  if (u.type === 'identifier' && m.isUse(u)) {
    const bs = m.reachingBindings(u);
    if (bs.length === 1 && bs[0].value) {
      const v = unparen(bs[0].value);
      if (isSub(v, m)) return v;
    }
  }
  return null;
}

interface Fit {
  /** The fitted residual subtraction (when the regression squares one), or null. */
  sub: PyNode | null;
  /** The keys of the two sides (prediction and target, unordered). */
  keys: [string, string];
  node: PyNode;
}

const LOSS_ATTRIBUTES = new WeakMap<SemanticModel, Set<string>>();

/** The attributes the file assigns a regression-loss module to (`self.value_criterion = nn.SmoothL1Loss()`). */
function lossAttributes(m: SemanticModel): Set<string> {
  let out = LOSS_ATTRIBUTES.get(m);
  if (out) return out;
  out = new Set<string>();
  for (const c of m.calls) {
    const p = c.node.parent;
    if (!p || p.type !== 'assignment' || field(p, 'right') !== c.node) continue;
    const left = field(p, 'left');
    const f = field(c.node, 'function');
    if (left && left.type === 'attribute' && f && PAIR_LOSS_CLASS.test(m.qualifiedName(f) ?? '')) out.add(m.textOf(left));
  }
  LOSS_ATTRIBUTES.set(m, out);
  return out;
}

/** Regressions of one value onto another in function `fn`. */
/** The calls and the `**` operators of each function, found in one pass over the file (not one per function). */
function partsByFunction(m: SemanticModel): Map<FunctionInfo, { calls: CallInfo[]; powers: PyNode[] }> {
  const out = new Map<FunctionInfo, { calls: CallInfo[]; powers: PyNode[] }>();
  const partsOf = (fn: FunctionInfo): { calls: CallInfo[]; powers: PyNode[] } => {
    let p = out.get(fn);
    if (!p) out.set(fn, (p = { calls: [], powers: [] }));
    return p;
  };
  for (const c of m.calls) {
    const fn = m.enclosingFunction(c.node);
    if (fn) partsOf(fn).calls.push(c);
  }
  for (const n of nodesOfType(m.tree, 'binary_operator')) {
    const op = field(n, 'operator');
    if (!op || m.textOf(op) !== '**') continue;
    const fn = m.enclosingFunction(n);
    if (fn) partsOf(fn).powers.push(n);
  }
  return out;
}

function fitsIn(ctx: RuleContext, fn: FunctionInfo, parts: Map<FunctionInfo, { calls: CallInfo[]; powers: PyNode[] }>): Fit[] {
  const m = ctx.model;
  /** A loss module called by name (`self.value_criterion = nn.SmoothL1Loss()`; `self.value_criterion(v, r)`). */
  const lossInstance = (callee: PyNode | null): boolean => {
    if (!callee) return false;
    const v = ctx.analysis.values.get(callee.id);
    if (v && isKind(v, Kind.LIBINST) && v.lib.some((q) => PAIR_LOSS_CLASS.test(q))) return true;
    // An attribute set in a constructor the analysis did not run (`self.value_criterion = nn.SmoothL1Loss()`).
    if (callee.type !== 'attribute') return false;
    // `self.<attr> = nn.MSELoss()` sits in the same class (one unit for the re-lint by groups) as its calls.
    return lossAttributes(m).has(m.textOf(callee));
  };
  const out: Fit[] = [];
  const own = parts.get(fn) ?? { calls: [], powers: [] };
  const fromSub = (e: PyNode, at: PyNode): void => {
    const s = subtractionOf(m, e);
    if (!s) return;
    const l = field(s, 'left');
    const r = field(s, 'right');
    if (l && r) out.push({ sub: s, keys: [keyOf(m, l), keyOf(m, r)], node: at });
  };
  for (const c of own.calls) {
    const q = c.qname ?? '';
    const root = c.calleeCall ? (m.qualifiedName(field(c.calleeCall.node, 'function') ?? c.calleeCall.node) ?? '') : '';
    if (PAIR_LOSS.test(q) || PAIR_LOSS_CLASS.test(root) || (!c.qname && !c.calleeCall && lossInstance(field(c.node, 'function')))) {
      const [a, b] = c.positional;
      if (a && b) out.push({ sub: null, keys: [keyOf(m, a), keyOf(m, b)], node: c.node });
      else if (a) fromSub(a, c.node);
    } else if (SQUARE_FUNCTIONS.test(q) && c.positional[0]) {
      fromSub(c.positional[0], c.node);
    } else if (c.method && SQUARE_METHODS.has(c.method) && c.receiver) {
      const arg = c.positional[0];
      if (c.method !== 'pow' || (arg && /^2(?:\.0*)?$/.test(m.textOf(arg)))) fromSub(c.receiver, c.node);
    }
  }
  for (const n of own.powers) {
    const r = field(n, 'right');
    const l = field(n, 'left');
    if (r && /^2(?:\.0*)?$/.test(m.textOf(r)) && l) fromSub(l, n);
  }
  return out;
}

/** Whether a product is squared (or taken a magnitude of) in its own statement: a weighted error, not a weight. */
function insideSquare(m: SemanticModel, n: PyNode): boolean {
  for (let cur = n, p = n.parent; p && p.type !== 'expression_statement' && p.type !== 'block'; cur = p, p = p.parent) {
    if (p.type === 'binary_operator' && field(p, 'left') === cur) {
      const op = field(p, 'operator');
      if (op && m.textOf(op) === '**') return true;
    }
    if (p.type === 'call') {
      const c = m.call(p);
      if (!c) continue;
      if (c.method && SQUARE_METHODS.has(c.method) && c.receiver === cur) return true;
      if (SQUARE_FUNCTIONS.test(c.qname ?? '') || PAIR_LOSS.test(c.qname ?? '')) return true;
    }
    if (p.type === 'attribute' && field(p, 'object') === cur && p.parent?.type === 'call') {
      const c = m.call(p.parent);
      if (c?.method && SQUARE_METHODS.has(c.method)) return true;
    }
  }
  return false;
}

function carriesGrad(ctx: RuleContext, n: PyNode): boolean {
  const t = ctx.analysis.values.get(n.id)?.t ?? null;
  return !!t && (requiresGrad(t) || t.opaque) && t.recOff === null;
}

/** Calls whose result is a log-probability (or a log of probabilities): the policy term an advantage weights. */
const LOG_PROB_CALL = /^(?:log_prob|log_probs|log_softmax|logpdf|log_pdf|logpmf|log_pmf|log_likelihood|log)$/;
/** Names of log-probabilities handed in from elsewhere (an argument, a model's unpacked outputs). */
const LOG_PROB_NAME = /^(?:\w*_)?(?:log_?probs?|log_?ps?|log_?pis?|log_?likelihoods?|log_?probabilit(?:y|ies))$/i;

/**
 * Whether `n` is a log-probability: computed, within a few steps of names, indexing and reshaping, from a
 * `log_prob`/`log_softmax`/`log(...)` call, or named as one (`log_probs`, `logp`, `log_pi`: an argument or a model's
 * unpacked output, whose making is out of view). The policy-gradient term is the log-likelihood of the actions taken; a
 * residual that weights anything else (a loss prefactor, a one-hot target, an interpolation weight, a network's
 * output in a boundary-condition blend) is an ordinary weighted error, not an advantage.
 */
function isLogProbability(ctx: RuleContext, n: PyNode): boolean {
  const m = ctx.model;
  let found = false;
  m.traceBack(n, (x, path) => {
    if (found || path.length > 4) return false;
    if (x.type === 'identifier' && LOG_PROB_NAME.test(ctx.text(x))) found = true;
    else if (x.type === 'call') {
      const c = m.call(x);
      const fn = field(x, 'function');
      const name = c?.method ?? (fn?.type === 'attribute' ? ctx.text(field(fn, 'attribute') ?? fn) : fn ? ctx.text(fn) : '');
      if (LOG_PROB_CALL.test(name)) found = true;
    }
    return !found;
  });
  return found;
}

export const AGL087: Rule = {
  meta: {
    code: 'AGL087',
    name: 'baseline-not-detached',
    summary: 'A learned baseline (critic value) weights the policy-gradient term without detach: the policy loss trains the critic.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a product `X * (R - V)` that reaches a loss, where `V` is a value the same function regresses onto `R` ' +
        '(`mse_loss(V, R)`, `smooth_l1_loss`, `(R - V) ** 2`, `adv.pow(2)`, `tf.square(adv)`, `jnp.square(adv)`: a critic ' +
        'or learned baseline), `V` carries a gradient, and the other factor `X` is a log-probability with a gradient of its ' +
        'own: computed, a few steps back, by `log_prob`, `log_softmax`, `logpdf` or `log(...)`, or named as one (`log_probs`, ' +
        '`logp`, `log_pi`) when it comes from an argument or a model\'s unpacked outputs. A residual weighting anything else ' +
        '(a loss prefactor, a one-hot target, an interpolation weight) is a weighted error, not an advantage. The residual may be bound to a name, normalised or ' +
        'indexed in between; a `.detach()`, `.data`, `tf.stop_gradient` or `jax.lax.stop_gradient` on the way stops it.',
      whyIsThisBad:
        'In REINFORCE with a baseline, A2C or actor-critic, the advantage `R - V` is a weight: the policy gradient is ' +
        '`E[(R - V) * grad log pi]`, and the critic is trained by its own regression loss only. Without a cut the ' +
        'policy loss also back-propagates into the critic through `V`: the critic is pushed to change `V` so as to ' +
        'scale the log-probabilities, which fights its value loss and makes training unstable (encode-attend-navigate ' +
        'issue 2: "the critic network was backpropagated from both the policy loss and critic loss").',
      example: [
        '```python',
        'logits, values = model(obs)',
        'log_probs = Categorical(logits=logits).log_prob(actions)',
        'advantage = returns - values',
        'policy_loss = -(log_probs * advantage).mean()   # trains the critic too',
        'value_loss = advantage.pow(2).mean()',
        '(policy_loss + 0.5 * value_loss).backward()',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'advantage = returns - values',
        'policy_loss = -(log_probs * advantage.detach()).mean()   # tf.stop_gradient / jax.lax.stop_gradient',
        'value_loss = advantage.pow(2).mean()',
        '```',
      ].join('\n'),
      knownProblems:
        'The critic is recognised only when the same function regresses it onto the value it is subtracted from; a ' +
        'critic trained in another function, or by a loss the analysis does not know as a regression, is not seen. ' +
        'Whether `V` and the other factor carry a gradient is what the analysis sees: an argument of an unknown caller ' +
        'counts as carrying one (its regression loss would train nothing otherwise).',
      fixSafety: 'No fix: where to cut (the advantage, the value, or a copy computed under `no_grad`) is for the author.',
      references: [
        '[encode-attend-navigate-pytorch issue 2: critic not detached from policy loss](https://github.com/astariul/encode-attend-navigate-pytorch/issues/2)',
        '[Sutton & Barto, REINFORCE with baseline (13.4)](http://incompleteideas.net/book/RLbook2020.pdf)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    const fitsByFn = new Map<FunctionInfo, Fit[]>();
    const reported = new Set<number>();
    let muls: { p: PyNode; a: PyNode; b: PyNode }[] | null = null;
    let parts: Map<FunctionInfo, { calls: CallInfo[]; powers: PyNode[] }> | null = null;
    for (const s of nodesOfType(ctx.tree, 'binary_operator')) {
      if (!isSub(s, m)) continue;
      const fn = m.enclosingFunction(s);
      if (!fn) continue;
      let fits = fitsByFn.get(fn);
      if (!fits) fitsByFn.set(fn, (fits = fitsIn(ctx, fn, (parts ??= partsByFunction(m)))));
      if (fits.length === 0) continue;
      const l = field(s, 'left');
      const r = field(s, 'right');
      if (!l || !r) continue;
      const kl = keyOf(m, l);
      const kr = keyOf(m, r);
      const fit = fits.find((f) => f.sub === s || (f.keys.includes(kl) && f.keys.includes(kr) && kl !== kr));
      if (!fit) continue;
      // The fitted value: the side that carries a gradient (the right one when both do: `R - V`).
      const v = carriesGrad(ctx, r) ? r : carriesGrad(ctx, l) ? l : null;
      if (!v) continue;
      // The flow stops at cuts and at the regressions themselves (a squared error weighted by a coefficient is the
      // value loss, not a policy term).
      const fitNodes = new Set(fits.map((f) => f.node.id));
      const stop = (n: PyNode): boolean => {
        if (fitNodes.has(n.id) || isGraphDroppingOp(m, n)) return true;
        if (n.type !== 'call') return false;
        const c = m.call(n);
        return !!c && (STOP_FUNCTIONS.has(c.qname ?? '') || c.method === 'stop_gradient');
      };
      const flow = m.flow({ nodes: [s] }, { barrier: stop });
      // The file's products and their factors, once.
      if (!muls) {
        muls = [];
        for (const n of nodesOfTypes(ctx.tree, 'binary_operator', 'call')) {
          const f = factors(n, m);
          if (f) muls.push({ p: n, a: f[0], b: f[1] });
        }
      }
      for (const { p, a, b } of muls) {
        if (reported.has(p.id)) continue;
        const ra = flow.reaches(a) !== null;
        const rb = flow.reaches(b) !== null;
        if (ra === rb) continue;
        const other = ra ? b : a;
        const weight = ra ? a : b;
        // The product is the fit itself or a piece of it (`(R - V) * (R - V)`, a squared error weighted by a mask).
        if (fit.node.start <= p.start && p.end <= fit.node.end) continue;
        if (fits.some((f) => f.node.start <= p.start && p.end <= f.node.end)) continue;
        if (!carriesGrad(ctx, other)) continue;
        if (insideSquare(m, p)) continue;
        if (!isLogProbability(ctx, other)) continue;
        // Products whose other factor is the value itself or made from the residual's sides.
        const ko = keyOf(m, other);
        if (ko === kl || ko === kr) continue;
        const pFlow = m.flow({ nodes: [p] }, { barrier: stop });
        const sink = findLossSink(m, pFlow);
        if (!sink) continue;
        reported.add(p.id);
        ctx.report({
          node: p,
          message:
            `\`${ctx.text(weight)}\` carries the gradient of \`${ctx.text(v)}\`, which this code regresses onto \`${ctx.text(v === r ? l : r)}\` ` +
            `(line ${ctx.lineOf(fit.node)}): used as the weight of \`${ctx.text(other)}\` without a cut, the policy loss also trains the ` +
            `critic through \`${ctx.text(v)}\`. Detach the baseline here (\`.detach()\`, \`tf.stop_gradient\`, \`jax.lax.stop_gradient\`).`,
          related: [
            { node: s, message: 'the residual, with the value\'s gradient' },
            { node: fit.node, message: 'the value is fitted here (a critic or learned baseline)' },
            { node: sink.node, message: `the product reaches ${sink.what}` },
          ],
        });
      }
    }
  },
};
