/**
 * Building certificates: random serials, calendar validity, and one `signCertificate` used by both
 * PKIs (RSA 2048, sha256WithRSAEncryption, SKI/AKI on every certificate).
 */
import { type KeyObject, randomBytes, X509Certificate } from 'node:crypto';
import { RSA_SHA256, signingKey, verifyingKey } from './keys.ts';
import { x509 } from './x509.ts';

/** A subject or issuer name as @peculiar/x509 takes it: one RDN per entry, e.g. `[{ CN: ['x'] }]`. */
export type NameSpec = x509.JsonName;

/** OID of the X.520 serialNumber attribute: where an institution certificate carries its code. */
export const OID_SUBJECT_SERIAL_NUMBER = '2.5.4.5';
export const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
export const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const OID_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
/** id-pkix-ocsp-nocheck: a delegated responder's own status is not checked (RFC 6960 §4.2.2.2.1). */
export const OID_OCSP_NOCHECK = '1.3.6.1.5.5.7.48.1.5';

/**
 * A random positive serial of 16 bytes (128 bits, RFC 5280 allows up to 20), as Node prints it:
 * upper-case hex, no leading zero (the first byte is 0x10…0x7F).
 */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = 0x10 + (bytes[0]! % 0x70);
  return bytes.toString('hex').toUpperCase();
}

/** Upper-case hex without separators or leading zeros, the form every serial is compared in. */
export function normalizeSerial(serial: string): string {
  const hex = serial
    .replaceAll(':', '')
    .toUpperCase()
    .replace(/^0+(?=.)/, '');
  if (!/^[0-9A-F]+$/.test(hex)) throw new RangeError(`not a hexadecimal serial: '${serial}'`);
  return hex;
}

/** `date` plus `months` calendar months (UTC), clamped to the month's last day (Jan 31 + 1 → Feb 28/29). */
export function addMonths(date: Date, months: number): Date {
  const target = new Date(date.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

/** `date` truncated to whole seconds: X.509 times carry no fractions. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

export interface Signer {
  /** The issuer's certificate; absent for a self-signed root. */
  readonly certificate?: X509Certificate | undefined;
  readonly privateKey: KeyObject;
}

export interface CertificateSpec {
  readonly subject: NameSpec;
  readonly publicKey: KeyObject | x509.PublicKey;
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: readonly x509.Extension[];
}

/** Signs `spec` with `signer` (self-signed when `signer.certificate` is absent). */
export async function signCertificate(spec: CertificateSpec, signer: Signer): Promise<X509Certificate> {
  const publicKey = spec.publicKey instanceof x509.PublicKey ? spec.publicKey : verifyingKey(spec.publicKey);
  const issuer =
    signer.certificate === undefined ? undefined : new x509.X509Certificate(signer.certificate.raw);
  const authorityKey =
    issuer === undefined
      ? await x509.AuthorityKeyIdentifierExtension.create(publicKey)
      : await x509.AuthorityKeyIdentifierExtension.create(issuer);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serial,
    subject: spec.subject,
    issuer: issuer === undefined ? spec.subject : issuer.subjectName,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    publicKey,
    signingKey: signingKey(signer.privateKey),
    signingAlgorithm: RSA_SHA256,
    extensions: [
      ...spec.extensions,
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      authorityKey,
    ],
  });
  return new X509Certificate(Buffer.from(certificate.rawData));
}

/** Extensions of a CA certificate; `pathLength` 0 for an issuing CA. */
export function caExtensions(pathLength: number): x509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  ];
}

/** Extensions of an end-entity certificate with the given key usages and extended key usages. */
export function leafExtensions(keyUsage: number, extendedKeyUsages: readonly string[]): x509.Extension[] {
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(keyUsage, true),
  ];
  if (extendedKeyUsages.length > 0) {
    extensions.push(new x509.ExtendedKeyUsageExtension([...extendedKeyUsages], false));
  }
  return extensions;
}

/** PEM of one certificate. */
export function certificatePem(certificate: X509Certificate): string {
  return certificate.toString();
}

/** PEM (RFC 7468) of DER bytes under `label`, e.g. 'X509 CRL'. */
export function toPem(label: string, der: Uint8Array | ArrayBuffer): string {
  const base64 = Buffer.from(der instanceof ArrayBuffer ? new Uint8Array(der) : der).toString('base64');
  return `-----BEGIN ${label}-----\n${base64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** Every certificate in a PEM bundle. */
export function parsePemBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}
