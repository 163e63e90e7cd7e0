/**
 * `startTerminal`: the whole 資格確認端末 in one call — the connector (req/res folders, optional
 * Web API) and the terminal's own server (staff UI, UI API, reader channel) on 127.0.0.1, sharing
 * one HTTPS client with the institution's certificate. `onshi terminal` and the demo start it here.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Clock, OnshiError } from '@onshi/core';
import { runConnector } from '../connector/connector.run.ts';
import { type ConnectorOptions, defaultConnectorOptions } from '../connector/connector.service.ts';
import { type ConnectorDirs, connectorDirs, ensureStateDir } from '../connector/connector.writer.ts';
import { createUiApi, type UiApi } from '../web/web.api.ts';
import { createWebServer } from '../web/web.server.ts';
import { terminalStaticFiles } from '../web/web.static.ts';
import { createBatches } from './station.batch.ts';
import { createStationCentralClient } from './station.central.ts';
import { institutionCodeOfCertificate, readCertificate } from './station.certs.ts';
import { createReaderChannel } from './station.channel.ts';
import { openStationDb } from './station.db.ts';
import { createRevocations } from './station.disaster.ts';
import { createStationPurge } from './station.purge.ts';
import { createReaderRecords } from './station.records.ts';
import { createSettingsStore, defaultSettings } from './station.settings.ts';
import { ensureReaderToken } from './station.token.ts';
import { createUsers, type NewUser, type User, type Users, type UsersOptions } from './station.users.ts';

export interface TerminalSettings {
  /** Root of req/, res/, face/ and the state folder `.connector/` (state.db, terminal.db). */
  readonly dir: string;
  /** Central's base URL (https://host:port). */
  readonly centralUrl: string;
  /** The institution's client certificate, its key, and the CA central's certificate chains to (PEM files). */
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  readonly caFile?: string | undefined;
  /** Connector options (result encoding, deadline, …); defaults: `defaultConnectorOptions`. */
  readonly options?: Partial<ConnectorOptions> | undefined;
  /** Connector Web API port on 127.0.0.1 (0 = any free port); off when undefined. */
  readonly apiPort?: number | undefined;
  /** Terminal server (staff UI, UI API, reader channel) port on 127.0.0.1; default 8081, 0 = any free port. */
  readonly uiPort?: number | undefined;
  /** Reader token file; default `<dir>/.connector/reader-token` (created 0600 when missing). */
  readonly readerTokenFile?: string | undefined;
  /** 医療機関コード; default: read from the client certificate's subject (as central reads it). */
  readonly institutionCode?: string | undefined;
  /** Login lockout and UI session lifetime. */
  readonly users?: UsersOptions | undefined;
  /** Longest call to central from the UI and the reader channel (default 15 s). */
  readonly centralTimeoutMs?: number | undefined;
  /** Least time between two questions to central about one running 一括照会 (default 1 s). */
  readonly batchPollMs?: number | undefined;
}

export interface TerminalDeps {
  readonly clock?: Clock | undefined;
  /** Unexpected failures (connector steps, internal errors of the server); default: stderr. */
  readonly onError?: ((error: unknown) => void) | undefined;
}

export interface RunningTerminal {
  /** `http://127.0.0.1:port/` of the staff UI (the reader channel is under `/reader/v1/`). */
  readonly url: string;
  readonly dirs: ConnectorDirs;
  /** The connector's Web API, when it runs. */
  readonly apiUrl: string | undefined;
  readonly readerTokenFile: string;
  readonly institutionCode: string;
  readonly users: Users;
  /** The staff UI API's routes and who may call each (tests walk them). */
  readonly uiRoutes: UiApi['routes'];
  close(): Promise<void>;
}

export const DEFAULT_UI_PORT = 8081;

export function terminalDbPath(dir: string): string {
  return join(connectorDirs(dir).state, 'terminal.db');
}

export function defaultReaderTokenFile(dir: string): string {
  return join(connectorDirs(dir).state, 'reader-token');
}

function institutionCodeFor(settings: TerminalSettings): string {
  if (settings.institutionCode !== undefined) return settings.institutionCode;
  const code = settings.certFile
    ? institutionCodeOfCertificate(readCertificate(settings.certFile))
    : undefined;
  if (code === undefined) {
    throw new OnshiError('CONFIG_INVALID', {
      name: 'institution code',
      detail: 'the client certificate has no 医療機関コード in its subject; give institutionCode',
    });
  }
  return code;
}

