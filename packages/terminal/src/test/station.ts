/**
 * Test fixture for the terminal's own server: a real central with the card-check routes over
 * mutual TLS on the given store (tests run it on SQLite and PostgreSQL through central's
 * forEachStore), a JPKI card world, insured persons with registered and unregistered card links,
 * the institution's certificate as PEM files, and a started terminal. Plus small HTTP helpers for
 * the reader channel and the UI API (cookie, CSRF).
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cardCheckExtraRoutes,
  createLogger,
  importCheckupFile,
  importClaimFile,
  loadConfig,
  type RunningCentral,
  type Store,
  startCentral,
  syntheticDrugs,
  upsertDrugs,
} from '@onshi/central';
import { addMonths, jstDate } from '@onshi/core';
import {
  type IssuedUserCertificate,
  readUserCertificate,
  selectJpkiAp,
  signChallenge,
  VirtualMyNumberCard,
  verifyPin,
} from '@onshi/pki';
import {
  type CardWorld,
  createCardWorld,
  linkCard,
} from '../../../central/src/card-check/card-check.fixture.ts';
import { encodeCheckup } from '../../../central/src/medical/checkups.write.ts';
import { encodeClaimFile } from '../../../central/src/medical/claims.write.ts';
import {
  addInsurer,
  addPerson,
  addQualification,
  institutionCode,
  insurerNumber,
} from '../../../central/src/test/fixtures.ts';
import { createTestPki, type TestPki } from '../../../central/src/test/pki.ts';
import { type RunningTerminal, startTerminal, type TerminalSettings } from '../station/station.start.ts';

export const clinic = institutionCode('13', '1', '012345');
export const kumiai = insurerNumber('06', '13', '999');
export const PIN = '1234';

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers in assertions
export type Json = any;

export interface StationWorld {
  readonly world: CardWorld;
  readonly pki: TestPki;
  readonly central: RunningCentral;
  /** Card 1 (card number '1'): registered. Card 2 (card number '2'): linked, not registered. */
  readonly registered: IssuedUserCertificate;
  readonly unregistered: IssuedUserCertificate;
  readonly files: { cert: string; key: string; ca: string };
  readonly dir: string;
  startTerminal(overrides?: Partial<TerminalSettings>): Promise<RunningTerminal>;
  dispose(): Promise<void>;
}

