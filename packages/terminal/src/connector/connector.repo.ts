/**
 * The connector's durable state: one row per request in a local SQLite file. Every method is one
 * statement, hence one transaction on its own; `transaction` groups the steps of many requests
 * into one (the connector's batches). The state machine and its crash cases are in the README.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';

export type RequestState = 'received' | 'sent' | 'answered' | 'writing' | 'written' | 'done';
export type Outcome = 'central' | 'error';

export interface RequestRow {
  readonly id: number;
  readonly name: string;
  readonly sha256: string;
  readonly state: RequestState;
  readonly bytes: Uint8Array | null;
  readonly attempts: number;
  readonly receivedAt: number;
  readonly deadlineAt: number;
  readonly nextAttemptAt: number;
  readonly resultName: string | null;
  readonly result: Uint8Array | null;
  readonly outcome: Outcome | null;
  readonly errorCode: string | null;
  readonly archivePath: string | null;
  /** The result is this file (a large answer streamed to disk), not `result`. */
  readonly resultPath: string | null;
  readonly resultSize: number | null;
  /** Size of the request file; `bytes` is empty when it exceeds the connector's limit. */
  readonly requestSize: number | null;
}

export interface NewRequest {
  readonly name: string;
  readonly sha256: string;
  readonly bytes: Uint8Array;
  /** The file's size (larger than `bytes` when the file was too large to read). */
  readonly size?: number;
  readonly receivedAt: number;
  readonly deadlineAt: number;
}

export interface Answer {
  readonly resultName: string;
  readonly result: Uint8Array;
  readonly outcome: Outcome;
  readonly errorCode: string | null;
  /** A result streamed into this file (complete, fsynced) instead of `result` (then empty). */
  readonly resultPath?: string | undefined;
  readonly resultSize?: number | undefined;
}

export type StateCounts = Readonly<Record<RequestState, number>> & { readonly errors: number };

const schema = `
CREATE TABLE IF NOT EXISTS requests (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  state TEXT NOT NULL,
  bytes BLOB,
  attempts INTEGER NOT NULL DEFAULT 0,
  received_at INTEGER NOT NULL,
  deadline_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  result_name TEXT,
  result BLOB,
  outcome TEXT,
  error_code TEXT,
  archive_path TEXT,
  done_at INTEGER,
  result_path TEXT,
  result_size INTEGER,
  request_size INTEGER
);
DROP INDEX IF EXISTS requests_open;
CREATE INDEX IF NOT EXISTS requests_state ON requests (state, id);
`;

/** Created after the columns a state file of an earlier version lacks have been added. */
const purgeIndex = `CREATE INDEX IF NOT EXISTS requests_done ON requests (done_at) WHERE state = 'done'`;

const columns = `id, name, sha256, state, bytes, attempts, received_at AS receivedAt,
  deadline_at AS deadlineAt, next_attempt_at AS nextAttemptAt, result_name AS resultName, result,
  outcome, error_code AS errorCode, archive_path AS archivePath, result_path AS resultPath,
  result_size AS resultSize, request_size AS requestSize`;

export interface ConnectorRepo {
  insertReceived(request: NewRequest): number;
  /** received → sent; false when the row was not in `received`. */
  markSent(id: number): boolean;
  /** sent → received with the next attempt time. */
  markRetry(id: number, nextAttemptAt: number): boolean;
  /** received|sent → answered; only from `from`, so a late answer after the deadline is dropped. */
  markAnswered(id: number, from: 'sent' | 'received', answer: Answer): boolean;
  /** answered → received: a streamed result found missing or short (README, large results). */
  markResend(id: number): boolean;
  markWriting(id: number): boolean;
  markWritten(id: number, archivePath: string): boolean;
  /** written → done at `at` (ms; default now), the time the retention counts from. */
  markDone(id: number, at?: number): boolean;
  /**
   * Runs `fn` in one transaction (BEGIN IMMEDIATE … COMMIT; ROLLBACK if it throws). `durable:
   * false` commits without waiting for the disk (synchronous=NORMAL for this commit): it is then
   * made durable by the next durable commit, or lost in a system crash — never torn, since the WAL
   * is replayed up to its last complete commit. Only for steps whose loss recovery redoes anyway.
   */
  transaction<T>(fn: () => T, options?: { durable: boolean }): T;
  /** Deletes rows done before `before` (ms), except the newest row of all; how many. */
  purgeDone(before: number): number;
  /** Rows in a state, oldest first. */
  listInState(state: RequestState, limit?: number): RequestRow[];
  /** `received` rows whose attempt time has come, oldest first. */
  listDue(now: number, limit: number): RequestRow[];
  /** Back to `received` for every `sent` row (their calls died with the process). */
  resetSent(): number;
  get(id: number): RequestRow | undefined;
  counts(): StateCounts;
  close(): void;
}

