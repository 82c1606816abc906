/**
 * Framework knowledge shared by rules: which calls differentiate, which values are losses, which
 * operations cut the autograd graph, how leaves are marked. Built on the semantic model.
 */
import { rootCalleeName, type Binding, type CallInfo, type Flow, type SemanticModel } from './semantic';
import { field, namedChildren, nodesOfType, textOf, unparen, type PyNode } from './tree';

/** Calls that return a derivative and accept `create_graph`. */
export const DERIVATIVE_FUNCTIONS = new Set([
  'torch.autograd.grad',
  'torch.autograd.functional.jacobian',
  'torch.autograd.functional.hessian',
  'torch.autograd.functional.jvp',
  'torch.autograd.functional.vjp',
  'torch.autograd.functional.hvp',
  'torch.autograd.functional.vhp',
]);

/** Top-level packages that are libraries (their functions are not user models). */
const LIBRARY_ROOTS = new Set([
  'torch', 'numpy', 'math', 'tensorflow', 'jax', 'sklearn', 'pandas', 'scipy', 'functools', 'itertools', 'operator',
  'builtins', 'collections', 'random', 'time', 'os', 'sys', 'copy', 'typing', 'matplotlib', 'flax', 'optax',
]);

const BUILTINS = new Set([
  'abs', 'all', 'any', 'bool', 'dict', 'divmod', 'enumerate', 'filter', 'float', 'int', 'isinstance', 'iter', 'len',
  'list', 'map', 'max', 'min', 'next', 'pow', 'print', 'range', 'reversed', 'round', 'set', 'sorted', 'str', 'sum',
  'tuple', 'type', 'zip', 'getattr', 'setattr', 'hasattr', 'super', 'id', 'hash', 'repr', 'format', 'open', 'vars',
]);

/** Whether a call may run a model (something with trainable parameters) rather than a library op. */
export function isModelCall(model: SemanticModel, call: CallInfo): boolean {
  if (call.local) return true;
  // A call of a call is judged by what made the callable: `nn.MSELoss()(a, b)` and `jax.grad(f)(x)` are
  // library callables (not counted as models, as before calls of calls had their own representation).
  const q = call.calleeCall ? rootCalleeName(call) : call.qname;
  if (q !== null) {
    if (!q.includes('.')) return !BUILTINS.has(q);
    return !LIBRARY_ROOTS.has(q.split('.')[0]);
  }
  return model.isOpaqueCallable(call);
}

/**
 * Whether the value of `expr` may depend on trainable parameters: it derives from a model call, a
 * helper that calls one, or a parameter of a function never called in this file (unknown).
 */
export function mayDependOnParameters(model: SemanticModel, expr: PyNode): boolean {
  let found = false;
  model.traceBack(expr, (n) => {
    if (found) return false;
    if (n.type === 'call') {
      const c = model.call(n);
      if (c && !c.local && isModelCall(model, c)) found = true;
      if (c?.local && functionCallsModel(model, c.local.node)) found = true;
    } else if (n.type === 'identifier' && model.isUse(n)) {
      if (model.reachingBindings(n).some((b) => b.kind === 'param' && b.param && b.param.fn.callSites.length === 0)) found = true;
      if (model.reachingBindings(n).length === 0 && model.qualifiedName(n) === null) found = true;
    } else if (n.type === 'attribute') {
      const obj = field(n, 'object');
      if (obj && model.textOf(obj) === 'self') found = true;
    }
    return !found;
  });
  return found;
}

/** Whether a function body (or lambda) contains a model call. */
export function functionCallsModel(model: SemanticModel, fnNode: PyNode): boolean {
  const stack: PyNode[] = [fnNode];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'call') {
      const c = model.call(n);
      if (c && !c.local && isModelCall(model, c)) return true;
      if (c?.local && c.local.node !== fnNode && c.local.node.start > fnNode.end) return true;
    }
    for (const ch of n.children) stack.push(ch);
  }
  return false;
}

