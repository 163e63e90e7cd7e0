/**
 * The PDF forms of the YZK and TKK results (FileCategory 1, Accept: application/pdf), built from the
 * result message itself so that the PDF and the XML say the same thing: a header with the
 * institution, the date and the patient on every page; medications as one table per month and
 * institution; check-ups as one table per examination.
 */
import type { CheckupInformationResult, MedicationInformationResult } from '@onshi/core';
import { type ReportColumn, type ReportSection, reportPdf } from './pdf.report.ts';

const sexNames: Readonly<Record<string, string>> = { '1': '男', '2': '女', '3': '未設定' };

/** yyyyMMdd → 2024年03月05日; yyyyMM → 2024年03月. */
function jpDate(wire: string | undefined): string {
  if (wire === undefined) return '';
  const month = `${wire.slice(0, 4)}年${wire.slice(4, 6)}月`;
  return wire.length >= 8 ? `${month}${wire.slice(6, 8)}日` : month;
}

/** yyyyMMdd → 2024/03/05 (table cells). */
function shortDate(wire: string | undefined): string {
  return wire === undefined ? '' : `${wire.slice(0, 4)}/${wire.slice(4, 6)}/${wire.slice(6, 8)}`;
}

function headerLines(
  header: { MedicalInstitutionCode?: string; ProcessExecutionTime: string },
  patient: { name?: string; kana?: string; birth?: string; sex?: string },
): string[] {
  const t = header.ProcessExecutionTime;
  const kana = patient.kana ? `（${patient.kana}）` : '';
  return [
    `医療機関コード ${header.MedicalInstitutionCode ?? ''}　　作成日時 ${jpDate(t)} ${t.slice(8, 10)}:${t.slice(10, 12)}`,
    `氏名 ${patient.name ?? ''}${kana}　　生年月日 ${jpDate(patient.birth)}　　性別 ${sexNames[patient.sex ?? ''] ?? ''}`,
  ];
}

/** 調剤 剤形コード and 医科 診療識別, as short labels. */
const categoryNames: Readonly<Record<string, string>> = {
  '1': '内服',
  '2': '内滴',
  '3': '屯服',
  '4': '注射',
  '5': '外用',
  '6': '浸煎',
  '7': '湯',
  '9': '材料',
  '21': '内服',
  '22': '屯服',
  '23': '外用',
  '31': '注射',
  '32': '注射',
  '33': '注射',
};

const medicationColumns: readonly ReportColumn[] = [
  { title: '調剤・診療日', width: 56 },
  { title: '処方日', width: 50 },
  { title: '薬剤名', width: 163 },
  { title: '用量', width: 34, align: 'right' },
  { title: '単位', width: 30 },
  { title: '日数・回数', width: 46, align: 'right' },
  { title: '用法', width: 104 },
  { title: '区分', width: 40 },
];

const institutionKinds: Readonly<Record<string, string>> = { '1': '医科', '3': '歯科', '4': '調剤' };

export function medicationPdf(result: MedicationInformationResult, createdAt: Date): Uint8Array {
  const q = result.MessageHeader.QuaInf ?? {};
  const body = result.MessageBody;
  const sections: ReportSection[] = (body.MeTrMonthInf ?? []).map((month) => {
    const kind = institutionKinds[month.DiOrg ?? ''] ?? '';
    const prescriber = month.PrlsHCd && month.PrlsHCd !== month.MeTrDiHCd ? `　処方 ${month.PrlsHCd}` : '';
    return {
      heading: `${jpDate(month.MeTrMonth)}　${kind} ${month.MeTrDiHCd ?? ''}${prescriber}`,
      columns: medicationColumns,
      rows: month.DiDateInfs.DiDateInf.flatMap((day) =>
        day.DrugInfs.DrugInf.map((drug) => [
          shortDate(day.DiDate),
          shortDate(day.PrDate),
          drug.DrugN,
          drug.Qua1 ?? '',
          drug.Unit ?? '',
          drug.Times ?? '',
          drug.UsageN ?? '',
          categoryNames[drug.MeTrIdCl ?? ''] ?? drug.MeTrIdCl ?? '',
        ]),
      ),
    };
  });
  return reportPdf({
    title: '薬剤情報（レセプト由来）',
    header: [
      ...headerLines(result.MessageHeader, {
        name: q.Name,
        kana: q.KanaName,
        birth: q.Birth,
        sex: q.AdmGendCode,
      }),
      `対象期間 ${jpDate(body.StartDate)}〜${jpDate(body.EndDate)}（診療年月）`,
    ],
    sections,
    empty: '対象期間に薬剤情報はありません。',
    createdAt,
  });
}

const checkupColumns: readonly ReportColumn[] = [
  { title: '項目コード', width: 80 },
  { title: '項目名', width: 140 },
  { title: '結果', width: 70, align: 'right' },
  { title: '単位', width: 50 },
  { title: '基準範囲', width: 90 },
  { title: '判定', width: 40 },
];

function range(low: string | undefined, high: string | undefined): string {
  if (low === undefined && high === undefined) return '';
  return `${low ?? ''}〜${high ?? ''}`;
}

export function checkupPdf(result: CheckupInformationResult, createdAt: Date): Uint8Array {
  const q = result.MessageHeader.QualificationsInfo ?? {};
  const sections: ReportSection[] = (result.MessageBody.SpecificHealthCheckupInfo ?? []).map((exam) => ({
    heading: `実施日 ${jpDate(exam.EffectiveTime)}　健診機関 ${exam.HealthCheckupInstitutionCode ?? ''}`,
    columns: checkupColumns,
    rows: exam.HealthCheckupResultAndQuestionInfos.HealthCheckupResultAndQuestionInfo.map((item) => [
      item.ItemCode,
      item.ItemName,
      item.DataValueName ?? item.DataValue ?? '',
      item.Unit ?? '',
      range(item.ReferenceRangeLow, item.ReferenceRangeHigh),
      item.InterpretationCode ?? '',
    ]),
  }));
  return reportPdf({
    title: '特定健診情報',
    header: [
      ...headerLines(result.MessageHeader, {
        name: q.Name,
        kana: q.KanasName,
        birth: q.Birthday,
        sex: q.AdministrativeGenderCode,
      }),
      '対象 保存されている健診結果（過去5年）',
    ],
    sections,
    empty: '特定健診情報はありません。',
    createdAt,
  });
}
