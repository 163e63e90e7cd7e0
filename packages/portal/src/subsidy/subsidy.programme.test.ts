/**
 * Programmes are data: the seed's built-in one is checked like a file; another, read from a JSON
 * file, changes the results with no code; a broken definition is refused with the path at fault.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { OnshiError } from '@onshi/core';
import seedJson from './programmes/mhlw-2020.json' with { type: 'json' };
import { seedProgramme } from './subsidy.builtin.ts';
import { applyRate, estimateSubsidy, type SubsidyInput } from './subsidy.estimate.ts';
import { loadProgramme, parseProgramme } from './subsidy.programme.ts';

const exampleFile = new URL('./fixtures/example-programme.json', import.meta.url);
const example = () => parseProgramme(readFileSync(exampleFile, 'utf8'));

const input: SubsidyInput = {
  kind: 'hospital',
  readers: 1,
  costYen: 2_500_000,
  readerAppliedOn: '2026-03-01',
  completedOn: '2026-09-01',
};

describe('the built-in programme', () => {
  it('is the seed’s, loaded from data and frozen', () => {
    assert.equal(seedProgramme.id, 'mhlw-onshi-2020');
    assert.deepEqual(Object.keys(seedProgramme.kinds), [
      'hospital',
      'clinic',
      'dental',
      'pharmacy',
      'large-chain-pharmacy',
    ]);
    assert.deepEqual(seedProgramme.deadlines, {
      completedOnOrBefore: '2023-03-31',
      subsidyAppliedOnOrBefore: '2023-06-30',
    });
    assert.ok(Object.isFrozen(seedProgramme.rules[0]!.tiers.hospital![0]));
    assert.throws(() => {
      (seedProgramme.kinds.hospital as { freeReaders: number }).freeReaders = 9;
    }, TypeError);
  });
});

describe('a second programme from a JSON file', () => {
  it('changes the results without code: its caps, rates, rounding, rules and deadlines', () => {
    const programme = example();
    const early = estimateSubsidy(programme, input);
    assert.equal(early.rule?.id, 'early');
    assert.equal(early.cap, 3_000_000);
    assert.equal(early.subsidy, 1_666_000, '2,500,000 × 2/3 = 1,666,666.67, down to 1,000 yen');
    assert.match(early.reasons.find((r) => r.id === 'rate')!.ja, /1,000 円未満切り捨て/);
    assert.equal(early.taxIncluded, false);
    const seedSays = estimateSubsidy(seedProgramme, {
      ...input,
      completedOn: '2022-01-01',
      readerAppliedOn: '2021-01-01',
    });
    assert.equal(seedSays.subsidy, 2_101_000);

    assert.equal(estimateSubsidy(programme, { ...input, readers: 4 }).cap, 5_000_000);
    assert.equal(estimateSubsidy(programme, { ...input, readers: 3 }).cap, 3_000_000);
    assert.equal(estimateSubsidy(programme, { ...input, readers: 3 }).readersToBuy, 1);
    const late = estimateSubsidy(programme, { ...input, readerAppliedOn: '2026-07-01' });
    assert.equal(late.rule?.id, 'late');
    assert.equal(late.subsidy, 666_000);
  });

  it('answers 0 with a reason when no rule covers the reader’s date, and keeps its own deadline', () => {
    const programme = example();
    const none = estimateSubsidy(programme, { ...input, readerAppliedOn: '2025-12-31' });
    assert.equal(none.subsidy, 0);
    assert.deepEqual(
      none.reasons.map((r) => r.id),
      ['no-rule'],
    );
    assert.equal(estimateSubsidy(programme, { ...input, completedOn: '2027-04-01' }).subsidy, 0);
    const ids = estimateSubsidy(programme, input).reasons.map((r) => r.id);
    assert.ok(!ids.some((id) => id.startsWith('application-deadline')), 'this programme has none');
  });

  it('knows only its own kinds', () => {
    assert.throws(
      () => estimateSubsidy(example(), { ...input, kind: 'dental' }),
      (e: unknown) => e instanceof OnshiError && e.code === 'SUBSIDY_KIND_UNKNOWN',
    );
  });
});

describe('applyRate', () => {
  it('rounds down to the unit in exact integer arithmetic', () => {
    assert.deepEqual(applyRate(100_001, '3/4', 1), { amount: 75_000, exact: false });
    assert.deepEqual(applyRate(429_000, '3/4', 1), { amount: 321_750, exact: true });
    assert.deepEqual(applyRate(999_999, '10/10', 1000), { amount: 999_000, exact: false });
    assert.deepEqual(applyRate(Number.MAX_SAFE_INTEGER, '1/1', 1), {
      amount: Number.MAX_SAFE_INTEGER,
      exact: true,
    });
  });
});

const remove = Symbol('remove');

/** The seed's JSON with the value at `path` replaced (or removed). */
function mutated(path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(seedJson) as unknown;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === remove) delete node[last];
  else node[last] = value;
  return copy;
}

