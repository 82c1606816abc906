/**
 * `autograd-lens lint [--format text|json|sarif] [--select CODES] [--ignore CODES] [--fix]
 *                     [--config PYPROJECT] PATH...`
 *
 * Directories are searched for `*.py` and `*.ipynb` (skipping .git, node_modules, __pycache__,
 * .ipynb_checkpoints, .venv/venv and site-packages unless named explicitly). A notebook's code cells are
 * linted as one program (src/core/notebook) and its findings are located by cell. Configuration: the
 * nearest pyproject.toml above each file (or `--config`), then --select/--ignore. Exit 0 when nothing at
 * warning or above, 1 when something, 2 on usage or I/O errors (CliError) and when a notebook could not
 * be read (the other files are still linted and reported).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import {
  applyFixes,
  createLinter,
  mergeConfig,
  parsePyprojectConfig,
  RULES,
  type Diagnostic,
  type LintConfig,
  type Linter,
} from '../core/lint/index';
import {
  filePosition,
  fixCells,
  isPythonNotebook,
  lintCells,
  NotebookError,
  parseNotebook,
  replaceCellSources,
  type CellDiagnostic,
  type ParsedNotebook,
} from '../core/notebook/index';
import { CliError } from './common';

type Format = 'text' | 'json' | 'sarif';

interface Options {
  format: Format;
  select: string[];
  ignore: string[];
  fix: boolean;
  config: string | null;
  paths: string[];
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '__pycache__', '.venv', 'venv', 'site-packages', '.mypy_cache', '.tox', '.ipynb_checkpoints']);

/** Whether a path names a notebook (by its extension). */
export function isNotebookPath(file: string): boolean {
  return /\.ipynb$/i.test(file);
}

function codes(v: string, flag: string): string[] {
  const list = v.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  for (const c of list) if (!/^[A-Z]+[0-9]*$/.test(c)) throw new CliError(`${flag}: '${c}' is not a rule code or prefix (like AGL001 or AGL)`);
  return list;
}

export function parseLintArgs(args: string[]): Options {
  const o: Options = { format: 'text', select: [], ignore: [], fix: false, config: null, paths: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw new CliError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new CliError(`--format must be text, json or sarif (got '${f}')`);
        o.format = f;
        break;
      }
      case '--select':
        o.select.push(...codes(value(), '--select'));
        break;
      case '--ignore':
        o.ignore.push(...codes(value(), '--ignore'));
        break;
      case '--fix':
        o.fix = true;
        break;
      case '--config':
        o.config = value();
        break;
      case '-h':
      case '--help':
        throw new CliError('usage: autograd-lens lint [--format text|json|sarif] [--select CODES] [--ignore CODES] [--fix] [--config PYPROJECT] PATH...');
      default:
        if (a.startsWith('-') && a !== '-') throw new CliError(`lint: unknown option '${a}'`);
        o.paths.push(a);
    }
  }
  if (o.paths.length === 0) throw new CliError('lint: no PATH given (a .py or .ipynb file, or a directory)');
  return o;
}

/** Expand paths to .py and .ipynb files. Explicitly named paths are always taken, even inside skipped folders. */
export function collectFiles(paths: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (f: string): void => {
    const r = resolve(f);
    if (!seen.has(r)) {
      seen.add(r);
      out.push(f);
    }
  };
  const recurse = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (err) {
      throw new CliError(`cannot read directory ${dir}: ${(err as Error).message}`);
    }
    for (const e of entries) {
      const p = join(dir, e);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue; // dangling symlink
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(e)) recurse(p);
      } else if (e.endsWith('.py') || isNotebookPath(e)) add(p);
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new CliError(`no such file or directory: ${p}`);
    const st = statSync(p);
    if (st.isDirectory()) recurse(p);
    else add(p);
  }
  return out;
}

const configCache = new Map<string, Partial<LintConfig> | undefined>();

