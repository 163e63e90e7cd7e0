import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeMunicipalityCode } from '../municipality.ts';
import { consentExpiry, consentStateOf, OUTPATIENT_CONSENT_MS } from './consent.ts';

const t0 = Date.parse('2026-06-01T00:00:00Z');

describe('consent state', () => {
  it('lives 24 h for outpatient and online care, until revoked for home visits', () => {
    assert.equal(consentExpiry('outpatient', t0), t0 + OUTPATIENT_CONSENT_MS);
    assert.equal(consentExpiry('online', t0), t0 + OUTPATIENT_CONSENT_MS);
    assert.equal(consentExpiry('home-visit', t0), undefined);
  });

  it('is 同意あり until the expiry, then 期限切れ with reason 0', () => {
    const record = { consented: true, givenAt: t0, expiresAt: t0 + OUTPATIENT_CONSENT_MS };
    assert.equal(consentStateOf(record, t0 + OUTPATIENT_CONSENT_MS - 1).flag, '1');
    assert.deepEqual(consentStateOf(record, t0 + OUTPATIENT_CONSENT_MS), {
      flag: '2',
      givenAt: t0,
      reason: '0',
      endedAt: t0 + OUTPATIENT_CONSENT_MS,
      expiresAt: t0 + OUTPATIENT_CONSENT_MS,
    });
  });

  it('is 期限切れ with the OQSCD031 reason once revoked, 同意なし when refused or never asked', () => {
    const revoked = { consented: true, givenAt: t0, revokedAt: t0 + 5, revokeReason: '2' };
    assert.equal(consentStateOf(revoked, t0 + 4).flag, '1');
    assert.deepEqual(consentStateOf(revoked, t0 + 5), {
      flag: '2',
      givenAt: t0,
      reason: '2',
      endedAt: t0 + 5,
      expiresAt: undefined,
    });
    assert.deepEqual(consentStateOf({ consented: false, givenAt: t0 }, t0), { flag: '0', givenAt: t0 });
    assert.deepEqual(consentStateOf(undefined, t0), { flag: '0' });
  });
});

describe('municipality codes', () => {
  it('accepts 5 digits and 6 digits with the right check digit', () => {
    assert.equal(normalizeMunicipalityCode('131016'), '13101'); // 千代田区
    assert.equal(normalizeMunicipalityCode('011002'), '01100'); // 札幌市
    assert.equal(normalizeMunicipalityCode('420000'), '42000'); // 長崎県 (remainder 1 → 0)
    assert.equal(normalizeMunicipalityCode('220001'), '22000'); // 静岡県 (remainder 0 → 1)
    assert.equal(normalizeMunicipalityCode('17206'), '17206');
  });

  it('refuses a wrong check digit, a prefecture out of range and other shapes', () => {
    for (const bad of ['131017', '481001', '00100', '1310', '13101a']) {
      assert.throws(() => normalizeMunicipalityCode(bad), { code: 'MUNICIPALITY_CODE_INVALID' }, bad);
    }
  });
});
