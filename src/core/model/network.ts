/**
 * The MLP as TensorFlow.js ops, in normalized units: values, the input Jacobian by forward-mode tangent
 * propagation, and the input Hessian by forward-over-forward tangents.
 *
 * Why explicit tangents: the Jacobian is part of the training loss (Sobolev training), so the weight
 * update differentiates it once more. tfjs's nested `tf.grad` silently returns wrong weight gradients
 * for ops whose gradient reuses the op's saved output (tanh, sigmoid, exp, ...). Here the Jacobian is
 * built from ordinary forward ops — matMul by the weights and a product with the activation's derivative
 * written as ops (1 - tanh(z)^2, sigmoid(z), ...) — so the weight gradient of any loss on it is a plain
 * first-order gradient, which tfjs computes correctly for every op used. The unit tests compare these
 * weight gradients with float64 finite differences for every activation.
 *
 * Layouts: x is [B, d] (rows = points); values y are [B, m]; the Jacobian J is [d, B, m] with
 * J[i, b, k] = d y_k / d x_i at point b; the Hessian H is [d, d, B, m].
 * Tangents of a hidden layer are kept as [d, B, H] so that the next layer needs a single matMul on the
 * [d*B, H] reshape, and the activation derivative [B, H] broadcasts over the leading d.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation } from './types';

/** Weights of one dense layer: `W` is [nIn, nOut], `b` is [nOut]. */
export interface TfLayer {
  W: tf.Tensor2D;
  b: tf.Tensor1D;
}

interface ActOut {
  a: tf.Tensor2D;
  /** sigma'(z) */
  d1: tf.Tensor2D;
  /** sigma''(z), only when asked for */
  d2?: tf.Tensor2D;
}

/**
 * tanh(z), on the wasm backend as 2 sigmoid(2z) - 1: its Tanh kernel is scalar libm code, its
 * Sigmoid is XNNPACK's vectorized one: 570 us vs 150 us for the four kernels here on [256,128]
 * (bench/train/kernel-bench.ts, docs/benchmarks.md). Round-off: within 2e-7 of tanh (absolute, on
 * values of size <= 1), i.e. float32 level; the derivative checks of the tests still hold. Other
 * backends keep their own Tanh (one kernel instead of four).
 */
export function tanhFast(z: tf.Tensor2D): tf.Tensor2D {
  if (tf.getBackend() !== 'wasm') return tf.tanh(z);
  return tf.sub(tf.mul(tf.sigmoid(tf.mul(z, 2)), 2), 1) as tf.Tensor2D;
}

/** The activation and its derivatives as ops of the pre-activation z (or of its output where exact). */
export function activate(act: Activation, z: tf.Tensor2D, order: 0 | 1 | 2): ActOut {
  switch (act) {
    case 'tanh': {
      const a = tanhFast(z);
      if (order === 0) return { a, d1: a };
      const d1 = tf.sub(1, tf.square(a)) as tf.Tensor2D;
      return order === 2 ? { a, d1, d2: tf.mul(-2, tf.mul(a, d1)) as tf.Tensor2D } : { a, d1 };
    }
    case 'softplus': {
      const a = tf.softplus(z);
      if (order === 0) return { a, d1: a };
      const s = tf.sigmoid(z);
      return order === 2 ? { a, d1: s, d2: tf.mul(s, tf.sub(1, s)) as tf.Tensor2D } : { a, d1: s };
    }
    case 'silu': {
      const s = tf.sigmoid(z);
      const a = tf.mul(z, s) as tf.Tensor2D;
      if (order === 0) return { a, d1: a };
      const oneMinusS = tf.sub(1, s);
      // d/dz z*s = s + z*s*(1-s) = s * (1 + z*(1-s))
      const d1 = tf.mul(s, tf.add(1, tf.mul(z, oneMinusS))) as tf.Tensor2D;
      if (order !== 2) return { a, d1 };
      // d2/dz2 z*s = s*(1-s) * (2 + z*(1-2s))
      const d2 = tf.mul(tf.mul(s, oneMinusS), tf.add(2, tf.mul(z, tf.sub(1, tf.mul(2, s))))) as tf.Tensor2D;
      return { a, d1, d2 };
    }
    case 'sin': {
      const a = tf.sin(z);
      if (order === 0) return { a, d1: a };
      const d1 = tf.cos(z);
      return order === 2 ? { a, d1, d2: tf.neg(a) } : { a, d1 };
    }
    case 'relu': {
      const a = tf.relu(z);
      if (order === 0) return { a, d1: a };
      if (order === 2) throw new Error('the Hessian of a relu network is zero almost everywhere and undefined at the kinks; use a smooth activation (tanh, softplus, silu, sin) for second derivatives');
      return { a, d1: tf.step(z) as tf.Tensor2D };
    }
    default:
      throw new Error(`unknown activation '${String(act)}'`);
  }
}

