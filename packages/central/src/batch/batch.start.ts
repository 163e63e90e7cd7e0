/**
 * The batch worker of a central process, from its configuration: on its own store connection
 * (a second SQLite connection, or a small PostgreSQL pool), so that its reads and commits do not
 * queue behind, or hold up, the single checks' statements. An in-memory SQLite store cannot be
 * opened twice; the worker then shares the process's store.
 */
import type { Clock } from '@onshi/core';
import type { CentralConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { openStore, type Store } from '../store/store.ts';
import { type BatchWorker, createBatchWorker } from './batch.worker.ts';

export interface RunningBatchWorker {
  readonly worker: BatchWorker;
  /** Stops the loop after its current chunk and closes the worker's own connection. */
  stop(): Promise<void>;
}

/** Starts the worker unless `ONSHI_BATCH_WORKER=0`; `store` is the process's (used when it must be shared). */
export function startBatchWorker(
  config: CentralConfig,
  deps: { store: Store; shareStore: boolean; clock: Clock; logger: Logger },
): RunningBatchWorker | undefined {
  if (!config.batch.worker) return undefined;
  const own =
    deps.shareStore || config.storeUrl === 'sqlite::memory:'
      ? undefined
      : openStore(config.storeUrl, { poolSize: 2, pipelinedConnections: 1 });
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
  return {
    worker,
    async stop() {
      await worker.stop();
      await own?.close();
    },
  };
}
