/**
 * AGL086 gradients-paired-with-wrong-variables: `optimizer.apply_gradients(pairs)` takes (gradient, variable) pairs in
 * that order, each gradient the derivative with respect to the variable it is paired with. Two wirings break that
 * silently (zip truncates, and a gradient of the right shape updates any variable of that shape):
 * - the pairs are written (variable, gradient): `zip(model.trainable_variables, grads)`;
 * - the gradients were taken with respect to one variable list and zipped with another:
 *   `tape.gradient(loss, model.trainable_variables)` paired with `model.variables` (which also holds the
 *   non-trainable ones), or the same lists concatenated in another order.
 * The questions go to the values: is the first list of the pairs a variable list or the second a gradient result, and
 * do the gradient's sources and the paired variables name the same lists, in the same order?
 */
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, SemanticModel } from '../semantic';
import { bindingValue } from '../semantic';
import { tapeOfCall } from '../tensorflow';
import { field, namedChildren, unparen, type PyNode } from '../tree';

/** Attributes of a Keras layer/model (or tf.Module) holding a variable list. */
const VAR_ATTRS = new Set(['trainable_variables', 'trainable_weights', 'variables', 'weights', 'non_trainable_variables', 'non_trainable_weights']);
const TF_VAR_FUNCTIONS = /^tensorflow\.(?:compat\.v1\.)?(?:trainable_variables|global_variables|get_collection)$/;
const TF_GRADIENTS = /^tensorflow\.(?:compat\.v1\.)?gradients$/;
const CLIP_BY_GLOBAL_NORM = /^tensorflow\.(?:compat\.v1\.)?clip_by_global_norm$/;

/** The single value a name has where it is read (all its reaching bindings agree), or the expression itself. */
function resolve(m: SemanticModel, expr: PyNode): { value: PyNode; path: number[] } | null {
  const e = unparen(expr);
  if (e.type !== 'identifier' || !m.isUse(e)) return { value: e, path: [] };
  const bs = m.reachingBindings(e);
  if (bs.length !== 1 || bs[0].kind !== 'assign') return null;
  const v = bindingValue(bs[0]);
  if (!v) return null;
  // `a, b = f(...)` that bindingValue could not narrow: keep the index into the call's result.
  const narrowed = v !== bs[0].value || bs[0].path.length === 0;
  return { value: unparen(v), path: narrowed ? [] : bs[0].path };
}

/** A variable list: `m.trainable_variables`, `tf.trainable_variables()`, a `+` of them, or a name bound to one. */
function isVarList(m: SemanticModel, expr: PyNode, depth = 0): boolean {
  if (depth > 4) return false;
  const r = resolve(m, expr);
  if (!r || r.path.length > 0) return false;
  const v = r.value;
  if (v !== unparen(expr)) return isVarList(m, v, depth + 1);
  if (v.type === 'attribute') return VAR_ATTRS.has(m.textOf(field(v, 'attribute') ?? v));
  if (v.type === 'call') {
    const q = m.qualifiedName(field(v, 'function') ?? v);
    if (q && TF_VAR_FUNCTIONS.test(q)) return true;
    if (q === 'list' || q === 'tuple') {
      const args = namedChildren(field(v, 'arguments') ?? v);
      return args.length === 1 && isVarList(m, args[0], depth + 1);
    }
    return false;
  }
  if (v.type === 'binary_operator' && m.textOf(field(v, 'operator') ?? v) === '+') {
    const l = field(v, 'left');
    const rt = field(v, 'right');
    return !!l && !!rt && isVarList(m, l, depth + 1) && isVarList(m, rt, depth + 1);
  }
  return false;
}

/** The derivative call a gradient list comes from: `tape.gradient(loss, sources)`, `tf.gradients(ys, xs)`, or null. */
function gradientCall(m: SemanticModel, expr: PyNode, depth = 0): CallInfo | null {
  if (depth > 4) return null;
  const r = resolve(m, expr);
  if (!r) return null;
  const v = r.value;
  if (v !== unparen(expr)) {
    if (r.path.length > 0) {
      // `clipped, norm = tf.clip_by_global_norm(grads, n)`: the first item is the clipped gradient list.
      const c = v.type === 'call' ? m.call(v) : undefined;
      if (c && r.path.length === 1 && r.path[0] === 0 && c.qname && CLIP_BY_GLOBAL_NORM.test(c.qname) && c.positional[0]) return gradientCall(m, c.positional[0], depth + 1);
      return null;
    }
    return gradientCall(m, v, depth + 1);
  }
  if (v.type !== 'call') return null;
  const c = m.call(v);
  if (!c) return null;
  if (c.method === 'gradient' && tapeOfCall(m, c)) return c;
  if (c.qname && TF_GRADIENTS.test(c.qname)) return c;
  return null;
}

