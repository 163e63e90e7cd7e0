/**
 * The check by My Number card, service layer, on SQLite and PostgreSQL: a real JPKI directory,
 * its OCSP responder and real card keys; each refusal with its own code; a person with several
 * qualifications; 初回登録 then confirmation.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import type { IssuedUserCertificate } from '@onshi/pki';
import { createAuditLog } from '../audit/audit.writer.ts';
import { insertQualification } from '../qualifications/qualifications.repo.ts';
import { upsertReferenceNumber } from '../reference-numbers/reference-numbers.repo.ts';
import type { Store } from '../store/store.ts';
import { addInsurer, addPerson, addQualification, institutionCode, insurerNumber } from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import { type CardWorld, createCardWorld, signAsCard, WORLD_START } from './card-check.fixture.ts';
import { importCardLinks } from './card-check.links.ts';
import type { AuthMethod, CardConfirmationInput } from './card-check.request.ts';
import { type CardCheckService, createCardCheckService } from './card-check.service.ts';

const clinic = institutionCode('13', '1', '012345');
const otherClinic = institutionCode('13', '1', '054321');
const kumiai = insurerNumber('06', '13', '999');
const welfare = insurerNumber('12', '13', '001');

let world: CardWorld;
const cards: Record<'a' | 'b' | 'c' | 'd' | 'r' | 'unlinked', IssuedUserCertificate> = {} as never;

before(async () => {
  world = await createCardWorld();
  for (const name of ['a', 'b', 'c', 'd', 'r', 'unlinked'] as const) {
    cards[name] = await world.jpki.issueUserCertificate();
  }
  await world.ocsp.statusSource.reload();
});
after(() => world.dispose());

/** Persons A (two valid qualifications and an old one), B, C (only a lost one), D (none), R. */
async function seed(store: Store): Promise<Record<'a' | 'b' | 'c' | 'd' | 'r', number>> {
  await addInsurer(store, kumiai, 'kumiai', '霞が関健康保険組合');
  await addInsurer(store, welfare, 'kumiai', '千代田区福祉事務所');
  const ids = {
    a: await addPerson(store, { name: '番号　一子', birthdate: '1990-05-05', sex: '2' }),
    b: await addPerson(store, { birthdate: '1985-01-01' }),
    c: await addPerson(store, { birthdate: '1970-03-03' }),
    d: await addPerson(store, { birthdate: '2000-12-12' }),
    r: await addPerson(store, { birthdate: '1960-07-07' }),
  };
  await addQualification(store, {
    personId: ids.a,
    insurerNumber: kumiai,
    cardNumber: '100',
    qualificationDate: '2010-04-01',
    disqualificationDate: '2019-04-01',
    reasonOfLoss: '99',
  });
  await addQualification(store, {
    personId: ids.a,
    insurerNumber: kumiai,
    cardNumber: '101',
    qualificationDate: '2020-04-01',
  });
  await insertQualification(store, {
    personId: ids.a,
    insurerNumber: welfare,
    cardSymbol: '',
    cardNumber: '7000001',
    branchNumber: '',
    cardClassification: 'A1',
    personalFamily: '1',
    qualificationDate: '2025-04-01',
    incomeTier: 'low1',
  });
  await addQualification(store, {
    personId: ids.b,
    insurerNumber: kumiai,
    cardNumber: '200',
    qualificationDate: '2020-04-01',
  });
  await addQualification(store, {
    personId: ids.c,
    insurerNumber: kumiai,
    cardNumber: '300',
    qualificationDate: '2015-04-01',
    disqualificationDate: '2020-04-01',
    reasonOfLoss: '03',
  });
  await addQualification(store, {
    personId: ids.r,
    insurerNumber: kumiai,
    cardNumber: '400',
    qualificationDate: '2020-04-01',
  });
  await upsertReferenceNumber(store, {
    institutionCode: clinic,
    personId: ids.a,
    referenceNumber: 'K-0001',
    updatedAt: WORLD_START,
  });
  const link = (name: keyof typeof ids) => ({
    personId: ids[name],
    pseudonymousId: cards[name].pseudonymousId,
    serial: cards[name].serial,
    notAfter: cards[name].certificate.validToDate.toISOString(),
  });
  await importCardLinks(store, [link('a'), link('c'), link('d'), link('r')], { registered: true });
  await importCardLinks(store, [link('b')], { registered: false });
  return ids;
}

