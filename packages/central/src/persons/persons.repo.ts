/** 人 (persons): one row per natural person, linked across insurers by the pseudonymous person_key. */
import type { Person, Sex } from '@onshi/core';
import type { Store } from '../store/store.ts';

export interface PersonRow {
  person_id: number;
  name: string;
  name_kana: string;
  name_of_other: string | null;
  name_of_other_kana: string | null;
  sex: string;
  birthdate: string;
  address: string | null;
  post_number: string | null;
}

export function toPerson(row: PersonRow): Person {
  return {
    personId: row.person_id,
    name: row.name,
    nameKana: row.name_kana,
    nameOfOther: row.name_of_other ?? undefined,
    nameOfOtherKana: row.name_of_other_kana ?? undefined,
    sex: row.sex as Sex,
    birthdate: row.birthdate,
    address: row.address ?? undefined,
    postNumber: row.post_number ?? undefined,
  };
}

/** A person as written: everything but the generated id. */
export type NewPerson = Omit<Person, 'personId'> & { readonly personKey?: string | undefined };

const columns =
  'person_id, name, name_kana, name_of_other, name_of_other_kana, sex, birthdate, address, post_number';
const selectById = `select ${columns} from persons where person_id = ?`;
const selectByKey = `select ${columns} from persons where person_key = ?`;

export async function findPerson(store: Store, personId: number): Promise<Person | undefined> {
  const row = await store.get<PersonRow>(selectById, [personId]);
  return row === undefined ? undefined : toPerson(row);
}

export async function findPersonByKey(store: Store, personKey: string): Promise<Person | undefined> {
  const row = await store.get<PersonRow>(selectByKey, [personKey]);
  return row === undefined ? undefined : toPerson(row);
}

export async function insertPerson(store: Store, person: NewPerson): Promise<number> {
  const row = await store.get<{ person_id: number }>(
    `insert into persons (person_key, name, name_kana, name_of_other, name_of_other_kana, sex, birthdate,
       address, post_number)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning person_id`,
    [person.personKey ?? null, ...attributeValues(person)],
  );
  if (row === undefined) throw new Error('persons: insert returned no id');
  return row.person_id;
}

/** name … post_number, in the column order of the statements above and below. */
function attributeValues(person: Omit<Person, 'personId'>): (string | null)[] {
  return [
    person.name,
    person.nameKana,
    person.nameOfOther ?? null,
    person.nameOfOtherKana ?? null,
    person.sex,
    person.birthdate,
    person.address ?? null,
    person.postNumber ?? null,
  ];
}

/** Replaces the person's attributes (the key and the id stay). */
export async function updatePerson(store: Store, person: Person): Promise<void> {
  await store.run(
    `update persons set name = ?, name_kana = ?, name_of_other = ?, name_of_other_kana = ?, sex = ?,
       birthdate = ?, address = ?, post_number = ?
     where person_id = ?`,
    [...attributeValues(person), person.personId],
  );
}

/** Up to `limit` person ids greater than `afterId`, ascending (for tools that walk the population). */
export async function listPersonIds(store: Store, afterId: number, limit: number): Promise<number[]> {
  const rows = await store.all<{ person_id: number | string }>(
    'select person_id from persons where person_id > ? order by person_id limit ?',
    [afterId, limit],
  );
  return rows.map((row) => Number(row.person_id));
}
