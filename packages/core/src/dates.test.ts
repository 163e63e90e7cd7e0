import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addMonths,
  addYears,
  ageOn,
  dayAttainingAge,
  fromWireDate,
  fromWireDateTime,
  toWireDate,
} from './dates.ts';

describe('dates', () => {
  it('converts wire dates and refuses impossible ones', () => {
    assert.equal(fromWireDate('20240229'), '2024-02-29');
    assert.equal(fromWireDate('20230229'), undefined);
    assert.equal(fromWireDate('2024021'), undefined);
    assert.equal(toWireDate('2024-02-29'), '20240229');
    assert.equal(fromWireDateTime('20230221174835'), '2023-02-21T17:48:35');
    assert.equal(fromWireDateTime('20230221244835'), undefined);
  });

  it('computes age by the civil rule', () => {
    assert.equal(ageOn('2000-04-01', '2070-03-31'), 69);
    assert.equal(ageOn('2000-04-01', '2070-04-01'), 70);
    assert.equal(dayAttainingAge('2000-04-01', 70), '2070-03-31');
    assert.equal(dayAttainingAge('2004-02-29', 1), '2005-02-28');
  });

  it('adds months and years with clamping', () => {
    assert.equal(addMonths('2024-01-31', 1), '2024-02-29');
    assert.equal(addMonths('2024-12-15', 1), '2025-01-15');
    assert.equal(addYears('2024-02-29', 1), '2025-02-28');
  });
});