const tier = (readers: number) => ({ readers, capYen: 1, rate: '1/2' });

// [what, where to change the seed's JSON, the new value, the path the error names]
const broken: [string, (string | number)[], unknown, string][] = [
  ['a rate above 1', ['rules', 0, 'tiers', 'clinic', 0, 'rate'], '3/2', '$.rules[0].tiers.clinic[0].rate'],
  ['a zero rate', ['rules', 0, 'tiers', 'clinic', 0, 'rate'], '0/4', '$.rules[0].tiers.clinic[0].rate'],
  ['a rate in words', ['rules', 1, 'tiers', 'clinic', 0, 'rate'], 'half', '$.rules[1].tiers.clinic[0].rate'],
  [
    'a negative cap',
    ['rules', 0, 'tiers', 'hospital', 1, 'capYen'],
    -1,
    '$.rules[0].tiers.hospital[1].capYen',
  ],
  [
    'a cap in 万円',
    ['rules', 0, 'tiers', 'hospital', 0, 'capYen'],
    210.1,
    '$.rules[0].tiers.hospital[0].capYen',
  ],
  ['tiers not from 1 reader', ['rules', 0, 'tiers', 'hospital'], [tier(2)], '$.rules[0].tiers.hospital'],
  [
    'tiers out of order',
    ['rules', 1, 'tiers', 'hospital'],
    [tier(1), tier(3), tier(2)],
    '$.rules[1].tiers.hospital[2].readers',
  ],
  ['no tiers', ['rules', 1, 'tiers', 'dental'], [], '$.rules[1].tiers.dental'],
  ['a kind without tiers', ['rules', 1, 'tiers', 'pharmacy'], remove, '$.rules[1].tiers.pharmacy'],
  ['tiers of an unknown kind', ['rules', 1, 'tiers', 'vet'], [tier(1)], '$.rules[1].tiers.vet'],
  [
    'an unknown field',
    ['rules', 0, 'when', 'readerAppliedBy'],
    '2021-03-31',
    '$.rules[0].when.readerAppliedBy',
  ],
  [
    'an invalid date',
    ['rules', 0, 'when', 'readerAppliedOnOrBefore'],
    '2021-02-30',
    '$.rules[0].when.readerAppliedOnOrBefore',
  ],
  ['an empty period', ['rules', 0, 'when', 'readerAppliedOnOrAfter'], '2021-04-01', '$.rules[0].when'],
  ['a bad deadline', ['deadlines', 'completedOnOrBefore'], '2023/03/31', '$.deadlines.completedOnOrBefore'],
  ['duplicate rule ids', ['rules', 1, 'id'], 'additional-support', '$.rules[1].id'],
  ['no rules', ['rules'], [], '$.rules'],
  ['no kinds', ['kinds'], {}, '$.kinds'],
  ['a kind name with spaces', ['kinds', 'big hospital'], seedJson.kinds.hospital, '$.kinds.big hospital'],
  ['negative free readers', ['kinds', 'clinic', 'freeReaders'], -1, '$.kinds.clinic.freeReaders'],
  [
    'prescription bounds crossed',
    ['kinds', 'pharmacy', 'monthlyPrescriptions'],
    { atLeast: 5, below: 5 },
    '$.kinds.pharmacy.monthlyPrescriptions',
  ],
  ['a name without English', ['kinds', 'dental', 'name', 'en'], remove, '$.kinds.dental.name.en'],
  ['a missing field', ['roundingUnitYen'], remove, '$.roundingUnitYen'],
  ['rounding to 0 yen', ['roundingUnitYen'], 0, '$.roundingUnitYen'],
  ['another format', ['format'], 'onshi-subsidy-programme/2', '$.format'],
];

describe('a broken programme is refused with SUBSIDY_PROGRAMME_INVALID and the path at fault', () => {
  it('loads the unchanged seed JSON (the control case)', () => {
    assert.equal(loadProgramme(mutated(['id'], 'mhlw-onshi-2020')).id, 'mhlw-onshi-2020');
  });

  for (const [what, where, value, path] of broken) {
    it(what, () => {
      assert.throws(
        () => loadProgramme(mutated(where, value)),
        (e: unknown) => {
          assert.ok(e instanceof OnshiError, String(e));
          assert.equal(e.code, 'SUBSIDY_PROGRAMME_INVALID');
          assert.equal(e.params.path, path);
          return true;
        },
      );
    });
  }

  it('text that is not JSON, or not an object', () => {
    for (const text of ['{"format":', '[]', 'null']) {
      assert.throws(
        () => parseProgramme(text),
        (e: unknown) =>
          e instanceof OnshiError && e.code === 'SUBSIDY_PROGRAMME_INVALID' && e.params.path === '$',
      );
    }
  });
});
