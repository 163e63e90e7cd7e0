/**
 * Validation of a YZK / TKK request (oqs-interface.md §2.7) and of the viewer headers, once, into
 * clean values. Failures are `OnshiError`s: MSG_FIELD_REQUIRED / MSG_FIELD_INVALID (with the
 * request's own element names), INSURER_NUMBER_INVALID, INSTITUTION_CODE_INVALID, DATE_INVALID,
 * CODE_UNKNOWN, MEDINFO_TERMINAL_USER_REQUIRED, MEDINFO_ROLE_REQUIRED.
 */
import {
  addDays,
  addMonths,
  addYears,
  assertCode,
  type ConsentCategory,
  isOnshiError,
  isRealDate,
  type LocalDate,
  type MedicalInformationRequestHeader,
  OnshiError,
} from '@onshi/core';
import {
  cardData,
  institutionCode,
  requireField,
  type ValidCardData,
  wireDate,
} from '../eligibility/eligibility.validate.ts';

/** The medical-information categories answered here (OQSCD029 = OQSCD036 codes). */
export type MedicalInfoKind = Extract<ConsentCategory, 'YZK' | 'TKK'>;

/** How far back each kind goes (the periods the data is kept, retention/). */
const LOOKBACK_YEARS: Readonly<Record<MedicalInfoKind, number>> = { YZK: 3, TKK: 5 };

/**
 * Who the request is about: card data (and, when given, the birth date as an extra check), or
 * (disaster mode) an internal person id.
 */
export type Subject =
  | { readonly by: 'card'; readonly card: ValidCardData; readonly birthdate: LocalDate | undefined }
  | { readonly by: 'person'; readonly personId: number };

export interface ParsedMedicalInfoRequest {
  readonly kind: MedicalInfoKind;
  readonly institutionCode: string;
  readonly subject: Subject;
  /** Disaster mode: a reason was given or the person came from a disaster search. */
  readonly disasterMode: boolean;
  /** The reason as sent (validated by the disaster guard). */
  readonly disasterReason: string | undefined;
  /** yyyyMM bounds asked for (YZK). */
  readonly startMonth: string | undefined;
  readonly endMonth: string | undefined;
  /** FileCategory: '1' PDF, '2' XML, or none. */
  readonly fileCategory: '1' | '2' | undefined;
  /** OQSCD028 診療区分 (default '1' 外来). */
  readonly treatmentFlag: string;
}

/** The element names of the request for the fields `cardData` names in OQS-IF-001 terms. */
const wireNames: Readonly<Record<string, string>> = {
  InsuredCardSymbol: 'InsuranceCardSymbol',
  InsuredIdentificationNumber: 'InsuredPersonIdentificationNumber',
  InsuredBranchNumber: 'BranchNumber',
};

function subjectOf(header: MedicalInformationRequestHeader): Subject {
  const personId = header.DisasterPersonIdentifier;
  const cardGiven = [header.InsurerNumber, header.InsuredPersonIdentificationNumber].some((v) => v);
  if (personId !== undefined && personId !== '') {
    if (cardGiven) {
      throw new OnshiError('MSG_FIELD_INVALID', {
        field: 'DisasterPersonIdentifier',
        detail: '被保険者証の情報と同時には指定できません',
      });
    }
    if (!/^[1-9]\d{0,15}$/.test(personId)) {
      throw new OnshiError('MSG_FIELD_INVALID', { field: 'DisasterPersonIdentifier', detail: '正の整数' });
    }
    return { by: 'person', personId: Number(personId) };
  }
  requireField(header.InsurerNumber, 'InsurerNumber');
  requireField(header.InsuredPersonIdentificationNumber, 'InsuredPersonIdentificationNumber');
  let card: ValidCardData;
  try {
    card = cardData({
      InsurerNumber: header.InsurerNumber,
      InsuredCardSymbol: header.InsuranceCardSymbol,
      InsuredIdentificationNumber: header.InsuredPersonIdentificationNumber,
      InsuredBranchNumber: header.BranchNumber,
    });
  } catch (error) {
    const field = isOnshiError(error) ? error.params.field : undefined;
    if (isOnshiError(error) && typeof field === 'string' && wireNames[field] !== undefined) {
      throw new OnshiError(error.code, { ...error.params, field: wireNames[field] }, { cause: error });
    }
    throw error;
  }
  // §2.7 has no birth date: the 枝番 makes the card individual. onshi's Birthdate, when sent, is
  // an extra check.
  const birthdate =
    header.Birthdate === undefined || header.Birthdate === ''
      ? undefined
      : wireDate(header.Birthdate, 'Birthdate');
  return { by: 'card', card, birthdate };
}

