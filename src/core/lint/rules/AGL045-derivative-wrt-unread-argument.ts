/**
 * AGL045 derivative-wrt-unread-argument: a function handed to a differentiating API
 * (`torch.autograd.functional.jacobian/hessian/vjp/jvp/hvp/vhp`, `torch.func.grad/jacrev/jacfwd/hessian/vjp/jvp`)
 * that never reads any of the arguments it is differentiated with respect to. The API calls the function with
 * its own copies of the inputs; a function that computes from something else (the module's own parameter, a
 * tensor of the enclosing scope) gives a derivative of zeros (the `autograd.functional` default `strict=False`,
 * `torch.func`), or raises with `strict=True`.
 *
 * Syntactic: the function must be visible (a lambda, a `def` of the file, a method reached as `self.f`), and
 * none of its differentiated parameters may occur anywhere in its body. A function that reads some of them is
 * left alone: a zero block for an argument the function does not depend on (the time of an autonomous ODE) can be
 * meant.
 */
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { field, namedChildren, unparen, walk, type PyNode } from '../tree';
import { resolveFunction } from '../jax';

/** APIs that call `func(*inputs)` and differentiate with respect to every input. */
const ALL_INPUTS: Readonly<Record<string, string>> = {
  'torch.autograd.functional.jacobian': 'jacobian',
  'torch.autograd.functional.hessian': 'hessian',
  'torch.autograd.functional.vjp': 'vjp',
  'torch.autograd.functional.jvp': 'jvp',
  'torch.autograd.functional.hvp': 'hvp',
  'torch.autograd.functional.vhp': 'vhp',
  'torch.func.vjp': 'vjp',
  'torch.func.jvp': 'jvp',
};
/** APIs that differentiate with respect to the positional arguments `argnums` names (default 0). */
const ARGNUMS: Readonly<Record<string, string>> = {
  'torch.func.grad': 'grad',
  'torch.func.grad_and_value': 'grad_and_value',
  'torch.func.jacrev': 'jacrev',
  'torch.func.jacfwd': 'jacfwd',
  'torch.func.hessian': 'hessian',
};
/** Calls that read names the analysis cannot see: the function may read its arguments through them. */
const DYNAMIC_READS = new Set(['locals', 'vars', 'eval', 'exec', 'globals']);

/** The function `expr` names: a lambda, a `def` of the file, or a method of the enclosing class as `self.f`. */
function functionOf(m: SemanticModel, expr: PyNode): { fn: FunctionInfo; bound: boolean } | null {
  const n = unparen(expr);
  const plain = resolveFunction(m, n);
  if (plain) return { fn: plain, bound: false };
  if (n.type !== 'attribute') return null;
  const obj = field(n, 'object');
  const attr = field(n, 'attribute');
  if (!obj || !attr || obj.type !== 'identifier' || m.textOf(obj) !== 'self') return null;
  let cls: PyNode | null = null;
  for (let p = n.parent; p; p = p.parent) if (p.type === 'class_definition') { cls = p; break; }
  if (!cls) return null;
  const name = m.textOf(attr);
  const found = m.functions.filter((f) => f.isMethod && f.name === name && enclosingClass(f.node) === cls);
  // Decorated methods (properties, static methods, wrappers) change what `self.f` is.
  if (found.length !== 1 || found[0].node.parent?.type === 'decorated_definition') return null;
  return { fn: found[0], bound: true };
}

function enclosingClass(n: PyNode): PyNode | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'class_definition') return p;
  return null;
}

/** The parameters that receive positional arguments, in order (`self` of a bound method dropped), and `*args`. */
function positional(fn: FunctionInfo, bound: boolean): { params: { name: string; defaulted: boolean }[]; star: string | null } {
  const params: { name: string; defaulted: boolean }[] = [];
  let star: string | null = null;
  for (const p of fn.params) {
    if (!p.param) continue;
    if (p.param.star === 'kwargs') continue;
    if (p.param.star === 'args') { star = p.name; break; }
    const kind = p.target.parent?.type ?? '';
    params.push({ name: p.name, defaulted: kind === 'default_parameter' || kind === 'typed_default_parameter' });
  }
  return { params: bound ? params.slice(1) : params, star };
}

