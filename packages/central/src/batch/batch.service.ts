/**
 * The two-phase batch exchanges (oqs-interface.md §2.4, §2.5), central side.
 *
 * - `accept` (01req → 01res): validates the header (a bad header refuses the file) and every row
 *   (a bad row is answered at once with its code and does not touch the others), and stores the job
 *   with its rows in one transaction before answering the 受付番号. The same upload again (same
 *   institution, kind and content) answers the first job's 受付番号; nothing new is stored.
 * - `fetch` (02req → 02res): by 受付番号, for the institution that uploaded it only —
 *   `SegmentOfResult` 2 while the worker is at it (the counts so far in the header), then every
 *   unit in row order with the final counts.
 *
 * The rows themselves are answered by the worker (batch.worker.ts).
 */
import { createHash, randomInt } from 'node:crypto';
import {
  addDays,
  type BulkConfirmUnit,
  type BulkDownloadRequest,
  type BulkQualificationConfirmRequest,
  type BulkQualificationConfirmResult,
  type BulkReferenceNumberRegistrationRequest,
  type BulkReferenceNumberRegistrationResult,
  type BulkReferenceNumberRegistrationUnit,
  type BulkResultMessageHeader,
  type BulkUploadResult,
  type Clock,
  jstDate,
  jstDateTime,
  OnshiError,
  ProcessingResultStatus,
  ReferenceClassification,
  SegmentOfResult,
  toWireDate,
  toWireDateTime,
} from '@onshi/core';
import { echo } from '../eligibility/eligibility.service.ts';
import { characterCode, institutionCode, wireDate } from '../eligibility/eligibility.validate.ts';
import type { Store } from '../store/store.ts';
import {
  type BatchJob,
  type BatchKind,
  findJobByReception,
  findJobByUpload,
  insertJob,
  insertResults,
  insertRows,
  listResults,
  type RowResult,
  rowsInFlight,
} from './batch.repo.ts';
import { errorUnit, validateConfirmRow, validateRegisterRow } from './batch.rows.ts';

export interface BatchLimits {
  /** Rows one upload may carry. */
  readonly maxRows: number;
  /** Rows of one institution waiting for the worker, over all its unfinished jobs. */
  readonly maxRowsInFlight: number;
  /** Days a finished job's results are kept (then the retention run deletes them). */
  readonly resultDays: number;
}

export interface BatchService {
  acceptConfirm(
    request: BulkQualificationConfirmRequest,
    options: { characterCode: '0' | '1' },
  ): Promise<BulkUploadResult>;
  acceptRegister(
    request: BulkReferenceNumberRegistrationRequest,
    options: { characterCode: '0' | '1' },
  ): Promise<BulkUploadResult>;
  fetchConfirm(
    request: BulkDownloadRequest,
    options: { characterCode: '0' | '1'; institutionCode: string },
  ): Promise<BulkQualificationConfirmResult>;
  fetchRegister(
    request: BulkDownloadRequest,
    options: { characterCode: '0' | '1'; institutionCode: string },
  ): Promise<BulkReferenceNumberRegistrationResult>;
}

interface Upload {
  readonly kind: BatchKind;
  readonly institutionCode: string;
  readonly fileIdentifier?: string | undefined;
  /** ISO date (一括照会). */
  readonly confirmationDate?: string | undefined;
  readonly rows: readonly object[];
  readonly validate: (row: never) => void;
  readonly echoName: 'QualificationConfirmSearchInfo' | 'ReferenceNumberRegistrationInfo';
}

/** SHA-256 of the upload in a canonical form (same content as XML or JSON → same hash). */
function contentHash(upload: Upload): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify([
      upload.kind,
      upload.institutionCode,
      upload.fileIdentifier ?? '',
      upload.confirmationDate ?? '',
    ]),
  );
  for (const row of upload.rows) {
    const entries = Object.entries(row).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    hash.update('\n');
    hash.update(JSON.stringify(entries));
  }
  return hash.digest('hex');
}

