/**
 * Decoding Python source as CPython does, checked against CPython itself: each generated file is
 * compiled by /usr/bin/python3 (`compile(bytes)`, the C tokenizer's own encoding detection) and decoded
 * with `tokenize.detect_encoding`; ours must accept exactly the files Python accepts, with the same text.
 * Then: edits written back change only their own bytes, in the file's encoding.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { applyEditsToBytes, decodePythonSource, firstInvalidUtf8, SourceDecodeError, SourceEncodeError } from '../../../src/core/lint/pysource';

const PY = '/usr/bin/python3';

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const BOM8 = Buffer.from([0xef, 0xbb, 0xbf]);

/** Syntactically valid files; only their encoding varies. */
const CASES: Record<string, Buffer> = {
  ascii: utf8('x = 1\n'),
  utf8: utf8('x = "é😀"\n'),
  empty: Buffer.alloc(0),
  utf8Bom: Buffer.concat([BOM8, utf8('x = "é"\n')]),
  utf8BomUtf8Cookie: Buffer.concat([BOM8, utf8('# -*- coding: utf-8 -*-\nx = "é"\n')]),
  utf8BomLatinCookie: Buffer.concat([BOM8, latin1('# -*- coding: latin-1 -*-\nx = "\xe9"\n')]),
  latin1Cookie: latin1('# -*- coding: latin-1 -*-\nx = "caf\xe9"\n'),
  latin1Upper: latin1('# coding=Latin-1\nx = "\xe9"\n'),
  latin1Alias: latin1('# coding: iso-latin-1-unix\nx = "\xe9"\n'),
  cookieLine2AfterShebang: latin1('#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\nx = "\xe9"\n'),
  cookieLine2AfterBlank: latin1('\n# coding: latin-1\nx = "\xe9"\n'),
  cookieLine2AfterCode: latin1('x = 1\n# coding: latin-1\ny = "\xe9"\n'),
  cookieLine3: latin1('#!/usr/bin/env python\n#\n# coding: latin-1\ny = "\xe9"\n'),
  formFeedCookie: latin1('\f# coding: latin-1\ny = "\xe9"\n'),
  cp1252Euro: latin1('# coding: cp1252\ny = "\x80"\n'),
  cp1252Undefined: latin1('# coding: cp1252\ny = "\x81"\n'),
  unknownCodec: latin1('# coding: no-such-codec\ny = 1\n'),
  asciiCookieNonAscii: latin1('# coding: ascii\ny = "\xe9"\n'),
  invalidUtf8: latin1('x = 1\ny = "\xe9"\n'),
  truncatedUtf8: Buffer.from([0x78, 0x3d, 0x22, 0xe2, 0x82, 0x22, 0x0a]),
  overlongUtf8: Buffer.from([0x78, 0x3d, 0x22, 0xc0, 0xaf, 0x22, 0x0a]),
  surrogateUtf8: Buffer.from([0x78, 0x3d, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x0a]),
  eucJp: Buffer.concat([utf8('# -*- coding: euc-jp -*-\nx = "'), Buffer.from([0xc6, 0xfc, 0xcb, 0xdc]), utf8('"\n')]),
  shiftJis: Buffer.concat([utf8('# coding: shift_jis\nx = "'), Buffer.from([0x93, 0xfa, 0x96, 0x7b]), utf8('"\n')]),
  koi8r: Buffer.concat([utf8('# coding: koi8-r\nx = "'), Buffer.from([0xf0, 0xd2, 0xc9]), utf8('"\n')]),
  macCookie: latin1('# coding: latin-1\rx = "\xe9"\r'),
  macCookieLine2: latin1('#!/usr/bin/python\r# coding: latin-1\rx = "\xe9"\r'),
  utf16Cookie: latin1('# coding: utf-16\nx = 1\n'),
};

interface PyVerdict {
  ok: boolean;
  text?: string;
  error?: string;
}

