/**
 * The check by My Number card (M1.2): a single-use challenge for an institution; the reader's
 * proof (the card's user-authentication certificate and its signature over the challenge); the
 * person through the pseudonymous card link; the qualifications as an OQS-IF-002 result with
 * ReferenceClassification 1. Also 健康保険証利用登録 (初回登録) from a reader after PIN verification.
 *
 * Order of checks (each refusal has its own code): the challenge is consumed first, atomically —
 * a proof that fails later has still used it up —, then the card is verified (chain, validity,
 * signature over THIS challenge, OCSP), then the link and the registration are looked up.
 * The certificate and the signature are not stored; only the challenge's SHA-256 is.
 */
import { constants, createHash, publicDecrypt, randomBytes, X509Certificate } from 'node:crypto';
import {
  type Clock,
  type Consents,
  isOnshiError,
  jstDate,
  jstDateTime,
  OnshiError,
  type QualificationConfirmResult,
  toWireDateTime,
} from '@onshi/core';
import { type CardVerifier, normalizeSerial, type VerifiedCard } from '@onshi/pki';
import type { AuditLog } from '../audit/audit.writer.ts';
import { consentElements, type ReaderAnswers, recordReaderConsents } from '../consent/consent.service.ts';
import { findCandidatesOfPerson } from '../eligibility/eligibility.repo.ts';
import type { Store } from '../store/store.ts';
import {
  type CardHolder,
  consumeChallenge,
  findCardHolder,
  findChallenge,
  findRegistration,
  insertChallenge,
  insertRegistration,
  purgeChallenges,
} from './card-check.repo.ts';
import { type CardConfirmationInput, type CardProof, CHALLENGE_BYTES } from './card-check.request.ts';
import { buildCardResult } from './card-check.result.ts';

export const DEFAULT_CHALLENGE_SECONDS = 60;
/** Expired challenges are kept this long (so that a late proof gets CARD_CHALLENGE_EXPIRED), then purged. */
const EXPIRED_KEPT_MS = 60 * 60 * 1000;
/** Purge once every this many issued challenges. */
const PURGE_EVERY = 256;

export interface CardCheckDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly cardVerifier: CardVerifier;
  /** Records every confirmation (action check-card). */
  readonly audit: AuditLog;
  /** Lifetime of a challenge; default 60 s. */
  readonly challengeSeconds?: number | undefined;
}

export interface IssuedChallenge {
  /** base64 of 32 random bytes. */
  readonly challenge: string;
  /** ISO 8601 instant. */
  readonly expiresAt: string;
}

export interface CardRegistrationResult {
  readonly registered: true;
  /** ISO 8601 instant of the (first) registration. */
  readonly registeredAt: string;
  /** false when the card was already registered (the first registration stays). */
  readonly newlyRegistered: boolean;
}

/**
 * The pseudo-institution code of challenges issued to patients (patient routes: access log,
 * consent revocation). Not a valid 医療機関コード, so such a challenge can never serve a check.
 */
export const PATIENT_AUDIENCE = 'patient';

export interface CardCheckService {
  issueChallenge(institutionCode: string): Promise<IssuedChallenge>;
  confirm(
    institutionCode: string,
    input: CardConfirmationInput,
    context?: { readonly terminalUser?: string | undefined },
  ): Promise<QualificationConfirmResult>;
  register(institutionCode: string, proof: CardProof): Promise<CardRegistrationResult>;
  /**
   * The person a card proof over a challenge issued to `audience` belongs to (the same checks as a
   * confirmation: challenge, chain, validity, signature, OCSP, link). Patient routes use it.
   */
  identify(audience: string, proof: CardProof): Promise<{ readonly personId: number }>;
}

/** The reader's …InfoConsFlg answers by OQSCD036 category. */
function answersOf(consents: Consents): ReaderAnswers {
  return {
    TKK: consents.SpecificHealthCheckupsInfoConsFlg,
    YZK: consents.PharmacistsInfoConsFlg,
    SRJ: consents.DiagnosisInfoConsFlg,
    SHJ: consents.OperationInfoConsFlg,
  };
}

