/**
 * Error heat map over a two-input plane, drawn on a canvas of our own (uPlot has no image series).
 * Cells carry the mean |error| of the points that fall in them (blank where no point fell), the
 * region outside the training range is hatched, training points are drawn as small rings, and a
 * colour bar gives the scale (log10 when the values span more than three decades). Wheel or +/−
 * zooms, dragging or the arrow keys pan, double-click, 0 or Reset restores the full plane.
 */
import { h } from './dom';
import { type HeatGrid, type Extent, fmt, toCsv } from './analysis';
import { chartToolbar, dataTable, wheelHandler } from './plots';
import { type Palette, viridis } from './theme';
import type { HostBridge } from './vscodeApi';

export interface HeatmapSpec {
  id: string;
  title: string;
  description: string;
  xLabel: string;
  yLabel: string;
  grid: HeatGrid;
  /** Training range per axis; the outside is hatched. */
  trainingBox?: { x: [number, number]; y: [number, number] };
  /** Training points to overlay (x, y), possibly empty. */
  points?: { x: ArrayLike<number>; y: ArrayLike<number> };
  valueLabel: string;
}

export interface HeatmapHandle {
  element: HTMLElement;
  canvas: HTMLCanvasElement;
  redraw(): void;
}

const MARGIN = { left: 64, right: 86, top: 10, bottom: 44 };

