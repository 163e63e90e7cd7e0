/**
 * The SQLite store: one `node:sqlite` connection (WAL, synchronous=NORMAL, foreign keys on, busy
 * timeout, memory-mapped reads) with a prepared-statement cache keyed by SQL text.
 *
 * `DatabaseSync` is synchronous, so every call runs to completion before it returns; the only
 * interleaving comes from `transaction()`, whose callback awaits. While a transaction is open, calls
 * made outside it wait (a gate), so they never land inside somebody else's transaction. Nested
 * `transaction()` calls on the transaction's own store become savepoints.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqlValue, Store } from './store.ts';

export interface SqliteOptions {
  /** Busy timeout in milliseconds (default 5000). */
  readonly busyTimeoutMs?: number;
  /** Memory-map size in bytes for file databases (default: SQLite's maximum, 2 GiB − 64 KiB). */
  readonly mmapBytes?: number;
  /** SQLite's own page cache of this connection, in KiB (default: SQLite's, 2 MiB). */
  readonly cacheKiB?: number;
  /** Who writes first when this process's connections want the write lock at once (`WritePriority`). */
  readonly writePriority?: WritePriority;
}

/**
 * Write priority between connections of one process, across threads. SQLite has one writer at a
 * time and no queue: a writer that finds the database busy retries after a pause, and a connection
 * that commits back to back (the batch thread, chunk after chunk) can take the lock again before a
 * waiting one retries — single checks then wait for their audit commit behind several chunks. A
 * connection with `first: true` counts itself in `cells[0]` while it waits for or holds a write
 * transaction; one with `first: false` begins none while that count is above zero, waiting up to
 * `maxWaitMs` (default 50) so that it is never starved for long. The cells live in a
 * SharedArrayBuffer that both threads were given.
 */
export interface WritePriority {
  readonly cells: Int32Array;
  readonly first: boolean;
  readonly maxWaitMs?: number;
}

