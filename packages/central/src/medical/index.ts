/** Medical information fed from claims and 特定健診 files (README.md in this folder). */

export { type CheckupImportReport, importCheckupFile } from './checkups.import.ts';
export { CHECKUP_ITEM_SYSTEM, type CheckupItem, checkupItems, type ItemKey } from './checkups.items.ts';
export { type ClaimImportReport, importClaimFile } from './claims.import.ts';
export type { ClaimKind } from './claims.layout.ts';
export { type SyntheticDrug, syntheticDrugs } from './drugs.ts';
export type { MedicalFileInput, MedicalFileProblem, MedicalImportReport } from './medical.files.ts';
export { type GeneratedFile, generateMedicalFiles } from './medical.generate.ts';
export {
  type CheckupRow,
  type DateRange,
  listCheckups,
  listMedications,
  type MedicationRow,
} from './medical.history.repo.ts';
export { type Drug, findDrugs, upsertDrugs } from './medical.repo.ts';
export {
  type MedicalSeedOptions,
  type MedicalSeedReport,
  seedMedical,
  seedMedicalWhenEmpty,
} from './medical.seed.ts';
