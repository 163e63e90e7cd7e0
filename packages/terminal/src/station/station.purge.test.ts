/**
 * terminal.db retention: reader sessions, consent revocations and finished batches older than the
 * connector's retention are deleted; running batches and younger rows stay. The terminal purges at
 * start and then every `purgeEveryMs`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { connectorDirs, ensureStateDir } from '../connector/connector.writer.ts';
import { openStationDb } from './station.db.ts';
import { createStationPurge } from './station.purge.ts';
import { startTerminal, terminalDbPath } from './station.start.ts';

const day = 86_400_000;
const now = Date.parse('2026-03-10T00:00:00Z');
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'onshi-station-purge-'));
  dirs.push(dir);
  return dir;
}

/** Rows aged `ageDays`: one reader session, one revocation, and one batch per state. */
function addRows(db: DatabaseSync, tag: string, ageDays: number): void {
  const at = now - ageDays * day;
  db.prepare(
    "INSERT INTO reader_sessions (id, at, kind, outcome, summary) VALUES (?, ?, 'confirmation', 'ok', ?)",
  ).run(`s-${tag}`, at, JSON.stringify({ name: '試験　花子' }));
  db.prepare(
    "INSERT INTO consent_revocations (card_key, revoked_at, login, recorded_at) VALUES (?, ?, 'clerk', ?)",
  ).run(`card-${tag}`, at, at);
  for (const state of ['sending', 'processing', 'done', 'failed']) {
    db.prepare(
      `INSERT INTO batches (id, kind, source, label, created_at, created_by, state, total, rejected, parts, results, updated_at)
       VALUES (?, 'confirm', 'csv', 'x', ?, 'clerk', ?, 1, '[]', '[]', ?, ?)`,
    ).run(`b-${tag}-${state}`, at, state, state === 'done' ? '[]' : null, at);
  }
}

function ids(db: DatabaseSync, sql: string): string[] {
  return (db.prepare(sql).all() as { id: string }[]).map((r) => r.id).sort();
}

describe('terminal.db retention', () => {
  it('deletes reader sessions, revocations and finished batches past the retention; keeps running batches', () => {
    const db = openStationDb(join(tempDir(), 'terminal.db'));
    try {
      addRows(db, 'old', 8);
      addRows(db, 'young', 6);
      const report = createStationPurge(db).purge(now - 7 * day);
      assert.deepEqual(report, { readerSessions: 1, consentRevocations: 1, batches: 2 });
      assert.deepEqual(ids(db, 'SELECT id FROM reader_sessions'), ['s-young']);
      assert.deepEqual(ids(db, 'SELECT card_key AS id FROM consent_revocations'), ['card-young']);
      assert.deepEqual(ids(db, 'SELECT id FROM batches'), [
        'b-old-processing',
        'b-old-sending',
        'b-young-done',
        'b-young-failed',
        'b-young-processing',
        'b-young-sending',
      ]);
    } finally {
      db.close();
    }
  });

  it('runs at the terminal start and then on every purge interval, with --retention-days', async () => {
    const dir = tempDir();
    ensureStateDir(connectorDirs(dir).state);
    const setup = openStationDb(terminalDbPath(dir));
    addRows(setup, 'old', 8);
    setup.close();
    let clockNow = now;
    const terminal = await startTerminal(
      {
        dir,
        centralUrl: 'https://127.0.0.1:9',
        institutionCode: '1310123458',
        uiPort: 0,
        options: { retentionMs: 7 * day, purgeEveryMs: 30, scanMs: 50 },
      },
      { clock: { now: () => new Date(clockNow) }, onError: () => {} },
    );
    try {
      const db = openStationDb(terminalDbPath(dir));
      try {
        assert.deepEqual(ids(db, 'SELECT id FROM reader_sessions'), [], 'purged at start');
        addRows(db, 'later', 6);
        clockNow += 2 * day;
        await new Promise((resolve) => setTimeout(resolve, 150));
        assert.deepEqual(ids(db, 'SELECT id FROM reader_sessions'), [], 'purged on the interval');
        assert.deepEqual(ids(db, "SELECT id FROM batches WHERE state IN ('done', 'failed')"), []);
        assert.equal(ids(db, "SELECT id FROM batches WHERE state IN ('sending', 'processing')").length, 4);
      } finally {
        db.close();
      }
    } finally {
      await terminal.close();
    }
  });
});
