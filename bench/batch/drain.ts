/**
 * Per-row cost of the batch worker, without HTTP: stores one 一括照会 job of `--rows` rows (current
 * qualifications sampled with `--seed`, 限度額 consent on every row) in an existing store, drains it
 * with a worker as the batch thread runs it (`--chunk-ms`, default 10), reports µs per row split into
 * the lookups and reads outside the transactions and the transactions (claims and chunk commits),
 * (`--answer-threads N`: the lookups in N answer threads, as the batch thread runs them with
 * ONSHI_BATCH_ANSWER_THREADS, in waves of `--wave-chunks` chunks), then merges the audit records' index by person as the batch thread's merger would (the records
 * appended since the last merge: this job's, unless something else appended meanwhile; reported
 * apart, µs per drained row) and deletes the job. The audit records stay (as with the HTTP benchmark).
 *
 *   node bench/batch/drain.ts --store sqlite:.onshi/bench/onshi_bench_10000000_s1.db --rows 20000 --seed 7
 */

import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { mergeAuditPersons } from '../../packages/central/src/audit/audit.merge.ts';
import { startAnswerPool } from '../../packages/central/src/batch/batch.pool.ts';
import { createBatchService } from '../../packages/central/src/batch/batch.service.ts';
import { createBatchWorker } from '../../packages/central/src/batch/batch.worker.ts';
import { sampleCardQueries } from '../../packages/central/src/seed/sample.ts';
import { openStore, type Store } from '../../packages/central/src/store/store.ts';
import { toWireDate } from '../../packages/core/src/index.ts';
import { benchInstitutionCode } from '../http/bodies.ts';

const { values } = parseArgs({
  options: {
    store: { type: 'string' },
    rows: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '7' },
    'chunk-ms': { type: 'string', default: '10' },
    'max-chunk': { type: 'string', default: '2000' },
    'size-by': { type: 'string', default: 'commit' },
    'answer-threads': { type: 'string', default: '0' },
    'wave-chunks': { type: 'string', default: '16' },
    nice: { type: 'string', default: '0' },
  },
});
const url = values.store ?? 'sqlite:.onshi/bench/onshi_bench_10000000_s1.db';
const rows = Number(values.rows);
const clock = { now: () => new Date() };
const store = openStore(url);

let outside = 0;
let inTx = 0;
let txCount = 0;
const statements = new Map<string, number>();
const timed: Store = {
  ...store,
  dialect: store.dialect,
  raw: store.raw,
  async all(sql, params) {
    const t = performance.now();
    try {
      return await store.all(sql, params);
    } finally {
      outside += performance.now() - t;
    }
  },
  get: (sql, params) => store.get(sql, params),
  run: (sql, params) => store.run(sql, params),
  async transaction(fn) {
    const t = performance.now();
    try {
      return await store.transaction((tx) => {
        const inner: Store = {
          ...tx,
          dialect: tx.dialect,
          raw: tx.raw,
          all: (sql, params) => tx.all(sql, params),
          get: (sql, params) => tx.get(sql, params),
          async run(sql, params) {
            const s = performance.now();
            try {
              return await tx.run(sql, params);
            } finally {
              const key = sql.trim().split(/\s+/).slice(0, 3).join(' ');
              statements.set(key, (statements.get(key) ?? 0) + performance.now() - s);
            }
          },
          async transaction(f) {
            const s = performance.now();
            try {
              return await tx.transaction(f);
            } finally {
              statements.set('audit', (statements.get('audit') ?? 0) + performance.now() - s);
            }
          },
          close: () => tx.close(),
        };
        const s = performance.now();
        return fn(inner).finally(() => {
          statements.set('body', (statements.get('body') ?? 0) + performance.now() - s);
        });
      });
    } finally {
      inTx += performance.now() - t;
      txCount++;
    }
  },
  close: () => store.close(),
};

