/** The HTTP server of one side (portal or operator console): its API router, then its static files. */
import type { Server, ServerResponse } from 'node:http';
import { OnshiError } from '@onshi/core';
import { createAppServer, type StaticFile, securityHeaders, sendJson } from '@onshi/web';
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

export function createSideServer(deps: SideServerDeps): Server {
  return createAppServer({
    async handle(req, res, path) {
      if (!path.startsWith('/api/')) return false;
      const reply = await deps.router.handle(req, res);
      if (reply === 'unmatched') throw new OnshiError('HTTP_NOT_FOUND', { path });
      send(res, reply);
      return true;
    },
    files: deps.files,
    pages: deps.pages,
    onError: deps.onError,
    service: 'portal',
  });
}
