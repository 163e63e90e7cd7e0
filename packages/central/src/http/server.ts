/**
 * The HTTP(S) server around a router: reads bodies with a per-route size limit, gives every request
 * an id (echoed as `x-request-id`), turns thrown errors into `{ code, message, requestId }`.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as ServerOptionsHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type ErrorBody, isOnshiError, OnshiError } from '@onshi/core';
import type { Logger } from '../log.ts';
import { type Authenticator, createAuthenticator } from './auth.ts';
import type { Router } from './router.ts';
import { type HttpReply, type HttpRequest, jsonReply, type Route } from './types.ts';

export interface TlsOptions {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  /** Passphrase of an encrypted `key`. */
  readonly passphrase?: string | undefined;
  /**
   * CA certificates whose clients may present certificates (the common CA bundle). When set, the
   * server asks every client for a certificate; the authenticator decides per route.
   */
  readonly clientCa?: string | Buffer | undefined;
}

export interface ServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly tls?: TlsOptions | undefined;
  readonly defaultMaxBodyBytes: number;
  readonly logger: Logger;
  /** Decides who is calling for routes with `auth`; without one, such routes refuse everyone. */
  readonly authenticator?: Authenticator | undefined;
  /** Told of every answered institution request (central records the first check per certificate). */
  readonly onInstitutionServed?:
    | ((institution: NonNullable<HttpRequest['institution']>, path: string, status: number) => void)
    | undefined;
  /** How long `close()` lets requests in flight finish before cutting them (default 10 s). */
  readonly drainMs?: number | undefined;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /**
   * Drains: stops accepting connections, closes idle keep-alive connections at once, lets requests
   * in flight finish (their answers close their connections) and cuts what is left after `drainMs`.
   */
  close(): Promise<void>;
}

