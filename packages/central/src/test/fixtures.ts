/**
 * Test data written through the repositories: insurers with valid check digits, persons and
 * qualifications. Integration tests only.
 */
import {
  type Clock,
  type IncomeTier,
  type InsurerKind,
  institutionCodeCheckDigit,
  insurerNumberCheckDigit,
  type LocalDate,
} from '@onshi/core';
import { upsertInsurer } from '../insurers/insurers.repo.ts';
import { insertPerson } from '../persons/persons.repo.ts';
import { insertQualification } from '../qualifications/qualifications.repo.ts';
import type { Store } from '../store/store.ts';

/** 8-digit 保険者番号 from 法別番号 (2), 都道府県 (2) and 保険者別番号 (3), with its check digit. */
export function insurerNumber(law: string, prefecture: string, serial: string): string {
  const body = law + prefecture + serial;
  return body + insurerNumberCheckDigit(body);
}

/** 6-digit 市町村国保 number from 都道府県 (2) and 保険者別番号 (3). */
export function kokuhoNumber(prefecture: string, serial: string): string {
  const body = prefecture + serial;
  return body + insurerNumberCheckDigit(body);
}

/** 10-digit 医療機関コード from 都道府県 (2), 点数表 (1) and 6 digits, with its check digit. */
export function institutionCode(prefecture: string, table: string, six: string): string {
  const body = prefecture + table + six;
  return body + institutionCodeCheckDigit(body);
}

/** 2024-06-01 10:02:03 JST. */
export const fixedClock: Clock = { now: () => new Date('2024-06-01T01:02:03Z') };

export async function addInsurer(store: Store, number: string, kind: InsurerKind, name = `保険者${number}`) {
  const prefectureCode = number.length === 6 ? number.slice(0, 2) : number.slice(2, 4);
  await upsertInsurer(store, { insurerNumber: number, name, kind, prefectureCode });
  return number;
}

export interface PersonSpec {
  readonly name?: string;
  readonly birthdate: LocalDate;
  readonly sex?: '1' | '2' | '3';
  readonly personKey?: string;
}

export async function addPerson(store: Store, spec: PersonSpec): Promise<number> {
  return insertPerson(store, {
    personKey: spec.personKey,
    name: spec.name ?? '試験　太郎',
    nameKana: 'ｼｹﾝ ﾀﾛｳ',
    sex: spec.sex ?? '1',
    birthdate: spec.birthdate,
    address: '東京都千代田区霞が関1-2-2',
    postNumber: '100-8916',
  });
}

export interface QualificationSpec {
  readonly personId: number;
  readonly insurerNumber: string;
  readonly cardSymbol?: string;
  readonly cardNumber: string;
  readonly branchNumber?: string;
  readonly qualificationDate: LocalDate;
  readonly disqualificationDate?: LocalDate;
  readonly reasonOfLoss?: string;
  readonly incomeTier?: IncomeTier;
  readonly personalFamily?: '1' | '2';
}

export async function addQualification(store: Store, spec: QualificationSpec): Promise<number> {
  return insertQualification(store, {
    personId: spec.personId,
    insurerNumber: spec.insurerNumber,
    cardSymbol: spec.cardSymbol ?? '',
    cardNumber: spec.cardNumber,
    branchNumber: spec.branchNumber ?? '',
    cardClassification: '01',
    personalFamily: spec.personalFamily ?? '1',
    insuredName: undefined,
    qualificationDate: spec.qualificationDate,
    disqualificationDate: spec.disqualificationDate,
    reasonOfLoss: spec.reasonOfLoss,
    cardIssuanceDate: spec.qualificationDate,
    cardValidDate: undefined,
    cardExpirationDate: undefined,
    incomeTier: spec.incomeTier ?? 'general',
  });
}