/** A new set of cells for `WritePriority` (to share with the threads that open connections). */
export function writePriorityCells(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** The option of a connection that yields to the writers counted in `cells` (none when absent). */
export function yieldingTo(cells: Int32Array | undefined): Pick<SqliteOptions, 'writePriority'> {
  return cells === undefined ? {} : { writePriority: { cells, first: false } };
}

/** Until no connection that writes first waits for or holds the write lock, or `until` (ms) passed. */
async function yieldToFirstWriters(priority: WritePriority, until: number): Promise<void> {
  for (;;) {
    const waiting = Atomics.load(priority.cells, 0);
    const left = until - Date.now();
    if (waiting <= 0 || left <= 0) return;
    const result = Atomics.waitAsync(priority.cells, 0, waiting, left);
    if (result.async) await result.value;
  }
}

/**
 * SQLITE_MAX_MMAP_SIZE of node:sqlite's build (larger values are cut to it): reads of the first
 * 2 GiB of the file come straight from the page cache, without a pread per page. A 1M-person store
 * is ~320 MB, 10M ~3.2 GB. It is address space, not memory: pages are the kernel's file cache.
 */
const MAX_MMAP_BYTES = 0x7fff0000;

/** A prepared statement that returns rows as arrays, and its column names. */
interface Prepared {
  readonly statement: StatementSync;
  readonly names: readonly string[];
}

/**
 * node:sqlite's own row objects are dictionary-mode objects with a null prototype whose keys are
 * re-internalised for every row; copying them to plain objects cost ~15 µs per check-sized row
 * (42 columns). Rows are read as arrays instead and turned into plain objects here, so that they
 * look the same as PostgreSQL's (deep equality, JSON, `in` checks) at a fraction of the cost.
 */
function toObject<T>(names: readonly string[], values: readonly unknown[]): T {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
  return row as T;
}

/** The connection plus its statement cache; shared by the store and its transaction views. */
class Connection {
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, Prepared>();

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  statement(sql: string): Prepared {
    let prepared = this.statements.get(sql);
    if (prepared === undefined) {
      const statement = this.db.prepare(sql);
      statement.setReturnArrays(true);
      prepared = { statement, names: statement.columns().map((column) => column.name) };
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  all<T>(sql: string, params: readonly SqlValue[]): T[] {
    const { statement, names } = this.statement(sql);
    const rows = statement.all(...(params as SQLInputValue[])) as unknown as unknown[][];
    return rows.map((values) => toObject<T>(names, values));
  }

  get<T>(sql: string, params: readonly SqlValue[]): T | undefined {
    const { statement, names } = this.statement(sql);
    const values = statement.get(...(params as SQLInputValue[])) as unknown as unknown[] | undefined;
    return values === undefined ? undefined : toObject<T>(names, values);
  }

  run(sql: string, params: readonly SqlValue[]): number {
    return Number(this.statement(sql).statement.run(...(params as SQLInputValue[])).changes);
  }
}

const noParams: readonly SqlValue[] = [];

/** The view a transaction callback receives: runs directly on the connection, no gate. */
function transactionView(connection: Connection, depth: number, isOpen: () => boolean): Store {
  const check = (): void => {
    if (!isOpen()) throw new Error('store: transaction already finished');
  };
  const view: Store = {
    dialect: 'sqlite',
    raw: { sqlite: connection.db },
    async all<T>(sql: string, params = noParams) {
      check();
      return connection.all<T>(sql, params);
    },
    async get<T>(sql: string, params = noParams) {
      check();
      return connection.get<T>(sql, params);
    },
    async run(sql: string, params = noParams) {
      check();
      return connection.run(sql, params);
    },
    async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
      check();
      return savepoint(connection, depth + 1, fn);
    },
    async close() {
      throw new Error('store: close() inside a transaction');
    },
  };
  return view;
}

async function savepoint<T>(
  connection: Connection,
  depth: number,
  fn: (tx: Store) => Promise<T>,
): Promise<T> {
  const name = `sp${depth}`;
  let open = true;
  connection.db.exec(`savepoint ${name}`);
  try {
    const result = await fn(transactionView(connection, depth, () => open));
    connection.db.exec(`release ${name}`);
    return result;
  } catch (error) {
    connection.db.exec(`rollback to ${name}`);
    connection.db.exec(`release ${name}`);
    throw error;
  } finally {
    open = false;
  }
}

const SQLITE_BUSY = 5;

/**
 * Longest pause between two attempts at `begin immediate`. Short, because the writer it waits for
 * is usually another thread of this process (the batch thread) committing a chunk in a few ms: a
 * pause that doubled up to 50 ms made single checks wait up to ~140 ms for their audit commit
 * behind back-to-back batch commits (docs/benchmarks.md, "Batch"). An attempt that finds the
 * database busy costs microseconds.
 */
const MAX_BUSY_PAUSE_MS = 2;

/**
 * `begin immediate` without blocking the event loop: the busy timeout is switched off for the
 * attempt and a busy database is retried after an asynchronous pause. Another connection in the same
 * process (which can only finish while this thread is free) can thus commit in the meantime.
 */
async function beginImmediate(db: DatabaseSync, timeoutMs: number, priority?: WritePriority): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // A connection that yields looks again before every attempt: a first writer may have come meanwhile.
  const yieldUntil = priority?.first === false ? Date.now() + (priority.maxWaitMs ?? 50) : 0;
  let pause = 1;
  db.exec('pragma busy_timeout = 0');
  try {
    for (;;) {
      if (priority?.first === false) await yieldToFirstWriters(priority, yieldUntil);
      try {
        db.exec('begin immediate');
        return;
      } catch (error) {
        const code = ((error as { errcode?: number }).errcode ?? 0) & 0xff;
        if (code !== SQLITE_BUSY || Date.now() >= deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, MAX_BUSY_PAUSE_MS);
    }
  } finally {
    db.exec(`pragma busy_timeout = ${Math.trunc(timeoutMs)}`);
  }
}

export function openSqliteStore(path: string, options: SqliteOptions = {}): Store {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true, timeout: busyTimeoutMs });
  if (path !== ':memory:') {
    db.exec('pragma journal_mode = wal');
    db.exec(`pragma mmap_size = ${Math.trunc(options.mmapBytes ?? MAX_MMAP_BYTES)}`);
  }
  if (options.cacheKiB !== undefined) db.exec(`pragma cache_size = -${Math.trunc(options.cacheKiB)}`);
  db.exec('pragma synchronous = normal');
  db.exec('pragma foreign_keys = on');
  const connection = new Connection(db);
  /**
   * Settles when the open transaction ends; calls outside it wait for it. The wait loops are
   * written inline on purpose: after the last check there must be no `await` before the statement
   * runs (or the transaction begins), or another transaction could slip in between.
   */
  let gate: Promise<void> | undefined;

  return {
    dialect: 'sqlite',
    raw: { sqlite: db },
    async all<T>(sql: string, params = noParams) {
      while (gate !== undefined) await gate;
      return connection.all<T>(sql, params);
    },
    async get<T>(sql: string, params = noParams) {
      while (gate !== undefined) await gate;
      return connection.get<T>(sql, params);
    },
    async run(sql: string, params = noParams) {
      while (gate !== undefined) await gate;
      return connection.run(sql, params);
    },
    async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
      while (gate !== undefined) await gate;
      let release!: () => void;
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let open = true;
      const priority = options.writePriority;
      if (priority?.first) Atomics.add(priority.cells, 0, 1);
      try {
        await beginImmediate(db, busyTimeoutMs, priority);
        try {
          const result = await fn(transactionView(connection, 0, () => open));
          db.exec('commit');
          return result;
        } catch (error) {
          if (db.isTransaction) db.exec('rollback');
          throw error;
        }
      } finally {
        open = false;
        gate = undefined;
        if (priority?.first) {
          Atomics.sub(priority.cells, 0, 1);
          Atomics.notify(priority.cells, 0);
        }
        release();
      }
    },
    async close() {
      while (gate !== undefined) await gate;
      if (db.isOpen) db.close();
    },
  };
}
