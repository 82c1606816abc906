/**
 * AGL079 loop-axis-mismatch: a loop that differentiates one slice of a tensor per step runs over the size of one
 * axis of the tensor but selects along another: `for i in range(len(y)): grad(y[:, i].sum(), x)` with `y` of shape
 * (batch, outputs). `len(y)` is the batch size, so the loop builds a Jacobian over as many output columns as there
 * are samples: columns are missed (or an IndexError when the batch is larger), and the result is not the Jacobian.
 *
 * Asked of the model and the analysis: the loop's bound (`len(t)`, `t.shape[k]`, `t.size(k)`, a name bound once to
 * one), the axis at which the loop variable indexes the same tensor in the body (`t[:, i]` is axis 1, `t[i]` axis
 * 0), a derivative taken in the loop (`torch.autograd.grad`, `.backward()`, `tape.gradient`, `jax.grad`), the
 * tensor computed from parameters or a differentiated leaf, and its shape not visibly square.
 */
import type { AV } from '../analysis/values';
import type { Rule, RuleContext } from '../rule';
import type { Binding } from '../semantic';
import { contains, field, namedChildren, unparen, walk, type PyNode } from '../tree';

/** A tensor named by a local name (its bindings) or by an attribute's text (`self.y`). */
interface Named {
  node: PyNode;
  bindings: readonly Binding[] | null;
  text: string;
}

function named(ctx: RuleContext, n: PyNode | null | undefined): Named | null {
  if (!n) return null;
  const u = unparen(n);
  if (u.type === 'identifier' && ctx.model.isUse(u)) {
    const bs = ctx.model.reachingBindings(u);
    return bs.length > 0 ? { node: u, bindings: bs, text: ctx.text(u) } : null;
  }
  if (u.type === 'attribute') return { node: u, bindings: null, text: ctx.text(u) };
  return null;
}

function same(a: Named, b: Named): boolean {
  if (a.text !== b.text) return false;
  if (!a.bindings || !b.bindings) return !a.bindings && !b.bindings;
  return a.bindings.some((x) => b.bindings!.includes(x));
}

function intLiteral(ctx: RuleContext, n: PyNode | null | undefined): number | null {
  if (!n) return null;
  const t = ctx.text(unparen(n)).trim();
  return /^-?\d+$/.test(t) ? Number(t) : null;
}

/** The tensor and axis whose size `n` is: `len(t)`, `t.shape[k]`, `t.size(k)`, `t.size()[k]`, `t.shape[k]` through a name bound once. */
function sizeOf(ctx: RuleContext, n: PyNode | null | undefined, depth = 0): { t: Named; axis: number } | null {
  if (!n || depth > 2) return null;
  const u = unparen(n);
  const m = ctx.model;
  if (u.type === 'identifier' && m.isUse(u)) {
    const bs = m.reachingBindings(u);
    return bs.length === 1 && bs[0].value ? sizeOf(ctx, bs[0].value, depth + 1) : null;
  }
  if (u.type === 'call') {
    const c = m.call(u);
    if (!c) return null;
    if (c.qname === 'len' && c.positional.length === 1) {
      const t = named(ctx, c.positional[0]);
      return t ? { t, axis: 0 } : null;
    }
    if (c.method === 'size' && c.receiver && c.positional.length === 1) {
      const k = intLiteral(ctx, c.positional[0]);
      const t = named(ctx, c.receiver);
      return t && k !== null && k >= 0 ? { t, axis: k } : null;
    }
    return null;
  }
  if (u.type === 'subscript') {
    const subs = u.children.filter((c) => c.field === 'subscript');
    const k = subs.length === 1 ? intLiteral(ctx, subs[0]) : null;
    if (k === null || k < 0) return null;
    const v = field(u, 'value');
    if (!v) return null;
    const vu = unparen(v);
    // `t.shape[k]`
    if (vu.type === 'attribute' && ctx.text(field(vu, 'attribute') ?? vu) === 'shape') {
      const t = named(ctx, field(vu, 'object'));
      return t ? { t, axis: k } : null;
    }
    // `t.size()[k]`
    if (vu.type === 'call') {
      const c = ctx.model.call(vu);
      if (c && c.method === 'size' && c.receiver && c.positional.length === 0) {
        const t = named(ctx, c.receiver);
        return t ? { t, axis: k } : null;
      }
    }
  }
  return null;
}

/** The stop of `range(stop)` / `range(start, stop[, step])`. */
function rangeStop(ctx: RuleContext, n: PyNode | null | undefined): PyNode | null {
  if (!n) return null;
  const u = unparen(n);
  if (u.type !== 'call') return null;
  const c = ctx.model.call(u);
  if (!c || c.qname !== 'range' || c.keywords.size > 0) return null;
  return c.positional.length === 1 ? c.positional[0] : c.positional.length >= 2 ? c.positional[1] : null;
}

/** The axis at which `name` indexes `sub` (`t[:, i]` → 1, `t[i]` → 0), counting full slices before it; null otherwise. */
function indexAxis(ctx: RuleContext, sub: PyNode, loopVar: string): number | null {
  const items = sub.children.filter((c) => c.field === 'subscript');
  for (let k = 0; k < items.length; k++) {
    const it = unparen(items[k]);
    if (it.type === 'identifier' && ctx.text(it) === loopVar) {
      // Every entry before it must be a full slice `:` (an ellipsis makes the axis count from the end).
      for (let j = 0; j < k; j++) if (items[j].type !== 'slice' || ctx.text(items[j]).trim() !== ':') return null;
      return k;
    }
  }
  return null;
}

function trained(v: AV | undefined): boolean {
  const t = v?.t;
  return !!t && (t.params.length > 0 || t.leaves.length > 0 || t.leafOf !== null) && t.order === 0;
}

