import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { readCsv, readCsvHeader, readCsvStream, DataError } from '../../../src/core/data/csv';
import { closeNames } from '../../../src/core/data/errors';
import { validateTrainingData } from '../../../src/core/data/diagnostics';

const dir = mkdtempSync(join(tmpdir(), 'agl-csv-'));
function file(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
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

test('reads the requested columns as Float64Arrays and hashes the bytes', async () => {
  const text = 'x,y,f,unused\n1,2,3,a\n\n4.5,-5e-1,+6,b\n';
  const p = file('ok.csv', text);
  const ds = await readCsv(p, { columns: ['x', 'f'], optional: ['y', 'absent'] });
  assert.deepEqual(ds.columns, ['x', 'y', 'f', 'unused']);
  assert.equal(ds.rowCount, 2);
  assert.deepEqual(Array.from(ds.data.x), [1, 4.5]);
  assert.deepEqual(Array.from(ds.data.y), [2, -0.5]);
  assert.deepEqual(Array.from(ds.data.f), [3, 6]);
  assert.equal(ds.data.unused, undefined, 'columns not asked for are not kept');
  assert.equal(ds.data.absent, undefined);
  assert.equal(ds.sha256, createHash('sha256').update(text).digest('hex'));
});

test('delimiter: .tsv means tab; an unknown extension is sniffed; CRLF, BOM and quotes are fine', async () => {
  const t = await readCsv(file('t.tsv', 'a\tb\n1\t2\n3\t4\n'), { columns: ['a', 'b'] });
  assert.deepEqual(Array.from(t.data.b), [2, 4]);
  const s = await readCsv(file('s.txt', '\uFEFFa;b\r\n1;2\r\n3;4\r\n'), { columns: ['a', 'b'] });
  assert.deepEqual(Array.from(s.data.a), [1, 3]);
  const q = await readCsv(file('q.csv', '"a","b c"\n"1","2"\n3,4\n'), { columns: ['a', 'b c'] });
  assert.deepEqual(Array.from(q.data['b c']), [2, 4]);
});

test('multi-byte characters split across chunks survive', async () => {
  // A header name with a 3-byte character, fed one byte at a time.
  const bytes = Buffer.from('x,Δy\n1,2\n3,4\n', 'utf8');
  const stream = Readable.from((function* () {
    for (const b of bytes) yield Buffer.from([b]);
  })());
  const ds = await readCsvStream(stream, 'bytes.csv', { columns: ['Δy'], delimiter: ',' });
  assert.deepEqual(Array.from(ds.data['Δy']), [2, 4]);
  assert.equal(ds.sha256, createHash('sha256').update(bytes).digest('hex'));
});

test('missing column: lists what exists and suggests close names', async () => {
  const e = await dataError(readCsv(file('m.csv', 'x1,x2,Y\n1,2,3\n4,5,6\n'), { columns: ['x1', 'y', 'z9'] }));
  assert.equal(e.row, 1);
  assert.equal(e.column, 'y');
  assert.match(e.message, /m\.csv/);
  assert.match(e.message, /'y' \(did you mean 'Y'\?\)/);
  assert.match(e.message, /'z9'/);
  assert.match(e.message, /the file has: 'x1', 'x2', 'Y'/);
  assert.deepEqual(closeNames('preassure', ['pressure', 'temp']), ['pressure']);
  // A one-letter name is close only to itself in another case, not to every other letter.
  assert.deepEqual(closeNames('x', ['u', 'v']), []);
  assert.deepEqual(closeNames('x', ['u', 'X']), ['X']);
  assert.deepEqual(closeNames('x1', ['x2', 'u']), ['x2']);
});

test('non-numeric cell: file, 1-based row (header = 1, blank lines counted) and column', async () => {
  const e = await dataError(readCsv(file('n.csv', 'a,b\n1,2\n\n3,oops\n'), { columns: ['a', 'b'] }));
  assert.equal(e.row, 4);
  assert.equal(e.column, 'b');
  assert.match(e.message, /n\.csv \(row 4, column 'b'\): 'oops' is not a number/);
});

test('rows of empty cells (spreadsheet exports) are skipped like blank lines', async () => {
  const ds = await readCsv(file('sheet.csv', 'a,b\n1,2\n,\n3,4\n , \n'), { columns: ['a', 'b'] });
  assert.deepEqual(Array.from(ds.data.b), [2, 4]);
  const e = await dataError(readCsv(file('sheet2.csv', 'a,b\n1,2\n,\n3,\n'), { columns: ['a', 'b'] }));
  assert.equal(e.row, 4);
  assert.equal(e.column, 'b');
});

test('a bad cell in a column that was not asked for is ignored', async () => {
  const ds = await readCsv(file('ign.csv', 'a,b\n1,x\n2,y\n'), { columns: ['a'] });
  assert.deepEqual(Array.from(ds.data.a), [1, 2]);
});

test('NaN, Inf, empty and NA cells are errors that say so', async () => {
  for (const [cell, pattern] of [
    ['nan', /not a finite number/],
    ['-inf', /not a finite number/],
    ['Infinity', /not a finite number/],
    ['', /cell is empty/],
    ['NA', /missing value/],
    ['0x10', /not a number/],
  ] as const) {
    const e = await dataError(readCsv(file('bad.csv', `a,b\n1,2\n3,${cell}\n5,6\n`), { columns: ['a', 'b'] }));
    assert.equal(e.row, 3, cell);
    assert.equal(e.column, 'b', cell);
    assert.match(e.message, pattern, cell);
  }
});

test('ragged rows', async () => {
  const e = await dataError(readCsv(file('r.csv', 'a,b,c\n1,2,3\n4,5\n'), { columns: ['a'] }));
  assert.equal(e.row, 3);
  assert.match(e.message, /2 fields but the header has 3/);
  const e2 = await dataError(readCsv(file('r2.csv', 'a,b\n1,2\n4,5,6\n'), { columns: ['a'] }));
  assert.equal(e2.row, 3);
});

test('empty file, header only, single data row', async () => {
  assert.match((await dataError(readCsv(file('e.csv', ''), { columns: ['a'] }))).message, /empty/);
  assert.match((await dataError(readCsv(file('e2.csv', '\n\n'), { columns: ['a'] }))).message, /empty/);
  assert.match((await dataError(readCsv(file('h.csv', 'a,b\n'), { columns: ['a'] }))).message, /header but no data rows/);
  const one = await dataError(readCsv(file('o.csv', 'a,b\n1,2\n'), { columns: ['a'] }));
  assert.match(one.message, /single data row/);
  assert.equal(one.row, 2);
});

test('duplicate header names are an error when the column is used', async () => {
  const e = await dataError(readCsv(file('d.csv', 'a,b,a\n1,2,3\n4,5,6\n'), { columns: ['a'] }));
  assert.equal(e.column, 'a');
  assert.equal(e.row, 1);
  assert.match(e.message, /'a' 2 times \(columns 1, 3\)/);
  // An unused duplicate does not stop anything.
  const ok = await readCsv(file('d2.csv', 'a,b,a\n1,2,3\n4,5,6\n'), { columns: ['b'] });
  assert.deepEqual(Array.from(ok.data.b), [2, 5]);
});

test('file not found', async () => {
  const e = await dataError(readCsv(join(dir, 'nope.csv'), { columns: ['a'] }));
  assert.match(e.message, /nope\.csv: file not found/);
});

test('readCsvHeader reads only the header', async () => {
  assert.deepEqual(await readCsvHeader(file('hh.csv', ' a , b \n1,2\n')), ['a', 'b']);
  await assert.rejects(readCsvHeader(file('hh2.csv', '')), DataError);
});

test('training checks: constant input column, too few rows (< 2·inputs + 2)', async () => {
  const c = await readCsv(file('c.csv', 'a,b,y\n1,5,1\n2,5,2\n3,5,3\n4,5,4\n5,5,5\n6,5,6\n'), { columns: ['a', 'b', 'y'] });
  const e = (() => {
    try {
      validateTrainingData(c, ['a', 'b']);
    } catch (err) {
      return err as DataError;
    }
    return null;
  })();
  assert.ok(e instanceof DataError);
  assert.equal(e.column, 'b');
  assert.match(e.message, /same value \(5\) in every row/);
  const few = await readCsv(file('few.csv', 'a,b,y\n1,5,1\n2,6,2\n3,8,3\n4,1,4\n5,0,5\n'), { columns: ['a', 'b', 'y'] });
  assert.throws(() => validateTrainingData(few, ['a', 'b']), /5 data rows are too few for 2 inputs; at least 6/);
  validateTrainingData(few, ['a']); // 5 ≥ 4
});
