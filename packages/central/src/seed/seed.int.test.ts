import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CardQuery, padInsurerNumber, type QualificationConfirmRequest, toWireDate } from '@onshi/core';
import { createAuditLog } from '../audit/audit.writer.ts';
import { createEligibilityService } from '../eligibility/eligibility.service.ts';
import type { Store } from '../store/store.ts';
import { forEachStore } from '../test/stores.ts';
import { DEFAULT_AS_OF, generatePopulation } from './population.ts';
import { sampleCardQueries } from './sample.ts';
import { seedStore } from './seed.ts';

const clock = { now: () => new Date('2026-11-01T03:00:00Z') };

function request(q: CardQuery): QualificationConfirmRequest {
  return {
    MessageHeader: {
      QualificationConfirmationDate: toWireDate(DEFAULT_AS_OF),
      MedicalInstitutionCode: '1311234569',
    },
    MessageBody: {
      QualificationConfirmSearchInfo: {
        InsurerNumber: padInsurerNumber(q.insurerNumber),
        ...(q.cardSymbol === '' ? {} : { InsuredCardSymbol: q.cardSymbol }),
        InsuredIdentificationNumber: q.cardNumber,
        ...(q.branchNumber === '' ? {} : { InsuredBranchNumber: q.branchNumber }),
        Birthdate: toWireDate(q.birthdate),
        LimitApplicationCertificateRelatedConsFlg: '1',
      },
    },
  };
}

/** Card data of lost qualifications with the given 資格喪失事由. */
async function lostCards(store: Store, reason: string): Promise<CardQuery[]> {
  const rows = await store.all<Record<string, string>>(
    `select q.insurer_number, q.card_symbol, q.card_number, q.branch_number, p.birthdate
       from qualifications q join persons p on p.person_id = q.person_id
      where q.reason_of_loss = ? order by q.qualification_id limit 20`,
    [reason],
  );
  return rows.map((r) => ({
    insurerNumber: r.insurer_number!,
    cardSymbol: r.card_symbol!,
    cardNumber: r.card_number!,
    branchNumber: r.branch_number!,
    birthdate: r.birthdate!,
  }));
}

async function count(store: Store, table: string): Promise<number> {
  const row = await store.get<{ n: number }>(`select count(*) as n from ${table}`);
  return Number(row?.n);
}

forEachStore('seedStore', (store, dialect) => {
  test('writes exactly the generated population and reports progress', async () => {
    const progress: number[] = [];
    const report = await seedStore(store(), {
      persons: 1000,
      seed: 5,
      batchPersons: 300,
      onProgress: (done, total) => {
        assert.equal(total, 1000);
        progress.push(done);
      },
    });
    const expected = [...generatePopulation({ persons: 1000, seed: 5 })];
    assert.equal(report.persons, 1000);
    assert.equal(await count(store(), 'persons'), 1000);
    assert.equal(await count(store(), 'qualifications'), expected.flatMap((h) => h.qualifications).length);
    assert.equal(await count(store(), 'elderly_certificates'), report.elderlyCertificates);
    assert.equal(await count(store(), 'limit_certificates'), report.limitCertificates);
    assert.equal(await count(store(), 'specific_disease_certificates'), report.diseaseCertificates);
    assert.equal(await count(store(), 'insurers'), report.insurers);
    assert.equal(report.asOf, DEFAULT_AS_OF);
    assert.equal(progress.at(-1), 1000);
    assert.ok(progress.length >= 3);
    const first = expected[0]!.persons[0]!;
    const row = await store().get<{ name: string; name_kana: string; post_number: string }>(
      'select name, name_kana, post_number from persons where person_id = ?',
      [first.personId],
    );
    assert.deepEqual(row, { name: first.name, name_kana: first.nameKana, post_number: first.postNumber });
  });

  test('restores the indexes and the engine settings after the load', async () => {
    const indexes =
      dialect === 'sqlite'
        ? await store().all<{ name: string }>(
            "select name from sqlite_master where type = 'index' and tbl_name = 'qualifications'",
          )
        : await store().all<{ name: string }>(
            "select indexname as name from pg_indexes where tablename = 'qualifications'",
          );
    const names = indexes.map((i) => i.name);
    for (const name of ['qualifications_card', 'qualifications_person', 'qualifications_disqualification']) {
      assert.ok(names.includes(name), name);
    }
    if (dialect === 'sqlite') {
      const db = store().raw.sqlite!;
      assert.deepEqual({ ...db.prepare('pragma journal_mode').get() }, { journal_mode: 'wal' });
      assert.deepEqual({ ...db.prepare('pragma foreign_keys').get() }, { foreign_keys: 1 });
    }
  });

  test('sampleCardQueries returns current card data that finds its qualification', async () => {
    const queries = await sampleCardQueries(store(), 50, 3);
    assert.equal(queries.length, 50);
    assert.deepEqual(await sampleCardQueries(store(), 50, 3), queries);
    for (const q of queries) {
      const found = await store().all<{ person_id: number }>(
        `select q.person_id from qualifications q join persons p on p.person_id = q.person_id
          where q.insurer_number = ? and q.card_number = ? and q.card_symbol = ? and q.branch_number = ?
            and p.birthdate = ? and q.disqualification_date is null`,
        [q.insurerNumber, q.cardNumber, q.cardSymbol, q.branchNumber, q.birthdate],
      );
      assert.equal(found.length, 1);
    }
  });

  test('the check by card data agrees with the population: 有効, 無効（新しい資格あり）, 無効', async () => {
    const service = createEligibilityService({
      store: store(),
      clock,
      audit: createAuditLog({ store: store(), clock }),
    });
    const validity = async (q: CardQuery) =>
      (await service.confirm(request(q), { characterCode: '0' })).MessageBody.QualificationValidity;
    for (const q of await sampleCardQueries(store(), 100, 9)) assert.equal(await validity(q), '1');
    // Job changes and moves to 後期: the old card answers "invalid, a newer qualification exists".
    const changed = await lostCards(store(), '03');
    assert.ok(changed.length > 0);
    for (const q of changed) assert.equal(await validity(q), '3');
    // Deaths: nothing newer.
    const died = await lostCards(store(), '01');
    assert.ok(died.length > 0);
    for (const q of died) assert.equal(await validity(q), '2');
  });

  test('seeding again appends after the existing ids; later inserts get fresh ids', async () => {
    await seedStore(store(), { persons: 200, seed: 6 });
    assert.equal(await count(store(), 'persons'), 1200);
    const max = await store().get<{ id: number }>('select max(person_id) as id from persons');
    assert.equal(Number(max?.id), 1200);
    await store().run(
      "insert into persons (name, name_kana, sex, birthdate) values ('試験　太郎', 'ｼｹﾝ ﾀﾛｳ', '1', '2000-01-01')",
    );
    const added = await store().get<{ id: number }>(
      "select person_id as id from persons where name = '試験　太郎'",
    );
    assert.equal(Number(added?.id), 1201);
  });
});
