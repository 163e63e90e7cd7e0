/**
 * The OQS-IF-002 資格確認結果 of a check by My Number card (the `face` result): the same message
 * as the check by card data, built with the same row formatting (eligibility/), but with
 * ReferenceClassification 1 and EVERY qualification of the person that is valid on the date — a
 * person can hold several at once (health insurance and 医療扶助).
 *
 * QualificationValidity: '1' when at least one is valid (all valid ones listed); otherwise '2' with
 * the most recent qualification (the clerk sees when and why it ended); '4' when the person has
 * none at all. '3' and '5' cannot arise: the lookup is by person, not by card data.
 */
import {
  isQualificationValidOn,
  judgeValidity,
  type LocalDate,
  ProcessingResultStatus,
  type QualificationConfirmResult,
  ReferenceClassification,
  type ResultOfQualificationConfirmation,
  SegmentOfResult,
  toWireDate,
} from '@onshi/core';
import type { EligibilityCandidate } from '../eligibility/eligibility.repo.ts';
import { buildResultRow, supplementaryCode } from '../eligibility/eligibility.service.ts';

export interface CardResultInput {
  readonly candidates: readonly EligibilityCandidate[];
  readonly on: LocalDate;
  readonly institutionCode: string;
  /** yyyyMMddHHmmss (JST) */
  readonly processTime: string;
  readonly arbitraryFileIdentifier: string;
  readonly limitConsent: boolean;
  readonly prescriptionIssueSelect?: '1' | '2' | undefined;
  /** The consent elements of the person at this institution (consent.service `consentElements`). */
  readonly consentElements: Readonly<Record<string, string>>;
}

/** The candidates to report and the validity: every valid one, else the most recent, else none. */
export function chooseQualifications(
  candidates: readonly EligibilityCandidate[],
  on: LocalDate,
): { validity: string; chosen: readonly EligibilityCandidate[] } {
  const valid = candidates.filter((c) => isQualificationValidOn(c.qualification, on));
  if (valid.length > 0) return { validity: '1', chosen: valid };
  const judgement = judgeValidity(
    candidates.map((c) => c.qualification),
    on,
  );
  const latest = candidates.find((c) => c.qualification === judgement.qualification);
  return { validity: judgement.validity, chosen: latest === undefined ? [] : [latest] };
}

export function buildCardResult(input: CardResultInput): QualificationConfirmResult {
  const { validity, chosen } = chooseQualifications(input.candidates, input.on);
  const consentTime = input.limitConsent ? input.processTime : undefined;
  const rows: ResultOfQualificationConfirmation[] = [];
  for (const candidate of chosen) {
    const row = buildResultRow(candidate, input.on, consentTime, undefined);
    rows.push({ ...row, ...input.consentElements });
  }
  return {
    MessageHeader: {
      ProcessExecutionTime: input.processTime,
      QualificationConfirmationDate: toWireDate(input.on),
      MedicalInstitutionCode: input.institutionCode,
      ArbitraryFileIdentifier: input.arbitraryFileIdentifier,
      ReferenceClassification: ReferenceClassification.myNumberCard,
      SegmentOfResult: SegmentOfResult.completed,
      CharacterCodeIdentifier: '0',
    },
    MessageBody: {
      ProcessingResultStatus: ProcessingResultStatus.normal,
      ...supplementaryCode(validity),
      QualificationValidity: validity,
      ...(input.prescriptionIssueSelect === undefined
        ? {}
        : { PrescriptionIssueSelect: input.prescriptionIssueSelect }),
      ...(rows.length === 0 ? {} : { ResultList: { ResultOfQualificationConfirmation: rows } }),
    },
  };
}
