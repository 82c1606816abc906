/**
 * The one error type of the data layer. `row` is 1-based as an editor shows it (the header is row 1,
 * the first data row is row 2); `column` is the column's header name. Both are absent when the problem
 * is about the file as a whole.
 */
export class DataError extends Error {
  readonly file: string;
  readonly row: number | undefined;
  readonly column: string | undefined;

  constructor(file: string, message: string, where: { row?: number; column?: string } = {}) {
    const loc = [where.row !== undefined ? `row ${where.row}` : null, where.column !== undefined ? `column '${where.column}'` : null]
      .filter(Boolean)
      .join(', ');
    super(`${file}${loc ? ` (${loc})` : ''}: ${message}`);
    this.name = 'DataError';
    this.file = file;
    this.row = where.row;
    this.column = where.column;
  }
}

/** Levenshtein distance, case-insensitive; used to suggest close column names. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length];
}

/**
 * Names in `candidates` close to `name`: equal ignoring case and punctuation if any is, else edit
 * distance ≤ max(1, ⌊len/3⌋) and less than the name's length (so a one-letter name is never "close" to
 * another letter: 'x' and 'u' share nothing).
 */
export function closeNames(name: string, candidates: string[]): string[] {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const limit = Math.max(1, Math.floor(name.length / 3));
  const same = candidates.filter((c) => norm(c) === norm(name));
  if (same.length) return same;
  return candidates
    .map((c) => ({ c, d: editDistance(name, c) }))
    .filter(({ d }) => d <= limit && d < name.length)
    .sort((p, q) => p.d - q.d)
    .map(({ c }) => c);
}
