/**
 * AGL014 grad-of-non-leaf: `.grad` read of a tensor that is not a leaf — `requires_grad` was set and
 * then the tensor was moved (`.cuda()`, `.to(device)`), cast (`.double()`, `.to(torch.float64)`) or
 * computed with (`* 2 - 1`). Autograd fills `.grad` only for leaves, so it stays None. Also of a tensor
 * that never requires grad (on some path), read after a backward.
 */
import { Kind, onlyKind, requiresGrad } from '../analysis';
import { surelyContainer } from '../analysis/queries';
import type { Rule, RuleContext } from '../rule';
import { baseIdentifier, bindingValue, rootCalleeName, type SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';
import { assertedNone, gradReads } from '../torch';
import type { Fix } from '../types';
import { methodOf } from '../grad-mode';
import { lateMarking, reachesLeaf } from '../late-marking';

type State = { kind: 'leaf'; dtype: string } | { kind: 'nonleaf'; where: PyNode; how: string } | null;

const FLOAT_FACTORIES = new Set([
  'torch.tensor', 'torch.as_tensor', 'torch.zeros', 'torch.ones', 'torch.empty', 'torch.full', 'torch.rand', 'torch.randn',
  'torch.arange', 'torch.linspace', 'torch.logspace', 'torch.eye', 'torch.zeros_like', 'torch.ones_like', 'torch.rand_like',
  'torch.randn_like', 'torch.empty_like', 'torch.full_like',
]);
const DIFFERENTIABLE_METHODS = new Set([
  'view', 'reshape', 'unsqueeze', 'squeeze', 't', 'transpose', 'permute', 'flatten', 'expand', 'expand_as', 'repeat',
  'clone', 'sum', 'mean', 'pow', 'exp', 'log', 'sin', 'cos', 'tanh', 'sigmoid', 'abs', 'mul', 'add', 'sub', 'div',
  'matmul', 'clamp', 'neg', 'contiguous', 'narrow', 'select', 'index_select', 'gather',
]);
const DTYPE_METHODS: Record<string, string> = { double: 'torch.float64', float: 'torch.float32', half: 'torch.float16', bfloat16: 'torch.bfloat16' };
const DTYPE_ALIASES: Record<string, string> = { 'torch.double': 'torch.float64', 'torch.float': 'torch.float32', 'torch.half': 'torch.float16' };

function dtypeName(m: SemanticModel, node: PyNode): string | null {
  const q = m.qualifiedName(node);
  if (!q || !/^torch\.(?:float|double|half|bfloat16|int|long|short|uint8|bool|complex)/.test(q)) return null;
  return DTYPE_ALIASES[q] ?? q;
}

function isCpu(m: SemanticModel, node: PyNode): boolean {
  const n = unparen(node);
  if (n.type === 'string') return /^['"]cpu['"]$/.test(m.textOf(n));
  if (n.type === 'call' && m.qualifiedName(n) === 'torch.device') {
    const a = m.call(n)?.positional[0];
    return a !== undefined && /^['"]cpu['"]$/.test(m.textOf(a));
  }
  return false;
}

function nonleaf(from: State, where: PyNode, how: string): State {
  if (!from) return null;
  return from.kind === 'nonleaf' ? from : { kind: 'nonleaf', where, how };
}

/** Whether the value of `expr` is a leaf requiring grad, a non-leaf derived from one, or neither/unknown. */
function stateOf(m: SemanticModel, expr: PyNode, depth = 0): State {
  if (depth > 6) return null;
  const n = unparen(expr);
  switch (n.type) {
    case 'identifier': {
      if (!m.isUse(n)) return null;
      const reach = m.reachingBindings(n);
      if (reach.length === 0) return null;
      let out: State = null;
      for (const b of reach) {
        const v = b.kind === 'assign' && b.path.length === 0 ? bindingValue(b) : null;
        const s = v ? stateOf(m, v, depth + 1) : null;
        if (!s || (out && out.kind !== s.kind)) return null;
        out ??= s;
      }
      return out;
    }
    case 'binary_operator': {
      const l = field(n, 'left');
      const r = field(n, 'right');
      const s = (l && stateOf(m, l, depth + 1)) || (r && stateOf(m, r, depth + 1)) || null;
      return nonleaf(s, n, 'arithmetic');
    }
    case 'unary_operator': {
      const a = field(n, 'argument');
      return a ? nonleaf(stateOf(m, a, depth + 1), n, 'arithmetic') : null;
    }
    case 'subscript': {
      const v = field(n, 'value');
      return v ? nonleaf(stateOf(m, v, depth + 1), n, 'indexing') : null;
    }
    case 'call':
      break;
    default:
      return null;
  }
  const c = m.call(n);
  if (!c) return null;
  const mo = methodOf(m, c);
  if (mo) {
    const inner = mo.method === 'requires_grad_' ? null : stateOf(m, mo.receiver, depth + 1);
    if (mo.method === 'requires_grad_') {
      const arg = c.positional[0] ?? c.keywords.get('requires_grad');
      if (arg && m.literalBool(arg) === false) return null;
      const before = stateOf(m, mo.receiver, depth + 1);
      return before && before.kind === 'nonleaf' ? before : { kind: 'leaf', dtype: 'torch.float32' };
    }
    if (!inner) return null;
    if (mo.method === 'detach' || mo.method === 'numpy' || mo.method === 'item' || mo.method === 'tolist') return null;
    if (mo.method === 'cuda') return nonleaf(inner, n, '`.cuda()` copies it to the GPU');
    if (mo.method === 'cpu') return inner;
    if (DTYPE_METHODS[mo.method]) {
      if (inner.kind === 'leaf' && inner.dtype === DTYPE_METHODS[mo.method]) return inner;
      return nonleaf(inner, n, `\`.${mo.method}()\` casts it`);
    }
    if (mo.method === 'to' || mo.method === 'type') {
      const args = [...c.positional, ...c.keywords.values()];
      if (args.length === 0) return inner;
      let changes = false;
      for (const a of args) {
        const d = dtypeName(m, a);
        if (d) changes ||= !(inner.kind === 'leaf' && inner.dtype === d);
        else if (!isCpu(m, a) && !(a.parent?.type === 'keyword_argument' && /^(?:non_blocking|copy)$/.test(m.textOf(field(a.parent, 'name') ?? a)))) changes = true;
      }
      return changes ? nonleaf(inner, n, `\`.${mo.method}(${args.map((a) => m.textOf(a)).join(', ')})\` makes a copy`) : inner;
    }
    if (DIFFERENTIABLE_METHODS.has(mo.method)) return nonleaf(inner, n, `\`.${mo.method}()\``);
    return null;
  }
  if (c.qname && FLOAT_FACTORIES.has(c.qname)) {
    const rg = c.keywords.get('requires_grad');
    if (!rg || m.literalBool(rg) !== true) return null;
    const dt = c.keywords.get('dtype');
    return { kind: 'leaf', dtype: dt ? (dtypeName(m, dt) ?? '?') : 'torch.float32' };
  }
  if (c.qname && c.qname.startsWith('torch.') && c.positional[0]) {
    return nonleaf(stateOf(m, c.positional[0], depth + 1), n, `\`${c.qname}\``);
  }
  // `nn.Linear(2, 1)(x)`: a module (or transform) made by torch and applied to the tensor.
  if (c.calleeCall && rootCalleeName(c)?.startsWith('torch.') && c.positional[0]) {
    return nonleaf(stateOf(m, c.positional[0], depth + 1), n, `\`${m.textOf(field(n, 'function')!)}\``);
  }
  return null;
}

/** Whether `name.retain_grad()` is called before offset `at` in the same function. */
function retained(m: SemanticModel, obj: PyNode, at: number): boolean {
  const name = m.textOf(obj);
  const fn = m.enclosingFunction(obj);
  return m.calls.some((c) => c.method === 'retain_grad' && c.receiver && m.textOf(c.receiver) === name && c.node.start < at && m.enclosingFunction(c.node) === fn);
}

/**
 * Whether `name.grad = ...` is assigned before offset `at` in the same function: the code filled the buffer itself
 * (a test that presets a gradient), so reading it gives that value, leaf or not.
 */
function gradAssigned(m: SemanticModel, obj: PyNode, at: number): boolean {
  const name = m.textOf(obj);
  const fn = m.enclosingFunction(obj);
  return m.mutations.some((mu) => {
    const t = mu.target;
    if (t.type !== 'attribute' || t.start >= at) return false;
    const attr = field(t, 'attribute');
    const o = field(t, 'object');
    return !!attr && !!o && m.textOf(attr) === 'grad' && m.textOf(o) === name && m.enclosingFunction(t) === fn;
  });
}

function retainGradFix(ctx: RuleContext, obj: PyNode): Fix | null {
  const m = ctx.model;
  if (obj.type !== 'identifier' || !m.isUse(obj)) return null;
  const reach = m.reachingBindings(obj);
  if (reach.length !== 1 || reach[0].kind !== 'assign') return null;
  const stmt = reach[0].stmt;
  const name = ctx.text(obj);
  return {
    title: `Call ${name}.retain_grad() after it is computed`,
    safe: false,
    edits: [ctx.insertAt(ctx.lineEndAfter(stmt), `${ctx.indentOf(stmt)}${name}.retain_grad()${ctx.eol}`)],
  };
}

export const AGL014: Rule = {
  meta: {
    code: 'AGL014',
    name: 'grad-of-non-leaf',
    summary: '`.grad` of a tensor that is not a leaf (moved, cast or computed after `requires_grad`) or never requires grad: it stays None.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds `x.grad` reads where `x` was made with `requires_grad=True` (or `.requires_grad_()`) and then moved, cast or ' +
        'computed with before being bound: `torch.ones(3, requires_grad=True).cuda()`, `.to(device)`, `.double()`, ' +
        '`.to(torch.float64)`, `torch.rand(3, requires_grad=True) * 2 - 1`, indexing. Also `x.grad` of a layer\'s output ' +
        'marked with `x.requires_grad_()` as if it were an input — an embedding lookup (`emb(ids)`, a Hugging Face model\'s ' +
        '`get_input_embeddings()(ids)`), a backbone\'s features: it has history from the weights, the mark changes nothing. ' +
        'Calls of `x.retain_grad()` before the read are respected. Also `x.grad` read after a backward in the same function ' +
        'of a tensor that never requires grad: made by `torch.from_numpy`, a factory without `requires_grad`, a clone or ' +
        'detached copy, and never marked — or marked only inside an `if` without `else` (`if old_pytorch: x = Variable(x, ' +
        'requires_grad=True)`), the read being after that `if` and not under the same test. Also a Parameter moved or cast ' +
        'where it is made (`self.w = nn.Parameter(t).cuda()`, `.to(device)`, `.double()`): what is kept is the copy, a plain ' +
        'tensor that is not a leaf; a module does not register it (it is missing from `parameters()`, no optimizer updates ' +
        'it, its `.grad` stays None) and an optimizer given it raises "can\'t optimize a non-leaf Tensor"; likewise a tensor ' +
        'made with `requires_grad=True` and moved where it is made when the copy is kept on `self` ' +
        '(`self.w = torch.randn(3, requires_grad=True).cuda()`) and the file gives it to an optimizer or reads its `.grad` ' +
        '(`torch.autograd.grad` works for a non-leaf). Not reported: a ' +
        '`requires_grad=False` Parameter, `.cpu()` and `.to(torch.float32)` (which return the Parameter itself for data ' +
        'already there), a copy handed to `nn.ParameterList`/`ParameterDict`/`register_parameter`. Also `x.grad` of an ' +
        'input marked after the forward pass that used it (`out = model(x); x.requires_grad_(); out.backward()`): the ' +
        'graph was built before the mark and does not contain `x` (reported when no backward before the read reached it).',
      whyIsThisBad:
        'Only leaves get `.grad` filled by `backward()`. The leaf here is the tensor made by the factory; `x` names a copy ' +
        'or a result computed from it, so `x.grad` is None (PyTorch only warns), and code that uses it fails later or ' +
        'silently skips an update.',
      example: ['```python', 'x = torch.rand(5, requires_grad=True).to(device)', 'model(x).sum().backward()', 'print(x.grad)   # None', '```'].join('\n'),
      useInstead: [
        '```python',
        'x = torch.rand(5, device=device, requires_grad=True)       # the leaf is made where it lives',
        '# or: x = torch.rand(5).to(device).requires_grad_()',
        '# or: x.retain_grad() before backward(); or torch.autograd.grad(out, x)',
        '```',
      ].join('\n'),
      knownProblems:
        'A `.grad` a test asserts to be None (`assertIsNone(buffer.grad)`) and a tensor a factory is given `requires_grad=` ' +
        'from a variable are not reported. ' +
        'A list whose elements a loop marks (`for A, b in zip(As, bs): A.requires_grad = True`) is read as marked when `.grad` ' +
        'is then taken by index (`As[step].grad`); other aliases of a collection\'s elements are not followed. ' +
        '`.to(device)` and `.cuda()` are flagged even though on a machine where the tensor already lives on that device ' +
        'they return the same tensor (then `.grad` works there and fails elsewhere). `.to(dtype)` / `.double()` / `.float()` ' +
        'are not flagged when the factory visibly has that dtype already. Tensors passed through helpers or containers are ' +
        'not followed. A tensor that never requires grad is reported only when its origin is visible and it is never ' +
        'marked in the analysis\' view: one marked by a helper of another file, or through an alias, is taken as never ' +
        'marked; one that reaches the read from several places is left alone. A `.grad` compared with None is a check, ' +
        'not a use.',
      fixSafety:
        'Inserting `x.retain_grad()` after the assignment is unsafe: `x.grad` is then filled, but `x` is still not a leaf ' +
        '(an optimizer given `x` refuses it). Creating the leaf on its device and dtype is usually the better change and is ' +
        'left to you.',
      references: ['[torch.Tensor.is_leaf](https://pytorch.org/docs/stable/generated/torch.Tensor.is_leaf.html)'],
    },
  },

  check(ctx) {
    const m = ctx.model;
    const done = new Set<number>();
    const movedLeaves = checkMovedParameters(ctx);
    for (const g of gradReads(m)) {
      const obj = field(g, 'object');
      if (!obj) continue;
      const s = stateOf(m, obj);
      if (!s || s.kind !== 'nonleaf') continue;
      // `grads.grad` of the tuple `autograd.grad` returns: no tensor at all (AGL082).
      if (surelyContainer(ctx.analysis.valueOf(obj))) continue;
      if (retained(m, unparen(obj), g.start) || gradAssigned(m, unparen(obj), g.start)) continue;
      const name = ctx.text(obj);
      const fix = retainGradFix(ctx, unparen(obj));
      ctx.report({
        node: g,
        message:
          `\`${name}.grad\` is None: \`${name}\` is not a leaf (${s.how} after \`requires_grad\` was set), and autograd fills ` +
          '`.grad` only for leaves. Create the leaf on its device and dtype, call `retain_grad()`, or use `torch.autograd.grad`.',
        related: [{ node: s.where, message: 'the tensor stops being a leaf here' }],
        fixes: fix ? [fix] : [],
      });
      done.add(g.id);
    }
    // What the analysis sees beyond one assignment: a leaf changed on one path (`if ...: x = x.unsqueeze(0)`),
    // through helpers and attributes; and optimizers given a non-leaf.
    const retains = m.calls.filter((c) => c.method === 'retain_grad');
    // Values computed from weights (a layer's output) that the code marks with `requires_grad_()`, as if they were
    // inputs: the mark changes nothing, they stay non-leaves (`embeds = emb(ids)`). (`requires_grad = True` on them
    // raises instead: AGL042.)
    const markedOutputs = new Map<number, PyNode>();
    for (const l of ctx.analysis.events.leaves) {
      const b = l.beforeAny.t;
      if (l.kind === 'method' && b && b.leafOf === null && b.params.length > 0 && !b.variable && !b.opaque && l.beforeAny.site >= 0) markedOutputs.set(l.beforeAny.site, l.node);
    }
    for (const g of ctx.analysis.events.gradReads) {
      const t = g.owner.t;
      if (done.has(g.node.id) || !t || t.leafOf !== null || t.opaque || t.variable) continue;
      const mark = t.leaves.length === 0 && t.params.length > 0 ? markedOutputs.get(g.owner.site) : undefined;
      if (t.leaves.length === 0 && !mark) continue;
      const obj = field(g.node, 'object');
      if (!obj || retains.some((c) => c.receiver && ctx.text(c.receiver) === ctx.text(obj))) continue;
      if (isControlUse(ctx, g.node) || gradAssigned(ctx.model, unparen(obj), g.node.start)) continue;
      const where = g.owner.site >= 0 ? ctx.tree.nodes[g.owner.site] : null;
      const name = ctx.text(obj);
      if (mark) {
        ctx.report({
          node: g.node,
          message:
            `\`${name}.grad\` is None: \`${name}\` is computed from a layer's weights (${where ? `\`${ctx.text(where).slice(0, 60)}\`` : 'a layer'}), so ` +
            'it is not a leaf, and marking it with `requires_grad` (line ' + ctx.lineOf(mark) + ') does not make it one: autograd fills ' +
            `\`.grad\` only for leaves. Call \`${name}.retain_grad()\` before the backward, or take \`torch.autograd.grad(output, ${name})\`.`,
          related: [...(where ? [{ node: where, message: 'computed here, from weights' }] : []), { node: mark, message: 'the mark that changes nothing' }],
          fixes: [],
        });
        continue;
      }
      ctx.report({
        node: g.node,
        message:
          `\`${name}.grad\` is None: \`${name}\` is not a leaf (${where ? `\`${ctx.text(where).slice(0, 60)}\` makes a new tensor` : 'it was computed'} after \`requires_grad\` was set), and autograd fills ` +
          '`.grad` only for leaves. Create the leaf on its device and dtype, call `retain_grad()`, or use `torch.autograd.grad`.',
        related: where ? [{ node: where, message: 'the tensor stops being a leaf here' }] : [],
        fixes: [],
      });
    }
    // A tensor that never requires grad (`torch.from_numpy(x)`, a factory without `requires_grad`, a detached copy),
    // read after a backward: autograd does not differentiate with respect to it, `.grad` stays None.
    for (const g of ctx.analysis.events.gradReads) {
      if (done.has(g.node.id)) continue;
      // A backward ran before the read, in the same function (one of a tensor without grad would raise instead).
      const fill = ctx.analysis.events.backwards.find((b) => b.fn === g.fn && b.node.end <= g.node.start);
      if (!fill) continue;
      const v = g.owner;
      const t = v.t;
      const branch = t ? markedOnOneBranch(ctx, g.node, t) : null;
      if (branch) {
        const obj = field(g.node, 'object');
        if (!obj || isControlUse(ctx, g.node) || gradAssigned(ctx.model, unparen(obj), g.node.start)) continue;
        const name = ctx.text(obj);
        done.add(g.node.id);
        ctx.report({
          node: g.node,
          message:
            `\`${name}.grad\` is None whenever \`${branch.condText}\` is false: \`${name}\` is made to require grad only inside ` +
            `that \`if\` (line ${ctx.lineOf(branch.mark)}); on the other path it never requires grad` +
            (branch.made ? ` (it is made by \`${ctx.text(branch.made).replace(/\s+/g, ' ').slice(0, 50)}\`)` : '') +
            `, and the backward leaves its \`.grad\` None. Mark it on every path ` +
            `(\`${name}.requires_grad_()\` after the \`if\`, or in an \`else\`).`,
          related: [{ node: branch.mark, message: 'marked only on this branch' }, { node: fill.node, message: 'the backward' }],
          fixes: [],
        });
        continue;
      }
      if (!t || t.opaque || t.variable || requiresGrad(t) || v.site < 0 || !onlyKind(v, Kind.TENSOR)) continue;
      const made = ctx.tree.nodes[v.site];
      const obj = field(g.node, 'object');
      // Made by a call (a factory, a conversion, a copy); an in-place update (`w -= lr * w.grad`, `w.add_()`) keeps the leaf.
      if (!made || made.type !== 'call' || /_$/.test(ctx.model.call(made)?.method ?? '')) continue;
      // `torch.sparse_coo_tensor(i, v, size, requires_grad=requires_grad)`: whether it requires grad is the caller's.
      const rg = ctx.model.call(made)?.keywords.get('requires_grad');
      if (rg && unparen(rg).type !== 'false') continue;
      if (!obj || isControlUse(ctx, g.node) || gradAssigned(ctx.model, unparen(obj), g.node.start)) continue;
      // A mark of the same name anywhere in the file leaves the read alone; the answer reads every occurrence of the
      // name's words (a re-lint by groups joins the groups that hold them).
      for (const w of ctx.text(obj).match(/\w+/g) ?? []) ctx.model.probeWord(w);
      if (ctx.analysis.events.leaves.some((l) => l.target && ctx.text(l.target) === ctx.text(obj))) continue;
      if (markedThroughLoop(ctx, obj)) continue;
      const name = ctx.text(obj);
      done.add(g.node.id);
      ctx.report({
        node: g.node,
        message:
          `\`${name}.grad\` is None: \`${name}\` never requires grad (it is made by \`${ctx.text(made).replace(/\s+/g, ' ').slice(0, 50)}\` ` +
          'and never marked), so the backward does not compute a gradient for it. Mark the tensor before the forward pass ' +
          `(\`${name}.requires_grad_()\`, or \`requires_grad=True\` where it is made), or take \`torch.autograd.grad(loss, ${name})\` of a marked tensor.`,
        related: [{ node: made, message: 'made here, without requires_grad' }, { node: fill.node, message: 'the backward' }],
        fixes: [],
      });
    }
    markedAfterUse(ctx, done);
    for (const o of ctx.analysis.events.optimizers) {
      // Copies of leaves already reported where they were made (`self.w = torch.randn(3, requires_grad=True).cuda()`).
      const bad = o.params.filter((t) => t.leafOf === null && t.leaves.length > 0 && !t.opaque && !t.variable && !t.leaves.every((l) => movedLeaves.has(l)));
      if (bad.length === 0) continue;
      ctx.report({
        node: o.node,
        message:
          'The optimizer is given a tensor that is not a leaf (it was moved, cast or computed after `requires_grad` was set): ' +
          'PyTorch raises "can\'t optimize a non-leaf Tensor". Create the tensor on its device and dtype first, then set `requires_grad`.',
        related: [],
        fixes: [],
      });
    }
  },
};