/** Literal `argnums`: `0`, `(0, 1)`; null when not literal. */
function argnumsOf(m: SemanticModel, call: CallInfo): number[] | null {
  // torch.func.grad(func, argnums=0, has_aux=False), jacrev/jacfwd/hessian(func, argnums=0, ...).
  const a = m.argument(call, 'argnums', ['func', 'argnums']);
  if (a.kind === 'absent') return [0];
  if (a.kind !== 'found') return null;
  const n = unparen(a.node);
  const ints = n.type === 'integer' ? [n] : n.type === 'tuple' || n.type === 'list' ? namedChildren(n) : null;
  if (!ints || ints.length === 0 || ints.some((i) => i.type !== 'integer')) return null;
  return ints.map((i) => Number(m.textOf(i)));
}

/** Whether the body of `fn` names `name` anywhere, or reads names dynamically. */
function reads(m: SemanticModel, fn: FunctionInfo, names: ReadonlySet<string>): boolean {
  const body = field(fn.node, 'body');
  if (!body) return true;
  let found = false;
  walk(body, (n) => {
    if (found) return false;
    if (n.type === 'identifier' && names.has(m.textOf(n))) found = true;
    if (n.type === 'call') {
      const callee = field(n, 'function');
      if (callee?.type === 'identifier' && DYNAMIC_READS.has(m.textOf(callee))) found = true;
    }
    return !found;
  });
  return found;
}

/** A body that only passes, elides or raises: a stub, not a computation. */
function isStub(fn: FunctionInfo): boolean {
  if (fn.node.type === 'lambda') return false;
  const body = field(fn.node, 'body');
  if (!body) return true;
  const stmts = namedChildren(body).filter((s) => s.type !== 'comment' && !(s.type === 'expression_statement' && namedChildren(s)[0]?.type === 'string'));
  return stmts.every((s) => s.type === 'pass_statement' || s.type === 'raise_statement' || (s.type === 'expression_statement' && namedChildren(s)[0]?.type === 'ellipsis'));
}

