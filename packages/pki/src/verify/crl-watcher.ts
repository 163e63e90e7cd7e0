/**
 * Watches the common CA's CRL file and keeps its revoked serials in memory, so that a revocation
 * reaches a running service within `intervalMs` (plus the time the operator takes to copy the CRL).
 * The file is polled (stat every `intervalMs`): fs.watch misses atomic renames on some platforms.
 * Only a CRL signed by the expected issuer and newer than the one held (a higher CRL Number) is
 * taken; anything else is
 * reported through `onError` and the previous CRL stays in force.
 */
import type { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { type Clock, OnshiError } from '@onshi/core';
import { type ParsedCrl, parseCrl } from '../ca/ca.crl.ts';
import { normalizeSerial } from '../certs.ts';

export interface CrlWatcherOptions {
  /** The CA that signs the CRL (the issuing CA). */
  readonly issuer: X509Certificate;
  /** How often the file is checked for a change; default 5 000 ms. */
  readonly intervalMs?: number | undefined;
  /** For `info().loadedAt`; default the system clock. */
  readonly clock?: Clock | undefined;
  /** Called when a changed file cannot be taken (unreadable, bad signature, older). */
  readonly onError?: ((error: OnshiError) => void) | undefined;
}

export interface CrlInfo {
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly revokedCount: number;
  readonly loadedAt: Date;
}

export interface CrlWatcher {
  /** Whether the serial (any hex form) is on the CRL held now. */
  isRevoked(serialHex: string): boolean;
  /** Throws PKI_CRL_STALE when the CRL held is past its nextUpdate at `at`. */
  assertCurrent(at: Date): void;
  info(): CrlInfo;
  /** Reads the file now if it changed; resolves to whether a new CRL was taken. */
  reload(): Promise<boolean>;
  /** Stops polling. */
  close(): void;
}

/** Loads the CRL (PKI_CRL_UNAVAILABLE if it cannot) and starts polling the file. */
export async function createCrlWatcher(crlPath: string, options: CrlWatcherOptions): Promise<CrlWatcher> {
  const now = (): Date => options.clock?.now() ?? new Date();
  let current = await loadCrl(crlPath, options.issuer);
  let loadedAt = now();
  let fileStamp = await stamp(crlPath);
  const reload = async (): Promise<boolean> => {
    const seen = await stamp(crlPath).catch(() => undefined);
    if (seen === undefined || seen === fileStamp) return false;
    fileStamp = seen;
    const next = await loadCrl(crlPath, options.issuer);
    if (!isNewer(next, current)) {
      throw new OnshiError('PKI_CRL_UNAVAILABLE', { path: crlPath, detail: 'not newer than the CRL in use' });
    }
    current = next;
    loadedAt = now();
    return true;
  };
  const poll = (): void => {
    reload().catch((error: unknown) => {
      if (error instanceof OnshiError) options.onError?.(error);
    });
  };
  const timer = setInterval(poll, options.intervalMs ?? 5_000);
  timer.unref();
  return {
    isRevoked: (serialHex) => current.revoked.has(normalizeSerial(serialHex)),
    assertCurrent(at) {
      if (current.nextUpdate !== undefined && at > current.nextUpdate) {
        throw new OnshiError('PKI_CRL_STALE', { nextUpdate: current.nextUpdate.toISOString() });
      }
    },
    info: () => ({
      thisUpdate: current.thisUpdate,
      nextUpdate: current.nextUpdate,
      revokedCount: current.revoked.size,
      loadedAt,
    }),
    reload,
    close: () => clearInterval(timer),
  };
}

async function loadCrl(path: string, issuer: X509Certificate): Promise<ParsedCrl> {
  let parsed: ParsedCrl | undefined;
  try {
    parsed = await parseCrl(await readFile(path), issuer);
  } catch (error) {
    throw new OnshiError('PKI_CRL_UNAVAILABLE', { path, detail: 'unreadable' }, { cause: error });
  }
  if (parsed === undefined) {
    throw new OnshiError('PKI_CRL_UNAVAILABLE', { path, detail: 'not signed by the issuing CA' });
  }
  return parsed;
}

/** A higher CRL Number; for CRLs without one, a later thisUpdate. */
function isNewer(next: ParsedCrl, current: ParsedCrl): boolean {
  if (next.crlNumber >= 0 || current.crlNumber >= 0) return next.crlNumber > current.crlNumber;
  return next.thisUpdate > current.thisUpdate;
}

/** What changes when the file is replaced or rewritten. */
async function stamp(path: string): Promise<string> {
  const info = await stat(path, { bigint: true });
  return `${info.ino}:${info.size}:${info.mtimeNs}`;
}
