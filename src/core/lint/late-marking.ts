/**
 * "Marked too late": a tensor made to require grad (`x.requires_grad_()`, `x.requires_grad = True`) after a computation
 * already read it (`z = x * 2`, `out = model(x)`). What was computed before the marking holds no graph back to `x`, so a
 * backward through it leaves `x.grad` None (AGL014) and `torch.autograd.grad(out, x)` raises (AGL024). This module
 * answers the shared question: for a read of `x` (an identifier) at a given place, the marking that made its value a leaf
 * and the earlier use that ran before it, or null. The rules then ask the analysis whether the differentiated value
 * reaches the leaf.
 */
import type { AV, LeafEvent } from './analysis';
import { requiresGrad } from './analysis';
import type { RuleContext } from './rule';
import { field, unparen, type PyNode } from './tree';

export interface LateMarking {
  /** The marking (`x.requires_grad_()`), a leaf event. */
  leaf: LeafEvent;
  /** A read of the same tensor before the marking, inside an expression that makes a value. */
  used: PyNode;
}

/**
 * The too-late marking of `obj` (an identifier read at `at`, whose value is `owner`, in function `fn`): its value is a
 * leaf marked in the same function before `at`, the tensor surely did not require grad before the marking, there is one
 * binding of the name, and a use of that binding before the marking makes a value from it (not `print(x.shape)`).
 */
export function lateMarking(ctx: RuleContext, obj: PyNode, owner: AV | undefined, fn: PyNode | null, at: number): LateMarking | null {
  const a = ctx.analysis;
  const m = ctx.model;
  const t = owner?.t;
  if (!t || t.leafOf === null || t.opaque || t.variable || t.leaves.length > 0) return null;
  const leaf = a.events.leaves.find((l) => l.node.id === t.leafOf);
  if (!leaf || leaf.kind === 'factory' || leaf.fn !== fn || leaf.node.start > at) return null;
  const before = leaf.beforeAny.t;
  if (!before || before.opaque || requiresGrad(before) || before.mayLeaf.length > 0) return null;
  const target = unparen(leaf.target);
  const o = unparen(obj);
  if (target.type !== 'identifier' || o.type !== 'identifier' || ctx.text(o) !== ctx.text(target)) return null;
  // The tensor was read before it was marked, after its binding (the forward pass that ran too early).
  const reach = m.reachingBindings(target);
  if (reach.length !== 1) return null;
  const bind = reach[0];
  const fnNode = m.enclosingFunction(leaf.node);
  const used = m
    .usesOf(bind)
    .find((u) => u.start < leaf.node.start && u.start > bind.target.end && m.enclosingFunction(u) === fnNode && !(u.start >= leaf.target.start && u.end <= leaf.target.end));
  if (!used) return null;
  // Not a read for a statement that only looks at the tensor (`print(x.shape)`): the use is inside an expression that
  // makes a value (an argument of a call, an operand).
  const useStmt = m.statementOf(used);
  if (useStmt.type !== 'expression_statement' && useStmt.type !== 'return_statement') return null;
  for (let p = used.parent; p && p !== useStmt; p = p.parent) {
    if (p.type === 'call' && /^(?:print|len|isinstance|type|id)$|(?:^|\.)(?:info|debug|warning|log)$/.test(ctx.text(field(p, 'function') ?? p))) return null;
    if (p.type === 'attribute' && field(p, 'object') === used && /^(?:shape|dtype|device|ndim|is_leaf|requires_grad)$/.test(ctx.text(field(p, 'attribute') ?? p))) return null;
  }
  return { leaf, used };
}

/** Whether a value differentiated may reach the leaf marked at `leaf` (unknown values may). */
export function reachesLeaf(v: AV, leaf: LeafEvent): boolean {
  const t = v.t;
  if (!t || t.opaque) return true;
  const id = leaf.node.id;
  return t.leafOf === id || t.leaves.includes(id) || t.mayLeaf.includes(id) || t.cuts.some((c) => c.origin === id);
}
