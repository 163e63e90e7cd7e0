/**
 * Seeded stores for the HTTP benchmark, reused across runs: a SQLite file or a PostgreSQL database
 * per (engine, persons, seed), with a marker file that records what was seeded and by which
 * version of the generator (a hash of its sources). A store without a matching marker is rebuilt.
 */
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_AS_OF, migrate, openStore, progressBar, type Store, seedStore } from '@onshi/central';
import pg from 'pg';

export type Engine = 'sqlite' | 'postgres';

export interface BenchStore {
  readonly engine: Engine;
  readonly persons: number;
  readonly url: string;
  readonly asOf: string;
  /** seconds spent seeding in this run, or undefined when an existing store was reused */
  readonly seededSeconds: number | undefined;
}

const seedSources = new URL('../../packages/central/src/seed/', import.meta.url);

/** Files of the seed folder that do not change what is stored. */
const notGenerator = new Set(['index.ts', 'progress.ts', 'sample.ts']);

/** Hash of the generator's and loader's sources: a change invalidates stored populations. */
export function generatorVersion(): string {
  const hash = createHash('sha256');
  const files = readdirSync(seedSources)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !notGenerator.has(f))
    .sort();
  for (const file of files) hash.update(file).update(readFileSync(new URL(file, seedSources)));
  return hash.digest('hex').slice(0, 16);
}

interface Marker {
  readonly persons: number;
  readonly seed: number;
  readonly asOf: string;
  readonly generator: string;
}

function sameMarker(file: string, expected: Marker): boolean {
  if (!existsSync(file)) return false;
  const found = JSON.parse(readFileSync(file, 'utf8')) as Marker;
  return (
    found.persons === expected.persons &&
    found.seed === expected.seed &&
    found.asOf === expected.asOf &&
    found.generator === expected.generator
  );
}

async function seedInto(store: Store, persons: number, seed: number): Promise<number> {
  await migrate(store);
  const bar = progressBar({ label: `seed ${store.dialect}`, unit: 'persons' });
  const report = await seedStore(store, { persons, seed, onProgress: (d, t) => bar.update(d, t) });
  bar.done();
  return report.milliseconds / 1000;
}

async function adminQuery(serverUrl: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface PrepareOptions {
  readonly dataDir: string;
  readonly pgServerUrl: string;
  readonly seed: number;
}

export async function prepareStore(
  engine: Engine,
  persons: number,
  options: PrepareOptions,
): Promise<BenchStore> {
  mkdirSync(options.dataDir, { recursive: true });
  const marker: Marker = { persons, seed: options.seed, asOf: DEFAULT_AS_OF, generator: generatorVersion() };
  const name = `onshi_bench_${persons}_s${options.seed}`;
  const markerFile = join(options.dataDir, `${engine}-${name}.seed.json`);
  let url: string;
  if (engine === 'sqlite') {
    const file = join(options.dataDir, `${name}.db`);
    url = `sqlite:${file}`;
    if (sameMarker(markerFile, marker) && existsSync(file))
      return { engine, persons, url, asOf: marker.asOf, seededSeconds: undefined };
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  } else {
    const db = new URL(options.pgServerUrl);
    db.pathname = `/${name}`;
    url = db.toString();
    const exists = await adminQuery(
      options.pgServerUrl,
      `select 1 from pg_database where datname = '${name}'`,
    );
    if (sameMarker(markerFile, marker) && exists.rowCount === 1)
      return { engine, persons, url, asOf: marker.asOf, seededSeconds: undefined };
    await adminQuery(options.pgServerUrl, `drop database if exists ${name} with (force)`);
    await adminQuery(options.pgServerUrl, `create database ${name}`);
  }
  rmSync(markerFile, { force: true });
  const store = openStore(url);
  try {
    const seconds = await seedInto(store, persons, options.seed);
    writeFileSync(markerFile, `${JSON.stringify({ ...marker, seconds })}\n`);
    return { engine, persons, url, asOf: marker.asOf, seededSeconds: seconds };
  } finally {
    await store.close();
  }
}

/**
 * Reads the store's files into the operating system's cache, so that a run does not depend on what
 * ran before it: on this VM the cache held ~10 GB, less than the two 10M stores (SQLite 4.8 GB,
 * PostgreSQL 5.2 GB), and a run after work on the other one read from the disk (docs/benchmarks.md,
 * "Batch", round 4). SQLite: the database file read through; PostgreSQL: `pg_prewarm` (contrib) in
 * 'read' mode on every table and index of the schema. Resolves to the seconds it took.
 */
export async function warmStore(bench: BenchStore): Promise<number> {
  const started = performance.now();
  if (bench.engine === 'sqlite') {
    const path = bench.url.slice('sqlite:'.length);
    for (const suffix of ['', '-wal']) {
      if (!existsSync(path + suffix)) continue;
      for await (const _ of createReadStream(path + suffix, { highWaterMark: 4 * 1024 * 1024 })) {
        // reading is the point
      }
    }
  } else {
    const client = new pg.Client({ connectionString: bench.url });
    await client.connect();
    try {
      await client.query('create extension if not exists pg_prewarm');
      await client.query(
        `select pg_prewarm(c.oid::regclass, 'read') from pg_class c
         where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'i')`,
      );
    } finally {
      await client.end();
    }
  }
  return (performance.now() - started) / 1000;
}
