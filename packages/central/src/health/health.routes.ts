/**
 * `GET /health`: 200 `{ status: 'ok', store }` once the store has answered a trivial query within
 * `timeoutMs`; otherwise 503 with STORE_UNAVAILABLE (a load balancer takes the process out of
 * rotation). Nothing else is checked.
 */
import { OnshiError } from '@onshi/core';
import type { Route } from '../http/types.ts';
import { jsonReply } from '../http/types.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { pingStore } from './health.repo.ts';

/** How long the health check waits for the store. */
export const HEALTH_STORE_TIMEOUT_MS = 2000;

export function healthRoute(
  path: string,
  deps: { store: Store; logger: Logger; timeoutMs?: number | undefined },
): Route {
  const timeoutMs = deps.timeoutMs ?? HEALTH_STORE_TIMEOUT_MS;
  return {
    method: 'GET',
    path,
    handler: async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        // A ping still pending after the timeout settles later into race's own handlers.
        await Promise.race([pingStore(deps.store), timeout]);
      } catch (error) {
        deps.logger.error('health: store unavailable', {
          error: error instanceof Error ? error.message : String(error),
        });
        throw new OnshiError('STORE_UNAVAILABLE', { store: deps.store.dialect }, { cause: error });
      } finally {
        clearTimeout(timer);
      }
      return jsonReply(200, { status: 'ok', store: deps.store.dialect });
    },
  };
}
