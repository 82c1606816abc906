/**
 * AGL110 jax-grad-unpacked-as-value-and-grad: `loss, grads = jax.grad(f)(params, ...)` — `jax.grad` returns only
 * the gradient (shaped like the differentiated argument), not a `(value, gradient)` pair; unpacking it into two names
 * splits the gradient itself, and the part named `grads` is then applied to the whole of `params`. Reported when the
 * unpacked part is applied as the gradient of the whole differentiated argument (an optimizer update for it, a tree map
 * or a descent step over it). Checked against JAX's documentation, not run.
 */
import type { Rule, RuleContext } from '../rule';
import type { Binding, CallInfo } from '../semantic';
import { consumerArg, descentParams, gradientConsumer, literalInts } from '../jax';
import { field, namedChildren, unparen, type PyNode } from '../tree';

/** The `jax.grad(...)` call that made the function an applied call calls: `jax.grad(f)(x)` or `g = jax.grad(f); g(x)`. */
function gradTransform(ctx: RuleContext, c: CallInfo): CallInfo | null {
  const m = ctx.model;
  if (c.calleeCall) return c.calleeCall.qname === 'jax.grad' ? c.calleeCall : null;
  const callee = field(c.node, 'function');
  if (!callee || callee.type !== 'identifier' || !m.isUse(callee)) return null;
  const reach = m.reachingBindings(callee);
  if (reach.length !== 1 || reach[0].path.length > 0 || !reach[0].value) return null;
  const v = unparen(reach[0].value);
  const t = v.type === 'call' ? m.call(v) : undefined;
  return t && t.qname === 'jax.grad' ? t : null;
}

function bindingOf(ctx: RuleContext, target: PyNode): Binding | null {
  const m = ctx.model;
  return m.bindingsOf(ctx.text(target), m.scopeAt(target)).find((b) => b.target === target) ?? null;
}

/** Whether `expr` is (or is bound, in one plain assignment, from) a call `X.init(P)` / `opt_init(P)` with P's text. */
function stateFor(ctx: RuleContext, state: PyNode | undefined, p: string): boolean {
  if (!state) return false;
  const s = unparen(state);
  if (s.type !== 'identifier' || !ctx.model.isUse(s)) return false;
  return ctx.model.reachingBindings(s).some((b) => {
    const v = b.value ? unparen(b.value) : null;
    const c = v && v.type === 'call' ? ctx.model.call(v) : undefined;
    const arg = c ? (c.keywords.get('params') ?? c.positional[0]) : undefined;
    const isInit = !!c && (c.method === 'init' || /(?:^|_)init$/.test(ctx.text(field(c.node, 'function') ?? c.node)));
    return isInit && !!arg && ctx.text(unparen(arg)) === p;
  });
}

/**
 * Whether `p` is the parameters of a `jax.example_libraries.optimizers` triple: bound from `get_params(state)`, the
 * third function of `opt_init, opt_update, get_params = optimizers.adam(...)`.
 */
function fromGetParams(ctx: RuleContext, pNode: PyNode): boolean {
  const m = ctx.model;
  const p = unparen(pNode);
  if (p.type !== 'identifier' || !m.isUse(p)) return false;
  return m.reachingBindings(p).some((b) => {
    const v = b.value ? unparen(b.value) : null;
    const c = v && v.type === 'call' ? m.call(v) : undefined;
    const f = c ? field(c.node, 'function') : null;
    return !!f && f.type === 'identifier' && m.isUse(f) && m.reachingBindings(f).some((fb) => fb.path[0] === 2 && optimizersTriple(ctx, fb));
  });
}

function optimizersTriple(ctx: RuleContext, b: Binding): boolean {
  const v = b.value ? unparen(b.value) : null;
  const c = v && v.type === 'call' ? ctx.model.call(v) : undefined;
  return !!c && !!c.qname && c.qname.startsWith('jax.example_libraries.optimizers.');
}

/** `updates, state = tx.update(g, state)` whose `updates` are then applied to `p` (`optax.apply_updates(p, updates)`). */
function updatesAppliedTo(ctx: RuleContext, update: CallInfo, p: string): boolean {
  const m = ctx.model;
  const asg = update.node.parent;
  if (!asg || asg.type !== 'assignment' || field(asg, 'right') !== update.node) return false;
  const left = field(asg, 'left');
  const first = left && (left.type === 'pattern_list' || left.type === 'tuple_pattern') ? namedChildren(left)[0] : null;
  if (!first || first.type !== 'identifier') return false;
  const b = bindingOf(ctx, first);
  return !!b && m.usesOf(b).some((u) => {
    const list = u.parent;
    const c = list && list.type === 'argument_list' && list.parent ? m.call(list.parent) : undefined;
    const pos = c ? descentParams(c) : undefined;
    return pos !== undefined && c!.positional.indexOf(u) > pos && ctx.text(unparen(c!.positional[pos])) === p;
  });
}

