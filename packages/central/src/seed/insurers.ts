/**
 * The synthetic insurer catalogue: every kind of 保険者 with a valid 保険者番号 (check digit by
 * `insurerNumberCheckDigit`) and a realistic name. Fixed: it depends on no seed, so populations of
 * different seeds share it. Numbers are plausible in form (法別番号 + 都道府県番号 + 保険者別番号 +
 * 検証番号) but synthetic; 健康保険組合 names are random combinations, not real companies.
 */
import { type Insurer, type InsurerKind, insurerNumberCheckDigit } from '@onshi/core';
import { prefectures } from './places.ts';
import { Random } from './prng.ts';

export interface CatalogueInsurer extends Insurer {
  /** What a card symbol of this insurer starts with ('' = numeric symbols only). */
  readonly symbolTag: string;
}

export interface InsurerCatalogue {
  readonly all: readonly CatalogueInsurer[];
  /** 協会けんぽ 支部, by prefecture index */
  readonly kyokai: readonly CatalogueInsurer[];
  readonly kumiai: readonly CatalogueInsurer[];
  /** 国家公務員共済 (31) */
  readonly kyosaiNational: readonly CatalogueInsurer[];
  /** by prefecture index: 公立学校, 市町村職員, 地方職員, 警察 */
  readonly kyosaiLocal: readonly (readonly CatalogueInsurer[])[];
  /** 私立学校教職員共済 (34) */
  readonly kyosaiPrivateSchool: CatalogueInsurer;
  /** 市町村国保, by prefecture index then municipality index */
  readonly kokuho: readonly (readonly CatalogueInsurer[])[];
  /** 国保組合, by prefecture index */
  readonly kokuhoKumiai: readonly (readonly CatalogueInsurer[])[];
  /** 後期高齢者医療広域連合, by prefecture index */
  readonly kouki: readonly CatalogueInsurer[];
}

function numbered(body: string): string {
  return body + String(insurerNumberCheckDigit(body));
}

function make(
  kind: InsurerKind,
  body: string,
  name: string,
  prefectureCode: string,
  tag = '',
): CatalogueInsurer {
  return { insurerNumber: numbered(body), name, kind, prefectureCode, symbolTag: tag };
}

const kumiaiPrefixes =
  `あおば あさひ いずみ さくら みなと ひかり みどり はやて やまと つばさ 東邦 大洋 北斗 中央 太平
  新和 丸栄 共栄 協和 昭栄 日東 大同 第一 三和 東和 富士見 明和 双葉 若葉 城南`.split(/\s+/);
const kumiaiIndustries =
  `電機 化学 商事 物産 建設 製薬 運輸 食品 情報システム 精機 工業 製作所 繊維 印刷 百貨店
  証券 不動産 通信 自動車部品 鉄鋼`.split(/\s+/);

const ministries = `衆議院 参議院 内閣 総務省 法務省 外務省 財務省 文部科学省 厚生労働省 農林水産省 経済産業省
  国土交通省 裁判所 会計検査院 防衛省 刑務`.split(/\s+/);

/** 健康保険組合: 300 names; half in Tokyo, then Osaka and Aichi, the rest spread. */
function buildKumiai(): CatalogueInsurer[] {
  const random = new Random(0x6b756d69);
  const names = kumiaiPrefixes.flatMap((p) => kumiaiIndustries.map((i) => `${p}${i}`));
  for (let i = names.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [names[i], names[j]] = [names[j]!, names[i]!];
  }
  const perPrefecture = new Map<string, number>();
  return names.slice(0, 300).map((company) => {
    const x = random.next();
    const pref = x < 0.5 ? '13' : x < 0.65 ? '27' : x < 0.75 ? '23' : prefectures[random.int(47)]!.code;
    const n = (perPrefecture.get(pref) ?? 0) + 1;
    perPrefecture.set(pref, n);
    return make('kumiai', `06${pref}${String(n * 3).padStart(3, '0')}`, `${company}健康保険組合`, pref);
  });
}

function buildCatalogue(): InsurerCatalogue {
  const kyokai = prefectures.map((p) =>
    make('kyokai', `01${p.code}001`, `全国健康保険協会${p.shortName}支部`, p.code),
  );
  const kumiai = buildKumiai();
  const kyosaiNational = ministries.map((m, i) =>
    make('kyosai', `3113${String(i + 1).padStart(3, '0')}`, `${m}共済組合`, '13', m.slice(0, 2)),
  );
  const kyosaiLocal = prefectures.map((p) => [
    make('kyosai', `32${p.code}101`, `公立学校共済組合${p.shortName}支部`, p.code, '公学'),
    p.code === '13'
      ? make('kyosai', `32${p.code}201`, '東京都職員共済組合', p.code, '都職')
      : make('kyosai', `32${p.code}201`, `${p.name}市町村職員共済組合`, p.code, '市職'),
    make('kyosai', `32${p.code}001`, `地方職員共済組合${p.shortName}支部`, p.code, '地職'),
    make('kyosai', `33${p.code}001`, `警察共済組合${p.shortName}支部`, p.code, '警'),
  ]);
  const kyosaiPrivateSchool = make('kyosai', '3413001', '日本私立学校振興・共済事業団', '13', '私学');
  const kokuho = prefectures.map((p) =>
    p.municipalities.map((m, i) =>
      make('kokuho', `${p.code}${String(10 + i * 4).padStart(3, '0')}`, m, p.code),
    ),
  );
  const kokuhoKumiai = prefectures.map((p) => [
    make('kokuho-kumiai', `${p.code}301`, `${p.name}医師国民健康保険組合`, p.code, '医'),
    make('kokuho-kumiai', `${p.code}302`, `${p.name}歯科医師国民健康保険組合`, p.code, '歯'),
    make('kokuho-kumiai', `${p.code}303`, `${p.name}建設国民健康保険組合`, p.code, '建'),
  ]);
  const kouki = prefectures.map((p) =>
    make('kouki', `39${p.code}001`, `${p.name}後期高齢者医療広域連合`, p.code),
  );
  const all = [
    ...kyokai,
    ...kumiai,
    ...kyosaiNational,
    ...kyosaiLocal.flat(),
    kyosaiPrivateSchool,
    ...kokuho.flat(),
    ...kokuhoKumiai.flat(),
    ...kouki,
  ];
  return {
    all,
    kyokai,
    kumiai,
    kyosaiNational,
    kyosaiLocal,
    kyosaiPrivateSchool,
    kokuho,
    kokuhoKumiai,
    kouki,
  };
}

let cached: InsurerCatalogue | undefined;

/** The catalogue (built once; immutable). */
export function insurerCatalogue(): InsurerCatalogue {
  cached ??= buildCatalogue();
  return cached;
}
