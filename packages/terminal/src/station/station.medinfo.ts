/**
 * 医療情報 for the viewer screens (role 医療情報閲覧者): the UI's form as a YZK / TKK request
 * (oqs-interface.md §2.7 element names, as central's medinfo/ reads them), the call to central with
 * the terminal user and role headers, and central's JSON answers turned into what the screens show —
 * medication rows by month and institution, check-up examinations (latest first, values outside the
 * reference range flagged) and one series per numeric item for the trend charts. Plus the patient
 * picker: the recent reader sessions with a consent to 薬剤 or 特定健診, and the consent state the
 * terminal knows from them (central's gate decides; a refusal comes back with its code and a
 * Japanese explanation).
 */
import {
  type CheckupInformationRequest,
  type CheckupInformationResult,
  type ConsentFlag,
  fromWireDate,
  fromWireDateTime,
  type MedicalInformationRequestHeader,
  type MedicationInformationRequest,
  type MedicationInformationResult,
  OnshiError,
} from '@onshi/core';
import type { StationCentralClient } from './station.central.ts';
import { medinfoPaths } from './station.paths.ts';
import type { ReaderRecord, RecordSummary } from './station.records.ts';
import { cardFields, wireBirthdate } from './station.requests.ts';
import type { Text } from './station.result.ts';

export type MedinfoKind = 'medications' | 'checkups';

/** The consent flag of the reader (OQS-IF-002) for each kind. */
export const consentFlagOf: Readonly<Record<MedinfoKind, ConsentFlag>> = {
  medications: 'PharmacistsInfoConsFlg',
  checkups: 'SpecificHealthCheckupsInfoConsFlg',
};

/** The headers central's audit and medinfo routes read (central `audit.terminal-user.ts`). */
export const TERMINAL_USER_HEADER = 'x-onshi-terminal-user';
export const TERMINAL_ROLE_HEADER = 'x-onshi-terminal-role';
/** The terminal user the reader channel's calls speak for (the patient at the reader). */
export const READER_TERMINAL_USER = 'reader';

/** `x-onshi-terminal-user` for a login: URI-encoded, so a Japanese login survives HTTP headers. */
export function terminalUserHeader(login: string): Record<string, string> {
  return { [TERMINAL_USER_HEADER]: encodeURIComponent(login) };
}

export interface MedinfoForm {
  readonly insurerNumber?: string | undefined;
  readonly symbol?: string | undefined;
  readonly number?: string | undefined;
  readonly branch?: string | undefined;
  /** yyyy-MM-dd or yyyyMMdd; optional (§2.7 sends none; central checks it when given). */
  readonly birthdate?: string | undefined;
  /** 取得期間 (medications): yyyy-MM. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** 災害時: the person id a disaster search returned, and the reason for viewing. */
  readonly disasterPersonId?: string | undefined;
  readonly reason?: string | undefined;
}

export const medinfoFormFields = [
  'insurerNumber',
  'symbol',
  'number',
  'branch',
  'birthdate',
  'from',
  'to',
  'disasterPersonId',
  'reason',
] as const;

const invalid = (field: string, detail: string) => new OnshiError('MSG_FIELD_INVALID', { field, detail });

/** 'yyyy-MM' (or yyyyMM) → yyyyMM. */
function month(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  const m = /^(\d{4})-?(\d{2})$/.exec(value);
  if (m === null || Number(m[2]) < 1 || Number(m[2]) > 12) {
    throw invalid(field, '年月（yyyy-MM）で入力してください');
  }
  return `${m[1]}${m[2]}`;
}

/** The request header of the form: card data, or a disaster search's person id. */
function requestHeader(form: MedinfoForm, institutionCode: string): MedicalInformationRequestHeader {
  if (form.disasterPersonId) {
    if (!/^[1-9]\d{0,15}$/.test(form.disasterPersonId)) {
      throw invalid('disasterPersonId', '災害時検索で得た対象者の番号（正の整数）です');
    }
    return { MedicalInstitutionCode: institutionCode, DisasterPersonIdentifier: form.disasterPersonId };
  }
  if (!form.insurerNumber) throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'insurerNumber' });
  if (!form.number) throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'number' });
  const card = cardFields({
    insurerNumber: form.insurerNumber,
    symbol: form.symbol,
    number: form.number,
    branch: form.branch,
  });
  return {
    MedicalInstitutionCode: institutionCode,
    InsurerNumber: card.InsurerNumber,
    ...(card.InsuredCardSymbol ? { InsuranceCardSymbol: card.InsuredCardSymbol } : {}),
    InsuredPersonIdentificationNumber: card.InsuredIdentificationNumber,
    ...(card.InsuredBranchNumber ? { BranchNumber: card.InsuredBranchNumber } : {}),
    ...(form.birthdate ? { Birthdate: wireBirthdate(form.birthdate) } : {}),
  };
}

