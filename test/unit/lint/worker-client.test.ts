/**
 * The editor's lint worker (src/core/lintWorker): the engine in a worker thread answers exactly what it
 * answers in process (files, successive versions of a document, notebooks); a request for a document
 * still waiting is replaced by a newer one and never linted; open documents go before workspace files; a
 * worker that dies gives its file an AGL000 finding, is said once, and is replaced; one that cannot start
 * says why. Runs the bundled worker (built like dist/lintWorker.js).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LintWorkerClient, type LintReply } from '../../../src/core/lintWorker/client';
import { lintCells, parseNotebook } from '../../../src/core/notebook/index';
import { bundleForNode } from '../pipeline/bundle';
import { allFixtures, getLinter, ROOT } from './helpers';

const WORKER = join(ROOT, 'out', 'test-lint-worker', 'lintWorker.js');
const SEED003 = readFileSync(join(ROOT, 'test/fixtures/lint-engine/AGL001/seed003_jacobian_requires_grad.py'), 'utf8');
const clients: LintWorkerClient[] = [];

function client(opts: ConstructorParameters<typeof LintWorkerClient>[1] = {}): LintWorkerClient {
  const c = new LintWorkerClient(WORKER, opts);
  clients.push(c);
  return c;
}

/** A few thousand lines of fixtures: long enough that requests queue behind it. */
function bigText(): string {
  let s = '';
  for (const f of allFixtures()) {
    if (f.includes('/syntax/')) continue;
    s += `${readFileSync(f, 'utf8')}\n`;
    if (s.split('\n').length > 4000) break;
  }
  return s;
}

before(async () => {
  await bundleForNode('src/core/lintWorker/worker.ts', WORKER);
});

after(() => {
  for (const c of clients) c.dispose();
});

test('in the worker, lint, lintDocument over edits and lintCells answer what the engine answers in process', async () => {
  const local = await getLinter();
  const c = client();
  await c.ready();
  for (const f of allFixtures()) {
    const text = readFileSync(f, 'utf8');
    const r = await c.lint(text, { path: f });
    assert.deepEqual(r.diagnostics, local.lint(text, { path: f }), f);
  }
  // Successive versions of one document (the worker parses them incrementally).
  let text = SEED003;
  for (let i = 0; i < 6; i++) {
    text = i % 2 ? text.replace('create_graph=True', 'create_graph=False') : `${text}\nextra_${i} = torch.ones(3)\n`;
    const r = (await c.lintDocument('doc-1', text, { path: 'doc.py' })) as LintReply;
    assert.deepEqual(r.diagnostics, local.lint(text, { path: 'doc.py' }), `version ${i}`);
    assert.ok(r.ms >= 0);
  }
  const nb = parseNotebook(readFileSync(join(ROOT, 'test/fixtures/notebooks/pinn-uxx-whole-gradient.ipynb'), 'utf8'), 'nb.ipynb');
  const cells = nb.cells.map((x) => ({ index: x.index, kind: x.kind, source: x.source }));
  const r = await c.lintCells(cells, { path: 'nb.ipynb', documentKey: 'nb:1' });
  assert.ok(r && r.diagnostics.length > 0);
  assert.deepEqual(r.diagnostics, lintCells(local, cells, { path: 'nb.ipynb' }));
});

test('a document request still waiting is replaced by the newer version (never linted); documents go first', async () => {
  const c = client();
  await c.ready();
  const big = bigText();
  const busy = c.lint(big, { path: 'big.py' }); // occupies the worker
  const workspace = c.lint(SEED003, { path: 'other.py' }); // a workspace file, queued first
  const versions = [1, 2, 3, 4].map((i) => c.lintDocument('doc-2', `${SEED003}\nv = ${i}\n`, { path: 'doc.py' }));
  const order: string[] = [];
  void workspace.then(() => order.push('workspace'));
  void versions[3].then(() => order.push('document'));
  const replies = await Promise.all(versions);
  assert.deepEqual(replies.slice(0, 3), [undefined, undefined, undefined], 'the three older versions were dropped');
  const local = await getLinter();
  assert.deepEqual(replies[3]?.diagnostics, local.lint(`${SEED003}\nv = 4\n`, { path: 'doc.py' }));
  await workspace;
  assert.deepEqual(order, ['document', 'workspace'], 'the open document went before the queued workspace file');
  assert.ok((await busy).diagnostics.length > 0);
});

