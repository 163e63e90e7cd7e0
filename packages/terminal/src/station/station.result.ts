/**
 * What a qualification result means for the person at the desk: one outcome (有効 / 無効 /
 * 無効（新しい資格あり） / 該当なし / 複数該当 / エラー), derived from SegmentOfResult,
 * ProcessingResultStatus/Code and QualificationValidity (OQSCD003/004/006), the rows with their
 * 負担割合, 高齢受給者 and 限度額 details, and a 次にすること line. Labels in Japanese and English;
 * the staff UI shows them as they are.
 */
import {
  ageBand,
  type ConsentFlag,
  codeLabel,
  consentFlags,
  fromWireDate,
  type LocalDate,
  PreschoolClassification,
  type QualificationConfirmResult,
  QualificationValidity,
  type ResultOfQualificationConfirmation,
  SegmentOfResult,
} from '@onshi/core';

export type Outcome =
  | 'valid'
  | 'validUnregistered'
  | 'invalid'
  | 'invalidNew'
  | 'notFound'
  | 'multiple'
  | 'error';

export interface Text {
  readonly ja: string;
  readonly en: string;
}

export interface PersonView {
  readonly name: string;
  readonly kana: string | undefined;
  readonly birthdate: string | undefined;
  readonly sex: string | undefined;
  readonly insurerNumber: string | undefined;
  readonly insurerName: string;
  readonly symbol: string | undefined;
  readonly number: string | undefined;
  readonly branch: string | undefined;
  readonly personalFamily: string | undefined;
  readonly cardClassification: string | undefined;
  readonly qualificationDate: string | undefined;
  readonly disqualificationDate: string | undefined;
  readonly reasonOfLoss: string | undefined;
  readonly validFrom: string | undefined;
  readonly validTo: string | undefined;
  /**
   * 負担割合 in tenths (3 = 3割): the 高齢受給者 ratio when there is one, else the card's
   * (後期高齢者) ratio, else by age for those under 70 (未就学 2割, otherwise 3割: `byAge`).
   */
  readonly copay: { readonly tenths: number; readonly label: Text; readonly byAge: boolean } | undefined;
  readonly elderly:
    | { readonly tenths: number | undefined; readonly from?: string; readonly to?: string }
    | undefined;
  readonly limit:
    | {
        readonly classification: string | undefined;
        readonly category: string | undefined;
        readonly from?: string;
        readonly to?: string;
        readonly longTermDate?: string;
      }
    | undefined;
  readonly specificDiseases: readonly { readonly category: string | undefined; readonly selfPay?: string }[];
  readonly consents: Partial<Record<ConsentFlag, string>>;
  readonly referenceNumber: string | undefined;
}

export interface ResultView {
  readonly outcome: Outcome;
  readonly label: Text;
  readonly next: Text;
  readonly code?: string;
  readonly message?: string;
  readonly prescriptionIssueSelect?: string;
  readonly persons: readonly PersonView[];
}

export const outcomeLabels: Readonly<Record<Outcome, Text>> = {
  valid: { ja: '有効', en: 'Valid' },
  validUnregistered: { ja: '有効（未登録）', en: 'Valid (not registered)' },
  invalid: { ja: '無効', en: 'Invalid' },
  invalidNew: { ja: '無効（新しい資格あり）', en: 'Invalid (newer qualification exists)' },
  notFound: { ja: '該当なし', en: 'Not found' },
  multiple: { ja: '複数該当', en: 'Multiple matches' },
  error: { ja: 'エラー', en: 'Error' },
};

