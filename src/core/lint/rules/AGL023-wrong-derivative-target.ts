/**
 * AGL023 wrong-derivative-target: a "second derivative" that is not the one meant.
 *
 *   - `u_xx = grad(u, x, ...)`: the name says second derivative, but `u` (not `u_x`) is differentiated;
 *   - `u_xx = grad(u_x, x, grad_outputs=ones)` where `u_x` is the whole gradient matrix (N, k): column j of
 *     the result is the sum over i of ∂²u/∂x_j∂x_i, a row sum of the Hessian, so `u_xx[:, 0]` has the mixed
 *     partials in it.
 *
 * Asked of the analysis: the derivative order and visible width of what is differentiated.
 *
 * JAX with optax: `optimizer.update(grads, state)` where `grads = jax.grad(loss)(x)` is taken with respect
 * to an array made in the code (data), while the optimizer state was initialised with the model or its
 * parameters — which `loss` closes over, so jax.grad treats them as constants. Also: a JAX gradient applied to a
 * parameter tree `P` whose differentiated argument (argnums) is not `P`, while `P` is given at another position or
 * read by the loss from its enclosing scope.
 */
import { isKind, Kind, type DerivativeEvent } from '../analysis';
import { tensorOfValue } from '../analysis/library';
import type { Rule, RuleContext } from '../rule';
import { baseIdentifier, rootCalleeName, type Binding, type FunctionInfo } from '../semantic';
import { callsIn, consumerArg, descentParams, functionArgument, gradientConsumer, literalInts, resolveFunction } from '../jax';
import { field, namedChildren, nodesOfType, nodesOfTypes, unparen, walk, type PyNode } from '../tree';
import { columnSliceOf, crossSample, wholeDerivative } from './AGL005-non-scalar-derivative';
import { elements } from '../torch';

export const AGL023: Rule = {
  meta: {
    code: 'AGL023',
    name: 'wrong-derivative-target',
    summary: 'A derivative of the wrong thing: `u_xx` of `u` instead of `u_x`, `v_t` with respect to x, a whole gradient matrix (mixed partials leak in), a JAX gradient of data given to the parameters\' optimizer, a gradient penalty of the weights, of one sample\'s output or of a WGAN critic\'s sigmoid, the sum of a B x B block `p[:, labels]`.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds (1) a derivative assigned to a name that says second derivative (`u_xx`, `d2u_dx2`) whose differentiated ' +
        'output is the function itself (`u`) rather than a first derivative (`u_x`), unless the name is rebound at once to the ' +
        'derivative of itself as many times as its order asks (`u_xx = grad(u, x)[0]; u_xx = grad(u_xx, x)[0]` is a second ' +
        'derivative), or the first derivative along another ' +
        'variable (`u_yy = grad(u_x, x)[0][:, 1:2]`, `dy_yy = tf.gradients(dy_x, x)[0][:, 1:]`: a mixed partial), or with respect ' +
        'to the function the first derivative was taken of (`tf.gradients(dy_y, y)` with `dy_y` from `tf.gradients(y, x)`: None, ' +
        'PyTorch raises); (2) a derivative of a whole first-derivative ' +
        'matrix with `grad_outputs` of ones (or a sum, or in TensorFlow with no `output_gradients`: `tape.gradient(g, x)` of the whole ' +
        'gradient `g` a derivative returned) when that matrix has several columns — visible from its shape, or because ' +
        'the code reads its columns (`g[:, 1]`, `g[:, 1:2]`, `g.narrow(1, 1, 1)`, or `g[:, i]` / `g.narrow(1, i, 1)` in a loop ' +
        '`for i in range(x.shape[1])` over the columns) or the result\'s columns; (3) in JAX with optax, `opt.update(grads, state)` ' +
        'where `grads = jax.grad(loss)(x)` is taken with respect to an array made in the code (`jnp.zeros(...)`, ' +
        '`jax.random.normal(...)`) while `state = opt.init(P)` was made for the model or its parameters (an Equinox module, ' +
        '`eqx.filter(model, ...)`), and, wherever a JAX gradient `grads = jax.grad(loss, argnums)(...)` is applied to a parameter ' +
        'tree `P` (`opt.update(grads, opt.init(P))`, `optax.apply_updates(P, ...)`, `jax.tree_util.tree_map(f, P, grads)`, ' +
        'Flax\'s `state.apply_gradients(grads=grads)` for `P` = `state.params`), ' +
        'a differentiated argument that is not `P` while `P` is given at another position (`jax.grad(loss)(x, y, P)`) or read by ' +
        '`loss` (or a function of the file it calls) from its enclosing scope; (4) a gradient penalty taken with respect to the weights (`D.parameters()`, ' +
        '`trainable_weights`, `trainable_variables`) whose result is driven towards norm 1 (`(‖g‖ - 1) ** 2`, `K.square(1 - n)`) ' +
        'or kept in a variable named as an R1/R2 or Lipschitz penalty; (5) the derivative of `D(x)[0]`, the first sample\'s output ' +
        'of a function of the file that returns one value, with respect to the batch `x` it was evaluated on, reduced per ' +
        'sample afterwards (`reduction_indices=[1, 2]`, `norm(2, dim=1)`); (6) a gradient penalty driven towards norm 1 of a ' +
        'critic\'s sigmoid, when the critic (a function or method of the file) returns the sigmoid beside the logits it is made of ' +
        '(`return out, out_logit, net` with `out = tf.nn.sigmoid(out_logit)`) and the critic\'s loss in the same function is the ' +
        'plain mean of the same sigmoid item (`-tf.reduce_mean(D_real)`, WGAN\'s form; a cross-entropy of the logits, as DRAGAN\'s, ' +
        'is not); (7) a derivative (`grad(y, x)`, `y.backward()`) of the sum or mean of `p[:, labels]`, where `labels` are the ' +
        'class targets of a classification loss in the same function (`F.cross_entropy(out, labels)`): a B x B block, not one entry ' +
        'per sample; (8) partial derivatives named in subscript notation in one function (`u_x`, `u_t`, `v_xx`), one of ' +
        'which (`v_t`) is taken with respect to the source a sibling named for another variable uses (`u_x = g(u, x_f)`, ' +
        '`v_t = g(v, x_f)`), while a sibling named for its own variable shows that variable\'s source (`u_t = g(u, t_f)`); ' +
        'whatever the names, two outputs of one call (`a, b = model(X)`) differentiated in one function equally often and in the ' +
        'same order with respect to the same sources but at one place, where one output repeats a source it already has and ' +
        'never gets the other\'s.',
      whyIsThisBad:
        '(1) `grad(u, x, ones_like(u_x))` is ∂u/∂x whatever `grad_outputs` is: the PDE residual then uses a first derivative ' +
        'where a second is meant, and the physics loss is wrong while everything runs. (2) With `grad_outputs=ones`, autograd ' +
        'returns the gradient of the sum of all entries of `u_x`: column j of the result is Σ_i ∂²u/∂x_j∂x_i. Taking column 0 ' +
        'as ∂²u/∂x² adds ∂²u/∂x∂t (or ∂²u/∂x∂y) to it; a Laplacian built from the columns counts every mixed partial twice. ' +
        '(3) `jax.grad` differentiates only its `argnums` argument (the first by default); a model or parameters the loss ' +
        'closes over are constants to it. The "gradients" are with respect to the input, and the optimizer applies them ' +
        'to the parameters (an error when the structures differ, a meaningless step when they match). (4) WGAN-GP and R1 ' +
        'penalise the gradient of the critic\'s output with respect to its input (its Lipschitz constant in x); the norm of ' +
        'the weight gradient is another quantity, so the critic is not kept smooth (keras-contrib c31a773, diffusers PR 6303). ' +
        '(5) The other samples\' outputs are not in `D(x)[0]`: their gradient rows are zero, and a per-sample penalty sees ' +
        'slope 0 for each of them (improved_wgan_training 5d96260). (6) The Wasserstein critic is an unbounded score; through a ' +
        'sigmoid its gradient vanishes wherever the critic saturates, so the loss and the penalty constrain and train another ' +
        'function (generative-models-collections fixed its WGAN_GP to use the logits). (7) `p[:, labels]` takes every sample\'s ' +
        'score for every sample\'s class; its sum is not the sum of each sample\'s own score, and for a softmax with balanced ' +
        'classes it is a constant, so the derivative is zero (domainbed\'s DANN penalty, fixed in PR 106). (8) The residual ' +
        'then uses dv/dx where dv/dt belongs (a Schrodinger PINN whose fix changed `x_f` to `t_f`).',
      example: [
        '```python',
        'u_x = torch.autograd.grad(u, xy, torch.ones_like(u), create_graph=True)[0]       # (N, 2)',
        'u_xx = torch.autograd.grad(u_x, xy, torch.ones_like(u_x), create_graph=True)[0]  # row sums of the Hessian',
        'laplacian = u_xx[:, 0] + u_xx[:, 1]',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'u_x = torch.autograd.grad(u, xy, torch.ones_like(u), create_graph=True)[0]',
        'u_xx = torch.autograd.grad(u_x[:, 0].sum(), xy, create_graph=True)[0][:, 0]',
        'u_yy = torch.autograd.grad(u_x[:, 1].sum(), xy, create_graph=True)[0][:, 1]',
        '```',
      ].join('\n'),
      knownProblems:
        '(1) reads names: `u_xx`, `u_ttt`, `d2u_dx2` and the name of the differentiated variable; names with different letters ' +
        '(`u_xy`, often a tuple of first partials) and other naming schemes are not checked. (2) needs the first derivative\'s width: a shape the analysis follows, or a column read with ' +
        'an index or a slice that starts at 1 or more (`g[:, 1:2]`), or a loop over `range(x.shape[1])` reading one column per ' +
        'step (code written for several columns: on a one-column input the sum has no mixed partial and the report is wrong; ' +
        'mark it `# noqa: AGL023`); `grad(g.sum(), x)[0][:, k]` written in one expression is AGL005\'s. (3) is checked against the ' +
        '`jax.grad` documentation and the Equinox maintainer\'s answer, not run (JAX is not installable where this linter is ' +
        'tested); it needs the optimizer, its `init` and its `update` in view, and parameters the analysis can see as such (a ' +
        'model object or a filter of it): a parameter pytree made by hand from `jnp` arrays is not told apart from data. ' +
        'The argnums form needs `P` as a name, the differentiated function defined in the file, and the gradient applied as it ' +
        'came out of `jax.grad` (a gradient used inside a loss, an input derivative of a PINN residual, is not judged); a ' +
        'fragment whose loss calls a model defined elsewhere (`model(x)`) shows no read of `P`, so it is not flagged (optax ' +
        'issues 291 and 808, Equinox issue 458). ' +
        '(4) reads the source\'s text (`parameters()`, `trainable_weights`, `trainable_variables`, `weights`, `variables`) and ' +
        'needs the penalty\'s form or an R1/R2/Lipschitz name; a gradient-norm regulariser of the weights that is meant ' +
        '(flat-minima penalties, gradient clipping) has neither and is not reported. (5) needs the model to be a function ' +
        'or module of the file whose returns are single values (a tuple\'s `[0]` is its first item, not a sample). (7) needs the ' +
        'index to be visibly a classification loss\'s targets; an arg-max index is left out, since on a batch of one (a saliency ' +
        'map of one image) the block is that one entry. (8) reads names: the variable letter of a source is the first letter of ' +
        'its name (`x_f`, `self.t_f`), and only lower-case single-letter subscripts are compared; a derivative whose result is ' +
        'indexed by column (`grad(u, xt)[0][:, 1:2]`) is left out.',
      fixSafety: 'No fix: the right derivative depends on which partial was meant, and (3) on how the loss takes the parameters.',
      references: [
        '[torch.autograd.grad](https://pytorch.org/docs/stable/generated/torch.autograd.grad.html)',
        '[jax.grad: argnums, the positional argument(s) to differentiate with respect to](https://docs.jax.dev/en/latest/_autosummary/jax.grad.html)',
        '[patrick-kidger/equinox#458: the gradient with respect to the input x, not of the parameters inside model](https://github.com/patrick-kidger/equinox/issues/458)',
        '[keras-team/keras-contrib c31a773: the gradient w.r.t. the input averaged samples, rather than the weights of the discriminator](https://github.com/keras-team/keras-contrib/commit/c31a77396f9974875b6bc322c9fef656430f6def)',
        '[igul222/improved_wgan_training#1: Discriminator(interpolates)[0]](https://github.com/igul222/improved_wgan_training/issues/1)',
        '[facebookresearch/DomainBed PR 106: fix calculation of DANN grad penalty](https://github.com/facebookresearch/DomainBed/pull/106)',
      ],
    },
  },

  check(ctx) {
    checkOptaxUpdates(ctx);
    checkTreeDescent(ctx);
    checkApplyGradients(ctx);
    checkPenaltyWrtWeights(ctx);
    checkFirstSampleTarget(ctx);
    checkPenaltyOfSquashedCritic(ctx);
    checkSummedClassBlock(ctx);
    checkSiblingSources(ctx);
    for (const d of ctx.analysis.events.derivatives) {
      if (!d.spec.outputs || d.spec.framework === 'jax') continue;
      const call = ctx.model.call(d.node);
      if (!call) continue;
      const outNode = call.keywords.get(d.spec.outputs) ?? call.positional[0] ?? null;
      if (!outNode) continue;
      const target = assignedName(d.node);
      if (target && namedFromFunction(ctx, target, outNode, d)) continue;
      if (target && pureOfOtherVariable(ctx, target, outNode, d)) continue;
      if (wrtOwnFunction(ctx, d, call, outNode)) continue;
      if (wholeMatrix(ctx, d, outNode, target)) continue;
      // `grad(g.sum(), x)[0][:, k]` with `g` a whole `grad(...)[0]`: seen in the syntax.
      const first = wholeDerivative(ctx.model, outNode);
      const slice = first ? columnSliceOf(ctx.model, d.node) : null;
      if (first && slice) {
        ctx.report({
          node: d.node,
          message:
            'This differentiates the whole gradient matrix (summed over its columns) and then takes one column: the result mixes ' +
            'in the mixed partials (u_xx + u_xy). Slice first: differentiate one column of the gradient, e.g. `grad(g[:, k].sum(), x)`.',
          related: [{ node: first.node, message: 'the first derivative (all columns) is made here' }],
        });
      }
    }
  },
};

