/**
 * Central-service configuration: parsed once at start-up from the environment (and CLI overrides),
 * validated, frozen, and passed in. `process.env` is read nowhere else. Values are never logged.
 */
import { availableParallelism } from 'node:os';
import { OnshiError } from '@onshi/core';

export interface CentralConfig {
  /** `sqlite:<path>`, `sqlite::memory:` or `postgres://…` */
  readonly storeUrl: string;
  readonly host: string;
  readonly port: number;
  /** Files holding the server's TLS key and certificate (PEM); absent → plain HTTP. */
  readonly tls?:
    | {
        readonly keyFile: string;
        readonly certFile: string;
        /** File holding the passphrase of an encrypted key. */
        readonly keyPassphraseFile?: string | undefined;
        /** The common CA bundle (PEM): institutions' client certificates are verified against it. */
        readonly clientCaFile?: string | undefined;
        /** The common CA's CRL (DER or PEM), reloaded every `crlReloadSeconds`. */
        readonly crlFile?: string | undefined;
        readonly crlReloadSeconds: number;
      }
    | undefined;
  /** File holding the bearer token insurers send with feeds; absent → the feed route is closed. */
  readonly feedTokenFile?: string | undefined;
  /** File holding the operator API's bearer token; absent → the operator routes are closed. */
  readonly operatorTokenFile?: string | undefined;
  /** The check by My Number card; absent (no card PKI configured) → its routes are not served. */
  readonly card?:
    | {
        readonly jpkiDir?: string | undefined;
        readonly jpkiPassphraseFile?: string | undefined;
        readonly cardTrustFile?: string | undefined;
        readonly ocspUrl?: string | undefined;
        readonly challengeSeconds: number;
        readonly ocspCacheSeconds: number;
      }
    | undefined;
  /** Largest OQS message body accepted, in bytes. */
  readonly maxMessageBytes: number;
  /** Largest insurer-feed file accepted, in bytes. */
  readonly maxFeedBytes: number;
  /** Batch jobs (一括照会, 照会番号一括登録): see packages/central/src/batch/README.md. */
  readonly batch: {
    /** Largest batch upload (01req) accepted, in bytes. */
    readonly maxBytes: number;
    /** Rows one upload may carry. */
    readonly maxRows: number;
    /** Rows one institution may have waiting for the worker, over all its unfinished uploads. */
    readonly maxRowsInFlight: number;
    /** Days a finished job's results are kept before the retention run deletes them. */
    readonly resultDays: number;
    /** Whether this process runs a batch worker (every process accepts uploads and serves results). */
    readonly worker: boolean;
    /** Work per worker chunk to aim at, in ms (between chunks, single checks run). */
    readonly chunkMillis: number;
    /** How long a claimed chunk stays reserved for its worker (a crashed worker's chunk is redone after). */
    readonly leaseSeconds: number;
    /** Whether the batch routes' work and the worker run in a worker thread on their own store connection. */
    readonly thread: boolean;
    /** Nice value of the batch thread and its answer threads (0–19). */
    readonly nice: number;
    /** Threads that look 一括照会 rows up for the batch thread's worker (0: the worker itself does; `auto`: cores − 2 up to 8, at least 2 on SQLite, 1 on PostgreSQL). */
    readonly answerThreads: number;
  };
  /** The retention purge run by this process. */
  readonly retention: {
    /** Minutes between runs; 0 = this process never runs it. */
    readonly intervalMinutes: number;
  };
}

