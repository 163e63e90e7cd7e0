/**
 * 災害時 search and the institution's consent revocation through the staff UI API, against a real
 * central (SQLite and PostgreSQL).
 *
 * - Revocation: a patient consents at the reader → a clerk revokes (同意を取り消す) → central refuses
 *   the viewer with MEDINFO_CONSENT_REVOKED, the picker and the feed show 取消, a second revocation
 *   is CONSENT_NOT_FOUND with its explanation.
 * - Disaster: no reason → DISASTER_REASON_REQUIRED before central is asked; nothing declared →
 *   DISASTER_NOT_DECLARED; a declaration elsewhere → DISASTER_OUTSIDE_AREA; one for the
 *   institution's municipality (opened through central's disaster service) → persons with their
 *   id, whose 薬剤情報 / 特定健診 the viewer sees with the reason; closed → DISASTER_PERIOD_OVER.
 *   Only viewers may search; the reason is in central's audit records.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAuditLog, createDisasterService, type DisasterService } from '@onshi/central';
import { forEachStore } from '../../../central/src/test/stores.ts';
import type { RunningTerminal } from '../station/station.start.ts';
import {
  clinic,
  consentAtReader,
  createStationWorld,
  kumiai,
  loginAs,
  medicalData,
  type StationWorld,
  virtualCard,
} from '../test/station.ts';

const HOUR = 3600_000;

forEachStore('terminal: consent revocation and 災害時 search', (store) => {
  let fixture: StationWorld;
  let terminal: RunningTerminal;
  let disaster: DisasterService;
  const card = { insurerNumber: kumiai, symbol: '12', number: '1', branch: '00' };
  const viewer = () => loginAs(terminal, 'doctor.1', 'viewer-password-1');
  const clerk = () => loginAs(terminal, 'clerk', 'clerk-password-1');

  before(async () => {
    fixture = await createStationWorld(store());
    await medicalData(store());
    const clock = { now: () => new Date() };
    disaster = createDisasterService({
      store: store(),
      clock,
      audit: createAuditLog({ store: store(), clock }),
    });
    terminal = await fixture.startTerminal();
    await terminal.users.create({ login: 'clerk', role: 'clerk', password: 'clerk-password-1' });
    await terminal.users.create({ login: 'doctor.1', role: 'viewer', password: 'viewer-password-1' });
  });
  after(() => fixture.dispose());

  describe('同意を取り消す (OQSCD031 1)', () => {
    before(() => consentAtReader(terminal, virtualCard(fixture.registered)));

    it('revokes at central: the viewer is refused, the picker and the feed say 取消', async () => {
      const doctor = await viewer();
      assert.equal((await doctor.call('api/medications', { body: card })).status, 200);
      const staff = await clerk();
      const missing = await staff.call('api/consents/revocations', { body: card });
      assert.equal(missing.status, 400);
      assert.equal(missing.json().code, 'MSG_FIELD_REQUIRED', 'the birth date identifies the person');
      const revoked = await staff.call('api/consents/revocations', {
        body: { ...card, birthdate: '1990-05-05' },
      });
      assert.equal(revoked.status, 200, revoked.text);
      assert.ok(revoked.json().revoked >= 2, 'both consents of the session');
      assert.ok(Date.parse(revoked.json().revokedAt) > 0);

      const refused = await doctor.call('api/medications', { body: card });
      assert.equal(refused.status, 403);
      assert.equal(refused.json().code, 'MEDINFO_CONSENT_REVOKED');
      assert.equal(refused.json().explanation.ja, '同意が撤回されています');
      assert.equal(refused.json().consent.state, 'revoked');
      const [patient] = (await doctor.call('api/medinfo/patients')).json().patients;
      assert.equal(patient.consents.medications.state, 'revoked');
      assert.equal(patient.consents.checkups.state, 'revoked');
      assert.equal(patient.consents.medications.revokedAt, revoked.json().revokedAt);
      const { records } = (await staff.call('api/records')).json();
      const session = records.find((r: { kind: string }) => r.kind === 'confirmation');
      assert.equal(session.revokedAt, revoked.json().revokedAt);

      const again = await doctor.call('api/consents/revocations', {
        body: { ...card, birthdate: '1990-05-05' },
      });
      assert.equal(again.status, 404);
      assert.equal(again.json().code, 'CONSENT_NOT_FOUND');
      assert.equal(again.json().explanation.ja, '取り消せる同意がありません');
      const audit = await store().all<{ terminal_user: string; reason: string }>(
        "select terminal_user, reason from audit_records where action = 'consent-revoke'",
      );
      assert.deepEqual(
        audit.map((a) => [a.terminal_user, a.reason.slice(0, 10)]),
        [['clerk', 'OQSCD031 1']],
      );
    });
  });

  describe('災害時 search', () => {
    const search = {
      nameKana: 'シケン タロウ',
      birthdate: '1990-05-05',
      sex: '2',
      reason: '避難所で意識なし',
    };

    it('needs a reason (checked by the terminal) and the viewer role', async () => {
      const doctor = await viewer();
      const noReason = await doctor.call('api/disaster-searches', { body: { ...search, reason: ' ' } });
      assert.equal(noReason.status, 400);
      assert.equal(noReason.json().code, 'DISASTER_REASON_REQUIRED');
      const byClerk = await (await clerk()).call('api/disaster-searches', { body: search });
      assert.equal(byClerk.status, 403);
      assert.equal(byClerk.json().code, 'TERMINAL_ROLE_FORBIDDEN');
      const medsByClerk = await (await clerk()).call('api/medications', {
        body: { disasterPersonId: '1', reason: 'x' },
      });
      assert.equal(medsByClerk.status, 403);
    });

    it('passes central’s refusals on with code and explanation: not declared, outside the area', async () => {
      await disaster.locate(clinic, '13101');
      const doctor = await viewer();
      const none = await doctor.call('api/disaster-searches', { body: search });
      assert.equal(none.status, 403);
      assert.equal(none.json().code, 'DISASTER_NOT_DECLARED');
      assert.equal(none.json().explanation.ja, '災害時モードは宣言されていません');
      const now = Date.now();
      await disaster.open({
        name: '能登半島地震',
        municipalities: ['172049'],
        startsAt: new Date(now - HOUR),
        endsAt: new Date(now + 24 * HOUR),
      });
      const outside = await doctor.call('api/disaster-searches', { body: search });
      assert.equal(outside.json().code, 'DISASTER_OUTSIDE_AREA');
      assert.equal(outside.json().explanation.ja, '災害時モードの対象地域外です');
    });

    it('finds persons in the declared area and shows their medical information with the reason', async () => {
      const now = Date.now();
      const declaration = await disaster.open({
        name: '首都直下地震',
        municipalities: ['13101'],
        startsAt: new Date(now - HOUR),
        endsAt: new Date(now + 24 * HOUR),
      });
      const doctor = await viewer();
      const found = await doctor.call('api/disaster-searches', { body: search });
      assert.equal(found.status, 200, found.text);
      assert.equal(found.json().declarationId, declaration.declarationId);
      assert.equal(found.json().reason, search.reason);
      const person = found.json().persons.find((p: { name: string }) => p.name === '厚労　花子1') as {
        personId: number;
      };
      assert.ok(person, 'card 1’s holder is found');
      const body = { disasterPersonId: String(person.personId), reason: search.reason };
      const meds = await doctor.call('api/medications', { body });
      assert.equal(meds.status, 200, meds.text);
      assert.equal(meds.json().view.patient.name, '厚労　花子1');
      assert.equal(meds.json().view.months.length, 1);
      const checkups = await doctor.call('api/checkups', { body });
      assert.equal(checkups.json().view.exams.length, 2);
      const noReason = await doctor.call('api/medications', { body: { ...body, reason: '' } });
      assert.equal(noReason.json().code, 'DISASTER_REASON_REQUIRED');
      const audit = await store().all<{ terminal_user: string; reason: string }>(
        "select terminal_user, reason from audit_records where action in ('disaster-search', 'view-medication', 'view-checkup') and reason like ?",
        [`%${search.reason}`],
      );
      assert.ok(audit.length >= 4, 'the search and the views are audited with the reason');
      assert.ok(audit.every((a) => a.terminal_user === 'doctor.1'));

      await disaster.close(declaration.declarationId);
      const over = await doctor.call('api/disaster-searches', { body: search });
      assert.equal(over.json().code, 'DISASTER_PERIOD_OVER');
      assert.equal(over.json().explanation.ja, '災害時モードの期間が終わっています');
      const late = await doctor.call('api/medications', { body });
      assert.equal(late.json().code, 'DISASTER_PERIOD_OVER');
    });
  });
});
