/**
 * 一括照会 (OQSmuquc) and 照会番号一括登録 (OQSmuimm) from the staff UI: the validated rows of a
 * CSV file or of the day's reader sessions are sent to central as JSON uploads (01req → 受付番号),
 * then central's results are asked for (02req) until `SegmentOfResult` is 1, and the units are
 * matched back to the rows and ordered problems first.
 *
 * One terminal batch may be several uploads: central's 01req carries one 資格確認日 per file, so
 * the rows are grouped by their date, one upload ("part") per date. The batch, its parts and their
 * 受付番号 are kept in terminal.db, so that a reload of the page or a restart of the terminal finds
 * the running batches: a part without its 受付番号 yet (a crash between the insert and central's
 * answer) is sent again with the same `ArbitraryFileIdentifier` and rows, which central answers
 * with the same 受付番号 (its duplicate rule). Central is asked for progress when the screen asks
 * (at most once per `pollMs` per batch); the results are kept here once complete (central purges
 * its copy after ONSHI_BATCH_RESULT_DAYS).
 */
import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import {
  addDays,
  type BulkConfirmUnit,
  type BulkQualificationConfirmRequest,
  type BulkQualificationConfirmResult,
  type BulkReferenceNumberRegistrationInfo,
  type BulkReferenceNumberRegistrationRequest,
  type BulkReferenceNumberRegistrationResult,
  type BulkReferenceNumberRegistrationUnit,
  type BulkUploadResult,
  bulkQualificationConfirmResultSchema,
  bulkQualificationConfirmUploadResultSchema,
  bulkReferenceNumberRegistrationResultSchema,
  bulkReferenceNumberRegistrationUploadResultSchema,
  type Clock,
  fromWireDate,
  jstDate,
  type MessageSchema,
  messageFromJson,
  messageToJson,
  OnshiError,
} from '@onshi/core';
import { type BatchKind, type BatchRow, encodeCsv, type RowProblem, toCsv } from './station.batch.csv.ts';
import type { StationCentralClient } from './station.central.ts';
import { terminalUserHeader } from './station.medinfo.ts';
import type { ReaderRecord } from './station.records.ts';
import type { Text } from './station.result.ts';

/** Central's batch routes (packages/central batch.routes.ts `batchPaths`). */
export const batchPaths: Readonly<Record<BatchKind, { upload: string; results: string }>> = {
  confirm: {
    upload: '/oqs/v1/bulk-qualification-confirmations',
    results: '/oqs/v1/bulk-qualification-confirmations/results',
  },
  register: {
    upload: '/oqs/v1/bulk-reference-numbers',
    results: '/oqs/v1/bulk-reference-numbers/results',
  },
};

/** Rows one terminal batch may carry (the screen's uploads; larger files go through the connector). */
export const MAX_BATCH_ROWS = 20_000;

export type BatchState = 'sending' | 'processing' | 'done' | 'failed';

/** One upload to central: the rows of one 資格確認日. */
export interface BatchPart {
  /** yyyy-MM-dd (一括照会). */
  readonly date?: string | undefined;
  readonly fileIdentifier: string;
  /** The batch rows (file row numbers) in the order sent: central's RowNumber n is rows[n - 1]. */
  readonly rows: readonly number[];
  /**
   * The JSON upload, kept until central has given the 受付番号 (to send it again after a crash);
   * for 照会番号一括登録 kept until done, since central echoes the card data of failed rows only.
   */
  readonly request?: unknown;
  readonly receptionNumber?: string | undefined;
  readonly receivedAt?: string | undefined;
  readonly done?: boolean;
  readonly total: number;
  readonly answered: number;
  readonly normal: number;
  readonly errors: number;
  /** Central's units, until the whole batch is done (then they become the results). */
  readonly units?: readonly unknown[];
}

/** Where a row stands (the filter values of the screen; the order is the results table's). */
export const outcomes = [
  'rejected',
  'error',
  'invalid',
  'invalidNew',
  'notFound',
  'multiple',
  'limitChanged',
  'valid',
  'validUnregistered',
  'registered',
] as const;
export type BatchOutcome = (typeof outcomes)[number];

