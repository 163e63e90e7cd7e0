/**
 * 限度額適用認定証: the 適用区分 (OQSCD012) that an income tier maps to by age, and the kind of
 * certificate (OQSCD011) that carries it. Age bands come from copay.ts: "70 and over" starts with
 * the 高齢受給者 period, 後期高齢者 with the 75th birthday (or 'kouki' membership).
 */
import type { LimitCategoryCode, LimitCertificateClassificationCode } from '../codes.ts';
import type { IncomeTier, InsurerKind, LocalDate } from '../domain.ts';
import { type AgeBand, ageBand } from './copay.ts';

export interface LimitCategoryInput {
  readonly birthdate: LocalDate;
  readonly on: LocalDate;
  readonly incomeTier: IncomeTier;
  readonly insurerKind?: InsurerKind | undefined;
}

export interface LimitCategoryResult {
  /** OQSCD012 適用区分 */
  readonly category: LimitCategoryCode;
  /** OQSCD011 認定証区分; absent when no certificate is needed (card or 高齢受給者証 suffices). */
  readonly classification?: LimitCertificateClassificationCode;
}

/** 70歳未満: ア・イ・ウ・エ・オ */
const underSeventy: Readonly<Record<IncomeTier, LimitCategoryCode>> = {
  high3: 'A01',
  high2: 'A02',
  high1: 'A03',
  general2: 'A04',
  general: 'A04',
  low2: 'A05',
  low1: 'A05',
};

/** 70歳以上 (the 一般 tiers differ between 70–74 and 後期高齢者). */
function seventyAndOver(tier: IncomeTier, lateElderly: boolean): LimitCategoryCode {
  switch (tier) {
    case 'high3':
      return 'B01';
    case 'high2':
      return 'B02';
    case 'high1':
      return 'B03';
    case 'general2':
      return lateElderly ? 'B09' : 'B04';
    case 'general':
      return lateElderly ? 'B10' : 'B04';
    case 'low2':
      return 'B05';
    case 'low1':
      return 'B06';
  }
}

function certificateFor(
  tier: IncomeTier,
  category: LimitCategoryCode,
): LimitCertificateClassificationCode | undefined {
  // 住民税非課税: 限度額適用・標準負担額減額認定証
  if (tier === 'low1' || tier === 'low2') return '02';
  // 現役並みⅢ and 一般 need no certificate.
  if (category === 'B01' || category === 'B04' || category === 'B09' || category === 'B10') return undefined;
  return '01';
}

export function limitCategory({
  birthdate,
  on,
  incomeTier,
  insurerKind,
}: LimitCategoryInput): LimitCategoryResult {
  const band = ageBand(birthdate, on, insurerKind);
  const category =
    band === 'elderly' || band === 'lateElderly'
      ? seventyAndOver(incomeTier, band === 'lateElderly')
      : underSeventy[incomeTier];
  const classification = certificateFor(incomeTier, category);
  return classification === undefined ? { category } : { category, classification };
}

/**
 * Whether a certificate's 適用区分 fits the person's age on `on`: A-codes only under 70, B-codes only
 * from the 高齢受給者 start, B09/B10 only for 後期高齢者. Unknown categories are not consistent.
 */
export function isLimitCertificateConsistent(
  category: string,
  birthdate: LocalDate,
  on: LocalDate,
  insurerKind?: InsurerKind,
): boolean {
  const band: AgeBand = ageBand(birthdate, on, insurerKind);
  if (/^A0[1-6]$/.test(category)) return band === 'preschool' || band === 'working';
  if (category === 'B09' || category === 'B10') return band === 'lateElderly';
  if (/^B0[1-8]$/.test(category)) return band === 'elderly' || band === 'lateElderly';
  return false;
}
