/**
 * Test world of the retrieval (integration tests only): persons with cards, claims and 特定健診
 * files imported through the real parsers, consents in several states, two institutions located
 * in two municipalities. Synthetic data only.
 */
import { addMonths, type Clock, jstDate, toWireDate } from '@onshi/core';
import { recordReaderConsents, revokeConsent } from '../consent/consent.service.ts';
import { importCheckupFile } from '../medical/checkups.import.ts';
import { checkupXml } from '../medical/checkups.write.ts';
import { importClaimFile } from '../medical/claims.import.ts';
import { encodeClaimFile, type ReceiptSpec } from '../medical/claims.write.ts';
import { syntheticDrugs } from '../medical/drugs.ts';
import { upsertDrugs } from '../medical/medical.repo.ts';
import type { Store } from '../store/store.ts';
import { addInsurer, addPerson, addQualification, institutionCode, insurerNumber } from '../test/fixtures.ts';

export const clinic = institutionCode('13', '1', '012345');
export const otherClinic = institutionCode('13', '1', '054321');
export const pharmacy = institutionCode('13', '4', '000017');
export const checkupCentre = institutionCode('13', '1', '099999');
export const insurer = insurerNumber('06', '13', '077');
/** 09:00 JST on 2026-06-01: the default time the consents are given. */
export const T0 = new Date('2026-06-01T00:00:00Z');
export const HOUR = 3600_000;

export const [amlodipine, atorvastatin, loxoprofen] = syntheticDrugs;

export interface Patient {
  readonly personId: number;
  readonly cardNumber: string;
  readonly birthdate: string;
}

/** A mutable clock. */
export function testClock(start: Date): Clock & { set(at: Date): void } {
  let now = start;
  return {
    now: () => now,
    set(at) {
      now = at;
    },
  };
}

async function patient(store: Store, cardNumber: string, birthdate: string, name: string): Promise<Patient> {
  const personId = await addPerson(store, { birthdate, name });
  await addQualification(store, {
    personId,
    insurerNumber: insurer,
    cardSymbol: '記号',
    cardNumber,
    branchNumber: '00',
    qualificationDate: '2015-04-01',
  });
  return { personId, cardNumber, birthdate };
}

function receipt(p: Patient, month: string, name: string): Omit<ReceiptSpec, 'units' | 'prescriptions'> {
  return {
    month,
    name,
    sex: '1',
    birthdate: p.birthdate,
    insurerNumber: insurer,
    cardSymbol: '記号',
    cardNumber: p.cardNumber,
    branchNumber: '00',
  };
}

/** 'YYYY-MM' `n` months from the month of `t0` (JST). */
function monthFrom(t0: Date, n: number): string {
  return addMonths(`${jstDate(t0).slice(0, 7)}-01`, n).slice(0, 7);
}

/**
 * Alice's medications (for T0): 2026-05 at the pharmacy (2 drugs), 2026-04 at the clinic, 2023-04
 * (older than 3 years).
 */
async function importClaims(store: Store, alice: Patient, clock: Clock, t0: Date): Promise<void> {
  await upsertDrugs(store, syntheticDrugs);
  const dispensing = (month: string, day: string) => ({
    kind: 'pharmacy' as const,
    institutionCode: pharmacy,
    institutionName: 'オンシ薬局',
    billingMonth: month,
    receipts: [
      {
        ...receipt(alice, month, '試験　有栖'),
        prescriberInstitutionCode: clinic,
        prescriptions: [
          {
            form: '1',
            usageCode: '1013044400000000',
            usage: '1日1回朝食後',
            dispensings: [{ prescribed: `${month}-${day}`, dispensed: `${month}-${day}`, quantity: 28 }],
            drugs: [
              { drugCode: amlodipine!.drugCode, quantity: '1' },
              { drugCode: atorvastatin!.drugCode, quantity: '1' },
            ],
          },
        ],
      },
    ],
  });
  for (const spec of [dispensing(monthFrom(t0, -1), '12'), dispensing(monthFrom(t0, -38), '10')]) {
    const report = await importClaimFile(store, { content: encodeClaimFile(spec), clock });
    if (!report.accepted) throw new Error(JSON.stringify(report.problems));
  }
  const month = monthFrom(t0, -2);
  const medical = encodeClaimFile({
    kind: 'medical',
    institutionCode: clinic,
    institutionName: 'オンシ内科',
    billingMonth: month,
    receipts: [
      {
        ...receipt(alice, month, '試験　有栖'),
        units: [
          {
            treatment: '22',
            drugs: [{ drugCode: loxoprofen!.drugCode, quantity: '1.5' }],
            days: new Map([[7, 5]]),
          },
        ],
      },
    ],
  });
  const report = await importClaimFile(store, { content: medical, clock });
  if (!report.accepted) throw new Error(JSON.stringify(report.problems));
}

