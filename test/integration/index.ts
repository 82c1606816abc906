/**
 * The integration suite, run inside a real VS Code extension host. One bundle
 * (`out/integration/index.js`, built by scripts/build.mjs) serves two runners:
 *
 *  - VS Code's `extensionTestsPath` protocol (the offline harness `scripts/run-integration.mjs`, and
 *    `@vscode/test-electron`): VS Code loads this module and awaits `run()`.
 *  - `@vscode/test-cli` (`.vscode-test.mjs`): its mocha loads this file as a test file, with mocha's
 *    globals (`suite`, `test`) already defined; the suites then register at load time.
 *
 * The test files are `require`d (not imported) so that they evaluate after mocha's globals exist; esbuild
 * still bundles them. Add a new `*.test.ts` file to `loadSuites()`.
 *
 * `run()` prints a closing line `N passed, N failed` (the harness parses it) and rejects when a test failed.
 */
import { format } from 'node:util';
import Mocha from 'mocha';

/** Prefix of the suite's own output lines; the offline harness prints those and logs the workbench's noise. */
export const LINE_PREFIX = '[it] ';

function loadSuites(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- evaluated after mocha's globals exist (see above) */
  if (process.env.AUTOGRAD_LENS_SUITE === 'restore') {
    // The harness's second phase: VS Code reopened on the first phase's state (scripts/run-integration.mjs).
    require('./restore.test');
    return;
  }
  require('./activation.test');
  require('./lint.test');
  require('./lint-offthread.test');
  require('./notebook.test');
  require('./training.test');
  require('./commands.test');
  require('./panel.test'); // last: it leaves the panel open for the restore phase
  /* eslint-enable @typescript-eslint/no-require-imports */
}

const g = globalThis as Record<string, unknown>;
if (typeof g.suite === 'function' && typeof g.test === 'function' && !g.__autogradLensRun) {
  loadSuites(); // loaded as a test file by @vscode/test-cli's mocha
}

export function run(): Promise<void> {
  g.__autogradLensRun = true;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  // `node scripts/run-integration.mjs --grep PATTERN` runs only the matching tests (while working on them).
  if (process.env.AUTOGRAD_LENS_GREP) mocha.grep(process.env.AUTOGRAD_LENS_GREP);
  // The reporter's lines go through one formatted console.log each, prefixed for the harness.
  (Mocha.reporters.Base as unknown as { consoleLog: (...a: unknown[]) => void }).consoleLog = (...a: unknown[]) => {
    for (const line of format(...a).split('\n')) console.log(LINE_PREFIX + line);
  };
  mocha.suite.emit('pre-require', globalThis, 'integration', mocha);
  loadSuites();
  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passed = runner.stats?.passes ?? 0;
        const failed = runner.stats?.failures ?? failures;
        console.log(`AUTOGRAD_LENS_RESULT ${JSON.stringify({ passed, failed, pending: runner.stats?.pending ?? 0 })}`);
        console.log(`${LINE_PREFIX}${passed} passed, ${failed} failed`);
        const settle = () => {
          if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
          else resolve();
        };
        if (process.env.AUTOGRAD_LENS_HOLD_FOR_CLOSE === '1') {
          // The harness closes the window now, as a user would, while the extension still runs: once
          // run() settles VS Code stops the extension host, which unregisters the panel's serializer,
          // and the workbench would then save its state without the panel (see docs/testing.md).
          console.log('[close-window]');
          setTimeout(settle, 120_000); // only reached if nobody closes the window
        } else {
          settle();
        }
      });
    } catch (err) {
      console.error(err);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
