/**
 * The browser apps' server: the app's routes first, then its files (GET, HEAD, pages), 404
 * otherwise, security headers, an unexpected error as SERVICE_INTERNAL, and the timeouts (20 s for
 * the headers, 2 minutes for a request).
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createAppServer } from './server.ts';

describe('createAppServer', () => {
  const unexpected: unknown[] = [];
  const server = createAppServer({
    async handle(_req, res, path) {
      if (path === '/api/boom') throw new Error('boom');
      if (!path.startsWith('/api/')) return false;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`api ${path}`);
      return true;
    },
    files: new Map([
      ['/static/index.html', { type: 'text/html; charset=utf-8', body: Buffer.from('<p>index</p>') }],
      ['/static/app.js', { type: 'text/javascript; charset=utf-8', body: Buffer.from('export {};') }],
    ]),
    pages: new Map([['/', '/static/index.html']]),
    onError: (error) => unexpected.push(error),
    service: 'test',
  });
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sets the header and request timeouts below Node’s defaults', () => {
    assert.equal(server.headersTimeout, 20_000);
    assert.equal(server.requestTimeout, 120_000);
  });

  it('answers the app’s routes first', async () => {
    const response = await fetch(`${url}/api/ping?x=1`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'api /api/ping');
  });

  it('serves files and pages with the security headers, HEAD without a body', async () => {
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.equal(await page.text(), '<p>index</p>');
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const head = await fetch(`${url}/static/app.js`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  it('answers HTTP_NOT_FOUND for an unknown path and for a file asked with another method', async () => {
    for (const [path, method] of [
      ['/static/none.js', 'GET'],
      ['/static/app.js', 'POST'],
    ] as const) {
      const response = await fetch(`${url}${path}`, { method });
      assert.equal(response.status, 404);
      assert.equal(((await response.json()) as { code: string }).code, 'HTTP_NOT_FOUND');
    }
  });

  it('reports an unexpected error and answers SERVICE_INTERNAL naming the service', async () => {
    const response = await fetch(`${url}/api/boom`);
    assert.equal(response.status, 500);
    const body = (await response.json()) as { code: string; message: string };
    assert.equal(body.code, 'SERVICE_INTERNAL');
    assert.match(body.message, /test/);
    assert.equal(unexpected.length, 1);
  });
});
