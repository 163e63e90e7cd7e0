/**
 * The connector (連携アプリケーション): takes complete request files from `req/`, records them,
 * forwards them to central, and has the writer put each answer into `res/` exactly once.
 * The state machine and its crash cases are in the package README.
 */
import { type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';
import {
  type Clock,
  decodeMessage,
  type MessageSchema,
  OnshiError,
  qualificationConfirmRequestSchema,
  referenceNumberRegistrationRequestSchema,
  type XmlEncoding,
} from '@onshi/core';
import type { CentralAnswer, CentralClient } from './connector.client.ts';
import { createStableScanner, moveDurably, type StableFile } from './connector.files.ts';
import { parseRequestName, type RequestKind } from './connector.names.ts';
import type { ConnectorRepo, RequestRow } from './connector.repo.ts';
import { asOnshiError, errorResult, resultInEncoding } from './connector.results.ts';
import { type ConnectorDirs, createDirs, createResultWriter, sha256, workPath } from './connector.writer.ts';

export interface ConnectorOptions {
  readonly resultEncoding: XmlEncoding;
  /** From receipt to the error result while central cannot be reached. */
  readonly deadlineMs: number;
  readonly settleMs: number;
  readonly scanMs: number;
  readonly concurrency: number;
  /** Longest single call to central. */
  readonly attemptTimeoutMs: number;
  readonly backoffMs: { readonly first: number; readonly max: number };
}

export const defaultConnectorOptions: ConnectorOptions = {
  resultEncoding: 'utf-8',
  deadlineMs: 30_000,
  settleMs: 250,
  scanMs: 1_000,
  concurrency: 8,
  attemptTimeoutMs: 10_000,
  backoffMs: { first: 500, max: 30_000 },
};

export interface ConnectorDeps {
  readonly dirs: ConnectorDirs;
  readonly repo: ConnectorRepo;
  readonly client: CentralClient;
  readonly clock: Clock;
  readonly options: ConnectorOptions;
  /** Called on unexpected failures of a step (the step is retried on the next tick). */
  readonly onError?: (error: unknown) => void;
}

export interface Connector {
  start(): void;
  /** Stops watching and aborts calls in flight (their rows go back to the queue). */
  stop(): Promise<void>;
  /** Requests in flight right now. */
  inFlight(): number;
}

const requestSchemas: Partial<Record<RequestKind, MessageSchema<unknown>>> = {
  qualification: qualificationConfirmRequestSchema as MessageSchema<unknown>,
  referenceNumber: referenceNumberRegistrationRequestSchema as MessageSchema<unknown>,
};

/** Throws the error the request is answered with locally, if any. */
function validate(row: RequestRow): void {
  const name = parseRequestName(row.name);
  if (name.kind === 'unknownName') throw new OnshiError('CONNECTOR_FILE_NAME_UNKNOWN', { name: row.name });
  if (name.kind === 'notAvailable') {
    throw new OnshiError('CONNECTOR_INTERFACE_NOT_AVAILABLE', { interface: name.interfaceName });
  }
  decodeMessage(row.bytes!, requestSchemas[name.kind]!);
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

const transientStatuses = new Set([0, 502, 503, 504]);

export function createConnector(deps: ConnectorDeps): Connector {
  const { dirs, repo, client, clock, options } = deps;
  const now = () => clock.now().getTime();
  const writer = createResultWriter(dirs, repo);
  const scanner = createStableScanner(dirs.req, options.settleMs, now);
  const calls = new Map<number, { abort: AbortController; done: Promise<void> }>();
  const timers = new Set<NodeJS.Timeout>();
  let watcher: FSWatcher | undefined;
  let stopped = false;
  const report = (error: unknown) => deps.onError?.(error);

  function later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) fn();
    }, ms);
    timers.add(timer);
  }

  /** (file) → received, then the file leaves `req/` for `.work/`. */
  function intake(file: StableFile): void {
    const at = now();
    const id = repo.insertReceived({
      name: file.name,
      sha256: sha256(file.bytes),
      bytes: file.bytes,
      receivedAt: at,
      deadlineAt: at + options.deadlineMs,
    });
    moveDurably(join(dirs.req, file.name), workPath(dirs, { id, name: file.name }), dirs.req, dirs.work);
  }

  /** received|sent → answered → … → done. */
  function answer(row: RequestRow, from: 'received' | 'sent', result: Uint8Array, error?: OnshiError): void {
    const resultName = parseRequestName(row.name).resultName;
    const outcome = error === undefined ? 'central' : 'error';
    if (!repo.markAnswered(row.id, from, { resultName, result, outcome, errorCode: error?.code ?? null }))
      return;
    writer.complete(repo.get(row.id)!);
  }

  function answerWithError(row: RequestRow, from: 'received' | 'sent', error: OnshiError): void {
    const kind = parseRequestName(row.name).kind;
    const bytes = errorResult({
      error,
      kind,
      request: row.bytes ?? undefined,
      encoding: options.resultEncoding,
      clock,
    });
    answer(row, from, bytes, error);
  }

  function unreachable(row: RequestRow): OnshiError {
    const deadline = new Date(row.deadlineAt).toISOString();
    return new OnshiError('CONNECTOR_CENTRAL_UNREACHABLE', { attempts: row.attempts, deadline });
  }

  /** One received row: answered locally, or sent to central. */
  function dispatch(row: RequestRow): void {
    try {
      validate(row);
    } catch (error) {
      answerWithError(row, 'received', asOnshiError(error));
      return;
    }
    if (now() >= row.deadlineAt) {
      answerWithError(row, 'received', unreachable(row));
      return;
    }
    if (!repo.markSent(row.id)) return;
    const abort = new AbortController();
    const timeout = Math.max(1, Math.min(options.attemptTimeoutMs, row.deadlineAt - now()));
    const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(timeout)]);
    const kind = parseRequestName(row.name).kind;
    // The race makes the deadline hold even against a client that ignores the signal.
    const done = Promise.race([client.post(kind, row.bytes!, signal), rejectOnAbort(signal)])
      .then(
        (reply) => onReply(row, reply),
        () => onFailure(row),
      )
      .catch(report)
      .finally(() => {
        calls.delete(row.id);
        if (!stopped) pump();
      });
    calls.set(row.id, { abort, done });
  }

  function onReply(row: RequestRow, reply: CentralAnswer): void {
    if (transientStatuses.has(reply.status)) {
      onFailure(row);
      return;
    }
    const kind = parseRequestName(row.name).kind;
    let result: Uint8Array;
    try {
      result = resultInEncoding(reply.body, kind, options.resultEncoding);
    } catch (error) {
      if (reply.status >= 500) {
        onFailure(row);
        return;
      }
      const detail = asOnshiError(error).code;
      const invalid = new OnshiError('CONNECTOR_CENTRAL_ANSWER_INVALID', { status: reply.status, detail });
      answerWithError(row, 'sent', invalid);
      return;
    }
    answer(row, 'sent', result);
  }

  /** sent → received with backoff, or → answered with the deadline error. */
  function onFailure(row: RequestRow): void {
    const current = repo.get(row.id);
    if (current?.state !== 'sent') return;
    const at = now();
    if (stopped) {
      repo.markRetry(row.id, at);
      return;
    }
    if (at >= current.deadlineAt) {
      answerWithError(current, 'sent', unreachable(current));
      return;
    }
    const backoff = Math.min(options.backoffMs.max, options.backoffMs.first * 2 ** (current.attempts - 1));
    const next = Math.min(at + backoff, current.deadlineAt);
    repo.markRetry(row.id, next);
    later(next - at, pump);
  }

  function pump(): void {
    if (stopped) return;
    try {
      const free = options.concurrency - calls.size;
      if (free <= 0) return;
      for (const row of repo.listDue(now(), free)) dispatch(row);
    } catch (error) {
      report(error);
    }
  }

  function scan(): void {
    if (stopped) return;
    try {
      const { ready, pending } = scanner.scan();
      for (const file of ready) intake(file);
      if (pending > 0) later(options.settleMs, scan);
    } catch (error) {
      report(error);
    }
    pump();
  }

  function tick(): void {
    scan();
    later(options.scanMs, tick);
  }

  let scanQueued = false;
  function onWatchEvent(): void {
    if (scanQueued) return;
    scanQueued = true;
    later(10, () => {
      scanQueued = false;
      scan();
    });
  }

  return {
    start() {
      createDirs(dirs);
      repo.resetSent();
      writer.settleReceived();
      writer.resume();
      watcher = watch(dirs.req, onWatchEvent);
      watcher.on('error', report);
      tick();
    },
    async stop() {
      stopped = true;
      watcher?.close();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const call of calls.values()) call.abort.abort();
      await Promise.all([...calls.values()].map((call) => call.done));
    },
    inFlight: () => calls.size,
  };
}
