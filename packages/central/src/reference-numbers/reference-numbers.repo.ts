/** 照会番号: an institution's own number for a person, one per (医療機関コード, person). */
import type { Store } from '../store/store.ts';

export async function findReferenceNumber(
  store: Store,
  institutionCode: string,
  personId: number,
): Promise<string | undefined> {
  const row = await store.get<{ reference_number: string }>(
    'select reference_number from reference_numbers where institution_code = ? and person_id = ?',
    [institutionCode, personId],
  );
  return row?.reference_number;
}

/** Registers the number, replacing the institution's previous number for the person. */
export async function upsertReferenceNumber(
  store: Store,
  entry: { institutionCode: string; personId: number; referenceNumber: string; updatedAt: string },
): Promise<void> {
  await store.run(
    `insert into reference_numbers (institution_code, person_id, reference_number, updated_at)
     values (?, ?, ?, ?)
     on conflict (institution_code, person_id) do update
       set reference_number = excluded.reference_number, updated_at = excluded.updated_at`,
    [entry.institutionCode, entry.personId, entry.referenceNumber, entry.updatedAt],
  );
}

interface CardMatch {
  readonly insurerNumber: string;
  readonly cardSymbol: string;
  readonly cardNumber: string;
  /** empty: any branch */
  readonly branchNumber: string;
  /** absent: any birth date */
  readonly birthdate?: string | undefined;
}

const personsByCard = `select distinct q.person_id from qualifications q join persons p on p.person_id = q.person_id
  where q.insurer_number = ? and q.card_number = ? and q.card_symbol = ?`;
const byBranch = ' and q.branch_number = ?';
const byBirthdate = ' and p.birthdate = ?';
/** Four fixed statements (branch given or not × birth date given or not); no SQL built per request. */
const personsByCardStatements = {
  plain: `${personsByCard} order by q.person_id`,
  branch: `${personsByCard}${byBranch} order by q.person_id`,
  birthdate: `${personsByCard}${byBirthdate} order by q.person_id`,
  both: `${personsByCard}${byBranch}${byBirthdate} order by q.person_id`,
} as const;

/** Distinct persons holding a qualification with this card data (any validity). */
export async function findPersonIdsByCard(store: Store, match: CardMatch): Promise<number[]> {
  const params: string[] = [match.insurerNumber, match.cardNumber, match.cardSymbol];
  const hasBranch = match.branchNumber !== '';
  if (hasBranch) params.push(match.branchNumber);
  if (match.birthdate !== undefined) params.push(match.birthdate);
  const key = hasBranch
    ? match.birthdate !== undefined
      ? 'both'
      : 'branch'
    : match.birthdate !== undefined
      ? 'birthdate'
      : 'plain';
  const rows = await store.all<{ person_id: number }>(personsByCardStatements[key], params);
  return rows.map((row) => row.person_id);
}
