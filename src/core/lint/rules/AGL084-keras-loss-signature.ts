/**
 * AGL084 keras-loss-signature: a function given to Keras's `Model.compile(loss=...)` that is not written as
 * `fn(y_true, y_pred)`. Keras calls every loss with the batch's targets and the model's predictions; a physics or
 * residual loss written as `cost(model, x)` — it calls its first parameter as the network, or reads its trainable
 * variables — then gets a tensor of targets as `model` and the predictions as `x`, and a loss that needs a third
 * argument (or has only one) cannot be called at all. The residual that was written is never what `fit` minimizes.
 * The question: do the loss's parameters, read as Keras passes them (knowledge/tensorflow.ts), fit how the body
 * uses them?
 */
import { KERAS_COMPILE_LOSS_POSITION, KERAS_MODEL_ONLY_ATTRIBUTES } from '../knowledge/tensorflow';
import { Kind, type AV, type ClassRef } from '../analysis/values';
import type { Rule, RuleContext } from '../rule';
import type { Binding, CallInfo, FunctionInfo } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';

interface Candidate {
  ref: PyNode;
  fn: FunctionInfo;
  compile: CallInfo;
}

function enclosingClassOf(n: PyNode): PyNode | null {
  for (let x = n.parent; x; x = x.parent) if (x.type === 'class_definition') return x;
  return null;
}

/** The functions of the file named by a `compile` call's loss argument (a name, `self.method`, a list or dict of them). */
function lossFunctions(ctx: RuleContext, c: CallInfo): Candidate[] {
  const m = ctx.model;
  const loss = c.keywords.get('loss') ?? c.positional[KERAS_COMPILE_LOSS_POSITION];
  if (!loss) return [];
  const u = unparen(loss);
  const refs = u.type === 'list' || u.type === 'tuple' ? namedChildren(u) : u.type === 'dictionary' ? namedChildren(u).flatMap((p) => (p.type === 'pair' && field(p, 'value') ? [field(p, 'value')!] : [])) : [u];
  const out: Candidate[] = [];
  for (const r0 of refs) {
    const r = unparen(r0);
    if (r.type === 'identifier') {
      const defs = m.reachingBindings(r).filter((b) => b.kind === 'def');
      if (defs.length !== 1 || m.reachingBindings(r).length !== 1) continue;
      const fn = m.functionOf(defs[0].stmt.type === 'decorated_definition' ? field(defs[0].stmt, 'definition') ?? defs[0].stmt : defs[0].stmt);
      if (fn && !fn.isMethod) out.push({ ref: r, fn, compile: c });
    } else if (r.type === 'attribute') {
      const obj = field(r, 'object');
      const attr = field(r, 'attribute');
      if (!obj || !attr || obj.type !== 'identifier' || ctx.text(obj) !== 'self') continue;
      const cls = enclosingClassOf(r);
      const fn = m.functions.find((f) => f.isMethod && f.name === ctx.text(attr) && enclosingClassOf(f.node) === cls);
      if (fn) out.push({ ref: r, fn, compile: c });
    }
  }
  return out;
}

/** The parameters Keras fills, in order: after `self` of a method; null for static/class methods and `*args`. */
function positionalParams(fn: FunctionInfo): { params: Binding[]; required: number; star: boolean } | null {
  if (fn.decorators.some((d) => /staticmethod|classmethod/.test(d))) return null;
  const ps = fn.isMethod ? fn.params.slice(1) : fn.params;
  if (fn.isMethod && fn.params[0]?.name !== 'self') return null;
  const params: Binding[] = [];
  let required = 0;
  let star = false;
  const plist = field(fn.node, 'parameters');
  const sep = plist ? namedChildren(plist).find((x) => x.type === 'keyword_separator') : undefined;
  for (const p of ps) {
    if (sep && p.target.start > sep.start) break;
    const st = p.param?.star ?? 'none';
    if (st === 'args') { star = true; break; }
    if (st === 'kwargs') break;
    // Keyword-only parameters (after a bare `*`) are not filled positionally.
    const parentType = p.target.parent?.type ?? '';
    const hasDefault = /default_parameter$/.test(parentType);
    params.push(p);
    if (!hasDefault) required++;
  }
  return { params, required, star };
}

const KERAS_NAME = /^(?:tensorflow\.(?:python\.)?keras|tf_keras|keras)\./;

function kerasClass(c: ClassRef, depth = 0): boolean {
  return depth < 6 && (c.libBases.some((q) => KERAS_NAME.test(q)) || c.bases.some((b) => kerasClass(b, depth + 1)));
}

/** The analysis knows the receiver of `compile` to be a Keras model (a `Sequential`, a functional `Model`, a subclass). */
function isKerasModel(v: AV | undefined): boolean {
  if (!v || v.kind === 0) return false;
  if (v.kind & ~(Kind.LIBINST | Kind.INST | Kind.UNKNOWN)) return false;
  const libs = (v.kind & Kind.LIBINST) !== 0 ? v.lib : [];
  const classes = (v.kind & Kind.INST) !== 0 ? v.classes : [];
  if (libs.length + classes.length === 0) return false;
  return libs.every((q) => KERAS_NAME.test(q)) && classes.every((c) => kerasClass(c));
}

