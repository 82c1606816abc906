/**
 * Run history of the analysis panel, kept on disk so it survives closing the panel and restarting
 * VS Code. Pure Node (no `vscode` import): the panel host gives it `globalStorageUri.fsPath`.
 *
 * Layout of the folder:
 *   index.json            { version, selected, runs: RunRecord[] without series }
 *   series/<run id>.json  one AnalysisSeries, typed arrays as base64 of their little-endian bytes
 * Writes go to a temporary file that is then renamed, so a crash never leaves half a file. A
 * damaged index or series file is reported through `log` and skipped; it never takes the others
 * with it.
 *
 * Every change is also emitted as the HostMessage the webview needs, so the panel only forwards.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AnalysisSeries, DataWarning, EpochProgress, Report, RunStatus } from '../../core/model/types';
import { type HostMessage, type RunRecord, isAnalysisSeries, isRunRecord } from '../../shared/protocol';

export const STORE_VERSION = 1;

export type StoreEvent = Extract<HostMessage, { type: 'runStarted' | 'progress' | 'warning' | 'runFinished' | 'runRemoved' | 'select' }>;

export interface RunStoreOptions {
  /** Most runs kept; the oldest finished runs are dropped first. Default 12. */
  maxRuns?: number;
  /** Where problems with the files are reported. */
  log?: (message: string) => void;
  /** Delay before history changes during training are written (ms). Default 2000. */
  flushDelayMs?: number;
}

