/**
 * AGL113 accumulator-random-init: a running sum started from random numbers or uninitialised memory
 * (`acc = torch.randn_like(v)`, `torch.empty(n)`, `[torch.randn(p.size()) for p in params]`) and then only added to in
 * a loop (`acc += x`, `acc = acc + x`, `acc.add_(x)`, `acc = [a + b for a, b in zip(acc, xs)]`) with terms that neither
 * read it nor are random themselves. The question to the analysis: is the first value of the name a random or
 * uninitialised construction, is every use of it in the loop that follows an accumulation into it, and is it read
 * after the loop?
 */
import type { Rule, RuleContext } from '../rule';
import { field, namedChildren, unparen, walk, type PyNode } from '../tree';

/** Constructions of random values or of uninitialised memory. */
const RANDOM_OR_EMPTY = new Set([
  'torch.randn', 'torch.rand', 'torch.randn_like', 'torch.rand_like', 'torch.empty', 'torch.empty_like',
  'numpy.random.randn', 'numpy.random.rand', 'numpy.random.normal', 'numpy.random.uniform', 'numpy.random.random',
  'numpy.empty', 'numpy.empty_like', 'jax.random.normal', 'jax.random.uniform', 'tensorflow.random.normal',
  'tensorflow.random.uniform',
]);
/** Methods a construction is commonly wrapped in that keep its values (`.to(device)`, `.cuda()`, `.float()`). */
const KEEPS_VALUES = new Set(['to', 'cuda', 'cpu', 'float', 'double', 'half', 'type', 'detach', 'requires_grad_', 'contiguous']);
/** In-place methods that accumulate into their receiver. */
const ACCUMULATE_METHODS = new Set(['add_', 'sub_', 'addcmul_', 'addmm_', 'addmv_', 'add']);

function isBoundary(n: PyNode): boolean {
  return n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda';
}

/** The random or uninitialised construction `n` is (through `.to(device)` and the like), or null. */
function randomConstruction(ctx: RuleContext, n: PyNode): PyNode | null {
  let u = unparen(n);
  for (let i = 0; i < 4 && u.type === 'call'; i++) {
    const c = ctx.model.call(u);
    if (!c) return null;
    if (c.qname && RANDOM_OR_EMPTY.has(c.qname)) return u;
    if (c.method && KEEPS_VALUES.has(c.method) && c.receiver) {
      u = unparen(c.receiver);
      continue;
    }
    return null;
  }
  return null;
}

/** `[R(...) for p in params]`, `{n: R(...) for n, p in named}`: a list or dict of random constructions. */
function randomList(ctx: RuleContext, n: PyNode): PyNode | null {
  const u = unparen(n);
  if (u.type !== 'list_comprehension' && u.type !== 'dictionary_comprehension') return null;
  let body = field(u, 'body');
  if (body?.type === 'pair') body = field(body, 'value');
  return body ? randomConstruction(ctx, body) : null;
}

/** Whether `n` calls anything random (a term of noise added on purpose). */
function hasRandom(ctx: RuleContext, n: PyNode): boolean {
  let found = false;
  walk(n, (k) => {
    if (found) return false;
    if (k.type === 'call') {
      const c = ctx.model.call(k);
      const q = c?.qname ?? '';
      if (/(?:^|\.)(?:rand\w*|normal\w*|uniform\w*|bernoulli|multinomial|poisson|empty\w*)$|(?:^|\.)random\./.test(q)) found = true;
      if (c?.method && /^(?:normal_|uniform_|bernoulli_|random_|exponential_|rand\w*)$/.test(c.method)) found = true;
    }
    return !found;
  });
  return found;
}

/** Every node of `scope` (not inside nested functions) whose text is `text` and whose type is `type`. */
function occurrences(ctx: RuleContext, scope: PyNode, text: string, type: string, from = 0, to = Infinity): PyNode[] {
  const out: PyNode[] = [];
  walk(scope, (n) => {
    if (n !== scope && isBoundary(n)) return false;
    if (n.end <= from || n.start >= to) return n.start < to && n.end > from;
    if (n.type === type && ctx.text(n) === text) {
      out.push(n);
      return false;
    }
    return true;
  });
  return out;
}

/** The terms of a sum `a + b + c` (left-associated), or `[n]` when `n` is not a sum. */
function additiveTerms(ctx: RuleContext, n: PyNode): PyNode[] {
  if (n.type !== 'binary_operator') return [n];
  const op = field(n, 'operator');
  const a = field(n, 'left');
  const b = field(n, 'right');
  if (!op || !a || !b || ctx.text(op) !== '+') return [n];
  return [...additiveTerms(ctx, unparen(a)), b];
}

interface Update {
  stmt: PyNode;
  /** The occurrences of the accumulator inside the update that the update itself accounts for. */
  own: PyNode[];
  /** The term added. */
  term: PyNode;
}

