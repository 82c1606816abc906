/**
 * AGL107 loss-term-on-straight-through-output: a distance term `d(A, stop(B))` (a VQ-VAE codebook or commitment loss)
 * whose live side `A` is a straight-through value, `B + stop(q - B)`: its value is `q` but its gradient goes only to
 * `B`, the very value the term stops on its other side. The term then trains `B` alone (pushing it away from `q`,
 * since d/dB of (q - B)^2 taken through the straight-through path is 2(q - B)) and gives `q` (the codebook) nothing.
 *
 * Asked of the analysis: the gradient and value coefficients of both sides (`linearForm`).
 */
import { linearForm } from '../grad-coeff';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo } from '../semantic';
import { field, nodesOfType, unparen, type PyNode } from '../tree';

/** Two-argument distances (`F.mse_loss(input, target)`, `optax.l2_loss(predictions, targets)`). */
const DISTANCE_FUNCTIONS = new Set([
  'torch.nn.functional.mse_loss', 'torch.nn.functional.l1_loss', 'torch.nn.functional.smooth_l1_loss', 'torch.nn.functional.huber_loss',
  'optax.l2_loss', 'optax.squared_error', 'optax.huber_loss',
  'tensorflow.keras.losses.mean_squared_error', 'tensorflow.keras.losses.mse', 'tensorflow.keras.losses.MSE',
  'tensorflow.keras.losses.mean_absolute_error', 'tensorflow.keras.losses.mae', 'tensorflow.losses.mean_squared_error',
  'tensorflow.keras.metrics.mean_squared_error', 'tensorflow.compat.v1.losses.mean_squared_error', 'tensorflow.math.squared_difference',
]);
/** The last component of those names, for calls nothing resolves. */
const DISTANCE_NAMES = /(?:^|\.)(?:mse_loss|l1_loss|smooth_l1_loss|huber_loss|l2_loss|squared_error|mean_squared_error|mean_absolute_error)$/;
/** One-argument functions of a difference that make it a distance (`torch.square(a - b)`, `jnp.abs(a - b)`). */
const DIFFERENCE_FUNCTIONS = /^(?:torch|jax\.numpy|numpy|tensorflow|tensorflow\.math)\.(?:square|abs)$|^(?:torch\.norm|torch\.linalg\.norm|jax\.numpy\.linalg\.norm|tensorflow\.norm|tensorflow\.linalg\.norm)$/;
const DIFFERENCE_METHODS = new Set(['pow', 'square', 'abs', 'norm']);

interface Term {
  node: PyNode;
  a: PyNode;
  b: PyNode;
}

/** The two sides of a distance term at `n`, or null. */
function termAt(ctx: RuleContext, n: PyNode): Term | null {
  const m = ctx.model;
  const diff = (d: PyNode | null | undefined): { a: PyNode; b: PyNode } | null => {
    const u = d ? unparen(d) : null;
    if (!u || u.type !== 'binary_operator') return null;
    const op = field(u, 'operator');
    const a = field(u, 'left');
    const b = field(u, 'right');
    return op && a && b && m.textOf(op) === '-' ? { a, b } : null;
  };
  if (n.type === 'binary_operator') {
    const op = field(n, 'operator');
    if (!op || m.textOf(op) !== '**') return null;
    const d = diff(field(n, 'left'));
    return d ? { node: n, ...d } : null;
  }
  if (n.type !== 'call') return null;
  const c: CallInfo | undefined = m.call(n);
  if (!c) return null;
  // By its qualified name, or by the name alone where nothing resolves it (a fragment's `F.mse_loss` without imports).
  const name = c.qname ?? (field(n, 'function') ? ctx.text(field(n, 'function')!) : '');
  if (DISTANCE_FUNCTIONS.has(name) || (!name.includes('.') || !c.qname) && DISTANCE_NAMES.test(name)) {
    const a = c.positional[0] ?? c.keywords.get('input') ?? c.keywords.get('predictions') ?? c.keywords.get('y_pred');
    const b = c.positional[1] ?? c.keywords.get('target') ?? c.keywords.get('targets') ?? c.keywords.get('y_true');
    return a && b ? { node: n, a, b } : null;
  }
  if (c.qname && DIFFERENCE_FUNCTIONS.test(c.qname)) {
    const d = diff(c.positional[0]);
    return d ? { node: n, ...d } : null;
  }
  if (c.method && c.receiver && DIFFERENCE_METHODS.has(c.method)) {
    const d = diff(c.receiver);
    return d ? { node: n, ...d } : null;
  }
  return null;
}

