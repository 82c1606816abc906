/**
 * AGL001 derivative-without-graph: a derivative used in a loss was computed without a graph, so the
 * loss cannot train the weights through it (seed 003: the loss does not decrease).
 */
import { isKind, Kind, requiresGrad, type AV, type DerivativeEvent, type LeafEvent, type SinkEvent } from '../analysis';
import { someTensorWithin, tensorOfValue } from '../analysis/library';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';
import type { Fix, TextEdit } from '../types';



/**
 * Add `create_graph=True` (or flip an explicit `False`). A `d.requires_grad = True` statement on the
 * derivative must go with it: once the derivative has a graph it is not a leaf, and assigning the
 * flag raises "you can only change requires_grad flags of leaf variables" (measured with PyTorch by
 * test/unit/ground-truth/fixes.test.ts). `d.requires_grad_()` and `d.retain_grad()` stay valid.
 * When such an assignment is not alone on its line, no fix is offered.
 */
function createGraphFix(ctx: RuleContext, call: CallInfo, existing: PyNode | null, leafings: PyNode[]): Fix | null {
  const removals: TextEdit[] = [];
  for (const l of leafings) {
    if (l.type !== 'expression_statement') continue; // the attribute form; calls are left alone
    const del = wholeLineDeletion(ctx, l);
    if (!del) return null;
    removals.push(del);
  }
  const also = removals.length > 0 ? ' and drop the requires_grad assignment' : '';
  if (existing) return { title: `Set create_graph=True${also}`, safe: true, edits: [ctx.replace(existing, 'True'), ...removals] };
  const args = field(call.node, 'arguments');
  if (!args || args.type !== 'argument_list') return null;
  const items = namedChildren(args);
  const last = items[items.length - 1];
  const edit = last ? ctx.insertAt(last.end, ', create_graph=True') : ctx.insertAt(args.end - 1, 'create_graph=True');
  return { title: `Pass create_graph=True${also}`, safe: true, edits: [edit, ...removals] };
}

