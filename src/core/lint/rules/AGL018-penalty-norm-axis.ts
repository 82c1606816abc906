/**
 * AGL018 penalty-norm-axis: a gradient penalty takes the norm of an input gradient over one axis
 * (`gradients.norm(2, dim=1)`) while the gradient has more than two axes (images `(B, C, H, W)`,
 * sequences, a stacked batch): the norm is per pixel (or over the batch), not per sample, so the penalty
 * constrains the wrong quantity.
 *
 * Asked of the analysis: norms of a derivative (`NormEvent`) with the derivative's visible rank.
 */
import type { Rule } from '../rule';
import { field } from '../tree';

export const AGL018: Rule = {
  meta: {
    code: 'AGL018',
    name: 'penalty-norm-axis',
    summary: 'A gradient penalty takes `norm(dim=1)` of a gradient with more than two axes: a per-pixel norm, not per sample.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds `g.norm(2, dim=k)` / `torch.norm(g, dim=k)` / `torch.linalg.norm(g, dim=k)` where `g` is a derivative ' +
        '(`torch.autograd.grad(...)`) whose visible rank is three or more: an image batch `(B, C, H, W)`, a sequence batch, ' +
        'or inputs stacked with `torch.stack`.',
      whyIsThisBad:
        'The WGAN-GP penalty (Gulrajani et al., 2017) is `(‖∇x D(x)‖ - 1)²` with the norm over each sample\'s whole input. ' +
        'For a `(B, C, H, W)` gradient, `norm(dim=1)` is a norm over the channels at every pixel: the penalty then pushes every ' +
        'pixel\'s channel gradient to norm 1, which is a different (and much stronger) constraint, and the critic is not ' +
        '1-Lipschitz in the intended sense. For a stacked `(3, B, d)` gradient, `dim=1` is the batch axis. Nothing fails; ' +
        'training is just worse, which is why this copy-pasted line survives in many repositories.',
      example: [
        '```python',
        'gradients = torch.autograd.grad(D(x_hat), x_hat, torch.ones_like(...), create_graph=True)[0]   # (B, C, H, W)',
        'penalty = ((gradients.norm(2, dim=1) - 1) ** 2).mean()',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'gradients = gradients.view(gradients.size(0), -1)',
        'penalty = ((gradients.norm(2, dim=1) - 1) ** 2).mean()',
        '```',
      ].join('\n'),
      knownProblems:
        'The rank must be visible: from the shapes the analysis follows (literal sizes, `view`, `torch.stack`, the weight ' +
        '`alpha` of the interpolation, which is usually built with the data\'s rank). A gradient whose rank is unknown is not ' +
        'flagged. A norm over `dim=1` of a rank-3 tensor can be intended (a per-token penalty); use `# noqa: AGL018` then.',
      fixSafety:
        'The fix flattens the gradient per sample before the norm (`g.view(g.size(0), -1)`). It is unsafe: it changes the ' +
        'value of the penalty (that is its purpose) and so the training objective.',
      references: ['[Improved Training of Wasserstein GANs (arXiv:1704.00028)](https://arxiv.org/abs/1704.00028)'],
    },
  },

  check(ctx) {
    for (const n of ctx.analysis.events.norms) {
      if (n.rank === null || n.rank < 3 || n.dim !== 1) continue;
      const call = ctx.model.call(n.node);
      const fixes = [];
      if (call?.method === 'norm' && call.receiver) {
        const g = ctx.text(call.receiver);
        if (/^[\w.]+$/.test(g)) fixes.push({ title: `Flatten per sample first: ${g}.view(${g}.size(0), -1).norm(...)`, safe: false, edits: [ctx.replace(call.receiver, `${g}.view(${g}.size(0), -1)`)] });
      }
      const fn = field(n.node, 'function');
      ctx.report({
        node: n.node,
        message:
          `\`${fn ? ctx.text(fn) : 'norm'}(..., dim=1)\` of a gradient with ${n.rank} axes: the norm is taken over axis 1 only ` +
          '(the channels of each pixel, or the batch), not over each sample. A gradient penalty needs the per-sample norm: ' +
          'flatten first, `g.view(g.size(0), -1).norm(2, dim=1)`.',
        fixes,
      });
    }
  },
};
