/**
 * AGL117 loss-marked-requires-grad: a computed loss is made to require grad just before it is backpropagated (or
 * returned by a loss function): `loss.requires_grad = True`, `loss = torch.tensor(loss, requires_grad=True)`,
 * `loss = Variable(loss, requires_grad=True)`. It is the patch users apply to "element 0 of tensors does not require
 * grad and does not have a grad_fn", and it never trains anything:
 *   - the attribute form raises "you can only change requires_grad flags of leaf variables" on a loss that has a
 *     graph, so when it runs the loss has none: its graph was cut on the way, and backward reaches this leaf only;
 *   - the re-wrapping forms copy the value into a new leaf without history, whatever graph the loss had, so the
 *     parameters it was computed from get no gradient (measured: test/fixtures/lint/AGL117/bad.py).
 * The question is syntactic: is the marked value computed (not a tensor factory or a literal), and is the marked
 * value itself what `.backward()` is called on (or what a loss-named function returns)? A mark under a test of
 * `requires_grad`/`grad_fn`/`isinstance` is a deliberate fallback (a batch with no valid target) and is left alone;
 * so is `requires_grad_()`, which does nothing on a loss that already requires grad. A leaf made inline inside a loss
 * expression (`criterion(torch.tensor(preds, requires_grad=True), y)`) is reported whatever its data (but literals):
 * nobody can read its gradient.
 */
