/**
 * AGL024 input-not-in-graph: `torch.autograd.grad(y, x)` where `x` was made after `y` was computed:
 * a tensor rebound by a later assignment (`x = torch.zeros(...).requires_grad_()`), a leaf marked only
 * after its use (`y = f(x); x.requires_grad_()`), or a value built from the inputs afterwards
 * (`z = torch.cat((a, b))` after `c = a.T @ b`), or a slice taken afterwards (`grad(u, X[:, 1:2])`). `y` cannot depend on it: `grad` raises "One of the
 * differentiated Tensors appears to not have been used in the graph", or, with `allow_unused=True`,
 * returns None that code then turns into zeros.
 *
 * Also `grad(y, x)` where `x` surely never requires grad (made in view by a factory, from data or detached values, in
 * every calling context, and never marked): `grad` raises "One of the differentiated Tensors does not require grad".
 *
 * Asked of the analysis: the derivative events, the site where each input value was made (its leaf
 * marking, or the operation that computed it) and the site of the output value, in straight-line code.
 */
import { isKind, Kind, onlyKind, requiresGrad, type AV, type DerivativeEvent } from '../analysis';
import type { Rule, RuleContext } from '../rule';
import type { Binding } from '../semantic';
import { lateMarking, reachesLeaf } from '../late-marking';
import { elements } from '../torch';
import { field, namedChildren, nodesOfTypes, unparen, walk, type PyNode } from '../tree';

const LOOPS = new Set(['for_statement', 'while_statement', 'list_comprehension', 'generator_expression', 'set_comprehension', 'dictionary_comprehension']);
const FUNCTIONS = new Set(['function_definition', 'lambda', 'class_definition']);
/** Values made by a computation (not a read of something older). */
const MADE_BY = new Set(['call', 'binary_operator', 'unary_operator']);
/** Methods that reduce or reshape a computed output (the output is the value they are called on). */
const REDUCING = new Set(['sum', 'mean', 'squeeze', 'unsqueeze', 'flatten', 'view', 'reshape', 'norm', 'prod']);

/** The innermost enclosing function of `n` (null at module level), and whether a loop lies in between. */
function scopeOf(n: PyNode): { fn: PyNode | null; inLoop: boolean } {
  let inLoop = false;
  for (let p = n.parent; p; p = p.parent) {
    if (FUNCTIONS.has(p.type)) return { fn: p, inLoop };
    if (LOOPS.has(p.type)) inLoop = true;
  }
  return { fn: null, inLoop };
}

function inputsOf(v: AV): AV[] {
  if (v.items) return v.items.flatMap(inputsOf);
  return v.t ? [v] : [];
}

export const AGL024: Rule = {
  meta: {
    code: 'AGL024',
    name: 'input-not-in-graph',
    summary: 'The tensor differentiated against is not in the output\'s graph: made after the output, a slice the output never read, or a tensor that never requires grad.',
    framework: 'any',
    defaultSeverity: 'error',
    fixable: false,
    docs: {
      whatItDoes:
        'For each `torch.autograd.grad(outputs, inputs)` (and `torch.autograd.backward(..., inputs=...)`), compares where each ' +
        'input tensor was made — where it was marked `requires_grad`, or the operation that computed it — with where the ' +
        'output was computed, in straight-line code of one function. An output computed after the marking from what was ' +
        'computed before it is reported too: the raw inputs normalized first (`x_norm = (x - mean) / std`), marked after, ' +
        'then `grad(net(x_norm), x)`: the analysis shows the output has no path to the leaf the marking made. ' +
        'It reports an input made after the output: a name ' +
        'rebound by a later assignment (a chained `df_dx = x = torch.zeros(...)`), a tensor marked `requires_grad` only after ' +
        'it was used, or a tensor built from the real inputs afterwards (`z = torch.cat((a, b))` after `c = f(a, b)`). ' +
        'A slice or element of the input (`x[:, 0]`, `images[0]`) taken after the output is such a tensor too: indexing makes ' +
        'a new tensor, and the output was computed from the whole one. It is reported where it is named, written in the ' +
        'call (`grad(u, X[:, 1:2])`, also of a parameter whose caller is not shown when several indices include a slice: only ' +
        'an array allows that, or with any index, `x[k]`, when the same binding of `x` is read as an array, by `x.shape`, ' +
        '`x.ndim`, `x.size()` or `x.dim()`, which a list or tuple of tensors does not have) or passed to a helper of the file that differentiates (`gradients(u, X[:, 1:2])`). ' +
        'So is an item a loop takes from a tensor that requires grad (`for loss, w in zip(losses, W)`, `for i, w in enumerate(W)`, ' +
        'also the stacked weights of `torch.func.stack_module_state`), differentiated in the loop by an output bound before it ' +
        'or by an item of another tensor the loop iterates: each item is a new view made when the loop takes it. ' +
        'In TensorFlow graph mode, `tf.gradients(ys, xs)` with a source that the target, computed in view from no weights, does not ' +
        'depend on: a placeholder it never reads, or inside a `tf.while_loop` body another loop variable (each is a tensor of ' +
        'its own there, even when two start from the same tensor; tensorflow/tensorflow#16333): the gradient is None. ' +
        'Also inputs that are all parameters of a `copy.deepcopy` (of a model, of its parameters) while the output ran the ' +
        'original model: a deep copy makes new leaves, and rebinding a loop variable to a copy (`model_param = meta_param`) ' +
        'does not put it into the model. ' +
        'A slice taken before the output but never read by it (`x = X[:, 0:1]`, `x, t = X.split(1, dim=1)`, then ' +
        '`u = net(X)` and `grad(u, x)`): the slice bound to a plain name with no read between its binding and the end of the ' +
        'statement that computes the output, in one function; or a slice made inside a function whose output is one of its ' +
        'parameters (`def physics_loss(self, x, y_pred): t = x[:, 1:2]` then `grad(y_pred, t)`: the caller computed the output ' +
        'before the slice existed); likewise an input that is another parameter of such a function, marked `requires_grad` in its body ' +
        '(`def sdf_gradient(self, sdf, x): x.requires_grad_(True)` then `grad(sdf, x)`): the marking comes after the caller computed ' +
        'the output, so it either repeats an earlier marking or comes too late (not reported when a caller the file shows passes a ' +
        'tensor that already requires grad). ' +
        'Likewise an input bound to a new leaf (`x_var = Variable(x, requires_grad=True)`, `x.clone().requires_grad_()`, ' +
        '`torch.tensor(x, requires_grad=True)`) or to a tensor marked in place (`vol = kwargs["vol"].requires_grad_()`) after the ' +
        'output was bound in the same function, or when the output is a parameter of that function, differentiated there directly ' +
        'or through a helper of the file that differentiates one of its parameters by another (`jacobian(x_var, mu)`). And an input the code made (a factory, a conversion) and never ' +
        'marked `requires_grad` on any path, while the output requires grad through the weights (`t = torch.linspace(...)`, ' +
        '`u = net(t)`, `grad(u, t)`; or `X = torch.cat([x, t]); X.requires_grad_()` then `grad(u, x)`). ' +
        'Also an input that surely never requires grad: made in the function by a factory (`torch.randn`), from data or from ' +
        'detached values (`alpha * real.detach() + (1 - alpha) * fake.detach()`, `x.detach()`), in every calling context the ' +
        'file shows (a penalty helper called with `real.data, fake.data`), and never marked: a gradient penalty\'s ' +
        'interpolates, an attack\'s or a saliency map\'s input that the author forgot to mark. The same for the input of ' +
        'DeepXDE\'s `dde.grad.jacobian(ys, xs)` / `dde.grad.hessian(ys, xs)` when it is a PyTorch tensor (made by a `torch.` call) ' +
        'that never requires grad: with the PyTorch backend DeepXDE differentiates by `torch.autograd.grad`. ' +
        'Also a part of a combination that was then marked (`X = torch.cat([x, t], dim=1)`, `X.requires_grad_(True)`, or ' +
        '`torch.cat(...).requires_grad_()` where it is made, ' +
        '`u = net(X)`, then `grad(u, t)`), also when `x` and `t` are parameters whose caller is not shown: marking the ' +
        'combination makes it a new leaf, and says the parts do not require grad (if they did, it would have a graph ' +
        'already and the marking would do nothing). And a copy made before the tensor is marked (`adv = image.clone()`, ' +
        'then `image.requires_grad = True`) from which a loss is computed before `image.grad` is read: the copy does not ' +
        'depend on `image`, so that backward does not reach it, and `image.grad` is None, or what an earlier backward left ' +
        '(an iterative attack whose later steps run the model on the perturbed copy); reported at the copy.',
      whyIsThisBad:
        'Autograd differentiates along the operations that were recorded when the output was computed. A tensor made ' +
        'later is not among them: `grad` raises "One of the differentiated Tensors appears to not have been used in the ' +
        'graph", or with `allow_unused=True` silently returns None (often turned into zeros), so a loss on that derivative ' +
        'trains nothing. Concatenating the inputs afterwards does not make the output a function of the concatenation, and ' +
        'slicing the input beforehand does not make the output a function of the slice: the output was computed from the ' +
        'whole tensor. A tensor that never required grad is no leaf of the graph at all: `grad` raises "One of the ' +
        'differentiated Tensors does not require grad" (marking the concatenation of columns marks the concatenation, not ' +
        'the columns).',
      example: [
        '```python',
        'a = torch.rand(3, 1, requires_grad=True)',
        'b = torch.rand(3, 1, requires_grad=True)',
        'c = a.T @ b',
        'z = torch.cat((a, b), dim=1)',
        'torch.autograd.grad(c, z)       # RuntimeError: ... not have been used in the graph',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'z = torch.rand(3, 2, requires_grad=True)',
        'a, b = z[:, :1], z[:, 1:]       # compute from the tensor you differentiate against',
        'c = a.T @ b',
        'dz = torch.autograd.grad(c, z)[0]',
        '```',
      ].join('\n'),
      knownProblems:
        'An input marked after its use is reported only when it has one binding, the marking and the derivative are in ' +
        'one function, the tensor is not read between the marking and the derivative (a call of code the analysis cannot ' +
        'see may put it into the output), and the output is not unknown to the analysis. Only straight-line code is compared: inputs or outputs made inside a loop or comprehension (where a later line ' +
        'may feed the next iteration) are skipped, as are values that come from several places, parameters, and inputs ' +
        'that are read (an attribute, an element of a list or tuple) rather than made. A slice is reported only of what is ' +
        'surely a tensor that requires grad. A slice taken before the output and not used to compute it is reported only when ' +
        'it is bound to a plain name that nothing reads before the output\'s statement ends (a slice stored in an attribute or ' +
        'a container, or read by a helper first, is not followed). An input never marked `requires_grad` is reported only when ' +
        'every binding that reaches the derivative is a call of the file with no `requires_grad` in it, the variable is never ' +
        'handed to a helper of the file or put in a container, and the file has no marking of something the analysis cannot tie ' +
        'to one variable (a loop variable, a parameter, an attribute: `for t in (x, y): t.requires_grad_()`). Written in the call, only indexing and arithmetic count (`x.float()`, `x.to(device)` ' +
        'return `x` itself when there is nothing to convert). A copy of an instance of a module class of the file is ' +
        'not told apart from the original (its parameters are taken to be the original\'s), so only copies of library ' +
        'modules (`nn.Sequential`, `nn.Linear`), of parameters and of models of unknown class are checked; a copy given to a ' +
        'call that runs it (`sdeint(sde_copy, y0, ts)`) is taken as run, and a model that runs a copy through code the ' +
        'analysis does not see otherwise is taken to run the original. An input that never requires grad ' +
        'is reported only when it is made in the function that differentiates, its value is known in every calling context ' +
        '(an argument of a caller the file does not show may require grad), and the function marks nothing: any ' +
        '`requires_grad_(...)`, `requires_grad = ...` or `requires_grad=True` in it (a mark through an alias or a loop over ' +
        'tensors), or a call on a line of its own that is given the input (a helper that may mark it), leaves it alone. ' +
        'A part of a marked combination is reported on the strength of the marking: a project whose callers pass parts that ' +
        'already require grad (the marking then redundant) gets a warning for code that runs; the combination must be bound ' +
        'once, outside loops, in the function that differentiates, and the part never marked there. A copy made before ' +
        'marking is recognised only as `x.clone()`, `x.detach()`, `x.data`, `x.numpy()`, `torch.clone(x)`, `torch.tensor(x)`, ' +
        '`torch.from_numpy(...)` or `copy.deepcopy(x)` (also through `.to(...)`, `.float()`, `Variable(...)`, which do not copy by ' +
        'themselves) bound to a name, with the copy and the marking outside loops in one function; the way from the copy to the loss is followed ' +
        'through the function\'s own assignments (a helper\'s result counts as made from its arguments); a copy that is marked ' +
        'itself, or another backward of the function before the read that reaches the marked tensor (or whose loss is of ' +
        'unknown origin), leaves it alone (a test that compares the gradients of two formulas). DeepXDE\'s derivatives are checked only for an input the code makes with a `torch.` call; inside a PDE ' +
        'function DeepXDE marks its inputs.',
      fixSafety: 'No fix: which tensor was meant is for the author to say.',
      references: ['[torch.autograd.grad](https://pytorch.org/docs/stable/generated/torch.autograd.grad.html)'],
    },
  },

  check(ctx: RuleContext) {
    const before = ctx.diagnostics.length;
    copiedParameters(ctx);
    inlineSlices(ctx);
    iteratedViews(ctx);
    tensorflowSourceNotInGraph(ctx);
    unusedSlices(ctx);
    unmarkedInputs(ctx);
    markedAfterUse(ctx);
    deepxdeUnmarkedInputs(ctx);
    copiesMadeBeforeMarking(ctx);
    markedCombinations(ctx);
    for (const d of ctx.analysis.events.derivatives) {
      if (d.spec.framework !== 'pytorch' || !d.spec.outputs) continue;
      const out = d.output;
      if (out.site < 0 || !out.t || out.t.opaque) continue;
      let outNode = ctx.tree.nodes[out.site];
      if (!outNode || (!MADE_BY.has(outNode.type) && !tensorSlice(ctx, outNode))) continue;
      // `y.sum()`, `y[:, 0]`, `y.squeeze()` made at the call: the output is the value it reduces.
      for (let guard = 0; guard < 8 && (outNode.type === 'call' || outNode.type === 'subscript'); guard++) {
        const fn = outNode.type === 'call' ? field(outNode, 'function') : null;
        const recv = outNode.type === 'subscript' ? field(outNode, 'value') : fn?.type === 'attribute' ? field(fn, 'object') : null;
        if (!recv || (fn && !REDUCING.has(ctx.text(field(fn, 'attribute') ?? fn)))) break;
        const rv = ctx.analysis.values.get(unparen(recv).id);
        const next = rv && rv.site >= 0 ? ctx.tree.nodes[rv.site] : undefined;
        if (!next || !MADE_BY.has(next.type) || next.start >= outNode.start) break;
        outNode = next;
      }
      const outScope = scopeOf(outNode);
      if (outScope.inLoop) continue;
      for (const inp of inputsOf(d.inputs)) {
        const t = inp.t!;
        if (t.variable || t.params.length > 0) continue;
        const made = ctx.tree.nodes[t.leafOf ?? inp.site];
        if (!made || (t.leafOf === null && !MADE_BY.has(made.type) && !tensorSlice(ctx, made))) continue;
        // The output's leaves include this leaf: it is in the graph whatever the order.
        if (t.leafOf !== null && out.t.leaves.includes(t.leafOf)) continue;
        // Made before the output, or after the derivative call; an input written in the call's own arguments
        // (`grad(u, x[:, 0])`, `grad(u, -x)`) is made when the call runs, after its output. Not a call there:
        // `x.float()`, `x.to(device)`, `x.contiguous()` return `x` itself when there is nothing to convert.
        const inCall = made.start > d.node.start && made.end <= d.node.end && made.type !== 'call' && t.leafOf === null;
        if (inCall && made.type === 'subscript') continue; // inlineSlices reports these
        // A slice written as the argument of a helper of the file that differentiates (`gradients(u, X[:, 0:1])`
        // with `def gradients(y, x): return grad(y, x, ...)`), after the output was computed in the caller.
        const viaHelper = made.type === 'subscript' && passedToDifferentiatingHelper(ctx, made, d.node);
        if (made.start < outNode.end || (made.start > d.node.start && !inCall && !viaHelper)) continue;
        const inScope = scopeOf(made);
        if (inScope.inLoop || inScope.fn !== outScope.fn) continue;
        const what = t.leafOf !== null ? 'marked as requiring grad' : 'computed';
        if (made.type === 'subscript') {
          const base = ctx.text(field(made, 'value') ?? made);
          const idx = ctx.text(made).slice(base.length);
          ctx.report({
            node: made,
            message:
              `\`${ctx.text(made)}\` is a new tensor, made by indexing \`${base}\` on line ${ctx.lineOf(made)}, after the output ` +
              `\`${ctx.text(outNode).replace(/\s+/g, ' ').slice(0, 40)}\` was computed (line ${ctx.lineOf(outNode)}): the output ` +
              'does not depend on the slice, so `grad` raises "appears to not have been used in the graph" (or returns None with ' +
              `allow_unused). Differentiate against \`${base}\` and index the derivative (\`grad(...)[0]${idx}\`), or compute the ` +
              'output from the slice.',
            related: [
              { node: outNode, message: 'the output is computed here' },
              { node: d.node, message: 'differentiated here' },
            ],
          });
          continue;
        }
        ctx.report({
          node: made,
          message:
            `This tensor is ${what} on line ${ctx.lineOf(made)}, after the output \`${ctx.text(outNode).replace(/\s+/g, ' ').slice(0, 40)}\` ` +
            `was computed (line ${ctx.lineOf(outNode)}), and is then differentiated against (line ${ctx.lineOf(d.node)}): the output cannot ` +
            'depend on it, so `grad` raises "appears to not have been used in the graph" (or returns None with allow_unused). ' +
            'Compute the output from this tensor, or differentiate against the tensors it was computed from.',
          related: [
            { node: outNode, message: 'the output is computed here' },
            { node: d.node, message: 'differentiated here' },
          ],
        });
      }
    }
    leavesMadeAfterOutput(ctx, before);
  },
};

