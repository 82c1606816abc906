/**
 * Input derivatives in raw units: Jacobian vs central finite differences of predict, vs the float64
 * reference, vs a hand-set network with a known answer; Hessian vs finite differences of the Jacobian.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MlpModel, evalPoint64, type NormalizationState } from '../../../src/core/model/index';
import { ACTIVATIONS, NORMALIZATIONS, SMOOTH, backendReady, maxAbs, randomModel, randomPoints, shifted } from './helpers';

const RANGES: [number, number][] = [
  [-3, 5],
  [100, 140],
];

for (const act of ACTIVATIONS) {
  for (const kind of NORMALIZATIONS) {
    test(`jacobian = central differences of predict (${act}, ${kind})`, async () => {
      await backendReady();
      // Without normalization, inputs near 100 saturate every unit; use O(1) inputs there.
      const x = randomPoints(60, kind === 'none' ? [[-2, 2], [-1, 1.5]] : RANGES, 11);
      const model = randomModel(act, kind, x);
      const J = model.jacobian(x);
      const sx = model.normalization.inputs.scale;
      const sy = model.normalization.outputs.scale;
      for (let i = 0; i < 2; i++) {
        // Step: 1e-2 in normalized input units. Error budget in normalized output units:
        // truncation h^2/6 * |y'''| (<~ 2e-4 for these O(1)-weight nets) plus float32 round-off
        // ~ 2 * 1e-6 * |y_n| / (2h) (<~ 1e-4). Tolerance 2e-3 leaves a margin of ~7x; a wrong
        // scale factor (even 10 %) is far larger than that.
        const h = 1e-2 * sx[i];
        const yp = model.predict(shifted(x, i, h));
        const ym = model.predict(shifted(x, i, -h));
        for (let k = 0; k < 2; k++) {
          const unit = sy[k] / sx[i]; // one normalized derivative unit in raw units
          let bad = 0;
          let worst = 0;
          for (let r = 0; r < x[0].length; r++) {
            const fd = (yp[k][r] - ym[k][r]) / (2 * h);
            const err = Math.abs(fd - J[k][i][r]) / unit;
            worst = Math.max(worst, err);
            if (err > 2e-3) bad++;
          }
          // relu: central differences straddling a kink are legitimately off; allow a few such points.
          const allowed = act === 'relu' ? 6 : 0;
          assert.ok(bad <= allowed, `${act}/${kind} d y${k + 1}/d x${i + 1}: ${bad} points off by more than 2e-3 units (worst ${worst})`);
          assert.ok(maxAbs(J[k][i]) > 1e-3 * unit, 'derivative is not trivially zero');
        }
      }
      model.dispose();
    });
  }

  test(`jacobian (float32 tfjs) = float64 reference through the chain rule (${act})`, async () => {
    await backendReady();
    const x = randomPoints(40, RANGES, 12);
    const model = randomModel(act, 'minmax', x);
    const J = model.jacobian(x);
    const Y = model.predict(x);
    const { inputs: ni, outputs: no } = model.normalization;
    const w = model.weights();
    for (let r = 0; r < x[0].length; r++) {
      const xn = [0, 1].map((i) => (x[i][r] - ni.offset[i]) / ni.scale[i]);
      const p = evalPoint64(w, act, xn);
      for (let k = 0; k < 2; k++) {
        const yRef = p.y[k] * no.scale[k] + no.offset[k];
        assert.ok(Math.abs(Y[k][r] - yRef) <= 1e-5 * no.scale[k], `value ${Y[k][r]} vs ${yRef}`);
        for (let i = 0; i < 2; i++) {
          const ref = (p.J[k * 2 + i] * no.scale[k]) / ni.scale[i];
          const unit = no.scale[k] / ni.scale[i];
          assert.ok(Math.abs(J[k][i][r] - ref) <= 1e-5 * unit, `d y${k + 1}/d x${i + 1} at ${r}: ${J[k][i][r]} vs ${ref}`);
        }
      }
    }
    model.dispose();
  });
}

for (const act of ACTIVATIONS) {
  // 3 inputs and 1 output: reverse mode (one backward pass); 1 input and 3 outputs, 4 and 2: forward
  for (const [d, m] of [[3, 1], [1, 3], [4, 2]]) {
    test(`jacobian with ${d} inputs and ${m} outputs (${m < d ? 'reverse' : 'forward'} mode) = float64 reference through the chain rule (${act})`, async () => {
      await backendReady();
      const ranges: [number, number][] = [[-3, 5], [100, 140], [0, 0.01], [-50, 50]].slice(0, d) as [number, number][];
      const x = randomPoints(300, ranges, 21);
      const model = randomModel(act, 'minmax', x, m, [8, 6]);
      const J = model.jacobian(x);
      const { inputs: ni, outputs: no } = model.normalization;
      const w = model.weights();
      for (let r = 0; r < x[0].length; r++) {
        const xn = ranges.map((_, i) => (x[i][r] - ni.offset[i]) / ni.scale[i]);
        const p = evalPoint64(w, act, xn);
        for (let k = 0; k < m; k++) {
          for (let i = 0; i < d; i++) {
            const unit = no.scale[k] / ni.scale[i];
            const ref = p.J[k * d + i] * unit;
            assert.ok(Math.abs(J[k][i][r] - ref) <= 1e-5 * unit, `d y${k + 1}/d x${i + 1} at ${r}: ${J[k][i][r]} vs ${ref}`);
          }
        }
      }
      model.dispose();
    });
  }
}

for (const act of SMOOTH) {
  test(`hessian = central differences of jacobian and = float64 reference (${act})`, async () => {
    await backendReady();
    const x = randomPoints(40, RANGES, 13);
    const model = randomModel(act, 'standard', x);
    const H = model.hessian(x);
    const sx = model.normalization.inputs.scale;
    const sy = model.normalization.outputs.scale;
    const { inputs: ni } = model.normalization;
    const w = model.weights();
    for (let j = 0; j < 2; j++) {
      const h = 1e-2 * sx[j];
      const Jp = model.jacobian(shifted(x, j, h));
      const Jm = model.jacobian(shifted(x, j, -h));
      for (let k = 0; k < 2; k++) {
        for (let i = 0; i < 2; i++) {
          const unit = sy[k] / (sx[i] * sx[j]);
          for (let r = 0; r < x[0].length; r++) {
            const fd = (Jp[k][i][r] - Jm[k][i][r]) / (2 * h);
            // same error budget as the Jacobian test, one derivative higher
            assert.ok(Math.abs(fd - H[k][i][j][r]) <= 3e-3 * unit, `${act} d2y${k + 1}/dx${i + 1}dx${j + 1} at ${r}: ${H[k][i][j][r]} vs FD ${fd}`);
            const xn = [0, 1].map((c) => (x[c][r] - ni.offset[c]) / ni.scale[c]);
            const ref = evalPoint64(w, act, xn, true).H as Float64Array;
            assert.ok(Math.abs(ref[(k * 2 + i) * 2 + j] * unit - H[k][i][j][r]) <= 2e-5 * unit, 'matches float64 reference');
          }
        }
      }
    }
    // symmetric
    for (let r = 0; r < x[0].length; r++) assert.ok(Math.abs(H[0][0][1][r] - H[0][1][0][r]) <= 1e-5 * (sy[0] / (sx[0] * sx[1])));
    model.dispose();
  });
}

test('hessian of a relu network throws a clear error', async () => {
  await backendReady();
  const x = randomPoints(5, RANGES, 1);
  const model = randomModel('relu', 'minmax', x);
  assert.throws(() => model.hessian(x), /relu.*smooth activation/);
  model.dispose();
});

/**
 * The network y_n = v * tanh(w * x_n + c) + e with minmax input normalization of scale 0.1
 * (x in [0, 0.2]) and output offset 2, scale 3 has, in raw units,
 *   dy/dx = 3 * v * w * (1 - tanh(w x_n + c)^2) / 0.1
 *   d2y/dx2 = 3 * v * w^2 * (-2 tanh (1 - tanh^2)) / 0.01
 * The classic mistake (seed 000) — differentiating w.r.t. the normalized input — is off by 10x here.
 */
