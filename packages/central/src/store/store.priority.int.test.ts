/**
 * SQLite write priority between connections of one process (`WritePriority`): a connection that
 * writes first gets the write lock before one that yields, when both wait for it; one that yields
 * is not held back longer than its `maxWaitMs`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore, writePriorityCells } from './store.sqlite.ts';
import type { Store } from './store.ts';

describe('SQLite write priority', () => {
  let dir: string;
  let path: string;
  const opened: Store[] = [];
  const open = (options: Parameters<typeof openSqliteStore>[1] = {}) => {
    const store = openSqliteStore(path, options);
    opened.push(store);
    return store;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onshi-priority-'));
    path = join(dir, 'p.db');
    await open().run('create table t (who text)', []);
  });
  after(async () => {
    for (const store of opened) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets the connection that writes first take the lock before the one that yields', async () => {
    const cells = writePriorityCells();
    const holder = open();
    const first = open({ writePriority: { cells, first: true } });
    const yielding = open({ writePriority: { cells, first: false } });
    const order: string[] = [];
    let releaseHolder!: () => void;
    const held = new Promise<void>((resolve) => {
      releaseHolder = resolve;
    });
    const holding = holder.transaction(async (tx) => {
      await tx.run("insert into t values ('holder')", []);
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Both wait for the holder's lock; the yielding one asks first.
    const y = yielding.transaction(async (tx) => {
      order.push('yielding');
      await tx.run("insert into t values ('yielding')", []);
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const f = first.transaction(async (tx) => {
      order.push('first');
      await tx.run("insert into t values ('first')", []);
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    releaseHolder();
    await Promise.all([holding, y, f]);
    assert.deepEqual(order, ['first', 'yielding']);
    assert.equal(Atomics.load(cells, 0), 0, 'the count is back to zero');
  });

  it('does not hold the yielding connection back longer than maxWaitMs', async () => {
    const cells = writePriorityCells();
    Atomics.store(cells, 0, 1); // a first writer that never finishes
    const yielding = open({ writePriority: { cells, first: false, maxWaitMs: 40 } });
    const started = performance.now();
    await yielding.transaction((tx) => tx.run("insert into t values ('late')", []));
    const waited = performance.now() - started;
    assert.ok(waited >= 35, `waited ${waited.toFixed(1)} ms`);
    assert.ok(waited < 1000, `waited ${waited.toFixed(1)} ms`);
  });
});
