/**
 * Adam over the flat weight vector, as a loop over typed arrays (one pass, where tfjs's optimizer
 * costs about 14 kernel calls a step). Same update as tfjs's AdamOptimizer (β1 0.9, β2 0.999, the
 * backend's epsilon, bias correction with β^t), with the moments in float64 and the weights in float32.
 *
 * After the update it refreshes the transposed weight matrices (`wT`, the right operands of the
 * backward products, see matrix.ts) with a blocked copy, so the step itself transposes no weights.
 */
import { layerOffsets } from './step';
import { transpose } from './matrix';

export class Adam {
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  private readonly offs: ReturnType<typeof layerOffsets>;

  constructor(
    sizes: number[],
    readonly epsilon: number,
  ) {
    this.offs = layerOffsets(sizes);
    const n = this.offs.length ? this.offs[this.offs.length - 1].b + this.offs[this.offs.length - 1].nOut : 0;
    this.m = new Float64Array(n);
    this.v = new Float64Array(n);
  }

  /** One update of `theta` by `grad` with learning rate `lr`; `wT[l]` follows W_l. */
  update(theta: Float32Array, wT: Float32Array[], grad: Float32Array, lr: number): void {
    this.t++;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const eps = this.epsilon;
    const m = this.m;
    const v = this.v;
    const c1 = 1 / (1 - Math.pow(b1, this.t));
    const c2 = 1 / (1 - Math.pow(b2, this.t));
    const a1 = 1 - b1;
    const a2 = 1 - b2;
    const n = theta.length;
    for (let idx = 0; idx < n; idx++) {
      const g = grad[idx];
      const mi = m[idx] * b1 + g * a1;
      const vi = v[idx] * b2 + g * g * a2;
      m[idx] = mi;
      v[idx] = vi;
      theta[idx] = theta[idx] - (lr * (mi * c1)) / (Math.sqrt(vi * c2) + eps);
    }
    for (let l = 0; l < this.offs.length; l++) {
      const o = this.offs[l];
      transpose(theta.subarray(o.W, o.W + o.nIn * o.nOut), o.nIn, o.nOut, wT[l]);
    }
  }
}
