/**
 * Migration 004: consents, disaster declarations, the audit trail. Forward-only; never edit once
 * landed. Instants are epoch milliseconds (bigint), as in `card_challenges`.
 *
 * - `consents`: one row per answer (reader session, revocation keeps the row and stamps it). The
 *   state of (institution, person, category) is its latest row. `category` is OQSCD036 (TKK, YZK,
 *   SRJ, SHJ); `kind` is 'outpatient' | 'home-visit' | 'online'; `consented` 1 同意あり / 0 同意なし;
 *   `expires_at` null = until revoked (home-visit); `revoke_reason` OQSCD031 ('1' 医療機関による取消,
 *   '2' 患者による取消); `source` names the reader session (the challenge's SHA-256).
 * - `institution_locations`: the municipality (全国地方公共団体コード, 5 digits, no check digit) an
 *   institution is located in, registered by the operator; disaster declarations match on it.
 * - `disaster_declarations` / `disaster_areas`: a declaration opens at `starts_at` and closes by
 *   itself at `ends_at` (or earlier, `closed_at`, when the operator closes it).
 * - `audit_records`: append-only, hash-chained. `seq` is assigned by the appender under the lock of
 *   `audit_head` (one row, the chain head), so it has no gaps; `person_id` is the internal id (never
 *   the My Number) and deliberately not a foreign key (records outlive purged persons).
 * - `persons_birthdate`: the disaster search is by kana name, birth date, sex and address.
 */
import type { Migration } from '../migrate.ts';

export const migration004: Migration = {
  version: 4,
  name: 'consent_audit',
  statements: [
    `create table consents (
      consent_id {id},
      institution_code text not null,
      person_id bigint not null references persons (person_id),
      category text not null,
      kind text not null,
      consented integer not null,
      given_at bigint not null,
      expires_at bigint,
      revoked_at bigint,
      revoke_reason text,
      source text not null
    )`,
    `create index consents_person on consents (person_id, category, institution_code, consent_id)`,
    `create table institution_locations (
      institution_code text primary key,
      municipality_code text not null,
      updated_at text not null
    )`,
    `create table disaster_declarations (
      declaration_id {id},
      name text not null,
      starts_at bigint not null,
      ends_at bigint not null,
      closed_at bigint,
      opened_at bigint not null
    )`,
    `create table disaster_areas (
      declaration_id bigint not null references disaster_declarations (declaration_id),
      municipality_code text not null,
      primary key (declaration_id, municipality_code)
    )`,
    `create index disaster_areas_municipality on disaster_areas (municipality_code)`,
    `create table audit_records (
      seq bigint primary key,
      at text not null,
      institution_code text,
      terminal_user text,
      person_id bigint,
      action text not null,
      reason text,
      prev_hash text not null,
      hash text not null
    )`,
    `create index audit_records_person on audit_records (person_id) where person_id is not null`,
    `create table audit_head (
      id integer primary key,
      seq bigint not null,
      hash text not null
    )`,
    `insert into audit_head (id, seq, hash) values (1, 0, '${'0'.repeat(64)}')`,
    `create index persons_birthdate on persons (birthdate)`,
  ],
};
