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
  type StoredRow,
} from './batch.repo.ts';
import {
  type AnsweredChunk,
  answerConfirmChunk,
  type ConfirmChunkContext,
  registerRow,
  rowResult,
} from './batch.rows.ts';
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
  /**
   * Answers 一括照会 chunks elsewhere (the answer threads, batch.pool.ts). With it the worker claims
   * a wave of `waveChunks` chunks of one job at a time, hands them all over at once and commits
   * their answers in row order as they come back, one transaction per chunk, keeping the lease
   * until the wave's last chunk — so the next chunks' lookups run while a chunk commits.
   */
  readonly answerer?:
    | ((ctx: ConfirmChunkContext, rows: readonly StoredRow[]) => Promise<AnsweredChunk>)
    | undefined;
  /** Chunks per wave with an `answerer` (default 16). */
  readonly waveChunks?: number | undefined;
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

type Answered = { readonly results: RowResult[]; readonly audits: (AuditEntry & { readonly at: string })[] };

export function createBatchWorker(options: BatchWorkerOptions): BatchWorker {
  const { store, clock } = options;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const maxRows = options.maxChunkRows ?? 2000;
  let chunkRows = Math.min(options.firstChunkRows ?? 64, maxRows);
  const sizeByCommit = options.sizeBy === 'commit';
  const waveChunks = Math.max(1, options.waveChunks ?? 16);
  let running: Promise<void> | undefined;
  let stopping = false;
  let wakeUp: (() => void) | undefined;

  function chunkContext(job: BatchJob, now: Date): ConfirmChunkContext {
    return {
      institutionCode: job.institutionCode,
      on: job.confirmationDate!,
      processTime: toWireDateTime(jstDateTime(now)),
    };
  }

  /** The chunk's answers with an audit record per row (reason `一括照会 <受付番号>`). */
  function audited(job: BatchJob, now: Date, chunk: AnsweredChunk): Answered {
    const at = now.toISOString();
    const reason = `一括照会 ${job.receptionNumber}`;
    const audits = chunk.personIds.map((personId) => ({
      at,
      institutionCode: job.institutionCode,
      personId: personId ?? undefined,
      action: 'check-card-data' as const,
      reason,
    }));
    return { results: chunk.results, audits };
  }

  async function answer(job: BatchJob, rows: StoredRow[], tx?: Store): Promise<Answered> {
    const now = clock.now();
    if (job.kind === 'confirm')
      return audited(job, now, await answerConfirmChunk(store, chunkContext(job, now), rows));
    const results: RowResult[] = [];
    if (tx !== undefined) {
      for (const r of rows) {
        const unit = await registerRow(tx, clock, job.institutionCode, r.rowNo, JSON.parse(r.request));
        results.push(rowResult(r.rowNo, unit));
      }
    }
    return { results, audits: [] };
  }

  /** Commits a chunk's answers; `keepLease`: the wave goes on, the lease is renewed rather than given back. */
  async function commit(job: BatchJob, rows: StoredRow[], precomputed?: Answered, keepLease = false) {
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
        leaseUntil: keepLease && remaining > 0 ? now.getTime() + options.leaseMs : undefined,
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
    // A failure keeps the lease, as a crash would: the uncommitted rows are answered after it ends.
    if (job.kind === 'confirm' && options.answerer !== undefined) await runWave(job, options.answerer);
    else await runOne(job);
    return true;
  }

  async function runOne(job: BatchJob): Promise<void> {
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
  }

  /** A wave: `waveChunks` chunks answered by `answerer` all at once, committed in row order. */
  async function runWave(
    job: BatchJob,
    answerer: NonNullable<BatchWorkerOptions['answerer']>,
  ): Promise<void> {
    const size = chunkRows;
    const rows = await readRows(store, job.jobId, job.nextRow, size * waveChunks);
    const chunks: StoredRow[][] = [];
    for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
    if (chunks.length === 0) chunks.push([]); // nothing left: the commit marks the job done
    const now = clock.now();
    const ctx = chunkContext(job, now);
    const answers = chunks.map((chunk) =>
      chunk.length === 0 ? Promise.resolve({ results: [], personIds: [] }) : answerer(ctx, chunk),
    );
    for (const pending of answers) pending.catch(() => {}); // awaited in order below
    let at = job;
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i]!;
      const answered = audited(job, now, await answers[i]!);
      const committing = performance.now();
      await commit(at, chunk, answered, i < chunks.length - 1);
      adapt(performance.now() - committing);
      at = {
        ...at,
        pendingRows: at.pendingRows - chunk.length,
        nextRow: (chunk.at(-1)?.rowNo ?? at.nextRow) + 1,
      };
    }
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
