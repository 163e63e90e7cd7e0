/**
 * Consents to view medical information (M1.7), recorded from reader sessions and revocable by the
 * institution or the patient. The state of (institution, person, category) is its latest answer
 * (core `consentStateOf`): 同意あり, 同意なし, or 期限切れ (expired after 24 h for outpatient and
 * online care; revoked). Medical information is answered only behind `requireLiveConsent`.
 */
import {
  type ConsentCategory,
  type ConsentKind,
  type ConsentState,
  consentCategories,
  consentElementStems,
  consentExpiry,
  consentStateOf,
  jstDateTime,
  OnshiError,
  toWireDateTime,
} from '@onshi/core';
import type { Store } from '../store/store.ts';
import { insertConsents, listConsentsOf, revokeConsents, type StoredConsent } from './consent.repo.ts';

export type { ConsentState } from '@onshi/core';

/** The latest answer of each (institution, category) of the person. */
function latestByKey(consents: readonly StoredConsent[]): Map<string, StoredConsent> {
  const latest = new Map<string, StoredConsent>();
  for (const c of consents) latest.set(`${c.institutionCode}|${c.category}`, c);
  return latest;
}

/** The state of the person's consent for `category` at `institution`, at `at`. */
export async function consentState(
  store: Store,
  institutionCode: string,
  personId: number,
  category: ConsentCategory,
  at: Date,
): Promise<ConsentState> {
  const latest = latestByKey(await listConsentsOf(store, personId));
  return consentStateOf(latest.get(`${institutionCode}|${category}`), at.getTime());
}

/**
 * The live consent, or a refusal saying why there is none: MEDINFO_CONSENT_EXPIRED,
 * MEDINFO_CONSENT_REVOKED (this institution's consent ended), MEDINFO_CONSENT_OTHER_INSTITUTION (the
 * person consented to this category, but at another institution), MEDINFO_CONSENT_OTHER_CATEGORY
 * (consented here, to another category), MEDINFO_CONSENT_NONE.
 */
export async function requireLiveConsent(
  store: Store,
  institutionCode: string,
  personId: number,
  category: ConsentCategory,
  at: Date,
): Promise<ConsentState & { readonly flag: '1' }> {
  const consents = await listConsentsOf(store, personId);
  const latest = latestByKey(consents);
  const state = consentStateOf(latest.get(`${institutionCode}|${category}`), at.getTime());
  if (state.flag === '1') return state;
  if (state.flag === '2') {
    const endedAt = new Date(state.endedAt).toISOString();
    if (state.reason === '0')
      throw new OnshiError('MEDINFO_CONSENT_EXPIRED', { category, expiresAt: endedAt });
    throw new OnshiError('MEDINFO_CONSENT_REVOKED', { category, revokedAt: endedAt, reason: state.reason });
  }
  const given = [...latest.values()].filter((c) => c.consented);
  if (given.some((c) => c.category === category && c.institutionCode !== institutionCode)) {
    throw new OnshiError('MEDINFO_CONSENT_OTHER_INSTITUTION', { category });
  }
  if (given.some((c) => c.institutionCode === institutionCode && c.category !== category)) {
    throw new OnshiError('MEDINFO_CONSENT_OTHER_CATEGORY', { category });
  }
  throw new OnshiError('MEDINFO_CONSENT_NONE', { category });
}

/** The answers of one reader session: category → '1' 同意あり / '0' 同意なし. */
export type ReaderAnswers = Partial<Record<ConsentCategory, '0' | '1'>>;

/** Records the answers of a reader session (an explicit '0' is recorded as 同意なし). */
export async function recordReaderConsents(
  store: Store,
  session: {
    readonly institutionCode: string;
    readonly personId: number;
    readonly kind: ConsentKind;
    readonly answers: ReaderAnswers;
    readonly at: Date;
    readonly source: string;
  },
): Promise<void> {
  const givenAt = session.at.getTime();
  const rows = consentCategories
    .filter((category) => session.answers[category] !== undefined)
    .map((category) => {
      const consented = session.answers[category] === '1';
      return {
        institutionCode: session.institutionCode,
        personId: session.personId,
        category,
        kind: session.kind,
        consented,
        givenAt,
        expiresAt: consented ? consentExpiry(session.kind, givenAt) : undefined,
        source: session.source,
      };
    });
  await insertConsents(store, rows);
}

function wireTime(epochMs: number): string {
  return toWireDateTime(jstDateTime(new Date(epochMs)));
}

/**
 * The OQS-IF-002 consent elements of the person at the institution, at `at`: for each category
 * with an answer, `<stem>ConsFlg` (OQSCD016 '1', '0' or '2'), and for a consent given,
 * `<stem>ConsTime` and `<stem>AvailableTime` (the expiry; for an ended consent, when it ended;
 * none for a home-visit consent, valid until revoked).
 */
export async function consentElements(
  store: Store,
  institutionCode: string,
  personId: number,
  at: Date,
): Promise<Record<string, string>> {
  const latest = latestByKey(await listConsentsOf(store, personId));
  const out: Record<string, string> = {};
  for (const category of consentCategories) {
    const record = latest.get(`${institutionCode}|${category}`);
    if (record === undefined) continue;
    const stem = consentElementStems[category];
    const state = consentStateOf(record, at.getTime());
    out[`${stem}ConsFlg`] = state.flag;
    if (state.flag === '0') continue;
    out[`${stem}ConsTime`] = wireTime(state.givenAt);
    const until = state.flag === '2' ? state.endedAt : state.expiresAt;
    if (until !== undefined) out[`${stem}AvailableTime`] = wireTime(until);
  }
  return out;
}

/** Revokes live consents (all categories when none are named); CONSENT_NOT_FOUND when there were none. */
export async function revokeConsent(
  store: Store,
  revocation: {
    readonly institutionCode: string;
    readonly personId: number;
    readonly categories?: readonly ConsentCategory[] | undefined;
    readonly at: Date;
    /** OQSCD031: '1' 医療機関による取消, '2' 患者による取消. */
    readonly by: 'institution' | 'patient';
  },
): Promise<{ readonly revoked: number; readonly revokedAt: string }> {
  const categories =
    revocation.categories === undefined || revocation.categories.length === 0
      ? consentCategories
      : revocation.categories;
  const revoked = await revokeConsents(store, {
    institutionCode: revocation.institutionCode,
    personId: revocation.personId,
    categories,
    at: revocation.at.getTime(),
    reason: revocation.by === 'institution' ? '1' : '2',
  });
  if (revoked === 0) throw new OnshiError('CONSENT_NOT_FOUND');
  return { revoked, revokedAt: revocation.at.toISOString() };
}
