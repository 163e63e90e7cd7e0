/** The public shape of the card PKI (see jpki-ca.ts). */
import type { KeyObject, X509Certificate } from 'node:crypto';
import type { RsaKeyPair } from '../keys.ts';
import type { RevocationReason } from '../revocation.ts';
import type { IssuedCardRecord, RevokedCardRecord } from './jpki.registry.ts';

/** What issuing a card certificate hands over: the certificate, its key for the chip, the pseudonym. */
export interface IssuedUserCertificate {
  readonly certificate: X509Certificate;
  readonly certificateDer: Uint8Array;
  /** The key to put into the (virtual) card; the issuer keeps no copy. */
  readonly privateKey: KeyObject;
  /** The same key as unencrypted PKCS#8 PEM (the virtual-card file form). */
  readonly privateKeyPem: string;
  /** The pseudonymous person identifier recorded with the serial (the role of 機関別符号). */
  readonly pseudonymousId: string;
  /** Upper-case hex. */
  readonly serial: string;
}

export interface IssueUserOptions {
  /** Reuse a person's pseudonymous id (a renewed card); default: a new random one. */
  readonly pseudonymousId?: string | undefined;
  /** Where key pairs come from; default: a fresh RSA 2048 key (the cost of issuing). */
  readonly keySource?: (() => Promise<RsaKeyPair>) | undefined;
}

export interface JpkiCa {
  readonly dir: string;
  readonly root: X509Certificate;
  /** The card-issuing CA: issuer of every user-authentication certificate. */
  readonly cardCa: X509Certificate;
  /** The delegated OCSP responder's certificate (its key is `ocsp.key.pem`). */
  readonly ocspResponder: X509Certificate;
  /** PEM of the card CA then the root: what a card verifier trusts (also `bundle.pem`). */
  readonly bundlePem: string;
  issueUserCertificate(options?: IssueUserOptions): Promise<IssuedUserCertificate>;
  /**
   * Issues `count` certificates, `concurrency` at a time (default: the number of CPUs; keys are
   * generated on the libuv thread pool), handing each to `onIssued` as it is ready.
   */
  issueUserCertificates(
    count: number,
    onIssued: (issued: IssuedUserCertificate, index: number) => Promise<void> | void,
    options?: {
      readonly concurrency?: number | undefined;
      readonly keySource?: IssueUserOptions['keySource'];
    },
  ): Promise<void>;
  revoke(serial: string, reason: RevocationReason): Promise<RevokedCardRecord>;
  /** The issuer's record of a serial, or undefined. */
  record(serial: string): IssuedCardRecord | undefined;
}
