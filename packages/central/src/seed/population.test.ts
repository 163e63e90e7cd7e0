import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLocalDate, isPreschool, validateInsurerNumber } from '@onshi/core';
import { insurerCatalogue } from './insurers.ts';
import { isHalfWidthKana } from './kana.ts';
import { femaleGivenNames, maleGivenNames } from './names.ts';
import { DEFAULT_AS_OF, generatePopulation, type HouseholdRecords } from './population.ts';

const asOf = DEFAULT_AS_OF;
const households: HouseholdRecords[] = [...generatePopulation({ persons: 20_000, seed: 42 })];
const persons = households.flatMap((h) => h.persons);
const qualifications = households.flatMap((h) => h.qualifications);
const kindOf = new Map(insurerCatalogue().all.map((i) => [i.insurerNumber, i.kind]));

describe('generatePopulation', () => {
  test('is deterministic: same seed, same records; another seed, other records', () => {
    const a = JSON.stringify([...generatePopulation({ persons: 2000, seed: 7 })]);
    const b = JSON.stringify([...generatePopulation({ persons: 2000, seed: 7 })]);
    const c = JSON.stringify([...generatePopulation({ persons: 2000, seed: 8 })]);
    assert.equal(a, b);
    assert.notEqual(a, c);
    // A smaller population is a prefix of a larger one (except the cut last household).
    const small = [...generatePopulation({ persons: 500, seed: 7 })].flatMap((h) => h.persons);
    const large = [...generatePopulation({ persons: 2000, seed: 7 })].flatMap((h) => h.persons);
    assert.deepEqual(small.slice(0, 495), large.slice(0, 495));
  });

  test('gives exactly the number of persons asked for, with consecutive ids', () => {
    assert.equal(persons.length, 20_000);
    for (const [i, p] of persons.entries()) assert.equal(p.personId, i + 1);
    const ids = qualifications.map((q) => q.qualificationId).sort((x, y) => x - y);
    for (const [i, id] of ids.entries()) assert.equal(id, i + 1);
    const offset = [
      ...generatePopulation({ persons: 10, seed: 1, firstPersonId: 501, firstQualificationId: 900 }),
    ];
    assert.equal(offset[0]!.persons[0]!.personId, 501);
    assert.equal(Math.min(...offset.flatMap((h) => h.qualifications.map((q) => q.qualificationId))), 900);
  });

  test('formats: names, half-width kana, dates, postal codes, sex from the given name', () => {
    const male = new Set(maleGivenNames.flat().map((n) => n.kanji));
    const female = new Set(femaleGivenNames.flat().map((n) => n.kanji));
    for (const p of persons) {
      assert.match(p.name, /^\S+\u3000\S+$/);
      assert.ok(isHalfWidthKana(p.nameKana), p.nameKana);
      assert.ok(isLocalDate(p.birthdate) && p.birthdate <= asOf, p.birthdate);
      assert.match(p.postNumber!, /^\d{3}-\d{4}$/);
      assert.match(p.address!, /^.+[都道府県].+[市区町村].*[０-９]+丁目[０-９]+番[０-９]+号$/);
      const given = p.name.split('\u3000')[1]!;
      assert.ok(p.sex === '1' ? male.has(given) : female.has(given), `${p.name} ${p.sex}`);
    }
    for (const q of qualifications) {
      for (const d of [q.qualificationDate, q.disqualificationDate, q.cardIssuanceDate, q.cardValidDate]) {
        if (d !== undefined) assert.ok(isLocalDate(d), d);
      }
      assert.ok(q.cardSymbol.length <= 20 && q.cardNumber.length <= 20);
      assert.match(q.branchNumber, /^(\d{2})?$/);
    }
  });

  test('follows the age pyramid roughly, with preschool children', () => {
    const age = (p: { birthdate: string }): number => 2026 - Number(p.birthdate.slice(0, 4));
    const share = (f: (a: number) => boolean): number =>
      persons.filter((p) => f(age(p))).length / persons.length;
    assert.ok(Math.abs(share((a) => a < 15) - 0.115) < 0.03, `0–14: ${share((a) => a < 15)}`);
    assert.ok(Math.abs(share((a) => a >= 65) - 0.29) < 0.04, `65+: ${share((a) => a >= 65)}`);
    assert.ok(Math.abs(share((a) => a >= 75) - 0.16) < 0.03, `75+: ${share((a) => a >= 75)}`);
    assert.ok(persons.filter((p) => isPreschool(p.birthdate, asOf)).length > 400);
  });

  test('every insurer number has a valid check digit and the number form of its kind', () => {
    const forms: Record<string, RegExp> = {
      kyokai: /^01\d{6}$/,
      kumiai: /^06\d{6}$/,
      kyosai: /^3[1-4]\d{6}$/,
      kokuho: /^\d{6}$/,
      'kokuho-kumiai': /^\d{2}3\d{3}$/,
      kouki: /^39\d{6}$/,
    };
    const all = insurerCatalogue().all;
    assert.equal(new Set(all.map((i) => i.insurerNumber)).size, all.length);
    for (const insurer of all) {
      assert.ok(validateInsurerNumber(insurer.insurerNumber).ok, insurer.insurerNumber);
      assert.match(insurer.insurerNumber, forms[insurer.kind]!);
    }
    const used = new Set(qualifications.map((q) => kindOf.get(q.insurerNumber)));
    assert.deepEqual([...used].sort(), Object.keys(forms).sort());
  });
});
