import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OnshiError } from '@onshi/core';
import { createTestStore, dialects } from '../test/stores.ts';
import { appliedVersions, migrate, migrations } from './migrate.ts';
import { rewritePlaceholders } from './store.postgres.ts';
import { openStore } from './store.ts';

const insertInsurer =
  'insert into insurers (insurer_number, name, kind, prefecture_code) values (?, ?, ?, ?)';
const countInsurers = 'select count(*) as n from insurers';

describe('openStore', () => {
  it('refuses unknown URL schemes and an empty sqlite path', () => {
    assert.throws(
      () => openStore('mysql://x'),
      (e: unknown) => e instanceof OnshiError && e.code === 'CONFIG_INVALID',
    );
    assert.throws(
      () => openStore('sqlite:'),
      (e: unknown) => e instanceof OnshiError && e.code === 'CONFIG_INVALID',
    );
  });

  it('rewrites ? to $n outside quoted text', () => {
    assert.deepEqual(rewritePlaceholders('select ? , \'?\' , "a?" from t where x = ?'), {
      text: 'select $1 , \'?\' , "a?" from t where x = $2',
      count: 2,
    });
  });

  it('opens sqlite::memory:', async () => {
    const store = openStore('sqlite::memory:');
    await migrate(store);
    assert.deepEqual(
      await appliedVersions(store),
      migrations.map((m) => m.version),
    );
    await store.close();
  });
});

