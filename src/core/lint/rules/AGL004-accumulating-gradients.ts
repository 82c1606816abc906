/**
 * AGL004 accumulating-gradients: `backward()` in a loop adds into `x.grad`; reading it without
 * zeroing gives running sums, and appending it without a copy stores one aliased buffer many times. A loss helper
 * whose backward runs on every call while its step and zero_grad run only when it has an optimizer (evaluation calls
 * leave their gradients for the next training step).
 */
import { isOptimizerName } from '../knowledge/torch';
import type { Rule, RuleContext } from '../rule';
import type { CallInfo, Mutation, SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';
import { assertedNone, gradReads, parametersCall } from '../torch';
import type { Fix } from '../types';

const COPY_METHODS = new Set(['clone', 'copy', 'tolist', 'item', 'detach_clone', 'deepcopy']);
const COPY_FUNCTIONS = new Set(['numpy.array', 'numpy.copy', 'copy.copy', 'copy.deepcopy', 'torch.tensor', 'torch.clone', 'float', 'list']);

/** The `.grad` read's base variable text (`x` for `x.grad`), when it is a plain name or `self.x`. */
function baseName(m: SemanticModel, read: PyNode): string | null {
  const obj = field(read, 'object');
  if (!obj) return null;
  const o = unparen(obj);
  return o.type === 'identifier' || o.type === 'attribute' ? m.textOf(o) : null;
}

/** Attributes of a `.grad` buffer that are its metadata, not its values (the same however many backwards filled it). */
const GRAD_METADATA = /^(shape|device|dtype|ndim|is_cuda|size|layout|is_sparse)$/;

/** Whether the read is only a check, a metadata read or a zeroing (`x.grad is None`, `x.grad.zero_()`), not a use of the values. */
function isControlRead(m: SemanticModel, read: PyNode): boolean {
  const p = read.parent;
  if (!p) return false;
  if (p.type === 'comparison_operator' || p.type === 'not_operator' || p.type === 'boolean_operator') return true;
  if (p.type === 'if_statement' || p.type === 'while_statement') return true;
  // `x.grad.shape` / `.device` / `.dtype`: the buffer's metadata, not its values.
  if (p.type === 'attribute' && field(p, 'object') === read && GRAD_METADATA.test(m.textOf(field(p, 'attribute') ?? p))) return true;
  // `self.assertIsNone(x.grad)`, `self.assertEqual(x.grad, None)`: a test that the buffer is empty.
  if (p.type === 'argument_list' && p.parent?.type === 'call') {
    if (assertedNone(m, read)) return true;
    const c = m.call(p.parent);
    if (c?.method && /^assert(?:Equal|Is|IsNot|NotEqual)$/.test(c.method) && c.positional.some((x) => x !== read && unparen(x).type === 'none')) return true;
  }
  // x.grad.zero_() / x.grad.data.zero_()
  let n: PyNode = read;
  while (n.parent && n.parent.type === 'attribute' && field(n.parent, 'object') === n) n = n.parent;
  if (n.parent && n.parent.type === 'call' && field(n.parent, 'function') === n && n.type === 'attribute') {
    const a = field(n, 'attribute');
    if (a && /^(zero_|fill_|detach_|requires_grad_|mul_)$/.test(m.textOf(a))) return true;
  }
  return false;
}

/** Whether the value read is copied before it is kept (clone, copy, np.array, tolist, ...). */
function isCopied(m: SemanticModel, read: PyNode, stop: PyNode): boolean {
  for (let n: PyNode | null = read.parent; n && n !== stop; n = n.parent) {
    if (n.type !== 'call') continue;
    const c = m.call(n);
    if (!c) continue;
    if (c.method && COPY_METHODS.has(c.method)) return true;
    if (c.qname && COPY_FUNCTIONS.has(c.qname)) return true;
  }
  return false;
}

/**
 * `layer.weight.grad`, `net.module.bias.grad`, `p.grad` for `p` in `m.parameters()`: a parameter's
 * gradient. Accumulating those across backward() calls is ordinary training (gradient accumulation,
 * DDP tests), not a Jacobian built row by row; found reviewing PyTorch's own sources (docs/precision.md).
 */
function isParameterGrad(m: SemanticModel, read: PyNode): boolean {
  const obj = field(read, 'object');
  if (!obj) return false;
  const o = unparen(obj);
  if (o.type === 'attribute') {
    const a = field(o, 'attribute');
    return a !== null && /^(weight|bias)(_\w+)?$/.test(m.textOf(a));
  }
  if (o.type === 'identifier' && m.isUse(o)) {
    const reach = m.reachingBindings(o);
    return reach.length > 0 && reach.every((b) => {
      if (b.kind !== 'for' || !b.value) return false;
      return parametersCall(m, unparen(b.value)) !== undefined;
    });
  }
  return false;
}

/**
 * `optimizer.zero_grad()` of an optimizer built in view over a list that names the tensor
 * (`optimizer = optim.SGD([delta], lr=1)`, AdverTorch's DDN), or over the parameters of the module the tensor is an
 * attribute of (`optim.Adam(net.parameters())` for `net.w`): it zeroes `name.grad` (in place before PyTorch 2.0, to
 * None since).
 */
function zeroesOptimized(m: SemanticModel, receiver: PyNode, name: string): boolean {
  const r = unparen(receiver);
  if (r.type !== 'identifier' || !m.isUse(r)) return false;
  return m.reachingBindings(r).some((b) => {
    const v = b.value ? unparen(b.value) : null;
    const oc = v?.type === 'call' ? m.call(v) : undefined;
    if (!oc?.qname?.startsWith('torch.optim.')) return false;
    const first = oc.positional[0] ? unparen(oc.positional[0]) : null;
    if (!first) return false;
    if (first.type === 'list' || first.type === 'tuple') return namedChildren(first).some((e) => m.textOf(e) === name);
    // `optim.Adam(homography.parameters())` zeroes `homography.homo.grad`, a parameter of that module (kornia's tests).
    const pc = parametersCall(m, first);
    if (!pc?.receiver) return false;
    return name.startsWith(`${m.textOf(unparen(pc.receiver)).replace(/\s+/g, '')}.`);
  });
}

/** The items of a list that start in a range, in the list's order: a binary search over the starts, sorted once. */
class ByStart<T> {
  private readonly order: number[];
  private readonly starts: number[];

  constructor(
    private readonly items: readonly T[],
    start: (x: T) => number,
  ) {
    this.order = items.map((_, i) => i).sort((a, b) => start(items[a]) - start(items[b]) || a - b);
    this.starts = this.order.map((i) => start(items[i]));
  }

  within(from: number, to: number): T[] {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    const picked: number[] = [];
    for (let k = lo; k < this.starts.length && this.starts[k] <= to; k++) picked.push(this.order[k]);
    return picked.sort((a, b) => a - b).map((i) => this.items[i]);
  }
}

/** `for i in range(n)` / `for i, _ in enumerate(range(n))`: the loop variable is a number, not another tensor. */
function iteratesOverRange(m: SemanticModel, loop: PyNode): boolean {
  if (loop.type !== 'for_statement') return true;
  const right = field(loop, 'right');
  const c = right && unparen(right).type === 'call' ? m.call(unparen(right)) : undefined;
  return c?.qname === 'range';
}

/** The file's mutations and calls by position (`isZeroing` looks at those inside one loop or function). */
interface Positions {
  mutations: ByStart<Mutation>;
  calls: ByStart<CallInfo>;
}

/**
 * How `name.grad` is zeroed inside `loop` (a loop, or a helper function's body): not, in place, or reset to None.
 * Only the mutations and calls inside it are visited (scanning all of the file's for every read was quadratic).
 */
function isZeroing(m: SemanticModel, at: Positions, loop: PyNode, name: string): 'none' | 'in-place' | 'reset' {
  let result: 'none' | 'in-place' | 'reset' = 'none';
  for (const mu of at.mutations.within(loop.start, loop.end)) {
    if (mu.kind !== 'attribute' || mu.attr !== 'grad' || mu.stmt.start < loop.start || mu.stmt.end > loop.end) continue;
    const obj = field(mu.target, 'object');
    if (obj && m.textOf(obj) === name) return 'reset';
  }
  for (const c of at.calls.within(loop.start, loop.end)) {
    if (c.node.start < loop.start || c.node.end > loop.end) continue;
    // A helper that zeroes its argument's gradient: `zero_gradients(x)` (torch.autograd.gradcheck, or the
    // common copy of it), or a function of this file whose body resets `<param>.grad`.
    const argIndex = c.positional.findIndex((a) => m.textOf(a) === name);
    if (argIndex >= 0) {
      const fn = field(c.node, 'function');
      if (fn && /(?:^|\.)zero_?grad(?:ient)?s?$/i.test(m.textOf(fn))) return 'reset';
      if (c.local) {
        const param = c.local.params[argIndex + (c.local.isMethod ? 1 : 0)];
        if (param) {
          const inner = isZeroing(m, at, c.local.node, param.name);
          if (inner === 'reset') return 'reset';
          if (inner === 'in-place') result = 'in-place';
        }
      }
    }
    if (!c.receiver) continue;
    if (c.method === 'zero_grad' && zeroesOptimized(m, c.receiver, name)) result = 'in-place';
    if (c.method !== 'zero_' && c.method !== 'fill_') continue;
    const t = m.textOf(c.receiver);
    if (t === `${name}.grad` || t === `${name}.grad.data`) result = 'in-place';
  }
  return result;
}


/** `if X is not None:` / `if X:` → X, when X names an optimizer (`opt`, `self.optimizer`, `model_opt`). */
function optimizerTested(ctx: RuleContext, cond: PyNode): PyNode | null {
  const c = unparen(cond);
  let x: PyNode | null = null;
  if (c.type === 'identifier' || c.type === 'attribute') x = c;
  else if (c.type === 'comparison_operator') {
    const kids = namedChildren(c);
    const ops = ctx.text(c).slice(kids[0] ? kids[0].end - c.start : 0, kids[1] ? kids[1].start - c.start : 0).trim();
    if (kids.length === 2 && ops === 'is not' && kids[1].type === 'none') x = kids[0];
  }
  if (!x || (x.type !== 'identifier' && x.type !== 'attribute')) return null;
  const last = x.type === 'attribute' ? ctx.text(field(x, 'attribute') ?? x) : ctx.text(x);
  return isOptimizerName(last) ? x : null;
}

/**
 * A loss helper that calls `backward()` on every call but steps and zeroes the gradients only when it was given an
 * optimizer (`if self.opt is not None: self.opt.step(); self.opt.optimizer.zero_grad()`): called without one, for
 * evaluation, it leaves the evaluation loss's gradients in `.grad`, and the next training call adds its own to them
 * and steps on the sum.
 */
function checkBackwardWithoutOptimizer(ctx: RuleContext): void {
  const m = ctx.model;
  for (const c of m.calls) {
    if (c.method !== 'backward' || !c.receiver) continue;
    const fn = m.enclosingFunction(c.node);
    if (!fn) continue;
    const body = field(fn.node, 'body');
    if (!body) continue;
    let found: { test: PyNode; x: PyNode; step: PyNode } | null = null;
    let guarded = false;
    for (let st: PyNode | null = m.statementOf(c.node); st && st !== body && !found; st = st.parent) {
      if (st.type === 'if_statement' || st.type === 'elif_clause' || st.type === 'else_clause' || st.type === 'try_statement') {
        // The backward is itself under a condition: not "every call".
        guarded = true;
        break;
      }
      const blk = st.parent;
      if (!blk || blk.type !== 'block') continue;
      const kids = namedChildren(blk);
      for (const later of kids.slice(kids.indexOf(st) + 1)) {
        if (later.type !== 'if_statement') continue;
        const cond = field(later, 'condition');
        const x = cond ? optimizerTested(ctx, cond) : null;
        const cons = field(later, 'consequence');
        if (!x || !cons) continue;
        const xt = ctx.text(x);
        const step = m.calls.find((k) => k.method === 'step' && k.receiver && cons.start <= k.node.start && k.node.end <= cons.end && ctx.text(k.receiver) === xt);
        const zero = m.calls.some((k) => k.method === 'zero_grad' && k.receiver && cons.start <= k.node.start && k.node.end <= cons.end && ctx.text(k.receiver).startsWith(xt));
        if (step && zero) { found = { test: later, x, step: step.node }; break; }
      }
    }
    if (guarded || !found) continue;
    // Gradients cleared on every call before the backward (`model.zero_grad()` first): nothing carries over.
    const clearedBefore = m.calls.some((k) => (k.method === 'zero_grad' || k.method === 'zero_') && k.node.start >= fn.node.start && k.node.end <= c.node.start);
    if (clearedBefore) continue;
    // Another step outside the test: the helper always steps.
    const xt = ctx.text(found.x);
    const otherStep = m.calls.some((k) => k.method === 'step' && k.node !== found!.step && k.node.start >= fn.node.start && k.node.end <= fn.node.end && k.receiver && ctx.text(k.receiver) === xt);
    if (otherStep) continue;
    ctx.report({
      node: c.node,
      message:
        `\`${ctx.text(c.node)}\` runs on every call of \`${fn.name}\`, but the optimizer step and \`zero_grad\` run only when ` +
        `\`${xt}\` is set (line ${ctx.lineOf(found.test)}): called without an optimizer (evaluation), the loss's gradients stay in ` +
        '`.grad`, and the next training call adds its own to them and steps on the sum, training on the evaluation data. ' +
        `Call \`backward()\` under the same test (\`if ${xt} is not None:\`), or evaluate under \`torch.no_grad()\`.`,
      related: [{ node: found.test, message: 'the step and zeroing run only here' }],
    });
  }
}

export const AGL004: Rule = {
  meta: {
    code: 'AGL004',
    name: 'accumulating-gradients',
    summary: '`backward()` in a loop accumulates into `x.grad`; reading it without zeroing, or appending it without a copy, gives wrong rows.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds a loss helper that calls `backward()` on every call but steps the optimizer and zeroes the gradients only ' +
        'under a test of that optimizer (`if self.opt is not None:`, `if optimizer:`), with nothing zeroing them before the ' +
        'backward: called without an optimizer for evaluation, it leaves the evaluation gradients for the next training step. ' +
        'In a loop that calls `.backward()` (typically once per output to build a Jacobian), finds reads of `x.grad` ' +
        'when the loop neither resets it (`x.grad = None`) nor zeroes it (`x.grad.zero_()`), and appends of `x.grad` ' +
        '(or `x.grad.numpy()`, `x.grad.data`, `x.grad[i]`) without `.clone()`/a copy when the buffer is zeroed in place. ' +
        'Also when the loop is in a caller: a function or method (an attack\'s `_train_step`) runs `backward()` and reads ' +
        'the `.grad` of a tensor that outlives the call (`self._patch`), and a loop calls it again without resetting that ' +
        'buffer — `model.zero_grad()` resets only the model\'s parameters, not the input\'s gradient. And the parameters\' ' +
        'gradients of several loss terms taken one term at a time: a loop runs `term.backward(retain_graph=True)` and reads ' +
        '`p.grad` of the parameters after it (a gradient norm per term for loss weighting — NTK or self-adaptive PINN ' +
        'weights, GradNorm, gradient-conflict measures) without zeroing them in the loop. And in straight-line code: a ' +
        'tensor\'s `.grad` read after one `backward()`, then read again after a second `backward()` with no reset between ' +
        '(`out.backward(retain_graph=True); g1 = x.grad.clone(); out2.backward(); g2 = x.grad`): the second read holds the sum.',
      whyIsThisBad:
        '`backward()` adds into `.grad`; it does not overwrite it. Without zeroing, row k of the "Jacobian" is the sum of ' +
        'rows 0..k. When the buffer is zeroed in place, every appended `x.grad` (and every `.numpy()` of it, which shares ' +
        'memory) is a view of the same tensor, so all rows end up equal to the last one (seed 000\'s first version has both).',
      example: [
        '```python',
        'for out in output[0]:',
        '    out.backward(retain_graph=True)',
        '    jacobi.append(x.grad.numpy()[0])',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'for out in output[0]:',
        '    out.backward(retain_graph=True)',
        '    jacobi.append(x.grad.numpy()[0])',
        '    x.grad = None',
        '# or, better: torch.autograd.functional.jacobian(model, x), or torch.autograd.grad per output',
        '```',
      ].join('\n'),
      knownProblems:
        'Reading only a buffer\'s metadata (`x.grad.shape`, `.dtype`, `.device`) is not a use of its values and is not reported. ' +
        'The tensor is matched by its name (`x.grad`), within one loop body; zeroing done by a helper function of the same ' +
        'file, by `zero_gradients(x)`, or by `optimizer.zero_grad()` of an optimizer built in view over a list naming the ' +
        'tensor (`SGD([delta])`) or over the parameters of the module it is an attribute of (`Adam(net.parameters())` for ' +
        '`net.w.grad`) is seen; an optimizer given the tensor some other way is not. A parameter of an object ' +
        'bound inside the loop to a call\'s result (`func, y0, t = make_problem()`, then `func.A.grad`) is taken for a new ' +
        'object on every pass; a call that returns the same module every time is missed. A loop that accumulates ' +
        'on purpose (gradient accumulation over micro-batches of an input) is flagged — suppress with `# noqa: AGL004`. ' +
        'Across calls, only calls of functions of the same file from a `for`/`while` loop are followed (not a comprehension, ' +
        'not a loop in another file, such as a library base class calling the method), and the tensor must be the same ' +
        'object on each call (made once, e.g. in `__init__`); a tensor any optimizer of the file was given is left alone. ' +
        'Per-term parameter gradients are checked only when the backward passes `retain_graph=True` literally (the sign of ' +
        'several terms of one graph) and the parameters are named as `p` of `for p in model.parameters()` (or of a list ' +
        'made from it); a loop that calls any `zero_grad()` or `step()`, or assigns a `.grad`, is taken to reset them, and ' +
        'a read after the loop (the summed gradient, on purpose) is not flagged. The loop\'s own variable (`for z in points:`, not ' +
        '`range`) is taken for another tensor on every pass, as is an attribute of an object the loop makes (`strat = model.strategy` ' +
        'after `model = Model(...)`); a check that the buffer is empty (`assertIsNone(x.grad)`, `assertEqual(x.grad, None)`) is not a read. ' +
        'A read whose buffer the analysis sees filled by the first pass only (the later passes\' losses no longer reach the ' +
        'tensor: an attack that steps a copy made before the image was marked) is not reported: the buffer does not grow. ' +
        'That stale gradient is AGL024\'s finding.',
      fixSafety:
        'Inserting `x.grad = None` after the statement that reads it is safe: the loop reads each row once, and the next ' +
        '`backward()` allocates a fresh buffer, which also ends the aliasing. Inserting `.clone()` after `x.grad` in an ' +
        'append is safe: it stores a copy of the same values. Across calls the same insertion is offered as unsafe: the ' +
        'code after the read in the function, or its caller, may still use the buffer.',
    },
  },

  check(ctx) {
    const m = ctx.model;
    checkBackwardWithoutOptimizer(ctx);
    const reads = gradReads(m);
    if (reads.length === 0) return;
    const backwards = m.calls.filter((c) => c.method === 'backward' || c.qname === 'torch.autograd.backward');
    if (backwards.length === 0) return;
    const done = new Set<string>();
    const reported = new Set<number>();
    // The file's bindings by name, listed once (scanning all of them per `.grad` read was quadratic).
    let bindingsByName: Map<string, typeof m.bindings> | null = null;
    let at: Positions | null = null;
    let readEvents: Map<number, (typeof ctx.analysis.events.gradReads)[number]> | null = null;
    for (const read of reads) {
      if (isControlRead(m, read)) continue;
      if (isParameterGradOf(m, read)) continue;
      const loop = m.loopOf(read);
      if (!loop) continue;
      const b = backwards.find((c) => c.node.start >= loop.start && c.node.end <= loop.end && c.node.start < read.start);
      if (!b) continue;
      const name = baseName(m, read);
      if (!name) continue;
      // A tensor created inside the loop has a fresh .grad each iteration.
      if (!bindingsByName) {
        bindingsByName = new Map();
        for (const x of m.bindings) {
          const list = bindingsByName.get(x.name);
          if (list) list.push(x);
          else bindingsByName.set(x.name, [x]);
        }
      }
      if ((bindingsByName.get(name) ?? []).some((x) => x.stmt.start >= loop.start && x.stmt.end <= loop.end && x.kind !== 'for')) continue;
      // So does a parameter of an object made inside the loop: `func, y0, t = self.problem()` (torchdiffeq's
      // tests build a new module on every pass, then read `func.A.grad`). Only a call's result counts as new;
      // `m = model` in the loop is the same module, and its `.grad` accumulates.
      const root = name.split('.')[0];
      const inLoop = (x: (typeof m.bindings)[number]): boolean => x.stmt.start >= loop.start && x.stmt.end <= loop.end;
      const madeInLoop = (n: string): boolean => (bindingsByName!.get(n) ?? []).some((x) => inLoop(x) && x.kind !== 'for' && x.value !== null && unparen(x.value).type === 'call');
      if (root !== name && madeInLoop(root)) continue;
      // Or an attribute of such an object, named on the way (`strat = model.model.variational_strategy` after
      // `model = SingleTaskVariationalGP(...)` in the loop, then `strat.inducing_points.grad`).
      const rootBindings = (bindingsByName.get(root) ?? []).filter(inLoop);
      if (
        root !== name &&
        rootBindings.length > 0 &&
        rootBindings.every((x) => {
          let v = x.kind === 'assign' && x.value ? unparen(x.value) : null;
          while (v?.type === 'attribute') v = unparen(field(v, 'object') ?? v);
          return v?.type === 'identifier' && madeInLoop(m.textOf(v));
        })
      )
        continue;
      // The loop's own variable is another object on every pass (`for z in test_points: z.requires_grad = True`,
      // `for mll in mlls: ... mll.x.grad`): each has a `.grad` of its own.
      if ((bindingsByName.get(root) ?? []).some((x) => x.kind === 'for' && x.stmt === loop) && !iteratesOverRange(m, loop)) continue;
      const key = `${loop.id}:${name}`;
      at ??= { mutations: new ByStart(m.mutations, (mu) => mu.stmt.start), calls: new ByStart(m.calls, (c) => c.node.start) };
      const zeroing = isZeroing(m, at, loop, name);
      const stmt = m.statementOf(read);
      const append = appendCallAround(m, read, stmt);
      const aliased = append !== null && zeroing !== 'reset' && !isCopied(m, read, append);
      // The analysis followed the leaf's buffer through the loop's rounds and saw backward fill it, but no round's
      // backward add to what an earlier one left: the losses of the later rounds no longer reach the leaf (an iterative
      // attack that steps a copy made before the image was marked), so the buffer keeps the first gradient, it does
      // not grow.
      const ev = (readEvents ??= new Map(ctx.analysis.events.gradReads.map((g) => [g.node.id, g]))).get(read.id);
      const neverAdded = ev !== undefined && ev.owner.t?.leafOf != null && ev.fills.length > 0 && !ev.accumulated && !ctx.analysis.incomplete;
      const accumulates = zeroing === 'none' && !neverAdded;
      if (!accumulates && !aliased) continue;
      if (done.has(key)) continue;
      done.add(key);
      const fixes: Fix[] = [];
      if (accumulates) {
        fixes.push(resetFix(ctx, stmt, name, true));
      } else {
        const gradExpr = read.parent && read.parent.type === 'attribute' && m.textOf(field(read.parent, 'attribute') ?? read) === 'data' ? read.parent : read;
        fixes.push({ title: `Append a copy: ${m.textOf(gradExpr)}.clone()`, safe: true, edits: [ctx.insertAt(gradExpr.end, '.clone()')] });
      }
      const message = accumulates
        ? `\`${name}.grad\` is read in a loop that calls \`backward()\` (line ${ctx.lineOf(b.node)}) but is never reset: ` +
          'backward() adds into .grad, so each row is the running sum of the earlier ones' +
          (aliased ? ', and the appended rows share one buffer' : '') +
          `. Set \`${name}.grad = None\` after reading it (or use torch.autograd.grad / functional.jacobian).`
        : `\`${name}.grad\` is appended without a copy while the loop zeroes it in place: every row is a view of the same ` +
          `buffer and ends up equal to the last one. Append \`${name}.grad.clone()\`.`;
      ctx.report({ node: read, message, related: [{ node: b.node, message: 'backward() accumulates into .grad here' }], fixes });
      reported.add(read.id);
    }
    acrossCalls(ctx, reported);
    readBetweenBackwards(ctx, reported);
    perTermParameterGrads(ctx, reads, backwards, reported);
  },
};

