/**
 * Running the retention purge: once (`runRetention`, the `onshi retention run` command) or every
 * ONSHI_RETENTION_INTERVAL_MINUTES in the central service (`startRetentionSchedule`). On PostgreSQL
 * one process at a time purges (an advisory lock); a process that finds the lock taken skips its turn.
 */
import { type Clock, jstDate } from '@onshi/core';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { withRetentionLock } from './retention.repo.ts';
import { type PurgeReport, purgeExpired } from './retention.service.ts';

/** The purge for today (JST), or `undefined` when another process is running it. */
export function runRetention(store: Store, clock: Clock): Promise<PurgeReport | undefined> {
  return withRetentionLock(store, () => purgeExpired(store, jstDate(clock.now())));
}

export interface RetentionSchedule {
  /** Stops the schedule; resolves once a run in progress has finished. */
  stop(): Promise<void>;
}

export interface RetentionScheduleOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Time between runs; the first run comes one interval after the start. */
  readonly intervalMs: number;
  /** Told of every run (tests). */
  readonly onRun?: ((report: PurgeReport | undefined) => void) | undefined;
}

export function startRetentionSchedule(options: RetentionScheduleOptions): RetentionSchedule {
  const { store, clock, logger } = options;
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    running = runRetention(store, clock).then(
      (report) => {
        if (report === undefined) logger.info('retention run skipped: another process is running it');
        else logger.info('retention run', { ...report });
        options.onRun?.(report);
      },
      (error: unknown) => {
        logger.error('retention run failed', {
          code: (error as { code?: unknown }).code,
          error: error instanceof Error ? error.message : String(error),
        });
      },
    );
    running.finally(() => {
      running = undefined;
      if (!stopped) schedule();
    });
  };
  const schedule = (): void => {
    timer = setTimeout(tick, options.intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
