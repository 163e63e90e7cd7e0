/**
 * Domain types shared by every package. Pure data: no behaviour, no I/O.
 *
 * Dates inside the domain are ISO calendar dates ('YYYY-MM-DD', see `LocalDate`); the wire format
 * (yyyyMMdd) exists only in messages and is converted at the codec boundary.
 */

/** An ISO calendar date 'YYYY-MM-DD' with no time zone. Compare with `<`, `>`, `===`. */
export type LocalDate = string;

/** 'YYYY-MM-DDTHH:mm:ss' local (JST) date-time, no zone suffix. */
export type LocalDateTime = string;

/** 保険者の種別. */
export type InsurerKind =
  /** 全国健康保険協会（協会けんぽ） */
  | 'kyokai'
  /** 健康保険組合 */
  | 'kumiai'
  /** 共済組合 */
  | 'kyosai'
  /** 国民健康保険（市町村）: 6-digit insurer numbers */
  | 'kokuho'
  /** 国民健康保険組合 */
  | 'kokuho-kumiai'
  /** 後期高齢者医療広域連合 */
  | 'kouki';

export interface Insurer {
  /** 保険者番号: 8 digits, or 6 digits for 市町村国保 (stored unpadded). */
  readonly insurerNumber: string;
  readonly name: string;
  readonly kind: InsurerKind;
  /** 都道府県番号 01–47. */
  readonly prefectureCode: string;
}

/** OQSCD007 */
export type Sex = '1' | '2' | '3';

export interface Person {
  readonly personId: number;
  /** 氏名: family and given name separated by a full-width space. */
  readonly name: string;
  /** 氏名カナ: half-width katakana, half-width space. */
  readonly nameKana: string;
  readonly nameOfOther?: string | undefined;
  readonly nameOfOtherKana?: string | undefined;
  readonly sex: Sex;
  readonly birthdate: LocalDate;
  readonly address?: string | undefined;
  /** 郵便番号 'NNN-NNNN'. */
  readonly postNumber?: string | undefined;
}

/**
 * Income tier used by the copay and 限度額 rules. One tier per person and fiscal year, set by the
 * insurer. The same tier maps to different OQSCD012 categories by age (see rules/limit.ts).
 *
 * - 'high3' 標準報酬月額 83万円以上 / 課税所得690万円以上 (ア・現役並みⅢ)
 * - 'high2' 53–79万円 / 380万円以上 (イ・現役並みⅡ)
 * - 'high1' 28–50万円 / 145万円以上 (ウ・現役並みⅠ)
 * - 'general2' 26万円以下 with the 後期 一般Ⅱ income (エ・一般・一般Ⅱ)
 * - 'general' 26万円以下 (エ・一般・一般Ⅰ)
 * - 'low2' 住民税非課税 (オ・低所得Ⅱ)
 * - 'low1' 住民税非課税 with no income (オ・低所得Ⅰ)
 */
export type IncomeTier = 'high3' | 'high2' | 'high1' | 'general2' | 'general' | 'low2' | 'low1';

/** One insurance qualification (資格) of one person under one insurer, keyed by the card data. */
export interface Qualification {
  readonly qualificationId: number;
  readonly personId: number;
  readonly insurerNumber: string;
  /** 被保険者証記号 (may be empty: 後期高齢者 and many 国保 cards have none). */
  readonly cardSymbol: string;
  /** 被保険者証番号 */
  readonly cardNumber: string;
  /** 被保険者証枝番: 2 digits, empty when the insurer issues none. */
  readonly branchNumber: string;
  /** OQSCD010 被保険者証区分 */
  readonly cardClassification: string;
  /** OQSCD009 本人・家族の別 */
  readonly personalFamily: '1' | '2';
  /** 被保険者氏名（世帯主氏名） */
  readonly insuredName?: string | undefined;
  /** 資格取得年月日 */
  readonly qualificationDate: LocalDate;
  /** 資格喪失年月日: the first day without coverage. */
  readonly disqualificationDate?: LocalDate | undefined;
  /** OQSCD008 資格喪失事由 */
  readonly reasonOfLoss?: string | undefined;
  /** 被保険者証交付年月日 */
  readonly cardIssuanceDate?: LocalDate | undefined;
  /** 被保険者証有効開始年月日 */
  readonly cardValidDate?: LocalDate | undefined;
  /** 被保険者証有効終了年月日 */
  readonly cardExpirationDate?: LocalDate | undefined;
  readonly incomeTier: IncomeTier;
}

/** 高齢受給者証 */
export interface ElderlyRecipientCertificate {
  readonly qualificationId: number;
  readonly issuanceDate: LocalDate;
  readonly validStartDate: LocalDate;
  readonly validEndDate?: LocalDate | undefined;
  /** percent, 20 or 30 */
  readonly contributionRatio: number;
}

/** 限度額適用認定証 */
export interface LimitApplicationCertificate {
  readonly qualificationId: number;
  /** OQSCD011 */
  readonly classification: string;
  /** OQSCD012 */
  readonly category: string;
  readonly issuanceDate: LocalDate;
  readonly validStartDate: LocalDate;
  readonly validEndDate?: LocalDate | undefined;
  /** 長期入院該当年月日 */
  readonly longTermDate?: LocalDate | undefined;
}

/** 特定疾病療養受療証 */
export interface SpecificDiseaseCertificate {
  readonly qualificationId: number;
  /** OQSCD013 */
  readonly diseaseCategory: string;
  readonly issuanceDate: LocalDate;
  readonly validStartDate: LocalDate;
  readonly validEndDate?: LocalDate | undefined;
  /** monthly self-pay limit in yen (10,000 or 20,000) */
  readonly selfPay: number;
}

/** The institution's own patient number for a person (照会番号). */
export interface ReferenceNumber {
  readonly institutionCode: string;
  readonly personId: number;
  readonly referenceNumber: string;
}

/** The card data an institution sends to look a qualification up (OQS-IF-001 search info). */
export interface CardQuery {
  readonly insurerNumber: string;
  readonly cardSymbol: string;
  readonly cardNumber: string;
  /** empty when not given */
  readonly branchNumber: string;
  readonly birthdate: LocalDate;
}

/** The only source of "now". Core never reads a clock; services receive one. */
export interface Clock {
  now(): Date;
}
