/**
 * SQL of the batch jobs (migration 006). Everything a worker commits for a chunk goes through
 * `finishChunk` inside one transaction with the chunk's results, so progress and answers never
 * disagree. Claims differ by engine: PostgreSQL skips jobs another process has locked
 * (`for update skip locked`); SQLite has one writer at a time (`begin immediate`), so the claim's
 * select-then-update is already exclusive.
 */
import type { SqlValue, Store } from '../store/store.ts';

export type BatchKind = 'confirm' | 'register';
/**
 * 'receiving': the rows are being stored (in several short transactions), no 受付番号 given out yet,
 * invisible to workers and to fetches; 'abandoned': a 'receiving' job whose process died, set aside
 * for the retention run.
 */
export type BatchState = 'receiving' | 'processing' | 'done' | 'abandoned';

export interface BatchJob {
  readonly jobId: number;
  readonly receptionNumber: string;
  readonly kind: BatchKind;
  readonly institutionCode: string;
  readonly fileIdentifier?: string | undefined;
  /** ISO date (batch check only). */
  readonly confirmationDate?: string | undefined;
  readonly state: BatchState;
  readonly totalRows: number;
  readonly pendingRows: number;
  readonly normalRows: number;
  readonly errorRows: number;
  readonly nextRow: number;
  readonly receivedAt: string;
  readonly completedAt?: string | undefined;
  readonly expiresOn?: string | undefined;
}

interface JobRow {
  job_id: number;
  reception_number: string;
  kind: string;
  institution_code: string;
  file_identifier: string | null;
  confirmation_date: string | null;
  state: string;
  total_rows: number;
  pending_rows: number;
  normal_rows: number;
  error_rows: number;
  next_row: number;
  received_at: string;
  completed_at: string | null;
  expires_on: string | null;
}

const jobColumns = `job_id, reception_number, kind, institution_code, file_identifier, confirmation_date, state,
  total_rows, pending_rows, normal_rows, error_rows, next_row, received_at, completed_at, expires_on`;

function toJob(row: JobRow): BatchJob {
  return {
    jobId: row.job_id,
    receptionNumber: row.reception_number,
    kind: row.kind as BatchKind,
    institutionCode: row.institution_code,
    fileIdentifier: row.file_identifier ?? undefined,
    confirmationDate: row.confirmation_date ?? undefined,
    state: row.state as BatchState,
    totalRows: row.total_rows,
    pendingRows: row.pending_rows,
    normalRows: row.normal_rows,
    errorRows: row.error_rows,
    nextRow: row.next_row,
    receivedAt: row.received_at,
    completedAt: row.completed_at ?? undefined,
    expiresOn: row.expires_on ?? undefined,
  };
}

/**
 * A job as `insertJob` stores it: `pendingRows` the valid rows left for the worker, `errorRows` the
 * malformed ones answered at acceptance, `completedAt` set when nothing is left for the worker.
 */
export interface NewJob extends Omit<BatchJob, 'jobId' | 'state' | 'normalRows' | 'nextRow'> {
  readonly contentHash: string;
}

/**
 * Inserts the job, 'receiving', unless the same upload exists; resolves to the new job id or
 * undefined. Its rows follow (`insertRows`, `insertResults`), then `openJob`.
 */
export async function insertJob(tx: Store, job: NewJob): Promise<number | undefined> {
  const row = await tx.get<{ job_id: number }>(
    `insert into batch_jobs (reception_number, kind, institution_code, content_hash, file_identifier,
       confirmation_date, state, total_rows, pending_rows, normal_rows, error_rows, next_row, received_at,
       completed_at, expires_on, served_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 1, ?, ?, ?, 0)
     on conflict (institution_code, kind, content_hash) do nothing
     returning job_id`,
    [
      job.receptionNumber,
      job.kind,
      job.institutionCode,
      job.contentHash,
      job.fileIdentifier ?? null,
      job.confirmationDate ?? null,
      'receiving',
      job.totalRows,
      job.pendingRows,
      job.errorRows,
      job.receivedAt,
      job.completedAt ?? null,
      job.expiresOn ?? null,
    ],
  );
  return row?.job_id;
}

