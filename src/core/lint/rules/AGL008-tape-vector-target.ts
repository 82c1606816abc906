/**
 * AGL008 tape-vector-target: `tape.gradient` of the output of a model with several output columns
 * (the gradient sums over the columns, so it is not a Jacobian), and `model.predict(...)` / `.numpy()`
 * inside a tape on the way to the differentiated target (NumPy cuts the tape: the gradient is None).
 * Checked against TensorFlow's documentation, not run.
 */
import { analyse, isKind, Kind, type AV, type DerivativeEvent } from '../analysis';
import { tensorOfValue } from '../analysis/library';
import { withAnalysisPass, type Rule, type RuleContext } from '../rule';
import type { CallInfo, SemanticModel } from '../semantic';
import { findTapes, inside, modelOutputWidth, type OutputWidth, type Tape } from '../tensorflow';
import { field, namedChildren, unparen, type PyNode } from '../tree';
import type { Fix } from '../types';

const GRAPH_CUTS = new Set(['predict', 'predict_on_batch', 'numpy']);
const WEIGHT_LISTS = new Set(['trainable_variables', 'trainable_weights', 'variables', 'weights']);
const FUNCTION_TYPES = new Set(['function_definition', 'lambda', 'class_definition']);


function enclosingScopeNode(node: PyNode): PyNode | null {
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return null;
}

function targetOf(use: CallInfo): PyNode | null {
  return use.keywords.get('target') ?? use.positional[0] ?? null;
}

function sourcesOf(use: CallInfo): PyNode[] {
  const s = use.keywords.get('sources') ?? use.positional[1];
  if (!s) return [];
  const n = unparen(s);
  return n.type === 'list' || n.type === 'tuple' ? namedChildren(n) : [n];
}

/** The model call whose output the target is, unchanged (through plain assignments): `y = model(x)`. */
function modelCallOf(ctx: RuleContext, target: PyNode): { call: CallInfo; width: OutputWidth } | null {
  const m = ctx.model;
  let n = unparen(target);
  for (let depth = 0; depth < 4 && n.type === 'identifier'; depth++) {
    if (!m.isUse(n)) return null;
    const reach = m.reachingBindings(n);
    if (reach.length !== 1) return null;
    const b = reach[0];
    if ((b.kind !== 'assign' && b.kind !== 'walrus') || b.path.length > 0 || !b.value) return null;
    n = unparen(b.value);
  }
  if (n.type !== 'call') return null;
  const c = m.call(n);
  const fn = field(n, 'function');
  if (!c || !fn || c.method !== null || c.positional.length === 0) return null;
  const width = modelOutputWidth(m, fn);
  return width && width.width >= 2 ? { call: c, width } : null;
}

function predictFix(ctx: RuleContext, c: CallInfo): Fix | null {
  if (!c.receiver || c.hasStarArgs || c.hasKwargs || c.positional.length !== 1) return null;
  if (c.method === 'numpy') return null;
  const recv = ctx.text(c.receiver);
  return {
    title: `Call the model directly: \`${recv}(${ctx.text(c.positional[0])})\` (unsafe: layers such as Dropout and BatchNorm may need \`training=False\`, and predict's batching and keyword arguments are dropped)`,
    safe: false,
    edits: [ctx.replace(c.node, `${recv}(${ctx.text(c.positional[0])})`)],
  };
}

const KERAS_PREDICT_KEYWORDS = new Set(['x', 'batch_size', 'verbose', 'steps', 'callbacks', 'max_queue_size', 'workers', 'use_multiprocessing']);

/** Whether the arguments fit Keras' `Model.predict` (a second positional argument is a batch size). */
function kerasPredictCall(m: SemanticModel, c: CallInfo): boolean {
  if (c.positional.length > 2) return false;
  const second = c.positional[1];
  if (second) {
    const s = unparen(second);
    if (s.type !== 'integer' && !/batch/i.test(m.textOf(s))) return false;
  }
  return [...c.keywords.keys()].every((k) => KERAS_PREDICT_KEYWORDS.has(k));
}

