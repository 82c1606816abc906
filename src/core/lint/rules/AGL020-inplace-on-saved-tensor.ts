/**
 * AGL020 inplace-on-saved-tensor: an in-place change (`x += 1`, `x.mul_()`, `x[i] = v`, a module with
 * `inplace=True`) of a tensor that an earlier operation saved for its backward pass: the output of
 * `relu`/`exp`/`cdist`/`norm`, or an input of `norm`/`sin`/a matmul/a linear layer. The backward pass
 * raises "one of the variables needed for gradient computation has been modified by an inplace operation".
 *
 * Asked of the analysis: in-place events (`InplaceEvent`) whose target carries `saved` sites.
 */
import type { Rule } from '../rule';
import type { PyNode } from '../tree';

export const AGL020: Rule = {
  meta: {
    code: 'AGL020',
    name: 'inplace-on-saved-tensor',
    summary: 'A tensor that an operation saved for backward is changed in place: the backward pass raises.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds in-place changes — augmented assignment (`x /= n`), in-place methods (`x.add_()`), item assignment ' +
        '(`x[mask] = 0`), `inplace=True` functions and modules (`nn.ReLU(inplace=True)`) — of a tensor that requires grad ' +
        'and that an earlier operation saved for its backward pass: the result of `relu`, `sigmoid`, `tanh`, `exp`, `sqrt`, ' +
        '`cdist`, `norm`, `softmax`, `pow` with a tensor exponent; an input of `norm`, `sin`/`cos`/`log`, `cross`, a product ' +
        'or quotient of two tensors that require grad, a matmul, or a layer with weights.',
      whyIsThisBad:
        'Autograd keeps references to the tensors a backward formula needs and checks their version counter when it runs. ' +
        'An in-place change bumps the version, and backward fails with "one of the variables needed for gradient ' +
        'computation has been modified by an inplace operation: [...] is at version 2; expected version 1". The error points ' +
        'at the backward pass, far from the line that caused it (anomaly detection is needed to find it); in force-field ' +
        'and geometry code the in-place normalisation or masking of a distance matrix is a frequent cause.',
      example: [
        '```python',
        'dist = torch.cdist(pos, pos)      # cdist saves its result',
        'dist[mask] = 0                    # in place: backward raises',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'dist = torch.cdist(pos, pos)',
        'dist = dist.masked_fill(mask, 0)  # out of place',
        '```',
      ].join('\n'),
      knownProblems:
        'Which tensors an operation saves is taken from a table of common operations (PyTorch\'s `derivatives.yaml` has ' +
        'the full list); other operations are assumed to save nothing. Views (`y = x[:, :2]; y += 1`) of a saved tensor are ' +
        'not followed. A tensor is assumed to require grad when it depends on a leaf, on parameters, or on an argument ' +
        'nobody visibly passes; code that only runs under `torch.no_grad()` in a caller not in view is reported anyway.',
      fixSafety: 'No automatic fix: the out-of-place form (`x = x / n`, `x.masked_fill(...)`) changes which variable holds what.',
      references: ['[Autograd mechanics: in-place operations](https://pytorch.org/docs/stable/notes/autograd.html#in-place-operations-with-autograd)'],
    },
  },

  check(ctx) {
    // TensorFlow and JAX tensors are immutable: `x += y` rebinds the name there.
    if (!ctx.model.fileFact('torch-word')) return;
    for (const ev of ctx.analysis.events.inplace) {
      const t = ev.target.t;
      if (!t || t.saved.length === 0 || ev.recording.mode !== 'on') continue;
      if (t.leafOf !== null || t.variable) continue; // a leaf raises earlier (AGL013)
      const savers = t.saved.map((id) => ctx.tree.nodes[id]).filter((n): n is PyNode => !!n && n.start < ev.node.end);
      if (savers.length === 0) continue;
      const s = savers[savers.length - 1];
      const what = ev.op.startsWith('inplace=') ? `\`${ev.op.slice(8)}(..., inplace=True)\`` : ev.op === '[]=' ? 'Item assignment' : ev.op.endsWith('=') ? `\`${ev.op}\`` : `\`.${ev.op}()\``;
      const name = ctx.text(ev.expr);
      ctx.report({
        node: ev.node,
        message:
          `${what} changes \`${name}\` in place, but \`${ctx.text(s).replace(/\s+/g, ' ').slice(0, 50)}\` (line ${ctx.lineOf(s)}) saved it for ` +
          'its backward pass: backward will raise "one of the variables needed for gradient computation has been modified by an ' +
          'inplace operation". Compute a new tensor instead (out of place).',
        related: savers.map((n) => ({ node: n, message: 'saves the tensor for backward here' })),
      });
    }
  },
};
