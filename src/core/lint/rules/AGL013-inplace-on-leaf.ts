/**
 * AGL013 inplace-on-leaf: an in-place operation (`x += ...`, `x.add_(...)`, `x[i] = ...`) on a leaf
 * tensor that requires grad, outside `torch.no_grad()`. PyTorch raises "a leaf Variable that requires
 * grad is being used in an in-place operation".
 */
import type { Rule, RuleContext } from '../rule';
import { bindingValue, type Binding, type CallInfo, type SemanticModel } from '../semantic';
import { field, namedChildren, nodesOfType, nodesOfTypes, unparen, walk, type PyNode } from '../tree';
import { leafBindings, leafMarks, parametersCall } from '../torch';
import type { Fix } from '../types';
import { gradModeAt } from '../grad-mode';

/** In-place methods that are fine on a leaf (they do not modify its data). */
const HARMLESS_INPLACE = new Set(['requires_grad_', 'share_memory_', 'detach_', 'retain_grad']);
const PARAMETER_CLASSES = new Set(['torch.nn.Parameter', 'torch.nn.parameter.Parameter']);

interface Leaf {
  binding: Binding;
  /** Where the tensor became a leaf requiring grad. */
  marker: PyNode;
}

/** Leaf bindings with the offset from which they require grad. */
function leaves(m: SemanticModel): Leaf[] {
  const out: Leaf[] = [];
  for (const mark of leafMarks(m)) {
    // `make_tensor(..., requires_grad=requires_grad)`: a flag passed as a variable may be False
    // (PyTorch's own test helpers do this); only a visible True makes a leaf that requires grad.
    if (mark.kind === 'factory' && m.literalBool(m.call(mark.marker)?.keywords.get('requires_grad') ?? mark.marker) !== true) continue;
    for (const b of leafBindings(m, mark)) out.push({ binding: b, marker: mark.marker });
  }
  for (const b of m.bindings) {
    if (b.kind !== 'assign' || b.path.length !== 0) continue;
    const v = bindingValue(b);
    const u = v ? unparen(v) : null;
    if (!u || u.type !== 'call') continue;
    const q = m.qualifiedName(u);
    if (!q || !PARAMETER_CLASSES.has(q)) continue;
    const c = m.call(u);
    const rg = c?.keywords.get('requires_grad') ?? c?.positional[1];
    if (rg && m.literalBool(rg) === false) continue;
    out.push({ binding: b, marker: u });
  }
  return out;
}

/** `x.requires_grad_(False)` (or `requires_grad=False`): a call that turns its receiver's `requires_grad` off. */
function freezes(m: SemanticModel, c: CallInfo): boolean {
  if (c.method !== 'requires_grad_' || !c.receiver) return false;
  const a = c.positional[0] ?? c.keywords.get('requires_grad');
  return !!a && m.literalBool(a) === false;
}

/** `x.requires_grad_(False)` / `x.requires_grad = False`: offsets after which `x` no longer requires grad. */
function unmarks(m: SemanticModel): { name: string; at: number }[] {
  const out: { name: string; at: number }[] = [];
  for (const c of m.calls) {
    if (freezes(m, c) && unparen(c.receiver!).type === 'identifier') out.push({ name: m.textOf(unparen(c.receiver!)), at: c.node.end });
  }
  for (const mu of m.mutations) {
    if (mu.kind === 'attribute' && mu.attr === 'requires_grad' && m.literalBool(mu.value) === false) out.push({ name: mu.name, at: mu.stmt.end });
  }
  return out;
}

/**
 * Whether the module or tensor `expr` is part of (`net`, `net.lin1` for `net.lin1.weight`) was frozen with
 * `.requires_grad_(False)` earlier in the same function: its parameters no longer require grad, and changing them
 * in place is allowed (a test that sets weights by hand after freezing the module).
 */
function frozenBefore(m: SemanticModel, expr: PyNode, at: number): boolean {
  const text = m.textOf(expr).replace(/\s+/g, '');
  const fn = m.enclosingFunction(expr);
  return m.calls.some((c) => {
    if (!freezes(m, c) || c.node.end > at || m.enclosingFunction(c.node) !== fn) return false;
    const r = m.textOf(unparen(c.receiver!)).replace(/\s+/g, '');
    return text === r || text.startsWith(`${r}.`) || text.startsWith(`${r}[`);
  });
}

