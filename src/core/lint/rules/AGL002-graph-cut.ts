/**
 * AGL002 graph-cut: on the way from the differentiated input to the differentiated output, the value
 * leaves autograd (`.detach()`, `.numpy()`, `.item()`, `math.*`, NumPy, `torch.tensor(t)`, scikit-learn
 * scalers, pandas, Keras `predict`), so the derivative is None, zero or an error far from the cause.
 * TensorFlow tapes (`tape.gradient`) get a TensorFlow message; the cuts AGL008 reports (`.numpy()`,
 * `model.predict` inside a tape) are skipped here, so a mistake is reported once.
 */
import type { AV } from '../analysis';
import { tensorOfValue } from '../analysis/library';
import type { Rule, RuleContext } from '../rule';
import { rootCalleeName, type CallInfo, type SemanticModel } from '../semantic';
import { field, namedChildren, unparen, type PyNode } from '../tree';
import type { Fix } from '../types';
import { tapeCuts } from './AGL008-tape-vector-target';

const CUT_METHODS = new Set(['detach', 'numpy', 'item', 'tolist', 'to_numpy', 'predict']);
const SCALER_METHODS = new Set(['transform', 'inverse_transform', 'fit_transform']);
/** `math.f` with a same-named torch function of the same meaning on tensors. */
const MATH_TO_TORCH = new Set(['exp', 'log', 'log2', 'log10', 'log1p', 'expm1', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'sqrt', 'erf', 'erfc', 'floor', 'ceil', 'trunc', 'atan2', 'pow']);
const NUMPY_TO_TORCH = new Set([...MATH_TO_TORCH, 'abs', 'square', 'maximum', 'minimum', 'sigmoid']);

/** Constructors that copy their data into a new tensor. */
const REWRAPPERS = new Set(['torch.tensor', 'torch.Tensor', 'torch.FloatTensor', 'torch.DoubleTensor', 'torch.autograd.Variable']);
const LOSS_SINKS = new Set(['backward', 'param-grad', 'training-hook', 'optimizer-closure', 'loss-variable']);

/** Data that is computed by calls of this program (not literals, not NumPy/data loading). */
function computedData(m: SemanticModel, n: PyNode | undefined): boolean {
  if (!n) return false;
  const u = unparen(n);
  if (u.type === 'list' || u.type === 'tuple') {
    const items = namedChildren(u);
    return items.length > 0 && items.every((e) => computedElement(m, e));
  }
  if (u.type === 'list_comprehension' || u.type === 'generator_expression') {
    const body = field(u, 'body');
    return body ? computedElement(m, body) : false;
  }
  return false;
}

function computedElement(m: SemanticModel, n: PyNode): boolean {
  const u = unparen(n);
  if (u.type !== 'call') return false;
  const fn = field(u, 'function');
  // `float(x)`, `np.mean(x)`, `len(x)`: numbers, not a network's outputs.
  return fn !== null && fn !== undefined && !/^(?:float|int|len|round|np\.|numpy\.|math\.|range)/.test(fn.type === 'identifier' || fn.type === 'attribute' ? m.textOf(fn) : '');
}

type Cut = { what: string; input: PyNode[] } | null;
const cutCache = new WeakMap<SemanticModel, Map<number, Cut>>();

/** If `node` is an operation that leaves autograd, a short description of it; else null. Cached per model. */
export function graphCut(m: SemanticModel, node: PyNode): Cut {
  let cache = cutCache.get(m);
  if (!cache) cutCache.set(m, (cache = new Map()));
  let r = cache.get(node.id);
  if (r === undefined) {
    r = computeGraphCut(m, node);
    cache.set(node.id, r);
  }
  return r;
}

