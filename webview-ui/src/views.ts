/**
 * The views of one run: status and training curves, metrics, data diagnostics, and the derivative
 * plots (one-input curves, or parity / error / heat map / slices for several inputs).
 */
import type { AnalysisSeries, DataWarning, EpochProgress, Report } from '../../src/core/model/types';
import type { RunRecord } from '../../src/shared/protocol';
import {
  argsort, binToGrid, comparisonOf, derivativeError, derivativePairs, extent, fmt, gather, histogram, mergeOnX, occupancy, pct,
  positiveOrNull, sliceThroughMeans,
} from './analysis';
import { h } from './dom';
import { layersText, selfConsistencyNote } from '../../src/shared/format';
import { createHeatmap } from './heatmap';
import { type ChartContext, type ChartHandle, type SeriesSpec, DECIMATE_ABOVE, createChart } from './plots';

/** Charts of a rendered run, so the app can stream into them and destroy them. */
export interface RunView {
  element: HTMLElement;
  charts: ChartHandle[];
  /** Append one epoch to the live training chart and the status line. */
  addProgress(p: EpochProgress): void;
}

export const STATUS_TEXT: Record<RunRecord['status'], string> = {
  running: 'Running',
  completed: 'Completed',
  'stopped-early': 'Stopped early',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

/** Plain-language explanations of the data warnings, for people new to derivative training. */
const WARNING_HELP: Record<string, string> = {
  'inputs-collinear':
    'Two or more inputs move together in this data set. The network cannot tell their effects apart, so its derivative along each of them separately is a guess, even when the fit looks good.',
  'noisy-duplicates':
    'The same inputs appear with different outputs: the data is noisy. A network that fits noise closely has wiggly derivatives; more smoothing (fewer epochs, early stopping, derivative data) helps.',
  'relu-derivative-training':
    'ReLU networks are piecewise linear: their second derivative is zero almost everywhere, so training on derivatives gets no useful signal through it. Use tanh, softplus, SiLU or sin.',
  extrapolation:
    'Some evaluated points lie outside the range the network was trained on (shaded or hatched in the plots). Networks extrapolate poorly, and their derivatives even worse.',
  'few-rows':
    'There are few training points for the number of network weights. The fit can pass through every point and still have wrong derivatives between them.',
  'training-failed':
    'The loss became NaN or infinite, so there is no network to judge. A smaller learning rate, normalised inputs, or a smooth activation usually fixes it.',
  'data-changed':
    'The data file changed after the model was trained on it. The numbers describe the file as it is now, which may not be what the model saw.',
  'large-data-defaults':
    'The file is large, so the batch size and the number of epochs you left open were scaled to it: each step sees more rows, and the run passes through the data fewer times, so an epoch takes minutes rather than hours.',
  'analysis-sample':
    'The file has more rows than the plots can show usefully, so the metrics and plots use a random sample of them. With this many rows the sample gives the same picture; the model was trained on every row.',
  'no-reference':
    'There is no reference derivative (no formula and no derivative column), so the network is compared with finite differences of itself: this checks the arithmetic, not whether the derivative is right.',
};

export function describeWarning(w: DataWarning): string {
  return WARNING_HELP[w.code] ?? '';
}

function statusLine(run: RunRecord): string {
  const last = run.history[run.history.length - 1];
  const parts = [STATUS_TEXT[run.status]];
  if (last) parts.push(`epoch ${last.epoch}/${last.epochs}`, `loss ${fmt(last.loss)}`, `${(last.elapsedMs / 1000).toFixed(1)} s`);
  return parts.join(' · ');
}

/** When a run ran, short: the time today, else the date and time. */
export function whenText(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay ? time : `${d.toLocaleDateString([], { day: 'numeric', month: 'short', ...(d.getFullYear() !== now.getFullYear() ? { year: 'numeric' } : {}) })} ${time}`;
}

/**
 * What a run was trained on, in words that match what the loss saw. Whether values were in the loss
 * comes from the report (value metrics without an offset exist only for outputs fitted to a value
 * column); while the run is going, only what the spec says.
 */
export function trainedOn(spec: RunRecord['spec'], report?: Report | null): string | null {
  if (!spec.inputs) return null;
  const n = spec.grads?.length ?? 0;
  const fit = spec.fit ?? 'both';
  const cols = `${n} derivative column${n === 1 ? '' : 's'}`;
  if (n === 0 || fit === 'values') return n ? `trained on values; ${cols} used only to check` : 'trained on values only';
  if (spec.gradWeight === 0) return `trained on values; ${cols} weighted 0`;
  const weight = spec.gradWeight !== undefined && spec.gradWeight !== 1 ? ` (weight ${fmt(spec.gradWeight)})` : '';
  const withValues = report ? Object.values(report.value).some((v) => v.offset === undefined) : undefined;
  if (fit === 'derivatives' || withValues === false) return `trained on ${cols} only${weight}`;
  if (withValues === true) return `trained on values and ${cols}${weight}`;
  return `trained on ${cols}${weight}`;
}

function mergedWarnings(run: RunRecord): DataWarning[] {
  const all = [...run.warnings, ...(run.report?.warnings ?? [])];
  const seen = new Set<string>();
  return all.filter((w) => {
    const k = `${w.code}\u0000${w.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The loss terms a run has (from its first epoch): no "validation" line without a validation split. */
type LossTerm = 'loss' | 'valueLoss' | 'gradLoss' | 'valLoss';
function lossTerms(history: EpochProgress[]): LossTerm[] {
  const first = history[0];
  if (!first) return ['loss'];
  const terms: LossTerm[] = ['loss'];
  // Only split the total into parts when there are two parts.
  if (first.valueLoss !== null && first.gradLoss !== null) terms.push('valueLoss', 'gradLoss');
  if (first.valLoss !== null) terms.push('valLoss');
  return terms;
}

function historyData(history: EpochProgress[], terms: LossTerm[]): { x: number[]; values: (number | null)[][] } {
  const x = history.map((p) => p.epoch);
  return { x, values: terms.map((t) => positiveOrNull(history.map((p) => p[t]))) };
}

function section(title: string, ...children: (Node | null)[]): HTMLElement {
  const s = h('section', { class: 'view-section' }, h('h3', {}, title));
  for (const c of children) if (c) s.append(c);
  return s;
}

export function metricsTable(report: Report): HTMLElement {
  const table = h('table', { class: 'metrics' });
  table.append(h('caption', {}, 'Derivative error of the model (raw input units)'));
  const head = h('tr', {});
  for (const c of ['Derivative', 'Compared with', 'Relative L2', 'RMSE', 'Max |error|', 'at', 'Median ratio']) head.append(h('th', { scope: 'col' }, c));
  table.append(h('thead', {}, head));
  const body = h('tbody', {});
  for (const [key, m] of Object.entries(report.derivatives)) {
    const [out, inp] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
    const at = Object.entries(m.maxAbsAt).map(([k, v]) => `${k} = ${fmt(v)}`).join(', ');
    const ref = m.reference === 'expression' ? 'formula' : m.reference === 'column' ? 'data column' : 'self-consistency only';
    const row = h('tr', { 'data-key': key, 'data-reference': m.reference });
    // data-label: the column name, shown beside each value when a narrow panel stacks the table.
    row.append(
      h('th', { scope: 'row' }, `∂${out}/∂${inp}`),
      h('td', { 'data-label': 'Compared with', 'data-metric': 'reference', title: m.reference === 'finite-difference' ? 'The network against finite differences of itself: checks the derivative code, not whether the derivative is right.' : undefined }, ref),
      h('td', { class: 'num', 'data-metric': 'relL2', 'data-label': 'Relative L2' }, pct(m.relL2)),
      h('td', { class: 'num', 'data-metric': 'rmse', 'data-label': 'RMSE' }, fmt(m.rmse)),
      h('td', { class: 'num', 'data-metric': 'maxAbs', 'data-label': 'Max |error|' }, fmt(m.maxAbs)),
      h('td', { 'data-metric': 'maxAbsAt', 'data-label': 'at' }, at || '—'),
      h('td', { class: 'num', 'data-metric': 'medianRatio', 'data-label': 'Median ratio' }, fmt(m.medianRatio)),
    );
    body.append(row);
  }
  table.append(body);
  const wrap = h('div', { class: 'table-scroll' }, table);
  const valueKeys = Object.keys(report.value);
  if (valueKeys.length) {
    const vt = h('table', { class: 'metrics' }, h('caption', {}, 'Value error'));
    vt.append(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Output'), h('th', { scope: 'col' }, 'Relative L2'), h('th', { scope: 'col' }, 'RMSE'))));
    const vb = h('tbody', {});
    for (const k of valueKeys) vb.append(h('tr', { 'data-key': k }, h('th', { scope: 'row' }, k), h('td', { class: 'num', 'data-label': 'Relative L2' }, pct(report.value[k]!.relL2)), h('td', { class: 'num', 'data-label': 'RMSE' }, fmt(report.value[k]!.rmse))));
    vt.append(vb);
    wrap.append(vt);
    const shifted = valueKeys.filter((k) => report.value[k]!.offset !== undefined);
    if (shifted.length) {
      wrap.append(h('p', { class: 'hint', 'data-role': 'value-offset' },
        `Fitted to derivatives only: derivatives fix an output up to a constant, so the value error of ${shifted.map((k) => `${k} is after adding the best constant (${fmt(report.value[k]!.offset!)})`).join('; ')}.`));
    }
  }
  const note = h(
    'p',
    { class: 'hint' },
    'Median ratio: the median of model ÷ reference over all points. 1 is right; a constant factor such as 10 or 0.1 points to a units or normalisation mistake.',
  );
  const selfOnly = Object.values(report.derivatives).some((m) => m.reference === 'finite-difference');
  const self = selfOnly ? h('p', { class: 'callout', 'data-role': 'self-consistency' }, h('strong', {}, 'Self-consistency, not accuracy. '), selfConsistencyNote('editor')) : null;
  return h('div', {}, ...(self ? [self] : []), wrap, note);
}

/** Finite-x scatter data sorted by x, for uPlot (which needs an ascending x). */
function sortedBy(xs: Float64Array, ys: ArrayLike<number>[], subset?: number[]): { x: number[]; values: (number | null)[][] } {
  let order: ArrayLike<number> = subset ?? argsort(xs);
  const keep: number[] = [];
  for (let i = 0; i < order.length; i++) if (Number.isFinite(xs[order[i]!]!)) keep.push(order[i]!);
  order = keep;
  return { x: Array.from(order, (i) => xs[i]!), values: ys.map((y) => gather(y, order)) };
}

function pointSize(n: number): number {
  return n > 20000 ? 2 : n > 2000 ? 3 : 5;
}

/** A series of a one-input chart: values at the data points, or along the dense line. */
interface Layer {
  spec: SeriesSpec;
  at: 'points' | 'line';
  values: ArrayLike<number>;
}

/**
 * The layers on one ascending x axis (points and line merged), values in the layers' order. Large
 * point data is drawn from its representative points (`occupancy`); the chart gets the full merge as
 * `detail`, built when the user zooms in or exports.
 */
function layered(xs: Float64Array, lineX: ArrayLike<number>, layers: Layer[]): { x: number[]; specs: SeriesSpec[]; detail?: () => { x: number[]; values: (number | null)[][] } } {
  const pts = layers.filter((l) => l.at === 'points');
  const lines = layers.filter((l) => l.at === 'line');
  const merge = (px: Float64Array, pys: ArrayLike<number>[]) => {
    const m = mergeOnX(pts.length ? px : new Float64Array(0), pys, lines.length ? lineX : [], lines.map((l) => l.values));
    return { x: m.x, values: layers.map((l) => (l.at === 'points' ? m.points[pts.indexOf(l)]! : m.lines[lines.indexOf(l)]!)) };
  };
  if (pts.length && xs.length > DECIMATE_ABOVE) {
    const idx = occupancy(xs, pts.map((l) => l.values));
    const sub = (v: ArrayLike<number>) => Float64Array.from(idx, (i) => v[i]!);
    const overview = merge(sub(xs), pts.map((l) => sub(l.values)));
    return { x: overview.x, specs: layers.map((l, i) => ({ ...l.spec, values: overview.values[i]! })), detail: () => merge(xs, pts.map((l) => l.values)) };
  }
  const all = merge(xs, pts.map((l) => l.values));
  return { x: all.x, specs: layers.map((l, i) => ({ ...l.spec, values: all.values[i]! })) };
}

/**
 * One input: the data, and the model evaluated densely across the training range and a margin beyond
 * it (the pipeline's `slices`; the margin is shaded and labelled extrapolation), so the curve between
 * and beyond the data points is what the network really does. Series without slices (a derivatives CSV
 * from another model) are drawn at their points.
 */
function oneInputViews(series: AnalysisSeries, run: RunRecord, ctx: ChartContext, charts: ChartHandle[]): HTMLElement[] {
  const p = ctx.palette;
  const input = Object.keys(series.inputs)[0]!;
  const xs = series.inputs[input]!;
  const range = series.trainingRange[input];
  const sync = `x:${input}`;
  const slice = series.slices?.[input];
  const lineX = slice?.x ?? new Float64Array(0);
  const beyond = '; the model is drawn across the training range and beyond it (shaded: extrapolation)';
  const out: HTMLElement[] = [];
  const outputs = [...new Set([...Object.keys(series.predicted), ...derivativePairs(series).map((d) => d.output)])];
  for (const o of outputs) {
    const grid = h('div', { class: 'chart-grid' });
    if (series.predicted[o]) {
      const layers: Layer[] = [];
      if (series.observed[o]) layers.push({ spec: { label: 'data', values: [], color: p.data, kind: 'points', size: pointSize(xs.length) }, at: 'points', values: series.observed[o]! });
      const netLine = slice?.predicted[o];
      const refLine = slice?.referenceValue?.[o];
      const refPoints = series.referenceValue?.[o];
      layers.push({ spec: { label: 'network', values: [], color: p.model, kind: 'line', width: 2, spanGaps: true }, at: netLine ? 'line' : 'points', values: netLine ?? series.predicted[o]! });
      if (refLine || refPoints) layers.push({ spec: { label: 'reference', values: [], color: p.reference, kind: 'dashed', spanGaps: true }, at: refLine ? 'line' : 'points', values: (refLine ?? refPoints)! });
      const d = layered(xs, lineX, layers);
      const c = createChart(
        {
          id: `${o}-value`, title: `${o} against ${input}`,
          description: `The data, the network's prediction${refLine || refPoints ? ' and the reference' : ''} of ${o} along ${input}${netLine ? beyond : '; the shaded part lies outside the training range'}.`,
          xLabel: input, yLabel: o, x: d.x, series: d.specs, syncKey: sync, trainingRange: range, detail: d.detail,
        },
        ctx,
      );
      charts.push(c);
      grid.append(c.element);
    }
    const key = `${o}/${input}`;
    const der = series.derivatives[key];
    if (der) {
      // Finite differences of the network at the data (beneath), the network's derivative, then the
      // reference on top; dense lines where the pipeline evaluated the model along x.
      const netLine = slice?.derivative[o];
      const refLine = der.reference ? slice?.referenceDerivative?.[o] : undefined;
      const layers: Layer[] = [
        { spec: { label: 'finite diff. of network', values: [], color: p.fd, kind: 'points', size: 5, hollow: true }, at: 'points', values: der.finiteDifference },
        { spec: { label: 'network (autograd)', values: [], color: p.model, kind: 'line', width: 2, spanGaps: true }, at: netLine ? 'line' : 'points', values: netLine ?? der.model },
      ];
      if (refLine) layers.push({ spec: { label: 'reference', values: [], color: p.reference, kind: 'dashed', width: 2, spanGaps: true }, at: 'line', values: refLine });
      else if (der.reference) layers.push({ spec: { label: 'reference', values: [], color: p.reference, kind: netLine ? 'points' : 'dashed', width: 2, size: 6, spanGaps: true }, at: 'points', values: der.reference });
      const d = layered(xs, lineX, layers);
      const c = createChart(
        {
          id: `d${o}_d${input}`, title: `∂${o}/∂${input}`,
          description: `The network's derivative of ${o} with respect to ${input}${der.reference ? ', the reference derivative' : ''} and finite differences of the network${netLine ? beyond : ''}.`,
          xLabel: input, yLabel: `∂${o}/∂${input}`, x: d.x, series: d.specs, syncKey: sync, trainingRange: range, detail: d.detail,
        },
        ctx,
      );
      charts.push(c);
      grid.append(c.element);
      const err = derivativeError(series, key);
      const cmp = comparisonOf(series, key);
      // Against a formula the error is known everywhere: drawn densely; against a data column or the
      // network's own finite differences, only at the data.
      const denseErr = netLine && refLine ? Float64Array.from(netLine, (v, j) => v - refLine[j]!) : null;
      const what = cmp.kind === 'reference' ? 'reference' : 'finite differences (self-consistency)';
      const e = layered(xs, lineX, [{ spec: { label: `model − ${what}`, values: [], color: p.error, kind: 'line', spanGaps: true }, at: denseErr ? 'line' : 'points', values: denseErr ?? err }]);
      const ec = createChart(
        {
          id: `d${o}_d${input}-error`, title: `Derivative error along ${input}`,
          description: `Network derivative minus the ${cmp.kind === 'reference' ? 'reference' : 'finite differences of the network (a self-consistency check, not accuracy)'} of ∂${o}/∂${input}, along ${input}.`,
          xLabel: input, yLabel: 'error', x: e.x, series: e.specs, syncKey: sync, trainingRange: range, height: 180, detail: e.detail,
        },
        ctx,
      );
      charts.push(ec);
      grid.append(ec.element);
      grid.append(histogramChart(err, key, ctx, charts, run));
    }
    out.push(section(`Output ${o}`, grid));
  }
  return out;
}

