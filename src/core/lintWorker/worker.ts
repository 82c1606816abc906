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
import type { LintWorkerData, LintWorkerReply, LintWorkerRequest } from './protocol';

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
      const diagnostics = lintCells(linter, req.cells, req.opts);
      post({ type: 'cells', id: req.id, diagnostics, ms: performance.now() - t0 });
      return;
    }
    const diagnostics = req.op === 'lintDocument' ? linter.lintDocument(req.key, req.text, req.opts) : linter.lint(req.text, req.opts);
    post({ type: 'lint', id: req.id, diagnostics, internalErrors: linter.lastRun.internalErrors, ms: performance.now() - t0 });
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
