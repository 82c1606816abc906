/**
 * AGL091 path-gradient-without-input-delta: integrated (or expected) gradients average an input gradient taken at
 * points on the straight path from a baseline to the input, `b + alpha * (x - b)`, and the attribution is that
 * average times `(x - b)`, per feature and per baseline. Two ways to get it wrong:
 *
 * - the path average is used as the attribution and never multiplied by anything (the mean gradient, not
 *   integrated gradients: completeness fails, the map is a saliency map of the path);
 * - it is multiplied by the input difference averaged over the path's or the baselines' axis
 *   (`(x - ref).mean(0) * grads.mean(0)`): a product of means where the mean of products is meant.
 *
 * Asked of the analysis: the derivatives of the file (`events.derivatives`, `x.grad` reads); the point a derivative
 * is taken at, traced back to a path construction; an average over an axis of that derivative (through reshapes,
 * stacks and casts only); where the average flows (`flow`), and what multiplies it there.
 */
import type { Rule, RuleContext } from '../rule';
import { bindingValue, type Binding, type CallInfo, type FunctionInfo, type SemanticModel } from '../semantic';
import { field, unparen, type PyNode } from '../tree';

/** Averages over an axis (a sum over an axis divided later counts too: `g.sum(0) / n`). */
const MEAN_FUNCS = new Set(['torch.mean', 'numpy.mean', 'numpy.average', 'jax.numpy.mean', 'jax.numpy.average', 'tensorflow.reduce_mean', 'tensorflow.math.reduce_mean']);
const SUM_FUNCS = new Set(['torch.sum', 'numpy.sum', 'jax.numpy.sum', 'tensorflow.reduce_sum', 'tensorflow.math.reduce_sum', 'torch.trapz', 'torch.trapezoid', 'numpy.trapz', 'jax.numpy.trapezoid']);
/** Calls that pass their first argument's entries on unchanged (stacked, reshaped, cast, moved). */
const PASS_FUNCS = new Set([
  'torch.stack', 'torch.cat', 'torch.concat', 'torch.reshape', 'torch.squeeze', 'torch.unsqueeze', 'torch.as_tensor', 'torch.from_numpy', 'torch.tensor',
  'numpy.stack', 'numpy.concatenate', 'numpy.array', 'numpy.asarray', 'numpy.reshape', 'numpy.squeeze', 'numpy.vstack',
  'jax.numpy.stack', 'jax.numpy.concatenate', 'jax.numpy.array', 'jax.numpy.asarray', 'jax.numpy.reshape', 'jax.numpy.squeeze',
  'tensorflow.stack', 'tensorflow.concat', 'tensorflow.reshape', 'tensorflow.cast', 'tensorflow.squeeze', 'tensorflow.convert_to_tensor', 'tensorflow.identity',
]);
const PASS_METHODS = new Set(['reshape', 'view', 'view_as', 'squeeze', 'unsqueeze', 'detach', 'cpu', 'cuda', 'to', 'numpy', 'float', 'double', 'clone', 'contiguous', 'data', 'flatten']);
const MULTIPLY_FUNCS = new Set(['torch.mul', 'torch.multiply', 'torch.einsum', 'numpy.multiply', 'numpy.einsum', 'jax.numpy.multiply', 'jax.numpy.einsum', 'tensorflow.multiply', 'tensorflow.math.multiply', 'tensorflow.einsum']);

const squash = (s: string): string => s.replace(/\s+/g, '');

function operator(n: PyNode): string | null {
  if (n.type !== 'binary_operator') return null;
  return n.children.find((c) => c.field === 'operator')?.type ?? null;
}

/** The factors of a product (`a * b / c` gives a and b; what is divided by is not a factor). */
function factors(n: PyNode): PyNode[] {
  const u = unparen(n);
  const op = operator(u);
  if (op === '*') return [...factors(field(u, 'left')!), ...factors(field(u, 'right')!)];
  if (op === '/' || op === '//') return factors(field(u, 'left')!);
  return [u];
}

/** An identifier bound once to an expression: that expression; otherwise the node. */
function resolveOnce(m: SemanticModel, n: PyNode): PyNode {
  const u = unparen(n);
  if (u.type !== 'identifier' || !m.isUse(u)) return u;
  const bs = m.reachingBindings(u);
  if (bs.length !== 1 || bs[0].kind !== 'assign') return u;
  const v = bindingValue(bs[0]);
  return v ? unparen(v) : u;
}

