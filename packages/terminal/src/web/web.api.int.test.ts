/**
 * The staff UI's API against a real central (SQLite and PostgreSQL): login, roles, CSRF, lockout,
 * the check by card data and the reference-number registration through the shared client, user
 * administration, the page and core's validators as served; and central unreachable.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { forEachStore } from '../../../central/src/test/stores.ts';
import type { RunningTerminal } from '../station/station.start.ts';
import { startTerminal } from '../station/station.start.ts';
import {
  clinic,
  createStationWorld,
  http,
  kumiai,
  loginAs,
  readerClient,
  type StationWorld,
} from '../test/station.ts';

forEachStore('terminal: staff UI API', (store) => {
  let fixture: StationWorld;
  let terminal: RunningTerminal;
  const url = (path: string) => new URL(path, terminal.url).toString();
  before(async () => {
    fixture = await createStationWorld(store());
    terminal = await fixture.startTerminal({ users: { lockAfter: 3, lockMs: 60_000 } });
    await terminal.users.create({ login: 'admin', role: 'admin', password: 'admin-password-1' });
    await terminal.users.create({ login: 'clerk', role: 'clerk', password: 'clerk-password-1' });
    await terminal.users.create({ login: 'viewer', role: 'viewer', password: 'viewer-password-1' });
  });
  after(() => fixture.dispose());

  it('logs in with an HttpOnly SameSite=Strict cookie; refuses a wrong password; locks after repeated failures', async () => {
    const clerk = await loginAs(terminal, 'clerk', 'clerk-password-1');
    assert.match(clerk.setCookie, /HttpOnly/);
    assert.match(clerk.setCookie, /SameSite=Strict/);
    const me = await clerk.call('api/me');
    assert.equal(me.json().user.role, 'clerk');
    assert.equal(me.json().csrf, clerk.csrf);
    const wrong = await http(url('api/login'), { body: { login: 'clerk', password: 'nope-nope' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json().code, 'TERMINAL_LOGIN_FAILED');
    assert.equal(wrong.headers['set-cookie'], undefined);
    await terminal.users.create({ login: 'victim', role: 'clerk', password: 'victim-password' });
    for (let i = 0; i < 3; i++) {
      assert.equal(
        (await http(url('api/login'), { body: { login: 'victim', password: 'guess-guess' } })).status,
        401,
      );
    }
    const locked = await http(url('api/login'), { body: { login: 'victim', password: 'victim-password' } });
    assert.equal(locked.status, 429);
    assert.equal(locked.json().code, 'TERMINAL_LOGIN_LOCKED');
    const form = await http(url('api/login'), {
      body: 'login=clerk&password=clerk-password-1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.status, 415, 'a cross-site form post is not JSON');
  });

  it('needs a session, the CSRF header for changes, and the right role', async () => {
    const none = await http(url('api/records'));
    assert.equal(none.status, 401);
    assert.equal(none.json().code, 'TERMINAL_SESSION_REQUIRED');
    const clerk = await loginAs(terminal, 'clerk', 'clerk-password-1');
    const denied = await clerk.call('api/settings', { method: 'PUT', body: { prescriptionChoice: true } });
    assert.equal(denied.status, 403);
    assert.equal(denied.json().code, 'TERMINAL_ROLE_FORBIDDEN');
    assert.equal((await clerk.call('api/users')).status, 403);
    const admin = await loginAs(terminal, 'admin', 'admin-password-1');
    const noCsrf = await admin.call('api/settings', {
      method: 'PUT',
      body: { prescriptionChoice: true },
      csrf: false,
    });
    assert.equal(noCsrf.status, 403);
    assert.equal(noCsrf.json().code, 'TERMINAL_CSRF_INVALID');
    const ok = await admin.call('api/settings', {
      method: 'PUT',
      body: { consentScreens: ['OperationInfoConsFlg', 'PharmacistsInfoConsFlg'], limitConsentScreen: false },
    });
    assert.equal(ok.status, 200);
    const reader = await readerClient(terminal).call('settings');
    assert.deepEqual(reader.json().consentScreens, ['PharmacistsInfoConsFlg', 'OperationInfoConsFlg']);
    assert.equal(reader.json().limitConsentScreen, false);
    const viewer = await loginAs(terminal, 'viewer', 'viewer-password-1');
    const check = await viewer.call('api/checks', { body: {} });
    assert.equal(check.status, 403);
    assert.equal((await viewer.call('api/records')).status, 200);
    assert.equal((await viewer.call('api/logout', { method: 'POST' })).status, 204);
    assert.equal((await viewer.call('api/records')).status, 401, 'logged out');
  });

  it('checks by card data through central: valid with copay, not found, and a bad check digit refused', async () => {
    const clerk = await loginAs(terminal, 'clerk', 'clerk-password-1');
    const card = { insurerNumber: kumiai, symbol: '12', number: '1', branch: '00', birthdate: '1990-05-05' };
    const valid = await clerk.call('api/checks', { body: { ...card, limitConsent: true } });
    assert.equal(valid.status, 200, valid.text);
    const { view, result } = valid.json();
    assert.equal(view.outcome, 'valid');
    assert.equal(view.label.ja, '有効');
    assert.equal(view.persons[0].name, '厚労　花子1');
    assert.equal(view.persons[0].copay.tenths, 3);
    assert.equal(result.XmlMsg.MessageHeader.MedicalInstitutionCode, clinic);
    assert.equal(result.XmlMsg.MessageHeader.ReferenceClassification, '2');
    const missing = await clerk.call('api/checks', { body: { ...card, number: '999' } });
    assert.equal(missing.json().view.outcome, 'notFound');
    assert.equal(missing.json().view.label.ja, '該当なし');
    const badDigit = `${kumiai.slice(0, 7)}${(Number(kumiai[7]) + 1) % 10}`;
    const refused = await clerk.call('api/checks', { body: { ...card, insurerNumber: badDigit } });
    assert.equal(refused.status, 400);
    assert.equal(refused.json().code, 'INSURER_NUMBER_INVALID');
    const badDate = await clerk.call('api/checks', { body: { ...card, birthdate: '1990-02-30' } });
    assert.equal(badDate.json().code, 'DATE_INVALID');
  });

  it('registers a reference number, which then comes back in results', async () => {
    const clerk = await loginAs(terminal, 'clerk', 'clerk-password-1');
    const answer = await clerk.call('api/reference-numbers', {
      body: { referenceNumber: 'P-000123', insurerNumber: kumiai, symbol: '12', number: '1', branch: '00' },
    });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json().ok, true);
    const check = await clerk.call('api/checks', {
      body: { insurerNumber: kumiai, symbol: '12', number: '1', branch: '00', birthdate: '1990-05-05' },
    });
    assert.equal(check.json().view.persons[0].referenceNumber, 'P-000123');
    const nobody = await clerk.call('api/reference-numbers', {
      body: { referenceNumber: 'P-9', insurerNumber: kumiai, number: '999' },
    });
    assert.equal(nobody.json().ok, false);
    assert.equal(nobody.json().code, 'REFERENCE_NUMBER_TARGET_NOT_FOUND');
  });

  it('lets the admin add, disable and reset users', async () => {
    const admin = await loginAs(terminal, 'admin', 'admin-password-1');
    const added = await admin.call('api/users', {
      body: { login: 'newbie', displayName: '新人', role: 'clerk', password: 'newbie-password' },
    });
    assert.equal(added.status, 201);
    assert.equal(
      (
        await admin.call('api/users', { body: { login: 'newbie', role: 'clerk', password: 'x-password' } })
      ).json().code,
      'TERMINAL_USER_EXISTS',
    );
    const newbie = await loginAs(terminal, 'newbie', 'newbie-password');
    const disabled = await admin.call('api/users/newbie', { method: 'PATCH', body: { disabled: true } });
    assert.equal(disabled.json().user.disabled, true);
    assert.equal((await newbie.call('api/records')).status, 401, 'disabling ends the session');
    assert.equal(
      (await http(url('api/login'), { body: { login: 'newbie', password: 'newbie-password' } })).status,
      401,
    );
    await admin.call('api/users/newbie', {
      method: 'PATCH',
      body: { disabled: false, password: 'another-password' },
    });
    await loginAs(terminal, 'newbie', 'another-password');
    const self = await admin.call('api/users/admin', { method: 'PATCH', body: { disabled: true } });
    assert.equal(self.status, 400);
    assert.equal((await admin.call('api/users')).json().users.length, 5);
  });

  it('serves the page, core’s validators without types, and the certificate with its days left', async () => {
    const page = await http(terminal.url);
    assert.equal(page.status, 200);
    assert.match(page.text, /data-testid="lang-toggle"/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
    const validators = await http(url('core/validators.ts'));
    assert.match(String(validators.headers['content-type']), /text\/javascript/);
    const errors = await http(url('core/errors.ts'));
    assert.equal(errors.status, 200);
    // Plain JavaScript, as a browser gets it: loaded as .js modules (no type stripping) and run.
    const js = mkdtempSync(join(tmpdir(), 'onshi-validators-'));
    writeFileSync(join(js, 'validators.js'), validators.text.replace("'./errors.ts'", "'./errors.js'"));
    writeFileSync(join(js, 'errors.js'), errors.text);
    writeFileSync(join(js, 'package.json'), '{"type":"module"}');
    const served = await import(pathToFileURL(join(js, 'validators.js')).href);
    assert.equal(served.validateInsurerNumber(kumiai).ok, true);
    assert.match(served.validateInsurerNumber('06139990').reason, /検証番号/);
    rmSync(js, { recursive: true, force: true });
    assert.equal((await http(url('static/../station/station.users.ts'))).status, 404);
    const status = (await http(url('api/status'))).json();
    assert.equal(status.institutionCode, clinic);
    assert.ok(status.certificate.daysLeft > 90);
    assert.equal(status.certificate.warning.severity, 'none');
    const clerk = await loginAs(terminal, 'clerk', 'clerk-password-1');
    const cert = (await clerk.call('api/certificate')).json().certificate;
    assert.equal(cert.institutionCode, clinic);
    assert.match(cert.subject, new RegExp(clinic));
  });
});

describe('terminal: central unreachable', () => {
  let terminal: RunningTerminal;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onshi-station-down-'));
    terminal = await startTerminal({
      dir,
      centralUrl: 'http://127.0.0.1:9',
      institutionCode: '1310123458',
      uiPort: 0,
      centralTimeoutMs: 2_000,
    });
    await terminal.users.create({ login: 'clerk', role: 'clerk', password: 'clerk-password-1' });
  });
  after(async () => {
    await terminal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the reader and the UI with 503 TERMINAL_CENTRAL_UNREACHABLE and records the failure', async () => {
    const reader = readerClient(terminal);
    const challenge = await reader.call('challenges', {});
    assert.equal(challenge.status, 503);
    assert.equal(challenge.json().code, 'TERMINAL_CENTRAL_UNREACHABLE');
    const confirm = await reader.call('confirmations', { authMethod: 'face' });
    assert.equal(confirm.status, 503);
    const clerk = await loginAs(terminal, 'clerk', 'clerk-password-1');
    const records = (await clerk.call('api/records')).json().records;
    assert.equal(records[0].errorCode, 'TERMINAL_CENTRAL_UNREACHABLE');
    assert.equal(records[0].authMethod, 'face');
    const check = await clerk.call('api/checks', {
      body: { insurerNumber: kumiai, number: '1', birthdate: '1990-05-05' },
    });
    assert.equal(check.status, 503);
    assert.equal(check.json().code, 'TERMINAL_CENTRAL_UNREACHABLE');
  });
});
