/**
 * AGL044 penalty-through-frozen-critic: a gradient penalty (a derivative taken with `create_graph=True` and
 * trained by a backward) of a critic whose parameters were frozen where it ran (`for p in D.parameters():
 * p.requires_grad = False`, often in a `set_requires_grad(nets, False)` helper, or `D.requires_grad_(False)`),
 * on inputs that carry no trainable graph either: the penalty depends on no parameter, so adding it to the loss
 * changes nothing (WAAL's feature step: parameters bit-identical with and without the penalty).
 *
 * Asked of the analysis: the model calls that left frozen parameters out (`frozenCalls`, the freezing followed
 * through helpers and loops: frozen only where frozen on every path), the derivatives, and what their results and
 * the backward targets carry.
 */
import { tensorOfValue } from '../analysis/library';
import type { AV, FrozenCallEvent } from '../analysis';
import type { Rule } from '../rule';
import type { PyNode } from '../tree';

function carried(v: AV | undefined, into: Set<number>): void {
  if (!v) return;
  if (v.t) for (const id of v.t.dGraph) into.add(id);
  if (v.items) for (const x of v.items) carried(x, into);
  else if (v.elem) carried(v.elem, into);
}

function enclosingFn(n: PyNode): PyNode | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda') return p;
  return null;
}

