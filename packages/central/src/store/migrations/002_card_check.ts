/**
 * Migration 002: the check by My Number card — card links, 健康保険証利用登録, challenges.
 * Forward-only; never edit once landed.
 *
 * - `card_links`: the issuer's (J-LIS stand-in's) record of which pseudonymous id (the role of the
 *   機関別符号) a user-authentication certificate serial belongs to. The person is the one whose
 *   `persons.person_key` equals that id. No My Number, no certificate, no key.
 * - `card_registrations`: pseudonymous ids registered for use as a health-insurance card
 *   (初回登録); `registered_by_institution` is null when the registration came with an import
 *   (マイナポータル, ATM …) rather than from a reader.
 * - `card_challenges`: single-use challenges. Only the SHA-256 of the challenge is kept; times are
 *   epoch milliseconds; `used_at` is set once, atomically, when a confirmation or registration
 *   consumes it.
 */
import type { Migration } from '../migrate.ts';

export const migration002: Migration = {
  version: 2,
  name: 'card_check',
  statements: [
    `create table card_links (
      serial text primary key,
      pseudonymous_id text not null,
      not_after text not null,
      imported_at text not null
    )`,
    `create index card_links_pseudonymous_id on card_links (pseudonymous_id)`,
    `create table card_registrations (
      pseudonymous_id text primary key,
      registered_at text not null,
      registered_by_institution text
    )`,
    `create table card_challenges (
      challenge_sha256 text primary key,
      institution_code text not null,
      issued_at bigint not null,
      expires_at bigint not null,
      used_at bigint
    )`,
    `create index card_challenges_expires_at on card_challenges (expires_at)`,
  ],
};
