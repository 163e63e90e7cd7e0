/**
 * Routes for OQS messages. One helper serves each interface in both forms:
 * - `Content-Type: application/xml` (or text/xml): the OQS document itself, UTF-8 or Shift_JIS as its
 *   declaration says; the answer comes in the same encoding with `CharacterCodeIdentifier` set.
 *   Errors come back as an OQS result with `SegmentOfResult` 9, `ErrorCode` and `ErrorMessage`.
 * - `Content-Type: application/json`: `{ "XmlMsg": … }` mirroring the element names; errors use the
 *   service-wide `{ code, message, requestId }` shape.
 */
import {
  type Clock,
  characterCodeFor,
  decodeMessage,
  detectEncoding,
  encodeMessage,
  jstDateTime,
  type MessageSchema,
  messageFromJson,
  messageToJson,
  OnshiError,
  type ResultMessageHeader,
  toWireDateTime,
  type XmlEncoding,
} from '@onshi/core';
import type { Logger } from '../log.ts';
import { errorBody } from './server.ts';
import { type HttpReply, type HttpRequest, jsonReply, type Route } from './types.ts';

interface OqsRouteOptions<Req, Res> {
  readonly path: string;
  readonly requestSchema: MessageSchema<Req>;
  readonly resultSchema: MessageSchema<Res>;
  readonly maxBodyBytes: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Answers one parsed request; `characterCode` is the OQSCD005 of the answer's encoding; `http` is
   * the HTTP request (the institution, the terminal-user header).
   */
  readonly answer: (request: Req, characterCode: '0' | '1', http: HttpRequest) => Promise<Res>;
}

export type Format = 'xml' | 'json';

export function formatOf(headers: HttpRequest['headers']): Format {
  const type = (headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type === 'application/xml' || type === 'text/xml') return 'xml';
  if (type === 'application/json') return 'json';
  throw new OnshiError('HTTP_UNSUPPORTED_MEDIA_TYPE', { type: type || '(none)' });
}

export function oqsRoute<Req, Res>(options: OqsRouteOptions<Req, Res>): Route {
  return {
    method: 'POST',
    path: options.path,
    auth: 'institution',
    maxBodyBytes: options.maxBodyBytes,
    handler: (request) =>
      formatOf(request.headers) === 'xml' ? answerXml(options, request) : answerJson(options, request),
    errorReply: (error, context) => {
      const { status, body } = errorBody(error, context.requestId, options.logger);
      if (formatOrJson(context.headers) === 'json') return jsonReply(status, body);
      const encoding = encodingOrUtf8(context.body);
      const header = errorHeader(body.code, body.message, options.clock, encoding, context.body);
      const errorResult = { MessageHeader: header, MessageBody: {} } as unknown as Res;
      return xmlReply(status, encodeMessage(errorResult, options.resultSchema, { encoding }), encoding);
    },
  };
}

async function answerXml<Req, Res>(
  options: OqsRouteOptions<Req, Res>,
  request: HttpRequest,
): Promise<HttpReply> {
  const encoding = detectEncoding(request.body);
  const message = decodeMessage(request.body, options.requestSchema, { maxBytes: options.maxBodyBytes });
  assertSameInstitution(message, request);
  const result = await options.answer(message, characterCodeFor(encoding), request);
  return xmlReply(200, encodeMessage(result, options.resultSchema, { encoding }), encoding);
}

async function answerJson<Req, Res>(
  options: OqsRouteOptions<Req, Res>,
  request: HttpRequest,
): Promise<HttpReply> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString('utf8'));
  } catch (error) {
    throw new OnshiError('MSG_JSON_MALFORMED', {}, { cause: error });
  }
  const message = messageFromJson(parsed, options.requestSchema);
  assertSameInstitution(message, request);
  const result = await options.answer(message, characterCodeFor('utf-8'), request);
  return jsonReply(200, messageToJson(result));
}

/** The format errors are answered in: the request's, or JSON when it named neither. */
export function formatOrJson(headers: HttpRequest['headers']): Format {
  try {
    return formatOf(headers);
  } catch {
    return 'json';
  }
}

/** The encoding an error answer uses: the request's declared one when it is readable, else UTF-8. */
export function encodingOrUtf8(body: Buffer | undefined): XmlEncoding {
  if (body === undefined) return 'utf-8';
  try {
    return detectEncoding(body);
  } catch {
    return 'utf-8';
  }
}

/** The message must speak for the institution that the client certificate names. */
export function assertSameInstitution(message: unknown, request: HttpRequest): void {
  const given = (message as { MessageHeader?: { MedicalInstitutionCode?: string } }).MessageHeader
    ?.MedicalInstitutionCode;
  const certified = request.institution?.code;
  if (certified === undefined) throw new OnshiError('PKI_CERT_MISSING');
  if (given !== undefined && given !== certified) {
    throw new OnshiError('AUTH_INSTITUTION_MISMATCH', { given, certified });
  }
}

export function xmlReply(status: number, body: Uint8Array, encoding: XmlEncoding): HttpReply {
  const charset = encoding === 'shift_jis' ? 'Shift_JIS' : 'UTF-8';
  return { status, headers: { 'content-type': `application/xml; charset=${charset}` }, body };
}

/** The header of an error result; echoes what could be read of the request, nothing more. */
export function errorHeader(
  code: string,
  message: string,
  clock: Clock,
  encoding: XmlEncoding,
  body: Buffer | undefined,
): ResultMessageHeader {
  return {
    ProcessExecutionTime: toWireDateTime(jstDateTime(clock.now())),
    ...optional('MedicalInstitutionCode', sniffElement(body, 'MedicalInstitutionCode')),
    ...optional('ArbitraryFileIdentifier', sniffElement(body, 'ArbitraryFileIdentifier')),
    SegmentOfResult: '9',
    ErrorCode: code,
    ErrorMessage: message,
    CharacterCodeIdentifier: characterCodeFor(encoding),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** Best-effort read of an ASCII-only element from a request that did not parse (for the echo). */
function sniffElement(body: Buffer | undefined, name: string): string | undefined {
  if (body === undefined) return undefined;
  const text = body.subarray(0, 64 * 1024).toString('latin1');
  const match = new RegExp(`<${name}>([0-9A-Za-z+/=_-]{1,64})</${name}>`).exec(text);
  return match?.[1];
}