function check(ctx: RuleContext, t: Term): void {
  const m = ctx.model;
  for (const [a, b] of [[t.a, t.b], [t.b, t.a]] as const) {
    const lb = linearForm(m, b);
    // The other side is stopped whole.
    if (!lb.stops || lb.live.size > 0 || lb.value.size === 0) continue;
    const la = linearForm(m, a);
    if (la.live.size === 0 || !la.stops) continue;
    // Every atom the live side trains is one the term stops on the other side.
    if (![...la.live.keys()].every((k) => lb.value.has(k))) continue;
    // The live side's value comes from something its gradient does not reach (a straight-through value of `q`).
    const q = [...la.value.keys()].find((k) => !la.live.has(k));
    if (!q) continue;
    const trained = la.atoms.get([...la.live.keys()][0]);
    const qNode = la.atoms.get(q);
    if (!trained || !qNode) continue;
    const as = ctx.text(unparen(a));
    ctx.report({
      node: t.node,
      message:
        `\`${as}\` is a straight-through value: its value is \`${ctx.text(qNode)}\` but its gradient goes only to ` +
        `\`${ctx.text(trained)}\`, which this term stops on its other side (\`${ctx.text(unparen(b))}\`). So the term gives ` +
        `\`${ctx.text(qNode)}\` (a codebook) no gradient at all, and trains \`${ctx.text(trained)}\` instead, pushing it away from ` +
        `\`${ctx.text(qNode)}\`. Take the term on \`${ctx.text(qNode)}\` itself (before the straight-through step).`,
      related: [
        { node: qNode, message: 'the value that gets no gradient' },
        { node: trained, message: 'where the gradient goes' },
      ],
    });
    return;
  }
}

export const AGL107: Rule = {
  meta: {
    code: 'AGL107',
    name: 'loss-term-on-straight-through-output',
    summary: 'A distance term `d(x + stop(q - x), stop(x))` taken on a straight-through output: it gives `q` (the codebook) no gradient and pushes `x` away from it.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a distance term between two values, one of them stopped whole (`F.mse_loss(A, B.detach())`, ' +
        '`jnp.mean((A - jax.lax.stop_gradient(B)) ** 2)`, `(A - tf.stop_gradient(B)).pow(2)`, `optax.l2_loss`, ' +
        '`torch.square`/`abs`/`norm` of the difference), where the live side `A` is a straight-through value of `B`, ' +
        '`B + stop(q - B)` (in place, through local names, or returned by a helper of the file): its gradient reaches only ' +
        '`B`, which the term stops, and not `q`, its value. The coefficients are read by the engine\'s linear gradient ' +
        'analysis (sums, differences, constant scalings, stop-gradients).',
      whyIsThisBad:
        'The VQ-VAE codebook loss `||stop(z_e) - e||^2` is there to move the codebook vectors `e` toward the encoder ' +
        'outputs. Computed on the straight-through output `z_e + stop(e - z_e)` instead of on `e`, it has no path to the ' +
        'codebook (`e` only appears under the stop), so the codebook never learns from it; and its gradient goes to ' +
        '`z_e` through the identity of the straight-through path, with the sign of `(e - z_e)`: it pushes the encoder ' +
        'away from its code, against the commitment loss. Training runs without error; the codebook stays at its ' +
        'initialisation (or moves only through other terms).',
      example: [
        '```python',
        'z_q = z_e + (z - z_e).detach()                 # straight-through',
        'codebook_loss = F.mse_loss(z_q, z_e.detach())  # the codebook gets nothing',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'codebook_loss = F.mse_loss(z, z_e.detach())    # on the lookup itself',
        'commitment_loss = F.mse_loss(z_e, z.detach())',
        'z_q = z_e + (z - z_e).detach()',
        '```',
      ].join('\n'),
      knownProblems:
        'The straight-through value must be visible in the file: one returned by a module of another file ' +
        '(`z_q, _ = self.vq(z_e)`) is not followed, nor one that goes through a call (`.reshape`, `.permute`) between the ' +
        'straight-through step and the term. Only sums, differences, numeric scalings and stop-gradients are read.',
      fixSafety: 'No fix: which value the term should be taken on is the author\'s choice.',
      references: [
        '[van den Oord et al. 2017, Neural Discrete Representation Learning](https://arxiv.org/abs/1711.00937)',
        '[andylolu2/jax-vqvae-gpt#2](https://github.com/andylolu2/jax-vqvae-gpt/issues/2)',
        '[showlab/Olaf-World#8](https://github.com/showlab/Olaf-World/issues/8)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    for (const c of m.calls) {
      const t = termAt(ctx, c.node);
      if (t) check(ctx, t);
    }
    for (const n of nodesOfType(ctx.tree, 'binary_operator')) {
      const t = termAt(ctx, n);
      if (t) check(ctx, t);
    }
  },
};
