/**
 * The terminal's own local store (`DIR/.connector/terminal.db`, beside the connector's state.db):
 * staff users, their UI sessions, the institution's settings, the reader-session records, the consent
 * revocations made here and the 一括照会 batches.
 * Schema changes are numbered migrations applied in order; `PRAGMA user_version` holds the last.
 */
import { DatabaseSync } from 'node:sqlite';

const migrations: readonly string[] = [
  `CREATE TABLE users (
     login TEXT PRIMARY KEY,
     display_name TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('admin', 'clerk', 'viewer')),
     password_hash TEXT NOT NULL,
     disabled INTEGER NOT NULL DEFAULT 0,
     failed_logins INTEGER NOT NULL DEFAULT 0,
     locked_until INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE ui_sessions (
     id_hash TEXT PRIMARY KEY,
     login TEXT NOT NULL REFERENCES users (login),
     csrf TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE reader_sessions (
     id TEXT PRIMARY KEY,
     at INTEGER NOT NULL,
     kind TEXT NOT NULL,
     auth_method TEXT,
     outcome TEXT NOT NULL,
     face_file TEXT,
     error_code TEXT,
     summary TEXT NOT NULL
   );
   CREATE INDEX reader_sessions_at ON reader_sessions (at);`,
  // 2: consent revocations made here (card key → when central revoked), and 一括照会 batches.
  `CREATE TABLE consent_revocations (
     card_key TEXT NOT NULL,
     revoked_at INTEGER NOT NULL,
     login TEXT NOT NULL,
     recorded_at INTEGER NOT NULL
   );
   CREATE INDEX consent_revocations_card ON consent_revocations (card_key);
   CREATE TABLE batches (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('confirm', 'register')),
     source TEXT NOT NULL,
     label TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('sending', 'processing', 'done', 'failed')),
     total INTEGER NOT NULL,
     answered INTEGER NOT NULL DEFAULT 0,
     normal INTEGER NOT NULL DEFAULT 0,
     errors INTEGER NOT NULL DEFAULT 0,
     rejected TEXT NOT NULL,
     parts TEXT NOT NULL,
     results TEXT,
     error_code TEXT,
     error_message TEXT,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX batches_created ON batches (created_at);`,
];

/** The schema version this code writes. */
export const STATION_SCHEMA_VERSION = migrations.length;

export function openStationDb(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
  );
  migrate(db);
  return db;
}

function migrate(db: DatabaseSync): void {
  const current = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  if (current > migrations.length) {
    throw new Error(`terminal.db schema ${current} is newer than this program (${migrations.length})`);
  }
  for (let version = current; version < migrations.length; version++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migrations[version]!);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
