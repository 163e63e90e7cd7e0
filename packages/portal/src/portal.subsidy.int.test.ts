/**
 * The subsidy application that succeeds, on SQLite and PostgreSQL, with the portal's clock in 2022
 * (inside the seed programme's deadlines: work finished by 2023-03-31, applied for by 2023-06-30):
 * a clinic applies for its reader, the operator approves it, the work is finished, the clinic
 * submits the three documents and its costs → the amount is `estimateSubsidy`'s → the operator sees
 * the documents and approves → the clinic sees it approved with the amount; the checklist ticks.
 * Then the same form after the deadline is refused and nothing is stored.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { testClock } from '@onshi/pki/test-support';
import { forEachStore } from '../../central/src/test/stores.ts';
import { estimateSubsidy, seedProgramme } from './subsidy/index.ts';
import {
  approveSubmitted,
  type Client,
  operatorClient,
  type PortalFixture,
  registeredInstitution,
  startTestPortal,
} from './test/portal-fixture.ts';

const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);

const form = {
  items: [
    { category: 'terminal-pc', description: '資格確認端末', amountYen: 300_000 },
    { category: 'network', description: 'ルータ・VPN 設定', amountYen: 100_000 },
    { category: 'system-changes', description: 'レセコン改修', amountYen: 50_000 },
  ],
  completedOn: '2022-08-31',
  documents: {
    receipt: { name: '領収書.pdf', data: pdf.toString('base64') },
    receiptBreakdown: { name: '内訳書.jpg', data: jpeg.toString('base64') },
    completionReport: { name: '完了報告書.pdf', data: pdf.toString('base64') },
  },
};

forEachStore('portal subsidy (clock in 2022)', (store) => {
  const clock = testClock('2022-04-01T01:00:00Z'); // 2022-04-01 10:00 JST
  let f: PortalFixture;
  let inst: Client;
  let op: Client;
  before(async () => {
    // The clock jumps months here; sessions that outlive it (their expiry: portal.auth.int.test.ts).
    f = await startTestPortal(store(), clock, { sessionTtlMs: 2 * 365 * 86_400_000 });
    inst = await registeredInstitution(f.portal.url, { email: 'subsidy@example.jp', kind: 'clinic' });
    op = await operatorClient(f.portal.operatorUrl!);
  });
  after(async () => {
    await f?.dispose();
  });

  const count = async (table: string) =>
    Number((await store().get<{ n: number }>(`select count(*) as n from ${table}`))!.n);

  let subsidyId = 0;
  const expected = estimateSubsidy(seedProgramme, {
    kind: 'clinic',
    readers: 1,
    costYen: 450_000,
    readerAppliedOn: '2022-04-01',
    completedOn: '2022-08-31',
    subsidyAppliedOn: '2022-09-01',
  });

  it('no reader yet: nothing subsidised (PORTAL_READER_REQUIRED)', async () => {
    clock.set('2022-09-01T01:00:00Z');
    assert.equal(
      (await inst.call('POST', '/api/applications/subsidy', form)).json.code,
      'PORTAL_READER_REQUIRED',
    );
    clock.set('2022-04-01T01:00:00Z');
  });

  it('the reader applied for on 2022-04-01 is approved', async () => {
    assert.equal((await inst.call('POST', '/api/applications/reader', { quantity: 1 })).status, 201);
    await approveSubmitted(op, 'reader');
  });

  it('after the work, the three documents and the costs: the amount is estimateSubsidy’s', async () => {
    clock.set('2022-09-01T01:00:00Z'); // applied for on 2022-09-01 (JST)
    // Readers applied for after 2021-03-31: the 見直し前 row, 3/4 of the cost up to 429,000 yen.
    assert.equal(expected.eligible, true);
    assert.equal(expected.subsidy, 321_750);
    const estimate = (await inst.call('POST', '/api/subsidy/estimate', form)).json;
    assert.equal(estimate.subsidy, expected.subsidy);
    assert.equal(estimate.eligible, true);
    const res = await inst.call('POST', '/api/applications/subsidy', form);
    assert.equal(res.status, 201, JSON.stringify(res.json));
    subsidyId = res.json.id;
    assert.equal(res.json.status, 'submitted');
    assert.equal(res.json.payload.subsidyYen, expected.subsidy);
    assert.equal(res.json.payload.costYen, 450_000);
    assert.equal(res.json.payload.readers, 1);
    assert.equal(res.json.payload.programme, seedProgramme.id);
    assert.deepEqual(res.json.payload.estimate, JSON.parse(JSON.stringify(expected)));
    assert.equal(await count('portal_documents'), 3);
  });

  it('the operator sees the documents, downloads one and approves; the institution sees it', async () => {
    const queue = (await op.call('GET', '/api/applications?status=submitted&kind=subsidy')).json.applications;
    assert.equal(queue.length, 1);
    const app = queue[0];
    assert.equal(app.id, subsidyId);
    assert.equal(app.payload.subsidyYen, expected.subsidy);
    assert.equal(app.institution.institutionCode, '1310123458');
    assert.deepEqual(
      app.documents.map((d: { kind: string; fileName: string; mediaType: string }) => [
        d.kind,
        d.fileName,
        d.mediaType,
      ]),
      [
        ['receipt', '領収書.pdf', 'application/pdf'],
        ['receiptBreakdown', '内訳書.jpg', 'image/jpeg'],
        ['completionReport', '完了報告書.pdf', 'application/pdf'],
      ],
    );
    const breakdown = app.documents.find((d: { kind: string }) => d.kind === 'receiptBreakdown');
    const download = await op.call('GET', `/api/documents/${breakdown.id}`);
    assert.equal(download.headers.get('content-type'), 'image/jpeg');
    clock.set('2022-09-15T01:00:00Z');
    const approved = await op.call('POST', `/api/applications/${subsidyId}/approve`, {});
    assert.equal(approved.json.status, 'approved');
    assert.equal(approved.json.decidedBy, 'operator');

    const mine = (await inst.call('GET', '/api/applications')).json.applications;
    const subsidy = mine.find((a: { id: number }) => a.id === subsidyId);
    assert.equal(subsidy.kind, 'subsidy');
    assert.equal(subsidy.status, 'approved');
    assert.equal(subsidy.payload.subsidyYen, 321_750);
    assert.equal(subsidy.decidedAt, '2022-09-15T01:00:00.000Z');
    assert.equal(subsidy.documents.length, 3);
    const own = await fetch(`${f.portal.url}/api/documents/${subsidy.documents[0].id}`);
    assert.equal(own.status, 401); // not without the session
    assert.equal((await inst.call('GET', `/api/documents/${subsidy.documents[0].id}`)).status, 200);
    const checklist = (await inst.call('GET', '/api/checklist')).json;
    assert.equal(checklist.steps.find((s: { id: string }) => s.id === 'subsidy').done, true);
  });

  it('the same form after the application deadline (2023-06-30) is refused, nothing stored', async () => {
    clock.set('2023-07-01T01:00:00Z');
    const apps = await count('portal_applications');
    const res = await inst.call('POST', '/api/applications/subsidy', form);
    assert.equal(res.json.code, 'PORTAL_SUBSIDY_INELIGIBLE');
    assert.match(res.json.message, /2023-06-30/);
    assert.equal(await count('portal_applications'), apps);
    assert.equal(await count('portal_documents'), 3);
  });
});