/** An accumulation into `acc` written as `stmt`, or null. `list` is set when `acc` holds a list of arrays. */
function accumulation(ctx: RuleContext, stmt: PyNode, acc: string, list: boolean): Update | null {
  const named = namedChildren(stmt);
  const e = stmt.type === 'expression_statement' && named.length === 1 ? named[0]! : null;
  if (!e) return null;
  const left = field(e, 'left');
  const right = field(e, 'right');
  if (e.type === 'augmented_assignment' && left && right) {
    const op = ctx.text(e).slice(left.end - e.start, right.start - e.start).trim();
    if (op !== '+=' && op !== '-=') return null;
    const l = unparen(left);
    if (ctx.text(l) === acc) return { stmt, own: [l], term: right };
    // `acc[i] += x` over a list of arrays.
    if (list && l.type === 'subscript' && ctx.text(field(l, 'value') ?? l) === acc) return { stmt, own: [field(l, 'value')!], term: right };
    return null;
  }
  if (e.type === 'assignment' && left && right) {
    const l = unparen(left);
    const r = unparen(right);
    if (ctx.text(l) === acc && r.type === 'binary_operator') {
      const op = field(r, 'operator');
      const a = field(r, 'left');
      const b = field(r, 'right');
      if (!op || !a || !b || (ctx.text(op) !== '+' && ctx.text(op) !== '-')) return null;
      if (ctx.text(unparen(a)) === acc) return { stmt, own: [l, unparen(a)], term: b };
      // `acc = x + acc`, `acc = acc + x * n + y`: the accumulator is one term of a sum.
      const t = additiveTerms(ctx, r).find((x) => ctx.text(unparen(x)) === acc);
      if (t && occurrences(ctx, r, acc, l.type).length === 1) return { stmt, own: [l, unparen(t)], term: r };
      return null;
    }
    // `acc = [a + x for a, x in zip(acc, xs)]`
    if (list && ctx.text(l) === acc && r.type === 'list_comprehension') {
      const body = field(r, 'body');
      const clauses = namedChildren(r).filter((k) => k.type === 'for_in_clause');
      if (!body || clauses.length !== 1 || unparen(body).type !== 'binary_operator') return null;
      const target = field(clauses[0]!, 'left');
      const iter = field(clauses[0]!, 'right');
      const z = iter ? unparen(iter) : null;
      if (!target || !z || z.type !== 'call' || ctx.text(field(z, 'function') ?? z) !== 'zip') return null;
      const zipArgs = namedChildren(field(z, 'arguments') ?? z);
      const k = zipArgs.findIndex((a) => ctx.text(unparen(a)) === acc);
      const names = namedChildren(unparen(target)).filter((x) => x.type === 'identifier');
      if (k < 0 || names.length !== zipArgs.length) return null;
      const item = ctx.text(names[k]!);
      // `a + x`, `a + x * n + 0.`: the item is one term of a sum and appears nowhere else.
      const terms = additiveTerms(ctx, unparen(body));
      if (!terms.some((t) => ctx.text(unparen(t)) === item) || occurrences(ctx, body, item, 'identifier').length !== 1) return null;
      return { stmt, own: [l, zipArgs[k]!], term: body };
    }
    return null;
  }
  if (e.type === 'call') {
    const c = ctx.model.call(e);
    if (!c?.method || !ACCUMULATE_METHODS.has(c.method) || !c.receiver || ctx.text(unparen(c.receiver)) !== acc) return null;
    if (c.method === 'add') return null; // out of place: AGL095's
    return { stmt, own: [unparen(c.receiver)], term: field(e, 'arguments') ?? e };
  }
  return null;
}

/** The statements of `scope` (not inside nested functions or nested loops' bodies counted separately). */
function statements(scope: PyNode): PyNode[] {
  const out: PyNode[] = [];
  walk(scope, (n) => {
    if (n !== scope && isBoundary(n)) return false;
    if (n.type === 'expression_statement') out.push(n);
    return true;
  });
  return out;
}

