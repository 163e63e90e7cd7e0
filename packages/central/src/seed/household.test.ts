import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isQualificationValidOn, lateElderlyStart, type Qualification } from '@onshi/core';
import { insurerCatalogue } from './insurers.ts';
import { DEFAULT_AS_OF, generatePopulation, type HouseholdRecords } from './population.ts';

const asOf = DEFAULT_AS_OF;
const households: HouseholdRecords[] = [...generatePopulation({ persons: 20_000, seed: 42 })];
const qualifications = households.flatMap((h) => h.qualifications);
const persons = new Map(households.flatMap((h) => h.persons).map((p) => [p.personId, p]));
const kindOf = new Map(insurerCatalogue().all.map((i) => [i.insurerNumber, i.kind]));
const cardKey = (q: Qualification): string => `${q.insurerNumber}|${q.cardSymbol}|${q.cardNumber}`;
const byPerson = new Map<number, Qualification[]>();
for (const q of qualifications) byPerson.set(q.personId, [...(byPerson.get(q.personId) ?? []), q]);

describe('households and cards', () => {
  test('a card is one household: 本人 00 first, family 01, 02 …, distinct branches', () => {
    const cards = new Map<string, Qualification[]>();
    for (const q of qualifications) cards.set(cardKey(q), [...(cards.get(cardKey(q)) ?? []), q]);
    let families = 0;
    for (const [key, qs] of cards) {
      const branches = qs.map((q) => q.branchNumber);
      assert.equal(new Set(branches).size, branches.length, key);
      if (kindOf.get(qs[0]!.insurerNumber) === 'kouki') {
        assert.equal(qs.length, 1);
        assert.equal(qs[0]!.branchNumber, '');
        continue;
      }
      assert.deepEqual(
        branches,
        qs.map((_, i) => String(i).padStart(2, '0')),
      );
      const households = new Set(qs.map((q) => persons.get(q.personId)!.address));
      assert.equal(households.size, 1, `${key} spans addresses`);
      const insuredNames = new Set(qs.map((q) => q.insuredName));
      assert.equal(insuredNames.size, 1);
      if (qs.some((q) => q.personalFamily === '2')) families++;
    }
    assert.ok(families > 1000, `households with family members: ${families}`);
  });

  test('本人 is the household head; family members are marked 2', () => {
    for (const h of households) {
      const head = h.persons[0]!;
      for (const q of h.qualifications) {
        if (q.personalFamily === '2') assert.notEqual(q.personId, head.personId);
        if (q.personId === head.personId) assert.equal(q.personalFamily, '1');
      }
    }
  });

  test('job changes: the old qualification ends the day the new one starts, under another card', () => {
    let changes = 0;
    for (const q of qualifications.filter((x) => x.reasonOfLoss === '03')) {
      const next = byPerson
        .get(q.personId)!
        .filter((n) => n.qualificationDate === q.disqualificationDate && cardKey(n) !== cardKey(q));
      assert.equal(next.length, 1, `person ${q.personId} has no successor on ${q.disqualificationDate}`);
      if (kindOf.get(next[0]!.insurerNumber) !== 'kouki') changes++;
    }
    assert.ok(changes > 200, `job changes: ${changes}`);
  });

  test('75th birthday: old qualification lost (03) on it, 後期 (39, card class 01) from it', () => {
    let moves = 0;
    for (const [personId, qs] of byPerson) {
      const kouki = qs.find((q) => kindOf.get(q.insurerNumber) === 'kouki');
      if (kouki === undefined) continue;
      const person = persons.get(personId)!;
      assert.match(kouki.insurerNumber, /^39/);
      assert.equal(kouki.cardClassification, '01');
      const start = lateElderlyStart(person.birthdate);
      assert.equal(kouki.qualificationDate, start < '2008-04-01' ? '2008-04-01' : start);
      const old = qs.filter((q) => q !== kouki);
      for (const o of old) {
        assert.equal(o.disqualificationDate, start);
        assert.equal(o.reasonOfLoss, '03');
        moves++;
      }
    }
    assert.ok(moves > 500, `moves to 後期: ${moves}`);
  });

  test('other losses: deaths (01), 生活保護 (02), other (99); current ones are valid on asOf', () => {
    const reasons = new Set(qualifications.map((q) => q.reasonOfLoss));
    for (const r of ['01', '03', '99']) assert.ok(reasons.has(r), `reason ${r}`);
    for (const q of qualifications) {
      if (q.disqualificationDate === undefined)
        assert.ok(isQualificationValidOn(q, asOf), `${q.qualificationId}`);
      else assert.ok(q.qualificationDate < q.disqualificationDate);
    }
    // Every person has at most one current qualification.
    for (const qs of byPerson.values())
      assert.ok(qs.filter((q) => q.disqualificationDate === undefined).length <= 1);
  });
});
