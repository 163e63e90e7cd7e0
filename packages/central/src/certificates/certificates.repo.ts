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

// --- the certificates valid on a date, joined into a qualification lookup (one statement)

/**
 * Left joins that attach to each row of `q` (qualifications) the certificates valid on a date:
 * `e` the 高齢受給者証 and `l` the 限度額適用認定証 that started most recently (their start date is
 * part of the key, so at most one each), and `s` EVERY valid 特定疾病療養受療証 — a qualification
 * with n of them gives n rows (order them by `certificateOrder`). Six parameters, each the date.
 */
export const certificateJoins = `
  left join elderly_certificates e on e.qualification_id = q.qualification_id
    and e.valid_start_date = (select max(e2.valid_start_date) from elderly_certificates e2
      where e2.qualification_id = q.qualification_id and e2.valid_start_date <= ?
        and (e2.valid_end_date is null or e2.valid_end_date >= ?))
  left join limit_certificates l on l.qualification_id = q.qualification_id
    and l.valid_start_date = (select max(l2.valid_start_date) from limit_certificates l2
      where l2.qualification_id = q.qualification_id and l2.valid_start_date <= ?
        and (l2.valid_end_date is null or l2.valid_end_date >= ?))
  left join specific_disease_certificates s on s.qualification_id = q.qualification_id
    and s.valid_start_date <= ? and (s.valid_end_date is null or s.valid_end_date >= ?)`;

/** The parameters of `certificateJoins`. */
export function certificateJoinParams(on: LocalDate): LocalDate[] {
  return [on, on, on, on, on, on];
}

/** The order of the 特定疾病 rows of one qualification (as `listSpecificDiseaseCertificates`). */
export const certificateOrder = 's.disease_category, s.valid_start_date desc';

/** The columns `certificateJoins` adds, prefixed so that they do not clash with the lookup's own. */
export const certificateColumns = `e.valid_start_date as e_valid_start_date, e.issuance_date as e_issuance_date,
  e.valid_end_date as e_valid_end_date, e.contribution_ratio as e_contribution_ratio,
  l.valid_start_date as l_valid_start_date, l.classification as l_classification, l.category as l_category,
  l.issuance_date as l_issuance_date, l.valid_end_date as l_valid_end_date, l.long_term_date as l_long_term_date,
  s.valid_start_date as s_valid_start_date, s.disease_category as s_disease_category,
  s.issuance_date as s_issuance_date, s.valid_end_date as s_valid_end_date, s.self_pay as s_self_pay`;

export interface CertificateColumnsRow {
  qualification_id: number;
  e_valid_start_date: string | null;
  e_issuance_date: string | null;
  e_valid_end_date: string | null;
  e_contribution_ratio: number | null;
  l_valid_start_date: string | null;
  l_classification: string | null;
  l_category: string | null;
  l_issuance_date: string | null;
  l_valid_end_date: string | null;
  l_long_term_date: string | null;
  s_valid_start_date: string | null;
  s_disease_category: string | null;
  s_issuance_date: string | null;
  s_valid_end_date: string | null;
  s_self_pay: number | null;
}

/** The 高齢受給者証 and 限度額適用認定証 of a joined row (the same on every row of a qualification). */
export function joinedCertificates(row: CertificateColumnsRow): {
  elderly: ElderlyRecipientCertificate | undefined;
  limit: LimitApplicationCertificate | undefined;
} {
  return {
    elderly:
      row.e_valid_start_date === null
        ? undefined
        : {
            qualificationId: row.qualification_id,
            issuanceDate: row.e_issuance_date!,
            validStartDate: row.e_valid_start_date,
            validEndDate: row.e_valid_end_date ?? undefined,
            contributionRatio: row.e_contribution_ratio!,
          },
    limit:
      row.l_valid_start_date === null
        ? undefined
        : {
            qualificationId: row.qualification_id,
            classification: row.l_classification!,
            category: row.l_category!,
            issuanceDate: row.l_issuance_date!,
            validStartDate: row.l_valid_start_date,
            validEndDate: row.l_valid_end_date ?? undefined,
            longTermDate: row.l_long_term_date ?? undefined,
          },
  };
}

/** The 特定疾病療養受療証 of a joined row, if it carries one. */
export function joinedSpecificDisease(row: CertificateColumnsRow): SpecificDiseaseCertificate | undefined {
  if (row.s_valid_start_date === null) return undefined;
  return {
    qualificationId: row.qualification_id,
    diseaseCategory: row.s_disease_category!,
    issuanceDate: row.s_issuance_date!,
    validStartDate: row.s_valid_start_date,
    validEndDate: row.s_valid_end_date ?? undefined,
    selfPay: row.s_self_pay!,
  };
}
