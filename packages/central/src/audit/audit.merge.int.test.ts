/**
 * The deferred index by person (migration 008, audit.merge.ts) on SQLite and PostgreSQL: a
 * person's access log is complete right after a check (nothing merged), after a merge, across a
 * merge and later appends, after a "crash" between append and merge (the store closed without
 * merging and opened again) and after one inside a merge (entries written, watermark not moved);
 * the merge catches up in steps; the migration copies the existing records; `onshi audit verify`
 * reports an index that lost, gained or changed an entry, or a watermark moved past unmerged records.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foundByDisasterSearch } from '../medinfo/medinfo.repo.ts';
import { migrate, migrations } from '../store/migrate.ts';
import { openStore, type Store } from '../store/store.ts';
import { createTestStore, dialects, withTestStore } from '../test/stores.ts';
import type { AuditEntry } from './audit.hash.ts';
import { mergeAuditPersons, startAuditMerger } from './audit.merge.ts';
import { appendAudit, listAccessesOf } from './audit.repo.ts';
import { verifyAuditChain } from './audit.verify.ts';
import { createAuditLog } from './audit.writer.ts';

const clinic = '1310123453';
const hospital = '2710987654';
const clock = { now: () => new Date('2026-06-01T00:00:00Z') };

/** Record i is about person 100 + i % 5, by the clinic (even i) or the hospital (odd i). */
function entry(i: number): AuditEntry & { at: string } {
  return {
    at: new Date(Date.UTC(2026, 5, 1, 0, 0, i)).toISOString(),
    institutionCode: i % 2 === 0 ? clinic : hospital,
    personId: 100 + (i % 5),
    action: i % 3 === 0 ? 'view-medication' : 'check-card-data',
  };
}

/** What the access log of `person` must be for records 1‥n made by `entry`. */
function expectedLog(person: number, n: number) {
  const all = Array.from({ length: n }, (_, k) => entry(k + 1)).filter((e) => e.personId === person);
  return all.map((e) => ({ at: e.at, institutionCode: e.institutionCode, action: e.action }));
}

async function watermark(store: Store): Promise<number> {
  return Number((await store.get<{ seq: number }>('select seq from audit_merge where id = 1'))!.seq);
}

async function entries(store: Store): Promise<number> {
  return Number((await store.get<{ n: number }>('select count(*) as n from audit_person'))!.n);
}

async function appendRange(store: Store, first: number, last: number): Promise<void> {
  const list = [];
  for (let i = first; i <= last; i++) list.push(entry(i));
  await appendAudit(store, list);
}

