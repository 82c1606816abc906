/**
 * Python source files as bytes: decoding them the way CPython does, and writing edits back so that only
 * the edited bytes change. Pure (no file system); the CLI and the editor's "lint workspace" read the
 * bytes and call these.
 *
 * Decoding (PEP 263, PEP 3120, and `tokenize.detect_encoding`):
 * - a UTF-8 byte-order mark is dropped; a coding cookie other than UTF-8 next to it is an error;
 * - otherwise a coding cookie (`# -*- coding: latin-1 -*-`, `# vim: set fileencoding=cp1252 :`) on the
 *   first line, or on the second when the first is blank or a comment, names the encoding;
 * - otherwise the file is UTF-8, and bytes that are not valid UTF-8 are an error (as in CPython);
 * - UTF-16 and UTF-32 byte-order marks are honoured too, although CPython itself refuses such files
 *   (editors on Windows write them): the file is linted and `notes` says CPython will not run it.
 * Non-UTF-8 encodings are decoded with iconv-lite. A byte that is not valid in the declared encoding is
 * an error naming the line, as CPython reports it.
 *
 * Lines are not touched here; the engine counts them as Python does (newlines.ts).
 */
import * as iconv from 'iconv-lite';

export interface DecodedSource {
  /** The text, without a byte-order mark. */
  text: string;
  /** The encoding as Python names it: `utf-8`, `iso-8859-1`, `cp1252`, `utf-16-le`, ... */
  encoding: string;
  /** The iconv-lite codec used (`utf8` for UTF-8). */
  codec: string;
  /** Bytes of the byte-order mark at the start of the file (0 when none). */
  bomLength: number;
  /** Things worth telling the user (e.g. that CPython cannot run a UTF-16 file). */
  notes: string[];
}

/** The file cannot be decoded as Python would decode it. `line` is 1-based when known. */
export class SourceDecodeError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'SourceDecodeError';
  }
}

const BOMS: { bytes: number[]; encoding: string; codec: string }[] = [
  // UTF-32 LE before UTF-16 LE: FF FE 00 00 starts with FF FE.
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'utf-32-le', codec: 'utf-32le' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'utf-32-be', codec: 'utf-32be' },
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8', codec: 'utf8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16-le', codec: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16-be', codec: 'utf-16be' },
];

