/**
 * The retrieval through the whole central service over mutual TLS (startCentral), on SQLite and
 * PostgreSQL: a clinic's certificate, a Shift_JIS YZK request → Shift_JIS XML; a PDF; a refusal as
 * an XML error result; no certificate → PKI_CERT_MISSING; the OpenAPI document lists both
 * operations with their PDF answer and viewer headers.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  checkupInformationRequestSchema,
  decodeMessage,
  encodeMessage,
  medicationInformationRequestSchema,
  medicationInformationResultSchema,
} from '@onshi/core';
import { type RunningCentral, startCentral } from '../central.ts';
import { httpsRequest, type TlsClient } from '../client/https-client.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { createTestPki, type TestPki } from '../test/pki.ts';
import { forEachStore } from '../test/stores.ts';
import { cardHeader, clinic, createMedinfoWorld, HOUR, type MedinfoWorld } from './medinfo.fixture.ts';
import { medinfoPaths } from './medinfo.routes.ts';
import { inspectPdf } from './pdf.inspect.ts';

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers in assertions
type Json = any;

forEachStore('medical information over mutual TLS', (store) => {
  // Real time: the server checks the client certificate's validity against this clock.
  const clock = { now: () => new Date() };
  let pki: TestPki;
  let server: RunningCentral;
  let client: TlsClient;
  let world: MedinfoWorld;

  before(async () => {
    world = await createMedinfoWorld(store(), clock, new Date(Date.now() - HOUR));
    pki = await createTestPki();
    const config = loadConfig({
      ONSHI_PORT: '0',
      ...pki.env,
    });
    server = await startCentral(config, { store: store(), clock, logger: createLogger(() => {}) });
    client = { ca: pki.serverCa, ...(await pki.client(clinic)) };
  });
  after(async () => {
    await server.close();
    pki.dispose();
  });

  const post = (path: string, body: Uint8Array, headers: Record<string, string>, as: TlsClient = client) =>
    httpsRequest(`${server.url}${path}`, as, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', ...headers },
      body,
    });
  const viewer = { 'x-onshi-terminal-user': 'dr-ichiro', 'x-onshi-terminal-role': 'viewer' };

  it('answers a Shift_JIS YZK request in Shift_JIS XML, and as a PDF', async () => {
    const request = { MessageHeader: cardHeader(world.alice), MessageBody: {} };
    const body = encodeMessage(request, medicationInformationRequestSchema, { encoding: 'shift_jis' });
    const xml = await post(medinfoPaths.medications, body, viewer);
    assert.equal(xml.status, 200);
    const result = decodeMessage(new Uint8Array(xml.body), medicationInformationResultSchema);
    assert.equal(result.MessageHeader.CharacterCodeIdentifier, '1');
    assert.equal(result.MessageHeader.QuaInf?.Name, '試験　有栖');
    assert.equal(result.MessageBody.MeTrMonthInf?.length, 2);
    const pdf = await post(
      medinfoPaths.checkups,
      encodeMessage(request, checkupInformationRequestSchema, {
        encoding: 'utf-8',
      }),
      { ...viewer, accept: 'application/pdf' },
    );
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.ok(inspectPdf(new Uint8Array(pdf.body)).pageTexts[0]!.includes('特定健診情報'));
  });

  it('refuses a user without the viewer role (XML error result) and a caller without a certificate', async () => {
    const request = { MessageHeader: cardHeader(world.alice), MessageBody: {} };
    const body = encodeMessage(request, medicationInformationRequestSchema, { encoding: 'utf-8' });
    const clerk = await post(medinfoPaths.medications, body, { ...viewer, 'x-onshi-terminal-role': 'clerk' });
    assert.equal(clerk.status, 403);
    const error = decodeMessage(new Uint8Array(clerk.body), medicationInformationResultSchema);
    assert.deepEqual(
      [error.MessageHeader.SegmentOfResult, error.MessageHeader.ErrorCode, error.MessageBody.ResultCode],
      ['9', 'MEDINFO_ROLE_REQUIRED', '2'],
    );
    const anonymous = await post(medinfoPaths.medications, body, viewer, { ca: pki.serverCa });
    assert.equal(anonymous.status, 401);
  });

  it('describes both operations in the OpenAPI document', async () => {
    const document = (await httpsRequest(`${server.url}/openapi.json`, client)).json() as Json;
    for (const path of [medinfoPaths.medications, medinfoPaths.checkups]) {
      const op = document.paths[path].post;
      assert.ok(op.responses['200'].content['application/pdf'], path);
      assert.ok(op.responses['200'].content['application/json'].schema.properties.XmlMsg, path);
      assert.deepEqual(
        op.parameters.map((p: Json) => p.name),
        ['x-onshi-terminal-user', 'x-onshi-terminal-role', 'accept'],
      );
    }
    const codes = document.components.schemas.Error.properties.code.enum;
    assert.ok(codes.includes('MEDINFO_ROLE_REQUIRED'));
  });
});
