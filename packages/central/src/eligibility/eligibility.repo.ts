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

const candidates = `select ${qualificationColumns},
    p.name, p.name_kana, p.name_of_other, p.name_of_other_kana, p.sex, p.birthdate, p.address, p.post_number,
    i.name as insurer_name, i.kind as insurer_kind, r.reference_number, ${certificateColumns}
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
