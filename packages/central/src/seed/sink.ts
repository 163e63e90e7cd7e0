/**
 * Where generated households go: one bulk writer per engine (load.sqlite.ts, load.postgres.ts).
 * Rows are written with explicit ids, in the column order below, for both engines.
 */
import type { Insurer, Qualification } from '@onshi/core';
import { qualificationValues } from '../qualifications/qualifications.repo.ts';
import type { HouseholdRecords } from './population.ts';

export interface Sink {
  /** Buffers or writes one household. May apply back-pressure by returning a promise. */
  write(household: HouseholdRecords): void | Promise<void>;
  /** Writes everything buffered and makes it durable (ends the current transaction or batch). */
  flush(): Promise<void>;
  /** After the last flush: rebuilds indexes, statistics and restores the engine's settings. */
  finish(): Promise<void>;
  /** On failure: restores the engine's settings without rebuilding. */
  abort(): Promise<void>;
}

export const insurerColumns = ['insurer_number', 'name', 'kind', 'prefecture_code'] as const;
export const personColumns = [
  'person_id',
  'name',
  'name_kana',
  'sex',
  'birthdate',
  'address',
  'post_number',
] as const;
export const qualificationColumns = [
  'qualification_id',
  'person_id',
  'insurer_number',
  'card_symbol',
  'card_number',
  'branch_number',
  'card_classification',
  'personal_family',
  'insured_name',
  'qualification_date',
  'disqualification_date',
  'reason_of_loss',
  'card_issuance_date',
  'card_valid_date',
  'card_expiration_date',
  'income_tier',
] as const;
export const elderlyColumns = [
  'qualification_id',
  'issuance_date',
  'valid_start_date',
  'valid_end_date',
  'contribution_ratio',
] as const;
export const limitColumns = [
  'qualification_id',
  'classification',
  'category',
  'issuance_date',
  'valid_start_date',
  'valid_end_date',
  'long_term_date',
] as const;
export const diseaseColumns = [
  'qualification_id',
  'disease_category',
  'issuance_date',
  'valid_start_date',
  'valid_end_date',
  'self_pay',
] as const;

/** Tables whose secondary indexes are dropped during a load and rebuilt after it. */
export const loadedTables = [
  'persons',
  'qualifications',
  'elderly_certificates',
  'limit_certificates',
  'specific_disease_certificates',
] as const;

export type Row = (string | number | null)[];

export function insurerRow(i: Insurer): Row {
  return [i.insurerNumber, i.name, i.kind, i.prefectureCode];
}

function qualificationRow(q: Qualification): Row {
  return [q.qualificationId, ...qualificationValues(q)];
}

/** Calls `emit(table, row)` for every row of a household, parents before children. */
export function householdRows(h: HouseholdRecords, emit: (table: number, row: Row) => void): void {
  for (const p of h.persons) {
    emit(0, [p.personId, p.name, p.nameKana, p.sex, p.birthdate, p.address ?? null, p.postNumber ?? null]);
  }
  for (const q of h.qualifications) emit(1, qualificationRow(q));
  for (const e of h.elderly) {
    emit(2, [
      e.qualificationId,
      e.issuanceDate,
      e.validStartDate,
      e.validEndDate ?? null,
      e.contributionRatio,
    ]);
  }
  for (const l of h.limits) {
    const { qualificationId, classification, category, issuanceDate, validStartDate } = l;
    emit(3, [
      qualificationId,
      classification,
      category,
      issuanceDate,
      validStartDate,
      l.validEndDate ?? null,
      l.longTermDate ?? null,
    ]);
  }
  for (const d of h.diseases) {
    const { qualificationId, diseaseCategory, issuanceDate, validStartDate, selfPay } = d;
    emit(4, [
      qualificationId,
      diseaseCategory,
      issuanceDate,
      validStartDate,
      d.validEndDate ?? null,
      selfPay,
    ]);
  }
}

/** Table names and columns in the order `householdRows` numbers them. */
export const rowTables: readonly { readonly table: string; readonly columns: readonly string[] }[] = [
  { table: 'persons', columns: personColumns },
  { table: 'qualifications', columns: qualificationColumns },
  { table: 'elderly_certificates', columns: elderlyColumns },
  { table: 'limit_certificates', columns: limitColumns },
  { table: 'specific_disease_certificates', columns: diseaseColumns },
];
