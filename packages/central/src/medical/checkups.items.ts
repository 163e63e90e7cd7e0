/**
 * The 特定健診 items this system knows: item codes of the MHLW 特定健診 XML 項目コード表 (JLAC10-based,
 * 17 characters; one code per measuring method), display names, units and reference ranges. The
 * ranges are the 保健指導判定値 of the MHLW 標準的な健診・保健指導プログラム: a value at or past the
 * 判定値 is out of range, so `high` is the last value still in range. Sources: README.md.
 *
 * Other items of the code system are stored as they come (name and unit from the document); these
 * are the ones checked (unit, coded values) and produced by the synthetic generator.
 */

/** OID of the 特定健診 item code system. */
export const CHECKUP_ITEM_SYSTEM = '1.2.392.200119.6.1005';

export type ItemKey =
  | 'height'
  | 'weight'
  | 'bmi'
  | 'waist'
  | 'systolic'
  | 'diastolic'
  | 'triglycerides'
  | 'hdl'
  | 'ldl'
  | 'ast'
  | 'alt'
  | 'ggt'
  | 'fastingGlucose'
  | 'hba1c'
  | 'urineSugar'
  | 'urineProtein';

export interface CheckupItem {
  readonly key: ItemKey;
  readonly name: string;
  /** Item codes by method; the first is the one the generator writes. */
  readonly codes: readonly string[];
  /** 'PQ' measured value with a unit, 'CO' coded result (尿 試験紙: 1 −, 2 ±, 3 +, 4 ++, 5 +++). */
  readonly valueType: 'PQ' | 'CO';
  readonly unit?: string;
  readonly low?: string;
  readonly high?: string;
  /** 腹囲: the 判定値 differs by sex (男性 85 cm, 女性 90 cm). */
  readonly highFemale?: string;
}

export const checkupItems: readonly CheckupItem[] = [
  { key: 'height', name: '身長', codes: ['9N001000000000001'], valueType: 'PQ', unit: 'cm' },
  { key: 'weight', name: '体重', codes: ['9N006000000000001'], valueType: 'PQ', unit: 'kg' },
  {
    key: 'bmi',
    name: 'BMI',
    codes: ['9N011000000000001'],
    valueType: 'PQ',
    unit: 'kg/m2',
    low: '18.5',
    high: '24.9',
  },
  {
    key: 'waist',
    name: '腹囲',
    codes: ['9N016160100000001', '9N016160200000001', '9N016160300000001'],
    valueType: 'PQ',
    unit: 'cm',
    high: '84.9',
    highFemale: '89.9',
  },
  {
    key: 'systolic',
    name: '収縮期血圧',
    codes: ['9A755000000000001', '9A751000000000001', '9A752000000000001'],
    valueType: 'PQ',
    unit: 'mmHg',
    high: '129',
  },
  {
    key: 'diastolic',
    name: '拡張期血圧',
    codes: ['9A765000000000001', '9A761000000000001', '9A762000000000001'],
    valueType: 'PQ',
    unit: 'mmHg',
    high: '84',
  },
  {
    key: 'triglycerides',
    name: '中性脂肪（トリグリセリド）',
    codes: ['3F015000002327101', '3F015000002327201', '3F015000002399901'],
    valueType: 'PQ',
    unit: 'mg/dL',
    high: '149',
  },
  {
    key: 'hdl',
    name: 'HDLコレステロール',
    codes: ['3F070000002327101', '3F070000002327201', '3F070000002399901'],
    valueType: 'PQ',
    unit: 'mg/dL',
    low: '40',
  },
  {
    key: 'ldl',
    name: 'LDLコレステロール',
    codes: ['3F077000002327101', '3F077000002327201', '3F077000002399901'],
    valueType: 'PQ',
    unit: 'mg/dL',
    high: '119',
  },
  {
    key: 'ast',
    name: 'GOT（AST）',
    codes: ['3B035000002327201', '3B035000002399901'],
    valueType: 'PQ',
    unit: 'U/L',
    high: '30',
  },
  {
    key: 'alt',
    name: 'GPT（ALT）',
    codes: ['3B045000002327201', '3B045000002399901'],
    valueType: 'PQ',
    unit: 'U/L',
    high: '30',
  },
  {
    key: 'ggt',
    name: 'γ-GT（γ-GTP）',
    codes: ['3B090000002327101', '3B090000002399901'],
    valueType: 'PQ',
    unit: 'U/L',
    high: '50',
  },
  {
    key: 'fastingGlucose',
    name: '空腹時血糖',
    codes: ['3D010000001926101', '3D010000002227101', '3D010000001927201', '3D010000001999901'],
    valueType: 'PQ',
    unit: 'mg/dL',
    high: '99',
  },
  {
    key: 'hba1c',
    name: 'HbA1c（NGSP値）',
    codes: ['3D046000001906202', '3D046000001920402', '3D046000001927102', '3D046000001999902'],
    valueType: 'PQ',
    unit: '%',
    high: '5.5',
  },
  { key: 'urineSugar', name: '尿糖', codes: ['1A020000000190111', '1A020000000191111'], valueType: 'CO' },
  { key: 'urineProtein', name: '尿蛋白', codes: ['1A010000000190111', '1A010000000191111'], valueType: 'CO' },
];

const byCode: ReadonlyMap<string, CheckupItem> = new Map(
  checkupItems.flatMap((item) => item.codes.map((code) => [code, item] as const)),
);

export function itemByCode(code: string): CheckupItem | undefined {
  return byCode.get(code);
}

/** 尿 試験紙 results (coded values of 尿糖 and 尿蛋白). */
export const urineResults: Readonly<Record<string, string>> = {
  '1': '－',
  '2': '±',
  '3': '＋',
  '4': '＋＋',
  '5': '＋＋＋',
};

/** Units compared without case ('mg/dl' = 'mg/dL', 'U/l' = 'U/L'). */
export function sameUnit(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