/**
 * `grad(u, x[:, 0])`: a slice written in the call's `inputs` (alone or in a list or tuple) is made when the call runs,
 * after whatever output it is given, so the output never depends on it, wherever and however that output was made.
 * The base is surely a tensor that requires grad, or a value of unknown origin (a parameter of the function) indexed
 * with several indices one of which is a slice (`x[:, 0]`, `x[..., 1:2]`): only an array allows that, and an array's
 * slice is a new tensor too (a list's `params[1:]` holds the same tensors, and is not reported).
 */
function inlineSlices(ctx: RuleContext): void {
  for (const { d, arg, outArg } of gradCalls(ctx)) {
    if (!d.spec.outputs) continue;
    const a = unparen(arg);
    const items = elements(a);
    for (const item of items.map(unparen)) {
      if (item.type !== 'subscript' || !(tensorSlice(ctx, item) || arraySlice(ctx, item))) continue;
      const base = ctx.text(field(item, 'value') ?? item);
      const idx = ctx.text(item).slice(base.length);
      const outText = ctx.text(outArg).replace(/\s+/g, ' ').slice(0, 40);
      ctx.report({
        node: item,
        message:
          `\`${ctx.text(item)}\` is a new tensor, made by indexing \`${base}\` when \`grad\` is called, after its output \`${outText}\` ` +
          'was computed: the output cannot depend on the slice, so `grad` raises "appears to not have been used in the graph" ' +
          `(or returns None with allow_unused). Differentiate against \`${base}\` and index the derivative ` +
          `(\`grad(...)[0]${idx}\`), or compute the output from a slice named before it.`,
        related: [{ node: outArg, message: 'the output' }],
      });
    }
  }
}

/**
 * TensorFlow's graph-mode `tf.gradients(ys, xs)` where a source is a tensor of its own (a placeholder, a loop variable of
 * `tf.while_loop` inside the body) that the target, fully visible, does not depend on: the gradient is None.
 */
function tensorflowSourceNotInGraph(ctx: RuleContext): void {
  for (const d of ctx.analysis.events.derivatives) {
    if (d.spec.framework !== 'tensorflow' || d.tape !== null || !d.spec.outputs || !/(?:^|\.)gradients$/.test(d.api)) continue;
    const o = d.output;
    const ot = o.t;
    if (!ot || ot.opaque || ot.variable || ot.params.length > 0 || isKind(o, Kind.UNKNOWN) || isKind(o, Kind.SEQ)) continue;
    const call = ctx.model.call(d.node);
    if (!call || call.hasStarArgs || call.hasKwargs) continue;
    const srcNode = call.positional[1] ?? call.keywords.get('xs');
    const outNode = call.positional[0] ?? call.keywords.get('ys');
    if (!srcNode || !outNode) continue;
    const srcItems = d.inputs.items && isKind(d.inputs, Kind.SEQ) ? d.inputs.items : [d.inputs];
    const nodes = d.inputs.items && isKind(d.inputs, Kind.SEQ) ? elements(unparen(srcNode)) : [srcNode];
    srcItems.forEach((src, k) => {
      const st = src.t;
      const leaf = st?.leafOf ?? null;
      if (!st || leaf === null || st.opaque || st.variable || isKind(src, Kind.UNKNOWN) || !nodes[k]) return;
      if (ot.leafOf === leaf || ot.leaves.includes(leaf) || ot.mayLeaf.includes(leaf)) return;
      const made = ctx.tree.nodes[leaf];
      // A loop variable: an item of the `loop_vars` list given to `tf.while_loop` (list, arguments, call).
      let up: PyNode | null = made ?? null;
      for (let i = 0; i < 3 && up && up.type !== 'call'; i++) up = up.parent;
      const loopVar = !!up && up.type === 'call' && !!ctx.model.call(up)?.qname?.endsWith('while_loop');
      ctx.report({
        node: d.node,
        message:
          `\`${ctx.text(outNode)}\` does not depend on \`${ctx.text(nodes[k])}\`` +
          (loopVar
            ? `: inside the body of \`tf.while_loop\` each loop variable is a tensor of its own (line ${ctx.lineOf(made)} starts them), ` +
              'connected to another only by what the body computes from it, '
            : ', a tensor of its own that it is not computed from, ') +
          `so \`tf.gradients\` returns None for it. Differentiate with respect to the tensor \`${ctx.text(outNode)}\` is computed from.`,
        related: made ? [{ node: made, message: 'the source is made here' }] : [],
      });
    });
  }
}

