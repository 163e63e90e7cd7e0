/**
 * Certificate profiles of the JPKI-like card PKI standing in for J-LIS: a root, the card-issuing CA,
 * its delegated OCSP responder, and 利用者証明用電子証明書 (user-authentication certificates).
 *
 * A user-authentication certificate carries no personal information, as JPKI's does not: its
 * subject is C=JP plus an opaque CN (the certificate's own serial). The person behind it is known
 * only through the pseudonymous id the issuer records next to the serial (the role of 機関別符号).
 */
import { randomBytes } from 'node:crypto';
import {
  addMonths,
  leafExtensions,
  type NameSpec,
  OID_CLIENT_AUTH,
  OID_OCSP_NOCHECK,
  OID_OCSP_SIGNING,
} from '../certs.ts';
import { x509 } from '../x509.ts';

/** JPKI user-authentication certificates run to the 5th birthday after issuance; we use 5 years. */
export const USER_CERTIFICATE_VALIDITY_MONTHS = 60;

export const JPKI_ROOT_SUBJECT: NameSpec = [
  { C: ['JP'] },
  { O: ['onshi JPKI (synthetic J-LIS)'] },
  { CN: ['onshi JPKI Root CA'] },
];

export const CARD_CA_SUBJECT: NameSpec = [
  { C: ['JP'] },
  { O: ['onshi JPKI (synthetic J-LIS)'] },
  { CN: ['onshi JPKI User Authentication CA'] },
];

export const OCSP_RESPONDER_SUBJECT: NameSpec = [
  { C: ['JP'] },
  { O: ['onshi JPKI (synthetic J-LIS)'] },
  { CN: ['onshi JPKI OCSP Responder'] },
];

/** C=JP, CN=<serial>: nothing about the holder. */
export function userSubject(serial: string): NameSpec {
  return [{ C: ['JP'] }, { CN: [serial] }];
}

/** keyUsage digitalSignature (critical), extendedKeyUsage clientAuth: what the card check requires. */
export function userExtensions(): x509.Extension[] {
  return leafExtensions(x509.KeyUsageFlags.digitalSignature, [OID_CLIENT_AUTH]);
}

export function userNotAfter(notBefore: Date): Date {
  return addMonths(notBefore, USER_CERTIFICATE_VALIDITY_MONTHS);
}

/** Delegated responder (RFC 6960 §4.2.2.2): id-kp-OCSPSigning, and id-pkix-ocsp-nocheck. */
export function ocspResponderExtensions(): x509.Extension[] {
  return [
    ...leafExtensions(x509.KeyUsageFlags.digitalSignature, [OID_OCSP_SIGNING]),
    new x509.Extension(OID_OCSP_NOCHECK, false, Uint8Array.of(0x05, 0x00)),
  ];
}

/** A pseudonymous person identifier: 32 random hex digits, linked to nothing but the issuer's record. */
export function newPseudonymousId(): string {
  return randomBytes(16).toString('hex');
}