export const AGL044: Rule = {
  meta: {
    code: 'AGL044',
    name: 'penalty-through-frozen-critic',
    summary: 'A gradient penalty is taken through a critic whose parameters are frozen, on inputs with no trainable graph: it trains nothing.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `torch.autograd.grad(..., create_graph=True)` of the output of a model whose parameters were frozen where it ' +
        'ran — `p.requires_grad = False` (or `p.requires_grad_(False)`) for each `p` of its `.parameters()`, directly or in a ' +
        'helper such as pix2pix\'s `set_requires_grad(nets, False)` called with a model or a list of models, or ' +
        '`model.requires_grad_(False)` — when the derivative\'s result depends on no other parameter (its inputs were made ' +
        'from data, or recomputed under `torch.no_grad()`) and is back-propagated.',
      whyIsThisBad:
        'A gradient penalty trains the critic through the derivative of its output: the penalty\'s own gradient flows into ' +
        'the critic\'s parameters (and into whatever computed the penalized inputs). With the critic frozen and inputs ' +
        'without a graph, the penalty is a constant to every parameter: `loss = main + lam * gp` trains exactly as `main` ' +
        'alone, silently. In WAAL (deepALplus issue 5) the critic was frozen for the feature step and the features ' +
        'recomputed under `no_grad` before the penalty: the trained parameters were bit-identical with and without it.',
      example: [
        '```python',
        'set_requires_grad(self.dis, False)          # for p in net.parameters(): p.requires_grad = False',
        'with torch.no_grad():',
        '    z = self.fea(x)',
        'gp = gradient_penalty(self.dis, z)          # grad(dis(z_hat), z_hat, create_graph=True)',
        'loss = task_loss + alpha * gp',
        'loss.backward()                             # gp contributes nothing',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        '# penalize the critic in its own step, with its parameters trainable:',
        'set_requires_grad(self.dis, True)',
        'd_loss = w_dist + lam * gradient_penalty(self.dis, z.detach())',
        'd_loss.backward()',
        '```',
      ].join('\n'),
      knownProblems:
        'Only freezing the analysis sees is followed: `requires_grad = False` stored on the elements of a model\'s ' +
        '`.parameters()`, `requires_grad_(False)` on a parameter or a module, in the function or in a helper of the file ' +
        '(with the `False` passed visibly). A parameter counts as frozen only where it is frozen on every path, so a critic ' +
        'unfrozen at the top of each loop round is not. A penalty whose inputs carry a graph to other parameters (a ' +
        'generator\'s output) trains those and is not flagged.',
      fixSafety: 'No fix: whether the penalty belongs to the critic\'s step or the critic should be trainable here is for the author to decide.',
      references: [
        '[deepALplus issue 5: WAAL gradient penalty with a frozen critic](https://github.com/SineZHAN/deepALplus/issues/5)',
        '[torch.autograd.grad](https://pytorch.org/docs/stable/generated/torch.autograd.grad.html)',
      ],
    },
  },

  check(ctx) {
    const a = ctx.analysis;
    if (a.events.frozenCalls.length === 0) return;
    const frozenAt = new Map<number, FrozenCallEvent>();
    for (const f of a.events.frozenCalls) frozenAt.set(f.node.id, f);
    let trained: Set<number> | null = null;
    for (const d of a.events.derivatives) {
      if (d.spec.framework !== 'pytorch' || d.createGraph !== true) continue;
      const out = tensorOfValue(d.output);
      const frozen = out.hist.map((h) => frozenAt.get(h)).filter((f): f is FrozenCallEvent => !!f);
      if (frozen.length === 0) continue;
      // The derivative still carries a trainable graph (parameters upstream of its inputs, a leaf of its own).
      const res = tensorOfValue(d.result);
      if (res.params.length > 0) continue;
      const ins = tensorOfValue(d.inputs);
      const inLeaves = new Set([...ins.leaves, ...(ins.leafOf !== null ? [ins.leafOf] : [])]);
      if (res.leaves.some((l) => !inLeaves.has(l))) continue;
      if (!trained) {
        const t = new Set<number>();
        for (const b of a.events.backwards) carried(b.target, t);
        for (const s of a.events.sinks) if (s.kind !== 'loss-variable' && s.kind !== 'loss-call' && s.kind !== 'loss-return') carried(s.value, t);
        trained = t;
      }
      if (!trained.has(d.node.id)) continue;
      // Where the penalty is computed for its callers (`gp = self.gradient_penalty(self.dis, ...)`): the calls, outside
      // the derivative's own function, whose values carry it (every calling context was frozen, or the joined result
      // would hold parameters). Else the derivative itself.
      const sites: PyNode[] = [];
      for (const [id, v] of a.values) {
        const n = ctx.tree.nodes[id];
        if (n && n.type === 'call' && v.t?.dGraph.includes(d.node.id) && enclosingFn(n) !== d.fn && !sites.some((x) => x.start <= n.start && n.end <= x.end)) sites.push(n);
      }
      const outermost = sites.filter((n) => !sites.some((x) => x !== n && x.start <= n.start && n.end <= x.end));
      const call = frozen[0].node;
      const freezes = frozen.flatMap((f) => f.freezes).map((id) => ctx.tree.nodes[id]).filter((n): n is PyNode => !!n);
      const fnNode = call.children.find((c) => c.field === 'function');
      const model = fnNode ? ctx.text(fnNode) : 'the model';
      for (const at of outermost.length > 0 ? outermost.sort((x, y) => x.start - y.start) : [d.node]) {
        // The freezing written in the same function as this penalty, else the first one seen (in a helper).
        const freeze = freezes.find((f) => enclosingFn(f) === enclosingFn(at)) ?? freezes[0];
        ctx.report({
          node: at,
          message:
            `${at === d.node ? 'This derivative (a penalty, with `create_graph=True`)' : `This penalty (the derivative with \`create_graph=True\` on line ${ctx.lineOf(d.node)})`} is taken through \`${model}\` (line ${ctx.lineOf(call)}), whose ` +
            `parameters are frozen there${freeze ? ` (\`requires_grad\` set to False on line ${ctx.lineOf(freeze)})` : ''}, and its ` +
            'inputs carry no trainable graph either: the penalty depends on no parameter, so the loss it is added to trains ' +
            'exactly as without it. Compute the penalty in the critic\'s own step with its parameters trainable, or unfreeze them here.',
          related: [
            ...(at === d.node ? [] : [{ node: d.node, message: 'the derivative' }]),
            { node: call, message: 'the critic runs here with its parameters frozen' },
            ...(freeze ? [{ node: freeze, message: 'frozen here' }] : []),
          ],
        });
      }
    }
  },
};
