/**
 * Routes of the two-phase batch exchanges. Each takes the OQS XML (UTF-8 or Shift_JIS, answered in
 * the same encoding) or its JSON mirror, like every OQS route; the institution is the client
 * certificate's, and a 受付番号 answers only the institution that uploaded it.
 */
import {
  bulkQualificationConfirmDownloadRequestSchema,
  bulkQualificationConfirmRequestSchema,
  bulkQualificationConfirmResultSchema,
  bulkQualificationConfirmUploadResultSchema,
  bulkReferenceNumberRegistrationDownloadRequestSchema,
  bulkReferenceNumberRegistrationRequestSchema,
  bulkReferenceNumberRegistrationResultSchema,
  bulkReferenceNumberRegistrationUploadResultSchema,
  type Clock,
} from '@onshi/core';
import { institutionOf } from '../http/institution.ts';
import type { OqsOperation } from '../http/openapi.ts';
import { oqsRoute } from '../http/oqs.routes.ts';
import type { HttpReply, HttpRequest, Route } from '../http/types.ts';
import type { Logger } from '../log.ts';
import type { BatchService } from './batch.service.ts';

export const batchPaths = {
  confirmUpload: '/oqs/v1/bulk-qualification-confirmations',
  confirmResults: '/oqs/v1/bulk-qualification-confirmations/results',
  registerUpload: '/oqs/v1/bulk-reference-numbers',
  registerResults: '/oqs/v1/bulk-reference-numbers/results',
} as const;

export function batchRoutes(deps: {
  service: BatchService;
  clock: Clock;
  logger: Logger;
  /** Largest upload (01req) accepted, in bytes. */
  maxUploadBytes: number;
  /** Largest download request (02req), in bytes. */
  maxMessageBytes: number;
  /**
   * Serves the requests elsewhere (the batch thread, which runs these same routes): the request as
   * read, the reply as it is to be sent. Errors before the handler (size, certificate) stay here.
   */
  forward?: ((request: HttpRequest) => Promise<HttpReply>) | undefined;
}): Route[] {
  const routes = oqsBatchRoutes(deps);
  const forward = deps.forward;
  return forward === undefined ? routes : routes.map((route) => ({ ...route, handler: forward }));
}

function oqsBatchRoutes(deps: Parameters<typeof batchRoutes>[0]): Route[] {
  const { service, clock, logger } = deps;
  const upload = { clock, logger, maxBodyBytes: deps.maxUploadBytes };
  const download = { clock, logger, maxBodyBytes: deps.maxMessageBytes };
  return [
    oqsRoute({
      ...upload,
      path: batchPaths.confirmUpload,
      requestSchema: bulkQualificationConfirmRequestSchema,
      resultSchema: bulkQualificationConfirmUploadResultSchema,
      answer: (request, characterCode) => service.acceptConfirm(request, { characterCode }),
    }),
    oqsRoute({
      ...download,
      path: batchPaths.confirmResults,
      requestSchema: bulkQualificationConfirmDownloadRequestSchema,
      resultSchema: bulkQualificationConfirmResultSchema,
      answer: (request, characterCode, http) =>
        service.fetchConfirm(request, { characterCode, institutionCode: institutionOf(http) }),
    }),
    oqsRoute({
      ...upload,
      path: batchPaths.registerUpload,
      requestSchema: bulkReferenceNumberRegistrationRequestSchema,
      resultSchema: bulkReferenceNumberRegistrationUploadResultSchema,
      answer: (request, characterCode) => service.acceptRegister(request, { characterCode }),
    }),
    oqsRoute({
      ...download,
      path: batchPaths.registerResults,
      requestSchema: bulkReferenceNumberRegistrationDownloadRequestSchema,
      resultSchema: bulkReferenceNumberRegistrationResultSchema,
      answer: (request, characterCode, http) =>
        service.fetchRegister(request, { characterCode, institutionCode: institutionOf(http) }),
    }),
  ];
}

/** The OpenAPI operations of the batch routes. */
export const batchOperations: readonly OqsOperation[] = [
  {
    path: batchPaths.confirmUpload,
    summary: '資格確認一括照会 アップロード（OQSmuquc01req → 01res: 受付番号）',
    request: bulkQualificationConfirmRequestSchema,
    result: bulkQualificationConfirmUploadResultSchema,
  },
  {
    path: batchPaths.confirmResults,
    summary: '資格確認一括照会 結果取得（OQSmuquc02req → 02res: 処理中は SegmentOfResult 2）',
    request: bulkQualificationConfirmDownloadRequestSchema,
    result: bulkQualificationConfirmResultSchema,
  },
  {
    path: batchPaths.registerUpload,
    summary: '照会番号一括登録 アップロード（OQSmuimm01req → 01res: 受付番号）',
    request: bulkReferenceNumberRegistrationRequestSchema,
    result: bulkReferenceNumberRegistrationUploadResultSchema,
  },
  {
    path: batchPaths.registerResults,
    summary: '照会番号一括登録 結果取得（OQSmuimm02req → 02res: 処理中は SegmentOfResult 2）',
    request: bulkReferenceNumberRegistrationDownloadRequestSchema,
    result: bulkReferenceNumberRegistrationResultSchema,
  },
];
