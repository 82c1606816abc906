/**
 * uPlot charts with the panel's common behaviour: theme colours, linked cursors (`cursor.sync`),
 * zoom and pan in data space (drag a box, Ctrl/⌘+wheel or a pinch, Shift+drag or middle-drag to pan,
 * arrow keys/+/−/0 when focused, double-click or "Reset" to reset; a plain wheel scrolls the page, as
 * in most plot libraries on web pages), PNG and CSV export through the host, an accessible label and
 * a table alternative. Scatter series are drawn one mark per occupied pixel cell, so 100,000 points
 * draw in milliseconds and look the same.
 */
import uPlot from 'uplot';
import { h } from './dom';
import { fmt, toCsv } from './analysis';
import type { Palette } from './theme';
import type { HostBridge } from './vscodeApi';

export type SeriesKind = 'line' | 'dashed' | 'points' | 'bars';

export interface SeriesSpec {
  label: string;
  values: (number | null)[];
  color: string;
  kind: SeriesKind;
  width?: number;
  /** Point diameter in CSS pixels for `points`. */
  size?: number;
  /** Draw `points` as rings (fill with the background) so points beneath stay visible. */
  hollow?: boolean;
  /** A line drawn across `null`s (a dense curve sharing the x axis with scattered points). */
  spanGaps?: boolean;
}

export interface ChartSpec {
  /** Used for export file names; letters, digits and dashes. */
  id: string;
  title: string;
  /** What the plot shows, read by screen readers. */
  description: string;
  xLabel: string;
  yLabel: string;
  /** Ascending, finite. */
  x: number[];
  series: SeriesSpec[];
  yLog?: boolean;
  /** Charts with the same key share the cursor (by x value). */
  syncKey?: string;
  height?: number;
  /** Shade the x outside this interval (outside the training range), labelled "extrapolation". */
  trainingRange?: [number, number];
  /** Draw the diagonal y = x (parity plots). */
  diagonal?: boolean;
  /** Start the y axis at zero (counts). */
  yZero?: boolean;
  /**
   * Set when `x` and the series are a decimated overview of large data: the full data, built when the
   * user zooms in below half the x range and for the CSV export and the data table.
   */
  detail?: () => { x: number[]; values: (number | null)[][] };
}

export interface ChartHandle {
  element: HTMLElement;
  plot: uPlot;
  /** Replace the data (same series), keeping the user's zoom unless `reset`. */
  setData(x: number[], values: (number | null)[][], reset?: boolean): void;
  destroy(): void;
}

export interface ChartContext {
  palette: Palette;
  bridge: HostBridge;
  /** Prefix of exported file names: the run's data file without its extension (e.g. `seed000`). */
  filePrefix: string;
  /** The run the charts belong to (sent with exports so the host can pick a sensible folder). */
  runId?: string;
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120) || 'plot';
}

function alpha(color: string, a: number): string {
  // Works for #rgb/#rrggbb; other syntaxes fall back to the colour itself under globalAlpha.
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return color;
  let hex = m[1]!;
  if (hex.length === 3) hex = hex.split('').map((c) => c + c).join('');
  const n = parseInt(hex, 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
}

/**
 * Wheel over a plot: with Ctrl or ⌘ held (a trackpad pinch arrives the same way) zoom at the pointer
 * and keep the page still; without, let the page scroll and show a short hint how to zoom.
 * Returns the listener; `zoom(factor, e)` zooms by `factor` about the event's pointer.
 */
export function wheelHandler(hintHost: HTMLElement, zoom: (factor: number, e: WheelEvent) => void): (e: WheelEvent) => void {
  let hint: HTMLElement | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (e) => {
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      zoom(e.deltaY < 0 ? 0.8 : 1.25, e);
      return;
    }
    if (!hint) {
      hint = h('div', { class: 'wheel-hint', 'aria-hidden': 'true' }, `${/Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl'} + scroll to zoom · drag a box to zoom`);
      hintHost.append(hint);
    }
    hint.classList.add('visible');
    clearTimeout(timer);
    timer = setTimeout(() => hint?.classList.remove('visible'), 1200);
  };
}

