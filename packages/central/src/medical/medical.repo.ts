/**
 * SQL of the medical information: the drug master, imported files, medications, check-up results,
 * the person lookup of both feeds, the queries retrieval uses, and the retention purge.
 */
import type { LocalDate } from '@onshi/core';
import type { SqlValue, Store } from '../store/store.ts';

export interface Drug {
  /** レセ電 医薬品コード, 9 digits. */
  readonly drugCode: string;
  readonly name: string;
  /** 成分名 */
  readonly genericName: string;
  readonly unit: string;
  /** 剤形: '内服' | '外用' | '注射' | '頓服' */
  readonly form: string;
  /** True when the code is made up for synthetic data. */
  readonly synthetic: boolean;
}

export async function upsertDrugs(store: Store, drugs: readonly Drug[]): Promise<void> {
  for (const d of drugs) {
    await store.run(
      `insert into drugs (drug_code, name, generic_name, unit, form, synthetic) values (?, ?, ?, ?, ?, ?)
       on conflict (drug_code) do update set name = excluded.name, generic_name = excluded.generic_name,
         unit = excluded.unit, form = excluded.form, synthetic = excluded.synthetic`,
      [d.drugCode, d.name, d.genericName, d.unit, d.form, d.synthetic ? 1 : 0],
    );
  }
}

