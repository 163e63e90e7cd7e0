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
    handler: async (request) => {
      const { message, format, encoding } = readOqsRequest(
        request,
        options.requestSchema,
        options.maxBodyBytes,
      );
      const result = await options.answer(message, characterCodeFor(encoding), request);
      return format === 'xml'
        ? xmlReply(200, encodeMessage(result, options.resultSchema, { encoding }), encoding)
        : jsonReply(200, messageToJson(result));
    },
    errorReply: oqsErrorReply(options),
  };
}

/**
 * The request's OQS message, read in the format its Content-Type names (XML in the encoding it
 * declares, or the JSON mirror; `encoding` is UTF-8 for JSON) and checked against the certified
 * institution.
 */
export function readOqsRequest<Req>(
  request: HttpRequest,
  schema: MessageSchema<Req>,
  maxBodyBytes: number,
): { message: Req; format: Format; encoding: XmlEncoding } {
  const format = formatOf(request.headers);
  let message: Req;
  let encoding: XmlEncoding = 'utf-8';
  if (format === 'xml') {
    encoding = detectEncoding(request.body);
    message = decodeMessage(request.body, schema, { maxBytes: maxBodyBytes });
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.body.toString('utf8'));
    } catch (error) {
      throw new OnshiError('MSG_JSON_MALFORMED', {}, { cause: error });
    }
    message = messageFromJson(parsed, schema);
  }
  assertSameInstitution(message, request);
  return { message, format, encoding };
}

/**
 * The `errorReply` of an OQS route: JSON `{ code, message, requestId }`, or an XML result with
 * SegmentOfResult 9 (and `messageBody(message)` as its MessageBody, empty by default).
 */
export function oqsErrorReply<Res>(
  options: { readonly resultSchema: MessageSchema<Res>; readonly clock: Clock; readonly logger: Logger },
  messageBody: (message: string) => object = () => ({}),
): NonNullable<Route['errorReply']> {
  return (error, context) => {
    const { status, body } = errorBody(error, context.requestId, options.logger);
    if (formatOrJson(context.headers) === 'json') return jsonReply(status, body);
    const encoding = encodingOrUtf8(context.body);
    const header = errorHeader(body.code, body.message, options.clock, encoding, context.body);
    const errorResult = { MessageHeader: header, MessageBody: messageBody(body.message) } as unknown as Res;
    return xmlReply(status, encodeMessage(errorResult, options.resultSchema, { encoding }), encoding);
  };
}

/** The format errors are answered in: the request's, or JSON when it named neither. */
function formatOrJson(headers: HttpRequest['headers']): Format {
  try {
    return formatOf(headers);
  } catch {
    return 'json';
  }
}

/** The encoding an error answer uses: the request's declared one when it is readable, else UTF-8. */
function encodingOrUtf8(body: Buffer | undefined): XmlEncoding {
  if (body === undefined) return 'utf-8';
  try {
    return detectEncoding(body);
  } catch {
    return 'utf-8';
  }
}

/** The message must speak for the institution that the client certificate names. */
function assertSameInstitution(message: unknown, request: HttpRequest): void {
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
function errorHeader(
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
