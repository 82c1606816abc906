/**
 * AGL104 leaf-rebound-by-update: a manual gradient step that rebinds the tensor it updates (`w = w - lr * w.grad`)
 * instead of changing it in place. The name then holds a new tensor: under `torch.no_grad()` one that does not require
 * grad (the next backward raises or leaves it untrained), outside it a non-leaf of the old graph whose `.grad` stays
 * None (the next update raises). The question is about the statement and the loop it runs in: a name (or `self.x`) is
 * bound to an expression of its own `.grad` (directly, or through `g = w.grad`), not made a leaf again (`.detach()`,
 * `.requires_grad_()`, `nn.Parameter`, a later `requires_grad = True`), and either a backward runs in the same loop
 * (the next pass needs the leaf) or the statement is a descent step whose result nothing reads (a quoted update).
 */
import type { Rule, RuleContext } from '../rule';
import type { SemanticModel } from '../semantic';
import { gradReads } from '../torch';
import { field, unparen, walk, type PyNode } from '../tree';

/** Calls in the new value that make it a leaf again (or keep the old tensor): the rebinding is then meant. */
const RELEAF_METHODS = new Set(['detach', 'detach_', 'requires_grad_', 'retain_grad']);
const RELEAF_FUNCTIONS = /^torch\.(?:nn\.(?:parameter\.)?Parameter|tensor|as_tensor)$/;

interface Candidate {
  target: PyNode;
  text: string;
  value: PyNode;
  stmt: PyNode;
  /** The plain-name binding (for its uses), or null for `self.x`. */
  binding: (SemanticModel['bindings'])[number] | null;
}

function candidates(m: SemanticModel): Candidate[] {
  const out: Candidate[] = [];
  for (const b of m.bindings) {
    if (b.kind !== 'assign' || !b.value || b.path.length > 0 || b.stmt.type === 'augmented_assignment') continue;
    out.push({ target: b.target, text: b.name, value: unparen(b.value), stmt: b.stmt, binding: b });
  }
  for (const mu of m.mutations) {
    if (mu.kind !== 'attribute' || mu.name !== 'self' || mu.stmt.type === 'augmented_assignment') continue;
    const t = unparen(mu.target);
    if (unparen(field(t, 'object') ?? t).type !== 'identifier') continue;
    out.push({ target: t, text: m.textOf(t).replace(/\s+/g, ''), value: unparen(mu.value), stmt: mu.stmt, binding: null });
  }
  return out;
}

/** The `.grad` read of `text` inside `value` (`w.grad`, or a name bound to `w.grad`), or null. */
function ownGradRead(m: SemanticModel, value: PyNode, text: string, reads: readonly PyNode[]): PyNode | null {
  const ofText = (r: PyNode): boolean => {
    const o = field(r, 'object');
    return o !== null && m.textOf(unparen(o)).replace(/\s+/g, '') === text;
  };
  const direct = reads.find((r) => r.start >= value.start && r.end <= value.end && ofText(r));
  if (direct) return direct;
  let found: PyNode | null = null;
  walk(value, (n) => {
    if (found) return false;
    if (n.type === 'identifier' && m.isUse(n)) {
      const bs = m.reachingBindings(n);
      if (bs.length > 0 && bs.every((b) => b.kind === 'assign' && b.value !== null && b.path.length === 0 && unparen(b.value).type === 'attribute' && reads.includes(unparen(b.value)) && ofText(unparen(b.value)))) {
        found = unparen(bs[0].value!);
      }
    }
    return true;
  });
  return found;
}

/** Whether `value` makes a leaf again: `.detach()`, `.requires_grad_()`, `nn.Parameter(...)`, `torch.tensor(...)`. */
function releafed(m: SemanticModel, value: PyNode): boolean {
  let yes = false;
  walk(value, (n) => {
    if (yes) return false;
    if (n.type === 'call') {
      const c = m.call(n);
      if (c?.method && RELEAF_METHODS.has(c.method)) yes = true;
      else if (c?.qname && RELEAF_FUNCTIONS.test(c.qname)) yes = true;
    }
    return !yes;
  });
  return yes;
}

/** The scope node the statement runs in: its function, or the module. */
function scopeNode(m: SemanticModel, n: PyNode): PyNode {
  return m.enclosingFunction(n)?.node ?? m.tree.root;
}

