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
  abandonJob,
  type BatchJob,
  type BatchKind,
  findJob,
  findJobByReception,
  findJobByUpload,
  insertJob,
  insertResults,
  insertRows,
  listResults,
  openJob,
  type RowResult,
  rowsInFlight,
  type StoredRow,
} from './batch.repo.ts';
import { errorUnit, rowResult, validateConfirmRow, validateRegisterRow } from './batch.rows.ts';

export interface BatchLimits {
  /** Rows one upload may carry. */
  readonly maxRows: number;
  /** Rows of one institution waiting for the worker, over all its unfinished jobs. */
  readonly maxRowsInFlight: number;
  /** Days a finished job's results are kept (then the retention run deletes them). */
  readonly resultDays: number;
  /**
   * After this long an upload still being stored is taken for one whose process died (default 60;
   * central passes ONSHI_BATCH_LEASE_SECONDS).
   */
  readonly leaseSeconds?: number | undefined;
  /** Rows stored per transaction while an upload is accepted (default 2,000). */
  readonly rowsPerTransaction?: number | undefined;
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
    if (upload.rows.length > limits.maxRows)
      throw new OnshiError('BATCH_TOO_MANY_ROWS', { rows: upload.rows.length, limit: limits.maxRows });
    const valid: StoredRow[] = [];
    const refused: RowResult[] = [];
    upload.rows.forEach((row, i) => {
      try {
        upload.validate(row as never);
        valid.push({ rowNo: i + 1, request: JSON.stringify(row) });
      } catch (error) {
        refused.push(rowResult(i + 1, errorUnit(i + 1, upload.echoName, row, error)));
      }
    });
    const key = {
      institutionCode: upload.institutionCode,
      kind: upload.kind,
      contentHash: contentHash(upload),
    };
    const job = await storeUpload(upload, key, valid, refused);
    if (job.state === 'processing') deps.onAccepted?.();
    return uploadAnswer(job, refused.length, charCode);
  }

  /**
   * Stores a validated upload in short transactions, so that no single one holds the (SQLite)
   * write lock for long — single checks append their audit records meanwhile: (1) the job, checked
   * against duplicates and the institution's rows in flight, as 'receiving'; (2) its rows and the
   * answers of its malformed rows, `rowsPerTransaction` at a time; (3) the job opened for the
   * worker ('processing', or 'done' when every row was malformed). Nothing is visible to workers
   * or fetches before (3), and the 受付番号 is answered only after it. The same upload already
   * being stored by another request is waited for; one left 'receiving' by a process that died
   * (older than the lease) is set aside for the retention run and the upload stored anew.
   */
  async function storeUpload(
    upload: Upload,
    key: { institutionCode: string; kind: BatchKind; contentHash: string },
    valid: readonly StoredRow[],
    refused: readonly RowResult[],
  ): Promise<BatchJob> {
    const staleMs = (limits.leaseSeconds ?? 60) * 1000;
    for (;;) {
      const now = clock.now();
      const step = await store.transaction(async (tx): Promise<BatchJob | number | 'wait'> => {
        const existing = await findJobByUpload(tx, key);
        if (existing !== undefined) {
          if (existing.state !== 'receiving') return existing;
          if (now.getTime() - Date.parse(existing.receivedAt) < staleMs) return 'wait';
          await abandonJob(tx, existing.jobId, jstDate(now));
        }
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
          totalRows: upload.rows.length,
          pendingRows: valid.length,
          errorRows: refused.length,
          receivedAt: now.toISOString(),
          completedAt: done ? now.toISOString() : undefined,
          expiresOn: done ? expiryDate(now, limits.resultDays) : undefined,
        });
        // undefined: the unique index — another process stored the same upload meanwhile.
        return jobId ?? 'wait';
      });
      if (step === 'wait') {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      if (typeof step !== 'number') return step;
      const opened = await fillJob(step, valid, refused).catch(async (error: unknown) => {
        // Leave nothing half-stored behind for a retry to wait on.
        await store.transaction((tx) => abandonJob(tx, step, jstDate(clock.now()))).catch(() => {});
        throw error;
      });
      if (opened !== undefined) return opened;
      // Set aside meanwhile (this took longer than the lease): store it again.
    }
  }

  async function fillJob(
    jobId: number,
    valid: readonly StoredRow[],
    refused: readonly RowResult[],
  ): Promise<BatchJob | undefined> {
    const per = limits.rowsPerTransaction ?? 2000;
    for (let i = 0; i < valid.length; i += per) {
      const slice = valid.slice(i, i + per);
      await store.transaction((tx) => insertRows(tx, jobId, slice));
    }
    for (let i = 0; i < refused.length; i += per) {
      const slice = refused.slice(i, i + per);
      await store.transaction((tx) => insertResults(tx, jobId, slice));
    }
    return store.transaction(async (tx) =>
      (await openJob(tx, jobId, valid.length === 0 ? 'done' : 'processing')) ? findJob(tx, jobId) : undefined,
    );
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
    const given = job?.state === 'processing' || job?.state === 'done';
    if (job === undefined || !given || job.kind !== kind || job.institutionCode !== institution) {
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
