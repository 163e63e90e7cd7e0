/** feed_files: one row per imported insurer file, with its content hash and its import report. */
import type { Store } from '../store/store.ts';

export interface FeedFileRow {
  file_id: string;
  content_sha256: string;
  insurer_number: string | null;
  format: string;
  received_at: string;
  rows_total: number;
  rows_applied: number;
  rows_rejected: number;
  report: string;
}

/**
 * Claims the file id inside the import transaction. Resolves false when the id is already taken.
 * On PostgreSQL a concurrent import of the same id waits here until the first one commits or
 * rolls back, so two imports of one file never both apply it.
 */
export async function claimFeedFile(
  store: Store,
  file: {
    fileId: string;
    sha256: string;
    insurerNumber?: string | undefined;
    format: string;
    receivedAt: string;
  },
): Promise<boolean> {
  const changed = await store.run(
    `insert into feed_files (file_id, content_sha256, insurer_number, format, received_at, rows_total,
       rows_applied, rows_rejected, report)
     values (?, ?, ?, ?, ?, 0, 0, 0, '{}')
     on conflict (file_id) do nothing`,
    [file.fileId, file.sha256, file.insurerNumber ?? null, file.format, file.receivedAt],
  );
  return changed === 1;
}

export async function finishFeedFile(
  store: Store,
  file: { fileId: string; rowsTotal: number; rowsApplied: number; rowsRejected: number; report: string },
): Promise<void> {
  await store.run(
    'update feed_files set rows_total = ?, rows_applied = ?, rows_rejected = ?, report = ? where file_id = ?',
    [file.rowsTotal, file.rowsApplied, file.rowsRejected, file.report, file.fileId],
  );
}

export async function findFeedFile(store: Store, fileId: string): Promise<FeedFileRow | undefined> {
  return store.get<FeedFileRow>(
    `select file_id, content_sha256, insurer_number, format, received_at, rows_total, rows_applied,
       rows_rejected, report
     from feed_files where file_id = ?`,
    [fileId],
  );
}
