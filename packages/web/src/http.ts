/** Small HTTP helpers of the browser-facing servers (terminal staff UI, portal): bodies with a limit, JSON answers, coded errors, cookies. */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isOnshiError, OnshiError } from '@onshi/core';

export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * Timeouts of the browser-facing servers: a client gets 20 s for its headers (Node: 60 s) and 2
 * minutes for a whole request (Node: 5) — the largest body, a portal upload of a few MB, fits.
 */
export const serverTimeouts = { headersTimeout: 20_000, requestTimeout: 120_000 } as const;

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new OnshiError('HTTP_BODY_TOO_LARGE', { limit });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The body of a state-changing call: JSON only (a cross-site form cannot send it without CORS). */
export async function readJson(req: IncomingMessage, limit = 64 * 1024): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type !== 'application/json')
    throw new OnshiError('HTTP_UNSUPPORTED_MEDIA_TYPE', { type: type || '(none)' });
  const body = await readBody(req, limit);
  try {
    return body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new OnshiError('MSG_JSON_MALFORMED', {}, { cause: error });
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, { ...securityHeaders, 'cache-control': 'no-store', ...headers });
    res.end();
    return;
  }
  res.writeHead(status, {
    ...securityHeaders,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/** Any thrown value as `{ code, message }` with its status (unexpected ones: SERVICE_INTERNAL). */
export function sendError(
  res: ServerResponse,
  error: unknown,
  onUnexpected: (error: unknown) => void,
  service = 'web',
): void {
  let e: OnshiError;
  if (isOnshiError(error)) e = error;
  else {
    onUnexpected(error);
    e = new OnshiError('SERVICE_INTERNAL', { requestId: service });
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, e.status, { code: e.code, message: e.message });
}

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A string field of a JSON object, trimmed; MSG_FIELD_REQUIRED when required and empty. */
export function field(body: Record<string, unknown>, name: string, required: true): string;
export function field(body: Record<string, unknown>, name: string, required?: false): string | undefined;
export function field(body: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') {
    if (required) throw new OnshiError('MSG_FIELD_REQUIRED', { field: name });
    return undefined;
  }
  if (typeof value !== 'string')
    throw new OnshiError('MSG_FIELD_INVALID', { field: name, detail: '文字列である必要があります' });
  const trimmed = value.trim();
  if (trimmed === '' && required) throw new OnshiError('MSG_FIELD_REQUIRED', { field: name });
  return trimmed === '' ? undefined : trimmed;
}

export function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: '(body)',
      detail: 'JSON オブジェクトである必要があります',
    });
  }
  return value as Record<string, unknown>;
}

/** A Set-Cookie value for a session: HttpOnly, SameSite=Strict, Path=/ (and Max-Age when given). */
export function sessionCookie(name: string, value: string, maxAgeSeconds?: number): string {
  const age = maxAgeSeconds === undefined ? '' : `; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`;
  return `${name}=${value}; HttpOnly; SameSite=Strict; Path=/${age}`;
}

/** Constant-time comparison of two strings (CSRF tokens). */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
