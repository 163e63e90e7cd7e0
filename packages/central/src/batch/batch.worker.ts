/**
 * The batch worker: answers the rows of accepted jobs, a chunk at a time.
 *
 * A chunk is: claim the least recently served unfinished job (a lease of `leaseMs`, committed on
 * its own) → read its next rows → answer them with the single-check logic → one transaction that
 * checks the lease is still ours, stores the answers, appends their audit records, moves the job's
 * cursor and counts, and gives the lease back (or marks the job done). A crash anywhere before that
 * commit loses only the chunk's uncommitted work: its rows are still unanswered and the lease runs
 * out, so the next worker (this process after a restart, or another process) answers them; a crash
 * after it loses nothing. A row cannot be answered twice (the answers' primary key) — see README.md.
 *
 * Fairness: chunks are sized to take about `chunkMillis` of work, the loop yields to the event loop
 * (`setImmediate`) between chunks so single checks queued meanwhile run first, jobs take turns
 * chunk by chunk (least recently served first), and the worker uses its own store connection.
 */
import { hostname } from 'node:os';
import { type Clock, jstDateTime, toWireDateTime } from '@onshi/core';
import type { AuditEntry } from '../audit/audit.hash.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import {
  type BatchJob,
  claimJob,
  finishChunk,
  insertResults,
  type RowResult,
  readRows,
} from './batch.repo.ts';
import { confirmRows, registerRow } from './batch.rows.ts';
import { expiryDate } from './batch.service.ts';

export interface BatchWorkerOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger?: Logger | undefined;
  /** Names this worker in leases (default host:pid:random). */
  readonly owner?: string | undefined;
  /** Work per chunk to aim at, in ms (chunk sizes adapt to it). */
  readonly chunkMillis: number;
  /**
   * What `chunkMillis` bounds: the whole chunk ('chunk', default: the worker shares the event loop
   * with single checks, so a chunk's lookups must be short too), or only its commit ('commit': in the
   * batch thread, where the lookups hold nothing the API thread waits for and only the commit holds
   * SQLite's write lock — bigger chunks, fewer commits, lookups in index order over more keys).
   */
  readonly sizeBy?: 'chunk' | 'commit' | undefined;
  /** Rows per chunk at most (default 2,000) and at first (default 64). */
  readonly maxChunkRows?: number | undefined;
  readonly firstChunkRows?: number | undefined;
  /** How long a claimed chunk is reserved for this worker. */
  readonly leaseMs: number;
  /** Days a finished job's results are kept. */
  readonly resultDays: number;
  /** How often an idle worker looks for jobs stored by other processes. */
  readonly pollMs: number;
  /** Test hook: runs inside a chunk's transaction just before it commits. */
  readonly beforeCommit?: ((job: BatchJob, rows: number) => void | Promise<void>) | undefined;
}

export interface BatchWorker {
  /** Answers one chunk of the next job; false when no job was waiting. */
  runChunk(): Promise<boolean>;
  /** Runs chunks until none is waiting or `maxChunks` ran; resolves to how many ran. */
  drain(maxChunks?: number): Promise<number>;
  /** Runs chunks in the background until `stop`. */
  start(): void;
  /** A job was stored: look now rather than at the next poll. */
  wake(): void;
  stop(): Promise<void>;
  /** Rows in the next chunk (adapts to `chunkMillis`). */
  readonly chunkRows: number;
}

const leaseLost = new Error('batch: the chunk lease was lost');

