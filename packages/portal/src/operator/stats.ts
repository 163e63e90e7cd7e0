/**
 * Usage statistics for the operator console, from the central store: checks per day (JST) by
 * method and by institution kind from `audit_records` (actions check-card-data / check-card; the
 * kind from the portal profile, else the 点数表番号 of the code), batch volumes, and the
 * card-reader rollout from the reader applications. Aggregated in SQL by UTC hour, then into JST
 * days here.
 *
 * Batch volumes come from the audit records too: the batch worker records every answered 一括照会
 * row as `check-card-data` with the reason `一括照会 <受付番号>` (packages/central/src/batch/README.md,
 * "Audit"). Not from `batch_jobs`/`batch_rows`: the retention run deletes finished jobs after
 * ONSHI_BATCH_RESULT_DAYS (default 7), so a 30-day chart would lose its older bars; the audit
 * records are kept, count the rows actually answered on the day they were answered, and do not
 * depend on the batch tables' internal states. Single checks carry no reason, so they never match.
 */
import type { Store } from '@onshi/central';
import { addDays, jstDate } from '@onshi/core';

export interface DailyCounts {
  readonly days: readonly string[];
  /** Series name → count per day (same order as `days`). */
  readonly series: Readonly<Record<string, readonly number[]>>;
}

const HOUR_MS = 3600_000;

function dayList(now: Date, days: number): string[] {
  const last = jstDate(now);
  return Array.from({ length: days }, (_, i) => addDays(last, i - days + 1));
}

function toDaily(
  rows: readonly { hour: string; key: string; n: number }[],
  days: readonly string[],
): DailyCounts {
  const index = new Map(days.map((d, i) => [d, i]));
  const series: Record<string, number[]> = {};
  for (const row of rows) {
    const day = jstDate(new Date(`${row.hour}:00:00Z`));
    const i = index.get(day);
    if (i === undefined) continue;
    series[row.key] ??= days.map(() => 0);
    series[row.key]![i]! += Number(row.n);
  }
  return { days, series };
}

/** The reason of a batch row's audit record starts with this (then the 受付番号). */
export const BATCH_AUDIT_REASON_PREFIX = '一括照会 ';
const batchReason = `${BATCH_AUDIT_REASON_PREFIX}%`;

/** Series `check-card-data` (single checks by card data), `check-card` and `batch` (一括照会 rows). */
export async function checksByMethod(store: Store, now: Date, days: number): Promise<DailyCounts> {
  const list = dayList(now, days);
  const since = new Date(now.getTime() - (days + 1) * 24 * HOUR_MS).toISOString();
  const rows = await store.all<{ hour: string; key: string; n: number }>(
    `select substr(at, 1, 13) as hour,
       case when action = 'check-card-data' and reason like ? then 'batch' else action end as key,
       count(*) as n
     from audit_records where at >= ? and action in ('check-card-data', 'check-card')
     group by 1, 2`,
    [batchReason, since],
  );
  return toDaily(rows, list);
}

export async function checksByKind(store: Store, now: Date, days: number): Promise<DailyCounts> {
  const list = dayList(now, days);
  const since = new Date(now.getTime() - (days + 1) * 24 * HOUR_MS).toISOString();
  const rows = await store.all<{ hour: string; key: string; n: number }>(
    `select substr(a.at, 1, 13) as hour,
       coalesce(p.kind, 'table-' || substr(a.institution_code, 3, 1)) as key, count(*) as n
     from audit_records a left join portal_institutions p on p.institution_code = a.institution_code
     where a.at >= ? and a.action in ('check-card-data', 'check-card') and a.institution_code is not null
     group by substr(a.at, 1, 13), coalesce(p.kind, 'table-' || substr(a.institution_code, 3, 1))`,
    [since],
  );
  return toDaily(rows, list);
}

/** 一括照会 rows answered per day, by institution kind (series as `checksByKind`). */
export async function batchVolumes(store: Store, now: Date, days: number): Promise<DailyCounts> {
  const list = dayList(now, days);
  const since = new Date(now.getTime() - (days + 1) * 24 * HOUR_MS).toISOString();
  const rows = await store.all<{ hour: string; key: string; n: number }>(
    `select substr(a.at, 1, 13) as hour,
       coalesce(p.kind, 'table-' || substr(a.institution_code, 3, 1)) as key, count(*) as n
     from audit_records a left join portal_institutions p on p.institution_code = a.institution_code
     where a.at >= ? and a.action = 'check-card-data' and a.reason like ? and a.institution_code is not null
     group by substr(a.at, 1, 13), coalesce(p.kind, 'table-' || substr(a.institution_code, 3, 1))`,
    [since, batchReason],
  );
  return toDaily(rows, list);
}

export interface Rollout {
  readonly months: readonly string[];
  /** Readers applied for / approved in each month, and the approved total so far. */
  readonly applied: readonly number[];
  readonly approved: readonly number[];
  readonly cumulativeApproved: readonly number[];
  readonly institutionsInOperation: number;
}

export async function readerRollout(store: Store): Promise<Omit<Rollout, 'institutionsInOperation'>> {
  const rows = await store.all<{
    submitted: string;
    decided: string | null;
    status: string;
    payload: string;
  }>(
    `select submitted_at as submitted, decided_at as decided, status, payload from portal_applications
     where kind = 'reader'`,
  );
  const monthOf = (iso: string) => jstDate(new Date(iso)).slice(0, 7);
  const applied = new Map<string, number>();
  const approved = new Map<string, number>();
  for (const row of rows) {
    const quantity = Number(JSON.parse(row.payload).quantity ?? 0);
    applied.set(monthOf(row.submitted), (applied.get(monthOf(row.submitted)) ?? 0) + quantity);
    if (row.status === 'approved' && row.decided) {
      approved.set(monthOf(row.decided), (approved.get(monthOf(row.decided)) ?? 0) + quantity);
    }
  }
  const months = [...new Set([...applied.keys(), ...approved.keys()])].sort();
  let total = 0;
  return {
    months,
    applied: months.map((m) => applied.get(m) ?? 0),
    approved: months.map((m) => approved.get(m) ?? 0),
    cumulativeApproved: months.map((m) => {
      total += approved.get(m) ?? 0;
      return total;
    }),
  };
}