import type { Rule, RuleContext } from '../rule';
import type { Binding, SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';

/** Calls that make a fresh tensor from data or a shape: a leaf marked after them is a leaf on purpose. */
const FACTORIES = new Set([
  'torch.tensor', 'torch.Tensor', 'torch.FloatTensor', 'torch.DoubleTensor', 'torch.LongTensor', 'torch.as_tensor', 'torch.from_numpy',
  'torch.randn', 'torch.rand', 'torch.randint', 'torch.zeros', 'torch.ones', 'torch.empty', 'torch.full', 'torch.arange', 'torch.linspace',
  'torch.eye', 'torch.normal', 'torch.randn_like', 'torch.rand_like', 'torch.zeros_like', 'torch.ones_like', 'torch.empty_like', 'torch.full_like',
  'torch.nn.Parameter', 'torch.autograd.Variable', 'torch.load',
]);

/** Factories that copy data they are given: computed when that data is. */
const CONVERSIONS = new Set(['torch.tensor', 'torch.Tensor', 'torch.FloatTensor', 'torch.DoubleTensor', 'torch.as_tensor', 'torch.from_numpy', 'torch.autograd.Variable']);

/** Re-wrapping calls that take a value and a `requires_grad` keyword: a new leaf without the value's history. */
const REWRAPS = new Set(['torch.tensor', 'torch.autograd.Variable']);

/** Methods that return a tensor with the receiver's history (so the chain's result is still the new leaf). */
const PASS_THROUGH = new Set(['to', 'cuda', 'cpu', 'float', 'double', 'unsqueeze', 'squeeze', 'view', 'reshape', 'mean', 'sum', 'type', 'contiguous']);

const LOSS_NAME = /loss|cost|objective|criterion/i;
const GUARD_TEST = /requires_grad|grad_fn|is_leaf|isinstance|is_tensor|hasattr/;

/** Literal data (`0.0`, `[1.0, 2.0]`): a constant, not a copy of anything. */
function literalData(e: PyNode): boolean {
  const x = unparen(e);
  if (x.type === 'integer' || x.type === 'float' || x.type === 'string' || x.type === 'true' || x.type === 'false') return true;
  if (x.type === 'unary_operator') return namedChildren(x).every(literalData);
  if (x.type === 'list' || x.type === 'tuple') return namedChildren(x).every(literalData);
  return false;
}

/** Whether `expr` is a value the code computed (a call that is not a factory, arithmetic on one, an item of one). */
function computed(m: SemanticModel, expr: PyNode | null, depth = 0, seen = new Set<number>()): boolean {
  if (!expr || depth > 5) return false;
  const e = unparen(expr);
  if (seen.has(e.id)) return false;
  seen.add(e.id);
  switch (e.type) {
    case 'identifier': {
      if (!m.isUse(e)) return false;
      return m.reachingBindings(e).some((b) => bindingComputed(m, b, depth + 1, seen));
    }
    case 'call': {
      const c = m.call(e);
      if (!c) return false;
      // A copy of computed data (`torch.tensor([p.item() for p in pred])`) holds computed values without their history.
      if (c.qname && CONVERSIONS.has(c.qname)) return computed(m, c.positional[0] ?? null, depth + 1, seen);
      if (c.qname && FACTORIES.has(c.qname)) return false;
      // A method of a computed value keeps it computed; a factory-made value's methods (`torch.zeros(3).cuda()`) do not.
      if (c.method && c.receiver) {
        const r = unparen(c.receiver);
        if (r.type === 'call' || r.type === 'identifier' || r.type === 'subscript' || r.type === 'binary_operator') return computed(m, r, depth + 1, seen) || !isFactoryChain(m, r);
      // A method of a name, attribute or literal the code did not compute (`x.sum()` of an argument) is not taken as computed.
      return false;
      }
      return true;
    }
    case 'binary_operator':
      return computed(m, field(e, 'left'), depth + 1, seen) || computed(m, field(e, 'right'), depth + 1, seen);
    case 'unary_operator':
      return computed(m, field(e, 'argument') ?? namedChildren(e)[0] ?? null, depth + 1, seen);
    case 'list':
    case 'tuple':
      return namedChildren(e).some((c) => computed(m, c, depth + 1, seen));
    case 'list_comprehension':
    case 'generator_expression':
      return computed(m, field(e, 'body'), depth + 1, seen);
    case 'subscript':
      return computed(m, field(e, 'value'), depth + 1, seen);
    case 'attribute': {
      const attr = field(e, 'attribute');
      return !!attr && LOSS_NAME.test(m.textOf(attr));
    }
    case 'conditional_expression':
      return namedChildren(e).some((c, i) => i !== 1 && computed(m, c, depth + 1, seen));
    default:
      return false;
  }
}

function isFactoryChain(m: SemanticModel, r: PyNode): boolean {
  let e: PyNode | null = r;
  for (let i = 0; e && i < 8; i++) {
    e = unparen(e);
    if (e.type !== 'call') return false;
    const c = m.call(e);
    if (!c) return false;
    if (c.qname && FACTORIES.has(c.qname)) return true;
    e = c.receiver;
  }
  return false;
}

function bindingComputed(m: SemanticModel, b: Binding, depth: number, seen: Set<number>): boolean {
  if (b.kind !== 'assign' && b.kind !== 'augassign' && b.kind !== 'walrus') return false;
  let v = b.value;
  if (!v) return false;
  v = unparen(v);
  // `a, b = f(x)`: an item of a computed tuple.
  if (b.path.length > 0 && (v.type === 'tuple' || v.type === 'list')) {
    let item: PyNode | null = v;
    for (const i of b.path) item = item && (item.type === 'tuple' || item.type === 'list') ? namedChildren(item)[i] ?? null : null;
    return computed(m, item, depth, seen);
  }
  if (v.type === 'augmented_assignment') v = field(v, 'right') ?? v;
  return computed(m, v, depth, seen);
}

/** Inside a test of the value's `requires_grad`/`grad_fn`/type: a deliberate fallback. */
function guarded(m: SemanticModel, node: PyNode): boolean {
  for (let p: PyNode | null = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'module') return false;
    if (p.type === 'if_statement' || p.type === 'elif_clause' || p.type === 'conditional_expression' || p.type === 'while_statement') {
      const cond = p.type === 'conditional_expression' ? namedChildren(p)[1] : field(p, 'condition');
      if (cond && GUARD_TEST.test(m.textOf(cond))) return true;
      // The `else` of an `if` whose test (or an `elif`'s) asks.
      if (p.type === 'if_statement') {
        const c0 = field(p, 'condition');
        if (c0 && GUARD_TEST.test(m.textOf(c0))) return true;
      }
    }
    if (p.type === 'else_clause' && p.parent?.type === 'if_statement') {
      const c0 = field(p.parent, 'condition');
      if (c0 && GUARD_TEST.test(m.textOf(c0))) return true;
    }
  }
  return false;
}

