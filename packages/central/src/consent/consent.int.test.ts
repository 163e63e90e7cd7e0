/**
 * Consents on SQLite and PostgreSQL, through the reader (card confirmations) and the routes as the
 * server hands requests over: the result's consent elements, each refusal code of
 * requireLiveConsent, expiry after 24 h (clock moved), home-visit consents until revoked,
 * revocation by the institution and by the patient (card-signed), and the patient's access log.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { IssuedUserCertificate } from '@onshi/pki';
import { createAuditLog } from '../audit/audit.writer.ts';
import {
  addCardHolder,
  type CardWorld,
  createCardWorld,
  signAsCard,
  WORLD_START,
} from '../card-check/card-check.fixture.ts';
import { cardCheckPaths, cardCheckRoutes } from '../card-check/card-check.routes.ts';
import { type CardCheckService, createCardCheckService } from '../card-check/card-check.service.ts';
import type { HttpReply, HttpRequest, Route } from '../http/types.ts';
import { createLogger } from '../log.ts';
import { institutionCode, insurerNumber } from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import { consentPaths, consentRoutes, patientRoutes } from './consent.routes.ts';
import { consentState, requireLiveConsent } from './consent.service.ts';

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers in assertions
type Json = any;

const clinic = institutionCode('13', '1', '012345');
const pharmacy = institutionCode('13', '4', '000017');
const kumiai = insurerNumber('06', '13', '999');
const HOUR = 3600_000;

let world: CardWorld;
let card: IssuedUserCertificate;
before(async () => {
  world = await createCardWorld();
  card = await world.issueCard();
});
after(() => world.dispose());

function request(path: string, body: unknown, institution: string | undefined, headers = {}): HttpRequest {
  return {
    method: 'POST',
    path,
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
    requestId: 'test-1',
    ...(institution === undefined ? {} : { institution: { code: institution, serial: '01' } }),
  } as HttpRequest;
}
const json = (reply: HttpReply): Json => JSON.parse(String(reply.body));

forEachStore('consents', (store) => {
  let personId: number;
  let routes: Map<string, Route>;
  let service: CardCheckService;
  const at = () => world.clock.now();

  before(async () => {
    world.clock.set(WORLD_START);
    personId = await addCardHolder(store(), card, {
      insurer: kumiai,
      cardNumber: '501',
      birthdate: '1990-01-01',
    });
    const audit = createAuditLog({ store: store(), clock: world.clock });
    service = createCardCheckService({
      store: store(),
      clock: world.clock,
      cardVerifier: world.verifier(),
      audit,
    });
    const deps = { store: store(), clock: world.clock, audit };
    const list = [
      ...cardCheckRoutes({
        service,
        clock: world.clock,
        logger: createLogger(() => {}),
        maxBodyBytes: 65536,
      }),
      ...consentRoutes(deps),
      ...patientRoutes({ ...deps, cards: service }),
    ];
    routes = new Map(list.map((route) => [route.path, route]));
  });
  const call = (path: string, body: unknown, institution?: string, headers = {}) =>
    routes.get(path)!.handler(request(path, body, institution, headers));

  /** A card proof over a fresh challenge of `institution` (undefined: the patient audience). */
  async function proof(institution?: string): Promise<Record<string, string>> {
    const path = institution === undefined ? consentPaths.myChallenges : cardCheckPaths.challenges;
    const { challenge } = json(await call(path, undefined, institution));
    return {
      challenge,
      certificate: Buffer.from(card.certificateDer).toString('base64'),
      signature: Buffer.from(signAsCard(card, Buffer.from(challenge, 'base64'))).toString('base64'),
      authMethod: 'face',
    };
  }

  async function confirm(institution: string, extra: Record<string, unknown>): Promise<Json> {
    const body = { ...(await proof(institution)), ...extra };
    const reply = await call(cardCheckPaths.confirmations, body, institution, {
      'x-onshi-terminal-user': 'uketsuke%E4%B8%80',
    });
    return json(reply).XmlMsg.MessageBody.ResultList.ResultOfQualificationConfirmation[0];
  }

  it('records the reader answers and shows the stored state, time and expiry in the result', async () => {
    const row = await confirm(clinic, {
      consents: { PharmacistsInfoConsFlg: '1', DiagnosisInfoConsFlg: '0' },
    });
    assert.equal(row.PharmacistsInfoConsFlg, '1');
    assert.equal(row.PharmacistsInfoConsTime, '20260601090000');
    assert.equal(row.PharmacistsInfoAvailableTime, '20260602090000');
    assert.equal(row.DiagnosisInfoConsFlg, '0');
    assert.equal(row.DiagnosisInfoConsTime, undefined);
    assert.equal(row.SpecificHealthCheckupsInfoConsFlg, undefined);
    assert.equal((await consentState(store(), clinic, personId, 'YZK', at())).flag, '1');
    assert.equal((await requireLiveConsent(store(), clinic, personId, 'YZK', at())).flag, '1');
  });

  it('refuses with a code for each missing consent', async () => {
    const refuse = (institution: string, category: 'YZK' | 'TKK' | 'SRJ' | 'SHJ', code: string) =>
      assert.rejects(requireLiveConsent(store(), institution, personId, category, at()), { code });
    await refuse(pharmacy, 'YZK', 'MEDINFO_CONSENT_OTHER_INSTITUTION');
    await refuse(clinic, 'TKK', 'MEDINFO_CONSENT_OTHER_CATEGORY');
    await refuse(clinic, 'SRJ', 'MEDINFO_CONSENT_OTHER_CATEGORY'); // answered 同意なし
    await refuse(pharmacy, 'SHJ', 'MEDINFO_CONSENT_NONE');
  });

  it('expires an outpatient consent after 24 hours (clock moved), and the result says 期限切れ', async () => {
    world.clock.advance(24 * HOUR - 1000);
    assert.equal((await requireLiveConsent(store(), clinic, personId, 'YZK', at())).flag, '1');
    world.clock.advance(1000);
    await assert.rejects(requireLiveConsent(store(), clinic, personId, 'YZK', at()), {
      code: 'MEDINFO_CONSENT_EXPIRED',
    });
    const state = await consentState(store(), clinic, personId, 'YZK', at());
    assert.deepEqual([state.flag, state.flag === '2' && state.reason], ['2', '0']);
    const row = await confirm(clinic, {});
    assert.equal(row.PharmacistsInfoConsFlg, '2');
    assert.equal(row.PharmacistsInfoAvailableTime, '20260602090000');
  });

  it('keeps a home-visit consent until the institution revokes it (OQSCD031 1)', async () => {
    world.clock.set(WORLD_START);
    const row = await confirm(pharmacy, {
      MedicalTreatmentFlag: '2',
      consents: { PharmacistsInfoConsFlg: '1' },
    });
    assert.equal(row.PharmacistsInfoConsFlg, '1');
    assert.equal(row.PharmacistsInfoAvailableTime, undefined);
    world.clock.advance(90 * 24 * HOUR);
    assert.equal((await requireLiveConsent(store(), pharmacy, personId, 'YZK', at())).flag, '1');
    const card501 = { InsurerNumber: kumiai, InsuredIdentificationNumber: '501', Birthdate: '19900101' };
    const revoked = json(await call(consentPaths.revocations, { ...card501, categories: ['YZK'] }, pharmacy));
    assert.equal(revoked.revoked, 1);
    await assert.rejects(requireLiveConsent(store(), pharmacy, personId, 'YZK', at()), {
      code: 'MEDINFO_CONSENT_REVOKED',
      message: /OQSCD031 1/,
    });
    await assert.rejects(call(consentPaths.revocations, card501, pharmacy), { code: 'CONSENT_NOT_FOUND' });
    await assert.rejects(call(consentPaths.revocations, { ...card501, Birthdate: '19900102' }, pharmacy), {
      code: 'CONSENT_PERSON_NOT_FOUND',
    });
  });

  it('lets the patient revoke with a card signature (OQSCD031 2), not with another audience’s challenge', async () => {
    world.clock.set(WORLD_START);
    await confirm(clinic, {
      MedicalTreatmentFlag: '2',
      consents: { SpecificHealthCheckupsInfoConsFlg: '1' },
    });
    const institutionProof = await proof(clinic);
    await assert.rejects(call(consentPaths.myRevocations, { ...institutionProof, institutionCode: clinic }), {
      code: 'CARD_CHALLENGE_OTHER_INSTITUTION',
    });
    const forged = { ...(await proof()), signature: Buffer.alloc(256, 1).toString('base64') };
    await assert.rejects(call(consentPaths.myRevocations, { ...forged, institutionCode: clinic }), {
      code: 'PKI_CARD_SIGNATURE_INVALID',
    });
    const body = { ...(await proof()), institutionCode: clinic, categories: ['TKK'] };
    assert.equal(json(await call(consentPaths.myRevocations, body)).revoked, 1);
    await assert.rejects(requireLiveConsent(store(), clinic, personId, 'TKK', at()), {
      code: 'MEDINFO_CONSENT_REVOKED',
      message: /OQSCD031 2/,
    });
  });

  it('lists who accessed the patient’s data, for a card signature only', async () => {
    const log = json(await call(consentPaths.myAccessLog, await proof())).accesses as Json[];
    assert.equal(log.length, 5); // four checks by card, one revocation by the pharmacy
    assert.deepEqual(Object.keys(log[0]).sort(), ['action', 'at', 'institutionCode']);
    assert.ok(log.some((e) => e.institutionCode === clinic && e.action === 'check-card'));
    assert.ok(log.some((e) => e.institutionCode === pharmacy && e.action === 'consent-revoke'));
    await assert.rejects(call(consentPaths.myAccessLog, { ...(await proof()), signature: 'AAAA' }), {
      code: 'PKI_CARD_SIGNATURE_INVALID',
    });
    void service;
  });
});