/** uPlot plugin: Ctrl/⌘+wheel zoom and Shift/middle-button pan of the x and y scales, in data space. */
function zoomPanPlugin(yLog: boolean, hintHost: HTMLElement): uPlot.Plugin {
  const toLin = (v: number, log: boolean): number => (log ? Math.log10(v) : v);
  const fromLin = (v: number, log: boolean): number => (log ? 10 ** v : v);
  return {
    hooks: {
      ready: (u) => {
        const over = u.over;
        const onWheel = wheelHandler(hintHost, (factor, e) => {
          const rect = over.getBoundingClientRect();
          zoomAt(u, factor, (e.clientX - rect.left) / rect.width, (e.clientY - rect.top) / rect.height);
        });
        over.addEventListener('wheel', onWheel, { passive: false });
        let start: { px: number; py: number; x: [number, number]; y: [number, number] } | null = null;
        over.addEventListener(
          'mousedown',
          (e) => {
            if (!(e.shiftKey || e.button === 1)) return;
            e.preventDefault();
            e.stopPropagation();
            start = {
              px: e.clientX,
              py: e.clientY,
              x: [u.scales.x!.min!, u.scales.x!.max!],
              y: [toLin(u.scales.y!.min!, yLog), toLin(u.scales.y!.max!, yLog)],
            };
            const move = (ev: MouseEvent): void => {
              if (!start) return;
              const rect = over.getBoundingClientRect();
              const dx = ((ev.clientX - start.px) / rect.width) * (start.x[1] - start.x[0]);
              const dy = ((ev.clientY - start.py) / rect.height) * (start.y[1] - start.y[0]);
              u.batch(() => {
                u.setScale('x', { min: start!.x[0] - dx, max: start!.x[1] - dx });
                u.setScale('y', { min: fromLin(start!.y[0] + dy, yLog), max: fromLin(start!.y[1] + dy, yLog) });
              });
            };
            const up = (): void => {
              start = null;
              window.removeEventListener('mousemove', move);
              window.removeEventListener('mouseup', up);
            };
            window.addEventListener('mousemove', move);
            window.addEventListener('mouseup', up);
          },
          true,
        );
      },
    },
  };

  function zoomAt(u: uPlot, factor: number, fx: number, fy: number): void {
    const x0 = u.scales.x!.min!;
    const x1 = u.scales.x!.max!;
    const y0 = toLin(u.scales.y!.min!, yLog);
    const y1 = toLin(u.scales.y!.max!, yLog);
    const cx = x0 + fx * (x1 - x0);
    const cy = y1 - fy * (y1 - y0);
    u.batch(() => {
      u.setScale('x', { min: cx - (cx - x0) * factor, max: cx + (x1 - cx) * factor });
      u.setScale('y', { min: fromLin(cy - (cy - y0) * factor, yLog), max: fromLin(cy + (y1 - cy) * factor, yLog) });
    });
  }
}

/**
 * uPlot `paths` for a scatter series: one mark per occupied cell of a grid about half a mark wide,
 * inside the plot area, as one Path2D. Marks that would land on an already marked cell are covered
 * by it anyway, so the picture is the same as drawing every point, at a cost that does not grow with
 * overlapping points (100,000 points: a few milliseconds instead of most of a second).
 */
