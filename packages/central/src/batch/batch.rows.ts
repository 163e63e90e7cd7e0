/**
 * One row of a batch, validated and answered with the single-check logic: the check by card data
 * (`checkCardData`, `buildResultRow`) for 一括照会, and the 照会番号 registration service for
 * 照会番号一括登録. Validation errors become the row's own answer (ProcessingResultStatus 2 with
 * the code), never the file's.
 */
import {
  addMonths,
  type BulkConfirmUnit,
  type BulkQualificationConfirmSearchInfo,
  type BulkReferenceNumberRegistrationInfo,
  type BulkReferenceNumberRegistrationUnit,
  type Clock,
  isOnshiError,
  type LimitApplicationCertificate,
  LimitCertificateChanged,
  type LocalDate,
  ProcessingResultStatus,
} from '@onshi/core';
import { findLimitCertificate } from '../certificates/certificates.repo.ts';
import {
  type CardKeyAndBirthdate,
  type EarlierLimit,
  type EligibilityCandidate,
  findCandidatesMany,
} from '../eligibility/eligibility.repo.ts';
import {
  buildResultRow,
  checkCardData,
  judgeCandidates,
  supplementaryCode,
} from '../eligibility/eligibility.service.ts';
import { cardData, consentFlag, wireDate } from '../eligibility/eligibility.validate.ts';
import {
  createReferenceNumberService,
  referenceNumber,
} from '../reference-numbers/reference-numbers.service.ts';
import type { Store } from '../store/store.ts';
import type { RowResult, StoredRow } from './batch.repo.ts';

/** The row's answer when it cannot be processed: its number, its echo, the code and message. */
export function errorUnit<Info>(
  rowNo: number,
  echoName: 'QualificationConfirmSearchInfo' | 'ReferenceNumberRegistrationInfo',
  info: Info,
  error: unknown,
): {
  RowNumber: string;
  ProcessingResultStatus: string;
  ProcessingResultCode: string;
  ProcessingResultMessage: string;
} {
  if (!isOnshiError(error)) throw error;
  return {
    RowNumber: String(rowNo),
    [echoName]: info,
    ProcessingResultStatus: ProcessingResultStatus.error,
    ProcessingResultCode: error.code,
    ProcessingResultMessage: error.message,
  } as ReturnType<typeof errorUnit>;
}

/** Validates a 一括照会 row as the single check does; throws the first problem as OnshiError. */
export function validateConfirmRow(info: BulkQualificationConfirmSearchInfo): void {
  cardData(info);
  wireDate(info.Birthdate, 'Birthdate');
  consentFlag(info.LimitApplicationCertificateRelatedConsFlg);
}

/** Validates a 照会番号一括登録 row as the single registration does. */
export function validateRegisterRow(info: BulkReferenceNumberRegistrationInfo): void {
  cardData(info);
  referenceNumber(info.ReferenceNumber);
  if (info.Birthdate) wireDate(info.Birthdate, 'Birthdate');
}

/**
 * OQSCD014 for a batch row: '0' when the 限度額適用認定証 valid on the 資格確認日 is the one that was
 * valid a month before (or neither exists), else '1' (a certificate began, ended or changed —
 * the hospital should look at it again). Only with the patient's consent to 限度額 information.
 */
export async function limitChanged(
  store: Store,
  qualificationId: number,
  on: LocalDate,
  current: LimitApplicationCertificate | undefined,
): Promise<string> {
  const before = await findLimitCertificate(store, qualificationId, addMonths(on, -1));
  return limitChangedFrom(before, current);
}

/** OQSCD014 from the certificates valid a month before and on the day (see `limitChanged`). */
function limitChangedFrom(before: EarlierLimit | undefined, current: EarlierLimit | undefined): string {
  const same =
    before?.validStartDate === current?.validStartDate &&
    before?.category === current?.category &&
    before?.classification === current?.classification;
  return same ? LimitCertificateChanged.unchanged : LimitCertificateChanged.changedOrUnknown;
}

export interface ConfirmRowContext {
  readonly store: Store;
  readonly institutionCode: string;
  /** The 資格確認日 of the upload. */
  readonly on: LocalDate;
  /** yyyyMMddHHmmss of this chunk (consent time of the 限度額 answer). */
  readonly processTime: string;
}