function computeGraphCut(m: SemanticModel, node: PyNode): Cut {
  if (node.type === 'attribute') {
    const a = field(node, 'attribute');
    const obj = field(node, 'object');
    if (a && obj && m.textOf(a) === 'data' && m.qualifiedName(node) === null) return { what: '`.data`', input: [obj] };
    if (a && obj && m.textOf(a) === 'values' && m.qualifiedName(node) === null && /df|frame/i.test(m.textOf(obj))) return { what: '`.values` (pandas)', input: [obj] };
    return null;
  }
  if (node.type !== 'call') return null;
  const c = m.call(node);
  if (!c) return null;
  const args = [...c.positional, ...c.keywords.values()];
  if (c.method && c.receiver) {
    if (CUT_METHODS.has(c.method)) return { what: `\`.${c.method}()\``, input: [c.receiver] };
    if (SCALER_METHODS.has(c.method) && isScalerLike(m, c)) return { what: `scikit-learn \`${c.method}\``, input: args };
    return null;
  }
  if (c.calleeCall) {
    // `np.vectorize(f)(t)`, `np.poly1d(c)(t)`: a callable made by NumPy computes in NumPy.
    const fn = field(node, 'function');
    return rootCalleeName(c)?.startsWith('numpy.') && fn ? { what: `NumPy \`${m.textOf(fn)}\``, input: args } : null;
  }
  const q = c.qname;
  if (!q) return null;
  if (q === 'float' || q === 'int') return { what: `\`${q}()\``, input: args };
  if (q.startsWith('math.')) return { what: `\`${q}\``, input: args };
  if (q.startsWith('numpy.')) return { what: `NumPy \`${q.replace(/^numpy\./, 'np.')}\``, input: args };
  if (q.startsWith('pandas.')) return { what: `pandas \`${q}\``, input: args };
  if (q === 'torch.tensor' || q === 'torch.Tensor' || q === 'torch.FloatTensor' || q === 'torch.DoubleTensor') return { what: `\`${q}(...)\` (copies the data)`, input: c.positional.slice(0, 1) };
  if (q === 'torch.from_numpy') return { what: '`torch.from_numpy`', input: args };
  return null;
}

function isScalerLike(m: SemanticModel, c: CallInfo): boolean {
  const r = c.receiver ? unparen(c.receiver) : null;
  if (!r) return false;
  if (/scal|norm|pca|encod|transformer|pipe/i.test(m.textOf(r))) return true;
  if (r.type === 'identifier' && m.isUse(r)) {
    return m.reachingBindings(r).some((b) => {
      const v = b.value ? unparen(b.value) : null;
      const q = v && v.type === 'call' ? m.qualifiedName(v) : null;
      return q !== null && q.startsWith('sklearn.');
    });
  }
  return false;
}