test('hand-set one-unit tanh network: exact derivative in raw units (minmax scale 0.1)', async () => {
  await backendReady();
  const w = 1.3;
  const c = -0.2;
  const v = 0.8;
  const e = 0.1;
  const norm: NormalizationState = {
    kind: 'minmax',
    range: [-1, 1],
    inputs: { offset: [0.1], scale: [0.1] },
    outputs: { offset: [2], scale: [3] },
    outputScaleSource: ['values'],
  };
  const model = new MlpModel(['x'], ['y'], 'tanh', [
    { nIn: 1, nOut: 1, W: Float32Array.of(w), b: Float32Array.of(c) },
    { nIn: 1, nOut: 1, W: Float32Array.of(v), b: Float32Array.of(e) },
  ], norm);
  const xs = Float64Array.of(0, 0.03, 0.1, 0.17, 0.2);
  const y = model.predict([xs])[0];
  const J = model.jacobian([xs])[0][0];
  const H = model.hessian([xs])[0][0][0];
  const wf = Math.fround(w);
  const cf = Math.fround(c);
  const vf = Math.fround(v);
  const ef = Math.fround(e);
  xs.forEach((x, r) => {
    const t = Math.tanh(wf * ((x - 0.1) / 0.1) + cf);
    const yExact = (vf * t + ef) * 3 + 2;
    const dExact = (3 * vf * wf * (1 - t * t)) / 0.1;
    const hExact = (3 * vf * wf * wf * (-2 * t * (1 - t * t))) / 0.01;
    assert.ok(Math.abs(y[r] - yExact) < 1e-5, `y(${x}) = ${y[r]}, expected ${yExact}`);
    assert.ok(Math.abs(J[r] - dExact) < 1e-5 * Math.abs(dExact) + 1e-6, `dy/dx(${x}) = ${J[r]}, expected ${dExact}`);
    assert.ok(Math.abs(H[r] - hExact) < 1e-4 * Math.abs(hExact) + 1e-4, `d2y/dx2(${x}) = ${H[r]}, expected ${hExact}`);
    // and not the normalized-input derivative, which is 10x smaller here
    assert.ok(Math.abs(J[r] - dExact / 10) > 0.5 * Math.abs(dExact));
  });
  model.dispose();
});

