/**
 * The store: one interface over SQLite (`node:sqlite`, the embedded default) and PostgreSQL (`pg`).
 * SQL is written once with `?` placeholders; the PostgreSQL adapter rewrites them to `$n` (cached
 * per statement text). Only `*.repo.ts` files and migrations contain SQL.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Pool } from 'pg';

export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | bigint | null;

export interface Store {
  readonly dialect: Dialect;
  /** All rows, as objects keyed by column name. */
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement; resolves to the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it rejects. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Engine handles for bulk loaders and benchmarks only; application code uses the methods above. */
  readonly raw: { readonly sqlite?: DatabaseSync; readonly pg?: Pool };
}
