/**
 * AGL018 penalty-norm-axis: a gradient penalty takes the norm of an input gradient over one axis
 * (`gradients.norm(2, dim=1)`; in TensorFlow/Keras over some but not all non-batch axes,
 * `tf.reduce_sum(tf.square(g), axis=[1])`) while the gradient has more than two axes (images
 * `(B, C, H, W)`, sequences, a stacked batch): the norm is per pixel (or over the batch), not per
 * sample, so the penalty constrains the wrong quantity.
 *
 * Asked of the analysis: norms of a derivative (`NormEvent`) with the derivative's visible rank and, for
 * TensorFlow, every axis reduced.
 */
import type { Rule } from '../rule';
import { field } from '../tree';

export const AGL018: Rule = {
  meta: {
    code: 'AGL018',
    name: 'penalty-norm-axis',
    summary: 'A gradient penalty takes `norm(dim=1)` (or `reduce_sum(..., axis=[1])`) of a gradient with more than two axes: a per-pixel norm, not per sample.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds `g.norm(2, dim=k)` / `torch.norm(g, dim=k)` / `torch.linalg.norm(g, dim=k)` where `g` is a derivative ' +
        '(`torch.autograd.grad(...)`) whose visible rank is three or more: an image batch `(B, C, H, W)`, a sequence batch, ' +
        'or inputs stacked with `torch.stack`. In TensorFlow and Keras, `tf.norm(g, axis=...)` and the sum of squares ' +
        '`tf.sqrt(tf.reduce_sum(tf.square(g), axis=[1]))` (TF1\'s `reduction_indices`, `K.sum(K.square(g), axis=1)`) of a ' +
        'derivative (`tf.gradients`, `tape.gradient`, `K.gradients`) whose axes leave out some non-batch axis.',
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
        '`alpha` of the interpolation, which is usually built with the data\'s rank; in TensorFlow a placeholder\'s `shape`, ' +
        'also as a list sum `[bs] + image_dims`, or `tf.random.uniform([B, 1, 1, 1])`). A gradient whose rank is unknown is not ' +
        'flagged. A norm over `dim=1` of a rank-3 tensor can be intended (a per-token penalty); use `# noqa: AGL018` then.',
      fixSafety:
        'The fix flattens the gradient per sample before the norm (`g.view(g.size(0), -1)`). It is unsafe: it changes the ' +
        'value of the penalty (that is its purpose) and so the training objective.',
      references: [
        '[Improved Training of Wasserstein GANs (arXiv:1704.00028)](https://arxiv.org/abs/1704.00028)',
        '[tensorflow-generative-model-collections#22: "we should use reduction axis [1, 2, 3] because we don\'t flatten images"](https://github.com/hwalsuklee/tensorflow-generative-model-collections/pull/22)',
      ],
    },
  },

  check(ctx) {
    for (const n of ctx.analysis.events.norms) {
      if (n.rank === null || n.rank < 3) continue;
      if (n.axes) {
        // TensorFlow/Keras: the reduced axes must be every axis but the batch's; a set without axis 0 that leaves
        // some out is a norm per pixel, per row or per channel.
        const rank = n.rank;
        const axes = [...new Set(n.axes.map((a) => (a < 0 ? rank + a : a)))].sort((a, b) => a - b);
        if (axes.includes(0) || axes.some((a) => a >= rank) || axes.length >= rank - 1) continue;
        const fn = field(n.node, 'function');
        const all = Array.from({ length: rank - 1 }, (_, i) => i + 1);
        const left = all.filter((a) => !axes.includes(a));
        ctx.report({
          node: n.node,
          message:
            `\`${fn ? ctx.text(fn) : 'reduce_sum'}(...)\` of a gradient with ${rank} axes reduces ${axes.length > 1 ? 'axes' : 'axis'} ` +
            `${axes.join(', ')} only (axis 0 is the batch) and leaves out ${left.length > 1 ? 'axes' : 'axis'} ${left.join(', ')}, so it is one norm per ` +
            'row, pixel or channel of each sample, not the norm of each sample\'s whole gradient that a gradient penalty needs. ' +
            `Reduce over every axis but the batch (\`axis=[${all.join(', ')}]\`), or flatten first: \`tf.reshape(g, [tf.shape(g)[0], -1])\`.`,
        });
        continue;
      }
      if (n.dim !== 1) continue;
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
