/**
 * The issued-certificate index of the common CA: `index.json` in the CA directory, rewritten
 * atomically (temp + rename) after every change. The CA is an operator tool; this file is its
 * whole memory of what it issued and revoked (the central service reads only the CRL).
 */
import type { X509Certificate } from 'node:crypto';
import { OnshiError } from '@onshi/core';
import { readJsonFile, writeJsonFile } from '../authority.ts';
import { normalizeSerial, randomSerialHex } from '../certs.ts';
import type { RevocationReason } from '../revocation.ts';

export const INDEX_FILE = 'index.json';
const INDEX_FORMAT = 'onshi-common-ca-index/1';

/** How the key of an issued certificate came to be: from the requester's CSR, or generated here. */
export type KeyDelivery = 'csr' | 'pkcs12' | 'server';

export interface IssuedEntry {
  /** Upper-case hex, as Node's X509Certificate.serialNumber prints it. */
  readonly serial: string;
  readonly kind: 'institution' | 'server';
  /** The subject as Node prints it, lines joined by ', '. */
  readonly subject: string;
  readonly institutionCode?: string | undefined;
  readonly institutionName?: string | undefined;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly issuedAt: string;
  readonly keyDelivery: KeyDelivery;
  /** Serial of the certificate this one renews. */
  readonly renewalOf?: string | undefined;
  readonly fingerprint256: string;
  readonly revoked?: { readonly at: string; readonly reason: RevocationReason } | undefined;
}

export interface CaIndex {
  readonly format: typeof INDEX_FORMAT;
  /** The number of the last CRL written (the CRL Number extension). */
  readonly crlNumber: number;
  readonly certificates: readonly IssuedEntry[];
}

export function emptyIndex(): CaIndex {
  return { format: INDEX_FORMAT, crlNumber: 0, certificates: [] };
}

export async function readIndex(dir: string): Promise<CaIndex> {
  const index = await readJsonFile<CaIndex>(dir, INDEX_FILE);
  if (index.format !== INDEX_FORMAT || !Array.isArray(index.certificates)) {
    throw new OnshiError('PKI_CA_DIRECTORY_INVALID', { dir, detail: `${INDEX_FILE} is not ${INDEX_FORMAT}` });
  }
  return index;
}

export async function writeIndex(dir: string, index: CaIndex): Promise<void> {
  await writeJsonFile(dir, INDEX_FILE, index);
}

/** A random serial not yet in the index. */
export function uniqueSerial(index: CaIndex): string {
  for (;;) {
    const serial = randomSerialHex();
    if (!index.certificates.some((entry) => entry.serial === serial)) return serial;
  }
}

/** The entry of `serial` (any hex form); unknown → PKI_SERIAL_UNKNOWN. */
export function findEntry(index: CaIndex, serial: string): IssuedEntry {
  let wanted: string;
  try {
    wanted = normalizeSerial(serial);
  } catch {
    throw new OnshiError('PKI_SERIAL_UNKNOWN', { serial });
  }
  const entry = index.certificates.find((candidate) => candidate.serial === wanted);
  if (entry === undefined) throw new OnshiError('PKI_SERIAL_UNKNOWN', { serial });
  return entry;
}

/** The index entry describing a freshly issued certificate. */
export function entryFor(
  certificate: X509Certificate,
  fields: Pick<IssuedEntry, 'kind' | 'keyDelivery' | 'institutionCode' | 'institutionName' | 'renewalOf'>,
  issuedAt: Date,
): IssuedEntry {
  return {
    serial: certificate.serialNumber,
    subject: certificate.subject.split('\n').join(', '),
    notBefore: certificate.validFromDate.toISOString(),
    notAfter: certificate.validToDate.toISOString(),
    issuedAt: issuedAt.toISOString(),
    fingerprint256: certificate.fingerprint256,
    ...(Object.fromEntries(
      Object.entries(fields).filter(([, value]) => value !== undefined),
    ) as typeof fields),
  };
}