function yearMonth(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  const m = /^(\d{4})(\d{2})$/.exec(value);
  if (m === null || !isRealDate(Number(m[1]), Number(m[2]), 1)) {
    throw new OnshiError('MSG_FIELD_INVALID', { field, detail: '年月（yyyyMM）である必要があります' });
  }
  return value;
}

function fileCategory(value: string | undefined): '1' | '2' | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === '1' || value === '2') return value;
  throw new OnshiError('MSG_FIELD_INVALID', {
    field: 'FileCategory',
    detail:
      value === '3' || value === '4'
        ? '診療・手術情報を含む出力（3・4）には対応していません（1 PDF、2 XML）'
        : '1（PDF）または 2（XML）である必要があります',
  });
}

/** Validates a YZK or TKK request message. */
export function parseMedicalInfoRequest(
  kind: MedicalInfoKind,
  message: {
    MessageHeader: MedicalInformationRequestHeader;
    MessageBody: {
      StartDate?: string;
      EndDate?: string;
      FileCategory?: string;
      MedicalTreatmentFlag?: string;
      DisasterUseReason?: string;
    };
  },
): ParsedMedicalInfoRequest {
  const header = message.MessageHeader;
  const body = message.MessageBody;
  const subject = subjectOf(header);
  const reason = body.DisasterUseReason;
  const startMonth = yearMonth(body.StartDate, 'StartDate');
  const endMonth = yearMonth(body.EndDate, 'EndDate');
  if (startMonth !== undefined && endMonth !== undefined && startMonth > endMonth) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: 'StartDate',
      detail: 'EndDate 以前である必要があります',
    });
  }
  return {
    kind,
    institutionCode: institutionCode(header.MedicalInstitutionCode),
    subject,
    disasterMode: subject.by === 'person' || (reason !== undefined && reason !== ''),
    disasterReason: reason,
    startMonth,
    endMonth,
    fileCategory: fileCategory(body.FileCategory),
    treatmentFlag: assertCode('OQSCD028', body.MedicalTreatmentFlag || '1'),
  };
}

/**
 * The inclusive date range answered: the months asked for, within the kept years up to today;
 * MSG_FIELD_INVALID when they do not overlap.
 */
export function periodOf(
  request: Pick<ParsedMedicalInfoRequest, 'kind' | 'startMonth' | 'endMonth'>,
  today: LocalDate,
): { readonly from: LocalDate; readonly to: LocalDate } {
  const earliest = addYears(today, -LOOKBACK_YEARS[request.kind]);
  const monthStart = (m: string) => `${m.slice(0, 4)}-${m.slice(4, 6)}-01`;
  const asked = request.startMonth === undefined ? earliest : monthStart(request.startMonth);
  const from = [asked, earliest].sort()[1]!;
  const end =
    request.endMonth === undefined ? today : addDays(addMonths(monthStart(request.endMonth), 1), -1);
  const to = [end, today].sort()[0]!;
  if (to < from) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: 'StartDate',
      detail: `取得できる期間（${earliest}〜${today}）と重なりません`,
    });
  }
  return { from, to };
}

/**
 * The viewer the terminal vouches for: its user (x-onshi-terminal-user, already decoded) and the
 * user's role (x-onshi-terminal-role), which must be `viewer` (医療情報閲覧者).
 */
export function requireViewer(viewer: {
  readonly terminalUser: string | undefined;
  readonly role: string | undefined;
}): string {
  if (viewer.terminalUser === undefined || viewer.terminalUser === '') {
    throw new OnshiError('MEDINFO_TERMINAL_USER_REQUIRED');
  }
  if (viewer.role !== 'viewer')
    throw new OnshiError('MEDINFO_ROLE_REQUIRED', { role: viewer.role || '(なし)' });
  return viewer.terminalUser;
}
