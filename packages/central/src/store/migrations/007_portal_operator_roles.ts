/**
 * Migration 007: roles of the operator console's staff and a lockout for their logins (ADR 0005).
 * Forward-only; never edit once landed.
 *
 * - `portal_operators.role`: 'approver' (承認者: decides applications, revokes certificates, opens
 *   and closes disaster mode) or 'auditor' (監査・閲覧: reads queues, certificates, disaster mode
 *   and statistics, changes nothing). Existing logins keep what they could do: 'approver'.
 * - `portal_operators.failed_logins` / `locked_until` (epoch ms): wrong passwords in a row lock the
 *   login for a while, as institution accounts are.
 */
import type { Migration } from '../migrate.ts';

export const migration007: Migration = {
  version: 7,
  name: 'portal_operator_roles',
  statements: [
    `alter table portal_operators add column role text not null default 'approver'`,
    `alter table portal_operators add column failed_logins integer not null default 0`,
    `alter table portal_operators add column locked_until bigint not null default 0`,
  ],
};
