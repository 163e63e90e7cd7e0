/**
 * What the OCSP responder and client share (RFC 6960): CertID computation from an issuer parsed
 * once, the nonce extension (RFC 8954), and the algorithm identifiers we sign and hash with.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
export const OID_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';
export const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
export const OCSP_REQUEST_TYPE = 'application/ocsp-request';
export const OCSP_RESPONSE_TYPE = 'application/ocsp-response';

/** CertID hash algorithms accepted in requests → node:crypto digest names. */
export const certIdHashes: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
export const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_SHA1 = '1.3.14.3.2.26';

/** OCSPResponseStatus values (RFC 6960 §4.2.1). */
export const responseStatus = {
  successful: 0,
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  sigRequired: 5,
  unauthorized: 6,
} as const;

/** The parts of an issuer certificate a CertID is computed from, parsed once. */
export interface IssuerKey {
  /** DER of the issuer's subject Name. */
  readonly nameDer: Uint8Array;
  /** The issuer's subjectPublicKey BIT STRING contents (without the unused-bits octet). */
  readonly keyBits: Uint8Array;
  /** SHA-1 of keyBits: the ResponderID byKey of a responder using this key. */
  readonly keySha1: Buffer;
}

export function issuerKey(certificate: X509Certificate): IssuerKey {
  const parsed = pkijs.Certificate.fromBER(certificate.raw);
  const keyBits = parsed.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  return {
    nameDer: new Uint8Array(parsed.subject.toSchema().toBER(false)),
    keyBits,
    keySha1: createHash('sha1').update(keyBits).digest(),
  };
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

/** A CertID for the serial (upper-case hex) under SHA-256. */
export function certIdFor(issuer: IssuerKey, serialHex: string): pkijs.CertID {
  const hashes = issuerHashes(issuer, OID_SHA256)!;
  return new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: OID_SHA256,
      algorithmParams: new asn1js.Null(),
    }),
    issuerNameHash: new asn1js.OctetString({ valueHex: hashes.name }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: hashes.key }),
    serialNumber: new asn1js.Integer({ valueHex: serialBytes(serialHex) }),
  });
}

/** The two's-complement bytes of a positive serial given in hex. */
export function serialBytes(serialHex: string): Buffer {
  let hex = serialHex.length % 2 === 0 ? serialHex : `0${serialHex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return Buffer.from(hex, 'hex');
}

/** The serial of a CertID as upper-case hex without leading zeros. */
export function serialHexOf(certId: pkijs.CertID): string {
  const hex = Buffer.from(certId.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase();
  return hex.replace(/^0+(?=.)/, '');
}

export function nonceExtension(nonce: Uint8Array): pkijs.Extension {
  return new pkijs.Extension({
    extnID: OID_OCSP_NONCE,
    extnValue: new asn1js.OctetString({ valueHex: nonce }).toBER(false),
  });
}

/** The nonce octets of an extension list, or undefined. */
export function nonceOf(extensions: readonly pkijs.Extension[] | undefined): Buffer | undefined {
  const extension = extensions?.find((candidate) => candidate.extnID === OID_OCSP_NONCE);
  if (extension === undefined) return undefined;
  const { result } = asn1js.fromBER(extension.extnValue.valueBlock.valueHexView);
  // RFC 8954 wraps the nonce in an OCTET STRING; some clients send it bare.
  if (result instanceof asn1js.OctetString) return Buffer.from(result.valueBlock.valueHexView);
  return Buffer.from(extension.extnValue.valueBlock.valueHexView);
}

export { OID_SHA1 };