/** How a use of the unpacked name is applied as the gradient of the whole of `p` (its text), or null. */
function appliedTo(ctx: RuleContext, use: PyNode, p: string, pNode: PyNode): string | null {
  const m = ctx.model;
  let n = use;
  while (n.parent && n.parent.type === 'parenthesized_expression') n = n.parent;
  const parent = n.parent;
  if (!parent) return null;
  // `p - lr * g`, `p -= lr * g`: a descent step on p.
  for (let a: PyNode | null = parent; a && a.type !== 'expression_statement' && a.type !== 'block'; a = a.parent) {
    if (a.type === 'binary_operator' || a.type === 'augmented_assignment') {
      const left = field(a, 'left');
      const op = a.children.find((c) => c.type === '-' || c.type === '-=');
      if (op && left && ctx.text(unparen(left)) === p && !(left.start <= use.start && use.end <= left.end)) return `a descent step \`${ctx.text(a)}\``;
    }
    if (a.type === 'call' || a.type === 'lambda' || a.type === 'assignment') break;
  }
  // Flax: `state.apply_gradients(grads=g)` applies g to `state.params`.
  if (parent.type === 'keyword_argument') {
    const list = parent.parent;
    const ac = list && list.type === 'argument_list' && list.parent ? m.call(list.parent) : undefined;
    const consumer = ac ? gradientConsumer(ac) : undefined;
    if (ac && consumer?.kind === 'apply' && consumer.grads!.keyword === ctx.text(field(parent, 'name') ?? parent) && ac.receiver && `${ctx.text(unparen(ac.receiver))}.params` === p) {
      return `\`${ctx.text(field(ac.node, 'function') ?? ac.node)}(grads=...)\``;
    }
    return null;
  }
  if (parent.type !== 'argument_list' || !parent.parent || parent.parent.type !== 'call') return null;
  const c = m.call(parent.parent);
  if (!c) return null;
  const i = c.positional.indexOf(n);
  const callee = ctx.text(field(c.node, 'function') ?? c.node);
  const pos = descentParams(c);
  if (pos !== undefined && i > pos && ctx.text(unparen(c.positional[pos])) === p) return `\`${callee}\` over \`${p}\``;
  const consumer = gradientConsumer(c);
  if (consumer?.kind === 'transform' && i === consumer.grads!.position) {
    const params = consumerArg(c, consumer.params);
    if ((params && ctx.text(unparen(params)) === p) || stateFor(ctx, consumerArg(c, consumer.state), p) || updatesAppliedTo(ctx, c, p)) {
      return `the optimizer update \`${callee}\` for \`${p}\``;
    }
  }
  // `opt_update(i, g, opt_state)` of jax.example_libraries.optimizers, with p = get_params(opt_state).
  const f = field(c.node, 'function');
  if (i === 1 && f && f.type === 'identifier' && m.isUse(f) && m.reachingBindings(f).some((b) => b.path[0] === 1 && optimizersTriple(ctx, b))) {
    if (fromGetParams(ctx, pNode) || stateFor(ctx, c.positional[2], p)) return `the optimizer update \`${callee}\` for \`${p}\``;
  }
  return null;
}

