/**
 * Linting a notebook as one program and mapping the findings back to cells. Pure; the engine is only
 * called through its public API (`linter.lint` / `linter.lintDocument`), so this layer does not depend
 * on how the engine works inside.
 *
 *   const diags = lintCells(linter, cells, { path, config });    // cells: every cell, in order
 *   const { sources } = applyCellFixes(cells, diags);             // index → fixed source
 *
 * Findings, their related locations and their fixes' edits are located by cell (0-based index among all
 * cells) and line/column within the cell. A fix that cannot be applied to cells as they are (an edit
 * spanning two cells, or touching masked IPython syntax) is dropped: it is never offered half-applied.
 * `# noqa` comments work per line as in files (the engine reads them in the program); a file-level
 * `# autograd-lens: noqa` in any cell applies to the whole notebook.
 */
import { INTERNAL_ERROR_CODE, type Diagnostic, type LintOptions, type Linter } from '../lint/index';
import type { Severity } from '../lint/types';
import { buildProgram, lineStartsOf, offsetOf, rewriteLineReferences, toCellEdit, toCellRange, type CellInput, type CellRange, type ProgramUnit } from './program';

export interface CellTextEdit {
  cell: number;
  range: Omit<CellRange, 'cell'>;
  newText: string;
}

export interface CellFix {
  title: string;
  safe: boolean;
  edits: CellTextEdit[];
}

export interface CellRelatedLocation {
  cell: number;
  range: Omit<CellRange, 'cell'>;
  message: string;
}

/** A finding in a notebook: like the engine's `Diagnostic`, located in a cell. */
export interface CellDiagnostic {
  code: string;
  rule: string;
  severity: Severity;
  /** 0-based index of the cell among all cells of the notebook. */
  cell: number;
  range: Omit<CellRange, 'cell'>;
  message: string;
  related: CellRelatedLocation[];
  fixes: CellFix[];
}

function mapDiagnostic(unit: ProgramUnit, d: Diagnostic): CellDiagnostic | null {
  const at = toCellRange(unit, d.range);
  if (!at) return null;
  const related: CellRelatedLocation[] = [];
  for (const r of d.related) {
    const rr = toCellRange(unit, r.range);
    if (rr) related.push({ cell: rr.cell, range: { start: rr.start, end: rr.end }, message: rewriteLineReferences(r.message, unit) });
  }
  const fixes: CellFix[] = [];
  for (const f of d.fixes) {
    const edits: CellTextEdit[] = [];
    let ok = true;
    for (const e of f.edits) {
      const ce = toCellEdit(unit, e.range);
      if (!ce) {
        ok = false;
        break;
      }
      const r = toCellRange(unit, e.range);
      if (!r || r.cell !== ce.cell.index) {
        ok = false;
        break;
      }
      edits.push({ cell: ce.cell.index, range: { start: r.start, end: r.end }, newText: e.newText });
    }
    if (ok) fixes.push({ title: f.title, safe: f.safe, edits });
  }
  return {
    code: d.code,
    rule: d.rule,
    severity: d.severity,
    cell: at.cell,
    range: { start: at.start, end: at.end },
    message: rewriteLineReferences(d.message, unit),
    related,
    fixes,
  };
}

function compare(a: CellDiagnostic, b: CellDiagnostic): number {
  return (
    a.cell - b.cell ||
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column ||
    a.code.localeCompare(b.code) ||
    a.range.end.line - b.range.end.line ||
    a.range.end.column - b.range.end.column
  );
}

/**
 * An engine failure (AGL000) is never dropped, even when line 1 of the program is not a cell's text:
 * it goes on the unit's first cell, line 1, so a notebook the linter failed on never looks clean.
 */
function internalErrorInCell(unit: ProgramUnit, d: Diagnostic): CellDiagnostic {
  const zero = { line: 0, column: 0 };
  return { code: d.code, rule: d.rule, severity: d.severity, cell: unit.cells[0].index, range: { start: zero, end: zero }, message: d.message, related: [], fixes: [] };
}

export interface LintCellsOptions extends LintOptions {
  /**
   * A key for the notebook when it is an editor document that changes: the program is then linted with
   * `linter.lintDocument(documentKey, ...)` (incremental parse). Forget it with `linter.forget(documentKey)`.
   */
  documentKey?: string;
}