/** Whether the value of `recv` is an instance of a class defined here that has the method itself. */
function isLocalInstanceWith(m: SemanticModel, recv: PyNode, method: string): boolean {
  const v = analyse(m).valueOf(recv);
  return !!v && isKind(v, Kind.INST) && v.classes.some((cls) => cls.methods.has(method));
}

/**
 * Whether `expr`'s value derives from `pred(node)` for some node it is computed from (backward, cheap).
 * With `valuesOnly`, an index (`pred[0][k]`'s `k`) is not followed: it picks which entries the derivative
 * flows through but is not differentiated itself, so a class index chosen with NumPy does not cut the graph.
 */
function derivesFrom(m: SemanticModel, expr: PyNode, pred: (n: PyNode) => boolean, stopAt: ReadonlySet<string> = new Set(), valuesOnly = false): PyNode | null {
  let found: PyNode | null = null;
  m.traceBack(expr, (n) => {
    if (found) return false;
    if (valuesOnly && n.field === 'subscript' && n.parent?.type === 'subscript') return false;
    // What the differentiated sources were made from is not on the way to the target: the tape starts there.
    if (n.type === 'identifier' && stopAt.has(m.textOf(n))) return false;
    if (pred(n)) found = n;
    return found === null;
  });
  return found;
}

/** A NumPy-returning call inside a tape whose result reaches the target of one of the tape's uses. */
export interface TapeCut {
  /** `.numpy()`, `model.predict(...)`, `model.predict_on_batch(...)`. */
  cut: CallInfo;
  tape: Tape;
  /** The `gradient`/`jacobian`/`batch_jacobian` call whose target the cut reaches. */
  use: CallInfo;
  target: PyNode;
}

const tapeCutCache = new WeakMap<SemanticModel, TapeCut[]>();

/**
 * The graph cuts AGL008 reports, each once (cached per model). AGL002 leaves these to AGL008, so that
 * one mistake gets one diagnostic.
 */
export function tapeCuts(m: SemanticModel): TapeCut[] {
  const hit = tapeCutCache.get(m);
  if (hit) return hit;
  const out: TapeCut[] = [];
  // The calls that can cut a tape's graph, once per file (not every call for every tape).
  const cutCalls = m.calls.filter((c) => c.method && GRAPH_CUTS.has(c.method) && c.receiver);
  for (const t of findTapes(m)) {
    if (t.uses.length === 0) continue;
    const home = enclosingScopeNode(t.with.node);
    const cuts = new Map<number, CallInfo>();
    for (const c of cutCalls) {
      if (!c.method || !c.receiver) continue;
      if (!inside(t.with.body, c.node) || enclosingScopeNode(c.node) !== home) continue;
      if (c.method === 'numpy' && c.positional.length > 0) continue; // not a tensor's .numpy()
      // `M().predict(x)` of a class of this file: its own method (it may compute with TensorFlow ops).
      if (c.method !== 'numpy' && isLocalInstanceWith(m, c.receiver, c.method)) continue;
      // Keras' `predict(x, batch_size=None, verbose=..., steps=..., callbacks=...)`: a call with other arguments is
      // another API's `predict` (the TF Object Detection API's `model.predict(images, true_image_shapes)` returns tensors).
      if (c.method !== 'numpy' && !kerasPredictCall(m, c)) continue;
      cuts.set(c.node.id, c);
    }
    if (cuts.size === 0) continue;
    const reported = new Set<CallInfo>();
    for (const use of t.uses) {
      const target = targetOf(use);
      if (!target) continue;
      const sources = new Set(sourcesOf(use).filter((n) => n.type === 'identifier').map((n) => m.textOf(n)));
      const hit = derivesFrom(m, target, (n) => n.type === 'call' && cuts.has(n.id) && !reported.has(cuts.get(n.id)!), sources, true);
      if (!hit) continue;
      const c = cuts.get(hit.id)!;
      reported.add(c);
      out.push({ cut: c, tape: t, use, target });
    }
  }
  tapeCutCache.set(m, out);
  return out;
}

