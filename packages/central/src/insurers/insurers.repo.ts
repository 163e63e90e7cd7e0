/** 保険者 (insurers): keyed by the unpadded 保険者番号. */
import type { Insurer, InsurerKind } from '@onshi/core';
import type { Store } from '../store/store.ts';

interface InsurerRow {
  insurer_number: string;
  name: string;
  kind: string;
  prefecture_code: string;
}

function toInsurer(row: InsurerRow): Insurer {
  return {
    insurerNumber: row.insurer_number,
    name: row.name,
    kind: row.kind as InsurerKind,
    prefectureCode: row.prefecture_code,
  };
}

const selectInsurer =
  'select insurer_number, name, kind, prefecture_code from insurers where insurer_number = ?';

export async function findInsurer(store: Store, insurerNumber: string): Promise<Insurer | undefined> {
  const row = await store.get<InsurerRow>(selectInsurer, [insurerNumber]);
  return row === undefined ? undefined : toInsurer(row);
}

/** Inserts the insurer or replaces its name, kind and prefecture. */
export async function upsertInsurer(store: Store, insurer: Insurer): Promise<void> {
  await store.run(
    `insert into insurers (insurer_number, name, kind, prefecture_code) values (?, ?, ?, ?)
     on conflict (insurer_number) do update
       set name = excluded.name, kind = excluded.kind, prefecture_code = excluded.prefecture_code`,
    [insurer.insurerNumber, insurer.name, insurer.kind, insurer.prefectureCode],
  );
}
