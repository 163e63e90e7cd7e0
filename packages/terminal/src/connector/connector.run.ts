/**
 * Starting the connector from its settings: folders, the state file, the HTTPS client with the
 * institution's certificate, the connector itself. `onshi terminal` starts it through here.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Clock, OnshiError } from '@onshi/core';
import { createConnectorApi } from './connector.api.ts';
import { type CentralClient, createHttpsCentralClient } from './connector.client.ts';
import { isBatchKind } from './connector.names.ts';
import { openConnectorRepo } from './connector.repo.ts';
import {
  type ConnectorOptions,
  createConnector,
  medinfoUserProblem,
  type ViewerLookup,
} from './connector.service.ts';
import { type ConnectorDirs, connectorDirs, ensureStateDir } from './connector.writer.ts';

export interface ConnectorSettings {
  readonly dir: string;
  readonly centralUrl: string;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  readonly caFile?: string | undefined;
  readonly options: ConnectorOptions;
  /** Local Web API and health on 127.0.0.1:port (0 = any free port); off when undefined. */
  readonly apiPort?: number | undefined;
}

export interface RunningConnector {
  readonly dirs: ConnectorDirs;
  /** `http://127.0.0.1:port` of the Web API, when it runs. */
  readonly apiUrl: string | undefined;
  stop(): Promise<void>;
}

export async function runConnector(
  settings: ConnectorSettings,
  deps: {
    clock: Clock;
    onError: (error: unknown) => void;
    /** A client shared with the rest of the terminal (it then closes it itself); default: a new one. */
    client?: CentralClient | undefined;
    /** The terminal's users: `options.medinfoUser` must be a viewer among them. */
    viewers?: ViewerLookup | undefined;
  },
): Promise<RunningConnector> {
  const login = settings.options.medinfoUser;
  const problem = login === undefined ? undefined : medinfoUserProblem(login, deps.viewers);
  if (login !== undefined && problem !== undefined) {
    throw new OnshiError('CONNECTOR_MEDINFO_USER_INVALID', { login, reason: problem });
  }
  const dirs = connectorDirs(settings.dir);
  ensureStateDir(dirs.state);
  const repo = openConnectorRepo(join(dirs.state, 'state.db'));
  const shared = deps.client;
  const ownClient = (maxSockets: number) =>
    createHttpsCentralClient({
      baseUrl: settings.centralUrl,
      certFile: settings.certFile,
      keyFile: settings.keyFile,
      caFile: settings.caFile,
      maxSockets,
    });
  const client = shared ?? ownClient(settings.options.concurrency);
  // Batch files go through a streaming client of the connector's own even when the terminal shares
  // its client (which holds answers in memory): a 02res may be hundreds of megabytes.
  const large = shared === undefined ? undefined : ownClient(2);
  const folderClient: CentralClient =
    large === undefined
      ? client
      : {
          post: (kind, xml, signal, options) =>
            (isBatchKind(kind) ? large : client).post(kind, xml, signal, options),
          close: () => large.close(),
        };
  const connector = createConnector({
    dirs,
    repo,
    client: folderClient,
    options: settings.options,
    clock: deps.clock,
    onError: deps.onError,
    viewers: deps.viewers,
  });
  connector.start();
  const api =
    settings.apiPort === undefined
      ? undefined
      : createConnectorApi({
          client,
          repo,
          inFlight: connector.inFlight,
          timeoutMs: settings.options.deadlineMs,
        });
  if (api) await new Promise<void>((resolve) => api.listen(settings.apiPort, '127.0.0.1', resolve));
  return {
    dirs,
    apiUrl: api ? `http://127.0.0.1:${(api.address() as AddressInfo).port}` : undefined,
    async stop() {
      if (api) await new Promise((resolve) => api.close(resolve));
      await connector.stop();
      if (shared === undefined) client.close();
      large?.close();
      repo.close();
    },
  };
}
