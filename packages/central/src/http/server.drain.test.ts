/**
 * Closing the server drains it: no new connections, idle keep-alive connections closed at once,
 * requests in flight answered (within the drain bound), and what outlives the bound cut.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import type { Logger } from '../log.ts';
import { createRouter } from './router.ts';
import { startServer } from './server.ts';
import { jsonReply, type Route } from './types.ts';

const quiet: Logger = { info: () => {}, error: () => {} };

/** A route that answers when `release` is called; `entered` resolves once a request reached it. */
function slowRoute() {
  let entered: () => void = () => {};
  let release: () => void = () => {};
  const reached = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const route: Route = {
    method: 'GET',
    path: '/slow',
    handler: async () => {
      entered();
      await released;
      return jsonReply(200, { done: true });
    },
  };
  return { route, reached, release };
}

function get(url: string, agent: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('server close drains', () => {
  it('lets a request in flight finish, closes idle keep-alive connections, refuses new ones', async () => {
    const slow = slowRoute();
    const fast: Route = { method: 'GET', path: '/fast', handler: async () => jsonReply(200, { ok: 1 }) };
    const server = await startServer(createRouter([slow.route, fast]), {
      host: '127.0.0.1',
      port: 0,
      defaultMaxBodyBytes: 1024,
      logger: quiet,
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    try {
      // An idle keep-alive connection (after one answered request) must not hold the close.
      assert.equal((await get(`${server.url}/fast`, agent)).status, 200);
      const inFlight = get(`${server.url}/slow`, agent);
      await slow.reached;
      let closed = false;
      const closing = server.close().then(() => {
        closed = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(closed, false, 'close waits for the request in flight');
      await assert.rejects(get(`${server.url}/fast`, new http.Agent()), /ECONNREFUSED/);
      slow.release();
      const answer = await inFlight;
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.body), { done: true });
      const started = Date.now();
      await closing;
      assert.ok(Date.now() - started < 1000, 'closed once the answer went out, not after keep-alive');
    } finally {
      agent.destroy();
    }
  });

  it('cuts a request still in flight after the drain bound', async () => {
    const slow = slowRoute();
    const server = await startServer(createRouter([slow.route]), {
      host: '127.0.0.1',
      port: 0,
      defaultMaxBodyBytes: 1024,
      logger: quiet,
      drainMs: 100,
    });
    const agent = new http.Agent();
    const inFlight = get(`${server.url}/slow`, agent);
    await slow.reached;
    const started = Date.now();
    await server.close();
    assert.ok(Date.now() - started < 1000);
    await assert.rejects(inFlight, /socket hang up|ECONNRESET/);
    slow.release();
  });
});
