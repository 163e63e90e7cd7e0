/**
 * A small DER reader and writer for the OCSP path. asn1js 4 (under pkijs) takes milliseconds to
 * parse a 1.5 KB OCSP response here; walking the TLVs directly takes microseconds. Only what
 * OCSP needs: low tag numbers, definite lengths (DER), INTEGER, ENUMERATED, OID, OCTET/BIT STRING,
 * NULL, GeneralizedTime. Malformed input throws DerError.
 */

export class DerError extends Error {}

/** One TLV inside `bytes`: `tag` is the identifier octet; contents are bytes[contentStart, end). */
export interface Tlv {
  readonly bytes: Uint8Array;
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  enumerated: 0x0a,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
} as const;

/** [n] EXPLICIT / constructed context tag, and [n] IMPLICIT primitive context tag. */
export const contextConstructed = (n: number): number => 0xa0 | n;
export const contextPrimitive = (n: number): number => 0x80 | n;

/** The TLV at `offset`. */
export function readTlv(bytes: Uint8Array, offset = 0, limit = bytes.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated header');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  let length = bytes[offset + 1]!;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new DerError('indefinite or oversized length');
    if (contentStart + count > limit) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i]!;
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError('length beyond the input');
  return { bytes, tag, start: offset, contentStart, end };
}

/** The whole input as exactly one TLV of `tag`. */
export function readRoot(bytes: Uint8Array, tag: number): Tlv {
  const root = readTlv(bytes);
  if (root.end !== bytes.length) throw new DerError('trailing bytes');
  return expectTag(root, tag);
}

/** The TLVs inside a constructed TLV. */
export function children(parent: Tlv): Tlv[] {
  if ((parent.tag & 0x20) === 0) throw new DerError('not constructed');
  const list: Tlv[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    const child = readTlv(parent.bytes, offset, parent.end);
    list.push(child);
    offset = child.end;
  }
  return list;
}

export function expectTag(tlv: Tlv | undefined, tag: number): Tlv {
  if (tlv === undefined || tlv.tag !== tag) throw new DerError(`expected tag 0x${tag.toString(16)}`);
  return tlv;
}

export const contents = (tlv: Tlv): Uint8Array => tlv.bytes.subarray(tlv.contentStart, tlv.end);
export const encoded = (tlv: Tlv): Uint8Array => tlv.bytes.subarray(tlv.start, tlv.end);

/** The single child of an EXPLICIT context tag. */
export function explicitInner(tlv: Tlv): Tlv {
  const inner = children(tlv);
  if (inner.length !== 1) throw new DerError('explicit tag must hold one element');
  return inner[0]!;
}

export function readOid(tlv: Tlv): string {
  const bytes = contents(expectTag(tlv, TAG.oid));
  if (bytes.length === 0) throw new DerError('empty OID');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs.shift()!;
  const top = first < 80 ? Math.floor(first / 40) : 2;
  return [top, first - top * 40, ...arcs].join('.');
}

/** A non-negative INTEGER or ENUMERATED that fits a JS number. */
export function readSmallInteger(tlv: Tlv, tag: number = TAG.integer): number {
  const bytes = contents(expectTag(tlv, tag));
  if (bytes.length === 0 || bytes.length > 6 || (bytes[0]! & 0x80) !== 0)
    throw new DerError('bad small integer');
  return bytes.reduce((sum, byte) => sum * 256 + byte, 0);
}

/** GeneralizedTime 'YYYYMMDDHHMMSSZ' (DER: no fraction, UTC). */
export function readGeneralizedTime(tlv: Tlv): Date {
  const text = Buffer.from(contents(expectTag(tlv, TAG.generalizedTime))).toString('latin1');
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (match === null) throw new DerError('bad GeneralizedTime');
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/** BIT STRING contents without the unused-bits octet (which must be 0). */
export function readBitString(tlv: Tlv): Uint8Array {
  const bytes = contents(expectTag(tlv, TAG.bitString));
  if (bytes.length === 0 || bytes[0] !== 0) throw new DerError('bad BIT STRING');
  return bytes.subarray(1);
}

// --- writing

function lengthOctets(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

/** A TLV with `tag` around the concatenated `parts`. */
export function tlv(tag: number, ...parts: readonly Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return Buffer.concat([Uint8Array.of(tag), lengthOctets(body.length), body]);
}

export const sequence = (...parts: readonly Uint8Array[]): Uint8Array => tlv(TAG.sequence, ...parts);
export const explicit = (n: number, ...parts: readonly Uint8Array[]): Uint8Array =>
  tlv(contextConstructed(n), ...parts);
export const octetString = (bytes: Uint8Array): Uint8Array => tlv(TAG.octetString, bytes);
export const bitString = (bytes: Uint8Array): Uint8Array => tlv(TAG.bitString, Uint8Array.of(0), bytes);
export const nullValue = (): Uint8Array => Uint8Array.of(TAG.null, 0);

export function oid(dotted: string): Uint8Array {
  const [top, second, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const octets: number[] = [];
  for (const arc of [top * 40 + second, ...rest]) {
    const group: number[] = [arc % 128];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      group.unshift(0x80 | (value % 128));
    }
    octets.push(...group);
  }
  return tlv(TAG.oid, Uint8Array.from(octets));
}

export function smallInteger(value: number, tag: number = TAG.integer): Uint8Array {
  const octets: number[] = [];
  for (let rest = value; rest > 0 || octets.length === 0; rest = Math.floor(rest / 256))
    octets.unshift(rest % 256);
  if (octets[0]! & 0x80) octets.unshift(0);
  return tlv(tag, Uint8Array.from(octets));
}

export function generalizedTime(date: Date): Uint8Array {
  const text = date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(/[-:T]/g, '');
  return tlv(TAG.generalizedTime, Buffer.from(text, 'latin1'));
}
