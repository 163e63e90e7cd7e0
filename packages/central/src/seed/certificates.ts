/**
 * Certificates attached to current qualifications: 高齢受給者証 (everyone 70–74 outside 後期),
 * 限度額適用認定証 (4 % of those for whom one is issued, category by age and income tier per
 * OQSCD012) and 特定疾病療養受療証 (0.3 %, OQSCD013).
 */
import {
  addDays,
  addYears,
  dayAttainingAge,
  type ElderlyRecipientCertificate,
  elderlyRecipientPeriod,
  firstOfNextMonth,
  type IncomeTier,
  type InsurerKind,
  type LimitApplicationCertificate,
  type LocalDate,
  lateElderlyStart,
  limitCategory,
  type SpecificDiseaseCertificate,
} from '@onshi/core';
import { type CoverageContext, dayBetween, type MutableQualification, maxDate } from './coverage.ts';
import { lastAnniversary, nextAnniversary } from './household.ts';
import type { Resident } from './people.ts';

export interface Certificates {
  readonly elderly: ElderlyRecipientCertificate[];
  readonly limits: LimitApplicationCertificate[];
  readonly diseases: SpecificDiseaseCertificate[];
}

function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a < b ? a : b;
}

const HIGH: ReadonlySet<IncomeTier> = new Set(['high1', 'high2', 'high3']);

/** The end of validity implied by age: the month before 70 for A-categories, the day before 75. */
function ageLimit(r: Resident): LocalDate {
  if (r.age < 70) return addDays(firstOfNextMonth(dayAttainingAge(r.birthdate, 70)), -1);
  return r.age < 75 ? addDays(lateElderlyStart(r.birthdate), -1) : '9999-12-31';
}

function elderly(ctx: CoverageContext, r: Resident, q: MutableQualification): ElderlyRecipientCertificate {
  const from70 = elderlyRecipientPeriod(r.birthdate).start;
  const validStartDate = maxDate(maxDate(from70, lastAnniversary(ctx.asOf, 8, 1)), q.qualificationDate);
  return {
    qualificationId: q.qualificationId,
    issuanceDate: maxDate(q.qualificationDate, addDays(validStartDate, -14)),
    validStartDate,
    validEndDate: minDate(nextAnniversary(ctx.asOf, 7, 31), ageLimit(r)),
    contributionRatio: HIGH.has(q.incomeTier) ? 30 : 20,
  };
}

function limit(
  ctx: CoverageContext,
  r: Resident,
  q: MutableQualification,
  insurerKind: InsurerKind | undefined,
): LimitApplicationCertificate | undefined {
  const { category, classification } = limitCategory({
    birthdate: r.birthdate,
    on: ctx.asOf,
    incomeTier: q.incomeTier,
    insurerKind,
  });
  // 現役並みⅢ and 一般 from 70 on need no certificate: the card or 高齢受給者証 shows the category.
  if (classification === undefined) return undefined;
  const validStartDate = maxDate(lastAnniversary(ctx.asOf, 8, 1), q.qualificationDate);
  const longTerm =
    (category === 'A05' || category === 'B05') && validStartDate < ctx.asOf && ctx.random.chance(0.15)
      ? firstOfNextMonth(dayBetween(ctx.random, validStartDate, ctx.asOf))
      : undefined;
  return {
    qualificationId: q.qualificationId,
    classification,
    category,
    issuanceDate: validStartDate,
    validStartDate,
    validEndDate: minDate(nextAnniversary(ctx.asOf, 7, 31), ageLimit(r)),
    longTermDate: longTerm,
  };
}

function disease(ctx: CoverageContext, r: Resident, q: MutableQualification): SpecificDiseaseCertificate {
  const x = ctx.random.next();
  const diseaseCategory = r.age < 20 || (x >= 0.95 && x < 0.99) ? '2' : x >= 0.99 ? '3' : '1';
  const validStartDate = maxDate(
    q.qualificationDate,
    dayBetween(ctx.random, addYears(ctx.asOf, -10), ctx.asOf),
  );
  const high = q.incomeTier === 'high2' || q.incomeTier === 'high3';
  return {
    qualificationId: q.qualificationId,
    diseaseCategory,
    issuanceDate: validStartDate,
    validStartDate,
    selfPay: diseaseCategory === '1' && r.age < 70 && high ? 20_000 : 10_000,
  };
}

export function householdCertificates(
  ctx: CoverageContext,
  residents: readonly Resident[],
  current: readonly (MutableQualification | undefined)[],
): Certificates {
  const out: Certificates = { elderly: [], limits: [], diseases: [] };
  residents.forEach((r, i) => {
    const q = current[i];
    if (q === undefined || q.disqualificationDate !== undefined) return;
    if (r.age >= 70 && r.age < 75) out.elderly.push(elderly(ctx, r, q));
    if (ctx.random.chance(0.04)) {
      const certificate = limit(ctx, r, q, r.age >= 75 ? 'kouki' : undefined);
      if (certificate !== undefined) out.limits.push(certificate);
    }
    if (ctx.random.chance(0.003)) out.diseases.push(disease(ctx, r, q));
  });
  return out;
}