/** The form as a YZK (medications) or TKK (checkups) request message. */
export function medinfoRequest(
  kind: 'medications',
  form: MedinfoForm,
  institutionCode: string,
): MedicationInformationRequest;
export function medinfoRequest(
  kind: 'checkups',
  form: MedinfoForm,
  institutionCode: string,
): CheckupInformationRequest;
export function medinfoRequest(
  kind: MedinfoKind,
  form: MedinfoForm,
  institutionCode: string,
): MedicationInformationRequest | CheckupInformationRequest;
export function medinfoRequest(
  kind: MedinfoKind,
  form: MedinfoForm,
  institutionCode: string,
): MedicationInformationRequest | CheckupInformationRequest {
  const reason = form.reason?.trim();
  if (form.disasterPersonId && !reason) throw new OnshiError('DISASTER_REASON_REQUIRED');
  const header = requestHeader(form, institutionCode);
  const disaster = reason ? { DisasterUseReason: reason } : {};
  if (kind === 'checkups') return { MessageHeader: header, MessageBody: { ...disaster } };
  const start = month(form.from, 'from');
  const end = month(form.to, 'to');
  if (start !== undefined && end !== undefined && start > end) {
    throw invalid('from', '期間の開始は終了以前にしてください');
  }
  return {
    MessageHeader: header,
    MessageBody: {
      ...(start ? { StartDate: start } : {}),
      ...(end ? { EndDate: end } : {}),
      ...disaster,
    },
  };
}

export interface Viewer {
  readonly login: string;
  readonly role: string;
}

/**
 * Asks central (JSON in; JSON or PDF out) for the viewer: `x-onshi-terminal-user` is the login, and
 * `x-onshi-terminal-role: viewer` goes only with a viewer's calls (central checks it again).
 */
