/**
 * One load measurement with autocannon's programmatic API: a warm-up run, then a measured run of a
 * fixed duration. Each request carries the next body of a rotating list — or, for single-use bodies
 * (the card check's signed challenges), each body once. Latency percentiles are
 * computed here from autocannon's per-response times (fractions of a millisecond), because its own
 * histogram rounds to whole milliseconds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** CPU seconds (user + system) of a Linux process so far, from /proc (clock ticks of 1/100 s). */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds of every process named `name` (e.g. all `postgres` backends). Processes that end
 * between two readings drop out, so use it around a run in which the connections stay open.
 */
export function processesCpuSeconds(name: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== name) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // the process ended while we read it
    }
  }
  return total;
}

export interface LoadTarget {
  readonly url: string;
  readonly path: string;
  readonly contentType: string;
  readonly bodies: readonly Buffer[];
  /** client certificate and key (PEM) presented in the TLS handshake */
  readonly client?: { readonly cert: string; readonly key: string } | undefined;
  /**
   * Each body may be sent once: when they run out, the last one is sent again (and refused, so it
   * shows as non-2xx). `bodiesUsed` of the result says how many were sent.
   */
  readonly singleUse?: boolean | undefined;
  /** Called with the body of every 2xx answer (the challenge benchmark keeps the challenges). */
  readonly onAnswer?: ((body: string) => void) | undefined;
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  /** CPU seconds (user + system) used so far by the server process, read around the measured run. */
  readonly serverCpuSeconds?: (() => number) | undefined;
  /** The same for the database server's processes (PostgreSQL), when there are any. */
  readonly databaseCpuSeconds?: (() => number) | undefined;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly ok: number;
  readonly errors: number;
  readonly non2xx: number;
  /** server CPU time per successful request, in microseconds (when `serverCpuSeconds` is given) */
  readonly cpuMicrosPerRequest: number;
  readonly databaseCpuMicrosPerRequest: number;
  /** CPU used by this process (the load generator) during the measured run, in cores (1 = one core busy) */
  readonly clientCores: number;
  /** Bodies taken from the list in the measured run (single-use: more than the list means it ran out). */
  readonly bodiesUsed: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** How long a run lasts: a duration, or a number of requests. */
type Extent = { readonly seconds: number } | { readonly amount: number };

function run(target: LoadTarget, connections: number, extent: Extent, latencies?: number[]) {
  let next = 0;
  const last = target.bodies.length - 1;
  const instance = autocannon({
    url: target.url,
    connections,
    ...('seconds' in extent ? { duration: extent.seconds } : { amount: extent.amount }),
    pipelining: 1,
    timeout: 10,
    tlsOptions: target.client ? { cert: target.client.cert, key: target.client.key } : {},
    requests: [
      {
        method: 'POST',
        path: target.path,
        headers: { 'content-type': target.contentType },
        setupRequest: (req) => {
          const index = next++;
          req.body = target.bodies[target.singleUse ? Math.min(index, last) : index % target.bodies.length]!;
          return req;
        },
        ...(target.onAnswer ? { onResponse: answerListener(target.onAnswer) } : {}),
      },
    ],
  });
  if (latencies) {
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  }
  return { instance, used: () => Math.min(next, 'amount' in extent ? extent.amount : next) };
}

function answerListener(onAnswer: (body: string) => void) {
  return (status: number, body: string | Buffer) => {
    if (status >= 200 && status < 300) onAnswer(body.toString());
  };
}

/** A run without measurement (warm-up, or collecting answers); resolves to the 2xx count and bodies used. */
export async function warmUp(
  target: LoadTarget,
  connections: number,
  extent: Extent,
): Promise<{ ok: number; used: number }> {
  const { instance, used } = run(target, connections, extent);
  const result = await instance;
  return { ok: result['2xx'], used: used() };
}

export async function measure(target: LoadTarget, options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0)
    await warmUp(target, options.connections, { seconds: options.warmupSeconds });
  const latencies: number[] = [];
  const cpuBefore = options.serverCpuSeconds?.() ?? Number.NaN;
  const dbBefore = options.databaseCpuSeconds?.() ?? Number.NaN;
  const clientBefore = process.cpuUsage();
  const { instance, used } = run(
    target,
    options.connections,
    { seconds: options.durationSeconds },
    latencies,
  );
  const result = await instance;
  const cpu = (options.serverCpuSeconds?.() ?? Number.NaN) - cpuBefore;
  const db = (options.databaseCpuSeconds?.() ?? Number.NaN) - dbBefore;
  const client = process.cpuUsage(clientBefore);
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: result['2xx'] / options.durationSeconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    ok: result['2xx'],
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuMicrosPerRequest: (cpu * 1e6) / result['2xx'],
    databaseCpuMicrosPerRequest: (db * 1e6) / result['2xx'],
    clientCores: (client.user + client.system) / 1e6 / options.durationSeconds,
    bodiesUsed: used(),
  };
}
