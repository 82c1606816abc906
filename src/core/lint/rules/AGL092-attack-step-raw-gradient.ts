/**
 * AGL092 attack-step-raw-gradient: an adversarial step that moves an input up its loss with the raw input gradient,
 * `x = x + eps * x.grad`, with neither `sign()` nor a normalisation of the gradient, and no projection back onto the
 * budget around the clean input. The perturbation's size is then the gradient's scale times `eps` (often orders of
 * magnitude off), and `eps` neither sets nor bounds it.
 *
 * Asked of the model: the input made a leaf (`leafMarks`), a step of that input by a product with its own gradient
 * (`x.grad` after a loss's `backward()`, `autograd.grad(loss, x)`), what the gradient passes through on the way, and the
 * clamps of the enclosing function.
 */
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, SemanticModel } from '../semantic';
import { isLossCall, leafMarks } from '../torch';
import { field, nodesOfTypes, unparen, type PyNode } from '../tree';

const squash = (s: string): string => s.replace(/\s+/g, '');

function operator(n: PyNode): string | null {
  if (n.type !== 'binary_operator' && n.type !== 'augmented_assignment') return null;
  return n.children.find((c) => c.field === 'operator')?.type ?? null;
}

/** `x`, `x.data`, `x.detach()`: the tensor's text without the wrappers that keep its values. */
function tensorText(ctx: RuleContext, n: PyNode): string {
  let u = unparen(n);
  for (;;) {
    if (u.type === 'attribute' && ctx.text(field(u, 'attribute')!) === 'data') u = unparen(field(u, 'object')!);
    else if (u.type === 'call' && ctx.model.call(u)?.method && /^(?:detach|clone)$/.test(ctx.model.call(u)!.method!) && ctx.model.call(u)!.receiver) u = unparen(ctx.model.call(u)!.receiver!);
    else break;
  }
  return squash(ctx.text(u));
}

/** The factors of a product. */
function factors(n: PyNode): PyNode[] {
  const u = unparen(n);
  if (operator(u) === '*' && u.type === 'binary_operator') return [...factors(field(u, 'left')!), ...factors(field(u, 'right')!)];
  return [u];
}

interface RawGradient {
  /** The tensor whose gradient it is (its text). */
  of: string;
  /** The `.grad` read or the derivative call. */
  node: PyNode;
  /** The differentiated loss, when a derivative call gives it, or null for a `.grad` read. */
  output: PyNode | null;
}

/** The raw input gradient an expression is, through names, `.data`, `.detach()`, `.clone()` and `[0]`, or null. */
function rawGradient(ctx: RuleContext, n: PyNode, depth = 0): RawGradient | null {
  const m = ctx.model;
  const u = unparen(n);
  if (depth > 6) return null;
  if (u.type === 'attribute') {
    const name = ctx.text(field(u, 'attribute')!);
    if (name === 'grad') return { of: tensorText(ctx, field(u, 'object')!), node: u, output: null };
    if (name === 'data') return rawGradient(ctx, field(u, 'object')!, depth + 1);
    return null;
  }
  if (u.type === 'subscript') {
    const v = unparen(field(u, 'value')!);
    const c = v.type === 'call' ? m.call(v) : undefined;
    if (c?.qname === 'torch.autograd.grad') {
      const inputs = c.positional[1] ?? c.keywords.get('inputs');
      const out = c.positional[0] ?? c.keywords.get('outputs');
      const i = inputs ? unparen(inputs) : null;
      if (!i || !out || i.type === 'list' || i.type === 'tuple') return null;
      return { of: tensorText(ctx, i), node: v, output: out };
    }
    return null;
  }
  if (u.type === 'call') {
    const c = m.call(u);
    if (c?.method && /^(?:detach|clone)$/.test(c.method) && c.receiver && c.qname === null) return rawGradient(ctx, c.receiver, depth + 1);
    // TensorFlow: `tape.gradient(loss, x)` of one watched tensor.
    if (c?.qname === 'tensorflow.GradientTape.gradient' || (c?.method === 'gradient' && c.qname === null && c.receiver)) {
      const out = c.positional[0];
      const src = c.positional[1] ? unparen(c.positional[1]) : null;
      if (!out || !src || src.type === 'list' || src.type === 'tuple') return null;
      return { of: tensorText(ctx, src), node: u, output: out };
    }
    return null;
  }
  if (u.type === 'identifier' && m.isUse(u)) {
    const bs = m.reachingBindings(u);
    if (bs.length !== 1 || bs[0].kind !== 'assign' || bs[0].path.length > 0 || !bs[0].value) return null;
    const v = unparen(bs[0].value);
    // `g = torch.autograd.grad(loss, x)`, `g, = ...`: unpacked or indexed later; only `[0]` is followed.
    return rawGradient(ctx, v, depth + 1);
  }
  return null;
}

