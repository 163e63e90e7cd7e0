/**
 * What a 顔認証付きカードリーダー does with a My Number card, talking to it only through APDUs
 * (`Card.transmit`, via the JPKI host helpers): select the JPKI AP, read the user-authentication
 * certificate, authenticate the holder — the 4-digit PIN, which the card counts (3 tries, then
 * blocked), or the reader's own face match — and have the card sign central's challenges.
 */
import { OnshiError } from '@onshi/core';
import { type Card, readUserCertificate, selectJpkiAp, signChallenge, verifyPin } from '@onshi/pki';

/** A card as the reader holds it: APDUs, plus the reader-side record of a face match. */
export type ReaderCard = Card & { recordFaceAuthentication(): void };

export type ReaderAuthentication = { readonly pin: string } | { readonly face: true };

export interface CardSession {
  /** 利用者証明用電子証明書 (DER) as read from the card. */
  readonly certificate: Uint8Array;
  readonly authMethod: 'pin' | 'face';
  /** The card's signature over a challenge (RSASSA-PKCS1-v1_5, SHA-256). */
  sign(challenge: Uint8Array): Promise<Uint8Array>;
}

/**
 * Starts a card session. A wrong PIN is CARD_PIN_WRONG with the tries left; a blocked PIN is
 * CARD_PIN_BLOCKED (the card then refuses to sign on the PIN path; face authentication still works).
 */
export async function startCardSession(card: ReaderCard, auth: ReaderAuthentication): Promise<CardSession> {
  await selectJpkiAp(card);
  const certificate = await readUserCertificate(card);
  if ('pin' in auth) {
    const answer = await verifyPin(card, auth.pin);
    if (!answer.ok) {
      if (answer.blocked) throw new OnshiError('CARD_PIN_BLOCKED');
      throw new OnshiError('CARD_PIN_WRONG', { triesLeft: answer.triesLeft });
    }
  } else {
    card.recordFaceAuthentication();
  }
  return {
    certificate,
    authMethod: 'pin' in auth ? 'pin' : 'face',
    sign: (challenge) => signChallenge(card, challenge),
  };
}

/** The proof central expects: the challenge, the certificate, the signature (base64), the method. */
export async function cardProof(session: CardSession, challenge: Uint8Array) {
  const signature = await session.sign(challenge);
  return {
    challenge: Buffer.from(challenge).toString('base64'),
    certificate: Buffer.from(session.certificate).toString('base64'),
    signature: Buffer.from(signature).toString('base64'),
    authMethod: session.authMethod,
  };
}
