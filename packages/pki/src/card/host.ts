/**
 * The host side of the JPKI user-authentication application: what a card reader (or the CLI)
 * does with a card, talking only through {@link Card.transmit}. Works the same with the virtual
 * My Number card and with a real card behind PC/SC.
 *
 * Call {@link selectJpkiAp} once at the start of a card session; the other functions select the
 * EF they need but never re-select the AP, because that would drop a verified PIN.
 */
import { createHash } from 'node:crypto';
import { OnshiError } from '@onshi/core';
import {
  decodeResponse,
  encodeCommand,
  type ResponseApdu,
  SW,
  statusWordName,
  swHex,
  triesLeftOf,
} from './apdu.ts';
import type { Card } from './card.ts';
import {
  CLA_ISO,
  CLA_PROPRIETARY,
  fileIdBytes,
  INS,
  JPKI_AP_AID,
  JPKI_EF,
  P2_SELECTED_EF,
  SELECT_BY_DF_NAME,
  SELECT_EF_UNDER_DF,
  SELECT_NO_RESPONSE_DATA,
  USER_AUTH_PIN_MAX_TRIES,
} from './jpki.ts';

/** The answer to a PIN verification. */
export type PinVerification =
  | { readonly ok: true }
  | { readonly ok: false; readonly blocked: false; readonly triesLeft: number }
  | { readonly ok: false; readonly blocked: true };

/** DER prefix of DigestInfo { AlgorithmIdentifier sha256 (2.16.840.1.101.3.4.2.1), NULL }, OCTET STRING (32). */
const SHA256_DIGEST_INFO_PREFIX = Uint8Array.of(
  0x30,
  0x31,
  0x30,
  0x0d,
  0x06,
  0x09,
  0x60,
  0x86,
  0x48,
  0x01,
  0x65,
  0x03,
  0x04,
  0x02,
  0x01,
  0x05,
  0x00,
  0x04,
  0x20,
);

/** Largest EF offset READ BINARY can address (P1 b8 must be 0). */
const MAX_OFFSET = 0x7fff;
/** Bytes read first to learn the certificate's DER length, as JPKI readers do. */
const HEADER_READ = 4;
/** Largest chunk a short READ BINARY returns (Le = 00). */
const MAX_CHUNK = 256;

/** SELECT the JPKI AP by its DF name. Starts the AP's session: no PIN verified. */
export async function selectJpkiAp(card: Card): Promise<void> {
  const response = await send(card, {
    cla: CLA_ISO,
    ins: INS.SELECT,
    p1: SELECT_BY_DF_NAME,
    p2: SELECT_NO_RESPONSE_DATA,
    data: JPKI_AP_AID,
  });
  if (response.sw === SW.FILE_NOT_FOUND)
    throw new OnshiError('CARD_APPLICATION_NOT_FOUND', { sw: swHex(response.sw) });
  expectOk('SELECT JPKI AP', response);
}

/** Reads the 利用者証明用電子証明書 (DER, EF 000A). */
export function readUserCertificate(card: Card): Promise<Uint8Array> {
  return readCertificateEf(card, JPKI_EF.USER_AUTH_CERTIFICATE);
}

/** Reads the certificate of the CA that issued the user-authentication certificate (EF 000B). */
export function readUserCaCertificate(card: Card): Promise<Uint8Array> {
  return readCertificateEf(card, JPKI_EF.USER_AUTH_CA_CERTIFICATE);
}

/** A certificate EF: 4 bytes first to learn the DER length, then chunks of up to 256 bytes. */
async function readCertificateEf(card: Card, fileId: number): Promise<Uint8Array> {
  await selectEf(card, fileId);
  const head = await readBinary(card, 0, HEADER_READ);
  const total = derLength(head);
  if (total > MAX_OFFSET + 1) {
    throw new OnshiError('CARD_RESPONSE_INVALID', { detail: `certificate of ${total} bytes is too large` });
  }
  const certificate = new Uint8Array(total);
  certificate.set(head.subarray(0, Math.min(head.length, total)), 0);
  for (let offset = head.length; offset < total; offset += MAX_CHUNK) {
    certificate.set(await readBinary(card, offset, Math.min(MAX_CHUNK, total - offset)), offset);
  }
  return certificate;
}

/** Tries left for the user-authentication PIN: VERIFY without data (0 when blocked). */
export async function pinTriesLeft(card: Card): Promise<number> {
  await selectEf(card, JPKI_EF.USER_AUTH_PIN);
  const response = await send(card, { cla: CLA_ISO, ins: INS.VERIFY, p1: 0x00, p2: P2_SELECTED_EF });
  if (response.sw === SW.OK) return USER_AUTH_PIN_MAX_TRIES; // verified in this session: counter reset
  if (response.sw === SW.AUTHENTICATION_METHOD_BLOCKED) return 0;
  const tries = triesLeftOf(response.sw);
  if (tries !== undefined) return tries;
  throw commandFailed('VERIFY (tries left)', response.sw);
}

