#!/usr/bin/env node
// Lint speed benchmark (not a test: timings depend on the machine). Results: docs/benchmarks.md (## Lint).
//
//   node bench/lint/lint-bench.mjs [TORCH_SRC] [--runs N] [--no-pyright] [--jobs N]
//
// TORCH_SRC defaults to the installed PyTorch package (python3 -c 'import torch'). Measures, in one run:
//   1. cold CLI: `autograd-lens lint` as a fresh process over every .py file (process start → exit), with
//      `--jobs 1` (one thread) and with worker threads (`--jobs N`, default one per core), same output;
//   2. in process: parser initialisation, then lint-only time over the same files (already in memory);
//   3. pyright (the named peer; it type-checks, which is more work) over the same directory;
//   4. re-lint of a 5,000-line file after a one-line edit, median of N runs (default 30), wall and CPU, through
//      lint() (from scratch) and lintDocument() (incremental parse) when the engine has it, and as the editor
//      does it: lintDocument in the lint worker thread, through its client (text and findings cross threads).
// Wall times and CPU times are both printed: on a shared machine wall time includes waiting for a core.
// The CLI and the engine are bundled with esbuild into a temporary directory first, as `npm run build`
// would, so the cold run measures what users run (bundle load + wasm init + lint).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { cliSplitPlugin } from '../../scripts/cli-bundles.mjs';
import { sourceFiles } from './source-files.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const runs = Number(opt('--runs', '30'));
const jobs = Number(opt('--jobs', String(cpus().length)));
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs' && args[i - 1] !== '--jobs');

