/**
 * Where the code takes a derivative and with respect to what, read from the syntax: the calls that differentiate
 * (`torch.autograd.grad`, `autograd.functional.jacobian`, a JAX or `torch.func` transform applied to arguments,
 * a tape's `gradient`) and the expressions they differentiate with respect to. Rules that ask "is this value
 * differentiated with respect to?" before the analysis has a value for it (AGL003's points, AGL067's grids) share
 * these, so that every rule knows the same spellings.
 */
import type { SemanticModel } from './semantic';
import { field, unparen, type PyNode } from './tree';
import { functionArgument } from './jax';
import { elements, gradReads } from './torch';
import { findTapes } from './tensorflow';

/** JAX transforms (and PyTorch's function transforms, which take the same arguments) that differentiate the function they are given. */
export const FUNCTION_DERIVATIVES = new Set([
  'jax.grad', 'jax.value_and_grad', 'jax.jacfwd', 'jax.jacrev', 'jax.jacobian', 'jax.hessian',
  // https://pytorch.org/docs/stable/func.api.html
  'torch.func.grad', 'torch.func.grad_and_value', 'torch.func.jacrev', 'torch.func.jacfwd', 'torch.func.hessian',
  'functorch.grad', 'functorch.grad_and_value', 'functorch.jacrev', 'functorch.jacfwd', 'functorch.hessian',
]);
/** Transforms that keep which argument a transform inside them differentiates (`vmap(grad(f))`, `jit(grad(f))`). */
const KEEPING = new Set(['jax.vmap', 'jax.jit', 'torch.vmap', 'torch.func.vmap', 'functorch.vmap', 'torch.compile']);

/**
 * The differentiating transform a callee is: `jax.grad(f)`, `jax.vmap(jax.grad(f))`, or a name bound once to
 * one of them (`df = jax.jacfwd(f)`). Returns the index of the argument differentiated against, or null
 * when the callee is not one, or `argnums` is not a visible integer.
 */
export function differentiatedArgument(m: SemanticModel, callee: PyNode, depth = 0): { index: number; transform: string } | null {
  let f = unparen(callee);
  if (f.type === 'identifier' && m.isUse(f) && depth < 3) {
    const bs = m.reachingBindings(f);
    if (bs.length !== 1 || bs[0].kind !== 'assign' || !bs[0].value) return null;
    f = unparen(bs[0].value);
  }
  if (f.type !== 'call') return null;
  const c = m.call(f);
  if (!c || !c.qname) return null;
  if (KEEPING.has(c.qname)) {
    const inner = functionArgument(c);
    return inner ? differentiatedArgument(m, inner, depth + 1) : null;
  }
  if (!FUNCTION_DERIVATIVES.has(c.qname)) return null;
  const argnums = c.keywords.get('argnums') ?? c.positional[1];
  if (!argnums) return { index: 0, transform: c.qname };
  const t = m.textOf(unparen(argnums));
  return /^\d+$/.test(t) ? { index: Number(t), transform: c.qname } : null;
}

/** A place that differentiates, and the expressions it differentiates with respect to (list and tuple elements split). */
export interface DerivativeInputs {
  readonly call: PyNode;
  readonly inputs: PyNode[];
}

/**
 * Every derivative of the file with the expressions it is taken with respect to: `autograd.grad(y, x)`'s `x`,
 * `autograd.functional.jacobian(f, x)`'s `x`, the argument a transform differentiates (`jax.grad(f)(x)`,
 * `jax.vmap(jax.jacfwd(f))(x)`, `df(x)` with `df = jax.grad(f)`, `argnums` read), a tape's watched tensors and
 * `sources`, and `x` of each `x.grad` read (after a `backward`).
 */
export function derivativeInputs(m: SemanticModel): DerivativeInputs[] {
  const out: DerivativeInputs[] = [];
  for (const c of m.calls) {
    if (c.qname === 'torch.autograd.grad' || c.qname === 'torch.autograd.functional.jacobian' || c.qname === 'torch.autograd.functional.hessian') {
      const x = c.keywords.get('inputs') ?? c.positional[1];
      if (x) out.push({ call: c.node, inputs: elements(x) });
      continue;
    }
    const callee = field(c.node, 'function');
    const d = callee && !c.hasStarArgs ? differentiatedArgument(m, callee) : null;
    const arg = d ? c.positional[d.index] : undefined;
    if (arg) out.push({ call: c.node, inputs: [arg] });
  }
  for (const tape of findTapes(m)) {
    for (const w of tape.watches) if (w.positional[0]) out.push({ call: w.node, inputs: elements(w.positional[0]) });
    for (const u of tape.uses) {
      const s = u.keywords.get('sources') ?? u.positional[1];
      if (s) out.push({ call: u.node, inputs: elements(s) });
    }
  }
  for (const g of gradReads(m)) {
    const o = field(g, 'object');
    if (o) out.push({ call: g, inputs: [o] });
  }
  return out;
}