/**
 * The parameter gradients of several loss terms, one term at a time: a loop backpropagates each term through one graph
 * (`loss.backward(retain_graph=True)`) and reads the parameters' `.grad` after it (a gradient norm per term for loss
 * weighting: GradNorm, NTK or self-adaptive PINN weights, gradient-conflict measures), without zeroing them in the
 * loop. Each read holds the sum of the terms so far (PINA's NTK weighting before its fix). `retain_graph=True` is the
 * sign of several terms of one graph; a loop that also steps an optimizer is training (gradient accumulation) and is
 * left to the checks above.
 */
function perTermParameterGrads(ctx: RuleContext, reads: readonly PyNode[], backwards: readonly CallInfo[], reported: Set<number>): void {
  const m = ctx.model;
  const done = new Set<number>();
  for (const b of backwards) {
    const retain = b.keywords.get('retain_graph');
    if (!retain || m.textOf(retain) !== 'True') continue;
    const loop = m.loopOf(b.node);
    if (!loop || done.has(loop.id)) continue;
    const read = reads.find(
      (r) => r.start > b.node.end && r.end <= loop.end && !reported.has(r.id) && !isControlRead(m, r) && isParameterGradOf(m, r),
    );
    if (!read) continue;
    if (!inSameFunction(read, b.node)) continue;
    const inLoop = m.calls.filter((c) => c.node.start >= loop.start && c.node.end <= loop.end);
    const zeroes = inLoop.some((c) => {
      if (c.method === 'zero_grad' || c.method === 'step') return true;
      const fn = field(c.node, 'function');
      if (fn && /(?:^|\.)zero_?grad(?:ient)?s?$/i.test(m.textOf(fn))) return true;
      return (c.method === 'zero_' || c.method === 'fill_' || c.method === 'detach_') && !!c.receiver && /\.grad(?:\.data)?$/.test(m.textOf(c.receiver));
    });
    if (zeroes) continue;
    if (m.mutations.some((mu) => mu.kind === 'attribute' && mu.attr === 'grad' && mu.stmt.start >= loop.start && mu.stmt.end <= loop.end)) continue;
    done.add(loop.id);
    reported.add(read.id);
    ctx.report({
      node: read,
      message:
        `\`${m.textOf(read)}\` is read after \`backward(retain_graph=True)\` (line ${ctx.lineOf(b.node)}) in a loop that backpropagates ` +
        'one term after another and never zeroes the parameters\' gradients: backward() adds into .grad, so from the second pass on ' +
        'this holds the sum of all the terms so far, not this term\'s gradient. Take each term\'s gradient with ' +
        '`torch.autograd.grad(term, params, retain_graph=True)`, or call `model.zero_grad()` before each backward.',
      related: [{ node: b.node, message: 'backward() accumulates into the parameters\' .grad here' }],
    });
  }
}

