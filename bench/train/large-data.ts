/**
 * Large data through the command line: peak memory and time of `autograd-lens train` on generated
 * CSV files of millions of rows, 8 inputs and 1 output (optionally 8 derivative columns).
 *
 * Run (after `npm run build`, which makes dist/cli.js):
 *   node --import tsx bench/train/large-data.ts [--rows 1000000,2000000,5000000] [--grads]
 *        [--runs default,batch64] [--keep DIR]
 * For each size it writes the file (seeded, y = sum_i sin((i+1) x_i) + x1 x2 on [-1, 1]^8), then runs
 *   default  `train FILE --inputs x1..x8 --outputs y --epochs E`: the batch size left to the defaults,
 *            which scale with the rows (src/core/model/defaults.ts, dataScaledSettings)
 *   batch64  the same with `--batch-size 64`, the default before (one epoch of 5M rows did not finish
 *            in 20 minutes then)
 * as a child process with bench/train/rss-hook.mjs preloaded, which reports peak RSS, wall and CPU
 * time; each twice, with 1 and with 3 epochs. One epoch's CPU time is half the difference of the two
 * runs' CPU times (on a shared machine wall time is mostly waiting for a core); its wall time is the
 * saved model's `training.last.elapsedMs` of the 1-epoch run. "rest" is the 1-epoch run's CPU time
 * minus the epoch's: start-up, reading and checking the file, analysis of the 100,000-row sample,
 * saving.
 * "data" is the size of the file's used columns as float64 (rows × columns × 8 bytes), the yardstick
 * for "memory near the data's size".
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : def);
const ROWS = opt('rows', '1000000,2000000,5000000').split(',').map(Number);
const RUNS = opt('runs', 'default,batch64').split(',');
const GRADS = argv.includes('--grads');
const D = 8;
const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
const work = argv.includes('--keep') ? opt('keep', '') : mkdtempSync(path.join(tmpdir(), 'agl-large-'));

function writeFile(file: string, n: number): void {
  const fd = openSync(file, 'w');
  const cols = Array.from({ length: D }, (_, i) => `x${i + 1}`);
  const header = [...cols, 'y', ...(GRADS ? cols.map((c) => `dy_d${c}`) : [])];
  writeSync(fd, header.join(',') + '\n');
  let s = 12345;
  const x = new Float64Array(D);
  let buf = '';
  for (let r = 0; r < n; r++) {
    let y = 0;
    for (let i = 0; i < D; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      x[i] = (2 * s) / 4294967296 - 1;
      y += Math.sin((i + 1) * x[i]);
    }
    y += x[0] * x[1];
    const cells = Array.from(x, (v) => v.toFixed(6));
    cells.push(y.toFixed(6));
    if (GRADS) for (let i = 0; i < D; i++) cells.push(((i + 1) * Math.cos((i + 1) * x[i]) + (i === 0 ? x[1] : i === 1 ? x[0] : 0)).toFixed(6));
    buf += cells.join(',') + '\n';
    if (buf.length > 1 << 22) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
}

interface Row {
  rows: number;
  run: string;
  batch: number;
  epochCpu: number;
  epochWall: number;
  restCpu: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakMB: number;
  dataMB: number;
  load: string;
  status: string;
}

const results: Row[] = [];
console.log(`${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' / ')}; ${D} inputs, 1 output${GRADS ? `, ${D} derivative columns` : ''}`);
try {
  for (const n of ROWS) {
    const file = path.join(work, `large-${n}${GRADS ? '-grads' : ''}.csv`);
    if (!existsSync(file)) {
      process.stderr.write(`writing ${n.toLocaleString('en-US')} rows ...\n`);
      writeFile(file, n);
    }
    process.stderr.write(`${file}: ${(statSync(file).size / 2 ** 20).toFixed(0)} MB\n`);
    const columns = D + 1 + (GRADS ? D : 0);
    for (const run of RUNS) {
      const one = (epochs: number) => {
        const out = path.join(work, `model-${n}-${run}-${epochs}`);
        const args = ['--import', pathToFileURL(path.join(__dirname, 'rss-hook.mjs')).href, cli, 'train', file, '--inputs', Array.from({ length: D }, (_, i) => `x${i + 1}`).join(','), '--outputs', 'y', '--epochs', String(epochs), '--out', out, '--json'];
        if (GRADS) args.push(...Array.from({ length: D }, (_, i) => ['--grad', `y:x${i + 1}=dy_dx${i + 1}`]).flat());
        if (run === 'batch64') args.push('--batch-size', '64');
        process.stderr.write(`${run}: ${n.toLocaleString('en-US')} rows, ${epochs} epoch(s) ...\n`);
        const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 3 * 3600 * 1000 });
        const usageLine = r.stderr.split('\n').find((l) => l.startsWith('AGL_USAGE '));
        if (!usageLine || r.status !== 0) throw new Error(`${run} on ${n} rows failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
        const usage = JSON.parse(usageLine.slice('AGL_USAGE '.length)) as { maxRssKB: number; wallS: number; userS: number; sysS: number };
        const meta = JSON.parse(readFileSync(path.join(out, 'autograd-lens.json'), 'utf8')) as { training: { status: string; settings: { batchSize: number }; last: { elapsedMs: number } } };
        rmSync(out, { recursive: true, force: true });
        return { usage, meta };
      };
      const loadBefore = loadavg()[0];
      const a = one(1);
      const b = one(3);
      const cpu1 = a.usage.userS + a.usage.sysS;
      const cpu3 = b.usage.userS + b.usage.sysS;
      const epochCpu = (cpu3 - cpu1) / 2;
      const row: Row = {
        rows: n,
        run,
        batch: a.meta.training.settings.batchSize,
        epochCpu,
        epochWall: a.meta.training.last.elapsedMs / 1000,
        restCpu: cpu1 - epochCpu,
        wallSeconds: a.usage.wallS,
        cpuSeconds: cpu1,
        peakMB: Math.max(a.usage.maxRssKB, b.usage.maxRssKB) / 1024,
        dataMB: (n * columns * 8) / 2 ** 20,
        load: `${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
        status: a.meta.training.status,
      };
      results.push(row);
      process.stderr.write(`  ${JSON.stringify(row)}\n`);
    }
  }
} finally {
  if (!argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
}
console.log('| rows | run | batch | one epoch: CPU s | one epoch: wall s | rest (read, check, analyse, save): CPU s | 1-epoch command: CPU s / wall s | peak RSS MB | data as float64 MB | load |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.rows.toLocaleString('en-US')} | ${r.run} | ${r.batch} | ${r.epochCpu.toFixed(1)} | ${r.epochWall.toFixed(1)} | ${r.restCpu.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} / ${r.wallSeconds.toFixed(1)} | ${r.peakMB.toFixed(0)} | ${r.dataMB.toFixed(0)} | ${r.load} |`);
}
