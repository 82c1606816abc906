/**
 * Adam over the flat weight vector, as a loop over typed arrays (one pass, where tfjs's optimizer
 * costs about 14 kernel calls a step). Same update as tfjs's AdamOptimizer (β1 0.9, β2 0.999, the
 * backend's epsilon, bias correction with β^t), computed in float64 and stored in float32.
 *
 * The same pass keeps the transposed weight matrices (`wT`, which the backward products need, see
 * matrix.ts) equal to the transposes of the updated weights: the update is elementwise, so each new
 * value is written to both places and no Transpose is needed in the step.
 */
import { layerOffsets } from './step';

export class Adam {
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;
  private readonly offs: ReturnType<typeof layerOffsets>;

  constructor(
    sizes: number[],
    readonly epsilon: number,
  ) {
    this.offs = layerOffsets(sizes);
    const n = this.offs.length ? this.offs[this.offs.length - 1].b + this.offs[this.offs.length - 1].nOut : 0;
    this.m = new Float32Array(n);
    this.v = new Float32Array(n);
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
    for (let l = 0; l < this.offs.length; l++) {
      const o = this.offs[l];
      const T = wT[l];
      const nIn = o.nIn;
      const nOut = o.nOut;
      for (let i = 0; i < nIn; i++) {
        const row = o.W + i * nOut;
        for (let j = 0; j < nOut; j++) {
          const idx = row + j;
          const g = grad[idx];
          const mi = m[idx] * b1 + g * a1;
          const vi = v[idx] * b2 + g * g * a2;
          m[idx] = mi;
          v[idx] = vi;
          const w = theta[idx] - (lr * (mi * c1)) / (Math.sqrt(vi * c2) + eps);
          theta[idx] = w;
          T[j * nIn + i] = w;
        }
      }
      for (let idx = o.b; idx < o.b + nOut; idx++) {
        const g = grad[idx];
        const mi = m[idx] * b1 + g * a1;
        const vi = v[idx] * b2 + g * g * a2;
        m[idx] = mi;
        v[idx] = vi;
        theta[idx] = theta[idx] - (lr * (mi * c1)) / (Math.sqrt(vi * c2) + eps);
      }
    }
  }
}
