import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OnshiError } from './errors.ts';
import {
  assertCustomerId,
  assertInstitutionCode,
  assertInsurerNumber,
  institutionCodeCheckDigit,
  institutionKindFromCode,
  insurerNumberCheckDigit,
  mod10Weight21,
  padInsurerNumber,
  validateCustomerId,
  validateInstitutionCode,
  validateInsurerNumber,
} from './validators.ts';

/**
 * Publicly documented numbers, each with its source:
 * - 33120015: worked example in http://www5f.biglobe.ne.jp/~h-it/mlcont/mc0124.htm (千葉県警)
 * - 01040013: 協会けんぽ宮城支部, http://www.kyoukaikenpo.or.jp/shibu/miyagi/20170308001
 * - 54016027: 公費負担者番号 worked example, http://nanbyo.ukure.com/kiten (same algorithm)
 */
const publishedInsurerNumbers = ['33120015', '01040013', '54016027'];

/**
 * - 0110113719: example code in ja.wikipedia 「処方箋発行医療機関コード」
 * - 3618010015: 徳島大学病院 (徳島県 36, 医科 1, 医療機関番号 80-1001-5 as listed in
 *   http://myozai119.jp/Qsuke6/Q6Manual684.htm)
 */
const publishedInstitutionCodes = ['0110113719', '3618010015'];

describe('mod10Weight21', () => {
  it('doubles from the rightmost digit and adds the digits of two-digit products', () => {
    // 3312001 → 2·1, 1·0, 2·0, 1·2, 2·1, 1·3, 2·3 = 2+0+0+2+2+3+6 = 15 → 5
    assert.equal(mod10Weight21('3312001'), 5);
    // 9 → 18 → 1+8 = 9 → 1
    assert.equal(mod10Weight21('9'), 1);
    // sum 10 → 0 (not 10)
    assert.equal(mod10Weight21('19'), 0); // 2·9=18→9, +1 = 10
    assert.throws(() => mod10Weight21('12a'), RangeError);
  });
});

describe('保険者番号', () => {
  it('reproduces the check digit of published numbers', () => {
    for (const n of publishedInsurerNumbers) {
      assert.equal(insurerNumberCheckDigit(n.slice(0, 7)), Number(n[7]), n);
      assert.deepEqual(validateInsurerNumber(n), { ok: true, insurerNumber: n });
    }
  });

  it('computes 6-digit 市町村国保 check digits over 5 digits', () => {
    // 01001 → 2·1 + 0 + 2·0 + 1 + 2·0 = 3 → 7
    assert.equal(insurerNumberCheckDigit('01001'), 7);
    // 13119 → 2·9=18→9, 1, 2·1=2, 3, 2·1=2 → 17 → 3
    assert.equal(insurerNumberCheckDigit('13119'), 3);
    assert.throws(() => insurerNumberCheckDigit('010011'), RangeError);
  });

  it('accepts 6 digits, bare or right-aligned with two spaces, and returns them unpadded', () => {
    assert.deepEqual(validateInsurerNumber('010017'), { ok: true, insurerNumber: '010017' });
    assert.deepEqual(validateInsurerNumber('  010017'), { ok: true, insurerNumber: '010017' });
    assert.equal(padInsurerNumber('010017'), '  010017');
    assert.equal(padInsurerNumber('01040013'), '01040013');
  });

  it('rejects wrong check digits, lengths, padding and prefectures', () => {
    for (const bad of ['33120014', '010018', '0104001', '010400130', ' 010017', '010017  ', '3312001a', '']) {
      assert.equal(validateInsurerNumber(bad).ok, false, bad);
    }
    // 都道府県番号 48 with a correct check digit is still refused.
    const body = '0648001';
    assert.equal(validateInsurerNumber(body + insurerNumberCheckDigit(body)).ok, false);
  });

  it('detects every single-digit substitution of a published number', () => {
    const n = '01040013';
    for (let i = 0; i < 8; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === n[i]) continue;
        const changed = n.slice(0, i) + d + n.slice(i + 1);
        assert.equal(validateInsurerNumber(changed).ok, false, changed);
      }
    }
  });

  it('assertInsurerNumber throws INSURER_NUMBER_INVALID with the value', () => {
    assert.equal(assertInsurerNumber('  010017'), '010017');
    assert.throws(
      () => assertInsurerNumber('33120014'),
      (e: unknown) =>
        e instanceof OnshiError && e.code === 'INSURER_NUMBER_INVALID' && e.params.value === '33120014',
    );
  });
});

describe('医療機関コード', () => {
  it('reproduces the check digit of published codes over the first 9 digits', () => {
    for (const code of publishedInstitutionCodes) {
      assert.equal(institutionCodeCheckDigit(code.slice(0, 9)), Number(code[9]), code);
      assert.deepEqual(validateInstitutionCode(code), { ok: true, institutionCode: code });
    }
  });

  it('is not the 6-digit variant: that one would not match the published codes', () => {
    assert.notEqual(mod10Weight21('011371'), 9);
    assert.notEqual(mod10Weight21('801001'), 5);
    assert.throws(() => institutionCodeCheckDigit('011371'), RangeError);
  });

  it('tells 医科, 歯科 and 調剤 apart', () => {
    assert.equal(institutionKindFromCode('0110113719'), 'medical');
    const dental = `013011371${institutionCodeCheckDigit('013011371')}`;
    const pharmacy = `014011371${institutionCodeCheckDigit('014011371')}`;
    assert.equal(institutionKindFromCode(dental), 'dental');
    assert.equal(institutionKindFromCode(pharmacy), 'pharmacy');
  });

  it('rejects wrong check digits, lengths, 点数表番号 and prefectures', () => {
    const table2 = `012011371${institutionCodeCheckDigit('012011371')}`;
    const pref00 = `001011371${institutionCodeCheckDigit('001011371')}`;
    for (const bad of ['0110113718', '011011371', '01101137190', table2, pref00, '01101137a9']) {
      assert.equal(validateInstitutionCode(bad).ok, false, bad);
    }
    assert.throws(
      () => assertInstitutionCode('0110113718'),
      (e: unknown) => e instanceof OnshiError && e.code === 'INSTITUTION_CODE_INVALID',
    );
    assert.throws(
      () => institutionKindFromCode(table2),
      (e: unknown) => e instanceof OnshiError && e.code === 'INSTITUTION_CODE_INVALID',
    );
  });
});

describe('お客様ID', () => {
  it('accepts CAF + 10 digits and COP + 8 digits only', () => {
    assert.deepEqual(validateCustomerId('CAF1234567890'), { ok: true, customerId: 'CAF1234567890' });
    assert.deepEqual(validateCustomerId('COP12345678'), { ok: true, customerId: 'COP12345678' });
    for (const bad of [
      'CAF123456789',
      'CAF12345678901',
      'COP1234567',
      'COP123456789',
      'caf1234567890',
      'CAP1234567890',
    ]) {
      assert.equal(validateCustomerId(bad).ok, false, bad);
    }
    assert.equal(assertCustomerId('COP12345678'), 'COP12345678');
    assert.throws(
      () => assertCustomerId('COP1234567'),
      (e: unknown) => e instanceof OnshiError && e.code === 'CUSTOMER_ID_INVALID',
    );
  });
});