/** The `.backward()` (or `autograd.grad`/`autograd.backward` output) of a value some of `bindings` hold, after `after`. */
function backwardOf(m: SemanticModel, name: string, bindings: readonly Binding[], after: number): PyNode | null {
  const ids = new Set(bindings.map((b) => b.target.id));
  for (const c of m.calls) {
    if (c.node.start < after) continue;
    let target: PyNode | null = null;
    if (c.method === 'backward' && c.receiver) target = c.receiver;
    else if (c.qname === 'torch.autograd.grad' || c.qname === 'torch.autograd.backward') target = c.positional[0] ?? c.keywords.get('outputs') ?? c.keywords.get('tensors') ?? null;
    if (!target) continue;
    const t = stripPassThrough(m, unparen(target));
    if (t.type !== 'identifier' || m.textOf(t) !== name || !m.isUse(t)) continue;
    if (m.reachingBindings(t).some((b) => ids.has(b.target.id))) return c.node;
  }
  return null;
}

function stripPassThrough(m: SemanticModel, e: PyNode): PyNode {
  for (let i = 0; i < 6 && e.type === 'call'; i++) {
    const c = m.call(e);
    if (!c || !c.method || !c.receiver || !PASS_THROUGH.has(c.method)) break;
    e = unparen(c.receiver);
  }
  return e;
}

/** A `return` of a function named like a loss (or of a loss-named value) returning a value `bindings` hold. */
function returnedAsLoss(m: SemanticModel, name: string, bindings: readonly Binding[], at: PyNode): PyNode | null {
  const fn = m.enclosingFunction(at);
  if (!fn) return null;
  const cls = fn.isMethod ? m.classOfMethod(fn) : null;
  const clsName = cls ? field(cls, 'name') : null;
  const lossy = LOSS_NAME.test(name) || LOSS_NAME.test(fn.name) || (fn.name === 'forward' && !!clsName && LOSS_NAME.test(m.textOf(clsName)));
  if (!lossy) return null;
  const ids = new Set(bindings.map((b) => b.target.id));
  for (const r of fn.returns) {
    const e = unparen(r);
    const items = e.type === 'tuple' || e.type === 'expression_list' ? namedChildren(e) : [e];
    // A tuple returns the loss first (`return loss, outputs`), or a loss-named item anywhere (`return preds, loss`).
    for (const [i, item] of items.entries()) {
      const it = stripPassThrough(m, unparen(item));
      if (it.type !== 'identifier' || m.textOf(it) !== name || !m.isUse(it)) continue;
      if (i > 0 && !LOSS_NAME.test(name)) continue;
      if (m.reachingBindings(it).some((b) => ids.has(b.target.id))) return r;
    }
  }
  return null;
}

/**
 * A new leaf made inline, inside a loss expression (`criterion(torch.tensor(preds, requires_grad=True), y)`,
 * `y - torch.tensor(preds, requires_grad=True)`): nothing can read its `.grad` or hand it to an optimizer, so marking it
 * only silences "does not require grad". The loss is the assignment it is in (or a name made from that one), then
 * backpropagated or returned from a loss-named function; or the statement returns it from such a function.
 */
