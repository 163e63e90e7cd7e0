/**
 * Consent and patient routes.
 * Institution (client certificate):
 * - POST /oqs/v1/consents/revocations `{ InsurerNumber, InsuredCardSymbol?, InsuredIdentificationNumber,
 *   InsuredBranchNumber?, Birthdate, categories? }` → `{ revoked, revokedAt }` (OQSCD031 '1')
 * Patient (no institution; a card signature over a challenge issued to the patient audience):
 * - POST /oqs/v1/my-challenges → `{ challenge, expiresAt }`
 * - POST /oqs/v1/my-consents/revocations `{ challenge, certificate, signature, authMethod,
 *   institutionCode, categories? }` → `{ revoked, revokedAt }` (OQSCD031 '2')
 * - POST /oqs/v1/my-access-log `{ challenge, certificate, signature, authMethod }` →
 *   `{ accesses: [{ at, institutionCode, action }] }`
 */
import { type Clock, type ConsentCategory, consentCategories, jstDate, OnshiError } from '@onshi/core';
import { listAccessesOf } from '../audit/audit.repo.ts';
import { terminalUserOf } from '../audit/audit.terminal-user.ts';
import type { AuditLog } from '../audit/audit.writer.ts';
import { parseCardProof } from '../card-check/card-check.request.ts';
import { type CardCheckService, PATIENT_AUDIENCE } from '../card-check/card-check.service.ts';
import { findCandidates } from '../eligibility/eligibility.repo.ts';
import { cardData, wireDate } from '../eligibility/eligibility.validate.ts';
import { institutionOf } from '../http/institution.ts';
import { jsonObject, optionalString, requiredString, stringList } from '../http/json-body.ts';
import type { PlainOperation } from '../http/openapi.ts';
import { createRateLimit } from '../http/rate-limit.ts';
import { jsonReply, type Route } from '../http/types.ts';
import type { Store } from '../store/store.ts';
import { revokeConsent } from './consent.service.ts';

export const consentPaths = {
  revocations: '/oqs/v1/consents/revocations',
  myChallenges: '/oqs/v1/my-challenges',
  myRevocations: '/oqs/v1/my-consents/revocations',
  myAccessLog: '/oqs/v1/my-access-log',
} as const;

const ACCESS_LOG_LIMIT = 1000;
/** Patient challenges per address and minute: a patient app needs one per action. */
export const MY_CHALLENGES_PER_MINUTE = 20;
const small = 64 * 1024;
const proofFields = ['challenge', 'certificate', 'signature', 'authMethod'];

function categoriesOf(value: Record<string, unknown>): ConsentCategory[] | undefined {
  const list = stringList(value, 'categories');
  for (const item of list ?? []) {
    if (!(consentCategories as readonly string[]).includes(item)) {
      throw new OnshiError('CODE_UNKNOWN', { table: 'OQSCD036', value: item });
    }
  }
  return list as ConsentCategory[] | undefined;
}

/** The card proof part of a patient body (the fields of card-check's proof). */
function proofOf(value: Record<string, unknown>) {
  const proof = Object.fromEntries(proofFields.map((f) => [f, value[f]]));
  return parseCardProof(Buffer.from(JSON.stringify(proof)));
}

export interface ConsentRouteDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly audit: AuditLog;
}

/** The institution's revocation route (served whether or not a card PKI is configured). */
export function consentRoutes(deps: ConsentRouteDeps): Route[] {
  const { store, clock, audit } = deps;
  const cardFields = [
    'InsurerNumber',
    'InsuredCardSymbol',
    'InsuredIdentificationNumber',
    'InsuredBranchNumber',
  ];
  return [
    {
      method: 'POST',
      path: consentPaths.revocations,
      auth: 'institution',
      maxBodyBytes: small,
      handler: async (request) => {
        const institutionCode = institutionOf(request);
        const body = jsonObject(request.body, [...cardFields, 'Birthdate', 'categories']);
        const card = cardData(Object.fromEntries(cardFields.map((f) => [f, optionalString(body, f)])));
        const birthdate = wireDate(requiredString(body, 'Birthdate'), 'Birthdate');
        const now = clock.now();
        const candidates = await findCandidates(store, {
          ...card,
          institutionCode,
          birthdate,
          on: jstDate(now),
        });
        const persons = new Set(candidates.map((c) => c.person.personId));
        if (persons.size !== 1) throw new OnshiError('CONSENT_PERSON_NOT_FOUND');
        const [personId] = persons as Set<number>;
        const categories = categoriesOf(body);
        const result = await revokeConsent(store, {
          institutionCode,
          personId: personId!,
          categories,
          at: now,
          by: 'institution',
        });
        await audit.append({
          institutionCode,
          terminalUser: terminalUserOf(request),
          personId,
          action: 'consent-revoke',
          reason: `OQSCD031 1 ${(categories ?? consentCategories).join(',')}`,
        });
        return jsonReply(200, result);
      },
    },
  ];
}