for (const dialect of dialects) {
  describe(`audit index by person [${dialect}]`, () => {
    it('lists a check in the access log right after it is answered, before any merge', async () => {
      await withTestStore(dialect, async (store) => {
        const log = createAuditLog({ store, clock });
        await log.append({ institutionCode: clinic, personId: 555, action: 'check-card-data' });
        assert.equal(await entries(store), 0);
        assert.deepEqual(await listAccessesOf(store, 555, 50), [
          { at: clock.now().toISOString(), institutionCode: clinic, action: 'check-card-data' },
        ]);
        assert.deepEqual(await verifyAuditChain(store), {
          ok: true,
          records: 1,
          headHash: (await store.get<{ hash: string }>('select hash from audit_head'))!.hash,
        });
      });
    });

    it('lists the same before a merge, after it, and with records appended after it', async () => {
      await withTestStore(dialect, async (store) => {
        await appendRange(store, 1, 30);
        const before = await listAccessesOf(store, 102, 50);
        assert.deepEqual(before, expectedLog(102, 30));
        const report = await mergeAuditPersons(store);
        assert.deepEqual(report, { from: 0, to: 30, entries: 30 });
        assert.equal(await watermark(store), 30);
        assert.equal(await entries(store), 30);
        assert.deepEqual(await listAccessesOf(store, 102, 50), before);
        await appendRange(store, 31, 42);
        await appendAudit(store, [{ action: 'disaster-open', at: entry(43).at }]);
        assert.deepEqual(await listAccessesOf(store, 102, 50), expectedLog(102, 42));
        // the last `limit`, oldest first, across the merged and the unmerged part
        assert.deepEqual(await listAccessesOf(store, 102, 3), expectedLog(102, 42).slice(-3));
        assert.deepEqual(await mergeAuditPersons(store), { from: 30, to: 43, entries: 12 });
        assert.deepEqual(await listAccessesOf(store, 102, 50), expectedLog(102, 42));
        assert.equal((await verifyAuditChain(store, { pageSize: 7 })).ok, true);
      });
    });

    it('finds a disaster search by the person whether it is merged or not', async () => {
      await withTestStore(dialect, async (store) => {
        const at = '2026-06-01T03:00:00.000Z';
        await appendAudit(store, [
          { at, institutionCode: clinic, personId: 7, action: 'disaster-search', reason: '避難所' },
        ]);
        assert.equal(await foundByDisasterSearch(store, clinic, 7, '2026-06-01T00:00:00.000Z'), true);
        await mergeAuditPersons(store);
        assert.equal(await foundByDisasterSearch(store, clinic, 7, '2026-06-01T00:00:00.000Z'), true);
        assert.equal(await foundByDisasterSearch(store, hospital, 7, '2026-06-01T00:00:00.000Z'), false);
      });
    });

    it('loses nothing when the process stops between append and merge (store reopened)', async () => {
      const fixture = await createTestStore(dialect);
      const first = openStore(fixture.url);
      try {
        await appendRange(fixture.store, 1, 10);
        await mergeAuditPersons(fixture.store);
        const log = createAuditLog({ store: first, clock });
        for (let i = 11; i <= 20; i++) await log.append(entry(i));
      } finally {
        await first.close(); // the "crash": no merge ran after these appends
      }
      const reopened = openStore(fixture.url);
      try {
        assert.equal(await watermark(reopened), 10);
        for (const person of [100, 101, 102, 103, 104]) {
          assert.deepEqual(await listAccessesOf(reopened, person, 50), expectedLog(person, 20));
        }
        assert.equal((await verifyAuditChain(reopened)).ok, true);
        const merger = startAuditMerger({ store: reopened, intervalMs: 3_600_000 });
        await merger.mergeNow();
        await merger.stop();
        assert.equal(await watermark(reopened), 20);
        assert.equal(await entries(reopened), 20);
        for (const person of [100, 101, 102, 103, 104]) {
          assert.deepEqual(await listAccessesOf(reopened, person, 50), expectedLog(person, 20));
        }
      } finally {
        await reopened.close();
        await fixture.dispose();
      }
    });

    it('loses and repeats nothing when a merge stops after some of its slices', async () => {
      await withTestStore(dialect, async (store) => {
        await appendRange(store, 1, 25);
        // a merge that wrote the entries of persons 100 and 101, then died before the watermark moved
        await store.run(
          'insert into audit_person (person_id, seq) select person_id, seq from audit_records where person_id < 102',
        );
        assert.equal(await watermark(store), 0);
        for (const person of [100, 101, 102]) {
          assert.deepEqual(await listAccessesOf(store, person, 50), expectedLog(person, 25));
        }
        assert.equal((await verifyAuditChain(store)).ok, true);
        assert.deepEqual(await mergeAuditPersons(store, { sliceEntries: 4 }), {
          from: 0,
          to: 25,
          entries: 25,
        });
        assert.equal(await entries(store), 25);
        for (const person of [100, 101, 102]) {
          assert.deepEqual(await listAccessesOf(store, person, 50), expectedLog(person, 25));
        }
      });
    });

    it('catches up in steps of maxRecords, and a merge with nothing new changes nothing', async () => {
      await withTestStore(dialect, async (store) => {
        await appendRange(store, 1, 25);
        const merger = startAuditMerger({ store, intervalMs: 3_600_000, maxRecords: 7 });
        await merger.mergeNow();
        await merger.stop();
        assert.equal(await watermark(store), 25);
        assert.equal(await entries(store), 25);
        assert.deepEqual(await mergeAuditPersons(store), { from: 25, to: 25, entries: 0 });
        assert.equal((await verifyAuditChain(store)).ok, true);
      });
    });

    it('verify reports an index entry deleted, added or changed, and a watermark moved ahead', async () => {
      await withTestStore(dialect, async (store) => {
        await appendRange(store, 1, 20);
        await mergeAuditPersons(store);
        await appendRange(store, 21, 24);
        const mismatch = (seq: number) => ({
          ok: false,
          code: 'AUDIT_PERSON_INDEX_MISMATCH',
          seq,
          records: seq - 1,
        });
        // deleted: record 8 (person 103) would vanish from the patient's log
        await store.run('delete from audit_person where seq = 8');
        assert.equal((await listAccessesOf(store, 103, 50)).length, expectedLog(103, 24).length - 1);
        assert.deepEqual(await verifyAuditChain(store), mismatch(8));
        await store.run('insert into audit_person (person_id, seq) values (103, 8)');
        assert.equal((await verifyAuditChain(store)).ok, true);
        // changed: record 6 shown to another person
        await store.run('update audit_person set person_id = 104 where seq = 6');
        assert.deepEqual(await verifyAuditChain(store), mismatch(6));
        await store.run('update audit_person set person_id = 101 where seq = 6');
        // added: an entry for a record that is not about that person
        await store.run('insert into audit_person (person_id, seq) values (999, 3)');
        assert.deepEqual(await verifyAuditChain(store), mismatch(3));
        await store.run('delete from audit_person where person_id = 999');
        // the watermark moved past records 21‥24, which have no entries: hidden from the log
        await store.run('update audit_merge set seq = 24 where id = 1');
        assert.deepEqual(await verifyAuditChain(store), mismatch(21));
        await store.run('update audit_merge set seq = 20 where id = 1');
        assert.equal((await verifyAuditChain(store)).ok, true);
        // the watermark row deleted: every record is read as unmerged, nothing is missed
        await store.run('delete from audit_merge');
        assert.deepEqual(await listAccessesOf(store, 103, 50), expectedLog(103, 24));
        assert.equal((await verifyAuditChain(store)).ok, true);
        await mergeAuditPersons(store);
        assert.equal(await watermark(store), 24);
        assert.deepEqual(await listAccessesOf(store, 103, 50), expectedLog(103, 24));
      });
    });

    it('migration 008 copies the existing records into the index and sets the watermark', async () => {
      await withTestStore(
        dialect,
        async (store) => {
          await migrate(
            store,
            migrations.filter((m) => m.version < 8),
          );
          await appendRange(store, 1, 15);
          await appendAudit(store, [{ action: 'disaster-open', at: entry(16).at }]);
          await migrate(store);
          assert.equal(await watermark(store), 16);
          assert.equal(await entries(store), 15);
          assert.deepEqual(await listAccessesOf(store, 104, 50), expectedLog(104, 15));
          assert.equal((await verifyAuditChain(store)).ok, true);
          await appendRange(store, 17, 18);
          assert.deepEqual(await listAccessesOf(store, 102, 50), expectedLog(102, 18));
        },
        { migrated: false },
      );
    });
  });
}