function inlineLeafSink(m: SemanticModel, call: PyNode): PyNode | null {
  let inLoss = false;
  let stmt: PyNode | null = null;
  for (let p: PyNode | null = call.parent; p; p = p.parent) {
    if (p.type === 'call') {
      const c = m.call(p);
      if (!c) return null;
      const callee = c.qname ?? (c.method ? c.method : null) ?? (c.calleeCall ? c.calleeCall.qname : null) ?? '';
      // A model's input or an optimizer's parameter list is another story (`poptorch_model(torch.tensor(a, requires_grad=True), t)`).
      if (!LOSS_NAME.test(callee) && !/(?:^|\.)(?:torch\.nn\.functional\.\w+|\w+_loss|\w+Loss)$/.test(callee)) return null;
      inLoss = true;
    } else if (p.type === 'binary_operator' || p.type === 'unary_operator') inLoss = true;
    else if (p.type === 'argument_list' || p.type === 'parenthesized_expression' || p.type === 'keyword_argument') continue;
    else if (p.type === 'assignment' || p.type === 'return_statement' || p.type === 'augmented_assignment') {
      stmt = p;
      break;
    } else if (p.type !== 'attribute') return null;
  }
  if (!inLoss || !stmt) return null;
  if (stmt.type === 'return_statement') {
    const fn = m.enclosingFunction(call);
    return fn && LOSS_NAME.test(fn.name) ? stmt : null;
  }
  const left = field(stmt, 'left');
  if (!left || left.type !== 'identifier') return null;
  const b = m.bindingsOf(m.textOf(left), m.scopeAt(left)).find((x) => x.target.id === left.id);
  if (!b) return null;
  const direct = backwardOf(m, b.name, [b], stmt.end) ?? returnedAsLoss(m, b.name, [b], stmt);
  if (direct) return direct;
  // `err = y - torch.tensor(preds, requires_grad=True)`, then `loss = err.pow(2).mean()`: one name further.
  for (const u of m.usesOf(b)) {
    let q: PyNode | null = u.parent;
    while (q && q.type !== 'assignment' && q.type !== 'expression_statement' && q.type !== 'function_definition') q = q.parent;
    if (!q || q.type !== 'assignment') continue;
    const l2 = field(q, 'left');
    if (!l2 || l2.type !== 'identifier' || l2.id === left.id) continue;
    const b2 = m.bindingsOf(m.textOf(l2), m.scopeAt(l2)).find((x) => x.target.id === l2.id);
    if (!b2) continue;
    const s2 = backwardOf(m, b2.name, [b2], q.end) ?? returnedAsLoss(m, b2.name, [b2], q);
    if (s2) return s2;
  }
  return null;
}

/** The binding an assignment statement `x = <value>` makes, when `value` is (through pass-through methods) `call`. */
function boundBy(m: SemanticModel, call: PyNode): Binding | null {
  let e: PyNode = call;
  for (let i = 0; i < 8; i++) {
    const p = e.parent;
    if (!p) return null;
    if (p.type === 'parenthesized_expression') {
      e = p;
      continue;
    }
    if (p.type === 'attribute' && field(p, 'object') === e && p.parent?.type === 'call' && field(p.parent, 'function') === p) {
      const c = m.call(p.parent);
      if (!c || !c.method || !PASS_THROUGH.has(c.method)) return null;
      e = p.parent;
      continue;
    }
    if (p.type === 'assignment' && field(p, 'right') === e) {
      const left = field(p, 'left');
      if (!left || left.type !== 'identifier') return null;
      const scope = m.scopeAt(left);
      return m.bindingsOf(m.textOf(left), scope).find((b) => b.target.id === left.id) ?? null;
    }
    return null;
  }
  return null;
}

