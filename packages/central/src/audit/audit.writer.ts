/**
 * The process's audit writer. Requests hand it entries and await their record; it appends
 * everything queued in one transaction, at most one at a time: the first entry of an idle writer
 * schedules a flush at the end of the current turn of the event loop (`setImmediate`), so the
 * entries of every request served in that turn share it; entries arriving while a flush runs go
 * into the next one.
 *
 * - PostgreSQL: a flush waits on the network, so the next one starts right after it, at the end of
 *   the turn it finished in (group commit). The writer remembers the head its last flush left and appends with
 *   `appendAuditAfter`: one statement, one round trip, when no other process appended in between.
 * - SQLite: a flush runs synchronously within the turn that starts it, so "after the previous one"
 *   would be every turn, and a commit per handful of checks costs much of the check's throughput
 *   (each commit writes WAL pages for the records, their index and the head). There the writer
 *   checks at the end of each turn whether the turn brought new entries: it flushes at the first
 *   turn that brought none (every client is waiting for its answer) or once `intervalMs` (default
 *   2 ms) have passed since the first waiting entry, whichever comes first. (A flush at most every
 *   2 ms, or a pause of 8 × the last flush, were slower; see docs/benchmarks.md, Audit.)
 */
import type { Clock } from '@onshi/core';
import type { Store } from '../store/store.ts';
import type { AuditEntry, AuditRecord } from './audit.hash.ts';
import { appendAuditAfter, type ChainHead } from './audit.repo.ts';

export interface AuditLog {
  /** Records the entry; resolves once it is committed in the chain. */
  append(entry: AuditEntry): Promise<AuditRecord>;
  /** Records several entries (consecutive in the chain). */
  appendAll(entries: readonly AuditEntry[]): Promise<AuditRecord[]>;
}

interface Pending {
  readonly entry: AuditEntry & { readonly at: string };
  resolve(record: AuditRecord): void;
  reject(error: unknown): void;
}

/** Largest batch of one transaction. */
const MAX_BATCH = 1000;

export function createAuditLog(deps: {
  readonly store: Store;
  readonly clock: Clock;
  /** SQLite: longest wait for a flush while entries keep arriving, in ms (default 2; 0 = every turn). */
  readonly intervalMs?: number | undefined;
}): AuditLog {
  const { store, clock } = deps;
  const intervalMs = store.dialect === 'sqlite' ? (deps.intervalMs ?? 2) : 0;
  let queue: Pending[] = [];
  /** A flush is scheduled or running. */
  let busy = false;
  /** SQLite: the queue's length at the last check; performance.now() by which to flush. */
  let checked = 0;
  let deadline = 0;
  /** The head the last flush left (unknown after a failure). */
  let head: ChainHead | undefined;

  const schedule = (): void => {
    if (busy) return;
    busy = true;
    if (intervalMs === 0) {
      setImmediate(flush);
      return;
    }
    checked = queue.length;
    deadline = performance.now() + intervalMs;
    setImmediate(check);
  };

  /** SQLite: flushes when the last turn brought no new entries or the interval has passed. */
  const check = (): void => {
    if (queue.length === checked || performance.now() >= deadline) {
      void flush();
      return;
    }
    checked = queue.length;
    setImmediate(check);
  };

  async function flush(): Promise<void> {
    const batch = queue.length > MAX_BATCH ? queue.splice(0, MAX_BATCH) : queue;
    if (batch === queue) queue = [];
    try {
      const records = await appendAuditAfter(
        store,
        batch.map((p) => p.entry),
        head,
      );
      const last = records.at(-1)!;
      head = { seq: last.seq, hash: last.hash };
      for (let i = 0; i < batch.length; i++) batch[i]!.resolve(records[i]!);
    } catch (error) {
      head = undefined;
      for (const p of batch) p.reject(error);
    } finally {
      busy = false;
      if (queue.length > 0) schedule();
    }
  }

  const enqueue = (entry: AuditEntry): Promise<AuditRecord> =>
    new Promise<AuditRecord>((resolve, reject) => {
      queue.push({ entry: { ...entry, at: entry.at ?? clock.now().toISOString() }, resolve, reject });
      schedule();
    });

  return {
    append: enqueue,
    appendAll: (entries) => Promise.all(entries.map(enqueue)),
  };
}
