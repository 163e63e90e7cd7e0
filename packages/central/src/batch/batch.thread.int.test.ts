/**
 * The batch thread (central started on a store URL, as the CLI starts it), on SQLite and
 * PostgreSQL: a Shift_JIS upload decoded and stored in the thread, its rows answered by the
 * thread's worker on its own connection, the 02res built there and sent back in Shift_JIS, the
 * same as JSON, a duplicate upload, a refusal formatted by the route (Shift_JIS XML error), an
 * audit record per answered row, and a clean stop.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
import { createTestStore, dialects, type TestStore } from '../test/stores.ts';
import { batchPaths } from './batch.routes.ts';

const { clinicA, clinicB, newJob, retired, changedJob, twins, withCertificates } = scenario;

for (const dialect of dialects) {
  describe(`batch thread [${dialect}]`, () => {
    let fixture: TestStore;
    let pki: TestPki;
    let server: RunningCentral;
    let client: TlsClient;
    let other: TlsClient;
    const post = (path: string, type: string, body: Uint8Array | string, as: TlsClient = client) =>
      httpsRequest(`${server.url}${path}`, as, { method: 'POST', headers: { 'content-type': type }, body });

    before(async () => {
      fixture = await createTestStore(dialect);
      await scenario.writeScenario(fixture.store);
      pki = await createTestPki();
      const config = loadConfig({
        ONSHI_STORE: fixture.url,
        ONSHI_PORT: '0',
        ONSHI_TLS_KEY_FILE: pki.files.keyFile,
        ONSHI_TLS_CERT_FILE: pki.files.certFile,
        ONSHI_CLIENT_CA_FILE: pki.files.clientCaFile,
        ONSHI_CRL_FILE: pki.files.crlFile,
      });
      assert.equal(config.batch.thread, true, 'the default');
      server = await startCentral(config, {
        clock: { now: () => new Date() },
        logger: createLogger(() => {}),
      });
      client = { ca: pki.serverCa, ...(await pki.client(clinicA)) };
      other = { ca: pki.serverCa, ...(await pki.client(clinicB)) };
    });
    after(async () => {
      await server?.close();
      pki?.dispose();
      await fixture?.dispose();
    });

    it('accepts, answers and serves a batch in the thread, in Shift_JIS and JSON', async () => {
      const cards = [newJob, retired, changedJob, { ...newJob, number: '9999' }, twins, withCertificates];
      const rows = cards.map((card, i) => ({
        ...scenario.request(card, { consent: '1' }).MessageBody.QualificationConfirmSearchInfo,
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
      assert.equal(answer.MessageHeader.NumberOfError, '1');
      const reception = answer.MessageBody.ReceptionNumber!;

      const again = await post(batchPaths.confirmUpload, 'application/xml', upload);
      const repeated = decodeMessage(new Uint8Array(again.body), bulkQualificationConfirmUploadResultSchema);
      assert.equal(repeated.MessageBody.ReceptionNumber, reception, 'a duplicate upload: the same 受付番号');

      const ask = (institution: string) =>
        encodeMessage(
          {
            MessageHeader: { MedicalInstitutionCode: institution },
            MessageBody: { ReceptionNumber: reception },
          },
          bulkQualificationConfirmDownloadRequestSchema,
          { encoding: 'shift_jis' },
        );
      let done: ReturnType<typeof decodeMessage<unknown>> & {
        MessageHeader: { SegmentOfResult: string; NumberOfNormalProcessing: string; NumberOfError: string };
        MessageBody: {
          BulkConfirmUnit?: { QualificationValidity?: string; ProcessingResultCode?: string }[];
        };
      };
      for (let attempt = 0; ; attempt++) {
        const response = await post(batchPaths.confirmResults, 'application/xml', ask(clinicA));
        assert.equal(response.status, 200);
        assert.match(String(response.headers['content-type']), /Shift_JIS/);
        done = decodeMessage(
          new Uint8Array(response.body),
          bulkQualificationConfirmResultSchema,
        ) as typeof done;
        if (done.MessageHeader.SegmentOfResult === '1') break;
        assert.ok(attempt < 200, 'the thread worker finishes the job');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.deepEqual(
        done.MessageBody.BulkConfirmUnit?.map((u) => u.QualificationValidity ?? u.ProcessingResultCode),
        ['1', '2', '3', '4', '5', '1', 'MSG_FIELD_REQUIRED'],
      );
      assert.equal(done.MessageHeader.NumberOfNormalProcessing, '6');
      assert.equal(done.MessageHeader.NumberOfError, '1');

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
      assert.equal(body.XmlMsg.MessageBody.BulkConfirmUnit.length, 7);
      assert.equal(
        body.XmlMsg.MessageBody.BulkConfirmUnit[5].ResultOfQualificationConfirmation
          .LimitApplicationCertificateChanged,
        '0',
      );

      const refused = await post(batchPaths.confirmResults, 'application/xml', ask(clinicB), other);
      assert.equal(refused.status, 404);
      assert.match(String(refused.headers['content-type']), /Shift_JIS/);
      const error = decodeMessage(new Uint8Array(refused.body), bulkQualificationConfirmResultSchema);
      assert.equal(error.MessageHeader.ErrorCode, 'BATCH_RECEPTION_NOT_FOUND');

      const audited = await fixture.store.get<{ n: number }>(
        'select count(*) as n from audit_records where reason = ?',
        [`一括照会 ${reception}`],
      );
      assert.equal(Number(audited?.n), 6, 'one audit record per answered row');
    });
  });
}
