/**
 * A notebook as one program: the code cells, masked (`mask.ts`), concatenated in cell order, with a
 * map from positions in the program back to (cell, line, column). Pure; no `vscode`, no file system.
 *
 * Each cell starts on a fresh line of the program: a cell whose text does not end with a line break
 * gets one appended (a "separator" that belongs to no cell). A cell that ends open (inside a string or
 * brackets, or after a backslash) would swallow the cells after it when parsed together; its separator
 * starts with the text that closes it (`mask.closer`: the quotes, the brackets), so the cell's syntax
 * error stays in the cell and the cells after it parse as they are. The open cell itself is still part
 * of the program (its imports and definitions count), with the engine's syntax recovery as for a file.
 */
import { maskIPython, type MaskedCell } from './mask';

export interface CellPosition {
  /** 0-based index of the cell among all cells of the notebook. */
  cell: number;
  /** 0-based line and UTF-16 column within the cell's text. */
  line: number;
  column: number;
}

export interface CellRange {
  cell: number;
  start: { line: number; column: number };
  end: { line: number; column: number };
}

/** What the program needs of a cell: its place among all cells, its kind and its text. */
export interface CellInput {
  /** 0-based index among all cells (markdown and raw cells count). */
  index: number;
  kind: 'code' | 'markdown' | 'raw';
  source: string;
}

export interface ProgramCell {
  index: number;
  /** The cell's own text (unmasked). */
  source: string;
  mask: MaskedCell;
  /** Offset of the cell's first character in the unit's text. */
  start: number;
  /** What the program adds after the cell's text (a closer for an open cell, a line break); may be empty. */
  separator: string;
  /** Line starts of the cell's own text (offsets into `source`). */
  lineStarts: number[];
}

/** One text given to the linter and the cells it is made of. */
export interface ProgramUnit {
  text: string;
  cells: ProgramCell[];
  /** Line starts of `text`. */
  lineStarts: number[];
}

export interface NotebookProgram {
  /** The texts given to the linter: one, the notebook's program (kept a list so that a later split stays possible). */
  units: ProgramUnit[];
  /** Indices of the cells that end open and were closed in the program. */
  repaired: number[];
  /** Indices of the code cells skipped whole (a cell magic such as `%%bash`). */
  cellMagics: number[];
}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) starts.push(i + 1);
    else if (ch === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

function endsWithLineBreak(text: string): boolean {
  return text.endsWith('\n') || text.endsWith('\r');
}

function makeUnit(cells: Array<{ index: number; source: string; mask: MaskedCell }>): ProgramUnit {
  const parts: string[] = [];
  const out: ProgramCell[] = [];
  let offset = 0;
  for (const c of cells) {
    const closed = c.source + c.mask.closer;
    let separator = c.mask.closer;
    if (closed.length > 0 && !endsWithLineBreak(closed)) separator += '\n';
    out.push({ index: c.index, source: c.source, mask: c.mask, start: offset, separator, lineStarts: lineStartsOf(c.source) });
    parts.push(c.mask.text, separator);
    offset += c.source.length + separator.length;
  }
  const text = parts.join('');
  return { text, cells: out, lineStarts: lineStartsOf(text) };
}

export function buildProgram(cells: readonly CellInput[]): NotebookProgram {
  const main: Array<{ index: number; source: string; mask: MaskedCell }> = [];
  const repaired: number[] = [];
  const cellMagics: number[] = [];
  for (const c of cells) {
    if (c.kind !== 'code') continue;
    const mask = maskIPython(c.source);
    if (mask.cellMagic) cellMagics.push(c.index);
    if (mask.open) repaired.push(c.index);
    main.push({ index: c.index, source: c.source, mask });
  }
  return { units: [makeUnit(main)], repaired, cellMagics };
}

/** Offset of a 0-based (line, column) in a text with the given line starts, clamped to the text. */
export function offsetOf(lineStarts: readonly number[], length: number, line: number, column: number): number {
  if (line < 0) return 0;
  if (line >= lineStarts.length) return length;
  return Math.min(lineStarts[line] + Math.max(0, column), line + 1 < lineStarts.length ? lineStarts[line + 1] : length);
}

export function positionOf(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: offset - lineStarts[lo] };
}

