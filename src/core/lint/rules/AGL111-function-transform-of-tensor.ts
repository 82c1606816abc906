/**
 * AGL111 function-transform-of-tensor: a PyTorch API that takes a function to differentiate or map
 * (`torch.autograd.functional.jacobian/hessian/vjp/jvp/hvp/vhp`, `torch.func.grad/jacrev/jacfwd/hessian/vmap/vjp/jvp`,
 * `gradcheck`) is given a tensor there: the function already applied (`jacobian(f(x), x)`) or a tensor variable
 * (`jacobian(y, x)`). PyTorch calls it and raises "TypeError: 'Tensor' object is not callable". The question to the
 * analysis: is the value at the function parameter visibly a tensor (and nothing callable)?
 */
import { Kind, type AV } from '../analysis';
import { CONVENTIONAL_MODULE_NAME, TORCH_FUNCTION_ARGUMENT } from '../knowledge/torch';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo } from '../semantic';
import { field, unparen, type PyNode } from '../tree';

/** Kinds a value computed by tensor code may have; anything else (a function, a module, an unknown) may be callable. */
const DATA_KINDS = Kind.TENSOR | Kind.ARRAY | Kind.NUMBER | Kind.BOOL;

/** Why the argument is a tensor, not a function, or null when it may be callable. */
function tensorGiven(ctx: RuleContext, arg: PyNode): string | null {
  const v: AV | undefined = ctx.analysis.valueOf(arg);
  if (!v || v.kind === 0) return null;
  const n = unparen(arg);
  const applied = n.type === 'call';
  if (isTensorValue(v) && visiblyMade(ctx, n)) {
    return applied ? 'the function already applied: its result, a tensor' : 'a tensor';
  }
  // Quoted without its definition: a call of a name that by convention holds a network (`model(x)`) is its output.
  if (applied && (v.kind & ~(DATA_KINDS | Kind.UNKNOWN)) === 0 && (v.kind & Kind.TENSOR) !== 0) {
    const fn = field(n, 'function');
    const last = fn?.type === 'attribute' ? field(fn, 'attribute') : fn;
    const callee = fn ? ctx.analysis.valueOf(fn) : undefined;
    if (last && last.type === 'identifier' && CONVENTIONAL_MODULE_NAME.test(ctx.text(last)) && (!callee || (callee.kind & ~Kind.UNKNOWN) === 0 || callee.kind === Kind.LIBINST)) {
      return 'the network already applied: its output, a tensor';
    }
  }
  return null;
}

function isTensorValue(v: AV | undefined): boolean {
  return !!v && (v.kind & ~DATA_KINDS) === 0 && (v.kind & Kind.TENSOR) !== 0;
}

/**
 * Whether the expression's tensor value is made in view: a call or an operation, or a name every binding of which is a
 * plain assignment of such a value. Not a name unpacked from a call's result (`_, f, *_ = Factory(...)`: the analysis
 * takes the items of an unknown result for tensors, which may be functions), a parameter, a loop variable or an attribute.
 */
function visiblyMade(ctx: RuleContext, n: PyNode, depth = 0): boolean {
  if (n.type === 'attribute' || n.type === 'subscript') return false;
  if (n.type !== 'identifier') return true;
  if (depth > 3 || !ctx.model.isUse(n)) return false;
  const bindings = ctx.model.reachingBindings(n);
  return bindings.length > 0 && bindings.every((b) => {
    if (b.kind !== 'assign' || b.path.length > 0 || !b.value) return false;
    const value = unparen(b.value);
    return isTensorValue(ctx.analysis.valueOf(value)) && visiblyMade(ctx, value, depth + 1);
  });
}

function functionArgument(ctx: RuleContext, c: CallInfo, spec: { params: readonly string[]; func: string }): PyNode | null {
  const a = ctx.model.argument(c, spec.func, spec.params);
  return a.kind === 'found' ? a.node : null;
}

