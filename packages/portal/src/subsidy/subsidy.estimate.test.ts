/**
 * The seed's programme, cell by cell. Expected amounts are written out from the seed's table
 * (../shared/seed/000_38caa289cb0c8bf9.txt lines 346-410), not computed from the programme data,
 * so a wrong figure in mhlw-2020.json fails here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OnshiError } from '@onshi/core';
import { seedProgramme } from './subsidy.builtin.ts';
import { estimateSubsidy, type SubsidyInput } from './subsidy.estimate.ts';

/** Applied for by 2021-03-31 → 追加的な導入支援策; later → 見直し前. */
const revised = '2021-03-31';
const original = '2021-04-01';
const huge = 10_000_000;

function estimate(overrides: Partial<SubsidyInput>) {
  return estimateSubsidy(seedProgramme, {
    kind: 'hospital',
    readers: 1,
    costYen: huge,
    readerAppliedOn: revised,
    completedOn: '2022-06-01',
    ...overrides,
  });
}

const ids = (e: { reasons: readonly { id: string }[] }) => e.reasons.map((r) => r.id);

function refused(code: string, field?: string) {
  return (error: unknown) => {
    assert.ok(error instanceof OnshiError, String(error));
    assert.equal(error.code, code);
    if (field !== undefined) assert.equal(error.params.field, field);
    return true;
  };
}

// [kind, readers, reader applied on, rule, cap, rate, subsidy at a cost above the cap, at 100,000 yen]
const table: [string, number, string, string, number, string, number, number][] = [
  ['hospital', 1, original, 'original', 2_101_000, '1/2', 1_050_500, 50_000],
  ['hospital', 2, original, 'original', 2_002_000, '1/2', 1_001_000, 50_000],
  ['hospital', 3, original, 'original', 1_903_000, '1/2', 951_500, 50_000],
  ['large-chain-pharmacy', 1, original, 'original', 429_000, '1/2', 214_500, 50_000],
  ['clinic', 1, original, 'original', 429_000, '3/4', 321_750, 75_000],
  ['dental', 1, original, 'original', 429_000, '3/4', 321_750, 75_000],
  ['pharmacy', 1, original, 'original', 429_000, '3/4', 321_750, 75_000],
  ['hospital', 1, revised, 'additional-support', 2_101_000, '10/10', 2_101_000, 100_000],
  ['hospital', 2, revised, 'additional-support', 2_002_000, '10/10', 2_002_000, 100_000],
  ['hospital', 3, revised, 'additional-support', 1_903_000, '10/10', 1_903_000, 100_000],
  ['large-chain-pharmacy', 1, revised, 'additional-support', 429_000, '1/2', 214_500, 50_000],
  ['clinic', 1, revised, 'additional-support', 429_000, '10/10', 429_000, 100_000],
  ['dental', 1, revised, 'additional-support', 429_000, '10/10', 429_000, 100_000],
  ['pharmacy', 1, revised, 'additional-support', 429_000, '10/10', 429_000, 100_000],
];

describe('the seed’s subsidy table, every cell', () => {
  for (const [kind, readers, readerAppliedOn, rule, cap, rate, atCap, at100k] of table) {
    it(`${kind}, ${readers} reader(s), reader applied on ${readerAppliedOn}: ${rate} up to ${cap}`, () => {
      const over = estimate({ kind, readers, readerAppliedOn });
      assert.equal(over.rule?.id, rule);
      assert.equal(over.cap, cap);
      assert.equal(over.rate, rate);
      assert.equal(over.subsidisedCostYen, cap);
      assert.equal(over.subsidy, atCap);
      assert.equal(over.eligible, true);
      assert.ok(ids(over).includes('cost-over-cap'));
      assert.equal(estimate({ kind, readers, readerAppliedOn, costYen: cap }).subsidy, atCap);
      const under = estimate({ kind, readers, readerAppliedOn, costYen: 100_000 });
      assert.equal(under.subsidy, at100k);
      assert.equal(under.subsidisedCostYen, 100_000);
      assert.ok(ids(under).includes('cost-within-cap'));
    });
  }

  it('gives the free reader quota of the seed: hospital 3, the others 1', () => {
    const free = Object.fromEntries(
      ['hospital', 'clinic', 'dental', 'pharmacy', 'large-chain-pharmacy'].map((kind) => [
        kind,
        estimate({ kind }).freeReaders,
      ]),
    );
    assert.deepEqual(free, { hospital: 3, clinic: 1, dental: 1, pharmacy: 1, 'large-chain-pharmacy': 1 });
  });

  it('switches rule on the day after 2021-03-31 and explains which applied', () => {
    const early = estimate({ kind: 'clinic', readerAppliedOn: '2020-06-01' });
    assert.equal(early.rule?.id, 'additional-support');
    assert.match(early.reasons[0]!.ja, /2020-06-01 は 2021-03-31 以前のため「追加的な導入支援策」/);
    const late = estimate({ kind: 'clinic', readerAppliedOn: '2021-04-01' });
    assert.equal(late.rule?.id, 'original');
    assert.match(late.reasons[0]!.en, /before the revision/);
  });

  it('keeps the last cap of the table for readers beyond it, and says they must be bought', () => {
    const four = estimate({ readers: 4, readerAppliedOn: original });
    assert.equal(four.cap, 1_903_000);
    assert.equal(four.tierReaders, 3);
    assert.equal(four.readersToBuy, 1);
    assert.deepEqual(ids(four).slice(2, 4), ['tier-beyond-table', 'readers-beyond-quota']);
    const two = estimate({ kind: 'clinic', readers: 2, readerAppliedOn: original });
    assert.equal(two.subsidy, 321_750);
    assert.equal(two.readersToBuy, 1);
    assert.equal(estimate({ readers: 3 }).readersToBuy, 0);
  });
});

