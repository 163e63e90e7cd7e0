/**
 * `npm run bench -- burst [--files 10000] [--store sqlite|postgres] [--persons 100000]
 *  [--concurrency 8] [--shift-jis-every 10] [--seed 1] [--data-dir .onshi/bench]
 *  [--pg-url postgres://postgres@127.0.0.1:5432/postgres] [--keep]`
 *
 * A burst of request files through the connector, end to end. Central runs seeded, over HTTPS with
 * mutual TLS, in its own process (as in the http bench); the connector runs in this process
 * (`runConnector`, default settings but --concurrency) on a temp folder. In one run:
 *  (a) the baseline: the same N requests POSTed straight to central with the connector's HTTPS
 *      client and the same concurrency — what central alone needs for them;
 *  (b) the burst: N valid OQSsiquc01req files (every --shift-jis-every-th in Shift_JIS) dropped
 *      into req/ as fast as possible (temp name, then rename) from a worker thread, each drop time
 *      recorded; results are taken out of res/ as they appear (fs.watch + a 50 ms scan), as an EMR
 *      does.
 * It prints files/s end to end, latency from drop to result (p50/p90/p99/max), the ratio to the
 * baseline, CPU per request of central and of this process, and checks that every request got
 * exactly one complete result under its mirrored name, its own, none twice, and that nothing is
 * left in req/ or .work/.
 */

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { decodeMessage, qualificationConfirmResultSchema } from '@onshi/core';
import { createHttpsCentralClient, defaultConnectorOptions, runConnector } from '@onshi/terminal';
import { dropAll, postAll, startConsumer } from './burst/client.ts';
import { type BurstRequest, burstRequests } from './burst/requests.ts';
import { benchInstitutionCode } from './http/bodies.ts';
import { processCpuSeconds } from './http/load.ts';
import { createBenchPki } from './http/pki.ts';
import { startServer } from './http/spawn.ts';
import { type Engine, prepareStore } from './http/stores.ts';

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      files: { type: 'string', default: '10000' },
      store: { type: 'string', default: 'sqlite' },
      persons: { type: 'string', default: '100000' },
      concurrency: { type: 'string', default: String(defaultConnectorOptions.concurrency) },
      'shift-jis-every': { type: 'string', default: '10' },
      seed: { type: 'string', default: '1' },
      'data-dir': { type: 'string', default: '.onshi/bench' },
      'pg-url': {
        type: 'string',
        default: process.env.ONSHI_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      },
      keep: { type: 'boolean', default: false },
    },
  });
  return {
    files: Number(values.files),
    engine: values.store as Engine,
    persons: Number(values.persons),
    concurrency: Number(values.concurrency),
    shiftJisEvery: Number(values['shift-jis-every']),
    seed: Number(values.seed),
    dataDir: values['data-dir'],
    pgServerUrl: values['pg-url'],
    keep: values.keep,
  };
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function percentiles(values: Float64Array) {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { p50: at(50), p90: at(90), p99: at(99), max: sorted.at(-1)! };
}

function progress(label: string, done: () => number, total: number, extra: () => string) {
  const start = performance.now();
  const timer = setInterval(() => {
    const seconds = (performance.now() - start) / 1000;
    const n = done();
    process.stderr.write(
      `${label}: ${fmt(n)}/${fmt(total)} in ${fmt(seconds, 1)} s, ${fmt(n / seconds)}/s${extra()}\n`,
    );
  }, 1_000);
  return () => clearInterval(timer);
}

