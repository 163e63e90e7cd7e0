/**
 * What both medical feeds share: the import report, file identity (id and content hash), and the
 * rejection that rolls a file's transaction back.
 *
 * - Idempotent: a file is known by its id (default: its SHA-256) and by its content hash. The same
 *   content again, under any id, is a duplicate and changes nothing; the same id with other content
 *   is MEDICAL_FILE_CONFLICT.
 * - Whole-file rejection: a file with any problem — syntax, order, encoding, an unknown person or
 *   drug — is rejected whole and leaves no trace in the store (not even its file row), so it can be
 *   corrected and sent again under the same id. The report lists every problem with its line.
 */
import { createHash } from 'node:crypto';
import { type ErrorCode, type ErrorParams, OnshiError, renderMessage } from '@onshi/core';
import type { Store } from '../store/store.ts';
import { findMedicalFile } from './medical.repo.ts';

export interface MedicalFileProblem {
  /** 1-based line of the file. */
  readonly line: number;
  readonly code: ErrorCode;
  readonly message: string;
}

export interface MedicalImportReport {
  readonly fileId: string;
  /** True when the file was stored now or before; false when it was rejected. */
  readonly accepted: boolean;
  /** True when this content had been imported before; nothing was written now. */
  readonly duplicate: boolean;
  /** Rows stored from the file (medications or check-up items); 0 when rejected. */
  readonly rows: number;
  readonly problems: readonly MedicalFileProblem[];
}

export interface MedicalFileInput {
  /** Defaults to the SHA-256 of the content (hex). */
  readonly fileId?: string | undefined;
  readonly content: Uint8Array;
}

export function sha256Hex(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

export function problem(line: number, code: ErrorCode, params: ErrorParams): MedicalFileProblem {
  return { line, code, message: renderMessage(code, { line, ...params }) };
}

export function rejected(fileId: string, problems: readonly MedicalFileProblem[]): MedicalImportReport {
  return { fileId, accepted: false, duplicate: false, rows: 0, problems };
}

/** Thrown inside an import transaction to roll it back; carries the problems to report. */
export class FileRejected extends Error {
  readonly problems: readonly MedicalFileProblem[];
  constructor(problems: readonly MedicalFileProblem[]) {
    super('file rejected');
    this.problems = problems;
  }
}

/**
 * Runs `write` in one transaction unless the file is already known: resolves the earlier import's
 * id for a duplicate, throws MEDICAL_FILE_CONFLICT for the id with other content. `write` claims
 * the file row first; when the claim loses a race, the check runs again.
 */
export async function importOnce(
  store: Store,
  table: 'claim_files' | 'checkup_files',
  file: { fileId: string; sha256: string },
  write: (tx: Store) => Promise<number | undefined>,
  duplicateRows: (tx: Store, fileId: string) => Promise<number>,
): Promise<MedicalImportReport> {
  try {
    return await store.transaction(async (tx) => {
      const earlier = await knownFile(tx, table, file);
      if (earlier !== undefined) return duplicate(earlier, await duplicateRows(tx, earlier));
      const rows = await write(tx);
      if (rows !== undefined)
        return { fileId: file.fileId, accepted: true, duplicate: false, rows, problems: [] };
      const raced = await knownFile(tx, table, file);
      return duplicate(raced ?? file.fileId, raced === undefined ? 0 : await duplicateRows(tx, raced));
    });
  } catch (error) {
    if (error instanceof FileRejected) return rejected(file.fileId, error.problems);
    throw error;
  }
}

function duplicate(fileId: string, rows: number): MedicalImportReport {
  return { fileId, accepted: true, duplicate: true, rows, problems: [] };
}

async function knownFile(
  tx: Store,
  table: 'claim_files' | 'checkup_files',
  file: { fileId: string; sha256: string },
): Promise<string | undefined> {
  const row = await findMedicalFile(tx, table, file.fileId, file.sha256);
  if (row === undefined) return undefined;
  if (row.file_id === file.fileId && row.content_sha256 !== file.sha256) {
    throw new OnshiError('MEDICAL_FILE_CONFLICT', { fileId: file.fileId });
  }
  return row.file_id;
}
