/**
 * The record layouts of the claims feed (レセプト電算処理システム, 記録条件仕様 令和2年版 CSV), as far
 * as this importer reads them: how many fields each record has and where the fields we use are.
 * Indexes are 0-based (field 1 of the spec, the record type, is index 0). The table in README.md
 * lists the same positions with their Japanese names.
 *
 * 医科 positions follow the published 医科用 layout. 調剤 positions are this implementation's profile
 * of the 調剤用 layout (see README.md, "Pharmacy records"): the field names are the spec's, the
 * counts must be checked against the spec before real files are exchanged.
 */

export type ClaimKind = 'medical' | 'pharmacy';

/** Japanese name of a file kind, for messages. */
export const kindNames: Readonly<Record<ClaimKind, string>> = { medical: '医科', pharmacy: '調剤' };

/** Records read (field count checked) per file kind. */
export const layouts: Readonly<Record<ClaimKind, Readonly<Record<string, number>>>> = {
  medical: { IR: 10, RE: 38, HO: 15, KO: 12, SN: 9, SI: 44, IY: 44, TO: 48, GO: 4 },
  pharmacy: { YK: 10, RE: 22, HO: 15, KO: 12, SN: 9, SH: 7, CZ: 8, IY: 10, GO: 4 },
};

/** Records accepted and skipped whole (their content is not read, so their layout is not checked). */
export const skipped: Readonly<Record<ClaimKind, ReadonlySet<string>>> = {
  medical: new Set(['SY', 'CO', 'SJ', 'JD', 'MF', 'TR']),
  pharmacy: new Set(['JD', 'MF', 'TO', 'CO', 'TK', 'KI', 'ST']),
};

/** IR (医療機関情報) and YK (薬局情報): the same shape. */
export const IR = {
  prefecture: 2,
  /** 点数表: 1 医科, 3 歯科, 4 調剤 */
  table: 3,
  /** 医療機関コード / 薬局コード, 7 digits (郡市区 2 + 番号 4 + 検証番号 1) */
  code: 4,
  /** 請求年月, YYYYMM */
  billingMonth: 7,
} as const;

/** RE (レセプト共通), both kinds. */
export const RE = {
  receiptNumber: 1,
  receiptType: 2,
  /** 診療年月 (医科) / 調剤年月 (調剤), YYYYMM */
  month: 3,
  name: 4,
  sex: 5,
  /** 生年月日, YYYYMMDD */
  birthdate: 6,
} as const;

/** RE (調剤): the prescribing institution (処方せんを発行した保険医療機関). */
export const RE_PHARMACY = { prescriberPrefecture: 12, prescriberTable: 13, prescriberCode: 14 } as const;

/** HO (保険者). */
export const HO = { insurerNumber: 1, cardSymbol: 2, cardNumber: 3 } as const;

/** SN (資格確認): carries the 枝番. */
export const SN = { insurerNumber: 3, cardSymbol: 4, cardNumber: 5, branchNumber: 6 } as const;

/** IY / SI / TO of 医科: one 算定単位 ends with the record that carries 点数 and 回数. */
export const MEDICAL_ITEM = {
  /** 診療識別 (21 内服, 22 屯服, 23 外用, 31–33 注射 …); only on the first record of a group */
  treatment: 1,
  /** レセ電コード (医薬品コード for IY) */
  code: 3,
  /** 使用量 */
  quantity: 4,
  points: 5,
  /** 回数 */
  times: 6,
} as const;

/** First 算定日 field (1日) of IY and SI; TO has four more fields before its days. */
export const firstDayField: Readonly<Record<string, number>> = { IY: 13, SI: 13, TO: 17 };

/** SH (処方基本, 調剤). */
export const SH = { number: 1, form: 2, usageCode: 3, usageText: 4 } as const;

/** CZ (調剤, 調剤): one dispensing day of the current SH. */
export const CZ = { prescribedDate: 1, dispensedDate: 2, reception: 3, quantity: 4 } as const;

/** IY (医薬品, 調剤). */
export const IY_PHARMACY = { drugCode: 2, quantity: 3 } as const;

/** GO (合計): 総件数 = the number of RE records. */
export const GO = { receipts: 1 } as const;