/** The variable a derivative call is assigned to (`u_xx = grad(...)[0]`, `u_xx, = grad(...)`). */
function assignedName(call: PyNode): PyNode | null {
  let n: PyNode = call;
  while (n.parent && (n.parent.type === 'subscript' || n.parent.type === 'parenthesized_expression' || n.parent.type === 'unary_operator') && field(n.parent, 'value') !== null) n = n.parent;
  if (n.parent && n.parent.type === 'unary_operator') n = n.parent;
  const a = n.parent;
  if (!a || a.type !== 'assignment' || field(a, 'right') !== n) return null;
  let left = field(a, 'left');
  if (left && (left.type === 'pattern_list' || left.type === 'tuple_pattern') && namedChildren(left).length === 1) left = namedChildren(left)[0];
  return left && left.type === 'identifier' ? left : null;
}

/**
 * The number of derivatives in a chain that starts with the one assigned to `target` and goes on while a read of the
 * name is the differentiated output of another derivative assigned to the same name (`u_tt = grad(u, t)[0]` then
 * `u_tt = grad(u_tt, t)[0]` gives 2). A chain that forks (the intermediate value also read elsewhere) still counts
 * its rebinding derivative.
 */
function rebindingChain(ctx: RuleContext, target: PyNode): number {
  const m = ctx.model;
  const name = ctx.text(target);
  let steps = 1;
  let cur: PyNode | null = target;
  const seen = new Set<PyNode>();
  while (cur && !seen.has(cur) && steps < 8) {
    seen.add(cur);
    const b = m.bindings.find((x) => x.target === cur);
    if (!b) break;
    let next: PyNode | null = null;
    for (const use of m.usesOf(b)) {
      for (const d of ctx.analysis.events.derivatives) {
        if (!d.spec.outputs || d.spec.framework === 'jax') continue;
        const call = m.call(d.node);
        const out = call ? call.keywords.get(d.spec.outputs) ?? call.positional[0] ?? null : null;
        if (!out || unparen(out) !== use) continue;
        const t = assignedName(d.node);
        if (t && ctx.text(t) === name) next = t;
      }
      if (next) break;
    }
    if (!next) break;
    steps++;
    cur = next;
  }
  return steps;
}

/** Derivative letters in a name: `u_xx` → {base u, letters xx}; `d2u_dx2` → {base u, order 2}. */
function orderOfName(name: string): { base: string; order: number } | null {
  // One variable repeated (`u_xx`, `u_ttt`): letters that differ (`w_xy`) often name a tuple of partials.
  let m = /^(\w*?[A-Za-z0-9])_(([xyzt])\3{0,2})$/.exec(name);
  if (m) return { base: m[1], order: m[2].length };
  m = /^d(\d)([A-Za-z]\w*?)_?d([xyzt])\d?$/.exec(name);
  if (m) return { base: m[2], order: Number(m[1]) };
  return null;
}

/** (1) `u_xx = grad(u, ...)`: a name of order k from a differentiated value of order below k - 1. */
function namedFromFunction(ctx: RuleContext, target: PyNode, outNode: PyNode, d: DerivativeEvent): boolean {
  const want = orderOfName(ctx.text(target));
  const o = unparen(outNode);
  if (!want || want.order < 2 || o.type !== 'identifier') return false;
  const outName = ctx.text(o);
  const have = orderOfName(outName);
  const haveOrder = have && have.base === want.base ? have.order : outName === want.base ? 0 : -1;
  if (haveOrder < 0 || haveOrder >= want.order - 1) return false;
  // `u_xx = grad(u, x)[0]; u_xx = grad(u_xx, x)[0]`: the name holds the first derivative only until the next
  // statement differentiates it again and rebinds it; count the derivatives of that chain.
  if (haveOrder + rebindingChain(ctx, target) >= want.order) return false;
  ctx.report({
    node: d.node,
    message:
      `\`${ctx.text(target)}\` is named as a derivative of order ${want.order}, but this differentiates \`${outName}\`, which is of order ${haveOrder}: ` +
      `the result is a derivative of order ${haveOrder + 1}. Differentiate the first derivative instead (for \`u_xx\`, \`grad(u_x, x, ...)\`).`,
    related: [],
  });
  return true;
}

/**
 * (1b) `u_yy = grad(u_x, x)[0][:, 1:2]`, `dy2_yy = tf.gradients(dy2_x, x)[0][:, 1:]`: a name that says the pure second
 * derivative along one variable, computed by differentiating the first derivative along another variable of the same
 * function. Whatever column is then taken, the result is d/d·(∂u/∂x): a mixed partial (u_xy), not u_yy.
 */
