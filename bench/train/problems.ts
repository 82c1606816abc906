/**
 * The benchmark problems of bench/train: smooth functions with analytic partials, inputs in raw units
 * of different scales. Shared by train-bench.ts and torch-engine-bench.ts.
 */
import { Prng } from '../../src/core/model/prng';

export interface Problem {
  name: string;
  inputs: string[];
  x: Float64Array[];
  y: Float64Array;
  dy: Float64Array[];
}

export function uniform(rng: Prng, n: number, lo: number, hi: number): Float64Array {
  const a = new Float64Array(n);
  for (let r = 0; r < n; r++) a[r] = lo + (hi - lo) * rng.next();
  return a;
}

/** 2 inputs: y = sin(x1) + 0.5 cos(2 x2) + 0.1 x1 x2 on [-3,3] x [-2,2]. */
export function smallProblem(n: number): Problem {
  const rng = new Prng(11);
  const x1 = uniform(rng, n, -3, 3);
  const x2 = uniform(rng, n, -2, 2);
  const y = new Float64Array(n);
  const d1 = new Float64Array(n);
  const d2 = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    y[r] = Math.sin(x1[r]) + 0.5 * Math.cos(2 * x2[r]) + 0.1 * x1[r] * x2[r];
    d1[r] = Math.cos(x1[r]) + 0.1 * x2[r];
    d2[r] = -Math.sin(2 * x2[r]) + 0.1 * x1[r];
  }
  return { name: 'small', inputs: ['x1', 'x2'], x: [x1, x2], y, dy: [d1, d2] };
}

/**
 * 8 inputs on ranges of very different size (so the normalization matters):
 * with u_i = x_i mapped to [-1, 1],
 *   y = sum_i c_i sin(k_i u_i) + u0 u1 + 0.5 u2 u3^2 + 0.3 u4 u5 u6 + 0.2 u7^3
 * and dy/dx_i = dy/du_i * 2 / (hi_i - lo_i).
 */
export function mediumProblem(n: number): Problem {
  const ranges: [number, number][] = [[0, 1], [-10, 10], [0, 100], [-1, 1], [0, 5], [-0.1, 0.1], [2, 4], [-3, 3]];
  const c = [1, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1];
  const k = [1, 1.5, 2, 2.5, 1, 1.5, 2, 2.5];
  const d = ranges.length;
  const rng = new Prng(12);
  const x = ranges.map(([lo, hi]) => uniform(rng, n, lo, hi));
  const y = new Float64Array(n);
  const dy = ranges.map(() => new Float64Array(n));
  const u = new Float64Array(d);
  const du = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      const [lo, hi] = ranges[i];
      u[i] = (2 * (x[i][r] - lo)) / (hi - lo) - 1;
    }
    let v = 0.5 * u[2] * u[3] * u[3] + u[0] * u[1] + 0.3 * u[4] * u[5] * u[6] + 0.2 * u[7] ** 3;
    for (let i = 0; i < d; i++) {
      v += c[i] * Math.sin(k[i] * u[i]);
      du[i] = c[i] * k[i] * Math.cos(k[i] * u[i]);
    }
    du[0] += u[1];
    du[1] += u[0];
    du[2] += 0.5 * u[3] * u[3];
    du[3] += u[2] * u[3];
    du[4] += 0.3 * u[5] * u[6];
    du[5] += 0.3 * u[4] * u[6];
    du[6] += 0.3 * u[4] * u[5];
    du[7] += 0.6 * u[7] * u[7];
    y[r] = v;
    for (let i = 0; i < d; i++) {
      const [lo, hi] = ranges[i];
      dy[i][r] = (du[i] * 2) / (hi - lo);
    }
  }
  return { name: 'medium', inputs: ranges.map((_, i) => `x${i + 1}`), x, y, dy };
}