/** A unique, file-name-safe run id that sorts by creation time. */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '').replace('T', '-').replace('Z', '')}-${randomBytes(3).toString('hex')}`;
}

// ---- typed-array encoding --------------------------------------------------------------------

interface EncodedF64 {
  $f64: string;
}

function encodeF64(a: Float64Array): EncodedF64 {
  return { $f64: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64') };
}

function decodeF64(x: unknown): Float64Array {
  if (typeof x !== 'object' || x === null || typeof (x as EncodedF64).$f64 !== 'string') throw new Error('expected an encoded Float64Array');
  const buf = Buffer.from((x as EncodedF64).$f64, 'base64');
  if (buf.byteLength % 8 !== 0) throw new Error('encoded Float64Array has a length that is not a multiple of 8 bytes');
  const out = new Float64Array(buf.byteLength / 8);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/**
 * JSON that keeps what plain JSON loses: Float64Array as base64 of its bytes (every bit of every
 * double kept) and non-finite numbers (NaN metrics, infinite losses) as `{"$num": "NaN"}`.
 */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Float64Array) return encodeF64(v);
    if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
    return v;
  });
}

export function decodeJson(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    if (typeof v === 'object' && v !== null) {
      if (typeof (v as EncodedF64).$f64 === 'string') return decodeF64(v);
      const num = (v as { $num?: unknown }).$num;
      if (num === 'NaN' || num === 'Infinity' || num === '-Infinity') return Number(num);
    }
    return v;
  });
}

export function encodeSeries(s: AnalysisSeries): string {
  return encodeJson(s);
}

export function decodeSeries(text: string): AnalysisSeries {
  const parsed = decodeJson(text);
  if (!isAnalysisSeries(parsed)) throw new Error('the file does not hold a valid analysis series');
  return parsed;
}

// ---- store ---------------------------------------------------------------------------------

interface IndexFile {
  version: number;
  selected: string[];
  runs: RunRecord[];
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

export class RunStore {
  private runsById = new Map<string, RunRecord>();
  private selected: string[] = [];
  private listeners = new Set<(e: StoreEvent) => void>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly maxRuns: number;
  private readonly log: (m: string) => void;
  private readonly flushDelayMs: number;

  constructor(
    readonly dir: string,
    options: RunStoreOptions = {},
  ) {
    this.maxRuns = Math.max(1, options.maxRuns ?? 12);
    this.log = options.log ?? (() => undefined);
    this.flushDelayMs = options.flushDelayMs ?? 2000;
  }

  private get indexPath(): string {
    return join(this.dir, 'index.json');
  }
  private seriesPath(id: string): string {
    return join(this.dir, 'series', `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
  }

  /** Read the history from disk. Runs left `running` by a previous session are marked failed. */
  async load(): Promise<void> {
    await mkdir(join(this.dir, 'series'), { recursive: true });
    let index: IndexFile | null = null;
    try {
      const parsed = decodeJson(await readFile(this.indexPath, 'utf8')) as IndexFile;
      if (parsed && Array.isArray(parsed.runs)) index = parsed;
      else this.log(`run history ${this.indexPath} is not in the expected format; starting a new history`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`could not read the run history ${this.indexPath}: ${(err as Error).message}; starting a new history`);
    }
    this.runsById.clear();
    let changed = false;
    for (const raw of index?.runs ?? []) {
      const run = { ...raw, series: null } as RunRecord;
      if (!isRunRecord(run)) {
        this.log(`skipped a damaged entry in the run history (${String((raw as { id?: unknown })?.id)})`);
        changed = true;
        continue;
      }
      if (run.status === 'running') {
        run.status = 'failed';
        run.statusDetail = 'Interrupted: VS Code closed or the extension stopped while this run was training.';
        changed = true;
      }
      try {
        run.series = decodeSeries(await readFile(this.seriesPath(run.id), 'utf8'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`could not read the plots of run ${run.label}: ${(err as Error).message}`);
      }
      this.runsById.set(run.id, run);
    }
    this.selected = (index?.selected ?? []).filter((id) => typeof id === 'string' && this.runsById.has(id));
    if (changed) await this.persistIndex();
  }

  onEvent(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: StoreEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log(`run store listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** All runs, newest first. */
  list(): RunRecord[] {
    return [...this.runsById.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  get(id: string): RunRecord | undefined {
    return this.runsById.get(id);
  }

  getSelected(): string[] {
    return [...this.selected];
  }

  async setSelected(ids: string[], notify = false): Promise<void> {
    this.selected = ids.filter((id) => this.runsById.has(id));
    if (notify) this.emit({ type: 'select', runIds: this.getSelected() });
    await this.persistIndex();
  }

  /** Record a new run (normally status `running`, empty history) and select it with the last shown one. */
  async start(run: RunRecord): Promise<void> {
    if (!isRunRecord(run)) throw new Error('RunStore.start: not a valid run record');
    if (this.runsById.has(run.id)) throw new Error(`RunStore.start: a run with id ${run.id} exists already`);
    this.runsById.set(run.id, { ...run, history: [...run.history], warnings: [...run.warnings] });
    // Show the new run next to the one shown last (e.g. plain vs derivative training), not every run.
    this.selected = [...this.selected.filter((id) => id !== run.id).slice(-1), run.id];
    await this.evict();
    this.emit({ type: 'runStarted', run: this.runsById.get(run.id)! });
    if (run.series) await this.writeSeries(run.id, run.series);
    await this.persistIndex();
  }

  progress(id: string, p: EpochProgress): void {
    const run = this.runsById.get(id);
    if (!run) return;
    run.history.push(p);
    this.emit({ type: 'progress', runId: id, progress: p });
    this.scheduleFlush();
  }

  warning(id: string, w: DataWarning): void {
    const run = this.runsById.get(id);
    if (!run) return;
    run.warnings.push(w);
    this.emit({ type: 'warning', runId: id, warning: w });
    this.scheduleFlush();
  }

  async finish(id: string, status: RunStatus, statusDetail: string | undefined, report: Report | null, series: AnalysisSeries | null, history?: EpochProgress[]): Promise<void> {
    const run = this.runsById.get(id);
    if (!run) throw new Error(`RunStore.finish: no run ${id}`);
    run.status = status;
    if (statusDetail === undefined) delete run.statusDetail;
    else run.statusDetail = statusDetail;
    run.report = report;
    run.series = series;
    if (history && history.length >= run.history.length) run.history = [...history];
    this.emit({ type: 'runFinished', runId: id, status, statusDetail, report, series });
    if (series) await this.writeSeries(id, series);
    await this.persistIndex();
  }

  async remove(id: string): Promise<void> {
    if (!this.runsById.delete(id)) return;
    this.selected = this.selected.filter((s) => s !== id);
    this.emit({ type: 'runRemoved', runId: id });
    await rm(this.seriesPath(id), { force: true });
    await this.persistIndex();
  }

  /** Removes every run that is not running; returns how many went. */
  async clearFinished(): Promise<number> {
    const ids = [...this.runsById.values()].filter((r) => r.status !== 'running').map((r) => r.id);
    for (const id of ids) {
      this.runsById.delete(id);
      this.emit({ type: 'runRemoved', runId: id });
      await rm(this.seriesPath(id), { force: true });
    }
    this.selected = this.selected.filter((s) => this.runsById.has(s));
    if (ids.length) await this.persistIndex();
    return ids.length;
  }

  /** Wait until every pending write has reached the disk. */
  async flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      await this.persistIndex();
    }
    await this.writing;
  }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.persistIndex();
    }, this.flushDelayMs);
  }

  private async evict(): Promise<void> {
    const runs = this.list();
    if (runs.length <= this.maxRuns) return;
    const removable = runs.filter((r) => r.status !== 'running').reverse(); // oldest first
    let excess = runs.length - this.maxRuns;
    for (const r of removable) {
      if (excess <= 0) break;
      this.runsById.delete(r.id);
      this.selected = this.selected.filter((s) => s !== r.id);
      this.emit({ type: 'runRemoved', runId: r.id });
      await rm(this.seriesPath(r.id), { force: true });
      excess--;
    }
  }

  private writeSeries(id: string, series: AnalysisSeries): Promise<void> {
    const text = encodeSeries(series);
    return this.enqueue(() => writeAtomic(this.seriesPath(id), text));
  }

  private persistIndex(): Promise<void> {
    const index: IndexFile = {
      version: STORE_VERSION,
      selected: this.selected,
      runs: this.list().map((r) => ({ ...r, series: null })),
    };
    const text = encodeJson(index);
    return this.enqueue(() => writeAtomic(this.indexPath, text));
  }

  /** Writes happen one after another, in order; a failed write is logged, not thrown at callers. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    this.writing = this.writing.then(async () => {
      try {
        await mkdir(join(this.dir, 'series'), { recursive: true });
        await task();
      } catch (err) {
        this.log(`could not save the run history: ${(err as Error).message}`);
      }
    });
    return this.writing;
  }
}
