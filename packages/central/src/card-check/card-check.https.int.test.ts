/**
 * The check by My Number card end to end over HTTPS with mutual TLS, on SQLite and PostgreSQL:
 * the central service started as the CLI starts it (startCentral + the card-check routes), an
 * institution's client certificate from the common CA, a JPKI card.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { IssuedUserCertificate } from '@onshi/pki';
import { type RunningCentral, startCentral } from '../central.ts';
import { httpsRequest, type TlsClient } from '../client/https-client.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { institutionCode, insurerNumber } from '../test/fixtures.ts';
import { createTestPki, type TestPki } from '../test/pki.ts';
import { forEachStore } from '../test/stores.ts';
import { addCardHolder, type CardWorld, createCardWorld, signAsCard } from './card-check.fixture.ts';
import { cardCheckExtraRoutes, cardCheckPaths } from './card-check.routes.ts';

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers in assertions
type Json = any;

const clinic = institutionCode('13', '1', '012345');
const otherClinic = institutionCode('13', '1', '054321');
const kumiai = insurerNumber('06', '13', '999');

let world: CardWorld;
let card: IssuedUserCertificate;
before(async () => {
  world = await createCardWorld();
  // The common CA of createTestPki issues at the real time; the card world follows it here.
  world.clock.set(new Date());
  card = await world.issueCard();
});
after(() => world.dispose());

forEachStore('check by My Number card over HTTPS', (store) => {
  let pki: TestPki;
  let server: RunningCentral;
  let client: TlsClient;
  let otherClient: TlsClient;

  before(async () => {
    await addCardHolder(store(), card, { insurer: kumiai, cardNumber: '1', birthdate: '1990-05-05' });
    pki = await createTestPki();
    const config = loadConfig({
      ONSHI_PORT: '0',
      ...pki.env,
    });
    const extraRoutes = cardCheckExtraRoutes({ cardVerifier: world.verifier(), maxBodyBytes: 65536 });
    const clock = { now: () => new Date() };
    server = await startCentral(config, {
      store: store(),
      clock,
      logger: createLogger(() => {}),
      extraRoutes,
    });
    client = { ca: pki.serverCa, ...(await pki.client(clinic)) };
    otherClient = { ca: pki.serverCa, ...(await pki.client(otherClinic)) };
  });
  after(async () => {
    await server.close();
    pki.dispose();
  });

  const post = (path: string, body: unknown, as: TlsClient = client, headers: Record<string, string> = {}) =>
    httpsRequest(`${server.url}${path}`, as, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  async function proof(as: TlsClient = client): Promise<Record<string, string>> {
    const response = await post(cardCheckPaths.challenges, {}, as);
    assert.equal(response.status, 200);
    const { challenge } = response.json() as Json;
    return {
      challenge,
      certificate: Buffer.from(card.certificateDer).toString('base64'),
      signature: Buffer.from(signAsCard(card, Buffer.from(challenge, 'base64'))).toString('base64'),
      authMethod: 'pin',
    };
  }

  it('confirms with the institution named by the client certificate', async () => {
    const response = await post(cardCheckPaths.confirmations, {
      ...(await proof()),
      PrescriptionIssueSelect: '1',
    });
    assert.equal(response.status, 200);
    const { MessageHeader: h, MessageBody: b } = (response.json() as Json).XmlMsg;
    assert.equal(h.MedicalInstitutionCode, clinic);
    assert.equal(h.ReferenceClassification, '1');
    assert.equal(b.QualificationValidity, '1');
    assert.equal(b.ResultList.ResultOfQualificationConfirmation.length, 1);
  });

  it('refuses a caller without a client certificate: PKI_CERT_MISSING', async () => {
    const response = await post(cardCheckPaths.challenges, {}, { ca: pki.serverCa });
    assert.equal(response.status, 401);
    assert.equal((response.json() as Json).code, 'PKI_CERT_MISSING');
  });

  it('refuses one institution’s challenge presented by another, and a replay', async () => {
    const body = await proof(otherClient);
    const stolen = await post(cardCheckPaths.confirmations, body);
    assert.equal(stolen.status, 403);
    assert.equal((stolen.json() as Json).code, 'CARD_CHALLENGE_OTHER_INSTITUTION');
    assert.equal((await post(cardCheckPaths.confirmations, body, otherClient)).status, 200);
    const replay = await post(cardCheckPaths.confirmations, body, otherClient);
    assert.equal(replay.status, 409);
    assert.equal((replay.json() as Json).code, 'CARD_CHALLENGE_USED');
  });

  it('lists the routes in the OpenAPI document', async () => {
    const document = (await httpsRequest(`${server.url}/openapi.json`, client)).json() as Json;
    for (const path of Object.values(cardCheckPaths)) assert.ok(document.paths[path]?.post, path);
  });
});
