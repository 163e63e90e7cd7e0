/**
 * Test fixture: a real central service over mutual TLS on a local port, with a throw-away common
 * CA, an institution client certificate written to files (as `onshi terminal` reads them) and a
 * small store filled through the insurer feed. It can be stopped and started again on the same
 * port and store (central down → up). On request: the store of the caller (forEachStore: SQLite and
 * PostgreSQL), no batch worker (jobs stay 処理中 until `drainBatches`), and the medinfo test world
 * (persons with claims, 特定健診 and consents given now).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  importFeed,
  loadConfig,
  migrate,
  openStore,
  type RunningCentral,
  type Store,
  startCentral,
} from '@onshi/central';
import { insurerNumberCheckDigit } from '@onshi/core';
import { createBatchWorker } from '../../../central/src/batch/batch.worker.ts';
import { createMedinfoWorld, type MedinfoWorld } from '../../../central/src/medinfo/medinfo.fixture.ts';
import { holdersFeed } from '../../../central/src/test/feed.ts';
import { createTestPki } from '../../../central/src/test/pki.ts';

export const institution = '1310123458';
export const insurer = `0613999${insurerNumberCheckDigit('0613999')}`;

export interface TestCentral {
  readonly dir: string;
  readonly url: string;
  /** PEM files for the connector. */
  readonly files: { readonly cert: string; readonly key: string; readonly ca: string };
  readonly store: Store;
  /** The medinfo world (central medinfo.fixture.ts) with its consents given now. */
  seedMedinfo(): Promise<MedinfoWorld>;
  /** Answers every waiting batch job (for a central started with `batchWorker: false`). */
  drainBatches(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

export async function createTestCentral(
  people = 50,
  options: { readonly store?: Store; readonly batchWorker?: boolean } = {},
): Promise<TestCentral> {
  const dir = mkdtempSync(join(tmpdir(), 'onshi-terminal-central-'));
  const pki = await createTestPki();
  const files = await pki.clientFiles(institution, dir);
  const port = await freePort();
  const clock = { now: () => new Date() };
  const store: Store = options.store ?? openStore(`sqlite:${join(dir, 'central.db')}`);
  await migrate(store);
  await importFeed(store, { content: holdersFeed('terminal-test-1', insurer, people), clock });
  const config = loadConfig({
    ONSHI_PORT: String(port),
    ...pki.env,
    ONSHI_BATCH_WORKER: options.batchWorker === false ? '0' : '1',
  });
  let running: RunningCentral | undefined;
  const stop = async () => {
    await running?.close();
    running = undefined;
  };
  return {
    dir,
    url: `https://127.0.0.1:${port}`,
    files,
    store,
    seedMedinfo: () => createMedinfoWorld(store, clock, new Date()),
    async drainBatches() {
      const worker = createBatchWorker({
        store,
        clock,
        chunkMillis: 10,
        leaseMs: 30_000,
        resultDays: 1,
        pollMs: 50,
      });
      await worker.drain();
    },
    async start() {
      running ??= await startCentral(config, { store, clock, logger: createLogger(() => {}) });
    },
    stop,
    async dispose() {
      await stop();
      if (options.store === undefined) await store.close();
      pki.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
