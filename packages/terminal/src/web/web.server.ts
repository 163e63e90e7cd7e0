/**
 * The terminal's HTTP server on 127.0.0.1 (ADR 0004): the staff page `/` and its files, the UI
 * API `/api/…`, and the reader channel `/reader/v1/…` (bearer token).
 */
import type { IncomingMessage, Server } from 'node:http';
import { OnshiError } from '@onshi/core';
import { createAppServer, readBody, type StaticFile, sendJson } from '@onshi/web';
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

export function createWebServer(deps: WebServerDeps): Server {
  return createAppServer({
    async handle(req, res, path) {
      if (path.startsWith('/reader/')) {
        const reply = await reader(deps, req, path);
        sendJson(res, reply.status, reply.body);
        return true;
      }
      if (!path.startsWith('/api/')) return false;
      await deps.api.handle(req, res, path);
      return true;
    },
    files: deps.files,
    onError: deps.onError,
    service: 'terminal',
  });
}
