/**
 * Migration 001: insurers, persons, qualifications with history, certificates, reference numbers,
 * insurer feed files. Forward-only; never edit once landed.
 *
 * The same statements run on SQLite and PostgreSQL. `{id}` becomes the engine's 64-bit primary key
 * (`integer primary key` — the rowid alias — on SQLite, `bigint primary key` on PostgreSQL).
 * Dates are ISO 'YYYY-MM-DD' text on both engines so that comparison is plain string order.
 */
import type { Migration } from '../migrate.ts';

export const migration001: Migration = {
  version: 1,
  name: 'core_tables',
  statements: [
    `create table insurers (
      insurer_number text primary key,
      name text not null,
      kind text not null,
      prefecture_code text not null
    )`,
    `create table persons (
      person_id {id},
      name text not null,
      name_kana text not null,
      name_of_other text,
      name_of_other_kana text,
      sex text not null,
      birthdate text not null,
      address text,
      post_number text
    )`,
    `create table qualifications (
      qualification_id {id},
      person_id bigint not null references persons (person_id),
      insurer_number text not null references insurers (insurer_number),
      card_symbol text not null,
      card_number text not null,
      branch_number text not null,
      card_classification text not null,
      personal_family text not null,
      insured_name text,
      qualification_date text not null,
      disqualification_date text,
      reason_of_loss text,
      card_issuance_date text,
      card_valid_date text,
      card_expiration_date text,
      income_tier text not null
    )`,
    // The card-data lookup: insurer, number, symbol, branch (branch may be omitted by the caller).
    `create index qualifications_card on qualifications (insurer_number, card_number, card_symbol, branch_number)`,
    `create index qualifications_person on qualifications (person_id)`,
    // 取得・変更・喪失 history, one row per event; kept 10 years after loss with its qualification.
    `create table qualification_events (
      event_id {id},
      qualification_id bigint not null references qualifications (qualification_id),
      kind text not null,
      effective_date text not null,
      feed_file_id text,
      recorded_at text not null,
      detail text not null
    )`,
    `create index qualification_events_qualification on qualification_events (qualification_id)`,
    `create table elderly_certificates (
      qualification_id bigint not null references qualifications (qualification_id),
      issuance_date text not null,
      valid_start_date text not null,
      valid_end_date text,
      contribution_ratio integer not null,
      primary key (qualification_id, valid_start_date)
    )`,
    `create table limit_certificates (
      qualification_id bigint not null references qualifications (qualification_id),
      classification text not null,
      category text not null,
      issuance_date text not null,
      valid_start_date text not null,
      valid_end_date text,
      long_term_date text,
      primary key (qualification_id, valid_start_date)
    )`,
    `create table specific_disease_certificates (
      qualification_id bigint not null references qualifications (qualification_id),
      disease_category text not null,
      issuance_date text not null,
      valid_start_date text not null,
      valid_end_date text,
      self_pay integer not null,
      primary key (qualification_id, disease_category, valid_start_date)
    )`,
    `create table reference_numbers (
      institution_code text not null,
      person_id bigint not null references persons (person_id),
      reference_number text not null,
      updated_at text not null,
      primary key (institution_code, person_id)
    )`,
    `create table feed_files (
      file_id text primary key,
      content_sha256 text not null,
      format text not null,
      received_at text not null,
      rows_total integer not null,
      rows_applied integer not null,
      rows_rejected integer not null,
      report text not null
    )`,
  ],
};
