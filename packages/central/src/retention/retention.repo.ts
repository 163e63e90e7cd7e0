/** SQL of the retention purge: qualifications lost before a cut-off date and what hangs off them. */
import type { Store } from '../store/store.ts';

/** Persons holding at least one qualification lost before `cutoff` (a batch of at most `limit`). */
export async function personsWithExpired(store: Store, cutoff: string, limit: number): Promise<number[]> {
  const rows = await store.all<{ person_id: number }>(
    `select distinct person_id from qualifications
     where disqualification_date is not null and disqualification_date < ?
     order by person_id limit ?`,
    [cutoff, limit],
  );
  return rows.map((row) => row.person_id);
}

const expiredOfPerson =
  'select qualification_id from qualifications where person_id = ? and disqualification_date is not null and disqualification_date < ?';

/** Deletes the person's qualifications lost before `cutoff`, with their certificates and events. */
export async function deleteExpiredOfPerson(store: Store, personId: number, cutoff: string): Promise<number> {
  const params = [personId, cutoff];
  for (const table of [
    'qualification_events',
    'elderly_certificates',
    'limit_certificates',
    'specific_disease_certificates',
  ]) {
    await store.run(deleteDependents[table]!, params);
  }
  return store.run(
    'delete from qualifications where person_id = ? and disqualification_date is not null and disqualification_date < ?',
    params,
  );
}

const deleteDependents: Readonly<Record<string, string>> = {
  qualification_events: `delete from qualification_events where qualification_id in (${expiredOfPerson})`,
  elderly_certificates: `delete from elderly_certificates where qualification_id in (${expiredOfPerson})`,
  limit_certificates: `delete from limit_certificates where qualification_id in (${expiredOfPerson})`,
  specific_disease_certificates: `delete from specific_disease_certificates where qualification_id in (${expiredOfPerson})`,
};

/**
 * Deletes the person, their 照会番号, medical information and consents when no qualification is
 * left; resolves true if deleted.
 */
export async function deletePersonIfEmpty(store: Store, personId: number): Promise<boolean> {
  const left = await store.get<{ n: number }>(
    'select count(*) as n from qualifications where person_id = ?',
    [personId],
  );
  if ((left?.n ?? 0) > 0) return false;
  await store.run('delete from reference_numbers where person_id = ?', [personId]);
  // Medical information outlives no qualification: the claims and check-ups of a person go with them.
  await store.run('delete from medications where person_id = ?', [personId]);
  await store.run('delete from checkup_results where person_id = ?', [personId]);
  await store.run('delete from checkup_files where person_id = ?', [personId]);
  // Consents to view data that is gone are gone too. Audit records keep the internal person id
  // (audit_records.person_id is deliberately no foreign key): who looked at whom outlives the person.
  await store.run('delete from consents where person_id = ?', [personId]);
  return (await store.run('delete from persons where person_id = ?', [personId])) === 1;
}

/** Deletes up to `limit` medications dispensed or given before `cutoff`; resolves how many. */
export async function deleteMedicationsBefore(store: Store, cutoff: string, limit: number): Promise<number> {
  return store.run(
    `delete from medications where medication_id in
       (select medication_id from medications where service_date < ? order by medication_id limit ?)`,
    [cutoff, limit],
  );
}

/** Deletes up to `limit` check-up results of examinations before `cutoff`, then their emptied files. */
export async function deleteCheckupsBefore(store: Store, cutoff: string, limit: number): Promise<number> {
  const deleted = await store.run(
    `delete from checkup_results where result_id in
       (select result_id from checkup_results where exam_date < ? order by result_id limit ?)`,
    [cutoff, limit],
  );
  await store.run(
    `delete from checkup_files where exam_date < ?
       and not exists (select 1 from checkup_results r where r.checkup_file_id = checkup_files.file_id)`,
    [cutoff],
  );
  return deleted;
}

/** Key of the PostgreSQL advisory lock held while a retention run is going on ('onshi-rt'). */
const RETENTION_LOCK_KEY = 0x6f6e7274;

/**
 * Runs `fn` holding the retention lock and resolves its result, or resolves `undefined` at once
 * when another process holds the lock. On PostgreSQL a session-level advisory lock on a connection
 * of its own (released, or dropped with the connection if the process dies); on SQLite, whose one
 * connection serialises writers anyway, `fn` simply runs.
 */
export async function withRetentionLock<T>(store: Store, fn: () => Promise<T>): Promise<T | undefined> {
  const pool = store.raw.pg;
  if (store.dialect !== 'postgres' || pool === undefined) return fn();
  const client = await pool.connect();
  let locked = false;
  try {
    const row = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [
      RETENTION_LOCK_KEY,
    ]);
    locked = row.rows[0]?.locked === true;
    if (!locked) return undefined;
    return await fn();
  } finally {
    // A connection whose unlock failed is destroyed rather than pooled: its lock goes with it.
    const unlocked = locked
      ? await client.query('select pg_advisory_unlock($1)', [RETENTION_LOCK_KEY]).then(
          () => true,
          () => false,
        )
      : true;
    client.release(!unlocked);
  }
}
