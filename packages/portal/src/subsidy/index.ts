/** オンライン資格確認関係補助金: programmes as data and the estimate. */
export { builtinProgrammes, seedProgramme } from './subsidy.builtin.ts';
export { applyRate, estimateSubsidy, type SubsidyEstimate, type SubsidyInput } from './subsidy.estimate.ts';
export {
  type BilingualText,
  type InstitutionKindDefinition,
  loadProgramme,
  parseProgramme,
  parseRate,
  programmeFormat,
  type SubsidyProgramme,
  type SubsidyRule,
  type SubsidyTier,
} from './subsidy.programme.ts';
export type { SubsidyReason } from './subsidy.reasons.ts';
export { summariseEstimate } from './subsidy.summary.ts';
