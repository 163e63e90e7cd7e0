/**
 * SQL of the check by My Number card: single-use challenges, the card links (certificate serial →
 * pseudonymous id) and 健康保険証利用登録 (tables of migration 002).
 */
import type { Store } from '../store/store.ts';

// ------------------------------------------------------------------------------------ challenges

export interface ChallengeRow {
  readonly institution_code: string;
  readonly expires_at: number;
  readonly used_at: number | null;
}

export async function insertChallenge(
  store: Store,
  challenge: { sha256: string; institutionCode: string; issuedAt: number; expiresAt: number },
): Promise<void> {
  await store.run(
    `insert into card_challenges (challenge_sha256, institution_code, issued_at, expires_at)
     values (?, ?, ?, ?)`,
    [challenge.sha256, challenge.institutionCode, challenge.issuedAt, challenge.expiresAt],
  );
}

/**
 * Marks the challenge used, only if it is this institution's, unused and not expired at `now`.
 * Atomic: of concurrent callers at most one gets true.
 */
export async function consumeChallenge(
  store: Store,
  challenge: { sha256: string; institutionCode: string; now: number },
): Promise<boolean> {
  const changed = await store.run(
    `update card_challenges set used_at = ?
     where challenge_sha256 = ? and institution_code = ? and used_at is null and expires_at > ?`,
    [challenge.now, challenge.sha256, challenge.institutionCode, challenge.now],
  );
  return changed === 1;
}

export async function findChallenge(store: Store, sha256: string): Promise<ChallengeRow | undefined> {
  const row = await store.get<ChallengeRow>(
    'select institution_code, expires_at, used_at from card_challenges where challenge_sha256 = ?',
    [sha256],
  );
  return row === undefined
    ? undefined
    : {
        institution_code: row.institution_code,
        expires_at: Number(row.expires_at),
        used_at: row.used_at === null ? null : Number(row.used_at),
      };
}

/** Deletes challenges that expired before `before` (epoch ms); returns how many. */
export async function purgeChallenges(store: Store, before: number): Promise<number> {
  return store.run('delete from card_challenges where expires_at < ?', [before]);
}

// ---------------------------------------------------------------------------- links and holders

/** Who a card certificate belongs to, as central knows it. */
export interface CardHolder {
  readonly pseudonymousId: string;
  /** The person whose person_key is the pseudonymous id; undefined when there is none. */
  readonly personId?: number | undefined;
  /** 健康保険証利用登録 time (ISO), undefined when not registered. */
  readonly registeredAt?: string | undefined;
}

export async function findCardHolder(store: Store, serial: string): Promise<CardHolder | undefined> {
  const row = await store.get<{
    pseudonymous_id: string;
    person_id: number | null;
    registered_at: string | null;
  }>(
    `select l.pseudonymous_id, p.person_id, r.registered_at
     from card_links l
     left join persons p on p.person_key = l.pseudonymous_id
     left join card_registrations r on r.pseudonymous_id = l.pseudonymous_id
     where l.serial = ?`,
    [serial],
  );
  if (row === undefined) return undefined;
  return {
    pseudonymousId: row.pseudonymous_id,
    personId: row.person_id === null ? undefined : Number(row.person_id),
    registeredAt: row.registered_at ?? undefined,
  };
}

/** Inserts or replaces the link of a serial (the issuer's record is authoritative). */
export async function upsertCardLink(
  store: Store,
  link: { serial: string; pseudonymousId: string; notAfter: string; importedAt: string },
): Promise<void> {
  await store.run(
    `insert into card_links (serial, pseudonymous_id, not_after, imported_at) values (?, ?, ?, ?)
     on conflict (serial) do update set pseudonymous_id = excluded.pseudonymous_id,
       not_after = excluded.not_after, imported_at = excluded.imported_at`,
    [link.serial, link.pseudonymousId, link.notAfter, link.importedAt],
  );
}

/** Registers a pseudonymous id for insurance use; false when it already was (the first time stays). */
export async function insertRegistration(
  store: Store,
  registration: { pseudonymousId: string; registeredAt: string; institutionCode?: string | undefined },
): Promise<boolean> {
  const changed = await store.run(
    `insert into card_registrations (pseudonymous_id, registered_at, registered_by_institution)
     values (?, ?, ?) on conflict (pseudonymous_id) do nothing`,
    [registration.pseudonymousId, registration.registeredAt, registration.institutionCode ?? null],
  );
  return changed === 1;
}

export async function findRegistration(
  store: Store,
  pseudonymousId: string,
): Promise<{ registeredAt: string; institutionCode?: string | undefined } | undefined> {
  const row = await store.get<{ registered_at: string; registered_by_institution: string | null }>(
    'select registered_at, registered_by_institution from card_registrations where pseudonymous_id = ?',
    [pseudonymousId],
  );
  return row === undefined
    ? undefined
    : { registeredAt: row.registered_at, institutionCode: row.registered_by_institution ?? undefined };
}

// ------------------------------------------------------------------------------ person keys

/** The person's current key: undefined when there is no such person, null when it has no key. */
export async function findPersonKeyOf(store: Store, personId: number): Promise<string | null | undefined> {
  const row = await store.get<{ person_key: string | null }>(
    'select person_key from persons where person_id = ?',
    [personId],
  );
  return row === undefined ? undefined : row.person_key;
}

export async function findPersonIdByKey(store: Store, personKey: string): Promise<number | undefined> {
  const row = await store.get<{ person_id: number }>('select person_id from persons where person_key = ?', [
    personKey,
  ]);
  return row === undefined ? undefined : Number(row.person_id);
}

/** Sets the key of a person that has none; false when the person already had one. */
export async function setPersonKey(store: Store, personId: number, personKey: string): Promise<boolean> {
  const changed = await store.run(
    'update persons set person_key = ? where person_id = ? and person_key is null',
    [personKey, personId],
  );
  return changed === 1;
}