function pureOfOtherVariable(ctx: RuleContext, target: PyNode, outNode: PyNode, d: DerivativeEvent): boolean {
  const want = /^(\w*?[A-Za-z0-9])_([xyzt])\2$/.exec(ctx.text(target));
  let o = unparen(outNode);
  // The sum written out (`grad(u_x.sum(), x)`): the same seed of ones.
  const c = ctx.model.call(o);
  if (c && c.method === 'sum' && c.receiver && c.positional.length === 0 && c.keywords.size === 0) o = unparen(c.receiver);
  if (!want || o.type !== 'identifier') return false;
  const have = /^(\w*?[A-Za-z0-9])_([xyzt])$/.exec(ctx.text(o));
  if (!have || have[1] !== want[1] || have[2] === want[2]) return false;
  ctx.report({
    node: d.node,
    message:
      `\`${ctx.text(target)}\` is named as the second derivative along \`${want[2]}\` twice, but this differentiates \`${ctx.text(o)}\`, the first ` +
      `derivative along \`${have[2]}\`: whichever column is taken, the result is a mixed partial (along \`${have[2]}\`, then another ` +
      `variable), not the second derivative along \`${want[2]}\`. Differentiate \`${want[1]}_${want[2]}\` instead.`,
    related: [],
  });
  return true;
}

/**
 * The derivative call whose result `node` is (through names bound once, tuple unpacking and column slices):
 * `dy_y` of `dy_x = tf.gradients(y, x)[0]; dy_x, dy_y = dy_x[:, 0:1], dy_x[:, 1:2]`. Its event, or null.
 */
function derivativeBehind(ctx: RuleContext, node: PyNode, events: Map<number, DerivativeEvent>, depth = 0): DerivativeEvent | null {
  const m = ctx.model;
  let n = unparen(node);
  while (n.type === 'subscript') n = unparen(namedChildren(n)[0]);
  if (n.type === 'call') {
    // `u_y.sum()`: the seed of ones written out.
    const c = m.call(n);
    if (c && c.method === 'sum' && c.receiver && c.positional.length === 0 && c.keywords.size === 0) return derivativeBehind(ctx, c.receiver, events, depth + 1);
    return events.get(n.id) ?? null;
  }
  if (n.type !== 'identifier' || !m.isUse(n) || depth > 4) return null;
  const bs = m.reachingBindings(n);
  if (bs.length !== 1 || bs[0].kind !== 'assign' || !bs[0].value || bs[0].path.length > 1) return null;
  let v = unparen(bs[0].value);
  if (bs[0].path.length === 1) {
    if (v.type !== 'tuple' && v.type !== 'expression_list' && v.type !== 'list') return null;
    const item = namedChildren(v)[bs[0].path[0]];
    if (!item) return null;
    v = unparen(item);
  }
  return derivativeBehind(ctx, v, events, depth + 1);
}

/**
 * A derivative of a first derivative with respect to the very function that first derivative differentiated
 * (`dy_yy = tf.gradients(dy_y, y)` where `dy_y` comes from `tf.gradients(y, x)`): the derivative graph of dy/dx does
 * not go through y itself, so TensorFlow returns None and PyTorch raises "One of the differentiated Tensors appears to
 * not have been used in the graph"; the input was meant (DeepXDE issue 132).
 */
function wrtOwnFunction(ctx: RuleContext, d: DerivativeEvent, call: NonNullable<ReturnType<RuleContext['model']['call']>>, outNode: PyNode): boolean {
  const m = ctx.model;
  const events = new Map<number, DerivativeEvent>();
  for (const e of ctx.analysis.events.derivatives) events.set(e.node.id, e);
  const first = derivativeBehind(ctx, outNode, events);
  if (!first || first === d || !first.spec.outputs || !first.spec.inputs) return false;
  const firstCall = m.call(first.node);
  if (!firstCall || firstCall.hasStarArgs || firstCall.hasKwargs || call.hasStarArgs || call.hasKwargs) return false;
  const firstOut = firstCall.keywords.get(first.spec.outputs) ?? firstCall.positional[0];
  const firstIn = firstCall.keywords.get(first.spec.inputs) ?? firstCall.positional[1];
  const src = d.spec.inputs ? (call.keywords.get(d.spec.inputs) ?? call.positional[1]) : undefined;
  if (!firstOut || !firstIn || !src) return false;
  let fo = unparen(firstOut);
  // The sum written out (`grad(u.sum(), x)`): the function is `u`.
  const fc = m.call(fo);
  if (fc && fc.method === 'sum' && fc.receiver && fc.positional.length === 0 && fc.keywords.size === 0) fo = unparen(fc.receiver);
  const s = unparen(src);
  const fi = unparen(firstIn);
  if (fo.type !== 'identifier' || s.type !== 'identifier' || fi.type !== 'identifier' || !m.isUse(fo) || !m.isUse(s) || !m.isUse(fi)) return false;
  const same = (a: PyNode, b: PyNode): boolean => {
    const ra = m.reachingBindings(a);
    const rb = m.reachingBindings(b);
    return ra.length > 0 && ra.length === rb.length && ra.every((x) => rb.includes(x));
  };
  // With respect to the first derivative's function, and not also its input (`grad(u_x, u)` where u is x itself).
  if (!same(fo, s) || same(fi, s)) return false;
  ctx.report({
    node: d.node,
    message:
      `This differentiates \`${ctx.text(outNode)}\`, a derivative of \`${ctx.text(fo)}\` with respect to \`${ctx.text(fi)}\`, with respect to ` +
      `\`${ctx.text(s)}\` itself: the first derivative's graph does not go through \`${ctx.text(s)}\`, so the result is None ` +
      `(PyTorch raises "appears to not have been used in the graph"). A second derivative is taken with respect to the input: ` +
      `\`${ctx.text(fi)}\`.`,
    related: [{ node: first.node, message: `the first derivative, of \`${ctx.text(fo)}\` with respect to \`${ctx.text(fi)}\`` }],
  });
  return true;
}

/** (2) The whole first-derivative matrix differentiated with ones: mixed partials leak into every column. */
function wholeMatrix(ctx: RuleContext, d: DerivativeEvent, outNode: PyNode, target: PyNode | null): boolean {
  // `grad(g.sum(), x)` is the seed of ones written as a sum; `grad(g.sum(), x)[0][:, k]` in one expression is checked below.
  const summedCall = ctx.model.call(unparen(outNode));
  const summed = !!summedCall && summedCall.method === 'sum' && !!summedCall.receiver && summedCall.positional.length === 0 && summedCall.keywords.size === 0;
  if (summed && columnSliceOf(ctx.model, d.node)) return false;
  const o = summed ? unparen(summedCall!.receiver!) : unparen(outNode);
  // The summed form only of a whole first derivative held by a name (`du.sum()` with `du = grad(...)[0]`): a sum of
  // something computed from it (`g.square().sum()`, a double-backward check) is a scalar function of the gradient.
  if (summed && (o.type !== 'identifier' || wholeDerivative(ctx.model, outNode) === null)) return false;
  const t = summed ? ctx.analysis.valueOf(o)?.t : d.output.t;
  if (!t || t.order < 1) return false;
  // TensorFlow differentiates the sum of a non-scalar target when no `output_gradients` is given: ones.
  const implicitSum = !summed && d.spec.framework === 'tensorflow' && d.gradOutputs === 'absent';
  const ones = summed || implicitSum || (d.gradOutputs !== 'absent' && d.gradOutputs !== 'unknown' && /ones|fill_\(\s*1(?:\.0*)?\s*\)/.test(argText(ctx, d)));
  if (!ones) return false;
  const dims = t.dims;
  const width = dims && dims.length >= 2 ? dims[dims.length - 1] : null;
  if (width !== null && width <= 1) return false;
  // Several columns: a visible width; the first derivative's own columns read; or, when it is a whole
  // `grad(...)[0]`, the result's columns read (the result has the input's width, and so does the gradient).
  const whole = summed ? wholeDerivative(ctx.model, outNode) !== null : wholeGradient(ctx, d);
  // TensorFlow's implicit sum: only of the whole gradient a derivative returned (not a column of it rebound to its name).
  if (implicitSum && !whole) return false;
  const sliced = (o.type === 'identifier' && columnRead(ctx, ctx.text(o))) || (target && whole ? columnRead(ctx, ctx.text(target)) : null);
  if (!(width !== null && width > 1) && !sliced) return false;
  // Written as a sum, it is read as a second derivative only where a column of it (or of the gradient) is taken.
  if (summed && !sliced) return false;
  ctx.report({
    node: d.node,
    message:
      `This differentiates the whole first-derivative matrix \`${ctx.text(o)}\`${width ? ` (${width} columns)` : ''} ${summed ? 'summed over its columns' : implicitSum ? '(TensorFlow differentiates the sum of its entries)' : 'with `grad_outputs` of ones'}: ` +
      'column j of the result is the sum over i of ∂²u/∂x_j∂x_i (a row sum of the Hessian), so the mixed partials leak into each ' +
      `"second derivative". Differentiate one column at a time: ` +
      (implicitSum ? `\`tape.gradient(${ctx.text(o)}[:, j], x)[:, j]\`.` : `\`grad(${ctx.text(o)}[:, j].sum(), x, create_graph=True)[0][:, j]\`.`),
    related: sliced ? [{ node: sliced, message: 'a column is read here' }] : [],
  });
  return true;
}

function argText(ctx: RuleContext, d: DerivativeEvent): string {
  const call = ctx.model.call(d.node);
  const g = call ? (call.keywords.get('grad_outputs') ?? call.positional[2]) : undefined;
  return g ? ctx.text(g) : '';
}