/** The leaf that identifier `use` holds, if every binding reaching it is a leaf marked before `at`. */
function leafAt(m: SemanticModel, all: Leaf[], use: PyNode, at: number, off: { name: string; at: number }[]): Leaf | null {
  if (use.type !== 'identifier' || !m.isUse(use)) return null;
  const reach = m.reachingBindings(use);
  if (reach.length === 0) return null;
  let found: Leaf | null = null;
  for (const b of reach) {
    const l = all.find((x) => x.binding === b && x.marker.start < at);
    if (!l) return null;
    found ??= l;
  }
  const name = m.textOf(use);
  if (found && off.some((u) => u.name === name && u.at > found!.marker.start && u.at <= at)) return null;
  return found;
}

function outOfPlaceFix(ctx: RuleContext, stmtNode: PyNode, name: string, op: string, rhs: PyNode): Fix {
  return { title: `Rewrite out of place: ${name} = ${name} ${op} ...`, safe: false, edits: [ctx.replace(stmtNode, `${name} = ${name} ${op} (${ctx.text(rhs)})`)] };
}

const AUG_OPS: Record<string, string> = { '+=': '+', '-=': '-', '*=': '*', '/=': '/', '**=': '**', '@=': '@' };

export const AGL013: Rule = {
  meta: {
    code: 'AGL013',
    name: 'inplace-on-leaf',
    summary: 'In-place operation on a leaf tensor that requires grad, outside `torch.no_grad()`: PyTorch raises.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds `x += ...` (and the other augmented assignments), in-place methods such as `x.add_()`, `x.mul_()`, `x.copy_()`, ' +
        'and item assignment `x[i] = ...`, where `x` is a leaf that requires grad — made with `requires_grad=True`, ' +
        '`.requires_grad_()`, `.requires_grad = True`, or `nn.Parameter(...)` — and the operation is not inside ' +
        '`torch.no_grad()` (or a `@torch.no_grad()` function).',
      whyIsThisBad:
        'Autograd cannot record an in-place change of a leaf it must later compute the gradient for: PyTorch raises ' +
        '"a leaf Variable that requires grad is being used in an in-place operation". The classic case is a hand-written ' +
        'gradient step `w -= lr * w.grad` outside `torch.no_grad()`.',
      example: ['```python', 'w = torch.randn(2, requires_grad=True)', 'loss.backward()', 'w -= 0.1 * w.grad', '```'].join('\n'),
      useInstead: [
        '```python',
        'with torch.no_grad():        # a parameter update: not part of the graph',
        '    w -= 0.1 * w.grad',
        '    w.grad.zero_()',
        '# or, when the new value should be differentiable: x = x + 1 (a new, non-leaf tensor)',
        '```',
      ].join('\n'),
      knownProblems:
        'A variable is considered a leaf only when every assignment reaching the operation makes it one; in-place operations ' +
        'before `requires_grad_()`, or after `requires_grad_(False)`, are fine and not flagged. Leaves passed into helpers, and attributes such as `self.w`, ' +
        'are not followed. Operations on `x.data` or `x.detach()` are allowed (they bypass autograd on purpose). The ' +
        'parameters of a module the file freezes anywhere (`copy.requires_grad_(False)`, or a loop over `copy.parameters()` ' +
        'setting `requires_grad = False` or calling `detach_()`) are taken not to require grad where a loop over that ' +
        'module\'s parameters changes them in place (an EMA copy or a target network frozen in `__init__`), whatever the order.',
      fixSafety:
        'The out-of-place rewrite `x = x + (...)` is unsafe: `x` then names a new, non-leaf tensor, so `x.grad` stays None ' +
        'and an optimizer holding the old leaf no longer sees the change. For a parameter update, wrap the statement in ' +
        '`torch.no_grad()` instead (no automatic fix).',
      references: ['[In-place operations with autograd](https://pytorch.org/docs/stable/notes/autograd.html#in-place-operations-with-autograd)'],
    },
  },

  check(ctx) {
    const done = new Set<number>();
    checkSyntax(ctx, done);
    checkAnalysis(ctx, done);
  },
};