/** Lints the code cells of a notebook together, in order, and returns the findings located in cells. */
export function lintCells(linter: Linter, cells: readonly CellInput[], opts: LintCellsOptions = {}): CellDiagnostic[] {
  const program = buildProgram(cells);
  // A notebook's imports of the workspace's files (`from models import Net` beside the notebook) too.
  const lintOpts: LintOptions = { path: opts.path, config: opts.config, workspace: opts.workspace };
  const out: CellDiagnostic[] = [];
  program.units.forEach((unit, i) => {
    if (unit.cells.length === 0) return;
    const diags = i === 0 && opts.documentKey !== undefined ? linter.lintDocument(opts.documentKey, unit.text, lintOpts) : linter.lint(unit.text, lintOpts);
    for (const d of diags) {
      const m = mapDiagnostic(unit, d) ?? (d.code === INTERNAL_ERROR_CODE ? internalErrorInCell(unit, d) : null);
      if (m) out.push(m);
    }
  });
  return out.sort(compare);
}

/**
 * Applies fixes to cell sources, as `applyFixes` does to a file: each diagnostic's first fix that
 * qualifies (safe, or any with `unsafe`); a fix whose edits overlap an accepted edit waits for a later
 * round. Returns the new source of every cell that changed.
 */
export function applyCellFixes(
  cells: readonly CellInput[],
  diagnostics: readonly CellDiagnostic[],
  opts: { unsafe?: boolean } = {},
): { sources: Map<number, string>; applied: number } {
  type Span = { cell: number; start: number; end: number; text: string };
  const byIndex = new Map(cells.map((c) => [c.index, c]));
  const starts = new Map<number, number[]>();
  const lineStarts = (cell: number): number[] => {
    let s = starts.get(cell);
    if (!s) {
      s = lineStartsOf(byIndex.get(cell)?.source ?? '');
      starts.set(cell, s);
    }
    return s;
  };
  const overlaps = (a: Span, b: Span): boolean =>
    a.cell === b.cell && ((a.start < b.end && b.start < a.end) || (a.start === a.end && b.start === b.end && a.start === b.start));
  const accepted: Span[] = [];
  let applied = 0;
  for (const d of diagnostics) {
    const fix = d.fixes.find((f) => f.safe || opts.unsafe === true);
    if (!fix) continue;
    const spans: Span[] = [];
    let ok = true;
    for (const e of fix.edits) {
      const cell = byIndex.get(e.cell);
      if (!cell) {
        ok = false;
        break;
      }
      const ls = lineStarts(e.cell);
      spans.push({
        cell: e.cell,
        start: offsetOf(ls, cell.source.length, e.range.start.line, e.range.start.column),
        end: offsetOf(ls, cell.source.length, e.range.end.line, e.range.end.column),
        text: e.newText,
      });
    }
    if (!ok || spans.some((s) => s.end < s.start)) continue;
    if (spans.some((s, i) => spans.some((t, j) => i !== j && overlaps(s, t)))) continue;
    if (spans.some((s) => accepted.some((a) => overlaps(s, a)))) continue;
    accepted.push(...spans);
    applied++;
  }
  const sources = new Map<number, string>();
  accepted.sort((a, b) => a.cell - b.cell || b.start - a.start || b.end - a.end);
  for (const s of accepted) {
    const before = sources.get(s.cell) ?? (byIndex.get(s.cell) as CellInput).source;
    sources.set(s.cell, before.slice(0, s.start) + s.text + before.slice(s.end));
  }
  return { sources, applied };
}

/**
 * Lint, apply safe fixes, lint again, up to `rounds` times (overlapping fixes wait for the next round),
 * as `autograd-lens lint --fix` does for files. Returns the final cells, the findings that remain, and
 * how many fixes were applied.
 */
export function fixCells(
  linter: Linter,
  cells: readonly CellInput[],
  opts: LintOptions = {},
  rounds = 5,
): { cells: CellInput[]; diagnostics: CellDiagnostic[]; applied: number } {
  let current = cells.map((c) => ({ ...c }));
  let diagnostics = lintCells(linter, current, opts);
  let applied = 0;
  for (let round = 0; round < rounds; round++) {
    if (!diagnostics.some((d) => d.fixes.some((f) => f.safe))) break;
    const r = applyCellFixes(current, diagnostics);
    if (r.applied === 0 || r.sources.size === 0) break;
    applied += r.applied;
    current = current.map((c) => (r.sources.has(c.index) ? { ...c, source: r.sources.get(c.index) as string } : c));
    diagnostics = lintCells(linter, current, opts);
  }
  return { cells: current, diagnostics, applied };
}
