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
import type { CentralConfig } from './config.ts';
import { createAuthenticator } from './http/auth.ts';
import { type RunningServer, startServer, type TlsOptions } from './http/server.ts';
import type { Logger } from './log.ts';
import { migrate } from './store/migrate.ts';
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

export async function startCentral(config: CentralConfig, deps: CentralDeps): Promise<RunningCentral> {
  const store = deps.store ?? openStore(config.storeUrl);
  await migrate(store);
  const tls = config.tls ? await loadTls(config.tls, deps) : undefined;
  const feedToken = config.feedTokenFile
    ? (await readFile(config.feedTokenFile, 'utf8')).split(/\r?\n/, 1)[0]
    : undefined;
  const router = buildApp({
    config,
    store,
    clock: deps.clock,
    logger: deps.logger,
    extraRoutes: deps.extraRoutes,
  });
  const server = await startServer(router, {
    host: config.host,
    port: config.port,
    defaultMaxBodyBytes: config.maxMessageBytes,
    logger: deps.logger,
    tls: tls?.options,
    authenticator: createAuthenticator({ institutions: tls?.verifier, feedToken }),
  });
  return {
    ...server,
    store,
    close: async () => {
      await server.close();
      tls?.crl?.close();
      if (deps.store === undefined) await store.close();
    },
  };
}