const concurrentUpload = new Error('batch: the same upload was stored concurrently');

/** 受付番号: the JST time of acceptance (14 digits) and 6 random digits. */
function newReceptionNumber(now: Date): string {
  return toWireDateTime(jstDateTime(now)) + String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function createBatchService(deps: {
  store: Store;
  clock: Clock;
  limits: BatchLimits;
  /** Called after a job is stored (the in-process worker starts at once instead of at its next poll). */
  onAccepted?: (() => void) | undefined;
}): BatchService {
  const { store, clock, limits } = deps;

  async function accept(upload: Upload, charCode: '0' | '1'): Promise<BulkUploadResult> {
    const total = upload.rows.length;
    if (total > limits.maxRows)
      throw new OnshiError('BATCH_TOO_MANY_ROWS', { rows: total, limit: limits.maxRows });
    const valid: { rowNo: number; request: string }[] = [];
    const refused: RowResult[] = [];
    upload.rows.forEach((row, i) => {
      try {
        upload.validate(row as never);
        valid.push({ rowNo: i + 1, request: JSON.stringify(row) });
      } catch (error) {
        refused.push({
          rowNo: i + 1,
          status: 2,
          unit: JSON.stringify(errorUnit(i + 1, upload.echoName, row, error)),
        });
      }
    });
    const key = {
      institutionCode: upload.institutionCode,
      kind: upload.kind,
      contentHash: contentHash(upload),
    };
    const now = clock.now();
    const job = await store
      .transaction(async (tx) => {
        const existing = await findJobByUpload(tx, key);
        if (existing !== undefined) return existing;
        const inFlight = await rowsInFlight(tx, upload.institutionCode);
        if (inFlight + valid.length > limits.maxRowsInFlight) {
          throw new OnshiError('BATCH_ROWS_IN_FLIGHT_EXCEEDED', {
            inFlight,
            rows: valid.length,
            limit: limits.maxRowsInFlight,
          });
        }
        const done = valid.length === 0;
        const jobId = await insertJob(tx, {
          ...key,
          receptionNumber: newReceptionNumber(now),
          fileIdentifier: upload.fileIdentifier,
          confirmationDate: upload.confirmationDate,
          totalRows: total,
          pendingRows: valid.length,
          errorRows: refused.length,
          receivedAt: now.toISOString(),
          completedAt: done ? now.toISOString() : undefined,
          expiresOn: done ? expiryDate(now, limits.resultDays) : undefined,
        });
        if (jobId === undefined) throw concurrentUpload; // the unique index: another process stored it
        await insertRows(tx, jobId, valid);
        await insertResults(tx, jobId, refused);
        return (await findJobByUpload(tx, key))!;
      })
      .catch(async (error: unknown) => {
        // Another process stored the same upload between our read and our insert: answer its job.
        const raced = error === concurrentUpload ? await findJobByUpload(store, key) : undefined;
        if (raced === undefined) throw error;
        return raced;
      });
    if (job.state === 'processing') deps.onAccepted?.();
    return uploadAnswer(job, refused.length, charCode);
  }

  function uploadAnswer(job: BatchJob, refused: number, charCode: '0' | '1'): BulkUploadResult {
    const received = toWireDateTime(jstDateTime(new Date(job.receivedAt)));
    return {
      MessageHeader: {
        ProcessExecutionTime: toWireDateTime(jstDateTime(clock.now())),
        ...(job.confirmationDate ? { QualificationConfirmationDate: toWireDate(job.confirmationDate) } : {}),
        MedicalInstitutionCode: job.institutionCode,
        ...echo('ArbitraryFileIdentifier', job.fileIdentifier),
        ReceptionNumber: job.receptionNumber,
        SegmentOfResult: SegmentOfResult.completed,
        NumberOfProcessingResult: String(job.totalRows),
        NumberOfError: String(refused),
        CharacterCodeIdentifier: characterCode(charCode),
      },
      MessageBody: {
        ReceptionNumber: job.receptionNumber,
        ReceptionDateTime: received,
        ProcessingResultStatus: ProcessingResultStatus.normal,
      },
    };
  }

  /** The job behind a 受付番号, only for the institution that uploaded it (else: not found). */
  async function ownJob(
    request: BulkDownloadRequest,
    kind: BatchKind,
    institution: string,
  ): Promise<BatchJob> {
    const receptionNumber = request.MessageBody.ReceptionNumber.trim();
    const job = await findJobByReception(store, receptionNumber);
    if (job === undefined || job.kind !== kind || job.institutionCode !== institution) {
      throw new OnshiError('BATCH_RECEPTION_NOT_FOUND', { receptionNumber });
    }
    return job;
  }

  function downloadHeader(job: BatchJob, charCode: '0' | '1'): BulkResultMessageHeader {
    const done = job.state === 'done';
    return {
      ProcessExecutionTime: toWireDateTime(jstDateTime(clock.now())),
      ...(job.confirmationDate ? { QualificationConfirmationDate: toWireDate(job.confirmationDate) } : {}),
      MedicalInstitutionCode: job.institutionCode,
      ...echo('ArbitraryFileIdentifier', job.fileIdentifier),
      ReceptionNumber: job.receptionNumber,
      ...(job.kind === 'confirm' ? { ReferenceClassification: ReferenceClassification.insuranceCard } : {}),
      SegmentOfResult: done ? SegmentOfResult.completed : SegmentOfResult.processing,
      NumberOfProcessingResult: String(job.totalRows),
      NumberOfNormalProcessing: String(job.normalRows),
      NumberOfError: String(job.errorRows),
      CharacterCodeIdentifier: characterCode(charCode),
    };
  }

  async function units<U>(job: BatchJob): Promise<U[] | undefined> {
    if (job.state !== 'done') return undefined;
    return (await listResults(store, job.jobId)).map((unit) => JSON.parse(unit) as U);
  }

  return {
    acceptConfirm: (request, options) =>
      accept(
        {
          kind: 'confirm',
          institutionCode: institutionCode(request.MessageHeader.MedicalInstitutionCode),
          fileIdentifier: request.MessageHeader.ArbitraryFileIdentifier,
          confirmationDate: wireDate(
            request.MessageHeader.QualificationConfirmationDate,
            'QualificationConfirmationDate',
          ),
          rows: request.MessageBody.QualificationConfirmSearchInfo,
          validate: validateConfirmRow,
          echoName: 'QualificationConfirmSearchInfo',
        },
        options.characterCode,
      ),
    acceptRegister: (request, options) =>
      accept(
        {
          kind: 'register',
          institutionCode: institutionCode(request.MessageHeader.MedicalInstitutionCode),
          fileIdentifier: request.MessageHeader.ArbitraryFileIdentifier,
          rows: request.MessageBody.ReferenceNumberRegistrationInfo,
          validate: validateRegisterRow,
          echoName: 'ReferenceNumberRegistrationInfo',
        },
        options.characterCode,
      ),
    async fetchConfirm(request, options) {
      const job = await ownJob(request, 'confirm', options.institutionCode);
      const list = await units<BulkConfirmUnit>(job);
      return {
        MessageHeader: downloadHeader(job, options.characterCode),
        MessageBody: list ? { BulkConfirmUnit: list } : {},
      };
    },
    async fetchRegister(request, options) {
      const job = await ownJob(request, 'register', options.institutionCode);
      const list = await units<BulkReferenceNumberRegistrationUnit>(job);
      return {
        MessageHeader: downloadHeader(job, options.characterCode),
        MessageBody: list ? { BulkConfirmUnit: list } : {},
      };
    },
  };
}

/** The last JST day a job finished at `now` is kept: the retention run deletes it the day after. */
export function expiryDate(now: Date, days: number): string {
  return addDays(jstDate(now), days);
}
