/**
 * Keeps the common CA's CRL fresh while the portal runs. Central refuses every client certificate
 * once the CRL it holds is past its nextUpdate (PKI_CRL_STALE), and the CA writes a CRL only when
 * asked: on a revocation, or here. The CRL is re-issued (new thisUpdate, nextUpdate, CRL Number)
 * when it is `refreshAfterMs` old (default a day) or past half its life, whichever comes first;
 * checked at start (before the portal answers) and then every `checkEveryMs` (default 10 minutes).
 * With the CA's 7-day nextUpdate, central always holds a CRL with about six days left, so a portal
 * that is down for a few days does not stop checks either. The age is read from the CRL file itself
 * (a CRL watcher, as central's), so a CRL written by a revocation or by `onshi ca crl` counts.
 */
import type { Clock } from '@onshi/core';
import { type CommonCa, type CrlWatcher, createCrlWatcher } from '@onshi/pki';

export interface CrlScheduleSettings {
  /** Re-issue once the CRL is this old (default 24 h); earlier when past half its life. */
  readonly refreshAfterMs?: number | undefined;
  /** How often the age is checked (default 10 min). */
  readonly checkEveryMs?: number | undefined;
}

export interface CrlSchedule {
  /** Re-issues the CRL when it is due; resolves to whether it did. */
  check(): Promise<boolean>;
  /** Stops the timer (waits for a check that is running). */
  close(): Promise<void>;
}

export const DEFAULT_CRL_REFRESH_MS = 24 * 3600_000;
export const DEFAULT_CRL_CHECK_MS = 10 * 60_000;

/** Whether a CRL issued at `thisUpdate` (valid until `nextUpdate`) is to be re-issued at `now`. */
export function crlDue(
  now: Date,
  thisUpdate: Date,
  nextUpdate: Date | undefined,
  refreshAfterMs: number,
): boolean {
  const age = now.getTime() - thisUpdate.getTime();
  const halfLife =
    nextUpdate === undefined ? Number.POSITIVE_INFINITY : (nextUpdate.getTime() - thisUpdate.getTime()) / 2;
  return age >= Math.min(refreshAfterMs, halfLife);
}

export async function startCrlSchedule(
  deps: { readonly ca: CommonCa; readonly clock: Clock; readonly onError: (error: unknown) => void },
  settings: CrlScheduleSettings = {},
): Promise<CrlSchedule> {
  const { ca, clock } = deps;
  const refreshAfterMs = settings.refreshAfterMs ?? DEFAULT_CRL_REFRESH_MS;
  // The watcher's own polling is not used: `check` reloads the file when it runs.
  const watcher: CrlWatcher = await createCrlWatcher(ca.crlPath, {
    issuer: ca.issuing,
    clock,
    intervalMs: 2 ** 30,
  });
  let running: Promise<boolean> | undefined;

  async function run(): Promise<boolean> {
    await watcher.reload().catch(deps.onError);
    const info = watcher.info();
    if (!crlDue(clock.now(), info.thisUpdate, info.nextUpdate, refreshAfterMs)) return false;
    await ca.writeCrl();
    await watcher.reload();
    return true;
  }

  const check = (): Promise<boolean> => {
    running ??= run().finally(() => {
      running = undefined;
    });
    return running;
  };

  await check();
  const timer = setInterval(() => {
    check().catch(deps.onError);
  }, settings.checkEveryMs ?? DEFAULT_CRL_CHECK_MS);
  timer.unref();
  return {
    check,
    async close() {
      clearInterval(timer);
      watcher.close();
      await running?.catch(() => undefined);
    },
  };
}