const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const BLANK_OR_COMMENT = /^[ \t\f]*(?:[#\r\n]|$)/;

/** Python names that iconv-lite does not know under the same spelling. */
const PYTHON_ALIASES: Record<string, string> = {
  latin: 'latin1',
  u8: 'utf8',
  utf: 'utf8',
  cp65001: 'utf8',
  '646': 'ascii',
  usascii: 'ascii',
};

/** `tokenize._get_normal_name`: the spellings of UTF-8 and Latin-1 that Python folds. */
function normalName(orig: string): string {
  const enc = orig.slice(0, 12).toLowerCase().replace(/_/g, '-');
  if (enc === 'utf-8' || enc.startsWith('utf-8-')) return 'utf-8';
  if (['latin-1', 'iso-8859-1', 'iso-latin-1'].includes(enc) || ['latin-1-', 'iso-8859-1-', 'iso-latin-1-'].some((p) => enc.startsWith(p))) return 'iso-8859-1';
  return orig;
}

/** The iconv-lite codec for a Python encoding name, or null when there is none. */
function codecFor(name: string): string | null {
  const key = name.toLowerCase().replace(/[^0-9a-z]/g, '');
  const alias = PYTHON_ALIASES[key] ?? key;
  if (alias === 'utf8') return 'utf8';
  return iconv.encodingExists(alias) ? alias : null;
}

/**
 * The line of `bytes` that starts at `start`, with its line break. Like CPython's tokenizer (not the
 * `tokenize` module, which splits only at `\n`), a lone `\r` ends a line too.
 */
function lineAt(bytes: Uint8Array, start: number): Uint8Array {
  for (let i = start; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) return bytes.subarray(start, i + 1);
    if (bytes[i] === 0x0d) return bytes.subarray(start, bytes[i + 1] === 0x0a ? i + 2 : i + 1);
  }
  return bytes.subarray(start);
}

/** Offset of the first byte that does not start a valid UTF-8 sequence, or -1 when all are valid. */
export function firstInvalidUtf8(bytes: Uint8Array, from = 0): number {
  let i = from;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}

const hex = (b: number): string => `\\x${b.toString(16).padStart(2, '0')}`;

function cookieOf(line: Uint8Array, lineNo: number): string | null {
  const inv = firstInvalidUtf8(line);
  // tokenize decodes the first two lines as UTF-8 to look for the cookie.
  const text = new TextDecoder('utf-8').decode(inv === -1 ? line : line.subarray(0, inv));
  const m = COOKIE.exec(text);
  if (!m) {
    if (inv !== -1 && COOKIE.test(new TextDecoder('utf-8').decode(line))) {
      throw new SourceDecodeError(`line ${lineNo} has a coding declaration but is not valid UTF-8 itself; Python raises "invalid or missing encoding declaration". Keep that line ASCII`, lineNo);
    }
    return null;
  }
  return m[1];
}

/** Decode a Python source file as CPython would; throws SourceDecodeError with what to do. */
export function decodePythonSource(bytes: Uint8Array): DecodedSource {
  const bom = BOMS.find((b) => b.bytes.every((v, i) => bytes[i] === v));
  if (bom && bom.codec !== 'utf8') {
    const body = bytes.subarray(bom.bytes.length);
    const width = bom.codec.startsWith('utf-32') ? 4 : 2;
    if (body.length % width !== 0) {
      throw new SourceDecodeError(`the file starts with a ${bom.encoding.toUpperCase()} byte-order mark but its length is not a whole number of ${width}-byte units: it is truncated or not ${bom.encoding.toUpperCase()}`);
    }
    const text = iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength), bom.codec, { stripBOM: false });
    return {
      text,
      encoding: bom.encoding,
      codec: bom.codec,
      bomLength: bom.bytes.length,
      notes: [`the file is ${bom.encoding.toUpperCase()} (byte-order mark); CPython reads source only as UTF-8 or a PEP 263 encoding, so it will not run this file as it is`],
    };
  }
  const start = bom ? 3 : 0;
  // The coding cookie: line 1, or line 2 when line 1 is blank or a comment.
  let cookie: string | null = null;
  let cookieLine = 0;
  const first = lineAt(bytes, start);
  if (first.length > 0) {
    cookie = cookieOf(first, 1);
    cookieLine = 1;
    if (cookie === null && BLANK_OR_COMMENT.test(new TextDecoder('utf-8').decode(first))) {
      const second = lineAt(bytes, start + first.length);
      if (second.length > 0) {
        cookie = cookieOf(second, 2);
        cookieLine = 2;
      }
    }
  }
  let encoding = 'utf-8';
  let codec = 'utf8';
  if (cookie !== null) {
    const name = normalName(cookie);
    const c = codecFor(name);
    if (c === null) {
      throw new SourceDecodeError(`unknown encoding '${cookie}' in the coding declaration on line ${cookieLine}; Python raises "SyntaxError: encoding problem: ${cookie}"`, cookieLine);
    }
    if (/^(?:utf16|utf32|ucs2|ucs4|utf7)/.test(c)) {
      throw new SourceDecodeError(`the coding declaration on line ${cookieLine} names '${cookie}', which Python cannot read source in ("SyntaxError: encoding problem: ${cookie}"); save the file as UTF-8 and remove the declaration`, cookieLine);
    }
    if (bom && c !== 'utf8') {
      throw new SourceDecodeError(`the file starts with a UTF-8 byte-order mark but line ${cookieLine} declares '${cookie}'; Python raises "SyntaxError: encoding problem: ${name} with BOM". Remove one of the two`, cookieLine);
    }
    encoding = c === 'utf8' ? 'utf-8' : name;
    codec = c;
  }
  const body = bytes.subarray(start);
  if (codec === 'utf8') {
    const bad = firstInvalidUtf8(body);
    if (bad !== -1) {
      const line = lineOfByte(body, bad);
      const how = cookie === null
        ? 'but no encoding is declared: save the file as UTF-8, or declare its encoding on the first line (PEP 263), e.g. "# -*- coding: latin-1 -*-"'
        : `although line ${cookieLine} declares UTF-8: save the file as UTF-8 or declare the encoding it is in`;
      throw new SourceDecodeError(`byte ${hex(body[bad])} on line ${line} is not UTF-8, ${how}`, line);
    }
    return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(body), encoding, codec, bomLength: start, notes: [] };
  }
  const text = iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength), codec, { stripBOM: false });
  const bad = text.indexOf('\ufffd');
  if (bad !== -1) {
    const line = text.slice(0, bad).split(/\r\n|\r|\n/).length;
    throw new SourceDecodeError(`line ${line} has a byte that is not valid ${encoding} (the encoding declared on line ${cookieLine}); fix the declaration or the byte`, line);
  }
  return { text, encoding, codec, bomLength: 0, notes: [] };
}

