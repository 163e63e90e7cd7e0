/**
 * The check by My Number card in the HTTP benchmark, on one seeded store, three rows:
 *  - the challenge endpoint (POST /oqs/v1/card-challenges) on its own; the challenges it hands
 *    out are kept for the confirmations;
 *  - the card confirmation (POST /oqs/v1/card-confirmations: chain, validity, signature over the
 *    challenge, OCSP, link, registration, qualifications) asking the OCSP responder every time;
 *  - the same with a "good" OCSP answer reused for up to `reuseSeconds` per card.
 * Each row has its own server process (central started as the CLI starts it, with the JPKI
 * directory's in-process OCSP responder, whose RSA signature per answer is part of the server's
 * CPU). Confirmations are single-use: the warm-up sends a fixed number of them, then a timed run
 * of 2,000 gives the rate (it comes out ~30 % below the measured one: new connections, the tail);
 * the measured run gets that rate × duration × 2 signed bodies (plus one per connection), each
 * sent once, and reports how many it used.
 */
import { type BenchCards, confirmationBodies } from './cards.ts';
import {
  type LoadOptions,
  type LoadResult,
  type LoadTarget,
  measure,
  processCpuSeconds,
  warmUp,
} from './load.ts';
import type { BenchPki } from './pki.ts';
import { printProfile } from './profile.ts';
import { type Server, startServer } from './spawn.ts';
import type { BenchStore } from './stores.ts';

const CHALLENGES_PATH = '/oqs/v1/card-challenges';
const CONFIRMATIONS_PATH = '/oqs/v1/card-confirmations';
/** Confirmations sent per warm-up second (the warm-up is a number of requests). */
const WARMUP_PER_SECOND = 1000;
/** Confirmations of the timed run after the warm-up that sizes the measured batch. */
const CALIBRATION = 2000;
/** Signed bodies per expected request: the rate varies on a shared machine. */
const MARGIN = 2;

export interface CardRow {
  readonly label: string;
  readonly result: LoadResult;
  /** Signed bodies prepared for the measured run (confirmations only). */
  readonly prepared?: number | undefined;
}

export interface CardBenchOptions {
  readonly load: Pick<LoadOptions, 'connections' | 'durationSeconds' | 'warmupSeconds'>;
  readonly reuseSeconds: number;
  readonly databaseCpuSeconds: (() => number) | undefined;
  /** Run the servers under `node --cpu-prof` and print where their time went. */
  readonly cpuProfileDir?: string | undefined;
}

function serverArgs(store: BenchStore, pki: BenchPki, cards: BenchCards, ocspCacheSeconds: number): string[] {
  return [
    ...['check', '--key', pki.keyFile, '--cert', pki.certFile, '--client-ca', pki.clientCaFile],
    ...['--crl', pki.crlFile, '--store', store.url, '--jpki-dir', cards.jpkiDir],
    ...['--jpki-passphrase-file', cards.passphraseFile, '--ocsp-cache-seconds', String(ocspCacheSeconds)],
  ];
}

/** Fetches challenges until `pool` holds `count` (the challenge rows usually leave more than enough). */
async function topUp(server: Server, pki: BenchPki, pool: string[], count: number): Promise<void> {
  const missing = count - pool.length;
  if (missing <= 0) return;
  await warmUp(challengeTarget(server, pki, pool), 16, { amount: missing });
}

function challengeTarget(server: Server, pki: BenchPki, pool: string[]): LoadTarget {
  return {
    url: server.url,
    path: CHALLENGES_PATH,
    contentType: 'application/json',
    bodies: [Buffer.alloc(0)],
    client: pki.client,
    onAnswer: (body) => pool.push((JSON.parse(body) as { challenge: string }).challenge),
  };
}

/** Warm-up, a timed run to size the batch, then the measured run over freshly signed bodies. */
async function measureConfirmations(
  server: Server,
  context: { store: BenchStore; pki: BenchPki; cards: BenchCards; pool: string[] },
  options: CardBenchOptions,
): Promise<{ result: LoadResult; prepared: number }> {
  const { store, pki, cards, pool } = context;
  const target = (bodies: Buffer[]): LoadTarget => ({
    url: server.url,
    path: CONFIRMATIONS_PATH,
    contentType: 'application/json',
    bodies,
    client: pki.client,
    singleUse: true,
  });
  // Warm-up (JIT, OCSP answers to reuse), then a timed calibration run on a warm server.
  const warmupCount = Math.max(500, Math.round(WARMUP_PER_SECOND * options.load.warmupSeconds));
  await topUp(server, pki, pool, warmupCount + CALIBRATION);
  let rate = 0;
  for (const amount of [warmupCount, CALIBRATION]) {
    const bodies = await confirmationBodies(cards.cards, pool.splice(0, amount), store.asOf);
    const started = performance.now();
    const warm = await warmUp(target(bodies), options.load.connections, { amount });
    rate = warm.ok / ((performance.now() - started) / 1000);
  }
  const count = Math.ceil(rate * options.load.durationSeconds * MARGIN) + options.load.connections;
  await topUp(server, pki, pool, count);
  const bodies = await confirmationBodies(cards.cards, pool.splice(0, count), store.asOf);
  const result = await measure(target(bodies), {
    ...options.load,
    warmupSeconds: 0,
    serverCpuSeconds: () => processCpuSeconds(server.pid),
    databaseCpuSeconds: options.databaseCpuSeconds,
  });
  return { result, prepared: bodies.length };
}

export async function measureCardCheck(
  store: BenchStore,
  pki: BenchPki,
  cards: BenchCards,
  options: CardBenchOptions,
): Promise<CardRow[]> {
  const where = `${store.engine}, ${store.persons.toLocaleString('en-US')} persons`;
  const pool: string[] = [];
  const rows: CardRow[] = [];
  const profileDir = options.cpuProfileDir;
  const perCheck = await startServer(serverArgs(store, pki, cards, 0), profileDir);
  try {
    const challenge = await measure(challengeTarget(perCheck, pki, pool), {
      ...options.load,
      serverCpuSeconds: () => processCpuSeconds(perCheck.pid),
      databaseCpuSeconds: options.databaseCpuSeconds,
    });
    rows.push({ label: `card challenge, ${where}`, result: challenge });
    const { result, prepared } = await measureConfirmations(perCheck, { store, pki, cards, pool }, options);
    rows.push({ label: `card check, ${where}, OCSP per check`, result, prepared });
  } finally {
    await perCheck.stop();
  }
  if (profileDir) printProfile(`challenges and card checks (OCSP per check), ${where}`, profileDir);
  const reusing = await startServer(serverArgs(store, pki, cards, options.reuseSeconds), profileDir);
  try {
    const { result, prepared } = await measureConfirmations(reusing, { store, pki, cards, pool }, options);
    rows.push({ label: `card check, ${where}, OCSP reused ≤ ${options.reuseSeconds} s`, result, prepared });
  } finally {
    await reusing.stop();
  }
  if (profileDir) printProfile(`card checks (OCSP reused), ${where}`, profileDir);
  return rows;
}