function histogramChart(err: Float64Array, key: string, ctx: ChartContext, charts: ChartHandle[], _run: RunRecord): HTMLElement {
  const hist = histogram(err);
  const centres = hist.counts.map((_, i) => (hist.edges[i]! + hist.edges[i + 1]!) / 2);
  const c = createChart(
    {
      id: `${key.replace('/', '_')}-histogram`, title: `Error histogram of ∂${key.replace('/', '/∂')}`,
      description: `How many points have each derivative error; ${hist.skipped} non-finite values left out.`,
      xLabel: 'error', yLabel: 'points', x: centres, series: [{ label: 'points', values: hist.counts, color: ctx.palette.error, kind: 'bars' }], height: 180, yZero: true,
    },
    ctx,
  );
  charts.push(c);
  return c.element;
}

function multiInputViews(series: AnalysisSeries, run: RunRecord, ctx: ChartContext, charts: ChartHandle[]): HTMLElement[] {
  const p = ctx.palette;
  const inputs = Object.keys(series.inputs);
  const out: HTMLElement[] = [];
  for (const pair of derivativePairs(series)) {
    const d = series.derivatives[pair.key]!;
    const cmp = comparisonOf(series, pair.key);
    const err = derivativeError(series, pair.key);
    const grid = h('div', { class: 'chart-grid' });
    const label = `∂${pair.output}/∂${pair.input}`;
    const n = d.model.length;

    // Parity: comparison on x, model on y.
    const par = sortedBy(cmp.values, [d.model]);
    const pc = createChart(
      {
        id: `${pair.output}_${pair.input}-parity`, title: `Parity of ${label}`,
        description: `Each point is one evaluated input: ${cmp.kind === 'reference' ? 'reference' : 'finite-difference'} derivative across, model derivative up. Points on the dashed diagonal are right.`,
        xLabel: cmp.kind === 'reference' ? 'reference' : 'finite differences', yLabel: 'model', x: par.x,
        series: [{ label: 'model', values: par.values[0]!, color: p.model, kind: 'points', size: pointSize(n) }], diagonal: true,
        syncKey: `parity:${pair.key}`,
      },
      ctx,
    );
    charts.push(pc);
    grid.append(pc.element);

    for (const inp of inputs) {
      const e = sortedBy(series.inputs[inp]!, [err]);
      const c = createChart(
        {
          id: `${pair.output}_${pair.input}-error-vs-${inp}`, title: `Error of ${label} against ${inp}`,
          description: `Model minus ${cmp.kind === 'reference' ? 'reference' : 'finite differences'} for ${label} at each point, against ${inp}.`,
          xLabel: inp, yLabel: 'error', x: e.x, series: [{ label: 'error', values: e.values[0]!, color: p.error, kind: 'points', size: pointSize(n) }],
          trainingRange: series.trainingRange[inp], syncKey: `x:${inp}`, height: 180,
        },
        ctx,
      );
      charts.push(c);
      grid.append(c.element);
    }

    if (inputs.length === 2) {
      const [ix, iy] = inputs as [string, string];
      const absErr = err.map(Math.abs);
      const xr = series.trainingRange[ix];
      const yr = series.trainingRange[iy];
      const xe = extent(series.inputs[ix]!);
      const ye = extent(series.inputs[iy]!);
      const grid2 = xe && ye ? binToGrid(series.inputs[ix]!, series.inputs[iy]!, absErr, 200) : null;
      if (grid2) {
        const hm = createHeatmap(
          {
            id: `${pair.output}_${pair.input}-heatmap`, title: `|Error| of ${label} over the input plane`,
            description: `Mean absolute error of ${label} in each cell of the ${ix}–${iy} plane; hatched: outside the training range; dots: training points.`,
            xLabel: ix, yLabel: iy, grid: grid2, valueLabel: '|error|',
            trainingBox: xr && yr ? { x: xr, y: yr } : undefined,
            points: series.trainingInputs?.[ix] && series.trainingInputs?.[iy] ? { x: series.trainingInputs[ix]!, y: series.trainingInputs[iy]! } : undefined,
          },
          p, ctx.bridge, ctx.filePrefix, ctx.runId,
        );
        grid.append(hm.element);
      }
    }

    // The model along this pair's input with the other inputs at their training means, when the
    // pipeline evaluated it (series.slices); else the data points in a band around those means.
    const line = series.slices?.[pair.input];
    const lineModel = line?.derivative[pair.output];
    const slice = lineModel ? null : sliceThroughMeans(series, pair.input);
    if (line && lineModel) {
      // A mean that is zero up to rounding (relative to the input's range) prints as 0.
      const width = (k: string) => {
        const r = series.trainingRange[k];
        return r ? Math.abs(r[1] - r[0]) : 0;
      };
      const held = Object.entries(line.at).map(([k, v]) => `${k} = mean (${fmt(Math.abs(v) <= 1e-12 * width(k) ? 0 : v)})`).join(', ');
      const specs: SeriesSpec[] = [{ label: 'model', values: Array.from(lineModel), color: p.model, kind: 'line', width: 2 }];
      const lineRef = line.referenceDerivative?.[pair.output];
      if (lineRef) specs.push({ label: 'reference', values: Array.from(lineRef), color: p.reference, kind: 'dashed', width: 2 });
      const c = createChart(
        {
          id: `${pair.output}_${pair.input}-slice`, title: `${label} along ${pair.input} at ${held}`,
          description: `The model's ${label}${lineRef ? ' and the reference' : ''} at ${line.x.length} points across the training range of ${pair.input}, the other inputs held at their training means (${held}).`,
          xLabel: pair.input, yLabel: label, x: Array.from(line.x), series: specs, trainingRange: series.trainingRange[pair.input], syncKey: `x:${pair.input}`, height: 200,
        },
        ctx,
      );
      charts.push(c);
      grid.append(c.element);
    } else if (slice && slice.indices.length >= 2) {
      const ys: Float64Array[] = [];
      const specs: SeriesSpec[] = [];
      if (d.reference) {
        ys.push(d.reference);
        specs.push({ label: 'reference', values: [], color: p.reference, kind: 'points', size: 7, hollow: true });
      }
      ys.push(d.model);
      specs.push({ label: 'model', values: [], color: p.model, kind: 'points', size: 3 });
      const s = sortedBy(series.inputs[pair.input]!, ys, slice.indices);
      specs.forEach((sp, i) => (sp.values = s.values[i]!));
      // Means that are zero up to rounding print as 0, not as 1e-17.
      const held = Object.entries(slice.held).map(([k, v]) => `${k} ≈ ${fmt(Math.abs(v.mean) < v.halfWidth * 1e-6 ? 0 : v.mean)} ± ${fmt(v.halfWidth)}`).join(', ');
      const c = createChart(
        {
          id: `${pair.output}_${pair.input}-slice`, title: `${label} along ${pair.input}, slice at ${held}`,
          description: `${slice.indices.length} points whose other inputs lie near their means (${held}).`,
          xLabel: pair.input, yLabel: label, x: s.x, series: specs, trainingRange: series.trainingRange[pair.input], syncKey: `x:${pair.input}`, height: 200,
        },
        ctx,
      );
      charts.push(c);
      grid.append(c.element);
    }
    grid.append(histogramChart(err, pair.key, ctx, charts, run));
    out.push(section(label, grid));
  }
  return out;
}