/** Whether an expression derives from a loss call (`F.cross_entropy(model(x), y)`, `criterion(...)`). */
function fromLoss(m: SemanticModel, n: PyNode): boolean {
  let found = false;
  m.traceBack(n, (x) => {
    if (found) return false;
    if (x.type === 'call') {
      const c = m.call(x);
      if (c && isLossCall(m, c)) {
        found = true;
        return false;
      }
    }
    return true;
  });
  return found;
}

/** A `.backward()` of a loss, in the function of `at`, before it. */
function lossBackwardBefore(m: SemanticModel, at: PyNode): CallInfo | null {
  const fn = m.enclosingFunction(at);
  for (const c of m.calls) {
    if (c.method !== 'backward' || !c.receiver || c.node.start >= at.start) continue;
    if (m.enclosingFunction(c.node) !== fn) continue;
    if (fromLoss(m, c.receiver)) return c;
  }
  return null;
}

const CLAMPS = /^(?:clamp|clamp_|clip|clip_|clamp_min|clamp_max|minimum|maximum|min|max|where|renorm|renorm_)$/;
const CLAMP_FUNCS = /^(?:torch|numpy|tensorflow|jax\.numpy)\.(?:clamp|clip|clip_by_value|minimum|maximum|min|max|where|renorm)$/;

/** Whether the function holds a clamp whose bounds are not all literals (a projection onto a budget, or a delta clip). */
function hasProjection(ctx: RuleContext, fn: PyNode | null): boolean {
  const m = ctx.model;
  for (const c of m.calls) {
    if (fn && !(fn.start <= c.node.start && c.node.end <= fn.end)) continue;
    const named = (c.method !== null && c.qname === null && CLAMPS.test(c.method)) || (c.qname !== null && CLAMP_FUNCS.test(c.qname));
    // A helper of the file named for it (`project(x_adv, x, eps)`, `clip_eta(...)`): taken as a projection.
    const helper = c.local !== null && /proj|clip|clamp/i.test(c.local.name);
    if (helper) return true;
    if (!named) continue;
    const bounds = [...c.positional.slice(c.method ? 0 : 1), ...c.keywords.values()];
    if (bounds.some((b) => !/^[-+]?\s*\d[\d.eE_+-]*$/.test(ctx.text(unparen(b)).trim()))) return true;
  }
  return false;
}