function niceTicks(e: Extent, count: number): number[] {
  const span = e.max - e.min;
  if (!(span > 0)) return [e.min];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(e.min / step) * step; v <= e.max + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

export function createHeatmap(spec: HeatmapSpec, palette: Palette, bridge: HostBridge, filePrefix: string, runId?: string): HeatmapHandle {
  const created = performance.now();
  const { grid } = spec;
  const figure = h('figure', { class: 'chart heatmap' });
  const canvas = h('canvas', {
    class: 'heat-canvas',
    tabindex: 0,
    role: 'img',
    'aria-label': `${spec.title}. ${spec.description} Arrow keys pan, plus and minus zoom, 0 resets.`,
  });
  const readout = h('div', { class: 'readout', 'aria-live': 'polite' }, 'Hover the map to read a cell.');
  const caption = h('figcaption', {}, h('span', { class: 'chart-title' }, spec.title));
  figure.append(caption, h('div', { class: 'plot-box' }, canvas), readout);

  const range = grid.range;
  const useLog = !!range && range.min > 0 && range.max / range.min > 1e3;
  const scale = (v: number): number => {
    if (!range) return 0;
    if (useLog) return (Math.log10(v) - Math.log10(range.min)) / (Math.log10(range.max) - Math.log10(range.min) || 1);
    return (v - range.min) / (range.max - range.min || 1);
  };

  // The cell image at grid resolution, scaled up without smoothing when drawn.
  const cellsCanvas = document.createElement('canvas');
  cellsCanvas.width = grid.nx;
  cellsCanvas.height = grid.ny;
  const cctx = cellsCanvas.getContext('2d')!;
  const img = cctx.createImageData(grid.nx, grid.ny);
  for (let r = 0; r < grid.ny; r++) {
    for (let c = 0; c < grid.nx; c++) {
      const v = grid.cells[r * grid.nx + c]!;
      const o = ((grid.ny - 1 - r) * grid.nx + c) * 4; // row 0 is the bottom
      if (!Number.isFinite(v)) {
        img.data[o + 3] = 0;
        continue;
      }
      const [R, G, B] = viridis(scale(v));
      img.data[o] = R;
      img.data[o + 1] = G;
      img.data[o + 2] = B;
      img.data[o + 3] = 255;
    }
  }
  cctx.putImageData(img, 0, 0);

  let cssW = 400;
  const cssH = 300;
  // The visible part of the plane (data units): zoom and pan change it, Reset restores the grid's.
  let view = { x: { ...grid.x }, y: { ...grid.y } };
  const geometry = () => {
    const pw = cssW - MARGIN.left - MARGIN.right;
    const ph = cssH - MARGIN.top - MARGIN.bottom;
    const X = (v: number): number => MARGIN.left + ((v - view.x.min) / (view.x.max - view.x.min || 1)) * pw;
    const Y = (v: number): number => MARGIN.top + ph - ((v - view.y.min) / (view.y.max - view.y.min || 1)) * ph;
    return { pw, ph, X, Y };
  };

  function redraw(): void {
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(cssW * dpr);
    canvas.height = Math.round(cssH * dpr);
    canvas.style.width = `${cssW}px`;
    canvas.style.height = `${cssH}px`;
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    const { pw, ph, X, Y } = geometry();
    ctx.imageSmoothingEnabled = false;
    ctx.save();
    ctx.beginPath();
    ctx.rect(MARGIN.left, MARGIN.top, pw, ph);
    ctx.clip();
    // The whole cell image placed in view coordinates; the clip keeps what is visible.
    const gx0 = X(grid.x.min);
    const gx1 = X(grid.x.max);
    const gy0 = Y(grid.y.max);
    const gy1 = Y(grid.y.min);
    ctx.drawImage(cellsCanvas, gx0, gy0, gx1 - gx0, gy1 - gy0);

    // Hatch outside the training box.
    if (spec.trainingBox) {
      const bx0 = X(spec.trainingBox.x[0]);
      const bx1 = X(spec.trainingBox.x[1]);
      const by0 = Y(spec.trainingBox.y[1]);
      const by1 = Y(spec.trainingBox.y[0]);
      ctx.save();
      ctx.beginPath();
      ctx.rect(MARGIN.left, MARGIN.top, pw, ph);
      ctx.rect(bx1, by0, bx0 - bx1, by1 - by0); // opposite winding cuts the box out
      ctx.clip('evenodd');
      ctx.strokeStyle = palette.foreground;
      ctx.globalAlpha = 0.45;
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let d = -ph; d < pw; d += 8) {
        ctx.moveTo(MARGIN.left + d, MARGIN.top + ph);
        ctx.lineTo(MARGIN.left + d + ph, MARGIN.top);
      }
      ctx.stroke();
      ctx.restore();
      ctx.save();
      ctx.strokeStyle = palette.foreground;
      ctx.setLineDash([5, 3]);
      ctx.lineWidth = 1.5;
      ctx.strokeRect(bx0, by0, bx1 - bx0, by1 - by0);
      ctx.restore();
    }

    // Training points.
    if (spec.points) {
      ctx.save();
      ctx.strokeStyle = palette.background;
      ctx.fillStyle = palette.foreground;
      ctx.lineWidth = 1;
      const n = Math.min(spec.points.x.length, spec.points.y.length);
      const r = n > 2000 ? 1.2 : 2.2;
      for (let i = 0; i < n; i++) {
        const px = spec.points.x[i]!;
        const py = spec.points.y[i]!;
        if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
        ctx.beginPath();
        ctx.arc(X(px), Y(py), r, 0, Math.PI * 2);
        ctx.fill();
        if (n <= 2000) ctx.stroke();
      }
      ctx.restore();
    }
    ctx.restore(); // plot-area clip

    // Frame and axes.
    ctx.strokeStyle = palette.grid;
    ctx.strokeRect(MARGIN.left, MARGIN.top, pw, ph);
    ctx.fillStyle = palette.foreground;
    ctx.font = `${palette.fontSize - 1}px ${palette.fontFamily}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of niceTicks(view.x, 5)) {
      ctx.fillRect(X(t), MARGIN.top + ph, 1, 4);
      ctx.fillText(fmt(t), X(t), MARGIN.top + ph + 6);
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of niceTicks(view.y, 5)) {
      ctx.fillRect(MARGIN.left - 4, Y(t), 4, 1);
      ctx.fillText(fmt(t), MARGIN.left - 6, Y(t));
    }
    ctx.font = `${palette.fontSize}px ${palette.fontFamily}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(spec.xLabel, MARGIN.left + pw / 2, cssH - 2);
    ctx.save();
    ctx.translate(14, MARGIN.top + ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(spec.yLabel, 0, 0);
    ctx.restore();

    // Colour bar.
    const bx = cssW - MARGIN.right + 16;
    const bw = 12;
    for (let i = 0; i < ph; i++) {
      const [R, G, B] = viridis(1 - i / (ph - 1));
      ctx.fillStyle = `rgb(${R | 0},${G | 0},${B | 0})`;
      ctx.fillRect(bx, MARGIN.top + i, bw, 1);
    }
    ctx.fillStyle = palette.foreground;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.font = `${palette.fontSize - 2}px ${palette.fontFamily}`;
    if (range) {
      ctx.fillText(fmt(range.max), bx + bw + 3, MARGIN.top);
      ctx.textBaseline = 'bottom';
      ctx.fillText(fmt(range.min), bx + bw + 3, MARGIN.top + ph);
    }
    ctx.textBaseline = 'top';
    ctx.fillText(useLog ? `${spec.valueLabel} (log)` : spec.valueLabel, bx - 10, MARGIN.top + ph + 22);
  }

  canvas.addEventListener('mousemove', (e) => {
    const rect = canvas.getBoundingClientRect();
    const { pw, ph } = geometry();
    const fx = (e.clientX - rect.left - MARGIN.left) / pw;
    const fy = 1 - (e.clientY - rect.top - MARGIN.top) / ph;
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return;
    const xv = view.x.min + fx * (view.x.max - view.x.min);
    const yv = view.y.min + fy * (view.y.max - view.y.min);
    const gfx = (xv - grid.x.min) / (grid.x.max - grid.x.min || 1);
    const gfy = (yv - grid.y.min) / (grid.y.max - grid.y.min || 1);
    if (gfx < 0 || gfx > 1 || gfy < 0 || gfy > 1) {
      readout.textContent = `${spec.xLabel} = ${fmt(xv)}, ${spec.yLabel} = ${fmt(yv)}: outside the evaluated points`;
      return;
    }
    const c = Math.min(grid.nx - 1, Math.floor(gfx * grid.nx));
    const r = Math.min(grid.ny - 1, Math.floor(gfy * grid.ny));
    const v = grid.cells[r * grid.nx + c]!;
    readout.textContent = `${spec.xLabel} = ${fmt(xv)}, ${spec.yLabel} = ${fmt(yv)}: ${Number.isFinite(v) ? `${spec.valueLabel} ${fmt(v)}` : 'no points in this cell'}`;
  });

  // Zoom (Ctrl/⌘+wheel, +/−), pan (drag, arrows), reset (double-click, 0, Reset) in data space; a
  // plain wheel scrolls the page.
  const zoom = (factor: number, fx = 0.5, fy = 0.5): void => {
    const cx = view.x.min + fx * (view.x.max - view.x.min);
    const cy = view.y.min + fy * (view.y.max - view.y.min);
    view = {
      x: { min: cx - (cx - view.x.min) * factor, max: cx + (view.x.max - cx) * factor },
      y: { min: cy - (cy - view.y.min) * factor, max: cy + (view.y.max - cy) * factor },
    };
    redraw();
  };
  const pan = (dfx: number, dfy: number): void => {
    const dx = dfx * (view.x.max - view.x.min);
    const dy = dfy * (view.y.max - view.y.min);
    view = { x: { min: view.x.min + dx, max: view.x.max + dx }, y: { min: view.y.min + dy, max: view.y.max + dy } };
    redraw();
  };
  const reset = (): void => {
    view = { x: { ...grid.x }, y: { ...grid.y } };
    redraw();
  };
  const fractionAt = (e: MouseEvent): [number, number] => {
    const rect = canvas.getBoundingClientRect();
    const { pw, ph } = geometry();
    return [(e.clientX - rect.left - MARGIN.left) / pw, 1 - (e.clientY - rect.top - MARGIN.top) / ph];
  };
  canvas.addEventListener(
    'wheel',
    wheelHandler(figure, (factor, e) => {
      const [fx, fy] = fractionAt(e);
      zoom(factor, Math.min(1, Math.max(0, fx)), Math.min(1, Math.max(0, fy)));
    }),
    { passive: false },
  );
  canvas.addEventListener('mousedown', (e) => {
    const { pw, ph } = geometry();
    let last = { x: e.clientX, y: e.clientY };
    const move = (ev: MouseEvent): void => {
      pan(-(ev.clientX - last.x) / pw, (ev.clientY - last.y) / ph);
      last = { x: ev.clientX, y: ev.clientY };
    };
    const up = (): void => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  });
  canvas.addEventListener('dblclick', reset);
  canvas.addEventListener('keydown', (e) => {
    const actions: Record<string, () => void> = {
      ArrowLeft: () => pan(-0.1, 0), ArrowRight: () => pan(0.1, 0), ArrowUp: () => pan(0, 0.1), ArrowDown: () => pan(0, -0.1),
      '+': () => zoom(0.8), '=': () => zoom(0.8), '-': () => zoom(1.25), '0': reset, Home: reset,
    };
    const act = actions[e.key];
    if (act) {
      e.preventDefault();
      act();
    }
  });

  const cellColumns = () => {
    const xs: number[] = [];
    const ys: number[] = [];
    const vs: number[] = [];
    for (let r = 0; r < grid.ny; r++)
      for (let c = 0; c < grid.nx; c++) {
        const v = grid.cells[r * grid.nx + c]!;
        if (!Number.isFinite(v)) continue;
        xs.push(grid.x.min + ((c + 0.5) / grid.nx) * (grid.x.max - grid.x.min));
        ys.push(grid.y.min + ((r + 0.5) / grid.ny) * (grid.y.max - grid.y.min));
        vs.push(v);
      }
    return [
      { name: `${spec.xLabel} (cell centre)`, values: xs },
      { name: `${spec.yLabel} (cell centre)`, values: ys },
      { name: spec.valueLabel, values: vs },
    ];
  };
  const safe = `${filePrefix}-${spec.id}`.replace(/[^A-Za-z0-9._-]+/g, '-');
  caption.append(
    chartToolbar([
      { label: 'Reset', title: `Reset zoom of ${spec.title}`, onClick: reset },
      {
        label: 'PNG',
        title: `Export ${spec.title} as PNG`,
        onClick: () => {
          const out = document.createElement('canvas');
          out.width = canvas.width;
          out.height = canvas.height;
          const c = out.getContext('2d')!;
          c.fillStyle = palette.background;
          c.fillRect(0, 0, out.width, out.height);
          c.drawImage(canvas, 0, 0);
          bridge.postMessage({ type: 'exportPng', fileName: `${safe}.png`, dataUrl: out.toDataURL('image/png'), runId });
        },
      },
      { label: 'CSV', title: `Export the cells of ${spec.title} as CSV`, onClick: () => bridge.postMessage({ type: 'exportCsv', fileName: `${safe}.csv`, csv: toCsv(cellColumns()), runId }) },
    ]),
  );
  figure.append(dataTable(`${spec.title} (non-empty cells)`, cellColumns));

  const ro = new ResizeObserver(() => {
    const w = Math.floor(canvas.parentElement!.clientWidth);
    if (w > 100 && w !== cssW) {
      cssW = Math.min(w, 720);
      redraw();
    }
  });
  ro.observe(figure);
  redraw();
  performance.measure(`agl:heatmap:${spec.id}`, { start: created, end: performance.now() });
  return { element: figure, canvas, redraw };
}
