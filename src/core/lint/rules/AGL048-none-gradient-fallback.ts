/**
 * AGL048 none-gradient-fallback: the replacement for a gradient that is None is built from the None itself
 * (`torch.zeros_like(g) if g is None else g`, `if p.grad is None: p.grad = p.grad.new_zeros(...)`).
 * `torch.autograd.grad(..., allow_unused=True)` returns None for an input the output does not depend on, and
 * `.grad` is None before any backward reaches the tensor: exactly when the fallback runs, it raises
 * (`zeros_like(): argument 'input' must be Tensor, not NoneType`; `'NoneType' object has no attribute ...`).
 * Real case: torchdiffeq's `odeint_event` gradient (commit 6054fb1, "fix None grads"), measured by the
 * corpus entry pt-git-torchdiffeq-event-grad-none-fallback.
 *
 * Syntax plus bindings: a `X is None` / `X is not None` test of a conditional expression or an `if`, the branch
 * where X is None, and in it X given to a `*_like` factory or used as the object of an attribute, before X is
 * bound again. X is a `.grad` attribute, or a name bound (in the same function) from `torch.autograd.grad`
 * called with `allow_unused` not visibly False.
 */
import { field, namedChildren, nodesOfTypes, unparen, walk, type PyNode } from '../tree';
import { bindingValue, type SemanticModel } from '../semantic';
import type { Rule, RuleContext } from '../rule';

/** `torch.zeros_like(x)` and its kin: a new tensor shaped like the argument (which must be a tensor). */
const LIKE_FACTORY = /(?:^|\.)(?:zeros|ones|empty|full|rand|randn|randint)_like$/;

interface NoneTest {
  /** The tested expression (`g`, `p.grad`). */
  subject: PyNode;
  /** Where the subject is None: an expression or a block. */
  branch: PyNode | null;
}

/** `X is None` → the branch taken when true; `X is not None` → the other one. */
function noneTest(cond: PyNode, whenTrue: PyNode | null, whenFalse: PyNode | null): NoneTest | null {
  const c = unparen(cond);
  if (c.type !== 'comparison_operator') return null;
  const parts = namedChildren(c);
  if (parts.length !== 2 || parts[1].type !== 'none') return null;
  const subject = unparen(parts[0]);
  if (subject.type !== 'identifier' && subject.type !== 'attribute') return null;
  // The operator tokens sit between the operands; `is not` has two of them.
  const ops = c.children.filter((k) => k.start >= parts[0].end && k.end <= parts[1].start);
  const text = ops.map((k) => k.type).join(' ');
  if (/\bis not\b|is_not/.test(text)) return { subject, branch: whenFalse };
  if (/\bis\b/.test(text)) return { subject, branch: whenTrue };
  return null;
}

/** The `else` body of an `if` statement (not an `elif`), or null. */
function elseBody(ifStmt: PyNode): PyNode | null {
  const e = ifStmt.children.find((k) => k.type === 'else_clause');
  return e ? (field(e, 'body') ?? null) : null;
}

function allowUnusedMaybeTrue(ctx: RuleContext, call: PyNode): boolean {
  const m = ctx.model;
  const info = m.call(call);
  if (!info || info.qname !== 'torch.autograd.grad') return false;
  const a = m.argument(info, 'allow_unused', 'torch.autograd.grad');
  if (a.kind === 'unknown') return true;
  if (a.kind !== 'found') return false;
  return m.literalBool(a.node) !== false;
}

/** Whether `subject` is a gradient that can be None: `.grad`, or a name bound from `torch.autograd.grad(..., allow_unused=True)`. */
function mayBeNoneGradient(ctx: RuleContext, m: SemanticModel, subject: PyNode): boolean {
  if (subject.type === 'attribute') return ctx.text(field(subject, 'attribute') ?? subject) === 'grad';
  const reach = m.reachingBindings(subject);
  if (reach.length === 0) return false;
  return reach.some((b) => {
    let v = bindingValue(b);
    while (v && unparen(v).type === 'subscript') v = field(unparen(v), 'value') ?? null;
    return !!v && unparen(v).type === 'call' && allowUnusedMaybeTrue(ctx, unparen(v));
  });
}

/** Uses of `subject` in `branch` that need a tensor, before `subject` is bound again there. */
function usesAsTensor(ctx: RuleContext, branch: PyNode, subject: PyNode): PyNode[] {
  const name = ctx.text(subject);
  // A rebinding of the subject in the branch: uses after it see the new value.
  let rebound = Infinity;
  walk(branch, (n) => {
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const left = field(n, 'left');
      if (left && ctx.text(left) === name && n.end < rebound) rebound = n.end;
    }
    return n.type !== 'lambda' && n.type !== 'function_definition';
  });
  const found: PyNode[] = [];
  walk(branch, (n) => {
    if (n.type === 'lambda' || n.type === 'function_definition') return false;
    if (n.start >= rebound) return false;
    if (ctx.text(n) !== name || (n.type !== 'identifier' && n.type !== 'attribute')) return true;
    const parent = n.parent;
    // `torch.zeros_like(X)`: X is the `input` argument.
    if (parent?.type === 'argument_list' && namedChildren(parent)[0] === n) {
      const call = parent.parent;
      const fn = call ? field(call, 'function') : null;
      if (fn && LIKE_FACTORY.test(ctx.text(fn))) found.push(n);
    }
    // `X.new_zeros(...)`, `X.shape`: an attribute of None (not the target of an assignment).
    if (parent?.type === 'attribute' && field(parent, 'object') === n) {
      const up = parent.parent;
      const assigned = up && (up.type === 'assignment' || up.type === 'augmented_assignment') && field(up, 'left') === parent;
      if (!assigned) found.push(n);
    }
    return false;
  });
  return found;
}