function reportGraphCut(ctx: RuleContext, { cut: c, tape: t, use, target }: TapeCut): void {
  const what = c.method === 'numpy' ? '`.numpy()`' : `\`${ctx.text(c.receiver!)}.${c.method}(...)\``;
  const fix = predictFix(ctx, c);
  ctx.report({
    node: c.node,
    message:
      `${what} returns a NumPy array, which the tape \`${t.name}\` cannot record: \`${t.name}.${use.method}(${ctx.text(target)}, ...)\` ` +
      `on line ${ctx.lineOf(use.node)} gets None. ` +
      (c.method === 'numpy'
        ? 'Keep the value a tensor inside the tape (drop `.numpy()`).'
        : `Call the model directly inside the tape: \`${ctx.text(c.receiver!)}(x)\`${c.method === 'predict' ? ' (pass `training=False` if it has Dropout or BatchNorm)' : ''}.`),
    related: [{ node: use.node, message: 'the derivative that comes back None' }],
    fixes: fix ? [fix] : [],
  });
}

function checkVectorTargets(ctx: RuleContext, t: Tape): void {
  const m = ctx.model;
  for (const use of t.uses) {
    if (use.method !== 'gradient') continue;
    if (use.keywords.has('output_gradients') || use.positional.length > 2) continue; // a deliberate vector-Jacobian product
    const target = targetOf(use);
    if (!target) continue;
    const sources = sourcesOf(use);
    if (sources.length === 0) continue;
    if (sources.some((s) => s.type === 'attribute' && WEIGHT_LISTS.has(ctx.text(field(s, 'attribute') ?? s)))) continue;
    const mc = modelCallOf(ctx, target);
    if (!mc) continue;
    // The model must be fed from the source (otherwise this is not an input derivative).
    const srcBindings = sources.flatMap((s) => (s.type === 'identifier' && m.isUse(s) ? m.reachingBindings(s) : []));
    if (srcBindings.length === 0) continue;
    const fed = (n: PyNode): boolean => n.type === 'identifier' && m.isUse(n) && m.reachingBindings(n).some((b) => srcBindings.includes(b));
    if (!mc.call.positional.some((a) => derivesFrom(m, a, fed))) continue;
    const tt = ctx.text(target);
    const ss = ctx.text(use.keywords.get('sources') ?? use.positional[1]!);
    const receiver = use.receiver ? ctx.text(use.receiver) : t.name;
    const fnNode = field(use.node, 'function');
    const attr = fnNode ? field(fnNode, 'attribute') : null;
    const fixes: Fix[] = attr
      ? [{
          title: `Use \`${receiver}.batch_jacobian(${tt}, ${ss})\` (per-sample Jacobian, shape (batch, ${mc.width.width}, inputs); unsafe: the result's shape changes)`,
          safe: false,
          edits: [ctx.replace(attr, 'batch_jacobian')],
        }]
      : [];
    ctx.report({
      node: use.node,
      message:
        `\`${tt}\` has ${mc.width.width} output columns (\`${ctx.text(mc.width.layer)}\`, line ${ctx.lineOf(mc.width.layer)}), and ` +
        `\`${receiver}.gradient\` sums over them: the result is the derivative of the column sum, not of each output. ` +
        `For per-output derivatives use \`${receiver}.batch_jacobian(${tt}, ${ss})\` (per sample) or \`${receiver}.jacobian\`, ` +
        'or differentiate one column at a time.',
      related: [
        { node: mc.call.node, message: 'the multi-output model call' },
        { node: mc.width.layer, message: `the last layer has ${mc.width.width} units` },
      ],
      fixes,
    });
  }
}

