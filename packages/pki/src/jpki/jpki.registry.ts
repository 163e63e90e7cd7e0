/**
 * The card issuer's records, in its directory:
 * - `issued.ndjson`: one line per user-authentication certificate, appended (batches issue many);
 * - `revoked.json`: the revoked serials with time and reason, rewritten atomically.
 * `watchCardStatus` keeps both in memory for the OCSP responder, re-reading them when they change
 * (appended lines only, when the issued file has grown).
 */
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { OnshiError } from '@onshi/core';
import { writeJsonFile } from '../authority.ts';
import { normalizeSerial } from '../certs.ts';
import type { RevocationReason } from '../revocation.ts';

export const ISSUED_FILE = 'issued.ndjson';
export const REVOKED_FILE = 'revoked.json';

export interface IssuedCardRecord {
  /** Upper-case hex. */
  readonly serial: string;
  /** The pseudonymous person identifier (the role of 機関別符号); never a My Number. */
  readonly pseudonymousId: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly issuedAt: string;
}

export interface RevokedCardRecord {
  readonly serial: string;
  readonly revokedAt: string;
  readonly reason: RevocationReason;
}

export type CardStatus =
  | { readonly status: 'good' }
  | { readonly status: 'revoked'; readonly revokedAt: Date; readonly reason: RevocationReason }
  | { readonly status: 'unknown' };

export async function readRevoked(dir: string): Promise<RevokedCardRecord[]> {
  try {
    const file = JSON.parse(await readFile(join(dir, REVOKED_FILE), 'utf8')) as {
      revoked?: RevokedCardRecord[];
    };
    if (!Array.isArray(file.revoked)) throw new TypeError('revoked is not a list');
    return file.revoked;
  } catch (error) {
    throw new OnshiError(
      'PKI_CA_DIRECTORY_INVALID',
      { dir, detail: `${REVOKED_FILE} unreadable` },
      { cause: error },
    );
  }
}

export async function writeRevoked(dir: string, revoked: readonly RevokedCardRecord[]): Promise<void> {
  await writeJsonFile(dir, REVOKED_FILE, { revoked });
}

/** Reads issued records from byte `offset`; returns them and the offset after the last whole line. */
export async function readIssuedFrom(
  dir: string,
  offset: number,
): Promise<{ records: IssuedCardRecord[]; offset: number }> {
  const handle = await open(join(dir, ISSUED_FILE), 'r');
  try {
    const { size } = await handle.stat();
    if (size <= offset) return { records: [], offset };
    const buffer = Buffer.alloc(size - offset);
    await handle.read(buffer, 0, buffer.length, offset);
    const end = buffer.lastIndexOf(0x0a) + 1;
    const lines = buffer
      .subarray(0, end)
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '');
    return { records: lines.map((line) => JSON.parse(line) as IssuedCardRecord), offset: offset + end };
  } finally {
    await handle.close();
  }
}

export interface CardStatusSource {
  /** good (issued, not revoked), revoked, or unknown (never issued by this CA). */
  status(serialHex: string): CardStatus;
  /** Re-reads changed files now; resolves to whether anything changed. */
  reload(): Promise<boolean>;
  close(): void;
}

/** Loads the records and re-reads them every `intervalMs` (default 2 000 ms) when they change. */
export async function watchCardStatus(
  dir: string,
  options: { intervalMs?: number } = {},
): Promise<CardStatusSource> {
  const issued = new Set<string>();
  let revoked = new Map<string, RevokedCardRecord>();
  let offset = 0;
  let revokedStamp = '';
  const reload = async (): Promise<boolean> => {
    const next = await readIssuedFrom(dir, offset);
    for (const record of next.records) issued.add(record.serial);
    const grew = next.offset !== offset;
    offset = next.offset;
    const info = await stat(join(dir, REVOKED_FILE), { bigint: true });
    const stamp = `${info.ino}:${info.size}:${info.mtimeNs}`;
    if (stamp === revokedStamp) return grew;
    revokedStamp = stamp;
    revoked = new Map((await readRevoked(dir)).map((record) => [record.serial, record]));
    return true;
  };
  await reload();
  const timer = setInterval(() => void reload().catch(() => {}), options.intervalMs ?? 2_000);
  timer.unref();
  return {
    status(serialHex) {
      const serial = normalizeSerial(serialHex);
      const record = revoked.get(serial);
      if (record !== undefined) {
        return { status: 'revoked', revokedAt: new Date(record.revokedAt), reason: record.reason };
      }
      return issued.has(serial) ? { status: 'good' } : { status: 'unknown' };
    },
    reload,
    close: () => clearInterval(timer),
  };
}
