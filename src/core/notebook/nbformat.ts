/**
 * Reading and writing Jupyter notebooks (nbformat 4 JSON) without disturbing them. Pure; no `vscode`,
 * no file system: text in, text out.
 *
 * The JSON is parsed with `jsonc-parser` (the parser VS Code uses for its JSON files), which keeps the
 * offset of every value. Writing replaces only the `source` values of the cells that changed, in the
 * text as it was: outputs, metadata, cell ids, key order, indentation, line endings and the trailing
 * newline stay byte for byte. A rewritten `source` keeps the form it had (a list of lines or one
 * string), its layout (taken from the list's own whitespace), the file's escaping of non-ASCII
 * characters, and the exact JSON text of each line that did not change.
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { lineStartsOf, positionOf, type CellInput } from './program';

export class NotebookError extends Error {}

export interface NotebookCellJson extends CellInput {
  /** `cell_type` as written (code, markdown, raw; anything else is kept as `raw`). */
  cellType: string;
  /** The cell's `id` (nbformat 4.5+), when it has one. */
  id: string | null;
  /** The JSON node of the `source` value. */
  sourceNode: Node;
}

export interface ParsedNotebook {
  /** The file's text as read (a byte-order mark, if any, included). */
  text: string;
  cells: NotebookCellJson[];
  /** Kernel language from the metadata (`kernelspec.language`, `language_info.name`), lower case; null when absent. */
  language: string | null;
  nbformat: number;
  nbformatMinor: number | null;
}

/** Offset of the JSON text in the file: 1 when it starts with a byte-order mark. */
function bomLength(text: string): number {
  return text.charCodeAt(0) === 0xfeff ? 1 : 0;
}

function describeOffset(text: string, offset: number): string {
  const p = positionOf(lineStartsOf(text), offset);
  return `line ${p.line + 1}, column ${p.column + 1}`;
}

/** Shifts every offset of a parsed tree (jsonc-parser nodes are plain objects). */
function shift(node: Node, by: number): void {
  if (by === 0) return;
  (node as { offset: number }).offset += by;
  if (node.colonOffset !== undefined) (node as { colonOffset: number }).colonOffset += by;
  for (const c of node.children ?? []) shift(c, by);
}

function stringValue(node: Node | undefined): string | null {
  return node && node.type === 'string' ? (node.value as string) : null;
}

/**
 * Parses a notebook. Throws `NotebookError` with a message that names `name` when the text is not JSON,
 * not an nbformat 4 notebook, or has no `cells` list or a malformed cell.
 */
export function parseNotebook(text: string, name: string): ParsedNotebook {
  const bom = bomLength(text);
  const json = text.slice(bom);
  const errors: ParseError[] = [];
  const root = parseTree(json, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || !root) {
    const e = errors[0];
    const where = e ? ` (${printParseErrorCode(e.error)} at ${describeOffset(text, e.offset + bom)})` : '';
    throw new NotebookError(`${name}: not a notebook: the file is not valid JSON${where}`);
  }
  shift(root, bom);
  if (root.type !== 'object') throw new NotebookError(`${name}: not a notebook: the JSON is not an object`);
  const nbformatNode = findNodeAtLocation(root, ['nbformat']);
  const nbformat = nbformatNode?.type === 'number' ? (nbformatNode.value as number) : null;
  if (nbformat === null) throw new NotebookError(`${name}: not a notebook: no "nbformat" number`);
  if (nbformat !== 4) throw new NotebookError(`${name}: nbformat ${nbformat} is not supported (only nbformat 4; \`jupyter nbconvert --to notebook --nbformat 4\` converts it)`);
  const minorNode = findNodeAtLocation(root, ['nbformat_minor']);
  const cellsNode = findNodeAtLocation(root, ['cells']);
  if (!cellsNode) throw new NotebookError(`${name}: not a notebook: no "cells" list`);
  if (cellsNode.type !== 'array') throw new NotebookError(`${name}: not a notebook: "cells" is not a list`);
  const cells: NotebookCellJson[] = [];
  (cellsNode.children ?? []).forEach((cellNode, index) => {
    const where = `${name}: cell ${index + 1}`;
    if (cellNode.type !== 'object') throw new NotebookError(`${where} is not a JSON object`);
    const cellType = stringValue(findNodeAtLocation(cellNode, ['cell_type']));
    if (cellType === null) throw new NotebookError(`${where} has no "cell_type"`);
    const sourceNode = findNodeAtLocation(cellNode, ['source']);
    if (!sourceNode) throw new NotebookError(`${where} has no "source"`);
    let source: string;
    if (sourceNode.type === 'string') source = sourceNode.value as string;
    else if (sourceNode.type === 'array' && (sourceNode.children ?? []).every((c) => c.type === 'string')) {
      source = (sourceNode.children ?? []).map((c) => c.value as string).join('');
    } else throw new NotebookError(`${where}: "source" is neither a string nor a list of strings`);
    const kind = cellType === 'code' ? 'code' : cellType === 'markdown' ? 'markdown' : 'raw';
    cells.push({ index, kind, cellType, source, id: stringValue(findNodeAtLocation(cellNode, ['id'])), sourceNode });
  });
  const language =
    stringValue(findNodeAtLocation(root, ['metadata', 'kernelspec', 'language'])) ?? stringValue(findNodeAtLocation(root, ['metadata', 'language_info', 'name']));
  return {
    text,
    cells,
    language: language === null ? null : language.toLowerCase(),
    nbformat,
    nbformatMinor: minorNode?.type === 'number' ? (minorNode.value as number) : null,
  };
}

