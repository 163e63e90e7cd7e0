/**
 * Covers one household: picks its insurance scheme, opens its cards and enrols its members, with
 * job changes, the move to 後期高齢者医療 at 75, deaths and other losses (see coverage.ts for the
 * building blocks and docs/synthetic-population.md for the rates).
 */
import {
  addDays,
  addMonths,
  addYears,
  formatDate,
  type IncomeTier,
  type LocalDate,
  lateElderlyStart,
  parts,
} from '@onshi/core';
import {
  type Card,
  type Coverage,
  type CoverageContext,
  chooseScheme,
  dayBetween,
  drawTier,
  employeeInsurer,
  end,
  enrol,
  KOUKI_START,
  type MutableQualification,
  mainInsurer,
  mainStart,
  maxDate,
  openCard,
  type Scheme,
} from './coverage.ts';
import type { HouseholdPeople, Resident } from './people.ts';

/** The latest `month`/`day` on or before `asOf`. */
export function lastAnniversary(asOf: LocalDate, month: number, day: number): LocalDate {
  const candidate = formatDate(parts(asOf).year, month, day);
  return candidate <= asOf ? candidate : formatDate(parts(asOf).year - 1, month, day);
}

/** The first `month`/`day` on or after `asOf`. */
export function nextAnniversary(asOf: LocalDate, month: number, day: number): LocalDate {
  const candidate = formatDate(parts(asOf).year, month, day);
  return candidate >= asOf ? candidate : formatDate(parts(asOf).year + 1, month, day);
}

/** Yearly probability of death by age band from 75 (rounded life-table figures). */
function deathRate(age: number): number {
  if (age < 80) return 0.025;
  if (age < 85) return 0.045;
  if (age < 90) return 0.09;
  return age < 95 ? 0.17 : 0.3;
}

interface JobChange {
  readonly card: Card;
  readonly start: LocalDate;
  readonly date: LocalDate;
}

/** 10 % of employed heads under 65 changed job in the last five years. */
function jobChange(ctx: CoverageContext, people: HouseholdPeople, main: Card): JobChange | undefined {
  const { random, asOf } = ctx;
  const head = people.residents[0]!;
  if (!random.chance(0.1)) return undefined;
  const date = dayBetween(random, addYears(asOf, -5), asOf);
  const start = maxDate(addYears(head.birthdate, 18), addYears(date, -random.range(1, 15)));
  if (start >= date) return undefined;
  let insurer = random.chance(0.2)
    ? ctx.catalogue.kokuho[people.prefectureIndex]![people.municipalityIndex]!
    : employeeInsurer(ctx, people.prefectureIndex);
  if (insurer === main.insurer) insurer = ctx.catalogue.kyokai[people.prefectureIndex === 12 ? 0 : 12]!;
  return { card: openCard(ctx, insurer, head.name), start, date };
}

/**
 * A person of 75 or more: the pre-75 qualification when it ended within 10 years, then an own 後期
 * card. The 後期 qualification is last in the returned list.
 */
function coverElderly(
  ctx: CoverageContext,
  people: HouseholdPeople,
  r: Resident,
  personId: number,
  main: { card: Card; start: LocalDate; scheme: Scheme; tier: IncomeTier },
): MutableQualification[] {
  const { random, asOf, catalogue } = ctx;
  const koukiStart = lateElderlyStart(r.birthdate);
  const out: MutableQualification[] = [];
  if (koukiStart > KOUKI_START && koukiStart >= addYears(asOf, -10)) {
    let oldStart = addYears(koukiStart, -random.range(1, 10));
    if (main.scheme !== 'elderly' && main.scheme !== 'kokuho') oldStart = maxDate(oldStart, main.start);
    if (oldStart < koukiStart) {
      const old = enrol(ctx, main.card, personId, r.role === 'head' ? '1' : '2', oldStart, main.tier);
      end(old, koukiStart, '03');
      out.push(old);
    }
  }
  const card = openCard(ctx, catalogue.kouki[people.prefectureIndex]!, r.name);
  const q = enrol(ctx, card, personId, '1', maxDate(koukiStart, KOUKI_START), drawTier(random, r.age));
  out.push(q);
  if (random.chance(deathRate(r.age))) {
    const death = dayBetween(random, addDays(asOf, -365), asOf);
    if (death > q.qualificationDate) end(q, addDays(death, 1), '01');
  }
  return out;
}

