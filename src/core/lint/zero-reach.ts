/**
 * "This value can be exactly zero": reasons visible in the code why an expression reaches 0 at inputs the program
 * meets, so that an operation whose derivative is infinite or NaN at 0 (a square root, a norm, a fractional power) is
 * differentiated there. Read by AGL099; kept apart from the rules so that other rules (AGL017's domains) can ask it.
 *
 * Reasons, each about the value entry for entry:
 * - `difference`: a finite difference of one array with a shifted copy of itself (`x[:, 1:] - x[:, :-1]`, `x[t] - x[t - 1]`,
 *   `x - torch.roll(x, 1, -1)`, `torch.diff`,
 *   `jnp.diff`, `tf.image.image_gradients`, kornia's `spatial_gradient`/`sobel`): 0 wherever neighbours are equal (a flat
 *   region of an image, a padded border, a constant signal);
 * - `rectified`: the output of a rectifier (`relu`, `clamp(min=0)`, `clamp_min(0)`, `maximum(x, 0)`): 0 for every input
 *   at or below 0 (its own derivative selects, so a NaN computed from its zeros is dropped for inputs below the kink).
 * Not a derivative: a gradient is 0 where the function is flat, but nothing in the code says a given one gets there
 * (gradient penalties take `sqrt(sum(grad ** 2))` without an epsilon and train fine).
 * - `saturated`: the complement `1 - p` of a probability made by `softmax` or `sigmoid` (or a product with one): in floating
 *   point `sigmoid(x)` is exactly 1 from x ≈ 17 on (float32), so `1 - p` is exactly 0 (`probabilityZero`; not a reason for
 *   a sum of squares). The probability itself is 0 only ~100 logits down, which is not counted.
 * A sum of squares (`sum(v ** 2)`, `a ** 2 + b ** 2`, `square(v)`, `v * v`, `reduce_sum(square(v))`) is 0 where all its
 * squared terms are, so it has a reason when every term has one (a term with a positive constant has none).
 * Followed through names bound once (in straight code) and through indexing of such a value.
 */
import type { SemanticModel } from './semantic';
import { bindingValue } from './semantic';
import { field, namedChildren, unparen, type PyNode } from './tree';

export type ZeroKind = 'difference' | 'rectified' | 'saturated';
export interface ZeroReason {
  readonly kind: ZeroKind;
  /** The expression that is 0 for this reason (the derivative call, the difference, the rectifier). */
  readonly node: PyNode;
}

const SQUARE_FUNCTIONS = new Set(['torch.square', 'jax.numpy.square', 'tensorflow.square', 'tensorflow.math.square', 'numpy.square']);
const POW_FUNCTIONS = new Set(['torch.pow', 'jax.numpy.power', 'tensorflow.pow', 'tensorflow.math.pow', 'jax.lax.pow']);
const SUM_FUNCTIONS = new Set([
  'torch.sum', 'torch.mean', 'jax.numpy.sum', 'jax.numpy.mean', 'tensorflow.reduce_sum', 'tensorflow.reduce_mean', 'tensorflow.math.reduce_sum',
  'tensorflow.math.reduce_mean', 'tensorflow.add', 'tensorflow.math.add', 'torch.add', 'jax.numpy.add',
]);
const SUM_METHODS = new Set(['sum', 'mean']);
const DIFF_FUNCTIONS = new Set(['torch.diff', 'jax.numpy.diff', 'tensorflow.experimental.numpy.diff']);
/**
 * Image-gradient filters (finite differences of neighbouring pixels) by their API's last name, wherever they are
 * imported from or defined (`tf.image.image_gradients`, `tf.image.sobel_edges`, kornia's `spatial_gradient` and
 * `SpatialGradient()(x)`, also inside kornia itself): their outputs are the components of an image gradient.
 */
