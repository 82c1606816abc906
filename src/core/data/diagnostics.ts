/**
 * Checks on a dataset before training: hard errors (`validateTrainingData`, throws DataError) and
 * warnings (`diagnoseData`, returns DataWarning[] with stable codes). Thresholds are the exported
 * constants below and are documented in docs/data-and-metrics.md.
 */
import type { Activation, DataWarning } from '../model/types';
import type { Dataset } from './types';
import { DataError } from './errors';
import { standardizedSvd } from './linalg';

/** Fewer data rows than this is an error: `2·inputs + 2` (a line through two points per input, plus slack). */
export function minRows(inputs: number): number {
  return 2 * inputs + 2;
}
/** Fewer data rows than this is a `few-rows` warning: `10·(inputs + 1)`. */
export function fewRowsThreshold(inputs: number): number {
  return 10 * (inputs + 1);
}
/** `inputs-collinear` when the smallest/largest singular value of the standardised inputs is below this. */
export const COLLINEAR_RATIO = 1e-2;

/** Errors that make training pointless: too few rows, a constant input column. */
export function validateTrainingData(ds: Dataset, inputs: string[]): void {
  const need = minRows(inputs.length);
  if (ds.rowCount < need) {
    throw new DataError(
      ds.source,
      `${ds.rowCount} data rows are too few for ${inputs.length} input${inputs.length === 1 ? '' : 's'}; at least ${need} (2·inputs + 2) are required`,
    );
  }
  for (const name of inputs) {
    const col = ds.data[name];
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of col) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo === hi) {
      throw new DataError(
        ds.source,
        `input '${name}' has the same value (${lo}) in every row, so nothing can be learnt about how the output changes with it; drop it from the inputs`,
        { column: name },
      );
    }
  }
}

export interface DiagnoseOptions {
  inputs: string[];
  /** Output columns present in the data (value columns). */
  outputs: string[];
  activation?: Activation;
  /** True when the loss includes derivative samples. */
  derivativeTraining?: boolean;
  /** True when second derivatives will be asked of the model (PINN residuals, Hessians). */
  secondDerivatives?: boolean;
}

const fmt = (x: number) => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : String(Number(x.toPrecision(4))));

/** Warnings about the data a newcomer should read before trusting derivatives. */
export function diagnoseData(ds: Dataset, opts: DiagnoseOptions): DataWarning[] {
  const out: DataWarning[] = [];
  const cols = opts.inputs.map((n) => ds.data[n]);

  if (ds.rowCount < fewRowsThreshold(opts.inputs.length)) {
    out.push({
      code: 'few-rows',
      message: `Only ${ds.rowCount} rows for ${opts.inputs.length} input${opts.inputs.length === 1 ? '' : 's'} (fewer than ${fewRowsThreshold(opts.inputs.length)}). The network can pass through the points and still bend freely between them, so its derivatives between the points are guesses; add rows or derivative samples, or check the derivatives against a reference.`,
    });
  }

  if (opts.inputs.length >= 2) {
    const w = collinearWarning(cols, opts.inputs, opts.outputs);
    if (w) out.push(w);
  }

  const dup = noisyDuplicates(cols, opts.outputs.map((o) => ({ name: o, col: ds.data[o] })).filter((o) => o.col));
  if (dup) out.push(dup);

  if (opts.activation === 'relu' && (opts.derivativeTraining || opts.secondDerivatives)) {
    out.push({
      code: 'relu-derivative-training',
      message: opts.derivativeTraining
        ? 'ReLU is piecewise linear: its derivative is a step function and its second derivative is zero almost everywhere, so a loss on derivatives gives the optimiser almost nothing to work with and the fitted derivative is a staircase. Use tanh, softplus, silu or sin.'
        : 'ReLU networks have a second derivative of zero almost everywhere; second-derivative terms (PDE residuals, Hessians) will be zero. Use tanh, softplus, silu or sin.',
    });
  }
  return out;
}

function collinearWarning(cols: Float64Array[], names: string[], outputs: string[]): DataWarning | null {
  const svd = standardizedSvd(cols);
  const smax = svd.singular[svd.singular.length - 1];
  if (!(smax > 0)) return null;
  const nulls = svd.singular.map((s, k) => ({ s, k })).filter(({ s }) => s / smax < COLLINEAR_RATIO);
  if (!nulls.length) return null;
  const parts: string[] = [];
  for (const { k } of nulls) {
    // Σ v_i (x_i − m_i)/s_i ≈ 0 in the data; in raw units: Σ w_i x_i ≈ c with w_i = v_i / s_i.
    const v = svd.directions[k];
    const w = v.map((vi, i) => vi / svd.std[i]);
    const c = w.reduce((acc, wi, i) => acc + wi * svd.mean[i], 0);
    const involved = w.map((_, i) => i).filter((i) => Math.abs(v[i]) > 0.05);
    // Solve for the last input involved, so two inputs read "x2 ≈ 1.5·x1" in column order.
    const lead = involved[involved.length - 1];
    const terms = involved
      .filter((i) => i !== lead)
      .map((i) => ({ coef: -w[i] / w[lead], name: names[i] }));
    const intercept = c / w[lead];
    let rhs = terms.map((t, j) => `${j === 0 ? (t.coef < 0 ? '−' : '') : t.coef < 0 ? ' − ' : ' + '}${fmt(Math.abs(t.coef))}·${t.name}`).join('');
    if (Math.abs(intercept) > 1e-9 * (Math.abs(svd.mean[lead]) + svd.std[lead])) rhs += `${intercept < 0 ? ' − ' : ' + '}${fmt(Math.abs(intercept))}`;
    const relation = `${names[lead]} ≈ ${rhs || '0'}`;
    const who = involved.map((i) => names[i]);
    if (involved.length === 2) {
      // The one direction the data move along (in raw units), for two inputs.
      const [i, j] = involved;
      // w_i·x_i + w_j·x_j = c is kept by steps (1, −w_i/w_j).
      const di = 1;
      const dj = -w[i] / w[j];
      parts.push(
        `In the data ${relation}: ${who[0]} and ${who[1]} always move together. The data can only tell how ${outputs.join(', ') || 'the output'} changes along that line, i.e. the derivative in the direction (Δ${who[0]}, Δ${who[1]}) ∝ (${fmt(di)}, ${fmt(dj)}); the partial derivatives ∂/∂${who[0]} and ∂/∂${who[1]} are not separately identifiable, and the network's values for them are arbitrary. Vary ${who[0]} and ${who[1]} independently in the data to learn them.`,
      );
    } else {
      parts.push(
        `In the data ${relation}: inputs ${who.join(', ')} are linearly dependent. Only derivatives along directions that keep this relation are identifiable; the separate partial derivatives with respect to ${who.join(', ')} are not, and the network's values for them are arbitrary.`,
      );
    }
  }
  return { code: 'inputs-collinear', message: parts.join(' ') };
}

