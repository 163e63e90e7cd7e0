/**
 * The connector's line to central: POST the request XML as read, with the institution's client
 * certificate, and hand back the status, content type and body. A body larger than the caller's
 * `spool.thresholdBytes` is streamed into `spool.path` (fsynced) instead of being held in memory.
 * A substitute goes in through `CentralClient`.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { type ClientRequest, request as plainRequest, type RequestOptions } from 'node:http';
import { Agent, request } from 'node:https';
import { pipeline } from 'node:stream/promises';
import type { RequestKind } from './connector.names.ts';

export interface CentralAnswer {
  readonly status: number;
  /** The body, unless it went into the spool file. */
  readonly body: Uint8Array;
  /** `content-type` of the answer (`application/xml; charset=…`, `application/pdf`, …). */
  readonly contentType?: string | undefined;
  /** The body was written to the spool file (complete and fsynced): `body` is empty. */
  readonly spooled?: { readonly path: string; readonly size: number } | undefined;
}

export interface PostOptions {
  /** Extra request headers (the medical-information routes' terminal user and role). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Where a body larger than `thresholdBytes` goes; a client may ignore it and buffer. */
  readonly spool?: { readonly path: string; readonly thresholdBytes: number } | undefined;
}

export interface CentralClient {
  /** Rejects on a transport failure (no connection, reset, abort). */
  post(
    kind: RequestKind,
    xml: Uint8Array,
    signal: AbortSignal,
    options?: PostOptions,
  ): Promise<CentralAnswer>;
  close(): void;
}

/** Central's routes (packages/central/src/app.ts `paths`, batch/ and medinfo/ routes). */
export const centralPaths: Partial<Record<RequestKind, string>> = {
  qualification: '/oqs/v1/qualification-confirmations',
  referenceNumber: '/oqs/v1/reference-numbers',
  bulkQualification: '/oqs/v1/bulk-qualification-confirmations',
  bulkQualificationResult: '/oqs/v1/bulk-qualification-confirmations/results',
  bulkReferenceNumber: '/oqs/v1/bulk-reference-numbers',
  bulkReferenceNumberResult: '/oqs/v1/bulk-reference-numbers/results',
  medications: '/oqs/v1/medication-information',
  checkups: '/oqs/v1/checkup-information',
};

export interface HttpsClientOptions {
  readonly baseUrl: string;
  /** PEM files; read once here. */
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  readonly caFile?: string | undefined;
  readonly maxSockets?: number;
}

/**
 * The line to central both clients use: a keep-alive HTTPS agent with the institution's client
 * certificate (plain HTTP when the URL says so, in tests), and a request on a path of central.
 */
export function centralLine(options: HttpsClientOptions): {
  request(path: string, init: RequestOptions): ClientRequest;
  close(): void;
} {
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
    request: (path, init) =>
      secure ? request(`${base}${path}`, { ...init, agent }) : plainRequest(`${base}${path}`, init),
    close: () => agent?.destroy(),
  };
}

export function createHttpsCentralClient(options: HttpsClientOptions): CentralClient {
  const line = centralLine(options);
  return {
    post(kind, xml, signal, postOptions = {}) {
      const path = centralPaths[kind];
      if (path === undefined) return Promise.reject(new Error(`no central route for ${kind}`));
      return new Promise((resolve, reject) => {
        const init = {
          method: 'POST',
          headers: {
            ...postOptions.headers,
            'content-type': 'application/xml',
            'content-length': String(xml.length),
          },
          signal,
        };
        const req = line.request(path, init);
        req.on('response', (res) => {
          const status = res.statusCode ?? 0;
          const contentType = res.headers['content-type'];
          const spool = postOptions.spool;
          const chunks: Buffer[] = [];
          let size = 0;
          const onData = (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.length;
            if (spool === undefined || size <= spool.thresholdBytes) return;
            // Large: the rest streams into the spool file (with backpressure), flushed at close.
            res.off('data', onData);
            res.off('end', onEnd);
            res.pause();
            const out = createWriteStream(spool.path, { flush: true });
            out.write(Buffer.concat(chunks));
            chunks.length = 0;
            pipeline(res, out).then(() => {
              const spooled = { path: spool.path, size: out.bytesWritten };
              if (complete(spooled.size)) resolve({ status, contentType, body: new Uint8Array(), spooled });
            }, reject);
          };
          const onEnd = () => {
            if (complete(size))
              resolve({ status, contentType, body: new Uint8Array(Buffer.concat(chunks, size)) });
          };
          // A cut connection is an error of `res`; a short body against content-length is one too.
          const length = res.headers['content-length'];
          const complete = (got: number) => {
            if (length === undefined || Number(length) === got) return true;
            reject(new Error(`central's answer ended after ${got} of ${length} bytes`));
            return false;
          };
          res.on('data', onData);
          res.on('end', onEnd);
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(xml);
      });
    },
    close: line.close,
  };
}
