/**
 * The definitions behind codes.ts: one `define(id, name, { englishKey: [code, label] })` per table,
 * transcribed from oqs-interface.md §2.9. Import from codes.ts, not from here.
 */

type Entries = Readonly<Record<string, readonly [code: string, label: string]>>;

export interface CodeTable<C extends string = string> {
  readonly id: string;
  readonly name: string;
  readonly values: Readonly<Record<C, string>>;
}

type CodesOf<E extends Entries> = { readonly [K in keyof E]: E[K][0] };

function define<const Id extends string, const E extends Entries>(id: Id, name: string, entries: E) {
  const codes: Record<string, string> = {};
  const values: Record<string, string> = {};
  for (const [key, [code, label]] of Object.entries(entries)) {
    codes[key] = code;
    values[code] = label;
  }
  const table = Object.freeze({ id, name, values: Object.freeze(values) });
  return {
    codes: Object.freeze(codes) as CodesOf<E>,
    table: table as {
      readonly id: Id;
      readonly name: string;
      readonly values: Record<E[keyof E][0], string>;
    },
  };
}

// --- 資格確認の要求・結果

export const t001 = define('OQSCD001', '限度額適用認定証同意フラグ', {
  notConsented: ['0', '未同意'],
  consented: ['1', '同意'],
});
export const t002 = define('OQSCD002', '照会区分', {
  myNumberCard: ['1', 'マイナンバーカード'],
  insuranceCard: ['2', '被保険者証情報'],
});
export const t003 = define('OQSCD003', '処理結果区分', {
  completed: ['1', '正常終了'],
  processing: ['2', '処理中'],
  failed: ['9', '異常終了'],
});
export const t004 = define('OQSCD004', '処理結果状況', { normal: ['1', '正常終了'], error: ['2', 'エラー'] });
export const t005 = define('OQSCD005', '文字コード識別', {
  utf8: ['0', 'UTF-8'],
  shiftJis: ['1', 'Shift_JIS'],
});
export const t006 = define('OQSCD006', '資格有効性', {
  valid: ['1', '有効'],
  invalid: ['2', '無効'],
  invalidNewQualification: ['3', '無効（新しい資格あり）'],
  notFound: ['4', '該当資格なし'],
  multiple: ['5', '複数該当'],
  validUnregistered: ['6', '有効（未登録）'],
});
export const t007 = define('OQSCD007', '性別', {
  male: ['1', '男'],
  female: ['2', '女'],
  unset: ['3', '未設定'],
});
export const t008 = define('OQSCD008', '資格喪失事由', {
  death: ['01', '死亡'],
  publicAssistance: ['02', '生活保護受給開始'],
  otherInsurance: ['03', '医療保険等の資格取得'],
  other: ['99', 'その他'],
});
export const t009 = define('OQSCD009', '本人・家族区分', {
  insured: ['1', '本人'],
  dependent: ['2', '家族'],
});
export const t010 = define('OQSCD010', '被保険者証区分', {
  general: ['01', '被保険者証（一般）'],
  retired: ['02', '被保険者証（退職）'],
  shortTermGeneral: ['03', '短期被保険者証（一般）'],
  shortTermRetired: ['04', '短期被保険者証（退職）'],
  /** newer lists: 特別療養費支給対象者 */
  qualificationCertificate: ['05', '被保険者資格証明書'],
  specialRetired: ['06', '特例退職被保険者証'],
  selfDefenseForces: ['07', '自衛官診療証'],
  medicalAssistance: ['A1', '医療扶助'],
});
export const t011 = define('OQSCD011', '限度額適用認定証区分', {
  limit: ['01', '限度額適用認定証'],
  limitAndMealReduction: ['02', '限度額適用・標準負担額減額認定証'],
  mealReduction: ['03', '標準負担額減額認定証'],
});
export const t012 = define('OQSCD012', '限度額適用認定証適用区分', {
  a: ['A01', 'ア'],
  i: ['A02', 'イ'],
  u: ['A03', 'ウ'],
  e: ['A04', 'エ'],
  o: ['A05', 'オ'],
  oBorderline: ['A06', 'オ（境）'],
  workingLevel3: ['B01', '現役並みⅢ'],
  workingLevel2: ['B02', '現役並みⅡ'],
  workingLevel1: ['B03', '現役並みⅠ'],
  /** 70–74 */
  general: ['B04', '一般'],
  low2: ['B05', '低所得Ⅱ'],
  low1: ['B06', '低所得Ⅰ'],
  low1Welfare: ['B07', '低所得Ⅰ（老福）'],
  low1Borderline: ['B08', '低所得Ⅰ（境）'],
  /** 後期高齢者 */
  general2: ['B09', '一般Ⅱ'],
  /** 後期高齢者 */
  general1: ['B10', '一般Ⅰ'],
});
export const t013 = define('OQSCD013', '特定疾病療養受療証認定疾病区分', {
  dialysis: ['1', '人工透析を要する慢性腎不全'],
  hemophilia: ['2', '先天性血液凝固因子障害（第VIII・IX因子）'],
  hiv: ['3', '血液凝固因子製剤起因のHIV感染症'],
});
export const t014 = define('OQSCD014', '限度額適用認定証情報変更有無', {
  unchanged: ['0', '変更なし'],
  changedOrUnknown: ['1', '変更あり又は判定不能'],
});
export const t015 = define('OQSCD015', '未就学区分', { preschool: ['1', '未就学該当'] });
export const t016 = define('OQSCD016', '同意区分', {
  none: ['0', '同意なし'],
  given: ['1', '同意あり'],
  expired: ['2', '同意有効期限切れ'],
  hardToObtain: ['3', '同意取得困難'],
});
export const t017 = define('OQSCD017', '処方箋発行形態', {
  electronic: ['1', '電子処方箋'],
  paper: ['2', '紙の処方箋'],
});

