/**
 * Name lists for the synthetic population: common family names (in rough order of frequency) and
 * given names typical of three birth eras, each with its reading. Names are combined at random; no
 * list entry describes a real person.
 */

export interface NameEntry {
  readonly kanji: string;
  /** full-width katakana reading */
  readonly kana: string;
}

function parse(list: string): readonly NameEntry[] {
  return list
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [kanji, kana] = pair.split(':');
      return { kanji: kanji!, kana: kana! };
    });
}

export const familyNames = parse(`
佐藤:サトウ 鈴木:スズキ 高橋:タカハシ 田中:タナカ 伊藤:イトウ 渡辺:ワタナベ 山本:ヤマモト 中村:ナカムラ
小林:コバヤシ 加藤:カトウ 吉田:ヨシダ 山田:ヤマダ 佐々木:ササキ 山口:ヤマグチ 松本:マツモト 井上:イノウエ
木村:キムラ 林:ハヤシ 斎藤:サイトウ 清水:シミズ 山崎:ヤマザキ 森:モリ 池田:イケダ 橋本:ハシモト
阿部:アベ 石川:イシカワ 山下:ヤマシタ 中島:ナカジマ 石井:イシイ 小川:オガワ 前田:マエダ 岡田:オカダ
長谷川:ハセガワ 藤田:フジタ 後藤:ゴトウ 近藤:コンドウ 村上:ムラカミ 遠藤:エンドウ 青木:アオキ 坂本:サカモト
斉藤:サイトウ 福田:フクダ 太田:オオタ 西村:ニシムラ 藤井:フジイ 金子:カネコ 岡本:オカモト 藤原:フジワラ
中野:ナカノ 三浦:ミウラ 原田:ハラダ 中川:ナカガワ 松田:マツダ 竹内:タケウチ 小野:オノ 田村:タムラ
中山:ナカヤマ 和田:ワダ 石田:イシダ 森田:モリタ 上田:ウエダ 原:ハラ 内田:ウチダ 柴田:シバタ
酒井:サカイ 宮崎:ミヤザキ 横山:ヨコヤマ 高木:タカギ 安藤:アンドウ 宮本:ミヤモト 大野:オオノ 小島:コジマ
工藤:クドウ 谷口:タニグチ 今井:イマイ 高田:タカダ 丸山:マルヤマ 増田:マスダ 杉山:スギヤマ 村田:ムラタ
大塚:オオツカ 小山:コヤマ 平野:ヒラノ 藤本:フジモト 河野:コウノ 上野:ウエノ 野口:ノグチ 武田:タケダ
松井:マツイ 千葉:チバ 岩崎:イワサキ 菅原:スガワラ 木下:キノシタ 久保:クボ 佐野:サノ 野村:ノムラ
松尾:マツオ 市川:イチカワ 菊地:キクチ 杉本:スギモト
`);

/** Given names by birth era: before 1960, 1960–1989, 1990 on. */
export const maleGivenNames: readonly (readonly NameEntry[])[] = [
  parse(`清:キヨシ 茂:シゲル 実:ミノル 進:ススム 博:ヒロシ 勇:イサム 正:タダシ 弘:ヒロシ 修:オサム 明:アキラ
    勝:マサル 武:タケシ 豊:ユタカ 稔:ミノル 昭:アキラ 正男:マサオ 一郎:イチロウ 太郎:タロウ 三郎:サブロウ 和夫:カズオ`),
  parse(`誠:マコト 大輔:ダイスケ 健一:ケンイチ 浩:ヒロシ 隆:タカシ 直樹:ナオキ 和也:カズヤ 達也:タツヤ 哲也:テツヤ
    拓也:タクヤ 剛:ツヨシ 健太:ケンタ 秀樹:ヒデキ 聡:サトシ 学:マナブ 亮:リョウ 翔:ショウ 大樹:ダイキ 康弘:ヤスヒロ
    洋平:ヨウヘイ`),
  parse(`翔太:ショウタ 大翔:ヒロト 蓮:レン 悠真:ユウマ 湊:ミナト 陽翔:ハルト 颯太:ソウタ 樹:イツキ 大和:ヤマト
    悠人:ユウト 蒼:アオイ 陸:リク 奏太:カナタ 海斗:カイト 拓海:タクミ 優斗:ユウト 大輝:ダイキ 朝陽:アサヒ 律:リツ
    悠斗:ハルト`),
];

export const femaleGivenNames: readonly (readonly NameEntry[])[] = [
  parse(`和子:カズコ 幸子:サチコ 節子:セツコ 洋子:ヨウコ 恵子:ケイコ 京子:キョウコ 久子:ヒサコ 美代子:ミヨコ
    文子:フミコ 悦子:エツコ 弘子:ヒロコ 信子:ノブコ 千代子:チヨコ 静子:シズコ 光子:ミツコ 君子:キミコ 芳子:ヨシコ
    道子:ミチコ 和江:カズエ 昌子:マサコ`),
  parse(`裕子:ユウコ 明美:アケミ 真由美:マユミ 智子:トモコ 恵美:エミ 久美子:クミコ 陽子:ヨウコ 愛:アイ 彩:アヤ
    美穂:ミホ 直美:ナオミ 由美子:ユミコ 香織:カオリ 麻衣:マイ 舞:マイ 千尋:チヒロ 沙織:サオリ 恵:メグミ 美紀:ミキ
    朋子:トモコ`),
  parse(`陽菜:ヒナ 結衣:ユイ 葵:アオイ さくら:サクラ 美咲:ミサキ 凛:リン 結菜:ユイナ 芽依:メイ 陽葵:ヒマリ 紬:ツムギ
    莉子:リコ 花:ハナ 杏:アン 美月:ミヅキ 彩花:アヤカ 七海:ナナミ 心春:コハル 結愛:ユア 澪:ミオ 楓:カエデ`),
];

/** The era index of a birth year for the given-name lists. */
export function nameEra(birthYear: number): 0 | 1 | 2 {
  if (birthYear < 1960) return 0;
  return birthYear < 1990 ? 1 : 2;
}
