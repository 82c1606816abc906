/**
 * AGL027 penalty-interpolation-per-element: a gradient penalty (WGAN-GP and its relatives) is taken at
 * points `alpha * real + (1 - alpha) * fake` whose weight `alpha` is drawn per element
 * (`torch.rand(real.size())`, `torch.rand_like(real)`, `np.random.random(size=real.shape)`) instead of
 * per sample: the points are not on the segments between real and generated samples.
 *
 * Asked of the analysis: the leaf a derivative is taken with respect to (`LeafEvent`); the expression
 * made a leaf is followed through its bindings to the mixing weight and that weight to its random draw.
 * In TensorFlow (`tape.gradient`, `tf.gradients`, `K.gradients`) the source expression itself is followed:
 * it needs no leaf, and the weight is `tf.random.uniform(tf.shape(x))`, `tf.random_uniform(x.get_shape())`.
 */
import { TF_SHAPE_OF, TF_UNIFORM_RANDOM_SHAPED } from '../knowledge/tensorflow';
import { UNIFORM_FILL_METHODS, UNIFORM_RANDOM_LIKE, UNIFORM_RANDOM_SHAPED } from '../knowledge/torch';
import type { Rule, RuleContext } from '../rule';
import { bindingValue } from '../semantic';
import { field, namedChildren, unparen, walk, type PyNode } from '../tree';

/** Calls that pass their first argument's value on (a device move, a wrapper, a re-leafing). */
const PASS_METHODS = new Set(['cuda', 'to', 'cpu', 'float', 'double', 'type', 'type_as', 'detach', 'clone', 'requires_grad_', 'contiguous']);

export const AGL027: Rule = {
  meta: {
    code: 'AGL027',
    name: 'penalty-interpolation-per-element',
    summary: 'A gradient penalty interpolates real and generated samples with a random weight per element, not per sample.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a derivative taken with respect to an interpolation `alpha * a + (1 - alpha) * b` (or `a + alpha * (b - a)`) ' +
        'made a leaf (`requires_grad_()`, `Variable(..., requires_grad=True)`), where `alpha` is a uniform random draw with ' +
        'the shape of a whole batch: `torch.rand(x.size())`, `torch.rand(x.shape)`, `torch.rand_like(x)`, ' +
        '`np.random.random(size=x.shape)`, `torch.FloatTensor(x.size()).uniform_()`, possibly moved with `.cuda()`/`.to()` ' +
        'or wrapped in a tensor constructor. In TensorFlow, a derivative (`tape.gradient`, `tf.gradients`, `K.gradients`) ' +
        'with respect to such an interpolation whose weight is `tf.random.uniform(tf.shape(x))`, `tf.random_uniform(shape=x.get_shape())`, ' +
        '`tf.random.uniform(x.shape)`, `K.random_uniform(K.shape(x))` or a shape written out with per-sample sizes ' +
        '(`tf.random_uniform(shape=[batch_size, res, res, nc])`).',
      whyIsThisBad:
        'WGAN-GP (Gulrajani et al., 2017, Algorithm 1) samples one ε per sample, so each penalty point lies on the straight ' +
        'line between a real and a generated sample, where the optimal critic has gradient norm 1. With one random weight ' +
        'per pixel the points are scattered in the box spanned by the two samples, off those lines: the penalty constrains ' +
        'the critic elsewhere than the method intends. Nothing fails; the training differs silently.',
      example: [
        '```python',
        'alpha = torch.rand(real.size())',
        'x_hat = (alpha * real + (1 - alpha) * fake).requires_grad_(True)',
        'g = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)[0]',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'alpha = torch.rand(real.size(0), *([1] * (real.dim() - 1)), device=real.device)   # one weight per sample',
        'x_hat = (alpha * real + (1 - alpha) * fake).requires_grad_(True)',
        '```',
      ].join('\n'),
      knownProblems:
        'Only uniform draws are taken as interpolation weights, and only when the weight is mixed into the point as ' +
        '`1 - alpha` or times a difference; additive noise (`x + eps * torch.rand_like(x)`) is not an interpolation and is ' +
        'not flagged. A TensorFlow weight of a shape written out (`[batch_size, 1, 1, 1]`, `[tf.shape(x)[0], 1]`) is per sample and ' +
        'not flagged. In TF1 a mix of two placeholders (fed data: DRAGAN\'s images and their perturbed copy) is a perturbation ' +
        'of the data, not a point between a real and a generated sample, and is not flagged. `torch.rand_like(x[:, 0:1])` is taken as one weight per sample (right for feature vectors `(N, d)`; for ' +
        'images it is still one weight per pixel and is missed). A weight drawn per element on purpose (a mixup-like augmentation) can be marked `# noqa: AGL027`.',
      fixSafety: 'No automatic fix: the per-sample shape depends on the data\'s rank.',
      references: ['[Improved Training of Wasserstein GANs (arXiv:1704.00028)](https://arxiv.org/abs/1704.00028)'],
    },
  },

  check(ctx) {
    const a = ctx.analysis;
    const leafAt = new Map(a.events.leaves.map((l) => [l.node.id, l]));
    const done = new Set<number>();
    for (const d of a.events.derivatives) {
      let start: PyNode | null = null;
      if (d.spec.framework === 'tensorflow') start = tfSource(ctx, d.node, d.spec.params, d.spec.inputs);
      else if (d.spec.framework === 'pytorch') {
        const inputs = d.inputs.items && d.inputs.items.length === 1 ? d.inputs.items[0] : d.inputs;
        const leafId = inputs.t?.leafOf ?? null;
        if (leafId === null) continue;
        const leaf = leafAt.get(leafId);
        if (!leaf) continue;
        start = leaf.kind === 'factory' ? (ctx.model.call(leaf.target)?.positional[0] ?? null) : leaf.target;
      }
      if (!start) continue;
      const found = perElementWeight(ctx, start);
      if (!found || done.has(found.draw.id)) continue;
      done.add(found.draw.id);
      ctx.report({
        node: found.draw,
        message:
          `The interpolation weight \`${found.name}\` is drawn per element (\`${ctx.text(found.draw).replace(/\s+/g, ' ')}\`), so the ` +
          `points the gradient penalty is taken at (line ${ctx.lineOf(d.node)}) are not on the segments between the two ` +
          'samples. Draw one weight per sample: shape `(N, 1, ..., 1)`.',
        related: [{ node: d.node, message: 'the penalty\'s derivative is taken here' }],
      });
    }
  },
};