export const AGL110: Rule = {
  meta: {
    code: 'AGL110',
    name: 'jax-grad-unpacked-as-value-and-grad',
    summary: '`loss, grads = jax.grad(f)(params)`: `jax.grad` returns only the gradient; unpacking splits the gradient, and a part of it is applied to all of `params`.',
    framework: 'jax',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds the result of a function made by `jax.grad` (called at once, `jax.grad(f)(p, x)`, or through a name, ' +
        '`g = jax.grad(f); g(p, x)`; any import spelling, `from jax import grad as value_and_grad` included) with one ' +
        'differentiated argument (`argnums` an integer or left out, no `has_aux`) unpacked into two names, when one of those ' +
        'names is then applied as the gradient of the whole differentiated argument `p`: given to an optimizer\'s update for ' +
        '`p` (`opt.update(g, state, p)`, a state made by `opt.init(p)`, `opt_update(i, g, state)` of ' +
        '`jax.example_libraries.optimizers` with `p = get_params(state)`), to `optax.apply_updates(p, g)` or ' +
        '`jax.tree_util.tree_map(f, p, g)`, to Flax\'s `state.apply_gradients(grads=g)` when `p` is `state.params`, or used ' +
        'in a descent step `p - lr * g`.',
      whyIsThisBad:
        '`jax.grad(f)` returns a function that computes only the gradient, with the structure of the differentiated ' +
        'argument; `jax.value_and_grad(f)` is the one that returns `(value, gradient)`. `loss, grads = jax.grad(f)(p)` ' +
        'therefore unpacks the gradient itself: its first two rows, the two entries of a pair, the keys of a dict. What is ' +
        'named `grads` is a piece of the gradient (or a key) and the optimizer applies it to all of `p`: an error when the ' +
        'structures differ, a wrong step when they broadcast, and the recorded "loss" is a gradient entry.',
      example: [
        '```python',
        'loss, grads = jax.grad(loss_fn)(params, x, y)',
        'updates, opt_state = optimizer.update(grads, opt_state, params)',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'loss, grads = jax.value_and_grad(loss_fn)(params, x, y)',
        'updates, opt_state = optimizer.update(grads, opt_state, params)',
        '```',
      ].join('\n'),
      knownProblems:
        'Checked against the JAX documentation, not run (JAX is not installed where this linter is tested). Unpacking the ' +
        'gradient of a pair is correct (`gw, gb = jax.grad(f)((w, b), x)`, or `argnums=(0, 1)`), and is not reported: only ' +
        'a part applied to the whole differentiated argument (the same name) is. A gradient applied through a helper ' +
        'function, or to a differently named alias of the parameters, is not followed. A fragment that quotes only ' +
        '`loss, grads = jax.grad(f)(params)` without the update is not reported (the unpacking alone may be of a pair).',
      fixSafety: 'No fix: `jax.value_and_grad` is the likely intent, but the function may also be meant to return `(loss, aux)` (`has_aux=True`).',
      references: [
        '[jax.grad](https://docs.jax.dev/en/latest/_autosummary/jax.grad.html)',
        '[jax.value_and_grad](https://docs.jax.dev/en/latest/_autosummary/jax.value_and_grad.html)',
        '[diffmah fix: `from jax import grad as value_and_grad` replaced by jax.value_and_grad](https://github.com/ArgonneCPAC/diffmah)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    for (const c of m.calls) {
      const t = gradTransform(ctx, c);
      const aux = t?.keywords.get('has_aux');
      if (!t || (aux && ctx.text(unparen(aux)) !== 'False')) continue;
      const argnumsNode = t.keywords.get('argnums') ?? t.positional[1];
      if (argnumsNode && unparen(argnumsNode).type !== 'integer') continue;
      const argnum = argnumsNode ? literalInts(m, argnumsNode)?.[0] : 0;
      if (argnum === undefined || argnum < 0) continue;
      const pNode = c.positional[argnum];
      if (!pNode) continue;
      const pu = unparen(pNode);
      if (pu.type !== 'identifier' && pu.type !== 'attribute') continue;
      const p = ctx.text(pu);
      let top = c.node;
      while (top.parent && top.parent.type === 'parenthesized_expression') top = top.parent;
      const asg = top.parent;
      if (!asg || asg.type !== 'assignment' || field(asg, 'right') !== top) continue;
      const left = field(asg, 'left');
      if (!left || (left.type !== 'pattern_list' && left.type !== 'tuple_pattern' && left.type !== 'list_pattern')) continue;
      const targets = namedChildren(left);
      if (targets.length !== 2 || targets.some((x) => x.type !== 'identifier')) continue;
      let found: { target: PyNode; use: PyNode; how: string } | null = null;
      for (const target of targets) {
        const b = bindingOf(ctx, target);
        if (!b) continue;
        for (const u of m.usesOf(b)) {
          const how = appliedTo(ctx, u, p, pNode);
          if (how) {
            found = { target, use: u, how };
            break;
          }
        }
        if (found) break;
      }
      if (!found) continue;
      const gradText = ctx.text(field(t.node, 'function') ?? t.node);
      const names = targets.map((x) => ctx.text(x)).join(', ');
      ctx.report({
        node: c.node,
        message:
          `\`${gradText}\`${gradText === 'jax.grad' || gradText === 'grad' ? '' : ' (that is `jax.grad`)'} returns only the gradient (shaped like \`${p}\`), not a (value, gradient) pair: \`${names} = ...\` ` +
          `unpacks the gradient itself, and \`${ctx.text(found.target)}\`, one part of it, is applied as the gradient of all of ` +
          `\`${p}\` in ${found.how}. Use \`jax.value_and_grad\` to get the value and the gradient.`,
        related: [
          { node: left, message: 'the gradient is unpacked here' },
          { node: found.use, message: `a part of the gradient applied to all of \`${p}\`` },
        ],
      });
    }
  },
};