/** The drugs of the master among `codes`, by code. */
export async function findDrugs(store: Store, codes: readonly string[]): Promise<Map<string, Drug>> {
  const found = new Map<string, Drug>();
  for (let i = 0; i < codes.length; i += 500) {
    const chunk = codes.slice(i, i + 500);
    const rows = await store.all<{
      drug_code: string;
      name: string;
      generic_name: string;
      unit: string;
      form: string;
      synthetic: number;
    }>(
      `select drug_code, name, generic_name, unit, form, synthetic from drugs
       where drug_code in (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const r of rows) {
      found.set(r.drug_code, {
        drugCode: r.drug_code,
        name: r.name,
        genericName: r.generic_name,
        unit: r.unit,
        form: r.form,
        synthetic: Number(r.synthetic) === 1,
      });
    }
  }
  return found;
}

export interface CardQuery {
  readonly insurerNumber: string;
  readonly cardSymbol: string;
  readonly cardNumber: string;
  /** 枝番; any branch when absent. */
  readonly branchNumber?: string | undefined;
  readonly birthdate: LocalDate;
  /** The qualification must cover at least one day of [from, to]. */
  readonly from: LocalDate;
  readonly to: LocalDate;
}

/** Persons holding a qualification on that card, born that day, insured during the period. */
export async function findPersonsByCard(store: Store, query: CardQuery): Promise<number[]> {
  const params: SqlValue[] = [query.insurerNumber, query.cardNumber, query.cardSymbol];
  if (query.branchNumber !== undefined) params.push(query.branchNumber);
  params.push(query.birthdate, query.to, query.from);
  const rows = await store.all<{ person_id: number }>(
    `select distinct q.person_id from qualifications q join persons p on p.person_id = q.person_id
     where q.insurer_number = ? and q.card_number = ? and q.card_symbol = ?
       ${query.branchNumber === undefined ? '' : 'and q.branch_number = ?'}
       and p.birthdate = ? and q.qualification_date <= ?
       and (q.disqualification_date is null or q.disqualification_date > ?)
     order by q.person_id`,
    params,
  );
  return rows.map((r) => Number(r.person_id));
}

/** Inserts rows of `columns` into `table`, many rows per statement. */
export async function insertMany(
  store: Store,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
): Promise<void> {
  const perStatement = Math.max(1, Math.floor(900 / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await store.run(
      `insert into ${table} (${columns.join(', ')}) values ${chunk.map(() => tuple).join(', ')}`,
      chunk.flat(),
    );
  }
}

export interface MedicalFileRow {
  readonly file_id: string;
  readonly content_sha256: string;
}

/** An imported file of `table` with that id or that content, if any (the id's first). */
export async function findMedicalFile(
  store: Store,
  table: 'claim_files' | 'checkup_files',
  fileId: string,
  sha256: string,
): Promise<MedicalFileRow | undefined> {
  const rows = await store.all<MedicalFileRow>(
    `select file_id, content_sha256 from ${table} where file_id = ? or content_sha256 = ?`,
    [fileId, sha256],
  );
  return rows.find((r) => r.file_id === fileId) ?? rows[0];
}

export interface ClaimFileRow {
  readonly fileId: string;
  readonly sha256: string;
  readonly kind: string;
  readonly institutionCode: string;
  readonly billingMonth: string;
  readonly receivedAt: string;
  readonly receipts: number;
  readonly medications: number;
}

/** Claims the file inside the import transaction; false when its id or content is taken. */
export async function insertClaimFile(store: Store, f: ClaimFileRow): Promise<boolean> {
  const changed = await store.run(
    `insert into claim_files (file_id, content_sha256, kind, institution_code, billing_month, received_at,
       receipts, medications) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
    [f.fileId, f.sha256, f.kind, f.institutionCode, f.billingMonth, f.receivedAt, f.receipts, f.medications],
  );
  return changed === 1;
}

export async function findClaimFile(store: Store, fileId: string): Promise<ClaimFileRow | undefined> {
  const r = await store.get<{
    file_id: string;
    content_sha256: string;
    kind: string;
    institution_code: string;
    billing_month: string;
    received_at: string;
    receipts: number;
    medications: number;
  }>(
    `select file_id, content_sha256, kind, institution_code, billing_month, received_at, receipts, medications
     from claim_files where file_id = ?`,
    [fileId],
  );
  if (r === undefined) return undefined;
  return {
    fileId: r.file_id,
    sha256: r.content_sha256,
    kind: r.kind,
    institutionCode: r.institution_code,
    billingMonth: r.billing_month,
    receivedAt: r.received_at,
    receipts: Number(r.receipts),
    medications: Number(r.medications),
  };
}

export const medicationColumns = [
  'person_id',
  'claim_file_id',
  'line',
  'kind',
  'institution_code',
  'service_date',
  'prescribed_date',
  'prescriber_institution_code',
  'dispenser_institution_code',
  'drug_code',
  'quantity',
  'unit',
  'days_or_times',
  'treatment_category',
  'usage',
] as const;

export interface CheckupFileRow {
  readonly fileId: string;
  readonly sha256: string;
  readonly institutionCode: string;
  readonly personId: number;
  readonly examDate: LocalDate;
  readonly receivedAt: string;
  readonly items: number;
}

export async function insertCheckupFile(store: Store, f: CheckupFileRow): Promise<boolean> {
  const changed = await store.run(
    `insert into checkup_files (file_id, content_sha256, institution_code, person_id, exam_date, received_at,
       items) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
    [f.fileId, f.sha256, f.institutionCode, f.personId, f.examDate, f.receivedAt, f.items],
  );
  return changed === 1;
}

export async function findCheckupFile(store: Store, fileId: string): Promise<CheckupFileRow | undefined> {
  const r = await store.get<{
    file_id: string;
    content_sha256: string;
    institution_code: string;
    person_id: number;
    exam_date: string;
    received_at: string;
    items: number;
  }>(
    `select file_id, content_sha256, institution_code, person_id, exam_date, received_at, items
     from checkup_files where file_id = ?`,
    [fileId],
  );
  if (r === undefined) return undefined;
  return {
    fileId: r.file_id,
    sha256: r.content_sha256,
    institutionCode: r.institution_code,
    personId: Number(r.person_id),
    examDate: r.exam_date,
    receivedAt: r.received_at,
    items: Number(r.items),
  };
}

export const checkupResultColumns = [
  'person_id',
  'checkup_file_id',
  'exam_date',
  'institution_code',
  'item_code',
  'code_system',
  'name',
  'value_type',
  'value',
  'value_display',
  'unit',
  'reference_low',
  'reference_high',
  'interpretation',
] as const;

/** Whether any medication or check-up result is stored (the demo seeds medical data only once). */
export async function hasMedicalData(store: Store): Promise<boolean> {
  const m = await store.get('select 1 as x from medications limit 1');
  const c = await store.get('select 1 as x from checkup_results limit 1');
  return m !== undefined || c !== undefined;
}