/** `name[:, k]` / `name[:, [k]]` / `name[0][0][k]` with k ≥ 1 somewhere in the file: it has several columns. */
function columnRead(ctx: RuleContext, name: string): PyNode | null {
  ctx.model.probeWord(name);
  for (const n of nodesOfType(ctx.tree, 'subscript')) {
    let base = field(n, 'value');
    while (base && base.type === 'subscript') base = field(base, 'value');
    if (!base || base.type !== 'identifier' || ctx.text(base) !== name) continue;
    const subs = n.children.filter((c) => c.field === 'subscript');
    const last = subs[subs.length - 1];
    if (!last) continue;
    // `g[:, 1]`, `g[:, [1]]`, `g[:, 1:2]`, `g[..., 1:]`: a column (or columns) from the second on.
    const idx = /^\[?\s*(\d+)\s*(?::\s*\d*\s*)?\]?$/.exec(ctx.text(last).trim());
    const columnar = subs.length >= 2 || (field(n, 'value')?.type === 'subscript');
    if (columnar && idx && Number(idx[1]) >= 1) return n;
    // `g[:, i]` with `i` running over the columns of a tensor (`for i in range(x.shape[1])`): code written for several.
    if (subs.length >= 2 && unparen(last).type === 'identifier' && columnLoopVariable(ctx, unparen(last))) return n;
  }
  // `g.narrow(1, k, 1)` with k ≥ 1 or a loop variable over the columns.
  for (const c of ctx.model.calls) {
    if (c.method !== 'narrow' || !c.receiver || unparen(c.receiver).type !== 'identifier' || ctx.text(unparen(c.receiver)) !== name) continue;
    const dim = c.positional[0] ?? c.keywords.get('dim');
    const start = c.positional[1] ?? c.keywords.get('start');
    if (!dim || !start || !/^(?:1|-1)$/.test(ctx.text(unparen(dim)).trim())) continue;
    const st = unparen(start);
    if ((st.type === 'integer' && Number(ctx.text(st)) >= 1) || (st.type === 'identifier' && columnLoopVariable(ctx, st))) return c.node;
  }
  return null;
}

/** `i` is the variable of an enclosing `for i in range(t.shape[1])` (or `t.size(1)`, `t.shape[-1]`): one per column. */
function columnLoopVariable(ctx: RuleContext, id: PyNode): boolean {
  const name = ctx.text(id);
  for (let p = id.parent; p; p = p.parent) {
    if (p.type === 'function_definition') return false;
    if (p.type !== 'for_statement') continue;
    const left = field(p, 'left');
    const right = field(p, 'right');
    if (!left || !right || left.type !== 'identifier' || ctx.text(left) !== name) continue;
    const r = unparen(right);
    const rc = r.type === 'call' ? ctx.model.call(r) : null;
    if (!rc || rc.qname !== 'range' || rc.positional.length !== 1) return false;
    return /(?:\.shape\s*\[\s*-?1\s*\]|\.size\(\s*-?1\s*\))$/.test(ctx.text(unparen(rc.positional[0])).replace(/\s+/g, ''));
  }
  return false;
}

/** The differentiated value is `grad(...)[0]` itself, not a column of it. */
function wholeGradient(ctx: RuleContext, d: DerivativeEvent): boolean {
  const site = d.output.site >= 0 ? ctx.tree.nodes[d.output.site] : null;
  // An item of a derivative's result is made at the derivative call itself.
  if (site && site.type === 'call' && ctx.analysis.events.derivatives.some((x) => x.node === site)) return true;
  if (!site || site.type !== 'subscript') return false;
  const subs = site.children.filter((c) => c.field === 'subscript');
  const v = field(site, 'value');
  return subs.length === 1 && ctx.text(subs[0]).trim() === '0' && !!v && unparen(v).type === 'call';
}

/**
 * `opt.update(grads, opt_state)` of an optax optimizer whose state was made by `opt.init(P)` with `P` the
 * model or its parameters, where `grads` is a JAX gradient with respect to an array made in the code (not
 * `P`): jax.grad differentiates only its `argnums` argument, so what the loss closes over is a constant and
 * the update is an input gradient applied to the parameters (equinox issue 458).
 */
function checkOptaxUpdates(ctx: RuleContext): void {
  const m = ctx.model;
  const a = ctx.analysis;
  for (const c of m.calls) {
    const consumer = gradientConsumer(c);
    if (consumer?.kind !== 'transform' || !c.receiver || unparen(c.receiver).type !== 'identifier') continue;
    const recv = unparen(c.receiver);
    const isOptax = m.reachingBindings(recv).some((b) => {
      const v = b.value ? unparen(b.value) : null;
      const call = v && v.type === 'call' ? m.call(v) : null;
      return !!call && (call.qname ?? rootCalleeName(call) ?? '').startsWith('optax.');
    });
    if (!isOptax) continue;
    const updates = consumerArg(c, consumer.grads);
    const state = consumerArg(c, consumer.state);
    if (!updates || !state || unparen(state).type !== 'identifier') continue;
    // The state's `opt.init(P)`.
    let initArg: PyNode | null = null;
    let initCall: PyNode | null = null;
    const stateName = ctx.text(unparen(state));
    const encl = m.enclosingFunction(c.node);
    const globalState = encl && declaresGlobal(ctx, encl.node, stateName) ? m.bindingsOf(stateName, m.moduleScope) : [];
    for (const b of [...m.reachingBindings(unparen(state)), ...globalState]) {
      const v = b.value ? unparen(b.value) : null;
      const ic = v && v.type === 'call' ? m.call(v) : null;
      if (!ic || ic.method !== 'init' || !ic.receiver || ctx.text(ic.receiver) !== ctx.text(recv)) continue;
      initArg = ic.keywords.get('params') ?? ic.positional[0] ?? null;
      initCall = ic.node;
    }
    if (!initArg || !initCall) continue;
    const pv = a.valueOf(initArg);
    const paramsValue = !!pv && (tensorOfValue(pv).params.length > 0 || !!pv.mod);
    const uv = a.valueOf(updates);
    if (!uv) continue;
    const grads = tensorOfValue(uv).dGraph;
    for (const d of a.events.derivatives) {
      if (d.spec.framework !== 'jax' || !grads.includes(d.node.id)) continue;
      // The parameters the update is for: its `params` argument when given (`opt.update(g, state, w)`), else the init's.
      const updateParams = c.keywords.get('params') ?? c.positional[2] ?? initArg;
      const closed = madeBy(ctx, updates, d.node) ? closedOverParameters(ctx, d.node, updateParams) : null;
      if (closed) {
        reportClosedOver(ctx, d.node, closed, updateParams === initArg ? initCall : null, c.node);
        continue;
      }
      if (!pv || !paramsValue) continue;
      const x = d.inputs;
      const t = x.t;
      // Visibly data: an array made here, with no parameters, no graph and nothing unknown behind it.
      const fresh = isKind(x, Kind.TENSOR) && !isKind(x, Kind.UNKNOWN) && !!t && !t.opaque && t.params.length === 0 && t.leaves.length === 0 && x.site !== pv.site;
      if (!fresh) continue;
      const xNode = x.site >= 0 ? ctx.tree.nodes[x.site] : null;
      const argNode = m.call(d.node)?.positional.find((p) => a.valueOf(p)?.site === x.site) ?? null;
      const what = argNode && xNode && argNode !== xNode ? `\`${ctx.text(argNode)}\` (\`${ctx.text(xNode)}\`, line ${ctx.lineOf(xNode)})` : xNode ? `\`${ctx.text(xNode)}\`` : 'its argument';
      const fnNode = field(d.node, 'function');
      ctx.report({
        node: d.node,
        message:
          `\`${fnNode ? ctx.text(fnNode) : d.api}\` differentiates with respect to ${what}, an array made in the code, ` +
          `not the parameters the optimizer was initialised with (\`${ctx.text(initArg)}\`, line ${ctx.lineOf(initCall)}): what the loss closes over is a ` +
          `constant to ${d.api}, so \`${ctx.text(field(c.node, 'function') ?? recv)}\` (line ${ctx.lineOf(c.node)}) is given an input gradient. ` +
          'Make the parameters (or the model) the differentiated argument: `def loss(model, x)` and `jax.grad(loss)(model, x)` ' +
          '(`eqx.filter_grad` for Equinox models).',
        related: [
          { node: initCall, message: 'the optimizer state is made for these parameters' },
          { node: c.node, message: 'the gradient is applied here' },
        ],
      });
    }
  }
}

/** A JAX gradient not taken with respect to the parameters it updates: the differentiated argument, and where the parameters are instead. */
interface ClosedOver {
  arg: PyNode;
  /** The read of the parameters from the enclosing scope, or (`passed`) the argument position they are given at. */
  read: PyNode;
  fn: FunctionInfo;
  passed: boolean;
  /** The parameters' text (`params`, `state.params`). */
  pText: string;
}

/**
 * `jax.grad(loss, argnums=k)(args...)` where the optimizer's parameters `P` (a name) are not the differentiated
 * argument(s) but `loss` reads `P` itself, from the scope it closes over (directly or through the file's functions it
 * calls): jax.grad treats what a function closes over as a constant, so the gradient is with respect to something
 * else. Returns the differentiated argument and the read of `P`, or null.
 */
