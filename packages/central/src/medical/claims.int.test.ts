import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { encodeCp932 } from '@onshi/core';
import type { Store } from '../store/store.ts';
import {
  addInsurer,
  addPerson,
  addQualification,
  fixedClock,
  institutionCode,
  insurerNumber,
} from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import { importClaimFile } from './claims.import.ts';
import { type ClaimFileSpec, claimRecords, encodeClaimRecords } from './claims.write.ts';
import { syntheticDrugs } from './drugs.ts';
import { listMedications } from './medical.history.repo.ts';
import { upsertDrugs } from './medical.repo.ts';

const insurer = insurerNumber('06', '13', '012');
const clinic = institutionCode('13', '1', '100010');
const pharmacy = institutionCode('13', '4', '200020');
const [amlodipine, atorvastatin, loxoprofen] = syntheticDrugs;

const person = {
  month: '2024-05',
  name: '試験　花子',
  sex: '2',
  birthdate: '1960-04-01',
  insurerNumber: insurer,
  cardSymbol: '1234',
  cardNumber: '5678',
  branchNumber: '01',
};

const medicalSpec: ClaimFileSpec = {
  kind: 'medical',
  institutionCode: clinic,
  institutionName: 'オンシ内科クリニック',
  billingMonth: '2024-06',
  receipts: [
    {
      ...person,
      units: [
        {
          treatment: '21',
          drugs: [
            { drugCode: amlodipine!.drugCode, quantity: '1' },
            { drugCode: atorvastatin!.drugCode, quantity: '1' },
          ],
          days: new Map([
            [2, 14],
            [16, 14],
          ]),
        },
        {
          treatment: '22',
          drugs: [{ drugCode: loxoprofen!.drugCode, quantity: '1.5' }],
          days: new Map([[2, 5]]),
        },
      ],
    },
  ],
};

const pharmacySpec: ClaimFileSpec = {
  kind: 'pharmacy',
  institutionCode: pharmacy,
  institutionName: 'オンシ薬局',
  billingMonth: '2024-06',
  receipts: [
    {
      ...person,
      prescriberInstitutionCode: clinic,
      prescriptions: [
        {
          form: '1',
          usageCode: '1013044400000000',
          usage: '1日1回朝食後',
          dispensings: [{ prescribed: '2024-05-20', dispensed: '2024-05-21', quantity: 28 }],
          drugs: [{ drugCode: amlodipine!.drugCode, quantity: '1' }],
        },
      ],
    },
  ],
};

async function counts(s: Store): Promise<{ files: number; medications: number }> {
  const files = await s.get<{ n: number }>('select count(*) as n from claim_files');
  const medications = await s.get<{ n: number }>('select count(*) as n from medications');
  return { files: Number(files?.n), medications: Number(medications?.n) };
}

/** Records of the medical spec with `edit` applied, as bytes. */
function edited(edit: (records: string[][]) => void, spec: ClaimFileSpec = medicalSpec): Uint8Array {
  const records = claimRecords(spec);
  edit(records);
  return encodeClaimRecords(records);
}

