/**
 * The panel app: keeps the runs the host sent, renders the selected ones side by side, streams
 * training progress into the live chart, and talks to the host only through validated messages.
 */
import { type HostMessage, type RunRecord, PROTOCOL_VERSION, describeMessage, isHostMessage } from '../../src/shared/protocol';
import { clear, h } from './dom';
import type { ChartContext } from './plots';
import { readPalette } from './theme';
import { type RunView, STATUS_TEXT, comparisonTable, renderRun, whenText } from './views';
import type { HostBridge } from './vscodeApi';

interface ViewState {
  selected: string[];
}

export class PanelApp {
  private runs = new Map<string, RunRecord>();
  private selected: string[] = [];
  private views = new Map<string, RunView>();
  private readonly runList: HTMLElement;
  private readonly comparison: HTMLElement;
  private readonly columns: HTMLElement;
  private readonly notice: HTMLElement;
  private clearButton: HTMLElement | undefined;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Messages rejected by the validator (exposed for tests and diagnostics). */
  rejected = 0;

  constructor(
    root: HTMLElement,
    private readonly bridge: HostBridge,
  ) {
    const saved = bridge.getState<ViewState>();
    if (saved && Array.isArray(saved.selected)) this.selected = saved.selected.filter((s) => typeof s === 'string');
    this.notice = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite' });
    this.runList = h('ul', { class: 'run-list', 'aria-label': 'Runs: tick the ones to show side by side' });
    this.comparison = h('div', { class: 'comparison' });
    this.columns = h('main', { class: 'runs', 'aria-label': 'Selected runs' });
    root.append(
      h('header', { class: 'app-header' }, h('h1', {}, 'Autograd Lens · Analysis'), this.notice),
      h('nav', { class: 'run-nav', 'aria-label': 'Run history' }, this.runList),
      this.comparison,
      this.columns,
    );
    this.renderAll();
  }

  /** Entry point for every message from the host (already structured-cloned). */
  handle(data: unknown): void {
    if (!isHostMessage(data)) {
      this.rejected++;
      const what = describeMessage(data);
      console.warn(`[autograd-lens] ignored a message of the wrong shape: ${what}`);
      this.bridge.postMessage({ type: 'log', level: 'warn', message: `webview ignored a message of the wrong shape: ${what}` });
      return;
    }
    try {
      this.apply(data);
    } catch (err) {
      const message = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
      console.error('[autograd-lens]', err);
      this.bridge.postMessage({ type: 'log', level: 'error', message: `webview failed on '${data.type}': ${message}` });
    }
  }

  private apply(m: HostMessage): void {
    switch (m.type) {
      case 'init': {
        this.runs = new Map(m.runs.map((r) => [r.id, r]));
        const wanted = m.selected.length ? m.selected : this.selected;
        this.selected = wanted.filter((id) => this.runs.has(id));
        if (this.selected.length === 0 && m.runs.length) this.selected = [this.latest()!.id];
        this.persistSelection(false);
        this.renderAll();
        break;
      }
      case 'runStarted': {
        this.runs.set(m.run.id, m.run);
        // The new run beside the one shown last (as the host's store does); more can be ticked.
        this.selected = [...this.selected.filter((id) => id !== m.run.id).slice(-1), m.run.id];
        this.persistSelection(true);
        this.renderAll();
        break;
      }
      case 'progress': {
        const run = this.runs.get(m.runId);
        if (!run) return;
        const view = this.views.get(m.runId);
        if (view) view.addProgress(m.progress);
        else run.history.push(m.progress);
        this.renderRunList();
        break;
      }
      case 'warning': {
        const run = this.runs.get(m.runId);
        if (!run) return;
        run.warnings.push(m.warning);
        this.rerenderRun(m.runId);
        break;
      }
      case 'runFinished': {
        const run = this.runs.get(m.runId);
        if (!run) return;
        run.status = m.status;
        run.statusDetail = m.statusDetail;
        run.report = m.report;
        run.series = m.series;
        this.rerenderRun(m.runId);
        this.renderRunList();
        this.renderComparison();
        break;
      }
      case 'runRemoved': {
        this.runs.delete(m.runId);
        this.selected = this.selected.filter((id) => id !== m.runId);
        this.persistSelection(false);
        this.renderAll();
        break;
      }
      case 'select': {
        this.selected = m.runIds.filter((id) => this.runs.has(id));
        this.persistSelection(false);
        this.renderAll();
        break;
      }
      case 'theme':
        this.renderAll();
        break;
      case 'notice':
        this.showNotice(m.message, m.level);
        break;
    }
  }

  /** Redraw everything with the current theme colours (called when the body's theme class changes). */
  onThemeChange(): void {
    this.renderAll();
  }

  private latest(): RunRecord | undefined {
    return [...this.runs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  }

  private persistSelection(tellHost: boolean): void {
    this.bridge.setState<ViewState>({ selected: this.selected });
    if (tellHost) this.bridge.postMessage({ type: 'select', runIds: this.selected });
  }

  private showNotice(text: string, level: 'info' | 'error'): void {
    this.notice.textContent = text;
    this.notice.className = `notice ${level}`;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => {
      this.notice.textContent = '';
      this.notice.className = 'notice';
    }, 6000);
  }

  private chartContext(run: RunRecord): ChartContext {
    // Exports are named after the data file (seed000-dy_dx.png), else the run's label.
    const stem = run.spec.data ? run.spec.data.split(/[\\/]/).pop()!.replace(/\.[^.]+$/, '') : run.label;
    return { palette: readPalette(), bridge: this.bridge, filePrefix: stem, runId: run.id };
  }