/** Every setting: environment variable, default, meaning. The README's table mirrors this list. */
export const configVariables = [
  ['ONSHI_STORE', 'sqlite:.onshi/central.db', 'Store URL: sqlite:<file>, sqlite::memory: or postgres://…'],
  ['ONSHI_HOST', '127.0.0.1', 'Address the central service listens on'],
  ['ONSHI_PORT', '8080', 'Port (0 = any free port)'],
  ['ONSHI_TLS_KEY_FILE', '', 'PEM private key of the server; with ONSHI_TLS_CERT_FILE enables HTTPS'],
  ['ONSHI_TLS_CERT_FILE', '', 'PEM certificate of the server'],
  ['ONSHI_TLS_KEY_PASSPHRASE_FILE', '', 'File holding the passphrase of an encrypted server key'],
  ['ONSHI_CLIENT_CA_FILE', '', 'Common CA bundle (PEM) that institution client certificates must chain to'],
  ['ONSHI_CRL_FILE', '', "The common CA's CRL; revocations apply without a restart"],
  ['ONSHI_CRL_RELOAD_SECONDS', '5', 'How often the CRL file is checked for a newer CRL'],
  ['ONSHI_FEED_TOKEN_FILE', '', 'File holding the bearer token for the insurer feed; unset = feed closed'],
  [
    'ONSHI_OPERATOR_TOKEN_FILE',
    '',
    'File holding the bearer token of the operator API (disaster mode); unset = operator API closed',
  ],
  ['ONSHI_JPKI_DIR', '', 'Card PKI directory (J-LIS stand-in): card trust and the in-process OCSP responder'],
  ['ONSHI_JPKI_PASSPHRASE_FILE', '', 'Passphrase file of ONSHI_JPKI_DIR (for its OCSP responder key)'],
  ['ONSHI_CARD_TRUST_FILE', '', 'Card PKI bundle (PEM) when there is no ONSHI_JPKI_DIR'],
  ['ONSHI_OCSP_URL', '', "The card CA's OCSP responder; overrides the in-process one"],
  ['ONSHI_OCSP_CACHE_SECONDS', '0', 'Reuse a good OCSP answer this long (bounded revocation delay)'],
  ['ONSHI_CARD_CHALLENGE_SECONDS', '60', 'Lifetime of a card-check challenge'],
  ['ONSHI_MAX_MESSAGE_BYTES', '1048576', 'Largest XML/JSON message accepted'],
  ['ONSHI_MAX_FEED_BYTES', '268435456', 'Largest insurer-feed file accepted'],
  ['ONSHI_BATCH_MAX_BYTES', '134217728', 'Largest batch upload (OQSmuquc01req / OQSmuimm01req) accepted'],
  ['ONSHI_BATCH_MAX_ROWS', '200000', 'Rows one batch upload may carry'],
  ['ONSHI_BATCH_ROWS_IN_FLIGHT', '300000', 'Rows one institution may have waiting for the batch worker'],
  [
    'ONSHI_BATCH_RESULT_DAYS',
    '7',
    'Days finished batch results are kept; the retention run deletes them after',
  ],
  ['ONSHI_BATCH_WORKER', '1', 'Run a batch worker in this process (1) or only accept and answer (0)'],
  [
    'ONSHI_BATCH_CHUNK_MS',
    '10',
    'Work per batch-worker chunk to aim at, in ms; single checks run between chunks',
  ],
  [
    'ONSHI_BATCH_LEASE_SECONDS',
    '60',
    "How long a claimed chunk stays reserved; a crashed worker's chunk is redone after",
  ],
  [
    'ONSHI_BATCH_THREAD',
    '1',
    'Batch uploads, results and worker in a thread with its own store connection (1) or not (0)',
  ],
  [
    'ONSHI_BATCH_NICE',
    '10',
    'Nice value (0–19) of the batch thread, so that single checks get the CPU first',
  ],
  [
    'ONSHI_BATCH_ANSWER_THREADS',
    'auto',
    "Threads that look 一括照会 rows up for the batch thread's worker, each on its own connection; auto = cores − 2 (≤ 8), at least 2 (SQLite) or 1 (PostgreSQL); 0 = none",
  ],
  [
    'ONSHI_RETENTION_INTERVAL_MINUTES',
    '60',
    'Minutes between retention purges run by this process (first one interval after start); 0 = off',
  ],
] as const;

type VariableName = (typeof configVariables)[number][0];
export type ConfigSource = Partial<Record<VariableName, string | undefined>>;

export function loadConfig(env: ConfigSource, overrides: ConfigSource = {}): CentralConfig {
  const value = (name: VariableName): string => {
    const given = overrides[name] ?? env[name];
    if (given !== undefined && given !== '') return given;
    return configVariables.find(([n]) => n === name)![1];
  };
  const keyFile = value('ONSHI_TLS_KEY_FILE');
  const certFile = value('ONSHI_TLS_CERT_FILE');
  if ((keyFile === '') !== (certFile === '')) {
    throw new OnshiError('CONFIG_INVALID', {
      name: 'ONSHI_TLS_KEY_FILE/ONSHI_TLS_CERT_FILE',
      detail: 'both or neither must be set',
    });
  }
  const storeUrl = value('ONSHI_STORE');
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(storeUrl)) {
    throw new OnshiError('CONFIG_INVALID', { name: 'ONSHI_STORE', detail: 'sqlite:… or postgres://…' });
  }
  return Object.freeze({
    storeUrl,
    host: value('ONSHI_HOST'),
    port: integer('ONSHI_PORT', value('ONSHI_PORT'), 0, 65_535),
    tls: keyFile === '' ? undefined : tlsConfig(keyFile, certFile, value),
    feedTokenFile: optionalValue(value('ONSHI_FEED_TOKEN_FILE')),
    operatorTokenFile: optionalValue(value('ONSHI_OPERATOR_TOKEN_FILE')),
    card: cardConfig(value),
    maxMessageBytes: integer(
      'ONSHI_MAX_MESSAGE_BYTES',
      value('ONSHI_MAX_MESSAGE_BYTES'),
      1024,
      64 * 1024 * 1024,
    ),
    maxFeedBytes: integer('ONSHI_MAX_FEED_BYTES', value('ONSHI_MAX_FEED_BYTES'), 1024, 4 * 1024 ** 3),
    batch: batchConfig(value),
    retention: Object.freeze({
      intervalMinutes: integer(
        'ONSHI_RETENTION_INTERVAL_MINUTES',
        value('ONSHI_RETENTION_INTERVAL_MINUTES'),
        0,
        10_080,
      ),
    }),
  });
}

