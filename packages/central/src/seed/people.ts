/**
 * Households of people: who lives together, their names, sexes, birth dates and address. The head
 * (世帯主) comes first; spouse, children under 23 and sometimes an elderly parent follow. Ages are
 * drawn so that the whole population follows Japan's age pyramid (see docs/synthetic-population.md).
 */
import { addYears, fromEpochDay, type LocalDate, parts, type Sex, toEpochDay } from '@onshi/core';
import { toFullWidthDigits, toHalfWidthKana } from './kana.ts';
import { familyNames, femaleGivenNames, maleGivenNames, type NameEntry, nameEra } from './names.ts';
import { type Prefecture, postalCode, prefectures, townNames } from './places.ts';
import { cumulative, type Random } from './prng.ts';

export type Role = 'head' | 'spouse' | 'child' | 'parent';

export interface Resident {
  readonly role: Role;
  readonly age: number;
  readonly sex: Sex;
  readonly birthdate: LocalDate;
  readonly name: string;
  readonly nameKana: string;
}

export interface HouseholdPeople {
  readonly residents: Resident[];
  readonly prefectureIndex: number;
  readonly municipalityIndex: number;
  readonly address: string;
  readonly postNumber: string;
}

/**
 * Weights of the head's age, per 5-year band from 20–24 to 95–99 (100 joins the last band).
 * Calibrated so that heads + spouses + children + parents reproduce the 2024 pyramid.
 */
const headAgeBands = cumulative([
  4.76, 7.41, 6.3, 6.86, 7.18, 8.68, 9.22, 7.6, 7.01, 6.46, 8.45, 7.76, 6.27, 4.49, 2.31, 0.61,
]);

const prefectureWeights = cumulative(prefectures.map((p) => p.population));
const familyWeights = cumulative(familyNames.map((_, i) => 1 / Math.sqrt(i + 1)));

const halfWidthCache = new Map<string, string>();
function halfWidth(kana: string): string {
  let value = halfWidthCache.get(kana);
  if (value === undefined) {
    value = toHalfWidthKana(kana);
    halfWidthCache.set(kana, value);
  }
  return value;
}

/** A birth date giving exactly `age` completed years on `asOf`. */
export function birthdateForAge(random: Random, asOf: LocalDate, age: number): LocalDate {
  const latest = toEpochDay(addYears(asOf, -age));
  const earliest = toEpochDay(addYears(asOf, -(age + 1))) + 1;
  return fromEpochDay(earliest + random.int(latest - earliest + 1));
}

function resident(
  random: Random,
  asOf: LocalDate,
  role: Role,
  age: number,
  sex: Sex,
  family: NameEntry,
): Resident {
  const birthdate = birthdateForAge(random, asOf, age);
  const era = nameEra(parts(birthdate).year);
  const given = random.pick(sex === '1' ? maleGivenNames[era]! : femaleGivenNames[era]!);
  return {
    role,
    age,
    sex,
    birthdate,
    name: `${family.kanji}\u3000${given.kanji}`,
    nameKana: `${halfWidth(family.kana)} ${halfWidth(given.kana)}`,
  };
}

function spouseProbability(age: number): number {
  if (age < 25) return 0.08;
  if (age < 30) return 0.35;
  if (age < 40) return 0.62;
  if (age < 75) return 0.72;
  return age < 85 ? 0.55 : 0.25;
}

function childCount(random: Random, withSpouse: boolean): number {
  const x = random.next();
  if (!withSpouse) return x < 0.75 ? 0 : x < 0.9 ? 1 : 2;
  return x < 0.17 ? 0 : x < 0.44 ? 1 : x < 0.86 ? 2 : 3;
}

function opposite(sex: Sex): Sex {
  return sex === '1' ? '2' : '1';
}

function members(random: Random, asOf: LocalDate, family: NameEntry): Resident[] {
  const band = random.weighted(headAgeBands);
  const headAge = Math.min(100, 20 + band * 5 + random.int(band === 15 ? 6 : 5));
  const withSpouse = random.chance(spouseProbability(headAge));
  const headSex: Sex = random.chance(withSpouse ? 0.88 : 0.55) ? '1' : '2';
  const out = [resident(random, asOf, 'head', headAge, headSex, family)];
  if (withSpouse) {
    const age = Math.max(18, Math.min(100, headAge + random.range(-6, 2)));
    out.push(resident(random, asOf, 'spouse', age, opposite(headSex), family));
  }
  if (headAge < 65) {
    const n = childCount(random, withSpouse);
    for (let i = 0; i < n; i++) {
      const age = headAge - random.range(24, 40);
      // Children of 18 or more have often left home; those who have are heads elsewhere.
      if (age < 0 || age > 22 || (age >= 18 && random.chance(0.4))) continue;
      out.push(resident(random, asOf, 'child', age, random.chance(0.51) ? '1' : '2', family));
    }
  }
  if (headAge >= 40 && headAge < 65 && random.chance(0.06)) {
    const age = Math.min(100, headAge + random.range(25, 35));
    out.push(resident(random, asOf, 'parent', age, random.chance(0.7) ? '2' : '1', family));
  }
  return out;
}

function place(random: Random): { prefecture: Prefecture; index: number; municipality: number } {
  const index = random.weighted(prefectureWeights);
  const prefecture = prefectures[index]!;
  // The first municipality (the prefectural capital or its largest city) is twice as likely.
  const slot = random.int(prefecture.municipalities.length + 1);
  return { prefecture, index, municipality: slot === 0 ? 0 : slot - 1 };
}

/** One household: members (head first) sharing a family name and an address. */
export function generateHousehold(random: Random, asOf: LocalDate): HouseholdPeople {
  const family = familyNames[random.weighted(familyWeights)]!;
  const residents = members(random, asOf, family);
  const { prefecture, index, municipality } = place(random);
  const town = random.pick(townNames);
  const block = `${toFullWidthDigits(random.range(1, 5))}丁目${toFullWidthDigits(random.range(1, 30))}番${toFullWidthDigits(random.range(1, 20))}号`;
  return {
    residents,
    prefectureIndex: index,
    municipalityIndex: municipality,
    address: `${prefecture.name}${prefecture.municipalities[municipality]}${town}${block}`,
    postNumber: postalCode(prefecture, municipality, town),
  };
}
