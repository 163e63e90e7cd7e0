/** SQL of disaster mode (migration 004): declarations, their areas, institution locations, the search. */
import type { Person } from '@onshi/core';
import { type PersonRow, toPerson } from '../persons/persons.repo.ts';
import type { Store } from '../store/store.ts';

export interface Declaration {
  readonly declarationId: number;
  readonly name: string;
  /** 5-digit municipality codes. */
  readonly municipalities: readonly string[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly closedAt?: number | undefined;
  readonly openedAt: number;
}

interface DeclarationRow {
  declaration_id: number;
  name: string;
  starts_at: number;
  ends_at: number;
  closed_at: number | null;
  opened_at: number;
}

export async function insertDeclaration(
  store: Store,
  d: Omit<Declaration, 'declarationId'>,
): Promise<number> {
  return store.transaction(async (tx) => {
    const row = await tx.get<{ declaration_id: number }>(
      `insert into disaster_declarations (name, starts_at, ends_at, opened_at) values (?, ?, ?, ?)
       returning declaration_id`,
      [d.name, d.startsAt, d.endsAt, d.openedAt],
    );
    const id = row!.declaration_id;
    for (const code of new Set(d.municipalities)) {
      await tx.run('insert into disaster_areas (declaration_id, municipality_code) values (?, ?)', [
        id,
        code,
      ]);
    }
    return id;
  });
}

/** Closes a declaration early at `at` (no later than its end). Resolves to false when there is none. */
export async function closeDeclaration(store: Store, id: number, at: number): Promise<boolean> {
  const changed = await store.run(
    `update disaster_declarations set closed_at = case when ends_at < ? then ends_at else ? end
     where declaration_id = ? and closed_at is null`,
    [at, at, id],
  );
  if (changed === 1) return true;
  return (
    (await store.get('select 1 as one from disaster_declarations where declaration_id = ?', [id])) !==
    undefined
  );
}

async function withAreas(store: Store, rows: readonly DeclarationRow[]): Promise<Declaration[]> {
  const out: Declaration[] = [];
  for (const row of rows) {
    const areas = await store.all<{ municipality_code: string }>(
      'select municipality_code from disaster_areas where declaration_id = ? order by municipality_code',
      [row.declaration_id],
    );
    out.push({
      declarationId: row.declaration_id,
      name: row.name,
      municipalities: areas.map((a) => a.municipality_code),
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      closedAt: row.closed_at ?? undefined,
      openedAt: row.opened_at,
    });
  }
  return out;
}

const declarationColumns = 'd.declaration_id, d.name, d.starts_at, d.ends_at, d.closed_at, d.opened_at';

export async function listDeclarations(store: Store): Promise<Declaration[]> {
  const rows = await store.all<DeclarationRow>(
    `select ${declarationColumns} from disaster_declarations d order by d.declaration_id`,
  );
  return withAreas(store, rows);
}

export async function findDeclaration(store: Store, id: number): Promise<Declaration | undefined> {
  const rows = await store.all<DeclarationRow>(
    `select ${declarationColumns} from disaster_declarations d where d.declaration_id = ?`,
    [id],
  );
  return (await withAreas(store, rows))[0];
}

/** Declarations naming the municipality (any period). */
export async function declarationsCovering(store: Store, municipality: string): Promise<Declaration[]> {
  const rows = await store.all<DeclarationRow>(
    `select ${declarationColumns} from disaster_declarations d
     join disaster_areas a on a.declaration_id = d.declaration_id
     where a.municipality_code = ? order by d.declaration_id`,
    [municipality],
  );
  return withAreas(store, rows);
}

/** True when some declaration (anywhere) is open at `at`. */
export async function anyDeclarationOpen(store: Store, at: number): Promise<boolean> {
  const row = await store.get(
    `select 1 as one from disaster_declarations
     where starts_at <= ? and ends_at > ? and (closed_at is null or closed_at > ?) limit 1`,
    [at, at, at],
  );
  return row !== undefined;
}

export async function upsertLocation(
  store: Store,
  location: { institutionCode: string; municipality: string; updatedAt: string },
): Promise<void> {
  await store.run(
    `insert into institution_locations (institution_code, municipality_code, updated_at) values (?, ?, ?)
     on conflict (institution_code) do update set municipality_code = excluded.municipality_code,
       updated_at = excluded.updated_at`,
    [location.institutionCode, location.municipality, location.updatedAt],
  );
}

export async function findLocation(store: Store, institutionCode: string): Promise<string | undefined> {
  const row = await store.get<{ municipality_code: string }>(
    'select municipality_code from institution_locations where institution_code = ?',
    [institutionCode],
  );
  return row?.municipality_code;
}

const personColumns =
  'person_id, name, name_kana, name_of_other, name_of_other_kana, sex, birthdate, address, post_number';

/**
 * Persons born on `birthdate` whose kana name, spaces removed, is `kana` (also spaces removed);
 * optionally of `sex` and with `address` contained in theirs. At most `limit`.
 */
export async function searchPersons(
  store: Store,
  query: {
    kana: string;
    birthdate: string;
    sex?: string | undefined;
    address?: string | undefined;
    limit: number;
  },
): Promise<Person[]> {
  const rows = await store.all<PersonRow>(
    `select ${personColumns} from persons
     where birthdate = ? and replace(name_kana, ' ', '') = ?
       and (cast(? as text) is null or sex = ?) and (cast(? as text) is null or address like ?)
     order by person_id limit ?`,
    [
      query.birthdate,
      query.kana,
      query.sex ?? null,
      query.sex ?? null,
      query.address ?? null,
      query.address === undefined ? null : `%${query.address.replace(/[%_\\]/g, '')}%`,
      query.limit,
    ],
  );
  return rows.map(toPerson);
}