/** Every request answered once, completely, with its own answer; nothing left behind. */
function verify(
  root: string,
  consumedDir: string,
  requests: readonly BurstRequest[],
  consumer: { arrivals: Map<string, number>; strays: string[] },
): string[] {
  const problems: string[] = [];
  const twice = [...consumer.arrivals].filter(([, n]) => n > 1);
  if (twice.length > 0) problems.push(`${twice.length} results written more than once`);
  if (consumer.strays.length > 0) problems.push(`unexpected files in res/: ${consumer.strays.slice(0, 5)}`);
  let wrong = 0;
  let missing = 0;
  for (const request of requests) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(join(consumedDir, request.resultName)));
    } catch {
      missing++;
      continue;
    }
    try {
      const result = decodeMessage(bytes, qualificationConfirmResultSchema);
      const header = result.MessageHeader;
      if (header.ArbitraryFileIdentifier !== `bench${request.index}` || header.SegmentOfResult !== '1')
        wrong++;
    } catch {
      wrong++;
    }
  }
  if (missing > 0) problems.push(`${missing} results missing`);
  if (wrong > 0) problems.push(`${wrong} results not decodable or not the request's own answer`);
  const left = (dir: string, expected: string[] = []) => {
    const names = readdirSync(join(root, dir)).filter((n) => !expected.includes(n));
    if (names.length > 0) problems.push(`${names.length} files left in ${dir}/ (${names.slice(0, 3)})`);
  };
  left('req', ['.work', 'done', 'error']);
  left('req/.work');
  left('req/error');
  left('res');
  const done = readdirSync(join(root, 'req', 'done')).length;
  if (done !== requests.length) problems.push(`${done} requests in req/done/, expected ${requests.length}`);
  const db = new DatabaseSync(join(root, '.connector', 'state.db'), { readOnly: true });
  try {
    const rows = db.prepare('SELECT state, count(*) AS n FROM requests GROUP BY state').all();
    const states = Object.fromEntries(rows.map((r) => [r.state, r.n]));
    if (states.done !== requests.length || Object.keys(states).length !== 1) {
      problems.push(`state rows: ${JSON.stringify(states)}`);
    }
  } finally {
    db.close();
  }
  return problems;
}

