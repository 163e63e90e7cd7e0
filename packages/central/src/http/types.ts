/** The HTTP layer's own small vocabulary: a request as the handlers see it, and their reply. */
import type { IncomingHttpHeaders } from 'node:http';

export interface HttpRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly requestId: string;
  /** The peer's address (the per-address limits of unauthenticated routes). */
  readonly remoteAddress?: string | undefined;
  /** The calling institution, from its verified client certificate (routes with `auth: 'institution'`). */
  readonly institution?: { readonly code: string; readonly serial: string };
}

export interface HttpReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: Uint8Array | string;
}

export type Handler = (request: HttpRequest) => Promise<HttpReply>;

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  /** Largest body this route accepts, in bytes. */
  readonly maxBodyBytes?: number;
  readonly handler: Handler;
  /**
   * Who may call: 'institution' — a verified client certificate of the common CA, checked before the
   * body is read (the identity lands in `request.institution`); 'feed' — the insurer-feed bearer
   * token; 'operator' — the operator bearer token; 'none' (default) — anyone who reaches the port.
   */
  readonly auth?: 'institution' | 'feed' | 'operator' | 'none';
  /**
   * Formats an error thrown while serving this route (including body-size refusals). Absent:
   * the service-wide JSON `{ code, message, requestId }`.
   */
  readonly errorReply?: (error: unknown, request: ErrorContext) => HttpReply;
}

/** What is known of a request when it failed: headers always, the body when it was read. */
export interface ErrorContext {
  readonly headers: HttpRequest['headers'];
  readonly requestId: string;
  readonly body?: Buffer | undefined;
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

/** The header a terminal names its logged-in user with (for the audit trail). */
export const TERMINAL_USER_HEADER = 'x-onshi-terminal-user';