/** Before these, a row is a problem (shown first). */
const firstFine: BatchOutcome = 'valid';

const isProblem = (outcome: BatchOutcome) => outcomes.indexOf(outcome) < outcomes.indexOf(firstFine);

/** The labels of the screen, the CSV export and the filter (the page shows them as they come). */
export const outcomeLabels: Readonly<Record<BatchOutcome, Text>> = {
  rejected: { ja: '未送信（CSVの誤り）', en: 'Not sent (CSV error)' },
  error: { ja: '処理エラー', en: 'Error' },
  invalid: { ja: '無効', en: 'Invalid' },
  invalidNew: { ja: '無効（新しい資格あり）', en: 'Invalid (newer qualification)' },
  notFound: { ja: '該当資格なし', en: 'Not found' },
  multiple: { ja: '複数該当', en: 'Several matches' },
  limitChanged: { ja: '有効（限度額に変更あり）', en: 'Valid (limit certificate changed)' },
  valid: { ja: '有効', en: 'Valid' },
  validUnregistered: { ja: '有効（未登録）', en: 'Valid (unregistered)' },
  registered: { ja: '登録済み', en: 'Registered' },
};

/** The outcomes a batch of a kind can have, in the results table's order, with label and problem flag. */
export interface OutcomeInfo {
  readonly outcome: BatchOutcome;
  readonly label: Text;
  readonly problem: boolean;
}

const outcomesOfKind: Readonly<Record<BatchKind, readonly BatchOutcome[]>> = {
  confirm: outcomes.filter((o) => o !== 'registered'),
  register: ['rejected', 'error', 'registered'],
};

export function outcomeInfo(kind: BatchKind): OutcomeInfo[] {
  return outcomesOfKind[kind].map((outcome) => ({
    outcome,
    label: outcomeLabels[outcome],
    problem: isProblem(outcome),
  }));
}

const validityOutcomes: Readonly<Record<string, BatchOutcome>> = {
  '1': 'valid',
  '2': 'invalid',
  '3': 'invalidNew',
  '4': 'notFound',
  '5': 'multiple',
  '6': 'validUnregistered',
};

export interface BatchResultRow {
  readonly row: number;
  readonly outcome: BatchOutcome;
  readonly problem: boolean;
  readonly identifier?: string | undefined;
  readonly date?: string | undefined;
  readonly referenceNumber?: string | undefined;
  readonly insurerNumber?: string | undefined;
  readonly symbol?: string | undefined;
  readonly number?: string | undefined;
  readonly branch?: string | undefined;
  readonly birthdate?: string | undefined;
  readonly name?: string | undefined;
  readonly kana?: string | undefined;
  /** OQSCD006 */
  readonly validity?: string | undefined;
  readonly limitChanged?: boolean;
  readonly code?: string | undefined;
  readonly message?: string | undefined;
  /** The columns that were wrong (rejected rows). */
  readonly columns?: readonly string[];
}

export interface BatchSummary {
  readonly id: string;
  readonly kind: BatchKind;
  readonly source: 'csv' | 'day';
  readonly label: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly state: BatchState;
  /** Rows sent to central, and of them answered so far (normal + error), normal, error. */
  readonly total: number;
  readonly answered: number;
  readonly normal: number;
  readonly errors: number;
  /** Rows refused here (never sent). */
  readonly rejected: number;
  readonly receptions: readonly { date?: string | undefined; receptionNumber?: string | undefined }[];
  readonly error?: { readonly code: string; readonly message: string } | undefined;
  /** Result rows per outcome (done batches). */
  readonly counts?: Readonly<Partial<Record<BatchOutcome, number>>>;
}

export interface BatchDetail extends BatchSummary {
  /** The outcomes of this kind of batch, in the results' order, with their labels. */
  readonly outcomes: readonly OutcomeInfo[];
  /** Problems first (outcome order), then by row. Done batches only. */
  readonly results?: readonly BatchResultRow[];
}

