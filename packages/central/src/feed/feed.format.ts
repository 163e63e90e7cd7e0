/**
 * The insurer feed format `onshi-qualification-feed/1` (packages/central/docs/insurer-feed.md):
 * NDJSON, a header line then one record per line. This module turns one line into a typed record
 * or throws; it reads no database (references to existing rows are checked when applying).
 */
import {
  type ElderlyRecipientCertificate,
  type IncomeTier,
  type Insurer,
  type InsurerKind,
  type LimitApplicationCertificate,
  type LocalDate,
  OnshiError,
  type Sex,
  type SpecificDiseaseCertificate,
} from '@onshi/core';
import type { NewPerson } from '../persons/persons.repo.ts';
import type { CardKey } from '../qualifications/qualifications.repo.ts';
import { Fields, isObject } from './feed.fields.ts';

export const FEED_FORMAT = 'onshi-qualification-feed/1';
/** The CSV form: same records, one per row, no header line (the caller gives the file id). */
export const FEED_FORMAT_CSV = 'onshi-qualification-feed-csv/1';

export interface FeedHeader {
  readonly fileId?: string | undefined;
  readonly insurerNumber?: string | undefined;
  readonly format: typeof FEED_FORMAT | typeof FEED_FORMAT_CSV;
  readonly createdAt: string;
}

type Certificate<T> = Omit<T, 'qualificationId'>;
export type FeedCertificate =
  | ({ readonly type: 'elderly' } & Certificate<ElderlyRecipientCertificate>)
  | ({ readonly type: 'limit' } & Certificate<LimitApplicationCertificate>)
  | ({ readonly type: 'specificDisease' } & Certificate<SpecificDiseaseCertificate>);

/** The card key plus, optionally, the 資格取得年月日 that picks one of several qualifications. */
export interface QualificationRef extends CardKey {
  readonly qualificationDate?: LocalDate | undefined;
}

export interface QualificationFields {
  readonly cardClassification: string;
  readonly personalFamily: '1' | '2';
  readonly insuredName?: string | undefined;
  readonly cardIssuanceDate?: LocalDate | undefined;
  readonly cardValidDate?: LocalDate | undefined;
  readonly cardExpirationDate?: LocalDate | undefined;
  readonly incomeTier: IncomeTier;
}

export type FeedRecord =
  | { readonly kind: 'insurer'; readonly insurer: Insurer }
  | {
      readonly kind: 'acquire';
      readonly card: CardKey;
      readonly qualificationDate: LocalDate;
      readonly person: NewPerson;
      readonly qualification: QualificationFields;
      readonly certificates: readonly FeedCertificate[];
    }
  | {
      readonly kind: 'change';
      readonly ref: QualificationRef;
      readonly effectiveDate: LocalDate;
      /** Only the fields present in `set`; `undefined` values clear optional fields. */
      readonly person: Partial<NewPerson>;
      readonly qualification: Partial<QualificationFields>;
    }
  | {
      readonly kind: 'lose';
      readonly ref: QualificationRef;
      readonly disqualificationDate: LocalDate;
      readonly reasonOfLoss: string;
    }
  | { readonly kind: 'certificate'; readonly ref: QualificationRef; readonly certificate: FeedCertificate };

const insurerKinds: readonly InsurerKind[] = [
  'kyokai',
  'kumiai',
  'kyosai',
  'kokuho',
  'kokuho-kumiai',
  'kouki',
];
const incomeTiers: readonly IncomeTier[] = ['high3', 'high2', 'high1', 'general2', 'general', 'low2', 'low1'];
const cardKeyFields = ['insurerNumber', 'cardSymbol', 'cardNumber', 'branchNumber'];
const personFields = ['personKey', 'name', 'nameKana', 'nameOfOther', 'nameOfOtherKana', 'sex', 'birthdate'];
const personOptional = ['address', 'postNumber'];
const qualificationFields = ['cardClassification', 'personalFamily', 'insuredName', 'incomeTier'];
const cardDates = ['cardIssuanceDate', 'cardValidDate', 'cardExpirationDate'];

