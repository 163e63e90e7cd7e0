/**
 * The canonical form of an audit record and its chained hash (pure).
 *
 * hash = SHA-256(prev_hash ‖ "\n" ‖ canonical), canonical = the JSON array
 * [at, institution, terminalUser, personId, action, reason] (absent values as null). `seq` is not
 * hashed: a record's place is bound by `prev_hash`, the hash of the record before it, so a record
 * moved elsewhere still hashes to its own value but no longer links — which is how the verifier
 * tells a reordered record (intact, misplaced) from an edited one (its hash no longer matches).
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** What is recorded: who (institution, terminal user), whose data (person), what, why. */
export interface AuditEntry {
  /** ISO 8601 instant; the writer sets it when absent. */
  readonly at?: string | undefined;
  /** 医療機関コード; absent for the operator's own actions. */
  readonly institutionCode?: string | undefined;
  /** The terminal's user (x-onshi-terminal-user), when the terminal names one. */
  readonly terminalUser?: string | undefined;
  /** Internal person id — never the My Number. Absent when no person was found. */
  readonly personId?: number | undefined;
  readonly action: AuditAction;
  /** The reason given (disaster mode, revocation …). */
  readonly reason?: string | undefined;
}

export type AuditAction =
  | 'check-card-data'
  | 'check-card'
  | 'view-medication'
  | 'view-checkup'
  | 'disaster-search'
  | 'consent-revoke'
  | 'disaster-open'
  | 'disaster-close';

export interface AuditRecord extends AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
}

function canonicalAudit(entry: AuditEntry & { readonly at: string }): string {
  return JSON.stringify([
    entry.at,
    entry.institutionCode ?? null,
    entry.terminalUser ?? null,
    entry.personId ?? null,
    entry.action,
    entry.reason ?? null,
  ]);
}

export function auditHash(entry: AuditEntry & { readonly at: string }, prevHash: string): string {
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalAudit(entry)}`)
    .digest('hex');
}
