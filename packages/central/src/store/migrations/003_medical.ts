/**
 * Migration 003: medical information fed from claims (レセプト) and 特定健診 results. Forward-only;
 * never edit once landed. Layouts and semantics: packages/central/src/medical/README.md.
 *
 * - `drugs`: the drug master (レセ電 医薬品コード, 9 digits). `synthetic` = 1 when the code was made
 *   up for the synthetic generator rather than taken from the published master.
 * - `claim_files` / `checkup_files`: one row per imported file; the file id and the content
 *   SHA-256 are both unique, so a file is imported once whatever name it is sent under.
 * - `medications`: one row per drug per dispensing / treatment day. `kind` is 'medical' (医科, the
 *   institution's own IY records) or 'pharmacy' (調剤). Decimal quantities are kept as text, exactly
 *   as written in the claim. Kept 3 years after `service_date`.
 * - `checkup_results`: one row per item of an examination. `value` is the number as written (PQ),
 *   the code (CD/CO) or the text (ST); `value_display` the code's display name. Kept 5 years after
 *   `exam_date`.
 * Dates are ISO 'YYYY-MM-DD' text as everywhere else.
 */
import type { Migration } from '../migrate.ts';

export const migration003: Migration = {
  version: 3,
  name: 'medical',
  statements: [
    `create table drugs (
      drug_code text primary key,
      name text not null,
      generic_name text not null,
      unit text not null,
      form text not null,
      synthetic integer not null
    )`,
    `create table claim_files (
      file_id text primary key,
      content_sha256 text not null unique,
      kind text not null,
      institution_code text not null,
      billing_month text not null,
      received_at text not null,
      receipts integer not null,
      medications integer not null
    )`,
    `create table medications (
      medication_id {id},
      person_id bigint not null references persons (person_id),
      claim_file_id text not null references claim_files (file_id),
      line integer not null,
      kind text not null,
      institution_code text not null,
      service_date text not null,
      prescribed_date text,
      prescriber_institution_code text,
      dispenser_institution_code text,
      drug_code text not null references drugs (drug_code),
      quantity text not null,
      unit text not null,
      days_or_times integer not null,
      treatment_category text not null,
      usage text
    )`,
    `create index medications_person on medications (person_id, service_date)`,
    // Retention scans by date.
    `create index medications_service_date on medications (service_date)`,
    `create index medications_file on medications (claim_file_id)`,
    `create table checkup_files (
      file_id text primary key,
      content_sha256 text not null unique,
      institution_code text not null,
      person_id bigint not null references persons (person_id),
      exam_date text not null,
      received_at text not null,
      items integer not null
    )`,
    `create table checkup_results (
      result_id {id},
      person_id bigint not null references persons (person_id),
      checkup_file_id text not null references checkup_files (file_id),
      exam_date text not null,
      institution_code text not null,
      item_code text not null,
      code_system text not null,
      name text not null,
      value_type text not null,
      value text not null,
      value_display text,
      unit text,
      reference_low text,
      reference_high text,
      interpretation text
    )`,
    `create index checkup_results_person on checkup_results (person_id, exam_date)`,
    `create index checkup_results_exam_date on checkup_results (exam_date)`,
    `create index checkup_results_file on checkup_results (checkup_file_id)`,
    `create index checkup_files_exam_date on checkup_files (exam_date)`,
  ],
};
