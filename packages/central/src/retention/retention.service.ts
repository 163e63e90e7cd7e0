/**
 * Retention (M1.9): qualification data is kept 10 years after the loss of the qualification.
 * `purgeExpired` deletes qualifications lost more than 10 years before `today` — with their
 * certificates and history — and persons left with no qualification (with their 照会番号).
 * Works in batches of persons, one transaction per batch.
 */
import { addYears, type LocalDate } from '@onshi/core';
import type { Store } from '../store/store.ts';
import { deleteExpiredOfPerson, deletePersonIfEmpty, personsWithExpired } from './retention.repo.ts';

export const RETENTION_YEARS = 10;

export interface PurgeReport {
  /** Qualifications lost before this date were deleted. */
  readonly cutoff: LocalDate;
  readonly qualificationsDeleted: number;
  readonly personsDeleted: number;
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
  return { cutoff, qualificationsDeleted, personsDeleted };
}
