/**
 * AGL078 broadcast-couples-samples: an elementwise operation between a column `(N, 1)` — a model's prediction, a
 * derivative, or anything computed from them — and a vector `(N,)` of the same N samples. Broadcasting aligns the
 * trailing axes, so the result is an `(N, N)` matrix that pairs every sample's column entry with every other
 * sample's vector entry: a residual or a loss built from it is not per sample, and it trains the wrong objective
 * without any error.
 *
 * Asked of the analysis (shapes, `Dims`): the operands' visible shapes, whether the column side is computed from
 * parameters or is a derivative, and whether the two hold the same samples — the vector is the very data whose
 * column view (`x.reshape(-1, 1)`, `x[:, None]`, `x.unsqueeze(1)`, `tf.expand_dims(x, -1)`) the column was computed
 * from, or both sizes are visible and equal.
 */
import type { AV } from '../analysis/values';
import type { Rule, RuleContext } from '../rule';
import type { Binding } from '../semantic';
import { field, nodesOfTypes, unparen, walk, type PyNode } from '../tree';

const ELEMENTWISE = new Set(['+', '-', '*', '/']);
/** PyTorch's elementwise regression losses: they broadcast input against target (with a UserWarning only). */
const TORCH_POINTWISE_LOSS_FUNCTIONS = /^torch\.nn\.functional\.(?:mse_loss|l1_loss|smooth_l1_loss|huber_loss)$/;
const TORCH_POINTWISE_LOSS_CLASSES = /^torch\.nn\.(?:modules\.loss\.)?(?:MSELoss|L1Loss|SmoothL1Loss|HuberLoss)$/;

/** `(N, 1)` with N not visibly 1. */
function isColumn(v: AV | undefined): boolean {
  const d = v?.t?.dims;
  return !!d && d.length === 2 && d[1] === 1 && d[0] !== 1 && d[0] !== 0;
}

/** `(N,)` with N not visibly 1. */
function isVector(v: AV | undefined): boolean {
  const d = v?.t?.dims;
  return !!d && d.length === 1 && d[0] !== 1 && d[0] !== 0;
}

/** A prediction or a derivative: computed from parameters or a differentiated leaf, or a derivative's result. */
function isTrained(v: AV | undefined): boolean {
  const t = v?.t;
  return !!t && (t.params.length > 0 || t.leaves.length > 0 || t.leafOf !== null || t.order >= 1 || t.dGraph.length > 0);
}

/** What a column view is of: the bindings of a name, or the text of an attribute (`self.x`). */
interface ColumnBases {
  bindings: Set<Binding>;
  attributes: Set<string>;
  /** The first column view made of each base, for the message. */
  site: Map<Binding | string, PyNode>;
}

/**
 * The column views of the file: calls and subscripts whose value is `(N, 1)` made from a vector operand (the receiver
 * of `x.reshape(-1, 1)` / `x.view(-1, 1)` / `x.unsqueeze(1)`, the first argument of `torch.unsqueeze(x, 1)` /
 * `tf.expand_dims(x, -1)` / `np.reshape(x, (-1, 1))`, the value of `x[:, None]`).
 */
function columnBases(ctx: RuleContext): ColumnBases {
  const m = ctx.model;
  const a = ctx.analysis;
  const out: ColumnBases = { bindings: new Set(), attributes: new Set(), site: new Map() };
  const note = (view: PyNode, base: PyNode | null | undefined): void => {
    if (!base) return;
    const b = unparen(base);
    if (!isVector(a.valueOf(b)) || !isColumn(a.valueOf(view))) return;
    if (b.type === 'identifier' && m.isUse(b)) {
      for (const binding of m.reachingBindings(b)) {
        out.bindings.add(binding);
        if (!out.site.has(binding)) out.site.set(binding, view);
      }
    } else if (b.type === 'attribute') {
      const t = ctx.text(b);
      out.attributes.add(t);
      if (!out.site.has(t)) out.site.set(t, view);
    }
  };
  for (const c of m.calls) {
    if (c.method && c.receiver && /^(?:view|reshape|unsqueeze|expand_dims)$/.test(c.method)) note(c.node, c.receiver);
    else if (c.qname && /\.(?:reshape|unsqueeze|expand_dims|atleast_2d)$/.test(c.qname)) note(c.node, c.positional[0]);
  }
  const walk = (n: PyNode): void => {
    if (n.type === 'subscript') note(n, field(n, 'value'));
    for (const ch of n.children) walk(ch);
  };
  walk(ctx.tree.root);
  return out;
}

