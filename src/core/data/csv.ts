/**
 * Streaming CSV/TSV reader. The file is read chunk by chunk; papaparse parses each chunk; only the
 * requested columns are kept, as growing Float64Arrays. The whole text is never held in memory (see
 * test/unit/data/csv-memory.test.ts, which reads a file larger than the V8 heap it is given).
 * The SHA-256 of the raw bytes is computed on the same pass.
 *
 * Rules (docs/data-and-metrics.md): a header row is required; the delimiter comes from the extension
 * (.tsv/.tab → tab, .csv → comma) unless the header line does not contain it but does contain exactly
 * one other of `, ; TAB |` (a European `;` export named .csv), or is sniffed from the first chunk
 * otherwise; blank lines are skipped but still counted, so row numbers are the editor's line numbers
 * (header = row 1) as long as no quoted cell spans lines.
 *
 * Encodings: UTF-8 (a BOM is dropped), UTF-16 with a BOM (LE or BE). Files that are not CSV text get a
 * message saying what they are and what to do: gzip, ZIP (an .xlsx workbook), UTF-32, UTF-16 without a
 * BOM, other binary data.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import Papa from 'papaparse';
import type { Dataset } from './types';
import { DataError, closeNames } from './errors';

export { DataError } from './errors';

export interface ReadCsvOptions {
  /** The delimiter the file's extension suggests (used unless the header line clearly uses another). */
  extensionDelimiter?: string;
  /** Columns that must exist. */
  columns: string[];
  /** Columns read when they exist (e.g. an output's value column, which derivative-only data lacks). */
  optional?: string[];
  /** Field delimiter; default from the extension, else sniffed. */
  delimiter?: string;
  /** Name used in messages (default: the path). */
  displayName?: string;
  /** Stop with an error past this many data rows (default: no limit). */
  maxRows?: number;
  /** Size of the input in bytes, when known: the columns are then allocated for the estimated rows. */
  sizeHint?: number;
}

/** Header names of a CSV/TSV file (reads only the first chunk). */
export async function readCsvHeader(path: string, delimiter?: string): Promise<string[]> {
  const stream = createReadStream(path, { highWaterMark: 64 * 1024, end: 1024 * 1024 });
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (chunk.includes(0x0a) || size >= 1024 * 1024) break;
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new DataError(path, e.code === 'ENOENT' ? 'file not found' : `cannot read the file: ${e.message}`);
  } finally {
    stream.destroy();
  }
  const head = Buffer.concat(chunks);
  const enc = detectTextEncoding(path, head);
  let text = enc.decoder.write(head.subarray(enc.bomLength)) + enc.decoder.end();
  const nl = text.search(/\r?\n|\r/);
  if (nl >= 0) text = text.slice(0, nl);
  if (!text.trim()) throw new DataError(path, 'the file is empty: a header row with column names is required');
  const parsed = Papa.parse<string[]>(text, { delimiter: delimiter ?? headerDelimiter(text, delimiterFor(path)) ?? sniffDelimiter(text) });
  return (parsed.data[0] ?? []).map((s) => s.trim());
}

/** A text decoder for UTF-8 or UTF-16 LE/BE that never splits a character at a chunk edge. */
interface ChunkDecoder {
  write(b: Buffer): string;
  end(): string;
}

function utf16beDecoder(): ChunkDecoder {
  const le = new StringDecoder('utf16le');
  let carry: Buffer = Buffer.alloc(0);
  return {
    write(b) {
      const data = carry.length ? Buffer.concat([carry, b]) : b;
      const even = data.length & ~1;
      carry = Buffer.from(data.subarray(even));
      return le.write(Buffer.from(data.subarray(0, even)).swap16());
    },
    end() {
      return le.end();
    },
  };
}

/**
 * What the first bytes of a data file say about it: the decoder for its text (UTF-8, or UTF-16 with a
 * BOM) and the BOM's length, or a DataError for what is not CSV text.
 */