/**
 * The cell and cell-local offset of a unit offset. At a boundary (the end of one cell is the start of
 * the next), `bias: 'start'` picks the next cell and `'end'` the one before; an offset on a separator
 * maps to the end of its cell.
 */
export function cellOffset(unit: ProgramUnit, offset: number, bias: 'start' | 'end'): { cell: ProgramCell; offset: number } | null {
  const cells = unit.cells;
  if (cells.length === 0) return null;
  let lo = 0;
  let hi = cells.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cells[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  let c = cells[lo];
  if (bias === 'end' && lo > 0 && offset === c.start) {
    c = cells[lo - 1];
    return { cell: c, offset: c.source.length };
  }
  return { cell: c, offset: Math.max(0, Math.min(offset - c.start, c.source.length)) };
}

function cellPos(c: ProgramCell, offset: number): { line: number; column: number } {
  return positionOf(c.lineStarts, offset);
}

/** Maps a unit range to a cell range; the end is clamped to the start's cell. */
export function toCellRange(
  unit: ProgramUnit,
  range: { start: { line: number; column: number }; end: { line: number; column: number } },
): CellRange | null {
  const s = offsetOf(unit.lineStarts, unit.text.length, range.start.line, range.start.column);
  const e = offsetOf(unit.lineStarts, unit.text.length, range.end.line, range.end.column);
  const a = cellOffset(unit, s, 'start');
  if (!a) return null;
  let bOffset = a.cell.source.length;
  if (e >= s) {
    const b = cellOffset(unit, e, e === s ? 'start' : 'end');
    if (b && b.cell === a.cell) bOffset = Math.max(a.offset, b.offset);
  }
  return { cell: a.cell.index, start: cellPos(a.cell, a.offset), end: cellPos(a.cell, bOffset) };
}

/**
 * Maps an edit's range to its cell and cell offsets, or null when it cannot be applied to one cell's
 * text: it spans two cells, or touches masked IPython syntax or the separator line break.
 */
export function toCellEdit(
  unit: ProgramUnit,
  range: { start: { line: number; column: number }; end: { line: number; column: number } },
): { cell: ProgramCell; start: number; end: number } | null {
  const s = offsetOf(unit.lineStarts, unit.text.length, range.start.line, range.start.column);
  const e = offsetOf(unit.lineStarts, unit.text.length, range.end.line, range.end.column);
  if (e < s) return null;
  const a = cellOffset(unit, s, 'start');
  const b = cellOffset(unit, e, e === s ? 'start' : 'end');
  if (!a || !b || a.cell !== b.cell) return null;
  const c = a.cell;
  // An edit reaching into the separator (what the program added) cannot be applied to the cell.
  if (e - c.start > c.source.length) return null;
  if (c.mask.masked.some((m) => a.offset < m.end && m.start < b.offset)) return null;
  return { cell: c, start: a.offset, end: b.offset };
}

/** 1-based program line → (cell index, 1-based line in the cell), for rewriting messages. */
export function cellLineOf(unit: ProgramUnit, line1: number): { cell: number; line: number } | null {
  if (line1 < 1 || line1 > unit.lineStarts.length) return null;
  const at = cellOffset(unit, unit.lineStarts[line1 - 1], 'start');
  if (!at) return null;
  return { cell: at.cell.index, line: cellPos(at.cell, at.offset).line + 1 };
}

/**
 * Rule messages name other places as `line N` of the text they were given. In a notebook that is a
 * line of the concatenated program, which the user never sees: rewrite it as `line M of cell K`
 * (1-based, K counted among all cells). Text between backticks (quoted code) is left alone.
 */
export function rewriteLineReferences(message: string, unit: ProgramUnit): string {
  return message
    .split(/(`[^`]*`)/)
    .map((part) =>
      part.startsWith('`')
        ? part
        : part.replace(/\bline (\d+)\b/g, (whole, n: string) => {
            const at = cellLineOf(unit, Number(n));
            return at ? `line ${at.line} of cell ${at.cell + 1}` : whole;
          }),
    )
    .join('');
}
