/**
 * Bulk writer for SQLite: prepared multi-row inserts inside large transactions, with the
 * secondary indexes dropped during the load and rebuilt after it, journal and fsync off while
 * loading (a crash mid-load leaves a database to throw away, not a corrupt live one: seeding is for
 * empty stores), then WAL and the connection's previous settings restored.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { HouseholdRecords } from './population.ts';
import { householdRows, loadedTables, type Row, rowTables, type Sink } from './sink.ts';

/** Rows per multi-row INSERT statement (SQLite allows 32,766 parameters). */
const ROWS_PER_STATEMENT = 64;

interface TableWriter {
  readonly one: StatementSync;
  readonly many: StatementSync;
  readonly width: number;
  readonly pending: SQLInputValue[];
}

function insertSql(table: string, columns: readonly string[], rows: number): string {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return `insert into ${table} (${columns.join(', ')}) values ${Array(rows).fill(tuple).join(', ')}`;
}

function pragma(db: DatabaseSync, name: string): string | number {
  const row = db.prepare(`pragma ${name}`).get() as Record<string, string | number> | undefined;
  return row === undefined ? '' : Object.values(row)[0]!;
}

interface LoadMode {
  /** The dropped secondary indexes, to rebuild after the load. */
  readonly indexes: readonly { name: string; sql: string }[];
  /** Puts back the connection's settings (rolling back an open transaction). */
  restore(): void;
}

/** Saves the settings, switches to loading settings and drops the secondary indexes. */
function enterLoadMode(db: DatabaseSync): LoadMode {
  const saved = {
    journal: String(pragma(db, 'journal_mode')),
    synchronous: Number(pragma(db, 'synchronous')),
    foreignKeys: Number(pragma(db, 'foreign_keys')),
    cacheSize: Number(pragma(db, 'cache_size')),
  };
  const placeholders = loadedTables.map(() => '?').join(', ');
  const indexes = db
    .prepare(
      `select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${placeholders})`,
    )
    .all(...loadedTables) as { name: string; sql: string }[];
  db.exec('pragma foreign_keys = off');
  db.exec('pragma journal_mode = off');
  db.exec('pragma synchronous = off');
  db.exec('pragma cache_size = -262144');
  for (const index of indexes) db.exec(`drop index ${index.name}`);
  return {
    indexes,
    restore() {
      if (db.isTransaction) db.exec('rollback');
      db.exec(`pragma journal_mode = ${saved.journal}`);
      db.exec(`pragma synchronous = ${saved.synchronous}`);
      db.exec(`pragma cache_size = ${saved.cacheSize}`);
      db.exec(`pragma foreign_keys = ${saved.foreignKeys}`);
    },
  };
}

/** Multi-row inserts per table: `emit` buffers a row, `drain` writes what is left one row at a time. */
function tableWriters(db: DatabaseSync): { emit(table: number, row: Row): void; drain(): void } {
  const writers: TableWriter[] = rowTables.map(({ table, columns }) => ({
    one: db.prepare(insertSql(table, columns, 1)),
    many: db.prepare(insertSql(table, columns, ROWS_PER_STATEMENT)),
    width: columns.length,
    pending: [],
  }));
  return {
    emit(table, row) {
      const w = writers[table]!;
      for (const value of row) w.pending.push(value);
      if (w.pending.length === w.width * ROWS_PER_STATEMENT) {
        w.many.run(...w.pending);
        w.pending.length = 0;
      }
    },
    drain() {
      for (const w of writers) {
        for (let i = 0; i < w.pending.length; i += w.width) w.one.run(...w.pending.slice(i, i + w.width));
        w.pending.length = 0;
      }
    },
  };
}

export function sqliteSink(db: DatabaseSync): Sink {
  const mode = enterLoadMode(db);
  const { emit, drain } = tableWriters(db);
  db.exec('begin');
  return {
    write(household: HouseholdRecords) {
      householdRows(household, emit);
    },
    async flush() {
      drain();
      db.exec('commit');
      db.exec('begin');
    },
    async finish() {
      drain();
      db.exec('commit');
      for (const index of mode.indexes) db.exec(index.sql);
      db.exec('pragma optimize');
      mode.restore();
    },
    async abort() {
      mode.restore();
      for (const index of mode.indexes) {
        db.exec(index.sql.replace(/^create index/i, 'create index if not exists'));
      }
    },
  };
}
