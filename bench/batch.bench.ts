/**
 * `npm run bench -- batch [--persons 10000000] [--rows 100000] [--batches 1] [--stores sqlite[,postgres]]
 *  [--rate 300] [--connections 16] [--baseline-seconds 10] [--seed 1] [--data-dir .onshi/bench]
 *  [--pg-url postgres://postgres@127.0.0.1:5432/postgres]`
 *
 * The batch pre-check (一括照会) against the central service started as the CLI starts it
 * (`startCentral`, in its own process, HTTPS with mutual TLS, the batch worker on by default) on a
 * seeded store (cached under --data-dir like the http benchmark's):
 *  (a) without a batch: single checks by card data at a fixed rate (--rate requests/s over
 *      --connections keep-alive connections, autocannon) for --baseline-seconds → p50/p99;
 *  (b) one OQSmuquc01req of --rows rows (current qualifications sampled from the store, consent to
 *      限度額 on every row) is uploaded, and OQSmuquc02req is polled every 100 ms until
 *      SegmentOfResult is 1; meanwhile the same single-check load runs → p50/p99 while the batch
 *      runs. Printed: time to the 受付番号, time until done, rows/s, time to download the result,
 *      and the single-check latency ratios (with / without).
 * With `--batches N` the batches follow each other on the same server (each with its own rows,
 * compared with the same baseline), showing what a server that has run a while does. Before the runs the store's files are read into the OS cache (`warmStore`), so that a run does not
 * depend on what ran before it. The server takes the `ONSHI_BATCH_*` variables of this process's environment (e.g.
 * `ONSHI_BATCH_ANSWER_THREADS=2`); everything else is the CLI's default.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { openStore, sampleCardQueries } from '@onshi/central';
import { padInsurerNumber, toWireDate } from '@onshi/core';
import type { ClientData, ClientResult } from './batch/client.ts';
import { percentile, type RateResult, runAtRate } from './batch/rate.ts';
import { cpuBetween, sampleThreadsEvery } from './batch/threads.ts';
import { benchInstitutionCode, checkBodies } from './http/bodies.ts';
import { createBenchPki } from './http/pki.ts';
import { startServer } from './http/spawn.ts';
import { type Engine, prepareStore, warmStore } from './http/stores.ts';

const CHECK_PATH = '/oqs/v1/qualification-confirmations';
const UPLOAD_PATH = '/oqs/v1/bulk-qualification-confirmations';
const RESULTS_PATH = '/oqs/v1/bulk-qualification-confirmations/results';

async function batchXml(
  storeUrl: string,
  rows: number,
  seed: number,
  on: string,
  code: string,
  n: number,
): Promise<string> {
  const store = openStore(storeUrl);
  try {
    const queries = await sampleCardQueries(store, rows, seed);
    const parts = [
      '<?xml version="1.0" encoding="UTF-8"?>\n<XmlMsg><MessageHeader>',
      `<QualificationConfirmationDate>${toWireDate(on)}</QualificationConfirmationDate>`,
      `<MedicalInstitutionCode>${code}</MedicalInstitutionCode>`,
      `<ArbitraryFileIdentifier>bench-${Date.now()}-${n}</ArbitraryFileIdentifier></MessageHeader><MessageBody>`,
    ];
    queries.forEach((q, i) => {
      parts.push(
        `<QualificationConfirmSearchInfo><InsurerNumber>${padInsurerNumber(q.insurerNumber)}</InsurerNumber>`,
        q.cardSymbol === '' ? '' : `<InsuredCardSymbol>${q.cardSymbol}</InsuredCardSymbol>`,
        `<InsuredIdentificationNumber>${q.cardNumber}</InsuredIdentificationNumber>`,
        q.branchNumber === '' ? '' : `<InsuredBranchNumber>${q.branchNumber}</InsuredBranchNumber>`,
        `<Birthdate>${toWireDate(q.birthdate)}</Birthdate>`,
        '<LimitApplicationCertificateRelatedConsFlg>1</LimitApplicationCertificateRelatedConsFlg>',
        `<ArbitraryIdentifier>row${i + 1}</ArbitraryIdentifier></QualificationConfirmSearchInfo>`,
      );
    });
    parts.push('</MessageBody></XmlMsg>\n');
    return parts.join('');
  } finally {
    await store.close();
  }
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function runOne(engine: Engine, persons: number, args: Args): Promise<void> {
  const started = performance.now();
  const bench = await prepareStore(engine, persons, {
    dataDir: args.dataDir,
    pgServerUrl: args.pgUrl,
    seed: args.seed,
  });
  const seeded = bench.seededSeconds === undefined ? 'reused' : `seeded in ${fmt(bench.seededSeconds, 1)} s`;
  const warmed = await warmStore(bench);
  process.stderr.write(
    `${engine} ${fmt(persons)} persons: ${seeded} (${fmt((performance.now() - started) / 1000, 1)} s), files read into the cache in ${fmt(warmed, 1)} s\n`,
  );
  const code = benchInstitutionCode();
  const pki = await createBenchPki(code);
  const server = await startServer(
    [
      'check',
      '--key',
      pki.keyFile,
      '--cert',
      pki.certFile,
      '--client-ca',
      pki.clientCaFile,
      '--crl',
      pki.crlFile,
      '--store',
      bench.url,
    ],
    undefined,
  );
  try {
    const bodies = await checkBodies(bench.url, 4000, args.seed, bench.asOf);
    const target = { url: server.url, path: CHECK_PATH, bodies, client: pki.client };
    await runAtRate(target, { rate: args.rate, connections: args.connections, seconds: 3 });
    const baseline = await runAtRate(target, {
      rate: args.rate,
      connections: args.connections,
      seconds: args.baselineSeconds,
    });

    for (let n = 1; n <= args.batches; n++) {
      // A new file and new rows each time (rows of another sample: the later batches do not
      // find their own rows' pages in the caches, only the indexes' inner pages and the threads).
      const upload = await batchXml(bench.url, args.rows, args.seed + n, bench.asOf, code, n);
      // Upload, polls and download on their own thread (bench/batch/client.ts): sending 40 MB and
      // receiving 200 MB must not stall the load generator's event loop, which times the single checks.
      // The upload is handed over (moved, not copied) and the thread started before the load begins.
      const uploadBytes = Buffer.from(upload);
      const clientData: ClientData = {
        url: server.url,
        cert: pki.client.cert,
        key: pki.client.key,
        uploadPath: UPLOAD_PATH,
        resultsPath: RESULTS_PATH,
        institutionCode: code,
        upload: new Uint8Array(uploadBytes.buffer, uploadBytes.byteOffset, uploadBytes.byteLength),
      };
      const client = new Worker(new URL('./batch/client.ts', import.meta.url), {
        workerData: clientData,
        transferList: [uploadBytes.buffer as ArrayBuffer],
      });
      const clientDone = new Promise<ClientResult>((resolve, reject) => {
        client.on('message', (m: ClientResult | 'ready') => {
          if (m !== 'ready') resolve(m);
        });
        client.once('error', reject);
      });
      await new Promise<void>((resolve) => client.once('message', () => resolve()));
      let finished = false;
      const cpu = sampleThreadsEvery(server.pid, 100);
      const during = runAtRate(target, {
        rate: args.rate,
        connections: args.connections,
        until: () => finished,
      });
      client.postMessage('go');
      const c = await clientDone;
      const samples = cpu.stop();
      await client.terminate();
      finished = true;
      const withBatch = await during;
      if (c.error !== undefined) throw new Error(c.error);
      // runAtRate's times are this thread's performance.now(); the client's are absolute.
      const local = (t: number) => t - performance.timeOrigin;
      const t0 = local(c.t0);
      const tAccepted = local(c.tAccepted);
      const tDone = local(c.tDone);
      const phases = phaseLatencies(withBatch, [
        ['upload (until the 受付番号)', t0, tAccepted],
        ['worker (until SegmentOfResult 1)', tAccepted, tDone],
        ['download (the 02res)', tDone, local(c.tDownloaded)],
      ]);
      const downloadMs = c.tDownloaded - c.tDone;
      const workerCpu = cpuBetween(samples, tAccepted, tDone);
      const batchSeconds = (tDone - t0) / 1000;
      printResult(engine, persons, args, n, {
        acceptMs: tAccepted - t0,
        batchSeconds,
        workerSeconds: (tDone - tAccepted) / 1000,
        downloadMs,
        units: c.units,
        valid: c.valid,
        counts: c.counts,
        baseline,
        withBatch,
        phases,
        workerCpu,
      });
    }
  } finally {
    await server.stop();
    pki.remove();
    await removeBenchJobs(bench.url);
  }
}

/** Deletes this benchmark's jobs (rows and results), so that the store does not grow run after run. */
async function removeBenchJobs(storeUrl: string): Promise<void> {
  const store = openStore(storeUrl);
  try {
    await store.transaction(async (tx) => {
      const bench = "select job_id from batch_jobs where file_identifier like 'bench-%'";
      await tx.run(`delete from batch_results where job_id in (${bench})`);
      await tx.run(`delete from batch_rows where job_id in (${bench})`);
      await tx.run(`delete from batch_jobs where job_id in (${bench})`);
    });
  } finally {
    await store.close();
  }
}

