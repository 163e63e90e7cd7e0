/**
 * The JPKI-like card PKI (standing in for J-LIS) as a directory: root, card-issuing CA, delegated
 * OCSP responder, and the records of issued and revoked user-authentication certificates. See
 * packages/pki/README.md for the files.
 */

import { appendFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type Clock, OnshiError } from '@onshi/core';
import {
  type Authority,
  createAuthority,
  loadAuthority,
  loadCertificate,
  prepareEmptyDirectory,
  readJsonFile,
  saveAuthority,
  writeJsonFile,
} from '../authority.ts';
import { normalizeSerial, randomSerialHex, signCertificate, wholeSeconds } from '../certs.ts';
import { writeFileAtomic } from '../files.ts';
import { generateRsaKeyPair, privateKeyPem, type RsaKeyPair, readPassphraseFile } from '../keys.ts';
import type { RevocationReason } from '../revocation.ts';
import {
  CARD_CA_SUBJECT,
  JPKI_ROOT_SUBJECT,
  newPseudonymousId,
  OCSP_RESPONDER_SUBJECT,
  ocspResponderExtensions,
  userExtensions,
  userNotAfter,
  userSubject,
} from './jpki.profiles.ts';
import {
  ISSUED_FILE,
  type IssuedCardRecord,
  type RevokedCardRecord,
  readIssuedFrom,
  readRevoked,
  writeRevoked,
} from './jpki.registry.ts';
import type { IssuedUserCertificate, JpkiCa } from './jpki.types.ts';

const SETTINGS_FILE = 'jpki.json';
const SETTINGS_FORMAT = 'onshi-jpki/1';
export const JPKI_BUNDLE_FILE = 'bundle.pem';

const systemClock: Clock = { now: () => new Date() };

/** Creates the card PKI in `dir` (empty or absent): root, card CA, OCSP responder, empty records. */
export async function createJpkiDirectory(
  dir: string,
  passphraseFile: string,
  options: { readonly clock?: Clock | undefined } = {},
): Promise<JpkiCa> {
  const passphrase = await readPassphraseFile(passphraseFile);
  const clock = options.clock ?? systemClock;
  await prepareEmptyDirectory(dir);
  const now = clock.now();
  const root = await createAuthority({
    subject: JPKI_ROOT_SUBJECT,
    pathLength: 1,
    notBefore: now,
    years: 20,
  });
  const cardCa = await createAuthority({
    subject: CARD_CA_SUBJECT,
    pathLength: 0,
    notBefore: now,
    years: 10,
    signer: root,
  });
  const responder = await createOcspResponderCertificate(cardCa, now);
  await saveAuthority(dir, 'root', root, passphrase);
  await saveAuthority(dir, 'card-ca', cardCa, passphrase);
  await saveAuthority(dir, 'ocsp', responder, passphrase);
  await writeFileAtomic(
    join(dir, JPKI_BUNDLE_FILE),
    `${cardCa.certificate.toString()}${root.certificate.toString()}`,
  );
  await writeFile(join(dir, ISSUED_FILE), '', { flag: 'wx' });
  await writeRevoked(dir, []);
  await writeJsonFile(dir, SETTINGS_FILE, { format: SETTINGS_FORMAT, createdAt: now.toISOString() });
  return openJpki(dir, passphraseFile, options);
}

async function createOcspResponderCertificate(cardCa: Authority, now: Date): Promise<Authority> {
  const keys = await generateRsaKeyPair();
  const notBefore = wholeSeconds(now);
  const certificate = await signCertificate(
    {
      subject: OCSP_RESPONDER_SUBJECT,
      publicKey: keys.publicKey,
      serial: randomSerialHex(),
      notBefore,
      notAfter: cardCa.certificate.validToDate,
      extensions: ocspResponderExtensions(),
    },
    cardCa,
  );
  return { certificate, privateKey: keys.privateKey };
}

