/**
 * Routes of the medical-information retrieval (institution client certificate, like the other
 * /oqs/ routes):
 * - POST /oqs/v1/medication-information — YZK 薬剤情報
 * - POST /oqs/v1/checkup-information — TKK 特定健診情報
 *
 * Request: the XML document (application/xml, UTF-8 or Shift_JIS as it declares) or its JSON
 * mirror (application/json `{ "XmlMsg": … }`), with the headers x-onshi-terminal-user (URI-encoded)
 * and x-onshi-terminal-role (`viewer`).
 * Answer: the first of application/pdf, application/json, application/xml named in Accept; else
 * FileCategory 1 → PDF, 2 → XML; else the request's format. XML answers use the request's encoding
 * (UTF-8 for JSON requests). Errors come in the request's format (never as PDF): an XML result with
 * SegmentOfResult 9, ErrorCode, ErrorMessage and ResultCode 2, or `{ code, message, requestId }`.
 */
import {
  type CheckupInformationResult,
  type Clock,
  characterCodeFor,
  checkupInformationRequestSchema,
  checkupInformationResultSchema,
  encodeMessage,
  type MedicationInformationResult,
  type MessageSchema,
  medicationInformationRequestSchema,
  medicationInformationResultSchema,
  messageToJson,
  type XmlEncoding,
} from '@onshi/core';
import { terminalUserOf } from '../audit/audit.terminal-user.ts';
import type { OqsOperation } from '../http/openapi.ts';
import { type Format, oqsErrorReply, readOqsRequest, xmlReply } from '../http/oqs.routes.ts';
import { type HttpReply, type HttpRequest, jsonReply, type Route } from '../http/types.ts';
import type { Logger } from '../log.ts';
import { checkupPdf, medicationPdf } from './medinfo.pdf.ts';
import type { MedicalInfoService, MedicalInfoView, ViewOptions } from './medinfo.service.ts';

export const medinfoPaths = {
  medications: '/oqs/v1/medication-information',
  checkups: '/oqs/v1/checkup-information',
} as const;

/** The header carrying the terminal user's role; the terminal sets it from its own login. */
export const TERMINAL_ROLE_HEADER = 'x-onshi-terminal-role';

type AnswerFormat = Format | 'pdf';

/** The answer's format: Accept first, then FileCategory, then the request's own format. */
export function answerFormat(
  accept: string | undefined,
  fileCategory: '1' | '2' | undefined,
  requestFormat: Format,
): AnswerFormat {
  for (const part of (accept ?? '').split(',')) {
    const type = part.split(';', 1)[0]!.trim().toLowerCase();
    if (type === 'application/pdf') return 'pdf';
    if (type === 'application/json') return 'json';
    if (type === 'application/xml' || type === 'text/xml') return 'xml';
  }
  if (fileCategory === '1') return 'pdf';
  if (fileCategory === '2') return 'xml';
  return requestFormat;
}

function viewerOf(request: HttpRequest, encoding: XmlEncoding): ViewOptions {
  const role = request.headers[TERMINAL_ROLE_HEADER];
  return {
    viewer: { terminalUser: terminalUserOf(request), role: Array.isArray(role) ? role.join(',') : role },
    characterCode: characterCodeFor(encoding),
  };
}

interface Kind<Req, Res> {
  readonly path: string;
  readonly requestSchema: MessageSchema<Req>;
  readonly resultSchema: MessageSchema<Res>;
  readonly view: (request: Req, options: ViewOptions) => Promise<MedicalInfoView<Res>>;
  readonly pdf: (result: Res, createdAt: Date) => Uint8Array;
}

function route<Req, Res>(
  kind: Kind<Req, Res>,
  deps: { clock: Clock; logger: Logger; maxBodyBytes: number },
): Route {
  async function handler(request: HttpRequest): Promise<HttpReply> {
    const { message, format, encoding } = readOqsRequest(request, kind.requestSchema, deps.maxBodyBytes);
    const { result, fileCategory } = await kind.view(message, viewerOf(request, encoding));
    const answer = answerFormat(request.headers.accept, fileCategory, format);
    if (answer === 'pdf') {
      const body = kind.pdf(result, deps.clock.now());
      return { status: 200, headers: { 'content-type': 'application/pdf' }, body };
    }
    if (answer === 'json') return jsonReply(200, messageToJson(result));
    return xmlReply(200, encodeMessage(result, kind.resultSchema, { encoding }), encoding);
  }

  return {
    method: 'POST',
    path: kind.path,
    auth: 'institution',
    maxBodyBytes: deps.maxBodyBytes,
    handler,
    errorReply: oqsErrorReply({ ...deps, resultSchema: kind.resultSchema }, (message) => ({
      ResultCode: '2',
      MessageContents: message,
    })),
  };
}

export function medinfoRoutes(deps: {
  readonly service: MedicalInfoService;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
}): Route[] {
  const { service } = deps;
  return [
    route<Parameters<MedicalInfoService['medications']>[0], MedicationInformationResult>(
      {
        path: medinfoPaths.medications,
        requestSchema: medicationInformationRequestSchema,
        resultSchema: medicationInformationResultSchema,
        view: service.medications,
        pdf: medicationPdf,
      },
      deps,
    ),
    route<Parameters<MedicalInfoService['checkups']>[0], CheckupInformationResult>(
      {
        path: medinfoPaths.checkups,
        requestSchema: checkupInformationRequestSchema,
        resultSchema: checkupInformationResultSchema,
        view: service.checkups,
        pdf: checkupPdf,
      },
      deps,
    ),
  ];
}

const viewerHeaders = [
  {
    name: 'x-onshi-terminal-user',
    required: true,
    description: 'The terminal user viewing (URI-encoded, ≤ 128 characters); recorded in the audit trail.',
  },
  {
    name: TERMINAL_ROLE_HEADER,
    required: true,
    description:
      'The role of that user at the terminal; must be `viewer` (医療情報閲覧者). The terminal enforces the role at its login and vouches for it here; central checks it again (MEDINFO_ROLE_REQUIRED).',
  },
  {
    name: 'accept',
    required: false,
    description:
      'application/pdf, application/json or application/xml; without one of them FileCategory decides (1 PDF, 2 XML), else the request format.',
  },
] as const;

const gateDescription =
  'Answered only with a live consent of the category at this institution, or in disaster mode (DisasterUseReason; the person by card data or by DisasterPersonIdentifier from POST /oqs/v1/disaster-searches) under an open declaration for the institution. Every view is an audit record. Errors: MEDINFO_*, DISASTER_*, MSG_*.';

export const medinfoOperations: readonly OqsOperation[] = [
  {
    path: medinfoPaths.medications,
    summary: '薬剤情報の取得（YZK）',
    request: medicationInformationRequestSchema,
    result: medicationInformationResultSchema,
    description: `Medications from claims by month and institution, the last 3 years or StartDate–EndDate (yyyyMM). ${gateDescription}`,
    pdf: true,
    headers: viewerHeaders,
  },
  {
    path: medinfoPaths.checkups,
    summary: '特定健診情報の取得（TKK）',
    request: checkupInformationRequestSchema,
    result: checkupInformationResultSchema,
    description: `特定健診 examinations of the last 5 years, items with code, name, value, unit and reference range. ${gateDescription}`,
    pdf: true,
    headers: viewerHeaders,
  },
];