export async function askCentral(
  client: StationCentralClient,
  kind: MedinfoKind,
  message: MedicationInformationRequest | CheckupInformationRequest,
  viewer: Viewer,
  options: { readonly accept: 'application/json' | 'application/pdf'; readonly timeoutMs: number },
) {
  try {
    return await client.send(medinfoPaths[kind], {
      body: new TextEncoder().encode(JSON.stringify({ XmlMsg: message })),
      headers: {
        'content-type': 'application/json',
        accept: options.accept,
        ...terminalUserHeader(viewer.login),
        ...(viewer.role === 'viewer' ? { [TERMINAL_ROLE_HEADER]: 'viewer' } : {}),
      },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (cause) {
    throw new OnshiError('TERMINAL_CENTRAL_UNREACHABLE', {}, { cause });
  }
}

/** Japanese (and English) explanations of central's refusals, shown with the code. */
export const refusalExplanations: Readonly<Record<string, Text>> = {
  MEDINFO_CONSENT_NONE: { ja: '同意がありません', en: 'There is no consent' },
  MEDINFO_CONSENT_EXPIRED: { ja: '同意の有効期限が切れています', en: 'The consent has expired' },
  MEDINFO_CONSENT_REVOKED: { ja: '同意が撤回されています', en: 'The consent has been revoked' },
  MEDINFO_CONSENT_OTHER_INSTITUTION: {
    ja: '他の医療機関への同意です',
    en: 'The consent was given to another institution',
  },
  MEDINFO_CONSENT_OTHER_CATEGORY: {
    ja: 'この情報区分への同意がありません',
    en: 'There is no consent for this kind of information',
  },
  MEDINFO_ROLE_REQUIRED: {
    ja: '医療情報閲覧者の権限が必要です',
    en: 'The medical information viewer role is needed',
  },
  TERMINAL_ROLE_FORBIDDEN: {
    ja: '医療情報閲覧者の権限が必要です',
    en: 'The medical information viewer role is needed',
  },
  MEDINFO_PERSON_NOT_FOUND: { ja: '該当する方が見つかりません', en: 'No such person' },
  MEDINFO_PERSON_AMBIGUOUS: {
    ja: '複数の方が該当します（枝番を確認してください）',
    en: 'Several persons match (check the branch number)',
  },
  MEDINFO_PERSON_NOT_SEARCHED: {
    ja: '災害時検索で見つけた方ではありません',
    en: 'Not a person found by a disaster search',
  },
  DISASTER_REASON_REQUIRED: { ja: '災害時の閲覧理由が必要です', en: 'A reason is needed in disaster mode' },
  DISASTER_NOT_DECLARED: { ja: '災害時モードは宣言されていません', en: 'No disaster is declared' },
  DISASTER_OUTSIDE_AREA: { ja: '災害時モードの対象地域外です', en: 'Outside the declared area' },
  DISASTER_PERIOD_OVER: { ja: '災害時モードの期間が終わっています', en: 'The disaster period is over' },
  DISASTER_LOCATION_UNKNOWN: {
    ja: 'この医療機関の所在地（市区町村）が登録されていません',
    en: 'The municipality of this institution is not registered',
  },
  CONSENT_NOT_FOUND: { ja: '取り消せる同意がありません', en: 'There is no consent to revoke' },
  CONSENT_PERSON_NOT_FOUND: {
    ja: '同意を取り消す方が見つかりません',
    en: 'The person whose consent is to be revoked was not found',
  },
};

/** Central's refusal (`{ code, message }` JSON) with its status and the explanation. */
export function centralRefusal(reply: { status: number; contentType: string; body: Uint8Array }): {
  status: number;
  body: { code: string; message: string; explanation?: Text };
} {
  if (reply.contentType.includes('json')) {
    try {
      const parsed = JSON.parse(Buffer.from(reply.body).toString('utf8')) as {
        code?: unknown;
        message?: unknown;
      };
      if (typeof parsed.code === 'string') {
        const explanation = refusalExplanations[parsed.code];
        return {
          status: reply.status,
          body: {
            code: parsed.code,
            message: typeof parsed.message === 'string' ? parsed.message : parsed.code,
            ...(explanation ? { explanation } : {}),
          },
        };
      }
    } catch {
      // not JSON after all: below
    }
  }
  if (reply.status === 502 || reply.status === 503 || reply.status === 504) {
    throw new OnshiError('TERMINAL_CENTRAL_UNREACHABLE');
  }
  throw new OnshiError('CONNECTOR_CENTRAL_ANSWER_INVALID', { status: reply.status, detail: 'no error code' });
}

// ------------------------------------------------------------------ views of central's answers

export interface PatientView {
  readonly name: string | undefined;
  readonly kana: string | undefined;
  /** yyyy-MM-dd */
  readonly birthdate: string | undefined;
  /** OQSCD007: 1 男, 2 女. */
  readonly sex: string | undefined;
}

/** 1 医科, 3 歯科, 4 調剤 (the 点数表 digit central reports as DiOrg / PrIsOrg). */
export const institutionKinds: Readonly<Record<string, Text>> = {
  '1': { ja: '医科', en: 'Medical' },
  '3': { ja: '歯科', en: 'Dental' },
  '4': { ja: '調剤', en: 'Pharmacy' },
};

export interface MedicationRowView {
  /** yyyy-MM-dd 調剤日 / 診療日 */
  readonly date: string;
  /** yyyy-MM-dd 処方日 */
  readonly prescribedDate: string | undefined;
  readonly drugCode: string | undefined;
  readonly drug: string;
  readonly ingredient: string | undefined;
  readonly quantity: string | undefined;
  readonly unit: string | undefined;
  readonly usage: string | undefined;
  /** 日数・回数 */
  readonly days: string | undefined;
}

export interface MedicationMonthView {
  /** yyyy-MM */
  readonly month: string;
  /** 調剤・診療 医療機関コード and its 点数表 (1 医科, 4 調剤). */
  readonly institution: string | undefined;
  readonly institutionKind: string | undefined;
  /** 処方 医療機関コード */
  readonly prescriber: string | undefined;
  readonly rows: readonly MedicationRowView[];
}

export interface MedicationsView {
  readonly patient: PatientView;
  /** The period central answered, yyyy-MM. */
  readonly period: { readonly from: string | undefined; readonly to: string | undefined };
  /** Newest month first; within a month, by institution as central sent them. */
  readonly months: readonly MedicationMonthView[];
  /** The institutions that appear (dispensing / treating and prescribing), for the filter. */
  readonly institutions: readonly string[];
}

const isoDay = (wire: string | undefined) => (wire ? fromWireDate(wire) : undefined);
const isoMonth = (wire: string | undefined) =>
  wire && /^\d{6}$/.test(wire) ? `${wire.slice(0, 4)}-${wire.slice(4, 6)}` : undefined;

export function medicationsView(result: MedicationInformationResult): MedicationsView {
  const q = result.MessageHeader.QuaInf;
  const months: MedicationMonthView[] = (result.MessageBody.MeTrMonthInf ?? []).map((m) => ({
    month: isoMonth(m.MeTrMonth) ?? m.MeTrMonth,
    institution: m.MeTrDiHCd,
    institutionKind: m.DiOrg,
    prescriber: m.PrlsHCd,
    rows: m.DiDateInfs.DiDateInf.flatMap((day) =>
      day.DrugInfs.DrugInf.map((d) => ({
        date: isoDay(day.DiDate) ?? day.DiDate,
        prescribedDate: isoDay(day.PrDate),
        drugCode: d.DrugC,
        drug: d.DrugN,
        ingredient: d.IngreN,
        quantity: d.Qua1,
        unit: d.Unit,
        usage: d.UsageN,
        days: d.Times,
      })),
    ),
  }));
  // Central sends oldest first; the screen shows the latest month first (stable within a month).
  const newestFirst = months
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (a.m.month === b.m.month ? a.i - b.i : a.m.month < b.m.month ? 1 : -1))
    .map(({ m }) => m);
  const institutions = new Set<string>();
  for (const m of months) {
    if (m.institution) institutions.add(m.institution);
    if (m.prescriber) institutions.add(m.prescriber);
  }
  return {
    patient: { name: q?.Name, kana: q?.KanaName, birthdate: isoDay(q?.Birth), sex: q?.AdmGendCode },
    period: {
      from: isoMonth(result.MessageBody.StartDate),
      to: isoMonth(result.MessageBody.EndDate),
    },
    months: newestFirst,
    institutions: [...institutions].sort(),
  };
}

export type RangeFlag = 'high' | 'low';

export interface CheckupItemView {
  readonly code: string;
  readonly name: string;
  readonly value: string | undefined;
  /** The coded value's display (尿 試験紙: −, ±, + …) when there is one. */
  readonly display: string | undefined;
  readonly unit: string | undefined;
  readonly low: string | undefined;
  readonly high: string | undefined;
  /** Outside the reference range: above `high` or below `low` (or the 判定 says so). */
  readonly flag: RangeFlag | undefined;
}

export interface CheckupExamView {
  /** yyyy-MM-dd */
  readonly date: string;
  readonly institution: string | undefined;
  readonly items: readonly CheckupItemView[];
}

export interface CheckupSeriesView {
  readonly code: string;
  readonly name: string;
  readonly unit: string | undefined;
  /** The reference range of the latest examination that has one. */
  readonly low: number | undefined;
  readonly high: number | undefined;
  /** Oldest first: one point per examination with a numeric value. */
  readonly points: readonly { readonly date: string; readonly value: number; readonly flag?: RangeFlag }[];
}

export interface CheckupsView {
  readonly patient: PatientView;
  /** Latest examination first. */
  readonly exams: readonly CheckupExamView[];
  /** Item codes and names in the order of the latest examination (then any older-only items). */
  readonly items: readonly {
    readonly code: string;
    readonly name: string;
    readonly unit: string | undefined;
  }[];
  readonly series: readonly CheckupSeriesView[];
}

const numeric = (value: string | undefined): number | undefined => {
  if (value === undefined || !/^-?\d+(\.\d+)?$/.test(value.trim())) return undefined;
  return Number(value);
};

/** Above the range, below it, or neither; the 判定 (CDA interpretationCode) first when given. */
export function rangeFlag(item: {
  DataValue?: string | undefined;
  ReferenceRangeLow?: string | undefined;
  ReferenceRangeHigh?: string | undefined;
  InterpretationCode?: string | undefined;
}): RangeFlag | undefined {
  const interpretation = item.InterpretationCode?.toUpperCase();
  if (interpretation === 'H' || interpretation === 'HH' || interpretation === '>') return 'high';
  if (interpretation === 'L' || interpretation === 'LL' || interpretation === '<') return 'low';
  if (interpretation === 'N') return undefined;
  const value = numeric(item.DataValue);
  if (value === undefined) return undefined;
  const high = numeric(item.ReferenceRangeHigh);
  const low = numeric(item.ReferenceRangeLow);
  if (high !== undefined && value > high) return 'high';
  if (low !== undefined && value < low) return 'low';
  return undefined;
}

export function checkupsView(result: CheckupInformationResult): CheckupsView {
  const q = result.MessageHeader.QualificationsInfo;
  const exams: CheckupExamView[] = (result.MessageBody.SpecificHealthCheckupInfo ?? []).map((exam) => ({
    date: isoDay(exam.EffectiveTime) ?? exam.EffectiveTime,
    institution: exam.HealthCheckupInstitutionCode,
    items: exam.HealthCheckupResultAndQuestionInfos.HealthCheckupResultAndQuestionInfo.map((i) => ({
      code: i.ItemCode,
      name: i.ItemName,
      value: i.DataValue,
      display: i.DataValueName,
      unit: i.Unit,
      low: i.ReferenceRangeLow,
      high: i.ReferenceRangeHigh,
      flag: rangeFlag(i),
    })),
  }));
  const latestFirst = exams
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.date === b.e.date ? b.i - a.i : a.e.date < b.e.date ? 1 : -1))
    .map(({ e }) => e);
  const items = new Map<string, { code: string; name: string; unit: string | undefined }>();
  for (const exam of latestFirst) {
    for (const item of exam.items) {
      if (!items.has(item.code)) items.set(item.code, { code: item.code, name: item.name, unit: item.unit });
    }
  }
  const series: CheckupSeriesView[] = [];
  for (const { code, name, unit } of items.values()) {
    const points: { date: string; value: number; flag?: RangeFlag }[] = [];
    let low: number | undefined;
    let high: number | undefined;
    let rangeSeen = false;
    for (const exam of latestFirst) {
      const item = exam.items.find((i) => i.code === code);
      const value = numeric(item?.value);
      if (item === undefined || value === undefined || item.display !== undefined) continue;
      points.unshift({ date: exam.date, value, ...(item.flag ? { flag: item.flag } : {}) });
      if (!rangeSeen && (item.low !== undefined || item.high !== undefined)) {
        low = numeric(item.low);
        high = numeric(item.high);
        rangeSeen = true;
      }
    }
    if (points.length > 0) series.push({ code, name, unit, low, high, points });
  }
  return {
    patient: {
      name: q?.Name,
      kana: q?.KanasName,
      birthdate: isoDay(q?.Birthday),
      sex: q?.AdministrativeGenderCode,
    },
    exams: latestFirst,
    items: [...items.values()],
    series,
  };
}

