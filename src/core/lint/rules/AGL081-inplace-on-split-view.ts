/**
 * AGL081 inplace-on-split-view: an in-place change (`b.mul_(0.5)`, `b += 1`, `b[0] = 0`) of a piece that `chunk`,
 * `split` or `unbind` returned from a tensor that requires grad. Those functions return several views of one tensor,
 * and autograd refuses to let such a view be changed in place: the in-place call itself raises "Output 1 of
 * SplitBackward0 is a view and is being modified inplace. This view is the output of a function that returns multiple
 * views. Such functions do not allow the output views to be modified inplace". The question to the analysis: does the
 * changed name hold a piece of such a call (by unpacking, indexing or iterating it), whose input visibly requires grad
 * (parameters, a leaf, a model's output), with recording on?
 */
import type { InplaceEvent } from '../analysis';
import type { Rule, RuleContext } from '../rule';
import type { SemanticModel } from '../semantic';
import { field, unparen, type PyNode } from '../tree';

const SPLITTERS = new Set(['chunk', 'split', 'unbind']);

/** The `X.chunk(...)` / `torch.split(X, ...)` call and its input `X`, when `n` is one. */
function splitCall(m: SemanticModel, n: PyNode): { call: PyNode; input: PyNode; name: string } | null {
  const u = unparen(n);
  if (u.type !== 'call') return null;
  const c = m.call(u);
  if (!c) return null;
  if (c.method && SPLITTERS.has(c.method) && c.receiver && !c.qname) return { call: u, input: c.receiver, name: c.method };
  const last = c.qname?.startsWith('torch.') ? c.qname.slice(6) : null;
  if (last && SPLITTERS.has(last) && c.positional[0]) return { call: u, input: c.positional[0], name: last };
  return null;
}

/** The split call a target expression holds a piece of: `b` of `a, b = x.chunk(2)`, `parts[1]`, `p` of `for p in x.unbind(0)`. */
function pieceOf(m: SemanticModel, expr: PyNode): { call: PyNode; input: PyNode; name: string } | null {
  let e = unparen(expr);
  let indexed = false;
  if (e.type === 'subscript') {
    const base = field(e, 'value');
    if (!base) return null;
    e = unparen(base);
    indexed = true;
  }
  if (e.type !== 'identifier' || !m.isUse(e)) return null;
  const bs = m.reachingBindings(e);
  if (bs.length !== 1 || !bs[0].value) return null;
  const b = bs[0];
  const v = unparen(b.value!);
  if (b.kind === 'for') return b.path.length === 0 && !indexed ? splitCall(m, v) : null;
  if (b.kind !== 'assign') return null;
  // `a, b = x.chunk(2)`: an item of the tuple of views.
  if (b.path.length === 1 && !indexed) return splitCall(m, v);
  if (b.path.length !== 0) return null;
  // `parts = x.split(3)` then `parts[1] += 1`; `b = x.chunk(2)[1]` then `b += 1`.
  if (indexed) return splitCall(m, v);
  if (v.type === 'subscript') {
    const base = field(v, 'value');
    return base ? splitCall(m, base) : null;
  }
  return null;
}

export const AGL081: Rule = {
  meta: {
    code: 'AGL081',
    name: 'inplace-on-split-view',
    summary: 'A piece returned by `chunk`/`split`/`unbind` of a tensor that requires grad is changed in place: PyTorch raises at once.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds in-place changes — in-place methods (`b.mul_(0.5)`, `b.tanh_()`), augmented assignment (`b += 1`), item ' +
        'assignment (`b[mask] = 0`) — of a piece that `x.chunk(...)`, `x.split(...)`, `x.unbind(...)` (or the `torch.` ' +
        'functions) returned, taken by unpacking (`mu, log_scale = h.chunk(2, dim=1)`), indexing (`parts[1]`) or iteration ' +
        '(`for row in h.unbind(0)`), when `x` visibly requires grad (it is computed from parameters, a model\'s output, or a ' +
        'leaf) and recording is on.',
      whyIsThisBad:
        'These functions return several views of one tensor. Autograd cannot rebase the graph of one such view when it is ' +
        'changed in place, so the in-place operation itself raises "Output 1 of SplitBackward0 is a view and is being modified ' +
        'inplace. This view is the output of a function that returns multiple views. Such functions do not allow the output ' +
        'views to be modified inplace" (older versions accepted it and could compute wrong gradients). Normalizing-flow ' +
        'coupling layers that split the coupling network\'s output into a shift and a log-scale and squash the log-scale in ' +
        'place are the usual case.',
      example: [
        '```python',
        'mu, log_scale = self.net(x_a).chunk(2, dim=1)',
        'scale = log_scale.mul_(0.5).tanh_()      # raises: a view of a multi-output function',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'mu, log_scale = self.net(x_a).chunk(2, dim=1)',
        'scale = torch.tanh(log_scale * 0.5)      # out of place',
        '```',
      ].join('\n'),
      knownProblems:
        'Only a name bound once, in view, to a piece of the call (not a piece passed through a helper or a container), and ' +
        'an input that visibly requires grad: a piece of a function\'s argument whose caller is not shown is not reported ' +
        '(data split and scaled in place is correct). `torch.tensor_split` returns views that PyTorch 1.13 lets be changed in ' +
        'place, and is not reported.',
      fixSafety: 'No automatic fix: the out-of-place form changes which variable holds the result.',
      references: ['[Autograd mechanics: in-place operations](https://pytorch.org/docs/stable/notes/autograd.html#in-place-operations-with-autograd)'],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    if (!m.fileFact('torch-word')) return;
    const reportedAt = new Set<number>();
    for (const ev of ctx.analysis.events.inplace as readonly InplaceEvent[]) {
      if (ev.recording.mode !== 'on' || reportedAt.has(ev.node.start)) continue;
      if (ev.op.startsWith('inplace=')) continue;
      const piece = pieceOf(m, ev.expr);
      if (!piece) continue;
      const t = ctx.analysis.valueOf(piece.input)?.t;
      if (!t || !(t.params.length > 0 || t.leaves.length > 0 || t.leafOf !== null)) continue;
      reportedAt.add(ev.node.start);
      const what = ev.op === '[]=' ? 'Item assignment changes' : ev.op.endsWith('=') ? `\`${ev.op}\` changes` : `\`.${ev.op}()\` changes`;
      ctx.report({
        node: ev.node,
        message:
          `${what} \`${ctx.text(ev.expr)}\` in place, but it is one of the views \`${ctx.text(piece.call).replace(/\s+/g, ' ').slice(0, 50)}\` ` +
          `(line ${ctx.lineOf(piece.call)}) returned from a tensor that requires grad: PyTorch raises at once ("... is a view and is ` +
          'being modified inplace. This view is the output of a function that returns multiple views"). Compute a new tensor ' +
          'instead (out of place), or `.clone()` the piece first.',
        related: [{ node: piece.call, message: `\`${piece.name}\` returns several views here` }],
      });
    }
  },
};
