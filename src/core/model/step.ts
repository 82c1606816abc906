/**
 * The training step: the Sobolev loss of a batch and its gradient with respect to every weight, with
 * the backward pass written out by hand over typed arrays (matrix products and transcendental
 * functions through matrix.ts).
 *
 * Why written out: the derivative term of the loss contains the input Jacobian, so its weight gradient
 * differentiates a derivative, and tfjs's nested gradients are silently wrong for tanh and sigmoid
 * (docs/model-engine.md). Every formula below is checked against float64 central finite differences of
 * the same loss, for every activation, both Jacobian modes, with and without missing targets
 * (test/unit/model/gradients.test.ts).
 *
 * Network (normalized units), L layers: h_0 = x [B, d]; for l = 1..L-1: z_l = h_{l-1} W_l + b_l,
 * h_l = s(z_l), with d1_l = s'(z_l), d2_l = s''(z_l); output y = h_{L-1} W_L + b_L [B, m].
 *
 * The input Jacobian J = dy/dx of every row, two ways ("choose by shape": the cheaper one does
 * min(d, m) passes):
 *
 * forward mode (m >= d): tangents T_l = dh_l/dx, d blocks of [B, n_l] (one per input i):
 *     t_1[i] = W_1[i,:],  t_l = T_{l-1} W_l,  T_l = t_l * d1_l,  J = T_{L-1} W_L        J: [d, B, m]
 *   backward, given gJ = dLoss/dJ and gy = dLoss/dy:
 *     [gh; gT]_{L-1} = [gy; gJ] W_Lᵀ,  gW_L = [h; T]_{L-1}ᵀ [gy; gJ]
 *     gt = gT * d1,  gz = gh * d1 + (sum_i gT[i] * t[i]) * d2
 *     gW_l = [h; T]_{l-1}ᵀ [gz; gt]   (layer 1: h_0ᵀ gz + sum over the batch of gt[i] into row i)
 *     [gh; gT]_{l-1} = [gz; gt] W_lᵀ
 *
 * reverse mode (m < d, the usual one output and many inputs): adjoints A_l = dy/dh_l, m blocks
 * (one per output k) of [B, n_l]:
 *     A_{L-1}[k] = W_L[:,k] (every row),  Q_l = A_l * d1_l,  A_{l-1} = Q_l W_lᵀ,  J = A_0   J: [m, B, d]
 *   the derivative loss differentiated through that pass, forward over the layers (R = dLoss/dJ):
 *     Rin_0 = R,  RQ_l = Rin_{l-1} W_l,  Rin_l = RQ_l * d1_l,  gzd_l = (sum_k RQ_l[k] * A_l[k]) * d2_l
 *     gW_L[:,k] += sum over the batch of Rin_{L-1}[k]
 *   then one ordinary backward pass that also receives gzd:
 *     gh_{L-1} = gy W_Lᵀ,  gW_L += h_{L-1}ᵀ gy,  gz_l = gh_l * d1_l + gzd_l,
 *     gW_l = [h_{l-1}; Rin_{l-1}]ᵀ [gz_l; Q_l],  gh_{l-1} = gz_l W_lᵀ
 *   Cost for one output: about 5/3 of a value step (PyTorch's double backward is in the same range),
 *   against d tangent passes in forward mode.
 *
 * Every bias gradient is the sum over the batch of gz (gy for the output layer).
 */
import type { Activation } from './types';
import { MatrixOps, type ActPrimaries, type Matrix } from './matrix';

export type JacobianMode = 'forward' | 'reverse';

/** Forward mode when outputs are at least as many as inputs, reverse mode when they are fewer. */
export function jacobianModeFor(inputs: number, outputs: number): JacobianMode {
  return outputs < inputs ? 'reverse' : 'forward';
}

export interface StepConfig {
  /** [d, hidden..., m] */
  sizes: number[];
  activation: Activation;
  mode: JacobianMode;
  /** [m]: 1 for outputs with value targets; null = all outputs have them */
  valueMask: Float32Array | null;
  /** m / (number of outputs with values) */
  valueScale: number;
  /** [m·d] (index k·d + i): 1 where d y_k / d x_i targets exist; null = all pairs */
  pairMask: Float32Array | null;
  /** d·m / (number of sampled pairs) */
  gradScale: number;
  valueWeight: number;
  gradWeight: number;
  hasValues: boolean;
  hasGrads: boolean;
}

