/**
 * Questions several rules ask of the analysis: which model a derivative differentiates, how to name it.
 */
import type { SemanticModel } from '../semantic';
import { field, type PyNode } from '../tree';
import type { BackwardEvent, DerivativeEvent, ModelCallEvent } from './events';
import type { Analysis } from './interpreter';
import { isKind, Kind, type TensorFacts } from './values';

/**
 * The model call a derivative goes through, among those whose result satisfies `pred`: in the same
 * function, the last one before the derivative; else the one inside the derivative call (a functional
 * API calling the model), else any.
 */
export function modelCallFor(a: Analysis, d: DerivativeEvent, pred: (t: TensorFacts) => boolean): ModelCallEvent | null {
  const cands = a.events.modelCalls.filter((c) => c.result.t !== null && pred(c.result.t));
  const same = cands.filter((c) => c.node === d.node);
  if (same.length > 0) return same[0];
  // A model called inside the derivative's arguments (`hessian(lambda q: potential(q).sum(), p)`): the outermost.
  const inside = cands.filter((c) => d.node.start <= c.node.start && c.node.end <= d.node.end).sort((x, y) => x.node.start - y.node.start || y.node.end - x.node.end);
  if (inside.length > 0) return inside[0];
  const before = cands.filter((c) => c.fn === d.fn && c.node.start <= d.node.start).sort((x, y) => y.node.start - x.node.start);
  if (before.length > 0) return before[0];
  return cands.sort((x, y) => x.node.start - y.node.start)[0] ?? null;
}

/** A readable name for the model of a call (`pinn`, `self.net`, `HeatPINN`) and where it is defined. */
export function modelName(m: SemanticModel, c: ModelCallEvent, d: DerivativeEvent | null): { name: string; def: PyNode | null; at: PyNode | null } {
  let expr: PyNode | null = field(c.node, 'function');
  if (d && c.node === d.node) {
    const call = m.call(d.node);
    const inner = call?.calleeCall ?? call;
    expr = inner ? (inner.positional[0] ?? inner.keywords.get('func') ?? null) : null;
  }
  const callee = c.callee;
  let def: PyNode | null = null;
  let clsName: string | null = null;
  if (isKind(callee, Kind.INST) && callee.classes.length > 0) {
    clsName = callee.classes[0].name;
    def = field(callee.classes[0].node, 'name') ?? callee.classes[0].node;
  } else if (callee.site >= 0) {
    const n = m.tree.nodes[callee.site];
    def = n && n.type === 'class_definition' ? (field(n, 'name') ?? n) : (n ?? null);
  }
  const text = expr ? m.textOf(expr) : '';
  const name = text === 'self' && clsName ? clsName : /^(?:self\.)?[A-Za-z_][\w.]*$/.test(text) ? text : (clsName ?? 'the model');
  return { name, def, at: expr };
}

/**
 * Whether some optimizer step after backward `b` (in its function and loop, before the next backward there) moves one
 * of `params`: the network a loss trains is stepped. AGL076 asks it of the last backward before a step that holds none
 * of the loss's parameters (the wrong optimizer, when no step moves them); AGL002's cut check leaves that case to it.
 */
export function stepAfterMoves(a: Analysis, b: BackwardEvent, params: readonly number[]): boolean {
  const next = a.events.backwards.find((x) => x.fn === b.fn && x.loop === b.loop && x.node.start > b.node.start);
  return a.events.steps.some(
    (o) => o.fn === b.fn && o.loop === b.loop && o.node.start > b.node.start && (!next || o.node.start < next.node.start) && o.params.some((p) => params.includes(p)),
  );
}

/**
 * Whether a step of an optimizer holding `stepParams`, after backward `b` of a loss with facets `t`, is the wrong
 * optimizer rather than a cut: it holds none of the loss's live parameters, no step after `b` moves them, and each of
 * its parameters the loss reaches through a cut (`.detach()`) is trained live by another backward of the same function
 * (a GAN's generator, detached on purpose for the discriminator's loss). AGL076 reports it; AGL002's cut check does not.
 */
export function wrongOptimizerStep(a: Analysis, stepParams: readonly number[], b: BackwardEvent, t: TensorFacts): boolean {
  if (stepParams.some((p) => t.params.includes(p)) || stepAfterMoves(a, b, t.params)) return false;
  const cutOrigins = stepParams.filter((p) => t.cuts.some((c) => c.origin === p));
  return cutOrigins.every((p) =>
    a.events.backwards.some((x) => x !== b && x.fn === b.fn && isKind(x.target, Kind.TENSOR) && !!x.target.t && !x.target.t.opaque && x.target.t.params.includes(p)),
  );
}

/** A name for the module whose construction (or class instance) is `n`: the variable or attribute it is bound to. */
export function moduleName(m: SemanticModel, n: PyNode): string {
  // A layer inside a container (`G = nn.Sequential(nn.Linear(...), ...)`): the container's name.
  let inner = n;
  while (inner.parent && (inner.parent.type === 'argument_list' || inner.parent.type === 'list' || inner.parent.type === 'keyword_argument' || (inner.parent.type === 'call' && inner.type === 'argument_list'))) inner = inner.parent;
  if (inner !== n && inner.type === 'call') n = inner;
  const p = n.parent;
  if (p && p.type === 'assignment' && field(p, 'right') === n) {
    const left = field(p, 'left');
    if (left) return `\`${m.textOf(left)}\``;
  }
  if (n.type === 'class_definition') {
    const name = field(n, 'name');
    if (name) return `\`${m.textOf(name)}\``;
  }
  return `\`${m.textOf(n).split('(')[0]}(...)\``;
}

/** A value that is surely a Python list, tuple, generator or dict (of tensors, say) and nothing else: no tensor, no object. */
export function surelyContainer(v: { kind: number } | undefined): boolean {
  return !!v && v.kind !== 0 && (v.kind & ~(Kind.SEQ | Kind.DICT)) === 0;
}