const SYNTAX: Rule = {
  meta: {
    code: 'AGL008',
    name: 'tape-vector-target',
    summary: '`tape.gradient` of a multi-output model (or of a whole gradient vector) sums over its entries, and `model.predict` inside a tape cuts it.',
    framework: 'tensorflow',
    defaultSeverity: 'warning',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds `tape.gradient(y, x)` where `y` is the unchanged output of a Keras model that visibly has several output ' +
        'columns (`Sequential([..., Dense(3)])`, `Model(inputs, Dense(3)(h))`, `Sequential()` + `.add(Dense(3))`, or a helper ' +
        'of this file returning one) and `x` feeds that model. Also finds `model.predict(...)`, `predict_on_batch(...)` ' +
        'and `.numpy()` inside a tape whose result reaches the target of that tape\'s `gradient`/`jacobian` (also inside the ' +
        'function a `tf.py_function` in the tape runs on its input tensors). With the ' +
        'analysis: targets of a fixed visible shape with several entries, lists of targets given to `tf.gradients`, and a ' +
        'gradient differentiated again as a whole (`tape.gradient(g, x)`, `tfe.gradients_function(lambda x: grad(x)[0])`) ' +
        'when `g` is the gradient of a visibly scalar value with respect to a vector, or has several columns. And a target ' +
        'differentiated whole while a selection of it (`score = y[:, c]`, `y[..., c:c + 1]`, `tf.gather(y, c, axis=1)`) was ' +
        'bound to a name in the same function, before the derivative, that nothing reads: the class score meant as the ' +
        'target (a saliency map, Grad-CAM) was left unused. A pretrained Keras application (`VGG16(...)`, ' +
        '`tf.keras.applications.resnet50.ResNet50(...)`) is a Keras model too, so its `predict` inside a tape (also in a helper ' +
        'called there) is found. And `model.set_weights(values)` inside a tape where `values` is computed from a source that ' +
        'tape differentiates (`[w * l for w in model.weights]`, then `tape.gradient(loss, l)`) while the target does not ' +
        'otherwise derive from that source.',
      whyIsThisBad:
        '`tape.gradient(y, x)` returns the gradient of `sum(y)`: for a model with k outputs it adds the k per-output ' +
        'gradients together, with no error. When per-output (partial) derivatives are meant — a Jacobian, one PDE ' +
        'component per output — the numbers are silently wrong. `model.predict` and `.numpy()` return NumPy arrays, which ' +
        'the tape cannot record: the gradient is None. For a gradient `g` of a scalar `f`, the derivative of `sum(g)` is the ' +
        'vector of the Hessian\'s row sums, Σ_j ∂²f/∂x_i∂x_j — not the second derivatives (for a softmax cross-entropy it is ' +
        'exactly zero, tensorflow issue 14641). `set_weights` assigns NumPy values to the Variables (Keras: "a list of NumPy ' +
        'arrays"), which the tape does not record, so the gradient with respect to what the values were computed from is None ' +
        '(tensorflow issue 53541).',
      example: [
        '```python',
        'model = keras.Sequential([keras.layers.Dense(32, activation="tanh"), keras.layers.Dense(3)])',
        'with tf.GradientTape() as tape:',
        '    tape.watch(x)',
        '    y = model(x)            # (batch, 3)',
        'J = tape.gradient(y, x)     # (batch, inputs): the sum over the 3 outputs',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'with tf.GradientTape() as tape:',
        '    tape.watch(x)',
        '    y = model(x)',
        'J = tape.batch_jacobian(y, x)   # (batch, 3, inputs)',
        '```',
        '',
        'and `model(x)` (not `model.predict(x)`) inside a tape.',
      ].join('\n'),
      knownProblems:
        'Checked against the TensorFlow documentation, not run (TensorFlow is not installed where this linter is tested). ' +
        'Only models whose last layer is visible in the file are judged; a loaded model (`keras.models.load_model`) or one ' +
        'built elsewhere is not. A gradient of the summed outputs may be what you want (a divergence-free check, a total ' +
        'derivative); then reduce explicitly (`tf.reduce_sum(y, axis=1)`) or add `# noqa: AGL008`. The per-sample gradient of ' +
        'a one-output model over a batch (`tape.gradient(y, x)` with `Dense(1)`) and `tape.gradient(loss, model.trainable_variables)` ' +
        'are correct and are never flagged, nor is a list of losses differentiated with respect to weights ' +
        '(`tape.gradient([reg_loss, cat_loss], model.trainable_variables)`, Variables or a Keras weight list): the gradient of ' +
        'their sum is the usual multi-loss step (`tf.gradients`: "each tensor is the `sum(dy/dx)` for y in ys"). A gradient of a per-sample or elementwise output (the sum trick) differentiated ' +
        'again is a per-sample second derivative and is not flagged; that needs the first target to be visibly non-scalar, so ' +
        'when its shape is unknown a gradient differentiated again is not judged. The unused selection is only noticed when ' +
        'it is bound to a name (not `_`) and the target is not rebound between the selection and the derivative. A `predict` whose ' +
        'arguments do not fit Keras\' `predict(x, batch_size, ...)` (the Object Detection API\'s `predict(images, shapes)` returns ' +
        'tensors) is not taken for a NumPy conversion, and a conversion that the differentiated source was made from (an attack\'s ' +
        'previous `gradient(...).numpy()` turned into the next source) is before the tape\'s start, not on its path.',
      fixSafety:
        'No safe fix. Replacing `.gradient` with `.batch_jacobian` changes the shape of the result (an extra output axis), and ' +
        'replacing `model.predict(x)` with `model(x)` can change values (predict runs in inference mode; a direct call of a ' +
        'model with Dropout or BatchNorm may need `training=False`) and drops predict\'s keyword arguments: both are offered as unsafe.',
      references: [
        '[Introduction to gradients and automatic differentiation: gradients of non-scalar targets](https://www.tensorflow.org/guide/autodiff#gradients_of_non-scalar_targets)',
        '[Advanced automatic differentiation: Jacobians, batch Jacobian](https://www.tensorflow.org/guide/advanced_autodiff#jacobians)',
        '[Introduction to gradients: getting a gradient of None (stateful / NumPy operations)](https://www.tensorflow.org/guide/autodiff#getting_a_gradient_of_none)',
        '[tf.gradients: "partial derivatives of sum of ys w.r.t. x in xs"](https://www.tensorflow.org/api_docs/python/tf/gradients)',
        '[tf.keras.Model.predict](https://www.tensorflow.org/api_docs/python/tf/keras/Model#predict)',
        '[tensorflow/tensorflow#53541: gradient through model.set_weights() is None](https://github.com/tensorflow/tensorflow/issues/53541)',
        '[tensorflow/tensorflow#14641: gradients_function of a vector-valued function is the gradient of its sum](https://github.com/tensorflow/tensorflow/issues/14641)',
        '[sicara/tf-explain#161: the vanilla-gradients target changed from all class scores to the selected one](https://github.com/sicara/tf-explain/pull/161)',
      ],
    },
  },

  check(ctx) {
    for (const cut of tapeCuts(ctx.model)) reportGraphCut(ctx, cut);
    for (const t of findTapes(ctx.model)) {
      checkVectorTargets(ctx, t);
      checkSetWeights(ctx, t);
    }
  },
};

