/**
 * The two sides of the burst benchmark besides the connector: the in-house system that drops the
 * request files (temp name, then rename into req/, from a worker thread) and takes the results out
 * of res/ as they appear (fs.watch plus a periodic scan), and the baseline that POSTs the same requests straight to
 * central with the connector's own HTTPS client.
 */
import { type FSWatcher, readdirSync, renameSync, watch } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CentralClient } from '@onshi/terminal';
import type { BurstRequest } from './requests.ts';

/** Time as ms since the epoch, comparable between threads. */
export const epochNow = () => performance.timeOrigin + performance.now();

/**
 * Drops every request into `reqDir` from a worker thread (bench/burst/dropper.ts); `droppedAt`
 * (over a SharedArrayBuffer) gets each file's drop time as it happens.
 */
export function dropAll(
  reqDir: string,
  requests: readonly BurstRequest[],
  droppedAt: Float64Array,
): Promise<void> {
  const worker = new Worker(new URL('./dropper.ts', import.meta.url), {
    workerData: {
      reqDir,
      names: requests.map((r) => r.name),
      bodies: requests.map((r) => r.bytes),
      droppedAt,
    },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`dropper exited with ${code}`)),
    );
  });
}

/**
 * Takes results out of `resDir` into `consumedDir` like an EMR does, recording when each first
 * appeared. A result that appears a second time is kept as `<name>.<n>` and counted: it would be a
 * duplicate answer.
 */
export function startConsumer(
  resDir: string,
  consumedDir: string,
  indexOf: (resultName: string) => number | undefined,
  arrivedAt: Float64Array,
) {
  const arrivals = new Map<string, number>();
  const strays: string[] = [];
  let count = 0;
  let queued = false;
  function scan(): void {
    queued = false;
    for (const name of readdirSync(resDir)) {
      if (name.startsWith('.')) continue;
      const seen = arrivals.get(name) ?? 0;
      const at = epochNow();
      renameSync(join(resDir, name), join(consumedDir, seen === 0 ? name : `${name}.${seen}`));
      arrivals.set(name, seen + 1);
      const index = indexOf(name);
      if (index === undefined) strays.push(name);
      else if (seen === 0) {
        arrivedAt[index] = at;
        count++;
      }
    }
  }
  const watcher: FSWatcher = watch(resDir, () => {
    if (queued) return;
    queued = true;
    setImmediate(scan);
  });
  const timer = setInterval(scan, 50);
  return {
    /** Results taken so far (first arrivals). */
    count: () => count,
    arrivals,
    strays,
    stop() {
      watcher.close();
      clearInterval(timer);
      scan();
    },
  };
}

export interface DirectRun {
  readonly seconds: number;
  /** Per request, from its POST to the end of the answer (ms). */
  readonly latencies: Float64Array;
  /** Per request, from the start of the run to the end of its answer (ms): the burst view. */
  readonly completions: Float64Array;
  readonly failures: number;
}

/** POSTs every request to central, `concurrency` at a time, with the connector's client. */
export async function postAll(
  client: CentralClient,
  requests: readonly BurstRequest[],
  concurrency: number,
): Promise<DirectRun> {
  const latencies = new Float64Array(requests.length);
  const completions = new Float64Array(requests.length);
  let next = 0;
  let failures = 0;
  const start = performance.now();
  async function worker(): Promise<void> {
    for (let i = next++; i < requests.length; i = next++) {
      const at = performance.now();
      const answer = await client.post('qualification', requests[i]!.bytes, AbortSignal.timeout(30_000));
      if (answer.status !== 200) failures++;
      const end = performance.now();
      latencies[i] = end - at;
      completions[i] = end - start;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { seconds: (performance.now() - start) / 1000, latencies, completions, failures };
}