// ------------------------------------------------------------------ the picker and consent state

/** The consent state the terminal knows from a reader session, judged at `now`. */
export interface ConsentView {
  /**
   * live 同意あり, expired 期限切れ, none 同意なし, unknown (no answer at the reader), revoked 取消
   * (this institution revoked it after that reader session).
   */
  readonly state: 'live' | 'expired' | 'none' | 'unknown' | 'revoked';
  /** ISO instants (JST offset) from the result's …ConsTime / …AvailableTime. */
  readonly givenAt?: string;
  readonly expiresAt?: string;
  /** When the revocation was made (ISO), for state revoked. */
  readonly revokedAt?: string;
}

/** yyyyMMddHHmmss (JST) → ISO 8601 with +09:00. */
export function jstInstant(wire: string | undefined): string | undefined {
  const local = wire ? fromWireDateTime(wire) : undefined;
  return local === undefined ? undefined : `${local}+09:00`;
}

export function consentView(summary: RecordSummary, flag: ConsentFlag, now: Date): ConsentView {
  const value = summary.consents?.[flag];
  const times = summary.consentTimes?.[flag];
  const timing = {
    ...(times?.givenAt ? { givenAt: times.givenAt } : {}),
    ...(times?.expiresAt ? { expiresAt: times.expiresAt } : {}),
  };
  if (value === '1') {
    const expired = times?.expiresAt !== undefined && Date.parse(times.expiresAt) <= now.getTime();
    return { state: expired ? 'expired' : 'live', ...timing };
  }
  if (value === '2') return { state: 'expired', ...timing };
  if (value === '0') return { state: 'none' };
  return { state: 'unknown' };
}

