/**
 * HTTP routes of the check by My Number card. Every route needs the institution's client
 * certificate (`auth: 'institution'`): the 医療機関コード comes from it, never from the body.
 *
 * - POST /oqs/v1/card-challenges → `{ challenge, expiresAt }`
 * - POST /oqs/v1/card-confirmations (JSON proof + OQS options) → OQS-IF-002 result, as its JSON
 *   mirror `{ "XmlMsg": … }`, or as the XML document when `Accept: application/xml`
 * - POST /oqs/v1/card-registrations (JSON proof, authMethod 'pin') → `{ registered, registeredAt, newlyRegistered }`
 * The patient routes (consent/consent.routes.ts: access log, consent revocation) come with these:
 * they need the same card verification.
 */
import {
  type Clock,
  consentFlags,
  encodeMessage,
  jstDateTime,
  messageToJson,
  OnshiError,
  type QualificationConfirmResult,
  qualificationConfirmResultSchema,
  toWireDateTime,
} from '@onshi/core';
import type { CardVerifier } from '@onshi/pki';
import type { ExtraRoutes } from '../app.ts';
import { terminalUserOf } from '../audit/audit.terminal-user.ts';
import { patientOperations, patientRoutes } from '../consent/consent.routes.ts';
import { messageJsonSchema, type PlainOperation } from '../http/openapi.ts';
import { errorBody } from '../http/server.ts';
import { type ErrorContext, type HttpReply, type HttpRequest, jsonReply, type Route } from '../http/types.ts';
import type { Logger } from '../log.ts';
import { parseCardConfirmation, parseCardProof } from './card-check.request.ts';
import { type CardCheckService, createCardCheckService } from './card-check.service.ts';

export const cardCheckPaths = {
  challenges: '/oqs/v1/card-challenges',
  confirmations: '/oqs/v1/card-confirmations',
  registrations: '/oqs/v1/card-registrations',
} as const;

export interface CardCheckRouteDeps {
  readonly service: CardCheckService;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Largest body accepted (ONSHI_MAX_MESSAGE_BYTES). */
  readonly maxBodyBytes: number;
}

/** The calling institution's code, as the server set it from the client certificate. */
function institutionOf(request: HttpRequest): string {
  const code = request.institution?.code;
  if (code === undefined) throw new OnshiError('PKI_CERT_MISSING');
  return code;
}

function wantsXml(headers: HttpRequest['headers']): boolean {
  const accept = (headers.accept ?? '').toLowerCase();
  return accept.includes('application/xml') || accept.includes('text/xml');
}

const xmlType = 'application/xml; charset=UTF-8';

function resultReply(request: HttpRequest, result: QualificationConfirmResult): HttpReply {
  if (!wantsXml(request.headers)) return jsonReply(200, messageToJson(result));
  const body = encodeMessage(result, qualificationConfirmResultSchema, { encoding: 'utf-8' });
  return { status: 200, headers: { 'content-type': xmlType }, body };
}

/**
 * The routes and their OpenAPI operations as `startCentral` / `buildApp` take them
 * (`extraRoutes`): the service is built once the store is open.
 */
export function cardCheckExtraRoutes(options: {
  readonly cardVerifier: CardVerifier;
  readonly challengeSeconds?: number | undefined;
  readonly maxBodyBytes: number;
}): ExtraRoutes {
  return ({ store, clock, logger, audit }) => {
    const service = createCardCheckService({
      store,
      clock,
      audit,
      cardVerifier: options.cardVerifier,
      challengeSeconds: options.challengeSeconds,
    });
    const routes = [
      ...cardCheckRoutes({ service, clock, logger, maxBodyBytes: options.maxBodyBytes }),
      ...patientRoutes({ store, clock, audit, cards: service }),
    ];
    return { routes, operations: [...cardCheckOperations, ...patientOperations] };
  };
}

export function cardCheckRoutes(deps: CardCheckRouteDeps): Route[] {
  const { service } = deps;
  return [
    {
      method: 'POST',
      path: cardCheckPaths.challenges,
      auth: 'institution',
      maxBodyBytes: 1024,
      handler: async (request) => jsonReply(200, await service.issueChallenge(institutionOf(request))),
    },
    {
      method: 'POST',
      path: cardCheckPaths.confirmations,
      auth: 'institution',
      maxBodyBytes: deps.maxBodyBytes,
      handler: async (request) => {
        const institution = institutionOf(request);
        const result = await service.confirm(institution, parseCardConfirmation(request.body), {
          terminalUser: terminalUserOf(request),
        });
        return resultReply(request, result);
      },
      errorReply: (error, context) => confirmationError(deps, error, context),
    },
    {
      method: 'POST',
      path: cardCheckPaths.registrations,
      auth: 'institution',
      maxBodyBytes: deps.maxBodyBytes,
      handler: async (request) => {
        const institution = institutionOf(request);
        return jsonReply(200, await service.register(institution, parseCardProof(request.body)));
      },
    },
  ];
}

