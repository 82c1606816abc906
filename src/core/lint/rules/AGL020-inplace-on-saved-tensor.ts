/**
 * AGL020 inplace-on-saved-tensor: an in-place change (`x += 1`, `x.mul_()`, `x[i] = v`, a module with
 * `inplace=True`) of a tensor that an earlier operation saved for its backward pass: the output of
 * `relu`/`exp`/`cdist`/`norm`, or an input of `norm`/`sin`/a matmul/a linear layer. The backward pass
 * raises "one of the variables needed for gradient computation has been modified by an inplace operation".
 *
 * Asked of the analysis: in-place events (`InplaceEvent`) whose target carries `saved` sites.
 */
import { requiresGrad, type InplaceEvent } from '../analysis';
import type { Rule, RuleContext } from '../rule';
import type { SemanticModel } from '../semantic';
import { DERIVATIVE_FUNCTIONS, isGraphDroppingOp, isLossCall } from '../torch';
import { field, unparen, type PyNode } from '../tree';

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
        'and that an earlier operation saved for its backward pass (in a loop, also one later in the body: the next round\'s ' +
        'change reaches what this round saved): the result of `relu`, `sigmoid`, `tanh`, `exp`, `sqrt`, ' +
        '`cdist`, `norm`, `softmax`, `logsumexp`, `expm1`, `tan`, `pow` with a tensor exponent, the factors of `qr`, `cholesky`, `svd` and `eigh`, an inverse, a determinant or a solution of a linear system (also changed through a view: `torch.diagonal(R)`, `y.t()`, `y[:, 0]`); an input of `norm`, `sin`/`cos`/`log`, `cross`, a product ' +
        'or quotient of two tensors that require grad, a matmul, or a layer with weights; and what the forward of a custom ' +
        '`torch.autograd.Function` of the file saves with `ctx.save_for_backward`: its returned tensor, or an input as ' +
        '`Fn.apply(...)` received it. A view saved this way (`x[0, :] * w`, `f[i - 1] * x`, `a.t() * w`) saves the storage of the tensor it ' +
        'views: a later in-place change of that tensor anywhere (`x[0, :] = x[0, :] * w`, the next `f[i] = ...` of a recurrence written into a ' +
        'preallocated tensor) is reported too. Also a change through `.data` ' +
        '(`x.data *= 100`, `p.data.clamp_(...)`) of a leaf or parameter that such an operation saved, made after that ' +
        'operation and before a backward (in the same function) of a value its result flows to: `.data` escapes the version ' +
        'check, so no error is raised and the gradient is computed with the changed values.',
      whyIsThisBad:
        'Autograd keeps references to the tensors a backward formula needs and checks their version counter when it runs. ' +
        'An in-place change bumps the version, and backward fails with "one of the variables needed for gradient ' +
        'computation has been modified by an inplace operation: [...] is at version 2; expected version 1". The error points ' +
        'at the backward pass, far from the line that caused it (anomaly detection is needed to find it); in force-field ' +
        'and geometry code the in-place normalisation or masking of a distance matrix is a frequent cause. Through `.data` ' +
        'the change is not counted: the backward silently uses the new values (`y = 2 * x * x; x.data *= 100; y.backward()` ' +
        'gives 202 for a derivative of 4).',
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
        'the full list); other operations are assumed to save nothing. Views of a saved tensor are followed through basic indexing ' +
        'and the view functions (`diagonal`, `transpose`, `view`, `narrow`, `select`, `squeeze`...), not through `reshape`/`flatten` ' +
        '(which copy when they must). A saved view is tied to its base when the view is written in the saving expression (`h[t - 1] @ w`) or bound once to a name ' +
        '(`row = h[0]`) while the base still holds that tensor; a view passed through a helper is not. A tensor is assumed to require grad when it depends on a leaf, on parameters, or on an argument ' +
        'nobody visibly passes; code that only runs under `torch.no_grad()` in a caller not in view is reported anyway. ' +
        'It is reported only when a backward pass may go through the saving operation: its result (with a graph) reaches ' +
        '`.backward()`, a derivative or a loss, is returned or yielded, stored on an object or handed to a call whose ' +
        'result is dropped; a result only compared or only used for an index (`argmax`) is not. The saving operation and ' +
        'the change must be in one function, or in functions one of which calls the other or which a third calls: two ' +
        'methods run only from another module (an integrator alternating them) are not paired. A product, quotient or tensor method ' +
        '(`beta * kl`, `b.dot(delta)`) saves its operands only when the code shows that one requires grad (a leaf, a model in view): ' +
        'values that may only because an unseen caller could pass such tensors may as well be numbers or NumPy arrays. ' +
        'A `.data` change is reported only when the saving operation, the change and the backward are in that order in one ' +
        'function (a forward in one method and the backward in another are not paired).',
      fixSafety: 'No automatic fix: the out-of-place form (`x = x / n`, `x.masked_fill(...)`) changes which variable holds what.',
      references: ['[Autograd mechanics: in-place operations](https://pytorch.org/docs/stable/notes/autograd.html#in-place-operations-with-autograd)'],
    },
  },

  check(ctx) {
    // TensorFlow and JAX tensors are immutable: `x += y` rebinds the name there.
    if (!ctx.model.fileFact('torch-word')) return;
    // `y[:, 0] += 1` is both an item assignment of `y` and an in-place `+=` of its view: one mistake, one report.
    const reportedAt = new Set<number>();
    for (const ev of ctx.analysis.events.inplace) {
      if (reportedAt.has(ev.node.start)) continue;
      if (dataChangeBeforeBackward(ctx, ev)) continue;
      const t = ev.target.t;
      if (!t || t.saved.length === 0 || ev.recording.mode !== 'on') continue;
      if (t.leafOf !== null || t.variable) continue; // a leaf raises earlier (AGL013)
      // Only a recorded operation saves anything: the tensor must be computed from something that requires grad (or from
      // an argument nobody visibly passes). A transform made from random parameters and inverted saves nothing.
      if (!requiresGrad(t) && !t.opaque) continue;
      const savers = t.saved
        .map((id) => ctx.tree.nodes[id])
        // In one function the saving operation comes before the change in the text; across functions the analysis ran
        // it first (a submodule's forward defined below the module that calls it).
        .filter((n): n is PyNode => !!n && (n.start < ev.node.end || inStoredValue(ev.node, n) || ownerOf(n) !== ownerOf(ev.node) || inLoopWith(ev.node, n)) && inOneRun(ctx.model, n, ev.node) && backwardMayReach(ctx.model, n));
      if (savers.length === 0) continue;
      const s = savers[savers.length - 1];
      const what = ev.op.startsWith('inplace=') ? `\`${ev.op.slice(8)}(..., inplace=True)\`` : ev.op === '[]=' ? 'Item assignment' : ev.op.endsWith('=') ? `\`${ev.op}\`` : `\`.${ev.op}()\``;
      const name = ctx.text(ev.expr);
      reportedAt.add(ev.node.start);
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

/**
 * `y = 2 * x * x; x.data *= 100; y.backward()`: a change through `.data` of a leaf or parameter that an operation saved
 * for its backward pass, between that operation and a backward of its result. `.data` shares the storage but not the
 * version counter, so nothing raises: the backward reads the changed values and the gradient is silently wrong. Only
 * where the text shows the order in one function — the saving operation before the change, and after it a backward
 * whose target the saving operation's result flows to (an update after the backward, `w.data -= lr * w.grad`, and the
 * next iteration's forward are not this). Reported here; returns whether it was reported.
 */
function dataChangeBeforeBackward(ctx: RuleContext, ev: InplaceEvent): boolean {
  const m = ctx.model;
  const e = unparen(ev.expr);
  if (e.type !== 'attribute') return false;
  const attr = field(e, 'attribute');
  const obj = field(e, 'object');
  if (!attr || !obj || m.textOf(attr) !== 'data') return false;
  const t = ctx.analysis.valueOf(obj)?.t;
  if (!t || t.saved.length === 0) return false;
  const origins = t.leafOf !== null ? [t.leafOf] : t.variable ? t.params : [];
  if (origins.length === 0) return false;
  const owner = ownerOf(ev.node);
  const savers = t.saved
    .map((id) => ctx.tree.nodes[id])
    .filter((n): n is PyNode => !!n && n.end <= ev.node.start && ownerOf(n) === owner);
  for (const s of savers) {
    const flow = m.flow({ nodes: [s] });
    const b = ctx.analysis.events.backwards.find((bw) => {
      if (bw.node.start <= ev.node.end || ownerOf(bw.node) !== owner) return false;
      const bt = bw.target.t;
      if (!bt || !origins.some((o) => bt.leaves.includes(o) || bt.params.includes(o))) return false;
      const recv = m.call(bw.node)?.receiver ?? null;
      return recv !== null && flow.reaches(recv) !== null;
    });
    if (!b) continue;
    const name = ctx.text(obj);
    ctx.report({
      node: ev.node,
      message:
        `\`${ctx.text(e)}\` is changed in place (\`${ev.op}\`) after \`${ctx.text(s).replace(/\s+/g, ' ').slice(0, 50)}\` (line ${ctx.lineOf(s)}) saved ` +
        `\`${name}\` for its backward pass, and before the backward at line ${ctx.lineOf(b.node)}: \`.data\` bypasses autograd's version ` +
        'check, so nothing raises and the backward computes the gradient with the changed values (a silently wrong gradient). ' +
        'Change the tensor before the forward pass or after the backward, or compute the forward from the changed tensor again.',
      related: [
        { node: s, message: 'saves the tensor for backward here' },
        { node: b.node, message: 'the backward that reads it' },
      ],
    });
    return true;
  }
  return false;
}

/**
 * Calls whose result holds no graph for a backward to go through: indices and truth values (`argmax`, `eq`,
 * `isclose`), besides the conversions of `isGraphDroppingOp`.
 */
const INDEX_OR_TRUTH = new Set([
  'argmax', 'argmin', 'argsort', 'nonzero', 'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'isclose', 'isnan', 'isinf', 'isfinite',
  'allclose', 'equal', 'any', 'all', 'count_nonzero', 'searchsorted', 'bucketize',
]);

function dropsGraph(m: SemanticModel, n: PyNode): boolean {
  if (n.type === 'comparison_operator' || n.type === 'not_operator') return true;
  if (n.type === 'call') {
    const c = m.call(n);
    const name = c?.method ?? c?.qname?.split('.').pop() ?? null;
    if (name !== null && INDEX_OR_TRUTH.has(name)) return true;
  }
  return isGraphDroppingOp(m, n);
}

/**
 * Whether a backward pass may go through the operation `saver` (which saved the tensor): its result, with a graph,
 * reaches `.backward()`, a derivative call or a loss, leaves its function (a `return`, a `yield`: the caller may
 * differentiate it), is stored on an object (`self.h = ...`, an argument's item) or is handed to a call whose result
 * is dropped (it may be kept there). A result only compared (`p.dot(H.mv(p)) <= tol`), or only used for an index
 * (`argmax` after the in-place masking of a softmax), takes no backward through the saving operation: the changed
 * tensor is never checked.
 */
function backwardMayReach(m: SemanticModel, saver: PyNode): boolean {
  const flow = m.flow({ nodes: [saver] }, { barrier: (n) => dropsGraph(m, n) });
  for (const c of flow.touchedCalls()) {
    const args = [...c.positional, ...c.keywords.values()];
    const reached = args.some((a) => flow.reaches(a) !== null) || (c.receiver !== null && flow.reaches(c.receiver) !== null);
    if (!reached) continue;
    if (c.method === 'backward' || (c.qname !== null && (DERIVATIVE_FUNCTIONS.has(c.qname) || c.qname === 'torch.autograd.backward'))) return true;
    if (isLossCall(m, c)) return true;
    // A call whose result is dropped keeps what it is given somewhere (a list, a hook, a caller's object).
    const parent = c.node.parent;
    if (parent?.type === 'expression_statement' && !c.local) return true;
  }
  for (const f of m.functions) if (f.returns.some((r) => flow.reaches(r) !== null)) return true;
  for (const mu of m.mutations) {
    if (mu.kind === 'append') continue; // flows into the list itself
    if (mu.kind === 'subscript' && isLocalVariable(m, mu.base)) continue; // flows into the local variable
    if (flow.reaches(mu.value) !== null) return true;
  }
  // `yield v` and a `*loss*` variable trained by a hook the file does not show.
  for (const b of flow.tainted) {
    if (/loss/i.test(b.name)) return true;
    for (const u of m.usesOf(b)) {
      for (let p: PyNode | null = u.parent; p && p.type !== 'block' && p.type !== 'module'; p = p.parent) {
        if (dropsGraph(m, p)) break;
        if (p.type === 'yield') return true;
      }
    }
  }
  return false;
}

/**
 * Whether `saver` is in the value an item assignment stores (`x[0] = x[0] * w`): the right side runs before the store.
 */
function inStoredValue(change: PyNode, saver: PyNode): boolean {
  const a = change.parent;
  if (!a || a.type !== 'assignment' || field(a, 'left') !== change) return false;
  const right = field(a, 'right');
  return !!right && right.start <= saver.start && saver.end <= right.end;
}

/**
 * Whether a loop of the function around the change also holds `saver` (later in its body): the next round's change
 * reaches what this round's operation saved (`b[i] = b[i] + 1` then `torch.mm(w, b)` in one body).
 */
function inLoopWith(change: PyNode, saver: PyNode): boolean {
  for (let p: PyNode | null = change.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return false;
    if ((p.type === 'for_statement' || p.type === 'while_statement') && p.start <= saver.start && saver.end <= p.end) {
      const body = field(p, 'body');
      return !!body && body.start <= saver.start && saver.end <= body.end;
    }
  }
  return false;
}

/** A name bound by an assignment in the function it is read in (not a parameter, not a global). */
function isLocalVariable(m: SemanticModel, base: PyNode): boolean {
  if (base.type !== 'identifier' || !m.isUse(base)) return false;
  const fn = m.enclosingFunction(base);
  const bs = m.reachingBindings(base);
  return bs.length > 0 && bs.every((b) => b.kind !== 'param' && b.kind !== 'import' && m.enclosingFunction(b.target) === fn);
}

/** The function or method a node belongs to at the top (nested functions and lambdas count as their owner's code). */
function ownerOf(node: PyNode): PyNode | null {
  let owner: PyNode | null = null;
  for (let n: PyNode | null = node.parent; n; n = n.parent) if (n.type === 'function_definition') owner = n;
  return owner;
}

const callGraphs = new WeakMap<SemanticModel, Map<PyNode | null, Set<PyNode | null>>>();

/** Owner → owners it calls (a call inside a nested function or lambda counts for its owner); null is the module. */
function callGraph(m: SemanticModel): Map<PyNode | null, Set<PyNode | null>> {
  let g = callGraphs.get(m);
  if (g) return g;
  g = new Map();
  for (const c of m.calls) {
    if (!c.local) continue;
    const from = ownerOf(c.node);
    const to = c.local.node.type === 'function_definition' ? ownerOf(c.local.node) ?? c.local.node : ownerOf(c.local.node);
    let s = g.get(from);
    if (!s) g.set(from, (s = new Set()));
    s.add(to);
  }
  callGraphs.set(m, g);
  return g;
}

function reachable(g: Map<PyNode | null, Set<PyNode | null>>, from: PyNode | null): Set<PyNode | null> {
  const seen = new Set<PyNode | null>([from]);
  const stack = [from];
  while (stack.length > 0) {
    for (const t of g.get(stack.pop()!) ?? []) {
      if (seen.has(t)) continue;
      seen.add(t);
      stack.push(t);
    }
  }
  return seen;
}

/**
 * Whether the saving operation and the in-place change can run in one execution in that order that the file shows:
 * in one function, or one calls the other, or a third calls both. Two methods that nothing in the file calls
 * together (an integrator's `propagate_main_step` and `propagate_half_step`, called from another module in an order
 * not in view) share the instance's attributes in the analysis, but not a run the file shows.
 */
function inOneRun(m: SemanticModel, saver: PyNode, change: PyNode): boolean {
  const a = ownerOf(saver);
  const b = ownerOf(change);
  if (a === b) return true;
  // A module's `forward` (or `__call__`) runs wherever the module is called (`self.block(x)`), which the file's call
  // names do not show.
  if (isImplicitlyCalled(m, a) || isImplicitlyCalled(m, b)) return true;
  const g = callGraph(m);
  if (reachable(g, a).has(b) || reachable(g, b).has(a)) return true;
  const owners = new Set<PyNode | null>([null, ...g.keys()]);
  for (const o of owners) {
    const r = reachable(g, o);
    if (r.has(a) && r.has(b)) return true;
  }
  return false;
}

function isImplicitlyCalled(m: SemanticModel, fn: PyNode | null): boolean {
  if (!fn) return false;
  const info = m.functionOf(fn);
  return !!info && info.isMethod && (info.name === 'forward' || info.name === '__call__');
}
