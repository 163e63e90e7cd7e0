/**
 * The server of a browser app (the terminal's staff UI, the portal, the operator console): the
 * app's own routes first, then its static files (GET and HEAD, `cache-control: no-cache`), the
 * security headers on every answer, the timeouts of `serverTimeouts`, and any thrown error as
 * `{ code, message }` (an unexpected one is reported to `onError` and answered SERVICE_INTERNAL).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { OnshiError } from '@onshi/core';
import { securityHeaders, sendError, serverTimeouts } from './http.ts';
import type { StaticFile } from './static.ts';

export interface AppServerDeps {
  /** The app's routes: true when it answered, false when the path is not one of them. */
  readonly handle: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;
  readonly files: ReadonlyMap<string, StaticFile>;
  /** Paths served with another file (e.g. `/` → `/static/operator.html`). */
  readonly pages?: ReadonlyMap<string, string> | undefined;
  readonly onError: (error: unknown) => void;
  /** The service named in SERVICE_INTERNAL's requestId. */
  readonly service: string;
}

async function route(deps: AppServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (await deps.handle(req, res, path)) return;
  const file = deps.files.get(deps.pages?.get(path) ?? path);
  if (file === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
    throw new OnshiError('HTTP_NOT_FOUND', { path });
  }
  res.writeHead(200, { ...securityHeaders, 'content-type': file.type, 'cache-control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

export function createAppServer(deps: AppServerDeps): Server {
  return createServer(serverTimeouts, (req, res) => {
    route(deps, req, res).catch((error: unknown) => sendError(res, error, deps.onError, deps.service));
  });
}
