/**
 * What a 顔認証付きカードリーダー does with a My Number card, talking to it only through APDUs
 * (`Card.transmit`, via the JPKI host helpers): select the JPKI AP, read the user-authentication
 * certificate, authenticate the holder — the 4-digit PIN, which the card counts (3 tries, then
 * blocked), the reader's own face match, or the staff's 目視確認 — and have the card sign central's
 * challenges.
 *
 * Face and visual authorisation are reader-side: the reader, which alone holds the card object,
 * records them with `recordFaceAuthentication` (the virtual card's only reader-side hook; it lasts
 * until the card is reset and does not depend on the PIN counter). No APDU can claim them.
 */
import { OnshiError } from '@onshi/core';
import {
  type Card,
  type PinVerification,
  pinTriesLeft,
  readUserCertificate,
  selectJpkiAp,
  signChallenge,
  verifyPin,
} from '@onshi/pki';

/** A card as the reader holds it: APDUs, plus the reader-side record of a face (or visual) check. */
export type ReaderCard = Card & { recordFaceAuthentication(): void };

/** How the reader authenticated the holder: 暗証番号, 顔認証 or 目視確認 (central's authMethod). */
export type AuthMethod = 'pin' | 'face' | 'visual';

export type ReaderAuthentication =
  | { readonly pin: string }
  | { readonly face: true }
  | { readonly visual: true };

export interface CardSession {
  /** 利用者証明用電子証明書 (DER) as read from the card. */
  readonly certificate: Uint8Array;
  readonly authMethod: AuthMethod;
  /** The card's signature over a challenge (RSASSA-PKCS1-v1_5, SHA-256). */
  sign(challenge: Uint8Array): Promise<Uint8Array>;
}

/**
 * A card on the reader, its AP selected and its certificate read, before (or between)
 * authentications. Keeps the card session: never re-selects the AP, so a verified PIN stays verified.
 */
export interface PlacedCard {
  readonly certificate: Uint8Array;
  /** PIN tries left (0: blocked); 3 once the PIN was verified in this card session. */
  triesLeft(): Promise<number>;
  /** VERIFY the PIN; the card counts the attempt. */
  verifyPin(pin: string): Promise<PinVerification>;
  /** Records a face match or the staff's visual confirmation (reader-side) for this card session. */
  authorise(method: 'face' | 'visual'): void;
  /** The session for an authentication already done (`verifyPin` ok, or `authorise`). */
  session(authMethod: AuthMethod): CardSession;
  /** Ends the card session (as taking the card off the reader does). */
  release(): Promise<void>;
}

/** SELECT the JPKI AP and read the certificate: the card as the reader first sees it. */
export async function placeCard(card: ReaderCard): Promise<PlacedCard> {
  await selectJpkiAp(card);
  const certificate = await readUserCertificate(card);
  return {
    certificate,
    triesLeft: () => pinTriesLeft(card),
    verifyPin: (pin) => verifyPin(card, pin),
    authorise: () => card.recordFaceAuthentication(),
    session: (authMethod) => ({
      certificate,
      authMethod,
      sign: (challenge) => signChallenge(card, challenge),
    }),
    release: () => card.reset(),
  };
}

/**
 * Starts a card session in one step. A wrong PIN is CARD_PIN_WRONG with the tries left; a blocked
 * PIN is CARD_PIN_BLOCKED (the card then refuses to sign on the PIN path; face and visual
 * authorisation still work).
 */
export async function startCardSession(card: ReaderCard, auth: ReaderAuthentication): Promise<CardSession> {
  const placed = await placeCard(card);
  if ('pin' in auth) {
    const answer = await placed.verifyPin(auth.pin);
    if (!answer.ok) {
      if (answer.blocked) throw new OnshiError('CARD_PIN_BLOCKED');
      throw new OnshiError('CARD_PIN_WRONG', { triesLeft: answer.triesLeft });
    }
    return placed.session('pin');
  }
  const method = 'face' in auth ? 'face' : 'visual';
  placed.authorise(method);
  return placed.session(method);
}

/** The proof central expects: the challenge, the certificate, the signature (base64), the method. */
export interface CardProofBody {
  readonly challenge: string;
  readonly certificate: string;
  readonly signature: string;
  readonly authMethod: AuthMethod;
}

/** Has the card sign `challenge` and returns the proof central expects. */
export async function cardProof(session: CardSession, challenge: Uint8Array): Promise<CardProofBody> {
  const signature = await session.sign(challenge);
  return {
    challenge: Buffer.from(challenge).toString('base64'),
    certificate: Buffer.from(session.certificate).toString('base64'),
    signature: Buffer.from(signature).toString('base64'),
    authMethod: session.authMethod,
  };
}
