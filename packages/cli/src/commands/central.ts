import { readFileSync } from 'node:fs';
import {
  buildApp,
  createLogger,
  loadConfigFromEnvironment,
  migrate,
  openStore,
  startServer,
} from '@onshi/central';
import { parseCommandArgs } from '../args.ts';
import { waitForShutdown } from '../shutdown.ts';

const help = `usage: onshi central [--store URL] [--host H] [--port P] [--tls-key FILE --tls-cert FILE]

Starts the central service (migrating the store first). Flags override the environment
(ONSHI_STORE, ONSHI_HOST, ONSHI_PORT, ONSHI_TLS_KEY_FILE, ONSHI_TLS_CERT_FILE; see the README).
`;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(
    argv,
    {
      store: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      quiet: { type: 'boolean' },
    },
    help,
  );
  const config = loadConfigFromEnvironment({
    ONSHI_STORE: values.store,
    ONSHI_HOST: values.host,
    ONSHI_PORT: values.port,
    ONSHI_TLS_KEY_FILE: values['tls-key'],
    ONSHI_TLS_CERT_FILE: values['tls-cert'],
  });
  const logger = createLogger(undefined, { quiet: values.quiet === true });
  const store = openStore(config.storeUrl);
  await migrate(store);
  const router = buildApp({ config, store, clock: { now: () => new Date() }, logger });
  const server = await startServer(router, {
    host: config.host,
    port: config.port,
    defaultMaxBodyBytes: config.maxMessageBytes,
    logger,
    tls: config.tls && { key: readFileSync(config.tls.keyFile), cert: readFileSync(config.tls.certFile) },
  });
  // The one line a supervising process (bench, tests) reads to find the port.
  process.stdout.write(`onshi central listening on ${server.url}\n`);
  await waitForShutdown(async () => {
    await server.close();
    await store.close();
  });
}