/** Whether `text` is marked as a leaf (`requires_grad_()`, `.requires_grad = ...`, `retain_grad()`) in `[start, end)`, outside `skip`. */
function remarked(m: SemanticModel, text: string, start: number, end: number, skip: PyNode): boolean {
  for (const c of m.calls) {
    if (c.node.start < start || c.node.end > end || (c.node.start >= skip.start && c.node.end <= skip.end)) continue;
    if ((c.method === 'requires_grad_' || c.method === 'retain_grad') && c.receiver && m.textOf(unparen(c.receiver)).replace(/\s+/g, '') === text) return true;
  }
  return m.mutations.some(
    (mu) => mu.kind === 'attribute' && mu.attr === 'requires_grad' && mu.stmt.start >= start && mu.stmt.end <= end && m.textOf(unparen(field(mu.target, 'object') ?? mu.target)).replace(/\s+/g, '') === text,
  );
}

/** Another binding of the candidate's name in the loop, or a use of it made a leaf again (`nn.Parameter(w)`, `w.detach()`). */
function reboundInLoop(m: SemanticModel, cand: Candidate, loop: PyNode): boolean {
  if (cand.binding) {
    if (m.bindings.some((b) => b !== cand.binding && b.name === cand.text && b.scope === cand.binding!.scope && b.stmt.start >= loop.start && b.stmt.end <= loop.end)) return true;
  } else if (m.mutations.some((mu) => mu.stmt !== cand.stmt && mu.kind === 'attribute' && m.textOf(unparen(mu.target)).replace(/\s+/g, '') === cand.text && mu.stmt.start >= loop.start && mu.stmt.end <= loop.end)) {
    return true;
  }
  return m.calls.some((c) => {
    if (c.node.start < loop.start || c.node.end > loop.end || (c.node.start >= cand.stmt.start && c.node.end <= cand.stmt.end)) return false;
    const names = (x: PyNode | null): boolean => x !== null && m.textOf(unparen(x)).replace(/\s+/g, '') === cand.text;
    if (c.method && RELEAF_METHODS.has(c.method) && names(c.receiver)) return true;
    return c.qname !== null && RELEAF_FUNCTIONS.test(c.qname) && c.positional.some((a) => names(a));
  });
}

/** Under `torch.no_grad()` / `torch.inference_mode()` (a `with` in the function, or a decorator of it). */
function underNoGrad(m: SemanticModel, n: PyNode): boolean {
  if (m.withContextsAt(n).some((w) => w.items.some((it) => /(?:^|\.)(?:no_grad|inference_mode)\b/.test(m.textOf(it))))) return true;
  const fn = m.enclosingFunction(n);
  return fn !== null && fn.decorators.some((d) => /(?:no_grad|inference_mode)/.test(d));
}