export const AGL111: Rule = {
  meta: {
    code: 'AGL111',
    name: 'function-transform-of-tensor',
    summary: 'An API that takes a function (`torch.autograd.functional.jacobian`, `torch.func.jacrev`, `vmap`...) is given a tensor: the function already applied, or the output tensor.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds calls of `torch.autograd.functional.jacobian`, `hessian`, `vjp`, `jvp`, `hvp`, `vhp`, `torch.autograd.gradcheck`/`gradgradcheck`, ' +
        'and the `torch.func` (or `functorch`) transforms `grad`, `grad_and_value`, `jacrev`, `jacfwd`, `hessian`, `vmap`, `vjp`, `jvp`, ' +
        '`linearize`, whose function argument (`func`, first by position) is visibly a tensor: the result of a call that the analysis ' +
        'knows returns a tensor (`jacobian(func(x), x)` with `func` a function of the file, `hessian(loss_fn(x), x)`, a torch operation, ' +
        'a layer or model the file builds), or a variable holding one (`y = x ** 2; jacobian(y, x)`). Without the network\'s ' +
        'definition in view, a call of a name that by convention holds one (`model(x)`, `net(x)`, `self.encoder(x)`, `policy(s)`) ' +
        'counts as its output.',
      whyIsThisBad:
        'These APIs differentiate (or map) a function: they call it on the inputs they are given, under their own recording. ' +
        'Given a tensor, they try to call it and raise `TypeError: \'Tensor\' object is not callable`. The mistake comes from ' +
        'the `torch.autograd.grad(y, x)` habit (output tensor first); the functional APIs want the function and the point: ' +
        '`jacobian(func, x)`.',
      example: [
        '```python',
        'from torch.autograd.functional import jacobian',
        '',
        'def func(x):',
        '    return torch.stack([x[0] ** 2, x[0] * x[1]])',
        '',
        'x = torch.tensor([2.0, 3.0])',
        'J = jacobian(func(x), x)',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'J = jacobian(func, x)',
        '# or, with the output already computed from a leaf:',
        'x.requires_grad_()',
        'y = func(x)',
        'rows = [torch.autograd.grad(y[i], x, retain_graph=True)[0] for i in range(y.numel())]',
        '```',
      ].join('\n'),
      knownProblems:
        'Only values the analysis sees are judged: a call of a function defined elsewhere (it may be a factory that returns the ' +
        'function: `jacobian(make_energy(params), x)`) is not flagged, nor is a name of unknown origin. The conventional network ' +
        'names are an assumption about code quoted without its definition (`model`, `net`, `encoder`, `generator`, `policy`, ' +
        '`critic`... see `CONVENTIONAL_MODULE_NAME`); names such as `f`, `fn`, `func` or `model_fn` are not assumed to be networks. ' +
        'A tuple or list of tensors given as the function is not flagged.',
      fixSafety:
        'No fix is offered: which function computes the tensor, and which of its arguments are the differentiated inputs, ' +
        'is not always visible (`jacobian(f(a, b), b)` needs `lambda v: f(a, v)`).',
      references: [
        '[torch.autograd.functional.jacobian](https://pytorch.org/docs/stable/generated/torch.autograd.functional.jacobian.html)',
        '[torch.func.jacrev](https://pytorch.org/docs/stable/generated/torch.func.jacrev.html)',
        '[torch.func.vmap](https://pytorch.org/docs/stable/generated/torch.func.vmap.html)',
      ],
    },
  },

  check(ctx) {
    for (const c of ctx.model.calls) {
      const spec = c.qname ? TORCH_FUNCTION_ARGUMENT.get(c.qname) : undefined;
      if (!spec) continue;
      const arg = functionArgument(ctx, c, spec);
      if (!arg) continue;
      const why = tensorGiven(ctx, arg);
      if (!why) continue;
      const name = ctx.text(field(c.node, 'function') ?? c.node);
      const a = unparen(arg);
      const fn = a.type === 'call' ? field(a, 'function') : null;
      ctx.report({
        node: arg,
        message:
          `\`${name}\` takes a function to call, but its \`${spec.func}\` argument \`${ctx.text(arg)}\` is ${why}: PyTorch calls it and ` +
          `raises "TypeError: 'Tensor' object is not callable". Pass the function itself and the inputs: ` +
          (fn ? `\`${name}(${ctx.text(fn)}, ...)\`.` : `\`${name}(f, inputs)\` with \`f\` the function that computes \`${ctx.text(arg)}\`.`),
        related: [{ node: c.node, message: 'the API that calls its function argument' }],
      });
    }
  },
};
