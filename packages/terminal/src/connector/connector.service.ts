/**
 * The connector (連携アプリケーション): takes complete request files from `req/`, records them,
 * forwards them to central, and has the writer put each answer into `res/` exactly once.
 * The state machine and its crash cases are in the package README. Steps of many requests are
 * grouped: one transaction per intake batch, per dispatch, per turn's answers (`Batching`).
 */
import { type FSWatcher, readdirSync, renameSync, statSync, unlinkSync, watch } from 'node:fs';
import { join } from 'node:path';
import {
  bulkQualificationConfirmDownloadRequestSchema,
  bulkReferenceNumberRegistrationDownloadRequestSchema,
  type Clock,
  checkupInformationRequestSchema,
  decodeMessage,
  detectEncoding,
  isOnshiError,
  type MessageSchema,
  medicationInformationRequestSchema,
  OnshiError,
  qualificationConfirmRequestSchema,
  referenceNumberRegistrationRequestSchema,
  type XmlEncoding,
} from '@onshi/core';
import type { CentralAnswer, CentralClient, PostOptions } from './connector.client.ts';
import {
  createStableScanner,
  fsyncDirectory,
  removeIfPresent,
  type StableFile,
  writeSynced,
} from './connector.files.ts';
import {
  isBatchKind,
  isMedinfoKind,
  parseRequestName,
  type RequestKind,
  withExtension,
} from './connector.names.ts';
import type { Answer, ConnectorRepo, RequestRow } from './connector.repo.ts';
import {
  asOnshiError,
  checkedPdf,
  checkedResult,
  checkSpooled,
  errorResult,
  resultInEncoding,
} from './connector.results.ts';
import {
  type ConnectorDirs,
  createDirs,
  createResultWriter,
  sha256,
  spoolPath,
  workPath,
} from './connector.writer.ts';

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
  /** Done rows and `req/done/` files older than this are deleted. */
  readonly retentionMs: number;
  /** How often the purge runs (also once at start). */
  readonly purgeEveryMs: number;
  /**
   * Largest request file read (central's `ONSHI_BATCH_MAX_BYTES`, default 128 MiB); a larger one is
   * answered with CONNECTOR_REQUEST_TOO_LARGE without being read into memory.
   */
  readonly maxRequestBytes: number;
  /** Answers larger than this are streamed into their temp file instead of the state row. */
  readonly spoolBytes: number;
  /** Deadline of the batch files (`OQSmu…`): an upload or a result of 100,000 rows takes a while. */
  readonly batchDeadlineMs: number;
  /**
   * The 医療情報閲覧者 (viewer login of the terminal) YZK/TKK files are viewed as; unset: they are
   * answered with CONNECTOR_MEDINFO_USER_NOT_SET (README, "Who views for a folder request").
   */
  readonly medinfoUser?: string | undefined;
}

export const defaultConnectorOptions: ConnectorOptions = {
  resultEncoding: 'utf-8',
  deadlineMs: 30_000,
  settleMs: 250,
  scanMs: 1_000,
  concurrency: 8,
  attemptTimeoutMs: 10_000,
  backoffMs: { first: 500, max: 30_000 },
  retentionMs: 7 * 24 * 3_600_000,
  purgeEveryMs: 3_600_000,
  maxRequestBytes: 128 * 1024 * 1024,
  spoolBytes: 256 * 1024,
  batchDeadlineMs: 10 * 60_000,
};

/** The terminal user a login names, as the terminal's user store knows it. */
export type ViewerLookup = (
  login: string,
) => { readonly role: string; readonly disabled: boolean } | undefined;

/** The headers central's medical-information routes require (central medinfo/README.md). */
export function viewerHeaders(login: string): Record<string, string> {
  return { 'x-onshi-terminal-user': encodeURIComponent(login), 'x-onshi-terminal-role': 'viewer' };
}

/** Why the configured medinfo user cannot view, or undefined when it can. */
export function medinfoUserProblem(login: string, lookup: ViewerLookup | undefined): string | undefined {
  if (lookup === undefined) return 'no terminal user store';
  const user = lookup(login);
  if (user === undefined) return 'no such user';
  if (user.disabled) return 'disabled';
  if (user.role !== 'viewer') return `role ${user.role}, not viewer (医療情報閲覧者)`;
  return undefined;
}