const nextSteps: Readonly<Record<Outcome, Text>> = {
  valid: {
    ja: 'この資格で受付できます（負担割合を確認）',
    en: 'Accept with this qualification (check the copayment)',
  },
  validUnregistered: {
    ja: 'この資格で受付できます（負担割合を確認）',
    en: 'Accept with this qualification (check the copayment)',
  },
  invalid: {
    ja: '保険証（資格確認書）の提示を求める',
    en: 'Ask for the insurance card (or eligibility certificate)',
  },
  invalidNew: {
    ja: '新しい保険証（資格確認書）を確認する',
    en: 'Check the new insurance card (or eligibility certificate)',
  },
  notFound: {
    ja: '入力内容を確認し、保険証の提示を求める',
    en: 'Check the input and ask for the insurance card',
  },
  multiple: { ja: '枝番を入力してもう一度照会する', en: 'Enter the branch number and check again' },
  error: {
    ja: 'エラー内容を確認してもう一度照会する（続く場合は保険証の提示を求める）',
    en: 'Read the error and check again (if it persists, ask for the insurance card)',
  },
};

const byValidity: Readonly<Record<string, Outcome>> = {
  [QualificationValidity.valid]: 'valid',
  [QualificationValidity.validUnregistered]: 'validUnregistered',
  [QualificationValidity.invalid]: 'invalid',
  [QualificationValidity.invalidNewQualification]: 'invalidNew',
  [QualificationValidity.notFound]: 'notFound',
  [QualificationValidity.multiple]: 'multiple',
};

const byProcessingCode: Readonly<Record<string, Outcome>> = {
  ELIGIBILITY_NOT_FOUND: 'notFound',
  ELIGIBILITY_MULTIPLE: 'multiple',
};

export function classifyOutcome(result: QualificationConfirmResult): Outcome {
  if (result.MessageHeader.SegmentOfResult !== SegmentOfResult.completed) return 'error';
  const body = result.MessageBody;
  const validity = body.QualificationValidity;
  if (validity !== undefined && validity in byValidity) return byValidity[validity]!;
  if (body.ProcessingResultCode !== undefined && body.ProcessingResultCode in byProcessingCode) {
    return byProcessingCode[body.ProcessingResultCode]!;
  }
  return 'error';
}

/** yyyyMMdd → yyyy-MM-dd (anything else as it is). */
export function isoDate(wire: string | undefined): string | undefined {
  return wire && /^\d{8}$/.test(wire) ? `${wire.slice(0, 4)}-${wire.slice(4, 6)}-${wire.slice(6)}` : wire;
}

/** A 3-digit percentage ('030') as tenths (3). */
export function ratioTenths(wire: string | undefined): number | undefined {
  if (wire === undefined || !/^\d{3}$/.test(wire)) return undefined;
  return Number(wire) / 10;
}

function optionalDates(from: string | undefined, to: string | undefined) {
  const f = isoDate(from);
  const t = isoDate(to);
  return { ...(f ? { from: f } : {}), ...(t ? { to: t } : {}) };
}

/** The statutory ratio for those under 70, from the birthdate (70 and over need a certificate's ratio). */
function tenthsByAge(row: ResultOfQualificationConfirmation, on: LocalDate | undefined): number | undefined {
  if (row.PreschoolClassification === PreschoolClassification.preschool) return 2;
  const birthdate = fromWireDate(row.Birthdate);
  if (birthdate === undefined || on === undefined) return undefined;
  const band = ageBand(birthdate, on);
  return band === 'working' ? 3 : band === 'preschool' ? 2 : undefined;
}

