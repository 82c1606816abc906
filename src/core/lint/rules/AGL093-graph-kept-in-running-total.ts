/**
 * AGL093 graph-kept-in-running-total: a running total over a loop (`total += loss`, `losses.append(loss)`) of a tensor
 * that still carries its graph, where that graph is never differentiated through the total: the loss was already
 * backpropagated in the same round (its graph is freed: a derivative through the total would raise), or the total is
 * only read as a number (printed, logged, `.item()`, compared). Each round links its whole graph to the total, so the
 * graphs of every round stay alive until the loop ends (the PyTorch FAQ's "accumulating history across your training
 * loop").
 *
 * Asked of the analysis: the value added (does it carry a live graph: parameters or leaves reached with recording on,
 * and which backward freed it) and where the total goes (every use of its name).
 */
import { tensorOfValue } from '../analysis/library';
import { isKind, Kind } from '../analysis/values';
import type { Rule, RuleContext } from '../rule';
import { field, namedChildren, nodesOfTypes, unparen, type PyNode } from '../tree';

const LOOPS = new Set(['for_statement', 'while_statement']);
/** Calls that read their argument as a number or text: printing, logging, converting. */
const DATA_CALL = /^(?:print|float|int|str|round|repr|format|len|isinstance|math\.\w+|(?:[\w.]*\.)?(?:log|log_dict|log_metrics|info|debug|warning|add_scalar|add_scalars|set_postfix|set_postfix_str|set_description|write))$/;
/** Methods that turn a tensor into a number. */
const DATA_METHODS = new Set(['item', 'tolist', 'numpy']);

/** Whether the model-call site `id` calls a thing of a library other than torch. */
function otherLibraryCall(a: RuleContext['analysis'], id: number): boolean {
  const c = a.events.modelCalls.find((m) => m.node.id === id);
  if (!c || !isKind(c.callee, Kind.LIB | Kind.LIBINST)) return false;
  return c.callee.lib.some((q) => q !== 'torch' && !q.startsWith('torch.'));
}

/** The innermost loop around `n` in its function, or null. */
function loopOf(n: PyNode): PyNode | null {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return null;
    if (LOOPS.has(p.type)) {
      const body = field(p, 'body');
      if (body && body.start <= n.start && n.end <= body.end) return p;
    }
  }
  return null;
}

function scopeOf(n: PyNode): PyNode {
  let p: PyNode | null = n.parent;
  while (p && p.type !== 'function_definition' && p.type !== 'module') p = p.parent;
  return p ?? n;
}

/** Per scope (a function or the module): its identifiers by name, as `usesOf` lists them; one walk per scope. */
const namesInScope = new WeakMap<PyNode, Map<string, PyNode[]>>();

/** Identifiers named `name` in `scope` (not in nested functions or lambdas), in pre-order. */
function usesOf(ctx: RuleContext, scope: PyNode, name: string): readonly PyNode[] {
  let byName = namesInScope.get(scope);
  if (!byName) {
    const names = new Map<string, PyNode[]>();
    const go = (n: PyNode): void => {
      for (const c of n.children) {
        if (c.type === 'function_definition' || c.type === 'lambda' || c.type === 'class_definition') continue;
        if (c.type === 'identifier' && !(c.parent?.type === 'attribute' && field(c.parent, 'attribute') === c) && !(c.parent?.type === 'keyword_argument' && field(c.parent, 'name') === c)) {
          const text = ctx.text(c);
          const list = names.get(text);
          if (list) list.push(c);
          else names.set(text, [c]);
        }
        go(c);
      }
    };
    go(field(scope, 'body') ?? scope);
    namesInScope.set(scope, (byName = names));
  }
  return byName.get(name) ?? [];
}

/**
 * Whether this occurrence of the total reads it only as a number: an argument of a printing, logging or converting
 * call (also inside an f-string, a dict or arithmetic there), `.item()`, a comparison; arithmetic bound to
 * another name whose uses are all such (`avg = total / n; print(avg)`), once. Also the total's own update.
 */
