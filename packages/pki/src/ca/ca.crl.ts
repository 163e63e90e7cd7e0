/** The X.509 v2 CRL of the issuing CA (RFC 5280 §5): revoked serials with date and reason. */
import type { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import type { Authority } from '../authority.ts';
import { normalizeSerial, toPem } from '../certs.ts';
import { RSA_SHA256, signingKey } from '../keys.ts';
import { type RevocationReason, revocationReasons } from '../revocation.ts';
import { x509 } from '../x509.ts';

export const OID_CRL_NUMBER = '2.5.29.20';

export interface CrlEntry {
  readonly serial: string;
  readonly revokedAt: Date;
  readonly reason: RevocationReason;
}

export interface CrlSpec {
  readonly issuer: Authority;
  readonly entries: readonly CrlEntry[];
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /** Monotonically increasing CRL Number. */
  readonly crlNumber: number;
}

/** The CRL as PEM ("X509 CRL"), signed by `spec.issuer`. */
export async function buildCrl(spec: CrlSpec): Promise<string> {
  const issuer = new x509.X509Certificate(spec.issuer.certificate.raw);
  const crlNumber = new asn1js.Integer({ value: spec.crlNumber }).toBER(false);
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.subjectName,
    thisUpdate: spec.thisUpdate,
    nextUpdate: spec.nextUpdate,
    entries: spec.entries.map((entry) => ({
      serialNumber: entry.serial,
      revocationDate: entry.revokedAt,
      reason: revocationReasons[entry.reason],
    })),
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(issuer),
      new x509.Extension(OID_CRL_NUMBER, false, crlNumber),
    ],
    signingKey: signingKey(spec.issuer.privateKey),
    signingAlgorithm: RSA_SHA256,
  });
  return toPem('X509 CRL', crl.rawData);
}

export interface ParsedCrl {
  readonly issuer: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  /** The CRL Number extension; -1 when absent. */
  readonly crlNumber: number;
  /** Revoked serials, upper-case hex → reason code. */
  readonly revoked: ReadonlyMap<string, { readonly revokedAt: Date; readonly reason: number }>;
}

/**
 * Parses a CRL (PEM or DER) and verifies its signature with `issuer`'s key. Returns undefined when
 * the signature does not verify or the issuer name differs; throws when it cannot be parsed.
 */
export async function parseCrl(
  data: Uint8Array | string,
  issuer: X509Certificate,
): Promise<ParsedCrl | undefined> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
  const isPem = bytes.subarray(0, 11).toString('latin1') === '-----BEGIN ';
  const crl = new x509.X509Crl(isPem ? bytes.toString('latin1') : bytes);
  const issuerCert = new x509.X509Certificate(issuer.raw);
  if (crl.issuerName.toString() !== issuerCert.subjectName.toString()) return undefined;
  if (!(await crl.verify({ publicKey: issuerCert.publicKey }))) return undefined;
  const revoked = new Map<string, { revokedAt: Date; reason: number }>();
  for (const entry of crl.entries) {
    revoked.set(normalizeSerial(entry.serialNumber), {
      revokedAt: entry.revocationDate,
      reason: entry.reason ?? 0,
    });
  }
  const { issuer: name, thisUpdate, nextUpdate } = crl;
  return { issuer: name, thisUpdate, nextUpdate, crlNumber: crlNumberOf(crl), revoked };
}

function crlNumberOf(crl: x509.X509Crl): number {
  const extension = crl.getExtension(OID_CRL_NUMBER);
  if (extension === null) return -1;
  const { result } = asn1js.fromBER(extension.value);
  return result instanceof asn1js.Integer ? result.valueBlock.valueDec : -1;
}
