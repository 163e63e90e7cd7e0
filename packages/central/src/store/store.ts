/**
 * The store: one interface over SQLite (`node:sqlite`, the embedded default) and PostgreSQL (`pg`).
 * SQL is written once with `?` placeholders; the PostgreSQL adapter rewrites them to `$n` (cached
 * per statement text). Only `*.repo.ts` files and migrations contain SQL.
 */
import type { DatabaseSync } from 'node:sqlite';
import { OnshiError } from '@onshi/core';
import type { Pool } from 'pg';
import { openPostgresStore, type PostgresOptions } from './store.postgres.ts';
import { openSqliteStore, type SqliteOptions } from './store.sqlite.ts';

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

export type StoreOptions = SqliteOptions & PostgresOptions;

/**
 * Opens a store from a URL: `sqlite:<path>`, `sqlite::memory:`, `postgres://…` or `postgresql://…`.
 * The schema is not touched; call `migrate(store)` before use.
 */
export function openStore(url: string, options: StoreOptions = {}): Store {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') {
      throw new OnshiError('CONFIG_INVALID', {
        name: 'store URL',
        detail: 'sqlite:<path> or sqlite::memory:',
      });
    }
    return openSqliteStore(path, options);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return openPostgresStore(url, options);
  }
  throw new OnshiError('CONFIG_INVALID', {
    name: 'store URL',
    detail: 'sqlite:<path>, sqlite::memory:, postgres://… or postgresql://…',
  });
}