/** Request files recorded per intake transaction, and rows looked at per dispatch. */
const intakeBatch = 256;
const dispatchBatch = 256;

export interface ConnectorDeps {
  readonly dirs: ConnectorDirs;
  readonly repo: ConnectorRepo;
  readonly client: CentralClient;
  readonly clock: Clock;
  readonly options: ConnectorOptions;
  /** Called on unexpected failures of a step (the step is retried on the next tick). */
  readonly onError?: (error: unknown) => void;
  /** The terminal's users, for `options.medinfoUser` (checked at each YZK/TKK request). */
  readonly viewers?: ViewerLookup | undefined;
}

export interface Connector {
  start(): void;
  /** Stops watching and aborts calls in flight (their rows go back to the queue). */
  stop(): Promise<void>;
  /** Requests in flight right now. */
  inFlight(): number;
}

/**
 * Request schemas read before sending. Batch uploads (`OQSmu…01`) are not read here: they may be
 * 100,000 rows, and central validates every row anyway (its refusal is the answer).
 */
const requestSchemas: Partial<Record<RequestKind, MessageSchema<unknown>>> = {
  qualification: qualificationConfirmRequestSchema as MessageSchema<unknown>,
  referenceNumber: referenceNumberRegistrationRequestSchema as MessageSchema<unknown>,
  bulkQualificationResult: bulkQualificationConfirmDownloadRequestSchema as MessageSchema<unknown>,
  bulkReferenceNumberResult: bulkReferenceNumberRegistrationDownloadRequestSchema as MessageSchema<unknown>,
  medications: medicationInformationRequestSchema as MessageSchema<unknown>,
  checkups: checkupInformationRequestSchema as MessageSchema<unknown>,
};