/** Whether the differentiated function of a derivative call may have trainable parameters. */
export function derivativeDependsOnParameters(model: SemanticModel, call: CallInfo): boolean {
  if (call.qname === 'torch.autograd.grad') {
    const out = model.argument(call, 'outputs', 'torch.autograd.grad');
    if (out.kind !== 'found') return true;
    return mayDependOnParameters(model, out.node);
  }
  const fn = model.argument(call, 'func', call.qname ?? undefined);
  if (fn.kind !== 'found') return true;
  const f = unparen(fn.node);
  if (f.type === 'lambda') return functionCallsModel(model, f);
  if (f.type === 'identifier') {
    const reach = model.reachingBindings(f);
    const defs = reach.filter((b) => b.kind === 'def');
    if (defs.length > 0 && defs.length === reach.length) {
      const def = defs[defs.length - 1].stmt;
      const fnNode = def.type === 'decorated_definition' ? field(def, 'definition') : def;
      return fnNode ? functionCallsModel(model, fnNode) || fnNode.start > call.node.start : true;
    }
    if (reach.length === 1 && reach[0].value?.type === 'lambda') return functionCallsModel(model, reach[0].value);
  }
  return true;
}

/** Operations after which a value no longer carries a graph: the flow of a derivative stops there. */
export function isGraphDroppingOp(model: SemanticModel, node: PyNode): boolean {
  if (node.type === 'call') {
    const c = model.call(node);
    if (!c) return false;
    if (c.method && GRAPH_DROPPING_METHODS.has(c.method)) return true;
    if (c.qname && GRAPH_DROPPING_FUNCTIONS.has(c.qname)) return true;
    return false;
  }
  if (node.type === 'attribute') {
    const a = field(node, 'attribute');
    return a !== null && GRAPH_DROPPING_ATTRIBUTES.has(model.textOf(a));
  }
  return false;
}

/** `.data` (a detached view) and a tensor's metadata (`.shape`, `.device`, `.dtype`): no graph of it. */
const GRAPH_DROPPING_ATTRIBUTES = new Set(['data', 'shape', 'device', 'dtype', 'ndim', 'layout', 'is_cuda', 'is_leaf', 'requires_grad']);
const GRAPH_DROPPING_METHODS = new Set(['detach', 'item', 'numpy', 'tolist', 'size', 'dim', 'numel', 'format', 'write', 'log', 'add_scalar', 'info', 'debug', 'set_postfix']);
const GRAPH_DROPPING_FUNCTIONS = new Set(['float', 'int', 'bool', 'str', 'print', 'len', 'repr', 'round', 'isinstance', 'numpy.array', 'numpy.asarray']);

export interface LossSink {
  node: PyNode;
  /** Human description: "the loss `loss`", "`loss_fn(...)`", "`.backward()`". */
  what: string;
}

/** Whether a call computes a loss: `F.mse_loss(...)`, an `nn.MSELoss()` instance, `criterion(...)`, `loss_fn(...)`. */
export function isLossCall(model: SemanticModel, call: CallInfo): boolean {
  if (call.qname) {
    if (/^torch\.nn\.functional\.\w*(?:loss|_entropy|_divergence)$/.test(call.qname)) return true;
    if (/^(?:tensorflow\.keras\.losses|tensorflow\.losses)\./.test(call.qname)) return true;
  }
  if (call.calleeCall) {
    // `nn.MSELoss()(pred, y)`: a loss instance made and called in one expression.
    const root = rootCalleeName(call);
    return root !== null && (/^torch\.nn\.\w*Loss$/.test(root) || /^tensorflow\.keras\.losses\.\w+$/.test(root));
  }
  const fnNode = field(call.node, 'function');
  if (!fnNode) return false;
  const f = unparen(fnNode);
  const name = f.type === 'identifier' ? model.textOf(f) : f.type === 'attribute' ? model.textOf(field(f, 'attribute') ?? f) : '';
  if (/loss|criterion/i.test(name) && !/^(?:backward)$/.test(name)) return true;
  if (f.type === 'identifier' && model.isUse(f)) {
    for (const b of model.reachingBindings(f)) {
      const v = b.value ? unparen(b.value) : null;
      if (v && v.type === 'call') {
        const q = model.qualifiedName(v);
        if (q && /^torch\.nn\.\w*Loss$/.test(q)) return true;
        if (q && /^tensorflow\.keras\.losses\.\w+$/.test(q)) return true;
      }
    }
  }
  return false;
}

