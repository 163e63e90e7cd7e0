/**
 * The subsidy for one institution under one programme: pure, every figure from the programme's
 * data, every step explained. Missing the reader or a deadline is an answer (subsidy 0 with the
 * reason); input that cannot be estimated is refused with a SUBSIDY_* code.
 */
import { isLocalDate, type LocalDate, OnshiError } from '@onshi/core';
import {
  type BilingualText,
  type InstitutionKindDefinition,
  parseRate,
  type SubsidyProgramme,
  type SubsidyRule,
  type SubsidyTier,
} from './subsidy.programme.ts';
import { reasons, type SubsidyReason } from './subsidy.reasons.ts';

export interface SubsidyInput {
  /** A kind of the programme: hospital, clinic, dental, pharmacy, large-chain-pharmacy for the seed's. */
  readonly kind: string;
  /** Face-auth card readers introduced (0: none). */
  readonly readers: number;
  /** The other costs (terminal PC, network, receipt-computer / EMR changes), whole yen, tax included. */
  readonly costYen: number;
  /** When the reader was applied for; needed when `readers` > 0. */
  readonly readerAppliedOn?: LocalDate;
  /** When the subsidised work was finished. */
  readonly completedOn: LocalDate;
  /** When the subsidy is (to be) applied for; without it the deadline is only stated. */
  readonly subsidyAppliedOn?: LocalDate;
  /** The group's prescriptions a month (pharmacies), checked against the kind's bounds. */
  readonly monthlyPrescriptions?: number;
}

export interface SubsidyEstimate {
  readonly programme: { readonly id: string; readonly name: BilingualText };
  readonly kind: string;
  readonly kindName: BilingualText;
  readonly readers: number;
  readonly freeReaders: number;
  /** Readers beyond the free quota, to be bought by the institution. */
  readonly readersToBuy: number;
  readonly costYen: number;
  /** False when nothing can be granted (no reader, no rule, a deadline missed). */
  readonly eligible: boolean;
  /** The subsidy in whole yen. */
  readonly subsidy: number;
  /** The cap (基準とする事業額) that applies, or null when none was reached. */
  readonly cap: number | null;
  /** min(costYen, cap): the part of the cost the rate applies to. */
  readonly subsidisedCostYen: number | null;
  readonly rate: string | null;
  readonly rule: { readonly id: string; readonly name: BilingualText } | null;
  /** The table row used: its number of readers. */
  readonly tierReaders: number | null;
  readonly taxIncluded: boolean;
  readonly rounding: { readonly mode: 'down'; readonly unitYen: number };
  readonly reasons: readonly SubsidyReason[];
}

function bad(field: string, detail: string): never {
  throw new OnshiError('SUBSIDY_INPUT_INVALID', { field, detail });
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    bad(field, `0 以上の整数を指定してください（${String(value)}）`);
  }
  return value;
}

function day(value: unknown, field: string): LocalDate {
  if (typeof value !== 'string' || !isLocalDate(value))
    bad(field, `YYYY-MM-DD の日付ではありません（${String(value)}）`);
  return value;
}

function inOrder(earlier: string, earlierDate: LocalDate, later: string, laterDate: LocalDate): void {
  if (laterDate < earlierDate) {
    throw new OnshiError('SUBSIDY_DATES_OUT_OF_ORDER', { earlier, earlierDate, later, laterDate });
  }
}

function checkPrescriptions(kind: string, definition: InstitutionKindDefinition, value: number): void {
  const { atLeast, below } = definition.monthlyPrescriptions ?? {};
  if ((atLeast === undefined || value >= atLeast) && (below === undefined || value < below)) return;
  const condition = [atLeast !== undefined && `${atLeast} 以上`, below !== undefined && `${below} 未満`]
    .filter(Boolean)
    .join('、');
  throw new OnshiError('SUBSIDY_KIND_MISMATCH', { count: value, kind, condition });
}

/** Checks the input against the programme; throws SUBSIDY_* codes. */
function checkInput(programme: SubsidyProgramme, input: SubsidyInput): InstitutionKindDefinition {
  const definition = Object.hasOwn(programme.kinds, input.kind) ? programme.kinds[input.kind] : undefined;
  if (definition === undefined) {
    throw new OnshiError('SUBSIDY_KIND_UNKNOWN', {
      kind: String(input.kind),
      kinds: Object.keys(programme.kinds).join(', '),
    });
  }
  const readers = count(input.readers, 'readers');
  count(input.costYen, 'costYen');
  const completedOn = day(input.completedOn, 'completedOn');
  if (input.readerAppliedOn !== undefined || readers > 0) {
    const appliedOn = day(input.readerAppliedOn, 'readerAppliedOn');
    inOrder('カードリーダーの申込日', appliedOn, '事業の完了日', completedOn);
  }
  if (input.subsidyAppliedOn !== undefined) {
    inOrder('事業の完了日', completedOn, '補助金の申請日', day(input.subsidyAppliedOn, 'subsidyAppliedOn'));
  }
  if (input.monthlyPrescriptions !== undefined) {
    checkPrescriptions(input.kind, definition, count(input.monthlyPrescriptions, 'monthlyPrescriptions'));
  }
  return definition;
}

