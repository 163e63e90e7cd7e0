/**
 * 照会番号登録 (OQS-IF-003 → OQS-IF-004): an institution registers its own number for the person
 * found by card data (+ 生年月日 when given). The number is stored per (医療機関コード, person),
 * replacing an earlier one, and is returned in that institution's later results.
 * Not found / ambiguous are answered as coded results (ProcessingResultStatus '2').
 */
import {
  type Clock,
  type ErrorCode,
  jstDateTime,
  OnshiError,
  ProcessingResultStatus,
  ReferenceClassification,
  type ReferenceNumberRegistrationRequest,
  type ReferenceNumberRegistrationResult,
  renderMessage,
  SegmentOfResult,
  toWireDateTime,
} from '@onshi/core';
import {
  cardData,
  characterCode,
  institutionCode,
  requireField,
  wireDate,
} from '../eligibility/eligibility.validate.ts';
import type { Store } from '../store/store.ts';
import { findPersonIdsByCard, upsertReferenceNumber } from './reference-numbers.repo.ts';

/** 照会番号 is at most 50 characters (oqs-interface.md §2.4). */
export const MAX_REFERENCE_NUMBER_LENGTH = 50;

export interface RegisterOptions {
  /** OQSCD005 of the result. */
  readonly characterCode: '0' | '1';
}

export interface ReferenceNumberService {
  registerReferenceNumber(
    request: ReferenceNumberRegistrationRequest,
    options: RegisterOptions,
  ): Promise<ReferenceNumberRegistrationResult>;
}

export function referenceNumber(value: string | undefined): string {
  const number = requireField(value, 'ReferenceNumber').trim();
  if (number === '' || number.length > MAX_REFERENCE_NUMBER_LENGTH) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: 'ReferenceNumber',
      detail: `1〜${MAX_REFERENCE_NUMBER_LENGTH}文字である必要があります`,
    });
  }
  return number;
}

export function createReferenceNumberService(deps: { store: Store; clock: Clock }): ReferenceNumberService {
  const { store, clock } = deps;
  return {
    async registerReferenceNumber(request, options) {
      const header = request.MessageHeader;
      if (header === undefined) throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'MessageHeader' });
      const info = request.MessageBody?.ReferenceNumberRegistrationInfo;
      if (info === undefined) {
        throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'ReferenceNumberRegistrationInfo' });
      }
      const institution = institutionCode(header.MedicalInstitutionCode);
      const card = cardData(info);
      const number = referenceNumber(info.ReferenceNumber);
      const birthdate = info.Birthdate ? wireDate(info.Birthdate, 'Birthdate') : undefined;
      const charCode = characterCode(options.characterCode);
      const now = clock.now();

      const personIds = await findPersonIdsByCard(store, { ...card, birthdate });
      let failure: ErrorCode | undefined;
      if (personIds.length === 0) failure = 'REFERENCE_NUMBER_TARGET_NOT_FOUND';
      else if (personIds.length > 1) failure = 'REFERENCE_NUMBER_TARGET_AMBIGUOUS';
      else {
        await upsertReferenceNumber(store, {
          institutionCode: institution,
          personId: personIds[0]!,
          referenceNumber: number,
          updatedAt: now.toISOString(),
        });
      }
      return {
        MessageHeader: {
          ProcessExecutionTime: toWireDateTime(jstDateTime(now)),
          MedicalInstitutionCode: institution,
          ...(header.ArbitraryFileIdentifier
            ? { ArbitraryFileIdentifier: header.ArbitraryFileIdentifier }
            : {}),
          ReferenceClassification: ReferenceClassification.insuranceCard,
          SegmentOfResult: SegmentOfResult.completed,
          CharacterCodeIdentifier: charCode,
        },
        MessageBody: {
          ...(failure === undefined
            ? { ProcessingResultStatus: ProcessingResultStatus.normal, ReferenceNumber: number }
            : {
                ProcessingResultStatus: ProcessingResultStatus.error,
                ProcessingResultCode: failure,
                ProcessingResultMessage: renderMessage(failure, {}),
              }),
          ...(info.ArbitraryIdentifier ? { ArbitraryIdentifier: info.ArbitraryIdentifier } : {}),
        },
      };
    },
  };
}
