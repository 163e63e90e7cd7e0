/** The portal's and the operator console's server bounds slow clients: 20 s for the headers, 2 minutes for a request. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createSideServer } from './server.ts';

it('sets the header and request timeouts below Node’s defaults', () => {
  const server = createSideServer({
    router: undefined as never,
    files: new Map(),
    pages: new Map(),
    onError: () => {},
  });
  assert.equal(server.headersTimeout, 20_000);
  assert.equal(server.requestTimeout, 120_000);
});
