/**
 * TensorFlow / Keras knowledge shared by the GradientTape rules (AGL006, AGL007, AGL008), built on
 * the semantic model: where tapes are, what they watch, which calls use them, and what a Keras model
 * visibly outputs. TensorFlow is not run anywhere in this project; every fact here is taken from the
 * documentation (https://www.tensorflow.org/guide/autodiff, https://www.tensorflow.org/api_docs/python/tf/GradientTape).
 */
import { bindingValue, rootCalleeName, type Binding, type CallInfo, type SemanticModel, type WithContext } from './semantic';
import type { AV } from './analysis';
import { field, namedChildren, unparen, type PyNode } from './tree';

export interface Tape {
  /** The `tf.GradientTape(...)` call. */
  ctor: CallInfo;
  /** The variable the tape is bound to (`as tape`, or `tape = tf.GradientTape()` then `with tape:`). */
  name: string;
  bindings: Binding[];
  /** The `with` statement during whose body the tape records. */
  with: WithContext;
  /** `persistent=`: true/false when literal (absent → false), null when not visible (a variable, **kwargs). */
  persistent: boolean | null;
  /** `watch_accessed_variables=`: literal value (absent → true), null when not visible. */
  watchAccessedVariables: boolean | null;
  /** `tape.watch(...)` calls. */
  watches: CallInfo[];
  /** `tape.gradient / jacobian / batch_jacobian(...)` calls, in source order. */
  uses: CallInfo[];
}

export const TAPE_USE_METHODS = new Set(['gradient', 'jacobian', 'batch_jacobian']);

export function isGradientTape(qname: string | null): boolean {
  return qname === 'tensorflow.GradientTape' || qname === 'tensorflow.autodiff.GradientTape' || qname === 'tensorflow.compat.v2.GradientTape';
}

const cache = new WeakMap<SemanticModel, Tape[]>();

/** Every tape in the file that is used as a context manager. Cached per model. */
export function findTapes(m: SemanticModel): Tape[] {
  const hit = cache.get(m);
  if (hit) return hit;
  const tapes: Tape[] = [];
  // Most files have no tape at all: skip the walk over every binding.
  if (!m.source.includes('GradientTape')) {
    cache.set(m, tapes);
    return tapes;
  }
  const byBinding = new Map<Binding, Tape>();
  const withOf = (stmt: PyNode): WithContext | undefined => m.withs.find((w) => w.node === stmt);
  const make = (ctor: CallInfo, bindings: Binding[], w: WithContext): Tape => {
    // Signature: GradientTape(persistent=False, watch_accessed_variables=True).
    const kw = (name: string, index: number, absent: boolean): boolean | null => {
      const v = ctor.keywords.get(name) ?? ctor.positional[index];
      if (v) return m.literalBool(v);
      return ctor.hasKwargs || ctor.hasStarArgs ? null : absent;
    };
    const t: Tape = {
      ctor,
      name: bindings[0].name,
      bindings,
      with: w,
      persistent: kw('persistent', 0, false),
      watchAccessedVariables: kw('watch_accessed_variables', 1, true),
      watches: [],
      uses: [],
    };
    tapes.push(t);
    for (const b of bindings) byBinding.set(b, t);
    return t;
  };
  for (const b of m.bindings) {
    if (!b.value || b.path.length > 0) continue;
    const v = unparen(b.value);
    if (v.type !== 'call') continue;
    const ctor = m.call(v);
    if (!ctor || !isGradientTape(ctor.qname) || unparen(field(v, 'function') ?? v).type === 'call') continue;
    if (b.kind === 'with') {
      const w = withOf(b.stmt);
      if (w) make(ctor, [b], w);
    } else if (b.kind === 'assign') {
      // `tape = tf.GradientTape(persistent=True)` ... `with tape:`
      for (const w of m.withs) {
        const item = w.items.find((i) => {
          const u = unparen(i);
          return u.type === 'identifier' && m.isUse(u) && m.reachingBindings(u).includes(b);
        });
        if (item) {
          make(ctor, [b], w);
          break;
        }
      }
    }
  }
  if (tapes.length > 0) {
    for (const c of m.calls) {
      if (!c.method || !c.receiver) continue;
      if (c.method !== 'watch' && !TAPE_USE_METHODS.has(c.method)) continue;
      const r = unparen(c.receiver);
      if (r.type !== 'identifier' || !m.isUse(r)) continue;
      const reach = m.reachingBindings(r);
      const t = reach.length > 0 ? byBinding.get(reach[0]) : undefined;
      if (!t || !reach.every((b) => byBinding.get(b) === t)) continue;
      if (c.method === 'watch') t.watches.push(c);
      else t.uses.push(c);
    }
    for (const t of tapes) t.uses.sort((a, b) => a.node.start - b.node.start);
  }
  cache.set(m, tapes);
  return tapes;
}

