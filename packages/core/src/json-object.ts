/** The JSON bodies of the non-OQS HTTP routes (central, reader, terminal): one JSON object. */
import { OnshiError } from './errors.ts';

/**
 * The text as a JSON object; empty text is `{}` (MSG_JSON_MALFORMED when it is not JSON,
 * MSG_FIELD_INVALID on `(body)` when it is JSON but not an object).
 */
export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw new OnshiError('MSG_JSON_MALFORMED', {}, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: '(body)',
      detail: 'JSON オブジェクトである必要があります',
    });
  }
  return value as Record<string, unknown>;
}
