/**
 * The reader simulator's HTTP server: the patient's touch screen (`/`, plain ES module and CSS
 * under ./static, no build step) and the JSON API the screen calls (`/api/…`). It holds one card
 * slot: starting a session while another is under way cancels the other, as taking a card off the
 * reader does. It talks to the terminal only over the reader channel (ADR 0004).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isOnshiError, OnshiError } from '@onshi/core';
import { openVirtualMyNumberCard } from '@onshi/pki';
import { asObject, readJson } from '@onshi/web';
import { placeCard } from './card-session.ts';
import { findCardFile, listCards } from './cards.ts';
import { createReaderChannelClient, type ReaderChannel } from './channel.ts';
import { type FaceMatcher, SimulatedFaceMatcher } from './face.ts';
import {
  openReaderSession,
  type PrescriptionSelect,
  type ReaderSession,
  type ReaderView,
  SESSION_TIMEOUT_MS,
} from './session.ts';

export interface ReaderServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 for any free port (the ADR's default is 8082). */
  readonly port: number;
  /** Where the `*.card.json` virtual cards are. */
  readonly cardsDir: string;
  /** The terminal, e.g. http://127.0.0.1:8081 */
  readonly terminalUrl: string;
  /** The reader token's file (read for each request, so a new token is picked up) … */
  readonly tokenFile?: string;
  /** … or the token itself. */
  readonly token?: string;
  /** Default: {@link SimulatedFaceMatcher} (the outcome chosen on the screen). */
  readonly faceMatcher?: FaceMatcher;
  readonly clock?: { now(): Date };
  /** Idle time before a session ends; default 3 minutes. */
  readonly sessionTimeoutMs?: number;
  /** Unexpected errors (answered as SERVICE_INTERNAL); default: written to stderr. */
  readonly onError?: (error: unknown) => void;
}

export interface RunningReader {
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;
const SWEEP_MS = 5_000;
const STATIC_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/static/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/static/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

type Body = Record<string, unknown>;
type Action = (session: ReaderSession, body: Body) => Promise<ReaderView>;

const actions: Readonly<Record<string, Action>> = {
  method: (s, body) => s.chooseMethod(oneOf(body, 'method', ['pin', 'face', 'visual'] as const)),
  pin: (s, body) => s.enterPin(text(body, 'pin')),
  face: (s, body) =>
    s.face({
      takenAt: new Date(),
      simulatedOutcome: oneOf(body, 'outcome', ['match', 'no-match'] as const),
    }),
  visual: (s) => s.confirmVisual(),
  consent: (s, body) => s.consent(flag(body, 'agree')),
  prescription: (s, body) => s.prescription(oneOf(body, 'select', ['1', '2'] as const) as PrescriptionSelect),
  register: (s, body) => s.register(flag(body, 'register')),
  cancel: (s) => s.cancel(),
};

export async function startReader(options: ReaderServerOptions): Promise<RunningReader> {
  const host = options.host ?? '127.0.0.1';
  const token = tokenSource(options);
  const channel: ReaderChannel = createReaderChannelClient({ terminalUrl: options.terminalUrl, token });
  const faceMatcher = options.faceMatcher ?? new SimulatedFaceMatcher();
  const onError =
    options.onError ?? ((error: unknown) => process.stderr.write(`onshi reader: ${String(error)}\n`));
  const staticDir = new URL('./static/', import.meta.url);
  const files = new Map<string, Buffer>();
  for (const { file } of Object.values(STATIC_FILES))
    files.set(file, await readFile(new URL(file, staticDir)));

  let current: ReaderSession | undefined;
  let starting: Promise<unknown> = Promise.resolve();

  const sessionOf = async (id: string): Promise<ReaderSession> => {
    if (current === undefined || current.id !== id)
      throw new OnshiError('READER_SESSION_UNKNOWN', { sessionId: id });
    await current.expireIfIdle();
    return current;
  };

  /** Places card `id` on the reader: the previous session (if still going) is cancelled. */
  const startSession = async (cardId: string): Promise<ReaderView> => {
    const ref = await findCardFile(options.cardsDir, cardId);
    if (current !== undefined && !current.final) await current.cancel();
    current = undefined;
    const settings = await channel.settings();
    const card = await placeCard(await openVirtualMyNumberCard(ref.path));
    current = await openReaderSession({
      id: randomBytes(10).toString('hex'),
      card,
      cardRef: { id: ref.id, label: ref.label },
      channel,
      settings,
      faceMatcher,
      ...(options.clock ? { clock: options.clock } : {}),
      timeoutMs: options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS,
      onReportError: onError,
    });
    return current.view();
  };

  const api = async (req: IncomingMessage, path: string): Promise<{ status: number; body: unknown }> => {
    const method = req.method ?? 'GET';
    if (path === '/api/cards') {
      allow(method, 'GET');
      return { status: 200, body: { cards: await listCards(options.cardsDir) } };
    }
    if (path === '/api/sessions') {
      allow(method, 'POST');
      const body = await jsonBody(req);
      const started = starting.then(() => startSession(text(body, 'card')));
      starting = started.catch(() => undefined);
      return { status: 201, body: await started };
    }
    const match = /^\/api\/sessions\/([0-9a-f]{20})(?:\/([a-z]+))?$/.exec(path);
    if (match === null) throw new OnshiError('HTTP_NOT_FOUND', { path });
    const [, id, name] = match;
    if (name === undefined) {
      allow(method, 'GET');
      return { status: 200, body: (await sessionOf(id!)).view() };
    }
    const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
    if (action === undefined) throw new OnshiError('HTTP_NOT_FOUND', { path });
    allow(method, 'POST');
    const body = await jsonBody(req);
    return { status: 200, body: await action(await sessionOf(id!), body) };
  };

  // 20 s for the headers, 1 minute for a request (the page's bodies are a few bytes).
  const server = createServer({ headersTimeout: 20_000, requestTimeout: 60_000 }, (req, res) => {
    const path = new URL(req.url ?? '/', 'http://reader').pathname;
    if (path === '/favicon.ico') {
      res.writeHead(204, SECURITY_HEADERS);
      res.end();
      return;
    }
    const asset = STATIC_FILES[path];
    if (asset !== undefined && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': asset.type, ...SECURITY_HEADERS });
      res.end(req.method === 'HEAD' ? undefined : files.get(asset.file));
      return;
    }
    api(req, path).then(
      ({ status, body }) => send(res, status, body),
      (error: unknown) => {
        if (isOnshiError(error)) {
          send(res, error.status, { code: error.code, message: error.message });
          return;
        }
        const requestId = randomBytes(8).toString('hex');
        onError(error);
        const internal = new OnshiError('SERVICE_INTERNAL', { requestId });
        send(res, internal.status, { code: internal.code, message: internal.message });
      },
    );
  });

  const sweep = setInterval(() => {
    current?.expireIfIdle().catch(onError);
  }, SWEEP_MS);
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    close: async () => {
      clearInterval(sweep);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      if (current !== undefined && !current.final) {
        // Reported as cancelled if the terminal answers soon; shutting down does not wait longer.
        await Promise.race([
          current.cancel().catch(onError),
          new Promise((resolve) => setTimeout(resolve, 1_000)),
        ]);
      }
      await closed;
    },
  };
}

