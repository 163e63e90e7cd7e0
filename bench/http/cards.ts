/**
 * My Number cards for the HTTP benchmark: a throw-away JPKI directory (the J-LIS stand-in),
 * user-authentication certificates for a few hundred persons of the seeded store who hold a
 * qualification valid on its date, and their links imported into the store and registered for
 * insurance use (seeded persons have no person_key; the import sets it). The pseudonymous id of a
 * person is derived from the seed, so a reused store takes the next run's cards without conflict.
 *
 * Confirmation bodies: a challenge is single-use and must be signed by the card's key, so the
 * benchmark fetches challenges from central first and signs each here, as the virtual card does
 * (RSASSA-PKCS1-v1_5 over SHA-256(challenge) — `crypto.sign('sha256', challenge, key)`), before it
 * measures; every body is then sent once.
 */
import { createHash, type KeyObject, sign } from 'node:crypto';
import { join } from 'node:path';
import { importCardLinks, listByPerson, listPersonIds, openStore, type Store } from '@onshi/central';
import { isQualificationValidOn, toWireDate } from '@onshi/core';
import { type CardLink, createJpkiDirectory, type IssuedUserCertificate } from '@onshi/pki';

export interface BenchCard {
  readonly certificateBase64: string;
  readonly privateKey: KeyObject;
}

export interface BenchCards {
  readonly jpkiDir: string;
  readonly passphraseFile: string;
  readonly cards: readonly BenchCard[];
}

/** The same pseudonymous id for a person in every run with this seed (32 hex digits, as J-LIS-like ids). */
function benchPseudonym(seed: number, personId: number): string {
  return createHash('sha256').update(`onshi-bench:${seed}:${personId}`).digest('hex').slice(0, 32);
}

/** `count` persons holding a qualification valid on `on`, from a seed-dependent point of the store. */
async function insuredPersons(store: Store, count: number, seed: number, on: string): Promise<number[]> {
  const chosen: number[] = [];
  let after = seed * 1000;
  while (chosen.length < count) {
    const page = await listPersonIds(store, after, 1000);
    if (page.length === 0) break;
    for (const personId of page) {
      const qualifications = await listByPerson(store, personId);
      if (qualifications.some((q) => isQualificationValidOn(q, on))) chosen.push(personId);
      if (chosen.length === count) break;
    }
    after = page.at(-1)!;
  }
  return chosen;
}

/** Issues the cards (two at a time: key generation dominates) and imports their links. */
export async function createBenchCards(
  storeUrl: string,
  options: { dir: string; passphraseFile: string; count: number; seed: number; on: string },
): Promise<BenchCards> {
  const jpkiDir = join(options.dir, 'jpki');
  const jpki = await createJpkiDirectory(jpkiDir, options.passphraseFile);
  const store = openStore(storeUrl);
  try {
    const persons = await insuredPersons(store, options.count, options.seed, options.on);
    const issued: IssuedUserCertificate[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < persons.length; i = next++) {
        issued[i] = await jpki.issueUserCertificate({
          pseudonymousId: benchPseudonym(options.seed, persons[i]!),
        });
      }
    };
    await Promise.all([worker(), worker()]);
    const links: CardLink[] = issued.map((card, i) => ({
      personId: persons[i]!,
      pseudonymousId: card.pseudonymousId,
      serial: card.serial,
      notAfter: card.certificate.validToDate.toISOString(),
    }));
    const report = await importCardLinks(store, links, { registered: true });
    if (report.linked !== links.length) {
      throw new Error(`card links: ${report.linked} of ${links.length} imported (${JSON.stringify(report)})`);
    }
    const cards = issued.map((card) => ({
      certificateBase64: Buffer.from(card.certificateDer).toString('base64'),
      privateKey: card.privateKey,
    }));
    return { jpkiDir, passphraseFile: options.passphraseFile, cards };
  } finally {
    await store.close();
  }
}

function signAsync(challenge: Buffer, key: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    sign('sha256', challenge, key, (error, signature) => (error ? reject(error) : resolve(signature))),
  );
}

/**
 * One confirmation body per challenge (base64), each signed by the next card in turn: PIN
 * verified, 限度額 consent given, the check as of `on`. Signatures are made on the libuv thread
 * pool, many at a time.
 */
export async function confirmationBodies(
  cards: readonly BenchCard[],
  challenges: readonly string[],
  on: string,
): Promise<Buffer[]> {
  const date = toWireDate(on);
  const bodies: Buffer[] = [];
  for (let start = 0; start < challenges.length; start += 512) {
    const chunk = challenges.slice(start, start + 512);
    const signed = await Promise.all(
      chunk.map(async (challenge, i) => {
        const card = cards[(start + i) % cards.length]!;
        const signature = await signAsync(Buffer.from(challenge, 'base64'), card.privateKey);
        return JSON.stringify({
          challenge,
          certificate: card.certificateBase64,
          signature: signature.toString('base64'),
          authMethod: 'pin',
          QualificationConfirmationDate: date,
          LimitApplicationCertificateRelatedConsFlg: '1',
        });
      }),
    );
    for (const body of signed) bodies.push(Buffer.from(body));
  }
  return bodies;
}
