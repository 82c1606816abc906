// Time to first draw of the analysis panel in headless Chromium (a benchmark, not a test).
/* global performance, window, atob, requestAnimationFrame */
//   node --import tsx bench/webview/first-draw.mjs [repeats]
// Builds the webview bundle, serves it with the extension's page and CSP, posts fixture runs and
// reads the `agl:chart:*` / `agl:heatmap:*` performance measures the app records (creation of a chart
// to the end of its first draw). "All charts drawn" spans the first chart's creation to the last
// chart's first draw (data preparation and layout included).
import { buildWebview, servePanel, launchChromium, openPanel, post } from '../../test/webview/harness.ts';
import { encodeJson } from '../../src/vscode/panel/runStore.ts';
import * as fixtures from '../../test/webview/fixtures.ts';

const { oneInputRun, twoInputRun, initMessage } = fixtures;
// As the pipeline delivers a one-input run: with the model evaluated densely (slices), when the
// fixtures of this checkout can add it.
const dense = (run) => (fixtures.withSlice ? fixtures.withSlice(run) : run);
const repeats = Number(process.argv[2] ?? 3);
const cases = [
  { name: '1 input, 100,000 points (5 charts)', run: () => dense(oneInputRun('big-1d', '100k points', 100_000)), pick: 'agl:chart:y-value', charts: 5 },
  { name: '2 inputs, 200×200 grid (2 heat maps, 12 charts)', run: () => twoInputRun('big-2d', '200x200', 200), pick: 'agl:heatmap:z_x-heatmap', charts: 13 },
];

const dir = await buildWebview();
const server = await servePanel(dir);
const browser = await launchChromium();
const rows = [];
try {
  for (const c of cases) {
    const totals = [];
    const parts = [];
    const runs = [];
    for (let k = 0; k < repeats; k++) {
      const { page } = await openPanel(browser, server.url);
      const run = c.run();
      await page.evaluate(() => performance.clearMeasures());
      // The message is decoded in the page first (the test harness's work, not the panel's), then posted.
      await page.evaluate((text) => {
        window.__pending = JSON.parse(text, (_k, v) => {
          if (v && typeof v === 'object' && typeof v.$f64 === 'string') {
            const bin = atob(v.$f64);
            const bytes = new Uint8Array(bin.length);
            for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
            return new Float64Array(bytes.buffer);
          }
          if (v && typeof v === 'object' && typeof v.$num === 'string') return Number(v.$num);
          return v;
        });
      }, encodeJson(initMessage([run], [run.id])));
      await page.evaluate(() => window.postMessage(window.__pending, '*'));
      // Done when every chart has drawn once (checkouts without agl:run measures end there too).
      await page.waitForFunction((n) => performance.getEntriesByType('measure').filter((e) => /^agl:(chart|heatmap):/.test(e.name)).length >= n, c.charts, { timeout: 60_000, polling: 20 }).catch(() => {});
      await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
      void post;
      const m = await page.evaluate(() => performance.getEntriesByType('measure').map((e) => [e.name, e.duration]));
      const inPage = await page.evaluate(() => {
        const es = performance.getEntriesByType('measure').filter((e) => e.name.startsWith('agl:chart:') || e.name.startsWith('agl:heatmap:'));
        return Math.max(...es.map((e) => e.startTime + e.duration)) - Math.min(...es.map((e) => e.startTime));
      });
      // The whole run card, from the start of its rendering (data preparation included) to the frame
      // that paints it (agl:run:*, recorded by checkouts that have it).
      await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 50))));
      runs.push(await page.evaluate(() => performance.getEntriesByType('measure').find((e) => e.name.startsWith('agl:run:'))?.duration ?? NaN));
      totals.push(inPage);
      parts.push(Object.fromEntries(m));
      await page.close();
    }
    const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    const pickVals = parts.map((p) => p[c.pick] ?? NaN);
    rows.push({ case: c.name, 'all charts drawn (ms, median)': med(totals).toFixed(0), 'run card painted (ms, median)': med(runs).toFixed(0),  [`${c.pick} (ms, median)`]: med(pickVals).toFixed(1) });
  }
} finally {
  await browser.close();
  await server.close();
}
const { loadavg } = await import('node:os');
console.log(`Chromium headless, ${repeats} runs each, ${new Date().toISOString()}, load average ${loadavg().map((v) => v.toFixed(1)).join(' ')}`);
console.table(rows);