/** The column view the vector `n` (a name or an attribute) was made into, if any. */
function directViewOf(ctx: RuleContext, bases: ColumnBases, n: PyNode): PyNode | null {
  const u = unparen(n);
  if (u.type === 'identifier' && ctx.model.isUse(u)) {
    for (const b of ctx.model.reachingBindings(u)) if (bases.bindings.has(b)) return bases.site.get(b) ?? null;
  } else if (u.type === 'attribute' && bases.attributes.has(ctx.text(u))) return bases.site.get(ctx.text(u)) ?? null;
  return null;
}

/**
 * The column view of the samples the vector operand `n` holds: `n` itself is a vector whose column view is in the
 * file, or an expression whose only vector operands are such vectors (`torch.sin(np.pi * x)`, `2 * x + 1`: entry for
 * entry a function of the same samples).
 */
function viewOf(ctx: RuleContext, bases: ColumnBases, n: PyNode): PyNode | null {
  const direct = directViewOf(ctx, bases, n);
  if (direct) return direct;
  const u = unparen(n);
  if (u.type !== 'call' && u.type !== 'binary_operator' && u.type !== 'unary_operator') return null;
  let view: PyNode | null = null;
  let other = false;
  walk(u, (x) => {
    if (other) return false;
    // The function called is not an operand (`torch.sin`); its arguments are.
    if (x.parent?.type === 'call' && field(x.parent, 'function') === x) return false;
    if (x.type !== 'identifier' && x.type !== 'attribute') return undefined;
    const v = ctx.analysis.valueOf(x);
    if (!isVector(v)) return x.type === 'attribute' ? false : undefined;
    const d = directViewOf(ctx, bases, x);
    if (d) view ??= d;
    else other = true;
    return false;
  });
  return other ? null : view;
}

function shapeText(v: AV | undefined): string {
  const d = v?.t?.dims;
  return d ? `(${d.map((x) => (x === null ? 'N' : String(x))).join(', ')}${d.length === 1 ? ',' : ''})` : '?';
}