forEachStore('check by My Number card', (store) => {
  let service: CardCheckService;
  let ids: Awaited<ReturnType<typeof seed>>;
  before(async () => {
    ids = await seed(store());
    service = createCardCheckService({
      store: store(),
      clock: world.clock,
      cardVerifier: world.verifier(),
      audit: createAuditLog({ store: store(), clock: world.clock }),
    });
  });
  const reset = () => world.clock.set(WORLD_START);

  /** A fresh challenge for `institution`, signed by `card` (over `signed` when given). */
  async function proof(
    card: IssuedUserCertificate,
    options: { institution?: string; signed?: Uint8Array; authMethod?: AuthMethod } = {},
  ): Promise<CardConfirmationInput> {
    const { challenge } = await service.issueChallenge(options.institution ?? clinic);
    const bytes = Buffer.from(challenge, 'base64');
    return {
      challenge: bytes,
      certificateDer: card.certificateDer,
      signature: signAsCard(card, options.signed ?? bytes),
      authMethod: options.authMethod ?? 'pin',
      limitConsent: false,
      consents: {},
      consentKind: 'outpatient',
    };
  }

  it('issues a 32-byte challenge that expires 60 s later', async () => {
    reset();
    const issued = await service.issueChallenge(clinic);
    assert.equal(Buffer.from(issued.challenge, 'base64').length, 32);
    assert.equal(issued.expiresAt, new Date(Date.parse(WORLD_START) + 60_000).toISOString());
  });

  it('answers ReferenceClassification 1 with every valid qualification, the 照会番号 and the options', async () => {
    reset();
    const input = {
      ...(await proof(cards.a)),
      prescriptionIssueSelect: '1' as const,
      limitConsent: true,
      consents: { PharmacistsInfoConsFlg: '1' as const, OperationInfoConsFlg: '0' as const },
    };
    const result = await service.confirm(clinic, input);
    const { MessageHeader: h, MessageBody: b } = result;
    assert.equal(h.ReferenceClassification, '1');
    assert.equal(h.MedicalInstitutionCode, clinic);
    assert.equal(h.QualificationConfirmationDate, '20260601');
    assert.equal(h.SegmentOfResult, '1');
    assert.match(h.ArbitraryFileIdentifier ?? '', /^[0-9a-f]{32}$/);
    assert.equal(b.QualificationValidity, '1');
    assert.equal(b.PrescriptionIssueSelect, '1');
    const rows = b.ResultList?.ResultOfQualificationConfirmation ?? [];
    assert.deepEqual(
      rows.map((r) => [r.InsuredIdentificationNumber, r.InsuredCardClassification]),
      [
        ['101', '01'],
        ['7000001', 'A1'],
      ],
    );
    for (const row of rows) {
      assert.equal(row.Name, '番号　一子');
      assert.equal(row.ReferenceNumber, 'K-0001');
      assert.equal(row.LimitApplicationCertificateRelatedConsFlg, '1');
      assert.equal(row.PharmacistsInfoConsFlg, '1');
      assert.equal(row.PharmacistsInfoConsTime, '20260601090000');
      assert.equal(row.PharmacistsInfoAvailableTime, '20260602090000');
      assert.equal(row.OperationInfoConsFlg, '0');
      assert.equal(row.OperationInfoConsTime, undefined);
    }
  });

  it('gives another institution no 照会番号, and honours the 資格確認日', async () => {
    reset();
    const input = { ...(await proof(cards.a, { institution: otherClinic })), on: '2024-06-01' };
    const rows = (await service.confirm(otherClinic, input)).MessageBody.ResultList
      ?.ResultOfQualificationConfirmation;
    assert.deepEqual(
      rows?.map((r) => [r.InsuredIdentificationNumber, r.ReferenceNumber]),
      [['101', undefined]],
    );
  });

  it('answers 2 with the last qualification when none is valid, 4 when there is none', async () => {
    reset();
    const lost = await service.confirm(clinic, await proof(cards.c));
    assert.equal(lost.MessageBody.QualificationValidity, '2');
    assert.equal(lost.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.ReasonOfLoss, '03');
    const none = await service.confirm(clinic, await proof(cards.d));
    assert.equal(none.MessageBody.QualificationValidity, '4');
    assert.equal(none.MessageBody.ProcessingResultCode, 'ELIGIBILITY_NOT_FOUND');
    assert.equal(none.MessageBody.ResultList, undefined);
  });

  it('refuses a replayed challenge: CARD_CHALLENGE_USED', async () => {
    reset();
    const input = await proof(cards.a);
    await service.confirm(clinic, input);
    await assert.rejects(service.confirm(clinic, input), { code: 'CARD_CHALLENGE_USED' });
  });

  it('lets only one of two concurrent uses of a challenge through', async () => {
    reset();
    const input = await proof(cards.a);
    const outcomes = await Promise.allSettled([
      service.confirm(clinic, input),
      service.confirm(clinic, input),
    ]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    assert.equal(refused.reason.code, 'CARD_CHALLENGE_USED');
  });

  it('refuses an expired challenge: CARD_CHALLENGE_EXPIRED', async () => {
    reset();
    const input = await proof(cards.a);
    world.clock.advance(60_000);
    await assert.rejects(service.confirm(clinic, input), { code: 'CARD_CHALLENGE_EXPIRED' });
  });

  it('refuses a challenge of another institution without using it up', async () => {
    reset();
    const input = await proof(cards.a, { institution: otherClinic });
    await assert.rejects(service.confirm(clinic, input), { code: 'CARD_CHALLENGE_OTHER_INSTITUTION' });
    assert.equal((await service.confirm(otherClinic, input)).MessageBody.QualificationValidity, '1');
  });

  it('refuses a challenge it never issued: CARD_CHALLENGE_UNKNOWN', async () => {
    reset();
    const input = await proof(cards.a);
    const invented = randomBytes(32);
    const forged = { ...input, challenge: invented, signature: signAsCard(cards.a, invented) };
    await assert.rejects(service.confirm(clinic, forged), { code: 'CARD_CHALLENGE_UNKNOWN' });
  });

  it('refuses a forged signature (PKI_CARD_SIGNATURE_INVALID) and one over another challenge', async () => {
    reset();
    const forged = { ...(await proof(cards.a)), signature: randomBytes(256) };
    await assert.rejects(service.confirm(clinic, forged), { code: 'PKI_CARD_SIGNATURE_INVALID' });
    const other = await proof(cards.a, { signed: randomBytes(32) });
    await assert.rejects(service.confirm(clinic, other), { code: 'CARD_SIGNATURE_OTHER_CHALLENGE' });
    const borrowed = { ...(await proof(cards.b)), certificateDer: cards.a.certificateDer };
    await assert.rejects(service.confirm(clinic, borrowed), { code: 'PKI_CARD_SIGNATURE_INVALID' });
  });

  it('refuses an expired card certificate: PKI_CERT_EXPIRED', async () => {
    world.clock.set(new Date(cards.a.certificate.validToDate.getTime() + 1000));
    await assert.rejects(service.confirm(clinic, await proof(cards.a)), { code: 'PKI_CERT_EXPIRED' });
    reset();
  });

  it('refuses a card of an unknown CA: PKI_CERT_UNKNOWN_CA', async () => {
    reset();
    await assert.rejects(service.confirm(clinic, await proof(await world.foreignCard())), {
      code: 'PKI_CERT_UNKNOWN_CA',
    });
  });

  it('refuses a card without a link: CARD_LINK_NOT_FOUND', async () => {
    reset();
    await assert.rejects(service.confirm(clinic, await proof(cards.unlinked)), {
      code: 'CARD_LINK_NOT_FOUND',
    });
  });

  it('refuses an unregistered card, registers it after PIN verification, then confirms', async () => {
    reset();
    await assert.rejects(service.confirm(clinic, await proof(cards.b)), { code: 'CARD_NOT_REGISTERED' });
    await assert.rejects(service.register(clinic, await proof(cards.b, { authMethod: 'face' })), {
      code: 'CARD_REGISTRATION_PIN_REQUIRED',
    });
    const first = await service.register(clinic, await proof(cards.b));
    assert.deepEqual(first, {
      registered: true,
      registeredAt: WORLD_START.replace('Z', '.000Z'),
      newlyRegistered: true,
    });
    world.clock.advance(1000);
    const again = await service.register(clinic, await proof(cards.b));
    assert.deepEqual(again, { ...first, newlyRegistered: false });
    const result = await service.confirm(clinic, await proof(cards.b, { authMethod: 'face' }));
    assert.equal(result.MessageBody.QualificationValidity, '1');
  });

  it('refuses a revoked card certificate (OCSP): PKI_CERT_REVOKED', async () => {
    reset();
    // A renewed card of R (same pseudonymous id), revoked: each store's suite gets its own.
    const card = await world.jpki.issueUserCertificate({ pseudonymousId: cards.r.pseudonymousId });
    const link = {
      personId: ids.r,
      pseudonymousId: card.pseudonymousId,
      serial: card.serial,
      notAfter: '2031-06-01',
    };
    assert.equal((await importCardLinks(store(), [link], { registered: true })).linked, 1);
    await world.ocsp.statusSource.reload();
    assert.equal((await service.confirm(clinic, await proof(card))).MessageBody.QualificationValidity, '1');
    await world.revoke(card);
    await assert.rejects(service.confirm(clinic, await proof(card)), { code: 'PKI_CERT_REVOKED' });
    assert.equal(
      (await service.confirm(clinic, await proof(cards.r))).MessageBody.QualificationValidity,
      '1',
    );
  });
});
