/**
 * Line breaks as Python counts them. CPython reads source with universal newlines: `\n`, `\r\n` and a
 * lone `\r` each end a line (a file saved with old-Mac line endings compiles, and a stray `\r` starts a
 * new line). tree-sitter and the engine's line tables count only `\n`. Replacing each lone `\r` by `\n`
 * makes them agree with Python and keeps every offset (one UTF-16 code unit for one), so positions and
 * fix edits computed on the normalized text apply unchanged to the original text.
 */

/** The text with every lone `\r` (not followed by `\n`) replaced by `\n`; the same string when there is none. */
export function normalizeNewlines(source: string): string {
  return source.indexOf('\r') === -1 ? source : source.replace(/\r(?!\n)/g, '\n');
}

/** The file's line-break style: its first line break (`\n` for a file without one). */
export function lineBreakOf(source: string): '\n' | '\r\n' | '\r' {
  const i = source.search(/[\r\n]/);
  if (i === -1 || source[i] === '\n') return '\n';
  return source[i + 1] === '\n' ? '\r\n' : '\r';
}

/** Text inserted into a file whose style is `eol`: each line break written the file's way. */
export function withLineBreaks(text: string, eol: '\n' | '\r\n' | '\r'): string {
  return /[\r\n]/.test(text) ? text.replace(/\r\n|\r|\n/g, eol) : text;
}
