/**
 * The check-by-card-data lookup: ONE indexed statement joins the qualifications matching the card
 * data and birth date with their person, their insurer, this institution's 照会番号 for the person
 * and the certificates valid on the date of the check (高齢受給者証, 限度額適用認定証, every
 * 特定疾病療養受療証) — one store round trip per check, whatever the result needs. Two fixed
 * statements (branch number given or not) so the plan uses the card index either way.
 */
import type {
  ElderlyRecipientCertificate,
  InsurerKind,
  LimitApplicationCertificate,
  LocalDate,
  Person,
  Qualification,
  SpecificDiseaseCertificate,
} from '@onshi/core';
import {
  type CertificateColumnsRow,
  certificateColumns,
  certificateJoinParams,
  certificateJoins,
  certificateOrder,
  joinedCertificates,
  joinedSpecificDisease,
} from '../certificates/certificates.repo.ts';
import { type PersonRow, toPerson } from '../persons/persons.repo.ts';
import {
  type QualificationRow,
  qualificationColumns,
  toQualification,
} from '../qualifications/qualifications.repo.ts';
import type { SqlValue, Store } from '../store/store.ts';

export interface CardLookup {
  readonly institutionCode: string;
  readonly insurerNumber: string;
  readonly cardSymbol: string;
  readonly cardNumber: string;
  /** empty: any branch */
  readonly branchNumber: string;
  readonly birthdate: string;
  /** The date of the check: the certificates valid on it come with each candidate. */
  readonly on: LocalDate;
}

export interface EligibilityCandidate {
  readonly qualification: Qualification;
  readonly person: Person;
  readonly insurerName: string;
  readonly insurerKind: InsurerKind;
  /** This institution's 照会番号 for the person, when registered. */
  readonly referenceNumber?: string | undefined;
  /** The 高齢受給者証 valid on the lookup date (the most recently started one if several are). */
  readonly elderly?: ElderlyRecipientCertificate | undefined;
  /** The 限度額適用認定証 valid on the lookup date (the most recently started one if several are). */
  readonly limit?: LimitApplicationCertificate | undefined;
  /** Every 特定疾病療養受療証 valid on the lookup date, by disease category. */
  readonly specificDiseases: readonly SpecificDiseaseCertificate[];
}

type CandidateRow = QualificationRow &
  Omit<PersonRow, 'person_id'> &
  CertificateColumnsRow & {
    insurer_name: string;
    insurer_kind: string;
    reference_number: string | null;
  };

/** The columns of a CandidateRow (q, p, i, r and the certificate joins). */
const candidateColumns = `${qualificationColumns},
    p.name, p.name_kana, p.name_of_other, p.name_of_other_kana, p.sex, p.birthdate, p.address, p.post_number,
    i.name as insurer_name, i.kind as insurer_kind, r.reference_number, ${certificateColumns}`;

const candidates = `select ${candidateColumns}
  from qualifications q
  join persons p on p.person_id = q.person_id
  join insurers i on i.insurer_number = q.insurer_number
  left join reference_numbers r on r.institution_code = ? and r.person_id = q.person_id${certificateJoins}`;
const lookup = `${candidates}
  where q.insurer_number = ? and q.card_number = ? and q.card_symbol = ? and p.birthdate = ?`;
const lookupPerson = `${candidates}
  where q.person_id = ? order by q.qualification_date, q.qualification_id, ${certificateOrder}`;
const lookupAnyBranch = `${lookup} order by q.qualification_id, ${certificateOrder}`;
const lookupBranch = `${lookup} and q.branch_number = ? order by q.qualification_id, ${certificateOrder}`;

/** One candidate per qualification: its rows are adjacent, one per valid 特定疾病 certificate. */
function toCandidates(rows: readonly CandidateRow[]): EligibilityCandidate[] {
  const out: EligibilityCandidate[] = [];
  let specific: SpecificDiseaseCertificate[] = [];
  let last: number | undefined;
  for (const row of rows) {
    const disease = joinedSpecificDisease(row);
    if (row.qualification_id === last) {
      if (disease !== undefined) specific.push(disease);
      continue;
    }
    last = row.qualification_id;
    specific = disease === undefined ? [] : [disease];
    out.push({
      qualification: toQualification(row),
      person: toPerson(row),
      insurerName: row.insurer_name,
      insurerKind: row.insurer_kind as InsurerKind,
      referenceNumber: row.reference_number ?? undefined,
      ...joinedCertificates(row),
      specificDiseases: specific,
    });
  }
  return out;
}

