import { createLogger, loadConfigFromEnvironment, startCentral } from '@onshi/central';
import { parseCommandArgs } from '../args.ts';
import { waitForShutdown } from '../shutdown.ts';

const help = `usage: onshi central [options]

Starts the central service (migrating the store first). Flags override the environment; see the
configuration table in the README.
  --store URL                 ONSHI_STORE
  --host H / --port P         ONSHI_HOST / ONSHI_PORT
  --tls-key FILE              ONSHI_TLS_KEY_FILE (with --tls-cert: HTTPS)
  --tls-cert FILE             ONSHI_TLS_CERT_FILE
  --tls-key-passphrase FILE   ONSHI_TLS_KEY_PASSPHRASE_FILE
  --client-ca FILE            ONSHI_CLIENT_CA_FILE (common CA bundle for institution certificates)
  --crl FILE                  ONSHI_CRL_FILE
  --feed-token FILE           ONSHI_FEED_TOKEN_FILE
  --quiet                     no informational log lines
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
      'tls-key-passphrase': { type: 'string' },
      'client-ca': { type: 'string' },
      crl: { type: 'string' },
      'feed-token': { type: 'string' },
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
    ONSHI_TLS_KEY_PASSPHRASE_FILE: values['tls-key-passphrase'],
    ONSHI_CLIENT_CA_FILE: values['client-ca'],
    ONSHI_CRL_FILE: values.crl,
    ONSHI_FEED_TOKEN_FILE: values['feed-token'],
  });
  const logger = createLogger(undefined, { quiet: values.quiet === true });
  const central = await startCentral(config, { clock: { now: () => new Date() }, logger });
  // The one line a supervising process (bench, tests) reads to find the port.
  process.stdout.write(`onshi central listening on ${central.url}\n`);
  await waitForShutdown(() => central.close());
}
