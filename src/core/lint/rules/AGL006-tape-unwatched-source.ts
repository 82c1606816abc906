/**
 * AGL006 tape-unwatched-source: `tape.gradient(y, x)` where `x` is a constant tensor or a NumPy array
 * made outside the tape and never `tape.watch`ed (the gradient is None); `tape.watch(model.inputs)`
 * (symbolic Keras tensors, not the data); the outer tape of a nested pair not watching the input; a tape never
 * entered as a context (`tf.GradientTape().gradient(y, x)`), which recorded nothing.
 * Checked against TensorFlow's documentation, not run (TensorFlow is not installed in this project).
 */
import { isKind, Kind } from '../analysis';
import type { DerivativeEvent } from '../analysis/events';
import { withAnalysisPass, type Rule, type RuleContext } from '../rule';
import type { Binding, CallInfo, FunctionInfo } from '../semantic';
import { TF_TAPE_CLASSES } from '../knowledge/tensorflow';
import { findTapes, inside, isTensorFlowOptimizer, looksLikeKerasModel, nonTrainableVariable, sourceKind, type Tape } from '../tensorflow';
import { field, namedChildren, positionAt, unparen, walk, type PyNode } from '../tree';
import type { Fix } from '../types';

const TAPE_DERIVATIVE_METHODS = new Set(['gradient', 'jacobian', 'batch_jacobian']);
/** Uses of a tape that neither enter it nor hand it to code that may. */
const TAPE_PASSIVE_METHODS = new Set(['gradient', 'jacobian', 'batch_jacobian', 'watch', 'watched_variables']);

/** A call of a GradientTape class (`tf.GradientTape()`, `tf.GradientTape(persistent=True)`). */
function isTapeConstruction(ctx: RuleContext, n: PyNode | null): boolean {
  if (!n) return false;
  const u = unparen(n);
  if (u.type !== 'call') return false;
  const q = ctx.model.call(u)?.qname;
  return !!q && TF_TAPE_CLASSES.has(q);
}

/**
 * A tape asked for a derivative that was never entered as a context: `tf.GradientTape().gradient(y, x)`, or
 * `tape = tf.GradientTape()` whose every use is a derivative or `watch` call (never `with tape:`, never given away).
 * A tape records only inside its `with` block, so it recorded nothing and the derivative is None.
 */
function checkNeverEnteredTapes(ctx: RuleContext): void {
  const m = ctx.model;
  for (const c of m.calls) {
    if (!c.method || !TAPE_DERIVATIVE_METHODS.has(c.method) || !c.receiver) continue;
    const r = unparen(c.receiver);
    let made: PyNode | null = null;
    if (isTapeConstruction(ctx, r)) made = r;
    else if (r.type === 'identifier' && m.isUse(r)) {
      const bs = m.reachingBindings(r);
      if (bs.length === 0 || !bs.every((b) => b.kind === 'assign' && b.path.length === 0 && isTapeConstruction(ctx, b.value))) continue;
      const all = m.bindingsOf(ctx.text(r), bs[0].scope);
      if (all.some((b) => !(b.kind === 'assign' && b.path.length === 0 && isTapeConstruction(ctx, b.value)))) continue;
      const passive = all.every((b) => m.usesOf(b).every((u) => {
        const p = u.parent;
        if (!p || p.type !== 'attribute' || field(p, 'object') !== u) return false;
        const a = field(p, 'attribute');
        return !!a && TAPE_PASSIVE_METHODS.has(ctx.text(a)) && p.parent?.type === 'call';
      }));
      if (!passive) continue;
      made = bs[0].value;
    }
    if (!made) continue;
    const target = c.hasStarArgs || c.hasKwargs ? undefined : (c.keywords.get('target') ?? c.positional[0]);
    const symbolic = target ? symbolicKerasTensor(ctx, target) : null;
    ctx.report({
      node: c.node,
      message:
        `\`${ctx.text(field(c.node, 'function') ?? c.node)}\` asks a tape that was never entered as a context (\`with ${ctx.text(unparen(made))} as tape:\`): ` +
        'a GradientTape records only the operations run inside its `with` block, so this one recorded nothing and the ' +
        `${c.method === 'gradient' ? 'gradient' : 'Jacobian'} is None` +
        (symbolic ? ` (and \`${ctx.text(symbolic)}\` is a symbolic Keras tensor, not a value computed from the data)` : '') +
        '. Run the forward computation inside `with tf.GradientTape() as tape:` (watching the input) and take the derivative of that result.',
      related: made !== r ? [{ node: made, message: 'the tape is made here and never entered' }] : [],
    });
  }
}

/** `x`, `[x, t]`, `(x, t)` → the element expressions. */
function items(node: PyNode): PyNode[] {
  const n = unparen(node);
  if (n.type === 'list' || n.type === 'tuple') return namedChildren(n);
  return [n];
}


type WatchState = { kind: 'watched' } | { kind: 'not-watched' } | { kind: 'unknown' };

/** Whether tape `t` watches the value bound by `bindings` (the reaching bindings of a source identifier). */
function watchState(ctx: RuleContext, t: Tape, bindings: Binding[]): WatchState {
  const m = ctx.model;
  for (const w of t.watches) {
    if (w.hasStarArgs || w.hasKwargs || w.positional.length === 0) return { kind: 'unknown' };
    for (const e of items(w.positional[0])) {
      if (e.type === 'identifier' && m.isUse(e)) {
        if (m.reachingBindings(e).some((b) => bindings.includes(b))) return { kind: 'watched' };
        continue;
      }
      if (isModelInputs(ctx, e)) continue; // reported on its own; it does not watch the data
      return { kind: 'unknown' }; // `tape.watch(self.x)`, `tape.watch(inputs[0])`, ...: cannot tell
    }
  }
  return { kind: 'not-watched' };
}

/** `model.inputs` / `model.input`: the symbolic input tensors of a Keras functional model. */
function isModelInputs(ctx: RuleContext, node: PyNode): boolean {
  const n = unparen(node);
  if (n.type !== 'attribute') return false;
  const a = field(n, 'attribute');
  const obj = field(n, 'object');
  if (!a || !obj) return false;
  const name = ctx.text(a);
  if (name !== 'inputs' && name !== 'input') return false;
  if (unparen(obj).type === 'identifier' && ctx.text(obj) === 'self') return false;
  return looksLikeKerasModel(ctx.model, obj);
}

/**
 * A symbolic tensor of a Keras functional graph: `model.output`, `model.outputs[0]`, `model.input`, `layer.output`
 * of `model.get_layer(...)` / `model.layers[k]`, under subscripts (`model.output[:, 0]`). Such a tensor is made when the
 * model is built, never by a call the tape records (https://keras.io/api/models/model/: the functional model's inputs
 * and outputs are symbolic). Not `self.output` (an attribute a class may set itself).
 */
function symbolicKerasTensor(ctx: RuleContext, node: PyNode): PyNode | null {
  let n = unparen(node);
  while (n.type === 'subscript') n = unparen(namedChildren(n)[0]);
  if (n.type !== 'attribute') return null;
  const a = field(n, 'attribute');
  const obj = field(n, 'object');
  if (!a || !obj || !/^(?:output|outputs|input|inputs)$/.test(ctx.text(a))) return null;
  let o = unparen(obj);
  if (o.type === 'identifier' && ctx.text(o) === 'self') return null;
  // `layer = model.get_layer('conv')` (one binding), then `layer.output`
  if (o.type === 'identifier' && ctx.model.isUse(o)) {
    const bs = ctx.model.reachingBindings(o);
    const v = bs.length === 1 && bs[0].kind === 'assign' && bs[0].path.length === 0 && bs[0].value ? unparen(bs[0].value) : null;
    if (v && (v.type === 'call' || v.type === 'subscript')) o = v;
  }
  // `model.get_layer('conv').output`, `model.layers[-1].output`
  if (o.type === 'call') {
    const f = field(o, 'function');
    const fo = f && f.type === 'attribute' ? field(f, 'object') : null;
    return f && f.type === 'attribute' && ctx.text(field(f, 'attribute') ?? f) === 'get_layer' && fo && looksLikeKerasModel(ctx.model, fo) ? n : null;
  }
  if (o.type === 'subscript') {
    const base = unparen(namedChildren(o)[0]);
    const bo = base.type === 'attribute' ? field(base, 'object') : null;
    return base.type === 'attribute' && ctx.text(field(base, 'attribute') ?? base) === 'layers' && bo && looksLikeKerasModel(ctx.model, bo) ? n : null;
  }
  return looksLikeKerasModel(ctx.model, o) ? n : null;
}