/** A tensor that surely requires grad and is not a sequence, dict or unknown value: its items are new view tensors. */
function iterableTensor(ctx: RuleContext, n: PyNode): boolean {
  const v = ctx.analysis.values.get(unparen(n).id);
  if (!v || !v.t || !requiresGrad(v.t) || v.t.opaque) return false;
  return isKind(v, Kind.TENSOR) && !isKind(v, Kind.SEQ) && !isKind(v, Kind.DICT) && !isKind(v, Kind.UNKNOWN) && !isKind(v, Kind.LIBINST);
}

/**
 * The tensor a `for` binding iterates when it is bound to its items: `for row in W` (path []), `for a, row in zip(A, W)`
 * (the component at the binding's path), `for i, row in enumerate(W)`. Null otherwise.
 */
function iteratedTensor(ctx: RuleContext, b: Binding): PyNode | null {
  const it = b.value ? unparen(b.value) : null;
  if (!it || b.kind !== 'for') return null;
  if (b.path.length === 0) return iterableTensor(ctx, it) ? it : null;
  if (b.path.length !== 1 || it.type !== 'call') return null;
  const c = ctx.model.call(it);
  if (!c || c.hasStarArgs || c.hasKwargs) return null;
  const src = c.qname === 'zip' ? c.positional[b.path[0]] : c.qname === 'enumerate' && b.path[0] === 1 ? c.positional[0] : undefined;
  return src && iterableTensor(ctx, src) ? src : null;
}

/**
 * Each `torch.autograd.grad` derivative call once (over every calling context), with its `inputs` and `outputs`
 * arguments, when both are written.
 */
function* gradCalls(ctx: RuleContext): Generator<{ d: DerivativeEvent; arg: PyNode; outArg: PyNode }> {
  const m = ctx.model;
  const done = new Set<number>();
  for (const d of ctx.analysis.events.derivatives) {
    if (d.spec.framework !== 'pytorch' || d.api !== 'torch.autograd.grad' || done.has(d.node.id)) continue;
    done.add(d.node.id);
    const call = m.call(d.node);
    if (!call) continue;
    const arg = m.argument(call, 'inputs', 'torch.autograd.grad');
    const outArg = m.argument(call, 'outputs', 'torch.autograd.grad');
    if (arg.kind === 'found' && outArg.kind === 'found') yield { d, arg: arg.node, outArg: outArg.node };
  }
}

/**
 * `for loss, w in zip(losses, W): grad(loss, w)`: iterating a tensor makes a new view tensor for each item, when the loop
 * runs. An output computed before the loop (or an item of another tensor computed before it) cannot depend on that view,
 * only on `W`, so `grad` raises "appears to not have been used in the graph" (None with allow_unused).
 */
function iteratedViews(ctx: RuleContext): void {
  const m = ctx.model;
  for (const { d, arg, outArg } of gradCalls(ctx)) {
    const outs = elements(unparen(outArg)).map(unparen);
    for (const item of elements(unparen(arg)).map(unparen)) {
      if (item.type !== 'identifier' || !m.isUse(item)) continue;
      const reach = m.reachingBindings(item);
      if (reach.length === 0 || !reach.every((b) => b.kind === 'for' && b.stmt === reach[0].stmt)) continue;
      const loop = reach[0].stmt;
      if (!(loop.start <= d.node.start && d.node.end <= loop.end)) continue;
      const iterated = iteratedTensor(ctx, reach[0]);
      if (!iterated || !reach.every((b) => iteratedTensor(ctx, b) !== null)) continue;
      // Every output is bound before the loop, or is an item of another tensor the same loop iterates: it was computed
      // before the view existed.
      const before = (o: PyNode): boolean => {
        let e = o;
        for (let guard = 0; guard < 4 && (e.type === 'call' || e.type === 'subscript'); guard++) {
          if (e.type === 'subscript') {
            e = unparen(field(e, 'value') ?? e);
            continue;
          }
          const c = m.call(e);
          if (!c || !c.method || !REDUCING.has(c.method) || !c.receiver || c.qname) return false;
          e = unparen(c.receiver);
        }
        if (e.type !== 'identifier' || !m.isUse(e)) return false;
        const ob = m.reachingBindings(e);
        return ob.length > 0 && ob.every((b) =>
          b.stmt === loop ? b.name !== ctx.text(item) && iteratedTensor(ctx, b) !== null : b.stmt.end <= loop.start && b.kind !== 'param');
      };
      if (outs.length === 0 || !outs.every(before)) continue;
      const base = ctx.text(iterated);
      ctx.report({
        node: item,
        message:
          `\`${ctx.text(item)}\` is an item of the tensor \`${base}\`, a new view made when the loop on line ${ctx.lineOf(loop)} takes it, after ` +
          `the output \`${ctx.text(outArg).replace(/\s+/g, ' ').slice(0, 40)}\` was computed (before the loop, from \`${base}\` at most): it does ` +
          'not depend on the view, so `grad` raises "appears to not have been used in the graph" (or returns None with allow_unused). ' +
          `Differentiate against \`${base}\` and take the item of the derivative (\`grad(...)[0][i]\`).`,
        related: [{ node: iterated, message: 'iterated here: each item is a new tensor' }],
      });
    }
  }
}

/** Methods and functions that split a tensor into new tensors (`x, t = X.split(1, dim=1)`). */
const SPLITTING = new Set(['split', 'chunk', 'unbind', 'tensor_split']);

/**
 * The slice a binding holds: `x = X[:, 0:1]`, or item k of `x, t = X[:, 0:1], X[:, 1:2]` or of
 * `x, t = X.split(1, dim=1)` (also `torch.split`, `chunk`, `unbind`): a new tensor made from `X` by indexing or
 * splitting, when `X` is surely an array. Returns the indexing (or splitting) node and the base, else null.
 */
function sliceOfBinding(ctx: RuleContext, value: PyNode, path: readonly number[]): { made: PyNode; base: PyNode } | null {
  const v = unparen(value);
  if (path.length === 0) {
    if (v.type !== 'subscript' || !(tensorSlice(ctx, v) || arraySlice(ctx, v))) return null;
    const base = field(v, 'value');
    return base ? { made: v, base } : null;
  }
  if (path.length !== 1) return null;
  if (v.type === 'tuple' || v.type === 'expression_list' || v.type === 'list') {
    const item = namedChildren(v)[path[0]];
    return item ? sliceOfBinding(ctx, item, []) : null;
  }
  if (v.type !== 'call') return null;
  const c = ctx.model.call(v);
  if (!c) return null;
  let base: PyNode | null | undefined = null;
  if (c.method && SPLITTING.has(c.method) && c.receiver && !c.qname) base = c.receiver;
  else if (c.qname && /^torch\.(?:split|chunk|unbind|tensor_split)$/.test(c.qname)) base = c.positional[0];
  if (!base) return null;
  const bv = ctx.analysis.values.get(unparen(base).id);
  // A tensor, surely: `line.split(',')` of a string is a list of strings.
  if (!bv || !isKind(bv, Kind.TENSOR) || isKind(bv, Kind.UNKNOWN) || isKind(bv, Kind.SEQ) || !bv.t) return null;
  return { made: v, base };
}

/**
 * `def physics_loss(self, x, y_pred): t = x[:, 1:2]; grad(y_pred, t)`: the output is a parameter of the function, so it
 * was computed before the function was entered, and a slice the function makes is a new tensor it cannot depend on.
 * Reported when the output (or `output.sum()`) is a parameter that nothing rebinds before the derivative and the input
 * a slice bound in the function's body. Returns whether the derivative was settled here.
 */
function paramOutput(ctx: RuleContext, dNode: PyNode, outExpr: PyNode, inputs: PyNode): boolean {
  const m = ctx.model;
  let o = outExpr;
  if (o.type === 'call') {
    const c = m.call(o);
    if (!c || !c.method || !REDUCING.has(c.method) || !c.receiver || c.qname) return false;
    o = unparen(c.receiver);
  }
  if (o.type !== 'identifier' || !m.isUse(o)) return false;
  const oreach = m.reachingBindings(o);
  if (oreach.length !== 1 || oreach[0].kind !== 'param' || !oreach[0].param || oreach[0].param.star !== 'none') return false;
  const fn = oreach[0].param.fn.node;
  if (scopeOf(dNode).fn !== fn) return false;
  let reported = false;
  for (const item of elements(inputs)) {
    if (item.type !== 'identifier' || !m.isUse(item)) continue;
    const reach = m.reachingBindings(item);
    if (reach.length !== 1) continue;
    const b = reach[0];
    if (markedParam(ctx, item, b, fn, dNode, o)) {
      reported = true;
      continue;
    }
    if (b.kind !== 'assign' || !b.value || scopeOf(b.stmt).fn !== fn) continue;
    const slice = sliceOfBinding(ctx, b.value, b.path);
    if (!slice) continue;
    const baseText = ctx.text(slice.base);
    ctx.report({
      node: item,
      message:
        `\`${ctx.text(item)}\` is a new tensor, made from \`${baseText}\` on line ${ctx.lineOf(slice.made)} inside this function, but ` +
        `\`${ctx.text(o)}\` is a parameter: it was computed by the caller before the function ran, from \`${baseText}\` perhaps, never from ` +
        'this slice, so `grad` raises "One of the differentiated Tensors appears to not have been used in the graph" (or returns None ' +
        `with allow_unused). Differentiate against the tensor the caller computed \`${ctx.text(o)}\` from and take the column of the ` +
        'result, or compute the output here from the slices.',
      related: [{ node: slice.made, message: 'the slice is made here' }],
    });
    reported = true;
  }
  return reported;
}

