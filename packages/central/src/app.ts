/**
 * The central service as a set of routes over its services. Routes are thin: parse, call one
 * service method, answer. `buildApp` takes every dependency; nothing here is global.
 */
import {
  type Clock,
  qualificationConfirmRequestSchema,
  qualificationConfirmResultSchema,
  referenceNumberRegistrationRequestSchema,
  referenceNumberRegistrationResultSchema,
} from '@onshi/core';
import { terminalUserOf } from './audit/audit.terminal-user.ts';
import { type AuditLog, createAuditLog } from './audit/audit.writer.ts';
import { batchOperations, batchRoutes } from './batch/batch.routes.ts';
import { createBatchService } from './batch/batch.service.ts';
import type { CentralConfig } from './config.ts';
import { consentOperations, consentRoutes } from './consent/consent.routes.ts';
import { disasterOperations, disasterRoutes } from './disaster/disaster.routes.ts';
import { createDisasterService } from './disaster/disaster.service.ts';
import { createEligibilityService } from './eligibility/eligibility.service.ts';
import { createFeedService } from './feed/feed.service.ts';
import { healthRoute } from './health/health.routes.ts';
import { openApiDocument, type PlainOperation } from './http/openapi.ts';
import { oqsRoute } from './http/oqs.routes.ts';
import { createRouter, type Router } from './http/router.ts';
import { type HttpReply, type HttpRequest, jsonReply, type Route } from './http/types.ts';
import type { Logger } from './log.ts';
import { medinfoOperations, medinfoRoutes } from './medinfo/medinfo.routes.ts';
import { createMedicalInfoService } from './medinfo/medinfo.service.ts';
import type { Store } from './store/store.ts';

/** Routes of features outside this file, with their OpenAPI operations. */
export type ExtraRoutes = (deps: { store: Store; clock: Clock; logger: Logger; audit: AuditLog }) => {
  readonly routes: readonly Route[];
  readonly operations?: readonly PlainOperation[];
};

export interface AppDeps {
  readonly config: CentralConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly extraRoutes?: ExtraRoutes | undefined;
  /** The process's audit writer; by default one over `store`. */
  readonly audit?: AuditLog | undefined;
  /** Called when a batch upload is stored (wakes the in-process batch worker). */
  readonly onBatchAccepted?: (() => void) | undefined;
  /** Serves the batch routes in the batch thread (batch/batch.thread.ts) instead of here. */
  readonly batchForward?: ((request: HttpRequest) => Promise<HttpReply>) | undefined;
  /** How long `GET /health` waits for the store (default 2 s). */
  readonly healthTimeoutMs?: number | undefined;
}

export const paths = {
  qualificationConfirmations: '/oqs/v1/qualification-confirmations',
  referenceNumbers: '/oqs/v1/reference-numbers',
  qualificationFeed: '/feeds/v1/qualifications',
  openapi: '/openapi.json',
  health: '/health',
} as const;

export function buildApp(deps: AppDeps): Router {
  const { config, store, clock, logger, extraRoutes } = deps;
  const audit = deps.audit ?? createAuditLog({ store, clock });
  const eligibility = createEligibilityService({ store, clock, audit });
  const feed = createFeedService({ store, clock });
  const oqs = { clock, logger, maxBodyBytes: config.maxMessageBytes };
  const routes: Route[] = [
    oqsRoute({
      ...oqs,
      path: paths.qualificationConfirmations,
      requestSchema: qualificationConfirmRequestSchema,
      resultSchema: qualificationConfirmResultSchema,
      answer: (request, characterCode, http) =>
        eligibility.confirm(request, { characterCode, terminalUser: terminalUserOf(http) }),
    }),
    oqsRoute({
      ...oqs,
      path: paths.referenceNumbers,
      requestSchema: referenceNumberRegistrationRequestSchema,
      resultSchema: referenceNumberRegistrationResultSchema,
      answer: (request, characterCode) => eligibility.registerReferenceNumber(request, { characterCode }),
    }),
    {
      method: 'POST',
      path: paths.qualificationFeed,
      auth: 'feed',
      maxBodyBytes: config.maxFeedBytes,
      // NDJSON carries its file id in its header line; CSV needs `?fileId=`.
      handler: async (request) =>
        jsonReply(
          200,
          await feed.importFile({ content: request.body, fileId: request.query.get('fileId') ?? undefined }),
        ),
    },
    ...batchRoutes({
      service: createBatchService({ store, clock, limits: config.batch, onAccepted: deps.onBatchAccepted }),
      clock,
      logger,
      maxUploadBytes: config.batch.maxBytes,
      maxMessageBytes: config.maxMessageBytes,
      forward: deps.batchForward,
    }),
    ...consentRoutes({ store, clock, audit }),
    ...disasterRoutes(createDisasterService({ store, clock, audit })),
    ...medinfoRoutes({
      service: createMedicalInfoService({ store, clock, audit }),
      clock,
      logger,
      maxBodyBytes: config.maxMessageBytes,
    }),
    healthRoute(paths.health, { store, logger, timeoutMs: deps.healthTimeoutMs }),
  ];
  const extra = extraRoutes?.({ store, clock, logger, audit });
  routes.push(...(extra?.routes ?? []));
  const document = JSON.stringify(
    openApiDocument(
      [
        {
          path: paths.qualificationConfirmations,
          summary: '資格確認（被保険者証情報）',
          request: qualificationConfirmRequestSchema,
          result: qualificationConfirmResultSchema,
        },
        {
          path: paths.referenceNumbers,
          summary: '照会番号登録',
          request: referenceNumberRegistrationRequestSchema,
          result: referenceNumberRegistrationResultSchema,
        },
        ...batchOperations,
        ...medinfoOperations,
      ],
      [
        {
          method: 'post',
          path: paths.qualificationFeed,
          summary:
            '保険者フィードの取込（NDJSON または CSV + ?fileId=, packages/central/docs/insurer-feed.md）',
          requestContentType: 'application/x-ndjson',
          response: { type: 'object' },
        },
        { method: 'get', path: paths.health, summary: 'Health', response: { type: 'object' } },
        ...consentOperations,
        ...disasterOperations,
        ...(extra?.operations ?? []),
      ],
    ),
  );
  routes.push({
    method: 'GET',
    path: paths.openapi,
    handler: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: document }),
  });
  return createRouter(routes);
}
