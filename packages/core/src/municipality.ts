/**
 * 全国地方公共団体コード (municipality codes): 2 digits 都道府県 + 3 digits 市区町村, followed in
 * the 6-digit form by a check digit (JIS X 0401/0402): weights 6,5,4,3,2 over the five digits,
 * check = last digit of 11 − (sum mod 11). The store keeps the 5-digit form.
 */
import { OnshiError } from './errors.ts';

export function municipalityCheckDigit(body: string): number {
  if (!/^\d{5}$/.test(body)) throw new RangeError(`municipality code body must be 5 digits: '${body}'`);
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += Number(body[i]) * (6 - i);
  return (11 - (sum % 11)) % 10;
}

/** The 5-digit code of a 5- or 6-digit one (the check digit verified); MUNICIPALITY_CODE_INVALID otherwise. */
export function normalizeMunicipalityCode(value: string): string {
  if (!/^\d{5,6}$/.test(value)) {
    throw new OnshiError('MUNICIPALITY_CODE_INVALID', { value, detail: '5桁または6桁の数字です' });
  }
  const body = value.slice(0, 5);
  const prefecture = Number(body.slice(0, 2));
  if (prefecture < 1 || prefecture > 47) {
    throw new OnshiError('MUNICIPALITY_CODE_INVALID', { value, detail: '都道府県コードは 01〜47 です' });
  }
  if (value.length === 6 && Number(value[5]) !== municipalityCheckDigit(body)) {
    throw new OnshiError('MUNICIPALITY_CODE_INVALID', {
      value,
      detail: `検査数字が一致しません（期待値 ${municipalityCheckDigit(body)}）`,
    });
  }
  return body;
}
