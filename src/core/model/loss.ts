/**
 * The training loss on one batch, in normalized units:
 *   total = valueWeight * mean (y_n - t_n)^2  +  gradWeight * mean over sampled (k,i) pairs (J_n - g_n)^2
 * J_n comes from the explicit forward-mode Jacobian (network.ts), so tfjs differentiates this loss
 * w.r.t. the weights with first-order gradients only. Exported for the gradient tests, which check
 * tfjs's weight gradients of exactly this function against float64 finite differences.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation } from './types';
import { forwardJacobian, forwardValues, reverseJacobian, type TfLayer } from './network';

export interface LossConfig {
  activation: Activation;
  /** How J is computed: `forward` gives J as [d, B, m], `reverse` as [m, B, d] (default forward). */
  mode?: 'forward' | 'reverse';
  /** [1, m] with 1 for outputs that have values, when not all do; null = all outputs.
   *  (A mask rather than a gather: GatherV2's gradient needs UnsortedSegmentSum, which the wasm
   *  backend lacks.) */
  valueMask: tf.Tensor2D | null;
  /** m / (number of outputs with values), like gradScale. */
  valueScale: number;
  /** [d, 1, m] ([m, 1, d] in reverse mode) with 1 where d y_k/d x_i samples exist, when not all
   *  pairs have them; null = all. */
  mask: tf.Tensor3D | null;
  /** d*m / (number of sampled pairs): turns the masked mean over all pairs into a mean over sampled ones. */
  gradScale: number;
  valueWeight: number;
  gradWeight: number;
}

export interface LossParts {
  total: tf.Scalar;
  /** value MSE, or null when the batch has no value targets */
  vl: tf.Scalar | null;
  /** derivative MSE, or null when the batch has no derivative targets */
  gl: tf.Scalar | null;
}

/** Loss of the network `layers` on a batch: x [B, d], value targets [B, m] or null, derivative targets
 *  [d, B, m] (reverse mode: [m, B, d]) or null. */
export function sobolevLoss(layers: TfLayer[], cfg: LossConfig, xb: tf.Tensor2D, yb: tf.Tensor2D | null, gb: tf.Tensor3D | null): LossParts {
  // yb is [B, m] (columns of outputs without values hold anything; they are masked out)
  let y: tf.Tensor2D;
  let gl: tf.Scalar | null = null;
  if (gb) {
    const fj = cfg.mode === 'reverse' ? reverseJacobian(layers, cfg.activation, xb) : forwardJacobian(layers, cfg.activation, xb);
    y = fj.y;
    let sq: tf.Tensor = tf.squaredDifference(fj.J, gb);
    if (cfg.mask) sq = tf.mul(sq, cfg.mask);
    gl = (cfg.mask ? tf.mul(tf.mean(sq), cfg.gradScale) : tf.mean(sq)) as tf.Scalar;
  } else {
    y = forwardValues(layers, cfg.activation, xb);
  }
  let vl: tf.Scalar | null = null;
  if (yb) {
    let sq: tf.Tensor = tf.squaredDifference(y, yb);
    if (cfg.valueMask) sq = tf.mul(sq, cfg.valueMask);
    vl = (cfg.valueMask ? tf.mul(tf.mean(sq), cfg.valueScale) : tf.mean(sq)) as tf.Scalar;
  }
  return { total: weightedTotal(vl, gl, cfg), vl, gl };
}

/** valueWeight·vl + gradWeight·gl over the terms the batch has (shared with the written-out path). */
export function weightedTotal(vl: tf.Scalar | null, gl: tf.Scalar | null, cfg: Pick<LossConfig, 'valueWeight' | 'gradWeight'>): tf.Scalar {
  const weighted = (t: tf.Scalar, w: number): tf.Scalar => (w === 1 ? t : (tf.mul(t, w) as tf.Scalar));
  if (vl && gl) return tf.add(weighted(vl, cfg.valueWeight), weighted(gl, cfg.gradWeight));
  if (vl) return weighted(vl, cfg.valueWeight);
  if (gl) return weighted(gl, cfg.gradWeight);
  throw new Error('internal: a batch with neither value nor derivative targets');
}
