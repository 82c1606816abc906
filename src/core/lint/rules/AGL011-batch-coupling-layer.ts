/**
 * AGL011 batch-coupling-layer: input derivatives by the sum trick (`grad(y.sum(), x)`,
 * `grad_outputs=ones_like(y)`) or by `vmap`, of a model defined in this file that contains
 * BatchNorm and is in training mode at that point (no `.eval()` before). Batch statistics couple
 * the samples, so the result is not the per-sample derivative.
 */
import { isKind, Kind, type DerivativeEvent } from '../analysis';
import { tensorOfValue } from '../analysis/library';
import type { Rule, RuleContext } from '../rule';
import { findTapes } from '../tensorflow';
import { field, namedChildren, unparen, type PyNode } from '../tree';
import { modelCallFor, modelName } from '../analysis/queries';
import { torchvisionBuilder } from '../knowledge/torch';

export const AGL011: Rule = {
  meta: {
    code: 'AGL011',
    name: 'batch-coupling-layer',
    summary: 'Per-sample input derivatives (sum trick, vmap, batch_jacobian, or tape.gradient of a batch of outputs) of a model with BatchNorm in training mode are coupled across the batch.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'TensorFlow: `tape.batch_jacobian(y, x)`, or `tape.gradient(y, x)` of the unreduced output `y` of a model call ' +
        '(TensorFlow differentiates the sum of a non-scalar target: the sum trick, as in a WGAN-GP penalty) or of its ' +
        '`tf.reduce_sum`/`tf.reduce_mean` over every entry, with respect to ' +
        'tensors (not Variables), of a Keras model containing `BatchNormalization` called with `training=True`; ' +
        'and `tape.batch_jacobian(y, x)` where `y` is computed (through assignments and calls, a first gradient included) ' +
        'from a single row of the source picked by a constant index (`x[0]`, `x[1]`, `x[-1]`), so that rows are coupled. ' +
        'PyTorch: finds input derivatives computed with the sum trick — `torch.autograd.grad(y.sum(), x)` or ' +
        '`grad(y, x, grad_outputs=torch.ones_like(y))` — or with `torch.func.vmap` / `functorch.vmap`, where the model is ' +
        'defined in this file, contains `nn.BatchNorm1d/2d/3d` (or `SyncBatchNorm`), and has no `.eval()` (or ' +
        '`.train(False)`) call on the same variable earlier in the file; also torchvision\'s classifiers with BatchNorm ' +
        '(`models.resnet18()`, DenseNet, MobileNet, EfficientNet, `vgg16_bn`...) used without `.eval()`, as in saliency maps ' +
        'of a pretrained model.',
      whyIsThisBad:
        'In training mode BatchNorm normalizes with the statistics of the current batch, so every output depends on every ' +
        'input of the batch. The sum trick then returns sum_i dy_i/dx_j, which includes the cross-sample terms: the values ' +
        'look right, the per-sample derivatives are wrong (66% relative error on a small example). `vmap` over a ' +
        'training-mode BatchNorm fails outright, because the running statistics are updated in place. `batch_jacobian` assumes ' +
        'that row i of the target depends only on row i of the source and returns only those blocks: a target built from ' +
        '`x[0]` and `x[1]` (a Hessian of `x[0]**2 + x[1]**2 + x[0]*x[1]`, tensorflow issue 38428) loses the cross terms.',
      example: [
        '```python',
        'model = nn.Sequential(nn.Linear(2, 16), nn.BatchNorm1d(16), nn.Tanh(), nn.Linear(16, 1))',
        'y = model(x)',
        'dy_dx = torch.autograd.grad(y.sum(), x, create_graph=True)[0]',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'model.eval()                       # running statistics: samples are independent',
        'y = model(x)',
        'dy_dx = torch.autograd.grad(y.sum(), x)[0]',
        '# or build the model with nn.LayerNorm, or without a normalization layer',
        '```',
      ].join('\n'),
      knownProblems:
        'A normalisation chosen by a configuration string from a dict of alternatives (`{"batch": nn.BatchNorm1d(d), "layer": ' +
        'nn.LayerNorm(d)}.get(norm)`) is reported only when every alternative couples the batch. ' +
        'Mode tracking is textual: the last `.eval()` / `.train()` on the same variable name before the derivative, in ' +
        'source order, decides; a mode switched inside a helper or a loop that runs later is not followed. The model must ' +
        'be resolvable in this file (see AGL010). Derivatives taken during Sobolev training in train mode are flagged ' +
        'too — by design, since the derivative targets are per-sample; use `# noqa: AGL011` if the coupling is intended.',
      fixSafety: 'No fix: switching to eval mode or replacing the layer changes training.',
      references: [
        '[BatchNorm1d](https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm1d.html)',
        '[Keras BatchNormalization: training=True normalizes with the batch statistics](https://keras.io/api/layers/normalization_layers/batch_normalization/)',
        '[tf.GradientTape.batch_jacobian: assumes row i of the target depends only on row i of the source](https://www.tensorflow.org/api_docs/python/tf/GradientTape#batch_jacobian)',
      ],
    },
  },

  check(ctx) {
    checkRowsOfSource(ctx);
    for (const d of ctx.analysis.events.derivatives) {
      if ((d.spec.framework !== 'pytorch' && d.spec.framework !== 'tensorflow') || !(d.perSample || tfSummedModelOutput(ctx, d))) continue;
      const out = tensorOfValue(d.output);
      if (out.coupled.length === 0) continue;
      const bnNode = ctx.tree.nodes[out.coupled[0]];
      const bnCall = ctx.model.call(bnNode);
      const q = bnCall?.qname ?? null;
      // A torchvision classifier: its BatchNorm layers are knowledge, not calls in the file.
      const vision = torchvisionBuilder(q);
      const bn = vision
        ? `BatchNorm layers (torchvision's ${vision})`
        : (q ?? ctx.text(bnNode).split('(')[0]).replace(/^torch\.nn\.functional\./, 'F.').replace(/^torch\.nn\./, 'nn.');
      const call = modelCallFor(ctx.analysis, d, (t) => t.coupled.some((x) => out.coupled.includes(x)));
      const model = call ? modelName(ctx.model, call, d) : null;
      const name = model?.name ?? 'the model';
      const fn = model?.at ?? null;
      const tf = d.spec.framework === 'tensorflow';
      const how = tf
        ? d.api === 'tensorflow.GradientTape.gradient'
          ? d.perSample
            ? '`tape.gradient` of the unreduced model output (TensorFlow differentiates the sum of its rows)'
            : '`tape.gradient` of the sum or mean of the model\'s outputs'
          : `\`${d.api.replace('tensorflow.GradientTape.', 'tape.')}\``
        : d.api.startsWith('torch.func') ? `\`${d.api.replace('torch.func.', '')}\` under \`vmap\`` : d.gradOutputs !== 'absent' && d.gradOutputs !== 'unknown' ? 'a per-sample `grad_outputs`' : 'the sum trick';
      ctx.report({
        node: d.node,
        message:
          `Per-sample input derivative by ${how} of \`${name}\`, which contains ${bn.startsWith('BatchNorm layers') ? bn : `\`${bn.replace(/^tensorflow\.keras\.layers\./, 'layers.')}\``} in training mode: batch statistics ` +
          `couple the samples, so this is not d y_i / d x_i. ` +
          (tf ? `Call the model with \`training=False\` for the derivative (moving statistics), or use LayerNormalization.` : `Call \`${name}.eval()\` first, or use LayerNorm.`),
        related: call && fn ? [{ node: fn, message: `\`${name}\` is called here, in training mode` }] : [],
      });
    }
  },
};