/** Insert `tape.watch(x)` as the first statement of the `with` body (when the body is on its own lines). */
function watchFix(ctx: RuleContext, t: Tape, source: PyNode): Fix | null {
  const first = namedChildren(t.with.body)[0];
  if (!first) return null;
  if (positionAt(ctx.tree.lineStarts, first.start).line === positionAt(ctx.tree.lineStarts, t.with.node.start).line) return null;
  const text = ctx.text(source);
  return {
    title: `Insert \`${t.name}.watch(${text})\` at the top of the tape's \`with\` block`,
    safe: true,
    edits: [ctx.insertAt(ctx.lineStartOf(first), `${ctx.indentOf(first)}${t.name}.watch(${text})${ctx.eol}`)],
  };
}

/**
 * The target of a `tape.gradient(...)` called after the tape's `with` block, when it is an expression that
 * computes (an operator, a TensorFlow or Keras-backend call, a call of a function of this file) rather than a
 * value computed before: that computation runs while no tape records, so the target is unconnected
 * (https://www.tensorflow.org/guide/autodiff: operations are recorded only inside the tape's context).
 */
function lateTarget(ctx: RuleContext, t: Tape, use: CallInfo): PyNode | null {
  if (inside(t.with.node, use.node) || use.hasStarArgs || use.hasKwargs) return null;
  const target = use.keywords.get('target') ?? use.positional[0];
  if (!target) return null;
  const n = unparen(target);
  const computes = (e: PyNode): boolean => {
    const u = unparen(e);
    if (u.type === 'binary_operator' || u.type === 'unary_operator') return namedChildren(u).some((c) => !isLiteral(c));
    if (u.type !== 'call') return false;
    const c = ctx.model.call(u);
    if (!c) return false;
    if (c.local) return true;
    const q = c.qname ?? '';
    return /^tensorflow\.(?!(?:Variable|constant|convert_to_tensor|zeros|ones)$)/.test(q);
  };
  return computes(n) ? n : null;
}

/** TensorFlow calls that may return their input itself (no new operation): a recorded input stays recorded. */
const MAY_RETURN_INPUT = /^tensorflow\.(?:Variable|constant|convert_to_tensor|zeros|ones|cast|dtypes\.cast|identity|stop_gradient|keras\.backend\.cast)$/;

/**
 * The target of `tape.gradient(target, ...)` is a name every reaching binding of which is an assignment made outside the
 * tape's `with` block, in the function that holds the block: before it (the tape did not exist yet, so nothing of that
 * computation is on it), or after it (a new operation on values the tape recorded, made once it had stopped recording).
 * Either way the target is not connected to anything the tape recorded and the gradient is None for every source
 * (https://www.tensorflow.org/api_docs/python/tf/GradientTape: "Operations are recorded if they are executed within this
 * context manager"). Only a tape made by its `with` statement and entered once; the value must be a tensor (a list filled
 * inside the block is not), not a Variable, neither watched nor a source.
 */
function targetOutsideTape(ctx: RuleContext, t: Tape, use: CallInfo): { binding: Binding; when: 'before' | 'after' } | null {
  const m = ctx.model;
  if (use.hasStarArgs || use.hasKwargs || t.bindings.length !== 1 || t.bindings[0].kind !== 'with') return null;
  const target = use.keywords.get('target') ?? use.positional[0];
  if (!target) return null;
  const n = unparen(target);
  if (n.type !== 'identifier' || !m.isUse(n)) return null;
  const withNode = t.with.node;
  const scope = t.bindings[0].scope;
  // The tape is entered once: no later `with tape:` (a persistent tape may record in several blocks).
  const reentered = m.withs.some((w) => w !== t.with && w.items.some((i) => {
    const u = unparen(i);
    return u.type === 'identifier' && m.isUse(u) && m.reachingBindings(u).some((b) => t.bindings.includes(b));
  }));
  if (reentered) return null;
  const reach = m.reachingBindings(n);
  if (reach.length === 0 || reach.some((b) => b.scope !== scope || (b.kind !== 'assign' && b.kind !== 'augassign'))) return null;
  if (m.enclosingFunction(use.node)?.scope !== m.enclosingFunction(withNode)?.scope) return null;
  const before = reach.every((b) => b.stmt.end <= withNode.start);
  const after = reach.every((b) => b.stmt.start >= withNode.end && b.stmt.end <= use.node.start);
  if (!before && !after) return null;
  // Watched, or one of the sources: the gradient of a watched tensor with respect to itself is defined.
  const name = ctx.text(n);
  const mentions = (e: PyNode | undefined): boolean => !!e && (ctx.text(unparen(e)) === name || items(e).some((x) => ctx.text(unparen(x)) === name));
  if (t.watches.some((w) => mentions(w.positional[0])) || mentions(use.keywords.get('sources') ?? use.positional[1])) return null;
  // Mutated inside the block (`losses.append(...)`, `out[k] = ...`): what it holds may be recorded.
  if (m.mutations.some((mu) => mu.name === name && inside(withNode, mu.stmt))) return null;
  const value = ctx.analysis.valueOf(n);
  const tv = value?.t;
  if (!value || !tv || !isKind(value, Kind.TENSOR) || isKind(value, Kind.SEQ | Kind.DICT | Kind.FUNC | Kind.CLASS | Kind.LIBINST) || tv.variable) return null;
  if (before) return { binding: reach[reach.length - 1], when: 'before' };
  // After the block: a new operation of the values the tape recorded.
  if (!tv.tapes.includes(t.ctor.node.id)) return null;
  const computes = reach.every((b) => {
    const v = b.kind === 'augassign' ? b.value : b.value ? unparen(b.value) : null;
    if (!v || b.path.length > 0) return false;
    if (b.kind === 'augassign') return true;
    if (v.type === 'binary_operator' || v.type === 'unary_operator') return namedChildren(v).some((c) => !isLiteral(c));
    if (v.type !== 'call') return false;
    const c = m.call(v);
    if (!c) return false;
    if (c.local) return true;
    const q = c.qname ?? '';
    if (q.startsWith('tensorflow.')) return !MAY_RETURN_INPUT.test(q);
    // A Keras loss object (`loss_fn = tf.keras.losses.MeanSquaredError()`, then `loss_fn(y, pred)`).
    const callee = field(v, 'function');
    const cv = callee ? ctx.analysis.valueOf(callee) : undefined;
    return !!cv && cv.lib.includes('tensorflow.loss');
  });
  return computes ? { binding: reach[reach.length - 1], when: 'after' } : null;
}

function isLiteral(n: PyNode): boolean {
  const u = unparen(n);
  return u.type === 'integer' || u.type === 'float' || u.type === 'string' || u.type === 'true' || u.type === 'false' || u.type === 'none';
}

/** TensorFlow operations that return a new tensor (never a Variable) from their first argument. */
const NEW_TENSOR_OPS = /^tensorflow\.(?:cast|dtypes\.cast|convert_to_tensor|constant|reshape|concat|stack|expand_dims|squeeze|transpose|identity|gather|split|unstack)$/;

/**
 * A source expression that makes a new tensor where it is written (`x[:, 0:1]`, `x[..., 1]`,
 * `tf.cast(x, tf.float32)`): nothing recorded before can depend on it. A subscript counts only with a tuple
 * index that slices (lists of Variables take no tuple index; `vars[0]` and `vars[:2]` may be Variables).
 */
