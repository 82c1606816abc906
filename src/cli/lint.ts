/**
 * `autograd-lens lint [--format text|json|sarif] [--select CODES] [--ignore CODES] [--fix]
 *                     [--config PYPROJECT] PATH...`
 *
 * Directories are searched for `*.py` (skipping .git, node_modules, __pycache__, .venv/venv and
 * site-packages unless named explicitly). Configuration: the nearest pyproject.toml above each file
 * (or `--config`), then --select/--ignore. Exit 0 when nothing at warning or above, 1 when something,
 * 2 on usage or I/O errors (CliError).
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
} from '../core/lint/index';
import { ConfigError, describeUnknownCode, locateCodeInPyproject, unknownRuleCodes } from '../core/lint/config';
import { plainText } from '../shared/format';
import { CliError, unknownOption } from './common';

const LINT_OPTIONS = ['--format', '--select', '--ignore', '--fix', '--config', '--help'];

type Format = 'text' | 'json' | 'sarif';

interface Options {
  format: Format;
  select: string[];
  ignore: string[];
  fix: boolean;
  config: string | null;
  paths: string[];
}

const KNOWN_CODES = RULES.map((r) => r.code);

const SKIP_DIRS = new Set(['.git', 'node_modules', '__pycache__', '.venv', 'venv', 'site-packages', '.mypy_cache', '.tox']);

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
      default:
        if (a.startsWith('-') && a !== '-') throw unknownOption('lint', a, LINT_OPTIONS);
        o.paths.push(a);
    }
  }
  if (o.paths.length === 0) throw new CliError('lint: no PATH given (a .py file or a directory)');
  const unknown = unknownRuleCodes({ select: o.select, ignore: o.ignore }, KNOWN_CODES, { select: '--select', ignore: '--ignore', severity: '' });
  if (unknown.length) throw new CliError(unknown.map((u) => describeUnknownCode(u, KNOWN_CODES)).join('\n'));
  return o;
}

/** Expand paths to .py files. Explicitly named paths are always taken, even inside skipped folders. */
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
      } else if (e.endsWith('.py')) add(p);
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
    if (err instanceof ConfigError && err.line !== undefined) throw new CliError(`${file}:${err.line}:${err.column ?? 1}: ${err.detail}`);
    throw new CliError(`${file}: ${(err as Error).message}`);
  }
  const unknown = unknownRuleCodes(cfg, KNOWN_CODES, { select: '[tool.autograd-lens] select', ignore: '[tool.autograd-lens] ignore', severity: '[tool.autograd-lens.severity]' });
  if (unknown.length) {
    throw new CliError(
      unknown
        .map((u) => {
          const at = locateCodeInPyproject(text, u.code);
          return `${file}${at ? `:${at.line}:${at.column}` : ''}: ${describeUnknownCode(u, KNOWN_CODES)}`;
        })
        .join('\n'),
    );
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

interface FileResult {
  file: string;
  diagnostics: Diagnostic[];
}

function displayPath(file: string): string {
  const r = relative(process.cwd(), resolve(file));
  return (r.startsWith('..') ? resolve(file) : r).split(sep).join('/');
}

export async function runLintCommand(args: string[]): Promise<number> {
  const o = parseLintArgs(args);
  const files = collectFiles(o.paths);
  const linter = await createLinter();
  const cliConfig: Partial<LintConfig> = { select: o.select, ignore: o.ignore };
  const fixedConfig = o.config ? loadPyproject(o.config) : undefined;
  if (o.config && !existsSync(o.config)) throw new CliError(`no such file: ${o.config}`);
  const results: FileResult[] = [];
  let fixedTotal = 0;
  for (const file of files) {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
    }
    const py = o.config ? null : findPyproject(file);
    const config = mergeConfig(o.config ? fixedConfig : py ? loadPyproject(py) : undefined, cliConfig);
    let diagnostics = linter.lint(source, { path: file, config });
    if (o.fix && diagnostics.some((d) => d.fixes.some((f) => f.safe))) {
      // Apply, re-lint, repeat while fixes still apply (overlapping fixes wait for the next round).
      let current = source;
      for (let round = 0; round < 5; round++) {
        const { output, applied } = applyFixes(current, diagnostics);
        if (applied === 0 || output === current) break;
        fixedTotal += applied;
        current = output;
        diagnostics = linter.lint(current, { path: file, config });
      }
      if (current !== source) {
        try {
          writeFileSync(file, current, 'utf8');
        } catch (err) {
          throw new CliError(`cannot write ${file}: ${(err as Error).message}`);
        }
      }
    }
    results.push({ file, diagnostics });
  }
  const all = results.flatMap((r) => r.diagnostics);
  if (o.format === 'json') process.stdout.write(`${JSON.stringify(toJson(results), null, 2)}\n`);
  else if (o.format === 'sarif') process.stdout.write(`${JSON.stringify(toSarif(results), null, 2)}\n`);
  else process.stdout.write(toText(results, files.length, o.fix ? fixedTotal : null));
  if (o.fix && o.format !== 'text') process.stderr.write(`fixed ${fixedTotal} problem${fixedTotal === 1 ? '' : 's'}\n`);
  return all.some((d) => d.severity === 'error' || d.severity === 'warning') ? 1 : 0;
}

export function toText(results: FileResult[], fileCount: number, fixed: number | null): string {
  const lines: string[] = [];
  let count = 0;
  for (const r of results) {
    for (const d of r.diagnostics) {
      count++;
      lines.push(`${displayPath(r.file)}:${d.range.start.line + 1}:${d.range.start.column + 1}: ${d.code} ${plainText(d.message)}${d.fixes.some((f) => f.safe) ? ' [*]' : ''}`);
    }
  }
  const fixable = results.reduce((n, r) => n + r.diagnostics.filter((d) => d.fixes.some((f) => f.safe)).length, 0);
  const parts = [`Found ${count} problem${count === 1 ? '' : 's'} in ${fileCount} file${fileCount === 1 ? '' : 's'}.`];
  if (fixed !== null) parts.push(`Fixed ${fixed}.`);
  if (fixable > 0) parts.push(`[*] ${fixable} fixable with --fix.`);
  lines.push(parts.join(' '));
  return `${lines.join('\n')}\n`;
}

export interface JsonDiagnostic {
  file: string;
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
    r.diagnostics.map((d) => ({
      file: displayPath(r.file),
      line: d.range.start.line + 1,
      column: d.range.start.column + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.column + 1,
      code: d.code,
      severity: d.severity,
      message: d.message,
      rule: d.rule,
      fixable: d.fixes.some((f) => f.safe),
    })),
  );
}

const INFO_URI = 'https://github.com/autograd-lens/autograd-lens';

function sarifLevel(s: string): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

export function toSarif(results: FileResult[]): object {
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
  const region = (range: Diagnostic['range']) => ({
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
        columnKind: 'utf16CodeUnits',
        results: results.flatMap((r) =>
          r.diagnostics.map((d) => ({
            ruleId: d.code,
            ruleIndex: index.get(d.code) ?? -1,
            level: sarifLevel(d.severity),
            message: { text: plainText(d.message), markdown: d.message },
            locations: [{ physicalLocation: { artifactLocation: { uri: displayPath(r.file) }, region: region(d.range) } }],
            relatedLocations: d.related.map((rl, i) => ({
              id: i,
              message: { text: plainText(rl.message), markdown: rl.message },
              physicalLocation: { artifactLocation: { uri: displayPath(r.file) }, region: region(rl.range) },
            })),
          })),
        ),
      },
    ],
  };
}
