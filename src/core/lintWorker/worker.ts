/**
 * The editor's lint worker thread (bundled to dist/lintWorker.js, started by client.ts): the lint engine
 * off the extension host's thread. One engine, one request at a time, in the order they come; the client
 * sends one at a time and drops requests for document versions that a newer one replaced, so nothing
 * here is ever stale by more than the request in hand. Per document the engine keeps its incremental
 * parse state (`lintDocument`), as it did on the host.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLinter, type Linter } from '../lint/index';
import { lintCells } from '../notebook/index';
import type { LintRequestOptions, LintWorkerData, LintWorkerReply, LintWorkerRequest } from './protocol';
import { diskWorkspace } from '../../shared/diskWorkspace';
import type { LintOptions, WorkspaceFiles } from '../lint/index';

const data = workerData as LintWorkerData;
const port = parentPort;
if (!port || data?.kind !== 'autograd-lens-lint-worker') throw new Error('lintWorker: not started by the lint client');
const post = (m: LintWorkerReply): void => port.postMessage(m);

const started = performance.now();
const linterReady: Promise<Linter> = createLinter({ wasmDir: data.wasmDir });
linterReady.then(
  () => post({ type: 'ready', ms: performance.now() - started }),
  (err: unknown) => post({ type: 'init-failed', message: err instanceof Error ? err.message : String(err) }),
);

/** One disk reader per set of workspace folders (it keeps the texts it read while the files do not change). */
let workspace: { key: string; files: WorkspaceFiles } | null = null;
function engineOptions(o: LintRequestOptions): LintOptions {
  const { workspaceRoots, ...rest } = o;
  if (!workspaceRoots || workspaceRoots.length === 0) return rest;
  const key = workspaceRoots.join('\n');
  if (workspace?.key !== key) workspace = { key, files: diskWorkspace(workspaceRoots) };
  return { ...rest, workspace: workspace.files };
}

function handle(linter: Linter, req: LintWorkerRequest): void {
  if (req.op === 'forget') {
    linter.forget(req.key);
    return;
  }
  const text = req.op === 'lintCells' ? req.cells.map((c) => c.source).join('\n') : req.text;
  if (data.crashMarker && text.includes(data.crashMarker)) process.exit(70);
  const t0 = performance.now();
  try {
    if (req.op === 'lintCells') {
      const diagnostics = lintCells(linter, req.cells, { ...engineOptions(req.opts), documentKey: req.opts.documentKey });
      post({ type: 'cells', id: req.id, diagnostics, ms: performance.now() - t0 });
      return;
    }
    const opts = engineOptions(req.opts);
    const diagnostics = req.op === 'lintDocument' ? linter.lintDocument(req.key, req.text, opts) : linter.lint(req.text, opts);
    post({ type: 'lint', id: req.id, diagnostics, internalErrors: linter.lastRun.internalErrors, revealed: linter.lastRun.revealed ?? [], ms: performance.now() - t0 });
  } catch (err) {
    // The engine itself never throws (failures are AGL000 diagnostics); this is a bug around it.
    post({ type: 'failed', id: req.id, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

port.on('message', (req: LintWorkerRequest) => {
  linterReady.then(
    (linter) => handle(linter, req),
    () => undefined, // init-failed was said; the client fails its requests
  );
});