function torchDir() {
  for (const py of ['/usr/bin/python3', 'python3']) {
    try {
      return execFileSync(py, ['-c', 'import torch, os; print(os.path.dirname(torch.__file__))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      // next interpreter
    }
  }
  return null;
}

/** Run a command under /usr/bin/time when available: wall seconds, CPU seconds (user+sys) or null. */
function timed(cmd, argv) {
  const useTime = (() => {
    try {
      statSync('/usr/bin/time');
      return true;
    } catch {
      return false;
    }
  })();
  const t0 = performance.now();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '__CPU__ %U %S', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = (performance.now() - t0) / 1000;
  const m = /__CPU__ ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : null, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const dir = positional[0] ? resolve(positional[0]) : torchDir();
  if (!dir) {
    console.error('lint-bench: PyTorch sources not found; pass a directory of Python files');
    process.exit(2);
  }
  const files = sourceFiles(dir);
  const sources = files.map((f) => readFileSync(f, 'utf8'));
  const lines = sources.reduce((n, s) => n + s.split('\n').length - (s.endsWith('\n') ? 1 : 0), 0);
  console.log(`corpus: ${dir} — ${files.length} files, ${fmt(lines)} lines`);
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}, load average at start ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);

  // Bundle the CLI and the engine like the real build does.
  const out = mkdtempSync(join(tmpdir(), 'agl-bench-'));
  try {
    // The alias as in scripts/build.mjs: jsonc-parser's UMD `main` cannot be bundled, its ES module build can.
    const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error', absWorkingDir: root, external: ['vscode', '@tensorflow/tfjs-node'], alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' } };
    // As scripts/build.mjs: `lint` in cli.js, the training and export commands in bundles of their own.
    await esbuild.build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: join(out, 'cli.js'), plugins: [cliSplitPlugin()] });
    await esbuild.build({ ...common, entryPoints: ['src/cli/lintPoolWorker.ts'], outfile: join(out, 'lintPoolWorker.js') });
    await esbuild.build({ ...common, entryPoints: ['src/core/lint/index.ts'], outfile: join(out, 'lint.js') });
    await esbuild.build({ ...common, entryPoints: ['src/core/lintWorker/worker.ts'], outfile: join(out, 'lintWorker.js') });
    await esbuild.build({ ...common, entryPoints: ['src/core/lintWorker/client.ts'], outfile: join(out, 'lintClient.js') });
    mkdirSync(join(out, 'wasm'));
    for (const f of ['node_modules/web-tree-sitter/tree-sitter.wasm', 'node_modules/tree-sitter-python/tree-sitter-python.wasm']) {
      copyFileSync(join(root, f), join(out, 'wasm', f.split('/').pop()));
    }

    // 1. Cold CLI: one thread, then worker threads; the output must be the same.
    const cold1 = timed(process.execPath, [join(out, 'cli.js'), 'lint', '--format', 'json', '--jobs', '1', dir]);
    if (cold1.status !== 0 && cold1.status !== 1) throw new Error(`CLI failed (${cold1.status}): ${cold1.stderr}`);
    const cold = timed(process.execPath, [join(out, 'cli.js'), 'lint', '--format', 'json', '--jobs', String(jobs), dir]);
    if (cold.status !== 0 && cold.status !== 1) throw new Error(`CLI failed (${cold.status}): ${cold.stderr}`);
    if (cold.stdout !== cold1.stdout || cold.stderr.replace(/__CPU__.*\n?/, '') !== cold1.stderr.replace(/__CPU__.*\n?/, '')) throw new Error(`--jobs ${jobs} and --jobs 1 printed different output`);
    const coldFindings = JSON.parse(cold.stdout).length;

    // 2. In process.
    const require = createRequire(import.meta.url);
    const { createLinter } = require(join(out, 'lint.js'));
    let t = performance.now();
    const linter = await createLinter({ wasmDir: join(out, 'wasm') });
    const initMs = performance.now() - t;
    let findings = 0;
    const cpu0 = process.cpuUsage();
    t = performance.now();
    const crashes = [];
    for (let i = 0; i < files.length; i++) {
      findings += linter.lint(sources[i], { path: files[i] }).length;
      for (const e of linter.lastRuleErrors ?? []) crashes.push(`${files[i]}: ${e.code}: ${String(e.error).split('\n')[0]}`);
    }
    const lintWall = (performance.now() - t) / 1000;
    const cpu1 = process.cpuUsage(cpu0);
    const lintCpu = (cpu1.user + cpu1.system) / 1e6;

    // 4. Re-lint of a 5,000-line file after one edit.
    // Fixtures that parse: the syntax-error fixtures (test/fixtures/lint-engine/syntax) would make the
    // whole file a broken one, which measures error recovery and the full re-parse it forces instead.
    const chunks = sourceFiles(join(root, 'test/fixtures'))
      .filter((f) => !f.split(/[\\/]/).includes('syntax'))
      .map((f) => readFileSync(f, 'utf8'));
    let body = '';
    for (let i = 0; body.split('\n').length < 5000; i++) body += `${chunks[i % chunks.length]}\n`;
    const base = body.split('\n').slice(0, 4999).join('\n');
    // Insert before a top-level definition near the middle, above its decorators, so the edit is a module-level
    // statement. (Until 2026-12-04 it went before the first `def` past the middle, which follows a decorator in
    // this file: every version had a syntax error, and the figures measured the from-scratch parse with error
    // recovery that forces.)
    const half = Math.floor(base.length / 2);
    const mid = base.slice(half).search(/\n\n(?:@|def |class )/) + half + 2;
    // Each run: wall and CPU (user + system, process.cpuUsage) of one call; medians over `runs` after 5
    // warm-up runs. `lint` re-parses from scratch; `lintDocument` passes the same texts as successive
    // versions of one document, so it parses incrementally (docs/lint-engine.md).
    const relintRuns = (call) => {
      const wall = [];
      const cpu = [];
      for (let i = 0; i < runs + 5; i++) {
        // One edited line (a module-level statement in the middle), different on every run.
        const big = `${base.slice(0, mid)}edited_${i} = ${i}\n${base.slice(mid)}`;
        const c0 = process.cpuUsage();
        const s = performance.now();
        call(big);
        const w = performance.now() - s;
        const c = process.cpuUsage(c0);
        if (i >= 5) {
          wall.push(w);
          cpu.push((c.user + c.system) / 1000);
        }
      }
      return { wall: median(wall), cpu: median(cpu) };
    };
    const relint = relintRuns((text) => linter.lint(text, { path: 'big.py' }));
    const relintDoc = typeof linter.lintDocument === 'function' ? relintRuns((text) => linter.lintDocument('big.py', text, { path: 'big.py' })) : null;
    // As the editor does it: the lint worker thread through its client. Wall time of the round trip; the
    // CPU column is the worker's own lint time (what it reports), not this thread's.
    let relintWorker = null;
    {
      const { LintWorkerClient } = require(join(out, 'lintClient.js'));
      const client = new LintWorkerClient(join(out, 'lintWorker.js'), { wasmDir: join(out, 'wasm') });
      await client.ready();
      const wall = [];
      const inWorker = [];
      for (let i = 0; i < runs + 5; i++) {
        const big = `${base.slice(0, mid)}edited_${i} = ${i}\n${base.slice(mid)}`;
        const s = performance.now();
        const r = await client.lintDocument('big.py', big, { path: 'big.py' });
        const w = performance.now() - s;
        if (i >= 5) {
          wall.push(w);
          inWorker.push(r.ms);
        }
      }
      client.dispose();
      relintWorker = { wall: median(wall), inWorker: median(inWorker) };
    }

    // 3. pyright on the same directory.
    let py = null;
    if (!flag('--no-pyright')) {
      const bin = join(root, 'node_modules/pyright/index.js');
      py = timed(process.execPath, [bin, '--outputjson', dir]);
      if (py.status === null) py = null;
    }

    const rows = [
      ['measure', 'wall', 'CPU', 'lines/s (wall)', 'lines/s (CPU)', 'goal'],
      ['cold CLI --jobs 1, start → all files linted', `${cold1.wall.toFixed(2)} s`, cold1.cpu !== null ? `${cold1.cpu.toFixed(2)} s` : '—', fmt(lines / cold1.wall), cold1.cpu ? fmt(lines / cold1.cpu) : '—', '≥ 100,000'],
      [`cold CLI --jobs ${jobs}, start → all files linted`, `${cold.wall.toFixed(2)} s`, cold.cpu !== null ? `${cold.cpu.toFixed(2)} s` : '—', fmt(lines / cold.wall), cold.cpu ? fmt(lines / cold.cpu) : '—', '≥ 100,000'],
      ['in process: parser init', `${initMs.toFixed(0)} ms`, '', '', '', ''],
      ['in process: lint only', `${lintWall.toFixed(2)} s`, `${lintCpu.toFixed(2)} s`, fmt(lines / lintWall), fmt(lines / lintCpu), '≥ 100,000'],
    ];
    if (py) {
      rows.push(['pyright (type checking), same files', `${py.wall.toFixed(2)} s`, py.cpu !== null ? `${py.cpu.toFixed(2)} s` : '—', fmt(lines / py.wall), py.cpu ? fmt(lines / py.cpu) : '—', '']);
      const ratioWall = py.wall / cold.wall;
      const ratioCpu = py.cpu && cold.cpu ? py.cpu / cold.cpu : null;
      rows.push([`cold CLI --jobs ${jobs} vs pyright`, `${ratioWall.toFixed(1)}×`, ratioCpu ? `${ratioCpu.toFixed(1)}×` : '—', '', '', '≥ 20× pyright\'s speed']);
    }
    rows.push([`re-lint 5,000-line file after one edit, lint() (median of ${runs})`, `${relint.wall.toFixed(1)} ms`, `${relint.cpu.toFixed(1)} ms`, '', '', '< 20 ms']);
    if (relintDoc) rows.push([`same, lintDocument() (median of ${runs})`, `${relintDoc.wall.toFixed(1)} ms`, `${relintDoc.cpu.toFixed(1)} ms`, '', '', '< 20 ms']);
    if (relintWorker) rows.push([`same, in the editor's lint worker (wall: round trip; CPU column: the worker's own wall time)`, `${relintWorker.wall.toFixed(1)} ms`, `${relintWorker.inWorker.toFixed(1)} ms`, '', '', '< 20 ms']);
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
    for (const [i, r] of rows.entries()) {
      console.log(r.map((x, c) => (c === 0 ? String(x).padEnd(widths[c]) : String(x).padStart(widths[c]))).join('  '));
      if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    }
    console.log(`\nfindings: CLI ${coldFindings} (--jobs 1 and --jobs ${jobs} printed the same), in process ${findings} (docs/precision.md reviews them); rule crashes: ${crashes.length}`);
    for (const c of crashes.slice(0, 10)) console.log(`  ${c}`);
    if (py) console.log(`cold CLI is ${(py.wall / cold.wall).toFixed(1)} times pyright's speed (wall)${py.cpu && cold.cpu ? `, ${(py.cpu / cold.cpu).toFixed(1)} times by CPU time` : ''}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
