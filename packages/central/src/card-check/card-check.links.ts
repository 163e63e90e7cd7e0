/**
 * Import of the card issuer's link file (`links.ndjson` from `onshi ca issue-card(s)`, read with
 * `readCardLinks`): certificate serial → pseudonymous id, and person → pseudonymous id.
 *
 * The import plays two roles that the real system splits between J-LIS and the insurers:
 * - it records which pseudonymous id (the role of the 機関別符号) each card certificate belongs to
 *   (`card_links`), as J-LIS answers for a certificate;
 * - for a person who has no `person_key` yet, it sets `person_key` to that pseudonymous id — the
 *   insurer's registration of the person's link (in the real system the insurer obtains the
 *   機関別符号 through the 情報提供ネットワーク). A person whose key is already another id is left
 *   alone and the link is reported as a conflict; so is an id that is another person's key.
 *
 * With `registered`, every imported card's pseudonymous id is also registered for use as a
 * health-insurance card (as if done at マイナポータル), without an institution.
 * Idempotent: importing the same file again changes nothing. One transaction per chunk of links.
 */
import type { Clock } from '@onshi/core';
import type { CardLink } from '@onshi/pki';
import { normalizeSerial } from '@onshi/pki';
import type { Store } from '../store/store.ts';
import {
  findPersonIdByKey,
  findPersonKeyOf,
  insertRegistration,
  setPersonKey,
  upsertCardLink,
} from './card-check.repo.ts';

export interface CardLinkImportReport {
  /** Links read. */
  readonly links: number;
  /** Links stored in card_links (new or refreshed). */
  readonly linked: number;
  /** Persons whose person_key was set by this import. */
  readonly personKeysSet: number;
  /** Pseudonymous ids newly registered for insurance use. */
  readonly registered: number;
  /** Person ids of links whose person is not in the store (not imported). */
  readonly unknownPersons: readonly number[];
  /** Serials whose person already has another key, or whose id is another person's key (not imported). */
  readonly conflicts: readonly string[];
}

export interface ImportCardLinksOptions {
  /** Register every imported card for insurance use (健康保険証利用登録). */
  readonly registered: boolean;
  readonly clock?: Clock | undefined;
}

const CHUNK = 1000;

type Outcome = 'linked' | 'keySet' | 'unknownPerson' | 'conflict';

export async function importCardLinks(
  store: Store,
  links: readonly CardLink[],
  options: ImportCardLinksOptions,
): Promise<CardLinkImportReport> {
  const now = (options.clock?.now() ?? new Date()).toISOString();
  let linked = 0;
  let personKeysSet = 0;
  let registered = 0;
  const unknownPersons: number[] = [];
  const conflicts: string[] = [];
  for (let start = 0; start < links.length; start += CHUNK) {
    await store.transaction(async (tx) => {
      for (const link of links.slice(start, start + CHUNK)) {
        const outcome = await importOne(tx, link, now);
        if (outcome === 'unknownPerson') unknownPersons.push(link.personId);
        else if (outcome === 'conflict') conflicts.push(link.serial);
        else {
          linked += 1;
          if (outcome === 'keySet') personKeysSet += 1;
          if (options.registered) {
            const fresh = await insertRegistration(tx, {
              pseudonymousId: link.pseudonymousId,
              registeredAt: now,
            });
            if (fresh) registered += 1;
          }
        }
      }
    });
  }
  return { links: links.length, linked, personKeysSet, registered, unknownPersons, conflicts };
}

async function importOne(store: Store, link: CardLink, now: string): Promise<Outcome> {
  const key = await findPersonKeyOf(store, link.personId);
  if (key === undefined) return 'unknownPerson';
  let outcome: Outcome = 'linked';
  if (key === null) {
    const holder = await findPersonIdByKey(store, link.pseudonymousId);
    if (holder !== undefined && holder !== link.personId) return 'conflict';
    await setPersonKey(store, link.personId, link.pseudonymousId);
    outcome = 'keySet';
  } else if (key !== link.pseudonymousId) {
    return 'conflict';
  }
  await upsertCardLink(store, {
    serial: normalizeSerial(link.serial),
    pseudonymousId: link.pseudonymousId,
    notAfter: link.notAfter,
    importedAt: now,
  });
  return outcome;
}
