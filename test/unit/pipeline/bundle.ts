/** Test helper: bundle a Node entry point the way scripts/build.mjs does, so tests run today's source. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

export const root = resolve(__dirname, '../../..');

/** Bundles `entry` (relative to the repository) to `outfile` as CommonJS for Node 20. */
export async function bundleForNode(entry: string, outfile: string): Promise<void> {
  await esbuild.build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', '@tensorflow/tfjs-node'],
    // As scripts/build.mjs: jsonc-parser's UMD `main` cannot be bundled, its ES module build can.
    alias: { 'jsonc-parser': join(root, 'node_modules/jsonc-parser/lib/esm/main.js') },
    logLevel: 'error',
    define: { __VERSION__: JSON.stringify((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version) },
  });
}
