/**
 * 資格 (qualifications) and their history (qualification_events: 取得 'acquire', 変更 'change',
 * 喪失 'lose'). A qualification is found by its card key (保険者番号・記号・番号・枝番).
 */
import type { IncomeTier, LocalDate, Qualification } from '@onshi/core';
import type { Store } from '../store/store.ts';

export interface QualificationRow {
  qualification_id: number;
  person_id: number;
  insurer_number: string;
  card_symbol: string;
  card_number: string;
  branch_number: string;
  card_classification: string;
  personal_family: string;
  insured_name: string | null;
  qualification_date: string;
  disqualification_date: string | null;
  reason_of_loss: string | null;
  card_issuance_date: string | null;
  card_valid_date: string | null;
  card_expiration_date: string | null;
  income_tier: string;
}

/** The column list of `QualificationRow`, prefixed with `q.` for joins. */
export const qualificationColumns = `q.qualification_id, q.person_id, q.insurer_number, q.card_symbol,
  q.card_number, q.branch_number, q.card_classification, q.personal_family, q.insured_name,
  q.qualification_date, q.disqualification_date, q.reason_of_loss, q.card_issuance_date,
  q.card_valid_date, q.card_expiration_date, q.income_tier`;

export function toQualification(row: QualificationRow): Qualification {
  return {
    qualificationId: row.qualification_id,
    personId: row.person_id,
    insurerNumber: row.insurer_number,
    cardSymbol: row.card_symbol,
    cardNumber: row.card_number,
    branchNumber: row.branch_number,
    cardClassification: row.card_classification,
    personalFamily: row.personal_family as '1' | '2',
    insuredName: row.insured_name ?? undefined,
    qualificationDate: row.qualification_date,
    disqualificationDate: row.disqualification_date ?? undefined,
    reasonOfLoss: row.reason_of_loss ?? undefined,
    cardIssuanceDate: row.card_issuance_date ?? undefined,
    cardValidDate: row.card_valid_date ?? undefined,
    cardExpirationDate: row.card_expiration_date ?? undefined,
    incomeTier: row.income_tier as IncomeTier,
  };
}

export interface CardKey {
  readonly insurerNumber: string;
  readonly cardSymbol: string;
  readonly cardNumber: string;
  readonly branchNumber: string;
}

const selectByCardKey = `select ${qualificationColumns} from qualifications q
  where q.insurer_number = ? and q.card_number = ? and q.card_symbol = ? and q.branch_number = ?
  order by q.qualification_date, q.qualification_id`;
const selectByPerson = `select ${qualificationColumns} from qualifications q where q.person_id = ?
  order by q.qualification_date, q.qualification_id`;
const selectById = `select ${qualificationColumns} from qualifications q where q.qualification_id = ?`;

/** Every qualification with exactly this card key, oldest first (a key can be reused after loss). */
export async function findByCardKey(store: Store, key: CardKey): Promise<Qualification[]> {
  const rows = await store.all<QualificationRow>(selectByCardKey, [
    key.insurerNumber,
    key.cardNumber,
    key.cardSymbol,
    key.branchNumber,
  ]);
  return rows.map(toQualification);
}

export async function findQualification(
  store: Store,
  qualificationId: number,
): Promise<Qualification | undefined> {
  const row = await store.get<QualificationRow>(selectById, [qualificationId]);
  return row === undefined ? undefined : toQualification(row);
}

/** All qualifications of a person under any insurer, oldest first. */
export async function listByPerson(store: Store, personId: number): Promise<Qualification[]> {
  return (await store.all<QualificationRow>(selectByPerson, [personId])).map(toQualification);
}

export type NewQualification = Omit<Qualification, 'qualificationId'>;

/** The columns of a qualification row after its id, in table order (inserts and bulk loads). */
export function qualificationValues(q: NewQualification): (string | number | null)[] {
  return [
    q.personId,
    q.insurerNumber,
    q.cardSymbol,
    q.cardNumber,
    q.branchNumber,
    q.cardClassification,
    q.personalFamily,
    q.insuredName ?? null,
    q.qualificationDate,
    q.disqualificationDate ?? null,
    q.reasonOfLoss ?? null,
    q.cardIssuanceDate ?? null,
    q.cardValidDate ?? null,
    q.cardExpirationDate ?? null,
    q.incomeTier,
  ];
}

export async function insertQualification(store: Store, q: NewQualification): Promise<number> {
  const row = await store.get<{ qualification_id: number }>(
    `insert into qualifications (person_id, insurer_number, card_symbol, card_number, branch_number,
       card_classification, personal_family, insured_name, qualification_date, disqualification_date,
       reason_of_loss, card_issuance_date, card_valid_date, card_expiration_date, income_tier)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning qualification_id`,
    qualificationValues(q),
  );
  if (row === undefined) throw new Error('qualifications: insert returned no id');
  return row.qualification_id;
}

/** Replaces every attribute of the qualification (the id and the person stay). */
export async function updateQualification(store: Store, q: Qualification): Promise<void> {
  const [, ...rest] = qualificationValues(q);
  await store.run(
    `update qualifications set insurer_number = ?, card_symbol = ?, card_number = ?, branch_number = ?,
       card_classification = ?, personal_family = ?, insured_name = ?, qualification_date = ?,
       disqualification_date = ?, reason_of_loss = ?, card_issuance_date = ?, card_valid_date = ?,
       card_expiration_date = ?, income_tier = ?
     where qualification_id = ?`,
    [...rest, q.qualificationId],
  );
}

// --- history

export type QualificationEventKind = 'acquire' | 'change' | 'lose';

export interface QualificationEvent {
  readonly eventId: number;
  readonly qualificationId: number;
  readonly kind: QualificationEventKind;
  readonly effectiveDate: LocalDate;
  readonly feedFileId?: string | undefined;
  /** ISO instant */
  readonly recordedAt: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export type NewQualificationEvent = Omit<QualificationEvent, 'eventId'>;

export async function insertEvent(store: Store, event: NewQualificationEvent): Promise<void> {
  await store.run(
    `insert into qualification_events (qualification_id, kind, effective_date, feed_file_id, recorded_at, detail)
     values (?, ?, ?, ?, ?, ?)`,
    [
      event.qualificationId,
      event.kind,
      event.effectiveDate,
      event.feedFileId ?? null,
      event.recordedAt,
      JSON.stringify(event.detail),
    ],
  );
}

interface EventRow {
  event_id: number;
  qualification_id: number;
  kind: string;
  effective_date: string;
  feed_file_id: string | null;
  recorded_at: string;
  detail: string;
}

/** The history of one qualification, in the order it was recorded. */
export async function listEvents(store: Store, qualificationId: number): Promise<QualificationEvent[]> {
  const rows = await store.all<EventRow>(
    `select event_id, qualification_id, kind, effective_date, feed_file_id, recorded_at, detail
     from qualification_events where qualification_id = ? order by event_id`,
    [qualificationId],
  );
  return rows.map((row) => ({
    eventId: row.event_id,
    qualificationId: row.qualification_id,
    kind: row.kind as QualificationEventKind,
    effectiveDate: row.effective_date,
    feedFileId: row.feed_file_id ?? undefined,
    recordedAt: row.recorded_at,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  }));
}
