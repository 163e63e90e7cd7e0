/**
 * The process's audit writer. Requests hand it entries and await their record; it appends
 * everything queued in one transaction (`appendAudit`), at most one transaction at a time. The
 * first entry of an idle writer schedules a flush at the end of the current turn of the event loop
 * (`setImmediate`), so the entries of every request served in that turn share one transaction;
 * entries arriving while a flush runs go into the next one. Flushes start at most once per
 * `intervalMs` (default 2 ms): an idle writer writes at once, a busy one gathers what arrives in
 * the interval. Per turn alone was not enough on SQLite, where a flush finishes within the turn that
 * started it: a commit per handful of checks (each commit writes the WAL pages of the records,
 * their index and the head, and checkpoints follow) cost up to half the throughput of the check by
 * card data; see docs/benchmarks.md (Audit).
 */
import type { Clock } from '@onshi/core';
import type { Store } from '../store/store.ts';
import type { AuditEntry, AuditRecord } from './audit.hash.ts';
import { appendAudit } from './audit.repo.ts';

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
  /** Least time between the starts of two flushes, in ms (default 2; 0 = every turn). */
  readonly intervalMs?: number | undefined;
}): AuditLog {
  const { store, clock } = deps;
  const intervalMs = deps.intervalMs ?? 2;
  let queue: Pending[] = [];
  let busy = false;
  let lastStart = Number.NEGATIVE_INFINITY;

  const schedule = (): void => {
    if (busy) return;
    busy = true;
    const wait = lastStart + intervalMs - performance.now();
    if (wait > 0) setTimeout(flush, wait);
    else setImmediate(flush);
  };

  async function flush(): Promise<void> {
    lastStart = performance.now();
    const batch = queue.length > MAX_BATCH ? queue.splice(0, MAX_BATCH) : queue;
    if (batch === queue) queue = [];
    try {
      const records = await appendAudit(
        store,
        batch.map((p) => p.entry),
      );
      for (let i = 0; i < batch.length; i++) batch[i]!.resolve(records[i]!);
    } catch (error) {
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
