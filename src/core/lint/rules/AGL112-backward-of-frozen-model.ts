/**
 * AGL112 backward-of-frozen-model: `.backward()` on a value computed by a model whose parameters were all frozen
 * (`p.requires_grad = False` for every `p` of `model.parameters()`, `model.requires_grad_(False)`) from inputs that do not
 * require grad either. The value has no graph: PyTorch raises "element 0 of tensors does not require grad and does not
 * have a grad_fn". The question to the analysis: does the backward's target require grad through nothing, and was a
 * model call on its way left without trainable parameters by a freezing?
 */
import { Kind, type AV } from '../analysis';
import type { Rule, RuleContext } from '../rule';
import { contains, field, unparen, walk, type PyNode } from '../tree';

/** The target requires grad through nothing the analysis sees, and nothing unseen may make it require grad. */
function requiresNothing(v: AV): boolean {
  const t = v.t;
  if (v.kind !== Kind.TENSOR || !t) return false;
  if (t.opaque || t.leaves.length > 0 || t.params.length > 0 || t.mayLeaf.length > 0 || t.leafOf !== null) return false;
  // Cut graphs are AGL002's, recording switched off AGL009's, inference tensors AGL055's.
  if (t.cuts.length > 0 || t.recOff !== null || t.inference || t.variable) return false;
  return t.dGraph.length === 0 && t.dNoGraph.length === 0 && t.gradOf === null;
}

/**
 * Whether the freezing at `site` froze whole modules: `requires_grad = False` / `requires_grad_(False)` on the variable of
 * a loop over `X.parameters()` (or `named_parameters()`), or `requires_grad_(False)` on a module. The analysis tracks
 * parameters per layer, so freezing one tensor of a layer (`model.fc.bias.requires_grad = False`) freezes the whole layer
 * for it: such a freezing proves nothing about the rest of the layer.
 */
function freezesWholeModules(ctx: RuleContext, site: PyNode | null): boolean {
  if (!site) return false;
  const call = site.type === 'call' ? ctx.model.call(site) : undefined;
  const obj = site.type === 'attribute' ? field(site, 'object') : call?.receiver ?? null;
  if (!obj) return false;
  const o = unparen(obj);
  if (o.type === 'identifier') {
    const name = ctx.text(o);
    for (let n = site.parent; n; n = n.parent) {
      if (n.type === 'function_definition' || n.type === 'class_definition') break;
      if (n.type !== 'for_statement') continue;
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (!left || !right) continue;
      let binds = false;
      walk(left, (x) => {
        if (x.type === 'identifier' && ctx.text(x) === name) binds = true;
      });
      if (binds) return /\.(?:named_)?parameters\(\s*\)\s*$/.test(ctx.text(right));
    }
  }
  // `model.requires_grad_(False)` on a module.
  const v = ctx.analysis.valueOf(o);
  return !!call && call.method === 'requires_grad_' && !!v?.mod;
}

/** The frozen model calls (with where they were frozen) among the expressions `expr` is computed from (four bindings deep). */
function frozenCallsOf(ctx: RuleContext, expr: PyNode): { call: PyNode; freeze: PyNode | null }[] {
  const a = ctx.analysis;
  const m = ctx.model;
  const frozenAt = new Map(a.events.frozenCalls.map((f) => [f.node.id, f]));
  const out: { call: PyNode; freeze: PyNode | null }[] = [];
  const seen = new Set<number>();
  const visit = (e: PyNode, depth: number): void => {
    if (depth > 4 || seen.has(e.id)) return;
    seen.add(e.id);
    walk(e, (n) => {
      if (n.type === 'lambda' || n.type === 'function_definition') return false;
      if (n.type === 'call') {
        const f = frozenAt.get(n.id);
        const callee = field(n, 'function');
        const cv = callee ? a.valueOf(callee) : undefined;
        if (f) out.push({ call: n, freeze: ctx.tree.nodes[f.freezes[0] ?? -1] ?? null });
        else if (cv?.mod && cv.mod.frozen !== null && cv.mod.params.length > 0) out.push({ call: n, freeze: ctx.tree.nodes[cv.mod.frozen] ?? null });
        else if (cv && (cv.kind & Kind.INST) !== 0) {
          // A module class of the file: its layers' calls (in `forward` and the methods it calls) were left without parameters.
          const inner = a.events.frozenCalls.find((fc) => cv.classes.some((c) => contains(c.node, fc.node)));
          if (inner) out.push({ call: n, freeze: ctx.tree.nodes[inner.freezes[0] ?? -1] ?? null });
        }
      }
      if (n.type === 'identifier' && m.isUse(n)) for (const b of m.valuesBoundTo(n, true)) if (b) visit(b, depth + 1);
      return true;
    });
  };
  visit(expr, 0);
  return out;
}

