/**
 * Applies one parsed feed record inside the import transaction. Every check that can reject the
 * record (references to insurers and qualifications, date order, duplicates) runs BEFORE the
 * record's first write, so a rejected record leaves nothing behind. Every change to a qualification
 * writes a qualification_events row ('acquire' / 'change' / 'lose').
 */
import { OnshiError, type Person, type Qualification } from '@onshi/core';
import {
  upsertElderlyCertificate,
  upsertLimitCertificate,
  upsertSpecificDiseaseCertificate,
} from '../certificates/certificates.repo.ts';
import { findInsurer, upsertInsurer } from '../insurers/insurers.repo.ts';
import {
  findPerson,
  findPersonByKey,
  insertPerson,
  type NewPerson,
  updatePerson,
} from '../persons/persons.repo.ts';
import {
  type CardKey,
  findByCardKey,
  insertEvent,
  insertQualification,
  type QualificationEventKind,
  updateQualification,
} from '../qualifications/qualifications.repo.ts';
import type { Store } from '../store/store.ts';
import { FieldError } from './feed.fields.ts';
import type { FeedCertificate, FeedRecord, QualificationRef } from './feed.format.ts';

export interface ApplyContext {
  readonly store: Store;
  readonly fileId: string;
  /** ISO instant of the import */
  readonly recordedAt: string;
  /** The header's 保険者番号: every record must belong to it when set. */
  readonly insurerNumber?: string | undefined;
  readonly line: number;
}

function reject(field: string, detail: string): never {
  throw new FieldError(field, new OnshiError('FEED_ROW_INVALID', { detail: `${field}: ${detail}` }));
}

export function describeCard(key: CardKey): string {
  const symbol = key.cardSymbol === '' ? '' : `${key.cardSymbol}・`;
  const branch = key.branchNumber === '' ? '' : `（${key.branchNumber}）`;
  return `${key.insurerNumber} ${symbol}${key.cardNumber}${branch}`;
}

async function checkInsurer(ctx: ApplyContext, insurerNumber: string): Promise<void> {
  if (ctx.insurerNumber !== undefined && insurerNumber !== ctx.insurerNumber) {
    reject('insurerNumber', `ヘッダーの保険者番号 ${ctx.insurerNumber} と異なります`);
  }
  if ((await findInsurer(ctx.store, insurerNumber)) === undefined) {
    throw new FieldError('insurerNumber', new OnshiError('FEED_INSURER_UNKNOWN', { value: insurerNumber }));
  }
}

/** The qualification a record refers to: the latest with the card key (and 取得日, when given). */
async function resolve(ctx: ApplyContext, ref: QualificationRef): Promise<Qualification> {
  await checkInsurer(ctx, ref.insurerNumber);
  const found = (await findByCardKey(ctx.store, ref)).filter(
    (q) => ref.qualificationDate === undefined || q.qualificationDate === ref.qualificationDate,
  );
  const latest = found.at(-1);
  if (latest === undefined) {
    throw new FieldError(
      'cardNumber',
      new OnshiError('FEED_QUALIFICATION_UNKNOWN', { card: describeCard(ref) }),
    );
  }
  return latest;
}

async function event(
  ctx: ApplyContext,
  qualificationId: number,
  kind: QualificationEventKind,
  effectiveDate: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await insertEvent(ctx.store, {
    qualificationId,
    kind,
    effectiveDate,
    feedFileId: ctx.fileId,
    recordedAt: ctx.recordedAt,
    detail: { line: ctx.line, ...detail },
  });
}

async function writeCertificate(store: Store, qualificationId: number, c: FeedCertificate): Promise<void> {
  if (c.type === 'elderly') {
    const { type: _type, ...fields } = c;
    await upsertElderlyCertificate(store, { qualificationId, ...fields });
  } else if (c.type === 'limit') {
    const { type: _type, ...fields } = c;
    await upsertLimitCertificate(store, { qualificationId, ...fields });
  } else {
    const { type: _type, ...fields } = c;
    await upsertSpecificDiseaseCertificate(store, { qualificationId, ...fields });
  }
}

function checkCardWindow(q: {
  cardValidDate?: string | undefined;
  cardExpirationDate?: string | undefined;
}): void {
  if (
    q.cardValidDate !== undefined &&
    q.cardExpirationDate !== undefined &&
    q.cardExpirationDate < q.cardValidDate
  ) {
    reject('cardExpirationDate', 'cardValidDate より前です');
  }
}

