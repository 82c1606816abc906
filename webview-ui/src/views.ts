/**
 * The views of one run: status and training curves, metrics, data diagnostics, and the derivative
 * plots (one-input curves, or parity / error / heat map / slices for several inputs).
 */
import type { AnalysisSeries, DataWarning, EpochProgress, Report } from '../../src/core/model/types';
import type { RunRecord } from '../../src/shared/protocol';
import {
  argsort, binToGrid, comparisonOf, derivativeError, derivativePairs, extent, fmt, gather, histogram, pct,
  positiveOrNull, sliceThroughMeans,
} from './analysis';
import { h } from './dom';
import { createHeatmap } from './heatmap';
import { type ChartContext, type ChartHandle, type SeriesSpec, createChart } from './plots';

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

function historyData(history: EpochProgress[]): { x: number[]; values: (number | null)[][] } {
  const x = history.map((p) => p.epoch);
  return {
    x,
    values: [
      positiveOrNull(history.map((p) => p.loss)),
      positiveOrNull(history.map((p) => p.valueLoss)),
      positiveOrNull(history.map((p) => p.gradLoss)),
      positiveOrNull(history.map((p) => p.valLoss)),
    ],
  };
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
    const ref = m.reference === 'expression' ? 'formula' : m.reference === 'column' ? 'data column' : 'finite differences';
    const row = h('tr', { 'data-key': key });
    row.append(
      h('th', { scope: 'row' }, `∂${out}/∂${inp}`),
      h('td', {}, ref),
      h('td', { class: 'num', 'data-metric': 'relL2' }, pct(m.relL2)),
      h('td', { class: 'num', 'data-metric': 'rmse' }, fmt(m.rmse)),
      h('td', { class: 'num', 'data-metric': 'maxAbs' }, fmt(m.maxAbs)),
      h('td', { 'data-metric': 'maxAbsAt' }, at || '—'),
      h('td', { class: 'num', 'data-metric': 'medianRatio' }, fmt(m.medianRatio)),
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
    for (const k of valueKeys) vb.append(h('tr', { 'data-key': k }, h('th', { scope: 'row' }, k), h('td', { class: 'num' }, pct(report.value[k]!.relL2)), h('td', { class: 'num' }, fmt(report.value[k]!.rmse))));
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
  return h('div', {}, wrap, note);
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

function oneInputViews(series: AnalysisSeries, run: RunRecord, ctx: ChartContext, charts: ChartHandle[]): HTMLElement[] {
  const p = ctx.palette;
  const input = Object.keys(series.inputs)[0]!;
  const xs = series.inputs[input]!;
  const range = series.trainingRange[input];
  const sync = `x:${input}`;
  const out: HTMLElement[] = [];
  const outputs = [...new Set([...Object.keys(series.predicted), ...derivativePairs(series).map((d) => d.output)])];
  for (const o of outputs) {
    const grid = h('div', { class: 'chart-grid' });
    if (series.predicted[o]) {
      const specs: SeriesSpec[] = [];
      const ys: Float64Array[] = [];
      if (series.observed[o]) {
        specs.push({ label: 'data', values: [], color: p.data, kind: 'points', size: pointSize(xs.length) });
        ys.push(series.observed[o]!);
      }
      specs.push({ label: 'network', values: [], color: p.model, kind: 'line', width: 2 });
      ys.push(series.predicted[o]!);
      const refValue = series.referenceValue?.[o];
      if (refValue) {
        specs.push({ label: 'reference', values: [], color: p.reference, kind: 'dashed' });
        ys.push(refValue);
      }
      const d = sortedBy(xs, ys);
      specs.forEach((s, i) => (s.values = d.values[i]!));
      const c = createChart(
        {
          id: `${o}-value`, title: `${o} against ${input}`, description: `The data, the network's prediction${refValue ? ' and the reference' : ''} of ${o} along ${input}; the shaded part lies outside the training range.`,
          xLabel: input, yLabel: o, x: d.x, series: specs, syncKey: sync, trainingRange: range,
        },
        ctx,
      );
      charts.push(c);
      grid.append(c.element);
    }
    const key = `${o}/${input}`;
    const der = series.derivatives[key];
    if (der) {
      // Finite differences first (beneath), then the network's derivative, then the reference on top.
      const specs: SeriesSpec[] = [{ label: 'finite diff. of network', values: [], color: p.fd, kind: 'points', size: 5, hollow: true }];
      const ys: Float64Array[] = [der.finiteDifference];
      specs.push({ label: 'network (autograd)', values: [], color: p.model, kind: 'line', width: 2 });
      ys.push(der.model);
      if (der.reference) {
        specs.push({ label: 'reference', values: [], color: p.reference, kind: 'dashed', width: 2 });
        ys.push(der.reference);
      }
      const d = sortedBy(xs, ys);
      specs.forEach((s, i) => (s.values = d.values[i]!));
      const c = createChart(
        {
          id: `d${o}_d${input}`, title: `∂${o}/∂${input}`,
          description: `The network's derivative of ${o} with respect to ${input}${der.reference ? ', the reference derivative' : ''} and finite differences of the network.`,
          xLabel: input, yLabel: `∂${o}/∂${input}`, x: d.x, series: specs, syncKey: sync, trainingRange: range,
        },
        ctx,
      );
      charts.push(c);
      grid.append(c.element);
      const err = derivativeError(series, key);
      const cmp = comparisonOf(series, key);
      const e = sortedBy(xs, [err]);
      const ec = createChart(
        {
          id: `d${o}_d${input}-error`, title: `Derivative error along ${input}`,
          description: `Network derivative minus the ${cmp.kind === 'reference' ? 'reference' : 'finite differences'} of ∂${o}/∂${input}, along ${input}.`,
          xLabel: input, yLabel: 'error', x: e.x, series: [{ label: `model − ${cmp.kind === 'reference' ? 'reference' : 'FD'}`, values: e.values[0]!, color: p.error, kind: 'line' }],
          syncKey: sync, trainingRange: range, height: 180,
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
          p, ctx.bridge, ctx.filePrefix,
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
  if (spec.hidden?.length) specBits.push(`${spec.hidden.join('×')} ${spec.activation ?? ''}`.trim());
  if (spec.grads?.length) specBits.push(`trained on ${spec.grads.length} derivative column${spec.grads.length > 1 ? 's' : ''}${spec.gradWeight !== undefined ? ` (weight ${fmt(spec.gradWeight)})` : ''}`);
  else if (spec.inputs) specBits.push('trained on values only');
  if (spec.data) specBits.push(spec.data);
  col.append(h('p', { class: 'run-meta' }, [new Date(run.createdAt).toLocaleString(), ...specBits].filter(Boolean).join(' · ')));

  if (run.status === 'failed') {
    col.append(h('div', { class: 'callout error', role: 'alert' }, h('strong', {}, 'Training failed: '), run.statusDetail ?? 'no reason was given.'));
  } else if (run.statusDetail) {
    col.append(h('p', { class: 'callout' }, run.statusDetail));
  }

  // Live training curves.
  let live: ChartHandle | null = null;
  let redrawQueued = false;
  const history = [...run.history];
  const trainingBox = h('div', { class: 'chart-grid single' });
  const makeLive = (): void => {
    const d = historyData(history);
    const p = ctx.palette;
    live = createChart(
      {
        id: 'loss', title: 'Training loss (log scale)', description: 'Total, value, derivative and validation loss per epoch.',
        xLabel: 'epoch', yLabel: 'loss', yLog: true, x: d.x, syncKey: 'epoch',
        series: [
          { label: 'total', values: d.values[0]!, color: p.loss, kind: 'line' },
          { label: 'value', values: d.values[1]!, color: p.valueLoss, kind: 'line' },
          { label: 'derivative', values: d.values[2]!, color: p.gradLoss, kind: 'line' },
          { label: 'validation', values: d.values[3]!, color: p.valLoss, kind: 'dashed' },
        ],
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
  } else if (run.status !== 'running' && run.status !== 'failed') {
    col.append(h('p', { class: 'empty', 'data-role': 'no-series' }, 'No analysis data for this run yet.'));
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
          const d = historyData(history);
          live?.setData(d.x, d.values, true);
        });
      }
    },
  };
}

/** Relative L2 of every derivative across runs, for side-by-side comparison. */
export function comparisonTable(runs: RunRecord[]): HTMLElement | null {
  const withReport = runs.filter((r) => r.report);
  if (withReport.length < 2) return null;
  const keys = [...new Set(withReport.flatMap((r) => Object.keys(r.report!.derivatives)))];
  if (!keys.length) return null;
  const table = h('table', { class: 'metrics comparison' }, h('caption', {}, 'Relative L2 error of each derivative, by run (lower is better)'));
  const head = h('tr', {}, h('th', { scope: 'col' }, 'Derivative'));
  for (const r of withReport) head.append(h('th', { scope: 'col' }, r.label));
  table.append(h('thead', {}, head));
  const body = h('tbody', {});
  for (const k of keys) {
    const vals = withReport.map((r) => r.report!.derivatives[k]?.relL2);
    const finite = vals.filter((v): v is number => v !== undefined && Number.isFinite(v));
    const best = finite.length ? Math.min(...finite) : NaN;
    const row = h('tr', {}, h('th', { scope: 'row' }, `∂${k.replace('/', '/∂')}`));
    for (const v of vals) row.append(h('td', { class: v === best && finite.length > 1 ? 'num best' : 'num' }, v === undefined ? '—' : pct(v)));
    body.append(row);
  }
  table.append(body);
  return h('div', { class: 'table-scroll' }, table);
}
