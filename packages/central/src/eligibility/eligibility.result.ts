/**
 * Formatting of one ResultOfQualificationConfirmation (OQS-IF-002) from stored data, with the
 * spec's wire conventions: space-padded 8-character 保険者番号, yyyyMMdd dates, 3-digit ratios,
 * empty elements omitted.
 */
import {
  ConsentStatus,
  copayRatio,
  type ElderlyRecipientCertificate,
  formatRatio,
  isPreschool,
  type LimitApplicationCertificate,
  LimitConsentFlag,
  type LocalDate,
  PreschoolClassification,
  padInsurerNumber,
  type ResultOfQualificationConfirmation,
  type SpecificDiseaseCertificate,
  toWireDate,
} from '@onshi/core';
import type { EligibilityCandidate } from './eligibility.repo.ts';

export interface ResultInput {
  readonly candidate: EligibilityCandidate;
  readonly on: LocalDate;
  readonly elderly?: ElderlyRecipientCertificate | undefined;
  /** Present only when the patient consented (LimitApplicationCertificateRelatedConsFlg '1'). */
  readonly consent?:
    | {
        /** yyyyMMddHHmmss */
        readonly time: string;
        readonly limit?: LimitApplicationCertificate | undefined;
        readonly specificDiseases: readonly SpecificDiseaseCertificate[];
      }
    | undefined;
  readonly arbitraryIdentifier?: string | undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function wire(date: LocalDate | undefined): string | undefined {
  return date === undefined ? undefined : toWireDate(date);
}

/** Copies only the defined, non-empty values (optional elements are omitted when empty). */
function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined && v !== '') out[key] = v;
  return out as T;
}

function elderlyInfo(
  c: ElderlyRecipientCertificate,
): ResultOfQualificationConfirmation['ElderlyRecipientCertificateInfo'] {
  return compact({
    ElderlyRecipientCertificateDate: toWireDate(c.issuanceDate),
    ElderlyRecipientValidStartDate: toWireDate(c.validStartDate),
    ElderlyRecipientValidEndDate: wire(c.validEndDate),
    ElderlyRecipientContributionRatio: formatRatio(c.contributionRatio),
  });
}

function limitInfo(
  c: LimitApplicationCertificate,
): ResultOfQualificationConfirmation['LimitApplicationCertificateRelatedInfo'] {
  return compact({
    LimitApplicationCertificateClassification: c.classification,
    LimitApplicationCertificateClassificationFlag: c.category,
    LimitApplicationCertificateDate: toWireDate(c.issuanceDate),
    LimitApplicationCertificateValidStartDate: toWireDate(c.validStartDate),
    LimitApplicationCertificateValidEndDate: wire(c.validEndDate),
    LimitApplicationCertificateLongTermDate: wire(c.longTermDate),
  });
}

function specificInfo(c: SpecificDiseaseCertificate) {
  return compact({
    SpecificDiseasesDiseaseCategory: c.diseaseCategory,
    SpecificDiseasesCertificateDate: toWireDate(c.issuanceDate),
    SpecificDiseasesValidStartDate: toWireDate(c.validStartDate),
    SpecificDiseasesValidEndDate: wire(c.validEndDate),
    SpecificDiseasesSelfPay: String(c.selfPay),
  });
}

/** The 限度額・特定疾病 part, given only with the patient's consent. */
function addConsentedCertificates(
  result: Mutable<ResultOfQualificationConfirmation>,
  consent: NonNullable<ResultInput['consent']>,
): void {
  result.LimitApplicationCertificateRelatedConsFlg = LimitConsentFlag.consented;
  result.LimitApplicationCertificateRelatedConsTime = consent.time;
  if (consent.limit !== undefined) result.LimitApplicationCertificateRelatedInfo = limitInfo(consent.limit);
  result.SpecificDiseasesCertificateRelatedConsFlg = ConsentStatus.given;
  result.SpecificDiseasesCertificateRelatedConsTime = consent.time;
  if (consent.specificDiseases.length > 0) {
    result.SpecificDiseasesCertificateList = {
      SpecificDiseasesCertificateInfo: consent.specificDiseases.map(specificInfo),
    };
  }
}

export function formatResult(input: ResultInput): ResultOfQualificationConfirmation {
  const { qualification: q, person: p, insurerKind } = input.candidate;
  const result: Mutable<ResultOfQualificationConfirmation> = compact({
    InsuredCardClassification: q.cardClassification,
    InsurerNumber: padInsurerNumber(q.insurerNumber),
    InsuredCardSymbol: q.cardSymbol,
    InsuredIdentificationNumber: q.cardNumber,
    InsuredBranchNumber: q.branchNumber,
    PersonalFamilyClassification: q.personalFamily,
    InsuredName: q.insuredName,
    Name: p.name,
    NameOfOther: p.nameOfOther,
    NameKana: p.nameKana,
    NameOfOtherKana: p.nameOfOtherKana,
    Sex1: p.sex,
    Birthdate: toWireDate(p.birthdate),
    Address: p.address,
    PostNumber: p.postNumber,
    QualificationDate: toWireDate(q.qualificationDate),
    DisqualificationDate: wire(q.disqualificationDate),
    InsuredCertificateIssuanceDate: wire(q.cardIssuanceDate),
    InsuredCardValidDate: wire(q.cardValidDate),
    InsuredCardExpirationDate: wire(q.cardExpirationDate),
    // 後期高齢者の一部負担金割合: only cards of a 後期高齢者医療広域連合 carry it.
    InsuredPartialContributionRatio:
      insurerKind === 'kouki'
        ? formatRatio(
            copayRatio({ birthdate: p.birthdate, on: input.on, incomeTier: q.incomeTier, insurerKind }),
          )
        : undefined,
    PreschoolClassification: isPreschool(p.birthdate, input.on)
      ? PreschoolClassification.preschool
      : undefined,
    ReasonOfLoss: q.reasonOfLoss,
    InsurerName: input.candidate.insurerName,
  });
  if (input.elderly !== undefined) result.ElderlyRecipientCertificateInfo = elderlyInfo(input.elderly);
  if (input.consent !== undefined) addConsentedCertificates(result, input.consent);
  if (input.arbitraryIdentifier) result.ArbitraryIdentifier = input.arbitraryIdentifier;
  if (input.candidate.referenceNumber) result.ReferenceNumber = input.candidate.referenceNumber;
  return result;
}
