/**
 * The PostgreSQL store over `pg`.
 *
 * - SQL arrives with `?` placeholders; it is rewritten to `$n` once per SQL text and cached, and
 *   every statement with parameters gets a stable name, so each connection parses it once (a named
 *   prepared statement) and afterwards only binds and executes.
 * - Statements outside a transaction go to a few long-lived connections opened with pg's
 *   `pipeline: true` (pg ≥ 8.21): many queries are on the wire at once over one socket, each with its
 *   own Sync, so an error in one does not touch the others. Measured on this machine: about twice the
 *   point-lookup throughput of a plain pool (measured-facts.md). Nothing session-scoped (SET, locks,
 *   temp tables, cursors) ever runs on those connections.
 * - Writes to a pipelined connection are batched per turn of the event loop: its socket is corked
 *   when the turn's first statement goes out and uncorked in `setImmediate`, so the statements of
 *   all requests served in one turn leave in one write (one syscall and one wake-up of the backend)
 *   instead of one each. The delay is the rest of the turn: no timer, no waiting for more work.
 * - `transaction()` pins one client of an ordinary (non-pipelined) pool for BEGIN … COMMIT.
 * - int8 and numeric come back as JS numbers, so ids and counts look the same as on SQLite.
 */
import pg from 'pg';
import type { SqlValue, Store } from './store.ts';

export interface PostgresOptions {
  /** Connections of the transaction pool (default 10). */
  readonly poolSize?: number;
  /** Pipelined connections for statements outside transactions; 0 sends them through the pool. */
  readonly pipelinedConnections?: number;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if ((oid === INT8_OID || oid === NUMERIC_OID) && format !== 'binary') {
      return (value: string) => Number(value);
    }
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

interface PreparedText {
  readonly text: string;
  readonly name: string | undefined;
}

/** Rewrites `?` to `$1…$n` (outside quotes) once per SQL text; names statements that take params. */
class StatementCache {
  private readonly cache = new Map<string, PreparedText>();
  private readonly maxNamed = 1000;
  private named = 0;

  get(sql: string): PreparedText {
    let prepared = this.cache.get(sql);
    if (prepared === undefined) {
      const { text, count } = rewritePlaceholders(sql);
      const name = count > 0 && this.named < this.maxNamed ? `onshi_${++this.named}` : undefined;
      prepared = { text, name };
      this.cache.set(sql, prepared);
    }
    return prepared;
  }
}

export function rewritePlaceholders(sql: string): { text: string; count: number } {
  let out = '';
  let count = 0;
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++count}`;
    } else {
      out += ch;
    }
  }
  return { text: out, count };
}

type Queryable = Pick<pg.ClientBase, 'query'>;

async function query<T>(
  target: Queryable,
  statements: StatementCache,
  sql: string,
  params: readonly SqlValue[],
): Promise<pg.QueryResult & { rows: T[] }> {
  const { text, name } = statements.get(sql);
  const config: pg.QueryConfig = { text, values: params as SqlValue[] };
  if (name !== undefined) config.name = name;
  return target.query(config) as Promise<pg.QueryResult & { rows: T[] }>;
}

/** A small set of pipelined connections used round-robin; a broken one is replaced on next use. */
class PipelinedClients {
  private readonly slots: (Promise<pg.Client> | undefined)[];
  private readonly config: pg.ClientConfig;
  private nextSlot = 0;
  private closed = false;
  private readonly corked = new Set<pg.Client>();

  constructor(config: pg.ClientConfig, size: number) {
    this.config = config;
    this.slots = new Array<Promise<pg.Client> | undefined>(size).fill(undefined);
  }

  acquire(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error('store: closed'));
    const index = this.nextSlot;
    this.nextSlot = (index + 1) % this.slots.length;
    let slot = this.slots[index];
    if (slot === undefined) {
      slot = this.connect(index);
      this.slots[index] = slot;
    }
    return slot;
  }

  /** Holds the client's writes until the end of this turn of the event loop (see the file header). */
  batch(client: pg.Client): void {
    if (this.corked.has(client)) return;
    const socket = client.connection.stream;
    socket.cork();
    this.corked.add(client);
    setImmediate(() => {
      this.corked.delete(client);
      socket.uncork();
    });
  }

  private async connect(index: number): Promise<pg.Client> {
    const client = new pg.Client({ ...this.config, pipeline: true });
    const forget = (): void => {
      if (this.slots[index] === pending) this.slots[index] = undefined;
    };
    // A connection error is reported to the queries on it; the slot reconnects on next use.
    client.on('error', forget);
    client.on('end', forget);
    const pending = client.connect().then(
      () => client,
      (error: unknown) => {
        forget();
        throw error;
      },
    );
    return pending;
  }

  async close(): Promise<void> {
    this.closed = true;
    const open = this.slots.filter((slot) => slot !== undefined);
    this.slots.fill(undefined);
    await Promise.allSettled(open.map(async (slot) => (await slot).end()));
  }
}

const noParams: readonly SqlValue[] = [];

function clientView(
  client: pg.PoolClient,
  statements: StatementCache,
  depth: number,
  isOpen: () => boolean,
): Store {
  const target = (): Queryable => {
    if (!isOpen()) throw new Error('store: transaction already finished');
    return client;
  };
  return {
    dialect: 'postgres',
    raw: {},
    async all<T>(sql: string, params = noParams) {
      return (await query<T>(target(), statements, sql, params)).rows;
    },
    async get<T>(sql: string, params = noParams) {
      return (await query<T>(target(), statements, sql, params)).rows[0];
    },
    async run(sql: string, params = noParams) {
      return (await query(target(), statements, sql, params)).rowCount ?? 0;
    },
    async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
      target();
      const name = `sp${depth + 1}`;
      let open = true;
      await client.query(`savepoint ${name}`);
      try {
        const result = await fn(clientView(client, statements, depth + 1, () => open));
        await client.query(`release savepoint ${name}`);
        return result;
      } catch (error) {
        await client.query(`rollback to savepoint ${name}`);
        throw error;
      } finally {
        open = false;
      }
    },
    async close() {
      throw new Error('store: close() inside a transaction');
    },
  };
}

export function openPostgresStore(url: string, options: PostgresOptions = {}): Store {
  const clientConfig: pg.ClientConfig = { connectionString: url, types: typeParsers };
  const pool = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 10 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const statements = new StatementCache();
  const pipelinedCount = options.pipelinedConnections ?? 2;
  const pipes = pipelinedCount > 0 ? new PipelinedClients(clientConfig, pipelinedCount) : undefined;
  const autocommit = async (): Promise<Queryable> => {
    if (pipes === undefined) return pool;
    const client = await pipes.acquire();
    pipes.batch(client);
    return client;
  };

  return {
    dialect: 'postgres',
    raw: { pg: pool },
    async all<T>(sql: string, params = noParams) {
      return (await query<T>(await autocommit(), statements, sql, params)).rows;
    },
    async get<T>(sql: string, params = noParams) {
      return (await query<T>(await autocommit(), statements, sql, params)).rows[0];
    },
    async run(sql: string, params = noParams) {
      return (await query(await autocommit(), statements, sql, params)).rowCount ?? 0;
    },
    async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('begin');
      } catch (error) {
        client.release(error as Error);
        throw error;
      }
      let open = true;
      // A client whose ROLLBACK fails is broken: it is destroyed instead of returning to the pool.
      let broken: Error | undefined;
      try {
        const result = await fn(clientView(client, statements, 0, () => open));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        open = false;
        client.release(broken);
      }
    },
    async close() {
      await pipes?.close();
      await pool.end();
    },
  };
}
