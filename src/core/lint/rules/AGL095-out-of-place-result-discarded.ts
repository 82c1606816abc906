/**
 * AGL095 out-of-place-result-discarded: a tensor operation that returns a new tensor and changes nothing
 * (`F.relu(x)`, `torch.clamp(x, 0, 1)`, `x.masked_fill(mask, 0)` on a tensor, JAX's `x.at[i].set(v)`,
 * `jnp.clip(x, 0, 1)`, `tf.clip_by_value(x, 0, 1)`) written as a statement of its own, its result dropped, while the
 * code goes on reading the tensor it was given as if the operation had changed it. The question to the analysis: is
 * the call a pure tensor operation (library knowledge), is its operand a name or attribute read again afterwards in
 * the same function, and (for a method) is the receiver a tensor?
 */
import { isKind, Kind } from '../analysis';
import { LOOP_CARRY } from '../jax';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo } from '../semantic';
import { ancestor, field, namedChildren, unparen, walk, type PyNode } from '../tree';

/** Pure elementwise and shaping operations: they return a new tensor (or a view) and leave their input as it was. */
const PURE = [
  'relu', 'relu6', 'leaky_relu', 'elu', 'selu', 'celu', 'gelu', 'silu', 'mish', 'sigmoid', 'tanh', 'hardtanh', 'softplus',
  'softmax', 'log_softmax', 'normalize', 'clamp', 'clip', 'clamp_min', 'clamp_max', 'abs', 'neg', 'exp', 'log', 'sqrt',
  'nan_to_num', 'masked_fill', 'index_fill', 'index_add', 'index_copy', 'scatter', 'scatter_add', 'round', 'floor', 'ceil',
  'sign', 'detach', 'contiguous', 'squeeze', 'unsqueeze', 'transpose', 'permute', 'reshape', 'flatten', 'add', 'sub', 'mul',
  'div', 'pow', 'fill_diagonal', 'tril', 'triu', 'maximum', 'minimum',
];
/** `torch.<f>` / `torch.nn.functional.<f>` functions among them (`inplace=True` and `out=` excluded at the call). */
const TORCH_FUNCTIONS = new Set(PURE.flatMap((f) => [`torch.${f}`, `torch.nn.functional.${f}`]));
/** Tensor methods among them (a module's `.float()`/`.to()` change the module in place: not listed, and a method counts only on a tensor). */
const TENSOR_METHODS = new Set(PURE.filter((f) => f !== 'normalize' && f !== 'softmax' && f !== 'log_softmax' && f !== 'fill_diagonal'));
/** JAX and TensorFlow functions: their arrays are immutable, the result is the only effect. */
const ARRAY_FUNCTIONS = new Set([
  ...['clip', 'abs', 'exp', 'log', 'sqrt', 'where', 'nan_to_num', 'maximum', 'minimum', 'round', 'floor', 'ceil', 'tril', 'triu', 'fill_diagonal'].map((f) => `jax.numpy.${f}`),
  ...['relu', 'relu6', 'sigmoid', 'tanh', 'softplus', 'gelu', 'silu', 'elu', 'leaky_relu', 'softmax', 'log_softmax', 'normalize'].map((f) => `jax.nn.${f}`),
  'jax.lax.stop_gradient', 'jax.lax.clamp',
  ...['clip_by_value', 'clip_by_norm', 'stop_gradient', 'abs', 'exp', 'sqrt', 'maximum', 'minimum', 'where', 'tensor_scatter_nd_update', 'tensor_scatter_nd_add'].map((f) => `tensorflow.${f}`),
  ...['relu', 'relu6', 'sigmoid', 'tanh', 'softplus', 'elu', 'selu', 'leaky_relu', 'softmax', 'log_softmax', 'l2_normalize'].map((f) => `tensorflow.nn.${f}`),
  ...['abs', 'exp', 'log', 'sqrt', 'maximum', 'minimum', 'sigmoid', 'tanh', 'l2_normalize'].map((f) => `tensorflow.math.${f}`),
]);
/** JAX's functional updates: `x.at[idx].set(v)` returns the updated copy. */
const AT_UPDATES = new Set(['set', 'add', 'multiply', 'mul', 'divide', 'power', 'min', 'max', 'apply', 'subtract']);

/**
 * Conversions that make a new tensor of their argument (`torch.Tensor(acc[i])`, `torch.tensor(x)`, `torch.as_tensor(a)`,
 * `torch.from_numpy(a)`): an out-of-place operation on their result was meant for the argument.
 */
const CONVERSIONS = new Set(['torch.Tensor', 'torch.FloatTensor', 'torch.tensor', 'torch.as_tensor', 'torch.from_numpy']);

