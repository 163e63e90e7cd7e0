/**
 * The central service's check endpoint over HTTPS for the benchmark: `buildApp` over the seeded
 * store, `startServer` with the throw-away certificate, a clock fixed at noon JST of the store's
 * `asOf` (so that results do not depend on the day the benchmark runs), info logging off.
 */
import { buildApp, createLogger, loadConfig, migrate, openStore, startServer } from '@onshi/central';

export async function startCheckServer(
  tls: { key: Buffer; cert: Buffer },
  values: { store?: string | undefined; 'as-of'?: string | undefined },
): Promise<string> {
  const storeUrl = values.store!;
  const store = openStore(storeUrl);
  await migrate(store);
  const config = loadConfig({ ONSHI_STORE: storeUrl, ONSHI_HOST: '127.0.0.1', ONSHI_PORT: '0' });
  const noon = new Date(`${values['as-of']}T03:00:00Z`);
  const clock = { now: () => noon };
  const logger = createLogger(undefined, { quiet: true });
  const router = buildApp({ config, store, clock, logger });
  const server = await startServer(router, {
    host: config.host,
    port: 0,
    tls,
    defaultMaxBodyBytes: config.maxMessageBytes,
    logger,
  });
  return server.url;
}
