/**
 * The reader's HTTP server: the page and its assets, the card list, a full session over the JSON
 * API (the calls the page makes), errors, and the token file — with real card files and a
 * checking stand-in for the terminal's reader channel.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readVirtualCardFile, writeVirtualCardFile } from '@onshi/pki';
import { type RunningReader, startReader } from './server.ts';
import type { ReaderView } from './session.ts';
import {
  createTestCards,
  startTerminalDouble,
  TEST_PIN,
  type TerminalDouble,
  type TestCards,
} from './test-support.ts';

describe('reader server', () => {
  let cards: TestCards;
  let terminal: TerminalDouble;
  let reader: RunningReader;
  const tokenFile = () => join(cards.dir, 'reader.token');

  before(async () => {
    cards = await createTestCards(3);
    // A tenth file named so that plain string order would put it before person-2.
    const tenth = await readVirtualCardFile(cards.files[2]!);
    await writeVirtualCardFile(join(cards.cardsDir, 'person-10.card.json'), {
      ...tenth,
      triesLeft: 0,
      blocked: true,
    });
    await writeFile(join(cards.cardsDir, 'links.ndjson'), '');
    terminal = await startTerminalDouble({
      registered: cards.certificates.slice(0, 2),
      settings: {
        institutionCode: '1312345678',
        consentScreens: ['SpecificHealthCheckupsInfoConsFlg', 'PharmacistsInfoConsFlg'],
        limitConsentScreen: false,
        prescriptionChoice: true,
      },
    });
    await writeFile(tokenFile(), `${terminal.token}\n`, { mode: 0o600 });
    reader = await startReader({
      port: 0,
      cardsDir: cards.cardsDir,
      terminalUrl: terminal.url,
      tokenFile: tokenFile(),
    });
  });
  after(async () => {
    await reader?.close();
    await terminal?.close();
    await cards?.remove();
  });

  async function call(method: string, path: string, body?: unknown, contentType = 'application/json') {
    const response = await fetch(`${reader.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  const post = async (path: string, body: unknown = {}) => {
    const answer = await call('POST', path, body);
    assert.ok(answer.status < 300, `${path}: ${JSON.stringify(answer.body)}`);
    return answer.body as unknown as ReaderView;
  };

  it('serves the screen: one page, its module and stylesheet, same-origin only', async () => {
    const page = await fetch(`${reader.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await page.text();
    assert.match(html, /<html lang="ja">/);
    assert.match(html, /src="\/static\/app\.js"/);
    assert.doesNotMatch(html, /https?:\/\//);
    for (const [path, type] of [
      ['/static/app.js', /^text\/javascript/],
      ['/static/style.css', /^text\/css/],
    ] as const) {
      const asset = await fetch(`${reader.url}${path}`);
      assert.equal(asset.status, 200);
      assert.match(asset.headers.get('content-type') ?? '', type);
      // No external resource: the only URL allowed is the SVG namespace name (never fetched).
      assert.doesNotMatch(await asset.text(), /https?:\/\/(?!reader|www\.w3\.org\/2000\/svg['"])/);
    }
    assert.equal((await call('GET', '/static/../server.ts')).status, 404);
  });

  it('lists the cards as カード 1, 2 … in natural order, with tries left and the blocked ones', async () => {
    const { status, body } = await call('GET', '/api/cards');
    assert.equal(status, 200);
    assert.deepEqual(body.cards, [
      { id: 'card-1', label: 'カード 1', file: 'person-1.card.json', triesLeft: 3, blocked: false },
      { id: 'card-2', label: 'カード 2', file: 'person-2.card.json', triesLeft: 3, blocked: false },
      { id: 'card-3', label: 'カード 3', file: 'person-3.card.json', triesLeft: 3, blocked: false },
      { id: 'card-4', label: 'カード 4', file: 'person-10.card.json', triesLeft: 0, blocked: true },
    ]);
  });

  it('a full session over HTTP: card, PIN (one wrong), consents, prescription, done', async () => {
    const since = terminal.received.length;
    const placed = await call('POST', '/api/sessions', { card: 'card-1' });
    assert.equal(placed.status, 201);
    const started = placed.body as unknown as ReaderView;
    assert.equal(started.state, 'method');
    assert.deepEqual(started.card, { id: 'card-1', label: 'カード 1' });
    const id = started.sessionId;
    assert.match(id, /^[0-9a-f]{20}$/);
    await post(`/api/sessions/${id}/method`, { method: 'pin' });
    const wrong = await post(`/api/sessions/${id}/pin`, { pin: '4321' });
    assert.equal(wrong.message, '暗証番号が違います。残り 2 回');
    const listed = (await call('GET', '/api/cards')).body.cards as { id: string; triesLeft: number }[];
    assert.equal(listed.find((card) => card.id === 'card-1')?.triesLeft, 2); // the card file keeps count
    const consent = await post(`/api/sessions/${id}/pin`, { pin: TEST_PIN });
    assert.equal(consent.consent?.screen, 'SpecificHealthCheckupsInfoConsFlg');
    await post(`/api/sessions/${id}/consent`, { agree: false });
    const prescription = await post(`/api/sessions/${id}/consent`, { agree: true });
    assert.equal(prescription.state, 'prescription');
    const done = await post(`/api/sessions/${id}/prescription`, { select: '1' });
    assert.equal(done.state, 'done');
    assert.equal(done.title, '受付が完了しました');
    assert.deepEqual((await call('GET', `/api/sessions/${id}`)).body, done);
    const requests = terminal.received.slice(since);
    assert.deepEqual(
      requests.map((r) => `${r.method} ${r.path}`),
      [
        'GET /reader/v1/settings',
        'POST /reader/v1/events',
        'POST /reader/v1/challenges',
        'POST /reader/v1/confirmations',
      ],
    );
    assert.ok(requests.every((r) => r.authorization === `Bearer ${terminal.token}`));
    const confirmation = terminal.confirmations.at(-1)!;
    assert.equal(confirmation.PrescriptionIssueSelect, '1');
    assert.deepEqual(confirmation.consents, {
      SpecificHealthCheckupsInfoConsFlg: '0',
      PharmacistsInfoConsFlg: '1',
    });
    assert.deepEqual(terminal.events.at(-1), { kind: 'pin-wrong', triesLeft: 2 });
  });

  it('unregistered card over HTTP: face, 初回登録, PIN, done', async () => {
    const { sessionId: id } = await post('/api/sessions', { card: 'card-3' });
    await post(`/api/sessions/${id}/method`, { method: 'face' });
    await post(`/api/sessions/${id}/face`, { outcome: 'match' });
    await post(`/api/sessions/${id}/consent`, { agree: true });
    await post(`/api/sessions/${id}/consent`, { agree: true });
    assert.equal((await post(`/api/sessions/${id}/prescription`, { select: '2' })).state, 'register');
    assert.equal((await post(`/api/sessions/${id}/register`, { register: true })).pinPurpose, 'register');
    assert.equal((await post(`/api/sessions/${id}/pin`, { pin: TEST_PIN })).state, 'done');
    assert.equal(terminal.confirmations.at(-1)!.authMethod, 'face');
  });

  it('errors as { code, message } with the catalogue status', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/sessions', { card: 'card-9' }, 404, 'READER_CARD_UNKNOWN'],
      ['POST', '/api/sessions', {}, 400, 'MSG_FIELD_REQUIRED'],
      ['GET', '/api/sessions/00000000000000000000', undefined, 404, 'READER_SESSION_UNKNOWN'],
      ['POST', '/api/sessions/00000000000000000000/cancel', {}, 404, 'READER_SESSION_UNKNOWN'],
      ['GET', '/api/nothing', undefined, 404, 'HTTP_NOT_FOUND'],
      ['DELETE', '/api/cards', undefined, 405, 'HTTP_METHOD_NOT_ALLOWED'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const answer = await call(method, path, body);
      assert.equal(answer.status, status, `${method} ${path}`);
      assert.equal(answer.body.code, code, `${method} ${path}`);
      assert.equal(typeof answer.body.message, 'string');
    }
    const { sessionId: id } = await post('/api/sessions', { card: 'card-2' });
    const step = await call('POST', `/api/sessions/${id}/pin`, { pin: TEST_PIN });
    assert.deepEqual(step, {
      status: 409,
      body: { code: 'READER_STEP_INVALID', message: '今の画面（method）では pin はできません。' },
    });
    assert.equal((await call('POST', `/api/sessions/${id}/method`, { method: 'fingerprint' })).status, 400);
    assert.equal((await call('POST', `/api/sessions/${id}/method`, 'method=pin', 'text/plain')).status, 415);
    assert.equal(
      (await call('POST', `/api/sessions/${id}/method`, '{', 'application/json')).body.code,
      'MSG_JSON_MALFORMED',
    );
    await post(`/api/sessions/${id}/method`, { method: 'pin' });
    assert.equal(
      (await call('POST', `/api/sessions/${id}/pin`, { pin: '12' })).body.code,
      'CARD_PIN_FORMAT_INVALID',
    );
    assert.equal((await post(`/api/sessions/${id}/cancel`)).state, 'cancelled');
    assert.deepEqual(terminal.events.at(-1), { kind: 'cancelled' });
  });

  it('one card slot: placing another card cancels the session under way', async () => {
    const first = await post('/api/sessions', { card: 'card-1' });
    await post(`/api/sessions/${first.sessionId}/method`, { method: 'visual' });
    const events = terminal.events.length;
    const second = await post('/api/sessions', { card: 'card-2' });
    assert.notEqual(second.sessionId, first.sessionId);
    assert.deepEqual(terminal.events.slice(events), [{ kind: 'cancelled' }]);
    assert.equal((await call('GET', `/api/sessions/${first.sessionId}`)).body.code, 'READER_SESSION_UNKNOWN');
    assert.equal((await post(`/api/sessions/${second.sessionId}/cancel`)).state, 'cancelled');
  });

  it('reads the token file for each request: a wrong token is the terminal refusal, shown as is', async () => {
    await writeFile(tokenFile(), 'not-the-token\n');
    try {
      const answer = await call('POST', '/api/sessions', { card: 'card-1' });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.code, 'READER_TOKEN_INVALID');
    } finally {
      await writeFile(tokenFile(), `${terminal.token}\n`);
    }
    assert.equal((await call('POST', '/api/sessions', { card: 'card-1' })).status, 201);
  });

  it('a session idle past the timeout ends (clock given to startReader)', async () => {
    let now = new Date('2026-11-26T01:00:00Z');
    const timed = await startReader({
      port: 0,
      cardsDir: cards.cardsDir,
      terminalUrl: terminal.url,
      token: terminal.token,
      clock: { now: () => now },
      sessionTimeoutMs: 60_000,
    });
    try {
      const started = await fetch(`${timed.url}/api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ card: 'card-2' }),
      });
      const { sessionId } = (await started.json()) as ReaderView;
      now = new Date(now.getTime() + 60_000);
      const view = (await (await fetch(`${timed.url}/api/sessions/${sessionId}`)).json()) as ReaderView;
      assert.equal(view.state, 'timed-out');
      assert.equal(view.error?.code, 'READER_SESSION_TIMEOUT');
      assert.deepEqual(terminal.events.at(-1), { kind: 'cancelled', code: 'READER_SESSION_TIMEOUT' });
    } finally {
      await timed.close();
    }
  });
});
