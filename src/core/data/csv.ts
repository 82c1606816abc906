/**
 * Streaming CSV/TSV reader. The file is read chunk by chunk; papaparse parses each chunk; only the
 * requested columns are kept, as growing Float64Arrays. The whole text is never held in memory (see
 * test/unit/data/csv-memory.test.ts, which reads a file larger than the V8 heap it is given).
 * The SHA-256 of the raw bytes is computed on the same pass.
 *
 * Rules (docs/data-and-metrics.md): a header row is required; the delimiter comes from the extension
 * (.tsv/.tab → tab, .csv → comma) or is sniffed from the first chunk otherwise; blank lines are skipped
 * but still counted, so row numbers are the editor's line numbers (header = row 1) as long as no quoted
 * cell spans lines.
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
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    text += chunk.toString('utf8');
    const nl = text.search(/\r?\n/);
    if (nl >= 0) {
      text = text.slice(0, nl);
      break;
    }
  }
  stream.destroy();
  text = text.replace(/^\uFEFF/, '');
  if (!text.trim()) throw new DataError(path, 'the file is empty: a header row with column names is required');
  const parsed = Papa.parse<string[]>(text, { delimiter: delimiter ?? delimiterFor(path) ?? sniffDelimiter(text) });
  return (parsed.data[0] ?? []).map((s) => s.trim());
}

export function delimiterFor(path: string): string | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.tsv' || ext === '.tab') return '\t';
  if (ext === '.csv') return ',';
  return undefined;
}

/** Read the requested numeric columns of a CSV/TSV file. Throws `DataError` naming file, row and column. */
export function readCsv(path: string, opts: ReadCsvOptions): Promise<Dataset> {
  const delimiter = opts.delimiter ?? delimiterFor(path);
  let sizeHint: number | undefined;
  try {
    sizeHint = statSync(path).size;
  } catch {
    sizeHint = undefined; // the stream reports the error
  }
  return readCsvStream(createReadStream(path, { highWaterMark: 256 * 1024 }), opts.displayName ?? path, { ...opts, delimiter, sizeHint });
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
    const decoder = new StringDecoder('utf8');
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
      if (!delimiter) delimiter = sniffDelimiter(sample);
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
        const rest = pending + decoder.end();
        pending = '';
        startOnce(rest);
        cb(null, rest);
      },
    });

    let header: string[] | null = null;
    let recordNo = 0; // 1-based record number, blank lines included
    let dataRows = 0;
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
        throw new DataError(name, `missing column${missing.length > 1 ? 's' : ''} ${hints}; the file has: ${names.map((n) => `'${n}'`).join(', ')}`, {
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
      if (fields.every((f) => f.trim() === '')) return;
      if (header === null) {
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
        if (NUMBER.test(cell)) {
          w.col.push(Number(cell));
          continue;
        }
        let why: string;
        if (cell === '') why = 'the cell is empty; every selected cell needs a number';
        else if (NON_FINITE.test(cell)) why = `'${cell}' is not a finite number; remove the row or fill in a value`;
        else if (MISSING.test(cell)) why = `'${cell}' looks like a missing value; remove the row or fill in a value`;
        else why = `'${cell.length > 40 ? cell.slice(0, 40) + '…' : cell}' is not a number`;
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
        resolve({ source: name, columns: header, rowCount: dataRows, data, sha256: hash.digest('hex') });
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
