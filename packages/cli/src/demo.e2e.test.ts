/**
 * Browser end-to-end tests on the demo as a user starts it (`onshi demo --dir DIR`): central,
 * terminal and reader in one process on free ports, driven through Debian's Chromium. They cover
 * the issue's contract: a patient session at the reader (PIN, consents, prescription form) → a
 * face file with the right content → the entry in the reception feed without a reload; a check by
 * card data in the staff UI (check digits as you type); three wrong PINs → the blocked-card
 * explanation; SIGTERM → a clean exit.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  decodeMessage,
  type QualificationConfirmResult,
  qualificationConfirmRequestSchema,
  qualificationConfirmResultSchema,
} from '@onshi/core';
import { faceFilePattern } from '@onshi/terminal';
import type { Browser, Locator, Page } from 'playwright-core';
import { readDemoLogins } from './demo-logins.ts';
import { launchChromium } from './test/browser.ts';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'onshi-e2e-'));
let demo: ChildProcess;
let output = '';
let urls: { central: string; terminal: string; reader: string };
let browser: Browser;

function startDemo(): Promise<typeof urls> {
  demo = spawn(
    process.execPath,
    [
      main,
      'demo',
      '--dir',
      dir,
      '--persons',
      '400',
      '--port',
      '0',
      '--terminal-port',
      '0',
      '--reader-port',
      '0',
      '--portal-port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('onshi demo ready')) return;
      clearTimeout(timer);
      const url = (name: string) => {
        const match = output.match(new RegExp(`^  ${name}:\\s+(\\S+)`, 'm'));
        if (!match) throw new Error(`no ${name} URL in:\n${output}`);
        return match[1]!.replace(/\/$/, '');
      };
      resolve({ central: url('central'), terminal: url('terminal'), reader: url('reader') });
    };
    demo.stdout!.on('data', onData);
    demo.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    demo.on('exit', (code) => reject(new Error(`demo exited (${code}):\n${output}`)));
  });
}

before(async () => {
  urls = await startDemo();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (demo.exitCode === null) demo.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function staffPage(login: 'admin' | 'clerk'): Promise<Page> {
  const account = readDemoLogins(dir).find((l) => l.login === login)!;
  const page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await page.goto(urls.terminal);
  await page.getByTestId('login-user').fill(account.login);
  await page.getByTestId('login-password').fill(account.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
  return page;
}

async function readerPage(): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await page.goto(urls.reader);
  await page.getByTestId('card-list').waitFor();
  return page;
}

async function enterPin(page: Page, pin: string): Promise<void> {
  for (const digit of pin) await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-ok').click();
}

/** Waits for the reader's screen to show `state` (data-state of the `screen` region). */
async function readerState(page: Page, state: string): Promise<void> {
  await page.locator(`[data-testid="screen"][data-state="${state}"]:not([data-busy="true"])`).waitFor();
}