function freshSource(ctx: RuleContext, src: PyNode): string | null {
  const n = unparen(src);
  if (n.type === 'subscript') {
    const subs = namedChildren(n).slice(1);
    const multi = subs.length > 1 || subs.some((x) => x.type === 'tuple' || x.type === 'expression_list');
    const sliced = (x: PyNode): boolean => x.type === 'slice' || x.type === 'ellipsis' || ((x.type === 'tuple' || x.type === 'expression_list') && namedChildren(x).some(sliced));
    return multi && subs.some(sliced) ? 'a slice' : null;
  }
  if (n.type === 'call') {
    const q = ctx.model.qualifiedName(n);
    if (q && NEW_TENSOR_OPS.test(q)) return `a new tensor (\`${q.replace(/^tensorflow\./, 'tf.')}\`)`;
  }
  return null;
}

function sourcesOf(use: CallInfo): PyNode[] {
  const s = use.keywords.get('sources') ?? use.positional[1];
  return s ? items(s) : [];
}


/** Identifier reads of the variable bound by `bindings` in `node` (not in nested functions). */
function readsOf(ctx: RuleContext, node: PyNode, bindings: ReadonlySet<Binding>): PyNode[] {
  const m = ctx.model;
  const out: PyNode[] = [];
  walk(node, (n) => {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type === 'identifier' && m.isUse(n) && m.reachingBindings(n).some((b) => bindings.has(b))) out.push(n);
    return true;
  });
  return out;
}

/**
 * Whether a derivative source is the watched variable (`bindings`) or a part of it taken after the tape: `r`, `r[i]`,
 * the loop variable of `for ... in r` / `zip(..., r)` / `enumerate(r)`.
 */
function partOfWatched(ctx: RuleContext, src: PyNode, bindings: ReadonlySet<Binding>): boolean {
  const m = ctx.model;
  let n = unparen(src);
  while (n.type === 'subscript') n = unparen(field(n, 'value') ?? n);
  if (n.type !== 'identifier' || !m.isUse(n)) return false;
  const reach = m.reachingBindings(n);
  if (reach.length === 0) return false;
  if (reach.every((b) => bindings.has(b))) return true;
  return reach.every((b) => b.kind === 'for' && b.value !== null && readsOf(ctx, b.value, bindings).length > 0 && isIteration(ctx, b.value, bindings));
}

/** `r`, `zip(a, r)`, `enumerate(r)`: an iterable whose items are the items of the variable `bindings` binds. */
function isIteration(ctx: RuleContext, iter: PyNode, bindings: ReadonlySet<Binding>): boolean {
  const u = unparen(iter);
  if (u.type === 'identifier') return ctx.model.reachingBindings(u).some((b) => bindings.has(b));
  if (u.type !== 'call') return false;
  const c = ctx.model.call(u);
  if (!c || (c.qname !== 'zip' && c.qname !== 'enumerate')) return false;
  return c.positional.some((a) => unparen(a).type === 'identifier' && ctx.model.reachingBindings(unparen(a)).some((b) => bindings.has(b)));
}

/**
 * A tensor watched inside the tape (`tape.watch(r)`) that the tape's block never reads, while the block reads a value
 * computed from it before the tape (`noisy = x + r` above `with tape:`), and the derivative is taken with respect to it
 * (or a part of it): the operation that connects it to the target ran before the tape recorded anything, so no recorded
 * path leads from the source to the target and the gradient is None (the watched side of the unwatched-source question).
 */
