/** The terminal's server bounds slow clients: 20 s for the headers, 2 minutes for a request. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createWebServer } from './web.server.ts';

it('sets the header and request timeouts below Node’s defaults', () => {
  const server = createWebServer({
    channel: undefined as never,
    api: undefined as never,
    files: new Map(),
    readerToken: 'x'.repeat(32),
    onError: () => {},
  });
  assert.equal(server.headersTimeout, 20_000);
  assert.equal(server.requestTimeout, 120_000);
});
