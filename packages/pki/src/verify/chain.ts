/**
 * Chain and validity checks against a fixed set of trusted CA certificates (root + issuing CA),
 * with one coded error per failure. The trusted set is checked once, at construction; a leaf then
 * costs one signature verification (node:crypto) and a few comparisons.
 */
import { X509Certificate } from 'node:crypto';
import { OnshiError } from '@onshi/core';
import { parsePemBundle } from '../certs.ts';

export interface ChainVerifier {
  /** The trusted CA certificates. */
  readonly anchors: readonly X509Certificate[];
  /**
   * Checks that `certificate` is an end-entity certificate issued by one of the trusted CAs and
   * that it and its issuer are valid at `at`. Returns the issuer. Throws PKI_CERT_UNKNOWN_CA,
   * PKI_CERT_EXPIRED, PKI_CERT_NOT_YET_VALID or PKI_CERT_USAGE_INVALID.
   */
  verify(certificate: X509Certificate, at: Date): X509Certificate;
}

/**
 * A verifier trusting the CA certificates in `trusted` (a PEM bundle or certificates). Each must be
 * a CA; each that is not self-signed must be issued by another one of the set.
 */
export function createChainVerifier(trusted: string | readonly X509Certificate[]): ChainVerifier {
  const anchors = typeof trusted === 'string' ? parsePemBundle(trusted) : [...trusted];
  if (anchors.length === 0)
    throw new OnshiError('CONFIG_INVALID', { name: 'trust', detail: 'no CA certificate' });
  for (const ca of anchors) {
    if (!ca.ca)
      throw new OnshiError('CONFIG_INVALID', { name: 'trust', detail: `${ca.subject} is not a CA` });
    if (!anchors.some((parent) => isIssuedBy(ca, parent))) {
      throw new OnshiError('CONFIG_INVALID', {
        name: 'trust',
        detail: `no issuer for ${ca.subject} in the set`,
      });
    }
  }
  return {
    anchors,
    verify(certificate, at) {
      const issuer = anchors.find((ca) => isIssuedBy(certificate, ca));
      if (issuer === undefined) {
        throw new OnshiError('PKI_CERT_UNKNOWN_CA', { issuer: oneLine(certificate.issuer) });
      }
      assertValidAt(issuer, at);
      assertValidAt(certificate, at);
      if (certificate.ca) throw new OnshiError('PKI_CERT_USAGE_INVALID', { detail: 'a CA certificate' });
      return issuer;
    },
  };
}

/** Whether `certificate` names `ca` as issuer and carries a signature by `ca`'s key. */
export function isIssuedBy(certificate: X509Certificate, ca: X509Certificate): boolean {
  return certificate.checkIssued(ca) && certificate.verify(ca.publicKey);
}

/** Throws PKI_CERT_NOT_YET_VALID or PKI_CERT_EXPIRED unless notBefore ≤ at ≤ notAfter. */
export function assertValidAt(certificate: X509Certificate, at: Date): void {
  if (at < certificate.validFromDate) {
    throw new OnshiError('PKI_CERT_NOT_YET_VALID', { notBefore: certificate.validFromDate.toISOString() });
  }
  if (at > certificate.validToDate) {
    throw new OnshiError('PKI_CERT_EXPIRED', { notAfter: certificate.validToDate.toISOString() });
  }
}

/** Throws PKI_CERT_USAGE_INVALID unless the extended key usages include `oid`. */
export function assertExtendedKeyUsage(certificate: X509Certificate, oid: string, name: string): void {
  if (!(certificate.keyUsage ?? []).includes(oid)) {
    throw new OnshiError('PKI_CERT_USAGE_INVALID', { detail: `extendedKeyUsage ${name} is missing` });
  }
}

/** Parses DER or PEM into an X509Certificate; anything else is PKI_CERT_MALFORMED. */
export function parseCertificate(data: Uint8Array | string): X509Certificate {
  try {
    return new X509Certificate(typeof data === 'string' ? data : Buffer.from(data));
  } catch (error) {
    throw new OnshiError('PKI_CERT_MALFORMED', { detail: 'not an X.509 certificate' }, { cause: error });
  }
}

function oneLine(name: string): string {
  return name.split('\n').join(', ');
}
