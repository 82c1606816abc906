/**
 * Matrix products and activation functions for the training step (step.ts), on row-major Float32Arrays.
 *
 * The step keeps its arrays in JavaScript and asks TensorFlow.js only for what a backend kernel does
 * faster than a loop: matrix products above KERNEL_MIN_MACS multiply-adds (XNNPACK on the wasm
 * backend, libtensorflow with tfjs-node) and the transcendental functions of the activations (wasm's
 * Sigmoid is vectorized; a JavaScript Math.exp costs ~12 ns). Elementwise arithmetic, sums over the
 * batch, the loss and the optimizer are loops over typed arrays: a tfjs kernel call costs 5-30 µs of
 * overhead whatever its size, which is what dominated the per-step time of small networks.
 *
 * Layout rules that keep the fast kernels fast (measured in docs/benchmarks.md): the wasm backend runs
 * a MatMul on XNNPACK only when neither operand is transposed (otherwise a scalar loop, 35-40x slower),
 * and XNNPACK packs the right operand once per tensor, so every right operand is a `Matrix` made once
 * per step and reused (the weights W for the forward direction, their transpose Wᵀ — kept beside them
 * by the optimizer — for the backward direction). Products of the form Aᵀ B (weight gradients) are
 * done by transposing the narrower of the two operands in JavaScript.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation } from './types';

/** Products with fewer multiply-adds than this run as JavaScript loops (a kernel call and the copies
 *  in and out cost more than the arithmetic below it). */
export const KERNEL_MIN_MACS = 65_536;

/** A right operand: row-major `rows × cols` data and, once a kernel needed it, its tensor. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
  tensor: tf.Tensor2D | null;
}

/** What a dense layer's activation needs from the kernels, per activation (see `denseAct`). */
export interface ActPrimaries {
  /** pre-activation z = h W + b (silu, relu; and sin/softplus/tanh when computed in JS) */
  z: Float32Array | null;
  /** sigmoid(2z) for tanh, sigmoid(z) for silu and softplus */
  s: Float32Array | null;
  /** softplus(z) for softplus, sin(z) for sin */
  p: Float32Array | null;
  /** cos(z) for sin */
  c: Float32Array | null;
}

/** out[rows, n] = a[rows, k] @ b[k, n] as a loop (float64 accumulation per output row). */
export function gemmJs(a: Float32Array, rows: number, k: number, b: Float32Array, n: number, out: Float32Array): Float32Array {
  const acc = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    acc.fill(0);
    const ao = r * k;
    for (let p = 0; p < k; p++) {
      const av = a[ao + p];
      if (av === 0) continue;
      const bo = p * n;
      for (let j = 0; j < n; j++) acc[j] += av * b[bo + j];
    }
    const oo = r * n;
    for (let j = 0; j < n; j++) out[oo + j] = acc[j];
  }
  return out;
}

/** out[nA, nB] = a[rows, nA]ᵀ @ b[rows, nB] as a loop (outer products accumulated in float64). */
export function gemmTNJs(a: Float32Array, b: Float32Array, rows: number, nA: number, nB: number, out: Float32Array): Float32Array {
  const acc = new Float64Array(nA * nB);
  for (let r = 0; r < rows; r++) {
    const ao = r * nA;
    const bo = r * nB;
    for (let i = 0; i < nA; i++) {
      const av = a[ao + i];
      if (av === 0) continue;
      const oo = i * nB;
      for (let j = 0; j < nB; j++) acc[oo + j] += av * b[bo + j];
    }
  }
  for (let i = 0; i < acc.length; i++) out[i] = acc[i];
  return out;
}

/** out[cols, rows] = a[rows, cols]ᵀ, in 32×32 blocks. */
export function transpose(a: Float32Array, rows: number, cols: number, out: Float32Array = new Float32Array(rows * cols)): Float32Array {
  const BS = 32;
  for (let r0 = 0; r0 < rows; r0 += BS) {
    const r1 = Math.min(rows, r0 + BS);
    for (let c0 = 0; c0 < cols; c0 += BS) {
      const c1 = Math.min(cols, c0 + BS);
      for (let r = r0; r < r1; r++) {
        const ro = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = a[ro + c];
      }
    }
  }
  return out;
}

export class MatrixOps {
  private owned: Matrix[] = [];
  /** Kernel calls and JavaScript products since construction (for the benchmarks and tests). */
  readonly counts = { kernelGemm: 0, jsGemm: 0, kernels: 0 };

  /** `kernelMinMacs`: see KERNEL_MIN_MACS; Infinity runs every product as a loop. */
  constructor(readonly kernelMinMacs = KERNEL_MIN_MACS) {}

  /** A right operand for this step; its tensor is created on first kernel use and freed by `release`. */
  matrix(data: Float32Array, rows: number, cols: number): Matrix {
    if (data.length !== rows * cols) throw new Error(`internal: matrix of ${rows}x${cols} given ${data.length} values`);
    return { data, rows, cols, tensor: null };
  }

