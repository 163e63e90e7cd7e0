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
import type { HttpRequest } from '../http/types.ts';
import { createLogger } from '../log.ts';
import { openStore, type Store } from '../store/store.ts';
import { createTestPki, type TestPki } from '../test/pki.ts';
import { createTestStore, dialects, type TestStore } from '../test/stores.ts';
import { batchPaths } from './batch.routes.ts';
import { startBatch } from './batch.start.ts';
import { startBatchThread } from './batch.thread.ts';

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
        ...pki.env,
      });
      assert.equal(config.batch.thread, true, 'the default');
      assert.ok(config.batch.answerThreads >= 1, 'the default: rows looked up in answer threads');
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

    it('starts a new thread after one died; a request in flight is answered with an error', async () => {
      const config = loadConfig({ ONSHI_STORE: fixture.url });
      const thread = await startBatchThread(
        { storeUrl: fixture.url, batch: config.batch, maxMessageBytes: config.maxMessageBytes, nice: 0 },
        createLogger(() => {}),
      );
      const ask = (): HttpRequest => ({
        method: 'POST',
        path: batchPaths.confirmResults,
        query: new URLSearchParams(),
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(
          JSON.stringify({
            XmlMsg: {
              MessageHeader: { MedicalInstitutionCode: clinicA },
              MessageBody: { ReceptionNumber: '1' },
            },
          }),
        ),
        requestId: 'test',
        institution: { code: clinicA, serial: '01' },
      });
      try {
        assert.equal((await thread.forward(ask())).status, 404);
        const inFlight = thread.forward(ask());
        await thread.kill();
        await inFlight.then(
          (reply) => assert.equal(reply.status, 404, 'answered before the thread ended'),
          (error: unknown) => assert.match(String(error), /batch thread exited/),
        );
        await new Promise((resolve) => setTimeout(resolve, 1500));
        assert.equal((await thread.forward(ask())).status, 404, 'a new thread answers');
      } finally {
        await thread.stop();
      }
    });

    if (dialect === 'sqlite') {
      it('checkpoints the WAL in the thread while it runs, on the API connection again once it is gone', async () => {
        const autocheckpoint = (store: Store) =>
          Number(Object.values(store.raw.sqlite!.prepare('pragma wal_autocheckpoint').get()!)[0]);
        assert.equal(autocheckpoint(server.store), 0, 'the thread checkpoints for the process');
        const own = openStore(fixture.url);
        try {
          const config = loadConfig({ ONSHI_STORE: fixture.url, ONSHI_BATCH_WORKER: '0' });
          const batch = await startBatch(config, {
            store: own,
            shareStore: false,
            clock: { now: () => new Date() },
            logger: createLogger(() => {}),
          });
          assert.ok(batch.forward !== undefined, 'served by a thread');
          assert.equal(autocheckpoint(own), 0);
          await batch.stop();
          assert.equal(autocheckpoint(own), 1000);
        } finally {
          await own.close();
        }
      });
    }
  });
}
