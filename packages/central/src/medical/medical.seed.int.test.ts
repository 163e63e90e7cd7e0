import assert from 'node:assert/strict';
import { it } from 'node:test';
import { jstDate } from '@onshi/core';
import { purgeExpired } from '../retention/retention.service.ts';
import { seedStore } from '../seed/seed.ts';
import { fixedClock } from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import { seedMedical, seedMedicalWhenEmpty } from './medical.seed.ts';

const asOf = '2026-11-01';

async function count(
  s: import('../store/store.ts').Store,
  sql: string,
  params: string[] = [],
): Promise<number> {
  return Number((await s.get<{ n: number }>(sql, params))?.n);
}

forEachStore('medical seed and retention', (store) => {
  it('generates claims and check-up files for the population and imports every one', async () => {
    const s = store();
    await seedStore(s, { persons: 150, seed: 3, asOf });
    const report = await seedMedical(s, { clock: fixedClock, seed: 3, asOf, persons: 150 });
    assert.equal(report.persons, 150);
    assert.ok(report.claimFiles > 0 && report.checkupFiles > 0, JSON.stringify(report));
    assert.equal(await count(s, 'select count(*) as n from medications'), report.medications);
    assert.equal(await count(s, 'select count(*) as n from checkup_results'), report.checkupItems);
    assert.equal(await count(s, 'select count(*) as n from claim_files'), report.claimFiles);
    // Every medication falls in a qualification of its person (insured on the day).
    const outside = await count(
      s,
      `select count(*) as n from medications m where not exists (select 1 from qualifications q
         where q.person_id = m.person_id and q.qualification_date <= m.service_date
           and (q.disqualification_date is null or q.disqualification_date > m.service_date))`,
    );
    assert.equal(outside, 0);
    assert.equal(await seedMedicalWhenEmpty(s, { clock: fixedClock, asOf }), undefined);
  });

  it('purges medications after 3 years and check-ups after 5, and nothing younger', async () => {
    const s = store();
    const medications = await count(s, 'select count(*) as n from medications');
    const old = await count(s, "select count(*) as n from medications where service_date < '2024-11-01'");
    const oldCheckups = await count(
      s,
      "select count(*) as n from checkup_results where exam_date < '2022-11-01'",
    );
    assert.ok(old > 0 && oldCheckups > 0, 'the seed reaches back far enough to test the purge');
    const report = await purgeExpired(s, '2027-11-01', 50);
    assert.equal(report.medicationCutoff, '2024-11-01');
    assert.equal(report.checkupCutoff, '2022-11-01');
    assert.equal(report.medicationsDeleted, old);
    assert.equal(report.checkupResultsDeleted, oldCheckups);
    assert.equal(await count(s, 'select count(*) as n from medications'), medications - old);
    assert.equal(
      await count(s, "select count(*) as n from medications where service_date < '2024-11-01'"),
      0,
    );
    assert.equal(await count(s, "select count(*) as n from checkup_files where exam_date < '2022-11-01'"), 0);
    assert.ok((await count(s, 'select count(*) as n from checkup_results')) > 0);
  });
});

forEachStore('medical seed within the retention window', (store) => {
  it('leads up to the clock’s today: a purge right after seeding deletes no medical data', async () => {
    const s = store();
    // A day well after the population's DEFAULT_AS_OF (2026-11-01), as a demo started later sees.
    const clock = { now: () => new Date('2027-03-15T03:00:00Z') };
    await seedStore(s, { persons: 150, seed: 5 });
    const seeded = await seedMedicalWhenEmpty(s, { clock, seed: 5, persons: 150 });
    assert.ok(seeded !== undefined && seeded.medications > 0 && seeded.checkupItems > 0);
    const newest = await s.get<{ d: string }>('select max(service_date) as d from medications');
    assert.ok(newest!.d > '2027-01-01', `medications lead up to today (newest ${newest!.d})`);
    const report = await purgeExpired(s, jstDate(clock.now()));
    assert.equal(report.medicationsDeleted, 0);
    assert.equal(report.checkupResultsDeleted, 0);
    assert.equal(await count(s, 'select count(*) as n from medications'), seeded.medications);
  });
});