/** Whether two nodes are in the same function (or both at module level). */
function inSameFunction(a: PyNode, b: PyNode): boolean {
  const fnOf = (n: PyNode): PyNode | null => {
    for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda') return p;
    return null;
  };
  return fnOf(a) === fnOf(b);
}

/**
 * A parameter's gradient (`isParameterGrad`), also through one name holding the parameters: `params = [p for p in
 * model.parameters() if p.requires_grad]` or `list(model.parameters())`, then `for p in params`.
 */
function isParameterGradOf(m: SemanticModel, read: PyNode): boolean {
  if (isParameterGrad(m, read)) return true;
  const obj = field(read, 'object');
  const o = obj ? unparen(obj) : null;
  if (!o || o.type !== 'identifier' || !m.isUse(o)) return false;
  const reach = m.reachingBindings(o);
  return reach.length > 0 && reach.every((b) => {
    if (b.kind !== 'for' || !b.value) return false;
    let it = unparen(b.value);
    // `for p in params.values()` of a dict of parameters.
    const c = it.type === 'call' ? m.call(it) : undefined;
    if (c?.method === 'values' && c.receiver) it = unparen(c.receiver);
    if (holdsParameters(m, it)) return true;
    if (it.type !== 'identifier' || !m.isUse(it)) return false;
    const held = m.reachingBindings(it);
    return held.length > 0 && held.every((h) => !!h.value && holdsParameters(m, unparen(h.value)));
  });
}

