/**
 * The institution's client certificate as the staff see it (証明書): subject, validity and days
 * left, with warnings at 90/60/30/15/7 days before expiry (severity rising) and once it has expired.
 * The 医療機関コード is read from the subject the way central reads it (pki institutionCodeOf).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { institutionCodeOf } from '@onshi/pki';

export const expiryThresholds = [90, 60, 30, 15, 7] as const;

export type ExpirySeverity = 'none' | 'info' | 'notice' | 'caution' | 'warning' | 'danger' | 'expired';
const severities: readonly ExpirySeverity[] = ['info', 'notice', 'caution', 'warning', 'danger'];

export interface ExpiryWarning {
  /** The smallest threshold the days left are within (90, 60, 30, 15, 7), or undefined. */
  readonly threshold: number | undefined;
  readonly severity: ExpirySeverity;
}

const DAY_MS = 86_400_000;

/** Whole days from `now` until `notAfter` (negative once it has passed). */
export function daysLeft(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
}

export function expiryWarning(days: number, expired = days < 0): ExpiryWarning {
  if (expired) return { threshold: 0, severity: 'expired' };
  let found: ExpiryWarning = { threshold: undefined, severity: 'none' };
  expiryThresholds.forEach((threshold, index) => {
    if (days <= threshold) found = { threshold, severity: severities[index]! };
  });
  return found;
}

export interface CertificateInfo {
  readonly subject: string;
  readonly issuer: string;
  readonly serial: string;
  readonly institutionCode: string | undefined;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly daysLeft: number;
  readonly warning: ExpiryWarning;
}

/** The first certificate of a PEM file. */
export function readCertificate(file: string): X509Certificate {
  return new X509Certificate(readFileSync(file));
}

export function institutionCodeOfCertificate(cert: X509Certificate): string | undefined {
  try {
    return institutionCodeOf(cert);
  } catch {
    return undefined;
  }
}

const oneLine = (dn: string) => dn.split('\n').filter(Boolean).join(', ');

export function certificateInfo(cert: X509Certificate, now: Date): CertificateInfo {
  const notAfter = new Date(cert.validTo);
  const days = daysLeft(notAfter, now);
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    serial: cert.serialNumber.toUpperCase(),
    institutionCode: institutionCodeOfCertificate(cert),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: days,
    warning: expiryWarning(days, notAfter.getTime() <= now.getTime()),
  };
}
