/**
 * Import of an insurer feed file (M1.9, format in packages/central/docs/insurer-feed.md).
 *
 * - Idempotent by file id: the same id with the same content (SHA-256) returns the stored report
 *   without applying anything again; the same id with other content is FEED_FILE_CONFLICT.
 * - Each record is validated; rejected records are listed with their line numbers while the others
 *   apply.
 * - All accepted records and the feed_files row are written in ONE transaction: a crash or an
 *   unexpected error leaves nothing of the file applied, and the file can simply be sent again.
 */
import { createHash } from 'node:crypto';
import { type Clock, type ErrorCode, OnshiError, renderMessage } from '@onshi/core';
import type { Store } from '../store/store.ts';
import { applyRecord } from './feed.apply.ts';
import { csvColumns, parseCsv, rowToObject } from './feed.csv.ts';
import { FieldError } from './feed.fields.ts';
import {
  FEED_FORMAT_CSV,
  type FeedHeader,
  type FeedRecord,
  parseHeader,
  parseRecord,
} from './feed.format.ts';
import { claimFeedFile, findFeedFile, finishFeedFile } from './feed.repo.ts';

export interface FeedRejection {
  /** 1-based line number in the file (the header is line 1). */
  readonly line: number;
  readonly code: ErrorCode;
  /** The record field at fault, when known ('birthdate', 'certificate.validEndDate'). */
  readonly field?: string;
  readonly message: string;
}

export interface FeedReport {
  readonly fileId: string;
  readonly rowsTotal: number;
  readonly rowsApplied: number;
  readonly rowsRejected: number;
  readonly rejected: readonly FeedRejection[];
  /** True when this file id and content had been imported before and nothing was applied now. */
  readonly duplicate: boolean;
}

export interface ImportFeedInput {
  /** Overrides nothing: when both are given it must equal the header's fileId. */
  readonly fileId?: string | undefined;
  readonly content: Uint8Array;
  readonly clock: Clock;
}

interface ParsedLine {
  readonly line: number;
  readonly record?: FeedRecord;
  readonly error?: OnshiError;
}

function rejection(line: number, error: OnshiError): FeedRejection {
  const field = error instanceof FieldError ? error.field : undefined;
  return {
    line,
    code: error.code,
    ...(field === undefined ? {} : { field }),
    message: renderMessage(error.code, { ...error.params, line }),
  };
}

function decode(content: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    throw new OnshiError('FEED_ENCODING_INVALID');
  }
}

/** Parses a record object, turning a failure into a rejected line. */
function parsedLine(line: number, read: () => unknown): ParsedLine {
  try {
    return { line, record: parseRecord(read()) };
  } catch (error) {
    if (!(error instanceof OnshiError)) throw error;
    return { line, error };
  }
}

function parseNdjson(text: string): { header: FeedHeader; lines: ParsedLine[] } {
  const rawLines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const first = rawLines[0] ?? '';
  if (first.trim() === '')
    throw new OnshiError('FEED_HEADER_INVALID', { detail: '1行目にヘッダーがありません' });
  const header = parseHeader(first);
  const lines: ParsedLine[] = [];
  rawLines.forEach((raw, index) => {
    if (index === 0 || raw.trim() === '') return;
    lines.push(
      parsedLine(index + 1, () => {
        try {
          return JSON.parse(raw);
        } catch {
          throw new OnshiError('FEED_ROW_INVALID', { detail: 'JSONではありません' });
        }
      }),
    );
  });
  return { header, lines };
}

function parseCsvFeed(text: string): { header: FeedHeader; lines: ParsedLine[] } {
  const [first, ...rows] = parseCsv(text);
  const columns = csvColumns(first);
  const lines = rows.map((row) => parsedLine(row.line, () => rowToObject(columns, row.cells)));
  return { header: { format: FEED_FORMAT_CSV, createdAt: '' }, lines };
}

/** NDJSON when the text starts with '{' (its header line), CSV otherwise. */
function parseLines(text: string): { header: FeedHeader; lines: ParsedLine[] } {
  return text.trimStart().startsWith('{') ? parseNdjson(text) : parseCsvFeed(text);
}

function resolveFileId(header: FeedHeader, given: string | undefined): string {
  if (given !== undefined && header.fileId !== undefined && given !== header.fileId) {
    throw new OnshiError('FEED_HEADER_INVALID', {
      detail: `fileId ${header.fileId} が指定の ${given} と異なります`,
    });
  }
  const fileId = given ?? header.fileId;
  if (fileId === undefined || fileId === '')
    throw new OnshiError('FEED_HEADER_INVALID', { detail: 'fileId がありません' });
  return fileId;
}

/** Imports one feed file; see the module comment for the guarantees. */
export async function importFeed(store: Store, input: ImportFeedInput): Promise<FeedReport> {
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  const { header, lines } = parseLines(decode(input.content));
  const fileId = resolveFileId(header, input.fileId);
  const recordedAt = input.clock.now().toISOString();

  return store.transaction(async (tx) => {
    const claimed = await claimFeedFile(tx, {
      fileId,
      sha256,
      insurerNumber: header.insurerNumber,
      format: header.format,
      receivedAt: recordedAt,
    });
    if (!claimed) {
      const existing = await findFeedFile(tx, fileId);
      if (existing === undefined || existing.content_sha256 !== sha256) {
        throw new OnshiError('FEED_FILE_CONFLICT', { fileId });
      }
      return { ...(JSON.parse(existing.report) as FeedReport), duplicate: true };
    }
    const rejected: FeedRejection[] = [];
    for (const { line, record, error } of lines) {
      if (record === undefined) {
        rejected.push(rejection(line, error!));
        continue;
      }
      try {
        await applyRecord(
          { store: tx, fileId, recordedAt, insurerNumber: header.insurerNumber, line },
          record,
        );
      } catch (applyError) {
        // Only the record's own checks reject it (they run before its writes); anything else aborts.
        if (!(applyError instanceof OnshiError)) throw applyError;
        rejected.push(rejection(line, applyError));
      }
    }
    const report: FeedReport = {
      fileId,
      rowsTotal: lines.length,
      rowsApplied: lines.length - rejected.length,
      rowsRejected: rejected.length,
      rejected,
      duplicate: false,
    };
    await finishFeedFile(tx, { ...report, report: JSON.stringify(report) });
    return report;
  });
}

export interface FeedService {
  importFile(input: { fileId?: string | undefined; content: Uint8Array }): Promise<FeedReport>;
}

/** The feed import as the HTTP layer and the CLI call it. */
export function createFeedService(deps: { store: Store; clock: Clock }): FeedService {
  return {
    importFile: (input) => importFeed(deps.store, { ...input, clock: deps.clock }),
  };
}
