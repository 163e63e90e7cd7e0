/**
 * The central service end to end over real HTTP sockets, on SQLite and on PostgreSQL: the insurer
 * feed fills the store, then checks by card data as XML (UTF-8 and Shift_JIS) and JSON,
 * reference-number registration, and refusals of bad input with their catalogue codes.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import {
  decodeMessage,
  encodeMessage,
  insurerNumberCheckDigit,
  type QualificationConfirmRequest,
  type QualificationConfirmResult,
  qualificationConfirmRequestSchema,
  qualificationConfirmResultSchema,
  referenceNumberRegistrationRequestSchema,
  referenceNumberRegistrationResultSchema,
  type XmlEncoding,
} from '@onshi/core';
import { paths } from './app.ts';
import { type RunningCentral, startCentral } from './central.ts';
import { type ClientResponse, httpsRequest, type TlsClient } from './client/https-client.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { createTestPki, type TestPki } from './test/pki.ts';
import { forEachStore } from './test/stores.ts';

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers in assertions
type Json = any;

const kumiai = `0613999${insurerNumberCheckDigit('0613999')}`;
const kokuho = `13810${insurerNumberCheckDigit('13810')}`;
const institution = '1310123458';
const otherInstitution = '1310123466';

const feed = [
  { format: 'onshi-qualification-feed/1', fileId: 'app-test-1', createdAt: '2026-03-01T00:00:00+09:00' },
  {
    kind: 'insurer',
    insurerNumber: kumiai,
    name: '霞が関健康保険組合',
    insurerKind: 'kumiai',
    prefectureCode: '13',
  },
  { kind: 'insurer', insurerNumber: kokuho, name: '千代田区', insurerKind: 'kokuho', prefectureCode: '13' },
  {
    kind: 'acquire',
    insurerNumber: kumiai,
    cardSymbol: '12',
    cardNumber: '3456',
    branchNumber: '00',
    qualificationDate: '2020-04-01',
    personKey: 'p-1',
    name: '厚労　花子',
    nameKana: 'ｺｳﾛｳ ﾊﾅｺ',
    sex: '2',
    birthdate: '1990-05-05',
    cardClassification: '01',
    personalFamily: '1',
    incomeTier: 'general',
  },
  {
    kind: 'lose',
    insurerNumber: kumiai,
    cardSymbol: '12',
    cardNumber: '3456',
    branchNumber: '00',
    disqualificationDate: '2026-01-01',
    reasonOfLoss: '03',
  },
  {
    kind: 'acquire',
    insurerNumber: kokuho,
    cardNumber: '770001',
    qualificationDate: '2026-01-01',
    personKey: 'p-1',
    name: '厚労　花子',
    nameKana: 'ｺｳﾛｳ ﾊﾅｺ',
    sex: '2',
    birthdate: '1990-05-05',
    cardClassification: '01',
    personalFamily: '1',
    incomeTier: 'general',
  },
]
  .map((line) => JSON.stringify(line))
  .join('\n');

function request(card: { insurer: string; symbol?: string; number: string; branch?: string }, date: string) {
  return {
    MessageHeader: { QualificationConfirmationDate: date, MedicalInstitutionCode: institution },
    MessageBody: {
      QualificationConfirmSearchInfo: {
        InsurerNumber: card.insurer,
        ...(card.symbol ? { InsuredCardSymbol: card.symbol } : {}),
        InsuredIdentificationNumber: card.number,
        ...(card.branch ? { InsuredBranchNumber: card.branch } : {}),
        Birthdate: '19900505',
        LimitApplicationCertificateRelatedConsFlg: '0',
      },
    },
  } satisfies QualificationConfirmRequest;
}

const oldCard = { insurer: kumiai, symbol: '12', number: '3456', branch: '00' };
const newCard = { insurer: `  ${kokuho}`, number: '770001' };

const feedToken = 'feed-token-for-tests-0123456789';

forEachStore('central HTTP API', (store) => {
  let pki: TestPki;
  let server: RunningCentral;
  let client: TlsClient;
  const send = (path: string, type: string, body: Uint8Array | string, as: TlsClient = client) =>
    httpsRequest(`${server.url}${path}`, as, { method: 'POST', headers: { 'content-type': type }, body });
  const get = (path: string) => httpsRequest(`${server.url}${path}`, client);
  const checkXml = async (
    message: QualificationConfirmRequest,
    encoding: XmlEncoding = 'utf-8',
    as: TlsClient = client,
  ) => {
    const body = encodeMessage(message, qualificationConfirmRequestSchema, { encoding });
    const response = await send(paths.qualificationConfirmations, 'application/xml', body, as);
    const bytes = new Uint8Array(response.body);
    return { response, bytes, result: decodeMessage(bytes, qualificationConfirmResultSchema) };
  };
  const rawXml = async (body: Uint8Array | string, as: TlsClient = client) => {
    const response = await send(paths.qualificationConfirmations, 'application/xml', body, as);
    return {
      status: response.status,
      result: decodeMessage(new Uint8Array(response.body), qualificationConfirmResultSchema),
    };
  };

  before(async () => {
    pki = await createTestPki();
    const tokenFile = join(pki.dir, 'feed-token');
    writeFileSync(tokenFile, `${feedToken}\n`);
    const config = loadConfig({
      ONSHI_PORT: '0',
      ONSHI_MAX_MESSAGE_BYTES: '4096',
      ...pki.env,
      ONSHI_CRL_RELOAD_SECONDS: '1',
      ONSHI_FEED_TOKEN_FILE: tokenFile,
    });
    const clock = { now: () => new Date() };
    server = await startCentral(config, { store: store(), clock, logger: createLogger(() => {}) });
    client = { ca: pki.serverCa, ...(await pki.client(institution)) };
  });
  after(async () => {
    await server.close();
    pki.dispose();
  });

  it('imports the insurer feed over HTTP, once', async () => {
    const refused = await send(paths.qualificationFeed, 'application/x-ndjson', feed);
    assert.equal(refused.status, 401);
    assert.equal((refused.json() as Json).code, 'AUTH_FEED_TOKEN_INVALID');
    const postFeed = () =>
      httpsRequest(`${server.url}${paths.qualificationFeed}`, client, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${feedToken}` },
        body: feed,
      });
    const first = (await postFeed()).json() as Json;
    assert.equal(first.rowsApplied, 5);
    assert.equal(first.rowsRejected, 0);
    const again = (await postFeed()).json() as Json;
    assert.equal(again.duplicate, true);
  });

  it('answers a UTF-8 XML check: valid before the loss, 3 after it (newer qualification)', async () => {
    const before = await checkXml(request(oldCard, '20251231'));
    assert.equal(before.response.status, 200);
    assert.equal(before.result.MessageHeader.SegmentOfResult, '1');
    assert.equal(before.result.MessageHeader.CharacterCodeIdentifier, '0');
    assert.equal(before.result.MessageBody.QualificationValidity, '1');
    const q = before.result.MessageBody.ResultList?.ResultOfQualificationConfirmation[0];
    assert.equal(q?.Name, '厚労　花子');
    assert.equal(q?.NameKana, 'ｺｳﾛｳ ﾊﾅｺ');
    assert.equal(q?.InsurerName, '霞が関健康保険組合');
    const afterLoss = await checkXml(request(oldCard, '20260101'));
    assert.equal(afterLoss.result.MessageBody.QualificationValidity, '3');
  });

  it('answers Shift_JIS in Shift_JIS, with the 6-digit insurer number space-padded', async () => {
    const { response, bytes, result } = await checkXml(request(newCard, '20260302'), 'shift_jis');
    assert.match(String(response.headers['content-type']), /Shift_JIS/);
    assert.match(new TextDecoder('latin1').decode(bytes.subarray(0, 60)), /encoding="Shift_JIS"/);
    assert.equal(result.MessageHeader.CharacterCodeIdentifier, '1');
    assert.equal(result.MessageBody.QualificationValidity, '1');
    const q = result.MessageBody.ResultList?.ResultOfQualificationConfirmation[0];
    assert.equal(q?.InsurerNumber, `  ${kokuho}`);
    assert.equal(q?.InsurerName, '千代田区');
  });

  it('answers JSON with JSON that mirrors the element names', async () => {
    const response = await send(
      paths.qualificationConfirmations,
      'application/json',
      JSON.stringify({ XmlMsg: request(newCard, '20260302') }),
    );
    assert.equal(response.status, 200);
    const body = response.json() as { XmlMsg: QualificationConfirmResult };
    assert.equal(body.XmlMsg.MessageBody.QualificationValidity, '1');
    assert.equal(body.XmlMsg.MessageHeader.CharacterCodeIdentifier, '0');
  });

  it('registers a reference number and returns it to that institution only', async () => {
    const registration = {
      MessageHeader: { MedicalInstitutionCode: institution },
      MessageBody: {
        ReferenceNumberRegistrationInfo: {
          ReferenceNumber: 'K-000123',
          InsurerNumber: kokuho,
          InsuredIdentificationNumber: '770001',
        },
      },
    };
    const body = encodeMessage(registration, referenceNumberRegistrationRequestSchema, { encoding: 'utf-8' });
    const response = await send(paths.referenceNumbers, 'application/xml', body);
    const result = decodeMessage(new Uint8Array(response.body), referenceNumberRegistrationResultSchema);
    assert.equal(result.MessageBody.ProcessingResultStatus, '1');
    const mine = await checkXml(request(newCard, '20260302'));
    assert.equal(
      mine.result.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.ReferenceNumber,
      'K-000123',
    );
    const theirs = request(newCard, '20260302');
    theirs.MessageHeader.MedicalInstitutionCode = otherInstitution;
    const other = await checkXml(theirs, 'utf-8', {
      ca: pki.serverCa,
      ...(await pki.client(otherInstitution)),
    });
    assert.equal(
      other.result.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.ReferenceNumber,
      undefined,
    );
  });

  it('refuses hostile and malformed XML with an error result carrying the code', async () => {
    const cases: [string | Uint8Array, number, string][] = [
      [
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><XmlMsg>&a;</XmlMsg>',
        400,
        'XML_DOCTYPE_FORBIDDEN',
      ],
      ['<XmlMsg><MessageHeader>', 400, 'XML_MALFORMED'],
      [
        new Uint8Array([
          ...Buffer.from('<?xml version="1.0" encoding="Shift_JIS"?><XmlMsg>'),
          0x81,
          0x20,
          ...Buffer.from('</XmlMsg>'),
        ]),
        400,
        'XML_ENCODING_INVALID_BYTES',
      ],
      ['<?xml version="1.0" encoding="EUC-JP"?><XmlMsg/>', 400, 'XML_ENCODING_UNSUPPORTED'],
      [`<XmlMsg>${' '.repeat(5000)}</XmlMsg>`, 413, 'HTTP_BODY_TOO_LARGE'],
    ];
    for (const [body, status, code] of cases) {
      const { status: got, result } = await rawXml(body);
      assert.equal(got, status, code);
      assert.equal(result.MessageHeader.SegmentOfResult, '9');
      assert.equal(result.MessageHeader.ErrorCode, code);
    }
    const invalid = request(oldCard, '20261301');
    const { result } = await checkXml(invalid);
    assert.equal(result.MessageHeader.SegmentOfResult, '9');
    assert.equal(result.MessageHeader.MedicalInstitutionCode, institution);
  });

  it('answers errors outside the OQS form as { code, message, requestId }', async () => {
    const cases: [Promise<ClientResponse>, number, string][] = [
      [send(paths.qualificationConfirmations, 'application/json', '{"XmlMsg":'), 400, 'MSG_JSON_MALFORMED'],
      [send(paths.qualificationConfirmations, 'text/plain', 'hello'), 415, 'HTTP_UNSUPPORTED_MEDIA_TYPE'],
      [get('/nowhere'), 404, 'HTTP_NOT_FOUND'],
      [get(paths.qualificationConfirmations), 405, 'HTTP_METHOD_NOT_ALLOWED'],
    ];
    for (const [pending, status, code] of cases) {
      const response = await pending;
      assert.equal(response.status, status);
      const body = response.json() as Json;
      assert.equal(body.code, code);
      assert.equal(body.requestId, response.headers['x-request-id']);
    }
  });

  it('serves its OpenAPI document and health', async () => {
    const doc = (await get(paths.openapi)).json() as Json;
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths[paths.qualificationConfirmations].post);
    const health = (await get(paths.health)).json() as Json;
    assert.equal(health.status, 'ok');
  });

  it('refuses callers without a trusted, current, matching client certificate', async () => {
    const refusals: [TlsClient, string, number][] = [
      [{ ca: pki.serverCa }, 'PKI_CERT_MISSING', 401],
      [{ ca: pki.serverCa, ...(await pki.foreignClient(institution)) }, 'PKI_CERT_UNKNOWN_CA', 401],
      [{ ca: pki.serverCa, ...(await pki.client(otherInstitution)) }, 'AUTH_INSTITUTION_MISMATCH', 403],
    ];
    for (const [as, code, status] of refusals) {
      const body = encodeMessage(request(newCard, '20260302'), qualificationConfirmRequestSchema, {
        encoding: 'utf-8',
      });
      const { status: got, result } = await rawXml(body, as);
      assert.equal(result.MessageHeader.ErrorCode, code);
      assert.equal(got, status, code);
    }
  });

  it('refuses a revoked certificate within the CRL reload interval, and for good', async () => {
    const revoked = { ca: pki.serverCa, ...(await pki.client(institution)) };
    const accepted = await checkXml(request(newCard, '20260302'), 'utf-8', revoked);
    assert.equal(accepted.result.MessageHeader.SegmentOfResult, '1');
    await pki.ca.revoke(revoked.serial, 'keyCompromise');
    let code: string | undefined;
    for (let waited = 0; waited < 5000 && code !== 'PKI_CERT_REVOKED'; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      code = (await checkXml(request(newCard, '20260302'), 'utf-8', revoked)).result.MessageHeader.ErrorCode;
    }
    assert.equal(code, 'PKI_CERT_REVOKED');
    await pki.ca.writeCrl();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const later = await checkXml(request(newCard, '20260302'), 'utf-8', revoked);
    assert.equal(later.result.MessageHeader.ErrorCode, 'PKI_CERT_REVOKED');
  });

  it('refuses an expired client certificate', async () => {
    const fourYearsOn = { now: () => new Date(Date.now() + 4 * 365 * 86_400_000) };
    const config = loadConfig({
      ONSHI_PORT: '0',
      ONSHI_TLS_KEY_FILE: pki.files.keyFile,
      ONSHI_TLS_CERT_FILE: pki.files.certFile,
      ONSHI_CLIENT_CA_FILE: pki.files.clientCaFile,
    });
    const later = await startCentral(config, {
      store: store(),
      clock: fourYearsOn,
      logger: createLogger(() => {}),
    });
    try {
      const body = encodeMessage(request(newCard, '20260302'), qualificationConfirmRequestSchema, {
        encoding: 'utf-8',
      });
      const response = await httpsRequest(`${later.url}${paths.qualificationConfirmations}`, client, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body,
      });
      const result = decodeMessage(new Uint8Array(response.body), qualificationConfirmResultSchema);
      assert.equal(result.MessageHeader.ErrorCode, 'PKI_CERT_EXPIRED');
      assert.equal(response.status, 401);
    } finally {
      await later.close();
    }
  });
});
