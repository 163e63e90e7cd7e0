/**
 * Subsidy programmes are data: a JSON document (format `onshi-subsidy-programme/1`) checked here
 * once, then frozen. Nothing about a particular programme lives in code; see README.md for the
 * format and programmes/mhlw-2020.json for the seed's programme.
 */
import { isLocalDate, type LocalDate, OnshiError } from '@onshi/core';

export const programmeFormat = 'onshi-subsidy-programme/1';

/** A text in Japanese (shown first) and English. */
export interface BilingualText {
  readonly ja: string;
  readonly en: string;
}

/** Cap and rate for an institution that introduces at least `readers` face-auth readers. */
export interface SubsidyTier {
  readonly readers: number;
  /** 基準とする事業額: the cap on the other costs, tax included. */
  readonly capYen: number;
  /** 'N/D', e.g. '1/2', '3/4', '10/10' (full actual cost up to the cap). */
  readonly rate: string;
}

/** The first rule whose `when` matches the reader's application date applies. */
export interface SubsidyRule {
  readonly id: string;
  readonly name: BilingualText;
  readonly when: {
    readonly readerAppliedOnOrBefore?: LocalDate;
    readonly readerAppliedOnOrAfter?: LocalDate;
  };
  /** Per kind, tiers in ascending `readers` order, the first one at 1 reader. */
  readonly tiers: Readonly<Record<string, readonly SubsidyTier[]>>;
}

export interface InstitutionKindDefinition {
  readonly name: BilingualText;
  /** Face-auth readers provided free of charge (病院は3台まで、診療所・薬局は1台). */
  readonly freeReaders: number;
  /** Bounds on the group's prescriptions a month that define the kind (大型チェーン薬局: ≥ 40,000). */
  readonly monthlyPrescriptions?: { readonly atLeast?: number; readonly below?: number };
}

export interface SubsidyProgramme {
  readonly format: typeof programmeFormat;
  readonly id: string;
  readonly name: BilingualText;
  readonly source: string;
  /** Whether caps and costs include consumption tax. */
  readonly taxIncluded: boolean;
  /** The subsidy is rounded down to a multiple of this many yen (1: whole yen). */
  readonly roundingUnitYen: number;
  readonly deadlines: {
    readonly completedOnOrBefore?: LocalDate;
    readonly subsidyAppliedOnOrBefore?: LocalDate;
  };
  readonly subsidised: readonly BilingualText[];
  readonly notSubsidised: readonly BilingualText[];
  readonly kinds: Readonly<Record<string, InstitutionKindDefinition>>;
  readonly rules: readonly SubsidyRule[];
}

type Json = Record<string, unknown>;

function invalid(path: string, detail: string): never {
  throw new OnshiError('SUBSIDY_PROGRAMME_INVALID', { path, detail });
}

function object(value: unknown, path: string, keys: { required: string[]; optional?: string[] }): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    invalid(path, 'an object expected');
  const allowed = new Set([...keys.required, ...(keys.optional ?? [])]);
  for (const key of Object.keys(value)) if (!allowed.has(key)) invalid(`${path}.${key}`, 'unknown field');
  for (const key of keys.required) if (!(key in value)) invalid(`${path}.${key}`, 'missing');
  return value as Json;
}

/** An object whose keys are names chosen by the data (the kinds). */
function record(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    invalid(path, 'an object expected');
  return value as Json;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') invalid(path, 'a non-empty string expected');
  return value;
}

function bilingual(value: unknown, path: string): BilingualText {
  const o = object(value, path, { required: ['ja', 'en'] });
  return { ja: text(o.ja, `${path}.ja`), en: text(o.en, `${path}.en`) };
}

function integer(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    invalid(path, `an integer of at least ${min} expected`);
  }
  return value;
}

function date(value: unknown, path: string): LocalDate | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isLocalDate(value)) invalid(path, 'a date YYYY-MM-DD expected');
  return value;
}

function list<T>(value: unknown, path: string, item: (v: unknown, p: string) => T): T[] {
  if (!Array.isArray(value)) invalid(path, 'an array expected');
  return value.map((v, i) => item(v, `${path}[${i}]`));
}

const rateText = /^([1-9]\d{0,5})\/([1-9]\d{0,5})$/;

/** 'N/D' → numerator and denominator; undefined unless 0 < N ≤ D. */
export function parseRate(rate: string): { numerator: number; denominator: number } | undefined {
  const m = rateText.exec(rate);
  if (!m) return undefined;
  const numerator = Number(m[1]);
  const denominator = Number(m[2]);
  return numerator <= denominator ? { numerator, denominator } : undefined;
}

function tier(value: unknown, path: string): SubsidyTier {
  const o = object(value, path, { required: ['readers', 'capYen', 'rate'] });
  const rate = text(o.rate, `${path}.rate`);
  if (!parseRate(rate)) invalid(`${path}.rate`, "'N/D' with 0 < N ≤ D expected, e.g. '1/2' or '10/10'");
  return {
    readers: integer(o.readers, `${path}.readers`, 1),
    capYen: integer(o.capYen, `${path}.capYen`, 0),
    rate,
  };
}

function tiers(value: unknown, path: string): SubsidyTier[] {
  const result = list(value, path, tier);
  if (result[0]?.readers !== 1) invalid(path, 'the first tier must be for 1 reader');
  result.forEach((t, i) => {
    if (i > 0 && t.readers <= result[i - 1]!.readers) invalid(`${path}[${i}].readers`, 'must be ascending');
  });
  return result;
}

