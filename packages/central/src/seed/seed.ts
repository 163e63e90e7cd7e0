/**
 * `seedStore(store, { persons, seed })`: writes a synthetic population into a migrated store, fast
 * (bulk writers per engine, see load.sqlite.ts and load.postgres.ts). Ids continue after the rows
 * already present, so seeding twice appends a second population.
 */
import type { LocalDate } from '@onshi/core';
import type { Store } from '../store/store.ts';
import { insurerCatalogue } from './insurers.ts';
import { postgresSink } from './load.postgres.ts';
import { sqliteSink } from './load.sqlite.ts';
import { DEFAULT_AS_OF, generatePopulation } from './population.ts';
import { insurerRow, type Sink } from './sink.ts';

export interface SeedOptions {
  readonly persons: number;
  readonly seed: number;
  readonly asOf?: LocalDate;
  /** Called after every batch and once at the end: persons written so far, and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Persons per transaction (SQLite) or per progress report (default 100,000). */
  readonly batchPersons?: number;
}

export interface SeedReport {
  readonly persons: number;
  readonly qualifications: number;
  readonly elderlyCertificates: number;
  readonly limitCertificates: number;
  readonly diseaseCertificates: number;
  readonly insurers: number;
  readonly asOf: LocalDate;
  readonly milliseconds: number;
}

async function nextIds(store: Store): Promise<{ person: number; qualification: number }> {
  const p = await store.get<{ id: number | null }>('select max(person_id) as id from persons');
  const q = await store.get<{ id: number | null }>('select max(qualification_id) as id from qualifications');
  return { person: Number(p?.id ?? 0) + 1, qualification: Number(q?.id ?? 0) + 1 };
}

async function writeInsurers(store: Store): Promise<number> {
  const insurers = insurerCatalogue().all;
  await store.transaction(async (tx) => {
    for (const insurer of insurers) {
      await tx.run(
        `insert into insurers (insurer_number, name, kind, prefecture_code) values (?, ?, ?, ?)
          on conflict (insurer_number) do nothing`,
        insurerRow(insurer),
      );
    }
  });
  return insurers.length;
}

async function openSink(store: Store): Promise<Sink> {
  if (store.dialect === 'sqlite' && store.raw.sqlite) return sqliteSink(store.raw.sqlite);
  if (store.dialect === 'postgres' && store.raw.pg) return postgresSink(store.raw.pg);
  throw new Error(`seedStore: no raw handle for ${store.dialect}`);
}

export async function seedStore(store: Store, options: SeedOptions): Promise<SeedReport> {
  const started = performance.now();
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const insurers = await writeInsurers(store);
  const ids = await nextIds(store);
  const batch = options.batchPersons ?? 100_000;
  const counts = { persons: 0, qualifications: 0, elderly: 0, limits: 0, diseases: 0 };
  const sink = await openSink(store);
  try {
    let sinceFlush = 0;
    const population = generatePopulation({
      persons: options.persons,
      seed: options.seed,
      asOf,
      firstPersonId: ids.person,
      firstQualificationId: ids.qualification,
    });
    for (const household of population) {
      await sink.write(household);
      counts.persons += household.persons.length;
      counts.qualifications += household.qualifications.length;
      counts.elderly += household.elderly.length;
      counts.limits += household.limits.length;
      counts.diseases += household.diseases.length;
      sinceFlush += household.persons.length;
      if (sinceFlush >= batch) {
        await sink.flush();
        sinceFlush = 0;
        options.onProgress?.(counts.persons, options.persons);
      }
    }
    await sink.flush();
    options.onProgress?.(counts.persons, options.persons);
    await sink.finish();
  } catch (error) {
    await sink.abort();
    throw error;
  }
  return {
    persons: counts.persons,
    qualifications: counts.qualifications,
    elderlyCertificates: counts.elderly,
    limitCertificates: counts.limits,
    diseaseCertificates: counts.diseases,
    insurers,
    asOf,
    milliseconds: Math.round(performance.now() - started),
  };
}
