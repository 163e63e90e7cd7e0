/**
 * Import of a claims file (レセプト電算処理システム CSV) into medication history: parse
 * (claims.parse.ts), then in ONE transaction claim the file, resolve every receipt's person and
 * every drug, and write the medications. Any problem rejects the whole file (medical.files.ts).
 */
import type { Clock, LocalDate } from '@onshi/core';
import type { SqlValue, Store } from '../store/store.ts';
import type { ClaimKind } from './claims.layout.ts';
import { type ParsedClaimFile, type ParsedReceipt, parseClaimFile } from './claims.parse.ts';
import {
  FileRejected,
  importOnce,
  type MedicalFileInput,
  type MedicalFileProblem,
  type MedicalImportReport,
  problem,
  rejected,
  sha256Hex,
} from './medical.files.ts';
import {
  type Drug,
  findClaimFile,
  findDrugs,
  findPersonsByCard,
  insertClaimFile,
  insertMany,
  medicationColumns,
} from './medical.repo.ts';

export interface ClaimImportReport extends MedicalImportReport {
  /** 'medical' (医科) or 'pharmacy' (調剤); absent when the file could not be read. */
  readonly kind?: ClaimKind;
  readonly institutionCode?: string;
  /** 請求年月, 'YYYY-MM'. */
  readonly billingMonth?: string;
  readonly receipts: number;
}

export async function importClaimFile(
  store: Store,
  input: MedicalFileInput & { readonly clock: Clock },
): Promise<ClaimImportReport> {
  const sha256 = sha256Hex(input.content);
  const fileId = input.fileId ?? sha256;
  const parsed = parseClaimFile(input.content);
  if (parsed.file === undefined) {
    return {
      ...rejected(
        fileId,
        parsed.problems.map((p) => problem(p.line, p.code, p.params)),
      ),
      receipts: 0,
    };
  }
  const file = parsed.file;
  const receivedAt = input.clock.now().toISOString();
  const report = await importOnce(
    store,
    'claim_files',
    { fileId, sha256 },
    (tx) => writeClaims(tx, { fileId, sha256, receivedAt }, file),
    async (tx, id) => (await findClaimFile(tx, id))?.medications ?? 0,
  );
  const { kind, institutionCode, billingMonth } = file;
  return {
    ...report,
    kind,
    institutionCode,
    billingMonth,
    receipts: report.accepted ? file.receipts.length : 0,
  };
}

async function writeClaims(
  tx: Store,
  meta: { fileId: string; sha256: string; receivedAt: string },
  file: ParsedClaimFile,
): Promise<number | undefined> {
  const medications = file.receipts.reduce((n, r) => n + r.medications.length, 0);
  const claimed = await insertClaimFile(tx, {
    ...meta,
    kind: file.kind,
    institutionCode: file.institutionCode,
    billingMonth: file.billingMonth,
    receipts: file.receipts.length,
    medications,
  });
  if (!claimed) return undefined;
  const problems: MedicalFileProblem[] = [];
  const persons = await resolvePersons(tx, file.receipts, problems);
  const codes = [...new Set(file.receipts.flatMap((r) => r.medications.map((m) => m.drugCode)))];
  const drugs = await findDrugs(tx, codes);
  for (const receipt of file.receipts) {
    for (const m of receipt.medications) {
      if (!drugs.has(m.drugCode))
        problems.push(problem(m.line, 'CLAIM_DRUG_UNKNOWN', { drugCode: m.drugCode }));
    }
  }
  if (problems.length > 0) throw new FileRejected(dedupe(problems));
  const rows = file.receipts.flatMap((r) => medicationRows(meta.fileId, file, r, persons.get(r)!, drugs));
  await insertMany(tx, 'medications', medicationColumns, rows);
  return rows.length;
}

/** One problem per line and code (a drug dispensed on several days is reported once). */
function dedupe(problems: readonly MedicalFileProblem[]): MedicalFileProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.line}:${p.code}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line);
}

function lastDayOfMonth(month: string): LocalDate {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const day = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, '0')}`;
}

async function resolvePersons(
  tx: Store,
  receipts: readonly ParsedReceipt[],
  problems: MedicalFileProblem[],
): Promise<Map<ParsedReceipt, number>> {
  const resolved = new Map<ParsedReceipt, number>();
  const cache = new Map<string, number[]>();
  for (const r of receipts) {
    const key = [r.insurerNumber, r.cardSymbol, r.cardNumber, r.branchNumber, r.birthdate, r.month].join('|');
    let ids = cache.get(key);
    if (ids === undefined) {
      ids = await findPersonsByCard(tx, {
        insurerNumber: r.insurerNumber,
        cardSymbol: r.cardSymbol,
        cardNumber: r.cardNumber,
        branchNumber: r.branchNumber,
        birthdate: r.birthdate,
        from: `${r.month}-01`,
        to: lastDayOfMonth(r.month),
      });
      cache.set(key, ids);
    }
    if (ids.length === 1) {
      resolved.set(r, ids[0]!);
      continue;
    }
    const card = `${r.cardSymbol}・${r.cardNumber}${r.branchNumber === undefined ? '' : `（枝番 ${r.branchNumber}）`}`;
    const params = { insurerNumber: r.insurerNumber, card, birthdate: r.birthdate, month: r.month };
    problems.push(
      problem(r.insurerLine, ids.length === 0 ? 'CLAIM_PERSON_UNKNOWN' : 'CLAIM_PERSON_AMBIGUOUS', params),
    );
  }
  return resolved;
}

function medicationRows(
  fileId: string,
  file: ParsedClaimFile,
  receipt: ParsedReceipt,
  personId: number,
  drugs: ReadonlyMap<string, Drug>,
): SqlValue[][] {
  const pharmacy = file.kind === 'pharmacy';
  const prescriber = pharmacy ? (receipt.prescriberInstitutionCode ?? null) : file.institutionCode;
  return receipt.medications.map((m) => [
    personId,
    fileId,
    m.line,
    file.kind,
    file.institutionCode,
    m.serviceDate,
    m.prescribedDate ?? null,
    prescriber,
    file.institutionCode,
    m.drugCode,
    m.quantity,
    drugs.get(m.drugCode)!.unit,
    m.daysOrTimes,
    m.treatmentCategory,
    m.usage ?? null,
  ]);
}
