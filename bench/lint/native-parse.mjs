// The native tree-sitter binding against the wasm runtime the engine uses: parse, and parse plus a cursor walk of
// every node, over the Python sources of a directory (PyTorch's by default), CPU time per pass, in one process.
//
//   npm install --no-save tree-sitter@0.25.1 tree-sitter-python@0.25.0   (N-API prebuilds; not a dependency)
//   node bench/lint/native-parse.mjs [SRC_DIR] [--rounds N]
//
// docs/benchmarks.md, "The native tree-sitter binding, measured", has the figures and why it was not adopted.
import { readFileSync } from 'node:fs';

import { createRequire } from 'node:module';
import { sourceFiles } from './source-files.mjs';

const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const roundsAt = argv.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(argv[roundsAt + 1]) : 2;
const src = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--rounds') ?? '/usr/lib/python3/dist-packages/torch';

let Native;
let NativePython;
try {
  Native = require('tree-sitter');
  NativePython = require('tree-sitter-python');
} catch {
  console.error('the native binding is not installed: npm install --no-save tree-sitter@0.25.1 tree-sitter-python@0.25.0');
  process.exit(2);
}

const files = sourceFiles(src);
const texts = files.map((f) => readFileSync(f, 'utf8'));
const lines = texts.reduce((a, t) => a + t.split('\n').length, 0);
console.log(`${files.length} files, ${lines} lines`);

function countNodes(cursor) {
  let n = 0;
  for (;;) {
    n++;
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return n;
  }
}

const native = new Native();
native.setLanguage(NativePython);
const W = require('web-tree-sitter');
await W.Parser.init();
const wasmPython = await W.Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
const wasm = new W.Parser();
wasm.setLanguage(wasmPython);

const cpu = (f) => {
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return [(c.user + c.system) / 1e6, r];
};
const bufferSize = 1 << 22;
for (let r = 0; r < rounds; r++) {
  const [nw, nodesN] = cpu(() => texts.reduce((a, t) => a + countNodes(native.parse(t, undefined, { bufferSize }).walk()), 0));
  const [np] = cpu(() => { for (const t of texts) native.parse(t, undefined, { bufferSize }); });
  const [ww, nodesW] = cpu(() => texts.reduce((a, t) => { const tree = wasm.parse(t); const n = countNodes(tree.walk()); tree.delete(); return a + n; }, 0));
  const [wp] = cpu(() => { for (const t of texts) wasm.parse(t).delete(); });
  if (nodesN !== nodesW) throw new Error(`the trees differ: ${nodesN} nodes native, ${nodesW} wasm`);
  console.log(`round ${r + 1}: parse native ${np.toFixed(2)} s, wasm ${wp.toFixed(2)} s; parse+walk (${nodesN} nodes) native ${nw.toFixed(2)} s, wasm ${ww.toFixed(2)} s`);
}
