/**
 * Typed reading of one JSON object of the insurer feed. Every reader throws `OnshiError` naming the
 * field: FEED_ROW_INVALID for shape problems, the domain code (DATE_INVALID, CODE_UNKNOWN,
 * INSURER_NUMBER_INVALID) for domain problems. Dates are accepted as 'YYYY-MM-DD' or 'yyyyMMdd'.
 */
import {
  assertCode,
  assertInsurerNumber,
  type CodeOf,
  type CodeTableId,
  fromWireDate,
  isLocalDate,
  type LocalDate,
  OnshiError,
} from '@onshi/core';

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field problem of one record; the report renders its message again with the line number. */
export class FieldError extends OnshiError {
  readonly field: string;

  constructor(field: string, cause: OnshiError) {
    super(cause.code, cause.params);
    this.field = field;
  }
}

function rowInvalid(field: string, detail: string): FieldError {
  return new FieldError(field, new OnshiError('FEED_ROW_INVALID', { detail: `${field}: ${detail}` }));
}

/** Reads fields of one object, with `prefix` naming nested objects in messages ('certificate.type'). */
export class Fields {
  private readonly object: JsonObject;
  private readonly prefix: string;

  constructor(object: JsonObject, prefix = '') {
    this.object = object;
    this.prefix = prefix;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.object, name);
  }

  name(field: string): string {
    return this.prefix + field;
  }

  /** Runs a domain check, attaching the field name to its OnshiError. */
  private domain<T>(field: string, check: () => T): T {
    try {
      return check();
    } catch (error) {
      if (error instanceof OnshiError && !(error instanceof FieldError))
        throw new FieldError(this.name(field), error);
      throw error;
    }
  }

  optionalText(field: string, max = 200): string | undefined {
    const value = this.object[field];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw rowInvalid(this.name(field), '文字列である必要があります');
    if (value.length > max) throw rowInvalid(this.name(field), `${max}文字以内である必要があります`);
    return value;
  }

  text(field: string, max = 200): string {
    const value = this.optionalText(field, max);
    if (value === undefined) throw rowInvalid(this.name(field), '必須です');
    return value;
  }

  /** A string field that may be present but empty ('' when absent). */
  textOrEmpty(field: string, max: number): string {
    return this.optionalText(field, max) ?? '';
  }

  matching(field: string, pattern: RegExp, description: string): string {
    const value = this.text(field);
    if (!pattern.test(value)) throw rowInvalid(this.name(field), description);
    return value;
  }

  optionalDate(field: string): LocalDate | undefined {
    const value = this.optionalText(field, 10);
    if (value === undefined) return undefined;
    const date = isLocalDate(value) ? value : fromWireDate(value);
    if (date === undefined) {
      throw new FieldError(this.name(field), new OnshiError('DATE_INVALID', { value }));
    }
    return date;
  }

  date(field: string): LocalDate {
    const value = this.optionalDate(field);
    if (value === undefined) throw rowInvalid(this.name(field), '必須です');
    return value;
  }

  code<T extends CodeTableId>(field: string, table: T): CodeOf<T> {
    const value = this.text(field, 10);
    return this.domain(field, () => assertCode(table, value));
  }

  oneOf<const T extends string>(field: string, allowed: readonly T[]): T {
    const value = this.text(field, 40);
    if (!(allowed as readonly string[]).includes(value)) {
      throw rowInvalid(this.name(field), `${allowed.join(' / ')} のいずれかである必要があります`);
    }
    return value as T;
  }

  insurerNumber(field: string): string {
    const value = this.text(field, 8);
    return this.domain(field, () => assertInsurerNumber(value));
  }

  integer(field: string, min: number, max: number): number {
    const value = this.object[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw rowInvalid(this.name(field), `${min}〜${max} の整数である必要があります`);
    }
    return value;
  }

  object_(field: string): Fields {
    const value = this.object[field];
    if (!isObject(value)) throw rowInvalid(this.name(field), 'オブジェクトである必要があります');
    return new Fields(value, `${this.name(field)}.`);
  }

  optionalArray(field: string): Fields[] {
    const value = this.object[field];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw rowInvalid(this.name(field), '配列である必要があります');
    return value.map((item, index) => {
      if (!isObject(item))
        throw rowInvalid(`${this.name(field)}[${index}]`, 'オブジェクトである必要があります');
      return new Fields(item, `${this.name(field)}[${index}].`);
    });
  }

  /** Fails when the object has a key outside `known` (typos must not be silently ignored). */
  onlyKnown(known: readonly string[]): void {
    for (const key of Object.keys(this.object)) {
      if (!known.includes(key)) throw rowInvalid(this.name(key), '未知の項目です');
    }
  }

  fail(field: string, detail: string): never {
    throw rowInvalid(this.name(field), detail);
  }
}
