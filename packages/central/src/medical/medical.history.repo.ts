/**
 * A person's medication history and check-up results, as the retrieval (YZK / TKK) and the viewer
 * read them: typed rows, oldest first, in an inclusive date range.
 */
import type { LocalDate } from '@onshi/core';
import type { Store } from '../store/store.ts';

export interface DateRange {
  /** First day included (default: no lower bound). */
  readonly from?: LocalDate;
  /** Last day included (default: no upper bound). */
  readonly to?: LocalDate;
}

export interface MedicationRow {
  readonly medicationId: number;
  /** 'medical' (医科: drugs given by the institution itself) or 'pharmacy' (調剤). */
  readonly kind: 'medical' | 'pharmacy';
  /** The claiming institution (医療機関 or 薬局), 10 digits. */
  readonly institutionCode: string;
  /** 診療日 (医科) or 調剤日 (調剤). */
  readonly serviceDate: LocalDate;
  /** 処方日 (調剤 only). */
  readonly prescribedDate: LocalDate | null;
  readonly prescriberInstitutionCode: string | null;
  readonly dispenserInstitutionCode: string | null;
  /** レセ電 医薬品コード */
  readonly drugCode: string;
  readonly drugName: string;
  /** 成分名 */
  readonly genericName: string;
  /** 使用量 as written in the claim ('1', '1.5'). */
  readonly quantity: string;
  readonly unit: string;
  /** 日数 (内服) or 回数 (屯服, 外用 …). */
  readonly daysOrTimes: number;
  /** 診療識別 (医科, e.g. '21' 内服) or 剤形コード (調剤, e.g. '1' 内服). */
  readonly treatmentCategory: string;
  /** 用法 (調剤). */
  readonly usage: string | null;
  readonly claimFileId: string;
}

/** A nullable text column. */
function text(value: string | number | null | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

function rangeClause(column: string, range: DateRange, params: (string | number)[]): string {
  let sql = '';
  if (range.from !== undefined) {
    sql += ` and ${column} >= ?`;
    params.push(range.from);
  }
  if (range.to !== undefined) {
    sql += ` and ${column} <= ?`;
    params.push(range.to);
  }
  return sql;
}

export async function listMedications(
  store: Store,
  personId: number,
  range: DateRange = {},
): Promise<MedicationRow[]> {
  const params: (string | number)[] = [personId];
  const where = rangeClause('m.service_date', range, params);
  const rows = await store.all<Record<string, string | number | null>>(
    `select m.medication_id, m.kind, m.institution_code, m.service_date, m.prescribed_date,
       m.prescriber_institution_code, m.dispenser_institution_code, m.drug_code, d.name, d.generic_name,
       m.quantity, m.unit, m.days_or_times, m.treatment_category, m.usage, m.claim_file_id
     from medications m join drugs d on d.drug_code = m.drug_code
     where m.person_id = ?${where}
     order by m.service_date, m.institution_code, m.medication_id`,
    params,
  );
  return rows.map((r) => ({
    medicationId: Number(r.medication_id),
    kind: r.kind as MedicationRow['kind'],
    institutionCode: String(r.institution_code),
    serviceDate: String(r.service_date),
    prescribedDate: text(r.prescribed_date),
    prescriberInstitutionCode:
      r.prescriber_institution_code === null ? null : String(r.prescriber_institution_code),
    dispenserInstitutionCode:
      r.dispenser_institution_code === null ? null : String(r.dispenser_institution_code),
    drugCode: String(r.drug_code),
    drugName: String(r.name),
    genericName: String(r.generic_name),
    quantity: String(r.quantity),
    unit: String(r.unit),
    daysOrTimes: Number(r.days_or_times),
    treatmentCategory: String(r.treatment_category),
    usage: text(r.usage),
    claimFileId: String(r.claim_file_id),
  }));
}

export interface CheckupRow {
  readonly resultId: number;
  readonly examDate: LocalDate;
  /** 健診機関番号, 10 digits. */
  readonly institutionCode: string;
  /** 特定健診 item code (JLAC10-based, 17 characters). */
  readonly itemCode: string;
  /** OID of the code system (1.2.392.200119.6.1005 for 特定健診 items). */
  readonly codeSystem: string;
  readonly name: string;
  /** 'PQ' number with unit, 'CD' / 'CO' coded, 'ST' text. */
  readonly valueType: 'PQ' | 'CD' | 'CO' | 'ST';
  /** The number as written, the code, or the text. */
  readonly value: string;
  /** Display name of a coded value ('－', '＋' …). */
  readonly valueDisplay: string | null;
  readonly unit: string | null;
  readonly referenceLow: string | null;
  readonly referenceHigh: string | null;
  /** Interpretation code as given ('H', 'L', 'N' …). */
  readonly interpretation: string | null;
  readonly checkupFileId: string;
}

export async function listCheckups(
  store: Store,
  personId: number,
  range: DateRange = {},
): Promise<CheckupRow[]> {
  const params: (string | number)[] = [personId];
  const where = rangeClause('exam_date', range, params);
  const rows = await store.all<Record<string, string | number | null>>(
    `select result_id, exam_date, institution_code, item_code, code_system, name, value_type, value,
       value_display, unit, reference_low, reference_high, interpretation, checkup_file_id
     from checkup_results where person_id = ?${where}
     order by exam_date, result_id`,
    params,
  );
  return rows.map((r) => ({
    resultId: Number(r.result_id),
    examDate: String(r.exam_date),
    institutionCode: String(r.institution_code),
    itemCode: String(r.item_code),
    codeSystem: String(r.code_system),
    name: String(r.name),
    valueType: r.value_type as CheckupRow['valueType'],
    value: String(r.value),
    valueDisplay: text(r.value_display),
    unit: text(r.unit),
    referenceLow: text(r.reference_low),
    referenceHigh: text(r.reference_high),
    interpretation: text(r.interpretation),
    checkupFileId: String(r.checkup_file_id),
  }));
}