export const AGL002: Rule = {
  meta: {
    code: 'AGL002',
    name: 'graph-cut',
    summary: 'The path from the differentiated input to the differentiated output leaves autograd, so the derivative is None, zero or an error.',
    framework: 'pytorch',
    defaultSeverity: 'error',
    fixable: true,
    docs: {
      whatItDoes:
        'Follows the value of each input that is differentiated (`torch.autograd.grad(y, x)`, `tape.gradient(y, x)`, ' +
        'or a leaf marked `requires_grad` before `y.backward()`) to the output, and reports the place where it leaves ' +
        'autograd: `.detach()`, `.numpy()`, `.item()`, `.tolist()`, `.data`, `float()`, `math.*`, NumPy functions, ' +
        '`torch.tensor(t)`, `torch.from_numpy`, scikit-learn `transform`/`inverse_transform`, pandas, Keras `predict`. ' +
        'It reports only when the output depends on the input through such a cut and through no live path. It also reports ' +
        'a loss made of `torch.tensor([...], requires_grad=True)` over values computed by calls (per-stage losses copied ' +
        'into a new leaf to silence "does not require grad"): the network behind them gets no gradient. For a ' +
        'TensorFlow `tape.gradient` the message speaks of the tape; `.numpy()` and `model.predict` inside a tape are ' +
        'left to AGL008, which names the tape, so one mistake gets one diagnostic.',
      whyIsThisBad:
        'Autograd records only tensor operations. Once the value is a NumPy array, a Python float or a freshly copied ' +
        'tensor, the output has no recorded dependence on the input: `grad` raises "One of the differentiated Tensors ' +
        'appears to not have been used in the graph" (or returns None with `allow_unused=True`), and `x.grad` stays None. ' +
        'The error points at the `grad` call, far from the line that caused it.',
      example: [
        '```python',
        'x = torch.tensor(in_scaler.transform(raw), requires_grad=True)',
        'y = model(x)',
        'y_raw = torch.from_numpy(out_scaler.inverse_transform(y.detach().numpy()))',
        'dy = torch.autograd.grad(y_raw.sum(), x)  # error: x not in the graph of y_raw',
        '```',
      ].join('\n'),
      useInstead: [
        '```python',
        'scale = torch.as_tensor(out_scaler.scale_)',
        'mean = torch.as_tensor(out_scaler.mean_)',
        'y_raw = y * scale + mean            # de-normalize with tensor arithmetic',
        'dy = torch.autograd.grad(y_raw.sum(), x)[0]',
        '```',
      ].join('\n'),
      knownProblems:
        'Only inputs named by a variable are followed. A cut inside a library function (not defined in this file) is ' +
        'not seen. Scikit-learn calls are recognised by the receiver: a variable made by a `sklearn` constructor or ' +
        'named like a scaler/normalizer/pipeline. `x.detach().requires_grad_(True)` makes a fresh leaf and is not a cut ' +
        'when the derivative is taken with respect to that new leaf.',
      fixSafety:
        '`math.f(t)` → `torch.f(t)` is safe when `t` is a tensor on the differentiated path (it is, or the rule would ' +
        'not fire): same values, and the graph is kept. `np.f(t)` → `torch.f(t)` is unsafe: NumPy functions also ' +
        'accept lists and scalars, return arrays, and differ in dtype promotion, so the result type changes. No fix is ' +
        'offered for a cut on the way to a TensorFlow `tape.gradient`.',
    },
  },

  check(ctx) {
    const m = ctx.model;
    const a = ctx.analysis;
    const reported = new Set<number>();
    // `.numpy()` / `model.predict(...)` inside a GradientTape are AGL008's (it names the tape): one diagnostic per mistake.
    for (const t of tapeCuts(m)) reported.add(t.cut.node.id);
    const report = (cutSite: number, at: PyNode, label: string, framework: 'pytorch' | 'tensorflow' | 'jax'): void => {
      if (reported.has(cutSite)) return;
      const node = ctx.tree.nodes[cutSite];
      if (!node) return;
      const cut = graphCut(m, node) ?? { what: `\`${ctx.text(node).split('(')[0]}\``, input: [] };
      reported.add(cutSite);
      const line = ctx.lineOf(at);
      ctx.report({
        node,
        message:
          framework === 'tensorflow'
            ? `${cut.what} takes the value off the tape on the way from the differentiated source to the target of ` +
              `${label} (line ${line}): the tape records only TensorFlow operations, so the gradient will be None. ` +
              'Keep the computation in TensorFlow operations (`tf.math.*`).'
            : `${cut.what} takes the value out of autograd on the way from the differentiated input to the output of ` +
              `${label} (line ${line}): the derivative will be None or raise. Keep the computation in torch operations.`,
        related: [{ node: at, message: 'the derivative is taken here' }],
        fixes: framework === 'pytorch' ? fixesFor(ctx, node) : [],
      });
    };
    for (const d of a.events.derivatives) {
      if (!d.spec.outputs || d.spec.framework === 'jax') continue;
      const out = tensorOfValue(d.output);
      const live = new Set([...out.leaves, ...out.params, ...(out.leafOf !== null ? [out.leafOf] : [])]);
      const label = d.spec.framework === 'tensorflow' ? `\`${calleeText(ctx, d.node)}\`` : `\`${d.api}\``;
      for (const origin of originsOf(d.inputs)) {
        if (live.has(origin)) continue;
        for (const c of out.cuts) if (c.origin === origin) report(c.site, d.node, label, d.spec.framework);
      }
    }
    // `loss = torch.tensor([criterion(p, t) for p in preds], requires_grad=True).sum()`: values computed
    // by calls copied into a fresh leaf that a loss is made of. The copy has no history, so the network
    // gets no gradient (requires_grad=True only silences the "does not require grad" error).
    for (const l of a.events.leaves) {
      if (l.kind !== 'factory' || reported.has(l.node.id)) continue;
      const c = m.call(l.target);
      if (!c || !c.qname || !REWRAPPERS.has(c.qname) || !computedData(m, c.positional[0])) continue;
      const sink = a.events.sinks.find((s) => LOSS_SINKS.has(s.kind) && tensorOfValue(s.value).leaves.includes(l.node.id));
      if (!sink) continue;
      reported.add(l.node.id);
      ctx.report({
        node: l.target,
        message:
          `\`${c.qname}(...)\` copies computed values into a new leaf tensor: it has no history, so ${sink.what} (line ${ctx.lineOf(sink.node)}) ` +
          'does not reach the network that computed them, and its parameters get no gradient (`requires_grad=True` only ' +
          'hides the error). Combine the tensors with torch operations instead: `torch.stack([...]).sum()` or `sum(...)`.',
        related: [{ node: sink.node, message: 'the loss made of the copy' }],
      });
    }
    // `y.backward()` then `x.grad`: the leaves marked before it in the same function.
    for (const b of a.events.backwards) {
      const t = tensorOfValue(b.target);
      const live = new Set([...t.leaves, ...(t.leafOf !== null ? [t.leafOf] : [])]);
      for (const l of a.events.leaves) {
        if (l.fn !== b.fn || l.node.start > b.node.start || live.has(l.node.id)) continue;
        // The symptom is a None `.grad`: only when that `.grad` is read afterwards.
        if (!a.events.gradReads.some((g) => g.owner.t?.leafOf === l.node.id && g.node.start > b.node.start)) continue;
        for (const c of t.cuts) if (c.origin === l.node.id) report(c.site, b.node, '`.backward()`', 'pytorch');
      }
    }
  },
};