/** The first place where a flow reaches a loss: a `*loss*` variable, a loss call, `.backward()`, a `*loss*` function's return. */
export function findLossSink(model: SemanticModel, flow: Flow): LossSink | null {
  let best: LossSink | null = null;
  const consider = (s: LossSink): void => {
    if (!best || s.node.start < best.node.start) best = s;
  };
  for (const b of flow.tainted) {
    if (!/loss/i.test(b.name) || b.kind === 'param' || b.kind === 'for') continue;
    // `g_loss = grad(loss, params)`: the variable *is* the seed (a gradient named after a loss), not a loss built from it.
    const v = b.value ? stripSubscripts(b.value) : null;
    if (v && flow.isSeed(v)) continue;
    consider({ node: b.target, what: `the loss \`${b.name}\`` });
  }
  for (const c of flow.touchedCalls()) {
    if (c.method === 'backward' && c.receiver && flow.reaches(c.receiver)) {
      consider({ node: c.node, what: '`.backward()`' });
    } else if (c.qname === 'torch.autograd.backward' && c.positional[0] && flow.reaches(c.positional[0])) {
      consider({ node: c.node, what: '`torch.autograd.backward`' });
    } else if (isLossCall(model, c)) {
      const args = [...c.positional, ...c.keywords.values()];
      if (args.some((a) => flow.reaches(a))) consider({ node: c.node, what: `the loss \`${model.textOf(field(c.node, 'function')!)}(...)\`` });
    }
  }
  for (const f of model.functions) {
    if (/loss|training_step/i.test(f.name) && f.returns.some((r) => flow.reaches(r))) {
      consider({ node: f.returns.find((r) => flow.reaches(r))!, what: `the return value of \`${f.name}\`` });
    }
  }
  return best;
}

/**
 * Places that mark a tensor as requiring grad: `x.requires_grad_()` (not `(False)`),
 * `x.requires_grad = True`, and `requires_grad=True` passed to a factory (`torch.tensor(..., requires_grad=True)`).
 * `target` is the node whose value becomes the leaf; `marker` is where it happens.
 */
export interface LeafMark {
  target: PyNode;
  marker: PyNode;
  kind: 'method' | 'attribute' | 'factory';
}

export function leafMarks(model: SemanticModel): LeafMark[] {
  const out: LeafMark[] = [];
  for (const c of model.calls) {
    if (c.method === 'requires_grad_' && c.receiver) {
      const arg = model.argument(c, 'requires_grad', 'Tensor.requires_grad_');
      if (arg.kind === 'found' && model.literalBool(arg.node) === false) continue;
      out.push({ target: c.receiver, marker: c.node, kind: 'method' });
    } else {
      const rg = c.keywords.get('requires_grad');
      if (rg && model.literalBool(rg) !== false && c.qname?.startsWith('torch.')) out.push({ target: c.node, marker: c.node, kind: 'factory' });
    }
  }
  for (const m of model.mutations) {
    if (m.kind === 'attribute' && m.attr === 'requires_grad' && model.literalBool(m.value) !== false && m.target.type === 'attribute') {
      const obj = field(m.target, 'object');
      if (obj) out.push({ target: obj, marker: m.stmt, kind: 'attribute' });
    }
  }
  return out;
}

/** The bindings a leaf mark refers to (the variable whose value is the leaf), if it is a variable. */
export function leafBindings(model: SemanticModel, mark: LeafMark): Binding[] {
  const t = unparen(mark.target);
  if (t.type === 'identifier' && model.isUse(t)) return model.reachingBindings(t);
  // `x = torch.tensor(..., requires_grad=True)` or `x = y.detach().requires_grad_()`: the assignment.
  const parent = mark.marker.parent;
  if (parent && parent.type === 'assignment' && field(parent, 'right') === mark.marker) {
    const left = field(parent, 'left');
    return left && left.type === 'identifier' ? model.bindingsOf(model.textOf(left), model.scopeAt(left)).filter((b) => b.value === mark.marker) : [];
  }
  return [];
}