// --- 医療扶助（医療券・調剤券）

export const t018 = define('OQSCD018', '医療券・調剤券別', {
  medical: ['01', '医療券'],
  dispensing: ['02', '調剤券'],
});
export const t019 = define('OQSCD019', '診療別', {
  inpatient: ['01', '入院'],
  outpatient: ['02', '入院外'],
  dental: ['03', '歯科'],
  dispensing: ['04', '調剤'],
  homeNursing: ['05', '訪問看護'],
});
export const t020 = define('OQSCD020', '単独・併用別', { single: ['01', '単独'], combined: ['02', '併用'] });
const yesNo = { yes: ['01', 'あり'], no: ['02', 'なし'] } as const;
export const t021 = define('OQSCD021', '社会保険状況', yesNo);
export const t022 = define('OQSCD022', '社会保険状況の整合性フラグ', { inconsistent: ['1', '不整合あり'] });
export const t023 = define('OQSCD023', '感染症法37条の2該当状況', yesNo);
export const t024 = define('OQSCD024', '後期高齢者医療該当状況', yesNo);
export const t025 = define('OQSCD025', '都道府県費該当状況', yesNo);
export const t026 = define('OQSCD026', '指定医療機関確認フラグ', {
  match: ['0', '一致'],
  mismatch: ['1', '不一致'],
});
export const t027 = define('OQSCD027', '同一個人有無フラグ', { samePerson: ['1', '同一個人あり'] });

// --- 診療区分・医療情報・同意

