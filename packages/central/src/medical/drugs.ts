/**
 * The synthetic drug master: 72 common generic drugs as prescribed in Japanese outpatient care —
 * real generic names (一般名) and product-style names, with the maker's bracket 「オンシ」 marking
 * them as made up. The 9-digit codes are SYNTHETIC (699 + serial): they follow the form of レセ電
 * 医薬品コード but were not taken from the published master and must never be read as real codes.
 * Each drug carries the condition it is used for, the usual daily quantity and the usage text, for
 * the generator.
 */
import type { Drug } from './medical.repo.ts';

export type Condition =
  | 'hypertension'
  | 'lipid'
  | 'diabetes'
  | 'gastric'
  | 'constipation'
  | 'antiplatelet'
  | 'gout'
  | 'thyroid'
  | 'allergy'
  | 'cold'
  | 'antibiotic'
  | 'pain'
  | 'insomnia'
  | 'depression'
  | 'bph'
  | 'bladder'
  | 'osteoporosis'
  | 'dementia'
  | 'heart'
  | 'topical'
  | 'eye';

export interface SyntheticDrug extends Drug {
  readonly condition: Condition;
  /** 使用量 per day (内服) or per dispensing (外用), as written in claims. */
  readonly dailyQuantity: string;
  /** 用法 */
  readonly usage: string;
}

type Row = readonly [Condition, string, string, string, string, string, string];