export interface PathPoint {
  node: PyNode;
  /** The difference `x - b` the path moves along (its text, without spaces). */
  delta: string;
  /** The same as written (spaces collapsed). */
  deltaText: string;
  input: string;
  baseline: string;
}

/**
 * A point on the straight path from a baseline to an input: `b + t * (x - b)` (the difference possibly bound to a
 * name, the step possibly divided: `(x - b) * i / n`), or `t * x + (1 - t) * b`.
 */
export function pathPoint(m: SemanticModel, ctxText: (n: PyNode) => string, n: PyNode): PathPoint | null {
  if (operator(n) !== '+') return null;
  const l = unparen(field(n, 'left')!);
  const r = unparen(field(n, 'right')!);
  for (const [b, p] of [[l, r], [r, l]] as const) {
    const fs = factors(p);
    if (fs.length < 2) continue;
    const bt = squash(ctxText(b));
    for (const f of fs) {
      const d = resolveOnce(m, f);
      if (operator(d) !== '-') continue;
      const x = unparen(field(d, 'left')!);
      if (squash(ctxText(unparen(field(d, 'right')!))) !== bt) continue;
      return { node: n, delta: squash(ctxText(d)), deltaText: ctxText(d).replace(/\s+/g, ' '), input: squash(ctxText(x)), baseline: bt };
    }
  }
  // t * x + (1 - t) * b
  const lf = factors(l);
  const rf = factors(r);
  if (lf.length === 2 && rf.length === 2) {
    for (const [a, c] of [[lf, rf], [rf, lf]] as const) {
      for (let i = 0; i < 2; i++) {
        const one = a[i];
        if (operator(one) !== '-' || !/^1(?:\.0*)?$/.test(ctxText(field(one, 'left')!).trim())) continue;
        const t = squash(ctxText(unparen(field(one, 'right')!)));
        for (let j = 0; j < 2; j++) {
          if (squash(ctxText(c[j])) !== t) continue;
          const x = squash(ctxText(c[1 - j]));
          const b = squash(ctxText(a[1 - i]));
          return { node: n, delta: `${x}-${b}`, deltaText: `${x} - ${b}`, input: x, baseline: b };
        }
      }
    }
  }
  return null;
}

/** The expression a derivative is taken at (its differentiated input), or null. */
function derivativeInput(m: SemanticModel, text: (n: PyNode) => string, call: CallInfo): PyNode | null {
  if (call.calleeCall) {
    // `jax.vmap(jax.grad(f, argnums=2), ...)(a, b, x)`: the argument the transform differentiates.
    let index = 0;
    for (let k: CallInfo | undefined = call.calleeCall; k; k = k.positional[0]?.type === 'call' ? m.call(k.positional[0]) : undefined) {
      const a = k.keywords.get('argnums');
      if (!a) continue;
      if (!/^\d+$/.test(text(a).trim())) return null;
      index = Number(text(a).trim());
      break;
    }
    return call.positional[index] ?? null;
  }
  return call.positional[1] ?? call.keywords.get('inputs') ?? call.keywords.get('sources') ?? call.keywords.get('xs') ?? null;
}

/** Whether a call averages or sums over a given axis; its operand. */
function axisReduction(c: CallInfo): { operand: PyNode; mean: boolean } | null {
  if (c.method && c.receiver && c.qname === null) {
    if (c.method !== 'mean' && c.method !== 'sum') return null;
    if (!(c.positional[0] ?? c.keywords.get('dim') ?? c.keywords.get('axis'))) return null;
    return { operand: c.receiver, mean: c.method === 'mean' };
  }
  if (!c.qname || !(MEAN_FUNCS.has(c.qname) || SUM_FUNCS.has(c.qname))) return null;
  const operand = c.positional[0];
  if (!operand) return null;
  const trapz = /trap/.test(c.qname);
  if (!trapz && !(c.positional[1] ?? c.keywords.get('dim') ?? c.keywords.get('axis'))) return null;
  return { operand, mean: MEAN_FUNCS.has(c.qname) || trapz };
}

interface GradSource {
  node: PyNode;
  input: PyNode;
}

/**
 * The derivative an expression passes on entry for entry (through names, appends, stacks, reshapes, casts,
 * indexing, sums of its own terms and divisions by anything): null when it is multiplied or transformed.
 */
