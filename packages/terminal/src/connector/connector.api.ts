/**
 * The connector's local Web API, for in-house systems that prefer HTTP to files: the same
 * operations with JSON mirroring the XML (`{ "XmlMsg": … }`), and a health endpoint with counters.
 * Answers are synchronous and not queued: a caller that loses the connection asks again.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  decodeMessage,
  encodeMessage,
  type MessageSchema,
  messageFromJson,
  messageToJson,
  OnshiError,
  qualificationConfirmRequestSchema,
  qualificationConfirmResultSchema,
  referenceNumberRegistrationRequestSchema,
  referenceNumberRegistrationResultSchema,
} from '@onshi/core';
import { readJson } from '@onshi/web';
import { type CentralClient, centralPaths } from './connector.client.ts';
import type { RequestKind } from './connector.names.ts';
import type { ConnectorRepo } from './connector.repo.ts';
import { asOnshiError } from './connector.results.ts';

export interface ConnectorApiDeps {
  readonly client: CentralClient;
  readonly repo: ConnectorRepo;
  readonly inFlight: () => number;
  readonly timeoutMs: number;
}

const operations: Record<
  string,
  { kind: RequestKind; request: MessageSchema<unknown>; result: MessageSchema<unknown> }
> = {
  [centralPaths.qualification!]: {
    kind: 'qualification',
    request: qualificationConfirmRequestSchema as MessageSchema<unknown>,
    result: qualificationConfirmResultSchema as MessageSchema<unknown>,
  },
  [centralPaths.referenceNumber!]: {
    kind: 'referenceNumber',
    request: referenceNumberRegistrationRequestSchema as MessageSchema<unknown>,
    result: referenceNumberRegistrationResultSchema as MessageSchema<unknown>,
  },
};

/** Counters for `GET /health`. */
export function health(repo: ConnectorRepo, inFlight: number) {
  const counts = repo.counts();
  return {
    status: 'ok',
    queued: counts.received + counts.sent - inFlight,
    inFlight,
    writing: counts.answered + counts.writing + counts.written,
    answered: counts.done - counts.errors,
    errors: counts.errors,
  };
}

async function answer(deps: ConnectorApiDeps, req: IncomingMessage, op: (typeof operations)[string]) {
  const parsed = await readJson(req, 1024 * 1024);
  const xml = encodeMessage(messageFromJson(parsed, op.request), op.request, { encoding: 'utf-8' });
  const reply = await deps.client.post(op.kind, xml, AbortSignal.timeout(deps.timeoutMs)).catch((cause) => {
    throw new OnshiError('SERVICE_UNAVAILABLE', {}, { cause });
  });
  try {
    return {
      status: reply.status < 500 ? 200 : 502,
      body: messageToJson(decodeMessage(reply.body, op.result)),
    };
  } catch (error) {
    const detail = asOnshiError(error).code;
    throw new OnshiError('CONNECTOR_CENTRAL_ANSWER_INVALID', { status: reply.status, detail });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function route(deps: ConnectorApiDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method === 'GET' && path === '/health') return send(res, 200, health(deps.repo, deps.inFlight()));
  const op = operations[path];
  if (op === undefined) throw new OnshiError('HTTP_NOT_FOUND', { path });
  if (req.method !== 'POST') throw new OnshiError('HTTP_METHOD_NOT_ALLOWED', { method: req.method ?? '' });
  const { status, body } = await answer(deps, req, op);
  send(res, status, body);
}

/** A local HTTP server (bind it to 127.0.0.1 or the institution's LAN only). */
export function createConnectorApi(deps: ConnectorApiDeps): Server {
  let next = 0;
  return createServer((req, res) => {
    route(deps, req, res).catch((error: unknown) => {
      const e = asOnshiError(error);
      send(res, e.status, { code: e.code, message: e.message, requestId: `connector-${++next}` });
    });
  });
}
