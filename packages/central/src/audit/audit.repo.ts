/**
 * SQL of the audit trail (migration 004): the chained append, the pages the verifier walks, the
 * lookup by hash it needs to tell a reordered record, and a person's access log.
 *
 * The append is one transaction that locks the chain head (`audit_head`, one row): `select … for
 * update` on PostgreSQL; on SQLite the store's `begin immediate` already makes the transaction the
 * only writer of the file. So appenders in several processes on one database each see the head the
 * previous one left, and the chain stays one line with gap-free `seq`.
 *
 * On PostgreSQL the process's writer first tries `appendAuditAfter`: the entries chained on the
 * head it left last time, written by one statement (one round trip, no BEGIN/COMMIT) that moves the
 * head only if it still is that head and is not locked, and inserts the records only if it moved.
 * Anything else (another process appended, a transaction holds the head) writes nothing, and the
 * append falls back to the locking transaction.
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

function toAuditRecord(row: AuditRow): AuditRecord {
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
    const head = await tx.get<ChainHead>(`select seq, hash from audit_head where id = 1${lock}`);
    if (head === undefined) throw new Error('audit_head is missing (migration 004 not applied?)');
    const records = chain(entries, head);
    const { seq, hash } = records.at(-1)!;
    for (let i = 0; i < records.length; i += ROWS_PER_INSERT) {
      await insertRows(tx, records.slice(i, i + ROWS_PER_INSERT));
    }
    await tx.run('update audit_head set seq = ?, hash = ? where id = 1', [seq, hash]);
    return records;
  });
}

/** The last record of the chain: its seq and hash. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

function chain(entries: readonly (AuditEntry & { readonly at: string })[], head: ChainHead): AuditRecord[] {
  let { seq, hash } = head;
  const records: AuditRecord[] = [];
  for (const entry of entries) {
    const next = auditHash(entry, hash);
    seq += 1;
    records.push({ ...entry, seq, prevHash: hash, hash: next });
    hash = next;
  }
  return records;
}

/**
 * One statement: locks the head row only if it is `expected` and nobody holds it (`skip locked`
 * never waits, so it never stalls the pipelined connection it runs on), moves it to the last
 * record, and inserts the records only if the head moved. Returns how many records were inserted
 * (0 or all) and the head as the statement's snapshot saw it.
 */
const chainedInsert = `with locked as (
    select id from audit_head where id = 1 and seq = ? and hash = ? for update skip locked
  ), moved as (
    update audit_head set seq = ?, hash = ? where id in (select id from locked) returning id
  ), inserted as (
    insert into audit_records (${columns})
    select r.seq, r.at, r.institution_code, r.terminal_user, r.person_id, r.action, r.reason, r.prev_hash, r.hash
    from json_to_recordset(?::json) as r(seq bigint, at text, institution_code text, terminal_user text,
      person_id bigint, action text, reason text, prev_hash text, hash text)
    where exists (select 1 from moved)
    returning 1
  )
  select (select count(*) from inserted) as inserted, seq, hash from audit_head where id = 1`;

/**
 * Appends the entries like `appendAudit`, chained on `expected`, the head the caller believes is
 * current (the one its last append left). On PostgreSQL this is one statement, which writes nothing
 * if the head is another one or locked; then it is tried once more on the head that statement saw,
 * and after that the locking transaction is used. On SQLite, and without `expected`, it is
 * `appendAudit`. Resolves to the records as written.
 */
export async function appendAuditAfter(
  store: Store,
  entries: readonly (AuditEntry & { readonly at: string })[],
  expected: ChainHead | undefined,
): Promise<AuditRecord[]> {
  if (entries.length === 0) return [];
  if (store.dialect !== 'postgres' || expected === undefined) return appendAudit(store, entries);
  let head = expected;
  for (let attempt = 0; attempt < 2; attempt++) {
    const records = chain(entries, head);
    const last = records.at(-1)!;
    const json = JSON.stringify(
      records.map((r) => ({
        seq: r.seq,
        at: r.at,
        institution_code: r.institutionCode ?? null,
        terminal_user: r.terminalUser ?? null,
        person_id: r.personId ?? null,
        action: r.action,
        reason: r.reason ?? null,
        prev_hash: r.prevHash,
        hash: r.hash,
      })),
    );
    const result = await store.get<{ inserted: number; seq: number; hash: string }>(chainedInsert, [
      head.seq,
      head.hash,
      last.seq,
      last.hash,
      json,
    ]);
    if (result === undefined) throw new Error('audit_head is missing (migration 004 not applied?)');
    if (Number(result.inserted) === records.length) return records;
    if (Number(result.inserted) !== 0) throw new Error('audit: partial chained insert');
    if (result.seq === head.seq && result.hash === head.hash) break; // locked: wait for it below
    head = { seq: result.seq, hash: result.hash };
  }
  return appendAudit(store, entries);
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

export async function auditHead(store: Store): Promise<ChainHead> {
  const head = await store.get<ChainHead>('select seq, hash from audit_head where id = 1');
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
