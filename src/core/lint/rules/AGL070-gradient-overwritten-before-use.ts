/**
 * AGL070 gradient-overwritten-before-use: a gradient is bound to a name (`grad = ...`, the second element of
 * `value_and_grad`'s pair) and the name is bound again, later in the same block, before anything reads it. The
 * first gradient is computed and thrown away; what the code uses afterwards under that name is the second one
 * (twin critics whose two `value_and_grad` results land in one `grad`, so both optimizers step with critic 2's).
 *
 * Asked of the analysis: the derivative events (`jax.grad(f)(x)`, `value_and_grad`, Equinox's and Flax NNX's,
 * `tape.gradient`, `torch.autograd.grad`), then the names their results are bound to and the reads of each binding.
 */
import { isKind, Kind } from '../analysis';
import type { BackwardEvent } from '../analysis/events';
import type { Rule, RuleContext } from '../rule';
import { rootCalleeName, type Binding, type CallInfo } from '../semantic';
import { walk, unparen, type PyNode } from '../tree';

/** Transforms whose applied result is a gradient (or a `(value, gradient)` pair), by qualified name. */
const GRADIENT_TRANSFORMS = new Set([
  'jax.grad', 'jax.value_and_grad', 'equinox.filter_grad', 'equinox.filter_value_and_grad', 'flax.nnx.grad', 'flax.nnx.value_and_grad',
]);

/** APIs whose applied result is a derivative (or a `(value, gradient)` pair): gradients, Jacobians, Hessians. */
const DERIVATIVE_RESULT = /(?:^|\.)(?:\w*grad|gradient|jacfwd|jacrev|jacobian|hessian)$/;

/** APIs whose result is a `(value, gradient)` pair: only the second element is the gradient. */
const VALUE_AND_GRAD = /(?:^|\.)(?:filter_)?value_and_grad$/;

/** The statement list a simple statement sits in (the block or module), and the statement itself. */
function blockOf(stmt: PyNode): { block: PyNode; stmt: PyNode } | null {
  const s = stmt.type === 'assignment' && stmt.parent?.type === 'expression_statement' ? stmt.parent : stmt;
  return s.parent ? { block: s.parent, stmt: s } : null;
}

