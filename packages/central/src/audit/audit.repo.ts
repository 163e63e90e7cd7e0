/**
 * SQL of the audit trail (migration 004): the chained append, the pages the verifier walks, the
 * lookup by hash it needs to tell a reordered record, and a person's access log.
 *
 * The append is one transaction that locks the chain head (`audit_head`, one row): `select … for
 * update` on PostgreSQL; on SQLite the store's `begin immediate` already makes the transaction the
 * only writer of the file. So appenders in several processes on one database each see the head the
 * previous one left, and the chain stays one line with gap-free `seq`.
 */
import type { SqlValue, Store } from '../store/store.ts';
import { type AuditEntry, type AuditRecord, auditHash } from './audit.hash.ts';
import { mergedUpTo, SEQS_OF_PERSON } from './audit.merge.ts';

const columns = 'seq, at, institution_code, terminal_user, person_id, action, reason, prev_hash, hash';
/** Rows per insert statement (9 parameters each). */
const ROWS_PER_INSERT = 100;

export interface AuditRow {
  seq: number;
  at: string;
  institution_code: string | null;
  terminal_user: string | null;
  person_id: number | null;
  action: string;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

export function toAuditRecord(row: AuditRow): AuditRecord {
  return {
    seq: row.seq,
    at: row.at,
    institutionCode: row.institution_code ?? undefined,
    terminalUser: row.terminal_user ?? undefined,
    personId: row.person_id ?? undefined,
    action: row.action as AuditRecord['action'],
    reason: row.reason ?? undefined,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Appends the entries, in order, to the chain in one transaction (`at` must be set). Safe to call
 * from several processes at once. Resolves to the records as written.
 */
export async function appendAudit(
  store: Store,
  entries: readonly (AuditEntry & { readonly at: string })[],
): Promise<AuditRecord[]> {
  if (entries.length === 0) return [];
  return store.transaction(async (tx) => {
    const lock = tx.dialect === 'postgres' ? ' for update' : '';
    const head = await tx.get<{ seq: number; hash: string }>(
      `select seq, hash from audit_head where id = 1${lock}`,
    );
    if (head === undefined) throw new Error('audit_head is missing (migration 004 not applied?)');
    let { seq, hash } = head;
    const records: AuditRecord[] = [];
    for (const entry of entries) {
      const next = auditHash(entry, hash);
      seq += 1;
      records.push({ ...entry, seq, prevHash: hash, hash: next });
      hash = next;
    }
    for (let i = 0; i < records.length; i += ROWS_PER_INSERT) {
      await insertRows(tx, records.slice(i, i + ROWS_PER_INSERT));
    }
    await tx.run('update audit_head set seq = ?, hash = ? where id = 1', [seq, hash]);
    return records;
  });
}

async function insertRows(tx: Store, records: readonly AuditRecord[]): Promise<void> {
  const params: SqlValue[] = [];
  for (const r of records) {
    params.push(
      r.seq,
      r.at,
      r.institutionCode ?? null,
      r.terminalUser ?? null,
      r.personId ?? null,
      r.action,
      r.reason ?? null,
      r.prevHash,
      r.hash,
    );
  }
  const values = records.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  await tx.run(`insert into audit_records (${columns}) values ${values}`, params);
}

/** Records with seq > `after`, in seq order, at most `limit`. */
export async function listAuditPage(store: Store, after: number, limit: number): Promise<AuditRecord[]> {
  const rows = await store.all<AuditRow>(
    `select ${columns} from audit_records where seq > ? order by seq limit ?`,
    [after, limit],
  );
  return rows.map(toAuditRecord);
}

/** The seq of the record whose stored hash is `hash` (a full scan: the verifier calls it on a break only). */
export async function findSeqByHash(store: Store, hash: string): Promise<number | undefined> {
  return (await store.get<{ seq: number }>('select seq from audit_records where hash = ?', [hash]))?.seq;
}

export async function auditHead(store: Store): Promise<{ seq: number; hash: string }> {
  const head = await store.get<{ seq: number; hash: string }>(
    'select seq, hash from audit_head where id = 1',
  );
  return head ?? { seq: 0, hash: '' };
}

export interface AccessLogEntry {
  readonly at: string;
  readonly institutionCode: string;
  readonly action: string;
}

/**
 * Who accessed a person's data: institution records about the person, oldest first (the last
 * `limit`). Merged or not: the person's `audit_person` entries and the records after the merge's
 * watermark (audit.merge.ts).
 */
export async function listAccessesOf(
  store: Store,
  personId: number,
  limit: number,
): Promise<AccessLogEntry[]> {
  const rows = await store.all<{ at: string; institution_code: string; action: string }>(
    `select r.at, r.institution_code, r.action
     from (${SEQS_OF_PERSON}) p join audit_records r on r.seq = p.seq
     where r.institution_code is not null order by r.seq desc limit ?`,
    [personId, await mergedUpTo(store), personId, limit],
  );
  return rows.reverse().map((r) => ({ at: r.at, institutionCode: r.institution_code, action: r.action }));
}
