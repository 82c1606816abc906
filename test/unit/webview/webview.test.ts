/**
 * The analysis panel in headless Chromium: the real bundle, the real page and CSP, fixture runs.
 * Screenshots go to test-results/panel-*.png.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  type PanelServer, CHROMIUM, buildWebview, canvasInk, launchChromium, openPanel, post, postRaw, posted, repoRoot, servePanel, setTheme,
} from '../../webview/harness';
import { cubic, emptyRun, failedRun, history, initMessage, oneInputRun, runningRun, twoInputRun, withSlice } from '../../webview/fixtures';
import { fmt, pct } from '../../../webview-ui/src/analysis';

const shots = join(repoRoot, 'test-results');
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`;

describe('analysis panel in Chromium', { skip, timeout: 180_000 }, () => {
  let server: PanelServer;
  let browser: Browser;

  before(async () => {
    mkdirSync(shots, { recursive: true });
    const dir = await buildWebview();
    server = await servePanel(dir);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function cspViolations(page: Page): Promise<string[]> {
    return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  }

  test('before any message: ready is posted and the empty state is shown', async () => {
    const { page, consoleErrors } = await openPanel(browser, server.url);
    const msgs = await posted(page);
    assert.deepEqual(msgs[0], { type: 'ready', version: 1 });
    assert.match(await page.locator('.empty-state').innerText(), /No runs yet/);
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('one-input run: curves, derivative, error, histogram, metrics and diagnostics', async () => {
    const { page, consoleErrors } = await openPanel(browser, server.url);
    const run = oneInputRun();
    await post(page, initMessage([run, emptyRun()], [run.id]));
    const col = `article[data-run-id="${run.id}"]`;
    await page.waitForSelector(`${col} .uplot`);
    const titles = await page.locator(`${col} .chart-title`).allInnerTexts();
    assert.deepEqual(titles, ['Training loss (log scale)', 'y against x', '∂y/∂x', 'Derivative error along x', 'Error histogram of ∂y/∂x']);
    const ink = await canvasInk(page, col);
    assert.equal(ink.length, 5);
    for (const [i, n] of ink.entries()) assert.ok(n > 500, `canvas ${i} (${titles[i]}) has only ${n} painted pixels`);

    const m = run.report!.derivatives['y/x']!;
    const row = page.locator(`${col} table.metrics tr[data-key="y/x"]`);
    assert.equal(await row.locator('[data-metric="relL2"]').innerText(), pct(m.relL2));
    assert.equal(await row.locator('[data-metric="rmse"]').innerText(), fmt(m.rmse));
    assert.equal(await row.locator('[data-metric="maxAbs"]').innerText(), fmt(m.maxAbs));
    assert.equal(await row.locator('[data-metric="maxAbsAt"]').innerText(), `x = ${fmt(m.maxAbsAt.x!)}`);
    assert.equal(await row.locator('[data-metric="medianRatio"]').innerText(), fmt(m.medianRatio));
    // The fixture's numbers are what the formulas give: a relative L2 of about 1 %, max error near x = 6.3.
    assert.ok(m.relL2 > 0.005 && m.relL2 < 0.02, `relL2 ${m.relL2}`);

    assert.match(await page.locator(`${col} .diagnostics li[data-code="extrapolation"]`).innerText(), /outside the training range/);
    assert.match(await page.locator(`${col} [data-role="status"]`).innerText(), /^Completed · epoch 300\/300/);

    // Table alternative and CSV export carry the plotted numbers.
    await page.locator(`${col} figure:nth-of-type(1) summary`).first().click();
    await page.getByRole('button', { name: 'Export the data of ∂y/∂x as CSV' }).click();
    const csvMsg = (await posted(page)).find((x) => x.type === 'exportCsv');
    assert.ok(csvMsg, 'CSV export posted');
    const lines = String(csvMsg.csv).trim().split('\n');
    assert.equal(lines[0], 'x,finite diff. of network,network (autograd),reference');
    assert.equal(lines.length, 1 + run.series!.inputs.x!.length);
    const [x0, , , ref0] = lines[1]!.split(',').map(Number);
    assert.equal(x0, 0.5);
    assert.ok(Math.abs(ref0! - (3 * 0.25 - 3)) < 1e-12);

    await page.getByRole('button', { name: 'Export y against x as PNG' }).click();
    const png = (await posted(page)).find((x) => x.type === 'exportPng');
    assert.ok(png && String(png.dataUrl).startsWith('data:image/png;base64,') && String(png.fileName).endsWith('.png'));

    await page.screenshot({ path: join(shots, 'panel-1input.png'), fullPage: true });
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('two-input run: parity, error against each input, heat map, slices; light theme redraw', async () => {
    const { page, consoleErrors } = await openPanel(browser, server.url);
    const run = twoInputRun();
    await post(page, initMessage([run], [run.id]));
    const col = `article[data-run-id="${run.id}"]`;
    await page.waitForSelector(`${col} .heat-canvas`);
    const titles = await page.locator(`${col} .chart-title`).allInnerTexts();
    for (const want of ['Parity of ∂z/∂x', 'Error of ∂z/∂x against x', 'Error of ∂z/∂x against y', '|Error| of ∂z/∂x over the input plane', 'Parity of ∂z/∂y', '|Error| of ∂z/∂y over the input plane']) {
      assert.ok(titles.includes(want), `missing ${want} in ${titles.join(' | ')}`);
    }
    assert.ok(titles.some((t) => t.startsWith('∂z/∂x along x, slice at y ≈ 0 ±')), titles.join(' | '));
    assert.equal(await page.locator(`${col} .heat-canvas`).count(), 2);
    // Diagnostics in plain words, and the stopped-early reason.
    assert.match(await page.locator(`${col} .diagnostics li[data-code="inputs-collinear"]`).innerText(), /r = 0\.97\)\. Two or more inputs move together/);
    assert.match(await page.locator(`${col} [data-role="status"]`).innerText(), /^Stopped early · epoch 180\/500/);
    const ink = await canvasInk(page, col);
    for (const [i, n] of ink.entries()) assert.ok(n > 500, `canvas ${i} has only ${n} painted pixels`);

    // The heat map's colour: the cell at the origin (smallest error) is dark, a corner (largest) is bright.
    const lum = await page.evaluate((sel) => {
      const c = document.querySelector<HTMLCanvasElement>(`${sel} .heat-canvas`)!;
      const ctx = c.getContext('2d')!;
      const pw = c.width - 64 - 86;
      const ph = c.height - 10 - 44;
      const out: number[] = [];
      for (const [fx, fy] of [[0.5, 0.5], [0.985, 0.015]] as const) {
        const d = ctx.getImageData(Math.round(64 + fx * pw), Math.round(10 + fy * ph), 1, 1).data;
        out.push(0.299 * d[0]! + 0.587 * d[1]! + 0.114 * d[2]!);
      }
      return { centre: out[0]!, corner: out[1]! };
    }, col);
    assert.ok(lum.corner > lum.centre + 60, `heat map contrast ${JSON.stringify(lum)}`);
    // Hovering reads a cell out in words.
    await page.locator(`${col} .heat-canvas`).first().scrollIntoViewIfNeeded();
    const box = (await page.locator(`${col} .heat-canvas`).first().boundingBox())!;
    await page.mouse.move(box.x + 64 + (box.width - 150) * 0.5, box.y + 10 + (box.height - 54) * 0.5);
    assert.match(await page.locator(`${col} .readout`).first().innerText(), /\|error\| /);
    // Zoom with the keyboard, then reset: the same screen point reads a different, then the same, place.
    const readAt = async (fx: number, fy: number) => {
      await page.mouse.move(box.x + 64 + (box.width - 150) * fx, box.y + 10 + (box.height - 54) * fy);
      return page.locator(`${col} .readout`).first().innerText();
    };
    const before = await readAt(0.2, 0.3);
    await page.locator(`${col} .heat-canvas`).first().focus();
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    const zoomed = await readAt(0.2, 0.3);
    assert.notEqual(zoomed, before);
    await page.locator(`${col} .heat-canvas`).first().focus();
    await page.keyboard.press('0');
    assert.equal(await readAt(0.2, 0.3), before);

    await page.screenshot({ path: join(shots, 'panel-2input.png'), fullPage: true });
    await page.locator(`${col} .uplot`).first().evaluate((el) => ((el as HTMLElement).dataset.probe = 'old'));
    await setTheme(page, 'light');
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    const probe = await page.locator(`${col} .uplot`).first().evaluate((el) => (el as HTMLElement).dataset.probe ?? null);
    assert.equal(probe, null, 'charts were rebuilt after the theme class changed');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(255, 255, 255)');
    await page.screenshot({ path: join(shots, 'panel-2input-light.png'), fullPage: false });
    await setTheme(page, 'high-contrast');
    await page.screenshot({ path: join(shots, 'panel-2input-hc.png'), fullPage: false });
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('model slices from the pipeline are drawn as lines through the means (the band fallback is the test above)', async () => {
    const { page, consoleErrors } = await openPanel(browser, server.url);
    const run = twoInputRun('run-slices', 'with model slices');
    const series = run.series!;
    // The fixture's function along each input with the other at 0.25 (its "mean"), model slightly off.
    const n = 200;
    const line = Float64Array.from({ length: n }, (_, j) => -2 + (4 * j) / (n - 1));
    const at = 0.25;
    series.slices = {
      x: {
        at: { y: at }, x: line,
        predicted: { z: line.map((x) => Math.sin(x) * Math.cos(at)) },
        derivative: { z: line.map((x) => 1.02 * Math.cos(x) * Math.cos(at)) },
        referenceDerivative: { z: line.map((x) => Math.cos(x) * Math.cos(at)) },
      },
      y: {
        at: { x: at }, x: line,
        predicted: { z: line.map((y) => Math.sin(at) * Math.cos(y)) },
        derivative: { z: line.map((y) => -Math.sin(at) * Math.sin(y)) },
      },
    };
    await post(page, initMessage([run], [run.id]));
    const col = `article[data-run-id="${run.id}"]`;
    await page.waitForSelector(`${col} .heat-canvas`);
    const titles = await page.locator(`${col} .chart-title`).allInnerTexts();
    assert.ok(titles.includes('∂z/∂x along x at y = mean (0.25)'), titles.join(' | '));
    assert.ok(titles.includes('∂z/∂y along y at x = mean (0.25)'), titles.join(' | '));
    assert.ok(!titles.some((t) => t.includes(', slice at ')), 'no band slice when the model slice is there');
    // Drawn: the slice chart's canvas has ink.
    const ink = await page.locator(`${col} figure.chart`).evaluateAll((figs) => {
      const fig = figs.find((f) => f.querySelector('.chart-title')?.textContent === '∂z/∂x along x at y = mean (0.25)');
      const c = fig?.querySelector('canvas');
      if (!c) return -1;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let k = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) k++;
      return k;
    });
    assert.ok(ink > 500, `slice canvas ink ${ink}`);
    // Its data are the slice's 200 points: model and reference.
    await page.getByRole('button', { name: 'Export the data of ∂z/∂x along x at y = mean (0.25) as CSV' }).click();
    const csvMsg = (await posted(page)).find((x) => x.type === 'exportCsv');
    assert.ok(csvMsg, 'CSV export posted');
    const lines = String(csvMsg.csv).trim().split('\n');
    assert.equal(lines[0], 'x,model,reference');
    assert.equal(lines.length, 1 + n);
    const [x0, m0, r0] = lines[1]!.split(',').map(Number);
    assert.equal(x0, -2);
    assert.ok(Math.abs(m0! - 1.02 * Math.cos(-2) * Math.cos(at)) < 1e-9 && Math.abs(r0! - Math.cos(-2) * Math.cos(at)) < 1e-9);
    assert.equal(await page.locator(`${col} [data-role="value-offset"]`).count(), 0, 'no offset note for a value fit');
    await page.screenshot({ path: join(shots, 'panel-2input-slices.png'), fullPage: true });
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('a derivative-only fit says its value error is after the best constant', async () => {
    const { page, consoleErrors } = await openPanel(browser, server.url);
    const run = oneInputRun('run-offset', 'derivative-only fit');
    run.report!.value.y = { ...run.report!.value.y!, offset: -2.5 };
    await post(page, initMessage([run], [run.id]));
    const col = `article[data-run-id="${run.id}"]`;
    await page.waitForSelector(`${col} .uplot`);
    assert.match(await page.locator(`${col} [data-role="value-offset"]`).innerText(), /Fitted to derivatives only: .* y is after adding the best constant \(-2\.5\)/);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('live training streams, Cancel posts cancel, and the cancelled status is shown', async () => {
    const { page, consoleErrors } = await openPanel(browser, server.url);
    await post(page, initMessage([], []));
    const run = runningRun();
    await post(page, { type: 'runStarted', run });
    const col = `article[data-run-id="${run.id}"]`;
    assert.match(await page.locator(`${col} [data-role="waiting"]`).innerText(), /Waiting for the first epoch/);
    assert.deepEqual((await posted(page)).filter((m) => m.type === 'select').pop(), { type: 'select', runIds: [run.id] });
    const epochs = history(40, 200, true, true);
    for (const p of epochs) await post(page, { type: 'progress', runId: run.id, progress: p });
    assert.match(await page.locator(`${col} [data-role="status"]`).innerText(), /^Running · epoch 40\/200 · loss /);
    assert.match(await page.locator('.run-list').innerText(), /Running 40\/200/);
    const ink = await canvasInk(page, col);
    assert.equal(ink.length, 1);
    assert.ok(ink[0]! > 500, `loss chart painted ${ink[0]} pixels`);
    const rows = await page.locator(`${col} .uplot`).evaluate((el) => (el as HTMLElement).querySelectorAll('.u-legend .u-series').length);
    assert.equal(rows, 5); // epoch + total, value, derivative, validation
    await page.screenshot({ path: join(shots, 'panel-live.png') });

    await page.getByRole('button', { name: `Cancel training of ${run.label}` }).click();
    assert.deepEqual((await posted(page)).filter((m) => m.type === 'cancel'), [{ type: 'cancel', runId: run.id }]);
    assert.equal(await page.locator(`${col} [data-role="cancel"]`).isDisabled(), true);
    await post(page, { type: 'runFinished', runId: run.id, status: 'cancelled', statusDetail: 'Cancelled at epoch 40 of 200; no model was saved.', report: null, series: null });
    assert.match(await page.locator(`${col} [data-role="status"]`).innerText(), /^Cancelled · epoch 40\/200/);
    assert.equal(await page.locator(`${col} [data-role="cancel"]`).count(), 0);
    // The card says "cancelled" once (its status) and promises no analysis to come.
    const card = await page.locator(col).innerText();
    assert.equal(card.match(/cancel/gi)?.length, 1, card);
    assert.doesNotMatch(card, /analysis data|yet/i);
    assert.match(await page.locator(`${col} [data-role="cancelled"]`).innerText(), /Nothing was saved or analysed/);
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('empty and failed runs render; several runs side by side with a comparison table', async () => {
    const { page, consoleErrors } = await openPanel(browser, server.url);
    const a = oneInputRun('plain', 'plain');
    const b = oneInputRun('sobolev', 'with derivatives');
    // Give the second run a smaller derivative error so the comparison table has a clear best.
    b.report!.derivatives['y/x']!.relL2 = a.report!.derivatives['y/x']!.relL2 / 4;
    await post(page, initMessage([a, b, emptyRun(), failedRun()], ['run-empty', 'run-failed']));
    assert.match(await page.locator('article[data-run-id="run-empty"] [data-role="no-series"]').innerText(), /No analysis data/);
    assert.match(await page.locator('article[data-run-id="run-failed"] [role="alert"]').innerText(), /Training failed: Column 'dy_dz' was not found/);
    assert.match(await page.locator('article[data-run-id="run-failed"] [data-role="status"]').innerText(), /^Failed/);

    // Select the two comparable runs through the checkboxes, as a user would.
    await page.locator('.run-list input[data-run-id="run-empty"]').uncheck();
    await page.locator('.run-list input[data-run-id="run-failed"]').uncheck();
    await page.locator('.run-list input[data-run-id="plain"]').check();
    await page.locator('.run-list input[data-run-id="sobolev"]').check();
    assert.equal(await page.locator('main.runs > article').count(), 2);
    assert.equal(await page.locator('main.runs').getAttribute('class'), 'runs cols-2');
    const best = await page.locator('table.comparison td.best').innerText();
    assert.equal(best, pct(b.report!.derivatives['y/x']!.relL2));
    const sel = (await posted(page)).filter((m) => m.type === 'select').pop();
    assert.deepEqual(sel, { type: 'select', runIds: ['plain', 'sobolev'] });
    // View state survives a reload (getState/setState; localStorage outside VS Code).
    await page.screenshot({ path: join(shots, 'panel-compare.png'), fullPage: false });

    await page.locator('article[data-run-id="plain"] button.secondary').click();
    assert.deepEqual((await posted(page)).filter((m) => m.type === 'removeRun'), [{ type: 'removeRun', runId: 'plain' }]);
    await post(page, { type: 'runRemoved', runId: 'plain' });
    assert.equal(await page.locator('main.runs > article').count(), 1);
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('messages of the wrong shape are logged and ignored; the UI keeps working', async () => {
    const { page } = await openPanel(browser, server.url);
    await post(page, initMessage([oneInputRun()], ['run-1d']));
    const bad: unknown[] = [
      'hello',
      42,
      null,
      { type: 'nonsense' },
      { type: 'progress', runId: 5, progress: {} },
      { type: 'init', version: 1, runs: [{ id: 'x' }], selected: [] },
      // A series whose arrays are plain arrays (as if JSON-serialised): rejected at the border.
      { type: 'runFinished', runId: 'run-1d', status: 'completed', report: null, series: { inputs: { x: [1, 2] }, observed: {}, predicted: {}, derivatives: {}, trainingRange: {} } },
      { type: 'theme', kind: 'purple' },
    ];
    for (const b of bad) await postRaw(page, b);
    const logs = (await posted(page)).filter((m) => m.type === 'log');
    assert.equal(logs.length, bad.length);
    for (const l of logs) assert.match(String(l.message), /wrong shape/);
    assert.equal(await page.evaluate(() => (window as unknown as { __aglApp: { rejected: number } }).__aglApp.rejected), bad.length);
    // Still showing the run, still accepting good messages.
    assert.match(await page.locator('article[data-run-id="run-1d"] [data-role="status"]').innerText(), /^Completed/);
    await post(page, { type: 'runStarted', run: runningRun() });
    assert.equal(await page.locator('article[data-run-id="run-live"]').count(), 1);
    assert.deepEqual(await cspViolations(page), []);
    await page.close();
  });

  test('one input: the model is drawn densely across the training range and the margin beyond it', async () => {
    const { page, consoleErrors } = await openPanel(browser, server.url);
    const run = withSlice(oneInputRun('run-dense', 'dense', 11)); // 11 data points, as few as seed 000's 10
    await post(page, initMessage([run], [run.id]));
    const col = `article[data-run-id="${run.id}"]`;
    await page.waitForSelector(`${col} .uplot`);
    const csvOf = async (title: string): Promise<string[][]> => {
      await page.getByRole('button', { name: `Export the data of ${title} as CSV` }).click();
      const m = (await posted(page)).filter((x) => x.type === 'exportCsv').pop()!;
      return String(m.csv).trim().split('\n').map((l) => l.split(','));
    };
    const slice = run.series!.slices!.x!;
    const [lo, hi] = run.series!.trainingRange.x!;
    // Value plot: the 11 data points and the network on the 200 slice points, merged on one x axis.
    const v = await csvOf('y against x');
    assert.deepEqual(v[0], ['x', 'data', 'network', 'reference']);
    assert.equal(v.length - 1, 11 + 200);
    const net = v.slice(1).filter((r) => r[2] !== '');
    assert.equal(net.length, 200, 'the network is evaluated at every slice point, not at the 11 data points');
    const xs = net.map((r) => Number(r[0]));
    assert.ok(Math.min(...xs) < lo - 0.1 * (hi - lo) && Math.max(...xs) > hi + 0.1 * (hi - lo), 'drawn beyond the training range');
    for (const r of net) assert.ok(Math.abs(Number(r[2]) - cubic.net(Number(r[0]))) < 1e-9 * Math.max(1, Math.abs(cubic.net(Number(r[0])))));
    // Derivative plot: finite differences at the data, network and reference derivative dense.
    const d = await csvOf('∂y/∂x');
    assert.deepEqual(d[0], ['x', 'finite diff. of network', 'network (autograd)', 'reference']);
    assert.equal(d.slice(1).filter((r) => r[2] !== '').length, slice.x.length);
    assert.equal(d.slice(1).filter((r) => r[1] !== '').length, 11);
    for (const r of d.slice(1).filter((q) => q[3] !== '')) assert.ok(Math.abs(Number(r[3]) - cubic.df(Number(r[0]))) < 1e-9 * Math.max(1, Math.abs(cubic.df(Number(r[0])))));
    // The error against a formula is dense too.
    const e = await csvOf('Derivative error along x');
    assert.equal(e.slice(1).filter((r) => r[1] !== '').length, 200);
    // The line is drawn: the derivative plot's canvas has coloured ink in the extrapolation margin (its
    // left tenth), where there are no data points.
    const marginInk = await page.locator(`${col} figure.chart`).nth(2).evaluate((fig) => {
      const c = fig.querySelector('canvas')!;
      const g = c.getContext('2d')!;
      const w = Math.floor(c.width * 0.12);
      const data = g.getImageData(Math.floor(c.width * 0.1), 0, w, c.height).data;
      let k = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.max(data[i]!, data[i + 1]!, data[i + 2]!) - Math.min(data[i]!, data[i + 1]!, data[i + 2]!) > 60) k++;
      return k;
    });
    assert.ok(marginInk > 20, `coloured ink near the left edge: ${marginInk}`);
    await page.screenshot({ path: join(shots, 'panel-1input-dense.png'), fullPage: true });
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('the mouse wheel scrolls the page over a plot; Ctrl+wheel zooms it', async () => {
    const { page, consoleErrors } = await openPanel(browser, server.url);
    await page.setViewportSize({ width: 900, height: 600 });
    const run = oneInputRun();
    await post(page, initMessage([run], [run.id]));
    const col = `article[data-run-id="${run.id}"]`;
    await page.waitForSelector(`${col} .uplot`);
    const plot = page.locator(`${col} .plot-box`).nth(1);
    await plot.scrollIntoViewIfNeeded();
    const scales = () => plot.evaluate((el) => (el.querySelector('.u-over') as HTMLElement).getBoundingClientRect().top); // moves when the page scrolls
    // The value plot's x scale, read from the running app (test introspection).
    const xRange = () => page.evaluate((id) => {
      const app = (window as unknown as { __aglApp: { views: Map<string, { charts: { plot: { scales: { x: { min: number; max: number } } } }[] }> } }).__aglApp;
      const x = app.views.get(id)!.charts[1]!.plot.scales.x;
      return `${x.min}..${x.max}`;
    }, run.id);
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const top0 = await scales();
    const axis0 = await xRange();
    const scroll0 = await page.evaluate(() => window.scrollY);
    await page.mouse.wheel(0, 300);
    await page.waitForFunction((y) => window.scrollY !== y, scroll0);
    assert.notEqual(await page.evaluate(() => window.scrollY), scroll0, 'the page scrolled');
    assert.equal(await xRange(), axis0, 'the plot did not zoom');
    assert.notEqual(await scales(), top0);
    // The hint says how to zoom.
    assert.match(await page.locator(`${col} .wheel-hint.visible`).first().innerText(), /scroll to zoom/);
    // Ctrl+wheel zooms and leaves the page where it is.
    const box2 = (await plot.boundingBox())!;
    await page.mouse.move(box2.x + box2.width / 2, box2.y + box2.height / 2);
    const scroll1 = await page.evaluate(() => window.scrollY);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    assert.equal(await page.evaluate(() => window.scrollY), scroll1, 'the page stayed');
    assert.notEqual(await xRange(), axis0, 'the plot zoomed');
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('at the default side-by-side width (520 px) run cards and tables reflow instead of being cut off', async () => {
    const { page, consoleErrors } = await openPanel(browser, server.url);
    await page.setViewportSize({ width: 520, height: 900 });
    const a = withSlice(oneInputRun('a', 'seed000.csv: x → y'));
    const b = twoInputRun('b', 'seed003.csv: x1,x2 → V + derivatives');
    await post(page, initMessage([a, b], ['a', 'b']));
    await page.waitForSelector('article[data-run-id="b"] .heat-canvas');
    const overflow = await page.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const bad: string[] = [];
      if (document.documentElement.scrollWidth > vw) bad.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('article.run, table.metrics, .run-header, .run-meta, canvas, .run-list li'))) {
        const r = el.getBoundingClientRect();
        if (r.right > vw + 0.5 || r.left < -0.5) bad.push(`${el.tagName.toLowerCase()}.${el.className}: ${Math.round(r.left)}–${Math.round(r.right)}`);
      }
      for (const t of Array.from(document.querySelectorAll<HTMLElement>('.table-scroll'))) if (t.scrollWidth > t.clientWidth + 1) bad.push(`table scrolls sideways: ${t.scrollWidth} > ${t.clientWidth}`);
      return bad;
    });
    assert.deepEqual(overflow, []);
    // The runs stack, and a metrics row reads "Relative L2: …" beside its value.
    const cols = await page.locator('article.run').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
    assert.equal(new Set(cols).size, 1, `stacked: ${cols.join(', ')}`);
    const cell = page.locator('article[data-run-id="a"] table.metrics tr[data-key="y/x"] [data-metric="relL2"]');
    assert.equal(await cell.evaluate((el) => getComputedStyle(el, '::before').content), '"Relative L2: "');
    await page.screenshot({ path: join(shots, 'panel-520.png'), fullPage: true });
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('run list: when each ran, remove one, clear the history with a second click; labels and legends tell the truth', async () => {
    const { page, consoleErrors } = await openPanel(browser, server.url);
    const a = oneInputRun('a', 'seed000.csv: x → y');
    const live = runningRun();
    await post(page, initMessage([a, twoInputRun('b'), live], ['a']));
    const item = page.locator('.run-list li[data-run-id="a"]');
    const when = await item.locator('time').getAttribute('datetime');
    assert.equal(when, a.createdAt);
    assert.match(await item.locator('time').innerText(), /\d{1,2}:\d{2}/);
    // A running run cannot be removed from the list (cancel it first).
    assert.equal(await page.locator('.run-list li[data-run-id="run-live"] [data-role="remove"]').count(), 0);
    await item.locator('[data-role="remove"]').click();
    assert.deepEqual((await posted(page)).filter((m) => m.type === 'removeRun'), [{ type: 'removeRun', runId: 'a' }]);
    const clearBtn = page.locator('[data-role="clear"]');
    await clearBtn.click();
    assert.match(await clearBtn.innerText(), /Remove 2 finished runs\?/);
    assert.equal((await posted(page)).filter((m) => m.type === 'clearRuns').length, 0, 'the first click only asks');
    await clearBtn.click();
    assert.equal((await posted(page)).filter((m) => m.type === 'clearRuns').length, 1);
    // A values-only run without a validation split: one loss line, no "validation" or "derivative".
    const legend = await page.locator('article[data-run-id="a"] figure').first().locator('.u-legend .u-series').allInnerTexts();
    assert.equal(legend.length, 2, legend.join(' | ')); // epoch + loss
    assert.doesNotMatch(legend.join(' '), /validation|derivative/);
    assert.match(await page.locator('article[data-run-id="a"] .run-meta').innerText(), /trained on values only/);
    // The exports are named after the data file and carry the run.
    await page.getByRole('button', { name: 'Export ∂y/∂x as PNG' }).click();
    const png = (await posted(page)).filter((m) => m.type === 'exportPng').pop()!;
    assert.equal(png.fileName, 'cubic-dy_dx.png');
    assert.equal(png.runId, 'a');
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('without a reference the derivative error is labelled self-consistency and is never ranked', async () => {
    const { page, consoleErrors } = await openPanel(browser, server.url);
    const withRef = oneInputRun('ref', 'with a reference');
    const noRef = oneInputRun('noref', 'no reference');
    const d = noRef.series!.derivatives['y/x']!;
    noRef.series!.derivatives['y/x'] = { ...d, reference: null };
    noRef.report!.derivatives['y/x'] = { ...noRef.report!.derivatives['y/x']!, reference: 'finite-difference', relL2: 1e-6 };
    await post(page, initMessage([withRef, noRef], ['ref', 'noref']));
    const row = page.locator('article[data-run-id="noref"] table.metrics tr[data-key="y/x"]');
    assert.equal(await row.locator('[data-metric="reference"]').innerText(), 'self-consistency only');
    assert.match(await page.locator('article[data-run-id="noref"] [data-role="self-consistency"]').innerText(), /Self-consistency, not accuracy\..*reference formula/s);
    assert.equal(await page.locator('article[data-run-id="ref"] [data-role="self-consistency"]').count(), 0);
    // Side by side: the tiny self-consistency number is not "best"; it is marked and explained.
    assert.equal(await page.locator('table.comparison td.best').count(), 0);
    assert.match(await page.locator('table.comparison td.self-check').innerText(), /self-check/);
    assert.match(await page.locator('[data-role="self-check-note"]').innerText(), /not accuracy/);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('100,000 points: every chart is drawn, with a mark wherever there is data', async () => {
    const { page, consoleErrors } = await openPanel(browser, server.url);
    const run = withSlice(oneInputRun('big', '100k points', 100_000));
    await post(page, initMessage([run], [run.id]));
    const col = `article[data-run-id="${run.id}"]`;
    await page.waitForSelector(`${col} .uplot`);
    const ink = await canvasInk(page, col);
    assert.equal(ink.length, 5);
    for (const [i, n] of ink.entries()) assert.ok(n > 500, `canvas ${i} has only ${n} painted pixels`);
    const timings = await page.evaluate(() => performance.getEntriesByType('measure').filter((e) => e.name.startsWith('agl:')).map((e) => [e.name, Math.round(e.duration)]));
    console.log(`first draw, 100,000 points (ms): ${JSON.stringify(timings)}`);
    // Drawn from representative points; the export has every point; zooming in brings every point back.
    const drawnPoints = () => page.evaluate(() => {
      const app = (window as unknown as { __aglApp: { views: Map<string, { charts: { plot: { data: unknown[][] } }[] }> } }).__aglApp;
      return app.views.get('big')!.charts[1]!.plot.data[0]!.length;
    });
    const overview = await drawnPoints();
    assert.ok(overview < 20_000, `the value plot draws ${overview} x values at first`);
    await page.getByRole('button', { name: 'Export the data of y against x as CSV' }).click();
    const csv = String((await posted(page)).filter((m) => m.type === 'exportCsv').pop()!.csv).trim().split('\n');
    assert.equal(csv.length - 1, 100_000 + 200, 'the CSV has every data point and the model line');
    const plot = page.locator(`${col} .plot-box`).nth(1);
    await plot.focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('+'); // 0.8⁴ of the range: below half
    await page.waitForFunction(() => {
      const app = (window as unknown as { __aglApp: { views: Map<string, { charts: { plot: { data: unknown[][] } }[] }> } }).__aglApp;
      return app.views.get('big')!.charts[1]!.plot.data[0]!.length === 100_200;
    });
    await page.keyboard.press('0');
    await page.waitForFunction((n) => {
      const app = (window as unknown as { __aglApp: { views: Map<string, { charts: { plot: { data: unknown[][] } }[] }> } }).__aglApp;
      return app.views.get('big')!.charts[1]!.plot.data[0]!.length === n;
    }, overview);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
});
