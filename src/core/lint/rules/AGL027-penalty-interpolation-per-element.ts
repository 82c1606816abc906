/**
 * AGL027 penalty-interpolation-per-element: a gradient penalty (WGAN-GP and its relatives) is taken at
 * points `alpha * real + (1 - alpha) * fake` whose weight `alpha` is drawn per element
 * (`torch.rand(real.size())`, `torch.rand_like(real)`, `np.random.random(size=real.shape)`) instead of
 * per sample: the points are not on the segments between real and generated samples.
 *
 * Asked of the analysis: the leaf a derivative is taken with respect to (`LeafEvent`); the expression
 * made a leaf is followed through its bindings to the mixing weight and that weight to its random draw.
 */
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
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a derivative taken with respect to an interpolation `alpha * a + (1 - alpha) * b` (or `a + alpha * (b - a)`) ' +
        'made a leaf (`requires_grad_()`, `Variable(..., requires_grad=True)`), where `alpha` is a uniform random draw with ' +
        'the shape of a whole batch: `torch.rand(x.size())`, `torch.rand(x.shape)`, `torch.rand_like(x)`, ' +
        '`np.random.random(size=x.shape)`, `torch.FloatTensor(x.size()).uniform_()`, possibly moved with `.cuda()`/`.to()` ' +
        'or wrapped in a tensor constructor.',
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
        'not flagged. `torch.rand_like(x[:, 0:1])` is taken as one weight per sample (right for feature vectors `(N, d)`; for ' +
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
      if (d.spec.framework !== 'pytorch') continue;
      const inputs = d.inputs.items && d.inputs.items.length === 1 ? d.inputs.items[0] : d.inputs;
      const leafId = inputs.t?.leafOf ?? null;
      if (leafId === null) continue;
      const leaf = leafAt.get(leafId);
      if (!leaf) continue;
      const start = leaf.kind === 'factory' ? (ctx.model.call(leaf.target)?.positional[0] ?? null) : leaf.target;
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
  if (c.method && UNIFORM_FILL_METHODS.has(c.method) && c.receiver) {
    const r = unparen(c.receiver);
    const rc = r.type === 'call' ? ctx.model.call(r) : null;
    return !!rc && rc.positional.length === 1 && wholeShape(ctx, rc.positional[0]);
  }
  return false;
}

/** `x.size()`, `x.shape`, `x.data.size()`: the whole shape (not `x.size(0)` or `x.shape[0]`). */
function wholeShape(ctx: RuleContext, n: PyNode): boolean {
  const e = unparen(n);
  if (e.type === 'attribute') return ctx.text(field(e, 'attribute') ?? e) === 'shape';
  if (e.type === 'call') {
    const c = ctx.model.call(e);
    return !!c && c.method === 'size' && c.positional.length === 0;
  }
  return false;
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
          if (!drawsNoise(ctx, expr, w)) hit = { name: ctx.text(w), draw: o };
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
      if (/^torch\.(?:rand|randn|rand_like|randn_like|normal|bernoulli)$/.test(q) || q.startsWith('numpy.random.')) found = true;
    }
  });
  return found;
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
