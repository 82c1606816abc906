/**
 * AGL045 derivative-wrt-unread-argument: a function handed to a differentiating API
 * (`torch.autograd.functional.jacobian/hessian/vjp/jvp/hvp/vhp`, `torch.func.grad/jacrev/jacfwd/hessian/vjp/jvp`,
 * `jax.grad/value_and_grad/jacrev/jacfwd/hessian/vjp/jvp`, Equinox's filtered transforms, also as decorators)
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
  // jax.vjp(fun, *primals), jax.jvp(fun, primals, tangents), jax.linearize(fun, *primals): fun(*primals).
  'jax.vjp': 'jax.vjp',
  'jax.jvp': 'jax.jvp',
  'jax.linearize': 'jax.linearize',
};
/** APIs that differentiate with respect to the positional arguments `argnums` names (default 0). */
const ARGNUMS: Readonly<Record<string, string>> = {
  'torch.func.grad': 'grad',
  'torch.func.grad_and_value': 'grad_and_value',
  'torch.func.jacrev': 'jacrev',
  'torch.func.jacfwd': 'jacfwd',
  'torch.func.hessian': 'hessian',
  // jax.grad(fun, argnums=0, has_aux=False, ...) and the transforms of the same signature.
  'jax.grad': 'jax.grad',
  'jax.value_and_grad': 'jax.value_and_grad',
  'jax.jacrev': 'jax.jacrev',
  'jax.jacfwd': 'jax.jacfwd',
  'jax.jacobian': 'jax.jacobian',
  'jax.hessian': 'jax.hessian',
  'flax.nnx.grad': 'nnx.grad',
  'flax.nnx.value_and_grad': 'nnx.value_and_grad',
};
/** Equinox's filtered transforms: always with respect to the first positional argument (its arrays). */
const FIRST_ARGUMENT: Readonly<Record<string, string>> = {
  'equinox.filter_grad': 'eqx.filter_grad',
  'equinox.filter_value_and_grad': 'eqx.filter_value_and_grad',
  'equinox.filter_jacfwd': 'eqx.filter_jacfwd',
  'equinox.filter_jacrev': 'eqx.filter_jacrev',
  'equinox.filter_hessian': 'eqx.filter_hessian',
};
/** Decorators that compile a function without changing its signature or what it computes. */
const TRANSPARENT_DECORATORS = new Set(['jax.jit', 'equinox.filter_jit']);
/** Calls that read names the analysis cannot see: the function may read its arguments through them. */
const DYNAMIC_READS = new Set(['locals', 'vars', 'eval', 'exec', 'globals']);
/** Names of loss functions (the value a training step differentiates). */
const LOSS_FUNCTION = /loss|objective|criterion/i;

