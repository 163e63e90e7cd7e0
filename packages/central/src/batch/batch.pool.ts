/**
 * Answer threads: the lookups of a 一括照会 chunk and the building of its units, spread over
 * `node:worker_threads` threads, each with its own store connection (batch.pool.thread.ts). The
 * batch worker hands them a wave of chunks at once and commits their answers in row order on its
 * own connection (batch.worker.ts), so the lookups of the next chunks run on other cores while a
 * chunk commits. Nothing an answer thread does is durable: it reads the store and returns strings.
 *
 * A thread that dies fails the chunks it was given (the worker's wave stops there; its lease runs
 * out and the uncommitted rows are answered again, as after a crash) and is replaced — a second
 * later if it died within a second of starting, and meanwhile it is given nothing (with no thread
 * up, a chunk is refused at once rather than left waiting). `close` lets the threads finish what
 * they were given.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.ts';
import type { StoredRow } from './batch.repo.ts';
import type { AnsweredChunk, ConfirmChunkContext } from './batch.rows.ts';

export interface AnswerPoolOptions {
  readonly storeUrl: string;
  readonly threads: number;
  /** Nice value of the threads (0: the process's own priority). */
  readonly nice: number;
  readonly logger?: Logger | undefined;
}

export interface AnswerPool {
  /** Answers one chunk of stored rows in one of the threads. */
  answer(ctx: ConfirmChunkContext, rows: readonly StoredRow[]): Promise<AnsweredChunk>;
  /** Ends every thread once it has answered the chunks it was given. */
  close(): Promise<void>;
  readonly threads: number;
  /** Test hook: ends thread `index` at once, as a crash would. */
  kill(index: number): Promise<void>;
}

/** What an answer thread starts with (structured-cloneable). */
export interface AnswerThreadData {
  readonly storeUrl: string;
  readonly nice: number;
}

export type ToAnswerThread =
  | {
      readonly op: 'answer';
      readonly id: number;
      readonly ctx: ConfirmChunkContext;
      readonly rows: readonly StoredRow[];
    }
  | { readonly op: 'stop' };

export type FromAnswerThread =
  | { readonly op: 'answered'; readonly id: number; readonly chunk: AnsweredChunk }
  | { readonly op: 'failed'; readonly id: number; readonly error: string }
  | { readonly op: 'log'; readonly message: string }
  | { readonly op: 'stopped' };

interface Task {
  readonly id: number;
  readonly ctx: ConfirmChunkContext;
  readonly rows: readonly StoredRow[];
  resolve(chunk: AnsweredChunk): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** When the thread was started (a thread that dies within RESPAWN_MS is restarted only after it). */
  startedAt: number;
  /** False between a thread's quick death and its delayed restart: it is given no chunks. */
  up: boolean;
  /** The chunks given to this thread and not answered yet, in the order it answers them. */
  readonly tasks: Map<number, Task>;
}

const RESPAWN_MS = 1000;

const threadEntry = new URL('./batch.pool.thread.ts', import.meta.url);

export function startAnswerPool(options: AnswerPoolOptions): AnswerPool {
  const data: AnswerThreadData = { storeUrl: options.storeUrl, nice: options.nice };
  const slots: Slot[] = [];
  let nextId = 1;
  let closing = false;

  function spawn(slot: Slot): Worker {
    const worker = new Worker(threadEntry, { workerData: data, name: 'onshi-answer' });
    worker.on('message', (message: FromAnswerThread) => {
      if (message.op === 'log') {
        options.logger?.info(message.message);
        return;
      }
      if (message.op === 'stopped') return;
      const task = slot.tasks.get(message.id);
      if (task === undefined) return;
      slot.tasks.delete(message.id);
      if (slot.tasks.size === 0) worker.unref(); // idle threads do not keep the process alive
      if (message.op === 'answered') task.resolve(message.chunk);
      else task.reject(new Error(message.error));
    });
    worker.on('error', (error) =>
      options.logger?.error('batch answer thread failed', { error: String(error) }),
    );
    worker.on('exit', () => {
      if (slot.worker !== worker) return;
      for (const task of slot.tasks.values())
        task.reject(new Error('batch: an answer thread ended while answering a chunk'));
      slot.tasks.clear();
      if (closing) return;
      // One that dies at once (it cannot open its store, say) is restarted a second later, not in a loop.
      if (Date.now() - slot.startedAt >= RESPAWN_MS) start(slot);
      else {
        slot.up = false;
        setTimeout(() => closing || start(slot), RESPAWN_MS).unref();
      }
    });
    worker.unref();
    return worker;
  }

  function start(slot: Slot): void {
    slot.startedAt = Date.now();
    slot.up = true;
    slot.worker = spawn(slot);
  }

  /**
   * Gives the chunk to the thread with the fewest chunks queued, at once: a thread's own message
   * queue holds its next chunks, so it never waits for this thread (busy committing) to hand it one.
   */
  function dispatch(task: Task): void {
    let slot: Slot | undefined;
    for (const other of slots)
      if (other.up && (slot === undefined || other.tasks.size < slot.tasks.size)) slot = other;
    if (slot === undefined) {
      task.reject(new Error('batch: no answer thread is running (they end as soon as they start)'));
      return;
    }
    slot.tasks.set(task.id, task);
    slot.worker.ref(); // a thread with chunks keeps the process alive
    slot.worker.postMessage({
      op: 'answer',
      id: task.id,
      ctx: task.ctx,
      rows: task.rows,
    } satisfies ToAnswerThread);
  }

  for (let i = 0; i < Math.max(1, options.threads); i++) {
    const slot = { tasks: new Map() } as unknown as Slot;
    start(slot);
    slots.push(slot);
  }

  return {
    threads: slots.length,
    answer(ctx, rows) {
      if (closing) return Promise.reject(new Error('batch: the answer threads are closed'));
      return new Promise<AnsweredChunk>((resolve, reject) => {
        dispatch({ id: nextId++, ctx, rows, resolve, reject });
      });
    },
    async close() {
      closing = true;
      await Promise.all(
        slots.map(async (slot) => {
          if (!slot.up || slot.worker.threadId === -1) return; // already gone
          const exited = new Promise<void>((resolve) => slot.worker.once('exit', () => resolve()));
          slot.worker.ref();
          slot.worker.postMessage({ op: 'stop' } satisfies ToAnswerThread);
          await exited;
        }),
      );
    },
    async kill(index) {
      await slots[index]?.worker.terminate();
    },
  };
}
