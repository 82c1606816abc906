/**
 * AGL109 softmax-over-one-unit: a softmax (or a loss that normalises with one: categorical cross-entropy) over an
 * axis of size 1. The normalised value is 1 whatever the input, so the output or loss is a constant and every
 * gradient through it is zero. The question to the analysis: is the width of the normalised axis, the number of
 * output units of the layer or model that produced the value (`Dense(1)`, `nn.Linear(n, 1)`, a Sequential ending in
 * one, a model class whose `forward` returns one), visibly 1?
 */
import { isKind, Kind, type ClassRef } from '../analysis';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo } from '../semantic';
import { denseUnits, modelOutputWidth } from '../tensorflow';
import { field, namedChildren, unparen, type PyNode } from '../tree';

interface Width {
  /** The layer that has one unit. */
  layer: PyNode;
}

/** Keras losses that normalise the prediction over its last axis (`categorical_crossentropy` divides by the sum). */
const KERAS_CATEGORICAL = /^(?:sparse_)?categorical_crossentropy$|^(?:Sparse)?CategoricalCrossentropy$/;
const TORCH_CROSS_ENTROPY = new Set(['torch.nn.functional.cross_entropy']);
const TORCH_SOFTMAX = new Set(['torch.softmax', 'torch.log_softmax', 'torch.nn.functional.softmax', 'torch.nn.functional.log_softmax', 'torch.special.softmax', 'torch.special.log_softmax']);
const TF_SOFTMAX = new Set(['tensorflow.nn.softmax', 'tensorflow.math.softmax', 'tensorflow.nn.log_softmax', 'tensorflow.math.log_softmax', 'tensorflow.keras.activations.softmax', 'tensorflow.keras.backend.softmax']);

/**
 * The one-unit layer `expr` is the output of, or null: a Keras model or layer of one unit (`modelOutputWidth`), a PyTorch
 * module whose last layer with a width is `Linear(n, 1)`, a model class whose `forward` (or Keras `call`) returns such an
 * output, a name bound once to one of these.
 */
function oneUnit(ctx: RuleContext, expr: PyNode, depth = 0, cls: ClassRef | null = null): Width | null {
  if (depth > 4) return null;
  const m = ctx.model;
  const n = unparen(expr);
  if (n.type === 'identifier') {
    if (!m.isUse(n)) return null;
    const reach = m.reachingBindings(n);
    if (reach.length !== 1 || reach[0].kind !== 'assign' || reach[0].path.length > 0 || !reach[0].value) return null;
    return oneUnit(ctx, reach[0].value, depth + 1, cls);
  }
  if (n.type !== 'call') return null;
  const fn = field(n, 'function');
  if (!fn) return null;
  const c = m.call(n);
  // A tensor method that keeps the last axis (`out.float()`, `model(x).cpu()`).
  if (c?.method && c.receiver && /^(?:float|double|cpu|cuda|to|contiguous|clone)$/.test(c.method)) return oneUnit(ctx, c.receiver, depth + 1, cls);
  // Keras: `model(x)`, `Dense(1)(h)`, a helper returning one.
  const keras = modelOutputWidth(m, unparen(fn).type === 'call' ? unparen(fn) : fn);
  if (keras) return keras.width === 1 ? { layer: keras.layer } : null;
  // `self.head(h)` in a model class's `forward`: the attribute its methods assign.
  const f = unparen(fn);
  const obj = f.type === 'attribute' ? field(f, 'object') : null;
  const attr = f.type === 'attribute' ? field(f, 'attribute') : null;
  const v = cls && obj && attr && m.textOf(obj) === 'self' ? cls.attrs.get(m.textOf(attr)) : ctx.analysis.valueOf(fn);
  if (!v) return null;
  // PyTorch: a module value whose output width is known (`nn.Linear(64, 1)`, a Sequential ending in one).
  if (v.mod && v.mod.outFeatures !== null && isKind(v, Kind.LIBINST)) return v.mod.outFeatures === 1 ? { layer: fn } : null;
  // A model class of the file: what its forward returns.
  if (isKind(v, Kind.INST) && v.classes && v.classes.length === 1) {
    const own = v.classes[0];
    const method = m.localMethod(own.node, 'forward') ?? m.localMethod(own.node, 'call');
    if (!method || method.returns.length === 0) return null;
    let found: Width | null = null;
    for (const r of method.returns) {
      const w = oneUnit(ctx, r, depth + 1, own);
      if (!w) return null;
      found = w;
    }
    return found;
  }
  return null;
}

