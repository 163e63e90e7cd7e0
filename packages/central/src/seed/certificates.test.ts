import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ageOn, isLimitCertificateConsistent, limitCategory } from '@onshi/core';
import { DEFAULT_AS_OF, generatePopulation, type HouseholdRecords } from './population.ts';

const asOf = DEFAULT_AS_OF;
const households: HouseholdRecords[] = [...generatePopulation({ persons: 30_000, seed: 3 })];
const persons = new Map(households.flatMap((h) => h.persons).map((p) => [p.personId, p]));
const qualifications = new Map(
  households.flatMap((h) => h.qualifications).map((q) => [q.qualificationId, q]),
);
const personOf = (qualificationId: number) => persons.get(qualifications.get(qualificationId)!.personId)!;

describe('certificates', () => {
  test('高齢受給者証: every current qualification of a 70–74-year-old, ratio 20 or 30 by income', () => {
    const elderly = households.flatMap((h) => h.elderly);
    assert.ok(elderly.length > 1000);
    const holders = new Set(elderly.map((e) => e.qualificationId));
    for (const e of elderly) {
      const q = qualifications.get(e.qualificationId)!;
      const age = ageOn(personOf(e.qualificationId).birthdate, asOf);
      assert.ok(age >= 70 && age <= 74, `age ${age}`);
      const high = q.incomeTier.startsWith('high');
      assert.equal(e.contributionRatio, high ? 30 : 20);
      assert.ok(e.validStartDate <= e.validEndDate! && e.issuanceDate <= e.validStartDate);
    }
    for (const q of qualifications.values()) {
      const age = ageOn(persons.get(q.personId)!.birthdate, asOf);
      if (age >= 70 && age < 75 && q.disqualificationDate === undefined)
        assert.ok(holders.has(q.qualificationId));
    }
  });

  test('限度額適用認定証: category and classification follow age and income tier (OQSCD011/012)', () => {
    const limits = households.flatMap((h) => h.limits);
    assert.ok(limits.length > 500);
    const categories = new Set<string>();
    for (const l of limits) {
      const person = personOf(l.qualificationId);
      const q = qualifications.get(l.qualificationId)!;
      const kind = ageOn(person.birthdate, asOf) >= 75 ? 'kouki' : undefined;
      assert.ok(isLimitCertificateConsistent(l.category, person.birthdate, asOf, kind), l.category);
      const expected = limitCategory({
        birthdate: person.birthdate,
        on: asOf,
        incomeTier: q.incomeTier,
        insurerKind: kind,
      });
      assert.equal(l.category, expected.category);
      assert.equal(l.classification, expected.classification);
      categories.add(l.category);
    }
    for (const c of ['A01', 'A02', 'A03', 'A04', 'A05', 'B02', 'B03', 'B05', 'B06'])
      assert.ok(categories.has(c), c);
  });

  test('特定疾病療養受療証: OQSCD013 categories, self-pay 10,000 or 20,000 yen', () => {
    const diseases = households.flatMap((h) => h.diseases);
    assert.ok(diseases.length > 40);
    for (const d of diseases) {
      assert.ok(['1', '2', '3'].includes(d.diseaseCategory));
      assert.ok(d.selfPay === 10_000 || d.selfPay === 20_000);
      if (d.selfPay === 20_000) assert.equal(d.diseaseCategory, '1');
    }
  });
});
