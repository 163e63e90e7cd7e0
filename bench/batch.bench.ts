/**
 * `npm run bench -- batch [--persons 10000000] [--rows 100000] [--stores sqlite[,postgres]]
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
 */
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore, sampleCardQueries } from '@onshi/central';
import { padInsurerNumber, toWireDate } from '@onshi/core';
import { type RateResult, runAtRate } from './batch/rate.ts';
import { benchInstitutionCode, checkBodies } from './http/bodies.ts';
import { type BenchPki, createBenchPki } from './http/pki.ts';
import { startServer } from './http/spawn.ts';
import { type Engine, prepareStore } from './http/stores.ts';

const CHECK_PATH = '/oqs/v1/qualification-confirmations';
const UPLOAD_PATH = '/oqs/v1/bulk-qualification-confirmations';
const RESULTS_PATH = '/oqs/v1/bulk-qualification-confirmations/results';

function post(url: string, pki: BenchPki, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        rejectUnauthorized: false,
        cert: pki.client.cert,
        key: pki.client.key,
        headers: { 'content-type': 'application/xml' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const element = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

async function batchXml(
  storeUrl: string,
  rows: number,
  seed: number,
  on: string,
  code: string,
): Promise<string> {
  const store = openStore(storeUrl);
  try {
    const queries = await sampleCardQueries(store, rows, seed);
    const parts = [
      '<?xml version="1.0" encoding="UTF-8"?>\n<XmlMsg><MessageHeader>',
      `<QualificationConfirmationDate>${toWireDate(on)}</QualificationConfirmationDate>`,
      `<MedicalInstitutionCode>${code}</MedicalInstitutionCode>`,
      `<ArbitraryFileIdentifier>bench-${Date.now()}</ArbitraryFileIdentifier></MessageHeader><MessageBody>`,
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
  process.stderr.write(
    `${engine} ${fmt(persons)} persons: ${seeded} (${fmt((performance.now() - started) / 1000, 1)} s)\n`,
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
    const upload = await batchXml(bench.url, args.rows, args.seed + 1, bench.asOf, code);
    const target = { url: server.url, path: CHECK_PATH, bodies, client: pki.client };
    await runAtRate(target, { rate: args.rate, connections: args.connections, seconds: 3 });
    const baseline = await runAtRate(target, {
      rate: args.rate,
      connections: args.connections,
      seconds: args.baselineSeconds,
    });

    let finished = false;
    const during = runAtRate(target, {
      rate: args.rate,
      connections: args.connections,
      until: () => finished,
    });
    const t0 = performance.now();
    const accepted = await post(`${server.url}${UPLOAD_PATH}`, pki, upload);
    const tAccepted = performance.now();
    const reception = element(accepted.body, 'ReceptionNumber');
    if (accepted.status !== 200 || reception === undefined)
      throw new Error(`upload refused: ${accepted.body.slice(0, 400)}`);
    const probe = `<?xml version="1.0" encoding="UTF-8"?><XmlMsg><MessageHeader><MedicalInstitutionCode>${code}</MedicalInstitutionCode></MessageHeader><MessageBody><ReceptionNumber>${reception}</ReceptionNumber></MessageBody></XmlMsg>`;
    let tDone = 0;
    let downloadMs = 0;
    let answer = '';
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const before = performance.now();
      const polled = await post(`${server.url}${RESULTS_PATH}`, pki, probe);
      if (element(polled.body, 'SegmentOfResult') === '1') {
        tDone = before;
        downloadMs = performance.now() - before;
        answer = polled.body;
        break;
      }
    }
    finished = true;
    const withBatch = await during;
    const units = answer.split('<BulkConfirmUnit>').length - 1;
    const valid = answer.split('<QualificationValidity>1</QualificationValidity>').length - 1;
    const batchSeconds = (tDone - t0) / 1000;
    printResult(engine, persons, args, {
      acceptMs: tAccepted - t0,
      batchSeconds,
      workerSeconds: (tDone - tAccepted) / 1000,
      downloadMs,
      units,
      valid,
      counts: [
        element(answer, 'NumberOfProcessingResult'),
        element(answer, 'NumberOfNormalProcessing'),
        element(answer, 'NumberOfError'),
      ],
      baseline,
      withBatch,
    });
  } finally {
    await server.stop();
    pki.remove();
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
}

function printResult(engine: Engine, persons: number, args: Args, s: Summary): void {
  const rowsPerSecond = args.rows / s.batchSeconds;
  const out = [
    `\n${engine}, ${fmt(persons)} persons, ${fmt(args.rows)} rows, single checks at ${args.rate} req/s over ${args.connections} connections`,
    `upload → 受付番号: ${fmt(s.acceptMs)} ms; upload → done (02res SegmentOfResult 1): ${fmt(s.batchSeconds, 2)} s → ${fmt(rowsPerSecond)} rows/s` +
      ` (after the 受付番号: ${fmt(args.rows / s.workerSeconds)} rows/s); download of the result: ${fmt(s.downloadMs)} ms`,
    `units ${fmt(s.units)}, 有効 ${fmt(s.valid)}, header counts total/normal/error ${s.counts.join('/')}`,
    '',
    '| single checks | answered | req/s | p50 ms | p99 ms | max ms | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row('without a batch', s.baseline),
    row('while the batch runs', s.withBatch),
    '',
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