/**
 * `def normals(self, sdf, x): x.requires_grad_(True); grad(sdf, x)`: the input is another parameter of the function, marked
 * `requires_grad` in its body before the derivative. The output came from the caller, computed before the marking: if `x`
 * did not require grad then, the output is not in its graph (the marking is too late); if it did, the marking does nothing.
 * Reported when the input's only reaching binding is the parameter and its value is the leaf of a marking in this function.
 */
function markedParam(ctx: RuleContext, item: PyNode, b: ReturnType<RuleContext['model']['reachingBindings']>[number], fn: PyNode, dNode: PyNode, out: PyNode): boolean {
  if (b.kind !== 'param' || !b.param || b.param.star !== 'none' || b.param.fn.node !== fn) return false;
  const site = ctx.analysis.valueOf(item)?.t?.leafOf ?? null;
  const mark = site === null ? undefined : ctx.tree.nodes[site];
  if (!mark || scopeOf(mark).fn !== fn || mark.start >= dNode.start) return false;
  // In a calling context the file shows where the tensor already requires grad (the caller marked it before computing
  // the output), the marking only repeats it.
  let before: PyNode | null = null;
  walk(mark, (n) => {
    if (before || n.type !== 'identifier' || ctx.text(n) !== ctx.text(item) || !ctx.model.isUse(n)) return;
    before = n;
  });
  const t0 = before ? (ctx.analysis.valueOf(before)?.t ?? null) : null;
  // The parameter's own unknown value may be a leaf (`mayLeaf` holds the parameter); anything else already requires grad.
  if (!before || (t0 && (t0.leafOf !== null || t0.leaves.length > 0 || t0.params.length > 0 || t0.mayLeaf.some((l) => l !== b.target.id)))) return false;
  ctx.report({
    node: mark,
    message:
      `\`${ctx.text(item)}\` is marked \`requires_grad\` here, inside the function, and differentiated against on line ${ctx.lineOf(item)}, but \`${ctx.text(out)}\` is a parameter: ` +
      'the caller computed it before the function ran. If the tensor did not require grad then, the output is not in its graph and ' +
      '`grad` raises "One of the differentiated Tensors appears to not have been used in the graph" (or returns None with ' +
      'allow_unused); if it did, the marking does nothing. Mark the input before the output is computed (in the caller, before ' +
      'the model runs), or compute the output here, after the marking.',
    related: [{ node: item, message: 'differentiated against here' }],
  });
  return true;
}

/**
 * `x = X[:, 0:1]` (or `x, t = X.split(1, 1)`) taken before the output, then `u = net(X)` computed from the whole
 * tensor and `grad(u, x)`: indexing makes a new tensor, and nothing reads `x` before the output is computed, so the
 * output cannot depend on it (the PINN form of "appears to not have been used in the graph"). Needs the slice bound to
 * a plain name with no read between its binding and the end of the statement that computes the output, all in one
 * function, with the derivative after both.
 */
function unusedSlices(ctx: RuleContext): void {
  const m = ctx.model;
  for (const { d, arg, outArg } of gradCalls(ctx)) {
    if (paramOutput(ctx, d.node, unparen(outArg), arg)) continue;
    const out = d.output;
    if (out.site < 0 || !out.t || out.t.opaque || (out.t.params.length === 0 && out.t.leaves.length === 0)) continue;
    let outNode = ctx.tree.nodes[out.site];
    if (!outNode || !MADE_BY.has(outNode.type)) continue;
    // `u.sum()`, `u.squeeze()` made in the call: the output is the value reduced.
    for (let guard = 0; guard < 8 && outNode.type === 'call'; guard++) {
      const fn = field(outNode, 'function');
      const recv = fn?.type === 'attribute' ? field(fn, 'object') : null;
      if (!recv || !REDUCING.has(ctx.text(field(fn!, 'attribute') ?? fn!))) break;
      const rv = ctx.analysis.values.get(unparen(recv).id);
      const next = rv && rv.site >= 0 ? ctx.tree.nodes[rv.site] : undefined;
      if (!next || !MADE_BY.has(next.type) || next.start >= outNode.start) break;
      outNode = next;
    }
    if (outNode.start >= d.node.start && outNode.end <= d.node.end) continue;
    const outStmt = m.statementOf(outNode);
    const fnScope = scopeOf(d.node).fn;
    if (scopeOf(outNode).fn !== fnScope || outStmt.end > d.node.start) continue;
    for (const item of elements(arg)) {
      if (item.type !== 'identifier' || !m.isUse(item)) continue;
      const reach = m.reachingBindings(item);
      if (reach.length !== 1) continue;
      const b = reach[0];
      if (b.kind !== 'assign' || !b.value || scopeOf(b.stmt).fn !== fnScope) continue;
      // Bound before the output's statement starts, and read nowhere before that statement ends.
      if (b.stmt.end > outStmt.start) continue;
      const slice = sliceOfBinding(ctx, b.value, b.path);
      if (!slice) continue;
      const inp = ctx.analysis.values.get(item.id);
      if (inp?.t && (inp.t.params.length > 0 || inp.t.variable)) continue;
      if (m.usesOf(b).some((u) => u.start < outStmt.end)) continue;
      const baseText = ctx.text(slice.base);
      const name = ctx.text(item);
      ctx.report({
        node: item,
        message:
          `\`${name}\` is a new tensor, made from \`${baseText}\` on line ${ctx.lineOf(slice.made)}, and the output ` +
          `\`${ctx.text(outNode).replace(/\s+/g, ' ').slice(0, 40)}\` (line ${ctx.lineOf(outNode)}) is computed without reading it: the output ` +
          `depends on \`${baseText}\`, not on the slice, so \`grad\` raises "One of the differentiated Tensors appears to not have been ` +
          `used in the graph" (or returns None with allow_unused). Compute the output from the slices (\`torch.cat([${name}, ...], dim=1)\`), ` +
          `or differentiate against \`${baseText}\` and take the column of the result.`,
        related: [
          { node: slice.made, message: 'the slice is made here' },
          { node: outNode, message: 'the output is computed here, without it' },
        ],
      });
    }
  }
}

/** A `requires_grad` marking whose receiver the analysis may not tie to one variable (a loop variable, an attribute, an item). */
function unclearMarking(ctx: RuleContext): boolean {
  const m = ctx.model;
  // The answer reads every mark in the file: a re-lint by groups must see them all (docs/lint-engine.md).
  m.probeWord('requires_grad_');
  m.probeWord('requires_grad');
  const plain = (r: PyNode | null | undefined): boolean => {
    const u = r ? unparen(r) : null;
    if (!u || u.type !== 'identifier' || !m.isUse(u)) return false;
    const reach = m.reachingBindings(u);
    return reach.length > 0 && reach.every((b) => b.kind === 'assign' && b.path.length === 0 && !!b.value && b.loop === null);
  };
  for (const c of m.calls) {
    if (c.method === 'requires_grad_' && !plain(c.receiver)) return true;
    // `setattr(x, "requires_grad", True)`, `map(lambda t: t.requires_grad_(), ...)`: anything else that names it.
    if (!c.method && c.positional.some((a) => /\brequires_grad_?\b/.test(ctx.text(a)))) return true;
  }
  for (const n of nodesOfTypes(ctx.tree, 'assignment', 'augmented_assignment')) {
    const left = field(n, 'left');
    const l = left ? unparen(left) : null;
    if (l && l.type === 'attribute' && ctx.text(field(l, 'attribute') ?? l) === 'requires_grad' && !plain(field(l, 'object'))) return true;
  }
  return false;
}

/** Reads of a variable that may give the tensor to code that marks it: an argument of a function of the file, an item of a container. */
function handedOver(ctx: RuleContext, uses: readonly PyNode[]): boolean {
  const m = ctx.model;
  for (const u of uses) {
    const p = u.parent;
    if (!p) continue;
    if (p.type === 'list' || p.type === 'tuple' || p.type === 'set' || p.type === 'dictionary' || p.type === 'pair' || p.type === 'expression_list') {
      // `torch.cat([x, t], dim=1)`: a list written as the argument of a torch function is read there, not kept.
      const call = p.parent?.type === 'argument_list' ? p.parent.parent : null;
      const q = call && call.type === 'call' ? m.call(call)?.qname : null;
      if (q && /^torch\.(?:cat|concat|concatenate|stack|hstack|vstack|column_stack)$/.test(q) && (p.type === 'list' || p.type === 'tuple')) continue;
      return true;
    }
    if (p.type === 'for_statement' || p.type === 'for_in_clause') return true;
    if (p.type === 'argument_list' || p.type === 'keyword_argument') {
      const callNode = p.type === 'argument_list' ? p.parent : p.parent?.parent;
      const c = callNode && callNode.type === 'call' ? m.call(callNode) : undefined;
      if (!c || c.local) return true;
    }
    if (p.type === 'assignment' && field(p, 'right') === u) return true; // an alias: `y = x`
  }
  return false;
}

/**
 * `grad(y, x)` of an `x` that surely never requires grad: the output requires grad through the network's weights, but
 * `x` is data, not a leaf of the graph, so `grad` raises "One of the differentiated Tensors does not require grad" (also
 * with `allow_unused=True`). Typical: a PINN's collocation points made by `torch.linspace(...)` and never marked, a
 * gradient penalty's interpolates, an attack's or a saliency map's input. One question with two kinds of evidence that
 * the input was never marked (`unmarkedBindings`, `unmarkedHere`); either one is enough, and each brings the guards that
 * make it sure.
 */
function unmarkedInputs(ctx: RuleContext): void {
  const m = ctx.model;
  // Whether the file marks something the analysis cannot tie to one variable (computed once, when first needed).
  let unclear: boolean | null = null;
  const reported = new Set<number>();
  for (const d of ctx.analysis.events.derivatives) {
    if (d.spec.framework !== 'pytorch' || d.api !== 'torch.autograd.grad') continue;
    const out = d.output.t;
    if (!out) continue;
    const call = m.call(d.node);
    if (!call) continue;
    const arg = m.argument(call, 'inputs', 'torch.autograd.grad');
    if (arg.kind !== 'found') continue;
    // The first evidence needs an output that surely depends on weights, recorded, in a call written out.
    const weighted = !call.hasKwargs && !call.hasStarArgs && !out.opaque && out.params.length > 0 && out.recOff === null && out.hist.length > 0;
    // The second, a derivative taken with recording on (whatever the output: a score of unknown origin too).
    const recording = d.recording.mode === 'on';
    if (!weighted && !recording) continue;
    const fnNode = scopeOf(d.node).fn;
    for (const item of elements(arg.node).map(unparen)) {
      if (item.type !== 'identifier' || reported.has(item.id)) continue;
      const v = ctx.analysis.values.get(item.id);
      const t = v?.t;
      // What both kinds of evidence ask of the input's value: a tensor the analysis sees, made with recording on, not
      // a variable, a derivative or an inference tensor (each of which has its own rule or may require grad).
      if (!v || !t || t.opaque || t.variable || t.recOff !== null || t.inference || t.gradOf !== null || requiresGrad(t)) continue;
      let made: PyNode | null = null;
      if (weighted && unclear !== true) {
        made = unmarkedBindings(ctx, item, v);
        if (made) {
          unclear ??= unclearMarking(ctx);
          if (unclear) made = null;
        }
      }
      if (!made && recording) made = unmarkedHere(ctx, item, v, fnNode);
      if (!made) continue;
      reported.add(item.id);
      const name = ctx.text(item);
      ctx.report({
        node: item,
        message:
          `\`${name}\` never requires grad: it is made on line ${ctx.lineOf(made)} (\`${ctx.text(made).replace(/\s+/g, ' ').slice(0, 50)}\`) ` +
          'and never marked, so it is data, not a leaf of the graph, and `grad` raises "One of the differentiated Tensors does ' +
          'not require grad" (also with `allow_unused=True`). Mark it before the output is computed from it ' +
          `(\`${name}.requires_grad_(True)\`, or \`requires_grad=True\` where it is made).`,
        related: [{ node: made, message: 'made here, without requires_grad' }],
      });
    }
  }
}

