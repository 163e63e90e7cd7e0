import { defaultConnectorOptions, runConnector } from '@onshi/terminal';
import { parseCommandArgs, positiveInteger, UsageError } from '../args.ts';
import { waitForShutdown } from '../shutdown.ts';

const help = `usage: onshi terminal --dir DIR --central URL --client-cert F --client-key F --ca F [options]

Runs the connector (連携アプリケーション): watches DIR/req for request files, answers each through
central into DIR/res (mirrored name, written atomically), keeps requests in DIR/req/done or
DIR/req/error, and its state in DIR/.connector/state.db. Runs until SIGTERM.
  --dir DIR                  root of the req/res/face folders
  --central URL              central base URL (https://host:port)
  --client-cert FILE         the institution's client certificate (PEM)
  --client-key FILE          its private key (PEM)
  --ca FILE                  CA bundle central's server certificate must chain to (PEM)
  --result-encoding ENC      utf-8 (default) or shift_jis; stated in CharacterCodeIdentifier
  --deadline-seconds N       error result when central cannot be reached for N s (default 30)
  --settle-ms N              a file written in place must be unchanged this long (default 250)
  --concurrency N            requests to central at once (default 8)
  --api-port P               local Web API (JSON) and GET /health on 127.0.0.1:P (off by default)
`;

function resultEncoding(value: string | undefined): 'utf-8' | 'shift_jis' {
  const v = (value ?? 'utf-8').toLowerCase().replace('-', '_');
  if (v === 'utf_8' || v === 'utf8') return 'utf-8';
  if (v === 'shift_jis' || v === 'sjis') return 'shift_jis';
  throw new UsageError('--result-encoding must be utf-8 or shift_jis');
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(
    argv,
    {
      dir: { type: 'string' },
      central: { type: 'string' },
      'client-cert': { type: 'string' },
      'client-key': { type: 'string' },
      ca: { type: 'string' },
      'result-encoding': { type: 'string' },
      'deadline-seconds': { type: 'string' },
      'settle-ms': { type: 'string' },
      concurrency: { type: 'string' },
      'api-port': { type: 'string' },
    },
    help,
  );
  if (!values.dir) throw new UsageError('--dir is required');
  if (!values.central) throw new UsageError('--central is required');
  const d = defaultConnectorOptions;
  const options = {
    ...d,
    resultEncoding: resultEncoding(values['result-encoding']),
    deadlineMs: positiveInteger(values['deadline-seconds'], 'deadline-seconds', d.deadlineMs / 1000) * 1000,
    settleMs: positiveInteger(values['settle-ms'], 'settle-ms', d.settleMs),
    concurrency: positiveInteger(values.concurrency, 'concurrency', d.concurrency),
  };
  const apiPort = values['api-port'] === undefined ? undefined : Number(values['api-port']);
  if (apiPort !== undefined && !(Number.isInteger(apiPort) && apiPort >= 0 && apiPort < 65_536)) {
    throw new UsageError('--api-port must be a port number');
  }
  const connector = await runConnector(
    {
      dir: values.dir,
      centralUrl: values.central,
      certFile: values['client-cert'],
      keyFile: values['client-key'],
      caFile: values.ca,
      options,
      apiPort,
    },
    {
      clock: { now: () => new Date() },
      onError: (error) =>
        process.stderr.write(`onshi terminal: ${error instanceof Error ? error.stack : error}\n`),
    },
  );
  // The line a supervising process (tests, bench) waits for.
  process.stdout.write(
    `onshi terminal watching ${connector.dirs.req} → ${connector.dirs.res} (central ${values.central})\n`,
  );
  if (connector.apiUrl) process.stdout.write(`onshi terminal Web API on ${connector.apiUrl} (GET /health)\n`);
  await waitForShutdown(() => connector.stop());
}