export interface ConfirmRowAnswer {
  readonly unit: BulkConfirmUnit;
  /** The person the row found, for the audit record. */
  readonly personId?: number | undefined;
}

/**
 * Answers one 一括照会 row (validated at acceptance) with the single check's logic, statement by
 * statement as the single check makes them: the reference `confirmRows` is tested against.
 */
export async function confirmRow(
  ctx: ConfirmRowContext,
  rowNo: number,
  info: BulkQualificationConfirmSearchInfo,
): Promise<ConfirmRowAnswer> {
  let parsed: Parameters<typeof checkCardData>[1];
  let consented: boolean;
  try {
    parsed = {
      on: ctx.on,
      institutionCode: ctx.institutionCode,
      card: cardData(info),
      birthdate: wireDate(info.Birthdate, 'Birthdate'),
    };
    consented = consentFlag(info.LimitApplicationCertificateRelatedConsFlg) === '1';
  } catch (error) {
    return { unit: errorUnit(rowNo, 'QualificationConfirmSearchInfo', info, error) };
  }
  const { validity, chosen } = await checkCardData(ctx.store, parsed);
  const changed =
    consented && chosen !== undefined
      ? await limitChanged(ctx.store, chosen.qualification.qualificationId, ctx.on, chosen.limit)
      : undefined;
  return {
    unit: confirmUnit(ctx, rowNo, info, consented, validity, chosen, changed),
    personId: chosen?.person.personId,
  };
}

/**
 * Answers many 一括照会 rows with the single check's logic, as `confirmRow` answers each: one
 * lookup statement per 500 rows (`findCandidatesMany`, the month-earlier 限度額適用認定証 joined
 * in) instead of two statements per row. A row that does not validate gets its error unit.
 */
export async function confirmRows(
  ctx: ConfirmRowContext,
  rows: readonly { readonly rowNo: number; readonly info: BulkQualificationConfirmSearchInfo }[],
): Promise<ConfirmRowAnswer[]> {
  const answers = new Array<ConfirmRowAnswer>(rows.length);
  const lookups: { index: number; key: CardKeyAndBirthdate; consented: boolean }[] = [];
  rows.forEach(({ rowNo, info }, index) => {
    try {
      const key = { ...cardData(info), birthdate: wireDate(info.Birthdate, 'Birthdate') };
      const consented = consentFlag(info.LimitApplicationCertificateRelatedConsFlg) === '1';
      lookups.push({ index, key, consented });
    } catch (error) {
      answers[index] = { unit: errorUnit(rowNo, 'QualificationConfirmSearchInfo', info, error) };
    }
  });
  const found = await findCandidatesMany(
    ctx.store,
    { institutionCode: ctx.institutionCode, on: ctx.on, limitBefore: addMonths(ctx.on, -1) },
    lookups.map((l) => l.key),
  );
  for (let j = 0; j < lookups.length; j++) {
    const { index, consented } = lookups[j]!;
    const { rowNo, info } = rows[index]!;
    const { validity, chosen } = await judgeCandidates(ctx.store, found[j]!, ctx.on);
    const changed =
      consented && chosen !== undefined ? limitChangedFrom(chosen.limitBefore, chosen.limit) : undefined;
    answers[index] = {
      unit: confirmUnit(ctx, rowNo, info, consented, validity, chosen, changed),
      personId: chosen?.person.personId,
    };
  }
  return answers;
}

/** A row's answer as stored: status 2 for ProcessingResultStatus 2 (error), else 1; the unit as JSON. */
export function rowResult(rowNo: number, unit: { readonly ProcessingResultStatus?: string }): RowResult {
  return {
    rowNo,
    status: unit.ProcessingResultStatus === ProcessingResultStatus.error ? 2 : 1,
    unit: JSON.stringify(unit),
  };
}

/** What a chunk of 一括照会 rows needs besides the store: the job's, and the chunk's time. */
export type ConfirmChunkContext = Omit<ConfirmRowContext, 'store'>;