/** An edit deleting the statement's whole line(s), when nothing but whitespace and a comment shares them. */
function wholeLineDeletion(ctx: RuleContext, stmt: PyNode): TextEdit | null {
  const start = ctx.lineStartOf(stmt);
  const end = ctx.lineEndAfter(stmt);
  const before = ctx.source.slice(start, stmt.start);
  const after = ctx.source.slice(stmt.end, end);
  if (!/^[ \t]*$/.test(before) || !/^[ \t]*(#.*)?\r?\n?$/.test(after)) return null;
  return ctx.replaceOffsets(start, end, '');
}

export const AGL001: Rule = {
  meta: {
    code: 'AGL001',
    name: 'derivative-without-graph',
    summary:
      'A derivative computed without `create_graph=True` reaches a loss, which cannot train through it, or is differentiated again, which raises.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds `torch.autograd.grad(...)` and `torch.autograd.functional.jacobian/hessian/jvp/vjp/hvp/vhp(...)` calls ' +
        'without `create_graph=True` (by keyword or position) whose result reaches a loss: a variable named `*loss*`, ' +
        'a loss function (`F.mse_loss`, an `nn.MSELoss()` instance, `criterion(...)`), `.backward()`, or the tensor a `*loss*` ' +
        'function returns when nothing in the file calls it (a trainer elsewhere does). In meta-learning, an inner-loop gradient ' +
        'with respect to the weights whose fast weights (`p - lr * g`) are passed to a model, also one of another module ' +
        '(`self.net(x, fast_weights)`), whose loss is then trained, is reported too. Also flags `.requires_grad_()`, `.requires_grad = True` and `.retain_grad()` applied to ' +
        'such a result, and `x.grad` / `x.grad.data` used inside a loss. And a derivative without a graph that is ' +
        'differentiated again: `torch.autograd.grad(u_x, x)` or `u_x.sum().backward()` of `u_x = torch.autograd.grad(u, x)[0]` ' +
        '(a PINN\'s `u_xx`, a Hessian row by row), or of `x.grad` filled by a plain `backward()`, when nothing else in the ' +
        'value differentiated requires grad.',
      whyIsThisBad:
        'Without `create_graph=True` the derivative is returned as a plain tensor with no history: to the optimizer it is ' +
        'a constant. A loss built from it has no gradient with respect to the weights (or an error is raised), so ' +
        'Sobolev training, PINN residuals and gradient penalties silently stop learning. Calling `requires_grad_()` on the ' +
        'result hides the error message but makes the derivative a new leaf: the loss still cannot reach the weights, and ' +
        'it does not decrease. `x.grad` is filled by `backward()` without a graph unless `backward(create_graph=True)` was used. ' +
        'Differentiated again, such a derivative has no `grad_fn`: the second `grad()` or `backward()` raises "element 0 of ' +
        'tensors does not require grad and does not have a grad_fn".',
      example: [
        '```python',
        'grad_V_x = torch.autograd.functional.jacobian(model, x_tensor)',
        'grad_V_x.requires_grad_()',
        'loss = loss_fn(grad_V_x, S_tensor)',
        'loss.backward()',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'x_tensor.requires_grad_(True)',
        'V_x = model(x_tensor)',
        'grad_V_x = torch.autograd.grad(V_x, x_tensor, grad_outputs=torch.ones_like(V_x), create_graph=True)[0]',
        'loss = loss_fn(grad_V_x, S_tensor)',
        'loss.backward()',
        '```',
      ].join('\n'),
      knownProblems:
        'A derivative of something that does not depend on the weights (an analytic target such as ' +
        '`grad(f_true(x).sum(), x)`) is exact without a graph and is not flagged; the rule decides this by looking for a ' +
        'model call (a call of a variable, `self.<attr>(...)`, or a helper of this file that makes one) on the differentiated ' +
        'path, so a model hidden behind an imported library function may be missed. `create_graph` passed as a variable ' +
        '(`create_graph=not first_order`) or through `**kwargs` is trusted, even where a call passes the value that turns it ' +
        'off. First-order MAML written on purpose with no such variable (the gradient taken without `create_graph` and a ' +
        'comment saying so) is reported. A `*loss*` function is known by its name; one returning a tuple, or named for a ' +
        'derivative (`loss_grad`), is not taken for a loss. Loss detection is by name (`*loss*`, `criterion`) and by known loss functions; a ' +
        'loss with an unusual name that is only passed to `optimizer.step(closure)` is not seen. Use `# noqa: AGL001` ' +
        'for a deliberate exception. A second derivative is reported only when the first is found through the names the ' +
        'differentiated expression reads (assignments of this scope, four levels deep) and nothing else in it requires grad: ' +
        '`grad(g.sum() + y, x)` runs, and the graphless `g` silently adds nothing (not reported). Its fix (adding ' +
        '`create_graph=True` to the first derivative) is offered as unsafe: it keeps every graph of that call alive.',
      fixSafety:
        'Adding `create_graph=True` is safe: it only keeps the graph (more memory, same values). The rewrite of ' +
        '`jacobian(model, x)` + `.requires_grad_()` into `torch.autograd.grad(model(x), x, grad_outputs=torch.ones_like(...), ' +
        'create_graph=True)[0]` is unsafe: on a batch `jacobian` returns every cross-sample entry with shape ' +
        '`(N, out, N, in)`, while the rewrite returns the per-sample gradient of shape `(N, in)` (summed over outputs). ' +
        'That is what a per-sample gradient loss wants, but code that indexes the old shape must change with it.',
      references: [
        '[torch.autograd.grad](https://pytorch.org/docs/stable/generated/torch.autograd.grad.html)',
        '[torch.autograd.functional.jacobian](https://pytorch.org/docs/stable/generated/torch.autograd.functional.jacobian.html)',
      ],
    },
  },

  check(ctx) {
    const a = ctx.analysis;
    const reached = reachedDerivatives(ctx);
    differentiatedAgain(ctx, reached);
    if (reached.size === 0) return;
    const derivativeAt = new Map(a.events.derivatives.map((d) => [d.node.id, d]));
    // Leaves made from a graphless derivative (`D.requires_grad_()`), by the derivative they hold.
    const leafings = new Map<number, LeafEvent[]>();
    for (const l of a.events.leaves) {
      for (const id of l.before.t?.dNoGraph ?? []) {
        if (!reached.has(id)) continue;
        const list = leafings.get(id) ?? [];
        list.push(l);
        leafings.set(id, list);
      }
    }
    for (const [id, sink] of reached) {
      const d = derivativeAt.get(id);
      if (d) {
        if (d.spec.framework !== 'pytorch' || d.createGraph !== false) continue;
        // `create_graph=second_order`: the order is chosen by the caller (first-order MAML on purpose), even where a
        // call passes the value that turns the graph off.
        if (chosenOrder(ctx, d)) continue;
        const fname = d.api;
        const leaves = (leafings.get(id) ?? []).filter((l) => leafReaches(ctx, l, sink));
        const fixes = derivativeFixes(ctx, d, leaves);
        ctx.report({
          node: d.node,
          message: innerStep(d)
            ? `\`${fname}\` takes the gradient with respect to the weights without \`create_graph=True\`, and the weights it ` +
              `updates reach ${sink.what}: the meta-gradient through this update step is dropped, so meta-learning silently ` +
              'becomes first-order (MAML without its second-order term). Pass `create_graph=True`.'
            : `\`${fname}\` is called without \`create_graph=True\`, but its result reaches ${sink.what}: the derivative ` +
              'carries no graph, so the loss cannot train the weights through it. Pass `create_graph=True`.',
          related: [{ node: sink.node, message: `the derivative reaches ${sink.what} here` }],
          fixes,
        });
        for (const l of leaves) {
          const stmt = l.kind === 'attribute' ? ctx.model.statementOf(l.node) : l.node;
          ctx.report({
            node: stmt,
            message:
              `Setting requires_grad on a derivative computed without a graph (\`${fname}\` at line ${ctx.lineOf(d.node)}) ` +
              'makes it a new leaf: a loss built from it cannot train the weights. Compute the derivative with ' +
              '`create_graph=True` instead.',
            related: [{ node: d.node, message: 'the derivative is made here, without create_graph=True' }],
            fixes: [],
          });
        }
        continue;
      }
      const g = a.events.gradReads.find((r) => r.node.id === id);
      if (g) {
        const obj = field(g.node, 'object');
        const target = g.node.parent && g.node.parent.type === 'attribute' && ctx.text(field(g.node.parent, 'attribute') ?? g.node) === 'data' ? g.node.parent : g.node;
        ctx.report({
          node: target,
          message:
            `\`${obj ? ctx.text(obj) : 'x'}.grad\` is filled by \`backward()\` without a graph, yet it reaches ${sink.what}: to the optimizer it is ` +
            'a constant. Use `torch.autograd.grad(..., create_graph=True)` (or `backward(create_graph=True)`) for a derivative inside a loss.',
          related: [{ node: sink.node, message: `reaches ${sink.what} here` }],
          fixes: [],
        });
      }
    }
  },
};

/**
 * A gradient with respect to weights (parameters, or fast weights: parameters already moved by a
 * gradient step) — the inner step of meta-learning, whose update a later loss differentiates through.
 */
function innerStep(d: DerivativeEvent): boolean {
  // Weights: parameters (or values of unseen code) that a derivative step already went into.
  const weights = someTensorWithin(d.inputs, (t) => t.variable || ((t.params.length > 0 || t.opaque) && t.dGraph.length + t.dNoGraph.length > 0));
  // Or the loss it differentiates already depends on its own earlier result: an iterated update step.
  return weights || tensorOfValue(d.output).dNoGraph.includes(d.node.id);
}

/** The derivative's `create_graph` is an expression of the code (a variable, `not first_order`), not absent or a literal. */
function chosenOrder(ctx: RuleContext, d: DerivativeEvent): boolean {
  const call = ctx.model.call(d.node);
  if (!call) return false;
  const cg = ctx.model.argument(call, 'create_graph', d.api);
  return cg.kind === 'found' && ctx.model.literalBool(cg.node) === null;
}

/** Sinks that train the parameters whatever the code around them looks like. */
const STRONG_SINKS = new Set<SinkEvent['kind']>(['backward', 'param-grad', 'training-hook', 'optimizer-closure', 'tape-gradient']);
/** Functions whose losses are measurements, not training. */
const EVALUATION_NAME = /(?:^|_)(?:val|valid|validate|validation|eval|evaluate|test|metric|metrics|predict|plot|log|report)(?:_|$)/i;

/**
 * The graphless derivatives (their sites) that reach a loss, each with the first sink reached. A sink
 * is where parameters are trained (`backward()`, `grad(loss, params)`, a training hook's return, an
 * optimizer closure). Where no training is visible — a helper nothing in the file calls, a snippet
 * without its loop — a loss call or a `*loss*` variable counts, except in evaluation code.
 */
function reachedDerivatives(ctx: RuleContext): Map<number, SinkEvent> {
  const a = ctx.analysis;
  const m = ctx.model;
  const strongIn = new Set<number>();
  for (const s of a.events.sinks) if (STRONG_SINKS.has(s.kind)) strongIn.add(s.fn ? s.fn.id : -1);
  const derivativeSites = new Set(a.events.derivatives.map((d) => d.node.id));
  const usable = (s: SinkEvent): boolean => {
    if (STRONG_SINKS.has(s.kind)) return true;
    const fnId = s.fn ? s.fn.id : -1;
    if (strongIn.has(fnId)) return false;
    if (s.fn) {
      const info = m.functionOf(s.fn);
      if (info && info.callSites.length > 0) return false; // its callers decide what the loss is for
      const name = info?.name ?? '';
      if (EVALUATION_NAME.test(name)) return false;
    }
    // `g_loss = grad(loss, params)`: a gradient named after a loss, not a loss built from one.
    if ((s.kind === 'loss-variable' || s.kind === 'loss-return') && derivativeSites.has(s.value.site)) return false;
    return true;
  };
  const out = new Map<number, SinkEvent>();
  for (const s of a.events.sinks) {
    if (!usable(s)) continue;
    for (const id of tensorOfValue(s.value).dNoGraph) {
      const prev = out.get(id);
      if (!prev || s.node.start < prev.node.start) out.set(id, s);
    }
  }
  // Name the loss the derivative went into when there is one before the training step: "reaches the
  // loss `loss` (trained by `.backward()` at line 51)".
  for (const [id, train] of out) {
    if (!STRONG_SINKS.has(train.kind)) continue;
    const loss = a.events.sinks
      .filter((s) => (s.kind === 'loss-call' || s.kind === 'loss-variable' || s.kind === 'loss-return') && s.node.start < train.node.start && tensorOfValue(s.value).dNoGraph.includes(id))
      .sort((x, y) => x.node.start - y.node.start)[0];
    if (loss && !(loss.kind === 'loss-variable' && derivativeSites.has(loss.value.site))) {
      out.set(id, { ...loss, what: `${loss.what} (trained by ${train.what} at line ${ctx.lineOf(train.node)})` });
    }
  }
  return out;
}

/** Whether the leaf made at `l` is (part of) the value that reaches the sink. */
function leafReaches(ctx: RuleContext, l: LeafEvent, sink: SinkEvent): boolean {
  void ctx;
  const t = tensorOfValue(sink.value);
  return t.leaves.includes(l.node.id) || t.leafOf === l.node.id;
}

/**
 * The fixes of one graphless derivative. `create_graph=True` keeps the values and adds the graph; a
 * `requires_grad` assignment on the derivative itself must go with it (on a non-leaf it raises). For
 * `jacobian(model, x)` of a batch whose result is only compared in a loss, the per-sample gradient by
 * `autograd.grad(model(x), x, grad_outputs=ones, create_graph=True)[0]` is what trains (seed 003):
 * the Jacobian of a batch has shape (N, out, N, in) and broadcasts against (N, in) targets.
 */
function derivativeFixes(ctx: RuleContext, d: DerivativeEvent, leaves: LeafEvent[]): Fix[] {
  const m = ctx.model;
  const call = m.call(d.node);
  if (!call) return [];
  const cg = m.argument(call, 'create_graph', d.api);
  const markers = leaves.map((l) => (l.kind === 'attribute' ? m.statementOf(l.node) : l.node));
  const pure = leaves.every((l) => isPureDerivative(l, d));
  const converted = ctx.analysis.events.conversions.some((c) => c.value.t?.dNoGraph.includes(d.node.id));
  const simple = pure ? createGraphFix(ctx, call, cg.kind === 'found' ? cg.node : null, markers) : null;
  const fixes: Fix[] = [];
  if (d.api === 'torch.autograd.functional.jacobian') {
    const rewrite = jacobianRewrite(ctx, call, markers);
    if (rewrite) fixes.push(rewrite);
    // On a batch, create_graph alone keeps the (N, out, N, in) Jacobian: the loss still compares the wrong thing.
    if (simple) fixes.push({ ...simple, safe: false, title: `${simple.title} (keeps the Jacobian's (N, out, N, in) shape)` });
    return fixes;
  }
  if (simple) fixes.push({ ...simple, safe: simple.safe && !converted });
  return fixes;
}

/** The value made a leaf is the derivative itself (or an item of it), not a computation with it. */
function isPureDerivative(l: LeafEvent, d: DerivativeEvent): boolean {
  const t = l.before.t;
  if (!t) return false;
  return t.dNoGraph.length === 1 && t.dNoGraph[0] === d.node.id && t.leaves.length === 0 && t.params.length === 0 && t.leafOf === null;
}


/**
 * `G = jacobian(model, x)` + `G.requires_grad_()` → per-sample gradient with a graph.
 * Only for the simple shape: assignment statement, identifier input, callable is a name or attribute.
 */
function jacobianRewrite(ctx: RuleContext, call: CallInfo, leafings: PyNode[]): Fix | null {
  const m = ctx.model;
  const torch = m.moduleAlias('torch');
  if (!torch) return null;
  const fn = m.argument(call, 'func', 'torch.autograd.functional.jacobian');
  const inp = m.argument(call, 'inputs', 'torch.autograd.functional.jacobian');
  if (fn.kind !== 'found' || inp.kind !== 'found') return null;
  const f = unparen(fn.node);
  const x = unparen(inp.node);
  if ((f.type !== 'identifier' && f.type !== 'attribute') || x.type !== 'identifier') return null;
  const stmt = m.statementOf(call.node);
  const assign = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : null;
  if (!assign || assign.type !== 'assignment' || field(assign, 'right') !== call.node) return null;
  let out = `${ctx.text(f).replace(/\W+/g, '_')}_out`;
  for (let i = 2; m.isNameUsed(out); i++) out = `${ctx.text(f).replace(/\W+/g, '_')}_out${i}`;
  const indent = ctx.indentOf(stmt);
  const eol = ctx.eol;
  const xs = ctx.text(x);
  const edits = [
    ctx.insertAt(ctx.lineStartOf(stmt), `${indent}${xs}.requires_grad_(True)${eol}${indent}${out} = ${ctx.text(f)}(${xs})${eol}`),
    ctx.replace(call.node, `${torch}.autograd.grad(${out}, ${xs}, grad_outputs=${torch}.ones_like(${out}), create_graph=True)[0]`),
  ];
  for (const l of leafings) {
    const ls = m.statementOf(l);
    // Whole statements `G.requires_grad_()` / `G.requires_grad = True` after the call are removed.
    if (ls.type === 'expression_statement' && (ls === l || namedChildren(ls)[0] === l) && ls.start >= stmt.end) {
      const del = wholeLineDeletion(ctx, ls);
      if (del) edits.push(del);
      else return null;
    }
  }
  // Safe when the Jacobian is only compared in losses (and marked as a leaf, which the rewrite removes):
  // nothing reads its (N, out, N, in) layout, and the loss now compares per-sample gradients.
  const safe = onlyUsedInLosses(ctx, assign, leafings);
  return {
    title: `Rewrite as ${torch}.autograd.grad(${ctx.text(f)}(${xs}), ${xs}, grad_outputs=ones, create_graph=True)[0] (per-sample gradient)`,
    safe,
    edits,
  };
}

/** Every read of the variable assigned by `assign` is a leaf marker being removed or an argument of a loss call. */
function onlyUsedInLosses(ctx: RuleContext, assign: PyNode, markers: PyNode[]): boolean {
  const m = ctx.model;
  const left = field(assign, 'left');
  if (!left || left.type !== 'identifier') return false;
  const binding = m.bindings.find((b) => b.target === left);
  if (!binding) return false;
  const lossCalls = ctx.analysis.events.sinks.filter((s) => s.kind === 'loss-call').map((s) => s.node);
  const uses = m.usesOf(binding);
  if (uses.length === 0) return false;
  for (const u of uses) {
    if (markers.some((mk) => mk.start <= u.start && u.end <= mk.end)) continue;
    const p = u.parent;
    const args = p && p.type === 'argument_list' ? p : null;
    if (args && args.parent && lossCalls.includes(args.parent)) continue;
    return false;
  }
  return true;
}

/**
 * A derivative computed without `create_graph=True` (or a `.grad` filled by a plain `backward()`) that is then
 * differentiated again: `torch.autograd.grad(u_x, x)` of `u_x = grad(u, x)[0]`, the second row of a Hessian, a PINN's
 * `u_xx`. The first derivative has no `grad_fn`, so the second call raises "element 0 of tensors does not require
 * grad and does not have a grad_fn". Asked of the analysis: the value differentiated is a derivative (order >= 1)
 * with no graph and nothing else on its way that requires grad; the first derivative is found through the names the
 * expression reads.
 */
function differentiatedAgain(ctx: RuleContext, reached: Map<number, SinkEvent>): void {
  const a = ctx.analysis;
  const m = ctx.model;
  const targets: { node: PyNode; value: AV; expr: PyNode | null; what: string }[] = [];
  for (const d of a.events.derivatives) {
    if (d.spec.framework !== 'pytorch' || !d.spec.outputs) continue;
    const call = m.call(d.node);
    const out = call ? m.argument(call, 'outputs', d.api) : null;
    targets.push({ node: d.node, value: d.output, expr: out && out.kind === 'found' ? out.node : null, what: `\`${d.api}\`` });
  }
  for (const b of a.events.backwards) {
    const call = m.call(b.node);
    targets.push({ node: b.node, value: b.target, expr: call?.receiver ?? null, what: '`.backward()`' });
  }
  const graphless = new Map<number, DerivativeEvent>();
  for (const d of a.events.derivatives) if (d.spec.framework === 'pytorch' && d.createGraph === false) graphless.set(d.node.id, d);
  const gradReads = new Set(a.events.gradReads.map((g) => g.node.id));
  for (const tg of targets) {
    if (!tg.expr || !isKind(tg.value, Kind.TENSOR)) continue;
    const t = tg.value.t;
    if (!t || t.order < 1 || t.dGraph.length > 0 || requiresGrad(t) || t.opaque || t.recOff !== null) continue;
    const first = firstDerivativeOf(ctx, tg.expr, graphless, gradReads);
    // Reported once: a derivative that reaches a loss is reported there (below).
    if (!first || reached.has(first.id)) continue;
    const d = graphless.get(first.id);
    const fixes = d && !chosenOrder(ctx, d) ? derivativeFixes(ctx, d, []).map((f) => ({ ...f, safe: false })) : [];
    ctx.report({
      node: tg.node,
      message: d
        ? `${tg.what} differentiates a derivative that \`${d.api}\` at line ${ctx.lineOf(d.node)} computed without ` +
          '`create_graph=True`: it has no `grad_fn`, so this raises "element 0 of tensors does not require grad and does not ' +
          'have a grad_fn". Pass `create_graph=True` to the first derivative.'
        : `${tg.what} differentiates \`${ctx.text(first)}\`, a gradient filled by a \`backward()\` without \`create_graph=True\`: ` +
          'it has no `grad_fn`, so this raises "element 0 of tensors does not require grad and does not have a grad_fn". ' +
          'Take the first derivative with `torch.autograd.grad(..., create_graph=True)`.',
      related: [{ node: first, message: 'the first derivative, without a graph' }],
      fixes,
    });
  }
}

/**
 * The graphless first derivative (a derivative call without `create_graph`, or a `.grad` read) that `expr` is made
 * from, through the names it reads (their reaching assignments, a few levels deep); null when none is found.
 */
function firstDerivativeOf(ctx: RuleContext, expr: PyNode, graphless: Map<number, DerivativeEvent>, gradReads: Set<number>): PyNode | null {
  const m = ctx.model;
  const seen = new Set<number>();
  const stack: { n: PyNode; depth: number }[] = [{ n: expr, depth: 0 }];
  while (stack.length > 0) {
    const { n, depth } = stack.pop()!;
    if (seen.has(n.id)) continue;
    seen.add(n.id);
    if (graphless.has(n.id) || gradReads.has(n.id)) return n;
    if (n.type === 'identifier' && n.field !== 'attribute') {
      if (depth >= 4) continue;
      for (const b of m.reachingBindings(n)) if (b.kind === 'assign' && b.value) stack.push({ n: b.value, depth: depth + 1 });
      continue;
    }
    if (n.type === 'lambda' || n.type === 'function_definition') continue;
    for (const c of namedChildren(n)) stack.push({ n: c, depth });
  }
  return null;
}
