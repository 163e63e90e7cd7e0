/**
 * `onshi audit verify`: walks the chain in seq order and reports the first broken record.
 *
 * For each record at the expected position:
 * - seq is not the next number → AUDIT_RECORD_DELETED (the first missing seq); likewise when the
 *   chain head says there are more records than the table holds (deleted at the end);
 * - its hash does not match its content and prev_hash → AUDIT_RECORD_EDITED;
 * - it is intact but its prev_hash is not the hash of the record before it: if a record with that
 *   hash exists elsewhere in the table, this record was moved → AUDIT_RECORD_REORDERED; otherwise
 *   the record before it was rewritten with a recomputed hash → AUDIT_RECORD_EDITED at seq − 1.
 *
 * Then the index by person (migration 008, audit.merge.ts), which the chain does not cover: a
 * record up to the merge's watermark without its entry, or an entry that does not match its record
 * → AUDIT_PERSON_INDEX_MISMATCH at the first such seq (a patient's access log would miss or show
 * a wrong record).
 */
import type { ErrorCode } from '@onshi/core';
import type { Store } from '../store/store.ts';
import { auditHash, GENESIS_HASH } from './audit.hash.ts';
import { firstPersonIndexMismatch } from './audit.merge.ts';
import { auditHead, findSeqByHash, listAuditPage } from './audit.repo.ts';

export type AuditVerification =
  | { readonly ok: true; readonly records: number; readonly headHash: string }
  | {
      readonly ok: false;
      readonly code: Extract<ErrorCode, `AUDIT_${string}`>;
      readonly seq: number;
      /** Records found intact before the break. */
      readonly records: number;
    };

export async function verifyAuditChain(
  store: Store,
  options: { readonly pageSize?: number } = {},
): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 5000;
  let expected = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const page = await listAuditPage(store, expected - 1, pageSize);
    for (const record of page) {
      const records = expected - 1;
      if (record.seq !== expected) return { ok: false, code: 'AUDIT_RECORD_DELETED', seq: expected, records };
      if (auditHash(record, record.prevHash) !== record.hash) {
        return { ok: false, code: 'AUDIT_RECORD_EDITED', seq: record.seq, records };
      }
      if (record.prevHash !== prevHash) {
        const moved = (await findSeqByHash(store, record.prevHash)) !== undefined;
        return moved
          ? { ok: false, code: 'AUDIT_RECORD_REORDERED', seq: record.seq, records }
          : {
              ok: false,
              code: 'AUDIT_RECORD_EDITED',
              seq: Math.max(1, record.seq - 1),
              records: Math.max(0, records - 1),
            };
      }
      prevHash = record.hash;
      expected += 1;
    }
    if (page.length < pageSize) break;
  }
  const head = await auditHead(store);
  const records = expected - 1;
  if (head.seq > records) return { ok: false, code: 'AUDIT_RECORD_DELETED', seq: expected, records };
  const mismatch = await firstPersonIndexMismatch(store);
  if (mismatch !== undefined) {
    return { ok: false, code: 'AUDIT_PERSON_INDEX_MISMATCH', seq: mismatch, records: mismatch - 1 };
  }
  return { ok: true, records, headHash: prevHash };
}