/** Alice's 特定健診 (for T0): 2025-05-20 (kept) and 2020-05-20 (older than 5 years). */
async function importCheckups(store: Store, alice: Patient, clock: Clock, t0: Date): Promise<void> {
  for (const examDate of [`${monthFrom(t0, -13)}-20`, `${monthFrom(t0, -73)}-20`]) {
    const xml = checkupXml({
      documentId: `doc-${examDate}`,
      insurerNumber: insurer,
      cardSymbol: '記号',
      cardNumber: alice.cardNumber,
      branchNumber: '00',
      nameKana: 'ｼｹﾝ ｱﾘｽ',
      sex: '1',
      birthdate: alice.birthdate,
      examDate,
      institutionCode: checkupCentre,
      institutionName: 'オンシ健診センター',
      results: [
        { code: '9N006000000000001', name: '体重', type: 'PQ', value: '61.5', unit: 'kg' },
        {
          code: '9A755000000000001',
          name: '収縮期血圧',
          type: 'PQ',
          value: '138',
          unit: 'mmHg',
          high: '129',
          interpretation: 'H',
        },
        { code: '1A020000000190111', name: '尿糖', type: 'CO', value: '1', display: '－' },
      ],
    });
    const report = await importCheckupFile(store, { content: new TextEncoder().encode(xml), clock });
    if (!report.accepted) throw new Error(JSON.stringify(report.problems));
  }
}

export interface MedinfoWorld {
  /** Live outpatient consents YZK + TKK at the clinic (given at T0); claims and check-ups. */
  readonly alice: Patient;
  /** No consent anywhere (reached only in disaster mode). */
  readonly bob: Patient;
  /** Consented to YZK at another institution. */
  readonly carol: Patient;
  /** Consented to YZK at the clinic only. */
  readonly dave: Patient;
  /** Home-visit consent to YZK at the clinic, revoked by the patient. */
  readonly erin: Patient;
}

/** The world, with the consents given at `t0` and the medical data dated back from it. */
export async function createMedinfoWorld(store: Store, clock: Clock, t0 = T0): Promise<MedinfoWorld> {
  await addInsurer(store, insurer, 'kumiai');
  const alice = await patient(store, '1001', '1958-02-03', '試験　有栖');
  const bob = await patient(store, '1002', '1971-07-08', '災害　次郎');
  const carol = await patient(store, '1003', '1980-01-01', '試験　花子');
  const dave = await patient(store, '1004', '1985-01-01', '試験　大');
  const erin = await patient(store, '1005', '1990-01-01', '試験　恵');
  await importClaims(store, alice, clock, t0);
  await importCheckups(store, alice, clock, t0);
  const consent = (institutionCode: string, p: Patient, answers: object, kind = 'outpatient' as const) =>
    recordReaderConsents(store, {
      institutionCode,
      personId: p.personId,
      kind,
      answers,
      at: t0,
      source: 'reader:test',
    });
  await consent(clinic, alice, { YZK: '1', TKK: '1' });
  await consent(otherClinic, carol, { YZK: '1' });
  await consent(clinic, dave, { YZK: '1' });
  await recordReaderConsents(store, {
    institutionCode: clinic,
    personId: erin.personId,
    kind: 'home-visit',
    answers: { YZK: '1' },
    at: t0,
    source: 'reader:test',
  });
  await revokeConsent(store, {
    institutionCode: clinic,
    personId: erin.personId,
    categories: ['YZK'],
    at: new Date(t0.getTime() + HOUR / 2),
    by: 'patient',
  });
  return { alice, bob, carol, dave, erin };
}

/** The card part of a YZK / TKK request header for a patient. */
export function cardHeader(p: Patient, institution = clinic) {
  return {
    MedicalInstitutionCode: institution,
    InsurerNumber: insurer,
    InsuranceCardSymbol: '記号',
    InsuredPersonIdentificationNumber: p.cardNumber,
    BranchNumber: '00',
    Birthdate: toWireDate(p.birthdate),
  };
}
