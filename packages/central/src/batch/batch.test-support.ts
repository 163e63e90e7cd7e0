/**
 * Test support for the batch tests: rows and uploads from the eligibility scenario, and a worker
 * with chunks of three rows.
 */
import type { BulkQualificationConfirmRequest, BulkQualificationConfirmSearchInfo, Clock } from '@onshi/core';
import * as scenario from '../eligibility/eligibility.scenario.ts';
import type { Store } from '../store/store.ts';
import { type BatchWorker, type BatchWorkerOptions, createBatchWorker } from './batch.worker.ts';

/** One 一括照会 row for a scenario card, with its ArbitraryIdentifier and 限度額 consent flag. */
export function bulkRow(
  card: scenario.Card,
  id: string,
  consent: '0' | '1' = '0',
): BulkQualificationConfirmSearchInfo {
  const info = scenario.request(card, { consent }).MessageBody.QualificationConfirmSearchInfo;
  return info.InsurerNumber ? { ...info, ArbitraryIdentifier: id } : {};
}

/** Every OQSCD006 outcome, a 限度額 row with consent, and two malformed rows (3 and 8). */
export function mixedRows(): BulkQualificationConfirmSearchInfo[] {
  const { newJob, retired, changedJob, twins, withCertificates } = scenario;
  return [
    bulkRow(newJob, 'valid'),
    bulkRow(retired, 'invalid'),
    { ...bulkRow(newJob, 'no-insurer'), InsurerNumber: undefined },
    bulkRow(changedJob, 'new-qualification'),
    bulkRow({ ...newJob, number: '9999' }, 'not-found'),
    bulkRow(twins, 'multiple'),
    bulkRow(withCertificates, 'limit', '1'),
    { ...bulkRow(newJob, 'bad-date'), Birthdate: '19800231' },
  ];
}

/** An OQSmuquc01req of `rows` (clinic A, 2024-06-01, file 'batch-1' unless told). */
export function bulkUpload(
  rows: BulkQualificationConfirmSearchInfo[],
  options: { date?: string; file?: string; institution?: string } = {},
): BulkQualificationConfirmRequest {
  return {
    MessageHeader: {
      QualificationConfirmationDate: options.date ?? '20240601',
      MedicalInstitutionCode: options.institution ?? scenario.clinicA,
      ArbitraryFileIdentifier: options.file ?? 'batch-1',
    },
    MessageBody: { QualificationConfirmSearchInfo: rows },
  };
}

/** A worker with chunks of three rows, a 60 s lease and a 10 ms poll. */
export function testWorker(store: Store, clock: Clock, extra: Partial<BatchWorkerOptions> = {}): BatchWorker {
  return createBatchWorker({
    store,
    clock,
    chunkMillis: 10,
    firstChunkRows: 3,
    maxChunkRows: 3,
    leaseMs: 60_000,
    resultDays: 7,
    pollMs: 10,
    ...extra,
  });
}
