/**
 * The connector against a real central over mutual TLS: answers in UTF-8 and Shift_JIS, element
 * order, half-written files, malformed and unsupported requests, central down → up, and the
 * deadline with a late answer.
 */
import assert from 'node:assert/strict';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeMessage, qualificationConfirmResultSchema, type XmlEncoding } from '@onshi/core';
import { createTestCentral, institution, insurer, type TestCentral } from '../test/central.ts';
import { type CentralClient, createHttpsCentralClient } from './connector.client.ts';
import { openConnectorRepo } from './connector.repo.ts';
import { type ConnectorOptions, createConnector, defaultConnectorOptions } from './connector.service.ts';
import { checkRequest, drop, waitFor } from './connector.test-helpers.ts';
import { connectorDirs } from './connector.writer.ts';

let central: TestCentral;
const cleanups: (() => Promise<void> | void)[] = [];

before(async () => {
  central = await createTestCentral(20);
  await central.start();
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await central.dispose();
});

function startConnector(options: Partial<ConnectorOptions> = {}, client?: CentralClient) {
  const root = mkdtempSync(join(tmpdir(), 'onshi-connector-'));
  const dirs = connectorDirs(root);
  const connector = (repo: ReturnType<typeof openConnectorRepo>) =>
    createConnector({
      dirs,
      repo,
      client: http,
      clock: { now: () => new Date() },
      options: { ...defaultConnectorOptions, settleMs: 50, scanMs: 100, ...options },
      onError: (error) => console.error(error),
    });
  const http =
    client ??
    createHttpsCentralClient({
      baseUrl: central.url,
      certFile: central.files.cert,
      keyFile: central.files.key,
      caFile: central.files.ca,
    });
  mkdirSync(dirs.state, { recursive: true });
  const repo = openConnectorRepo(join(dirs.state, 'state.db'));
  const running = connector(repo);
  running.start();
  cleanups.push(async () => {
    await running.stop();
    repo.close();
    http.close();
    rmSync(root, { recursive: true, force: true });
  });
  const result = (name: string) => {
    const path = join(dirs.res, name);
    return existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
  };
  return { dirs, repo, connector: running, result };
}

const decodeResult = (bytes: Uint8Array) => decodeMessage(bytes, qualificationConfirmResultSchema);
const declared = (bytes: Uint8Array) =>
  /encoding="([^"]+)"/.exec(Buffer.from(bytes.subarray(0, 80)).toString('latin1'))?.[1];