export async function findJobByUpload(
  store: Store,
  key: { institutionCode: string; kind: BatchKind; contentHash: string },
): Promise<BatchJob | undefined> {
  const row = await store.get<JobRow>(
    `select ${jobColumns} from batch_jobs where institution_code = ? and kind = ? and content_hash = ?`,
    [key.institutionCode, key.kind, key.contentHash],
  );
  return row === undefined ? undefined : toJob(row);
}

export async function findJobByReception(
  store: Store,
  receptionNumber: string,
): Promise<BatchJob | undefined> {
  const row = await store.get<JobRow>(`select ${jobColumns} from batch_jobs where reception_number = ?`, [
    receptionNumber,
  ]);
  return row === undefined ? undefined : toJob(row);
}

export async function findJob(store: Store, jobId: number): Promise<BatchJob | undefined> {
  const row = await store.get<JobRow>(`select ${jobColumns} from batch_jobs where job_id = ?`, [jobId]);
  return row === undefined ? undefined : toJob(row);
}

/** Rows of the institution's unfinished jobs that the worker has not answered yet. */
export async function rowsInFlight(store: Store, institutionCode: string): Promise<number> {
  const row = await store.get<{ n: number | null }>(
    `select sum(pending_rows) as n from batch_jobs
     where institution_code = ? and state in ('receiving', 'processing')`,
    [institutionCode],
  );
  return Number(row?.n ?? 0);
}

/**
 * A job whose rows are all stored: 'processing' (the worker's) or 'done' (every row was malformed).
 * Resolves false when it was set aside meanwhile (`abandonJob`).
 */
export async function openJob(tx: Store, jobId: number, state: 'processing' | 'done'): Promise<boolean> {
  const changed = await tx.run(`update batch_jobs set state = ? where job_id = ? and state = 'receiving'`, [
    state,
    jobId,
  ]);
  return changed === 1;
}

/**
 * Sets aside a 'receiving' job left by a process that died while storing it: its upload key is
 * freed (the client sends the file again and it is stored anew) and the retention run deletes it
 * with its rows from `expiresOn` on. Resolves false when the job was no longer 'receiving'.
 */
export async function abandonJob(tx: Store, jobId: number, expiresOn: string): Promise<boolean> {
  const changed = await tx.run(
    `update batch_jobs set state = 'abandoned', content_hash = ?, expires_on = ?
     where job_id = ? and state = 'receiving'`,
    [`abandoned:${jobId}`, expiresOn, jobId],
  );
  return changed === 1;
}

/** Multi-row inserts of at most this many rows (SQLite's and PostgreSQL's parameter limits). */
const ROWS_PER_INSERT = 500;

async function insertMany(
  tx: Store,
  head: string,
  width: number,
  values: readonly SqlValue[],
): Promise<void> {
  const per = ROWS_PER_INSERT * width;
  const tuple = `(${new Array(width).fill('?').join(', ')})`;
  for (let i = 0; i < values.length; i += per) {
    const slice = values.slice(i, i + per);
    const tuples = new Array(slice.length / width).fill(tuple).join(', ');
    await tx.run(`${head} values ${tuples}`, slice);
  }
}

/** A valid row of an upload as stored: its number (1-based) and its request as JSON. */
export interface StoredRow {
  readonly rowNo: number;
  readonly request: string;
}

export async function insertRows(tx: Store, jobId: number, rows: readonly StoredRow[]): Promise<void> {
  const values: SqlValue[] = [];
  for (const r of rows) values.push(jobId, r.rowNo, r.request);
  await insertMany(tx, 'insert into batch_rows (job_id, row_no, request)', 3, values);
}

export interface RowResult {
  readonly rowNo: number;
  /** OQSCD004: 1 normal, 2 error. */
  readonly status: 1 | 2;
  /** The unit as JSON. */
  readonly unit: string;
}

/** Inserts answers; a row answered before fails the statement (primary key), and the transaction. */
export async function insertResults(tx: Store, jobId: number, results: readonly RowResult[]): Promise<void> {
  const values: SqlValue[] = [];
  for (const r of results) values.push(jobId, r.rowNo, r.status, r.unit);
  await insertMany(tx, 'insert into batch_results (job_id, row_no, status, unit)', 4, values);
}