const GRADIENT_FILTER_NAMES = /^(?:image_gradients|sobel_edges|spatial_gradient|spatial_gradient3d|SpatialGradient|SpatialGradient3d)$/;
const ROLLS = new Set(['torch.roll', 'jax.numpy.roll', 'tensorflow.roll', 'tensorflow.manip.roll']);
const PROBABILITIES = new Set([
  'torch.softmax', 'torch.nn.functional.softmax', 'torch.sigmoid', 'torch.nn.functional.sigmoid', 'torch.special.expit', 'jax.nn.softmax',
  'jax.nn.sigmoid', 'jax.scipy.special.expit', 'tensorflow.nn.softmax', 'tensorflow.math.softmax', 'tensorflow.sigmoid', 'tensorflow.math.sigmoid',
  'tensorflow.nn.sigmoid', 'tensorflow.keras.activations.softmax', 'tensorflow.keras.activations.sigmoid',
]);
const RELU_FUNCTIONS = new Set([
  'torch.relu', 'torch.nn.functional.relu', 'jax.nn.relu', 'tensorflow.nn.relu', 'tensorflow.keras.activations.relu', 'flax.linen.relu',
]);
const MAXIMUM_FUNCTIONS = new Set(['torch.maximum', 'torch.max', 'jax.numpy.maximum', 'tensorflow.maximum', 'tensorflow.math.maximum']);
const CLAMP_FUNCTIONS = new Set(['torch.clamp', 'torch.clip', 'jax.numpy.clip', 'tensorflow.clip_by_value']);

const MAX_DEPTH = 8;

function isTwo(n: PyNode | null | undefined, text: (n: PyNode) => string): boolean {
  return !!n && /^\s*2(?:\.0*)?\s*$/.test(text(n));
}
function isZeroLiteral(n: PyNode | null | undefined, text: (n: PyNode) => string): boolean {
  return !!n && /^\s*0(?:\.0*)?\s*$/.test(text(n));
}

function operatorOf(n: PyNode, text: (n: PyNode) => string): string | null {
  const op = n.children.find((c) => c.field === 'operator');
  return op ? text(op) : null;
}

/** The one value a name read may see (a single reaching binding, narrowed through literal tuples), or null. */
function soleValue(m: SemanticModel, id: PyNode): PyNode | null {
  if (!m.isUse(id)) return null;
  const bs = m.reachingBindings(id);
  if (bs.length !== 1 || (bs[0].kind !== 'assign' && bs[0].kind !== 'walrus')) return null;
  return bindingValue(bs[0]);
}

export class ZeroReach {
  private readonly text: (n: PyNode) => string;
  constructor(
    private readonly m: SemanticModel,
    text: (n: PyNode) => string,
  ) {
    this.text = text;
  }

  /**
   * The squared bases of a sum of squares `e` (`sum(v ** 2, dim)`, `a ** 2 + b ** 2`, `reduce_sum(square(v))`), or null
   * when `e` is not visibly one (a term that is not a square, a constant added: `s + eps`).
   */
  squaredTerms(e: PyNode, depth = 0): PyNode[] | null {
    if (depth > MAX_DEPTH) return null;
    const u = unparen(e);
    const t = this.text;
    if (u.type === 'identifier') {
      const v = soleValue(this.m, u);
      return v ? this.squaredTerms(v, depth + 1) : null;
    }
    if (u.type === 'binary_operator') {
      const op = operatorOf(u, t);
      const l = field(u, 'left');
      const r = field(u, 'right');
      if (!l || !r) return null;
      if (op === '+') {
        const a = this.squaredTerms(l, depth + 1);
        const b = a && this.squaredTerms(r, depth + 1);
        return a && b ? [...a, ...b] : null;
      }
      if (op === '**' && isTwo(r, t)) return [l];
      if (op === '*' && t(unparen(l)) === t(unparen(r)) && unparen(l).type !== 'integer' && unparen(l).type !== 'float') return [l];
      return null;
    }
    if (u.type === 'call') {
      const c = this.m.call(u);
      if (!c) return null;
      if (c.qname && SQUARE_FUNCTIONS.has(c.qname) && c.positional[0]) return [c.positional[0]];
      if (c.qname && POW_FUNCTIONS.has(c.qname) && c.positional[0] && isTwo(c.positional[1], t)) return [c.positional[0]];
      if (c.qname === null && c.receiver && (c.method === 'square' || (c.method === 'pow' && isTwo(c.positional[0], t)))) return [c.receiver];
      if (c.qname && SUM_FUNCTIONS.has(c.qname)) {
        // `tf.add(a, b)`, `torch.add(a, b)`: both operands; `sum(x, axis)`: the first.
        const two = /\.add$/.test(c.qname);
        if (two) {
          if (c.positional.length !== 2) return null;
          const a = this.squaredTerms(c.positional[0], depth + 1);
          const b = a && this.squaredTerms(c.positional[1], depth + 1);
          return a && b ? [...a, ...b] : null;
        }
        return c.positional[0] ? this.squaredTerms(c.positional[0], depth + 1) : null;
      }
      if (c.qname === null && c.receiver && c.method && SUM_METHODS.has(c.method)) return this.squaredTerms(c.receiver, depth + 1);
      // `einsum('...', d, d)`: a sum of products of d with itself.
      return null;
    }
    return null;
  }

