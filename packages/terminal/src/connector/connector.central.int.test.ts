/**
 * The folder interfaces central answers beyond the single check, through a real central over mutual
 * TLS on SQLite and PostgreSQL: YZK 薬剤情報 and TKK 特定健診情報 (XML and PDF, refusals as error
 * results, the folder's 医療情報閲覧者 in central's audit), and the two-phase batches OQSmuquc and
 * OQSmuimm (01res with the 受付番号, 02res 処理中 then complete, the same 受付番号 for a re-sent
 * upload, Shift_JIS, a large 02res streamed to its temp file, a request over the size limit).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  bulkQualificationConfirmResultSchema,
  bulkQualificationConfirmUploadResultSchema,
  bulkReferenceNumberRegistrationResultSchema,
  bulkReferenceNumberRegistrationUploadResultSchema,
  checkupInformationResultSchema,
  decodeMessage,
  medicationInformationResultSchema,
} from '@onshi/core';
import type { MedinfoWorld } from '../../../central/src/medinfo/medinfo.fixture.ts';
import { forEachStore } from '../../../central/src/test/stores.ts';
import { createTestCentral, type TestCentral } from '../test/central.ts';
import { createHttpsCentralClient } from './connector.client.ts';
import { openConnectorRepo } from './connector.repo.ts';
import {
  type ConnectorOptions,
  createConnector,
  defaultConnectorOptions,
  type ViewerLookup,
} from './connector.service.ts';
import {
  bulkCheckRequest,
  bulkRegisterRequest,
  downloadRequest,
  drop,
  medinfoRequest,
  waitFor,
} from './connector.test-helpers.ts';
import { connectorDirs } from './connector.writer.ts';

const users: Record<string, { role: string; disabled: boolean }> = {
  'doctor.1': { role: 'viewer', disabled: false },
  clerk: { role: 'clerk', disabled: false },
};
const viewers: ViewerLookup = (login) => users[login];
const declared = (bytes: Uint8Array) =>
  /encoding="([^"]+)"/.exec(Buffer.from(bytes.subarray(0, 80)).toString('latin1'))?.[1];

forEachStore('connector: YZK/TKK and batch files through central', (store) => {
  let central: TestCentral;
  let world: MedinfoWorld;
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    central = await createTestCentral(20, { store: store(), batchWorker: false });
    world = await central.seedMedinfo();
    await central.start();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await central.dispose();
  });

  function startConnector(options: Partial<ConnectorOptions> = {}) {
    const root = mkdtempSync(join(tmpdir(), 'onshi-connector-kinds-'));
    const dirs = connectorDirs(root);
    const http = createHttpsCentralClient({
      baseUrl: central.url,
      certFile: central.files.cert,
      keyFile: central.files.key,
      caFile: central.files.ca,
    });
    mkdirSync(dirs.state, { recursive: true });
    const repo = openConnectorRepo(join(dirs.state, 'state.db'));
    const connector = createConnector({
      dirs,
      repo,
      client: http,
      clock: { now: () => new Date() },
      options: { ...defaultConnectorOptions, settleMs: 50, scanMs: 100, medinfoUser: 'doctor.1', ...options },
      onError: (error) => console.error(error),
      viewers,
    });
    connector.start();
    cleanups.push(async () => {
      await connector.stop();
      repo.close();
      http.close();
      rmSync(root, { recursive: true, force: true });
    });
    const result = (name: string) => {
      const path = join(dirs.res, name);
      return existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
    };
    /** Waits for a result, then for its request to be archived (the row done). */
    const answered = async (name: string, request: string, folder: 'done' | 'error' = 'done') => {
      const bytes = await waitFor(name, () => result(name));
      await waitFor(`${request} archived`, () => existsSync(join(dirs[folder], request)));
      return bytes;
    };
    return { dirs, repo, result, answered };
  }

  const auditUsers = async (action: string) =>
    (
      await store().all<{ terminal_user: string | null }>(
        'select terminal_user from audit_records where action = ? order by seq',
        [action],
      )
    ).map((r) => r.terminal_user);

  describe('YZK 薬剤情報 and TKK 特定健診情報', () => {
    it('YZK with a live consent → XML result with the medications, viewed as the folder viewer', async () => {
      const { dirs, answered } = startConnector();
      const before = (await auditUsers('view-medication')).length;
      drop(
        dirs.req,
        'YZKsiquc01req_0001.xml',
        medinfoRequest('medications', world.alice, { fileCategory: '2' }),
      );
      const bytes = await answered('YZKsiquc01res_0001.xml', 'YZKsiquc01req_0001.xml');
      const result = decodeMessage(bytes, medicationInformationResultSchema);
      assert.equal(result.MessageHeader.SegmentOfResult, '1');
      assert.equal(result.MessageBody.ResultCode, '1');
      assert.equal(result.MessageHeader.QuaInf?.Name, '試験　有栖');
      const drugs = (result.MessageBody.MeTrMonthInf ?? []).flatMap((m) =>
        m.DiDateInfs.DiDateInf.flatMap((d) => d.DrugInfs.DrugInf.map((drug) => drug.DrugN)),
      );
      assert.ok(drugs.length >= 3, drugs.join(', '));
      const audited = await auditUsers('view-medication');
      assert.deepEqual(audited.slice(before), ['doctor.1']);
      assert.deepEqual(readdirSync(dirs.res), ['YZKsiquc01res_0001.xml']);
    });

    it('FileCategory 1 → a .pdf result starting with %PDF, written atomically', async () => {
      const { dirs, answered } = startConnector();
      drop(
        dirs.req,
        'YZKsiquc01req_pdf.xml',
        medinfoRequest('medications', world.alice, { fileCategory: '1' }),
      );
      drop(dirs.req, 'TKKsiquc01req_pdf.xml', medinfoRequest('checkups', world.alice, { fileCategory: '1' }));
      for (const prefix of ['YZK', 'TKK']) {
        const pdf = await answered(`${prefix}siquc01res_pdf.pdf`, `${prefix}siquc01req_pdf.xml`);
        assert.equal(Buffer.from(pdf.subarray(0, 5)).toString('latin1'), '%PDF-');
        assert.match(Buffer.from(pdf.subarray(-16)).toString('latin1'), /%%EOF\s*$/);
      }
      assert.deepEqual(readdirSync(dirs.res).sort(), ['TKKsiquc01res_pdf.pdf', 'YZKsiquc01res_pdf.pdf']);
    });

    it('TKK with a live consent → XML result with the examinations', async () => {
      const { dirs, answered } = startConnector();
      drop(
        dirs.req,
        'TKKsiquc01req_0001.xml',
        medinfoRequest('checkups', world.alice, { fileCategory: '2' }),
      );
      const bytes = await answered('TKKsiquc01res_0001.xml', 'TKKsiquc01req_0001.xml');
      const result = decodeMessage(bytes, checkupInformationResultSchema);
      assert.equal(result.MessageBody.ResultCode, '1');
      assert.ok((result.MessageBody.SpecificHealthCheckupInfo ?? []).length >= 1);
      assert.equal(result.MessageHeader.QualificationsInfo?.Name, '試験　有栖');
    });

    it('no consent → an XML error result with the code (also when a PDF was asked for)', async () => {
      const { dirs, answered } = startConnector();
      drop(
        dirs.req,
        'YZKsiquc01req_bob.xml',
        medinfoRequest('medications', world.bob, { fileCategory: '1' }),
      );
      drop(dirs.req, 'TKKsiquc01req_bob.xml', medinfoRequest('checkups', world.bob, { fileCategory: '2' }));
      const yzk = decodeMessage(
        await answered('YZKsiquc01res_bob.xml', 'YZKsiquc01req_bob.xml'),
        medicationInformationResultSchema,
      );
      assert.equal(yzk.MessageHeader.SegmentOfResult, '9');
      assert.equal(yzk.MessageHeader.ErrorCode, 'MEDINFO_CONSENT_NONE');
      assert.equal(yzk.MessageBody.ResultCode, '2');
      const tkk = decodeMessage(
        await answered('TKKsiquc01res_bob.xml', 'TKKsiquc01req_bob.xml'),
        checkupInformationResultSchema,
      );
      assert.equal(tkk.MessageHeader.ErrorCode, 'MEDINFO_CONSENT_NONE');
      assert.ok(!existsSync(join(dirs.res, 'YZKsiquc01res_bob.pdf')));
    });

    it('Shift_JIS request, Shift_JIS result setting → Shift_JIS result with the Japanese names', async () => {
      const { dirs, answered } = startConnector({ resultEncoding: 'shift_jis' });
      const request = medinfoRequest('medications', world.alice, {
        fileCategory: '2',
        encoding: 'shift_jis',
      });
      drop(dirs.req, 'YZKsiquc01req_sj.xml', request);
      const bytes = await answered('YZKsiquc01res_sj.xml', 'YZKsiquc01req_sj.xml');
      assert.equal(declared(bytes), 'Shift_JIS');
      const result = decodeMessage(bytes, medicationInformationResultSchema);
      assert.equal(result.MessageHeader.CharacterCodeIdentifier, '1');
      assert.equal(result.MessageHeader.QuaInf?.Name, '試験　有栖');
    });

    it('without a folder viewer, or with a clerk named, → a coded refusal, nothing sent to central', async () => {
      const before = (await auditUsers('view-medication')).length;
      const unset = startConnector({ medinfoUser: undefined });
      drop(unset.dirs.req, 'YZKsiquc01req_x.xml', medinfoRequest('medications', world.alice));
      const refused = decodeMessage(
        await unset.answered('YZKsiquc01res_x.xml', 'YZKsiquc01req_x.xml', 'error'),
        medicationInformationResultSchema,
      );
      assert.equal(refused.MessageHeader.ErrorCode, 'CONNECTOR_MEDINFO_USER_NOT_SET');
      assert.equal(refused.MessageBody.ResultCode, '2');
      const clerk = startConnector({ medinfoUser: 'clerk' });
      drop(clerk.dirs.req, 'TKKsiquc01req_x.xml', medinfoRequest('checkups', world.alice));
      const invalid = decodeMessage(
        await clerk.answered('TKKsiquc01res_x.xml', 'TKKsiquc01req_x.xml', 'error'),
        checkupInformationResultSchema,
      );
      assert.equal(invalid.MessageHeader.ErrorCode, 'CONNECTOR_MEDINFO_USER_INVALID');
      assert.equal((await auditUsers('view-medication')).length, before);
    });
  });

  describe('batches: OQSmuquc (一括照会) and OQSmuimm (照会番号一括登録)', () => {
    it('OQSmuquc01 → 01res with the 受付番号; 02 while processing → SegmentOfResult 2; later → every unit', async () => {
      const { dirs, answered } = startConnector();
      const upload = bulkCheckRequest([1000, 1001, 9999], 'shift_jis', 'Q1');
      drop(dirs.req, 'OQSmuquc01req_Q1.xml', upload);
      const first = await answered('OQSmuquc01res_Q1.xml', 'OQSmuquc01req_Q1.xml');
      assert.equal(declared(first), 'Shift_JIS', "the request's encoding");
      const accepted = decodeMessage(first, bulkQualificationConfirmUploadResultSchema);
      assert.equal(accepted.MessageHeader.SegmentOfResult, '1');
      assert.equal(accepted.MessageHeader.CharacterCodeIdentifier, '1');
      const reception = accepted.MessageBody.ReceptionNumber!;
      assert.match(reception, /^\d+$/);

      drop(dirs.req, 'OQSmuquc02req_Q1a.xml', downloadRequest('quc', reception, 'shift_jis'));
      const waiting = decodeMessage(
        await answered('OQSmuquc02res_Q1a.xml', 'OQSmuquc02req_Q1a.xml'),
        bulkQualificationConfirmResultSchema,
      );
      assert.equal(waiting.MessageHeader.SegmentOfResult, '2');
      assert.equal(waiting.MessageBody.BulkConfirmUnit, undefined);

      // The same upload again (a client re-sending after a crash): the same 受付番号.
      drop(dirs.req, 'OQSmuquc01req_Q1.xml', upload);
      await waitFor('second archive', () => readdirSync(dirs.done).length === 3);
      const again = decodeMessage(
        readFileSync(join(dirs.res, 'OQSmuquc01res_Q1.xml')),
        bulkQualificationConfirmUploadResultSchema,
      );
      assert.equal(again.MessageBody.ReceptionNumber, reception);

      await central.drainBatches();
      drop(dirs.req, 'OQSmuquc02req_Q1b.xml', downloadRequest('quc', reception, 'shift_jis'));
      const bytes = await answered('OQSmuquc02res_Q1b.xml', 'OQSmuquc02req_Q1b.xml');
      assert.equal(declared(bytes), 'Shift_JIS');
      const done = decodeMessage(bytes, bulkQualificationConfirmResultSchema);
      assert.equal(done.MessageHeader.SegmentOfResult, '1');
      assert.equal(done.MessageHeader.NumberOfProcessingResult, '3');
      const units = done.MessageBody.BulkConfirmUnit ?? [];
      assert.deepEqual(
        units.map((u) => u.QualificationConfirmSearchInfo?.ArbitraryIdentifier),
        ['行1', '行2', '行3'],
      );
      assert.equal(units[0]?.ResultOfQualificationConfirmation?.Name, '厚労　花子');
      assert.equal(units[2]?.ProcessingResultCode, 'ELIGIBILITY_NOT_FOUND');
    });

    it('OQSmuimm01 → 01res; 02 → 処理中, then every registration', async () => {
      const { dirs, answered } = startConnector();
      drop(dirs.req, 'OQSmuimm01req_M1.xml', bulkRegisterRequest([1002, 1003, 9998], 'utf-8', 'M1'));
      const accepted = decodeMessage(
        await answered('OQSmuimm01res_M1.xml', 'OQSmuimm01req_M1.xml'),
        bulkReferenceNumberRegistrationUploadResultSchema,
      );
      const reception = accepted.MessageBody.ReceptionNumber!;
      drop(dirs.req, 'OQSmuimm02req_M1a.xml', downloadRequest('imm', reception));
      const waiting = decodeMessage(
        await answered('OQSmuimm02res_M1a.xml', 'OQSmuimm02req_M1a.xml'),
        bulkReferenceNumberRegistrationResultSchema,
      );
      assert.equal(waiting.MessageHeader.SegmentOfResult, '2');
      await central.drainBatches();
      drop(dirs.req, 'OQSmuimm02req_M1b.xml', downloadRequest('imm', reception));
      const done = decodeMessage(
        await answered('OQSmuimm02res_M1b.xml', 'OQSmuimm02req_M1b.xml'),
        bulkReferenceNumberRegistrationResultSchema,
      );
      assert.equal(done.MessageHeader.SegmentOfResult, '1');
      const units = done.MessageBody.BulkConfirmUnit ?? [];
      assert.deepEqual(
        units.map((u) => u.ProcessingResultStatus),
        ['1', '1', '2'],
      );
      assert.equal(units[2]?.ProcessingResultCode, 'REFERENCE_NUMBER_TARGET_NOT_FOUND');
    });

    it('a large 02res is streamed into its temp file and published whole', async () => {
      const { dirs, answered, repo } = startConnector({ spoolBytes: 16 * 1024 });
      const cards = Array.from({ length: 600 }, (_, i) => 1000 + (i % 20));
      drop(dirs.req, 'OQSmuquc01req_big.xml', bulkCheckRequest(cards, 'utf-8', 'BIG'));
      const accepted = decodeMessage(
        await answered('OQSmuquc01res_big.xml', 'OQSmuquc01req_big.xml'),
        bulkQualificationConfirmUploadResultSchema,
      );
      await central.drainBatches();
      drop(dirs.req, 'OQSmuquc02req_big.xml', downloadRequest('quc', accepted.MessageBody.ReceptionNumber!));
      const bytes = await answered('OQSmuquc02res_big.xml', 'OQSmuquc02req_big.xml');
      assert.ok(bytes.length > 16 * 1024 * 10, `${bytes.length} bytes`);
      const done = decodeMessage(bytes, bulkQualificationConfirmResultSchema);
      assert.equal(done.MessageBody.BulkConfirmUnit?.length, 600);
      const row = repo.listInState('done').find((r) => r.name === 'OQSmuquc02req_big.xml');
      assert.equal(row?.resultSize, bytes.length, 'went through the spool');
      assert.deepEqual(readdirSync(dirs.res).sort(), ['OQSmuquc01res_big.xml', 'OQSmuquc02res_big.xml']);
    });

    it('a request file over the size limit → CONNECTOR_REQUEST_TOO_LARGE, not sent', async () => {
      const { dirs, answered } = startConnector({ maxRequestBytes: 2048 });
      const cards = Array.from({ length: 40 }, (_, i) => 1000 + (i % 20));
      drop(dirs.req, 'OQSmuquc01req_huge.xml', bulkCheckRequest(cards));
      const refused = decodeMessage(
        await answered('OQSmuquc01res_huge.xml', 'OQSmuquc01req_huge.xml', 'error'),
        bulkQualificationConfirmUploadResultSchema,
      );
      assert.equal(refused.MessageHeader.SegmentOfResult, '9');
      assert.equal(refused.MessageHeader.ErrorCode, 'CONNECTOR_REQUEST_TOO_LARGE');
      assert.deepEqual(
        readFileSync(join(dirs.error, 'OQSmuquc01req_huge.xml')),
        Buffer.from(bulkCheckRequest(cards)),
      );
    });
  });
});
