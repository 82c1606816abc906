/**
 * Worker thread of run.ts: lints one file per message, so that the main thread can stop a lint that
 * takes too long (terminate the worker, start a new one) and go on with the next file.
 *
 *   in:  { id, file, text, fix? }
 *   out: { id, ms, syntaxError, ruleErrors, diagnostics: [{ line, column, code, severity, message, fixable }],
 *          fixed? }  (lines and columns 1-based; with `fix`, `fixed` is the text after the safe fixes,
 *          applied as `lint --fix` does), or { ready: true } once the parser is loaded.
 */
import { parentPort } from 'node:worker_threads';
import { createLinter, DEFAULT_CONFIG, type Engine } from '../../src/core/lint/index';
import { loadPythonParser } from '../../src/core/lint/parser';
import { fixSource } from './lib';

export interface LintRequest {
  id: number;
  file: string;
  text: string;
  fix?: boolean;
}

export interface LintReply {
  id: number;
  ms: number;
  syntaxError: boolean;
  ruleErrors: { code: string; error: string }[];
  diagnostics: { line: number; column: number; code: string; severity: string; message: string; fixable: boolean }[];
  fixed?: { output: string; applied: number; codes: string[] };
}

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('lint-worker.ts runs as a worker thread of run.ts');
  const engine = (await createLinter()) as Engine;
  const parser = await loadPythonParser();
  port.on('message', (req: LintRequest) => {
    const t0 = performance.now();
    const syntaxError = parser.parse(req.text).hasError;
    const diags = engine.lint(req.text, { path: req.file, config: DEFAULT_CONFIG });
    const reply: LintReply = {
      id: req.id,
      ms: Math.round(performance.now() - t0),
      syntaxError,
      ruleErrors: [...(engine.lastRuleErrors ?? [])],
      diagnostics: diags.map((d) => ({
        line: d.range.start.line + 1,
        column: d.range.start.column + 1,
        code: d.code,
        severity: d.severity,
        message: d.message,
        fixable: d.fixes.some((f) => f.safe),
      })),
    };
    if (req.fix) reply.fixed = fixSource(engine, req.text, { path: req.file, config: DEFAULT_CONFIG });
    reply.ms = Math.round(performance.now() - t0);
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
}

void serve();
