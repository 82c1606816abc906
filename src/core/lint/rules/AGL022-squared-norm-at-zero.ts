/**
 * AGL022 squared-norm-at-zero: `jnp.linalg.norm(x) ** 2` (or `tf.norm(x) ** 2`) in code that JAX or
 * TensorFlow differentiates. The norm's derivative `x / ‖x‖` is 0/0 at `x = 0`, so the gradient of the
 * squared norm is NaN there, although the squared norm itself is smooth: `sum(x ** 2)` has gradient `2x`.
 */
import type { Rule, RuleContext } from '../rule';
import type { Binding, CallInfo, FunctionInfo } from '../semantic';
import { JAX_DERIVATIVES } from '../knowledge/jax';
import { TF_DERIVATIVES, TF_GRADIENT_FUNCTIONS } from '../knowledge/tensorflow';
import { field, unparen, type PyNode } from '../tree';

/** The norm of a list of tensors taken together (a gradient-clipping helper): `sqrt(sum of every entry squared)`. */
const GLOBAL_NORMS = ['tensorflow.linalg.global_norm', 'tensorflow.global_norm', 'optax.global_norm'];
const NORMS = new Set(['jax.numpy.linalg.norm', 'jax.numpy.linalg.vector_norm', 'tensorflow.norm', 'tensorflow.linalg.norm', 'tensorflow.math.l2_normalize', ...GLOBAL_NORMS]);
const TORCH_NORMS = new Set(['torch.norm', 'torch.linalg.norm', 'torch.linalg.vector_norm']);
const SQUARES = new Set(['jax.numpy.square', 'tensorflow.square', 'tensorflow.math.square']);
/** The last names of JAX's and TensorFlow's derivative functions (`grad`, `gradient`, `jacfwd`, ...). */
const DERIVATIVE_WORDS = new Set([JAX_DERIVATIVES, TF_DERIVATIVES, TF_GRADIENT_FUNCTIONS].flatMap((t) => Object.keys(t).map((q) => q.slice(q.lastIndexOf('.') + 1))));