export interface PickerPatient {
  /** The reader session it comes from. */
  readonly recordId: string;
  readonly at: string;
  readonly name: string | undefined;
  readonly kana: string | undefined;
  readonly birthdate: string | undefined;
  readonly insurerNumber: string;
  readonly symbol: string | undefined;
  readonly number: string;
  readonly branch: string | undefined;
  readonly consents: Readonly<Record<MedinfoKind, ConsentView>>;
}

export const cardKey = (s: Pick<RecordSummary, 'insurerNumber' | 'symbol' | 'number' | 'branch'>) =>
  [s.insurerNumber ?? '', s.symbol ?? '', s.number ?? '', s.branch ?? ''].join('|');

/** The revocation of the card made at or after the reader session, if any. */
export function revokedSince(record: ReaderRecord, revoked: ReadonlyMap<string, string>): string | undefined {
  const at = revoked.get(cardKey(record.summary));
  return at !== undefined && Date.parse(at) >= Date.parse(record.at) ? at : undefined;
}

/** A consent the reader session gave (live or expired) turned to 取消 by a later revocation. */
function afterRevocation(consent: ConsentView, revokedAt: string | undefined): ConsentView {
  if (revokedAt === undefined || (consent.state !== 'live' && consent.state !== 'expired')) return consent;
  return { ...consent, state: 'revoked', revokedAt };
}