function gradientThrough(m: SemanticModel, text: (n: PyNode) => string, expr: PyNode, derivs: Map<number, CallInfo>): GradSource | null {
  let found: GradSource | null = null;
  let other = false;
  m.traceBack(expr, (n) => {
    if (found || other) return false;
    const d = derivs.get(n.id);
    if (d) {
      const input = derivativeInput(m, text, d);
      if (input) found = { node: n, input };
      return false;
    }
    switch (n.type) {
      case 'identifier':
      case 'parenthesized_expression':
      case 'argument_list':
      case 'list':
      case 'tuple':
      case 'expression_list':
      case 'list_comprehension':
      case 'generator_expression':
        return true;
      case 'for_in_clause':
      case 'if_clause':
        return false;
      case 'subscript':
        // `g[0]`, `grads[:, i]` (the index is a number or a slice, which leads to no derivative).
        return true;
      case 'attribute': {
        const attr = field(n, 'attribute');
        const obj = field(n, 'object');
        const name = attr ? text(attr) : '';
        // `g.clone()`: the method's receiver.
        if (n.parent?.type === 'call' && field(n.parent, 'function') === n) return true;
        if (obj && name === 'grad') {
          found = { node: n, input: obj };
          return false;
        }
        return name === 'data';
      }
      case 'binary_operator': {
        const op = operator(n);
        if (op === '+' || op === '-') return true;
        if (op === '/') return true;
        other = true;
        return false;
      }
      case 'call': {
        const c = m.call(n);
        if (!c) return false;
        if (c.local) return true;
        if ((c.qname && PASS_FUNCS.has(c.qname)) || (c.method && c.qname === null && PASS_METHODS.has(c.method))) return true;
        return false;
      }
      default:
        return false;
    }
  });
  return other ? null : found;
}

/** The path point a derivative is taken at, traced back through what its input derives from. */
function pathOf(ctx: RuleContext, input: PyNode): PathPoint | null {
  const m = ctx.model;
  let out: PathPoint | null = null;
  m.traceBack(input, (n) => {
    if (out) return false;
    if (n.type === 'binary_operator') {
      const p = pathPoint(m, (x) => ctx.text(x), n);
      if (p) {
        out = p;
        return false;
      }
    }
    // What a model computes from its input is not the point the gradient is taken at.
    if (n.type === 'call') {
      const c = m.call(n);
      if (c && !c.local && !((c.qname && PASS_FUNCS.has(c.qname)) || (c.method && c.qname === null && PASS_METHODS.has(c.method)) || c.method === 'requires_grad_')) {
        if (!(c.qname && /^(?:torch\.autograd\.Variable|tensorflow\.Variable)$/.test(c.qname))) return false;
      }
    }
    return true;
  });
  return out;
}

/** The mean over an axis of the path's difference (`(x - b).mean(0)`), traced through names, or null. */
function meanOfDelta(ctx: RuleContext, n: PyNode, path: PathPoint): PyNode | null {
  const m = ctx.model;
  let out: PyNode | null = null;
  m.traceBack(n, (x) => {
    if (out) return false;
    if (x.type === 'call') {
      const c = m.call(x);
      const red = c ? axisReduction(c) : null;
      if (red && red.mean) {
        const d = resolveOnce(m, red.operand);
        if (operator(d) === '-' && squash(ctx.text(d)) === path.delta) out = x;
        return false;
      }
      return c !== undefined && ((c.qname !== null && PASS_FUNCS.has(c.qname)) || (c.method !== null && c.qname === null && PASS_METHODS.has(c.method)));
    }
    return x.type === 'identifier' || x.type === 'parenthesized_expression';
  });
  return out;
}

interface Use {
  /** The multiplication the average takes part in, with its other operand. */
  product: PyNode;
  other: PyNode;
}

/** The multiplications (`*`, `*=`, `torch.mul`, `einsum`) the expressions carrying the average take part in. */
function multiplications(m: SemanticModel, carriers: PyNode[]): Use[] {
  const out: Use[] = [];
  for (const u of carriers) {
    let child = u;
    for (let p = u.parent; p; child = p, p = p.parent) {
      if (p.type === 'block' || p.type === 'module' || p.type === 'function_definition' || p.type === 'lambda') break;
      const op = operator(p);
      if (op === '*' || op === '@') {
        const other = field(p, 'left') === child ? field(p, 'right')! : field(p, 'left')!;
        out.push({ product: p, other });
      }
      if (p.type === 'augmented_assignment' && /^[*@]=$/.test(p.children.find((c) => c.field === 'operator')?.type ?? '')) out.push({ product: p, other: field(p, 'right') === child ? field(p, 'left')! : field(p, 'right')! });
      if (p.type === 'call') {
        const c = m.call(p);
        if (c?.qname && MULTIPLY_FUNCS.has(c.qname)) out.push({ product: p, other: c.positional.find((a) => a !== child) ?? p });
        if (c?.method === 'mul' || c?.method === 'mul_' || c?.method === 'multiply') out.push({ product: p, other: c.receiver === child ? (c.positional[0] ?? p) : c.receiver! });
      }
    }
  }
  return out;
}