describe('no reader', () => {
  it('subsidises nothing at all, whatever the cost, kind or dates', () => {
    for (const kind of ['hospital', 'clinic', 'large-chain-pharmacy']) {
      const e = estimate({ kind, readers: 0, costYen: 1_000_000 });
      assert.equal(e.subsidy, 0);
      assert.equal(e.eligible, false);
      assert.equal(e.cap, null);
      assert.equal(e.rate, null);
      assert.deepEqual(ids(e), ['no-reader']);
      assert.match(e.reasons[0]!.ja, /全て補助金の交付対象外/);
    }
    assert.equal(estimate({ readers: 0, readerAppliedOn: undefined }).subsidy, 0);
  });
});

describe('deadlines', () => {
  it('accepts work finished on 2023-03-31 and refuses it a day later', () => {
    const onTime = estimate({ completedOn: '2023-03-31' });
    assert.equal(onTime.subsidy, 2_101_000);
    assert.ok(ids(onTime).includes('completion-deadline-met'));
    const late = estimate({ completedOn: '2023-04-01' });
    assert.equal(late.subsidy, 0);
    assert.equal(late.eligible, false);
    assert.equal(late.cap, 2_101_000, 'the cap that would have applied is still shown');
    assert.ok(ids(late).includes('completion-deadline-missed'));
  });

  it('accepts an application on 2023-06-30 and refuses one a day later; states it when not given', () => {
    assert.equal(estimate({ completedOn: '2023-03-31', subsidyAppliedOn: '2023-06-30' }).subsidy, 2_101_000);
    const late = estimate({ completedOn: '2023-03-31', subsidyAppliedOn: '2023-07-01' });
    assert.equal(late.subsidy, 0);
    assert.ok(ids(late).includes('application-deadline-missed'));
    const unstated = estimate({});
    assert.equal(unstated.subsidy, 2_101_000);
    assert.ok(ids(unstated).includes('application-deadline'));
    assert.match(unstated.reasons.at(-1)!.ja, /2023-06-30 までに/);
  });
});

describe('large-chain pharmacy threshold (group ≥ 40,000 prescriptions a month)', () => {
  it('takes 40,000 as large chain and 39,999 as an ordinary pharmacy', () => {
    const large = { kind: 'large-chain-pharmacy', readerAppliedOn: original };
    assert.equal(estimate({ ...large, monthlyPrescriptions: 40_000 }).subsidy, 214_500);
    assert.equal(
      estimate({ kind: 'pharmacy', readerAppliedOn: original, monthlyPrescriptions: 39_999 }).subsidy,
      321_750,
    );
    assert.throws(
      () => estimate({ ...large, monthlyPrescriptions: 39_999 }),
      refused('SUBSIDY_KIND_MISMATCH'),
    );
    assert.throws(
      () => estimate({ kind: 'pharmacy', monthlyPrescriptions: 40_000 }),
      refused('SUBSIDY_KIND_MISMATCH'),
    );
  });
});