export function parseHeader(line: string): FeedHeader {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new OnshiError('FEED_HEADER_INVALID', { detail: '1行目がJSONではありません' });
  }
  if (!isObject(value))
    throw new OnshiError('FEED_HEADER_INVALID', { detail: '1行目はオブジェクトである必要があります' });
  if (value.format !== FEED_FORMAT)
    throw new OnshiError('FEED_FORMAT_UNKNOWN', { format: String(value.format) });
  try {
    const f = new Fields(value);
    f.onlyKnown(['fileId', 'insurerNumber', 'format', 'createdAt']);
    const insurerNumber = f.has('insurerNumber') ? f.insurerNumber('insurerNumber') : undefined;
    return {
      fileId: f.optionalText('fileId', 200),
      insurerNumber,
      format: FEED_FORMAT,
      createdAt: f.text('createdAt', 40),
    };
  } catch (error) {
    if (error instanceof OnshiError) throw new OnshiError('FEED_HEADER_INVALID', { detail: error.message });
    throw error;
  }
}

function cardKey(f: Fields): CardKey {
  return {
    insurerNumber: f.insurerNumber('insurerNumber'),
    cardSymbol: f.textOrEmpty('cardSymbol', 20).trim(),
    cardNumber: f.text('cardNumber', 20).trim(),
    branchNumber:
      f.has('branchNumber') && f.optionalText('branchNumber') !== undefined
        ? f.matching('branchNumber', /^\d{2}$/, '2桁の数字である必要があります')
        : '',
  };
}

function qualificationRef(f: Fields): QualificationRef {
  return { ...cardKey(f), qualificationDate: f.optionalDate('qualificationDate') };
}

function person(f: Fields): NewPerson {
  return {
    personKey: f.optionalText('personKey', 100),
    name: f.text('name', 100),
    nameKana: f.text('nameKana', 100),
    nameOfOther: f.optionalText('nameOfOther', 100),
    nameOfOtherKana: f.optionalText('nameOfOtherKana', 100),
    sex: f.code('sex', 'OQSCD007') as Sex,
    birthdate: f.date('birthdate'),
    address: f.optionalText('address', 200),
    postNumber:
      f.has('postNumber') && f.optionalText('postNumber') !== undefined
        ? f.matching('postNumber', /^\d{3}-\d{4}$/, "'NNN-NNNN' である必要があります")
        : undefined,
  };
}

function qualification(f: Fields): QualificationFields {
  return {
    cardClassification: f.code('cardClassification', 'OQSCD010'),
    personalFamily: f.code('personalFamily', 'OQSCD009'),
    insuredName: f.optionalText('insuredName', 100),
    cardIssuanceDate: f.optionalDate('cardIssuanceDate'),
    cardValidDate: f.optionalDate('cardValidDate'),
    cardExpirationDate: f.optionalDate('cardExpirationDate'),
    incomeTier: f.oneOf('incomeTier', incomeTiers),
  };
}

function validityDates(f: Fields): {
  issuanceDate: LocalDate;
  validStartDate: LocalDate;
  validEndDate?: LocalDate;
} {
  const dates = { issuanceDate: f.date('issuanceDate'), validStartDate: f.date('validStartDate') };
  const validEndDate = f.optionalDate('validEndDate');
  if (validEndDate === undefined) return dates;
  if (validEndDate < dates.validStartDate) f.fail('validEndDate', 'validStartDate より前です');
  return { ...dates, validEndDate };
}

export function parseCertificate(f: Fields): FeedCertificate {
  const type = f.oneOf('type', ['elderly', 'limit', 'specificDisease'] as const);
  const common = ['type', 'issuanceDate', 'validStartDate', 'validEndDate'];
  switch (type) {
    case 'elderly':
      f.onlyKnown([...common, 'contributionRatio']);
      return { type, ...validityDates(f), contributionRatio: f.integer('contributionRatio', 10, 30) };
    case 'limit':
      f.onlyKnown([...common, 'classification', 'category', 'longTermDate']);
      return {
        type,
        ...validityDates(f),
        classification: f.code('classification', 'OQSCD011'),
        category: f.code('category', 'OQSCD012'),
        longTermDate: f.optionalDate('longTermDate'),
      };
    case 'specificDisease':
      f.onlyKnown([...common, 'diseaseCategory', 'selfPay']);
      return {
        type,
        ...validityDates(f),
        diseaseCategory: f.code('diseaseCategory', 'OQSCD013'),
        selfPay: f.integer('selfPay', 0, 1_000_000),
      };
  }
}