export function createBatchWorker(options: BatchWorkerOptions): BatchWorker {
  const { store, clock } = options;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const maxRows = options.maxChunkRows ?? 2000;
  let chunkRows = Math.min(options.firstChunkRows ?? 64, maxRows);
  const sizeByCommit = options.sizeBy === 'commit';
  let running: Promise<void> | undefined;
  let stopping = false;
  let wakeUp: (() => void) | undefined;

  async function answer(job: BatchJob, rows: { rowNo: number; request: string }[], tx?: Store) {
    const now = clock.now();
    const processTime = toWireDateTime(jstDateTime(now));
    const results: RowResult[] = [];
    const audits: (AuditEntry & { readonly at: string })[] = [];
    if (job.kind === 'confirm') {
      const ctx = { store, institutionCode: job.institutionCode, on: job.confirmationDate!, processTime };
      const answers = await confirmRows(
        ctx,
        rows.map((r) => ({ rowNo: r.rowNo, info: JSON.parse(r.request) })),
      );
      const at = now.toISOString();
      const reason = `一括照会 ${job.receptionNumber}`;
      for (let i = 0; i < answers.length; i++) {
        const { unit, personId } = answers[i]!;
        results.push({
          rowNo: rows[i]!.rowNo,
          status: unit.ProcessingResultStatus === '2' ? 2 : 1,
          unit: JSON.stringify(unit),
        });
        audits.push({
          at,
          institutionCode: job.institutionCode,
          personId,
          action: 'check-card-data',
          reason,
        });
      }
    } else if (tx !== undefined) {
      for (const r of rows) {
        const unit = await registerRow(tx, clock, job.institutionCode, r.rowNo, JSON.parse(r.request));
        results.push({
          rowNo: r.rowNo,
          status: unit.ProcessingResultStatus === '2' ? 2 : 1,
          unit: JSON.stringify(unit),
        });
      }
    }
    return { results, audits };
  }

  async function commit(
    job: BatchJob,
    rows: { rowNo: number; request: string }[],
    precomputed?: Awaited<ReturnType<typeof answer>>,
  ) {
    await store.transaction(async (tx) => {
      const { results, audits } = precomputed ?? (await answer(job, rows, tx));
      await options.beforeCommit?.(job, rows.length);
      const now = clock.now();
      const remaining = rows.length === 0 ? 0 : job.pendingRows - rows.length;
      const normal = results.filter((r) => r.status === 1).length;
      const kept = await finishChunk(tx, {
        jobId: job.jobId,
        owner,
        answered: rows.length,
        normal,
        error: results.length - normal,
        nextRow: (rows.at(-1)?.rowNo ?? job.nextRow) + 1,
        nowMs: now.getTime(),
        completedAt: remaining <= 0 ? now.toISOString() : undefined,
        expiresOn: remaining <= 0 ? expiryDate(now, options.resultDays) : undefined,
      });
      if (!kept) throw leaseLost;
      await insertResults(tx, job.jobId, results);
      if (audits.length > 0) await appendAudit(tx, audits);
    });
  }

  async function runChunk(): Promise<boolean> {
    const nowMs = clock.now().getTime();
    const job = await store.transaction((tx) => claimJob(tx, { owner, nowMs, leaseMs: options.leaseMs }));
    if (job === undefined) return false;
    const started = performance.now();
    const rows = await readRows(store, job.jobId, job.nextRow, chunkRows);
    // 一括照会 rows are looked up outside the transaction (concurrently: pipelined on PostgreSQL);
    // 照会番号 registrations write, so they run inside it.
    const precomputed = job.kind === 'confirm' ? await answer(job, rows) : undefined;
    const committing = performance.now();
    await commit(job, rows, precomputed);
    const ended = performance.now();
    // Registrations write inside the commit, so for them the whole chunk is the commit.
    adapt(ended - (sizeByCommit && precomputed !== undefined ? committing : started));
    return true;
  }

  /** Moves the chunk size halfway towards the size that would have taken `chunkMillis`. */
  function adapt(elapsedMs: number): void {
    const ideal = (chunkRows * options.chunkMillis) / Math.max(elapsedMs, 0.05);
    chunkRows = Math.min(maxRows, Math.max(8, Math.round((chunkRows + ideal) / 2)));
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      let worked = false;
      try {
        worked = await runChunk();
      } catch (error) {
        options.logger?.error('batch worker: chunk failed', { error: String(error) });
        await pause(1000);
      }
      if (stopping) break;
      if (worked) await new Promise<void>((resolve) => setImmediate(resolve));
      else await pause(options.pollMs);
    }
  }

  function pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  }

  return {
    runChunk,
    async drain(maxChunks = Number.POSITIVE_INFINITY) {
      let n = 0;
      while (n < maxChunks && (await runChunk())) n++;
      return n;
    },
    start() {
      if (running !== undefined) return;
      stopping = false;
      running = loop();
    },
    wake() {
      wakeUp?.();
    },
    async stop() {
      stopping = true;
      wakeUp?.();
      await running;
      running = undefined;
    },
    get chunkRows() {
      return chunkRows;
    },
  };
}