function readAsData(ctx: RuleContext, use: PyNode, scope: PyNode, depth: number): boolean {
  let n = use;
  for (let p = n.parent; p; n = p, p = p.parent) {
    switch (p.type) {
      case 'augmented_assignment':
        return field(p, 'left') === n;
      case 'binary_operator': {
        // `total = total + v`: the total's own update.
        const up = p.parent;
        if (field(p, 'left') === n && up?.type === 'assignment' && field(up, 'right') === p && ctx.text(field(up, 'left') ?? up) === ctx.text(n)) return true;
        continue;
      }
      case 'unary_operator':
      case 'parenthesized_expression':
      case 'interpolation':
      case 'string':
      case 'concatenated_string':
      case 'format_expression':
      case 'pair':
      case 'dictionary':
      case 'keyword_argument':
      case 'argument_list':
        continue;
      case 'comparison_operator':
        return true;
      case 'attribute': {
        const a = field(p, 'attribute');
        const call = p.parent?.type === 'call' && field(p.parent, 'function') === p ? p.parent : null;
        return !!a && !!call && DATA_METHODS.has(ctx.text(a)) && field(p, 'object') === n;
      }
      case 'call': {
        const fn = field(p, 'function');
        return !!fn && fn !== n && DATA_CALL.test(ctx.text(fn).replace(/\s+/g, ''));
      }
      case 'assignment': {
        const left = field(p, 'left');
        if (field(p, 'right') !== n || !left || left.type !== 'identifier' || depth > 0) return false;
        const name = ctx.text(left);
        return usesOf(ctx, scope, name).filter((u) => u !== left).every((u) => readAsData(ctx, u, scope, depth + 1));
      }
      default:
        return false;
    }
  }
  return false;
}

/**
 * Whether the grad mode of `scope` is in view: module code, or a function the file calls (an evaluation function
 * nobody here calls may be called under `torch.no_grad()` by another file). A backward in the loop shows it without.
 */
function recordsInView(ctx: RuleContext, scope: PyNode): boolean {
  if (scope.type === 'module') return true;
  const nameNode = field(scope, 'name');
  if (!nameNode) return false;
  const name = ctx.text(nameNode);
  return ctx.model.calls.some((c) => {
    if (scope.start <= c.node.start && c.node.end <= scope.end) return false;
    const fn = field(c.node, 'function');
    const text = fn ? ctx.text(fn) : '';
    return text === name || text.endsWith(`.${name}`);
  });
}

/** Whether `name` is bound (assigned) before `loop` in `scope`: the total is carried across the loop's rounds. */
function boundBefore(ctx: RuleContext, scope: PyNode, name: string, loop: PyNode): boolean {
  return usesOf(ctx, scope, name).some((u) => {
    const p = u.parent;
    return u.end <= loop.start && p?.type === 'assignment' && field(p, 'left') === u;
  });
}

