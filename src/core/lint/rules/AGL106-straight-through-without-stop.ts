/**
 * AGL106 straight-through-without-stop: a straight-through estimator written without its stop-gradient,
 * `x + (q - x)` (or `x - (x - q)`), which is `q` in value *and* in gradient: the gradient with respect to `x` cancels
 * (1 - 1 = 0), so nothing passes "straight through" to `x`.
 *
 * Asked of the analysis: the gradient coefficients of the sum (`linearForm`), the added-back operand `x` cancelling in
 * the gradient with no stop-gradient anywhere in the difference.
 */
import { linearForm, mayBeTensor, type Linear } from '../grad-coeff';
import type { Rule, RuleContext } from '../rule';
import { field, nodesOfType, unparen, type PyNode } from '../tree';

/** The single atom of a linear form that is one atom (value and gradient alike), with its coefficient. */
function singleAtom(l: Linear): { key: string; c: number } | null {
  if (l.value.size !== 1 || l.live.size !== 1 || l.stops) return null;
  const [key, c] = [...l.value][0];
  return l.live.get(key) === c ? { key, c } : null;
}

function check(ctx: RuleContext, n: PyNode): void {
  const m = ctx.model;
  const op = field(n, 'operator');
  const l = field(n, 'left');
  const r = field(n, 'right');
  if (!op || !l || !r) return;
  const o = m.textOf(op);
  if (o !== '+' && o !== '-') return;
  // The operand added back (it enters the result with a + sign) and the difference it is added to.
  const pairs: { x: PyNode; d: PyNode; sign: number }[] = [{ x: l, d: r, sign: o === '+' ? 1 : -1 }];
  if (o === '+') pairs.push({ x: r, d: l, sign: 1 });
  for (const { x, d, sign } of pairs) {
    const du = unparen(d);
    // The difference is written in place (`q - x`, `x - q`): one bound to a name and taken apart again
    // (`mu = target - r; target - mu`) is ordinary algebra (a residual and its reconstruction).
    if (du.type !== 'binary_operator') continue;
    const lx = linearForm(m, x);
    const a = singleAtom(lx);
    if (!a) continue;
    // The difference itself is `q - x` or `x - q` (a sum or difference with `x` alone on one side and a `q` without `x`
    // on the other): `xb - 0.5 * (2 * xb + s)` cancels `xb` too, but as algebra of a formula, not a straight-through step.
    const dop = field(du, 'operator');
    if (!dop || (m.textOf(dop) !== '-' && m.textOf(dop) !== '+')) continue;
    const sides = [field(du, 'left'), field(du, 'right')].filter((s): s is PyNode => !!s);
    const xSide = sides.find((s) => singleAtom(linearForm(m, s))?.key === a.key);
    if (!xSide || !sides.some((s) => s !== xSide && !linearForm(m, s).value.has(a.key))) continue;
    const ld = linearForm(m, d);
    if (ld.stops) continue;
    // `x` is in the difference, with the opposite coefficient (exactly, up to rounding).
    if (!ld.live.has(a.key) || Math.abs(a.c - 1) > 1e-9) continue;
    const cd = ld.live.get(a.key)! * sign;
    if (Math.abs(cd + a.c) > 1e-9 * Math.abs(a.c)) continue;
    // Something else is what the sum is worth (`q`).
    const others = [...ld.value.keys()].filter((k) => k !== a.key);
    if (others.length === 0) continue;
    const xNode = lx.atoms.get(a.key);
    if (!xNode || !mayBeTensor(ctx, unparen(x))) continue;
    // `q` as written in the difference when it is written in place, else the value it stands for.
    let qNode = ld.atoms.get(others[0]) ?? null;
    if (du.type === 'binary_operator') {
      const side = [field(du, 'left'), field(du, 'right')].find((s) => s && !linearForm(m, s).value.has(a.key));
      if (side) qNode = unparen(side);
    }
    const q = qNode ? ctx.text(qNode) : 'q';
    const xs = ctx.text(unparen(x));
    ctx.report({
      node: n,
      message:
        `\`${ctx.text(n)}\` is \`${q}\` in value and in gradient: \`${xs}\` is added back to a difference that subtracts it, ` +
        `and with nothing stopped the two cancel in the gradient too (d/d${xs} = 1 - 1 = 0). As a straight-through estimator ` +
        `it passes no gradient to \`${xs}\` (an encoder trained through it gets nothing from the loss). Stop the difference: ` +
        `\`${xs} + (${q} - ${xs}).detach()\` (\`tf.stop_gradient\` / \`jax.lax.stop_gradient\` of it).`,
      related: [{ node: d, message: 'the difference, not stopped' }],
    });
    return;
  }
}

/**
 * The second form: `x - q_st` where `q_st` is a straight-through value of `x` (`x + stop(q - x)`): the gradients of the
 * two sides cancel and the difference is the constant `-stop(q - x)`. Reported when the difference is bound to a name
 * that a model or helper is called on (the next stage of a residual quantizer).
 */
