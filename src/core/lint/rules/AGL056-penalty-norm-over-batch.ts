/**
 * AGL056 penalty-norm-over-batch: a gradient penalty `(‖g‖ - 1)²` takes one norm over the whole input
 * gradient of a batch (`g.norm(2)`, `tf.norm(g)`, `K.sqrt(K.sum(K.square(g)))` without an axis), so the
 * norm mixes the samples: the penalty drives the batch's norm to 1, each sample's to about 1/√N.
 *
 * Also a penalty towards norm 1 of an input gradient taken of the batch *mean* of the critic's output
 * (`grad(critic(x).mean(), x)`, `tf.reduce_mean(d)` under a tape): each row is the sample's gradient divided by N.
 *
 * Asked of the analysis: the derivative events (which call is a derivative, of what target, and whether
 * it is meant per sample: the sum trick, `grad_outputs` of ones). The norm, its reshapes and the penalty
 * shape are read from the syntax through the bindings.
 */
import type { DerivativeEvent } from '../analysis';
import type { Rule, RuleContext } from '../rule';
import { bindingValue, type Binding } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';

/** Methods that keep every entry of a tensor (a full norm of the result is a full norm of the input). */
const KEEP_ENTRIES = new Set(['view', 'reshape', 'flatten', 'contiguous', 'cuda', 'cpu', 'to', 'float', 'double', 'type_as', 'squeeze', 'unsqueeze']);
/** Library calls that keep every entry of their first argument. */
const KEEP_ENTRIES_CALLS = /^(?:tensorflow\.(?:reshape|convert_to_tensor|cast|squeeze|expand_dims|concat|stack|keras\.backend\.(?:flatten|batch_flatten|reshape|concatenate|stack))|torch\.(?:flatten|reshape|cat|stack|squeeze))$/;
/** Norm calls without an axis: `torch.norm(g)`, `tf.norm(g)`; the index of their axis argument. */
const NORM_CALLS: ReadonlyMap<string, { axis: string; pos: number }> = new Map([
  ['torch.norm', { axis: 'dim', pos: 2 }],
  ['torch.linalg.norm', { axis: 'dim', pos: 2 }],
  ['torch.linalg.vector_norm', { axis: 'dim', pos: 2 }],
  ['tensorflow.norm', { axis: 'axis', pos: 2 }],
  ['tensorflow.linalg.norm', { axis: 'axis', pos: 2 }],
]);
const SQRT = /^(?:torch\.sqrt|tensorflow\.(?:math\.)?sqrt|tensorflow\.keras\.backend\.sqrt)$/;
/** Sums and their axis argument (`tf.reduce_sum(x, axis)`, TF1's `reduction_indices`). */
const SUM = /^(?:torch\.sum|tensorflow\.(?:math\.)?reduce_sum|tensorflow\.keras\.backend\.sum)$/;
const SQUARE = /^(?:torch\.square|tensorflow\.(?:math\.)?square|tensorflow\.keras\.backend\.square)$/;
/** Scalar reductions of a target: the sum trick (`K.sum(y_pred)`, `tf.reduce_sum(d)`, `torch.sum(d)`). */
/** Sources that are weights, not inputs (`model.trainable_variables`, `D.parameters()`, `trainable_weights`). */
const WEIGHTS = /(?:weights?|params?|parameters|variables|kernel|theta)\b/i;
const MEAN = /^(?:torch\.mean|tensorflow\.(?:math\.)?reduce_mean|tensorflow\.keras\.backend\.mean)$/;
const BATCH_REDUCTION = /^(?:torch\.(?:sum|mean)|tensorflow\.(?:math\.)?reduce_(?:sum|mean)|tensorflow\.keras\.backend\.(?:sum|mean))$/;

function isOne(ctx: RuleContext, n: PyNode | null): boolean {
  return !!n && (n.type === 'integer' || n.type === 'float') && Number(ctx.text(n)) === 1;
}

function isTwo(ctx: RuleContext, n: PyNode | null): boolean {
  return !!n && (n.type === 'integer' || n.type === 'float') && Number(ctx.text(n)) === 2;
}

function hasAxis(call: { positional: readonly PyNode[]; keywords: ReadonlyMap<string, PyNode> }, names: readonly string[], pos: number): boolean {
  return names.some((k) => call.keywords.has(k)) || call.positional.length > pos;
}

/** Argument lists of a call (for the shared readers below). */
type CallLike = { positional: readonly PyNode[]; keywords: ReadonlyMap<string, PyNode>; hasStarArgs?: boolean; hasKwargs?: boolean };

/**
 * The tensor squared by `n`: `g ** 2`, `g.pow(2)`, `g.square()`, `torch.square(g)` / `tf.square(g)` / `K.square(g)`,
 * `g * g`; else null.
 */
