/**
 * Test support for the check by My Number card (imported by tests only): a temporary JPKI
 * directory with its in-process OCSP responder, a settable clock, a foreign card PKI, what a
 * card does when it signs, and a card holder in a store (person, qualification, card link).
 */
import { sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalDate } from '@onshi/core';
import {
  type CardVerifier,
  createCardVerifier,
  createJpkiDirectory,
  type IssuedUserCertificate,
  type JpkiCa,
  type OcspService,
  openOcspService,
} from '@onshi/pki';
import { type TestClock, testClock } from '@onshi/pki/test-support';
import type { Store } from '../store/store.ts';
import { addInsurer, addPerson, addQualification } from '../test/fixtures.ts';
import { importCardLinks } from './card-check.links.ts';

/** The card's answer to COMPUTE DIGITAL SIGNATURE over DigestInfo(SHA-256(challenge)). */
export function signAsCard(card: IssuedUserCertificate, challenge: Uint8Array): Uint8Array {
  return sign('sha256', challenge, card.privateKey);
}

export interface CardWorld {
  readonly dir: string;
  readonly passphraseFile: string;
  readonly clock: TestClock;
  readonly jpki: JpkiCa;
  readonly ocsp: OcspService;
  /** A verifier over the JPKI trust with the in-process OCSP responder, on the world's clock. */
  verifier(): CardVerifier;
  /** A new card of the world's JPKI, already known to the OCSP responder. */
  issueCard(): Promise<IssuedUserCertificate>;
  /** A card of another, untrusted card PKI. */
  foreignCard(): Promise<IssuedUserCertificate>;
  /** Revokes a card and makes the responder see it at once. */
  revoke(card: IssuedUserCertificate): Promise<void>;
  dispose(): Promise<void>;
}

export const WORLD_START = '2026-06-01T00:00:00Z';

export async function createCardWorld(): Promise<CardWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'onshi-card-check-'));
  const passphraseFile = join(dir, 'passphrase');
  await writeFile(passphraseFile, 'card check test passphrase\n', { mode: 0o600 });
  const clock = testClock(WORLD_START);
  const jpki = await createJpkiDirectory(join(dir, 'jpki'), passphraseFile, { clock });
  const ocsp = await openOcspService(jpki.dir, passphraseFile, { clock, intervalMs: 60_000 });
  let foreign: JpkiCa | undefined;
  return {
    dir,
    passphraseFile,
    clock,
    jpki,
    ocsp,
    verifier: () => createCardVerifier({ trust: jpki.bundlePem, clock, ocsp: ocsp.respond }),
    issueCard: async () => {
      const card = await jpki.issueUserCertificate();
      await ocsp.statusSource.reload();
      return card;
    },
    foreignCard: async () => {
      foreign ??= await createJpkiDirectory(join(dir, 'foreign'), passphraseFile, { clock });
      return foreign.issueUserCertificate();
    },
    revoke: async (card) => {
      await jpki.revoke(card.serial, 'keyCompromise');
      await ocsp.statusSource.reload();
    },
    dispose: async () => {
      ocsp.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Links the card to the person (the card-link import, valid until 2031-01-01). */
export async function linkCard(
  store: Store,
  card: IssuedUserCertificate,
  personId: number,
  registered: boolean,
): Promise<void> {
  const link = { personId, pseudonymousId: card.pseudonymousId, serial: card.serial, notAfter: '2031-01-01' };
  await importCardLinks(store, [link], { registered });
}

/**
 * The holder of a registered card: a person born on `birthdate` insured by the 組合 `insurer`
 * (card number `cardNumber`, since 2020-04-01), the card linked. Returns the person's id.
 */
export async function addCardHolder(
  store: Store,
  card: IssuedUserCertificate,
  spec: { readonly insurer: string; readonly cardNumber: string; readonly birthdate: LocalDate },
): Promise<number> {
  await addInsurer(store, spec.insurer, 'kumiai');
  const personId = await addPerson(store, { birthdate: spec.birthdate });
  await addQualification(store, {
    personId,
    insurerNumber: spec.insurer,
    cardNumber: spec.cardNumber,
    qualificationDate: '2020-04-01',
  });
  await linkCard(store, card, personId, true);
  return personId;
}
