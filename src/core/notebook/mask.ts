/**
 * Masking IPython syntax in a notebook cell so that the Python parser sees valid code at the same
 * positions. Pure; no `vscode`, no file system.
 *
 * What IPython accepts in a cell and Python does not:
 *   %magic args          line magics (also %%magic on a cell's first line: a cell magic)
 *   !shell command       shell escapes (and !!cmd)
 *   x = !cmd, x = %magic the same on the right of an assignment
 *   obj?  obj??  ?obj    help
 *   /f x   ,f a b   ;f a b   autocall escapes
 * `get_ipython()` calls are plain Python and are left alone.
 *
 * Each escaped part is replaced by `0` followed by spaces, so the text keeps its length and every line
 * break stays where it was: positions in the masked text are positions in the cell. `0` is an
 * expression statement, so an escape that is the only statement of an indented block keeps the block
 * valid. A line magic continued with a trailing backslash masks its continuation lines too.
 *
 * Escapes are recognised only where a new logical line starts: not inside a string (a `%` line in a
 * triple-quoted string is data), not inside brackets, not after a backslash continuation. A cell magic
 * (`%%bash`, `%%writefile`, ...) makes the whole cell non-Python: every character but line breaks becomes
 * a space. The cell magics whose body is Python (`%%time`, `%%timeit`, `%%capture`, `%%prun`) mask only
 * their first line.
 *
 * The scan also reports whether the cell ends open (inside a string or brackets, or after a trailing
 * backslash), and the text that closes it (`closer`): such a cell would swallow the cells after it when
 * they are parsed together, so the program puts the closer after it (`program.ts`).
 */

export interface MaskedRange {
  /** UTF-16 offsets into the cell's text. */
  start: number;
  end: number;
}

export interface MaskedCell {
  /** The cell's text with IPython syntax replaced; same length and same line breaks as the input. */
  text: string;
  /** The replaced parts (an edit touching one of them cannot be mapped back faithfully). */
  masked: MaskedRange[];
  /** `%%name` when the cell starts with a cell magic whose body is not Python; the cell is all blank. */
  cellMagic: string | null;
  /** The cell ends inside a string, inside brackets or after a backslash continuation. */
  open: boolean;
  /**
   * What ends the open constructs at the end of the cell: the string's closing quotes, then the closing
   * brackets innermost first, then a line break after a backslash continuation. Empty when not open.
   */
  closer: string;
}

/** Cell magics whose body is Python code (IPython runs it): only their first line is masked. */
export const PYTHON_CELL_MAGICS: ReadonlySet<string> = new Set(['time', 'timeit', 'capture', 'prun']);