interface Summary {
  readonly acceptMs: number;
  readonly batchSeconds: number;
  readonly workerSeconds: number;
  readonly downloadMs: number;
  readonly units: number;
  readonly valid: number;
  readonly counts: readonly (string | undefined)[];
  readonly baseline: RateResult;
  readonly withBatch: RateResult;
  readonly phases: readonly string[];
  /** The server's CPU by thread group while the worker ran (from the 受付番号 to SegmentOfResult 1). */
  readonly workerCpu: ReturnType<typeof cpuBetween>;
}

/** p50/p99/max of the single checks sent during each phase of the batch. */
function phaseLatencies(result: RateResult, phases: readonly [string, number, number][]): string[] {
  return phases.map(([label, from, to]) => {
    const sorted = Float64Array.from(
      result.samples.filter((s) => s.sentAt >= from && s.sentAt < to).map((s) => s.ms),
    ).sort();
    return `| ${label} | ${fmt(sorted.length)} | ${fmt(percentile(sorted, 50), 2)} | ${fmt(percentile(sorted, 99), 2)} | ${fmt(sorted.at(-1) ?? Number.NaN, 1)} |`;
  });
}

/** The worker phase's CPU per row by thread group, and the cores it kept busy. */
function cpuLine(cpu: Summary['workerCpu'], rows: number): string {
  if (cpu === undefined) return 'server CPU by thread: not sampled';
  const us = (seconds: number) => fmt((seconds * 1e6) / rows, 1);
  const { api, batch, answer, gc, other } = cpu.seconds;
  const total = api + batch + answer + gc + other;
  return (
    `server CPU while the worker ran, µs per row: answer threads ${us(answer)}, batch thread ${us(batch)}, ` +
    `GC ${us(gc)}, API thread ${us(api)}, other ${us(other)}; total ${us(total)} ` +
    `(${fmt(total / cpu.wallSeconds, 2)} cores busy)`
  );
}