export const t028 = define('OQSCD028', '診療区分', {
  outpatient: ['1', '外来'],
  homeVisit: ['2', '訪問診療等'],
  online: ['3', 'オンライン診療等'],
  emergency: ['4', '救急時'],
});
export const t029 = define('OQSCD029', '医療情報種別', {
  checkup: ['TKK', '特定健診情報'],
  medication: ['YZK', '薬剤情報等'],
});
export const t030 = define('OQSCD030', '薬剤情報等表示', {
  hide: ['0', '表示しない'],
  show: ['1', '表示する'],
});
export const t031 = define('OQSCD031', '同意有効期限切れ理由', {
  /** the meaning varies by 診療形態 (spec supplement) */
  expired: ['0', '有効期限切れ（診療形態により異なる）'],
  revokedByInstitution: ['1', '医療機関による取消'],
  revokedByPatient: ['2', '患者による取消'],
  revokedByPurposeChange: ['3', '用途変更による取消'],
});
export const t032 = define('OQSCD032', '資格情報変更確認フラグ', {
  match: ['0', '一致'],
  mismatch: ['1', '不一致'],
});
export const t033 = define('OQSCD033', 'URL取得区分', {
  homeVisit: ['2', '訪問診療等'],
  online: ['3', 'オンライン診療等'],
});
export const t034 = define('OQSCD034', '出力形式', { pdf: ['1', 'PDF'], png: ['2', 'PNG'] });
export const t035 = define('OQSCD035', 'URL変更区分', {
  keep: ['0', '変更しない'],
  change: ['1', '変更する'],
});
export const t036 = define('OQSCD036', '閲覧同意情報種別', {
  specificDisease: ['TSR', '特定疾病療養受療証'],
  checkup: ['TKK', '特定健診'],
  medication: ['YZK', '薬剤・処方'],
  clinical: ['SRJ', '診療・その他アレルギー等・薬剤アレルギー等・検査'],
  surgery: ['SHJ', '手術・傷病名・感染症'],
});

// --- 医療機関の環境設定・認証

export const t037 = define('OQSCD037', '利用設定区分', { off: ['0', '利用しない'], on: ['1', '利用する'] });
export const t038 = define('OQSCD038', '電子処方箋利用区分', {
  none: ['0', '利用しない'],
  electronicOnly: ['1', '電子のみ'],
  electronicAndPaper: ['2', '電子+紙併用'],
  paperOnly: ['3', '紙のみ'],
});
export const t039 = define('OQSCD039', '処方箋発行形態選択タイミング', {
  otherThanCheck: ['1', '資格確認時以外'],
  atCheck: ['2', '資格確認時'],
});
export const t040 = define('OQSCD040', '情報要求パターン', {
  emergencySummary: ['1', '救急用サマリー'],
  emergencyFull: ['2', '救急用全量版'],
  prescriptionAndEmergency: ['3', '電子処方箋+救急サマリー+救急全量'],
  medication: ['4', '現行の薬剤情報'],
  clinicalAndMedication: ['5', '現行の診療／薬剤情報'],
  checkup: ['6', '現行の特定健診情報'],
});
export const t041 = define('OQSCD041', '二要素認証要素区分', {
  knowledge: ['1', '記憶'],
  biometric: ['2', '生体情報'],
  possession: ['3', '物理媒体'],
});
/**
 * OQSCD042 codes only mean something together with the OQSCD041 factor ('01' is ID/パスワード,
 * 指紋 or ICカード). The flat table holds every code that may appear; `TwoFactorMethod` and
 * `twoFactorMethodLabel` give the meaning per factor.
 */
export const t042 = define('OQSCD042', '二要素認証方式区分', {
  method01: ['01', 'ID/パスワード・指紋・ICカード'],
  method02: ['02', 'PIN・顔・OTP'],
  method03: ['03', '秘密の質問・音声・その他'],
  method04: ['04', '静脈'],
  method05: ['05', '虹彩'],
});
export const t043 = define('OQSCD043', '救急時閲覧権限有無', {
  none: ['0', '権限無し'],
  granted: ['1', '権限あり'],
});
export const t044 = define('OQSCD044', '連携システムID', {
  medicalSubsidy: ['01', '医療費助成'],
  maternalChildHealth: ['2', '母子保健'],
  vaccination: ['4', '予防接種'],
  longTermCare: ['8', '介護保険'],
});

export const definitions = [
  ...[t001, t002, t003, t004, t005, t006, t007, t008, t009, t010, t011, t012, t013, t014, t015],
  ...[t016, t017, t018, t019, t020, t021, t022, t023, t024, t025, t026, t027, t028, t029, t030],
  ...[t031, t032, t033, t034, t035, t036, t037, t038, t039, t040, t041, t042, t043, t044],
] as const;
