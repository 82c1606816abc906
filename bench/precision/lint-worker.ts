/**
 * Worker thread of run.ts: lints one file per message, so that the main thread can stop a lint that
 * takes too long (terminate the worker, start a new one) and go on with the next file.
 *
 *   in:  { id, file, text, fix?, root? }   (a file whose name ends in .ipynb is read as a notebook; `root`: the
 *        repository's folder, whose files the file's imports are read from)
 *   out: { id, ms, syntaxError, ruleErrors, diagnostics: [{ cell?, line, column, code, severity, message, fixable }],
 *          notebook?, fixed? }  (cells, lines and columns 1-based; in a notebook, line and column are
 *          within the cell; `notebook` is { lines } for a notebook linted, { notLinted } for one the CLI
 *          would not lint; with `fix`, `fixed` is the text after the safe fixes, applied as `lint --fix`
 *          does), or { ready: true } once the parser is loaded.
 */
import { parentPort } from 'node:worker_threads';
import { createLinter, DEFAULT_CONFIG, INTERNAL_ERROR_CODE, type Engine, type Linter, type WorkspaceFiles } from '../../src/core/lint/index';
import { diskWorkspace } from '../../src/shared/diskWorkspace';
import { loadPythonParser } from '../../src/core/lint/parser';
import { buildProgram } from '../../src/core/notebook/index';
import { fixNotebook, fixSource, lintNotebook, notebookLintedLines, readNotebook } from './lib';

export interface LintRequest {
  id: number;
  file: string;
  text: string;
  fix?: boolean;
  /**
   * The repository's folder (its files exported there): the file's imports of other files of the repository are
   * read from it, as the CLI does (`file` is relative to it). Absent: the file is linted by itself.
   */
  root?: string;
}

export interface LintDiagnostic {
  /** 1-based cell, for a notebook. */
  cell?: number;
  line: number;
  column: number;
  code: string;
  severity: string;
  message: string;
  fixable: boolean;
  /** 1-based lines of the related locations (a file's diagnostics only; the history run matches on them). */
  related?: number[];
}

export interface LintReply {
  id: number;
  ms: number;
  syntaxError: boolean;
  ruleErrors: { code: string; error: string }[];
  diagnostics: LintDiagnostic[];
  /** Findings in other files of the repository that this file's use of their helpers reveals (`LintRun.revealed`): the CLI reports them in those files. */
  revealed?: (LintDiagnostic & { path: string })[];
  /** For a notebook: its linted code lines, or why the CLI would not lint it. */
  notebook?: { lines: number } | { notLinted: string };
  fixed?: { output: string; applied: number; codes: string[] };
}

type Parser = Awaited<ReturnType<typeof loadPythonParser>>;

/** One reader per repository folder (it keeps what it read): paths relative to the folder, as `file` is. */
let workspace: { root: string; files: WorkspaceFiles } | null = null;
function workspaceAt(root: string): WorkspaceFiles {
  if (workspace?.root !== root) workspace = { root, files: diskWorkspace([root], root, { stable: true }) };
  return workspace.files;
}

export function isNotebookFile(file: string): boolean {
  return /\.ipynb$/i.test(file);
}

/** Lint one file (or notebook) as the CLI would; shared by the worker and the in-process linter. */
export function lintOne(engine: Engine, parser: Parser, req: Omit<LintRequest, 'id'>): Omit<LintReply, 'id' | 'ms'> {
  const opts = { path: req.file, config: DEFAULT_CONFIG, workspace: req.root ? workspaceAt(req.root) : undefined };
  if (!isNotebookFile(req.file)) {
    const syntaxError = parser.parse(req.text).hasError;
    const diags = engine.lint(req.text, opts);
    const reply: Omit<LintReply, 'id' | 'ms'> = {
      syntaxError,
      ruleErrors: [...engine.lastRun.internalErrors],
      // An engine failure (AGL000) is listed with the file's failures, not counted as a warning.
      diagnostics: diags.filter((d) => d.code !== INTERNAL_ERROR_CODE).map((d) => ({
        line: d.range.start.line + 1,
        column: d.range.start.column + 1,
        code: d.code,
        severity: d.severity,
        message: d.message,
        fixable: d.fixes.some((f) => f.safe),
        related: d.related.map((r) => r.range.start.line + 1),
      })),
    };
    const revealed = (engine.lastRun.revealed ?? []).map((r) => ({
      path: r.path,
      line: r.diagnostic.range.start.line + 1,
      column: r.diagnostic.range.start.column + 1,
      code: r.diagnostic.code,
      severity: r.diagnostic.severity,
      message: r.diagnostic.message,
      fixable: false,
    }));
    if (revealed.length > 0) reply.revealed = revealed;
    if (req.fix) reply.fixed = fixSource(engine, req.text, opts);
    return reply;
  }
  const read = readNotebook(req.text, req.file);
  if ('notLinted' in read) return { syntaxError: false, ruleErrors: [], diagnostics: [], notebook: { notLinted: read.notLinted } };
  const nb = read.notebook;
  // The engine's rule errors of every text the notebook layer lints (one program per notebook).
  const ruleErrors: { code: string; error: string }[] = [];
  const collecting: Linter = {
    lint: (source, o) => {
      const d = engine.lint(source, o);
      ruleErrors.push(...engine.lastRun.internalErrors);
      return d;
    },
    lintDocument: (uri, source, o) => engine.lintDocument(uri, source, o),
    forget: (uri) => engine.forget(uri),
    get lastRun() {
      return engine.lastRun;
    },
    locateSyntaxError: (source) => engine.locateSyntaxError(source),
  };
  const syntaxError = buildProgram(nb.cells).units.some((u) => parser.parse(u.text).hasError);
  const diags = lintNotebook(collecting, nb, opts);
  const reply: Omit<LintReply, 'id' | 'ms'> = {
    syntaxError,
    ruleErrors,
    diagnostics: diags.filter((d) => d.code !== INTERNAL_ERROR_CODE).map((d) => ({
      cell: d.cell + 1,
      line: d.range.start.line + 1,
      column: d.range.start.column + 1,
      code: d.code,
      severity: d.severity,
      message: d.message,
      fixable: d.fixes.some((f) => f.safe),
    })),
    notebook: { lines: notebookLintedLines(nb) },
  };
  if (req.fix) reply.fixed = fixNotebook(engine, nb, opts);
  return reply;
}

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('lint-worker.ts runs as a worker thread of run.ts');
  const engine = (await createLinter()) as Engine;
  const parser = await loadPythonParser();
  port.on('message', (req: LintRequest) => {
    const t0 = performance.now();
    const r = lintOne(engine, parser, req);
    port.postMessage({ id: req.id, ms: Math.round(performance.now() - t0), ...r } satisfies LintReply);
  });
  port.postMessage({ ready: true });
}

if (parentPort) void serve();
