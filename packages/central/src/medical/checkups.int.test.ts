import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Store } from '../store/store.ts';
import { addInsurer, addPerson, addQualification, fixedClock, kokuhoNumber } from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import { importCheckupFile } from './checkups.import.ts';
import { type CheckupSpec, checkupXml } from './checkups.write.ts';
import { listCheckups } from './medical.history.repo.ts';

const insurer = kokuhoNumber('27', '014');

const spec: CheckupSpec = {
  documentId: 'doc-1',
  insurerNumber: insurer,
  cardSymbol: '05',
  cardNumber: '1000123',
  nameKana: 'ｼｹﾝ ｼﾞﾛｳ',
  sex: '1',
  birthdate: '1965-07-07',
  examDate: '2024-05-20',
  institutionCode: '2711234567',
  institutionName: 'オンシ健診センター',
  results: [
    { code: '9N001000000000001', name: '身長', type: 'PQ', value: '171.2', unit: 'cm' },
    { code: '9N006000000000001', name: '体重', type: 'PQ', value: '72.5', unit: 'kg' },
    {
      code: '9A755000000000001',
      name: '収縮期血圧',
      type: 'PQ',
      value: '138',
      unit: 'mmHg',
      high: '129',
      interpretation: 'H',
    },
    { code: '3D046000001906202', name: 'HbA1c', type: 'PQ', value: '5.4', unit: '%' },
    { code: '1A020000000190111', name: '尿糖', type: 'CO', value: '1', display: '－' },
  ],
};

function xml(edit: (text: string) => string = (t) => t): Uint8Array {
  return new TextEncoder().encode(edit(checkupXml(spec)));
}

