/**
 * AGL047 vmap-sample-dim: inside `torch.func.vmap(f)` (default `in_dims`), `f` sees one sample, without the batch
 * axis; an operation written for the batch that names a dimension the sample does not have (`F.normalize(t)`, whose
 * default `dim=1` is the feature axis of a batch, on a sample of shape (2,)) raises "Dimension out of range". The usual
 * way there: per-sample Jacobians with `vmap(jacrev(f))` of a function written for batches (pytorch/pytorch#99187).
 *
 * Asked of the autograd analysis: `sampleDims` events, recorded where such an operation runs inside a vmap whose
 * argument shapes the code shows (the shape of one sample is the argument's shape without its leading axis).
 */
import type { Rule } from '../rule';

export const AGL047: Rule = {
  meta: {
    code: 'AGL047',
    name: 'vmap-sample-dim',
    summary: 'Inside `vmap`, an operation names a dimension one sample does not have (written for a batch): it raises "Dimension out of range".',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds, inside a function applied by `torch.func.vmap` (or functorch\'s) with the default `in_dims`, an operation ' +
        'whose dimension argument is out of range for one sample: `F.normalize` and `F.cosine_similarity` (default `dim=1`), ' +
        '`softmax`, `log_softmax`, `sum`, `mean` and the norms with a literal `dim`, as functions or tensor methods. The ' +
        'shape of a sample is the vmapped argument\'s shape without its leading axis, when the code shows that shape ' +
        '(`torch.randn(3, 2)`); derivative transforms inside the map (`vmap(jacrev(f))`) pass it on.',
      whyIsThisBad:
        '`vmap` calls the function on one sample at a time: the batch axis is not there. A function written for batches ' +
        'works on `x` of shape (N, d) but, under `vmap`, gets shape (d,), and its `dim=1` no longer exists: PyTorch raises ' +
        '"IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 1)". It shows up when per-sample ' +
        'Jacobians are taken with `vmap(jacrev(f))` of a function that ran fine on the batch (pytorch/pytorch#99187; run ' +
        'with functorch on PyTorch 1.13).',
      example: [
        '```python',
        'f = lambda t: torch.nn.functional.normalize(t)       # dim=1: the features of a batch',
        'J = vmap(jacrev(f))(torch.randn(3, 2))               # IndexError: Dimension out of range',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'f = lambda t: torch.nn.functional.normalize(t, dim=-1)   # the last axis, in a batch or in one sample',
        'J = vmap(jacrev(f))(torch.randn(3, 2))                   # (3, 2, 2): one Jacobian per sample',
        '```',
      ].join('\n'),
      knownProblems:
        'Only shapes the code writes are known; a sample of unknown shape is not checked. `in_dims` other than the default ' +
        '(and `in_dims=None` for some arguments) turns the check off for that map. Dimension arguments are read from the ' +
        'operations listed above only.',
      fixSafety: 'No automatic fix: `dim=-1` is right for a per-sample feature axis, but another axis may have been meant.',
      references: [
        '[pytorch/pytorch#99187: vmap-jacrev normalisation bug](https://github.com/pytorch/pytorch/issues/99187)',
        '[torch.func.vmap](https://pytorch.org/docs/stable/generated/torch.func.vmap.html)',
      ],
    },
  },

  check(ctx) {
    for (const e of ctx.analysis.events.sampleDims) {
      ctx.report({
        node: e.node,
        message:
          `Inside \`vmap\` this runs on one sample, which has ${e.rank} dimension${e.rank === 1 ? '' : 's'} (the batch axis is ` +
          `removed), but it is given dim ${e.dim}${e.byDefault ? ' (its default)' : ''}: PyTorch raises "Dimension out of range". ` +
          'Written for a batch, the function needs its dimensions counted from the end (`dim=-1`) to work per sample.',
      });
    }
  },
};