/**
 * `auto`: one answer thread per core beyond two (the API thread's and the batch thread's), at most
 * eight, and at least two on SQLite, one on PostgreSQL. Even on a 2-core machine the batch thread alone leaves
 * part of the second core idle while it commits (SQLite) or waits for the database (PostgreSQL);
 * on PostgreSQL each answer thread also keeps a database backend busy, which on a machine shared
 * with the database took the CPU from single checks (p99 ×2.5–3.2 with two threads, ×1.5 with one:
 * docs/benchmarks.md, "Batch", round 4).
 */
function answerThreads(text: string, storeUrl: string): number {
  if (text !== 'auto') return integer('ONSHI_BATCH_ANSWER_THREADS', text, 0, 64);
  const atLeast = storeUrl.startsWith('sqlite:') ? 2 : 1;
  // At most 8: each thread holds 3 PostgreSQL connections (or 64 MiB of SQLite cache).
  return Math.min(8, Math.max(atLeast, availableParallelism() - 2));
}

function batchConfig(value: (name: VariableName) => string) {
  const get = (name: VariableName, min: number, max: number) => integer(name, value(name), min, max);
  return Object.freeze({
    maxBytes: get('ONSHI_BATCH_MAX_BYTES', 1024, 4 * 1024 ** 3),
    maxRows: get('ONSHI_BATCH_MAX_ROWS', 1, 10_000_000),
    maxRowsInFlight: get('ONSHI_BATCH_ROWS_IN_FLIGHT', 1, 100_000_000),
    resultDays: get('ONSHI_BATCH_RESULT_DAYS', 0, 3650),
    worker: get('ONSHI_BATCH_WORKER', 0, 1) === 1,
    chunkMillis: get('ONSHI_BATCH_CHUNK_MS', 1, 10_000),
    leaseSeconds: get('ONSHI_BATCH_LEASE_SECONDS', 1, 86_400),
    thread: get('ONSHI_BATCH_THREAD', 0, 1) === 1,
    nice: get('ONSHI_BATCH_NICE', 0, 19),
    answerThreads: answerThreads(value('ONSHI_BATCH_ANSWER_THREADS'), value('ONSHI_STORE')),
  });
}

function optionalValue(text: string): string | undefined {
  return text === '' ? undefined : text;
}

function tlsConfig(keyFile: string, certFile: string, value: (name: VariableName) => string) {
  return Object.freeze({
    keyFile,
    certFile,
    keyPassphraseFile: optionalValue(value('ONSHI_TLS_KEY_PASSPHRASE_FILE')),
    clientCaFile: optionalValue(value('ONSHI_CLIENT_CA_FILE')),
    crlFile: optionalValue(value('ONSHI_CRL_FILE')),
    crlReloadSeconds: integer('ONSHI_CRL_RELOAD_SECONDS', value('ONSHI_CRL_RELOAD_SECONDS'), 1, 3600),
  });
}

function cardConfig(value: (name: VariableName) => string) {
  const jpkiDir = optionalValue(value('ONSHI_JPKI_DIR'));
  const cardTrustFile = optionalValue(value('ONSHI_CARD_TRUST_FILE'));
  const ocspUrl = optionalValue(value('ONSHI_OCSP_URL'));
  if (jpkiDir === undefined && cardTrustFile === undefined && ocspUrl === undefined) return undefined;
  return Object.freeze({
    jpkiDir,
    jpkiPassphraseFile: optionalValue(value('ONSHI_JPKI_PASSPHRASE_FILE')),
    cardTrustFile,
    ocspUrl,
    challengeSeconds: integer('ONSHI_CARD_CHALLENGE_SECONDS', value('ONSHI_CARD_CHALLENGE_SECONDS'), 5, 3600),
    ocspCacheSeconds: integer('ONSHI_OCSP_CACHE_SECONDS', value('ONSHI_OCSP_CACHE_SECONDS'), 0, 86_400),
  });
}

function integer(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new OnshiError('CONFIG_INVALID', { name, detail: `an integer from ${min} to ${max}` });
  }
  return n;
}

/** The configuration from this process's environment, with CLI overrides. The one reader of process.env. */
export function loadConfigFromEnvironment(overrides: ConfigSource = {}): CentralConfig {
  return loadConfig(process.env as ConfigSource, overrides);
}