forEachStore('claims feed (レセプト電算処理システム)', (store) => {
  let personId = 0;
  before(async () => {
    const s = store();
    await upsertDrugs(s, syntheticDrugs);
    await addInsurer(s, insurer, 'kumiai');
    personId = await addPerson(s, { birthdate: '1960-04-01', sex: '2' });
    await addQualification(s, {
      personId,
      insurerNumber: insurer,
      cardSymbol: '1234',
      cardNumber: '5678',
      branchNumber: '01',
      qualificationDate: '2020-04-01',
    });
  });

  it('imports a 医科 file: each drug of a 算定単位 on each day it was given', async () => {
    const s = store();
    const report = await importClaimFile(s, {
      content: edited(() => {}),
      fileId: 'ika-1',
      clock: fixedClock,
    });
    assert.deepEqual(report.problems, []);
    assert.equal(report.accepted, true);
    assert.equal(report.rows, 5);
    assert.equal(report.kind, 'medical');
    const rows = await listMedications(s, personId, { from: '2024-05-01', to: '2024-05-31' });
    assert.deepEqual(
      rows.map((r) => [r.serviceDate, r.drugCode, r.quantity, r.daysOrTimes, r.treatmentCategory, r.unit]),
      [
        ['2024-05-02', amlodipine!.drugCode, '1', 14, '21', '錠'],
        ['2024-05-02', atorvastatin!.drugCode, '1', 14, '21', '錠'],
        ['2024-05-02', loxoprofen!.drugCode, '1.5', 5, '22', '錠'],
        ['2024-05-16', amlodipine!.drugCode, '1', 14, '21', '錠'],
        ['2024-05-16', atorvastatin!.drugCode, '1', 14, '21', '錠'],
      ],
    );
    assert.equal(rows[0]?.drugName, amlodipine!.name);
    assert.equal(rows[0]?.prescriberInstitutionCode, clinic);
    assert.equal(rows[0]?.dispenserInstitutionCode, clinic);
  });

  it('imports a 調剤 file: dispensing day, prescription day, prescriber and pharmacy', async () => {
    const s = store();
    const report = await importClaimFile(s, { content: edited(() => {}, pharmacySpec), clock: fixedClock });
    assert.equal(report.accepted, true);
    assert.equal(report.rows, 1);
    const [row] = await listMedications(s, personId, { from: '2024-05-21', to: '2024-05-21' });
    assert.deepEqual(
      [row?.kind, row?.prescribedDate, row?.daysOrTimes, row?.usage, row?.institutionCode],
      ['pharmacy', '2024-05-20', 28, '1日1回朝食後', pharmacy],
    );
    assert.equal(row?.prescriberInstitutionCode, clinic);
    assert.equal(row?.dispenserInstitutionCode, pharmacy);
  });

  it('is idempotent by file id and by content; the same id with other content conflicts', async () => {
    const s = store();
    const before = await counts(s);
    const again = await importClaimFile(s, { content: edited(() => {}), fileId: 'ika-1', clock: fixedClock });
    assert.deepEqual([again.accepted, again.duplicate, again.rows], [true, true, 5]);
    const renamed = await importClaimFile(s, {
      content: edited(() => {}),
      fileId: 'other-name',
      clock: fixedClock,
    });
    assert.deepEqual([renamed.duplicate, renamed.fileId], [true, 'ika-1']);
    assert.deepEqual(await counts(s), before);
    const other = edited((r) => {
      r[0]![6] = '別の名称';
    });
    await assert.rejects(importClaimFile(s, { content: other, fileId: 'ika-1', clock: fixedClock }), {
      code: 'MEDICAL_FILE_CONFLICT',
    });
    assert.deepEqual(await counts(s), before);
  });

  const broken: [string, () => Uint8Array, string, number][] = [
    ['an unknown record type', () => edited((r) => r.splice(3, 0, ['XX', '1'])), 'CLAIM_RECORD_UNKNOWN', 4],
    [
      'a 調剤 record in a 医科 file',
      () => edited((r) => r.splice(3, 0, ['SH', '1'])),
      'CLAIM_RECORD_UNKNOWN',
      4,
    ],
    ['a field too few', () => edited((r) => r[2]!.pop()), 'CLAIM_FIELD_COUNT', 3],
    ['a field too many', () => edited((r) => r[4]!.push('')), 'CLAIM_FIELD_COUNT', 5],
    ['no IR first', () => edited((r) => r.shift()), 'CLAIM_ORDER_INVALID', 1],
    ['IY before any RE', () => edited((r) => r.splice(1, 0, [...r[4]!])), 'CLAIM_ORDER_INVALID', 2],
    ['HO missing', () => edited((r) => r.splice(2, 1)), 'CLAIM_ORDER_INVALID', 3],
    ['no GO', () => edited((r) => r.pop()), 'CLAIM_ORDER_INVALID', 8],
    ['GO counting other receipts', () => edited((r) => (r.at(-1)![1] = '2')), 'CLAIM_FIELD_INVALID', 8],
    ['a bad drug code', () => edited((r) => (r[4]![3] = '12345')), 'CLAIM_FIELD_INVALID', 5],
    ['算定日 not adding up to 回数', () => edited((r) => (r[5]![6] = '27')), 'CLAIM_FIELD_INVALID', 6],
    [
      'a 31st of June',
      () =>
        edited((r) => {
          r[1]![3] = '202406';
          r[6]![14] = '';
          r[6]![43] = '5';
        }),
      'CLAIM_FIELD_INVALID',
      7,
    ],
    ['an unknown person', () => edited((r) => (r[2]![3] = '9999')), 'CLAIM_PERSON_UNKNOWN', 3],
    ['a birth date not on the card', () => edited((r) => (r[1]![6] = '19610401')), 'CLAIM_PERSON_UNKNOWN', 3],
    [
      'a month before the qualification',
      () => edited((r) => (r[1]![3] = '201905')),
      'CLAIM_PERSON_UNKNOWN',
      3,
    ],
    ['a drug not in the master', () => edited((r) => (r[6]![3] = '612345678')), 'CLAIM_DRUG_UNKNOWN', 7],
    [
      'IY before SH in a 調剤 file',
      () => edited((r) => r.splice(4, 0, [...r[6]!]), pharmacySpec),
      'CLAIM_ORDER_INVALID',
      5,
    ],
    [
      'IY before CZ',
      () =>
        edited((r) => {
          const [cz] = r.splice(5, 1);
          r.splice(6, 0, cz!);
        }, pharmacySpec),
      'CLAIM_ORDER_INVALID',
      6,
    ],
    ['CZ after IY', () => edited((r) => r.splice(7, 0, [...r[5]!]), pharmacySpec), 'CLAIM_ORDER_INVALID', 8],
  ];

  for (const [what, content, code, line] of broken) {
    it(`rejects a file with ${what} whole: ${code} at line ${line}, tables unchanged`, async () => {
      const s = store();
      const before = await counts(s);
      const report = await importClaimFile(s, { content: content(), clock: fixedClock });
      assert.equal(report.accepted, false);
      assert.equal(report.rows, 0);
      assert.deepEqual(
        report.problems.slice(0, 1).map((p) => [p.code, p.line]),
        [[code, line]],
        JSON.stringify(report.problems),
      );
      assert.match(report.problems[0]!.message, new RegExp(`^${line} 行目`));
      assert.deepEqual(await counts(s), before);
    });
  }

  it('rejects bytes that are not CP932, and UTF-8, with the line', async () => {
    const s = store();
    const before = await counts(s);
    const good = edited(() => {});
    const text = new TextDecoder('shift_jis').decode(good);
    const utf8 = await importClaimFile(s, { content: new TextEncoder().encode(text), clock: fixedClock });
    assert.deepEqual(
      utf8.problems.map((p) => [p.code, p.line]),
      [
        ['CLAIM_ENCODING_INVALID', 1],
        ['CLAIM_ENCODING_INVALID', 2],
      ],
    );
    const lines = text.split('\r\n');
    const bad = new Uint8Array([
      ...encodeCp932(lines.slice(0, 2).join('\r\n')),
      0x0d,
      0x0a,
      0x81,
      0x7f,
      0x0d,
      0x0a,
    ]);
    const invalid = await importClaimFile(s, { content: bad, clock: fixedClock });
    assert.deepEqual(
      invalid.problems.map((p) => [p.code, p.line]),
      [['CLAIM_ENCODING_INVALID', 3]],
    );
    assert.deepEqual(await counts(s), before);
  });
});
