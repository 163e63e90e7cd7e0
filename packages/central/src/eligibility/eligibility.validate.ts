/**
 * Validation of the card data an institution sends (OQS-IF-001 / OQS-IF-003): every field is checked
 * and normalised once here, so services and repositories work on clean values. Failures throw
 * `OnshiError` (MSG_FIELD_REQUIRED / MSG_FIELD_INVALID / INSURER_NUMBER_INVALID /
 * INSTITUTION_CODE_INVALID / DATE_INVALID).
 */
import {
  assertInstitutionCode,
  assertInsurerNumber,
  fromWireDate,
  type LocalDate,
  OnshiError,
} from '@onshi/core';

export interface ValidCardData {
  /** unpadded 6 or 8 digits */
  readonly insurerNumber: string;
  /** '' when the card has none */
  readonly cardSymbol: string;
  readonly cardNumber: string;
  /** '' when not given */
  readonly branchNumber: string;
}

const MAX_SYMBOL = 20;
const MAX_NUMBER = 20;

export function requireField(value: string | undefined, field: string): string {
  if (value === undefined || value === '') throw new OnshiError('MSG_FIELD_REQUIRED', { field });
  return value;
}

/** yyyyMMdd → ISO date; DATE_INVALID when it is not a real date. */
export function wireDate(value: string | undefined, field: string): LocalDate {
  const date = fromWireDate(requireField(value, field));
  if (date === undefined) throw new OnshiError('DATE_INVALID', { value: value ?? '' });
  return date;
}

export function institutionCode(value: string | undefined): string {
  return assertInstitutionCode(requireField(value, 'MedicalInstitutionCode'));
}

function boundedText(value: string | undefined, field: string, max: number): string {
  const text = (value ?? '').trim();
  if (text.length > max) {
    throw new OnshiError('MSG_FIELD_INVALID', { field, detail: `${max}文字以内である必要があります` });
  }
  return text;
}

/** 保険者番号 (8 digits, 6 digits, or 6 digits space-padded to 8), 記号, 番号, 枝番. */
export function cardData(info: {
  InsurerNumber?: string;
  InsuredCardSymbol?: string;
  InsuredIdentificationNumber?: string;
  InsuredBranchNumber?: string;
}): ValidCardData {
  const insurerNumber = assertInsurerNumber(requireField(info.InsurerNumber, 'InsurerNumber'));
  const cardNumber = boundedText(
    requireField(info.InsuredIdentificationNumber, 'InsuredIdentificationNumber'),
    'InsuredIdentificationNumber',
    MAX_NUMBER,
  );
  if (cardNumber === '') throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'InsuredIdentificationNumber' });
  const cardSymbol = boundedText(info.InsuredCardSymbol, 'InsuredCardSymbol', MAX_SYMBOL);
  const branchNumber = (info.InsuredBranchNumber ?? '').trim();
  if (branchNumber !== '' && !/^\d{2}$/.test(branchNumber)) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: 'InsuredBranchNumber',
      detail: '2桁の数字である必要があります',
    });
  }
  return { insurerNumber, cardSymbol, cardNumber, branchNumber };
}

/** OQSCD001 限度額適用認定証提供同意フラグ: '0' or '1'. */
export function consentFlag(value: string | undefined): '0' | '1' {
  const flag = requireField(value, 'LimitApplicationCertificateRelatedConsFlg');
  if (flag !== '0' && flag !== '1') {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: 'LimitApplicationCertificateRelatedConsFlg',
      detail: 'OQSCD001（0 または 1）である必要があります',
    });
  }
  return flag;
}

export function characterCode(value: string): '0' | '1' {
  if (value !== '0' && value !== '1') {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: 'CharacterCodeIdentifier',
      detail: 'OQSCD005（0 または 1）である必要があります',
    });
  }
  return value;
}

export interface ParsedConfirmRequest {
  /** 資格確認日 */
  readonly on: LocalDate;
  readonly institutionCode: string;
  readonly card: ValidCardData;
  readonly birthdate: LocalDate;
  /** LimitApplicationCertificateRelatedConsFlg = '1' */
  readonly consented: boolean;
}

/** Validates an OQS-IF-001 request (header and search info). */
export function parseConfirmRequest(request: {
  MessageHeader?: { QualificationConfirmationDate?: string; MedicalInstitutionCode?: string };
  MessageBody?: {
    QualificationConfirmSearchInfo?: Parameters<typeof cardData>[0] & {
      Birthdate?: string;
      LimitApplicationCertificateRelatedConsFlg?: string;
    };
  };
}): ParsedConfirmRequest {
  const header = request.MessageHeader;
  if (header === undefined) throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'MessageHeader' });
  const info = request.MessageBody?.QualificationConfirmSearchInfo;
  if (info === undefined) {
    throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'QualificationConfirmSearchInfo' });
  }
  return {
    on: wireDate(header.QualificationConfirmationDate, 'QualificationConfirmationDate'),
    institutionCode: institutionCode(header.MedicalInstitutionCode),
    card: cardData(info),
    birthdate: wireDate(info.Birthdate, 'Birthdate'),
    consented: consentFlag(info.LimitApplicationCertificateRelatedConsFlg) === '1',
  };
}