/** The one source a TensorFlow derivative is taken with respect to (`tape.gradient(y, x)`, `tf.gradients(y, [x])`). */
function tfSource(ctx: RuleContext, node: PyNode, params: readonly string[], inputs: string | undefined): PyNode | null {
  const c = ctx.model.call(node);
  if (!c || !inputs) return null;
  const at = params.indexOf(inputs);
  let e: PyNode | null | undefined = c.keywords.get(inputs) ?? (at >= 0 ? c.positional[at] : null);
  if (!e) return null;
  e = unparen(e);
  if (e.type === 'list' || e.type === 'tuple') {
    const items = namedChildren(e);
    if (items.length !== 1) return null;
    e = items[0];
  }
  return e.type === 'identifier' || e.type === 'attribute' ? e : null;
}

interface Found {
  name: string;
  draw: PyNode;
}

/** The values an expression may have come from: through names, device moves and tensor wrappers (a few steps). */
function origins(ctx: RuleContext, expr: PyNode, depth = 0, out: PyNode[] = []): PyNode[] {
  const e = unparen(expr);
  if (depth > 6 || out.includes(e)) return out;
  out.push(e);
  if (e.type === 'identifier') {
    for (const b of ctx.model.reachingBindings(e)) {
      if (b.kind !== 'assign') continue;
      const v = bindingValue(b);
      if (v) origins(ctx, v, depth + 1, out);
    }
  } else if (e.type === 'call') {
    const c = ctx.model.call(e);
    if (c?.method && c.receiver && PASS_METHODS.has(c.method)) origins(ctx, c.receiver, depth + 1, out);
    else if (c && !c.method && c.positional.length === 1 && !isRandomDraw(ctx, e)) origins(ctx, c.positional[0], depth + 1, out); // Variable(x), Tensor(x)
  }
  return out;
}

