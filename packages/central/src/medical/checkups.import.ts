/**
 * Import of one 特定健診 XML file: parse (checkups.parse.ts), then in ONE transaction claim the file,
 * resolve the person (insured by that card on the exam date) and write the results. Any problem
 * rejects the whole file (medical.files.ts). Items without a reference range in the document get
 * the 保健指導判定値 of checkups.items.ts.
 */
import type { Clock } from '@onshi/core';
import type { SqlValue, Store } from '../store/store.ts';
import { CHECKUP_ITEM_SYSTEM, itemByCode } from './checkups.items.ts';
import { type ParsedCheckup, type ParsedItem, parseCheckupFile } from './checkups.parse.ts';
import {
  FileRejected,
  importOnce,
  type MedicalFileInput,
  type MedicalImportReport,
  problem,
  rejected,
  sha256Hex,
} from './medical.files.ts';
import {
  checkupResultColumns,
  findCheckupFile,
  findPersonsByCard,
  insertCheckupFile,
  insertMany,
} from './medical.repo.ts';

export interface CheckupImportReport extends MedicalImportReport {
  readonly examDate?: string;
  readonly institutionCode?: string;
}

export async function importCheckupFile(
  store: Store,
  input: MedicalFileInput & { readonly clock: Clock },
): Promise<CheckupImportReport> {
  const sha256 = sha256Hex(input.content);
  const fileId = input.fileId ?? sha256;
  const parsed = parseCheckupFile(input.content);
  const checkup = parsed.checkup;
  if (checkup === undefined)
    return rejected(
      fileId,
      parsed.problems.map((p) => problem(p.line, p.code, p.params)),
    );
  const receivedAt = input.clock.now().toISOString();
  const report = await importOnce(
    store,
    'checkup_files',
    { fileId, sha256 },
    (tx) => writeCheckup(tx, { fileId, sha256, receivedAt }, checkup),
    async (tx, id) => (await findCheckupFile(tx, id))?.items ?? 0,
  );
  return { ...report, examDate: checkup.examDate, institutionCode: checkup.institutionCode };
}

async function writeCheckup(
  tx: Store,
  meta: { fileId: string; sha256: string; receivedAt: string },
  c: ParsedCheckup,
): Promise<number | undefined> {
  const ids = await findPersonsByCard(tx, { ...c, from: c.examDate, to: c.examDate });
  if (ids.length !== 1) {
    const card = `${c.cardSymbol}・${c.cardNumber}${c.branchNumber === undefined ? '' : `（枝番 ${c.branchNumber}）`}`;
    const params = { insurerNumber: c.insurerNumber, card, birthdate: c.birthdate, examDate: c.examDate };
    const code = ids.length === 0 ? 'CHECKUP_PERSON_UNKNOWN' : 'CHECKUP_PERSON_AMBIGUOUS';
    throw new FileRejected([problem(c.personLine, code, params)]);
  }
  const personId = ids[0]!;
  const claimed = await insertCheckupFile(tx, {
    ...meta,
    institutionCode: c.institutionCode,
    personId,
    examDate: c.examDate,
    items: c.items.length,
  });
  if (!claimed) return undefined;
  const rows = c.items.map((item) => resultRow(meta.fileId, personId, c, item));
  await insertMany(tx, 'checkup_results', checkupResultColumns, rows);
  return rows.length;
}

function resultRow(fileId: string, personId: number, c: ParsedCheckup, item: ParsedItem): SqlValue[] {
  const known = itemByCode(item.code);
  const ranged = item.referenceLow !== undefined || item.referenceHigh !== undefined;
  return [
    personId,
    fileId,
    c.examDate,
    c.institutionCode,
    item.code,
    CHECKUP_ITEM_SYSTEM,
    item.name,
    item.valueType,
    item.value,
    item.valueDisplay ?? null,
    item.unit ?? null,
    (ranged ? item.referenceLow : known?.low) ?? null,
    (ranged ? item.referenceHigh : known?.high) ?? null,
    item.interpretation ?? null,
  ];
}