export const AGL104: Rule = {
  meta: {
    code: 'AGL104',
    name: 'leaf-rebound-by-update',
    summary: 'A manual gradient step rebinds the tensor it trains (`w = w - lr * w.grad`): the name now holds a new tensor that is not the leaf whose `.grad` backward fills.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds an assignment that binds a name (or `self.x`) to an expression of that tensor\'s own gradient ' +
        '(`w = w - lr * w.grad`, `w = torch.sub(w, lr * g)` with `g = w.grad`) without making the result a leaf again ' +
        '(no `.detach()`, `.requires_grad_()`, `nn.Parameter(...)` in it, no `w.requires_grad_()` / `w.requires_grad = True` ' +
        'after it), when a backward runs in the same loop (the next pass needs the leaf), or when the statement is a ' +
        'descent step whose result nothing reads (an update quoted on its own).',
      whyIsThisBad:
        'Assignment rebinds the name; it does not change the tensor. Under `torch.no_grad()` the new `w` does not ' +
        'require grad: the next loss does not depend on a trainable tensor, so its `backward()` raises (or, when other ' +
        'parameters are in the loss, `w` silently stops training). Outside `no_grad` the new `w` is a non-leaf of the ' +
        'previous graph: PyTorch does not keep its `.grad`, so the next update reads None and raises, and every pass ' +
        'builds on the graphs of all earlier ones.',
      example: ['```python', 'for x, y in data:', '    loss = ((x @ w - y) ** 2).mean()', '    loss.backward()', '    with torch.no_grad():', '        w = w - lr * w.grad', '```'].join('\n'),
      useInstead: [
        '```python',
        'for x, y in data:',
        '    loss = ((x @ w - y) ** 2).mean()',
        '    loss.backward()',
        '    with torch.no_grad():',
        '        w -= lr * w.grad',
        '    w.grad = None',
        '```',
      ].join('\n'),
      knownProblems:
        'A name rebound once outside any loop whose new value is read afterwards (a single FGSM step `x = x + eps * ' +
        'x.grad.sign()` whose result is returned) is not reported: a new tensor is what such code wants. A statement ' +
        'outside a loop is reported only when nothing reads the new value and it subtracts (a descent step quoted on its ' +
        'own, as blogs and issues show it); in a function the caller\'s loop is not seen. The tensor is matched by its ' +
        'text (`w`, `self.w`); an update of a list element (`params[i] = params[i] - ...`) is not asked about. Code ' +
        'that differentiates through the update on purpose (a backward with `create_graph=True` in the file) is left alone.',
      fixSafety: 'No automatic fix: the in-place form (`w -= lr * w.grad`) is right only under `torch.no_grad()` and needs the gradient reset as well.',
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    const reads = gradReads(m);
    if (reads.length === 0) return;
    // Differentiating through the update on purpose (unrolled optimization, hypergradients).
    if (m.calls.some((c) => { const k = c.keywords.get('create_graph'); return k !== undefined && m.textOf(k) !== 'False'; })) return;
    const backwards = m.calls.filter((c) => (c.method === 'backward' && c.receiver !== null) || c.qname === 'torch.autograd.backward');
    for (const cand of candidates(m)) {
      const v = cand.value;
      if (v.type !== 'binary_operator' && v.type !== 'call') continue;
      const read = ownGradRead(m, v, cand.text, reads);
      if (!read) continue;
      // The old value itself takes part (`w - lr * w.grad`, `torch.sub(w, ...)`), not only its gradient (`g = w.grad * 2`).
      let usesOld = false;
      walk(v, (n) => {
        if (usesOld || (n.start >= read.start && n.end <= read.end)) return false;
        if ((n.type === 'identifier' || n.type === 'attribute') && m.textOf(n).replace(/\s+/g, '') === cand.text && !(n.parent?.type === 'attribute' && field(n.parent, 'object') === n && m.textOf(field(n.parent, 'attribute') ?? n) === 'grad')) usesOld = true;
        return !usesOld;
      });
      if (!usesOld || releafed(m, v)) continue;
      const loop = m.outermostLoopOf(cand.stmt);
      const scope = scopeNode(m, cand.stmt);
      const noGrad = underNoGrad(m, cand.stmt);
      let why: string;
      if (loop) {
        if (remarked(m, cand.text, loop.start, loop.end, cand.stmt)) continue;
        // Another binding of the name in the loop starts each pass from a tensor of its own (`w = model.linear.weight`,
        // `x_adv = x_adv.detach()`), or wraps the new value back into a leaf (`layer.weight = nn.Parameter(w)`).
        if (reboundInLoop(m, cand, loop)) continue;
        if (!backwards.some((b) => b.node.start >= loop.start && b.node.end <= loop.end)) continue;
        why = 'the next pass of the loop';
      } else {
        if (remarked(m, cand.text, cand.stmt.end, scope.end, cand.stmt)) continue;
        if (!cand.binding || m.usesOf(cand.binding).some((u) => u.start >= cand.stmt.end)) continue;
        const op = v.type === 'binary_operator' ? field(v, 'operator') : null;
        const sub = (op !== null && m.textOf(op) === '-') || (v.type === 'call' && /(?:^|\.)sub$/.test(m.call(v)?.qname ?? ''));
        if (!sub) continue;
        why = 'the next step';
      }
      ctx.report({
        node: cand.stmt,
        message:
          `\`${ctx.text(cand.stmt)}\` rebinds \`${cand.text}\` to a new tensor instead of updating it: ` +
          (noGrad
            ? `under \`torch.no_grad()\` the new \`${cand.text}\` does not require grad, so ${why} cannot train it (its backward raises or leaves it out). `
            : `the new \`${cand.text}\` is a non-leaf of the previous graph, so after ${why}'s backward its \`.grad\` is None. `) +
          `Update in place under \`torch.no_grad()\` (\`${cand.text} -= ...\`, then \`${cand.text}.grad = None\`), or rebind to a leaf (\`.detach().requires_grad_()\`).`,
        related: [{ node: read, message: 'the gradient of the leaf the name held' }],
      });
    }
  },
};