export const AGL091: Rule = {
  meta: {
    code: 'AGL091',
    name: 'path-gradient-without-input-delta',
    summary: 'Integrated or expected gradients: the path-averaged input gradient is not multiplied by (input - baseline), or is multiplied by its mean.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds an input gradient taken at points on the straight path from a baseline to an input (`b + alpha * (x - b)`, ' +
        '`b + (x - b) * i / n`, `alpha * x + (1 - alpha) * b`, built in the same function or in a helper), averaged over an ' +
        'axis (`mean`/`reduce_mean`, a `sum` over an axis, a trapezoid rule; through stacks, reshapes and casts) or summed ' +
        'over a loop (`total += grad`), where the ' +
        'average is then either used without ever being multiplied by anything (shown, normalized, returned to the code that ' +
        'displays it), or multiplied by the mean over an axis of the path\'s difference (`(x - b).mean(0) * avg_grads`). ' +
        'The path point is found with PyTorch (`torch.autograd.grad`, `x.grad`), TensorFlow (`tape.gradient`, `tf.gradients`) ' +
        'and JAX (`jax.grad(f)(points)`).',
      whyIsThisBad:
        'Integrated gradients (Sundararajan et al., 2017) attribute `(x_i - b_i) * ∫ ∂F/∂x_i(b + α(x - b)) dα`: the ' +
        'average gradient along the path is only the integral, and the attribution is that times the input\'s difference ' +
        'from the baseline. Without the factor the map is an averaged saliency map: it does not sum to `F(x) - F(b)` ' +
        '(completeness), and features equal to the baseline get attributions. Expected gradients (Erion et al.) average ' +
        '`(x - b_k) * ∇F(path_k)` over sampled baselines `b_k`; multiplying the mean difference by the mean gradient is a ' +
        'product of means, a different number whenever the baselines vary. Nothing fails; the attribution is silently wrong.',
      example: [
        '```python',
        'points = baseline + alphas * (x - baseline)',
        'points.requires_grad_(True)',
        'grads = torch.autograd.grad(model(points)[:, target].sum(), points)[0]',
        'attribution = grads.mean(dim=0)   # the average gradient, not integrated gradients',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'attribution = (x - baseline) * grads.mean(dim=0)',
        '# expected gradients, one baseline per path point: average the products',
        'attribution = ((x - baselines) * grads).mean(dim=0)',
        '```',
      ].join('\n'),
      knownProblems:
        'A path average returned unchanged by a function nothing in the file calls is not flagged (its caller, elsewhere, ' +
        'may multiply it), nor one passed to a function the analysis cannot see before it is used. Any multiplication of the ' +
        'average counts as the factor (the rule does not check that it is the path\'s difference). A path written other ' +
        'than as a sum with the difference as a factor (`torch.lerp`, a path built by a library) is not recognised. ' +
        'Averaging the difference over an axis of size one (a batch of one input and one baseline) is harmless but flagged.',
      fixSafety: 'No fix is offered: where the difference belongs depends on the shapes of the path and the baselines.',
      references: [
        '[Axiomatic Attribution for Deep Networks](https://arxiv.org/abs/1703.01365)',
        '[TensorFlow tutorial: Integrated gradients](https://www.tensorflow.org/tutorials/interpretability/integrated_gradients)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    const events = ctx.analysis.events;
    const derivs = new Map<number, CallInfo>();
    for (const d of events.derivatives) {
      const c = m.call(d.node);
      if (c) derivs.set(d.node.id, c);
    }
    if (derivs.size === 0 && events.gradReads.length === 0) return;
    const reported = new Set<number>();
    // Averages: a reduction over an axis (`grads.mean(0)`), or a sum accumulated over a loop (`total += grad`).
    const averages: { node: PyNode; operand: PyNode; seed: Binding | null }[] = [];
    for (const c of m.calls) {
      const red = axisReduction(c);
      if (red) averages.push({ node: c.node, operand: red.operand, seed: null });
    }
    for (const b of m.bindings) {
      const aug = b.target.parent;
      if (b.kind !== 'augassign' || !b.loop || aug?.type !== 'augmented_assignment' || field(aug, 'left') !== b.target) continue;
      const right = field(aug, 'right');
      if (right && aug.children.some((x) => x.field === 'operator' && x.type === '+=')) averages.push({ node: aug, operand: right, seed: b });
    }
    for (const a of averages) {
      const c = { node: a.node };
      const g = gradientThrough(m, (x) => ctx.text(x), a.operand, derivs);
      if (!g) continue;
      const path = pathOf(ctx, g.input);
      if (!path) continue;
      // Where the average goes: the expressions carrying it, and the multiplications they are part of.
      const flow = a.seed ? m.flow({ bindings: [a.seed] }) : m.flow({ nodes: [c.node] });
      const carriers: PyNode[] = a.seed ? [] : [c.node];
      for (const b of flow.tainted) carriers.push(...m.usesOf(b));
      for (const f of flow.taintedReturns) for (const s of f.callSites) carriers.push(s.node);
      // A constant factor (`0.5 * avg`, `avg * 255`) scales; it is not the input's difference.
      const products = multiplications(m, carriers).filter((p) => !/^[-+]?\s*\d[\d.eE_+-]*$/.test(ctx.text(unparen(p.other)).trim()));
      let pom: { product: PyNode; mean: PyNode } | null = null;
      for (const p of products) {
        const mean = meanOfDelta(ctx, p.other, path);
        if (mean) {
          pom = { product: p.product, mean };
          break;
        }
      }
      if (pom) {
        if (reported.has(pom.product.id)) continue;
        reported.add(pom.product.id);
        ctx.report({
          node: pom.product,
          message:
            `\`${ctx.text(pom.product).replace(/\s+/g, ' ')}\` multiplies the path-averaged gradient (line ${ctx.lineOf(c.node)}) by ` +
            `the mean of \`${path.deltaText}\` (line ${ctx.lineOf(pom.mean)}): a product of means. Integrated and expected gradients ` +
            'average the products `(x - b) * grad` over the path points and baselines, which differs whenever the baselines vary. ' +
            'Multiply each gradient by its own difference first, then average: `((x - b) * grads).mean(axis)`.',
          related: [
            { node: path.node, message: 'the path the gradient is taken on' },
            { node: c.node, message: 'the gradient averaged here' },
          ],
        });
        continue;
      }
      if (products.length > 0) continue;
      // Returned unchanged to code the file does not show: the caller may multiply it.
      if (leavesUnchanged(m, (n) => n === c.node || (a.seed !== null && n.type === 'identifier' && m.isUse(n) && m.reachingBindings(n).includes(a.seed)), flow.taintedReturns)) continue;
      if (reported.has(c.node.id)) continue;
      reported.add(c.node.id);
      ctx.report({
        node: c.node,
        message:
          `\`${ctx.text(c.node).replace(/\s+/g, ' ')}\` ${a.seed ? 'sums' : 'averages'} the input gradient along the path from the baseline ` +
          `\`${path.baseline}\` to \`${path.input}\` (line ${ctx.lineOf(path.node)}), and the average is used as the attribution ` +
          `without being multiplied by \`${path.deltaText}\`: that is the mean gradient on the path, not integrated gradients ` +
          `(it does not sum to F(x) - F(baseline)). Multiply it by the difference: \`(${path.deltaText}) * average\`.`,
        related: [{ node: path.node, message: 'the path the gradient is taken on' }],
      });
    }
  },
};

/**
 * Whether the average leaves the file unchanged: returned (as itself, reshaped or cast) from a function the file never
 * calls.
 */
function leavesUnchanged(m: SemanticModel, isSeed: (n: PyNode) => boolean, returns: Set<FunctionInfo>): boolean {
  for (const f of returns) {
    if (f.callSites.length > 0) continue;
    for (const r of f.returns) {
      let direct = false;
      m.traceBack(r, (n) => {
        if (direct) return false;
        if (isSeed(n)) {
          direct = true;
          return false;
        }
        if (n.type === 'identifier' || n.type === 'parenthesized_expression' || n.type === 'tuple' || n.type === 'expression_list' || n.type === 'list' || n.type === 'dictionary' || n.type === 'pair') return true;
        if (n.type === 'binary_operator') return operator(n) === '/' || operator(n) === '+';
        if (n.type === 'call') {
          const c = m.call(n);
          return !!c && (c.local !== null || (c.qname !== null && PASS_FUNCS.has(c.qname)) || (c.method !== null && c.qname === null && PASS_METHODS.has(c.method)));
        }
        return false;
      });
      if (direct) return true;
    }
  }
  return false;
}

