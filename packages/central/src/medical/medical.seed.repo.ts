/** The persons the medical seed generates for: identity, prefecture and insurance history. */
import { prefectures } from '../seed/places.ts';
import type { Store } from '../store/store.ts';
import type { CoveragePeriod, MedicalPerson } from './medical.plan.ts';

function prefectureOf(address: string | null): string {
  return prefectures.find((p) => address?.startsWith(p.name))?.code ?? '13';
}

/** The first `limit` persons by id, each with every qualification as a coverage period. */
export async function loadMedicalPersons(store: Store, limit: number): Promise<MedicalPerson[]> {
  const persons = await store.all<{
    person_id: number;
    name: string;
    name_kana: string;
    sex: string;
    birthdate: string;
    address: string | null;
  }>('select person_id, name, name_kana, sex, birthdate, address from persons order by person_id limit ?', [
    limit,
  ]);
  if (persons.length === 0) return [];
  const last = Number(persons.at(-1)!.person_id);
  const rows = await store.all<{
    person_id: number;
    insurer_number: string;
    card_symbol: string;
    card_number: string;
    branch_number: string;
    qualification_date: string;
    disqualification_date: string | null;
  }>(
    `select person_id, insurer_number, card_symbol, card_number, branch_number, qualification_date,
       disqualification_date
     from qualifications where person_id <= ? order by person_id, qualification_date, qualification_id`,
    [last],
  );
  const coverage = new Map<number, CoveragePeriod[]>();
  for (const r of rows) {
    const list = coverage.get(Number(r.person_id)) ?? [];
    list.push({
      insurerNumber: r.insurer_number,
      cardSymbol: r.card_symbol,
      cardNumber: r.card_number,
      branchNumber: r.branch_number,
      from: r.qualification_date,
      until: r.disqualification_date,
    });
    coverage.set(Number(r.person_id), list);
  }
  return persons.map((p) => ({
    personId: Number(p.person_id),
    name: p.name,
    nameKana: p.name_kana,
    sex: p.sex as MedicalPerson['sex'],
    birthdate: p.birthdate,
    prefectureCode: prefectureOf(p.address),
    coverage: coverage.get(Number(p.person_id)) ?? [],
  }));
}