function closedOverParameters(ctx: RuleContext, applied: PyNode, initArg: PyNode, attr: string | null = null): ClosedOver | null {
  const m = ctx.model;
  const p = unparen(initArg);
  if (p.type !== 'identifier') return null;
  const call = m.call(applied);
  const transform = call?.calleeCall;
  if (!call || !transform || (transform.qname !== 'jax.grad' && transform.qname !== 'jax.value_and_grad') || call.hasStarArgs || call.hasKwargs) return null;
  const funArg = functionArgument(transform);
  const fn = funArg ? resolveFunction(m, funArg) : null;
  if (!fn) return null;
  const argnumsNode = transform.keywords.get('argnums') ?? transform.positional[1];
  const argnums = argnumsNode ? literalInts(m, argnumsNode) : [0];
  if (!argnums || argnums.length === 0) return null;
  const pBindings = new Set(m.reachingBindings(p));
  // A fragment that uses the parameters (or the Flax state) without binding them: the same unbound global everywhere.
  const unbound = pBindings.size === 0 && !m.bindingsOf(ctx.text(p), m.moduleScope).length;
  if (pBindings.size === 0 && !unbound) return null;
  const name = ctx.text(p);
  const mentions = (arg: PyNode): boolean => {
    let found = false;
    walk(arg, (n) => {
      if (n.type === 'identifier' && ctx.text(n) === name) found = true;
      return !found;
    });
    if (found) return true;
    const base = baseIdentifier(arg);
    return !!base && m.isUse(base) && m.reachingBindings(base).some((b) => pBindings.has(b) || (b.value !== null && ctx.text(b.value).includes(name)));
  };
  const differentiated = argnums.map((i) => (i >= 0 ? call.positional[i] : call.positional[call.positional.length + i]));
  if (differentiated.some((x) => !x || mentions(x))) return null;
  // The parameters given, but at a position that is not differentiated (`jax.grad(loss)(x, y, params)`).
  const pText = attr ? `${name}.${attr}` : name;
  const passed = call.positional.find((x) => !differentiated.includes(x) && ctx.text(unparen(x)) === pText);
  if (passed) return { arg: differentiated[0]!, read: passed, fn, passed: true, pText };
  // Otherwise no argument may be (or be made from) the parameters, else the gradient may well be theirs.
  if ([...call.positional, ...call.keywords.values()].some(mentions)) return null;
  const arg = differentiated[0]!;
  // `global P` in the function that updates P: the engine keeps that function's assignments apart, but the
  // variable is the module's one, which is the one the differentiated function reads.
  const pScope = unbound ? null : [...pBindings][0].scope;
  const declared = !!pScope && pScope.fn !== null && declaresGlobal(ctx, pScope.fn.node, name);
  const same = (b: Binding): boolean => pBindings.has(b) || (declared && b.scope.kind === 'module');
  const read = readOfBindings(m, fn, name, attr, same, unbound, 0, new Set());
  return read ? { arg, read, fn, passed: false, pText } : null;
}

/**
 * Whether `expr` is the result of the call `call` itself, or a name bound from it (`grads = jax.grad(f)(x)`,
 * `loss, grads = jax.value_and_grad(f)(x)`), not a value computed from it: a gradient used inside a loss (a penalty,
 * a PDE residual) is also in the graph of the loss's gradient, but it is not what the update applies.
 */
function madeBy(ctx: RuleContext, expr: PyNode, call: PyNode): boolean {
  const n = unparen(expr);
  if (n === call) return true;
  if (n.type !== 'identifier' || !ctx.model.isUse(n)) return false;
  return ctx.model.reachingBindings(n).some((b) => b.value !== null && unparen(b.value) === call);
}

/** `updates` made by `updates, state = tx.update(grads, state, ...)`: the `grads` it transforms (an optax update keeps the tree). */
function updateInputs(ctx: RuleContext, expr: PyNode): PyNode[] {
  const m = ctx.model;
  const n = unparen(expr);
  if (n.type !== 'identifier' || !m.isUse(n)) return [];
  const out: PyNode[] = [];
  for (const b of m.reachingBindings(n)) {
    const v = b.value ? unparen(b.value) : null;
    const c = v && v.type === 'call' ? m.call(v) : null;
    if (!c || gradientConsumer(c)?.kind !== 'transform' || (b.path.length > 0 && b.path[0] !== 0)) continue;
    const g = consumerArg(c, gradientConsumer(c)!.grads);
    if (g) out.push(g);
  }
  return out;
}

/**
 * Plain gradient descent on a pytree, `P = jax.tree_util.tree_map(lambda p, g: p - lr * g, P, grads)` (or
 * `optax.apply_updates(P, grads)`), where `grads` is a JAX gradient of a function that reads `P` from its
 * enclosing scope instead of being given it (see `closedOverParameters`).
 */
function checkTreeDescent(ctx: RuleContext): void {
  const m = ctx.model;
  const a = ctx.analysis;
  for (const c of m.calls) {
    const pos = descentParams(c);
    if (pos === undefined || c.positional.length < pos + 2) continue;
    const params = c.positional[pos];
    const others = c.positional.slice(pos + 1);
    for (const g of others.flatMap((x) => [x, ...updateInputs(ctx, x)])) {
      const gv = a.valueOf(g);
      if (!gv) continue;
      const graph = tensorOfValue(gv).dGraph;
      for (const d of a.events.derivatives) {
        if (d.spec.framework !== 'jax' || !graph.includes(d.node.id)) continue;
        const closed = madeBy(ctx, g, d.node) ? closedOverParameters(ctx, d.node, params) : null;
        if (closed) reportClosedOver(ctx, d.node, closed, null, c.node);
      }
    }
  }
}

/** Whether a function declares `global name` / `nonlocal name` in its own body. */
function declaresGlobal(ctx: RuleContext, fnNode: PyNode, name: string): boolean {
  let found = false;
  walk(field(fnNode, 'body') ?? fnNode, (n) => {
    if (found || n.type === 'function_definition' || n.type === 'class_definition') return false;
    if ((n.type === 'global_statement' || n.type === 'nonlocal_statement') && namedChildren(n).some((x) => ctx.text(x) === name)) found = true;
    return !found;
  });
  return found;
}

/**
 * Flax: `state = state.apply_gradients(grads=grads)` applies `grads` to `state.params`; a JAX gradient of a function
 * that reads `state.params` from its enclosing scope while differentiating something else (see `closedOverParameters`).
 */
function checkApplyGradients(ctx: RuleContext): void {
  const m = ctx.model;
  const a = ctx.analysis;
  for (const c of m.calls) {
    const consumer = gradientConsumer(c);
    if (consumer?.kind !== 'apply' || !c.receiver || unparen(c.receiver).type !== 'identifier') continue;
    const g = consumerArg(c, consumer.grads);
    const gv = g ? a.valueOf(g) : undefined;
    if (!g || !gv) continue;
    const graph = tensorOfValue(gv).dGraph;
    for (const d of a.events.derivatives) {
      if (d.spec.framework !== 'jax' || !graph.includes(d.node.id)) continue;
      const closed = madeBy(ctx, g, d.node) ? closedOverParameters(ctx, d.node, c.receiver, 'params') : null;
      if (closed) reportClosedOver(ctx, d.node, closed, null, c.node);
    }
  }
}

/** A read of `name`, inside `fn` or a function of this file it calls (three deep), of the variable some of whose bindings `same` accepts. */
function readOfBindings(m: RuleContext['model'], fn: FunctionInfo, name: string, attr: string | null, same: (b: Binding) => boolean, unbound: boolean, depth: number, seen: Set<FunctionInfo>): PyNode | null {
  if (depth > 3 || seen.has(fn)) return null;
  seen.add(fn);
  let found: PyNode | null = null;
  const body = field(fn.node, 'body') ?? fn.node;
  walk(body, (n) => {
    if (found) return false;
    const reach = n.type === 'identifier' && m.isUse(n) && m.textOf(n) === name ? m.reachingBindings(n) : null;
    if (reach && (reach.some(same) || (unbound && reach.length === 0))) {
      // `state.params` when the parameters are an attribute: a read of that attribute, not of anything else of `state`.
      const a = n.parent;
      if (!attr) found = n;
      else if (a && a.type === 'attribute' && field(a, 'object') === n && m.textOf(field(a, 'attribute') ?? a) === attr) found = a;
    }
    return true;
  });
  if (found) return found;
  for (const c of callsIn(m, fn)) {
    if (!c.local || c.local === fn) continue;
    const r = readOfBindings(m, c.local, name, attr, same, unbound, depth + 1, seen);
    if (r) return r;
  }
  return null;
}

function reportClosedOver(ctx: RuleContext, applied: PyNode, closed: ClosedOver, initCall: PyNode | null, update: PyNode): void {
  const fnNode = field(applied, 'function');
  const api = fnNode ? ctx.text(field(fnNode, 'function') ?? fnNode) : 'jax.grad';
  const p = closed.pText;
  const where = closed.passed
    ? `are given to \`${closed.fn.name}\` at a position that is not differentiated (\`${ctx.text(closed.read)}\`): JAX differentiates only the ` +
      `argnums arguments (default 0)`
    : `are read by \`${closed.fn.name}\` from the enclosing scope (line ${ctx.lineOf(closed.read)}): JAX treats what a function closes ` +
      `over as a constant`;
  ctx.report({
    node: applied,
    message:
      `\`${api}\` differentiates \`${closed.fn.name}\` with respect to \`${ctx.text(closed.arg)}\` (argnums), but the parameters it updates, ` +
      `\`${p}\` (line ${ctx.lineOf(initCall ?? update)}), ${where}, so the gradient applied to them (line ${ctx.lineOf(update)}) is not ` +
      `the gradient of \`${p}\`. Make \`${p}\` the differentiated argument: ` +
      (closed.passed ? `put it first, or set \`argnums\` to its position.` : `\`def ${closed.fn.name}(${p}, ...)\` and \`${api}(${closed.fn.name})(${p}, ...)\`.`),
    related: [
      { node: closed.read, message: closed.passed ? `\`${p}\` given here, not differentiated` : `\`${p}\` read from the enclosing scope: a constant to the derivative` },
      ...(initCall ? [{ node: initCall, message: 'the optimizer state is made for these parameters' }] : []),
      { node: update, message: 'the gradient is applied here' },
    ],
  });
}