function sourcesOf(g: CallInfo): PyNode | null {
  if (g.method === 'gradient') return g.positional[1] ?? g.keywords.get('sources') ?? null;
  return g.positional[1] ?? g.keywords.get('xs') ?? null;
}

interface Term {
  root: string;
  attr: string;
}

/** A variable list as the `root.attr` terms it concatenates, following names; null when it is anything else. */
function terms(m: SemanticModel, expr: PyNode, depth = 0): Term[] | null {
  if (depth > 4) return null;
  const r = resolve(m, expr);
  if (!r || r.path.length > 0) return null;
  const v = r.value;
  if (v !== unparen(expr)) return terms(m, v, depth + 1);
  if (v.type === 'attribute') {
    const attr = m.textOf(field(v, 'attribute') ?? v);
    const obj = field(v, 'object');
    return VAR_ATTRS.has(attr) && obj ? [{ root: m.textOf(obj).replace(/\s+/g, ''), attr }] : null;
  }
  if (v.type === 'call') {
    // TF1's collections, without a scope argument: `tf.trainable_variables()` and `tf.global_variables()` (all).
    const c = m.call(v);
    const q = c?.qname ?? '';
    if (!c || c.positional.length > 0 || c.keywords.size > 0 || c.hasStarArgs || c.hasKwargs) return null;
    if (/^tensorflow\.(?:compat\.v1\.)?trainable_variables$/.test(q)) return [{ root: 'tf', attr: 'trainable_variables' }];
    if (/^tensorflow\.(?:compat\.v1\.)?global_variables$/.test(q)) return [{ root: 'tf', attr: 'variables' }];
    return null;
  }
  if (v.type === 'binary_operator' && m.textOf(field(v, 'operator') ?? v) === '+') {
    const l = field(v, 'left');
    const rt = field(v, 'right');
    const a = l ? terms(m, l, depth + 1) : null;
    const b = rt ? terms(m, rt, depth + 1) : null;
    return a && b ? [...a, ...b] : null;
  }
  return null;
}

const trainable = (attr: string): boolean => attr.startsWith('trainable_');
const nonTrainable = (attr: string): boolean => attr.startsWith('non_trainable_');
const kindOf = (attr: string): string => (trainable(attr) ? 'trainable' : nonTrainable(attr) ? 'non-trainable' : 'all');

function describe(t: Term): string {
  return t.root === 'tf' ? `\`tf.${t.attr === 'variables' ? 'global_variables' : t.attr}()\`` : `\`${t.root}.${t.attr}\``;
}

/** Why the paired variables are not the gradient's sources, or null when they may be. */
function mismatch(src: Term[], vars: Term[]): string | null {
  const key = (t: Term): string => `${t.root}|${kindOf(t.attr)}`;
  const a = src.map(key);
  const b = vars.map(key);
  if (a.join(',') === b.join(',')) return null;
  if (src.length === vars.length && src.every((t, i) => t.root === vars[i].root)) {
    const i = src.findIndex((t, k) => kindOf(t.attr) !== kindOf(vars[k].attr));
    return `${describe(src[i])} and ${describe(vars[i])} are different lists`;
  }
  if (src.length === vars.length && [...a].sort().join(',') === [...b].sort().join(',')) return 'the same lists are concatenated in another order';
  return null;
}

/** The `zip(grads, vars)` that makes the pairs passed to `apply_gradients`, following one name and `list`/`tuple`. */
function zipOf(m: SemanticModel, expr: PyNode, depth = 0): CallInfo | null {
  if (depth > 4) return null;
  const r = resolve(m, expr);
  if (!r || r.path.length > 0) return null;
  const v = r.value;
  if (v !== unparen(expr)) return zipOf(m, v, depth + 1);
  if (v.type !== 'call') return null;
  const c = m.call(v);
  if (!c || !c.qname) return null;
  if (c.qname === 'zip') return c.positional.length === 2 && !c.hasStarArgs ? c : null;
  if ((c.qname === 'list' || c.qname === 'tuple') && c.positional.length === 1) return zipOf(m, c.positional[0], depth + 1);
  return null;
}