/** A chunk's answers as the worker commits them, and the person each row found (for the audit). */
export interface AnsweredChunk {
  readonly results: RowResult[];
  /** Per row, in the same order: the person found, or null. */
  readonly personIds: (number | null)[];
}

/**
 * Answers a chunk of stored 一括照会 rows (`request`: the row's JSON as stored at acceptance) —
 * in the batch thread, or in one of the answer threads (batch.pool.ts): the same function either way.
 */
export async function answerConfirmChunk(
  store: Store,
  ctx: ConfirmChunkContext,
  rows: readonly StoredRow[],
): Promise<AnsweredChunk> {
  const answers = await confirmRows(
    { store, ...ctx },
    rows.map((r) => ({ rowNo: r.rowNo, info: JSON.parse(r.request) as BulkQualificationConfirmSearchInfo })),
  );
  const results: RowResult[] = new Array(answers.length);
  const personIds: (number | null)[] = new Array(answers.length);
  for (let i = 0; i < answers.length; i++) {
    const { unit, personId } = answers[i]!;
    results[i] = rowResult(rows[i]!.rowNo, unit);
    personIds[i] = personId ?? null;
  }
  return { results, personIds };
}

/** The BulkConfirmUnit of a looked-up row (`changed`: its OQSCD014, with consent only). */
function confirmUnit(
  ctx: ConfirmRowContext,
  rowNo: number,
  info: BulkQualificationConfirmSearchInfo,
  consented: boolean,
  validity: string,
  chosen: EligibilityCandidate | undefined,
  changed: string | undefined,
): BulkConfirmUnit {
  const unit: BulkConfirmUnit = {
    RowNumber: String(rowNo),
    QualificationConfirmSearchInfo: info,
    ProcessingResultStatus: ProcessingResultStatus.normal,
    ...supplementaryCode(validity),
    QualificationValidity: validity,
  };
  if (chosen !== undefined) {
    const consentTime = consented ? ctx.processTime : undefined;
    const result = { ...buildResultRow(chosen, ctx.on, consentTime, info.ArbitraryIdentifier) };
    if (changed !== undefined) Object.assign(result, { LimitApplicationCertificateChanged: changed });
    unit.ResultOfQualificationConfirmation = result;
    if (chosen.referenceNumber) unit.ReferenceNumber = chosen.referenceNumber;
  }
  return unit;
}

/**
 * Answers one 照会番号一括登録 row through the single registration (inside the chunk's transaction,
 * so the number and the answer commit together).
 */
export async function registerRow(
  tx: Store,
  clock: Clock,
  institutionCode: string,
  rowNo: number,
  info: BulkReferenceNumberRegistrationInfo,
): Promise<BulkReferenceNumberRegistrationUnit> {
  try {
    const single = await createReferenceNumberService({ store: tx, clock }).registerReferenceNumber(
      {
        MessageHeader: { MedicalInstitutionCode: institutionCode },
        MessageBody: {
          ReferenceNumberRegistrationInfo: info as Parameters<typeof validateRegisterRow>[0] & {
            ReferenceNumber: string;
            InsurerNumber: string;
            InsuredIdentificationNumber: string;
          },
        },
      },
      { characterCode: '0' },
    );
    const body = single.MessageBody;
    const unit: BulkReferenceNumberRegistrationUnit = {
      RowNumber: String(rowNo),
      ProcessingResultStatus: body.ProcessingResultStatus ?? ProcessingResultStatus.normal,
    };
    if (body.ProcessingResultStatus === ProcessingResultStatus.error)
      unit.ReferenceNumberRegistrationInfo = info;
    if (body.ProcessingResultCode) unit.ProcessingResultCode = body.ProcessingResultCode;
    if (body.ProcessingResultMessage) unit.ProcessingResultMessage = body.ProcessingResultMessage;
    if (body.ReferenceNumber) unit.ReferenceNumber = body.ReferenceNumber;
    if (body.ArbitraryIdentifier) unit.ArbitraryIdentifier = body.ArbitraryIdentifier;
    return unit;
  } catch (error) {
    return errorUnit(rowNo, 'ReferenceNumberRegistrationInfo', info, error);
  }
}
