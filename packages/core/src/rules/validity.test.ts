import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Qualification } from '../domain.ts';
import { isQualificationValidOn, judgeValidity } from './validity.ts';

function qualification(overrides: Partial<Qualification> = {}): Qualification {
  return {
    qualificationId: 1,
    personId: 100,
    insurerNumber: '01040013',
    cardSymbol: '1234',
    cardNumber: '56',
    branchNumber: '00',
    cardClassification: '01',
    personalFamily: '1',
    qualificationDate: '2020-04-01',
    incomeTier: 'general',
    ...overrides,
  };
}

describe('isQualificationValidOn', () => {
  it('covers 取得日 inclusive and 喪失日 exclusive', () => {
    const q = qualification({ disqualificationDate: '2024-07-01' });
    assert.equal(isQualificationValidOn(q, '2020-03-31'), false);
    assert.equal(isQualificationValidOn(q, '2020-04-01'), true);
    assert.equal(isQualificationValidOn(q, '2024-06-30'), true);
    assert.equal(isQualificationValidOn(q, '2024-07-01'), false);
  });

  it('is open-ended without 喪失日', () => {
    assert.equal(isQualificationValidOn(qualification(), '2099-12-31'), true);
  });

  it('honours the card validity window, both ends inclusive', () => {
    const q = qualification({ cardValidDate: '2022-08-01', cardExpirationDate: '2024-07-31' });
    assert.equal(isQualificationValidOn(q, '2022-07-31'), false);
    assert.equal(isQualificationValidOn(q, '2022-08-01'), true);
    assert.equal(isQualificationValidOn(q, '2024-07-31'), true);
    assert.equal(isQualificationValidOn(q, '2024-08-01'), false);
  });
});

describe('judgeValidity', () => {
  const ended = qualification({ qualificationId: 1, disqualificationDate: '2024-04-01', reasonOfLoss: '03' });
  const older = qualification({
    qualificationId: 2,
    qualificationDate: '2010-04-01',
    disqualificationDate: '2015-04-01',
  });
  const newer = qualification({
    qualificationId: 3,
    insurerNumber: '33120015',
    qualificationDate: '2024-04-01',
  });

  it('answers 4 when nothing matches', () => {
    assert.deepEqual(judgeValidity([], '2024-05-01'), { validity: '4' });
  });

  it('answers 5 when the candidates belong to more than one person', () => {
    const other = qualification({ qualificationId: 9, personId: 101 });
    assert.deepEqual(judgeValidity([qualification(), other], '2024-05-01'), { validity: '5' });
  });

  it('answers 1 with the valid candidate, even among older ones of the same person', () => {
    const current = qualification({ qualificationId: 4 });
    assert.deepEqual(judgeValidity([older, current], '2024-05-01'), {
      validity: '1',
      qualification: current,
    });
    assert.deepEqual(judgeValidity([ended], '2024-03-31'), { validity: '1', qualification: ended });
  });

  it('answers 2 with the most recent candidate when none is valid and there is no newer one', () => {
    assert.deepEqual(judgeValidity([older, ended], '2024-04-01'), { validity: '2', qualification: ended });
    assert.deepEqual(judgeValidity([ended], '2024-04-01', [older]), { validity: '2', qualification: ended });
  });

  it('answers 3 when another qualification of the same person is valid on the date', () => {
    assert.deepEqual(judgeValidity([ended], '2024-04-01', [newer]), { validity: '3', qualification: ended });
    // the newer qualification is not valid yet the day before it starts
    assert.deepEqual(judgeValidity([ended], '2024-03-31', [newer]), { validity: '1', qualification: ended });
  });

  it('answers 2, not 3, for a card presented before its start while an older qualification runs', () => {
    const upcoming = qualification({ qualificationId: 9, qualificationDate: '2025-01-01' });
    const running = qualification({ qualificationId: 8, qualificationDate: '2019-01-01' });
    assert.deepEqual(judgeValidity([upcoming], '2024-06-01', [running]), {
      validity: '2',
      qualification: upcoming,
    });
  });

  it('ignores other qualifications that belong to someone else', () => {
    const stranger = { ...newer, personId: 555 };
    assert.deepEqual(judgeValidity([ended], '2024-04-01', [stranger]), {
      validity: '2',
      qualification: ended,
    });
  });
});