test('a worker that dies: AGL000 on its file, said once, the waiting requests and later ones go to a new worker', async () => {
  const crashes: string[] = [];
  const c = client({ crashMarker: 'KILL_THE_LINT_WORKER', onCrash: (why) => crashes.push(why) });
  await c.ready();
  const victim = c.lintDocument('doc-3', `${SEED003}\n# KILL_THE_LINT_WORKER\n`, { path: 'victim.py' });
  const waiting = c.lint(SEED003, { path: 'next.py' });
  const r = (await victim) as LintReply;
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['AGL000']);
  assert.match(r.diagnostics[0].message, /lint worker thread stopped while linting this file \(exit code 70\)/);
  const local = await getLinter();
  assert.deepEqual((await waiting).diagnostics, local.lint(SEED003, { path: 'next.py' }));
  assert.deepEqual((await c.lintDocument('doc-3', SEED003, { path: 'victim.py' }))?.diagnostics, local.lint(SEED003, { path: 'victim.py' }));
  assert.deepEqual(crashes, ['exit code 70']);
  assert.equal(c.crashes, 1);
  // A notebook the worker dies on: the finding is on its first code cell.
  const cells = [
    { index: 0, kind: 'markdown' as const, source: '# notes' },
    { index: 1, kind: 'code' as const, source: 'import torch\n# KILL_THE_LINT_WORKER' },
  ];
  const nr = await c.lintCells(cells, { documentKey: 'nb:3' });
  assert.deepEqual(nr?.diagnostics.map((d) => [d.code, d.cell]), [['AGL000', 1]]);
  assert.equal(c.crashes, 2);
});

test('a request that takes too long stops the worker, like a crash', async () => {
  const crashes: string[] = [];
  const c = client({ timeoutMs: 5, onCrash: (why) => crashes.push(why) });
  await c.ready();
  const r = await c.lint(bigText(), { path: 'big.py' });
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['AGL000']);
  assert.match(crashes[0] ?? '', /took longer than/);
});

test('a worker that cannot start says why, and every request fails with that', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'agl-no-wasm-'));
  try {
    const c = client({ wasmDir: empty });
    await assert.rejects(c.ready(), /tree-sitter wasm files not found/);
    await assert.rejects(c.lint(SEED003), /tree-sitter wasm files not found/);
    assert.equal(c.crashes, 0);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test("in the worker, a file's imports of the workspace folders' files are followed, and an edit of the imported file on disk is seen", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agl-worker-ws-'));
  try {
    const models = readFileSync(join(ROOT, 'test/fixtures/workspace/pinn/models.py'), 'utf8');
    const train = readFileSync(join(ROOT, 'test/fixtures/workspace/pinn/train.py'), 'utf8');
    writeFileSync(join(dir, 'models.py'), models);
    const c = client();
    await c.ready();
    const codes = async (roots: string[]): Promise<string[]> => ((await c.lintDocument('train', train, { path: join(dir, 'train.py'), workspaceRoots: roots })) as LintReply).diagnostics.map((d) => `${d.range.start.line + 1}:${d.code}`);
    assert.deepEqual(await codes([dir]), ['10:AGL010', '11:AGL001']);
    // What train.py's use reveals in models.py comes back too, for the editor to show there (the graphless helper).
    const reply = (await c.lintDocument('train', train, { path: join(dir, 'train.py'), workspaceRoots: [dir] })) as LintReply;
    assert.deepEqual((reply.revealed ?? []).map((r) => `${r.path === join(dir, 'models.py')}:${r.diagnostic.range.start.line + 1}:${r.diagnostic.code}`), ['true:17:AGL001']);
    assert.deepEqual(await codes([]), [], 'without workspace folders the file is linted by itself');
    // The model made smooth and the helper given a graph, on disk (another size, so the reader reads it again).
    writeFileSync(join(dir, 'models.py'), models.replace('nn.ReLU()', 'nn.Tanh()').replace('torch.ones_like(y))[0]', 'torch.ones_like(y), create_graph=True)[0]'));
    assert.deepEqual(await codes([dir]), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