export async function createStationWorld(store: Store): Promise<StationWorld> {
  const world = await createCardWorld();
  world.clock.set(new Date());
  const registered = await world.issueCard();
  const unregistered = await world.issueCard();
  await addInsurer(store, kumiai, 'kumiai', '霞が関健康保険組合');
  for (const [n, card] of [
    ['1', registered],
    ['2', unregistered],
  ] as const) {
    const personId = await addPerson(store, { name: `厚労　花子${n}`, birthdate: '1990-05-05', sex: '2' });
    await addQualification(store, {
      personId,
      insurerNumber: kumiai,
      cardSymbol: '12',
      cardNumber: n,
      branchNumber: '00',
      qualificationDate: '2020-04-01',
    });
    await linkCard(store, card, personId, card === registered);
  }
  const pki = await createTestPki();
  const config = loadConfig({ ONSHI_PORT: '0', ...pki.env });
  const central = await startCentral(config, {
    store,
    clock: { now: () => new Date() },
    logger: createLogger(() => {}),
    extraRoutes: cardCheckExtraRoutes({ cardVerifier: world.verifier(), maxBodyBytes: 65536 }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'onshi-station-'));
  const files = await pki.clientFiles(clinic, dir);
  const terminals: RunningTerminal[] = [];
  let next = 0;
  return {
    world,
    pki,
    central,
    registered,
    unregistered,
    files,
    dir,
    async startTerminal(overrides = {}) {
      const terminal = await startTerminal({
        dir: join(dir, `terminal-${++next}`),
        centralUrl: central.url,
        certFile: files.cert,
        keyFile: files.key,
        caFile: files.ca,
        uiPort: 0,
        options: { scanMs: 100, settleMs: 50 },
        ...overrides,
      });
      terminals.push(terminal);
      return terminal;
    },
    async dispose() {
      for (const terminal of terminals) await terminal.close();
      await central.close();
      pki.dispose();
      await world.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A card holder of the medical data (default: card 1's holder of the station world). */
export interface MedicalHolder {
  readonly name: string;
  readonly sex: string;
  readonly birthdate: string;
  readonly insurerNumber: string;
  readonly cardSymbol: string;
  readonly cardNumber: string;
  readonly branchNumber: string;
}

/**
 * Medical data of one holder (default card 1's: 厚労　花子1, card 12-1-00): a dispensing last month
 * at `institution` and two examinations.
 */
export async function medicalData(
  store: Store,
  holder: MedicalHolder = {
    name: '厚労　花子1',
    sex: '2',
    birthdate: '1990-05-05',
    insurerNumber: kumiai,
    cardSymbol: '12',
    cardNumber: '1',
    branchNumber: '00',
  },
  institution = clinic,
): Promise<void> {
  await upsertDrugs(store, syntheticDrugs);
  const today = jstDate(new Date());
  const month = addMonths(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
  const claims = encodeClaimFile({
    kind: 'medical',
    institutionCode: institution,
    institutionName: 'オンシ内科',
    billingMonth: month,
    receipts: [
      {
        ...holder,
        month,
        units: [
          {
            treatment: '21',
            drugs: [{ drugCode: syntheticDrugs[0]!.drugCode, quantity: '1' }],
            days: new Map([[3, 28]]),
          },
        ],
      },
    ],
  });
  const imported = await importClaimFile(store, { content: claims, clock: { now: () => new Date() } });
  assert.ok(imported.accepted, JSON.stringify(imported.problems));
  for (const [year, sbp] of [
    [2024, '124'],
    [2025, '136'],
  ] as const) {
    const content = encodeCheckup({
      documentId: `api-${year}`,
      ...holder,
      nameKana: 'ｺｳﾛｳ ﾊﾅｺ',
      examDate: `${year}-06-10`,
      institutionCode: institution,
      institutionName: 'オンシ内科',
      results: [
        { code: '9N006000000000001', name: '体重', type: 'PQ', value: '52.0', unit: 'kg' },
        {
          code: '9A755000000000001',
          name: '収縮期血圧',
          type: 'PQ',
          value: sbp,
          unit: 'mmHg',
          high: '129',
          interpretation: Number(sbp) > 129 ? 'H' : 'N',
        },
      ],
    });
    const report = await importCheckupFile(store, { content, clock: { now: () => new Date() } });
    assert.ok(report.accepted, JSON.stringify(report.problems));
  }
}

/** A virtual My Number card holding an issued certificate (PIN 1234). */
export function virtualCard(issued: IssuedUserCertificate): VirtualMyNumberCard {
  return new VirtualMyNumberCard({
    certificate: issued.certificateDer,
    privateKey: issued.privateKey,
    pin: PIN,
    counter: { triesLeft: 3, blocked: false },
    persist: async () => {},
  });
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json(): Json;
}

export function http(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const body =
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body);
    const headers = {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    };
    const req = request(
      url,
      { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The reader's side of the channel: token from the file, the card doing its part. */
export function readerClient(terminal: RunningTerminal) {
  const token = readFileSync(terminal.readerTokenFile, 'utf8').trim();
  const call = (path: string, body?: unknown) =>
    http(new URL(`reader/v1/${path}`, terminal.url).toString(), {
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body }),
    });
  return {
    call,
    /** Challenge from central through the terminal, PIN verified, the card signs: the proof body. */
    async proof(
      card: VirtualMyNumberCard,
      authMethod: 'pin' | 'face' = 'pin',
    ): Promise<Record<string, string>> {
      const challenge = await call('challenges', {});
      if (challenge.status !== 200) throw new Error(`challenge: ${challenge.status} ${challenge.text}`);
      await card.reset();
      await selectJpkiAp(card);
      if (authMethod === 'pin') {
        const verified = await verifyPin(card, PIN);
        if (!verified.ok) throw new Error('PIN refused');
      } else card.recordFaceAuthentication();
      const certificate = await readUserCertificate(card);
      const signature = await signChallenge(card, Buffer.from(challenge.json().challenge, 'base64'));
      return {
        challenge: challenge.json().challenge,
        certificate: Buffer.from(certificate).toString('base64'),
        signature: Buffer.from(signature).toString('base64'),
        authMethod,
      };
    },
  };
}

/** The patient confirms with the card at the reader and consents to 薬剤 and 特定健診 (asserted 200). */
export async function consentAtReader(terminal: RunningTerminal, card: VirtualMyNumberCard): Promise<void> {
  const reader = readerClient(terminal);
  const answer = await reader.call('confirmations', {
    ...(await reader.proof(card)),
    consents: { PharmacistsInfoConsFlg: '1', SpecificHealthCheckupsInfoConsFlg: '1' },
  });
  assert.equal(answer.status, 200, answer.text);
}

/** A logged-in staff member: cookie and CSRF token kept, sent on every call. */
export async function loginAs(terminal: RunningTerminal, login: string, password: string) {
  const answer = await http(new URL('api/login', terminal.url).toString(), { body: { login, password } });
  if (answer.status !== 200) throw new Error(`login ${login}: ${answer.status} ${answer.text}`);
  const cookie = String(answer.headers['set-cookie']).split(';', 1)[0]!;
  const csrf = answer.json().csrf as string;
  const call = (path: string, init: { method?: string; body?: unknown; csrf?: boolean } = {}) =>
    http(new URL(path.replace(/^\//, ''), terminal.url).toString(), {
      ...(init.method ? { method: init.method } : {}),
      ...(init.body === undefined ? {} : { body: init.body }),
      headers: { cookie, ...(init.csrf === false ? {} : { 'x-onshi-csrf': csrf }) },
    });
  return { cookie, csrf, setCookie: String(answer.headers['set-cookie']), call };
}

/** Collects the live feed's `record` events of a logged-in session. */
export function subscribeFeed(terminal: RunningTerminal, cookie: string) {
  const events: Json[] = [];
  let opened: () => void;
  const ready = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const req = request(
    new URL('api/feed', terminal.url),
    { headers: { cookie, accept: 'text/event-stream' } },
    (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        opened();
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          if (/^event: record$/m.test(block) && data) events.push(JSON.parse(data));
          end = buffer.indexOf('\n\n');
        }
      });
      res.on('error', () => {});
    },
  );
  req.on('error', () => {});
  req.end();
  return { events, ready, close: () => req.destroy() };
}