export const AGL070: Rule = {
  meta: {
    code: 'AGL070',
    name: 'gradient-overwritten-before-use',
    summary: 'A gradient is thrown away before anything reads it: its name is rebound in the same block, or `zero_grad()` clears `.grad` right after the backward.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds an assignment of a derivative\'s result — `jax.grad(f)(x)`, the gradient of `jax.value_and_grad(f)(x)` ' +
        '(`(loss, aux), grad = ...`), Equinox\'s `filter_grad`/`filter_value_and_grad`, Flax NNX\'s, `tape.gradient(...)`, ' +
        '`torch.autograd.grad(...)`, also through a name the transform was stored in — to a name that a later statement of the ' +
        'same block binds again, when no code reads the first binding (not the statements between, not the right-hand side ' +
        'of the second assignment, not a function that sees the name), in a function. Names starting with `_`, one component of a ' +
        'tuple of gradients (`g_x, g_w = jax.grad(f, argnums=(0, 1))(x, w)`), module-level code (a script or notebook demonstrating ' +
        'one API after another) and test functions (`test_*`) are left alone. Also finds, in PyTorch, `zero_grad()` of the model or ' +
        'optimizer holding every parameter a loss reaches, right after that loss\'s `backward()` (same function and loop, nothing ' +
        'between that steps, reads `.grad`, clips, calls a function of the file or leaves the block): the gradients in `.grad` ' +
        'are thrown away the same way; and a value computed from a gradient (`perturbs = epsilon * delta.grad.sign()`) bound to ' +
        'a name its function never reads. And clipped gradients thrown away: a name bound to the clipped list ' +
        '(`clipped, _ = tf.clip_by_global_norm(grads, 5.0)`, a wrapper named after it, `[tf.clip_by_norm(g, c) for g in grads]` ' +
        'of a gradient list) that nothing reads, while the unclipped list is read after it.',
      whyIsThisBad:
        'The first gradient is computed and never used: whatever the code does afterwards with that name uses the second ' +
        'one. This is how two models end up trained with one gradient — twin critics whose `value_and_grad` results are both ' +
        'unpacked into `grad`, so the function returns only critic 2\'s gradient and both optimizers step with it (skrl issue ' +
        '425) — or how a gradient meant for an update is replaced by another one before the update. A `zero_grad()` between ' +
        '`d_loss.backward()` and a lazy R1 penalty\'s backward makes the regularized step apply the penalty alone; one between ' +
        '`loss.backward()` and `opt.step()` makes the step apply zeros. Clipped gradients bound and never read leave the update ' +
        'with the unclipped ones: the clipping does nothing (OpenSeq2Seq PR 192).',
      example: [
        '```python',
        '(q1_loss, q1), grad = jax.value_and_grad(critic_loss, has_aux=True)(params_1, critic_1)',
        '(q2_loss, q2), grad = jax.value_and_grad(critic_loss, has_aux=True)(params_2, critic_2)',
        'return grad   # critic 1\'s gradient is lost',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        '(q1_loss, q1), grad_1 = jax.value_and_grad(critic_loss, has_aux=True)(params_1, critic_1)',
        '(q2_loss, q2), grad_2 = jax.value_and_grad(critic_loss, has_aux=True)(params_2, critic_2)',
        'return grad_1, grad_2',
        '```',
      ].join('\n'),
      knownProblems:
        'Only a rebinding in the same block as the first binding counts (not one in a branch or a loop body below it), and ' +
        'only an assignment whose right-hand side is the derivative call itself. A gradient computed on purpose and discarded ' +
        '(a warm-up call that compiles the function) is reported unless its name starts with `_` (`_ = ...`, `_grad = ...`). ' +
        'The `zero_grad()` form needs the parameters the model or optimizer holds to be visible, and is skipped in files that ' +
        'register gradient hooks (which keep gradients outside `.grad`). A value computed from a gradient and never read is ' +
        'reported only for PyTorch `.grad` reads and derivatives taken without `create_graph=True` (a derivative with a graph is ' +
        'a loss term, which code may leave unused on purpose), within one name of the gradient. Clipped gradients are recognised ' +
        'by the clipping function\'s name (`clip_by_global_norm`, `clip_gradient_norms`, or TensorFlow\'s `clip_by_norm` / ' +
        '`clip_by_value` of a gradient list); in-place clips (`clip_grad_norm_`) return a norm and are not concerned.',
      fixSafety: 'No fix is offered: which name each gradient was meant for is the author\'s decision.',
      references: ['[jax.value_and_grad](https://docs.jax.dev/en/latest/_autosummary/jax.value_and_grad.html)'],
    },
  },

  check(ctx) {
    const m = ctx.model;
    checkClearedBeforeUse(ctx);
    checkNeverRead(ctx);
    checkClipDiscarded(ctx);
    // The analysis' derivative events, and transforms applied where it records none (Equinox's, Flax NNX's).
    const sites = new Map<number, { node: PyNode; api: string }>();
    for (const d of ctx.analysis.events.derivatives) {
      // `g = jax.grad(f)`: the transform itself, a function, not a gradient (it is applied elsewhere).
      if (d.spec.returns === 'function' && m.call(d.node)?.qname === d.api) continue;
      // `jvp`/`vjp`/`linearize` return primal outputs and functions along with derivatives: not a gradient as a whole.
      if (!DERIVATIVE_RESULT.test(d.api)) continue;
      if (!sites.has(d.node.id)) sites.set(d.node.id, { node: d.node, api: d.api });
    }
    for (const c of m.calls) {
      const root = c.calleeCall ? rootCalleeName(c) : null;
      if (root && GRADIENT_TRANSFORMS.has(root) && !sites.has(c.node.id)) sites.set(c.node.id, { node: c.node, api: root });
    }
    for (const d of sites.values()) {
      for (const b of gradientBindings(m.bindings, d)) {
        if (b.name.startsWith('_') || m.usesOf(b).length > 0) continue;
        // Module-level code (scripts, notebook cells demonstrating one API after another) and tests recompute on purpose.
        const fn = b.scope.fn;
        if (!fn || /^test/.test(fn.name)) continue;
        const here = blockOf(b.stmt);
        if (!here) continue;
        const later = (b.scope.bindings.get(b.name) ?? []).filter(
          (o) => o !== b && o.name === b.name && o.scope === b.scope && o.at > b.at && o.kind === 'assign',
        );
        const next = later
          .map((o) => ({ o, place: blockOf(o.stmt) }))
          .filter(({ place }) => place && place.block === here.block)
          .sort((x, y) => x.o.at - y.o.at)[0];
        if (!next) continue;
        ctx.report({
          node: next.o.target,
          message:
            `\`${b.name}\` is bound again here, but nothing has read the gradient \`${ctx.text(d.node).split('(')[0]}(...)\` bound to it at line ` +
            `${ctx.lineOf(b.target)}: that gradient is thrown away, and the code after uses this value in its place. Give each gradient its own name.`,
          related: [{ node: b.target, message: `the discarded gradient` }],
        });
      }
    }
  },
};

