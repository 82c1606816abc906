/**
 * AGL083 iterator-consumed-twice: a one-shot iterator — `zip(grads, variables)`, `map(...)`, `filter(...)`, a
 * generator expression, the generator `model.parameters()` returns — bound to a name and consumed twice: a logging
 * loop over the gradient pairs and then `optimizer.apply_gradients(pairs)`, `torch.optim.Adam(params)` and then
 * `clip_grad_norm_(params, ...)`, or a single consumption inside a training loop while the iterator was made once
 * before it. The second consumer gets an empty iterator: no pair is applied, no gradient clipped, no parameter
 * given to the second optimizer. The question to the semantic model: does one binding of an iterator reach two
 * consuming uses on one path (or one consuming use that a loop repeats)?
 */
import type { Rule, RuleContext } from '../rule';
import type { Binding, CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { field, namedChildren, nodesOfType, unparen, walk, type PyNode } from '../tree';

/** Builtins and itertools functions whose result is a one-shot iterator. */
const ITERATOR_FUNCTIONS = new Set([
  'zip', 'map', 'filter', 'reversed', 'iter', 'enumerate',
  'itertools.chain', 'itertools.chain.from_iterable', 'itertools.islice', 'itertools.starmap', 'itertools.zip_longest',
  'itertools.product', 'itertools.combinations', 'itertools.permutations', 'itertools.compress', 'itertools.filterfalse',
  'itertools.takewhile', 'itertools.dropwhile', 'itertools.accumulate',
]);
/** In Python 2, `zip`, `map` and `filter` returned lists. */
const PY2_LISTS = new Set(['zip', 'map', 'filter']);
/** `torch.nn.Module` methods that return a generator. */
const MODULE_GENERATORS = new Set(['parameters', 'named_parameters', 'buffers', 'named_buffers', 'children', 'named_children', 'modules', 'named_modules']);
/** Builtins that run an iterable to its end. */
const CONSUMING_BUILTINS = new Set(['list', 'tuple', 'set', 'frozenset', 'dict', 'sorted', 'sum', 'max', 'min', 'any', 'all']);
/** Library functions that read every item of an iterable argument. */
const CONSUMING_FUNCTIONS = new Set([
  'torch.nn.utils.clip_grad_norm_', 'torch.nn.utils.clip_grad_value_', 'torch.nn.utils.clip_grad_norm',
  'torch.nn.utils.parameters_to_vector', 'torch.nn.utils.convert_parameters.parameters_to_vector',
]);
/** Builtins that wrap an iterable lazily: consumed when their result is. */
const LAZY_WRAPPERS = new Set(['zip', 'enumerate', 'map', 'filter', 'reversed']);
/** Methods that read every item of their iterable argument. */
const CONSUMING_METHODS = new Set(['apply_gradients', 'extend']);

interface Producer {
  /** The name (`pairs`) or attribute (`self.params`) bound to the iterator. */
  name: string;
  expr: PyNode;
  what: string;
}

function isPython2(ctx: RuleContext): boolean {
  if (nodesOfType(ctx.tree, 'print_statement').length > 0 || nodesOfType(ctx.tree, 'exec_statement').length > 0) return true;
  return /\b(?:xrange|iteritems|itervalues)\b/.test(ctx.source);
}

function producerOf(ctx: RuleContext, b: Binding, py2: boolean): Producer | null {
  if (b.kind !== 'assign' || b.path.length > 0 || !b.value) return null;
  return producerExpr(ctx, b.name, b.value, py2);
}

function producerExpr(ctx: RuleContext, name: string, value: PyNode, py2: boolean): Producer | null {
  const m = ctx.model;
  const v = unparen(value);
  if (v.type === 'generator_expression') return { name, expr: v, what: 'a generator expression' };
  if (v.type !== 'call') return null;
  const c = m.call(v);
  if (!c) return null;
  if (c.qname && ITERATOR_FUNCTIONS.has(c.qname) && !c.local) {
    if (py2 && PY2_LISTS.has(c.qname)) return null;
    return { name, expr: v, what: `\`${c.qname}(...)\`, an iterator` };
  }
  if (c.method && MODULE_GENERATORS.has(c.method) && c.receiver && !c.local && c.positional.length === 0 && !c.hasStarArgs) {
    // A class of the file that defines its own `parameters()` (a from-scratch autograd returns a list) is not a torch module.
    if (definesMethodInFile(m, c.method)) return null;
    if (!mentionsTorch(ctx)) return null;
    return { name, expr: v, what: `the generator \`${ctx.text(v)}\` returns` };
  }
  return null;
}

function definesMethodInFile(m: SemanticModel, name: string): boolean {
  return m.functions.some((f) => f.isMethod && f.name === name);
}

function mentionsTorch(ctx: RuleContext): boolean {
  return /\btorch\b/.test(ctx.source);
}

/** A `for` statement whose own body (not a nested loop or function) can `break`: it may stop early, on purpose. */
function loopBreaks(loop: PyNode): boolean {
  let found = false;
  const body = field(loop, 'body');
  if (!body) return false;
  const visit = (n: PyNode): void => {
    if (found) return;
    if (n.type === 'break_statement' || n.type === 'return_statement') { found = true; return; }
    if (n.type === 'for_statement' || n.type === 'while_statement') {
      // A return in a nested loop still leaves this one.
      walk(n, (x) => { if (x.type === 'return_statement') found = true; return x.type !== 'function_definition' && x.type !== 'lambda' && x.type !== 'class_definition'; });
      return;
    }
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return;
    for (const c of n.children) visit(c);
  };
  for (const c of body.children) visit(c);
  return found;
}

interface Consumption {
  use: PyNode;
  /** The node that consumes (a for statement, a call). */
  by: PyNode;
  how: string;
  /** What the consumer does with an empty iterator. */
  effect: string;
}

/** Whether the identifier use `u` runs the iterator to its end, and how. */
function consumption(ctx: RuleContext, u: PyNode, depth: number): Consumption | null {
  const m = ctx.model;
  let e: PyNode = u;
  while (e.parent && e.parent.type === 'parenthesized_expression') e = e.parent;
  const p = e.parent;
  if (!p) return null;
  if (p.type === 'for_statement' && field(p, 'right') === e) {
    if (loopBreaks(p)) return null;
    return { use: u, by: p, how: `the \`for\` loop at line ${ctx.lineOf(p)}`, effect: 'its body does not run' };
  }
  if (p.type === 'for_in_clause' && field(p, 'right') === e) {
    const comp = p.parent;
    if (!comp) return null;
    if (comp.type === 'list_comprehension' || comp.type === 'set_comprehension' || comp.type === 'dictionary_comprehension') return { use: u, by: comp, how: `the comprehension at line ${ctx.lineOf(comp)}`, effect: 'it is empty' };
    if (comp.type === 'generator_expression' && comp.parent?.type === 'argument_list') {
      const c = m.call(comp.parent.parent!);
      if (c && c.qname && CONSUMING_BUILTINS.has(c.qname)) return { use: u, by: c.node, how: `\`${c.qname}(...)\` at line ${ctx.lineOf(c.node)}`, effect: 'it sees no item' };
    }
    return null;
  }
  let arg: PyNode = e;
  let star = false;
  let kw: string | null = null;
  if (p.type === 'list_splat') { arg = p; star = true; }
  else if (p.type === 'keyword_argument' && field(p, 'value') === e) { arg = p; kw = ctx.text(field(p, 'name') ?? p); }
  const al = arg.parent;
  if (!al || al.type !== 'argument_list' || !al.parent || al.parent.type !== 'call') return null;
  const c = m.call(al.parent);
  if (!c) return null;
  const callee = ctx.text(field(c.node, 'function') ?? c.node);
  if (star) return { use: u, by: c.node, how: `the unpacking \`*${ctx.text(e)}\` at line ${ctx.lineOf(c.node)}`, effect: 'no argument is passed' };
  if (c.local) return consumedByHelper(ctx, c, c.local, e, kw, depth);
  // `for g, v in zip(grads, variables)`: a lazy wrapper consumed to its end consumes what it wraps.
  if (kw === null && c.qname && LAZY_WRAPPERS.has(c.qname) && depth < 3) {
    const outer = consumption(ctx, c.node, depth + 1);
    return outer ? { ...outer, use: u } : null;
  }
  if (kw === null && c.qname && CONSUMING_BUILTINS.has(c.qname)) return { use: u, by: c.node, how: `\`${callee}(...)\` at line ${ctx.lineOf(c.node)}`, effect: 'it sees no item' };
  if (c.qname && (/^torch\.optim\.[A-Z]\w*$/.test(c.qname) || CONSUMING_FUNCTIONS.has(c.qname))) {
    if (kw !== null && kw !== 'params' && kw !== 'parameters') return null;
    const effect = c.qname.startsWith('torch.optim.') ? 'the optimizer gets no parameter ("optimizer got an empty parameter list")' : /clip_grad/.test(c.qname) ? 'no gradient is clipped' : 'it sees no tensor';
    return { use: u, by: c.node, how: `\`${callee}(...)\` at line ${ctx.lineOf(c.node)}`, effect };
  }
  if (c.method && CONSUMING_METHODS.has(c.method) && (kw === null || kw === 'grads_and_vars') && (c.positional[0] === e || kw !== null)) {
    const effect = c.method === 'apply_gradients' ? 'no gradient is applied (or it raises "No gradients provided for any variable")' : 'nothing is added';
    return { use: u, by: c.node, how: `\`${callee}(...)\` at line ${ctx.lineOf(c.node)}`, effect };
  }
  return null;
}

/** A function of the file given the iterator: consumed when that parameter is consumed in its body. */
function consumedByHelper(ctx: RuleContext, c: CallInfo, fn: FunctionInfo, e: PyNode, kw: string | null, depth: number): Consumption | null {
  if (depth > 1 || c.hasStarArgs || c.hasKwargs) return null;
  let param: Binding | undefined;
  if (kw !== null) param = fn.params.find((b) => b.name === kw);
  else {
    const k = c.positional.indexOf(e);
    if (k < 0) return null;
    const shift = fn.isMethod && c.method !== null && fn.params[0]?.name === 'self' ? 1 : 0;
    param = fn.params[k + shift];
  }
  if (!param || param.param?.star !== 'none') return null;
  const m = ctx.model;
  for (const u of m.usesOf(param)) {
    if (m.enclosingFunction(u) !== fn) continue;
    const inner = consumption(ctx, u, depth + 1);
    if (inner) return { use: e, by: c.node, how: `\`${ctx.text(field(c.node, 'function') ?? c.node)}(...)\` at line ${ctx.lineOf(c.node)} (${inner.how.replace(/ at line \d+$/, '')} at line ${ctx.lineOf(inner.by)} runs through it)`, effect: inner.effect };
  }
  return null;
}

/** The child of `anc` on the way to `n`. */
function childToward(anc: PyNode, n: PyNode): PyNode | null {
  let x: PyNode | null = n;
  while (x && x.parent !== anc) x = x.parent;
  return x;
}

function lowestCommonAncestor(a: PyNode, b: PyNode): PyNode | null {
  const seen = new Set<PyNode>();
  for (let x: PyNode | null = a; x; x = x.parent) seen.add(x);
  for (let y: PyNode | null = b; y; y = y.parent) if (seen.has(y)) return y;
  return null;
}

const EXCLUSIVE = new Set(['if_statement', 'try_statement', 'conditional_expression', 'boolean_operator', 'match_statement']);
const ENDS_PATH = new Set(['return_statement', 'raise_statement', 'break_statement', 'continue_statement']);

/** Whether the second consumption runs after the first on some path: not in exclusive branches, no exit between. */
function sequential(first: PyNode, second: PyNode): boolean {
  const lca = lowestCommonAncestor(first, second);
  if (!lca) return false;
  const a = childToward(lca, first);
  const b = childToward(lca, second);
  if (!a || !b || a === b) return false;
  if (EXCLUSIVE.has(lca.type)) return false;
  // An exit after the first consumption, in a block the second is not in, ends that path.
  for (let x: PyNode | null = first; x && x !== lca; x = x.parent) {
    const blk: PyNode | null = x.parent;
    if (!blk || blk === lca || blk.type !== 'block') continue;
    const kids = namedChildren(blk);
    const i = kids.indexOf(x);
    if (kids.slice(i + 1).some((s) => ENDS_PATH.has(s.type))) return false;
  }
  return true;
}

/** The loop around `use` (within its function) that the binding is outside of, when nothing in it rebinds the name. */
function repeatingLoop(m: SemanticModel, b: Binding, use: PyNode, by: PyNode): PyNode | null {
  let loop = m.loopOf(use);
  // The consuming `for` itself is not a repetition, nor is a loop whose iterable the use sits in
  // (`for k, v in sorted(items):` evaluates `sorted(items)` once, before the first round).
  if (loop === by) loop = m.loopOf(by);
  const inIterable = (l: PyNode): boolean => {
    const r = l.type === 'for_statement' ? field(l, 'right') : null;
    return !!r && r.start <= use.start && use.end <= r.end;
  };
  while (loop && inIterable(loop)) loop = m.loopOf(loop);
  if (!loop || (loop.start <= b.stmt.start && b.stmt.end <= loop.end)) return null;
  if (m.reachingBindings(use).some((r) => r.stmt.start >= loop!.start && r.stmt.end <= loop!.end)) return null;
  if (loop.type === 'while_statement' || loopBreaks(loop)) return null;
  // Run under a condition inside the loop (`if opt is None: opt = Adam(params)`): maybe once.
  for (let x: PyNode | null = use.parent; x && x !== loop; x = x.parent) if (EXCLUSIVE.has(x.type) || x.type === 'elif_clause' || x.type === 'else_clause') return null;
  return loop;
}

/** The method a node is in and the class that method belongs to. */
function methodAndClass(n: PyNode): { method: PyNode; cls: PyNode } | null {
  let method: PyNode | null = null;
  for (let x = n.parent; x; x = x.parent) {
    if (x.type === 'function_definition' && !method) method = x;
    else if (x.type === 'function_definition' || x.type === 'lambda') continue;
    if (x.type === 'class_definition') {
      if (!method) return null;
      // The method must be directly in the class body (possibly decorated).
      let p = method.parent;
      if (p?.type === 'decorated_definition') p = p.parent;
      return p?.parent === x ? { method, cls: x } : null;
    }
  }
  return null;
}

/**
 * `self.params = model.parameters()` in a method (the constructor), consumed there (an optimizer) and again later in
 * that method or in another method of the class (`clip_grad_norm_(self.params, ...)` in the training step).
 */
function checkAttributes(ctx: RuleContext, py2: boolean): void {
  const m = ctx.model;
  const stores = m.mutations.filter((mu) => mu.kind === 'attribute' && mu.name === 'self' && mu.attr !== null);
  const done = new Set<string>();
  for (const mu of stores) {
    const st = mu.stmt;
    if (st.type !== 'expression_statement') continue;
    const asg = namedChildren(st)[0];
    if (!asg || asg.type !== 'assignment' || field(asg, 'left') !== mu.target) continue;
    const right = field(asg, 'right');
    if (!right) continue;
    const prod = producerExpr(ctx, `self.${mu.attr}`, right, py2);
    if (!prod) continue;
    const home = methodAndClass(st);
    if (!home || done.has(`${home.cls.id}:${mu.attr}`)) continue;
    done.add(`${home.cls.id}:${mu.attr}`);
    // Every `self.<attr>` of the class, in its methods; another store of the attribute: not followed.
    const refs: PyNode[] = [];
    let rebound = false;
    walk(home.cls, (x) => {
      if (x.type === 'class_definition' && x !== home.cls) return false;
      if (x.type !== 'attribute' || x === mu.target) return;
      const o = field(x, 'object');
      const a = field(x, 'attribute');
      if (!o || !a || o.type !== 'identifier' || ctx.text(o) !== 'self' || ctx.text(a) !== mu.attr) return;
      const p = x.parent;
      if (p && (p.type === 'assignment' || p.type === 'augmented_assignment') && field(p, 'left') === x) rebound = true;
      else refs.push(x);
    });
    if (rebound) continue;
    const consumed = refs.map((r) => consumption(ctx, r, 0)).filter((c): c is Consumption => c !== null);
    const firsts = consumed.filter((c) => methodAndClass(c.use)?.method === home.method && c.use.start > st.end);
    if (firsts.length === 0) continue;
    const first = firsts[0];
    const second = consumed.find((c) => {
      if (c === first || c.by === first.by) return false;
      const mc = methodAndClass(c.use);
      if (!mc || mc.cls !== home.cls) return false;
      return mc.method === home.method ? c.use.start > first.use.start && sequential(first.by, c.by) : true;
    });
    if (!second) continue;
    report(ctx, prod, second, `${first.how} already ran through it`, first);
  }
}

export const AGL083: Rule = {
  meta: {
    code: 'AGL083',
    name: 'iterator-consumed-twice',
    summary: 'A one-shot iterator (`zip(grads, vars)`, `map`, a generator, `model.parameters()`) consumed twice: the second consumer gets nothing.',
    framework: 'any',
    defaultSeverity: 'warning',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds a name bound to a one-shot iterator — `zip(...)`, `map(...)`, `filter(...)`, `enumerate`, `reversed`, `iter`, ' +
        '`itertools` iterators, a generator expression, or the generator that `model.parameters()` (`named_parameters`, ' +
        '`buffers`, `children`, `modules`) returns — that is run to its end twice on one path: by a `for` loop, a ' +
        'comprehension, `list`/`sum`/`dict`..., an optimizer\'s constructor, `clip_grad_norm_`, `apply_gradients`, `*args` ' +
        'unpacking, or a function of the file whose parameter is consumed so; or consumed once inside a loop (not under a ' +
        'condition) while the iterator was made once before the loop. An iterator kept as `self.params` in a method that ' +
        'consumes it (an optimizer in `__init__`) and consumed again in the class (`clip_grad_norm_(self.params, ...)` in the ' +
        'training step) is reported too.',
      whyIsThisBad:
        'An iterator yields its items once. After a gradient-summary loop over `grads_and_vars = zip(grads, variables)`, ' +
        '`optimizer.apply_gradients(grads_and_vars)` receives nothing and no variable is updated (or it raises "No gradients ' +
        'provided"). After `torch.optim.Adam(params)` consumed `params = model.parameters()`, `clip_grad_norm_(params, 1.0)` ' +
        'clips nothing and a second optimizer raises "optimizer got an empty parameter list"; a `clip_grad_norm_(params)` in ' +
        'the training loop clips only in the first step. Nothing else fails: the training runs without the update or the ' +
        'clipping it was written to have.',
      example:
        '```python\ngrads = tape.gradient(loss, model.trainable_variables)\ngrads_and_vars = zip(grads, model.trainable_variables)\n' +
        'for g, v in grads_and_vars:\n    tf.summary.histogram(v.name, g, step=step)\noptimizer.apply_gradients(grads_and_vars)\n```',
      useInstead:
        '```python\ngrads = tape.gradient(loss, model.trainable_variables)\ngrads_and_vars = list(zip(grads, model.trainable_variables))\n' +
        'for g, v in grads_and_vars:\n    tf.summary.histogram(v.name, g, step=step)\noptimizer.apply_gradients(grads_and_vars)\n```',
      knownProblems:
        'A name bound to the iterator is followed through one level of the file\'s functions; an attribute ' +
        '(`self.params = model.parameters()`) only when the method that stores it consumes it and the class consumes it again. A loop that may stop early (`break`, `return`) or a consumption under a condition inside a loop is ' +
        'not reported. `zip`, `map` and `filter` are not reported in a file written for Python 2, where they return lists. ' +
        'A class of the file that defines its own `parameters()` is taken to return a list.',
      fixSafety:
        'The fix makes the iterator a list where it is made (`list(zip(grads, variables))`). It is unsafe: a `map` whose ' +
        'function has side effects then runs them all at once, and an endless iterator never ends.',
      references: [
        '[Python glossary: iterator](https://docs.python.org/3/glossary.html#term-iterator)',
        '[torch.nn.Module.parameters](https://pytorch.org/docs/stable/generated/torch.nn.Module.html#torch.nn.Module.parameters)',
        '[tf.keras.optimizers.Optimizer.apply_gradients](https://www.tensorflow.org/api_docs/python/tf/keras/optimizers/Optimizer#apply_gradients)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    let py2: boolean | null = null;
    if (m.mutations.some((mu) => mu.kind === 'attribute' && mu.name === 'self')) {
      py2 = isPython2(ctx);
      checkAttributes(ctx, py2);
    }
    for (const b of m.bindings) {
      if (b.kind !== 'assign' || !b.value) continue;
      const v = unparen(b.value);
      if (v.type !== 'call' && v.type !== 'generator_expression') continue;
      if (py2 === null) py2 = isPython2(ctx);
      const prod = producerOf(ctx, b, py2);
      if (!prod) continue;
      const fn = m.enclosingFunction(b.stmt);
      const uses = m.usesOf(b).filter((u) => m.enclosingFunction(u) === fn && u.start > b.stmt.end - 1);
      const consumed: Consumption[] = [];
      for (const u of uses) {
        const c = consumption(ctx, u, 0);
        if (c) consumed.push(c);
      }
      if (consumed.length === 0) continue;
      let reported = false;
      for (let j = 1; j < consumed.length && !reported; j++) {
        const second = consumed[j];
        // Another binding of the name reaching the second use (`pairs = transform(pairs)` on some path) still leaves this one.
        if (!m.reachingBindings(second.use).includes(b)) continue;
        for (let i = 0; i < j; i++) {
          const first = consumed[i];
          if (first.by === second.by || !sequential(first.by, second.by)) continue;
          report(ctx, prod, second, `${first.how} already ran through it`, first);
          reported = true;
          break;
        }
      }
      if (reported) continue;
      for (const c of consumed) {
        const loop = repeatingLoop(m, b, c.use, c.by);
        if (!loop) continue;
        report(ctx, prod, c, `it is made once, before the loop at line ${ctx.lineOf(loop)}, so the first round already ran through it`, null, loop);
        break;
      }
    }
  },
};

function report(ctx: RuleContext, prod: Producer, c: Consumption, why: string, first: Consumption | null, loop?: PyNode): void {
  const name = prod.name;
  const related = [{ node: prod.expr, message: `\`${name}\` is ${prod.what} (one pass only)` }];
  if (first) related.push({ node: first.by, message: 'consumed here first' });
  if (loop) related.push({ node: loop, message: 'the loop that repeats the consumption' });
  ctx.report({
    node: c.use,
    message:
      `\`${name}\` is ${prod.what}, which yields its items once: ${why}, so ${c.how.replace(/ at line \d+( \(.*\))?$/, '')} gets an empty ` +
      `iterator here: ${c.effect}. Make it a list where it is made: \`${name} = list(${ctx.text(prod.expr).slice(0, 60)})\`.`,
    related,
    fixes: [{ title: `Make \`${name}\` a list (unsafe: runs the iterator once, at once)`, safe: false, edits: [ctx.replace(prod.expr, `list(${prod.expr.type === 'generator_expression' ? ctx.text(prod.expr).slice(1, -1) : ctx.text(prod.expr)})`)] }],
  });
}