/** The function `expr` names: a lambda, a `def` of the file, or a method of the enclosing class as `self.f`. */
function functionOf(m: SemanticModel, expr: PyNode): { fn: FunctionInfo; bound: boolean } | null {
  const n = unparen(expr);
  const plain = resolveFunction(m, n) ?? madeByFactory(m, n);
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

/**
 * The call of a function of the file (or a name bound once to it) that returns a function it defines (`loss_fn =
 * make_loss(model, params)` with `def make_loss(...): def loss_fn(p, x, y): ...; return loss_fn`): that inner function,
 * which reads what the factory was given as closed-over values. Every `return` of the factory must name it.
 */
function madeByFactory(m: SemanticModel, n: PyNode): FunctionInfo | null {
  let v = n;
  if (n.type === 'identifier' && m.isUse(n)) {
    const reach = m.reachingBindings(n);
    if (reach.length !== 1 || reach[0].kind !== 'assign' || reach[0].path.length > 0 || !reach[0].value) return null;
    v = unparen(reach[0].value);
  }
  if (v.type !== 'call') return null;
  const factory = m.call(v)?.local;
  if (!factory || factory.isMethod || factory.node.type !== 'function_definition' || factory.node.parent?.type === 'decorated_definition') return null;
  let inner: FunctionInfo | null = null;
  for (const r of factory.returns) {
    const f = resolveFunction(m, r);
    if (!f || (inner && inner !== f) || f.node === factory.node) return null;
    // Defined inside the factory (a closure over its arguments), not a module-level function it hands back.
    if (!(f.node.start > factory.node.start && f.node.end <= factory.node.end)) return null;
    inner = f;
  }
  return inner;
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
function argnumsOf(m: SemanticModel, call: CallInfo, funcParam: string): number[] | null {
  // torch.func.grad(func, argnums=0, has_aux=False), jacrev/jacfwd/hessian(func, argnums=0, ...); jax.grad(fun, argnums=0, ...).
  const a = m.argument(call, 'argnums', [funcParam, 'argnums']);
  if (a.kind === 'absent') return [0];
  if (a.kind !== 'found') return null;
  const n = unparen(a.node);
  const ints = n.type === 'integer' ? [n] : n.type === 'tuple' || n.type === 'list' ? namedChildren(n) : null;
  if (!ints || ints.length === 0 || ints.some((i) => i.type !== 'integer')) return null;
  return ints.map((i) => Number(m.textOf(i)));
}

/** An identifier that names an attribute (`state.params`) or a keyword (`replace(params=p)`), not a variable. */
function isMemberName(n: PyNode): boolean {
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'attribute') return field(p, 'attribute')?.id === n.id;
  if (p.type === 'keyword_argument') return field(p, 'name')?.id === n.id;
  return false;
}

/** Whether the body of `fn` reads a variable of one of `names` anywhere, or reads names dynamically. */
function reads(m: SemanticModel, fn: FunctionInfo, names: ReadonlySet<string>): boolean {
  const body = field(fn.node, 'body');
  if (!body) return true;
  let found = false;
  walk(body, (n) => {
    if (found) return false;
    if (n.type === 'identifier' && names.has(m.textOf(n)) && !isMemberName(n)) found = true;
    if (n.type === 'call') {
      const callee = field(n, 'function');
      if (callee?.type === 'identifier' && DYNAMIC_READS.has(m.textOf(callee))) found = true;
    }
    return !found;
  });
  return found;
}


/** The statement that holds `n` inside its function (no nested function or lambda on the way), or null. */
function statementIn(n: PyNode, fnNode: PyNode): PyNode | null {
  let child = n;
  for (let p = n.parent; p; child = p, p = p.parent) {
    if (p === fnNode) return null;
    if (p.type === 'lambda' || p.type === 'function_definition' || p.type === 'class_definition') return null;
    if (p.type === 'block' || p.type === 'module') return child;
  }
  return null;
}

/**
 * Reads of `names` in `fn` that can reach its result. A read counts as dead only when it is on the right of a plain
 * assignment to names that are themselves never read, or read only in the same way (`p = apply_fun(params, x)` and
 * `p` never used): anything else (a return, a call statement, a condition, a nested function, a store into an
 * attribute or item) counts as live. Returns the dead assignments when every read is dead, else null.
 */
function deadReads(m: SemanticModel, fn: FunctionInfo, names: ReadonlySet<string>): PyNode[] | null {
  const dead: PyNode[] = [];
  const seen = new Set<number>();
  const allDead = (b: { target: PyNode }, depth: number): boolean => {
    if (depth > 6) return false;
    const binding = m.bindings.find((x) => x.target.id === b.target.id);
    if (!binding) return false;
    for (const u of m.usesOf(binding)) {
      if (isMemberName(u)) continue;
      const stmt = statementIn(u, fn.node);
      if (!stmt || stmt.type !== 'expression_statement') return false;
      const a = namedChildren(stmt)[0];
      if (!a || a.type !== 'assignment') return false;
      const left = field(a, 'left');
      const right = field(a, 'right');
      if (!left || !right || u.start < right.start || u.end > right.end) return false;
      const targets = left.type === 'identifier' ? [left] : left.type === 'pattern_list' || left.type === 'tuple_pattern' ? namedChildren(left) : [];
      if (targets.length === 0 || targets.some((t) => t.type !== 'identifier')) return false;
      if (!seen.has(a.id)) {
        seen.add(a.id);
        dead.push(a);
        for (const t of targets) if (!allDead({ target: t }, depth + 1)) return false;
      }
    }
    return true;
  };
  const params = fn.params.filter((b) => names.has(b.name));
  if (params.length === 0) return null;
  for (const b of params) if (!allDead(b, 0)) return null;
  return dead.length > 0 ? dead : null;
}

/** A body that only passes, elides or raises: a stub, not a computation. */
function isStub(fn: FunctionInfo): boolean {
  if (fn.node.type === 'lambda') return false;
  const body = field(fn.node, 'body');
  if (!body) return true;
  const stmts = namedChildren(body).filter((s) => s.type !== 'comment' && !(s.type === 'expression_statement' && namedChildren(s)[0]?.type === 'string'));
  return stmts.every((s) => s.type === 'pass_statement' || s.type === 'raise_statement' || (s.type === 'expression_statement' && namedChildren(s)[0]?.type === 'ellipsis'));
}

/**
 * A function whose every result is a literal (`lambda x: 0.0`, `return 1`): a deliberate constant, as in a
 * test that the derivative of a constant is zero, not a computation that reads the wrong value.
 */
function constantResult(fn: FunctionInfo): boolean {
  const literal = (n: PyNode | null | undefined): boolean => {
    if (!n) return true;
    const u = unparen(n);
    if (['integer', 'float', 'true', 'false', 'none', 'string'].includes(u.type)) return true;
    if (u.type === 'unary_operator') return literal(namedChildren(u)[0]);
    if (u.type === 'tuple' || u.type === 'list') return namedChildren(u).every(literal);
    return false;
  };
  if (fn.node.type === 'lambda') return literal(field(fn.node, 'body'));
  return fn.returns.length > 0 && fn.returns.every((r) => literal(r));
}

/** A function whose body the check can read: not a stub, not a constant, no decorator that changes it. */
function checkable(fn: FunctionInfo): boolean {
  if (isStub(fn) || constantResult(fn)) return false;
  return fn.decorators.every((d) => TRANSPARENT_DECORATORS.has(d));
}

export const AGL045: Rule = {
  meta: {
    code: 'AGL045',
    name: 'derivative-wrt-unread-argument',
    summary: 'The function given to jacobian/hessian/torch.func.grad/jax.grad never reads the arguments it is differentiated with respect to, so the derivative is zero.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'For `torch.autograd.functional.jacobian`, `hessian`, `vjp`, `jvp`, `hvp`, `vhp` and `torch.func.grad`, ' +
        '`grad_and_value`, `jacrev`, `jacfwd`, `hessian`, `vjp`, `jvp` (also under `functorch`), and for JAX\'s `jax.grad`, ' +
        '`value_and_grad`, `jacrev`, `jacfwd`, `jacobian`, `hessian`, `vjp`, `jvp`, `linearize`, Flax\'s `nnx.grad`/`nnx.value_and_grad` ' +
        'and Equinox\'s `eqx.filter_grad`/`filter_value_and_grad`/`filter_jacfwd`/`filter_jacrev`/`filter_hessian` (called, or as ' +
        'the decorator of a `def`), finds the function ' +
        'differentiated (a lambda, a `def` of the file, a method as `self.f`, or the function a factory of the file defines and ' +
        'returns: `loss_fn = make_loss(model, params)`, whose inner `def` closes over what the factory was given) and the parameters it is differentiated ' +
        'with respect to: every positional parameter for the `autograd.functional` APIs and `vjp`/`jvp`/`linearize`, the first ' +
        'for Equinox\'s filtered transforms, those `argnums` names (literal; 0 by default) for the others. It reports the call ' +
        'when none of those parameters is read in the function\'s body (an attribute or keyword of the same name, ' +
        '`state.params` or `replace(params=...)`, is not a read of `params`). It also reports a function whose differentiated ' +
        'parameters are read only to compute values that never reach its result (`logits = apply_fn(params, x)` and a loss ' +
        'written without `logits`), and, in a JAX file, a function named as a loss whose prediction made from its first ' +
        'parameter is never used, whatever differentiates it (the transform may be in another file).',
      whyIsThisBad:
        'These APIs call the function with their own copies of the inputs and differentiate its result with respect to ' +
        'those copies. A function that ignores them and computes from something else — the module\'s own parameter ' +
        '(`layer(x)` while differentiating with respect to `layer.weight`), a tensor of the enclosing scope — returns a ' +
        'result that does not depend on its arguments: the Jacobian or Hessian is all zeros (`strict=False`, the default, ' +
        'and `torch.func`), or `strict=True` raises ("Output 0 of the user-provided function is independent of input 0" for ' +
        '`jacobian`; `hessian` says the same of the inner Jacobian). ' +
        'Nothing else fails, so a curvature estimate, a regularizer or an attribution silently becomes zero ' +
        '(pytorch/pytorch#49830, #50138). JAX does the same without any error: `jax.grad(loss_fn)(state.params)` of a ' +
        '`loss_fn(params)` that applies the model to `state.params` returns zeros, and the optimizer never moves.',
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
        'function made by `functools.partial`, another decorator or another module is not. A parameter counts as read when its ' +
        'name occurs anywhere in the body, even where the value cannot reach the result (`x.shape` only, a local that ' +
        'shadows it), so such functions are not reported. A function that reads some of its differentiated arguments ' +
        'and not others is not reported either: a zero block for an argument the function does not depend on can be ' +
        'meant. `argnums` that is not a literal is not followed. A function whose every result is a literal constant ' +
        '(`lambda x: 1.0`, a test that the derivative of a constant is zero) is not reported. Of the decorators only ' +
        '`jax.jit`/`eqx.filter_jit` are seen through; `@partial(jax.grad, argnums=1)` and decorated methods are not checked. ' +
        'A read counts as dead only when it is on the right of a plain assignment to names that are never read (or read ' +
        'only in the same way); a read in a call statement (`print(pred.shape)`), a condition, a nested function or a store ' +
        'counts as live, so a value that reaches the result only through control flow or a side effect is not followed. The ' +
        'loss-named variant needs a JAX import and a dead call result (the prediction).',
      fixSafety: 'No fix: the function has to be rewritten to compute from its arguments (`torch.func.functional_call` for a module\'s parameters).',
      references: [
        '[torch.autograd.functional.jacobian](https://pytorch.org/docs/stable/generated/torch.autograd.functional.jacobian.html) (`strict`)',
        '[torch.func.functional_call](https://pytorch.org/docs/stable/generated/torch.func.functional_call.html)',
        '[pytorch/pytorch#50138](https://github.com/pytorch/pytorch/issues/50138)',
        '[jax.grad](https://docs.jax.dev/en/latest/_autosummary/jax.grad.html) (`argnums`)',
        '[jax-ml/jax#2097: the prediction is computed, the loss is written with the labels](https://github.com/jax-ml/jax/issues/2097)',
      ],
    },
  },
  check(ctx: RuleContext) {
    const m = ctx.model;
    const report = (at: PyNode, api: string, funcNode: PyNode, fn: FunctionInfo, differentiated: string[], jax: boolean, torchFunctional: boolean): void => {
      const fnText = m.textOf(unparen(funcNode)).replace(/\s+/g, ' ');
      const shown = fnText.length > 40 ? `${fnText.slice(0, 37)}...` : fnText;
      const names = differentiated.map((n) => `\`${n}\``).join(', ');
      const plural = differentiated.length > 1;
      const hint = api.startsWith('eqx.')
        ? `Compute the result from the argument${plural ? 's' : ''} (call the model given as the argument, not one of the enclosing scope).`
        : jax
        ? `Compute the result from the argument${plural ? 's' : ''} (for a Flax model, \`apply_fn({'params': p}, x)\` with the argument \`p\`, ` +
          'not `state.params`).'
        : `Compute the result from the argument${plural ? 's' : ''} (for a module's parameters, ` +
          `\`torch.func.functional_call(model, {name: arg}, (x,))\`).`;
      ctx.report({
        node: at,
        message:
          `\`${api}\` differentiates \`${shown}\` with respect to ${names}, but the function never reads ` +
          `${plural ? 'them' : 'it'}: its result does not depend on the inputs \`${api}\` passes, so the ` +
          `derivative is all zeros${torchFunctional ? ' (or, with `strict=True`, an error)' : ''}. ${hint}`,
        related: [{ node: fn.node, message: `\`${fn.name}\` is defined here` }],
      });
    };
    const seenDead = new Set<number>();
    const reportDead = (at: PyNode, api: string, fn: FunctionInfo, differentiated: string[], dead: PyNode[]): void => {
      const names = differentiated.map((n) => `\`${n}\``).join(', ');
      const first = dead[0];
      const lhs = field(first, 'left');
      ctx.report({
        node: at,
        message:
          `\`${api}\` differentiates \`${fn.name}\` with respect to ${names}, but ${differentiated.length > 1 ? 'they are' : 'it is'} read only to compute ` +
          `\`${lhs ? m.textOf(lhs) : '...'}\` (line ${ctx.lineOf(first)}), which never reaches the returned value: the result does not depend ` +
          `on ${differentiated.length > 1 ? 'them' : 'it'} and the gradient is all zeros (an optimizer given it never moves). Compute the ` +
          'result from that value (a loss from the prediction, not from the labels alone).',
        related: [{ node: first, message: 'computed here and never used' }],
      });
      seenDead.add(fn.node.id);
    };
    for (const call of m.calls) {
      const q = call.qname;
      if (!q) continue;
      const all = ALL_INPUTS[q];
      const byArgnums = ARGNUMS[q];
      const first = FIRST_ARGUMENT[q];
      if (!all && !byArgnums && !first) continue;
      const jax = !q.startsWith('torch.') && !q.startsWith('functorch.');
      const f = m.argument(call, jax ? 'fun' : 'func', [jax ? 'fun' : 'func']);
      if (f.kind !== 'found') continue;
      const funcNode = f.node;
      const target = functionOf(m, funcNode);
      if (!target || !checkable(target.fn)) continue;
      const { params, star } = positional(target.fn, target.bound);
      let differentiated: string[];
      if (all) {
        differentiated = params.filter((p) => !p.defaulted).map((p) => p.name);
        if (star) differentiated.push(star);
      } else {
        const nums = first ? [0] : argnumsOf(m, call, jax ? 'fun' : 'func');
        if (!nums) continue;
        if (nums.some((i) => i < 0 || i >= params.length)) continue; // into *args, or out of range: not followed
        differentiated = nums.map((i) => params[i]!.name);
      }
      if (differentiated.length === 0) continue;
      if (reads(m, target.fn, new Set(differentiated))) {
        const dead = deadReads(m, target.fn, new Set(differentiated));
        if (dead) reportDead(call.node, all ?? byArgnums ?? first!, target.fn, differentiated, dead);
        continue;
      }
      report(call.node, all ?? byArgnums ?? first!, funcNode, target.fn, differentiated, jax, !!all && q.startsWith('torch.autograd.'));
    }
    // `@jax.grad` / `@eqx.filter_value_and_grad` on a `def`: the decorated name is the derivative.
    for (const fn of m.functions) {
      const decorated = fn.node.parent;
      if (decorated?.type !== 'decorated_definition' || fn.decorators.length === 0) continue;
      const differentiating = fn.decorators.filter((d) => ARGNUMS[d] !== undefined || FIRST_ARGUMENT[d] !== undefined);
      if (differentiating.length !== 1) continue;
      if (!fn.decorators.every((d) => d === differentiating[0] || TRANSPARENT_DECORATORS.has(d))) continue;
      if (fn.isMethod || isStub(fn) || constantResult(fn)) continue;
      const { params } = positional(fn, false);
      const p0 = params[0];
      if (!p0) continue;
      const d = differentiating[0];
      const decorator = namedChildren(decorated).find((c) => c.type === 'decorator' && m.textOf(c).includes(d.slice(d.lastIndexOf('.') + 1)));
      // The decorator's expression, not the decorator node, which ends with its line break (`\r\n` or `\n`).
      const at = (decorator && namedChildren(decorator).find((c) => c.type !== 'comment')) ?? fn.node;
      if (reads(m, fn, new Set([p0.name]))) {
        const dead = deadReads(m, fn, new Set([p0.name]));
        if (dead) reportDead(at, ARGNUMS[d] ?? FIRST_ARGUMENT[d]!, fn, [p0.name], dead);
        continue;
      }
      const nameNode = field(fn.node, 'name') ?? fn.node;
      // At the parameter nobody reads (the decorator is a line above it, the function's name beside it).
      report(fn.params.find((p) => p.name === p0.name)?.target ?? at, ARGNUMS[d] ?? FIRST_ARGUMENT[d]!, nameNode, fn, [p0.name], !d.startsWith('torch.') && !d.startsWith('functorch.'), false);
    }
    // A JAX loss function whose prediction, computed from its first argument (the parameters), is never used: the
    // loss does not depend on the parameters whatever differentiates it (jax-ml/jax#2097; the grad call may be elsewhere).
    // A whole-file fact (not the bindings), so that the re-lint by groups keeps the import with a loss that never reads it.
    const jaxFile = m.fileFact('jax-import');
    if (!jaxFile) return;
    for (const fn of m.functions) {
      if (fn.node.type !== 'function_definition' || seenDead.has(fn.node.id) || !LOSS_FUNCTION.test(fn.name)) continue;
      if (!checkable(fn)) continue;
      const { params } = positional(fn, fn.isMethod);
      const p0 = params[0];
      if (!p0 || !reads(m, fn, new Set([p0.name]))) continue;
      const dead = deadReads(m, fn, new Set([p0.name]));
      // The dead value is a prediction: a call given the parameters (`p = apply_fun(params, x)`, `model.apply(params, x)`).
      const prediction = dead?.find((a) => {
        const r = field(a, 'right');
        return !!r && unparen(r).type === 'call';
      });
      if (!dead || !prediction) continue;
      const lhs = field(prediction, 'left');
      ctx.report({
        node: prediction,
        message:
          `The loss \`${fn.name}\` computes \`${lhs ? m.textOf(lhs) : '...'}\` from its parameters \`${p0.name}\` but never uses it: the value it ` +
          `returns does not depend on \`${p0.name}\`, so \`jax.grad\` of it is all zeros and the optimizer never moves the weights. ` +
          'Compute the loss from the prediction (a cross-entropy of the labels and the prediction, not of the labels with themselves).',
        related: [...fn.returns.slice(0, 1).map((r) => ({ node: r, message: 'the value returned' }))],
      });
    }
  },
};
