/**
 * Batch jobs on SQLite and PostgreSQL: every OQSCD006 outcome in one upload with malformed rows,
 * "still processing" then complete, a worker stopped after N chunks and a worker that dies inside a
 * chunk (each row answered once), a duplicate upload, another institution, the per-institution
 * limit, 照会番号一括登録, and the purge after the result period.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { type BulkDownloadRequest, isOnshiError } from '@onshi/core';
import { mergeAuditPersons } from '../audit/audit.merge.ts';
import { listAccessesOf } from '../audit/audit.repo.ts';
import * as scenario from '../eligibility/eligibility.scenario.ts';
import { findReferenceNumber } from '../reference-numbers/reference-numbers.repo.ts';
import { purgeExpired } from '../retention/retention.service.ts';
import type { SqlValue, Store } from '../store/store.ts';
import { forEachStore } from '../test/stores.ts';
import { confirmRow, confirmRows } from './batch.rows.ts';
import { type BatchLimits, createBatchService } from './batch.service.ts';
import { bulkRow, bulkUpload, mixedRows, testWorker } from './batch.test-support.ts';
import type { BatchWorkerOptions } from './batch.worker.ts';

const { clinicA, clinicB, newJob, changedJob, retired, twins, withCertificates } = scenario;

/** A clock the tests move (2024-06-01 10:02:03 JST at first). */
function movableClock() {
  let now = new Date('2024-06-01T01:02:03Z');
  return {
    now: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}

const row = bulkRow;
const upload = bulkUpload;

const download = (receptionNumber: string, institution = clinicA): BulkDownloadRequest => ({
  MessageHeader: { MedicalInstitutionCode: institution },
  MessageBody: { ReceptionNumber: receptionNumber },
});

/** Every outcome, a 限度額 row with consent, and two malformed rows (3 and 8). */
const mixed = mixedRows();

const limits: BatchLimits = { maxRows: 1000, maxRowsInFlight: 50, resultDays: 7 };

async function count(s: Store, sql: string, params: (string | number)[] = []): Promise<number> {
  return Number((await s.get<{ n: number }>(sql, params))?.n ?? 0);
}

/** The store, with the statements `fails` picks failing as if the process had died there. */
function failingStore(inner: Store, fails: (sql: string) => boolean): Store {
  const wrap = (s: Store): Store => ({
    dialect: s.dialect,
    raw: s.raw,
    all: <T>(sql: string, params?: readonly SqlValue[]) => s.all<T>(sql, params),
    get: <T>(sql: string, params?: readonly SqlValue[]) => s.get<T>(sql, params),
    run: (sql: string, params?: readonly SqlValue[]) =>
      fails(sql) ? Promise.reject(new Error('the process died')) : s.run(sql, params),
    transaction: <T>(fn: (tx: Store) => Promise<T>) => s.transaction((tx) => fn(wrap(tx))),
    close: () => s.close(),
  });
  return wrap(inner);
}

forEachStore('batch jobs', (store) => {
  const clock = movableClock();
  const service = () => createBatchService({ store: store(), clock, limits });
  const worker = (extra: Partial<BatchWorkerOptions> = {}) => testWorker(store(), clock, extra);

  before(() => scenario.writeScenario(store()));

  it('answers at once with a 受付番号, says 処理中 until the worker is done, then every unit', async () => {
    const accepted = await service().acceptConfirm(upload(mixed), { characterCode: '1' });
    const reception = accepted.MessageBody.ReceptionNumber!;
    assert.match(reception, /^\d{20}$/);
    assert.equal(accepted.MessageHeader.ReceptionNumber, reception);
    assert.equal(accepted.MessageBody.ReceptionDateTime, '20240601100203');
    assert.equal(accepted.MessageHeader.NumberOfProcessingResult, '8');
    assert.equal(accepted.MessageHeader.NumberOfError, '2');
    assert.equal(accepted.MessageHeader.CharacterCodeIdentifier, '1');

    const waiting = await service().fetchConfirm(download(reception), {
      characterCode: '0',
      institutionCode: clinicA,
    });
    assert.equal(waiting.MessageHeader.SegmentOfResult, '2');
    assert.equal(waiting.MessageBody.BulkConfirmUnit, undefined);

    const w = worker();
    assert.equal(await w.runChunk(), true);
    const partly = await service().fetchConfirm(download(reception), {
      characterCode: '0',
      institutionCode: clinicA,
    });
    assert.equal(partly.MessageHeader.SegmentOfResult, '2', 'one chunk is not the whole job');
    await w.drain();

    const done = await service().fetchConfirm(download(reception), {
      characterCode: '0',
      institutionCode: clinicA,
    });
    const h = done.MessageHeader;
    assert.equal(h.SegmentOfResult, '1');
    assert.deepEqual(
      [h.NumberOfProcessingResult, h.NumberOfNormalProcessing, h.NumberOfError, h.ArbitraryFileIdentifier],
      ['8', '6', '2', 'batch-1'],
    );
    const units = done.MessageBody.BulkConfirmUnit ?? [];
    assert.deepEqual(
      units.map((u) => [
        u.RowNumber,
        u.ProcessingResultStatus,
        u.QualificationValidity ?? u.ProcessingResultCode,
      ]),
      [
        ['1', '1', '1'],
        ['2', '1', '2'],
        ['3', '2', 'MSG_FIELD_REQUIRED'],
        ['4', '1', '3'],
        ['5', '1', '4'],
        ['6', '1', '5'],
        ['7', '1', '1'],
        ['8', '2', 'DATE_INVALID'],
      ],
    );
    assert.equal(units[0]?.ResultOfQualificationConfirmation?.ArbitraryIdentifier, 'valid');
    assert.equal(units[0]?.ResultOfQualificationConfirmation?.LimitApplicationCertificateChanged, undefined);
    assert.equal(units[2]?.QualificationConfirmSearchInfo?.ArbitraryIdentifier, 'no-insurer');
    assert.equal(units[4]?.ProcessingResultCode, 'ELIGIBILITY_NOT_FOUND');
    const limit = units[6]?.ResultOfQualificationConfirmation;
    assert.equal(
      limit?.LimitApplicationCertificateRelatedInfo?.LimitApplicationCertificateClassificationFlag,
      'A03',
    );
    assert.equal(limit?.LimitApplicationCertificateChanged, '0', 'the same certificate as a month before');
    const audited = await count(store(), `select count(*) as n from audit_records where reason = ?`, [
      `一括照会 ${reception}`,
    ]);
    assert.equal(audited, 6, 'every answered row is audited once; malformed rows looked nothing up');
    // in the patient's access log at once (nothing merged into the index by person yet), and after a merge
    const found = await store().get<{ person_id: number; seq: number }>(
      'select person_id, seq from audit_records where reason = ? and person_id is not null order by seq limit 1',
      [`一括照会 ${reception}`],
    );
    const accessLogHasRow = async () =>
      (await listAccessesOf(store(), found!.person_id, 1000)).some(
        (e) => e.action === 'check-card-data' && e.institutionCode === clinicA,
      );
    assert.equal(await accessLogHasRow(), true);
    await mergeAuditPersons(store());
    assert.equal(await accessLogHasRow(), true);
  });

  it('answers many rows in one statement exactly as row by row (every card, consent or not, several dates)', async () => {
    const cards = [
      newJob,
      changedJob,
      retired,
      twins,
      scenario.child,
      scenario.lateElderly,
      scenario.lateElderlyRich,
      scenario.elderly,
      withCertificates,
      { ...newJob, number: '9999' },
      { ...twins, branch: '01' },
      { ...twins, branch: '02' },
    ];
    const rows = cards.flatMap((card, i) =>
      (['0', '1'] as const).map((consent) => ({ ...row(card, `c${i}-${consent}`, consent) })),
    );
    rows.push({ ...row(newJob, 'bad'), Birthdate: '19800231' });
    for (const on of ['2024-06-01', '2024-08-01', '2023-04-01', '2025-01-15']) {
      const ctx = { store: store(), institutionCode: clinicA, on, processTime: '20240601100203' };
      const many = await confirmRows(
        ctx,
        rows.map((info, i) => ({ rowNo: i + 1, info })),
      );
      const one = [];
      for (let i = 0; i < rows.length; i++) one.push(await confirmRow(ctx, i + 1, rows[i]!));
      assert.deepEqual(many, one, `on ${on}`);
    }
  });

  it('says 限度額 changed when the certificate differs from the one a month before', async () => {
    const accepted = await service().acceptConfirm(
      upload([row(withCertificates, 'limit', '1')], { date: '20240801' }),
      {
        characterCode: '0',
      },
    );
    await worker().drain();
    const done = await service().fetchConfirm(download(accepted.MessageBody.ReceptionNumber!), {
      characterCode: '0',
      institutionCode: clinicA,
    });
    const unit = done.MessageBody.BulkConfirmUnit?.[0];
    assert.equal(unit?.ResultOfQualificationConfirmation?.LimitApplicationCertificateChanged, '1');
    assert.equal(unit?.ResultOfQualificationConfirmation?.LimitApplicationCertificateRelatedInfo, undefined);
  });

  it('answers a duplicate upload with the first 受付番号 and stores no second job', async () => {
    const message = upload([row(newJob, 'dup')], { file: 'dup-file' });
    const jobs = await count(store(), 'select count(*) as n from batch_jobs');
    const first = await service().acceptConfirm(message, { characterCode: '0' });
    const again = await service().acceptConfirm(structuredClone(message), { characterCode: '1' });
    assert.equal(again.MessageBody.ReceptionNumber, first.MessageBody.ReceptionNumber);
    assert.equal(await count(store(), 'select count(*) as n from batch_jobs'), jobs + 1);
    const other = await service().acceptConfirm(upload([row(newJob, 'dup')], { file: 'dup-file-2' }), {
      characterCode: '0',
    });
    assert.notEqual(other.MessageBody.ReceptionNumber, first.MessageBody.ReceptionNumber);
    await worker().drain();
  });

  it('resumes after a worker stopped mid-job and after one died inside a chunk, answering each row once', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i % 2 ? newJob : retired, `r${i + 1}`));
    const accepted = await service().acceptConfirm(upload(rows, { file: 'restart' }), { characterCode: '0' });
    const reception = accepted.MessageBody.ReceptionNumber!;
    // The first worker stops after two chunks (6 rows).
    assert.equal(await worker().drain(2), 2);
    // The second one dies inside its chunk: nothing of that chunk is kept, its lease stays taken.
    const dying = worker({
      beforeCommit: () => {
        throw new Error('killed');
      },
    });
    await assert.rejects(dying.runChunk(), /killed/);
    assert.equal(
      await worker().runChunk(),
      false,
      'the chunk stays leased to the dead worker until the lease ends',
    );
    clock.advance(60_001);
    assert.ok((await worker().drain()) >= 2);
    const done = await service().fetchConfirm(download(reception), {
      characterCode: '0',
      institutionCode: clinicA,
    });
    assert.equal(done.MessageHeader.SegmentOfResult, '1');
    const units = done.MessageBody.BulkConfirmUnit ?? [];
    assert.deepEqual(
      units.map((u) => u.RowNumber),
      rows.map((_, i) => String(i + 1)),
    );
    assert.deepEqual(
      units.map((u) => u.QualificationValidity),
      rows.map((_, i) => (i % 2 ? '1' : '2')),
    );
    const audited = await count(store(), 'select count(*) as n from audit_records where reason = ?', [
      `一括照会 ${reception}`,
    ]);
    assert.equal(audited, 10, 'one audit record per row: the dead chunk left none');
  });

  it('does not let another institution read the results', async () => {
    const accepted = await service().acceptConfirm(upload([row(newJob, 'mine')], { file: 'private' }), {
      characterCode: '0',
    });
    await worker().drain();
    await assert.rejects(
      service().fetchConfirm(download(accepted.MessageBody.ReceptionNumber!, clinicB), {
        characterCode: '0',
        institutionCode: clinicB,
      }),
      (error) => isOnshiError(error) && error.code === 'BATCH_RECEPTION_NOT_FOUND',
    );
  });

  it('refuses an upload beyond the institution rows in flight, and takes it once they are done', async () => {
    const big = Array.from({ length: 30 }, (_, i) => row(newJob, `f${i}`));
    await service().acceptConfirm(upload(big, { file: 'fair-1' }), { characterCode: '0' });
    await assert.rejects(
      service().acceptConfirm(upload(big, { file: 'fair-2' }), { characterCode: '0' }),
      (error) => isOnshiError(error) && error.code === 'BATCH_ROWS_IN_FLIGHT_EXCEEDED',
    );
    await assert.doesNotReject(
      service().acceptConfirm(upload(big, { file: 'fair-3', institution: clinicB }), { characterCode: '0' }),
      'other institutions are not held up',
    );
    await worker({ maxChunkRows: 100, firstChunkRows: 100 }).drain();
    await service().acceptConfirm(upload(big, { file: 'fair-2' }), { characterCode: '0' });
    await worker({ maxChunkRows: 100, firstChunkRows: 100 }).drain();
  });

  it('registers 照会番号 in a batch: registered, not found, malformed', async () => {
    const accepted = await service().acceptRegister(
      {
        MessageHeader: { MedicalInstitutionCode: clinicA, ArbitraryFileIdentifier: 'imm-1' },
        MessageBody: {
          ReferenceNumberRegistrationInfo: [
            {
              ReferenceNumber: '診察券-42',
              InsurerNumber: newJob.insurer,
              InsuredCardSymbol: newJob.symbol,
              InsuredIdentificationNumber: newJob.number,
              ArbitraryIdentifier: 'p42',
            },
            {
              ReferenceNumber: '診察券-43',
              InsurerNumber: newJob.insurer,
              InsuredIdentificationNumber: '9999',
            },
            { InsurerNumber: newJob.insurer, InsuredIdentificationNumber: '1' },
          ],
        },
      },
      { characterCode: '0' },
    );
    assert.equal(accepted.MessageHeader.NumberOfError, '1');
    const reception = accepted.MessageBody.ReceptionNumber!;
    const fetch = () =>
      service().fetchRegister(download(reception), { characterCode: '0', institutionCode: clinicA });
    assert.equal((await fetch()).MessageHeader.SegmentOfResult, '2');
    await worker().drain();
    const done = await fetch();
    assert.equal(done.MessageHeader.SegmentOfResult, '1');
    assert.deepEqual(
      [done.MessageHeader.NumberOfNormalProcessing, done.MessageHeader.NumberOfError],
      ['1', '2'],
    );
    assert.deepEqual(
      done.MessageBody.BulkConfirmUnit?.map((u) => [
        u.RowNumber,
        u.ProcessingResultStatus,
        u.ProcessingResultCode,
      ]),
      [
        ['1', '1', undefined],
        ['2', '2', 'REFERENCE_NUMBER_TARGET_NOT_FOUND'],
        ['3', '2', 'MSG_FIELD_REQUIRED'],
      ],
    );
    assert.equal(done.MessageBody.BulkConfirmUnit?.[0]?.ArbitraryIdentifier, 'p42');
    const check = await service().acceptConfirm(upload([row(newJob, 'ref')], { file: 'after-imm' }), {
      characterCode: '0',
    });
    await worker().drain();
    const checked = await service().fetchConfirm(download(check.MessageBody.ReceptionNumber!), {
      characterCode: '0',
      institutionCode: clinicA,
    });
    assert.equal(checked.MessageBody.BulkConfirmUnit?.[0]?.ReferenceNumber, '診察券-42');
    const personId = (await store().get<{ person_id: number }>(
      'select person_id from qualifications where card_number = ?',
      [newJob.number],
    ))!.person_id;
    assert.equal(await findReferenceNumber(store(), clinicA, personId), '診察券-42');
  });

  it('stores an upload in short transactions; one left half-stored by a dead process is set aside and stored anew', async () => {
    // A process that dies after the first slice of rows, before it can set the job aside.
    let rowInserts = 0;
    const dying = failingStore(store(), (sql) => {
      if (sql.startsWith('insert into batch_rows')) rowInserts++;
      return rowInserts > 1 || sql.includes("state = 'abandoned'");
    });
    const rows = [newJob, retired, changedJob, withCertificates, twins, newJob, retired].map((card, i) =>
      row(card, `staged-${i}`),
    );
    const sliced = { ...limits, rowsPerTransaction: 3 };
    const send = (s: Store) =>
      createBatchService({ store: s, clock, limits: sliced }).acceptConfirm(
        upload(rows, { file: 'staged' }),
        {
          characterCode: '0',
        },
      );
    await assert.rejects(send(dying), /the process died/);
    const dead = (await store().get<{ job_id: number; state: string; reception_number: string }>(
      `select job_id, state, reception_number from batch_jobs where file_identifier = 'staged'`,
    ))!;
    assert.equal(dead.state, 'receiving');
    assert.equal(
      await count(store(), 'select count(*) as n from batch_rows where job_id = ?', [dead.job_id]),
      3,
    );
    await worker().drain();
    assert.equal(
      await count(store(), 'select count(*) as n from batch_results where job_id = ?', [dead.job_id]),
      0,
      "a job still being received is not the worker's",
    );
    await assert.rejects(
      service().fetchConfirm(download(dead.reception_number), {
        characterCode: '0',
        institutionCode: clinicA,
      }),
      (error) => isOnshiError(error) && error.code === 'BATCH_RECEPTION_NOT_FOUND',
    );

    // Sent again: it waits for the upload in progress; once that is older than the lease, stores anew.
    let settled = false;
    const again = send(store()).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(settled, false, 'a fresh half-stored upload is waited for');
    clock.advance(61_000);
    const reception = (await again).MessageBody.ReceptionNumber!;
    assert.notEqual(reception, dead.reception_number);
    const states = await store().all<{ state: string }>(
      `select state from batch_jobs where file_identifier = 'staged' order by job_id`,
    );
    assert.deepEqual(
      states.map((j) => j.state),
      ['abandoned', 'processing'],
    );
    await worker().drain();
    const done = await service().fetchConfirm(download(reception), {
      characterCode: '0',
      institutionCode: clinicA,
    });
    assert.equal(done.MessageHeader.SegmentOfResult, '1');
    assert.deepEqual(
      done.MessageBody.BulkConfirmUnit?.map((u) => u.RowNumber),
      ['1', '2', '3', '4', '5', '6', '7'],
    );
    assert.equal(
      await count(store(), 'select count(*) as n from audit_records where reason = ?', [
        `一括照会 ${reception}`,
      ]),
      7,
    );
    // The retention run deletes the set-aside job and its rows the day after.
    await purgeExpired(store(), '2024-06-02');
    assert.equal(
      await count(store(), 'select count(*) as n from batch_rows where job_id = ?', [dead.job_id]),
      0,
    );
    assert.equal(
      await count(store(), 'select count(*) as n from batch_jobs where job_id = ?', [dead.job_id]),
      0,
    );
  });

  it('keeps finished results for the result period, then the retention run deletes them', async () => {
    const accepted = await service().acceptConfirm(upload([row(newJob, 'purge')], { file: 'purge' }), {
      characterCode: '0',
    });
    await worker().drain();
    const reception = accepted.MessageBody.ReceptionNumber!;
    const fetch = () =>
      service().fetchConfirm(download(reception), { characterCode: '0', institutionCode: clinicA });
    // Finished on 2024-06-01 (JST) with 7 days: kept through 2024-06-08.
    const kept = await purgeExpired(store(), '2024-06-08');
    assert.equal(kept.batchJobsDeleted, 0);
    assert.equal((await fetch()).MessageHeader.SegmentOfResult, '1');
    const purged = await purgeExpired(store(), '2024-06-09');
    assert.ok(purged.batchJobsDeleted >= 1);
    await assert.rejects(
      fetch(),
      (error) => isOnshiError(error) && error.code === 'BATCH_RECEPTION_NOT_FOUND',
    );
    const left = await count(
      store(),
      'select count(*) as n from batch_results r join batch_jobs j on j.job_id = r.job_id where j.reception_number = ?',
      [reception],
    );
    assert.equal(left, 0);
  });
});