function loadPyproject(file: string): Partial<LintConfig> | undefined {
  if (configCache.has(file)) return configCache.get(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let cfg: Partial<LintConfig>;
  try {
    cfg = parsePyprojectConfig(text);
  } catch (err) {
    throw new CliError(`${file}: ${(err as Error).message}`);
  }
  configCache.set(file, cfg);
  return cfg;
}

/** The nearest pyproject.toml at or above the file's folder, or null. */
export function findPyproject(file: string): string | null {
  let dir = dirname(resolve(file));
  for (;;) {
    const candidate = join(dir, 'pyproject.toml');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** One finding as the output formats print it: in a file, or in a notebook's cell. */
export interface Finding {
  code: string;
  rule: string;
  severity: string;
  message: string;
  /** 0-based index of the notebook cell, or null in a .py file. */
  cell: number | null;
  range: Diagnostic['range'];
  related: Array<{ cell: number | null; range: Diagnostic['range']; message: string }>;
  fixable: boolean;
}

interface FileResult {
  file: string;
  findings: Finding[];
  /** The notebook as read, for positions in its JSON text (SARIF). */
  notebook?: ParsedNotebook;
}

function fromDiagnostic(d: Diagnostic): Finding {
  return {
    code: d.code,
    rule: d.rule,
    severity: d.severity,
    message: d.message,
    cell: null,
    range: d.range,
    related: d.related.map((r) => ({ cell: null, range: r.range, message: r.message })),
    fixable: d.fixes.some((f) => f.safe),
  };
}

function fromCellDiagnostic(d: CellDiagnostic): Finding {
  return {
    code: d.code,
    rule: d.rule,
    severity: d.severity,
    message: d.message,
    cell: d.cell,
    range: d.range,
    related: d.related.map((r) => ({ cell: r.cell, range: r.range, message: r.message })),
    fixable: d.fixes.some((f) => f.safe),
  };
}

function displayPath(file: string): string {
  const r = relative(process.cwd(), resolve(file));
  return (r.startsWith('..') ? resolve(file) : r).split(sep).join('/');
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

function writeText(file: string, text: string): void {
  try {
    writeFileSync(file, text, 'utf8');
  } catch (err) {
    throw new CliError(`cannot write ${file}: ${(err as Error).message}`);
  }
}

function lintPythonFile(linter: Linter, file: string, config: LintConfig, fix: boolean): { result: FileResult; fixed: number } {
  const source = readText(file);
  let diagnostics = linter.lint(source, { path: file, config });
  let fixed = 0;
  if (fix && diagnostics.some((d) => d.fixes.some((f) => f.safe))) {
    // Apply, re-lint, repeat while fixes still apply (overlapping fixes wait for the next round).
    let current = source;
    for (let round = 0; round < 5; round++) {
      const { output, applied } = applyFixes(current, diagnostics);
      if (applied === 0 || output === current) break;
      fixed += applied;
      current = output;
      diagnostics = linter.lint(current, { path: file, config });
    }
    if (current !== source) writeText(file, current);
  }
  return { result: { file, findings: diagnostics.map(fromDiagnostic) }, fixed };
}

/**
 * A notebook: its code cells as one program. With `fix`, only the `source` of the cells that changed is
 * rewritten; everything else in the file stays byte for byte. Throws NotebookError for a bad notebook.
 */
function lintNotebookFile(linter: Linter, file: string, config: LintConfig, fix: boolean): { result: FileResult | null; fixed: number } {
  const text = readText(file);
  const nb = parseNotebook(text, displayPath(file));
  if (!isPythonNotebook(nb)) {
    process.stderr.write(`autograd-lens: note: ${displayPath(file)}: the kernel language is ${nb.language}, not Python: skipped\n`);
    return { result: null, fixed: 0 };
  }
  if (!fix) return { result: { file, notebook: nb, findings: lintCells(linter, nb.cells, { path: file, config }).map(fromCellDiagnostic) }, fixed: 0 };
  const r = fixCells(linter, nb.cells, { path: file, config });
  let notebook = nb;
  if (r.applied > 0) {
    const changed = new Map(r.cells.filter((c, i) => c.source !== nb.cells[i].source).map((c) => [c.index, c.source]));
    const output = replaceCellSources(nb, changed);
    if (output !== text) {
      writeText(file, output);
      notebook = parseNotebook(output, displayPath(file));
    }
  }
  return { result: { file, notebook, findings: r.diagnostics.map(fromCellDiagnostic) }, fixed: r.applied };
}

export async function runLintCommand(args: string[]): Promise<number> {
  const o = parseLintArgs(args);
  const files = collectFiles(o.paths);
  const linter = await createLinter();
  const cliConfig: Partial<LintConfig> = { select: o.select, ignore: o.ignore };
  const fixedConfig = o.config ? loadPyproject(o.config) : undefined;
  if (o.config && !existsSync(o.config)) throw new CliError(`no such file: ${o.config}`);
  const results: FileResult[] = [];
  const errors: Array<{ file: string; message: string }> = [];
  let fixedTotal = 0;
  for (const file of files) {
    const py = o.config ? null : findPyproject(file);
    const config = mergeConfig(o.config ? fixedConfig : py ? loadPyproject(py) : undefined, cliConfig);
    if (isNotebookPath(file)) {
      try {
        const { result, fixed } = lintNotebookFile(linter, file, config, o.fix);
        fixedTotal += fixed;
        if (result) results.push(result);
      } catch (err) {
        if (!(err instanceof NotebookError)) throw err;
        // A bad notebook is reported and the run goes on: the other files' findings are not lost.
        errors.push({ file, message: err.message });
        process.stderr.write(`autograd-lens: error: ${err.message}\n`);
      }
    } else {
      const { result, fixed } = lintPythonFile(linter, file, config, o.fix);
      fixedTotal += fixed;
      results.push(result);
    }
  }
  const all = results.flatMap((r) => r.findings);
  if (o.format === 'json') process.stdout.write(`${JSON.stringify(toJson(results), null, 2)}\n`);
  else if (o.format === 'sarif') process.stdout.write(`${JSON.stringify(toSarif(results, errors), null, 2)}\n`);
  else process.stdout.write(toText(results, files.length, o.fix ? fixedTotal : null, errors.length));
  if (o.fix && o.format !== 'text') process.stderr.write(`fixed ${fixedTotal} problem${fixedTotal === 1 ? '' : 's'}\n`);
  if (errors.length > 0) return 2;
  return all.some((d) => d.severity === 'error' || d.severity === 'warning') ? 1 : 0;
}

/** `path:line:col` for a file, `path:cell N:line:col` for a notebook cell (1-based, as Ruff prints cells). */
function location(file: string, f: { cell: number | null; range: Diagnostic['range'] }): string {
  const cell = f.cell === null ? '' : `cell ${f.cell + 1}:`;
  return `${displayPath(file)}:${cell}${f.range.start.line + 1}:${f.range.start.column + 1}`;
}

export function toText(results: FileResult[], fileCount: number, fixed: number | null, failed = 0): string {
  const lines: string[] = [];
  let count = 0;
  for (const r of results) {
    for (const d of r.findings) {
      count++;
      lines.push(`${location(r.file, d)}: ${d.code} ${d.message}${d.fixable ? ' [*]' : ''}`);
    }
  }
  const fixable = results.reduce((n, r) => n + r.findings.filter((d) => d.fixable).length, 0);
  const parts = [`Found ${count} problem${count === 1 ? '' : 's'} in ${fileCount} file${fileCount === 1 ? '' : 's'}.`];
  if (failed > 0) parts.push(`${failed} file${failed === 1 ? '' : 's'} could not be read (see above).`);
  if (fixed !== null) parts.push(`Fixed ${fixed}.`);
  if (fixable > 0) parts.push(`[*] ${fixable} fixable with --fix.`);
  lines.push(parts.join(' '));
  return `${lines.join('\n')}\n`;
}

export interface JsonDiagnostic {
  file: string;
  /** Notebooks only: 1-based index of the cell among all cells; `line`/`column` are within the cell. */
  cell?: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  severity: string;
  message: string;
  rule: string;
  fixable: boolean;
}

export function toJson(results: FileResult[]): JsonDiagnostic[] {
  return results.flatMap((r) =>
    r.findings.map((d) => ({
      file: displayPath(r.file),
      ...(d.cell === null ? {} : { cell: d.cell + 1 }),
      line: d.range.start.line + 1,
      column: d.range.start.column + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.column + 1,
      code: d.code,
      severity: d.severity,
      message: d.message,
      rule: d.rule,
      fixable: d.fixable,
    })),
  );
}

const INFO_URI = 'https://github.com/autograd-lens/autograd-lens';

function sarifLevel(s: string): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

/**
 * SARIF 2.1.0. A finding in a notebook is located where code scanning can show it: `region` is the
 * position in the notebook file's JSON text (the line of the cell's `source` that holds it), the message
 * starts with `cell N, line L:`, and `properties.notebook` carries the cell (1-based among all cells)
 * and the line/column range within the cell. Notebooks that could not be read are reported as
 * `toolExecutionNotifications` of a failed invocation.
 */
export function toSarif(results: FileResult[], errors: Array<{ file: string; message: string }> = []): object {
  const rules = RULES.map((r) => ({
    id: r.code,
    name: r.name,
    shortDescription: { text: r.summary },
    fullDescription: { text: r.docs.whatItDoes },
    help: { text: r.docs.whyIsThisBad, markdown: `${r.docs.whatItDoes}\n\n${r.docs.whyIsThisBad}` },
    helpUri: `${INFO_URI}/blob/main/docs/rules/${r.code}.md`,
    defaultConfiguration: { level: sarifLevel(r.defaultSeverity) },
  }));
  const index = new Map(RULES.map((r, i) => [r.code, i]));
  const region = (r: FileResult, cell: number | null, range: Diagnostic['range']) => {
    if (cell === null || !r.notebook) {
      return { startLine: range.start.line + 1, startColumn: range.start.column + 1, endLine: range.end.line + 1, endColumn: range.end.column + 1 };
    }
    const s = filePosition(r.notebook, cell, range.start.line, range.start.column);
    const e = filePosition(r.notebook, cell, range.end.line, range.end.column);
    return { startLine: s.line + 1, startColumn: s.column + 1, endLine: e.line + 1, endColumn: e.column + 1 };
  };
  const text = (cell: number | null, range: Diagnostic['range'], message: string): string =>
    cell === null ? message : `cell ${cell + 1}, line ${range.start.line + 1}: ${message}`;
  const cellRange = (cell: number, range: Diagnostic['range']) => ({
    cell: cell + 1,
    startLine: range.start.line + 1,
    startColumn: range.start.column + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.column + 1,
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'autograd-lens', informationUri: INFO_URI, rules } },
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            toolExecutionNotifications: errors.map((e) => ({
              level: 'error',
              message: { text: e.message },
              locations: [{ physicalLocation: { artifactLocation: { uri: displayPath(e.file) } } }],
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: results.flatMap((r) =>
          r.findings.map((d) => ({
            ruleId: d.code,
            ruleIndex: index.get(d.code) ?? -1,
            level: sarifLevel(d.severity),
            message: { text: text(d.cell, d.range, d.message) },
            locations: [{ physicalLocation: { artifactLocation: { uri: displayPath(r.file) }, region: region(r, d.cell, d.range) } }],
            relatedLocations: d.related.map((rl, i) => ({
              id: i,
              message: { text: text(rl.cell, rl.range, rl.message) },
              physicalLocation: { artifactLocation: { uri: displayPath(r.file) }, region: region(r, rl.cell, rl.range) },
              ...(rl.cell === null ? {} : { properties: { notebook: cellRange(rl.cell, rl.range) } }),
            })),
            ...(d.cell === null ? {} : { properties: { notebook: cellRange(d.cell, d.range) } }),
          })),
        ),
      },
    ],
  };
}
