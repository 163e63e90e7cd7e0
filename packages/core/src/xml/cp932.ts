/**
 * CP932 (Windows-31J, "Shift_JIS" as Windows writes it) encoder, following the WHATWG Encoding
 * Standard's Shift_JIS encoder so that what we write decodes back with `TextDecoder('shift_jis')`.
 *
 * The reverse table is built lazily, once, from the platform decoder over every lead/trail pair.
 * Where several byte pairs decode to the same character (NEC row 13, NEC-selected IBM extensions
 * and IBM extensions overlap), the lowest pointer wins, and pointers 8272–8835 (the NEC-selected
 * IBM extensions, lead bytes ED/EE) are never chosen — exactly the WHATWG "index Shift_JIS
 * pointer". User-defined characters (lead F0–F9, decoded to U+E000–U+E757) are not encoded.
 *
 * Single bytes: ASCII as is; half-width katakana U+FF61–U+FF9F as 0xA1–0xDF; and, as WHATWG does,
 * U+00A5 (¥) → 0x5C, U+203E (‾) → 0x7E, U+2212 (−) → as U+FF0D (－). Those three read back as
 * '\', '~' and '－'. U+0080 is refused (the platform decoder does not map 0x80).
 */
import { OnshiError } from '../errors.ts';

let table: Uint16Array | undefined;

function buildTable(): Uint16Array {
  const pairs: number[] = [];
  const pointers: number[] = [];
  for (let lead = 0x81; lead <= 0xfc; lead++) {
    if (lead >= 0xa0 && lead <= 0xdf) continue;
    for (let trail = 0x40; trail <= 0xfc; trail++) {
      if (trail === 0x7f) continue;
      const pointer = (lead - (lead < 0xa0 ? 0x81 : 0xc1)) * 188 + trail - (trail < 0x7f ? 0x40 : 0x41);
      if (pointer >= 8272 && pointer <= 8835) continue;
      // A line feed after each pair keeps the decoder aligned when a pair is invalid.
      pairs.push(lead, trail, 0x0a);
      pointers.push((lead << 8) | trail);
    }
  }
  const decoded = new TextDecoder('shift_jis').decode(Uint8Array.from(pairs)).split('\n');
  const result = new Uint16Array(0x10000);
  for (let i = 0; i < pointers.length; i++) {
    const text = decoded[i] ?? '';
    if (text.length !== 1) continue;
    const code = text.charCodeAt(0);
    if (code === 0xfffd || (code >= 0xe000 && code <= 0xf8ff)) continue;
    if (result[code] === 0) result[code] = pointers[i] ?? 0;
  }
  return result;
}

/** The reverse table: UTF-16 code unit → lead << 8 | trail, 0 where CP932 has no pair. */
export function cp932Table(): Uint16Array {
  table ??= buildTable();
  return table;
}

export function unencodable(text: string, index: number): OnshiError {
  const code = text.codePointAt(index) ?? 0;
  return new OnshiError('XML_CHARACTER_UNENCODABLE', {
    encoding: 'Shift_JIS',
    char: `${String.fromCodePoint(code)} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`,
  });
}

/**
 * Writes the CP932 bytes of the non-ASCII code unit `c` (at `text[index]`) into `out` at `n`;
 * returns the new length.
 */
export function writeCp932Char(out: Uint8Array, n: number, c: number, text: string, index: number): number {
  if (c >= 0xff61 && c <= 0xff9f) {
    out[n] = c - 0xff61 + 0xa1;
    return n + 1;
  }
  if (c === 0xa5 || c === 0x203e) {
    out[n] = c === 0xa5 ? 0x5c : 0x7e;
    return n + 1;
  }
  const pair = cp932Table()[c === 0x2212 ? 0xff0d : c] ?? 0;
  if (pair === 0) throw unencodable(text, index);
  out[n] = pair >> 8;
  out[n + 1] = pair & 0xff;
  return n + 2;
}

/** Encodes text as CP932 bytes; a character CP932 cannot represent → XML_CHARACTER_UNENCODABLE. */
export function encodeCp932(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) out[n++] = c;
    else n = writeCp932Char(out, n, c, text, i);
  }
  return out.subarray(0, n);
}
