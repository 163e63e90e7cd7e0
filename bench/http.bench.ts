/**
 * `npm run bench -- http [--persons 1000000,10000000] [--stores sqlite,postgres] [--duration 10]
 *  [--warmup 3] [--connections 64] [--bodies 4000] [--seed 1] [--data-dir .onshi/bench]
 *  [--pg-url postgres://postgres@127.0.0.1:5432/postgres] [--baseline-only] [--cpu-prof DIR] [--repeat N]
 *  [--reply-bytes 2300] [--cards 300] [--card-persons N] [--ocsp-reuse 60]`
 *
 * One run measures, over HTTPS on loopback with autocannon (in this process) against a server in a
 * separate process:
 *  (a) the baseline: a bare `node:https` server that reads the body and answers "hello";
 *  (b) the check by card data (XML in, store lookup, XML out) on each store and size, started as
 *      the CLI starts it (`startCentral`): mutual TLS with a throw-away common CA, the client
 *      presenting an institution certificate (verified once per connection, re-checked per request).
 * A second baseline answers with as many bytes as a check result (--reply-bytes; 0 skips it), to
 * separate the cost of sending a realistic response from the cost of the check itself.
 * All receive the same kind of bodies: valid OQSsiquc01req documents sampled from the seeded store,
 * a different one per request. Seeded stores are kept under --data-dir and reused.
 *  (c) the check by My Number card (http/card-bench.ts) on the stores of --card-persons persons
 *      (default: the smallest size; 0 skips it): the challenge endpoint, then confirmations signed
 *      by --cards virtual cards, with OCSP on every check and with an answer reused ≤ --ocsp-reuse s.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchInstitutionCode, checkBodies } from './http/bodies.ts';
import { type CardRow, measureCardCheck } from './http/card-bench.ts';
import { type BenchCards, createBenchCards } from './http/cards.ts';
import { type LoadResult, measure, processCpuSeconds, processesCpuSeconds } from './http/load.ts';
import { type BenchPki, createBenchPki } from './http/pki.ts';
import { printProfile } from './http/profile.ts';
import { startServer } from './http/spawn.ts';
import { type BenchStore, type Engine, prepareStore } from './http/stores.ts';

const CHECK_PATH = '/oqs/v1/qualification-confirmations';
const BASELINE = 'baseline: node:https hello';

interface Row extends CardRow {
  readonly seeded?: number | undefined;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function printTable(
  rows: readonly Row[],
  options: { connections: number; duration: number; repeat: number },
): void {
  const base = rows[0]!.result.requestsPerSecond;
  const out = [
    `\nHTTPS, ${options.connections} connections, ${options.duration} s measured, server in its own process` +
      `${options.repeat > 1 ? `, median of ${options.repeat} rounds` : ''}\n`,
    '| target | req/s | p50 ms | p99 ms | max ms | ratio to baseline | server CPU µs/req | PostgreSQL CPU µs/req | load generator CPU | errors | non-2xx |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { label, result: r } of rows) {
    out.push(
      `| ${label} | ${fmt(r.requestsPerSecond)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.max, 1)} | ` +
        `${fmt(r.requestsPerSecond / base, 2)} | ${fmt(r.cpuMicrosPerRequest)} | ` +
        `${Number.isNaN(r.databaseCpuMicrosPerRequest) ? '' : fmt(r.databaseCpuMicrosPerRequest)} | ` +
        `${fmt(r.clientCores * 100)} % | ${r.errors} | ${r.non2xx} |`,
    );
  }
  const seeded = rows.filter((r) => r.seeded !== undefined);
  if (seeded.length > 0) out.push('', ...seeded.map((r) => `seeded ${r.label} in ${fmt(r.seeded!, 1)} s`));
  const signed = rows.filter((r) => r.prepared !== undefined);
  if (signed.length > 0) out.push('');
  for (const { label, result, prepared } of signed) {
    out.push(`${label}: ${fmt(result.bodiesUsed)} of ${fmt(prepared!)} signed confirmations used`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      persons: { type: 'string', default: '1000000,10000000' },
      stores: { type: 'string', default: 'sqlite,postgres' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '64' },
      bodies: { type: 'string', default: '4000' },
      seed: { type: 'string', default: '1' },
      'data-dir': { type: 'string', default: '.onshi/bench' },
      'pg-url': {
        type: 'string',
        default: process.env.ONSHI_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      },
      'baseline-only': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      repeat: { type: 'string', default: '1' },
      'reply-bytes': { type: 'string', default: '2300' },
      cards: { type: 'string', default: '300' },
      'card-persons': { type: 'string' },
      'ocsp-reuse': { type: 'string', default: '60' },
    },
  });
  const persons = values.persons.split(',').map(Number);
  return {
    persons,
    stores: values.stores.split(',') as Engine[],
    load: {
      durationSeconds: Number(values.duration),
      warmupSeconds: Number(values.warmup),
      connections: Number(values.connections),
    },
    bodies: Number(values.bodies),
    seed: Number(values.seed),
    dataDir: values['data-dir'],
    pgServerUrl: values['pg-url'],
    baselineOnly: values['baseline-only'],
    cpuProfileDir: values['cpu-prof'],
    repeat: Math.max(1, Number(values.repeat)),
    replyBytes: Number(values['reply-bytes']),
    cards: Number(values.cards),
    cardPersons: Number(values['card-persons'] ?? Math.min(...persons)),
    ocspReuseSeconds: Number(values['ocsp-reuse']),
  };
}

type Options = ReturnType<typeof parseOptions>;

async function measureCheck(
  store: BenchStore,
  pki: BenchPki,
  options: Options,
  bodies: Buffer[],
): Promise<LoadResult> {
  const args = ['check', '--key', pki.keyFile, '--cert', pki.certFile, '--client-ca', pki.clientCaFile];
  args.push('--crl', pki.crlFile, '--store', store.url);
  const server = await startServer(args, options.cpuProfileDir);
  let result: LoadResult;
  try {
    result = await measure(
      { url: server.url, path: CHECK_PATH, contentType: 'application/xml', bodies, client: pki.client },
      {
        ...options.load,
        serverCpuSeconds: () => processCpuSeconds(server.pid),
        databaseCpuSeconds: store.engine === 'postgres' ? () => processesCpuSeconds('postgres') : undefined,
      },
    );
  } finally {
    await server.stop();
  }
  if (options.cpuProfileDir) printProfile(`${store.engine} ${store.persons}`, options.cpuProfileDir);
  return result;
}

async function measureBaseline(
  pki: BenchPki,
  options: Options,
  bodies: Buffer[],
  replyBytes: number,
): Promise<LoadResult> {
  const args = ['hello', '--key', pki.keyFile, '--cert', pki.certFile, '--reply-bytes', String(replyBytes)];
  const hello = await startServer(args, undefined);
  try {
    return await measure(
      { url: hello.url, path: CHECK_PATH, contentType: 'application/xml', bodies, client: pki.client },
      { ...options.load, serverCpuSeconds: () => processCpuSeconds(hello.pid) },
    );
  } finally {
    await hello.stop();
  }
}

/** Per label, the run with the median throughput (rounds are repeated on a shared, noisy machine). */
function medianRows(rows: readonly Row[]): Row[] {
  const labels = [...new Set(rows.map((r) => r.label))];
  return labels.map((label) => {
    const runs = rows.filter((r) => r.label === label);
    const sorted = [...runs].sort((a, b) => a.result.requestsPerSecond - b.result.requestsPerSecond);
    return { ...sorted[Math.floor((sorted.length - 1) / 2)]!, seeded: runs[0]!.seeded };
  });
}