/** The operand a conversion wraps (`torch.Tensor(acc[i])` → `acc[i]`), or the operand itself. */
function unwrapConversion(ctx: RuleContext, n: PyNode): PyNode {
  let u = unparen(n);
  for (let i = 0; i < 3 && u.type === 'call'; i++) {
    const c = ctx.model.call(u);
    if (!c?.qname || !CONVERSIONS.has(c.qname) || c.positional.length !== 1) break;
    u = unparen(c.positional[0]);
  }
  return u;
}

/** Arithmetic operators whose result is a new tensor (`acc + g ** 2` as a statement drops the sum). */
const ARITHMETIC = new Set(['+', '-', '*', '/', '**', '@']);

/**
 * `acc + g ** 2` written as a statement of its own, when an operand is a tensor: the sum is dropped. The operand it
 * was meant to change is the left one.
 */
function droppedArithmetic(ctx: RuleContext, e: PyNode): { operand: PyNode; what: string } | null {
  if (e.type !== 'binary_operator') return null;
  const op = field(e, 'operator');
  const left = field(e, 'left');
  const right = field(e, 'right');
  if (!op || !left || !right || !ARITHMETIC.has(ctx.text(op))) return null;
  if (!ctx.model.fileFact('torch-word')) return null;
  const tensor = (n: PyNode) => {
    const v = ctx.analysis.valueOf(unparen(n));
    return v !== undefined && v.kind === Kind.TENSOR && isKind(v, Kind.TENSOR);
  };
  if (!tensor(left) && !tensor(right) && !tensor(e)) return null;
  return { operand: left, what: ` ${ctx.text(op)} ` };
}

/** The operand a dropped pure call was meant to change, and how the call reads; null when the call is not one. */
function droppedPureCall(ctx: RuleContext, c: CallInfo): { operand: PyNode; what: string } | null {
  const q = c.qname;
  if (q !== null && (TORCH_FUNCTIONS.has(q) || ARRAY_FUNCTIONS.has(q))) {
    if (c.keywords.has('out') || c.hasKwargs || c.hasStarArgs) return null;
    const inplace = c.keywords.get('inplace');
    if (inplace && ctx.text(inplace) !== 'False') return null;
    if (q === 'torch.nn.functional.dropout' || !c.positional[0]) return null;
    return { operand: c.positional[0], what: q.slice(q.lastIndexOf('.') + 1) };
  }
  if (c.method === null || !c.receiver || q !== null) return null;
  const recv = unparen(c.receiver);
  // `x.at[i].set(v)`: the receiver is the subscript of `x.at`.
  if (AT_UPDATES.has(c.method) && recv.type === 'subscript') {
    const at = field(recv, 'value');
    const atU = at ? unparen(at) : null;
    if (atU?.type === 'attribute' && ctx.text(field(atU, 'attribute')!) === 'at' && ctx.model.fileFact('jax-import')) {
      const obj = field(atU, 'object');
      return obj ? { operand: obj, what: `.at[...].${c.method}` } : null;
    }
    return null;
  }
  if (!TENSOR_METHODS.has(c.method) || !ctx.model.fileFact('torch-word')) return null;
  const v = ctx.analysis.valueOf(recv);
  if (!v || v.kind !== Kind.TENSOR || !isKind(v, Kind.TENSOR)) return null;
  return { operand: recv, what: `.${c.method}` };
}

/**
 * JAX's functional training updates: `optax.apply_updates(params, updates)` and `eqx.apply_updates(model, updates)`
 * return the new parameters, a Flax `TrainState.apply_gradients(grads=...)` returns the new state; nothing is changed
 * in place, so the dropped result is the whole step.
 */
const APPLY_UPDATES = new Set(['optax.apply_updates', 'equinox.apply_updates']);
/**
 * A dropped functional update of JAX training state: the parameters (or state) it was given, how the call reads, and
 * whether a later read of them is needed to report it (a loop's carry: a Pallas kernel loops over refs for their
 * effect, with a carry nobody reads).
 */
