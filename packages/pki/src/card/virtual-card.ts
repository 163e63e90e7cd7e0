import { constants, type KeyObject, privateEncrypt, timingSafeEqual } from 'node:crypto';
import { OnshiError } from '@onshi/core';
import { type CommandApdu, decodeCommand, encodeResponse, SW, swTriesLeft, swWrongLe } from './apdu.ts';
import type { Card } from './card.ts';
import {
  CLA_ISO,
  CLA_PROPRIETARY,
  INS,
  JPKI_AP_AID,
  JPKI_EF,
  P2_SELECTED_EF,
  SELECT_BY_DF_NAME,
  SELECT_EF_UNDER_DF,
  SELECT_NO_RESPONSE_DATA,
  USER_AUTH_PIN_LENGTH,
  USER_AUTH_PIN_MAX_TRIES,
} from './jpki.ts';

/** The persistent part of the card: the user-authentication PIN's retry counter. */
export interface PinCounter {
  readonly triesLeft: number;
  readonly blocked: boolean;
}

export interface VirtualMyNumberCardOptions {
  /** 利用者証明用電子証明書, DER. */
  readonly certificate: Uint8Array;
  /** The card-issuing CA's certificate, DER (EF 000B); without it EF 000B is not on the card. */
  readonly caCertificate?: Uint8Array | undefined;
  /** 利用者証明用秘密鍵 (RSA). Never leaves the card: only COMPUTE DIGITAL SIGNATURE uses it. */
  readonly privateKey: KeyObject;
  /** 利用者証明用暗証番号, 4 digits. */
  readonly pin: string;
  readonly counter: PinCounter;
  /**
   * Stores the counter durably; the card awaits it after every change and before it answers,
   * so an answer is never given for an attempt that was not recorded.
   */
  readonly persist: (counter: PinCounter) => Promise<void>;
}

type Ef = 'certificate' | 'caCertificate' | 'key' | 'pin';
type Reply = { readonly sw: number; readonly data?: Uint8Array };

const EF_BY_ID: ReadonlyMap<number, Ef> = new Map([
  [JPKI_EF.USER_AUTH_CERTIFICATE, 'certificate'],
  [JPKI_EF.USER_AUTH_CA_CERTIFICATE, 'caCertificate'],
  [JPKI_EF.USER_AUTH_PRIVATE_KEY, 'key'],
  [JPKI_EF.USER_AUTH_PIN, 'pin'],
]);

/** EMSA-PKCS1-v1_5 needs at least 11 bytes of padding around the DigestInfo. */
const PKCS1_OVERHEAD = 11;

/**
 * The JPKI application's user-authentication half (利用者証明用) of a My Number card, answering
 * APDUs: SELECT (AP by DF name, EF by file id), READ BINARY of the certificate EF, VERIFY of the
 * PIN EF with a persistent retry counter, and COMPUTE DIGITAL SIGNATURE with the key EF.
 * Errors are status words, never exceptions. APDUs are processed one at a time, as on a card.
 *
 * Face authentication: a 顔認証付きカードリーダー matches the holder's face itself and the card
 * then signs without the PIN. How the real reader proves that to the card is not public, and a
 * command APDU for it would let any host that can talk to the card claim a face match. So it is a
 * reader-side method, {@link recordFaceAuthentication}, outside the {@link Card} interface: only
 * the reader that holds this object (the reader simulator) can call it; a terminal or any other
 * host only ever gets the `Card` and cannot. It lasts for the card session (until {@link reset}),
 * and it does not depend on the PIN counter: a card whose PIN is blocked can still be used with
 * face authentication, as at real reception desks (MHLW マイナ保険証 FAQ Q15, quoted at
 * https://curio-shiki.com/blog/individual-card/myna-pin-self-reset).
 */
export class VirtualMyNumberCard implements Card {
  readonly #certificate: Uint8Array;
  readonly #caCertificate: Uint8Array | undefined;
  readonly #privateKey: KeyObject;
  readonly #pin: Buffer;
  readonly #persist: (counter: PinCounter) => Promise<void>;
  #counter: PinCounter;
  #queue: Promise<unknown> = Promise.resolve();
  // Session state: lost on reset; the AP selection and PIN status also on a new SELECT of the AP.
  #apSelected = false;
  #currentEf: Ef | undefined;
  #pinVerified = false;
  #faceAuthenticated = false;

