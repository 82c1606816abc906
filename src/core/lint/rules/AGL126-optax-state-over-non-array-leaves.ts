/**
 * AGL126 optax-state-over-non-array-leaves: an Optax optimizer's state is initialised (`optim.init(model)`) on a whole
 * Equinox model that holds leaves that are not arrays — an `eqx.nn.MLP` (its activation functions), an
 * `eqx.nn.Sequential`/`eqx.nn.Lambda` of `jax.nn.relu`, a module of this file that stores a function in a field or a
 * list of layers — or such a model is passed as `params` to an `update` that reads them (`adamw`, `MultiSteps`, ...).
 * Optax maps `jnp.zeros_like` over every leaf and raises `TypeError: zeros_like requires ndarray or scalar arguments,
 * got <class 'jax._src.custom_derivatives.custom_jvp'>`; Equinox's FAQ answer is `optim.init(eqx.filter(model,
 * eqx.is_inexact_array))`. Grounded in the FAQ and the maintainer's answers (patrick-kidger/equinox#105, #257, #590),
 * not run (JAX is not installed here).
 */
import type { Rule, RuleContext } from '../rule';
import { argumentForParam, type CallInfo, type SemanticModel } from '../semantic';
import { field, namedChildren, unparen, walk, type PyNode } from '../tree';

/** Equinox layers whose fields hold functions (`eqx.nn.MLP`'s `activation` and `final_activation`). */
const FUNCTION_HOLDING_LAYERS = new Map([
  ['equinox.nn.MLP', 'an `eqx.nn.MLP`, whose `activation` and `final_activation` fields are functions'],
  ['equinox.nn.Lambda', 'an `eqx.nn.Lambda`, whose field is the function it wraps'],
]);

/** Optimizers whose `update` reads `params` (weight decay, wrappers that pass them on). */
const READS_PARAMS = /\b(?:adamw|lamb|lars|lion|add_decayed_weights|MultiSteps|lookahead|masked|weight_decay|lbfgs|polyak_sgd)\b/;

/** A function object written as a value: `jax.nn.relu`, `jnp.ravel`, `nn.relu` (from jax), a lambda, a local `def`. */
function functionReference(m: SemanticModel, n: PyNode): boolean {
  const u = unparen(n);
  if (u.type === 'lambda') return true;
  if (u.type !== 'identifier' && u.type !== 'attribute') return false;
  const q = m.qualifiedName(u);
  if (q && /^jax\.(?:nn|numpy|lax|scipy\.special)\.\w+$/.test(q) && !/^jax\.numpy\.(?:pi|e|inf|nan|newaxis|float\d*|int\d*|bfloat16|complex\d*|uint\d*|bool_?)$/.test(q)) return true;
  if (u.type === 'identifier' && m.isUse(u)) {
    const reach = m.reachingBindings(u);
    return reach.length > 0 && reach.every((b) => b.kind === 'def');
  }
  return false;
}

