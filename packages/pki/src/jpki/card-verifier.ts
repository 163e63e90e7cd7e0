/**
 * The card half of the check by My Number card: the reader returns the card's user-authentication
 * certificate and the card's signature over central's challenge — a PKCS#1 v1.5 signature of
 * DigestInfo(SHA-256(challenge)), i.e. RSASSA-PKCS1-v1_5 with SHA-256 — and this verifies, in
 * order: the certificate parses, chains to the JPKI root through the card CA, is valid now, is a
 * user-authentication certificate, the signature is over this challenge by its key, and (with an
 * OCSP transport) the card CA's responder says "good".
 */
import { verify, type X509Certificate } from 'node:crypto';
import { type Clock, OnshiError } from '@onshi/core';
import { OID_CLIENT_AUTH } from '../certs.ts';
import { assertExtendedKeyUsage, createChainVerifier, parseCertificate } from '../verify/chain.ts';
import { checkOcsp, type OcspTransport } from './ocsp-client.ts';

export interface CardSignatureInput {
  /** The 利用者証明用電子証明書 as read from the card (DER). */
  readonly certificateDer: Uint8Array;
  /** The card's signature (RSASSA-PKCS1-v1_5, SHA-256) over the challenge. */
  readonly signature: Uint8Array;
  /** The challenge bytes central issued. */
  readonly challenge: Uint8Array;
}

export interface VerifiedCard {
  readonly certificate: X509Certificate;
  /** Upper-case hex: the key to the pseudonymous person link. */
  readonly serial: string;
  readonly notAfter: Date;
}

export interface CardVerifierOptions {
  /** PEM bundle of the card PKI (`jpki/bundle.pem`: card CA + root) or its certificates. */
  readonly trust: string | readonly X509Certificate[];
  readonly clock: Clock;
  /** OCSP transport to the card CA's responder; without it revocation is not checked. */
  readonly ocsp?: OcspTransport | undefined;
  /**
   * Reuse a "good" OCSP answer for a serial for up to this long (never past its nextUpdate);
   * default 0: ask on every check. A revocation then takes effect within this time plus the
   * responder's reload interval; each fresh answer costs the responder one RSA signature.
   */
  readonly ocspCacheMs?: number | undefined;
}

/** Most serials whose "good" answer is kept; the cache is emptied when it is full. */
const OCSP_CACHE_LIMIT = 100_000;

export interface CardVerifier {
  /**
   * Errors: PKI_CERT_MALFORMED, PKI_CERT_UNKNOWN_CA, PKI_CERT_NOT_YET_VALID, PKI_CERT_EXPIRED,
   * PKI_CERT_USAGE_INVALID, PKI_CARD_SIGNATURE_INVALID, then from OCSP PKI_CERT_REVOKED,
   * PKI_OCSP_STATUS_UNKNOWN or a PKI_OCSP_* error for an answer that cannot be trusted.
   */
  verifyCardSignature(input: CardSignatureInput): Promise<VerifiedCard>;
}

export function createCardVerifier(options: CardVerifierOptions): CardVerifier {
  const chain = createChainVerifier(options.trust);
  const goodUntil = new Map<string, number>();
  const cacheMs = options.ocspCacheMs ?? 0;
  const checkRevocation = async (certificate: X509Certificate, issuer: X509Certificate, at: Date) => {
    const serial = certificate.serialNumber;
    if ((goodUntil.get(serial) ?? 0) > at.getTime()) return;
    const result = await checkOcsp(certificate, issuer, options.ocsp!, { clock: options.clock });
    if (result.status === 'revoked') throw new OnshiError('PKI_CERT_REVOKED', { serial });
    if (result.status === 'unknown') throw new OnshiError('PKI_OCSP_STATUS_UNKNOWN', { serial });
    if (cacheMs > 0) {
      if (goodUntil.size >= OCSP_CACHE_LIMIT) goodUntil.clear();
      const until = Math.min(at.getTime() + cacheMs, result.nextUpdate?.getTime() ?? 0);
      goodUntil.set(serial, until);
    }
  };
  return {
    async verifyCardSignature({ certificateDer, signature, challenge }) {
      const certificate = parseCertificate(certificateDer);
      const at = options.clock.now();
      const issuer = chain.verify(certificate, at);
      assertExtendedKeyUsage(certificate, OID_CLIENT_AUTH, 'clientAuth');
      if (certificate.publicKey.asymmetricKeyType !== 'rsa') {
        throw new OnshiError('PKI_CERT_USAGE_INVALID', { detail: 'not an RSA key' });
      }
      if (!verify('sha256', challenge, certificate.publicKey, signature)) {
        throw new OnshiError('PKI_CARD_SIGNATURE_INVALID');
      }
      if (options.ocsp !== undefined) await checkRevocation(certificate, issuer, at);
      return { certificate, serial: certificate.serialNumber, notAfter: certificate.validToDate };
    },
  };
}
