/** Small readers for the JSON bodies of the non-OQS routes: an object with known fields only. */
import { OnshiError } from '@onshi/core';

/** The body as a JSON object whose keys are all in `allowed` (MSG_JSON_MALFORMED, MSG_FIELD_INVALID). */
export function jsonObject(body: Buffer, allowed: readonly string[]): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.length === 0 ? '{}' : body.toString('utf8'));
  } catch (error) {
    throw new OnshiError('MSG_JSON_MALFORMED', {}, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: '(body)',
      detail: 'JSON オブジェクトである必要があります',
    });
  }
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined)
    throw new OnshiError('MSG_FIELD_INVALID', { field: unknown, detail: '未知の項目です' });
  return value as Record<string, unknown>;
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
