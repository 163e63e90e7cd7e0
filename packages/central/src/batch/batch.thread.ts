/**
 * The batch thread, API side. When the process opens its own store (the CLI, the benchmark), the
 * batch routes' work and the batch worker run in a `node:worker_threads` thread with its own store
 * connection (batch.thread.worker.ts): decoding and validating an upload, storing it, building and
 * encoding a 02res, and answering the rows. The API thread only reads the request body, hands it
 * over (transferred, not copied, when it is large) and writes the reply it gets back — so a
 * 100,000-row upload or download never holds up the single checks' event loop, and on SQLite the
 * worker's lookups run on another core than the API's.
 *
 * The thread lowers its own scheduling priority (`nice`, Linux: per thread) so that on a busy
 * machine the API thread wins the CPU when both are runnable. If the thread dies, requests in
 * flight are answered SERVICE_INTERNAL and a new thread starts a second later (or at the next
 * request); the jobs are in the store (durable), so its worker resumes them after their lease.
 */
import { Worker } from 'node:worker_threads';
import type { CentralConfig } from '../config.ts';
import type { HttpReply, HttpRequest } from '../http/types.ts';
import type { Logger } from '../log.ts';

/** What the thread needs to start (structured-cloneable). */
export interface BatchThreadData {
  readonly storeUrl: string;
  /** The API connection's write-priority cells (SQLite, store.sqlite.ts `WritePriority`). */
  readonly writeCells?: Int32Array | undefined;
  readonly batch: CentralConfig['batch'];
  readonly maxMessageBytes: number;
  /** Nice value of the thread (0 = the process's own priority). */
  readonly nice: number;
}

/** A request as it crosses to the thread. */
export interface ThreadRequest {
  readonly id: number;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: HttpRequest['headers'];
  readonly body: Uint8Array;
  readonly requestId: string;
  readonly institution?: { readonly code: string; readonly serial: string } | undefined;
}

export type FromThread =
  | { readonly op: 'ready' }
  | { readonly op: 'reply'; readonly id: number; readonly reply: HttpReply }
  | {
      readonly op: 'log';
      readonly level: 'info' | 'error';
      readonly message: string;
      readonly fields?: object;
    }
  | { readonly op: 'stopped' };

export type ToThread = ({ readonly op: 'request' } & ThreadRequest) | { readonly op: 'stop' };

/** Bodies at least this large are transferred rather than copied between threads. */
const TRANSFER_BYTES = 1024 * 1024;

/** The buffer of `bytes` when moving it is safe and worth it (large, and not a view into a pool). */
export function transferable(bytes: Uint8Array): ArrayBuffer[] {
  const buffer = bytes.buffer;
  if (bytes.byteLength < TRANSFER_BYTES || !(buffer instanceof ArrayBuffer)) return [];
  return bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? [buffer] : [];
}

export interface BatchThread {
  /** Serves one batch route's request in the thread. */
  forward(request: HttpRequest): Promise<HttpReply>;
  /** Stops the worker after its current chunk, closes the thread's store, ends the thread. */
  stop(): Promise<void>;
  /** Test hook: ends the thread at once, as a crash would. */
  kill(): Promise<void>;
}

const threadEntry = new URL('./batch.thread.worker.ts', import.meta.url);

/** Told when a thread is ready, and when it is gone (the WAL checkpoints follow it: batch.start.ts). */
export interface BatchThreadHooks {
  readonly onReady?: (() => void) | undefined;
  readonly onExit?: (() => void) | undefined;
}

export async function startBatchThread(
  data: BatchThreadData,
  logger: Logger,
  hooks: BatchThreadHooks = {},
): Promise<BatchThread> {
  let current: { worker: Worker; ready: Promise<void> } | undefined;
  const pending = new Map<number, { resolve(reply: HttpReply): void; reject(error: unknown): void }>();
  let nextId = 0;
  let stopping = false;

  function spawn(): { worker: Worker; ready: Promise<void> } {
    const worker = new Worker(threadEntry, { workerData: data, name: 'onshi-batch' });
    let started!: () => void;
    let failed!: (error: unknown) => void;
    const ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    worker.on('message', (message: FromThread) => {
      if (message.op === 'ready') {
        started();
        hooks.onReady?.();
      } else if (message.op === 'reply') {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        waiting?.resolve(message.reply);
      } else if (message.op === 'log') {
        logger[message.level](message.message, message.fields as Record<string, unknown> | undefined);
      }
    });
    worker.on('error', (error) => {
      logger.error('batch thread failed', { error: error instanceof Error ? error.stack : String(error) });
      failed(error);
    });
    worker.on('exit', (code) => {
      if (current?.worker === worker) current = undefined;
      hooks.onExit?.();
      failed(new Error(`batch thread exited (${code}) before it was ready`));
      const lost = new Error(`batch thread exited (${code})`);
      for (const waiting of pending.values()) waiting.reject(lost);
      pending.clear();
      // Unexpected: start another a second later, so that its worker resumes the jobs (after their lease).
      if (!stopping) setTimeout(() => void respawn(), 1000).unref();
    });
    // Once running, the thread does not keep the process alive by itself (the server does).
    ready.then(
      () => worker.unref(),
      () => {},
    );
    return { worker, ready };
  }

  async function respawn(): Promise<void> {
    if (stopping || current !== undefined) return;
    current = spawn();
    await current.ready.catch(() => {});
  }

  current = spawn();
  await current.ready;

  return {
    async forward(request) {
      if (stopping) throw new Error('batch thread stopping');
      current ??= spawn();
      const { worker, ready } = current;
      await ready;
      const id = ++nextId;
      const body = new Uint8Array(request.body.buffer, request.body.byteOffset, request.body.byteLength);
      const message: ToThread = {
        op: 'request',
        id,
        method: request.method,
        path: request.path,
        query: request.query.toString(),
        headers: request.headers,
        body,
        requestId: request.requestId,
        institution: request.institution,
      };
      return new Promise<HttpReply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage(message, transferable(body));
      });
    },
    async kill() {
      await current?.worker.terminate();
    },
    async stop() {
      stopping = true;
      const running = current;
      current = undefined;
      if (running === undefined) return;
      const exited = new Promise<void>((resolve) => running.worker.once('exit', () => resolve()));
      running.worker.postMessage({ op: 'stop' } satisfies ToThread);
      const timer = setTimeout(() => void running.worker.terminate(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