/** The tape whose `gradient/jacobian/batch_jacobian/watch` call this is, if any. */
export function tapeOfCall(m: SemanticModel, call: CallInfo): Tape | null {
  for (const t of findTapes(m)) if (t.uses.includes(call) || t.watches.includes(call)) return t;
  return null;
}

export function inside(outer: PyNode, inner: PyNode): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** `tf.GradientTape(...)`'s `persistent` argument node, if passed. */
export function persistentArg(t: Tape): PyNode | null {
  return t.ctor.keywords.get('persistent') ?? t.ctor.positional[0] ?? null;
}

// ---------------------------------------------------------------- what a value visibly is

/** TensorFlow functions that return a plain (non-Variable) tensor. */
const TF_TENSOR_FUNCTIONS = new Set([
  'constant', 'convert_to_tensor', 'zeros', 'ones', 'fill', 'zeros_like', 'ones_like', 'linspace', 'range', 'cast',
  'reshape', 'concat', 'stack', 'expand_dims', 'squeeze', 'transpose', 'identity', 'eye', 'meshgrid', 'tile',
  'gather', 'add', 'multiply', 'subtract', 'divide', 'matmul', 'sin', 'cos', 'exp', 'square', 'sqrt',
]);

export type SourceKind = 'tensor' | 'numpy' | 'variable' | 'unknown';

/**
 * What a source expression visibly is: a plain tensor (`tf.constant`, `tf.convert_to_tensor`, ...), a
 * NumPy array (`np.*`, pandas `.values`/`.to_numpy()`), a `tf.Variable`, or unknown (a parameter, a
 * model output, anything else). Follows variables through their reaching bindings (all must agree).
 */
export function sourceKind(m: SemanticModel, expr: PyNode, depth = 0): SourceKind {
  const n = unparen(expr);
  if (depth > 4) return 'unknown';
  if (n.type === 'identifier') {
    if (!m.isUse(n)) return 'unknown';
    const reach = m.reachingBindings(n);
    if (reach.length === 0) return 'unknown';
    let kind: SourceKind | null = null;
    for (const b of reach) {
      if ((b.kind !== 'assign' && b.kind !== 'walrus') || b.path.length > 0 || !b.value) return 'unknown';
      const k = sourceKind(m, b.value, depth + 1);
      if (k === 'unknown' || (kind !== null && k !== kind)) return 'unknown';
      kind = k;
    }
    return kind ?? 'unknown';
  }
  if (n.type === 'attribute') {
    const attr = field(n, 'attribute');
    if (attr && m.textOf(attr) === 'values' && m.qualifiedName(n) === null) return 'numpy';
    return 'unknown';
  }
  if (n.type !== 'call') return 'unknown';
  const c = m.call(n);
  if (!c) return 'unknown';
  // `np.vectorize(f)(x)`: a callable made by NumPy returns an array.
  if (c.calleeCall) return rootCalleeName(c)?.startsWith('numpy.') ? 'numpy' : 'unknown';
  const q = c.qname;
  if (q) {
    if (q === 'tensorflow.Variable') return 'variable';
    if (q.startsWith('numpy.')) return 'numpy';
    if (q.startsWith('tensorflow.random.')) return 'tensor';
    const short = q.startsWith('tensorflow.math.') ? q.slice(16) : q.startsWith('tensorflow.') ? q.slice(11) : null;
    if (short !== null && TF_TENSOR_FUNCTIONS.has(short)) return 'tensor';
    return 'unknown';
  }
  if (c.method === 'to_numpy') return 'numpy';
  if (c.method === 'astype' && c.receiver) {
    const k = sourceKind(m, c.receiver, depth + 1);
    return k === 'numpy' ? 'numpy' : 'unknown';
  }
  return 'unknown';
}

