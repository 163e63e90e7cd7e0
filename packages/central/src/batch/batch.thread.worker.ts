/**
 * The batch thread itself (started by batch.thread.ts): its own store connection, the batch
 * service and routes (decode → accept/fetch → encode, errors formatted as the route formats them),
 * and — unless `ONSHI_BATCH_WORKER=0` — the batch worker, woken by the uploads it stores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Clock } from '@onshi/core';
import { startAuditMerger } from '../audit/audit.merge.ts';
import { errorBody } from '../http/server.ts';
import { type HttpReply, type HttpRequest, jsonReply, type Route } from '../http/types.ts';
import type { Logger } from '../log.ts';
import { yieldingTo } from '../store/store.sqlite.ts';
import { openStore, type Store } from '../store/store.ts';
import { startAnswerPool } from './batch.pool.ts';
import { batchRoutes } from './batch.routes.ts';
import { createBatchService } from './batch.service.ts';
import type { BatchThreadData, FromThread, ThreadRequest, ToThread } from './batch.thread.ts';
import { transferable } from './batch.thread.ts';
import { createBatchWorker } from './batch.worker.ts';
import { threadPriority } from './thread-priority.ts';

const port = parentPort;
if (port === null) throw new Error('batch.thread.worker.ts runs as a worker thread');
const data = workerData as BatchThreadData;
const post = (message: FromThread, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

const logger: Logger = {
  info: (message, fields) => post({ op: 'log', level: 'info', message, fields }),
  error: (message, fields) => post({ op: 'log', level: 'error', message, fields }),
};

const priority = data.nice > 0 ? threadPriority() : undefined;
const setNice = (nice: number): boolean => priority?.set(nice) ?? false;

if (priority !== undefined && !setNice(data.nice)) logger.info('batch thread: priority unchanged');
/**
 * Priority ceiling: the thread runs at the process's own priority while it holds a write
 * transaction — SQLite's write lock, or on PostgreSQL the audit chain's head row — so that the
 * scheduler does not leave it waiting behind other work, a lock held, while the single checks wait
 * for that lock to append their audit records (priority inversion). Raising it back needs
 * CAP_SYS_NICE or RLIMIT_NICE; without them the thread stays at its lower priority throughout.
 */
let ceiling = priority !== undefined;
/** Transactions begun or waiting for the connection (they overlap: the worker's and an upload's). */
let open = 0;

function ceilingStore(inner: Store): Store {
  return {
    dialect: inner.dialect,
    raw: inner.raw,
    all: (sql, params) => inner.all(sql, params),
    get: (sql, params) => inner.get(sql, params),
    run: (sql, params) => inner.run(sql, params),
    close: () => inner.close(),
    async transaction(fn) {
      if (!ceiling) return inner.transaction(fn);
      if (open++ === 0) ceiling = setNice(0);
      try {
        return await inner.transaction(fn);
      } finally {
        if (--open === 0) setNice(data.nice);
      }
    },
  };
}

const clock: Clock = { now: () => new Date() };
const store = ceilingStore(
  openStore(data.storeUrl, {
    poolSize: 4,
    pipelinedConnections: 1,
    // SQLite: a chunk's commit waits while a single check's audit commit waits for the lock.
    ...yieldingTo(data.writeCells),
  }),
);
// SQLite: this connection checkpoints the WAL for the whole process (the API connection's automatic
// checkpoints are off while this thread runs, batch.start.ts): after its own commits once the WAL
// holds WAL_CHECKPOINT_PAGES, and every second for what the API thread appended meanwhile.
const WAL_CHECKPOINT_PAGES = 4096;
const sqlite = store.raw.sqlite;
sqlite?.exec(`pragma wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
const checkpoints =
  sqlite === undefined
    ? undefined
    : setInterval(() => {
        try {
          sqlite.exec('pragma wal_checkpoint(passive)');
        } catch (error) {
          logger.error('batch thread: checkpoint failed', { error: String(error) });
        }
      }, 1000);
const { batch } = data;
// The rows' lookups in answer threads on their own connections, when there are any (batch.pool.ts).
const pool =
  batch.worker && batch.answerThreads > 0
    ? startAnswerPool({ storeUrl: data.storeUrl, threads: batch.answerThreads, nice: data.nice, logger })
    : undefined;
const worker = batch.worker
  ? createBatchWorker({
      store,
      clock,
      logger,
      chunkMillis: batch.chunkMillis,
      sizeBy: 'commit',
      answerer: pool === undefined ? undefined : (ctx, rows) => pool.answer(ctx, rows),
      leaseMs: batch.leaseSeconds * 1000,
      resultDays: batch.resultDays,
      pollMs: 1000,
    })
  : undefined;
// The audit trail's index by person is merged where the batch worker runs (audit.merge.ts).
const merger = batch.worker ? startAuditMerger({ store, logger }) : undefined;
const routes = new Map<string, Route>(
  batchRoutes({
    service: createBatchService({ store, clock, limits: batch, onAccepted: () => worker?.wake() }),
    clock,
    logger,
    maxUploadBytes: batch.maxBytes,
    maxMessageBytes: data.maxMessageBytes,
  }).map((route) => [route.path, route]),
);

async function serve(message: ThreadRequest): Promise<HttpReply> {
  const body = Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength);
  const route = routes.get(message.path);
  if (route === undefined) throw new Error(`batch thread: no route ${message.path}`);
  const request: HttpRequest = {
    method: message.method,
    path: message.path,
    query: new URLSearchParams(message.query),
    headers: message.headers,
    body,
    requestId: message.requestId,
    ...(message.institution === undefined ? {} : { institution: message.institution }),
  };
  try {
    return await route.handler(request);
  } catch (error) {
    const context = { headers: message.headers, requestId: message.requestId, body };
    if (route.errorReply === undefined) throw error;
    return route.errorReply(error, context);
  }
}

port.on('message', (message: ToThread) => {
  if (message.op === 'stop') {
    void (async () => {
      clearInterval(checkpoints);
      await worker?.stop();
      await pool?.close();
      await merger?.stop();
      await store.close();
      post({ op: 'stopped' });
      port.close();
    })();
    return;
  }
  serve(message).then(
    (reply) => {
      // A large body goes back as bytes that are moved, not copied (a JSON string would be copied).
      const bytes = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
      post({ op: 'reply', id: message.id, reply: { ...reply, body: bytes } }, transferable(bytes));
    },
    (error: unknown) => {
      const { status, body } = errorBody(error, message.requestId, logger);
      post({ op: 'reply', id: message.id, reply: jsonReply(status, body) });
    },
  );
});

worker?.start();
post({ op: 'ready' });
