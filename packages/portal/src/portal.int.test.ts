import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { recordSighting } from '@onshi/central';
import { jstDate } from '@onshi/core';
import { forEachStore } from '../../central/src/test/stores.ts';
import {
  type Client,
  client,
  mailedToken,
  operatorLogin,
  type PortalFixture,
  startTestPortal,
} from './test/portal-fixture.ts';

const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n').toString('base64');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64');

forEachStore('portal API', (store) => {
  let f: PortalFixture;
  before(async () => {
    f = await startTestPortal(store());
  });
  after(async () => {
    await f?.dispose();
  });

  const email = 'clinic@example.jp';
  const password = 'correct horse 42';
  let inst: Client;
  let op: Client;

  async function count(table: string): Promise<number> {
    return (await store().get<{ n: number }>(`select count(*) as n from ${table}`))!.n;
  }

  it('registers, refuses login until the mailed link is opened, then logs in', async () => {
    inst = client(f.portal.url);
    assert.equal(
      (await inst.call('POST', '/api/register', { email: 'not-an-address', password })).json.code,
      'PORTAL_EMAIL_INVALID',
    );
    assert.equal(
      (await inst.call('POST', '/api/register', { email, password: 'short' })).json.code,
      'PORTAL_PASSWORD_WEAK',
    );
    assert.equal((await inst.call('POST', '/api/register', { email, password })).status, 201);
    assert.equal(
      (await inst.call('POST', '/api/register', { email, password })).json.code,
      'PORTAL_EMAIL_TAKEN',
    );
    assert.equal(
      (await inst.call('POST', '/api/login', { email, password })).json.code,
      'PORTAL_EMAIL_NOT_VERIFIED',
    );
    const token = await mailedToken(f.portal.url, email, 'verify');
    assert.equal((await inst.call('POST', '/api/verify', { token })).json.email, email);
    assert.equal((await inst.call('POST', '/api/verify', { token })).json.code, 'PORTAL_TOKEN_INVALID');
    assert.equal(
      (await inst.call('POST', '/api/login', { email, password: 'wrong password' })).json.code,
      'PORTAL_LOGIN_FAILED',
    );
    const login = await inst.call('POST', '/api/login', { email, password });
    assert.equal(login.status, 200);
    assert.match(login.headers.get('set-cookie') ?? '', /HttpOnly; SameSite=Strict/);
    assert.equal((await inst.call('GET', '/api/me')).json.email, email);
  });

  it('refuses state changes without the CSRF header', async () => {
    const csrf = inst.csrf;
    inst.csrf = 'wrong';
    assert.equal((await inst.call('PUT', '/api/profile', {})).json.code, 'PORTAL_CSRF_INVALID');
    inst.csrf = csrf;
  });

  it('resets a password by the mailed link and ends old sessions', async () => {
    const other = client(f.portal.url);
    await other.call('POST', '/api/password-reset', { email });
    const token = await mailedToken(f.portal.url, email, 'reset');
    assert.equal(
      (await other.call('POST', '/api/password-reset/confirm', { token, password: 'x' })).json.code,
      'PORTAL_PASSWORD_WEAK',
    );
    assert.equal(
      (await other.call('POST', '/api/password-reset/confirm', { token, password: 'new password 42' }))
        .status,
      204,
    );
    assert.equal((await inst.call('GET', '/api/me')).json.code, 'PORTAL_SESSION_REQUIRED');
    assert.equal((await inst.call('POST', '/api/login', { email, password: 'new password 42' })).status, 200);
  });

  it('validates the profile: check digit, kind against the 点数表番号, prefecture, large-chain count', async () => {
    const base = {
      institutionCode: '1310123458',
      name: 'テスト医院',
      kind: 'clinic',
      municipalityCode: '131016',
    };
    const bad = async (change: object) =>
      (await inst.call('PUT', '/api/profile', { ...base, ...change })).json.code;
    assert.equal(await bad({ institutionCode: '1310123457' }), 'INSTITUTION_CODE_INVALID');
    assert.equal(await bad({ kind: 'dental' }), 'PORTAL_KIND_MISMATCH');
    assert.equal(await bad({ municipalityCode: '271004' }), 'PORTAL_PREFECTURE_MISMATCH');
    assert.equal(await bad({ municipalityCode: '131015' }), 'MUNICIPALITY_CODE_INVALID');
    assert.equal(await count('portal_institutions'), 0);
    assert.equal((await inst.call('PUT', '/api/profile', { ...base, kind: 'hospital' })).status, 200);
    const location = await store().get<{ m: string }>(
      "select municipality_code as m from institution_locations where institution_code = '1310123458'",
    );
    assert.equal(location?.m, '13101');
  });

  it('applies for readers within the free quota (hospital 3) with an expected delivery', async () => {
    assert.equal(
      (await inst.call('POST', '/api/applications/reader', { quantity: 4 })).json.code,
      'PORTAL_READER_QUOTA_EXCEEDED',
    );
    const first = await inst.call('POST', '/api/applications/reader', { quantity: 2 });
    assert.equal(first.status, 201);
    assert.match(first.json.payload.expectedDelivery, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(
      (await inst.call('POST', '/api/applications/reader', { quantity: 2 })).json.code,
      'PORTAL_READER_QUOTA_EXCEEDED',
    );
    assert.deepEqual((await inst.call('GET', '/api/readers/quota')).json.remaining, 1);
  });

  it('refuses usage forms with dates in the wrong order, past dates, a bad or missing customer ID', async () => {
    const before = await count('portal_applications');
    const form = {
      plannedTest: '2099-04-01',
      plannedStart: '2099-05-01',
      lineType: 'ip-vpn',
      customerId: 'CAF1234567890',
    };
    const bad = async (change: object) =>
      (await inst.call('POST', '/api/applications/usage', { ...form, ...change })).json.code;
    assert.equal(await bad({ plannedTest: '2099-06-01' }), 'PORTAL_DATES_OUT_OF_ORDER');
    assert.equal(await bad({ plannedTest: '2000-01-01' }), 'PORTAL_DATE_PAST');
    assert.equal(await bad({ customerId: 'CAF123' }), 'CUSTOMER_ID_INVALID');
    assert.equal(await bad({ customerId: '' }), 'PORTAL_CUSTOMER_ID_REQUIRED');
    assert.equal(await bad({ plannedStart: '2099-02-30' }), 'DATE_INVALID');
    assert.equal(await count('portal_applications'), before);
    assert.equal(
      (await inst.call('POST', '/api/applications/usage', { ...form, lineType: 'ipsec-ike', customerId: '' }))
        .status,
      201,
    );
  });

  it('operator: separate login; approves usage; rejects with a reason the institution sees', async () => {
    op = client(f.portal.operatorUrl!);
    assert.equal((await op.call('GET', '/api/applications')).json.code, 'PORTAL_SESSION_REQUIRED');
    assert.equal(
      (await op.call('POST', '/api/login', { login: 'operator', password: 'nope' })).json.code,
      'PORTAL_LOGIN_FAILED',
    );
    assert.equal((await op.call('POST', '/api/login', operatorLogin)).status, 200);
    // An institution account is no operator account.
    const stranger = client(f.portal.operatorUrl!);
    assert.equal(
      (await stranger.call('POST', '/api/login', { login: email, password: 'new password 42' })).json.code,
      'PORTAL_LOGIN_FAILED',
    );
    const queue = (await op.call('GET', '/api/applications?status=submitted')).json.applications;
    const usage = queue.find((a: { kind: string }) => a.kind === 'usage');
    const reader = queue.find((a: { kind: string }) => a.kind === 'reader');
    assert.equal(
      (await op.call('POST', `/api/applications/${reader.id}/reject`, { reason: ' ' })).json.code,
      'PORTAL_REASON_REQUIRED',
    );
    assert.equal(
      (await op.call('POST', `/api/applications/${reader.id}/reject`, { reason: '台数を確認してください' }))
        .json.status,
      'rejected',
    );
    assert.equal(
      (await op.call('POST', `/api/applications/${usage.id}/approve`, {})).json.status,
      'approved',
    );
    assert.equal(
      (await op.call('POST', `/api/applications/${usage.id}/approve`, {})).json.code,
      'PORTAL_APPLICATION_DECIDED',
    );
    const mine = (await inst.call('GET', '/api/applications')).json.applications;
    assert.equal(mine.find((a: { id: number }) => a.id === reader.id).reason, '台数を確認してください');
    assert.equal((await inst.call('POST', '/api/applications/reader', { quantity: 1 })).status, 201);
  });

  let serial = '';
  it('certificate: applied, issued on approval as PKCS#12 with a one-time password shown once', async () => {
    const form = {
      department: '医事課',
      phone: '03-1234-5678',
      terminalName: '受付端末1',
      environment: 'connection-test',
      delivery: 'pkcs12',
    };
    assert.equal(
      (await inst.call('POST', '/api/applications/certificate', { ...form, phone: '12' })).json.code,
      'MSG_FIELD_INVALID',
    );
    const applied = await inst.call('POST', '/api/applications/certificate', form);
    assert.equal(applied.status, 201);
    const approved = await op.call('POST', `/api/applications/${applied.json.id}/approve`, {});
    assert.equal(approved.json.status, 'approved');
    const certs = (await inst.call('GET', '/api/certificates')).json.certificates;
    assert.equal(certs.length, 1);
    serial = certs[0].serial;
    assert.equal(certs[0].environment, 'connection-test');
    assert.equal(certs[0].passwordPending, true);
    const otp = (await inst.call('POST', `/api/certificates/${serial}/password`, {})).json.oneTimePassword;
    assert.ok(typeof otp === 'string' && otp.length >= 8);
    assert.equal(
      (await inst.call('POST', `/api/certificates/${serial}/password`, {})).json.code,
      'PORTAL_PASSWORD_ALREADY_SHOWN',
    );
    const p12 = await fetch(`${f.portal.url}/api/certificates/${serial}/pkcs12`);
    assert.equal(p12.status, 401);
  });

  it('checklist ticks itself from facts; a sighting of the test certificate passes the operation test', async () => {
    let list = (await inst.call('GET', '/api/checklist')).json;
    const step = (id: string) => list.steps.find((s: { id: string }) => s.id === id);
    assert.equal(step('account').done, true);
    assert.equal(step('usage').done, true);
    assert.equal(step('certificate').done, true);
    assert.equal(step('equipment').done, false);
    assert.equal(list.stage, 'preparing');
    await recordSighting(store(), {
      serial,
      institutionCode: '1310123458',
      firstCheckAt: new Date().toISOString(),
      path: '/oqs/v1/qualification-confirmations',
    });
    list = (await inst.call('GET', '/api/checklist')).json;
    assert.equal(step('equipment').done, true);
    assert.equal(step('operation-test').done, true);
    assert.equal(step('start').done, false);
    assert.equal(list.stage, 'testing');
    list = (await inst.call('POST', '/api/checklist/marks', { item: 'reception' })).json;
    assert.equal(step('reception').done, true);
  });

  it('revokes a certificate: CRL rewritten, renewal then refused', async () => {
    assert.equal(
      (await inst.call('POST', `/api/certificates/${serial}/revoke`, { reason: 'bogus' })).json.code,
      'PKI_REVOCATION_REASON_INVALID',
    );
    const revoked = await inst.call('POST', `/api/certificates/${serial}/revoke`, {
      reason: 'keyCompromise',
    });
    assert.ok(revoked.json.revokedAt);
    const renewal = await inst.call('POST', '/api/applications/certificate', {
      department: '医事課',
      phone: '0312345678',
      terminalName: '受付端末1',
      environment: 'connection-test',
      delivery: 'pkcs12',
      renewalOf: serial,
    });
    assert.equal(renewal.json.code, 'PORTAL_CERTIFICATE_NOT_RENEWABLE');
  });

  it('subsidy: oversized or wrong-type documents refused and nothing stored; deadlines enforced', async () => {
    const apps = await count('portal_applications');
    const docs = await count('portal_documents');
    const form = {
      items: [{ category: 'terminal-pc', description: '資格確認端末', amountYen: 300000 }],
      completedOn: jstDate(new Date()),
      documents: {
        receipt: { name: 'r.pdf', data: pdf },
        receiptBreakdown: { name: 'b.png', data: png },
        completionReport: { name: 'c.pdf', data: pdf },
      },
    };
    const submit = (change: object) => inst.call('POST', '/api/applications/subsidy', { ...form, ...change });
    const text = Buffer.from('just text').toString('base64');
    assert.equal(
      (await submit({ documents: { ...form.documents, receipt: { name: 'r.pdf', data: text } } })).json.code,
      'PORTAL_UPLOAD_TYPE_INVALID',
    );
    const big = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(70 * 1024)]).toString('base64');
    assert.equal(
      (await submit({ documents: { ...form.documents, receipt: { name: 'r.pdf', data: big } } })).json.code,
      'PORTAL_UPLOAD_TOO_LARGE',
    );
    assert.equal(
      (await submit({ documents: { ...form.documents, completionReport: undefined } })).json.code,
      'PORTAL_DOCUMENT_MISSING',
    );
    // The seed's programme: applications after 2023-06-30 get nothing.
    assert.equal((await submit({})).json.code, 'PORTAL_SUBSIDY_INELIGIBLE');
    assert.equal(await count('portal_applications'), apps);
    assert.equal(await count('portal_documents'), docs);
    assert.deepEqual(
      readdirSync(join(f.dir, 'data')).includes('documents')
        ? readdirSync(join(f.dir, 'data', 'documents'))
        : [],
      [],
    );
    const estimate = (await inst.call('POST', '/api/subsidy/estimate', form)).json;
    assert.equal(estimate.eligible, false);
  });

  it('operator statistics and charts answer (SVG)', async () => {
    const stats = (await op.call('GET', '/api/stats?days=7')).json;
    assert.equal(stats.byMethod.days.length, 7);
    const chart = await fetch(`${f.portal.operatorUrl}/api/charts/checks-by-method.svg`);
    assert.equal(chart.status, 401);
    const svg = await op.call('GET', '/api/charts/readers.svg');
    assert.match(String(svg.json), /^<svg/);
  });
});
