/**
 * The in-house system's side of the burst, in a worker thread so that, as a separate program
 * would, it does not share the connector's event loop: writes each request as `.name.tmp` in
 * req/, renames it to its name and records that moment (ms since the epoch, `performance.timeOrigin
 * + now()`) in the shared `droppedAt` array. Posts `done` at the end.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

interface DropJob {
  readonly reqDir: string;
  readonly names: readonly string[];
  readonly bodies: readonly Uint8Array[];
  /** Float64Array over a SharedArrayBuffer, one slot per request. */
  readonly droppedAt: Float64Array;
}

const job = workerData as DropJob;
for (let i = 0; i < job.names.length; i++) {
  const name = job.names[i]!;
  const temp = join(job.reqDir, `.${name}.tmp`);
  writeFileSync(temp, job.bodies[i]!);
  renameSync(temp, join(job.reqDir, name));
  job.droppedAt[i] = performance.timeOrigin + performance.now();
}
parentPort!.postMessage('done');