export const AGL112: Rule = {
  meta: {
    code: 'AGL112',
    name: 'backward-of-frozen-model',
    summary: '`.backward()` of an output of a model whose parameters are all frozen, from inputs that do not require grad: there is no graph, and PyTorch raises.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `.backward()` called on a tensor computed by a model (a layer, a `Sequential`, a module class of the file) whose ' +
        'parameters were all frozen before the call — `p.requires_grad = False` or `p.requires_grad_(False)` for every `p` of ' +
        '`model.parameters()`, `model.requires_grad_(False)` — when nothing else it is computed from requires grad: the inputs ' +
        'are data made in view (`torch.tensor([1.0])`, `torch.randn(...)`), no leaf is marked, no other module is trainable.',
      whyIsThisBad:
        'Autograd records an operation only when one of its inputs requires grad. With every parameter frozen and a plain ' +
        'input, the model\'s output has no `grad_fn`, and `.backward()` raises "element 0 of tensors does not require grad and ' +
        'does not have a grad_fn". Freezing is meant for a part of a network (a pretrained backbone under a trainable head), ' +
        'or for a model whose input is what is optimized (then the input must require grad).',
      example: [
        '```python',
        'model = torch.nn.Linear(1, 1)',
        'for param in model.parameters():',
        '    param.requires_grad = False',
        'out = model(torch.tensor([1.0]))',
        'out.backward()',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        '# freeze only the backbone, keep the head trainable',
        'for param in model.backbone.parameters():',
        '    param.requires_grad = False',
        'out = model(x)',
        'out.sum().backward()',
        '# or optimize the input through the frozen model',
        'x = torch.tensor([1.0], requires_grad=True)',
        'model(x).backward()',
        '```',
      ].join('\n'),
      knownProblems:
        'Only models and inputs the analysis sees are judged: a model of unknown class, an input from a data loader or an ' +
        'argument of an unseen caller may require grad, and is not reported (a fragment that freezes `model`, defined elsewhere, ' +
        'and backpropagates its output proves nothing by itself). A model frozen on one path and not on another is not reported. ' +
        'Only freezings of whole modules count (a loop over `.parameters()`, `requires_grad_(False)` on a module): freezing ' +
        'tensors one by one (`model.fc.bias.requires_grad = False`) may leave others of the same layer trainable, and is not judged.',
      fixSafety: 'No fix is offered: which part was meant to stay trainable (or whether the input was meant to require grad) is not visible.',
      references: [
        '[Autograd mechanics: locally disabling gradient computation](https://pytorch.org/docs/stable/notes/autograd.html#locally-disabling-gradient-computation)',
        '[torch.nn.Module.requires_grad_](https://pytorch.org/docs/stable/generated/torch.nn.Module.html#torch.nn.Module.requires_grad_)',
      ],
    },
  },

  check(ctx) {
    const a = ctx.analysis;
    if (a.events.backwards.length === 0) return;
    for (const b of a.events.backwards) {
      const receiver = ctx.model.call(b.node)?.receiver;
      if (!receiver) continue;
      const v = a.valueOf(receiver);
      if (!v || !requiresNothing(v) || !requiresNothing(b.target)) continue;
      const frozen = frozenCallsOf(ctx, unparen(receiver));
      // Every freezing on the way froze whole modules.
      if (frozen.some((x) => !freezesWholeModules(ctx, x.freeze))) continue;
      const f = frozen[0];
      if (!f) continue;
      ctx.report({
        node: b.node,
        message:
          `\`${ctx.text(receiver)}\` is computed by \`${ctx.text(field(f.call, 'function') ?? f.call)}\` (line ${ctx.lineOf(f.call)}), whose ` +
          `parameters are all frozen${f.freeze ? ` (line ${ctx.lineOf(f.freeze)})` : ''}, from inputs that do not require grad: it has ` +
          'no graph, and `.backward()` raises "element 0 of tensors does not require grad and does not have a grad_fn". Freeze only ' +
          'the part meant to stay fixed, or make the input require grad if it is what is optimized.',
        related: [
          { node: f.call, message: 'the frozen model computes the value here' },
          ...(f.freeze ? [{ node: f.freeze, message: 'its parameters are frozen here' }] : []),
        ],
      });
    }
  },
};