/**
 * The `trainable=False` argument of the `tf.Variable(...)` call a source expression is bound to (every reaching binding,
 * through names), or null. A tape watches only trainable variables on its own: the guide's "Cases where gradient returns None" shows
 * `x2 = tf.Variable(2.0, trainable=False)` giving None (https://www.tensorflow.org/guide/autodiff#cases_where_gradient_returns_none).
 * `trainable` is the Variable's second parameter (`tf.Variable(initial_value, trainable, ...)`).
 */
export function nonTrainableVariable(m: SemanticModel, expr: PyNode, depth = 0): PyNode | null {
  const n = unparen(expr);
  if (depth > 4) return null;
  if (n.type === 'identifier') {
    if (!m.isUse(n)) return null;
    const reach = m.reachingBindings(n);
    if (reach.length === 0) return null;
    let made: PyNode | null = null;
    for (const b of reach) {
      if ((b.kind !== 'assign' && b.kind !== 'walrus') || b.path.length > 0 || !b.value) return null;
      const v = nonTrainableVariable(m, b.value, depth + 1);
      if (!v) return null;
      made = made ?? v;
    }
    return made;
  }
  if (n.type !== 'call') return null;
  const c = m.call(n);
  if (!c || c.qname !== 'tensorflow.Variable') return null;
  const flag = c.keywords.get('trainable') ?? c.positional[1];
  // The `trainable=False` argument (the keyword with its value), or the positional `False`.
  if (!flag || m.literalBool(flag) !== false) return null;
  return flag.parent?.type === 'keyword_argument' ? flag.parent : flag;
}

const KERAS_SEQUENTIAL = new Set(['tensorflow.keras.Sequential', 'tensorflow.keras.models.Sequential']);
const KERAS_MODEL = new Set(['tensorflow.keras.Model', 'tensorflow.keras.models.Model']);

function isDenseLayer(q: string | null): boolean {
  return q === 'tensorflow.keras.layers.Dense' || q === 'tensorflow.keras.layers.core.Dense';
}

/** A `Dense(units, ...)` call's literal `units`, or null. */
export function denseUnits(m: SemanticModel, node: PyNode): number | null {
  const n = unparen(node);
  if (n.type !== 'call') return null;
  const c = m.call(n);
  if (!c || !isDenseLayer(c.qname)) return null;
  const u = c.keywords.get('units') ?? c.positional[0];
  if (!u) return null;
  const uu = unparen(u);
  if (uu.type !== 'integer') return null;
  const v = Number(m.textOf(uu).replace(/_/g, ''));
  return Number.isFinite(v) ? v : null;
}

export interface OutputWidth {
  width: number;
  /** The layer that fixes it (`Dense(3)`), for related locations. */
  layer: PyNode;
}

/**
 * The number of output columns of a Keras model expression when it is visible in this file:
 * `keras.Sequential([..., Dense(k)])`, `Sequential()` + `.add(Dense(k))`, `keras.Model(inputs, Dense(k)(h))`,
 * a `Dense(k)` layer itself, or a helper of this file that returns one of those.
 */
export function modelOutputWidth(m: SemanticModel, expr: PyNode, depth = 0): OutputWidth | null {
  if (depth > 5) return null;
  const n = unparen(expr);
  if (n.type === 'identifier') {
    if (!m.isUse(n)) return null;
    const reach = m.reachingBindings(n);
    if (reach.length === 0) return null;
    let out: OutputWidth | null = null;
    for (const b of reach) {
      if ((b.kind !== 'assign' && b.kind !== 'walrus') || b.path.length > 0 || !b.value) return null;
      let w = modelOutputWidth(m, b.value, depth + 1);
      const v = unparen(b.value);
      if (!w && v.type === 'call') {
        const c = m.call(v);
        if (c && KERAS_SEQUENTIAL.has(c.qname ?? '') && c.positional.length === 0 && !c.keywords.has('layers')) {
          // `model = Sequential()` then `model.add(Dense(k))`: the last add wins.
          const adds = m.calls.filter((a) => a.method === 'add' && a.receiver && unparen(a.receiver).type === 'identifier' && m.isUse(unparen(a.receiver)) && m.reachingBindings(unparen(a.receiver)).includes(b));
          const last = adds.sort((a, z) => a.node.start - z.node.start).at(-1);
          const k = last?.positional[0] ? denseUnits(m, last.positional[0]) : null;
          if (last && k !== null) w = { width: k, layer: last.positional[0] };
        }
      }
      if (!w || (out && out.width !== w.width)) return null;
      out = w;
    }
    return out;
  }
  if (n.type !== 'call') return null;
  const units = denseUnits(m, n);
  if (units !== null) return { width: units, layer: n };
  const c = m.call(n);
  if (!c) return null;
  // `Dense(k)(h)`: the output of a layer call.
  const fn = field(n, 'function');
  if (fn && unparen(fn).type === 'call') {
    const k = denseUnits(m, unparen(fn));
    return k !== null ? { width: k, layer: unparen(fn) } : null;
  }
  if (c.qname && KERAS_SEQUENTIAL.has(c.qname)) {
    const layers = c.keywords.get('layers') ?? c.positional[0];
    if (!layers) return null;
    const l = unparen(layers);
    if (l.type !== 'list' && l.type !== 'tuple') return null;
    const items = namedChildren(l);
    const last = items.at(-1);
    if (!last || last.type === 'list_splat') return null;
    const k = denseUnits(m, last);
    return k !== null ? { width: k, layer: last } : null;
  }
  if (c.qname && KERAS_MODEL.has(c.qname)) {
    const outputs = c.keywords.get('outputs') ?? c.positional[1];
    return outputs ? modelOutputWidth(m, outputs, depth + 1) : null;
  }
  if (c.local && c.local.returns.length > 0) {
    let out: OutputWidth | null = null;
    for (const r of c.local.returns) {
      const w = modelOutputWidth(m, r, depth + 1);
      if (!w || (out && out.width !== w.width)) return null;
      out = w;
    }
    return out;
  }
  return null;
}