/** Whether the notebook is a Python one (no language in the metadata counts as Python). */
export function isPythonNotebook(nb: ParsedNotebook): boolean {
  return nb.language === null || nb.language === 'python' || nb.language.startsWith('python');
}

// --- positions in the file ----------------------------------------------------------------------

/**
 * The file offset of a character of a JSON string value. `token` is the string node (its text starts
 * with the opening quote); `index` counts UTF-16 units of the decoded value (`index` = length gives
 * the closing quote).
 */
export function rawOffsetInString(text: string, token: Node, index: number): number {
  let raw = token.offset + 1;
  const end = token.offset + token.length - 1;
  for (let decoded = 0; decoded < index && raw < end; decoded++) {
    if (text[raw] === '\\') raw += text[raw + 1] === 'u' ? 6 : 2;
    else raw += 1;
  }
  return raw;
}

/**
 * Where a (line, column) of a cell's source is in the notebook file: 0-based line and UTF-16 column of
 * the file's text. A finding in a notebook can be shown there by tools that only know files (code
 * scanning shows the file's line).
 */
export function filePosition(nb: ParsedNotebook, cellIndex: number, line: number, column: number): { line: number; column: number } {
  const cell = nb.cells[cellIndex];
  const starts = lineStartsOf(cell.source);
  const offset = Math.min((starts[Math.min(line, starts.length - 1)] ?? 0) + column, cell.source.length);
  const node = cell.sourceNode;
  const parts = node.type === 'string' ? [node] : (node.children ?? []);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const len = (parts[i].value as string).length;
    if (offset < at + len || i === parts.length - 1) {
      return positionOf(lineStartsOf(nb.text), rawOffsetInString(nb.text, parts[i], offset - at));
    }
    at += len;
  }
  return positionOf(lineStartsOf(nb.text), node.offset);
}

// --- writing ------------------------------------------------------------------------------------

/** Splits a source into nbformat lines: each keeps its line break, the last may have none. */
export function sourceLines(source: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\n') {
      lines.push(source.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < source.length) lines.push(source.slice(start));
  return lines;
}

/** JSON string literal; with `ascii`, non-ASCII characters are written as `\uXXXX` (Python's ensure_ascii). */
function jsonString(value: string, ascii: boolean): string {
  const s = JSON.stringify(value);
  return ascii ? s.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : s;
}

/** Whether the file writes non-ASCII characters as escapes (and never raw). */
function escapesNonAscii(text: string): boolean {
  return /\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})/.test(text) && !/[\u0080-\uffff]/.test(text.slice(bomLength(text)));
}

function lineIndent(text: string, offset: number): string {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  let e = s;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return text.slice(s, e);
}

function serializeSource(text: string, node: Node, source: string, ascii: boolean): string {
  if (node.type === 'string') return jsonString(source, ascii);
  const children = node.children ?? [];
  const lines = sourceLines(source);
  if (lines.length === 0) return '[]';
  // The JSON text of every old line, so an unchanged line keeps its exact escaping.
  const rawOf = new Map<string, string>();
  for (const c of children) rawOf.set(c.value as string, text.slice(c.offset, c.offset + c.length));
  const items = lines.map((l) => rawOf.get(l) ?? jsonString(l, ascii));
  let open: string;
  let sep: string;
  let close: string;
  if (children.length > 0) {
    const first = children[0];
    const last = children[children.length - 1];
    open = text.slice(node.offset + 1, first.offset);
    close = text.slice(last.offset + last.length, node.offset + node.length - 1);
    sep = children.length > 1 ? text.slice(first.offset + first.length, children[1].offset) : `,${open}`;
  } else {
    // `"source": []`: lay the list out as the file lays out its other lists.
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const keyIndent = lineIndent(text, node.offset);
    const unit = /\n([ \t]+)"/.exec(text)?.[1] ?? ' ';
    open = `${eol}${keyIndent}${unit}`;
    close = `${eol}${keyIndent}`;
    sep = `,${open}`;
  }
  return `[${open}${items.join(sep)}${close}]`;
}

/**
 * The notebook's text with the `source` of the given cells (index → new source) replaced and nothing
 * else touched. Cells whose new source equals the old one are left as they are.
 */
export function replaceCellSources(nb: ParsedNotebook, sources: ReadonlyMap<number, string>): string {
  const ascii = escapesNonAscii(nb.text);
  const edits = [...sources.entries()]
    .filter(([i, s]) => nb.cells[i] && nb.cells[i].source !== s)
    .map(([i, s]) => ({ node: nb.cells[i].sourceNode, text: serializeSource(nb.text, nb.cells[i].sourceNode, s, ascii) }))
    .sort((a, b) => b.node.offset - a.node.offset);
  let out = nb.text;
  for (const e of edits) out = out.slice(0, e.node.offset) + e.text + out.slice(e.node.offset + e.node.length);
  return out;
}