  /** Why the entries of `e` can be exactly 0, or null when no reason is visible. */
  reason(e: PyNode, depth = 0): ZeroReason | null {
    if (depth > MAX_DEPTH) return null;
    const u = unparen(e);
    const t = this.text;
    if (u.type === 'identifier') {
      const val = soleValue(this.m, u);
      if (!val) return null;
      // `dy, dx = tf.image.image_gradients(img)`: each part of a gradient filter's result.
      const call = unparen(val).type === 'call' ? this.m.call(unparen(val)) : undefined;
      if (call && this.gradientFilter(call.node)) return { kind: 'difference', node: call.node };
      return this.reason(val, depth + 1);
    }
    if (u.type === 'subscript') {
      const base = field(u, 'value');
      return base ? this.reason(base, depth + 1) : null;
    }
    if (u.type === 'binary_operator') {
      const op = operatorOf(u, t);
      const l = field(u, 'left');
      const r = field(u, 'right');
      if (op === '-' && l && r && (this.shiftedCopies(l, r) || this.rolledCopy(l, r))) return { kind: 'difference', node: u };
      // A product of such a value with anything is 0 where it is.
      if (op === '*' && l && r) return this.reason(l, depth + 1) ?? this.reason(r, depth + 1);
      if (op === '/' && l) return this.reason(l, depth + 1);
      return null;
    }
    if (u.type === 'unary_operator') {
      const arg = field(u, 'argument');
      return arg && operatorOf(u, t) === '-' ? this.reason(arg, depth + 1) : null;
    }
    if (u.type === 'call') {
      const c = this.m.call(u);
      if (!c) return null;
      if ((c.qname && DIFF_FUNCTIONS.has(c.qname)) || (c.qname === null && c.receiver && c.method === 'diff')) return { kind: 'difference', node: u };
      if (this.gradientFilter(u)) return { kind: 'difference', node: u };
      if (c.qname && RELU_FUNCTIONS.has(c.qname)) return { kind: 'rectified', node: u };
      if (c.qname === null && c.receiver && c.method === 'relu') return { kind: 'rectified', node: u };
      if (c.qname && MAXIMUM_FUNCTIONS.has(c.qname) && c.positional.length === 2 && (isZeroLiteral(c.positional[1], t) || isZeroLiteral(c.positional[0], t))) {
        return { kind: 'rectified', node: u };
      }
      // `clamp(x, min=0)`, `x.clamp(min=0)`, `x.clamp_min(0)`, `jnp.clip(x, 0)`, `tf.clip_by_value(x, 0, hi)`.
      const low = c.keywords.get('min') ?? c.keywords.get('a_min') ?? c.keywords.get('clip_value_min');
      if (c.qname && CLAMP_FUNCTIONS.has(c.qname) && isZeroLiteral(low ?? c.positional[1], t)) return { kind: 'rectified', node: u };
      if (c.qname === null && c.receiver && (c.method === 'clamp' || c.method === 'clip') && isZeroLiteral(low ?? c.positional[0], t)) return { kind: 'rectified', node: u };
      if (c.qname === null && c.receiver && c.method === 'clamp_min' && isZeroLiteral(c.positional[0], t)) return { kind: 'rectified', node: u };
      // Operations that keep a 0: `abs`, a reshape, a gather.
      if (c.qname === null && c.receiver && c.method && /^(?:abs|view|reshape|flatten|squeeze|unsqueeze|contiguous|permute|transpose)$/.test(c.method)) {
        return this.reason(c.receiver, depth + 1);
      }
      if (c.qname && /^(?:torch|jax\.numpy|tensorflow)\.(?:abs|reshape|squeeze|flatten|transpose|math\.abs)$/.test(c.qname) && c.positional[0]) {
        return this.reason(c.positional[0], depth + 1);
      }
      return null;
    }
    return null;
  }

