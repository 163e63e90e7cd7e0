/**
 * 一部負担金割合 (copay ratio) by age and income, and the age boundaries it depends on:
 * 未就学 (before school), 高齢受給者 (70–74) and 後期高齢者 (75+). Ages follow the civil rule
 * (dates.ts `dayAttainingAge`: an age is attained on the day before the birthday).
 */
import { addDays, dayAttainingAge, firstOfNextMonth, parts } from '../dates.ts';
import type { IncomeTier, InsurerKind, LocalDate } from '../domain.ts';

/** Percent borne by the patient. */
export type CopayPercent = 10 | 20 | 30;

/** 現役並み所得 tiers. */
export function isWorkingLevelIncome(tier: IncomeTier): boolean {
  return tier === 'high1' || tier === 'high2' || tier === 'high3';
}

/**
 * The last day of 未就学: the first 31 March on or after the day the child attains age 6
 * (6歳に達する日以後の最初の3月31日). A child born on 1 April attains 6 on 31 March and starts
 * school that April; one born on 2 April a year later.
 */
export function preschoolEnd(birthdate: LocalDate): LocalDate {
  const attained = dayAttainingAge(birthdate, 6);
  const { year, month } = parts(attained);
  return `${String(month <= 3 ? year : year + 1).padStart(4, '0')}-03-31`;
}

/** 未就学 on `on` (from birth to `preschoolEnd`). */
export function isPreschool(birthdate: LocalDate, on: LocalDate): boolean {
  return birthdate <= on && on <= preschoolEnd(birthdate);
}

/**
 * 高齢受給者 period: from the first day of the month after the day the person attains 70 (so the
 * birthday month itself for someone born on the 1st) to the day before the 75th birthday.
 */
export function elderlyRecipientPeriod(birthdate: LocalDate): { start: LocalDate; end: LocalDate } {
  return { start: firstOfNextMonth(dayAttainingAge(birthdate, 70)), end: dayAttainingAge(birthdate, 75) };
}

/** 後期高齢者 by age: from the 75th birthday itself. */
export function lateElderlyStart(birthdate: LocalDate): LocalDate {
  return addDays(dayAttainingAge(birthdate, 75), 1);
}

/** The age band that the copay and 限度額 rules distinguish. */
export type AgeBand = 'preschool' | 'working' | 'elderly' | 'lateElderly';

/**
 * Age band on `on`. Members of a 後期高齢者医療広域連合 ('kouki') are 'lateElderly' whatever their
 * age (65–74 with a recognised disability).
 */
export function ageBand(birthdate: LocalDate, on: LocalDate, insurerKind?: InsurerKind): AgeBand {
  if (insurerKind === 'kouki' || on >= lateElderlyStart(birthdate)) return 'lateElderly';
  if (on >= elderlyRecipientPeriod(birthdate).start) return 'elderly';
  if (isPreschool(birthdate, on)) return 'preschool';
  return 'working';
}

export interface CopayInput {
  readonly birthdate: LocalDate;
  readonly on: LocalDate;
  readonly incomeTier: IncomeTier;
  readonly insurerKind?: InsurerKind | undefined;
}

/**
 * 未就学 20; up to 69 30; 70–74 20 (現役並み 30); 後期高齢者 10 (一般Ⅱ 20, 現役並み 30).
 */
export function copayRatio({ birthdate, on, incomeTier, insurerKind }: CopayInput): CopayPercent {
  switch (ageBand(birthdate, on, insurerKind)) {
    case 'preschool':
      return 20;
    case 'working':
      return 30;
    case 'elderly':
      return isWorkingLevelIncome(incomeTier) ? 30 : 20;
    case 'lateElderly':
      if (isWorkingLevelIncome(incomeTier)) return 30;
      return incomeTier === 'general2' ? 20 : 10;
  }
}

/** Percent as the 3-digit wire form: 10 → '010'. */
export function formatRatio(percent: number): string {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`ratio must be an integer percent 0–100: ${percent}`);
  }
  return String(percent).padStart(3, '0');
}