function tokenSource(options: ReaderServerOptions): string | (() => Promise<string>) {
  if (options.token !== undefined) return options.token;
  const file = options.tokenFile;
  if (file === undefined) {
    throw new OnshiError('CONFIG_INVALID', {
      name: 'reader token',
      detail: 'token or tokenFile is required',
    });
  }
  return async () => {
    try {
      return (await readFile(file, 'utf8')).trim();
    } catch (error) {
      throw new OnshiError(
        'CONFIG_INVALID',
        { name: file, detail: 'トークンファイルを読めません' },
        { cause: error },
      );
    }
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    ...SECURITY_HEADERS,
  });
  res.end(json);
}

function allow(method: string, allowed: string): void {
  if (method !== allowed) throw new OnshiError('HTTP_METHOD_NOT_ALLOWED', { method });
}

/**
 * A JSON object body. Only `application/json` is accepted: a page of another origin cannot send
 * that without a CORS preflight, which this server never grants.
 */
async function jsonBody(req: IncomingMessage): Promise<Body> {
  return asObject(await readJson(req, MAX_BODY_BYTES));
}

function text(body: Body, field: string): string {
  const value = body[field];
  if (value === undefined) throw new OnshiError('MSG_FIELD_REQUIRED', { field });
  if (typeof value !== 'string') throw new OnshiError('MSG_FIELD_INVALID', { field, detail: '文字列です' });
  return value;
}

function flag(body: Body, field: string): boolean {
  const value = body[field];
  if (value === undefined) throw new OnshiError('MSG_FIELD_REQUIRED', { field });
  if (typeof value !== 'boolean')
    throw new OnshiError('MSG_FIELD_INVALID', { field, detail: 'true か false です' });
  return value;
}

function oneOf<T extends string>(body: Body, field: string, allowed: readonly T[]): T {
  const value = text(body, field);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new OnshiError('MSG_FIELD_INVALID', { field, detail: `${allowed.join(', ')} のいずれかです` });
  }
  return value as T;
}
