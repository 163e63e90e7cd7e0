/**
 * Who is calling: the institution behind a TLS client certificate of the common CA. The code is
 * read from the subject's serialNumber attribute (OID 2.5.4.5), which must occur exactly once, be a
 * valid 医療機関コード, and equal the CN.
 */
import type { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { type Clock, OnshiError, validateInstitutionCode } from '@onshi/core';
import { OID_CLIENT_AUTH } from '../certs.ts';
import {
  assertExtendedKeyUsage,
  type ChainVerifier,
  createChainVerifier,
  parseCertificate,
} from './chain.ts';
import type { CrlWatcher } from './crl-watcher.ts';

/** A certificate as `tls.TLSSocket#getPeerCertificate()` or `#getPeerX509Certificate()` give it. */
export type PeerCertificateLike = PeerCertificate | X509Certificate;

/**
 * The 医療機関コード of a certificate; PKI_CERT_NO_INSTITUTION when it has none (or two, or CN and
 * serialNumber disagree). Reads the parsed subject only: the certificate is not verified here.
 */
export function institutionCodeOf(certificate: PeerCertificateLike): string {
  const { serialNumbers, commonNames } =
    'raw' in certificate && !('checkIssued' in certificate)
      ? fromPeerObject(certificate as PeerCertificate)
      : fromSubjectText(certificate.subject as string);
  const code = serialNumbers.length === 1 ? serialNumbers[0]! : undefined;
  if (
    code === undefined ||
    !validateInstitutionCode(code).ok ||
    commonNames.length !== 1 ||
    commonNames[0] !== code
  ) {
    throw new OnshiError('PKI_CERT_NO_INSTITUTION');
  }
  return code;
}

function fromPeerObject(peer: PeerCertificate): { serialNumbers: string[]; commonNames: string[] } {
  const subject = (peer.subject ?? {}) as unknown as Record<string, string | string[] | undefined>;
  const list = (value: string | string[] | undefined): string[] =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];
  return { serialNumbers: list(subject.serialNumber), commonNames: list(subject.CN) };
}

/**
 * Node prints one attribute per line (`serialNumber=…`); a value holding a line break or other
 * special characters is printed quoted and escaped, so it cannot pose as a line of its own.
 */
function fromSubjectText(subject: string): { serialNumbers: string[]; commonNames: string[] } {
  const lines = subject.split('\n');
  const values = (name: string): string[] =>
    lines.filter((line) => line.startsWith(`${name}=`)).map((line) => line.slice(name.length + 1));
  return { serialNumbers: values('serialNumber'), commonNames: values('CN') };
}

export interface InstitutionIdentity {
  readonly institutionCode: string;
  /** Upper-case hex. */
  readonly serial: string;
  readonly notAfter: Date;
}

export interface InstitutionVerifierOptions {
  /** PEM bundle of the common CA (`bundle.pem`: issuing CA + root) or its certificates. */
  readonly trust: string | readonly X509Certificate[];
  /** Revocation source; without it revocation is not checked (tests, tools). */
  readonly crl?: Pick<CrlWatcher, 'isRevoked' | 'assertCurrent'> | undefined;
  readonly clock: Clock;
}

export interface InstitutionVerifier {
  /**
   * Verifies a client certificate and names its institution. Errors, in the order checked:
   * PKI_CERT_MISSING, PKI_CERT_MALFORMED, PKI_CERT_UNKNOWN_CA, PKI_CERT_NOT_YET_VALID,
   * PKI_CERT_EXPIRED, PKI_CERT_USAGE_INVALID, PKI_CRL_STALE, PKI_CERT_REVOKED, PKI_CERT_NO_INSTITUTION.
   */
  verify(certificate: PeerCertificateLike | null | undefined): InstitutionIdentity;
  /**
   * The cheap part again, for each request on a kept-alive connection whose certificate was
   * verified once: still within validity (PKI_CERT_EXPIRED), CRL current (PKI_CRL_STALE), not
   * revoked since (PKI_CERT_REVOKED). A Map lookup and two comparisons.
   */
  recheck(identity: InstitutionIdentity): void;
}

export function createInstitutionVerifier(options: InstitutionVerifierOptions): InstitutionVerifier {
  const chain: ChainVerifier = createChainVerifier(options.trust);
  const assertNotRevoked = (serial: string, at: Date): void => {
    if (options.crl === undefined) return;
    options.crl.assertCurrent(at);
    if (options.crl.isRevoked(serial)) throw new OnshiError('PKI_CERT_REVOKED', { serial });
  };
  return {
    verify(peer) {
      if (peer === null || peer === undefined || !('raw' in peer) || peer.raw === undefined) {
        throw new OnshiError('PKI_CERT_MISSING');
      }
      const certificate = 'checkIssued' in peer ? peer : parseCertificate(peer.raw);
      const at = options.clock.now();
      chain.verify(certificate, at);
      assertExtendedKeyUsage(certificate, OID_CLIENT_AUTH, 'clientAuth');
      assertNotRevoked(certificate.serialNumber, at);
      return {
        institutionCode: institutionCodeOf(certificate),
        serial: certificate.serialNumber,
        notAfter: certificate.validToDate,
      };
    },
    recheck(identity) {
      const at = options.clock.now();
      if (at > identity.notAfter)
        throw new OnshiError('PKI_CERT_EXPIRED', { notAfter: identity.notAfter.toISOString() });
      assertNotRevoked(identity.serial, at);
    },
  };
}
