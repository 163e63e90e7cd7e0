/** SQL of the consents (migration 004): one row per answer; the latest row of a key is its state. */
import type { ConsentCategory, ConsentKind, ConsentRecord } from '@onshi/core';
import type { SqlValue, Store } from '../store/store.ts';

export interface NewConsent {
  readonly institutionCode: string;
  readonly personId: number;
  readonly category: ConsentCategory;
  readonly kind: ConsentKind;
  readonly consented: boolean;
  readonly givenAt: number;
  readonly expiresAt?: number | undefined;
  /** The reader session (`reader:<challenge SHA-256>`) or other origin of the answer. */
  readonly source: string;
}

export interface StoredConsent extends ConsentRecord {
  readonly consentId: number;
  readonly institutionCode: string;
  readonly category: ConsentCategory;
  readonly kind: ConsentKind;
  readonly source: string;
}

interface ConsentRow {
  consent_id: number;
  institution_code: string;
  category: string;
  kind: string;
  consented: number;
  given_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  revoke_reason: string | null;
  source: string;
}

const columns =
  'consent_id, institution_code, category, kind, consented, given_at, expires_at, revoked_at, revoke_reason, source';

function toConsent(row: ConsentRow): StoredConsent {
  return {
    consentId: row.consent_id,
    institutionCode: row.institution_code,
    category: row.category as ConsentCategory,
    kind: row.kind as ConsentKind,
    consented: row.consented === 1,
    givenAt: row.given_at,
    expiresAt: row.expires_at ?? undefined,
    revokedAt: row.revoked_at ?? undefined,
    revokeReason: row.revoke_reason ?? undefined,
    source: row.source,
  };
}

export async function insertConsents(store: Store, consents: readonly NewConsent[]): Promise<void> {
  if (consents.length === 0) return;
  const params: SqlValue[] = [];
  for (const c of consents) {
    params.push(
      c.institutionCode,
      c.personId,
      c.category,
      c.kind,
      c.consented ? 1 : 0,
      c.givenAt,
      c.expiresAt ?? null,
      c.source,
    );
  }
  const values = consents.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  await store.run(
    `insert into consents (institution_code, person_id, category, kind, consented, given_at, expires_at, source)
     values ${values}`,
    params,
  );
}

/** Every answer of the person (all institutions and categories), oldest first. */
export async function listConsentsOf(store: Store, personId: number): Promise<StoredConsent[]> {
  const rows = await store.all<ConsentRow>(
    `select ${columns} from consents where person_id = ? order by consent_id`,
    [personId],
  );
  return rows.map(toConsent);
}

/**
 * Stamps the live consents (given, not revoked, not expired at `at`) of the person at the
 * institution for the categories as revoked with the OQSCD031 reason. Resolves to how many.
 */
export async function revokeConsents(
  store: Store,
  revocation: {
    readonly institutionCode: string;
    readonly personId: number;
    readonly categories: readonly ConsentCategory[];
    readonly at: number;
    readonly reason: '1' | '2';
  },
): Promise<number> {
  const { categories } = revocation;
  return store.run(
    `update consents set revoked_at = ?, revoke_reason = ?
     where person_id = ? and institution_code = ? and category in (${categories.map(() => '?').join(', ')})
       and consented = 1 and revoked_at is null and (expires_at is null or expires_at > ?)`,
    [
      revocation.at,
      revocation.reason,
      revocation.personId,
      revocation.institutionCode,
      ...categories,
      revocation.at,
    ],
  );
}