/**
 * First evidence: every binding of the input that reaches the derivative is a plain assignment of a call of the code
 * (a factory, a conversion: `x = torch.linspace(0, 1, 100).view(-1, 1)`) with no `requires_grad` in it, the analysis
 * knows the value as a plain tensor with no leaf, graph or cut, nothing marks the variable, and it is never handed to a
 * helper of the file or put in a container. Returns the last binding's value (where it is made), or null.
 */
function unmarkedBindings(ctx: RuleContext, item: PyNode, v: AV): PyNode | null {
  const m = ctx.model;
  const t = v.t!;
  if (!m.isUse(item) || v.kind !== Kind.TENSOR || v.items) return null;
  if (t.leafOf !== null || t.leaves.length > 0 || t.mayLeaf.length > 0 || t.params.length > 0) return null;
  if (t.dGraph.length > 0 || t.dNoGraph.length > 0 || t.order > 0 || t.cuts.length > 0) return null;
  const reach = m.reachingBindings(item);
  if (reach.length === 0 || reach.some((b) => b.kind !== 'assign' || !b.value || b.path.length > 0)) return null;
  // Made by a call of the code (a factory, a conversion), and then passed to the model: visibly data.
  if (reach.some((b) => unparen(b.value!).type !== 'call' || /requires_grad/.test(ctx.text(b.value!)))) return null;
  // Any marking of the variable itself, whatever the analysis made of it (`x.requires_grad_(flag)`).
  if (reach.some((b) => m.usesOf(b).some((u) => u.parent?.type === 'attribute' && /^requires_grad_?$/.test(ctx.text(field(u.parent, 'attribute') ?? u.parent))))) return null;
  if (reach.some((b) => handedOver(ctx, m.usesOf(b)))) return null;
  return reach[reach.length - 1].value!;
}

/**
 * Second evidence: the input is made in the function that differentiates, by a factory, from data or from detached
 * values (`alpha * real.detach() + (1 - alpha) * fake.detach()`), in every calling context of the function, not by an
 * in-place method, and the function marks nothing by name (`marksByName`). Returns where it is made, or null.
 */
function unmarkedHere(ctx: RuleContext, item: PyNode, v: AV, fnNode: PyNode | null, except: PyNode | null = null): PyNode | null {
  if (!onlyKind(v, Kind.TENSOR) || v.site < 0) return null;
  const made = ctx.tree.nodes[v.site];
  if (!made || !MADE_BY.has(made.type) || scopeOf(made).fn !== fnNode) return null;
  // An in-place update keeps what the tensor was (`x.add_()`), and a value some line marks by name is left alone
  // (the analysis may not have followed the mark: an alias, a helper, a flag).
  if (made.type === 'call' && /_$/.test(ctx.model.call(made)?.method ?? '')) return null;
  if (marksByName(ctx, fnNode, ctx.text(item), except)) return null;
  return made;
}

/**
 * The function (or the module, at module level) marks some tensor, or may mark `name` where the analysis does not
 * follow it: any `requires_grad_(...)`, `requires_grad = ...`, `requires_grad=True` or `setattr(..., 'requires_grad',
 * ...)` in its text (a mark through an alias, `inp = x; inp.requires_grad_()`, or a loop over tensors, `for t in (a,
 * b): t.requires_grad_()`, marks the same tensor under another name); or `name` passed to a call whose result is
 * discarded (`mark(x)`, a helper that may mark it in place).
 */
function marksByName(ctx: RuleContext, fn: PyNode | null, name: string, except: PyNode | null = null): boolean {
  const scope = fn ?? ctx.tree.root;
  if (!fn) {
    // At module level the answer reads the whole file (see `unclearMarking`).
    for (const w of ['requires_grad_', 'requires_grad', 'setattr', name]) ctx.model.probeWord(w);
  }
  let text = ctx.text(scope);
  // The derivative call itself, written on a line of its own, is no helper that marks.
  if (except) text = text.slice(0, except.start - scope.start) + ' '.repeat(except.end - except.start) + text.slice(except.end - scope.start);
  if (/requires_grad_\s*\(|requires_grad\s*=\s*(?!False\b)|setattr\s*\([^)]*requires_grad/.test(text)) return true;
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^[ \\t]*[\\w.]+\\s*\\([^\\n]*\\b${esc}\\b[^\\n]*\\)\\s*$`, 'm').test(text);
}

/**
 * `x[:, 0]` of a value the analysis cannot see (not a list, tuple, dict or module): several indices, one a slice; or
 * any index (`x[k]`) of a name whose same binding the function reads as an array (`x.shape`, `x.ndim`, `x.size()`,
 * `x.dim()`): a list, tuple or dict of tensors has none of these, so its element is not what is indexed here.
 */
function arraySlice(ctx: RuleContext, n: PyNode): boolean {
  const base = field(n, 'value');
  const v = base ? ctx.analysis.values.get(unparen(base).id) : undefined;
  if (!v || isKind(v, Kind.SEQ) || isKind(v, Kind.DICT) || isKind(v, Kind.LIBINST) || isKind(v, Kind.LIB)) return false;
  if (v.t ? !v.t.opaque : !isKind(v, Kind.UNKNOWN)) return false;
  const subs = n.children.filter((c) => c.field === 'subscript');
  if (subs.length >= 2 && subs.some((c) => c.type === 'slice' || c.type === 'ellipsis')) return true;
  return subs.length >= 1 && !!base && readAsArray(ctx, unparen(base));
}

const ARRAY_ATTRIBUTES = new Set(['shape', 'ndim']);
const ARRAY_METHODS = new Set(['size', 'dim']);

/** `x` (a plain name) is read as an array elsewhere through the same bindings: `x.shape`, `x.ndim`, `x.size()`, `x.dim()`. */
function readAsArray(ctx: RuleContext, base: PyNode): boolean {
  const m = ctx.model;
  if (base.type !== 'identifier' || !m.isUse(base)) return false;
  const reach = m.reachingBindings(base);
  if (reach.length === 0) return false;
  for (const use of m.usesOf(reach[0])) {
    const attr = use.parent;
    if (!attr || attr.type !== 'attribute' || field(attr, 'object') !== use) continue;
    const a = field(attr, 'attribute');
    const an = a ? m.textOf(a) : '';
    const called = attr.parent?.type === 'call' && field(attr.parent, 'function') === attr;
    if (!(ARRAY_ATTRIBUTES.has(an) && !called) && !(ARRAY_METHODS.has(an) && called)) continue;
    const r = m.reachingBindings(use);
    if (r.length === reach.length && r.every((b, i) => b === reach[i])) return true;
  }
  return false;
}

/** `made` is an argument of a call of a function of the file whose body holds the derivative call `dNode`. */
function passedToDifferentiatingHelper(ctx: RuleContext, made: PyNode, dNode: PyNode): boolean {
  const args = made.parent;
  const callNode = args?.type === 'argument_list' ? args.parent : args?.type === 'keyword_argument' ? args.parent?.parent : null;
  if (!callNode || callNode.type !== 'call') return false;
  const fn = ctx.model.call(callNode)?.local?.node;
  if (!fn) return false;
  return scopeOf(dNode).fn === fn;
}

/**
 * `x[:, 0]`, `x[i]` of a tensor that requires grad: indexing makes a new tensor (a view with its own place in the
 * graph), so a slice taken after the output was computed is not on the output's path even though `x` is. Only a
 * subscript of what is surely a tensor (not of a list, tuple or dict of tensors, whose element is the tensor itself).
 */
function tensorSlice(ctx: RuleContext, n: PyNode): boolean {
  if (n.type !== 'subscript') return false;
  const base = field(n, 'value');
  const v = base ? ctx.analysis.values.get(unparen(base).id) : undefined;
  if (!v || !requiresGrad(v.t) || v.t!.opaque) return false;
  return isKind(v, Kind.TENSOR) && !isKind(v, Kind.SEQ) && !isKind(v, Kind.DICT) && !isKind(v, Kind.UNKNOWN) && !isKind(v, Kind.LIBINST);
}

/**
 * `grad(loss, copies)` where every input is a parameter of a `copy.deepcopy` (of a model, of its parameters)
 * and the output, computed from a model's parameters, uses none of the copy's: a deep copy makes new leaves
 * (a `Parameter` copies into a new `Parameter`), and rebinding a loop variable to a copy (`model_param =
 * meta_param`) or loading it later does not put it into the model the loss ran. `grad` raises "One of the
 * differentiated Tensors appears to not have been used in the graph".
 */
function copiedParameters(ctx: RuleContext): void {
  const reported = new Set<number>();
  for (const d of ctx.analysis.events.derivatives) {
    if (d.spec.framework !== 'pytorch' || !d.spec.outputs || reported.has(d.node.id)) continue;
    const out = d.output.t;
    if (!out || out.params.length === 0) continue;
    const isCopy = (n: PyNode | undefined): boolean => !!n && n.type === 'call' && ctx.model.call(n)?.qname === 'copy.deepcopy';
    // The output ran a copy: one of its parameter sites is a copy (a copied module of this file), or a call of a
    // value a copy made (a copied model of unknown class).
    // A value a copy made: a copied module, or a model of unknown class that `copy.deepcopy` returned.
    const madeByCopy = (e: PyNode | null | undefined): boolean => {
      const v = e ? ctx.analysis.values.get(unparen(e).id) : undefined;
      return !!v && isCopy(ctx.tree.nodes[v.site]);
    };
    const ranCopy = out.params.some((p) => {
      const n = ctx.tree.nodes[p];
      if (isCopy(n)) return true;
      const c = n?.type === 'call' ? ctx.model.call(n) : undefined;
      if (!c) return false;
      // The call of a copy or of its method, or a copy given to a call that runs it (`sdeint_adjoint(sde_copy, y0, ts)`).
      const fn = field(c.node, 'function');
      return madeByCopy(fn) || madeByCopy(fn?.type === 'attribute' ? field(fn, 'object') : null) || [...c.positional, ...c.keywords.values()].some(madeByCopy);
    });
    if (ranCopy) continue;
    const ins = inputsOf(d.inputs);
    if (ins.length === 0 && d.inputs.elem?.t) ins.push(d.inputs.elem);
    if (ins.length === 0) continue;
    let copy: PyNode | null = null;
    const all = ins.every((inp) => {
      const t = inp.t!;
      if (t.params.length === 0 || t.leaves.length > 0 || t.params.some((p) => out.params.includes(p))) return false;
      const c = t.params.map((p) => ctx.tree.nodes[p]).find(isCopy);
      if (!c) return false;
      copy ??= c;
      return true;
    });
    if (!all || !copy) continue;
    reported.add(d.node.id);
    const c: PyNode = copy;
    ctx.report({
      node: d.node,
      message:
        `The tensors differentiated against are parameters of the deep copy made on line ${ctx.lineOf(c)} (\`${ctx.text(c).replace(/\s+/g, ' ').slice(0, 50)}\`), ` +
        'but the output was computed with the original parameters: a deep copy makes new leaves, and assigning or rebinding ' +
        'names does not put them into the model that ran. `grad` raises "One of the differentiated Tensors appears to not have ' +
        'been used in the graph". Run the copy (`functional_call(model, dict(zip(names, copies)), x)` or a copied module) or ' +
        'differentiate against the parameters the output was computed with.',
      related: [{ node: c, message: 'the copy is made here' }],
    });
  }
}