function parseChange(f: Fields): FeedRecord {
  f.onlyKnown(['kind', ...cardKeyFields, 'qualificationDate', 'effectiveDate', 'set']);
  const set = f.object_('set');
  set.onlyKnown([
    ...personFields.filter((k) => k !== 'personKey'),
    ...personOptional,
    ...qualificationFields,
    ...cardDates,
  ]);
  const pick = <T>(name: string, read: () => T): Record<string, T> =>
    set.has(name) ? { [name]: read() } : {};
  const changes = {
    person: {
      ...pick('name', () => set.text('name', 100)),
      ...pick('nameKana', () => set.text('nameKana', 100)),
      ...pick('nameOfOther', () => set.optionalText('nameOfOther', 100)),
      ...pick('nameOfOtherKana', () => set.optionalText('nameOfOtherKana', 100)),
      ...pick('sex', () => set.code('sex', 'OQSCD007')),
      ...pick('birthdate', () => set.date('birthdate')),
      ...pick('address', () => set.optionalText('address', 200)),
      ...pick('postNumber', () => set.optionalText('postNumber', 8)),
    } as Partial<NewPerson>,
    qualification: {
      ...pick('cardClassification', () => set.code('cardClassification', 'OQSCD010')),
      ...pick('personalFamily', () => set.code('personalFamily', 'OQSCD009')),
      ...pick('insuredName', () => set.optionalText('insuredName', 100)),
      ...pick('incomeTier', () => set.oneOf('incomeTier', incomeTiers)),
      ...pick('cardIssuanceDate', () => set.optionalDate('cardIssuanceDate')),
      ...pick('cardValidDate', () => set.optionalDate('cardValidDate')),
      ...pick('cardExpirationDate', () => set.optionalDate('cardExpirationDate')),
    } as Partial<QualificationFields>,
  };
  if (Object.keys(changes.person).length + Object.keys(changes.qualification).length === 0) {
    f.fail('set', '変更する項目がありません');
  }
  return { kind: 'change', ref: qualificationRef(f), effectiveDate: f.date('effectiveDate'), ...changes };
}

function parseInsurer(f: Fields): Insurer {
  f.onlyKnown(['kind', 'insurerNumber', 'name', 'insurerKind', 'prefectureCode']);
  return {
    insurerNumber: f.insurerNumber('insurerNumber'),
    name: f.text('name', 100),
    kind: f.oneOf('insurerKind', insurerKinds),
    prefectureCode: f.matching('prefectureCode', /^(0[1-9]|[1-3]\d|4[0-7])$/, '01〜47 である必要があります'),
  };
}

/** Parses one record line (already JSON-decoded). Throws OnshiError / FieldError when invalid. */
export function parseRecord(value: unknown): FeedRecord {
  if (!isObject(value)) new Fields({}).fail('(record)', 'オブジェクトである必要があります');
  const f = new Fields(value as Record<string, unknown>);
  const kind = f.oneOf('kind', ['insurer', 'acquire', 'change', 'lose', 'certificate'] as const);
  switch (kind) {
    case 'insurer':
      return { kind, insurer: parseInsurer(f) };
    case 'acquire': {
      f.onlyKnown([
        'kind',
        ...cardKeyFields,
        'qualificationDate',
        ...personFields,
        ...personOptional,
        ...qualificationFields,
        ...cardDates,
        'certificates',
      ]);
      const certificates = f.optionalArray('certificates').map(parseCertificate);
      return {
        kind,
        card: cardKey(f),
        qualificationDate: f.date('qualificationDate'),
        person: person(f),
        qualification: qualification(f),
        certificates,
      };
    }
    case 'change':
      return parseChange(f);
    case 'lose':
      f.onlyKnown(['kind', ...cardKeyFields, 'qualificationDate', 'disqualificationDate', 'reasonOfLoss']);
      return {
        kind,
        ref: qualificationRef(f),
        disqualificationDate: f.date('disqualificationDate'),
        reasonOfLoss: f.code('reasonOfLoss', 'OQSCD008'),
      };
    case 'certificate':
      f.onlyKnown(['kind', ...cardKeyFields, 'qualificationDate', 'certificate']);
      return { kind, ref: qualificationRef(f), certificate: parseCertificate(f.object_('certificate')) };
  }
}