export const AGL045: Rule = {
  meta: {
    code: 'AGL045',
    name: 'derivative-wrt-unread-argument',
    summary: 'The function given to jacobian/hessian/torch.func.grad never reads the arguments it is differentiated with respect to, so the derivative is zero.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'For `torch.autograd.functional.jacobian`, `hessian`, `vjp`, `jvp`, `hvp`, `vhp` and `torch.func.grad`, ' +
        '`grad_and_value`, `jacrev`, `jacfwd`, `hessian`, `vjp`, `jvp` (also under `functorch`), finds the function ' +
        'differentiated (a lambda, a `def` of the file, a method as `self.f`) and the parameters it is differentiated ' +
        'with respect to: every positional parameter for the `autograd.functional` APIs and `vjp`/`jvp`, those `argnums` ' +
        'names (literal; 0 by default) for the others. It reports the call when none of those parameters occurs in the ' +
        'function\'s body.',
      whyIsThisBad:
        'These APIs call the function with their own copies of the inputs and differentiate its result with respect to ' +
        'those copies. A function that ignores them and computes from something else — the module\'s own parameter ' +
        '(`layer(x)` while differentiating with respect to `layer.weight`), a tensor of the enclosing scope — returns a ' +
        'result that does not depend on its arguments: the Jacobian or Hessian is all zeros (`strict=False`, the default, ' +
        'and `torch.func`), or `strict=True` raises ("Output 0 of the user-provided function is independent of input 0" for ' +
        '`jacobian`; `hessian` says the same of the inner Jacobian). ' +
        'Nothing else fails, so a curvature estimate, a regularizer or an attribution silently becomes zero ' +
        '(pytorch/pytorch#49830, #50138).',
      example: [
        '```python',
        'layer = nn.Linear(3, 4)',
        '',
        'def loss_of(weight):',
        '    return criterion(layer(x), y)        # uses layer.weight, not the argument',
        '',
        'H = torch.autograd.functional.hessian(loss_of, layer.weight)   # all zeros',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'from torch.func import functional_call',
        '',
        'def loss_of(weight):',
        '    return criterion(functional_call(layer, {"weight": weight, "bias": layer.bias}, (x,)), y)',
        '',
        'H = torch.autograd.functional.hessian(loss_of, layer.weight)',
        '```',
      ].join('\n'),
      knownProblems:
        'Only functions the file defines are checked (a lambda, a `def`, a method of the same class as `self.f`); a ' +
        'function made by `functools.partial`, a decorator or another module is not. A parameter counts as read when its ' +
        'name occurs anywhere in the body, even where the value cannot reach the result (`x.shape` only, a local that ' +
        'shadows it), so such functions are not reported. A function that reads some of its differentiated arguments ' +
        'and not others is not reported either: a zero block for an argument the function does not depend on can be ' +
        'meant. `argnums` that is not a literal is not followed. PyTorch only: the same mistake with `jax.grad`/`jacrev` is not ' +
        'checked yet.',
      fixSafety: 'No fix: the function has to be rewritten to compute from its arguments (`torch.func.functional_call` for a module\'s parameters).',
      references: [
        '[torch.autograd.functional.jacobian](https://pytorch.org/docs/stable/generated/torch.autograd.functional.jacobian.html) (`strict`)',
        '[torch.func.functional_call](https://pytorch.org/docs/stable/generated/torch.func.functional_call.html)',
        '[pytorch/pytorch#50138](https://github.com/pytorch/pytorch/issues/50138)',
      ],
    },
  },
  check(ctx: RuleContext) {
    const m = ctx.model;
    for (const call of m.calls) {
      const q = call.qname;
      if (!q) continue;
      const all = ALL_INPUTS[q];
      const byArgnums = ARGNUMS[q];
      if (!all && !byArgnums) continue;
      const f = m.argument(call, 'func', ['func']);
      if (f.kind !== 'found') continue;
      const funcNode = f.node;
      const target = functionOf(m, funcNode);
      if (!target || isStub(target.fn) || target.fn.decorators.length > 0) continue;
      const { params, star } = positional(target.fn, target.bound);
      let differentiated: string[];
      if (all) {
        differentiated = params.filter((p) => !p.defaulted).map((p) => p.name);
        if (star) differentiated.push(star);
      } else {
        const nums = argnumsOf(m, call);
        if (!nums) continue;
        if (nums.some((i) => i < 0 || i >= params.length)) continue; // into *args, or out of range: not followed
        differentiated = nums.map((i) => params[i]!.name);
      }
      if (differentiated.length === 0) continue;
      if (reads(m, target.fn, new Set(differentiated))) continue;
      const api = all ?? byArgnums!;
      const fnText = m.textOf(unparen(funcNode)).replace(/\s+/g, ' ');
      const shown = fnText.length > 40 ? `${fnText.slice(0, 37)}...` : fnText;
      const names = differentiated.map((n) => `\`${n}\``).join(', ');
      ctx.report({
        node: call.node,
        message:
          `\`${api}\` differentiates \`${shown}\` with respect to ${names}, but the function never reads ` +
          `${differentiated.length > 1 ? 'them' : 'it'}: its result does not depend on the inputs \`${api}\` passes, so the ` +
          `derivative is all zeros${all && q.startsWith('torch.autograd.') ? ' (or, with `strict=True`, an error)' : ''}. ` +
          `Compute the result from the argument${differentiated.length > 1 ? 's' : ''} (for a module's parameters, ` +
          `\`torch.func.functional_call(model, {name: arg}, (x,))\`).`,
        related: [{ node: target.fn.node, message: `\`${target.fn.name}\` is defined here` }],
      });
    }
  },
};
