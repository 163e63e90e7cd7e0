/**
 * Migration 005: the portal (医療機関等向けポータルサイト) and the operator console, and central's
 * record of the certificates it has seen checks with. Forward-only; never edit once landed. Why the
 * portal lives in the central store: docs/decisions/0005-portal.md. Instants the portal compares
 * (expiry of tokens and sessions) are epoch milliseconds (bigint); dates shown are ISO text.
 *
 * - `portal_accounts`: an institution's login (e-mail, scrypt hash, verified when the link was used).
 * - `portal_tokens`: e-mail verification and password-reset links; only the SHA-256 is stored.
 * - `portal_sessions`: browser sessions of both realms ('institution' → account id, 'operator' →
 *   login); only the SHA-256 of the cookie value is stored.
 * - `portal_operators`: 支払基金・国保中央会 staff of the operator console.
 * - `portal_institutions`: the profile of an account (one institution per account).
 * - `portal_applications`: reader, usage, certificate and subsidy applications; the form is JSON in
 *   `payload`, the operator's decision and reason next to it.
 * - `portal_documents`: files uploaded with an application (stored on disk by SHA-256).
 * - `portal_certificates`: certificates issued through the portal, with their environment
 *   ('connection-test' | 'production') and, for PKCS#12 deliveries, the one-time password until the
 *   institution has seen it once.
 * - `portal_mails`: every mail the portal sent (the demo's mailbox page reads it).
 * - `portal_checklist_marks`: checklist steps the institution ticks itself (reception changes …).
 * - `institution_sightings`: written by central — the first answered check per client certificate
 *   serial (the checklist's "terminal connected" and "operation test").
 */
import type { Migration } from '../migrate.ts';

export const migration005: Migration = {
  version: 5,
  name: 'portal',
  statements: [
    `create table portal_accounts (
      account_id {id},
      email text not null unique,
      password_hash text not null,
      verified_at text,
      created_at text not null,
      failed_logins integer not null default 0,
      locked_until bigint not null default 0
    )`,
    `create table portal_tokens (
      token_hash text primary key,
      account_id bigint not null references portal_accounts (account_id),
      purpose text not null,
      expires_at bigint not null,
      used_at bigint
    )`,
    `create table portal_sessions (
      session_hash text primary key,
      realm text not null,
      subject text not null,
      csrf text not null,
      expires_at bigint not null
    )`,
    `create table portal_operators (
      login text primary key,
      display_name text not null,
      password_hash text not null,
      created_at text not null
    )`,
    `create table portal_institutions (
      account_id bigint primary key references portal_accounts (account_id),
      institution_code text not null unique,
      name text not null,
      kind text not null,
      monthly_prescriptions integer,
      prefecture text not null,
      municipality_code text not null,
      updated_at text not null
    )`,
    `create table portal_applications (
      application_id {id},
      account_id bigint not null references portal_accounts (account_id),
      kind text not null,
      status text not null,
      payload text not null,
      submitted_at text not null,
      decided_at text,
      decided_by text,
      decision_reason text
    )`,
    `create index portal_applications_account on portal_applications (account_id, kind)`,
    `create index portal_applications_status on portal_applications (status, kind)`,
    `create table portal_documents (
      document_id {id},
      application_id bigint not null references portal_applications (application_id),
      kind text not null,
      file_name text not null,
      media_type text not null,
      size_bytes bigint not null,
      sha256 text not null,
      uploaded_at text not null
    )`,
    `create table portal_certificates (
      serial text primary key,
      account_id bigint not null references portal_accounts (account_id),
      application_id bigint not null references portal_applications (application_id),
      institution_code text not null,
      environment text not null,
      key_delivery text not null,
      terminal_name text not null,
      certificate_pem text not null,
      not_before text not null,
      not_after text not null,
      issued_at text not null,
      renewal_of text,
      one_time_password text,
      revoked_at text,
      revoke_reason text
    )`,
    `create index portal_certificates_account on portal_certificates (account_id)`,
    `create table portal_mails (
      mail_id {id},
      recipient text not null,
      subject text not null,
      body text not null,
      transport text not null,
      sent_at text not null
    )`,
    `create table portal_checklist_marks (
      account_id bigint not null references portal_accounts (account_id),
      item text not null,
      marked_at text not null,
      primary key (account_id, item)
    )`,
    `create table institution_sightings (
      serial text primary key,
      institution_code text not null,
      first_check_at text not null,
      path text not null
    )`,
  ],
};