/**
 * x W + b. Plain MatMul + Add rather than tf.fused.matMul: under the gradient tape the fused op costs
 * 22 kernel calls forward+backward against 14 (measured with tf.profile, tfjs 4.22), and per-call
 * overhead, not arithmetic, dominates at these sizes.
 */
function dense(h: tf.Tensor2D, layer: TfLayer): tf.Tensor2D {
  return tf.add(tf.matMul(h, layer.W), layer.b);
}

/** Values only, [B, m]. */
export function forwardValues(layers: TfLayer[], act: Activation, x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  for (let l = 0; l < layers.length - 1; l++) h = activate(act, dense(h, layers[l]), 0).a;
  return dense(h, layers[layers.length - 1]);
}

/** Values [B, m] and Jacobian [d, B, m] (normalized units). */
export function forwardJacobian(layers: TfLayer[], act: Activation, x: tf.Tensor2D): { y: tf.Tensor2D; J: tf.Tensor3D } {
  const [B, d] = x.shape;
  const L = layers.length;
  let h = x;
  let T: tf.Tensor3D | null = null; // [d, B, H]
  for (let l = 0; l < L - 1; l++) {
    const W = layers[l].W;
    const H = W.shape[1];
    const { a, d1 } = activate(act, dense(h, layers[l]), 1);
    if (T === null) {
      T = tf.mul(tf.reshape(W, [d, 1, H]), d1) as tf.Tensor3D;
    } else {
      const t = tf.reshape(tf.matMul(tf.reshape(T, [d * B, T.shape[2]]), W), [d, B, H]);
      T = tf.mul(t, d1) as tf.Tensor3D;
    }
    h = a;
  }
  const out = layers[L - 1];
  const m = out.W.shape[1];
  const y = dense(h, out);
  const J: tf.Tensor3D =
    T === null
      ? (tf.broadcastTo(tf.reshape(out.W, [d, 1, m]), [d, B, m]) as tf.Tensor3D)
      : tf.reshape(tf.matMul(tf.reshape(T, [d * B, T.shape[2]]), out.W), [d, B, m]);
  return { y, J };
}

/**
 * Values [B, m] and Jacobian [m, B, d] (normalized units) by reverse mode: one backward pass per
 * output instead of one tangent pass per input, the cheaper choice when outputs are fewer than
 * inputs. Adjoints A_l = dy/dh_l are kept as [m, B, H]:
 *   A_{L-1}[k] = W_L[:, k] (every row),  Q_l = A_l * s'(z_l),  A_{l-1} = Q_l W_lᵀ,  J = A_0.
 * Note the layout: J[k, b, i] here, J[i, b, k] in forwardJacobian.
 */
