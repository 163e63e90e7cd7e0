/**
 * The card-check routes called with requests as the server hands them over (the institution set
 * from the client certificate), on SQLite and PostgreSQL; and the import of the issuer's links.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeMessage, qualificationConfirmResultSchema } from '@onshi/core';
import type { IssuedUserCertificate } from '@onshi/pki';
import { createAuditLog } from '../audit/audit.writer.ts';
import type { HttpReply, HttpRequest, Route } from '../http/types.ts';
import { createLogger } from '../log.ts';
import { addPerson, institutionCode } from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import { type CardWorld, createCardWorld, linkCard, signAsCard } from './card-check.fixture.ts';
import { importCardLinks } from './card-check.links.ts';
import { findCardHolder } from './card-check.repo.ts';
import { cardCheckPaths, cardCheckRoutes } from './card-check.routes.ts';
import { createCardCheckService } from './card-check.service.ts';

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers in assertions
type Json = any;

const clinic = institutionCode('13', '1', '012345');

let world: CardWorld;
let card: IssuedUserCertificate;
before(async () => {
  world = await createCardWorld();
  card = await world.issueCard();
});
after(() => world.dispose());

function request(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  institution = clinic,
): HttpRequest {
  return {
    method: 'POST',
    path,
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
    requestId: 'test-1',
    ...(institution === '' ? {} : { institution: { code: institution, serial: '01' } }),
  } as HttpRequest;
}

const json = (reply: HttpReply): Json => JSON.parse(String(reply.body));

forEachStore('card-check routes', (store) => {
  let routes: Map<string, Route>;
  before(async () => {
    const personId = await addPerson(store(), { birthdate: '1990-01-01' });
    await linkCard(store(), card, personId, false);
    const service = createCardCheckService({
      store: store(),
      clock: world.clock,
      cardVerifier: world.verifier(),
      audit: createAuditLog({ store: store(), clock: world.clock }),
    });
    const list = cardCheckRoutes({
      service,
      clock: world.clock,
      logger: createLogger(() => {}),
      maxBodyBytes: 65536,
    });
    routes = new Map(list.map((route) => [route.path, route]));
  });
  const call = (path: string, body?: unknown, headers?: Record<string, string>) =>
    routes.get(path)!.handler(request(path, body, headers));

  async function proofBody(authMethod = 'pin'): Promise<Record<string, string>> {
    const { challenge } = json(await call(cardCheckPaths.challenges));
    return {
      challenge,
      certificate: Buffer.from(card.certificateDer).toString('base64'),
      signature: Buffer.from(signAsCard(card, Buffer.from(challenge, 'base64'))).toString('base64'),
      authMethod,
    };
  }

  it('refuses a request without the institution’s certificate: PKI_CERT_MISSING', async () => {
    for (const route of routes.values()) {
      await assert.rejects(route.handler(request(route.path, {}, {}, '')), { code: 'PKI_CERT_MISSING' });
    }
  });

  it('registers (初回登録) and confirms, as JSON and as XML', async () => {
    const registered = json(await call(cardCheckPaths.registrations, await proofBody()));
    assert.equal(registered.newlyRegistered, true);
    const body = { ...(await proofBody('face')), PrescriptionIssueSelect: '2' };
    const reply = await call(cardCheckPaths.confirmations, body);
    const message = json(reply).XmlMsg;
    assert.equal(message.MessageHeader.ReferenceClassification, '1');
    assert.equal(message.MessageHeader.MedicalInstitutionCode, clinic);
    assert.equal(message.MessageBody.PrescriptionIssueSelect, '2');
    const xml = await call(cardCheckPaths.confirmations, await proofBody(), { accept: 'application/xml' });
    assert.match(xml.headers?.['content-type'] ?? '', /^application\/xml/);
    const decoded = decodeMessage(xml.body as Uint8Array, qualificationConfirmResultSchema);
    assert.equal(decoded.MessageHeader.ReferenceClassification, '1');
    assert.equal(decoded.MessageBody.QualificationValidity, '4');
  });

  it('answers a refused confirmation as an OQS error result when XML was asked for', async () => {
    const route = routes.get(cardCheckPaths.confirmations)!;
    const body = { ...(await proofBody()), signature: Buffer.alloc(256).toString('base64') };
    const headers = { accept: 'application/xml' };
    const error = await route.handler(request(route.path, body, headers)).catch((e: unknown) => e);
    const reply = route.errorReply!(error, { headers, requestId: 'test-1' });
    assert.equal(reply.status, 401);
    const decoded = decodeMessage(reply.body as Uint8Array, qualificationConfirmResultSchema);
    assert.equal(decoded.MessageHeader.SegmentOfResult, '9');
    assert.equal(decoded.MessageHeader.ErrorCode, 'PKI_CARD_SIGNATURE_INVALID');
    const plain = route.errorReply!(error, { headers: {}, requestId: 'test-1' });
    assert.equal(json(plain).code, 'PKI_CARD_SIGNATURE_INVALID');
  });

  it('validates the body with coded errors', async () => {
    const good = await proofBody();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, extra: 1 }, 'MSG_FIELD_INVALID'],
      [{ ...good, challenge: 'not base64!' }, 'MSG_FIELD_INVALID'],
      [{ ...good, challenge: Buffer.alloc(16).toString('base64') }, 'MSG_FIELD_INVALID'],
      [{ ...good, authMethod: undefined }, 'MSG_FIELD_REQUIRED'],
      [{ ...good, authMethod: 'password' }, 'MSG_FIELD_INVALID'],
      [{ ...good, certificate: undefined }, 'MSG_FIELD_REQUIRED'],
      [{ ...good, QualificationConfirmationDate: '20260231' }, 'DATE_INVALID'],
      [{ ...good, PrescriptionIssueSelect: '3' }, 'MSG_FIELD_INVALID'],
      [{ ...good, consents: { PharmacistsInfoConsFlg: '2' } }, 'MSG_FIELD_INVALID'],
      [{ ...good, consents: { MyNumber: '1' } }, 'MSG_FIELD_INVALID'],
    ];
    for (const [body, code] of cases) {
      await assert.rejects(call(cardCheckPaths.confirmations, body), { code }, JSON.stringify(body));
    }
    await assert.rejects(
      routes
        .get(cardCheckPaths.confirmations)!
        .handler({ ...request(cardCheckPaths.confirmations, {}), body: Buffer.from('{') }),
      { code: 'MSG_JSON_MALFORMED' },
    );
  });

  describe('importCardLinks', () => {
    it('sets person keys, reports unknown persons and conflicts, and is idempotent', async () => {
      const taken = await addPerson(store(), { birthdate: '1950-01-01', personKey: 'insurer-key-1' });
      const fresh = await addPerson(store(), { birthdate: '1951-01-01' });
      const links = [
        {
          personId: fresh,
          pseudonymousId: 'pid-fresh',
          serial: '0A1B',
          notAfter: '2031-01-01T00:00:00.000Z',
        },
        {
          personId: taken,
          pseudonymousId: 'pid-other',
          serial: '0A1C',
          notAfter: '2031-01-01T00:00:00.000Z',
        },
        {
          personId: 999_999,
          pseudonymousId: 'pid-nobody',
          serial: '0A1D',
          notAfter: '2031-01-01T00:00:00.000Z',
        },
        {
          personId: fresh,
          pseudonymousId: 'insurer-key-1',
          serial: '0A1E',
          notAfter: '2031-01-01T00:00:00.000Z',
        },
      ];
      const first = await importCardLinks(store(), links, { registered: true });
      assert.deepEqual(first, {
        links: 4,
        linked: 1,
        personKeysSet: 1,
        registered: 1,
        unknownPersons: [999_999],
        conflicts: ['0A1C', '0A1E'],
      });
      const holder = await findCardHolder(store(), 'A1B');
      assert.equal(holder?.pseudonymousId, 'pid-fresh');
      assert.equal(holder?.personId, fresh);
      assert.equal(typeof holder?.registeredAt, 'string');
      const again = await importCardLinks(store(), links, { registered: true });
      assert.deepEqual(again, { ...first, personKeysSet: 0, registered: 0 });
    });
  });
});