  /** Throws CONFIG_INVALID for a PIN that is not 4 digits, a key that is not RSA, a bad counter. */
  constructor(options: VirtualMyNumberCardOptions) {
    const problem = problemWith(options);
    if (problem !== undefined) {
      throw new OnshiError('CONFIG_INVALID', { name: 'virtual card', detail: problem });
    }
    this.#certificate = Uint8Array.from(options.certificate);
    this.#caCertificate = options.caCertificate && Uint8Array.from(options.caCertificate);
    this.#privateKey = options.privateKey;
    this.#pin = Buffer.from(options.pin, 'ascii');
    this.#persist = options.persist;
    this.#counter = { ...options.counter };
  }

  transmit(command: Uint8Array): Promise<Uint8Array> {
    const bytes = Uint8Array.from(command);
    return this.#serially(async () => {
      const decoded = decodeCommand(bytes);
      if (typeof decoded === 'number') return encodeResponse(decoded);
      try {
        const reply = await this.#dispatch(decoded);
        return encodeResponse(reply.sw, reply.data);
      } catch {
        return encodeResponse(SW.NO_PRECISE_DIAGNOSIS);
      }
    });
  }

  reset(): Promise<void> {
    return this.#serially(async () => {
      this.#apSelected = false;
      this.#currentEf = undefined;
      this.#pinVerified = false;
      this.#faceAuthenticated = false;
    });
  }

  /** Reader-side: the reader has matched the holder's face for this card session. */
  recordFaceAuthentication(): void {
    this.#faceAuthenticated = true;
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #dispatch(command: CommandApdu): Reply | Promise<Reply> {
    if (command.cla === CLA_ISO) {
      if (command.ins === INS.SELECT) return this.#select(command);
      if (command.ins === INS.READ_BINARY) return this.#readBinary(command);
      if (command.ins === INS.VERIFY) return this.#verify(command);
      return { sw: SW.INS_NOT_SUPPORTED };
    }
    if (command.cla === CLA_PROPRIETARY) {
      if (command.ins === INS.COMPUTE_DIGITAL_SIGNATURE) return this.#computeDigitalSignature(command);
      return { sw: SW.INS_NOT_SUPPORTED };
    }
    return { sw: SW.CLA_NOT_SUPPORTED };
  }

  /** SELECT: a failed SELECT leaves the current selection as it was (ISO 7816-4 §7.1.1). */
  #select({ p1, p2, data, le }: CommandApdu): Reply {
    if (p2 !== SELECT_NO_RESPONSE_DATA) return { sw: SW.INCORRECT_P1_P2 };
    if (p1 === SELECT_BY_DF_NAME) {
      if (data.length === 0 || data.length > 16 || le !== undefined) return { sw: SW.WRONG_LENGTH };
      if (!sameBytes(data, JPKI_AP_AID)) return { sw: SW.FILE_NOT_FOUND };
      this.#apSelected = true;
      this.#currentEf = undefined;
      this.#pinVerified = false;
      return { sw: SW.OK };
    }
    if (p1 === SELECT_EF_UNDER_DF) {
      if (data.length !== 2 || le !== undefined) return { sw: SW.WRONG_LENGTH };
      const ef = this.#apSelected ? EF_BY_ID.get((data[0]! << 8) | data[1]!) : undefined;
      if (ef === undefined || (ef === 'caCertificate' && !this.#caCertificate))
        return { sw: SW.FILE_NOT_FOUND };
      this.#currentEf = ef;
      return { sw: SW.OK };
    }
    return { sw: SW.INCORRECT_P1_P2 };
  }

  /** READ BINARY at offset P1P2 (15 bits) of a certificate EF, Le bytes (00 = 256). */
  #readBinary({ p1, p2, data, le }: CommandApdu): Reply {
    if ((p1 & 0x80) !== 0) return { sw: SW.INCORRECT_P1_P2 }; // short EF identifier: not supported
    if (data.length > 0 || le === undefined) return { sw: SW.WRONG_LENGTH };
    if (this.#currentEf === undefined) return { sw: SW.NO_CURRENT_EF };
    const content =
      this.#currentEf === 'certificate'
        ? this.#certificate
        : this.#currentEf === 'caCertificate'
          ? this.#caCertificate
          : undefined;
    if (content === undefined) return { sw: SW.INCOMPATIBLE_FILE_STRUCTURE }; // PIN and key EFs are not readable
    const offset = (p1 << 8) | p2;
    if (offset >= content.length) return { sw: SW.WRONG_P1_P2 };
    const chunk = content.slice(offset, offset + le);
    return { sw: chunk.length < le ? SW.END_OF_FILE : SW.OK, data: chunk };
  }

  /**
   * VERIFY against the PIN EF. Without data it reports the state: 9000 if verified in this
   * session, 63Cx with the tries left, 6983 if blocked. With data, the attempt is counted and
   * stored BEFORE the PIN is compared (as a card decrements its counter before checking), so
   * neither a crash nor a failing store gives a free try.
   */
  async #verify({ p1, p2, data, le }: CommandApdu): Promise<Reply> {
    if (p1 !== 0x00 || p2 !== P2_SELECTED_EF) return { sw: SW.INCORRECT_P1_P2 };
    if (le !== undefined) return { sw: SW.WRONG_LENGTH };
    if (this.#currentEf === undefined) return { sw: SW.NO_CURRENT_EF };
    if (this.#currentEf !== 'pin') return { sw: SW.INCOMPATIBLE_FILE_STRUCTURE };
    if (this.#counter.blocked || this.#counter.triesLeft <= 0)
      return { sw: SW.AUTHENTICATION_METHOD_BLOCKED };
    if (data.length === 0) {
      return { sw: this.#pinVerified ? SW.OK : swTriesLeft(this.#counter.triesLeft) };
    }
    if (data.length !== USER_AUTH_PIN_LENGTH) return { sw: SW.WRONG_LENGTH };
    this.#pinVerified = false;
    const triesLeft = this.#counter.triesLeft - 1;
    if (!(await this.#store({ triesLeft, blocked: triesLeft === 0 }))) return { sw: SW.MEMORY_FAILURE };
    if (!timingSafeEqual(Buffer.from(data), this.#pin)) {
      return { sw: triesLeft === 0 ? SW.AUTHENTICATION_METHOD_BLOCKED : swTriesLeft(triesLeft) };
    }
    this.#pinVerified = true;
    // A failed store here leaves the stored counter one lower than it should be: the safe side.
    await this.#store({ triesLeft: USER_AUTH_PIN_MAX_TRIES, blocked: false });
    return { sw: SW.OK };
  }

  /** Sets the counter in memory first (a failed store never restores tries), then stores it. */
  async #store(counter: PinCounter): Promise<boolean> {
    this.#counter = counter;
    try {
      await this.#persist(counter);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * COMPUTE DIGITAL SIGNATURE (`80 2A 00 80`): RSA with EMSA-PKCS1-v1_5 padding over the
   * DigestInfo it is given, exactly as the card does; the card does not hash again.
   */
  #computeDigitalSignature({ p1, p2, data, le }: CommandApdu): Reply {
    if (p1 !== 0x00 || p2 !== P2_SELECTED_EF) return { sw: SW.INCORRECT_P1_P2 };
    if (data.length === 0 || le === undefined) return { sw: SW.WRONG_LENGTH };
    if (this.#currentEf === undefined) return { sw: SW.NO_CURRENT_EF };
    if (this.#currentEf !== 'key') return { sw: SW.INCOMPATIBLE_FILE_STRUCTURE };
    if (!this.#pinVerified && !this.#faceAuthenticated) return { sw: SW.SECURITY_STATUS_NOT_SATISFIED };
    const modulusBytes = Math.ceil((this.#privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
    if (data.length > modulusBytes - PKCS1_OVERHEAD) return { sw: SW.WRONG_LENGTH };
    const signature = privateEncrypt({ key: this.#privateKey, padding: constants.RSA_PKCS1_PADDING }, data);
    if (le < signature.length) return { sw: swWrongLe(signature.length) };
    return { sw: SW.OK, data: Uint8Array.from(signature) };
  }
}

function problemWith(options: VirtualMyNumberCardOptions): string | undefined {
  const { privateKey, pin, counter } = options;
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa')
    return 'the key must be an RSA private key';
  if (!new RegExp(`^[0-9]{${USER_AUTH_PIN_LENGTH}}$`).test(pin))
    return `the PIN must be ${USER_AUTH_PIN_LENGTH} digits`;
  const { triesLeft } = counter;
  if (!Number.isInteger(triesLeft) || triesLeft < 0 || triesLeft > USER_AUTH_PIN_MAX_TRIES) {
    return `triesLeft must be an integer 0…${USER_AUTH_PIN_MAX_TRIES}`;
  }
  return undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