/** Yearly card renewal: 後期 cards run August–July, 国保 cards October–September. */
function renew(ctx: CoverageContext, q: MutableQualification, kind: 'kouki' | 'kokuho'): void {
  if (q.disqualificationDate !== undefined) return;
  const [m, d, em, ed] = kind === 'kouki' ? [8, 1, 7, 31] : [10, 1, 9, 30];
  const from = maxDate(q.qualificationDate, lastAnniversary(ctx.asOf, m, d));
  q.cardIssuanceDate = from;
  q.cardValidDate = from;
  q.cardExpirationDate = nextAnniversary(ctx.asOf, em, ed);
}

/** 国保 households: 1 % short-term cards; 0.7 % lost coverage (生活保護 or other reasons). */
function kokuhoEvents(ctx: CoverageContext, onMain: MutableQualification[]): void {
  const { random, asOf } = ctx;
  if (random.chance(0.01)) {
    for (const q of onMain) {
      q.cardClassification = '03';
      q.cardExpirationDate = addDays(addMonths(lastAnniversary(asOf, parts(asOf).month, 1), 4), -1);
    }
  }
  if (random.chance(0.007)) {
    const reason = random.chance(0.43) ? '02' : '99';
    const date = dayBetween(random, addYears(asOf, -2), asOf);
    if (onMain.every((q) => q.qualificationDate < date)) for (const q of onMain) end(q, date, reason);
  }
}

export function coverHousehold(ctx: CoverageContext, people: HouseholdPeople, personIds: number[]): Coverage {
  const { random } = ctx;
  const residents = people.residents;
  const head = residents[0]!;
  const scheme = chooseScheme(random, head.age);
  const youngest = residents.reduce((a, r) => Math.min(a, r.age), head.age);
  const tier = drawTier(random, Math.min(scheme === 'elderly' ? youngest : head.age, 74));
  const card = openCard(ctx, mainInsurer(ctx, scheme, people), head.name);
  const change = scheme === 'employee' && head.age < 65 ? jobChange(ctx, people, card) : undefined;
  const start = change?.date ?? mainStart(ctx, head);
  const main = { card, start, scheme, tier };
  const qualifications: MutableQualification[] = [];
  const current: (MutableQualification | undefined)[] = [];
  const onMain: MutableQualification[] = [];
  residents.forEach((r, i) => {
    const personId = personIds[i]!;
    if (r.age >= 75) {
      const qs = coverElderly(ctx, people, r, personId, main);
      const kouki = qs[qs.length - 1]!;
      renew(ctx, kouki, 'kouki');
      qualifications.push(...qs);
      current.push(kouki);
      return;
    }
    if (r.role === 'spouse' && scheme === 'employee' && random.chance(0.3)) {
      const own = openCard(ctx, employeeInsurer(ctx, people.prefectureIndex), r.name);
      const q = enrol(ctx, own, personId, '1', mainStart(ctx, r), drawTier(random, r.age));
      qualifications.push(q);
      current.push(q);
      return;
    }
    const personal = r.role === 'head' ? '1' : '2';
    const q = enrol(ctx, card, personId, personal, maxDate(start, r.birthdate), tier);
    if (change !== undefined && r.birthdate < change.date) {
      const old = enrol(ctx, change.card, personId, personal, maxDate(change.start, r.birthdate), tier);
      end(old, change.date, '03');
      qualifications.push(old);
    }
    qualifications.push(q);
    current.push(q);
    onMain.push(q);
  });
  if (card.insurer.kind === 'kokuho') {
    kokuhoEvents(ctx, onMain);
    for (const q of onMain) if (q.cardClassification === '01') renew(ctx, q, 'kokuho');
  }
  return { qualifications, current };
}
