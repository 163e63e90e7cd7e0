/** The HTTP server of one side (portal or operator console): its API router, then its static files. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { OnshiError } from '@onshi/core';
import { type StaticFile, securityHeaders, sendError, sendJson, serverTimeouts } from '@onshi/web';
import type { Reply, Router } from './router.ts';

export interface SideServerDeps {
  readonly router: Router;
  readonly files: ReadonlyMap<string, StaticFile>;
  /** The page served at `/` (and at `/mailbox` for the portal in mailbox mode). */
  readonly pages: ReadonlyMap<string, string>;
  readonly onError: (error: unknown) => void;
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply === undefined) {
    sendJson(res, 204);
    return;
  }
  const status = reply.status ?? 200;
  if ('json' in reply) {
    sendJson(res, reply.json === undefined ? 204 : status, reply.json, reply.headers);
    return;
  }
  const body = typeof reply.bytes === 'string' ? Buffer.from(reply.bytes) : reply.bytes;
  res.writeHead(status, {
    ...securityHeaders,
    'content-type': reply.type,
    'content-length': body.byteLength,
    'cache-control': 'no-store',
    ...reply.headers,
  });
  res.end(body);
}

async function route(deps: SideServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path.startsWith('/api/')) {
    const reply = await deps.router.handle(req, res);
    if (reply === 'unmatched') throw new OnshiError('HTTP_NOT_FOUND', { path });
    send(res, reply);
    return;
  }
  const page = deps.pages.get(path);
  const file = deps.files.get(page ?? path);
  if (file === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
    throw new OnshiError('HTTP_NOT_FOUND', { path });
  }
  res.writeHead(200, { ...securityHeaders, 'content-type': file.type, 'cache-control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

export function createSideServer(deps: SideServerDeps): Server {
  return createServer(serverTimeouts, (req, res) => {
    route(deps, req, res).catch((error: unknown) => sendError(res, error, deps.onError, 'portal'));
  });
}