function scatterPaths(size: number): uPlot.Series.PathBuilder {
  return (u, seriesIdx, idx0, idx1) => {
    const xs = u.data[0] as ArrayLike<number | null>;
    const ys = u.data[seriesIdx] as ArrayLike<number | null>;
    const { left, top, width, height } = u.bbox;
    const r = (size * (window.devicePixelRatio || 1)) / 2;
    const cell = Math.max(1, r);
    const cols = Math.ceil(width / cell) + 1;
    const seen = new Uint8Array(cols * (Math.ceil(height / cell) + 1));
    const sx = u.scales.x!;
    const sy = u.scales.y!;
    const linear = sy.distr !== 3 && sx.distr !== 3;
    const x0 = sx.min!;
    const y0 = sy.min!;
    const kx = width / (sx.max! - x0);
    const ky = height / (sy.max! - y0);
    const path = new Path2D();
    for (let i = idx0; i <= idx1; i++) {
      const yv = ys[i];
      const xv = xs[i];
      if (yv === null || yv === undefined || xv === null || xv === undefined) continue;
      const cx = linear ? left + (xv - x0) * kx : u.valToPos(xv, 'x', true);
      const cy = linear ? top + height - (yv - y0) * ky : u.valToPos(yv, 'y', true);
      if (!(cx >= left && cx <= left + width && cy >= top && cy <= top + height)) continue;
      const k = Math.floor((cx - left) / cell) + Math.floor((cy - top) / cell) * cols;
      if (seen[k]) continue;
      seen[k] = 1;
      path.moveTo(cx + r, cy);
      path.arc(cx, cy, r, 0, 2 * Math.PI);
    }
    return { stroke: path, fill: path };
  };
}

/** Above this many x values a chart is first drawn from a decimated copy of its data. */
export const DECIMATE_ABOVE = 4096;

/**
 * The indices of a chart's data worth drawing at screen resolution (ascending), or null when the
 * chart is small enough to draw whole. `x` is ascending. Scatter series keep the first point in each
 * cell of an `xBins` × `yBins` grid over the data (a plot has fewer pixels than that, so the picture
 * is the same); lines with many points keep the first, last, lowest and highest point of each x bin (their
 * envelope, which is what a pixel column shows); sparse lines (a dense model curve sharing the axis
 * with scattered points) keep every point they have.
 */
export function decimate(x: ArrayLike<number>, series: Pick<SeriesSpec, 'kind' | 'values'>[], xBins = 1024, yBins = 256): Uint32Array | null {
  const n = x.length;
  if (n <= DECIMATE_ABOVE) return null;
  const keep = new Uint8Array(n);
  const x0 = x[0]!;
  const kx = xBins / (x[n - 1]! - x0 || 1);
  let seen: Uint8Array | undefined;
  for (const s of series) {
    const ys = s.values;
    let count = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = ys[i];
      if (v === null || v === undefined) continue;
      count++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (count === 0) continue;
    if (s.kind === 'points' || s.kind === 'bars') {
      const ky = yBins / (hi - lo || 1);
      seen = seen ? (seen.fill(0), seen) : new Uint8Array(xBins * yBins);
      for (let i = 0; i < n; i++) {
        const v = ys[i];
        if (v === null || v === undefined) continue;
        let cx = ((x[i]! - x0) * kx) | 0;
        let cy = ((v - lo) * ky) | 0;
        if (cx >= xBins) cx = xBins - 1;
        if (cy >= yBins) cy = yBins - 1;
        const c = cx * yBins + cy;
        if (seen[c] === 0) {
          seen[c] = 1;
          keep[i] = 1;
        }
      }
    } else if (count <= DECIMATE_ABOVE) {
      for (let i = 0; i < n; i++) if (ys[i] !== null && ys[i] !== undefined) keep[i] = 1;
    } else {
      // Per x bin: first, last, lowest and highest point.
      let cur = -1;
      let first = -1;
      let last = -1;
      let mn = -1;
      let mx = -1;
      for (let i = 0; i <= n; i++) {
        const v = i < n ? ys[i] : null;
        if (i < n && (v === null || v === undefined)) continue;
        let b = i < n ? ((x[i]! - x0) * kx) | 0 : -2;
        if (b >= xBins) b = xBins - 1;
        if (b !== cur) {
          if (first >= 0) keep[first] = keep[last] = keep[mn] = keep[mx] = 1;
          if (i === n) break;
          cur = b;
          first = last = mn = mx = i;
          continue;
        }
        last = i;
        if (v! < ys[mn]!) mn = i;
        if (v! > ys[mx]!) mx = i;
      }
    }
  }
  keep[0] = 1; // the ends of the axis stay, so the full range shows
  keep[n - 1] = 1;
  let m = 0;
  for (let i = 0; i < n; i++) m += keep[i]!;
  const out = new Uint32Array(m);
  for (let i = 0, k = 0; i < n; i++) if (keep[i] === 1) out[k++] = i;
  return out;
}