/** VERIFY the 4-digit user-authentication PIN (sent as ASCII digits). */
export async function verifyPin(card: Card, pin: string): Promise<PinVerification> {
  if (!/^[0-9]{4}$/.test(pin)) throw new OnshiError('CARD_PIN_FORMAT_INVALID');
  await selectEf(card, JPKI_EF.USER_AUTH_PIN);
  const data = new TextEncoder().encode(pin);
  const response = await send(card, { cla: CLA_ISO, ins: INS.VERIFY, p1: 0x00, p2: P2_SELECTED_EF, data });
  if (response.sw === SW.OK) return { ok: true };
  if (response.sw === SW.AUTHENTICATION_METHOD_BLOCKED) return { ok: false, blocked: true };
  const tries = triesLeftOf(response.sw);
  if (tries === 0) return { ok: false, blocked: true };
  if (tries !== undefined) return { ok: false, blocked: false, triesLeft: tries };
  throw commandFailed('VERIFY', response.sw);
}

/** DigestInfo (DER) for the SHA-256 hash of a message: what the card is given to sign. */
export function sha256DigestInfo(message: Uint8Array): Uint8Array {
  const digest = createHash('sha256').update(message).digest();
  const digestInfo = new Uint8Array(SHA256_DIGEST_INFO_PREFIX.length + digest.length);
  digestInfo.set(SHA256_DIGEST_INFO_PREFIX, 0);
  digestInfo.set(digest, SHA256_DIGEST_INFO_PREFIX.length);
  return digestInfo;
}

/**
 * Has the card sign a challenge with the user-authentication key: SELECT EF 0017, then
 * COMPUTE DIGITAL SIGNATURE over DigestInfo(SHA-256(challenge)). The result is an RSASSA-PKCS1-v1_5
 * SHA-256 signature of the challenge, verifiable with the certificate's public key.
 */
export async function signChallenge(card: Card, challenge: Uint8Array): Promise<Uint8Array> {
  await selectEf(card, JPKI_EF.USER_AUTH_PRIVATE_KEY);
  const data = sha256DigestInfo(challenge);
  const command = { cla: CLA_PROPRIETARY, ins: INS.COMPUTE_DIGITAL_SIGNATURE, p1: 0x00, p2: P2_SELECTED_EF };
  const response = await send(card, { ...command, data, le: 256 });
  if (response.sw === SW.SECURITY_STATUS_NOT_SATISFIED)
    throw new OnshiError('CARD_SECURITY_STATUS_NOT_SATISFIED');
  expectOk('COMPUTE DIGITAL SIGNATURE', response);
  if (response.data.length === 0)
    throw new OnshiError('CARD_RESPONSE_INVALID', { detail: 'empty signature' });
  return response.data;
}

async function selectEf(card: Card, fileId: number): Promise<void> {
  const data = fileIdBytes(fileId);
  const response = await send(card, {
    cla: CLA_ISO,
    ins: INS.SELECT,
    p1: SELECT_EF_UNDER_DF,
    p2: SELECT_NO_RESPONSE_DATA,
    data,
  });
  expectOk(`SELECT EF ${swHex(fileId)}`, response);
}

async function readBinary(card: Card, offset: number, length: number): Promise<Uint8Array> {
  const response = await send(card, {
    cla: CLA_ISO,
    ins: INS.READ_BINARY,
    p1: offset >> 8,
    p2: offset & 0xff,
    le: length,
  });
  expectOk('READ BINARY', response);
  if (response.data.length !== length) {
    throw new OnshiError('CARD_RESPONSE_INVALID', {
      detail: `READ BINARY at ${offset} returned ${response.data.length} bytes, not ${length}`,
    });
  }
  return response.data;
}

/** Total length (header included) of the DER element whose first bytes are `head`. */
function derLength(head: Uint8Array): number {
  const [tag, first, second = 0, third = 0] = head;
  if (tag !== 0x30 || first === undefined) {
    throw new OnshiError('CARD_RESPONSE_INVALID', {
      detail: 'the certificate EF does not start with a DER SEQUENCE',
    });
  }
  if (first < 0x80) return 2 + first;
  if (first === 0x81) return 3 + second;
  if (first === 0x82) return 4 + ((second << 8) | third);
  throw new OnshiError('CARD_RESPONSE_INVALID', {
    detail: `unsupported DER length form 0x${first.toString(16)}`,
  });
}

async function send(card: Card, command: Parameters<typeof encodeCommand>[0]): Promise<ResponseApdu> {
  const response = decodeResponse(await card.transmit(encodeCommand(command)));
  if (response === undefined) throw new OnshiError('CARD_RESPONSE_INVALID', { detail: 'no status word' });
  return response;
}

function expectOk(command: string, response: ResponseApdu): void {
  if (response.sw !== SW.OK) throw commandFailed(command, response.sw);
}

function commandFailed(command: string, sw: number): OnshiError {
  return new OnshiError('CARD_COMMAND_FAILED', { command, sw: swHex(sw), status: statusWordName(sw) });
}