/** Reductions of every entry that TensorFlow code writes for the sum trick. */
const TF_FULL_REDUCTIONS = new Set(['tensorflow.reduce_sum', 'tensorflow.reduce_mean', 'tensorflow.math.reduce_sum', 'tensorflow.math.reduce_mean',
  'tensorflow.keras.backend.sum', 'tensorflow.keras.backend.mean']);

/**
 * `tape.gradient(tf.reduce_mean(critic(x, training=True)), x)` (also through a name bound once to it): the sum trick
 * written out, of a model call's output, with respect to tensors (not Variables).
 */
function tfSummedModelOutput(ctx: RuleContext, d: DerivativeEvent): boolean {
  if (d.api !== 'tensorflow.GradientTape.gradient') return false;
  const m = ctx.model;
  const call = m.call(d.node);
  let target = call ? (call.keywords.get('target') ?? call.positional[0]) : undefined;
  if (!call || !target) return false;
  target = unparen(target);
  if (target.type === 'identifier' && m.isUse(target)) {
    // The last binding before the use, when only `with` blocks lie between it and the use's block (a `with` body always
    // runs, though the semantic model keeps earlier bindings as reaching through it).
    const use = target;
    const bs = m.reachingBindings(use).filter((b) => b.at <= use.start);
    const last = bs.reduce<(typeof bs)[number] | null>((acc, b) => (!acc || b.at > acc.at ? b : acc), null);
    if (!last || last.kind !== 'assign' || last.path.length !== 0 || !last.value || !onlyWithBlocksBetween(last.stmt, use)) return false;
    target = unparen(last.value);
  }
  if (target.type !== 'call') return false;
  const red = m.call(target);
  if (!red || !red.qname || !TF_FULL_REDUCTIONS.has(red.qname) || red.positional.length !== 1 || red.keywords.size > 0) return false;
  const inner = ctx.analysis.valueOf(unparen(red.positional[0]));
  if (!inner?.t || inner.site < 0 || !ctx.analysis.events.modelCalls.some((c) => c.node.id === inner.site)) return false;
  const items = d.inputs.items && isKind(d.inputs, Kind.SEQ) ? d.inputs.items : [d.inputs];
  return items.length > 0 && items.every((x) => !!x.t && !x.t.variable && !isKind(x, Kind.UNKNOWN));
}

