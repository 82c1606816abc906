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
import { MatrixOps, scratch64, type ActPrimaries, type Matrix } from './matrix';

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

/**
 * The activation and its first two derivatives from the kernels' primaries (see ActPrimaries), into
 * `a`, `d1` and (when given) `d2`.
 */
export function activationFromPrimaries(act: Activation, p: ActPrimaries, size: number, a: Float32Array, d1: Float32Array, d2: Float32Array | null): void {
  switch (act) {
    case 'tanh': {
      // tanh z = 2 sigmoid(2z) - 1 (the sigmoid kernel is vectorized on wasm); within 2e-7 of tanh
      const s = p.s as Float32Array;
      if (d2) {
        for (let i = 0; i < size; i++) {
          const av = 2 * s[i] - 1;
          const g = 1 - av * av;
          a[i] = av;
          d1[i] = g;
          d2[i] = -2 * av * g;
        }
      } else {
        for (let i = 0; i < size; i++) {
          const av = 2 * s[i] - 1;
          a[i] = av;
          d1[i] = 1 - av * av;
        }
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
      }
      if (d2) {
        for (let i = 0; i < size; i++) {
          const zi = z[i];
          const si = s[i];
          d2[i] = si * (1 - si) * (2 + zi * (1 - 2 * si));
        }
      }
      break;
    }
    case 'softplus': {
      const sp = p.p as Float32Array;
      const s = p.s as Float32Array;
      a.set(sp.subarray(0, size));
      d1.set(s.subarray(0, size));
      if (d2) for (let i = 0; i < size; i++) d2[i] = s[i] * (1 - s[i]);
      break;
    }
    case 'sin': {
      const sn = p.p as Float32Array;
      const cs = p.c as Float32Array;
      a.set(sn.subarray(0, size));
      d1.set(cs.subarray(0, size));
      if (d2) for (let i = 0; i < size; i++) d2[i] = -sn[i];
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
}

/** out[q·bn + e] = t[q·bn + e] * f[e] for q < blocks (f repeated over the blocks). */
function mulBlocks(t: Float32Array, f: Float32Array, blocks: number, bn: number, out: Float32Array): Float32Array {
  for (let q = 0; q < blocks; q++) {
    const o = q * bn;
    for (let e = 0; e < bn; e++) out[o + e] = t[o + e] * f[e];
  }
  return out;
}

/** Column sums of a [rows, n] array into out[outOffset ..]. */
function colSums(a: Float32Array, rows: number, n: number, out: Float32Array, outOffset: number): void {
  const acc = scratch64(2, n);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    for (let j = 0; j < n; j++) acc[j] += a[o + j];
  }
  for (let j = 0; j < n; j++) out[outOffset + j] = acc[j];
}

/**
 * Buffers of one step, by layer (code index l = 0..L-1 is the weight matrix W_{l+1} of the header):
 *   `L${l}`  the left operand of W_l's weight gradient, rows stacked: h_l (B rows), then the
 *            derivative part X_l (forward mode: T_l, d blocks; reverse mode: Rin_l, m blocks)
 *   `R${l}`  the right operand, rows stacked: gz_l (or gy), then gt_l (forward) or Q_l (reverse)
 * so the two parts of a weight gradient are one product and nothing is copied to stack them.
 */
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
    const ws = ops.ws;
    const B = batch.rows;
    const theta = params.theta;
    const sizes = cfg.sizes;
    const withJ = cfg.hasGrads && batch.g !== null;
    const withV = cfg.hasValues && batch.y !== null;
    const wantGrad = grad !== null;
    const second = withJ && wantGrad;
    const fwd = cfg.mode === 'forward';
    // rows of the stacked operands of the weight gradients: B, plus B per tangent/adjoint block
    const blocks = withJ ? (fwd ? d : m) : 0;
    const R = B * (1 + blocks);
    const W = (l: number): Float32Array => theta.subarray(offs[l].W, offs[l].W + offs[l].nIn * offs[l].nOut);
    const bias = (l: number): Float32Array => theta.subarray(offs[l].b, offs[l].b + offs[l].nOut);
    const Wm: Matrix[] = offs.map((o, l) => ops.matrix(W(l), o.nIn, o.nOut));
    const WTm: Matrix[] = offs.map((o, l) => ops.matrix(params.wT[l], o.nOut, o.nIn));
    // left stacks: L0 holds x (the derivative part of layer 1 is special in both modes)
    const left: Float32Array[] = sizes.slice(0, L).map((n, l) => (l === 0 ? batch.x.subarray(0, B * d) : ws.get(`L${l}`, R * n)));
    const hOf = (l: number): Float32Array => (l === 0 ? left[0] : left[l].subarray(0, B * sizes[l]));

    // ---- forward: h_l and the activation's derivatives
    const acts: ActOut[] = [];
    for (let l = 0; l < L - 1; l++) {
      const n = sizes[l + 1];
      const prim = ops.denseAct(hOf(l), B, Wm[l], bias(l), cfg.activation, `f${l}`);
      const ac: ActOut = { a: left[l + 1].subarray(0, B * n), d1: ws.get(`d1.${l}`, B * n), d2: second && cfg.activation !== 'relu' ? ws.get(`d2.${l}`, B * n) : null };
      activationFromPrimaries(cfg.activation, prim, B * n, ac.a, ac.d1, ac.d2);
      acts.push(ac);
    }
    const nLast = sizes[L - 1];
    const y = ops.matmul(hOf(L - 1), B, Wm[L - 1], ws.get('y', B * m));
    const bL = bias(L - 1);
    for (let r = 0; r < B; r++) for (let k = 0; k < m; k++) y[r * m + k] += bL[k];

    // ---- the input Jacobian
    let J: Float32Array | null = null;
    const ts: Float32Array[] = []; // forward mode: pre-activation tangents t_l (l >= 1; t_0 is W_0's rows)
    const As: Float32Array[] = []; // reverse mode: adjoints A_l (l < L-2; A_{L-2} is W_{L-1}'s columns)
    const Qs: Float32Array[] = []; // reverse mode: Q_l, the lower part of the right stack R_l
    if (withJ) {
      if (fwd) {
        for (let l = 0; l < L - 1; l++) {
          const n = sizes[l + 1];
          const bn = B * n;
          const d1 = acts[l].d1;
          const T = left[l + 1].subarray(bn, bn + d * bn); // T_l into its place in the left stack
          if (l === 0) {
            const W0 = W(0);
            for (let i = 0; i < d; i++) {
              for (let r = 0; r < B; r++) {
                const o = (i * B + r) * n;
                for (let j = 0; j < n; j++) T[o + j] = W0[i * n + j] * d1[r * n + j];
              }
            }
            ts.push(new Float32Array(0));
          } else {
            const Tprev = left[l].subarray(B * sizes[l], B * sizes[l] * (1 + d));
            const t = ops.matmul(Tprev, d * B, Wm[l], ws.get(`t${l}`, d * bn));
            ts.push(t);
            mulBlocks(t, d1, d, bn, T);
          }
        }
        J = ws.get('J', d * B * m);
        if (L === 1) {
          const W0 = W(0);
          for (let i = 0; i < d; i++) for (let r = 0; r < B; r++) for (let k = 0; k < m; k++) J[(i * B + r) * m + k] = W0[i * m + k];
        } else {
          ops.matmul(left[L - 1].subarray(B * nLast, B * nLast * (1 + d)), d * B, Wm[L - 1], J);
        }
      } else {
        J = ws.get('J', m * B * d);
        if (L === 1) {
          const W0 = W(0);
          for (let k = 0; k < m; k++) for (let r = 0; r < B; r++) for (let i = 0; i < d; i++) J[(k * B + r) * d + i] = W0[i * m + k];
        } else {
          // Q_{L-2}[k, r, j] = W_{L-1}[j, k] * d1_{L-2}[r, j], then down the layers
          const WL = W(L - 1);
          const n = nLast;
          const bn = B * n;
          const d1 = acts[L - 2].d1;
          const Q = ws.get(`R${L - 2}`, R * n).subarray(bn, bn + m * bn);
          for (let k = 0; k < m; k++) {
            for (let r = 0; r < B; r++) {
              const o = (k * B + r) * n;
              for (let j = 0; j < n; j++) Q[o + j] = WL[j * m + k] * d1[r * n + j];
            }
          }
          Qs[L - 2] = Q;
          for (let l = L - 2; l >= 1; l--) {
            const nIn = sizes[l];
            const bnIn = B * nIn;
            const A = ops.matmul(Qs[l], m * B, WTm[l], ws.get(`A${l - 1}`, m * bnIn));
            As[l - 1] = A;
            Qs[l - 1] = mulBlocks(A, acts[l - 1].d1, m, bnIn, ws.get(`R${l - 1}`, R * nIn).subarray(bnIn, bnIn + m * bnIn));
          }
          ops.matmul(Qs[0], m * B, WTm[0], J);
        }
      }
    }

    // ---- loss and its gradient with respect to y and J
    let vl: number | null = null;
    let gl: number | null = null;
    const gy = L > 1 ? ws.get(`R${L - 1}`, R * m).subarray(0, B * m) : ws.get('gy', B * m);
    let gJ: Float32Array | null = null;
    if (withV) {
      const Y = batch.y as Float32Array;
      const vm = cfg.valueMask;
      const c = cfg.valueScale / (B * m);
      const f = 2 * c * cfg.valueWeight;
      let s = 0;
      for (let idx = 0; idx < B * m; idx++) {
        const res = vm && vm[idx % m] === 0 ? 0 : y[idx] - Y[idx];
        s += res * res;
        gy[idx] = f * res;
      }
      vl = s * c;
    } else {
      gy.fill(0);
    }
    if (withJ && J) {
      const G = batch.g as Float32Array;
      const pm = cfg.pairMask;
      const c = (pm ? cfg.gradScale : 1) / (d * B * m);
      const f = 2 * c * cfg.gradWeight;
      // forward mode: gJ sits below gy in the right stack of the output layer (they share W_Lᵀ)
      gJ = fwd && L > 1 ? ws.get(`R${L - 1}`, R * m).subarray(B * m, B * m * (1 + d)) : ws.get('gJ', J.length);
      let s = 0;
      for (let r = 0; r < B; r++) {
        for (let k = 0; k < m; k++) {
          for (let i = 0; i < d; i++) {
            const jIdx = fwd ? (i * B + r) * m + k : (k * B + r) * d + i;
            if (pm && pm[k * d + i] === 0) {
              gJ[jIdx] = 0;
              continue;
            }
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
    if (!wantGrad) return { total, value: vl, grad: gl };

    // ---- backward
    if (!withJ || !gJ) this.backwardReverse(B, 0, left, acts, gy, WTm, grad, null);
    else if (fwd) this.backwardForward(B, left, acts, ts, gy, gJ, W, WTm, grad);
    else this.backwardReverse(B, m, left, acts, gy, WTm, grad, this.secondPass(B, left, acts, As, gJ, W, Wm, grad));
    return { total, value: vl, grad: gl };
  }

  /**
   * Reverse mode: the derivative loss differentiated through the adjoint pass, layer 1 upwards:
   * Rin_l (into the left stacks), gzd_l, and the output layer's gW_L[:, k] += batch sum of Rin_{L-1}[k].
   */
  private secondPass(B: number, left: Float32Array[], acts: ActOut[], As: Float32Array[], gJ: Float32Array, W: (l: number) => Float32Array, Wm: Matrix[], grad: Float32Array): Float32Array[] {
    const { ops, offs, cfg, m, d, L } = this;
    const ws = ops.ws;
    const sizes = cfg.sizes;
    const gzd: Float32Array[] = [];
    const oL = offs[L - 1];
    grad.fill(0, oL.W, oL.W + oL.nIn * oL.nOut);
    if (L === 1) {
      for (let k = 0; k < m; k++) for (let r = 0; r < B; r++) for (let i = 0; i < d; i++) grad[oL.W + i * m + k] += gJ[(k * B + r) * d + i];
      return gzd;
    }
    let Rin = gJ; // Rin_0 = R = dLoss/dJ
    for (let l = 0; l < L - 1; l++) {
      const n = sizes[l + 1];
      const bn = B * n;
      const RQ = ops.matmul(Rin, m * B, Wm[l], ws.get(`RQ${l}`, m * bn));
      const ac = acts[l];
      const next = left[l + 1].subarray(bn, bn + m * bn);
      mulBlocks(RQ, ac.d1, m, bn, next);
      Rin = next;
      if (ac.d2) {
        const g = ws.zeros(`gzd${l}`, bn);
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
            const o = q * bn;
            for (let e = 0; e < bn; e++) g[e] += RQ[o + e] * A[o + e];
          }
        }
        const d2 = ac.d2;
        for (let e = 0; e < bn; e++) g[e] *= d2[e];
        gzd.push(g);
      } else {
        gzd.push(new Float32Array(0));
      }
    }
    // gW_L[j, k] = sum over rows of Rin_{L-1}[k, r, j] (the ordinary part is added by backwardReverse)
    const n = sizes[L - 1];
    const acc = scratch64(3, n * m);
    for (let k = 0; k < m; k++) {
      for (let r = 0; r < B; r++) {
        const o = (k * B + r) * n;
        for (let j = 0; j < n; j++) acc[j * m + k] += Rin[o + j];
      }
    }
    for (let e = 0; e < acc.length; e++) grad[oL.W + e] = acc[e];
    return gzd;
  }

  /**
   * The ordinary backward pass from gy; in reverse mode (`blocks` = m) the left stacks hold Rin below
   * h, the right stacks Q below gz, the injected gzd is added to gz, and gW_L already holds the
   * adjoint part.
   */
  private backwardReverse(B: number, blocks: number, left: Float32Array[], acts: ActOut[], gy: Float32Array, WTm: Matrix[], grad: Float32Array, gzd: Float32Array[] | null): void {
    const { ops, offs, cfg, m, L } = this;
    const ws = ops.ws;
    const sizes = cfg.sizes;
    const R = B * (1 + blocks);
    const oL = offs[L - 1];
    const nLast = sizes[L - 1];
    {
      // output layer: hᵀ gy (only the value rows: the adjoint part of gW_L was summed in secondPass)
      const gW = ops.matmulTN(L === 1 ? left[0] : left[L - 1].subarray(0, B * nLast), gy, B, nLast, m, ws.get('gW', nLast * m));
      if (gzd) for (let e = 0; e < gW.length; e++) grad[oL.W + e] += gW[e];
      else grad.set(gW, oL.W);
      colSums(gy, B, m, grad, oL.b);
      // (reverse mode without hidden layers: J = W_1ᵀ, its part of gW_1 was summed by secondPass)
      if (L === 1) return;
    }
    let gh = ops.matmul(gy, B, WTm[L - 1], ws.get('gh', B * nLast));
    for (let l = L - 2; l >= 0; l--) {
      const n = sizes[l + 1];
      const nIn = sizes[l];
      const bn = B * n;
      const ac = acts[l];
      const Rs = ws.get(`R${l}`, R * n);
      const gz = Rs.subarray(0, bn);
      const d1 = ac.d1;
      const acc = scratch64(3, n);
      const gzl = gzd ? gzd[l] : null;
      if (gzl && gzl.length) {
        for (let r = 0; r < B; r++) {
          const o = r * n;
          for (let j = 0; j < n; j++) {
            const v = gh[o + j] * d1[o + j] + gzl[o + j];
            gz[o + j] = v;
            acc[j] += v;
          }
        }
      } else {
        for (let r = 0; r < B; r++) {
          const o = r * n;
          for (let j = 0; j < n; j++) {
            const v = gh[o + j] * d1[o + j];
            gz[o + j] = v;
            acc[j] += v;
          }
        }
      }
      const o = offs[l];
      for (let j = 0; j < n; j++) grad[o.b + j] = acc[j];
      // gW_l = [h_l; Rin_l]ᵀ [gz_l; Q_l] in one product (values only: h_lᵀ gz_l)
      const lhs = l === 0 ? (gzd ? this.stackX0(B, left[0], R) : left[0]) : left[l];
      ops.matmulTN(lhs, gzd ? Rs : gz, gzd ? R : B, nIn, n, grad.subarray(o.W, o.W + nIn * n));
      if (l > 0) gh = ops.matmul(gz, B, WTm[l], ws.get('gh', B * nIn));
    }
  }

  /** Reverse mode, layer 1: the left stack [x; R] (x from the batch, R = dLoss/dJ). */
  private stackX0(B: number, x: Float32Array, R: number): Float32Array {
    const { d } = this;
    const s = this.ops.ws.get('L0', R * d);
    s.set(x.subarray(0, B * d));
    s.set(this.ops.ws.get('gJ', R * d - B * d), B * d);
    return s;
  }

  private backwardForward(B: number, left: Float32Array[], acts: ActOut[], ts: Float32Array[], gy: Float32Array, gJ: Float32Array, W: (l: number) => Float32Array, WTm: Matrix[], grad: Float32Array): void {
    const { ops, offs, cfg, d, m, L } = this;
    const ws = ops.ws;
    const sizes = cfg.sizes;
    const R = B * (1 + d);
    const oL = offs[L - 1];
    const nLast = sizes[L - 1];
    if (L === 1) {
      const gW = ops.matmulTN(left[0], gy, B, d, m, ws.get('gW', d * m));
      for (let e = 0; e < gW.length; e++) grad[oL.W + e] = gW[e];
      for (let i = 0; i < d; i++) for (let r = 0; r < B; r++) for (let k = 0; k < m; k++) grad[oL.W + i * m + k] += gJ[(i * B + r) * m + k];
      colSums(gy, B, m, grad, oL.b);
      return;
    }
    // output layer: [h; T]ᵀ [gy; gJ] (gy and gJ are stacked in R_{L-1} already)
    const RL = ws.get(`R${L - 1}`, R * m);
    ops.matmulTN(left[L - 1], RL, R, nLast, m, grad.subarray(oL.W, oL.W + nLast * m));
    colSums(gy, B, m, grad, oL.b);
    let ghT = ops.matmul(RL, R, WTm[L - 1], ws.get('ghT', R * nLast)); // [gh; gT]
    for (let l = L - 2; l >= 0; l--) {
      const n = sizes[l + 1];
      const nIn = sizes[l];
      const ac = acts[l];
      const bn = B * n;
      // gz (rows 0..B) and gt (d blocks after it), in the right stack
      const stacked = ws.get(`R${l}`, R * n);
      mulBlocks(ghT, ac.d1, 1 + d, bn, stacked);
      if (ac.d2) {
        // + (sum_i gT[i] * t[i]) * d2 into gz; t_0[i] = W_0[i, :] for the first layer
        const acc = ws.zeros('sumGt', bn);
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
        const d2 = ac.d2;
        for (let e = 0; e < bn; e++) stacked[e] += acc[e] * d2[e];
      }
      const o = offs[l];
      const gz = stacked.subarray(0, bn);
      colSums(gz, B, n, grad, o.b);
      if (l === 0) {
        ops.matmulTN(left[0], gz, B, d, n, grad.subarray(o.W, o.W + d * n));
        // t_0[i] = W_0[i, :]: d loss / d W_0[i, :] also gets the batch sum of gt[i]
        for (let i = 0; i < d; i++) {
          const acc = scratch64(3, n);
          const ob = (1 + i) * bn;
          for (let r = 0; r < B; r++) for (let j = 0; j < n; j++) acc[j] += stacked[ob + r * n + j];
          for (let j = 0; j < n; j++) grad[o.W + i * n + j] += acc[j];
        }
      } else {
        ops.matmulTN(left[l], stacked, R, nIn, n, grad.subarray(o.W, o.W + nIn * n));
        ghT = ops.matmul(stacked, R, WTm[l], ws.get('ghT', R * nIn));
      }
    }
  }
}