export async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const store = await prepareStore(options.engine, options.persons, options);
  const requests = await burstRequests(store.url, options.files, {
    seed: options.seed,
    on: store.asOf,
    shiftJisEvery: options.shiftJisEvery,
  });
  const byResult = new Map(requests.map((r) => [r.resultName, r.index]));
  const pki = await createBenchPki(benchInstitutionCode());
  const certFile = join(pki.dir, 'client.crt');
  const keyFile = join(pki.dir, 'client.key');
  writeFileSync(certFile, pki.client.cert);
  writeFileSync(keyFile, pki.client.key, { mode: 0o600 });
  const args = ['check', '--key', pki.keyFile, '--cert', pki.certFile, '--client-ca', pki.clientCaFile];
  const central = await startServer([...args, '--crl', pki.crlFile, '--store', store.url], undefined);
  const root = mkdtempSync(join(tmpdir(), 'onshi-burst-'));
  try {
    // (a) the baseline, after a warm-up of central (its caches, the TLS sessions).
    const client = createHttpsCentralClient({
      baseUrl: central.url,
      certFile,
      keyFile,
      caFile: pki.clientCaFile,
      maxSockets: options.concurrency,
    });
    await postAll(client, requests.slice(0, Math.min(1_000, requests.length)), options.concurrency);
    let directCpu = processCpuSeconds(central.pid);
    let ownCpu = process.cpuUsage();
    let posted = 0;
    const stopDirectProgress = progress(
      'direct',
      () => posted,
      requests.length,
      () => '',
    );
    const countingClient = {
      ...client,
      post: async (...a: Parameters<typeof client.post>) => {
        const answer = await client.post(...a);
        posted++;
        return answer;
      },
    };
    const direct = await postAll(countingClient, requests, options.concurrency);
    stopDirectProgress();
    directCpu = processCpuSeconds(central.pid) - directCpu;
    const directOwn = process.cpuUsage(ownCpu);
    client.close();
    if (direct.failures > 0) throw new Error(`${direct.failures} direct requests failed`);

    // (b) the burst through the connector.
    const errors: unknown[] = [];
    const connector = await runConnector(
      {
        dir: root,
        centralUrl: central.url,
        certFile,
        keyFile,
        caFile: pki.clientCaFile,
        options: { ...defaultConnectorOptions, concurrency: options.concurrency },
      },
      { clock: { now: () => new Date() }, onError: (error) => errors.push(error) },
    );
    const consumedDir = join(root, 'consumed');
    mkdirSync(consumedDir);
    const droppedAt = new Float64Array(new SharedArrayBuffer(8 * requests.length));
    const arrivedAt = new Float64Array(requests.length);
    const consumer = startConsumer(connector.dirs.res, consumedDir, (n) => byResult.get(n), arrivedAt);
    let dropped = 0;
    const stopProgress = progress(
      'burst',
      consumer.count,
      requests.length,
      () => `, dropped ${fmt(dropped)}`,
    );
    let centralCpu = processCpuSeconds(central.pid);
    ownCpu = process.cpuUsage();
    const start = performance.now();
    const dropping = dropAll(connector.dirs.req, requests, droppedAt).then(() => {
      dropped = requests.length;
    });
    const counter = setInterval(() => {
      dropped = droppedAt.indexOf(0);
      if (dropped < 0) dropped = requests.length;
    }, 500);
    while (consumer.count() < requests.length) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (performance.now() - start > 15 * 60_000) throw new Error('burst did not finish in 15 minutes');
    }
    const seconds = (performance.now() - start) / 1000;
    const dropSeconds =
      (droppedAt.reduce((a, b) => Math.max(a, b), 0) - (performance.timeOrigin + start)) / 1000;
    centralCpu = processCpuSeconds(central.pid) - centralCpu;
    const connectorOwn = process.cpuUsage(ownCpu);
    await dropping;
    clearInterval(counter);
    stopProgress();
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for a duplicate to show up
    consumer.stop();
    await connector.stop();

    const latency = percentiles(arrivedAt.map((t, i) => t - droppedAt[i]!));
    const directLatency = percentiles(direct.latencies);
    const burstView = percentiles(direct.completions);
    const problems = verify(root, consumedDir, requests, consumer);
    const n = requests.length;
    const sjis = requests.filter((r) => r.encoding === 'shift_jis').length;
    const cpuUs = (s: number) => fmt((s * 1e6) / n);
    const own = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
    const out = [
      '',
      `Connector burst: ${fmt(n)} request files (${fmt(sjis)} Shift_JIS), ${options.engine} ${fmt(options.persons)} persons, ` +
        `concurrency ${options.concurrency}, ${cpus().length} CPUs, Node ${process.version}`,
      '',
      '| target | files or req/s | seconds | p50 ms | p90 ms | p99 ms | max ms | ratio to direct | central CPU µs/req | this process CPU µs/req |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| direct POST to central (per request) | ${fmt(n / direct.seconds)} | ${fmt(direct.seconds, 1)} | ` +
        `${fmt(directLatency.p50, 2)} | ${fmt(directLatency.p90, 2)} | ${fmt(directLatency.p99, 2)} | ${fmt(directLatency.max, 1)} | 1.00 | ` +
        `${cpuUs(directCpu)} | ${cpuUs(own(directOwn))} |`,
      `| direct POST to central (from the burst's start) | | | ${fmt(burstView.p50)} | ${fmt(burstView.p90)} | ` +
        `${fmt(burstView.p99)} | ${fmt(burstView.max)} | | | |`,
      `| connector: drop → result | ${fmt(n / seconds)} | ${fmt(seconds, 1)} | ${fmt(latency.p50)} | ` +
        `${fmt(latency.p90)} | ${fmt(latency.p99)} | ${fmt(latency.max)} | ${fmt(direct.seconds / seconds, 2)} | ` +
        `${cpuUs(centralCpu)} | ${cpuUs(own(connectorOwn))} |`,
      '',
      `the last file was dropped ${fmt(dropSeconds, 1)} s after the start (from a worker thread); ` +
        '"this process" includes that thread and the consumer of res/',
      `time in central: ${fmt((100 * direct.seconds) / seconds)} % of the burst (what the direct run needs), ` +
        `the connector's own: ${fmt((100 * (seconds - direct.seconds)) / seconds)} %`,
      `connector errors reported: ${errors.length}${errors.length > 0 ? ` (first: ${String(errors[0])})` : ''}`,
      problems.length === 0
        ? `verified: ${fmt(n)} results, each once, complete, the request's own, under the mirrored name; req/, .work/, res/ empty`
        : `VERIFICATION FAILED: ${problems.join('; ')}`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    if (problems.length > 0) process.exitCode = 1;
  } finally {
    await central.stop();
    pki.remove();
    if (options.keep) process.stderr.write(`kept ${root}\n`);
    else rmSync(root, { recursive: true, force: true });
  }
}