const queries = await sampleCardQueries(store, rows, Number(values.seed));
const service = createBatchService({
  store,
  clock,
  limits: { maxRows: 1_000_000, maxRowsInFlight: 10_000_000, resultDays: 1 },
});
const on = new Date().toISOString().slice(0, 10);
const code = benchInstitutionCode();
const t0 = performance.now();
const accepted = await service.acceptConfirm(
  {
    MessageHeader: {
      QualificationConfirmationDate: toWireDate(on as never),
      MedicalInstitutionCode: code,
      ArbitraryFileIdentifier: `drain-${Date.now()}`,
    },
    MessageBody: {
      QualificationConfirmSearchInfo: queries.map((q, i) => ({
        InsurerNumber: q.insurerNumber.padStart(8, '0'),
        ...(q.cardSymbol === '' ? {} : { InsuredCardSymbol: q.cardSymbol }),
        InsuredIdentificationNumber: q.cardNumber,
        ...(q.branchNumber === '' ? {} : { InsuredBranchNumber: q.branchNumber }),
        Birthdate: toWireDate(q.birthdate),
        LimitApplicationCertificateRelatedConsFlg: '1',
        ArbitraryIdentifier: `row${i + 1}`,
      })),
    },
  } as never,
  { characterCode: '0' },
);
const acceptMs = performance.now() - t0;
const reception = (accepted as { MessageBody: { ReceptionNumber: string } }).MessageBody.ReceptionNumber;
const walPath = `${url.slice('sqlite:'.length)}-wal`;
const load = loadavg()[0]!.toFixed(2);
const answerThreads = Number(values['answer-threads']);
const pool =
  answerThreads > 0
    ? startAnswerPool({ storeUrl: url, threads: answerThreads, nice: Number(values.nice) })
    : undefined;
const worker = createBatchWorker({
  store: timed,
  answerer: pool === undefined ? undefined : (ctx, rows) => pool.answer(ctx, rows),
  waveChunks: Number(values['wave-chunks']),
  clock,
  chunkMillis: Number(values['chunk-ms']),
  maxChunkRows: Number(values['max-chunk']),
  sizeBy: values['size-by'] as 'chunk' | 'commit',
  leaseMs: 60_000,
  resultDays: 1,
  pollMs: 1000,
});
// As in the server, the answer threads are up (modules loaded, connections open) before the job comes.
if (pool !== undefined) {
  const warm = { institutionCode: code, on: on as never, processTime: '20260101000000' };
  const none = JSON.stringify({
    InsurerNumber: '00000000',
    InsuredIdentificationNumber: '0',
    Birthdate: '20000101',
  });
  await Promise.all(
    Array.from({ length: pool.threads }, () => pool.answer(warm, [{ rowNo: 0, request: none }])),
  );
}
outside = 0;
inTx = 0;
txCount = 0;
statements.clear();
const cpu1 = process.cpuUsage();
const t1 = performance.now();
const chunks = await worker.drain();
const drainMs = performance.now() - t1;
const drainCpu = process.cpuUsage(cpu1);
// The merge as the batch thread's merger runs it, in steps of 200,000 records, until caught up.
const t2 = performance.now();
let mergedEntries = 0;
for (;;) {
  const report = await mergeAuditPersons(store);
  mergedEntries += report.entries;
  if (report.to - report.from < 200_000) break;
}
const mergeMs = performance.now() - t2;
const job = await store.get<{ job_id: number; normal_rows: number; error_rows: number }>(
  'select job_id, normal_rows, error_rows from batch_jobs where reception_number = ?',
  [reception],
);
let unitBytes = 0;
if (job !== undefined) {
  unitBytes = Number(
    (await store.get<{ n: number }>('select sum(length(unit)) as n from batch_results where job_id = ?', [
      job.job_id,
    ]))!.n,
  );
  await store.transaction(async (tx) => {
    await tx.run('delete from batch_results where job_id = ?', [job.job_id]);
    await tx.run('delete from batch_rows where job_id = ?', [job.job_id]);
    await tx.run('delete from batch_jobs where job_id = ?', [job.job_id]);
  });
}
let wal = 0;
try {
  wal = statSync(walPath).size;
} catch {}
const us = (ms: number) => ((ms * 1000) / rows).toFixed(1);
console.log(
  JSON.stringify({
    load,
    rows,
    answerThreads,
    acceptMs: Math.round(acceptMs),
    drainMs: Math.round(drainMs),
    rowsPerS: Math.round(rows / (drainMs / 1000)),
    usPerRow: us(drainMs),
    // CPU of every thread of the process while draining, as cores busy on average (2 = both).
    drainCores: ((drainCpu.user + drainCpu.system) / 1000 / drainMs).toFixed(2),
    drainSystemShare: (drainCpu.system / (drainCpu.user + drainCpu.system)).toFixed(2),
    usOutsideTx: us(outside),
    usInTx: us(inTx),
    usOther: us(drainMs - outside - inTx),
    usMerge: us(mergeMs),
    mergedEntries,
    chunks,
    transactions: txCount,
    normal: job?.normal_rows,
    error: job?.error_rows,
    unitBytesPerRow: Math.round(unitBytes / rows),
    walBytes: wal,
    usInTxBy: Object.fromEntries([...statements].map(([k, v]) => [k, us(v)])),
  }),
);
await pool?.close();
await store.close();