/** The bindings of the assignment whose right-hand side is the derivative call, that hold a gradient. */
function gradientBindings(bindings: readonly Binding[], d: { node: PyNode; api: string }): Binding[] {
  const assign = d.node.parent;
  if (!assign || assign.type !== 'assignment') return [];
  const right = assign.children.find((c) => c.field === 'right');
  if (!right || unparen(right) !== d.node) return [];
  const pair = VALUE_AND_GRAD.test(d.api);
  // The whole gradient only: one component of a tuple of gradients (`g_x, g_w = jax.grad(f, argnums=(0, 1))(x, w)`) left
  // unread is a choice of what to use, not a gradient thrown away.
  const whole = (b: Binding): boolean => (pair ? b.path.length === 1 && b.path[0] === 1 : b.path.length === 0);
  return bindings.filter((b) => (b.stmt === assign || b.stmt === assign.parent) && b.kind === 'assign' && whole(b));
}

/** Calls between a backward and a `zero_grad` that may use the gradients it filled. */
const USES_GRADIENTS = /^(?:step|unscale_|clip_grad_norm_?|clip_grad_value_?|clip_grads?|all_reduce|allreduce\w*|synchronize|update|apply_gradients)$/;
const LEAVES_BLOCK = new Set(['return_statement', 'break_statement', 'continue_statement', 'raise_statement', 'yield', 'await']);

/**
 * The parameter sites a `zero_grad()` receiver clears, from the analysis: a module's own parameters, or what an optimizer
 * holds (module parameters and leaves). Null when not visible.
 */
function clearedBy(ctx: RuleContext, z: CallInfo): { params: Set<number>; leaves: Set<number> } | null {
  const v = z.receiver ? ctx.analysis.valueOf(z.receiver) : undefined;
  if (!v || isKind(v, Kind.UNKNOWN)) return null;
  if (v.mod && v.mod.params.length > 0) return { params: new Set(v.mod.params), leaves: new Set() };
  const opt = ctx.analysis.events.optimizers.find((o) => o.node.id === v.site);
  if (!opt || opt.params.length === 0) return null;
  const params = new Set<number>();
  const leaves = new Set<number>();
  for (const f of opt.params) {
    if (f.opaque) return null;
    f.params.forEach((p) => params.add(p));
    if (f.leafOf !== null) leaves.add(f.leafOf);
    f.leaves.forEach((l) => leaves.add(l));
  }
  return { params, leaves };
}

/**
 * `loss.backward()` then `zero_grad()` of the model or optimizer holding every parameter (and leaf) the loss reaches,
 * with nothing between that could read or apply the gradients (a step, a `.grad` read, a clip, a call of the file's
 * functions, a return): the backward's gradients are thrown away — the term meant to accumulate with a later backward
 * (an adversarial loss beside a lazy R1 penalty) is dropped, or the step that follows applies zeros.
 */
