/**
 * The writer's output: bytes, written straight in the target encoding. Building a string first
 * and encoding it costs three times as much here (a deep rope of ~250 pieces is slow to flatten,
 * and `TextEncoder.encode` of a two-byte string is slow), so markup is copied from bytes encoded
 * once per schema, and text is escaped and encoded in one pass over its characters.
 */
import { OnshiError } from '../errors.ts';
import { writeCp932Char } from './cp932.ts';
import type { XmlEncoding } from './encoding.ts';

const AMP = [0x26, 0x61, 0x6d, 0x70, 0x3b]; // &amp;
const LT = [0x26, 0x6c, 0x74, 0x3b]; // &lt;
const GT = [0x26, 0x67, 0x74, 0x3b]; // &gt;
const CR = [0x26, 0x23, 0x31, 0x33, 0x3b]; // &#13;

function forbidden(code: number): OnshiError {
  return new OnshiError('XML_CHARACTER_UNENCODABLE', {
    encoding: 'XML 1.0',
    char: `U+${code.toString(16).toUpperCase().padStart(4, '0')}`,
  });
}

/**
 * One buffer reused by every write (allocating and zeroing a fresh one costs more than the
 * writing); `result()` copies out exactly what was written. Nothing is kept between writes.
 */
let scratch = new Uint8Array(16 * 1024);

export class ByteSink {
  buf: Uint8Array;
  n = 0;
  readonly sjis: boolean;

  constructor(encoding: XmlEncoding) {
    this.buf = scratch;
    this.sjis = encoding === 'shift_jis';
  }

  private ensure(extra: number): Uint8Array {
    if (this.n + extra > this.buf.length) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.n + extra));
      bigger.set(this.buf.subarray(0, this.n));
      this.buf = bigger;
      if (bigger.length <= 1024 * 1024) scratch = bigger;
    }
    return this.buf;
  }

  /** Appends ASCII bytes (markup). */
  bytes(bytes: Uint8Array): void {
    const buf = this.ensure(bytes.length);
    buf.set(bytes, this.n);
    this.n += bytes.length;
  }

  /** Appends character data, escaping `&`, `<`, `>` and CR, refusing what XML cannot carry. */
  text(text: string): void {
    // Worst case per UTF-16 unit: 5 bytes (an entity); 3 bytes for UTF-8, 2 for CP932.
    const buf = this.ensure(text.length * 5);
    let n = this.n;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        if (c > 0x3e || (c >= 0x20 && c !== 0x26 && c !== 0x3c && c !== 0x3e)) buf[n++] = c;
        else n = this.special(buf, n, c);
      } else if (this.sjis) {
        n = writeCp932Char(buf, n, c, text, i);
      } else if (c < 0x800) {
        buf[n++] = 0xc0 | (c >> 6);
        buf[n++] = 0x80 | (c & 0x3f);
      } else if (c < 0xd800 || (c >= 0xe000 && c < 0xfffe)) {
        buf[n++] = 0xe0 | (c >> 12);
        buf[n++] = 0x80 | ((c >> 6) & 0x3f);
        buf[n++] = 0x80 | (c & 0x3f);
      } else {
        const low = text.charCodeAt(i + 1);
        if (c > 0xdbff || (low & 0xfc00) !== 0xdc00) throw forbidden(c);
        const code = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        buf[n++] = 0xf0 | (code >> 18);
        buf[n++] = 0x80 | ((code >> 12) & 0x3f);
        buf[n++] = 0x80 | ((code >> 6) & 0x3f);
        buf[n++] = 0x80 | (code & 0x3f);
        i++;
      }
    }
    this.n = n;
  }

  private special(buf: Uint8Array, n: number, c: number): number {
    const entity = c === 0x26 ? AMP : c === 0x3c ? LT : c === 0x3e ? GT : c === 0x0d ? CR : undefined;
    if (entity !== undefined) {
      for (const b of entity) buf[n++] = b;
      return n;
    }
    if (c !== 0x09 && c !== 0x0a) throw forbidden(c);
    buf[n] = c;
    return n + 1;
  }

  /** A copy of what was written. */
  result(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}
