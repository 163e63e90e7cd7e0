/**
 * Prefectures and a few municipalities each, with the range of the first three digits of their
 * postal codes and their population (10,000s, rounded, 2024) for weighting. Town names (町名) are
 * generic and combined at random; postal codes are synthetic but fall in the prefecture's range.
 */
import { hash32 } from './prng.ts';

export interface Prefecture {
  /** 都道府県番号 '01'–'47' */
  readonly code: string;
  /** '東京都' */
  readonly name: string;
  /** '東京' (as in 全国健康保険協会東京支部) */
  readonly shortName: string;
  readonly postalLow: number;
  readonly postalHigh: number;
  readonly population: number;
  readonly municipalities: readonly string[];
}

const table = `
01|北海道|北海道|040-099|510|札幌市 旭川市 函館市 釧路市 帯広市
02|青森県|青森|030-039|120|青森市 八戸市 弘前市
03|岩手県|岩手|020-029|118|盛岡市 一関市 奥州市
04|宮城県|宮城|980-989|228|仙台市 石巻市 大崎市 名取市
05|秋田県|秋田|010-019|93|秋田市 横手市 大仙市
06|山形県|山形|990-999|104|山形市 鶴岡市 酒田市
07|福島県|福島|960-979|179|福島市 郡山市 いわき市 会津若松市
08|茨城県|茨城|300-319|284|水戸市 つくば市 日立市 ひたちなか市
09|栃木県|栃木|320-329|191|宇都宮市 小山市 栃木市 足利市
10|群馬県|群馬|370-379|191|前橋市 高崎市 太田市 伊勢崎市
11|埼玉県|埼玉|330-369|733|さいたま市 川口市 川越市 所沢市 越谷市 草加市
12|千葉県|千葉|260-299|627|千葉市 船橋市 松戸市 市川市 柏市 浦安市
13|東京都|東京|100-208|1404|千代田区 新宿区 世田谷区 練馬区 大田区 江戸川区 足立区 杉並区 板橋区 八王子市 町田市 府中市
14|神奈川県|神奈川|210-259|923|横浜市 川崎市 相模原市 藤沢市 横須賀市 平塚市
15|新潟県|新潟|940-959|213|新潟市 長岡市 上越市
16|富山県|富山|930-939|102|富山市 高岡市 射水市
17|石川県|石川|920-929|111|金沢市 白山市 小松市
18|福井県|福井|910-919|75|福井市 坂井市 越前市
19|山梨県|山梨|400-409|80|甲府市 甲斐市 南アルプス市
20|長野県|長野|380-399|202|長野市 松本市 上田市 飯田市
21|岐阜県|岐阜|500-509|195|岐阜市 大垣市 各務原市 多治見市
22|静岡県|静岡|410-439|355|静岡市 浜松市 富士市 沼津市
23|愛知県|愛知|440-499|748|名古屋市 豊田市 岡崎市 一宮市 豊橋市 春日井市
24|三重県|三重|510-519|174|津市 四日市市 鈴鹿市 松阪市
25|滋賀県|滋賀|520-529|141|大津市 草津市 長浜市
26|京都府|京都|600-629|254|京都市 宇治市 亀岡市 舞鶴市
27|大阪府|大阪|530-599|878|大阪市 堺市 東大阪市 豊中市 吹田市 高槻市 枚方市
28|兵庫県|兵庫|650-679|540|神戸市 姫路市 西宮市 尼崎市 明石市
29|奈良県|奈良|630-639|130|奈良市 橿原市 生駒市
30|和歌山県|和歌山|640-649|90|和歌山市 田辺市 橋本市
31|鳥取県|鳥取|680-689|54|鳥取市 米子市 倉吉市
32|島根県|島根|690-699|65|松江市 出雲市 浜田市
33|岡山県|岡山|700-719|186|岡山市 倉敷市 津山市
34|広島県|広島|720-739|275|広島市 福山市 呉市 東広島市
35|山口県|山口|740-759|131|下関市 山口市 宇部市 周南市
36|徳島県|徳島|770-779|70|徳島市 阿南市 鳴門市
37|香川県|香川|760-769|94|高松市 丸亀市 観音寺市
38|愛媛県|愛媛|790-799|131|松山市 今治市 新居浜市
39|高知県|高知|780-789|67|高知市 南国市 四万十市
40|福岡県|福岡|800-839|510|福岡市 北九州市 久留米市 飯塚市 春日市
41|佐賀県|佐賀|840-849|80|佐賀市 唐津市 鳥栖市
42|長崎県|長崎|850-859|128|長崎市 佐世保市 諫早市
43|熊本県|熊本|860-869|172|熊本市 八代市 天草市
44|大分県|大分|870-879|111|大分市 別府市 中津市
45|宮崎県|宮崎|880-889|105|宮崎市 都城市 延岡市
46|鹿児島県|鹿児島|890-899|156|鹿児島市 霧島市 鹿屋市
47|沖縄県|沖縄|900-909|147|那覇市 沖縄市 うるま市 浦添市
`;

export const prefectures: readonly Prefecture[] = table
  .trim()
  .split('\n')
  .map((line) => {
    const [code, name, shortName, postal, population, municipalities] = line.split('|');
    const [low, high] = postal!.split('-');
    return {
      code: code!,
      name: name!,
      shortName: shortName!,
      postalLow: Number(low),
      postalHigh: Number(high),
      population: Number(population),
      municipalities: municipalities!.split(' '),
    };
  });

/** Generic town names (町名); the same name recurs in many municipalities, as in reality. */
export const townNames: readonly string[] = `本町 中央 栄町 緑町 旭町 幸町 東町 西町 南町 北町 桜木町 若葉
  宮前 新町 大手町 寿町 松原 青葉台 日の出町 錦町 曙町 住吉町 元町 港町 泉町 富士見町 平和町 春日町 昭和町
  末広町 花園町 柳町 朝日町 城山 緑が丘 桜ケ丘 旭が丘 東雲 川端町 山手町`
  .trim()
  .split(/\s+/);

/**
 * The postal code of a town: the municipality fixes the first three digits inside the
 * prefecture's range, the town the last four. Same place → same code.
 */
export function postalCode(prefecture: Prefecture, municipalityIndex: number, town: string): string {
  const span = prefecture.postalHigh - prefecture.postalLow + 1;
  const first = prefecture.postalLow + ((municipalityIndex * 7 + 3) % span);
  const last = hash32(`${prefecture.code}/${municipalityIndex}/${town}`) % 10_000;
  return `${String(first).padStart(3, '0')}-${String(last).padStart(4, '0')}`;
}