function checkWatchedAfterUse(ctx: RuleContext): void {
  const m = ctx.model;
  for (const t of findTapes(m)) {
    const body = t.with.body;
    for (const w of t.watches) {
      if (!inside(body, w.node)) continue;
      for (const e of w.positional[0] ? items(w.positional[0]) : []) {
        if (e.type !== 'identifier' || !m.isUse(e)) continue;
        const bindings = new Set(m.reachingBindings(e));
        if (bindings.size === 0) continue;
        // The block reads the watched tensor itself (outside `watch`): the tape may record it.
        if (readsOf(ctx, body, bindings).some((r) => !inside(w.node, r))) continue;
        // ... or through a function of this file it calls (a global or closure read).
        if (m.calls.some((c) => c.local && inside(body, c.node) && readsOf(ctx, field(c.local.node, 'body') ?? c.local.node, bindings).length > 0)) continue;
        // A value read in the block, computed from the watched tensor before the tape (not an alias of it).
        let derived: Binding | null = null;
        walk(body, (n) => {
          if (derived || n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
          if (n.type !== 'identifier' || !m.isUse(n) || inside(w.node, n)) return true;
          const reach = m.reachingBindings(n);
          const b = reach.length === 1 ? reach[0] : null;
          if (b && b.kind === 'assign' && b.path.length === 0 && b.value && unparen(b.value).type !== 'identifier' && b.stmt.end <= t.with.node.start &&
            readsOf(ctx, b.value, bindings).length > 0) derived = b;
          return true;
        });
        if (!derived) continue;
        const d: Binding = derived;
        const use = t.uses.find((u) => !u.hasStarArgs && !u.hasKwargs && sourcesOf(u).some((src) => partOfWatched(ctx, src, bindings)));
        if (!use) continue;
        ctx.report({
          node: d.stmt,
          message:
            `\`${d.name}\` is computed from \`${ctx.text(e)}\` here, before \`${t.name}\` starts recording, and the tape's block reads ` +
            `\`${d.name}\`, never \`${ctx.text(e)}\`: \`${t.name}.watch(${ctx.text(e)})\` comes after the operation that connects it to the ` +
            `target, so \`${ctx.text(use.node)}\` finds no recorded path and returns None. Compute \`${d.name}\` inside the tape, after the watch.`,
          related: [
            { node: w.node, message: 'the watch, after the value was computed' },
            { node: use.node, message: 'the derivative that returns None' },
          ],
        });
      }
    }
  }
}

/**
 * TensorFlow 1 eager's implicit gradients (`tfe.implicit_gradients(f)`, `tfe.implicit_value_and_gradients(f)`): the
 * returned function runs `f` under a fresh tape and differentiates with respect to the trainable variables `f` reads
 * while it runs (backprop.py: "with respect to all trainable TFE variables accessed by f"). A tensor computed from a
 * variable before `f` runs is a constant to that tape.
 */
const IMPLICIT_GRADIENTS = /^tensorflow\.(?:contrib\.eager(?:\.python\.tfe)?|python\.eager\.backprop)\.implicit_(?:value_and_gradients|gradients|grad|val_and_grad)$/;
const VARIABLE_MAKERS = /^(?:tensorflow\.(?:Variable|get_variable|compat\.v1\.get_variable|contrib\.eager(?:\.python\.tfe)?\.Variable)|tensorflow\.keras\.backend\.variable)$/;

/** The variable-making call `expr` is bound to (through names), or null. */
function variableMaker(ctx: RuleContext, expr: PyNode, depth = 0): PyNode | null {
  const m = ctx.model;
  const n = unparen(expr);
  if (depth > 4) return null;
  if (n.type === 'call') {
    const c = m.call(n);
    return c?.qname && VARIABLE_MAKERS.test(c.qname) ? n : null;
  }
  if (n.type === 'identifier' && m.isUse(n)) {
    const bs = m.reachingBindings(n);
    if (bs.length !== 1 || !bs[0].value || bs[0].kind === 'param') return null;
    return variableMaker(ctx, bs[0].value, depth + 1);
  }
  return null;
}

/** A precomputed read: a name the function reads, bound outside it to a tensor computed from variables before it runs. */
interface Precomputed {
  use: PyNode;
  binding: PyNode;
  /** Where that tensor's variables come from: a `tf.Variable(...)` made in the file, or the model call that computed it. */
  origin: PyNode;
  /** 'variable' when `origin` makes a Variable, 'model' when it is a call of a model whose weights are Variables. */
  via: 'variable' | 'model';
}

/**
 * What the function `fn` (a `def` or a lambda) reads from outside while it runs, for a differentiation that records
 * only while it runs (an implicit-gradients function, `optimizer.minimize(fn, var_list)`): `direct` when it reads a
 * Variable (or anything that may read one: a layer, a model, an attribute, a call of another module), else the first
 * name it reads that holds a tensor computed from Variables before it runs. Every name must be visible.
 */
function precomputedRead(ctx: RuleContext, fn: FunctionInfo): { direct: boolean; precomputed: Precomputed | null } {
  const m = ctx.model;
  const body = field(fn.node, 'body');
  if (!body) return { direct: true, precomputed: null };
  const own = new Set(fn.params.map((b) => b.name));
  let direct = false;
  let precomputed: Precomputed | null = null;
  const visit = (n: PyNode): void => {
    if (direct) return;
    if (n.type === 'identifier' && m.isUse(n) && !own.has(ctx.text(n))) {
      const bs = m.reachingBindings(n);
      if (bs.length === 0 || bs.some((b) => b.scope === fn.scope)) return; // a local or a builtin
      if (bs.some((b) => b.kind === 'import' || b.kind === 'def' || b.kind === 'class')) return;
      if (bs.length !== 1 || !bs[0].value || bs[0].kind !== 'assign' || bs[0].path.length > 0) { direct = true; return; }
      const v = unparen(bs[0].value);
      if (variableMaker(ctx, v)) { direct = true; return; }
      // A tensor computed from a variable by arithmetic before the function runs.
      if (v.type === 'binary_operator' || v.type === 'unary_operator' || (v.type === 'call' && (m.call(v)?.qname ?? '').startsWith('tensorflow.'))) {
        let variable: PyNode | null = null;
        const scan = (x: PyNode): void => {
          if (variable) return;
          if (x.type === 'identifier') variable = variableMaker(ctx, x);
          for (const ch of x.children) scan(ch);
        };
        scan(v);
        if (variable) { precomputed = precomputed ?? { use: n, binding: bs[0].target, origin: variable, via: 'variable' }; return; }
      }
      // What the analysis knows of the value bound: the output of a model whose weights are Variables (a call of a
      // `tf.Module` or Keras layer of the file), a plain tensor of data, or anything else (which may hold or read a Variable).
      const value = ctx.analysis.valueOf(v);
      const t = value?.t;
      if (value && t && isKind(value, Kind.TENSOR) && !isKind(value, Kind.UNKNOWN) && !value.mod && !t.variable && !t.opaque) {
        if (t.params.length > 0 && v.type === 'call' && !variableMaker(ctx, v)) {
          precomputed = precomputed ?? { use: n, binding: bs[0].target, origin: v, via: 'model' };
          return;
        }
        if (t.params.length === 0 && v.type === 'call' && (m.call(v)?.qname ?? '').startsWith('tensorflow.')) return; // data (`tf.constant(...)`)
      }
      if (v.type === 'call') {
        const q = m.call(v)?.qname ?? '';
        // `tf.constant(...)`, `tf.square(...)` of no variable: a tensor; `tf.layers.Dense(1)`, `keras.Sequential(...)`, a call of
        // anything else: an object that may own variables.
        if (q.startsWith('tensorflow.') && !/\.[A-Z]\w*$/.test(q) && !/\.(?:layers|keras)\./.test(q)) return;
      }
      if (v.type === 'binary_operator' || v.type === 'unary_operator') return;
      direct = true; // a model, a layer, an object: it may read variables while the function runs
      return;
    }
    if (n.type === 'attribute') {
      // `tf.float32`, `tf.reduce_sum`: names of the library; any other attribute may hold a variable.
      if (!(m.qualifiedName(n) ?? '').startsWith('tensorflow.')) direct = true;
      return;
    }
    if (n.type === 'call') {
      const cc = m.call(n);
      if (!cc?.qname || !cc.qname.startsWith('tensorflow.')) { direct = true; return; }
      const args = field(n, 'arguments');
      if (args) visit(args);
      return;
    }
    for (const ch of n.children) visit(ch);
  };
  visit(body);
  return { direct, precomputed };
}

/** The function (a lambda, or a `def` of the file by name) an argument names. */
function functionArgument(ctx: RuleContext, arg: PyNode): FunctionInfo | null {
  const m = ctx.model;
  const f = unparen(arg);
  if (f.type === 'lambda') return m.functionOf(f) ?? null;
  if (f.type !== 'identifier' || !m.isUse(f)) return null;
  const bs = m.reachingBindings(f);
  if (bs.length !== 1) return null;
  const b = bs[0];
  if (b.kind === 'def') {
    const fn = m.functions.find((x) => x.node.type === 'function_definition' && (b.stmt === x.node || b.target.parent === x.node));
    return fn ?? null;
  }
  // `loss = lambda: cost`
  if (b.kind === 'assign' && b.path.length === 0 && b.value && unparen(b.value).type === 'lambda') return m.functionOf(unparen(b.value)) ?? null;
  return null;
}

/**
 * Differentiations that run a function under a fresh tape and differentiate with respect to the variables it reads while
 * it runs: TensorFlow 1 eager's `tfe.implicit_gradients(f)` / `implicit_value_and_gradients(f)` (backprop.py: "with respect
 * to all trainable TFE variables accessed by f"), and an optimizer's `minimize(loss, var_list)` given a callable (Keras and
 * TF1 optimizers: "If a callable, loss should take no arguments and return the value to minimize"; they call it under a
 * `tf.GradientTape`). A tensor computed from a variable before the function runs is a constant to that tape.
 */
function checkImplicitGradients(ctx: RuleContext): void {
  const m = ctx.model;
  for (const c of m.calls) {
    let fnArg: PyNode | undefined;
    let minimize = false;
    if (c.qname && IMPLICIT_GRADIENTS.test(c.qname)) fnArg = c.positional[0];
    else if (c.method === 'minimize' && c.receiver && !c.hasStarArgs && !c.hasKwargs && isTensorFlowOptimizer(m, (n) => ctx.analysis.valueOf(n), c.receiver)) {
      fnArg = c.keywords.get('loss') ?? c.positional[0];
      minimize = true;
    }
    if (!fnArg) continue;
    const fn = functionArgument(ctx, fnArg);
    // `minimize` calls the function with no arguments: one with required parameters is not a loss callable.
    if (!fn || (minimize && fn.params.some((p) => p.param?.star === 'none' && !/default_parameter$/.test(p.target.parent?.type ?? '')))) continue;
    const { direct, precomputed } = precomputedRead(ctx, fn);
    if (direct || !precomputed) continue;
    const pc = precomputed as Precomputed;
    const name = fn.node.type === 'lambda' ? 'the lambda' : `\`${fn.name}\``;
    const what = pc.via === 'variable' ? `computed from the variable made at line ${ctx.lineOf(pc.origin)}` : `the output of \`${ctx.text(field(pc.origin, 'function') ?? pc.origin)}(...)\` (line ${ctx.lineOf(pc.origin)}), computed from its variables`;
    const api = minimize ? `\`${ctx.text(field(c.node, 'function') ?? c.node)}\`` : `\`${ctx.text(field(c.node, 'function') ?? c.node)}\``;
    ctx.report({
      node: c.node,
      message:
        `${api} runs ${name} under a new tape and differentiates with respect to the trainable variables it reads while it runs, ` +
        `but ${name} reads no variable: it reads \`${ctx.text(pc.use)}\`, ${what} before the function runs, which the tape does not record. ` +
        (minimize
          ? 'Every gradient is None, and `minimize` raises "No gradients provided for any variable". '
          : 'TensorFlow raises "No trainable variables were accessed while the function was being computed". ') +
        `Compute \`${ctx.text(pc.use)}\` inside ${name}${pc.via === 'model' ? ' (call the model there)' : ' from the variable'}.`,
      related: [
        { node: pc.binding, message: 'computed here, outside the differentiated function' },
        { node: pc.use, message: 'read here' },
      ],
    });
  }
}

const SYNTAX: Rule = {
  meta: {
    code: 'AGL006',
    name: 'tape-unwatched-source',
    summary: 'A `tf.GradientTape` differentiates with respect to a tensor it never watched, so the gradient is None.',
    framework: 'tensorflow',
    defaultSeverity: 'error',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds a derivative asked of a tape that was never entered as a context: `tf.GradientTape().gradient(y, x)`, or ' +
        '`tape = tf.GradientTape()` whose only uses are `watch` and derivative calls (no `with tape:`, no `__enter__`, not ' +
        'handed to other code); such a tape recorded nothing and every derivative is None. ' +
        'Finds a tensor watched inside the tape (`tape.watch(r)`) that the block never reads, while the block reads a value ' +
        'computed from it before the tape (`noisy = x + r` above `with tape:`), with the derivative taken with respect to it or ' +
        'a part of it (`r[0]`, the items of `zip(losses, r)`): the operation that connects it to the target ran before the tape ' +
        'recorded, so the gradient is None (reported where that value is computed). ' +
        'Finds `tape.gradient(y, x)` / `tape.jacobian(y, x)` / `tape.batch_jacobian(y, x)` where `x` is visibly a plain tensor or ' +
        'a NumPy array (`tf.constant(...)`, `tf.convert_to_tensor(...)`, `tf.zeros(...)`, `np.*`, pandas `.values`) made ' +
        'outside the tape and never passed to `tape.watch`. This includes the outer tape of a nested pair, where only the ' +
        'inner tape watches the input and the second derivative comes back None. Also flags `tape.watch(model.inputs)`, ' +
        'which watches the symbolic Keras input tensors instead of the data the model is called on. Two forms real PINN and ' +
        'Keras code writes: a function argument (or a batch unpacked from one, `x, y = data` in `train_step`) that no call in ' +
        'the file passes a `tf.Variable`, fed to a model inside the tape (`model(x)`, `self(x)`, `model(tf.concat([x, t], 1))`) ' +
        'and never watched; and a source made by the gradient call itself (`tape.gradient(u, X[:, 0:1])`, ' +
        '`tape.gradient(u, tf.cast(x, tf.float32))`), a new tensor the target cannot depend on. Also a target computed by the ' +
        'gradient call itself after the `with` block (`tape.gradient(f(x), x)`, `tape.gradient(tf.reduce_sum(u), x)`): the ' +
        'tape no longer records, so that computation is not on it. And a source with an integer dtype (`tf.Variable([[2, 2], ' +
        '[2, 2]])`, `tf.constant(10)`: integer literals without `dtype=` make int32; `tf.cast(x, tf.uint8)`), which TensorFlow never differentiates. ' +
        'And TensorFlow 1 eager\'s `tfe.implicit_gradients(f)` / `implicit_value_and_gradients(f)`, and an optimizer\'s ' +
        '`minimize(loss, var_list)` given a callable (a lambda or a `def` of the file), of a function that reads no variable while ' +
        'it runs, only a tensor computed from one before (`cost = ...` then `minimize(lambda: cost, ...)`, or the output of a ' +
        'model called once before the loss function). And a target bound outside the tape\'s `with` block: computed before the ' +
        'block begins (`loss = self.compute_loss(x, y)` and then `with tf.GradientTape() as tape:`), or computed after it from ' +
        'what the tape recorded (`loss = loss_fn(y, pred)` or `gen_loss = -score` after the block). And a second derivative ' +
        '(`gradient`, `jacobian`, `batch_jacobian`) of a first derivative taken after a persistent tape\'s `with` block ' +
        '(`grads = tape.batch_jacobian(y, x)` below the block, then `tape.batch_jacobian(grads, x)`), also when the model is ' +
        'a name the file does not define. And `tf.GradientTape(y, x)` given tensors, the constructor used as if it were a ' +
        'gradient function (its arguments are the flags `persistent` and `watch_accessed_variables`). And a source that is a ' +
        '`tf.Variable(..., trainable=False)` the tape never watches (reported at `trainable=False`): a tape watches only ' +
        'trainable variables on its own, so its gradient is None (the guide\'s "Cases where gradient returns None").',
      whyIsThisBad:
        'A `GradientTape` records operations only on tensors it watches. Trainable `tf.Variable`s are watched ' +
        'automatically; constants and other tensors are not. `tape.gradient` with respect to an unwatched tensor returns ' +
        '`None` without an error, which surfaces much later as a `TypeError` on `None` or as a PDE residual that is ' +
        'silently missing a term. `model.inputs` are graph placeholders of a functional model, not the tensor passed to ' +
        '`model(x)`, so watching them watches nothing that is computed.',
      example: [
        '```python',
        'x = tf.constant(data, dtype=tf.float32)',
        'with tf.GradientTape() as tape:',
        '    y = model(x)',
        'dy_dx = tape.gradient(y, x)  # None',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'x = tf.constant(data, dtype=tf.float32)',
        'with tf.GradientTape() as tape:',
        '    tape.watch(x)',
        '    y = model(x)',
        'dy_dx = tape.gradient(y, x)',
        '```',
        '',
        'For a second derivative both tapes watch the input:',
        '',
        '```python',
        'with tf.GradientTape() as outer:',
        '    outer.watch(x)',
        '    with tf.GradientTape() as inner:',
        '        inner.watch(x)',
        '        u = model(x)',
        '    u_x = inner.gradient(u, x)',
        'u_xx = outer.gradient(u_x, x)',
        '```',
      ].join('\n'),
      knownProblems:
        'Checked against the TensorFlow documentation, not run (TensorFlow is not installed where this linter is tested). ' +
        'The watched-after-use check follows names: a value computed from the watched tensor inside a helper before the tape ' +
        'is not seen, and a block that reaches the tensor through a function of another file is taken as not reading it. ' +
        'Only sources whose value is visible in the file are judged, with one exception: a function parameter that is fed to a ' +
        'model inside the tape and that no call in the file passes (parameters named like weights, `variables`, `params`, ' +
        '`theta`, are not). Such a parameter can still be a `tf.Variable` passed from another file (a style-transfer image ' +
        'optimised in place): `# noqa: AGL006` there. A tape that watches something the rule cannot resolve (`tape.watch(self.x)`, ' +
        '`tape.watch(inputs[0])`) is assumed to watch the source. Sources computed inside the tape from unwatched tensors ' +
        'are not flagged. A `tf.Variable` source under `watch_accessed_variables=False` is flagged only when it is never watched. ' +
        'For implicit gradients and `minimize` every name the function reads from outside must be visible: a layer, a model, an attribute, ' +
        'a parameter of an enclosing function or a call of another module may read variables while it runs, and then ' +
        'nothing is reported. A target computed outside the block is reported only for a tape made by its `with` statement and ' +
        'entered once, when every assignment reaching the target is in the same function, the value is a tensor (not a list ' +
        'filled inside the block) and not a Variable, and, after the block, the assignment is an operation that makes a new ' +
        'tensor (an operator, a TensorFlow call other than `cast`/`identity`/`convert_to_tensor`, a function of the file, a ' +
        'Keras loss object) of values the tape recorded; a target computed inside the block from values computed before it ' +
        'is not reported.',
      fixSafety:
        'Inserting `tape.watch(x)` as the first statement of the `with` block is safe: watching only adds recording, ' +
        'the values computed do not change. It is not offered for a NumPy source (`tape.watch` accepts only tensors and ' +
        'variables: convert with `tf.convert_to_tensor` first), nor for `tape.watch(model.inputs)`: watch the tensor the ' +
        'model is called on instead.',
      references: [
        '[Introduction to gradients and automatic differentiation: controlling what the tape watches](https://www.tensorflow.org/guide/autodiff#controlling_what_the_tape_watches)',
        '[tf.GradientTape](https://www.tensorflow.org/api_docs/python/tf/GradientTape)',
        '[Introduction to gradients: cases where gradient returns None (`tf.Variable(2.0, trainable=False)`)](https://www.tensorflow.org/guide/autodiff#cases_where_gradient_returns_none)',
        '[Advanced automatic differentiation: higher-order gradients](https://www.tensorflow.org/guide/advanced_autodiff#higher-order_gradients)',
        '[tensorflow/tensorflow#15682: implicit gradients of a loss that reads `v + 1.` computed outside it](https://github.com/tensorflow/tensorflow/issues/15682)',
        '[tf.keras.optimizers.Optimizer.minimize: "If a callable, loss should take no arguments and return the value to minimize"](https://www.tensorflow.org/api_docs/python/tf/keras/optimizers/Optimizer#minimize)',
        '[tensorflow/tensorflow#42167: `minimize(lambda: cost)` with `cost` computed before](https://github.com/tensorflow/tensorflow/issues/42167)',
        '[tensorflow/tensorflow#45604: the loss negated after the tape\'s block](https://github.com/tensorflow/tensorflow/issues/45604)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    checkImplicitGradients(ctx);
    checkNeverEnteredTapes(ctx);
    checkWatchedAfterUse(ctx);
    const tapes = findTapes(m);
    if (tapes.length === 0) return;

    for (const t of tapes) {
      // tape.watch(model.inputs)
      for (const w of t.watches) {
        for (const e of w.positional[0] ? items(w.positional[0]) : []) {
          if (!isModelInputs(ctx, e)) continue;
          ctx.report({
            node: w.node,
            message:
              `\`${ctx.text(e)}\` are the symbolic input tensors of the Keras model, not the data it is called on: ` +
              `\`${t.name}.watch(${ctx.text(e)})\` watches nothing that is computed, and gradients with respect to the ` +
              `real input are None. Watch the tensor you pass to the model (\`${t.name}.watch(x)\` before \`model(x)\`).`,
          });
        }
      }

      for (const use of t.uses) {
        const method = use.method ?? 'gradient';
        // `tape.gradient(model.output[:, 0], w)`, `tape.gradient(preds, last_conv_layer.output)`: symbolic Keras tensors.
        const target = use.hasStarArgs || use.hasKwargs ? undefined : (use.keywords.get('target') ?? use.positional[0]);
        const symbolic = [target, ...(use.hasStarArgs || use.hasKwargs ? [] : sourcesOf(use))]
          .map((e) => (e ? symbolicKerasTensor(ctx, e) : null))
          .find((e): e is PyNode => e !== null);
        if (symbolic) {
          const what = ctx.text(symbolic);
          ctx.report({
            node: use.node,
            message:
              `\`${what}\` is a symbolic tensor of the Keras model's graph, made when the model was built, not a value ` +
              `computed while \`${t.name}\` recorded: the tape has nothing that connects it, so \`${t.name}.${method}(...)\` returns None. ` +
              'Call the model (or a `tf.keras.Model(model.inputs, [layer.output, model.output])` built from it) on the data inside the ' +
              '`with` block and differentiate the tensors that call returns.',
            related: [{ node: t.with.node, message: `the tape \`${t.name}\` records only what runs inside this block` }],
          });
          continue;
        }
        const late = lateTarget(ctx, t, use);
        if (late) {
          ctx.report({
            node: use.node,
            message:
              `\`${ctx.text(late)}\` is computed by the \`${t.name}.${method}(...)\` call itself, after \`${t.name}\`'s \`with\` block ended: ` +
              `the tape did not record that computation, so the target is not connected to any source and the result is None. ` +
              `Compute the target inside the \`with\` block (\`out = ...\` there) and pass the variable.`,
            related: [{ node: t.with.node, message: `the tape \`${t.name}\` records only inside this block` }],
          });
        }
        const outside = late ? null : targetOutsideTape(ctx, t, use);
        if (outside) {
          const x = ctx.text(outside.binding.target);
          const line = ctx.lineOf(outside.binding.stmt);
          ctx.report({
            node: use.node,
            message:
              outside.when === 'before'
                ? `\`${x}\` is computed on line ${line}, before \`${t.name}\`'s \`with\` block begins: the tape did not exist yet and recorded none of it, ` +
                  `so \`${t.name}.${method}(${x}, ...)\` is not connected to any source and returns None (for a training step, "No gradients provided for any variable"). ` +
                  `Compute \`${x}\` inside the \`with\` block.`
                : `\`${x}\` is computed on line ${line}, after \`${t.name}\`'s \`with\` block ended, from values the tape recorded: that last operation is not on the tape, ` +
                  `so \`${t.name}.${method}(${x}, ...)\` is not connected to any source and returns None (for a training step, "No gradients provided for any variable"). ` +
                  `Move the line computing \`${x}\` into the \`with\` block.`,
            related: [
              { node: outside.binding.stmt, message: `\`${x}\` is computed here, while \`${t.name}\` does not record` },
              { node: t.with.node, message: `the tape \`${t.name}\` records only inside this block` },
            ],
          });
        }
        for (const src of sourcesOf(use)) {
          const fresh = freshSource(ctx, src);
          if (fresh) {
            ctx.report({
              node: use.node,
              message:
                `\`${ctx.text(src)}\` is ${fresh} made by the \`${t.name}.${method}(...)\` call itself, after the target was computed: the target ` +
                `cannot depend on it, so the result is None. Slice or convert the input before the forward pass, inside the \`with\` ` +
                `block, watch that tensor and use it in the computation (\`xs = x[:, 0:1]\`, \`${t.name}.watch(xs)\`, \`u = model(tf.concat([xs, ...], 1))\`), ` +
                'or differentiate with respect to the whole input and slice the gradient.',
              related: [{ node: t.ctor.node, message: `the tape \`${t.name}\` records here` }],
            });
            continue;
          }
          if (src.type !== 'identifier' || !m.isUse(src)) continue;
          const reach = m.reachingBindings(src);
          if (reach.length === 0) continue;
          // Made inside this tape's body: an intermediate of the recording, not judged here.
          if (reach.some((b) => inside(t.with.node, b.target))) continue;
          const kind = sourceKind(m, src);
          // A Variable made with `trainable=False` is not watched automatically either.
          const frozen = kind === 'variable' && t.watchAccessedVariables !== false ? nonTrainableVariable(m, src) : null;
          const unwatchedVariable = kind === 'variable' && (t.watchAccessedVariables === false || frozen !== null);
          if (kind !== 'tensor' && kind !== 'numpy' && !unwatchedVariable) continue;
          const state = watchState(ctx, t, reach);
          if (state.kind !== 'not-watched') continue;
          const x = ctx.text(src);
          const what =
            kind === 'numpy'
              ? `a NumPy array`
              : kind === 'variable'
                ? frozen
                  ? `a \`tf.Variable\` created with \`trainable=False\` (a tape watches only trainable variables on its own)`
                  : `a \`tf.Variable\`, but the tape was created with \`watch_accessed_variables=False\``
                : `a constant tensor made outside the tape`;
          // Nested pair: another tape inside this one watches x.
          const innerWatcher = tapes.find(
            (o) => o !== t && inside(t.with.body, o.with.node) && watchState(ctx, o, reach).kind === 'watched',
          );
          const fix = watchFix(ctx, t, src);
          const message = innerWatcher
            ? `\`${t.name}.${method}(..., ${x})\` is None: only the inner tape \`${innerWatcher.name}\` watches \`${x}\`, ` +
              `so the outer tape \`${t.name}\` recorded nothing for it and the second derivative is lost. ` +
              `Add \`${t.name}.watch(${x})\` at the top of the outer \`with\` block.`
            : frozen
              ? `\`${x}\` is ${what}, and \`${t.name}\` never watches it, so \`${t.name}.${method}(..., ${x})\` on line ${ctx.lineOf(use.node)} returns None ` +
                `(for a training step, "No gradients provided for any variable"). Create \`${x}\` trainable, or call \`${t.name}.watch(${x})\` inside the \`with\` block before \`${x}\` is used.`
              : `\`${x}\` is ${what} and \`${t.name}\` never watches it, so \`${t.name}.${method}(..., ${x})\` ${kind === 'numpy' ? 'has nothing recorded for it (None, or an error)' : 'returns None'}. ` +
                `Call \`${t.name}.watch(${x})\` inside the \`with\` block before \`${x}\` is used` +
                `${kind === 'numpy' ? ' (convert it with `tf.convert_to_tensor` first)' : ''}.`;
          ctx.report({
            // A non-trainable Variable: reported where it is made so (the cause), the derivative among the related places.
            node: frozen ?? use.node,
            message,
            related: [
              ...(frozen ? [{ node: use.node, message: `\`${t.name}.${method}(..., ${x})\` is None here` }] : []),
              { node: reach[reach.length - 1].target, message: `\`${x}\` is made here (line ${ctx.lineOf(reach[reach.length - 1].target)}), outside the tape` },
              { node: t.ctor.node, message: `the tape \`${t.name}\` records here` },
              ...(innerWatcher ? [{ node: innerWatcher.watches[0].node, message: `only \`${innerWatcher.name}\` watches \`${x}\`` }] : []),
            ],
            fixes: fix && kind !== 'numpy' ? [fix] : [],
          });
        }
      }
    }
  },
};

/**
 * What the analysis adds: sources made inside the tape but never watched (`x = tf.constant(...)` in the
 * `with` block), Tensors computed from Variables before the tape (`x = v + c`), sources of an outer tape
 * that only an inner tape watches, through helpers; and targets the tape never recorded (a gradient
 * computed after the `with` block, then differentiated again).
 */
export const AGL006: Rule = withAnalysisPass(SYNTAX, (ctx, seen) => {
  tapeCalledWithTensors(ctx);
  for (const d of ctx.analysis.events.derivatives) {
    if (d.tape === null || !d.spec.outputs) continue;
    const tapeNode = ctx.tree.nodes[d.tape];
    const recv = calleeReceiver(d.node);
    const name = recv ? ctx.text(recv) : 'tape';
    lateDerivativeTarget(ctx, d, name, tapeNode, seen);
    unrecordedTarget(ctx, d, name, seen);
    // What the tape watches is not known (an unbound name, an argument): its sources cannot be judged.
    if (ctx.analysis.tapesWatchingUnknown.has(d.tape)) continue;
    const sources = d.inputs.items ?? [d.inputs];
    const srcNode = argNode(ctx, d.node, 1);
    const method = /jacobian/.test(d.api) ? 'jacobian' : 'gradient';
    sources.forEach((src, k) => {
      const t = src.t;
      const srcExpr = d.inputs.items ? itemNode(srcNode, k) : srcNode;
      if ((!t ? isKind(src, Kind.UNKNOWN) : t.opaque && !t.variable && !t.tapes.includes(d.tape!)) && srcExpr && !seen(d.node)) {
        const fed = parameterFedToModel(ctx, d.fn, srcExpr, tapeNode);
        if (fed) {
          const x = ctx.text(srcExpr);
          ctx.report({
            node: d.node,
            message:
              `\`${x}\` is an argument of \`${fed.fnName}\` that \`${name}\` never watches, and it is fed to the model inside the tape: ` +
              `a tensor argument is not recorded unless watched (only \`tf.Variable\`s are), so \`${name}.${method}(..., ${x})\` ` +
              `returns None. Call \`${name}.watch(${x})\` at the top of the \`with\` block (or pass a \`tf.Variable\`).`,
            related: [
              { node: fed.param, message: `\`${x}\` is a parameter here; no call in this file passes it a Variable` },
              { node: fed.use, message: 'the model is called on it here' },
            ],
          });
          return;
        }
      }
      if (t && (t.dtype === 'int' || t.dtype === 'bool') && !t.opaque && srcExpr && !seen(d.node)) {
        ctx.report({
          node: d.node,
          message:
            `\`${ctx.text(srcExpr)}\` has an integer dtype (integer literals without \`dtype=\` make int32; an integer \`dtype=\` or \`tf.cast\` gives one): TensorFlow ` +
            `does not differentiate integers, so \`${name}.${method}(..., ${ctx.text(srcExpr)})\` returns None. ` +
            'Make it floating point (`tf.Variable(2.0)`, `dtype=tf.float32`).',
          related: tapeNode ? [{ node: tapeNode, message: `the tape \`${name}\` is made here` }] : [],
        });
        return;
      }
      if (!t || t.opaque || t.variable || t.tapes.includes(d.tape!) || (isKind(src, Kind.UNKNOWN) && !isKind(src, Kind.TENSOR))) return;
      const at = srcNode ?? d.node;
      if (seen(d.node) || seen(at)) return;
      ctx.report({
        node: d.node,
        message:
          `\`${srcNode ? ctx.text(srcNode) : 'the source'}\` is a plain tensor (not a Variable) that \`${name}\` never watches while it records, so ` +
          `\`${name}.${method}(...)\` returns None for it. Call \`${name}.watch(...)\` on it inside the \`with\` block, ` +
          'before it is used.',
        related: tapeNode ? [{ node: tapeNode, message: `the tape \`${name}\` is made here` }] : [],
      });
    });
  }
});

/**
 * `tf.GradientTape(y, x)`: the constructor's arguments are the flags `persistent` and `watch_accessed_variables`, not a
 * target and a source. Given tensors, it makes a tape that recorded nothing (the values were computed before it existed)
 * and returns that tape, not a derivative.
 */
function tapeCalledWithTensors(ctx: RuleContext): void {
  const m = ctx.model;
  for (const c of m.calls) {
    if (!c.qname || !TF_TAPE_CLASSES.has(c.qname) || c.positional.length === 0) continue;
    const tensors = c.positional.filter((a) => {
      const v = ctx.analysis.valueOf(a);
      return !!v && isKind(v, Kind.TENSOR) && !!v.t && v.lit === undefined;
    });
    if (tensors.length === 0) continue;
    const a = tensors[0];
    const stmt = m.statementOf(c.node);
    const bound = stmt && stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : null;
    const lhs = bound && bound.type === 'assignment' && unparen(field(bound, 'right') ?? bound) === c.node ? field(bound, 'left') : null;
    ctx.report({
      node: c.node,
      message:
        `\`${ctx.text(field(c.node, 'function')!)}(...)\` is given the tensor \`${ctx.text(a)}\`, but the constructor's arguments are the flags ` +
        '`persistent` and `watch_accessed_variables`: it does not differentiate anything' +
        (lhs ? `, and \`${ctx.text(lhs)}\` is the tape object, not a derivative` : '') +
        '. A tape records only what runs inside its `with` block: open it with `with tf.GradientTape() as tape:`, call ' +
        '`tape.watch(x)` on a tensor source, compute the target inside the block, then `tape.gradient(y, x)` after it.',
      related: [],
    });
  }
}

/**
 * The target of a tape derivative is itself a derivative computed while that tape did not record (after its `with`
 * block): its second derivative is None (zeros for `jacobian`/`batch_jacobian`). The derivative's value may be opaque
 * (the first derivative of a model the file does not show, `y = model(x)` in a snippet): which tapes record a gradient
 * computation is known all the same, since TensorFlow records it only on the tapes active where it runs.
 */
function lateDerivativeTarget(ctx: RuleContext, d: DerivativeEvent, name: string, tapeNode: PyNode | undefined, seen: (n: PyNode) => boolean): void {
  const out = d.output.t;
  const outNode = argNode(ctx, d.node, 0);
  if (!out || out.variable || isKind(d.output, Kind.UNKNOWN) || d.tape === null) return;
  if (out.opaque ? out.dGraph.length === 0 : out.dGraph.length === 0 && out.dNoGraph.length === 0) return;
  if (out.tapes.includes(d.tape) || seen(d.node)) return;
  // A constant first derivative (of a target affine in its source) is recorded by no tape, wherever it is computed: AGL046's.
  if (ctx.analysis.events.constantDerivatives.some((e) => e.node === d.node)) return;
  const method = d.api.slice(d.api.lastIndexOf('.') + 1);
  ctx.report({
    node: d.node,
    message:
      `\`${outNode ? ctx.text(outNode) : 'the target'}\` is a gradient computed after \`${name}\`'s \`with\` block, so the tape did not record it and ` +
      `\`${name}.${method}(...)\` of it returns ${/jacobian/.test(method) ? 'None or zeros' : 'None'}. Compute the first gradient inside the \`with\` block (a persistent or ` +
      'outer tape records it).',
    related: tapeNode ? [{ node: tapeNode, message: `the tape \`${name}\` is made here` }] : [],
  });
}

/**
 * The target depends on the weights (Variables, a model's parameters) but the tape recorded none of that dependence:
 * every value that carries it was computed while the tape did not record (`pred = model(x)` before the `with` block,
 * then `loss = mse(pred, y)` inside it). TensorFlow records an operation only on the tapes active where it runs, so
 * the target is not connected to any weight on this tape and every gradient is None ("No gradients provided for any
 * variable"). Read from the analysis: the target's facets name parameters but not this tape.
 */
function unrecordedTarget(ctx: RuleContext, d: DerivativeEvent, name: string, seen: (n: PyNode) => boolean): void {
  const v = d.output;
  const out = v.t;
  if (!out || v.kind !== Kind.TENSOR || out.variable || out.params.length === 0 || d.tape === null) return;
  if (out.tapes.includes(d.tape) || out.dGraph.length > 0 || out.dNoGraph.length > 0 || seen(d.node)) return;
  // The sources must be weights the target depends on (or not visible): a gradient with respect to an unrelated tensor
  // is another rule's question.
  const srcs = d.inputs.items ?? (d.inputs.elem ? [d.inputs.elem] : [d.inputs]);
  const known = srcs.filter((s) => s.t && !isKind(s, Kind.UNKNOWN));
  if (known.length > 0 && !known.some((s) => s.t!.params.some((p) => out.params.includes(p)))) return;
  const tape = findTapes(ctx.model).find((t) => t.ctor.node.id === d.tape);
  if (!tape || tape.persistent !== false) return;
  // The value outside the block that carries the weights into it: a name read inside the block, bound only before it.
  const m = ctx.model;
  let carrier: { use: PyNode; binding: Binding } | null = null;
  const targetNode = argNode(ctx, d.node, 0);
  const scan = (root: PyNode): void => {
    if (carrier) return;
    if (root.type === 'identifier' && m.isUse(root)) {
      const reach = m.reachingBindings(root);
      const rv = ctx.analysis.valueOf(root);
      if (reach.length > 0 && reach.every((b) => b.stmt.end <= tape.with.node.start && b.kind === 'assign') && rv?.t &&
          !rv.t.variable && rv.t.params.some((p) => out.params.includes(p)) && !rv.t.tapes.includes(d.tape!)) {
        carrier = { use: root, binding: reach[reach.length - 1] };
        return;
      }
    }
    for (const c of root.children) scan(c);
  };
  scan(tape.with.body);
  if (!carrier && targetNode) scan(targetNode);
  if (!carrier) return;
  const { use, binding } = carrier as { use: PyNode; binding: Binding };
  // The carrier is itself a source (`x = v + c` before the tape, then `tape.gradient(z, x)`): an unwatched tensor, reported as such.
  const srcNode = argNode(ctx, d.node, 1);
  if (srcNode && items(srcNode).some((s) => s.type === 'identifier' && m.isUse(s) && m.reachingBindings(s).includes(binding))) return;
  const x = ctx.text(use);
  const method = d.api.slice(d.api.lastIndexOf('.') + 1);
  ctx.report({
    node: d.node,
    message:
      `\`${targetNode ? ctx.text(targetNode) : 'the target'}\` depends on the weights only through \`${x}\`, computed on line ${ctx.lineOf(binding.stmt)}, ` +
      `before \`${name}\`'s \`with\` block: the tape records only the operations run inside it, so it has no path from the target to any weight and ` +
      `\`${name}.${method}(...)\` returns None for every source (for a training step, "No gradients provided for any variable"). ` +
      `Compute \`${x}\` inside the \`with\` block.`,
    related: [
      { node: binding.stmt, message: `\`${x}\` is computed here, while \`${name}\` does not record` },
      { node: tape.with.node, message: `the tape \`${name}\` records only inside this block` },
    ],
  });
}

/** The `k`-th element of a list or tuple of sources. */
function itemNode(list: PyNode | null, k: number): PyNode | null {
  if (!list) return null;
  const n = unparen(list);
  return n.type === 'list' || n.type === 'tuple' ? (namedChildren(n)[k] ?? null) : null;
}

/** Parameter names that hold weights (a `tf.Variable` or a list of them) rather than data. */
const WEIGHT_PARAM = /var|weight|param|theta|kernel|bias|trainable|^w\d*$|^v$/i;

/**
 * `src` names a parameter of the function `fn` (not `self`, not named like weights), and inside the tape's
 * `with` block a model is called on it (`model(x)`, `self(x)`, `self.net(tf.concat([x, t], 1))`). The analysis
 * gives such a source an opaque value only when no call in the file passes the argument (entry points).
 */
function parameterFedToModel(ctx: RuleContext, fn: PyNode | null, src: PyNode, tapeCall: PyNode | undefined): { param: PyNode; use: PyNode; fnName: string } | null {
  const m = ctx.model;
  const n = unparen(src);
  if (!fn || !tapeCall || n.type !== 'identifier' || !m.isUse(n)) return null;
  const info = m.functionOf(fn);
  if (!info) return null;
  const reach = m.reachingBindings(n);
  if (reach.length !== 1) return null;
  // The parameter itself, or unpacked from it (`x, y = data` in a Keras `train_step`: a batch is tensors, not Variables).
  let paramTarget: PyNode | null = reach[0].kind === 'param' ? reach[0].target : null;
  if (!paramTarget && reach[0].kind === 'assign' && reach[0].path.length > 0 && reach[0].value && unparen(reach[0].value).type === 'identifier') {
    const from = m.reachingBindings(unparen(reach[0].value));
    if (from.length === 1 && from[0].kind === 'param') paramTarget = from[0].target;
  }
  const p = paramTarget ? info.params.find((q) => q.target === paramTarget) : undefined;
  if (!p || p.name === 'self' || p.name === 'cls' || WEIGHT_PARAM.test(p.name) || p.param?.star !== 'none') return null;
  let w: PyNode | null = tapeCall;
  while (w && w.type !== 'with_statement') w = w.parent;
  const body = w ? field(w, 'body') : null;
  if (!body) return null;
  const mentions = (e: PyNode): boolean => {
    const u = unparen(e);
    if (u.type === 'identifier') return m.isUse(u) && m.reachingBindings(u).includes(reach[0]);
    if (u.type === 'list' || u.type === 'tuple') return namedChildren(u).some(mentions);
    if (u.type === 'subscript') return mentions(namedChildren(u)[0]);
    if (u.type === 'call') {
      const q = m.qualifiedName(u) ?? '';
      const c = m.call(u);
      return /^tensorflow\.(?:concat|stack|expand_dims|reshape|cast)$/.test(q) && !!c?.positional[0] && mentions(c.positional[0]);
    }
    return false;
  };
  for (const c of m.calls) {
    // Library calls (`tf.*`, `np.*`) are not models; an unbound plain name (`model` of a snippet) may be.
    if (c.node.start < body.start || c.node.end > body.end || (c.qname && c.qname.includes('.')) || c.method === 'watch') continue;
    const callee = field(c.node, 'function');
    const a0 = c.positional[0];
    if (!callee || !a0 || !mentions(a0)) continue;
    const isSelf = unparen(callee).type === 'identifier' && ctx.text(callee) === 'self';
    const value = ctx.analysis.valueOf(callee);
    if (isSelf || looksLikeKerasModel(m, callee) || (value && value.mod)) return { param: p.target, use: c.node, fnName: info.name };
  }
  return null;
}

function calleeReceiver(call: PyNode): PyNode | null {
  const fn = field(call, 'function');
  return fn && fn.type === 'attribute' ? field(fn, 'object') : null;
}

function argNode(ctx: RuleContext, call: PyNode, index: number): PyNode | null {
  const c = ctx.model.call(call);
  return c ? (c.positional[index] ?? null) : null;
}