function checkCancelledDifference(ctx: RuleContext, n: PyNode): void {
  const m = ctx.model;
  const op = field(n, 'operator');
  const l = field(n, 'left');
  const r = field(n, 'right');
  if (!op || !l || !r || m.textOf(op) !== '-') return;
  const la = linearForm(m, l);
  const lb = linearForm(m, r);
  if (la.live.size === 0 || lb.live.size === 0 || (!la.stops && !lb.stops)) return;
  const le = linearForm(m, n);
  if (le.live.size > 0 || le.value.size === 0) return;
  // Bound to a name that a model or helper is called on.
  const stmt = n.parent;
  if (stmt?.type !== 'assignment' || field(stmt, 'right') !== n) return;
  const target = field(stmt, 'left');
  const b = target?.type === 'identifier' ? m.bindings.find((x) => x.target === target) : undefined;
  if (!b) return;
  const fed = m.usesOf(b).find((u) => {
    const args = u.parent;
    if (args?.type !== 'argument_list' || args.parent?.type !== 'call') return false;
    const c = m.call(args.parent);
    return !!c && (c.local !== null || m.isOpaqueCallable(c));
  });
  if (!fed) return;
  const ste = la.stops ? l : r;
  const plain = la.stops ? r : l;
  ctx.report({
    node: n,
    message:
      `\`${ctx.text(n)}\` has no gradient at all: \`${ctx.text(ste)}\` is a straight-through value of \`${ctx.text(plain)}\` (its ` +
      `gradient is exactly \`${ctx.text(plain)}\`'s), so the two cancel and the difference is a stopped constant. ` +
      `\`${ctx.text(target!)}\` is then passed on (line ${ctx.lineOf(fed)}) with no graph: whatever is computed from it (the next ` +
      `quantizer's commitment loss) trains nothing upstream. Subtract the stopped value instead (\`${ctx.text(plain)} - ` +
      `${ctx.text(ste)}.detach()\`).`,
    related: [{ node: fed, message: 'passed on here' }],
  });
}

export const AGL106: Rule = {
  meta: {
    code: 'AGL106',
    name: 'straight-through-without-stop',
    summary: 'A straight-through estimator `x + (q - x)` without its stop-gradient (the gradient to `x` cancels), or `x - ste(x)` passed on (a constant: the gradients cancel).',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a sum that adds a tensor `x` back to a difference that subtracts it, `x + (q - x)`, `(q - x) + x`, ' +
        '`x - (x - q)`, the difference written in place (its operands may be names), with no ' +
        '`.detach()`, `tf.stop_gradient` or `jax.lax.stop_gradient` anywhere in it. The coefficients are read by the ' +
        'engine\'s linear gradient analysis (sums, differences, scaling by constants, stop-gradients, local names). ' +
        'Also finds the difference of a value and its straight-through output, `x - (x + stop(q - x))` (the straight-through ' +
        'value visible in the file, or returned by a helper of the file, also as an item of a returned tuple), bound to a ' +
        'name that a model or helper is then called on: the next stage of a residual quantizer.',
      whyIsThisBad:
        'The straight-through estimator is `x + stop_gradient(q - x)`: forward it is `q` (the quantized, rounded or sampled ' +
        'value), backward its derivative with respect to `x` is 1. Without the stop, `x + (q - x)` is just `q` again, value and ' +
        'gradient: the derivative with respect to `x` is 1 - 1 = 0, and since `q` (an argmin lookup, a rounding, a sample) ' +
        'usually has no useful gradient to `x`, whatever is upstream of `x` (the encoder of a VQ-VAE, the weights of a ' +
        'quantized layer) learns nothing from the loss through it. Nothing fails: training runs, only that part never ' +
        'moves. The same cancellation makes `x - ste(x)` a constant: the residual a residual VQ passes to its next stage ' +
        'then has no graph, and the commitment losses of every stage after the first give the encoder nothing ' +
        '(lucidrains/vector-quantize-pytorch#33, facebookresearch/encodec#25).',
      example: [
        '```python',
        'quantized = torch.matmul(encodings, self.embedding.weight)',
        'quantized = inputs + (quantized - inputs)          # d/d inputs = 0',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'quantized = inputs + (quantized - inputs).detach()  # value: quantized; gradient: identity to inputs',
        '# TensorFlow: x + tf.stop_gradient(q - x); JAX: x + jax.lax.stop_gradient(q - x)',
        '```',
      ].join('\n'),
      knownProblems:
        'Only additions, subtractions, scaling by numeric literals and stop-gradients are read; a difference scaled by a ' +
        'variable, or that goes through a call (`(q - x).float()`), is not followed. A difference bound to a name first ' +
        '(`diff = q - x; x + diff`) is not reported: taking a residual apart again is ordinary algebra elsewhere. Nor is a ' +
        'cancellation through a scaled sum (`xb - 0.5 * (2 * xb + s)`, a constraint solver\'s update): the difference must ' +
        'be `q - x` or `x - q` as written, with `x` alone on one side. Names ' +
        'bound more than once before the sum are atoms of their own. The rule does not ask whether `q` has a gradient to `x` of its own (when it has, ' +
        'the sum is only a roundabout `q`). The residual form needs the straight-through value visible: a quantizer module ' +
        'called through `self.layers` or imported from a library is not followed.',
      fixSafety: 'No fix: where the stop belongs (and whether `q` was meant to be trained) is the author\'s choice.',
      references: [
        '[Bengio et al. 2013, Estimating or propagating gradients through stochastic neurons](https://arxiv.org/abs/1308.3432)',
        '[van den Oord et al. 2017, Neural Discrete Representation Learning](https://arxiv.org/abs/1711.00937)',
        '[NTU-AIoT-Lab/EfficientFi#4](https://github.com/NTU-AIoT-Lab/EfficientFi/issues/4)',
        '[lucidrains/vector-quantize-pytorch#33](https://github.com/lucidrains/vector-quantize-pytorch/issues/33)',
        '[JAX: Advanced automatic differentiation, straight-through estimator](https://docs.jax.dev/en/latest/advanced-autodiff.html)',
      ],
    },
  },

  check(ctx) {
    for (const n of nodesOfType(ctx.tree, 'binary_operator')) {
      check(ctx, n);
      checkCancelledDifference(ctx, n);
    }
  },
};
