/**
 * The connector's durable state: one row per request in a local SQLite file. Every method is one
 * statement, hence one transaction; the state machine and its crash cases are in the README.
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
}

export interface NewRequest {
  readonly name: string;
  readonly sha256: string;
  readonly bytes: Uint8Array;
  readonly receivedAt: number;
  readonly deadlineAt: number;
}

export interface Answer {
  readonly resultName: string;
  readonly result: Uint8Array;
  readonly outcome: Outcome;
  readonly errorCode: string | null;
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
  archive_path TEXT
);
CREATE INDEX IF NOT EXISTS requests_open ON requests (state, next_attempt_at) WHERE state <> 'done';
`;

const columns = `id, name, sha256, state, bytes, attempts, received_at AS receivedAt,
  deadline_at AS deadlineAt, next_attempt_at AS nextAttemptAt, result_name AS resultName, result,
  outcome, error_code AS errorCode, archive_path AS archivePath`;

export interface ConnectorRepo {
  insertReceived(request: NewRequest): number;
  /** received → sent; false when the row was not in `received`. */
  markSent(id: number): boolean;
  /** sent → received with the next attempt time. */
  markRetry(id: number, nextAttemptAt: number): boolean;
  /** received|sent → answered; only from `from`, so a late answer after the deadline is dropped. */
  markAnswered(id: number, from: 'sent' | 'received', answer: Answer): boolean;
  markWriting(id: number): boolean;
  markWritten(id: number, archivePath: string): boolean;
  markDone(id: number): boolean;
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
  const s = (sql: string): StatementSync => db.prepare(sql);
  const insert =
    s(`INSERT INTO requests (name, sha256, state, bytes, received_at, deadline_at, next_attempt_at)
    VALUES (?, ?, 'received', ?, ?, ?, ?)`);
  const move = (from: string, to: string, set = '') =>
    s(`UPDATE requests SET state = '${to}'${set} WHERE id = ? AND state = '${from}'`);
  const sent = move('received', 'sent', ', attempts = attempts + 1');
  const retry = s(
    `UPDATE requests SET state = 'received', next_attempt_at = ? WHERE id = ? AND state = 'sent'`,
  );
  const answered = s(`UPDATE requests SET state = 'answered', result_name = ?, result = ?, outcome = ?,
    error_code = ? WHERE id = ? AND state = ?`);
  const writing = move('answered', 'writing');
  const written = s(
    `UPDATE requests SET state = 'written', archive_path = ? WHERE id = ? AND state = 'writing'`,
  );
  const done = move('written', 'done', ', bytes = NULL, result = NULL');
  const inState = s(`SELECT ${columns} FROM requests WHERE state = ? ORDER BY id LIMIT ?`);
  const due = s(`SELECT ${columns} FROM requests WHERE state = 'received' AND next_attempt_at <= ?
    ORDER BY id LIMIT ?`);
  const one = s(`SELECT ${columns} FROM requests WHERE id = ?`);
  const changed = (r: { changes: number | bigint }) => Number(r.changes) === 1;
  return {
    insertReceived: (r) =>
      Number(insert.run(r.name, r.sha256, r.bytes, r.receivedAt, r.deadlineAt, r.receivedAt).lastInsertRowid),
    markSent: (id) => changed(sent.run(id)),
    markRetry: (id, at) => changed(retry.run(at, id)),
    markAnswered: (id, from, a) =>
      changed(answered.run(a.resultName, a.result, a.outcome, a.errorCode, id, from)),
    markWriting: (id) => changed(writing.run(id)),
    markWritten: (id, archivePath) => changed(written.run(archivePath, id)),
    markDone: (id) => changed(done.run(id)),
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