  /**
   * Why a probability-like value `e` can be exactly 0: the complement `1 - p` of a `softmax`/`sigmoid` output (saturation),
   * or a product with one; through names bound once and indexing. Null otherwise.
   */
  probabilityZero(e: PyNode, depth = 0): ZeroReason | null {
    if (depth > MAX_DEPTH) return null;
    const u = unparen(e);
    const t = this.text;
    if (u.type === 'identifier') {
      const v = soleValue(this.m, u);
      return v ? this.probabilityZero(v, depth + 1) : null;
    }
    if (u.type === 'subscript') {
      const base = field(u, 'value');
      return base ? this.probabilityZero(base, depth + 1) : null;
    }
    if (u.type === 'binary_operator') {
      const op = operatorOf(u, t);
      const l = field(u, 'left');
      const r = field(u, 'right');
      if (!l || !r) return null;
      if (op === '-' && /^\s*1(?:\.0*)?\s*$/.test(t(unparen(l))) && this.probability(r, depth + 1)) return { kind: 'saturated', node: u };
      if (op === '*') return this.probabilityZero(l, depth + 1) ?? this.probabilityZero(r, depth + 1);
      return null;
    }
    // A probability itself is 0 only once its logit is ~100 below another's (float32 underflow): schedules and
    // parameters passed through `sigmoid`/`softmax` never get there, so only the complement counts.
    return null;
  }

  /** A `softmax`/`sigmoid` output (`torch.softmax(x, -1)`, `x.sigmoid()`, `jax.nn.softmax`), through names and indexing. */
  private probability(e: PyNode, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    const u = unparen(e);
    if (u.type === 'identifier') {
      const v = soleValue(this.m, u);
      return !!v && this.probability(v, depth + 1);
    }
    if (u.type === 'subscript') {
      const base = field(u, 'value');
      return !!base && this.probability(base, depth + 1);
    }
    if (u.type !== 'call') return false;
    const c = this.m.call(u);
    if (!c) return false;
    if (c.qname && PROBABILITIES.has(c.qname)) return true;
    return c.qname === null && c.receiver !== null && (c.method === 'softmax' || c.method === 'sigmoid');
  }

  /** A call of an image-gradient filter (`image_gradients(img)`, `SpatialGradient()(img)`). */
  private gradientFilter(call: PyNode): boolean {
    let f = field(call, 'function');
    if (f && unparen(f).type === 'call') f = field(unparen(f), 'function');
    if (!f) return false;
    const u = unparen(f);
    const last = u.type === 'attribute' ? field(u, 'attribute') : u.type === 'identifier' ? u : null;
    return !!last && GRADIENT_FILTER_NAMES.test(this.text(last));
  }

  /**
   * `a - b` where a and b are two slices of one array shifted against each other (`x[:, 1:] - x[:, :-1]`,
   * `x[..., 1:, :] - x[..., :-1, :]`): the same base, different subscripts, each holding a slice.
   */
  private shiftedCopies(l: PyNode, r: PyNode): boolean {
    const a = unparen(l);
    const b = unparen(r);
    if (a.type !== 'subscript' || b.type !== 'subscript') return false;
    const ba = field(a, 'value');
    const bb = field(b, 'value');
    if (!ba || !bb || this.text(ba) !== this.text(bb)) return false;
    const subs = (s: PyNode): PyNode[] => namedChildren(s).filter((c) => c.field === 'subscript');
    const sa = subs(a);
    const sb = subs(b);
    if (sa.length === 0 || sa.length !== sb.length) return false;
    let differ = 0;
    for (let i = 0; i < sa.length; i++) {
      const ta = this.text(sa[i]).replace(/\s+/g, '');
      const tb = this.text(sb[i]).replace(/\s+/g, '');
      if (ta === tb) continue;
      // `x[1:] - x[:-1]`, or neighbouring indices `x[t] - x[t - 1]`, `x[:, i + 1] - x[:, i]`.
      const neighbours = (p: string, q: string): boolean => p.startsWith(q) && /^[-+]\d+$/.test(p.slice(q.length));
      if (!(sa[i].type === 'slice' && sb[i].type === 'slice') && !neighbours(ta, tb) && !neighbours(tb, ta)) return false;
      differ++;
    }
    return differ === 1;
  }

  /** `x - roll(x, k, dim)` (either order; `torch.roll`, `x.roll(...)`, `jnp.roll`, `tf.roll`): a circular difference. */
  private rolledCopy(l: PyNode, r: PyNode): boolean {
    const rolled = (n: PyNode): PyNode | null => {
      const u = unparen(n);
      if (u.type !== 'call') return null;
      const c = this.m.call(u);
      if (!c) return null;
      if (c.qname && ROLLS.has(c.qname)) return c.positional[0] ?? null;
      if (c.qname === null && c.method === 'roll') return c.receiver;
      return null;
    };
    const same = (a: PyNode | null, b: PyNode): boolean => !!a && this.text(unparen(a)) === this.text(unparen(b));
    return same(rolled(r), l) || same(rolled(l), r);
  }
}