/** The text of an element (textContent, '' when none). */
async function text(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

function faceFiles(): string[] {
  return readdirSync(join(dir, 'face')).filter((name) => name.endsWith('.xml'));
}

test('a patient at the reader: PIN, consents, prescription form → face file → reception feed', async () => {
  // The administrator turns on every consent screen and the prescription-form choice.
  const admin = await staffPage('admin');
  await admin.getByTestId('nav-settings').click();
  for (const flag of [
    'PharmacistsInfoConsFlg',
    'SpecificHealthCheckupsInfoConsFlg',
    'DiagnosisInfoConsFlg',
  ]) {
    await admin.getByTestId(`settings-consent-${flag}`).check();
  }
  await admin.getByTestId('settings-consent-OperationInfoConsFlg').uncheck();
  await admin.getByTestId('settings-prescription').check();
  await admin.getByTestId('settings-save').click();
  await admin.getByTestId('settings-saved').waitFor();

  // The reception clerk watches the feed.
  const clerk = await staffPage('clerk');
  await clerk.getByTestId('nav-feed').click();
  await clerk.getByTestId('feed-list').waitFor({ state: 'attached' });
  const before = await clerk.getByTestId('feed-item').count();

  const reader = await readerPage();
  await reader.getByTestId('card-1').click();
  await readerState(reader, 'method');
  await reader.getByTestId('method-pin').click();
  await readerState(reader, 'pin');
  await enterPin(reader, '1234');
  // Consent screens in the institution's order: yes to 薬剤, no to 特定健診, yes to 診療, then 限度額.
  const answers: Record<string, 'yes' | 'no'> = {
    PharmacistsInfoConsFlg: 'yes',
    SpecificHealthCheckupsInfoConsFlg: 'no',
    DiagnosisInfoConsFlg: 'yes',
    limit: 'yes',
  };
  const shown: string[] = [];
  for (let i = 0; i < 4; i++) {
    await readerState(reader, 'consent');
    const screen = (await reader.getByTestId('consent-text').getAttribute('data-screen'))!;
    shown.push(screen);
    await reader.getByTestId(`consent-${answers[screen]}`).click();
    await reader
      .locator(`[data-testid="consent-text"][data-screen="${screen}"]`)
      .waitFor({ state: 'detached' });
  }
  assert.deepEqual(shown, [
    'PharmacistsInfoConsFlg',
    'SpecificHealthCheckupsInfoConsFlg',
    'DiagnosisInfoConsFlg',
    'limit',
  ]);
  await readerState(reader, 'prescription');
  await reader.getByTestId('prescription-electronic').click();
  await readerState(reader, 'done');
  assert.match(await text(reader.getByTestId('title')), /受付が完了しました/);

  // The face file: the interface's name, the OQS-IF-002 result with the patient's answers.
  const [name, ...others] = faceFiles();
  assert.equal(others.length, 0);
  assert.match(name!, faceFilePattern);
  assert.match(name!, /^OQSsiquc01res_face_1310123458[0-9a-f]{20}_\d{14}\.xml$/);
  const result = decodeMessage(
    readFileSync(join(dir, 'face', name!)),
    qualificationConfirmResultSchema,
  ) as QualificationConfirmResult;
  assert.equal(result.MessageHeader.ReferenceClassification, '1');
  assert.equal(result.MessageHeader.CharacterCodeIdentifier, '0');
  assert.equal(result.MessageHeader.SegmentOfResult, '1');
  assert.equal(result.MessageBody.PrescriptionIssueSelect, '1');
  const confirmation = result.MessageBody.ResultList?.ResultOfQualificationConfirmation;
  const first = Array.isArray(confirmation) ? confirmation[0] : confirmation;
  assert.ok(first, 'the face file holds a qualification');
  assert.equal(first.PharmacistsInfoConsFlg, '1');
  assert.equal(first.SpecificHealthCheckupsInfoConsFlg, '0');
  assert.equal(first.DiagnosisInfoConsFlg, '1');
  assert.equal(first.LimitApplicationCertificateRelatedConsFlg, '1');

  // The clerk's feed shows the session without a reload, with its consents.
  await clerk.getByTestId('feed-item').nth(before).waitFor();
  const item = clerk.getByTestId('feed-item').first();
  await item.getByTestId('feed-item-face').click();
  await clerk.getByTestId('face-view-name').filter({ hasText: name! }).waitFor();
  assert.match(await text(clerk.getByTestId('face-view-xml')), /<ReferenceClassification>1</);
  const consents = await text(item.getByTestId('feed-item-consents'));
  assert.match(consents, /薬剤/);
  assert.match(consents, /診療/);
});

test('a check by card data in the staff UI: check digits as you type, then an obvious result', async () => {
  const request = decodeMessage(
    readFileSync(join(dir, 'OQSsiquc01req_demo0001.xml')),
    qualificationConfirmRequestSchema,
  );
  const card = request.MessageBody.QualificationConfirmSearchInfo;
  const clerk = await staffPage('clerk');
  await clerk.getByTestId('nav-check').click();

  // A wrong check digit is flagged while typing, before anything is sent.
  const insurer = card.InsurerNumber.trim();
  const last = Number(insurer.at(-1));
  const wrong = `${insurer.slice(0, -1)}${(last + 1) % 10}`;
  await clerk.getByTestId('check-insurer').fill(wrong);
  await clerk.getByTestId('field-error-insurer').filter({ hasText: /.+/ }).waitFor();

  await clerk.getByTestId('check-insurer').fill(insurer);
  await clerk.waitForFunction(
    `document.querySelector('[data-testid="field-error-insurer"]')?.textContent === ''`,
  );
  if (card.InsuredCardSymbol) await clerk.getByTestId('check-symbol').fill(card.InsuredCardSymbol);
  await clerk.getByTestId('check-number').fill(card.InsuredIdentificationNumber);
  if (card.InsuredBranchNumber) await clerk.getByTestId('check-branch').fill(card.InsuredBranchNumber);
  const b = card.Birthdate;
  await clerk.getByTestId('check-birthdate').fill(`${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6, 8)}`);
  await clerk.getByTestId('check-submit').click();
  const status = clerk.getByTestId('result-status');
  await status.waitFor();
  assert.equal(await status.getAttribute('data-outcome'), 'valid');
  assert.match(await text(status), /有効/);
  assert.match(await text(clerk.getByTestId('result-copay')), /割/);
  assert.ok((await text(clerk.getByTestId('result-next'))).length > 0);
});

test('three wrong PINs at the reader: the card is blocked and the patient is told what to do', async () => {
  const reader = await readerPage();
  await reader.getByTestId('card-3').click();
  await readerState(reader, 'method');
  await reader.getByTestId('method-pin').click();
  for (const left of [2, 1]) {
    await readerState(reader, 'pin');
    await enterPin(reader, '9999');
    await reader
      .getByTestId('tries-left')
      .filter({ hasText: String(left) })
      .waitFor();
  }
  await readerState(reader, 'pin');
  await enterPin(reader, '9999');
  await readerState(reader, 'pin-blocked');
  const message = await text(reader.getByTestId('status-message'));
  assert.match(message, /ロック/);
  assert.match(message, /市区町村/);
  // Back at the card list, the card shows as locked.
  await reader.getByTestId('cancel').click();
  await reader.getByTestId('card-list').waitFor();
  assert.match(await text(reader.getByTestId('card-3-status')), /ロック/);
});

test('SIGTERM stops the demo cleanly', async () => {
  const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
  demo.kill('SIGTERM');
  assert.equal(await exited, 0);
});
