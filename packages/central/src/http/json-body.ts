/** Small readers for the JSON bodies of the non-OQS routes: an object with known fields only. */
import { OnshiError, parseJsonObject } from '@onshi/core';

/**
 * The body as a JSON object whose keys are all in `allowed`; an empty body is `{}`
 * (MSG_JSON_MALFORMED, MSG_FIELD_INVALID).
 */
export function jsonObject(body: Buffer, allowed: readonly string[]): Record<string, unknown> {
  const value = parseJsonObject(body.toString('utf8'));
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined)
    throw new OnshiError('MSG_FIELD_INVALID', { field: unknown, detail: '未知の項目です' });
  return value;
}

export function optionalString(value: Record<string, unknown>, field: string): string | undefined {
  const text = value[field];
  if (text === undefined || text === null) return undefined;
  if (typeof text !== 'string')
    throw new OnshiError('MSG_FIELD_INVALID', { field, detail: '文字列である必要があります' });
  return text;
}

export function requiredString(value: Record<string, unknown>, field: string): string {
  const text = optionalString(value, field);
  if (text === undefined || text.trim() === '') throw new OnshiError('MSG_FIELD_REQUIRED', { field });
  return text;
}

export function stringList(value: Record<string, unknown>, field: string): string[] | undefined {
  const list = value[field];
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
    throw new OnshiError('MSG_FIELD_INVALID', { field, detail: '文字列の配列である必要があります' });
  }
  return list as string[];
}

/** An ISO 8601 instant with its offset. */
export function instant(value: Record<string, unknown>, field: string): Date {
  const text = requiredString(value, field);
  const at = new Date(text);
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(at.getTime())) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field,
      detail: 'ISO 8601 の日時（時差つき）である必要があります',
    });
  }
  return at;
}
