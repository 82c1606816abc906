/**
 * AGL082 grad-of-container: `.grad` read from something that is not a tensor but holds tensors —
 * `model.parameters().grad` (a generator), `[w, b].grad`, the tuple `torch.autograd.grad` returns, a dict of
 * weights. Python's containers and generators have no `.grad` attribute, so the read raises AttributeError and
 * the gradient that was computed (it is in each tensor's own `.grad`) is never obtained. The question to the
 * analysis: is the value whose `.grad` is read surely a sequence, generator or dict (no tensor, no object of a
 * class, nothing unknown joined in) in every context the read runs in?
 */
import { surelyContainer } from '../analysis/queries';
import { Kind, type AV } from '../analysis/values';
import type { Rule, RuleContext } from '../rule';
import { field, nodesOfType, unparen, type PyNode } from '../tree';

/** `nn.Module` methods that return a generator. */
const MODULE_GENERATORS = new Set(['parameters', 'named_parameters', 'buffers', 'named_buffers', 'children', 'named_children', 'modules', 'named_modules']);


function describe(ctx: RuleContext, obj: PyNode, v: AV): string {
  const u = unparen(obj);
  if (u.type === 'call') {
    const fn = field(u, 'function');
    const attr = fn?.type === 'attribute' ? field(fn, 'attribute') : null;
    if (attr && MODULE_GENERATORS.has(ctx.text(attr))) return `the generator that \`${ctx.text(u)}\` returns`;
  }
  if (u.type === 'generator_expression') return 'a generator';
  if ((v.kind & Kind.SEQ) === 0) return `a dict (\`${ctx.text(u)}\`)`;
  if ((v.kind & Kind.DICT) === 0) return `a sequence or generator of tensors (\`${ctx.text(u)}\`)`;
  return `a container of tensors (\`${ctx.text(u)}\`)`;
}

export const AGL082: Rule = {
  meta: {
    code: 'AGL082',
    name: 'grad-of-container',
    summary: '`.grad` read from a list, tuple, generator or dict of tensors (`model.parameters().grad`): containers have no gradient attribute.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `.grad` read from (or assigned to) a value the analysis knows to be a Python container of tensors and nothing ' +
        'else: the generator `model.parameters()` or `named_parameters()` returns, a list or tuple (`[w, b]`, `list(model.parameters())`, ' +
        'the tuple `torch.autograd.grad` returns, a list kept as `self.params`), or a dict of tensors, also when it reaches ' +
        'the read through a helper\'s parameter.',
      whyIsThisBad:
        'A gradient lives on each tensor: `loss.backward()` fills `p.grad` for every leaf `p`. A generator, list, tuple or dict ' +
        'has no `.grad` attribute, so `model.parameters().grad` raises "AttributeError: \'generator\' object has no attribute ' +
        '\'grad\'" and the gradient that was computed is never read (a gradient-norm check, a logging step or a second-order ' +
        'term built from it does not run).',
      example: '```python\nloss.backward()\nprint(model.parameters().grad)\n```',
      useInstead: '```python\nloss.backward()\nprint([p.grad for p in model.parameters()])\n```',
      knownProblems:
        'Only values the analysis knows are reported: a container from a library call the analysis does not model, or a ' +
        'parameter nobody visibly passes, is not.',
      fixSafety: 'There is no fix: whether each gradient, their norm or their concatenation was meant depends on the code.',
      references: [
        '[torch.Tensor.grad](https://pytorch.org/docs/stable/generated/torch.Tensor.grad.html)',
        '[torch.nn.Module.parameters](https://pytorch.org/docs/stable/generated/torch.nn.Module.html#torch.nn.Module.parameters)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const a = ctx.analysis;
    for (const n of nodesOfType(ctx.tree, 'attribute')) {
      const attr = field(n, 'attribute');
      const obj = field(n, 'object');
      if (!attr || !obj || ctx.text(attr) !== 'grad') continue;
      const v = a.valueOf(obj) ?? a.valueOf(unparen(obj));
      if (!v || !surelyContainer(v)) continue;
      const what = describe(ctx, obj, v);
      ctx.report({
        node: n,
        message:
          `\`${ctx.text(n)}\` reads \`.grad\` of ${what}, not of a tensor: Python containers and generators have no \`.grad\` ` +
          `(AttributeError), and the gradients are in each tensor's own \`.grad\` — read them one by one, e.g. ` +
          `\`[p.grad for p in ${ctx.text(unparen(obj))}${(v.kind & Kind.SEQ) === 0 ? '.values()' : ''}]\`.`,
      });
    }
  },
};
