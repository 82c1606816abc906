/**
 * AGL041 create-graph-frees-graph: a PyTorch derivative taken with `create_graph=True` but
 * `retain_graph=False` on some run. The derivative's graph reaches the tensors the forward graph saved,
 * and this call frees them: a backward through the derivative (a force or penalty loss), or through the
 * forward output again, raises "Trying to backward through the graph a second time". Measured with
 * PyTorch by test/fixtures/lint/AGL041/bad.py (ground truth).
 *
 * Only what the call's own arguments show: `create_graph=True, retain_graph=False` (literals), a variable
 * `create_graph` with `retain_graph=False` (the flag is passed because it is true on some runs), and a
 * `create_graph` that is a disjunction one of whose operands is the `retain_graph` expression
 * (`create_graph=(flag or self.training), retain_graph=flag`: with `flag` false in training, the graph is
 * kept for the derivative and freed under it). Flags of unrelated variables are not guessed at.
 */
import type { Rule, RuleContext } from '../rule';
import type { CallInfo } from '../semantic';
import { field, unparen, type PyNode } from '../tree';

const DERIVATIVE_APIS = new Set(['torch.autograd.grad', 'torch.autograd.backward']);

/**
 * `torch.autograd.grad`, `torch.autograd.backward`, `x.backward(...)`, and a `grad(...)` whose name the file does
 * not bind (a snippet's `from torch.autograd import grad` left out): with `create_graph` and `retain_graph`
 * keywords, which only PyTorch's take together.
 */
function isTorchDerivative(ctx: RuleContext, call: CallInfo): boolean {
  if (call.qname && DERIVATIVE_APIS.has(call.qname)) return true;
  if (call.method === 'backward') return true;
  const fn = field(call.node, 'function');
  return call.local === null && fn !== null && fn.type === 'identifier' && ctx.text(fn) === 'grad' && (call.qname === null || call.qname === 'grad');
}

/** The operands of `a or b or c` (parentheses dropped), or null when `n` is not an `or`. */
function disjuncts(ctx: RuleContext, n: PyNode): PyNode[] | null {
  const u = unparen(n);
  if (u.type !== 'boolean_operator') return null;
  const op = u.children.find((c) => c.field === 'operator');
  if (!op || ctx.text(op) !== 'or') return null;
  const out: PyNode[] = [];
  for (const side of [field(u, 'left'), field(u, 'right')]) {
    if (!side) return null;
    out.push(...(disjuncts(ctx, side) ?? [unparen(side)]));
  }
  return out;
}

const squash = (s: string): string => s.replace(/\s+/g, '');

interface Finding {
  /** Why create_graph may be true while retain_graph is false. */
  when: string;
}

export function createGraphFreesGraph(ctx: RuleContext, call: CallInfo): Finding | null {
  const cg = call.keywords.get('create_graph');
  const rg = call.keywords.get('retain_graph');
  if (!cg || !rg) return null;
  const c = ctx.model.literalBool(cg);
  const r = ctx.model.literalBool(rg);
  if (c === true && r === false) return { when: '`create_graph=True` with `retain_graph=False`' };
  if (r === true || c === false) return null;
  // `create_graph=self.training, retain_graph=False`: a flag is passed because it is true on some runs.
  if (r === false) return { when: `when \`${ctx.text(unparen(cg))}\` is true, \`create_graph\` is true but \`retain_graph=False\`` };
  const parts = disjuncts(ctx, cg);
  if (!parts) return null;
  const rText = squash(ctx.text(unparen(rg)));
  const same = parts.findIndex((p) => squash(ctx.text(p)) === rText);
  if (same < 0) return null;
  const others = parts.filter((_, i) => i !== same && ctx.model.literalBool(parts[i]) !== false);
  if (others.length === 0) return null;
  return {
    when:
      `when \`${ctx.text(unparen(rg))}\` is false and \`${ctx.text(others[0])}\` is true, \`create_graph\` is true ` +
      `(\`${ctx.text(unparen(cg))}\`) but \`retain_graph\` is false`,
  };
}

