/** Field checks of the claims parser: each returns the parsed value or undefined when invalid. */
import { daysInMonth, fromWireDate, type LocalDate, validateInstitutionCode } from '@onshi/core';

/** 'YYYYMM' → 'YYYY-MM'. */
export function yearMonth(value: string): string | undefined {
  const m = /^(\d{4})(\d{2})$/.exec(value);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[1]) < 1900) return undefined;
  return `${m[1]}-${m[2]}`;
}

/** 'YYYYMMDD' → 'YYYY-MM-DD'. */
export function wireDate(value: string): LocalDate | undefined {
  return fromWireDate(value);
}

/** A positive integer of at most 5 digits. */
export function positiveCount(value: string): number | undefined {
  return /^\d{1,5}$/.test(value) && Number(value) > 0 ? Number(value) : undefined;
}

/** A decimal quantity as written ('3', '1.5'); kept as text. */
export function decimalQuantity(value: string): string | undefined {
  return /^\d{1,5}(\.\d{1,5})?$/.test(value) && Number(value) > 0 ? value : undefined;
}

/** レセ電 医薬品コード: 9 digits. */
export function drugCode(value: string): string | undefined {
  return /^\d{9}$/.test(value) ? value : undefined;
}

/** The 10-digit 医療機関コード from the record's 都道府県, 点数表 and 7-digit code; undefined when invalid. */
export function institutionCode(prefecture: string, table: string, code: string): string | undefined {
  const value = `${prefecture}${table}${code}`;
  return validateInstitutionCode(value).ok && code.length === 7 ? value : undefined;
}

/** The day of `month` ('YYYY-MM') numbered `day`, or undefined past the month's end. */
export function dayOf(month: string, day: number): LocalDate | undefined {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  return day <= daysInMonth(year, mm) ? `${month}-${String(day).padStart(2, '0')}` : undefined;
}

/**
 * The 算定日 fields (1日…31日) starting at `first`: each empty or a count. Returns the days with a
 * count, or the 1-based day whose field is not a count.
 */
export function dayCounts(fields: readonly string[], first: number): Map<number, number> | number {
  const days = new Map<number, number>();
  for (let day = 1; day <= 31; day++) {
    const value = fields[first + day - 1] ?? '';
    if (value === '') continue;
    const count = positiveCount(value);
    if (count === undefined) return day;
    days.set(day, count);
  }
  return days;
}