export const AGL086: Rule = {
  meta: {
    code: 'AGL086',
    name: 'gradients-paired-with-wrong-variables',
    summary: '`apply_gradients` gets (variable, gradient) pairs, or gradients zipped with another variable list than they were taken for.',
    framework: 'tensorflow',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Follows the pairs given to `optimizer.apply_gradients(...)` back to the `zip(...)` that made them (through names, ' +
        '`list(...)` and `tuple(...)`). Reports the pairs written (variable, gradient) — the first list is a variable list ' +
        '(`model.trainable_variables`, `trainable_weights`, `variables`, `tf.trainable_variables()`, or a sum of them) or ' +
        'the second is the result of `tape.gradient` / `tf.gradients` — and gradients taken with respect to one variable ' +
        'list zipped with another: `tape.gradient(loss, model.trainable_variables)` paired with `model.variables`, or ' +
        'the same lists concatenated in another order.',
      whyIsThisBad:
        '`apply_gradients` takes a list of (gradient, variable) pairs, and the i-th gradient of `tape.gradient(loss, ' +
        'sources)` belongs to the i-th source. Swapped pairs ask the optimizer to update the gradient tensors with the ' +
        'weights as gradients (it raises, or updates nothing). Gradients zipped with another list are applied to other ' +
        'variables: `model.variables` also holds the non-trainable ones (batch-norm statistics, frozen embeddings), so ' +
        'from the first of them on every gradient lands on the wrong variable, or on a variable of the same shape without ' +
        'any error, and `zip` silently drops what is left over.',
      example:
        '```python\nwith tf.GradientTape() as tape:\n    loss = loss_fn(y, model(x, training=True))\n' +
        'grads = tape.gradient(loss, model.trainable_variables)\noptimizer.apply_gradients(zip(grads, model.variables))\n```',
      useInstead:
        '```python\nwith tf.GradientTape() as tape:\n    loss = loss_fn(y, model(x, training=True))\n' +
        'grads = tape.gradient(loss, model.trainable_variables)\noptimizer.apply_gradients(zip(grads, model.trainable_variables))\n```',
      knownProblems:
        'Only a `zip` of two lists is followed, through names bound once. The two variable lists are compared by the ' +
        'text of their owners (`model`, `self.actor`): lists of two different owners are not compared, since two names can ' +
        'hold one model.',
      fixSafety: 'No fix is offered.',
      references: [
        '[tf.keras.optimizers.Optimizer.apply_gradients](https://www.tensorflow.org/api_docs/python/tf/keras/optimizers/Optimizer#apply_gradients)',
        '[tf.GradientTape.gradient](https://www.tensorflow.org/api_docs/python/tf/GradientTape#gradient)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    for (const c of m.calls) {
      if (c.method !== 'apply_gradients') continue;
      const arg = c.positional[0] ?? c.keywords.get('grads_and_vars');
      if (!arg) continue;
      const z = zipOf(m, arg);
      if (!z) continue;
      const [first, second] = z.positional;
      const firstVars = isVarList(m, first);
      const secondVars = isVarList(m, second);
      const firstGrad = gradientCall(m, first);
      const secondGrad = gradientCall(m, second);
      if ((firstVars && !secondVars && !firstGrad) || (secondGrad && !firstGrad && !secondVars)) {
        ctx.report({
          node: z.node,
          message:
            `\`${ctx.text(z.node)}\` pairs each variable with a gradient, in that order, but \`apply_gradients\` takes ` +
            `(gradient, variable) pairs: it would update the gradients with the weights as gradients. Write ` +
            `\`zip(${ctx.text(second)}, ${ctx.text(first)})\`.`,
          related: [{ node: c.node, message: 'the pairs are applied here' }],
        });
        continue;
      }
      if (!firstGrad || !secondVars) continue;
      const sources = sourcesOf(firstGrad);
      if (!sources) continue;
      const a = terms(m, sources);
      const b = terms(m, second);
      if (!a || !b) continue;
      const why = mismatch(a, b);
      if (!why) continue;
      ctx.report({
        node: z.node,
        message:
          `The gradients in \`${ctx.text(z.node)}\` were taken with respect to \`${ctx.text(sources)}\` (line ` +
          `${ctx.lineOf(firstGrad.node)}) but are paired with \`${ctx.text(second)}\`: ${why}, so gradients are applied to ` +
          'other variables than their own (and `zip` drops what is left over). Pair them with the list they were taken for.',
        related: [
          { node: firstGrad.node, message: 'the gradients are taken here' },
          { node: c.node, message: 'the pairs are applied here' },
        ],
      });
    }
  },
};
