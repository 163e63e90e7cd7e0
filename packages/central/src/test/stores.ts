/**
 * Integration-test fixtures: the same suite on a fresh SQLite database (a temporary file, so WAL is
 * exercised) and on a fresh PostgreSQL database created for the suite and dropped after it.
 *
 * PostgreSQL is required, not optional: the server URL comes from ONSHI_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres); the suite fails when it cannot connect.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { migrate } from '../store/migrate.ts';
import { type Dialect, openStore, type Store } from '../store/store.ts';

export const dialects: readonly Dialect[] = ['sqlite', 'postgres'];

export function testPostgresUrl(): string {
  return process.env.ONSHI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export interface TestStore {
  readonly store: Store;
  /** The URL the store was opened with (a second store on the same database can be opened). */
  readonly url: string;
  /** Closes the store and deletes its database. */
  dispose(): Promise<void>;
}

/** A fresh, empty database of the given engine. `migrated` (default true) applies the migrations. */
export async function createTestStore(
  dialect: Dialect,
  options: { migrated?: boolean } = {},
): Promise<TestStore> {
  const created = dialect === 'sqlite' ? createSqlite() : await createPostgres();
  if (options.migrated ?? true) await migrate(created.store);
  return created;
}

/** Runs `fn` on a fresh test store (`createTestStore`) and disposes of it afterwards, pass or fail. */
export async function withTestStore<T>(
  dialect: Dialect,
  fn: (store: Store) => Promise<T>,
  options: { migrated?: boolean } = {},
): Promise<T> {
  const fixture = await createTestStore(dialect, options);
  try {
    return await fn(fixture.store);
  } finally {
    await fixture.dispose();
  }
}

function createSqlite(): TestStore {
  const dir = mkdtempSync(join(tmpdir(), 'onshi-test-'));
  const url = `sqlite:${join(dir, 'central.db')}`;
  const store = openStore(url);
  return {
    store,
    url,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgres(): Promise<TestStore> {
  const serverUrl = testPostgresUrl();
  const name = `onshi_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (admin) => admin.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const store = openStore(url.toString(), { poolSize: 4, pipelinedConnections: 2 });
  return {
    store,
    url: url.toString(),
    async dispose() {
      await store.close();
      await withAdmin(serverUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

async function withAdmin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Runs `fn` once per engine inside `describe('<name> [<engine>]')`. `fn` registers tests and reads
 * the store through the accessor (the database is created in `before`, dropped in `after`).
 */
export function forEachStore(name: string, fn: (store: () => Store, dialect: Dialect) => void): void {
  for (const dialect of dialects) {
    describe(`${name} [${dialect}]`, () => {
      let fixture: TestStore | undefined;
      before(async () => {
        fixture = await createTestStore(dialect);
      });
      after(async () => {
        await fixture?.dispose();
      });
      fn(() => {
        if (fixture === undefined) throw new Error('test store not ready');
        return fixture.store;
      }, dialect);
    });
  }
}
