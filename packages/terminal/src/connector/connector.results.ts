/**
 * Result documents the connector writes: central's answer in the configured result encoding, and
 * the connector's own error results (SegmentOfResult 9 with ErrorCode and ErrorMessage).
 */
import {
  type Clock,
  characterCodeFor,
  decodeMessage,
  detectEncoding,
  encodeMessage,
  isOnshiError,
  jstDateTime,
  type MessageSchema,
  OnshiError,
  qualificationConfirmResultSchema,
  type ResultMessageHeader,
  referenceNumberRegistrationResultSchema,
  toWireDateTime,
  type XmlEncoding,
} from '@onshi/core';
import type { RequestKind } from './connector.names.ts';

type ResultMessage = { MessageHeader: ResultMessageHeader; MessageBody: object };

function resultSchemaFor(kind: RequestKind): MessageSchema<ResultMessage> {
  const schema =
    kind === 'referenceNumber' ? referenceNumberRegistrationResultSchema : qualificationConfirmResultSchema;
  return schema as unknown as MessageSchema<ResultMessage>;
}

/**
 * Central's answer as the bytes to write: as received when it is already in the result encoding
 * and says so, else decoded and re-encoded with `CharacterCodeIdentifier` set. Throws an
 * `OnshiError` (XML_*, MSG_*) when the answer is not a readable result document.
 */
export function resultInEncoding(answer: Uint8Array, kind: RequestKind, encoding: XmlEncoding): Uint8Array {
  const schema = resultSchemaFor(kind);
  const message = decodeMessage(answer, schema);
  const code = characterCodeFor(encoding);
  if (detectEncoding(answer) === encoding && message.MessageHeader.CharacterCodeIdentifier === code)
    return answer;
  const header = { ...message.MessageHeader, CharacterCodeIdentifier: code };
  return encodeMessage({ ...message, MessageHeader: header }, schema, { encoding });
}

export interface ErrorResultInput {
  readonly error: OnshiError;
  readonly kind: RequestKind;
  readonly request: Uint8Array | undefined;
  readonly encoding: XmlEncoding;
  readonly clock: Clock;
}

/** An error result echoing what can safely be read of the request (institution, file identifier). */
export function errorResult(input: ErrorResultInput): Uint8Array {
  const header: ResultMessageHeader = {
    ProcessExecutionTime: toWireDateTime(jstDateTime(input.clock.now())),
    ...echo('MedicalInstitutionCode', sniffElement(input.request, 'MedicalInstitutionCode')),
    ...echo('ArbitraryFileIdentifier', sniffElement(input.request, 'ArbitraryFileIdentifier')),
    SegmentOfResult: '9',
    ErrorCode: input.error.code,
    ErrorMessage: input.error.message,
    CharacterCodeIdentifier: characterCodeFor(input.encoding),
  };
  const message: ResultMessage = { MessageHeader: header, MessageBody: {} };
  const schema = resultSchemaFor(input.kind);
  try {
    return encodeMessage(message, schema, { encoding: input.encoding });
  } catch {
    // A message that cannot be written in the result encoding: keep the code, drop the text.
    return encodeMessage(
      { MessageHeader: { ...header, ErrorMessage: input.error.code }, MessageBody: {} },
      schema,
      {
        encoding: input.encoding,
      },
    );
  }
}

/** Any thrown value as a catalogue error (unexpected ones become SERVICE_INTERNAL). */
export function asOnshiError(error: unknown): OnshiError {
  if (isOnshiError(error)) return error;
  return new OnshiError('SERVICE_INTERNAL', { requestId: 'connector' }, { cause: error });
}

function echo<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** Best-effort read of an ASCII-only element from a request that may not parse. */
function sniffElement(body: Uint8Array | undefined, name: string): string | undefined {
  if (body === undefined) return undefined;
  const text = Buffer.from(body.buffer, body.byteOffset, Math.min(body.length, 64 * 1024)).toString('latin1');
  return new RegExp(`<${name}>([0-9A-Za-z+/=_-]{1,64})</${name}>`).exec(text)?.[1];
}
