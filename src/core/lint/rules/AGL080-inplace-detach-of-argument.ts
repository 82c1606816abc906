/**
 * AGL080 inplace-detach-of-argument: a function keeps `x.detach_()` of a tensor its caller passed
 * (`self.rhs = rhs.detach_()`, `[s.detach_() for s in solves]`), where a detached copy (`x.detach()`) was meant.
 * `detach_()` detaches the caller's own tensor in place: after the call it no longer requires grad and has no
 * history, so a loss the caller computes from it afterwards gets no gradient or raises "element 0 of tensors does
 * not require grad". The question to the syntax and the bindings: is the receiver of `detach_()` a parameter of
 * the function (or an item a loop takes from one), and is the result kept under another name or attribute?
 */
import type { Rule, RuleContext } from '../rule';
import type { Binding, CallInfo, SemanticModel } from '../semantic';
import { field, unparen, type PyNode } from '../tree';

/** Methods that return the tensor they are called on (so the chain's result is still the detached tensor). */
const SELF_RETURNING = new Set(['requires_grad_', 'detach_', 'to', 'float', 'double', 'contiguous', 'cpu', 'cuda', 'type', 'half']);

/** A parameter of `fn` other than `self`/`cls`, not `*args`/`**kwargs`. */
function isCallerParam(b: Binding, fn: PyNode | null): boolean {
  return b.kind === 'param' && !!b.param && b.param.star === 'none' && b.param.fn.node === fn && !(b.param.fn.isMethod && b.param.index === 0);
}

/** The caller's tensor `r` names: a parameter of the function, or an item a loop or comprehension takes from one. */
function argumentOf(m: SemanticModel, r: PyNode, fn: PyNode | null): PyNode | null {
  if (r.type !== 'identifier' || !m.isUse(r)) return null;
  const bs = m.reachingBindings(r);
  if (bs.length === 0) return null;
  let param: PyNode | null = null;
  for (const b of bs) {
    if (isCallerParam(b, fn)) {
      param = b.target;
      continue;
    }
    if (b.kind !== 'for' || b.path.length !== 0 || !b.value) return null;
    const it = unparen(b.value);
    if (it.type !== 'identifier' || !m.isUse(it)) return null;
    const ibs = m.reachingBindings(it);
    if (ibs.length === 0 || !ibs.every((ib) => isCallerParam(ib, fn))) return null;
    param = ibs[0].target;
  }
  return param;
}

/**
 * Where the detached tensor is kept: the target of the assignment whose value is the call (through methods that return
 * their receiver and a list comprehension's body), when it is an attribute or another name than `name`; else null.
 */
function keptAs(m: SemanticModel, call: PyNode, name: string): PyNode | null {
  let e: PyNode = call;
  for (let guard = 0; guard < 8; guard++) {
    const p = e.parent;
    if (!p) return null;
    if (p.type === 'parenthesized_expression') {
      e = p;
      continue;
    }
    // `x.detach_().requires_grad_(False)`: the attribute of the outer call.
    if (p.type === 'attribute' && field(p, 'object') === e && p.parent?.type === 'call' && field(p.parent, 'function') === p) {
      const c = m.call(p.parent);
      if (!c || !c.method || !SELF_RETURNING.has(c.method)) return null;
      e = p.parent;
      continue;
    }
    if (p.type === 'list_comprehension' && field(p, 'body') === e) {
      e = p;
      continue;
    }
    if (p.type === 'assignment' && field(p, 'right') === e) {
      const left = field(p, 'left');
      if (!left) return null;
      if (left.type === 'attribute') return left;
      if (left.type === 'identifier' && m.textOf(left) !== name) return left;
      return null;
    }
    return null;
  }
  return null;
}

