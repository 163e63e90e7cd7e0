/**
 * Consent to view medical information (M1.7): the categories, how long a consent lives, and its
 * state at an instant. Pure: the caller passes the instant.
 *
 * - Categories are OQSCD036 閲覧同意情報種別; the reader's four OQS-IF-002 flags map onto them:
 *   SpecificHealthCheckupsInfo → TKK, PharmacistsInfo → YZK, DiagnosisInfo → SRJ, OperationInfo → SHJ.
 * - Outpatient (外来) and online (オンライン診療等) consents are valid for 24 hours from the answer;
 *   home-visit (訪問診療等) consents until revoked (oqs-interface.md §5).
 * - State (OQSCD016): '1' 同意あり, '0' 同意なし, '2' 同意有効期限切れ — with OQSCD031 reason '0'
 *   (expired), '1' (revoked by the institution) or '2' (revoked by the patient).
 */

/** OQSCD036 codes a consent can be given for on the reader. */
export type ConsentCategory = 'TKK' | 'YZK' | 'SRJ' | 'SHJ';
export const consentCategories: readonly ConsentCategory[] = ['TKK', 'YZK', 'SRJ', 'SHJ'];

/** The OQS-IF-002 element stem of each category (`<stem>ConsFlg`, `…ConsTime`, `…AvailableTime`). */
export const consentElementStems: Readonly<Record<ConsentCategory, string>> = {
  TKK: 'SpecificHealthCheckupsInfo',
  YZK: 'PharmacistsInfo',
  SRJ: 'DiagnosisInfo',
  SHJ: 'OperationInfo',
};

/**
 * The reader's four consent flags (OQS-IF-002 wire names, answered with OQSCD016 '0' 同意なし /
 * '1' 同意あり), in the reader's display order.
 */
export const consentFlags = [
  'PharmacistsInfoConsFlg',
  'SpecificHealthCheckupsInfoConsFlg',
  'DiagnosisInfoConsFlg',
  'OperationInfoConsFlg',
] as const;
export type ConsentFlag = (typeof consentFlags)[number];
/** The answers of one confirmation at the reader. */
export type Consents = Partial<Record<ConsentFlag, '0' | '1'>>;

/** 診療区分 of a consent (OQSCD028 1 外来, 2 訪問診療等, 3 オンライン診療等). */
export type ConsentKind = 'outpatient' | 'home-visit' | 'online';

export const OUTPATIENT_CONSENT_MS = 24 * 60 * 60 * 1000;

/** When a consent given at `givenAt` (epoch ms) expires; undefined = until revoked. */
export function consentExpiry(kind: ConsentKind, givenAt: number): number | undefined {
  return kind === 'home-visit' ? undefined : givenAt + OUTPATIENT_CONSENT_MS;
}

/** One recorded answer, as the state needs it. Instants are epoch milliseconds. */
export interface ConsentRecord {
  readonly consented: boolean;
  readonly givenAt: number;
  readonly expiresAt?: number | undefined;
  readonly revokedAt?: number | undefined;
  /** OQSCD031 '1' or '2' when revoked. */
  readonly revokeReason?: string | undefined;
}

export type ConsentState =
  | { readonly flag: '1'; readonly givenAt: number; readonly expiresAt?: number | undefined }
  | { readonly flag: '0'; readonly givenAt?: number | undefined }
  | {
      readonly flag: '2';
      readonly givenAt: number;
      /** OQSCD031: '0' expired, '1' revoked by the institution, '2' revoked by the patient. */
      readonly reason: string;
      /** When it stopped being valid (the expiry or the revocation). */
      readonly endedAt: number;
      readonly expiresAt?: number | undefined;
    };

/** The state of the latest answer at `at`; no answer at all is 同意なし. */
export function consentStateOf(record: ConsentRecord | undefined, at: number): ConsentState {
  if (record === undefined) return { flag: '0' };
  if (!record.consented) return { flag: '0', givenAt: record.givenAt };
  const { givenAt, expiresAt } = record;
  if (record.revokedAt !== undefined && record.revokedAt <= at) {
    return { flag: '2', givenAt, reason: record.revokeReason ?? '1', endedAt: record.revokedAt, expiresAt };
  }
  if (expiresAt !== undefined && expiresAt <= at) {
    return { flag: '2', givenAt, reason: '0', endedAt: expiresAt, expiresAt };
  }
  return { flag: '1', givenAt, expiresAt };
}
