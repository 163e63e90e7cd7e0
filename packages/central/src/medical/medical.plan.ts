/**
 * What happens to one synthetic person medically: chronic conditions that grow with age, their
 * regular prescriptions (every 28 days, from the home clinic, dispensed at the home pharmacy — or
 * given by the clinic itself), acute episodes, and yearly 特定健診 between 40 and 74. Every event
 * is dated on a day the person is insured, and carries that day's card. Pure and deterministic: a
 * person's plan depends only on the seed, the person and `asOf`, not on who else is generated.
 */
import { addDays, addYears, ageOn, fromEpochDay, type LocalDate, toEpochDay } from '@onshi/core';
import { hash32, Random } from '../seed/prng.ts';
import { type Condition, drugsFor, type SyntheticDrug } from './drugs.ts';

export interface CoveragePeriod {
  readonly insurerNumber: string;
  readonly cardSymbol: string;
  readonly cardNumber: string;
  readonly branchNumber: string;
  readonly from: LocalDate;
  /** First day no longer covered (the loss date), or null while current. */
  readonly until: LocalDate | null;
}

export interface MedicalPerson {
  readonly personId: number;
  readonly name: string;
  readonly nameKana: string;
  readonly sex: '1' | '2' | '3';
  readonly birthdate: LocalDate;
  /** 都道府県番号 of the address ('13'); the home clinic and pharmacy are there. */
  readonly prefectureCode: string;
  readonly coverage: readonly CoveragePeriod[];
}

export interface MedicationEvent {
  readonly date: LocalDate;
  readonly card: CoveragePeriod;
  /** 院外処方 (dispensed by the pharmacy) or 院内 (given by the clinic, 医科 IY). */
  readonly dispensedOutside: boolean;
  readonly days: number;
  readonly drugs: readonly SyntheticDrug[];
  /** 診療識別 for 院内: '21' 内服, '23' 外用 */
  readonly treatment: '21' | '23';
}

export interface CheckupEvent {
  readonly date: LocalDate;
  readonly card: CoveragePeriod;
  readonly conditions: ReadonlySet<Condition>;
}

export interface MedicalPlan {
  readonly medications: readonly MedicationEvent[];
  readonly checkups: readonly CheckupEvent[];
}

/** Medication is generated for the 3 years before `asOf`, check-ups for the 5 years before. */
export const MEDICATION_YEARS = 3;
export const CHECKUP_YEARS = 5;

/** Share of each age holding a chronic condition (rough, for plausible data, not epidemiology). */
function prevalence(condition: Condition, age: number, sex: string): number {
  const ramp = (from: number, per10: number, max: number) =>
    Math.min(max, Math.max(0, ((age - from) / 10) * per10));
  switch (condition) {
    case 'hypertension':
      return ramp(30, 0.12, 0.6);
    case 'lipid':
      return ramp(35, 0.09, 0.4);
    case 'diabetes':
      return ramp(40, 0.05, 0.2);
    case 'gastric':
      return ramp(40, 0.03, 0.15);
    case 'insomnia':
      return ramp(30, 0.02, 0.12);
    case 'gout':
      return sex === '1' ? ramp(30, 0.02, 0.08) : 0;
    case 'bph':
      return sex === '1' ? ramp(55, 0.08, 0.3) : 0;
    case 'osteoporosis':
      return sex === '2' ? ramp(55, 0.08, 0.3) : 0;
    case 'dementia':
      return ramp(70, 0.06, 0.2);
    case 'antiplatelet':
      return ramp(55, 0.03, 0.12);
    case 'constipation':
      return ramp(60, 0.05, 0.2);
    case 'eye':
      return ramp(50, 0.02, 0.08);
    default:
      return 0;
  }
}

const chronicConditions: readonly Condition[] = [
  'hypertension',
  'lipid',
  'diabetes',
  'gastric',
  'insomnia',
  'gout',
  'bph',
  'osteoporosis',
  'dementia',
  'antiplatelet',
  'constipation',
  'eye',
];

function cardOn(person: MedicalPerson, date: LocalDate): CoveragePeriod | undefined {
  return person.coverage.find((c) => c.from <= date && (c.until === null || date < c.until));
}

