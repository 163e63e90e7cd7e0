import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncomeTier } from '../domain.ts';
import { isLimitCertificateConsistent, limitCategory } from './limit.ts';

// Born 2 May 1954: 高齢受給者 from 2024-06-01; 75th birthday 2029-05-02.
const birthdate = '1954-05-02';
const under70 = '2024-05-31';
const at70 = '2024-06-01';
const at74 = '2029-05-01';
const at75 = '2029-05-02';

function category(on: string, incomeTier: IncomeTier) {
  return limitCategory({ birthdate, on, incomeTier });
}

describe('limitCategory', () => {
  it('maps every tier under 70 to ア–オ', () => {
    assert.deepEqual(category(under70, 'high3'), { category: 'A01', classification: '01' });
    assert.deepEqual(category(under70, 'high2'), { category: 'A02', classification: '01' });
    assert.deepEqual(category(under70, 'high1'), { category: 'A03', classification: '01' });
    assert.deepEqual(category(under70, 'general2'), { category: 'A04', classification: '01' });
    assert.deepEqual(category(under70, 'general'), { category: 'A04', classification: '01' });
    assert.deepEqual(category(under70, 'low2'), { category: 'A05', classification: '02' });
    assert.deepEqual(category(under70, 'low1'), { category: 'A05', classification: '02' });
  });

  it('maps every tier from the 高齢受給者 start to 74', () => {
    for (const on of [at70, at74]) {
      assert.deepEqual(category(on, 'high3'), { category: 'B01' });
      assert.deepEqual(category(on, 'high2'), { category: 'B02', classification: '01' });
      assert.deepEqual(category(on, 'high1'), { category: 'B03', classification: '01' });
      assert.deepEqual(category(on, 'general2'), { category: 'B04' });
      assert.deepEqual(category(on, 'general'), { category: 'B04' });
      assert.deepEqual(category(on, 'low2'), { category: 'B05', classification: '02' });
      assert.deepEqual(category(on, 'low1'), { category: 'B06', classification: '02' });
    }
  });

  it('splits 一般 into 一般Ⅱ and 一般Ⅰ from the 75th birthday', () => {
    assert.deepEqual(category(at75, 'general2'), { category: 'B09' });
    assert.deepEqual(category(at75, 'general'), { category: 'B10' });
    assert.deepEqual(category(at75, 'high3'), { category: 'B01' });
    assert.deepEqual(category(at75, 'high1'), { category: 'B03', classification: '01' });
    assert.deepEqual(category(at75, 'low1'), { category: 'B06', classification: '02' });
  });

  it('uses the 後期 categories for 広域連合 members under 75', () => {
    assert.deepEqual(limitCategory({ birthdate, on: at70, incomeTier: 'general', insurerKind: 'kouki' }), {
      category: 'B10',
    });
  });
});

describe('isLimitCertificateConsistent', () => {
  it('allows A-codes only before the 高齢受給者 start', () => {
    assert.equal(isLimitCertificateConsistent('A01', birthdate, under70), true);
    assert.equal(isLimitCertificateConsistent('A06', birthdate, under70), true);
    assert.equal(isLimitCertificateConsistent('A01', birthdate, at70), false);
  });

  it('allows B-codes only from the 高齢受給者 start', () => {
    assert.equal(isLimitCertificateConsistent('B04', birthdate, under70), false);
    assert.equal(isLimitCertificateConsistent('B04', birthdate, at70), true);
    assert.equal(isLimitCertificateConsistent('B08', birthdate, at75), true);
  });

  it('allows B09 and B10 only for 後期高齢者', () => {
    assert.equal(isLimitCertificateConsistent('B09', birthdate, at74), false);
    assert.equal(isLimitCertificateConsistent('B10', birthdate, at75), true);
    assert.equal(isLimitCertificateConsistent('B10', birthdate, at70, 'kouki'), true);
  });

  it('refuses unknown categories', () => {
    for (const bad of ['A07', 'B11', 'B00', '', 'C01']) {
      assert.equal(isLimitCertificateConsistent(bad, birthdate, at75), false, bad);
    }
  });
});