/**
 * Takes the lease of the least recently served unfinished job whose lease is free or expired:
 * one chunk's worth of work, then `finishChunk` gives it back. Runs inside a transaction.
 */
export async function claimJob(
  tx: Store,
  claim: { owner: string; nowMs: number; leaseMs: number },
): Promise<BatchJob | undefined> {
  const skipLocked = tx.dialect === 'postgres' ? ' for update skip locked' : '';
  const row = await tx.get<JobRow>(
    `select ${jobColumns} from batch_jobs
     where state = 'processing' and (lease_until is null or lease_until < ?)
     order by served_at, job_id limit 1${skipLocked}`,
    [claim.nowMs],
  );
  if (row === undefined) return undefined;
  await tx.run('update batch_jobs set lease_owner = ?, lease_until = ? where job_id = ?', [
    claim.owner,
    claim.nowMs + claim.leaseMs,
    row.job_id,
  ]);
  return toJob(row);
}

/** Valid rows of the job from `fromRow` on, in order. */
export async function readRows(
  store: Store,
  jobId: number,
  fromRow: number,
  limit: number,
): Promise<StoredRow[]> {
  const rows = await store.all<{ row_no: number; request: string }>(
    'select row_no, request from batch_rows where job_id = ? and row_no >= ? order by row_no limit ?',
    [jobId, fromRow, limit],
  );
  return rows.map((r) => ({ rowNo: r.row_no, request: r.request }));
}

export interface ChunkProgress {
  readonly jobId: number;
  readonly owner: string;
  readonly answered: number;
  readonly normal: number;
  readonly error: number;
  readonly nextRow: number;
  readonly nowMs: number;
  /** The lease is kept until then (the worker's wave goes on); without it the lease is given back. */
  readonly leaseUntil?: number | undefined;
  /** Set on the chunk that answers the last row. */
  readonly completedAt?: string | undefined;
  readonly expiresOn?: string | undefined;
}

/**
 * Records a chunk's progress and gives the lease back (or renews it: `leaseUntil`), only while
 * `owner` still holds it; resolves
 * false (nothing changed) when the lease was lost — the caller then rolls the chunk back.
 */
export async function finishChunk(tx: Store, p: ChunkProgress): Promise<boolean> {
  const changed = await tx.run(
    `update batch_jobs set pending_rows = pending_rows - ?, normal_rows = normal_rows + ?,
       error_rows = error_rows + ?, next_row = ?, served_at = ?, lease_owner = ?, lease_until = ?,
       state = ?, completed_at = ?, expires_on = ?
     where job_id = ? and lease_owner = ?`,
    [
      p.answered,
      p.normal,
      p.error,
      p.nextRow,
      p.nowMs,
      p.leaseUntil === undefined ? null : p.owner,
      p.leaseUntil ?? null,
      p.completedAt === undefined ? 'processing' : 'done',
      p.completedAt ?? null,
      p.expiresOn ?? null,
      p.jobId,
      p.owner,
    ],
  );
  return changed === 1;
}

/** Every answer of the job, in row order. */
export async function listResults(store: Store, jobId: number): Promise<string[]> {
  const rows = await store.all<{ unit: string }>(
    'select unit from batch_results where job_id = ? order by row_no',
    [jobId],
  );
  return rows.map((r) => r.unit);
}

/** Deletes up to `limit` jobs whose results expired before `today`, rows and answers first. */
export async function purgeJobsExpiredBefore(tx: Store, today: string, limit: number): Promise<number> {
  const ids = await tx.all<{ job_id: number }>(
    `select job_id from batch_jobs where expires_on is not null and expires_on < ? order by job_id limit ?`,
    [today, limit],
  );
  for (const { job_id } of ids) {
    await tx.run('delete from batch_results where job_id = ?', [job_id]);
    await tx.run('delete from batch_rows where job_id = ?', [job_id]);
    await tx.run('delete from batch_jobs where job_id = ?', [job_id]);
  }
  return ids.length;
}