export interface StartBatch {
  readonly kind: BatchKind;
  readonly source: 'csv' | 'day';
  readonly label: string;
  readonly rows: readonly BatchRow[];
  /** Rows refused by the terminal's validation (the user chose to send only the valid ones). */
  readonly problems?: readonly RowProblem[];
  /** The 資格確認日 of rows without their own (the day's list). */
  readonly confirmationDate?: string | undefined;
  readonly login: string;
}

export interface Batches {
  start(input: StartBatch): Promise<BatchSummary>;
  /** Newest first; running ones asked of central first. */
  list(): Promise<BatchSummary[]>;
  get(id: string): Promise<BatchDetail>;
  /** The results as CSV (done batches), filtered like the screen. */
  csv(id: string, options: { encoding: 'utf-8' | 'shift_jis'; filter?: string | undefined }): Uint8Array;
}

export interface BatchDeps {
  readonly db: DatabaseSync;
  readonly client: StationCentralClient;
  readonly institutionCode: string;
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** Least time between two questions to central about one batch (default 1 s). */
  readonly pollMs?: number | undefined;
}

type Row = {
  id: string;
  kind: BatchKind;
  source: 'csv' | 'day';
  label: string;
  created_at: number;
  created_by: string;
  state: BatchState;
  total: number;
  answered: number;
  normal: number;
  errors: number;
  rejected: string;
  parts: string;
  results: string | null;
  error_code: string | null;
  error_message: string | null;
};

/** The day's list: the card data of the day's reader confirmations, one row per card (latest first). */
export function dayRows(records: readonly ReaderRecord[]): BatchRow[] {
  const seen = new Set<string>();
  const rows: BatchRow[] = [];
  for (const record of records) {
    const s = record.summary;
    if (record.kind !== 'confirmation' || !s.insurerNumber || !s.number || !s.birthdate) continue;
    const key = [s.insurerNumber, s.symbol ?? '', s.number, s.branch ?? ''].join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({
      row: rows.length + 1,
      insurerNumber: s.insurerNumber,
      ...(s.symbol ? { symbol: s.symbol } : {}),
      number: s.number,
      ...(s.branch ? { branch: s.branch } : {}),
      birthdate: s.birthdate,
      limitConsent: s.limitConsent === '1',
      identifier: record.id,
    });
  }
  return rows;
}

const wire = (iso: string) => iso.replaceAll('-', '');
const iso = (wireDate: string | undefined) => (wireDate ? fromWireDate(wireDate) : undefined);
const count = (value: string | undefined) => Number(value ?? 0) || 0;

function searchInfo(row: BatchRow) {
  return {
    InsurerNumber: row.insurerNumber,
    ...(row.symbol ? { InsuredCardSymbol: row.symbol } : {}),
    InsuredIdentificationNumber: row.number,
    ...(row.branch ? { InsuredBranchNumber: row.branch } : {}),
  };
}

function partsOf(id: string, input: StartBatch, institutionCode: string): BatchPart[] {
  if (input.kind === 'register') {
    const request: BulkReferenceNumberRegistrationRequest = {
      MessageHeader: { MedicalInstitutionCode: institutionCode, ArbitraryFileIdentifier: `${id}-1` },
      MessageBody: {
        ReferenceNumberRegistrationInfo: input.rows.map((row) => ({
          ReferenceNumber: row.referenceNumber,
          ...searchInfo(row),
          ...(row.birthdate ? { Birthdate: wire(row.birthdate) } : {}),
          ...(row.identifier ? { ArbitraryIdentifier: row.identifier } : {}),
        })),
      },
    };
    return [
      {
        fileIdentifier: `${id}-1`,
        rows: input.rows.map((r) => r.row),
        request: messageToJson(request),
        total: input.rows.length,
        answered: 0,
        normal: 0,
        errors: 0,
      },
    ];
  }
  const byDate = new Map<string, BatchRow[]>();
  for (const row of input.rows) {
    const date = row.date ?? input.confirmationDate;
    if (date === undefined) throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'confirmationDate' });
    byDate.set(date, [...(byDate.get(date) ?? []), row]);
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, rows], index) => {
      const fileIdentifier = `${id}-${index + 1}`;
      const request: BulkQualificationConfirmRequest = {
        MessageHeader: {
          QualificationConfirmationDate: wire(date),
          MedicalInstitutionCode: institutionCode,
          ArbitraryFileIdentifier: fileIdentifier,
        },
        MessageBody: {
          QualificationConfirmSearchInfo: rows.map((row) => ({
            ...searchInfo(row),
            Birthdate: wire(row.birthdate ?? ''),
            LimitApplicationCertificateRelatedConsFlg: row.limitConsent ? '1' : '0',
            ...(row.identifier ? { ArbitraryIdentifier: row.identifier } : {}),
          })),
        },
      };
      return {
        date,
        fileIdentifier,
        rows: rows.map((r) => r.row),
        request: messageToJson(request),
        total: rows.length,
        answered: 0,
        normal: 0,
        errors: 0,
      };
    });
}

