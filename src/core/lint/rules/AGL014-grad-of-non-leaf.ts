/**
 * AGL014 grad-of-non-leaf: `.grad` read of a tensor that is not a leaf — `requires_grad` was set and
 * then the tensor was moved (`.cuda()`, `.to(device)`), cast (`.double()`, `.to(torch.float64)`) or
 * computed with (`* 2 - 1`). Autograd fills `.grad` only for leaves, so it stays None.
 */
import type { Rule, RuleContext } from '../rule';
import { bindingValue, rootCalleeName, type SemanticModel } from '../semantic';
import { field, unparen, type PyNode } from '../tree';
import { gradReads } from '../torch';
import type { Fix } from '../types';
import { methodOf } from './AGL009-derivative-with-recording-off';

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
    summary: '`.grad` of a tensor that is not a leaf (moved, cast or computed after `requires_grad`): it stays None.',
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
        'Calls of `x.retain_grad()` before the read are respected.',
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
        '`.to(device)` and `.cuda()` are flagged even though on a machine where the tensor already lives on that device ' +
        'they return the same tensor (then `.grad` works there and fails elsewhere). `.to(dtype)` / `.double()` / `.float()` ' +
        'are not flagged when the factory visibly has that dtype already. Tensors passed through helpers or containers are ' +
        'not followed.',
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
    for (const g of gradReads(m)) {
      const obj = field(g, 'object');
      if (!obj) continue;
      const s = stateOf(m, obj);
      if (!s || s.kind !== 'nonleaf') continue;
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
      if (isControlUse(g.node) || gradAssigned(ctx.model, unparen(obj), g.node.start)) continue;
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
    for (const o of ctx.analysis.events.optimizers) {
      const bad = o.params.filter((t) => t.leafOf === null && t.leaves.length > 0 && !t.opaque && !t.variable);
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

/** `x.grad is None`, `if x.grad:`: a check, not a use of the gradient. */
function isControlUse(read: PyNode): boolean {
  const p = read.parent;
  return !!p && (p.type === 'comparison_operator' || p.type === 'not_operator' || p.type === 'if_statement');
}
