/**
 * The state file of a virtual My Number card, shared by the issuer (`onshi ca issue-card`, which
 * writes it) and the virtual card (packages/pki/src/card/, which reads it and persists its PIN
 * counter in it). One JSON object, UTF-8, written atomically (temp file + rename) with mode 0600.
 *
 * The private key is stored unencrypted: it stands for the key inside the chip, which signs after
 * a PIN *or* face authentication, so no secret the card could use to decrypt it exists; encrypting
 * it with the 4-digit PIN would add no protection. Protect the file like the card itself.
 */
import { readFile } from 'node:fs/promises';
import { OnshiError } from '@onshi/core';
import { writeFileAtomic } from './files.ts';

export const VIRTUAL_CARD_FORMAT = 'onshi-virtual-card/1';

/** Retry counter of the user-authentication PIN on a fresh card. */
export const PIN_TRIES = 3;

export interface VirtualCardFile {
  readonly format: typeof VIRTUAL_CARD_FORMAT;
  /** 利用者証明用電子証明書: base64 of the DER certificate (what READ BINARY returns). */
  readonly userCertificate: string;
  /** Its private key: PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), unencrypted (see above). */
  readonly privateKey: string;
  /** 利用者証明用電子証明書の暗証番号: exactly 4 digits. */
  readonly pin: string;
  /** PIN tries left, 0…3; 0 means blocked. */
  readonly triesLeft: number;
  /** Once true, stays true (a blocked card is reset only at the municipal office, not here). */
  readonly blocked: boolean;
  /** The card-issuing CA certificate (base64 DER), so a reader can present the chain. */
  readonly issuerCertificate?: string | undefined;
}

/** Reads and checks a card file; a missing or damaged file throws CONFIG_INVALID naming the path. */
export async function readVirtualCardFile(path: string): Promise<VirtualCardFile> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new OnshiError(
      'CONFIG_INVALID',
      { name: path, detail: 'not a readable JSON card file' },
      { cause: error },
    );
  }
  const problem = checkVirtualCard(value);
  if (problem !== undefined) throw new OnshiError('CONFIG_INVALID', { name: path, detail: problem });
  return value as VirtualCardFile;
}

/** What is wrong with `value` as a card file, or undefined when nothing is. */
export function checkVirtualCard(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const card = value as Record<string, unknown>;
  if (card.format !== VIRTUAL_CARD_FORMAT) return `format must be ${VIRTUAL_CARD_FORMAT}`;
  if (typeof card.userCertificate !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(card.userCertificate)) {
    return 'userCertificate must be base64 DER';
  }
  if (typeof card.privateKey !== 'string' || !card.privateKey.includes('-----BEGIN PRIVATE KEY-----')) {
    return 'privateKey must be an unencrypted PKCS#8 PEM';
  }
  if (typeof card.pin !== 'string' || !/^\d{4}$/.test(card.pin)) return 'pin must be 4 digits';
  const tries = card.triesLeft;
  if (typeof tries !== 'number' || !Number.isInteger(tries) || tries < 0 || tries > PIN_TRIES) {
    return `triesLeft must be an integer 0…${PIN_TRIES}`;
  }
  if (typeof card.blocked !== 'boolean') return 'blocked must be a boolean';
  if (card.issuerCertificate !== undefined && typeof card.issuerCertificate !== 'string') {
    return 'issuerCertificate must be base64 DER';
  }
  return undefined;
}

/** Writes the card file atomically (temp + rename), readable by its owner only. */
export async function writeVirtualCardFile(path: string, card: VirtualCardFile): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(card, null, 2)}\n`, 0o600);
}