export const AGL092: Rule = {
  meta: {
    code: 'AGL092',
    name: 'attack-step-raw-gradient',
    summary: 'An adversarial step adds eps times the raw input gradient, with no sign or normalisation and no projection onto the budget.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds an input made a leaf (`x.requires_grad_()`, `requires_grad = True`; in TensorFlow a tensor a tape watches) that ' +
        'is moved up its loss by a multiple of its own raw gradient — `x = x + eps * x.grad`, `x.data += alpha * x.grad.data`, ' +
        '`x_adv = x + eps * torch.autograd.grad(loss, x)[0]`, `x + eps * tape.gradient(loss, x)` — where the loss is a loss of the model\'s output (`F.cross_entropy`, `nll_loss`, ' +
        'a criterion), the gradient is used as it comes (no `sign()`, no division by its norm), and the function has no ' +
        'clamp with bounds other than constants (the projection `torch.clamp(x_adv, x - eps, x + eps)`, ' +
        '`delta.clamp(-eps, eps)`, `torch.min(torch.max(...))`) and calls no helper named for projecting or clipping.',
      whyIsThisBad:
        'FGSM and L∞ PGD step along `sign(∇x L)` and project back onto the ε-ball around the clean input; L2 attacks divide ' +
        'the gradient by its norm. The raw gradient of a trained classifier is tiny on most inputs and huge on a few, so ' +
        '`x + eps * grad` moves by a size set by the gradient\'s scale, not by eps: the attack is far weaker (or far ' +
        'larger) than its budget says, and without a projection nothing keeps the perturbation within eps. Robust-accuracy ' +
        'figures computed this way are meaningless. Nothing fails.',
      example: [
        '```python',
        'for _ in range(steps):',
        '    x.requires_grad_()',
        '    loss = F.cross_entropy(model(x), y)',
        '    loss.backward()',
        '    x = (x + eps * x.grad).clamp(0, 1).detach()',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'for _ in range(steps):',
        '    x_adv.requires_grad_()',
        '    loss = F.cross_entropy(model(x_adv), y)',
        '    grad, = torch.autograd.grad(loss, x_adv)',
        '    x_adv = x_adv.detach() + alpha * grad.sign()',
        '    x_adv = torch.min(torch.max(x_adv, x - eps), x + eps).clamp(0, 1)',
        '```',
      ].join('\n'),
      knownProblems:
        'Any clamp with a non-constant bound in the function counts as a projection, whichever tensor it clamps. ' +
        'An unbounded ascent meant as such (adversarial data augmentation with a distance penalty in the loss) is flagged; ' +
        'use `# noqa: AGL092` there. Steps written with an optimizer (`torch.optim.SGD([delta])`) and JAX attacks are not ' +
        'examined.',
      fixSafety: 'No fix is offered: the step size, the norm and the budget are the attack\'s design.',
      references: [
        '[Madry et al., Towards Deep Learning Models Resistant to Adversarial Attacks](https://arxiv.org/abs/1706.06083)',
        '[PyTorch tutorial: Adversarial Example Generation (FGSM)](https://pytorch.org/tutorials/beginner/fgsm_tutorial.html)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    const marks = leafMarks(m);
    // `delta = torch.zeros_like(x, requires_grad=True)`: the name it is bound to.
    const leafText = (k: (typeof marks)[number]): string => {
      const p = k.kind === 'factory' ? k.marker.parent : null;
      const left = p?.type === 'assignment' && field(p, 'right') === k.marker ? field(p, 'left') : null;
      return left ? squash(ctx.text(left)) : tensorText(ctx, k.target);
    };
    const leaves = new Set(marks.map(leafText));
    // TensorFlow: the tensors a tape watches.
    for (const c of m.calls) if (c.method === 'watch' && c.positional[0]) leaves.add(tensorText(ctx, c.positional[0]));
    const steps: { stmt: PyNode; sum: PyNode; base: PyNode | null }[] = [];
    for (const n of nodesOfTypes(m.tree, 'assignment', 'augmented_assignment')) {
      if (n.type === 'assignment') {
        const r = field(n, 'right');
        const u = r ? unparen(r) : null;
        if (u && u.type === 'binary_operator' && operator(u) === '+') steps.push({ stmt: n, sum: u, base: null });
      } else if (n.type === 'augmented_assignment' && operator(n) === '+=') {
        steps.push({ stmt: n, sum: field(n, 'right')!, base: field(n, 'left')! });
      }
    }
    for (const s of steps) {
      const operands = s.base ? [[s.base, s.sum]] : [[field(s.sum, 'left')!, field(s.sum, 'right')!], [field(s.sum, 'right')!, field(s.sum, 'left')!]];
      for (const [base, delta] of operands) {
        const fs = factors(delta);
        if (fs.length < 2) continue;
        let g: RawGradient | null = null;
        let gi = -1;
        for (let i = 0; i < fs.length && !g; i++) {
          g = rawGradient(ctx, fs[i]);
          gi = i;
        }
        if (!g || !leaves.has(g.of)) continue;
        // The step moves the tensor whose gradient it is (or the clean input the gradient was taken at).
        if (tensorText(ctx, base) !== g.of) continue;
        // The other factors are a step size: names, attributes, numbers (not a norm, not the gradient again).
        const others = fs.filter((_, i) => i !== gi);
        if (others.some((f) => !['identifier', 'attribute', 'integer', 'float'].includes(f.type) || /grad|norm/i.test(ctx.text(f)))) continue;
        if (others.some((f) => f.type === 'identifier' && m.isUse(f) && m.reachingBindings(f).some((b) => b.value && /norm|grad|abs|sum|mean|max/.test(ctx.text(b.value))))) continue;
        // Up a loss.
        const loss = g.output ? (fromLoss(m, g.output) ? g.output : null) : lossBackwardBefore(m, s.stmt)?.node ?? null;
        if (!loss) continue;
        const fn = m.enclosingFunction(s.stmt);
        if (hasProjection(ctx, fn?.node ?? null)) continue;
        ctx.report({
          node: s.stmt,
          message:
            `\`${ctx.text(s.stmt).replace(/\s+/g, ' ')}\` moves \`${g.of}\` up the loss by a multiple of its raw gradient: with no ` +
            '`sign()` and no normalisation the step\'s size is the gradient\'s scale, not the budget, and nothing in ' +
            `${fn ? `\`${fn.name}\`` : 'this code'} projects the result back onto the eps-ball around the clean input. Step along ` +
            'the gradient\'s sign (L∞) or the gradient divided by its norm (L2), and clip the result to [x - eps, x + eps] around the clean input.',
          related: [{ node: g.node, message: 'the raw input gradient' }, { node: loss, message: 'the loss it ascends' }],
        });
        break;
      }
    }
  },
};
