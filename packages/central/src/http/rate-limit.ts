/**
 * A fixed-window counter per key (a peer address): at most `limit` calls per `windowMs`, then
 * HTTP_RATE_LIMITED (429) until the window ends. In memory, per process; the table is bounded
 * (`maxKeys`): when it is full, windows that ended are dropped, and if none has, all are — an
 * attacker with many addresses resets the counters rather than exhausting memory.
 */
import { OnshiError } from '@onshi/core';

export interface RateLimit {
  /** Counts a call of `key` at `now` (epoch ms); HTTP_RATE_LIMITED when over the limit. */
  take(key: string, now: number): void;
}

export function createRateLimit(limit: number, windowMs: number, maxKeys = 100_000): RateLimit {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key, now) {
      let window = windows.get(key);
      if (window === undefined || now - window.start >= windowMs) {
        if (window === undefined && windows.size >= maxKeys) {
          for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k);
          if (windows.size >= maxKeys) windows.clear();
        }
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      if (window.count > limit) {
        throw new OnshiError('HTTP_RATE_LIMITED', {
          seconds: Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)),
        });
      }
    },
  };
}