/** `model.parameters()`, `list(model.parameters())`, `[p for p in model.parameters() ...]`. */
function holdsParameters(m: SemanticModel, v: PyNode): boolean {
  const isParams = (n: PyNode): boolean => parametersCall(m, n) !== undefined;
  if (isParams(v)) return true;
  if (v.type === 'call') {
    const c = m.call(v);
    const first = c?.positional[0];
    return !!c && (c.qname === 'list' || c.qname === 'tuple') && !!first && isParams(unparen(first));
  }
  if (v.type === 'list_comprehension' || v.type === 'generator_expression' || v.type === 'dictionary_comprehension') {
    const clause = v.children.find((c) => c.type === 'for_in_clause');
    const right = clause ? field(clause, 'right') : null;
    return !!right && isParams(unparen(right));
  }
  return false;
}

/**
 * The same mistake when the loop is in a caller: a function (an attack's `_train_step`) runs `backward()` and
 * reads an input's `.grad`, and its caller calls it again without resetting the buffer (`model.zero_grad()` only
 * resets the model's parameters). The analysis carries `.grad` buffers across calls, so the read sees a buffer
 * filled by an earlier call's backward and not reset (`accumulated`, never `zeroed`).
 */
function acrossCalls(ctx: RuleContext, reported: Set<number>): void {
  const m = ctx.model;
  const a = ctx.analysis;
  const backwardAt = new Map(a.events.backwards.map((b) => [b.node.id, b]));
  for (const g of a.events.gradReads) {
    if (!g.accumulated || g.zeroed || g.fn === null || reported.has(g.node.id)) continue;
    const L = g.owner.t?.leafOf;
    if (L === null || L === undefined) continue;
    if (isControlRead(m, g.node) || isParameterGrad(m, g.node)) continue;
    // A loop around the read that runs backward() itself: the check above decided (it knows the resets by helpers).
    const loop = m.loopOf(g.node);
    if (loop && g.fills.some((id) => { const b = backwardAt.get(id); return b !== undefined && b.node.start >= loop.start && b.node.end <= loop.end; })) continue;
    // Two backwards of one call before the read, in straight-line code: read between them or not, readBetweenBackwards decides.
    if (!loop && g.fills.length >= 2 && g.fills.every((id) => { const b = backwardAt.get(id); return b !== undefined && b.fn === g.fn && b.loop === null && b.node.end <= g.node.start; })) continue;
    // An optimizer over the leaf resets it with its zero_grad(); which calls reach it is not followed here.
    if (a.events.optimizers.some((o) => o.params.some((t) => t.leafOf === L || t.leaves.includes(L)))) continue;
    const name = baseName(m, g.node);
    if (!name) continue;
    const b = g.fills.map((id) => backwardAt.get(id)).find((x) => x !== undefined);
    reported.add(g.node.id);
    const fnName = m.textOf(field(g.fn, 'name') ?? g.fn);
    const stmt = m.statementOf(g.node);
    ctx.report({
      node: g.node,
      message:
        `\`${name}.grad\` is read after \`backward()\`${b ? ` (line ${ctx.lineOf(b.node)})` : ''}, but \`${fnName}\` is called again ` +
        'before anything resets it: backward() adds into .grad, so from the second call on it holds the sum of all earlier ' +
        `gradients. Reset it after reading it (\`${name}.grad = None\`); \`model.zero_grad()\` resets only the model's parameters.`,
      related: b ? [{ node: b.node, message: 'backward() accumulates into .grad here' }] : [],
      fixes: [resetFix(ctx, stmt, name, false)],
    });
  }
}

