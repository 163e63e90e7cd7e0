/**
 * The viewer's UI API against a real central (SQLite and PostgreSQL): a patient consents at the
 * reader (through the reader channel) → the picker lists them with the consent state → a viewer
 * gets the medication history and the 特定健診 results as views, and the PDF; an administrator or a
 * clerk is refused by the terminal (TERMINAL_ROLE_FORBIDDEN) before central is asked; central's
 * refusals come back with their code and the Japanese explanation; every call to central carries
 * the terminal user (the login; `reader` for the reader channel), as central's audit trail shows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { syntheticDrugs } from '@onshi/central';
import { forEachStore } from '../../../central/src/test/stores.ts';

const [amlodipine] = syntheticDrugs;

import type { RunningTerminal } from '../station/station.start.ts';
import {
  clinic,
  consentAtReader,
  createStationWorld,
  http,
  kumiai,
  loginAs,
  medicalData,
  type StationWorld,
  virtualCard,
} from '../test/station.ts';

forEachStore('terminal: 医療情報 viewer API', (store) => {
  let fixture: StationWorld;
  let terminal: RunningTerminal;
  const card = { insurerNumber: kumiai, symbol: '12', number: '1', branch: '00' };
  const auditUsers = async (action: string) =>
    (
      await store().all<{ terminal_user: string | null }>(
        'select terminal_user from audit_records where action = ? order by seq',
        [action],
      )
    ).map((r) => r.terminal_user);

  before(async () => {
    fixture = await createStationWorld(store());
    await medicalData(store());
    terminal = await fixture.startTerminal();
    await terminal.users.create({ login: 'admin', role: 'admin', password: 'admin-password-1' });
    await terminal.users.create({ login: 'clerk', role: 'clerk', password: 'clerk-password-1' });
    await terminal.users.create({ login: 'doctor.1', role: 'viewer', password: 'viewer-password-1' });
  });
  after(() => fixture.dispose());

  describe('before any consent', () => {
    it('refuses administrators and clerks at the terminal, without asking central', async () => {
      const before = (await auditUsers('view-medication')).length;
      for (const login of ['admin', 'clerk']) {
        const staff = await loginAs(terminal, login, `${login}-password-1`);
        for (const path of ['api/medications', 'api/checkups']) {
          const answer = await staff.call(path, { body: card });
          assert.equal(answer.status, 403);
          assert.equal(answer.json().code, 'TERMINAL_ROLE_FORBIDDEN');
        }
        const pdf = await staff.call('api/medications/pdf?insurerNumber=06139994&number=1');
        assert.equal(pdf.status, 403);
        assert.equal((await staff.call('api/medinfo/patients')).status, 403);
      }
      assert.equal((await auditUsers('view-medication')).length, before);
    });

    it('passes central’s refusal on with its code and the explanation (no consent yet)', async () => {
      const viewer = await loginAs(terminal, 'doctor.1', 'viewer-password-1');
      const answer = await viewer.call('api/medications', { body: card });
      assert.equal(answer.status, 403);
      assert.equal(answer.json().code, 'MEDINFO_CONSENT_NONE');
      assert.deepEqual(answer.json().explanation, { ja: '同意がありません', en: 'There is no consent' });
      const nobody = await viewer.call('api/checkups', { body: { ...card, number: '999' } });
      assert.equal(nobody.json().code, 'MEDINFO_PERSON_NOT_FOUND');
      const bad = await viewer.call('api/medications', { body: { ...card, from: '2026-13' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.json().code, 'MSG_FIELD_INVALID');
    });
  });

  describe('after the patient consented at the reader', () => {
    before(() => consentAtReader(terminal, virtualCard(fixture.registered)));

    it('lists the patient in the picker with both consents live until the expiry central gave', async () => {
      const viewer = await loginAs(terminal, 'doctor.1', 'viewer-password-1');
      const { patients } = (await viewer.call('api/medinfo/patients')).json();
      assert.equal(patients.length, 1);
      const [p] = patients;
      assert.deepEqual(
        [p.name, p.insurerNumber, p.symbol, p.number, p.branch, p.birthdate],
        ['厚労　花子1', kumiai, '12', '1', '00', '1990-05-05'],
      );
      for (const kind of ['medications', 'checkups']) {
        assert.equal(p.consents[kind].state, 'live');
        const hours =
          (Date.parse(p.consents[kind].expiresAt) - Date.parse(p.consents[kind].givenAt)) / 3600_000;
        assert.equal(hours, 24, 'an outpatient consent holds 24 hours');
      }
    });

    it('answers a viewer: medications by month and institution, check-ups latest first with flags and series', async () => {
      const viewer = await loginAs(terminal, 'doctor.1', 'viewer-password-1');
      const meds = await viewer.call('api/medications', { body: card });
      assert.equal(meds.status, 200, meds.text);
      const { view, consent, result } = meds.json();
      assert.equal(result.XmlMsg.MessageBody.ResultCode, '1');
      assert.equal(consent.state, 'live');
      assert.equal(view.patient.name, '厚労　花子1');
      assert.equal(view.months.length, 1);
      assert.equal(view.months[0].institution, clinic);
      assert.equal(view.months[0].rows[0].drug, amlodipine!.name);
      assert.equal(view.months[0].rows[0].days, '28');
      const checkups = (
        await viewer.call('api/checkups', { body: { ...card, birthdate: '1990-05-05' } })
      ).json();
      assert.deepEqual(
        checkups.view.exams.map((e: { date: string }) => e.date),
        ['2025-06-10', '2024-06-10'],
      );
      const sbp = checkups.view.series.find((s: { code: string }) => s.code === '9A755000000000001');
      assert.deepEqual(sbp.points, [
        { date: '2024-06-10', value: 124 },
        { date: '2025-06-10', value: 136, flag: 'high' },
      ]);
      assert.equal(sbp.high, 129);
      // A birth date that does not match is refused by central (an extra check when given).
      const wrong = await viewer.call('api/checkups', { body: { ...card, birthdate: '1990-05-06' } });
      assert.equal(wrong.json().code, 'MEDINFO_PERSON_NOT_FOUND');
    });

    it('streams central’s PDF for printing', async () => {
      const viewer = await loginAs(terminal, 'doctor.1', 'viewer-password-1');
      const query = new URLSearchParams(card).toString();
      const pdf = await viewer.call(`api/checkups/pdf?${query}`);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.match(String(pdf.headers['content-disposition']), /^inline; filename=/);
      assert.ok(pdf.text.startsWith('%PDF-'));
    });

    it('names the terminal user on every call to central: the login, or reader for the reader channel', async () => {
      const clerk = await loginAs(terminal, 'clerk', 'clerk-password-1');
      const check = await clerk.call('api/checks', { body: { ...card, birthdate: '1990-05-05' } });
      assert.equal(check.status, 200, check.text);
      assert.deepEqual(await auditUsers('check-card-data'), ['clerk']);
      assert.deepEqual(await auditUsers('check-card'), ['reader']);
      const views = [...(await auditUsers('view-medication')), ...(await auditUsers('view-checkup'))];
      assert.ok(views.length >= 3);
      assert.ok(
        views.every((user) => user === 'doctor.1'),
        `views by ${views.join(', ')}`,
      );
    });
  });

  it('is not served without a session', async () => {
    const answer = await http(new URL('api/medinfo/patients', terminal.url).toString());
    assert.equal(answer.status, 401);
  });
});