/**
 * Rows with identical inputs (exact float equality, -0 = 0) and different outputs. Memory is typed
 * arrays only — an open-addressing hash table of row numbers and group numbers (8 bytes per slot,
 * 1.5 to 3 slots a row) and the output range per group of repeated points — rather than a string key and
 * an array per row, which cost ~0.75 KB a row (4 GB at 5 million rows).
 */
function noisyDuplicates(cols: Float64Array[], outputs: { name: string; col: Float64Array }[]): DataWarning | null {
  if (!outputs.length || !cols.length) return null;
  const n = cols[0].length;
  const d = cols.length;
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const hashRow = (r: number): number => {
    let h = 0x811c9dc5;
    for (let i = 0; i < d; i++) {
      const v = cols[i][r];
      bits[0] = v === 0 ? 0 : v; // -0 and 0 are the same point
      h = Math.imul(h ^ words[0], 0x01000193);
      h = Math.imul(h ^ words[1], 0x01000193);
    }
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return (h ^ (h >>> 12)) >>> 0;
  };
  const sameInputs = (a: number, b: number): boolean => {
    for (let i = 0; i < d; i++) if (cols[i][a] !== cols[i][b]) return false;
    return true;
  };
  let size = 1;
  while (size < n + (n >> 1) + 1) size *= 2; // load factor at most 2/3
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1); // row number of the first row of each distinct point
  const group = new Int32Array(size).fill(-1); // per slot: index of its group of repeated points
  // Per group of repeated points and output: [lo, hi] over the group's rows (grown as groups appear).
  const m = outputs.length;
  let stats = new Float64Array(64 * 2 * m);
  let groups = 0;
  for (let r = 0; r < n; r++) {
    let slot = hashRow(r) & mask;
    for (;;) {
      const first = table[slot];
      if (first < 0) {
        table[slot] = r;
        break;
      }
      if (sameInputs(first, r)) {
        let g = group[slot];
        if (g < 0) {
          g = group[slot] = groups++;
          if (groups * 2 * m > stats.length) {
            const grown = new Float64Array(stats.length * 2);
            grown.set(stats);
            stats = grown;
          }
          for (let k = 0; k < m; k++) stats[(g * m + k) * 2] = stats[(g * m + k) * 2 + 1] = outputs[k].col[first];
        }
        for (let k = 0; k < m; k++) {
          const v = outputs[k].col[r];
          const at = (g * m + k) * 2;
          if (v < stats[at]) stats[at] = v;
          if (v > stats[at + 1]) stats[at + 1] = v;
        }
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  let points = 0;
  let worst = 0;
  let worstOut = '';
  for (let g = 0; g < groups; g++) {
    let noisy = false;
    for (let k = 0; k < m; k++) {
      const spread = stats[(g * m + k) * 2 + 1] - stats[(g * m + k) * 2];
      if (spread > 0) {
        noisy = true;
        if (spread > worst) {
          worst = spread;
          worstOut = outputs[k].name;
        }
      }
    }
    if (noisy) points++;
  }
  if (!points) return null;
  return {
    code: 'noisy-duplicates',
    message: `${points} input point${points === 1 ? ' appears' : 's appear'} more than once with different output values (largest spread: ${fmt(worst)} in '${worstOut}'). A network gives one value per input, so it can only fit their average; this part of the error is noise, not a modelling problem. Derivatives learnt from noisy values are noisier still.`,
  };
}

/**
 * `extrapolation`: evaluation points outside the training range, per input. Returns null when every
 * point is inside.
 */
export function extrapolationWarning(points: Record<string, Float64Array>, trainingRange: Record<string, [number, number]>): DataWarning | null {
  const parts: string[] = [];
  for (const [name, [lo, hi]] of Object.entries(trainingRange)) {
    const col = points[name];
    if (!col) continue;
    let below = 0;
    let above = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of col) {
      if (v < lo) below++;
      if (v > hi) above++;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (below + above) parts.push(`${name}: ${below + above} of ${col.length} points outside the training range [${fmt(lo)}, ${fmt(hi)}] (evaluated from ${fmt(min)} to ${fmt(max)})`);
  }
  if (!parts.length) return null;
  return {
    code: 'extrapolation',
    message: `Some evaluation points lie outside the data the model was trained on — ${parts.join('; ')}. A network's values, and even more its derivatives, are unreliable there.`,
  };
}