/** Keyboard control for a focused chart: arrows pan, +/− zoom, 0 resets. */
function keyboardControl(u: uPlot, yLog: boolean, reset: () => void) {
  return (e: KeyboardEvent): void => {
    const x0 = u.scales.x!.min!;
    const x1 = u.scales.x!.max!;
    const lin = (v: number): number => (yLog ? Math.log10(v) : v);
    const unlin = (v: number): number => (yLog ? 10 ** v : v);
    const y0 = lin(u.scales.y!.min!);
    const y1 = lin(u.scales.y!.max!);
    const dx = (x1 - x0) * 0.1;
    const dy = (y1 - y0) * 0.1;
    let handled = true;
    switch (e.key) {
      case 'ArrowLeft':
        u.setScale('x', { min: x0 - dx, max: x1 - dx });
        break;
      case 'ArrowRight':
        u.setScale('x', { min: x0 + dx, max: x1 + dx });
        break;
      case 'ArrowUp':
        u.setScale('y', { min: unlin(y0 + dy), max: unlin(y1 + dy) });
        break;
      case 'ArrowDown':
        u.setScale('y', { min: unlin(y0 - dy), max: unlin(y1 - dy) });
        break;
      case '+':
      case '=':
        u.batch(() => {
          u.setScale('x', { min: x0 + dx, max: x1 - dx });
          u.setScale('y', { min: unlin(y0 + dy), max: unlin(y1 - dy) });
        });
        break;
      case '-':
        u.batch(() => {
          u.setScale('x', { min: x0 - dx, max: x1 + dx });
          u.setScale('y', { min: unlin(y0 - dy), max: unlin(y1 + dy) });
        });
        break;
      case '0':
      case 'Home':
        reset();
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  };
}

/** Canvas of the whole chart (plot + axes) on the theme background, with the title: for PNG export. */
export function composeChartPng(u: uPlot, title: string, palette: Palette): string {
  const src = u.ctx.canvas;
  const pad = Math.round(28 * (window.devicePixelRatio || 1));
  const out = document.createElement('canvas');
  out.width = src.width;
  out.height = src.height + pad;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = palette.foreground;
  ctx.font = `${Math.round(palette.fontSize * 1.1 * (window.devicePixelRatio || 1))}px ${palette.fontFamily}`;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, 8, pad / 2);
  ctx.drawImage(src, 0, pad);
  return out.toDataURL('image/png');
}

/** A table alternative for a chart, built when first opened (first 500 rows). */
export function dataTable(caption: string, columnsOf: () => { name: string; values: ArrayLike<number | null> }[]): HTMLElement {
  const details = h('details', { class: 'data-table' }, h('summary', {}, 'Data table'));
  let built = false;
  details.addEventListener('toggle', () => {
    if (built || !details.open) return;
    built = true;
    const columns = columnsOf();
    const n = columns.reduce((m, c) => Math.max(m, c.values.length), 0);
    const rows = Math.min(n, 500);
    const table = h('table', {}, h('caption', {}, n > rows ? `${caption} (first ${rows} of ${n} rows; export CSV for all)` : caption));
    const head = h('tr', {});
    for (const c of columns) head.append(h('th', { scope: 'col' }, c.name));
    table.append(h('thead', {}, head));
    const body = h('tbody', {});
    for (let i = 0; i < rows; i++) {
      const tr = h('tr', {});
      for (const c of columns) tr.append(h('td', {}, fmt(c.values[i] ?? null)));
      body.append(tr);
    }
    table.append(body);
    details.append(h('div', { class: 'table-scroll' }, table));
  });
  return details;
}