/** A failure of the whole batch (central refused the file, or the 受付番号 is gone). */
class BatchFailure extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The rows refused here as result rows (outcome rejected, the columns and the first message). */
function rejectedRows(problems: readonly RowProblem[]): BatchResultRow[] {
  const byRow = new Map<number, RowProblem[]>();
  for (const p of problems) byRow.set(p.row, [...(byRow.get(p.row) ?? []), p]);
  return [...byRow.entries()].map(([row, list]) => ({
    row,
    outcome: 'rejected' as const,
    problem: true,
    code: list[0]!.code,
    message: list.map((p) => `${p.column}: ${p.message}`).join(' ／ '),
    columns: list.map((p) => p.column),
  }));
}

function confirmResult(row: number, date: string | undefined, unit: BulkConfirmUnit): BatchResultRow {
  const info = unit.QualificationConfirmSearchInfo;
  const result = unit.ResultOfQualificationConfirmation;
  const limitChanged = result?.LimitApplicationCertificateChanged === '1';
  let outcome: BatchOutcome =
    unit.ProcessingResultStatus === '1'
      ? (validityOutcomes[unit.QualificationValidity ?? ''] ?? 'error')
      : 'error';
  if (limitChanged && (outcome === 'valid' || outcome === 'validUnregistered')) outcome = 'limitChanged';
  return {
    row,
    outcome,
    problem: isProblem(outcome),
    identifier: info?.ArbitraryIdentifier,
    date,
    insurerNumber: info?.InsurerNumber?.trim(),
    symbol: info?.InsuredCardSymbol,
    number: info?.InsuredIdentificationNumber,
    branch: info?.InsuredBranchNumber,
    birthdate: iso(info?.Birthdate),
    name: result?.Name,
    kana: result?.NameKana,
    validity: unit.QualificationValidity,
    limitChanged,
    code: unit.ProcessingResultCode,
    message: unit.ProcessingResultMessage,
  };
}

function registerResult(
  row: number,
  unit: BulkReferenceNumberRegistrationUnit,
  sent: BulkReferenceNumberRegistrationInfo | undefined,
): BatchResultRow {
  const info = unit.ReferenceNumberRegistrationInfo ?? sent;
  const ok = unit.ProcessingResultStatus === '1';
  return {
    row,
    outcome: ok ? 'registered' : 'error',
    problem: !ok,
    identifier: info?.ArbitraryIdentifier ?? unit.ArbitraryIdentifier,
    referenceNumber: info?.ReferenceNumber ?? unit.ReferenceNumber,
    insurerNumber: info?.InsurerNumber?.trim(),
    symbol: info?.InsuredCardSymbol,
    number: info?.InsuredIdentificationNumber,
    branch: info?.InsuredBranchNumber,
    birthdate: iso(info?.Birthdate),
    code: unit.ProcessingResultCode,
    message: unit.ProcessingResultMessage,
  };
}

/** Problems first (in outcome order), then by row. */
export function orderResults(rows: readonly BatchResultRow[]): BatchResultRow[] {
  return [...rows].sort((a, b) => outcomes.indexOf(a.outcome) - outcomes.indexOf(b.outcome) || a.row - b.row);
}

