/**
 * Migration 006: durable batch jobs (一括照会 OQSmuquc, 照会番号一括登録 OQSmuimm). Forward-only;
 * never edit once landed. See packages/central/src/batch/README.md.
 *
 * - `batch_jobs`: one row per accepted upload. `reception_number` is the 受付番号 answered at once;
 *   `content_hash` (SHA-256 of the canonical upload) with the institution and kind makes a repeated
 *   upload find its first job. `state` 'processing' | 'done'. `next_row` is the worker's cursor
 *   (rows below it are answered); `lease_owner` / `lease_until` (epoch ms) mark the worker holding
 *   the next chunk; `served_at` (epoch ms) the last chunk, for round-robin between jobs.
 *   `expires_on` (JST date) is set at completion; the retention run deletes jobs past it.
 * - `batch_rows`: the valid rows waiting for (or past) the worker, as JSON of the request element.
 * - `batch_results`: one answer per row (the BulkConfirmUnit as JSON), malformed rows included;
 *   the primary key makes a row answered twice impossible.
 */
import type { Migration } from '../migrate.ts';

export const migration006: Migration = {
  version: 6,
  name: 'batch',
  statements: [
    `create table batch_jobs (
      job_id {id},
      reception_number text not null unique,
      kind text not null,
      institution_code text not null,
      content_hash text not null,
      file_identifier text,
      confirmation_date text,
      state text not null,
      total_rows integer not null,
      pending_rows integer not null,
      normal_rows integer not null,
      error_rows integer not null,
      next_row integer not null,
      received_at text not null,
      completed_at text,
      expires_on text,
      served_at bigint not null,
      lease_owner text,
      lease_until bigint
    )`,
    `create unique index batch_jobs_upload on batch_jobs (institution_code, kind, content_hash)`,
    `create index batch_jobs_queue on batch_jobs (state, served_at, job_id)`,
    `create index batch_jobs_expiry on batch_jobs (expires_on)`,
    `create table batch_rows (
      job_id bigint not null references batch_jobs (job_id) on delete cascade,
      row_no integer not null,
      request text not null,
      primary key (job_id, row_no)
    )`,
    `create table batch_results (
      job_id bigint not null references batch_jobs (job_id) on delete cascade,
      row_no integer not null,
      status integer not null,
      unit text not null,
      primary key (job_id, row_no)
    )`,
  ],
};