export const AGL093: Rule = {
  meta: {
    code: 'AGL093',
    name: 'graph-kept-in-running-total',
    summary: 'A running total over a loop (`total += loss`) keeps the graph of every round although it is never differentiated.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds a running total over the rounds of a loop, `total += v` (or `-=`, `total = total + v`) with `total` bound before the loop, or ' +
        '`totals.append(v)`, where `v` is a tensor that carries a graph (computed with recording on from a model\'s ' +
        'parameters or from tensors that require grad) and that graph is never differentiated through the total: either ' +
        '`v`\'s graph was already freed by a `backward()` (or `torch.autograd.grad`) without `retain_graph` in the same ' +
        'round, before it is added, or every use of `total` reads it as a number (`print`, logging calls, `float(...)`, ' +
        '`.item()`, an f-string, a comparison, arithmetic bound to a name used so).',
      whyIsThisBad:
        'Adding a tensor with a graph to a total gives the total a `grad_fn` that links to the graph of that round, so ' +
        'the graphs of all rounds stay alive as long as the total does: without a `backward()` in the loop (an ' +
        'evaluation loop outside `no_grad`) every batch\'s activations are kept and memory grows until it runs out; with ' +
        'one, the chain of graph nodes still grows each round. The PyTorch FAQ names it "accumulating history across your ' +
        'training loop". The total is only wanted as a number, so nothing needs that history.',
      example: [
        '```python',
        'total_loss = 0',
        'for x, y in loader:',
        '    optimizer.zero_grad()',
        '    loss = criterion(model(x), y)',
        '    loss.backward()',
        '    optimizer.step()',
        '    total_loss += loss',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'total_loss = 0.0',
        'for x, y in loader:',
        '    optimizer.zero_grad()',
        '    loss = criterion(model(x), y)',
        '    loss.backward()',
        '    optimizer.step()',
        '    total_loss += loss.item()',
        '```',
      ].join('\n'),
      knownProblems:
        'Without a backward in the loop, a total in a function nothing in the file calls is not reported (its caller may ' +
        'run it under `torch.no_grad()`). A total returned from its function, stored on `self`, or passed to a call not known to read it as a number is ' +
        'reported only when its terms were already backpropagated in the loop (a caller might differentiate it ' +
        'otherwise). Values the analysis cannot tell to carry a graph (the output of a model it does not see) are not ' +
        'reported. A list of losses is reported only in the first form (backpropagated before being appended). A total of ' +
        'derivative terms (a divergence or a Jacobian trace summed over dimensions) is taken to keep its graph on purpose. ' +
        'Only a plain name is followed as the total (not `self.total` or `stats[\'loss\']`).',
      fixSafety: 'There is no fix: `.item()` synchronises with the GPU each round, `.detach()` keeps a tensor; the choice is the author\'s.',
      references: [
        '[PyTorch FAQ: accumulating history across your training loop](https://pytorch.org/docs/stable/notes/faq.html#my-model-reports-cuda-runtime-error-2-out-of-memory)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const a = ctx.analysis;
    for (const n of nodesOfTypes(ctx.tree, 'augmented_assignment', 'assignment', 'call')) {
      let target: PyNode | null = null;
      let value: PyNode | null = null;
      let list = false;
      if (n.type === 'augmented_assignment') {
        const op = n.children.find((c) => !c.named)?.type;
        if (op !== '+=' && op !== '-=') continue;
        target = field(n, 'left');
        value = field(n, 'right');
      } else if (n.type === 'assignment') {
        // `total = total + v`
        const left = field(n, 'left');
        const right = field(n, 'right');
        if (left?.type !== 'identifier' || right?.type !== 'binary_operator') continue;
        const op = right.children.find((c) => !c.named)?.type;
        const l = field(right, 'left');
        if ((op !== '+' && op !== '-') || l?.type !== 'identifier' || ctx.text(l) !== ctx.text(left)) continue;
        target = left;
        value = field(right, 'right');
      } else if (n.type === 'call') {
        const fn = field(n, 'function');
        if (fn?.type !== 'attribute' || ctx.text(field(fn, 'attribute') ?? fn) !== 'append') continue;
        const args = namedChildren(field(n, 'arguments') ?? n);
        if (args.length !== 1) continue;
        target = field(fn, 'object');
        value = args[0];
        list = true;
      } else continue;
      if (!target || !value || target.type !== 'identifier') continue;
      const loop = loopOf(n);
      if (!loop) continue;
      const scope = scopeOf(n);
      const name = ctx.text(target);
      const v = a.valueOf(value) ?? a.valueOf(unparen(value));
      if (!v) continue;
      const t = tensorOfValue(v);
      // Surely a tensor (not a number, nor something an unknown call may return).
      if (v.kind !== Kind.TENSOR) continue;
      if (!t || t.recOff !== null || t.inference || (t.params.length === 0 && t.leaves.length === 0)) continue;
      // `fmt % value` is string formatting (deepmd-kit's progress line), not a tensor.
      const u = unparen(value);
      if (u.type === 'binary_operator' && ctx.text(field(u, 'operator') ?? u) === '%') continue;
      // A graph through another library's model or function (botorch's `optimize_acqf`, a GP): the library decides
      // whether what it returns is detached.
      if (t.params.some((id) => otherLibraryCall(a, id))) continue;
      // A total of derivative terms (a divergence, a Hessian's trace) is built with its graph on purpose.
      if (t.dGraph.length > 0 || t.dNoGraph.length > 0 || t.order > 0) continue;
      // (Asked after the value's questions: it walks the whole scope, and most additions in loops are not of graphs.)
      if (!boundBefore(ctx, scope, name, loop)) continue;
      // The graph was freed in this round, before the value was added: no derivative can go through the total.
      const freedBy = t.freed
        .map((id) => ctx.tree.nodes[id])
        .find((b) => b && b.start < n.start && loopOf(b) === loop);
      const dataOnly = !list && recordsInView(ctx, scope) && usesOf(ctx, scope, name).every((u) => u === target || readAsData(ctx, u, scope, 0) || (u.parent?.type === 'assignment' && field(u.parent, 'left') === u));
      if (!freedBy && !dataOnly) continue;
      // Without a backward of it in view, what an unknown call returns from arguments that reach the parameters only
      // through a cut (`env.step(action)` of a gym environment, the action taken through `.data.numpy()`) carries no graph.
      if (!freedBy && t.opaque && t.params.every((p) => t.cuts.some((c) => c.origin === p))) continue;
      const what = ctx.text(value).replace(/\s+/g, ' ').slice(0, 40);
      const simple = /^[\w.]+$/.test(what);
      const why = freedBy
        ? `its graph was already backpropagated at line ${ctx.lineOf(freedBy)}, so no derivative can go through \`${name}\``
        : `\`${name}\` is only read as a number`;
      ctx.report({
        node: n,
        message:
          `\`${ctx.text(n).replace(/\s+/g, ' ').slice(0, 60)}\` keeps the graph of every round of the loop at line ${ctx.lineOf(loop)} alive: ` +
          `\`${what}\` carries a graph and ${why}. Accumulate a number (${simple ? `\`${what}.item()\`` : 'its `.item()`'}) or a detached tensor (${simple ? `\`${what}.detach()\`` : 'its `.detach()`'}).`,
        related: [...(freedBy ? [{ node: freedBy, message: 'the graph is backpropagated here' }] : []), { node: loop, message: 'the loop' }],
      });
    }
  },
};