const DEEPXDE_DERIVATIVES = new Set(['deepxde.grad.jacobian', 'deepxde.grad.hessian', 'deepxde.gradients.jacobian', 'deepxde.gradients.hessian']);

/**
 * `dde.grad.jacobian(ys, xs)` / `dde.grad.hessian(ys, xs)`: with the PyTorch backend DeepXDE takes
 * `torch.autograd.grad(ys, xs)`, so an `xs` that surely never requires grad (a PyTorch tensor made in the function
 * from data or by a factory, in every calling context, never marked) raises "One of the differentiated Tensors does
 * not require grad", as the same call through `torch.autograd.grad` does. Only PyTorch tensors made in view count (a
 * `torch.` call makes them): under the TensorFlow backend the inputs are TensorFlow tensors.
 */
/** Whether a PyTorch function makes the value (`torch.from_numpy(x)`, `th.tensor(d)`, under any import name), at the top or inside. */
function madeByTorch(m: RuleContext['model'], made: PyNode): boolean {
  let found = false;
  walk(made, (n) => {
    if (found) return false;
    if (n.type === 'call' && (m.call(n)?.qname ?? '').startsWith('torch.')) found = true;
    return undefined;
  });
  return found;
}

function deepxdeUnmarkedInputs(ctx: RuleContext): void {
  const m = ctx.model;
  for (const call of m.calls) {
    if (!DEEPXDE_DERIVATIVES.has(call.qname ?? '') || call.hasStarArgs || call.hasKwargs) continue;
    const xs = call.keywords.get('xs') ?? call.positional[1];
    const item = xs ? unparen(xs) : null;
    if (!item || item.type !== 'identifier' || !m.isUse(item)) continue;
    const v = ctx.analysis.values.get(item.id);
    const t = v?.t;
    if (!v || !t || t.opaque || t.variable || t.recOff !== null || t.inference || t.gradOf !== null || requiresGrad(t)) continue;
    if (t.leafOf !== null || t.leaves.length > 0 || t.mayLeaf.length > 0 || t.params.length > 0 || t.dGraph.length > 0 || t.order > 0) continue;
    const made = unmarkedHere(ctx, item, v, scopeOf(call.node).fn, call.node);
    if (!made || !madeByTorch(m, made)) continue;
    if (handedOver(ctx, m.reachingBindings(item).flatMap((b) => [...m.usesOf(b)]))) continue;
    const name = ctx.text(item);
    ctx.report({
      node: item,
      message:
        `\`${name}\` never requires grad: it is made on line ${ctx.lineOf(made)} (\`${ctx.text(made).replace(/\s+/g, ' ').slice(0, 50)}\`) ` +
        'and never marked, so it is data, not a leaf of any graph; with the PyTorch backend DeepXDE differentiates by ' +
        '`torch.autograd.grad`, which raises "One of the differentiated Tensors does not require grad". Differentiate the ' +
        `network's output at an input marked before the network runs (\`${name}.requires_grad_(True)\`), or inside the ` +
        'PDE function DeepXDE calls, whose inputs it marks.',
      related: [{ node: made, message: 'made here, without requires_grad' }],
    });
  }
}

/**
 * Steps that copy a tensor (`x.clone()`, `x.detach()`, `x.numpy()`, `x.data`, `torch.clone(x)`, `torch.tensor(x)`,
 * `torch.from_numpy(a)`, `copy.deepcopy(x)`), and steps a copy may pass through that do not copy by themselves
 * (`.to(device)`, `.float()`, `Variable(...)`: they return the tensor itself when there is nothing to convert).
 */
const COPY_METHODS = new Set(['clone', 'detach', 'numpy']);
const THROUGH_METHODS = new Set(['to', 'cpu', 'cuda', 'float', 'double', 'half', 'contiguous', 'type']);
const COPY_FUNCTIONS = new Set(['torch.clone', 'torch.tensor', 'torch.from_numpy', 'copy.deepcopy', 'copy.copy']);
const THROUGH_FUNCTIONS = new Set(['torch.autograd.Variable', 'torch.autograd.variable.Variable']);

/** The identifier copied by `value` (`image` of `image.clone().detach()`), or null when `value` is not a copy of a name. */
function copiedName(ctx: RuleContext, value: PyNode): PyNode | null {
  let u = unparen(value);
  let copies = 0;
  for (let guard = 0; guard < 6; guard++) {
    if (u.type === 'identifier') return copies > 0 ? u : null;
    if (u.type === 'attribute' && ctx.text(field(u, 'attribute') ?? u) === 'data') {
      const o = field(u, 'object');
      if (!o) return null;
      u = unparen(o);
      copies++;
      continue;
    }
    if (u.type !== 'call') return null;
    const c = ctx.model.call(u);
    if (!c) return null;
    if (c.method && COPY_METHODS.has(c.method) && c.receiver && c.positional.length === 0) {
      u = unparen(c.receiver);
      copies++;
      continue;
    }
    if (c.method && THROUGH_METHODS.has(c.method) && c.receiver) {
      u = unparen(c.receiver);
      continue;
    }
    const q = c.qname ?? '';
    if ((COPY_FUNCTIONS.has(q) || THROUGH_FUNCTIONS.has(q)) && c.positional.length === 1) {
      u = unparen(c.positional[0]);
      if (COPY_FUNCTIONS.has(q)) copies++;
      continue;
    }
    return null;
  }
  return null;
}

/** Identifier uses inside `n` (not the names of attributes or keywords). */
function usesIn(ctx: RuleContext, n: PyNode, out: PyNode[] = []): PyNode[] {
  if (n.type === 'identifier') {
    if (ctx.model.isUse(n)) out.push(n);
    return out;
  }
  if (FUNCTIONS.has(n.type)) return out;
  for (const c of namedChildren(n)) usesIn(ctx, c, out);
  return out;
}

/**
 * A copy of a tensor made before the tensor is marked `requires_grad` (`adv = image.clone()`, then
 * `image.requires_grad = True`): the copy is no leaf and does not depend on the marked tensor, so a loss computed
 * from it (`loss = F.cross_entropy(model(adv), y)`) does not reach the marked tensor, and `image.grad` read after
 * `loss.backward()` is None, or the gradient an earlier backward left there (an iterative attack whose later steps
 * run the model on the perturbed copy). Reported at the copy when, in one function and outside loops, the copy and
 * the marking are made in that order, a backward's loss is computed (on some path: a loop that rebinds it) from the
 * copy by a value the analysis knows to depend on no leaf of the marked tensor and to hold a graph (a model call or
 * parameters), and the marked tensor's `.grad` is read after that backward.
 */
