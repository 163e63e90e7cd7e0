/**
 * The JSON bodies of `POST /oqs/v1/card-confirmations` and `/oqs/v1/card-registrations`, validated
 * once here. The card proof (challenge, certificate, signature, authMethod) has our own names; the
 * OQS parts keep their wire names (QualificationConfirmationDate, LimitApplicationCertificate-
 * RelatedConsFlg, PrescriptionIssueSelect, the …InfoConsFlg consents, MedicalTreatmentFlag — the
 * 診療区分 the consents are given for, default '1' 外来). Unknown fields are refused.
 * Errors: MSG_JSON_MALFORMED, MSG_FIELD_REQUIRED, MSG_FIELD_INVALID, DATE_INVALID.
 */
import {
  type ConsentFlag,
  type ConsentKind,
  type Consents,
  consentFlags,
  type LocalDate,
  OnshiError,
} from '@onshi/core';
import { wireDate } from '../eligibility/eligibility.validate.ts';
import { jsonObject } from '../http/json-body.ts';

/** How the reader authenticated the card holder: 暗証番号, 顔認証 or 目視確認. */
export type AuthMethod = 'pin' | 'face' | 'visual';
export const authMethods: readonly AuthMethod[] = ['pin', 'face', 'visual'];

export const CHALLENGE_BYTES = 32;
const MAX_CERTIFICATE_BYTES = 16 * 1024;
const MAX_SIGNATURE_BYTES = 1024;

export interface CardProof {
  readonly challenge: Uint8Array;
  readonly certificateDer: Uint8Array;
  readonly signature: Uint8Array;
  readonly authMethod: AuthMethod;
}

export interface CardConfirmationInput extends CardProof {
  /** 資格確認日; undefined: today (JST). */
  readonly on?: LocalDate | undefined;
  /** 限度額適用認定証提供同意 (OQSCD001 '1'). */
  readonly limitConsent: boolean;
  /** OQSCD017 処方箋発行形態, the patient's choice on the reader. */
  readonly prescriptionIssueSelect?: '1' | '2' | undefined;
  readonly consents: Consents;
  /** 診療区分 of the consents (OQSCD028 MedicalTreatmentFlag: '1' 外来, '2' 訪問診療等, '3' オンライン診療等). */
  readonly consentKind: ConsentKind;
}

const consentKindOf: Record<string, ConsentKind> = { '1': 'outpatient', '2': 'home-visit', '3': 'online' };

const proofFields = ['challenge', 'certificate', 'signature', 'authMethod'];
const confirmationFields = [
  ...proofFields,
  'QualificationConfirmationDate',
  'LimitApplicationCertificateRelatedConsFlg',
  'PrescriptionIssueSelect',
  'consents',
  'MedicalTreatmentFlag',
];

/** The body of a card registration: the proof only. */
export function parseCardProof(body: Buffer): CardProof {
  return proofOf(objectOf(body, proofFields));
}

/** The body of a card confirmation. */
export function parseCardConfirmation(body: Buffer): CardConfirmationInput {
  const value = objectOf(body, confirmationFields);
  const date = optionalText(value, 'QualificationConfirmationDate');
  return {
    ...proofOf(value),
    on: date === undefined ? undefined : wireDate(date, 'QualificationConfirmationDate'),
    limitConsent: oneOf(value, 'LimitApplicationCertificateRelatedConsFlg', ['0', '1']) === '1',
    prescriptionIssueSelect: oneOf(value, 'PrescriptionIssueSelect', ['1', '2']),
    consents: consentsOf(value.consents),
    consentKind: consentKindOf[oneOf(value, 'MedicalTreatmentFlag', ['1', '2', '3']) ?? '1']!,
  };
}

/** As jsonObject, but an empty body is malformed JSON here, not `{}`. */
function objectOf(body: Buffer, allowed: readonly string[]): Record<string, unknown> {
  if (body.length === 0) throw new OnshiError('MSG_JSON_MALFORMED', {});
  return jsonObject(body, allowed);
}

function proofOf(value: Record<string, unknown>): CardProof {
  const challenge = base64(value, 'challenge', CHALLENGE_BYTES);
  if (challenge.length !== CHALLENGE_BYTES) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: 'challenge',
      detail: `${CHALLENGE_BYTES} バイトである必要があります`,
    });
  }
  const authMethod = oneOf(value, 'authMethod', authMethods);
  if (authMethod === undefined) throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'authMethod' });
  return {
    challenge,
    certificateDer: base64(value, 'certificate', MAX_CERTIFICATE_BYTES),
    signature: base64(value, 'signature', MAX_SIGNATURE_BYTES),
    authMethod,
  };
}

function optionalText(value: Record<string, unknown>, field: string): string | undefined {
  const text = value[field];
  if (text === undefined || text === null || text === '') return undefined;
  if (typeof text !== 'string')
    throw new OnshiError('MSG_FIELD_INVALID', { field, detail: '文字列である必要があります' });
  return text;
}

function oneOf<T extends string>(
  value: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
): T | undefined {
  const text = optionalText(value, field);
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field,
      detail: `${allowed.join(', ')} のいずれかである必要があります`,
    });
  }
  return text as T;
}

/** Standard base64 (RFC 4648 §4, padded), at most `maxBytes` once decoded. */
function base64(value: Record<string, unknown>, field: string, maxBytes: number): Uint8Array {
  const text = optionalText(value, field);
  if (text === undefined) throw new OnshiError('MSG_FIELD_REQUIRED', { field });
  if (
    text.length % 4 !== 0 ||
    !/^[A-Za-z0-9+/]+={0,2}$/.test(text) ||
    text.length > Math.ceil(maxBytes / 3) * 4
  ) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field,
      detail: `base64（${maxBytes} バイト以内）である必要があります`,
    });
  }
  return Buffer.from(text, 'base64');
}

function consentsOf(value: unknown): Consents {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: 'consents',
      detail: 'JSON オブジェクトである必要があります',
    });
  }
  const record = value as Record<string, unknown>;
  const consents: Consents = {};
  for (const key of Object.keys(record)) {
    if (!(consentFlags as readonly string[]).includes(key)) {
      throw new OnshiError('MSG_FIELD_INVALID', { field: `consents.${key}`, detail: '未知の項目です' });
    }
    const flag = oneOf(record, key, ['0', '1'] as const);
    if (flag !== undefined) consents[key as ConsentFlag] = flag;
  }
  return consents;
}
