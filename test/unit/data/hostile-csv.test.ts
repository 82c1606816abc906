/**
 * Data files a careful user's worst day produces: every one gets a DataError that names the file, the
 * row as the file counts it (header = 1, blank lines counted) and the column, and says what to do; or
 * it is read correctly (BOM before a quoted header, ';' or tab in a .csv, UTF-16 with a BOM).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { DataError, readCsv, readCsvHeader } from '../../../src/core/data/csv';
import { checkFloat32Range } from '../../../src/core/data/ranges';

const dir = mkdtempSync(join(tmpdir(), 'agl-hostile-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, data: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

async function dataError(p: Promise<unknown>): Promise<DataError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DataError, `expected a DataError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the read to fail');
}

const ROWS = 'x,y\n1,2\n2,3\n3,5\n4,8\n';

test('a cell beyond 64-bit floats (1e400, 10 MB of digits): row and column as the file counts them', async () => {
  const p = file('inf.csv', 'x,y\n1,2\n\n2,3\n3,1e400\n');
  const e = await dataError(readCsv(p, { columns: ['x', 'y'] }));
  assert.equal(e.row, 5, 'header 1, blank line 3 counted: the 1e400 is on line 5');
  assert.equal(e.column, 'y');
  assert.match(e.message, /inf\.csv \(row 5, column 'y'\): '1e400' is beyond the range of a 64-bit float .* rescale the column/);
  const digits = '9'.repeat(10 * 1024 * 1024);
  const q = file('digits.csv', `x,y\n1,2\n2,${digits}\n`);
  const e2 = await dataError(readCsv(q, { columns: ['x', 'y'] }));
  assert.equal(e2.row, 3);
  assert.match(e2.message, /'9{40}… \(10,485,760 characters\)' is beyond the range/);
  assert.ok(e2.message.length < 400, 'the message does not carry the 10 MB cell');
});

test('values of ±1e308 are refused before training (not "training diverged")', async () => {
  const e = await dataError(readCsv(file('huge.csv', 'x,y\n1,2\n2,-1e308\n3,4\n'), { columns: ['x', 'y'] }));
  assert.equal(e.row, 3);
  assert.equal(e.column, 'y');
  assert.match(e.message, /too large to train on .* rescale/);
  // Below 1e150 they read; without normalization the 32-bit range is checked, with the file's row.
  const ds = await readCsv(file('f32.csv', 'x,y\n1,2\n\n2,5e39\n3,4\n'), { columns: ['x', 'y'] });
  assert.throws(
    () => checkFloat32Range(ds, ['x', 'y']),
    (err: unknown) => err instanceof DataError && err.row === 4 && err.column === 'y' && /32-bit floats .* --normalize minmax/.test(err.message),
  );
});

test('a pandas export with a BOM and a quoted header reads', async () => {
  const p = file('pandas.csv', `\ufeff"x","y"\n"1",2\n2,3\n`);
  const ds = await readCsv(p, { columns: ['x', 'y'] });
  assert.deepEqual(ds.columns, ['x', 'y']);
  assert.deepEqual(Array.from(ds.data.y), [2, 3]);
  assert.deepEqual(await readCsvHeader(p), ['x', 'y']);
});

test("';' and tab separated files named .csv read; a decimal comma says so", async () => {
  const semi = await readCsv(file('semi.csv', 'x;y\n1;2\n2;3\n'), { columns: ['x', 'y'] });
  assert.deepEqual(Array.from(semi.data.y), [2, 3]);
  const tab = await readCsv(file('tab.csv', 'x\ty\n1\t2\n2\t3\n'), { columns: ['x', 'y'] });
  assert.deepEqual(Array.from(tab.data.x), [1, 2]);
  assert.deepEqual(await readCsvHeader(join(dir, 'semi.csv')), ['x', 'y']);
  const e = await dataError(readCsv(file('comma.csv', 'x;y\n1,5;2\n'), { columns: ['x', 'y'] }));
  assert.equal(e.row, 2);
  assert.match(e.message, /'1,5' is not a number: it has a decimal comma; write 1\.5/);
  // A header with two candidate delimiters stays comma-separated, and the missing-column error says why.
  const m = await dataError(readCsv(file('mixed.csv', 'x;y|z\n1;2|3\n'), { columns: ['x'] }));
  assert.match(m.message, /missing column 'x'.*read as one column.*';'-separated/);
});

test('UTF-16 with a byte-order mark reads (LE and BE); other encodings and formats say what they are', async () => {
  const text = 'x\ty\n1\t2\n2\t3\n3\t5\n';
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.from(le).swap16();
  for (const [name, bytes] of [['le.tsv', le], ['be.tsv', be]] as const) {
    const ds = await readCsv(file(name, bytes), { columns: ['x', 'y'] });
    assert.deepEqual(Array.from(ds.data.y), [2, 3, 5], name);
    assert.deepEqual(await readCsvHeader(join(dir, name)), ['x', 'y'], name);
  }
  const cases: [string, Buffer, RegExp][] = [
    ['noBom.csv', Buffer.from(ROWS, 'utf16le'), /UTF-16 text without a byte-order mark: save it as UTF-8/],
    ['u32.csv', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.alloc(8)]), /UTF-32 text/],
    ['data.csv.gz', gzipSync(ROWS), /gzip-compressed, not CSV text: decompress it first/],
    ['gz.csv', gzipSync(ROWS), /gzip-compressed/],
    ['book.csv', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100)]), /ZIP archive \(an Excel \.xlsx workbook\?\).*export the sheet as "CSV UTF-8"/],
    ['bin.csv', Buffer.from([0x78, 0x2c, 0x79, 0x0a, 0x01, 0x00, 0x02, 0x0a, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49]), /binary data \(a zero byte at offset 5\)/],
    ['tiny.csv', Buffer.from([0x1f, 0x8b]), /gzip/],
  ];
  for (const [name, bytes, pattern] of cases) {
    const e = await dataError(readCsv(file(name, bytes), { columns: ['x', 'y'] }));
    assert.match(e.message, pattern, name);
    assert.ok(e.message.startsWith(join(dir, name)), `${name}: the message names the file`);
  }
  await assert.rejects(readCsvHeader(join(dir, 'data.csv.gz')), /gzip-compressed/);
});

test('a split first chunk (bytes arriving one at a time) still detects the encoding', async () => {
  const { Readable } = await import('node:stream');
  const { readCsvStream } = await import('../../../src/core/data/csv');
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x,y\n1,2\n2,3\n', 'utf16le')]);
  const stream = Readable.from(
    (function* () {
      for (const b of bytes) yield Buffer.from([b]);
    })(),
  );
  const ds = await readCsvStream(stream, 'split.csv', { columns: ['x', 'y'], delimiter: ',' });
  assert.deepEqual(Array.from(ds.data.y), [2, 3]);
});