export const AGL080: Rule = {
  meta: {
    code: 'AGL080',
    name: 'inplace-detach-of-argument',
    summary: 'A function keeps `x.detach_()` of a tensor its caller passed: the caller\'s own tensor is cut out of its graph, where a detached copy (`x.detach()`) was meant.',
    framework: 'pytorch',
    defaultSeverity: 'warning',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds `x.detach_()` (also followed by `.requires_grad_(False)`) where `x` is a parameter of the function, or an item a ' +
        'loop or comprehension takes from one (`[s.detach_() for s in solves]`), and the result is kept under another name or ' +
        'an attribute (`self.probe_vectors = probe_vectors.detach_()`): a constructor or a cache that wants its own copy without ' +
        'history.',
      whyIsThisBad:
        '`detach_()` does not make a copy: it detaches the tensor it is called on, in place, and returns it. The tensor is the ' +
        'caller\'s, so after the call the caller\'s tensor no longer requires grad and has no history. A loss the caller ' +
        'computes from it afterwards either raises "element 0 of tensors does not require grad and does not have a grad_fn" ' +
        'or, combined with other terms, silently gets no gradient through it (GPyTorch fixed its cached solves this way: ' +
        '"Fix detaches"). Keeping the result under a new name says a copy was meant; `x.detach()` returns one that shares the ' +
        'storage and leaves the caller\'s tensor alone.',
      example: [
        '```python',
        'class Cache:',
        '    def __init__(self, solves):',
        '        self.solves = [s.detach_() for s in solves]   # detaches the caller\'s tensors',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'class Cache:',
        '    def __init__(self, solves):',
        '        self.solves = [s.detach() for s in solves]    # detached copies',
        '```',
      ].join('\n'),
      knownProblems:
        'A statement `h.detach_()` whose result is not kept (truncated back-propagation through time detaching the hidden ' +
        'state for the caller on purpose) is not reported, nor `x = x.detach_()`, nor a `detach_()` of a tensor the function ' +
        'made itself or of `.grad`. A caller that passes only tensors that never require grad loses nothing; it is reported ' +
        'anyway when the file does not show every caller passing such a tensor.',
      fixSafety:
        'The fix replaces `detach_()` by `detach()`. It is marked unsafe: the kept value is the same, but the caller\'s tensor ' +
        'keeps its history, which code relying on the in-place detach would notice.',
    },
  },

  check(ctx: RuleContext) {
    const m = ctx.model;
    if (!m.fileFact('torch-word')) return;
    for (const c of m.calls) {
      if (c.method !== 'detach_' || !c.receiver || c.qname || c.positional.length > 0) continue;
      const r = unparen(c.receiver);
      const fnInfo = m.enclosingFunction(c.node);
      // A comprehension's variable is bound in the comprehension: the function is the one around it.
      let fn: PyNode | null = fnInfo?.node ?? null;
      while (fn && fn.type !== 'function_definition') fn = m.enclosingFunction(fn)?.node ?? null;
      if (!fn) continue;
      const param = argumentOf(m, r, fn);
      if (!param) continue;
      const kept = keptAs(m, c.node, ctx.text(r));
      if (!kept) continue;
      if (callersPassNoGraph(ctx, param, fn)) continue;
      const fnNode = field(c.node, 'function');
      const attr = fnNode ? field(fnNode, 'attribute') : null;
      ctx.report({
        node: c.node,
        message:
          `\`${ctx.text(r)}.detach_()\` detaches the caller's tensor in place (\`${ctx.text(param)}\` is an argument of this function) ` +
          `and keeps it as \`${ctx.text(kept)}\`: after the call the caller's tensor no longer requires grad and has no history, so a ` +
          'loss the caller computes from it gets no gradient (or raises "element 0 of tensors does not require grad"). ' +
          `Keep a detached copy instead: \`${ctx.text(r)}.detach()\`.`,
        related: [{ node: param, message: 'the caller\'s tensor arrives here' }],
        fixes: attr ? [{ title: 'Use `detach()` (a detached copy) instead of `detach_()`', safe: false, edits: [ctx.replace(attr, 'detach')] }] : [],
      });
    }
  },
};

/**
 * Every call of the function the file shows passes, for the parameter, a value the analysis knows has no graph (and there
 * is at least one such call): the in-place detach cuts nothing there.
 */
function callersPassNoGraph(ctx: RuleContext, param: PyNode, fn: PyNode): boolean {
  const m = ctx.model;
  const info = m.functionOf(fn);
  if (!info) return false;
  const b = info.params.find((p) => p.target === param);
  if (!b || !b.param) return false;
  const sites: CallInfo[] = info.callSites;
  if (sites.length === 0) return false;
  return sites.every((s) => {
    if (s.hasStarArgs || s.hasKwargs) return false;
    const shift = info.isMethod && s.receiver !== null ? 1 : 0;
    const arg = s.keywords.get(b.name) ?? s.positional[b.param!.index - shift];
    if (!arg) return false;
    const v = ctx.analysis.valueOf(arg);
    const t = v?.t;
    return !!t && !t.opaque && t.leafOf === null && t.leaves.length === 0 && t.params.length === 0 && t.mayLeaf.length === 0 && !t.variable;
  });
}