function copiesMadeBeforeMarking(ctx: RuleContext): void {
  const m = ctx.model;
  const a = ctx.analysis;
  const reported = new Set<number>();
  for (const l of a.events.leaves) {
    if (l.kind === 'factory') continue;
    const target = unparen(l.target);
    if (target.type !== 'identifier' || !m.isUse(target)) continue;
    const where = scopeOf(l.node);
    if (where.inLoop) continue;
    const leafId = l.node.id;
    const reads = a.events.gradReads.filter((g) => g.fn === l.fn && g.owner.t?.leafOf === leafId && g.node.start > l.node.start);
    if (reads.length === 0) continue;
    // The copies of the same binding of the name, made before the marking, outside loops, in the same function.
    let copies: { stmt: PyNode; left: PyNode; value: PyNode; name: string }[] = [];
    for (const b of m.reachingBindings(target)) {
      for (const u of m.usesOf(b)) {
        if (u.start >= l.node.start) continue;
        let top: PyNode = u;
        // Climb the copying chain (`u.clone().detach()`, `torch.clone(u)`).
        for (let p = u.parent, guard = 0; p && guard < 8; p = p.parent, guard++) {
          if (p.type === 'attribute' || p.type === 'call' || p.type === 'argument_list' || p.type === 'parenthesized_expression') top = p;
          else break;
        }
        const stmt = top.parent;
        if (!stmt || stmt.type !== 'assignment' || field(stmt, 'right') !== top) continue;
        const left = field(stmt, 'left');
        if (!left || left.type !== 'identifier' || copiedName(ctx, top) !== u) continue;
        const s = scopeOf(stmt);
        if (s.inLoop || s.fn !== where.fn) continue;
        copies.push({ stmt, left, value: top, name: ctx.text(left) });
      }
    }
    // A copy marked itself is a tensor of its own, by intent (its `.grad` is the one read for it).
    const markedNames = new Set(a.events.leaves.filter((o) => o.fn === l.fn && o !== l).map((o) => ctx.text(unparen(o.target))));
    copies = copies.filter((c) => !markedNames.has(c.name));
    if (copies.length === 0) continue;
    const depends = (v: AV | undefined): boolean | null => {
      const t = v?.t;
      if (!v || !t || !isKind(v, Kind.TENSOR)) return null;
      return t.leafOf === leafId || t.leaves.includes(leafId) || t.mayLeaf.includes(leafId);
    };
    for (const b of a.events.backwards) {
      if (b.fn !== l.fn || b.node.start < l.node.start || b.hasInputs) continue;
      const read = reads.find((g) => g.node.start > b.node.start);
      if (!read) continue;
      // Another backward of the function before the read that reaches the marked tensor fills the buffer the read sees
      // (a test that compares the gradients of the original and of the copy, each marked, after two backwards).
      const refilled = a.events.backwards.some((o) => {
        if (o === b || o.fn !== l.fn || o.node.start < l.node.start || o.node.start >= read.node.start) return false;
        const t = o.target.t;
        return !t || t.opaque || t.leafOf === leafId || t.leaves.includes(leafId) || t.mayLeaf.includes(leafId);
      });
      if (refilled) continue;
      const bc = m.call(b.node);
      const loss = bc?.method === 'backward' ? bc.receiver : bc?.positional[0];
      if (!loss) continue;
      for (const copy of copies) {
        if (reported.has(copy.stmt.id)) continue;
        // From the copy to `expr`, through the bindings of the function.
        const derives = (expr: PyNode, seen: Set<number>, depth: number): boolean => {
          if (depth > 8) return false;
          for (const id of usesIn(ctx, expr)) {
            for (const bd of m.reachingBindings(id)) {
              if (bd.target === copy.left) return true;
              if (!bd.value || bd.kind !== 'assign' || seen.has(bd.stmt.id) || scopeOf(bd.stmt).fn !== where.fn) continue;
              seen.add(bd.stmt.id);
              if (derives(bd.value, seen, depth + 1)) return true;
            }
          }
          return false;
        };
        // A binding on the way to the loss whose value holds a graph, depends on no leaf of the marked tensor, and is
        // computed from the copy.
        const copyOnly = (expr: PyNode, seen: Set<number>, depth: number): PyNode | null => {
          if (depth > 6) return null;
          for (const id of usesIn(ctx, expr)) {
            for (const bd of m.reachingBindings(id)) {
              if (!bd.value || bd.kind !== 'assign' || bd.path.length > 0 || seen.has(bd.stmt.id) || scopeOf(bd.stmt).fn !== where.fn) continue;
              seen.add(bd.stmt.id);
              const v = a.values.get(unparen(bd.value).id);
              const dep = depends(v);
              if (dep === null) continue;
              if (dep) {
                const found = copyOnly(bd.value, seen, depth + 1);
                if (found) return found;
                continue;
              }
              const t = v!.t!;
              if (t.hist.length === 0 && t.params.length === 0) continue;
              if (bd.target !== copy.left && derives(bd.value, new Set(), 0)) return bd.value;
            }
          }
          return null;
        };
        const lossValue = a.values.get(unparen(loss).id);
        const direct = depends(lossValue) === false && lossValue!.t!.hist.length + lossValue!.t!.params.length > 0 && derives(loss, new Set(), 0);
        const via = direct ? loss : copyOnly(loss, new Set(), 0);
        if (!via) continue;
        reported.add(copy.stmt.id);
        const leafName = ctx.text(target);
        ctx.report({
          node: copy.value,
          message:
            `\`${copy.name}\` is a copy of \`${leafName}\` made before \`${leafName}\` is marked as requiring grad (line ${ctx.lineOf(l.node)}): ` +
            `the copy is no leaf and does not depend on \`${leafName}\`, so the loss computed from it (line ${ctx.lineOf(via)}) does not ` +
            `reach \`${leafName}\`, and \`${leafName}.grad\` read after \`.backward()\` (line ${ctx.lineOf(read.node)}) is None, or the gradient of ` +
            `an earlier backward. Mark the tensor the loss is computed from (\`${copy.name}.requires_grad_(True)\`) and read its \`.grad\`.`,
          related: [
            { node: l.node, message: 'marked here, after the copy' },
            { node: via, message: 'computed from the copy' },
            { node: read.node, message: 'the gradient read here does not come from that loss' },
          ],
        });
      }
    }
  }
}


/** Calls that build a new tensor from several (`torch.cat([x, t], dim=1)`). */
const COMBINING = /^torch\.(?:cat|concat|concatenate|stack|hstack|vstack|column_stack|dstack)$/;

/**
 * `X = torch.cat([x, t], dim=1)`, `X.requires_grad_(True)`, `u = net(X)`, then `grad(u, t)`: the marking makes the
 * combination a new leaf, and the output depends on that leaf, not on the parts. Marking it says the parts do not
 * require grad (when they do, the combination already has a graph and the marking does nothing), so `grad` with
 * respect to a part raises "One of the differentiated Tensors does not require grad". Reported when the input is a
 * name of the function (a parameter too), read by the combination under the same binding (a concatenation, a stack,
 * an index or arithmetic), the combination is bound once, outside loops, in the function that differentiates, and
 * marked there, the output depends on that leaf, and nothing in view marks the input or gives it a graph (the
 * calls the file shows pass it no tensor that requires grad).
 */
function markedCombinations(ctx: RuleContext): void {
  const m = ctx.model;
  const a = ctx.analysis;
  const reported = new Set<number>();
  const reportedNames = new Set<string>();
  const leafById = new Map(a.events.leaves.map((l) => [l.node.id, l] as const));
  const sameBindings = (x: readonly unknown[], y: readonly unknown[]): boolean => x.length === y.length && x.every((b) => y.includes(b));
  for (const d of a.events.derivatives) {
    if (d.spec.framework !== 'pytorch' || d.api !== 'torch.autograd.grad') continue;
    const out = d.output.t;
    if (!out || out.leaves.length === 0) continue;
    const call = m.call(d.node);
    if (!call) continue;
    const arg = m.argument(call, 'inputs', 'torch.autograd.grad');
    if (arg.kind !== 'found') continue;
    const fnNode = scopeOf(d.node).fn;
    for (const item of elements(arg.node).map(unparen)) {
      if (item.type !== 'identifier' || reported.has(item.id) || !m.isUse(item)) continue;
      // A tensor with no graph in view, or a value of unknown origin (a parameter the combination reads as a tensor).
      const v = a.values.get(item.id);
      if (!v) continue;
      const t = v.t;
      if (!isKind(v, Kind.TENSOR) && !onlyKind(v, Kind.UNKNOWN)) continue;
      if (t && (requiresGrad(t) || t.variable || t.recOff !== null || t.inference || t.gradOf !== null || t.dGraph.length > 0 || t.order > 0)) continue;
      const reach = m.reachingBindings(item);
      if (reach.length === 0) continue;
      // Nothing marks the input itself, under this name.
      if (reach.some((b) => m.usesOf(b).some((u) => u.parent?.type === 'attribute' && /^requires_grad_?$/.test(ctx.text(field(u.parent, 'attribute') ?? u.parent))))) continue;
      for (const leafId of out.leaves) {
        const l = leafById.get(leafId);
        if (!l || l.fn !== fnNode || l.kind === 'factory' || scopeOf(l.node).inLoop) continue;
        const target = unparen(l.target);
        let made: PyNode;
        if (target.type === 'identifier' && m.isUse(target)) {
          const marked = m.reachingBindings(target);
          if (marked.length !== 1) continue;
          const b = marked[0];
          if (b.kind !== 'assign' || !b.value || b.path.length > 0 || b.loop !== null || scopeOf(b.stmt).fn !== fnNode) continue;
          made = unparen(b.value);
        } else if (target.type === 'call' || target.type === 'binary_operator' || target.type === 'subscript') {
          // Marked where it is made: `X = torch.cat([x, t], dim=1).requires_grad_()`.
          made = target;
        } else continue;
        const q = made.type === 'call' ? m.call(made)?.qname ?? '' : '';
        if (!(COMBINING.test(q) || made.type === 'binary_operator' || made.type === 'subscript')) continue;
        const reads = usesIn(ctx, made).filter((u) => ctx.text(u) === ctx.text(item) && sameBindings(m.reachingBindings(u), reach));
        if (reads.length === 0) continue;
        const key = `${fnNode?.id ?? -1}:${ctx.text(item)}`;
        if (reportedNames.has(key)) break;
        reportedNames.add(key);
        reported.add(item.id);
        const name = ctx.text(item);
        const comb = target === made ? ctx.text(made).replace(/\s+/g, ' ').slice(0, 40) : ctx.text(target);
        ctx.report({
          node: item,
          message:
            (target === made
              ? `\`${comb}\` is made from \`${name}\` and marked as requiring grad where it is made (line ${ctx.lineOf(l.node)}): `
              : `\`${comb}\` is made from \`${name}\` (line ${ctx.lineOf(made)}) and then marked as requiring grad (line ${ctx.lineOf(l.node)}): `) +
            `the marking makes \`${comb}\` a new leaf, and the output depends on that leaf, not on \`${name}\`, which nothing marks ` +
            `(had \`${name}\` required grad, \`${comb}\` would have a graph already and the marking would do nothing). \`grad\` raises ` +
            `"One of the differentiated Tensors does not require grad". Mark \`${name}\` before \`${comb}\` is made from it, or ` +
            `differentiate against \`${comb}\` and take the columns of the result.`,
          related: [
            { node: made, message: 'the combination is made here' },
            { node: l.node, message: 'and marked here' },
          ],
        });
        break;
      }
    }
  }
}

/** Factories that make a new tensor: with `requires_grad=True` it is a new leaf. */
const LEAF_FACTORIES = /^torch\.(?:tensor|zeros|ones|empty|full|rand|randn|randint|arange|linspace|zeros_like|ones_like|rand_like|randn_like|full_like|empty_like)$/;
const FRESH_VARIABLE = new Set(['torch.autograd.Variable', 'torch.autograd.variable.Variable']);

/**
 * How an expression bound to the input makes a tensor that requires grad: `fresh` (a new leaf: `Variable(x, requires_grad=True)`,
 * `torch.tensor(x, requires_grad=True)`, `x.clone().requires_grad_()`, `x.detach().requires_grad_(True)`), `marked` (an
 * existing tensor marked in place and returned: `kwargs["vol"].requires_grad_()`, with the tensor marked), or null.
 */
function leafMaking(ctx: RuleContext, value: PyNode): { kind: 'fresh' | 'marked'; receiver: PyNode | null } | null {
  const m = ctx.model;
  const v = unparen(value);
  if (v.type !== 'call') return null;
  const c = m.call(v);
  if (!c || c.hasStarArgs || c.hasKwargs) return null;
  const rg = c.keywords.get('requires_grad');
  if (c.qname && (FRESH_VARIABLE.has(c.qname) || LEAF_FACTORIES.test(c.qname))) {
    return rg && m.literalBool(rg) === true ? { kind: 'fresh', receiver: null } : null;
  }
  if (c.method !== 'requires_grad_' || !c.receiver || c.qname) return null;
  const flag = c.positional[0] ?? rg;
  if (flag && m.literalBool(flag) !== true) return null;
  let r = unparen(c.receiver);
  // Through conversions that return the tensor itself when there is nothing to convert.
  for (let guard = 0; guard < 6 && r.type === 'call'; guard++) {
    const rc = m.call(r);
    if (!rc) return null;
    if (rc.method && COPY_METHODS.has(rc.method) && rc.method !== 'numpy') return { kind: 'fresh', receiver: null };
    if (rc.qname && (rc.qname === 'torch.clone' || LEAF_FACTORIES.test(rc.qname))) return { kind: 'fresh', receiver: null };
    if (!rc.method || !rc.receiver || !THROUGH_METHODS.has(rc.method)) return null;
    r = unparen(rc.receiver);
  }
  return r.type === 'identifier' || r.type === 'subscript' || r.type === 'attribute' ? { kind: 'marked', receiver: r } : null;
}

