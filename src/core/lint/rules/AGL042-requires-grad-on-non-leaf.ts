/**
 * AGL042 requires-grad-on-non-leaf: `x.requires_grad = True` where `x` may be a tensor with history (computed,
 * with recording on, from a tensor that requires grad). PyTorch raises "you can only change requires_grad
 * flags of leaf variables" (measured by test/fixtures/lint/AGL042/bad.py). The analysis joins the value over
 * every loop round and calling context (`LeafEvent.beforeAny`), so the second sample of an attack loop, sliced
 * from a batch the first sample was written back into with its graph, is seen.
 *
 * A derivative taken without a graph is a leaf, and AGL001 already says that marking it hides the real
 * mistake; it is not reported here.
 */
import { isKind, Kind, type TensorFacts } from '../analysis';
import type { Rule, RuleContext } from '../rule';
import { field, nodesOfType, unparen, type PyNode } from '../tree';

/**
 * Computed from a visible requires-grad leaf, or from parameters through a call of something known to be a
 * model (a module of the file, a `torch.nn` layer); the result of an unknown callable (a method inherited
 * from another file, a library helper) is not taken as carrying parameters here.
 */
function nonLeaf(t: TensorFacts | null, knownModelCalls: ReadonlySet<number>): boolean {
  if (!t || t.leafOf !== null || t.mayLeaf.length > 0 || t.variable || t.inference) return false;
  return t.leaves.length > 0 || t.params.some((p) => knownModelCalls.has(p));
}

export const AGL042: Rule = {
  meta: {
    code: 'AGL042',
    name: 'requires-grad-on-non-leaf',
    summary: '`x.requires_grad = True` on a tensor that may have been computed from one that requires grad: PyTorch raises for non-leaf tensors.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds `x.requires_grad = True` (the attribute form) where `x` may, on some path through the code, be a tensor that ' +
        'autograd computed from a tensor requiring grad or from parameters: the output of an operation or a model, a slice ' +
        'of a batch into which such a tensor was written (`images[b:b+1] = image`), a value carried around a loop. Loops ' +
        'and calls are followed, so a tensor that is a leaf in the first round and a non-leaf in the next is found. Also a slice ' +
        'or copy of a layer\'s weight read as an attribute (`emb.weight[ids].clone()`, `model.get_input_embeddings().weight[ids]`, ' +
        '`linear.weight.clone()`) made with recording on: it is computed from a parameter (not inside `with torch.no_grad():`).',
      whyIsThisBad:
        'Only leaves can have their `requires_grad` flag changed: on a tensor with a `grad_fn` PyTorch raises "you can only ' +
        'change requires_grad flags of leaf variables". When the non-leaf arises only on some runs (an early `break` that ' +
        'leaves the marked tensor attached, then written back into the batch), the first sample works and a later one ' +
        'crashes. torchattacks\' DeepFool had this: after the `break`, `images[b:b+1] = image` made `images` part of the ' +
        'graph, and the next sample\'s `image.requires_grad = True` raised.',
      example: [
        '```python',
        'for b in range(images.shape[0]):',
        '    image = images[b:b+1]',
        '    image.requires_grad = True          # raises from the second sample on',
        '    for _ in range(steps):',
        '        if model(image).argmax() != label[b]:',
        '            break                       # image still requires grad',
        '        image = (image + step(image)).detach()',
        '        image.requires_grad = True',
        '    images[b:b+1] = image               # images now has a grad_fn',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'for b in range(images.shape[0]):',
        '    image = images[b:b+1].clone().detach().requires_grad_(True)',
        '    ...',
        '    images[b:b+1] = image.detach()',
        '```',
      ].join('\n'),
      knownProblems:
        'Reported when the tensor may be a non-leaf on some path the analysis sees, which can be a path the program never ' +
        'takes (a flag that is always set). A value of unknown origin (an argument nobody in the file passes) is not ' +
        'reported. `x.requires_grad_()` is not reported: on a non-leaf that already requires grad it does nothing. A mark under ' +
        '`if x.is_leaf:` (or in the `else` of `if not x.is_leaf:`), or under `if not x.requires_grad:`, is not reported: the code asks first. A device move (`.cuda()`, ' +
        '`.cpu()`, `.to(device)`) of a tensor a move already put on that device returns the tensor itself, so a loop that moves ' +
        'and marks the same variable each round is not reported; a move of a leaf whose device is not known is taken as a copy.',
      fixSafety: 'No automatic fix: where to detach (the slice, the value written back, or both) depends on the code.',
      references: [
        '[torch.Tensor.is_leaf: only leaf tensors have their requires_grad set by the user](https://pytorch.org/docs/stable/generated/torch.Tensor.is_leaf.html)',
        '[torch.Tensor.requires_grad_](https://pytorch.org/docs/stable/generated/torch.Tensor.requires_grad_.html)',
        '[torchattacks deepfool.py at a4fd2b5 (image.requires_grad = True after images[b:b+1] = image)](https://github.com/Harry24k/adversarial-attacks-pytorch/blob/a4fd2b5555cc5acdcd5085b19226c059f13d31da/torchattacks/attacks/deepfool.py)',
      ],
    },
  },

  check(ctx) {
    const a = ctx.analysis;
    // One report per function and set of origins: a later mark of the same tensor fails for the same reason.
    const seen = new Set<string>();
    const known = new Set(
      a.events.modelCalls
        .filter((m) => !isKind(m.callee, Kind.UNKNOWN) && !isKind(m.callee, Kind.LIB) && (isKind(m.callee, Kind.INST) || m.callee.lib.some((q) => q.startsWith('torch.nn.'))))
        .flatMap((m) => [m.node.id, m.callee.site, ...(m.callee.mod?.params ?? [])]),
    );
    const weights = new Set<number>();
    // The weight or bias of a `torch.nn` layer read as an attribute (`emb.weight`, `model.get_input_embeddings().weight`):
    // a parameter, so what is computed from it (`weight[ids].clone()`) has a `grad_fn`.
    for (const n of nodesOfType(ctx.tree, 'attribute')) {
      const attr = field(n, 'attribute');
      const obj = field(n, 'object');
      if (!attr || !obj || (ctx.text(attr) !== 'weight' && ctx.text(attr) !== 'bias')) continue;
      const o = a.valueOf(obj);
      if (!o || !isKind(o, Kind.LIBINST) || !o.lib.some((q) => q.startsWith('torch.nn.') && !q.startsWith('torch.nn.functional.'))) continue;
      for (const p of o.mod?.params.length ? o.mod.params : [o.site]) weights.add(p);
    }
    for (const l of a.events.leaves) {
      if (l.kind !== 'attribute') continue;
      const t = l.beforeAny.t;
      // Computed from a layer's weight with recording on (with it off, `w = layer.weight.clone()` is a leaf).
      const fromWeight =
        !!t && t.recOff === null && t.leafOf === null && t.mayLeaf.length === 0 && !t.variable && !t.inference && t.params.some((p) => weights.has(p)) && !boundWithoutRecording(ctx, l.target);
      if (!(nonLeaf(t, known) || fromWeight) || t!.dGraph.length + t!.dNoGraph.length > 0) continue;
      if (guardedByIsLeaf(ctx, l.node, ctx.text(l.target))) continue;
      const key = `${l.fn?.id ?? -1}:${t!.leaves.join('.')}:${t!.params.length > 0 ? 'p' : ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const origin = t!.leaves.length > 0 ? ctx.tree.nodes[t!.leaves[0]] : null;
      const model = origin ? null : ctx.tree.nodes[t!.params.find((p) => known.has(p) || weights.has(p))!];
      const name = ctx.text(l.target);
      ctx.report({
        node: l.node,
        message:
          `\`${name}\` may not be a leaf here: on some path it was computed, with recording on, ` +
          `${origin ? `from the tensor that \`${ctx.text(origin).slice(0, 60)}\` (line ${ctx.lineOf(origin)}) made require grad` : `from the parameters of \`${ctx.text(model!).slice(0, 60)}\` (line ${ctx.lineOf(model!)})`}, ` +
          `so it has a \`grad_fn\` and PyTorch raises "you can only change requires_grad flags of leaf ` +
          `variables". Detach it first (\`${name} = ${name}.detach().requires_grad_()\`), or detach what is written back into ` +
          'the tensor it comes from.',
        related: origin ? [{ node: origin, message: 'the tensor that requires grad' }] : [{ node: model!, message: 'the model call' }],
      });
    }
  },
};

