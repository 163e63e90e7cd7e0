/**
 * Test fixture: a real central service over mutual TLS on a local port, with a throw-away common
 * CA, an institution client certificate written to files (as `onshi terminal` reads them) and a
 * small store filled through the insurer feed. It can be stopped and started again on the same
 * port and store (central down → up). On request: the store of the caller (forEachStore: SQLite and
 * PostgreSQL), no batch worker (jobs stay 処理中 until `drainBatches`), and the medinfo test world
 * (persons with claims, 特定健診 and consents given now).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { createCaDirectory, createInstitutionCsr, generateRsaKeyPair, privateKeyPem } from '@onshi/pki';
import { createBatchWorker } from '../../../central/src/batch/batch.worker.ts';
import { createMedinfoWorld, type MedinfoWorld } from '../../../central/src/medinfo/medinfo.fixture.ts';

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

/** Card numbers 1000…1000+count-1 under `insurer`, symbol 12, branch 00, born 1990-05-05. */
function feed(count: number): Uint8Array {
  const lines: object[] = [
    {
      format: 'onshi-qualification-feed/1',
      fileId: 'terminal-test-1',
      createdAt: '2026-03-01T00:00:00+09:00',
    },
    {
      kind: 'insurer',
      insurerNumber: insurer,
      name: '霞が関健康保険組合',
      insurerKind: 'kumiai',
      prefectureCode: '13',
    },
  ];
  for (let i = 0; i < count; i++) {
    lines.push({
      kind: 'acquire',
      insurerNumber: insurer,
      cardSymbol: '12',
      cardNumber: String(1000 + i),
      branchNumber: '00',
      qualificationDate: '2020-04-01',
      personKey: `p-${i}`,
      name: '厚労　花子',
      nameKana: 'ｺｳﾛｳ ﾊﾅｺ',
      sex: '2',
      birthdate: '1990-05-05',
      cardClassification: '01',
      personalFamily: '1',
      incomeTier: 'general',
    });
  }
  return new TextEncoder().encode(lines.map((line) => JSON.stringify(line)).join('\n'));
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

async function writePki(dir: string) {
  const passphraseFile = join(dir, 'passphrase');
  writeFileSync(passphraseFile, 'test-passphrase-0123456789\n');
  const ca = await createCaDirectory(join(dir, 'common-ca'), passphraseFile);
  const server = await ca.issueServerCertificate({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const keys = await generateRsaKeyPair();
  const csr = await createInstitutionCsr(institution, keys);
  const client = await ca.issueFromCsr({ institutionCode: institution, institutionName: 'テスト医院', csr });
  const files = {
    serverKey: join(dir, 'server.key'),
    serverCert: join(dir, 'server.crt'),
    ca: join(dir, 'ca.pem'),
    cert: join(dir, 'client.crt'),
    key: join(dir, 'client.key'),
  };
  writeFileSync(files.serverKey, privateKeyPem(server.privateKey));
  writeFileSync(files.serverCert, server.certificate.toString());
  writeFileSync(files.ca, ca.bundlePem);
  writeFileSync(files.cert, client.certificate.toString());
  writeFileSync(files.key, privateKeyPem(keys.privateKey), { mode: 0o600 });
  return files;
}

export async function createTestCentral(
  people = 50,
  options: { readonly store?: Store; readonly batchWorker?: boolean } = {},
): Promise<TestCentral> {
  const dir = mkdtempSync(join(tmpdir(), 'onshi-terminal-central-'));
  const files = await writePki(dir);
  const port = await freePort();
  const clock = { now: () => new Date() };
  const store: Store = options.store ?? openStore(`sqlite:${join(dir, 'central.db')}`);
  await migrate(store);
  await importFeed(store, { content: feed(people), clock });
  const config = loadConfig({
    ONSHI_PORT: String(port),
    ONSHI_TLS_KEY_FILE: files.serverKey,
    ONSHI_TLS_CERT_FILE: files.serverCert,
    ONSHI_CLIENT_CA_FILE: files.ca,
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
    files: { cert: files.cert, key: files.key, ca: files.ca },
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
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