function squaredOf(ctx: RuleContext, n0: PyNode): PyNode | null {
  const n = unparen(n0);
  if (n.type === 'binary_operator') {
    const op = ctx.text(field(n, 'operator') ?? n);
    const l = field(n, 'left');
    const r = field(n, 'right');
    if (op === '**' && l && isTwo(ctx, r ? unparen(r) : null)) return l;
    if (op === '*' && l && r && ctx.text(unparen(l)) === ctx.text(unparen(r)) && /^[\w.]+$/.test(ctx.text(unparen(l)))) return l;
    return null;
  }
  if (n.type !== 'call') return null;
  const c = ctx.model.call(n);
  if (!c || c.hasStarArgs || c.hasKwargs) return null;
  if (c.method === 'pow' && c.receiver && c.positional.length === 1 && c.keywords.size === 0 && isTwo(ctx, unparen(c.positional[0]))) return c.receiver;
  if (c.method === 'square' && c.receiver && c.positional.length === 0 && c.keywords.size === 0) return c.receiver;
  if (c.qname && SQUARE.test(c.qname) && c.positional.length === 1) return c.positional[0];
  return null;
}

/** `n` sums its argument: `torch.sum(x, ...)`, `tf.reduce_sum(x, ...)`, `K.sum(x, ...)`, `x.sum(...)`; with whether an axis is given. */
function sumOf(ctx: RuleContext, n0: PyNode): { arg: PyNode; axis: boolean } | null {
  const n = unparen(n0);
  if (n.type !== 'call') return null;
  const c = ctx.model.call(n);
  if (!c || c.hasStarArgs || c.hasKwargs) return null;
  if (c.method === 'sum' && c.receiver && !c.qname) return { arg: c.receiver, axis: hasAxis(c as CallLike, ['dim', 'axis'], 0) };
  if (c.qname && SUM.test(c.qname) && c.positional[0]) return { arg: c.positional[0], axis: hasAxis(c as CallLike, ['dim', 'axis', 'reduction_indices'], 1) };
  return null;
}

/** The radicand of a square root: `torch.sqrt(x)`, `tf.sqrt(x)`, `K.sqrt(x)`, `x.sqrt()`, `x ** 0.5`; else null. */
function sqrtOf(ctx: RuleContext, n0: PyNode): PyNode | null {
  const n = unparen(n0);
  if (n.type === 'binary_operator') {
    const r = field(n, 'right');
    return ctx.text(field(n, 'operator') ?? n) === '**' && r && /^0?\.50*$/.test(ctx.text(unparen(r))) ? field(n, 'left') : null;
  }
  if (n.type !== 'call') return null;
  const c = ctx.model.call(n);
  if (!c || c.hasStarArgs || c.hasKwargs) return null;
  if (c.method === 'sqrt' && c.receiver && !c.qname && c.positional.length === 0) return c.receiver;
  if (c.qname && SQRT.test(c.qname) && c.positional.length === 1) return c.positional[0];
  return null;
}

/** `sqrt(sum(square(g)))` in any of its spellings: the squared tensor and whether the sum names an axis. */
function rootSumOfSquares(ctx: RuleContext, n: PyNode): { of: PyNode; axis: boolean } | null {
  const r = sqrtOf(ctx, n);
  const s = r ? sumOf(ctx, r) : null;
  const g = s ? squaredOf(ctx, s.arg) : null;
  return g && s ? { of: g, axis: s.axis } : null;
}

