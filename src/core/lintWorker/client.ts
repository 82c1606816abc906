/**
 * The editor's way to the lint engine: a worker thread (worker.ts, dist/lintWorker.js) runs the engine, so
 * the extension host's thread never lints; this client, on the host, only sends texts and receives
 * findings. Pure Node (no `vscode`): the lint service (src/vscode/lint/service.ts) uses it, tests drive it
 * directly.
 *
 * - **One request at a time, newest first.** The client keeps the queue; the worker gets the next request
 *   when it has answered the last. A request for a document (`lintDocument`, `lintCells` with a
 *   `documentKey`) replaces one for the same document still waiting in the queue: the replaced one
 *   resolves to `undefined` (stale) and is never linted. Documents the user edits go before `lint` requests
 *   without a document (Lint workspace), so a squiggle never waits behind a workspace pass.
 * - **A worker that dies is replaced.** What was being linted resolves to an AGL000 internal-error finding
 *   on that file (a file the linter failed on must not look clean); the requests still waiting go to a new
 *   worker; `onCrash` is called once for the crash. A request that takes longer than `timeoutMs` counts as
 *   a crash (the worker is stopped). A worker that cannot start (wasm missing) rejects `ready()` and every
 *   request, and is not restarted.
 */
import { Worker } from 'node:worker_threads';
import { internalErrorDiagnostic } from '../lint/internal';
import type { RevealedDiagnostic } from '../lint/index';
import type { Diagnostic, Range } from '../lint/types';
import type { CellDiagnostic, CellInput } from '../notebook/index';
import type { InternalError, LintRequestOptions, LintWorkerData, LintWorkerReply, LintWorkerRequest } from './protocol';

export interface LintReply {
  diagnostics: Diagnostic[];
  /** The engine's failures on this text (each is also an AGL000 diagnostic). */
  internalErrors: InternalError[];
  /** Findings in other workspace files' helpers that this text's use reveals (`LintRun.revealed`). */
  revealed?: RevealedDiagnostic[];
  /** Time the worker spent linting. */
  ms: number;
}

export interface CellsReply {
  diagnostics: CellDiagnostic[];
  ms: number;
}

export interface LintWorkerClientOptions {
  wasmDir?: string;
  /** Called once per crash of the worker thread, with what is known of the cause. */
  onCrash?: (message: string) => void;
  /** A request running longer than this stops the worker (default 60 s). */
  timeoutMs?: number;
  /** Tests only: see LintWorkerData.crashMarker. */
  crashMarker?: string;
}

type Request = Exclude<LintWorkerRequest, { op: 'forget' }>;

interface Pending {
  req: Request;
  /** The document it lints (newer requests for it replace this one while it waits), or null. */
  key: string | null;
  resolve: (reply: LintReply | CellsReply | undefined) => void;
  reject: (err: Error) => void;
}

function firstLineRange(text: string): Range {
  const m = /[\r\n]/.exec(text);
  return { start: { line: 0, column: 0 }, end: { line: 0, column: m ? m.index : text.length } };
}

/** What a request gets when the worker died on it: the engine-failure finding AGL000. */
function crashReply(req: Request, why: string): LintReply | CellsReply {
  const failure = { code: 'parse', error: `the lint worker thread stopped while linting this file (${why})` };
  if (req.op !== 'lintCells') return { diagnostics: [internalErrorDiagnostic(failure, firstLineRange(req.text))], internalErrors: [], ms: 0 };
  const cell = req.cells.find((c) => c.kind === 'code') ?? req.cells[0];
  const d = internalErrorDiagnostic(failure, firstLineRange(cell?.source ?? ''));
  return { diagnostics: [{ ...d, cell: cell?.index ?? 0, related: [], fixes: [] }], ms: 0 };
}

export class LintWorkerClient {
  private worker: Worker | null = null;
  private started: Promise<void> | null = null;
  private isReady = false;
  private startError: Error | null = null;
  /** Open documents' requests, then the others (each in arrival order). */
  private readonly documents: Pending[] = [];
  private readonly others: Pending[] = [];
  private inFlight: Pending | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private nextId = 1;
  private disposed = false;
  /** Workers that died (for the output channel and tests). */
  crashes = 0;
  /** Time the first worker took to load the engine. */
  readyMs: number | null = null;

  constructor(
    private readonly script: string,
    private readonly opts: LintWorkerClientOptions = {},
  ) {}

  /** Starts the worker if it is not running; resolves once its engine is loaded, rejects if it cannot start. */
  ready(): Promise<void> {
    if (this.startError) return Promise.reject(this.startError);
    if (this.disposed) return Promise.reject(new Error('the lint worker was disposed'));
    if (!this.started) this.started = this.start();
    return this.started;
  }