const rows: readonly Row[] = [
  ['hypertension', 'アムロジピンベシル酸塩', 'アムロジピン錠5mg', '錠', '内服', '1', '1日1回朝食後'],
  ['hypertension', 'ニフェジピン', 'ニフェジピンCR錠20mg', '錠', '内服', '1', '1日1回朝食後'],
  ['hypertension', 'カンデサルタン シレキセチル', 'カンデサルタン錠8mg', '錠', '内服', '1', '1日1回朝食後'],
  ['hypertension', 'オルメサルタン メドキソミル', 'オルメサルタン錠20mg', '錠', '内服', '1', '1日1回朝食後'],
  ['hypertension', 'テルミサルタン', 'テルミサルタン錠40mg', '錠', '内服', '1', '1日1回朝食後'],
  ['hypertension', 'バルサルタン', 'バルサルタン錠80mg', '錠', '内服', '1', '1日1回朝食後'],
  [
    'hypertension',
    'エナラプリルマレイン酸塩',
    'エナラプリルマレイン酸塩錠5mg',
    '錠',
    '内服',
    '1',
    '1日1回朝食後',
  ],
  [
    'hypertension',
    'ビソプロロールフマル酸塩',
    'ビソプロロールフマル酸塩錠2.5mg',
    '錠',
    '内服',
    '1',
    '1日1回朝食後',
  ],
  ['hypertension', 'アゼルニジピン', 'アゼルニジピン錠16mg', '錠', '内服', '1', '1日1回朝食後'],
  ['hypertension', 'ヒドロクロロチアジド', 'ヒドロクロロチアジド錠12.5mg', '錠', '内服', '1', '1日1回朝食後'],
  ['lipid', 'アトルバスタチンカルシウム水和物', 'アトルバスタチン錠10mg', '錠', '内服', '1', '1日1回夕食後'],
  ['lipid', 'ロスバスタチンカルシウム', 'ロスバスタチン錠2.5mg', '錠', '内服', '1', '1日1回夕食後'],
  ['lipid', 'プラバスタチンナトリウム', 'プラバスタチンナトリウム錠10mg', '錠', '内服', '1', '1日1回夕食後'],
  ['lipid', 'ピタバスタチンカルシウム', 'ピタバスタチンカルシウム錠2mg', '錠', '内服', '1', '1日1回夕食後'],
  ['lipid', 'エゼチミブ', 'エゼチミブ錠10mg', '錠', '内服', '1', '1日1回朝食後'],
  ['lipid', 'フェノフィブラート', 'フェノフィブラート錠80mg', '錠', '内服', '1', '1日1回朝食後'],
  ['diabetes', 'メトホルミン塩酸塩', 'メトホルミン塩酸塩錠250mg', '錠', '内服', '2', '1日2回朝夕食後'],
  ['diabetes', 'シタグリプチンリン酸塩水和物', 'シタグリプチン錠50mg', '錠', '内服', '1', '1日1回朝食後'],
  [
    'diabetes',
    'テネリグリプチン臭化水素酸塩水和物',
    'テネリグリプチン錠20mg',
    '錠',
    '内服',
    '1',
    '1日1回朝食後',
  ],
  ['diabetes', 'グリメピリド', 'グリメピリド錠1mg', '錠', '内服', '1', '1日1回朝食後'],
  ['diabetes', 'ボグリボース', 'ボグリボースOD錠0.2mg', '錠', '内服', '3', '1日3回毎食直前'],
  ['diabetes', 'ピオグリタゾン塩酸塩', 'ピオグリタゾン錠15mg', '錠', '内服', '1', '1日1回朝食後'],
  [
    'diabetes',
    'ダパグリフロジンプロピレングリコール水和物',
    'ダパグリフロジン錠5mg',
    '錠',
    '内服',
    '1',
    '1日1回朝食後',
  ],
  ['gastric', 'ファモチジン', 'ファモチジン錠20mg', '錠', '内服', '1', '1日1回就寝前'],
  ['gastric', 'ランソプラゾール', 'ランソプラゾールOD錠15mg', '錠', '内服', '1', '1日1回朝食後'],
  [
    'gastric',
    'ラベプラゾールナトリウム',
    'ラベプラゾールナトリウム錠10mg',
    '錠',
    '内服',
    '1',
    '1日1回朝食後',
  ],
  [
    'gastric',
    'エソメプラゾールマグネシウム水和物',
    'エソメプラゾールカプセル20mg',
    'カプセル',
    '内服',
    '1',
    '1日1回朝食後',
  ],
  ['gastric', 'レバミピド', 'レバミピド錠100mg', '錠', '内服', '3', '1日3回毎食後'],
  ['gastric', 'テプレノン', 'テプレノンカプセル50mg', 'カプセル', '内服', '3', '1日3回毎食後'],
  ['gastric', 'モサプリドクエン酸塩水和物', 'モサプリドクエン酸塩錠5mg', '錠', '内服', '3', '1日3回毎食前'],
  ['constipation', '酸化マグネシウム', '酸化マグネシウム錠330mg', '錠', '内服', '3', '1日3回毎食後'],
  ['constipation', 'センノシド', 'センノシド錠12mg', '錠', '内服', '2', '1日1回就寝前'],
  ['antiplatelet', 'アスピリン', 'アスピリン腸溶錠100mg', '錠', '内服', '1', '1日1回朝食後'],
  ['antiplatelet', 'クロピドグレル硫酸塩', 'クロピドグレル錠75mg', '錠', '内服', '1', '1日1回朝食後'],
  ['antiplatelet', 'ワルファリンカリウム', 'ワルファリンカリウム錠1mg', '錠', '内服', '2', '1日1回朝食後'],
  ['gout', 'フェブキソスタット', 'フェブキソスタット錠20mg', '錠', '内服', '1', '1日1回朝食後'],
  ['gout', 'アロプリノール', 'アロプリノール錠100mg', '錠', '内服', '2', '1日2回朝夕食後'],
  [
    'thyroid',
    'レボチロキシンナトリウム水和物',
    'レボチロキシンナトリウム錠50μg',
    '錠',
    '内服',
    '1',
    '1日1回朝食前',
  ],
  ['allergy', 'モンテルカストナトリウム', 'モンテルカスト錠10mg', '錠', '内服', '1', '1日1回就寝前'],
  [
    'allergy',
    'フェキソフェナジン塩酸塩',
    'フェキソフェナジン塩酸塩錠60mg',
    '錠',
    '内服',
    '2',
    '1日2回朝夕食後',
  ],
  ['allergy', 'レボセチリジン塩酸塩', 'レボセチリジン塩酸塩錠5mg', '錠', '内服', '1', '1日1回就寝前'],
  ['allergy', 'オロパタジン塩酸塩', 'オロパタジン塩酸塩錠5mg', '錠', '内服', '2', '1日2回朝・就寝前'],
  ['cold', 'カルボシステイン', 'カルボシステイン錠500mg', '錠', '内服', '3', '1日3回毎食後'],
  ['cold', 'アンブロキソール塩酸塩', 'アンブロキソール塩酸塩錠15mg', '錠', '内服', '3', '1日3回毎食後'],
  [
    'cold',
    'デキストロメトルファン臭化水素酸塩水和物',
    'デキストロメトルファン臭化水素酸塩錠15mg',
    '錠',
    '内服',
    '3',
    '1日3回毎食後',
  ],
  [
    'antibiotic',
    'アモキシシリン水和物',
    'アモキシシリンカプセル250mg',
    'カプセル',
    '内服',
    '3',
    '1日3回毎食後',
  ],
  [
    'antibiotic',
    'セフカペン ピボキシル塩酸塩水和物',
    'セフカペンピボキシル塩酸塩錠100mg',
    '錠',
    '内服',
    '3',
    '1日3回毎食後',
  ],
  ['antibiotic', 'クラリスロマイシン', 'クラリスロマイシン錠200mg', '錠', '内服', '2', '1日2回朝夕食後'],
  ['antibiotic', 'レボフロキサシン水和物', 'レボフロキサシン錠500mg', '錠', '内服', '1', '1日1回朝食後'],
  ['antibiotic', 'アジスロマイシン水和物', 'アジスロマイシン錠250mg', '錠', '内服', '2', '1日1回朝食後'],
  [
    'pain',
    'ロキソプロフェンナトリウム水和物',
    'ロキソプロフェンナトリウム錠60mg',
    '錠',
    '内服',
    '3',
    '1日3回毎食後',
  ],
  ['pain', 'アセトアミノフェン', 'アセトアミノフェン錠200mg', '錠', '内服', '3', '1日3回毎食後'],
  ['pain', 'セレコキシブ', 'セレコキシブ錠100mg', '錠', '内服', '2', '1日2回朝夕食後'],
  ['pain', 'ジクロフェナクナトリウム', 'ジクロフェナクナトリウム錠25mg', '錠', '内服', '3', '1日3回毎食後'],
  ['insomnia', 'ゾルピデム酒石酸塩', 'ゾルピデム酒石酸塩錠5mg', '錠', '内服', '1', '1日1回就寝前'],
  ['insomnia', 'ブロチゾラム', 'ブロチゾラムOD錠0.25mg', '錠', '内服', '1', '1日1回就寝前'],
  ['insomnia', 'エチゾラム', 'エチゾラム錠0.5mg', '錠', '内服', '1', '1日1回就寝前'],
  ['depression', 'セルトラリン塩酸塩', 'セルトラリン錠25mg', '錠', '内服', '1', '1日1回夕食後'],
  ['bph', 'タムスロシン塩酸塩', 'タムスロシン塩酸塩OD錠0.2mg', '錠', '内服', '1', '1日1回朝食後'],
  ['bph', 'シロドシン', 'シロドシン錠4mg', '錠', '内服', '2', '1日2回朝夕食後'],
  ['bladder', 'ミラベグロン', 'ミラベグロン錠50mg', '錠', '内服', '1', '1日1回朝食後'],
  [
    'osteoporosis',
    'アレンドロン酸ナトリウム水和物',
    'アレンドロン酸錠35mg',
    '錠',
    '内服',
    '0.25',
    '週1回起床時',
  ],
  [
    'osteoporosis',
    'エルデカルシトール',
    'エルデカルシトールカプセル0.75μg',
    'カプセル',
    '内服',
    '1',
    '1日1回朝食後',
  ],
  ['dementia', 'ドネペジル塩酸塩', 'ドネペジル塩酸塩OD錠5mg', '錠', '内服', '1', '1日1回朝食後'],
  ['heart', 'フロセミド', 'フロセミド錠20mg', '錠', '内服', '1', '1日1回朝食後'],
  ['heart', 'スピロノラクトン', 'スピロノラクトン錠25mg', '錠', '内服', '1', '1日1回朝食後'],
  [
    'topical',
    'ロキソプロフェンナトリウム水和物',
    'ロキソプロフェンNaテープ100mg',
    '枚',
    '外用',
    '1',
    '1日1回患部に貼付',
  ],
  ['topical', 'ケトプロフェン', 'ケトプロフェンテープ40mg', '枚', '外用', '1', '1日1回患部に貼付'],
  ['topical', 'ヘパリン類似物質', 'ヘパリン類似物質クリーム0.3%', 'g', '外用', '1', '1日2回患部に塗布'],
  [
    'topical',
    'ベタメタゾン吉草酸エステル',
    'ベタメタゾン吉草酸エステル軟膏0.12%',
    'g',
    '外用',
    '1',
    '1日2回患部に塗布',
  ],
  ['eye', 'ヒアルロン酸ナトリウム', 'ヒアルロン酸ナトリウム点眼液0.1%', 'mL', '外用', '1', '1日4回点眼'],
  ['eye', 'ラタノプロスト', 'ラタノプロスト点眼液0.005%', 'mL', '外用', '1', '1日1回点眼'],
];

/** The master, in a fixed order (codes 699000001…). */
export const syntheticDrugs: readonly SyntheticDrug[] = rows.map(
  ([condition, genericName, product, unit, form, dailyQuantity, usage], index) => ({
    drugCode: `699${String(index + 1).padStart(6, '0')}`,
    name: `${product}「オンシ」`,
    genericName,
    unit,
    form,
    synthetic: true,
    condition,
    dailyQuantity,
    usage,
  }),
);

/** The drugs used for a condition. */
export function drugsFor(condition: Condition): readonly SyntheticDrug[] {
  return syntheticDrugs.filter((d) => d.condition === condition);
}
