/**
 * Seeds medical information for the persons of a store: the synthetic drug master, then claims and
 * 特定健診 files generated for the first `persons` persons (medical.generate.ts), each imported
 * through the same import as any other file — so the parsers are exercised by every seed.
 */
import { type Clock, jstDate, type LocalDate } from '@onshi/core';
import type { Store } from '../store/store.ts';
import { importCheckupFile } from './checkups.import.ts';
import { importClaimFile } from './claims.import.ts';
import { syntheticDrugs } from './drugs.ts';
import type { MedicalImportReport } from './medical.files.ts';
import { type GeneratedFile, generateMedicalFiles } from './medical.generate.ts';
import { hasMedicalData, upsertDrugs } from './medical.repo.ts';
import { loadMedicalPersons } from './medical.seed.repo.ts';

export interface MedicalSeedOptions {
  readonly clock: Clock;
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /**
   * The day the data leads up to (default: the clock's today, JST): medications start 3 years and
   * 特定健診 5 years before it, so a retention run on that day deletes none of them.
   */
  readonly asOf?: LocalDate;
  /** At most this many persons, lowest ids first (default 1,000). */
  readonly persons?: number;
  /** Called with each generated file before it is imported (e.g. to write it to a directory). */
  readonly onFile?: (file: GeneratedFile) => void | Promise<void>;
}

export interface MedicalSeedReport {
  readonly persons: number;
  readonly claimFiles: number;
  readonly checkupFiles: number;
  readonly medications: number;
  readonly checkupItems: number;
  readonly milliseconds: number;
}

/** Generates and imports the medical files; a generated file that does not import is a bug (throws). */
export async function seedMedical(store: Store, options: MedicalSeedOptions): Promise<MedicalSeedReport> {
  const started = performance.now();
  await store.transaction((tx) => upsertDrugs(tx, syntheticDrugs));
  const persons = await loadMedicalPersons(store, options.persons ?? 1000);
  const files = generateMedicalFiles(persons, {
    seed: options.seed ?? 1,
    asOf: options.asOf ?? jstDate(options.clock.now()),
  });
  const totals = { claimFiles: 0, checkupFiles: 0, medications: 0, checkupItems: 0 };
  for (const file of files) {
    await options.onFile?.(file);
    const input = { fileId: file.name, content: file.content, clock: options.clock };
    const report: MedicalImportReport =
      file.type === 'claims' ? await importClaimFile(store, input) : await importCheckupFile(store, input);
    if (!report.accepted) {
      throw new Error(
        `generated file ${file.name} was rejected: ${JSON.stringify(report.problems.slice(0, 3))}`,
      );
    }
    if (file.type === 'claims') {
      totals.claimFiles += 1;
      totals.medications += report.rows;
    } else {
      totals.checkupFiles += 1;
      totals.checkupItems += report.rows;
    }
  }
  return { persons: persons.length, ...totals, milliseconds: Math.round(performance.now() - started) };
}

/** `seedMedical` unless the store already holds medications or check-up results (for the demo). */
export async function seedMedicalWhenEmpty(
  store: Store,
  options: MedicalSeedOptions,
): Promise<MedicalSeedReport | undefined> {
  if (await hasMedicalData(store)) return undefined;
  return seedMedical(store, options);
}