function checkClearedBeforeUse(ctx: RuleContext): void {
  const m = ctx.model;
  const a = ctx.analysis;
  if (a.events.backwards.length === 0) return;
  const zeros = m.calls.filter((c) => c.method === 'zero_grad' && c.receiver && c.positional.length === 0);
  if (zeros.length === 0) return;
  // Hooks keep gradients elsewhere than `.grad` (Grad-CAM's saved gradients): clearing `.grad` then loses nothing.
  // (A question about the whole file: the re-lint by groups must see every hook, docs/lint-engine.md.)
  for (const w of ['register_hook', 'register_backward_hook', 'register_full_backward_hook', 'register_full_hook', 'retain_grad']) m.probeWord(w);
  if (m.calls.some((c) => c.method && /^(?:register_(?:full_)?(?:backward_)?hook|register_hook|retain_grad)$/.test(c.method))) return;
  const done = new Set<number>();
  for (const b of a.events.backwards) {
    if (b.hasInputs || done.has(b.node.id)) continue;
    const t = b.target.t;
    if (!t || !isKind(b.target, Kind.TENSOR) || isKind(b.target, Kind.UNKNOWN) || t.opaque || t.params.length === 0 || t.recOff !== null) continue;
    const z = firstZeroAfter(ctx, b, zeros);
    if (!z) continue;
    const cleared = clearedBy(ctx, z);
    if (!cleared || !sameObjectAsCalled(ctx, b, z)) continue;
    const leaves = [...t.leaves, ...(t.leafOf !== null ? [t.leafOf] : []), ...t.mayLeaf];
    if (!t.params.every((p) => cleared.params.has(p)) || !leaves.every((l) => cleared.leaves.has(l))) continue;
    done.add(b.node.id);
    const loss = m.call(b.node)?.receiver;
    const lossText = loss ? `\`${ctx.text(loss)}.backward()\`` : 'the backward';
    const zText = ctx.text(z.node);
    ctx.report({
      node: z.node,
      message:
        `\`${zText}\` clears the gradients that ${lossText} (line ${ctx.lineOf(b.node)}) has just put in \`.grad\`, before any step ` +
        `or read uses them: that backward is thrown away, so a step after this line applies only what later backwards add ` +
        `(the term is dropped from the update, or the step applies zeros). Move \`${zText}\` before the backward (at the top of the ` +
        'iteration), or step between the two.',
      related: [{ node: b.node, message: 'the gradients cleared are computed here' }],
    });
  }
}

/**
 * Parameters are identified by where their layers are constructed, so two instances of one class (a model and its
 * `deepcopy`) share them: tie the `zero_grad()` receiver to a model the function called before the backward — the
 * receiver itself (`model.zero_grad()` after `model(x)`), or an optimizer built over that model's `parameters()`.
 */
function sameObjectAsCalled(ctx: RuleContext, b: BackwardEvent, z: CallInfo): boolean {
  const m = ctx.model;
  const called = new Set<string>();
  for (const c of ctx.analysis.events.modelCalls) {
    if (c.fn !== b.fn || c.node.start > b.node.start) continue;
    const f = c.node.children.find((x) => x.field === 'function');
    if (f) called.add(ctx.text(f));
  }
  if (!z.receiver || called.size === 0) return false;
  const r = ctx.text(z.receiver);
  if (called.has(r)) return true;
  const v = ctx.analysis.valueOf(z.receiver);
  const opt = v ? ctx.analysis.events.optimizers.find((o) => o.node.id === v.site) : undefined;
  if (!opt) return false;
  const built = m.call(opt.node);
  const first = built?.positional[0] ?? built?.keywords.get('params');
  if (!first) return false;
  let tied = false;
  walk(first, (n) => {
    if (tied) return false;
    const c = n.type === 'call' ? m.call(n) : undefined;
    if (c && c.receiver && (c.method === 'parameters' || c.method === 'named_parameters') && called.has(ctx.text(c.receiver))) tied = true;
    return !tied;
  });
  return tied;
}

/** The first `zero_grad()` after backward `b`, in its function and loop, reached from it with nothing between using the gradients. */
function firstZeroAfter(ctx: RuleContext, b: BackwardEvent, zeros: CallInfo[]): CallInfo | null {
  const m = ctx.model;
  const fn = m.enclosingFunction(b.node);
  const bStmt = m.statementOf(b.node);
  const block = bStmt.parent;
  if (!block) return null;
  const cands = zeros
    .filter((z) => z.node.start > b.node.end && m.enclosingFunction(z.node) === fn && m.loopOf(z.node) === m.loopOf(b.node) && block.start <= z.node.start && z.node.end <= block.end)
    .sort((x, y) => x.node.start - y.node.start);
  const z = cands[0];
  if (!z) return null;
  // Nothing between may use the gradients or leave the path.
  const from = b.node.end;
  const to = z.node.start;
  let blocked = false;
  walk(block, (n) => {
    if (blocked || n.end <= from || n.start >= to) return n.end > from && n.start < to;
    if (LEAVES_BLOCK.has(n.type)) blocked = true;
    else if (n.type === 'attribute' && ctx.text(n.children[n.children.length - 1] ?? n) === 'grad') blocked = true;
    else if (n.type === 'call') {
      const c = m.call(n);
      if (c && (c.local || (c.method && USES_GRADIENTS.test(c.method)) || (c.qname && /clip_grad|\.grad$|backward$/.test(c.qname)) || c.method === 'backward')) blocked = true;
    }
    return !blocked;
  });
  return blocked ? null : z;
}

