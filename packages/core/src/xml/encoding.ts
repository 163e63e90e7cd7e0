/**
 * Character encodings of OQS files (oqs-interface.md §1.3): UTF-8 and Shift_JIS, where
 * "Shift_JIS" always means Windows-31J/CP932 — what Windows clients actually write. Decoding uses
 * the platform's WHATWG `TextDecoder` (its 'shift_jis' is Windows-31J); encoding to CP932 is ours
 * (cp932.ts) because `TextEncoder` only writes UTF-8.
 */
import { OnshiError } from '../errors.ts';

export type XmlEncoding = 'utf-8' | 'shift_jis';

/** The name written in the XML declaration for each encoding. */
export const declaredEncodingName: Readonly<Record<XmlEncoding, string>> = {
  'utf-8': 'UTF-8',
  shift_jis: 'Shift_JIS',
};

const labels: ReadonlyMap<string, XmlEncoding> = new Map([
  ['utf-8', 'utf-8'],
  ['utf8', 'utf-8'],
  ['shift-jis', 'shift_jis'],
  ['sjis', 'shift_jis'],
  ['windows-31j', 'shift_jis'],
  ['cp932', 'shift_jis'],
  ['ms932', 'shift_jis'],
  ['ms-kanji', 'shift_jis'],
  ['x-sjis', 'shift_jis'],
  ['csshiftjis', 'shift_jis'],
]);

/** Maps a declared encoding name to ours, case-insensitively ('Shift_JIS', 'cp932', …). */
export function encodingFromLabel(label: string): XmlEncoding {
  const encoding = labels.get(label.trim().toLowerCase().replaceAll('_', '-'));
  if (encoding === undefined) throw new OnshiError('XML_ENCODING_UNSUPPORTED', { encoding: label });
  return encoding;
}

/** OQSCD005 文字コード識別 for an output encoding: '0' UTF-8, '1' Shift_JIS. */
export function characterCodeFor(encoding: XmlEncoding): '0' | '1' {
  return encoding === 'utf-8' ? '0' : '1';
}

// ---------------------------------------------------------------- the XML declaration

export interface Declaration {
  /** Offset just past `?>`. */
  readonly end: number;
  /** The declared encoding label, if any. */
  readonly encoding: string | undefined;
}

