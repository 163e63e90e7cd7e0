/**
 * Card queries read back from a seeded store, for benchmarks and tests: random current
 * qualifications (not lost) with their person's birth date, chosen deterministically from a seed.
 */
import type { CardQuery } from '@onshi/core';
import type { Store } from '../store/store.ts';
import { Random } from './prng.ts';

interface Row {
  insurer_number: string;
  card_symbol: string;
  card_number: string;
  branch_number: string;
  birthdate: string;
}

export async function sampleCardQueries(store: Store, n: number, seed = 1): Promise<CardQuery[]> {
  const range = await store.get<{ lo: number | null; hi: number | null }>(
    'select min(qualification_id) as lo, max(qualification_id) as hi from qualifications',
  );
  if (range?.lo == null || range.hi == null) return [];
  const lo = Number(range.lo);
  const hi = Number(range.hi);
  const random = new Random(seed);
  const out: CardQuery[] = [];
  const seen = new Set<number>();
  for (let attempts = 0; out.length < n && attempts < n * 20; attempts++) {
    const id = lo + random.int(hi - lo + 1);
    if (seen.has(id)) continue;
    seen.add(id);
    const row = await store.get<Row>(
      `select q.insurer_number, q.card_symbol, q.card_number, q.branch_number, p.birthdate
         from qualifications q join persons p on p.person_id = q.person_id
        where q.qualification_id = ? and q.disqualification_date is null`,
      [id],
    );
    if (row === undefined) continue;
    out.push({
      insurerNumber: row.insurer_number,
      cardSymbol: row.card_symbol,
      cardNumber: row.card_number,
      branchNumber: row.branch_number,
      birthdate: row.birthdate,
    });
  }
  return out;
}