export const AGL041: Rule = {
  meta: {
    code: 'AGL041',
    name: 'create-graph-frees-graph',
    summary: 'A derivative taken with `create_graph=True` while `retain_graph` is false: the graph it builds on is freed, so a loss on it cannot be backpropagated.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `torch.autograd.grad(...)`, `torch.autograd.backward(...)` and `.backward(...)` calls whose `create_graph` can be ' +
        'true while their `retain_graph` is false: `create_graph=True, retain_graph=False`, a flag with `retain_graph=False` ' +
        '(`create_graph=self.training, retain_graph=False`), or a `create_graph` that is ' +
        '`flag or other` with `retain_graph=flag` (schnetpack\'s response module passed `create_graph=(self.basic_graph_required ' +
        'or self.training), retain_graph=self.basic_graph_required`).',
      whyIsThisBad:
        '`retain_graph` defaults to the value of `create_graph` for a reason. A derivative with a graph is made of the forward ' +
        'tensors that the forward graph saved for its backward (the `tanh` output, the layer inputs); `retain_graph=False` frees ' +
        'them as soon as this derivative is computed. A backward through the derivative (a force-matching, Sobolev or ' +
        'gradient-penalty loss) or through the forward output again (an energy term next to the force term) then raises ' +
        '"Trying to backward through the graph a second time". With the disjunction it happens only on the runs where one ' +
        'flag is true and the other false (training without the extra flag), so evaluation and tests may pass.',
      example: [
        '```python',
        'forces = -torch.autograd.grad(',
        '    energy, positions, torch.ones_like(energy),',
        '    create_graph=(self.hessian_required or self.training),',
        '    retain_graph=self.hessian_required,',
        ')[0]',
        'loss = mse(energy, e_ref) + mse(forces, f_ref)',
        'loss.backward()   # raises in training when hessian_required is False',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'keep = self.hessian_required or self.training',
        'forces = -torch.autograd.grad(',
        '    energy, positions, torch.ones_like(energy),',
        '    create_graph=keep, retain_graph=keep,',
        ')[0]',
        '```',
      ].join('\n'),
      knownProblems:
        'Only what the call itself shows is read: `create_graph` and `retain_graph` given as two unrelated variables ' +
        '(`create_graph=a, retain_graph=b`) are not flagged, although `a` true with `b` false is the same mistake. A network ' +
        'that is linear in the differentiated input saves nothing its derivative needs, and then no error is raised; the ' +
        '`create_graph=True` is still pointless there only if nothing is backpropagated through the derivative.',
      fixSafety: 'No automatic fix: whether `retain_graph` should follow `create_graph` or the other way round is the author\'s choice.',
      references: [
        '[torch.autograd.grad: retain_graph defaults to the value of create_graph](https://pytorch.org/docs/stable/generated/torch.autograd.grad.html)',
        '[torch.Tensor.backward: retain_graph, create_graph](https://pytorch.org/docs/stable/generated/torch.Tensor.backward.html)',
        '[schnetpack response.py at ac43871 (create_graph=basic_graph_required or training, retain_graph=basic_graph_required)](https://github.com/atomistic-machine-learning/schnetpack/blob/ac4387155ed2e297bef8ef2ed11e04f9645d15a4/src/schnetpack/atomistic/response.py#L157-L287)',
      ],
    },
  },

  check(ctx) {
    for (const call of ctx.model.calls) {
      if (call.hasKwargs || !isTorchDerivative(ctx, call)) continue;
      const f = createGraphFreesGraph(ctx, call);
      if (!f) continue;
      const rg = call.keywords.get('retain_graph')!;
      ctx.report({
        node: rg,
        message:
          `This derivative keeps a graph but frees the one it is built on: ${f.when}. The derivative is made of tensors the ` +
          `forward graph saved, and \`retain_graph=False\` frees them, so a loss on the derivative (or another backward through ` +
          `the output) raises "Trying to backward through the graph a second time". Let \`retain_graph\` follow \`create_graph\` ` +
          `(pass the same value, or leave it out: it defaults to \`create_graph\`).`,
        related: [{ node: call.keywords.get('create_graph')!, message: 'create_graph' }],
      });
    }
  },
};

