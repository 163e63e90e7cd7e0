/**
 * The message codec's entry points: bytes or text in, a typed message out, and back.
 *
 * ```ts
 * const request = decodeMessage(bytes, qualificationConfirmRequestSchema);   // any order, UTF-8 or Shift_JIS
 * const bytes = encodeMessage(result, qualificationConfirmResultSchema, { encoding: 'shift_jis' });
 * ```
 *
 * Every failure is an `OnshiError` with a code from the catalogue (XML_*, MSG_*); nothing else is
 * thrown and nothing is half-returned.
 */
import { OnshiError } from '../errors.ts';
import {
  characterCodeFor,
  declaredEncodingName,
  decodeBytes,
  detectEncoding,
  type XmlEncoding,
} from './encoding.ts';
import { readDocument } from './reader.ts';
import type { MessageSchema } from './schema.ts';
import { writeDocument } from './writer.ts';

export interface DecodeOptions {
  /** Largest accepted input, in bytes (for a string: UTF-16 code units). Default 1 MiB. */
  readonly maxBytes?: number;
  /** Deepest element nesting accepted, root = 1. Default 32. */
  readonly maxDepth?: number;
}

export interface EncodeOptions {
  readonly encoding: XmlEncoding;
}

export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 32;

/**
 * Parses an OQS XML document against a schema. Bytes are decoded as the document declares
 * (UTF-8 by default; Shift_JIS read as CP932); a string is taken as already decoded.
 */
export function decodeMessage<T>(
  input: Uint8Array | string,
  schema: MessageSchema<T>,
  options?: DecodeOptions,
): T {
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_BYTES;
  if (input.length > maxBytes) throw new OnshiError('XML_INPUT_TOO_LARGE', { limit: maxBytes });
  const text = typeof input === 'string' ? input : decodeBytes(input, detectEncoding(input));
  return readDocument(text, schema.root, options?.maxDepth ?? DEFAULT_MAX_DEPTH) as T;
}

/**
 * Writes a message as an XML document in the given encoding, with the declaration
 * `<?xml version="1.0" encoding="UTF-8|Shift_JIS" standalone="no"?>`. A
 * `MessageHeader/CharacterCodeIdentifier` that contradicts the encoding is refused (the caller
 * fills it, see `characterCodeFor`).
 */
export function encodeMessage<T>(message: T, schema: MessageSchema<T>, options: EncodeOptions): Uint8Array {
  checkCharacterCode(message, options.encoding);
  return writeDocument(message, schema.root, options.encoding);
}

/** The document `encodeMessage` writes, as text (for logs and tests). */
export function messageToXml<T>(message: T, schema: MessageSchema<T>, options: EncodeOptions): string {
  return decodeBytes(encodeMessage(message, schema, options), options.encoding);
}

function checkCharacterCode(message: unknown, encoding: XmlEncoding): void {
  const header = (message as { MessageHeader?: { CharacterCodeIdentifier?: unknown } } | null)?.MessageHeader;
  const code = header?.CharacterCodeIdentifier;
  if (code !== undefined && code !== characterCodeFor(encoding)) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: 'MessageHeader/CharacterCodeIdentifier',
      detail: `${String(code)} does not match the output encoding ${declaredEncodingName[encoding]}`,
    });
  }
}