export function detectTextEncoding(name: string, head: Buffer): { decoder: ChunkDecoder; bomLength: number } {
  const starts = (...b: number[]): boolean => b.every((v, i) => head[i] === v);
  if (starts(0x1f, 0x8b)) {
    throw new DataError(name, 'the file is gzip-compressed, not CSV text: decompress it first (e.g. `gunzip -k FILE.gz`) and give the .csv');
  }
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    throw new DataError(name, 'the file is a ZIP archive (an Excel .xlsx workbook?), not CSV text: export the sheet as "CSV UTF-8" and give that file');
  }
  if (starts(0xff, 0xfe, 0x00, 0x00) || starts(0x00, 0x00, 0xfe, 0xff)) {
    throw new DataError(name, 'the file is UTF-32 text: save it as UTF-8 (or UTF-16) and try again');
  }
  if (starts(0xff, 0xfe)) return { decoder: new StringDecoder('utf16le'), bomLength: 2 };
  if (starts(0xfe, 0xff)) return { decoder: utf16beDecoder(), bomLength: 2 };
  if (starts(0xef, 0xbb, 0xbf)) return { decoder: new StringDecoder('utf8'), bomLength: 3 };
  const sample = head.subarray(0, 4096);
  const nul = sample.indexOf(0);
  if (nul !== -1) {
    let zerosAtOdd = 0;
    let zerosAtEven = 0;
    for (let i = 0; i < sample.length; i++) {
      if (sample[i] !== 0) continue;
      if (i % 2) zerosAtOdd++;
      else zerosAtEven++;
    }
    if (sample.length >= 4 && Math.max(zerosAtOdd, zerosAtEven) >= sample.length / 4) {
      throw new DataError(name, 'the file looks like UTF-16 text without a byte-order mark: save it as UTF-8 (or as UTF-16 with a BOM) and try again');
    }
    throw new DataError(name, `the file holds binary data (a zero byte at offset ${nul}), not CSV text`);
  }
  return { decoder: new StringDecoder('utf8'), bomLength: 0 };
}

/**
 * The delimiter to use given the header line and the extension's delimiter: the extension's, unless the
 * line lacks it but holds exactly one other of `, ; TAB |`. Undefined when there is no extension
 * delimiter (then the caller sniffs).
 */
export function headerDelimiter(headerLine: string, fromExtension: string | undefined): string | undefined {
  if (fromExtension === undefined) return undefined;
  if (headerLine.includes(fromExtension)) return fromExtension;
  const others = [',', ';', '\t', '|'].filter((d) => d !== fromExtension && headerLine.includes(d));
  return others.length === 1 ? others[0] : fromExtension;
}

export function delimiterFor(path: string): string | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.tsv' || ext === '.tab') return '\t';
  if (ext === '.csv') return ',';
  return undefined;
}

/** Read the requested numeric columns of a CSV/TSV file. Throws `DataError` naming file, row and column. */
export function readCsv(path: string, opts: ReadCsvOptions): Promise<Dataset> {
  let sizeHint: number | undefined;
  try {
    sizeHint = statSync(path).size;
  } catch {
    sizeHint = undefined; // the stream reports the error
  }
  return readCsvStream(createReadStream(path, { highWaterMark: 256 * 1024 }), opts.displayName ?? path, { extensionDelimiter: delimiterFor(path), ...opts, sizeHint });
}

/** Characters looked at to guess the delimiter. */
const SNIFF_CHARS = 16 * 1024;

