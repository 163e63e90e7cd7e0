/**
 * Retention of terminal.db: reader-session records (patients' names, cards, consents), consent
 * revocations made here and finished 一括照会 / 照会番号一括登録 batches with their results are
 * deleted once older than the connector's retention (`--retention-days`, default 7), at start and
 * every `purgeEveryMs` with the connector's own purge. Batches still sending or processing are kept
 * whatever their age; users, UI sessions and settings are not touched. Face files (`face/`) are
 * the receipt computer's.
 */
import type { DatabaseSync } from 'node:sqlite';

export interface StationPurgeReport {
  readonly readerSessions: number;
  readonly consentRevocations: number;
  readonly batches: number;
}

export interface StationPurge {
  /** Deletes what is older than `before` (epoch ms). */
  purge(before: number): StationPurgeReport;
}

export function createStationPurge(db: DatabaseSync): StationPurge {
  const sessions = db.prepare('DELETE FROM reader_sessions WHERE at < ?');
  const revocations = db.prepare('DELETE FROM consent_revocations WHERE recorded_at < ?');
  // A batch counts from its last change: a finished one from when it finished.
  const batches = db.prepare("DELETE FROM batches WHERE state IN ('done', 'failed') AND updated_at < ?");
  return {
    purge(before) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const report = {
          readerSessions: Number(sessions.run(before).changes),
          consentRevocations: Number(revocations.run(before).changes),
          batches: Number(batches.run(before).changes),
        };
        db.exec('COMMIT');
        return report;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
  };
}
