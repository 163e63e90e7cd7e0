/**
 * `npm run bench -- http [--persons 1000000,10000000] [--stores sqlite,postgres] [--duration 10]
 *  [--warmup 3] [--connections 64] [--bodies 4000] [--seed 1] [--data-dir .onshi/bench]
 *  [--pg-url postgres://postgres@127.0.0.1:5432/postgres] [--baseline-only] [--cpu-prof DIR] [--repeat N]
 *  [--reply-bytes 2300]`
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
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { benchInstitutionCode, checkBodies } from './http/bodies.ts';
import { type LoadResult, measure, processCpuSeconds, processesCpuSeconds } from './http/load.ts';
import { type BenchPki, createBenchPki } from './http/pki.ts';
import { areaShares, formatHotFunctions, hotFunctions, newestProfile } from './http/profile.ts';
import { type BenchStore, type Engine, prepareStore } from './http/stores.ts';

const CHECK_PATH = '/oqs/v1/qualification-confirmations';
const BASELINE = 'baseline: node:https hello';

interface Row {
  readonly label: string;
  readonly result: LoadResult;
  readonly seeded?: number | undefined;
}

interface Server {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

async function startServer(args: string[], cpuProfileDir: string | undefined): Promise<Server> {
  const nodeArgs = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const child = spawn(
    process.execPath,
    [...nodeArgs, new URL('./http/server.ts', import.meta.url).pathname, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening`)));
  });
  const { url } = JSON.parse(first) as { url: string };
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
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
    },
  });
  return {
    persons: values.persons.split(',').map(Number),
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
  };
}

async function measureCheck(
  store: BenchStore,
  pki: BenchPki,
  options: ReturnType<typeof parseOptions>,
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
  const profile = options.cpuProfileDir ? newestProfile(options.cpuProfileDir) : undefined;
  if (profile) {
    process.stdout.write(`\nserver self time, ${store.engine} ${store.persons} (${profile}):\n`);
    process.stdout.write(`${formatHotFunctions(hotFunctions(profile))}\nby area:\n`);
    const areas = areaShares(profile).map((a) => `  ${(a.share * 100).toFixed(1).padStart(5)} %  ${a.area}`);
    process.stdout.write(`${areas.join('\n')}\n`);
  }
  return result;
}

async function measureBaseline(
  pki: BenchPki,
  options: ReturnType<typeof parseOptions>,
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

async function prepareAll(options: ReturnType<typeof parseOptions>) {
  const stores: BenchStore[] = [];
  for (const persons of options.baselineOnly ? options.persons.slice(0, 1) : options.persons) {
    for (const engine of options.stores) stores.push(await prepareStore(engine, persons, options));
  }
  const bodiesOf = new Map<string, Buffer[]>();
  for (const store of stores) {
    bodiesOf.set(store.url, await checkBodies(store.url, options.bodies, options.seed, store.asOf));
  }
  return { stores, bodiesOf };
}

export async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const pki = await createBenchPki(benchInstitutionCode());
  const rows: Row[] = [];
  try {
    const { stores, bodiesOf } = await prepareAll(options);
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