export const AGL022: Rule = {
  meta: {
    code: 'AGL022',
    name: 'squared-norm-at-zero',
    summary: '`norm(x) ** 2` differentiated: NaN gradient at x = 0 in JAX and TensorFlow, a wrong second derivative there in PyTorch; `sum(x ** 2)` is smooth.',
    framework: 'jax',
    defaultSeverity: 'warning',
    fixable: true,
    docs: {
      whatItDoes:
        'Finds `jnp.linalg.norm(x) ** 2` (or `jnp.linalg.vector_norm`), `tf.norm(x) ** 2` and `jnp.square(jnp.linalg.norm(x))`, also of a global ' +
        'norm of a list of tensors (`tf.linalg.global_norm(ts)`, `optax.global_norm(tree)`: a square root of the sum of every entry squared), in a file where JAX or ' +
        'TensorFlow differentiates (`jax.grad`, `jacfwd`, `tape.gradient`, ...); and, in PyTorch code that takes second ' +
        'derivatives (nested `torch.func`/functorch transforms, `hessian`; with only `create_graph=True`, when the norm is of a ' +
        'difference `a - b`, a distance), a Euclidean `torch.norm`, `torch.linalg.norm` or `x.norm()` that is squared (`** 2`, ' +
        '`torch.square`, `.pow(2)`, or `d * d` of its name), unless the norm is of a derivative (a force error `F - (-dE/dR)`): it is taken after the derivative that keeps a graph, and the loss\'s backward goes through it once. In JAX and TensorFlow, not a squared norm in a denominator ' +
        '(`1 / norm(r) ** 2`, an inverse-square potential): the function is itself infinite where the vector is zero.',
      whyIsThisBad:
        'The squared norm is smooth, but computed through the norm its derivative is `2‖x‖ · x/‖x‖`, and at `x = 0` that is ' +
        '`0 · 0/0 = NaN` in JAX and TensorFlow (PyTorch defines the norm\'s subgradient at 0 as 0, these two do not). One ' +
        'zero vector in a batch — a particle on top of another, a zero residual, a padded row — turns the whole gradient into ' +
        'NaN. PyTorch defines the norm\'s derivative at 0 as 0, so first derivatives are right, but the second derivative of ' +
        'the squared norm at a zero vector is not: double backward gives NaN and functorch\'s `hessian` gives 0 instead of ' +
        '2I (measured with PyTorch 1.13; a Gaussian kernel `exp(-‖x1 - x2‖²)` had a wrong mixed derivative at x1 = x2).',
      example: ['```python', 'loss = lambda x: jnp.linalg.norm(x) ** 2', 'jax.grad(loss)(jnp.zeros(3))   # [nan nan nan]', '```'].join('\n'),
      useInstead: ['```python', 'loss = lambda x: jnp.sum(x ** 2)', 'jax.grad(loss)(jnp.zeros(3))   # [0. 0. 0.]', '```'].join('\n'),
      knownProblems:
        'A norm that is then squared is flagged whenever the file differentiates, even if its argument can never be zero; ' +
        'use `# noqa: AGL022` then. In JAX, a norm in a top-level function of the file that is only ever called by name ' +
        '(never passed, returned, stored or decorated), from functions that are not handed to a transform either (a test ' +
        'metric called from `test_*`), is not flagged: nothing can differentiate it. A function of the file reached ' +
        'through a name the analysis does not follow (`getattr`, `globals()`) is missed. A plain `norm(x)` (not squared) also has a NaN gradient at 0 in JAX but is not flagged: ' +
        'it has no smooth replacement, and whether zero can occur is not visible.',
      fixSafety:
        'No fix is offered for the PyTorch form (the norm and the square are often on different lines), nor for a global norm. ' +
        'The fix writes `jnp.sum(x ** 2)` (`tf.reduce_sum(x ** 2)`), the same value for the default (2 or Frobenius) norm, ' +
        'with a gradient defined at zero. It is marked unsafe because it is not run here (JAX and TensorFlow cannot be ' +
        'installed where this project is tested) and rounding differs in the last bits.',
      references: ['[jax.numpy.linalg.norm](https://docs.jax.dev/en/latest/_autosummary/jax.numpy.linalg.norm.html)'],
    },
  },

  check(ctx) {
    const m = ctx.model;
    checkTorch(ctx);
    const found: { c: CallInfo; squared: PyNode }[] = [];
    for (const c of m.calls) {
      if (!c.qname || !NORMS.has(c.qname)) continue;
      const p = c.node.parent;
      let squared: PyNode | null = null;
      if (p && p.type === 'binary_operator' && field(p, 'left') === c.node && /^\s*2(?:\.0*)?\s*$/.test(ctx.text(field(p, 'right') ?? p))) {
        const op = p.children.find((x) => x.field === 'operator');
        if (op && ctx.text(op) === '**') squared = p;
      }
      const args = p?.type === 'argument_list' ? p : null;
      const outer = args?.parent?.type === 'call' ? m.call(args.parent) : undefined;
      if (outer?.qname && SQUARES.has(outer.qname) && outer.positional[0] === c.node) squared = outer.node;
      if (squared) found.push({ c, squared });
    }
    if (found.length === 0) return;
    // Whether the file differentiates anywhere is a question about every derivative call of the file: the
    // re-lint by groups (incremental.ts) must see every statement that names one.
    for (const w of DERIVATIVE_WORDS) m.probeWord(w);
    if (!ctx.analysis.events.derivatives.some((d) => d.spec.framework === 'jax' || d.spec.framework === 'tensorflow')) return;
    let reach: Set<FunctionInfo> | null = null;
    for (const { c, squared } of found) {
      // JAX differentiates functions: a norm in a function of this file that nothing can hand to a transform
      // (never passed, returned or stored as a value, and called only from functions that are not either) is
      // never differentiated, whatever else the file differentiates (jax-md's `rms_frc_error`, a test metric).
      if (c.qname!.startsWith('jax.') || c.qname!.startsWith('optax.')) {
        const fn = m.enclosingFunction(c.node);
        if (fn && !fn.isMethod && fn.node.type === 'function_definition') {
          reach ??= mayBeDifferentiated(ctx);
          if (!reach.has(fn)) continue;
        }
      }
      // `1 / norm(r) ** 2`: the function is itself infinite where the vector is zero (an inverse-square
      // potential), so the norm's 0/0 derivative there changes nothing that a sum of squares would fix.
      if (isDenominator(squared)) continue;
      const arg = c.positional[0];
      const global = GLOBAL_NORMS.includes(c.qname!);
      const plain = arg && c.positional.length === 1 && c.keywords.size === 0 && !global;
      const jax = c.qname!.startsWith('jax.') || c.qname!.startsWith('optax.');
      const alias = jax ? (m.moduleAlias('jax.numpy') ?? 'jnp') : (m.moduleAlias('tensorflow') ?? 'tf');
      const sum = jax ? `${alias}.sum` : `${alias}.reduce_sum`;
      const argText = arg ? ctx.text(unparen(arg)) : 'x';
      const wrapped = arg && ['identifier', 'attribute', 'subscript', 'call', 'parenthesized_expression'].includes(unparen(arg).type) ? argText : `(${argText})`;
      ctx.report({
        node: squared,
        message:
          `\`${ctx.text(squared).replace(/\s+/g, ' ')}\` squares a norm: its ${jax ? 'JAX' : 'TensorFlow'} gradient is NaN where the vector is zero ` +
          `(the norm's derivative is 0/0 there). ` +
          (global
            ? `Sum the squares of every tensor of the list instead (\`${jax ? `sum(${sum}(t ** 2) for t in ts)` : `tf.add_n([${sum}(t ** 2) for t in ts])`}\`), which has the same value and gradient 2x.`
            : `Write \`${sum}(${wrapped} ** 2)\`, which has the same value and gradient 2x.`),
        fixes: plain ? [{ title: `Write ${sum}(${wrapped} ** 2)`, safe: false, edits: [ctx.replace(squared, `${sum}(${wrapped} ** 2)`)] }] : [],
      });
    }
  },
};