const GRAD_READS = new WeakMap<SemanticModel, readonly PyNode[]>();

/**
 * `x.grad` / `x.grad.data` attribute reads (not stores). Returns the `.grad` attribute nodes. Found once per model
 * (five rules and the derivative-reads helper ask, AGL014 once per candidate Parameter).
 */
export function gradReads(model: SemanticModel): readonly PyNode[] {
  const kept = GRAD_READS.get(model);
  if (kept) return kept;
  const out: PyNode[] = [];
  for (const n of nodesOfType(model.tree, 'attribute')) {
    const a = field(n, 'attribute');
    if (!a || a.end - a.start !== 4 || model.textOf(a) !== 'grad') continue;
    if (model.qualifiedName(n) !== null) continue; // `torch.autograd.grad`, a module attribute
    if (n.parent?.type === 'call' && n.field === 'function') continue;
    const p = n.parent;
    if (p && (p.type === 'assignment' || p.type === 'augmented_assignment') && field(p, 'left') === n) continue;
    if (p && PATTERN_PARENT.has(p.type) && p.parent?.type === 'assignment' && field(p.parent, 'left') === p) continue;
    out.push(n);
  }
  GRAD_READS.set(model, out);
  return out;
}
const PATTERN_PARENT = new Set(['pattern_list', 'tuple_pattern']);

/** `f(...)[0][1]` → `f(...)`. */
export function stripSubscripts(node: PyNode): PyNode {
  let n = unparen(node);
  while (n.type === 'subscript') {
    const v = field(n, 'value');
    if (!v) break;
    n = unparen(v);
  }
  return n;
}

/**
 * Whether `read` is the argument of a test's `self.assertIsNone(...)` / `assertIsNotNone(...)`: a check of whether a
 * value is None, not a use of it (`self.assertIsNone(buffer.grad)`).
 */
export function assertedNone(m: SemanticModel, read: PyNode): boolean {
  const p = read.parent;
  if (p?.type !== 'argument_list' || p.parent?.type !== 'call') return false;
  const c = m.call(p.parent);
  const method = c?.method;
  if (!c || !method) return false;
  if (/^assert(?:Is)?(?:Not)?None$/.test(method)) return true;
  // `self.assertEqual(buffer.grad, None)`, `assertIs(None, buffer.grad)`: the same check with None as the other argument.
  return /^assert(?:Not)?(?:Equal|Is)$/.test(method) && c.positional.length >= 2 && c.positional.slice(0, 2).some((a) => a !== read && unparen(a).type === 'none');
}

/** `model.parameters()` / `model.named_parameters()`: the call, when `n` is one (its receiver is the module). */
export function parametersCall(m: SemanticModel, n: PyNode): CallInfo | undefined {
  const c = n.type === 'call' ? m.call(n) : undefined;
  return c && (c.method === 'parameters' || c.method === 'named_parameters') ? c : undefined;
}

/** Elements of a list/tuple literal (or the node itself). */
export function elements(node: PyNode): PyNode[] {
  const n = unparen(node);
  if (n.type === 'list' || n.type === 'tuple') return namedChildren(n);
  return [n];
}

/** Method names whose result carries no derivative (comparisons, integer and shape results). */
const ZERO_GRAD_METHOD = /^(?:bool|long|int|byte|short|sign|round|floor|ceil|trunc|argmax|argmin|argsort|nonzero|size|dim|numel|eq|ne|gt|lt|ge|le|isnan|isinf|isfinite|item|tolist)$/;