/** One batch in normalized units, row-major. */
export interface Batch {
  rows: number;
  /** [rows, d] */
  x: Float32Array;
  /** [rows, m] (entries of outputs without values are ignored) or null */
  y: Float32Array | null;
  /** [rows, m, d]: g[(r·m + k)·d + i] = d y_k / d x_i target (entries of unsampled pairs ignored) or null */
  g: Float32Array | null;
}

export interface StepLoss {
  total: number;
  value: number | null;
  grad: number | null;
}

/** Weights: `theta` flat (per layer W [nIn·nOut] row-major, then b [nOut]); `wT[l]` = W_lᵀ [nOut·nIn]. */
export interface NetParams {
  theta: Float32Array;
  wT: Float32Array[];
}

/** Offsets of W_l and b_l in the flat weight vector. */
export function layerOffsets(sizes: number[]): { W: number; b: number; nIn: number; nOut: number }[] {
  const out: { W: number; b: number; nIn: number; nOut: number }[] = [];
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    out.push({ W: off, b: off + nIn * nOut, nIn, nOut });
    off += nIn * nOut + nOut;
  }
  return out;
}

export function parameterCount(sizes: number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l] * sizes[l + 1] + sizes[l + 1];
  return n;
}

interface ActOut {
  a: Float32Array;
  d1: Float32Array;
  d2: Float32Array | null;
}

/** The activation and its first two derivatives from the kernels' primaries (see ActPrimaries). */
export function activationFromPrimaries(act: Activation, p: ActPrimaries, size: number, second: boolean): ActOut {
  const a = new Float32Array(size);
  const d1 = new Float32Array(size);
  const d2 = second && act !== 'relu' ? new Float32Array(size) : null;
  switch (act) {
    case 'tanh': {
      // tanh z = 2 sigmoid(2z) - 1 (the sigmoid kernel is vectorized on wasm); within 2e-7 of tanh
      const s = p.s as Float32Array;
      for (let i = 0; i < size; i++) {
        const av = 2 * s[i] - 1;
        const g = 1 - av * av;
        a[i] = av;
        d1[i] = g;
        if (d2) d2[i] = -2 * av * g;
      }
      break;
    }
    case 'silu': {
      const z = p.z as Float32Array;
      const s = p.s as Float32Array;
      for (let i = 0; i < size; i++) {
        const zi = z[i];
        const si = s[i];
        a[i] = zi * si;
        d1[i] = si * (1 + zi * (1 - si));
        if (d2) d2[i] = si * (1 - si) * (2 + zi * (1 - 2 * si));
      }
      break;
    }
    case 'softplus': {
      const sp = p.p as Float32Array;
      const s = p.s as Float32Array;
      for (let i = 0; i < size; i++) {
        a[i] = sp[i];
        d1[i] = s[i];
        if (d2) d2[i] = s[i] * (1 - s[i]);
      }
      break;
    }
    case 'sin': {
      const sn = p.p as Float32Array;
      const cs = p.c as Float32Array;
      for (let i = 0; i < size; i++) {
        a[i] = sn[i];
        d1[i] = cs[i];
        if (d2) d2[i] = -sn[i];
      }
      break;
    }
    case 'relu': {
      const z = p.z as Float32Array;
      for (let i = 0; i < size; i++) {
        const pos = z[i] > 0;
        a[i] = pos ? z[i] : 0;
        d1[i] = pos ? 1 : 0;
      }
      break;
    }
    default:
      throw new Error(`unknown activation '${String(act)}'`);
  }
  return { a, d1, d2 };
}

/** out[blocks·B, n] = t[blocks·B, n] * f[B, n] (f repeated over the blocks). */
function mulBlocks(t: Float32Array, f: Float32Array, blocks: number, bn: number): Float32Array {
  const out = new Float32Array(blocks * bn);
  for (let q = 0; q < blocks; q++) {
    const o = q * bn;
    for (let j = 0; j < bn; j++) out[o + j] = t[o + j] * f[j];
  }
  return out;
}

