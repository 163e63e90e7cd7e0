/**
 * Which client certificates central has answered a check for (`institution_sightings`, migration
 * 005): the first answered check per certificate serial. The portal reads it for its introduction
 * checklist ("terminal connected", "operation test passed"); see docs/decisions/0005-portal.md.
 */
import type { Store } from '../store/store.ts';

export interface Sighting {
  readonly serial: string;
  readonly institutionCode: string;
  readonly firstCheckAt: string;
  readonly path: string;
}

/** Records the first check of `serial`; later calls for the same serial change nothing. */
export async function recordSighting(store: Store, sighting: Sighting): Promise<void> {
  await store.run(
    `insert into institution_sightings (serial, institution_code, first_check_at, path)
     values (?, ?, ?, ?) on conflict (serial) do nothing`,
    [sighting.serial, sighting.institutionCode, sighting.firstCheckAt, sighting.path],
  );
}

/** The sightings of an institution's certificates, oldest first. */
export async function listSightings(store: Store, institutionCode: string): Promise<Sighting[]> {
  return store.all<Sighting>(
    `select serial, institution_code as "institutionCode", first_check_at as "firstCheckAt", path
     from institution_sightings where institution_code = ? order by first_check_at`,
    [institutionCode],
  );
}