/** A result row for the desk; `on` (the check date) lets the 負担割合 of those under 70 be shown. */
function personView(row: ResultOfQualificationConfirmation, on?: LocalDate): PersonView {
  const elderlyInfo = row.ElderlyRecipientCertificateInfo;
  const elderlyTenths = ratioTenths(elderlyInfo?.ElderlyRecipientContributionRatio);
  const certified = elderlyTenths ?? ratioTenths(row.InsuredPartialContributionRatio);
  const tenths = certified ?? tenthsByAge(row, on);
  const limit = row.LimitApplicationCertificateRelatedInfo;
  const consents: Partial<Record<ConsentFlag, string>> = {};
  for (const flag of consentFlags) if (row[flag] !== undefined) consents[flag] = row[flag];
  return {
    name: row.Name,
    kana: row.NameKana,
    birthdate: isoDate(row.Birthdate),
    sex: codeLabel('OQSCD007', row.Sex1),
    insurerNumber: row.InsurerNumber?.trim(),
    insurerName: row.InsurerName,
    symbol: row.InsuredCardSymbol,
    number: row.InsuredIdentificationNumber,
    branch: row.InsuredBranchNumber,
    personalFamily:
      row.PersonalFamilyClassification && codeLabel('OQSCD009', row.PersonalFamilyClassification),
    cardClassification: codeLabel('OQSCD010', row.InsuredCardClassification),
    qualificationDate: isoDate(row.QualificationDate),
    disqualificationDate: isoDate(row.DisqualificationDate),
    reasonOfLoss: row.ReasonOfLoss && codeLabel('OQSCD008', row.ReasonOfLoss),
    validFrom: isoDate(row.InsuredCardValidDate),
    validTo: isoDate(row.InsuredCardExpirationDate),
    copay:
      tenths === undefined
        ? undefined
        : {
            tenths,
            byAge: certified === undefined,
            label:
              certified === undefined
                ? { ja: `${tenths}割（年齢による）`, en: `${tenths * 10}% (by age)` }
                : { ja: `${tenths}割`, en: `${tenths * 10}%` },
          },
    elderly: elderlyInfo
      ? {
          tenths: elderlyTenths,
          ...optionalDates(
            elderlyInfo.ElderlyRecipientValidStartDate,
            elderlyInfo.ElderlyRecipientValidEndDate,
          ),
        }
      : undefined,
    limit: limit
      ? {
          classification:
            limit.LimitApplicationCertificateClassification &&
            codeLabel('OQSCD011', limit.LimitApplicationCertificateClassification),
          category:
            limit.LimitApplicationCertificateClassificationFlag &&
            codeLabel('OQSCD012', limit.LimitApplicationCertificateClassificationFlag),
          ...optionalDates(
            limit.LimitApplicationCertificateValidStartDate,
            limit.LimitApplicationCertificateValidEndDate,
          ),
          ...(limit.LimitApplicationCertificateLongTermDate
            ? { longTermDate: isoDate(limit.LimitApplicationCertificateLongTermDate)! }
            : {}),
        }
      : undefined,
    specificDiseases: (row.SpecificDiseasesCertificateList?.SpecificDiseasesCertificateInfo ?? []).map(
      (info) => ({
        category:
          info.SpecificDiseasesDiseaseCategory && codeLabel('OQSCD013', info.SpecificDiseasesDiseaseCategory),
        ...(info.SpecificDiseasesSelfPay ? { selfPay: info.SpecificDiseasesSelfPay } : {}),
      }),
    ),
    consents,
    referenceNumber: row.ReferenceNumber,
  };
}

/** The 資格確認日 of a result, else the JST date it was processed. */
function checkDate(result: QualificationConfirmResult): LocalDate | undefined {
  const header = result.MessageHeader;
  return fromWireDate(header.QualificationConfirmationDate ?? header.ProcessExecutionTime.slice(0, 8));
}

export function resultView(result: QualificationConfirmResult): ResultView {
  const outcome = classifyOutcome(result);
  const header = result.MessageHeader;
  const body = result.MessageBody;
  const code = header.ErrorCode ?? body.ProcessingResultCode;
  const message = header.ErrorMessage ?? body.ProcessingResultMessage;
  return {
    outcome,
    label: outcomeLabels[outcome],
    next: nextSteps[outcome],
    ...(code ? { code } : {}),
    ...(message ? { message } : {}),
    ...(body.PrescriptionIssueSelect ? { prescriptionIssueSelect: body.PrescriptionIssueSelect } : {}),
    persons: (body.ResultList?.ResultOfQualificationConfirmation ?? []).map((row) =>
      personView(row, checkDate(result)),
    ),
  };
}
