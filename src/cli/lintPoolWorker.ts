/**
 * A worker thread of `autograd-lens lint --jobs N` (lintPool.ts; bundled to dist/lintPoolWorker.js): its own
 * engine, and for each path the main thread sends, `lintPath` as one thread runs it, with the path's totals
 * and stderr lines sent back instead of printed.
 */
import { basename } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createLinter } from '../core/lint/index';
import { lintPath, type Totals } from './lint';
import { serializeError, type PoolReply, type PoolRequest, type PoolWorkerData } from './lintPool';

const data = workerData as PoolWorkerData;
const port = parentPort;
if (!port || data?.kind !== 'autograd-lens-lint-pool') throw new Error('lintPoolWorker: not started by the lint pool');
const post = (m: PoolReply): void => port.postMessage(m);
const linterReady = createLinter({ cacheModels: false }); // each file once, as one thread does
linterReady.then(
  () => post({ type: 'ready' }),
  (err: unknown) => post({ type: 'init-failed', error: serializeError(err) }),
);

port.on('message', async (req: PoolRequest) => {
  let linter;
  try {
    linter = await linterReady;
  } catch {
    return; // said once, as init-failed
  }
  if (data.crashOn && basename(req.file.path) === data.crashOn) process.exit(70);
  // A fresh total per path: the main thread adds them up in file order.
  const totals: Totals = { brokenConfigs: new Set(), fixed: 0, problems: [], internal: 0, notes: [] };
  const say: string[] = [];
  try {
    const result = lintPath(linter, req.file, data.options, data.cliConfig, totals, (line) => say.push(line));
    post({ type: 'done', index: req.index, outcome: { result, problems: totals.problems, notes: totals.notes, fixed: totals.fixed, brokenConfigs: [...totals.brokenConfigs], say } });
  } catch (err) {
    post({ type: 'failed', index: req.index, error: serializeError(err) });
  }
});