function pythonVerdicts(): Record<string, PyVerdict> {
  const script = `
import io, json, sys, tokenize
cases = json.loads(sys.stdin.read())
out = {}
for name, hexbytes in cases.items():
    data = bytes.fromhex(hexbytes)
    try:
        compile(data, name, 'exec')
        try:
            enc, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            out[name] = {'ok': True, 'text': data.decode(enc)}
        except SyntaxError:
            # The tokenize module splits lines at LF only; the compiler also at a lone CR.
            out[name] = {'ok': True}
    except (SyntaxError, ValueError, UnicodeDecodeError, LookupError) as e:
        out[name] = {'ok': False, 'error': str(e)}
print(json.dumps(out))
`;
  const input = JSON.stringify(Object.fromEntries(Object.entries(CASES).map(([k, v]) => [k, v.toString('hex')])));
  const r = spawnSync(PY, ['-c', script], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, PyVerdict>;
}

test('accepts exactly what CPython accepts, with the same text', () => {
  const verdicts = pythonVerdicts();
  for (const [name, bytes] of Object.entries(CASES)) {
    const py = verdicts[name];
    let ours: string | null = null;
    let err: unknown = null;
    try {
      ours = decodePythonSource(bytes).text;
    } catch (e) {
      err = e;
    }
    if (py.ok) {
      assert.equal(err, null, `${name}: Python accepts it, we refused: ${String(err)}`);
      if (py.text !== undefined) assert.equal(ours, py.text.replace(/^\ufeff/, ''), `${name}: decoded text`);
    } else {
      assert.ok(err instanceof SourceDecodeError, `${name}: Python refuses it (${py.error}), we decoded ${JSON.stringify(ours)}`);
    }
  }
});

test('errors say where and what to do', () => {
  assert.throws(() => decodePythonSource(CASES.invalidUtf8), (e: unknown) => e instanceof SourceDecodeError && e.line === 2 && /\\xe9 on line 2 is not UTF-8.*coding: latin-1/.test(e.message));
  assert.throws(() => decodePythonSource(CASES.unknownCodec), /unknown encoding 'no-such-codec'.*line 1/);
  assert.throws(() => decodePythonSource(CASES.utf8BomLatinCookie), /byte-order mark.*latin-1/);
  assert.throws(() => decodePythonSource(CASES.cp1252Undefined), /line 2 has a byte that is not valid cp1252/);
});

test('UTF-16 and UTF-32 byte-order marks are decoded (with a note: CPython refuses them)', () => {
  const src = 'import torch\nx = "é😀"\n';
  const variants: [string, Buffer][] = [
    ['utf-16-le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(src, 'utf16le')])],
    ['utf-16-be', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(src, 'utf16le').swap16()])],
    ['utf-32-le', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32(src, false)])],
    ['utf-32-be', Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), utf32(src, true)])],
  ];
  for (const [enc, bytes] of variants) {
    const d = decodePythonSource(bytes);
    assert.equal(d.text, src, enc);
    assert.equal(d.encoding, enc);
    assert.match(d.notes.join(' '), /CPython .* will not run/);
  }
  assert.throws(() => decodePythonSource(Buffer.from([0xff, 0xfe, 0x61])), /truncated/);
});

function utf32(s: string, be: boolean): Buffer {
  const cps = [...s].map((c) => c.codePointAt(0)!);
  const b = Buffer.alloc(cps.length * 4);
  cps.forEach((cp, i) => (be ? b.writeUInt32BE(cp, i * 4) : b.writeUInt32LE(cp, i * 4)));
  return b;
}

test('firstInvalidUtf8 agrees with a fatal TextDecoder on random bytes', () => {
  let seed = 12345;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  for (let k = 0; k < 3000; k++) {
    const n = 1 + (rnd() % 8);
    const b = Buffer.from(Array.from({ length: n }, () => (rnd() < 128 ? 0x80 | rnd() : rnd())));
    let valid = true;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b);
    } catch {
      valid = false;
    }
    assert.equal(firstInvalidUtf8(b) === -1, valid, b.toString('hex'));
  }
});