export function openConnectorRepo(file: string): ConnectorRepo {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
  db.exec(schema);
  const has = new Set(
    (db.prepare('PRAGMA table_info(requests)').all() as { name: string }[]).map((c) => c.name),
  );
  if (!has.has('done_at')) {
    // A state file from before the purge: its done rows count from their receipt.
    db.exec(`ALTER TABLE requests ADD COLUMN done_at INTEGER;
      UPDATE requests SET done_at = received_at WHERE state = 'done';`);
  }
  // A state file from before large results and the request size limit.
  for (const column of ['result_path TEXT', 'result_size INTEGER', 'request_size INTEGER']) {
    if (!has.has(column.split(' ')[0]!)) db.exec(`ALTER TABLE requests ADD COLUMN ${column}`);
  }
  db.exec(purgeIndex);
  const s = (sql: string): StatementSync => db.prepare(sql);
  const insert = s(`INSERT INTO requests (name, sha256, state, bytes, request_size, received_at, deadline_at,
    next_attempt_at) VALUES (?, ?, 'received', ?, ?, ?, ?, ?)`);
  const move = (from: string, to: string, set = '') =>
    s(`UPDATE requests SET state = '${to}'${set} WHERE id = ? AND state = '${from}'`);
  // The newest row is kept: SQLite gives a new row max(id) + 1, and ids name files (`.work/<id>_X`,
  // temps, `done/<id>_X`), so an id must never be given twice.
  const purge = s(`DELETE FROM requests WHERE state = 'done' AND done_at < ?
    AND id < (SELECT max(id) FROM requests)`);
  let depth = 0;
  let outerDurable = true;
  function transaction<T>(fn: () => T, options = { durable: true }): T {
    if (depth > 0) {
      if (options.durable && !outerDurable)
        throw new Error('a durable step inside a non-durable transaction');
      return fn();
    }
    outerDurable = options.durable;
    if (!options.durable) db.exec('PRAGMA synchronous = NORMAL');
    db.exec('BEGIN IMMEDIATE');
    depth++;
    try {
      const value = fn();
      db.exec('COMMIT');
      return value;
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    } finally {
      depth--;
      if (!options.durable) db.exec('PRAGMA synchronous = FULL');
    }
  }
  const sent = move('received', 'sent', ', attempts = attempts + 1');
  const retry = s(
    `UPDATE requests SET state = 'received', next_attempt_at = ? WHERE id = ? AND state = 'sent'`,
  );
  const answered = s(`UPDATE requests SET state = 'answered', result_name = ?, result = ?, outcome = ?,
    error_code = ?, result_path = ?, result_size = ? WHERE id = ? AND state = ?`);
  const resend = s(`UPDATE requests SET state = 'received', result_name = NULL, result = NULL,
    outcome = NULL, error_code = NULL, result_path = NULL, result_size = NULL
    WHERE id = ? AND state = 'answered'`);
  const writing = move('answered', 'writing');
  const written = s(
    `UPDATE requests SET state = 'written', archive_path = ? WHERE id = ? AND state = 'writing'`,
  );
  const done = move('written', 'done', ', bytes = NULL, result = NULL, done_at = ?');
  const inState = s(`SELECT ${columns} FROM requests WHERE state = ? ORDER BY id LIMIT ?`);
  const due = s(`SELECT ${columns} FROM requests WHERE state = 'received' AND next_attempt_at <= ?
    ORDER BY id LIMIT ?`);
  const one = s(`SELECT ${columns} FROM requests WHERE id = ?`);
  const changed = (r: { changes: number | bigint }) => Number(r.changes) === 1;
  return {
    insertReceived: (r) =>
      Number(
        insert.run(
          r.name,
          r.sha256,
          r.bytes,
          r.size ?? r.bytes.length,
          r.receivedAt,
          r.deadlineAt,
          r.receivedAt,
        ).lastInsertRowid,
      ),
    markSent: (id) => changed(sent.run(id)),
    markRetry: (id, at) => changed(retry.run(at, id)),
    markAnswered: (id, from, a) =>
      changed(
        answered.run(
          a.resultName,
          a.result,
          a.outcome,
          a.errorCode,
          a.resultPath ?? null,
          a.resultSize ?? null,
          id,
          from,
        ),
      ),
    markResend: (id) => changed(resend.run(id)),
    markWriting: (id) => changed(writing.run(id)),
    markWritten: (id, archivePath) => changed(written.run(archivePath, id)),
    markDone: (id, at = Date.now()) => changed(done.run(at, id)),
    transaction,
    purgeDone: (before) => Number(purge.run(before).changes),
    listInState: (state, limit = 1_000_000) => inState.all(state, limit) as unknown as RequestRow[],
    listDue: (now, limit) => due.all(now, limit) as unknown as RequestRow[],
    resetSent: () => Number(s(`UPDATE requests SET state = 'received' WHERE state = 'sent'`).run().changes),
    get: (id) => one.get(id) as unknown as RequestRow | undefined,
    counts: () => countStates(db),
    close: () => db.close(),
  };
}

function countStates(db: DatabaseSync): StateCounts {
  const counts = { received: 0, sent: 0, answered: 0, writing: 0, written: 0, done: 0, errors: 0 };
  const rows = db.prepare('SELECT state, count(*) AS n FROM requests GROUP BY state').all() as {
    state: RequestState;
    n: number;
  }[];
  for (const row of rows) counts[row.state] = row.n;
  const errors = db.prepare(`SELECT count(*) AS n FROM requests WHERE outcome = 'error'`).get() as {
    n: number;
  };
  counts.errors = errors.n;
  return counts;
}
