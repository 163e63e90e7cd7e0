// Dates as a Japanese medical office reads them: a birth date in 西暦 with its 和暦 beside it
// (保険証 and 受給者証 print 和暦), and half-width kana from OQS answers shown full-width.

import { lang } from './i18n.js';

/** Each era's first day (inclusive), newest first. */
const eras = [
  { ja: '令和', en: 'R', from: '2019-05-01' },
  { ja: '平成', en: 'H', from: '1989-01-08' },
  { ja: '昭和', en: 'S', from: '1926-12-25' },
  { ja: '大正', en: 'T', from: '1912-07-30' },
  { ja: '明治', en: 'M', from: '1868-01-25' },
];

/** 'yyyy-MM-dd' (or yyyyMMdd) → 昭和53年4月24日 (ja) / S53.4.24 (en); '' when not a date of an era. */
export function wareki(value) {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value ?? '');
  if (!match) return '';
  const iso = `${match[1]}-${match[2]}-${match[3]}`;
  const era = eras.find((e) => iso >= e.from);
  if (!era) return '';
  const year = Number(match[1]) - Number(era.from.slice(0, 4)) + 1;
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (lang() === 'en') return `${era.en}${year}.${month}.${day}`;
  return `${era.ja}${year === 1 ? '元' : year}年${month}月${day}日`;
}

/** 1978-04-24（昭和53年4月24日）, or the value as it is when it is not a date. */
export function birthdate(value) {
  if (!value) return '';
  const w = wareki(value);
  if (!w) return value;
  return lang() === 'en' ? `${value} (${w})` : `${value}（${w}）`;
}

/** ｵｵﾀ ｸﾐｺ → オオタ クミコ (NFKC also turns full-width digits and letters into ASCII). */
export function kana(value) {
  return value ? value.normalize('NFKC') : '';
}

/** A text in parentheses as the language writes them: （…） in Japanese, (…) in English. */
export function paren(text) {
  return lang() === 'en' ? ` (${text})` : `（${text}）`;
}
