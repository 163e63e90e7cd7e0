/**
 * Reader-session records: one row per card confirmation, registration or reader event (wrong PIN,
 * blocked PIN, no face match, cancelled, error), kept in the terminal's store and pushed to the
 * live feed's subscribers. A record holds a summary for the desk (name, kana, birthdate, insurer,
 * card (記号・番号・枝番), validity, consents with their times, prescription choice), never a My
 * Number.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Clock, ConsentFlag } from '@onshi/core';

export type RecordKind = 'confirmation' | 'registration' | 'event';
export const readerEventKinds = ['pin-wrong', 'pin-blocked', 'face-no-match', 'cancelled', 'error'] as const;
export type ReaderEventKind = (typeof readerEventKinds)[number];

export interface RecordSummary {
  readonly name?: string;
  readonly kana?: string;
  readonly birthdate?: string;
  readonly insurerNumber?: string;
  readonly insurerName?: string;
  /** 記号・番号・枝番 of the card (the viewer asks central for medical information with them). */
  readonly symbol?: string;
  readonly number?: string;
  readonly branch?: string;
  readonly validFrom?: string;
  readonly validTo?: string;
  readonly copay?: string;
  readonly consents?: Partial<Record<ConsentFlag, string>>;
  /** When each consent was given and until when it holds (ISO, from …ConsTime / …AvailableTime). */
  readonly consentTimes?: Partial<
    Record<ConsentFlag, { readonly givenAt?: string; readonly expiresAt?: string }>
  >;
  readonly limitConsent?: string;
  readonly prescriptionIssueSelect?: string;
  readonly referenceNumber?: string;
  readonly triesLeft?: number;
  readonly errorMessage?: string;
}

export interface ReaderRecord {
  readonly id: string;
  /** ISO instant. */
  readonly at: string;
  readonly kind: RecordKind;
  readonly authMethod: string | undefined;
  /** A result outcome (valid, invalid, …), 'registered', an event kind, or 'error'. */
  readonly outcome: string;
  readonly faceFile: string | undefined;
  readonly errorCode: string | undefined;
  readonly summary: RecordSummary;
}

export type NewRecord = Omit<ReaderRecord, 'at'>;

type Row = {
  id: string;
  at: number;
  kind: RecordKind;
  auth_method: string | null;
  outcome: string;
  face_file: string | null;
  error_code: string | null;
  summary: string;
};

const fromRow = (row: Row): ReaderRecord => ({
  id: row.id,
  at: new Date(row.at).toISOString(),
  kind: row.kind,
  authMethod: row.auth_method ?? undefined,
  outcome: row.outcome,
  faceFile: row.face_file ?? undefined,
  errorCode: row.error_code ?? undefined,
  summary: JSON.parse(row.summary) as RecordSummary,
});

export interface ReaderRecords {
  add(record: NewRecord): ReaderRecord;
  get(id: string): ReaderRecord | undefined;
  /** Newest first. */
  recent(limit: number): ReaderRecord[];
  /** The records of [from, to) (epoch ms), newest first. */
  between(from: number, to: number): ReaderRecord[];
  /** Calls `listener` with every record added from now on; returns the unsubscribe function. */
  subscribe(listener: (record: ReaderRecord) => void): () => void;
}

export function createReaderRecords(db: DatabaseSync, clock: Clock): ReaderRecords {
  const listeners = new Set<(record: ReaderRecord) => void>();
  const insert = db.prepare(
    `INSERT INTO reader_sessions (id, at, kind, auth_method, outcome, face_file, error_code, summary)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare('SELECT * FROM reader_sessions WHERE id = ?');
  const newest = db.prepare('SELECT * FROM reader_sessions ORDER BY at DESC, rowid DESC LIMIT ?');
  const inRange = db.prepare(
    'SELECT * FROM reader_sessions WHERE at >= ? AND at < ? ORDER BY at DESC, rowid DESC LIMIT 100000',
  );
  return {
    add(record) {
      const at = clock.now().getTime();
      insert.run(
        record.id,
        at,
        record.kind,
        record.authMethod ?? null,
        record.outcome,
        record.faceFile ?? null,
        record.errorCode ?? null,
        JSON.stringify(record.summary),
      );
      const stored = { ...record, at: new Date(at).toISOString() };
      for (const listener of listeners) {
        try {
          listener(stored);
        } catch {
          // A broken subscriber (a closed stream) must not fail the reader's request.
        }
      }
      return stored;
    },
    get(id) {
      const row = byId.get(id) as Row | undefined;
      return row && fromRow(row);
    },
    recent(limit) {
      return (newest.all(limit) as Row[]).map(fromRow);
    },
    between(from, to) {
      return (inRange.all(from, to) as Row[]).map(fromRow);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
