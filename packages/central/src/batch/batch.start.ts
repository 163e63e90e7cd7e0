/**
 * The batch side of a central process, from its configuration:
 * - its own store (the CLI, the benchmark) and `ONSHI_BATCH_THREAD=1` (default): the batch routes
 *   and the worker (unless `ONSHI_BATCH_WORKER=0`) run in the batch thread (batch.thread.ts), on
 *   the thread's own store connection; the API thread forwards the routes' requests to it;
 * - otherwise the routes run on the API thread, and the worker too: on its own store connection (a
 *   second SQLite connection, or a small PostgreSQL pool) unless the store is shared with the
 *   caller (tests) or is an in-memory SQLite store, which cannot be opened twice.
 * Where the worker runs, the audit trail's index by person is merged too (audit.merge.ts).
 */
import type { Clock } from '@onshi/core';
import { startAuditMerger } from '../audit/audit.merge.ts';
import type { CentralConfig } from '../config.ts';
import type { HttpReply, HttpRequest } from '../http/types.ts';
import type { Logger } from '../log.ts';
import { yieldingTo } from '../store/store.sqlite.ts';
import { openStore, type Store } from '../store/store.ts';
import { startBatchThread } from './batch.thread.ts';
import { type BatchWorker, createBatchWorker } from './batch.worker.ts';

/** SQLite's default `wal_autocheckpoint` (pages). */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

export interface RunningBatch {
  /** The in-process worker (absent when it runs in the batch thread, or is off). */
  readonly worker?: BatchWorker | undefined;
  /** Serves the batch routes in the batch thread (absent: they run on the API thread). */
  readonly forward?: ((request: HttpRequest) => Promise<HttpReply>) | undefined;
  /** Stops the worker after its current chunk and closes its own connection (or the thread). */
  stop(): Promise<void>;
}

interface BatchDeps {
  readonly store: Store;
  readonly shareStore: boolean;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The API connection's write-priority cells (SQLite): the batch side's writes yield to it. */
  readonly writeCells?: Int32Array | undefined;
}

export async function startBatch(config: CentralConfig, deps: BatchDeps): Promise<RunningBatch> {
  const ownStore = !deps.shareStore && config.storeUrl !== 'sqlite::memory:';
  if (ownStore && config.batch.thread) {
    // SQLite: the thread's connection checkpoints the WAL for the process (batch.thread.worker.ts),
    // so that a checkpoint of the pages the batch wrote never runs inside a single check's audit
    // commit on the API thread; should the thread be gone, the API connection checkpoints again.
    const api = deps.store.raw.sqlite;
    const thread = await startBatchThread(
      {
        storeUrl: config.storeUrl,
        writeCells: deps.writeCells,
        batch: config.batch,
        maxMessageBytes: config.maxMessageBytes,
        nice: config.batch.nice,
      },
      deps.logger,
      {
        onReady: () => api?.exec('pragma wal_autocheckpoint = 0'),
        onExit: () => {
          if (api?.isOpen) api.exec(`pragma wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
        },
      },
    );
    return { forward: thread.forward, stop: thread.stop };
  }
  const running = startBatchWorker(config, { ...deps, shareStore: !ownStore });
  return { worker: running?.worker, stop: async () => running?.stop() };
}

/** The in-process worker unless `ONSHI_BATCH_WORKER=0`; on `store`, the process's, when `shareStore`, else on its own. */
function startBatchWorker(
  config: CentralConfig,
  deps: BatchDeps,
): { worker: BatchWorker; stop(): Promise<void> } | undefined {
  if (!config.batch.worker) return undefined;
  const own = deps.shareStore
    ? undefined
    : openStore(config.storeUrl, {
        poolSize: 2,
        pipelinedConnections: 1,
        // SQLite: the worker's commits yield to the API connection's (store.sqlite.ts `WritePriority`).
        ...yieldingTo(deps.writeCells),
      });
  const worker = createBatchWorker({
    store: own ?? deps.store,
    clock: deps.clock,
    logger: deps.logger,
    chunkMillis: config.batch.chunkMillis,
    leaseMs: config.batch.leaseSeconds * 1000,
    resultDays: config.batch.resultDays,
    pollMs: 1000,
  });
  worker.start();
  // The audit trail's index by person is merged where the batch worker runs (audit.merge.ts).
  const merger = startAuditMerger({ store: own ?? deps.store, logger: deps.logger });
  return {
    worker,
    async stop() {
      await worker.stop();
      await merger.stop();
      await own?.close();
    },
  };
}