/** Whether `n` (through parentheses) is the right operand of a division. */
function isDenominator(n: PyNode): boolean {
  let x = n;
  while (x.parent?.type === 'parenthesized_expression') x = x.parent;
  const p = x.parent;
  return p?.type === 'binary_operator' && field(p, 'right') === x && p.children.some((c) => c.field === 'operator' && c.type === '/');
}

function checkTorch(ctx: RuleContext): void {
  const m = ctx.model;
  // Comments and strings say nothing of what the code differentiates (`# compute diff(g) * hessian(f)`):
  // these two read the code without them (facts.ts). They are read only once a squared norm is found: a read
  // is noted (`SemanticModel.fileFact`), and the re-lint by groups (incremental.ts) joins every group that
  // read a fact its file lacks to a statement that has it, so reading them for every file made a file with
  // one second derivative anywhere a single group.
  let nested: boolean | undefined;
  let differentiates: boolean | undefined;
  for (const c of m.calls) {
    const isNorm = (c.qname !== null && TORCH_NORMS.has(c.qname)) || (c.method === 'norm' && c.receiver !== null && c.qname === null);
    if (!isNorm) continue;
    // `norm(x, p=1)`, `norm(x, float('inf'))`: other norms, not the Euclidean one.
    const ord = c.keywords.get('p') ?? c.keywords.get('ord') ?? (c.method ? c.positional[0] : c.positional[1]);
    if (ord && !/^\s*2(?:\.0*)?\s*$/.test(ctx.text(ord))) continue;
    const squared = squaredUse(ctx, c.node);
    if (!squared) continue;
    if (differentiates === undefined) {
      nested = m.fileFact('torch-nested-derivative');
      differentiates = (nested || m.fileFact('torch-create-graph')) && m.fileFact('torch-word');
    }
    if (!differentiates) return;
    // With only create_graph (a penalty trained through the norm, e.g. a Jacobian regulariser), the
    // vector is zero only by accident; a difference of two points (a distance) is zero when they meet.
    const arg = c.method ? c.receiver : c.positional[0];
    if (!nested && !(arg && isDifference(ctx, arg))) continue;
    // The norm of a derivative (a force error `F - (-dE/dR)`, a gradient's size) is taken after the only
    // derivative create_graph keeps: the loss's backward goes through the norm once, and its first
    // derivative is right at zero. Only a norm the second derivative passes through is wrong there.
    if (!nested && arg && (ctx.analysis.valueOf(arg)?.t?.order ?? 0) >= 1) continue;
    ctx.report({
      node: c.node,
      message:
        `\`${ctx.text(c.node).replace(/\s+/g, ' ')}\` is squared (line ${ctx.lineOf(squared)}) in code that takes second derivatives: PyTorch ` +
        'gives the norm a zero derivative at 0, so the first derivative is right there, but the second derivative of the squared ' +
        'norm at a zero vector is wrong (NaN by double backward, 0 instead of 2 from torch.func). Write `(x ** 2).sum()` ' +
        '(`(x ** 2).sum(dim)` per row), which is smooth.',
      related: [{ node: squared, message: 'squared here' }],
    });
  }
}

/**
 * The functions of the file JAX may differentiate: lambdas, functions used as values (passed to a transform or
 * to any call, returned, stored) or decorated, methods other than a test runner's, and every function these
 * call by name, transitively. A function
 * only ever called directly by name, from functions outside that set, is not among them.
 */
