/**
 * The terminal's one line to central: a keep-alive HTTPS agent with the institution's client
 * certificate, shared by the connector (`post`, XML by request kind) and the terminal's own
 * calls (`send`: the card routes with JSON bodies, the UI's checks).
 */
import {
  type CentralAnswer,
  type CentralClient,
  centralLine,
  centralPaths,
  type HttpsClientOptions,
} from '../connector/connector.client.ts';

export interface CentralReply extends CentralAnswer {
  readonly contentType: string;
}

export interface StationCentralClient extends CentralClient {
  /** Rejects on a transport failure (no connection, reset, abort, timeout). */
  send(
    path: string,
    init: { method?: string; body?: Uint8Array; headers?: Record<string, string>; signal?: AbortSignal },
  ): Promise<CentralReply>;
}

export type StationClientOptions = HttpsClientOptions;

export function createStationCentralClient(options: StationClientOptions): StationCentralClient {
  const line = centralLine(options);

  function send(
    path: string,
    init: { method?: string; body?: Uint8Array; headers?: Record<string, string>; signal?: AbortSignal },
  ): Promise<CentralReply> {
    return new Promise((resolve, reject) => {
      const body = init.body ?? new Uint8Array();
      const options = {
        method: init.method ?? 'POST',
        headers: { ...init.headers, 'content-length': String(body.length) },
        ...(init.signal ? { signal: init.signal } : {}),
      };
      const req = line.request(path, options);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: new Uint8Array(Buffer.concat(chunks)),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  return {
    send,
    post(kind, xml, signal, options) {
      const path = centralPaths[kind];
      if (path === undefined) return Promise.reject(new Error(`no central route for ${kind}`));
      const headers = { ...options?.headers, 'content-type': 'application/xml' };
      return send(path, { body: xml, headers, signal });
    },
    close: line.close,
  };
}