export const AGL048: Rule = {
  meta: {
    code: 'AGL048',
    name: 'none-gradient-fallback',
    summary: 'The replacement for a gradient that is None is built from the None itself (`zeros_like(g) if g is None`): it raises exactly when it is needed.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a test `g is None` (or `g is not None`) of a gradient — a `.grad` attribute, or a name bound from ' +
        '`torch.autograd.grad(..., allow_unused=True)` — in a conditional expression or an `if`, where the branch taken when ' +
        '`g` is None passes `g` to a `*_like` factory (`torch.zeros_like(g)`) or reads an attribute of it (`g.new_zeros(...)`, ' +
        '`g.shape`) before binding it again.',
      whyIsThisBad:
        '`torch.autograd.grad` returns None for an input the output does not depend on when `allow_unused=True`, and a ' +
        'tensor\'s `.grad` is None until a backward reaches it. The fallback is meant for exactly that case, but it is made ' +
        'from the None: PyTorch raises "zeros_like(): argument \'input\' (position 1) must be Tensor, not NoneType" (or ' +
        'Python "\'NoneType\' object has no attribute"). The bug hides until an input is actually unused — an event ' +
        'function that does not depend on the state, a parameter a loss does not reach — often long after the code was ' +
        'written. torchdiffeq\'s event-time gradient had it (`torch.zeros_like(dstate) if dstate is None else dstate`, ' +
        'fixed by building the zeros from the input, `torch.zeros_like(state_t)`).',
      example: [
        '```python',
        'par_dt, dstate = torch.autograd.grad(c, (event_t, state_t), allow_unused=True, retain_graph=True)',
        'dstate = torch.zeros_like(dstate) if dstate is None else dstate   # raises when dstate is None',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'par_dt, dstate = torch.autograd.grad(c, (event_t, state_t), allow_unused=True, retain_graph=True)',
        'dstate = torch.zeros_like(state_t) if dstate is None else dstate  # zeros shaped like the input',
        '```',
        '',
        'or `torch.autograd.grad(..., materialize_grads=True)` (PyTorch 2.1 and later), which returns zeros instead of None.',
      ].join('\n'),
      knownProblems:
        'Only the tested expression itself is followed (`g`, `p.grad`), in the branch of the test; a None that reaches a ' +
        '`*_like` call without a visible test, or through another name, is not reported. Names are followed to ' +
        '`torch.autograd.grad` only through their assignments in the same function (`a, b = grad(...)`, `g = grad(...)[0]`), ' +
        'not through loops over the returned tuple.',
      fixSafety: 'No automatic fix: the tensor whose shape the zeros should take (the differentiated input) is for the author to name.',
      references: [
        '[torch.autograd.grad (allow_unused, materialize_grads)](https://pytorch.org/docs/stable/generated/torch.autograd.grad.html)',
        '[torchdiffeq commit 6054fb1 ("fix None grads")](https://github.com/rtqichen/torchdiffeq/commit/6054fb177fd1cc333ae0d8a57724ef35e7f7ad95)',
      ],
    },
  },

  check(ctx) {
    const m = ctx.model;
    // Cheap gate: a None test and a gradient that can be None.
    const text = ctx.text(ctx.tree.root);
    if (!/\bis (?:not )?None\b/.test(text) || !(text.includes('allow_unused') || text.includes('.grad'))) return;
    const tests: NoneTest[] = [];
    for (const n of nodesOfTypes(ctx.tree, 'conditional_expression', 'if_statement')) {
      if (n.type === 'conditional_expression') {
        const [whenTrue, cond, whenFalse] = namedChildren(n);
        const t = cond ? noneTest(cond, whenTrue ?? null, whenFalse ?? null) : null;
        if (t) tests.push(t);
      } else if (n.type === 'if_statement') {
        const cond = field(n, 'condition');
        const t = cond ? noneTest(cond, field(n, 'consequence') ?? null, elseBody(n)) : null;
        if (t) tests.push(t);
      }
    }
    const reported = new Set<number>();
    for (const t of tests) {
      if (!t.branch || !mayBeNoneGradient(ctx, m, t.subject)) continue;
      for (const use of usesAsTensor(ctx, t.branch, t.subject)) {
        if (reported.has(use.id)) continue;
        reported.add(use.id);
        const name = ctx.text(t.subject);
        ctx.report({
          node: use,
          message:
            `\`${name}\` is None in this branch (tested at line ${ctx.lineOf(t.subject)}), and the fallback is built from it: ` +
            `this raises exactly when ${name.endsWith('.grad') ? 'no gradient has reached the tensor' : 'the input was unused and `torch.autograd.grad` returned None'}. ` +
            'Build the replacement from the differentiated tensor instead (`torch.zeros_like(x)` of the input `x`).',
          related: [{ node: t.subject, message: 'the None test' }],
        });
      }
    }
  },
};