/** The origins (leaf marking sites, Variable or watch sites) of the values differentiated against. */
function originsOf(v: AV): number[] {
  const out: number[] = [];
  const go = (x: AV): void => {
    if (x.items) x.items.forEach(go);
    else if (x.t) {
      if (x.t.leafOf !== null) out.push(x.t.leafOf);
      else if (x.t.variable) out.push(...x.t.params);
    }
  };
  go(v);
  return out;
}

function calleeText(ctx: RuleContext, node: PyNode): string {
  const fn = field(node, 'function');
  return fn ? ctx.text(fn) : 'the derivative';
}

function fixesFor(ctx: RuleContext, node: PyNode): Fix[] {
  const m = ctx.model;
  if (node.type !== 'call') return [];
  const c = m.call(node);
  const fn = field(node, 'function');
  const torch = m.moduleAlias('torch');
  if (!c || !c.qname || !fn || !torch) return [];
  const [mod, name] = [c.qname.slice(0, c.qname.lastIndexOf('.')), c.qname.slice(c.qname.lastIndexOf('.') + 1)];
  if (mod === 'math' && MATH_TO_TORCH.has(name)) {
    return [{ title: `Use ${torch}.${name} (keeps the graph)`, safe: true, edits: [ctx.replace(fn, `${torch}.${name}`)] }];
  }
  if (mod === 'numpy' && NUMPY_TO_TORCH.has(name)) {
    return [{ title: `Use ${torch}.${name} instead of NumPy (result becomes a tensor)`, safe: false, edits: [ctx.replace(fn, `${torch}.${name}`)] }];
  }
  return [];
}