/**
 * `model.set_weights(values)` inside a tape, where `values` is computed from a source the tape differentiates
 * (`[w * l for w in model.weights]`, then `tape.gradient(loss, l)`): Keras converts the values to NumPy and assigns
 * them to the Variables (`Layer.set_weights` takes "a list of NumPy arrays"), which the tape does not record, so the
 * loss computed with the new weights does not depend on the source. Reported when the target does not visibly
 * derive from the source by another way (then the gradient is None, or misses the part through the weights).
 */
function checkSetWeights(ctx: RuleContext, t: Tape): void {
  const m = ctx.model;
  const home = enclosingScopeNode(t.with.node);
  const calls = m.calls.filter(
    (c) => c.method === 'set_weights' && c.receiver && c.positional.length === 1 && c.keywords.size === 0 && inside(t.with.body, c.node) && enclosingScopeNode(c.node) === home,
  );
  if (calls.length === 0) return;
  const done = new Set<CallInfo>();
  for (const use of t.uses) {
    const target = targetOf(use);
    if (!target) continue;
    for (const src of sourcesOf(use)) {
      if (src.type !== 'identifier' || !m.isUse(src)) continue;
      const srcBindings = new Set(m.reachingBindings(src));
      if (srcBindings.size === 0) continue;
      const isSource = (n: PyNode): boolean => n.type === 'identifier' && m.isUse(n) && m.reachingBindings(n).some((b) => srcBindings.has(b));
      // The target computed from the source by another way keeps (part of) its gradient.
      if (derivesFrom(m, target, isSource)) continue;
      for (const c of calls) {
        if (done.has(c) || c.node.start > use.node.start || !derivesFrom(m, c.positional[0], isSource)) continue;
        done.add(c);
        ctx.report({
          node: c.node,
          message:
            `\`${ctx.text(c.receiver!)}.set_weights(...)\` assigns values computed from \`${ctx.text(src)}\` to the model's Variables as NumPy ` +
            `arrays, which the tape \`${t.name}\` does not record: \`${ctx.text(targetOf(use)!)}\` does not depend on \`${ctx.text(src)}\` ` +
            `through them, and \`${t.name}.${use.method}\` on line ${ctx.lineOf(use.node)} returns None for it. Compute the forward pass ` +
            'with the new weights as tensors (a functional call of the layers with `w * l`) instead of assigning them.',
          related: [{ node: use.node, message: 'the derivative that comes back None' }],
        });
      }
    }
  }
}

