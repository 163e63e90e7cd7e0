/**
 * Check by card data (OQS-IF-001 → OQS-IF-002). The caller has parsed the XML or JSON; this service
 * validates the fields, looks the qualification up as of the 資格確認日 and answers the result
 * message. Hot path: one indexed statement (qualification + person + insurer + this institution's
 * 照会番号 + the certificates valid on the date); a second one only when no candidate is valid (the
 * person's other qualifications, to tell 無効 from 無効（新しい資格あり）). The 高齢受給者証 is shown
 * for ages 70–74, the 限度額・特定疾病 certificates only with consent.
 */
import {
  ageOn,
  type Clock,
  isQualificationValidOn,
  jstDateTime,
  judgeValidity,
  type LocalDate,
  ProcessingResultStatus,
  type Qualification,
  type QualificationConfirmRequest,
  type QualificationConfirmResult,
  QualificationValidity,
  ReferenceClassification,
  type ResultOfQualificationConfirmation,
  renderMessage,
  SegmentOfResult,
  toWireDate,
  toWireDateTime,
} from '@onshi/core';
import type { AuditLog } from '../audit/audit.writer.ts';
import { listByPerson } from '../qualifications/qualifications.repo.ts';
import {
  createReferenceNumberService,
  type ReferenceNumberService,
} from '../reference-numbers/reference-numbers.service.ts';
import type { Store } from '../store/store.ts';
import { type EligibilityCandidate, findCandidates } from './eligibility.repo.ts';
import { formatResult } from './eligibility.result.ts';
import { characterCode, type ParsedConfirmRequest, parseConfirmRequest } from './eligibility.validate.ts';

export interface ConfirmOptions {
  /** OQSCD005 of the result: '0' UTF-8, '1' Shift_JIS (the encoding the caller will write). */
  readonly characterCode: '0' | '1';
  /** The terminal's user (x-onshi-terminal-user), for the audit record. */
  readonly terminalUser?: string | undefined;
}

export interface EligibilityService extends ReferenceNumberService {
  confirm(request: QualificationConfirmRequest, options: ConfirmOptions): Promise<QualificationConfirmResult>;
}

/** `audit` records every check (action check-card-data) before it is answered. */
export function createEligibilityService(deps: {
  store: Store;
  clock: Clock;
  audit: AuditLog;
}): EligibilityService {
  const { store, clock, audit } = deps;

  const referenceNumbers = createReferenceNumberService({ store, clock });

  return {
    registerReferenceNumber: referenceNumbers.registerReferenceNumber,
    async confirm(request, options) {
      const parsed = parseConfirmRequest(request);
      const charCode = characterCode(options.characterCode);
      const processTime = toWireDateTime(jstDateTime(clock.now()));
      const { on } = parsed;
      const { validity, chosen } = await checkCardData(store, parsed);
      const info = request.MessageBody.QualificationConfirmSearchInfo;
      const result: QualificationConfirmResult = {
        MessageHeader: {
          ProcessExecutionTime: processTime,
          QualificationConfirmationDate: toWireDate(on),
          MedicalInstitutionCode: parsed.institutionCode,
          ...echo('ArbitraryFileIdentifier', request.MessageHeader.ArbitraryFileIdentifier),
          ReferenceClassification: ReferenceClassification.insuranceCard,
          SegmentOfResult: SegmentOfResult.completed,
          CharacterCodeIdentifier: charCode,
        },
        MessageBody: {
          ProcessingResultStatus: ProcessingResultStatus.normal,
          ...supplementaryCode(validity),
          QualificationValidity: validity,
          QualificationConfirmSearchInfo: info,
        },
      };
      if (chosen !== undefined) {
        const consentTime = parsed.consented ? processTime : undefined;
        const row = buildResultRow(chosen, on, consentTime, info.ArbitraryIdentifier);
        result.MessageBody.ResultList = { ResultOfQualificationConfirmation: [row] };
      }
      await audit.append({
        institutionCode: parsed.institutionCode,
        terminalUser: options.terminalUser,
        personId: chosen?.person.personId,
        action: 'check-card-data',
      });
      return result;
    },
  };
}