  private renderAll(): void {
    this.renderRunList();
    this.renderComparison();
    for (const v of this.views.values()) v.charts.forEach((c) => c.destroy());
    this.views.clear();
    clear(this.columns);
    const shown = this.selected.map((id) => this.runs.get(id)).filter((r): r is RunRecord => !!r);
    this.columns.className = `runs cols-${Math.min(shown.length, 3)}`;
    if (this.runs.size === 0) {
      this.columns.append(
        h(
          'div',
          { class: 'empty-state' },
          h('h2', {}, 'No runs yet'),
          h('p', {}, 'Train a network with “Autograd Lens: Train a Model on a Dataset…”, or analyse a saved model or a derivatives CSV. Runs appear here as they start, and stay in the history.'),
        ),
      );
      return;
    }
    if (shown.length === 0) {
      this.columns.append(h('p', { class: 'empty' }, 'Tick a run above to show it.'));
      return;
    }
    for (const run of shown) this.columns.append(this.renderOne(run));
  }

  private renderOne(run: RunRecord): HTMLElement {
    const started = performance.now();
    try {
      const view = renderRun(
        run,
        this.chartContext(run),
        (id) => this.bridge.postMessage({ type: 'cancel', runId: id }),
        (id) => this.bridge.postMessage({ type: 'removeRun', runId: id }),
      );
      this.views.set(run.id, view);
      // From the start of the run's rendering to the end of the frame that paints it (read by the
      // first-draw benchmark; visible in devtools).
      requestAnimationFrame(() => setTimeout(() => performance.measure(`agl:run:${run.id}`, { start: started, end: performance.now() }), 0));
      return view.element;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.bridge.postMessage({ type: 'log', level: 'error', message: `could not draw run ${run.id}: ${message}` });
      return h('article', { class: 'run', 'data-run-id': run.id }, h('h2', {}, run.label), h('div', { class: 'callout error', role: 'alert' }, `This run could not be drawn: ${message}`));
    }
  }

  private rerenderRun(id: string): void {
    const old = this.views.get(id);
    const run = this.runs.get(id);
    if (!run) return;
    const oldEl = old?.element ?? this.columns.querySelector(`[data-run-id="${CSS.escape(id)}"]`);
    if (!oldEl) return; // not shown
    old?.charts.forEach((c) => c.destroy());
    this.views.delete(id);
    oldEl.replaceWith(this.renderOne(run));
  }

  private renderComparison(): void {
    clear(this.comparison);
    const shown = this.selected.map((id) => this.runs.get(id)).filter((r): r is RunRecord => !!r);
    const t = comparisonTable(shown);
    if (t) this.comparison.append(h('h2', { class: 'section-title' }, 'Side by side'), t);
  }

  private renderRunList(): void {
    clear(this.runList);
    const runs = [...this.runs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    for (const r of runs) {
      const id = `run-${r.id}`;
      const box = h('input', { type: 'checkbox', id, 'data-run-id': r.id });
      box.checked = this.selected.includes(r.id);
      box.addEventListener('change', () => {
        this.selected = box.checked ? [...this.selected, r.id] : this.selected.filter((s) => s !== r.id);
        this.persistSelection(true);
        this.renderAll();
        (this.runList.querySelector(`#${CSS.escape(id)}`) as HTMLElement | null)?.focus();
      });
      const last = r.history[r.history.length - 1];
      const detail = r.status === 'running' && last ? ` ${last.epoch}/${last.epochs}` : '';
      const item = h(
        'li',
        { 'data-run-id': r.id },
        box,
        h(
          'label',
          { for: id },
          h('time', { class: 'when', datetime: r.createdAt, title: new Date(r.createdAt).toLocaleString() }, whenText(r.createdAt)),
          ' ',
          r.label,
          ' ',
          h('span', { class: `badge status-${r.status}` }, `${STATUS_TEXT[r.status]}${detail}`),
        ),
      );
      if (r.status !== 'running') {
        const remove = h('button', { type: 'button', class: 'icon', 'data-role': 'remove', title: `Remove ${r.label} from the history`, 'aria-label': `Remove run ${r.label} from the history` }, '×');
        remove.addEventListener('click', () => this.bridge.postMessage({ type: 'removeRun', runId: r.id }));
        item.append(remove);
      }
      this.runList.append(item);
    }
    this.renderClear(runs.filter((r) => r.status !== 'running').length);
  }

  /** "Clear history…", which asks once more in place (webviews have no confirm dialog). */
  private renderClear(finished: number): void {
    this.clearButton?.remove();
    if (finished === 0) return;
    const btn = h('button', { type: 'button', class: 'secondary small', 'data-role': 'clear' }, 'Clear history…');
    let armed: ReturnType<typeof setTimeout> | undefined;
    btn.addEventListener('click', () => {
      if (armed === undefined) {
        btn.textContent = `Remove ${finished} finished run${finished === 1 ? '' : 's'}?`;
        btn.classList.add('armed');
        armed = setTimeout(() => {
          armed = undefined;
          btn.textContent = 'Clear history…';
          btn.classList.remove('armed');
        }, 4000);
        return;
      }
      clearTimeout(armed);
      armed = undefined;
      this.bridge.postMessage({ type: 'clearRuns' });
    });
    this.clearButton = btn;
    this.runList.after(btn);
  }
}

export function start(root: HTMLElement, bridge: HostBridge): PanelApp {
  const app = new PanelApp(root, bridge);
  window.addEventListener('message', (e: MessageEvent) => app.handle(e.data));
  // VS Code swaps the theme class on <body>; redraw the canvases with the new colours.
  let last = document.body.className;
  new MutationObserver(() => {
    if (document.body.className !== last) {
      last = document.body.className;
      app.onThemeChange();
    }
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  bridge.postMessage({ type: 'ready', version: PROTOCOL_VERSION });
  return app;
}