function printResult(engine: Engine, persons: number, args: Args, n: number, s: Summary): void {
  const rowsPerSecond = args.rows / s.batchSeconds;
  const which = args.batches > 1 ? ` — batch ${n} of ${args.batches} on the same server` : '';
  const out = [
    `\n${engine}, ${fmt(persons)} persons, ${fmt(args.rows)} rows, single checks at ${args.rate} req/s over ${args.connections} connections${which}`,
    `upload → 受付番号: ${fmt(s.acceptMs)} ms; upload → done (02res SegmentOfResult 1): ${fmt(s.batchSeconds, 2)} s → ${fmt(rowsPerSecond)} rows/s` +
      ` (after the 受付番号: ${fmt(args.rows / s.workerSeconds)} rows/s); download of the result: ${fmt(s.downloadMs)} ms`,
    `units ${fmt(s.units)}, 有効 ${fmt(s.valid)}, header counts total/normal/error ${s.counts.join('/')}`,
    '',
    '| single checks | answered | req/s | p50 ms | p99 ms | max ms | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row('without a batch', s.baseline),
    row('while the batch runs', s.withBatch),
    '',
    '| single checks sent during | answered | p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|',
    ...s.phases,
    '',
    cpuLine(s.workerCpu, args.rows),
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (${cpus().length} CPUs) at the end`,
    `p50 ratio ${fmt(s.withBatch.p50 / s.baseline.p50, 2)}×, p99 ratio ${fmt(s.withBatch.p99 / s.baseline.p99, 2)}× (goal ≤ 2×); ` +
      `batch ${fmt(rowsPerSecond)} rows/s (goal ≥ 50,000)`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

function row(label: string, r: RateResult): string {
  return `| ${label} | ${fmt(r.ok)} | ${fmt(r.requestsPerSecond)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.max, 1)} | ${r.errors} |`;
}

interface Args {
  readonly persons: number[];
  readonly rows: number;
  /** Batches one after the other on the same server (the later ones find its caches warm). */
  readonly batches: number;
  readonly stores: Engine[];
  readonly rate: number;
  readonly connections: number;
  readonly baselineSeconds: number;
  readonly seed: number;
  readonly dataDir: string;
  readonly pgUrl: string;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      persons: { type: 'string', default: '10000000' },
      rows: { type: 'string', default: '100000' },
      batches: { type: 'string', default: '1' },
      stores: { type: 'string', default: 'sqlite' },
      rate: { type: 'string', default: '300' },
      connections: { type: 'string', default: '16' },
      'baseline-seconds': { type: 'string', default: '10' },
      seed: { type: 'string', default: '1' },
      'data-dir': { type: 'string', default: join('.onshi', 'bench') },
      'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    },
  });
  const args: Args = {
    persons: values.persons.split(',').map(Number),
    rows: Number(values.rows),
    batches: Math.max(1, Number(values.batches)),
    stores: values.stores.split(',') as Engine[],
    rate: Number(values.rate),
    connections: Number(values.connections),
    baselineSeconds: Number(values['baseline-seconds']),
    seed: Number(values.seed),
    dataDir: values['data-dir'],
    pgUrl: values['pg-url'],
  };
  for (const engine of args.stores) for (const persons of args.persons) await runOne(engine, persons, args);
}
