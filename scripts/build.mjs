// One build script, one esbuild context per bundle:
//   dist/extension.js     VS Code extension host (Node, CommonJS, `vscode` external)
//   dist/cli.js           the `autograd-lens` command line (`lint`; `train`/`analyze` in dist/cliTrain.js and
//                         `export` in dist/cliExport.js, loaded when they run: scripts/cli-bundles.mjs)
//   dist/lintPoolWorker.js  a worker thread of `autograd-lens lint --jobs N`
//   dist/trainWorker.js   the training worker thread (TensorFlow.js)
//   dist/lintWorker.js    the editor's lint worker thread (the lint engine off the extension host's thread)
//   dist/reference.js     the reference-formula parser (mathjs), loaded on demand by the extension
//   dist/webview/main.js  the analysis panel app (browser, IIFE) + main.css
//   out/integration/*.js  the mocha suite run inside the real VS Code extension host
// and the WebAssembly files the bundles load at run time (tree-sitter, tfjs wasm backend) into dist/wasm,
// and the PyTorch engine's Python files (python/*.py) into dist/python.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync, chmodSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_LAZY_BUNDLES, cliSplitPlugin } from './cli-bundles.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Problem matcher output for VS Code's `$esbuild-watch` tasks. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const common = {
  // `autograd-lens --version` (src/cli/common.ts).
  define: { __VERSION__: JSON.stringify(pkg.version) },
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher] : [],
  absWorkingDir: root,
  // jsonc-parser's `main` is a UMD build whose factory requires './impl/*' at run time, which a bundle
  // cannot resolve; its ES module build bundles.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};
// Optional native backend: used when the user has installed it, never bundled.
const nodeExternals = ['vscode', '@tensorflow/tfjs-node'];

const targets = [
  { entry: 'src/vscode/extension.ts', outfile: 'dist/extension.js', platform: 'node', format: 'cjs' },
  { entry: 'src/cli/main.ts', outfile: 'dist/cli.js', platform: 'node', format: 'cjs', banner: { js: '#!/usr/bin/env node' }, plugins: [cliSplitPlugin()] },
  // `train`/`analyze` and `export`, loaded by dist/cli.js only when their command runs (scripts/cli-bundles.mjs).
  ...CLI_LAZY_BUNDLES.map((b) => ({ entry: b.entry, outfile: `dist/${b.bundle}`, platform: 'node', format: 'cjs' })),
  // The CLI's lint worker threads (`lint --jobs N`) load this small bundle, not the whole CLI.
  { entry: 'src/cli/lintPoolWorker.ts', outfile: 'dist/lintPoolWorker.js', platform: 'node', format: 'cjs' },
  { entry: 'src/core/pipeline/worker.ts', outfile: 'dist/trainWorker.js', platform: 'node', format: 'cjs' },
  // The editor's lint engine runs in this worker thread, off the extension host's thread.
  { entry: 'src/core/lintWorker/worker.ts', outfile: 'dist/lintWorker.js', platform: 'node', format: 'cjs' },
  // The reference-formula checker (mathjs), loaded by the extension only when the training command
  // asks for a formula, so activation does not parse mathjs (it would triple extension.js).
  { entry: 'src/core/reference/expression.ts', outfile: 'dist/reference.js', platform: 'node', format: 'cjs' },
  { entry: 'webview-ui/src/main.ts', outfile: 'dist/webview/main.js', platform: 'browser', format: 'iife', target: 'es2022' },
  // mocha is bundled; its parallel-mode files (require.resolve) are never used by the suite.
  { entry: 'test/integration/index.ts', outfile: 'out/integration/index.js', platform: 'node', format: 'cjs', logOverride: { 'require-resolve-not-external': 'silent' } },
];

function copyWasm() {
  const out = join(root, 'dist', 'wasm');
  mkdirSync(out, { recursive: true });
  const files = [
    'node_modules/web-tree-sitter/tree-sitter.wasm',
    'node_modules/tree-sitter-python/tree-sitter-python.wasm',
  ];
  const tfWasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
  for (const f of readdirSync(join(root, tfWasmDir))) if (f.endsWith('.wasm')) files.push(`${tfWasmDir}/${f}`);
  for (const f of files) copyFileSync(join(root, f), join(out, f.split('/').pop()));
}

function copyPython() {
  const out = join(root, 'dist', 'python');
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(join(root, 'python'))) if (f.endsWith('.py')) copyFileSync(join(root, 'python', f), join(out, f));
}

const contexts = [];
for (const t of targets) {
  if (!existsSync(join(root, t.entry))) continue; // bundles appear as their sources do
  const options = {
    ...common,
    entryPoints: [t.entry],
    outfile: t.outfile,
    platform: t.platform,
    format: t.format,
    target: t.target ?? 'node20',
    banner: t.banner,
    external: t.platform === 'node' ? nodeExternals : [],
    loader: { '.css': 'css', '.ttf': 'file' },
    logOverride: t.logOverride,
    plugins: [...common.plugins, ...(t.plugins ?? [])],
  };
  contexts.push(await esbuild.context(options));
}

copyWasm();
copyPython();
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (existsSync(join(root, 'dist/cli.js'))) chmodSync(join(root, 'dist/cli.js'), 0o755);
}
