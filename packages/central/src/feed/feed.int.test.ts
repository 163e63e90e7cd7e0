import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { OnshiError } from '@onshi/core';
import { createAuditLog } from '../audit/audit.writer.ts';
import { createEligibilityService } from '../eligibility/eligibility.service.ts';
import { findByCardKey, listEvents } from '../qualifications/qualifications.repo.ts';
import type { Store } from '../store/store.ts';
import { fixedClock, institutionCode, insurerNumber } from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import { createFeedService, importFeed } from './feed.service.ts';

const encoder = new TextEncoder();
const ndjson = (...lines: (object | string)[]) =>
  encoder.encode(lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n'));
const header = (fileId: string, extra: object = {}) => ({
  format: 'onshi-qualification-feed/1',
  fileId,
  createdAt: '2024-04-01T06:00:00+09:00',
  ...extra,
});

/** An example of docs/insurer-feed.md, as published. */
function documentedExample(language = 'ndjson'): Uint8Array {
  const doc = readFileSync(new URL('../../docs/insurer-feed.md', import.meta.url), 'utf8');
  const block = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(doc)?.[1];
  assert.ok(block, `docs/insurer-feed.md has a ${language} example`);
  return encoder.encode(block);
}

const docInsurer = '06139992';
const docCard = { insurerNumber: docInsurer, cardSymbol: '12', cardNumber: '3456', branchNumber: '00' };
const clinic = institutionCode('13', '1', '100001');

const insurerA = insurerNumber('06', '14', '101');
const insurerB = insurerNumber('06', '14', '102');
const insurerRecord = (number: string) => ({
  kind: 'insurer',
  insurerNumber: number,
  name: `組合${number}`,
  insurerKind: 'kumiai',
  prefectureCode: '14',
});
const acquire = (number: string, cardNumber: string, extra: object = {}) => ({
  kind: 'acquire',
  insurerNumber: number,
  cardSymbol: 'K',
  cardNumber,
  qualificationDate: '2020-04-01',
  name: '神奈川　一郎',
  nameKana: 'ｶﾅｶﾞﾜ ｲﾁﾛｳ',
  sex: '1',
  birthdate: '1988-08-08',
  cardClassification: '01',
  personalFamily: '1',
  incomeTier: 'general',
  ...extra,
});

/** A store whose writes fail from the n-th one on, as a crashing disk would. */
function failingAfter(store: Store, writes: number): Store {
  let count = 0;
  const wrap = (s: Store): Store => ({
    ...s,
    run: async (sql, params) => {
      count += 1;
      if (count >= writes) throw new Error('simulated failure');
      return s.run(sql, params);
    },
    transaction: (fn) => s.transaction((tx) => fn(wrap(tx))),
  });
  return wrap(store);
}

async function count(store: Store, table: 'insurers' | 'qualifications' | 'feed_files'): Promise<number> {
  const row = await store.get<{ n: number }>(`select count(*) as n from ${table}`);
  return row?.n ?? 0;
}

forEachStore('insurer feed', (store) => {
  const feed = () => createFeedService({ store: store(), clock: fixedClock });

  it('imports the documented example and records the history', async () => {
    const report = await feed().importFile({ content: documentedExample() });
    assert.deepEqual(report, {
      fileId: '06139992-20240401-001',
      rowsTotal: 4,
      rowsApplied: 4,
      rowsRejected: 0,
      rejected: [],
      duplicate: false,
    });
    const [q] = await findByCardKey(store(), docCard);
    assert.equal(q?.disqualificationDate, '2025-01-01');
    assert.equal(q?.reasonOfLoss, '03');
    assert.equal(q?.incomeTier, 'high1');
    const events = await listEvents(store(), q!.qualificationId);
    assert.deepEqual(
      events.map((e) => [e.kind, e.effectiveDate, e.feedFileId]),
      [
        ['acquire', '2024-04-01', '06139992-20240401-001'],
        ['change', '2024-04-01', '06139992-20240401-001'],
        ['change', '2024-06-01', '06139992-20240401-001'],
        ['lose', '2025-01-01', '06139992-20240401-001'],
      ],
    );
    const eligibility = createEligibilityService({
      store: store(),
      clock: fixedClock,
      audit: createAuditLog({ store: store(), clock: fixedClock }),
    });
    const confirm = (date: string) =>
      eligibility.confirm(
        {
          MessageHeader: { QualificationConfirmationDate: date, MedicalInstitutionCode: clinic },
          MessageBody: {
            QualificationConfirmSearchInfo: {
              InsurerNumber: docInsurer,
              InsuredCardSymbol: '12',
              InsuredIdentificationNumber: '3456',
              InsuredBranchNumber: '00',
              Birthdate: '19900505',
              LimitApplicationCertificateRelatedConsFlg: '1',
            },
          },
        },
        { characterCode: '0' },
      );
    const valid = await confirm('20240601');
    assert.equal(valid.MessageBody.QualificationValidity, '1');
    const row = valid.MessageBody.ResultList?.ResultOfQualificationConfirmation[0];
    assert.equal(row?.Address, '東京都千代田区霞が関1-2-2');
    assert.equal(
      row?.LimitApplicationCertificateRelatedInfo?.LimitApplicationCertificateClassificationFlag,
      'A03',
    );
    assert.equal((await confirm('20250101')).MessageBody.QualificationValidity, '2');
  });

  it('applies a file once: the same id and content again returns the stored report', async () => {
    const again = await feed().importFile({ content: documentedExample() });
    assert.equal(again.duplicate, true);
    assert.equal(again.rowsApplied, 4);
    const [q] = await findByCardKey(store(), docCard);
    assert.equal((await listEvents(store(), q!.qualificationId)).length, 4);
  });

  it('refuses the same id with other content (FEED_FILE_CONFLICT) and applies nothing of it', async () => {
    const content = ndjson(header('06139992-20240401-001'), insurerRecord(insurerA));
    await assert.rejects(
      feed().importFile({ content }),
      (e: unknown) => e instanceof OnshiError && e.code === 'FEED_FILE_CONFLICT',
    );
    assert.equal(await count(store(), 'insurers'), 1);
  });

  it('imports concurrent copies of one file exactly once', async () => {
    const content = ndjson(header('race-1'), insurerRecord(insurerA), acquire(insurerA, '1'));
    const reports = await Promise.all([feed().importFile({ content }), feed().importFile({ content })]);
    assert.deepEqual(reports.map((r) => r.duplicate).sort(), [false, true]);
    assert.equal(
      (
        await findByCardKey(store(), {
          insurerNumber: insurerA,
          cardSymbol: 'K',
          cardNumber: '1',
          branchNumber: '',
        })
      ).length,
      1,
    );
  });

  it('lists rejected rows with their line numbers and applies the others', async () => {
    const content = ndjson(
      header('mixed-1', { insurerNumber: insurerA }),
      acquire(insurerA, '2'), // line 2: ok
      '{ not json', // line 3
      acquire(insurerA, '3', { birthdate: '1988-02-30' }), // line 4
      '', // line 5: blank, ignored
      acquire(insurerA, '4', { sex: '9' }), // line 6
      acquire(insurerB, '5'), // line 7: another insurer than the header's
      {
        kind: 'lose',
        insurerNumber: insurerA,
        cardSymbol: 'K',
        cardNumber: '999',
        disqualificationDate: '2024-01-01',
        reasonOfLoss: '01',
      }, // line 8
      acquire(insurerA, '2'), // line 9: already registered (by line 2)
      {
        kind: 'lose',
        insurerNumber: insurerA,
        cardSymbol: 'K',
        cardNumber: '2',
        disqualificationDate: '2020-04-01',
        reasonOfLoss: '01',
      }, // line 10
      acquire(insurerA, '6', { nickname: 'x' }), // line 11
      {
        kind: 'certificate',
        insurerNumber: insurerA,
        cardSymbol: 'K',
        cardNumber: '2',
        certificate: {
          type: 'elderly',
          issuanceDate: '2024-01-01',
          validStartDate: '2024-02-01',
          contributionRatio: 20,
        },
      }, // line 12: ok
    );
    const report = await importFeed(store(), { content, clock: fixedClock });
    assert.equal(report.rowsTotal, 10);
    assert.equal(report.rowsApplied, 2);
    assert.equal(report.rowsRejected, 8);
    assert.deepEqual(
      report.rejected.map((r) => [r.line, r.code]),
      [
        [3, 'FEED_ROW_INVALID'],
        [4, 'DATE_INVALID'],
        [6, 'CODE_UNKNOWN'],
        [7, 'FEED_ROW_INVALID'],
        [8, 'FEED_QUALIFICATION_UNKNOWN'],
        [9, 'FEED_ROW_INVALID'],
        [10, 'FEED_ROW_INVALID'],
        [11, 'FEED_ROW_INVALID'],
      ],
    );
    assert.equal(report.rejected[1]?.field, 'birthdate');
    assert.match(report.rejected[0]!.message, /^3 行目/);
    const [q] = await findByCardKey(store(), {
      insurerNumber: insurerA,
      cardSymbol: 'K',
      cardNumber: '2',
      branchNumber: '',
    });
    assert.equal(q?.disqualificationDate, undefined);
    assert.deepEqual(
      (await listEvents(store(), q!.qualificationId)).map((e) => e.kind),
      ['acquire', 'change'],
    );
  });

  it('leaves nothing applied when the import fails mid-file, and applies it when sent again', async () => {
    const content = ndjson(
      header('crash-1'),
      insurerRecord(insurerB),
      acquire(insurerB, '10'),
      acquire(insurerB, '11'),
    );
    const before = { insurers: await count(store(), 'insurers'), files: await count(store(), 'feed_files') };
    await assert.rejects(
      importFeed(failingAfter(store(), 5), { content, clock: fixedClock }),
      /simulated failure/,
    );
    assert.equal(await count(store(), 'insurers'), before.insurers);
    assert.equal(await count(store(), 'feed_files'), before.files);
    const report = await importFeed(store(), { content, clock: fixedClock });
    assert.equal(report.duplicate, false);
    assert.equal(report.rowsApplied, 3);
  });

  it('links a person across insurers by personKey: the old card answers 3 after a change of insurer', async () => {
    const content = ndjson(
      header('move-1'),
      acquire(insurerA, '20', { personKey: 'pk-20', birthdate: '1977-07-07' }),
      {
        kind: 'lose',
        insurerNumber: insurerA,
        cardSymbol: 'K',
        cardNumber: '20',
        disqualificationDate: '2024-05-01',
        reasonOfLoss: '03',
      },
      acquire(insurerB, '21', {
        personKey: 'pk-20',
        birthdate: '1977-07-07',
        qualificationDate: '2024-05-01',
      }),
    );
    assert.equal((await importFeed(store(), { content, clock: fixedClock })).rowsApplied, 3);
    const result = await createEligibilityService({
      store: store(),
      clock: fixedClock,
      audit: createAuditLog({ store: store(), clock: fixedClock }),
    }).confirm(
      {
        MessageHeader: { QualificationConfirmationDate: '20240601', MedicalInstitutionCode: clinic },
        MessageBody: {
          QualificationConfirmSearchInfo: {
            InsurerNumber: insurerA,
            InsuredCardSymbol: 'K',
            InsuredIdentificationNumber: '20',
            Birthdate: '19770707',
            LimitApplicationCertificateRelatedConsFlg: '0',
          },
        },
      },
      { characterCode: '0' },
    );
    assert.equal(result.MessageBody.QualificationValidity, '3');
  });

  it('imports the documented CSV example under the file id the caller gives', async () => {
    const content = documentedExample('csv');
    await assert.rejects(
      feed().importFile({ content }),
      (e: unknown) => e instanceof OnshiError && e.code === 'FEED_HEADER_INVALID',
    );
    const report = await feed().importFile({ fileId: 'csv-1', content });
    assert.deepEqual(report, {
      fileId: 'csv-1',
      rowsTotal: 4,
      rowsApplied: 4,
      rowsRejected: 0,
      rejected: [],
      duplicate: false,
    });
    const [q] = await findByCardKey(store(), { ...docCard, cardNumber: '3457' });
    assert.equal(q?.reasonOfLoss, '01');
    assert.equal((await listEvents(store(), q!.qualificationId)).length, 3);
    const file = await store().get<{ format: string }>('select format from feed_files where file_id = ?', [
      'csv-1',
    ]);
    assert.equal(file?.format, 'onshi-qualification-feed-csv/1');
    const bad = encoder.encode(
      'kind,insurerNumber,name,insurerKind,prefectureCode\ninsurer,06139992,x,nope,13\n"multi\nline",1\n',
    );
    const rejected = await feed().importFile({ fileId: 'csv-2', content: bad });
    assert.deepEqual(
      rejected.rejected.map((r) => [r.line, r.code]),
      [
        [2, 'FEED_ROW_INVALID'],
        [3, 'FEED_ROW_INVALID'],
      ],
    );
  });

  it('refuses a file with a bad header, format or encoding as a whole', async () => {
    const cases: [Uint8Array, string][] = [
      [ndjson({ ...header('h-1'), format: 'csv/9' }, insurerRecord(insurerA)), 'FEED_FORMAT_UNKNOWN'],
      [ndjson({ format: 'onshi-qualification-feed/1', createdAt: 'x' }), 'FEED_HEADER_INVALID'],
      [ndjson('', insurerRecord(insurerA)), 'FEED_HEADER_INVALID'],
      [new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'FEED_ENCODING_INVALID'],
    ];
    for (const [content, code] of cases) {
      await assert.rejects(
        feed().importFile({ content }),
        (e: unknown) => e instanceof OnshiError && e.code === code,
      );
    }
    await assert.rejects(
      feed().importFile({ fileId: 'other', content: ndjson(header('h-2')) }),
      (e: unknown) => e instanceof OnshiError && e.code === 'FEED_HEADER_INVALID',
    );
  });
});
