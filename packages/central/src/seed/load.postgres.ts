/**
 * Bulk writer for PostgreSQL: column arrays sent as `insert … select * from unnest($1::bigint[], …)`
 * batches of about 10,000 rows on one connection, at most two batches in flight so that generation
 * (in this process) and insertion (in the server) overlap. Secondary indexes are dropped during the
 * load and rebuilt after it, then identity sequences are moved past the loaded ids and the tables
 * analysed. Foreign-key triggers are skipped when the role may (`session_replication_role`).
 */
import type { Pool, PoolClient } from 'pg';
import type { HouseholdRecords } from './population.ts';
import { householdRows, loadedTables, type Row, rowTables, type Sink } from './sink.ts';

const BATCH_ROWS = 10_000;

/** The PostgreSQL type of each loaded column: ids and integers are bigint/int, the rest text. */
function columnType(column: string): string {
  if (column === 'person_id' || column === 'qualification_id') return 'bigint';
  return column === 'contribution_ratio' || column === 'self_pay' ? 'integer' : 'text';
}

function unnestSql(table: string, columns: readonly string[]): string {
  const args = columns.map((c, i) => `$${i + 1}::${columnType(c)}[]`).join(', ');
  return `insert into ${table} (${columns.join(', ')}) select * from unnest(${args})`;
}

interface Buffer {
  readonly sql: string;
  readonly columns: unknown[][];
  rows: number;
}

async function savedIndexes(client: PoolClient): Promise<{ name: string; sql: string }[]> {
  const result = await client.query<{ name: string; sql: string }>(
    `select i.indexname as name, i.indexdef as sql from pg_indexes i
      where i.schemaname = current_schema() and i.tablename = any($1)
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    [loadedTables],
  );
  return result.rows;
}

interface LoadMode {
  readonly indexes: readonly { name: string; sql: string }[];
  restore(): Promise<void>;
}

/** Skips FK triggers when allowed, raises maintenance memory, drops the secondary indexes. */
async function enterLoadMode(client: PoolClient): Promise<LoadMode> {
  const indexes = await savedIndexes(client);
  let skipTriggers = true;
  try {
    await client.query('set session_replication_role = replica');
  } catch {
    skipTriggers = false;
  }
  await client.query("set maintenance_work_mem = '1GB'");
  for (const index of indexes) await client.query(`drop index if exists ${index.name}`);
  return {
    indexes,
    async restore() {
      if (skipTriggers) await client.query('set session_replication_role = origin');
      await client.query('reset maintenance_work_mem');
    },
  };
}

/** Column buffers per table, sent as unnest batches with at most two batches in flight. */
function batchWriter(client: PoolClient) {
  const buffers: Buffer[] = rowTables.map(({ table, columns }) => ({
    sql: unnestSql(table, columns),
    columns: columns.map(() => []),
    rows: 0,
  }));
  const inFlight: Promise<unknown>[] = [];
  const send = async (b: Buffer): Promise<void> => {
    if (b.rows === 0) return;
    const params = b.columns.map((c) => c.slice());
    for (const c of b.columns) c.length = 0;
    b.rows = 0;
    // Chained, not queued inside pg: the next batch goes out when the previous one has finished.
    const previous = inFlight.at(-1) ?? Promise.resolve();
    inFlight.push(previous.then(() => client.query(b.sql, params)));
    if (inFlight.length > 2) await inFlight.shift();
  };
  return {
    emit(table: number, row: Row): void {
      const b = buffers[table]!;
      for (let i = 0; i < row.length; i++) b.columns[i]!.push(row[i]);
      b.rows++;
    },
    /** Sends every buffer (parents first) once one of them is full. */
    async sendWhenFull(): Promise<void> {
      if (buffers.some((b) => b.rows >= BATCH_ROWS)) for (const b of buffers) await send(b);
    },
    async flushAll(): Promise<void> {
      for (const b of buffers) await send(b);
      while (inFlight.length > 0) await inFlight.shift();
    },
    async settle(): Promise<void> {
      while (inFlight.length > 0) await inFlight.shift()?.catch(() => undefined);
    },
  };
}

/** Moves the identity sequences past the loaded ids. */
async function advanceSequences(client: PoolClient): Promise<void> {
  await client.query(
    `select setval(pg_get_serial_sequence('persons', 'person_id'), max(person_id)) from persons`,
  );
  await client.query(
    `select setval(pg_get_serial_sequence('qualifications', 'qualification_id'), max(qualification_id))
       from qualifications`,
  );
}

export async function postgresSink(pool: Pool): Promise<Sink> {
  const client = await pool.connect();
  const mode = await enterLoadMode(client);
  const writer = batchWriter(client);
  return {
    async write(household: HouseholdRecords) {
      householdRows(household, writer.emit);
      await writer.sendWhenFull();
    },
    async flush() {
      await writer.flushAll();
    },
    async finish() {
      await writer.flushAll();
      await rebuild(pool, mode.indexes);
      await advanceSequences(client);
      await mode.restore();
      client.release();
      for (const table of loadedTables) await pool.query(`analyze ${table}`);
    },
    async abort() {
      try {
        await writer.settle();
        await mode.restore();
        await rebuild(pool, mode.indexes);
      } finally {
        client.release();
      }
    },
  };
}

/** Recreates the dropped indexes, two at a time (one per core) on separate connections. */
async function rebuild(pool: Pool, indexes: readonly { name: string; sql: string }[]): Promise<void> {
  const queue = [...indexes];
  const worker = async (): Promise<void> => {
    const c = await pool.connect();
    try {
      await c.query("set maintenance_work_mem = '512MB'");
      for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
        await c.query(index.sql.replace(/^CREATE (UNIQUE )?INDEX /i, 'CREATE $1INDEX IF NOT EXISTS '));
      }
      await c.query('reset maintenance_work_mem');
    } finally {
      c.release();
    }
  };
  await Promise.all([worker(), worker()]);
}