/** Methods that, called on a freshly made `nn.Parameter`, return a copy (a plain tensor) on another device or dtype. */
const PARAMETER_COPY_METHODS: Record<string, string> = {
  cuda: '`.cuda()` copies it to the GPU',
  double: '`.double()` casts it to float64',
  half: '`.half()` casts it to float16',
  bfloat16: '`.bfloat16()` casts it to bfloat16',
};
/** Calls a copy may be given that make a Parameter of it again (or reject it loudly). */
const REWRAPPING_CALLS = /(?:^|\.)(?:ParameterList|ParameterDict|Parameter|register_parameter|register_buffer)$/;

/**
 * `nn.Parameter(t).cuda()`, `.to(device)`, `.double()`: the Parameter is made, then moved or cast, and what is kept is
 * the copy — a plain tensor that is not a leaf. Stored on a module (`self.w = ...`) it is not registered: it is missing
 * from `model.parameters()`, so no optimizer updates it, and its `.grad` stays None; given to an optimizer it raises
 * "can't optimize a non-leaf Tensor". (`.to(device)` onto the device the data already has returns the Parameter
 * itself: the code then works there and not on the device it was written for.)
 */
function movedParameter(m: SemanticModel, c: import('../semantic').CallInfo): { how: string; param: PyNode; leaf: boolean } | null {
  if (!c.method || !c.receiver) return null;
  const recv = unparen(c.receiver);
  if (recv.type !== 'call') return null;
  const pc = m.call(recv);
  if (!pc) return null;
  // Also a leaf made by a factory (or `Variable`) with `requires_grad=True` and moved where it is made, when the copy is
  // kept on a module (`self.w = torch.randn(3, requires_grad=True).cuda()`): no `.grad` read needs to show it.
  const stmt = c.node.parent;
  const onSelf = stmt?.type === 'assignment' && field(stmt, 'right') === c.node && field(stmt, 'left')?.type === 'attribute' && /^self\./.test(m.textOf(field(stmt, 'left')!));
  let leaf = false;
  let dtype: string | null = null;
  if (pc.qname === 'torch.nn.Parameter' || pc.qname === 'torch.nn.parameter.Parameter') {
    const rg = pc.keywords.get('requires_grad') ?? pc.positional[1];
    if (rg && m.literalBool(rg) !== true) return null;
    if (pc.positional.length === 0 && !pc.keywords.has('data')) return null;
  } else if (onSelf && pc.qname && (FLOAT_FACTORIES.has(pc.qname) || pc.qname === 'torch.autograd.Variable')) {
    const rg = pc.keywords.get('requires_grad');
    if (!rg || m.literalBool(rg) !== true) return null;
    const dt = pc.keywords.get('dtype');
    dtype = dt ? dtypeName(m, dt) : pc.qname === 'torch.autograd.Variable' ? null : 'torch.float32';
    leaf = true;
  } else return null;
  if (PARAMETER_COPY_METHODS[c.method]) {
    if (c.method === 'cuda' && c.positional.length + c.keywords.size > 1) return null;
    if (leaf && DTYPE_METHODS[c.method] && (dtype === null || dtype === DTYPE_METHODS[c.method])) return null;
    return { how: PARAMETER_COPY_METHODS[c.method], param: recv, leaf };
  }
  if (c.method !== 'to') return null;
  const args = [...c.positional, ...c.keywords.values()];
  if (args.length === 0) return null;
  for (const a of args) {
    const kw = a.parent?.type === 'keyword_argument' ? m.textOf(field(a.parent, 'name') ?? a) : null;
    if (kw === 'non_blocking' || kw === 'copy' || kw === 'memory_format') continue;
    if (isCpu(m, a)) return null;
    const d = dtypeName(m, a);
    // `.to(torch.float32)` of data whose dtype is not visible may return the Parameter itself.
    if (d) {
      if (d === 'torch.float32' || (leaf && (dtype === null || d === dtype))) return null;
      continue;
    }
    if (unparen(a).type === 'string' && !/^['"]cuda(?::\d+)?['"]$/.test(m.textOf(unparen(a)))) return null;
  }
  return { how: `\`.to(${args.map((a) => m.textOf(a)).join(', ')})\` makes a copy`, param: recv, leaf };
}

function checkMovedParameters(ctx: RuleContext): Set<number> {
  const m = ctx.model;
  const moved = new Set<number>();
  for (const c of m.calls) {
    const mp = movedParameter(m, c);
    if (!mp) continue;
    // Given to something that makes it a Parameter again (`nn.ParameterList([...])`) or refuses it loudly.
    let rewrapped = false;
    for (let p = c.node.parent; p && p.type !== 'expression_statement' && p.type !== 'assignment' && p.type !== 'function_definition'; p = p.parent) {
      if (p.type === 'call') {
        const q = m.call(p);
        const name = q?.qname ?? q?.method ?? (field(p, 'function') ? m.textOf(field(p, 'function')!) : '');
        if (REWRAPPING_CALLS.test(name)) rewrapped = true;
      }
    }
    if (rewrapped) continue;
    const stmt = c.node.parent;
    const target = stmt?.type === 'assignment' && field(stmt, 'right') === c.node ? field(stmt, 'left') : null;
    const attr = target?.type === 'attribute' ? target : null;
    // The copy is wrapped again later (`self.w = nn.Parameter(self.w)`, `register_parameter('w', self.w)`) or the
    // attribute rebound in the same function: what is kept is not the copy.
    if (target && (target.type === 'attribute' || target.type === 'identifier')) {
      const name = ctx.text(target);
      const fnNode = m.enclosingFunction(c.node);
      const later = (n: PyNode): boolean => n.start > c.node.end && m.enclosingFunction(n) === fnNode;
      const rewrapped = m.calls.some((k) => later(k.node) && REWRAPPING_CALLS.test(k.qname ?? k.method ?? '') && [...k.positional, ...k.keywords.values()].some((a) => ctx.text(a) === name));
      const rebound = m.bindings.some((b) => b.kind === 'assign' && later(b.target) && ctx.text(b.target) === name) ||
        m.mutations.some((mu) => later(mu.target) && ctx.text(mu.target) === name);
      if (rewrapped || rebound) continue;
    }
    const pc = m.call(mp.param)!;
    const data = pc.positional[0] ?? pc.keywords.get('data');
    const args = field(c.node, 'arguments');
    let suggestion = '';
    if (data && args) {
      const d = unparen(data);
      const dataText = /^(?:identifier|attribute|call|subscript|parenthesized_expression)$/.test(d.type) ? ctx.text(data) : `(${ctx.text(data)})`;
      const fnText = ctx.text(field(mp.param, 'function') ?? mp.param);
      const rest = [...pc.positional.slice(1), ...[...pc.keywords.entries()].filter(([k]) => k !== 'data').map(([k, v]) => ({ k, v }))]
        .map((a) => ('k' in a ? `${a.k}=${ctx.text(a.v)}` : ctx.text(a)));
      suggestion = `${fnText}(${dataText}.${c.method}${ctx.text(args)}${rest.length ? `, ${rest.join(', ')}` : ''})`;
      if (suggestion.length > 90 || suggestion.includes('\n')) suggestion = '';
    }
    const fixHint = `move the data before making the Parameter (${suggestion ? `\`${suggestion}\`` : 'the call inside `nn.Parameter(...)`'}), or move the whole module (\`model.to(device)\`)`;
    if (mp.leaf) {
      // A non-leaf is still differentiated against by `torch.autograd.grad` (CAVIA's context parameters): only when the
      // file gives it to an optimizer or reads its `.grad`.
      const name = ctx.text(attr!);
      const wanted =
        m.calls.some((k) => !!k.qname && /^torch\.optim\.[A-Z]/.test(k.qname) && [...k.positional, ...k.keywords.values()].some((a) => ctx.text(a).includes(name))) ||
        gradReads(m).some((g) => { const o = field(g, 'object'); return !!o && ctx.text(o) === name; });
      if (!wanted) {
        // (The optimizer may be built in another unit of the file: the re-lint by groups must see it.)
        m.probeWord(name.slice(name.lastIndexOf('.') + 1));
        continue;
      }
      ctx.report({
        node: c.node,
        message:
          `\`${ctx.text(attr!)}\` holds a copy of the leaf, not the leaf: \`requires_grad\` is set where the tensor is made, then ${mp.how}, ` +
          'and the copy is not a leaf. Its `.grad` stays None after backward, an optimizer given it raises "can\'t optimize a ' +
          'non-leaf Tensor", and the module does not register it. Create it on its device and dtype with `requires_grad=True` ' +
          '(`torch.randn(..., device=device, requires_grad=True)`), or make it an `nn.Parameter` of the moved data.',
        related: [{ node: mp.param, message: 'the leaf, which nothing keeps' }],
        fixes: [],
      });
      moved.add(mp.param.id);
      continue;
    }
    ctx.report({
      node: c.node,
      message: attr
        ? `\`${ctx.text(attr)}\` holds a copy of the Parameter, not the Parameter: ${mp.how}, and the copy is a plain tensor that is ` +
          'not a leaf. The module does not register it (it is missing from `parameters()` and the state dict), so no optimizer ' +
          `updates it and its \`.grad\` stays None after backward. To train it, ${fixHint}.`
        : `The Parameter made here is not what is kept: ${mp.how}, and the copy is a plain tensor that is not a leaf. Its ` +
          '`.grad` stays None after backward, and an optimizer given it raises "can\'t optimize a non-leaf Tensor". ' +
          `To train it, ${fixHint}.`,
      related: [{ node: mp.param, message: 'the Parameter, which nothing keeps' }],
      fixes: [],
    });
  }
  return moved;
}

/**
 * `out = model(x); x.requires_grad_(); out.backward(); x.grad`: the tensor is marked after the forward pass that used it,
 * so the graph `backward()` walks was built before `x` required grad and does not contain it; `x.grad` stays None. Reported
 * at the read when the mark, a use of the same tensor before it, a backward after it and the read are in one function,
 * no backward before the read reached the leaf (its buffer holds nothing), and the backward's target is not cut from the
 * leaf (a copy's cut is AGL002's).
 */
function markedAfterUse(ctx: RuleContext, done: Set<number>): void {
  const a = ctx.analysis;
  const m = ctx.model;
  for (const g of a.events.gradReads) {
    if (done.has(g.node.id) || g.fills.length > 0 || g.accumulated) continue;
    const obj = field(g.node, 'object');
    if (!obj) continue;
    const late = lateMarking(ctx, obj, g.owner, g.fn, g.node.start);
    if (!late) continue;
    const { leaf, used } = late;
    // The backwards between the mark and the read, in the same function, none reaching the leaf.
    const bws = a.events.backwards.filter((b) => b.fn === g.fn && b.node.start > leaf.node.end && b.node.end <= g.node.start);
    if (bws.length === 0 || bws.some((b) => reachesLeaf(b.target, leaf))) continue;
    if (isControlUse(ctx, g.node) || gradAssigned(m, unparen(obj), g.node.start) || retained(m, unparen(obj), g.node.start)) continue;
    const name = ctx.text(obj);
    done.add(g.node.id);
    ctx.report({
      node: g.node,
      message:
        `\`${name}.grad\` is None: \`${name}\` is marked \`requires_grad\` on line ${ctx.lineOf(leaf.node)}, after it was used on line ` +
        `${ctx.lineOf(used)}, and the graph that \`.backward()\` (line ${ctx.lineOf(bws[0].node)}) walks was built then, without it. ` +
        `Mark \`${name}\` before the forward pass that uses it.`,
      related: [
        { node: used, message: 'used here, before it requires grad' },
        { node: leaf.node, message: 'marked too late' },
        { node: bws[0].node, message: 'the backward' },
      ],
      fixes: [],
    });
  }
}

/**
 * `x` read as `x.grad` is a leaf only on some paths: its one marking (`x = Variable(x, requires_grad=True)`,
 * `x.requires_grad_()`) sits in the body of an `if` without `else`, the read is after that `if` (not under the same
 * test), and before the marking `x` surely did not require grad (`torch.from_numpy(...)`, a factory). On the path that
 * skips the `if`, `x.grad` stays None. The test is the marking's innermost `if` in the read's function.
 */
function markedOnOneBranch(ctx: RuleContext, read: PyNode, t: import('../analysis').TensorFacts): { mark: PyNode; made: PyNode | null; condText: string } | null {
  if (t.leafOf !== null || t.leaves.length > 0 || t.params.length > 0 || t.opaque || t.variable || t.mayLeaf.length !== 1) return null;
  const ev = ctx.analysis.events.leaves.find((l) => l.node.id === t.mayLeaf[0]);
  if (!ev) return null;
  const b = ev.beforeAny;
  if (!b.t || b.t.opaque || b.t.variable || requiresGrad(b.t) || !onlyKind(b, Kind.TENSOR)) return null;
  const made = b.site >= 0 ? ctx.tree.nodes[b.site] ?? null : null;
  // The marking's innermost enclosing `if`, entered through its body, and no `else`/`elif`.
  let ifNode: PyNode | null = null;
  for (let c: PyNode = ev.node, p = ev.node.parent; p; c = p, p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') break;
    if (p.type === 'elif_clause' || p.type === 'else_clause') return null;
    if (p.type === 'if_statement') {
      if (c.field !== 'consequence') return null;
      ifNode = p;
      break;
    }
    if (p.type === 'for_statement' || p.type === 'while_statement' || p.type === 'try_statement' || p.type === 'with_statement') return null;
  }
  if (!ifNode || ifNode.children.some((c) => c.type === 'elif_clause' || c.type === 'else_clause')) return null;
  if (read.start < ifNode.end || ctx.model.enclosingFunction(read) !== ctx.model.enclosingFunction(ifNode)) return null;
  // The read is not under the same test (`if cond:` again).
  const cond = field(ifNode, 'condition');
  if (!cond) return null;
  const condText = ctx.text(cond).replace(/\s+/g, ' ');
  for (let p = read.parent; p; p = p.parent) {
    if (p.type === 'function_definition') break;
    if (p.type === 'if_statement' && ctx.text(field(p, 'condition') ?? p).replace(/\s+/g, ' ') === condText) return null;
  }
  return { mark: ev.node, made, condText };
}

/** `x.grad is None`, `if x.grad:`: a check, not a use of the gradient. */
function isControlUse(ctx: RuleContext, read: PyNode): boolean {
  const p = read.parent;
  if (!p) return false;
  if (p.type === 'comparison_operator' || p.type === 'not_operator' || p.type === 'if_statement') return true;
  // `self.assertIsNone(buffer.grad)`: a test that checks whether the buffer is None (PyTorch's distributed tests check
  // that a buffer got no gradient).
  return assertedNone(ctx.model, read);
}

/**
 * `As[step].grad` after `for A, b in zip(As, bs): A.requires_grad = True` (theseus's solver tests): the loop's
 * variable is each element of the collection in turn, so marking it marks the elements. The analysis keeps the
 * collection's own value; this reads the loops that mark their variable, for the collection the `.grad` is read from.
 */
function markedThroughLoop(ctx: RuleContext, obj: PyNode): boolean {
  const u = unparen(obj);
  if (u.type !== 'subscript') return false;
  const base = baseIdentifier(u);
  if (!base) return false;
  const collection = ctx.text(base);
  for (const l of ctx.analysis.events.leaves) {
    const target = l.target ? unparen(l.target) : null;
    if (!target || target.type !== 'identifier') continue;
    const name = ctx.text(target);
    for (let p = target.parent; p; p = p.parent) {
      if (p.type !== 'for_statement') continue;
      const left = field(p, 'left');
      const right = field(p, 'right');
      if (!left || !right) continue;
      const bound = left.type === 'identifier' ? [left] : namedChildren(left).filter((c) => c.type === 'identifier');
      if (!bound.some((b) => ctx.text(b) === name)) continue;
      const r = unparen(right);
      const iterated = r.type === 'call' && /^(?:zip|enumerate)$/.test(ctx.text(field(r, 'function') ?? r)) ? namedChildren(field(r, 'arguments') ?? r) : [r];
      if (iterated.some((i) => unparen(i).type === 'identifier' && ctx.text(unparen(i)) === collection)) return true;
    }
  }
  return false;
}