/** Whether every block enclosing `stmt` but not `use` belongs to a `with` statement. */
function onlyWithBlocksBetween(stmt: PyNode, use: PyNode): boolean {
  for (let p = stmt.parent; p; p = p.parent) {
    if (p.start <= use.start && use.end <= p.end) return true;
    if (p.type !== 'block' && p.type !== 'with_statement') return false;
  }
  return false;
}

/** `x[0]`, `x[-1]`, `x[1, :]`: one row of `x` picked by a constant index on the first axis. */
function constantRowOf(n: PyNode): PyNode | null {
  if (n.type !== 'subscript') return null;
  const value = field(n, 'value');
  const idx = namedChildren(n).filter((c) => c !== value);
  if (!value || idx.length === 0) return null;
  const first = unparen(idx[0].type === 'tuple' ? (namedChildren(idx[0])[0] ?? idx[0]) : idx[0]);
  const int = first.type === 'integer' || (first.type === 'unary_operator' && namedChildren(first)[0]?.type === 'integer');
  return int ? unparen(value) : null;
}

/**
 * `tape.batch_jacobian(y, x)` where `y` is computed from a row of `x` picked by a constant index: row i of `y` then
 * depends on rows of `x` other than i, which batch_jacobian assumes it does not (it returns only the diagonal blocks).
 */
function checkRowsOfSource(ctx: RuleContext): void {
  const m = ctx.model;
  for (const t of findTapes(m)) {
    for (const use of t.uses) {
      if (use.method !== 'batch_jacobian' || use.hasStarArgs || use.hasKwargs) continue;
      const target = use.keywords.get('target') ?? use.positional[0];
      const source = use.keywords.get('source') ?? use.positional[1];
      if (!target || !source) continue;
      const src = unparen(source);
      if (src.type !== 'identifier' || !m.isUse(src)) continue;
      const bs = new Set(m.reachingBindings(src));
      if (bs.size === 0) continue;
      let row: PyNode | null = null;
      m.traceBack(target, (n) => {
        if (row) return false;
        const v = constantRowOf(n);
        if (v && v.type === 'identifier' && m.isUse(v) && m.reachingBindings(v).some((b) => bs.has(b))) {
          row = n;
          return false;
        }
        return true;
      });
      if (!row) continue;
      const r: PyNode = row;
      ctx.report({
        node: use.node,
        message:
          `\`${ctx.text(target)}\` is computed from \`${ctx.text(r)}\`, a single row of the source \`${ctx.text(src)}\` (line ${ctx.lineOf(r)}), so its rows ` +
          `depend on other rows of \`${ctx.text(src)}\`: \`${t.name}.batch_jacobian\` assumes row i of the target depends only on row i of ` +
          `the source and drops the cross terms. Use \`${t.name}.jacobian\` (the full Jacobian), or keep the batch axis for independent samples.`,
        related: [{ node: r, message: 'a row of the source picked by a constant index' }],
      });
    }
  }
}
