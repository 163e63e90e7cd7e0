/**
 * The synthetic population: a pure, deterministic stream of households. The same seed, size and
 * `asOf` always give byte-identical records; nothing reads a clock or the environment.
 */
import type {
  ElderlyRecipientCertificate,
  LimitApplicationCertificate,
  LocalDate,
  Person,
  Qualification,
  SpecificDiseaseCertificate,
} from '@onshi/core';
import { householdCertificates } from './certificates.ts';
import type { CoverageContext } from './coverage.ts';
import { coverHousehold } from './household.ts';
import { insurerCatalogue } from './insurers.ts';
import { generateHousehold } from './people.ts';
import { Random } from './prng.ts';

/** The date the population describes unless told otherwise. */
export const DEFAULT_AS_OF: LocalDate = '2026-11-01';

export interface PopulationOptions {
  /** exact number of persons */
  readonly persons: number;
  readonly seed: number;
  /** the date "today" is for the population: ages, current qualifications (default DEFAULT_AS_OF) */
  readonly asOf?: LocalDate;
  /** ids start here (default 1), so a population can be appended to a store that has rows */
  readonly firstPersonId?: number;
  readonly firstQualificationId?: number;
}

/** Everything about one household. Persons come head first. */
export interface HouseholdRecords {
  readonly persons: Person[];
  readonly qualifications: Qualification[];
  readonly elderly: ElderlyRecipientCertificate[];
  readonly limits: LimitApplicationCertificate[];
  readonly diseases: SpecificDiseaseCertificate[];
}

export function* generatePopulation(options: PopulationOptions): Generator<HouseholdRecords> {
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const random = new Random(options.seed);
  let personId = options.firstPersonId ?? 1;
  let qualificationId = options.firstQualificationId ?? 1;
  const ctx: CoverageContext = {
    random,
    asOf,
    catalogue: insurerCatalogue(),
    counters: new Map(),
    nextQualificationId: () => qualificationId++,
  };
  let remaining = options.persons;
  while (remaining > 0) {
    const people = generateHousehold(random, asOf);
    // The last household is cut to the exact size asked for.
    if (people.residents.length > remaining) people.residents.length = remaining;
    remaining -= people.residents.length;
    const ids = people.residents.map(() => personId++);
    const persons: Person[] = people.residents.map((r, i) => ({
      personId: ids[i]!,
      name: r.name,
      nameKana: r.nameKana,
      sex: r.sex,
      birthdate: r.birthdate,
      address: people.address,
      postNumber: people.postNumber,
    }));
    const { qualifications, current } = coverHousehold(ctx, people, ids);
    const certificates = householdCertificates(ctx, people.residents, current);
    yield { persons, qualifications, ...certificates };
  }
}