/**
 * `if x.is_leaf: x.requires_grad = True` (else `x.retain_grad()`): the code asks first, so the mark runs only on a leaf
 * (ART's object detectors, whose inputs may come from a differentiable preprocessing). Also `if not x.is_leaf: ...
 * else: x.requires_grad = True`, and `if not x.requires_grad: x.requires_grad = True` (a tensor that does not require grad
 * is a leaf).
 */
function guardedByIsLeaf(ctx: RuleContext, at: PyNode, name: string): boolean {
  for (let n: PyNode | null = at.parent, child: PyNode = at; n; child = n, n = n.parent) {
    if (n.type === 'function_definition') return false;
    if (n.type !== 'if_statement' && n.type !== 'elif_clause' && n.type !== 'else_clause') continue;
    const ifNode = n.type === 'else_clause' ? n.parent : n;
    const cond = ifNode ? field(ifNode, 'condition') : null;
    if (!cond) continue;
    const text = ctx.text(unparen(cond)).replace(/\s+/g, ' ');
    const inElse = n.type === 'else_clause' || (child.type === 'else_clause');
    if (!inElse && text === `${name}.is_leaf`) return true;
    if (inElse && text === `not ${name}.is_leaf`) return true;
    // A tensor that does not require grad is a leaf (every non-leaf requires grad): `if not x.requires_grad:` asks too.
    if (!inElse && (text === `not ${name}.requires_grad` || text === `${name}.requires_grad is False` || text === `${name}.requires_grad == False`)) return true;
    if (inElse && text === `${name}.requires_grad`) return true;
  }
  return false;
}

const RECORDING_OFF = new Set(['torch.no_grad', 'torch.inference_mode', 'torch.autograd.no_grad', 'torch.autograd.grad_mode.no_grad']);

/** Every binding of the marked name that reaches the mark is made inside `with torch.no_grad():` (a leaf, then). */
function boundWithoutRecording(ctx: RuleContext, target: PyNode): boolean {
  const m = ctx.model;
  let e = unparen(target);
  if (e.type === 'attribute') e = unparen(field(e, 'object') ?? e);
  if (e.type !== 'identifier' || !m.isUse(e)) return false;
  const bs = m.reachingBindings(e);
  return (
    bs.length > 0 &&
    bs.every((b) =>
      m.withContextsAt(b.stmt).some((w) =>
        w.items.some((it) => {
          const u = unparen(it);
          const q = u.type === 'call' ? m.qualifiedName(field(u, 'function') ?? u) : null;
          return q !== null && RECORDING_OFF.has(q);
        }),
      ),
    )
  );
}
