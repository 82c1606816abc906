/**
 * AGL006 tape-unwatched-source: `tape.gradient(y, x)` where `x` is a constant tensor or a NumPy array
 * made outside the tape and never `tape.watch`ed (the gradient is None); `tape.watch(model.inputs)`
 * (symbolic Keras tensors, not the data); the outer tape of a nested pair not watching the input.
 * Checked against TensorFlow's documentation, not run (TensorFlow is not installed in this project).
 */
import { isKind, Kind } from '../analysis';
import { withAnalysisPass, type Rule, type RuleContext } from '../rule';
import type { Binding, CallInfo } from '../semantic';
import { findTapes, inside, looksLikeKerasModel, sourceKind, type Tape } from '../tensorflow';
import { field, namedChildren, positionAt, unparen, type PyNode } from '../tree';
import type { Fix } from '../types';

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

function sourcesOf(use: CallInfo): PyNode[] {
  const s = use.keywords.get('sources') ?? use.positional[1];
  return s ? items(s) : [];
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
        'Finds `tape.gradient(y, x)` / `tape.jacobian(y, x)` / `tape.batch_jacobian(y, x)` where `x` is visibly a plain tensor or ' +
        'a NumPy array (`tf.constant(...)`, `tf.convert_to_tensor(...)`, `tf.zeros(...)`, `np.*`, pandas `.values`) made ' +
        'outside the tape and never passed to `tape.watch`. This includes the outer tape of a nested pair, where only the ' +
        'inner tape watches the input and the second derivative comes back None. Also flags `tape.watch(model.inputs)`, ' +
        'which watches the symbolic Keras input tensors instead of the data the model is called on.',
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
        'Only sources whose value is visible in the file are judged: a function parameter (which may be a `tf.Variable`) ' +
        'is never flagged, and a tape that watches something the rule cannot resolve (`tape.watch(self.x)`, ' +
        '`tape.watch(inputs[0])`) is assumed to watch the source. Sources computed inside the tape from unwatched tensors ' +
        'are not flagged. A `tf.Variable` source under `watch_accessed_variables=False` is flagged only when it is never watched.',
      fixSafety:
        'Inserting `tape.watch(x)` as the first statement of the `with` block is safe: watching only adds recording, ' +
        'the values computed do not change. It is not offered for a NumPy source (`tape.watch` accepts only tensors and ' +
        'variables: convert with `tf.convert_to_tensor` first), nor for `tape.watch(model.inputs)`: watch the tensor the ' +
        'model is called on instead.',
      references: [
        '[Introduction to gradients and automatic differentiation: controlling what the tape watches](https://www.tensorflow.org/guide/autodiff#controlling_what_the_tape_watches)',
        '[tf.GradientTape](https://www.tensorflow.org/api_docs/python/tf/GradientTape)',
        '[Advanced automatic differentiation: higher-order gradients](https://www.tensorflow.org/guide/advanced_autodiff#higher-order_gradients)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
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
        for (const src of sourcesOf(use)) {
          if (src.type !== 'identifier' || !m.isUse(src)) continue;
          const reach = m.reachingBindings(src);
          if (reach.length === 0) continue;
          // Made inside this tape's body: an intermediate of the recording, not judged here.
          if (reach.some((b) => inside(t.with.node, b.target))) continue;
          const kind = sourceKind(m, src);
          const unwatchedVariable = kind === 'variable' && t.watchAccessedVariables === false;
          if (kind !== 'tensor' && kind !== 'numpy' && !unwatchedVariable) continue;
          const state = watchState(ctx, t, reach);
          if (state.kind !== 'not-watched') continue;
          const x = ctx.text(src);
          const what =
            kind === 'numpy'
              ? `a NumPy array`
              : kind === 'variable'
                ? `a \`tf.Variable\`, but the tape was created with \`watch_accessed_variables=False\``
                : `a constant tensor made outside the tape`;
          // Nested pair: another tape inside this one watches x.
          const innerWatcher = tapes.find(
            (o) => o !== t && inside(t.with.body, o.with.node) && watchState(ctx, o, reach).kind === 'watched',
          );
          const fix = watchFix(ctx, t, src);
          const method = use.method ?? 'gradient';
          const message = innerWatcher
            ? `\`${t.name}.${method}(..., ${x})\` is None: only the inner tape \`${innerWatcher.name}\` watches \`${x}\`, ` +
              `so the outer tape \`${t.name}\` recorded nothing for it and the second derivative is lost. ` +
              `Add \`${t.name}.watch(${x})\` at the top of the outer \`with\` block.`
            : `\`${x}\` is ${what} and \`${t.name}\` never watches it, so \`${t.name}.${method}(..., ${x})\` ${kind === 'numpy' ? 'has nothing recorded for it (None, or an error)' : 'returns None'}. ` +
              `Call \`${t.name}.watch(${x})\` inside the \`with\` block before \`${x}\` is used` +
              `${kind === 'numpy' ? ' (convert it with `tf.convert_to_tensor` first)' : ''}.`;
          ctx.report({
            node: use.node,
            message,
            related: [
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
  for (const d of ctx.analysis.events.derivatives) {
    if (d.tape === null || !d.spec.outputs || ctx.analysis.tapesWatchingUnknown.has(d.tape)) continue;
    const tapeNode = ctx.tree.nodes[d.tape];
    const recv = calleeReceiver(d.node);
    const name = recv ? ctx.text(recv) : 'tape';
    const sources = d.inputs.items ?? [d.inputs];
    const srcNode = argNode(ctx, d.node, 1);
    sources.forEach((src) => {
      const t = src.t;
      if (!t || t.opaque || t.variable || t.tapes.includes(d.tape!) || (isKind(src, Kind.UNKNOWN) && !isKind(src, Kind.TENSOR))) return;
      const at = srcNode ?? d.node;
      if (seen(d.node) || seen(at)) return;
      ctx.report({
        node: d.node,
        message:
          `\`${srcNode ? ctx.text(srcNode) : 'the source'}\` is a plain tensor (not a Variable) that \`${name}\` never watches while it records, so ` +
          `\`${name}.${/jacobian/.test(d.api) ? 'jacobian' : 'gradient'}(...)\` returns None for it. Call \`${name}.watch(...)\` on it inside the \`with\` block, ` +
          'before it is used.',
        related: tapeNode ? [{ node: tapeNode, message: `the tape \`${name}\` is made here` }] : [],
      });
    });
    // The target was computed while the tape did not record (after its `with` block).
    const out = d.output.t;
    const outNode = argNode(ctx, d.node, 0);
    if (out && !out.opaque && !out.variable && !isKind(d.output, Kind.UNKNOWN) && (out.dGraph.length > 0 || out.dNoGraph.length > 0) && !out.tapes.includes(d.tape) && !seen(d.node)) {
      ctx.report({
        node: d.node,
        message:
          `\`${outNode ? ctx.text(outNode) : 'the target'}\` is a gradient computed after \`${name}\`'s \`with\` block, so the tape did not record it and ` +
          `\`${name}.gradient(...)\` of it returns None. Compute the first gradient inside the \`with\` block (a persistent or ` +
          'outer tape records it).',
        related: tapeNode ? [{ node: tapeNode, message: `the tape \`${name}\` is made here` }] : [],
      });
    }
  }
});

function calleeReceiver(call: PyNode): PyNode | null {
  const fn = field(call, 'function');
  return fn && fn.type === 'attribute' ? field(fn, 'object') : null;
}

function argNode(ctx: RuleContext, call: PyNode, index: number): PyNode | null {
  const c = ctx.model.call(call);
  return c ? (c.positional[index] ?? null) : null;
}