/**
 * The same mistake without a loop: a leaf's `.grad` is read after one backward, a second backward runs with no reset
 * between, and `.grad` is read again (`out.backward(retain_graph=True); print(x.grad); out.backward(); print(x.grad)`).
 * Reading it between the two says each read was meant as its own gradient; the second holds their sum. Asked of the
 * analysis: a read whose buffer was filled by more than one backward and never zeroed (`fills`, `zeroed`), and an
 * earlier read of the same leaf that saw only some of those fills, before the others ran.
 */
function readBetweenBackwards(ctx: RuleContext, reported: Set<number>): void {
  const m = ctx.model;
  const a = ctx.analysis;
  const backwardAt = new Map(a.events.backwards.map((b) => [b.node.id, b]));
  const reads = a.events.gradReads;
  for (const g of reads) {
    if (g.fills.length < 2 || g.zeroed || reported.has(g.node.id)) continue;
    const L = g.owner.t?.leafOf;
    if (L === null || L === undefined) continue;
    if (isControlRead(m, g.node) || isParameterGrad(m, g.node)) continue;
    // An optimizer over the leaf: its zero_grad() resets it, which the buffers here do not follow.
    if (a.events.optimizers.some((o) => o.params.some((t) => t.leafOf === L || t.leaves.includes(L)))) continue;
    const fills = g.fills.map((id) => backwardAt.get(id)).filter((b) => b !== undefined);
    if (fills.length !== g.fills.length) continue;
    // Straight-line code: both backwards and both reads in one function, none in a loop (loops are decided above).
    if (fills.some((b) => b.fn !== g.fn || b.loop !== null) || g.loop !== null) continue;
    const first = reads.find(
      (r) => r !== g && r.owner.t?.leafOf === L && r.fn === g.fn && r.loop === null && r.node.start < g.node.start && !isControlRead(m, r.node) &&
        r.fills.length > 0 && r.fills.every((id) => g.fills.includes(id)) &&
        fills.some((b) => !r.fills.includes(b.node.id) && b.node.start > r.node.end),
    );
    if (!first) continue;
    const name = baseName(m, g.node);
    if (!name) continue;
    const second = fills.find((b) => !first.fills.includes(b.node.id) && b.node.start > first.node.end)!;
    reported.add(g.node.id);
    ctx.report({
      node: g.node,
      message:
        `\`${name}.grad\` was read on line ${ctx.lineOf(first.node)} and is read again after another \`backward()\` (line ` +
        `${ctx.lineOf(second.node)}) with no reset between: backward() adds into .grad, so this read holds the sum of both ` +
        `gradients, not the second one. Reset it after the first read (\`${name}.grad = None\`), or take each gradient with ` +
        '`torch.autograd.grad`.',
      related: [
        { node: first.node, message: 'the first gradient is read here' },
        { node: second.node, message: 'this backward adds to it' },
      ],
      fixes: [resetFix(ctx, m.statementOf(first.node), name, false)],
    });
  }
}

/** `<name>.grad = None` inserted after the statement that reads the buffer. */
function resetFix(ctx: RuleContext, stmt: PyNode, name: string, safe: boolean): Fix {
  return { title: `Reset ${name}.grad = None after reading it`, safe, edits: [ctx.insertAt(ctx.lineEndAfter(stmt), `${ctx.indentOf(stmt)}${name}.grad = None${ctx.eol}`)] };
}

/** The `lst.append(...)` call whose argument contains the read, within the statement. */
function appendCallAround(m: SemanticModel, read: PyNode, stmt: PyNode): PyNode | null {
  for (let n: PyNode | null = read.parent; n && n !== stmt.parent; n = n.parent) {
    if (n.type !== 'call') continue;
    const c = m.call(n);
    if (c && (c.method === 'append' || c.method === 'extend' || c.method === 'insert') && ![...c.positional].every((a) => a.end <= read.start || a.start >= read.end)) return n;
  }
  return null;
}
