/**
 * Calendar arithmetic on ISO dates ('YYYY-MM-DD') and conversion to and from the wire formats
 * (yyyyMMdd, yyyyMMddHHmmss). Pure: the current date is always a parameter.
 */
import type { LocalDate, LocalDateTime } from './domain.ts';

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const wireDate = /^(\d{4})(\d{2})(\d{2})$/;

/** True when `y-m-d` names a real day of the proleptic Gregorian calendar. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || year < 1) return false;
  return day <= daysInMonth(year, month);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** 'yyyyMMdd' → 'YYYY-MM-DD', or undefined when it is not a real date. */
export function fromWireDate(value: string): LocalDate | undefined {
  const m = wireDate.exec(value);
  if (!m) return undefined;
  if (!isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** 'YYYY-MM-DD' → 'yyyyMMdd'. */
export function toWireDate(date: LocalDate): string {
  return date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10);
}

/** 'YYYY-MM-DDTHH:mm:ss' → 'yyyyMMddHHmmss'. */
export function toWireDateTime(value: LocalDateTime): string {
  return (
    value.slice(0, 4) +
    value.slice(5, 7) +
    value.slice(8, 10) +
    value.slice(11, 13) +
    value.slice(14, 16) +
    value.slice(17, 19)
  );
}

/** 'yyyyMMddHHmmss' → 'YYYY-MM-DDTHH:mm:ss', or undefined when malformed. */
export function fromWireDateTime(value: string): LocalDateTime | undefined {
  if (!/^\d{14}$/.test(value)) return undefined;
  const date = fromWireDate(value.slice(0, 8));
  if (!date) return undefined;
  const h = Number(value.slice(8, 10));
  const mi = Number(value.slice(10, 12));
  const s = Number(value.slice(12, 14));
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return `${date}T${value.slice(8, 10)}:${value.slice(10, 12)}:${value.slice(12, 14)}`;
}

export function isLocalDate(value: string): boolean {
  const m = isoDate.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function parts(date: LocalDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export function formatDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Day number since 1970-01-01 (UTC arithmetic; no time zone involved). */
export function toEpochDay(date: LocalDate): number {
  const { year, month, day } = parts(date);
  return Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);
}

export function fromEpochDay(epochDay: number): LocalDate {
  const d = new Date(epochDay * 86_400_000);
  return formatDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Adds whole years; 29 February becomes 28 February in a common year. */
export function addYears(date: LocalDate, years: number): LocalDate {
  const { year, month, day } = parts(date);
  const y = year + years;
  return formatDate(y, month, Math.min(day, daysInMonth(y, month)));
}

/** Adds whole months, clamping the day to the month's length. */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const { year, month, day } = parts(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return formatDate(y, m, Math.min(day, daysInMonth(y, m)));
}

export function firstOfNextMonth(date: LocalDate): LocalDate {
  const { year, month } = parts(date);
  return month === 12 ? formatDate(year + 1, 1, 1) : formatDate(year, month + 1, 1);
}

/**
 * Age on `on` in completed years, by the civil rule (年齢計算ニ関スル法律): a person attains an age
 * at the end of the day before the birthday, so on the birthday itself the new age already holds.
 */
export function ageOn(birthdate: LocalDate, on: LocalDate): number {
  const b = parts(birthdate);
  const d = parts(on);
  let age = d.year - b.year;
  if (d.month < b.month || (d.month === b.month && d.day < b.day)) age -= 1;
  return age;
}

/** The day on which the person attains `age` by the civil rule: the day before the birthday. */
export function dayAttainingAge(birthdate: LocalDate, age: number): LocalDate {
  const { year, month, day } = parts(birthdate);
  // The anniversary of 29 February in a common year is 1 March; the age is attained the day before.
  const anniversary =
    month === 2 && day === 29 && daysInMonth(year + age, 2) === 28
      ? formatDate(year + age, 3, 1)
      : formatDate(year + age, month, day);
  return addDays(anniversary, -1);
}

const JST_OFFSET_MS = 9 * 3_600_000;

/** The JST wall-clock date-time of an instant: 'YYYY-MM-DDTHH:mm:ss'. */
export function jstDateTime(instant: Date): LocalDateTime {
  return new Date(instant.getTime() + JST_OFFSET_MS).toISOString().slice(0, 19);
}

/** The JST calendar date of an instant. */
export function jstDate(instant: Date): LocalDate {
  return jstDateTime(instant).slice(0, 10);
}