export const AGL079: Rule = {
  meta: {
    code: 'AGL079',
    name: 'loop-axis-mismatch',
    summary: 'A loop of derivatives runs over the size of one axis of a tensor (`range(len(y))`, the batch) but selects along another (`y[:, i]`, an output): the Jacobian is built over the wrong dimension.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a `for` loop or a comprehension whose variable runs over `range(len(t))`, `range(t.shape[k])`, `range(t.size(k))` or ' +
        '`range(t.size()[k])` (also through a name bound once to one of them) and indexes the same tensor `t` along another axis ' +
        '(`t[:, i]` with the bound `len(t)`, `t[i]` with the bound `t.shape[1]`), where `t` is computed from parameters or from a ' +
        'differentiated input, its shape is not visibly square, and the loop takes a derivative (`torch.autograd.grad`, ' +
        '`.backward()`, `tape.gradient`, `jax.grad`).',
      whyIsThisBad:
        'The usual way to build a Jacobian by hand is one derivative per output column: `grad(y[:, i].sum(), x)` for each output ' +
        '`i`. With `y` of shape (batch, outputs), the loop must run over `y.shape[1]`. Running it over `len(y)` (the batch size) ' +
        'differentiates as many columns as there are samples: with fewer samples than outputs, the Jacobian silently misses ' +
        'columns; with more, it fails with an IndexError only when the batch grows. The result has the batch size where the ' +
        'output size belongs, and any norm or penalty of it (a Frobenius-norm regulariser) is of the wrong matrix.',
      example: [
        '```python',
        'y = model(x)                                     # (batch, outputs)',
        'J = torch.stack([grad(y[:, i].sum(), x, retain_graph=True)[0]',
        '                 for i in range(len(y))])        # loops over the batch',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'J = torch.stack([grad(y[:, i].sum(), x, retain_graph=True)[0]',
        '                 for i in range(y.shape[1])])    # one row per output',
        '```',
      ].join('\n'),
      knownProblems:
        'The bound and the index must name the same tensor (a name or an attribute such as `self.y`); a bound taken from another ' +
        'tensor with the same batch (`range(len(x))` over `y[:, i]`) is not connected. A tensor that is square by construction ' +
        '(a Hessian, a covariance) is not reported when its shape is visible or it is itself a derivative; a square model output ' +
        'whose shape is not visible is, and needs `# noqa: AGL079`. Only literal axes are read.',
      fixSafety: 'No automatic fix: which axis the loop should run over depends on what the result is meant to be.',
      references: ['[torch.autograd.functional.jacobian](https://pytorch.org/docs/stable/generated/torch.autograd.functional.jacobian.html)'],
    },
  },

  check(ctx) {
    const a = ctx.analysis;
    const events = [...a.events.derivatives.map((d) => d.node), ...a.events.backwards.map((b) => b.node)];
    if (events.length === 0) return;
    const loops: { var: PyNode; bound: PyNode; body: PyNode }[] = [];
    walk(ctx.tree.root, (n) => {
      if (n.type === 'for_statement') {
        const left = field(n, 'left');
        const body = field(n, 'body');
        const stop = rangeStop(ctx, field(n, 'right'));
        if (left?.type === 'identifier' && body && stop) loops.push({ var: left, bound: stop, body });
      } else if (n.type === 'list_comprehension' || n.type === 'generator_expression' || n.type === 'set_comprehension') {
        const body = field(n, 'body');
        for (const clause of namedChildren(n)) {
          if (clause.type !== 'for_in_clause') continue;
          const left = field(clause, 'left');
          const stop = rangeStop(ctx, field(clause, 'right'));
          if (left?.type === 'identifier' && body && stop) loops.push({ var: left, bound: stop, body });
        }
      }
    });
    for (const loop of loops) {
      if (!events.some((e) => contains(loop.body, e))) continue;
      const size = sizeOf(ctx, loop.bound);
      if (!size || size.axis > 1) continue;
      const loopVar = ctx.text(loop.var);
      let found: { sub: PyNode; axis: number } | null = null;
      walk(loop.body, (n) => {
        if (found) return false;
        if (n.type !== 'subscript') return;
        const base = named(ctx, field(n, 'value'));
        if (!base || !same(base, size.t)) return;
        const axis = indexAxis(ctx, n, loopVar);
        if (axis !== null && axis !== size.axis && axis <= 1) found = { sub: n, axis };
      });
      if (!found) continue;
      const f = found as { sub: PyNode; axis: number };
      const v = a.valueOf(f.sub.children.find((c) => c.field === 'value')!);
      if (!trained(v)) continue;
      const dims = v!.t!.dims;
      if (dims && dims.length < 2) continue;
      // Visibly square (a Hessian, a covariance): both axes have one size.
      if (dims && dims[0] !== null && dims[0] === dims[1]) continue;
      const t = size.t.text;
      const axisName = (k: number): string => (k === 0 ? 'the first axis (the batch)' : `axis ${k}`);
      ctx.report({
        node: loop.bound,
        message:
          `The loop runs over \`${ctx.text(loop.bound).replace(/\s+/g, ' ')}\`, the size of ${axisName(size.axis)} of \`${t}\`, but ` +
          `\`${ctx.text(f.sub).replace(/\s+/g, ' ')}\` selects along ${axisName(f.axis)}: the derivatives taken in the loop are ` +
          `over as many ${f.axis === 1 ? 'output columns' : 'rows'} as \`${t}\` has ${size.axis === 0 ? 'samples' : 'columns'}, not over all of them ` +
          `(a Jacobian with the wrong dimension, or an IndexError when the sizes change). Loop over \`${t}.shape[${f.axis}]\`.`,
        related: [{ node: f.sub, message: `indexes axis ${f.axis}` }],
      });
    }
  },
};
