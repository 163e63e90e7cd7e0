/**
 * The demo's My Number cards, created on first start: a card PKI (the J-LIS stand-in) next to the
 * common CA, virtual cards with the PIN 1234 for the first persons of the store, their links to
 * those persons (the pseudonymous 機関別符号 stand-in) — all registered for insurance use except the
 * last two, so that 初回登録 can be tried at the "reader" (`onshi card register`).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { importCardLinks, listByPerson, listPersonIds, type Store } from '@onshi/central';
import { isQualificationValidOn, jstDate } from '@onshi/core';
import { appendCardLinks, type CardLink, createJpkiDirectory } from '@onshi/pki';
import { linkOf, writeCard } from './commands/ca-cards.ts';

export const DEMO_PIN = '1234';
const CARDS = 12;
const UNREGISTERED = 2;

export interface DemoCards {
  readonly jpkiDir: string;
  /** Card files, registered ones first. */
  readonly files: readonly string[];
  readonly unregistered: readonly string[];
}

/** The first `count` persons of the store who hold a qualification valid today. */
async function insuredToday(store: Store, count: number): Promise<number[]> {
  const today = jstDate(new Date());
  const chosen: number[] = [];
  for (const personId of await listPersonIds(store, 0, count * 10)) {
    const qualifications = await listByPerson(store, personId);
    if (qualifications.some((q) => isQualificationValidOn(q, today))) chosen.push(personId);
    if (chosen.length === count) break;
  }
  return chosen;
}

/** Where the demo's card PKI lives (the central service's ONSHI_JPKI_DIR). */
export function demoJpkiDir(dir: string): string {
  return join(dir, 'pki', 'jpki');
}

export async function ensureDemoCards(store: Store, dir: string, passphraseFile: string): Promise<DemoCards> {
  const jpkiDir = demoJpkiDir(dir);
  const cardsDir = join(dir, 'cards');
  const linksPath = join(cardsDir, 'links.ndjson');
  if (!existsSync(linksPath)) {
    // A start that was interrupted half-way leaves a partial set: begin again.
    await rm(jpkiDir, { recursive: true, force: true });
    await rm(cardsDir, { recursive: true, force: true });
    const jpki = await createJpkiDirectory(jpkiDir, passphraseFile);
    await mkdir(cardsDir, { recursive: true, mode: 0o700 });
    const personIds = await insuredToday(store, CARDS);
    const links: CardLink[] = [];
    await jpki.issueUserCertificates(personIds.length, async (issued, index) => {
      const personId = personIds[index]!;
      await writeCard(jpki, issued, personId, DEMO_PIN, cardsDir);
      links[index] = linkOf(personId, issued);
    });
    const registered = links.slice(0, links.length - UNREGISTERED);
    await importCardLinks(store, registered, { registered: true });
    await importCardLinks(store, links.slice(registered.length), { registered: false });
    // Written last: its presence marks a complete set.
    await appendCardLinks(linksPath, links);
  }
  const files = (await readdir(cardsDir))
    .filter((name) => name.endsWith('.card.json'))
    .sort((a, b) => Number(a.match(/\d+/)?.[0]) - Number(b.match(/\d+/)?.[0]))
    .map((name) => join(cardsDir, name));
  return { jpkiDir, files, unregistered: files.slice(files.length - UNREGISTERED) };
}