export const AGL113: Rule = {
  meta: {
    code: 'AGL113',
    name: 'accumulator-random-init',
    summary: 'A running sum starts from random numbers or uninitialised memory instead of zeros.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a name first bound to random values or to uninitialised memory (`torch.randn(...)`, `torch.rand_like(v)`, ' +
        '`torch.empty(n)`, `np.random.randn(...)`, `np.empty(...)`, a list `[torch.randn(p.size()) for p in params]`, ' +
        'also through `.to(device)`) that a loop then only adds to (`acc += x`, `acc = acc + x`, `acc.add_(x)`, ' +
        '`acc[i] += x`, `acc = [a + x for a, x in zip(acc, xs)]`) with terms that do not read it and are not random ' +
        'themselves, and that is read after the loop.',
      whyIsThisBad:
        'A sum must start from zero. Started from `randn`, the accumulated Hessian-vector product, Fisher diagonal, ' +
        'gradient sum or metric carries one draw of noise of unit size, which is not averaged away: divided by the ' +
        'count it shrinks only as 1/N, and with few batches it dominates (an eigenvalue estimate off by the noise\'s ' +
        'projection). `torch.empty`/`np.empty` are worse: their contents are whatever the memory held, sometimes zeros ' +
        '(so the bug hides in tests), sometimes huge or NaN. Nothing raises.',
      example: [
        '```python',
        'THv = [torch.randn(p.size()) for p in params]   # accumulate result',
        'for x, y in loader:',
        '    Hv = hvp(model, x, y, v)',
        '    THv = [a + h * len(x) for a, h in zip(THv, Hv)]',
        'THv = [a / n for a in THv]',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'THv = [torch.zeros(p.size()) for p in params]',
        'for x, y in loader:',
        '    Hv = hvp(model, x, y, v)',
        '    THv = [a + h * len(x) for a, h in zip(THv, Hv)]',
        'THv = [a / n for a in THv]',
        '```',
      ].join('\n'),
      knownProblems:
        'An iterate that starts at a random point and moves by steps that depend on it (gradient descent, power ' +
        'iteration, Langevin dynamics) is not an accumulator and is not reported: any other use of the name in the loop, ' +
        'or a term that reads it, keeps the rule quiet, and so does a random term (a random walk, noise added on purpose). ' +
        'An accumulator also written before the loop (`acc.zero_()`, `acc[:] = 0`, `acc = x`) is not reported. Only ' +
        'names and attributes bound in the same block as the loop are followed.',
      fixSafety: 'No automatic fix: `torch.zeros_like`/`torch.zeros` is meant, but the shape, dtype and device must be kept.',
      references: [
        '[torch.empty: "Returns a tensor filled with uninitialized data"](https://pytorch.org/docs/stable/generated/torch.empty.html)',
        '[amirgholami/PyHessian 0f7e0f6: the accumulator starts from zeros](https://github.com/amirgholami/PyHessian/commit/0f7e0f6)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    const scopes: PyNode[] = [ctx.tree.root, ...m.functions.map((f) => f.node)];
    for (const scope of scopes) {
      const body = scope.type === 'module' ? scope : field(scope, 'body');
      if (!body) continue;
      for (const init of statements(body)) {
        const named = namedChildren(init);
        const e = named.length === 1 ? named[0]! : null;
        if (!e || e.type !== 'assignment') continue;
        const left = field(e, 'left');
        const right = field(e, 'right');
        if (!left || !right) continue;
        const l = unparen(left);
        if (l.type !== 'identifier' && l.type !== 'attribute') continue;
        const single = randomConstruction(ctx, right);
        const list = single ? null : randomList(ctx, right);
        const made = single ?? list;
        if (!made) continue;
        const acc = ctx.text(l);
        // The loop that follows: the first later statement of the same block that mentions the name.
        let loop: PyNode | null = null;
        const blk = init.parent;
        if (!blk) continue;
        const kids = namedChildren(blk);
        for (const k of kids.slice(kids.indexOf(init) + 1)) {
          if (occurrences(ctx, k, acc, l.type).length === 0) continue;
          if (k.type === 'for_statement' || k.type === 'while_statement') loop = k;
          break;
        }
        if (!loop) continue;
        const loopBody = field(loop, 'body');
        if (!loopBody) continue;
        // Between the binding and the loop: no use of the name (a write, a `zero_()`).
        if (occurrences(ctx, scope, acc, l.type, init.end, loop.start).length > 0) continue;
        const updates = statements(loopBody).map((s) => accumulation(ctx, s, acc, list !== null)).filter((u): u is Update => u !== null);
        if (updates.length === 0) continue;
        const own = new Set(updates.flatMap((u) => u.own.map((n) => n.start)));
        const uses = occurrences(ctx, loop, acc, l.type);
        if (uses.some((u) => !own.has(u.start))) continue;
        if (updates.some((u) => occurrences(ctx, u.term, acc, l.type).length > 0 || hasRandom(ctx, u.term))) continue;
        // Read after the loop: the sum is used.
        const after = occurrences(ctx, scope, acc, l.type, loop.end);
        if (after.length === 0) continue;
        const what = ctx.text(made).replace(/\s+/g, ' ').slice(0, 50);
        const kind = /empty/.test(m.call(made)?.qname ?? '') ? 'uninitialised memory' : 'random values';
        ctx.report({
          node: made,
          message:
            `\`${acc}\` starts as \`${what}\` (${kind}) and the loop at line ${ctx.lineOf(loop)} only adds to it ` +
            `(line ${ctx.lineOf(updates[0]!.stmt)}): the sum read at line ${ctx.lineOf(after[0]!)} carries the initial ` +
            `${kind} on top of the terms. Start a sum from zeros (\`torch.zeros_like\`, \`torch.zeros\`).`,
          related: [
            { node: updates[0]!.stmt, message: 'added to here' },
            { node: after[0]!, message: 'the sum is read here' },
          ],
        });
      }
    }
  },
};
