/**
 * `autograd-lens lint --jobs N`: the files of a run linted by N worker threads (Node's `worker_threads`),
 * each with an engine of its own (tree-sitter and the analysis are per thread; nothing is shared). The
 * default is one thread per available core; `--jobs 1` lints in the main thread, as before.
 *
 * The output is what one thread gives, byte for byte and in the same order:
 * - Each path is linted, and with `--fix` fixed and written, by one worker through `lintPath` (lint.ts), the
 *   same code as with one thread: decoding as CPython does, notebooks, the rewrite through a temporary
 *   sibling and a rename, the check that the file did not change meanwhile.
 * - Workers take the next file as they finish one (largest files first, so that no big file is left for
 *   the end); the main thread keeps each file's outcome until every earlier file's is in, then prints its
 *   stderr lines and problems and adds its totals, in the order of the walk. stdout is written at the end
 *   from the results in that order, as before.
 * - A broken pyproject.toml is reported once per run: workers report it for every file under it, and the
 *   main thread keeps the first, in file order (what one thread's `brokenConfigs` does).
 * - A worker that dies (out of memory, a crash inside WebAssembly) loses only the file it was on: that file
 *   gets an AGL000 finding and a line on stderr, as an engine failure does (exit status 3), and a new worker
 *   takes over the rest. An exception that is a bug of the linter stops the run, as with one thread.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LintConfig } from '../core/lint/index';
import { internalErrorDiagnostic } from '../core/lint/internal';
import { CliError } from './common';
import type { FileResult, Options, Totals } from './lint';
import type { Candidate, PathProblem } from './walk';

/** What `workerData` carries to a pool worker. */
export interface PoolWorkerData {
  kind: 'autograd-lens-lint-pool';
  options: Options;
  cliConfig: Partial<LintConfig>;
  /** Tests only: the worker exits hard (as a crash would) when it is given a file with this base name. */
  crashOn?: string;
}

/** Main thread → worker: lint one path. */
export interface PoolRequest {
  index: number;
  file: Candidate;
}

/** What one path contributed to the run, as one thread would have added it to its totals. */
export interface FileOutcome {
  result: FileResult | null;
  problems: PathProblem[];
  notes: string[];
  fixed: number;
  /** The broken pyproject.toml files among `problems` (reported once per run by the main thread). */
  brokenConfigs: string[];
  /** Lines for stderr, written before the problems (engine failures). */
  say: string[];
}

/** Worker → main thread. */
export type PoolReply =
  | { type: 'ready' }
  | { type: 'done'; index: number; outcome: FileOutcome }
  | { type: 'failed'; index: number; error: SerializedError }
  | { type: 'init-failed'; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** A CliError (bad input, exit status 2), not a bug. */
  cli: boolean;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack, cli: err instanceof CliError };
  return { name: 'Error', message: String(err), cli: false };
}

function reviveError(e: SerializedError): Error {
  const err = e.cli ? new CliError(e.message) : new Error(e.message);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}

/** `--jobs N`: a positive whole number, or `auto` (one per available core). */
export function parseJobs(v: string): number | null {
  if (v === 'auto') return null;
  if (!/^[0-9]+$/.test(v) || Number(v) < 1 || Number(v) > 256) throw new CliError(`--jobs must be a whole number from 1 to 256, or auto (got '${v}')`);
  return Number(v);
}

/**
 * Below this much source in all, the files are linted in the main thread: each worker pays its own start,
 * engine load and JIT warm-up (about 0.25 s of CPU), which a small run does not earn back. Estimated from
 * the CPU times in docs/benchmarks.md (## Lint), with margin.
 */
export const POOL_MIN_BYTES = 256 * 1024;

/**
 * How many cores are free for this run: the available cores less the load average of the last minute
 * (rounded), at least one. On a machine whose cores are already busy, a second worker only makes the
 * threads slow each other down and costs each worker's warm-up again (docs/benchmarks.md: on a 2-core
 * machine at load 8-10, `--jobs 2` took longer and 58 % more CPU than `--jobs 1`). `loadavg()` is
 * always 0 on Windows, where every core counts as free.
 */
export function freeCores(cores = availableParallelism(), load1 = loadavg()[0]): number {
  return Math.max(1, Math.min(cores, cores - Math.round(load1)));
}

/**
 * One worker per free core (see freeCores), unless the run is small (see POOL_MIN_BYTES), has one file,
 * or the worker script is not there (the CLI run from its TypeScript sources): then the main thread
 * lints. `--jobs N` chooses exactly.
 */
export function defaultJobs(files: readonly Candidate[], cores = freeCores()): number {
  if (files.length < 2 || cores < 2 || !existsSync(join(__dirname, WORKER_SCRIPT))) return 1;
  let bytes = 0;
  for (const f of files) {
    bytes += sizeOf(f.real);
    if (bytes >= POOL_MIN_BYTES) return Math.min(cores, files.length);
  }
  return 1;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // the worker reports the path when it cannot read it
  }
}

const WORKER_SCRIPT = 'lintPoolWorker.js';

/** The worker script, dist/lintPoolWorker.js, next to the bundled CLI (scripts/build.mjs builds both). */
export function poolWorkerPath(): string {
  const p = join(__dirname, WORKER_SCRIPT);
  if (!existsSync(p)) throw new CliError(`--jobs: the lint worker script ${WORKER_SCRIPT} is missing next to ${__filename}; --jobs 1 lints without it`);
  return p;
}

