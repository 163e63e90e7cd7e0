/**
 * Format and check-digit validation of the identifiers the system receives: 保険者番号,
 * 医療機関コード and the NTT お客様ID. Pure functions; `assert*` variants throw `OnshiError`.
 *
 * Both check digits are the same modulus-10 scheme with weights 2 and 1 (Luhn): starting at the
 * rightmost digit of the body, multiply alternately by 2 and 1, add the DIGITS of each product,
 * and the check digit is (10 − sum mod 10) mod 10.
 *
 * - 保険者番号 (保険者番号等設定要領, as quoted in
 *   http://www5f.biglobe.ne.jp/~h-it/mlcont/mc0124.htm): the body is 法別番号 + 都道府県番号 +
 *   保険者別番号 (7 digits; 5 for 市町村国保, which have no 法別番号). Worked example there:
 *   千葉県警察共済 33120015.
 * - 医療機関コード: the check digit at the end of the 7-digit 医療機関番号 is computed together with
 *   the 都道府県番号 and 点数表番号, i.e. over the first 9 digits of the 10-digit code
 *   (ja.wikipedia 「処方箋発行医療機関コード」, which names the Luhn algorithm and gives the example
 *   0110113719). Computing it over the 6 digits of the 医療機関番号 alone does NOT reproduce the
 *   published codes (see validators.test.ts).
 */
import { OnshiError } from './errors.ts';

export type Validation<K extends string> =
  | ({ readonly ok: true } & { readonly [P in K]: string })
  | { readonly ok: false; readonly reason: string };

/** Modulus 10, weights 2-1 from the rightmost digit, digits of each product summed. */
export function mod10Weight21(body: string): number {
  if (!/^\d+$/.test(body)) throw new RangeError(`check-digit body must be digits: '${body}'`);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    const product = i % 2 === 0 ? digit * 2 : digit;
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

// --- 保険者番号

/**
 * 検証番号 of a 保険者番号 body: 7 digits (法別2 + 都道府県2 + 保険者別3) or 5 digits for
 * 市町村国保 (都道府県2 + 保険者別3).
 */
export function insurerNumberCheckDigit(body: string): number {
  if (!/^(\d{5}|\d{7})$/.test(body)) {
    throw new RangeError(`insurer number body must be 7 or 5 digits: '${body}'`);
  }
  return mod10Weight21(body);
}

function isPrefectureCode(value: string): boolean {
  const n = Number(value);
  return /^\d{2}$/.test(value) && n >= 1 && n <= 47;
}

/**
 * Accepts 8 digits, 6 digits (市町村国保), or 6 digits right-aligned to 8 with leading spaces (as
 * results carry them). On success `insurerNumber` is the unpadded digits.
 */
export function validateInsurerNumber(value: string): Validation<'insurerNumber'> {
  const digits = /^ {2}\d{6}$/.test(value) ? value.slice(2) : value;
  if (!/^(\d{8}|\d{6})$/.test(digits)) {
    return { ok: false, reason: '8桁または6桁の数字である必要があります' };
  }
  const prefecture = digits.length === 8 ? digits.slice(2, 4) : digits.slice(0, 2);
  if (!isPrefectureCode(prefecture)) {
    return { ok: false, reason: `都道府県番号 ${prefecture} は 01〜47 の範囲外です` };
  }
  const expected = insurerNumberCheckDigit(digits.slice(0, -1));
  if (Number(digits.slice(-1)) !== expected) {
    return { ok: false, reason: `検証番号が一致しません（期待値 ${expected}）` };
  }
  return { ok: true, insurerNumber: digits };
}

/** Right-aligns a 6-digit 市町村国保 number to 8 characters with spaces; 8 digits unchanged. */
export function padInsurerNumber(insurerNumber: string): string {
  return insurerNumber.padStart(8, ' ');
}

/** Returns the unpadded digits, or throws INSURER_NUMBER_INVALID. */
export function assertInsurerNumber(value: string): string {
  const result = validateInsurerNumber(value);
  if (!result.ok) throw new OnshiError('INSURER_NUMBER_INVALID', { value, detail: result.reason });
  return result.insurerNumber;
}

// --- 医療機関コード

/** 点数表番号 → kind of institution. */
export const institutionKinds = { '1': 'medical', '3': 'dental', '4': 'pharmacy' } as const;

/** 医科 / 歯科 / 調剤 */
export type InstitutionKind = (typeof institutionKinds)[keyof typeof institutionKinds];

/**
 * 検証番号 of a 医療機関コード over its first 9 digits: 都道府県番号(2) + 点数表番号(1) +
 * 郡市区番号(2) + 医療機関等番号(4).
 */
export function institutionCodeCheckDigit(body: string): number {
  if (!/^\d{9}$/.test(body)) {
    throw new RangeError(`institution code body must be 9 digits (都道府県+点数表+6): '${body}'`);
  }
  return mod10Weight21(body);
}

/** 10 digits = 都道府県番号(2) + 点数表番号(1) + 医療機関番号(7, ending in the 検証番号). */
export function validateInstitutionCode(value: string): Validation<'institutionCode'> {
  if (!/^\d{10}$/.test(value)) return { ok: false, reason: '10桁の数字である必要があります' };
  if (!isPrefectureCode(value.slice(0, 2))) {
    return { ok: false, reason: `都道府県番号 ${value.slice(0, 2)} は 01〜47 の範囲外です` };
  }
  if (!(value[2]! in institutionKinds)) {
    return { ok: false, reason: `点数表番号 ${value[2]} は 1・3・4 のいずれかである必要があります` };
  }
  const expected = institutionCodeCheckDigit(value.slice(0, 9));
  if (Number(value[9]) !== expected) {
    return { ok: false, reason: `検証番号が一致しません（期待値 ${expected}）` };
  }
  return { ok: true, institutionCode: value };
}

export function assertInstitutionCode(value: string): string {
  const result = validateInstitutionCode(value);
  if (!result.ok) throw new OnshiError('INSTITUTION_CODE_INVALID', { value, detail: result.reason });
  return result.institutionCode;
}

/** 医科・歯科・調剤 from the 点数表番号 (3rd digit); throws INSTITUTION_CODE_INVALID when invalid. */
export function institutionKindFromCode(code: string): InstitutionKind {
  const valid = assertInstitutionCode(code);
  return institutionKinds[valid[2] as keyof typeof institutionKinds];
}

// --- NTT お客様ID

/**
 * お客様ID of an NTT line: `CAF` + 10 digits (NTT東日本) or `COP` + 8 digits (NTT西日本). Format
 * only: no check digit is publicly documented.
 */
export function validateCustomerId(value: string): Validation<'customerId'> {
  if (/^CAF\d{10}$/.test(value) || /^COP\d{8}$/.test(value)) return { ok: true, customerId: value };
  return { ok: false, reason: 'CAF＋10桁（NTT東日本）または COP＋8桁（NTT西日本）である必要があります' };
}

export function assertCustomerId(value: string): string {
  const result = validateCustomerId(value);
  if (!result.ok) throw new OnshiError('CUSTOMER_ID_INVALID', { value, detail: result.reason });
  return result.customerId;
}