/** Guess the delimiter from a sample (papaparse's guesser, blank lines ignored); comma when unsure. */
export function sniffDelimiter(sample: string): string {
  const cut = sample.lastIndexOf('\n');
  const text = (cut > 0 ? sample.slice(0, cut) : sample).replace(/^\uFEFF/, '');
  const guess = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', preview: 200 }).meta.delimiter;
  return guess || ',';
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
/**
 * Largest magnitude accepted in a cell: beyond it, squares (variances, losses) overflow a 64-bit float
 * and training fails with a misleading "diverged". Far beyond any physical quantity in sensible units.
 */
export const MAX_ABS_VALUE = 1e150;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
const MISSING = /^(?:na|n\/a|null|none|nil|missing|-|\?)$/i;

/**
 * A numeric column of unknown final length. When the number of rows can be estimated (file size /
 * bytes per line of the first chunk), the first block is allocated for the estimate plus 10 %, and a
 * column that ends within it, using at least 60 % of it, is returned as a view of it — no copy, so
 * reading peaks near the data's own size. Beyond the first block the column grows in fixed chunks (a doubling buffer would hold up to
 * twice the data, three times while it copies), and `finish` then builds the exact-size column while
 * releasing the chunks one by one.
 */
export class ChunkedColumn {
  static readonly CHUNK = 1 << 16;
  private chunks: Float64Array[] = [];
  private cur: Float64Array;
  private used = 0;
  length = 0;
  constructor(expectedRows = 0) {
    this.cur = new Float64Array(expectedRows > 0 ? Math.ceil(expectedRows * 1.1) + 1024 : ChunkedColumn.CHUNK);
  }
  push(v: number): void {
    if (this.used === this.cur.length) {
      this.chunks.push(this.cur);
      this.cur = new Float64Array(ChunkedColumn.CHUNK);
      this.used = 0;
    }
    this.cur[this.used++] = v;
    this.length++;
  }
  finish(): Float64Array {
    if (this.chunks.length === 0 && this.used >= 0.6 * this.cur.length) {
      // the estimate held: hand out the block itself (at most 40 % of it unused)
      const view = this.cur.subarray(0, this.used);
      this.cur = EMPTY;
      this.used = 0;
      return view;
    }
    const out = new Float64Array(this.length);
    let o = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      out.set(this.chunks[i], o);
      o += this.chunks[i].length;
      this.chunks[i] = EMPTY; // let the chunk go before the next one is copied
    }
    out.set(this.cur.subarray(0, this.used), o);
    this.chunks = [];
    this.cur = EMPTY;
    this.used = 0;
    return out;
  }
}
const EMPTY = new Float64Array(0);

/**
 * Read from any byte stream (a file, a generated stream in tests). `name` is used in messages and as
 * `Dataset.source`; the delimiter is sniffed when not given.
 */