/**
 * A value computed from a gradient — a `.grad` read (`epsilon * delta.grad.sign()`) or a derivative call — bound to a
 * name that nothing in its function ever reads: the gradient is computed and thrown away, and the update it was for
 * (the perturbation step of an attack or of free adversarial training) never happens. Only a whole simple assignment in
 * a function (not module-level code, not a test, not a name starting with `_`) whose function reads the name nowhere.
 */
function checkNeverRead(ctx: RuleContext): void {
  const m = ctx.model;
  const a = ctx.analysis;
  // Gradients meant for an update: `.grad` reads, and derivatives taken without a graph (one with `create_graph=True`
  // is a term of a loss, such as a PDE residual's, which code may leave unused on purpose: a commented-out term).
  const sources: PyNode[] = [
    ...a.events.gradReads.map((g) => g.node),
    ...a.events.derivatives.filter((d) => DERIVATIVE_RESULT.test(d.api) && d.createGraph !== true && d.tape === null).map((d) => d.node),
  ];
  if (sources.length === 0) return;
  for (const b of m.bindings) {
    if (b.kind !== 'assign' || b.path.length > 0 || !b.value) continue;
    const right = unparen(b.value);
    // A computation from the gradient (`epsilon * delta.grad.sign()`), meant for an update; a bare `g = grad(...)` left
    // unread is as often a demonstration or a debugging leftover.
    if (right.type !== 'binary_operator' && right.type !== 'unary_operator') continue;
    const left = b.target;
    let src: PyNode | null = sources.find((n) => right.start <= n.start && n.end <= right.end) ?? null;
    // One name away: `grad = torch.autograd.grad(...)[0]`, then `step = alpha * grad.sign()`.
    if (!src) {
      walk(right, (n) => {
        if (src) return false;
        if (n.type === 'identifier' && m.isUse(n)) {
          for (const rb of m.reachingBindings(n)) {
            const v = rb.value;
            const hit = v && rb.kind === 'assign' ? sources.find((x) => v.start <= x.start && x.end <= v.end) : undefined;
            if (hit) src = hit;
          }
        }
        return !src;
      });
    }
    if (!src) continue;
    const name = ctx.text(left);
    const fn = b.scope.fn;
    if (!fn || name.startsWith('_') || /^test/.test(fn.name)) continue;
    let read = false;
    walk(fn.node, (n) => {
      if (read) return false;
      if (n.type === 'identifier' && ctx.text(n) === name && n !== left && (m.isUse(n) || n.parent?.type === 'global_statement' || n.parent?.type === 'nonlocal_statement')) read = true;
      if (n.type === 'call') {
        const c = m.call(n);
        if (c?.qname && /^(?:locals|vars|eval|exec)$/.test(c.qname)) read = true;
      }
      return !read;
    });
    if (read) continue;
    const what = ctx.text(src).length <= 40 ? `\`${ctx.text(src)}\`` : 'the gradient';
    ctx.report({
      node: left,
      message:
        `\`${name}\` holds a value computed from ${what} and nothing in \`${fn.name}\` ever reads it: the gradient is computed and ` +
        `thrown away, so the update it was meant for never happens (a perturbation that is never applied, a step that ignores ` +
        `the gradient). Use \`${name}\` where the update is made, or remove the computation.`,
      related: [{ node: src, message: 'the gradient is computed here' }],
    });
  }
}

/**
 * Functions that return a clipped copy of a list of gradients, by name: TensorFlow's `clip_by_global_norm`, TF-Agents'
 * `clip_gradient_norms`, and wrappers named after them. PyTorch's `clip_grad_norm_` (and Accelerate's, Fabric's
 * `clip_gradients`) clip in place and return the norm: not these.
 */
const GRADIENT_CLIP_NAME = /^_*(?:clip_by_global_norm|clip_gradient_norms)$/i;
/** Elementwise clips, which clip gradients only when given one. */
const TENSOR_CLIPS = /^tensorflow\.(?:compat\.v1\.)?clip_by_(?:norm|value)$/;

