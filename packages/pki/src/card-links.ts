/**
 * The person ↔ card link file: NDJSON, one line per issued card, written by `onshi ca issue-card(s)`
 * for the central service to import (the 初回登録-like step that ties a pseudonymous id to a person).
 * It holds no My Number — there is none anywhere — and no key material.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { OnshiError } from '@onshi/core';

export interface CardLink {
  /** The central store's person id. */
  readonly personId: number;
  /** The issuer's pseudonymous id (the role of 機関別符号); the same for every card of a person. */
  readonly pseudonymousId: string;
  /** The user-authentication certificate's serial, upper-case hex. */
  readonly serial: string;
  readonly notAfter: string;
}

/** Every link in the file; a missing file is an empty list. */
export async function readCardLinks(path: string): Promise<CardLink[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const link = JSON.parse(line) as CardLink;
      if (!Number.isSafeInteger(link.personId) || typeof link.pseudonymousId !== 'string') {
        throw new OnshiError('CONFIG_INVALID', {
          name: path,
          detail: `line ${index + 1} is not a card link`,
        });
      }
      return link;
    });
}

/** Appends links (one write per call). */
export async function appendCardLinks(path: string, links: readonly CardLink[]): Promise<void> {
  if (links.length === 0) return;
  await appendFile(path, links.map((link) => `${JSON.stringify(link)}\n`).join(''));
}
