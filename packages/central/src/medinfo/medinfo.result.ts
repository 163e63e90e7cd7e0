/**
 * The YZK / TKK result messages built from the stored rows (pure): medications grouped by month and
 * institution, then by day; check-up items grouped by examination. Oldest first, as stored.
 */
import type {
  CheckupInformationResult,
  CheckupItemInfo,
  DrugInfo,
  MedicalInformationResultHeader,
  MedicationDateInfo,
  MedicationInformationResult,
  MedicationMonthInfo,
  Person,
  SpecificHealthCheckupInfo,
} from '@onshi/core';
import { toWireDate } from '@onshi/core';
import type { CheckupRow, MedicationRow } from '../medical/medical.history.repo.ts';

/** The status part of a normal result's header. */
export type StatusHeader = Omit<
  MedicalInformationResultHeader,
  'SegmentOfResult' | 'ErrorCode' | 'ErrorMessage'
>;

/** `{ [name]: value }` when the value is a non-empty string (empty elements are omitted). */
function opt<K extends string>(name: K, value: string | null | undefined): { [P in K]?: string } {
  return value ? ({ [name]: value } as { [P in K]?: string }) : {};
}

/** 点数表 (the 3rd digit of a 医療機関コード): 1 医科, 3 歯科, 4 調剤. */
function tableOf(code: string | null): string | undefined {
  return code === null ? undefined : code.slice(2, 3);
}

function drugInfo(row: MedicationRow): DrugInfo {
  return {
    DrugC: row.drugCode,
    DrugN: row.drugName,
    ...opt('IngreN', row.genericName),
    Qua1: row.quantity,
    Unit: row.unit,
    ...opt('UsageN', row.usage),
    Times: String(row.daysOrTimes),
    MeTrIdCl: row.treatmentCategory,
  };
}

/** MeTrMonthInf per (month, institution, prescriber), DiDateInf per (day, prescription day). */
function medicationMonths(rows: readonly MedicationRow[]): MedicationMonthInfo[] {
  const months = new Map<string, MedicationMonthInfo & { days: Map<string, MedicationDateInfo> }>();
  for (const row of rows) {
    const month = toWireDate(row.serviceDate).slice(0, 6);
    const dispenser = row.institutionCode;
    const prescriber = row.prescriberInstitutionCode;
    const key = `${month}|${dispenser}|${prescriber ?? ''}`;
    let info = months.get(key);
    if (info === undefined) {
      info = {
        ...opt('DiOrg', tableOf(dispenser)),
        MeTrDiHCd: dispenser,
        ...opt('PrlsHCd', prescriber),
        MeTrMonth: month,
        ...opt('PrIsOrg', tableOf(prescriber)),
        DiDateInfs: { DiDateInf: [] },
        days: new Map(),
      };
      months.set(key, info);
    }
    const dayKey = `${row.serviceDate}|${row.prescribedDate ?? ''}`;
    let day = info.days.get(dayKey);
    if (day === undefined) {
      day = {
        DiDate: toWireDate(row.serviceDate),
        ...opt('PrDate', row.prescribedDate === null ? undefined : toWireDate(row.prescribedDate)),
        DrugInfs: { DrugInf: [] },
      };
      info.days.set(dayKey, day);
      info.DiDateInfs.DiDateInf.push(day);
    }
    day.DrugInfs.DrugInf.push(drugInfo(row));
  }
  return [...months.values()]
    .sort((a, b) => (a.MeTrMonth < b.MeTrMonth ? -1 : a.MeTrMonth > b.MeTrMonth ? 1 : 0))
    .map(({ days: _days, ...info }) => info);
}

function itemInfo(row: CheckupRow): CheckupItemInfo {
  return {
    ItemCode: row.itemCode,
    ItemName: row.name,
    DataType: row.valueType,
    DataValue: row.value,
    ...opt('Unit', row.unit),
    Oid: row.codeSystem,
    ...opt('DataValueName', row.valueDisplay),
    ...opt('ReferenceRangeLow', row.referenceLow),
    ...opt('ReferenceRangeHigh', row.referenceHigh),
    ...opt('InterpretationCode', row.interpretation),
  };
}

/** SpecificHealthCheckupInfo per examination (file), items in stored order. */
function checkupExaminations(rows: readonly CheckupRow[]): SpecificHealthCheckupInfo[] {
  const exams = new Map<string, SpecificHealthCheckupInfo>();
  for (const row of rows) {
    let exam = exams.get(row.checkupFileId);
    if (exam === undefined) {
      exam = {
        EffectiveTime: toWireDate(row.examDate),
        HealthCheckupInstitutionCode: row.institutionCode,
        HealthCheckupResultAndQuestionInfos: { HealthCheckupResultAndQuestionInfo: [] },
      };
      exams.set(row.checkupFileId, exam);
    }
    exam.HealthCheckupResultAndQuestionInfos.HealthCheckupResultAndQuestionInfo.push(itemInfo(row));
  }
  return [...exams.values()];
}

export function medicationResult(
  header: StatusHeader,
  person: Person,
  period: { readonly from: string; readonly to: string },
  rows: readonly MedicationRow[],
): MedicationInformationResult {
  const months = medicationMonths(rows);
  return {
    MessageHeader: {
      ...header,
      SegmentOfResult: '1',
      QuaInf: {
        Name: person.name,
        KanaName: person.nameKana,
        Birth: toWireDate(person.birthdate),
        AdmGendCode: person.sex,
      },
    },
    MessageBody: {
      ResultCode: '1',
      StartDate: toWireDate(period.from).slice(0, 6),
      EndDate: toWireDate(period.to).slice(0, 6),
      ...(months.length === 0 ? {} : { MeTrMonthInf: months }),
    },
  };
}

export function checkupResult(
  header: StatusHeader,
  person: Person,
  rows: readonly CheckupRow[],
): CheckupInformationResult {
  const exams = checkupExaminations(rows);
  return {
    MessageHeader: {
      ...header,
      SegmentOfResult: '1',
      QualificationsInfo: {
        Name: person.name,
        KanasName: person.nameKana,
        Birthday: toWireDate(person.birthdate),
        AdministrativeGenderCode: person.sex,
      },
    },
    MessageBody: { ResultCode: '1', ...(exams.length === 0 ? {} : { SpecificHealthCheckupInfo: exams }) },
  };
}
