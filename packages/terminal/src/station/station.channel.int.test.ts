/**
 * The reader channel end to end, on SQLite and PostgreSQL: a virtual My Number card signs central's
 * challenge through the terminal, the terminal writes the face file (name grammar, result encoding,
 * ReferenceClassification 1, consents), records the session and pushes it to a live-feed subscriber;
 * central's refusals pass through; reader events are recorded; a bad token is refused.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { decodeMessage, qualificationConfirmResultSchema } from '@onshi/core';
import { forEachStore } from '../../../central/src/test/stores.ts';
import { waitFor } from '../connector/connector.test-helpers.ts';
import {
  clinic,
  createStationWorld,
  http,
  type Json,
  loginAs,
  readerClient,
  type StationWorld,
  subscribeFeed,
  virtualCard,
} from '../test/station.ts';
import { parseFaceFileName } from './station.face.ts';
import type { RunningTerminal } from './station.start.ts';

forEachStore('terminal: reader channel', (store) => {
  let fixture: StationWorld;
  let terminal: RunningTerminal;
  before(async () => {
    fixture = await createStationWorld(store());
    terminal = await fixture.startTerminal();
    await terminal.users.create({ login: 'admin', role: 'admin', password: 'admin-password-1' });
    await terminal.users.create({ login: 'clerk', role: 'clerk', password: 'clerk-password-1' });
  });
  after(() => fixture.dispose());

  it('refuses a missing or wrong token with 401 READER_TOKEN_INVALID', async () => {
    const url = new URL('reader/v1/settings', terminal.url).toString();
    const tries: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-wrong-token-wrong-token-1234' },
      { authorization: 'Basic x' },
    ];
    for (const headers of tries) {
      const answer = await http(url, { headers });
      assert.equal(answer.status, 401);
      assert.equal(answer.json().code, 'READER_TOKEN_INVALID');
    }
    const confirm = await http(new URL('reader/v1/confirmations', terminal.url).toString(), { body: {} });
    assert.equal(confirm.status, 401);
    assert.equal((await readerClient(terminal).call('settings')).status, 200);
  });

  it('gives the reader the institution and the enabled screens', async () => {
    const answer = await readerClient(terminal).call('settings');
    assert.deepEqual(answer.json(), {
      institutionCode: clinic,
      consentScreens: ['PharmacistsInfoConsFlg', 'SpecificHealthCheckupsInfoConsFlg'],
      limitConsentScreen: true,
      prescriptionChoice: false,
    });
  });

  it('confirms with the card: face file in Shift_JIS, session recorded and pushed to the feed', async () => {
    const admin = await loginAs(terminal, 'admin', 'admin-password-1');
    const changed = await admin.call('api/settings', {
      method: 'PUT',
      body: { resultEncoding: 'shift_jis', prescriptionChoice: true },
    });
    assert.equal(changed.status, 200);
    const feed = subscribeFeed(terminal, (await loginAs(terminal, 'clerk', 'clerk-password-1')).cookie);
    await feed.ready;
    const reader = readerClient(terminal);
    const body = {
      ...(await reader.proof(virtualCard(fixture.registered))),
      LimitApplicationCertificateRelatedConsFlg: '1',
      PrescriptionIssueSelect: '1',
      consents: { PharmacistsInfoConsFlg: '1', SpecificHealthCheckupsInfoConsFlg: '0' },
    };
    const answer = await reader.call('confirmations', body);
    assert.equal(answer.status, 200, answer.text);
    const { sessionId, faceFile, result } = answer.json();
    assert.match(sessionId, /^[0-9a-f]{20}$/);
    const parsed = parseFaceFileName(faceFile);
    assert.ok(parsed, faceFile);
    assert.equal(parsed.institutionCode, clinic);
    assert.equal(parsed.sessionId, sessionId);
    const jst = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
    assert.equal(parsed.timestamp.slice(0, 8), jst);
    assert.equal(result.XmlMsg.MessageHeader.ReferenceClassification, '1');

    const path = join(terminal.dirs.face, faceFile);
    assert.ok(existsSync(path));
    assert.deepEqual(readdirSync(terminal.dirs.face), [faceFile], 'no temp file left behind');
    const bytes = readFileSync(path);
    assert.match(bytes.subarray(0, 60).toString('latin1'), /encoding="Shift_JIS"/);
    const face = decodeMessage(new Uint8Array(bytes), qualificationConfirmResultSchema);
    assert.equal(face.MessageHeader.ReferenceClassification, '1');
    assert.equal(face.MessageHeader.CharacterCodeIdentifier, '1');
    assert.equal(face.MessageHeader.MedicalInstitutionCode, clinic);
    assert.equal(face.MessageBody.QualificationValidity, '1');
    assert.equal(face.MessageBody.PrescriptionIssueSelect, '1');
    const row = face.MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!;
    assert.equal(row.Name, '厚労　花子1');
    assert.equal(row.PharmacistsInfoConsFlg, '1');
    assert.equal(row.SpecificHealthCheckupsInfoConsFlg, '0');

    const pushed = await waitFor('feed event', () =>
      feed.events.find((event: Json) => event.id === sessionId),
    );
    feed.close();
    assert.equal(pushed.kind, 'confirmation');
    assert.equal(pushed.outcomeLabel.ja, '有効', 'the feed event carries the label');
    assert.equal(pushed.outcome, 'valid');
    assert.equal(pushed.authMethod, 'pin');
    assert.equal(pushed.faceFile, faceFile);
    assert.equal(pushed.summary.name, '厚労　花子1');
    assert.equal(pushed.summary.birthdate, '1990-05-05');
    assert.deepEqual(pushed.summary.consents, {
      PharmacistsInfoConsFlg: '1',
      SpecificHealthCheckupsInfoConsFlg: '0',
    });
    assert.equal(pushed.summary.prescriptionIssueSelect, '1');

    const stored = await admin.call(`api/records/${sessionId}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.json().record.outcome, 'valid');
    assert.deepEqual(
      stored.json().record.outcomeLabel,
      { ja: '有効', en: 'Valid' },
      'the desk’s label, shown by the feed',
    );
    assert.equal(stored.json().face.available, true);
    assert.equal(stored.json().face.encoding, 'shift_jis');
    assert.match(stored.json().face.xml, /厚労　花子1/);
    assert.equal(stored.json().face.view.outcome, 'valid');
  });

  it('passes central’s refusal through and records the failed session; registration then lets it in', async () => {
    const reader = readerClient(terminal);
    const card = virtualCard(fixture.unregistered);
    const refused = await reader.call('confirmations', await reader.proof(card, 'face'));
    assert.equal(refused.status, 403);
    assert.equal(refused.json().code, 'CARD_NOT_REGISTERED');
    assert.ok(refused.json().message.length > 0);
    const clerk = await loginAs(terminal, 'clerk', 'clerk-password-1');
    const records = (await clerk.call('api/records')).json().records;
    const failed = records.find((record: Json) => record.errorCode === 'CARD_NOT_REGISTERED');
    assert.ok(failed);
    assert.equal(failed.outcome, 'error');
    assert.equal(failed.outcomeLabel.ja, 'エラー');
    assert.equal(failed.authMethod, 'face');
    assert.equal(failed.faceFile, undefined);

    const registered = await reader.call('registrations', await reader.proof(card, 'pin'));
    assert.equal(registered.status, 200, registered.text);
    assert.equal(registered.json().registered, true);
    const confirmed = await reader.call('confirmations', await reader.proof(card, 'face'));
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal(
      confirmed.json().result.XmlMsg.MessageBody.ResultList.ResultOfQualificationConfirmation[0].Name,
      '厚労　花子2',
    );
  });

  it('records reader events and refuses unknown ones', async () => {
    const reader = readerClient(terminal);
    const clerk = await loginAs(terminal, 'clerk', 'clerk-password-1');
    const feed = subscribeFeed(terminal, clerk.cookie);
    await feed.ready;
    const answer = await reader.call('events', { kind: 'pin-wrong', triesLeft: 2, code: 'CARD_PIN_WRONG' });
    assert.equal(answer.status, 204);
    const pushed = await waitFor('event', () =>
      feed.events.find((event: Json) => event.outcome === 'pin-wrong'),
    );
    feed.close();
    assert.equal(pushed.kind, 'event');
    assert.equal(pushed.summary.triesLeft, 2);
    assert.equal(pushed.errorCode, 'CARD_PIN_WRONG');
    const bad = await reader.call('events', { kind: 'exploded' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json().code, 'MSG_FIELD_INVALID');
  });
});