for (const dialect of dialects) {
  describe(`store [${dialect}]`, () => {
    it('applies the migrations once; a second run applies nothing', async () => {
      const t = await createTestStore(dialect, { migrated: false });
      try {
        assert.deepEqual(await appliedVersions(t.store), []);
        const first = await migrate(t.store);
        assert.deepEqual(
          first.applied,
          migrations.map((m) => m.version),
        );
        const second = await migrate(t.store);
        assert.deepEqual(second.applied, []);
        assert.equal(second.version, first.version);
        assert.deepEqual(
          await appliedVersions(t.store),
          migrations.map((m) => m.version),
        );
      } finally {
        await t.dispose();
      }
    });

    it('two stores migrating the same database at once apply each migration exactly once', async () => {
      const t = await createTestStore(dialect, { migrated: false });
      const other = openStore(t.url);
      try {
        const [a, b] = await Promise.all([migrate(t.store), migrate(other)]);
        assert.deepEqual(
          [...a.applied, ...b.applied].sort(),
          migrations.map((m) => m.version),
        );
        assert.deepEqual(
          await appliedVersions(other),
          migrations.map((m) => m.version),
        );
      } finally {
        await other.close();
        await t.dispose();
      }
    });

    it('commits, rolls back, nests savepoints and returns counts as numbers', async () => {
      const t = await createTestStore(dialect);
      const { store } = t;
      try {
        await store.transaction(async (tx) => {
          await tx.run(insertInsurer, ['01130012', 'A', 'kyokai', '13']);
          await tx
            .transaction(async (inner) => {
              await inner.run(insertInsurer, ['01140011', 'B', 'kyokai', '14']);
              throw new Error('inner fails');
            })
            .catch(() => undefined);
        });
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.run(insertInsurer, ['01150018', 'C', 'kyokai', '15']);
            throw new Error('boom');
          }),
          /boom/,
        );
        const row = await store.get<{ n: number }>(countInsurers);
        assert.deepEqual(row, { n: 1 });
        assert.equal(typeof row?.n, 'number');
        const changed = await store.run('update insurers set name = ? where kind = ?', ['A2', 'kyokai']);
        assert.equal(changed, 1);
        const person = await store.get<{ person_id: number }>(
          'insert into persons (name, name_kana, sex, birthdate) values (?, ?, ?, ?) returning person_id',
          ['山田　太郎', 'ﾔﾏﾀﾞ ﾀﾛｳ', '1', '1980-01-01'],
        );
        assert.equal(typeof person?.person_id, 'number');
      } finally {
        await t.dispose();
      }
    });

    it('keeps statements outside a transaction out of it', async () => {
      const t = await createTestStore(dialect);
      const { store } = t;
      try {
        let release!: () => void;
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        const tx = store
          .transaction(async (inner) => {
            await inner.run(insertInsurer, ['01130012', 'A', 'kyokai', '13']);
            await held;
            throw new Error('rolled back');
          })
          .catch(() => 'rolled back');
        // Issued while the transaction is open; must not see or join its uncommitted row.
        const outside = store.run(insertInsurer, ['01140011', 'B', 'kyokai', '14']);
        await new Promise((resolve) => setTimeout(resolve, 20));
        release();
        assert.equal(await tx, 'rolled back');
        assert.equal(await outside, 1);
        const rows = await store.all<{ insurer_number: string }>('select insurer_number from insurers');
        assert.deepEqual(rows, [{ insurer_number: '01140011' }]);
      } finally {
        await t.dispose();
      }
    });

    it('runs concurrent transactions one after the other, each committed', async () => {
      const t = await createTestStore(dialect);
      try {
        const numbers = ['01130012', '01140011', '01150018', '01160017'];
        await Promise.all(
          numbers.map((number) =>
            t.store.transaction(async (tx) => {
              const before = await tx.get<{ n: number }>(countInsurers);
              await new Promise((resolve) => setTimeout(resolve, 5));
              await tx.run(insertInsurer, [number, String(before?.n), 'kyokai', '13']);
            }),
          ),
        );
        const rows = await t.store.all<{ name: string }>('select name from insurers order by name');
        // Serialised on SQLite (each sees the previous commits); on PostgreSQL at least all commit.
        assert.equal(rows.length, numbers.length);
        if (dialect === 'sqlite')
          assert.deepEqual(
            rows.map((r) => r.name),
            ['0', '1', '2', '3'],
          );
      } finally {
        await t.dispose();
      }
    });

    it('answers many concurrent queries correctly (pipelined on PostgreSQL)', async () => {
      const t = await createTestStore(dialect);
      const { store } = t;
      try {
        await store.run(insertInsurer, ['01130012', 'A', 'kyokai', '13']);
        await store.run(insertInsurer, ['01140011', 'B', 'kyokai', '14']);
        const lookups = Array.from({ length: 200 }, (_, i) =>
          store.get<{ name: string }>('select name from insurers where insurer_number = ?', [
            i % 2 === 0 ? '01130012' : '01140011',
          ]),
        );
        // A failing statement in the middle must not disturb the others.
        const failing = store.get('select no_such_column from insurers').catch((e: Error) => e);
        const results = await Promise.all(lookups);
        assert.ok((await failing) instanceof Error);
        results.forEach((row, i) => {
          assert.equal(row?.name, i % 2 === 0 ? 'A' : 'B');
        });
      } finally {
        await t.dispose();
      }
    });

    it('completes statements issued from every phase of the event loop (writes batched per turn on PostgreSQL)', async () => {
      const t = await createTestStore(dialect);
      const { store } = t;
      try {
        await store.run(insertInsurer, ['01130012', 'A', 'kyokai', '13']);
        const name = () =>
          store.get<{ name: string }>('select name from insurers where insurer_number = ?', ['01130012']);
        const inPhase = (schedule: (run: () => void) => void) =>
          new Promise<unknown>((resolve, reject) => schedule(() => name().then(resolve, reject)));
        const answers = await Promise.all([
          inPhase((run) => setImmediate(run)),
          inPhase((run) => setImmediate(() => setImmediate(run))),
          inPhase((run) => setTimeout(run, 0)),
          inPhase((run) => process.nextTick(run)),
          inPhase((run) => queueMicrotask(run)),
        ]);
        assert.deepEqual(answers, Array(5).fill({ name: 'A' }));
      } finally {
        await t.dispose();
      }
    });

    it('enforces foreign keys', async () => {
      const t = await createTestStore(dialect);
      try {
        await assert.rejects(
          t.store.run(
            'insert into reference_numbers (institution_code, person_id, reference_number, updated_at) values (?, ?, ?, ?)',
            ['1311234567', 999, 'X', '2024-01-01T00:00:00'],
          ),
        );
      } finally {
        await t.dispose();
      }
    });
  });
}
