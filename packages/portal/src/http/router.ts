/**
 * A small router for the portal's two JSON APIs: exact paths with `:name` segments, a realm's
 * session (cookie) when the route needs one, and the CSRF header on every state-changing call.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OnshiError } from '@onshi/core';
import { asObject, cookieValue, readJson, sameText, sessionCookie } from '@onshi/web';
import type { Realm, Session, Sessions } from '../accounts/sessions.ts';

export const CSRF_HEADER = 'x-onshi-csrf';

export interface Context {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The caller's session (routes with `session: true`). */
  readonly session: Session;
  /** The JSON body as an object (MSG_JSON_MALFORMED / HTTP_UNSUPPORTED_MEDIA_TYPE otherwise). */
  body(limit?: number): Promise<Record<string, unknown>>;
}

/** A reply: JSON (`json`), or bytes with a type (downloads, SVG), or nothing (204). */
export type Reply =
  | { readonly status?: number; readonly json: unknown; readonly headers?: Record<string, string> }
  | {
      readonly status?: number;
      readonly bytes: Uint8Array | string;
      readonly type: string;
      readonly headers?: Record<string, string>;
    }
  | undefined;

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  /** Default true: a session of the router's realm is required. */
  readonly session?: boolean;
  /**
   * Only callers whose role (the router's `roleOf`) is listed may call the route; checked before
   * the handler runs. Undefined: any caller with a session.
   */
  readonly roles?: readonly string[];
  readonly handler: (ctx: Context) => Promise<Reply>;
}

export interface Router {
  /** The routes with their session and role rules (the access tests walk them). */
  readonly routes: readonly ApiRoute[];
  /** Handles the request when a route matches; undefined when none does. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<Reply | undefined | 'unmatched'>;
}

function match(pattern: string, path: string): Record<string, string> | undefined {
  const a = pattern.split('/');
  const b = path.split('/');
  if (a.length !== b.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.startsWith(':')) {
      if (b[i] === '') return undefined;
      try {
        params[a[i]!.slice(1)] = decodeURIComponent(b[i]!);
      } catch {
        return undefined; // a malformed %-escape matches no route (404), rather than a 500
      }
    } else if (a[i] !== b[i]) return undefined;
  }
  return params;
}

/** `POST /api/logout` of a realm: ends the cookie's session (if any) and clears the cookie (204). */
export function logoutRoute(sessions: Sessions, cookieName: string): ApiRoute {
  return {
    method: 'POST',
    path: '/api/logout',
    session: false,
    handler: async (ctx) => {
      await sessions.end(cookieValue(ctx.req, cookieName));
      return { status: 204, json: undefined, headers: { 'set-cookie': sessionCookie(cookieName, '', 0) } };
    },
  };
}

export function createRouter(deps: {
  readonly realm: Realm;
  readonly cookieName: string;
  readonly sessions: Sessions;
  readonly routes: readonly ApiRoute[];
  /** The caller's role, read for every route that lists `roles` (so a changed role counts at once). */
  readonly roleOf?: (session: Session) => Promise<string | undefined>;
}): Router {
  return {
    routes: deps.routes,
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const candidates = deps.routes
        .map((route) => ({ route, params: match(route.path, url.pathname) }))
        .filter((c) => c.params !== undefined);
      if (candidates.length === 0) return 'unmatched';
      const found = candidates.find((c) => c.route.method === req.method);
      if (found === undefined) throw new OnshiError('HTTP_METHOD_NOT_ALLOWED', { method: req.method ?? '' });
      const { route, params } = found;
      let session: Session | undefined;
      if (route.session ?? true) {
        session = await deps.sessions.find(deps.realm, cookieValue(req, deps.cookieName));
        if (session === undefined) throw new OnshiError('PORTAL_SESSION_REQUIRED');
        if (req.method !== 'GET') {
          const given = req.headers[CSRF_HEADER];
          if (typeof given !== 'string' || !sameText(given, session.csrf)) {
            throw new OnshiError('PORTAL_CSRF_INVALID');
          }
        }
        if (route.roles !== undefined) {
          const role = (await deps.roleOf?.(session)) ?? '';
          if (!route.roles.includes(role)) {
            throw new OnshiError('PORTAL_OPERATOR_ROLE_FORBIDDEN', {
              role: role || '-',
              action: `${route.method} ${route.path}`,
            });
          }
        }
      }
      return route.handler({
        req,
        res,
        params: params!,
        query: url.searchParams,
        session: session as Session,
        body: async (limit) => asObject(await readJson(req, limit)),
      });
    },
  };
}
