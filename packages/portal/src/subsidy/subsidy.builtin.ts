/** The seed's programme, built in as data (programmes/mhlw-2020.json), checked like any other. */
import seed from './programmes/mhlw-2020.json' with { type: 'json' };
import { loadProgramme, type SubsidyProgramme } from './subsidy.programme.ts';

export const seedProgramme: SubsidyProgramme = loadProgramme(seed);

/** Built-in programmes by id. */
export const builtinProgrammes: ReadonlyMap<string, SubsidyProgramme> = new Map([
  [seedProgramme.id, seedProgramme],
]);
