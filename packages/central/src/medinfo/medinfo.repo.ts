/** SQL of the retrieval: who the request is about (card data, or a disaster search's person). */

import type { LocalDate } from '@onshi/core';
import { mergedUpTo, SEQS_OF_PERSON } from '../audit/audit.merge.ts';
import type { ValidCardData } from '../eligibility/eligibility.validate.ts';
import type { SqlValue, Store } from '../store/store.ts';

/**
 * The persons holding (or having held) a qualification on the card — 保険者番号 + 記号 + 番号, and
 * the 枝番 when given (it makes the card individual) — born that day when a birth date is given.
 * Any qualification counts, current or lost: the medication history reaches back over earlier
 * cards.
 */
export async function findPersonIdsByCard(
  store: Store,
  card: ValidCardData,
  birthdate: LocalDate | undefined,
): Promise<number[]> {
  const params: SqlValue[] = [card.insurerNumber, card.cardNumber, card.cardSymbol];
  if (card.branchNumber !== '') params.push(card.branchNumber);
  if (birthdate !== undefined) params.push(birthdate);
  const rows = await store.all<{ person_id: number }>(
    `select distinct q.person_id from qualifications q join persons p on p.person_id = q.person_id
     where q.insurer_number = ? and q.card_number = ? and q.card_symbol = ?
       ${card.branchNumber === '' ? '' : 'and q.branch_number = ?'}
       ${birthdate === undefined ? '' : 'and p.birthdate = ?'}
     order by q.person_id`,
    params,
  );
  return rows.map((r) => Number(r.person_id));
}

/**
 * True when the institution found the person with a disaster search (an audit record
 * `disaster-search` naming them) at or after `since` (ISO 8601, the declaration's start).
 */
export async function foundByDisasterSearch(
  store: Store,
  institutionCode: string,
  personId: number,
  since: string,
): Promise<boolean> {
  const row = await store.get<{ n: number }>(
    `select count(*) as n from (${SEQS_OF_PERSON}) p join audit_records r on r.seq = p.seq
     where r.institution_code = ? and r.action = 'disaster-search' and r.at >= ?`,
    [personId, await mergedUpTo(store), personId, institutionCode, since],
  );
  return Number(row?.n ?? 0) > 0;
}
