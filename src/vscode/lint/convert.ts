/** Conversions between the core's lint types and VS Code's. */
import * as vscode from 'vscode';
import type { Diagnostic as CoreDiagnostic, Range as CoreRange, Severity } from '../../core/lint/types';
import type { CellDiagnostic } from '../../core/notebook';
import { plainText } from '../../shared/format';

export const DIAGNOSTIC_SOURCE = 'autograd-lens';
export const SHOW_RULE_DOCS_COMMAND = 'autogradLens.lint.showRuleDocs';

export function toVsRange(r: CoreRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.column, r.end.line, r.end.column);
}

export function toVsSeverity(s: Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
  }
}

export const DOCS_SCHEME = 'autograd-lens-docs';

/**
 * The rule's documentation as a virtual Markdown document (`autograd-lens-docs:/AGL001.md`, served by
 * `RuleDocsProvider`); the diagnostic code links to it. Not a `command:` URI: the editor's problem hover
 * and Problems panel open code links without `allowCommands`, so a command link would do nothing there,
 * while any other scheme opens in an editor.
 */
export function ruleDocsUri(code: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOCS_SCHEME, path: `/${code.toUpperCase()}.md` });
}

export function toVsDiagnostic(d: CoreDiagnostic, uri: vscode.Uri): vscode.Diagnostic {
  // Diagnostics are plain text in VS Code: the rules' `code` spans become 'code'.
  const out = new vscode.Diagnostic(toVsRange(d.range), plainText(d.message), toVsSeverity(d.severity));
  out.source = DIAGNOSTIC_SOURCE;
  out.code = { value: d.code, target: ruleDocsUri(d.code) };
  if (d.related.length > 0) {
    out.relatedInformation = d.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toVsRange(r.range)), plainText(r.message)));
  }
  return out;
}

/**
 * A notebook finding on its cell's document. `cellUris[i]` is the document URI of cell `i` (all cells),
 * so a related location in another cell points at that cell.
 */
export function toVsCellDiagnostic(d: CellDiagnostic, cellUris: readonly vscode.Uri[]): vscode.Diagnostic {
  const out = new vscode.Diagnostic(toVsRange(d.range), plainText(d.message), toVsSeverity(d.severity));
  out.source = DIAGNOSTIC_SOURCE;
  out.code = { value: d.code, target: ruleDocsUri(d.code) };
  const related = d.related.filter((r) => cellUris[r.cell] !== undefined);
  if (related.length > 0) {
    out.relatedInformation = related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(cellUris[r.cell], toVsRange(r.range)), plainText(r.message)));
  }
  return out;
}

/** The code string of one of our diagnostics, or undefined for other sources'. */
export function codeOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const c = d.code;
  if (typeof c === 'string' || typeof c === 'number') return String(c);
  if (c && typeof c === 'object') return String(c.value);
  return undefined;
}

/** Whether a VS Code diagnostic is the rendering of a core diagnostic (same code and range). */
export function sameDiagnostic(vs: vscode.Diagnostic, core: Pick<CoreDiagnostic, 'code' | 'range'>): boolean {
  return codeOf(vs) === core.code && vs.range.isEqual(toVsRange(core.range));
}