export async function startServer(router: Router, options: ServerOptions): Promise<RunningServer> {
  const draining = { now: false };
  const listener = createListener(router, options, draining);
  const server = options.tls
    ? createHttpsServer(httpsOptions(options.tls), listener)
    : createHttpServer(listener);
  server.keepAliveTimeout = 65_000;
  // A client that trickles its headers holds a socket for at most this long (Node's default is 60 s);
  // the whole request — a 128 MiB batch upload included — must arrive within requestTimeout.
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? 'https' : 'http';
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `${scheme}://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        draining.now = true;
        const cut = setTimeout(() => server.closeAllConnections(), options.drainMs ?? DRAIN_MS);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** Time requests in flight get to finish when the server closes. */
const DRAIN_MS = 10_000;

/** Time allowed for a request's headers. */
const HEADERS_TIMEOUT_MS = 20_000;
/** Time allowed for a whole request, body included (Node's default, stated here on purpose). */
const REQUEST_TIMEOUT_MS = 300_000;

/**
 * TLS 1.2 at least, whatever the process's defaults say (`--tls-min-v1.0`, a lowered
 * `tls.DEFAULT_MIN_VERSION` or OpenSSL security level): institutions send patients' data here.
 */
const TLS_MIN_VERSION = 'TLSv1.2';

function httpsOptions(tls: TlsOptions): ServerOptionsHttps {
  return {
    minVersion: TLS_MIN_VERSION,
    key: tls.key,
    cert: tls.cert,
    ...(tls.passphrase === undefined ? {} : { passphrase: tls.passphrase }),
    // Ask for a client certificate but let the authenticator refuse it with a coded answer,
    // rather than failing the handshake with no explanation.
    ...(tls.clientCa === undefined ? {} : { ca: tls.clientCa, requestCert: true, rejectUnauthorized: false }),
  };
}

const noAuthenticator = createAuthenticator({});

const bootId = randomBytes(4).toString('hex');
let requestCounter = 0;

function nextRequestId(): string {
  requestCounter += 1;
  return `${bootId}-${requestCounter.toString(36)}`;
}

function createListener(router: Router, options: ServerOptions, draining: { readonly now: boolean }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = nextRequestId();
    const state: HandlingState = {};
    handle(router, options, req, requestId, state).then(
      (reply) => send(res, reply, requestId, draining.now),
      (error: unknown) => {
        const context = { headers: req.headers, requestId, body: state.body };
        const reply = state.route?.errorReply
          ? state.route.errorReply(error, context)
          : errorReply(error, requestId, options.logger);
        send(res, reply, requestId, draining.now);
      },
    );
  };
}

/** What `handle` got to before a failure: the matched route and the body, once read. */
interface HandlingState {
  route?: Route;
  body?: Buffer;
}

async function handle(
  router: Router,
  options: ServerOptions,
  req: IncomingMessage,
  requestId: string,
  state: HandlingState,
): Promise<HttpReply> {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const route = router.match(req.method ?? 'GET', path);
  state.route = route;
  const authenticator = options.authenticator ?? noAuthenticator;
  const institution = route.auth === 'institution' ? authenticator.institution(req) : undefined;
  if (route.auth === 'feed') authenticator.feed(req);
  if (route.auth === 'operator') authenticator.operator(req);
  const body = await readBody(req, route.maxBodyBytes ?? options.defaultMaxBodyBytes);
  state.body = body;
  const request: HttpRequest = {
    method: req.method ?? 'GET',
    path,
    query: new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1)),
    headers: req.headers,
    body,
    requestId,
    remoteAddress: req.socket.remoteAddress,
    ...(institution === undefined ? {} : { institution }),
  };
  const reply = await route.handler(request);
  if (institution !== undefined) options.onInstitutionServed?.(institution, path, reply.status);
  return reply;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(new OnshiError('HTTP_BODY_TOO_LARGE', { limit }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new OnshiError('HTTP_BODY_TOO_LARGE', { limit }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: HttpReply, requestId: string, draining: boolean): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  const headers: Record<string, string | number> = {
    ...reply.headers,
    'content-length': body.byteLength,
    'x-request-id': requestId,
    // While draining, a keep-alive connection closes after its answer instead of idling.
    ...(draining ? { connection: 'close' } : {}),
  };
  res.writeHead(reply.status, headers);
  if (body.byteLength <= WRITE_SLICE_BYTES) {
    res.end(body);
    return;
  }
  // A large body (a 100,000-unit batch result is ~200 MB) is written a slice at a time, waiting for
  // 'drain': TLS encrypts what it is given in one go, so one write would stall the event loop.
  let offset = 0;
  const pump = (): void => {
    while (offset < body.byteLength) {
      const slice = body.subarray(offset, offset + WRITE_SLICE_BYTES);
      offset += slice.byteLength;
      if (offset >= body.byteLength) {
        res.end(slice);
        return;
      }
      if (!res.write(slice)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

/** Bodies larger than this are written in slices of this size. */
const WRITE_SLICE_BYTES = 256 * 1024;

/** Any thrown value as the wire error shape; unexpected errors are logged and hidden. */
export function errorBody(
  error: unknown,
  requestId: string,
  logger: Logger,
): { status: number; body: ErrorBody } {
  if (isOnshiError(error)) {
    return { status: error.status, body: { code: error.code, message: error.message, requestId } };
  }
  logger.error('unexpected error', {
    requestId,
    error: error instanceof Error ? error.stack : String(error),
  });
  const internal = new OnshiError('SERVICE_INTERNAL', { requestId });
  return { status: internal.status, body: { code: internal.code, message: internal.message, requestId } };
}

function errorReply(error: unknown, requestId: string, logger: Logger): HttpReply {
  const { status, body } = errorBody(error, requestId, logger);
  const allow =
    isOnshiError(error) && error.code === 'HTTP_METHOD_NOT_ALLOWED' ? error.params.allow : undefined;
  return jsonReply(status, body, allow === undefined ? {} : { allow: String(allow) });
}