/** Selections of entries of a target: `y[:, c]`, `y[..., k:k + 1]`, `tf.gather(y, c, axis=1)`. */
const GATHER = /^tensorflow\.(?:gather|gather_nd|keras\.backend\.gather)$/;

/**
 * A selection of entries from the derivative's target (`score = y[:, c]`, `tf.gather(y, c, axis=-1)`) bound to a
 * name in the same function, before the derivative, from the same binding of `y`, that nothing reads: the selection
 * was meant as the target (tf-explain's vanilla gradients before sicara/tf-explain#161). Null otherwise.
 */
function unusedSelection(ctx: RuleContext, target: PyNode, d: DerivativeEvent): { name: string; value: PyNode } | null {
  const t = unparen(target);
  if (t.type !== 'identifier') return null;
  const m = ctx.model;
  const seen = new Set(m.reachingBindings(t));
  if (seen.size === 0) return null;
  const fn = m.enclosingFunction(d.node);
  for (const b of m.bindings) {
    if (b.kind !== 'assign' || b.path.length > 0 || !b.value || b.at > d.node.start) continue;
    const v = unparen(b.value);
    let from: PyNode | null = null;
    if (v.type === 'subscript') from = field(v, 'value');
    else if (v.type === 'call' && GATHER.test(m.call(v)?.qname ?? '')) from = m.call(v)?.positional[0] ?? null;
    if (!from || from.type !== 'identifier' || ctx.text(from) !== ctx.text(t)) continue;
    if (m.enclosingFunction(v) !== fn || !m.reachingBindings(from).some((x) => seen.has(x))) continue;
    // ... and the name not rebound between the selection and the derivative (the selection was of an older value).
    const name = ctx.text(t);
    if (m.bindings.some((x) => x.name === name && x.scope === b.scope && x.at > v.end && x.at < d.node.start)) continue;
    // A name bound and never read (an assignment left over when the target was changed, or never switched to).
    if (m.usesOf(b).length > 0 || b.name.startsWith('_')) continue;
    // Its value must be a tensor the tape recorded, like the target's.
    if (!d.output.t) continue;
    return { name: b.name, value: v };
  }
  return null;
}

/**
 * What the analysis adds: targets with several visible output columns (`y = x @ w` of known shapes), a
 * list of targets given to `tf.gradients`, and conversions off the tape (`.numpy()`, `float()`,
 * `model.predict`) of a recorded value inside the tape, also in helpers called there.
 */
