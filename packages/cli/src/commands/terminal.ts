import { readFileSync } from 'node:fs';
import {
  createUser,
  DEFAULT_UI_PORT,
  defaultConnectorOptions,
  type RunningTerminal,
  roles,
  startTerminal,
  type TerminalSettings,
} from '@onshi/terminal';
import { parseCommandArgs, port, positiveInteger, UsageError } from '../args.ts';
import { waitForShutdown } from '../shutdown.ts';

const help = `usage: onshi terminal --dir DIR --central URL --client-cert F --client-key F --ca F [options]
       onshi terminal user add --dir DIR --login L --role admin|clerk|viewer [--name N] [--password-file F]

Runs the 資格確認端末: the connector (連携アプリケーション) — watches DIR/req for request files,
answers each through central into DIR/res (mirrored name, written atomically), keeps requests in
DIR/req/done or DIR/req/error, and its state in DIR/.connector/state.db — and the terminal's own
server on 127.0.0.1: the staff UI (/), its API (/api/…) and the reader channel (/reader/v1/…),
which writes DIR/face/ files. Staff users, settings and reader sessions: DIR/.connector/terminal.db.
Runs until SIGTERM.
  --dir DIR                  root of the req/res/face folders
  --central URL              central base URL (https://host:port)
  --client-cert FILE         the institution's client certificate (PEM); its subject names the 医療機関コード
  --client-key FILE          its private key (PEM)
  --ca FILE                  CA bundle central's server certificate must chain to (PEM)
  --result-encoding ENC      utf-8 (default) or shift_jis; stated in CharacterCodeIdentifier
                             (res/ files; the first value of the face-file setting in 環境設定)
  --deadline-seconds N       error result when central cannot be reached for N s (default 30)
  --settle-ms N              a file written in place must be unchanged this long (default 250)
  --concurrency N            requests to central at once (default 8)
  --api-port P               local Web API (JSON) and GET /health on 127.0.0.1:P (off by default)
  --ui-port P                staff UI and reader channel on 127.0.0.1:P (default ${DEFAULT_UI_PORT}; 0 = any
                             free port; without the flag a busy ${DEFAULT_UI_PORT} falls back to a free port)
  --reader-token-file FILE   the reader's bearer token (default DIR/.connector/reader-token,
                             created 0600 when missing)
  --retention-days N         answered requests (state rows, DIR/req/done files) and terminal.db's reader
                             sessions, consent revocations and finished batches are kept N days (default 7)
  --medinfo-user LOGIN       the 医療情報閲覧者 (a viewer of the terminal store) YZK/TKK request files are
                             viewed as, recorded in central's audit; without it they get an error result
                             (CONNECTOR_MEDINFO_USER_NOT_SET)

user add: adds a staff user (管理者 admin, 一般利用者 clerk, 医療情報閲覧者 viewer) to DIR's
terminal store; the password (8+ characters) is read from --password-file or from stdin.
`;

function resultEncoding(value: string | undefined): 'utf-8' | 'shift_jis' {
  const v = (value ?? 'utf-8').toLowerCase().replace('-', '_');
  if (v === 'utf_8' || v === 'utf8') return 'utf-8';
  if (v === 'shift_jis' || v === 'sjis') return 'shift_jis';
  throw new UsageError('--result-encoding must be utf-8 or shift_jis');
}

export async function run(argv: string[]): Promise<void> {
  if (argv[0] === 'user') return user(argv.slice(1));
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
      'ui-port': { type: 'string' },
      'reader-token-file': { type: 'string' },
      'retention-days': { type: 'string' },
      'medinfo-user': { type: 'string' },
    },
    help,
  );
  if (!values.dir) throw new UsageError('--dir is required');
  if (!values.central) throw new UsageError('--central is required');
  if (values['medinfo-user'] === '') throw new UsageError('--medinfo-user needs a login');
  const d = defaultConnectorOptions;
  const settings: TerminalSettings = {
    dir: values.dir,
    centralUrl: values.central,
    certFile: values['client-cert'],
    keyFile: values['client-key'],
    caFile: values.ca,
    options: {
      resultEncoding: resultEncoding(values['result-encoding']),
      deadlineMs: positiveInteger(values['deadline-seconds'], 'deadline-seconds', d.deadlineMs / 1000) * 1000,
      settleMs: positiveInteger(values['settle-ms'], 'settle-ms', d.settleMs),
      concurrency: positiveInteger(values.concurrency, 'concurrency', d.concurrency),
      retentionMs:
        positiveInteger(values['retention-days'], 'retention-days', d.retentionMs / 86_400_000) * 86_400_000,
      medinfoUser: values['medinfo-user'],
    },
    apiPort: port(values['api-port'], 'api-port'),
    uiPort: port(values['ui-port'], 'ui-port'),
    readerTokenFile: values['reader-token-file'],
  };
  const deps = {
    clock: { now: () => new Date() },
    onError: (error: unknown) =>
      process.stderr.write(`onshi terminal: ${error instanceof Error ? error.stack : error}\n`),
  };
  let terminal: RunningTerminal;
  try {
    terminal = await startTerminal(settings, deps);
  } catch (error) {
    if (settings.uiPort !== undefined || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    process.stderr.write(`onshi terminal: port ${DEFAULT_UI_PORT} is in use; the UI takes a free port\n`);
    terminal = await startTerminal({ ...settings, uiPort: 0 }, deps);
  }
  // The line a supervising process (tests, bench) waits for.
  process.stdout.write(
    `onshi terminal watching ${terminal.dirs.req} → ${terminal.dirs.res} (central ${values.central})\n`,
  );
  process.stdout.write(
    `onshi terminal UI on ${terminal.url} (institution ${terminal.institutionCode}; reader channel ${terminal.url}reader/v1/, token in ${terminal.readerTokenFile})\n`,
  );
  if (terminal.apiUrl) process.stdout.write(`onshi terminal Web API on ${terminal.apiUrl} (GET /health)\n`);
  if (terminal.users.count() === 0) {
    process.stdout.write(
      `onshi terminal: no staff users yet — add one with: onshi terminal user add --dir ${values.dir} --login admin --role admin\n`,
    );
  }
  await waitForShutdown(() => terminal.close());
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function user(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  if (action !== 'add') throw new UsageError('usage: onshi terminal user add --dir DIR --login L --role R');
  const { values } = parseCommandArgs(
    rest,
    {
      dir: { type: 'string' },
      login: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      'password-file': { type: 'string' },
    },
    help,
  );
  if (!values.dir) throw new UsageError('--dir is required');
  if (!values.login) throw new UsageError('--login is required');
  const role = values.role;
  if (role !== 'admin' && role !== 'clerk' && role !== 'viewer') {
    throw new UsageError(`--role must be one of ${roles.join(', ')}`);
  }
  const raw = values['password-file'] ? readFileSync(values['password-file'], 'utf8') : await readStdin();
  const password = raw.replace(/\r?\n$/, '');
  const created = await createUser(values.dir, {
    login: values.login,
    role,
    displayName: values.name,
    password,
  });
  process.stdout.write(`onshi terminal: user ${created.login} (${created.role}) added\n`);
}