/** `dim`/`axis` of a softmax call: -1 when absent for TensorFlow (its default), else the literal, else null. */
function softmaxAxis(ctx: RuleContext, c: CallInfo, tf: boolean, module = false): number | null {
  const a = c.keywords.get(tf ? 'axis' : 'dim') ?? (tf ? c.positional[1] : c.method || module ? c.positional[0] : c.positional[1]);
  if (!a) return tf ? -1 : null;
  const t = ctx.text(unparen(a)).replace(/\s+/g, '');
  return /^-?\d+$/.test(t) ? Number(t) : null;
}

/** `Dense(1, activation='softmax')` / `activation=tf.nn.softmax`: a one-unit layer whose output is always 1. */
function softmaxActivation(ctx: RuleContext, c: CallInfo): boolean {
  const act = c.keywords.get('activation') ?? c.positional[1];
  if (!act) return false;
  const a = unparen(act);
  if (a.type === 'string') return /^['"]softmax['"]$/.test(ctx.text(a));
  return TF_SOFTMAX.has(ctx.model.qualifiedName(a) ?? '');
}

/** The loss `compile(loss=...)` is given, when it is a Keras categorical cross-entropy: its text, else null. */
function kerasCategorical(ctx: RuleContext, lossNode: PyNode): string | null {
  const u = unparen(lossNode);
  if (u.type === 'string') {
    const s = ctx.text(u).slice(1, -1);
    return KERAS_CATEGORICAL.test(s) ? s : null;
  }
  const q = ctx.model.qualifiedName(u.type === 'call' ? (field(u, 'function') ?? u) : u) ?? '';
  if (!q.startsWith('tensorflow.keras.losses.') && !q.startsWith('keras.losses.')) return null;
  const name = q.slice(q.lastIndexOf('.') + 1);
  return KERAS_CATEGORICAL.test(name) ? name : null;
}

export const AGL109: Rule = {
  meta: {
    code: 'AGL109',
    name: 'softmax-over-one-unit',
    summary: 'A softmax or a categorical cross-entropy over an output of one unit (`Dense(1)`, `nn.Linear(n, 1)`): the normalised value is always 1, the loss a constant, and every gradient zero.',
    framework: 'any',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a normalisation over an axis of size 1: a Keras layer of one unit with `activation=\'softmax\'`; `Activation(\'softmax\')` ' +
        'right after `Dense(1)` in a `Sequential`; `compile(loss=\'categorical_crossentropy\')` (or `CategoricalCrossentropy()`, ' +
        'the sparse forms) of a model whose output layer is `Dense(1)`, and such a loss called on its output; `tf.nn.softmax` ' +
        'of a one-unit output; in PyTorch, `nn.CrossEntropyLoss` / `F.cross_entropy` of the output of `nn.Linear(n, 1)` (directly, ' +
        'a `Sequential` ending in one, or a model class whose `forward` returns one), `softmax(..., dim=-1)` of it, and `nn.Softmax(dim=-1)` right after ' +
        '`nn.Linear(n, 1)` in a `Sequential`.',
      whyIsThisBad:
        'A softmax divides each entry by the sum over the axis: over one entry the result is 1 for every input, and its ' +
        'derivative is 0. Keras\'s categorical cross-entropy first normalises the prediction over the last axis, so with one ' +
        'unit it computes `-y * log(1) = 0` and the gradients are all zeros ("I get a list of tensors of the expected shape but ' +
        'containing only zeros"; the answer: use `BinaryCrossentropy`); a one-unit softmax layer always outputs 1.0, so ' +
        'accuracy stays at the share of one class. PyTorch\'s `CrossEntropyLoss` log-softmaxes over the class axis: with one ' +
        'class the loss is 0 for target 0 and an index error for target 1. A binary problem wants one unit with a sigmoid and a ' +
        'binary cross-entropy, or two units with a softmax.',
      example: [
        '```python',
        'model = tf.keras.Sequential([',
        '    tf.keras.layers.Dense(16, activation="relu"),',
        '    tf.keras.layers.Dense(1, activation="sigmoid"),',
        '])',
        'model.compile(optimizer="adam", loss="categorical_crossentropy")   # the loss is always 0',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'model.compile(optimizer="adam", loss="binary_crossentropy")',
        '# or two units: Dense(2, activation="softmax") with categorical_crossentropy',
        '```',
        '',
        'In PyTorch: `nn.BCEWithLogitsLoss()(model(x).squeeze(1), y.float())` for one output unit, or `nn.Linear(n, 2)` with `CrossEntropyLoss`.',
      ].join('\n'),
      knownProblems:
        'The width must be visible in the file: a model built elsewhere, a layer width from a variable or a configuration is not ' +
        'known, and nothing is reported. A PyTorch softmax is reported only with `dim=-1`: a one-unit score per position ' +
        'normalised over the positions (`softmax(scores, dim=1)` of shape `(N, L, 1)`, attention pooling) is correct, and the ' +
        'rank of the output is rarely visible. Keras layers quoted without their imports (`Sequential()`, `Dense(1, ...)`) are ' +
        'resolved when the file names Keras or TensorFlow somewhere; a fragment that names no framework at all is not linted.',
      fixSafety: 'No fix is offered: one unit with a sigmoid and a binary loss, or two units with a softmax, change the model.',
      references: [
        'https://whosebug.com/question/5885893/Training-a-basic-TensorFlow-Model-using-the-GradientTape',
        'https://keras.io/api/losses/probabilistic_losses/#categoricalcrossentropy-class',
        'https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    const reported = new Set<number>();
    const report = (node: PyNode, layer: PyNode, message: string): void => {
      if (reported.has(node.id)) return;
      reported.add(node.id);
      ctx.report({ node, message, related: [{ node: layer, message: 'the layer of one unit' }] });
    };
    const constant = 'the normalised value is 1 for every input, so the loss is a constant and every gradient through it is zero (no error).';
    for (const c of m.calls) {
      const q = c.qname ?? '';
      // Keras: a one-unit layer with a softmax activation.
      if (denseUnits(m, c.node) === 1 && softmaxActivation(ctx, c)) {
        report(c.node, c.node, `\`${ctx.text(c.node)}\` applies a softmax to one unit: its output is 1.0 for every input and its gradient is zero, so nothing before it learns. Use \`activation="sigmoid"\` for one unit (with a binary cross-entropy), or give the layer one unit per class.`);
        continue;
      }
      // Keras: `Activation('softmax')` right after `Dense(1)` in a Sequential list.
      if ((q === 'tensorflow.keras.layers.Activation' || q === 'tensorflow.keras.layers.Softmax') && c.node.parent?.type === 'list') {
        const isSoftmax = q.endsWith('Softmax') || /^['"]softmax['"]$/.test(ctx.text(c.positional[0] ?? c.node));
        const items = namedChildren(c.node.parent);
        const prev = items[items.indexOf(c.node) - 1];
        if (isSoftmax && prev && denseUnits(m, prev) === 1) {
          report(c.node, prev, `\`${ctx.text(c.node)}\` follows a layer of one unit: the softmax of one value is 1.0 for every input and its gradient is zero. Use a sigmoid for one unit, or one unit per class.`);
          continue;
        }
      }
      // PyTorch: `nn.Softmax(dim=-1)` right after `nn.Linear(n, 1)` in a Sequential.
      if ((q === 'torch.nn.Softmax' || q === 'torch.nn.LogSoftmax') && c.node.parent?.type === 'argument_list') {
        const items = namedChildren(c.node.parent);
        const prev = items[items.indexOf(c.node) - 1];
        const prevValue = prev ? ctx.analysis.valueOf(prev) : undefined;
        if (softmaxAxis(ctx, c, false, true) === -1 && prev && prevValue?.mod?.outFeatures === 1) {
          report(c.node, prev, `\`${ctx.text(c.node)}\` follows \`${ctx.text(prev)}\`, a layer of one unit: the softmax of one value is 1 (0 for LogSoftmax) for every input and its gradient is zero. Use \`nn.Sigmoid()\` (or no activation with \`BCEWithLogitsLoss\`) for one unit, or one output per class.`);
          continue;
        }
      }
      // Keras: `model.compile(loss='categorical_crossentropy')` of a one-unit model.
      if (c.method === 'compile' && c.receiver) {
        const loss = c.keywords.get('loss');
        const name = loss ? kerasCategorical(ctx, loss) : null;
        const w = name ? oneUnit(ctx, c.receiver) ?? (modelOutputWidth(m, c.receiver)?.width === 1 ? { layer: modelOutputWidth(m, c.receiver)!.layer } : null) : null;
        if (loss && name && w) {
          report(loss, w.layer, `\`${name}\` normalises the prediction over its last axis, but \`${ctx.text(c.receiver)}\` has one output unit: ${constant} Use \`binary_crossentropy\` for one unit, or one unit per class with a softmax.`);
        }
        continue;
      }
      // A Keras categorical loss called on a one-unit output: `CategoricalCrossentropy()(y, model(x))`, `loss_fn(y, pred)`.
      const made = c.calleeCall ?? null;
      const callee = field(c.node, 'function');
      let lossName: string | null = null;
      if (made) lossName = kerasCategorical(ctx, made.node);
      else if (callee && unparen(callee).type === 'identifier' && m.isUse(unparen(callee))) {
        const reach = m.reachingBindings(unparen(callee));
        if (reach.length === 1 && reach[0].kind === 'assign' && reach[0].value && unparen(reach[0].value).type === 'call') lossName = kerasCategorical(ctx, reach[0].value);
      }
      if (!lossName && /^tensorflow\.keras\.(?:losses|metrics|backend)\.(?:sparse_)?categorical_crossentropy$/.test(q)) lossName = q.slice(q.lastIndexOf('.') + 1);
      if (lossName) {
        const pred = c.keywords.get('y_pred') ?? c.positional[1];
        const w = pred ? oneUnit(ctx, pred) : null;
        if (pred && w) report(pred, w.layer, `\`${lossName}\` normalises \`${ctx.text(pred)}\` over its last axis, which has one unit: ${constant} Use a binary cross-entropy for one unit, or one unit per class.`);
        continue;
      }
      // TensorFlow softmax of a one-unit output (its default axis is the last).
      if (TF_SOFTMAX.has(q) && c.positional[0]) {
        const axis = softmaxAxis(ctx, c, true);
        const w = axis === -1 ? oneUnit(ctx, c.positional[0]) : null;
        if (w) report(c.node, w.layer, `\`${ctx.text(field(c.node, 'function') ?? c.node)}\` normalises over the last axis of \`${ctx.text(c.positional[0])}\`, which has one unit: the result is 1 for every input and its gradient is zero. Use a sigmoid for one unit, or one unit per class.`);
        continue;
      }
      // PyTorch: cross-entropy of a one-class output.
      const torchCe = TORCH_CROSS_ENTROPY.has(q) || (made?.qname === 'torch.nn.CrossEntropyLoss') || (!made && callee && isCrossEntropyModule(ctx, callee));
      if (torchCe && c.positional[0]) {
        const w = oneUnit(ctx, c.positional[0]);
        if (w) report(c.positional[0], w.layer, `\`${ctx.text(c.positional[0])}\` has one output unit, and cross-entropy log-softmaxes over the class axis: with one class the log-probability is 0 for every input, so the loss is 0 (or an index error for a target of 1) and every gradient is zero. Use \`nn.BCEWithLogitsLoss\` on the one unit, or one output per class.`);
        continue;
      }
      // PyTorch softmax over the last axis of a one-unit output.
      if ((TORCH_SOFTMAX.has(q) || (c.method === 'softmax' || c.method === 'log_softmax') && !q) && (c.method ? c.receiver : c.positional[0])) {
        const x = (c.method && !q ? c.receiver : c.positional[0])!;
        const w = softmaxAxis(ctx, c, false) === -1 ? oneUnit(ctx, x) : null;
        if (w) report(c.node, w.layer, `\`${ctx.text(c.node).replace(/\s+/g, ' ').slice(0, 60)}\` normalises over the last axis of \`${ctx.text(x)}\`, which has one unit: the result is 1 (0 for log_softmax) for every input and its gradient is zero. Use \`torch.sigmoid\` for one unit, or one output per class.`);
      }
    }
  },
};

/** `criterion(out, y)` with `criterion = nn.CrossEntropyLoss()` (also `self.criterion`). */
function isCrossEntropyModule(ctx: RuleContext, callee: PyNode): boolean {
  const v = ctx.analysis.valueOf(callee);
  return !!v && isKind(v, Kind.LIBINST) && (v.lib ?? []).includes('torch.nn.CrossEntropyLoss');
}