function malformed(detail: string, offset: number): OnshiError {
  return new OnshiError('XML_MALFORMED', { detail, offset });
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Reads ` name="value"` (white space first, single or double quotes) at `p`; undefined when the
 * next pseudo-attribute is not `name`.
 */
function pseudoAttribute(s: string, p: number, name: string): { value: string; end: number } | undefined {
  let q = p;
  while (isSpace(s.charCodeAt(q))) q++;
  if (q === p || !s.startsWith(name, q)) return undefined;
  q += name.length;
  while (isSpace(s.charCodeAt(q))) q++;
  if (s.charCodeAt(q) !== 0x3d) throw malformed(`'=' expected after ${name}`, q);
  q++;
  while (isSpace(s.charCodeAt(q))) q++;
  const quote = s.charCodeAt(q);
  const close = quote === 0x22 || quote === 0x27 ? s.indexOf(quote === 0x22 ? '"' : "'", q + 1) : -1;
  if (close < 0) throw malformed(`bad quoting of ${name} in XML declaration`, q);
  return { value: s.slice(q + 1, close), end: close + 1 };
}

/**
 * Parses `<?xml version="1.0" encoding="…" standalone="no"?>` starting at `start` (which must
 * point at `<?xml` followed by white space). Quotes may be single or double; the order is fixed
 * (version, encoding, standalone) as XML requires.
 */
export function parseDeclaration(s: string, start: number): Declaration {
  const version = pseudoAttribute(s, start + 5, 'version');
  if (version?.value !== '1.0') throw malformed('XML declaration needs version="1.0"', start);
  let p = version.end;
  const encoding = pseudoAttribute(s, p, 'encoding');
  if (encoding !== undefined) p = encoding.end;
  const standalone = pseudoAttribute(s, p, 'standalone');
  if (standalone !== undefined) {
    if (standalone.value !== 'yes' && standalone.value !== 'no')
      throw malformed('standalone must be yes or no', p);
    p = standalone.end;
  }
  while (isSpace(s.charCodeAt(p))) p++;
  if (!s.startsWith('?>', p)) throw malformed('bad XML declaration', p);
  return { end: p + 2, encoding: encoding?.value };
}

// ---------------------------------------------------------------- bytes → text

function startsWithXmlDecl(bytes: Uint8Array, at: number): boolean {
  return (
    bytes[at] === 0x3c &&
    bytes[at + 1] === 0x3f &&
    bytes[at + 2] === 0x78 &&
    bytes[at + 3] === 0x6d &&
    bytes[at + 4] === 0x6c &&
    isSpace(bytes[at + 5] ?? 0)
  );
}

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

const ENCODING = Uint8Array.from('encoding', (c) => c.charCodeAt(0));

/** The value of `encoding="…"` between `from` and `end` in declaration bytes, if present. */
function declaredLabel(bytes: Uint8Array, from: number, end: number): string | undefined {
  for (let i = from; i + ENCODING.length < end; i++) {
    let k = 0;
    while (k < ENCODING.length && bytes[i + k] === ENCODING[k]) k++;
    if (k < ENCODING.length) continue;
    let p = i + k;
    while (isSpace(bytes[p] ?? 0)) p++;
    if (bytes[p] !== 0x3d) break;
    p++;
    while (isSpace(bytes[p] ?? 0)) p++;
    const quote = bytes[p];
    if (quote !== 0x22 && quote !== 0x27) break;
    let label = '';
    for (p++; p < end && bytes[p] !== quote; p++) label += String.fromCharCode(bytes[p] ?? 0);
    if (p >= end) break;
    return label;
  }
  return undefined;
}

/**
 * The encoding of an XML document given as bytes: from a UTF-8 byte-order mark or the XML
 * declaration, UTF-8 when neither says otherwise. Throws XML_ENCODING_UNSUPPORTED for other
 * declared encodings and for UTF-16 byte-order marks.
 */
export function detectEncoding(bytes: Uint8Array): XmlEncoding {
  const bom = hasUtf8Bom(bytes);
  if (!bom && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new OnshiError('XML_ENCODING_UNSUPPORTED', { encoding: 'UTF-16' });
  }
  const at = bom ? 3 : 0;
  if (!startsWithXmlDecl(bytes, at)) return 'utf-8';
  // Only the label is read here, from the bytes; the reader checks the whole declaration.
  let end = at + 6;
  const limit = Math.min(bytes.length, at + 256);
  while (end < limit && !(bytes[end] === 0x3e && bytes[end - 1] === 0x3f)) end++;
  const label = declaredLabel(bytes, at + 6, end);
  const encoding = label === undefined ? 'utf-8' : encodingFromLabel(label);
  if (bom && encoding !== 'utf-8') throw malformed('byte-order mark contradicts the declared encoding', 0);
  return encoding;
}

let utf8Decoder: InstanceType<typeof TextDecoder> | undefined;
let sjisDecoder: InstanceType<typeof TextDecoder> | undefined;

/** Decodes a document's bytes in the given encoding, refusing undecodable bytes. */
export function decodeBytes(bytes: Uint8Array, encoding: XmlEncoding): string {
  try {
    if (encoding === 'utf-8') {
      utf8Decoder ??= new TextDecoder('utf-8', { fatal: true });
      return utf8Decoder.decode(bytes);
    }
    sjisDecoder ??= new TextDecoder('shift_jis', { fatal: true });
    return sjisDecoder.decode(bytes);
  } catch (cause) {
    throw new OnshiError(
      'XML_ENCODING_INVALID_BYTES',
      { encoding: declaredEncodingName[encoding] },
      { cause },
    );
  }
}