test('large batches are chunked and give the same answer as small ones', async () => {
  await backendReady();
  const x = randomPoints(150_001, RANGES, 5);
  const model = randomModel('tanh', 'minmax', x);
  const J = model.jacobian(x);
  const P = model.predict(x);
  const idx = [0, 1, 77_777, 100_000, 150_000];
  const sub = x.map((c) => Float64Array.from(idx, (r) => c[r]));
  const Js = model.jacobian(sub);
  const Ps = model.predict(sub);
  idx.forEach((r, s) => {
    for (let k = 0; k < 2; k++) {
      assert.equal(P[k][r], Ps[k][s]);
      for (let i = 0; i < 2; i++) assert.equal(J[k][i][r], Js[k][i][s]);
    }
  });
  model.dispose();
});

test('bad inputs give clear errors', async () => {
  await backendReady();
  const x = randomPoints(5, RANGES, 1);
  const model = randomModel('tanh', 'minmax', x);
  assert.throws(() => model.predict([x[0]]), /expected 2 input arrays/);
  assert.throws(() => model.jacobian([x[0], x[1].subarray(0, 3)]), /has 3 values/);
  assert.throws(() => model.predict([x[0], Float64Array.of(1, 2, NaN, 4, 5)]), /not a finite number at point 2/);
  model.dispose();
  assert.throws(() => model.predict(x), /disposed/);
});
