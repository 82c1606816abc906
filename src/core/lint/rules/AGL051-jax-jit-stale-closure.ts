/**
 * AGL051 jax-jit-stale-closure: a function compiled with `jax.jit` (directly or around `jax.grad`,
 * `vmap`, ...) reads a variable of an enclosing scope, and that variable is reassigned after the jitted
 * function has run, then the jitted function is called again. `jit` traces on the first call and bakes
 * closed-over Python values into the compiled function as constants, so the later calls still compute
 * with the old value. Checked against JAX's documentation, not run.
 */
import { JAX_TRANSFORMS, resolveFunction } from '../jax';
import type { Rule, RuleContext } from '../rule';
import type { Binding, CallInfo, FunctionInfo, SemanticModel } from '../semantic';
import { contains, field, namedChildren, unparen, walk, type PyNode } from '../tree';

const JIT = new Set(['jax.jit', 'jax.pmap']);
const REBINDS = new Set(['assign', 'augassign', 'for', 'with', 'walrus']);

/** The function a `jax.jit(...)` argument compiles, through `jax.grad`/`vmap`/... wrappers. */
function jittedFunction(m: SemanticModel, arg: PyNode): FunctionInfo | null {
  let n = unparen(arg);
  for (let i = 0; i < 6 && n.type === 'call'; i++) {
    const c = m.call(n);
    if (!c || !c.qname || !JAX_TRANSFORMS.has(c.qname) || c.calleeCall) return null;
    const inner = c.keywords.get('fun') ?? c.positional[0];
    if (!inner) return null;
    n = unparen(inner);
  }
  return resolveFunction(m, n);
}

interface Jitted {
  /** The `jax.jit(...)` call or the decorated definition. */
  site: PyNode;
  fn: FunctionInfo;
  /** The name the compiled function is called by. */
  name: string;
  /** The scope that name is bound in. */
  scope: PyNode;
  /** For `jax.jit(f)(x)` written at each call: those calls (they share one compilation cache, keyed on `f`). */
  inline?: CallInfo[];
}

/** `g = jax.jit(f)` (or of `jax.grad(f)`, ...) and `@jax.jit def f`. */
function jittedFunctions(m: SemanticModel): Jitted[] {
  const out: Jitted[] = [];
  for (const c of m.calls) {
    if (!c.qname || !JIT.has(c.qname) || c.calleeCall || hasStaticArgs(c)) continue;
    const arg = c.keywords.get('fun') ?? c.positional[0];
    if (!arg) continue;
    const fn = jittedFunction(m, arg);
    if (!fn) continue;
    const stmt = c.node.parent;
    if (!stmt || stmt.type !== 'assignment' || field(stmt, 'right') !== c.node) continue;
    const left = field(stmt, 'left');
    if (!left || left.type !== 'identifier') continue;
    out.push({ site: c.node, fn, name: m.textOf(left), scope: c.scope.node });
  }
  // `jax.jit(f)(x)` at each call: jit's cache is keyed on the function, so a second `jax.jit(f)` reuses the
  // first compilation (JAX's "Sharp Bits", pure functions).
  const inline = new Map<FunctionInfo, CallInfo[]>();
  for (const c of m.calls) {
    const inner = c.calleeCall;
    if (!inner || !inner.qname || !JIT.has(inner.qname) || hasStaticArgs(inner)) continue;
    const arg = inner.keywords.get('fun') ?? inner.positional[0];
    const fn = arg ? jittedFunction(m, arg) : null;
    if (!fn || fn.name === '<lambda>') continue;
    inline.set(fn, [...(inline.get(fn) ?? []), c]);
  }
  // `g = jax.jit(f)` made again later for the same function (`g = jax.jit(f)` after a change, or an inline
  // `jax.jit(f)(x)`) shares that cache too (jax issue 28225): all their calls are calls of one compilation.
  const assigned = new Map<FunctionInfo, Jitted[]>();
  for (const j of out) assigned.set(j.fn, [...(assigned.get(j.fn) ?? []), j]);
  for (const fn of new Set([...inline.keys(), ...assigned.keys()])) {
    if (fn.name === '<lambda>' || !definedOnce(fn)) continue;
    const sites = assigned.get(fn) ?? [];
    const inlineCalls = inline.get(fn) ?? [];
    if (sites.length + inlineCalls.length < 2) continue;
    const scope = sites[0]?.scope ?? inlineCalls[0].scope.node;
    const here = sites.filter((j) => j.scope === scope);
    const inlineHere = inlineCalls.filter((c) => c.scope.node === scope);
    const calls = [...here.flatMap((j) => callsOf(m, j)), ...inlineHere].sort((a, b) => a.node.start - b.node.start);
    const first = [...here.map((j) => j.site), ...inlineHere.map((c) => c.calleeCall!.node)].sort((a, b) => a.start - b.start)[0];
    if (first && calls.length >= 2) out.push({ site: first, fn, name: fn.name, scope, inline: calls });
  }
  for (const fn of m.functions) {
    if (fn.name === '<lambda>' || !fn.decorators.some((d) => JIT.has(d))) continue;
    const def = fn.node.parent?.type === 'decorated_definition' ? fn.node.parent : fn.node;
    // `@jax.jit(static_argnums=...)`: retraces for each new static value.
    if (def.children.some((d) => d.type === 'decorator' && namedChildren(d)[0]?.type === 'call')) continue;
    out.push({ site: def, fn, name: fn.name, scope: fn.scope.parent?.node ?? fn.scope.node });
  }
  return out;
}