/** The last name of a call's callee (`_clip_by_global_norm` for `self._clip_by_global_norm(...)`). */
function calleeName(ctx: RuleContext, c: CallInfo): string {
  const f = c.node.children.find((k) => k.field === 'function');
  if (!f) return '';
  const u = unparen(f);
  const attr = u.type === 'attribute' ? u.children.find((k) => k.field === 'attribute') : null;
  return ctx.text(attr ?? u);
}

/**
 * Clipped gradients thrown away: a name bound to the clipped list (`clipped, _ = tf.clip_by_global_norm(grads, 5.0)`,
 * `clipped = [tf.clip_by_norm(g, 1.0) for g in grads]`) that nothing reads, while the unclipped list it was made from is
 * read after it: the code goes on with the gradients it meant to clip.
 */
function checkClipDiscarded(ctx: RuleContext): void {
  const m = ctx.model;
  const derivativeSites = new Set(ctx.analysis.events.derivatives.map((d) => d.node.id));
  const isGradientList = (id: PyNode): boolean =>
    m.reachingBindings(id).some((rb) => {
      const v = rb.kind === 'assign' && rb.value ? unparen(rb.value) : null;
      return !!v && (derivativeSites.has(v.id) || (v.type === 'call' && m.call(v)?.method === 'gradient'));
    });
  for (const b of m.bindings) {
    if (b.kind !== 'assign' || !b.value || b.name.startsWith('_')) continue;
    const fn = b.scope.fn;
    if (!fn || /^test/.test(fn.name)) continue;
    const v = unparen(b.value);
    let clip: CallInfo | undefined;
    let list: PyNode | null = null;
    if (v.type === 'call') {
      clip = m.call(v);
      if (!clip || clip.local) continue;
      const pair = /clip_by_global_norm/i.test(calleeName(ctx, clip));
      // The clipped list: the whole result, or the first of `clip_by_global_norm`'s (list, norm) pair.
      if (!(pair ? b.path.length === 1 && b.path[0] === 0 : b.path.length === 0)) continue;
      list = clip.positional[0] ?? null;
      if (!GRADIENT_CLIP_NAME.test(calleeName(ctx, clip))) {
        if (!(clip.qname && TENSOR_CLIPS.test(clip.qname)) || !list || unparen(list).type !== 'identifier' || !isGradientList(unparen(list))) continue;
      }
    } else if (v.type === 'list_comprehension' && b.path.length === 0) {
      // `[tf.clip_by_norm(g, c) for g in grads]` of a gradient list.
      const body = unparen(v.children.find((k) => k.field === 'body') ?? v);
      const forClause = v.children.find((k) => k.type === 'for_in_clause');
      const iter = forClause?.children.find((k) => k.field === 'right');
      clip = body.type === 'call' ? m.call(body) : undefined;
      if (!clip || !iter || !clip.qname || !TENSOR_CLIPS.test(clip.qname)) continue;
      list = unparen(iter);
      if (list.type !== 'identifier' || !isGradientList(list)) continue;
    } else continue;
    if (!clip || !list) continue;
    const src = unparen(list);
    if (src.type !== 'identifier' || !m.isUse(src)) continue;
    if (m.usesOf(b).length > 0) continue;
    // Anything that may read the name out of sight.
    if (m.calls.some((c) => c.qname !== null && /^(?:locals|vars|eval|exec)$/.test(c.qname) && fn.node.start <= c.node.start && c.node.end <= fn.node.end)) continue;
    // The unclipped list, read after the clip.
    const stmtEnd = b.stmt.end;
    const later = m.reachingBindings(src).flatMap((rb) => m.usesOf(rb)).filter((u) => u.start >= stmtEnd && u.end <= fn.node.end).sort((x, y) => x.start - y.start)[0];
    if (!later) continue;
    const name = ctx.text(src);
    ctx.report({
      node: b.target,
      message:
        `\`${b.name}\` holds the clipped gradients, but nothing reads it: \`${name}\`, the unclipped list, is used instead on line ` +
        `${ctx.lineOf(later)}, so the clipping never reaches the update. Use \`${b.name}\` there.`,
      related: [
        { node: clip.node, message: 'the gradients are clipped here' },
        { node: later, message: 'the unclipped gradients are used here' },
      ],
    });
  }
}
