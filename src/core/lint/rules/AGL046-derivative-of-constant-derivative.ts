/**
 * AGL046 derivative-of-constant-derivative: a second derivative (`torch.autograd.grad` or `.backward()`) of a
 * first derivative that is a constant: `grad(y, x, create_graph=True)` of a `y` affine in `x` (`2 * x`, `x - c`,
 * `3 * x + 1`) has no `grad_fn`, even with `create_graph=True`, and differentiating it raises "element 0 of tensors
 * does not require grad and does not have a grad_fn" instead of giving 0 (pytorch/pytorch#32304).
 *
 * Asked of the autograd analysis: `constantDerivatives` events, recorded per calling context where the value
 * differentiated is made only of such constant derivatives (a generic `second_deriv(y, x)` helper called once with
 * `x ** 2` and once with `x * 2` is flagged for the second call's context only).
 */
import type { Rule } from '../rule';

export const AGL046: Rule = {
  meta: {
    code: 'AGL046',
    name: 'derivative-of-constant-derivative',
    summary: 'A derivative of a first derivative that is a constant (the function is affine in the input): PyTorch raises instead of returning 0.',
    framework: 'any',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `torch.autograd.grad(g, x)` and `g.backward()` where `g` is (made only from) a first derivative ' +
        '`torch.autograd.grad(y, x, create_graph=True)` of a `y` that is affine in the tensors it depends on: a leaf, or ' +
        'sums, differences, negations, and products or quotients by constants of one (`x * 2`, `3 * x - 1`, `x / c`), with ' +
        'no parameter on the way and no `grad_outputs` that requires grad. Calls of the file\'s functions are followed per ' +
        'calling context, so a generic second-derivative helper is flagged for the calls that pass it an affine function. ' +
        'TensorFlow: nested tapes, where the inner `tape.gradient(y, x)` of a `y` affine in the watched `x` (`y = x`, `2 * x`, ' +
        'an item of a helper\'s returned tuple) is differentiated again by the outer tape without ' +
        '`unconnected_gradients=tf.UnconnectedGradients.ZERO`.',
      whyIsThisBad:
        'The derivative of an affine function is a constant, and PyTorch computes it without recording anything: the result ' +
        'does not require grad and has no `grad_fn`, even with `create_graph=True`. The second `grad` (or `backward`) then ' +
        'raises "element 0 of tensors does not require grad and does not have a grad_fn" rather than returning the ' +
        'mathematically right 0. A second-derivative helper written and tested on `x ** 2` fails as soon as a term of the ' +
        'function is linear in the input (pytorch/pytorch#32304, also #36463 and #73137; run with PyTorch 1.13). In ' +
        'TensorFlow the constant first derivative has no path back to `x` on the outer tape, so the outer `gradient` returns ' +
        'None instead of 0 (`unconnected_gradients` defaults to NONE), and the None breaks whatever uses it.',
      example: [
        '```python',
        'def second_deriv(y, x):',
        '    first = torch.autograd.grad(y, x, create_graph=True)[0]',
        '    return torch.autograd.grad(first, x, create_graph=True)[0]',
        '',
        'x = torch.tensor(1.0, requires_grad=True)',
        'second_deriv(x * 2, x)      # RuntimeError: element 0 of tensors does not require grad',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'def second_deriv(y, x):',
        '    first = torch.autograd.grad(y, x, create_graph=True)[0]',
        '    if not first.requires_grad:              # constant first derivative: the second is 0',
        '        return torch.zeros_like(x)',
        '    return torch.autograd.grad(first, x, create_graph=True, allow_unused=True)[0]',
        '```',
      ].join('\n'),
      knownProblems:
        'Only affine functions the file shows are recognised: a model, a library call or any operation not in the list above ' +
        'is taken as possibly nonlinear, and nothing is flagged. A first derivative with respect to parameters, or with a ' +
        '`grad_outputs` that may require grad, is not taken as constant. `allow_unused=True` does not avoid the error. A guard ' +
        'on `first.requires_grad` before the second derivative is not read: such a helper called with an affine function ' +
        'is still flagged (`# noqa: AGL046`). TensorFlow: only a source the tape watches that depends on nothing else in view ' +
        '(not a Variable, not computed from another watched tensor) is taken as the leaf; checked against the TensorFlow ' +
        'documentation and a maintainer-style answer, not run.',
      fixSafety: 'No automatic fix: whether 0 is the wanted answer, or the function was meant to be nonlinear, is the author\'s call.',
      references: [
        '[pytorch/pytorch#32304: Second derivative fails if first derivative happens to be constant](https://github.com/pytorch/pytorch/issues/32304)',
        '[torch.autograd.grad](https://pytorch.org/docs/stable/generated/torch.autograd.grad.html)',
      ],
    },
  },

  check(ctx) {
    for (const e of ctx.analysis.events.constantDerivatives) {
      const first = e.firsts.map((s) => ctx.tree.nodes[s]).find((n) => !!n);
      const d = ctx.analysis.events.derivatives.find((x) => x.node === e.node);
      if (d && d.spec.framework === 'tensorflow') {
        const c = ctx.model.call(e.node);
        // `unconnected_gradients=tf.UnconnectedGradients.ZERO` (or unknown keywords) asks for zeros: fine.
        if (!c || c.hasKwargs || c.keywords.has('unconnected_gradients') || c.positional.length > 3) continue;
        const fn = c.node.children.find((n) => n.field === 'function');
        ctx.report({
          node: e.node,
          message:
            'This differentiates a first derivative that is a constant: the target differentiated' +
            (first ? ` at line ${ctx.lineOf(first)}` : '') +
            ' is affine in the source, so its gradient is a constant with no path back to the source on this tape, and ' +
            `\`${fn ? ctx.text(fn) : 'gradient'}\` returns None here instead of 0. Pass \`unconnected_gradients=tf.UnconnectedGradients.ZERO\` ` +
            'or handle the constant term separately.',
          related: first ? [{ node: first, message: 'the constant first derivative' }] : [],
        });
        continue;
      }
      ctx.report({
        node: e.node,
        message:
          'This differentiates a first derivative that is a constant: the function differentiated' +
          (first ? ` at line ${ctx.lineOf(first)}` : '') +
          ' is affine in its input, so that derivative has no `grad_fn` even with `create_graph=True`, and PyTorch raises ' +
          '"element 0 of tensors does not require grad and does not have a grad_fn" here instead of returning 0. Check ' +
          '`first.requires_grad` and use zeros when it is False, or make sure the function is the nonlinear one you meant.',
        related: first ? [{ node: first, message: 'the constant first derivative' }] : [],
      });
    }
  },
};