/** A `def` executed once (not in a loop, not rebound), so every `jax.jit(f)` of it sees one function object. */
function definedOnce(fn: FunctionInfo): boolean {
  const outer = fn.scope.parent;
  if (!outer) return false;
  const defs = outer.bindings.get(fn.name) ?? [];
  return defs.length === 1 && defs[0].kind === 'def' && defs[0].loop === null;
}

/**
 * `jax.jit(f, static_argnums=...)`: each new value of a static argument traces again and then sees the
 * closed-over variables' current values, so which calls are stale depends on values the code does not show.
 */
function hasStaticArgs(c: CallInfo): boolean {
  return c.keywords.has('static_argnums') || c.keywords.has('static_argnames') || c.positional.length > 1 || c.hasKwargs;
}

/** Reads inside `fn` (and functions nested in it) of variables bound in an enclosing function or the module. */
function freeReads(m: SemanticModel, fn: FunctionInfo): Map<Binding, PyNode> {
  const reads = new Map<Binding, PyNode>();
  const body = field(fn.node, 'body');
  if (!body) return reads;
  walk(body, (n) => {
    if (n.type !== 'identifier' || !m.isUse(n)) return;
    // A closed-over function called inside (`opt_update(...)` of a rebuilt optimizer) is rebound to what is
    // usually an equivalent function; only data is judged.
    const p = n.parent;
    if (p && p.type === 'call' && field(p, 'function') === n) return;
    for (const b of m.reachingBindings(n)) {
      if (!REBINDS.has(b.kind) || contains(fn.node, b.stmt)) continue;
      if (!reads.has(b)) reads.set(b, n);
    }
  });
  return reads;
}

/** Calls `name(...)` in `scopeNode`'s own scope (the name as bound there). */
function callsOf(m: SemanticModel, j: Jitted): CallInfo[] {
  return m.calls.filter((c) => {
    const f = field(c.node, 'function');
    if (!f || f.type !== 'identifier' || m.textOf(f) !== j.name || c.scope.node !== j.scope) return false;
    return m.reachingBindings(f).some((b) => contains(b.stmt, j.site) || b.stmt === j.site);
  });
}