export const AGL008: Rule = withAnalysisPass(SYNTAX, (ctx, seen) => {
  for (const d of ctx.analysis.events.derivatives) {
    if (d.spec.framework !== 'tensorflow' || d.spec.shape !== 'gradient') continue;
    if (seen(d.node)) continue;
    // `tape.gradient(y, x)` names its target; `tfe.gradients_function(f)(x)` differentiates f's value.
    const fnDef = !d.spec.outputs ? (d.func?.fns[0]?.node ?? null) : null;
    if (!d.spec.outputs && !fnDef) continue;
    const outNode = fnDef ? (fnDef.type === 'lambda' ? field(fnDef, 'body') : field(fnDef, 'name')) : argNode(ctx, d.node, 0);
    // A list of losses differentiated with respect to weights (`tape.gradient([loss_a, loss_b], model.trainable_variables)`)
    // is the gradient of their sum, the usual multi-loss step, not per-output derivatives.
    const listTargets = !!d.output.items && d.output.items.length > 1 && !sourcesAreWeights(ctx, d);
    const dims = d.output.t?.dims ?? null;
    const cols = dims && dims.length >= 2 ? dims[dims.length - 1] : null;
    // A fixed-size target (every size visible, not a batch) with more than one element.
    // Not a one-output model's column over a visible batch (`Dense(1)` of `x[:, None]` for 200 points): the
    // per-sample gradient, whose first axis is the batch's, the source's first axis.
    const src = d.inputs.t?.dims ?? null;
    const oneOutputColumn = dims !== null && dims.length === 2 && cols === 1 && (d.output.t?.params.length ?? 0) > 0 && !!src && src.length === 2 && src[0] === dims[0];
    const fixed = dims !== null && dims.length > 0 && dims.every((x) => x !== null) && dims.reduce((a, b) => a! * b!, 1)! > 1 && !oneOutputColumn;
    if (!listTargets && !(cols !== null && cols > 1) && !fixed) {
      const sel = outNode && !fnDef ? unusedSelection(ctx, outNode, d) : null;
      if (sel) {
        ctx.report({
          node: d.node,
          message:
            `\`${ctx.text(outNode!)}\` is differentiated whole, but only \`${sel.name}\` = \`${ctx.text(sel.value).replace(/\s+/g, ' ')}\` was ` +
            `selected from it, and \`${sel.name}\` is never used: \`${calleeText(ctx, d.node)}\` sums a non-scalar target, so this is ` +
            `the derivative of the sum over every entry (every class score), not of the selection. Differentiate \`${sel.name}\`.`,
          related: [{ node: sel.value, message: `\`${sel.name}\` is selected here and not used` }],
          fixes: [{ title: `Differentiate \`${sel.name}\``, safe: false, edits: [ctx.replace(outNode!, sel.name)] }],
        });
      }
      continue;
    }
    const what = listTargets
      ? `a list of ${d.output.items!.length} targets`
      : cols !== null && cols > 1
        ? `a target with ${cols} output columns`
        : `a target of shape (${dims!.join(', ')}${dims!.length === 1 ? ',' : ''})`;
    // A gradient differentiated again as a whole. The gradient of a scalar with respect to a vector, summed,
    // gives the sums of the Hessian's rows; a per-sample gradient of a batch (the sum trick on an elementwise
    // or per-sample output) summed again is the per-sample second derivative, unless it has several columns.
    const ofGradient = (d.output.t?.order ?? 0) >= 1 && d.output.t!.dGraph.length > 0;
    if (ofGradient && !listTargets && !(cols !== null && cols > 1) && !gradientOfScalar(ctx, d)) continue;
    ctx.report({
      node: d.node,
      message:
        `\`${outNode ? ctx.text(outNode) : 'the target'}\` is ${what}, and \`${calleeText(ctx, d.node)}\` sums over them: the result is the ` +
        'derivative of their sum, not of each one. ' +
        (ofGradient
          ? 'It is itself a gradient, so this gives the sums of the Hessian\'s rows (zero when the gradient\'s entries sum to a constant, ' +
            'as for a softmax cross-entropy), not second derivatives. Use `tape.jacobian` of the gradient (the Hessian), or differentiate ' +
            'one component of the gradient at a time.'
          : 'Use `tape.jacobian` / `tape.batch_jacobian` for per-output derivatives, or differentiate one target (column) at a time.'),
    });
  }
  for (const c of ctx.analysis.events.conversions) {
    const t = c.value.t;
    // NumPy functions on the tape are AGL002's (it names the derivative they break): one diagnostic per mistake.
    if (!t || c.tapes.length === 0 || seen(c.node) || c.what.startsWith('NumPy')) continue;
    const recorded = t.tapes.some((x) => c.tapes.includes(x)) || (t.variable && c.tapes.length > 0);
    if (!recorded) continue;
    // A copy for display or logging is fine: report it when it reaches what a tape differentiates, or when no
    // gradient of those tapes is in view (the snippet stops before it).
    const uses = ctx.analysis.events.derivatives.filter((d) => d.tape !== null && c.tapes.includes(d.tape));
    // A cut the differentiated sources carry too happened before them (an attack's loop feeds the previous step's
    // `gradient(...).numpy()` back in as the next source): the tape starts at the source, after it.
    const reaches = (d: (typeof uses)[number]): boolean => {
      const before = tensorOfValue(d.inputs).cuts;
      return tensorOfValue(d.output).cuts.some((cut) => cut.site === c.node.id && !before.some((b) => b.site === cut.site && b.origin === cut.origin));
    };
    if (uses.length > 0 && !uses.some(reaches)) continue;
    ctx.report({
      node: c.node,
      message:
        `${c.what} takes a value the tape is recording off the tape: TensorFlow records only its own operations, so every ` +
        'gradient through this value is None. Keep the computation in TensorFlow operations inside the tape (call the model ' +
        'directly instead of `predict`, use `tf.math` instead of NumPy/Python numbers).',
    });
  }
});