/** A uniform draw shaped like a whole tensor. */
function isRandomDraw(ctx: RuleContext, e: PyNode): boolean {
  const c = ctx.model.call(e);
  if (!c) return false;
  const q = c.qname;
  // `rand_like(real)` of a whole tensor (a name or attribute); `rand_like(real[:, 0:1])` is per sample.
  if (q && UNIFORM_RANDOM_LIKE.has(q)) return c.positional.length >= 1 && (unparen(c.positional[0]).type === 'identifier' || unparen(c.positional[0]).type === 'attribute');
  if (q && UNIFORM_RANDOM_SHAPED.has(q)) {
    const shape = c.keywords.get('size') ?? (q === 'numpy.random.uniform' ? null : c.positional.length === 1 ? c.positional[0] : null);
    const starred = q === 'numpy.random.rand' || q === 'torch.rand' ? c.node && namedChildren(field(c.node, 'arguments') ?? c.node).find((x) => x.type === 'list_splat') : null;
    return (shape !== null && shape !== undefined && wholeShape(ctx, shape)) || (!!starred && wholeShape(ctx, namedChildren(starred)[0] ?? starred));
  }
  if (q && TF_UNIFORM_RANDOM_SHAPED.has(q)) {
    const shape = c.keywords.get('shape') ?? c.positional[0];
    return !!shape && (wholeShape(ctx, shape) || writtenPerElement(ctx, shape));
  }
  if (c.method && UNIFORM_FILL_METHODS.has(c.method) && c.receiver) {
    const r = unparen(c.receiver);
    const rc = r.type === 'call' ? ctx.model.call(r) : null;
    return !!rc && rc.positional.length === 1 && wholeShape(ctx, rc.positional[0]);
  }
  return false;
}

/**
 * `x.size()`, `x.shape`, `x.data.size()`: the whole shape (not `x.size(0)` or `x.shape[0]`); in TensorFlow also
 * `tf.shape(x)`, `K.shape(x)`, `x.get_shape()` and their `.as_list()`, of a whole tensor (not `tf.shape(x[:, :1])`).
 */
function wholeShape(ctx: RuleContext, n: PyNode): boolean {
  const e = unparen(n);
  if (e.type === 'attribute') return ctx.text(field(e, 'attribute') ?? e) === 'shape';
  if (e.type === 'call') {
    const c = ctx.model.call(e);
    if (!c) return false;
    if (c.method === 'size' && c.positional.length === 0) return true;
    if (c.method === 'get_shape' && c.positional.length === 0) return true;
    if (c.method === 'as_list' && c.receiver && c.positional.length === 0) return wholeShape(ctx, c.receiver);
    if (c.qname && TF_SHAPE_OF.has(c.qname) && c.positional.length === 1) {
      const t = unparen(c.positional[0]).type;
      return t === 'identifier' || t === 'attribute';
    }
  }
  return false;
}

/**
 * A shape written out (a list or tuple, directly or through a name) with two or more entries, some entry after
 * the first (the batch's) not a literal 1: `[batch_size, res, res, nc]` is one weight per pixel and channel.
 */
function writtenPerElement(ctx: RuleContext, n: PyNode, depth = 0): boolean {
  const e = unparen(n);
  if (e.type === 'identifier' && depth < 2) {
    const bs = ctx.model.reachingBindings(e);
    const v = bs.length === 1 && bs[0].kind === 'assign' ? bindingValue(bs[0]) : null;
    return !!v && writtenPerElement(ctx, v, depth + 1);
  }
  if (e.type !== 'list' && e.type !== 'tuple') return false;
  const items = namedChildren(e);
  if (items.length < 2 || items.some((x) => x.type === 'list_splat' || x.type === 'comment')) return false;
  return items.slice(1).some((x) => ctx.text(x).trim() !== '1');
}