/** The variable an output expression reads: `y`, `[y]`, `y.sum()`, `y[:, i].sum()`; null when it is computed otherwise. */
function outputVariable(ctx: RuleContext, e: PyNode): PyNode | null {
  let o = unparen(e);
  const items = elements(o);
  if (items.length !== 1) return null;
  o = unparen(items[0]);
  for (let guard = 0; guard < 8; guard++) {
    if (o.type === 'identifier') return ctx.model.isUse(o) ? o : null;
    if (o.type === 'subscript') {
      const b = field(o, 'value');
      if (!b) return null;
      o = unparen(b);
      continue;
    }
    if (o.type === 'call') {
      const c = ctx.model.call(o);
      if (!c || !c.method || !c.receiver || c.qname || !REDUCING.has(c.method)) return null;
      o = unparen(c.receiver);
      continue;
    }
    return null;
  }
  return null;
}

/** `grad(outputs, inputs)` calls of the file, and calls of the file's helpers whose body differentiates one parameter by another. */
function differentiations(ctx: RuleContext): { call: PyNode; out: PyNode; inp: PyNode }[] {
  const m = ctx.model;
  const res: { call: PyNode; out: PyNode; inp: PyNode }[] = [];
  const helpers = new Map<PyNode, { out: number; inp: number; outName: string; inpName: string }[]>();
  for (const c of m.calls) {
    if (c.qname !== 'torch.autograd.grad' || c.hasStarArgs || c.hasKwargs) continue;
    const o = m.argument(c, 'outputs', 'torch.autograd.grad');
    const i = m.argument(c, 'inputs', 'torch.autograd.grad');
    if (o.kind !== 'found' || i.kind !== 'found') continue;
    res.push({ call: c.node, out: o.node, inp: i.node });
    // A helper `def jacobian(inputs, outputs): ... grad([outputs[:, i].sum()], [inputs])`.
    const ov = outputVariable(ctx, o.node);
    const iv = elements(unparen(i.node)).length === 1 ? unparen(elements(unparen(i.node))[0]) : null;
    if (!ov || !iv || iv.type !== 'identifier' || !m.isUse(iv)) continue;
    const ob = m.reachingBindings(ov);
    const ib = m.reachingBindings(iv);
    if (ob.length !== 1 || ib.length !== 1 || ob[0].kind !== 'param' || ib[0].kind !== 'param') continue;
    const op = ob[0].param;
    const ip = ib[0].param;
    if (!op || !ip || op.fn !== ip.fn || op.star !== 'none' || ip.star !== 'none' || op.index === ip.index) continue;
    let list = helpers.get(op.fn.node);
    if (!list) helpers.set(op.fn.node, (list = []));
    list.push({ out: op.index, inp: ip.index, outName: ob[0].name, inpName: ib[0].name });
  }
  for (const c of m.calls) {
    const fn = c.local;
    if (!fn || c.hasStarArgs || c.hasKwargs) continue;
    const roles = helpers.get(fn.node);
    if (!roles) continue;
    // A method called through `self.` receives `self` first.
    const shift = fn.isMethod && fn.params[0]?.name === 'self' && c.receiver !== null ? 1 : 0;
    const argAt = (index: number, name: string): PyNode | undefined => c.keywords.get(name) ?? c.positional[index - shift];
    for (const r of roles) {
      const out = argAt(r.out, r.outName);
      const inp = argAt(r.inp, r.inpName);
      if (out && inp) res.push({ call: c.node, out, inp });
    }
  }
  return res;
}

/**
 * `x_var = Variable(x, requires_grad=True)` (or `x.clone().requires_grad_()`, `vol = kwargs["vol"].requires_grad_()`) bound
 * after the output it is differentiated with was computed — the output a parameter of the function (its caller computed it) or
 * bound before the marking, in one function — then `grad(output, x_var)`, directly or through a helper of the file that
 * differentiates one parameter by another (`jacobian(x_var, mu)`). A new leaf made after the output is not in its graph
 * whatever happened before; a tensor marked in place after the output either already required grad (the marking does
 * nothing) or the output has no graph to it. `grad` raises "One of the differentiated Tensors appears to not have been used
 * in the graph" (or "does not require grad").
 */
function leavesMadeAfterOutput(ctx: RuleContext, before: number): void {
  const m = ctx.model;
  const reportedLines = new Set(ctx.diagnostics.slice(before).map((d) => d.range.start.line));
  const done = new Set<number>();
  for (const { call, out, inp } of differentiations(ctx)) {
    const fn = scopeOf(call).fn;
    const ov = outputVariable(ctx, out);
    if (!ov) continue;
    const obs = m.reachingBindings(ov);
    if (obs.length === 0) continue;
    for (const item of elements(unparen(inp)).map(unparen)) {
      if (item.type !== 'identifier' || !m.isUse(item)) continue;
      const ibs = m.reachingBindings(item);
      if (ibs.length !== 1) continue;
      const b = ibs[0];
      if (b.kind !== 'assign' || !b.value || b.path.length !== 0 || scopeOf(b.stmt).fn !== fn) continue;
      const making = leafMaking(ctx, b.value);
      if (!making || done.has(b.value.id)) continue;
      const mark = unparen(b.value);
      // The output: a parameter of this function, or bound in it before the marking statement (every binding that reaches).
      const early = obs.every((ob) =>
        ob.kind === 'param'
          ? ob.param?.fn.node === fn && ob.param.star === 'none'
          : (ob.kind === 'assign' || ob.kind === 'augassign') && scopeOf(ob.stmt).fn === fn && ob.stmt.end <= b.stmt.start && ob.target.id !== item.id && ob.name !== b.name,
      );
      if (!early) continue;
      if (making.kind === 'marked') {
        // A tensor that already requires grad where it is marked (a caller the file shows marked it): the marking repeats it.
        const rv = making.receiver ? ctx.analysis.valueOf(making.receiver)?.t : null;
        if (rv && (rv.leafOf !== null || rv.leaves.length > 0 || rv.params.length > 0 || rv.variable)) continue;
        // The output read again after the marking (`y = f(x)` recomputed in a branch) is not in view: every reaching binding was checked.
      }
      if (reportedLines.has(ctx.range(mark).start.line)) continue;
      done.add(b.value.id);
      const outText = ctx.text(ov);
      const outWhere = obs.every((ob) => ob.kind === 'param')
        ? `\`${outText}\` is a parameter: the caller computed it before this function ran`
        : `\`${outText}\` was computed on line ${ctx.lineOf(obs[obs.length - 1].stmt)}, before`;
      const what =
        making.kind === 'fresh'
          ? `\`${ctx.text(item)}\` is a new leaf tensor, made here (line ${ctx.lineOf(mark)}), and ${outWhere}; the output cannot depend on a ` +
            'tensor made later, so `grad` raises "One of the differentiated Tensors appears to not have been used in the graph" ' +
            '(or returns None with allow_unused).'
          : `\`${ctx.text(item)}\` is marked \`requires_grad\` here (line ${ctx.lineOf(mark)}), and ${outWhere}: if the tensor did not ` +
            'require grad then, the output has no graph to it and `grad` raises ("does not require grad" or "appears to not have been ' +
            'used in the graph"); if it did, the marking does nothing.';
      ctx.report({
        node: mark,
        message: `${what} Mark the input before the output is computed from it (before the forward pass), and compute the output from that tensor.`,
        related: [
          { node: ov, message: 'the output, computed before the marking' },
          { node: call, message: 'differentiated here' },
        ],
      });
    }
  }
}

/**
 * `z = x * 2; x.requires_grad_(); y = f(z); grad(y, x)`: the input was marked after a computation read it, and the output
 * is computed only from what was computed before the marking, so it has no path to the leaf and `grad` raises ("One of the
 * differentiated Tensors appears to not have been used in the graph", or "element 0 ... does not require grad" when
 * nothing else requires grad). The normalization of seed posts, done once on the raw data before the raw tensor is
 * marked, is the typical form. Asked of the analysis: the output's graph does not reach the leaf the marking made.
 */
function markedAfterUse(ctx: RuleContext): void {
  const m = ctx.model;
  for (const d of ctx.analysis.events.derivatives) {
    if (d.spec.framework !== 'pytorch' || d.api !== 'torch.autograd.grad') continue;
    const call = m.call(d.node);
    if (!call || call.hasKwargs || call.hasStarArgs) continue;
    const arg = m.argument(call, 'inputs', 'torch.autograd.grad');
    if (arg.kind !== 'found') continue;
    const ao = m.argument(call, 'allow_unused', 'torch.autograd.grad');
    if (ao.kind === 'found' && m.literalBool(ao.node) !== false) continue;
    for (const item of elements(arg.node).map(unparen)) {
      if (item.type !== 'identifier') continue;
      const late = lateMarking(ctx, item, ctx.analysis.values.get(item.id), d.fn, d.node.start);
      if (!late || reachesLeaf(d.output, late.leaf)) continue;
      // An output computed before the marking is `leavesMadeAfterOutput`'s finding (reported at the marking).
      const outArg = m.argument(call, 'outputs', 'torch.autograd.grad');
      if (outArg.kind !== 'found') continue;
      // Not read between the marking and the derivative (but by the derivative's inputs): a read there may put it into
      // the output through code the analysis does not see (`self.get_logits(images)` of an unseen base class).
      const readBetween = m
        .reachingBindings(item)
        .flatMap((b) => m.usesOf(b))
        .some((u) => u.start > late.leaf.node.end && u.start < d.node.start && !(u.start >= arg.node.start && u.end <= arg.node.end));
      if (readBetween) continue;
      let early = false;
      walk(outArg.node, (n) => {
        if (n.type === 'identifier' && n.field !== 'attribute' && m.isUse(n) && m.reachingBindings(n).some((b) => b.at < late.leaf.node.end)) early = true;
      });
      if (early) continue;
      const name = ctx.text(item);
      ctx.report({
        node: item,
        message:
          `\`${name}\` is marked \`requires_grad\` on line ${ctx.lineOf(late.leaf.node)}, after it was used on line ${ctx.lineOf(late.used)}: ` +
          'what was computed from it before holds no graph back to it, and the output differentiated here is computed from ' +
          'that, so `grad` raises ("One of the differentiated Tensors appears to not have been used in the graph", or "element ' +
          '0 of tensors does not require grad" when nothing else in it does). Mark ' +
          `\`${name}\` before the first computation that uses it.`,
        related: [
          { node: late.used, message: 'used here, before it requires grad' },
          { node: late.leaf.node, message: 'marked too late' },
        ],
      });
    }
  }
}