/** Field names a class declares static (`eqx.field(static=True)`, `eqx.static_field()`): their values are no leaves. */
function staticFields(ctx: RuleContext, cls: PyNode): Set<string> {
  const out = new Set<string>();
  const body = field(cls, 'body');
  for (const stmt of body ? namedChildren(body) : []) {
    const a = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : null;
    if (a?.type !== 'assignment') continue;
    const left = field(a, 'left');
    const right = field(a, 'right');
    if (left?.type === 'identifier' && right && /static\s*=\s*True|static_field\s*\(/.test(ctx.text(right))) out.add(ctx.text(left));
  }
  return out;
}

/** Whether `cls` derives from `eqx.Module`, directly or through a class of this file. */
function isEquinoxModule(m: SemanticModel, cls: PyNode, depth = 0): boolean {
  const sup = field(cls, 'superclasses');
  for (const b of sup ? namedChildren(sup) : []) {
    if (m.qualifiedName(b) === 'equinox.Module') return true;
    const local = depth < 3 ? m.localClassOf(b) : null;
    if (local && isEquinoxModule(m, local, depth + 1)) return true;
  }
  return false;
}

/** The first non-array leaf a model value visibly holds, with a description; null when none is seen. */
function nonArrayLeaf(ctx: RuleContext, value: PyNode, depth = 0): { node: PyNode; what: string } | null {
  const m = ctx.model;
  const u = unparen(value);
  if (depth > 3) return null;
  if (u.type === 'list' || u.type === 'tuple') {
    for (const item of namedChildren(u)) {
      if (functionReference(m, item)) return { node: item, what: `the function \`${ctx.text(item)}\`` };
      const inner = nonArrayLeaf(ctx, item, depth + 1);
      if (inner) return inner;
    }
    return null;
  }
  if (functionReference(m, u)) return { node: u, what: `the function \`${ctx.text(u)}\`` };
  if (u.type !== 'call') return null;
  const c = m.call(u);
  if (!c) return null;
  const known = c.qname ? FUNCTION_HOLDING_LAYERS.get(c.qname) : undefined;
  if (known) return { node: u, what: known };
  if (c.qname === 'equinox.nn.Sequential') {
    const layers = c.positional[0] ?? c.keywords.get('layers');
    return layers ? nonArrayLeaf(ctx, layers, depth + 1) : null;
  }
  const callee = field(u, 'function');
  const cls = m.localClassOf(callee ? unparen(callee) : null);
  if (!cls || !isEquinoxModule(m, cls)) return null;
  const statics = staticFields(ctx, cls);
  let found: { node: PyNode; what: string } | null = null;
  const body = field(cls, 'body');
  if (!body) return null;
  walk(body, (n) => {
    if (found) return false;
    if (n.type === 'class_definition') return false;
    if (n.type !== 'assignment') return true;
    const left = field(n, 'left');
    const right = field(n, 'right');
    if (!left || !right) return false;
    // `self.layers = [...]` in a method, or a class-level default `act: Callable = jax.nn.relu`.
    const fieldName =
      left.type === 'attribute' && ctx.text(field(left, 'object') ?? left) === 'self'
        ? ctx.text(field(left, 'attribute') ?? left)
        : left.type === 'identifier' && n.parent?.parent === body
          ? ctx.text(left)
          : null;
    if (!fieldName || statics.has(fieldName)) return false;
    const leaf = nonArrayLeaf(ctx, right, depth + 1);
    if (leaf) found = { node: leaf.node, what: `field \`${fieldName}\` of \`${ctx.text(field(cls, 'name') ?? cls)}\` holding ${leaf.what.replace(/^the /, 'the ')}` };
    return false;
  });
  return found;
}

/** An Optax optimizer a receiver is visibly built as, with the whole construction's text (following names it wraps). */
function optaxOptimizer(ctx: RuleContext, recv: PyNode): { text: string; stateless: boolean } | null {
  const m = ctx.model;
  const texts: string[] = [];
  let outer: CallInfo | null = null;
  const follow = (expr: PyNode, depth: number): boolean => {
    const vals = m.valuesBoundTo(expr, true);
    if (vals.length === 0 || vals.some((v) => !v || v.type !== 'call')) return false;
    for (const v of vals) {
      const c = m.call(v!);
      if (!c?.qname?.startsWith('optax.')) return false;
      if (depth === 0) outer = c;
      texts.push(ctx.text(v!));
      if (depth < 3) for (const a of c.positional) if (unparen(a).type === 'identifier') follow(a, depth + 1);
    }
    return true;
  };
  if (!follow(recv, 0) || !outer) return null;
  const o: CallInfo = outer;
  // `optax.sgd(lr)` without momentum keeps no per-parameter state (EmptyState): initialising it on a model works.
  const stateless = o.qname === 'optax.sgd' && o.positional.length <= 1 && !o.keywords.has('momentum') && !o.hasKwargs;
  return { text: texts.join('\n'), stateless };
}

/**
 * The values a model expression is bound to; a parameter of a function of the file (`def train_step(model, ...)`)
 * takes the arguments of its call sites. Empty when any value is out of view.
 */
function modelValues(m: SemanticModel, arg: PyNode, depth = 0): PyNode[] {
  const u = unparen(arg);
  if (u.type === 'identifier' && m.isUse(u)) {
    const out: PyNode[] = [];
    for (const b of m.reachingBindings(u)) {
      if (b.kind === 'param' && b.param && depth < 2) {
        const sites = b.param.fn.callSites;
        if (sites.length === 0) return [];
        for (const site of sites) {
          const a = argumentForParam(site, b);
          const vs = a ? modelValues(m, a, depth + 1) : [];
          if (vs.length === 0) return [];
          out.push(...vs);
        }
      } else if (b.value && b.kind === 'assign' && b.path.length === 0) out.push(unparen(b.value));
      else return [];
    }
    return out;
  }
  const vals = m.valuesBoundTo(u, true);
  return vals.some((v) => !v) ? [] : (vals as PyNode[]);
}

export const AGL126: Rule = {
  meta: {
    code: 'AGL126',
    name: 'optax-state-over-non-array-leaves',
    summary:
      'An Optax optimizer is initialised (or updated with `params`) on a whole Equinox model that holds functions as leaves (an `eqx.nn.MLP`, a list of layers with `jax.nn.relu`): Optax raises a TypeError; filter the model to its arrays.',
    framework: 'jax',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `optim.init(model)` where `optim` is built by Optax with per-parameter state (`optax.adam`, `adamw`, ' +
        '`adabelief`, `sgd(..., momentum=...)`, a `chain` or `MultiSteps` of them) and `model` is an Equinox model that ' +
        'visibly holds non-array leaves: an `eqx.nn.MLP` (its activation functions are fields), an `eqx.nn.Lambda`, an ' +
        '`eqx.nn.Sequential` listing `jax.nn.relu`, or an `eqx.Module` of the file that stores a function (or a list ' +
        'with one) in a field that is not declared static. Also `optim.update(grads, opt_state, model)` with such a model ' +
        'when the optimizer reads `params` (weight decay in `adamw`, `MultiSteps`).',
      whyIsThisBad:
        'An Equinox model is a PyTree whose leaves are everything it stores, functions included. Optax builds its state ' +
        'by mapping `jnp.zeros_like` over every leaf and fails on the activation function: `TypeError: zeros_like requires ' +
        "ndarray or scalar arguments, got <class 'jax._src.custom_derivatives.custom_jvp'>`. Equinox's FAQ: \"Optax can " +
        "only optimise floating-point JAX arrays. It's not meaningful to ask Optax to optimise whichever other arbitrary " +
        'Python objects may be a part of your model (e.g. the activation function of an eqx.nn.MLP)." The same holds for ' +
        'the `params` given to an `update` that reads them.',
      example: [
        '```python',
        'model = eqx.nn.MLP(2, 2, 2, 2, key=jr.PRNGKey(0))',
        'optim = optax.adam(0.1)',
        'opt_state = optim.init(model)  # TypeError: zeros_like requires ndarray or scalar arguments',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'opt_state = optim.init(eqx.filter(model, eqx.is_inexact_array))',
        'updates, opt_state = optim.update(grads, opt_state, eqx.filter(model, eqx.is_inexact_array))',
        'model = eqx.apply_updates(model, updates)',
        '```',
      ].join('\n'),
      knownProblems:
        'Only a model whose construction is in view (a name bound to `eqx.nn.MLP(...)`, `eqx.nn.Sequential([...])` or a ' +
        'class of the file derived from `eqx.Module`) and an optimizer built by an `optax.` call in view are checked; a ' +
        'model of arrays only (`eqx.nn.Linear`, a GRU cell) initialises fine and is not reported, nor is a plain ' +
        '`optax.sgd(lr)`, which keeps no state. Library models (a Levanter/Haliax model) are not followed.',
      fixSafety: 'No automatic fix.',
      references: [
        '[Equinox FAQ: Optax throwing a TypeError](https://docs.kidger.site/equinox/faq/)',
        '[patrick-kidger/equinox#257](https://github.com/patrick-kidger/equinox/issues/257)',
        '[patrick-kidger/equinox#590 (update with the unfiltered model)](https://github.com/patrick-kidger/equinox/issues/590)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    if (!m.fileFact('jax-import')) return;
    for (const c of m.calls) {
      if (!c.receiver || c.hasStarArgs || c.hasKwargs) continue;
      const isInit = c.method === 'init' && c.positional.length === 1 && c.keywords.size === 0;
      const params = c.method === 'update' ? (c.positional[2] ?? c.keywords.get('params')) : undefined;
      if (!isInit && !params) continue;
      const arg = unparen(isInit ? c.positional[0]! : params!);
      if (arg.type !== 'identifier' && arg.type !== 'attribute') continue;
      const recv = unparen(c.receiver);
      if (recv.type !== 'identifier' && recv.type !== 'attribute') continue;
      const opt = optaxOptimizer(ctx, recv);
      if (!opt || (isInit && opt.stateless) || (!isInit && !READS_PARAMS.test(opt.text))) continue;
      const vals = modelValues(m, arg);
      if (vals.length === 0) continue;
      let leaf: { node: PyNode; what: string } | null = null;
      for (const v of vals) if ((leaf = nonArrayLeaf(ctx, v))) break;
      if (!leaf) continue;
      const name = ctx.text(arg);
      ctx.report({
        node: c.node,
        message:
          `\`${ctx.text(c.node).replace(/\s+/g, ' ').slice(0, 60)}\` ${isInit ? 'builds Optax state over' : 'gives Optax as `params`'} every leaf of \`${name}\`, ` +
          `but \`${name}\` holds leaves that are not arrays (${leaf.what}): Optax can only optimise floating-point arrays and raises ` +
          `\`TypeError: zeros_like requires ndarray or scalar arguments\` (or cannot interpret the function as an array). ` +
          `Pass \`eqx.filter(${name}, eqx.is_inexact_array)\` instead.`,
        related: [{ node: leaf.node, message: 'a leaf that is not an array' }],
      });
    }
  },
};
