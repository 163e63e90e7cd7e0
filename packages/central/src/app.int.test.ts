/**
 * The central service end to end over real HTTP sockets, on SQLite and on PostgreSQL: the insurer
 * feed fills the store, then checks by card data as XML (UTF-8 and Shift_JIS) and JSON,
 * reference-number registration, and refusals of bad input with their catalogue codes.
 */
import assert from 'node:assert/strict';
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
import { buildApp, paths } from './app.ts';
import { loadConfig } from './config.ts';
import { type RunningServer, startServer } from './http/server.ts';
import { createLogger } from './log.ts';
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

forEachStore('central HTTP API', (store) => {
  let server: RunningServer;
  const post = (path: string, type: string, body: Uint8Array | string) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
  const checkXml = async (message: QualificationConfirmRequest, encoding: XmlEncoding = 'utf-8') => {
    const body = encodeMessage(message, qualificationConfirmRequestSchema, { encoding });
    const response = await post(paths.qualificationConfirmations, 'application/xml', body);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { response, bytes, result: decodeMessage(bytes, qualificationConfirmResultSchema) };
  };
  const rawXml = async (body: Uint8Array | string) => {
    const response = await post(paths.qualificationConfirmations, 'application/xml', body);
    return {
      status: response.status,
      result: decodeMessage(new Uint8Array(await response.arrayBuffer()), qualificationConfirmResultSchema),
    };
  };

  before(async () => {
    const config = loadConfig({ ONSHI_MAX_MESSAGE_BYTES: '4096' });
    const logger = createLogger(() => {});
    const clock = { now: () => new Date('2026-03-02T01:00:00Z') };
    server = await startServer(buildApp({ config, store: store(), clock, logger }), {
      host: '127.0.0.1',
      port: 0,
      defaultMaxBodyBytes: config.maxMessageBytes,
      logger,
    });
  });
  after(() => server.close());

  it('imports the insurer feed over HTTP, once', async () => {
    const first = (await (await post(paths.qualificationFeed, 'application/x-ndjson', feed)).json()) as Json;
    assert.equal(first.rowsApplied, 5);
    assert.equal(first.rowsRejected, 0);
    const again = (await (await post(paths.qualificationFeed, 'application/x-ndjson', feed)).json()) as Json;
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
    assert.match(response.headers.get('content-type') ?? '', /Shift_JIS/);
    assert.match(new TextDecoder('latin1').decode(bytes.subarray(0, 60)), /encoding="Shift_JIS"/);
    assert.equal(result.MessageHeader.CharacterCodeIdentifier, '1');
    assert.equal(result.MessageBody.QualificationValidity, '1');
    const q = result.MessageBody.ResultList?.ResultOfQualificationConfirmation[0];
    assert.equal(q?.InsurerNumber, `  ${kokuho}`);
    assert.equal(q?.InsurerName, '千代田区');
  });

  it('answers JSON with JSON that mirrors the element names', async () => {
    const response = await post(
      paths.qualificationConfirmations,
      'application/json',
      JSON.stringify({ XmlMsg: request(newCard, '20260302') }),
    );
    assert.equal(response.status, 200);
    const body = (await response.json()) as { XmlMsg: QualificationConfirmResult };
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
    const response = await post(paths.referenceNumbers, 'application/xml', body);
    const result = decodeMessage(
      new Uint8Array(await response.arrayBuffer()),
      referenceNumberRegistrationResultSchema,
    );
    assert.equal(result.MessageBody.ProcessingResultStatus, '1');
    const mine = await checkXml(request(newCard, '20260302'));
    assert.equal(
      mine.result.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.ReferenceNumber,
      'K-000123',
    );
    const theirs = request(newCard, '20260302');
    theirs.MessageHeader.MedicalInstitutionCode = otherInstitution;
    const other = await checkXml(theirs);
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
    const cases: [Promise<Response>, number, string][] = [
      [post(paths.qualificationConfirmations, 'application/json', '{"XmlMsg":'), 400, 'MSG_JSON_MALFORMED'],
      [post(paths.qualificationConfirmations, 'text/plain', 'hello'), 415, 'HTTP_UNSUPPORTED_MEDIA_TYPE'],
      [fetch(`${server.url}/nowhere`), 404, 'HTTP_NOT_FOUND'],
      [fetch(`${server.url}${paths.qualificationConfirmations}`), 405, 'HTTP_METHOD_NOT_ALLOWED'],
    ];
    for (const [pending, status, code] of cases) {
      const response = await pending;
      assert.equal(response.status, status);
      const body = (await response.json()) as Json;
      assert.equal(body.code, code);
      assert.equal(body.requestId, response.headers.get('x-request-id'));
    }
  });

  it('serves its OpenAPI document and health', async () => {
    const doc = (await (await fetch(`${server.url}${paths.openapi}`)).json()) as Json;
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths[paths.qualificationConfirmations].post);
    const health = (await (await fetch(`${server.url}${paths.health}`)).json()) as Json;
    assert.equal(health.status, 'ok');
  });
});
