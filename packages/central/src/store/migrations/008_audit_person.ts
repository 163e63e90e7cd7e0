/**
 * Migration 008: the audit trail's index by person, deferred (packages/central/src/audit/README.md).
 * Forward-only; never edit once landed.
 *
 * - `audit_person` (person_id, seq): which records are about which person, written by the merge
 *   (audit.merge.ts) in large batches sorted by person instead of one random index entry per
 *   appended record. A clustered B-tree on SQLite (`without rowid`), a table with its primary key on
 *   PostgreSQL. Derived from `audit_records` (the hashed `person_id`); `onshi audit verify` checks
 *   that it matches.
 * - `audit_merge` (one row): every record with `seq` ≤ `audit_merge.seq` that names a person has its
 *   `audit_person` entry; readers take the records after it from `audit_records` itself.
 * - The watermark is the chain head at the time of the migration and the existing records up to it
 *   are copied in (in that order: on PostgreSQL a record appended meanwhile lies after the watermark,
 *   in the part readers scan); then `audit_records_person` (migration 004) is dropped: it cost about a
 *   4 KB page written per appended record (docs/benchmarks.md, "Batch", round 2).
 */
import type { Migration } from '../migrate.ts';

export const migration008: Migration = {
  version: 8,
  name: 'audit_person',
  statements: [
    `create table audit_person (
      person_id bigint not null,
      seq bigint not null,
      primary key (person_id, seq)
    ){without_rowid}`,
    `create table audit_merge (
      id integer primary key,
      seq bigint not null
    )`,
    `insert into audit_merge (id, seq) select 1, seq from audit_head where id = 1`,
    `insert into audit_person (person_id, seq)
       select person_id, seq from audit_records
       where person_id is not null and seq <= (select seq from audit_merge where id = 1)
       order by person_id, seq`,
    `drop index audit_records_person`,
  ],
};