async function prepareAll(options: Options, pki: BenchPki) {
  const stores: BenchStore[] = [];
  for (const persons of options.baselineOnly ? options.persons.slice(0, 1) : options.persons) {
    for (const engine of options.stores) stores.push(await prepareStore(engine, persons, options));
  }
  const bodiesOf = new Map<string, Buffer[]>();
  for (const store of stores) {
    bodiesOf.set(store.url, await checkBodies(store.url, options.bodies, options.seed, store.asOf));
  }
  const cardsOf = new Map<string, BenchCards>();
  for (const store of options.baselineOnly ? [] : stores.filter((s) => s.persons === options.cardPersons)) {
    const dir = join(pki.dir, `cards-${store.engine}-${store.persons}`);
    const on = store.asOf;
    const { seed, cards: count } = options;
    const cards = await createBenchCards(store.url, {
      dir,
      passphraseFile: pki.passphraseFile,
      count,
      seed,
      on,
    });
    cardsOf.set(store.url, cards);
  }
  return { stores, bodiesOf, cardsOf };
}

async function measureCards(store: BenchStore, pki: BenchPki, cards: BenchCards, options: Options) {
  return measureCardCheck(store, pki, cards, {
    load: options.load,
    reuseSeconds: options.ocspReuseSeconds,
    cpuProfileDir: options.cpuProfileDir,
    databaseCpuSeconds: store.engine === 'postgres' ? () => processesCpuSeconds('postgres') : undefined,
  });
}

export async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const pki = await createBenchPki(benchInstitutionCode());
  const rows: Row[] = [];
  try {
    const { stores, bodiesOf, cardsOf } = await prepareAll(options, pki);
    const baselineBodies = stores[0] ? bodiesOf.get(stores[0].url)! : [Buffer.from('<XmlMsg/>')];
    for (let round = 1; round <= options.repeat; round++) {
      if (options.repeat > 1) process.stderr.write(`round ${round} of ${options.repeat}\n`);
      rows.push({ label: BASELINE, result: await measureBaseline(pki, options, baselineBodies, 5) });
      if (options.replyBytes > 5) {
        const label = `node:https, ${fmt(options.replyBytes)}-byte reply (size of a check result)`;
        rows.push({ label, result: await measureBaseline(pki, options, baselineBodies, options.replyBytes) });
      }
      if (options.baselineOnly) continue;
      for (const store of stores) {
        const label = `check, ${store.engine}, ${fmt(store.persons)} persons`;
        const result = await measureCheck(store, pki, options, bodiesOf.get(store.url)!);
        rows.push({ label, result, seeded: store.seededSeconds });
        const cards = cardsOf.get(store.url);
        if (cards !== undefined) rows.push(...(await measureCards(store, pki, cards, options)));
      }
    }
  } finally {
    pki.remove();
  }
  printTable(medianRows(rows), {
    connections: options.load.connections,
    duration: options.load.durationSeconds,
    repeat: options.repeat,
  });
}
