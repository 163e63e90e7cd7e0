/**
 * Retention (M1.9): qualification data is kept 10 years after the loss of the qualification,
 * medication history 3 years after the day of dispensing (or treatment), 特定健診 results 5 years
 * after the examination. `purgeExpired` deletes qualifications lost more than 10 years before
 * `today` — with their certificates and history — and persons left with no qualification (with
 * their 照会番号, medical information and consents; the audit records about them stay, keyed by
 * the internal person id without a foreign key); then medications and check-up results past their
 * periods; and batch jobs past their result period (ONSHI_BATCH_RESULT_DAYS, set at completion).
 * Works in batches, one transaction per batch.
 */
import { addYears, type LocalDate } from '@onshi/core';
import { purgeJobsExpiredBefore } from '../batch/batch.repo.ts';
import type { Store } from '../store/store.ts';
import {
  deleteCheckupsBefore,
  deleteExpiredOfPerson,
  deleteMedicationsBefore,
  deletePersonIfEmpty,
  personsWithExpired,
} from './retention.repo.ts';

export const RETENTION_YEARS = 10;
/** Medication history (claims-derived) is kept this many years after the service date. */
export const MEDICATION_RETENTION_YEARS = 3;
/** 特定健診 results are kept this many years after the examination. */
export const CHECKUP_RETENTION_YEARS = 5;

export interface PurgeReport {
  /** Qualifications lost before this date were deleted. */
  readonly cutoff: LocalDate;
  readonly qualificationsDeleted: number;
  readonly personsDeleted: number;
  /** Medications dispensed or given before this date were deleted. */
  readonly medicationCutoff: LocalDate;
  readonly medicationsDeleted: number;
  /** Check-up results of examinations before this date were deleted. */
  readonly checkupCutoff: LocalDate;
  readonly checkupResultsDeleted: number;
  /** Batch jobs (一括照会, 照会番号一括登録) whose results expired before `today`, deleted with them. */
  readonly batchJobsDeleted: number;
}

/** The first loss date that is still kept on `today`. */
export function retentionCutoff(today: LocalDate): LocalDate {
  return addYears(today, -RETENTION_YEARS);
}

export async function purgeExpired(store: Store, today: LocalDate, batchSize = 500): Promise<PurgeReport> {
  const cutoff = retentionCutoff(today);
  let qualificationsDeleted = 0;
  let personsDeleted = 0;
  for (;;) {
    const batch = await store.transaction(async (tx) => {
      const personIds = await personsWithExpired(tx, cutoff, batchSize);
      for (const personId of personIds) {
        qualificationsDeleted += await deleteExpiredOfPerson(tx, personId, cutoff);
        if (await deletePersonIfEmpty(tx, personId)) personsDeleted += 1;
      }
      return personIds.length;
    });
    if (batch < batchSize) break;
  }
  const medical = await purgeMedical(store, today, batchSize);
  const batchJobsDeleted = await drain(store, batchSize, (tx, limit) =>
    purgeJobsExpiredBefore(tx, today, limit),
  );
  return { cutoff, qualificationsDeleted, personsDeleted, ...medical, batchJobsDeleted };
}

async function purgeMedical(store: Store, today: LocalDate, batchSize: number) {
  const medicationCutoff = addYears(today, -MEDICATION_RETENTION_YEARS);
  const checkupCutoff = addYears(today, -CHECKUP_RETENTION_YEARS);
  const medicationsDeleted = await drain(store, batchSize * 10, (tx, limit) =>
    deleteMedicationsBefore(tx, medicationCutoff, limit),
  );
  const checkupResultsDeleted = await drain(store, batchSize * 10, (tx, limit) =>
    deleteCheckupsBefore(tx, checkupCutoff, limit),
  );
  return { medicationCutoff, medicationsDeleted, checkupCutoff, checkupResultsDeleted };
}

/** Calls `remove` (up to `limit` rows, one transaction each) until a call removes fewer; resolves the total. */
async function drain(
  store: Store,
  limit: number,
  remove: (tx: Store, limit: number) => Promise<number>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await store.transaction((tx) => remove(tx, limit));
    total += n;
    if (n < limit) return total;
  }
}