function displayPath(file: string): string {
  const r = relative(process.cwd(), resolve(file));
  return (r.startsWith('..') ? resolve(file) : r).split(sep).join('/');
}

/** The outcome of a file whose worker died while it was being linted: an engine failure on that file. */
function crashOutcome(file: Candidate, why: string): FileOutcome {
  const error = `the lint worker thread stopped while linting this file (${why})`;
  const d = internalErrorDiagnostic({ code: 'parse', error }, { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } });
  const result: FileResult = {
    file: file.path,
    findings: [{ code: d.code, rule: d.rule, severity: d.severity, message: d.message, cell: null, range: d.range, related: [], fixable: false }],
    syntaxError: null,
  };
  return { result, problems: [], notes: [], fixed: 0, brokenConfigs: [], say: [`autograd-lens: internal error on ${displayPath(file.path)}: ${error}\n`] };
}

/** Test hooks; not reachable from the command line. */
export interface PoolTestOptions {
  /** The worker script (tests bundle lintPoolWorker.ts themselves). */
  script?: string;
  crashOn?: string;
  /** Called with each worker's thread id as it starts (tests count restarts). */
  onWorkerStart?: (threadId: number) => void;
}

/**
 * Lints `files` with `jobs` worker threads. Writes each file's stderr lines and problems in file order
 * and adds to `totals` as the one-thread loop does; returns the results in file order.
 */
export async function lintInPool(files: readonly Candidate[], o: Options, cliConfig: Partial<LintConfig>, totals: Totals, jobs: number, test: PoolTestOptions = {}): Promise<FileResult[]> {
  const script = test.script ?? poolWorkerPath();
  const data: PoolWorkerData = { kind: 'autograd-lens-lint-pool', options: o, cliConfig, crashOn: test.crashOn };
  // Largest first: the last file to start is a small one, so the threads finish together.
  const sizes = files.map((f) => sizeOf(f.real));
  const queue = files.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const outcomes: (FileOutcome | undefined)[] = new Array(files.length);
  const results: FileResult[] = [];
  let printed = 0;
  const flush = (): void => {
    while (printed < files.length && outcomes[printed]) {
      const out = outcomes[printed] as FileOutcome;
      outcomes[printed] = undefined; // free it: the results keep what the output needs
      printed++;
      for (const line of out.say) process.stderr.write(line);
      const broken = new Set(out.brokenConfigs);
      for (const p of out.problems) {
        if (broken.has(p.path)) {
          if (totals.brokenConfigs.has(p.path)) continue;
          totals.brokenConfigs.add(p.path);
        }
        totals.problems.push(p);
        process.stderr.write(`autograd-lens: ${p.message}\n`);
      }
      totals.notes.push(...out.notes);
      totals.fixed += out.fixed;
      if (out.result) results.push(out.result);
    }
  };

  // Two files in flight per worker, so a worker never waits for the main thread between files.
  const IN_FLIGHT = 2;
  // Workers that died may be replaced this many times in all; more means something is wrong everywhere.
  let restartsLeft = Math.max(4, 2 * jobs);
  const size = Math.min(jobs, files.length);
  return await new Promise<FileResult[]>((resolvePool, rejectPool) => {
    const live = new Set<Worker>();
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      for (const w of live) void w.terminate();
      rejectPool(err);
    };
    const finishIfDone = (): void => {
      if (settled || printed < files.length) return;
      settled = true;
      for (const w of live) void w.terminate();
      resolvePool(results);
    };
    const start = (): void => {
      const worker = new Worker(script, { workerData: data, stdout: false, stderr: false });
      const pending: number[] = []; // indices sent, in the order the worker handles them
      live.add(worker);
      test.onWorkerStart?.(worker.threadId);
      const feed = (): void => {
        while (!settled && pending.length < IN_FLIGHT && queue.length > 0) {
          const index = queue.shift() as number;
          pending.push(index);
          worker.postMessage({ index, file: files[index] } satisfies PoolRequest);
        }
        if (pending.length === 0 && queue.length === 0) {
          live.delete(worker);
          void worker.terminate();
        }
      };
      let ready = false;
      worker.on('message', (m: PoolReply) => {
        if (settled) return;
        if (m.type === 'ready') {
          ready = true;
          return;
        }
        if (m.type === 'init-failed') return fail(reviveError(m.error));
        if (m.type === 'failed') return fail(reviveError(m.error));
        pending.splice(pending.indexOf(m.index), 1);
        outcomes[m.index] = m.outcome;
        flush();
        feed();
        finishIfDone();
      });
      let why = '';
      worker.on('error', (err) => {
        why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      });
      worker.on('exit', (code) => {
        if (settled || !live.has(worker)) return;
        live.delete(worker);
        // One that could not even start (script missing or broken, engine not loading) says so and stops the run.
        if (!ready) return fail(new Error(`a lint worker thread could not start: ${why || `exit code ${code}`}`));
        // The first pending file is the one it was linting; the others go back to the queue.
        const [current, ...rest] = pending;
        queue.unshift(...rest);
        if (current !== undefined) outcomes[current] = crashOutcome(files[current], why || `exit code ${code}`);
        flush();
        if (queue.length > 0 || live.size === 0) {
          if (queue.length > 0 && restartsLeft-- <= 0) return fail(new Error(`lint worker threads keep stopping (last: ${why || `exit code ${code}`})`));
          if (queue.length > 0) start();
        }
        finishIfDone();
      });
      feed();
    };
    for (let i = 0; i < size; i++) start();
    finishIfDone(); // no files at all
  });
}