export function readCsvStream(input: Readable, name: string, opts: ReadCsvOptions): Promise<Dataset> {
  return new Promise<Dataset>((resolve, reject) => {
    const hash = createHash('sha256');
    let decoder: ChunkDecoder | null = null;
    let head: Buffer = Buffer.alloc(0); // the first bytes, until the encoding is known
    let sawBytes = false;
    // The delimiter is sniffed on the first SNIFF_CHARS characters (blank lines ignored), and only then
    // does papaparse start: it copies its config when it starts.
    let delimiter = opts.delimiter;
    let pending = '';
    let started = false;
    let expectedRows = 0;
    const startOnce = (sample: string) => {
      if (started) return;
      started = true;
      if (!delimiter) {
        const firstLine = sample.split(/\r?\n|\r/).find((l) => l.trim() !== '') ?? '';
        delimiter = headerDelimiter(firstLine, opts.extensionDelimiter) ?? sniffDelimiter(sample);
      }
      // rows to expect: the input's size over the bytes per line of this first sample
      let lines = 0;
      for (let i = sample.indexOf('\n'); i >= 0; i = sample.indexOf('\n', i + 1)) lines++;
      if (opts.sizeHint && lines > 1) expectedRows = Math.ceil(opts.sizeHint / (Buffer.byteLength(sample) / lines));
      setImmediate(() => startParser(delimiter ?? ','));
    };
    // Bytes → hash; bytes → text without splitting multi-byte characters at chunk edges.
    const toText = new Transform({
      readableObjectMode: false,
      transform(chunk: Buffer, _enc, cb) {
        if (chunk.length) sawBytes = true;
        hash.update(chunk);
        if (!decoder) {
          head = Buffer.concat([head, chunk]);
          if (head.length < 4) {
            cb();
            return;
          }
          try {
            const enc = detectTextEncoding(name, head);
            decoder = enc.decoder;
            chunk = head.subarray(enc.bomLength);
          } catch (err) {
            fail(err);
            cb();
            return;
          }
        }
        const text = decoder.write(chunk);
        if (started) {
          cb(null, text);
          return;
        }
        pending += text;
        if (pending.length < SNIFF_CHARS) {
          cb();
          return;
        }
        startOnce(pending);
        const out = pending;
        pending = '';
        cb(null, out);
      },
      flush(cb) {
        if (!decoder) {
          try {
            const enc = detectTextEncoding(name, head);
            decoder = enc.decoder;
            pending += decoder.write(head.subarray(enc.bomLength));
          } catch (err) {
            fail(err);
            cb();
            return;
          }
        }
        const rest = pending + decoder.end();
        pending = '';
        startOnce(rest);
        cb(null, rest);
      },
    });

    let header: string[] | null = null;
    let headerRecord = 0;
    let recordNo = 0; // 1-based record number, blank lines included
    let dataRows = 0;
    // Skipped records (blank lines) after the header, run-length: `skipAt[k]` data rows had been read
    // when `skipCount[k]` more were skipped in total. Maps a data index back to its row in the file.
    const skipAt: number[] = [];
    const skipCount: number[] = [];
    let failed = false;
    const wanted: { name: string; index: number; col: ChunkedColumn }[] = [];

    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      input.destroy();
      toText.destroy();
      reject(err);
    };

    const onHeader = (fields: string[]) => {
      const names = fields.map((s, i) => (i === 0 ? s.replace(/^\uFEFF/, '') : s).trim());
      header = names;
      const missing = opts.columns.filter((c) => !names.includes(c));
      if (missing.length) {
        const hints = missing
          .map((m) => {
            const close = closeNames(m, names);
            return close.length ? `'${m}' (did you mean ${close.map((c) => `'${c}'`).join(' or ')}?)` : `'${m}'`;
          })
          .join(', ');
        const oneField = names.length === 1 ? [';', '\t', '|', ','].find((d) => names[0].includes(d)) : undefined;
        const hint = oneField
          ? `. The header was read as one column because it is not ${delimiter === '\t' ? 'tab' : `'${delimiter}'`}-separated but contains ${oneField === '\t' ? 'tabs' : `'${oneField}'`}: is the file ${oneField === '\t' ? 'tab' : `'${oneField}'`}-separated? Give it a matching extension (.tsv for tabs, .txt to have the delimiter detected)`
          : '';
        throw new DataError(name, `missing column${missing.length > 1 ? 's' : ''} ${hints}; the file has: ${names.map((n) => `'${n}'`).join(', ')}${hint}`, {
          row: 1,
          column: missing[0],
        });
      }
      const want = [...new Set([...opts.columns, ...(opts.optional ?? []).filter((c) => names.includes(c))])];
      for (const w of want) {
        const idx = names.flatMap((n, i) => (n === w ? [i] : []));
        if (idx.length > 1) {
          throw new DataError(name, `the header names column '${w}' ${idx.length} times (columns ${idx.map((i) => i + 1).join(', ')}); rename all but one`, {
            row: 1,
            column: w,
          });
        }
        wanted.push({ name: w, index: idx[0], col: new ChunkedColumn(expectedRows) });
      }
    };

    const onRow = (fields: string[]) => {
      recordNo++;
      // Blank lines, and rows of empty cells (",,," as spreadsheets export them), are skipped.
      if (fields.every((f) => f.trim() === '')) {
        if (header !== null) {
          if (skipAt.length && skipAt[skipAt.length - 1] === dataRows) skipCount[skipCount.length - 1]++;
          else {
            skipAt.push(dataRows);
            skipCount.push((skipCount.length ? skipCount[skipCount.length - 1] : 0) + 1);
          }
        }
        return;
      }
      if (header === null) {
        headerRecord = recordNo;
        onHeader(fields);
        return;
      }
      if (fields.length !== header.length) {
        throw new DataError(
          name,
          `this row has ${fields.length} field${fields.length === 1 ? '' : 's'} but the header has ${header.length}`,
          { row: recordNo },
        );
      }
      dataRows++;
      if (opts.maxRows !== undefined && dataRows > opts.maxRows) {
        throw new DataError(name, `more than ${opts.maxRows} data rows`, { row: recordNo });
      }
      for (const w of wanted) {
        const cell = fields[w.index].trim();
        const shown = cell.length > 40 ? `${cell.slice(0, 40)}… (${cell.length.toLocaleString('en-US')} characters)` : cell;
        if (NUMBER.test(cell)) {
          const v = Number(cell);
          if (Math.abs(v) <= MAX_ABS_VALUE) {
            w.col.push(v);
            continue;
          }
          const why = Number.isFinite(v)
            ? `'${shown}' is too large to train on (beyond ±1e150, where squares overflow a 64-bit float); rescale the column, e.g. to other units`
            : `'${shown}' is beyond the range of a 64-bit float (±1.8e308); rescale the column, e.g. to other units`;
          throw new DataError(name, why, { row: recordNo, column: w.name });
        }
        let why: string;
        if (cell === '') why = 'the cell is empty; every selected cell needs a number';
        else if (DECIMAL_COMMA.test(cell)) why = `'${cell}' is not a number: it has a decimal comma; write ${cell.replace(',', '.')} (or export the file with a decimal point)`;
        else if (NON_FINITE.test(cell)) why = `'${cell}' is not a finite number; remove the row or fill in a value`;
        else if (MISSING.test(cell)) why = `'${cell}' looks like a missing value; remove the row or fill in a value`;
        else why = `'${shown}' is not a number`;
        throw new DataError(name, why, { row: recordNo, column: w.name });
      }
    };

    const chunkCb = (results: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
      if (failed) return;
      try {
        const quoteErr = results.errors.find((e) => e.type === 'Quotes');
        for (const fields of results.data) onRow(fields);
        if (quoteErr) throw new DataError(name, `unbalanced quotes: ${quoteErr.message}`, { row: recordNo });
      } catch (err) {
        fail(err); // first: abort() below calls `complete`, which must see the failure
        parser.abort();
      }
    };

    const complete = () => {
      if (failed) return;
      try {
        if (!sawBytes || header === null) throw new DataError(name, 'the file is empty: a header row with column names is required');
        if (dataRows === 0) throw new DataError(name, 'the file has a header but no data rows');
        if (dataRows === 1) throw new DataError(name, 'the file has a single data row; at least two are needed to learn anything', { row: recordNo });
        const data: Record<string, Float64Array> = {};
        for (const w of wanted) data[w.name] = w.col.finish();
        const rowOf = (index: number): number => {
          // Skipped records before data row `index`: the last run with skipAt <= index.
          let lo = 0;
          let hi = skipAt.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (skipAt[mid] <= index) lo = mid + 1;
            else hi = mid;
          }
          return headerRecord + 1 + index + (lo > 0 ? skipCount[lo - 1] : 0);
        };
        resolve({ source: name, columns: header, rowCount: dataRows, data, sha256: hash.digest('hex'), rowOf });
      } catch (err) {
        fail(err);
      }
    };

    input.on('error', (err: NodeJS.ErrnoException) => {
      fail(new DataError(name, err.code === 'ENOENT' ? 'file not found' : `cannot read the file: ${err.message}`));
    });
    input.pipe(toText);
    const startParser = (delim: string) => {
      if (failed) return;
      const config: Papa.ParseLocalConfig<string[], Papa.LocalFile> = {
        delimiter: delim,
        header: false,
        skipEmptyLines: false,
        chunk: chunkCb,
        complete,
        error: (err: Error) => fail(err),
      };
      Papa.parse<string[], Papa.LocalFile>(toText, config);
    };
  });
}