function matches(rule: SubsidyRule, appliedOn: LocalDate): boolean {
  const { readerAppliedOnOrBefore: by, readerAppliedOnOrAfter: from } = rule.when;
  return (by === undefined || appliedOn <= by) && (from === undefined || appliedOn >= from);
}

/** The last tier whose `readers` is at most the readers introduced. */
function tierFor(tiers: readonly SubsidyTier[], readers: number): SubsidyTier {
  return tiers.filter((t) => t.readers <= readers).at(-1)!;
}

/** floor(basis × rate / unit) × unit, in exact integer arithmetic. */
export function applyRate(
  basisYen: number,
  rate: string,
  unitYen: number,
): { amount: number; exact: boolean } {
  const { numerator, denominator } = parseRate(rate)!;
  const scaled = BigInt(basisYen) * BigInt(numerator);
  const divisor = BigInt(denominator) * BigInt(unitYen);
  return { amount: Number(scaled / divisor) * unitYen, exact: scaled % divisor === 0n };
}

export function estimateSubsidy(programme: SubsidyProgramme, input: SubsidyInput): SubsidyEstimate {
  const definition = checkInput(programme, input);
  const { kind, readers, costYen, completedOn } = input;
  const base = {
    programme: { id: programme.id, name: programme.name },
    kind,
    kindName: definition.name,
    readers,
    freeReaders: definition.freeReaders,
    readersToBuy: Math.max(0, readers - definition.freeReaders),
    costYen,
    taxIncluded: programme.taxIncluded,
    rounding: { mode: 'down' as const, unitYen: programme.roundingUnitYen },
  };
  const none = { cap: null, subsidisedCostYen: null, rate: null, rule: null, tierReaders: null };
  const readerAppliedOn = input.readerAppliedOn;
  if (readers === 0 || readerAppliedOn === undefined) {
    return { ...base, ...none, eligible: false, subsidy: 0, reasons: [reasons.noReader()] };
  }
  const index = programme.rules.findIndex((r) => matches(r, readerAppliedOn));
  const rule = programme.rules[index];
  if (rule === undefined) {
    return { ...base, ...none, eligible: false, subsidy: 0, reasons: [reasons.noRule(readerAppliedOn)] };
  }
  const tiers = rule.tiers[kind]!;
  const tier = tierFor(tiers, readers);
  const explained: SubsidyReason[] = [
    reasons.rule(rule, readerAppliedOn, programme.rules.slice(0, index)),
    reasons.tier(definition.name, tier.readers, tier.capYen, tier.rate, programme.taxIncluded),
  ];
  const lastTier = tiers.at(-1)!.readers;
  if (readers > lastTier) explained.push(reasons.tierBeyondTable(readers, lastTier));
  if (base.readersToBuy > 0) explained.push(reasons.beyondQuota(definition.freeReaders, base.readersToBuy));
  const basis = Math.min(costYen, tier.capYen);
  explained.push(reasons.cost(costYen, tier.capYen));
  const { amount, exact } = applyRate(basis, tier.rate, programme.roundingUnitYen);
  explained.push(reasons.amount(basis, tier.rate, amount, programme.roundingUnitYen, !exact));

  let eligible = true;
  const { completedOnOrBefore, subsidyAppliedOnOrBefore } = programme.deadlines;
  if (completedOnOrBefore !== undefined) {
    explained.push(reasons.completion(completedOn, completedOnOrBefore));
    eligible &&= completedOn <= completedOnOrBefore;
  }
  if (subsidyAppliedOnOrBefore !== undefined) {
    explained.push(reasons.application(input.subsidyAppliedOn, subsidyAppliedOnOrBefore));
    eligible &&= input.subsidyAppliedOn === undefined || input.subsidyAppliedOn <= subsidyAppliedOnOrBefore;
  }
  return {
    ...base,
    eligible,
    subsidy: eligible ? amount : 0,
    cap: tier.capYen,
    subsidisedCostYen: basis,
    rate: tier.rate,
    rule: { id: rule.id, name: rule.name },
    tierReaders: tier.readers,
    reasons: explained,
  };
}