/** The patient's routes: they need the card verifier, so come with the check by My Number card. */
export function patientRoutes(
  deps: ConsentRouteDeps & {
    readonly cards: CardCheckService;
    /** Challenges one address may ask for per minute (default MY_CHALLENGES_PER_MINUTE). */
    readonly challengesPerMinute?: number | undefined;
  },
): Route[] {
  const { store, clock, audit, cards } = deps;
  // The one route anyone can call without a card signature or a certificate: each call writes a
  // challenge row (kept an hour), so it is limited per address.
  const challengeLimit = createRateLimit(deps.challengesPerMinute ?? MY_CHALLENGES_PER_MINUTE, 60_000);
  return [
    {
      method: 'POST',
      path: consentPaths.myChallenges,
      maxBodyBytes: 1024,
      handler: async (request) => {
        challengeLimit.take(request.remoteAddress ?? '', clock.now().getTime());
        return jsonReply(200, await cards.issueChallenge(PATIENT_AUDIENCE));
      },
    },
    {
      method: 'POST',
      path: consentPaths.myRevocations,
      maxBodyBytes: small,
      handler: async (request) => {
        const body = jsonObject(request.body, [...proofFields, 'institutionCode', 'categories']);
        const institutionCode = requiredString(body, 'institutionCode');
        const categories = categoriesOf(body);
        const { personId } = await cards.identify(PATIENT_AUDIENCE, proofOf(body));
        const result = await revokeConsent(store, {
          institutionCode,
          personId,
          categories,
          at: clock.now(),
          by: 'patient',
        });
        await audit.append({
          personId,
          action: 'consent-revoke',
          reason: `OQSCD031 2 ${institutionCode} ${(categories ?? consentCategories).join(',')}`,
        });
        return jsonReply(200, result);
      },
    },
    {
      method: 'POST',
      path: consentPaths.myAccessLog,
      maxBodyBytes: small,
      handler: async (request) => {
        const body = jsonObject(request.body, proofFields);
        const { personId } = await cards.identify(PATIENT_AUDIENCE, proofOf(body));
        return jsonReply(200, { accesses: await listAccessesOf(store, personId, ACCESS_LOG_LIMIT) });
      },
    },
  ];
}

const revocationResult = {
  type: 'object',
  required: ['revoked', 'revokedAt'],
  properties: { revoked: { type: 'integer' }, revokedAt: { type: 'string', format: 'date-time' } },
};

export const consentOperations: readonly PlainOperation[] = [
  {
    method: 'post',
    path: consentPaths.revocations,
    summary:
      '閲覧同意の取消（医療機関による取消 OQSCD031 1; 被保険者証情報で患者を特定、categories は OQSCD036）',
    requestContentType: 'application/json',
    response: revocationResult,
  },
];

export const patientOperations: readonly PlainOperation[] = [
  {
    method: 'post',
    path: consentPaths.myChallenges,
    summary: '患者本人用チャレンジの発行（マイナンバーカードの署名で本人確認する患者向けAPI）',
    response: {
      type: 'object',
      properties: { challenge: { type: 'string' }, expiresAt: { type: 'string' } },
    },
  },
  {
    method: 'post',
    path: consentPaths.myRevocations,
    summary: '閲覧同意の取消（患者による取消 OQSCD031 2; カードの署名で本人確認）',
    requestContentType: 'application/json',
    response: revocationResult,
  },
  {
    method: 'post',
    path: consentPaths.myAccessLog,
    summary: '自分の情報へのアクセス記録（いつ・どの医療機関が・何を; カードの署名で本人確認）',
    requestContentType: 'application/json',
    response: {
      type: 'object',
      properties: {
        accesses: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              at: { type: 'string', format: 'date-time' },
              institutionCode: { type: 'string' },
              action: { type: 'string' },
            },
          },
        },
      },
    },
  },
];