function encodeText(text: string, codec: string): Uint8Array {
  if (codec === 'utf8') return Buffer.from(text, 'utf8');
  return iconv.encode(text, codec, { addBOM: false });
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

/** The edits cannot be written in the file's encoding without touching other bytes. */
export class SourceEncodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceEncodeError';
  }
}

/**
 * The file's bytes with `edits` applied (UTF-16 offsets into `decoded.text`, sorted, not overlapping):
 * every byte outside the edited ranges is copied from `bytes` unchanged, and only the edits' new text
 * is encoded, in the file's encoding (line breaks are the caller's: the engine writes the file's own).
 * Throws SourceEncodeError, and changes nothing, when that cannot be guaranteed: the text around an
 * edit does not encode back to the same bytes, or the new text has a character the encoding lacks.
 */
export function applyEditsToBytes(bytes: Uint8Array, decoded: DecodedSource, edits: { start: number; end: number; text: string }[]): Uint8Array {
  const parts: Uint8Array[] = [bytes.subarray(0, decoded.bomLength)];
  let textAt = 0;
  let byteAt = decoded.bomLength;
  const copyUpTo = (textOffset: number): void => {
    const seg = encodeText(decoded.text.slice(textAt, textOffset), decoded.codec);
    const orig = bytes.subarray(byteAt, byteAt + seg.length);
    if (!equalBytes(seg, orig)) {
      throw new SourceEncodeError(`the file's bytes do not round-trip through ${decoded.encoding}: not fixed, to leave every other byte as it is`);
    }
    parts.push(orig);
    textAt = textOffset;
    byteAt += seg.length;
  };
  let expected = '';
  for (const e of edits) {
    if (e.start < textAt || e.end < e.start || e.end > decoded.text.length) throw new SourceEncodeError('internal: fix edits out of order');
    expected += decoded.text.slice(textAt, e.start) + e.text;
    copyUpTo(e.start);
    const removed = encodeText(decoded.text.slice(e.start, e.end), decoded.codec);
    if (!equalBytes(removed, bytes.subarray(byteAt, byteAt + removed.length))) {
      throw new SourceEncodeError(`the file's bytes do not round-trip through ${decoded.encoding}: not fixed, to leave every other byte as it is`);
    }
    const inserted = encodeText(e.text, decoded.codec);
    if (decodeWith(inserted, decoded.codec) !== e.text) {
      throw new SourceEncodeError(`the fix inserts text that ${decoded.encoding} cannot represent ("${e.text.slice(0, 40)}"): not fixed`);
    }
    parts.push(inserted);
    textAt = e.end;
    byteAt += removed.length;
  }
  expected += decoded.text.slice(textAt);
  copyUpTo(decoded.text.length);
  if (byteAt !== bytes.length) throw new SourceEncodeError(`the file's bytes do not round-trip through ${decoded.encoding}: not fixed`);
  const out = Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
  if (decodePythonSource(out).text !== expected) throw new SourceEncodeError(`the fixed file would not decode to the fixed text in ${decoded.encoding}: not fixed`);
  return out;
}

function decodeWith(bytes: Uint8Array, codec: string): string {
  if (codec === 'utf8') return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), codec, { stripBOM: false });
}
