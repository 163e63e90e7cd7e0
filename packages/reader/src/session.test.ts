/**
 * The reader's session, step by step, with real virtual cards (card files, APDUs) and a stand-in
 * for the terminal's reader channel that verifies the token, the challenges and the signatures.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openVirtualMyNumberCard, readVirtualCardFile } from '@onshi/pki';
import { placeCard } from './card-session.ts';
import { createReaderChannelClient, type ReaderSettings } from './channel.ts';
import { SimulatedFaceMatcher } from './face.ts';
import { openReaderSession, type ReaderSession } from './session.ts';
import {
  createTestCards,
  startTerminalDouble,
  TEST_PIN,
  type TerminalDouble,
  type TestCards,
} from './test-support.ts';

const match = { takenAt: new Date(), simulatedOutcome: 'match' } as const;
const noMatch = { takenAt: new Date(), simulatedOutcome: 'no-match' } as const;

describe('reader session', () => {
  let cards: TestCards;
  let terminal: TerminalDouble;
  const plain: ReaderSettings = {
    institutionCode: '1312345678',
    consentScreens: ['PharmacistsInfoConsFlg', 'SpecificHealthCheckupsInfoConsFlg'],
    limitConsentScreen: false,
    prescriptionChoice: false,
  };

  before(async () => {
    cards = await createTestCards(8);
    // Cards 1–6 are registered for insurance use, 7 and 8 are not.
    terminal = await startTerminalDouble({ registered: cards.certificates.slice(0, 6) });
  });
  after(async () => {
    await terminal?.close();
    await cards?.remove();
  });

  async function session(
    index: number,
    options: { settings?: ReaderSettings; now?: () => Date } = {},
  ): Promise<ReaderSession> {
    const channel = createReaderChannelClient({ terminalUrl: terminal.url, token: terminal.token });
    const card = await placeCard(await openVirtualMyNumberCard(cards.files[index - 1]!));
    return openReaderSession({
      id: `s${index}`,
      card,
      cardRef: { id: `card-${index}`, label: `カード ${index}` },
      channel,
      settings: options.settings ?? plain,
      faceMatcher: new SimulatedFaceMatcher(),
      ...(options.now ? { clock: { now: options.now } } : {}),
    });
  }

  /** Confirmations and events the terminal received from here on. */
  function mark() {
    const confirmations = terminal.confirmations.length;
    const events = terminal.events.length;
    const received = terminal.received.length;
    return {
      confirmations: () => terminal.confirmations.slice(confirmations),
      events: () => terminal.events.slice(events),
      received: () => terminal.received.slice(received),
    };
  }

  it('PIN: method, keypad, each consent screen in order, confirmation; answers sent as given', async () => {
    const since = mark();
    const s = await session(1);
    assert.equal(s.state, 'method');
    assert.deepEqual(s.view().methods, { pin: true, face: true, visual: true });
    assert.equal(s.view().triesLeft, 3);
    assert.equal((await s.chooseMethod('pin')).state, 'pin');
    const first = await s.enterPin(TEST_PIN);
    assert.equal(first.state, 'consent');
    assert.deepEqual(
      { ...first.consent, text: undefined },
      { screen: 'PharmacistsInfoConsFlg', index: 0, count: 2, title: '薬剤情報の提供', text: undefined },
    );
    const second = await s.consent(true);
    assert.equal(second.consent?.screen, 'SpecificHealthCheckupsInfoConsFlg');
    const done = await s.consent(false);
    assert.equal(done.state, 'done');
    assert.equal(done.title, '受付が完了しました');
    assert.match(done.terminalSessionId ?? '', /^[0-9a-f]{20}$/);
    assert.equal(done.authMethod, 'pin');
    const [confirmation] = since.confirmations();
    assert.deepEqual(Object.keys(confirmation!).sort(), [
      'authMethod',
      'certificate',
      'challenge',
      'consents',
      'signature',
    ]);
    assert.equal(confirmation!.authMethod, 'pin');
    assert.equal(confirmation!.certificate, cards.certificates[0]);
    assert.deepEqual(confirmation!.consents, {
      PharmacistsInfoConsFlg: '1',
      SpecificHealthCheckupsInfoConsFlg: '0',
    });
    // settings, then a fresh challenge right before the confirmation; each with the token
    assert.deepEqual(
      since.received().map((r) => `${r.method} ${r.path}`),
      ['POST /reader/v1/challenges', 'POST /reader/v1/confirmations'],
    );
    assert.ok(since.received().every((r) => r.authorization === `Bearer ${terminal.token}`));
    assert.deepEqual(since.events(), []);
    // nothing of the patient is on the reader's screen
    assert.ok(!JSON.stringify(done).includes('MessageHeader'));
    await assert.rejects(s.consent(true), { code: 'READER_STEP_INVALID' });
  });

  it('wrong PIN three times: 残り 2 回, 残り 1 回, then the blocked explanation; face and visual remain', async () => {
    const since = mark();
    const s = await session(2);
    await s.chooseMethod('pin');
    const once = await s.enterPin('0000');
    assert.equal(once.state, 'pin');
    assert.equal(once.message, '暗証番号が違います。残り 2 回');
    assert.equal(once.triesLeft, 2);
    assert.equal((await s.enterPin('9999')).message, '暗証番号が違います。残り 1 回');
    const blocked = await s.enterPin('1111');
    assert.equal(blocked.state, 'pin-blocked');
    assert.equal(blocked.blocked, true);
    assert.match(blocked.message, /暗証番号はロックされています。市区町村の窓口で暗証番号の初期化/);
    assert.deepEqual(blocked.methods, { pin: false, face: true, visual: true });
    assert.deepEqual(since.events(), [
      { kind: 'pin-wrong', triesLeft: 2 },
      { kind: 'pin-wrong', triesLeft: 1 },
      { kind: 'pin-blocked', triesLeft: 0 },
    ]);
    assert.equal((await readVirtualCardFile(cards.files[1]!)).blocked, true);
    await assert.rejects(s.enterPin(TEST_PIN), { code: 'READER_STEP_INVALID' });
    const done = await s.chooseMethod('face').then(() => s.face(match));
    assert.equal(done.state, 'consent');
    await s.consent(true);
    assert.equal((await s.consent(true)).state, 'done');
    assert.equal(since.confirmations()[0]!.authMethod, 'face');
  });

  it('an already-blocked card: shown on the method screen, the PIN leads to the explanation', async () => {
    const since = mark();
    const s = await session(2); // blocked by the test before
    const view = s.view();
    assert.equal(view.blocked, true);
    assert.equal(view.triesLeft, 0);
    assert.match(view.message, /暗証番号がロックされています/);
    const blocked = await s.chooseMethod('pin');
    assert.equal(blocked.state, 'pin-blocked');
    assert.match(blocked.message, /市区町村の窓口で暗証番号の初期化/);
    assert.deepEqual(since.events(), [{ kind: 'pin-blocked', triesLeft: 0 }]);
    assert.equal((await s.cancel()).state, 'cancelled');
  });

  it('face no-match: retry once or switch; a second no-match drops face; then PIN', async () => {
    const since = mark();
    const s = await session(3);
    await s.chooseMethod('face');
    const first = await s.face(noMatch);
    assert.equal(first.state, 'face');
    assert.equal(first.faceFailures, 1);
    assert.match(first.message, /もう一度お試しいただくか/);
    assert.deepEqual(first.methods, { pin: true, face: false, visual: true });
    const second = await s.face(noMatch);
    assert.equal(second.state, 'method');
    assert.deepEqual(second.methods, { pin: true, face: false, visual: true });
    await assert.rejects(s.chooseMethod('face'), { code: 'READER_STEP_INVALID' });
    await s.chooseMethod('pin');
    await s.enterPin(TEST_PIN);
    await s.consent(false);
    assert.equal((await s.consent(false)).state, 'done');
    assert.deepEqual(since.events(), [{ kind: 'face-no-match' }, { kind: 'face-no-match' }]);
    const [confirmation] = since.confirmations();
    assert.equal(confirmation!.authMethod, 'pin');
    assert.deepEqual(confirmation!.consents, {
      PharmacistsInfoConsFlg: '0',
      SpecificHealthCheckupsInfoConsFlg: '0',
    });
  });

  it('face no-match then a switch to PIN straight from the face screen', async () => {
    const s = await session(3);
    await s.chooseMethod('face');
    await s.face(noMatch);
    assert.equal((await s.chooseMethod('pin')).state, 'pin');
    assert.equal((await s.enterPin(TEST_PIN)).state, 'consent');
    await s.cancel();
  });

  it('目視確認: the staff confirms; 限度額 screen and the prescription form are sent as answered', async () => {
    const since = mark();
    const settings: ReaderSettings = {
      institutionCode: '1312345678',
      consentScreens: ['DiagnosisInfoConsFlg', 'OperationInfoConsFlg', 'PharmacistsInfoConsFlg'],
      limitConsentScreen: true,
      prescriptionChoice: true,
    };
    const s = await session(4, { settings });
    const visual = await s.chooseMethod('visual');
    assert.equal(visual.state, 'visual');
    assert.equal(visual.title, '目視確認');
    const screens: string[] = [];
    let view = await s.confirmVisual();
    for (const answer of [true, false, true, true]) {
      assert.equal(view.state, 'consent');
      screens.push(view.consent!.screen);
      view = await s.consent(answer);
    }
    assert.deepEqual(screens, [
      'DiagnosisInfoConsFlg',
      'OperationInfoConsFlg',
      'PharmacistsInfoConsFlg',
      'limit',
    ]);
    assert.equal(view.state, 'prescription');
    assert.deepEqual(
      view.prescriptionOptions?.map((o) => `${o.value} ${o.label}`),
      ['1 電子処方箋', '2 紙の処方箋'],
    );
    assert.equal((await s.prescription('2')).state, 'done');
    const [confirmation] = since.confirmations();
    assert.equal(confirmation!.authMethod, 'visual');
    assert.equal(confirmation!.LimitApplicationCertificateRelatedConsFlg, '1');
    assert.equal(confirmation!.PrescriptionIssueSelect, '2');
    assert.deepEqual(confirmation!.consents, {
      DiagnosisInfoConsFlg: '1',
      OperationInfoConsFlg: '0',
      PharmacistsInfoConsFlg: '1',
    });
  });

  it('no consent screens and no prescription choice: confirmed right after authentication', async () => {
    const since = mark();
    const settings = { ...plain, consentScreens: [] };
    const s = await session(4, { settings });
    await s.chooseMethod('face');
    assert.equal((await s.face(match)).state, 'done');
    assert.deepEqual(since.confirmations()[0]!.consents, {});
  });

  it('unregistered card after face: 初回登録 asks for the PIN, registers by PIN, confirms again', async () => {
    const since = mark();
    const s = await session(7, { settings: { ...plain, consentScreens: ['PharmacistsInfoConsFlg'] } });
    await s.chooseMethod('face');
    await s.face(match);
    const offer = await s.consent(true);
    assert.equal(offer.state, 'register');
    assert.equal(offer.title, '健康保険証として利用登録しますか');
    const pin = await s.register(true);
    assert.equal(pin.state, 'pin');
    assert.equal(pin.pinPurpose, 'register');
    assert.deepEqual(pin.methods, { pin: false, face: false, visual: false });
    await assert.rejects(s.chooseMethod('visual'), { code: 'READER_STEP_INVALID' });
    assert.equal((await s.enterPin('0000')).message, '暗証番号が違います。残り 2 回');
    const done = await s.enterPin(TEST_PIN);
    assert.equal(done.state, 'done');
    assert.ok(terminal.registered.has(cards.certificates[6]!));
    const paths = since.received().map((r) => r.path);
    assert.deepEqual(paths, [
      '/reader/v1/challenges',
      '/reader/v1/confirmations',
      '/reader/v1/events',
      '/reader/v1/challenges',
      '/reader/v1/registrations',
      '/reader/v1/challenges',
      '/reader/v1/confirmations',
    ]);
    const registration = since.received()[4]!.body as Record<string, unknown>;
    assert.equal(registration.authMethod, 'pin');
    assert.deepEqual(Object.keys(registration).sort(), [
      'authMethod',
      'certificate',
      'challenge',
      'signature',
    ]);
    const [confirmation] = since.confirmations();
    assert.equal(confirmation!.authMethod, 'face');
    assert.deepEqual(confirmation!.consents, { PharmacistsInfoConsFlg: '1' });
  });

  it('unregistered card after PIN: registers without asking again', async () => {
    const since = mark();
    const s = await session(8, { settings: { ...plain, consentScreens: [] } });
    await s.chooseMethod('pin');
    assert.equal((await s.enterPin(TEST_PIN)).state, 'register');
    assert.equal((await s.register(true)).state, 'done');
    assert.deepEqual(
      since.received().map((r) => r.path.replace('/reader/v1/', '')),
      ['challenges', 'confirmations', 'challenges', 'registrations', 'challenges', 'confirmations'],
    );
    assert.equal(since.confirmations()[0]!.authMethod, 'pin');
  });

  it('declining 初回登録 ends the session, reported as cancelled', async () => {
    const other = await createTestCards(1);
    after(() => other.remove());
    const unregistered = other.files[0]!;
    const channel = createReaderChannelClient({ terminalUrl: terminal.url, token: terminal.token });
    const s = await openReaderSession({
      id: 'x',
      card: await placeCard(await openVirtualMyNumberCard(unregistered)),
      cardRef: { id: 'card-1', label: 'カード 1' },
      channel,
      settings: { ...plain, consentScreens: [] },
      faceMatcher: new SimulatedFaceMatcher(),
    });
    const since = mark();
    await s.chooseMethod('visual');
    assert.equal((await s.confirmVisual()).state, 'register');
    const end = await s.register(false);
    assert.equal(end.state, 'cancelled');
    assert.equal(end.error?.code, 'CARD_NOT_REGISTERED');
    assert.deepEqual(since.events(), [{ kind: 'cancelled', code: 'CARD_NOT_REGISTERED' }]);
  });

  it('cancel at every step: reported once, the card released, nothing more accepted', async () => {
    const settings: ReaderSettings = { ...plain, limitConsentScreen: true, prescriptionChoice: true };
    const steps: ((s: ReaderSession) => Promise<unknown>)[] = [
      async () => {},
      (s) => s.chooseMethod('pin'),
      (s) => s.chooseMethod('face'),
      (s) => s.chooseMethod('visual'),
      (s) => s.chooseMethod('pin').then(() => s.enterPin(TEST_PIN)),
      (s) =>
        s
          .chooseMethod('visual')
          .then(() => s.confirmVisual())
          .then(() => s.consent(true))
          .then(() => s.consent(true))
          .then(() => s.consent(true)),
    ];
    const states: string[] = [];
    for (const step of steps) {
      const since = mark();
      const s = await session(5, { settings });
      await step(s);
      states.push(s.state);
      const view = await s.cancel();
      assert.equal(view.state, 'cancelled');
      assert.equal(view.title, '取り消しました');
      assert.deepEqual(since.events(), [{ kind: 'cancelled' }]);
      assert.deepEqual(since.confirmations(), []);
      await s.cancel(); // a second cancel is not reported again
      assert.equal(since.events().length, 1);
      await assert.rejects(s.chooseMethod('pin'), { code: 'READER_STEP_INVALID' });
    }
    assert.deepEqual(states, ['method', 'pin', 'face', 'visual', 'consent', 'prescription']);
  });

  it('times out when idle, reported as cancelled with READER_SESSION_TIMEOUT', async () => {
    let now = new Date('2026-11-26T01:00:00Z');
    const since = mark();
    const s = await session(6, { now: () => now });
    await s.chooseMethod('pin');
    now = new Date(now.getTime() + 179_000);
    assert.equal(await s.expireIfIdle(), false);
    await s.enterPin(TEST_PIN); // activity: the clock starts again
    now = new Date(now.getTime() + 179_000);
    assert.equal(await s.expireIfIdle(), false);
    assert.equal(s.view().expiresAt, new Date(now.getTime() + 1_000).toISOString());
    now = new Date(now.getTime() + 1_000);
    assert.equal(await s.expireIfIdle(), true);
    assert.equal(s.state, 'timed-out');
    assert.equal(s.view().error?.code, 'READER_SESSION_TIMEOUT');
    assert.deepEqual(since.events(), [{ kind: 'cancelled', code: 'READER_SESSION_TIMEOUT' }]);
    assert.equal(await s.expireIfIdle(), false);
    await assert.rejects(s.consent(true), { code: 'READER_STEP_INVALID' });
  });

  it('a refusal from central other than CARD_NOT_REGISTERED ends as failed, reported as error', async () => {
    const since = mark();
    const s = await session(6, { settings: { ...plain, consentScreens: [] } });
    await s.chooseMethod('pin');
    terminal.refuseConfirmations = {
      status: 404,
      code: 'CARD_LINK_NOT_FOUND',
      message: '資格情報が見つかりません。',
    };
    try {
      const failed = await s.enterPin(TEST_PIN);
      assert.equal(failed.state, 'failed');
      assert.deepEqual(failed.error, { code: 'CARD_LINK_NOT_FOUND', message: '資格情報が見つかりません。' });
      assert.equal(failed.message, '資格情報が見つかりません。受付窓口にお申し出ください。');
    } finally {
      terminal.refuseConfirmations = undefined;
    }
    assert.deepEqual(since.events(), [{ kind: 'error', code: 'CARD_LINK_NOT_FOUND' }]);
  });

  it('a terminal that cannot be reached: failed with READER_TERMINAL_UNREACHABLE', async () => {
    const gone = await startTerminalDouble();
    await gone.close();
    const unreported: unknown[] = [];
    const s = await openReaderSession({
      id: 'y',
      card: await placeCard(await openVirtualMyNumberCard(cards.files[5]!)),
      cardRef: { id: 'card-6', label: 'カード 6' },
      channel: createReaderChannelClient({ terminalUrl: gone.url, token: gone.token }),
      settings: { ...plain, consentScreens: [] },
      faceMatcher: new SimulatedFaceMatcher(),
      onReportError: (_error, event) => unreported.push(event),
    });
    await s.chooseMethod('face');
    const failed = await s.face(match);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.error?.code, 'READER_TERMINAL_UNREACHABLE');
    assert.match(failed.message, /受付窓口にお申し出ください/);
    assert.deepEqual(unreported, [{ kind: 'error', code: 'READER_TERMINAL_UNREACHABLE' }]);
  });

  it('refuses a malformed PIN without counting it', async () => {
    const s = await session(6);
    await s.chooseMethod('pin');
    await assert.rejects(s.enterPin('12'), { code: 'CARD_PIN_FORMAT_INVALID' });
    assert.equal(s.view().triesLeft, 3);
    assert.equal((await readVirtualCardFile(cards.files[5]!)).triesLeft, 3);
    await s.cancel();
  });
});