describe('connector: answers through central', () => {
  it('answers a UTF-8 request in res/ under the mirrored name and archives the request', async () => {
    const { dirs, result } = startConnector();
    drop(dirs.req, 'OQSsiquc01req_000000000001.xml', checkRequest(1001, 'utf-8', 'F1'));
    const bytes = await waitFor('result', () => result('OQSsiquc01res_000000000001.xml'));
    const answer = decodeResult(bytes);
    assert.equal(answer.MessageHeader.SegmentOfResult, '1');
    assert.equal(answer.MessageHeader.CharacterCodeIdentifier, '0');
    assert.equal(answer.MessageHeader.ArbitraryFileIdentifier, 'F1');
    assert.equal(answer.MessageBody.QualificationValidity, '1');
    assert.equal(answer.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.Name, '厚労　花子');
    await waitFor('archive', () => existsSync(join(dirs.done, 'OQSsiquc01req_000000000001.xml')));
    assert.deepEqual(readdirSync(dirs.req).sort(), ['.work', 'done', 'error']);
    assert.deepEqual(readdirSync(dirs.work), []);
    assert.deepEqual(readdirSync(dirs.res), ['OQSsiquc01res_000000000001.xml']);
  });

  for (const [requestEncoding, resultEncoding] of [
    ['shift_jis', 'utf-8'],
    ['utf-8', 'shift_jis'],
    ['shift_jis', 'shift_jis'],
  ] as [XmlEncoding, XmlEncoding][]) {
    it(`answers a ${requestEncoding} request in the configured ${resultEncoding}`, async () => {
      const { dirs, result } = startConnector({ resultEncoding });
      drop(dirs.req, 'OQSsiquc01req_sj.xml', checkRequest(1002, requestEncoding));
      const bytes = await waitFor('result', () => result('OQSsiquc01res_sj.xml'));
      assert.equal(declared(bytes), resultEncoding === 'utf-8' ? 'UTF-8' : 'Shift_JIS');
      const answer = decodeResult(bytes);
      assert.equal(answer.MessageHeader.CharacterCodeIdentifier, resultEncoding === 'utf-8' ? '0' : '1');
      assert.equal(answer.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.Name, '厚労　花子');
    });
  }

  it('reads elements in any order', async () => {
    const { dirs, result } = startConnector();
    const xml = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<XmlMsg><MessageBody><QualificationConfirmSearchInfo>
<LimitApplicationCertificateRelatedConsFlg>0</LimitApplicationCertificateRelatedConsFlg>
<Birthdate>19900505</Birthdate><InsuredBranchNumber>00</InsuredBranchNumber>
<InsuredIdentificationNumber>1003</InsuredIdentificationNumber><InsuredCardSymbol>12</InsuredCardSymbol>
<InsurerNumber>${insurer}</InsurerNumber></QualificationConfirmSearchInfo></MessageBody>
<MessageHeader><MedicalInstitutionCode>${institution}</MedicalInstitutionCode>
<QualificationConfirmationDate>20260401</QualificationConfirmationDate></MessageHeader></XmlMsg>`;
    drop(dirs.req, 'OQSsiquc01req_shuffled.xml', xml);
    const answer = decodeResult(await waitFor('result', () => result('OQSsiquc01res_shuffled.xml')));
    assert.equal(answer.MessageHeader.SegmentOfResult, '1');
    assert.equal(answer.MessageBody.QualificationValidity, '1');
  });

  it('waits for a file written in place to stop growing', async () => {
    // Written over longer than the settle time, with pauses far shorter than it: the connector
    // must wait for the size to stay put, not just for a while. The margin (150 ms pauses against
    // 1.5 s) keeps the test honest on a loaded machine, where timers fire late.
    const { dirs, result } = startConnector({ settleMs: 1500 });
    const whole = Buffer.from(checkRequest(1004));
    const path = join(dirs.req, 'OQSsiquc01req_slow.xml');
    const step = Math.ceil(whole.length / 16);
    writeFileSync(path, whole.subarray(0, step));
    for (let at = step; at < whole.length; at += step) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      appendFileSync(path, whole.subarray(at, at + step));
    }
    const answer = decodeResult(await waitFor('result', () => result('OQSsiquc01res_slow.xml')));
    assert.equal(answer.MessageHeader.SegmentOfResult, '1');
  });

  it("passes central's own answers through: not found, and an error result (other institution)", async () => {
    const { dirs, result } = startConnector();
    drop(dirs.req, 'OQSsiquc01req_nf.xml', checkRequest(9999));
    const other = Buffer.from(checkRequest(1005)).toString('utf8').replace(institution, '1310123466');
    drop(dirs.req, 'OQSsiquc01req_other.xml', other);
    const notFound = decodeResult(await waitFor('result', () => result('OQSsiquc01res_nf.xml')));
    assert.equal(notFound.MessageBody.ProcessingResultCode, 'ELIGIBILITY_NOT_FOUND');
    const refused = decodeResult(await waitFor('result', () => result('OQSsiquc01res_other.xml')));
    assert.equal(refused.MessageHeader.SegmentOfResult, '9');
    assert.equal(refused.MessageHeader.ErrorCode, 'AUTH_INSTITUTION_MISMATCH');
    await waitFor('archive', () => existsSync(join(dirs.done, 'OQSsiquc01req_other.xml')));
    assert.ok(existsSync(join(dirs.done, 'OQSsiquc01req_nf.xml')));
  });
});

const sjisBytesDeclaredUtf8 = Buffer.concat([
  Buffer.from('<?xml version="1.0" encoding="UTF-8"?><XmlMsg><MessageHeader><X>'),
  Buffer.from([0x8c, 0x9a, 0x98, 0x4a]),
  Buffer.from('</X></MessageHeader></XmlMsg>'),
]);
const bomb = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<XmlMsg><MessageHeader><MedicalInstitutionCode>${institution}</MedicalInstitutionCode></MessageHeader>
<MessageBody>&lol2;</MessageBody></XmlMsg>`;

const refusals: [what: string, name: string, content: string | Uint8Array, code: string][] = [
  ['bad XML', 'OQSsiquc01req_bad.xml', '<XmlMsg><MessageHeader></XmlMsg>', 'XML_MALFORMED'],
  ['an XML bomb (DOCTYPE)', 'OQSsiquc01req_bomb.xml', bomb, 'XML_DOCTYPE_FORBIDDEN'],
  [
    'bytes not in the declared encoding',
    'OQSsiquc01req_enc.xml',
    sjisBytesDeclaredUtf8,
    'XML_ENCODING_INVALID_BYTES',
  ],
  ['a missing required element', 'OQSsiimm01req_noref.xml', checkRequest(1001), 'MSG_FIELD_REQUIRED'],
  ['an unknown file name', 'hello.xml', checkRequest(1001), 'CONNECTOR_FILE_NAME_UNKNOWN'],
  [
    'an interface central does not offer',
    'OQSmutic01req_tic.xml',
    checkRequest(1001),
    'CONNECTOR_INTERFACE_NOT_AVAILABLE',
  ],
  [
    'a download request without its 受付番号',
    'OQSmuquc02req_dl.xml',
    checkRequest(1001, 'shift_jis'),
    'MSG_FIELD_REQUIRED',
  ],
];

describe('connector: answers malformed and unsupported requests with an error result', () => {
  for (const [what, name, content, code] of refusals) {
    it(`${what} → SegmentOfResult 9, ${code}, request kept in req/error/`, async () => {
      const { dirs, result, repo } = startConnector({ resultEncoding: 'shift_jis' });
      drop(dirs.req, name, content);
      const resultName = name === 'hello.xml' ? 'hello_res.xml' : name.replace('req', 'res');
      const answer = decodeResult(await waitFor('error result', () => result(resultName)));
      assert.equal(answer.MessageHeader.SegmentOfResult, '9');
      assert.equal(answer.MessageHeader.ErrorCode, code);
      assert.ok((answer.MessageHeader.ErrorMessage ?? '').length > 0);
      assert.equal(answer.MessageHeader.CharacterCodeIdentifier, '1');
      await waitFor('kept', () => existsSync(join(dirs.error, name)));
      assert.deepEqual(readFileSync(join(dirs.error, name)), Buffer.from(content));
      assert.equal(repo.counts().errors, 1);
    });
  }
});