/** Errors of a confirmation: `{ code, message, requestId }`, or for XML an OQS result with SegmentOfResult 9. */
function confirmationError(deps: CardCheckRouteDeps, error: unknown, context: ErrorContext): HttpReply {
  const { status, body } = errorBody(error, context.requestId, deps.logger);
  if (!wantsXml(context.headers)) return jsonReply(status, body);
  const result = {
    MessageHeader: {
      ProcessExecutionTime: toWireDateTime(jstDateTime(deps.clock.now())),
      ReferenceClassification: '1',
      SegmentOfResult: '9',
      ErrorCode: body.code,
      ErrorMessage: body.message,
      CharacterCodeIdentifier: '0',
    },
    MessageBody: {},
  } as QualificationConfirmResult;
  const xml = encodeMessage(result, qualificationConfirmResultSchema, { encoding: 'utf-8' });
  return { status, headers: { 'content-type': xmlType }, body: xml };
}

// ------------------------------------------------------------------------------------- OpenAPI

const base64 = { type: 'string', contentEncoding: 'base64' };
const flag = (values: string[], description: string) => ({ type: 'string', enum: values, description });

/** JSON Schema of the proof every card route takes. */
export const cardProofJsonSchema = {
  challenge: { ...base64, description: 'the 32-byte challenge from POST /oqs/v1/card-challenges' },
  certificate: { ...base64, description: '利用者証明用電子証明書 (DER) as read from the card' },
  signature: { ...base64, description: 'the card’s RSASSA-PKCS1-v1_5 SHA-256 signature over the challenge' },
  authMethod: flag(['pin', 'face', 'visual'], '暗証番号 / 顔認証 / 目視確認 (registration: pin only)'),
};

/** JSON Schema of the body of POST /oqs/v1/card-confirmations. */
export const cardConfirmationJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['challenge', 'certificate', 'signature', 'authMethod'],
  properties: {
    ...cardProofJsonSchema,
    QualificationConfirmationDate: {
      type: 'string',
      pattern: '^\\d{8}$',
      description: '資格確認日; default today (JST)',
    },
    LimitApplicationCertificateRelatedConsFlg: flag(['0', '1'], 'OQSCD001; default 0'),
    PrescriptionIssueSelect: flag(['1', '2'], 'OQSCD017 処方箋発行形態'),
    MedicalTreatmentFlag: flag(['1', '2', '3'], 'OQSCD028 診療区分 of the consents; default 1 外来 (24 h)'),
    consents: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(consentFlags.map((name) => [name, flag(['0', '1'], 'OQSCD016')])),
    },
  },
};

/** The OpenAPI operations of these routes (in http/openapi.ts's PlainOperation shape). */
export const cardCheckOperations: readonly PlainOperation[] = [
  {
    method: 'post',
    path: cardCheckPaths.challenges,
    summary: 'マイナンバーカードによる資格確認: チャレンジの発行（使い捨て、有効期限つき）',
    response: {
      type: 'object',
      required: ['challenge', 'expiresAt'],
      properties: { challenge: base64, expiresAt: { type: 'string', format: 'date-time' } },
    },
  },
  {
    method: 'post',
    path: cardCheckPaths.confirmations,
    summary:
      'マイナンバーカードによる資格確認（OQS-IF-002, ReferenceClassification 1; Accept: application/xml で XML）',
    requestContentType: 'application/json',
    response: messageJsonSchema(qualificationConfirmResultSchema),
  },
  {
    method: 'post',
    path: cardCheckPaths.registrations,
    summary: '健康保険証利用登録（初回登録、暗証番号による本人確認）',
    requestContentType: 'application/json',
    response: {
      type: 'object',
      required: ['registered', 'registeredAt', 'newlyRegistered'],
      properties: {
        registered: { type: 'boolean' },
        registeredAt: { type: 'string', format: 'date-time' },
        newlyRegistered: { type: 'boolean' },
      },
    },
  },
];