/** The person's other qualifications, read only when no candidate is valid (2 versus 3). */
async function otherQualifications(
  store: Store,
  candidates: readonly EligibilityCandidate[],
  on: LocalDate,
): Promise<Qualification[]> {
  const personId = candidates[0]?.person.personId;
  if (personId === undefined) return [];
  if (candidates.some((c) => c.person.personId !== personId)) return [];
  if (candidates.some((c) => isQualificationValidOn(c.qualification, on))) return [];
  const ids = new Set(candidates.map((c) => c.qualification.qualificationId));
  return (await listByPerson(store, personId)).filter((q) => !ids.has(q.qualificationId));
}

export interface CardDataCheck<C extends EligibilityCandidate = EligibilityCandidate> {
  /** OQSCD006 */
  readonly validity: string;
  /** The qualification the answer shows (absent for 該当資格なし and 複数該当). */
  readonly chosen?: C | undefined;
}

/**
 * The check by card data on validated fields: the lookup, the person's other qualifications when
 * none is valid, the judgement. Shared by the single check and every row of a batch (batch/).
 */
export async function checkCardData(
  store: Store,
  parsed: Pick<ParsedConfirmRequest, 'on' | 'institutionCode' | 'card' | 'birthdate'>,
): Promise<CardDataCheck> {
  const { on } = parsed;
  const candidates = await findCandidates(store, {
    ...parsed.card,
    institutionCode: parsed.institutionCode,
    birthdate: parsed.birthdate,
    on,
  });
  return judgeCandidates(store, candidates, on);
}

/**
 * The judgement of `checkCardData` on candidates already looked up (the batch looks many up in one
 * statement): the person's other qualifications when none is valid, then OQSCD006 and the one shown.
 */
export async function judgeCandidates<C extends EligibilityCandidate>(
  store: Store,
  candidates: readonly C[],
  on: LocalDate,
): Promise<CardDataCheck<C>> {
  const others = await otherQualifications(store, candidates, on);
  const judgement = judgeValidity(
    candidates.map((c) => c.qualification),
    on,
    others,
  );
  const chosen = candidates.find((c) => c.qualification === judgement.qualification);
  return { validity: judgement.validity, chosen };
}

/**
 * One ResultOfQualificationConfirmation for a candidate (found with its certificates valid on `on`):
 * with the 高齢受給者証 for ages 70–74 (not 後期高齢者) and, with consent (`consentTime` set), the
 * 限度額・特定疾病 certificates. Shared by the check by card data and the check by My Number card.
 */
export function buildResultRow(
  candidate: EligibilityCandidate,
  on: LocalDate,
  consentTime: string | undefined,
  arbitraryIdentifier: string | undefined,
): ResultOfQualificationConfirmation {
  const { person, insurerKind } = candidate;
  const age = ageOn(person.birthdate, on);
  const elderly = insurerKind !== 'kouki' && age >= 70 && age < 75 ? candidate.elderly : undefined;
  const consent =
    consentTime === undefined
      ? undefined
      : { time: consentTime, limit: candidate.limit, specificDiseases: candidate.specificDiseases };
  return formatResult({ candidate, on, elderly, consent, arbitraryIdentifier });
}

/** `{ [name]: value }` when the value is a non-empty string, else nothing (empty elements are omitted). */
export function echo<K extends string>(name: K, value: string | undefined): { [P in K]?: string } {
  return value ? ({ [name]: value } as { [P in K]?: string }) : {};
}

/** 該当資格なし and 複数該当 are normal answers; a code and message explain them. */
export function supplementaryCode(validity: string): {
  ProcessingResultCode?: string;
  ProcessingResultMessage?: string;
} {
  if (validity === QualificationValidity.notFound) {
    return {
      ProcessingResultCode: 'ELIGIBILITY_NOT_FOUND',
      ProcessingResultMessage: renderMessage('ELIGIBILITY_NOT_FOUND', {}),
    };
  }
  if (validity === QualificationValidity.multiple) {
    return {
      ProcessingResultCode: 'ELIGIBILITY_MULTIPLE',
      ProcessingResultMessage: renderMessage('ELIGIBILITY_MULTIPLE', {}),
    };
  }
  return {};
}
