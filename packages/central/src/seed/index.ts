export { type InsurerCatalogue, insurerCatalogue } from './insurers.ts';
export {
  DEFAULT_AS_OF,
  generatePopulation,
  type HouseholdRecords,
  type PopulationOptions,
} from './population.ts';
export { type ProgressBar, type ProgressOptions, progressBar, renderProgress } from './progress.ts';
export { sampleCardQueries } from './sample.ts';
export { type SeedOptions, type SeedReport, seedStore } from './seed.ts';