/** The per-element weight mixed into the leaf's expression (`1 - w`, or `w` times a difference), with its draw. */
function perElementWeight(ctx: RuleContext, start: PyNode): Found | null {
  for (const expr of origins(ctx, start)) {
    let hit: Found | null = null;
    walk(expr, (n) => {
      if (hit) return false;
      if (n.type !== 'binary_operator') return;
      const op = field(n, 'operator');
      const l = field(n, 'left');
      const r = field(n, 'right');
      if (!op || !l || !r) return;
      let w: PyNode | null = null;
      const lu = unparen(l);
      const ru = unparen(r);
      if (op.type === '-' && /^1(\.0*)?$/.test(ctx.text(lu))) w = ru; // 1 - alpha
      else if (op.type === '*') {
        if (isDifference(ctx, ru)) w = lu; // alpha * (b - a)
        else if (isDifference(ctx, lu)) w = ru;
      }
      if (!w || (w.type !== 'identifier' && w.type !== 'call')) return;
      for (const o of origins(ctx, w)) {
        if (o.type === 'call' && isRandomDraw(ctx, o)) {
          // A mix with a randomly perturbed copy (DRAGAN's `x + c * noise`) is itself noise, not a point
          // between two samples: leave it alone.
          if (!drawsNoise(ctx, expr, w) && !betweenFedData(ctx, expr, w)) hit = { name: ctx.text(w), draw: o };
          return false;
        }
      }
    });
    if (hit) return hit;
  }
  return null;
}

/** The expression draws random numbers itself (outside the weight `w`): a perturbation, not an interpolation. */
function drawsNoise(ctx: RuleContext, expr: PyNode, w: PyNode): boolean {
  let found = false;
  walk(expr, (n) => {
    if (found || n === w) return false;
    if (n.type === 'call') {
      const q = ctx.model.call(n)?.qname ?? '';
      if (/^torch\.(?:rand|randn|rand_like|randn_like|normal|bernoulli)$/.test(q) || q.startsWith('numpy.random.') || /^tensorflow\.(?:compat\.v1\.)?(?:random\.|random_|keras\.backend\.random_)/.test(q)) found = true;
    }
  });
  return found;
}

/**
 * Every sample the expression mixes (outside the weight `w`, through a named difference) is a TF1 placeholder:
 * two fed data batches, such as DRAGAN's real images and their perturbed copy (`x + alpha * (x_p - x)`), whose
 * mix is a perturbation of the data, not a point between a real and a generated sample.
 */
function betweenFedData(ctx: RuleContext, expr: PyNode, w: PyNode): boolean {
  const samples: PyNode[] = [];
  const collect = (n: PyNode, depth: number): void => {
    walk(n, (x) => {
      if (x === w) return false;
      if (x.type === 'identifier' || x.type === 'attribute') {
        if (x.parent?.type === 'attribute' && x.field === 'object') return false;
        if (x.parent?.type === 'call' && x.field === 'function') return false;
        if (x.type === 'identifier' && depth < 2 && ctx.text(x) !== ctx.text(w)) {
          const bs = ctx.model.reachingBindings(x);
          const v = bs.length === 1 && bs[0].kind === 'assign' ? bindingValue(bs[0]) : null;
          const vu = v ? unparen(v) : null;
          if (vu && vu.type === 'binary_operator') {
            collect(vu, depth + 1);
            return false;
          }
        }
        if (ctx.text(x) !== ctx.text(w)) samples.push(x);
        return false;
      }
    });
  };
  collect(expr, 0);
  if (samples.length < 2) return false;
  return samples.every((x) => {
    const v = ctx.analysis.valueOf(x);
    const site = v && v.site >= 0 ? ctx.tree.nodes[v.site] : undefined;
    const q = site && site.type === 'call' ? ctx.model.call(site)?.qname : undefined;
    return q === 'tensorflow.placeholder' || q === 'tensorflow.compat.v1.placeholder';
  });
}

/** `b - a` of two non-literal operands, directly or through a name (`differences = fake - real`). */
function isDifference(ctx: RuleContext, n: PyNode): boolean {
  const cands = n.type === 'identifier' ? origins(ctx, n).slice(1, 4) : [n];
  return cands.some((c) => {
    const u = unparen(c);
    if (u.type !== 'binary_operator' || field(u, 'operator')?.type !== '-') return false;
    const l = field(u, 'left');
    const r = field(u, 'right');
    return !!l && !!r && !/^[\d.]+$/.test(ctx.text(l)) && !/^[\d.]+$/.test(ctx.text(r));
  });
}