function droppedJaxUpdate(ctx: RuleContext, c: CallInfo): { operands: PyNode[]; what: string; loop: boolean } | null {
  if (!ctx.model.fileFact('jax-import')) return null;
  const q = c.qname;
  if (q !== null && APPLY_UPDATES.has(q)) {
    return c.positional[0] && !c.hasStarArgs ? { operands: [c.positional[0]], what: q.slice(q.lastIndexOf('.') + 1), loop: false } : null;
  }
  if (q !== null && LOOP_CARRY.has(q)) {
    const { index, keyword } = LOOP_CARRY.get(q)!;
    const init = c.keywords.get(keyword) ?? c.positional[index];
    if (!init || c.hasStarArgs || c.hasKwargs) return null;
    const u = unparen(init);
    const items = u.type === 'tuple' || u.type === 'list' ? namedChildren(u).map(unparen) : [u];
    const operands = items.filter((n) => n.type === 'identifier' || n.type === 'attribute');
    // Refs (Pallas kernels write them from the body) are changed by the loop itself.
    if (operands.length === 0 || operands.some((n) => /_ref$|^refs?$/i.test(ctx.text(n)))) return null;
    return { operands, what: q.slice(q.lastIndexOf('.') + 1), loop: true };
  }
  // Flax's `state.apply_gradients(grads=grads)` (keyword-only); Keras' `optimizer.apply_gradients(zip(...))` and an
  // `nnx.Optimizer`, which update in place, are not it.
  if (c.method === 'apply_gradients' && c.receiver && c.positional.length === 0 && c.keywords.has('grads') && !c.hasKwargs) {
    const recv = unparen(c.receiver);
    if ((recv.type !== 'identifier' && recv.type !== 'attribute') || /optim/i.test(ctx.text(recv))) return null;
    const made = ctx.model.valuesBoundTo(recv, false);
    if (made.some((v) => v?.type === 'call' && /Optimizer\b/.test(ctx.text(field(v, 'function') ?? v)))) return null;
    return { operands: [recv], what: 'apply_gradients', loop: false };
  }
  return null;
}

/** The statements where a dropped result is deliberate: a test, a timing or warm-up loop, a check that a call raises. */
function deliberate(ctx: RuleContext, stmt: PyNode): boolean {
  for (let p: PyNode | null = stmt.parent; p; p = p.parent) {
    if (p.type === 'try_statement') return true;
    if (p.type === 'with_statement' && /\b(?:raises|assertRaises\w*|warns|profile|profiler|record_function|timer|Timer)\b/.test(ctx.text(p).split('\n')[0]!)) return true;
    if (p.type === 'function_definition') {
      const name = field(p, 'name');
      if (name && /^(?:test|bench|time|warm)/i.test(ctx.text(name))) return true;
    }
    if (p.type === 'class_definition') {
      const name = field(p, 'name');
      if (name && /^Test|Test$|Benchmark/.test(ctx.text(name))) return true;
    }
  }
  return false;
}

/** A later read of `operand`'s text (a name, an attribute chain, a constant item `params['w']`) in the same function or module body. */
function readAfter(ctx: RuleContext, stmt: PyNode, operand: PyNode): PyNode | null {
  const text = ctx.text(operand);
  let scope: PyNode | null = stmt.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  if (!scope) return null;
  let found: PyNode | null = null;
  const root = scope;
  walk(root, (n) => {
    if (found || n.end <= stmt.end) return false;
    if (n.start < stmt.end) return true; // an ancestor of the statement: look at what follows it
    if (n.type === operand.type && ctx.text(n) === text) {
      // A rebinding (`x = ...`) is not a read of the old value.
      const parent = n.parent;
      const isTarget = parent?.type === 'assignment' && field(parent, 'left') === n;
      if (!isTarget) found = n;
      return false;
    }
    return n.type !== 'function_definition' && n.type !== 'class_definition';
  });
  return found;
}