/**
 * The patients of the recent reader sessions (newest first) where 薬剤 or 特定健診 was consented
 * to — one entry per card, its latest session — with the consent state at `now` (取消 when this
 * institution revoked it since).
 */
export function pickerPatients(
  records: readonly ReaderRecord[],
  now: Date,
  revoked: ReadonlyMap<string, string> = new Map(),
): PickerPatient[] {
  const seen = new Set<string>();
  const patients: PickerPatient[] = [];
  for (const record of records) {
    const s = record.summary;
    if (record.kind !== 'confirmation' || !s.insurerNumber || !s.number) continue;
    const key = cardKey(s);
    if (seen.has(key)) continue;
    seen.add(key);
    const revokedAt = revokedSince(record, revoked);
    const consents = {
      medications: afterRevocation(consentView(s, consentFlagOf.medications, now), revokedAt),
      checkups: afterRevocation(consentView(s, consentFlagOf.checkups, now), revokedAt),
    };
    if (consents.medications.state === 'none' || consents.medications.state === 'unknown') {
      if (consents.checkups.state === 'none' || consents.checkups.state === 'unknown') continue;
    }
    patients.push({
      recordId: record.id,
      at: record.at,
      name: s.name,
      kana: s.kana,
      birthdate: s.birthdate,
      insurerNumber: s.insurerNumber,
      symbol: s.symbol,
      number: s.number,
      branch: s.branch,
      consents,
    });
  }
  return patients;
}

/** The consent state for a card asked by card data: from the latest reader session of that card. */
export function consentForCard(
  records: readonly ReaderRecord[],
  form: MedinfoForm,
  kind: MedinfoKind,
  now: Date,
  revoked: ReadonlyMap<string, string> = new Map(),
): ConsentView | undefined {
  if (!form.insurerNumber || !form.number) return undefined;
  let insurer: string;
  try {
    insurer = cardFields({ insurerNumber: form.insurerNumber, number: form.number }).InsurerNumber.trim();
  } catch {
    return undefined;
  }
  const key = cardKey({
    insurerNumber: insurer,
    symbol: form.symbol,
    number: form.number,
    branch: form.branch,
  });
  const record = records.find(
    (r) => r.kind === 'confirmation' && r.summary.number !== undefined && cardKey(r.summary) === key,
  );
  return (
    record &&
    afterRevocation(consentView(record.summary, consentFlagOf[kind], now), revokedSince(record, revoked))
  );
}