  private tensorOf(m: Matrix): tf.Tensor2D {
    if (!m.tensor) {
      // kept: it may be made inside a tidy (denseAct) and is used again later in the step
      m.tensor = tf.keep(tf.tensor2d(m.data, [m.rows, m.cols], 'float32'));
      this.owned.push(m);
    }
    return m.tensor;
  }

  private useKernel(macs: number): boolean {
    return macs >= this.kernelMinMacs;
  }

  /** a[rows, k] @ b → new [rows, b.cols] array. */
  matmul(a: Float32Array, rows: number, b: Matrix): Float32Array {
    const k = b.rows;
    const n = b.cols;
    if (a.length < rows * k) throw new Error(`internal: left operand has ${a.length} values, ${rows}x${k} needed`);
    if (!this.useKernel(rows * k * n)) {
      this.counts.jsGemm++;
      return gemmJs(a, rows, k, b.data, n, new Float32Array(rows * n));
    }
    this.counts.kernelGemm++;
    this.counts.kernels++;
    const at = tf.tensor2d(a.length === rows * k ? a : a.subarray(0, rows * k), [rows, k], 'float32');
    const ct = tf.matMul(at, this.tensorOf(b));
    const out = ct.dataSync() as Float32Array;
    tf.dispose([at, ct]);
    return out;
  }

  /** a[rows, nA]ᵀ @ b[rows, nB] → new [nA, nB] array (the weight-gradient product). */
  matmulTN(a: Float32Array, b: Float32Array, rows: number, nA: number, nB: number): Float32Array {
    if (!this.useKernel(rows * nA * nB)) {
      this.counts.jsGemm++;
      return gemmTNJs(a, b, rows, nA, nB, new Float32Array(nA * nB));
    }
    this.counts.kernelGemm++;
    this.counts.kernels++;
    // Transpose the narrower operand: aᵀ b directly, or (bᵀ a)ᵀ with a small transpose of the result.
    if (nA <= nB) {
      const at = tf.tensor2d(transpose(a, rows, nA), [nA, rows], 'float32');
      const bt = tf.tensor2d(b.length === rows * nB ? b : b.subarray(0, rows * nB), [rows, nB], 'float32');
      const ct = tf.matMul(at, bt);
      const out = ct.dataSync() as Float32Array;
      tf.dispose([at, bt, ct]);
      return out;
    }
    const btT = tf.tensor2d(transpose(b, rows, nB), [nB, rows], 'float32');
    const aT = tf.tensor2d(a.length === rows * nA ? a : a.subarray(0, rows * nA), [rows, nA], 'float32');
    const ct = tf.matMul(btT, aT);
    const outT = ct.dataSync() as Float32Array;
    tf.dispose([btT, aT, ct]);
    return transpose(outT, nB, nA);
  }

  /**
   * z = h[rows, k] @ W + bias, and what the activation needs of it (ActPrimaries): the functions a
   * JavaScript loop is slow at come from kernels. relu needs no kernel at all.
   */
  denseAct(h: Float32Array, rows: number, W: Matrix, bias: Float32Array, act: Activation): ActPrimaries {
    const n = W.cols;
    const out: ActPrimaries = { z: null, s: null, p: null, c: null };
    const viaKernel = this.useKernel(rows * W.rows * n);
    let z: Float32Array | null = null;
    if (!viaKernel) {
      this.counts.jsGemm++;
      z = gemmJs(h, rows, W.rows, W.data, n, new Float32Array(rows * n));
      for (let r = 0; r < rows; r++) {
        const o = r * n;
        for (let j = 0; j < n; j++) z[o + j] += bias[j];
      }
      if (act === 'relu') {
        out.z = z;
        return out;
      }
    }
    tf.tidy(() => {
      let zt: tf.Tensor2D;
      if (z) {
        zt = tf.tensor2d(z, [rows, n], 'float32');
      } else {
        this.counts.kernelGemm++;
        const ht = tf.tensor2d(h.length === rows * W.rows ? h : h.subarray(0, rows * W.rows), [rows, W.rows], 'float32');
        zt = tf.add(tf.matMul(ht, this.tensorOf(W)), tf.tensor1d(bias, 'float32'));
        this.counts.kernels += 2;
      }
      const read = (t: tf.Tensor): Float32Array => t.dataSync() as Float32Array;
      switch (act) {
        case 'tanh':
          out.s = read(tf.sigmoid(tf.mul(zt, 2)));
          this.counts.kernels += 2;
          break;
        case 'silu':
          out.z = z ?? read(zt);
          out.s = read(tf.sigmoid(zt));
          this.counts.kernels += 1;
          break;
        case 'softplus':
          out.p = read(tf.softplus(zt));
          out.s = read(tf.sigmoid(zt));
          this.counts.kernels += 2;
          break;
        case 'sin':
          out.p = read(tf.sin(zt));
          out.c = read(tf.cos(zt));
          this.counts.kernels += 2;
          break;
        case 'relu':
          out.z = read(zt);
          break;
        default:
          throw new Error(`unknown activation '${String(act)}'`);
      }
    });
    return out;
  }

  /** Frees the tensors of the matrices used so far (they are made again if used again). */
  release(): void {
    for (const m of this.owned) {
      m.tensor?.dispose();
      m.tensor = null;
    }
    this.owned = [];
  }
}
