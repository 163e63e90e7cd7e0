/**
 * The cards the simulated patient can place on the reader: the `*.card.json` files of a cards
 * directory, labelled カード 1, 2 … in natural order of their names (person-2 before person-10).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OnshiError } from '@onshi/core';
import { openVirtualMyNumberCard, pinTriesLeft, selectJpkiAp } from '@onshi/pki';

export interface CardFileRef {
  /** card-1, card-2 … (also the data-testid of its button). */
  readonly id: string;
  readonly label: string;
  /** The file's name in the cards directory. */
  readonly file: string;
  readonly path: string;
}

export interface CardListEntry {
  readonly id: string;
  readonly label: string;
  readonly file: string;
  /** PIN tries left, as the card answers VERIFY without data (0: blocked). */
  readonly triesLeft: number;
  readonly blocked: boolean;
  /** Set when the file cannot be used as a card (damaged): the reader says why. */
  readonly problem?: string;
}

const collator = new Intl.Collator('en', { numeric: true });

export async function listCardFiles(cardsDir: string): Promise<CardFileRef[]> {
  let names: string[];
  try {
    names = await readdir(cardsDir);
  } catch (error) {
    throw new OnshiError(
      'CONFIG_INVALID',
      { name: cardsDir, detail: 'カードのディレクトリを読めません' },
      { cause: error },
    );
  }
  return names
    .filter((name) => name.endsWith('.card.json'))
    .sort(collator.compare)
    .map((file, i) => ({ id: `card-${i + 1}`, label: `カード ${i + 1}`, file, path: join(cardsDir, file) }));
}

/** The card file behind `id` (card-N), or READER_CARD_UNKNOWN. */
export async function findCardFile(cardsDir: string, id: string): Promise<CardFileRef> {
  const ref = (await listCardFiles(cardsDir)).find((card) => card.id === id);
  if (ref === undefined) throw new OnshiError('READER_CARD_UNKNOWN', { card: id });
  return ref;
}

/** Every card with its PIN state, read from the card over APDUs. */
export async function listCards(cardsDir: string): Promise<CardListEntry[]> {
  const refs = await listCardFiles(cardsDir);
  return Promise.all(
    refs.map(async ({ id, label, file, path }) => {
      try {
        const card = await openVirtualMyNumberCard(path);
        await selectJpkiAp(card);
        const triesLeft = await pinTriesLeft(card);
        return { id, label, file, triesLeft, blocked: triesLeft === 0 };
      } catch (error) {
        return { id, label, file, triesLeft: 0, blocked: false, problem: (error as Error).message };
      }
    }),
  );
}