export const AGL117: Rule = {
  meta: {
    code: 'AGL117',
    name: 'loss-marked-requires-grad',
    summary: 'A computed loss is made to require grad before its backward (`loss.requires_grad = True`, `torch.tensor(loss, requires_grad=True)`, `Variable(loss, requires_grad=True)`): it raises, or it silences a cut graph; the parameters get no gradient either way.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a loss the code computed (from a model, a criterion, arithmetic on tensors; not a tensor factory or a literal) that ' +
        'is made to require grad right before it is backpropagated, or before a loss function returns it: ' +
        '`loss.requires_grad = True`, `loss = torch.tensor(loss, requires_grad=True)`, `loss = Variable(loss, requires_grad=True)`. ' +
        'Also a new leaf made inline inside a loss expression (`criterion(torch.tensor(preds, requires_grad=True), y)`, ' +
        '`y - torch.tensor(preds, requires_grad=True)` then backpropagated): nobody can read its gradient or give it to an ' +
        'optimizer, whatever its data. Code fragments are enough: `model`, `criterion` and the data may be undefined.',
      whyIsThisBad:
        'It is the usual patch for "element 0 of tensors does not require grad and does not have a grad_fn", and it never makes ' +
        'anything train. On a loss that has a graph, `loss.requires_grad = True` raises "you can only change requires_grad flags ' +
        'of leaf variables"; when the line runs, the loss is a leaf: its graph to the model was cut on the way (`.item()`, ' +
        '`.numpy()`, `torch.tensor(output)`, `argmax`, a model call under `no_grad`, `generate`), and `backward()` computes the ' +
        'gradient of this leaf only. `torch.tensor(loss, requires_grad=True)` and `Variable(loss, requires_grad=True)` copy the ' +
        'value into a new leaf without history, whatever graph the loss had: the parameters it was computed from get no gradient ' +
        '(their `.grad` stays None), `optimizer.step()` changes nothing, and the loss stays where it is. Measured with PyTorch ' +
        '1.13 in this rule\'s fixtures.',
      example: [
        '```python',
        'outputs = model(inputs)',
        'loss = criterion(outputs, labels)',
        'loss = Variable(loss, requires_grad=True)   # a new leaf: the model gets no gradient',
        'optimizer.zero_grad()',
        'loss.backward()',
        'optimizer.step()',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'outputs = model(inputs)',
        'loss = criterion(outputs, labels)          # backpropagate the loss itself',
        'optimizer.zero_grad()',
        'loss.backward()',
        'optimizer.step()',
        '```',
        'If `loss.backward()` raised "does not require grad", find where the graph was cut between the parameters and the loss ' +
        'and compute that part with differentiable torch operations.',
      ].join('\n'),
      knownProblems:
        'A mark inside a test of the loss\'s `requires_grad`, `grad_fn` or type (`if not loss.requires_grad:`) is taken as a ' +
        'deliberate fallback for a batch without a gradient and is not reported, nor is `loss.requires_grad_()` (it does ' +
        'nothing on a loss that already requires grad). A returned loss is reported only from a function or loss class named ' +
        'like a loss, or when the value is named like one. An inline leaf of literal data (`+ torch.tensor(0.0, requires_grad=True)`) ' +
        'is not reported.',
      fixSafety: 'No automatic fix: removing the mark brings back the error of the cut graph, which has to be found.',
      references: [
        '[torch.Tensor.is_leaf: only leaf tensors have their requires_grad set by the user](https://pytorch.org/docs/stable/generated/torch.Tensor.is_leaf.html)',
        '[torch.tensor: "When data is a tensor x, torch.tensor() reads out the data from whatever it is passed, and constructs a leaf variable"](https://pytorch.org/docs/stable/generated/torch.tensor.html)',
        '[arcface-pytorch issue 56: `loss.requires_grad = True` silences the error, "the loss is not decline, and the acc is always zero"](https://github.com/ronghuaiyang/arcface-pytorch/issues/56)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    // No file-level gate on `torch`: a quoted training step (`loss.requires_grad = True`, then `loss.backward()`) often never names it.
    const reported = new Set<number>();
    // `loss.requires_grad = True`
    for (const mu of m.mutations) {
      if (mu.kind !== 'attribute' || mu.attr !== 'requires_grad' || m.textOf(mu.value) !== 'True') continue;
      const obj = field(mu.target, 'object');
      if (!obj || unparen(obj).type !== 'identifier' || !m.isUse(unparen(obj))) continue;
      const base = unparen(obj);
      const name = m.textOf(base);
      const bs = m.reachingBindings(base).filter((b) => bindingComputed(m, b, 0, new Set()));
      if (bs.length === 0 || guarded(m, mu.stmt)) continue;
      const sink = backwardOf(m, name, bs, mu.stmt.end) ?? returnedAsLoss(m, name, bs, mu.stmt);
      if (!sink || reported.has(mu.stmt.id)) continue;
      reported.add(mu.stmt.id);
      const def = bs[bs.length - 1].stmt;
      const how = sink.type === 'call' ? `backpropagated at line ${ctx.lineOf(sink)}` : `returned as the loss at line ${ctx.lineOf(sink)}`;
      ctx.report({
        node: mu.stmt,
        message:
          `\`${name}.requires_grad = True\` on a loss computed at line ${ctx.lineOf(def)} and ${how}: if \`${name}\` had a graph to the ` +
          'model, PyTorch raises "you can only change requires_grad flags of leaf variables"; when the line runs, the graph was cut ' +
          'on the way (`.item()`, `.numpy()`, `torch.tensor(...)`, `argmax`, a model run under `no_grad` or `generate`), the mark only ' +
          'silences "element 0 of tensors does not require grad", and backward gives the parameters no gradient: nothing trains. ' +
          'Remove the mark and compute the loss from the model\'s output with differentiable torch operations.',
        related: [{ node: def, message: 'the loss is computed here' }, { node: sink, message: sink.type === 'call' ? 'backpropagated here' : 'returned here' }],
      });
    }
    // `torch.tensor(loss, requires_grad=True)`, `Variable(loss, requires_grad=True)`
    for (const c of m.calls) {
      if (!c.qname || !REWRAPS.has(c.qname)) continue;
      const rg = c.keywords.get('requires_grad');
      if (!rg || m.textOf(rg) !== 'True') continue;
      const arg = c.positional[0] ?? c.keywords.get('data') ?? null;
      if (!arg || literalData(arg) || guarded(m, c.node)) continue;
      const b = boundBy(m, c.node);
      let inline = false;
      // A leaf kept under a name may be wanted for its own gradient: only a copy of computed values is judged. An inline
      // leaf inside a loss expression cannot be read by anyone, whatever its data.
      if ((b || !inlineLeafSink(m, c.node)) && !computed(m, arg)) continue;
      let sink: PyNode | null = null;
      if (b) sink = backwardOf(m, b.name, [b], b.stmt.end) ?? returnedAsLoss(m, b.name, [b], b.stmt);
      else {
        // `return torch.tensor(loss, requires_grad=True)` or `torch.tensor(loss, requires_grad=True).backward()`.
        const a = unparen(arg);
        const argName = a.type === 'identifier' ? m.textOf(a) : '';
        let top: PyNode = c.node;
        while (top.parent && (top.parent.type === 'parenthesized_expression' || (top.parent.type === 'attribute' && top.parent.parent?.type === 'call'))) top = top.parent.type === 'attribute' ? top.parent.parent! : top.parent;
        const tc = top.type === 'call' ? m.call(top) : undefined;
        if (tc && tc.method === 'backward') sink = top;
        else if (top.parent?.type === 'return_statement') {
          const fn = m.enclosingFunction(c.node);
          if (fn && (LOSS_NAME.test(argName) || LOSS_NAME.test(fn.name))) sink = top.parent;
        } else {
          sink = inlineLeafSink(m, c.node);
          inline = !!sink;
        }
      }
      if (!sink || reported.has(c.node.id)) continue;
      reported.add(c.node.id);
      const what = c.qname === 'torch.tensor' ? 'torch.tensor' : 'Variable';
      const how = sink.type === 'call' ? `backpropagated at line ${ctx.lineOf(sink)}` : `returned as the loss at line ${ctx.lineOf(sink)}`;
      if (inline) {
        ctx.report({
          node: c.node,
          message:
            `\`${what}(${m.textOf(arg)}, requires_grad=True)\` makes a new leaf inside the loss, ${how}: nothing can read its ` +
            'gradient or give it to an optimizer, so the mark only silences "element 0 of tensors does not require grad"; the ' +
            'values it copies have no history, and the parameters that computed them get no gradient: nothing trains. Compute ' +
            'the loss from the model\'s output tensor itself, without `.item()`, `float()`, lists or NumPy on the way.',
          related: [{ node: sink, message: sink.type === 'call' ? 'backpropagated here' : 'returned here' }],
        });
        continue;
      }
      ctx.report({
        node: c.node,
        message:
          `\`${what}(${m.textOf(arg)}, requires_grad=True)\` copies the computed loss into a new leaf with no history, ${how}: the ` +
          'backward computes the gradient of this copy only, the parameters the loss was computed from get none (their `.grad` ' +
          'stays None) and nothing trains. Backpropagate the loss itself; if that raised "element 0 of tensors does not require ' +
          'grad", the graph was cut earlier (`.item()`, `.numpy()`, `torch.tensor(...)`, `argmax`, `no_grad`): fix the cut.',
        related: [{ node: sink, message: sink.type === 'call' ? 'backpropagated here' : 'returned here' }],
      });
    }
  },
};