/** Sources that are a model's weights, not its inputs (`D.trainable_weights`, `head.parameters()`, `model.trainable_variables`). */
const WEIGHT_SOURCE = /(?:^|[._])(?:trainable_weights|trainable_variables|weights|variables|parameters\(\s*\)|named_parameters\(\s*\))\s*$/;
/** A name component that says R1/R2 regularisation (Mescheder et al. 2018): a penalty on the gradient with respect to the data. */
const R1_NAME = /(?:^|_)r[12](?:_|$)|(?:^|[a-z_])R[12](?=[A-Z_]|$)|lipschitz/i;
const SQUARE_CALL = /(?:^|\.)square$/;
/** Sums, means and norms with an axis argument: the per-sample reductions of a gradient penalty. */
const AXIS_REDUCTION = /^(?:torch\.(?:sum|mean|norm|linalg\.(?:vector_)?norm)|tensorflow\.(?:math\.)?(?:reduce_sum|reduce_mean)|tensorflow\.(?:linalg\.)?norm|tensorflow\.keras\.backend\.(?:sum|mean))$/;

function isNumber(ctx: RuleContext, n: PyNode | null, value: number): boolean {
  const u = n ? unparen(n) : null;
  return !!u && (u.type === 'integer' || u.type === 'float') && Number(ctx.text(u)) === value;
}

/** `(a - 1) ** 2`, `(1 - a) ** 2`, `square(1 - a)`, `(a - 1).pow(2)`: the two-sided penalty towards norm 1; returns `a`. */
function unitNormPenaltyOperand(ctx: RuleContext, n: PyNode): PyNode | null {
  const diff = (d0: PyNode | null): PyNode | null => {
    const d = d0 ? unparen(d0) : null;
    if (!d || d.type !== 'binary_operator' || ctx.text(field(d, 'operator') ?? d) !== '-') return null;
    const l = field(d, 'left');
    const r = field(d, 'right');
    if (isNumber(ctx, r, 1)) return l;
    if (isNumber(ctx, l, 1)) return r;
    return null;
  };
  if (n.type === 'binary_operator' && ctx.text(field(n, 'operator') ?? n) === '**' && isNumber(ctx, field(n, 'right'), 2)) return diff(field(n, 'left'));
  if (n.type === 'call') {
    const c = ctx.model.call(n);
    if (!c) return null;
    if (c.qname && SQUARE_CALL.test(c.qname) && c.positional.length === 1) return diff(c.positional[0]);
    if (c.method === 'pow' && c.receiver && isNumber(ctx, c.positional[0] ?? null, 2)) return diff(c.receiver);
  }
  return null;
}

/** Every unit-norm penalty of the file with its operand, found in one pass (cached per model, not per derivative). */
const penaltyCache = new WeakMap<object, { node: PyNode; operand: PyNode }[]>();
function unitNormPenalties(ctx: RuleContext): { node: PyNode; operand: PyNode }[] {
  let out = penaltyCache.get(ctx.model);
  if (!out) {
    out = [];
    for (const n of nodesOfTypes(ctx.tree, 'binary_operator', 'call')) {
      const a = unitNormPenaltyOperand(ctx, n);
      if (a) out.push({ node: n, operand: a });
    }
    penaltyCache.set(ctx.model, out);
  }
  return out;
}

/**
 * (4) A gradient penalty taken with respect to the critic's weights: a derivative with respect to `trainable_weights`,
 * `trainable_variables` or `.parameters()` whose result is driven towards norm 1 (`(‖g‖ - 1)²`, WGAN-GP's form) or
 * kept in a variable named as an R1/R2 or Lipschitz regulariser. Both penalties are defined on the gradient with
 * respect to the critic's input (keras-contrib's fix c31a773, diffusers PR 6303's review).
 */
function checkPenaltyWrtWeights(ctx: RuleContext): void {
  const m = ctx.model;
  const done = new Set<number>();
  for (const d of ctx.analysis.events.derivatives) {
    if (d.spec.framework === 'jax' || !d.spec.outputs || done.has(d.node.id)) continue;
    const call = m.call(d.node);
    if (!call) continue;
    const src = call.keywords.get('inputs') ?? call.keywords.get('sources') ?? call.keywords.get('xs') ?? call.positional[1];
    if (!src) continue;
    const srcText = ctx.text(unparen(src)).replace(/\s+/g, '');
    if (!WEIGHT_SOURCE.test(srcText)) continue;
    const flow = m.flow({ nodes: [d.node] });
    let why: string | null = null;
    let at: PyNode | null = null;
    for (const b of flow.tainted) {
      if (b.target && R1_NAME.test(b.name)) {
        why = `\`${b.name}\` names an R1/R2 (or Lipschitz) penalty, which is defined on the gradient with respect to the critic's input`;
        at = b.target;
        break;
      }
    }
    if (!why) {
      for (const { node: n, operand: a } of unitNormPenalties(ctx)) {
        if (flow.reaches(a)) {
          why = `\`${ctx.text(n).replace(/\s+/g, ' ')}\` drives the norm of that gradient to 1, WGAN-GP's penalty, which is defined on the gradient with respect to the critic's input (its Lipschitz constant in x)`;
          at = n;
          break;
        }
      }
    }
    if (!why || !at) continue;
    done.add(d.node.id);
    ctx.report({
      node: d.node,
      message:
        `This gradient penalty differentiates with respect to the weights (\`${ctx.text(unparen(src)).replace(/\s+/g, ' ')}\`), ` +
        `but ${why}. The penalty constrains the weight gradient instead, and nothing keeps the critic smooth in its input. ` +
        'Differentiate the critic\'s output with respect to the samples it was evaluated at (the interpolates or the real ' +
        'images, marked `requires_grad_()` or watched by the tape).',
      related: [{ node: at, message: 'the penalty' }],
    });
  }
}

/**
 * (5) `grad(D(x)[0], x)`: the derivative of the first sample's output of a model evaluated on a whole batch `x`,
 * used per sample afterwards (a norm or sum over the non-batch axes): every row but the first is zero (tf.gradients
 * sums a non-scalar target, and `[0]` keeps one entry). improved_wgan_training's language model before 5d96260.
 */
/**
 * What a PyTorch or TensorFlow derivative event's call differentiates (`outputs`/`target`/`ys`) and with respect to what
 * (`inputs`/`sources`/`xs`), by keyword or position; null for JAX or when the call is not known.
 */
function derivativeArgs(ctx: RuleContext, d: (typeof ctx.analysis.events.derivatives)[number]): { target?: PyNode; source?: PyNode } | null {
  if (d.spec.framework === 'jax' || !d.spec.outputs) return null;
  const call = ctx.model.call(d.node);
  if (!call) return null;
  const target = call.keywords.get(d.spec.outputs) ?? call.keywords.get('target') ?? call.keywords.get('ys') ?? call.positional[0];
  const source = call.keywords.get('inputs') ?? call.keywords.get('sources') ?? call.keywords.get('xs') ?? call.positional[1];
  return { target, source };
}

function checkFirstSampleTarget(ctx: RuleContext): void {
  const m = ctx.model;
  for (const d of ctx.analysis.events.derivatives) {
    const args = derivativeArgs(ctx, d);
    if (!args) continue;
    const { target: tgt0, source: src0 } = args;
    if (!tgt0 || !src0) continue;
    const tgt = unparen(tgt0);
    if (tgt.type !== 'subscript') continue;
    const subs = tgt.children.filter((c) => c.field === 'subscript');
    if (subs.length !== 1 || !isNumber(ctx, subs[0], 0)) continue;
    const inner = field(tgt, 'value');
    const ic = inner && unparen(inner).type === 'call' ? m.call(unparen(inner)) : null;
    // A function of the file whose every return is one value (not a tuple): `[0]` then indexes the batch axis.
    const fn = ic?.local;
    if (!ic || !fn || fn.returns.length === 0 || fn.returns.some((r) => ['tuple', 'list', 'expression_list', 'dictionary'].includes(unparen(r).type))) continue;
    if (fn.returns.some((r) => unparen(r).type === 'none')) continue;
    const src = unparen(src0);
    const sources = new Set((src.type === 'list' || src.type === 'tuple' ? namedChildren(src) : [src]).map((s) => ctx.text(unparen(s))));
    if (!ic.positional.some((a) => sources.has(ctx.text(unparen(a))))) continue;
    // Used per sample: a reduction of the derivative with an axis that is not the batch axis.
    const flow = m.flow({ nodes: [d.node] });
    let perSample: PyNode | null = null;
    for (const c of m.calls) {
      const q = c.qname ?? '';
      const isNorm = c.method === 'norm' && !!c.receiver;
      if (!AXIS_REDUCTION.test(q) && !isNorm) continue;
      const arg = isNorm ? c.receiver : c.positional[0];
      if (!arg) continue;
      // The axis argument: `g.norm(2, 1)`, `tf.reduce_sum(x, [1, 2])`, `torch.norm(g, 2, 1)` (p before dim).
      const axisPos = /^torch\.(?:linalg\.)?(?:vector_)?norm$/.test(q) ? 2 : 1;
      const axis = c.keywords.get('axis') ?? c.keywords.get('dim') ?? c.keywords.get('reduction_indices') ?? c.positional[axisPos];
      if (!axis) continue;
      const a = unparen(axis);
      const ints = a.type === 'integer' ? [a] : a.type === 'list' || a.type === 'tuple' ? namedChildren(a) : [];
      if (ints.length === 0 || ints.some((i) => i.type !== 'integer' || Number(ctx.text(i)) === 0)) continue;
      if (flow.reaches(arg)) { perSample = c.node; break; }
    }
    if (!perSample) continue;
    ctx.report({
      node: d.node,
      message:
        `This differentiates \`${ctx.text(tgt)}\`, the output of the first sample only, with respect to the whole batch ` +
        `\`${ctx.text(src)}\` that \`${ctx.text(field(ic.node, 'function') ?? ic.node)}\` was evaluated on: the gradient rows of every other sample are zero, ` +
        `and the per-sample reduction at line ${ctx.lineOf(perSample)} treats them as real gradients (a penalty sees norm 0 for them). ` +
        `Differentiate the whole output (\`${ctx.text(unparen(inner!))}\`; TensorFlow sums a non-scalar target, PyTorch needs ` +
        '`grad_outputs=torch.ones_like(...)`), which gives each sample its own gradient.',
      related: [{ node: perSample, message: 'the gradient is reduced per sample here' }],
    });
  }
}

