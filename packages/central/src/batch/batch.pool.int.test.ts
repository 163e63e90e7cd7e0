/**
 * The answer threads (batch.pool.ts) with the batch worker's waves, on SQLite and PostgreSQL: the
 * units are the ones the worker builds itself, row for row; a wave stopped by a failure keeps the
 * chunks it committed and the rest is answered once after the lease; an answer thread that dies
 * settles what it was given and is replaced.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BulkQualificationConfirmSearchInfo } from '@onshi/core';
import * as scenario from '../eligibility/eligibility.scenario.ts';
import type { Store } from '../store/store.ts';
import { createTestStore, dialects, type TestStore } from '../test/stores.ts';
import { type AnswerPool, startAnswerPool } from './batch.pool.ts';
import { answerConfirmChunk } from './batch.rows.ts';
import { createBatchService } from './batch.service.ts';
import { bulkUpload, mixedRows, testWorker } from './batch.test-support.ts';
import type { BatchWorkerOptions } from './batch.worker.ts';

const { clinicA } = scenario;

/** 40 rows: every outcome, 限度額 with consent, and 10 malformed rows answered at acceptance. */
function rows(): BulkQualificationConfirmSearchInfo[] {
  const kinds = mixedRows();
  return Array.from({ length: 40 }, (_, i) => ({
    ...kinds[i % kinds.length]!,
    ArbitraryIdentifier: `r${i + 1}`,
  }));
}

const upload = (file: string) => bulkUpload(rows(), { file });

async function count(s: Store, sql: string, params: (string | number)[] = []): Promise<number> {
  return Number((await s.get<{ n: number }>(sql, params))?.n ?? 0);
}

for (const dialect of dialects) {
  describe(`batch answer threads [${dialect}]`, () => {
    let fixture: TestStore;
    let pool: AnswerPool;
    let now = new Date('2024-06-01T01:02:03Z');
    const clock = { now: () => now };
    const store = () => fixture.store;
    const service = () =>
      createBatchService({
        store: store(),
        clock,
        limits: { maxRows: 1000, maxRowsInFlight: 500, resultDays: 7 },
      });
    const worker = (extra: Partial<BatchWorkerOptions> = {}) => testWorker(store(), clock, extra);
    const pooled = (extra: Partial<BatchWorkerOptions> = {}) =>
      worker({ answerer: (ctx, chunk) => pool.answer(ctx, chunk), waveChunks: 4, ...extra });
    const accept = async (file: string) =>
      (await service().acceptConfirm(upload(file), { characterCode: '0' })).MessageBody.ReceptionNumber!;
    const units = async (reception: string) =>
      (await service().fetchConfirm(
        { MessageHeader: { MedicalInstitutionCode: clinicA }, MessageBody: { ReceptionNumber: reception } },
        { characterCode: '0', institutionCode: clinicA },
      )) as { MessageHeader: { SegmentOfResult: string }; MessageBody: { BulkConfirmUnit?: object[] } };
    const audited = (reception: string) =>
      count(store(), 'select count(*) as n from audit_records where reason = ?', [`一括照会 ${reception}`]);

    before(async () => {
      fixture = await createTestStore(dialect);
      await scenario.writeScenario(fixture.store);
      pool = startAnswerPool({ storeUrl: fixture.url, threads: 2, nice: 0 });
    });
    after(async () => {
      await pool.close();
      await fixture.dispose();
    });

    it('answers in the threads, in waves, with the units the worker builds itself', async () => {
      const inline = await accept('inline');
      await worker().drain();
      const threaded = await accept('threaded');
      const waves = await pooled().drain();
      assert.ok(waves >= 2, `30 valid rows in chunks of 3, 4 chunks a wave: several waves (${waves})`);
      const [a, b] = [await units(inline), await units(threaded)];
      assert.equal(b.MessageHeader.SegmentOfResult, '1');
      assert.equal(b.MessageBody.BulkConfirmUnit?.length, 40);
      assert.deepEqual(b.MessageBody.BulkConfirmUnit, a.MessageBody.BulkConfirmUnit);
      assert.equal(await audited(threaded), 30, 'one audit record per looked-up row');
      assert.equal(await audited(inline), 30);
    });

    it('keeps the chunks a failed wave committed; the rest is answered once after the lease', async () => {
      const reception = await accept('failing-wave');
      let commits = 0;
      const failing = pooled({
        beforeCommit: () => {
          if (++commits === 3) throw new Error('killed');
        },
      });
      await assert.rejects(failing.runChunk(), /killed/);
      const job = await store().get<{ job_id: number; next_row: number }>(
        'select job_id, next_row from batch_jobs where reception_number = ?',
        [reception],
      );
      const answered = await count(store(), 'select count(*) as n from batch_results where job_id = ?', [
        job!.job_id,
      ]);
      assert.equal(answered, 10 + 6, 'the 10 rows refused at acceptance and the wave’s first two chunks');
      assert.equal(await pooled().runChunk(), false, 'the lease stays with the failed wave until it ends');
      now = new Date(now.getTime() + 60_001);
      await pooled().drain();
      const done = await units(reception);
      assert.equal(done.MessageHeader.SegmentOfResult, '1');
      assert.deepEqual(
        done.MessageBody.BulkConfirmUnit?.map((u) => (u as { RowNumber: string }).RowNumber),
        Array.from({ length: 40 }, (_, i) => String(i + 1)),
      );
      assert.equal(await audited(reception), 30, 'each looked-up row audited once');
    });

    it('settles the chunks of a thread that dies; the pool goes on answering', async () => {
      const ctx = { institutionCode: clinicA, on: '2024-06-01' as never, processTime: '20240601100203' };
      const chunk = rows()
        .filter((r) => r.InsurerNumber !== undefined && r.Birthdate !== '19800231')
        .map((info, i) => ({ rowNo: i + 1, request: JSON.stringify(info) }));
      const expected = await answerConfirmChunk(store(), ctx, chunk);
      const inFlight = [pool.answer(ctx, chunk), pool.answer(ctx, chunk)];
      await pool.kill(0);
      const settled = await Promise.allSettled(inFlight);
      for (const s of settled) {
        if (s.status === 'fulfilled') assert.deepEqual(s.value, expected);
        else assert.match(String(s.reason), /answer thread ended/);
      }
      const again = await Promise.all([
        pool.answer(ctx, chunk),
        pool.answer(ctx, chunk),
        pool.answer(ctx, chunk),
      ]);
      for (const answer of again) assert.deepEqual(answer, expected);
    });

    if (dialect === 'sqlite')
      it('refuses chunks, rather than waiting forever, when its threads cannot open their store', async () => {
        const broken = startAnswerPool({
          storeUrl: 'sqlite:/nonexistent/onshi/central.db',
          threads: 1,
          nice: 0,
        });
        const ctx = { institutionCode: clinicA, on: '2024-06-01' as never, processTime: '20240601100203' };
        const request = JSON.stringify(rows()[0]);
        await assert.rejects(broken.answer(ctx, [{ rowNo: 1, request }]), /answer thread/);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await assert.rejects(broken.answer(ctx, [{ rowNo: 1, request }]), /no answer thread is running/);
        await broken.close();
      });
  });
}
