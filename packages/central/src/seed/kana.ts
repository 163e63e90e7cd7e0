/**
 * Full-width katakana → half-width katakana (半角カナ), the form NameKana takes on the wire
 * ('ﾔﾏﾀﾞ ﾀﾛｳ'): voiced and semi-voiced syllables become two characters (ﾀﾞ, ﾊﾟ); the full-width
 * space becomes a half-width space. Characters outside the table are kept as they are.
 */

const plainFull =
  'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォャュョッー';
const plainHalf = 'ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｬｭｮｯｰ';
const voicedFull = 'ガギグゲゴザジズゼゾダヂヅデドバビブベボ';
const voicedBase = 'ｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎ';
const semiVoicedFull = 'パピプペポ';
const semiVoicedBase = 'ﾊﾋﾌﾍﾎ';

const table = new Map<string, string>();
for (let i = 0; i < plainFull.length; i++) table.set(plainFull[i]!, plainHalf[i]!);
for (let i = 0; i < voicedFull.length; i++) table.set(voicedFull[i]!, `${voicedBase[i]}ﾞ`);
for (let i = 0; i < semiVoicedFull.length; i++) table.set(semiVoicedFull[i]!, `${semiVoicedBase[i]}ﾟ`);
table.set('ヴ', 'ｳﾞ');
table.set('\u3000', ' ');

export function toHalfWidthKana(fullWidth: string): string {
  let out = '';
  for (const ch of fullWidth) out += table.get(ch) ?? ch;
  return out;
}

/** True when `text` is half-width katakana words separated by single half-width spaces. */
export function isHalfWidthKana(text: string): boolean {
  return /^[\uFF66-\uFF9F]+( [\uFF66-\uFF9F]+)*$/.test(text);
}

const fullWidthDigits = '０１２３４５６７８９';

/** 12 → '１２' (addresses carry full-width digits). */
export function toFullWidthDigits(value: number | string): string {
  let out = '';
  for (const ch of String(value)) out += fullWidthDigits[ch.charCodeAt(0) - 48] ?? ch;
  return out;
}