const ESCAPE_START = /^[%!?/,;]/;
/** `name = !cmd`, `a, b = %magic`: the escape starts after the `=`. */
const ESCAPE_ASSIGN = /^[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*(?=[!%])/;

interface LexState {
  /** Closing delimiter of the string we are in (`'`, `"`, `'''`, `"""`), or null. */
  quote: string | null;
  /** The closing brackets expected, innermost last. */
  brackets: string[];
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

interface Line {
  start: number;
  /** End of the line's content (before its line break). */
  end: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */ || ch === 13 /* \r */) {
      lines.push({ start, end: i });
      if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  lines.push({ start, end: text.length });
  return lines;
}

/** Advances the lexer over one line's content; returns the end of its code part (before a comment and trailing blanks). */
function lexLine(text: string, line: Line, st: LexState): { codeEnd: number } {
  let i = line.start;
  let codeEnd = line.start;
  while (i < line.end) {
    const ch = text[i];
    if (st.quote) {
      if (ch === '\\') {
        i += 2;
        codeEnd = Math.min(i, line.end);
        continue;
      }
      if (text.startsWith(st.quote, i)) {
        i += st.quote.length;
        st.quote = null;
        codeEnd = i;
        continue;
      }
      i++;
      codeEnd = i;
      continue;
    }
    if (ch === '#') break;
    if (ch === '"' || ch === "'") {
      const triple = ch.repeat(3);
      st.quote = text.startsWith(triple, i) ? triple : ch;
      i += st.quote.length;
      codeEnd = i;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') st.brackets.push(CLOSING[ch]);
    else if (ch === ')' || ch === ']' || ch === '}') st.brackets.pop();
    if (!isBlank(text.charCodeAt(i))) codeEnd = i + 1;
    i++;
  }
  // A single-quoted string cannot span lines (without a backslash, which the loop skipped over).
  if (st.quote && st.quote.length === 1 && !(codeEnd === line.end && text[line.end - 1] === '\\')) st.quote = null;
  return { codeEnd };
}

function endsWithBackslash(text: string, line: Line, codeEnd: number): boolean {
  return codeEnd > line.start && codeEnd === trimEnd(text, line) && text[codeEnd - 1] === '\\';
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 12; // space, tab, form feed
}

function trimEnd(text: string, line: Line): number {
  let e = line.end;
  while (e > line.start && isBlank(text.charCodeAt(e - 1))) e--;
  return e;
}

function firstNonBlank(text: string, line: Line): number {
  let i = line.start;
  while (i < line.end && isBlank(text.charCodeAt(i))) i++;
  return i;
}

export function maskIPython(source: string): MaskedCell {
  const lines = splitLines(source);
  let out: string[] | null = null; // made on the first masked character (most cells have none)
  const masked: MaskedRange[] = [];
  const blank = (start: number, end: number, zero: boolean): void => {
    if (end <= start) return;
    out ??= source.split('');
    for (let i = start; i < end; i++) out[i] = ' ';
    if (zero) out[start] = '0';
    const last = masked[masked.length - 1];
    if (last && last.end === start) last.end = end;
    else masked.push({ start, end });
  };

  // A cell magic on the first non-blank line (IPython drops leading blank lines before looking).
  let first = 0;
  while (first < lines.length - 1 && firstNonBlank(source, lines[first]) === lines[first].end) first++;
  const head = lines[first];
  const cellMagic = /^%%([\w.-]+)/.exec(source.slice(firstNonBlank(source, head), head.end));
  let from = 0;
  if (cellMagic && firstNonBlank(source, head) === head.start) {
    if (!PYTHON_CELL_MAGICS.has(cellMagic[1])) {
      for (const l of lines) blank(l.start, l.end, false);
      // Masked ranges cover the line breaks in between too: the whole cell is not Python.
      if (masked.length > 0) masked.splice(0, masked.length, { start: 0, end: source.length });
      return { text: out ? out.join('') : source, masked, cellMagic: `%%${cellMagic[1]}`, open: false, closer: '' };
    }
    blank(head.start, head.end, true);
    from = first + 1;
  }

  const st: LexState = { quote: null, brackets: [] };
  let continued = false;
  let inEscape = false;
  let nextQuestion = source.indexOf('?'); // the next `?` at or after the current line (-1: none left)
  for (let n = from; n < lines.length; n++) {
    const line = lines[n];
    // After a final line break there is no line: the cell's end must not reset a continuation.
    if (n === lines.length - 1 && n > 0 && line.start === line.end) break;
    if (inEscape) {
      // Continuation of a masked line magic (`%cmd \`).
      const cont = trimEnd(source, line) > line.start && source[trimEnd(source, line) - 1] === '\\';
      blank(line.start, line.end, false);
      inEscape = cont;
      continue;
    }
    const atStatement = st.quote === null && st.brackets.length === 0 && !continued;
    if (atStatement) {
      const lead = firstNonBlank(source, line);
      const rest = source.slice(lead, line.end);
      let escapeAt = -1;
      if (ESCAPE_START.test(rest)) escapeAt = lead;
      else if (rest.includes('=') && (rest.includes('!') || rest.includes('%'))) {
        const assign = ESCAPE_ASSIGN.exec(rest);
        if (assign) escapeAt = lead + assign[0].length;
      }
      if (nextQuestion >= 0 && nextQuestion < lead) nextQuestion = source.indexOf('?', lead);
      if (escapeAt < 0 && nextQuestion >= 0 && nextQuestion < line.end) {
        // `obj?` / `obj.attr??`: help, when the code part of the line ends with a question mark.
        const probe: LexState = { quote: null, brackets: [] };
        const { codeEnd } = lexLine(source, line, probe);
        if (probe.quote === null && codeEnd > lead && source[codeEnd - 1] === '?') escapeAt = lead;
      }
      if (escapeAt >= 0) {
        const end = trimEnd(source, line);
        inEscape = end > escapeAt && source[end - 1] === '\\';
        blank(escapeAt, line.end, true);
        continue;
      }
    }
    const { codeEnd } = lexLine(source, line, st);
    continued = st.quote === null && endsWithBackslash(source, line, codeEnd);
  }
  const closer = `${st.quote ?? ''}${[...st.brackets].reverse().join('')}${continued ? '\n' : ''}`;
  return { text: out ? (out as string[]).join('') : source, masked, cellMagic: null, open: closer !== '', closer };
}