export function renderRun(run: RunRecord, ctx: ChartContext, onCancel: (id: string) => void, onRemove: (id: string) => void): RunView {
  const charts: ChartHandle[] = [];
  const col = h('article', { class: `run run-${run.status}`, 'data-run-id': run.id, 'aria-label': `Run ${run.label}` });

  const status = h('span', { class: `status status-${run.status}`, role: 'status', 'data-role': 'status' }, statusLine(run));
  const header = h('header', { class: 'run-header' }, h('h2', {}, run.label), status);
  const actions = h('div', { class: 'run-actions' });
  if (run.status === 'running') {
    const cancel = h('button', { type: 'button', class: 'cancel', 'data-role': 'cancel', 'aria-label': `Cancel training of ${run.label}` }, 'Cancel');
    cancel.addEventListener('click', () => {
      cancel.disabled = true;
      cancel.textContent = 'Cancelling…';
      onCancel(run.id);
    });
    actions.append(cancel);
  } else {
    const remove = h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove run ${run.label} from the history` }, 'Remove');
    remove.addEventListener('click', () => onRemove(run.id));
    actions.append(remove);
  }
  header.append(actions);
  col.append(header);

  const spec = run.spec;
  const specBits: string[] = [];
  if (spec.inputs?.length) specBits.push(`${spec.inputs.join(', ')} → ${(spec.outputs ?? []).join(', ')}`);
  if (spec.hidden?.length) specBits.push(`${layersText(spec.hidden)} ${spec.activation ?? ''}`.trim());
  const trained = run.history.length || run.status === 'running' ? trainedOn(spec, run.report) : null;
  if (trained) specBits.push(trained);
  if (spec.references?.length) specBits.push(`reference ${spec.references.map((r) => `${r.output} = ${r.expression}`).join('; ')}`);
  if (spec.data) specBits.push(spec.data);
  col.append(h('p', { class: 'run-meta' }, [new Date(run.createdAt).toLocaleString(), ...specBits].filter(Boolean).join(' · ')));

  if (run.status === 'failed') {
    col.append(h('div', { class: 'callout error', role: 'alert' }, h('strong', {}, run.kind === 'analysis' ? 'Analysis failed: ' : 'Training failed: '), run.statusDetail ?? 'no reason was given.'));
  } else if (run.status === 'cancelled') {
    // The status line already says "Cancelled" and where; only what it means is added.
    col.append(h('p', { class: 'hint', 'data-role': 'cancelled' }, run.history.length ? 'Nothing was saved or analysed: the run stopped before its last epoch.' : 'Nothing was analysed.'));
  } else if (run.statusDetail) {
    col.append(h('p', { class: 'callout' }, run.statusDetail));
  }

  // Live training curves.
  let live: ChartHandle | null = null;
  let redrawQueued = false;
  const history = [...run.history];
  const trainingBox = h('div', { class: 'chart-grid single' });
  let terms: LossTerm[] = [];
  const makeLive = (): void => {
    terms = lossTerms(history);
    const d = historyData(history, terms);
    const p = ctx.palette;
    const look: Record<LossTerm, Omit<SeriesSpec, 'values'>> = {
      // A loss that is only the value (or only the derivative) term is drawn in that term's colour.
      loss: { label: terms.includes('valueLoss') ? 'total' : 'loss', color: terms.includes('valueLoss') ? p.loss : history[0]?.valueLoss !== null ? p.valueLoss : p.gradLoss, kind: 'line' },
      valueLoss: { label: 'value', color: p.valueLoss, kind: 'line' },
      gradLoss: { label: 'derivative', color: p.gradLoss, kind: 'line' },
      valLoss: { label: 'validation', color: p.valLoss, kind: 'dashed' },
    };
    const names: Record<LossTerm, string> = { loss: 'total', valueLoss: 'value', gradLoss: 'derivative', valLoss: 'validation' };
    live = createChart(
      {
        id: 'loss', title: 'Training loss (log scale)',
        description: `${terms.length > 1 ? terms.map((t) => names[t]).join(', ').replace(/, ([^,]*)$/, ' and $1') : 'The'} loss per epoch.`,
        xLabel: 'epoch', yLabel: 'loss', yLog: true, x: d.x, syncKey: 'epoch',
        series: terms.map((t, i) => ({ ...look[t], values: d.values[i]! })),
      },
      ctx,
    );
    charts.push(live);
    trainingBox.append(live.element);
  };
  if (history.length > 0) makeLive();
  else if (run.status === 'running') trainingBox.append(h('p', { class: 'empty', 'data-role': 'waiting' }, 'Waiting for the first epoch…'));
  if (history.length > 0 || run.status === 'running') col.append(section('Training', trainingBox));

  if (run.report) col.append(section('Metrics', metricsTable(run.report)));

  const warnings = mergedWarnings(run);
  if (warnings.length) {
    const list = h('ul', { class: 'diagnostics' });
    for (const w of warnings) {
      const help = describeWarning(w);
      list.append(h('li', { 'data-code': w.code }, h('strong', {}, w.message), help ? h('span', { class: 'help' }, ` ${help}`) : null));
    }
    col.append(section('About the data', list));
  }

  const series = run.series;
  if (series) {
    const nIn = Object.keys(series.inputs).length;
    const views = nIn === 1 ? oneInputViews(series, run, ctx, charts) : multiInputViews(series, run, ctx, charts);
    col.append(...views);
    if (views.length === 0) col.append(h('p', { class: 'empty' }, 'This run has no outputs or derivatives to plot.'));
  } else if (run.status === 'completed' || run.status === 'stopped-early') {
    col.append(h('p', { class: 'empty', 'data-role': 'no-series' }, 'No analysis data for this run: nothing to plot.'));
  }

  return {
    element: col,
    charts,
    addProgress(p: EpochProgress) {
      history.push(p);
      run.history = history;
      status.textContent = statusLine(run);
      if (!live) {
        trainingBox.querySelector('[data-role="waiting"]')?.remove();
        makeLive();
      } else if (!redrawQueued) {
        // Epochs can arrive faster than frames: redraw at most once per frame, with all of them.
        redrawQueued = true;
        requestAnimationFrame(() => {
          redrawQueued = false;
          const d = historyData(history, terms);
          live?.setData(d.x, d.values, true);
        });
      }
    },
  };
}

/**
 * Relative L2 of every derivative across runs, for side-by-side comparison. Only errors against a
 * reference (formula or data column) are compared and can be "best"; an error against the network's
 * own finite differences is a self-consistency check and is shown apart, never ranked.
 */
export function comparisonTable(runs: RunRecord[]): HTMLElement | null {
  const withReport = runs.filter((r) => r.report);
  if (withReport.length < 2) return null;
  const keys = [...new Set(withReport.flatMap((r) => Object.keys(r.report!.derivatives)))];
  if (!keys.length) return null;
  const table = h('table', { class: 'metrics comparison' }, h('caption', {}, 'Relative L2 error of each derivative against its reference, by run (lower is better)'));
  const head = h('tr', {}, h('th', { scope: 'col' }, 'Derivative'));
  for (const r of withReport) head.append(h('th', { scope: 'col' }, r.label, h('span', { class: 'when' }, ` ${whenText(r.createdAt)}`)));
  table.append(h('thead', {}, head));
  const body = h('tbody', {});
  let selfChecks = 0;
  for (const k of keys) {
    const ms = withReport.map((r) => r.report!.derivatives[k]);
    const ranked = ms.map((m) => (m && m.reference !== 'finite-difference' && Number.isFinite(m.relL2) ? m.relL2 : undefined));
    const finite = ranked.filter((v): v is number => v !== undefined);
    const best = finite.length > 1 ? Math.min(...finite) : NaN;
    const row = h('tr', { 'data-key': k }, h('th', { scope: 'row' }, `∂${k.replace('/', '/∂')}`));
    ms.forEach((m, i) => {
      const label = withReport[i]!.label;
      if (!m) row.append(h('td', { class: 'num', 'data-label': label }, '—'));
      else if (m.reference === 'finite-difference') {
        selfChecks++;
        row.append(h('td', { class: 'num self-check', 'data-label': label, title: 'Against finite differences of the network itself: a self-consistency check, not accuracy; not ranked.' }, `${pct(m.relL2)} self-check`));
      } else row.append(h('td', { class: ranked[i] === best ? 'num best' : 'num', 'data-label': label }, pct(m.relL2)));
    });
    body.append(row);
  }
  table.append(body);
  const wrap = h('div', { class: 'table-scroll' }, table);
  if (selfChecks) wrap.append(h('p', { class: 'hint', 'data-role': 'self-check-note' }, `"self-check": that run has no reference for this derivative, so its number is the network against its own finite differences (self-consistency, not accuracy) and is not compared. ${selfConsistencyNote('editor').replace(/^.*To measure accuracy, /, 'To compare it, ')}`));
  return wrap;
}
