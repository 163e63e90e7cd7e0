/**
 * The check-by-card-data lookup: ONE indexed query joins the qualifications matching the card data
 * and birth date with their person, their insurer and this institution's 照会番号 for the person.
 * Two fixed statements (branch number given or not) so the plan uses the card index either way.
 */
import type { InsurerKind, Person, Qualification } from '@onshi/core';
import { type PersonRow, toPerson } from '../persons/persons.repo.ts';
import {
  type QualificationRow,
  qualificationColumns,
  toQualification,
} from '../qualifications/qualifications.repo.ts';
import type { Store } from '../store/store.ts';

export interface CardLookup {
  readonly institutionCode: string;
  readonly insurerNumber: string;
  readonly cardSymbol: string;
  readonly cardNumber: string;
  /** empty: any branch */
  readonly branchNumber: string;
  readonly birthdate: string;
}

export interface EligibilityCandidate {
  readonly qualification: Qualification;
  readonly person: Person;
  readonly insurerName: string;
  readonly insurerKind: InsurerKind;
  /** This institution's 照会番号 for the person, when registered. */
  readonly referenceNumber?: string | undefined;
}

type CandidateRow = QualificationRow &
  Omit<PersonRow, 'person_id'> & {
    insurer_name: string;
    insurer_kind: string;
    reference_number: string | null;
  };

const candidates = `select ${qualificationColumns},
    p.name, p.name_kana, p.name_of_other, p.name_of_other_kana, p.sex, p.birthdate, p.address, p.post_number,
    i.name as insurer_name, i.kind as insurer_kind, r.reference_number
  from qualifications q
  join persons p on p.person_id = q.person_id
  join insurers i on i.insurer_number = q.insurer_number
  left join reference_numbers r on r.institution_code = ? and r.person_id = q.person_id`;
const lookup = `${candidates}
  where q.insurer_number = ? and q.card_number = ? and q.card_symbol = ? and p.birthdate = ?`;
const lookupPerson = `${candidates}
  where q.person_id = ? order by q.qualification_date, q.qualification_id`;
const lookupAnyBranch = `${lookup} order by q.qualification_id`;
const lookupBranch = `${lookup} and q.branch_number = ? order by q.qualification_id`;

function toCandidate(row: CandidateRow): EligibilityCandidate {
  return {
    qualification: toQualification(row),
    person: toPerson(row),
    insurerName: row.insurer_name,
    insurerKind: row.insurer_kind as InsurerKind,
    referenceNumber: row.reference_number ?? undefined,
  };
}

/** Every qualification (valid or not) matching the card data and birth date. */
export async function findCandidates(store: Store, q: CardLookup): Promise<EligibilityCandidate[]> {
  const params = [q.institutionCode, q.insurerNumber, q.cardNumber, q.cardSymbol, q.birthdate];
  const rows =
    q.branchNumber === ''
      ? await store.all<CandidateRow>(lookupAnyBranch, params)
      : await store.all<CandidateRow>(lookupBranch, [...params, q.branchNumber]);
  return rows.map(toCandidate);
}

/** Every qualification (valid or not) of one person, oldest first (the check by My Number card). */
export async function findCandidatesOfPerson(
  store: Store,
  q: { readonly institutionCode: string; readonly personId: number },
): Promise<EligibilityCandidate[]> {
  const rows = await store.all<CandidateRow>(lookupPerson, [q.institutionCode, q.personId]);
  return rows.map(toCandidate);
}
