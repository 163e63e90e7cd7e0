/**
 * The staff UI's forms as OQS requests: 資格確認 by card data (OQS-IF-001) and 照会番号登録
 * (OQS-IF-003), validated with core's validators (the same ones the page runs as the user types),
 * and encoded as the connector sends them: UTF-8 XML.
 */
import {
  type Clock,
  encodeMessage,
  fromWireDate,
  jstDate,
  OnshiError,
  padInsurerNumber,
  type QualificationConfirmRequest,
  qualificationConfirmRequestSchema,
  type ReferenceNumberRegistrationRequest,
  referenceNumberRegistrationRequestSchema,
  toWireDate,
  validateInsurerNumber,
} from '@onshi/core';

export interface CardData {
  readonly insurerNumber: string;
  readonly symbol?: string | undefined;
  readonly number: string;
  readonly branch?: string | undefined;
  /** yyyy-MM-dd or yyyyMMdd. */
  readonly birthdate?: string | undefined;
}

export interface CheckForm extends CardData {
  readonly birthdate: string;
  readonly limitConsent?: boolean | undefined;
}

export interface ReferenceNumberForm extends CardData {
  readonly referenceNumber: string;
}

const invalid = (field: string, detail: string) => new OnshiError('MSG_FIELD_INVALID', { field, detail });

/** yyyy-MM-dd or yyyyMMdd of a real date → yyyyMMdd; DATE_INVALID otherwise. */
export function wireBirthdate(value: string): string {
  const compact = value.replaceAll('-', '');
  if (!/^\d{8}$/.test(compact) || fromWireDate(compact) === undefined)
    throw new OnshiError('DATE_INVALID', { value });
  return compact;
}

/** The card part of an OQS-IF-001 / -003 request (OQS-IF-001 element names), validated. */
export function cardFields(form: CardData) {
  const insurer = validateInsurerNumber(form.insurerNumber ?? '');
  if (!insurer.ok) {
    throw new OnshiError('INSURER_NUMBER_INVALID', {
      value: form.insurerNumber ?? '',
      detail: insurer.reason,
    });
  }
  const number = form.number ?? '';
  if (number === '' || [...number].length > 38)
    throw invalid('InsuredIdentificationNumber', '1〜38文字で入力してください');
  if (form.symbol !== undefined && [...form.symbol].length > 38)
    throw invalid('InsuredCardSymbol', '38文字以内で入力してください');
  if (form.branch !== undefined && !/^\d{2}$/.test(form.branch))
    throw invalid('InsuredBranchNumber', '2桁の数字で入力してください');
  return {
    InsurerNumber: padInsurerNumber(insurer.insurerNumber),
    ...(form.symbol ? { InsuredCardSymbol: form.symbol } : {}),
    InsuredIdentificationNumber: number,
    ...(form.branch ? { InsuredBranchNumber: form.branch } : {}),
  };
}

export function qualificationRequest(
  form: CheckForm,
  institutionCode: string,
  clock: Clock,
): QualificationConfirmRequest {
  const card = cardFields(form);
  if (!form.birthdate) throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'Birthdate' });
  return {
    MessageHeader: {
      QualificationConfirmationDate: toWireDate(jstDate(clock.now())),
      MedicalInstitutionCode: institutionCode,
    },
    MessageBody: {
      QualificationConfirmSearchInfo: {
        ...card,
        Birthdate: wireBirthdate(form.birthdate),
        LimitApplicationCertificateRelatedConsFlg: form.limitConsent ? '1' : '0',
      },
    },
  };
}

export function referenceNumberRequest(
  form: ReferenceNumberForm,
  institutionCode: string,
): ReferenceNumberRegistrationRequest {
  const card = cardFields(form);
  const reference = form.referenceNumber ?? '';
  if (reference === '' || [...reference].length > 50 || /\p{Cc}/u.test(reference)) {
    throw invalid('ReferenceNumber', '1〜50文字で入力してください');
  }
  return {
    MessageHeader: { MedicalInstitutionCode: institutionCode },
    MessageBody: {
      ReferenceNumberRegistrationInfo: {
        ReferenceNumber: reference,
        ...card,
        ...(form.birthdate ? { Birthdate: wireBirthdate(form.birthdate) } : {}),
      },
    },
  };
}

export const encodeQualificationRequest = (request: QualificationConfirmRequest) =>
  encodeMessage(request, qualificationConfirmRequestSchema, { encoding: 'utf-8' });

export const encodeReferenceNumberRequest = (request: ReferenceNumberRegistrationRequest) =>
  encodeMessage(request, referenceNumberRegistrationRequestSchema, { encoding: 'utf-8' });