export async function startTerminal(
  settings: TerminalSettings,
  deps: TerminalDeps = {},
): Promise<RunningTerminal> {
  const clock = deps.clock ?? { now: () => new Date() };
  const onError =
    deps.onError ??
    ((error: unknown) =>
      process.stderr.write(`onshi terminal: ${error instanceof Error ? error.stack : error}\n`));
  const institutionCode = institutionCodeFor(settings);
  const options: ConnectorOptions = { ...defaultConnectorOptions, ...settings.options };
  const dirs = connectorDirs(settings.dir);
  const client = createStationCentralClient({
    baseUrl: settings.centralUrl,
    certFile: settings.certFile,
    keyFile: settings.keyFile,
    caFile: settings.caFile,
    maxSockets: options.concurrency + 4,
  });
  // The users first: the connector's folder requests of 医療情報 act for a viewer among them.
  ensureStateDir(dirs.state);
  const db = openStationDb(terminalDbPath(settings.dir));
  const users = createUsers(db, clock, settings.users);
  const connector = await runConnector(
    {
      dir: settings.dir,
      centralUrl: settings.centralUrl,
      certFile: settings.certFile,
      keyFile: settings.keyFile,
      caFile: settings.caFile,
      options,
      apiPort: settings.apiPort,
    },
    { clock, onError, client, viewers: (login) => users.get(login) },
  ).catch((error: unknown) => {
    db.close();
    throw error;
  });
  const readerTokenFile = settings.readerTokenFile ?? defaultReaderTokenFile(settings.dir);
  const settingsStore = createSettingsStore(db, defaultSettings(options.resultEncoding));
  const records = createReaderRecords(db, clock);
  const revocations = createRevocations(db, clock);
  // terminal.db keeps patients' data as long as the connector keeps answered requests.
  const stationPurge = createStationPurge(db);
  const purgeStation = (): void => {
    try {
      stationPurge.purge(clock.now().getTime() - options.retentionMs);
    } catch (error) {
      onError(error);
    }
  };
  purgeStation();
  const purgeTimer = setInterval(purgeStation, options.purgeEveryMs);
  purgeTimer.unref();
  const timeoutMs = settings.centralTimeoutMs ?? 15_000;
  const channel = createReaderChannel({
    client,
    settings: settingsStore,
    records,
    faceDir: dirs.face,
    institutionCode,
    clock,
    timeoutMs,
  });
  const api = createUiApi({
    users,
    settings: settingsStore,
    records,
    revocations,
    batches: createBatches({
      db,
      client,
      institutionCode,
      clock,
      timeoutMs,
      pollMs: settings.batchPollMs,
    }),
    client,
    institutionCode,
    certFile: settings.certFile,
    faceDir: dirs.face,
    clock,
    timeoutMs,
  });
  const server = createWebServer({
    channel,
    api,
    files: terminalStaticFiles(),
    readerToken: ensureReaderToken(readerTokenFile),
    onError,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(settings.uiPort ?? DEFAULT_UI_PORT, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    clearInterval(purgeTimer);
    await connector.stop();
    client.close();
    db.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  /** Closing twice (the CLI's signal and a test's cleanup) waits for the one close. */
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/`,
    dirs,
    apiUrl: connector.apiUrl,
    readerTokenFile,
    institutionCode,
    users,
    uiRoutes: api.routes,
    close() {
      closing ??= stop();
      return closing;
    },
  };

  async function stop(): Promise<void> {
    api.closeStreams();
    // Idle keep-alive connections go now; calls in flight get a moment to finish.
    const grace = setTimeout(() => server.closeAllConnections(), 2_000);
    await new Promise((resolve) => {
      server.close(resolve);
      server.closeIdleConnections();
    });
    clearTimeout(grace);
    clearInterval(purgeTimer);
    await connector.stop();
    client.close();
    db.close();
  }
}

/** Adds a staff user to the terminal store of `dir` (TERMINAL_USER_EXISTS when the login is taken). */
export async function createUser(dir: string, user: NewUser): Promise<User> {
  return withUsers(dir, (users) => users.create(user));
}

/** Adds the user unless the login exists (the demo's first admin). */
export async function ensureUser(dir: string, user: NewUser): Promise<{ user: User; created: boolean }> {
  return withUsers(dir, (users) => users.ensure(user));
}

async function withUsers<T>(dir: string, fn: (users: Users) => Promise<T>): Promise<T> {
  ensureStateDir(connectorDirs(dir).state);
  const db = openStationDb(terminalDbPath(dir));
  try {
    return await fn(createUsers(db, { now: () => new Date() }));
  } finally {
    db.close();
  }
}