export const AGL056: Rule = {
  meta: {
    code: 'AGL056',
    name: 'penalty-norm-over-batch',
    summary: 'A gradient penalty mixes the batch: one norm over the whole batch\'s input gradient, a norm over the batch axis of a stacked gradient list, or the mean deviation squared instead of the mean of squared deviations.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a penalty `(n - 1) ** 2` (or `square(1 - n)`, `(n - 1).pow(2)`) whose `n` is a norm without an axis — ' +
        '`g.norm()`, `g.norm(2)`, `torch.norm(g)`, `tf.norm(g)`, `tf.sqrt(tf.reduce_sum(tf.square(g)))`, ' +
        '`K.sqrt(K.sum(K.square(g)))` — of an input gradient `g` taken for a whole batch: `torch.autograd.grad` with ' +
        '`grad_outputs` of ones or of a summed output, `tf.gradients`/`K.gradients`/`tape.gradient` of a summed ' +
        'output or of a model\'s output on the differentiated input (TensorFlow sums a non-scalar target). ' +
        'Also a penalty towards norm 1 of any norm (per sample or not) of an input gradient taken of the batch mean of the ' +
        'model\'s output on the differentiated tensor: `grad(critic(x_hat).mean(), x_hat)`, `torch.mean(d)`, ' +
        '`tf.reduce_mean(d)`, `K.mean(d)` with no axis, written in the call or bound to a name. ' +
        'The root of a sum of squares is read in any spelling: `g.pow(2).sum().sqrt()`, `(g ** 2).sum().sqrt()`, ' +
        '`torch.sqrt(g.square().sum())`, `tf.sqrt(tf.reduce_sum(g * g))`. ' +
        'Also a norm over written axes that include axis 1 of `tf.convert_to_tensor(G)` or `tf.stack(G)` where `G` is the whole ' +
        'list a TensorFlow derivative returns (`tf.gradients(d, [x])`, `tape.gradient(d, [x])`): the list\'s axis comes first, ' +
        'so axis 1 is the batch. And per-sample norms `n` (a norm with an axis) of an input gradient of a batch whose ' +
        'deviations from 1 are averaged before the square: `tf.reduce_mean(n - 1.) ** 2`, `(n - 1).mean() ** 2`, ' +
        '`tf.square(tf.reduce_mean(n) - 1.0)`, also through names bound to the intermediate values.',
      whyIsThisBad:
        'The gradient of a batch\'s summed critic output has one row per sample, each that sample\'s own input gradient. ' +
        'WGAN-GP (Gulrajani et al., 2017) penalizes `(‖∇x D(x_i)‖ - 1)²` for each sample. One norm over all rows is ' +
        '`sqrt(Σ_i ‖∇x D(x_i)‖²)`: driving it to 1 drives each sample\'s gradient norm to about `1/√N` for a batch of N, ' +
        'so the critic estimates the Wasserstein distance divided by √N and the constraint depends on the batch size ' +
        '(keras-contrib PR #232). Nothing fails; training is just different. The gradient of the batch mean is the ' +
        'gradient of the sum divided by N: each row is the sample\'s own gradient over N, and a penalty towards norm 1 ' +
        'drives each sample\'s gradient norm to N (keras-contrib PR #75\'s review: "scaling it down by BATCH_SIZE"). ' +
        'Squaring the mean deviation, `mean(n - 1) ** 2`, lets samples above norm 1 cancel samples below it: the penalty is ' +
        'zero for norms 0.5 and 1.5, where WGAN-GP\'s `mean((n - 1) ** 2)` is 0.25.',
      example: [
        '```python',
        'gradients = tf.gradients(critic(interpolates), [interpolates])[0]',
        'slopes = tf.sqrt(tf.reduce_sum(tf.square(gradients)))',
        'gradient_penalty = tf.reduce_mean((slopes - 1.0) ** 2)',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'slopes = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=list(range(1, gradients.shape.ndims))))',
        'gradient_penalty = tf.reduce_mean((slopes - 1.0) ** 2)',
        '# PyTorch: gradients.view(gradients.size(0), -1).norm(2, dim=1)',
        '```',
      ].join('\n'),
      knownProblems:
        'The gradient must visibly come from a derivative taken for a batch (a sum trick, `grad_outputs` of ones, or a ' +
        'TensorFlow derivative of a model\'s output on its differentiated input); a derivative of one sample\'s output ' +
        '(under `vmap`, or of a single example) is not flagged, and JAX derivatives are not considered. A norm over the ' +
        'whole batch on purpose would not be written as a penalty towards 1; if it is, mark it `# noqa: AGL056`. A mean ' +
        'target is reported only when the mean is of the model\'s output on the very tensor differentiated against and the ' +
        'penalty is centred on 1 (a zero-centred R1 penalty of the mean only changes its weight); a Keras loss whose ' +
        '`y_pred` comes from the model through `partial()` is not followed. The stacked-list form needs the list to be the ' +
        'derivative\'s own result bound once (not an item of it, not a parameter) and the axes written as integers; the ' +
        'mean-before-square form needs a mean over every axis (or axis 0).',
      fixSafety: 'No automatic fix: the axes to sum over depend on the data\'s rank.',
      references: [
        '[Improved Training of Wasserstein GANs (arXiv:1704.00028), Algorithm 1](https://arxiv.org/abs/1704.00028)',
        '[keras-team/keras-contrib#232: fix the gradient penalty loss in the improved WGAN example](https://github.com/keras-team/keras-contrib/pull/232)',
        '[keras-team/keras-contrib#75: review of the improved WGAN example (K.mean before K.gradients)](https://github.com/keras-team/keras-contrib/pull/75)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    const derivs = ctx.analysis.events.derivatives;
    if (derivs.length === 0) return;
    const byNode = new Map<number, DerivativeEvent>();
    for (const d of derivs) if (d.spec.framework !== 'jax') byNode.set(d.node.id, d);
    const done = new Set<number>();

    /** The derivative event `n` is (through subscripts, unpacking, reshapes and bindings), or null. */
    const derivativeOf = (n0: PyNode, depth: number, seen: Set<number>): DerivativeEvent | null => {
      if (depth > 8) return null;
      const n = unparen(n0);
      if (seen.has(n.id)) return null;
      seen.add(n.id);
      if (n.type === 'call') {
        const d = byNode.get(n.id);
        if (d) return d;
        const c = m.call(n);
        if (!c) return null;
        if (c.method && c.receiver && KEEP_ENTRIES.has(c.method)) return derivativeOf(c.receiver, depth + 1, seen);
        // A helper of the file that returns the derivative (`self.input_gradient(x_hat)`).
        if (c.local && c.local.returns.length > 0) {
          let found: DerivativeEvent | null = null;
          for (const r of c.local.returns) {
            const d = derivativeOf(r, depth + 1, seen);
            if (!d) return null;
            found = d;
          }
          return found;
        }
        if (c.qname && KEEP_ENTRIES_CALLS.test(c.qname) && c.positional[0]) {
          const a = unparen(c.positional[0]);
          // `K.concatenate([K.flatten(t) for t in grads])`, `tf.stack([g])`: the elements' derivative.
          if (a.type === 'list_comprehension') {
            const body = namedChildren(a)[0];
            const clause = namedChildren(a).find((x) => x.type === 'for_in_clause');
            const iter = clause ? field(clause, 'right') : null;
            return body && iter ? derivativeOf(iter, depth + 1, seen) : null;
          }
          if (a.type === 'list' || a.type === 'tuple') {
            const items = namedChildren(a);
            return items.length === 1 ? derivativeOf(items[0], depth + 1, seen) : null;
          }
          return derivativeOf(a, depth + 1, seen);
        }
        return null;
      }
      if (n.type === 'subscript') {
        const v = field(n, 'value');
        return v ? derivativeOf(v, depth + 1, seen) : null;
      }
      if (n.type === 'identifier' && m.isUse(n)) {
        const bs = m.reachingBindings(n);
        if (bs.length === 0) return null;
        let found: DerivativeEvent | null = null;
        for (const b of bs) {
          const v = b.kind === 'param' ? null : bindingValue(b) ?? b.value;
          const d = v ? derivativeOf(v, depth + 1, seen) : null;
          if (!d) return null;
          found = d;
        }
        return found;
      }
      return null;
    };

    /** A model's output on the differentiated input, or a scalar reduction of a batch (the sum trick). */
    const batchTarget = (d: DerivativeEvent): string | null => {
      const call = m.call(d.node);
      if (!call) return null;
      const src0 = call.positional[1] ?? call.keywords.get('inputs') ?? call.keywords.get('sources') ?? call.keywords.get('xs');
      // A gradient with respect to weights has no batch axis: its whole norm is the usual one.
      if (!src0 || WEIGHTS.test(ctx.text(src0))) return null;
      // One sample's input (a visible rank of one): its whole norm is the per-sample norm.
      const dims = d.inputs.t?.dims ?? (d.inputs.items?.length === 1 ? d.inputs.items[0].t?.dims : null) ?? null;
      if (dims && dims.length <= 1) return null;
      if (d.perSample && d.spec.framework !== 'tensorflow') return 'a sum over the batch, or with `grad_outputs` of ones';
      if (d.spec.framework !== 'tensorflow') return null;
      const tgt0 = call.positional[0] ?? call.keywords.get('target') ?? call.keywords.get('ys');
      if (!tgt0) return null;
      const targets: PyNode[] = [];
      const tgt = unparen(tgt0);
      if (tgt.type === 'identifier' && m.isUse(tgt)) {
        for (const b of m.reachingBindings(tgt)) {
          const v = b.kind === 'param' ? null : bindingValue(b);
          if (!v) return null;
          targets.push(v);
        }
      } else targets.push(tgt);
      if (targets.length === 0) return null;
      const sources = new Set<string>();
      const src = unparen(src0);
      for (const s of src.type === 'list' || src.type === 'tuple' ? namedChildren(src) : [src]) sources.add(ctx.text(unparen(s)));
      let what: string | null = null;
      for (const t0 of targets) {
        const t = unparen(t0);
        const tc = t.type === 'call' ? m.call(t) : null;
        if (!tc) return null;
        if (tc.qname && BATCH_REDUCTION.test(tc.qname) && tc.positional.length === 1 && tc.keywords.size === 0) {
          what = what ?? `\`${ctx.text(t)}\`, a sum or mean over the batch`;
          continue;
        }
        // `critic(interpolates)`: the model's output on the very tensor differentiated against.
        const onSource = tc.positional.some((a) => sources.has(ctx.text(unparen(a))));
        const name = tc.qname ?? tc.method ?? '';
        if (!onSource || /(?:^|\.)(?:reduce_\w+|sum|mean|norm|max|min|gather|slice)$/.test(name)) return null;
        what = what ?? `\`${ctx.text(t)}\`, one output per sample, whose sum TensorFlow differentiates`;
      }
      return what;
    };

    /** The norm's argument when `n` is a norm over every axis, else null. */
    const fullNormOf = (n0: PyNode): PyNode | null => {
      const n = unparen(n0);
      if (n.type !== 'call') return null;
      const c = m.call(n);
      if (!c || c.hasStarArgs || c.hasKwargs) return null;
      if (c.method === 'norm' && c.receiver) return hasAxis(c, ['dim', 'axis'], 1) ? null : c.receiver;
      if (c.qname && NORM_CALLS.has(c.qname)) {
        const spec = NORM_CALLS.get(c.qname)!;
        return hasAxis(c, [spec.axis], spec.pos) || !c.positional[0] ? null : c.positional[0];
      }
      const rs = rootSumOfSquares(ctx, n);
      return rs && !rs.axis ? rs.of : null;
    };

    /** `(n - 1) ** 2`, `(1 - n) ** 2`, `square(n - 1)`, `(n - 1).pow(2)` around `n`, or through a name bound to it. */
    const penaltyAround = (n: PyNode, depth: number): PyNode | null => {
      let child = n;
      let p = n.parent;
      while (p && p.type === 'parenthesized_expression') {
        child = p;
        p = p.parent;
      }
      if (!p) return null;
      if (p.type === 'binary_operator' && ctx.text(field(p, 'operator') ?? p) === '-') {
        const left = field(p, 'left');
        const other = left && left.id === child.id ? field(p, 'right') : left;
        if (!isOne(ctx, other ? unparen(other) : null)) return null;
        let q = p.parent;
        while (q && q.type === 'parenthesized_expression') q = q.parent;
        if (!q) return null;
        if (q.type === 'binary_operator' && ctx.text(field(q, 'operator') ?? q) === '**' && isTwo(ctx, unparen(field(q, 'right') ?? q))) return q;
        if (q.type === 'argument_list' && q.parent?.type === 'call') {
          const c = m.call(q.parent);
          if (c && c.positional.length === 1 && (c.qname ? SQUARE.test(c.qname) || /(?:^|\.)square$/.test(c.qname) : false)) return q.parent;
        }
        if (q.type === 'attribute' && q.parent?.type === 'call') {
          const c = m.call(q.parent);
          if (c && c.method === 'pow' && isTwo(ctx, c.positional[0] ? unparen(c.positional[0]) : null)) return q.parent;
        }
        return null;
      }
      if (depth < 2 && (p.type === 'assignment' && field(p, 'right')?.id === n.id)) {
        const left = field(p, 'left');
        if (!left || left.type !== 'identifier') return null;
        const b = m.bindings.find((x: Binding) => x.target.id === left.id);
        if (!b) return null;
        for (const u of m.usesOf(b)) {
          const hit = penaltyAround(u, depth + 1);
          if (hit) return hit;
        }
      }
      return null;
    };

    /**
     * The derivative's target when it is a mean over the batch of a model's output on the very tensor differentiated
     * against (`critic(x_hat).mean()`, `torch.mean(d)`, `tf.reduce_mean(d)`, `K.mean(d)`, through a name bound to it),
     * with no axis: each row of the gradient is that sample's input gradient divided by the batch size.
     */
    const meanTarget = (d: DerivativeEvent): PyNode | null => {
      const call = m.call(d.node);
      if (!call) return null;
      const src0 = call.positional[1] ?? call.keywords.get('inputs') ?? call.keywords.get('sources') ?? call.keywords.get('xs');
      const tgt0 = call.positional[0] ?? call.keywords.get('outputs') ?? call.keywords.get('target') ?? call.keywords.get('ys');
      if (!src0 || !tgt0 || WEIGHTS.test(ctx.text(src0))) return null;
      if (d.spec.framework === 'pytorch' && call.keywords.has('grad_outputs')) return null;
      const dims = d.inputs.t?.dims ?? (d.inputs.items?.length === 1 ? d.inputs.items[0].t?.dims : null) ?? null;
      if (dims && dims.length <= 1) return null;
      const src = unparen(src0);
      const sources = new Set<string>();
      for (const s of src.type === 'list' || src.type === 'tuple' ? namedChildren(src) : [src]) sources.add(ctx.text(unparen(s)));
      const only = (n0: PyNode): PyNode | null => {
        const n = unparen(n0);
        if (n.type !== 'identifier' || !m.isUse(n)) return n;
        const bs = m.reachingBindings(n);
        if (bs.length !== 1 || bs[0].kind === 'param') return null;
        return bindingValue(bs[0]) ? unparen(bindingValue(bs[0])!) : null;
      };
      const tgt = only(tgt0);
      if (!tgt || tgt.type !== 'call') return null;
      const tc = m.call(tgt);
      if (!tc || tc.hasStarArgs || tc.hasKwargs || tc.keywords.size > 0) return null;
      let inner: PyNode | null = null;
      if (tc.method === 'mean' && tc.receiver && tc.positional.length === 0) inner = tc.receiver;
      else if (tc.qname && MEAN.test(tc.qname) && tc.positional.length === 1) inner = tc.positional[0];
      if (!inner) return null;
      // The mean's argument is the model's output on the differentiated tensor (`critic(x_hat)`, or a name bound to it).
      const out = only(inner);
      const oc = out && out.type === 'call' ? m.call(out) : null;
      if (!oc || !oc.positional.some((a) => sources.has(ctx.text(unparen(a))))) return null;
      const name = oc.qname ?? oc.method ?? '';
      if (/(?:^|\.)(?:reduce_\w+|sum|mean|norm|max|min|gather|slice|view|reshape|flatten|cat|stack|concat)$/.test(name)) return null;
      return tgt;
    };

    /** The gradient a norm is taken of, with or without an axis (`g.norm(2, dim=1)`, `tf.norm(g, axis=1)`, a root of a sum of squares). */
    const anyNormOf = (n0: PyNode): PyNode | null => {
      const n = unparen(n0);
      if (n.type !== 'call') return null;
      const c = m.call(n);
      if (!c || c.hasStarArgs || c.hasKwargs) return null;
      if (c.method === 'norm' && c.receiver) return c.receiver;
      if (c.qname && NORM_CALLS.has(c.qname)) return c.positional[0] ?? null;
      return rootSumOfSquares(ctx, n)?.of ?? null;
    };

    /** A norm or root of a sum of squares over axes written as integers: the tensor and the axes; else null. */
    const normAxes = (n0: PyNode): { of: PyNode; axes: number[] } | null => {
      const n = unparen(n0);
      if (n.type !== 'call') return null;
      const c = m.call(n);
      if (!c || c.hasStarArgs || c.hasKwargs) return null;
      let of: PyNode | null = null;
      let axisNode: PyNode | null = null;
      if (c.qname && NORM_CALLS.has(c.qname) && c.qname.startsWith('tensorflow.')) {
        of = c.positional[0] ?? null;
        axisNode = c.keywords.get('axis') ?? c.positional[2] ?? null;
      } else {
        const r = sqrtOf(ctx, n);
        const sc = r && unparen(r).type === 'call' ? m.call(unparen(r)) : null;
        if (!sc || !sc.qname || !SUM.test(sc.qname) || !sc.qname.startsWith('tensorflow.') || !sc.positional[0]) return null;
        of = squaredOf(ctx, sc.positional[0]);
        axisNode = sc.keywords.get('axis') ?? sc.keywords.get('reduction_indices') ?? sc.positional[1] ?? null;
      }
      if (!of || !axisNode) return null;
      const w = /^[[(]?\s*(-?\d+(?:\s*,\s*-?\d+)*)\s*,?\s*[\])]?$/.exec(ctx.text(axisNode));
      return w ? { of, axes: w[1].split(',').map((x) => Number(x.trim())) } : null;
    };

    /**
     * `tf.convert_to_tensor(G)` / `tf.stack(G)` where `G` is the whole list a TensorFlow derivative returns
     * (`tf.gradients(y, [x])`, `K.gradients(...)`, `tape.gradient(y, [x])`), not one of its items.
     */
    const stackedDerivativeList = (n0: PyNode): { call: PyNode; d: DerivativeEvent } | null => {
      const n = unparen(n0);
      const c = n.type === 'call' ? m.call(n) : null;
      if (!c || !c.qname || !/^tensorflow\.(?:convert_to_tensor|stack)$/.test(c.qname) || !c.positional[0]) return null;
      if (c.qname === 'tensorflow.stack' && (c.keywords.has('axis') || c.positional.length > 1)) return null;
      let a = unparen(c.positional[0]);
      if (a.type === 'identifier' && m.isUse(a)) {
        const bs = m.reachingBindings(a);
        if (bs.length !== 1 || bs[0].kind === 'param') return null;
        const v = bindingValue(bs[0]);
        if (!v || bs[0].target.type !== 'identifier') return null;
        a = unparen(v);
      }
      const d = a.type === 'call' ? byNode.get(a.id) : undefined;
      if (!d || d.spec.framework !== 'tensorflow') return null;
      const call = m.call(a);
      if (!call) return null;
      const method = call.method ?? '';
      const src = call.positional[1] ?? call.keywords.get('xs') ?? call.keywords.get('sources') ?? null;
      // `tf.gradients` and `K.gradients` always return a list; a tape returns one only for a list of sources.
      const listResult = /(?:^|\.)gradients$/.test(call.qname ?? '') || (method === 'gradient' && !!src && (unparen(src).type === 'list' || unparen(src).type === 'tuple'));
      return listResult ? { call: n, d } : null;
    };

    /** The expression that uses `n`: `n` itself, or the uses of the name it is assigned to (two levels). */
    const usesOfValue = (n: PyNode, depth: number): PyNode[] => {
      let child = n;
      let p = n.parent;
      while (p && p.type === 'parenthesized_expression') {
        child = p;
        p = p.parent;
      }
      if (!p || p.type !== 'assignment' || field(p, 'right')?.id !== child.id || depth >= 2) return [child];
      const left = field(p, 'left');
      if (!left || left.type !== 'identifier') return [];
      const b = m.bindings.find((x: Binding) => x.target.id === left.id);
      if (!b) return [];
      return m.usesOf(b).flatMap((u) => usesOfValue(u, depth + 1));
    };
    /** The parent of `n` seen through parentheses. */
    const up = (n: PyNode): { child: PyNode; parent: PyNode | null } => {
      let child = n;
      let p = n.parent;
      while (p && p.type === 'parenthesized_expression') {
        child = p;
        p = p.parent;
      }
      return { child, parent: p };
    };
    /** `e - 1` or `1 - e` around `e`, or null. */
    const minusOne = (e: PyNode): PyNode | null => {
      const { child, parent } = up(e);
      if (!parent || parent.type !== 'binary_operator' || ctx.text(field(parent, 'operator') ?? parent) !== '-') return null;
      const left = field(parent, 'left');
      const other = left && left.id === child.id ? field(parent, 'right') : left;
      return isOne(ctx, other ? unparen(other) : null) ? parent : null;
    };
    /** A mean over every axis (or axis 0) with `e` as its only operand: `torch.mean(e)`, `tf.reduce_mean(e)`, `K.mean(e)`, `e.mean()`. */
    const meanAround = (e: PyNode): PyNode | null => {
      const { child, parent } = up(e);
      if (!parent) return null;
      const axisOk = (c: { positional: readonly PyNode[]; keywords: ReadonlyMap<string, PyNode> }, pos: number): boolean => {
        const ax = c.keywords.get('axis') ?? c.keywords.get('dim') ?? c.keywords.get('reduction_indices') ?? c.positional[pos] ?? null;
        const others = [...c.keywords.keys()].filter((k) => k !== 'axis' && k !== 'dim' && k !== 'reduction_indices');
        return others.length === 0 && c.positional.length <= pos + 1 && (!ax || /^\[?\s*0\s*\]?$/.test(ctx.text(ax).trim()));
      };
      if (parent.type === 'argument_list' && parent.parent?.type === 'call') {
        const c = m.call(parent.parent);
        if (c && !c.hasStarArgs && !c.hasKwargs && c.qname && MEAN.test(c.qname) && c.positional[0]?.id === child.id && axisOk(c, 1)) return parent.parent;
      }
      if (parent.type === 'attribute' && parent.parent?.type === 'call' && field(parent, 'object')?.id === child.id) {
        const c = m.call(parent.parent);
        if (c && !c.hasStarArgs && !c.hasKwargs && c.method === 'mean' && axisOk(c, 0)) return parent.parent;
      }
      return null;
    };
    /** `e ** 2`, `square(e)`, `e.pow(2)`, `e.square()` around `e`, or null. */
    const squareAround = (e: PyNode): PyNode | null => {
      const { parent } = up(e);
      if (!parent) return null;
      const cand = parent.type === 'argument_list' || parent.type === 'attribute' ? parent.parent : parent;
      return cand && squaredOf(ctx, cand) ? cand : null;
    };
    /**
     * The value made from `n` by `steps` in turn, each applied to a use of the value before (through names bound to it, the
     * first with `depth` of them, the others one): the expressions each step found, or null.
     */
    const through = (n: PyNode, depth: number, steps: readonly ((e: PyNode) => PyNode | null)[]): PyNode[] | null => {
      if (steps.length === 0) return [];
      for (const u of usesOfValue(n, depth)) {
        const found = steps[0](u);
        if (!found) continue;
        const rest = through(found, 1, steps.slice(1));
        if (rest) return [found, ...rest];
      }
      return null;
    };
    /** `mean(n - 1) ** 2` or `(mean(n) - 1) ** 2` made of the norm `n` (through names it is bound to). */
    const meanBeforeSquare = (n: PyNode, depth: number): { mean: PyNode; square: PyNode } | null => {
      const deviationFirst = through(n, depth, [minusOne, meanAround, squareAround]);
      if (deviationFirst) return { mean: deviationFirst[1], square: deviationFirst[2] };
      const meanFirst = through(n, depth, [meanAround, minusOne, squareAround]);
      return meanFirst ? { mean: meanFirst[0], square: meanFirst[2] } : null;
    };

    for (const c of m.calls) {
      const g = fullNormOf(c.node);
      if (!g || done.has(c.node.id)) continue;
      const d = derivativeOf(g, 0, new Set());
      if (!d) continue;
      const batch = batchTarget(d);
      if (!batch) continue;
      const penalty = penaltyAround(c.node, 0);
      if (!penalty) continue;
      done.add(c.node.id);
      ctx.report({
        node: c.node,
        message:
          `\`${ctx.text(c.node).replace(/\s+/g, ' ')}\` is one norm over the whole input gradient of a batch (the derivative at ` +
          `line ${ctx.range(d.node).start.line + 1} is taken of ${batch}), so the penalty drives the norm of all samples ` +
          'together to 1, each sample\'s gradient norm to about 1/√(batch size). A gradient penalty needs one norm per ' +
          'sample: reduce over every axis but the batch axis (`g.view(g.size(0), -1).norm(2, dim=1)`, ' +
          '`tf.sqrt(tf.reduce_sum(tf.square(g), axis=list(range(1, g.shape.ndims))))`).',
        related: [
          { node: d.node, message: 'the input gradient of the whole batch' },
          { node: penalty, message: 'the penalty towards norm 1' },
        ],
      });
    }

    // A penalty towards norm 1 of the input gradient of a batch mean: every sample's gradient is divided by the batch
    // size, so the penalty drives each sample's gradient norm to the batch size (keras-contrib PR #75's review).
    for (const c of m.calls) {
      if (done.has(c.node.id)) continue;
      const g = anyNormOf(c.node);
      if (!g) continue;
      const d = derivativeOf(g, 0, new Set());
      if (!d) continue;
      const tgt = meanTarget(d);
      if (!tgt) continue;
      const penalty = penaltyAround(c.node, 0);
      if (!penalty) continue;
      done.add(c.node.id);
      ctx.report({
        node: tgt,
        message:
          `The input gradient at line ${ctx.range(d.node).start.line + 1} is taken of \`${ctx.text(tgt).replace(/\s+/g, ' ').slice(0, 50)}\`, a mean over the batch: ` +
          'each row is that sample\'s gradient divided by the batch size, so the penalty towards norm 1 (line ' +
          `${ctx.range(penalty).start.line + 1}) drives each sample's gradient norm to the batch size, not to 1. Differentiate the sum ` +
          (d.spec.framework === 'pytorch' ? '(`d.sum()`, or the output with `grad_outputs=torch.ones_like(d)`)' : '(`tf.reduce_sum(d)`, `K.sum(d)`)') +
          ': the sum of per-sample outputs has each sample\'s own gradient as its row.',
        related: [
          { node: d.node, message: 'the input gradient of the batch mean' },
          { node: penalty, message: 'the penalty towards norm 1' },
        ],
      });
    }

    // A norm over written axes that include the batch axis of a list of TensorFlow derivatives turned into one tensor
    // (`tf.convert_to_tensor(tf.gradients(d, [x]))`, `tf.stack(grads)`): the list's axis comes first, so the batch is
    // axis 1, and `axis=[1, 2]` sums over the samples.
    for (const c of m.calls) {
      if (done.has(c.node.id)) continue;
      const r = normAxes(c.node);
      if (!r || !r.axes.includes(1)) continue;
      const stacked = stackedDerivativeList(r.of);
      if (!stacked || !batchTarget(stacked.d)) continue;
      const penalty = penaltyAround(c.node, 0);
      if (!penalty) continue;
      done.add(c.node.id);
      ctx.report({
        node: c.node,
        message:
          `\`${ctx.text(stacked.call).replace(/\s+/g, ' ').slice(0, 60)}\` makes one tensor of the list of gradients that the derivative at line ` +
          `${ctx.range(stacked.d.node).start.line + 1} returns: the list's axis comes first and the batch is axis 1, so reducing axes ` +
          `${r.axes.join(', ')} sums over the samples and the penalty drives one norm of the whole batch to 1. Take the gradient ` +
          'itself (`tf.gradients(...)[0]`) and reduce every axis but its first.',
        related: [
          { node: stacked.d.node, message: 'a list of gradients, one per source' },
          { node: penalty, message: 'the penalty towards norm 1' },
        ],
      });
    }

    // `mean(n - 1) ** 2` (or `(mean(n) - 1) ** 2`) of per-sample norms: the deviations are averaged over the batch
    // before the square, so samples above and below norm 1 cancel and the penalty is the squared mean deviation.
    for (const c of m.calls) {
      if (done.has(c.node.id)) continue;
      const g = anyNormOf(c.node);
      if (!g || fullNormOf(c.node)) continue;
      const d = derivativeOf(g, 0, new Set());
      if (!d || !batchTarget(d) || meanTarget(d)) continue;
      const hit = meanBeforeSquare(c.node, 0);
      if (!hit) continue;
      done.add(c.node.id);
      ctx.report({
        node: hit.square,
        message:
          `\`${ctx.text(hit.square).replace(/\s+/g, ' ').slice(0, 60)}\` squares the batch mean of the per-sample norms' deviation from 1: ` +
          'samples whose gradient norm is above 1 cancel those below it, so the penalty can be zero while no sample has norm 1. ' +
          'A gradient penalty averages the squares: `mean((n - 1) ** 2)` ' +
          (d.spec.framework === 'pytorch' ? '(`((n - 1) ** 2).mean()`).' : '(`tf.reduce_mean(tf.square(n - 1.0))`).'),
        related: [
          { node: c.node, message: 'the per-sample gradient norm' },
          { node: hit.mean, message: 'the mean over the batch, taken before the square' },
        ],
      });
    }
  },
};
