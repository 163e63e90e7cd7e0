/**
 * The one-statement lookup attaches to each candidate exactly the certificates that the
 * per-certificate reads (certificates.repo.ts) find for its qualification on the date: the most
 * recently started 高齢受給者証 and 限度額適用認定証, every 特定疾病療養受療証 in their order —
 * including overlapping validity, several diseases, open ends, and candidates without any.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import {
  findElderlyCertificate,
  findLimitCertificate,
  listSpecificDiseaseCertificates,
  upsertElderlyCertificate,
  upsertLimitCertificate,
  upsertSpecificDiseaseCertificate,
} from '../certificates/certificates.repo.ts';
import type { Store } from '../store/store.ts';
import { addInsurer, addPerson, addQualification, institutionCode, insurerNumber } from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import { type EligibilityCandidate, findCandidates, findCandidatesOfPerson } from './eligibility.repo.ts';

const clinic = institutionCode('13', '1', '012345');
const kumiai = insurerNumber('06', '13', '777');
const birthdate = '1953-04-10';
const dates = [
  '2019-12-31',
  '2020-01-01',
  '2021-06-30',
  '2022-03-31',
  '2022-04-01',
  '2023-05-05',
  '2030-01-01',
];

/** Two qualifications of one person under the same card key (reused after loss), one of them with
 * overlapping certificates of every kind; a third without certificates. */
async function writeCertificates(s: Store): Promise<number> {
  await addInsurer(s, kumiai, 'kumiai');
  const personId = await addPerson(s, { birthdate });
  const card = { personId, insurerNumber: kumiai, cardSymbol: '7', cardNumber: '70', branchNumber: '01' };
  const old = await addQualification(s, {
    ...card,
    qualificationDate: '2010-04-01',
    disqualificationDate: '2019-12-31',
    reasonOfLoss: '03',
  });
  const current = await addQualification(s, { ...card, qualificationDate: '2020-01-01' });
  await addQualification(s, {
    personId,
    insurerNumber: kumiai,
    cardNumber: '71',
    qualificationDate: '2020-01-01',
  });
  const elderly = (validStartDate: string, validEndDate: string | undefined, ratio: number) =>
    ({ issuanceDate: '2019-12-01', validStartDate, validEndDate, contributionRatio: ratio }) as const;
  await upsertElderlyCertificate(s, { qualificationId: old, ...elderly('2015-01-01', undefined, 20) });
  await upsertElderlyCertificate(s, { qualificationId: current, ...elderly('2020-01-01', undefined, 20) });
  await upsertElderlyCertificate(s, { qualificationId: current, ...elderly('2022-04-01', '2023-03-31', 30) });
  for (const [start, end, category] of [
    ['2020-01-01', '2022-03-31', 'A01'],
    ['2021-01-01', undefined, 'A02'],
    ['2022-04-01', '2022-12-31', 'A03'],
  ] as const) {
    const limit = { classification: '01', category, issuanceDate: start, validStartDate: start };
    await upsertLimitCertificate(s, { qualificationId: current, ...limit, validEndDate: end });
  }
  for (const [category, start, end, selfPay] of [
    ['2', '2020-01-01', undefined, 20000],
    ['1', '2020-01-01', '2022-03-31', 10000],
    ['1', '2021-01-01', undefined, 10000],
    ['3', '2023-01-01', '2023-01-31', 5000],
  ] as const) {
    const specific = { diseaseCategory: category, issuanceDate: start, validStartDate: start, selfPay };
    await upsertSpecificDiseaseCertificate(s, { qualificationId: current, ...specific, validEndDate: end });
  }
  return personId;
}

async function assertSameAsSeparateReads(
  s: Store,
  found: readonly EligibilityCandidate[],
  on: string,
): Promise<void> {
  for (const c of found) {
    const id = c.qualification.qualificationId;
    assert.deepEqual(c.elderly, await findElderlyCertificate(s, id, on), `elderly ${id} on ${on}`);
    assert.deepEqual(c.limit, await findLimitCertificate(s, id, on), `limit ${id} on ${on}`);
    const specific = await listSpecificDiseaseCertificates(s, id, on);
    assert.deepEqual(c.specificDiseases, specific, `specific ${id} on ${on}`);
  }
}

forEachStore('eligibility lookup: certificates in the same statement', (store) => {
  let personId: number;
  before(async () => {
    personId = await writeCertificates(store());
  });

  it('gives each card-data candidate the certificates valid on the date', async () => {
    let withSeveral = 0;
    for (const on of dates) {
      const lookup = { institutionCode: clinic, insurerNumber: kumiai, cardSymbol: '7', cardNumber: '70' };
      for (const branchNumber of ['', '01']) {
        const found = await findCandidates(store(), { ...lookup, branchNumber, birthdate, on });
        assert.equal(found.length, 2, 'one candidate per qualification');
        await assertSameAsSeparateReads(store(), found, on);
        withSeveral += found.filter((c) => c.specificDiseases.length > 1).length;
      }
    }
    assert.ok(withSeveral > 0, 'the dates include one with several 特定疾病 certificates');
  });

  it('gives each of a person’s qualifications the certificates valid on the date', async () => {
    for (const on of dates) {
      const found = await findCandidatesOfPerson(store(), { institutionCode: clinic, personId, on });
      assert.deepEqual(
        found.map((c) => c.qualification.cardNumber),
        ['70', '70', '71'],
        'oldest first, one per qualification',
      );
      await assertSameAsSeparateReads(store(), found, on);
    }
  });
});
