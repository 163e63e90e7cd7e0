/**
 * Result documents the connector writes: central's answer in the configured result encoding (the
 * single interfaces and YZK/TKK XML), central's answer as it came (batch results, PDF) after a
 * check that it is a complete document, and the connector's own error results (SegmentOfResult 9
 * with ErrorCode and ErrorMessage; ResultCode 2 and MessageContents for YZK/TKK).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import {
  bulkQualificationConfirmResultSchema,
  bulkQualificationConfirmUploadResultSchema,
  bulkReferenceNumberRegistrationResultSchema,
  bulkReferenceNumberRegistrationUploadResultSchema,
  type Clock,
  characterCodeFor,
  checkupInformationResultSchema,
  decodeMessage,
  detectEncoding,
  encodeMessage,
  isOnshiError,
  jstDateTime,
  type MessageSchema,
  medicationInformationResultSchema,
  OnshiError,
  qualificationConfirmResultSchema,
  type ResultMessageHeader,
  referenceNumberRegistrationResultSchema,
  toWireDateTime,
  type XmlEncoding,
} from '@onshi/core';
import { isMedinfoKind, type RequestKind } from './connector.names.ts';

type ResultMessage = { MessageHeader: ResultMessageHeader; MessageBody: object };

const resultSchemas: Partial<Record<RequestKind, MessageSchema<unknown>>> = {
  referenceNumber: referenceNumberRegistrationResultSchema as MessageSchema<unknown>,
  bulkQualification: bulkQualificationConfirmUploadResultSchema as MessageSchema<unknown>,
  bulkQualificationResult: bulkQualificationConfirmResultSchema as MessageSchema<unknown>,
  bulkReferenceNumber: bulkReferenceNumberRegistrationUploadResultSchema as MessageSchema<unknown>,
  bulkReferenceNumberResult: bulkReferenceNumberRegistrationResultSchema as MessageSchema<unknown>,
  medications: medicationInformationResultSchema as MessageSchema<unknown>,
  checkups: checkupInformationResultSchema as MessageSchema<unknown>,
};

/** The result schema of a kind (OQS-IF-002 for names outside the known interfaces). */
function resultSchemaFor(kind: RequestKind): MessageSchema<ResultMessage> {
  return (resultSchemas[kind] ?? qualificationConfirmResultSchema) as unknown as MessageSchema<ResultMessage>;
}

/** Central's answer read as the kind's result document (throws XML_* / MSG_* when it is not one); unchanged. */
export function checkedResult(answer: Uint8Array, kind: RequestKind): Uint8Array {
  decodeMessage(answer, resultSchemaFor(kind));
  return answer;
}

/** A PDF answer: starts with `%PDF-` and ends with `%%EOF` (a cut body does not). */
export function checkedPdf(answer: Uint8Array): Uint8Array {
  if (!looksComplete(head(answer), tail(answer), 'pdf')) throw notComplete('pdf');
  return answer;
}

/**
 * A large answer streamed into a file, checked without reading it whole: an XML result document
 * (`<XmlMsg`… `</XmlMsg>` with a SegmentOfResult near the start) or a PDF (`%PDF-`… `%%EOF`).
 */
export function checkSpooled(path: string, size: number, form: 'xml' | 'pdf'): void {
  const fd = openSync(path, 'r');
  try {
    const first = Buffer.alloc(Math.min(size, 64 * 1024));
    readSync(fd, first, 0, first.length, 0);
    const last = Buffer.alloc(Math.min(size, 4096));
    readSync(fd, last, 0, last.length, size - last.length);
    if (!looksComplete(first, last, form)) throw notComplete(form);
  } finally {
    closeSync(fd);
  }
}

const head = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 64 * 1024));
const tail = (bytes: Uint8Array) =>
  Buffer.from(
    bytes.buffer,
    bytes.byteOffset + Math.max(0, bytes.length - 4096),
    Math.min(bytes.length, 4096),
  );

function looksComplete(first: Buffer, last: Buffer, form: 'xml' | 'pdf'): boolean {
  const start = first.toString('latin1');
  const end = last.toString('latin1').trimEnd();
  if (form === 'pdf') return start.startsWith('%PDF-') && end.endsWith('%%EOF');
  return start.includes('<XmlMsg') && start.includes('<SegmentOfResult>') && end.endsWith('</XmlMsg>');
}

function notComplete(form: 'xml' | 'pdf'): Error {
  return new Error(form === 'pdf' ? 'not a complete PDF' : 'not a complete result document');
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
  // YZK/TKK results say it in their body too (§2.7: ResultCode, MessageContents), as central does.
  const body = (text: string) =>
    isMedinfoKind(input.kind) ? { ResultCode: '2', MessageContents: text } : {};
  const message: ResultMessage = { MessageHeader: header, MessageBody: body(input.error.message) };
  const schema = resultSchemaFor(input.kind);
  try {
    return encodeMessage(message, schema, { encoding: input.encoding });
  } catch {
    // A message that cannot be written in the result encoding: keep the code, drop the text.
    return encodeMessage(
      { MessageHeader: { ...header, ErrorMessage: input.error.code }, MessageBody: body(input.error.code) },
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