export function chartToolbar(buttons: { label: string; title: string; onClick: () => void }[]): HTMLElement {
  const bar = h('div', { class: 'toolbar', role: 'toolbar' });
  for (const b of buttons) {
    const btn = h('button', { type: 'button', class: 'small', title: b.title, 'aria-label': b.title }, b.label);
    btn.addEventListener('click', b.onClick);
    bar.append(btn);
  }
  return bar;
}

export function createChart(spec: ChartSpec, ctx: ChartContext): ChartHandle {
  const { palette } = ctx;
  const figure = h('figure', { class: 'chart' });
  const caption = h('figcaption', {}, h('span', { class: 'chart-title' }, spec.title));
  const plotBox = h('div', {
    class: 'plot-box',
    tabindex: 0,
    role: 'img',
    'aria-label': `${spec.title}. ${spec.description} Arrow keys pan, plus and minus zoom, 0 resets.`,
  });
  figure.append(caption, plotBox);

  const axis = (label: string): uPlot.Axis => ({
    label,
    stroke: palette.foreground,
    grid: { stroke: palette.grid, width: 1 },
    ticks: { stroke: palette.grid, width: 1 },
    font: `${palette.fontSize - 1}px ${palette.fontFamily}`,
    labelFont: `${palette.fontSize}px ${palette.fontFamily}`,
    values: (_u, splits) => splits.map((v) => (v === null || v === undefined ? '' : fmt(v))),
  });

  const series: uPlot.Series[] = [{ label: spec.xLabel, value: (_u, v) => (v === null || v === undefined ? '—' : fmt(v)) }];
  for (const s of spec.series) {
    const base: uPlot.Series = {
      label: s.label,
      stroke: s.color,
      width: (s.width ?? (palette.highContrast ? 2 : 1.5)) ,
      value: (_u, v) => (v === null || v === undefined ? '—' : fmt(v)),
      spanGaps: false,
    };
    if (s.kind === 'dashed') base.dash = [6, 4];
    if (s.spanGaps) base.spanGaps = true;
    if (s.kind === 'points') {
      base.paths = scatterPaths(s.size ?? (s.hollow ? 6 : 4));
      base.points = { show: false };
      if (s.hollow) {
        base.fill = palette.background;
        base.width = 1.25;
      } else {
        base.fill = s.color;
        base.width = 0;
      }
    } else if (s.kind === 'bars') {
      base.paths = uPlot.paths.bars!({ size: [0.95, Infinity], align: 0 });
      base.fill = alpha(s.color, 0.55);
      base.points = { show: false };
    } else {
      base.points = { show: false };
    }
    series.push(base);
  }

  const hooks: uPlot.Hooks.Arrays = {};
  const drawHooks: ((u: uPlot) => void)[] = [];
  if (spec.trainingRange) {
    const [lo, hi] = spec.trainingRange;
    const shade = alpha(palette.muted, 0.18);
    let labelFont: string | undefined;
    let labelWidth: number | undefined;
    drawHooks.push((u) => {
      const c = u.ctx;
      const { left, top, width, height } = u.bbox;
      const xl = u.valToPos(lo, 'x', true);
      const xh = u.valToPos(hi, 'x', true);
      c.save();
      c.fillStyle = shade;
      const regions: [number, number][] = [];
      if (xl > left) regions.push([left, Math.min(xl, left + width)]);
      if (xh < left + width) regions.push([Math.max(xh, left), left + width]);
      const dpr = window.devicePixelRatio || 1;
      for (const [a, b] of regions) {
        c.fillRect(a, top, b - a, height);
        // Named: the model is drawn there, but no data backs it. Across the band when it is wide
        // enough, else upright along it.
        labelFont ??= `${Math.round((palette.fontSize - 2) * dpr)}px ${palette.fontFamily}`;
        c.font = labelFont;
        labelWidth ??= c.measureText('extrapolation').width;
        const lh = (palette.fontSize - 2) * dpr;
        c.fillStyle = palette.muted;
        if (b - a > labelWidth + 8 * dpr) {
          c.textBaseline = 'top';
          c.textAlign = 'center';
          c.fillText('extrapolation', (a + b) / 2, top + 4 * dpr);
        } else if (b - a > lh + 4 * dpr && height > labelWidth + 8 * dpr) {
          c.save();
          c.translate((a + b) / 2, top + 4 * dpr);
          c.rotate(Math.PI / 2);
          c.textBaseline = 'middle';
          c.textAlign = 'left';
          c.fillText('extrapolation', 0, 0);
          c.restore();
        }
        c.fillStyle = shade;
      }
      c.restore();
    });
  }
  if (spec.diagonal) {
    drawHooks.push((u) => {
      const c = u.ctx;
      const lo = Math.max(u.scales.x!.min!, u.scales.y!.min!);
      const hi = Math.min(u.scales.x!.max!, u.scales.y!.max!);
      if (!(hi > lo)) return;
      c.save();
      c.strokeStyle = palette.muted;
      c.setLineDash([4, 4]);
      c.lineWidth = window.devicePixelRatio || 1;
      c.beginPath();
      c.moveTo(u.valToPos(lo, 'x', true), u.valToPos(lo, 'y', true));
      c.lineTo(u.valToPos(hi, 'x', true), u.valToPos(hi, 'y', true));
      c.stroke();
      c.restore();
    });
  }
  if (drawHooks.length) hooks.drawClear = [(u) => drawHooks.forEach((f) => f(u))];
  // Time from creation to the first completed draw, visible in devtools and read by the benchmark.
  const created = performance.now();
  let measured = false;
  hooks.draw = [
    () => {
      if (measured) return;
      measured = true;
      performance.measure(`agl:chart:${spec.id}`, { start: created, end: performance.now() });
    },
  ];

  const height = spec.height ?? 220;
  const opts: uPlot.Options = {
    width: 400,
    height,
    pxAlign: false,
    scales: {
      x: { time: false },
      y: spec.yLog ? { distr: 3, log: 10 } : spec.yZero ? { range: (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1] } : {},
    },
    axes: [
      axis(spec.xLabel),
      spec.yLog
        ? // Decades only: uPlot's log axis would also grid every 2…9 multiple.
          { ...axis(spec.yLabel), space: 18, filter: (_u, splits) => splits.map((v) => (v !== null && v !== undefined && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? v : null)) }
        : { ...axis(spec.yLabel), space: 22 },
    ],
    series,
    legend: { live: true },
    cursor: {
      drag: { x: true, y: true, uni: 40, setScale: true },
      sync: spec.syncKey ? { key: spec.syncKey, scales: ['x', null], setSeries: false } : undefined,
      points: { size: 6 },
    },
    hooks,
    plugins: [zoomPanPlugin(!!spec.yLog, plotBox)],
  };

  // What is drawn: `spec.x`/`values` as given, or a decimated copy when they are large. A chart given
  // `detail` was handed an overview already (decimated by its caller) and gets the full data from
  // `detail()` when the user zooms in below half the x range, and for every export.
  let x = spec.x;
  let values = spec.series.map((s) => s.values);
  let detail = spec.detail;
  let detailData: { x: number[]; values: (number | null)[][] } | undefined;
  const full = (): { x: ArrayLike<number>; values: ArrayLike<number | null>[] } => (detail ? (detailData ??= detail()) : { x, values });
  let shown: 'full' | 'overview' = 'full';
  let fullRange: [number, number] = [x[0] ?? 0, x[x.length - 1] ?? 1];
  const overviewData = (): uPlot.AlignedData => {
    fullRange = [x[0] ?? 0, x[x.length - 1] ?? 1];
    if (detail) {
      shown = 'overview';
      return [x, ...values] as uPlot.AlignedData;
    }
    const idx = decimate(x, spec.series.map((s, i) => ({ kind: s.kind, values: values[i]! })));
    if (!idx) {
      shown = 'full';
      return [x, ...values] as uPlot.AlignedData;
    }
    shown = 'overview';
    return [Array.from(idx, (i) => x[i]!), ...values.map((v) => Array.from(idx, (i) => v[i] ?? null))] as uPlot.AlignedData;
  };
  let swapping = false;
  (opts.hooks!.setScale ??= []).push((u, key) => {
    if (key !== 'x' || swapping) return;
    const span = u.scales.x!.max! - u.scales.x!.min!;
    const width = fullRange[1] - fullRange[0];
    const want = shown === 'overview' && span < 0.5 * width ? 'full' : shown === 'full' && span >= 0.9 * width && (detail || x.length > DECIMATE_ABOVE) ? 'overview' : null;
    if (!want) return;
    swapping = true;
    try {
      if (want === 'full') {
        const f = full();
        shown = 'full';
        u.setData([f.x, ...f.values] as uPlot.AlignedData, false);
      } else {
        u.setData(overviewData(), false);
      }
    } finally {
      swapping = false;
    }
  });
  // The plot is built when the box first has a width (one draw at the right size instead of a draw
  // at a guessed width and another after the resize), or when something asks for it earlier.
  let instance: uPlot | undefined;
  const make = (width: number): uPlot => {
    instance = new uPlot({ ...opts, width }, overviewData(), plotBox);
    return instance;
  };
  const plotOf = (): uPlot => instance ?? make(400);
  const reset = (): void => plotOf().setData(overviewData(), true);
  plotBox.addEventListener('keydown', (e) => keyboardControl(plotOf(), !!spec.yLog, reset)(e));

  const columns = (): { name: string; values: ArrayLike<number | null> }[] => {
    const f = full();
    return [{ name: spec.xLabel, values: f.x }, ...spec.series.map((s, i) => ({ name: s.label, values: f.values[i]! }))];
  };
  caption.append(
    chartToolbar([
      { label: 'Reset', title: `Reset zoom of ${spec.title}`, onClick: reset },
      {
        label: 'PNG',
        title: `Export ${spec.title} as PNG`,
        onClick: () => ctx.bridge.postMessage({ type: 'exportPng', fileName: `${safeName(`${ctx.filePrefix}-${spec.id}`)}.png`, dataUrl: composeChartPng(plotOf(), spec.title, palette), runId: ctx.runId }),
      },
      {
        label: 'CSV',
        title: `Export the data of ${spec.title} as CSV`,
        onClick: () => ctx.bridge.postMessage({ type: 'exportCsv', fileName: `${safeName(`${ctx.filePrefix}-${spec.id}`)}.csv`, csv: toCsv(columns()), runId: ctx.runId }),
      },
    ]),
  );
  figure.append(dataTable(spec.title, columns));

  let destroyed = false;
  const ro = new ResizeObserver(() => {
    if (destroyed) return;
    const w = Math.floor(plotBox.clientWidth);
    if (w <= 50) return;
    if (!instance) make(w);
    else if (w !== instance.width) instance.setSize({ width: w, height });
  });
  ro.observe(plotBox);

  return {
    element: figure,
    get plot() {
      return plotOf();
    },
    setData(nx, nv, resetScales = false) {
      if (destroyed) return;
      x = nx;
      values = nv;
      detail = undefined;
      detailData = undefined;
      instance?.setData(overviewData(), resetScales);
    },
    destroy() {
      destroyed = true;
      ro.disconnect();
      instance?.destroy();
    },
  };
}