/** The 1-based line of the first occurrence of `needle` in the document. */
function lineOf(needle: string): number {
  const text = checkupXml(spec);
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

async function counts(s: Store): Promise<{ files: number; results: number }> {
  const files = await s.get<{ n: number }>('select count(*) as n from checkup_files');
  const results = await s.get<{ n: number }>('select count(*) as n from checkup_results');
  return { files: Number(files?.n), results: Number(results?.n) };
}

forEachStore('check-up feed (特定健診 XML)', (store) => {
  let personId = 0;
  before(async () => {
    const s = store();
    await addInsurer(s, insurer, 'kokuho');
    personId = await addPerson(s, { birthdate: '1965-07-07' });
    await addQualification(s, {
      personId,
      insurerNumber: insurer,
      cardSymbol: '05',
      cardNumber: '1000123',
      qualificationDate: '2010-01-01',
      disqualificationDate: '2024-12-01',
    });
  });

  it('imports the items with code, name, value, unit, range and interpretation', async () => {
    const s = store();
    const report = await importCheckupFile(s, { content: xml(), fileId: 'k-1', clock: fixedClock });
    assert.deepEqual(report.problems, []);
    assert.deepEqual([report.accepted, report.rows, report.examDate], [true, 5, '2024-05-20']);
    const rows = await listCheckups(s, personId, { from: '2024-01-01', to: '2024-12-31' });
    assert.deepEqual(
      rows.map((r) => [r.itemCode, r.name, r.valueType, r.value, r.unit, r.referenceLow, r.referenceHigh]),
      [
        ['9N001000000000001', '身長', 'PQ', '171.2', 'cm', null, null],
        ['9N006000000000001', '体重', 'PQ', '72.5', 'kg', null, null],
        ['9A755000000000001', '収縮期血圧', 'PQ', '138', 'mmHg', null, '129'],
        // No range in the document: the 保健指導判定値 of the item table.
        ['3D046000001906202', 'HbA1c', 'PQ', '5.4', '%', null, '5.5'],
        ['1A020000000190111', '尿糖', 'CO', '1', null, null, null],
      ],
    );
    assert.equal(rows[2]?.interpretation, 'H');
    assert.equal(rows[4]?.valueDisplay, '－');
    assert.equal(rows[0]?.institutionCode, '2711234567');
    assert.deepEqual(await listCheckups(s, personId, { to: '2024-05-19' }), []);
  });

  it('is idempotent: the same content again changes nothing', async () => {
    const s = store();
    const before = await counts(s);
    const again = await importCheckupFile(s, { content: xml(), clock: fixedClock });
    assert.deepEqual([again.duplicate, again.fileId, again.rows], [true, 'k-1', 5]);
    assert.deepEqual(await counts(s), before);
  });

  const broken: [string, () => Uint8Array, string, number][] = [
    [
      'a DOCTYPE',
      () => xml((t) => t.replace('<ClinicalDocument', '<!DOCTYPE x [<!ENTITY e "e">]>\n<ClinicalDocument')),
      'XML_DOCTYPE_FORBIDDEN',
      2,
    ],
    [
      'a broken tag',
      () => xml((t) => t.replace('</title>', '</titel>')),
      'XML_MALFORMED',
      lineOf('</title>'),
    ],
    [
      'another root',
      () => xml((t) => t.replaceAll('ClinicalDocument', 'Document')),
      'CHECKUP_FIELD_INVALID',
      2,
    ],
    [
      'no birth date',
      () => xml((t) => t.replace(/<birthTime[^>]*>/, '')),
      'CHECKUP_FIELD_MISSING',
      lineOf('<patientRole>'),
    ],
    [
      'an invalid birth date',
      () => xml((t) => t.replace('19650707', '19650230')),
      'CHECKUP_FIELD_INVALID',
      lineOf('<birthTime'),
    ],
    [
      'no exam date',
      () => xml((t) => t.replace(/<serviceEvent>[\s\S]*<\/serviceEvent>/, '<serviceEvent/>')),
      'CHECKUP_FIELD_MISSING',
      lineOf('<ClinicalDocument'),
    ],
    [
      'a weight in pounds',
      () => xml((t) => t.replace('unit="kg"', 'unit="[lb_av]"')),
      'CHECKUP_FIELD_INVALID',
      lineOf('value="72.5"'),
    ],
    [
      'a non-numeric value',
      () => xml((t) => t.replace('value="5.4"', 'value="5,4"')),
      'CHECKUP_FIELD_INVALID',
      lineOf('value="5.4"'),
    ],
    [
      'an unknown urine result',
      () =>
        xml((t) =>
          t.replace(
            'code="1" codeSystem="1.2.392.200119.6.2101"',
            'code="7" codeSystem="1.2.392.200119.6.2101"',
          ),
        ),
      'CHECKUP_FIELD_INVALID',
      lineOf('displayName="－"'),
    ],
    [
      'an unknown card',
      () => xml((t) => t.replace('1000123', '1000999')),
      'CHECKUP_PERSON_UNKNOWN',
      lineOf('<patientRole>'),
    ],
    [
      'an exam after the loss',
      () => xml((t) => t.replaceAll('20240520', '20241220')),
      'CHECKUP_PERSON_UNKNOWN',
      lineOf('<patientRole>'),
    ],
    [
      'bytes that are not UTF-8',
      () => Uint8Array.from([...xml().subarray(0, 120), 0xff, ...xml().subarray(120)]),
      'XML_ENCODING_INVALID_BYTES',
      1,
    ],
  ];

  for (const [what, content, code, line] of broken) {
    it(`rejects a document with ${what}: ${code} at line ${line}, tables unchanged`, async () => {
      const s = store();
      const before = await counts(s);
      const report = await importCheckupFile(s, { content: content(), clock: fixedClock });
      assert.equal(report.accepted, false);
      assert.deepEqual(
        report.problems.slice(0, 1).map((p) => [p.code, p.line]),
        [[code, line]],
        JSON.stringify(report.problems),
      );
      assert.deepEqual(await counts(s), before);
    });
  }
});