function rule(value: unknown, path: string, kinds: readonly string[]): SubsidyRule {
  const o = object(value, path, { required: ['id', 'name', 'when', 'tiers'] });
  const w = object(o.when, `${path}.when`, {
    required: [],
    optional: ['readerAppliedOnOrBefore', 'readerAppliedOnOrAfter'],
  });
  const before = date(w.readerAppliedOnOrBefore, `${path}.when.readerAppliedOnOrBefore`);
  const after = date(w.readerAppliedOnOrAfter, `${path}.when.readerAppliedOnOrAfter`);
  if (before !== undefined && after !== undefined && after > before)
    invalid(`${path}.when`, 'an empty period');
  const when = {
    ...(before === undefined ? {} : { readerAppliedOnOrBefore: before }),
    ...(after === undefined ? {} : { readerAppliedOnOrAfter: after }),
  };
  const t = object(o.tiers, `${path}.tiers`, { required: [...kinds] });
  const byKind = Object.fromEntries(kinds.map((kind) => [kind, tiers(t[kind], `${path}.tiers.${kind}`)]));
  return { id: text(o.id, `${path}.id`), name: bilingual(o.name, `${path}.name`), when, tiers: byKind };
}

function kindDefinition(value: unknown, path: string): InstitutionKindDefinition {
  const o = object(value, path, { required: ['name', 'freeReaders'], optional: ['monthlyPrescriptions'] });
  const kind: InstitutionKindDefinition = {
    name: bilingual(o.name, `${path}.name`),
    freeReaders: integer(o.freeReaders, `${path}.freeReaders`, 0),
  };
  if (o.monthlyPrescriptions === undefined) return kind;
  const p = `${path}.monthlyPrescriptions`;
  const m = object(o.monthlyPrescriptions, p, { required: [], optional: ['atLeast', 'below'] });
  const bounds = {
    ...(m.atLeast === undefined ? {} : { atLeast: integer(m.atLeast, `${p}.atLeast`, 0) }),
    ...(m.below === undefined ? {} : { below: integer(m.below, `${p}.below`, 1) }),
  };
  if (bounds.atLeast === undefined && bounds.below === undefined) invalid(p, 'atLeast or below expected');
  if (bounds.atLeast !== undefined && bounds.below !== undefined && bounds.atLeast >= bounds.below) {
    invalid(p, 'atLeast must be below "below"');
  }
  return { ...kind, monthlyPrescriptions: bounds };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Checks a parsed JSON programme; SUBSIDY_PROGRAMME_INVALID names the first bad field's path. */
export function loadProgramme(value: unknown): SubsidyProgramme {
  const o = object(value, '$', {
    required: [
      'format',
      'id',
      'name',
      'source',
      'taxIncluded',
      'roundingUnitYen',
      'deadlines',
      'kinds',
      'rules',
    ],
    optional: ['subsidised', 'notSubsidised'],
  });
  if (o.format !== programmeFormat) invalid('$.format', `'${programmeFormat}' expected`);
  if (typeof o.taxIncluded !== 'boolean') invalid('$.taxIncluded', 'true or false expected');
  const k = record(o.kinds, '$.kinds');
  const kindNames = Object.keys(k);
  if (kindNames.length === 0) invalid('$.kinds', 'at least one kind expected');
  const kinds = Object.fromEntries(
    kindNames.map((name) => {
      if (!/^[a-z][a-z0-9-]*$/.test(name))
        invalid(`$.kinds.${name}`, 'kind names are lower-case-with-dashes');
      return [name, kindDefinition(k[name], `$.kinds.${name}`)];
    }),
  );
  const d = object(o.deadlines, '$.deadlines', {
    required: [],
    optional: ['completedOnOrBefore', 'subsidyAppliedOnOrBefore'],
  });
  const completedBy = date(d.completedOnOrBefore, '$.deadlines.completedOnOrBefore');
  const appliedBy = date(d.subsidyAppliedOnOrBefore, '$.deadlines.subsidyAppliedOnOrBefore');
  const deadlines = {
    ...(completedBy === undefined ? {} : { completedOnOrBefore: completedBy }),
    ...(appliedBy === undefined ? {} : { subsidyAppliedOnOrBefore: appliedBy }),
  };
  const rules = list(o.rules, '$.rules', (v, p) => rule(v, p, kindNames));
  if (rules.length === 0) invalid('$.rules', 'at least one rule expected');
  const ids = new Set<string>();
  rules.forEach((r, i) => {
    if (ids.has(r.id)) invalid(`$.rules[${i}].id`, `duplicate id ${r.id}`);
    ids.add(r.id);
  });
  return deepFreeze({
    format: programmeFormat,
    id: text(o.id, '$.id'),
    name: bilingual(o.name, '$.name'),
    source: text(o.source, '$.source'),
    taxIncluded: o.taxIncluded,
    roundingUnitYen: integer(o.roundingUnitYen, '$.roundingUnitYen', 1),
    deadlines,
    subsidised: o.subsidised === undefined ? [] : list(o.subsidised, '$.subsidised', bilingual),
    notSubsidised: o.notSubsidised === undefined ? [] : list(o.notSubsidised, '$.notSubsidised', bilingual),
    kinds,
    rules,
  });
}

/** Parses and checks a programme from JSON text (a file a user supplies). */
export function parseProgramme(jsonText: string): SubsidyProgramme {
  let value: unknown;
  try {
    value = JSON.parse(jsonText);
  } catch (error) {
    invalid('$', `not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return loadProgramme(value);
}
