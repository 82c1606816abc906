/**
 * Jupyter notebooks for the linter, kept apart from the engine: read nbformat 4 JSON, mask IPython
 * syntax, lint the code cells as one program, map findings and fixes back to cells, write the JSON back
 * with only the edited `source` values changed. Pure: no `vscode`, no file system.
 */
export { maskIPython, PYTHON_CELL_MAGICS, type MaskedCell, type MaskedRange } from './mask';
export {
  buildProgram,
  lineStartsOf,
  positionOf,
  offsetOf,
  rewriteLineReferences,
  type CellInput,
  type CellPosition,
  type CellRange,
  type NotebookProgram,
  type ProgramUnit,
} from './program';
export {
  NotebookError,
  parseNotebook,
  isPythonNotebook,
  filePosition,
  replaceCellSources,
  sourceLines,
  type NotebookCellJson,
  type ParsedNotebook,
} from './nbformat';
export { lintCells, applyCellFixes, fixCells, type CellDiagnostic, type CellFix, type CellTextEdit, type CellRelatedLocation, type LintCellsOptions } from './lint';
