/**
 * A minimal HTTP(S) client for the CLI and the tests: `fetch` cannot present a TLS client
 * certificate, which every institution-facing route requires.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request } from 'node:https';

export interface TlsClient {
  /** PEM the server's certificate must chain to. */
  readonly ca?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
}

export interface ClientResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  json(): unknown;
}

/** One request; `tls` applies to https: URLs (client certificate and trusted CA). */
export function httpsRequest(
  url: string,
  tls: TlsClient,
  init: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string } = {},
): Promise<ClientResponse> {
  return new Promise((resolve, reject) => {
    const options = { method: init.method ?? 'GET', headers: init.headers, agent: false as const };
    const secure = url.startsWith('https:');
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          json: () => JSON.parse(body.toString('utf8')),
        });
      });
      res.on('error', reject);
    };
    const req = secure
      ? request(url, { ...options, ca: tls.ca, cert: tls.cert, key: tls.key }, onResponse)
      : httpRequest(url, options, onResponse);
    req.on('error', reject);
    req.end(init.body);
  });
}
