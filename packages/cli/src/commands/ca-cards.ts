/**
 * `onshi ca issue-card | issue-cards | revoke-card`: virtual My Number cards for synthetic persons.
 * Each card file holds the user-authentication certificate, its key (the chip), a PIN and the retry
 * counter; links.ndjson ties the person to the issuer's pseudonymous id (a renewed card keeps it).
 */
import { randomInt } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { listPersonIds, migrate, openStore, progressBar } from '@onshi/central';
import {
  appendCardLinks,
  type CardLink,
  type IssuedUserCertificate,
  type JpkiCa,
  openJpki,
  PIN_TRIES,
  readCardLinks,
  revocationReason,
  VIRTUAL_CARD_FORMAT,
  writeVirtualCardFile,
} from '@onshi/pki';
import { positiveInteger, UsageError } from '../args.ts';
import type { CaValues } from './ca.ts';
import { print, required } from './ca.ts';

type Subcommand = (values: CaValues, passphraseFile: string) => Promise<void>;

export const cardCommands: Record<string, Subcommand> = {
  'issue-card': async (values, passphraseFile) => {
    const personId = positiveInteger(required(values['person-id'], 'person-id'), 'person-id', 1);
    const jpki = await openJpki(join(values.dir, 'jpki'), passphraseFile);
    const cards = await cardOutput(values.dir, values['out-dir']);
    const previous = cards.links.get(personId);
    const issued = await jpki.issueUserCertificate({ pseudonymousId: previous });
    const written = await writeCard(jpki, issued, personId, pinFor(values.pin), cards.dir);
    await appendCardLinks(cards.linksPath, [linkOf(personId, issued)]);
    print(`card for person ${personId}: ${written.path} (PIN ${written.pin}), serial ${issued.serial}`);
    print(
      previous === undefined ? 'new pseudonymous id' : 'renewed: same pseudonymous id as the previous card',
    );
  },
  'issue-cards': async (values, passphraseFile) => {
    const limit = positiveInteger(required(values.limit, 'limit'), 'limit', 1);
    const concurrency = positiveInteger(values.concurrency, 'concurrency', 0) || undefined;
    const jpki = await openJpki(join(values.dir, 'jpki'), passphraseFile);
    const cards = await cardOutput(values.dir, values['out-dir']);
    const personIds = await personsWithoutCard(required(values.store, 'store'), limit, cards.links);
    const bar = progressBar({ label: 'cards', unit: 'cards' });
    const links: CardLink[] = [];
    const started = performance.now();
    await jpki.issueUserCertificates(
      personIds.length,
      async (issued, index) => {
        const personId = personIds[index]!;
        await writeCard(jpki, issued, personId, pinFor(values.pin), cards.dir);
        links.push(linkOf(personId, issued));
        if (links.length % 100 === 0) await appendCardLinks(cards.linksPath, links.splice(0));
        bar.update(index + 1, personIds.length);
      },
      { concurrency },
    );
    await appendCardLinks(cards.linksPath, links);
    bar.done();
    const seconds = (performance.now() - started) / 1000;
    print(
      `issued ${personIds.length} cards in ${seconds.toFixed(1)} s into ${cards.dir}; links: ${cards.linksPath}`,
    );
  },
  'revoke-card': async (values, passphraseFile) => {
    const jpki = await openJpki(join(values.dir, 'jpki'), passphraseFile);
    const reason = revocationReason(required(values.reason, 'reason'));
    const record = await jpki.revoke(required(values.serial, 'serial'), reason);
    print(`revoked card certificate ${record.serial} (${record.reason}) at ${record.revokedAt}`);
  },
};

interface CardOutput {
  readonly dir: string;
  readonly linksPath: string;
  /** personId → pseudonymous id, from the links written so far. */
  readonly links: ReadonlyMap<number, string>;
}

async function cardOutput(caDir: string, outDir: string | undefined): Promise<CardOutput> {
  const dir = outDir ?? join(caDir, '..', 'cards');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const linksPath = join(dir, 'links.ndjson');
  const links = new Map((await readCardLinks(linksPath)).map((link) => [link.personId, link.pseudonymousId]));
  return { dir, linksPath, links };
}

/** The first `limit` persons of the store (by id) that have no card yet. */
async function personsWithoutCard(
  url: string,
  limit: number,
  links: ReadonlyMap<number, string>,
): Promise<number[]> {
  const store = openStore(url);
  try {
    await migrate(store);
    const chosen: number[] = [];
    let after = 0;
    while (chosen.length < limit) {
      const page = await listPersonIds(store, after, 10_000);
      if (page.length === 0) break;
      chosen.push(...page.filter((id) => !links.has(id)).slice(0, limit - chosen.length));
      after = page[page.length - 1]!;
    }
    return chosen;
  } finally {
    await store.close();
  }
}

function pinFor(pin: string | undefined): string {
  if (pin === undefined) return String(randomInt(10_000)).padStart(4, '0');
  if (!/^\d{4}$/.test(pin)) throw new UsageError('--pin must be 4 digits');
  return pin;
}

export async function writeCard(
  jpki: JpkiCa,
  issued: IssuedUserCertificate,
  personId: number,
  pin: string,
  dir: string,
): Promise<{ path: string; pin: string }> {
  const path = join(dir, `person-${personId}.card.json`);
  await writeVirtualCardFile(path, {
    format: VIRTUAL_CARD_FORMAT,
    userCertificate: Buffer.from(issued.certificateDer).toString('base64'),
    privateKey: issued.privateKeyPem,
    pin,
    triesLeft: PIN_TRIES,
    blocked: false,
    issuerCertificate: jpki.cardCa.raw.toString('base64'),
  });
  return { path, pin };
}

export function linkOf(personId: number, issued: IssuedUserCertificate): CardLink {
  return {
    personId,
    pseudonymousId: issued.pseudonymousId,
    serial: issued.serial,
    notAfter: issued.certificate.validToDate.toISOString(),
  };
}