/** The screen's filter: '' / 'all', 'problems', or one outcome. */
export function filterResults(rows: readonly BatchResultRow[], filter: string | undefined): BatchResultRow[] {
  if (!filter || filter === 'all') return [...rows];
  if (filter === 'problems') return rows.filter((r) => r.problem);
  if (!(outcomes as readonly string[]).includes(filter)) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: 'filter',
      detail: `${outcomes.join(', ')}, problems`,
    });
  }
  return rows.filter((r) => r.outcome === filter);
}

const csvHeader: Readonly<Record<BatchKind, readonly string[]>> = {
  confirm: [
    '行',
    '結果',
    '任意の識別子',
    '資格確認日',
    '保険者番号',
    '記号',
    '番号',
    '枝番',
    '生年月日',
    '氏名',
    '氏名（カナ）',
    '資格有効性',
    '限度額変更',
    'コード',
    'メッセージ',
  ],
  register: [
    '行',
    '結果',
    '任意の識別子',
    '照会番号',
    '保険者番号',
    '記号',
    '番号',
    '枝番',
    '生年月日',
    'コード',
    'メッセージ',
  ],
};

export function resultsCsv(kind: BatchKind, rows: readonly BatchResultRow[]): string {
  const body = rows.map((r) =>
    kind === 'confirm'
      ? [
          r.row,
          outcomeLabels[r.outcome].ja,
          r.identifier,
          r.date,
          r.insurerNumber,
          r.symbol,
          r.number,
          r.branch,
          r.birthdate,
          r.name,
          r.kana,
          r.validity,
          r.limitChanged ? '1' : r.outcome === 'rejected' || r.outcome === 'error' ? '' : '0',
          r.code,
          r.message,
        ]
      : [
          r.row,
          outcomeLabels[r.outcome].ja,
          r.identifier,
          r.referenceNumber,
          r.insurerNumber,
          r.symbol,
          r.number,
          r.branch,
          r.birthdate,
          r.code,
          r.message,
        ],
  );
  return toCsv([csvHeader[kind], ...body]);
}