export const AGL095: Rule = {
  meta: {
    code: 'AGL095',
    name: 'out-of-place-result-discarded',
    summary: 'An out-of-place tensor operation is called for its effect: the result is dropped and the tensor read afterwards is unchanged.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a statement that is only a call of a tensor operation that returns a new tensor — an activation ' +
        '(`F.relu(x)`, `torch.sigmoid(x)`, `F.relu(x, inplace=False)`), a clamp or mask (`torch.clamp(x, 0, 1)`, ' +
        '`x.masked_fill(mask, 0)`, `x.clamp(min=0)` on a tensor), a normalisation (`F.normalize(x)`), JAX\'s functional ' +
        'update `x.at[i].set(v)` and `jnp.clip(x, 0, 1)`, TensorFlow\'s `tf.clip_by_value(x, 0, 1)` or `tf.nn.relu(x)`, an ' +
        'accumulation written out of place (`torch.add(acc[i], g ** 2)`, `acc.add(g * g)`, `total + g.pow(2).sum()` on a ' +
        'tensor, also through a conversion `torch.add(torch.Tensor(acc[i]), ...)`) — whose result is dropped, when the tensor ' +
        'it was given (or the container of the item it was given) is read again later in the same function. Also JAX\'s ' +
        'functional training updates dropped: `optax.apply_updates(params, updates)`, `eqx.apply_updates(model, updates)` and ' +
        'a Flax `state.apply_gradients(grads=grads)` as statements (the new parameters or state are their only result), and ' +
        'a `jax.lax.fori_loop`/`scan`/`while_loop` whose final carry is dropped while an array of its initial carry is ' +
        'read afterwards.',
      whyIsThisBad:
        'These operations do not change their input: they return a new tensor. Written as a statement, the new tensor is ' +
        'thrown away, and the code below computes the loss and its gradient from the unchanged tensor: the activation, ' +
        'clamp or mask simply is not there (the gradient of `x.sum()` is all ones instead of the ReLU mask). JAX and ' +
        'TensorFlow arrays are immutable, so there `x.at[i].set(v)` and `tf.clip_by_value(x, ...)` never change `x`. ' +
        'Nothing raises; training runs on a different model than the one written. Likewise `optax.apply_updates` and ' +
        'Flax\'s `TrainState.apply_gradients` return the updated parameters/state (a `TrainState` is immutable: "Returns an ' +
        'updated instance of `self`"), and `lax.fori_loop` returns "the loop value from the final iteration": dropped, the ' +
        'step or the loop never happened, and the loss (and its gradient) is computed from the old values.',
      example: [
        '```python',
        'h = layer(x)',
        'F.relu(h)                  # result dropped: h is not rectified',
        'loss = h.sum()',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'h = layer(x)',
        'h = F.relu(h)',
        'loss = h.sum()',
        '```',
      ].join('\n'),
      knownProblems:
        'Only operations from a list (activations, clamps, masks, normalisation, shaping, arithmetic methods) and, for a ' +
        'method, only on a value the analysis knows to be a tensor: a module\'s `.float()` or `.to()`, which change the module ' +
        'in place, are never reported. Statements in tests, benchmarks and warm-up functions, inside `try` or ' +
        '`with pytest.raises(...)`/a profiler are left alone (a dropped result is deliberate there), and so is a call whose ' +
        'operand is not read afterwards (dead code, not a wrong gradient); at module level, only an operand the module itself ' +
        'assigns (not an imported name). A method or an arithmetic statement counts only when the analysis knows an operand ' +
        'is a tensor, so `acc[n].add(g)` on a dict it cannot follow, and a fragment with no `import torch`, are missed. ' +
        'In a notebook, a call or arithmetic at the top level of a cell ' +
        'displays its result and is not reported. `apply_gradients` counts only with the keyword `grads=` and no positional ' +
        'argument (Keras\' and TensorFlow\'s optimizers take `zip(grads, vars)` and update in place) on a receiver that is ' +
        'not an optimizer (`nnx.Optimizer` updates in place); a dropped loop counts only when an array of its initial carry ' +
        '(not a Pallas `*_ref`) is read after it.',
      fixSafety: 'No automatic fix: assigning the result back (`x = F.relu(x)`) is usually meant, but a view or another name may be.',
      references: [
        '[torch.nn.functional.relu](https://pytorch.org/docs/stable/generated/torch.nn.functional.relu.html)',
        '[JAX: in-place updates (`.at`)](https://jax.readthedocs.io/en/latest/_autosummary/jax.numpy.ndarray.at.html)',
        '[optax.apply_updates](https://optax.readthedocs.io/en/latest/api/apply_updates.html)',
        '[flax.training.train_state.TrainState.apply_gradients](https://flax.readthedocs.io/en/latest/api_reference/flax.training.html)',
        '[jax.lax.fori_loop](https://jax.readthedocs.io/en/latest/_autosummary/jax.lax.fori_loop.html)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    const notebook = (ctx.path ?? '').endsWith('.ipynb');
    // Test files call operations to see that they run or leave their input alone.
    if (/(?:^|[\\/])benchmarks?[\\/]|(?:^|[\\/])(?:test_[^\\/]*|[^\\/]*_test|conftest)\.py$/.test(ctx.path ?? '')) return;
    const dropped: { node: PyNode; stmt: PyNode; hit: { operand: PyNode; what: string } }[] = [];
    for (const c of m.calls) {
      const stmt = c.node.parent;
      if (!stmt || stmt.type !== 'expression_statement' || stmt.children.length !== 1) continue;
      const hit = droppedPureCall(ctx, c);
      if (hit) dropped.push({ node: c.node, stmt, hit });
    }
    walk(ctx.tree.root, (n) => {
      if (n.type !== 'expression_statement') return true;
      const e = n.children.length === 1 ? n.children[0]! : null;
      const hit = e ? droppedArithmetic(ctx, e) : null;
      if (e && hit) dropped.push({ node: e, stmt: n, hit });
      return false;
    });
    for (const c of m.calls) {
      const stmt = c.node.parent;
      if (!stmt || stmt.type !== 'expression_statement' || stmt.children.length !== 1) continue;
      if (notebook && stmt.parent?.type === 'module') continue;
      const hit = droppedJaxUpdate(ctx, c);
      if (!hit || ancestor(stmt, (n) => n.type === 'try_statement')) continue;
      const later = hit.operands.map((o) => readAfter(ctx, stmt, o)).find((n) => n) ?? null;
      if (hit.loop && (!later || ancestor(later, (n) => n.type === 'assert_statement'))) continue;
      const names = hit.operands.map((o) => `\`${ctx.text(o)}\``).join(', ');
      const callText = ctx.text(c.node).replace(/\s+/g, ' ');
      ctx.report({
        node: c.node,
        message: hit.loop
          ? `\`${callText.slice(0, 60)}\` returns the final loop carry and leaves ${names} unchanged (JAX arrays are immutable), but its result ` +
            `is dropped: \`${ctx.text(later!)}\` read at line ${ctx.lineOf(later!)} still holds the initial values, so what is computed from it ` +
            `(a loss, its gradient) ignores the loop. Assign the result (\`${hit.operands.map((o) => ctx.text(o)).join(', ')} = ${hit.what}(...)\`).`
          : `\`${callText.slice(0, 60)}\` returns the updated ${hit.what === 'apply_gradients' ? 'train state' : 'parameters'} and changes nothing in place ` +
            `(JAX arrays and Flax/Optax states are immutable), but its result is dropped: ${names} keeps its old values` +
            (later ? ` (\`${ctx.text(later)}\` at line ${ctx.lineOf(later)})` : '') +
            `, so the gradient step is lost and training never moves. Assign the result` +
            (/^[\w.]+$/.test(ctx.text(hit.operands[0]!)) ? ` (\`${ctx.text(hit.operands[0]!)} = ...\`).` : ' to the parameters it updates.'),
        related: later ? [{ node: later, message: `\`${ctx.text(later)}\` is read here, unchanged` }] : [],
      });
    }
    for (const { node, stmt, hit } of dropped) {
      if (notebook && stmt.parent?.type === 'module') continue;
      const operand = unwrapConversion(ctx, hit.operand);
      if (operand.type !== 'identifier' && operand.type !== 'attribute' && !(operand.type === 'subscript' && /^[\w.]+\[\s*(?:'\w+'|"\w+"|\d+|[A-Za-z_]\w*)\s*\]$/.test(ctx.text(operand)))) continue;
      if (deliberate(ctx, stmt)) continue;
      // At module level, only a name the module itself assigns (an imported tensor's later reads may sit in statements the
      // re-lint by groups does not join to this one).
      if (!ancestor(stmt, (n) => n.type === 'function_definition')) {
        let root = operand;
        while (root.type === 'attribute' || root.type === 'subscript') root = unparen(field(root, root.type === 'attribute' ? 'object' : 'value') ?? root);
        if (root.type !== 'identifier' || !m.isUse(root)) continue;
        const bs = m.reachingBindings(root);
        if (bs.length === 0 || bs.some((b) => b.kind === 'import' || b.kind === 'param')) continue;
      }
      // An item of a container (`acc[i]`, `self.fisher[k]`): a later read of the item or of the container.
      const base = operand.type === 'subscript' ? unparen(field(operand, 'value') ?? operand) : null;
      const later = readAfter(ctx, stmt, operand) ?? (base && (base.type === 'identifier' || base.type === 'attribute') ? readAfter(ctx, stmt, base) : null);
      if (!later) continue;
      // `F.relu(x)` then `assert x[0] == -1`: a check that the input is left alone.
      if (ancestor(later, (n) => n.type === 'assert_statement')) continue;
      const name = ctx.text(operand);
      ctx.report({
        node,
        message:
          `\`${ctx.text(node).replace(/\s+/g, ' ').slice(0, 60)}\` returns a new tensor and does not change \`${name}\`, but its result is ` +
          `dropped: \`${ctx.text(later)}\` read at line ${ctx.lineOf(later)} still holds the values from before the \`${hit.what}\`, and what is ` +
          `computed from it (a loss, its gradient) goes without the \`${hit.what}\`. Assign the result (\`${name} = ...\`).`,
        related: [{ node: later, message: `\`${ctx.text(later)}\` is read here, unchanged` }],
      });
    }
  },
};