/** Column sums of a [rows, n] array. */
function colSums(a: Float32Array, rows: number, n: number, out: Float32Array, outOffset: number): void {
  const acc = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    for (let j = 0; j < n; j++) acc[j] += a[o + j];
  }
  for (let j = 0; j < n; j++) out[outOffset + j] = acc[j];
}

/** Rows of the given arrays one after the other. */
function vstack(parts: Float32Array[]): Float32Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Float32Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export class SobolevStep {
  private readonly offs: ReturnType<typeof layerOffsets>;
  readonly d: number;
  readonly m: number;
  readonly L: number;

  constructor(
    readonly cfg: StepConfig,
    readonly ops: MatrixOps = new MatrixOps(),
  ) {
    if (cfg.sizes.length < 2) throw new Error('internal: a network needs at least its output layer');
    this.offs = layerOffsets(cfg.sizes);
    this.d = cfg.sizes[0];
    this.m = cfg.sizes[cfg.sizes.length - 1];
    this.L = cfg.sizes.length - 1;
  }

  /**
   * Loss of `batch`; when `grad` is given (same layout as theta), also its gradient, written there.
   */
  run(params: NetParams, batch: Batch, grad: Float32Array | null): StepLoss {
    try {
      return this.runInner(params, batch, grad);
    } finally {
      this.ops.release();
    }
  }

  private runInner(params: NetParams, batch: Batch, grad: Float32Array | null): StepLoss {
    const { cfg, ops, offs, d, m, L } = this;
    const B = batch.rows;
    const theta = params.theta;
    const sizes = cfg.sizes;
    const withJ = cfg.hasGrads && batch.g !== null;
    const withV = cfg.hasValues && batch.y !== null;
    const second = withJ && grad !== null;
    const W = (l: number): Float32Array => theta.subarray(offs[l].W, offs[l].W + offs[l].nIn * offs[l].nOut);
    const bias = (l: number): Float32Array => theta.subarray(offs[l].b, offs[l].b + offs[l].nOut);
    const Wm: Matrix[] = offs.map((o, l) => ops.matrix(W(l), o.nIn, o.nOut));
    const WTm: Matrix[] = offs.map((o, l) => ops.matrix(params.wT[l], o.nOut, o.nIn));

    // ---- forward: h_l and the activation's derivatives
    const hs: Float32Array[] = [batch.x.length === B * d ? batch.x : batch.x.subarray(0, B * d)];
    const acts: ActOut[] = [];
    for (let l = 0; l < L - 1; l++) {
      const n = sizes[l + 1];
      const prim = ops.denseAct(hs[l], B, Wm[l], bias(l), cfg.activation);
      const ac = activationFromPrimaries(cfg.activation, prim, B * n, second);
      acts.push(ac);
      hs.push(ac.a);
    }
    const nLast = sizes[L - 1];
    const y = ops.matmul(hs[L - 1], B, Wm[L - 1]);
    const bL = bias(L - 1);
    for (let r = 0; r < B; r++) for (let k = 0; k < m; k++) y[r * m + k] += bL[k];

    // ---- the input Jacobian
    const fwd = cfg.mode === 'forward';
    let J: Float32Array | null = null;
    const ts: Float32Array[] = []; // forward mode: pre-activation tangents t_l (l >= 2; t_1 is W_1's rows)
    const Ts: Float32Array[] = []; // forward mode: tangents T_l, [d·B, n_l]
    const As: Float32Array[] = []; // reverse mode: adjoints A_l (l < L-1; A_{L-1} is W_L's columns)
    const Qs: Float32Array[] = []; // reverse mode: Q_l = A_l * d1_l, [m·B, n_l]
    if (withJ) {
      if (fwd) {
        for (let l = 0; l < L - 1; l++) {
          const n = sizes[l + 1];
          const d1 = acts[l].d1;
          let T: Float32Array;
          if (l === 0) {
            const W0 = W(0);
            T = new Float32Array(d * B * n);
            for (let i = 0; i < d; i++) {
              for (let r = 0; r < B; r++) {
                const o = (i * B + r) * n;
                for (let j = 0; j < n; j++) T[o + j] = W0[i * n + j] * d1[r * n + j];
              }
            }
            ts.push(new Float32Array(0));
          } else {
            const t = ops.matmul(Ts[l - 1], d * B, Wm[l]);
            ts.push(t);
            T = mulBlocks(t, d1, d, B * n);
          }
          Ts.push(T);
        }
        if (L === 1) {
          const W0 = W(0);
          J = new Float32Array(d * B * m);
          for (let i = 0; i < d; i++) for (let r = 0; r < B; r++) for (let k = 0; k < m; k++) J[(i * B + r) * m + k] = W0[i * m + k];
        } else {
          J = ops.matmul(Ts[L - 2], d * B, Wm[L - 1]);
        }
      } else {
        // Q_{L-1}[k, r, j] = W_L[j, k] * d1_{L-1}[r, j], then down the layers
        if (L === 1) {
          const W0 = W(0);
          J = new Float32Array(m * B * d);
          for (let k = 0; k < m; k++) for (let r = 0; r < B; r++) for (let i = 0; i < d; i++) J[(k * B + r) * d + i] = W0[i * m + k];
        } else {
          const WL = W(L - 1);
          const n = nLast;
          const d1 = acts[L - 2].d1;
          const Q = new Float32Array(m * B * n);
          for (let k = 0; k < m; k++) {
            for (let r = 0; r < B; r++) {
              const o = (k * B + r) * n;
              for (let j = 0; j < n; j++) Q[o + j] = WL[j * m + k] * d1[r * n + j];
            }
          }
          Qs[L - 2] = Q;
          for (let l = L - 2; l >= 1; l--) {
            const A = ops.matmul(Qs[l], m * B, WTm[l]); // A_{l}: [m·B, n_l] with n_l = sizes[l]
            As[l - 1] = A;
            Qs[l - 1] = mulBlocks(A, acts[l - 1].d1, m, B * sizes[l]);
          }
          J = ops.matmul(Qs[0], m * B, WTm[0]);
        }
      }
    }

    // ---- loss and its gradient with respect to y and J
    let vl: number | null = null;
    let gl: number | null = null;
    const gy = new Float32Array(B * m);
    let gJ: Float32Array | null = null;
    if (withV) {
      const Y = batch.y as Float32Array;
      const vm = cfg.valueMask;
      const c = cfg.valueScale / (B * m);
      let s = 0;
      for (let r = 0; r < B; r++) {
        for (let k = 0; k < m; k++) {
          const idx = r * m + k;
          const res = vm && vm[k] === 0 ? 0 : y[idx] - Y[idx];
          s += res * res;
          gy[idx] = 2 * c * cfg.valueWeight * res;
        }
      }
      vl = s * c;
    }
    if (withJ && J) {
      const G = batch.g as Float32Array;
      const pm = cfg.pairMask;
      const c = (pm ? cfg.gradScale : 1) / (d * B * m);
      const f = 2 * c * cfg.gradWeight;
      gJ = new Float32Array(J.length);
      let s = 0;
      for (let r = 0; r < B; r++) {
        for (let k = 0; k < m; k++) {
          for (let i = 0; i < d; i++) {
            if (pm && pm[k * d + i] === 0) continue;
            const jIdx = fwd ? (i * B + r) * m + k : (k * B + r) * d + i;
            const res = J[jIdx] - G[(r * m + k) * d + i];
            s += res * res;
            gJ[jIdx] = f * res;
          }
        }
      }
      gl = s * c;
    }
    let total: number;
    if (vl !== null && gl !== null) total = cfg.valueWeight * vl + cfg.gradWeight * gl;
    else if (vl !== null) total = cfg.valueWeight * vl;
    else if (gl !== null) total = cfg.gradWeight * gl;
    else throw new Error('internal: a batch with neither value nor derivative targets');
    if (!grad) return { total, value: vl, grad: gl };

    // ---- backward
    grad.fill(0);
    if (!withJ || !gJ) {
      this.backwardValues(hs, acts, gy, B, WTm, grad, null);
    } else if (fwd) {
      this.backwardForwardMode(hs, acts, ts, Ts, gy, gJ, B, W, WTm, grad);
    } else {
      // second pass over the adjoint computation, layer 1 upwards
      const R = gJ;
      const Rins: Float32Array[] = [R]; // Rin_0 .. Rin_{L-1}
      const gzd: Float32Array[] = [];
      for (let l = 0; l < L - 1; l++) {
        const n = sizes[l + 1];
        const RQ = ops.matmul(Rins[l], m * B, Wm[l]); // [m·B, n]
        const ac = acts[l];
        Rins.push(mulBlocks(RQ, ac.d1, m, B * n));
        if (ac.d2) {
          const g = new Float32Array(B * n);
          if (l === L - 2) {
            const WL = W(L - 1);
            for (let k = 0; k < m; k++) {
              for (let r = 0; r < B; r++) {
                const o = (k * B + r) * n;
                for (let j = 0; j < n; j++) g[r * n + j] += RQ[o + j] * WL[j * m + k];
              }
            }
          } else {
            const A = As[l];
            for (let q = 0; q < m; q++) {
              const o = q * B * n;
              for (let e = 0; e < B * n; e++) g[e] += RQ[o + e] * A[o + e];
            }
          }
          for (let e = 0; e < B * n; e++) g[e] *= ac.d2[e];
          gzd.push(g);
        } else {
          gzd.push(new Float32Array(0));
        }
      }
      // output layer: gW_L[j, k] += sum over rows of Rin_{L-1}[k, r, j]
      const oL = offs[L - 1];
      if (L === 1) {
        for (let k = 0; k < m; k++) for (let r = 0; r < B; r++) for (let i = 0; i < d; i++) grad[oL.W + i * m + k] += R[(k * B + r) * d + i];
      } else {
        const Rl = Rins[L - 1];
        const n = nLast;
        const acc = new Float64Array(n * m);
        for (let k = 0; k < m; k++) {
          for (let r = 0; r < B; r++) {
            const o = (k * B + r) * n;
            for (let j = 0; j < n; j++) acc[j * m + k] += Rl[o + j];
          }
        }
        for (let e = 0; e < acc.length; e++) grad[oL.W + e] += acc[e];
      }
      this.backwardValues(hs, acts, gy, B, WTm, grad, { Rins, Qs, gzd });
    }
    return { total, value: vl, grad: gl };
  }

  /**
   * The ordinary backward pass from gy (reverse mode: plus the injected gzd and the Rinᵀ Q terms of
   * the weight gradients).
   */
  private backwardValues(
    hs: Float32Array[],
    acts: ActOut[],
    gy: Float32Array,
    B: number,
    WTm: Matrix[],
    grad: Float32Array,
    rev: { Rins: Float32Array[]; Qs: Float32Array[]; gzd: Float32Array[] } | null,
  ): void {
    const { ops, offs, cfg, m, L } = this;
    const sizes = cfg.sizes;
    const oL = offs[L - 1];
    const nLast = sizes[L - 1];
    {
      const gWL = ops.matmulTN(hs[L - 1], gy, B, nLast, m);
      for (let e = 0; e < gWL.length; e++) grad[oL.W + e] += gWL[e];
      colSums(gy, B, m, grad, oL.b);
    }
    if (L === 1) return;
    let gh = ops.matmul(gy, B, WTm[L - 1]); // [B, n_{L-1}]
    for (let l = L - 2; l >= 0; l--) {
      const n = sizes[l + 1];
      const nIn = sizes[l];
      const ac = acts[l];
      const gz = new Float32Array(B * n);
      for (let e = 0; e < B * n; e++) gz[e] = gh[e] * ac.d1[e];
      if (rev && rev.gzd[l].length) {
        const g = rev.gzd[l];
        for (let e = 0; e < B * n; e++) gz[e] += g[e];
      }
      const o = offs[l];
      const gW = rev ? ops.matmulTN(vstack([hs[l], rev.Rins[l]]), vstack([gz, rev.Qs[l]]), B * (1 + m), nIn, n) : ops.matmulTN(hs[l], gz, B, nIn, n);
      for (let e = 0; e < gW.length; e++) grad[o.W + e] += gW[e];
      colSums(gz, B, n, grad, o.b);
      if (l > 0) gh = ops.matmul(gz, B, WTm[l]);
    }
  }

  private backwardForwardMode(
    hs: Float32Array[],
    acts: ActOut[],
    ts: Float32Array[],
    Ts: Float32Array[],
    gy: Float32Array,
    gJ: Float32Array,
    B: number,
    W: (l: number) => Float32Array,
    WTm: Matrix[],
    grad: Float32Array,
  ): void {
    const { ops, offs, cfg, d, m, L } = this;
    const sizes = cfg.sizes;
    const oL = offs[L - 1];
    const nLast = sizes[L - 1];
    // output layer
    if (L === 1) {
      const gW = ops.matmulTN(hs[0], gy, B, d, m);
      for (let e = 0; e < gW.length; e++) grad[oL.W + e] += gW[e];
      for (let i = 0; i < d; i++) for (let r = 0; r < B; r++) for (let k = 0; k < m; k++) grad[oL.W + i * m + k] += gJ[(i * B + r) * m + k];
      colSums(gy, B, m, grad, oL.b);
      return;
    }
    {
      const gW = ops.matmulTN(vstack([hs[L - 1], Ts[L - 2]]), vstack([gy, gJ]), B * (1 + d), nLast, m);
      for (let e = 0; e < gW.length; e++) grad[oL.W + e] += gW[e];
      colSums(gy, B, m, grad, oL.b);
    }
    let ghT = ops.matmul(vstack([gy, gJ]), B * (1 + d), WTm[L - 1]); // [gh; gT]: [(1+d)·B, n_{L-1}]
    for (let l = L - 2; l >= 0; l--) {
      const n = sizes[l + 1];
      const nIn = sizes[l];
      const ac = acts[l];
      const bn = B * n;
      // gz (rows 0..B) and gt (d blocks after it), in one stacked array
      const stacked = new Float32Array((1 + d) * bn);
      for (let e = 0; e < bn; e++) stacked[e] = ghT[e] * ac.d1[e];
      for (let i = 0; i < d; i++) {
        const o = (1 + i) * bn;
        for (let e = 0; e < bn; e++) stacked[o + e] = ghT[o + e] * ac.d1[e];
      }
      if (ac.d2) {
        // + (sum_i gT[i] * t[i]) * d2 into gz; t_1[i] = W_1[i, :] for the first layer
        const acc = new Float32Array(bn);
        if (l === 0) {
          const W0 = W(0);
          for (let i = 0; i < d; i++) {
            const o = (1 + i) * bn;
            for (let r = 0; r < B; r++) for (let j = 0; j < n; j++) acc[r * n + j] += ghT[o + r * n + j] * W0[i * n + j];
          }
        } else {
          const t = ts[l];
          for (let i = 0; i < d; i++) {
            const o = (1 + i) * bn;
            const ot = i * bn;
            for (let e = 0; e < bn; e++) acc[e] += ghT[o + e] * t[ot + e];
          }
        }
        for (let e = 0; e < bn; e++) stacked[e] += acc[e] * ac.d2[e];
      }
      const o = offs[l];
      if (l === 0) {
        const gz = stacked.subarray(0, bn);
        const gW = ops.matmulTN(hs[0], gz, B, d, n);
        for (let e = 0; e < gW.length; e++) grad[o.W + e] += gW[e];
        // t_1[i] = W_1[i, :]: d loss / d W_1[i, :] gets the batch sum of gt[i]
        for (let i = 0; i < d; i++) {
          const acc = new Float64Array(n);
          const ob = (1 + i) * bn;
          for (let r = 0; r < B; r++) for (let j = 0; j < n; j++) acc[j] += stacked[ob + r * n + j];
          for (let j = 0; j < n; j++) grad[o.W + i * n + j] += acc[j];
        }
        colSums(gz, B, n, grad, o.b);
      } else {
        const gW = ops.matmulTN(vstack([hs[l], Ts[l - 1]]), stacked, B * (1 + d), nIn, n);
        for (let e = 0; e < gW.length; e++) grad[o.W + e] += gW[e];
        colSums(stacked.subarray(0, bn), B, n, grad, o.b);
        ghT = ops.matmul(stacked, B * (1 + d), WTm[l]);
      }
    }
  }
}