/** How the body uses a parameter as a model: called, or a model-only attribute read. */
function modelUse(ctx: RuleContext, fn: FunctionInfo, p: Binding): PyNode | null {
  for (const u of ctx.model.usesOf(p)) {
    if (ctx.model.enclosingFunction(u) !== fn) continue;
    const par = u.parent;
    if (!par) continue;
    if (par.type === 'call' && field(par, 'function') === u) return par;
    if (par.type === 'attribute' && field(par, 'object') === u) {
      const a = field(par, 'attribute');
      if (a && KERAS_MODEL_ONLY_ATTRIBUTES.has(ctx.text(a))) return par;
    }
  }
  return null;
}

export const AGL084: Rule = {
  meta: {
    code: 'AGL084',
    name: 'keras-loss-signature',
    summary: 'A function given to Keras `compile(loss=...)` is not written as `fn(y_true, y_pred)` (a residual `cost(model, x)`): Keras calls it with targets and predictions.',
    framework: 'tensorflow',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a function of the file given to a Keras model\'s `compile` as its loss (`loss=cost`, the second positional ' +
        'argument, an item of a list or dict of losses, `loss=self.method`) whose parameters do not fit Keras\'s call ' +
        '`loss(y_true, y_pred)`: a parameter among the two Keras fills is used as a model (called, or its ' +
        '`trainable_variables`/`predict`/`layers` read), or the function needs more than two positional arguments or ' +
        'takes fewer than two.',
      whyIsThisBad:
        'Keras calls a compiled loss once per batch with the batch\'s targets and the model\'s predictions. A physics ' +
        'residual written as `cost(model, x)` — a network called on collocation points under a `GradientTape`, its input ' +
        'derivative put into the equation — receives a tensor of targets as `model` and the predictions as `x`: calling the ' +
        'tensor fails, or, where it runs, the residual that was written is never what `fit` minimizes (and `fit(x)` without ' +
        'targets gives it no `y_true` at all). A loss that needs a third argument raises TypeError at the first batch.',
      example:
        '```python\ndef cost(model, x):\n    with tf.GradientTape() as tape:\n        tape.watch(x)\n        y = model(x)\n' +
        '    dy_dx = tape.gradient(y, x)\n    return tf.reduce_mean(tf.square(dy_dx - f(x, y)))\n\nmodel.compile(optimizer="adam", loss=cost)\nmodel.fit(x, epochs=10)\n```',
      useInstead:
        '```python\noptimizer = tf.keras.optimizers.Adam()\nfor epoch in range(epochs):\n    with tf.GradientTape() as tape:\n' +
        '        loss = cost(model, x)\n    grads = tape.gradient(loss, model.trainable_variables)\n' +
        '    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n```\n\nor override `Model.train_step`.',
      knownProblems:
        'Only functions of the file named directly in the `compile` call are checked, and only when the analysis knows the ' +
        'receiver is a Keras model (a `Sequential`, a functional `Model`, a subclass): a model from an unseen factory is not, ' +
        'and other libraries\' `compile` (a PINN solver\'s) are left alone. ' +
        'A loss made by a factory (`loss=make_loss(model)`) is taken to be written correctly.',
      fixSafety: 'There is no fix: the loss has to be moved into a training loop or `train_step`.',
      references: [
        '[tf.keras.Model.compile](https://www.tensorflow.org/api_docs/python/tf/keras/Model#compile)',
        '[Keras: customizing what happens in fit()](https://keras.io/guides/customizing_what_happens_in_fit/)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    if (!/\b(?:tensorflow|keras)\b/.test(ctx.source)) return;
    for (const c of m.calls) {
      if (c.method !== 'compile' || c.local || !c.receiver || c.hasStarArgs) continue;
      if (c.qname && /^(?:torch|re|jax)\b/.test(c.qname)) continue;
      // Other libraries have a `compile` too (a PINN solver's `compile(layers, f_model, domain)`): Keras's only.
      if (!isKerasModel(ctx.analysis.valueOf(c.receiver))) continue;
      for (const cand of lossFunctions(ctx, c)) {
        const sig = positionalParams(cand.fn);
        if (!sig) continue;
        const name = cand.fn.name;
        const filled = sig.params.slice(0, 2);
        let why: string | null = null;
        let where: PyNode | null = null;
        for (const [k, p] of filled.entries()) {
          const use = modelUse(ctx, cand.fn, p);
          if (!use) continue;
          why = `its parameter \`${p.name}\` is used as a model (\`${ctx.text(use).slice(0, 50)}\`, line ${ctx.lineOf(use)}), but Keras passes the ${k === 0 ? 'targets (`y_true`)' : 'predictions (`y_pred`)'} there`;
          where = use;
          break;
        }
        if (!why && sig.required > 2) why = `it needs ${sig.required} positional arguments, and Keras passes two (TypeError at the first batch)`;
        if (!why && sig.params.length < 2 && !sig.star) why = `it takes ${sig.params.length === 0 ? 'no' : 'one'} positional argument, and Keras passes two (TypeError at the first batch)`;
        if (!why) continue;
        ctx.report({
          node: cand.ref,
          message:
            `\`${name}(${sig.params.map((p) => p.name).join(', ')})\` is given to \`compile\` as a loss, and Keras calls a loss as ` +
            `\`${name}(y_true, y_pred)\`: ${why}. The loss as written is never what \`fit\` minimizes; compute it in a training loop ` +
            '(`GradientTape`, `apply_gradients`) or in an overridden `train_step`, or write it as `fn(y_true, y_pred)`.',
          related: [{ node: cand.fn.node, message: 'the loss function' }, ...(where ? [{ node: where, message: 'used as a model here' }] : [])],
        });
      }
    }
  },
};
