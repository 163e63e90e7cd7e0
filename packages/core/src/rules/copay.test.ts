import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncomeTier } from '../domain.ts';
import {
  ageBand,
  copayRatio,
  elderlyRecipientPeriod,
  formatRatio,
  isPreschool,
  lateElderlyStart,
  preschoolEnd,
} from './copay.ts';

describe('未就学', () => {
  it('a child born on 1 April leaves preschool a year earlier than one born on 2 April', () => {
    assert.equal(preschoolEnd('2018-04-01'), '2024-03-31');
    assert.equal(isPreschool('2018-04-01', '2024-03-31'), true);
    assert.equal(isPreschool('2018-04-01', '2024-04-01'), false);
    assert.equal(preschoolEnd('2018-04-02'), '2025-03-31');
    assert.equal(isPreschool('2018-04-02', '2024-04-01'), true);
    assert.equal(isPreschool('2018-04-02', '2025-03-31'), true);
    assert.equal(isPreschool('2018-04-02', '2025-04-01'), false);
  });

  it('handles birthdays early in the year and 29 February', () => {
    assert.equal(preschoolEnd('2018-01-15'), '2024-03-31');
    assert.equal(preschoolEnd('2018-12-31'), '2025-03-31');
    assert.equal(preschoolEnd('2016-02-29'), '2022-03-31');
  });

  it('is false before birth', () => {
    assert.equal(isPreschool('2020-05-10', '2020-05-09'), false);
    assert.equal(isPreschool('2020-05-10', '2020-05-10'), true);
  });
});

describe('高齢受給者 and 後期高齢者 periods', () => {
  it('starts the month after the 70th birthday, or that month when born on the 1st', () => {
    assert.deepEqual(elderlyRecipientPeriod('1954-05-02'), { start: '2024-06-01', end: '2029-05-01' });
    assert.deepEqual(elderlyRecipientPeriod('1954-05-01'), { start: '2024-05-01', end: '2029-04-30' });
    assert.deepEqual(elderlyRecipientPeriod('1954-12-15'), { start: '2025-01-01', end: '2029-12-14' });
  });

  it('後期高齢者 starts on the 75th birthday itself', () => {
    assert.equal(lateElderlyStart('1949-05-02'), '2024-05-02');
    assert.equal(lateElderlyStart('1948-02-29'), '2023-03-01');
  });

  it('treats 後期高齢者医療広域連合 members as 後期高齢者 at any age', () => {
    assert.equal(ageBand('1956-06-10', '2024-06-10'), 'working');
    assert.equal(ageBand('1956-06-10', '2024-06-10', 'kouki'), 'lateElderly');
  });
});

describe('copayRatio', () => {
  const ratio = (birthdate: string, on: string, incomeTier: IncomeTier = 'general') =>
    copayRatio({ birthdate, on, incomeTier });

  it('is 20 for 未就学 and 30 from school age to 69', () => {
    assert.equal(ratio('2018-04-02', '2025-03-31'), 20);
    assert.equal(ratio('2018-04-02', '2025-04-01'), 30);
    assert.equal(ratio('1954-05-02', '2024-05-31'), 30);
  });

  it('is 20 from the 高齢受給者 start, 30 for 現役並み', () => {
    assert.equal(ratio('1954-05-02', '2024-06-01'), 20);
    assert.equal(ratio('1954-05-01', '2024-04-30'), 30);
    assert.equal(ratio('1954-05-01', '2024-05-01'), 20);
    for (const tier of ['high1', 'high2', 'high3'] as const)
      assert.equal(ratio('1954-05-02', '2024-06-01', tier), 30);
    assert.equal(ratio('1954-05-02', '2024-06-01', 'general2'), 20);
    assert.equal(ratio('1954-05-02', '2024-06-01', 'low1'), 20);
  });

  it('is 10 from the 75th birthday, 20 for 一般Ⅱ, 30 for 現役並み', () => {
    assert.equal(ratio('1949-05-02', '2024-05-01'), 20);
    assert.equal(ratio('1949-05-02', '2024-05-02'), 10);
    assert.equal(ratio('1949-05-02', '2024-05-02', 'general2'), 20);
    assert.equal(ratio('1949-05-02', '2024-05-02', 'low2'), 10);
    assert.equal(ratio('1949-05-02', '2024-05-02', 'high3'), 30);
    assert.equal(
      copayRatio({ birthdate: '1958-01-01', on: '2024-01-01', incomeTier: 'general', insurerKind: 'kouki' }),
      10,
    );
  });
});

describe('formatRatio', () => {
  it('writes three digits and refuses impossible percentages', () => {
    assert.equal(formatRatio(10), '010');
    assert.equal(formatRatio(20), '020');
    assert.equal(formatRatio(30), '030');
    assert.equal(formatRatio(100), '100');
    assert.throws(() => formatRatio(101), RangeError);
    assert.throws(() => formatRatio(2.5), RangeError);
  });
});