/** Every qualification (valid or not) matching the card data and birth date. */
export async function findCandidates(store: Store, q: CardLookup): Promise<EligibilityCandidate[]> {
  const params: SqlValue[] = [q.institutionCode, ...certificateJoinParams(q.on)];
  params.push(q.insurerNumber, q.cardNumber, q.cardSymbol, q.birthdate);
  if (q.branchNumber !== '') params.push(q.branchNumber);
  const rows = await store.all<CandidateRow>(q.branchNumber === '' ? lookupAnyBranch : lookupBranch, params);
  return toCandidates(rows);
}

/** Every qualification (valid or not) of one person, oldest first (the check by My Number card). */
export async function findCandidatesOfPerson(
  store: Store,
  q: { readonly institutionCode: string; readonly personId: number; readonly on: LocalDate },
): Promise<EligibilityCandidate[]> {
  const params = [q.institutionCode, ...certificateJoinParams(q.on), q.personId];
  return toCandidates(await store.all<CandidateRow>(lookupPerson, params));
}

// --- many checks by card data at once (the batch pre-check)

/** One card-data lookup of `findCandidatesMany`. */
export interface CardKeyAndBirthdate {
  readonly insurerNumber: string;
  readonly cardSymbol: string;
  readonly cardNumber: string;
  /** empty: any branch */
  readonly branchNumber: string;
  readonly birthdate: string;
}

/** The 限度額適用認定証 valid on an earlier date (for OQSCD014): what tells one certificate from another. */
export interface EarlierLimit {
  readonly validStartDate: string;
  readonly category: string;
  readonly classification: string;
}

export interface ManyCandidate extends EligibilityCandidate {
  /** The 限度額適用認定証 valid on `limitBefore` (the most recently started one if several are). */
  readonly limitBefore?: EarlierLimit | undefined;
}

type ManyRow = CandidateRow & {
  k: number;
  lb_valid_start_date: string | null;
  lb_category: string | null;
  lb_classification: string | null;
};

/**
 * Keys per statement, at most. On SQLite the keys are a `values` list (6 parameters each; both
 * engines' limits are far above) and a smaller slice is padded to the next of these sizes with keys
 * that match nothing, so that only a few statement texts are ever prepared. On PostgreSQL they are
 * six arrays (`unnest`), one statement text for any number of keys.
 */
const STATEMENT_SIZES = [16, 64, 128, 256, 512] as const;
const KEYS_PER_STATEMENT = 512;
const NO_KEY = ['', '', '', '', ''] as const;

const keyColumns = 'k, insurer_number, card_number, card_symbol, branch_number, birthdate';

/**
 * The lookup of `findCandidatesMany` over the keys in `keysSource`. On PostgreSQL the insurer is
 * looked up per row (`lateral`): the planner, estimating one qualification for all the keys, chose
 * to scan the whole insurers table once per row (a chunk of 512 rows: 180,000 comparisons).
 */
function manyLookupSql(keysSource: string, insurerJoin: string): string {
  return `with keys (${keyColumns}) as (${keysSource})
  select keys.k, ${candidateColumns},
    lb.valid_start_date as lb_valid_start_date, lb.category as lb_category, lb.classification as lb_classification
  from keys
  join qualifications q on q.insurer_number = keys.insurer_number and q.card_number = keys.card_number
    and q.card_symbol = keys.card_symbol
  join persons p on p.person_id = q.person_id and p.birthdate = keys.birthdate
  ${insurerJoin}
  left join reference_numbers r on r.institution_code = ? and r.person_id = q.person_id${certificateJoins}
  left join limit_certificates lb on lb.qualification_id = q.qualification_id
    and lb.valid_start_date = (select max(lb2.valid_start_date) from limit_certificates lb2
      where lb2.qualification_id = q.qualification_id and lb2.valid_start_date <= ?
        and (lb2.valid_end_date is null or lb2.valid_end_date >= ?))
  where keys.branch_number = '' or q.branch_number = keys.branch_number
  order by keys.k, q.qualification_id, ${certificateOrder}`;
}

const sqliteLookups = new Map<number, string>();

