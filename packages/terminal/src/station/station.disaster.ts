/**
 * 災害時 (disaster mode) and the institution's consent revocation, for the staff UI.
 *
 * - The disaster search asks central (`/oqs/v1/disaster-searches`, JSON) for persons by 氏名カナ,
 *   生年月日, 性別 and part of the address, with the reason the viewer gives; the persons come back
 *   with central's internal id, which the viewer's 薬剤情報 / 特定健診 requests then carry as
 *   `DisasterPersonIdentifier` with the same reason (`DisasterUseReason`).
 * - The revocation asks central (`/oqs/v1/consents/revocations`, OQSCD031 1 医療機関による取消) by
 *   the card data and birth date, and is kept in the terminal's store, so that the picker and the
 *   reception feed show 取消 for the card's earlier reader sessions.
 */
import type { DatabaseSync } from 'node:sqlite';
import { type Clock, OnshiError } from '@onshi/core';
import type { StationCentralClient } from './station.central.ts';
import { TERMINAL_ROLE_HEADER, terminalUserHeader } from './station.medinfo.ts';
import { cardFields, wireBirthdate } from './station.requests.ts';

/** Central's routes (packages/central disaster.routes.ts, consent.routes.ts). */
export const disasterPaths = {
  searches: '/oqs/v1/disaster-searches',
  revocations: '/oqs/v1/consents/revocations',
} as const;

export interface DisasterSearchForm {
  readonly nameKana?: string | undefined;
  /** yyyy-MM-dd or yyyyMMdd */
  readonly birthdate?: string | undefined;
  /** OQSCD007: 1 男, 2 女 (empty: either). */
  readonly sex?: string | undefined;
  readonly address?: string | undefined;
  readonly reason?: string | undefined;
}

/** The search body for central, checked first here: the reason before anything else (as central). */
export function disasterSearchBody(form: DisasterSearchForm): Record<string, string> {
  const reason = form.reason?.trim();
  if (!reason) throw new OnshiError('DISASTER_REASON_REQUIRED');
  const nameKana = form.nameKana?.trim();
  if (!nameKana) throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'nameKana' });
  if (!form.birthdate) throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'birthdate' });
  const sex = form.sex?.trim();
  if (sex && sex !== '1' && sex !== '2') {
    throw new OnshiError('MSG_FIELD_INVALID', { field: 'sex', detail: '1（男）か 2（女）です' });
  }
  const address = form.address?.trim();
  return {
    nameKana,
    birthdate: wireBirthdate(form.birthdate),
    ...(sex ? { sex } : {}),
    ...(address ? { address } : {}),
    reason,
  };
}

/** JSON to central for a logged-in user (x-onshi-terminal-user; the role header for a viewer). */
export async function postCentralJson(
  client: StationCentralClient,
  path: string,
  body: unknown,
  user: { readonly login: string; readonly role: string },
  timeoutMs: number,
) {
  try {
    return await client.send(path, {
      body: new TextEncoder().encode(JSON.stringify(body)),
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...terminalUserHeader(user.login),
        ...(user.role === 'viewer' ? { [TERMINAL_ROLE_HEADER]: 'viewer' } : {}),
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new OnshiError('TERMINAL_CENTRAL_UNREACHABLE', {}, { cause });
  }
}

export interface RevocationForm {
  readonly insurerNumber?: string | undefined;
  readonly symbol?: string | undefined;
  readonly number?: string | undefined;
  readonly branch?: string | undefined;
  readonly birthdate?: string | undefined;
}

/** Central's revocation body: the card (§2.1 names) and the birth date; every category (none named). */
export function revocationBody(form: RevocationForm) {
  if (!form.insurerNumber) throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'insurerNumber' });
  if (!form.number) throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'number' });
  if (!form.birthdate) throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'birthdate' });
  const card = cardFields({
    insurerNumber: form.insurerNumber,
    symbol: form.symbol,
    number: form.number,
    branch: form.branch,
  });
  return { ...card, Birthdate: wireBirthdate(form.birthdate) };
}

/** The card a revocation is for, as the reader records write it (insurer number trimmed). */
export function revocationCardKey(body: ReturnType<typeof revocationBody>): string {
  return [
    body.InsurerNumber.trim(),
    body.InsuredCardSymbol ?? '',
    body.InsuredIdentificationNumber,
    body.InsuredBranchNumber ?? '',
  ].join('|');
}

export interface Revocation {
  readonly cardKey: string;
  /** ISO instant central gave (`revokedAt`). */
  readonly revokedAt: string;
  readonly login: string;
}

export interface Revocations {
  add(revocation: Revocation): void;
  /** The latest revocation of each card. */
  latest(): ReadonlyMap<string, string>;
}

export function createRevocations(db: DatabaseSync, clock: Clock): Revocations {
  const insert = db.prepare(
    'INSERT INTO consent_revocations (card_key, revoked_at, login, recorded_at) VALUES (?, ?, ?, ?)',
  );
  const latest = db.prepare(
    'SELECT card_key, MAX(revoked_at) AS revoked_at FROM consent_revocations GROUP BY card_key',
  );
  return {
    add(revocation) {
      insert.run(
        revocation.cardKey,
        Date.parse(revocation.revokedAt),
        revocation.login,
        clock.now().getTime(),
      );
    },
    latest() {
      const rows = latest.all() as { card_key: string; revoked_at: number }[];
      return new Map(rows.map((r) => [r.card_key, new Date(r.revoked_at).toISOString()]));
    },
  };
}