export function createBatches(deps: BatchDeps): Batches {
  const { db, client, institutionCode, clock } = deps;
  const pollMs = deps.pollMs ?? 1000;
  const insert = db.prepare(
    `INSERT INTO batches (id, kind, source, label, created_at, created_by, state, total, rejected, parts, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'sending', ?, ?, ?, ?)`,
  );
  const byId = db.prepare('SELECT * FROM batches WHERE id = ?');
  const newest = db.prepare('SELECT * FROM batches ORDER BY created_at DESC, rowid DESC LIMIT 100');
  const save = db.prepare(
    `UPDATE batches SET state = ?, answered = ?, normal = ?, errors = ?, parts = ?, results = ?,
       error_code = ?, error_message = ?, updated_at = ? WHERE id = ?`,
  );
  const lastAsked = new Map<string, number>();
  const running = new Map<string, Promise<void>>();

  function summary(row: Row): BatchSummary {
    const parts = JSON.parse(row.parts) as BatchPart[];
    const rejected = JSON.parse(row.rejected) as RowProblem[];
    let counts: Partial<Record<BatchOutcome, number>> | undefined;
    if (row.results !== null) {
      counts = {};
      for (const r of JSON.parse(row.results) as BatchResultRow[])
        counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
    }
    return {
      id: row.id,
      kind: row.kind,
      source: row.source,
      label: row.label,
      createdAt: new Date(row.created_at).toISOString(),
      createdBy: row.created_by,
      state: row.state,
      total: row.total,
      answered: row.answered,
      normal: row.normal,
      errors: row.errors,
      rejected: new Set(rejected.map((p) => p.row)).size,
      receptions: parts.map((p) => ({ date: p.date, receptionNumber: p.receptionNumber })),
      ...(row.error_code ? { error: { code: row.error_code, message: row.error_message ?? '' } } : {}),
      ...(counts ? { counts } : {}),
    };
  }

  function load(id: string): Row {
    const row = byId.get(id) as Row | undefined;
    if (row === undefined) throw new OnshiError('TERMINAL_BATCH_UNKNOWN', { id });
    return row;
  }

  /** POST JSON to central; the parsed message, or a BatchFailure for a coded refusal. */
  async function ask<T>(path: string, body: unknown, schema: MessageSchema<T>, login: string): Promise<T> {
    let reply: Awaited<ReturnType<StationCentralClient['send']>>;
    try {
      reply = await client.send(path, {
        body: new TextEncoder().encode(JSON.stringify(body)),
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...terminalUserHeader(login),
        },
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
    } catch (cause) {
      throw new OnshiError('TERMINAL_CENTRAL_UNREACHABLE', {}, { cause });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(reply.body).toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (reply.status !== 200) {
      const coded = parsed as { code?: unknown; message?: unknown } | undefined;
      if (typeof coded?.code === 'string' && reply.status < 500) {
        throw new BatchFailure(coded.code, typeof coded.message === 'string' ? coded.message : coded.code);
      }
      throw new OnshiError('TERMINAL_CENTRAL_UNREACHABLE');
    }
    try {
      return messageFromJson(parsed, schema);
    } catch (error) {
      throw new OnshiError('CONNECTOR_CENTRAL_ANSWER_INVALID', {
        status: reply.status,
        detail: String(error),
      });
    }
  }

  /** A result header's SegmentOfResult 9 (an error result in the JSON form) as a failure. */
  function refused(header: { SegmentOfResult: string; ErrorCode?: string; ErrorMessage?: string }): void {
    if (header.SegmentOfResult === '9') {
      throw new BatchFailure(header.ErrorCode ?? 'BATCH_FAILED', header.ErrorMessage ?? '');
    }
  }

  /** One step for a batch: send the parts without a 受付番号, ask for the results of the others. */
  async function advance(row: Row): Promise<void> {
    const kind = row.kind;
    const parts = JSON.parse(row.parts) as BatchPart[];
    let failure: BatchFailure | undefined;
    const next: BatchPart[] = [];
    for (const part of parts) {
      if (failure !== undefined || part.done) {
        next.push(part);
        continue;
      }
      try {
        if (part.receptionNumber === undefined) {
          const answer: BulkUploadResult = await ask(
            batchPaths[kind].upload,
            part.request,
            kind === 'confirm'
              ? bulkQualificationConfirmUploadResultSchema
              : bulkReferenceNumberRegistrationUploadResultSchema,
            row.created_by,
          );
          refused(answer.MessageHeader);
          const receptionNumber = answer.MessageBody.ReceptionNumber ?? answer.MessageHeader.ReceptionNumber;
          if (!receptionNumber)
            throw new BatchFailure('CONNECTOR_CENTRAL_ANSWER_INVALID', 'no ReceptionNumber');
          const { request: sent, ...rest } = part;
          next.push({
            ...rest,
            ...(kind === 'register' ? { request: sent } : {}),
            receptionNumber,
            receivedAt: answer.MessageBody.ReceptionDateTime,
          });
          continue;
        }
        const request = messageToJson({
          MessageHeader: {
            MedicalInstitutionCode: institutionCode,
            ArbitraryFileIdentifier: part.fileIdentifier,
          },
          MessageBody: { ReceptionNumber: part.receptionNumber },
        });
        const answer: BulkQualificationConfirmResult | BulkReferenceNumberRegistrationResult = await ask(
          batchPaths[kind].results,
          request,
          (kind === 'confirm'
            ? bulkQualificationConfirmResultSchema
            : bulkReferenceNumberRegistrationResultSchema) as MessageSchema<
            BulkQualificationConfirmResult | BulkReferenceNumberRegistrationResult
          >,
          row.created_by,
        );
        const header = answer.MessageHeader;
        refused(header);
        const normal = count(header.NumberOfNormalProcessing);
        const errors = count(header.NumberOfError);
        const done = header.SegmentOfResult === '1';
        next.push({
          ...part,
          total: count(header.NumberOfProcessingResult) || part.total,
          normal,
          errors,
          answered: normal + errors,
          ...(done ? { done: true, units: answer.MessageBody.BulkConfirmUnit ?? [] } : {}),
        });
      } catch (error) {
        if (error instanceof BatchFailure) failure = error;
        else if (!(error instanceof OnshiError && error.code === 'TERMINAL_CENTRAL_UNREACHABLE')) throw error;
        // Unreachable: the part is kept as it was; the next question tries again.
        next.push(part);
      }
    }
    const answered = next.reduce((n, p) => n + p.answered, 0);
    const normal = next.reduce((n, p) => n + p.normal, 0);
    const errors = next.reduce((n, p) => n + p.errors, 0);
    let state: BatchState = next.every((p) => p.receptionNumber !== undefined) ? 'processing' : 'sending';
    let results: string | null = null;
    let stored = next;
    if (failure !== undefined) state = 'failed';
    else if (next.every((p) => p.done)) {
      state = 'done';
      const rows: BatchResultRow[] = rejectedRows(JSON.parse(row.rejected) as RowProblem[]);
      for (const part of next) {
        const sent = (part.request as { XmlMsg?: BulkReferenceNumberRegistrationRequest } | undefined)?.XmlMsg
          ?.MessageBody.ReferenceNumberRegistrationInfo;
        (part.units ?? []).forEach((unit, index) => {
          const position = Number((unit as { RowNumber?: string }).RowNumber ?? index + 1);
          const fileRow = part.rows[position - 1] ?? position;
          rows.push(
            kind === 'confirm'
              ? confirmResult(fileRow, part.date, unit as BulkConfirmUnit)
              : registerResult(fileRow, unit as BulkReferenceNumberRegistrationUnit, sent?.[position - 1]),
          );
        });
      }
      results = JSON.stringify(orderResults(rows));
      stored = next.map(({ units: _units, request: _request, ...rest }) => rest);
    }
    save.run(
      state,
      answered,
      normal,
      errors,
      JSON.stringify(stored),
      results,
      failure?.code ?? null,
      failure?.message ?? null,
      clock.now().getTime(),
      row.id,
    );
  }

  /** Asks central about a running batch, at most once per pollMs, one question at a time. */
  async function refresh(id: string, force = false): Promise<void> {
    const row = load(id);
    if (row.state === 'done' || row.state === 'failed') return;
    const pending = running.get(id);
    if (pending) return pending;
    const now = Date.now();
    if (!force && now - (lastAsked.get(id) ?? 0) < pollMs) return;
    lastAsked.set(id, now);
    const step = advance(row).finally(() => running.delete(id));
    running.set(id, step);
    return step;
  }

  return {
    async start(input) {
      if (input.rows.length === 0) throw new OnshiError('TERMINAL_BATCH_EMPTY');
      if (input.rows.length > MAX_BATCH_ROWS) {
        throw new OnshiError('TERMINAL_BATCH_TOO_MANY_ROWS', {
          rows: input.rows.length,
          limit: MAX_BATCH_ROWS,
        });
      }
      const id = randomBytes(10).toString('hex');
      const parts = partsOf(id, input, institutionCode);
      const now = clock.now().getTime();
      insert.run(
        id,
        input.kind,
        input.source,
        input.label,
        now,
        input.login,
        input.rows.length,
        JSON.stringify(input.problems ?? []),
        JSON.stringify(parts),
        now,
      );
      // Central unreachable: the batch stays 'sending' and is sent again when the screen asks.
      await refresh(id, true);
      return summary(load(id));
    },
    async list() {
      const rows = newest.all() as Row[];
      await Promise.all(
        rows.filter((r) => r.state === 'sending' || r.state === 'processing').map((r) => refresh(r.id)),
      );
      return (newest.all() as Row[]).map(summary);
    },
    async get(id) {
      await refresh(id);
      const row = load(id);
      return {
        ...summary(row),
        outcomes: outcomeInfo(row.kind),
        ...(row.results !== null ? { results: JSON.parse(row.results) as BatchResultRow[] } : {}),
      };
    },
    csv(id, options) {
      const row = load(id);
      if (row.results === null) throw new OnshiError('TERMINAL_BATCH_NOT_DONE', { id });
      const rows = filterResults(JSON.parse(row.results) as BatchResultRow[], options.filter);
      return encodeCsv(resultsCsv(row.kind, rows), options.encoding);
    },
  };
}

/** yyyy-MM-dd of the JST day after `now` (the day's list is checked for the next day by default). */
export function nextDay(now: Date): string {
  return addDays(jstDate(now), 1);
}
