/**
 * `npm run bench -- http [--persons 1000000,10000000] [--stores sqlite,postgres] [--duration 10]
 *  [--warmup 3] [--connections 64] [--bodies 4000] [--seed 1] [--data-dir .onshi/bench]
 *  [--pg-url postgres://postgres@127.0.0.1:5432/postgres] [--baseline-only] [--cpu-prof DIR]`
 *
 * One run measures, over HTTPS on loopback with autocannon (in this process) against a server in a
 * separate process:
 *  (a) the baseline: a bare `node:https` server that reads the body and answers "hello";
 *  (b) the check by card data (XML in, store lookup, XML out) on each store and size.
 * Both receive the same kind of bodies: valid OQSsiquc01req documents sampled from the seeded store,
 * a different one per request. Seeded stores are kept under --data-dir and reused.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { checkBodies } from './http/bodies.ts';
import { type LoadResult, measure, processCpuSeconds, processesCpuSeconds } from './http/load.ts';
import { formatHotFunctions, hotFunctions, newestProfile } from './http/profile.ts';
import { type BenchStore, type Engine, prepareStore } from './http/stores.ts';
import { selfSignedCertificate, type TempCertificate } from './http/tls.ts';

const CHECK_PATH = '/oqs/v1/qualification-confirmations';

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

function printTable(rows: readonly Row[], options: { connections: number; duration: number }): void {
  const base = rows[0]!.result.requestsPerSecond;
  const out = [
    `\nHTTPS, ${options.connections} connections, ${options.duration} s measured, server in its own process\n`,
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
  };
}

async function measureCheck(
  store: BenchStore,
  tls: TempCertificate,
  options: ReturnType<typeof parseOptions>,
  bodies: Buffer[],
): Promise<LoadResult> {
  const args = [
    'check',
    '--key',
    tls.keyFile,
    '--cert',
    tls.certFile,
    '--store',
    store.url,
    '--as-of',
    store.asOf,
  ];
  const server = await startServer(args, options.cpuProfileDir);
  let result: LoadResult;
  try {
    result = await measure(
      { url: server.url, path: CHECK_PATH, contentType: 'application/xml', bodies },
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
    process.stdout.write(`${formatHotFunctions(hotFunctions(profile))}\n`);
  }
  return result;
}

export async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const tls = selfSignedCertificate();
  const rows: Row[] = [];
  try {
    const stores: BenchStore[] = [];
    for (const persons of options.baselineOnly ? options.persons.slice(0, 1) : options.persons) {
      for (const engine of options.stores) stores.push(await prepareStore(engine, persons, options));
    }
    const sample = stores[0];
    const bodiesOf = new Map<string, Buffer[]>();
    for (const store of stores)
      bodiesOf.set(store.url, await checkBodies(store.url, options.bodies, options.seed, store.asOf));
    const baselineBodies = sample ? bodiesOf.get(sample.url)! : [Buffer.from('<XmlMsg/>')];
    const hello = await startServer(['hello', '--key', tls.keyFile, '--cert', tls.certFile], undefined);
    try {
      const path = CHECK_PATH;
      rows.push({
        label: 'baseline: node:https hello',
        result: await measure(
          { url: hello.url, path, contentType: 'application/xml', bodies: baselineBodies },
          { ...options.load, serverCpuSeconds: () => processCpuSeconds(hello.pid) },
        ),
      });
    } finally {
      await hello.stop();
    }
    if (!options.baselineOnly) {
      for (const store of stores) {
        const label = `check, ${store.engine}, ${fmt(store.persons)} persons`;
        rows.push({
          label,
          result: await measureCheck(store, tls, options, bodiesOf.get(store.url)!),
          seeded: store.seededSeconds,
        });
      }
    }
  } finally {
    tls.remove();
  }
  printTable(rows, { connections: options.load.connections, duration: options.load.durationSeconds });
}
