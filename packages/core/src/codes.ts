/**
 * Business code tables OQSCD001–OQSCD044 (別紙5-1 業務コード仕様), as reconstructed in
 * docs oqs-interface.md §2.9. Each table is defined once: its English-keyed constant
 * (`QualificationValidity.valid === '1'`) and its label table (`codeTables.OQSCD006.values['1']`)
 * are both derived from that definition.
 *
 * OQSCD030–044 come from a single public source (medium confidence); OQSCD044's codes are kept
 * exactly as transcribed ('01', '2', '4', '8') although they look like bit flags.
 */
import * as defs from './codes.tables.ts';
import { OnshiError } from './errors.ts';

export type { CodeTable } from './codes.tables.ts';

type Values<T> = T[keyof T];

type Tables = { readonly [D in (typeof defs.definitions)[number] as D['table']['id']]: D['table'] };

/** Every table by its ID: `codeTables.OQSCD006 = { id, name: '資格有効性', values: { '1': '有効', … } }`. */
export const codeTables: Tables = Object.freeze(
  Object.fromEntries(defs.definitions.map((d) => [d.table.id, d.table])),
) as Tables;

export type CodeTableId = keyof typeof codeTables;
/** The codes of one table, e.g. `CodeOf<'OQSCD006'>` = '1' | '2' | … | '6'. */
export type CodeOf<T extends CodeTableId> = keyof (typeof codeTables)[T]['values'] & string;

export function isCodeTableId(value: string): value is CodeTableId {
  return Object.hasOwn(codeTables, value);
}

export function isCode<T extends CodeTableId>(tableId: T, code: string): code is CodeOf<T> {
  return Object.hasOwn(codeTables[tableId].values, code);
}

/** The Japanese label of a code, or undefined when the table has no such code. */
export function codeLabel(tableId: CodeTableId, code: string): string | undefined {
  const values: Readonly<Record<string, string>> = codeTables[tableId].values;
  return Object.hasOwn(values, code) ? values[code] : undefined;
}

/** Returns the code typed to its table, or throws CODE_UNKNOWN. */
export function assertCode<T extends CodeTableId>(tableId: T, code: string): CodeOf<T> {
  if (!isCode(tableId, code)) {
    throw new OnshiError('CODE_UNKNOWN', { table: `${tableId} ${codeTables[tableId].name}`, value: code });
  }
  return code;
}

// --- English-keyed constants and their code types, one per table

export const LimitConsentFlag = defs.t001.codes;
export const ReferenceClassification = defs.t002.codes;
export const SegmentOfResult = defs.t003.codes;
export const ProcessingResultStatus = defs.t004.codes;
export const CharacterCodeIdentifier = defs.t005.codes;
export const QualificationValidity = defs.t006.codes;
export const SexCode = defs.t007.codes;
export const ReasonOfLoss = defs.t008.codes;
export const PersonalFamily = defs.t009.codes;
export const InsuredCardClassification = defs.t010.codes;
export const LimitCertificateClassification = defs.t011.codes;
export const LimitCategory = defs.t012.codes;
export const SpecificDisease = defs.t013.codes;
export const LimitCertificateChanged = defs.t014.codes;
export const PreschoolClassification = defs.t015.codes;
export const ConsentStatus = defs.t016.codes;
export const PrescriptionIssueSelect = defs.t017.codes;
export const TicketType = defs.t018.codes;
export const MedicalTreatmentType = defs.t019.codes;
export const SingleOrCombinedUse = defs.t020.codes;
export const SocialInsuranceStatus = defs.t021.codes;
export const SocialInsuranceConsistency = defs.t022.codes;
export const InfectiousDiseaseStatus = defs.t023.codes;
export const ElderlyMedicalCareStatus = defs.t024.codes;
export const PrefecturalExpenseStatus = defs.t025.codes;
export const DesignatedInstitutionCheck = defs.t026.codes;
export const SamePersonFlag = defs.t027.codes;
export const CareSetting = defs.t028.codes;
export const MedicalInfoKind = defs.t029.codes;
export const MedicationInfoDisplay = defs.t030.codes;
export const ConsentExpiryReason = defs.t031.codes;
export const QualificationChangeCheck = defs.t032.codes;
export const UrlKind = defs.t033.codes;
export const OutputFormat = defs.t034.codes;
export const UrlChange = defs.t035.codes;
export const ConsentInfoKind = defs.t036.codes;
export const UsageSetting = defs.t037.codes;
export const EPrescriptionUsage = defs.t038.codes;
export const PrescriptionChoiceTiming = defs.t039.codes;
export const InformationRequestPattern = defs.t040.codes;
export const TwoFactorElement = defs.t041.codes;
export const TwoFactorMethodCode = defs.t042.codes;
export const EmergencyViewPermission = defs.t043.codes;
export const LinkedSystemId = defs.t044.codes;

export type LimitConsentFlagCode = Values<typeof LimitConsentFlag>;
export type ReferenceClassificationCode = Values<typeof ReferenceClassification>;
export type SegmentOfResultCode = Values<typeof SegmentOfResult>;
export type ProcessingResultStatusCode = Values<typeof ProcessingResultStatus>;
export type CharacterCodeIdentifierCode = Values<typeof CharacterCodeIdentifier>;
export type QualificationValidityCode = Values<typeof QualificationValidity>;
export type ReasonOfLossCode = Values<typeof ReasonOfLoss>;
export type PersonalFamilyCode = Values<typeof PersonalFamily>;
export type InsuredCardClassificationCode = Values<typeof InsuredCardClassification>;
export type LimitCertificateClassificationCode = Values<typeof LimitCertificateClassification>;
export type LimitCategoryCode = Values<typeof LimitCategory>;
export type SpecificDiseaseCode = Values<typeof SpecificDisease>;
export type ConsentStatusCode = Values<typeof ConsentStatus>;
export type PrescriptionIssueSelectCode = Values<typeof PrescriptionIssueSelect>;
export type CareSettingCode = Values<typeof CareSetting>;
export type ConsentExpiryReasonCode = Values<typeof ConsentExpiryReason>;
export type ConsentInfoKindCode = Values<typeof ConsentInfoKind>;

/** OQSCD042 per OQSCD041 factor. */
export const TwoFactorMethod = Object.freeze({
  knowledge: { idPassword: '01', pin: '02', secretQuestion: '03' },
  biometric: { fingerprint: '01', face: '02', voice: '03', vein: '04', iris: '05' },
  possession: { icCard: '01', oneTimePassword: '02', other: '03' },
} as const);

const twoFactorMethodLabels: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '1': { '01': 'ID/パスワード', '02': 'PIN', '03': '秘密の質問' },
  '2': { '01': '指紋', '02': '顔', '03': '音声', '04': '静脈', '05': '虹彩' },
  '3': { '01': 'ICカード', '02': 'OTP', '03': 'その他' },
};

/** The label of an OQSCD042 method under an OQSCD041 factor, or undefined. */
export function twoFactorMethodLabel(factor: string, method: string): string | undefined {
  const labels = Object.hasOwn(twoFactorMethodLabels, factor) ? twoFactorMethodLabels[factor] : undefined;
  return labels && Object.hasOwn(labels, method) ? labels[method] : undefined;
}