/** Whether a node looks like a Keras model value (bound from `keras.*`, or named like a model). */
export function looksLikeKerasModel(m: SemanticModel, expr: PyNode): boolean {
  const n = unparen(expr);
  if (n.type === 'identifier') {
    if (/model|net/i.test(m.textOf(n))) return true;
    if (!m.isUse(n)) return false;
    return m.reachingBindings(n).some((b) => {
      const v = b.value ? unparen(b.value) : null;
      if (!v || v.type !== 'call') return false;
      const q = m.qualifiedName(v);
      return q !== null && q.startsWith('tensorflow.keras.');
    });
  }
  if (n.type === 'attribute') {
    const a = field(n, 'attribute');
    return a !== null && /model|net/i.test(m.textOf(a));
  }
  return false;
}

/**
 * TensorFlow optimizers: TF1's `tf.train.*Optimizer(...)` (also `tf.compat.v1.train`), Keras optimizers
 * (`tf.keras.optimizers.*`, and their TF2 alias `tf.optimizers.*`).
 */
export const TF_OPTIMIZER = /^tensorflow\.(?:compat\.v1\.)?train\.\w*Optimizer$|^tensorflow\.(?:keras\.)?optimizers\./;

/**
 * A TensorFlow optimizer: a call of one of `TF_OPTIMIZER`, a name bound to one, an attribute the enclosing class
 * stores one in (`self.opt = tf.train.AdamOptimizer(lr)`, then `self.opt.minimize(loss)`), or a value the analysis
 * knows to be a Keras optimizer.
 */
export function isTensorFlowOptimizer(m: SemanticModel, valueOf: (n: PyNode) => AV | undefined, receiver: PyNode): boolean {
  const v = valueOf(receiver);
  if (v?.lib.some((q) => q === 'tensorflow.optimizer' || TF_OPTIMIZER.test(q))) return true;
  let r = unparen(receiver);
  if (r.type === 'attribute') {
    const text = m.textOf(r);
    const cls = enclosingClass(r);
    return cls !== null && m.mutations.some((mu) => mu.kind === 'attribute' && m.textOf(mu.target) === text && mu.stmt.start >= cls.start && mu.stmt.end <= cls.end && isOptimizerCall(m, mu.value));
  }
  if (r.type === 'identifier' && m.isUse(r)) {
    const bs = m.reachingBindings(r);
    const value = bs.length === 1 ? bindingValue(bs[0]) : null;
    if (!value) return false;
    r = unparen(value);
  }
  return isOptimizerCall(m, r);
}

function enclosingClass(n: PyNode): PyNode | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'class_definition') return p;
  return null;
}

function isOptimizerCall(m: SemanticModel, n: PyNode | null): boolean {
  if (!n) return false;
  const r = unparen(n);
  const q = r.type === 'call' ? m.qualifiedName(r) : null;
  return q !== null && TF_OPTIMIZER.test(q);
}
