/** A numeric table read from a CSV/TSV file: every column parsed to float64, all of equal length. */
export interface Dataset {
  /** Path (or name) of the source, used in messages. */
  source: string;
  /** Column names in file order. */
  columns: string[];
  rowCount: number;
  /** Only the columns that were asked for are kept in memory. */
  data: Record<string, Float64Array>;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
  /** The 1-based row in the file (header = its row, blank lines counted) of data row `index` (0-based). */
  rowOf?(index: number): number;
}