function sqliteLookup(keys: number): string {
  const cached = sqliteLookups.get(keys);
  if (cached !== undefined) return cached;
  const tuples = new Array(keys).fill('(cast(? as integer), ?, ?, ?, ?, ?)').join(', ');
  const sql = manyLookupSql(`values ${tuples}`, 'join insurers i on i.insurer_number = q.insurer_number');
  sqliteLookups.set(keys, sql);
  return sql;
}

const postgresLookup = manyLookupSql(
  'select * from unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])',
  `cross join lateral (select i0.name, i0.kind from insurers i0 where i0.insurer_number = q.insurer_number) i`,
);

/** The statement and its parameters for the keys at `slice` (indexes into `keys`). */
function manyLookup(
  dialect: Store['dialect'],
  keys: readonly CardKeyAndBirthdate[],
  slice: readonly number[],
): { sql: string; params: SqlValue[] } {
  if (dialect === 'postgres') {
    const columns: (string | number)[][] = [[], [], [], [], [], []];
    for (const index of slice) {
      const key = keys[index]!;
      columns[0]!.push(index);
      columns[1]!.push(key.insurerNumber);
      columns[2]!.push(key.cardNumber);
      columns[3]!.push(key.cardSymbol);
      columns[4]!.push(key.branchNumber);
      columns[5]!.push(key.birthdate);
    }
    // node-postgres sends a JS array as an array literal.
    return { sql: postgresLookup, params: columns as unknown as SqlValue[] };
  }
  const size = STATEMENT_SIZES.find((n) => n >= slice.length) ?? KEYS_PER_STATEMENT;
  const params: SqlValue[] = [];
  for (const index of slice) {
    const key = keys[index]!;
    params.push(index, key.insurerNumber, key.cardNumber, key.cardSymbol, key.branchNumber, key.birthdate);
  }
  for (let i = slice.length; i < size; i++) params.push(-1, ...NO_KEY);
  return { sql: sqliteLookup(size), params };
}

/** Orders card keys as the card index does (insurer, number, symbol, branch). */
function compareCardKeys(a: CardKeyAndBirthdate, b: CardKeyAndBirthdate): number {
  return (
    cmp(a.insurerNumber, b.insurerNumber) ||
    cmp(a.cardNumber, b.cardNumber) ||
    cmp(a.cardSymbol, b.cardSymbol) ||
    cmp(a.branchNumber, b.branchNumber)
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `findCandidates` for many card data at once — one statement per 500 keys instead of one per key,
 * the same joins (so the same candidates, with the certificates valid on `on`), plus the
 * 限度額適用認定証 valid on `limitBefore` folded in. Resolves to one list per key, in key order.
 */
export async function findCandidatesMany(
  store: Store,
  q: { readonly institutionCode: string; readonly on: LocalDate; readonly limitBefore: LocalDate },
  keys: readonly CardKeyAndBirthdate[],
): Promise<ManyCandidate[][]> {
  const out: ManyCandidate[][] = keys.map(() => []);
  // In the order of the card index (qualifications_card): successive descents share its pages.
  const order = keys.map((_, i) => i).sort((a, b) => compareCardKeys(keys[a]!, keys[b]!));
  for (let from = 0; from < order.length; from += KEYS_PER_STATEMENT) {
    const { sql, params } = manyLookup(store.dialect, keys, order.slice(from, from + KEYS_PER_STATEMENT));
    params.push(q.institutionCode, ...certificateJoinParams(q.on), q.limitBefore, q.limitBefore);
    const rows = await store.all<ManyRow>(sql, params);
    let start = 0;
    while (start < rows.length) {
      const k = Number(rows[start]!.k);
      let end = start + 1;
      while (end < rows.length && Number(rows[end]!.k) === k) end++;
      const group = rows.slice(start, end);
      const firstRows = new Map<number, ManyRow>();
      for (const row of group)
        if (!firstRows.has(row.qualification_id)) firstRows.set(row.qualification_id, row);
      out[k] = toCandidates(group).map((candidate) => {
        const row = firstRows.get(candidate.qualification.qualificationId)!;
        return row.lb_valid_start_date === null
          ? candidate
          : {
              ...candidate,
              limitBefore: {
                validStartDate: row.lb_valid_start_date,
                category: row.lb_category!,
                classification: row.lb_classification!,
              },
            };
      });
      start = end;
    }
  }
  return out;
}