/**
 * A custom `torch.autograd.Function` whose `backward` builds its result from a tensor `forward` computed from
 * its inputs and kept on `ctx` (`ctx.e = torch.exp(x)`, or `ctx.save_for_backward(e)` of such an intermediate
 * that is not the output): `forward` runs with recording off, so that tensor has no graph back to the input,
 * and a derivative taken with `create_graph=True` through the Function misses every term through it (its
 * gradient does not even require grad when nothing else connects it). PyTorch's tutorial "Double Backward
 * with Custom Functions" ("Saving Intermediate Results: what not to do"). Returns the store in `forward`
 * (an assignment `ctx.<attr> = ...`, or the argument of `save_for_backward`: where the diagnostic goes), or null. Not flagged: stores of the inputs or of the returned output (saved
 * inputs and outputs keep their graph), and of values whose derivative is zero anyway (comparisons, masks,
 * integer or shape results).
 */
export function graphlessIntermediate(model: SemanticModel, fwd: PyNode, bwd: PyNode): PyNode | null {
  const text = (n: PyNode): string => textOf(model.tree, n);
  const params = (def: PyNode): string[] => {
    const out: string[] = [];
    for (const p of field(def, 'parameters')?.children ?? []) {
      const id = p.type === 'identifier' ? p : p.children.find((c) => c.type === 'identifier');
      if (id) out.push(text(id));
    }
    return out;
  };
  const fp = params(fwd);
  const bp = params(bwd);
  if (fp.length < 2 || bp.length < 1) return null;
  const fctx = fp[0];
  const bctx = bp[0];
  const inputs = new Set(fp.slice(1));
  // Locals of forward computed from the inputs (with a graph only if forward recorded, which it does not).
  const computed = new Set<string>();
  const names = (n: PyNode): string[] => {
    const out: string[] = [];
    const visit = (x: PyNode): void => {
      if (x.type === 'identifier' && x.field !== 'attribute') out.push(text(x));
      if (x.type === 'lambda' || x.type === 'function_definition') return;
      for (const c of x.children) visit(c);
    };
    visit(n);
    return out;
  };
  // A value with a zero derivative: a comparison, a boolean, an integer or shape result.
  const zeroGrad = (v: PyNode): boolean => {
    const u = unparen(v);
    if (u.type === 'comparison_operator' || u.type === 'boolean_operator' || u.type === 'not_operator') return true;
    if (u.type === 'call') {
      const fn = field(u, 'function');
      if (!fn) return false;
      const q = model.qualifiedName(fn);
      if (q && (q.startsWith('torch.') && /\.(?:sign|round|floor|ceil|trunc|heaviside|argmax|argmin|argsort|eq|ne|gt|lt|ge|le|isnan|isinf|isfinite|nonzero|searchsorted|bucketize|floor_divide)$/.test(q))) return true;
      // A new tensor of the input's shape only (`torch.full_like(x, 3.0)`, `x.new_zeros(n)`): its values do not depend on the input.
      if (q && /^torch\.(?:zeros|ones|full|empty|rand|randn|randint)_like$/.test(q)) return true;
      if (fn.type === 'attribute' && /^new_(?:zeros|ones|full|empty|tensor)$/.test(text(field(fn, 'attribute') ?? fn))) return true;
      if (fn.type === 'attribute' && ZERO_GRAD_METHOD.test(text(field(fn, 'attribute') ?? fn))) return true;
      // The same value moved or marked (`.to(device)`, `.requires_grad_(False)`).
      const recv = fn.type === 'attribute' ? field(fn, 'object') : null;
      if (recv && /^(?:to|float|double|half|cuda|cpu|contiguous|clone|requires_grad_)$/.test(text(field(fn, 'attribute') ?? fn))) return zeroGrad(recv);
    }
    return u.type === 'attribute' && /^(?:shape|dtype|device|ndim)$/.test(text(field(u, 'attribute') ?? u));
  };
  const fromInputs = (v: PyNode): boolean => {
    const u = unparen(v);
    if (u.type === 'identifier') return computed.has(text(u));
    if (zeroGrad(u)) return false;
    if (/\.(?:detach|data)\b/.test(text(u))) return false; // a detached copy: AGL026's other check
    return names(u).some((x) => inputs.has(x) || computed.has(x));
  };
  const body = field(fwd, 'body');
  const returned = new Set<string>();
  const stores = new Map<string, PyNode>(); // ctx attribute -> store
  const savedAt: (PyNode | null)[] = [];
  const walk = (n: PyNode, visit: (x: PyNode) => void): void => {
    for (const c of n.children) {
      if (c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'lambda') continue;
      visit(c);
      walk(c, visit);
    }
  };
  if (!body) return null;
  walk(body, (n) => {
    if (n.type === 'return_statement') {
      for (const c of n.children) {
        const u = unparen(c);
        const items = u.type === 'tuple' || u.type === 'expression_list' ? u.children : [u];
        for (const i of items) if (i.type === 'identifier') returned.add(text(i));
      }
      return;
    }
    if (n.type === 'assignment') {
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (!left || !right) return;
      if (left.type === 'identifier') {
        if (fromInputs(right) && unparen(right).type !== 'identifier') computed.add(text(left));
        else if (unparen(right).type !== 'identifier' || !computed.has(text(unparen(right)))) computed.delete(text(left));
        else computed.add(text(left));
      } else if (left.type === 'attribute' && text(field(left, 'object') ?? left) === fctx && fromInputs(right)) {
        stores.set(text(field(left, 'attribute') ?? left), n);
      }
      return;
    }
    if (n.type === 'call' && text(field(n, 'function') ?? n) === `${fctx}.save_for_backward`) {
      for (const a of field(n, 'arguments')?.children ?? []) savedAt.push(fromInputs(a) ? a : null);
    }
  });
  // Outputs saved or stored keep their graph (the Function's output is its own node): not intermediates.
  for (const [attr, store] of [...stores]) {
    const r = field(store, 'right');
    if (r && unparen(r).type === 'identifier' && returned.has(text(unparen(r)))) stores.delete(attr);
  }
  {
    let i = 0;
    for (const n of inOrderOf(body)) {
      if (n.type !== 'call' || text(field(n, 'function') ?? n) !== `${fctx}.save_for_backward`) continue;
      for (const a of field(n, 'arguments')?.children ?? []) {
        if (unparen(a).type === 'identifier' && returned.has(text(unparen(a)))) savedAt[i] = null;
        i++;
      }
    }
  }
  if (stores.size === 0 && !savedAt.some((s) => s !== null)) return null;
  // In backward: names holding such an intermediate, and names computed from them, reaching the return.
  const tainted = new Map<string, PyNode>();
  const taintOf = (e: PyNode): PyNode | null => {
    for (const x of inOrderOf(e, true)) {
      if (x.type === 'attribute' && text(field(x, 'object') ?? x) === bctx) {
        const s = stores.get(text(field(x, 'attribute') ?? x));
        if (s) return s;
      }
      if (x.type === 'identifier' && x.field !== 'attribute' && tainted.has(text(x))) return tainted.get(text(x))!;
    }
    return null;
  };
  let found: PyNode | null = null;
  const bbody = field(bwd, 'body');
  if (!bbody) return null;
  walk(bbody, (n) => {
    if (found) return;
    if (n.type === 'assignment') {
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (!left || !right) return;
      if (text(right) === `${bctx}.saved_tensors` && (left.type === 'pattern_list' || left.type === 'tuple_pattern')) {
        left.children.forEach((c, i) => {
          const s = savedAt[i];
          if (c.type === 'identifier' && s) tainted.set(text(c), s);
        });
        return;
      }
      if (left.type === 'identifier') {
        const t = taintOf(right);
        if (t && !zeroGrad(right)) tainted.set(text(left), t);
        else tainted.delete(text(left));
      }
      return;
    }
    if (n.type === 'return_statement') found = n.children.map((c) => taintOf(c)).find((t) => t !== null) ?? null;
  });
  return found;
}

/** The nodes under `n` (and `n` itself when asked) in source order, not entering nested functions, classes or lambdas. */
function inOrderOf(n: PyNode, self = false): PyNode[] {
  const out: PyNode[] = self ? [n] : [];
  const visit = (x: PyNode): void => {
    for (const c of x.children) {
      if (c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'lambda') continue;
      out.push(c);
      visit(c);
    }
  };
  visit(n);
  return out;
}
