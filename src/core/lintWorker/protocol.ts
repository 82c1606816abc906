/**
 * Messages between the editor's lint client (client.ts, on the extension host's thread) and the lint
 * worker thread (worker.ts, bundled to dist/lintWorker.js). Everything is plain data (structured clone).
 */
import type { RevealedDiagnostic } from '../lint/index';
import type { Diagnostic, LintConfig } from '../lint/types';
import type { CellDiagnostic, CellInput } from '../notebook/index';

export interface LintWorkerData {
  kind: 'autograd-lens-lint-worker';
  /** Folder of tree-sitter.wasm and tree-sitter-python.wasm (dist/wasm). */
  wasmDir?: string;
  /** Tests only: the worker exits hard (as a crash would) when a text to lint contains this string. */
  crashMarker?: string;
}

export interface LintRequestOptions {
  path?: string;
  config?: LintConfig;
  /** Folders whose Python files the linted file's imports are read from (the editor's workspace folders). */
  workspaceRoots?: string[];
}

/** Host → worker. `id` pairs a request with its reply. */
export type LintWorkerRequest =
  | { op: 'lint'; id: number; text: string; opts: LintRequestOptions }
  | { op: 'lintDocument'; id: number; key: string; text: string; opts: LintRequestOptions }
  | { op: 'lintCells'; id: number; cells: CellInput[]; opts: LintRequestOptions & { documentKey?: string } }
  | { op: 'forget'; key: string };

/** What the engine reported beyond the diagnostics (`Linter.lastRun.internalErrors`). */
export interface InternalError {
  code: string;
  error: string;
}

/** Worker → host. */
export type LintWorkerReply =
  | { type: 'ready'; ms: number }
  | { type: 'init-failed'; message: string }
  | { type: 'lint'; id: number; diagnostics: Diagnostic[]; internalErrors: InternalError[]; revealed: RevealedDiagnostic[]; ms: number }
  | { type: 'cells'; id: number; diagnostics: CellDiagnostic[]; ms: number }
  | { type: 'failed'; id: number; message: string };