export const AGL051: Rule = {
  meta: {
    code: 'AGL051',
    name: 'jax-jit-stale-closure',
    summary:
      'A jitted function reads a variable of an enclosing scope that is reassigned after the function has already run: ' +
      '`jax.jit` compiled the old value in, so later calls use it. Pass the value as an argument.',
    framework: 'jax',
    defaultSeverity: 'warning',
    fixable: false,
    docs: {
      whatItDoes:
        'Finds functions compiled with `jax.jit` (`g = jax.jit(f)`, `g = jax.jit(jax.grad(f))` and other transforms inside ' +
        'the `jit`, `@jax.jit def f`, or `jax.jit(f)(x)` written at each call, which reuses the first compilation since the ' +
        'cache is keyed on `f`, as is a later `g = jax.jit(f)` of the same function) whose body reads a variable bound in an enclosing function or at module level, ' +
        'where that variable is assigned again after the compiled function has been called once and before it is called ' +
        'again: in straight-line code (a call, then the assignment, then another call), or in a loop that assigns the ' +
        'variable and calls the compiled function made before the loop.',
      whyIsThisBad:
        '`jax.jit` traces the Python function on its first call (for each input shape and dtype) and reuses the compiled ' +
        'result afterwards. Values the function takes from its enclosing scope are not arguments: they are read once during ' +
        'tracing and become constants of the compiled program. After `a = 20`, the jitted gradient still multiplies by the ' +
        'old `a = 10`, with no error or warning; without `jit` the same code gives the new answer, so the difference ' +
        'appears only when compilation is switched on.',
      example: [
        '```python',
        'a = 10',
        'def loss(w):',
        '    return jnp.sum(w ** 2) * a',
        'grad_fn = jax.jit(jax.grad(loss))',
        'g1 = grad_fn(w)',
        'a = 20',
        'g2 = grad_fn(w)   # still the gradient for a = 10',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'def loss(w, a):',
        '    return jnp.sum(w ** 2) * a',
        'grad_fn = jax.jit(jax.grad(loss))',
        'g1 = grad_fn(w, 10.0)',
        'g2 = grad_fn(w, 20.0)',
        '```',
      ].join('\n'),
      knownProblems:
        'Checked against the JAX documentation, not run (JAX is not installed where this linter is tested). A later call ' +
        'with arguments of another shape or dtype retraces and then does see the new value; the rule does not know shapes, ' +
        'and in a loop it reports such calls too (the result still depends on which shapes were seen first). Reassignment through attributes ' +
        '(`self.scale = ...`) and mutation of a closed-over container are not followed. Only `jax.jit`/`jax.pmap` and ' +
        'their direct wrapping of `jax.grad`, `vmap` and the other transforms are recognised, not `functools.partial(jax.jit, ...)`. ' +
        'Left out on purpose: a `jit` with `static_argnums`/`static_argnames` (a new static value traces again), straight-line ' +
        'calls with different argument expressions (they may have other shapes and trace again), and closed-over functions ' +
        'that are only called (an optimizer\'s `opt_update` rebuilt with the same settings is usually equivalent), and a ' +
        'variable bound again to the same expression it was bound to before the `jit`, reading no name bound in between ' +
        '(`num_train, idx = train_init()` before the loop and each epoch), or bound only by one statement of a loop the `jit` is ' +
        'outside of, reading no name the loop binds (`num_test, idx = test_init()` each epoch): it is taken to be refreshed ' +
        'with the same value, so a call that returns something else each time is missed there.',
      fixSafety:
        'No automatic fix: turning the closed-over variable into an argument changes the function\'s signature and every ' +
        'call, and a Python number used for control flow also needs `static_argnums`.',
      references: [
        '[JAX: pure functions (JAX - The Sharp Bits)](https://docs.jax.dev/en/latest/notebooks/Common_Gotchas_in_JAX.html#pure-functions)',
        '[jax.jit](https://docs.jax.dev/en/latest/_autosummary/jax.jit.html)',
        '[jax issue 1426](https://github.com/jax-ml/jax/issues/1426)',
        '[jax issue 28225: jit again of the same function reuses the first compilation](https://github.com/jax-ml/jax/issues/28225)',
      ],
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    const seen = new Set<number>();
    // A call's arguments as jit's cache tells them apart: number literals of one type (`4.` and `5.`) have one
    // shape and dtype, so they are the same compilation.
    const argsText = (c: CallInfo): string => {
      const args = field(c.node, 'arguments');
      if (!args) return ctx.text(c.node);
      return namedChildren(args).map((a) => (a.type === 'float' || a.type === 'integer' ? a.type : ctx.text(a))).join(',');
    };
    for (const j of jittedFunctions(m)) {
      const reads = freeReads(m, j.fn);
      if (reads.size === 0) continue;
      const calls = (j.inline ?? callsOf(m, j)).filter((c) => c.node.start >= j.site.start);
      if (calls.length === 0) continue;
      for (const [b, use] of reads) {
        // The reassignment is in the scope the compiled function is called from, after the `jit`.
        if (b.scope.node !== j.scope || b.at <= j.site.end || seen.has(b.target.id)) continue;
        if (sameValueAgain(m, b, j.site)) continue;
        // Straight-line code: a call before and a call after with the same arguments (other arguments may
        // have other shapes, which would trace again).
        const before = calls.find((c) => c.node.end <= b.at);
        const after = before ? calls.find((c) => c.node.start > b.at && argsText(c) === argsText(before)) : undefined;
        const loop = b.loop && !contains(b.loop, j.site) ? b.loop : null;
        const inLoop = loop ? calls.find((c) => contains(loop, c.node)) : undefined;
        let first: CallInfo | undefined;
        let later: CallInfo | undefined;
        if (before && after) {
          first = before;
          later = after;
        } else if (inLoop) {
          first = inLoop;
          later = inLoop;
        } else continue;
        seen.add(b.target.id);
        const where = first === later ? `in the loop, the call at line ${ctx.lineOf(first.node)} after the first iteration` : `the call at line ${ctx.lineOf(later.node)}`;
        ctx.report({
          node: b.target,
          message:
            `\`${b.name}\` is reassigned here, but \`${j.fn.name}\` (compiled by \`jax.jit\` at line ${ctx.lineOf(j.site)}) reads it from ` +
            `the enclosing scope (line ${ctx.lineOf(use)}) and has already been traced by the call at line ${ctx.lineOf(first.node)}: ` +
            `jit baked the old value in as a constant, so ${where} still uses it. Pass \`${b.name}\` as an argument of \`${j.fn.name}\`.`,
          related: [
            { node: use, message: `\`${b.name}\` read from the enclosing scope` },
            { node: j.site, message: 'compiled here' },
            { node: later.node, message: 'called again with the stale value' },
          ],
        });
      }
    }
  },
};

/**
 * `b` binds the variable again to what a binding before the `jit` bound it to: the same expression, at the same place of
 * an unpacking, reading no name that is bound between the two (`num_train, idx = train_init()` before the loop and
 * again each epoch). The code refreshes the value it had; the traced constant stays right unless the call itself
 * returns something else each time, which nothing in view says.
 */
function sameValueAgain(m: SemanticModel, b: Binding, jitSite: PyNode): boolean {
  if (b.kind !== 'assign' || !b.value) return false;
  const text = m.textOf(b.value);
  const earlier = (b.scope.bindings.get(b.name) ?? []).filter(
    (e) => e.at < jitSite.start && e.kind === 'assign' && !!e.value && m.textOf(e.value) === text && e.path.join() === b.path.join(),
  );
  // Or, bound only in a loop the `jit` is outside of, by one and the same statement each iteration
  // (`num_test, test_idx = test_init()` each epoch, before the compiled function's first call): the same refresh.
  const all = b.scope.bindings.get(b.name) ?? [];
  const onlyInLoop = earlier.length === 0 && b.loop !== null && !contains(b.loop, jitSite) && all.every((x) => x === b);
  if (earlier.length === 0 && !onlyInLoop) return false;
  const from = onlyInLoop ? b.at : Math.min(...earlier.map((e) => e.at));
  const names = new Set<string>();
  walk(b.value, (n) => {
    if (n.type === 'identifier') names.add(m.textOf(n));
  });
  for (const name of names) {
    const others = b.scope.bindings.get(name) ?? [];
    // A name the value reads, bound again between the first binding and this one (or in the loop) may differ.
    if (others.some((x) => (x.at > from && x.at <= b.at) || (b.loop !== null && contains(b.loop, x.stmt)))) return false;
  }
  return true;
}
