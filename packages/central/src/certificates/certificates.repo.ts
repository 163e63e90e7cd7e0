/**
 * Certificates attached to a qualification: 高齢受給者証 (elderly_certificates), 限度額適用認定証
 * (limit_certificates) and 特定疾病療養受療証 (specific_disease_certificates). A certificate is
 * valid on a date when valid_start_date ≤ date ≤ valid_end_date (an open end when absent).
 */
import type {
  ElderlyRecipientCertificate,
  LimitApplicationCertificate,
  LocalDate,
  SpecificDiseaseCertificate,
} from '@onshi/core';
import type { Store } from '../store/store.ts';

interface ElderlyRow {
  qualification_id: number;
  issuance_date: string;
  valid_start_date: string;
  valid_end_date: string | null;
  contribution_ratio: number;
}

interface LimitRow {
  qualification_id: number;
  classification: string;
  category: string;
  issuance_date: string;
  valid_start_date: string;
  valid_end_date: string | null;
  long_term_date: string | null;
}

interface SpecificRow {
  qualification_id: number;
  disease_category: string;
  issuance_date: string;
  valid_start_date: string;
  valid_end_date: string | null;
  self_pay: number;
}

const validOn =
  'qualification_id = ? and valid_start_date <= ? and (valid_end_date is null or valid_end_date >= ?)';

const selectElderly = `select qualification_id, issuance_date, valid_start_date, valid_end_date, contribution_ratio
  from elderly_certificates where ${validOn} order by valid_start_date desc`;
const selectLimit = `select qualification_id, classification, category, issuance_date, valid_start_date,
  valid_end_date, long_term_date
  from limit_certificates where ${validOn} order by valid_start_date desc`;
const selectSpecific = `select qualification_id, disease_category, issuance_date, valid_start_date, valid_end_date,
  self_pay
  from specific_disease_certificates where ${validOn} order by disease_category, valid_start_date desc`;

/** The 高齢受給者証 valid on `on` (the most recently started one if several are). */
export async function findElderlyCertificate(
  store: Store,
  qualificationId: number,
  on: LocalDate,
): Promise<ElderlyRecipientCertificate | undefined> {
  const row = await store.get<ElderlyRow>(selectElderly, [qualificationId, on, on]);
  if (row === undefined) return undefined;
  return {
    qualificationId: row.qualification_id,
    issuanceDate: row.issuance_date,
    validStartDate: row.valid_start_date,
    validEndDate: row.valid_end_date ?? undefined,
    contributionRatio: row.contribution_ratio,
  };
}

/** The 限度額適用認定証 valid on `on` (the most recently started one if several are). */
export async function findLimitCertificate(
  store: Store,
  qualificationId: number,
  on: LocalDate,
): Promise<LimitApplicationCertificate | undefined> {
  const row = await store.get<LimitRow>(selectLimit, [qualificationId, on, on]);
  if (row === undefined) return undefined;
  return {
    qualificationId: row.qualification_id,
    classification: row.classification,
    category: row.category,
    issuanceDate: row.issuance_date,
    validStartDate: row.valid_start_date,
    validEndDate: row.valid_end_date ?? undefined,
    longTermDate: row.long_term_date ?? undefined,
  };
}

/** Every 特定疾病療養受療証 valid on `on`, by disease category. */
export async function listSpecificDiseaseCertificates(
  store: Store,
  qualificationId: number,
  on: LocalDate,
): Promise<SpecificDiseaseCertificate[]> {
  const rows = await store.all<SpecificRow>(selectSpecific, [qualificationId, on, on]);
  return rows.map((row) => ({
    qualificationId: row.qualification_id,
    diseaseCategory: row.disease_category,
    issuanceDate: row.issuance_date,
    validStartDate: row.valid_start_date,
    validEndDate: row.valid_end_date ?? undefined,
    selfPay: row.self_pay,
  }));
}

/** Inserts or replaces (same qualification and start date) a 高齢受給者証. */
export async function upsertElderlyCertificate(store: Store, c: ElderlyRecipientCertificate): Promise<void> {
  await store.run(
    `insert into elderly_certificates (qualification_id, issuance_date, valid_start_date, valid_end_date,
       contribution_ratio)
     values (?, ?, ?, ?, ?)
     on conflict (qualification_id, valid_start_date) do update set issuance_date = excluded.issuance_date,
       valid_end_date = excluded.valid_end_date, contribution_ratio = excluded.contribution_ratio`,
    [c.qualificationId, c.issuanceDate, c.validStartDate, c.validEndDate ?? null, c.contributionRatio],
  );
}

/** Inserts or replaces (same qualification and start date) a 限度額適用認定証. */
export async function upsertLimitCertificate(store: Store, c: LimitApplicationCertificate): Promise<void> {
  await store.run(
    `insert into limit_certificates (qualification_id, classification, category, issuance_date,
       valid_start_date, valid_end_date, long_term_date)
     values (?, ?, ?, ?, ?, ?, ?)
     on conflict (qualification_id, valid_start_date) do update set classification = excluded.classification,
       category = excluded.category, issuance_date = excluded.issuance_date,
       valid_end_date = excluded.valid_end_date, long_term_date = excluded.long_term_date`,
    [
      c.qualificationId,
      c.classification,
      c.category,
      c.issuanceDate,
      c.validStartDate,
      c.validEndDate ?? null,
      c.longTermDate ?? null,
    ],
  );
}

/** Inserts or replaces (same qualification, disease and start date) a 特定疾病療養受療証. */
export async function upsertSpecificDiseaseCertificate(
  store: Store,
  c: SpecificDiseaseCertificate,
): Promise<void> {
  await store.run(
    `insert into specific_disease_certificates (qualification_id, disease_category, issuance_date,
       valid_start_date, valid_end_date, self_pay)
     values (?, ?, ?, ?, ?, ?)
     on conflict (qualification_id, disease_category, valid_start_date) do update
       set issuance_date = excluded.issuance_date, valid_end_date = excluded.valid_end_date,
       self_pay = excluded.self_pay`,
    [
      c.qualificationId,
      c.diseaseCategory,
      c.issuanceDate,
      c.validStartDate,
      c.validEndDate ?? null,
      c.selfPay,
    ],
  );
}