async function applyInsurer(
  ctx: ApplyContext,
  record: Extract<FeedRecord, { kind: 'insurer' }>,
): Promise<void> {
  const { insurerNumber, kind, prefectureCode } = record.insurer;
  if (ctx.insurerNumber !== undefined && insurerNumber !== ctx.insurerNumber) {
    reject('insurerNumber', `ヘッダーの保険者番号 ${ctx.insurerNumber} と異なります`);
  }
  if ((insurerNumber.length === 6) !== (kind === 'kokuho')) {
    reject('insurerKind', '6桁の保険者番号は市町村国保（kokuho）だけが使います');
  }
  const numberPrefecture = insurerNumber.length === 6 ? insurerNumber.slice(0, 2) : insurerNumber.slice(2, 4);
  if (numberPrefecture !== prefectureCode)
    reject('prefectureCode', `保険者番号の都道府県番号 ${numberPrefecture} と異なります`);
  await upsertInsurer(ctx.store, record.insurer);
}

/** The person of an acquisition: the one with the same person key, or a new one. */
async function personFor(
  ctx: ApplyContext,
  person: NewPerson,
): Promise<{ existing?: Person; write: () => Promise<number> }> {
  const existing =
    person.personKey === undefined ? undefined : await findPersonByKey(ctx.store, person.personKey);
  if (existing === undefined) return { write: () => insertPerson(ctx.store, person) };
  if (existing.birthdate !== person.birthdate)
    reject('birthdate', '同じ personKey の人の生年月日と異なります');
  const { personKey: _key, ...attributes } = person;
  return {
    existing,
    write: async () => {
      await updatePerson(ctx.store, { ...attributes, personId: existing.personId });
      return existing.personId;
    },
  };
}

async function applyAcquire(
  ctx: ApplyContext,
  record: Extract<FeedRecord, { kind: 'acquire' }>,
): Promise<void> {
  await checkInsurer(ctx, record.card.insurerNumber);
  checkCardWindow(record.qualification);
  const open = (await findByCardKey(ctx.store, record.card)).find(
    (q) => q.disqualificationDate === undefined || q.disqualificationDate > record.qualificationDate,
  );
  if (open !== undefined)
    reject('cardNumber', `被保険者証 ${describeCard(record.card)} の資格は既に登録されています`);
  const person = await personFor(ctx, record.person);
  const personId = await person.write();
  const qualificationId = await insertQualification(ctx.store, {
    ...record.card,
    ...record.qualification,
    personId,
    qualificationDate: record.qualificationDate,
  });
  await event(ctx, qualificationId, 'acquire', record.qualificationDate, { personId });
  for (const certificate of record.certificates) {
    await writeCertificate(ctx.store, qualificationId, certificate);
    await event(ctx, qualificationId, 'change', certificate.validStartDate, { certificate });
  }
}

async function applyChange(
  ctx: ApplyContext,
  record: Extract<FeedRecord, { kind: 'change' }>,
): Promise<void> {
  const q = await resolve(ctx, record.ref);
  const changed: Qualification = { ...q, ...record.qualification };
  checkCardWindow(changed);
  const person = Object.keys(record.person).length > 0 ? await findPerson(ctx.store, q.personId) : undefined;
  if (Object.keys(record.qualification).length > 0) await updateQualification(ctx.store, changed);
  if (person !== undefined)
    await updatePerson(ctx.store, { ...person, ...record.person, personId: person.personId });
  await event(ctx, q.qualificationId, 'change', record.effectiveDate, {
    set: { ...record.person, ...record.qualification },
  });
}

async function applyLose(ctx: ApplyContext, record: Extract<FeedRecord, { kind: 'lose' }>): Promise<void> {
  const q = await resolve(ctx, record.ref);
  if (q.disqualificationDate !== undefined)
    reject('disqualificationDate', `既に ${q.disqualificationDate} に喪失しています`);
  if (record.disqualificationDate <= q.qualificationDate) {
    reject('disqualificationDate', `資格取得年月日 ${q.qualificationDate} より後である必要があります`);
  }
  await updateQualification(ctx.store, {
    ...q,
    disqualificationDate: record.disqualificationDate,
    reasonOfLoss: record.reasonOfLoss,
  });
  await event(ctx, q.qualificationId, 'lose', record.disqualificationDate, {
    reasonOfLoss: record.reasonOfLoss,
  });
}

export async function applyRecord(ctx: ApplyContext, record: FeedRecord): Promise<void> {
  switch (record.kind) {
    case 'insurer':
      return applyInsurer(ctx, record);
    case 'acquire':
      return applyAcquire(ctx, record);
    case 'change':
      return applyChange(ctx, record);
    case 'lose':
      return applyLose(ctx, record);
    case 'certificate': {
      const q = await resolve(ctx, record.ref);
      await writeCertificate(ctx.store, q.qualificationId, record.certificate);
      await event(ctx, q.qualificationId, 'change', record.certificate.validStartDate, {
        certificate: record.certificate,
      });
    }
  }
}
