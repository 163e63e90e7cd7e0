/**
 * The audit chain on SQLite and PostgreSQL: appends chain and verify; each kind of tampering with
 * the table (edit, edit with a recomputed hash, delete in the middle and at the end, reorder) is
 * reported with its code at the right seq; two writers on one database (two "processes") appending
 * at once keep one valid, gap-free chain, also when each one's remembered head has gone stale
 * between its flushes, or is locked by another transaction (PostgreSQL).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore, type Store } from '../store/store.ts';
import { createTestStore, dialects } from '../test/stores.ts';
import { type AuditEntry, auditHash } from './audit.hash.ts';
import { appendAudit, appendAuditAfter, auditHead, listAccessesOf, listAuditPage } from './audit.repo.ts';
import { verifyAuditChain } from './audit.verify.ts';
import { createAuditLog } from './audit.writer.ts';

const clinic = '1310123453';
const clock = { now: () => new Date('2026-06-01T00:00:00Z') };

function entry(i: number): AuditEntry {
  return {
    institutionCode: clinic,
    terminalUser: `user${i % 3}`,
    personId: 100 + (i % 5),
    action: i % 2 === 0 ? 'check-card-data' : 'check-card',
    reason: i % 4 === 0 ? undefined : `reason ${i}`,
  };
}

async function withChain(dialect: 'sqlite' | 'postgres', n: number, fn: (store: Store) => Promise<void>) {
  const fixture = await createTestStore(dialect);
  try {
    const log = createAuditLog({ store: fixture.store, clock });
    await Promise.all(Array.from({ length: n }, (_, i) => log.append(entry(i + 1))));
    await fn(fixture.store);
  } finally {
    await fixture.dispose();
  }
}

for (const dialect of dialects) {
  describe(`audit chain [${dialect}]`, () => {
    it('chains every record to the one before and verifies', async () => {
      await withChain(dialect, 25, async (store) => {
        const records = await listAuditPage(store, 0, 100);
        assert.deepEqual(
          records.map((r) => r.seq),
          Array.from({ length: 25 }, (_, i) => i + 1),
        );
        for (let i = 1; i < records.length; i++) assert.equal(records[i]!.prevHash, records[i - 1]!.hash);
        assert.equal(records[3]!.reason, undefined);
        assert.equal(records[1]!.reason, 'reason 2');
        const verdict = await verifyAuditChain(store, { pageSize: 7 });
        assert.deepEqual(verdict, { ok: true, records: 25, headHash: records[24]!.hash });
      });
    });

    it('detects an edited record: AUDIT_RECORD_EDITED', async () => {
      await withChain(dialect, 10, async (store) => {
        await store.run("update audit_records set institution_code = '1310000000' where seq = 6");
        assert.deepEqual(await verifyAuditChain(store), {
          ok: false,
          code: 'AUDIT_RECORD_EDITED',
          seq: 6,
          records: 5,
        });
      });
    });

    it('detects an edited record whose hash was recomputed (the next link breaks)', async () => {
      await withChain(dialect, 10, async (store) => {
        const [r4] = await listAuditPage(store, 3, 1);
        const forged = { ...r4!, personId: 999 };
        await store.run('update audit_records set person_id = 999, hash = ? where seq = 4', [
          auditHash(forged, forged.prevHash),
        ]);
        const verdict = await verifyAuditChain(store);
        assert.equal(verdict.ok, false);
        assert.equal(!verdict.ok && verdict.code, 'AUDIT_RECORD_EDITED');
        assert.equal(!verdict.ok && verdict.seq, 4);
      });
    });

    it('detects a deleted record in the middle and at the end: AUDIT_RECORD_DELETED', async () => {
      await withChain(dialect, 10, async (store) => {
        await store.run('delete from audit_records where seq = 10');
        assert.deepEqual(await verifyAuditChain(store), {
          ok: false,
          code: 'AUDIT_RECORD_DELETED',
          seq: 10,
          records: 9,
        });
        await store.run('delete from audit_records where seq = 3');
        assert.deepEqual(await verifyAuditChain(store), {
          ok: false,
          code: 'AUDIT_RECORD_DELETED',
          seq: 3,
          records: 2,
        });
      });
    });

    it('detects two records swapped: AUDIT_RECORD_REORDERED', async () => {
      await withChain(dialect, 10, async (store) => {
        await store.run('update audit_records set seq = -5 where seq = 5');
        await store.run('update audit_records set seq = 5 where seq = 6');
        await store.run('update audit_records set seq = 6 where seq = -5');
        assert.deepEqual(await verifyAuditChain(store), {
          ok: false,
          code: 'AUDIT_RECORD_REORDERED',
          seq: 5,
          records: 4,
        });
      });
    });

    it('keeps one valid chain when two processes append at once', async () => {
      const fixture = await createTestStore(dialect);
      const second = openStore(fixture.url);
      try {
        const a = createAuditLog({ store: fixture.store, clock });
        const b = createAuditLog({ store: second, clock });
        const n = 300;
        const appended = await Promise.all([
          ...Array.from({ length: n }, (_, i) => a.append(entry(i))),
          ...Array.from({ length: n }, (_, i) => b.append({ ...entry(i), terminalUser: 'second' })),
          // and direct appends beside the writers
          appendAudit(second, [{ ...entry(0), at: clock.now().toISOString() }]),
        ]);
        assert.equal(appended.length, 2 * n + 1);
        const verdict = await verifyAuditChain(fixture.store, { pageSize: 97 });
        assert.deepEqual(verdict.ok && verdict.records, 2 * n + 1);
        const seqs = new Set(appended.flat().map((r) => r.seq));
        assert.equal(seqs.size, 2 * n + 1);
      } finally {
        await second.close();
        await fixture.dispose();
      }
    });

    it("keeps one valid chain when the writers take turns (each one's last head goes stale)", async () => {
      const fixture = await createTestStore(dialect);
      const second = openStore(fixture.url);
      try {
        const a = createAuditLog({ store: fixture.store, clock });
        const b = createAuditLog({ store: second, clock });
        const rounds = 20;
        const seqs: number[] = [];
        for (let round = 0; round < rounds; round++) {
          const appended = await Promise.all([
            ...Array.from({ length: 3 }, (_, i) => a.append(entry(round * 3 + i))),
            ...Array.from({ length: 2 }, (_, i) => b.append({ ...entry(i), terminalUser: 'second' })),
          ]);
          // and one writer alone, on a head it left itself
          appended.push(await a.append(entry(round)));
          seqs.push(...appended.map((r) => r.seq));
        }
        assert.equal(new Set(seqs).size, rounds * 6);
        const verdict = await verifyAuditChain(fixture.store, { pageSize: 50 });
        assert.deepEqual(verdict.ok && verdict.records, rounds * 6);
      } finally {
        await second.close();
        await fixture.dispose();
      }
    });

    it('appends after a stale remembered head without a gap or a fork', async () => {
      const fixture = await createTestStore(dialect);
      try {
        const at = clock.now().toISOString();
        const [first] = await appendAudit(fixture.store, [{ ...entry(1), at }]);
        await appendAudit(fixture.store, [{ ...entry(2), at }]);
        const stale = { seq: first!.seq, hash: first!.hash };
        const records = await appendAuditAfter(fixture.store, [{ ...entry(3), at }], stale);
        assert.equal(records[0]!.seq, 3);
        assert.deepEqual(await auditHead(fixture.store), { seq: 3, hash: records[0]!.hash });
        const verdict = await verifyAuditChain(fixture.store);
        assert.deepEqual(verdict.ok && verdict.records, 3);
      } finally {
        await fixture.dispose();
      }
    });

    if (dialect === 'postgres') {
      it('waits for a transaction that holds the head instead of writing beside it', async () => {
        const fixture = await createTestStore(dialect);
        const second = openStore(fixture.url);
        try {
          const at = clock.now().toISOString();
          const [first] = await appendAudit(fixture.store, [{ ...entry(1), at }]);
          const known = { seq: first!.seq, hash: first!.hash };
          let appending: Promise<unknown> | undefined;
          await second.transaction(async (tx) => {
            await tx.get('select seq from audit_head where id = 1 for update');
            appending = appendAuditAfter(fixture.store, [{ ...entry(2), at }], known);
            // the append skips the locked head and then queues for the lock in a transaction
            for (;;) {
              const waiting = await fixture.store.get<{ n: number }>(
                "select count(*) as n from pg_locks where not granted and locktype = 'transactionid'",
              );
              if (waiting!.n > 0) break;
              await new Promise((resolve) => setImmediate(resolve));
            }
            await appendAudit(tx, [{ ...entry(3), at }]);
          });
          await appending;
          const records = await listAuditPage(fixture.store, 0, 10);
          assert.deepEqual(
            records.map((r) => [r.seq, r.personId]),
            [
              [1, entry(1).personId],
              [2, entry(3).personId],
              [3, entry(2).personId],
            ],
          );
          const verdict = await verifyAuditChain(fixture.store);
          assert.deepEqual(verdict.ok && verdict.records, 3);
        } finally {
          await second.close();
          await fixture.dispose();
        }
      });
    }

    it("lists a person's accesses by institution, oldest first", async () => {
      await withChain(dialect, 10, async (store) => {
        await appendAudit(store, [{ action: 'disaster-open', at: '2026-06-02T00:00:00.000Z' }]);
        const log = await listAccessesOf(store, 101, 50);
        assert.deepEqual(
          log.map((e) => e.action),
          ['check-card', 'check-card-data'],
        );
        assert.ok(log.every((e) => e.institutionCode === clinic));
        assert.deepEqual(await listAccessesOf(store, 7, 50), []);
      });
    });
  });
}
