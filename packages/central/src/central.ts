/**
 * Starting the central service from its configuration: the store (migrated), TLS with the common
 * CA's client certificates and CRL, the insurer-feed token, the routes, the server. The CLI's
 * `central` and `demo` commands and the benchmark all start it through here.
 */
import { readFile } from 'node:fs/promises';
import type { Clock } from '@onshi/core';
import {
  type CrlWatcher,
  createCrlWatcher,
  createInstitutionVerifier,
  type InstitutionVerifier,
  parsePemBundle,
  readPassphraseFile,
} from '@onshi/pki';
import { buildApp, type ExtraRoutes } from './app.ts';
import { startBatch } from './batch/batch.start.ts';
import { createCardCheckFromConfig } from './card-check/card-check.pki.ts';
import { cardCheckExtraRoutes } from './card-check/card-check.routes.ts';
import type { CentralConfig } from './config.ts';
import { createAuthenticator } from './http/auth.ts';
import { type RunningServer, startServer, type TlsOptions } from './http/server.ts';
import type { Logger } from './log.ts';
import { startRetentionSchedule } from './retention/retention.schedule.ts';
import { createSightingRecorder } from './sightings/sightings.recorder.ts';
import { migrate } from './store/migrate.ts';
import { writePriorityCells } from './store/store.sqlite.ts';
import { openStore, type Store } from './store/store.ts';

export interface CentralDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** An open store to use (and not close); by default the one `config.storeUrl` names. */
  readonly store?: Store | undefined;
  /** More routes, built once the store is open (features that live outside app.ts). */
  readonly extraRoutes?: ExtraRoutes | undefined;
}

export interface RunningCentral extends RunningServer {
  readonly store: Store;
}

interface TlsSetup {
  readonly options: TlsOptions;
  readonly verifier?: InstitutionVerifier | undefined;
  readonly crl?: CrlWatcher | undefined;
}

async function loadTls(tls: NonNullable<CentralConfig['tls']>, deps: CentralDeps): Promise<TlsSetup> {
  const [key, cert] = await Promise.all([readFile(tls.keyFile), readFile(tls.certFile)]);
  const passphrase = tls.keyPassphraseFile ? await readPassphraseFile(tls.keyPassphraseFile) : undefined;
  if (tls.clientCaFile === undefined) {
    deps.logger.info('no ONSHI_CLIENT_CA_FILE: institution routes refuse every caller');
    return { options: { key, cert, passphrase } };
  }
  const bundle = await readFile(tls.clientCaFile, 'utf8');
  const trust = parsePemBundle(bundle);
  const crl = tls.crlFile
    ? await createCrlWatcher(tls.crlFile, {
        // The CRL is signed by the issuing CA: the one certificate of the bundle not issued by itself.
        issuer: trust.find((c) => c.subject !== c.issuer) ?? trust[0]!,
        intervalMs: tls.crlReloadSeconds * 1000,
        clock: deps.clock,
        onError: (error) => deps.logger.error('CRL reload failed', { code: error.code }),
      })
    : undefined;
  if (crl === undefined)
    deps.logger.info('no ONSHI_CRL_FILE: client certificates are not checked for revocation');
  const verifier = createInstitutionVerifier({ trust, crl, clock: deps.clock });
  return { options: { key, cert, passphrase, clientCa: bundle }, verifier, crl };
}

/** The check by My Number card when a card PKI is configured: its verifier and routes. */
async function cardCheck(config: CentralConfig, deps: CentralDeps) {
  if (config.card === undefined) {
    deps.logger.info('no card PKI configured (ONSHI_JPKI_DIR / ONSHI_CARD_TRUST_FILE): card check off');
    return undefined;
  }
  const verifier = await createCardCheckFromConfig({
    ...config.card,
    ocspCacheMs: config.card.ocspCacheSeconds * 1000,
    clock: deps.clock,
  });
  const routes = cardCheckExtraRoutes({
    cardVerifier: verifier,
    challengeSeconds: config.card.challengeSeconds,
    maxBodyBytes: config.maxMessageBytes,
  });
  return { verifier, routes };
}

/** Both route sets, when there are two. */
function combine(a: ExtraRoutes | undefined, b: ExtraRoutes | undefined): ExtraRoutes | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return (deps) => {
    const first = a(deps);
    const second = b(deps);
    return {
      routes: [...first.routes, ...second.routes],
      operations: [...(first.operations ?? []), ...(second.operations ?? [])],
    };
  };
}

/** The first line of a token file. */
async function readToken(path: string): Promise<string | undefined> {
  return (await readFile(path, 'utf8')).split(/\r?\n/, 1)[0];
}

export async function startCentral(config: CentralConfig, deps: CentralDeps): Promise<RunningCentral> {
  // SQLite: single checks' audit commits take the write lock before the batch thread's chunks.
  const writeCells = writePriorityCells();
  const store =
    deps.store ?? openStore(config.storeUrl, { writePriority: { cells: writeCells, first: true } });
  await migrate(store);
  const tls = config.tls ? await loadTls(config.tls, deps) : undefined;
  const card = await cardCheck(config, deps);
  const feedToken = config.feedTokenFile ? await readToken(config.feedTokenFile) : undefined;
  const operatorToken = config.operatorTokenFile ? await readToken(config.operatorTokenFile) : undefined;
  const batch = await startBatch(config, {
    store,
    shareStore: deps.store !== undefined,
    writeCells,
    clock: deps.clock,
    logger: deps.logger,
  });
  const router = buildApp({
    config,
    store,
    clock: deps.clock,
    logger: deps.logger,
    extraRoutes: combine(card?.routes, deps.extraRoutes),
    onBatchAccepted: batch.worker?.wake,
    batchForward: batch.forward,
  });
  const server = await startServer(router, {
    host: config.host,
    port: config.port,
    defaultMaxBodyBytes: config.maxMessageBytes,
    logger: deps.logger,
    tls: tls?.options,
    authenticator: createAuthenticator({ institutions: tls?.verifier, feedToken, operatorToken }),
    onInstitutionServed: createSightingRecorder({ store, clock: deps.clock, logger: deps.logger }).served,
  });
  const retention =
    config.retention.intervalMinutes > 0
      ? startRetentionSchedule({
          store,
          clock: deps.clock,
          logger: deps.logger,
          intervalMs: config.retention.intervalMinutes * 60_000,
        })
      : undefined;
  return {
    ...server,
    store,
    close: async () => {
      await server.close();
      await retention?.stop();
      await batch.stop();
      tls?.crl?.close();
      card?.verifier.close();
      if (deps.store === undefined) await store.close();
    },
  };
}
