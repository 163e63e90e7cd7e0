/**
 * One answer thread (started by batch.pool.ts): its own store connection, read only in practice —
 * it looks a chunk's rows up and builds their units (`answerConfirmChunk`, as the batch worker
 * would on its own connection) and sends them back; the worker commits them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/store.ts';
import type { AnswerThreadData, FromAnswerThread, ToAnswerThread } from './batch.pool.ts';
import { answerConfirmChunk } from './batch.rows.ts';
import { threadPriority } from './thread-priority.ts';

const port = parentPort;
if (port === null) throw new Error('batch.pool.thread.ts runs as a worker thread');
const data = workerData as AnswerThreadData;
const post = (message: FromAnswerThread) => port.postMessage(message);

if (data.nice > 0 && threadPriority()?.set(data.nice) !== true)
  post({ op: 'log', message: 'batch answer thread: priority unchanged' });

// SQLite: no memory map here. Each connection maps the file for itself, so every answer thread
// would take a page fault on each page it touches for the first time — measured on a 10M store,
// more system time than the reads through SQLite's own cache (64 MiB, enough for the indexes'
// inner pages) cost (docs/benchmarks.md, Batch round 4).
const store = openStore(data.storeUrl, {
  poolSize: 2,
  pipelinedConnections: 1,
  mmapBytes: 0,
  cacheKiB: 65536,
});
// Chunks come one at a time (the pool gives a thread its next chunk when it answered the last).
let busy: Promise<void> = Promise.resolve();

port.on('message', (message: ToAnswerThread) => {
  if (message.op === 'stop') {
    busy = busy.then(async () => {
      await store.close();
      post({ op: 'stopped' });
      port.close();
    });
    return;
  }
  busy = busy.then(() =>
    answerConfirmChunk(store, message.ctx, message.rows).then(
      (chunk) => post({ op: 'answered', id: message.id, chunk }),
      (error: unknown) => post({ op: 'failed', id: message.id, error: String(error) }),
    ),
  );
});
