// The command line's bundles: dist/cli.js holds `lint` (and the usage texts); `train`/`analyze` and `export`,
// which bring TensorFlow.js, mathjs and the ONNX writer, are bundled apart and loaded by src/cli/main.ts's
// dynamic imports only when their command runs. Shared by scripts/build.mjs and bench/lint/lint-bench.mjs, so
// that the benchmark starts the same files users run.
import { sep } from 'node:path';

/** The lazily loaded commands: the specifier main.ts imports → its entry and its bundle next to cli.js. */
export const CLI_LAZY_BUNDLES = [
  { specifier: './train', entry: 'src/cli/train.ts', bundle: 'cliTrain.js' },
  { specifier: './export', entry: 'src/cli/export.ts', bundle: 'cliExport.js' },
];

/** esbuild plugin for the bundle of src/cli/main.ts: its dynamic imports of those commands stay imports of their bundles. */
export function cliSplitPlugin() {
  return {
    name: 'cli-split',
    setup(build) {
      build.onResolve({ filter: /^\.\/(train|export)$/ }, (args) => {
        if (args.kind !== 'dynamic-import' || !args.importer.endsWith(`${sep}src${sep}cli${sep}main.ts`)) return undefined;
        const lazy = CLI_LAZY_BUNDLES.find((b) => b.specifier === args.path);
        return lazy ? { path: `./${lazy.bundle}`, external: true } : undefined;
      });
    },
  };
}