/** In-place operations on plain names bound to a leaf (with out-of-place fixes). */
function checkSyntax(ctx: RuleContext, done: Set<number>): void {
    const m = ctx.model;
    const all = leaves(m);
    if (all.length === 0) return;
    const off = unmarks(m);
    const report = (node: PyNode, use: PyNode, leaf: Leaf, what: string, fix: Fix | null): void => {
      const mode = gradModeAt(m, node);
      if (mode.state === 'no_grad' || mode.state === 'inference') return;
      done.add(node.id);
      const name = ctx.text(use);
      ctx.report({
        node,
        message:
          `${what} on \`${name}\`, a leaf tensor that requires grad: PyTorch raises "a leaf Variable that requires grad is ` +
          'being used in an in-place operation". Update it under `torch.no_grad()`, or compute a new tensor out of place.',
        related: [{ node: leaf.marker, message: `\`${name}\` requires grad from here` }],
        fixes: fix ? [fix] : [],
      });
    };

    for (const n of nodesOfTypes(m.tree, 'augmented_assignment', 'assignment')) {
      if (n.type === 'augmented_assignment') {
        const left = field(n, 'left');
        const right = field(n, 'right');
        if (!left || !right) continue;
        const l = unparen(left);
        const opNode = n.children.find((c) => c.field === 'operator');
        const op = opNode ? ctx.text(opNode) : '';
        if (l.type === 'identifier') {
          const leaf = leafAt(m, all, l, n.start, off);
          const plain = AUG_OPS[op];
          if (leaf) report(n, l, leaf, `\`${op}\``, plain ? outOfPlaceFix(ctx, n, ctx.text(l), plain, right) : null);
        } else if (l.type === 'subscript') {
          const base = field(l, 'value');
          const leaf = base ? leafAt(m, all, unparen(base), n.start, off) : null;
          if (leaf && base) report(n, unparen(base), leaf, `\`${op}\` on an element`, null);
        }
      } else if (n.type === 'assignment') {
        const left = field(n, 'left');
        const l = left ? unparen(left) : null;
        if (!l || l.type !== 'subscript') continue;
        const base = field(l, 'value');
        const leaf = base ? leafAt(m, all, unparen(base), n.start, off) : null;
        if (leaf && base) report(n, unparen(base), leaf, 'Item assignment', null);
      }
    }

    for (const c of m.calls) {
      if (!c.method || !c.receiver || !/^[a-z][a-z0-9_]*[a-z0-9]_$/.test(c.method) || HARMLESS_INPLACE.has(c.method)) continue;
      const r = unparen(c.receiver);
      const leaf = leafAt(m, all, r, c.node.start, off);
      if (!leaf) continue;
      let fix: Fix | null = null;
      const stmt = m.statementOf(c.node);
      if (stmt.type === 'expression_statement' && namedChildren(stmt)[0] === c.node) {
        const fn = field(c.node, 'function');
        const args = field(c.node, 'arguments');
        if (fn && args) {
          const name = ctx.text(r);
          fix = { title: `Rewrite out of place: ${name} = ${name}.${c.method.slice(0, -1)}(...)`, safe: false, edits: [ctx.replace(c.node, `${name} = ${name}.${c.method.slice(0, -1)}${ctx.text(args)}`)] };
        }
      }
      report(c.node, r, leaf, `\`.${c.method}()\``, fix);
    }
}

/**
 * What the analysis sees beyond plain names: parameters (`for p in model.parameters(): p.add_(...)`),
 * attributes, leaves passed into helpers, and library calls with `inplace=True` on a leaf.
 */
function checkAnalysis(ctx: RuleContext, done: Set<number>): void {
  // TensorFlow and JAX tensors are immutable: `x += y` rebinds the name there.
  if (!ctx.model.fileFact('torch-word')) return;
  // The modules the file freezes (`frozenModules`), read once, when an in-place change of a parameter first asks.
  let frozen: Set<string> | null = null;
    for (const ev of ctx.analysis.events.inplace) {
      const t = ev.target.t;
      if (!t || (t.leafOf === null && !t.variable) || t.leaves.length > 0 || t.opaque) continue;
      if (ev.recording.mode !== 'on') continue;
      if (ev.op === '[]=') continue; // item assignment: the syntactic check below words it
      if (frozenBefore(ctx.model, ev.expr, ev.node.start)) continue;
      if (t.variable && frozenModuleParameter(ctx, ev.expr, (frozen ??= frozenModules(ctx)))) continue;
      const name = ctx.text(ev.expr);
      const leafSite = t.leafOf !== null ? ctx.tree.nodes[t.leafOf] : null;
      const what = ev.op.startsWith('inplace=') ? `\`${ev.op.slice(8)}(..., inplace=True)\`` : ev.op.endsWith('=') ? `\`${ev.op}\`` : `\`.${ev.op}()\``;
      if (done.has(ev.node.id)) continue;
      done.add(ev.node.id);
      ctx.report({
        node: ev.node,
        message:
          `${what} on \`${name}\`, a ${t.variable ? 'parameter (a leaf tensor that requires grad)' : 'leaf tensor that requires grad'}: PyTorch raises "a leaf Variable that requires grad is ` +
          'being used in an in-place operation". Update it under `torch.no_grad()`, or compute a new tensor out of place.',
        related: leafSite ? [{ node: leafSite, message: `\`${name}\` requires grad from here` }] : [],
        fixes: [],
      });
    }
}

