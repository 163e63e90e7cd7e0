/**
 * `GET /health` asks the store: ok while it answers, 503 STORE_UNAVAILABLE once it is closed, its
 * server refuses connections, or it does not answer within the timeout.
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildApp, paths } from '../app.ts';
import { loadConfig } from '../config.ts';
import { startServer } from '../http/server.ts';
import type { Logger } from '../log.ts';
import { openStore, type Store } from '../store/store.ts';
import { fixedClock } from '../test/fixtures.ts';
import { createTestStore, dialects, type TestStore } from '../test/stores.ts';

const quiet: Logger = { info: () => {}, error: () => {} };

async function health(store: Store): Promise<{ status: number; body: Record<string, unknown> }> {
  const router = buildApp({
    config: loadConfig({}),
    store,
    clock: fixedClock,
    logger: quiet,
    healthTimeoutMs: 300,
  });
  const server = await startServer(router, {
    host: '127.0.0.1',
    port: 0,
    defaultMaxBodyBytes: 65_536,
    logger: quiet,
  });
  try {
    const response = await fetch(`${server.url}${paths.health}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } finally {
    await server.close();
  }
}

for (const dialect of dialects) {
  describe(`GET /health [${dialect}]`, () => {
    let fixture: TestStore | undefined;
    before(async () => {
      fixture = await createTestStore(dialect);
    });
    after(async () => {
      await fixture?.dispose();
    });

    it('answers ok while the store answers, 503 STORE_UNAVAILABLE once it is closed', async () => {
      const store = openStore(fixture!.url);
      assert.deepEqual(await health(store), { status: 200, body: { status: 'ok', store: dialect } });
      await store.close();
      const down = await health(store);
      assert.equal(down.status, 503);
      assert.equal(down.body.code, 'STORE_UNAVAILABLE');
    });

    if (dialect === 'postgres') {
      it('answers 503 when the database server refuses connections', async () => {
        const port = await freePort();
        const store = openStore(`postgres://postgres@127.0.0.1:${port}/onshi`);
        try {
          const down = await health(store);
          assert.equal(down.status, 503);
          assert.equal(down.body.code, 'STORE_UNAVAILABLE');
        } finally {
          await store.close();
        }
      });

      it('answers 503 within the timeout when the database server never answers', async () => {
        const sockets = new Set<Socket>();
        const silent: Server = createServer((socket) => {
          sockets.add(socket);
        });
        await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
        const { port } = silent.address() as { port: number };
        const store = openStore(`postgres://postgres@127.0.0.1:${port}/onshi`);
        try {
          const started = Date.now();
          const down = await health(store);
          assert.equal(down.status, 503);
          assert.equal(down.body.code, 'STORE_UNAVAILABLE');
          assert.ok(Date.now() - started < 2000, 'the timeout, not the connection, ended the wait');
        } finally {
          for (const socket of sockets) socket.destroy();
          await new Promise((resolve) => silent.close(resolve));
          await store.close().catch(() => {});
        }
      });
    }
  });
}

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
