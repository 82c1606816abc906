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

const scratchBufs: Float64Array[] = [];
/**
 * A zeroed float64 accumulator of `size` elements from a reusable pool (`slot` keeps concurrent users
 * apart: 0 gemmJs, 1 gemmTNJs, 2 and up for the step's loops). Saves an allocation per call.
 */
export function scratch64(slot: number, size: number): Float64Array {
  let b = scratchBufs[slot];
  if (!b || b.length < size) b = scratchBufs[slot] = new Float64Array(Math.max(size, 64));
  const v = b.length === size ? b : b.subarray(0, size);
  v.fill(0);
  return v;
}

/** out[rows, n] = a[rows, k] @ b[k, n] as a loop (float64 accumulation). */
export function gemmJs(a: Float32Array, rows: number, k: number, b: Float32Array, n: number, out: Float32Array): Float32Array {
  if (n === 1) {
    // one output column: a dot product per row
    for (let r = 0; r < rows; r++) {
      const ao = r * k;
      let acc = 0;
      for (let p = 0; p < k; p++) acc += a[ao + p] * b[p];
      out[r] = acc;
    }
    return out;
  }
  if (k === 1) {
    // one inner index: an outer product
    for (let r = 0; r < rows; r++) {
      const av = a[r];
      const oo = r * n;
      for (let j = 0; j < n; j++) out[oo + j] = av * b[j];
    }
    return out;
  }
  const acc = scratch64(0, n);
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
  const acc = scratch64(1, nA * nB);
  if (nB === 1) {
    for (let r = 0; r < rows; r++) {
      const bv = b[r];
      if (bv === 0) continue;
      const ao = r * nA;
      for (let i = 0; i < nA; i++) acc[i] += a[ao + i] * bv;
    }
  } else {
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

/**
 * Named Float32Array buffers reused from step to step (a step allocates nothing once warm): `get`
 * returns the first `size` elements of the buffer of that name, grown when needed. The contents are
 * whatever was left there; callers that accumulate must clear.
 */
export class Workspace {
  private readonly bufs = new Map<string, Float32Array>();
  get(name: string, size: number): Float32Array {
    let b = this.bufs.get(name);
    if (!b || b.length < size) {
      b = new Float32Array(Math.max(size, b ? b.length * 2 : 0));
      this.bufs.set(name, b);
    }
    return b.length === size ? b : b.subarray(0, size);
  }
  zeros(name: string, size: number): Float32Array {
    const b = this.get(name, size);
    b.fill(0);
    return b;
  }
}

interface HeapBackend {
  typedArrayFromHeap?(t: tf.TensorInfo): Float32Array;
}

export class MatrixOps {
  private owned: Matrix[] = [];
  /** Kernel calls and JavaScript products since construction (for the benchmarks and tests). */
  readonly counts = { kernelGemm: 0, jsGemm: 0, kernels: 0 };
  readonly ws = new Workspace();
  private heap: HeapBackend | null = null;

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

  private upload(a: Float32Array, rows: number, cols: number): tf.Tensor2D {
    return tf.tensor2d(a.length === rows * cols ? a : a.subarray(0, rows * cols), [rows, cols], 'float32');
  }

  /**
   * Copies a tensor's values into `out`. On the wasm backend straight from its heap (dataSync would
   * allocate a copy first); elsewhere through dataSync.
   */
  download(t: tf.Tensor, out: Float32Array): Float32Array {
    if (this.heap === null) {
      const be = tf.backend() as unknown as HeapBackend;
      this.heap = tf.getBackend() === 'wasm' && typeof be.typedArrayFromHeap === 'function' ? be : {};
    }
    const src = this.heap.typedArrayFromHeap ? this.heap.typedArrayFromHeap(t) : (t.dataSync() as Float32Array);
    if (src.length !== out.length) throw new Error(`internal: downloading ${src.length} values into ${out.length}`);
    out.set(src);
    return out;
  }

  private useKernel(macs: number): boolean {
    return macs >= this.kernelMinMacs;
  }

  /** out[rows, b.cols] = a[rows, b.rows] @ b. */
  matmul(a: Float32Array, rows: number, b: Matrix, out: Float32Array): Float32Array {
    const k = b.rows;
    const n = b.cols;
    if (a.length < rows * k || out.length !== rows * n) throw new Error(`internal: matmul shapes ${a.length}/${rows}x${k} -> ${out.length}/${rows}x${n}`);
    if (!this.useKernel(rows * k * n)) {
      this.counts.jsGemm++;
      return gemmJs(a, rows, k, b.data, n, out);
    }
    this.counts.kernelGemm++;
    this.counts.kernels++;
    const at = this.upload(a, rows, k);
    const ct = tf.matMul(at, this.tensorOf(b));
    this.download(ct, out);
    tf.dispose([at, ct]);
    return out;
  }

  /**
   * out[nA, nB] = a[rows, nA]ᵀ @ b[rows, nB] (the weight-gradient product).
   */
  matmulTN(a: Float32Array, b: Float32Array, rows: number, nA: number, nB: number, out: Float32Array): Float32Array {
    if (out.length !== nA * nB) throw new Error('internal: matmulTN output size');
    if (!this.useKernel(rows * nA * nB)) {
      this.counts.jsGemm++;
      return gemmTNJs(a, b, rows, nA, nB, out);
    }
    this.counts.kernelGemm++;
    this.counts.kernels++;
    // XNNPACK packs the right operand on every call (it is new every step), at several ns an element —
    // more than a transpose in JavaScript costs. So the narrower operand goes on the right, packed, and
    // the wider one is transposed: aᵀ b as is when b is the narrower, else (bᵀ a)ᵀ.
    if (nB <= nA) {
      const at = this.upload(transpose(a, rows, nA, this.ws.get('tn.t', rows * nA)), nA, rows);
      const bt = this.upload(b, rows, nB);
      const ct = tf.matMul(at, bt);
      this.download(ct, out);
      tf.dispose([at, bt, ct]);
      return out;
    }
    const btT = this.upload(transpose(b, rows, nB, this.ws.get('tn.t', rows * nB)), nB, rows);
    const aT = this.upload(a, rows, nA);
    const ct = tf.matMul(btT, aT);
    const outT = this.download(ct, this.ws.get('tn.o', nA * nB));
    tf.dispose([btT, aT, ct]);
    return transpose(outT, nB, nA, out);
  }

  /**
   * z = h[rows, W.rows] @ W + bias, and what the activation needs of it (ActPrimaries) in the
   * workspace buffers `${tag}.z|s|p|c`: the functions a JavaScript loop is slow at come from kernels.
   * relu needs no kernel beyond the product.
   */
  denseAct(h: Float32Array, rows: number, W: Matrix, bias: Float32Array, act: Activation, tag: string): ActPrimaries {
    const n = W.cols;
    const size = rows * n;
    const out: ActPrimaries = { z: null, s: null, p: null, c: null };
    const viaKernel = this.useKernel(rows * W.rows * n);
    let z: Float32Array | null = null;
    if (!viaKernel) {
      this.counts.jsGemm++;
      z = gemmJs(h, rows, W.rows, W.data, n, this.ws.get(`${tag}.z`, size));
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
        zt = this.upload(z, rows, n);
      } else {
        this.counts.kernelGemm++;
        zt = tf.add(tf.matMul(this.upload(h, rows, W.rows), this.tensorOf(W)), tf.tensor1d(bias, 'float32'));
        this.counts.kernels += 2;
      }
      const read = (t: tf.Tensor, name: string): Float32Array => this.download(t, this.ws.get(`${tag}.${name}`, size));
      switch (act) {
        case 'tanh':
          out.s = read(tf.sigmoid(tf.mul(zt, 2)), 's');
          this.counts.kernels += 2;
          break;
        case 'silu':
          out.z = z ?? read(zt, 'z');
          out.s = read(tf.sigmoid(zt), 's');
          this.counts.kernels += 1;
          break;
        case 'softplus':
          out.p = read(tf.softplus(zt), 'p');
          out.s = read(tf.sigmoid(zt), 's');
          this.counts.kernels += 2;
          break;
        case 'sin':
          out.p = read(tf.sin(zt), 'p');
          out.c = read(tf.cos(zt), 'c');
          this.counts.kernels += 2;
          break;
        case 'relu':
          out.z = read(zt, 'z');
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
