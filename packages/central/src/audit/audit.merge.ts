/**
 * The audit trail's index by person, deferred (migration 008). Appending a record writes nothing
 * keyed by person: the record lands at the end of `audit_records` (by `seq`), so a transaction of
 * many records writes a few pages. The merge later copies the (person, seq) pairs of the records
 * after the watermark (`audit_merge.seq`) into `audit_person`, sorted by person, in slices of a few
 * thousand entries per transaction, then moves the watermark. A merge of n entries into an index of
 * L leaves writes at most min(n, L) leaves, instead of about one leaf per record when every append
 * updated an index by person (docs/benchmarks.md, "Batch", rounds 2 and 3).
 *
 * Readers never depend on the merge having run: the records of a person are the `audit_person`
 * entries ∪ the records after the watermark that name the person (`SEQS_OF_PERSON`). The merge is idempotent (`on conflict do nothing`) and the watermark only
 * moves forward, after every entry up to it is committed, so a crash anywhere in a merge — or a merge
 * that never runs — loses nothing; it only leaves more records for readers to scan. Mergers in
 * several processes may overlap; they then do the same inserts twice, and the result is the same.
 */
import type { Logger } from '../log.ts';
import type { SqlValue, Store } from '../store/store.ts';

/** The watermark; a missing row counts as 0 (everything is read from `audit_records`). */
const WATERMARK = 'coalesce((select seq from audit_merge where id = 1), 0)';

/**
 * The seqs of every record naming the person, merged or not, each once. Three `?`: the person id,
 * the watermark (`mergedUpTo`), the person id. Records after the watermark are found by scanning
 * them by seq (they are at most a few merges' worth). A watermark read before the statement may be
 * stale but never too high (it only moves forward, after its entries are committed): a stale one
 * only makes the scanned part longer, and `union` reads a record found both ways once.
 */
export const SEQS_OF_PERSON = `select seq from audit_person where person_id = ?
  union
  select seq from audit_records where seq > ? and person_id = ?`;

/** The merge's watermark: every record up to it that names a person has its `audit_person` entry. */
export async function mergedUpTo(store: Store): Promise<number> {
  return Number((await store.get<{ seq: number }>(`select ${WATERMARK} as seq`))?.seq ?? 0);
}

/** Entries per merge transaction: each slice covers a range of persons, sorted. */
const SLICE_ENTRIES = 2000;
/** Rows per insert statement (2 parameters each). */
const ROWS_PER_INSERT = 500;

export interface MergeReport {
  /** The watermark before and after. */
  readonly from: number;
  readonly to: number;
  /** Records after the watermark that named a person, inserted into `audit_person`. */
  readonly entries: number;
}

/**
 * Merges the records after the watermark, at most `maxRecords` of them (by seq), into
 * `audit_person`, and moves the watermark past them.
 */
export async function mergeAuditPersons(
  store: Store,
  options: { readonly maxRecords?: number; readonly sliceEntries?: number } = {},
): Promise<MergeReport> {
  const maxRecords = options.maxRecords ?? 200_000;
  const sliceEntries = options.sliceEntries ?? SLICE_ENTRIES;
  const from = await mergedUpTo(store);
  // Every record up to the head is committed (the head moves in the transaction that inserts them).
  const head = Number(
    (await store.get<{ seq: number }>('select seq from audit_head where id = 1'))?.seq ?? 0,
  );
  const to = Math.min(head, from + maxRecords);
  if (to <= from) return { from, to: from, entries: 0 };
  const rows = await store.all<{ person_id: number; seq: number }>(
    'select person_id, seq from audit_records where seq > ? and seq <= ? and person_id is not null',
    [from, to],
  );
  rows.sort((a, b) => a.person_id - b.person_id || a.seq - b.seq);
  // A slice per transaction: a single check's audit append waiting for SQLite's write lock gets it
  // between two (the batch side's connection yields to the API's writes: store.sqlite.ts WritePriority).
  for (let i = 0; i < rows.length; i += sliceEntries) {
    const slice = rows.slice(i, i + sliceEntries);
    await store.transaction(async (tx) => {
      for (let j = 0; j < slice.length; j += ROWS_PER_INSERT) {
        const part = slice.slice(j, j + ROWS_PER_INSERT);
        const params: SqlValue[] = [];
        for (const r of part) params.push(r.person_id, r.seq);
        await tx.run(
          `insert into audit_person (person_id, seq) values ${part.map(() => '(?, ?)').join(', ')}
           on conflict do nothing`,
          params,
        );
      }
    });
  }
  // Only forward: a merger that finished later with an older target leaves the newer watermark.
  await store.transaction(async (tx) => {
    const moved = await tx.run('update audit_merge set seq = ? where id = 1 and seq < ?', [to, to]);
    if (moved === 0)
      await tx.run('insert into audit_merge (id, seq) values (1, ?) on conflict do nothing', [to]);
  });
  return { from, to, entries: rows.length };
}

/**
 * The first record on which `audit_person` and the chain disagree, or undefined: a record up to the
 * watermark that names a person without its entry (it would be missing from the person's access
 * log), or an entry that names another person than its record, or a record that does not exist.
 */
export async function firstPersonIndexMismatch(store: Store): Promise<number | undefined> {
  const missing = await store.get<{ seq: number }>(
    `select r.seq from audit_records r
     where r.person_id is not null and r.seq <= ${WATERMARK}
       and not exists (select 1 from audit_person p where p.person_id = r.person_id and p.seq = r.seq)
     order by r.seq limit 1`,
  );
  const extra = await store.get<{ seq: number }>(
    `select p.seq from audit_person p
     where not exists (select 1 from audit_records r where r.seq = p.seq and r.person_id = p.person_id)
     order by p.seq limit 1`,
  );
  const seqs = [missing?.seq, extra?.seq].filter((s): s is number => s !== undefined).map(Number);
  return seqs.length === 0 ? undefined : Math.min(...seqs);
}

export interface AuditMerger {
  /** Merges now, until the records after the watermark are fewer than one merge's worth. */
  mergeNow(): Promise<void>;
  /** Stops the schedule; resolves once a merge in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Merges every `intervalMs` (default 10 s), catching up in steps of `maxRecords`. Run by the process
 * (or thread) that runs the batch worker, on the worker's store connection.
 */
export function startAuditMerger(options: {
  readonly store: Store;
  readonly logger?: Logger | undefined;
  readonly intervalMs?: number | undefined;
  readonly maxRecords?: number | undefined;
}): AuditMerger {
  const { store, logger } = options;
  const intervalMs = options.intervalMs ?? 10_000;
  const maxRecords = options.maxRecords ?? 200_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const mergeAll = async (): Promise<void> => {
    for (;;) {
      const report = await mergeAuditPersons(store, { maxRecords });
      if (stopped || report.to - report.from < maxRecords) return;
    }
  };
  const run = (): Promise<void> => {
    running = running.then(mergeAll).catch((error: unknown) => {
      logger?.error('audit merge failed', { error: error instanceof Error ? error.message : String(error) });
    });
    return running;
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void run().finally(schedule), intervalMs);
    timer.unref();
  };
  schedule();
  return {
    mergeNow: run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
