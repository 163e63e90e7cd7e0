/**
 * What the OCSP responder and client share (RFC 6960): CertID computation from an issuer parsed
 * once, the nonce extension (RFC 8954), algorithm identifiers, and reading CertIDs and extensions.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import {
  children,
  contents,
  DerError,
  encoded,
  expectTag,
  nullValue,
  octetString,
  oid,
  readBitString,
  readOid,
  readRoot,
  sequence,
  TAG,
  type Tlv,
  tlv,
} from '../der.ts';

export const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
export const OID_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';
export const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
export const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
export const OCSP_REQUEST_TYPE = 'application/ocsp-request';
export const OCSP_RESPONSE_TYPE = 'application/ocsp-response';

/** CertID hash algorithms accepted in requests → node:crypto digest names. */
export const certIdHashes: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** OCSPResponseStatus values (RFC 6960 §4.2.1). */
export const responseStatus = {
  successful: 0,
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  sigRequired: 5,
  unauthorized: 6,
} as const;

/** The parts of a certificate a CertID or a ResponderID is computed from, parsed once. */
export interface IssuerKey {
  /** DER of the certificate's subject Name. */
  readonly nameDer: Uint8Array;
  /** Its subjectPublicKey BIT STRING contents (without the unused-bits octet). */
  readonly keyBits: Uint8Array;
  /** SHA-1 of keyBits: the ResponderID byKey of a responder with this key. */
  readonly keySha1: Buffer;
}

export function issuerKey(certificate: X509Certificate): IssuerKey {
  const [tbs] = children(readRoot(new Uint8Array(certificate.raw), TAG.sequence));
  const fields = children(expectTag(tbs, TAG.sequence));
  const first = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] version
  const subject = expectTag(fields[first + 4], TAG.sequence);
  const spki = children(expectTag(fields[first + 5], TAG.sequence));
  const keyBits = readBitString(spki[1]!);
  return { nameDer: encoded(subject), keyBits, keySha1: createHash('sha1').update(keyBits).digest() };
}

/** Digests of a CertID under `hashOid`, or undefined for an algorithm we do not take. */
export function issuerHashes(issuer: IssuerKey, hashOid: string): { name: Buffer; key: Buffer } | undefined {
  const algorithm = certIdHashes[hashOid];
  if (algorithm === undefined) return undefined;
  return {
    name: createHash(algorithm).update(issuer.nameDer).digest(),
    key: createHash(algorithm).update(issuer.keyBits).digest(),
  };
}

/** DER of a CertID for the serial (hex) under SHA-256. */
export function certIdDer(issuer: IssuerKey, serialHex: string): Uint8Array {
  const hashes = issuerHashes(issuer, OID_SHA256)!;
  return sequence(
    sequence(oid(OID_SHA256), nullValue()),
    octetString(hashes.name),
    octetString(hashes.key),
    tlv(TAG.integer, serialBytes(serialHex)),
  );
}

/** The two's-complement bytes of a positive serial given in hex. */
export function serialBytes(serialHex: string): Buffer {
  let hex = serialHex.length % 2 === 0 ? serialHex : `0${serialHex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return Buffer.from(hex, 'hex');
}

export interface CertId {
  /** The CertID exactly as encoded (a responder echoes it; a client compares bytes). */
  readonly der: Uint8Array;
  readonly hashOid: string;
  readonly nameHash: Buffer;
  readonly keyHash: Buffer;
  /** Upper-case hex without leading zeros. */
  readonly serialHex: string;
}

export function readCertId(node: Tlv): CertId {
  const [algorithm, nameHash, keyHash, serial] = children(expectTag(node, TAG.sequence));
  const serialBytesRead = contents(expectTag(serial, TAG.integer));
  if (serialBytesRead.length === 0 || (serialBytesRead[0]! & 0x80) !== 0) throw new DerError('bad serial');
  return {
    der: encoded(node),
    hashOid: readOid(children(expectTag(algorithm, TAG.sequence))[0]!),
    nameHash: Buffer.from(contents(expectTag(nameHash, TAG.octetString))),
    keyHash: Buffer.from(contents(expectTag(keyHash, TAG.octetString))),
    serialHex: Buffer.from(serialBytesRead)
      .toString('hex')
      .toUpperCase()
      .replace(/^0+(?=.)/, ''),
  };
}

/** An Extension carrying the nonce: extnValue = DER of OCTET STRING(nonce) (RFC 8954). */
export function nonceExtension(nonce: Uint8Array): Uint8Array {
  return sequence(oid(OID_OCSP_NONCE), octetString(octetString(nonce)));
}

/** The nonce in an Extensions SEQUENCE, or undefined. Some clients send it bare: taken as is. */
export function nonceOf(extensions: Tlv | undefined): Buffer | undefined {
  if (extensions === undefined) return undefined;
  for (const extension of children(expectTag(extensions, TAG.sequence))) {
    const parts = children(expectTag(extension, TAG.sequence));
    if (readOid(parts[0]!) !== OID_OCSP_NONCE) continue;
    const value = contents(expectTag(parts[parts.length - 1], TAG.octetString));
    try {
      return Buffer.from(contents(readRoot(value, TAG.octetString)));
    } catch {
      return Buffer.from(value);
    }
  }
  return undefined;
}