function mayBeDifferentiated(ctx: RuleContext): Set<FunctionInfo> {
  const m = ctx.model;
  const out = new Set<FunctionInfo>();
  const work: FunctionInfo[] = [];
  const add = (f: FunctionInfo): void => {
    if (out.has(f)) return;
    out.add(f);
    work.push(f);
  };
  // Each def's binding, and the file's functions each function calls by name (also from functions nested in it), listed
  // once: looking them up per function scanned every binding and every call of the file for each.
  const defBinding = new Map<number, Binding>();
  for (const b of m.bindings) if (b.kind === 'def' && b.target.parent && !defBinding.has(b.target.parent.id)) defBinding.set(b.target.parent.id, b);
  const callees = new Map<number, FunctionInfo[]>();
  for (const c of m.calls) {
    if (!c.local) continue;
    for (let g = m.enclosingFunction(c.node); g; g = m.enclosingFunction(g.node)) {
      const list = callees.get(g.node.id);
      if (list) list.push(c.local);
      else callees.set(g.node.id, [c.local]);
    }
  }
  for (const f of m.functions) {
    // Methods may run under a transform through their object (a Flax module's `__call__` under `apply`), except
    // the ones a test runner calls (`test_*`, `setUp`).
    if (f.node.type !== 'function_definition' || (f.isMethod && !/^(?:test|setUp|tearDown)/.test(f.name))) {
      add(f);
      continue;
    }
    if (f.isMethod) continue;
    const binding = defBinding.get(f.node.id);
    if (!binding) {
      add(f);
      continue;
    }
    const asValue = m.usesOf(binding).some((u) => !(u.parent?.type === 'call' && field(u.parent, 'function') === u));
    // A decorated function (`@jax.jit`, `@partial(jax.grad, ...)`) is handed to its decorators.
    if (asValue || f.decorators.length > 0) add(f);
  }
  // Module-level code runs: what it calls counts only through the set above (a call there is not a transform).
  while (work.length > 0) {
    const g = work.pop()!;
    for (const callee of callees.get(g.node.id) ?? []) add(callee);
  }
  return out;
}

/** The place where the value of `norm` is squared: `n ** 2`, `torch.square(n)`, `n.pow(2)`, or `d * d` / `d ** 2` of its name. */
function squaredUse(ctx: RuleContext, norm: PyNode): PyNode | null {
  const m = ctx.model;
  const two = (n: PyNode | null | undefined): boolean => !!n && /^\s*2(?:\.0*)?\s*$/.test(ctx.text(n));
  const squaring = (e: PyNode): PyNode | null => {
    const p = e.parent;
    if (!p) return null;
    if (p.type === 'binary_operator' && field(p, 'left') === e) {
      const op = p.children.find((x) => x.field === 'operator');
      if (op && ctx.text(op) === '**' && two(field(p, 'right'))) return p;
    }
    if (p.type === 'attribute' && field(p, 'object') === e && p.parent?.type === 'call' && /^(?:pow|square)$/.test(ctx.text(field(p, 'attribute') ?? p))) {
      const call = m.call(p.parent);
      if (call && (call.method === 'square' || two(call.positional[0]))) return p.parent;
    }
    const args = p.type === 'argument_list' ? p : null;
    const outer = args?.parent?.type === 'call' ? m.call(args.parent) : undefined;
    if (outer?.qname === 'torch.square' && outer.positional[0] === e) return outer.node;
    return null;
  };
  const direct = squaring(norm);
  if (direct) return direct;
  // `d = torch.linalg.norm(diff)` then `d * d` or `d ** 2`.
  const assign = norm.parent;
  if (!assign || assign.type !== 'assignment' || field(assign, 'right') !== norm) return null;
  const target = field(assign, 'left');
  if (!target || target.type !== 'identifier') return null;
  const name = ctx.text(target);
  const binding = m.bindings.find((b) => b.target === target);
  if (!binding) return null;
  for (const use of m.usesOf(binding)) {
    const sq = squaring(use);
    if (sq) return sq;
    // `d * d`, `-d * d` (a Gaussian kernel's exponent).
    let e = use;
    if (e.parent?.type === 'unary_operator') e = e.parent;
    const p = e.parent;
    if (p?.type === 'binary_operator' && ctx.text(p.children.find((x) => x.field === 'operator') ?? p) === '*') {
      const bare = (n: PyNode | null | undefined): string | null => {
        const u = n?.type === 'unary_operator' ? field(n, 'argument') : n;
        return u && u.type === 'identifier' ? ctx.text(u) : null;
      };
      if (bare(field(p, 'left')) === name && bare(field(p, 'right')) === name) return p;
    }
  }
  return null;
}

/** `a - b`, or a name bound (once, in straight code) to one. */
function isDifference(ctx: RuleContext, n: PyNode): boolean {
  const u = unparen(n);
  const minus = (e: PyNode): boolean => e.type === 'binary_operator' && ctx.text(e.children.find((x) => x.field === 'operator') ?? e) === '-';
  if (minus(u)) return true;
  if (u.type === 'identifier' && ctx.model.isUse(u)) {
    const bs = ctx.model.reachingBindings(u);
    return bs.length === 1 && bs[0].value !== null && minus(unparen(bs[0].value));
  }
  return false;
}

