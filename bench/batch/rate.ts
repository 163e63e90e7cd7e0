/**
 * Single checks at a fixed rate (autocannon's `overallRate`) for a duration or until told to stop,
 * with every 2xx latency kept: the "is a single check still fast?" side of the batch benchmark.
 */
import autocannon from 'autocannon';

export interface RateTarget {
  readonly url: string;
  readonly path: string;
  readonly bodies: readonly Buffer[];
  readonly client: { readonly cert: string; readonly key: string };
}

export interface RateResult {
  readonly ok: number;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly errors: number;
  /** Every 2xx answer: when it was sent (performance.now(), ms) and its latency (ms). */
  readonly samples: readonly { readonly sentAt: number; readonly ms: number }[];
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runAtRate(
  target: RateTarget,
  options: { rate: number; connections: number; seconds?: number; until?: () => boolean },
): Promise<RateResult> {
  let next = 0;
  const latencies: number[] = [];
  const samples: { sentAt: number; ms: number }[] = [];
  const started = performance.now();
  const instance = autocannon({
    url: target.url,
    connections: options.connections,
    duration: options.seconds ?? 3600,
    // autocannon's overallRate (absent from bench/http/autocannon.d.ts): requests/s over all connections.
    ...({ overallRate: options.rate } as object),
    pipelining: 1,
    timeout: 10,
    tlsOptions: { cert: target.client.cert, key: target.client.key },
    requests: [
      {
        method: 'POST',
        path: target.path,
        headers: { 'content-type': 'application/xml' },
        setupRequest: (req) => {
          req.body = target.bodies[next++ % target.bodies.length]!;
          return req;
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) {
      latencies.push(ms);
      samples.push({ sentAt: performance.now() - ms, ms });
    }
  });
  let timer: NodeJS.Timeout | undefined;
  if (options.until !== undefined) {
    const until = options.until;
    timer = setInterval(() => {
      if (until()) instance.stop();
    }, 20);
  }
  const result = await instance;
  if (timer) clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    ok: latencies.length,
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    errors: result.errors + result.timeouts + result.non2xx,
    samples,
  };
}