export function createCardCheckService(deps: CardCheckDeps): CardCheckService {
  const { store, clock } = deps;
  const lifetimeMs = (deps.challengeSeconds ?? DEFAULT_CHALLENGE_SECONDS) * 1000;
  let issued = 0;

  /** Consumes the challenge, verifies the card, finds its holder. */
  async function prove(institutionCode: string, proof: CardProof): Promise<CardHolder> {
    await consume(store, institutionCode, proof.challenge, clock.now().getTime());
    const card = await verifyCard(deps.cardVerifier, proof);
    const holder = await findCardHolder(store, normalizeSerial(card.serial));
    if (holder === undefined) throw new OnshiError('CARD_LINK_NOT_FOUND');
    return holder;
  }

  return {
    async issueChallenge(institutionCode) {
      const now = clock.now().getTime();
      const challenge = randomBytes(CHALLENGE_BYTES);
      const expiresAt = now + lifetimeMs;
      await insertChallenge(store, {
        sha256: sha256Hex(challenge),
        institutionCode,
        issuedAt: now,
        expiresAt,
      });
      issued += 1;
      if (issued % PURGE_EVERY === 0) await purgeChallenges(store, now - EXPIRED_KEPT_MS);
      return { challenge: challenge.toString('base64'), expiresAt: new Date(expiresAt).toISOString() };
    },

    async confirm(institutionCode, input, context = {}) {
      const holder = await prove(institutionCode, input);
      if (holder.personId === undefined) throw new OnshiError('CARD_LINK_NOT_FOUND');
      if (holder.registeredAt === undefined) throw new OnshiError('CARD_NOT_REGISTERED');
      const processedAt = clock.now();
      const on = input.on ?? jstDate(processedAt);
      const { personId } = holder;
      await recordReaderConsents(store, {
        institutionCode,
        personId,
        kind: input.consentKind,
        answers: answersOf(input.consents),
        at: processedAt,
        source: `reader:${sha256Hex(input.challenge)}`,
      });
      const [candidates, consents] = await Promise.all([
        findCandidatesOfPerson(store, { institutionCode, personId, on }),
        consentElements(store, institutionCode, personId, processedAt),
      ]);
      const result = buildCardResult({
        candidates,
        on,
        institutionCode,
        processTime: wireTime(processedAt),
        arbitraryFileIdentifier: randomBytes(16).toString('hex'),
        limitConsent: input.limitConsent,
        prescriptionIssueSelect: input.prescriptionIssueSelect,
        consentElements: consents,
      });
      await deps.audit.append({
        institutionCode,
        terminalUser: context.terminalUser,
        personId,
        action: 'check-card',
      });
      return result;
    },

    async identify(audience, proof) {
      const holder = await prove(audience, proof);
      if (holder.personId === undefined) throw new OnshiError('CARD_LINK_NOT_FOUND');
      return { personId: holder.personId };
    },

    async register(institutionCode, proof) {
      if (proof.authMethod !== 'pin') throw new OnshiError('CARD_REGISTRATION_PIN_REQUIRED');
      const holder = await prove(institutionCode, proof);
      const registeredAt = clock.now().toISOString();
      const fresh = await insertRegistration(store, {
        pseudonymousId: holder.pseudonymousId,
        registeredAt,
        institutionCode,
      });
      if (fresh) return { registered: true, registeredAt, newlyRegistered: true };
      const first = await findRegistration(store, holder.pseudonymousId);
      return { registered: true, registeredAt: first?.registeredAt ?? registeredAt, newlyRegistered: false };
    },
  };
}

function wireTime(at: Date): string {
  return toWireDateTime(jstDateTime(at));
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Marks the challenge used or says, with its own code, why it cannot be. */
async function consume(
  store: Store,
  institutionCode: string,
  challenge: Uint8Array,
  now: number,
): Promise<void> {
  const sha256 = sha256Hex(challenge);
  if (await consumeChallenge(store, { sha256, institutionCode, now })) return;
  const row = await findChallenge(store, sha256);
  if (row === undefined) throw new OnshiError('CARD_CHALLENGE_UNKNOWN');
  if (row.institution_code !== institutionCode) throw new OnshiError('CARD_CHALLENGE_OTHER_INSTITUTION');
  if (row.used_at !== null) throw new OnshiError('CARD_CHALLENGE_USED');
  throw new OnshiError('CARD_CHALLENGE_EXPIRED', { expiresAt: new Date(row.expires_at).toISOString() });
}

/** The card verifier's answer; a signature made by the card's key over another message gets its own code. */
async function verifyCard(verifier: CardVerifier, proof: CardProof): Promise<VerifiedCard> {
  try {
    return await verifier.verifyCardSignature(proof);
  } catch (error) {
    if (isOnshiError(error) && error.code === 'PKI_CARD_SIGNATURE_INVALID' && signedAnotherDigest(proof)) {
      throw new OnshiError('CARD_SIGNATURE_OTHER_CHALLENGE', {}, { cause: error });
    }
    throw error;
  }
}

/** DER prefix of a SHA-256 DigestInfo (what the card signs, followed by the 32-byte digest). */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * True when the signature opens with the certificate's public key to a well-formed SHA-256
 * DigestInfo: the card's key signed — just not this challenge. Called only after the verifier
 * refused the signature, so a match means "another challenge", not "this one".
 */
function signedAnotherDigest(proof: CardProof): boolean {
  try {
    const key = new X509Certificate(proof.certificateDer).publicKey;
    const opened = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, proof.signature);
    return (
      opened.length === SHA256_DIGEST_INFO_PREFIX.length + 32 &&
      opened.subarray(0, 19).equals(SHA256_DIGEST_INFO_PREFIX)
    );
  } catch {
    return false;
  }
}
