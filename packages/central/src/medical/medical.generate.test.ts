import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addYears, ageOn } from '@onshi/core';
import { generateMedicalFiles } from './medical.generate.ts';
import { type MedicalPerson, planFor } from './medical.plan.ts';

const asOf = '2026-11-01';

function person(personId: number, birthdate: string, coverage?: MedicalPerson['coverage']): MedicalPerson {
  return {
    personId,
    name: '試験　太郎',
    nameKana: 'ｼｹﾝ ﾀﾛｳ',
    sex: personId % 2 === 0 ? '2' : '1',
    birthdate,
    prefectureCode: '13',
    coverage: coverage ?? [
      {
        insurerNumber: '06130012',
        cardSymbol: '1',
        cardNumber: String(personId),
        branchNumber: '00',
        from: '2000-01-01',
        until: null,
      },
    ],
  };
}

const people = Array.from({ length: 40 }, (_, i) => person(i + 1, `${1945 + i}-0${(i % 9) + 1}-15`));

describe('synthetic medical feeds', () => {
  it('are deterministic by seed, and one person does not depend on who else is generated', () => {
    const a = generateMedicalFiles(people, { seed: 7, asOf });
    const b = generateMedicalFiles(people, { seed: 7, asOf });
    assert.deepEqual(a, b);
    const other = generateMedicalFiles(people, { seed: 8, asOf });
    assert.notDeepEqual(
      a.map((f) => f.content),
      other.map((f) => f.content),
    );
    assert.deepEqual(planFor(people[3]!, 7, asOf), planFor(people[3]!, 7, asOf));
    // The check-up files of one examined person, generated alone and among the others.
    const examined = Number(a.find((f) => f.type === 'checkup')!.name.split('-')[2]);
    const alone = generateMedicalFiles([people[examined - 1]!], { seed: 7, asOf }).filter(
      (f) => f.type === 'checkup',
    );
    const together = a.filter((f) => f.type === 'checkup' && f.name.split('-')[2] === String(examined));
    assert.ok(alone.length > 0);
    assert.deepEqual(alone, together);
  });

  it('prescribes only while insured, and examines only between 40 and 74', () => {
    const gap = person(99, '1960-05-05', [
      {
        insurerNumber: '06130012',
        cardSymbol: '1',
        cardNumber: '9',
        branchNumber: '00',
        from: '2000-01-01',
        until: '2024-04-01',
      },
      {
        insurerNumber: '138016',
        cardSymbol: '',
        cardNumber: '1000099',
        branchNumber: '00',
        from: '2025-04-01',
        until: null,
      },
    ]);
    for (let seed = 1; seed <= 20; seed++) {
      const plan = planFor(gap, seed, asOf);
      for (const e of [...plan.medications, ...plan.checkups]) {
        assert.ok(e.date < '2024-04-01' || e.date >= '2025-04-01', `event on ${e.date} while uninsured`);
        assert.equal(e.card.insurerNumber, e.date < '2024-04-01' ? '06130012' : '138016');
      }
      for (const c of plan.checkups)
        assert.ok(ageOn(gap.birthdate, c.date) >= 40 && ageOn(gap.birthdate, c.date) <= 74);
      for (const m of plan.medications) assert.ok(m.date >= addYears(asOf, -3) && m.date < asOf);
    }
  });

  it('gives older people more chronic medication', () => {
    const chronic = (birthYear: number) => {
      let n = 0;
      for (let id = 1; id <= 200; id++) {
        const plan = planFor(person(id, `${birthYear}-06-01`), 1, asOf);
        n += new Set(
          plan.medications.filter((m) => m.days === 28).flatMap((m) => m.drugs.map((d) => d.drugCode)),
        ).size;
      }
      return n / 200;
    };
    const young = chronic(1996);
    const old = chronic(1951);
    assert.ok(old > young * 2 && old > 1, `chronic drugs per person: 30 years ${young}, 75 years ${old}`);
  });
});