/**
 * A loop variable over a module's parameters (`for ema_p, p in zip(self.ema_model.parameters(), ...)`) where the file
 * freezes that module somewhere (`frozen`, from `frozenModules`): an EMA copy or a target network frozen in `__init__`
 * and updated in place in another method. Its parameters do not require grad there.
 */
function frozenModuleParameter(ctx: RuleContext, expr: PyNode, frozen: ReadonlySet<string>): boolean {
  const m = ctx.model;
  let u = unparen(expr);
  // `ema_p.mul_(d).add_(p, alpha=1 - d)`: an in-place method returns its receiver.
  for (let c = u.type === 'call' ? m.call(u) : undefined; c && c.method && /_$/.test(c.method) && c.receiver; c = u.type === 'call' ? m.call(u) : undefined) u = unparen(c.receiver);
  if (u.type !== 'identifier' || !m.isUse(u)) return false;
  const reach = m.reachingBindings(u);
  if (reach.length === 0 || reach.some((b) => b.kind !== 'for' || !b.value)) return false;
  return reach.every((b) => {
    let iter = unparen(b.value!);
    // `zip(a.parameters(), b.parameters())` unpacked: the argument at the variable's position.
    const zc = iter.type === 'call' ? m.call(iter) : undefined;
    if (zc && ctx.text(field(iter, 'function') ?? iter) === 'zip' && b.path.length > 0 && zc.positional[b.path[0]]) iter = unparen(zc.positional[b.path[0]]);
    const pc = parametersCall(m, iter);
    return !!pc?.receiver && frozen.has(normalized(ctx, pc.receiver));
  });
}

/** A module's text without blanks, as `frozenModules` keys it (`self.ema_model`). */
function normalized(ctx: RuleContext, n: PyNode): string {
  return ctx.text(unparen(n)).replace(/\s+/g, '');
}

/**
 * The modules the file freezes anywhere: `X.requires_grad_(False)` (also `X.eval().requires_grad_(False)`, and the name
 * bound by `X = deepcopy(model).requires_grad_(False)`), and `X` of a loop over `X.parameters()` whose body sets
 * `requires_grad = False`, calls `requires_grad_(False)` or `detach_()`.
 */
function frozenModules(ctx: RuleContext): Set<string> {
  const m = ctx.model;
  const frozen = new Set<string>();
  for (const c of m.calls) {
    if (!freezes(m, c)) continue;
    frozen.add(normalized(ctx, c.receiver!).replace(/\.(?:eval|train|to|cuda|cpu|float|double)\([^()]*\)$/, ''));
    // `self.average = deepcopy(model).requires_grad_(False)` (or with `.to(device)` after it): the name bound.
    let top: PyNode = c.node;
    while (top.parent && top.parent.type === 'attribute' && top.parent.parent?.type === 'call') top = top.parent.parent;
    const stmt = top.parent;
    if (stmt?.type === 'assignment' && field(stmt, 'right') === top) {
      const left = field(stmt, 'left');
      if (left) frozen.add(normalized(ctx, left));
    }
  }
  for (const n of nodesOfType(ctx.tree, 'for_statement')) {
    const right = field(n, 'right');
    const pc = right ? parametersCall(m, unparen(right)) : undefined;
    const body = field(n, 'body');
    if (!pc?.receiver || !body) continue;
    let freezing = false;
    walk(body, (x) => {
      if (freezing) return false;
      const text = x.type === 'expression_statement' ? ctx.text(x).replace(/\s+/g, '') : '';
      if (/\.requires_grad=False$|\.requires_grad_\(False\)$|\.requires_grad_\(requires_grad=False\)$|\.detach_\(\)$/.test(text)) freezing = true;
      return undefined;
    });
    if (freezing) frozen.add(normalized(ctx, pc.receiver));
  }
  return frozen;
}