  lint(text: string, opts: LintRequestOptions = {}): Promise<LintReply> {
    return this.enqueue({ op: 'lint', id: 0, text, opts }, null) as Promise<LintReply>;
  }

  /** Undefined when a newer version of the same document replaced this request before it ran. */
  lintDocument(key: string, text: string, opts: LintRequestOptions = {}): Promise<LintReply | undefined> {
    return this.enqueue({ op: 'lintDocument', id: 0, key, text, opts }, key) as Promise<LintReply | undefined>;
  }

  /** A notebook's cells as one program (core `lintCells`); with `documentKey`, undefined when replaced. */
  lintCells(cells: CellInput[], opts: LintRequestOptions & { documentKey?: string } = {}): Promise<CellsReply | undefined> {
    return this.enqueue({ op: 'lintCells', id: 0, cells, opts }, opts.documentKey ?? null) as Promise<CellsReply | undefined>;
  }

  /** Frees what the worker keeps for a document; a request for it still waiting is dropped. */
  forget(key: string): void {
    this.dropWaiting(key);
    if (this.worker && this.isReady) this.worker.postMessage({ op: 'forget', key } satisfies LintWorkerRequest);
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
    for (const p of [...(this.inFlight ? [this.inFlight] : []), ...this.documents.splice(0), ...this.others.splice(0)]) p.resolve(undefined);
    this.inFlight = null;
  }

  private enqueue(req: Request, key: string | null): Promise<LintReply | CellsReply | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      if (key !== null) this.dropWaiting(key);
      (key !== null ? this.documents : this.others).push({ req, key, resolve, reject });
      this.ready().then(
        () => this.pump(),
        (err: Error) => this.failAll(err),
      );
    });
  }

  private dropWaiting(key: string): void {
    const i = this.documents.findIndex((p) => p.key === key);
    if (i >= 0) this.documents.splice(i, 1)[0].resolve(undefined);
  }

  private failAll(err: Error): void {
    for (const p of [...this.documents.splice(0), ...this.others.splice(0)]) p.reject(err);
  }

  private start(): Promise<void> {
    const data: LintWorkerData = { kind: 'autograd-lens-lint-worker', wasmDir: this.opts.wasmDir, crashMarker: this.opts.crashMarker };
    const worker = new Worker(this.script, { workerData: data });
    this.worker = worker;
    this.isReady = false;
    let why = '';
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (m: LintWorkerReply) => {
        if (worker !== this.worker) return;
        if (m.type === 'ready') {
          this.isReady = true;
          this.readyMs ??= m.ms;
          resolve();
          return;
        }
        if (m.type === 'init-failed') {
          this.startError = new Error(m.message);
          this.worker = null;
          void worker.terminate();
          reject(this.startError);
          this.failAll(this.startError);
          return;
        }
        const p = this.inFlight;
        if (!p || p.req.id !== m.id) return;
        this.inFlight = null;
        this.clearTimer();
        if (m.type === 'failed') p.reject(new Error(m.message));
        else if (m.type === 'lint') p.resolve({ diagnostics: m.diagnostics, internalErrors: m.internalErrors, revealed: m.revealed, ms: m.ms });
        else p.resolve({ diagnostics: m.diagnostics, ms: m.ms });
        this.pump();
      });
      worker.on('error', (err) => {
        why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      });
      worker.on('exit', (code) => {
        if (worker !== this.worker) return; // terminated on purpose
        this.worker = null;
        this.clearTimer();
        if (!this.isReady) {
          this.startError = new Error(`the lint worker could not start (${why || `exit code ${code}`})`);
          reject(this.startError);
          this.failAll(this.startError);
          return;
        }
        this.crashed(why || `exit code ${code}`);
      });
    });
  }

  /** The worker died (or was stopped for taking too long): answer what it was on, start another for the rest. */
  private crashed(why: string): void {
    this.crashes++;
    this.started = null;
    const p = this.inFlight;
    this.inFlight = null;
    this.opts.onCrash?.(why);
    if (p) p.resolve(crashReply(p.req, why));
    if (!this.disposed && this.documents.length + this.others.length > 0) {
      this.ready().then(
        () => this.pump(),
        (err: Error) => this.failAll(err),
      );
    }
  }

  private pump(): void {
    if (this.disposed || this.inFlight || !this.worker || !this.isReady) return;
    const p = this.documents.shift() ?? this.others.shift();
    if (!p) return;
    p.req.id = this.nextId++;
    this.inFlight = p;
    const worker = this.worker;
    const limit = this.opts.timeoutMs ?? 60_000;
    this.timer = setTimeout(() => {
      if (worker !== this.worker || this.inFlight !== p) return;
      this.worker = null;
      void worker.terminate();
      this.crashed(`it took longer than ${Math.round(limit / 1000)} s`);
    }, limit);
    worker.postMessage(p.req);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