const SIGMOID = /^(?:tensorflow\.(?:nn\.|math\.|keras\.activations\.|keras\.backend\.)?sigmoid|torch\.(?:nn\.functional\.)?sigmoid)$/;

/** `sigmoid(z)` (a TensorFlow, Keras or torch sigmoid, or `z.sigmoid()`): the argument, else null. */
function sigmoidOf(ctx: RuleContext, n: PyNode): PyNode | null {
  const u = unparen(n);
  if (u.type !== 'call') return null;
  const c = ctx.model.call(u);
  if (!c) return null;
  if (c.qname && SIGMOID.test(c.qname) && c.positional.length === 1) return c.positional[0];
  if (c.method === 'sigmoid' && c.receiver && c.positional.length === 0) return c.receiver;
  return null;
}

/** The value a returned item names: itself, or the right-hand side of the one assignment that binds it. */
function itemValue(ctx: RuleContext, n: PyNode): PyNode {
  const u = unparen(n);
  if (u.type !== 'identifier' || !ctx.model.isUse(u)) return u;
  const bs = ctx.model.reachingBindings(u);
  return bs.length === 1 && bs[0].kind === 'assign' && bs[0].value && bs[0].path.length === 0 ? unparen(bs[0].value) : u;
}

/**
 * The critic function behind `name` when `name` is bound by unpacking a call of a function of the file (or a method
 * of the class, `self.discriminator(...)`) whose every return is a tuple with, at that position, the sigmoid of
 * another item of the same tuple (`return out, out_logit, net` with `out = tf.nn.sigmoid(out_logit)`): the position
 * of the logits, or null.
 */
function squashedItem(ctx: RuleContext, name: PyNode): { call: PyNode; fn: PyNode; logits: number; index: number } | null {
  const m = ctx.model;
  const u = unparen(name);
  if (u.type !== 'identifier' || !m.isUse(u)) return null;
  const bs = m.reachingBindings(u);
  if (bs.length !== 1 || bs[0].kind !== 'assign' || !bs[0].value || bs[0].path.length !== 1) return null;
  const v = unparen(bs[0].value);
  if (v.type !== 'call') return null;
  const c = m.call(v);
  if (!c) return null;
  let fn = c.local;
  if (!fn) {
    // `self.discriminator(...)`: the method of the enclosing class.
    const callee = field(v, 'function');
    const obj = callee && callee.type === 'attribute' ? field(callee, 'object') : null;
    const attr = callee && callee.type === 'attribute' ? field(callee, 'attribute') : null;
    const cls = obj && attr && ctx.text(obj) === 'self' ? m.localClassOf(v) : null;
    if (cls) fn = m.functions.find((f) => f.isMethod && f.name === ctx.text(attr!) && m.localClassOf(f.node) === cls) ?? null;
  }
  if (!fn || fn.returns.length === 0) return null;
  const index = bs[0].path[0];
  let logits: number | null = null;
  for (const r of fn.returns) {
    const t = unparen(r);
    if (t.type !== 'tuple' && t.type !== 'expression_list') return null;
    const items = namedChildren(t);
    const item = items[index];
    const arg = item ? sigmoidOf(ctx, itemValue(ctx, item)) : null;
    if (!arg) return null;
    const at = items.findIndex((o, k) => k !== index && ctx.text(unparen(o)) === ctx.text(unparen(arg)));
    if (at < 0 || (logits !== null && logits !== at)) return null;
    logits = at;
  }
  return logits === null ? null : { call: v, fn: fn.node, logits, index };
}

/**
 * (6) A WGAN-GP penalty of the sigmoid of the critic: `D_inter, _, _ = self.discriminator(interpolates)` where the
 * critic returns `(sigmoid(logits), logits, ...)`, the gradient of the first item driven to norm 1, and the critic's
 * losses themselves the plain means of the same item (`-tf.reduce_mean(D_real)`, WGAN's form, not a cross-entropy):
 * the Wasserstein critic is the unbounded score, and both the loss and the penalty read its sigmoid
 * (generative-models-collections' WGAN_GP before the fix).
 */
function checkPenaltyOfSquashedCritic(ctx: RuleContext): void {
  const m = ctx.model;
  for (const d of ctx.analysis.events.derivatives) {
    const args = derivativeArgs(ctx, d);
    const tgt0 = args?.target;
    if (!args || !tgt0) continue;
    const sq = squashedItem(ctx, tgt0);
    if (!sq) continue;
    // The penalty: the derivative driven towards norm 1.
    const flow = m.flow({ nodes: [d.node] });
    let penalty: PyNode | null = null;
    for (const { node: n, operand: a } of unitNormPenalties(ctx)) {
      if (flow.reaches(a)) { penalty = n; break; }
    }
    if (!penalty) continue;
    // WGAN's critic loss on the same item: a plain mean of another value unpacked from the same critic at that position.
    const fnNode = m.enclosingFunction(d.node)?.node ?? null;
    let wloss: PyNode | null = null;
    for (const c of m.calls) {
      if (!c.qname || !/^(?:tensorflow\.(?:math\.)?reduce_mean|torch\.mean|tensorflow\.keras\.backend\.mean)$/.test(c.qname)) continue;
      if ((m.enclosingFunction(c.node)?.node ?? null) !== fnNode || c.positional.length !== 1) continue;
      const o = squashedItem(ctx, c.positional[0]);
      if (o && o.fn === sq.fn && o.index === sq.index && o.call !== sq.call) { wloss = c.node; break; }
    }
    if (!wloss) continue;
    ctx.report({
      node: d.node,
      message:
        `This gradient penalty differentiates \`${ctx.text(unparen(tgt0))}\`, the sigmoid the critic returns beside its logits ` +
        `(item ${sq.logits} of the same tuple), and the Wasserstein loss at line ${ctx.lineOf(wloss)} averages the same sigmoid: WGAN-GP's ` +
        'critic is the unbounded score, and the penalty of norm 1 is defined on its gradient. Through the sigmoid the gradient ' +
        'vanishes wherever the critic saturates, so the penalty and the loss constrain and train the wrong function. Use the ' +
        'logits item in the losses and in the penalty.',
      related: [{ node: penalty, message: 'the penalty towards norm 1' }, { node: wloss, message: 'the Wasserstein loss on the sigmoid' }],
    });
  }
}

/** `X.sum()`, `X.mean()`, `torch.sum(X)`, `torch.mean(X)` over every element: X, else null. */
function summedAll(ctx: RuleContext, y: PyNode): PyNode | null {
  const m = ctx.model;
  const e = unparen(y);
  if (e.type !== 'call') return null;
  const c = m.call(e);
  if (!c || c.hasKwargs || c.hasStarArgs || c.keywords.size > 0) return null;
  if (c.method && c.receiver && !c.qname && (c.method === 'sum' || c.method === 'mean') && c.positional.length === 0) return c.receiver;
  if ((c.qname === 'torch.sum' || c.qname === 'torch.mean') && c.positional.length === 1) return c.positional[0];
  return null;
}

/**
 * A derivative (`grad(y, x)`, `y.backward()`) of the sum of `p[:, labels]`, where `labels` are the class targets of a
 * classification loss (one class per sample): the `:` keeps every sample, so the block is B x B and its sum adds every
 * sample's score for every sample's class, not each sample's score for its own class. With balanced labels and a softmax
 * it is a constant (domainbed's DANN penalty, whose gradient was zero). AGL005 reports the same block without the sum.
 */
function checkSummedClassBlock(ctx: RuleContext): void {
  const m = ctx.model;
  for (const c of m.calls) {
    let y: PyNode | null = null;
    if (c.method === 'backward' && c.receiver && !c.qname && c.positional.length === 0 && !c.keywords.has('gradient') && !c.hasKwargs && !c.hasStarArgs) y = c.receiver;
    else if (c.qname === 'torch.autograd.grad') {
      const o = m.argument(c, 'outputs', c.qname);
      const g = m.argument(c, 'grad_outputs', c.qname);
      if (o.kind === 'found' && g.kind === 'absent' && elements(o.node).length === 1) y = elements(o.node)[0];
    }
    if (!y) continue;
    let inner = summedAll(ctx, y);
    // `score = p[:, y].sum(); score.backward()`: through a name bound once.
    if (!inner && unparen(y).type === 'identifier' && m.isUse(unparen(y))) {
      const bs = m.reachingBindings(unparen(y));
      if (bs.length === 1 && bs[0].kind === 'assign' && bs[0].path.length === 0 && bs[0].value) inner = summedAll(ctx, bs[0].value);
    }
    if (!inner) continue;
    const found = crossSample(ctx, inner, 0);
    if (!found || !found.why.includes('the class targets of a classification loss')) continue;
    const base = m.textOf(field(found.sub, 'value')!);
    const subs = found.sub.children.filter((k) => k.field === 'subscript');
    const idx = subs[1] ? m.textOf(subs[1]) : 'idx';
    ctx.report({
      node: c.node,
      message:
        `\`${m.textOf(found.sub)}\` indexes the class axis with ${found.why}: the \`:\` keeps every sample, so this sums a B x B block ` +
        `(every sample's value for every sample's class), not each sample's value for its own class; with a softmax and balanced ` +
        `classes that sum is a constant and its derivative is zero. Take one entry per sample: ` +
        `\`${base}.gather(1, ${idx}.unsqueeze(1))\` or \`${base}[torch.arange(len(${idx})), ${idx}]\`, then reduce.`,
      related: [{ node: found.sub, message: 'B x B, not one value per sample' }],
    });
  }
}