export const AGL078: Rule = {
  meta: {
    code: 'AGL078',
    name: 'broadcast-couples-samples',
    summary: 'An `(N, 1)` prediction or derivative combined with an `(N,)` vector of the same samples: broadcasting makes an `(N, N)` matrix that pairs every sample with every other.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds an elementwise `+`, `-`, `*` or `/` between a column of shape `(N, 1)` computed from a model\'s parameters or ' +
        'from a derivative (a network\'s output with one output unit, `torch.autograd.grad(u, x)` or `tape.gradient(y, x)` ' +
        'of a column input, anything computed from them) and a vector of shape `(N,)` holding the same samples: the vector is ' +
        'the data whose column view (`x.reshape(-1, 1)`, `x.view(-1, 1)`, `x[:, None]`, `x.unsqueeze(1)`, `tf.expand_dims(x, -1)`, ' +
        'also through `tf.constant(...)`, `torch.tensor(...)` or `requires_grad_()`) was fed to the model or differentiated, or an ' +
        'expression whose only vectors are such data (a forcing term `torch.sin(np.pi * x)`), or both ' +
        'sizes are visible and equal (`torch.linspace(0, 1, 100)` against a `(100, 1)` prediction). Also the two arguments of PyTorch\'s ' +
        'elementwise regression losses (`F.mse_loss`, `F.l1_loss`, `F.smooth_l1_loss`, `F.huber_loss` and their `nn` classes), which ' +
        'broadcast input against target with only a UserWarning.',
      whyIsThisBad:
        'Broadcasting aligns trailing axes: `(N, 1)` with `(N,)` gives `(N, N)`, entry `[i, j]` combining sample i\'s ' +
        'prediction or derivative with sample j\'s input or target. Nothing fails: a PINN residual `dy_dx - x * (5 * y + 4)` ' +
        'or a regression loss `((pred - y) ** 2).mean()` is computed over all N² pairs, so the network is trained to fit an ' +
        'average over the other samples instead of each point, and its derivative enters the loss N times with every other ' +
        'point\'s data. PyTorch warns about this only inside `F.mse_loss`; written by hand, it is silent.',
      example: [
        '```python',
        't = torch.linspace(0, 1, 100)',
        'T = t.view(-1, 1).requires_grad_(True)',
        'u = net(T)                                   # (100, 1)',
        'du = torch.autograd.grad(u, T, torch.ones_like(u), create_graph=True)[0]',
        'residual = du - t * u                        # (100, 100)',
        '```',
      ].join('\n'),
      useInstead: ['```python', 'residual = du - T * u                        # (100, 1): each point with its own t', '```'].join('\n'),
      knownProblems:
        'Shapes must be visible to the analysis: a network\'s output size is known from its last layer (`nn.Linear(h, 1)`, ' +
        '`Dense(1)`), a vector from a factory or a slice. Two values that hold the same samples are recognised only when the ' +
        'vector is the very name (or attribute) whose column view is in the file, or when both sizes are visible and equal; ' +
        'a vector and a column loaded separately from one table (`df["x"]` and `df[["y"]]`) are not connected. An intended ' +
        'outer combination written this way (rare: pairwise terms are usually written with explicit `[:, None]` and `[None, :]`) ' +
        'needs `# noqa: AGL078`.',
      fixSafety: 'No automatic fix: whether to use the column form of the vector or flatten the column depends on the shapes the rest of the code expects.',
      references: [
        '[PyTorch: broadcasting semantics](https://pytorch.org/docs/stable/notes/broadcasting.html)',
        '[NumPy: broadcasting](https://numpy.org/doc/stable/user/basics.broadcasting.html)',
      ],
    },
  },

  check(ctx) {
    const a = ctx.analysis;
    let bases: ColumnBases | null = null;
    const check = (n: PyNode): void => {
      let l: PyNode | null;
      let r: PyNode | null;
      if (n.type === 'binary_operator') {
        const op = n.children.find((c) => c.field === 'operator');
        if (!op || !ELEMENTWISE.has(ctx.text(op))) return;
        l = field(n, 'left');
        r = field(n, 'right');
      } else {
        // `F.mse_loss(pred, target)`, `nn.MSELoss()(pred, target)`: the loss broadcasts its two arguments (PyTorch
        // only warns).
        const c = ctx.model.call(n);
        if (!c || c.positional.length < 2) return;
        const fn = field(n, 'function');
        const callee = fn ? a.valueOf(fn) : undefined;
        const isLoss = (c.qname !== null && TORCH_POINTWISE_LOSS_FUNCTIONS.test(c.qname)) || (!!callee && callee.lib.some((q) => TORCH_POINTWISE_LOSS_CLASSES.test(q)));
        if (!isLoss) return;
        l = c.positional[0];
        r = c.positional[1];
      }
      if (!l || !r) return;
      const lv = a.valueOf(l);
      const rv = a.valueOf(r);
      const [col, colV, vec, vecV] = isColumn(lv) && isVector(rv) ? [l, lv, r, rv] : isColumn(rv) && isVector(lv) ? [r, rv, l, lv] : [null, null, null, null];
      if (!col || !vec) return;
      const n0 = colV!.t!.dims![0];
      const m0 = vecV!.t!.dims![0];
      // Same samples: both sizes visible and equal, with either side trained; or the vector is the data of the column's input.
      const sameSize = typeof n0 === 'number' && n0 === m0 && (isTrained(colV) || isTrained(vecV));
      let view: PyNode | null = null;
      if (isTrained(colV)) {
        bases ??= columnBases(ctx);
        view = viewOf(ctx, bases, vec);
      }
      if (!sameSize && !view) return;
      const vecText = ctx.text(vec).replace(/\s+/g, ' ');
      const colText = ctx.text(col).replace(/\s+/g, ' ');
      const what = isTrained(colV) ? (colV!.t!.order >= 1 || colV!.t!.dGraph.length > 0 ? 'a derivative' : 'a prediction') : 'a column';
      ctx.report({
        node: n,
        message:
          `\`${ctx.text(n).replace(/\s+/g, ' ')}\` combines \`${colText}\`, ${what} of shape ${shapeText(colV)}, with \`${vecText}\` of shape ` +
          `${shapeText(vecV)}${view ? `, the same samples (its column view is \`${ctx.text(view).replace(/\s+/g, ' ')}\`, line ${ctx.lineOf(view)})` : ''}: broadcasting ` +
          `gives a matrix of shape ${typeof (n0 ?? m0) === 'number' ? `(${n0 ?? m0}, ${n0 ?? m0})` : '(N, N)'} that pairs every sample with every other, so what is built from it is not per sample. ` +
          `Use the column form of \`${vecText}\`${view ? ` (\`${ctx.text(view).replace(/\s+/g, ' ')}\`)` : ' (`[:, None]`)'} or flatten the column (\`[:, 0]\`).`,
        ...(view ? { related: [{ node: view, message: 'column view of the same samples' }] } : {}),
      });
    };
    // In pre-order: the order a walk from the root visits them in.
    for (const n of nodesOfTypes(ctx.tree, 'binary_operator', 'call')) check(n);
  },
};
