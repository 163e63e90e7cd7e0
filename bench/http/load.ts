/**
 * One load measurement with autocannon's programmatic API: a warm-up run, then a measured run of a
 * fixed duration. Each request carries the next body of a rotating list. Latency percentiles are
 * computed here from autocannon's per-response times (fractions of a millisecond), because its own
 * histogram rounds to whole milliseconds.
 */
import autocannon from 'autocannon';

export interface LoadTarget {
  readonly url: string;
  readonly path: string;
  readonly contentType: string;
  readonly bodies: readonly Buffer[];
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly ok: number;
  readonly errors: number;
  readonly non2xx: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function run(target: LoadTarget, connections: number, seconds: number, latencies?: number[]) {
  let next = 0;
  const instance = autocannon({
    url: target.url,
    connections,
    duration: seconds,
    pipelining: 1,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: target.path,
        headers: { 'content-type': target.contentType },
        setupRequest: (req) => {
          req.body = target.bodies[next++ % target.bodies.length]!;
          return req;
        },
      },
    ],
  });
  if (latencies) {
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  }
  return instance;
}

export async function measure(target: LoadTarget, options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await run(target, options.connections, options.warmupSeconds);
  const latencies: number[] = [];
  const result = await run(target, options.connections, options.durationSeconds, latencies);
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: result['2xx'] / options.durationSeconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    ok: result['2xx'],
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