/** Opens the card PKI; the card CA key is decrypted now (a wrong passphrase fails here). */
export async function openJpki(
  dir: string,
  passphraseFile: string,
  options: { readonly clock?: Clock | undefined } = {},
): Promise<JpkiCa> {
  const passphrase = await readPassphraseFile(passphraseFile);
  const settings = await readJsonFile<{ format?: string }>(dir, SETTINGS_FILE);
  if (settings.format !== SETTINGS_FORMAT) {
    throw new OnshiError('PKI_CA_DIRECTORY_INVALID', {
      dir,
      detail: `${SETTINGS_FILE} is not ${SETTINGS_FORMAT}`,
    });
  }
  const root = await loadCertificate(dir, 'root');
  const cardCa = await loadAuthority(dir, 'card-ca', await loadCertificate(dir, 'card-ca'), passphrase);
  const ocsp = await loadCertificate(dir, 'ocsp');
  const { records } = await readIssuedFrom(dir, 0);
  const revoked = await readRevoked(dir);
  const state: JpkiState = {
    dir,
    cardCa,
    clock: options.clock ?? systemClock,
    issued: new Map(records.map((record) => [record.serial, record])),
    revoked,
  };
  return jpkiCa(state, root, ocsp);
}

interface JpkiState {
  readonly dir: string;
  readonly cardCa: Authority;
  readonly clock: Clock;
  readonly issued: Map<string, IssuedCardRecord>;
  revoked: RevokedCardRecord[];
}

function jpkiCa(state: JpkiState, root: JpkiCa['root'], ocsp: JpkiCa['ocspResponder']): JpkiCa {
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => {});
    return run;
  };
  const issueOne: JpkiCa['issueUserCertificate'] = async (options = {}) => {
    const keys = await (options.keySource ?? generateRsaKeyPair)();
    return issueUser(state, keys, options.pseudonymousId ?? newPseudonymousId(), exclusive);
  };
  return {
    dir: state.dir,
    root,
    cardCa: state.cardCa.certificate,
    ocspResponder: ocsp,
    bundlePem: `${state.cardCa.certificate.toString()}${root.toString()}`,
    issueUserCertificate: issueOne,
    async issueUserCertificates(count, onIssued, options = {}) {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < count) {
          const index = next++;
          await onIssued(await issueOne({ keySource: options.keySource }), index);
        }
      };
      const workers = Math.max(1, Math.min(count, options.concurrency ?? availableParallelism()));
      await Promise.all(Array.from({ length: workers }, worker));
    },
    revoke: (serial, reason) => exclusive(() => revokeCard(state, serial, reason)),
    record: (serial) =>
      /^[0-9A-Fa-f:]+$/.test(serial) ? state.issued.get(normalizeSerial(serial)) : undefined,
  };
}

async function issueUser(
  state: JpkiState,
  keys: RsaKeyPair,
  pseudonymousId: string,
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<IssuedUserCertificate> {
  let serial = randomSerialHex();
  while (state.issued.has(serial)) serial = randomSerialHex();
  const notBefore = wholeSeconds(state.clock.now());
  const caEnd = state.cardCa.certificate.validToDate;
  const notAfter = new Date(Math.min(userNotAfter(notBefore).getTime(), caEnd.getTime()));
  const certificate = await signCertificate(
    {
      subject: userSubject(serial),
      publicKey: keys.publicKey,
      serial,
      notBefore,
      notAfter,
      extensions: userExtensions(),
    },
    state.cardCa,
  );
  const record: IssuedCardRecord = {
    serial,
    pseudonymousId,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    issuedAt: state.clock.now().toISOString(),
  };
  await exclusive(async () => {
    await appendFile(join(state.dir, ISSUED_FILE), `${JSON.stringify(record)}\n`);
    state.issued.set(serial, record);
  });
  return {
    certificate,
    certificateDer: new Uint8Array(certificate.raw),
    privateKey: keys.privateKey,
    privateKeyPem: privateKeyPem(keys.privateKey),
    pseudonymousId,
    serial,
  };
}

async function revokeCard(
  state: JpkiState,
  serialHex: string,
  reason: RevocationReason,
): Promise<RevokedCardRecord> {
  const serial = /^[0-9A-Fa-f:]+$/.test(serialHex) ? normalizeSerial(serialHex) : '';
  if (!state.issued.has(serial)) throw new OnshiError('PKI_SERIAL_UNKNOWN', { serial: serialHex });
  if (state.revoked.some((record) => record.serial === serial)) {
    throw new OnshiError('PKI_CERT_ALREADY_REVOKED', { serial });
  }
  const record: RevokedCardRecord = {
    serial,
    revokedAt: wholeSeconds(state.clock.now()).toISOString(),
    reason,
  };
  const revoked = [...state.revoked, record];
  await writeRevoked(state.dir, revoked);
  state.revoked = revoked;
  return record;
}
