/**
 * The connector's line to central: POST the request XML as read, with the institution's client
 * certificate, and hand back the status and body. A substitute goes in through `CentralClient`.
 */
import { readFileSync } from 'node:fs';
import { request as plainRequest } from 'node:http';
import { Agent, request } from 'node:https';
import type { RequestKind } from './connector.names.ts';

export interface CentralAnswer {
  readonly status: number;
  readonly body: Uint8Array;
}

export interface CentralClient {
  /** Rejects on a transport failure (no connection, reset, abort). */
  post(kind: RequestKind, xml: Uint8Array, signal: AbortSignal): Promise<CentralAnswer>;
  close(): void;
}

/** Central's routes (packages/central/src/app.ts `paths`). */
export const centralPaths: Partial<Record<RequestKind, string>> = {
  qualification: '/oqs/v1/qualification-confirmations',
  referenceNumber: '/oqs/v1/reference-numbers',
};

export interface HttpsClientOptions {
  readonly baseUrl: string;
  /** PEM files; read once here. */
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  readonly caFile?: string | undefined;
  readonly maxSockets?: number;
}

export function createHttpsCentralClient(options: HttpsClientOptions): CentralClient {
  const read = (file: string | undefined) => (file === undefined ? undefined : readFileSync(file));
  const secure = options.baseUrl.startsWith('https:');
  const agent = secure
    ? new Agent({
        keepAlive: true,
        maxSockets: options.maxSockets ?? 8,
        cert: read(options.certFile),
        key: read(options.keyFile),
        ca: read(options.caFile),
      })
    : undefined;
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    post(kind, xml, signal) {
      const path = centralPaths[kind];
      if (path === undefined) return Promise.reject(new Error(`no central route for ${kind}`));
      return new Promise((resolve, reject) => {
        const init = {
          method: 'POST',
          headers: { 'content-type': 'application/xml', 'content-length': String(xml.length) },
          signal,
        };
        const req = secure
          ? request(`${base}${path}`, { ...init, agent })
          : plainRequest(`${base}${path}`, init);
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: new Uint8Array(Buffer.concat(chunks)) }),
          );
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(xml);
      });
    },
    close: () => agent?.destroy(),
  };
}
