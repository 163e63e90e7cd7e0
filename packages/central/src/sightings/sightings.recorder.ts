/**
 * Records, once per certificate serial and process, that central answered a check made with it.
 * The server calls `served` after every answered institution request; only the check routes count,
 * and only answers below 400 (an OQS result — even 該当資格なし — is an answered check). The write
 * happens off the request path; a failed write is logged and retried on the next check.
 */
import type { Clock } from '@onshi/core';
import { paths } from '../app.ts';
import { cardCheckPaths } from '../card-check/card-check.routes.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { recordSighting } from './sightings.repo.ts';

/** The routes that are checks (by card data, by My Number card). */
export const checkPaths: ReadonlySet<string> = new Set([
  paths.qualificationConfirmations,
  cardCheckPaths.confirmations,
]);

export interface SightingRecorder {
  served(institution: { readonly code: string; readonly serial: string }, path: string, status: number): void;
}

export function createSightingRecorder(deps: {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
}): SightingRecorder {
  const seen = new Set<string>();
  return {
    served(institution, path, status) {
      if (status >= 400 || !checkPaths.has(path) || seen.has(institution.serial)) return;
      seen.add(institution.serial);
      recordSighting(deps.store, {
        serial: institution.serial,
        institutionCode: institution.code,
        firstCheckAt: deps.clock.now().toISOString(),
        path,
      }).catch((error: unknown) => {
        seen.delete(institution.serial);
        deps.logger.error('sighting not recorded', { error: String(error) });
      });
    },
  };
}