export function reverseJacobian(layers: TfLayer[], act: Activation, x: tf.Tensor2D): { y: tf.Tensor2D; J: tf.Tensor3D } {
  const [B, d] = x.shape;
  const L = layers.length;
  const out = layers[L - 1];
  const m = out.W.shape[1];
  let h = x;
  const d1s: tf.Tensor2D[] = [];
  for (let l = 0; l < L - 1; l++) {
    const { a, d1 } = activate(act, dense(h, layers[l]), 1);
    d1s.push(d1);
    h = a;
  }
  const y = dense(h, out);
  if (L === 1) return { y, J: tf.broadcastTo(tf.reshape(tf.transpose(out.W), [m, 1, d]), [m, B, d]) as tf.Tensor3D };
  // Q_{L-1}[k, b, :] = W_L[:, k] * s'(z_{L-1})[b, :]
  const H = out.W.shape[0];
  let Q = tf.mul(tf.reshape(tf.transpose(out.W), [m, 1, H]), d1s[L - 2]) as tf.Tensor3D;
  for (let l = L - 2; l >= 0; l--) {
    const W = layers[l].W;
    const nIn = W.shape[0];
    // A_l = Q_{l+1} W_{l+1}ᵀ: [m·B, H] x [H, nIn] (an explicit Transpose: wasm runs a MatMul with a transposed operand as a scalar loop)
    const A = tf.reshape(tf.matMul(tf.reshape(Q, [m * B, W.shape[1]]), tf.transpose(W)), [m, B, nIn]) as tf.Tensor3D;
    if (l === 0) return { y, J: A };
    Q = tf.mul(A, d1s[l - 1]) as tf.Tensor3D;
  }
  throw new Error('internal: unreachable');
}

/**
 * Values, Jacobian and Hessian [d, d, B, m] by forward-over-forward tangents:
 *   layer input tangents t_i, second tangents s_ij (linear maps of the previous layer's),
 *   after the activation: T_i = s'(z) t_i,  S_ij = s''(z) t_i t_j + s'(z) s_ij.
 */
export function forwardHessian(layers: TfLayer[], act: Activation, x: tf.Tensor2D): { y: tf.Tensor2D; J: tf.Tensor3D; Hs: tf.Tensor4D } {
  const [B, d] = x.shape;
  const L = layers.length;
  let h = x;
  let T: tf.Tensor3D | null = null; // [d, B, H]
  let S: tf.Tensor4D | null = null; // [d, d, B, H]
  for (let l = 0; l < L - 1; l++) {
    const W = layers[l].W;
    const H = W.shape[1];
    const { a, d1, d2 } = activate(act, dense(h, layers[l]), 2);
    if (!d2) throw new Error('internal: second derivative missing');
    let t: tf.Tensor3D; // [d, B, H] or [d, 1, H]
    let s: tf.Tensor4D | null;
    if (T === null || S === null) {
      t = tf.reshape(W, [d, 1, H]);
      s = null;
    } else {
      t = tf.reshape(tf.matMul(tf.reshape(T, [d * B, T.shape[2]]), W), [d, B, H]);
      s = tf.reshape(tf.matMul(tf.reshape(S, [d * d * B, S.shape[3]]), W), [d, d, B, H]);
    }
    const tt = tf.mul(tf.reshape(t, [d, 1, t.shape[1], H]), tf.reshape(t, [1, d, t.shape[1], H]));
    const sNew = tf.mul(tt, d2) as tf.Tensor4D;
    S = s === null ? (tf.broadcastTo(sNew, [d, d, B, H]) as tf.Tensor4D) : (tf.add(sNew, tf.mul(s, d1)) as tf.Tensor4D);
    T = tf.broadcastTo(tf.mul(t, d1), [d, B, H]) as tf.Tensor3D;
    h = a;
  }
  const out = layers[L - 1];
  const m = out.W.shape[1];
  const y = dense(h, out);
  if (T === null || S === null) {
    return {
      y,
      J: tf.broadcastTo(tf.reshape(out.W, [d, 1, m]), [d, B, m]) as tf.Tensor3D,
      Hs: tf.zeros([d, d, B, m]) as tf.Tensor4D,
    };
  }
  const J = tf.reshape(tf.matMul(tf.reshape(T, [d * B, T.shape[2]]), out.W), [d, B, m]) as tf.Tensor3D;
  const Hs = tf.reshape(tf.matMul(tf.reshape(S, [d * d * B, S.shape[3]]), out.W), [d, d, B, m]) as tf.Tensor4D;
  return { y, J, Hs };
}