describe('rounding: down to whole yen', () => {
  it('floors fractions and says so; exact amounts say nothing about rounding', () => {
    const quarter = estimate({ kind: 'clinic', readerAppliedOn: original, costYen: 100_001 });
    assert.equal(quarter.subsidy, 75_000, '100,001 × 3/4 = 75,000.75');
    assert.match(quarter.reasons.find((r) => r.id === 'rate')!.ja, /1 円未満切り捨て/);
    assert.equal(estimate({ readerAppliedOn: original, costYen: 100_003 }).subsidy, 50_001);
    const exact = estimate({ kind: 'clinic', readerAppliedOn: original, costYen: 100_000 });
    assert.doesNotMatch(exact.reasons.find((r) => r.id === 'rate')!.ja, /切り捨て/);
    assert.deepEqual(exact.rounding, { mode: 'down', unitYen: 1 });
  });

  it('stays exact at the largest safe cost', () => {
    assert.equal(estimate({ costYen: Number.MAX_SAFE_INTEGER }).subsidy, 2_101_000);
    assert.equal(estimate({ costYen: 0 }).subsidy, 0);
  });
});

describe('reasons', () => {
  it('come in Japanese and English, one per step', () => {
    const e = estimate({
      readers: 4,
      costYen: 3_000_001,
      readerAppliedOn: original,
      subsidyAppliedOn: '2023-01-01',
    });
    for (const r of e.reasons) {
      assert.match(r.ja, /[ぁ-んァ-ン一-龥]/, r.id);
      assert.match(r.en, /^[\x20-\x7e“”→×]+$/, r.id);
    }
    assert.deepEqual(ids(e), [
      'rule',
      'cap',
      'tier-beyond-table',
      'readers-beyond-quota',
      'cost-over-cap',
      'rate',
      'completion-deadline-met',
      'application-deadline-met',
    ]);
  });
});

describe('bad input is refused with a code', () => {
  it('an unknown kind, including inherited names', () => {
    assert.throws(() => estimate({ kind: 'clinc' }), refused('SUBSIDY_KIND_UNKNOWN'));
    assert.throws(() => estimate({ kind: '__proto__' }), refused('SUBSIDY_KIND_UNKNOWN'));
  });

  it('negative, fractional or missing numbers', () => {
    assert.throws(() => estimate({ costYen: -1 }), refused('SUBSIDY_INPUT_INVALID', 'costYen'));
    assert.throws(() => estimate({ costYen: 1.5 }), refused('SUBSIDY_INPUT_INVALID', 'costYen'));
    assert.throws(() => estimate({ costYen: Number.NaN }), refused('SUBSIDY_INPUT_INVALID', 'costYen'));
    assert.throws(() => estimate({ readers: -1 }), refused('SUBSIDY_INPUT_INVALID', 'readers'));
    assert.throws(
      () => estimate({ kind: 'pharmacy', monthlyPrescriptions: -3 }),
      refused('SUBSIDY_INPUT_INVALID', 'monthlyPrescriptions'),
    );
  });

  it('invalid dates, and a reader without its application date', () => {
    assert.throws(
      () => estimate({ completedOn: '2021-02-29' }),
      refused('SUBSIDY_INPUT_INVALID', 'completedOn'),
    );
    assert.throws(
      () => estimate({ readerAppliedOn: '20210301' }),
      refused('SUBSIDY_INPUT_INVALID', 'readerAppliedOn'),
    );
    assert.throws(
      () => estimate({ readerAppliedOn: undefined }),
      refused('SUBSIDY_INPUT_INVALID', 'readerAppliedOn'),
    );
    assert.throws(
      () => estimate({ subsidyAppliedOn: '2023-13-01' }),
      refused('SUBSIDY_INPUT_INVALID', 'subsidyAppliedOn'),
    );
  });

  it('dates in the wrong order: reader applied → work finished → subsidy applied', () => {
    assert.throws(
      () => estimate({ readerAppliedOn: '2021-03-02', completedOn: '2021-03-01' }),
      refused('SUBSIDY_DATES_OUT_OF_ORDER'),
    );
    assert.throws(
      () => estimate({ completedOn: '2022-06-01', subsidyAppliedOn: '2022-05-31' }),
      refused('SUBSIDY_DATES_OUT_OF_ORDER'),
    );
    assert.equal(estimate({ readerAppliedOn: '2021-03-01', completedOn: '2021-03-01' }).subsidy, 2_101_000);
  });
});