/** Throws the error the request is answered with locally, if any. */
function validate(row: RequestRow, options: ConnectorOptions, viewers: ViewerLookup | undefined): void {
  const name = parseRequestName(row.name);
  if (name.kind === 'unknownName') throw new OnshiError('CONNECTOR_FILE_NAME_UNKNOWN', { name: row.name });
  if (name.kind === 'notAvailable') {
    throw new OnshiError('CONNECTOR_INTERFACE_NOT_AVAILABLE', { interface: name.interfaceName });
  }
  const size = row.requestSize ?? row.bytes!.length;
  if (size > options.maxRequestBytes) {
    throw new OnshiError('CONNECTOR_REQUEST_TOO_LARGE', { size, limit: options.maxRequestBytes });
  }
  const schema = requestSchemas[name.kind];
  if (schema !== undefined) decodeMessage(row.bytes!, schema, { maxBytes: options.maxRequestBytes });
  if (isMedinfoKind(name.kind)) {
    const login = options.medinfoUser;
    if (login === undefined) {
      throw new OnshiError('CONNECTOR_MEDINFO_USER_NOT_SET', { interface: name.interfaceName });
    }
    const reason = medinfoUserProblem(login, viewers);
    if (reason !== undefined) throw new OnshiError('CONNECTOR_MEDINFO_USER_INVALID', { login, reason });
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

const transientStatuses = new Set([0, 502, 503, 504]);

interface PendingAnswer {
  readonly id: number;
  readonly from: 'received' | 'sent';
  readonly answer: Answer;
}

export function createConnector(deps: ConnectorDeps): Connector {
  const { dirs, repo, client, clock, options } = deps;
  const now = () => clock.now().getTime();
  const report = (error: unknown) => deps.onError?.(error);
  const writer = createResultWriter(dirs, repo, { now, report });
  const queuedNames = new Set<string>();
  const scanner = createStableScanner(dirs.req, options.settleMs, now, {
    skip: (n) => queuedNames.has(n),
    maxBytes: options.maxRequestBytes,
  });
  const calls = new Map<number, { abort: AbortController; done: Promise<void> }>();
  const timers = new Set<NodeJS.Timeout>();
  let watcher: FSWatcher | undefined;
  let stopped = false;

  function later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) fn();
    }, ms);
    timers.add(timer);
  }

  /** Runs `fn` once in a coming turn of the event loop, however often it is asked for before. */
  function coalesced(fn: () => void): () => void {
    let queued = false;
    return () => {
      if (queued || stopped) return;
      queued = true;
      setImmediate(() => {
        queued = false;
        if (!stopped) fn();
      });
    };
  }

  // Intake: (file) → received for a batch in one transaction, then the files leave `req/` for
  // `.work/` and both folders are fsynced once.
  const intakeQueue: StableFile[] = [];
  const intakeSoon = coalesced(intake);

  function intake(): void {
    const batch = intakeQueue.splice(0, intakeBatch);
    if (batch.length === 0) return;
    try {
      const at = now();
      const ids = repo.transaction(() =>
        batch.map((file) =>
          repo.insertReceived({
            name: file.name,
            sha256: file.sha256 ?? sha256(file.bytes),
            bytes: file.bytes,
            size: file.size,
            receivedAt: at,
            deadlineAt: at + deadlineFor(file.name),
          }),
        ),
      );
      for (let i = 0; i < batch.length; i++) {
        const name = batch[i]!.name;
        try {
          renameSync(join(dirs.req, name), workPath(dirs, { id: ids[i]!, name }));
        } catch (error) {
          report(error); // recorded with its bytes: answered all the same; a file left is settled on the next start
        }
      }
      fsyncDirectory(dirs.work);
      fsyncDirectory(dirs.req);
    } catch (error) {
      report(error); // recorded rows are settled on the next start; unrecorded files are read again
    } finally {
      for (const file of batch) queuedNames.delete(file.name);
    }
    if (intakeQueue.length > 0) intakeSoon();
    pumpSoon();
  }

  // Answers of one turn (central's replies, failures past the deadline) in one transaction.
  const answers: PendingAnswer[] = [];
  const flushSoon = coalesced(flushAnswers);

  function deadlineFor(name: string): number {
    return isBatchKind(parseRequestName(name).kind)
      ? Math.max(options.deadlineMs, options.batchDeadlineMs)
      : options.deadlineMs;
  }

  function markAnswers(): boolean {
    const batch = answers.splice(0);
    let any = false;
    for (const a of batch) {
      if (repo.markAnswered(a.id, a.from, a.answer)) any = true;
      else if (a.answer.resultPath !== undefined) dropSpool(a.answer.resultPath); // a late answer
    }
    return any;
  }

  function dropSpool(path: string | undefined): void {
    if (path === undefined) return;
    try {
      removeIfPresent(path);
    } catch (error) {
      report(error); // removed at the next start
    }
  }

  /**
   * received|sent → answered. Not durable on its own: a lost answer leaves the row `sent`
   * (`received` after the restart) and it is sent again; the `writing` commit that follows makes
   * it durable before any result file is published.
   */
  function flushAnswers(): void {
    if (answers.length === 0) return;
    try {
      if (repo.transaction(markAnswers, { durable: false })) writer.kick();
    } catch (error) {
      report(error);
    }
  }

  function answerOf(
    row: RequestRow,
    result: Uint8Array,
    error?: OnshiError,
    extras: { pdf?: boolean; spooled?: CentralAnswer['spooled'] } = {},
  ): Answer {
    const plain = parseRequestName(row.name).resultName;
    const resultName = extras.pdf ? withExtension(plain, 'pdf') : plain;
    const outcome = error === undefined ? 'central' : 'error';
    const spooled = extras.spooled
      ? { resultPath: extras.spooled.path, resultSize: extras.spooled.size }
      : {};
    return { resultName, result, outcome, errorCode: error?.code ?? null, ...spooled };
  }

  /** Batch results are in the request's encoding (as central answers them); others in the setting's. */
  function errorEncoding(row: RequestRow, kind: RequestKind): XmlEncoding {
    if (!isBatchKind(kind) || !row.bytes?.length) return options.resultEncoding;
    try {
      return detectEncoding(row.bytes);
    } catch {
      return options.resultEncoding;
    }
  }

  function errorAnswer(row: RequestRow, error: OnshiError): Answer {
    const kind = parseRequestName(row.name).kind;
    const bytes = errorResult({
      error,
      kind,
      request: row.bytes ?? undefined,
      encoding: errorEncoding(row, kind),
      clock,
    });
    return answerOf(row, bytes, error);
  }

  function answer(row: RequestRow, from: 'received' | 'sent', result: Answer): void {
    answers.push({ id: row.id, from, answer: result });
    flushSoon();
  }

  function unreachable(row: RequestRow): OnshiError {
    const deadline = new Date(row.deadlineAt).toISOString();
    return new OnshiError('CONNECTOR_CENTRAL_UNREACHABLE', { attempts: row.attempts, deadline });
  }

  /** What to do with a received row: an answer given locally, or undefined to send it. */
  function localAnswer(row: RequestRow): Answer | undefined {
    try {
      validate(row, options, deps.viewers);
    } catch (error) {
      return errorAnswer(row, asOnshiError(error));
    }
    if (now() >= row.deadlineAt) return errorAnswer(row, unreachable(row));
    return undefined;
  }

  function send(row: RequestRow): void {
    const abort = new AbortController();
    const kind = parseRequestName(row.name).kind;
    // A batch file's upload or result may take minutes: bounded by its own (longer) deadline only.
    const limit = isBatchKind(kind) ? Number.POSITIVE_INFINITY : options.attemptTimeoutMs;
    const timeout = Math.max(1, Math.min(limit, row.deadlineAt - now()));
    const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(timeout)]);
    const spool = { path: spoolPath(dirs, row, row.attempts + 1), thresholdBytes: options.spoolBytes };
    const post: PostOptions = {
      spool,
      ...(isMedinfoKind(kind) ? { headers: viewerHeaders(options.medinfoUser!) } : {}),
    };
    // The race makes the deadline hold even against a client that ignores the signal.
    const done = Promise.race([client.post(kind, row.bytes!, signal, post), rejectOnAbort(signal)])
      .then(
        (reply) => spooled(reply, spool.path),
        (error) => {
          dropSpool(spool.path); // a cut stream may have left part of it
          throw error;
        },
      )
      .then(
        (reply) => onReply(row, reply),
        () => onFailure(row),
      )
      .catch(report)
      .finally(() => {
        calls.delete(row.id);
        pumpSoon();
      });
    calls.set(row.id, { abort, done });
  }

  /**
   * A large answer the client held in memory (a client that does not stream) goes into the spool
   * file all the same, so that the state row stays small.
   */
  async function spooled(reply: CentralAnswer, path: string): Promise<CentralAnswer> {
    if (reply.spooled !== undefined || reply.body.length <= options.spoolBytes) return reply;
    await writeSynced(path, reply.body);
    return { ...reply, body: new Uint8Array(), spooled: { path, size: reply.body.length } };
  }

  /**
   * Central's answer as the result to write: YZK/TKK as PDF when central answered `application/pdf`
   * (`…res_X.pdf`), else XML; batch results as central wrote them (the request's encoding); the
   * single interfaces and YZK/TKK XML in the result encoding. Throws when it is not a complete one.
   */
  function resultOf(row: RequestRow, kind: RequestKind, reply: CentralAnswer): Answer {
    const pdf = isMedinfoKind(kind) && /^application\/pdf\b/i.test(reply.contentType ?? '');
    if (reply.spooled !== undefined) {
      checkSpooled(reply.spooled.path, reply.spooled.size, pdf ? 'pdf' : 'xml');
      return answerOf(row, new Uint8Array(), undefined, { pdf, spooled: reply.spooled });
    }
    if (pdf) return answerOf(row, checkedPdf(reply.body), undefined, { pdf });
    const result = isBatchKind(kind)
      ? checkedResult(reply.body, kind)
      : resultInEncoding(reply.body, kind, options.resultEncoding);
    return answerOf(row, result);
  }

  function onReply(row: RequestRow, reply: CentralAnswer): void {
    if (transientStatuses.has(reply.status)) {
      dropSpool(reply.spooled?.path);
      onFailure(row);
      return;
    }
    const kind = parseRequestName(row.name).kind;
    let result: Answer;
    try {
      result = resultOf(row, kind, reply);
    } catch (error) {
      dropSpool(reply.spooled?.path);
      if (reply.status >= 500) {
        onFailure(row);
        return;
      }
      const detail = isOnshiError(error) ? error.code : String((error as Error).message ?? error);
      const invalid = new OnshiError('CONNECTOR_CENTRAL_ANSWER_INVALID', { status: reply.status, detail });
      answer(row, 'sent', errorAnswer(row, invalid));
      return;
    }
    answer(row, 'sent', result);
  }

  /** sent → received with backoff, or → answered with the deadline error. */
  function onFailure(row: RequestRow): void {
    const current = repo.get(row.id);
    if (current?.state !== 'sent') return;
    const at = now();
    // Not durable: a lost retry leaves `sent`, which the restart turns into `received` anyway.
    const retry = (next: number) => repo.transaction(() => repo.markRetry(row.id, next), { durable: false });
    if (stopped) {
      retry(at);
      return;
    }
    if (at >= current.deadlineAt) {
      answer(current, 'sent', errorAnswer(current, unreachable(current)));
      return;
    }
    const backoff = Math.min(options.backoffMs.max, options.backoffMs.first * 2 ** (current.attempts - 1));
    const next = Math.min(at + backoff, current.deadlineAt);
    retry(next);
    later(next - at, pumpSoon);
  }

  /**
   * Due received rows: local answers and received → sent for those to send, in one transaction
   * that is not durable on its own (a lost `sent` is what the restart makes of `sent` anyway:
   * `received`; a lost local answer is redone). Then the calls start.
   */
  function pump(): void {
    try {
      let looked = 0;
      let answered = false;
      const toSend = repo.transaction(
        () => {
          const picked: RequestRow[] = [];
          answered = markAnswers();
          while (looked < dispatchBatch) {
            const free = options.concurrency - calls.size - picked.length;
            if (free <= 0) break;
            const rows = repo.listDue(now(), free);
            if (rows.length === 0) break;
            looked += rows.length;
            for (const row of rows) {
              const local = localAnswer(row);
              if (local !== undefined) answered = repo.markAnswered(row.id, 'received', local) || answered;
              else if (repo.markSent(row.id)) picked.push(row);
            }
          }
          return picked;
        },
        { durable: false },
      );
      if (answered) writer.kick();
      for (const row of toSend) send(row);
      if (looked >= dispatchBatch) pumpSoon();
    } catch (error) {
      report(error);
    }
  }
  const pumpSoon = coalesced(pump);

  let scanCost = 0;
  function scan(): void {
    if (stopped) return;
    try {
      const started = performance.now();
      const { ready, pending } = scanner.scan();
      scanCost = performance.now() - started;
      for (const file of ready) {
        if (queuedNames.has(file.name)) continue;
        queuedNames.add(file.name);
        intakeQueue.push(file);
      }
      if (intakeQueue.length > 0) intakeSoon();
      if (pending > 0) later(options.settleMs, scan);
    } catch (error) {
      report(error);
    }
    pumpSoon();
  }

  function tick(): void {
    scan();
    writer.kick(); // picks up after a failed batch
    later(options.scanMs, tick);
  }

  /** Done rows and `req/done/` files older than the retention are deleted. */
  function purge(): void {
    try {
      const before = now() - options.retentionMs;
      repo.purgeDone(before);
      for (const name of readdirSync(dirs.done)) {
        const path = join(dirs.done, name);
        try {
          if (statSync(path).mtimeMs < before) unlinkSync(path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    } catch (error) {
      report(error);
    }
  }

  function purgeTick(): void {
    purge();
    later(options.purgeEveryMs, purgeTick);
  }

  // A scan stats every file in req/: with thousands waiting, scanning on every watch event (the
  // connector's own moves out of req/ are events too) would take most of the time. A scan follows
  // an event after 10 ms, or after four times what the last scan took, whichever is longer.
  let scanQueued = false;
  function onWatchEvent(): void {
    if (scanQueued) return;
    scanQueued = true;
    later(Math.max(10, 4 * scanCost), () => {
      scanQueued = false;
      scan();
    });
  }

  return {
    start() {
      createDirs(dirs);
      repo.resetSent();
      writer.removeStraySpools();
      writer.settleReceived();
      writer.resume();
      writer.kick();
      watcher = watch(dirs.req, onWatchEvent);
      watcher.on('error', report);
      tick();
      purgeTick();
    },
    async stop() {
      stopped = true;
      watcher?.close();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const call of calls.values()) call.abort.abort();
      await Promise.all([...calls.values()].map((call) => call.done));
      await writer.stop();
      // Answers not yet recorded are recorded now (the writer takes them after the restart).
      try {
        repo.transaction(markAnswers);
      } catch (error) {
        report(error);
      }
    },
    inFlight: () => calls.size,
  };
}