/** The target is the gradient of a visibly scalar value (one function of all the source's entries). */
function gradientOfScalar(ctx: RuleContext, d: DerivativeEvent): boolean {
  const inner = ctx.analysis.events.derivatives.filter((x) => d.output.t!.dGraph.includes(x.node.id));
  return inner.length > 0 && inner.every((x) => isScalarOutput(x.output));
}

function isScalarOutput(v: AV): boolean {
  const dims = v.t?.dims ?? null;
  return dims !== null && dims.every((x) => x === 1);
}

/** Keras attributes holding a model's or layer's Variables; TF1's `tf.trainable_variables()`. */
const WEIGHT_LIST_ATTRIBUTES = /(?:^|\.)(?:trainable_variables|trainable_weights|variables|weights|trainable_params)(?:\(\))?$/;

/**
 * The derivative's sources are weights: `tf.Variable`s the analysis knows (`model.trainable_variables` of a model it
 * follows, `tf.Variable(...)`), or, where the model is not in view, a Keras weight-list attribute (`self.model.trainable_variables`).
 */
function sourcesAreWeights(ctx: RuleContext, d: DerivativeEvent): boolean {
  const src = argNode(ctx, d.node, 1);
  if (src && WEIGHT_LIST_ATTRIBUTES.test(ctx.text(unparen(src)).replace(/\s+/g, ''))) return true;
  const v = d.inputs;
  const parts = v.items ?? (v.elem ? [v.elem] : [v]);
  return parts.length > 0 && parts.every((x) => !!x.t && x.t.variable);
}

function argNode(ctx: RuleContext, call: PyNode, index: number): PyNode | null {
  const c = ctx.model.call(call);
  return c ? (c.positional[index] ?? null) : null;
}

function calleeText(ctx: RuleContext, call: PyNode): string {
  const fn = field(call, 'function');
  return fn ? ctx.text(fn) : 'gradient';
}