/** Bytes that differ between two buffers of equal length outside [from, to). */
function changedOutside(a: Buffer, b: Buffer, from: number, toA: number, toB: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < from; i++) if (a[i] !== b[i]) out.push(i);
  const tailA = a.length - toA;
  assert.equal(b.length - toB, tailA);
  for (let i = 0; i < tailA; i++) if (a[toA + i] !== b[toB + i]) out.push(toA + i);
  return out;
}

test('an edit changes only its own bytes, in the file encoding (latin-1: an untouched é stays E9)', () => {
  const original = latin1('# -*- coding: latin-1 -*-\n# caf\xe9\nimport torch\ng = torch.autograd.grad(y, x)\nprint("\xe9t\xe9")\n');
  const d = decodePythonSource(original);
  const call = d.text.indexOf('(y, x)') + '(y, x'.length;
  const out = Buffer.from(applyEditsToBytes(original, d, [{ start: call, end: call, text: ', create_graph=True' }]));
  const byteAt = original.indexOf('(y, x)') + '(y, x'.length;
  assert.deepEqual(changedOutside(original, out, byteAt, byteAt, byteAt + ', create_graph=True'.length), []);
  assert.equal(out.indexOf(0xe9), original.indexOf(0xe9), 'the é of the comment is still byte E9');
  assert.equal(out.filter((b) => b === 0xe9).length, 3);
  assert.equal(out.indexOf(Buffer.from([0xef, 0xbf, 0xbd])), -1, 'no U+FFFD written');
  assert.equal(decodePythonSource(out).text, d.text.slice(0, call) + ', create_graph=True' + d.text.slice(call));
});

test('edits keep a UTF-8 BOM, a UTF-16 file stays UTF-16, CRLF and lone CR stay as they are', () => {
  const withBom = Buffer.concat([BOM8, utf8('import torch\r\nx = f(a)\r\n')]);
  const d = decodePythonSource(withBom);
  const at = d.text.indexOf('(a') + 2;
  const out = Buffer.from(applyEditsToBytes(withBom, d, [{ start: at, end: at, text: ', b' }]));
  assert.deepEqual([...out.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(out.toString('utf8', 3), 'import torch\r\nx = f(a, b)\r\n');

  const u16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('import torch\rx = f(a)\r', 'utf16le')]);
  const d16 = decodePythonSource(u16);
  const at16 = d16.text.indexOf('(a') + 2;
  const out16 = Buffer.from(applyEditsToBytes(u16, d16, [{ start: at16, end: at16, text: ', b' }]));
  assert.deepEqual([...out16.subarray(0, 2)], [0xff, 0xfe]);
  assert.equal(out16.toString('utf16le', 2), 'import torch\rx = f(a, b)\r');
});

test('a character the encoding lacks, or bytes that do not round-trip, refuse the edit', () => {
  const original = latin1('# coding: latin-1\nx = f(a)\n');
  const d = decodePythonSource(original);
  const at = d.text.indexOf('(a') + 2;
  assert.throws(() => applyEditsToBytes(original, d, [{ start: at, end: at, text: ', "😀"' }]), SourceEncodeError);
  // Shift_JIS maps two byte pairs to one character; such a file cannot be re-encoded byte for byte.
  const sjis = Buffer.concat([utf8('# coding: shift_jis\nx = "'), Buffer.from([0x87, 0x90]), utf8('"\ny = f(a)\n')]);
  const ds = decodePythonSource(sjis);
  const encodedBack = applyEditsOrError(sjis, ds, ds.text.indexOf('(a') + 2);
  if (encodedBack instanceof Buffer) {
    assert.deepEqual([...encodedBack.subarray(0, sjis.indexOf('(a'))], [...sjis.subarray(0, sjis.indexOf('(a'))], 'bytes before the edit unchanged');
  } else assert.ok(encodedBack instanceof SourceEncodeError);
});

function applyEditsOrError(bytes: Buffer, d: ReturnType<typeof decodePythonSource>, at: number): Buffer | unknown {
  try {
    return Buffer.from(applyEditsToBytes(bytes, d, [{ start: at, end: at, text: ', b' }]));
  } catch (e) {
    return e;
  }
}
