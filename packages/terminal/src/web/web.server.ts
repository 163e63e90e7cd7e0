/**
 * The terminal's HTTP server on 127.0.0.1 (ADR 0004): the staff page `/` and its files, the UI
 * API `/api/…`, and the reader channel `/reader/v1/…` (bearer token).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { OnshiError } from '@onshi/core';
import { readBody, type StaticFile, securityHeaders, sendError, sendJson, serverTimeouts } from '@onshi/web';
import type { ReaderChannel, Reply } from '../station/station.channel.ts';
import { assertReaderToken } from '../station/station.token.ts';
import type { UiApi } from './web.api.ts';

export interface WebServerDeps {
  readonly channel: ReaderChannel;
  readonly api: UiApi;
  readonly files: ReadonlyMap<string, StaticFile>;
  readonly readerToken: string;
  readonly onError: (error: unknown) => void;
}

/** Largest reader-channel body (a certificate and a signature in base64 are a few kB). */
const READER_BODY_LIMIT = 64 * 1024;

async function reader(deps: WebServerDeps, req: IncomingMessage, path: string): Promise<Reply> {
  assertReaderToken(req.headers.authorization, deps.readerToken);
  const method = req.method ?? 'GET';
  if (path === '/reader/v1/settings') {
    if (method !== 'GET') throw new OnshiError('HTTP_METHOD_NOT_ALLOWED', { method });
    return deps.channel.settings();
  }
  const handlers: Record<string, (body: Buffer) => Reply | Promise<Reply>> = {
    '/reader/v1/challenges': deps.channel.challenge,
    '/reader/v1/confirmations': deps.channel.confirm,
    '/reader/v1/registrations': deps.channel.register,
    '/reader/v1/events': deps.channel.event,
  };
  const handler = handlers[path];
  if (handler === undefined) throw new OnshiError('HTTP_NOT_FOUND', { path });
  if (method !== 'POST') throw new OnshiError('HTTP_METHOD_NOT_ALLOWED', { method });
  return handler(await readBody(req, READER_BODY_LIMIT));
}

async function route(deps: WebServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path.startsWith('/reader/')) {
    const reply = await reader(deps, req, path);
    return sendJson(res, reply.status, reply.body);
  }
  if (path.startsWith('/api/')) return deps.api.handle(req, res, path);
  const file = deps.files.get(path);
  if (file === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
    throw new OnshiError('HTTP_NOT_FOUND', { path });
  }
  res.writeHead(200, { ...securityHeaders, 'content-type': file.type, 'cache-control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

export function createWebServer(deps: WebServerDeps): Server {
  return createServer(serverTimeouts, (req, res) => {
    route(deps, req, res).catch((error: unknown) => sendError(res, error, deps.onError, 'terminal'));
  });
}