/** Whether the derivative's result is indexed otherwise than by `[0]` (the tuple's item) before it is assigned. */
function indexedBeyondFirst(ctx: RuleContext, call: PyNode): boolean {
  for (let n: PyNode | null = call.parent; n && (n.type === 'subscript' || n.type === 'parenthesized_expression'); n = n.parent) {
    if (n.type !== 'subscript') continue;
    const subs = n.children.filter((c) => c.field === 'subscript');
    if (subs.length !== 1 || ctx.text(subs[0]).trim() !== '0') return true;
  }
  return false;
}

/** `u_t`, `v_xx`: a function's name, an underscore, one variable letter repeated (the order). */
const PARTIAL_NAME = /^([A-Za-z][A-Za-z0-9]*)_([a-z])\2*$/;

/** The variable letter of a source written as a name: `x_f` → x, `self.t_f` → t, `xs` → x. Null for other forms. */
function sourceLetter(ctx: RuleContext, src: PyNode): string | null {
  const n = unparen(src);
  const id = n.type === 'attribute' ? field(n, 'attribute') : n.type === 'identifier' ? n : null;
  if (!id) return null;
  const c = ctx.text(id)[0];
  return c && /[a-z]/.test(c) ? c : null;
}

/**
 * Derivatives named in subscript notation in one function (`u_x = g(u, x_f)`, `u_t = g(u, t_f)`): one named for a
 * variable (`v_t`) but taken with respect to the source another sibling uses for a different variable (`v_t = g(v, x_f)`
 * while `u_x = g(u, x_f)`), when a sibling shows the source of its own variable (`u_t = g(u, t_f)`). A residual then
 * uses dv/dx where dv/dt belongs.
 */
function checkSiblingSources(ctx: RuleContext): void {
  interface Partial { d: DerivativeEvent; name: PyNode; letter: string; src: PyNode; srcText: string; srcLetter: string }
  const byFn = new Map<unknown, Partial[]>();
  const seen = new Set<number>();
  for (const d of ctx.analysis.events.derivatives) {
    if (!d.spec.outputs || d.spec.framework === 'jax' || seen.has(d.node.id)) continue;
    seen.add(d.node.id);
    const call = ctx.model.call(d.node);
    if (!call || call.hasStarArgs || call.hasKwargs) continue;
    const name = assignedName(d.node);
    const m = name ? PARTIAL_NAME.exec(ctx.text(name)) : null;
    const src = d.spec.inputs ? (call.keywords.get(d.spec.inputs) ?? call.positional[1]) : call.positional[1];
    // `u_t = grad(u, xt)[0][:, 1:2]`: a column of the derivative names its variable, not the source.
    if (!name || !m || !src || indexedBeyondFirst(ctx, d.node) || elements(unparen(src)).length !== 1) continue;
    const letter = sourceLetter(ctx, src);
    if (!letter) continue;
    const fn = ctx.model.enclosingFunction(d.node);
    const list = byFn.get(fn) ?? [];
    list.push({ d, name, letter: m[2], src, srcText: ctx.text(unparen(src)), srcLetter: letter });
    byFn.set(fn, list);
  }
  const reported = new Set<number>();
  for (const list of byFn.values()) {
    for (const p of list) {
      if (p.srcLetter === p.letter) continue;
      // A sibling named for this variable takes it with respect to a source of that letter; another sibling named for
      // the source's letter uses this very source.
      const own = list.find((q) => q !== p && q.letter === p.letter && q.srcLetter === p.letter && q.srcText !== p.srcText);
      const other = list.find((q) => q !== p && q.srcText === p.srcText && q.letter === p.srcLetter);
      if (!own || !other) continue;
      reported.add(p.d.node.id);
      ctx.report({
        node: p.d.node,
        message:
          `\`${ctx.text(p.name)}\` is named as a derivative with respect to ${p.letter}, as \`${ctx.text(own.name)}\` (line ${ctx.lineOf(own.d.node)}) is with ` +
          `respect to \`${own.srcText}\`, but it is taken with respect to \`${p.srcText}\`, the source of \`${ctx.text(other.name)}\` ` +
          `(line ${ctx.lineOf(other.d.node)}): it is the derivative along ${p.srcLetter}. Differentiate with respect to \`${own.srcText}\`.`,
        related: [
          { node: own.d.node, message: `the derivative along ${p.letter} of a sibling` },
          { node: other.d.node, message: `\`${p.srcText}\` is the ${p.srcLetter} source here` },
        ],
      });
    }
  }
  parallelSources(ctx, reported);
}

/**
 * Whatever the names: two outputs of one call (`u, v = model(X)`) differentiated in one block the same number of times,
 * in the same order, with respect to the same sources but at one place: there one output is differentiated with respect
 * to a source it is already differentiated with respect to (a duplicate), where the other takes another source it never
 * gets (`v` w.r.t. x_f twice, never t_f, while `u` takes x_f then t_f).
 */
function parallelSources(ctx: RuleContext, reported: Set<number>): void {
  const m = ctx.model;
  interface First { d: DerivativeEvent; out: string; src: string }
  const groups = new Map<PyNode, First[]>();
  const seen = new Set<number>();
  for (const d of ctx.analysis.events.derivatives) {
    if (!d.spec.outputs || d.spec.framework === 'jax' || seen.has(d.node.id)) continue;
    seen.add(d.node.id);
    const call = m.call(d.node);
    if (!call || call.hasStarArgs || call.hasKwargs || indexedBeyondFirst(ctx, d.node)) continue;
    const out = call.keywords.get(d.spec.outputs) ?? call.positional[0];
    const src = d.spec.inputs ? (call.keywords.get(d.spec.inputs) ?? call.positional[1]) : call.positional[1];
    if (!out || !src || unparen(out).type !== 'identifier' || !['identifier', 'attribute'].includes(unparen(src).type)) continue;
    const stmt = m.statementOf(d.node);
    const fn = m.enclosingFunction(d.node);
    if (!stmt || !fn) continue;
    const list = groups.get(fn.node) ?? [];
    list.push({ d, out: ctx.text(unparen(out)), src: ctx.text(unparen(src)) });
    groups.set(fn.node, list);
  }
  for (const list of groups.values()) {
    const byOut = new Map<string, First[]>();
    for (const f of list) byOut.set(f.out, [...(byOut.get(f.out) ?? []), f]);
    const outs = [...byOut.keys()];
    for (const a of outs) {
      for (const b of outs) {
        if (a === b) continue;
        const A = byOut.get(a)!;
        const B = byOut.get(b)!;
        if (A.length !== B.length || A.length < 2) continue;
        // Both outputs of one call: `u, v = model(X)`.
        if (!sameCallOutputs(ctx, A[0].d.node, a, b)) continue;
        const diff = A.map((x, i) => (x.src !== B[i].src ? i : -1)).filter((i) => i >= 0);
        if (diff.length !== 1) continue;
        const i = diff[0];
        const wrong = A[i];
        const meant = B[i].src;
        const dup = A.find((x, k) => k !== i && x.src === wrong.src);
        if (!dup || A.some((x) => x.src === meant) || reported.has(wrong.d.node.id)) continue;
        reported.add(wrong.d.node.id);
        ctx.report({
          node: wrong.d.node,
          message:
            `\`${a}\` is differentiated with respect to \`${wrong.src}\` here and already at line ${ctx.lineOf(dup.d.node)}, and never with respect ` +
            `to \`${meant}\`, while \`${b}\`, from the same call, is differentiated in the same order with respect to \`${meant}\` at this place ` +
            `(line ${ctx.lineOf(B[i].d.node)}): this derivative repeats the one along \`${wrong.src}\` where the one along \`${meant}\` is likely meant.`,
          related: [
            { node: dup.d.node, message: `the same derivative of \`${a}\` along \`${wrong.src}\`` },
            { node: B[i].d.node, message: `\`${b}\` along \`${meant}\`` },
          ],
        });
      }
    }
  }
}

/** Whether names `a` and `b`, read at `at`, are bound together by one tuple assignment from a call (`u, v = model(X)`). */
function sameCallOutputs(ctx: RuleContext, at: PyNode, a: string, b: string): boolean {
  const m = ctx.model;
  const fn = m.enclosingFunction(at);
  const ba = m.bindings.filter((x) => x.name === a && m.enclosingFunction(x.stmt) === fn);
  const bb = m.bindings.filter((x) => x.name === b && m.enclosingFunction(x.stmt) === fn);
  if (ba.length !== 1 || bb.length !== 1) return false;
  const v = ba[0].value ? unparen(ba[0].value) : null;
  return ba[0].stmt === bb[0].stmt && ba[0].kind === 'assign' && ba[0].path.length === 1 && bb[0].path.length === 1 && !!v && v.type === 'call';
}
