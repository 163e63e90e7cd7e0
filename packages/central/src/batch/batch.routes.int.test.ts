/**
 * The batch routes over HTTPS with client certificates, on SQLite and PostgreSQL: a Shift_JIS
 * OQSmuquc01req answered in Shift_JIS with its 受付番号, 処理中 then the units as XML and as JSON,
 * and another institution's certificate refused with BATCH_RECEPTION_NOT_FOUND.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  bulkQualificationConfirmDownloadRequestSchema,
  bulkQualificationConfirmRequestSchema,
  bulkQualificationConfirmResultSchema,
  bulkQualificationConfirmUploadResultSchema,
  decodeMessage,
  encodeMessage,
} from '@onshi/core';
import { type RunningCentral, startCentral } from '../central.ts';
import { httpsRequest, type TlsClient } from '../client/https-client.ts';
import { loadConfig } from '../config.ts';
import * as scenario from '../eligibility/eligibility.scenario.ts';
import { createLogger } from '../log.ts';
import { createTestPki, type TestPki } from '../test/pki.ts';
import { forEachStore } from '../test/stores.ts';
import { batchPaths } from './batch.routes.ts';
import { createBatchWorker } from './batch.worker.ts';

const { clinicA, clinicB, newJob, retired } = scenario;

forEachStore('batch routes over HTTPS', (store) => {
  let pki: TestPki;
  let server: RunningCentral;
  let client: TlsClient;
  let other: TlsClient;
  const post = (path: string, type: string, body: Uint8Array | string, as: TlsClient = client) =>
    httpsRequest(`${server.url}${path}`, as, { method: 'POST', headers: { 'content-type': type }, body });

  before(async () => {
    await scenario.writeScenario(store());
    pki = await createTestPki();
    const config = loadConfig({
      ONSHI_PORT: '0',
      ...pki.env,
      // The test drives the worker itself, to see 処理中 before the rows are answered.
      ONSHI_BATCH_WORKER: '0',
    });
    server = await startCentral(config, {
      store: store(),
      clock: { now: () => new Date() },
      logger: createLogger(() => {}),
    });
    client = { ca: pki.serverCa, ...(await pki.client(clinicA)) };
    other = { ca: pki.serverCa, ...(await pki.client(clinicB)) };
  });
  after(async () => {
    await server.close();
    pki.dispose();
  });

  it('takes a Shift_JIS upload, says 処理中, then answers the units in XML and JSON, to the uploader only', async () => {
    const rows = [newJob, retired].map((card, i) => ({
      ...scenario.request(card).MessageBody.QualificationConfirmSearchInfo,
      ArbitraryIdentifier: `p${i}`,
    }));
    const upload = encodeMessage(
      {
        MessageHeader: { QualificationConfirmationDate: '20240601', MedicalInstitutionCode: clinicA },
        MessageBody: { QualificationConfirmSearchInfo: [...rows, { InsuredIdentificationNumber: '1' }] },
      },
      bulkQualificationConfirmRequestSchema,
      { encoding: 'shift_jis' },
    );
    const accepted = await post(batchPaths.confirmUpload, 'application/xml', upload);
    assert.equal(accepted.status, 200);
    assert.match(String(accepted.headers['content-type']), /Shift_JIS/);
    const answer = decodeMessage(new Uint8Array(accepted.body), bulkQualificationConfirmUploadResultSchema);
    assert.equal(answer.MessageHeader.CharacterCodeIdentifier, '1');
    assert.equal(answer.MessageHeader.NumberOfError, '1');
    const reception = answer.MessageBody.ReceptionNumber!;

    const ask = (institution: string) =>
      encodeMessage(
        {
          MessageHeader: { MedicalInstitutionCode: institution },
          MessageBody: { ReceptionNumber: reception },
        },
        bulkQualificationConfirmDownloadRequestSchema,
        { encoding: 'utf-8' },
      );
    const fetchXml = async () => {
      const response = await post(batchPaths.confirmResults, 'application/xml', ask(clinicA));
      return decodeMessage(new Uint8Array(response.body), bulkQualificationConfirmResultSchema);
    };
    assert.equal((await fetchXml()).MessageHeader.SegmentOfResult, '2');

    await createBatchWorker({
      store: store(),
      clock: { now: () => new Date() },
      chunkMillis: 10,
      leaseMs: 60_000,
      resultDays: 7,
      pollMs: 10,
    }).drain();

    const done = await fetchXml();
    assert.equal(done.MessageHeader.SegmentOfResult, '1');
    assert.deepEqual(
      done.MessageBody.BulkConfirmUnit?.map((u) => u.QualificationValidity ?? u.ProcessingResultCode),
      ['1', '2', 'MSG_FIELD_REQUIRED'],
    );
    const json = await post(
      batchPaths.confirmResults,
      'application/json',
      JSON.stringify({
        XmlMsg: {
          MessageHeader: { MedicalInstitutionCode: clinicA },
          MessageBody: { ReceptionNumber: reception },
        },
      }),
    );
    // biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answer
    const body = json.json() as any;
    assert.equal(body.XmlMsg.MessageHeader.NumberOfNormalProcessing, '2');
    assert.equal(body.XmlMsg.MessageBody.BulkConfirmUnit.length, 3);

    const refused = await post(batchPaths.confirmResults, 'application/xml', ask(clinicB), other);
    assert.equal(refused.status, 404);
    const error = decodeMessage(new Uint8Array(refused.body), bulkQualificationConfirmResultSchema);
    assert.equal(error.MessageHeader.SegmentOfResult, '9');
    assert.equal(error.MessageHeader.ErrorCode, 'BATCH_RECEPTION_NOT_FOUND');
    assert.equal(error.MessageBody.BulkConfirmUnit, undefined);
    const spoofed = await post(batchPaths.confirmResults, 'application/xml', ask(clinicA), other);
    assert.equal(spoofed.status, 403, 'the header must name the certificate institution');
  });
});
