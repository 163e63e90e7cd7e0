/**
 * Who is insured where: the qualifications (資格) of one household, with their history. Employees
 * and their dependants share one card (記号・番号) with branch numbers 00, 01, …; 国保 households
 * likewise; everyone 75 or older has an individual 後期高齢者医療 card. Transitions keep the
 * history consistent: the old qualification ends exactly on the day the new one starts.
 */
import {
  addYears,
  fromEpochDay,
  type IncomeTier,
  type LocalDate,
  type Qualification,
  toEpochDay,
} from '@onshi/core';
import type { CatalogueInsurer, InsurerCatalogue } from './insurers.ts';
import type { HouseholdPeople, Resident } from './people.ts';
import { cumulative, type Random } from './prng.ts';

export type Writable<T> = { -readonly [K in keyof T]: T[K] };
export type MutableQualification = Writable<Qualification>;

export interface CoverageContext {
  readonly random: Random;
  readonly asOf: LocalDate;
  readonly catalogue: InsurerCatalogue;
  /** last card number handed out, per insurer */
  readonly counters: Map<string, number>;
  nextQualificationId(): number;
}

interface Card {
  readonly insurer: CatalogueInsurer;
  readonly symbol: string;
  readonly number: string;
  readonly holderName: string;
  nextBranch: number;
}

/** The household's qualifications; `current[i]` is resident i's qualification as of `asOf`. */
export interface Coverage {
  readonly qualifications: MutableQualification[];
  readonly current: (MutableQualification | undefined)[];
}

const KOUKI_START = '2008-04-01';
const tierNames: IncomeTier[] = ['high3', 'high2', 'high1', 'general2', 'general', 'low2', 'low1'];
const tiersUnder70 = cumulative([2, 6, 22, 0, 52, 12, 6]);
const tiers70to74 = cumulative([2, 3, 8, 0, 62, 15, 10]);
const tiersKouki = cumulative([1, 2, 4, 20, 45, 16, 12]);

function drawTier(random: Random, age: number): IncomeTier {
  const table = age >= 75 ? tiersKouki : age >= 70 ? tiers70to74 : tiersUnder70;
  return tierNames[random.weighted(table)]!;
}

function dayBetween(random: Random, from: LocalDate, to: LocalDate): LocalDate {
  const a = toEpochDay(from);
  const b = toEpochDay(to);
  return b <= a ? from : fromEpochDay(a + random.int(b - a));
}

function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}

function cardSymbol(random: Random, insurer: CatalogueInsurer): string {
  switch (insurer.kind) {
    case 'kyokai':
      return `${insurer.prefectureCode}${String(random.int(1_000_000)).padStart(6, '0')}`;
    case 'kumiai':
      return String(random.range(1, 999));
    case 'kyosai':
    case 'kokuho-kumiai':
      return `${insurer.symbolTag}${random.range(1, 99)}`;
    case 'kokuho':
      // About a third of municipalities print no symbol.
      return Number(insurer.insurerNumber) % 3 === 0 ? '' : String(random.range(1, 99)).padStart(2, '0');
    case 'kouki':
      return '';
  }
}

function openCard(ctx: CoverageContext, insurer: CatalogueInsurer, holderName: string): Card {
  const n = (ctx.counters.get(insurer.insurerNumber) ?? 0) + 1;
  ctx.counters.set(insurer.insurerNumber, n);
  const number =
    insurer.kind === 'kouki'
      ? String(10_000_000 + n)
      : insurer.kind === 'kokuho'
        ? String(1_000_000 + n)
        : String(n);
  return { insurer, symbol: cardSymbol(ctx.random, insurer), number, holderName, nextBranch: 0 };
}

function enrol(
  ctx: CoverageContext,
  card: Card,
  personId: number,
  personal: '1' | '2',
  start: LocalDate,
  incomeTier: IncomeTier,
): MutableQualification {
  const branch = card.insurer.kind === 'kouki' ? '' : String(card.nextBranch++).padStart(2, '0');
  return {
    qualificationId: ctx.nextQualificationId(),
    personId,
    insurerNumber: card.insurer.insurerNumber,
    cardSymbol: card.symbol,
    cardNumber: card.number,
    branchNumber: branch,
    cardClassification: '01',
    personalFamily: personal,
    insuredName: card.holderName,
    qualificationDate: start,
    cardIssuanceDate: start,
    cardValidDate: start,
    incomeTier,
  };
}

function end(q: MutableQualification, date: LocalDate, reason: string): void {
  q.disqualificationDate = date;
  q.reasonOfLoss = reason;
}

function employeeInsurer(ctx: CoverageContext, prefectureIndex: number): CatalogueInsurer {
  const { random, catalogue } = ctx;
  const x = random.next();
  if (x < 0.52) return catalogue.kyokai[random.chance(0.9) ? prefectureIndex : 12]!;
  if (x < 0.89) return random.pick(catalogue.kumiai);
  const local = catalogue.kyosaiLocal[prefectureIndex]!;
  const y = random.next();
  if (y < 0.15) return random.pick(catalogue.kyosaiNational);
  if (y < 0.25) return catalogue.kyosaiPrivateSchool;
  return local[Math.min(3, Math.floor((y - 0.25) / 0.1875))]!;
}

type Scheme = 'employee' | 'kokuho' | 'kokuho-kumiai' | 'elderly';

function chooseScheme(random: Random, headAge: number): Scheme {
  if (headAge >= 75) return 'elderly';
  const employed = random.chance(headAge >= 65 ? 0.25 : 0.85);
  if (employed) return random.chance(0.02) ? 'kokuho-kumiai' : 'employee';
  return random.chance(headAge >= 65 ? 0.01 : 0.04) ? 'kokuho-kumiai' : 'kokuho';
}

function mainInsurer(ctx: CoverageContext, scheme: Scheme, people: HouseholdPeople): CatalogueInsurer {
  const { catalogue, random } = ctx;
  if (scheme === 'employee') return employeeInsurer(ctx, people.prefectureIndex);
  if (scheme === 'kokuho-kumiai') return random.pick(catalogue.kokuhoKumiai[people.prefectureIndex]!);
  return catalogue.kokuho[people.prefectureIndex]![people.municipalityIndex]!;
}

/** Start of the main card for its holder: a job start, or a move into 国保. */
function mainStart(ctx: CoverageContext, head: Resident): LocalDate {
  const adult = addYears(head.birthdate, 18);
  const years = Math.max(1, Math.min(head.age - 18, 35));
  return maxDate(adult, dayBetween(ctx.random, addYears(ctx.asOf, -years), ctx.asOf));
}

export type { Card, Scheme };
export {
  chooseScheme,
  dayBetween,
  drawTier,
  employeeInsurer,
  end,
  enrol,
  KOUKI_START,
  mainInsurer,
  mainStart,
  maxDate,
  openCard,
};