function dayIn(random: Random, from: LocalDate, to: LocalDate): LocalDate {
  const a = toEpochDay(from);
  const b = toEpochDay(to);
  return b <= a ? from : fromEpochDay(a + random.int(b - a));
}

/** The plan of one person; see the module comment. */
export function planFor(person: MedicalPerson, seed: number, asOf: LocalDate): MedicalPlan {
  const random = new Random(hash32(`medical:${seed}:${person.personId}`));
  const age = ageOn(person.birthdate, asOf);
  const conditions = new Set(chronicConditions.filter((c) => random.chance(prevalence(c, age, person.sex))));
  const outside = random.chance(0.8);
  const start = addYears(asOf, -MEDICATION_YEARS);
  const medications: MedicationEvent[] = [];
  for (const condition of conditions) {
    const options = drugsFor(condition);
    const drugs = [random.pick(options)];
    if (condition === 'hypertension' && random.chance(0.3)) drugs.push(random.pick(options));
    const onset = dayIn(random, addYears(asOf, -15), addDays(asOf, -60));
    let date = onset < start ? addDays(start, random.int(28)) : onset;
    for (; date < asOf; date = addDays(date, 28 + random.int(3) - 1)) {
      const card = cardOn(person, date);
      if (card === undefined) continue;
      const unique = [...new Map(drugs.map((d) => [d.drugCode, d])).values()];
      const treatment = unique[0]!.form === '外用' ? '23' : '21';
      medications.push({ date, card, dispensedOutside: outside, days: 28, drugs: unique, treatment });
    }
  }
  medications.push(...acute(person, random, start, asOf, outside));
  medications.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { medications, checkups: checkups(person, random, asOf, conditions) };
}

function acute(person: MedicalPerson, random: Random, start: LocalDate, asOf: LocalDate, outside: boolean) {
  const events: MedicationEvent[] = [];
  const age = ageOn(person.birthdate, asOf);
  const perYear = age < 7 ? 3 : age < 65 ? 1.2 : 1.6;
  const count = Math.round(perYear * MEDICATION_YEARS * (0.5 + random.next()));
  for (let i = 0; i < count; i++) {
    const date = dayIn(random, start, asOf);
    const card = cardOn(person, date);
    if (card === undefined) continue;
    const kind = random.pick(['cold', 'pain', 'allergy'] as const);
    const drugs =
      kind === 'cold'
        ? [
            random.pick(drugsFor('cold')),
            ...(random.chance(0.4) ? [random.pick(drugsFor('antibiotic'))] : []),
          ]
        : kind === 'pain'
          ? [random.pick(drugsFor('pain')), drugsFor('gastric').find((d) => d.genericName === 'レバミピド')!]
          : [random.pick(drugsFor('allergy'))];
    const days = kind === 'cold' ? 5 : kind === 'pain' ? 7 : 14;
    events.push({ date, card, dispensedOutside: outside, days, drugs, treatment: '21' });
    if (kind === 'pain' && random.chance(0.5)) {
      events.push({
        date,
        card,
        dispensedOutside: outside,
        days: 1,
        drugs: [random.pick(drugsFor('topical'))],
        treatment: '23',
      });
    }
  }
  return events;
}

function checkups(
  person: MedicalPerson,
  random: Random,
  asOf: LocalDate,
  conditions: ReadonlySet<Condition>,
) {
  const events: CheckupEvent[] = [];
  const attends = random.chance(0.7);
  const firstYear = Number(asOf.slice(0, 4)) - CHECKUP_YEARS;
  for (let year = firstYear; year <= Number(asOf.slice(0, 4)); year++) {
    const date = dayIn(random, `${year}-06-01`, `${year}-12-20`);
    if (!attends || !random.chance(0.8) || date >= asOf || date < addYears(asOf, -CHECKUP_YEARS)) continue;
    const age = ageOn(person.birthdate, date);
    const card = cardOn(person, date);
    if (age < 40 || age > 74 || card === undefined) continue;
    events.push({ date, card, conditions });
  }
  return events;
}
